// SPDX-License-Identifier: GPL-2.0
/* s2sd's routes over rtnetlink; see routes.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "routes.h"

/**
 * s2s_routes_build_msg() - an RTM_NEWROUTE or RTM_DELROUTE for a route
 * @buf: message buffer, at least MNL_SOCKET_BUFFER_SIZE / 4 bytes
 * @size: its size
 * @r: the route
 * @add: NEWROUTE (create or replace: idempotent) or DELROUTE
 *
 * Return: the message length, or -EINVAL for a route without family.
 */
int s2s_routes_build_msg(void *buf, size_t size, const struct s2s_route *r,
			 bool add)
{
	size_t alen = s2s_addr_len(&r->dst.addr);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!alen || size < MNL_NLMSG_HDRLEN + sizeof(*rtm) + 64)
		return -EINVAL;
	memset(buf, 0, MNL_NLMSG_HDRLEN + sizeof(*rtm));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	/* REPLACE: a route to the prefix via another link (an earlier
	 * s2sd's, or a stale one) is taken over rather than an error
	 */
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = r->dst.addr.family;
	rtm->rtm_dst_len = r->dst.plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = S2S_RTPROT;
	/* a point-to-point tunnel: no gateway, the link is the next hop */
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, r->dst.addr.b);
	mnl_attr_put_u32(nlh, RTA_OIF, r->ifindex);
	return (int)nlh->nlmsg_len;
}

/**
 * s2s_route_change() - install (idempotently) or remove one route
 * @rt: an NETLINK_ROUTE socket
 * @r: the route
 * @add: install, else remove
 *
 * Return: 0 (removing a route that is gone is no error) or the kernel's
 * negative errno, its message in @rt->extack.
 */
int s2s_route_change(struct s2s_nl *rt, const struct s2s_route *r, bool add)
{
	uint64_t buf[MNL_SOCKET_BUFFER_SIZE / 4 / sizeof(uint64_t)];
	int len, err;

	len = s2s_routes_build_msg(buf, sizeof(buf), r, add);
	if (len < 0)
		return len;
	err = s2s_nl_request(rt, (struct nlmsghdr *)buf, NULL, NULL);
	return !add && err == -ESRCH ? 0 : err;
}

struct s2s_routes_walk {
	struct s2s_route_set *set;
	int err;
};

static int s2s_routes_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int s2s_routes_one(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct s2s_routes_walk *w = data;
	const struct rtmsg *rtm;
	struct s2s_route r = { 0 };
	size_t alen;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*rtm))
		return 0;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_protocol != S2S_RTPROT || rtm->rtm_table != RT_TABLE_MAIN)
		return 0;
	if (mnl_attr_parse(nlh, sizeof(*rtm), s2s_routes_attr, tb) != MNL_CB_OK)
		return -EBADMSG;
	if (!tb[RTA_DST] || !tb[RTA_OIF] ||
	    mnl_attr_get_payload_len(tb[RTA_OIF]) != sizeof(uint32_t))
		return 0;	/* not one we could have made */
	alen = mnl_attr_get_payload_len(tb[RTA_DST]);
	if (s2s_addr_from_bytes(mnl_attr_get_payload(tb[RTA_DST]), alen,
				&r.dst.addr))
		return -EBADMSG;
	r.dst.plen = rtm->rtm_dst_len;
	r.ifindex = mnl_attr_get_u32(tb[RTA_OIF]);
	/* the same prefix twice (by hand, other metric): one is enough to
	 * reconcile, the next pass sees the other
	 */
	if (s2s_route_set_add(w->set, &r) == -ENOMEM)
		return -ENOMEM;
	return 0;
}

static int s2s_routes_dump_family(struct s2s_nl *rt, uint8_t family,
				  struct s2s_route_set *have)
{
	uint64_t buf[64];
	struct s2s_routes_walk w = { .set = have };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = S2S_RTPROT;
	return s2s_nl_request(rt, nlh, s2s_routes_one, &w);
}

/**
 * s2s_routes_dump() - the kernel's routes of protocol S2S_RTPROT
 * @rt: an NETLINK_ROUTE socket
 * @have: receives them (IPv4 and IPv6, main table)
 *
 * Return: 0 or a negative errno (-EINTR: changed during the dump).
 */
int s2s_routes_dump(struct s2s_nl *rt, struct s2s_route_set *have)
{
	int err = s2s_routes_dump_family(rt, AF_INET, have);

	return err ? err : s2s_routes_dump_family(rt, AF_INET6, have);
}
