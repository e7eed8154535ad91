// SPDX-License-Identifier: GPL-2.0
/* Anti-replay window.
 *
 * A ring of bits indexed by sequence number modulo its length, one word
 * longer than the window (as in RFC 6479): accepting a packet sets one bit;
 * moving forward clears whole words as the window enters them, never more
 * than the ring holds however far the sequence jumps, so the work is
 * constant per packet and per sequence number advanced.
 */

#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "replay.h"

/**
 * s2s_replay_alloc() - allocate an empty window
 * @size: window in packets, 1 to %S2S_REPLAY_MAX
 * @esn: whether the SA uses extended sequence numbers
 * @gfp: allocation flags
 *
 * Return: the window or NULL.
 */
struct s2s_replay *s2s_replay_alloc(u32 size, bool esn, gfp_t gfp)
{

	u32 ring = roundup_pow_of_two(size + BITS_PER_LONG);
	struct s2s_replay *r;

	r = kvzalloc(struct_size(r, bitmap, BITS_TO_LONGS(ring)), gfp);
	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	r->size = size;
	r->ring = ring;
	r->esn = esn;
	return r;
}

/**
 * s2s_replay_free() - free a window
 * @r: window, may be NULL
 */
void s2s_replay_free(struct s2s_replay *r)
{
	kvfree(r);
}

/**
 * s2s_replay_infer() - full sequence number of a received packet
 * @r: window; caller holds @r->lock or accepts a racy answer
 * @seq_lo: the 32 bits on the wire
 *
 * With ESN, the high half is inferred as in RFC 4303 Appendix A: relative
 * to the bottom of the window, a low half below it belongs to the next
 * 2^32 subspace when the window lies inside one subspace, and a low half at
 * or above it belongs to the previous subspace when the window straddles
 * a boundary.
 *
 * Return: the 64-bit sequence number (the low half alone without ESN).
 */
u64 s2s_replay_infer(const struct s2s_replay *r, u32 seq_lo)
{
	u32 top_lo = lower_32_bits(r->top);
	u32 top_hi = upper_32_bits(r->top);
	u32 bottom_lo = top_lo - r->size + 1;

	if (!r->esn)
		return seq_lo;

	if (top_lo >= r->size - 1) {
		/* Window [bottom_lo, top_lo] inside one subspace. */
		if (seq_lo < bottom_lo)
			top_hi++;
	} else {
		/* Window wraps: bottom_lo sits in the previous subspace. */
		if (seq_lo >= bottom_lo && top_hi)
			top_hi--;
	}
	return ((u64)top_hi << 32) | seq_lo;
}

static bool s2s_replay_seen_locked(const struct s2s_replay *r, u64 seq)
{
	lockdep_assert_held(&r->lock);

	if (seq > r->top)
		return false;
	if (r->top - seq >= r->size)
		return true;	/* older than the window: treat as replayed */
	return test_bit(seq & (r->ring - 1), r->bitmap);
}

/**
 * s2s_replay_check() - pre-check before spending time on decryption
 * @r: window
 * @seq_lo: the sequence number on the wire
 * @seq: out: the full sequence number, to authenticate (ESN) and to pass
 *	to s2s_replay_update()
 *
 * Return: true when the packet may be new; false for a replay, a packet
 * left of the window, or sequence number 0 (never sent, RFC 4303 3.3.3).
 */
bool s2s_replay_check(struct s2s_replay *r, u32 seq_lo, u64 *seq)
{
	bool ok;

	spin_lock_bh(&r->lock);
	*seq = s2s_replay_infer(r, seq_lo);
	ok = *seq && !s2s_replay_seen_locked(r, *seq);
	spin_unlock_bh(&r->lock);
	return ok;
}

/**
 * s2s_replay_update() - accept an authenticated packet into the window
 * @r: window
 * @seq: full sequence number from s2s_replay_check()
 *
 * A packet can pass the pre-check twice when copies are decrypted in
 * parallel; only the first update wins.
 *
 * Return: true if @seq was accepted, false if it is a replay after all.
 */
bool s2s_replay_update(struct s2s_replay *r, u64 seq)
{
	u32 ring_words = r->ring / BITS_PER_LONG;
	bool ok = false;

	spin_lock_bh(&r->lock);
	if (s2s_replay_seen_locked(r, seq))
		goto out;

	if (seq > r->top) {
		u64 word = r->top / BITS_PER_LONG;
		u64 last = seq / BITS_PER_LONG;

		/* Clear every word the window enters, whole. A word is entered
		 * only after all its numbers left the window (ring >= size +
		 * BITS_PER_LONG), and the rest of the current word beyond top is
		 * still clear from when it was entered.
		 */
		if (last - word >= ring_words)
			bitmap_zero(r->bitmap, r->ring);
		else
			while (word++ < last)
				r->bitmap[word & (ring_words - 1)] = 0;
		r->top = seq;
	}
	__set_bit(seq & (r->ring - 1), r->bitmap);
	ok = true;
out:
	spin_unlock_bh(&r->lock);
	return ok;
}
