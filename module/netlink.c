// SPDX-License-Identifier: GPL-2.0
/* Generic-netlink family "s2s": request handlers. The policies and the
 * operation table are generated from Documentation/netlink/specs/s2s.yaml
 * into netlink-gen.c.
 */

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "s2s.h"

static struct genl_family s2s_nl_family;

static int s2s_nl_link_fill(struct sk_buff *skb, const struct s2s_dev *s2s,
			    u32 portid, u32 seq, int flags)
{
	const struct net_device *dev = s2s->dev;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &s2s_nl_family, flags,
			  S2S_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, S2S_A_LINK_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, S2S_A_LINK_IFNAME, dev->name) ||
	    nla_put_u32(skb, S2S_A_LINK_IF_ID, READ_ONCE(s2s->if_id)) ||
	    nla_put_u32(skb, S2S_A_LINK_MTU, READ_ONCE(dev->mtu)) ||
	    nla_put_u8(skb, S2S_A_LINK_OPER_UP, netif_running(dev) &&
		       netif_carrier_ok(dev)))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Find the s2s link a request names by ifindex and/or ifname; both must
 * agree when both are given. Caller holds rcu_read_lock().
 */
static struct s2s_dev *s2s_nl_link_lookup_rcu(struct net *net,
					      struct nlattr **attrs,
					      struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[S2S_A_LINK_IFINDEX];
	struct nlattr *ifname = attrs[S2S_A_LINK_IFNAME];
	struct net_device *dev = NULL;
	struct s2s_dev *s2s;

	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG_MOD(extack, "link ifindex or ifname is required");
		return ERR_PTR(-EINVAL);
	}

	if (ifindex) {
		dev = dev_get_by_index_rcu(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex, "no such interface");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		struct net_device *named = dev_get_by_name_rcu(net, nla_data(ifname));

		if (!named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname, "no such interface");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "ifindex and ifname name different interfaces");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}

	s2s = s2s_dev_from_netdev(dev);
	if (!s2s) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "interface is not an s2s link");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return s2s;
}

/**
 * s2s_nl_link_get_doit() - S2S_CMD_LINK_GET for one link
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct s2s_dev *s2s;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	s2s = s2s_nl_link_lookup_rcu(genl_info_net(info), info->attrs,
				     info->extack);
	if (IS_ERR(s2s))
		err = PTR_ERR(s2s);
	else
		err = s2s_nl_link_fill(msg, s2s, info->snd_portid,
				       info->snd_seq, 0);
	rcu_read_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * s2s_nl_link_get_dumpit() - S2S_CMD_LINK_GET for every link of the netns
 * @skb: reply buffer
 * @cb: dump state; args[0] counts the links already dumped
 *
 * Return: reply length, 0 when done, or a negative errno.
 */
int s2s_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	/* The device list is not kept in ifindex order (netns moves append),
	 * so resume by position, as rtnetlink's own link dump does.
	 */
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		struct s2s_dev *s2s = s2s_dev_from_netdev(dev);

		if (!s2s)
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = s2s_nl_link_fill(skb, s2s, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		cb->args[0] = idx;
	}
	rcu_read_unlock();

	/* A full buffer ends this part of the dump; the rest follows. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static struct genl_family s2s_nl_family __ro_after_init = {
	.name		= S2S_FAMILY_NAME,
	.version	= S2S_FAMILY_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= s2s_nl_ops,
	.n_ops		= ARRAY_SIZE(s2s_nl_ops),
	/* Every operation validates strictly: unknown attributes and
	 * trailing data are rejected, not ignored.
	 */
	.resv_start_op	= S2S_CMD_MAX + 1,
};

/**
 * s2s_genl_init() - register the s2s generic-netlink family
 *
 * Return: 0 or a negative errno.
 */
int s2s_genl_init(void)
{
	return genl_register_family(&s2s_nl_family);
}

/**
 * s2s_genl_uninit() - unregister the s2s generic-netlink family
 */
void s2s_genl_uninit(void)
{
	genl_unregister_family(&s2s_nl_family);
}
