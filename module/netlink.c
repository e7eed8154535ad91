// SPDX-License-Identifier: GPL-2.0
/* Generic-netlink family "s2s": request handlers. The policies and the
 * operation table are generated from Documentation/netlink/specs/s2s.yaml
 * into netlink-gen.c.
 */

#include <linux/netdevice.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat/compat.h"
#include "ike.h"
#include "netlink-gen.h"
#include "s2s.h"
#include "sa.h"

static struct genl_family s2s_nl_family;

static int s2s_nl_link_fill(struct sk_buff *skb, const struct s2s_dev *s2s,
			    u32 portid, u32 seq, int flags)
{
	const struct net_device *dev = s2s->dev;
	struct s2s_stats_sum sum;
	struct s2s_sa *tx_sa;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &s2s_nl_family, flags,
			  S2S_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, S2S_A_LINK_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, S2S_A_LINK_IFNAME, dev->name) ||
	    nla_put_u32(skb, S2S_A_LINK_IF_ID, READ_ONCE(s2s->if_id)) ||
	    nla_put_u32(skb, S2S_A_LINK_MTU, READ_ONCE(dev->mtu)) ||
	    nla_put_u8(skb, S2S_A_LINK_OPER_UP, netif_running(dev) &&
		       netif_carrier_ok(dev)) ||
	    nla_put_u32(skb, S2S_A_LINK_REPLAY_WINDOW,
			READ_ONCE(s2s->replay_window)) ||
	    nla_put_u8(skb, S2S_A_LINK_DSCP_COPY, READ_ONCE(s2s->dscp_copy)))
		goto nla_put_failure;

	rcu_read_lock();
	tx_sa = rcu_dereference(s2s->tx_sa);
	err = tx_sa ? nla_put_u32(skb, S2S_A_LINK_OVERHEAD,
				  s2s_sa_overhead(tx_sa)) : 0;
	rcu_read_unlock();
	s2s_stats_read(s2s->stats, &sum);
	if (err || s2s_stats_nl_put(skb, S2S_A_LINK_STATS, &sum) ||
	    s2s_ike_nl_put(skb, s2s))
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
	/* As rtnetlink's link dump: a changed device list between two reads
	 * marks the dump interrupted.
	 */
	cb->seq = READ_ONCE(net->dev_base_seq);
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
		nl_dump_check_consistent(cb, nlmsg_hdr(skb));
		cb->args[0] = idx;
	}
	rcu_read_unlock();

	/* A full buffer ends this part of the dump; the rest follows. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/**
 * s2s_nl_link_set_doit() - S2S_CMD_LINK_SET
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct s2s_ike_info *ike;
	struct s2s_dev *s2s;
	int err = 0;

	rtnl_lock();
	rcu_read_lock();
	s2s = s2s_nl_link_lookup_rcu(genl_info_net(info), attrs, info->extack);
	rcu_read_unlock();
	if (IS_ERR(s2s)) {
		err = PTR_ERR(s2s);
		goto out;
	}
	/* Check everything before changing anything. */
	if (attrs[S2S_A_LINK_IF_ID]) {
		struct s2s_dev *other;

		/* XFRM SAs and ESP are matched to a link by if-id in its
		 * underlay namespace: two links there cannot share one.
		 */
		other = s2s_link_by_if_id_rcu(s2s->underlay_net,
					      nla_get_u32(attrs[S2S_A_LINK_IF_ID]));
		if (other && other != s2s) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[S2S_A_LINK_IF_ID],
					    "if-id already used by another s2s link of the same underlay namespace");
			err = -EEXIST;
			goto out;
		}
	}
	if (attrs[S2S_A_LINK_REPLAY_WINDOW]) {
		u32 w = nla_get_u32(attrs[S2S_A_LINK_REPLAY_WINDOW]);

		if (!w || w > S2S_REPLAY_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[S2S_A_LINK_REPLAY_WINDOW],
					    "replay window must be 1 to 1048576 packets");
			err = -EINVAL;
			goto out;
		}
	}
	/* Allocated now: nothing may fail once the first setting changed. */
	ike = s2s_ike_nl_parse(s2s, skb, info);
	if (IS_ERR(ike)) {
		err = PTR_ERR(ike);
		goto out;
	}

	if (attrs[S2S_A_LINK_IF_ID])
		WRITE_ONCE(s2s->if_id, nla_get_u32(attrs[S2S_A_LINK_IF_ID]));
	if (attrs[S2S_A_LINK_REPLAY_WINDOW])
		WRITE_ONCE(s2s->replay_window,
			   nla_get_u32(attrs[S2S_A_LINK_REPLAY_WINDOW]));
	if (attrs[S2S_A_LINK_DSCP_COPY])
		WRITE_ONCE(s2s->dscp_copy, nla_get_u8(attrs[S2S_A_LINK_DSCP_COPY]));
	if (ike)
		s2s_ike_publish(s2s, ike);
out:
	rtnl_unlock();
	return err;
}

/* The link an SA request names by ifindex. Caller holds RTNL. */
static struct s2s_dev *s2s_nl_sa_link(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[S2S_A_SA_IFINDEX];
	struct net_device *dev;
	struct s2s_dev *s2s;

	ASSERT_RTNL();
	if (GENL_REQ_ATTR_CHECK(info, S2S_A_SA_IFINDEX))
		return ERR_PTR(-EINVAL);
	dev = __dev_get_by_index(genl_info_net(info), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such interface");
		return ERR_PTR(-ENODEV);
	}
	s2s = s2s_dev_from_netdev(dev);
	if (!s2s) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "interface is not an s2s link");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return s2s;
}

/* The SA a request names by link, direction and SPI. Caller holds RTNL. */
static struct s2s_sa *s2s_nl_sa_lookup(struct genl_info *info)
{
	struct s2s_dev *s2s = s2s_nl_sa_link(info);
	struct s2s_sa *sa;

	if (IS_ERR(s2s))
		return ERR_CAST(s2s);
	if (GENL_REQ_ATTR_CHECK(info, S2S_A_SA_DIR) ||
	    GENL_REQ_ATTR_CHECK(info, S2S_A_SA_SPI))
		return ERR_PTR(-EINVAL);
	sa = s2s_sa_find(s2s, nla_get_u32(info->attrs[S2S_A_SA_DIR]),
			 htonl(nla_get_u32(info->attrs[S2S_A_SA_SPI])));
	if (!sa) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[S2S_A_SA_SPI],
				    "no SA with this SPI and direction on the link");
		return ERR_PTR(-ENOENT);
	}
	return sa;
}

static int s2s_nl_parse_addr(struct nlattr *attr, union s2s_addr *addr,
			     u8 *family, struct netlink_ext_ack *extack)
{
	switch (nla_len(attr)) {
	case sizeof(addr->v4):
		*family = AF_INET;
		break;
	case sizeof(addr->v6):
		*family = AF_INET6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, attr, sizeof(*addr));
	return 0;
}

/* Outer addresses and UDP ports, for sa-new and sa-set. The family of an
 * existing SA cannot change: its overhead and route type depend on it.
 */
static int s2s_nl_parse_endpoint(struct genl_info *info, u8 *family,
				 struct s2s_endpoint *ep, bool required)
{
	struct nlattr **attrs = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	union s2s_addr local = ep->local, remote = ep->remote;
	u8 lfam = *family, rfam = *family;
	u16 sport, dport;
	int err;

	if (required && (GENL_REQ_ATTR_CHECK(info, S2S_A_SA_LOCAL) ||
			 GENL_REQ_ATTR_CHECK(info, S2S_A_SA_REMOTE)))
		return -EINVAL;
	if (attrs[S2S_A_SA_LOCAL]) {
		err = s2s_nl_parse_addr(attrs[S2S_A_SA_LOCAL], &local, &lfam, extack);
		if (err)
			return err;
	}
	if (attrs[S2S_A_SA_REMOTE]) {
		err = s2s_nl_parse_addr(attrs[S2S_A_SA_REMOTE], &remote, &rfam, extack);
		if (err)
			return err;
	}
	if (lfam != rfam || (*family && lfam != *family)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "local and remote must be of the SA's one address family");
		return -EINVAL;
	}
	if (!!attrs[S2S_A_SA_ENCAP_SPORT] != !!attrs[S2S_A_SA_ENCAP_DPORT]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ESP-in-UDP needs both encap-sport and encap-dport");
		return -EINVAL;
	}
	if (attrs[S2S_A_SA_ENCAP_DPORT]) {
		sport = nla_get_u16(attrs[S2S_A_SA_ENCAP_SPORT]);
		dport = nla_get_u16(attrs[S2S_A_SA_ENCAP_DPORT]);
		if (!sport != !dport) {
			NL_SET_ERR_MSG_MOD(extack,
					   "UDP ports must both be set (ESP-in-UDP) or both 0 (raw ESP)");
			return -EINVAL;
		}
		ep->sport = htons(sport);
		ep->dport = htons(dport);
	}
	*family = lfam;
	ep->local = local;
	ep->remote = remote;
	return 0;
}

/* Into @lt, which the caller copies into the SA once every attribute of
 * the request was accepted.
 */
static int s2s_nl_parse_lifetime(struct nlattr *attr, struct s2s_lifetime *lt,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[S2S_A_LIFETIME_MAX + 1];
	int err;

	if (!attr)
		return 0;
	err = nla_parse_nested(tb, S2S_A_LIFETIME_MAX, attr,
			       s2s_lifetime_nl_policy, extack);
	if (err)
		return err;
	if (tb[S2S_A_LIFETIME_BYTES])
		lt->bytes = nla_get_u64(tb[S2S_A_LIFETIME_BYTES]);
	if (tb[S2S_A_LIFETIME_PACKETS])
		lt->packets = nla_get_u64(tb[S2S_A_LIFETIME_PACKETS]);
	if (tb[S2S_A_LIFETIME_SECONDS])
		lt->seconds = nla_get_u64(tb[S2S_A_LIFETIME_SECONDS]);
	return 0;
}

/* Lifetimes are read by the data path and housekeeping with READ_ONCE(). */
static void s2s_nl_set_lifetime(struct s2s_lifetime *dst,
				const struct s2s_lifetime *src)
{
	WRITE_ONCE(dst->bytes, src->bytes);
	WRITE_ONCE(dst->packets, src->packets);
	WRITE_ONCE(dst->seconds, src->seconds);
}

static int s2s_nl_parse_selector(struct nlattr *attr, struct s2s_selector *sel,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[S2S_A_SELECTOR_MAX + 1];
	int err;

	err = nla_parse_nested(tb, S2S_A_SELECTOR_MAX, attr,
			       s2s_selector_nl_policy, extack);
	if (err)
		return err;
	if (!tb[S2S_A_SELECTOR_ADDR] || !tb[S2S_A_SELECTOR_PREFIX_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "selector needs addr and prefix-len");
		return -EINVAL;
	}
	err = s2s_nl_parse_addr(tb[S2S_A_SELECTOR_ADDR], &sel->addr,
				&sel->family, extack);
	if (err)
		return err;
	sel->plen = nla_get_u8(tb[S2S_A_SELECTOR_PREFIX_LEN]);
	if (sel->plen > (sel->family == AF_INET ? 32 : 128)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[S2S_A_SELECTOR_PREFIX_LEN],
				    "prefix length too long for the address family");
		return -EINVAL;
	}
	if (sel->family == AF_INET) {
		sel->addr.v4 &= sel->plen ? htonl(~0U << (32 - sel->plen)) : 0;
	} else {
		/* ipv6_addr_prefix() clears its destination first: not in place. */
		struct in6_addr addr = sel->addr.v6;

		ipv6_addr_prefix(&sel->addr.v6, &addr, sel->plen);
	}
	return 0;
}

/* ts-local and ts-remote are repeated attributes: walk the whole message,
 * once to size the set and once to fill it. *@tsp is NULL when the message
 * has neither (any inner address); else a set for s2s_sa_set_selectors().
 */
static int s2s_nl_parse_selectors(struct genl_info *info,
				  struct s2s_selectors **tsp)
{
	unsigned int n[2] = {}, i[2] = {};
	struct s2s_selectors *ts;
	const struct nlattr *attr;
	int rem, err, side;

	*tsp = NULL;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != S2S_A_SA_TS_LOCAL &&
		    nla_type(attr) != S2S_A_SA_TS_REMOTE)
			continue;
		side = nla_type(attr) == S2S_A_SA_TS_REMOTE;
		/* REQUIREMENTS asks for 20 CIDRs per tunnel. */
		if (n[side] == S2S_SELECTORS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many selectors (at most "
					    __stringify(S2S_SELECTORS_MAX)
					    " per side)");
			return -E2BIG;
		}
		n[side]++;
	}
	if (!n[0] && !n[1])
		return 0;

	ts = kzalloc(struct_size(ts, sel, n[0] + n[1]), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	ts->n_local = n[0];
	ts->n_remote = n[1];
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != S2S_A_SA_TS_LOCAL &&
		    nla_type(attr) != S2S_A_SA_TS_REMOTE)
			continue;
		side = nla_type(attr) == S2S_A_SA_TS_REMOTE;
		err = s2s_nl_parse_selector((struct nlattr *)attr,
					    &ts->sel[side * n[0] + i[side]++],
					    info->extack);
		if (err) {
			kfree(ts);
			return err;
		}
	}
	*tsp = ts;
	return 0;
}

static int s2s_nl_sa_crypto(struct genl_info *info, struct s2s_sa *sa)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *ikey = attrs[S2S_A_SA_INTEG_KEY];
	struct nlattr *ekey = attrs[S2S_A_SA_ENC_KEY];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, S2S_A_SA_ENC) ||
	    GENL_REQ_ATTR_CHECK(info, S2S_A_SA_ENC_KEY))
		return -EINVAL;
	sa->enc = nla_get_u32(attrs[S2S_A_SA_ENC]);
	sa->integ = attrs[S2S_A_SA_INTEG] ?
		    nla_get_u32(attrs[S2S_A_SA_INTEG]) : S2S_INTEG_NONE;
	if (sa->integ != S2S_INTEG_NONE && !ikey) {
		NL_SET_ERR_MSG_MOD(info->extack, "integrity algorithm needs integ-key");
		return -EINVAL;
	}
	err = s2s_crypto_init(&sa->crypto, sa->enc, nla_data(ekey), nla_len(ekey),
			      sa->integ, ikey ? nla_data(ikey) : NULL,
			      ikey ? nla_len(ikey) : 0, sa->esn, info->extack);

	/* The transform has its own copy: leave no key in the request. */
	memzero_explicit(nla_data(ekey), nla_len(ekey));
	if (ikey)
		memzero_explicit(nla_data(ikey), nla_len(ikey));
	return err;
}

/**
 * s2s_nl_sa_new_doit() - S2S_CMD_SA_NEW
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct s2s_selectors *ts = NULL;
	struct nlattr **attrs = info->attrs;
	struct s2s_dev *s2s;
	struct s2s_sa *sa;
	u64 seq = 0;
	int err;

	sa = s2s_sa_alloc();
	if (!sa)
		return -ENOMEM;

	rtnl_lock();
	s2s = s2s_nl_sa_link(info);
	if (IS_ERR(s2s)) {
		err = PTR_ERR(s2s);
		goto err;
	}
	err = -EINVAL;
	if (GENL_REQ_ATTR_CHECK(info, S2S_A_SA_DIR) ||
	    GENL_REQ_ATTR_CHECK(info, S2S_A_SA_SPI))
		goto err;
	sa->dir = nla_get_u32(attrs[S2S_A_SA_DIR]);
	sa->spi = htonl(nla_get_u32(attrs[S2S_A_SA_SPI]));
	sa->esn = attrs[S2S_A_SA_ESN] && nla_get_u8(attrs[S2S_A_SA_ESN]);
	if (attrs[S2S_A_SA_SEQ])
		seq = nla_get_u64(attrs[S2S_A_SA_SEQ]);
	if (!sa->esn && seq > U32_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[S2S_A_SA_SEQ],
				    "sequence number above 2^32-1 needs ESN");
		goto err;
	}

	/* Not published yet: the endpoint is written in place. */
	err = s2s_nl_parse_endpoint(info, &sa->family, rtnl_dereference(sa->ep),
				    true) ?:
	      s2s_nl_parse_selectors(info, &ts) ?:
	      s2s_nl_parse_lifetime(attrs[S2S_A_SA_SOFT], &sa->soft, info->extack) ?:
	      s2s_nl_parse_lifetime(attrs[S2S_A_SA_HARD], &sa->hard, info->extack) ?:
	      s2s_nl_sa_crypto(info, sa);
	/* The SA owns the selectors from here on, on the error path too. */
	s2s_sa_set_selectors(sa, ts);
	if (err)
		goto err;

	if (sa->dir == S2S_DIR_IN) {
		u32 window = attrs[S2S_A_SA_REPLAY_WINDOW] ?
			     nla_get_u32(attrs[S2S_A_SA_REPLAY_WINDOW]) : 0;

		if (window > S2S_REPLAY_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[S2S_A_SA_REPLAY_WINDOW],
					    "replay window must be at most 1048576 packets");
			err = -EINVAL;
			goto err;
		}

		sa->replay = s2s_replay_alloc(window ?: READ_ONCE(s2s->replay_window),
					      sa->esn, GFP_KERNEL);
		if (!sa->replay) {
			err = -ENOMEM;
			goto err;
		}
		sa->replay->top = seq;
	} else {
		if (attrs[S2S_A_SA_REPLAY_WINDOW]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[S2S_A_SA_REPLAY_WINDOW],
					    "replay window is for inbound SAs");
			err = -EINVAL;
			goto err;
		}
		atomic64_set(&sa->seq, seq);
	}

	err = s2s_sa_publish(s2s, sa, info->extack);
	if (err)
		goto err;
	rtnl_unlock();
	return 0;

err:
	rtnl_unlock();
	s2s_sa_put(sa);
	return err;
}

/**
 * s2s_nl_sa_set_doit() - S2S_CMD_SA_SET: new endpoint, lifetimes or selectors,
 *	same keys, sequence numbers and replay window
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_sa_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct s2s_selectors *ts = NULL;
	struct s2s_endpoint *ep = NULL;
	struct s2s_lifetime soft, hard;
	struct s2s_sa *sa;
	int err;

	rtnl_lock();
	sa = s2s_nl_sa_lookup(info);
	if (IS_ERR(sa)) {
		err = PTR_ERR(sa);
		goto out;
	}
	soft = sa->soft;
	hard = sa->hard;
	err = s2s_nl_parse_lifetime(info->attrs[S2S_A_SA_SOFT], &soft,
				    info->extack) ?:
	      s2s_nl_parse_lifetime(info->attrs[S2S_A_SA_HARD], &hard,
				    info->extack) ?:
	      s2s_nl_parse_selectors(info, &ts);
	if (err)
		goto out;

	/* A new endpoint, swapped in whole: a packet uses the old one or the
	 * new one, and the new one starts with an empty route cache.
	 */
	if (info->attrs[S2S_A_SA_LOCAL] || info->attrs[S2S_A_SA_REMOTE] ||
	    info->attrs[S2S_A_SA_ENCAP_SPORT] || info->attrs[S2S_A_SA_ENCAP_DPORT]) {
		const struct s2s_endpoint *old = rtnl_dereference(sa->ep);
		u8 family = sa->family;

		ep = s2s_endpoint_alloc();
		if (!ep) {
			err = -ENOMEM;
			goto out;
		}
		ep->local = old->local;
		ep->remote = old->remote;
		ep->sport = old->sport;
		ep->dport = old->dport;
		err = s2s_nl_parse_endpoint(info, &family, ep, false);
		if (err)
			goto out;
		s2s_sa_set_endpoint(sa, ep);
		ep = NULL;
	}
	/* Given selectors replace both sides: a side left out becomes any. */
	if (ts) {
		s2s_sa_set_selectors(sa, ts);
		ts = NULL;
	}
	s2s_nl_set_lifetime(&sa->soft, &soft);
	s2s_nl_set_lifetime(&sa->hard, &hard);
	if (sa->dir == S2S_DIR_OUT)
		s2s_dev_update_mtu(sa->s2s);
out:
	rtnl_unlock();
	s2s_endpoint_free(ep);
	kfree(ts);
	return err;
}

/**
 * s2s_nl_sa_del_doit() - S2S_CMD_SA_DEL
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct s2s_sa *sa;
	int err = 0;

	rtnl_lock();
	sa = s2s_nl_sa_lookup(info);
	if (IS_ERR(sa))
		err = PTR_ERR(sa);
	else
		s2s_sa_unpublish(sa);
	rtnl_unlock();
	return err;
}

/**
 * s2s_nl_sa_flush_doit() - S2S_CMD_SA_FLUSH
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct s2s_dev *s2s;
	int err = 0;

	rtnl_lock();
	s2s = s2s_nl_sa_link(info);
	if (IS_ERR(s2s))
		err = PTR_ERR(s2s);
	else
		s2s_sa_flush(s2s);
	rtnl_unlock();
	return err;
}

static int s2s_nl_put_addr(struct sk_buff *skb, int attr, u8 family,
			   const union s2s_addr *addr)
{
	return nla_put(skb, attr, family == AF_INET ? 4 : 16, addr);
}

static int s2s_nl_put_selectors(struct sk_buff *skb, int attr,
				const struct s2s_selector *sel, u8 n)
{
	struct nlattr *nest;
	u8 i;

	for (i = 0; i < n; i++) {
		nest = nla_nest_start(skb, attr);
		if (!nest ||
		    s2s_nl_put_addr(skb, S2S_A_SELECTOR_ADDR, sel[i].family,
				    &sel[i].addr) ||
		    nla_put_u8(skb, S2S_A_SELECTOR_PREFIX_LEN, sel[i].plen))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int s2s_nl_put_lifetime(struct sk_buff *skb, int attr,
			       const struct s2s_lifetime *lt)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest ||
	    nla_put_u64_64bit(skb, S2S_A_LIFETIME_BYTES, READ_ONCE(lt->bytes),
			      S2S_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, S2S_A_LIFETIME_PACKETS,
			      READ_ONCE(lt->packets), S2S_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, S2S_A_LIFETIME_SECONDS,
			      READ_ONCE(lt->seconds), S2S_A_LIFETIME_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static u64 s2s_nl_sa_seq(struct s2s_sa *sa)
{
	u64 seq;

	if (sa->dir == S2S_DIR_OUT)
		return atomic64_read(&sa->seq);
	spin_lock_bh(&sa->replay->lock);
	seq = sa->replay->top;
	spin_unlock_bh(&sa->replay->lock);
	return seq;
}

/* Everything about an SA except its keys, which never leave the kernel. */
static int s2s_nl_sa_fill(struct sk_buff *skb, struct s2s_sa *sa, u8 cmd,
			  u32 portid, u32 seq, int flags)
{
	const struct s2s_selectors *ts = rtnl_dereference(sa->ts);
	const struct s2s_endpoint *ep = rtnl_dereference(sa->ep);
	struct s2s_stats_sum sum;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &s2s_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	s2s_stats_read(sa->stats, &sum);
	if (nla_put_u32(skb, S2S_A_SA_IFINDEX, sa->s2s->dev->ifindex) ||
	    nla_put_u32(skb, S2S_A_SA_DIR, sa->dir) ||
	    nla_put_u32(skb, S2S_A_SA_SPI, ntohl(sa->spi)) ||
	    nla_put_u32(skb, S2S_A_SA_ENC, sa->enc) ||
	    nla_put_u32(skb, S2S_A_SA_INTEG, sa->integ) ||
	    nla_put_u8(skb, S2S_A_SA_ESN, sa->esn) ||
	    s2s_nl_put_addr(skb, S2S_A_SA_LOCAL, sa->family, &ep->local) ||
	    s2s_nl_put_addr(skb, S2S_A_SA_REMOTE, sa->family, &ep->remote) ||
	    nla_put_u16(skb, S2S_A_SA_ENCAP_SPORT, ntohs(ep->sport)) ||
	    nla_put_u16(skb, S2S_A_SA_ENCAP_DPORT, ntohs(ep->dport)) ||
	    (sa->replay &&
	     nla_put_u32(skb, S2S_A_SA_REPLAY_WINDOW, sa->replay->size)) ||
	    nla_put_u64_64bit(skb, S2S_A_SA_SEQ, s2s_nl_sa_seq(sa), S2S_A_SA_PAD) ||
	    (ts &&
	     (s2s_nl_put_selectors(skb, S2S_A_SA_TS_LOCAL, ts->sel,
				   ts->n_local) ||
	      s2s_nl_put_selectors(skb, S2S_A_SA_TS_REMOTE,
				   ts->sel + ts->n_local, ts->n_remote))) ||
	    s2s_nl_put_lifetime(skb, S2S_A_SA_SOFT, &sa->soft) ||
	    s2s_nl_put_lifetime(skb, S2S_A_SA_HARD, &sa->hard) ||
	    nla_put_u64_64bit(skb, S2S_A_SA_AGE,
			      ktime_get_seconds() - sa->add_time, S2S_A_SA_PAD) ||
	    nla_put_u8(skb, S2S_A_SA_LEGACY,
		       s2s_crypto_is_legacy(sa->enc, sa->integ)) ||
	    nla_put_u32(skb, S2S_A_SA_STATE, s2s_sa_state(sa)) ||
	    s2s_stats_nl_put(skb, S2S_A_SA_STATS, &sum))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * s2s_nl_sa_get_doit() - S2S_CMD_SA_GET for one SA
 * @skb: request
 * @info: request attributes and extack
 *
 * Return: 0 or a negative errno, with the reason in extack.
 */
int s2s_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct s2s_sa *sa;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	sa = s2s_nl_sa_lookup(info);
	if (IS_ERR(sa))
		err = PTR_ERR(sa);
	else
		err = s2s_nl_sa_fill(msg, sa, S2S_CMD_SA_GET, info->snd_portid,
				     info->snd_seq, 0);
	rtnl_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * s2s_nl_sa_get_dumpit() - S2S_CMD_SA_GET for every SA of the namespace,
 *	or of one link
 * @skb: reply buffer
 * @cb: dump state; args[0] counts links done, args[1] SAs of the next link
 *
 * Return: reply length, 0 when done, or a negative errno.
 */
int s2s_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = s2s_compat_genl_dump_attrs(cb)[S2S_A_SA_IFINDEX];
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long link_idx = 0;
	int err = 0;

	rtnl_lock();
	/* Both only grow: their sum changes whenever links or SAs do. */
	cb->seq = net->dev_base_seq + s2s_net(net)->sa_gen;
	for_each_netdev(net, dev) {
		struct s2s_dev *s2s = s2s_dev_from_netdev(dev);
		struct s2s_sa *sa;
		long sa_idx = 0;

		if (!s2s || (only && dev->ifindex != nla_get_u32(only)))
			continue;
		if (link_idx++ < cb->args[0])
			continue;
		list_for_each_entry(sa, &s2s->sas, link_node) {
			if (sa_idx++ < cb->args[1])
				continue;
			err = s2s_nl_sa_fill(skb, sa, S2S_CMD_SA_GET,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				goto out;
			nl_dump_check_consistent(cb, nlmsg_hdr(skb));
			cb->args[1] = sa_idx;
		}
		cb->args[0] = link_idx;
		cb->args[1] = 0;
	}
out:
	rtnl_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/**
 * s2s_nl_sa_notify() - announce an SA event on the events group
 * @sa: SA
 * @event: what happened
 *
 * Called from the link's housekeeping work under rcu_read_lock().
 */
void s2s_nl_sa_notify(struct s2s_sa *sa, enum s2s_event event)
{
	struct net_device *dev = sa->s2s->dev;
	struct s2s_stats_sum sum;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &s2s_nl_family, 0, S2S_CMD_SA_NTF);
	if (!hdr)
		goto err;
	s2s_stats_read(sa->stats, &sum);
	if (nla_put_u32(msg, S2S_A_SA_IFINDEX, dev->ifindex) ||
	    nla_put_u32(msg, S2S_A_SA_DIR, sa->dir) ||
	    nla_put_u32(msg, S2S_A_SA_SPI, ntohl(sa->spi)) ||
	    nla_put_u32(msg, S2S_A_SA_EVENT, event) ||
	    nla_put_u32(msg, S2S_A_SA_STATE, s2s_sa_state(sa)) ||
	    s2s_stats_nl_put(msg, S2S_A_SA_STATS, &sum))
		goto err;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&s2s_nl_family, dev_net(dev), msg, 0,
				S2S_NLGRP_EVENTS, GFP_ATOMIC);
	return;
err:
	nlmsg_free(msg);
}

static struct genl_family s2s_nl_family __ro_after_init = {
	.name		= S2S_FAMILY_NAME,
	.version	= S2S_FAMILY_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= s2s_nl_ops,
	.n_ops		= ARRAY_SIZE(s2s_nl_ops),
	.mcgrps		= s2s_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(s2s_nl_mcgrps),
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
