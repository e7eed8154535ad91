// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#include "netlink-gen.h"

static const struct nla_policy s2s_link_get_nl_policy[S2S_A_LINK_IFNAME + 1] = {
	[S2S_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[S2S_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

const struct genl_ops s2s_nl_ops[1] = {
	{
		.cmd		= S2S_CMD_LINK_GET,
		.doit		= s2s_nl_link_get_doit,
		.dumpit		= s2s_nl_link_get_dumpit,
		.policy		= s2s_link_get_nl_policy,
		.maxattr	= S2S_A_LINK_IFNAME,
	},
};
