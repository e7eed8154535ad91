/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU packet, byte and drop-reason counters for links and SAs. */
#ifndef _S2S_STATS_H
#define _S2S_STATS_H

#include <linux/percpu.h>
#include <linux/s2s.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>

/**
 * struct s2s_stats - one CPU's counters
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @tx_packets: packets encrypted and sent
 * @tx_bytes: their inner bytes
 * @rx_packets: packets decrypted and delivered
 * @rx_bytes: their inner bytes
 * @drops: drops by enum s2s_drop
 */
struct s2s_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t drops[__S2S_DROP_COUNT];
};

/**
 * struct s2s_stats_sum - counters summed over CPUs
 * @tx_packets: see struct s2s_stats
 * @tx_bytes: see struct s2s_stats
 * @rx_packets: see struct s2s_stats
 * @rx_bytes: see struct s2s_stats
 * @drops: see struct s2s_stats
 */
struct s2s_stats_sum {
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_packets;
	u64 rx_bytes;
	u64 drops[__S2S_DROP_COUNT];
};

struct s2s_stats __percpu *s2s_stats_alloc(void);
void s2s_stats_free(struct s2s_stats __percpu *stats);
void s2s_stats_tx(struct s2s_stats __percpu *stats, unsigned int bytes);
void s2s_stats_rx(struct s2s_stats __percpu *stats, unsigned int bytes);
void s2s_stats_drop(struct s2s_stats __percpu *stats, enum s2s_drop why);
void s2s_stats_read(struct s2s_stats __percpu *stats, struct s2s_stats_sum *sum);
int s2s_stats_nl_put(struct sk_buff *skb, int attr,
		     const struct s2s_stats_sum *sum);

#endif /* _S2S_STATS_H */
