// SPDX-License-Identifier: GPL-2.0
/* ESP ChaCha20-Poly1305 (RFC 7634) on the kernel's ChaCha20 and Poly1305
 * library routines, for the packets of an SA.
 *
 * The crypto API's rfc7539esp template does the same arithmetic with the
 * same architecture code (chacha20-simd and poly1305-simd are built on
 * these routines), but as a chain of skcipher and ahash requests: the
 * Poly1305 key block, the associated data, each padding and the lengths
 * are steps of their own, each with its scatterlist walk and completion.
 * Under make bench that costs an ESP packet of 1420 bytes about 15 % and a
 * 64-byte one two thirds of its crypto time (design.rst). ESP's packet is
 * linear here (esp.c), so one pass over one buffer does.
 *
 * The library's one-call chacha20poly1305 takes a 64-bit nonce behind a
 * zero word, which leaves no room for ESP's 32-bit salt; the two routines
 * are composed here instead, as RFC 8439 2.8 describes.
 */

#include <crypto/algapi.h>
#include <crypto/chacha.h>	/* and get_unaligned_le32(), in any kernel */
#include <crypto/poly1305.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "chachapoly.h"

/**
 * struct s2s_chachapoly - the key of one SA's ChaCha20-Poly1305
 * @key: ChaCha20 key as the state's eight key words
 * @salt: the 32-bit salt IKEv2 derives with the key, the nonce's first word
 *	(RFC 7634 2)
 *
 * Allocated on its own and freed with kfree_sensitive(), so no copy of the
 * key is left behind in a freed SA.
 */
struct s2s_chachapoly {
	u32 key[CHACHA_KEY_SIZE / sizeof(u32)];
	u8 salt[4];
};

/**
 * s2s_chachapoly_new() - take an SA's keying material
 * @key: 32-byte key, then the 4-byte salt (crypto.c checks the length)
 *
 * Return: the key for s2s_chachapoly_seal() and s2s_chachapoly_open(), or
 * NULL without memory.
 */
struct s2s_chachapoly *s2s_chachapoly_new(const u8 key[S2S_CHACHAPOLY_KEY_LEN])
{
	struct s2s_chachapoly *k;
	int i;

	k = kmalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(k->key); i++)
		k->key[i] = get_unaligned_le32(key + 4 * i);
	memcpy(k->salt, key + CHACHA_KEY_SIZE, sizeof(k->salt));
	return k;
}

/**
 * s2s_chachapoly_free() - wipe and free a key
 * @k: s2s_chachapoly_new()'s return value, or NULL
 */
void s2s_chachapoly_free(struct s2s_chachapoly *k)
{
	kfree_sensitive(k);
}

/* Start the cipher at block 0 for the packet whose IV is @iv, and take
 * block 0's first half as the one-time Poly1305 key (RFC 8439 2.6): the
 * cipher is left at block 1, where the payload begins.
 */
static void s2s_chachapoly_start(const struct s2s_chachapoly *k, const u8 *iv,
				 u32 *state, struct poly1305_desc_ctx *mac)
{
	u8 nonce[CHACHA_IV_SIZE] = {};	/* block counter 0, salt, IV */
	u8 otk[POLY1305_KEY_SIZE] = {};

	memcpy(nonce + 4, k->salt, sizeof(k->salt));
	memcpy(nonce + 8, iv, S2S_CHACHAPOLY_IV_LEN);
	chacha_init(state, k->key, nonce);
	chacha20_crypt(state, otk, otk, sizeof(otk));
	poly1305_init(mac, otk);
	memzero_explicit(otk, sizeof(otk));
}

/* Authenticate @len bytes of @text after the associated data, each padded
 * to 16 bytes, then both lengths (RFC 8439 2.8), into @tag.
 */
static void s2s_chachapoly_tag(struct poly1305_desc_ctx *mac, const u8 *ad,
			       unsigned int adlen, const u8 *text,
			       unsigned int len, u8 *tag)
{
	static const u8 zeroes[POLY1305_BLOCK_SIZE];
	__le64 lens[2] = { cpu_to_le64(adlen), cpu_to_le64(len) };

	poly1305_update(mac, ad, adlen);
	poly1305_update(mac, zeroes, -adlen % POLY1305_BLOCK_SIZE);
	poly1305_update(mac, text, len);
	poly1305_update(mac, zeroes, -len % POLY1305_BLOCK_SIZE);
	poly1305_update(mac, (u8 *)lens, sizeof(lens));
	poly1305_final(mac, tag);
}

/**
 * s2s_chachapoly_seal() - encrypt and authenticate one ESP packet in place
 * @k: the SA's key
 * @ad: associated data: SPI and sequence number (with ESN, its high half
 *	between them), RFC 7634 2.1
 * @adlen: 8 or 12
 * @data: the IV, already in the packet, then the payload with its padding
 *	and trailer; S2S_CHACHAPOLY_ICV_LEN bytes of room must follow
 * @len: bytes of IV and payload
 *
 * Context: any; the routines use the FPU where they may, and work without
 * where they may not.
 */
void s2s_chachapoly_seal(const struct s2s_chachapoly *k, const u8 *ad,
			 unsigned int adlen, u8 *data, unsigned int len)
{
	u8 *text = data + S2S_CHACHAPOLY_IV_LEN;
	struct poly1305_desc_ctx mac;
	u32 state[CHACHA_STATE_WORDS];

	len -= S2S_CHACHAPOLY_IV_LEN;
	s2s_chachapoly_start(k, data, state, &mac);
	chacha20_crypt(state, text, text, len);
	s2s_chachapoly_tag(&mac, ad, adlen, text, len, text + len);
	memzero_explicit(state, sizeof(state));
	memzero_explicit(&mac, sizeof(mac));
}

/**
 * s2s_chachapoly_open() - authenticate and decrypt one ESP packet in place
 * @k: the SA's key
 * @ad: associated data, as for s2s_chachapoly_seal()
 * @adlen: 8 or 12
 * @data: IV, ciphertext, ICV
 * @len: bytes of all three
 *
 * The ciphertext is decrypted only once its ICV is found right.
 *
 * Context: as s2s_chachapoly_seal().
 * Return: 0, or -EBADMSG when the ICV does not match (or @len cannot hold
 * an IV and an ICV).
 */
int s2s_chachapoly_open(const struct s2s_chachapoly *k, const u8 *ad,
			unsigned int adlen, u8 *data, unsigned int len)
{
	u8 *text = data + S2S_CHACHAPOLY_IV_LEN;
	u8 tag[S2S_CHACHAPOLY_ICV_LEN];
	struct poly1305_desc_ctx mac;
	u32 state[CHACHA_STATE_WORDS];
	int err = -EBADMSG;

	if (len < S2S_CHACHAPOLY_IV_LEN + S2S_CHACHAPOLY_ICV_LEN)
		return -EBADMSG;
	len -= S2S_CHACHAPOLY_IV_LEN + S2S_CHACHAPOLY_ICV_LEN;
	s2s_chachapoly_start(k, data, state, &mac);
	s2s_chachapoly_tag(&mac, ad, adlen, text, len, tag);
	if (!crypto_memneq(tag, text + len, sizeof(tag))) {
		chacha20_crypt(state, text, text, len);
		err = 0;
	}
	memzero_explicit(state, sizeof(state));
	memzero_explicit(&mac, sizeof(mac));
	return err;
}
