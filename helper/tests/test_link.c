// SPDX-License-Identifier: GPL-2.0
/* Unit tests: link-get replies, their text and JSON output, the link
 * list (link.c, output.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "link.h"
#include "msg.h"
#include "output.h"

#define FAMILY 0x1d

/* A link-get reply as the module sends it. */
static struct nlmsghdr *link_reply(void *buf, uint32_t ifindex,
				   const char *name, uint32_t if_id,
				   uint32_t mtu, uint8_t up)
{
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_GET);

	mnl_attr_put_u32(nlh, S2S_A_LINK_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, name);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IF_ID, if_id);
	mnl_attr_put_u32(nlh, S2S_A_LINK_MTU, mtu);
	mnl_attr_put_u8(nlh, S2S_A_LINK_OPER_UP, up);
	return nlh;
}

static void parse_ok(const struct nlmsghdr *nlh, struct s2s_link *link)
{
	assert_int_equal(s2s_link_parse(nlh, link), 0);
}

static void test_parse(void **state)
{
	struct s2s_link link;
	TEST_BUF(buf);

	(void)state;
	parse_ok(link_reply(buf, 5, "s2s0", 7, 1438, 1), &link);
	assert_int_equal(link.ifindex, 5);
	assert_string_equal(link.ifname, "s2s0");
	assert_int_equal(link.if_id, 7);
	assert_int_equal(link.mtu, 1438);
	assert_int_equal(link.oper_up, 1);
}

static void test_text(void **state)
{
	struct s2s_link link;
	char line[128];
	TEST_BUF(buf);

	(void)state;
	parse_ok(link_reply(buf, 5, "s2s0", 0, 1400, 0), &link);
	s2s_link_format(&link, line, sizeof(line));
	assert_string_equal(line, "s2s0: if-id 0, mtu 1400, down");
	parse_ok(link_reply(buf, 6, "wan-tun", 4242, 1380, 1), &link);
	s2s_link_format(&link, line, sizeof(line));
	assert_string_equal(line, "wan-tun: if-id 4242, mtu 1380, up");
}

static void test_text_shows_only_what_was_sent(void **state)
{
	struct s2s_link link;
	char line[128];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_GET);

	(void)state;
	mnl_attr_put_u32(nlh, S2S_A_LINK_IFINDEX, 3);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, "s2s1");
	mnl_attr_put_u8(nlh, S2S_A_LINK_OPER_UP, 1);
	parse_ok(nlh, &link);
	s2s_link_format(&link, line, sizeof(line));
	assert_string_equal(line, "s2s1: up");
}

static void test_text_cut(void **state)
{
	struct s2s_link link;
	char line[10];
	TEST_BUF(buf);

	(void)state;
	parse_ok(link_reply(buf, 5, "s2s0", 0, 1400, 0), &link);
	assert_int_equal(s2s_link_format(&link, line, sizeof(line)),
			 strlen("s2s0: if-id 0, mtu 1400, down"));
	assert_string_equal(line, "s2s0: if-");
}

static void test_json(void **state)
{
	struct json_object *obj;
	struct s2s_link link;
	TEST_BUF(buf);

	(void)state;
	parse_ok(link_reply(buf, 5, "s2s0", 7, 1400, 1), &link);
	obj = s2s_link_to_json(&link);
	assert_non_null(obj);
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
			    "{\"ifname\":\"s2s0\",\"ifindex\":5,\"if_id\":7,"
			    "\"mtu\":1400,\"oper_up\":true}");
	json_object_put(obj);
}

/* What the data-plane module adds: settings, overhead, counters. */
static struct nlmsghdr *link_reply_full(void *buf, uint8_t with_overhead)
{
	struct nlmsghdr *nlh = link_reply(buf, 5, "s2s0", 7, 1438, 1);
	struct nlattr *nest;
	int i;

	mnl_attr_put_u32(nlh, S2S_A_LINK_REPLAY_WINDOW, 64);
	mnl_attr_put_u8(nlh, S2S_A_LINK_DSCP_COPY, 1);
	if (with_overhead)
		mnl_attr_put_u32(nlh, S2S_A_LINK_OVERHEAD, 57);
	nest = mnl_attr_nest_start(nlh, S2S_A_LINK_STATS);
	mnl_attr_put_u64(nlh, S2S_A_STATS_TX_PACKETS, 10);
	mnl_attr_put_u64(nlh, S2S_A_STATS_TX_BYTES, 1200);
	mnl_attr_put_u64(nlh, S2S_A_STATS_RX_PACKETS, 8);
	mnl_attr_put_u64(nlh, S2S_A_STATS_RX_BYTES, 960);
	for (i = 0; i < __S2S_DROP_COUNT; i++)
		mnl_attr_put_u64(nlh, S2S_A_STATS_DROP_NO_SA + i,
				 i == S2S_DROP_REPLAY ? 3 :
				 i == S2S_DROP_AUTH ? 1 :
				 i == S2S_DROP_NO_SA ? 2 : 0);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_data_plane_attributes(void **state)
{
	char text[S2S_LINK_TEXT_MAX];
	struct json_object *obj;
	struct s2s_link link;
	TEST_BUF(buf);

	(void)state;
	parse_ok(link_reply_full(buf, 1), &link);
	assert_int_equal(link.replay_window, 64);
	assert_int_equal(link.dscp_copy, 1);
	assert_int_equal(link.overhead, 57);
	assert_int_equal(link.stats.rx_bytes, 960);
	assert_int_equal(link.stats.drops[S2S_DROP_REPLAY], 3);
	s2s_link_format(&link, text, sizeof(text));
	/* non-zero drop reasons only, by the spec's names, in its order */
	assert_string_equal(text,
		"s2s0: if-id 7, mtu 1438, up, replay-window 64, dscp-copy on, overhead 57\n"
		"  traffic: tx 10 packets 1200 bytes, rx 8 packets 960 bytes\n"
		"  drops: no-sa 2, replay 3, auth 1");
	obj = s2s_link_to_json(&link);
	assert_non_null(obj);
	/* every drop reason in JSON, zeros included */
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
		"{\"ifname\":\"s2s0\",\"ifindex\":5,\"if_id\":7,\"mtu\":1438,"
		"\"oper_up\":true,\"replay_window\":64,\"dscp_copy\":true,\"overhead\":57,"
		"\"stats\":{\"tx_packets\":10,\"tx_bytes\":1200,\"rx_packets\":8,"
		"\"rx_bytes\":960,\"drops\":{\"no_sa\":2,\"seq_exhausted\":0,"
		"\"too_big\":0,\"no_route\":0,\"tx_error\":0,\"malformed\":0,"
		"\"replay\":3,\"auth\":1,\"padding\":0,\"selector\":0,"
		"\"expired\":0,\"link_down\":0,\"rx_error\":0}}}");
	json_object_put(obj);

	/* no outbound SA: no overhead attribute, none shown */
	parse_ok(link_reply_full(buf, 0), &link);
	s2s_link_format(&link, text, sizeof(text));
	assert_true(strncmp(text, "s2s0: if-id 7, mtu 1438, up, replay-window 64, dscp-copy on\n", 60) == 0);
}

static void test_cfg_parse(void **state)
{
	char *ok[] = { "dscp-copy", "off", "if-id", "0x10", "replay-window", "2048" };
	char *twice[] = { "if-id", "1", "if-id", "2" };
	char *bad[] = { "if-id", "-1" };
	char *onoff[] = { "dscp-copy", "yes" };
	char *unknown[] = { "mtu", "1400" };
	char *novalue[] = { "replay-window" };
	struct s2s_link_cfg cfg;
	struct nlattr *attr;
	struct nlmsghdr *nlh;
	char err[128];
	TEST_BUF(buf);
	int n = 0;

	(void)state;
	assert_int_equal(s2s_link_cfg_parse(&cfg, 6, ok, err, sizeof(err)), 0);
	assert_int_equal(cfg.if_id, 16);
	assert_int_equal(cfg.replay_window, 2048);
	assert_false(cfg.dscp_copy);
	nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_SET);
	assert_int_equal(s2s_link_cfg_put(&cfg, nlh, TEST_MSG_SIZE), 0);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		switch (n++) {
		case 0:
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_IF_ID);
			assert_int_equal(mnl_attr_get_u32(attr), 16);
			break;
		case 1:
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_REPLAY_WINDOW);
			assert_int_equal(mnl_attr_get_u32(attr), 2048);
			break;
		case 2:
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_DSCP_COPY);
			assert_int_equal(mnl_attr_get_payload_len(attr), 1);
			assert_int_equal(mnl_attr_get_u8(attr), 0);
			break;
		}
	}
	assert_int_equal(n, 3);

	assert_int_equal(s2s_link_cfg_parse(&cfg, 0, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "nothing to set: give if-id, replay-window, dscp-copy, ike-status or ike-reason");
	assert_int_equal(s2s_link_cfg_parse(&cfg, 4, twice, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "if-id given twice");
	assert_int_equal(s2s_link_cfg_parse(&cfg, 2, bad, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "if-id: '-1' is not a 32-bit number");
	assert_int_equal(s2s_link_cfg_parse(&cfg, 2, onoff, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "dscp-copy: 'yes' is not on or off");
	assert_int_equal(s2s_link_cfg_parse(&cfg, 2, unknown, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown argument 'mtu'");
	assert_int_equal(s2s_link_cfg_parse(&cfg, 1, novalue, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "replay-window: needs a value");
}

/* The IKE status s2sd reports: text line, JSON, and the link-set words. */
static void test_ike_status(void **state)
{
	char *set[] = { "ike-status", "phase2-failed", "ike-reason", "lan: traffic selectors unacceptable" };
	char *num[] = { "ike-status", "9" };
	char *bad[] = { "ike-status", "up" };
	char text[S2S_LINK_TEXT_MAX];
	struct s2s_link_cfg cfg;
	struct json_object *obj;
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	struct s2s_link link;
	char err[160];
	TEST_BUF(buf);
	int n = 0;

	(void)state;
	/* nobody reported: said so, not invented */
	nlh = link_reply(buf, 5, "s2s0", 7, 1438, 1);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IKE_STATUS, S2S_IKE_STATUS_UNKNOWN);
	parse_ok(nlh, &link);
	s2s_link_format(&link, text, sizeof(text));
	assert_string_equal(text, "s2s0: if-id 7, mtu 1438, up\n"
			    "  ike: unknown (s2sd is not reporting)");
	obj = s2s_link_to_json(&link);
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
		"{\"ifname\":\"s2s0\",\"ifindex\":5,\"if_id\":7,\"mtu\":1438,"
		"\"oper_up\":true,\"ike_status\":\"unknown\",\"ike_reason\":null}");
	json_object_put(obj);

	nlh = link_reply(buf, 5, "s2s0", 7, 1438, 1);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IKE_STATUS, S2S_IKE_STATUS_PHASE2_FAILED);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IKE_REASON, "lan: traffic selectors unacceptable");
	parse_ok(nlh, &link);
	s2s_link_format(&link, text, sizeof(text));
	assert_string_equal(text, "s2s0: if-id 7, mtu 1438, up\n"
			    "  ike: phase 2 failed (lan: traffic selectors unacceptable)");
	obj = s2s_link_to_json(&link);
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
		"{\"ifname\":\"s2s0\",\"ifindex\":5,\"if_id\":7,\"mtu\":1438,"
		"\"oper_up\":true,\"ike_status\":\"phase2-failed\","
		"\"ike_reason\":\"lan: traffic selectors unacceptable\"}");
	json_object_put(obj);

	/* a newer module's status: its number, not a guess */
	nlh = link_reply(buf, 5, "s2s0", 7, 1438, 1);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IKE_STATUS, 17);
	parse_ok(nlh, &link);
	s2s_link_format(&link, text, sizeof(text));
	assert_string_equal(text, "s2s0: if-id 7, mtu 1438, up\n  ike: status 17");

	assert_int_equal(s2s_link_cfg_parse(&cfg, 4, set, err, sizeof(err)), 0);
	assert_int_equal(cfg.ike_status, S2S_IKE_STATUS_PHASE2_FAILED);
	nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_SET);
	assert_int_equal(s2s_link_cfg_put(&cfg, nlh, TEST_MSG_SIZE), 0);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (n++ == 0) {
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_IKE_STATUS);
			assert_int_equal(mnl_attr_get_u32(attr), S2S_IKE_STATUS_PHASE2_FAILED);
		} else {
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_IKE_REASON);
			assert_string_equal(mnl_attr_get_str(attr),
					    "lan: traffic selectors unacceptable");
		}
	}
	assert_int_equal(n, 2);
	/* s2sd's reports lapse with its socket: a flag, after the report */
	cfg.given |= 1ULL << S2S_A_LINK_IKE_UNTIL_CLOSE;
	nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_SET);
	assert_int_equal(s2s_link_cfg_put(&cfg, nlh, TEST_MSG_SIZE), 0);
	n = 0;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (n++ == 2) {
			assert_int_equal(mnl_attr_get_type(attr), S2S_A_LINK_IKE_UNTIL_CLOSE);
			assert_int_equal(mnl_attr_get_payload_len(attr), 0);
		}
	}
	assert_int_equal(n, 3);
	/* numbers go to the kernel, which judges them */
	assert_int_equal(s2s_link_cfg_parse(&cfg, 2, num, err, sizeof(err)), 0);
	assert_int_equal(cfg.ike_status, 9);
	assert_int_equal(s2s_link_cfg_parse(&cfg, 2, bad, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "ike-status: 'up' is not a status (unknown, connecting, connected, phase1-failed, phase2-failed, down)");
}

static void test_future_attribute_ignored(void **state)
{
	struct s2s_link link;
	char line[128];
	TEST_BUF(buf);
	struct nlmsghdr *nlh = link_reply(buf, 5, "s2s0", 1, 1400, 0);

	(void)state;
	mnl_attr_put_u64(nlh, S2S_A_LINK_MAX + 10, 123456789);
	parse_ok(nlh, &link);
	s2s_link_format(&link, line, sizeof(line));
	assert_string_equal(line, "s2s0: if-id 1, mtu 1400, down");
}

static void test_missing_name_rejected(void **state)
{
	struct s2s_link link;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_GET);

	(void)state;
	mnl_attr_put_u32(nlh, S2S_A_LINK_IFINDEX, 3);
	mnl_attr_put_u32(nlh, S2S_A_LINK_MTU, 1400);
	assert_int_equal(s2s_link_parse(nlh, &link), -EBADMSG);
}

static void test_malformed_rejected(void **state)
{
	struct s2s_link link;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	(void)state;
	/* 16 characters: one more than an interface name can have */
	nlh = link_reply(buf, 5, "0123456789abcdef", 0, 1400, 0);
	assert_int_equal(s2s_link_parse(nlh, &link), -EBADMSG);
	nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_GET);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IFINDEX, 3);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, "s2s0");
	mnl_attr_put_u32(nlh, S2S_A_LINK_OPER_UP, 1);	/* u8 in the spec */
	assert_int_equal(s2s_link_parse(nlh, &link), -EBADMSG);
	nlh = link_reply(buf, 5, "s2s0", 0, 1400, 0);
	nlh->nlmsg_len -= 3;	/* only the last attribute's padding: fine */
	assert_int_equal(s2s_link_parse(nlh, &link), 0);
	nlh->nlmsg_len -= 1;	/* into its payload */
	assert_int_equal(s2s_link_parse(nlh, &link), -EBADMSG);
}

static void test_list_find_if_id(void **state)
{
	struct s2s_link_list list = { 0 };
	const struct s2s_link *found;
	struct s2s_link link;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;
	char name[IFNAMSIZ];
	uint32_t i;

	(void)state;
	for (i = 0; i < 20; i++) {	/* more than the first allocation */
		snprintf(name, sizeof(name), "s2s%u", i);
		parse_ok(link_reply(buf, 100 + i, name, i, 1400, 1), &link);
		assert_int_equal(s2s_link_list_add(&list, &link), 0);
	}
	nlh = test_genl(buf, FAMILY, S2S_CMD_LINK_GET);
	mnl_attr_put_u32(nlh, S2S_A_LINK_IFINDEX, 200);
	mnl_attr_put_strz(nlh, S2S_A_LINK_IFNAME, "noid");
	parse_ok(nlh, &link);
	assert_int_equal(s2s_link_list_add(&list, &link), 0);
	assert_int_equal(list.n, 21);
	found = s2s_link_list_find_if_id(&list, 13);
	assert_non_null(found);
	assert_string_equal(found->ifname, "s2s13");
	assert_int_equal(found->ifindex, 113);
	/* if-id 0 means unset: s2s0 has it, and must still not match */
	assert_null(s2s_link_list_find_if_id(&list, 0));
	assert_null(s2s_link_list_find_if_id(&list, 20));
	s2s_link_list_clear(&list);
	assert_int_equal(list.n, 0);
	assert_null(list.links);
}

static char *output(const struct s2s_link_list *list, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(s2s_output_links(f, list, NULL, json), 0);
	fclose(f);
	return text;
}

static void test_output(void **state)
{
	struct s2s_link_list list = { 0 };
	struct s2s_link link;
	TEST_BUF(buf);
	char *text;

	(void)state;
	text = output(&list, true);
	assert_string_equal(text, "[]\n");
	free(text);
	text = output(&list, false);
	assert_string_equal(text, "");
	free(text);
	parse_ok(link_reply(buf, 5, "s2s0", 0, 1400, 0), &link);
	s2s_link_list_add(&list, &link);
	/* names may hold a quote: JSON output must escape it */
	parse_ok(link_reply(buf, 9, "s2s\"1", 7, 1380, 1), &link);
	s2s_link_list_add(&list, &link);
	text = output(&list, false);
	assert_string_equal(text, "s2s0: if-id 0, mtu 1400, down\n"
				  "\n"
				  "s2s\"1: if-id 7, mtu 1380, up\n");
	free(text);
	text = output(&list, true);
	assert_string_equal(text,
		"[{\"ifname\":\"s2s0\",\"ifindex\":5,\"if_id\":0,\"mtu\":1400,\"oper_up\":false},"
		"{\"ifname\":\"s2s\\\"1\",\"ifindex\":9,\"if_id\":7,\"mtu\":1380,\"oper_up\":true}]\n");
	free(text);
	s2s_link_list_clear(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_shows_only_what_was_sent),
		cmocka_unit_test(test_text_cut),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_data_plane_attributes),
		cmocka_unit_test(test_cfg_parse),
		cmocka_unit_test(test_ike_status),
		cmocka_unit_test(test_future_attribute_ignored),
		cmocka_unit_test(test_missing_name_rejected),
		cmocka_unit_test(test_malformed_rejected),
		cmocka_unit_test(test_list_find_if_id),
		cmocka_unit_test(test_output),
	};

	return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
