// SPDX-License-Identifier: GPL-2.0
/* Unit tests: `s2sctl sa add|set|del|get|flush` words into requests
 * (sareq.c). The built messages are walked attribute by attribute, as
 * the module's policy would see them.
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
#include <unistd.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "keys.h"
#include "msg.h"
#include "sareq.h"

#define FAMILY 0x1d
#define MAX_WORDS 64
#define MAX_ATTRS 64

#define GCM_KEY "00112233445566778899aabbccddeeff" "c0ffee01"	/* + salt */

/* Words from a string, in writable memory as argv is. */
struct words {
	char *text;
	int argc;
	char *argv[MAX_WORDS];
};

static void split(struct words *w, const char *line)
{
	char *save = NULL, *tok;

	w->text = strdup(line);
	assert_non_null(w->text);
	w->argc = 0;
	for (tok = strtok_r(w->text, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		w->argv[w->argc++] = tok;
}

struct fixture {
	struct s2s_sa_req *req;
	char err[S2S_SA_REQ_ERR_MAX];
	struct words w;
	TEST_BUF(buf);
	const struct nlattr *attrs[MAX_ATTRS];
	int n_attrs;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->req = s2s_secret_alloc(sizeof(*f->req));
	*state = f;
	return f->req ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	s2s_secret_free(f->req, sizeof(*f->req));
	free(f->w.text);
	free(f);
	return 0;
}

static int parse_fd(struct fixture *f, enum s2s_sa_op op, const char *line,
		    int fd)
{
	free(f->w.text);
	memset(f->req, 0, sizeof(*f->req));
	split(&f->w, line);
	return s2s_sa_req_parse(f->req, op, f->w.argc, f->w.argv, fd, f->err,
				sizeof(f->err));
}

static int parse(struct fixture *f, enum s2s_sa_op op, const char *line)
{
	return parse_fd(f, op, line, -1);
}

/* Build the request and index its top-level attributes, in order. */
static void build(struct fixture *f, uint32_t ifindex, uint8_t cmd)
{
	struct nlmsghdr *nlh = test_genl(f->buf, FAMILY, cmd);
	const struct nlattr *attr;

	assert_int_equal(s2s_sa_req_put(f->req, ifindex, nlh, TEST_MSG_SIZE), 0);
	f->n_attrs = 0;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		assert_true(f->n_attrs < MAX_ATTRS);
		f->attrs[f->n_attrs++] = attr;
	}
}

static void expect_types(struct fixture *f, const uint16_t *types, int n)
{
	int i;

	for (i = 0; i < n && i < f->n_attrs; i++)
		if (mnl_attr_get_type(f->attrs[i]) != types[i])
			fail_msg("attribute %d is type %u, expected %u", i,
				 mnl_attr_get_type(f->attrs[i]), types[i]);
	assert_int_equal(f->n_attrs, n);
}

static void expect_addr(const struct nlattr *attr, int family,
			const char *text)
{
	size_t len = family == AF_INET ? 4 : 16;
	uint8_t a[16];

	assert_int_equal(inet_pton(family, text, a), 1);
	assert_int_equal(mnl_attr_get_payload_len(attr), len);
	assert_memory_equal(mnl_attr_get_payload(attr), a, len);
}

/* A selector nest: exactly ADDR then PREFIX_LEN. */
static void expect_selector(const struct nlattr *nest, int family,
			    const char *addr, uint8_t plen)
{
	const struct nlattr *inner[4];
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each_nested(attr, nest) {
		assert_true(n < 4);
		inner[n++] = attr;
	}
	assert_int_equal(n, 2);
	assert_int_equal(mnl_attr_get_type(inner[0]), S2S_A_SELECTOR_ADDR);
	expect_addr(inner[0], family, addr);
	assert_int_equal(mnl_attr_get_type(inner[1]), S2S_A_SELECTOR_PREFIX_LEN);
	assert_int_equal(mnl_attr_get_payload_len(inner[1]), 1);
	assert_int_equal(mnl_attr_get_u8(inner[1]), plen);
}

/* A lifetime nest holding exactly the (type, value) pairs given. */
static void expect_lifetime(const struct nlattr *nest, int n,
			    const uint16_t *types, const uint64_t *vals)
{
	const struct nlattr *attr;
	int i = 0;

	mnl_attr_for_each_nested(attr, nest) {
		assert_true(i < n);
		assert_int_equal(mnl_attr_get_type(attr), types[i]);
		assert_int_equal(mnl_attr_get_payload_len(attr), 8);
		assert_int_equal(mnl_attr_get_u64(attr), vals[i]);
		i++;
	}
	assert_int_equal(i, n);
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void test_add_full(void **state)
{
	static const uint16_t types[] = {
		S2S_A_SA_IFINDEX, S2S_A_SA_DIR, S2S_A_SA_SPI, S2S_A_SA_ENC,
		S2S_A_SA_ENC_KEY, S2S_A_SA_ESN, S2S_A_SA_LOCAL, S2S_A_SA_REMOTE,
		S2S_A_SA_ENCAP_SPORT, S2S_A_SA_ENCAP_DPORT,
		S2S_A_SA_REPLAY_WINDOW, S2S_A_SA_SEQ, S2S_A_SA_TS_LOCAL,
		S2S_A_SA_TS_LOCAL, S2S_A_SA_TS_REMOTE, S2S_A_SA_SOFT,
		S2S_A_SA_HARD,
	};
	static const uint8_t key[20] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
		0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xc0, 0xff, 0xee, 0x01,
	};
	struct fixture *f = *state;
	char *keyword;

	assert_int_equal(parse(f, S2S_SA_OP_ADD,
		"s2s0 dir in spi 0xc0010001 enc aes-gcm key 0x" GCM_KEY
		" local 192.0.2.1 remote 192.0.2.2 encap 4500 4501 esn"
		" replay-window 256 seq 0x100000000"
		" ts-local 10.1.0.0/24 ts-remote 10.2.0.0/16 ts-local 10.1.1.7"
		" soft bytes 1000000 hard packets 5000 soft seconds 3600"), 0);
	assert_string_equal(f->req->ifname, "s2s0");
	assert_false(f->req->legacy_enc || f->req->legacy_integ);

	/* the inline key was wiped from argv: ps shows zeros now */
	keyword = f->w.argv[8];
	assert_string_equal(f->w.argv[7], "key");
	assert_true(all_zero(keyword, strlen("0x" GCM_KEY)));

	build(f, 17, S2S_CMD_SA_NEW);
	expect_types(f, types, sizeof(types) / sizeof(types[0]));
	assert_int_equal(mnl_attr_get_u32(f->attrs[0]), 17);
	assert_int_equal(mnl_attr_get_u32(f->attrs[1]), S2S_DIR_IN);
	/* SPI in host order, as the spec says */
	assert_int_equal(mnl_attr_get_u32(f->attrs[2]), 0xc0010001);
	assert_int_equal(mnl_attr_get_u32(f->attrs[3]), S2S_ENC_AES_GCM);
	/* the key bytes, exactly, salt included */
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[4]), sizeof(key));
	assert_memory_equal(mnl_attr_get_payload(f->attrs[4]), key, sizeof(key));
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[5]), 1);
	assert_int_equal(mnl_attr_get_u8(f->attrs[5]), 1);
	expect_addr(f->attrs[6], AF_INET, "192.0.2.1");
	expect_addr(f->attrs[7], AF_INET, "192.0.2.2");
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[8]), 2);
	assert_int_equal(mnl_attr_get_u16(f->attrs[8]), 4500);
	assert_int_equal(mnl_attr_get_u16(f->attrs[9]), 4501);
	assert_int_equal(mnl_attr_get_u32(f->attrs[10]), 256);
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[11]), 8);
	assert_int_equal(mnl_attr_get_u64(f->attrs[11]), 0x100000000ULL);
	/* repeated nests, in the order given, host part kept for the kernel */
	expect_selector(f->attrs[12], AF_INET, "10.1.0.0", 24);
	expect_selector(f->attrs[13], AF_INET, "10.1.1.7", 32);
	expect_selector(f->attrs[14], AF_INET, "10.2.0.0", 16);
	/* only the limits given; soft in one nest though given apart */
	expect_lifetime(f->attrs[15], 2,
			(const uint16_t[]){ S2S_A_LIFETIME_BYTES, S2S_A_LIFETIME_SECONDS },
			(const uint64_t[]){ 1000000, 3600 });
	expect_lifetime(f->attrs[16], 1,
			(const uint16_t[]){ S2S_A_LIFETIME_PACKETS },
			(const uint64_t[]){ 5000 });
}

static void test_add_minimal_v6(void **state)
{
	static const uint16_t types[] = {
		S2S_A_SA_IFINDEX, S2S_A_SA_DIR, S2S_A_SA_SPI, S2S_A_SA_ENC,
		S2S_A_SA_ENC_KEY, S2S_A_SA_LOCAL, S2S_A_SA_REMOTE,
		S2S_A_SA_TS_REMOTE,
	};
	struct fixture *f = *state;

	assert_int_equal(parse(f, S2S_SA_OP_ADD,
		"s2s1 spi 4096 dir out local 2001:db8::1 remote 2001:db8::2"
		" enc chacha20-poly1305 key 0x" GCM_KEY "0011223344556677"
		"8899aabbccddeeff ts-remote 2001:db8:2::5/48"), 0);
	build(f, 3, S2S_CMD_SA_NEW);
	expect_types(f, types, sizeof(types) / sizeof(types[0]));
	assert_int_equal(mnl_attr_get_u32(f->attrs[1]), S2S_DIR_OUT);
	assert_int_equal(mnl_attr_get_u32(f->attrs[2]), 4096);
	assert_int_equal(mnl_attr_get_u32(f->attrs[3]), S2S_ENC_CHACHA20_POLY1305);
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[4]), 36);
	expect_addr(f->attrs[5], AF_INET6, "2001:db8::1");
	expect_addr(f->attrs[6], AF_INET6, "2001:db8::2");
	/* all 16 bytes, host part included: the kernel masks */
	expect_selector(f->attrs[7], AF_INET6, "2001:db8:2::5", 48);
}

/* CBC with an HMAC: one key from a file, the other from stdin. */
static void test_add_cbc_keys_from_file_and_stdin(void **state)
{
	static const uint16_t types[] = {
		S2S_A_SA_IFINDEX, S2S_A_SA_DIR, S2S_A_SA_SPI, S2S_A_SA_ENC,
		S2S_A_SA_ENC_KEY, S2S_A_SA_INTEG, S2S_A_SA_INTEG_KEY,
		S2S_A_SA_LOCAL, S2S_A_SA_REMOTE,
	};
	char path[] = "/tmp/s2s-ekey-XXXXXX", line[512];
	struct fixture *f = *state;
	uint8_t ikey[32];
	int fd, p[2], i;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0101010101010101 0101010101010101\n", 34), 34);
	close(fd);
	assert_int_equal(pipe(p), 0);
	for (i = 0; i < 32; i++) {
		ikey[i] = (uint8_t)(0xa0 + i);
		dprintf(p[1], "%02x%s", ikey[i], i % 8 == 7 ? "\n" : "");
	}
	close(p[1]);
	snprintf(line, sizeof(line),
		 "s2s0 dir out spi 0x2000 enc aes-cbc key @%s integ hmac-sha256-128"
		 " ikey - local 192.0.2.1 remote 192.0.2.2", path);
	assert_int_equal(parse_fd(f, S2S_SA_OP_ADD, line, p[0]), 0);
	close(p[0]);
	unlink(path);
	build(f, 3, S2S_CMD_SA_NEW);
	expect_types(f, types, sizeof(types) / sizeof(types[0]));
	assert_int_equal(mnl_attr_get_u32(f->attrs[3]), S2S_ENC_AES_CBC);
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[4]), 16);
	assert_memory_equal(mnl_attr_get_payload(f->attrs[4]),
			    "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1", 16);
	assert_int_equal(mnl_attr_get_u32(f->attrs[5]), S2S_INTEG_HMAC_SHA256_128);
	assert_int_equal(mnl_attr_get_payload_len(f->attrs[6]), 32);
	assert_memory_equal(mnl_attr_get_payload(f->attrs[6]), ikey, 32);
}

static void test_add_legacy(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, S2S_SA_OP_ADD,
		"s2s0 dir in spi 0x3000 enc 3des-cbc"
		" key 0x000102030405060708090a0b0c0d0e0f1011121314151617"
		" integ hmac-sha1-96 ikey 0x000102030405060708090a0b0c0d0e0f10111213"
		" local 192.0.2.1 remote 192.0.2.2"), 0);
	assert_true(f->req->legacy_enc);
	assert_true(f->req->legacy_integ);
	assert_int_equal(f->req->enc, S2S_ENC_DES3_CBC);
	assert_int_equal(f->req->integ, S2S_INTEG_HMAC_SHA1_96);
	assert_int_equal(parse(f, S2S_SA_OP_ADD,
		"s2s0 dir in spi 0x3000 enc aes-cbc key 0x" GCM_KEY "c0ffee01c0ffee01c0ffee01"
		" integ hmac-sha1-96 ikey 0x000102030405060708090a0b0c0d0e0f10111213"
		" local 192.0.2.1 remote 192.0.2.2"), 0);
	assert_false(f->req->legacy_enc);
	assert_true(f->req->legacy_integ);
}

static void test_set_del_get_flush(void **state)
{
	static const uint16_t set_types[] = {
		S2S_A_SA_IFINDEX, S2S_A_SA_DIR, S2S_A_SA_SPI, S2S_A_SA_LOCAL,
		S2S_A_SA_REMOTE, S2S_A_SA_ENCAP_SPORT, S2S_A_SA_ENCAP_DPORT,
		S2S_A_SA_HARD,
	};
	static const uint16_t id_types[] = {
		S2S_A_SA_IFINDEX, S2S_A_SA_DIR, S2S_A_SA_SPI,
	};
	static const uint16_t flush_types[] = { S2S_A_SA_IFINDEX };
	struct fixture *f = *state;

	assert_int_equal(parse(f, S2S_SA_OP_SET,
		"s2s0 dir out spi 0x2000 remote 2001:db8::9 local 2001:db8::1"
		" encap 0 0 hard seconds 60"), 0);
	build(f, 3, S2S_CMD_SA_SET);
	expect_types(f, set_types, sizeof(set_types) / sizeof(set_types[0]));
	expect_addr(f->attrs[3], AF_INET6, "2001:db8::1");
	expect_addr(f->attrs[4], AF_INET6, "2001:db8::9");
	assert_int_equal(mnl_attr_get_u16(f->attrs[5]), 0);
	expect_lifetime(f->attrs[7], 1,
			(const uint16_t[]){ S2S_A_LIFETIME_SECONDS },
			(const uint64_t[]){ 60 });

	/* Selectors learnt after the SA was added (s2sd, from charon). */
	assert_int_equal(parse(f, S2S_SA_OP_SET,
		"s2s0 dir in spi 0x2000 ts-remote 10.2.0.0/16 ts-local 10.1.0.0/24"), 0);
	build(f, 5, S2S_CMD_SA_SET);
	expect_types(f, (const uint16_t[]){ S2S_A_SA_IFINDEX, S2S_A_SA_DIR,
			 S2S_A_SA_SPI, S2S_A_SA_TS_LOCAL, S2S_A_SA_TS_REMOTE }, 5);

	assert_int_equal(parse(f, S2S_SA_OP_DEL, "s2s0 spi 8192 dir out"), 0);
	build(f, 3, S2S_CMD_SA_DEL);
	expect_types(f, id_types, 3);
	assert_int_equal(mnl_attr_get_u32(f->attrs[2]), 8192);

	assert_int_equal(parse(f, S2S_SA_OP_GET, "s2s0 dir in spi 0xFFFFFFFF"), 0);
	build(f, 3, S2S_CMD_SA_GET);
	expect_types(f, id_types, 3);
	assert_int_equal(mnl_attr_get_u32(f->attrs[2]), 0xffffffff);

	assert_int_equal(parse(f, S2S_SA_OP_FLUSH, "s2s0"), 0);
	build(f, 3, S2S_CMD_SA_FLUSH);
	expect_types(f, flush_types, 1);
}

/* Each bad command line: -EINVAL, this message, no key left behind. */
static void test_errors(void **state)
{
	static const struct {
		enum s2s_sa_op op;
		const char *line;
		const char *err;
	} cases[] = {
		{ S2S_SA_OP_ADD, "", "missing DEV" },
		{ S2S_SA_OP_ADD, "0123456789abcdef dir in",
		  "'0123456789abcdef' is not an interface name (1 to 15 characters)" },
		{ S2S_SA_OP_ADD, "s2s0", "missing 'dir in|out'" },
		{ S2S_SA_OP_ADD, "s2s0 dir in", "missing 'spi SPI'" },
		{ S2S_SA_OP_ADD, "s2s0 dir sideways", "dir: 'sideways' is neither in nor out" },
		{ S2S_SA_OP_ADD, "s2s0 dir", "dir: needs 1 more argument" },
		{ S2S_SA_OP_ADD, "s2s0 dir in dir out", "dir given twice" },
		{ S2S_SA_OP_ADD, "s2s0 spi 255", "spi: 255 is reserved (RFC 4303: SPIs 1-255 are reserved, 0 is invalid)" },
		{ S2S_SA_OP_ADD, "s2s0 spi 0x100000000", "spi: '0x100000000' is not a 32-bit number (decimal or 0x hex)" },
		{ S2S_SA_OP_ADD, "s2s0 spi -5", "spi: '-5' is not a 32-bit number (decimal or 0x hex)" },
		{ S2S_SA_OP_ADD, "s2s0 frobnicate 1", "unknown argument 'frobnicate'" },
		{ S2S_SA_OP_ADD, "s2s0 enc aes-ccm", "enc: unknown algorithm 'aes-ccm' (aes-gcm, chacha20-poly1305, aes-cbc, 3des-cbc)" },
		{ S2S_SA_OP_ADD, "s2s0 integ md5", "integ: unknown algorithm 'md5' (hmac-sha256-128, hmac-sha384-192, hmac-sha512-256, hmac-sha1-96, none)" },
		{ S2S_SA_OP_ADD, "s2s0 local 192.0.2.300", "local: '192.0.2.300' is not an IPv4 or IPv6 address" },
		{ S2S_SA_OP_ADD, "s2s0 encap 4500", "encap: needs 2 more arguments" },
		{ S2S_SA_OP_ADD, "s2s0 encap 4500 65536", "encap: '4500 65536' are not two UDP ports (0-65535)" },
		{ S2S_SA_OP_ADD, "s2s0 ts-local 10.0.0.0/33", "ts-local: '10.0.0.0/33' is not an address prefix (ADDR/LEN)" },
		{ S2S_SA_OP_ADD, "s2s0 ts-remote 2001:db8::/129", "ts-remote: '2001:db8::/129' is not an address prefix (ADDR/LEN)" },
		{ S2S_SA_OP_ADD, "s2s0 soft hours 1", "soft: 'hours' is none of bytes, packets, seconds" },
		{ S2S_SA_OP_ADD, "s2s0 hard seconds 1 hard seconds 2", "hard seconds given twice" },
		{ S2S_SA_OP_ADD, "s2s0 hard bytes 1k", "hard bytes: '1k' is not a number (0: no limit)" },
		{ S2S_SA_OP_ADD, "s2s0 seq x", "seq: 'x' is not a 64-bit number" },
		{ S2S_SA_OP_ADD, "s2s0 key 00112233", "key must be @FILE, - (stdin) or 0x<hex digits>" },
		{ S2S_SA_OP_ADD, "s2s0 key 0x001", "key on the command line: odd number of hex digits (3)" },
		{ S2S_SA_OP_ADD, "s2s0 ikey 0x00xx", "ikey on the command line: character 5 is not a hex digit" },
		{ S2S_SA_OP_ADD, "s2s0 key @/nonexistent/k", "key from /nonexistent/k: No such file or directory" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 key 0x" GCM_KEY
		  " local 192.0.2.1 remote 192.0.2.2", "missing 'enc ALG'" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm"
		  " local 192.0.2.1 remote 192.0.2.2", "missing 'key KEYSRC'" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm key 0x" GCM_KEY
		  " remote 192.0.2.2", "missing 'local ADDR'" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm key 0x" GCM_KEY
		  " local 192.0.2.1 remote 2001:db8::2",
		  "local and remote must both be IPv4 or both IPv6" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm key 0x0011223344556677"
		  "8899aabbccddeeff local 192.0.2.1 remote 192.0.2.2",
		  "key: aes-gcm needs 20 or 36 bytes (a 16- or 32-byte AES key followed by the 4-byte salt), not 16" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm key 0x" GCM_KEY
		  " integ hmac-sha256-128 ikey 0x" GCM_KEY " local 192.0.2.1 remote 192.0.2.2",
		  "aes-gcm protects integrity itself: leave out integ and ikey" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-cbc key 0x00112233445566778899aabbccddeeff"
		  " local 192.0.2.1 remote 192.0.2.2",
		  "aes-cbc needs an integrity algorithm: integ ALG ikey KEYSRC" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-cbc key 0x00112233445566778899aabbccddeeff"
		  " integ hmac-sha512-256 local 192.0.2.1 remote 192.0.2.2",
		  "missing 'ikey KEYSRC' for integ hmac-sha512-256" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-gcm key 0x" GCM_KEY
		  " ikey 0x00 local 192.0.2.1 remote 192.0.2.2",
		  "ikey given without an integ algorithm" },
		{ S2S_SA_OP_ADD, "s2s0 dir in spi 256 enc aes-cbc key 0x00112233445566778899aabbccddeeff"
		  " integ hmac-sha384-192 ikey 0x" GCM_KEY " local 192.0.2.1 remote 192.0.2.2",
		  "ikey: hmac-sha384-192 needs 48 bytes, not 20" },
		{ S2S_SA_OP_ADD, "s2s0 dir out spi 256 enc aes-gcm key 0x" GCM_KEY
		  " local 192.0.2.1 remote 192.0.2.2 replay-window 64",
		  "replay-window is for inbound SAs (dir in)" },
		{ S2S_SA_OP_SET, "s2s0 dir in spi 256", "nothing to change: give local, remote, encap, soft, hard, ts-local or ts-remote" },
		{ S2S_SA_OP_SET, "s2s0 dir in spi 256 key 0x" GCM_KEY, "'key' is not an argument of sa set" },
		{ S2S_SA_OP_SET, "s2s0 dir in spi 256 seq 7", "'seq' is not an argument of sa set" },
		{ S2S_SA_OP_DEL, "s2s0 dir in", "missing 'spi SPI'" },
		{ S2S_SA_OP_DEL, "s2s0 dir in spi 256 local 192.0.2.1", "'local' is not an argument of sa del" },
		{ S2S_SA_OP_GET, "s2s0 spi 256", "missing 'dir in|out'" },
		{ S2S_SA_OP_FLUSH, "s2s0 dir in", "'dir' is not an argument of sa flush" },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(f, cases[i].op, cases[i].line) != -EINVAL)
			fail_msg("accepted: %s", cases[i].line);
		if (strcmp(f->err, cases[i].err))
			fail_msg("'%s': got \"%s\", want \"%s\"", cases[i].line,
				 f->err, cases[i].err);
		/* no key bytes survive a refusal, nor appear in the message */
		assert_true(all_zero(&f->req->key, sizeof(f->req->key)));
		assert_true(all_zero(&f->req->ikey, sizeof(f->req->ikey)));
		assert_null(strstr(f->err, "00112233"));
		assert_null(strstr(f->err, "c0ffee"));
	}
}

static void test_one_key_from_stdin(void **state)
{
	struct fixture *f = *state;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], GCM_KEY "\n", 41), 41);
	close(p[1]);
	assert_int_equal(parse_fd(f, S2S_SA_OP_ADD, "s2s0 key - ikey -", p[0]),
			 -EINVAL);
	close(p[0]);
	assert_string_equal(f->err, "ikey: only one key can come from stdin");
	/* the key already read from stdin is gone too */
	assert_true(all_zero(&f->req->key, sizeof(f->req->key)));
}

static void test_too_large(void **state)
{
	struct fixture *f = *state;
	struct nlmsghdr *nlh;
	char line[4096];
	size_t len;
	int i;

	len = (size_t)snprintf(line, sizeof(line),
			       "s2s0 dir in spi 256 enc aes-gcm key 0x" GCM_KEY
			       " local 2001:db8::1 remote 2001:db8::2");
	for (i = 0; i < S2S_SA_SELECTORS_MAX; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" ts-local 2001:db8:%x::/48", i);
	assert_int_equal(parse(f, S2S_SA_OP_ADD, line), 0);
	/* 64 IPv6 selectors fit a request buffer; the kernel judges them */
	nlh = test_genl(f->buf, FAMILY, S2S_CMD_SA_NEW);
	assert_int_equal(s2s_sa_req_put(f->req, 3, nlh, S2S_SA_REQ_SIZE), 0);
	/* a buffer too small is an error, never an overflow */
	nlh = test_genl(f->buf, FAMILY, S2S_CMD_SA_NEW);
	assert_int_equal(s2s_sa_req_put(f->req, 3, nlh, 512), -EMSGSIZE);
	assert_true(nlh->nlmsg_len <= 512);
	/* one more selector than we keep */
	snprintf(line + len, sizeof(line) - len, " ts-local 10.0.0.0/8");
	assert_int_equal(parse(f, S2S_SA_OP_ADD, line), -EINVAL);
	assert_string_equal(f->err, "ts-local: more than 64 prefixes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_minimal_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_cbc_keys_from_file_and_stdin,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_del_get_flush, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_key_from_stdin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
	};

	return cmocka_run_group_tests_name("sareq", tests, NULL, NULL);
}
