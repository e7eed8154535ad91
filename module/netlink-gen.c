// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#include "netlink-gen.h"

const struct nla_policy s2s_stats_nl_policy[S2S_A_STATS_MAX + 1] = {
	[S2S_A_STATS_TX_PACKETS] = { .type = NLA_U64, },
	[S2S_A_STATS_TX_BYTES] = { .type = NLA_U64, },
	[S2S_A_STATS_RX_PACKETS] = { .type = NLA_U64, },
	[S2S_A_STATS_RX_BYTES] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_NO_SA] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_SEQ_EXHAUSTED] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_TOO_BIG] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_NO_ROUTE] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_TX_ERROR] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_MALFORMED] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_REPLAY] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_AUTH] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_PADDING] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_SELECTOR] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_EXPIRED] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_LINK_DOWN] = { .type = NLA_U64, },
	[S2S_A_STATS_DROP_RX_ERROR] = { .type = NLA_U64, },
};

const struct nla_policy s2s_selector_nl_policy[S2S_A_SELECTOR_MAX + 1] = {
	[S2S_A_SELECTOR_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[S2S_A_SELECTOR_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy s2s_lifetime_nl_policy[S2S_A_LIFETIME_MAX + 1] = {
	[S2S_A_LIFETIME_BYTES] = { .type = NLA_U64, },
	[S2S_A_LIFETIME_PACKETS] = { .type = NLA_U64, },
	[S2S_A_LIFETIME_SECONDS] = { .type = NLA_U64, },
};

static const struct nla_policy s2s_link_get_nl_policy[S2S_A_LINK_IFNAME + 1] = {
	[S2S_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

static const struct nla_policy s2s_link_set_nl_policy[S2S_A_LINK_IKE_UNTIL_CLOSE + 1] = {
	[S2S_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[S2S_A_LINK_IF_ID] = { .type = NLA_U32, },
	[S2S_A_LINK_REPLAY_WINDOW] = { .type = NLA_U32, },
	[S2S_A_LINK_DSCP_COPY] = NLA_POLICY_MAX(NLA_U8, 1),
	[S2S_A_LINK_IKE_STATUS] = NLA_POLICY_MAX(NLA_U32, __S2S_IKE_STATUS_COUNT - 1),
	[S2S_A_LINK_IKE_REASON] = { .type = NLA_NUL_STRING, .len = 95, },
	[S2S_A_LINK_IKE_UNTIL_CLOSE] = { .type = NLA_FLAG, },
};

static const struct nla_policy s2s_sa_new_nl_policy[S2S_A_SA_HARD + 1] = {
	[S2S_A_SA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_SA_DIR] = NLA_POLICY_MAX(NLA_U32, __S2S_DIR_COUNT - 1),
	[S2S_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[S2S_A_SA_ENC] = NLA_POLICY_MAX(NLA_U32, __S2S_ENC_COUNT - 1),
	[S2S_A_SA_ENC_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, 64),
	[S2S_A_SA_INTEG] = NLA_POLICY_MAX(NLA_U32, __S2S_INTEG_COUNT - 1),
	[S2S_A_SA_INTEG_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, 64),
	[S2S_A_SA_ESN] = NLA_POLICY_MAX(NLA_U8, 1),
	[S2S_A_SA_LOCAL] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[S2S_A_SA_REMOTE] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[S2S_A_SA_ENCAP_SPORT] = { .type = NLA_U16, },
	[S2S_A_SA_ENCAP_DPORT] = { .type = NLA_U16, },
	[S2S_A_SA_REPLAY_WINDOW] = { .type = NLA_U32, },
	[S2S_A_SA_SEQ] = { .type = NLA_U64, },
	[S2S_A_SA_TS_LOCAL] = NLA_POLICY_NESTED(s2s_selector_nl_policy),
	[S2S_A_SA_TS_REMOTE] = NLA_POLICY_NESTED(s2s_selector_nl_policy),
	[S2S_A_SA_SOFT] = NLA_POLICY_NESTED(s2s_lifetime_nl_policy),
	[S2S_A_SA_HARD] = NLA_POLICY_NESTED(s2s_lifetime_nl_policy),
};

static const struct nla_policy s2s_sa_set_nl_policy[S2S_A_SA_HARD + 1] = {
	[S2S_A_SA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_SA_DIR] = NLA_POLICY_MAX(NLA_U32, __S2S_DIR_COUNT - 1),
	[S2S_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[S2S_A_SA_LOCAL] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[S2S_A_SA_REMOTE] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[S2S_A_SA_ENCAP_SPORT] = { .type = NLA_U16, },
	[S2S_A_SA_ENCAP_DPORT] = { .type = NLA_U16, },
	[S2S_A_SA_TS_LOCAL] = NLA_POLICY_NESTED(s2s_selector_nl_policy),
	[S2S_A_SA_TS_REMOTE] = NLA_POLICY_NESTED(s2s_selector_nl_policy),
	[S2S_A_SA_SOFT] = NLA_POLICY_NESTED(s2s_lifetime_nl_policy),
	[S2S_A_SA_HARD] = NLA_POLICY_NESTED(s2s_lifetime_nl_policy),
};

static const struct nla_policy s2s_sa_del_nl_policy[S2S_A_SA_SPI + 1] = {
	[S2S_A_SA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_SA_DIR] = NLA_POLICY_MAX(NLA_U32, __S2S_DIR_COUNT - 1),
	[S2S_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
};

static const struct nla_policy s2s_sa_get_nl_policy[S2S_A_SA_SPI + 1] = {
	[S2S_A_SA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_SA_DIR] = NLA_POLICY_MAX(NLA_U32, __S2S_DIR_COUNT - 1),
	[S2S_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
};

static const struct nla_policy s2s_sa_flush_nl_policy[S2S_A_SA_IFINDEX + 1] = {
	[S2S_A_SA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

const struct genl_ops s2s_nl_ops[7] = {
	{
		.cmd		= S2S_CMD_LINK_GET,
		.doit		= s2s_nl_link_get_doit,
		.dumpit		= s2s_nl_link_get_dumpit,
		.policy		= s2s_link_get_nl_policy,
		.maxattr	= S2S_A_LINK_IFNAME,
	},
	{
		.cmd		= S2S_CMD_LINK_SET,
		.doit		= s2s_nl_link_set_doit,
		.policy		= s2s_link_set_nl_policy,
		.maxattr	= S2S_A_LINK_IKE_UNTIL_CLOSE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= S2S_CMD_SA_NEW,
		.doit		= s2s_nl_sa_new_doit,
		.policy		= s2s_sa_new_nl_policy,
		.maxattr	= S2S_A_SA_HARD,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= S2S_CMD_SA_SET,
		.doit		= s2s_nl_sa_set_doit,
		.policy		= s2s_sa_set_nl_policy,
		.maxattr	= S2S_A_SA_HARD,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= S2S_CMD_SA_DEL,
		.doit		= s2s_nl_sa_del_doit,
		.policy		= s2s_sa_del_nl_policy,
		.maxattr	= S2S_A_SA_SPI,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= S2S_CMD_SA_GET,
		.doit		= s2s_nl_sa_get_doit,
		.dumpit		= s2s_nl_sa_get_dumpit,
		.policy		= s2s_sa_get_nl_policy,
		.maxattr	= S2S_A_SA_SPI,
	},
	{
		.cmd		= S2S_CMD_SA_FLUSH,
		.doit		= s2s_nl_sa_flush_doit,
		.policy		= s2s_sa_flush_nl_policy,
		.maxattr	= S2S_A_SA_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

const struct genl_multicast_group s2s_nl_mcgrps[1] = {
	[S2S_NLGRP_EVENTS] = { "events", },
};
