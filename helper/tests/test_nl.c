// SPDX-License-Identifier: GPL-2.0
/* Unit tests: errors and extack messages of NLMSG_ERROR / NLMSG_DONE
 * (nl.c), built the way the kernel's netlink_ack() and netlink_dump()
 * lay them out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "msg.h"
#include "nl.h"

#define KERNEL_MSG "s2s9 is not an s2s link"

/* NETLINK_CAP_ACK on: the error carries only our request's header. */
static struct nlmsghdr *capped_error(void *buf, int error)
{
	struct nlmsgerr e = {
		.error = error,
		.msg = { .nlmsg_len = 36, .nlmsg_type = 0x1c, .nlmsg_seq = 7 },
	};

	return test_msg(buf, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS,
			&e, sizeof(e));
}

static void test_capped_error_with_extack(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -ENODEV);

	(void)state;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, KERNEL_MSG);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -ENODEV);
	assert_string_equal(extack, KERNEL_MSG);
}

/* Without NETLINK_CAP_ACK the kernel echoes the whole request, with its
 * attributes, before the TLVs.
 */
static void test_uncapped_error_with_extack(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(req);
	TEST_BUF(buf);
	struct nlmsghdr *echo = test_genl(req, 0x1c, 1);
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	(void)state;
	mnl_attr_put_strz(echo, 2, "s2s9");
	mnl_attr_put_strz(echo, NLMSGERR_ATTR_MSG, "not the message");
	nlh = test_msg(buf, NLMSG_ERROR, NLM_F_ACK_TLVS, NULL,
		       sizeof(int) + echo->nlmsg_len);
	e = mnl_nlmsg_get_payload(nlh);
	e->error = -EPERM;
	memcpy(&e->msg, echo, echo->nlmsg_len);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, KERNEL_MSG);
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EPERM);
	assert_string_equal(extack, KERNEL_MSG);
}

static void test_plain_ack(void **state)
{
	char extack[S2S_NL_EXTACK_MAX] = "stale";
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, 0);

	(void)state;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)), 0);
	assert_string_equal(extack, "");
}

static void test_ack_with_warning(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, 0);

	(void)state;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "deprecated attribute");
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)), 0);
	assert_string_equal(extack, "deprecated attribute");
}

static void test_tlvs_ignored_without_flag(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -EINVAL);

	(void)state;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, KERNEL_MSG);
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "");
}

static void test_truncated_error(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -ENODEV);

	(void)state;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(int);	/* no room for msg */
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EBADMSG);
}

/* A broken TLV after the message must not cost the errno or the text. */
static void test_broken_tlv_keeps_errno(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -EEXIST);

	(void)state;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, KERNEL_MSG);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 1);
	nlh->nlmsg_len -= 2;
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EEXIST);
	assert_string_equal(extack, KERNEL_MSG);
}

static void test_unterminated_message_dropped(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -EINVAL);

	(void)state;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 4, "oops");
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "");
}

static void test_long_message_cut_not_lost(void **state)
{
	char extack[16], longmsg[400];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = capped_error(buf, -EINVAL);

	(void)state;
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	memcpy(longmsg, "abcdefghijklmnop", 16);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, longmsg);
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EINVAL);
	assert_string_equal(extack, "abcdefghijklmno");
}

/* A dump that fails ends with NLMSG_DONE holding the errno and TLVs. */
static void test_done_with_error(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	int error = -EPERM;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	(void)state;
	nlh = test_msg(buf, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS,
		       &error, sizeof(error));
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "not allowed");
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)),
			 -EPERM);
	assert_string_equal(extack, "not allowed");
}

static void test_done_plain(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	int zero = 0;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	(void)state;
	nlh = test_msg(buf, NLMSG_DONE, NLM_F_MULTI, &zero, sizeof(zero));
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)), 0);
	nlh = test_msg(buf, NLMSG_DONE, NLM_F_MULTI, NULL, 0);
	assert_int_equal(s2s_nl_parse_error(nlh, extack, sizeof(extack)), 0);
	assert_string_equal(extack, "");
}

static void test_positive_errno_normalised(void **state)
{
	char extack[S2S_NL_EXTACK_MAX];
	TEST_BUF(buf);

	(void)state;
	assert_int_equal(s2s_nl_parse_error(capped_error(buf, ENOENT), extack,
					    sizeof(extack)), -ENOENT);
}

static void test_strerror(void **state)
{
	char out[S2S_NL_ERR_MAX];

	(void)state;
	assert_string_equal(s2s_nl_strerror(-ENODEV, KERNEL_MSG, out, sizeof(out)),
			    "No such device: " KERNEL_MSG);
	assert_string_equal(s2s_nl_strerror(-ENODEV, "", out, sizeof(out)),
			    "No such device");
	assert_string_equal(s2s_nl_strerror(-EPERM, NULL, out, sizeof(out)),
			    "Operation not permitted");
	assert_string_equal(s2s_nl_strerror(-EINTR, NULL, out, sizeof(out)),
			    "dump interrupted by a concurrent change, try again");
	assert_string_equal(s2s_nl_strerror(-EBADMSG, NULL, out, sizeof(out)),
			    "malformed netlink message from the kernel");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capped_error_with_extack),
		cmocka_unit_test(test_uncapped_error_with_extack),
		cmocka_unit_test(test_plain_ack),
		cmocka_unit_test(test_ack_with_warning),
		cmocka_unit_test(test_tlvs_ignored_without_flag),
		cmocka_unit_test(test_truncated_error),
		cmocka_unit_test(test_broken_tlv_keeps_errno),
		cmocka_unit_test(test_unterminated_message_dropped),
		cmocka_unit_test(test_long_message_cut_not_lost),
		cmocka_unit_test(test_done_with_error),
		cmocka_unit_test(test_done_plain),
		cmocka_unit_test(test_positive_errno_normalised),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
