// SPDX-License-Identifier: GPL-2.0
/* Unit tests: s2sd's forwarding state machine (fwd.c) with recorded side
 * effects: direction, keys only for s2s links, the delete grace and
 * its endpoint update, reconciliation after a dump, counter mirroring.
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
#include <linux/xfrm.h>

#include "attr.h"
#include "fwd.h"
#include "msg.h"
#include "xfrm.h"

enum { OP_NEW = 1, OP_SET, OP_DEL, OP_AE };

/* What the state machine did, in order. */
struct call {
	int op;
	uint32_t ifindex;
	uint32_t dir;
	uint32_t spi;
	uint64_t given;
	size_t keylen;
	char local[64];
	char remote[64];
	struct s2s_xfrm_ae ae;
};

static struct {
	struct call calls[32];
	int n;
	int new_rc;
	uint64_t now;
	int is_local_calls;
} m;

static uint8_t KEY1[20] = "KEY-ONE-KEY-ONE-salt";
static uint8_t KEY2[20] = "KEY-TWO-KEY-TWO-salt";

static struct call *record(int op, const struct s2s_sa_req *req,
			   uint32_t ifindex)
{
	struct call *c = &m.calls[m.n++];

	assert_true(m.n < 32);
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->ifindex = ifindex;
	if (req) {
		c->dir = req->dir;
		c->spi = req->spi;
		c->given = req->given;
		c->keylen = req->key.len;
		if (req->local.family)
			s2s_addr_ntop(&req->local, c->local, sizeof(c->local));
		if (req->remote.family)
			s2s_addr_ntop(&req->remote, c->remote, sizeof(c->remote));
	}
	return c;
}

static int mock_new(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex)
{
	(void)ctx;
	record(OP_NEW, req, ifindex);
	return m.new_rc;
}

static int mock_set(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex)
{
	(void)ctx;
	record(OP_SET, req, ifindex);
	return 0;
}

static int mock_del(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex)
{
	(void)ctx;
	record(OP_DEL, req, ifindex);
	return 0;
}

static int mock_ae(void *ctx, const struct s2s_xfrm_ae *ae)
{
	(void)ctx;
	record(OP_AE, NULL, 0)->ae = *ae;
	return 0;
}

/* 192.0.2.1 and 192.0.2.11 are this gateway's. */
static bool mock_local(void *ctx, uint16_t family, const xfrm_address_t *a)
{
	uint8_t b = ((const uint8_t *)a)[3];

	(void)ctx;
	m.is_local_calls++;
	return family == AF_INET && (b == 1 || b == 11);
}

static uint64_t mock_now(void *ctx)
{
	(void)ctx;
	return m.now;
}

static uint64_t mock_wall(void *ctx)
{
	(void)ctx;
	return 1700000500;
}

static const char *mock_err(void *ctx)
{
	(void)ctx;
	return "mock error";
}

static const struct s2s_fwd_ops ops = {
	.sa_new = mock_new, .sa_set = mock_set, .sa_del = mock_del,
	.newae = mock_ae, .is_local = mock_local, .now_ms = mock_now,
	.wall_s = mock_wall, .err = mock_err,
};

static struct s2s_link link_arr[2];
static struct s2s_link_list links = { .links = link_arr, .n = 2, .cap = 2 };

static int setup(void **state)
{
	static struct s2s_fwd f;

	memset(&m, 0, sizeof(m));
	m.now = 1000;
	memset(link_arr, 0, sizeof(link_arr));
	/* s2s0 (ifindex 3) answers to if_id 7; s2s1 (4) is manual: if-id 0 */
	link_arr[0].ifindex = 3;
	link_arr[0].if_id = 7;
	link_arr[0].present = 1ULL << S2S_A_LINK_IF_ID;
	strcpy(link_arr[0].ifname, "s2s0");
	link_arr[1].ifindex = 4;
	strcpy(link_arr[1].ifname, "s2s1");
	assert_int_equal(s2s_fwd_init(&f, &ops, NULL), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	s2s_fwd_free(*state);
	return 0;
}

static void set_addr(const char *text, xfrm_address_t *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(inet_pton(AF_INET, text, a), 1);
}

static struct xfrm_usersa_info info(const char *src, const char *dst,
				    uint32_t spi)
{
	struct xfrm_usersa_info p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	set_addr(src, &p.saddr);
	set_addr(dst, &p.id.daddr);
	p.id.spi = htonl(spi);
	p.id.proto = IPPROTO_ESP;
	p.mode = XFRM_MODE_TUNNEL;
	p.reqid = 9;
	p.lft.soft_byte_limit = p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = p.lft.hard_packet_limit = XFRM_INF;
	p.curlft.add_time = 1700000000;
	return p;
}

static void put_tail(struct nlmsghdr *nlh, const uint8_t *key, uint32_t if_id)
{
	char buf[sizeof(struct xfrm_algo_aead) + 20];
	struct xfrm_algo_aead *a = (void *)buf;

	memset(buf, 0, sizeof(buf));
	strcpy(a->alg_name, "rfc4106(gcm(aes))");
	a->alg_key_len = 160;
	a->alg_icv_len = 128;
	memcpy(a->alg_key, key, 20);
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(buf), buf);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, if_id);
}

/* Feed one message as s2sd does: parse without keys, then forward. */
static void feed(struct s2s_fwd *f, const struct nlmsghdr *nlh, bool dumped)
{
	struct s2s_xfrm_sa sa;

	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	if (dumped)
		sa.kind = S2S_XFRM_EXISTING;
	s2s_fwd_xfrm(f, nlh, &sa, &links);
	/* no key stays in the request buffer between messages */
	assert_false(test_contains(f->req, sizeof(*f->req), KEY1, 8));
	assert_false(test_contains(f->req, sizeof(*f->req), KEY2, 8));
}

static void newsa(struct s2s_fwd *f, uint16_t type, const char *src,
		  const char *dst, uint32_t spi, const uint8_t *key,
		  uint32_t if_id)
{
	struct xfrm_usersa_info p = info(src, dst, spi);
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, type, 0, &p, sizeof(p));

	put_tail(nlh, key, if_id);
	feed(f, nlh, false);
}

/* A DELSA as xfrm_notify_sa() sends it: id header, XFRMA_SA, keys. */
static void delsa(struct s2s_fwd *f, const char *src, const char *dst,
		  uint32_t spi)
{
	struct xfrm_usersa_info p = info(src, dst, spi);
	struct xfrm_usersa_id id = { .daddr = p.id.daddr, .spi = p.id.spi,
				     .family = AF_INET, .proto = IPPROTO_ESP };
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_DELSA, 0, &id, sizeof(id));

	mnl_attr_put(nlh, XFRMA_SA, sizeof(p), &p);
	put_tail(nlh, KEY1, 7);
	feed(f, nlh, false);
}

static void expire_hard(struct s2s_fwd *f, const char *src, const char *dst,
			uint32_t spi)
{
	struct xfrm_user_expire ex;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	memset(&ex, 0, sizeof(ex));
	ex.state = info(src, dst, spi);
	ex.hard = 1;
	nlh = test_msg(buf, XFRM_MSG_EXPIRE, 0, &ex, sizeof(ex));
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	feed(f, nlh, false);
}

static void test_dir(void **state)
{
	(void)state;
	assert_int_equal(s2s_fwd_dir(false, true, false), S2S_DIR_IN);
	assert_int_equal(s2s_fwd_dir(true, false, false), S2S_DIR_OUT);
	assert_int_equal(s2s_fwd_dir(true, false, true), S2S_DIR_OUT);
	assert_int_equal(s2s_fwd_dir(false, false, false), -1);
	assert_int_equal(s2s_fwd_dir(false, false, true), -1);
	/* both ends here: charon's mark_in_sa mark says inbound */
	assert_int_equal(s2s_fwd_dir(true, true, true), S2S_DIR_IN);
	assert_int_equal(s2s_fwd_dir(true, true, false), S2S_DIR_OUT);
}

static void test_new_in_and_out(void **state)
{
	struct s2s_fwd *f = *state;

	newsa(f, XFRM_MSG_UPDSA, "192.0.2.2", "192.0.2.1", 0xc0000001, KEY1, 7);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc0000002, KEY2, 7);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.calls[0].op, OP_NEW);
	assert_int_equal(m.calls[0].ifindex, 3);
	assert_int_equal(m.calls[0].dir, S2S_DIR_IN);
	assert_int_equal(m.calls[0].spi, 0xc0000001);
	assert_int_equal(m.calls[0].keylen, 20);
	assert_string_equal(m.calls[0].local, "192.0.2.1");
	assert_string_equal(m.calls[0].remote, "192.0.2.2");
	assert_int_equal(m.calls[1].dir, S2S_DIR_OUT);
	assert_string_equal(m.calls[1].local, "192.0.2.1");
	assert_int_equal(f->n, 2);
	assert_non_null(s2s_fwd_find(f, 3, S2S_DIR_IN, 0xc0000001));
	/* the table holds no key */
	assert_false(test_contains(f->sas, f->n * sizeof(f->sas[0]), KEY1, 8));
	/* the same SA dumped again changes nothing */
	m.n = 0;
	s2s_fwd_sync_begin(f);
	{
		struct xfrm_usersa_info p = info("192.0.2.2", "192.0.2.1", 0xc0000001);
		TEST_BUF(buf);
		struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));

		put_tail(nlh, KEY1, 7);
		feed(f, nlh, true);
	}
	assert_int_equal(m.n, 0);
}

static void test_other_if_id_not_read(void **state)
{
	struct s2s_fwd *f = *state;

	/* if_id 8 belongs to no link; if_id 0 never does */
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000003, KEY1, 8);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000004, KEY1, 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.is_local_calls, 0);
	assert_int_equal(f->n, 0);
}

static void test_no_direction_or_unsupported(void **state)
{
	struct xfrm_usersa_info p = info("192.0.2.2", "192.0.2.1", 0xc0000006);
	struct s2s_fwd *f = *state;
	char alg[sizeof(struct xfrm_algo_aead) + 20];
	struct xfrm_algo_aead *a = (void *)alg;
	struct nlmsghdr *nlh;
	TEST_BUF(buf);

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.3", 0xc0000005, KEY1, 7);
	nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));
	memset(alg, 0, sizeof(alg));
	strcpy(a->alg_name, "rfc4309(ccm(aes))");
	a->alg_key_len = 160;
	a->alg_icv_len = 128;
	memcpy(a->alg_key, KEY1, 20);
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(alg), alg);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	feed(f, nlh, false);
	assert_int_equal(m.n, 0);
	assert_int_equal(f->n, 0);
}

static void test_delete_after_grace(void **state)
{
	struct s2s_fwd *f = *state;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000007, KEY1, 7);
	m.n = 0;
	delsa(f, "192.0.2.2", "192.0.2.1", 0xc0000007);
	assert_int_equal(m.n, 0);
	assert_int_equal(s2s_fwd_next_ms(f), 1000 + S2S_FWD_GRACE_MS);
	m.now = 1000 + S2S_FWD_GRACE_MS - 1;
	s2s_fwd_expire(f);
	assert_int_equal(m.n, 0);
	m.now = 1000 + S2S_FWD_GRACE_MS;
	s2s_fwd_expire(f);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.calls[0].op, OP_DEL);
	assert_int_equal(m.calls[0].dir, S2S_DIR_IN);
	assert_int_equal(m.calls[0].spi, 0xc0000007);
	assert_int_equal(m.calls[0].given, (1ULL << S2S_A_SA_DIR) | (1ULL << S2S_A_SA_SPI));
	assert_int_equal(f->n, 0);
	assert_int_equal(s2s_fwd_next_ms(f), -1);
}

static void test_address_update(void **state)
{
	struct s2s_fwd *f = *state;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc0000008, KEY1, 7);
	m.n = 0;
	/* charon: delete, then add with our new address, same SPI and keys */
	delsa(f, "192.0.2.1", "192.0.2.2", 0xc0000008);
	m.now += 20;
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.11", "192.0.2.2", 0xc0000008, KEY1, 7);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.calls[0].op, OP_SET);
	assert_int_equal(m.calls[0].dir, S2S_DIR_OUT);
	assert_string_equal(m.calls[0].local, "192.0.2.11");
	assert_string_equal(m.calls[0].remote, "192.0.2.2");
	assert_int_equal(m.calls[0].keylen, 0);
	assert_false(S2S_ATTR_HAS(m.calls[0].given, S2S_A_SA_ENC_KEY));
	assert_true(S2S_ATTR_HAS(m.calls[0].given, S2S_A_SA_ENCAP_DPORT));
	/* the held delete is cancelled */
	assert_int_equal(s2s_fwd_next_ms(f), -1);
	m.now += 10 * S2S_FWD_GRACE_MS;
	s2s_fwd_expire(f);
	assert_int_equal(m.n, 1);
	assert_int_equal(f->n, 1);
	/* a later DELSA names the new XFRM id */
	delsa(f, "192.0.2.11", "192.0.2.2", 0xc0000008);
	assert_int_not_equal(s2s_fwd_next_ms(f), -1);
}

static void test_readd_other_keys(void **state)
{
	struct s2s_fwd *f = *state;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000009, KEY1, 7);
	delsa(f, "192.0.2.2", "192.0.2.1", 0xc0000009);
	m.n = 0;
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000009, KEY2, 7);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.calls[0].op, OP_DEL);
	assert_int_equal(m.calls[1].op, OP_NEW);
	assert_int_equal(f->n, 1);
	assert_int_equal(s2s_fwd_next_ms(f), -1);
}

static void test_eexist_kept(void **state)
{
	struct s2s_fwd *f = *state;

	m.new_rc = -EEXIST;
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc000000a, KEY1, 7);
	assert_int_equal(m.n, 1);
	assert_int_equal(f->n, 1);
	m.new_rc = -EINVAL;
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc000000b, KEY1, 7);
	assert_int_equal(f->n, 1);	/* a refused SA is not tracked */
}

static void test_hard_expire_and_flush(void **state)
{
	struct s2s_fwd *f = *state;
	struct xfrm_usersa_flush fl = { .proto = IPPROTO_ESP };
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc000000c, KEY1, 7);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc000000d, KEY1, 7);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc000000e, KEY2, 7);
	m.n = 0;
	expire_hard(f, "192.0.2.2", "192.0.2.1", 0xc000000c);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.calls[0].op, OP_DEL);
	assert_int_equal(m.calls[0].spi, 0xc000000c);
	nlh = test_msg(buf, XFRM_MSG_FLUSHSA, 0, &fl, sizeof(fl));
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	s2s_fwd_xfrm(f, nlh, &sa, &links);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.calls[1].op, OP_DEL);
	assert_int_equal(m.calls[2].op, OP_DEL);
	assert_int_equal(f->n, 0);
}

static struct s2s_sa module_sa(uint32_t ifindex, uint32_t dir, uint32_t spi)
{
	struct s2s_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.ifindex = ifindex;
	sa.dir = dir;
	sa.spi = spi;
	return sa;
}

static void test_reconcile(void **state)
{
	struct s2s_fwd *f = *state;
	struct s2s_sa_list module = { 0 };
	struct s2s_sa sa;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000010, KEY1, 7);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000011, KEY2, 7);
	m.n = 0;
	/* the dump finds 0x10 only; 0x12 is new in XFRM */
	s2s_fwd_sync_begin(f);
	{
		struct xfrm_usersa_info p = info("192.0.2.2", "192.0.2.1", 0xc0000010);
		TEST_BUF(buf);
		struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));

		put_tail(nlh, KEY1, 7);
		feed(f, nlh, true);
		p = info("192.0.2.2", "192.0.2.1", 0xc0000012);
		nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));
		put_tail(nlh, KEY2, 7);
		feed(f, nlh, true);
	}
	assert_int_equal(m.n, 1);
	assert_int_equal(m.calls[0].op, OP_NEW);
	assert_int_equal(m.calls[0].spi, 0xc0000012);
	/* the module: ours, a leftover on s2s0, a manual one on s2s1 */
	sa = module_sa(3, S2S_DIR_IN, 0xc0000010);
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	sa = module_sa(3, S2S_DIR_IN, 0xc0000011);
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	sa = module_sa(3, S2S_DIR_OUT, 0xc00000ff);
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	sa = module_sa(4, S2S_DIR_OUT, 0xc00000fe);
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	s2s_fwd_sync_end(f, &module, &links);
	s2s_sa_list_clear(&module);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.calls[1].op, OP_DEL);
	assert_int_equal(m.calls[1].spi, 0xc00000ff);
	assert_int_equal(m.calls[1].dir, S2S_DIR_OUT);
	assert_int_equal(m.calls[1].ifindex, 3);
	assert_int_equal(m.calls[2].op, OP_DEL);
	assert_int_equal(m.calls[2].spi, 0xc0000011);
	assert_int_equal(f->n, 2);
}

static void test_mirror(void **state)
{
	struct s2s_fwd *f = *state;
	struct s2s_sa_list module = { 0 };
	struct s2s_sa sa;

	newsa(f, XFRM_MSG_NEWSA, "192.0.2.2", "192.0.2.1", 0xc0000020, KEY1, 7);
	newsa(f, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 0xc0000021, KEY2, 7);
	m.n = 0;
	sa = module_sa(3, S2S_DIR_IN, 0xc0000020);
	sa.stats.rx_bytes = 840;
	sa.stats.rx_packets = 10;
	sa.stats.tx_bytes = 99;		/* not an inbound SA's traffic */
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	sa = module_sa(3, S2S_DIR_OUT, 0xc0000021);
	assert_int_equal(s2s_sa_list_add(&module, &sa), 0);
	assert_false(s2s_fwd_mirror(f, &module));
	/* only the SA whose counters moved */
	assert_int_equal(m.n, 1);
	assert_int_equal(m.calls[0].op, OP_AE);
	assert_int_equal(m.calls[0].ae.spi, htonl(0xc0000020));
	assert_int_equal(m.calls[0].ae.curlft.bytes, 840);
	assert_int_equal(m.calls[0].ae.curlft.packets, 10);
	assert_int_equal(m.calls[0].ae.curlft.add_time, 1700000000);
	assert_int_equal(m.calls[0].ae.curlft.use_time, 1700000500);
	assert_int_equal(m.calls[0].ae.reqid, 9);
	/* nothing moved since */
	assert_false(s2s_fwd_mirror(f, &module));
	assert_int_equal(m.n, 1);
	/* the module lost one: resync wanted */
	module.n = 1;
	assert_true(s2s_fwd_mirror(f, &module));
	s2s_sa_list_clear(&module);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir),
		cmocka_unit_test_setup_teardown(test_new_in_and_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_if_id_not_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_direction_or_unsupported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_after_grace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readd_other_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eexist_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hard_expire_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconcile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mirror, setup, teardown),
	};

	return cmocka_run_group_tests_name("fwd", tests, NULL, NULL);
}
