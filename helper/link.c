// SPDX-License-Identifier: GPL-2.0
/* The s2s link object: parse, text, JSON, list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "attr.h"
#include "link.h"
#include "strbuf.h"

/* One row per attribute of the spec's "link" set: add rows as it grows. */
static const struct s2s_attr_rule s2s_link_rules[] = {
	S2S_ATTR_RULE(S2S_A_LINK_IFINDEX, S2S_ATTR_U32, struct s2s_link, ifindex),
	S2S_ATTR_RULE(S2S_A_LINK_IFNAME, S2S_ATTR_STRING, struct s2s_link, ifname),
	S2S_ATTR_RULE(S2S_A_LINK_IF_ID, S2S_ATTR_U32, struct s2s_link, if_id),
	S2S_ATTR_RULE(S2S_A_LINK_MTU, S2S_ATTR_U32, struct s2s_link, mtu),
	S2S_ATTR_RULE(S2S_A_LINK_OPER_UP, S2S_ATTR_U8, struct s2s_link, oper_up),
};

static const struct s2s_attr_policy s2s_link_policy =
	S2S_ATTR_POLICY(s2s_link_rules, struct s2s_link, present);

#define S2S_LINK_HAS(link, attr) S2S_ATTR_HAS((link)->present, S2S_A_LINK_##attr)

/**
 * s2s_link_parse() - read a link from a link-get reply
 * @nlh: the genl message
 * @link: filled in
 *
 * Return: 0, or -EBADMSG when malformed or without ifindex and name (a
 * link we cannot name is no answer).
 */
int s2s_link_parse(const struct nlmsghdr *nlh, struct s2s_link *link)
{
	int err;

	memset(link, 0, sizeof(*link));
	err = s2s_attr_parse_msg(nlh, GENL_HDRLEN, &s2s_link_policy, link);
	if (err)
		return err;
	if (!S2S_LINK_HAS(link, IFINDEX) || !S2S_LINK_HAS(link, IFNAME))
		return -EBADMSG;
	return 0;
}

/**
 * s2s_link_format() - one line of text, as `s2sctl show` prints it
 * @link: the link
 * @buf: output, e.g. "s2s0: if-id 0, mtu 1400, down"
 * @size: size of @buf
 *
 * Attributes the kernel did not send are left out.
 *
 * Return: the length of the full line (>= @size: it was cut).
 */
size_t s2s_link_format(const struct s2s_link *link, char *buf, size_t size)
{
	struct s2s_strbuf sb;
	const char *sep = " ";

	s2s_strbuf_init(&sb, buf, size);
	s2s_strbuf_printf(&sb, "%s:", link->ifname);
	if (S2S_LINK_HAS(link, IF_ID)) {
		s2s_strbuf_printf(&sb, "%sif-id %u", sep, link->if_id);
		sep = ", ";
	}
	if (S2S_LINK_HAS(link, MTU)) {
		s2s_strbuf_printf(&sb, "%smtu %u", sep, link->mtu);
		sep = ", ";
	}
	if (S2S_LINK_HAS(link, OPER_UP))
		s2s_strbuf_printf(&sb, "%s%s", sep, link->oper_up ? "up" : "down");
	return sb.len;
}

static void s2s_json_add_u32(struct json_object *obj, const char *key,
			     uint32_t val)
{
	json_object_object_add(obj, key, json_object_new_int64(val));
}

/**
 * s2s_link_to_json() - the link as a JSON object
 * @link: the link
 *
 * Keys: ifname, ifindex, if_id, mtu, oper_up (boolean); only those the
 * kernel sent.
 *
 * Return: a new object (json_object_put() it), NULL on allocation failure.
 */
struct json_object *s2s_link_to_json(const struct s2s_link *link)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "ifname",
			       json_object_new_string(link->ifname));
	s2s_json_add_u32(obj, "ifindex", link->ifindex);
	if (S2S_LINK_HAS(link, IF_ID))
		s2s_json_add_u32(obj, "if_id", link->if_id);
	if (S2S_LINK_HAS(link, MTU))
		s2s_json_add_u32(obj, "mtu", link->mtu);
	if (S2S_LINK_HAS(link, OPER_UP))
		json_object_object_add(obj, "oper_up",
				       json_object_new_boolean(link->oper_up));
	return obj;
}

/**
 * s2s_link_list_add() - append a copy of @link
 * @list: the list
 * @link: the link
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_link_list_add(struct s2s_link_list *list, const struct s2s_link *link)
{
	struct s2s_link *links;
	size_t cap;

	if (list->n == list->cap) {
		cap = list->cap ? 2 * list->cap : 8;
		links = reallocarray(list->links, cap, sizeof(*links));
		if (!links)
			return -ENOMEM;
		list->links = links;
		list->cap = cap;
	}
	list->links[list->n++] = *link;
	return 0;
}

/**
 * s2s_link_list_find_if_id() - the link that answers to an XFRM if_id
 * @list: the list
 * @if_id: the if_id; 0 ("unset") never matches
 *
 * Return: the link or NULL.
 */
const struct s2s_link *s2s_link_list_find_if_id(const struct s2s_link_list *list,
						uint32_t if_id)
{
	size_t i;

	if (!if_id)
		return NULL;
	for (i = 0; i < list->n; i++)
		if (S2S_LINK_HAS(&list->links[i], IF_ID) &&
		    list->links[i].if_id == if_id)
			return &list->links[i];
	return NULL;
}

/**
 * s2s_link_list_clear() - free the entries; the list can be reused
 * @list: the list
 */
void s2s_link_list_clear(struct s2s_link_list *list)
{
	free(list->links);
	list->links = NULL;
	list->n = 0;
	list->cap = 0;
}
