// SPDX-License-Identifier: GPL-2.0
/* Receive: ESP from the peer -> inner packet out of the s2s link.
 *
 * Registered in the xfrm4/xfrm6 ESP handler chains at a priority above
 * every in-tree handler, for raw ESP and for ESP-in-UDP handed over by an
 * encapsulation socket (charon's port 4500). A packet whose SPI is not one
 * of ours is returned untouched with -EINVAL, so XFRM keeps working for
 * everything else on the host.
 *
 * Order: SPI lookup, replay pre-check, authenticated decryption, replay
 * window update, padding and next-header checks, inner selector check,
 * delivery on the SA's link. Each drop counts a reason on SA and link.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/sched/clock.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "compat/compat.h"
#include "esp.h"
#include "s2s.h"

/* Above vti (100) and every other in-tree ESP handler. */
#define S2S_XFRM_PRIORITY	250

static void s2s_receive_deliver(struct s2s_dev *s2s, struct s2s_sa *sa,
				struct sk_buff *skb)
{
	struct net_device *dev = s2s->dev;
	unsigned int len;
	u8 inner_ds;

	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			goto malformed;
		iph = ip_hdr(skb);
		if (iph->version != 4 || iph->ihl < 5 ||
		    ntohs(iph->tot_len) > skb->len)
			goto malformed;
		inner_ds = ipv4_get_dsfield(iph);
	} else {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			goto malformed;
		ip6h = ipv6_hdr(skb);
		if (ip6h->version != 6 ||
		    ntohs(ip6h->payload_len) + sizeof(*ip6h) > skb->len)
			goto malformed;
		inner_ds = ipv6_get_dsfield(ip6h);
	}

	if (!s2s_sa_selectors_match(sa, skb)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_SELECTOR);
		return;
	}

	/* RFC 6040 normal mode: CE outside sets CE inside; CE outside a
	 * not-ECT inner packet means it must be dropped.
	 */
	if (INET_ECN_decapsulate(skb, S2S_SKB_CB(skb)->outer_ds, inner_ds) > 1)
		goto malformed;

	skb_scrub_packet(skb, !net_eq(s2s->underlay_net, dev_net(dev)));
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_mac_header(skb);
	skb_reset_transport_header(skb);

	len = skb->len;
	s2s_sa_account(sa, len);
	s2s_stats_rx(sa->stats, len);
	s2s_stats_rx(s2s->stats, len);
	dev_sw_netstats_rx_add(dev, len);
	gro_cells_receive(&s2s->gro_cells, skb);
	return;

malformed:
	s2s_dev_drop(s2s, sa, skb, S2S_DROP_MALFORMED);
}

/**
 * s2s_receive_finish() - check a decrypted packet and deliver it
 * @skb: packet from s2s_receive_sa(); consumed with the SA reference in its
 *	control block
 * @err: result of the decryption
 *
 * Context: BHs off. Called in arrival order for the packets of a link
 * (parallel.c), so that the replay window moves as it would inline.
 */
void s2s_receive_finish(struct sk_buff *skb, int err)
{
	struct s2s_skb_cb *cb = S2S_SKB_CB(skb);
	struct s2s_sa *sa = cb->sa;
	struct s2s_dev *s2s = sa->s2s;
	u8 nexthdr;

	s2s_esp_req_free(cb->req);
	if (unlikely(err)) {
		s2s_dev_drop(s2s, sa, skb, err == -EBADMSG ? S2S_DROP_AUTH :
							     S2S_DROP_RX_ERROR);
		goto out;
	}
	if (unlikely(!s2s_replay_update(sa->replay, cb->seq))) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_REPLAY);
		goto out;
	}

	if (s2s_esp_decap(skb, &sa->crypto, &nexthdr)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_PADDING);
		goto out;
	}

	switch (nexthdr) {
	case IPPROTO_IPIP:
		skb->protocol = htons(ETH_P_IP);
		break;
	case IPPROTO_IPV6:
		skb->protocol = htons(ETH_P_IPV6);
		break;
	case IPPROTO_NONE:
		/* RFC 4303 2.6: a dummy packet for traffic flow confidentiality. */
		consume_skb(skb);
		goto out;
	default:
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_PADDING);
		goto out;
	}

	s2s_receive_deliver(s2s, sa, skb);
out:
	s2s_sa_put(sa);
}

static void s2s_receive_done(s2s_crypto_done_arg arg, int err)
{
	struct sk_buff *skb = s2s_crypto_done_data(arg);
	struct s2s_dev *s2s = S2S_SKB_CB(skb)->sa->s2s;

	local_bh_disable();
	s2s_receive_finish(skb, err);
	local_bh_enable();
	s2s_dev_crypto_put(s2s);
}

/**
 * s2s_receive_sa() - decrypt and deliver an ESP packet with its SA
 * @skb: packet at its ESP header, the outer IP header as network header
 * @sa: inbound SA of its SPI; the caller's reference is consumed
 *
 * Context: BHs off, as in the ESP receive chain (also used for packets
 * that waited for their SA, see pending.c).
 */
void s2s_receive_sa(struct sk_buff *skb, struct s2s_sa *sa)
{
	struct s2s_skb_cb *cb = S2S_SKB_CB(skb);
	struct ip_esp_hdr *esph = (struct ip_esp_hdr *)skb->data;
	struct s2s_dev *s2s = sa->s2s;
	struct aead_request *req;
	u8 outer_ds;
	u64 start;
	int err;

	outer_ds = ip_hdr(skb)->version == 4 ? ipv4_get_dsfield(ip_hdr(skb)) :
					      ipv6_get_dsfield(ipv6_hdr(skb));
	if (unlikely(!(READ_ONCE(s2s->dev->flags) & IFF_UP))) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_LINK_DOWN);
		goto out;
	}
	if (unlikely(s2s_sa_hard_expired(sa))) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_EXPIRED);
		goto out;
	}
	if (unlikely(skb->len < sizeof(*esph) + sa->crypto.ivlen +
				sa->crypto.block + sa->crypto.icvlen)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_MALFORMED);
		goto out;
	}
	if (!s2s_replay_check(sa->replay, ntohl(esph->seq_no), &cb->seq)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_REPLAY);
		goto out;
	}

	/* Decryption is in place: make the data private and linear. */
	if (skb_linearize_cow(skb)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_RX_ERROR);
		goto out;
	}

	cb->sa = sa;
	cb->outer_ds = outer_ds;
	cb->req = s2s_esp_req_alloc(sa, skb, cb->seq, 0,
				    skb->len - sizeof(*esph), false, &req);
	if (unlikely(!cb->req)) {
		s2s_dev_drop(s2s, sa, skb, S2S_DROP_RX_ERROR);
		goto out;
	}
	if (s2s_par_wanted(&s2s->rxq)) {
		s2s_par_crypt(s2s, skb, req);
		return;
	}
	s2s_dev_crypto_get(s2s);
	aead_request_set_callback(req, 0, s2s_receive_done, skb);
	start = local_clock();
	err = s2s_esp_crypt(&sa->crypto, cb->req, false);
	s2s_par_inline_done(&s2s->rxq, start, err);
	if (err != -EINPROGRESS) {
		s2s_receive_finish(skb, err);
		s2s_dev_crypto_put(s2s);
	}
	return;

out:
	s2s_sa_put(sa);
}

static struct s2s_sa *s2s_receive_lookup(struct net *net, __be32 spi)
{
	struct s2s_sa *sa;

	rcu_read_lock();
	sa = s2s_sa_get_rcu(s2s_sa_lookup_rcu(net, spi));
	rcu_read_unlock();
	return sa;
}

/* skb->data is at the ESP header; the outer IP header is the network
 * header. Return -EINVAL, untouched, when the SPI is not ours.
 */
static int s2s_receive(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct ip_esp_hdr *esph;
	struct s2s_sa *sa;

	if (!pskb_may_pull(skb, sizeof(*esph)))
		return -EINVAL;
	esph = (struct ip_esp_hdr *)skb->data;

	sa = s2s_receive_lookup(net, esph->spi);
	if (!sa) {
		switch (s2s_pending_hold(net, skb, esph->spi)) {
		case S2S_PENDING_HELD:
			return 0;
		case S2S_PENDING_AGAIN:
			sa = s2s_receive_lookup(net, esph->spi);
			if (sa)
				break;
			fallthrough;
		case S2S_PENDING_NOT_OURS:
			return -EINVAL;
		}
	}

	/* From here on the packet is ours, whatever becomes of it. */
	s2s_receive_sa(skb, sa);
	return 0;
}

static int s2s_receive_raw(struct sk_buff *skb)
{
	return s2s_receive(skb);
}

static int s2s_receive_encap(struct sk_buff *skb, int nexthdr, __be32 spi,
			     int encap_type)
{
	return s2s_receive(skb);
}

/* We never hand packets to xfrm_input(), so no callback can be ours: pass
 * it on down the chain.
 */
static int s2s_receive_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/* ICMP about an ESP packet we sent: refresh the outer route's path MTU or
 * redirect. Routes are shared with XFRM, so this is right whoever owns the
 * SPI; return 1 so the rest of the chain sees the error too.
 */
static int s2s_err4(struct sk_buff *skb, u32 info)
{
	struct net *net = dev_net(skb->dev);

	if (icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	else if (icmp_hdr(skb)->type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, IPPROTO_ESP);
	return 1;
}

static int s2s_err6(struct sk_buff *skb, struct inet6_skb_parm *opt,
		    u8 type, u8 code, int offset, __be32 info)
{
	struct net *net = dev_net(skb->dev);

	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	return 1;
}

static struct xfrm4_protocol s2s_esp4 = {
	.handler	= s2s_receive_raw,
	.input_handler	= s2s_receive_encap,
	.cb_handler	= s2s_receive_cb,
	.err_handler	= s2s_err4,
	.priority	= S2S_XFRM_PRIORITY,
};

static struct xfrm6_protocol s2s_esp6 = {
	.handler	= s2s_receive_raw,
	.input_handler	= s2s_receive_encap,
	.cb_handler	= s2s_receive_cb,
	.err_handler	= s2s_err6,
	.priority	= S2S_XFRM_PRIORITY,
};

/**
 * s2s_receive_init() - hook into the IPv4 and IPv6 ESP receive chains
 *
 * Return: 0 or a negative errno (-EEXIST if the priority is taken).
 */
int s2s_receive_init(void)
{
	int err;

	err = xfrm4_protocol_register(&s2s_esp4, IPPROTO_ESP);
	if (err)
		goto err_v4;
	err = xfrm6_protocol_register(&s2s_esp6, IPPROTO_ESP);
	if (err)
		goto err_v6;
	return 0;

err_v6:
	xfrm4_protocol_deregister(&s2s_esp4, IPPROTO_ESP);
err_v4:
	return err;
}

/**
 * s2s_receive_uninit() - leave the ESP receive chains
 */
void s2s_receive_uninit(void)
{
	xfrm6_protocol_deregister(&s2s_esp6, IPPROTO_ESP);
	xfrm4_protocol_deregister(&s2s_esp4, IPPROTO_ESP);
}
