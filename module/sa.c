// SPDX-License-Identifier: GPL-2.0
/* Security associations.
 *
 * Lifetime: an SA is allocated and keyed by netlink, published on its link
 * (and, inbound, in the underlay namespace's SPI table) under RTNL, looked
 * up by the data path under RCU, unpublished under RTNL, and freed when its
 * last reference goes, after an RCU grace period, in process context (the
 * crypto API may sleep when freeing a transform). Keys live only inside the
 * crypto transform; the SA itself is wiped when freed.
 */

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>

#include "s2s.h"
#include "sa.h"

static struct workqueue_struct *s2s_sa_wq;

/**
 * s2s_endpoint_alloc() - an empty endpoint with its own route cache
 *
 * Return: the endpoint or NULL.
 */
struct s2s_endpoint *s2s_endpoint_alloc(void)
{
	struct s2s_endpoint *ep;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (ep && dst_cache_init(&ep->dst_cache, GFP_KERNEL)) {
		kfree(ep);
		return NULL;
	}
	return ep;
}

/**
 * s2s_endpoint_free() - free an endpoint no packet can see
 * @ep: endpoint, or NULL
 */
void s2s_endpoint_free(struct s2s_endpoint *ep)
{
	if (!ep)
		return;
	dst_cache_destroy(&ep->dst_cache);
	kfree(ep);
}

static void s2s_endpoint_free_rcu(struct rcu_head *head)
{
	s2s_endpoint_free(container_of(head, struct s2s_endpoint, rcu));
}

/**
 * s2s_sa_set_endpoint() - replace an SA's endpoint as a whole
 * @sa: SA
 * @ep: new endpoint, from s2s_endpoint_alloc(); the SA owns it now
 *
 * Packets that already read the old endpoint finish with it; it is freed
 * after them.
 */
void s2s_sa_set_endpoint(struct s2s_sa *sa, struct s2s_endpoint *ep)
{
	struct s2s_endpoint *old = rtnl_dereference(sa->ep);

	rcu_assign_pointer(sa->ep, ep);
	call_rcu(&old->rcu, s2s_endpoint_free_rcu);
}

/**
 * s2s_sa_set_selectors() - replace an SA's selectors
 * @sa: SA, published or not
 * @ts: the new set, owned by the SA from now on; NULL = any
 *
 * Context: RTNL. A packet being received is checked against the old set
 * or the new one, never a mix.
 */
void s2s_sa_set_selectors(struct s2s_sa *sa, struct s2s_selectors *ts)
{
	struct s2s_selectors *old = rtnl_dereference(sa->ts);

	rcu_assign_pointer(sa->ts, ts);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * s2s_sa_alloc() - a zeroed SA holding one reference
 *
 * Return: the SA or NULL.
 */
struct s2s_sa *s2s_sa_alloc(void)
{
	struct s2s_endpoint *ep;
	struct s2s_sa *sa;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return NULL;
	sa->stats = s2s_stats_alloc();
	ep = s2s_endpoint_alloc();
	if (!sa->stats || !ep) {
		s2s_stats_free(sa->stats);
		kfree(ep);
		kfree(sa);
		return NULL;
	}
	RCU_INIT_POINTER(sa->ep, ep);
	refcount_set(&sa->refcnt, 1);
	INIT_HLIST_NODE(&sa->spi_node);
	INIT_LIST_HEAD(&sa->link_node);
	sa->add_time = ktime_get_seconds();
	return sa;
}

static void s2s_sa_free_work(struct work_struct *work)
{
	struct s2s_sa *sa = container_of(to_rcu_work(work), struct s2s_sa,
					 rwork);

	s2s_crypto_uninit(&sa->crypto);
	s2s_endpoint_free(rcu_dereference_protected(sa->ep, true));
	kfree(rcu_dereference_protected(sa->ts, true));
	s2s_replay_free(sa->replay);
	s2s_stats_free(sa->stats);
	kfree_sensitive(sa);
}

/**
 * s2s_sa_put() - drop a reference; the last one frees the SA after RCU
 * @sa: SA, may be NULL
 */
void s2s_sa_put(struct s2s_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->refcnt)) {
		INIT_RCU_WORK(&sa->rwork, s2s_sa_free_work);
		queue_rcu_work(s2s_sa_wq, &sa->rwork);
	}
}

/**
 * s2s_sa_get_rcu() - take a reference on an SA found under RCU
 * @sa: SA, may be NULL
 *
 * Return: @sa, or NULL when it is already on its way out.
 */
struct s2s_sa *s2s_sa_get_rcu(struct s2s_sa *sa)
{
	return sa && refcount_inc_not_zero(&sa->refcnt) ? sa : NULL;
}

static struct hlist_head *s2s_spi_bucket(struct s2s_net *sn, __be32 spi)
{
	return &sn->spi_table[hash_32((__force u32)spi, S2S_SPI_HASH_BITS)];
}

/**
 * s2s_sa_lookup_rcu() - inbound SA by SPI in an underlay namespace
 * @net: namespace the ESP packet arrived in
 * @spi: SPI from the packet
 *
 * Caller holds rcu_read_lock() or RTNL; no reference is taken.
 *
 * Return: the SA or NULL.
 */
struct s2s_sa *s2s_sa_lookup_rcu(struct net *net, __be32 spi)
{
	struct s2s_net *sn = s2s_net(net);
	struct s2s_sa *sa;

	hlist_for_each_entry_rcu(sa, s2s_spi_bucket(sn, spi), spi_node,
				 lockdep_rtnl_is_held())
		if (sa->spi == spi)
			return sa;
	return NULL;
}

/**
 * s2s_sa_find() - an SA of a link by direction and SPI
 * @s2s: link
 * @dir: enum s2s_dir
 * @spi: SPI, network order
 *
 * Return: the SA (no reference taken) or NULL. Caller holds RTNL.
 */
struct s2s_sa *s2s_sa_find(struct s2s_dev *s2s, u8 dir, __be32 spi)
{
	struct s2s_sa *sa;

	ASSERT_RTNL();
	list_for_each_entry(sa, &s2s->sas, link_node)
		if (sa->dir == dir && sa->spi == spi)
			return sa;
	return NULL;
}

/**
 * s2s_sa_publish() - make a new SA live on its link
 * @s2s: link
 * @sa: SA, keyed and complete; the link's list takes over the caller's
 *	reference on success
 * @extack: where to explain a refusal
 *
 * An outbound SA replaces the link's current one in one pointer swap, so
 * every packet uses either the old or the new SA and none is lost; the old
 * one stays listed until deleted, as the rekey procedure expects.
 *
 * Return: 0, or -EEXIST when the SPI is taken.
 */
int s2s_sa_publish(struct s2s_dev *s2s, struct s2s_sa *sa,
		   struct netlink_ext_ack *extack)
{
	ASSERT_RTNL();

	if (s2s_sa_find(s2s, sa->dir, sa->spi)) {
		NL_SET_ERR_MSG_MOD(extack, "the link already has an SA with this SPI and direction");
		return -EEXIST;
	}
	/* Set before the SA can be found: the receive path reads it. */
	sa->s2s = s2s;
	if (sa->dir == S2S_DIR_IN) {
		if (s2s_sa_lookup_rcu(s2s->underlay_net, sa->spi)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "inbound SPI already in use in the underlay namespace");
			return -EEXIST;
		}
		hlist_add_head_rcu(&sa->spi_node,
				   s2s_spi_bucket(s2s_net(s2s->underlay_net), sa->spi));
	}
	list_add_tail_rcu(&sa->link_node, &s2s->sas);
	s2s_net(dev_net(s2s->dev))->sa_gen++;
	if (sa->dir == S2S_DIR_OUT) {
		rcu_assign_pointer(s2s->tx_sa, sa);
		s2s_dev_update_mtu(s2s);
		s2s_dev_update_carrier(s2s);
	} else {
		/* ESP that arrived before s2sd told us of this SA */
		s2s_pending_release(s2s->underlay_net, sa);
	}
	return 0;
}

/* The outbound SA of @s2s to send with once its current one is gone: the
 * newest that is not soft-expired (its rekey has not started), else the
 * newest that can still send at all, else NULL.
 */
static struct s2s_sa *s2s_sa_next_out(struct s2s_dev *s2s)
{
	struct s2s_sa *sa, *usable = NULL;

	ASSERT_RTNL();
	list_for_each_entry_reverse(sa, &s2s->sas, link_node) {
		if (sa->dir != S2S_DIR_OUT || s2s_sa_hard_expired(sa) ||
		    test_bit(S2S_SA_EXHAUSTED, &sa->expired))
			continue;
		if (!test_bit(S2S_SA_EXPIRED_SOFT, &sa->expired))
			return sa;
		if (!usable)
			usable = sa;
	}
	return usable;
}

/**
 * s2s_sa_unpublish() - take an SA off its link and drop the list's reference
 * @sa: SA
 *
 * Packets in flight keep their own references and finish normally. When
 * @sa was the link's current outbound SA, another outbound SA that can
 * still send takes over (s2s_sa_next_out()): in an IKEv2 rekey collision
 * both peers create a new SA and then delete the redundant one, which may
 * be the one installed last; the link must not go dark while the other
 * carries on.
 */
void s2s_sa_unpublish(struct s2s_sa *sa)
{
	struct s2s_dev *s2s = sa->s2s;

	ASSERT_RTNL();
	WRITE_ONCE(sa->dead, true);
	if (sa->dir == S2S_DIR_IN)
		hlist_del_init_rcu(&sa->spi_node);
	list_del_rcu(&sa->link_node);
	s2s_net(dev_net(s2s->dev))->sa_gen++;
	if (rcu_access_pointer(s2s->tx_sa) == sa) {
		rcu_assign_pointer(s2s->tx_sa, s2s_sa_next_out(s2s));
		s2s_dev_update_mtu(s2s);
		s2s_dev_update_carrier(s2s);
	}
	s2s_sa_put(sa);
}

/**
 * s2s_sa_flush() - unpublish every SA of a link
 * @s2s: link
 */
void s2s_sa_flush(struct s2s_dev *s2s)
{
	struct s2s_sa *sa, *tmp;

	ASSERT_RTNL();
	/* Nothing is left to fall back to: no search per SA. */
	RCU_INIT_POINTER(s2s->tx_sa, NULL);
	s2s_dev_update_carrier(s2s);
	list_for_each_entry_safe(sa, tmp, &s2s->sas, link_node)
		s2s_sa_unpublish(sa);
}

static bool s2s_prefix_match(const struct s2s_selector *sel, u8 family,
			     const void *addr)
{
	if (sel->family != family)
		return false;
	if (family == AF_INET) {
		__be32 mask = sel->plen ? htonl(~0U << (32 - sel->plen)) : 0;

		return !((*(const __be32 *)addr ^ sel->addr.v4) & mask);
	}
	return ipv6_prefix_equal(addr, &sel->addr.v6, sel->plen);
}

static bool s2s_selectors_match(const struct s2s_selector *sel, u8 n,
				u8 family, const void *addr)
{
	u8 i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (s2s_prefix_match(&sel[i], family, addr))
			return true;
	return false;
}

/**
 * s2s_sa_selectors_match() - whether a decrypted inner packet is one the
 *	SA may carry: source on the peer's side, destination on ours
 * @sa: inbound SA
 * @skb: inner packet, network header set and pulled
 *
 * Return: true when it matches (an SA without selectors carries anything).
 */
bool s2s_sa_selectors_match(const struct s2s_sa *sa, const struct sk_buff *skb)
{
	const void *saddr, *daddr;
	const struct s2s_selectors *ts;
	u8 family;

	if (skb->protocol == htons(ETH_P_IP)) {
		family = AF_INET;
		saddr = &ip_hdr(skb)->saddr;
		daddr = &ip_hdr(skb)->daddr;
	} else {
		family = AF_INET6;
		saddr = &ipv6_hdr(skb)->saddr;
		daddr = &ipv6_hdr(skb)->daddr;
	}

	/* Every receive path runs with BHs off (the ESP chain, the crypto
	 * completion, pending.c's release), which is an RCU read section.
	 */
	ts = rcu_dereference_bh(sa->ts);
	if (!ts)
		return true;
	return s2s_selectors_match(ts->sel + ts->n_local, ts->n_remote, family,
				   saddr) &&
	       s2s_selectors_match(ts->sel, ts->n_local, family, daddr);
}

static bool s2s_limit_passed(u64 limit, u64 value)
{
	return limit && value >= limit;
}

/**
 * s2s_sa_account() - count a packet against the SA's lifetimes
 * @sa: SA
 * @bytes: inner bytes
 *
 * Marks soft/hard expiry; the link's housekeeping reports it.
 */
void s2s_sa_account(struct s2s_sa *sa, unsigned int bytes)
{
	u64 b = atomic64_add_return(bytes, &sa->life_bytes);
	u64 p = atomic64_inc_return(&sa->life_packets);

	if (s2s_limit_passed(READ_ONCE(sa->soft.bytes), b) ||
	    s2s_limit_passed(READ_ONCE(sa->soft.packets), p))
		set_bit(S2S_SA_EXPIRED_SOFT, &sa->expired);
	if (s2s_limit_passed(READ_ONCE(sa->hard.bytes), b) ||
	    s2s_limit_passed(READ_ONCE(sa->hard.packets), p))
		set_bit(S2S_SA_EXPIRED_HARD, &sa->expired);
}

/**
 * s2s_sa_hard_expired() - whether the SA may no longer carry packets
 * @sa: SA
 *
 * Return: true once a hard lifetime (bytes, packets or time) has passed.
 */
bool s2s_sa_hard_expired(struct s2s_sa *sa)
{
	u64 secs = READ_ONCE(sa->hard.seconds);

	if (secs && ktime_get_seconds() - sa->add_time >= secs)
		set_bit(S2S_SA_EXPIRED_HARD, &sa->expired);
	return test_bit(S2S_SA_EXPIRED_HARD, &sa->expired);
}

/**
 * s2s_sa_state() - what an SA can still do, as userspace is told
 * @sa: SA
 *
 * Return: enum s2s_sa_state; the worst condition wins.
 */
u32 s2s_sa_state(struct s2s_sa *sa)
{
	if (s2s_sa_hard_expired(sa))
		return S2S_SA_STATE_HARD_EXPIRED;
	if (test_bit(S2S_SA_EXHAUSTED, &sa->expired))
		return S2S_SA_STATE_SEQ_EXHAUSTED;
	if (test_bit(S2S_SA_EXPIRED_SOFT, &sa->expired))
		return S2S_SA_STATE_SOFT_EXPIRED;
	return S2S_SA_STATE_ACTIVE;
}

/**
 * s2s_sa_overhead() - worst-case bytes an SA adds to an inner packet
 * @sa: SA
 *
 * Return: outer IP header, UDP header if any, ESP header, IV, the most
 * padding the block size can need, trailer and ICV.
 */
unsigned int s2s_sa_overhead(const struct s2s_sa *sa)
{
	unsigned int outer = sa->family == AF_INET ? sizeof(struct iphdr) :
						     sizeof(struct ipv6hdr);

	rcu_read_lock();
	if (s2s_sa_ep(sa)->dport)
		outer += sizeof(struct udphdr);
	rcu_read_unlock();
	return outer + sizeof(struct ip_esp_hdr) + sa->crypto.ivlen +
	       sa->crypto.block - 1 + 2 + sa->crypto.icvlen;
}

/* Report each state bit once. */
static void s2s_sa_report(struct s2s_sa *sa, int bit, enum s2s_event event)
{
	if (test_bit(bit, &sa->expired) && !__test_and_set_bit(bit, &sa->reported))
		s2s_nl_sa_notify(sa, event);
}

/**
 * s2s_sa_housekeeping() - once-a-second duties for one SA
 * @sa: SA, under rcu_read_lock() from the link's housekeeping work
 *
 * Checks the time lifetimes, announces soft/hard expiry and sequence
 * exhaustion once each, and announces replay or authentication drops
 * that happened since the last run (an attack, or a peer out of step).
 *
 * Return: true when @sa is the link's current outbound SA and can send no
 * more, so that the carrier must go (the caller decides it under RTNL:
 * a concurrent swap of the outbound SA may have made this stale).
 */
bool s2s_sa_housekeeping(struct s2s_sa *sa)
{
	static const enum s2s_drop burst_drop[] = { S2S_DROP_REPLAY, S2S_DROP_AUTH };
	static const enum s2s_event burst_event[] = { S2S_EVENT_REPLAY_BURST,
						      S2S_EVENT_AUTH_BURST };
	time64_t age = ktime_get_seconds() - sa->add_time;
	struct s2s_stats_sum sum;
	bool stale;
	u64 secs;
	int i;

	secs = READ_ONCE(sa->soft.seconds);
	if (secs && age >= secs)
		set_bit(S2S_SA_EXPIRED_SOFT, &sa->expired);
	/* An outbound SA that can send no more takes the carrier with it,
	 * until userspace installs its successor.
	 */
	stale = (s2s_sa_hard_expired(sa) || test_bit(S2S_SA_EXHAUSTED, &sa->expired)) &&
		sa->dir == S2S_DIR_OUT && rcu_access_pointer(sa->s2s->tx_sa) == sa &&
		netif_carrier_ok(sa->s2s->dev);

	s2s_sa_report(sa, S2S_SA_EXPIRED_SOFT, S2S_EVENT_SOFT_EXPIRE);
	s2s_sa_report(sa, S2S_SA_EXPIRED_HARD, S2S_EVENT_HARD_EXPIRE);
	s2s_sa_report(sa, S2S_SA_EXHAUSTED, S2S_EVENT_SEQ_EXHAUSTED);

	s2s_stats_read(sa->stats, &sum);
	for (i = 0; i < ARRAY_SIZE(burst_drop); i++) {
		if (sum.drops[burst_drop[i]] != sa->burst_seen[i])
			s2s_nl_sa_notify(sa, burst_event[i]);
		sa->burst_seen[i] = sum.drops[burst_drop[i]];
	}
	return stale;
}

/**
 * s2s_sa_inner_mtu() - largest inner packet that fits a path once encrypted
 * @sa: SA
 * @path_mtu: MTU of the outer path
 *
 * Return: the largest L such that outer headers + ESP + IV + L padded with
 * its 2-byte trailer to the cipher block + ICV fit @path_mtu, or 0.
 */
unsigned int s2s_sa_inner_mtu(const struct s2s_sa *sa, unsigned int path_mtu)
{
	unsigned int fixed = s2s_sa_overhead(sa) - (sa->crypto.block - 1) - 2;

	if (path_mtu < fixed + sa->crypto.block)
		return 0;
	return rounddown(path_mtu - fixed, sa->crypto.block) - 2;
}

/**
 * s2s_sa_init() - create the workqueue that frees SAs
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_sa_init(void)
{
	s2s_sa_wq = alloc_workqueue("s2s_sa", WQ_UNBOUND, 0);
	return s2s_sa_wq ? 0 : -ENOMEM;
}

/**
 * s2s_sa_uninit() - wait for every SA to be freed
 */
void s2s_sa_uninit(void)
{
	/* queue_rcu_work() defers through call_rcu(): let those land first. */
	rcu_barrier();
	destroy_workqueue(s2s_sa_wq);
}
