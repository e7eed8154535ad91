// SPDX-License-Identifier: GPL-2.0
/* Table-driven netlink attribute parser; see attr.h for the model. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "attr.h"

struct s2s_attr_ctx {
	const struct s2s_attr_policy *pol;
	void *obj;
};

/**
 * s2s_attr_walk() - call @fn for every attribute in a buffer
 * @buf: first attribute
 * @len: bytes of attributes
 * @fn: called per attribute; a non-zero return stops the walk
 * @data: passed to @fn
 *
 * Unlike mnl_attr_parse(), which stops quietly at the first bad header,
 * broken framing is an error here: a reply we only half read must not
 * pass for a complete one.
 *
 * Return: 0, -EBADMSG on broken framing, or what @fn returned.
 */
int s2s_attr_walk(const void *buf, size_t len, s2s_attr_walk_fn fn,
		  void *data)
{
	const struct nlattr *attr = buf;
	size_t step;
	int err;

	while (len > 0) {
		if (len > INT_MAX || !mnl_attr_ok(attr, (int)len))
			return -EBADMSG;
		err = fn(attr, data);
		if (err)
			return err;
		/* the last attribute may arrive without its padding */
		step = MNL_ALIGN(attr->nla_len);
		if (step > len)
			step = len;
		len -= step;
		attr = (const void *)((const char *)attr + step);
	}
	return 0;
}

/**
 * s2s_attr_walk_nested() - s2s_attr_walk() over the payload of @nest
 * @nest: a nested attribute
 * @fn: called per inner attribute
 * @data: passed to @fn
 *
 * Return: as s2s_attr_walk().
 */
int s2s_attr_walk_nested(const struct nlattr *nest, s2s_attr_walk_fn fn,
			 void *data)
{
	return s2s_attr_walk(mnl_attr_get_payload(nest),
			     mnl_attr_get_payload_len(nest), fn, data);
}

static const struct s2s_attr_rule *
s2s_attr_rule_find(const struct s2s_attr_policy *pol, uint16_t type)
{
	size_t i;

	for (i = 0; i < pol->n_rules; i++)
		if (pol->rules[i].type == type)
			return &pol->rules[i];
	return NULL;
}

static size_t s2s_attr_int_width(uint8_t kind)
{
	switch (kind) {
	case S2S_ATTR_U8:
		return 1;
	case S2S_ATTR_U16:
		return 2;
	case S2S_ATTR_U32:
		return 4;
	case S2S_ATTR_U64:
		return 8;
	}
	return 0;
}

/* Strings must be terminated and fit: a name we would truncate is not
 * the name the kernel meant.
 */
static int s2s_attr_store_string(const struct nlattr *attr,
				 const struct s2s_attr_rule *r, char *dst)
{
	const char *src = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);

	if (len == 0 || src[len - 1] != '\0' || strlen(src) >= r->size)
		return -EBADMSG;
	memset(dst, 0, r->size);
	memcpy(dst, src, strlen(src));
	return 0;
}

static int s2s_attr_store(const struct nlattr *attr,
			  const struct s2s_attr_rule *r, void *obj)
{
	size_t len = mnl_attr_get_payload_len(attr);
	char *dst = (char *)obj + r->offset;
	size_t width;

	if (r->kind == S2S_ATTR_STRING)
		return s2s_attr_store_string(attr, r, dst);
	if (r->kind == S2S_ATTR_STRUCT) {
		if (len < r->size)
			return -EBADMSG;
	} else {
		width = s2s_attr_int_width(r->kind);
		/* a rule whose member does not match its kind is our bug */
		if (!width || width != r->size)
			return -EINVAL;
		if (len != width)
			return -EBADMSG;
	}
	memcpy(dst, mnl_attr_get_payload(attr), r->size);
	return 0;
}

static int s2s_attr_apply(const struct nlattr *attr, void *data)
{
	const struct s2s_attr_ctx *ctx = data;
	const struct s2s_attr_rule *r;
	uint64_t *present;
	int err;

	r = s2s_attr_rule_find(ctx->pol, mnl_attr_get_type(attr));
	if (!r)
		return 0;	/* not ours to read: newer spec, or key bytes */
	if (r->type >= 64)
		return -EINVAL;
	if (r->kind == S2S_ATTR_CUSTOM)
		err = r->parse(attr, ctx->obj);
	else
		err = s2s_attr_store(attr, r, ctx->obj);
	if (err)
		return err;
	present = (uint64_t *)((char *)ctx->obj + ctx->pol->present_offset);
	*present |= 1ULL << r->type;
	return 0;
}

/**
 * s2s_attr_parse() - fill @obj from the attributes in a buffer
 * @buf: first attribute
 * @len: bytes of attributes
 * @pol: the object's parse table
 * @obj: the object; zero it first, presence bits are only ever set
 *
 * Return: 0, -EBADMSG when the attributes are malformed, -EINVAL when the
 * table itself is wrong, or an error of a custom rule.
 */
int s2s_attr_parse(const void *buf, size_t len,
		   const struct s2s_attr_policy *pol, void *obj)
{
	struct s2s_attr_ctx ctx = { .pol = pol, .obj = obj };

	return s2s_attr_walk(buf, len, s2s_attr_apply, &ctx);
}

/**
 * s2s_attr_parse_msg() - s2s_attr_parse() over a message's attributes
 * @nlh: the message
 * @hdrlen: size of the family header between nlmsghdr and attributes
 * @pol: the object's parse table
 * @obj: the object, zeroed by the caller
 *
 * Return: as s2s_attr_parse(); -EBADMSG also when @nlh is shorter than
 * its headers.
 */
int s2s_attr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		       const struct s2s_attr_policy *pol, void *obj)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t off = MNL_ALIGN(hdrlen);
	size_t len;

	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	len = nlh->nlmsg_len - NLMSG_HDRLEN;
	if (hdrlen > len)
		return -EBADMSG;
	if (off >= len)
		return 0;
	return s2s_attr_parse(payload + off, len - off, pol, obj);
}

/**
 * s2s_attr_parse_nested() - s2s_attr_parse() over the payload of @nest
 * @nest: a nested attribute
 * @pol: the inner object's parse table
 * @obj: the inner object, zeroed by the caller
 *
 * Return: as s2s_attr_parse().
 */
int s2s_attr_parse_nested(const struct nlattr *nest,
			  const struct s2s_attr_policy *pol, void *obj)
{
	return s2s_attr_parse(mnl_attr_get_payload(nest),
			      mnl_attr_get_payload_len(nest), pol, obj);
}
