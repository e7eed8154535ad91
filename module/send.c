// SPDX-License-Identifier: GPL-2.0
/* Transmit: inner packet -> ESP tunnel mode packet towards the peer.
 *
 * ndo_start_xmit takes the link's outbound SA under RCU, splits GSO
 * packets (each ESP packet needs its own sequence number and IV), checks
 * the path MTU, frames and encrypts each packet in place, and sends it from
 * the underlay namespace. Encryption may complete asynchronously; the
 * completion finishes the packet (s2s_send_finish()). A busy link has its
 * packets encrypted on every CPU and sent in order (parallel.c).
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/sched/clock.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/ip6_checksum.h>
#include <net/udp.h>

#include "compat/compat.h"
#include "esp.h"
#include "s2s.h"

static struct dst_entry *s2s_route4(struct s2s_endpoint *ep,
				     struct net *net)
{
	struct flowi4 fl4 = {
		.daddr = ep->remote.v4,
		.saddr = ep->local.v4,
		.flowi4_proto = ep->dport ? IPPROTO_UDP : IPPROTO_ESP,
	};
	struct rtable *rt;
	__be32 saddr;

	rt = dst_cache_get_ip4(&ep->dst_cache, &saddr);
	if (rt)
		return &rt->dst;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	dst_cache_set_ip4(&ep->dst_cache, &rt->dst, fl4.saddr);
	return &rt->dst;
}

static struct dst_entry *s2s_route6(struct s2s_endpoint *ep,
				     struct net *net)
{
	struct flowi6 fl6 = {
		.daddr = ep->remote.v6,
		.saddr = ep->local.v6,
		.flowi6_proto = ep->dport ? IPPROTO_UDP : IPPROTO_ESP,
	};
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = dst_cache_get_ip6(&ep->dst_cache, &saddr);
	if (dst)
		return dst;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	dst_cache_set_ip6(&ep->dst_cache, dst, &fl6.saddr);
	return dst;
}

/* Whether the inner packet, or every segment a GSO packet will be cut
 * into, fits @mtu once encapsulated.
 */
static bool s2s_send_fits(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu);
	return skb->len <= mtu;
}

/* The inner packet does not fit the path once encapsulated: tell its
 * sender, as a router would, and learn the smaller MTU locally too. A GSO
 * packet is judged by its segments and answered once, for all of them.
 */
static bool s2s_send_too_big(struct sk_buff *skb, unsigned int mtu)
{
	if (s2s_send_fits(skb, mtu))
		return false;
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return false;	/* the outer packet may fragment */
		mtu = max_t(unsigned int, mtu, IPV4_MIN_MTU);
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	} else {
		mtu = max_t(unsigned int, mtu, IPV6_MIN_MTU);
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	}
	return true;
}

static void s2s_push_udp(const struct s2s_endpoint *ep, struct sk_buff *skb)
{
	struct udphdr *uh;

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = ep->sport;
	uh->dest = ep->dport;
	uh->len = htons(skb->len);
	/* RFC 3948 3.1.1: IPv4 senders transmit a zero checksum; IPv6 needs
	 * a real one (RFC 8200 8.1), filled in below.
	 */
	uh->check = 0;
}

static void s2s_xmit4(const struct s2s_endpoint *ep, struct sk_buff *skb,
		      struct dst_entry *dst, u8 tos, bool df)
{
	struct net *net = dev_net(dst->dev);
	struct iphdr *iph;

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->frag_off = df ? htons(IP_DF) : 0;
	iph->ttl = ip4_dst_hoplimit(dst);
	iph->protocol = ep->dport ? IPPROTO_UDP : IPPROTO_ESP;
	iph->saddr = ep->local.v4;
	iph->daddr = ep->remote.v4;
	iph->tot_len = htons(skb->len);
	ip_select_ident(net, skb, NULL);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb->protocol = htons(ETH_P_IP);
	ip_local_out(net, NULL, skb);
}

static void s2s_xmit6(const struct s2s_endpoint *ep, struct sk_buff *skb,
		      struct dst_entry *dst, u8 tos)
{
	struct net *net = dev_net(dst->dev);
	struct ipv6hdr *ip6h;

	if (ep->dport)
		udp6_set_csum(false, skb, &ep->local.v6, &ep->remote.v6,
			      skb->len);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, tos, 0);
	ip6h->nexthdr = ep->dport ? IPPROTO_UDP : IPPROTO_ESP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = ep->local.v6;
	ip6h->daddr = ep->remote.v6;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	skb->protocol = htons(ETH_P_IPV6);
	ip6_local_out(net, NULL, skb);
}

/**
 * s2s_send_finish() - add UDP and the outer header to an encrypted packet
 *	and send it
 * @skb: packet from s2s_send_one(); consumed with the SA reference in its
 *	control block
 * @err: result of the encryption
 *
 * Context: BHs off.
 */
void s2s_send_finish(struct sk_buff *skb, int err)
{
	struct s2s_skb_cb *cb = S2S_SKB_CB(skb);
	struct s2s_sa *sa = cb->sa;
	unsigned int inner_len = cb->inner_len;
	struct s2s_dev *s2s = sa->s2s;
	const struct s2s_endpoint *ep;
	struct dst_entry *dst;
	bool df;
	u8 tos;

	s2s_esp_req_free(cb->req);
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: encryption failed: %d\n",
				    s2s->dev->name, err);
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_TX_ERROR);
		goto out;
	}

	/* The route was taken and checked before encryption; its reference
	 * rides on the skb until the outer header goes on.
	 */
	dst = skb_dst(skb);
	df = cb->df;
	tos = READ_ONCE(s2s->dscp_copy) ? cb->inner_ds & ~INET_ECN_MASK : 0;
	tos = INET_ECN_encapsulate(tos, cb->inner_ds);
	skb->ip_summed = CHECKSUM_NONE;

	/* One endpoint for the whole header, whatever sa-set does meanwhile;
	 * the completion may run outside the sender's RCU section.
	 */
	rcu_read_lock();
	ep = s2s_sa_ep(sa);
	if (ep->dport)
		s2s_push_udp(ep, skb);
	if (sa->family == AF_INET) {
		s2s_xmit4(ep, skb, dst, tos, df);
	} else {
		skb->ignore_df = !df;
		s2s_xmit6(ep, skb, dst, tos);
	}
	rcu_read_unlock();

	/* The skb belongs to the IP layer now: use what was saved. */
	s2s_stats_tx(sa->stats, inner_len);
	s2s_stats_tx(s2s->stats, inner_len);
out:
	s2s_sa_put(sa);
}

static void s2s_send_done(s2s_crypto_done_arg arg, int err)
{
	struct sk_buff *skb = s2s_crypto_done_data(arg);
	struct s2s_dev *s2s = S2S_SKB_CB(skb)->sa->s2s;

	local_bh_disable();
	s2s_send_finish(skb, err);
	local_bh_enable();
	s2s_dev_crypto_put(s2s);
}

static bool s2s_next_seq(struct s2s_sa *sa, u64 *seq)
{
	*seq = atomic64_inc_return(&sa->seq);
	/* RFC 4303 3.3.3: the counter never cycles; the SA must be replaced. */
	if (unlikely((!sa->esn && *seq > U32_MAX) || !*seq)) {
		atomic64_set(&sa->seq, sa->esn ? U64_MAX : U32_MAX);
		set_bit(S2S_SA_EXHAUSTED, &sa->expired);
		return false;
	}
	return true;
}

/* What holds for an inner packet as the stack handed it over, GSO or not:
 * a known inner family, a usable SA, a route to the peer that does not
 * loop back into the link, and a size that fits that route once
 * encapsulated. Return the route with a reference, or NULL once @skb is
 * dropped with a counted reason.
 */
static struct dst_entry *s2s_send_check(struct s2s_dev *s2s, struct s2s_sa *sa,
					struct sk_buff *skb)
{
	struct net *net = s2s->underlay_net;
	struct s2s_endpoint *ep;
	struct dst_entry *dst;

	if (!(skb->protocol == htons(ETH_P_IP) &&
	      pskb_network_may_pull(skb, sizeof(struct iphdr))) &&
	    !(skb->protocol == htons(ETH_P_IPV6) &&
	      pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_TX_ERROR);
		return NULL;
	}

	if (unlikely(s2s_sa_hard_expired(sa))) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_EXPIRED);
		return NULL;
	}

	ep = s2s_sa_ep(sa);
	dst = sa->family == AF_INET ? s2s_route4(ep, net) : s2s_route6(ep, net);
	if (unlikely(!dst || dst->dev == s2s->dev)) {
		/* No route, or one back into ourselves: a loop. */
		dst_release(dst);
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_NO_ROUTE);
		return NULL;
	}

	if (s2s_send_too_big(skb, s2s_sa_inner_mtu(sa, dst_mtu(dst)))) {
		dst_release(dst);
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_TOO_BIG);
		return NULL;
	}
	return dst;
}

/* Frame and encrypt one inner packet that passed s2s_send_check(), on its
 * own or as a segment of a GSO packet that did. Consumes @skb and the
 * reference on @dst; takes its own reference on @sa for the crypto call.
 */
static void s2s_send_one(struct s2s_dev *s2s, struct s2s_sa *sa,
			 struct sk_buff *skb, struct dst_entry *dst)
{
	unsigned int plen, clen, padlen, head, tail, overhead;
	struct s2s_skb_cb *cb = S2S_SKB_CB(skb);
	struct net *net = s2s->underlay_net;
	struct aead_request *req;
	u8 nexthdr;
	u64 start;
	int err;

	/* Segments carry a copy of the checked packet's headers. */
	if (skb->protocol == htons(ETH_P_IP)) {
		nexthdr = IPPROTO_IPIP;
		cb->inner_ds = ipv4_get_dsfield(ip_hdr(skb));
	} else {
		nexthdr = IPPROTO_IPV6;
		cb->inner_ds = ipv6_get_dsfield(ipv6_hdr(skb));
	}

	if (unlikely(!s2s_next_seq(sa, &cb->seq))) {
		dst_release(dst);
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_SEQ_EXHAUSTED);
		return;
	}

	overhead = s2s_sa_overhead(sa);
	plen = skb->len;
	cb->inner_len = plen;
	padlen = s2s_esp_padlen(&sa->crypto, plen);
	head = LL_RESERVED_SPACE(dst->dev) + overhead - sa->crypto.block + 1 -
	       2 - sa->crypto.icvlen;
	tail = padlen + 2 + sa->crypto.icvlen;

	/* The checksum is final before encryption: nothing can offload it
	 * once the payload is ciphertext.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_csum_hwoffload_help(skb, 0))
		goto drop_err;
	/* Encryption happens in place: the data must be private and linear,
	 * with room for the headers in front and the trailer behind.
	 */
	if (skb_linearize(skb) ||
	    ((skb_cloned(skb) || skb_headroom(skb) < head ||
	      skb_tailroom(skb) < tail) &&
	     pskb_expand_head(skb, max_t(int, head - skb_headroom(skb), 0),
			      max_t(int, tail - skb_tailroom(skb), 0),
			      GFP_ATOMIC)))
		goto drop_err;

	/* An inner IPv4 packet without DF may be fragmented on the way: let
	 * the outer one be too. Everything else is sent with DF.
	 */
	cb->df = nexthdr != IPPROTO_IPIP || (ip_hdr(skb)->frag_off & htons(IP_DF));
	clen = s2s_esp_encap(skb, sa->spi, &sa->crypto, cb->seq, nexthdr);

	skb_scrub_packet(skb, !net_eq(net, dev_net(s2s->dev)));
	skb_dst_set(skb, dst);
	dst = NULL;

	cb->sa = s2s_sa_get_rcu(sa);
	if (unlikely(!cb->sa))
		goto drop_err;
	cb->req = s2s_esp_req_alloc(sa, skb, cb->seq, 0, clen, true, &req);
	if (unlikely(!cb->req)) {
		s2s_sa_put(sa);
		goto drop_err;
	}
	s2s_sa_account(sa, plen);
	if (s2s_par_wanted(&s2s->txq)) {
		s2s_par_crypt(s2s, skb, req);
		return;
	}
	s2s_dev_crypto_get(s2s);
	aead_request_set_callback(req, 0, s2s_send_done, skb);
	start = local_clock();
	err = s2s_esp_crypt(&sa->crypto, cb->req, true);
	s2s_par_inline_done(&s2s->txq, start, err);
	if (err == -EINPROGRESS)
		return;
	s2s_send_finish(skb, err);
	s2s_dev_crypto_put(s2s);
	return;

drop_err:
	dst_release(dst);
	s2s_dev_drop(s2s, sa, skb, S2S_DROP_TX_ERROR);
}

/* Cut a GSO packet that passed s2s_send_check() into packets of at most
 * gso_size payload and send them in order, so that sequence numbers follow
 * the stream. Segmenting without features makes every segment a private
 * linear copy with its checksum folded in during the copy: exactly what
 * in-place encryption needs. Consumes @skb and the reference on @dst.
 */
static void s2s_send_gso(struct s2s_dev *s2s, struct s2s_sa *sa,
			 struct sk_buff *skb, struct dst_entry *dst)
{
	struct sk_buff *segs, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		dst_release(dst);
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_TX_ERROR);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		s2s_send_one(s2s, sa, skb, dst_clone(dst));
	}
	dst_release(dst);
}

/**
 * s2s_send() - ndo_start_xmit of s2s links
 * @skb: inner IPv4 or IPv6 packet, possibly GSO
 * @dev: the s2s link
 *
 * Return: NETDEV_TX_OK; every packet is either sent or dropped with a
 * counted reason.
 */
netdev_tx_t s2s_send(struct sk_buff *skb, struct net_device *dev)
{
	struct s2s_dev *s2s = netdev_priv(dev);
	struct dst_entry *dst;
	struct s2s_sa *sa;

	sa = s2s_sa_get_rcu(rcu_dereference_bh(s2s->tx_sa));
	/* Deleted as we looked: its successor was in place before. */
	if (unlikely(!sa))
		sa = s2s_sa_get_rcu(rcu_dereference_bh(s2s->tx_sa));
	if (unlikely(!sa)) {
		s2s_dev_drop(s2s, NULL, skb, S2S_DROP_NO_SA);
		return NETDEV_TX_OK;
	}

	dst = s2s_send_check(s2s, sa, skb);
	if (!dst)
		goto out;
	if (skb_is_gso(skb))
		s2s_send_gso(s2s, sa, skb, dst);
	else
		s2s_send_one(s2s, sa, skb, dst);
out:
	s2s_sa_put(sa);
	return NETDEV_TX_OK;
}
