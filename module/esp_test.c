// SPDX-License-Identifier: GPL-2.0
/* Known-answer tests: published ESP packets, opened and produced byte for
 * byte by the module's own ESP code.
 *
 * A KUnit suite inside s2s.ko, built when the kernel has KUnit and run at
 * every load; results go to the kernel log as KTAP (selftests/esp_kat.sh
 * reads them). Each vector (esp_test_vectors.h) is a whole ESP packet
 * from a standard: header, IV, ciphertext of the payload with its padding
 * and trailer, ICV.
 *
 * Producing a packet byte-exact needs the published IV. The data path puts
 * seqiv/echainiv in front of every transform (crypto.c), and they choose
 * the IV; so "produce" uses the same transform without the IV generator
 * (s2s_crypto_setup(..., geniv = false)) and does the one thing the
 * generator would have done: put the IV into the packet and hand it to
 * the AEAD with the associated data. Everything else is the data path's:
 * key layout, ESP header, padding and trailer (s2s_esp_encap()), the
 * associated data and scatterlist (s2s_esp_req_alloc()), trailer checks
 * (s2s_esp_decap()). "Open" runs both: the transform s2s_crypto_init()
 * gives an SA, where the algorithm is one an SA can have, and the one
 * without generator.
 */

#include <crypto/aead.h>
#include <kunit/test.h>
#include <linux/s2s.h>
#include <linux/skbuff.h>

#include "esp.h"
#include "esp_test_vectors.h"

/* Room for the ESP header and the largest IV in front of the payload. */
#define S2S_KAT_HEADROOM	64

/* Index of the first byte where @got and @want differ, or @len. */
static unsigned int s2s_kat_diff(const u8 *got, const u8 *want,
				 unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			break;
	return i;
}

static void s2s_kat_expect_bytes(struct kunit *test, const char *what,
				 const u8 *got, unsigned int got_len,
				 const u8 *want, unsigned int want_len)
{
	unsigned int at;

	KUNIT_ASSERT_EQ_MSG(test, got_len, want_len, "%s: length", what);
	at = s2s_kat_diff(got, want, want_len);
	KUNIT_EXPECT_EQ_MSG(test, at, want_len,
			    "%s: byte %u is %02x, the vector has %02x", what,
			    at, at < want_len ? got[at] : 0,
			    at < want_len ? want[at] : 0);
}

/* An SA as far as the ESP code looks at one: SPI, ESN and transform. */
static struct s2s_sa *s2s_kat_sa(struct kunit *test,
				 const struct s2s_kat_vector *v, bool geniv)
{
	struct netlink_ext_ack extack = {};
	struct s2s_sa *sa;
	int err;

	sa = kunit_kzalloc(test, sizeof(*sa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sa);
	sa->spi = htonl(v->spi);
	sa->esn = v->esn;
	if (geniv)
		err = s2s_crypto_init(&sa->crypto, v->enc, v->key, v->key_len,
				      v->integ, v->integ_key, v->integ_key_len,
				      v->esn, &extack);
	else
		err = s2s_crypto_setup(&sa->crypto, &v->alg, v->key,
				       v->key_len, v->integ_key,
				       v->integ_key_len, v->esn, false, &extack);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "transform for %s: %s", v->name,
			    extack._msg ?: "");
	KUNIT_EXPECT_EQ(test, (unsigned int)sa->crypto.ivlen, v->iv_len);
	return sa;
}

static void s2s_kat_sa_free(struct s2s_sa *sa)
{
	s2s_crypto_uninit(&sa->crypto);
}

/*
 * Run the AEAD over the ESP packet in @skb (data at the ESP header) and
 * wait for it. Without an IV generator the IV is passed by hand: taken
 * out of the packet, and counted with the associated data, which is
 * exactly how seqiv and echainiv call the transform they wrap.
 */
static int s2s_kat_crypt(struct s2s_sa *sa, struct sk_buff *skb, u64 seq,
			 unsigned int crypt_len, bool encrypt, bool geniv)
{
	u8 iv[16] __aligned(8);
	struct aead_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	void *r;
	int err;

	r = s2s_esp_req_alloc(sa, skb, seq, 0, crypt_len, encrypt, &req);
	if (!r)
		return -ENOMEM;
	if (!geniv) {
		memcpy(iv, skb->data + sizeof(struct ip_esp_hdr),
		       sa->crypto.ivlen);
		aead_request_set_crypt(req, req->src, req->dst,
				       req->cryptlen - sa->crypto.ivlen, iv);
		aead_request_set_ad(req, req->assoclen + sa->crypto.ivlen);
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				       CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	err = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
					crypto_aead_decrypt(req), &wait);
	s2s_esp_req_free(r);
	return err;
}

static struct sk_buff *s2s_kat_skb(struct kunit *test, const u8 *data,
				   unsigned int len)
{
	struct sk_buff *skb;

	skb = alloc_skb(S2S_KAT_HEADROOM + len + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_reserve(skb, S2S_KAT_HEADROOM);
	skb_put_data(skb, data, len);
	return skb;
}

/* The data path's ESP code turns the vector's inner packet into the
 * vector's ESP packet.
 */
static void s2s_kat_produce(struct kunit *test)
{
	const struct s2s_kat_vector *v = test->param_value;
	struct sk_buff *skb;
	unsigned int clen;
	struct s2s_sa *sa;

	sa = s2s_kat_sa(test, v, false);
	skb = s2s_kat_skb(test, v->inner, v->inner_len);
	clen = s2s_esp_encap(skb, sa->spi, &sa->crypto, v->seq, v->nexthdr);
	/* What the IV generator would write. */
	memcpy(skb->data + sizeof(struct ip_esp_hdr), v->iv, v->iv_len);
	KUNIT_EXPECT_EQ_MSG(test, s2s_kat_crypt(sa, skb, v->seq, clen, true,
						false), 0, "%s: encrypt", v->name);
	s2s_kat_expect_bytes(test, v->name, skb->data, skb->len, v->esp,
			     v->esp_len);
	kfree_skb(skb);
	s2s_kat_sa_free(sa);
}

static void s2s_kat_open_with(struct kunit *test,
			      const struct s2s_kat_vector *v, bool geniv)
{
	struct sk_buff *skb;
	struct s2s_sa *sa;
	u8 nexthdr = 0;
	int err;

	sa = s2s_kat_sa(test, v, geniv);
	skb = s2s_kat_skb(test, v->esp, v->esp_len);
	err = s2s_kat_crypt(sa, skb, v->seq,
			    skb->len - sizeof(struct ip_esp_hdr), false, geniv);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: decrypt (%s transform)",
			    v->name, geniv ? "the SA's" : "explicit-IV");
	KUNIT_ASSERT_EQ_MSG(test, s2s_esp_decap(skb, &sa->crypto, &nexthdr), 0,
			    "%s: trailer", v->name);
	KUNIT_EXPECT_EQ_MSG(test, nexthdr, v->nexthdr, "%s: next header",
			    v->name);
	s2s_kat_expect_bytes(test, v->name, skb->data, skb->len, v->inner,
			     v->inner_len);
	kfree_skb(skb);
	s2s_kat_sa_free(sa);
}

/* The published packet decrypts, authenticates and yields the vector's
 * inner packet: through an SA's own transform, and without IV generator.
 */
static void s2s_kat_open(struct kunit *test)
{
	const struct s2s_kat_vector *v = test->param_value;

	s2s_kat_open_with(test, v, false);
	if (v->sa_alg)
		s2s_kat_open_with(test, v, true);
}

/* One flipped bit anywhere after the SPI makes a packet with an ICV fail
 * authentication.
 */
static void s2s_kat_tamper(struct kunit *test)
{
	const struct s2s_kat_vector *v = test->param_value;
	unsigned int bit, bits[] = { 32, 64, 8 * v->esp_len / 2,
				     8 * v->esp_len - 1 };
	struct sk_buff *skb;
	struct s2s_sa *sa;
	int i, err;

	sa = s2s_kat_sa(test, v, false);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		bit = bits[i];
		skb = s2s_kat_skb(test, v->esp, v->esp_len);
		skb->data[bit / 8] ^= 1 << (bit % 8);
		err = s2s_kat_crypt(sa, skb, v->seq,
				    skb->len - sizeof(struct ip_esp_hdr), false,
				    false);
		KUNIT_EXPECT_EQ_MSG(test, err, -EBADMSG, "%s: bit %u flipped",
				    v->name, bit);
		kfree_skb(skb);
	}
	s2s_kat_sa_free(sa);
}

static void s2s_kat_desc(const struct s2s_kat_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s2s_kat, s2s_kat_vectors, s2s_kat_desc);

/* The vectors with an ICV: RFC 3602's packets have none to break. (A
 * parameter cannot be skipped visibly in this KUnit, so it is not offered.)
 */
static const void *s2s_kat_icv_gen_params(const void *prev, char *desc)
{
	const struct s2s_kat_vector *v = prev ? prev : s2s_kat_vectors - 1;

	while (++v < s2s_kat_vectors + ARRAY_SIZE(s2s_kat_vectors)) {
		if (v->alg.icvlen) {
			s2s_kat_desc(v, desc);
			return v;
		}
	}
	return NULL;
}

static struct kunit_case s2s_kat_cases[] = {
	KUNIT_CASE_PARAM(s2s_kat_produce, s2s_kat_gen_params),
	KUNIT_CASE_PARAM(s2s_kat_open, s2s_kat_gen_params),
	KUNIT_CASE_PARAM(s2s_kat_tamper, s2s_kat_icv_gen_params),
	{}
};

static struct kunit_suite s2s_kat_suite = {
	.name = "s2s_esp_known_answers",
	.test_cases = s2s_kat_cases,
};

kunit_test_suite(s2s_kat_suite);
