/* SPDX-License-Identifier: GPL-2.0 */
/* ESP that arrives for an SA charon has installed into XFRM but s2sd has
 * not yet forwarded to s2s: held briefly instead of lost at rekey.
 */
#ifndef _S2S_PENDING_H
#define _S2S_PENDING_H

#include <linux/hashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

struct net;
struct s2s_sa;

#define S2S_PENDING_HASH_BITS 6

/**
 * struct s2s_pending - SPIs of one namespace whose SA is on its way to s2s
 * @lock: protects @table, @count, @dead and every entry with its packets;
 *	taken from softirq (receive, timer) and process context (XFRM
 *	notifications, SA publication), always with BHs off
 * @table: struct s2s_pending_spi by SPI
 * @count: entries in @table; read without the lock by the receive path to
 *	skip everything when nothing is expected
 * @timer: drops what waited too long; armed while @table is not empty
 * @dead: set when the namespace goes away: nothing new is expected
 * @net: the namespace this belongs to
 */
struct s2s_pending {
	spinlock_t lock;
	DECLARE_HASHTABLE(table, S2S_PENDING_HASH_BITS);
	unsigned int count;
	struct timer_list timer;
	bool dead;
	struct net *net;
};

enum s2s_pending_verdict {
	S2S_PENDING_NOT_OURS,
	S2S_PENDING_AGAIN,
	S2S_PENDING_HELD,
};

void s2s_pending_net_init(struct s2s_pending *p, struct net *net);
void s2s_pending_net_exit(struct s2s_pending *p);
enum s2s_pending_verdict s2s_pending_hold(struct net *net, struct sk_buff *skb,
					  __be32 spi);
void s2s_pending_release(struct net *net, struct s2s_sa *sa);
void s2s_pending_init(void);
void s2s_pending_uninit(void);

#endif /* _S2S_PENDING_H */
