// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: written lock-free on the data path, summed for netlink. */

#include <net/netlink.h>

#include "stats.h"

/**
 * s2s_stats_alloc() - zeroed per-CPU counters
 *
 * Return: the counters or NULL.
 */
struct s2s_stats __percpu *s2s_stats_alloc(void)
{
	struct s2s_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct s2s_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

/**
 * s2s_stats_free() - free counters
 * @stats: counters, may be NULL
 */
void s2s_stats_free(struct s2s_stats __percpu *stats)
{
	free_percpu(stats);
}

/**
 * s2s_stats_tx() - count one packet sent
 * @stats: counters
 * @bytes: inner bytes
 */
void s2s_stats_tx(struct s2s_stats __percpu *stats, unsigned int bytes)
{
	struct s2s_stats *s = get_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, bytes);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(stats);
}

/**
 * s2s_stats_rx() - count one packet received
 * @stats: counters
 * @bytes: inner bytes
 */
void s2s_stats_rx(struct s2s_stats __percpu *stats, unsigned int bytes)
{
	struct s2s_stats *s = get_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, bytes);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(stats);
}

/**
 * s2s_stats_drop() - count one dropped packet
 * @stats: counters
 * @why: reason
 */
void s2s_stats_drop(struct s2s_stats __percpu *stats, enum s2s_drop why)
{
	struct s2s_stats *s = get_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[why]);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(stats);
}

/**
 * s2s_stats_read() - sum the counters of every CPU
 * @stats: counters
 * @sum: out
 */
void s2s_stats_read(struct s2s_stats __percpu *stats, struct s2s_stats_sum *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct s2s_stats *s = per_cpu_ptr(stats, cpu);
		struct s2s_stats_sum one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.tx_packets = u64_stats_read(&s->tx_packets);
			one.tx_bytes = u64_stats_read(&s->tx_bytes);
			one.rx_packets = u64_stats_read(&s->rx_packets);
			one.rx_bytes = u64_stats_read(&s->rx_bytes);
			for (i = 0; i < __S2S_DROP_COUNT; i++)
				one.drops[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		sum->tx_packets += one.tx_packets;
		sum->tx_bytes += one.tx_bytes;
		sum->rx_packets += one.rx_packets;
		sum->rx_bytes += one.rx_bytes;
		for (i = 0; i < __S2S_DROP_COUNT; i++)
			sum->drops[i] += one.drops[i];
	}
}

/**
 * s2s_stats_nl_put() - add a stats nest to a netlink message
 * @skb: message
 * @attr: nest attribute type
 * @sum: counters
 *
 * The drop attributes follow enum s2s_drop in order, after the four
 * traffic counters, as the spec lays them out.
 *
 * Return: 0 or -EMSGSIZE.
 */
int s2s_stats_nl_put(struct sk_buff *skb, int attr,
		     const struct s2s_stats_sum *sum)
{
	struct nlattr *nest;
	int i;

	BUILD_BUG_ON(S2S_A_STATS_DROP_NO_SA + __S2S_DROP_COUNT - 1 !=
		     S2S_A_STATS_MAX);

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, S2S_A_STATS_TX_PACKETS, sum->tx_packets,
			      S2S_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, S2S_A_STATS_TX_BYTES, sum->tx_bytes,
			      S2S_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, S2S_A_STATS_RX_PACKETS, sum->rx_packets,
			      S2S_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, S2S_A_STATS_RX_BYTES, sum->rx_bytes,
			      S2S_A_STATS_PAD))
		goto cancel;
	for (i = 0; i < __S2S_DROP_COUNT; i++)
		if (nla_put_u64_64bit(skb, S2S_A_STATS_DROP_NO_SA + i,
				      sum->drops[i], S2S_A_STATS_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
