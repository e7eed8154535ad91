// SPDX-License-Identifier: GPL-2.0
/* SipHash-2-4; see siphash.h. Written from the paper's description. */
#include <string.h>

#include "siphash.h"

#define S2S_ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t s2s_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void s2s_sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = S2S_ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = S2S_ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = S2S_ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = S2S_ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = S2S_ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = S2S_ROTL(v[2], 32);
}

/* Two compression rounds per message word: the "2" of SipHash-2-4. */
static void s2s_siphash_word(struct s2s_siphash *h, uint64_t m)
{
	h->v[3] ^= m;
	s2s_sipround(h->v);
	s2s_sipround(h->v);
	h->v[0] ^= m;
}

/**
 * s2s_siphash_init() - start a digest under @key
 * @h: the state
 * @key: 16 secret bytes
 */
void s2s_siphash_init(struct s2s_siphash *h,
		      const uint8_t key[S2S_SIPHASH_KEY_SIZE])
{
	uint64_t k0 = s2s_le64(key), k1 = s2s_le64(key + 8);

	/* "somepseudorandomlygeneratedbytes", the paper's constants */
	h->v[0] = k0 ^ 0x736f6d6570736575ULL;
	h->v[1] = k1 ^ 0x646f72616e646f6dULL;
	h->v[2] = k0 ^ 0x6c7967656e657261ULL;
	h->v[3] = k1 ^ 0x7465646279746573ULL;
	h->tail = 0;
	h->ntail = 0;
	h->len = 0;
}

/**
 * s2s_siphash_update() - feed bytes
 * @h: the state
 * @data: input
 * @len: its length
 */
void s2s_siphash_update(struct s2s_siphash *h, const void *data, size_t len)
{
	const uint8_t *p = data;

	h->len += len;
	while (len--) {
		h->tail |= (uint64_t)*p++ << (8 * h->ntail);
		if (++h->ntail == 8) {
			s2s_siphash_word(h, h->tail);
			h->tail = 0;
			h->ntail = 0;
		}
	}
}

/**
 * s2s_siphash_final() - the digest; @h is wiped
 * @h: the state
 *
 * Return: the 64-bit digest.
 */
uint64_t s2s_siphash_final(struct s2s_siphash *h)
{
	uint64_t out;
	int i;

	s2s_siphash_word(h, h->tail | (h->len & 0xff) << 56);
	h->v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		s2s_sipround(h->v);
	out = h->v[0] ^ h->v[1] ^ h->v[2] ^ h->v[3];
	/* the state was derived from key material */
	explicit_bzero(h, sizeof(*h));
	return out;
}

/**
 * s2s_siphash() - digest of one buffer
 * @key: 16 secret bytes
 * @data: input
 * @len: its length
 *
 * Return: the 64-bit digest.
 */
uint64_t s2s_siphash(const uint8_t key[S2S_SIPHASH_KEY_SIZE],
		     const void *data, size_t len)
{
	struct s2s_siphash h;

	s2s_siphash_init(&h, key);
	s2s_siphash_update(&h, data, len);
	return s2s_siphash_final(&h);
}
