// SPDX-License-Identifier: GPL-2.0
/* Unit tests: sa-get replies and sa-ntf notifications, their text and
 * JSON output (sa.c, stats.c, output.c). Replies are crafted as the
 * module's s2s_nl_sa_fill() lays them out, plus key attributes the
 * module never sends, to prove none would ever be copied or printed.
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
#include <arpa/inet.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>

#include "attr.h"
#include "msg.h"
#include "output.h"
#include "sa.h"

#define FAMILY 0x1d

static const char ENC_KEY[20] = "TOP-SECRET-KEY-BYTES";
static const char INTEG_KEY[20] = "SECRET-INTEGRITY-KEY";

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const char *text)
{
	uint8_t a[16];

	if (strchr(text, ':')) {
		assert_int_equal(inet_pton(AF_INET6, text, a), 1);
		mnl_attr_put(nlh, type, 16, a);
	} else {
		assert_int_equal(inet_pton(AF_INET, text, a), 1);
		mnl_attr_put(nlh, type, 4, a);
	}
}

static void put_selector(struct nlmsghdr *nlh, uint16_t type,
			 const char *addr, uint8_t plen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	put_addr(nlh, S2S_A_SELECTOR_ADDR, addr);
	mnl_attr_put_u8(nlh, S2S_A_SELECTOR_PREFIX_LEN, plen);
	mnl_attr_nest_end(nlh, nest);
}

static void put_lifetime(struct nlmsghdr *nlh, uint16_t type, uint64_t bytes,
			 uint64_t packets, uint64_t seconds)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, S2S_A_LIFETIME_BYTES, bytes);
	mnl_attr_put_u64(nlh, S2S_A_LIFETIME_PACKETS, packets);
	mnl_attr_put_u64(nlh, S2S_A_LIFETIME_SECONDS, seconds);
	mnl_attr_nest_end(nlh, nest);
}

/* Counters; @drops[reason] for the first @n reasons. */
static void put_stats(struct nlmsghdr *nlh, uint16_t type, uint64_t txp,
		      uint64_t txb, uint64_t rxp, uint64_t rxb,
		      const uint64_t *drops)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	int i;

	/* 64-bit values may come after a pad attribute: it is skipped */
	mnl_attr_put(nlh, S2S_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, S2S_A_STATS_TX_PACKETS, txp);
	mnl_attr_put_u64(nlh, S2S_A_STATS_TX_BYTES, txb);
	mnl_attr_put_u64(nlh, S2S_A_STATS_RX_PACKETS, rxp);
	mnl_attr_put_u64(nlh, S2S_A_STATS_RX_BYTES, rxb);
	for (i = 0; i < __S2S_DROP_COUNT; i++)
		mnl_attr_put_u64(nlh, S2S_A_STATS_DROP_NO_SA + i,
				 drops ? drops[i] : 0);
	mnl_attr_nest_end(nlh, nest);
}

static const uint64_t DROPS[__S2S_DROP_COUNT] = {
	[S2S_DROP_REPLAY] = 3, [S2S_DROP_AUTH] = 1,
};

/* An outbound AES-GCM SA with everything the module reports. */
static struct nlmsghdr *sa_out(void *buf)
{
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);

	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_OUT);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 0xc0010002);
	mnl_attr_put_u32(nlh, S2S_A_SA_ENC, S2S_ENC_AES_GCM);
	/* never sent by the module; if ever, it must go nowhere */
	mnl_attr_put(nlh, S2S_A_SA_ENC_KEY, sizeof(ENC_KEY), ENC_KEY);
	mnl_attr_put_u32(nlh, S2S_A_SA_INTEG, S2S_INTEG_NONE);
	mnl_attr_put(nlh, S2S_A_SA_INTEG_KEY, sizeof(INTEG_KEY), INTEG_KEY);
	mnl_attr_put_u8(nlh, S2S_A_SA_ESN, 1);
	put_addr(nlh, S2S_A_SA_LOCAL, "192.0.2.1");
	put_addr(nlh, S2S_A_SA_REMOTE, "192.0.2.2");
	mnl_attr_put_u16(nlh, S2S_A_SA_ENCAP_SPORT, 4500);
	mnl_attr_put_u16(nlh, S2S_A_SA_ENCAP_DPORT, 4501);
	mnl_attr_put_u64(nlh, S2S_A_SA_SEQ, 3);
	put_selector(nlh, S2S_A_SA_TS_LOCAL, "10.1.0.0", 24);
	put_selector(nlh, S2S_A_SA_TS_LOCAL, "10.1.1.0", 24);
	put_selector(nlh, S2S_A_SA_TS_REMOTE, "10.2.0.0", 16);
	put_lifetime(nlh, S2S_A_SA_SOFT, 1000000, 0, 3600);
	put_lifetime(nlh, S2S_A_SA_HARD, 0, 0, 4000);
	mnl_attr_put_u64(nlh, S2S_A_SA_AGE, 12);
	mnl_attr_put_u8(nlh, S2S_A_SA_LEGACY, 0);
	mnl_attr_put_u32(nlh, S2S_A_SA_STATE, S2S_SA_STATE_SOFT_EXPIRED);
	put_stats(nlh, S2S_A_SA_STATS, 3, 252, 0, 0, DROPS);
	return nlh;
}

/* An inbound IPv6 3DES/HMAC-SHA1 SA, no selectors, no limits. */
static struct nlmsghdr *sa_in_legacy(void *buf)
{
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);

	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_IN);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 4096);
	mnl_attr_put_u32(nlh, S2S_A_SA_ENC, S2S_ENC_DES3_CBC);
	mnl_attr_put_u32(nlh, S2S_A_SA_INTEG, S2S_INTEG_HMAC_SHA1_96);
	mnl_attr_put_u8(nlh, S2S_A_SA_ESN, 0);
	put_addr(nlh, S2S_A_SA_LOCAL, "2001:db8::1");
	put_addr(nlh, S2S_A_SA_REMOTE, "2001:db8::2");
	mnl_attr_put_u16(nlh, S2S_A_SA_ENCAP_SPORT, 0);
	mnl_attr_put_u16(nlh, S2S_A_SA_ENCAP_DPORT, 0);
	mnl_attr_put_u32(nlh, S2S_A_SA_REPLAY_WINDOW, 128);
	mnl_attr_put_u64(nlh, S2S_A_SA_SEQ, 70000);
	put_lifetime(nlh, S2S_A_SA_SOFT, 0, 0, 0);
	put_lifetime(nlh, S2S_A_SA_HARD, 0, 0, 0);
	mnl_attr_put_u64(nlh, S2S_A_SA_AGE, 0);
	mnl_attr_put_u8(nlh, S2S_A_SA_LEGACY, 1);
	mnl_attr_put_u32(nlh, S2S_A_SA_STATE, S2S_SA_STATE_ACTIVE);
	put_stats(nlh, S2S_A_SA_STATS, 0, 0, 7, 700, NULL);
	return nlh;
}

static struct s2s_sa *parse_ok(const struct nlmsghdr *nlh)
{
	struct s2s_sa *sa = malloc(sizeof(*sa));

	assert_non_null(sa);
	assert_int_equal(s2s_sa_parse(nlh, sa), 0);
	return sa;
}

static void test_parse(void **state)
{
	char addr[S2S_PREFIX_STRLEN];
	struct s2s_sa *sa;
	TEST_BUF(buf);

	(void)state;
	sa = parse_ok(sa_out(buf));
	assert_int_equal(sa->ifindex, 5);
	assert_int_equal(sa->dir, S2S_DIR_OUT);
	assert_int_equal(sa->spi, 0xc0010002);
	assert_int_equal(sa->enc, S2S_ENC_AES_GCM);
	assert_int_equal(sa->esn, 1);
	assert_string_equal(s2s_addr_ntop(&sa->local, addr, sizeof(addr)), "192.0.2.1");
	assert_string_equal(s2s_addr_ntop(&sa->remote, addr, sizeof(addr)), "192.0.2.2");
	assert_int_equal(sa->encap_sport, 4500);
	assert_int_equal(sa->encap_dport, 4501);
	assert_int_equal(sa->seq, 3);
	/* repeated nests, in order */
	assert_int_equal(sa->n_ts_local, 2);
	assert_string_equal(s2s_prefix_ntop(&sa->ts_local[1], addr, sizeof(addr)),
			    "10.1.1.0/24");
	assert_int_equal(sa->n_ts_remote, 1);
	assert_int_equal(sa->soft.bytes, 1000000);
	assert_int_equal(sa->soft.seconds, 3600);
	assert_int_equal(sa->hard.seconds, 4000);
	assert_int_equal(sa->age, 12);
	assert_int_equal(sa->state, S2S_SA_STATE_SOFT_EXPIRED);
	assert_int_equal(sa->stats.tx_packets, 3);
	assert_int_equal(sa->stats.tx_bytes, 252);
	assert_int_equal(sa->stats.drops[S2S_DROP_REPLAY], 3);
	assert_int_equal(sa->stats.drops[S2S_DROP_AUTH], 1);
	assert_int_equal(sa->stats.drops[S2S_DROP_NO_SA], 0);
	/* the key attributes were skipped, not copied anywhere */
	assert_false(test_contains(sa, sizeof(*sa), ENC_KEY, 8));
	assert_false(test_contains(sa, sizeof(*sa), INTEG_KEY, 8));
	assert_false(S2S_ATTR_HAS(sa->present, S2S_A_SA_ENC_KEY));
	free(sa);
}

static void test_text(void **state)
{
	char text[S2S_SA_TEXT_MAX];
	struct s2s_sa *sa;
	TEST_BUF(buf);

	(void)state;
	sa = parse_ok(sa_out(buf));
	s2s_sa_format(sa, NULL, "  ", text, sizeof(text));
	assert_string_equal(text,
		"  sa out spi 0xc0010002: aes-gcm, local 192.0.2.1, remote 192.0.2.2, udp 4500 -> 4501, esn, seq 3\n"
		"    selectors: local 10.1.0.0/24 10.1.1.0/24, remote 10.2.0.0/16\n"
		"    lifetime: soft 1000000 bytes 3600 s, hard 4000 s, age 12 s, state soft-expired\n"
		"    traffic: tx 3 packets 252 bytes, rx 0 packets 0 bytes\n"
		"    drops: replay 3, auth 1");
	assert_null(strstr(text, "SECRET"));
	free(sa);

	sa = parse_ok(sa_in_legacy(buf));
	s2s_sa_format(sa, "s2s0", "", text, sizeof(text));
	assert_string_equal(text,
		"s2s0: sa in spi 0x00001000: 3des-cbc/hmac-sha1-96 (legacy), local 2001:db8::1, remote 2001:db8::2, seq 70000, replay-window 128\n"
		"  selectors: local any, remote any\n"
		"  lifetime: soft none, hard none, age 0 s\n"
		"  traffic: tx 0 packets 0 bytes, rx 7 packets 700 bytes\n"
		"  drops: none");
	free(sa);
}

/* Only what the kernel sent is shown; selectors "any" always. */
static void test_text_minimal(void **state)
{
	char text[S2S_SA_TEXT_MAX];
	struct s2s_sa *sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);

	(void)state;
	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_IN);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 256);
	/* a value of a newer spec: shown as a number, not refused */
	mnl_attr_put_u32(nlh, S2S_A_SA_ENC, 9);
	mnl_attr_put_u64(nlh, S2S_A_SA_MAX + 5, 42);
	sa = parse_ok(nlh);
	s2s_sa_format(sa, NULL, "", text, sizeof(text));
	assert_string_equal(text, "sa in spi 0x00000100: enc-9\n"
				  "  selectors: local any, remote any");
	free(sa);
}

static char *json_of(const struct s2s_sa *sa, const char *ifname)
{
	struct json_object *obj = s2s_sa_to_json(sa, ifname);
	char *s;

	assert_non_null(obj);
	s = strdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return s;
}

#define ZERO_DROPS "\"no_sa\":0,\"seq_exhausted\":0,\"too_big\":0,\"no_route\":0," \
	"\"tx_error\":0,\"malformed\":0"
#define LATE_ZERO_DROPS "\"padding\":0,\"selector\":0,\"expired\":0," \
	"\"link_down\":0,\"rx_error\":0"

static void test_json(void **state)
{
	struct s2s_sa *sa;
	TEST_BUF(buf);
	char *s;

	(void)state;
	sa = parse_ok(sa_out(buf));
	s = json_of(sa, "s2s0");
	assert_string_equal(s,
		"{\"ifname\":\"s2s0\",\"ifindex\":5,\"dir\":\"out\",\"spi\":3221291010,"
		"\"enc\":\"aes-gcm\",\"integ\":\"none\",\"legacy\":false,\"esn\":true,"
		"\"local\":\"192.0.2.1\",\"remote\":\"192.0.2.2\","
		"\"encap_sport\":4500,\"encap_dport\":4501,\"seq\":3,"
		"\"ts_local\":[\"10.1.0.0/24\",\"10.1.1.0/24\"],"
		"\"ts_remote\":[\"10.2.0.0/16\"],"
		"\"soft\":{\"bytes\":1000000,\"packets\":0,\"seconds\":3600},"
		"\"hard\":{\"bytes\":0,\"packets\":0,\"seconds\":4000},"
		"\"age\":12,\"state\":\"soft-expired\","
		"\"stats\":{\"tx_packets\":3,\"tx_bytes\":252,\"rx_packets\":0,\"rx_bytes\":0,"
		"\"drops\":{" ZERO_DROPS ",\"replay\":3,\"auth\":1," LATE_ZERO_DROPS "}}}");
	assert_null(strstr(s, "SECRET"));
	assert_null(strstr(s, "key"));
	free(s);
	free(sa);

	sa = parse_ok(sa_in_legacy(buf));
	s = json_of(sa, NULL);
	assert_string_equal(s,
		"{\"ifindex\":5,\"dir\":\"in\",\"spi\":4096,"
		"\"enc\":\"3des-cbc\",\"integ\":\"hmac-sha1-96\",\"legacy\":true,\"esn\":false,"
		"\"local\":\"2001:db8::1\",\"remote\":\"2001:db8::2\","
		"\"encap_sport\":0,\"encap_dport\":0,\"replay_window\":128,\"seq\":70000,"
		"\"ts_local\":[],\"ts_remote\":[],"
		"\"soft\":{\"bytes\":0,\"packets\":0,\"seconds\":0},"
		"\"hard\":{\"bytes\":0,\"packets\":0,\"seconds\":0},"
		"\"age\":0,\"state\":\"active\","
		"\"stats\":{\"tx_packets\":0,\"tx_bytes\":0,\"rx_packets\":7,\"rx_bytes\":700,"
		"\"drops\":{" ZERO_DROPS ",\"replay\":0,\"auth\":0," LATE_ZERO_DROPS "}}}");
	free(s);
	free(sa);
}

/* Our own table marks legacy algorithms even without the kernel's flag. */
static void test_legacy_without_flag(void **state)
{
	char text[S2S_SA_TEXT_MAX];
	struct s2s_sa *sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);

	(void)state;
	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_OUT);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 0x1234);
	mnl_attr_put_u32(nlh, S2S_A_SA_ENC, S2S_ENC_AES_CBC);
	mnl_attr_put_u32(nlh, S2S_A_SA_INTEG, S2S_INTEG_HMAC_SHA1_96);
	sa = parse_ok(nlh);
	s2s_sa_format(sa, NULL, "", text, sizeof(text));
	assert_non_null(strstr(text, ": aes-cbc/hmac-sha1-96 (legacy)\n"));
	free(sa);
}

static struct nlmsghdr *ntf(void *buf, uint32_t event)
{
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_NTF);

	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_OUT);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 0xc0010002);
	mnl_attr_put_u32(nlh, S2S_A_SA_EVENT, event);
	put_stats(nlh, S2S_A_SA_STATS, 3, 252, 0, 0, DROPS);
	return nlh;
}

static void test_event(void **state)
{
	char line[512];
	struct s2s_sa *sa;
	TEST_BUF(buf);
	char *s;

	(void)state;
	sa = parse_ok(ntf(buf, S2S_EVENT_SOFT_EXPIRE));
	s2s_sa_format_event(sa, "s2s0", line, sizeof(line));
	assert_string_equal(line,
		"soft-expire s2s0 sa out spi 0xc0010002: tx 3 packets 252 bytes, rx 0 packets 0 bytes; drops: replay 3, auth 1");
	s = json_of(sa, "s2s0");
	assert_string_equal(s,
		"{\"event\":\"soft-expire\",\"ifname\":\"s2s0\",\"ifindex\":5,\"dir\":\"out\","
		"\"spi\":3221291010,"
		"\"stats\":{\"tx_packets\":3,\"tx_bytes\":252,\"rx_packets\":0,\"rx_bytes\":0,"
		"\"drops\":{" ZERO_DROPS ",\"replay\":3,\"auth\":1," LATE_ZERO_DROPS "}}}");
	free(s);
	free(sa);

	/* the link is gone (no name) and the event is a newer one */
	sa = parse_ok(ntf(buf, 42));
	s2s_sa_format_event(sa, NULL, line, sizeof(line));
	assert_string_equal(line,
		"event-42 ifindex 5 sa out spi 0xc0010002: tx 3 packets 252 bytes, rx 0 packets 0 bytes; drops: replay 3, auth 1");
	free(sa);
}

static void test_event_names(void **state)
{
	static const char *const names[] = {
		"soft-expire", "hard-expire", "seq-exhausted", "replay-burst",
		"auth-burst",
	};
	char buf[24];
	uint32_t i;

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), __S2S_EVENT_COUNT);
	for (i = 0; i < __S2S_EVENT_COUNT; i++)
		assert_string_equal(s2s_event_name(i, buf, sizeof(buf)), names[i]);
	assert_string_equal(s2s_dir_name(S2S_DIR_IN), "in");
	assert_string_equal(s2s_dir_name(S2S_DIR_OUT), "out");
	assert_string_equal(s2s_dir_name(2), "?");
}

static void test_drop_names(void **state)
{
	unsigned int i;

	(void)state;
	/* JSON keys are the spec's names with '_' */
	for (i = 0; i < __S2S_DROP_COUNT; i++) {
		char want[32];
		size_t j;

		snprintf(want, sizeof(want), "%s", s2s_drop_name(i));
		for (j = 0; want[j]; j++)
			if (want[j] == '-')
				want[j] = '_';
		assert_string_equal(s2s_drop_json_key(i), want);
	}
	assert_string_equal(s2s_drop_name(S2S_DROP_SEQ_EXHAUSTED), "seq-exhausted");
	assert_string_equal(s2s_drop_name(S2S_DROP_RX_ERROR), "rx-error");
	assert_string_equal(s2s_drop_name(__S2S_DROP_COUNT), "?");
}

static void parse_fails(const struct nlmsghdr *nlh)
{
	struct s2s_sa *sa = malloc(sizeof(*sa));

	assert_non_null(sa);
	assert_int_equal(s2s_sa_parse(nlh, sa), -EBADMSG);
	free(sa);
}

static struct nlmsghdr *sa_id(void *buf)
{
	struct nlmsghdr *nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);

	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_IN);
	mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 256);
	return nlh;
}

static void test_malformed(void **state)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	TEST_BUF(buf);
	int i;

	(void)state;
	nlh = test_genl(buf, FAMILY, S2S_CMD_SA_GET);
	mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, 5);
	mnl_attr_put_u32(nlh, S2S_A_SA_DIR, S2S_DIR_IN);
	parse_fails(nlh);			/* no SPI */

	nlh = sa_id(buf);
	mnl_attr_put(nlh, S2S_A_SA_LOCAL, 5, "\1\2\3\4\5");
	parse_fails(nlh);			/* neither IPv4 nor IPv6 */

	nlh = sa_id(buf);
	mnl_attr_put_u16(nlh, S2S_A_SA_SPI + 100, 1);	/* unknown: fine */
	mnl_attr_put_u16(nlh, S2S_A_SA_ESN, 1);		/* u8 in the spec */
	parse_fails(nlh);

	nlh = sa_id(buf);
	nest = mnl_attr_nest_start(nlh, S2S_A_SA_TS_LOCAL);
	put_addr(nlh, S2S_A_SELECTOR_ADDR, "10.0.0.0");
	mnl_attr_nest_end(nlh, nest);
	parse_fails(nlh);			/* selector without a length */

	nlh = sa_id(buf);
	put_selector(nlh, S2S_A_SA_TS_REMOTE, "10.0.0.0", 33);
	parse_fails(nlh);			/* /33 is no IPv4 prefix */

	nlh = sa_id(buf);
	nest = mnl_attr_nest_start(nlh, S2S_A_SA_STATS);
	mnl_attr_put_u32(nlh, S2S_A_STATS_RX_BYTES, 1);	/* u64 in the spec */
	mnl_attr_nest_end(nlh, nest);
	parse_fails(nlh);

	nlh = sa_id(buf);
	for (i = 0; i <= S2S_SA_SELECTORS_MAX; i++)
		put_selector(nlh, S2S_A_SA_TS_LOCAL, "10.0.0.0", 8);
	parse_fails(nlh);			/* more than we keep */
}

static char *output(const struct s2s_link_list *links,
		    const struct s2s_sa_list *sas, bool json, bool by_link)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	if (by_link)
		assert_int_equal(s2s_output_links(f, links, sas, json), 0);
	else
		assert_int_equal(s2s_output_sas(f, links, sas, json), 0);
	fclose(f);
	return text;
}

/* Two links, the first with two SAs, the second with none. */
static void test_output(void **state)
{
	struct s2s_link_list links = { 0 };
	struct s2s_sa_list sas = { 0 };
	struct s2s_link link = { 0 };
	struct s2s_sa *sa;
	TEST_BUF(buf);
	char *text;

	(void)state;
	link.ifindex = 5;
	snprintf(link.ifname, sizeof(link.ifname), "s2s0");
	s2s_link_list_add(&links, &link);
	link.ifindex = 6;
	snprintf(link.ifname, sizeof(link.ifname), "s2s1");
	s2s_link_list_add(&links, &link);
	sa = parse_ok(sa_out(buf));
	s2s_sa_list_add(&sas, sa);
	free(sa);
	sa = parse_ok(sa_in_legacy(buf));
	s2s_sa_list_add(&sas, sa);
	free(sa);

	text = output(&links, &sas, false, true);
	assert_string_equal(text,
		"s2s0:\n"
		"  sa out spi 0xc0010002: aes-gcm, local 192.0.2.1, remote 192.0.2.2, udp 4500 -> 4501, esn, seq 3\n"
		"    selectors: local 10.1.0.0/24 10.1.1.0/24, remote 10.2.0.0/16\n"
		"    lifetime: soft 1000000 bytes 3600 s, hard 4000 s, age 12 s, state soft-expired\n"
		"    traffic: tx 3 packets 252 bytes, rx 0 packets 0 bytes\n"
		"    drops: replay 3, auth 1\n"
		"  sa in spi 0x00001000: 3des-cbc/hmac-sha1-96 (legacy), local 2001:db8::1, remote 2001:db8::2, seq 70000, replay-window 128\n"
		"    selectors: local any, remote any\n"
		"    lifetime: soft none, hard none, age 0 s\n"
		"    traffic: tx 0 packets 0 bytes, rx 7 packets 700 bytes\n"
		"    drops: none\n"
		"\n"
		"s2s1:\n");
	free(text);

	text = output(&links, &sas, true, true);
	assert_non_null(strstr(text, "[{\"ifname\":\"s2s0\",\"ifindex\":5,\"sas\":[{\"ifname\":\"s2s0\",\"ifindex\":5,\"dir\":\"out\""));
	assert_non_null(strstr(text, "{\"ifname\":\"s2s0\",\"ifindex\":5,\"dir\":\"in\",\"spi\":4096,"));
	assert_non_null(strstr(text, "{\"ifname\":\"s2s1\",\"ifindex\":6,\"sas\":[]}]\n"));
	free(text);

	text = output(&links, &sas, false, false);
	assert_non_null(strstr(text, "s2s0: sa out spi 0xc0010002: aes-gcm,"));
	assert_non_null(strstr(text, "\n  drops: replay 3, auth 1\ns2s0: sa in spi 0x00001000"));
	free(text);

	/* no link list: the SAs are named by ifindex in JSON only */
	text = output(NULL, &sas, true, false);
	assert_true(strncmp(text, "[{\"ifindex\":5,\"dir\":\"out\"", 25) == 0);
	free(text);

	s2s_sa_list_clear(&sas);
	text = output(&links, &sas, true, false);
	assert_string_equal(text, "[]\n");
	free(text);
	s2s_sa_list_clear(&sas);
	s2s_link_list_clear(&links);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_minimal),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_legacy_without_flag),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_output),
	};

	return cmocka_run_group_tests_name("sa", tests, NULL, NULL);
}
