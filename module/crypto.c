// SPDX-License-Identifier: GPL-2.0
/* ESP transforms: map (encryption, integrity, ESN) to a kernel crypto AEAD
 * and key it, or for ChaCha20-Poly1305 to the library routines of
 * chachapoly.c. Nothing here touches a cipher directly.
 */

#include <crypto/authenc.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/s2s.h>

#include "crypto.h"

/* AEAD salt that follows the key, as IKEv2 derives it (RFC 4106 8.1,
 * RFC 7634 2).
 */
#define S2S_AEAD_SALT_LEN	4

struct s2s_integ_alg {
	const char *hash;	/* kernel crypto name of the HMAC */
	u8 keylen;
	u8 icvlen;		/* truncated ICV, RFC 2404 / RFC 4868 */
};

static const struct s2s_integ_alg s2s_integ_algs[] = {
	[S2S_INTEG_HMAC_SHA1_96]	= { "hmac(sha1)", 20, 12 },
	[S2S_INTEG_HMAC_SHA256_128]	= { "hmac(sha256)", 32, 16 },
	[S2S_INTEG_HMAC_SHA384_192]	= { "hmac(sha384)", 48, 24 },
	[S2S_INTEG_HMAC_SHA512_256]	= { "hmac(sha512)", 64, 32 },
};

/**
 * s2s_crypto_is_legacy() - whether a combination is only for old peers
 * @enc: enum s2s_enc
 * @integ: enum s2s_integ
 *
 * Return: true for 3DES and HMAC-SHA1-96, kept for the legacy peers of
 * REQUIREMENTS.md and flagged as such in the CLI.
 */
bool s2s_crypto_is_legacy(u32 enc, u32 integ)
{
	return enc == S2S_ENC_DES3_CBC || integ == S2S_INTEG_HMAC_SHA1_96;
}

/* authenc() takes both keys in one buffer behind an rtattr that gives the
 * encryption key's length.
 */
static int s2s_crypto_setkey_authenc(struct crypto_aead *aead,
				     const u8 *enc_key, unsigned int enc_keylen,
				     const u8 *integ_key,
				     unsigned int integ_keylen)
{
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   integ_keylen + enc_keylen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;

	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(enc_keylen);
	p = key + RTA_SPACE(sizeof(*param));
	memcpy(p, integ_key, integ_keylen);
	memcpy(p + integ_keylen, enc_key, enc_keylen);

	err = crypto_aead_setkey(aead, key, len);
	kfree_sensitive(key);
	return err;
}

/**
 * s2s_crypto_setup() - allocate and key an ESP transform
 * @c: transform to fill; zeroed first
 * @alg: the crypto API's names for it
 * @enc_key: encryption key (combined-mode AEADs: key then salt)
 * @enc_keylen: its length
 * @integ_key: integrity key with @alg->hash, else NULL
 * @integ_keylen: its length
 * @esn: extended sequence numbers (authencesn instead of authenc)
 * @geniv: put the IV generator in front: seqiv for combined-mode AEADs
 *	(RFC 4106 and RFC 7634 want a counter-derived IV), echainiv for CBC
 *	(RFC 3602 wants an unpredictable one), as XFRM does. Only the
 *	known-answer tests pass false, to supply published IVs themselves.
 * @extack: where to explain a refusal
 *
 * Lengths are the caller's to check (s2s_crypto_init() does); the crypto
 * API still refuses keys its algorithms cannot take.
 *
 * Return: 0 or a negative errno; on error @c holds nothing.
 */
int s2s_crypto_setup(struct s2s_crypto *c, const struct s2s_crypto_alg *alg,
		     const u8 *enc_key, unsigned int enc_keylen,
		     const u8 *integ_key, unsigned int integ_keylen, bool esn,
		     bool geniv, struct netlink_ext_ack *extack)
{
	const char *open = geniv ? (alg->hash ? "echainiv(" : "seqiv(") : "";
	const char *close = geniv ? ")" : "";
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	int err, len;

	memset(c, 0, sizeof(*c));
	if (alg->hash)
		len = snprintf(name, sizeof(name), "%s%s(%s,%s)%s", open,
			       esn ? "authencesn" : "authenc", alg->hash,
			       alg->cipher, close);
	else
		len = snprintf(name, sizeof(name), "%s%s%s", open, alg->cipher,
			       close);
	if (len >= sizeof(name)) {
		NL_SET_ERR_MSG_MOD(extack, "crypto algorithm name too long");
		return -ENAMETOOLONG;
	}

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "crypto algorithm unavailable in this kernel");
		return PTR_ERR(aead);
	}
	c->aead = aead;
	c->ivlen = crypto_aead_ivsize(aead);
	c->block = max_t(u8, 4, crypto_aead_blocksize(aead));
	c->icvlen = alg->icvlen;

	err = crypto_aead_setauthsize(aead, c->icvlen);
	if (!err && alg->hash)
		err = s2s_crypto_setkey_authenc(aead, enc_key, enc_keylen,
						integ_key, integ_keylen);
	else if (!err)
		err = crypto_aead_setkey(aead, enc_key, enc_keylen);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "crypto API refused the keys");
		s2s_crypto_uninit(c);
	}
	return err;
}

static int s2s_crypto_check_aead(u32 enc, unsigned int keylen,
				 struct s2s_crypto_alg *alg,
				 struct netlink_ext_ack *extack)
{
	unsigned int cipher_keylen = keylen - S2S_AEAD_SALT_LEN;

	alg->hash = NULL;
	alg->icvlen = 16;
	if (enc == S2S_ENC_AES_GCM) {
		if (cipher_keylen != 16 && cipher_keylen != 32) {
			NL_SET_ERR_MSG_MOD(extack,
					   "AES-GCM key must be 16 or 32 bytes plus a 4-byte salt");
			return -EINVAL;
		}
		alg->cipher = "rfc4106(gcm(aes))";
		return 0;
	}
	/* ChaCha20-Poly1305 is the library's (chachapoly.c): no name to set. */
	if (keylen != S2S_CHACHAPOLY_KEY_LEN) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ChaCha20-Poly1305 key must be 32 bytes plus a 4-byte salt");
		return -EINVAL;
	}
	return 0;
}

static int s2s_crypto_check_cbc(u32 enc, unsigned int enc_keylen, u32 integ,
				unsigned int integ_keylen,
				struct s2s_crypto_alg *alg,
				struct netlink_ext_ack *extack)
{
	const struct s2s_integ_alg *ia;

	if (integ == S2S_INTEG_NONE || integ >= ARRAY_SIZE(s2s_integ_algs)) {
		NL_SET_ERR_MSG_MOD(extack, "CBC encryption needs an integrity algorithm");
		return -EINVAL;
	}
	ia = &s2s_integ_algs[integ];
	if (integ_keylen != ia->keylen) {
		NL_SET_ERR_MSG_MOD(extack,
				   "integrity key length does not match the algorithm");
		return -EINVAL;
	}
	if (enc == S2S_ENC_AES_CBC) {
		if (enc_keylen != 16 && enc_keylen != 24 && enc_keylen != 32) {
			NL_SET_ERR_MSG_MOD(extack, "AES-CBC key must be 16, 24 or 32 bytes");
			return -EINVAL;
		}
		alg->cipher = "cbc(aes)";
	} else {
		if (enc_keylen != 24) {
			NL_SET_ERR_MSG_MOD(extack, "3DES-CBC key must be 24 bytes");
			return -EINVAL;
		}
		alg->cipher = "cbc(des3_ede)";
	}
	/* authencesn hashes the high sequence bits after the payload, as
	 * RFC 4303 2.2.1 places them for integrity-only transforms.
	 */
	alg->hash = ia->hash;
	alg->icvlen = ia->icvlen;
	return 0;
}

/* An SA's ChaCha20-Poly1305 runs on the library routines rather than the
 * crypto API's rfc7539esp template: same code underneath, without the
 * template's chain of requests per packet (chachapoly.c, design.rst). The
 * IV is the sequence number, the counter RFC 7634 2 recommends.
 */
static int s2s_crypto_setup_chachapoly(struct s2s_crypto *c, const u8 *key,
				       struct netlink_ext_ack *extack)
{
	c->chachapoly = s2s_chachapoly_new(key);
	if (!c->chachapoly) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the ChaCha20-Poly1305 key");
		return -ENOMEM;
	}
	c->ivlen = S2S_CHACHAPOLY_IV_LEN;
	c->icvlen = S2S_CHACHAPOLY_ICV_LEN;
	c->block = 4;
	return 0;
}

/**
 * s2s_crypto_init() - allocate and key the transform of an SA
 * @c: transform to fill
 * @enc: enum s2s_enc
 * @enc_key: encryption key (AEADs: key then 4-byte salt)
 * @enc_keylen: its length
 * @integ: enum s2s_integ; S2S_INTEG_NONE with an AEAD
 * @integ_key: integrity key, or NULL
 * @integ_keylen: its length
 * @esn: extended sequence numbers
 * @extack: where to explain a refusal
 *
 * Return: 0 or a negative errno; on error @c holds nothing.
 */
int s2s_crypto_init(struct s2s_crypto *c, u32 enc, const u8 *enc_key,
		    unsigned int enc_keylen, u32 integ, const u8 *integ_key,
		    unsigned int integ_keylen, bool esn,
		    struct netlink_ext_ack *extack)
{
	struct s2s_crypto_alg alg;
	int err;

	memset(c, 0, sizeof(*c));
	switch (enc) {
	case S2S_ENC_AES_GCM:
	case S2S_ENC_CHACHA20_POLY1305:
		if (integ != S2S_INTEG_NONE) {
			NL_SET_ERR_MSG_MOD(extack,
					   "AEAD encryption takes no separate integrity algorithm");
			return -EINVAL;
		}
		if (enc_keylen <= S2S_AEAD_SALT_LEN) {
			NL_SET_ERR_MSG_MOD(extack, "AEAD key too short");
			return -EINVAL;
		}
		err = s2s_crypto_check_aead(enc, enc_keylen, &alg, extack);
		break;
	case S2S_ENC_AES_CBC:
	case S2S_ENC_DES3_CBC:
		err = s2s_crypto_check_cbc(enc, enc_keylen, integ, integ_keylen,
					   &alg, extack);
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "unknown encryption algorithm");
		return -EINVAL;
	}
	if (err)
		return err;
	if (enc == S2S_ENC_CHACHA20_POLY1305)
		return s2s_crypto_setup_chachapoly(c, enc_key, extack);
	return s2s_crypto_setup(c, &alg, enc_key, enc_keylen, integ_key,
				integ_keylen, esn, true, extack);
}

/**
 * s2s_crypto_uninit() - free a transform and wipe its keys (the crypto API
 *	wipes a transform's, s2s_chachapoly_free() the library's)
 * @c: transform, possibly never initialised (zeroed)
 */
void s2s_crypto_uninit(struct s2s_crypto *c)
{
	if (c->aead)
		crypto_free_aead(c->aead);
	c->aead = NULL;
	s2s_chachapoly_free(c->chachapoly);
	c->chachapoly = NULL;
}
