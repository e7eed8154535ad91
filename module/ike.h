/* SPDX-License-Identifier: GPL-2.0 */
/* The key exchange state of a link (ike-status, ike-reason) as s2sd
 * reports it: stored and shown, never interpreted by the data path.
 */
#ifndef _S2S_IKE_H
#define _S2S_IKE_H

#include <linux/types.h>

struct genl_info;
struct s2s_dev;
struct sk_buff;
struct sock;

/* Room for the ike-reason link attribute, NUL included (spec: max-len 95). */
#define S2S_IKE_REASON_LEN 96

/**
 * struct s2s_ike_info - key exchange state of a link, as s2sd reported it
 * @rcu: freed after the readers of the previous report are done
 * @owner: the netlink socket whose release withdraws the report
 *	(ike-until-close), referenced; NULL when it is never withdrawn
 * @status: enum s2s_ike_status
 * @reason: why, NUL-terminated; "" when none was given
 *
 * Never changed once published: a new report replaces the whole object.
 */
struct s2s_ike_info {
	struct rcu_head rcu;
	struct sock *owner;
	u32 status;
	char reason[S2S_IKE_REASON_LEN];
};

int s2s_ike_nl_put(struct sk_buff *skb, const struct s2s_dev *s2s);
struct s2s_ike_info *s2s_ike_nl_parse(const struct s2s_dev *s2s,
				      const struct sk_buff *skb,
				      struct genl_info *info);
void s2s_ike_publish(struct s2s_dev *s2s, struct s2s_ike_info *ike);
void s2s_ike_link_uninit(struct s2s_dev *s2s);
int s2s_ike_init(void);
void s2s_ike_uninit(void);

#endif /* _S2S_IKE_H */
