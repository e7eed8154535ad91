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

#include <linux/netdevice.h>
#include <net/net_namespace.h>

#define S2S_LINK_KIND "s2s"

/**
 * struct s2s_dev - private state of an s2s network interface
 * @dev: the interface itself
 * @underlay_net: namespace in which the link was created; its ESP packets are
 *	sent and received there even after the interface moves to another netns.
 *	Not refcounted: the pernet pre_exit hook deletes the link before this
 *	namespace goes away.
 * @underlay_node: entry in the underlay namespace's list of s2s links
 * @if_id: XFRM interface id this link answers to (0 = unset)
 */
struct s2s_dev {
	struct net_device *dev;
	struct net *underlay_net;
	struct list_head underlay_node;	/* protected by RTNL */
	u32 if_id;			/* written under RTNL, read with READ_ONCE */
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

int s2s_device_init(void);
void s2s_device_uninit(void);

int s2s_genl_init(void);
void s2s_genl_uninit(void);

#endif /* _S2S_H */
