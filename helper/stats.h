/* SPDX-License-Identifier: GPL-2.0 */
/* The spec's "stats" nest (links, SAs and notifications carry one):
 * parsing, text and JSON. Drop reasons are named after enum s2s_drop.
 */
#ifndef S2S_HELPER_STATS_H
#define S2S_HELPER_STATS_H

#include <stdint.h>
#include <linux/netlink.h>
#include <linux/s2s.h>

#include "strbuf.h"

struct json_object;

/**
 * struct s2s_stats - counters of a link or an SA
 * @present: bit (1 << S2S_A_STATS_*) per attribute received
 * @tx_packets: S2S_A_STATS_TX_PACKETS
 * @tx_bytes: S2S_A_STATS_TX_BYTES
 * @rx_packets: S2S_A_STATS_RX_PACKETS
 * @rx_bytes: S2S_A_STATS_RX_BYTES
 * @drops: S2S_A_STATS_DROP_*, indexed by enum s2s_drop
 */
struct s2s_stats {
	uint64_t present;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t drops[__S2S_DROP_COUNT];
};

const char *s2s_drop_name(unsigned int reason);
const char *s2s_drop_json_key(unsigned int reason);
int s2s_stats_parse(const struct nlattr *nest, struct s2s_stats *stats);
void s2s_stats_put_traffic(struct s2s_strbuf *sb, const struct s2s_stats *stats);
void s2s_stats_put_drops(struct s2s_strbuf *sb, const struct s2s_stats *stats);
struct json_object *s2s_stats_to_json(const struct s2s_stats *stats);

#endif /* S2S_HELPER_STATS_H */
