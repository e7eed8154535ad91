// SPDX-License-Identifier: GPL-2.0
/* Tests against the running kernel's netlink (the host's is enough: no
 * s2s module, nothing changed). What needs privileges skips without.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>

#include "client.h"
#include "genl.h"
#include "msg.h"
#include "nl.h"
#include "xfrm.h"

static void open_or_skip(struct s2s_nl *nl, int bus)
{
	int err = s2s_nl_open(nl, bus);

	if (err) {
		printf("# no netlink bus %d here: %s\n", bus, strerror(-err));
		skip();
	}
}

static void test_resolve_nlctrl(void **state)
{
	struct s2s_genl_family fam;
	struct s2s_nl nl;

	(void)state;
	open_or_skip(&nl, NETLINK_GENERIC);
	assert_int_equal(s2s_genl_resolve(&nl, "nlctrl", &fam), 0);
	assert_int_equal(fam.id, GENL_ID_CTRL);
	assert_string_equal(fam.name, "nlctrl");
	assert_int_equal(s2s_genl_group_id(&fam, "notify"), GENL_ID_CTRL);
	s2s_nl_close(&nl);
}

static void test_resolve_missing(void **state)
{
	struct s2s_genl_family fam;
	struct s2s_nl nl;

	(void)state;
	open_or_skip(&nl, NETLINK_GENERIC);
	assert_int_equal(s2s_genl_resolve(&nl, "s2s-no-such", &fam), -ENOENT);
	/* the socket stays usable after an error */
	assert_int_equal(s2s_genl_resolve(&nl, "nlctrl", &fam), 0);
	s2s_nl_close(&nl);
}

static void test_client_without_module(void **state)
{
	struct s2s_client c;
	int err;

	(void)state;
	err = s2s_client_open(&c);
	if (!err) {
		s2s_client_close(&c);
		printf("# the s2s family is registered here: nothing to check\n");
		skip();
	}
	assert_int_equal(err, -ENOENT);
	assert_string_equal(c.err,
		"s2s generic netlink family not found: is the s2s module loaded? (modprobe s2s)");
}

/* RTM_NEWLINK of a link type nobody registered: the kernel answers with
 * an extack message, which must arrive word for word.
 */
static void test_kernel_extack_verbatim(void **state)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	char why[S2S_NL_ERR_MAX];
	struct nlattr *linkinfo;
	struct nlmsghdr *nlh;
	struct s2s_nl nl;
	TEST_BUF(buf);
	int err;

	(void)state;
	open_or_skip(&nl, NETLINK_ROUTE);
	nlh = test_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
		       sizeof(ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "s2stest0");
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "s2s-no-such-kind");
	mnl_attr_nest_end(nlh, linkinfo);
	err = s2s_nl_request(&nl, nlh, NULL, NULL);
	s2s_nl_close(&nl);
	if (err == -EPERM)
		skip();
	printf("# kernel said: %s\n", s2s_nl_strerror(err, nl.extack, why,
							sizeof(why)));
	assert_int_equal(err, -EOPNOTSUPP);
	assert_string_equal(nl.extack, "Unknown device type");
	assert_string_equal(why, "Operation not supported: Unknown device type");
}

static int count_or_fail(const struct nlmsghdr *nlh, void *data)
{
	int *count = data;

	(void)nlh;
	if (++*count == 1)
		return -ECANCELED;
	return 0;
}

static int count(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(int *)data;
	return 0;
}

static struct nlmsghdr *getlink_dump(void *buf)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	return test_msg(buf, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi));
}

/* A callback error stops the callbacks, but the rest of the dump is
 * still read: the next request must get its own answer.
 */
static void test_dump_abort_then_reuse(void **state)
{
	struct s2s_nl nl;
	TEST_BUF(buf);
	int n = 0;
	size_t i;

	(void)state;
	open_or_skip(&nl, NETLINK_ROUTE);
	assert_int_equal(s2s_nl_request(&nl, getlink_dump(buf), count_or_fail, &n),
			 -ECANCELED);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(s2s_nl_request(&nl, getlink_dump(buf), count, &n), 0);
	assert_true(n >= 1);	/* at least lo */
	/* what was received is wiped: XFRM replies hold keys */
	for (i = 0; i < S2S_NL_RXBUF_SIZE; i++)
		if (nl.rxbuf[i])
			fail_msg("receive buffer byte %zu not wiped", i);
	s2s_nl_close(&nl);
}

static int parse_sa(const struct nlmsghdr *nlh, void *data)
{
	struct s2s_xfrm_sa sa;

	++*(int *)data;
	return s2s_xfrm_parse(nlh, &sa);
}

static void test_xfrm_dump_and_join(void **state)
{
	struct nlmsghdr req;
	struct s2s_nl nl;
	int n = 0, err;

	(void)state;
	open_or_skip(&nl, NETLINK_XFRM);
	err = s2s_nl_request(&nl, s2s_xfrm_dump_request(&req), parse_sa, &n);
	if (err == -EPERM) {
		s2s_nl_close(&nl);
		skip();
	}
	assert_int_equal(err, 0);
	printf("# %d XFRM SA(s) on this host, all parsed\n", n);
	assert_int_equal(s2s_nl_join(&nl, XFRMNLGRP_SA), 0);
	assert_int_equal(s2s_nl_join(&nl, XFRMNLGRP_EXPIRE), 0);
	s2s_nl_close(&nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_nlctrl),
		cmocka_unit_test(test_resolve_missing),
		cmocka_unit_test(test_client_without_module),
		cmocka_unit_test(test_kernel_extack_verbatim),
		cmocka_unit_test(test_dump_abort_then_reuse),
		cmocka_unit_test(test_xfrm_dump_and_join),
	};

	return cmocka_run_group_tests_name("live netlink", tests, NULL, NULL);
}
