// SPDX-License-Identifier: GPL-2.0
/* Unit tests: generic netlink headers and nlctrl replies (genl.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "msg.h"

static void put_group(struct nlmsghdr *nlh, uint16_t index, const char *name,
		      uint32_t id)
{
	struct nlattr *grp = mnl_attr_nest_start(nlh, index);

	if (id)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_nest_end(nlh, grp);
}

/* nlctrl's reply for a family with two multicast groups. */
static struct nlmsghdr *family_reply(void *buf)
{
	struct nlmsghdr *nlh = test_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *groups;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "s2s");
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 5);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "events", 27);
	put_group(nlh, 2, "stats", 28);
	mnl_attr_nest_end(nlh, groups);
	return nlh;
}

static void test_family_parse(void **state)
{
	struct s2s_genl_family fam;
	TEST_BUF(buf);

	(void)state;
	assert_int_equal(s2s_genl_family_parse(family_reply(buf), &fam), 0);
	assert_int_equal(fam.id, 0x1d);
	assert_string_equal(fam.name, "s2s");
	assert_int_equal(fam.version, 1);
	assert_int_equal(fam.maxattr, 5);
	assert_int_equal(fam.n_groups, 2);
	assert_int_equal(s2s_genl_group_id(&fam, "events"), 27);
	assert_int_equal(s2s_genl_group_id(&fam, "stats"), 28);
	assert_int_equal(s2s_genl_group_id(&fam, "event"), 0);
}

static void test_family_without_groups(void **state)
{
	struct s2s_genl_family fam;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);

	(void)state;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x20);
	assert_int_equal(s2s_genl_family_parse(nlh, &fam), 0);
	assert_int_equal(fam.id, 0x20);
	assert_int_equal(fam.n_groups, 0);
	assert_int_equal(s2s_genl_group_id(&fam, "events"), 0);
}

static void test_family_without_id(void **state)
{
	struct s2s_genl_family fam;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);

	(void)state;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "s2s");
	assert_int_equal(s2s_genl_family_parse(nlh, &fam), -EBADMSG);
}

static void test_group_without_id(void **state)
{
	struct s2s_genl_family fam;
	struct nlattr *groups;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);

	(void)state;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x20);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "events", 0);
	mnl_attr_nest_end(nlh, groups);
	assert_int_equal(s2s_genl_family_parse(nlh, &fam), -EBADMSG);
}

static void test_many_groups(void **state)
{
	struct s2s_genl_family fam;
	struct nlattr *groups;
	char name[GENL_NAMSIZ];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	uint16_t i;

	(void)state;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x20);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 1; i <= S2S_GENL_GROUPS_MAX + 3; i++) {
		snprintf(name, sizeof(name), "g%u", i);
		put_group(nlh, i, name, 100 + i);
	}
	mnl_attr_nest_end(nlh, groups);
	assert_int_equal(s2s_genl_family_parse(nlh, &fam), 0);
	assert_int_equal(fam.n_groups, S2S_GENL_GROUPS_MAX);
	assert_int_equal(s2s_genl_group_id(&fam, "g1"), 101);
	assert_int_equal(s2s_genl_group_id(&fam, "g8"), 108);
	assert_int_equal(s2s_genl_group_id(&fam, "g9"), 0);
}

static void test_truncated_reply(void **state)
{
	struct s2s_genl_family fam;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = family_reply(buf);

	(void)state;
	nlh->nlmsg_len -= 6;	/* cut into the groups nest */
	assert_int_equal(s2s_genl_family_parse(nlh, &fam), -EBADMSG);
}

static void test_request_header(void **state)
{
	TEST_BUF(buf);
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	(void)state;
	nlh = s2s_genl_msg(buf, 0x1d, 3, 1, NLM_F_DUMP);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, 0x1d);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	assert_int_equal(genl->cmd, 3);
	assert_int_equal(genl->version, 1);
	assert_int_equal(genl->reserved, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_parse),
		cmocka_unit_test(test_family_without_groups),
		cmocka_unit_test(test_family_without_id),
		cmocka_unit_test(test_group_without_id),
		cmocka_unit_test(test_many_groups),
		cmocka_unit_test(test_truncated_reply),
		cmocka_unit_test(test_request_header),
	};

	return cmocka_run_group_tests_name("genl", tests, NULL, NULL);
}
