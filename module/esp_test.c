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
 *
 * An SA's ChaCha20-Poly1305 is not a crypto API transform but library
 * routines (chachapoly.c); they produce RFC 7634's packet themselves, and
 * exchange packets of every length class with the crypto API's template.
 */

#include <crypto/aead.h>
#include <kunit/test.h>
#include <linux/random.h>
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
	err = crypto_wait_req(s2s_esp_crypt(&sa->crypto, r, encrypt), &wait);
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

static void s2s_kat_tamper_with(struct kunit *test,
				const struct s2s_kat_vector *v, bool geniv)
{
	unsigned int bit, bits[] = { 32, 64, 8 * v->esp_len / 2,
				     8 * v->esp_len - 1 };
	struct sk_buff *skb;
	struct s2s_sa *sa;
	int i, err;

	sa = s2s_kat_sa(test, v, geniv);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		bit = bits[i];
		skb = s2s_kat_skb(test, v->esp, v->esp_len);
		skb->data[bit / 8] ^= 1 << (bit % 8);
		err = s2s_kat_crypt(sa, skb, v->seq,
				    skb->len - sizeof(struct ip_esp_hdr), false,
				    geniv);
		KUNIT_EXPECT_EQ_MSG(test, err, -EBADMSG,
				    "%s: bit %u flipped (%s transform)", v->name,
				    bit, geniv ? "the SA's" : "explicit-IV");
		kfree_skb(skb);
	}
	s2s_kat_sa_free(sa);
}

/* One flipped bit anywhere after the SPI makes a packet with an ICV fail
 * authentication, through both transforms where an SA can have it.
 */
static void s2s_kat_tamper(struct kunit *test)
{
	const struct s2s_kat_vector *v = test->param_value;

	s2s_kat_tamper_with(test, v, false);
	if (v->sa_alg)
		s2s_kat_tamper_with(test, v, true);
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

/* RFC 7634's packet is produced byte for byte by the library routines an
 * SA's ChaCha20-Poly1305 runs on (chachapoly.c) too. Their IV is the seed
 * s2s_esp_req_alloc() puts in the request, so the vector's goes there.
 */
static void s2s_kat_chachapoly_produce(struct kunit *test)
{
	const struct s2s_kat_vector *v;
	struct aead_request *req;
	unsigned int clen, n = 0;
	struct sk_buff *skb;
	struct s2s_sa *sa;
	void *r;

	for (v = s2s_kat_vectors; v < s2s_kat_vectors + ARRAY_SIZE(s2s_kat_vectors);
	     v++) {
		if (v->enc != S2S_ENC_CHACHA20_POLY1305 || !v->sa_alg)
			continue;
		n++;
		sa = s2s_kat_sa(test, v, true);
		KUNIT_ASSERT_NOT_NULL(test, sa->crypto.chachapoly);
		skb = s2s_kat_skb(test, v->inner, v->inner_len);
		clen = s2s_esp_encap(skb, sa->spi, &sa->crypto, v->seq,
				     v->nexthdr);
		r = s2s_esp_req_alloc(sa, skb, v->seq, 0, clen, true, &req);
		KUNIT_ASSERT_NOT_NULL(test, r);
		memcpy(req->iv, v->iv, v->iv_len);
		KUNIT_EXPECT_EQ_MSG(test, s2s_esp_crypt(&sa->crypto, r, true), 0,
				    "%s: encrypt", v->name);
		s2s_esp_req_free(r);
		s2s_kat_expect_bytes(test, v->name, skb->data, skb->len, v->esp,
				     v->esp_len);
		kfree_skb(skb);
		s2s_kat_sa_free(sa);
	}
	KUNIT_EXPECT_GT_MSG(test, n, 0U, "no ChaCha20-Poly1305 vector");
}

static struct s2s_sa *s2s_kat_chachapoly_sa(struct kunit *test, const u8 *key,
					    bool esn, bool library)
{
	static const struct s2s_crypto_alg template = {
		"rfc7539esp(chacha20,poly1305)", NULL, S2S_CHACHAPOLY_ICV_LEN
	};
	struct netlink_ext_ack extack = {};
	struct s2s_sa *sa;
	int err;

	sa = kunit_kzalloc(test, sizeof(*sa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sa);
	sa->spi = htonl(0x0a0b0c0d);
	sa->esn = esn;
	if (library)
		err = s2s_crypto_init(&sa->crypto, S2S_ENC_CHACHA20_POLY1305, key,
				      S2S_CHACHAPOLY_KEY_LEN, S2S_INTEG_NONE,
				      NULL, 0, esn, &extack);
	else
		err = s2s_crypto_setup(&sa->crypto, &template, key,
				       S2S_CHACHAPOLY_KEY_LEN, NULL, 0, esn,
				       false, &extack);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: %s",
			    library ? "library" : "template", extack._msg ?: "");
	KUNIT_ASSERT_EQ(test, !!sa->crypto.chachapoly, library);
	return sa;
}

/* Seal @inner with @from, open it with @to, and find @inner again. */
static void s2s_kat_chachapoly_cross(struct kunit *test, struct s2s_sa *from,
				     struct s2s_sa *to, const u8 *inner,
				     unsigned int len, u64 seq)
{
	bool from_lib = from->crypto.chachapoly, to_lib = to->crypto.chachapoly;
	struct sk_buff *skb;
	unsigned int clen;
	u8 nexthdr = 0;

	skb = s2s_kat_skb(test, inner, len);
	clen = s2s_esp_encap(skb, from->spi, &from->crypto, seq, 4);
	if (!from_lib)	/* what seqiv would have written */
		get_random_bytes(skb->data + sizeof(struct ip_esp_hdr),
				 S2S_CHACHAPOLY_IV_LEN);
	KUNIT_ASSERT_EQ_MSG(test, s2s_kat_crypt(from, skb, seq, clen, true,
						from_lib), 0,
			    "%u bytes, ESN %d: seal", len, from->esn);
	KUNIT_ASSERT_EQ_MSG(test, s2s_kat_crypt(to, skb, seq,
						skb->len - sizeof(struct ip_esp_hdr),
						false, to_lib), 0,
			    "%u bytes, ESN %d: %s opens what %s sealed", len,
			    from->esn, to_lib ? "library" : "template",
			    from_lib ? "library" : "template");
	KUNIT_ASSERT_EQ(test, s2s_esp_decap(skb, &to->crypto, &nexthdr), 0);
	KUNIT_EXPECT_EQ(test, nexthdr, 4);
	s2s_kat_expect_bytes(test, "inner packet", skb->data, skb->len, inner,
			     len);
	kfree_skb(skb);
}

/* The library routines and the crypto API's rfc7539esp template open each
 * other's packets: every length class around ChaCha20's 64-byte blocks
 * and Poly1305's 16-byte ones, with and without ESN (12 bytes of
 * associated data, which no published vector has).
 */
static void s2s_kat_chachapoly_template(struct kunit *test)
{
	static const unsigned int lens[] = { 1, 15, 16, 17, 63, 64, 65, 255,
					     256, 1000, 1420, 4000 };
	struct s2s_sa *lib, *tmpl;
	u8 key[S2S_CHACHAPOLY_KEY_LEN], *inner;
	int esn, i;
	u64 seq;

	inner = kunit_kmalloc(test, 4000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, inner);
	for (esn = 0; esn <= 1; esn++) {
		get_random_bytes(key, sizeof(key));
		lib = s2s_kat_chachapoly_sa(test, key, esn, true);
		tmpl = s2s_kat_chachapoly_sa(test, key, esn, false);
		seq = esn ? 0x100000007ULL : 7;
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			get_random_bytes(inner, lens[i]);
			s2s_kat_chachapoly_cross(test, lib, tmpl, inner, lens[i],
						 seq);
			s2s_kat_chachapoly_cross(test, tmpl, lib, inner, lens[i],
						 seq);
		}
		s2s_kat_sa_free(lib);
		s2s_kat_sa_free(tmpl);
	}
	memzero_explicit(key, sizeof(key));
}

static struct kunit_case s2s_kat_cases[] = {
	KUNIT_CASE_PARAM(s2s_kat_produce, s2s_kat_gen_params),
	KUNIT_CASE_PARAM(s2s_kat_open, s2s_kat_gen_params),
	KUNIT_CASE_PARAM(s2s_kat_tamper, s2s_kat_icv_gen_params),
	KUNIT_CASE(s2s_kat_chachapoly_produce),
	KUNIT_CASE(s2s_kat_chachapoly_template),
	{}
};

static struct kunit_suite s2s_kat_suite = {
	.name = "s2s_esp_known_answers",
	.test_cases = s2s_kat_cases,
};

kunit_test_suite(s2s_kat_suite);
