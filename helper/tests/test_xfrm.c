// SPDX-License-Identifier: GPL-2.0
/* Unit tests: XFRM SA messages (xfrm.c), crafted as xfrm_user.c sends
 * them, keys included, to check that no key byte is ever copied.
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
#include <linux/ipsec.h>
#include <linux/xfrm.h>

#include "attr.h"
#include "msg.h"
#include "xfrm.h"

/* Recognisable key bytes; 20 = AES-128 + 4-byte GCM salt. */
static const char KEY[20] = "TOP-SECRET-KEY-BYTES";

static void set_addr(uint16_t family, const char *text, xfrm_address_t *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(inet_pton(family, text, a), 1);
}

static struct xfrm_usersa_info info(uint16_t family, const char *src,
				    const char *dst, uint32_t spi)
{
	struct xfrm_usersa_info p;

	memset(&p, 0, sizeof(p));
	p.family = family;
	set_addr(family, src, &p.saddr);
	set_addr(family, dst, &p.id.daddr);
	p.id.spi = htonl(spi);
	p.id.proto = IPPROTO_ESP;
	p.mode = XFRM_MODE_TUNNEL;
	p.reqid = 5;
	return p;
}

/* The attributes copy_to_user_state_extra() adds: keys among them. */
static void put_keys(struct nlmsghdr *nlh)
{
	char aead[sizeof(struct xfrm_algo_aead) + sizeof(KEY)];
	char auth[sizeof(struct xfrm_algo_auth) + sizeof(KEY)];
	struct xfrm_algo_aead *a = (void *)aead;
	struct xfrm_algo_auth *h = (void *)auth;

	memset(aead, 0, sizeof(aead));
	strcpy(a->alg_name, "rfc4106(gcm(aes))");
	a->alg_key_len = sizeof(KEY) * 8;
	a->alg_icv_len = 128;
	memcpy(a->alg_key, KEY, sizeof(KEY));
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(aead), aead);
	memset(auth, 0, sizeof(auth));
	strcpy(h->alg_name, "hmac(sha256)");
	h->alg_key_len = sizeof(KEY) * 8;
	memcpy(h->alg_key, KEY, sizeof(KEY));
	mnl_attr_put(nlh, XFRMA_ALG_AUTH_TRUNC, sizeof(auth), auth);
}

static struct nlmsghdr *newsa_v4(void *buf, uint16_t type)
{
	struct xfrm_usersa_info p = info(AF_INET, "192.0.2.1", "192.0.2.2",
					 0xc0010001);
	struct xfrm_mark mark = { .v = 42, .m = 0xffffffff };
	struct nlmsghdr *nlh = test_msg(buf, type, 0, &p, sizeof(p));

	put_keys(nlh);		/* before if_id: parsing must go past them */
	mnl_attr_put(nlh, XFRMA_MARK, sizeof(mark), &mark);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	return nlh;
}

static void assert_no_key(const struct s2s_xfrm_sa *sa, const char *line)
{
	assert_false(test_contains(sa, sizeof(*sa), KEY, 4));
	assert_false(test_contains(sa, sizeof(*sa), KEY + 16, 4));
	assert_null(strstr(line, "SECRET"));
	assert_null(strstr(line, "544f50"));	/* "TOP" in hex */
	assert_null(strstr(line, "gcm"));
}

/* The line s2sd would log: exactly @want, and nothing of the key. */
static void assert_line(const struct s2s_xfrm_sa *sa, const char *link,
			const char *want)
{
	char line[S2S_XFRM_LINE_MAX];

	s2s_xfrm_format(sa, link, line, sizeof(line));
	assert_string_equal(line, want);
	assert_no_key(sa, line);
}

static void test_newsa(void **state)
{
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);

	(void)state;
	assert_int_equal(s2s_xfrm_parse(newsa_v4(buf, XFRM_MSG_NEWSA), &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_NEW);
	assert_int_equal(sa.family, AF_INET);
	assert_int_equal(sa.proto, IPPROTO_ESP);
	assert_int_equal(ntohl(sa.spi), 0xc0010001);
	assert_int_equal(sa.if_id, 7);
	assert_true(S2S_ATTR_HAS(sa.present, XFRMA_IF_ID));
	assert_int_equal(sa.reqid, 5);
	assert_line(&sa, "s2s0",
		"new esp spi 0xc0010001 192.0.2.1 -> 192.0.2.2 if_id 7 link s2s0 "
		"mode tunnel reqid 5 mark 0x2a/0xffffffff");
}

static void test_updsa_v6_encap(void **state)
{
	struct xfrm_usersa_info p = info(AF_INET6, "2001:db8::1",
					 "2001:db8:ffff::2", 0x1000);
	struct xfrm_encap_tmpl encap = {
		.encap_type = 2,	/* UDP_ENCAP_ESPINUDP */
		.encap_sport = htons(4500),
		.encap_dport = htons(4501),
	};
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_UPDSA, 0, &p, sizeof(p));

	(void)state;
	mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(encap), &encap);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 0x10000);
	put_keys(nlh);
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_UPDATE);
	assert_line(&sa, "wan6",
		"update esp spi 0x00001000 2001:db8::1 -> 2001:db8:ffff::2 "
		"if_id 65536 link wan6 mode tunnel reqid 5 encap udp 4500->4501");
}

/* DELSA: xfrm_usersa_id, then the full state in XFRMA_SA, then the
 * same extras as NEWSA (keys included).
 */
static void test_delsa(void **state)
{
	struct xfrm_usersa_info p = info(AF_INET, "198.51.100.7", "203.0.113.9",
					 0xabcdef01);
	struct xfrm_usersa_id id = {
		.daddr = p.id.daddr, .spi = p.id.spi,
		.family = AF_INET, .proto = IPPROTO_ESP,
	};
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_DELSA, 0, &id, sizeof(id));

	(void)state;
	mnl_attr_put(nlh, XFRMA_SA, sizeof(p), &p);
	put_keys(nlh);
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 9);
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_DELETE);
	assert_true(sa.has_saddr);
	assert_line(&sa, NULL,
		"delete esp spi 0xabcdef01 198.51.100.7 -> 203.0.113.9 if_id 9 "
		"link - mode tunnel reqid 5");
}

static void test_delsa_without_state(void **state)
{
	struct xfrm_usersa_id id = { .spi = htonl(0x42), .family = AF_INET,
				     .proto = IPPROTO_ESP };
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	(void)state;
	set_addr(AF_INET, "192.0.2.2", &id.daddr);
	nlh = test_msg(buf, XFRM_MSG_DELSA, 0, &id, sizeof(id));
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 3);
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	assert_false(sa.has_saddr);
	assert_line(&sa, "s2s3",
		"delete esp spi 0x00000042 ? -> 192.0.2.2 if_id 3 link s2s3");
}

static void test_expire(void **state)
{
	struct xfrm_user_expire ue;
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh;

	(void)state;
	memset(&ue, 0, sizeof(ue));
	ue.state = info(AF_INET, "192.0.2.1", "192.0.2.2", 0x100);
	ue.hard = 1;
	nlh = test_msg(buf, XFRM_MSG_EXPIRE, 0, &ue, sizeof(ue));
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_EXPIRE_HARD);
	assert_int_equal(sa.if_id, 7);
	assert_line(&sa, "s2s0",
		"expire-hard esp spi 0x00000100 192.0.2.1 -> 192.0.2.2 if_id 7 "
		"link s2s0 mode tunnel reqid 5");
	ue.hard = 0;
	nlh = test_msg(buf, XFRM_MSG_EXPIRE, 0, &ue, sizeof(ue));
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_EXPIRE_SOFT);
	assert_int_equal(sa.if_id, 0);
	assert_false(S2S_ATTR_HAS(sa.present, XFRMA_IF_ID));
}

static void test_flush(void **state)
{
	struct xfrm_usersa_flush f = { .proto = IPSEC_PROTO_ANY };
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);

	(void)state;
	assert_int_equal(s2s_xfrm_parse(test_msg(buf, XFRM_MSG_FLUSHSA, 0, &f,
						 sizeof(f)), &sa), 0);
	assert_int_equal(sa.kind, S2S_XFRM_FLUSH);
	assert_line(&sa, NULL, "flush any");
	f.proto = 0;		/* iproute2's "all" */
	assert_int_equal(s2s_xfrm_parse(test_msg(buf, XFRM_MSG_FLUSHSA, 0, &f,
						 sizeof(f)), &sa), 0);
	assert_line(&sa, NULL, "flush any");
	f.proto = IPPROTO_ESP;
	assert_int_equal(s2s_xfrm_parse(test_msg(buf, XFRM_MSG_FLUSHSA, 0, &f,
						 sizeof(f)), &sa), 0);
	assert_line(&sa, NULL, "flush esp");
}

static void test_not_an_sa(void **state)
{
	struct xfrm_userpolicy_info pol;
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);

	(void)state;
	memset(&pol, 0, sizeof(pol));
	assert_int_equal(s2s_xfrm_parse(test_msg(buf, XFRM_MSG_NEWPOLICY, 0,
						 &pol, sizeof(pol)), &sa),
			 -EOPNOTSUPP);
}

static void test_truncated_header(void **state)
{
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = newsa_v4(buf, XFRM_MSG_NEWSA);

	(void)state;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct xfrm_usersa_info) - 1;
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct xfrm_usersa_id) - 8;
	nlh->nlmsg_type = XFRM_MSG_DELSA;
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
	nlh->nlmsg_len = 4;
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
}

/* Cut inside the key attribute: rejected, and still nothing copied. */
static void test_truncated_in_keys(void **state)
{
	struct xfrm_usersa_info p = info(AF_INET, "192.0.2.1", "192.0.2.2", 1);
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));

	(void)state;
	mnl_attr_put_u32(nlh, XFRMA_IF_ID, 7);
	put_keys(nlh);
	nlh->nlmsg_len -= 12;
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
	assert_false(test_contains(&sa, sizeof(sa), KEY, 4));
}

static void test_malformed_attributes(void **state)
{
	struct xfrm_usersa_info p = info(AF_INET, "192.0.2.1", "192.0.2.2", 1);
	struct xfrm_usersa_id id = { .family = AF_INET, .proto = IPPROTO_ESP };
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);
	struct nlmsghdr *nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));

	(void)state;
	mnl_attr_put_u16(nlh, XFRMA_IF_ID, 7);		/* a u32 in the uapi */
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
	nlh = test_msg(buf, XFRM_MSG_NEWSA, 0, &p, sizeof(p));
	mnl_attr_put(nlh, XFRMA_MARK, 4, &p);		/* half a mark */
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
	nlh = test_msg(buf, XFRM_MSG_DELSA, 0, &id, sizeof(id));
	mnl_attr_put(nlh, XFRMA_SA, sizeof(p) - 8, &p);	/* short state */
	assert_int_equal(s2s_xfrm_parse(nlh, &sa), -EBADMSG);
}

static void test_bad_family(void **state)
{
	struct xfrm_usersa_info p = info(AF_INET, "192.0.2.1", "192.0.2.2", 1);
	struct s2s_xfrm_sa sa;
	TEST_BUF(buf);

	(void)state;
	p.family = AF_UNIX;
	assert_int_equal(s2s_xfrm_parse(test_msg(buf, XFRM_MSG_NEWSA, 0, &p,
						 sizeof(p)), &sa), -EBADMSG);
}

static void test_dump_request(void **state)
{
	struct nlmsghdr req, *nlh;

	(void)state;
	memset(&req, 0xff, sizeof(req));
	nlh = s2s_xfrm_dump_request(&req);
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_GETSA);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN);
	assert_int_equal(nlh->nlmsg_seq, 0);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_EXISTING), "existing");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_NEW), "new");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_UPDATE), "update");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_DELETE), "delete");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_EXPIRE_SOFT), "expire-soft");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_EXPIRE_HARD), "expire-hard");
	assert_string_equal(s2s_xfrm_kind_name(S2S_XFRM_FLUSH), "flush");
	assert_string_equal(s2s_xfrm_kind_name((enum s2s_xfrm_kind)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newsa),
		cmocka_unit_test(test_updsa_v6_encap),
		cmocka_unit_test(test_delsa),
		cmocka_unit_test(test_delsa_without_state),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_not_an_sa),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_truncated_in_keys),
		cmocka_unit_test(test_malformed_attributes),
		cmocka_unit_test(test_bad_family),
		cmocka_unit_test(test_dump_request),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests_name("xfrm", tests, NULL, NULL);
}
