/* SPDX-License-Identifier: GPL-2.0 */
/* Anti-replay window for inbound SAs (RFC 4303 section 3.4.3 and
 * Appendix A), with 32-bit or extended (64-bit) sequence numbers.
 */
#ifndef _S2S_REPLAY_H
#define _S2S_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

/* Linux XFRM stops at 4096; parallel decryption reorders packets by more
 * than that at high rates, so allow far larger windows.
 */
#define S2S_REPLAY_MAX		(1U << 20)
#define S2S_REPLAY_DEFAULT	4096

/**
 * struct s2s_replay - sliding window of sequence numbers already accepted
 * @lock: protects @top and @bitmap; taken for the pre-check and the update
 * @top: highest sequence number accepted so far (64-bit, 0 = none yet)
 * @size: window in packets: anything older than @top - @size + 1 is refused
 * @ring: bits in @bitmap, a power of two >= @size + BITS_PER_LONG
 * @esn: extended sequence numbers: only the low 32 bits are on the wire
 * @bitmap: ring of bits; bit (seq % @ring) is set once seq is accepted
 */
struct s2s_replay {
	spinlock_t lock;
	u64 top;		/* protected by @lock */
	u32 size;
	u32 ring;
	bool esn;
	unsigned long bitmap[];	/* protected by @lock */
};

struct s2s_replay *s2s_replay_alloc(u32 size, bool esn, gfp_t gfp);
void s2s_replay_free(struct s2s_replay *r);
u64 s2s_replay_infer(const struct s2s_replay *r, u32 seq_lo);
bool s2s_replay_check(struct s2s_replay *r, u32 seq_lo, u64 *seq);
bool s2s_replay_update(struct s2s_replay *r, u64 seq);

#endif /* _S2S_REPLAY_H */
