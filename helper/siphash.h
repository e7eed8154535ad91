/* SPDX-License-Identifier: GPL-2.0 */
/* SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit digest.
 *
 * s2sd keeps no key bytes between events, only this digest of them under
 * a random key of its own, to recognise an SA that charon deleted and
 * added again with the same keys (an address update, not a new SA).
 */
#ifndef S2S_HELPER_SIPHASH_H
#define S2S_HELPER_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define S2S_SIPHASH_KEY_SIZE	16

/**
 * struct s2s_siphash - an incremental SipHash-2-4 computation
 * @v: the four state words
 * @tail: input bytes not yet making a full 8-byte word
 * @ntail: how many bytes are in @tail
 * @len: total input length, its low byte goes into the last word
 */
struct s2s_siphash {
	uint64_t v[4];
	uint64_t tail;
	unsigned int ntail;
	uint64_t len;
};

void s2s_siphash_init(struct s2s_siphash *h,
		      const uint8_t key[S2S_SIPHASH_KEY_SIZE]);
void s2s_siphash_update(struct s2s_siphash *h, const void *data, size_t len);
uint64_t s2s_siphash_final(struct s2s_siphash *h);
uint64_t s2s_siphash(const uint8_t key[S2S_SIPHASH_KEY_SIZE],
		     const void *data, size_t len);

#endif /* S2S_HELPER_SIPHASH_H */
