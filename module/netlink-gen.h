/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#ifndef _S2S_NETLINK_GEN_H
#define _S2S_NETLINK_GEN_H

#include <net/genetlink.h>
#include <linux/s2s.h>

extern const struct nla_policy s2s_stats_nl_policy[S2S_A_STATS_MAX + 1];
extern const struct nla_policy s2s_selector_nl_policy[S2S_A_SELECTOR_MAX + 1];
extern const struct nla_policy s2s_lifetime_nl_policy[S2S_A_LIFETIME_MAX + 1];

int s2s_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int s2s_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_sa_set_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int s2s_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info);

extern const struct genl_ops s2s_nl_ops[7];

enum {
	S2S_NLGRP_EVENTS,
};

extern const struct genl_multicast_group s2s_nl_mcgrps[1];

#endif /* _S2S_NETLINK_GEN_H */
