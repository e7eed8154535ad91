// SPDX-License-Identifier: GPL-2.0
/* s2s network interfaces: link type, netdev ops and namespace handling. */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "compat/compat.h"
#include "s2s.h"

/* Until an SA defines the real overhead, leave room for the largest one we
 * will support: outer IPv6 (40) + UDP (8) + ESP header (8) + IV (16) +
 * padding (15) + trailer (2) + ICV (32) below a 1500-byte underlay.
 */
#define S2S_DEFAULT_MTU		(ETH_DATA_LEN - 40 - 8 - 8 - 16 - 15 - 2 - 32)
#define S2S_MAX_MTU		(IP_MAX_MTU - 40 - 8 - 8 - 16 - 15 - 2 - 32)

/**
 * struct s2s_net - per-namespace state
 * @underlay_links: s2s links created in this namespace, wherever they live now
 */
struct s2s_net {
	struct list_head underlay_links;	/* protected by RTNL */
};

static unsigned int s2s_net_id __read_mostly;

static netdev_tx_t s2s_xmit(struct sk_buff *skb, struct net_device *dev)
{
	/* No outbound SA can exist yet: the data path arrives with the SA
	 * operations. Count the packet as dropped so nothing vanishes silently.
	 */
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int s2s_dev_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static void s2s_dev_uninit(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static const struct net_device_ops s2s_netdev_ops = {
	.ndo_init		= s2s_dev_init,
	.ndo_uninit		= s2s_dev_uninit,
	.ndo_start_xmit		= s2s_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

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

	s2s->dev = dev;
	INIT_LIST_HEAD(&s2s->underlay_node);
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

	err = register_netdevice(dev);
	if (err)
		return err;

	netif_carrier_off(dev);
	list_add(&s2s->underlay_node, &sn->underlay_links);
	return 0;
}

static void s2s_dellink(struct net_device *dev, struct list_head *head)
{
	struct s2s_dev *s2s = netdev_priv(dev);

	ASSERT_RTNL();
	list_del_init(&s2s->underlay_node);
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

static struct pernet_operations s2s_net_ops = {
	.init		= s2s_net_init,
	.pre_exit	= s2s_net_pre_exit,
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
