/* SPDX-License-Identifier: GPL-2.0 */
/* Table-driven netlink attribute parser.
 *
 * Every object we read from the kernel (an s2s link, a genl family, an XFRM
 * SA) is described by a table of rules: attribute type -> kind -> member of
 * a C struct. Growing the spec means adding a member and a table row, not a
 * new parsing function. Attributes without a rule are skipped, so an older
 * helper keeps working against a newer module; for XFRM this is also what
 * keeps key attributes (XFRMA_ALG_*) from ever being copied.
 */
#ifndef S2S_HELPER_ATTR_H
#define S2S_HELPER_ATTR_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "util.h"

/**
 * enum s2s_attr_kind - how an attribute's payload is checked and stored
 * @S2S_ATTR_U8: exactly 1 byte
 * @S2S_ATTR_U16: exactly 2 bytes, host order
 * @S2S_ATTR_U32: exactly 4 bytes, host order
 * @S2S_ATTR_U64: exactly 8 bytes, host order
 * @S2S_ATTR_STRING: NUL-terminated and must fit the member (size bytes)
 * @S2S_ATTR_STRUCT: at least size bytes; the first size bytes are copied
 * @S2S_ATTR_CUSTOM: handed to the rule's parse() (nests, arrays, ...)
 */
enum s2s_attr_kind {
	S2S_ATTR_U8 = 1,
	S2S_ATTR_U16,
	S2S_ATTR_U32,
	S2S_ATTR_U64,
	S2S_ATTR_STRING,
	S2S_ATTR_STRUCT,
	S2S_ATTR_CUSTOM,
};

/**
 * struct s2s_attr_rule - one row of a parse table
 * @type: attribute type, below 64 (it indexes the presence mask)
 * @kind: enum s2s_attr_kind
 * @size: size of the destination member
 * @offset: offset of the destination member in the target object
 * @parse: for S2S_ATTR_CUSTOM: gets the attribute and the whole object,
 *	returns 0 or a negative errno
 */
struct s2s_attr_rule {
	uint16_t type;
	uint8_t kind;
	uint16_t size;
	size_t offset;
	int (*parse)(const struct nlattr *attr, void *obj);
};

/**
 * struct s2s_attr_policy - a parse table and where its object keeps presence
 * @rules: the table
 * @n_rules: its length
 * @present_offset: offset of a uint64_t in the object that receives
 *	bit (1 << type) for every attribute parsed by a rule
 */
struct s2s_attr_policy {
	const struct s2s_attr_rule *rules;
	size_t n_rules;
	size_t present_offset;
};

#define S2S_MEMBER_SIZE(type, member) sizeof(((type *)0)->member)

/* A rule that stores attribute @atype of @akind into @member of @otype. */
#define S2S_ATTR_RULE(atype, akind, otype, member)			\
	{ .type = (atype), .kind = (akind),				\
	  .size = S2S_MEMBER_SIZE(otype, member),			\
	  .offset = offsetof(otype, member) }

/* A rule that hands attribute @atype to @fn(attr, object). */
#define S2S_ATTR_CUSTOM_RULE(atype, fn)					\
	{ .type = (atype), .kind = S2S_ATTR_CUSTOM, .parse = (fn) }

/* The policy of @table, for objects of @otype with mask member @present. */
#define S2S_ATTR_POLICY(table, otype, present)				\
	{ .rules = (table),						\
	  .n_rules = S2S_ARRAY_SIZE(table),				\
	  .present_offset = offsetof(otype, present) }

/* True when attribute @type was seen (presence mask @present). */
#define S2S_ATTR_HAS(present, type) (!!((present) & (1ULL << (type))))

typedef int (*s2s_attr_walk_fn)(const struct nlattr *attr, void *data);

int s2s_attr_walk(const void *buf, size_t len, s2s_attr_walk_fn fn,
		  void *data);
int s2s_attr_walk_nested(const struct nlattr *nest, s2s_attr_walk_fn fn,
			 void *data);
int s2s_attr_parse(const void *buf, size_t len,
		   const struct s2s_attr_policy *pol, void *obj);
int s2s_attr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		       const struct s2s_attr_policy *pol, void *obj);
int s2s_attr_parse_nested(const struct nlattr *nest,
			  const struct s2s_attr_policy *pol, void *obj);

#endif /* S2S_HELPER_ATTR_H */
