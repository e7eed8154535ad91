// SPDX-License-Identifier: GPL-2.0
/* The s2s link object: parse, text, JSON, list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "args.h"
#include "attr.h"
#include "link.h"
#include "strbuf.h"

static int s2s_link_stats(const struct nlattr *attr, void *obj)
{
	struct s2s_link *link = obj;

	return s2s_stats_parse(attr, &link->stats);
}

/* One row per attribute of the spec's "link" set: add rows as it grows. */
static const struct s2s_attr_rule s2s_link_rules[] = {
	S2S_ATTR_RULE(S2S_A_LINK_IFINDEX, S2S_ATTR_U32, struct s2s_link, ifindex),
	S2S_ATTR_RULE(S2S_A_LINK_IFNAME, S2S_ATTR_STRING, struct s2s_link, ifname),
	S2S_ATTR_RULE(S2S_A_LINK_IF_ID, S2S_ATTR_U32, struct s2s_link, if_id),
	S2S_ATTR_RULE(S2S_A_LINK_MTU, S2S_ATTR_U32, struct s2s_link, mtu),
	S2S_ATTR_RULE(S2S_A_LINK_OPER_UP, S2S_ATTR_U8, struct s2s_link, oper_up),
	S2S_ATTR_RULE(S2S_A_LINK_REPLAY_WINDOW, S2S_ATTR_U32, struct s2s_link,
		      replay_window),
	S2S_ATTR_RULE(S2S_A_LINK_DSCP_COPY, S2S_ATTR_U8, struct s2s_link,
		      dscp_copy),
	S2S_ATTR_RULE(S2S_A_LINK_OVERHEAD, S2S_ATTR_U32, struct s2s_link,
		      overhead),
	S2S_ATTR_CUSTOM_RULE(S2S_A_LINK_STATS, s2s_link_stats),
	S2S_ATTR_RULE(S2S_A_LINK_IKE_STATUS, S2S_ATTR_U32, struct s2s_link,
		      ike_status),
	S2S_ATTR_RULE(S2S_A_LINK_IKE_REASON, S2S_ATTR_STRING, struct s2s_link,
		      ike_reason),
};

/* The spec's names (JSON, s2sctl link set) and what `s2sctl show` says. */
static const char *const s2s_ike_status_names[][2] = {
	[S2S_IKE_STATUS_UNKNOWN] = { "unknown", "unknown" },
	[S2S_IKE_STATUS_CONNECTING] = { "connecting", "connecting" },
	[S2S_IKE_STATUS_CONNECTED] = { "connected", "connected" },
	[S2S_IKE_STATUS_PHASE1_FAILED] = { "phase1-failed", "phase 1 failed" },
	[S2S_IKE_STATUS_PHASE2_FAILED] = { "phase2-failed", "phase 2 failed" },
	[S2S_IKE_STATUS_DOWN] = { "down", "down" },
};

/**
 * s2s_ike_status_name() - the spec's name of an IKE status
 * @status: enum s2s_ike_status
 *
 * Return: e.g. "phase2-failed"; NULL for a value this build does not know.
 */
const char *s2s_ike_status_name(uint32_t status)
{
	return status < __S2S_IKE_STATUS_COUNT ? s2s_ike_status_names[status][0] :
		NULL;
}

/**
 * s2s_ike_status_text() - an IKE status as `s2sctl show` words it
 * @status: enum s2s_ike_status
 *
 * Return: e.g. "phase 2 failed"; "status N" is not returned: the caller
 * prints unknown values itself (NULL).
 */
const char *s2s_ike_status_text(uint32_t status)
{
	return status < __S2S_IKE_STATUS_COUNT ? s2s_ike_status_names[status][1] :
		NULL;
}

/**
 * s2s_ike_status_parse() - an IKE status by its spec name or number
 * @text: e.g. "connected", or a number (passed on for the kernel to judge)
 * @status: the value
 *
 * Return: 0 or -EINVAL.
 */
int s2s_ike_status_parse(const char *text, uint32_t *status)
{
	uint32_t i;

	for (i = 0; i < __S2S_IKE_STATUS_COUNT; i++) {
		if (!strcmp(text, s2s_ike_status_names[i][0])) {
			*status = i;
			return 0;
		}
	}
	return s2s_arg_u32(text, 0, UINT32_MAX, status) ? -EINVAL : 0;
}

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
 * s2s_link_format() - the link as `s2sctl show` prints it
 * @link: the link
 * @buf: output: the first line, e.g. "s2s0: if-id 7, mtu 1438, up,
 *	replay-window 64, dscp-copy off, overhead 57", then when the kernel
 *	sent the IKE status "  ike: phase 2 failed (lan: traffic selectors
 *	unacceptable)" ("unknown (s2sd is not reporting)" when nobody set
 *	it), when it sent counters "  traffic: tx N packets N bytes, rx ..." and
 *	"  drops: replay 3, auth 1" (or "none"); no newline at the end
 * @size: size of @buf; S2S_LINK_TEXT_MAX is always enough
 *
 * Attributes the kernel did not send are left out.
 *
 * Return: the length of the full text (>= @size: it was cut).
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
	if (S2S_LINK_HAS(link, OPER_UP)) {
		s2s_strbuf_printf(&sb, "%s%s", sep, link->oper_up ? "up" : "down");
		sep = ", ";
	}
	if (S2S_LINK_HAS(link, REPLAY_WINDOW)) {
		s2s_strbuf_printf(&sb, "%sreplay-window %u", sep,
				  link->replay_window);
		sep = ", ";
	}
	if (S2S_LINK_HAS(link, DSCP_COPY)) {
		s2s_strbuf_printf(&sb, "%sdscp-copy %s", sep,
				  link->dscp_copy ? "on" : "off");
		sep = ", ";
	}
	if (S2S_LINK_HAS(link, OVERHEAD))
		s2s_strbuf_printf(&sb, "%soverhead %u", sep, link->overhead);
	if (S2S_LINK_HAS(link, IKE_STATUS)) {
		const char *text = s2s_ike_status_text(link->ike_status);

		if (text)
			s2s_strbuf_printf(&sb, "\n  ike: %s", text);
		else
			s2s_strbuf_printf(&sb, "\n  ike: status %u", link->ike_status);
		if (link->ike_reason[0])
			s2s_strbuf_printf(&sb, " (%s)", link->ike_reason);
		else if (link->ike_status == S2S_IKE_STATUS_UNKNOWN)
			s2s_strbuf_printf(&sb, " (s2sd is not reporting)");
	}
	if (S2S_LINK_HAS(link, STATS)) {
		s2s_strbuf_printf(&sb, "\n  traffic: ");
		s2s_stats_put_traffic(&sb, &link->stats);
		s2s_strbuf_printf(&sb, "\n  drops: ");
		s2s_stats_put_drops(&sb, &link->stats);
	}
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
 * Keys: ifname, ifindex, if_id, mtu, oper_up (boolean), replay_window,
 * dscp_copy (boolean), overhead, stats (see s2s_stats_to_json()),
 * ike_status (the spec's name, e.g. "phase1-failed", or the number when
 * unknown to this build), ike_reason (null when none); only those the
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
	if (S2S_LINK_HAS(link, REPLAY_WINDOW))
		s2s_json_add_u32(obj, "replay_window", link->replay_window);
	if (S2S_LINK_HAS(link, DSCP_COPY))
		json_object_object_add(obj, "dscp_copy",
				       json_object_new_boolean(link->dscp_copy));
	if (S2S_LINK_HAS(link, OVERHEAD))
		s2s_json_add_u32(obj, "overhead", link->overhead);
	if (S2S_LINK_HAS(link, STATS))
		json_object_object_add(obj, "stats",
				       s2s_stats_to_json(&link->stats));
	if (S2S_LINK_HAS(link, IKE_STATUS)) {
		const char *name = s2s_ike_status_name(link->ike_status);

		json_object_object_add(obj, "ike_status", name ?
				       json_object_new_string(name) :
				       json_object_new_int64(link->ike_status));
		json_object_object_add(obj, "ike_reason", link->ike_reason[0] ?
				       json_object_new_string(link->ike_reason) :
				       NULL);
	}
	return obj;
}

/**
 * s2s_link_cfg_parse() - the words after `s2sctl link set DEV`
 * @cfg: filled in
 * @argc: words
 * @argv: "if-id N", "replay-window N", "dscp-copy on|off", "ike-status
 *	NAME|N", "ike-reason TEXT", in any order
 * @err: why they were refused
 * @size: size of @err
 *
 * Ranges are the kernel's to check (its message is shown verbatim);
 * here only the syntax.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int s2s_link_cfg_parse(struct s2s_link_cfg *cfg, int argc, char **argv,
		       char *err, size_t size)
{
	const char *what;
	int i, attr;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < argc; i += 2) {
		what = argv[i];
		if (!strcmp(what, "if-id"))
			attr = S2S_A_LINK_IF_ID;
		else if (!strcmp(what, "replay-window"))
			attr = S2S_A_LINK_REPLAY_WINDOW;
		else if (!strcmp(what, "dscp-copy"))
			attr = S2S_A_LINK_DSCP_COPY;
		else if (!strcmp(what, "ike-status"))
			attr = S2S_A_LINK_IKE_STATUS;
		else if (!strcmp(what, "ike-reason"))
			attr = S2S_A_LINK_IKE_REASON;
		else
			goto unknown;
		if (i + 1 == argc) {
			snprintf(err, size, "%s: needs a value", what);
			return -EINVAL;
		}
		if (S2S_ATTR_HAS(cfg->given, attr)) {
			snprintf(err, size, "%s given twice", what);
			return -EINVAL;
		}
		if (attr == S2S_A_LINK_IKE_STATUS &&
		    s2s_ike_status_parse(argv[i + 1], &cfg->ike_status)) {
			snprintf(err, size, "%s: '%s' is not a status (unknown, connecting, connected, phase1-failed, phase2-failed, down)",
				 what, argv[i + 1]);
			return -EINVAL;
		}
		if (attr == S2S_A_LINK_IKE_REASON)
			cfg->ike_reason = argv[i + 1];
		if ((attr == S2S_A_LINK_IF_ID &&
		     s2s_arg_u32(argv[i + 1], 0, UINT32_MAX, &cfg->if_id)) ||
		    (attr == S2S_A_LINK_REPLAY_WINDOW &&
		     s2s_arg_u32(argv[i + 1], 0, UINT32_MAX, &cfg->replay_window)) ||
		    (attr == S2S_A_LINK_DSCP_COPY &&
		     s2s_arg_onoff(argv[i + 1], &cfg->dscp_copy))) {
			snprintf(err, size, "%s: '%s' is not %s", what, argv[i + 1],
				 attr == S2S_A_LINK_DSCP_COPY ? "on or off" :
				 "a 32-bit number");
			return -EINVAL;
		}
		cfg->given |= 1ULL << attr;
	}
	if (!cfg->given) {
		snprintf(err, size, "nothing to set: give if-id, replay-window, dscp-copy, ike-status or ike-reason");
		return -EINVAL;
	}
	return 0;
unknown:
	snprintf(err, size, "unknown argument '%s'", what);
	return -EINVAL;
}

/**
 * s2s_link_cfg_put() - the settings as link-set attributes
 * @cfg: from s2s_link_cfg_parse()
 * @nlh: the request, which already names the link
 * @bufsize: size of the buffer @nlh is in
 *
 * Return: 0, or -EMSGSIZE.
 */
int s2s_link_cfg_put(const struct s2s_link_cfg *cfg, struct nlmsghdr *nlh,
		     size_t bufsize)
{
	bool ok = true;

	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_IF_ID))
		ok = ok && mnl_attr_put_u32_check(nlh, bufsize, S2S_A_LINK_IF_ID,
						  cfg->if_id);
	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_REPLAY_WINDOW))
		ok = ok && mnl_attr_put_u32_check(nlh, bufsize,
						  S2S_A_LINK_REPLAY_WINDOW,
						  cfg->replay_window);
	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_DSCP_COPY))
		ok = ok && mnl_attr_put_u8_check(nlh, bufsize, S2S_A_LINK_DSCP_COPY,
						 cfg->dscp_copy);
	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_IKE_STATUS))
		ok = ok && mnl_attr_put_u32_check(nlh, bufsize,
						  S2S_A_LINK_IKE_STATUS,
						  cfg->ike_status);
	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_IKE_REASON))
		ok = ok && mnl_attr_put_strz_check(nlh, bufsize,
						   S2S_A_LINK_IKE_REASON,
						   cfg->ike_reason);
	if (S2S_ATTR_HAS(cfg->given, S2S_A_LINK_IKE_UNTIL_CLOSE))
		ok = ok && mnl_attr_put_check(nlh, bufsize,
					      S2S_A_LINK_IKE_UNTIL_CLOSE, 0, NULL);
	return ok ? 0 : -EMSGSIZE;
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
 * s2s_link_list_find_ifindex() - a link by its index
 * @list: the list
 * @ifindex: the index
 *
 * Return: the link or NULL.
 */
const struct s2s_link *s2s_link_list_find_ifindex(const struct s2s_link_list *list,
						  uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->links[i].ifindex == ifindex)
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
