// SPDX-License-Identifier: GPL-2.0
/* Unit tests: keyed XFRM SA messages into sa-new requests (xfrmkeys.c),
 * NEWAE requests (xfrmae.c) and the key digest (siphash.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include "attr.h"
#include "msg.h"
#include "siphash.h"
#include "xfrm.h"
#include "xfrmae.h"
#include "xfrmkeys.h"

#define GIVEN(req, attr)	S2S_ATTR_HAS((req)->given, S2S_A_SA_##attr)

static uint8_t pattern[64];

static void set_addr(uint16_t family, const char *text, xfrm_address_t *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(inet_pton(family, text, a), 1);
}

static struct nlmsghdr *sa_msg(void *buf, uint16_t type, uint32_t spi)
{
	struct xfrm_usersa_info p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	set_addr(AF_INET, "192.0.2.1", &p.saddr);
	set_addr(AF_INET, "192.0.2.2", &p.id.daddr);
	p.id.spi = htonl(spi);
	p.id.proto = IPPROTO_ESP;
	p.mode = XFRM_MODE_TUNNEL;
	p.reqid = 1;
	p.replay_window = 32;
	p.lft.soft_byte_limit = XFRM_INF;
	p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = 1000;
	p.lft.hard_packet_limit = XFRM_INF;
	p.curlft.add_time = 1700000000;
	return test_msg(buf, type, 0, &p, sizeof(p));
}

static void put_aead(struct nlmsghdr *nlh, const char *name, uint32_t keybits,
		     uint32_t icv)
{
	char buf[sizeof(struct xfrm_algo_aead) + 64];
	struct xfrm_algo_aead *a = (void *)buf;

	memset(buf, 0, sizeof(buf));
	strcpy(a->alg_name, name);
	a->alg_key_len = keybits;
	a->alg_icv_len = icv;
	memcpy(a->alg_key, pattern, keybits / 8);
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(*a) + keybits / 8, buf);
}

static void put_crypt(struct nlmsghdr *nlh, const char *name, uint32_t keybits)
{
	char buf[sizeof(struct xfrm_algo) + 64];
	struct xfrm_algo *a = (void *)buf;

	memset(buf, 0, sizeof(buf));
	strcpy(a->alg_name, name);
	a->alg_key_len = keybits;
	memcpy(a->alg_key, pattern, keybits / 8);
	mnl_attr_put(nlh, XFRMA_ALG_CRYPT, sizeof(*a) + keybits / 8, buf);
}

/* As the kernel sends an auth algorithm: XFRMA_ALG_AUTH (no truncation)
 * first, then XFRMA_ALG_AUTH_TRUNC; @trunc 0 leaves the latter out.
 */
static void put_auth(struct nlmsghdr *nlh, const char *name, uint32_t keybits,
		     uint32_t trunc)
{
	char buf[sizeof(struct xfrm_algo_auth) + 64];
	struct xfrm_algo_auth *t = (void *)buf;
	struct xfrm_algo *a = (void *)buf;

	memset(buf, 0, sizeof(buf));
	strcpy(a->alg_name, name);
	a->alg_key_len = keybits;
	memcpy(a->alg_key, pattern + 32, keybits / 8 > 32 ? 32 : keybits / 8);
	mnl_attr_put(nlh, XFRMA_ALG_AUTH, sizeof(*a) + keybits / 8, buf);
	if (!trunc)
		return;
	memset(buf, 0, sizeof(buf));
	strcpy(t->alg_name, name);
	t->alg_key_len = keybits;
	t->alg_trunc_len = trunc;
	memcpy(t->alg_key, pattern + 32, keybits / 8 > 32 ? 32 : keybits / 8);
	mnl_attr_put(nlh, XFRMA_ALG_AUTH_TRUNC, sizeof(*t) + keybits / 8, buf);
}

/* Parse @nlh as s2sd does: s2s_xfrm_parse() first, then the keys. */
static int to_req(const struct nlmsghdr *nlh, uint32_t dir,
		  struct s2s_sa_req *req, char *err)
{
	struct s2s_xfrm_sa sa;

	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	memset(req, 0, sizeof(*req));
	return s2s_xfrm_keys_req(nlh, &sa, dir, "s2s0", req, err,
				 S2S_XFRM_KEYS_ERR_MAX);
}

static struct s2s_sa_req req;
static char err[S2S_XFRM_KEYS_ERR_MAX];

static void check_aead(const char *name, uint32_t keybits, uint32_t enc)
{
	TEST_BUF(buf);
	struct nlmsghdr *nlh = sa_msg(buf, XFRM_MSG_NEWSA, 0xc0010001);

	put_aead(nlh, name, keybits, 128);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	assert_int_equal(to_req(nlh, S2S_DIR_IN, &req, err), 0);
	assert_int_equal(req.enc, enc);
	assert_int_equal(req.key.len, keybits / 8);
	assert_memory_equal(req.key.bytes, pattern, keybits / 8);
	assert_true(GIVEN(&req, ENC) && GIVEN(&req, ENC_KEY));
	assert_false(GIVEN(&req, INTEG) || GIVEN(&req, INTEG_KEY));
	assert_int_equal(req.ikey.len, 0);
}

static void test_aeads(void **state)
{
	(void)state;
	check_aead("rfc4106(gcm(aes))", 160, S2S_ENC_AES_GCM);
	check_aead("rfc4106(gcm(aes))", 288, S2S_ENC_AES_GCM);
	check_aead("rfc7539esp(chacha20,poly1305)", 288,
		   S2S_ENC_CHACHA20_POLY1305);
}

static void check_cbc(const char *cipher, uint32_t ebits, const char *auth,
		      uint32_t abits, uint32_t trunc, uint32_t enc,
		      uint32_t integ)
{
	TEST_BUF(buf);
	struct nlmsghdr *nlh = sa_msg(buf, XFRM_MSG_UPDSA, 0xc0010002);

	put_crypt(nlh, cipher, ebits);
	put_auth(nlh, auth, abits, trunc);
	assert_int_equal(to_req(nlh, S2S_DIR_OUT, &req, err), 0);
	assert_int_equal(req.enc, enc);
	assert_int_equal(req.integ, integ);
	assert_int_equal(req.key.len, ebits / 8);
	assert_int_equal(req.ikey.len, abits / 8);
	assert_memory_equal(req.key.bytes, pattern, ebits / 8);
	assert_true(GIVEN(&req, INTEG) && GIVEN(&req, INTEG_KEY));
}

static void test_cbc_hmac(void **state)
{
	(void)state;
	check_cbc("cbc(aes)", 128, "hmac(sha1)", 160, 96, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA1_96);
	check_cbc("cbc(aes)", 192, "hmac(sha256)", 256, 128, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA256_128);
	check_cbc("cbc(aes)", 256, "hmac(sha384)", 384, 192, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA384_192);
	check_cbc("cbc(aes)", 256, "hmac(sha512)", 512, 256, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA512_256);
	check_cbc("cbc(des3_ede)", 192, "hmac(sha1)", 160, 96,
		  S2S_ENC_DES3_CBC, S2S_INTEG_HMAC_SHA1_96);
	/* without AUTH_TRUNC, XFRM's default truncation applies */
	check_cbc("cbc(aes)", 128, "hmac(sha1)", 160, 0, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA1_96);
	check_cbc("cbc(aes)", 128, "hmac(sha512)", 512, 0, S2S_ENC_AES_CBC,
		  S2S_INTEG_HMAC_SHA512_256);
}

/* Refused with -EOPNOTSUPP, a message naming @what, and no key left. */
static void check_refused(struct nlmsghdr *nlh, const char *what)
{
	assert_int_equal(to_req(nlh, S2S_DIR_IN, &req, err), -EOPNOTSUPP);
	if (!strstr(err, what))
		fail_msg("'%s' does not name '%s'", err, what);
	assert_int_equal(req.key.len, 0);
	assert_int_equal(req.ikey.len, 0);
	assert_false(test_contains(&req, sizeof(req), pattern, 8));
	assert_false(test_contains(err, sizeof(err), pattern, 4));
}

static void test_unsupported(void **state)
{
	struct nlmsghdr *nlh;
	TEST_BUF(buf);

	(void)state;
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_aead(nlh, "rfc4309(ccm(aes))", 152, 128);
	check_refused(nlh, "rfc4309(ccm(aes))");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_aead(nlh, "rfc4106(gcm(aes))", 160, 64);
	check_refused(nlh, "64-bit ICV");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_aead(nlh, "rfc4106(gcm(aes))", 224, 128);	/* AES-192 */
	check_refused(nlh, "28-byte key");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_crypt(nlh, "cbc(aes)", 128);
	put_auth(nlh, "hmac(md5)", 128, 96);
	check_refused(nlh, "hmac(md5)");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_crypt(nlh, "cbc(camellia)", 128);
	put_auth(nlh, "hmac(sha256)", 256, 128);
	check_refused(nlh, "cbc(camellia)");

	/* hmac(sha256) at XFRM's old default of 96 bits */
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_crypt(nlh, "cbc(aes)", 128);
	put_auth(nlh, "hmac(sha256)", 256, 0);
	check_refused(nlh, "truncated to 96 bits");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_crypt(nlh, "cbc(aes)", 128);
	check_refused(nlh, "without integrity");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_auth(nlh, "hmac(sha256)", 256, 128);
	check_refused(nlh, "no encryption");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	put_crypt(nlh, "ecb(cipher_null)", 0);
	put_auth(nlh, "hmac(sha256)", 256, 128);
	check_refused(nlh, "ecb(cipher_null)");
}

static void test_mode_proto(void **state)
{
	struct xfrm_usersa_info *p;
	struct nlmsghdr *nlh;
	TEST_BUF(buf);

	(void)state;
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	p = mnl_nlmsg_get_payload(nlh);
	p->mode = XFRM_MODE_TRANSPORT;
	put_aead(nlh, "rfc4106(gcm(aes))", 160, 128);
	check_refused(nlh, "tunnel mode");

	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	p = mnl_nlmsg_get_payload(nlh);
	p->id.proto = IPPROTO_AH;
	put_auth(nlh, "hmac(sha256)", 256, 128);
	check_refused(nlh, "only ESP");
}

static void test_endpoint_and_more(void **state)
{
	struct xfrm_encap_tmpl encap = { .encap_type = UDP_ENCAP_ESPINUDP,
					 .encap_sport = htons(4500),
					 .encap_dport = htons(4501) };
	struct xfrm_replay_state_esn esn = { .replay_window = 1024 };
	struct xfrm_usersa_info *p;
	struct nlmsghdr *nlh;
	char text[64];
	TEST_BUF(buf);

	(void)state;
	/* inbound: local is the destination; sport is ours (the dport) */
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 0xc0010003);
	p = mnl_nlmsg_get_payload(nlh);
	p->flags = XFRM_STATE_ESN;
	p->sel.family = AF_INET;
	set_addr(AF_INET, "10.2.0.0", &p->sel.saddr);
	p->sel.prefixlen_s = 24;
	put_aead(nlh, "rfc4106(gcm(aes))", 160, 128);
	mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(encap), &encap);
	mnl_attr_put(nlh, XFRMA_REPLAY_ESN_VAL, sizeof(esn), &esn);
	assert_int_equal(to_req(nlh, S2S_DIR_IN, &req, err), 0);
	assert_string_equal(req.ifname, "s2s0");
	assert_int_equal(req.dir, S2S_DIR_IN);
	assert_int_equal(req.spi, 0xc0010003);
	assert_string_equal(s2s_addr_ntop(&req.local, text, sizeof(text)), "192.0.2.2");
	assert_string_equal(s2s_addr_ntop(&req.remote, text, sizeof(text)), "192.0.2.1");
	assert_int_equal(req.encap_sport, 4501);
	assert_int_equal(req.encap_dport, 4500);
	assert_true(req.esn && GIVEN(&req, ESN));
	assert_int_equal(req.replay_window, 1024);
	assert_true(GIVEN(&req, REPLAY_WINDOW));
	/* only the finite volume limit goes to the module */
	assert_true(GIVEN(&req, SOFT) && !GIVEN(&req, HARD));
	assert_int_equal(req.soft.present, 1ULL << S2S_A_LIFETIME_PACKETS);
	assert_int_equal(req.soft.packets, 1000);
	/* inbound: the selector's source is the peer's side */
	assert_int_equal(req.n_ts_remote, 1);
	assert_int_equal(req.n_ts_local, 0);
	assert_string_equal(s2s_prefix_ntop(&req.ts_remote[0], text, sizeof(text)),
			    "10.2.0.0/24");

	/* outbound: local is the source, no replay window for the module */
	assert_int_equal(to_req(nlh, S2S_DIR_OUT, &req, err), 0);
	assert_string_equal(s2s_addr_ntop(&req.local, text, sizeof(text)), "192.0.2.1");
	assert_int_equal(req.encap_sport, 4500);
	assert_int_equal(req.encap_dport, 4501);
	assert_false(GIVEN(&req, REPLAY_WINDOW));
	assert_int_equal(req.n_ts_local, 1);

	/* non-ESN inbound: the header's window */
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 0xc0010004);
	put_aead(nlh, "rfc4106(gcm(aes))", 160, 128);
	assert_int_equal(to_req(nlh, S2S_DIR_IN, &req, err), 0);
	assert_false(req.esn || GIVEN(&req, ESN));
	assert_int_equal(req.replay_window, 32);
	assert_false(GIVEN(&req, ENCAP_SPORT));
}

/* The request goes out through sareq.c's builder: keys in, in order. */
static void test_req_put(void **state)
{
	char out[S2S_SA_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	TEST_BUF(buf);

	(void)state;
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 0xc0010005);
	put_aead(nlh, "rfc4106(gcm(aes))", 160, 128);
	assert_int_equal(to_req(nlh, S2S_DIR_OUT, &req, err), 0);
	nlh = test_genl(out, 0x20, S2S_CMD_SA_NEW);
	assert_int_equal(s2s_sa_req_put(&req, 3, nlh, sizeof(out)), 0);
	assert_true(test_contains(out, nlh->nlmsg_len, pattern, 20));
}

static void test_malformed(void **state)
{
	struct xfrm_algo_aead a;
	struct nlmsghdr *nlh;
	TEST_BUF(buf);

	(void)state;
	/* the key length says more than the attribute holds */
	nlh = sa_msg(buf, XFRM_MSG_NEWSA, 1000);
	memset(&a, 0, sizeof(a));
	strcpy(a.alg_name, "rfc4106(gcm(aes))");
	a.alg_key_len = 160;
	a.alg_icv_len = 128;
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(a) + 4, &a);
	assert_int_equal(to_req(nlh, S2S_DIR_IN, &req, err), -EBADMSG);
	assert_int_equal(req.key.len, 0);
}

static void test_newae(void **state)
{
	struct s2s_xfrm_ae ae = { .family = AF_INET, .proto = IPPROTO_ESP,
				  .spi = htonl(0xc0010001), .reqid = 1,
				  .mark = { .v = 0x2a, .m = 0xffffffff } };
	const struct xfrm_lifetime_cur *lt;
	struct xfrm_aevent_id id;
	const struct nlattr *attr;
	char buf[S2S_XFRM_AE_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int seen = 0;

	(void)state;
	set_addr(AF_INET, "192.0.2.2", &ae.daddr);
	set_addr(AF_INET, "192.0.2.1", &ae.saddr);
	ae.curlft.bytes = 4200;
	ae.curlft.packets = 50;
	ae.curlft.add_time = 1700000000;
	ae.curlft.use_time = 1700000100;
	nlh = s2s_xfrm_newae(buf, &ae);
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWAE);
	/* xfrm_new_ae() refuses a request without NLM_F_REPLACE */
	assert_true(nlh->nlmsg_flags & NLM_F_REPLACE);
	memcpy(&id, mnl_nlmsg_get_payload(nlh), sizeof(id));
	assert_int_equal(id.sa_id.spi, htonl(0xc0010001));
	assert_int_equal(id.sa_id.family, AF_INET);
	assert_int_equal(id.sa_id.proto, IPPROTO_ESP);
	assert_memory_equal(&id.sa_id.daddr, &ae.daddr, 4);
	assert_int_equal(id.flags, XFRM_AE_LVAL);
	mnl_attr_for_each(attr, nlh, sizeof(id)) {
		if (mnl_attr_get_type(attr) == XFRMA_LTIME_VAL) {
			assert_int_equal(mnl_attr_get_payload_len(attr), sizeof(*lt));
			lt = mnl_attr_get_payload(attr);
			assert_int_equal(lt->bytes, 4200);
			assert_int_equal(lt->packets, 50);
			assert_int_equal(lt->add_time, 1700000000);
			assert_int_equal(lt->use_time, 1700000100);
			seen |= 1;
		} else if (mnl_attr_get_type(attr) == XFRMA_MARK) {
			assert_memory_equal(mnl_attr_get_payload(attr), &ae.mark,
					    sizeof(ae.mark));
			seen |= 2;
		} else {
			fail_msg("unexpected attribute %u", mnl_attr_get_type(attr));
		}
	}
	assert_int_equal(seen, 3);
	/* unmarked SA: no XFRMA_MARK, or the lookup would miss */
	ae.mark.m = 0;
	ae.mark.v = 0;
	nlh = s2s_xfrm_newae(buf, &ae);
	seen = 0;
	mnl_attr_for_each(attr, nlh, sizeof(id))
		seen |= mnl_attr_get_type(attr) == XFRMA_MARK;
	assert_int_equal(seen, 0);
}

/* The reference vectors of the SipHash paper (key 00..0f, input 00..). */
static void test_siphash(void **state)
{
	uint8_t key[16], in[15];
	struct s2s_siphash h;
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 15; i++)
		in[i] = (uint8_t)i;
	assert_int_equal(s2s_siphash(key, in, 0), 0x726fdb47dd0e0e31ULL);
	assert_int_equal(s2s_siphash(key, in, 15), 0xa129ca6149be45e5ULL);
	s2s_siphash_init(&h, key);
	s2s_siphash_update(&h, in, 4);
	s2s_siphash_update(&h, in + 4, 11);
	assert_int_equal(s2s_siphash_final(&h), 0xa129ca6149be45e5ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aeads),
		cmocka_unit_test(test_cbc_hmac),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_mode_proto),
		cmocka_unit_test(test_endpoint_and_more),
		cmocka_unit_test(test_req_put),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_newae),
		cmocka_unit_test(test_siphash),
	};
	size_t i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0xa0 + i);
	return cmocka_run_group_tests_name("xfrmkeys", tests, NULL, NULL);
}
