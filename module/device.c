// SPDX-License-Identifier: GPL-2.0
/* s2s network interfaces: link type, netdev ops and namespace handling. */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "compat/compat.h"
#include "ike.h"
#include "s2s.h"
#include "sa.h"

/* Until an outbound SA defines the real overhead, leave room for the largest
 * one: outer IPv6 (40) + UDP (8) + ESP header (8) + IV (16) + padding (15) +
 * trailer (2) + ICV (32) below a 1500-byte underlay.
 */
#define S2S_DEFAULT_MTU		(ETH_DATA_LEN - 40 - 8 - 8 - 16 - 15 - 2 - 32)
#define S2S_MAX_MTU		(IP_MAX_MTU - 40 - 8 - 8 - 16 - 15 - 2 - 32)

/* Offloads the link takes from the stack and completes itself in software
 * (send.c): it cuts GSO packets into ESP-sized segments, folding each
 * checksum into the copy that segmentation makes anyway, and finishes any
 * other pending checksum before encrypting. Accepting them lets TCP on the
 * gateway build GSO packets and the stack skip segmenting forwarded GRO
 * packets and checksumming before our xmit. NETIF_F_GSO_SOFTWARE covers
 * the TCP, UDP L4, SCTP and fraglist types, all of which skb_gso_segment()
 * segments without device help; skbs with a frag_list (NETIF_F_FRAGLIST)
 * are linearised for encryption like any other.
 */
#define S2S_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE)

unsigned int s2s_net_id __read_mostly;

/**
 * s2s_dev_update_mtu() - fit the MTU to the current outbound SA
 * @s2s: link
 *
 * The largest inner packet that still fits a 1500-byte underlay once the
 * SA's outer header, ESP framing, padding and ICV are added, recomputed
 * whenever the outbound SA changes (another algorithm, UDP encapsulation,
 * outer family). Once the user has set an MTU, lower for a smaller path or
 * higher for a jumbo-frame underlay, it is theirs: a rekey must not undo
 * it. Packets are still checked against the route to the peer one by one.
 *
 * Context: RTNL.
 */
void s2s_dev_update_mtu(struct s2s_dev *s2s)
{
	struct s2s_sa *sa = rtnl_dereference(s2s->tx_sa);
	unsigned int mtu;

	ASSERT_RTNL();
	if (!sa || s2s->mtu_user)
		return;
	mtu = max_t(unsigned int, s2s_sa_inner_mtu(sa, ETH_DATA_LEN), IPV4_MIN_MTU);
	s2s->mtu_auto = true;
	dev_set_mtu(s2s->dev, mtu);
	s2s->mtu_auto = false;
}

/* ndo_change_mtu: tell the user's settings from s2s_dev_update_mtu()'s. */
static int s2s_change_mtu(struct net_device *dev, int new_mtu)
{
	struct s2s_dev *s2s = netdev_priv(dev);

	ASSERT_RTNL();
	if (!s2s->mtu_auto)
		s2s->mtu_user = true;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

/**
 * s2s_dev_update_carrier() - carrier on exactly while an outbound SA is usable
 * @s2s: link
 */
void s2s_dev_update_carrier(struct s2s_dev *s2s)
{
	struct s2s_sa *sa = rtnl_dereference(s2s->tx_sa);

	if (sa && !test_bit(S2S_SA_EXPIRED_HARD, &sa->expired) &&
	    !test_bit(S2S_SA_EXHAUSTED, &sa->expired))
		netif_carrier_on(s2s->dev);
	else
		netif_carrier_off(s2s->dev);
}

/**
 * s2s_dev_drop() - drop a packet, counting its reason on the link and SA
 * @s2s: link
 * @sa: SA the packet belonged to, or NULL
 * @skb: packet, freed
 * @why: reason
 */
void s2s_dev_drop(struct s2s_dev *s2s, struct s2s_sa *sa, struct sk_buff *skb,
		  enum s2s_drop why)
{
	s2s_stats_drop(s2s->stats, why);
	if (sa)
		s2s_stats_drop(sa->stats, why);
	if (why < S2S_DROP_MALFORMED || why == S2S_DROP_EXPIRED)
		dev_core_stats_tx_dropped_inc(s2s->dev);
	else
		dev_core_stats_rx_dropped_inc(s2s->dev);
	kfree_skb(skb);
}

/**
 * s2s_link_by_if_id_rcu() - the s2s link created in a namespace that
 *	answers to an XFRM if-id
 * @net: underlay namespace
 * @if_id: XFRM interface id, 0 never matches
 *
 * Caller holds rcu_read_lock() or RTNL; no reference is taken.
 *
 * Return: the link or NULL.
 */
struct s2s_dev *s2s_link_by_if_id_rcu(struct net *net, u32 if_id)
{
	struct s2s_net *sn = s2s_net(net);
	struct s2s_dev *s2s;

	if (!if_id)
		return NULL;
	list_for_each_entry_rcu(s2s, &sn->underlay_links, underlay_node,
				lockdep_rtnl_is_held())
		if (READ_ONCE(s2s->if_id) == if_id)
			return s2s;
	return NULL;
}

static int s2s_dev_init(struct net_device *dev)
{
	struct s2s_dev *s2s = netdev_priv(dev);
	int err;

	/* `ip link add ... mtu N` writes the MTU without ndo_change_mtu. */
	s2s->mtu_user = dev->mtu != S2S_DEFAULT_MTU;
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	s2s->stats = s2s_stats_alloc();
	if (!s2s->stats)
		goto err_stats;
	err = gro_cells_init(&s2s->gro_cells, dev);
	if (err)
		goto err_gro;
	/* Lifetimes run whether the link is up or down. */
	queue_delayed_work(system_power_efficient_wq, &s2s->housekeeping, HZ);
	return 0;

err_gro:
	s2s_stats_free(s2s->stats);
err_stats:
	free_percpu(dev->tstats);
	return -ENOMEM;
}

/**
 * s2s_dev_crypto_put_many() - crypto calls on @n of the link's packets ended
 * @s2s: link, not used again by the caller
 * @n: how many
 */
void s2s_dev_crypto_put_many(struct s2s_dev *s2s, unsigned int n)
{
	/* wake_up_var() only hashes the address: s2s may be gone already. */
	if (atomic_sub_and_test(n, &s2s->crypto_refs))
		wake_up_var(&s2s->crypto_refs);
}

/**
 * s2s_dev_crypto_put() - a crypto call on one of the link's packets ended
 * @s2s: link, not used again by the caller
 */
void s2s_dev_crypto_put(struct s2s_dev *s2s)
{
	s2s_dev_crypto_put_many(s2s, 1);
}

static void s2s_dev_uninit(struct net_device *dev)
{
	struct s2s_dev *s2s = netdev_priv(dev);

	ASSERT_RTNL();
	cancel_delayed_work_sync(&s2s->housekeeping);
	s2s_sa_flush(s2s);
	/* Nothing transmits or finds the link's SAs any more (unregistering
	 * waited for the readers); what is still being encrypted or
	 * decrypted uses the link's counters and queue until it completes.
	 */
	wait_var_event(&s2s->crypto_refs, !atomic_read(&s2s->crypto_refs));
	WARN_ON_ONCE(!skb_queue_empty_lockless(&s2s->txq.ordered) ||
		     !skb_queue_empty_lockless(&s2s->rxq.ordered));
	s2s_ike_link_uninit(s2s);
	gro_cells_destroy(&s2s->gro_cells);
	s2s_stats_free(s2s->stats);
	free_percpu(dev->tstats);
}

static const struct net_device_ops s2s_netdev_ops = {
	.ndo_init		= s2s_dev_init,
	.ndo_uninit		= s2s_dev_uninit,
	.ndo_start_xmit		= s2s_send,
	.ndo_change_mtu		= s2s_change_mtu,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* Once a second from registration to unregistration, up or down (an SA
 * on a down link ages like any other): time lifetimes are checked, and
 * expiries and drop bursts noticed by the data path are reported on the
 * events group. Walks the SA list under RCU, so it never waits for RTNL
 * and can be cancelled under it. When the sending SA can send no more,
 * the carrier is set under RTNL, serialised with every change of the
 * sending SA, if RTNL is free; else a second later.
 */
static void s2s_dev_housekeeping(struct work_struct *work)
{
	struct s2s_dev *s2s = container_of(to_delayed_work(work),
					   struct s2s_dev, housekeeping);
	bool carrier_stale = false;
	struct s2s_sa *sa;

	rcu_read_lock();
	list_for_each_entry_rcu(sa, &s2s->sas, link_node)
		carrier_stale |= s2s_sa_housekeeping(sa);
	rcu_read_unlock();
	if (carrier_stale && rtnl_trylock()) {
		s2s_dev_update_carrier(s2s);
		rtnl_unlock();
	}
	queue_delayed_work(system_power_efficient_wq, &s2s->housekeeping, HZ);
}

static void s2s_setup(struct net_device *dev)
{
	struct s2s_dev *s2s = netdev_priv(dev);

	dev->netdev_ops = &s2s_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = S2S_DEFAULT_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = S2S_MAX_MTU;
	dev->needs_free_netdev = true;
	s2s_compat_set_lltx(dev);
	dev->features |= S2S_FEATURES;
	dev->hw_features |= S2S_FEATURES;
	dev->hw_enc_features |= S2S_FEATURES;
	/* Keep the inner route on packets we transmit: ICMP errors about
	 * them (fragmentation needed) are routed from it.
	 */
	netif_keep_dst(dev);

	s2s->dev = dev;
	s2s->replay_window = S2S_REPLAY_DEFAULT;
	INIT_LIST_HEAD(&s2s->underlay_node);
	INIT_LIST_HEAD(&s2s->sas);
	INIT_DELAYED_WORK(&s2s->housekeeping, s2s_dev_housekeeping);
	s2s_cryptq_init(&s2s->txq, s2s);
	s2s_cryptq_init(&s2s->rxq, s2s);
	atomic_set(&s2s->crypto_refs, 0);
}

static int s2s_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
				    "s2s links have no link-layer address");
		return -EINVAL;
	}
	if (tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_BROADCAST],
				    "s2s links have no broadcast address");
		return -EINVAL;
	}
	return 0;
}

static int s2s_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct s2s_net *sn = net_generic(src_net, s2s_net_id);
	struct s2s_dev *s2s = netdev_priv(dev);
	int err;

	ASSERT_RTNL();

	/* ESP leaves from the namespace the link was created in, even when
	 * the request placed the interface itself elsewhere (ip link add ...
	 * netns X): the encrypted side stays where the WAN is.
	 */
	s2s->underlay_net = src_net;

	/* Before registering: the operational state then starts from "no
	 * carrier". Turned off afterwards, linkwatch applied it up to a
	 * second later, and a link set up meanwhile showed as running.
	 */
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;

	list_add_rcu(&s2s->underlay_node, &sn->underlay_links);
	return 0;
}

static void s2s_dellink(struct net_device *dev, struct list_head *head)
{
	struct s2s_dev *s2s = netdev_priv(dev);

	ASSERT_RTNL();
	/* Readers are done before ndo_uninit: unregistering waits a grace
	 * period after this. The SAs go now too, so that no ESP received
	 * after that grace period finds the link through them.
	 */
	s2s_sa_flush(s2s);
	list_del_rcu(&s2s->underlay_node);
	unregister_netdevice_queue(dev, head);
}

static struct net *s2s_get_link_net(const struct net_device *dev)
{
	const struct s2s_dev *s2s = netdev_priv(dev);

	return s2s->underlay_net;
}

struct rtnl_link_ops s2s_link_ops __read_mostly = {
	.kind		= S2S_LINK_KIND,
	.priv_size	= sizeof(struct s2s_dev),
	.setup		= s2s_setup,
	.validate	= s2s_validate,
	.newlink	= s2s_newlink,
	.dellink	= s2s_dellink,
	.get_link_net	= s2s_get_link_net,
};

static int __net_init s2s_net_init(struct net *net)
{
	struct s2s_net *sn = net_generic(net, s2s_net_id);

	INIT_LIST_HEAD(&sn->underlay_links);
	hash_init(sn->spi_table);
	s2s_pending_net_init(&sn->pending, net);
	return 0;
}

/* A link whose underlay namespace dies can no longer send or receive
 * anything: delete it wherever it lives, before the namespace is gone
 * (underlay_net is not refcounted).
 */
static void __net_exit s2s_net_pre_exit(struct net *net)
{
	struct s2s_net *sn = net_generic(net, s2s_net_id);
	struct s2s_dev *s2s, *tmp;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry_safe(s2s, tmp, &sn->underlay_links, underlay_node)
		s2s_dellink(s2s->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static void __net_exit s2s_net_exit(struct net *net)
{
	s2s_pending_net_exit(&s2s_net(net)->pending);
}

static struct pernet_operations s2s_net_ops = {
	.init		= s2s_net_init,
	.pre_exit	= s2s_net_pre_exit,
	.exit		= s2s_net_exit,
	.id		= &s2s_net_id,
	.size		= sizeof(struct s2s_net),
};

/**
 * s2s_device_init() - register the s2s link type and per-netns state
 *
 * Return: 0 or a negative errno.
 */
int s2s_device_init(void)
{
	int err;

	err = register_pernet_device(&s2s_net_ops);
	if (err)
		goto err_pernet;

	err = rtnl_link_register(&s2s_link_ops);
	if (err)
		goto err_link;

	return 0;

err_link:
	unregister_pernet_device(&s2s_net_ops);
err_pernet:
	return err;
}

/**
 * s2s_device_uninit() - delete every s2s link and unregister the link type
 */
void s2s_device_uninit(void)
{
	rtnl_link_unregister(&s2s_link_ops);
	unregister_pernet_device(&s2s_net_ops);
}
