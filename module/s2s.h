/* SPDX-License-Identifier: GPL-2.0 */
/* s2s: route-based IPsec site-to-site links.
 *
 * Locking overview (details at each member):
 * - RTNL serialises link creation, deletion, netns moves and every change of
 *   link configuration; the per-netns device list is protected by it.
 * - The data path reads configuration under RCU or with READ_ONCE().
 */
#ifndef _S2S_H
#define _S2S_H

#include <linux/hashtable.h>
#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "parallel.h"
#include "pending.h"
#include "stats.h"

#define S2S_LINK_KIND "s2s"
#define S2S_SPI_HASH_BITS 10

struct s2s_ike_info;
struct s2s_sa;

/**
 * struct s2s_net - per-namespace state
 * @underlay_links: s2s links created in this namespace, wherever they live now
 * @spi_table: inbound SAs whose ESP arrives in this namespace, by SPI
 * @sa_gen: bumped whenever an SA joins or leaves a link that lives in this
 *	namespace, so that a dump spread over several reads can tell it was
 *	interrupted (NLM_F_DUMP_INTR)
 * @pending: SPIs charon installed into XFRM for our links that s2sd has not
 *	forwarded yet, and the ESP waiting for them
 */
struct s2s_net {
	struct list_head underlay_links;	/* RTNL for writers, RCU for readers */
	DECLARE_HASHTABLE(spi_table, S2S_SPI_HASH_BITS); /* RTNL + RCU */
	unsigned int sa_gen;			/* protected by RTNL */
	struct s2s_pending pending;
};

extern unsigned int s2s_net_id;

static inline struct s2s_net *s2s_net(const struct net *net)
{
	return net_generic(net, s2s_net_id);
}

/**
 * struct s2s_dev - private state of an s2s network interface
 * @dev: the interface itself
 * @underlay_net: namespace in which the link was created; its ESP packets are
 *	sent and received there even after the interface moves to another netns.
 *	Not refcounted: the pernet pre_exit hook deletes the link before this
 *	namespace goes away.
 * @underlay_node: entry in the underlay namespace's list of s2s links
 * @if_id: XFRM interface id this link answers to (0 = unset)
 * @replay_window: default anti-replay window of new inbound SAs
 * @dscp_copy: copy the inner DSCP into the outer header
 * @mtu_user: the MTU was set by the user, not by s2s_dev_update_mtu(); an
 *	outbound SA change no longer touches it
 * @mtu_auto: s2s_dev_update_mtu() is setting the MTU
 * @tx_sa: the outbound SA every packet is encrypted with, or NULL
 * @sas: every SA of the link, inbound and outbound
 * @stats: link-wide counters (drops with reasons; traffic)
 * @gro_cells: delivery of decrypted packets
 * @housekeeping: once a second: time lifetimes, expiry and drop-burst events
 * @ike: the last key exchange report of s2sd, or NULL (status unknown)
 * @ike_bound_node: entry in ike.c's list of links whose report lapses when
 *	the socket that sent it closes; only while @ike is such a report
 * @txq: packets encrypted on other CPUs, waiting to leave in order
 * @rxq: packets decrypted on other CPUs, waiting to be delivered in order
 * @crypto_refs: crypto calls on the link's packets (sent or received, inline
 *	or on a worker) whose completion has not finished; the link is not
 *	torn down before it is zero
 */
struct s2s_dev {
	struct net_device *dev;
	struct net *underlay_net;
	struct list_head underlay_node;	/* RTNL for writers, RCU for readers */
	u32 if_id;			/* written under RTNL, read with READ_ONCE */
	u32 replay_window;		/* written under RTNL, read with READ_ONCE */
	bool dscp_copy;			/* written under RTNL, read with READ_ONCE */
	bool mtu_user;			/* protected by RTNL */
	bool mtu_auto;			/* protected by RTNL */
	struct s2s_sa __rcu *tx_sa;	/* RTNL for writers, RCU for readers */
	struct list_head sas;		/* RTNL for writers, RCU for readers */
	struct s2s_stats __percpu *stats;
	struct gro_cells gro_cells;
	struct delayed_work housekeeping;
	struct s2s_ike_info __rcu *ike;	/* RTNL for writers, RCU for readers */
	struct list_head ike_bound_node;	/* protected by RTNL */
	struct s2s_cryptq txq;		/* locking: see struct s2s_cryptq */
	struct s2s_cryptq rxq;		/* locking: see struct s2s_cryptq */
	atomic_t crypto_refs;
};

extern struct rtnl_link_ops s2s_link_ops;

/**
 * s2s_dev_from_netdev() - s2s private state of @dev, if it is an s2s link
 * @dev: any network device
 *
 * Return: the private state, or NULL when @dev is not an s2s interface.
 */
static inline struct s2s_dev *s2s_dev_from_netdev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &s2s_link_ops ? netdev_priv(dev) : NULL;
}

struct s2s_dev *s2s_link_by_if_id_rcu(struct net *net, u32 if_id);
void s2s_dev_update_mtu(struct s2s_dev *s2s);
void s2s_dev_crypto_put(struct s2s_dev *s2s);
void s2s_dev_crypto_put_many(struct s2s_dev *s2s, unsigned int n);

/**
 * s2s_dev_crypto_get() - a crypto call on one of the link's packets begins
 * @s2s: link
 *
 * Taken before the call, so that a completion on another CPU cannot drop
 * it first; dropped by s2s_dev_crypto_put() after the completion's last
 * use of the link.
 */
static inline void s2s_dev_crypto_get(struct s2s_dev *s2s)
{
	atomic_inc(&s2s->crypto_refs);
}

void s2s_dev_update_carrier(struct s2s_dev *s2s);
void s2s_dev_drop(struct s2s_dev *s2s, struct s2s_sa *sa, struct sk_buff *skb,
		  enum s2s_drop why);

netdev_tx_t s2s_send(struct sk_buff *skb, struct net_device *dev);
void s2s_send_finish(struct sk_buff *skb, int err);
int s2s_receive_init(void);
void s2s_receive_uninit(void);
void s2s_receive_sa(struct sk_buff *skb, struct s2s_sa *sa);
void s2s_receive_finish(struct sk_buff *skb, int err);

void s2s_nl_sa_notify(struct s2s_sa *sa, enum s2s_event event);

int s2s_device_init(void);
void s2s_device_uninit(void);

int s2s_genl_init(void);
void s2s_genl_uninit(void);

#endif /* _S2S_H */
