/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#ifndef _S2S_NETLINK_GEN_H
#define _S2S_NETLINK_GEN_H

#include <net/genetlink.h>
#include <linux/s2s.h>

int s2s_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info);
int s2s_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

extern const struct genl_ops s2s_nl_ops[1];

#endif /* _S2S_NETLINK_GEN_H */
