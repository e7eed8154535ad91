// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the table-driven attribute parser (attr.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "attr.h"
#include "msg.h"

enum { T_U8 = 1, T_U16, T_U32, T_U64, T_STR, T_STRUCT, T_NEST, T_UNKNOWN = 40 };

struct pair {
	uint32_t a;
	uint32_t b;
};

struct obj {
	uint64_t present;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	char str[8];
	struct pair pair;
	int nested;
};

static int count_inner(const struct nlattr *attr, void *data)
{
	(void)attr;
	++*(int *)data;
	return 0;
}

static int parse_nest(const struct nlattr *attr, void *obj)
{
	struct obj *o = obj;

	o->nested = 0;
	return s2s_attr_walk_nested(attr, count_inner, &o->nested);
}

static const struct s2s_attr_rule rules[] = {
	S2S_ATTR_RULE(T_U8, S2S_ATTR_U8, struct obj, u8),
	S2S_ATTR_RULE(T_U16, S2S_ATTR_U16, struct obj, u16),
	S2S_ATTR_RULE(T_U32, S2S_ATTR_U32, struct obj, u32),
	S2S_ATTR_RULE(T_U64, S2S_ATTR_U64, struct obj, u64),
	S2S_ATTR_RULE(T_STR, S2S_ATTR_STRING, struct obj, str),
	S2S_ATTR_RULE(T_STRUCT, S2S_ATTR_STRUCT, struct obj, pair),
	S2S_ATTR_CUSTOM_RULE(T_NEST, parse_nest),
};

static const struct s2s_attr_policy policy =
	S2S_ATTR_POLICY(rules, struct obj, present);

/* A message with a 4-byte family header, as genl has. */
static struct nlmsghdr *msg(void *buf)
{
	uint32_t hdr = 0xdeadbeef;

	return test_msg(buf, 0x20, 0, &hdr, sizeof(hdr));
}

static int parse(const struct nlmsghdr *nlh, struct obj *o)
{
	memset(o, 0, sizeof(*o));
	return s2s_attr_parse_msg(nlh, sizeof(uint32_t), &policy, o);
}

static void test_all_kinds(void **state)
{
	struct pair pair = { 7, 9 };
	struct nlattr *nest;
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_u8(nlh, T_U8, 0xab);
	mnl_attr_put_u16(nlh, T_U16, 0xbeef);
	mnl_attr_put_u32(nlh, T_U32, 0x12345678);
	mnl_attr_put_u64(nlh, T_U64, 0x1122334455667788ULL);
	mnl_attr_put_strz(nlh, T_STR, "s2s0");
	mnl_attr_put(nlh, T_STRUCT, sizeof(pair), &pair);
	nest = mnl_attr_nest_start(nlh, T_NEST);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_put_u32(nlh, 2, 2);
	mnl_attr_put_u32(nlh, 3, 3);
	mnl_attr_nest_end(nlh, nest);

	assert_int_equal(parse(nlh, &o), 0);
	assert_int_equal(o.u8, 0xab);
	assert_int_equal(o.u16, 0xbeef);
	assert_int_equal(o.u32, 0x12345678);
	assert_true(o.u64 == 0x1122334455667788ULL);
	assert_string_equal(o.str, "s2s0");
	assert_int_equal(o.pair.a, 7);
	assert_int_equal(o.pair.b, 9);
	assert_int_equal(o.nested, 3);
	assert_true(o.present == ((1ULL << T_U8) | (1ULL << T_U16) |
				  (1ULL << T_U32) | (1ULL << T_U64) |
				  (1ULL << T_STR) | (1ULL << T_STRUCT) |
				  (1ULL << T_NEST)));
}

static void test_unknown_skipped(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_strz(nlh, T_UNKNOWN, "from a newer module");
	mnl_attr_put_u32(nlh, T_U32, 42);
	assert_int_equal(parse(nlh, &o), 0);
	assert_int_equal(o.u32, 42);
	assert_false(S2S_ATTR_HAS(o.present, T_UNKNOWN));
	assert_true(o.present == 1ULL << T_U32);
}

static void test_empty(void **state)
{
	struct obj o;
	TEST_BUF(buf);

	(void)state;
	assert_int_equal(parse(msg(buf), &o), 0);
	assert_true(o.present == 0);
}

static void test_int_wrong_size(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_u16(nlh, T_U32, 1);
	assert_int_equal(parse(nlh, &o), -EBADMSG);
	nlh = msg(buf);
	mnl_attr_put_u64(nlh, T_U32, 1);
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_string_unterminated(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put(nlh, T_STR, 4, "abcd");
	assert_int_equal(parse(nlh, &o), -EBADMSG);
	nlh = msg(buf);
	mnl_attr_put(nlh, T_STR, 0, NULL);
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_string_too_long(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_strz(nlh, T_STR, "1234567");	/* fits: 7 + NUL */
	assert_int_equal(parse(nlh, &o), 0);
	assert_string_equal(o.str, "1234567");
	nlh = msg(buf);
	mnl_attr_put_strz(nlh, T_STR, "12345678");
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_struct_sizes(void **state)
{
	uint32_t longer[3] = { 1, 2, 3 };
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put(nlh, T_STRUCT, sizeof(longer), longer);
	assert_int_equal(parse(nlh, &o), 0);
	assert_int_equal(o.pair.a, 1);
	assert_int_equal(o.pair.b, 2);
	nlh = msg(buf);
	mnl_attr_put(nlh, T_STRUCT, 4, longer);
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_truncated_message(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_u32(nlh, T_U32, 1);
	mnl_attr_put_u64(nlh, T_U64, 2);
	nlh->nlmsg_len -= 4;	/* cut into the last attribute */
	assert_int_equal(parse(nlh, &o), -EBADMSG);
	nlh->nlmsg_len -= 10;	/* only part of its header left */
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_bad_attr_length(void **state)
{
	struct nlattr *attr;
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_u32(nlh, T_U32, 1);
	attr = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN + 4);
	attr->nla_len = 2;	/* shorter than its own header */
	assert_int_equal(parse(nlh, &o), -EBADMSG);
	attr->nla_len = 200;	/* beyond the message */
	assert_int_equal(parse(nlh, &o), -EBADMSG);
}

static void test_header_longer_than_message(void **state)
{
	struct obj o;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(s2s_attr_parse_msg(nlh, 64, &policy, &o), -EBADMSG);
	nlh->nlmsg_len = 8;
	assert_int_equal(s2s_attr_parse_msg(nlh, 0, &policy, &o), -EBADMSG);
}

static int failing(const struct nlattr *attr, void *obj)
{
	(void)attr;
	(void)obj;
	return -ERANGE;
}

static void test_custom_error_and_table_bug(void **state)
{
	static const struct s2s_attr_rule bad_rules[] = {
		S2S_ATTR_CUSTOM_RULE(T_NEST, failing),
		/* a u32 kind into a u64 member: the table is wrong */
		S2S_ATTR_RULE(T_U32, S2S_ATTR_U32, struct obj, u64),
	};
	static const struct s2s_attr_policy bad =
		S2S_ATTR_POLICY(bad_rules, struct obj, present);
	struct obj o = { 0 };
	TEST_BUF(buf);
	struct nlmsghdr *nlh = msg(buf);

	(void)state;
	mnl_attr_put_u32(nlh, T_NEST, 0);
	assert_int_equal(s2s_attr_parse_msg(nlh, 4, &bad, &o), -ERANGE);
	nlh = msg(buf);
	mnl_attr_put_u32(nlh, T_U32, 0);
	assert_int_equal(s2s_attr_parse_msg(nlh, 4, &bad, &o), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_kinds),
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_int_wrong_size),
		cmocka_unit_test(test_string_unterminated),
		cmocka_unit_test(test_string_too_long),
		cmocka_unit_test(test_struct_sizes),
		cmocka_unit_test(test_truncated_message),
		cmocka_unit_test(test_bad_attr_length),
		cmocka_unit_test(test_header_longer_than_message),
		cmocka_unit_test(test_custom_error_and_table_bug),
	};

	return cmocka_run_group_tests_name("attr", tests, NULL, NULL);
}
