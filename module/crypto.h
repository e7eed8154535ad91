/* SPDX-License-Identifier: GPL-2.0 */
/* ESP transforms: the kernel crypto API's AEADs, and ChaCha20-Poly1305 on
 * the kernel's ChaCha20 and Poly1305 library (chachapoly.c).
 */
#ifndef _S2S_CRYPTO_H
#define _S2S_CRYPTO_H

#include <crypto/aead.h>
#include <linux/netlink.h>

#include "chachapoly.h"

/**
 * struct s2s_crypto - the keyed transform of one SA
 * @aead: AEAD with an IV generator in front (seqiv or echainiv), like XFRM's,
 *	so that IVs are what each RFC asks for; NULL with @chachapoly
 * @chachapoly: an SA's ChaCha20-Poly1305 key, which the data path uses
 *	instead of a crypto API transform (design.rst); else NULL
 * @ivlen: IV bytes on the wire
 * @icvlen: ICV bytes on the wire
 * @block: payload + trailer are padded to a multiple of this (at least 4)
 */
struct s2s_crypto {
	struct crypto_aead *aead;
	struct s2s_chachapoly *chachapoly;
	u8 ivlen;
	u8 icvlen;
	u8 block;
};

/**
 * struct s2s_crypto_alg - an ESP transform as the crypto API names it
 * @cipher: combined-mode AEAD ("rfc4106(gcm(aes))") or CBC cipher
 *	("cbc(aes)") for authenc()
 * @hash: authenc()'s integrity algorithm ("hmac(sha256)"), or NULL for a
 *	combined-mode AEAD
 * @icvlen: ICV bytes on the wire
 */
struct s2s_crypto_alg {
	const char *cipher;
	const char *hash;
	u8 icvlen;
};

int s2s_crypto_setup(struct s2s_crypto *c, const struct s2s_crypto_alg *alg,
		     const u8 *enc_key, unsigned int enc_keylen,
		     const u8 *integ_key, unsigned int integ_keylen, bool esn,
		     bool geniv, struct netlink_ext_ack *extack);
int s2s_crypto_init(struct s2s_crypto *c, u32 enc, const u8 *enc_key,
		    unsigned int enc_keylen, u32 integ, const u8 *integ_key,
		    unsigned int integ_keylen, bool esn,
		    struct netlink_ext_ack *extack);
void s2s_crypto_uninit(struct s2s_crypto *c);
bool s2s_crypto_is_legacy(u32 enc, u32 integ);

#endif /* _S2S_CRYPTO_H */
