// SPDX-License-Identifier: GPL-2.0
/* The "stats" nest: parse, text, JSON. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <json-c/json.h>

#include "attr.h"
#include "stats.h"
#include "util.h"

#define S2S_STATS_DROP_RULE(reason)					\
	S2S_ATTR_RULE(S2S_A_STATS_DROP_NO_SA + (reason), S2S_ATTR_U64,	\
		      struct s2s_stats, drops[reason])

/* The pad attribute has no row: it carries nothing. */
static const struct s2s_attr_rule s2s_stats_rules[] = {
	S2S_ATTR_RULE(S2S_A_STATS_TX_PACKETS, S2S_ATTR_U64, struct s2s_stats,
		      tx_packets),
	S2S_ATTR_RULE(S2S_A_STATS_TX_BYTES, S2S_ATTR_U64, struct s2s_stats,
		      tx_bytes),
	S2S_ATTR_RULE(S2S_A_STATS_RX_PACKETS, S2S_ATTR_U64, struct s2s_stats,
		      rx_packets),
	S2S_ATTR_RULE(S2S_A_STATS_RX_BYTES, S2S_ATTR_U64, struct s2s_stats,
		      rx_bytes),
	S2S_STATS_DROP_RULE(S2S_DROP_NO_SA),
	S2S_STATS_DROP_RULE(S2S_DROP_SEQ_EXHAUSTED),
	S2S_STATS_DROP_RULE(S2S_DROP_TOO_BIG),
	S2S_STATS_DROP_RULE(S2S_DROP_NO_ROUTE),
	S2S_STATS_DROP_RULE(S2S_DROP_TX_ERROR),
	S2S_STATS_DROP_RULE(S2S_DROP_MALFORMED),
	S2S_STATS_DROP_RULE(S2S_DROP_REPLAY),
	S2S_STATS_DROP_RULE(S2S_DROP_AUTH),
	S2S_STATS_DROP_RULE(S2S_DROP_PADDING),
	S2S_STATS_DROP_RULE(S2S_DROP_SELECTOR),
	S2S_STATS_DROP_RULE(S2S_DROP_EXPIRED),
	S2S_STATS_DROP_RULE(S2S_DROP_LINK_DOWN),
	S2S_STATS_DROP_RULE(S2S_DROP_RX_ERROR),
};

static const struct s2s_attr_policy s2s_stats_policy =
	S2S_ATTR_POLICY(s2s_stats_rules, struct s2s_stats, present);

/* The spec's names, and the same with '_' for JSON keys. */
static const char *const s2s_drop_names[][2] = {
	[S2S_DROP_NO_SA] = { "no-sa", "no_sa" },
	[S2S_DROP_SEQ_EXHAUSTED] = { "seq-exhausted", "seq_exhausted" },
	[S2S_DROP_TOO_BIG] = { "too-big", "too_big" },
	[S2S_DROP_NO_ROUTE] = { "no-route", "no_route" },
	[S2S_DROP_TX_ERROR] = { "tx-error", "tx_error" },
	[S2S_DROP_MALFORMED] = { "malformed", "malformed" },
	[S2S_DROP_REPLAY] = { "replay", "replay" },
	[S2S_DROP_AUTH] = { "auth", "auth" },
	[S2S_DROP_PADDING] = { "padding", "padding" },
	[S2S_DROP_SELECTOR] = { "selector", "selector" },
	[S2S_DROP_EXPIRED] = { "expired", "expired" },
	[S2S_DROP_LINK_DOWN] = { "link-down", "link_down" },
	[S2S_DROP_RX_ERROR] = { "rx-error", "rx_error" },
};

_Static_assert(S2S_ARRAY_SIZE(s2s_drop_names) == __S2S_DROP_COUNT,
	       "a drop reason of the spec has no name");

/**
 * s2s_drop_name() - a drop reason as the spec names it
 * @reason: enum s2s_drop
 *
 * Return: e.g. "no-sa", or "?" out of range.
 */
const char *s2s_drop_name(unsigned int reason)
{
	return reason < __S2S_DROP_COUNT ? s2s_drop_names[reason][0] : "?";
}

/**
 * s2s_drop_json_key() - a drop reason as a JSON key
 * @reason: enum s2s_drop
 *
 * Return: e.g. "no_sa", or "?" out of range.
 */
const char *s2s_drop_json_key(unsigned int reason)
{
	return reason < __S2S_DROP_COUNT ? s2s_drop_names[reason][1] : "?";
}

/**
 * s2s_stats_parse() - read a stats nest
 * @nest: S2S_A_LINK_STATS or S2S_A_SA_STATS
 * @stats: filled in (zeroed first)
 *
 * Return: 0 or -EBADMSG.
 */
int s2s_stats_parse(const struct nlattr *nest, struct s2s_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return s2s_attr_parse_nested(nest, &s2s_stats_policy, stats);
}

/**
 * s2s_stats_put_traffic() - append "tx N packets N bytes, rx ..."
 * @sb: the text being built
 * @stats: the counters
 */
void s2s_stats_put_traffic(struct s2s_strbuf *sb, const struct s2s_stats *stats)
{
	s2s_strbuf_printf(sb, "tx %" PRIu64 " packets %" PRIu64 " bytes, "
			  "rx %" PRIu64 " packets %" PRIu64 " bytes",
			  stats->tx_packets, stats->tx_bytes,
			  stats->rx_packets, stats->rx_bytes);
}

/**
 * s2s_stats_put_drops() - append the non-zero drop counters
 * @sb: the text being built
 * @stats: the counters
 *
 * Appends e.g. "replay 3, auth 1", or "none".
 */
void s2s_stats_put_drops(struct s2s_strbuf *sb, const struct s2s_stats *stats)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < __S2S_DROP_COUNT; i++) {
		if (!stats->drops[i])
			continue;
		s2s_strbuf_printf(sb, "%s%s %" PRIu64, sep, s2s_drop_name(i),
				  stats->drops[i]);
		sep = ", ";
	}
	if (!*sep)
		s2s_strbuf_printf(sb, "none");
}

/**
 * s2s_stats_to_json() - the counters as a JSON object
 * @stats: the counters
 *
 * Keys: tx_packets, tx_bytes, rx_packets, rx_bytes, and drops: an object
 * with every reason (see s2s_drop_json_key()), zeros included, so that a
 * consumer can rely on each key.
 *
 * Return: a new object, or NULL on allocation failure.
 */
struct json_object *s2s_stats_to_json(const struct s2s_stats *stats)
{
	struct json_object *obj = json_object_new_object(), *drops;
	unsigned int i;

	drops = json_object_new_object();
	if (!obj || !drops) {
		json_object_put(obj);
		json_object_put(drops);
		return NULL;
	}
	json_object_object_add(obj, "tx_packets",
			       json_object_new_uint64(stats->tx_packets));
	json_object_object_add(obj, "tx_bytes",
			       json_object_new_uint64(stats->tx_bytes));
	json_object_object_add(obj, "rx_packets",
			       json_object_new_uint64(stats->rx_packets));
	json_object_object_add(obj, "rx_bytes",
			       json_object_new_uint64(stats->rx_bytes));
	for (i = 0; i < __S2S_DROP_COUNT; i++)
		json_object_object_add(drops, s2s_drop_json_key(i),
				       json_object_new_uint64(stats->drops[i]));
	json_object_object_add(obj, "drops", drops);
	return obj;
}
