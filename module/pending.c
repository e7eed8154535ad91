// SPDX-License-Identifier: GPL-2.0
/* Rekey without loss although keys take a detour through user space.
 *
 * charon installs a new inbound SA into XFRM (inert there: its mark never
 * matches a packet) and then answers its peer; s2sd learns of the SA from
 * XFRM's multicast and adds it to s2s. The peer may start sending under the
 * new SPI before s2sd's add arrives, and that ESP would fall through to
 * XFRM and be lost.
 *
 * So s2s registers as an XFRM key manager, which XFRM tells synchronously
 * about every SA added, before charon can even send its answer. An ESP SA
 * with the if-id of an s2s link created in the same namespace becomes an
 * expected SPI; ESP arriving for it is queued (bounded) until
 * s2s_sa_publish() adds the SA to s2s, and is then decrypted in arrival
 * order. A packet that waits longer than S2S_PENDING_HOLD is dropped and
 * counted as no-sa on the link, which is what a user sees when s2sd is not
 * running; the SPI itself is forgotten after S2S_PENDING_TTL.
 *
 * The peer can be quicker still: as responder to a Child SA rekey it sends
 * under the new SPI as soon as it has answered, while the initiator's
 * charon has only allocated that SPI (a larval XFRM state, keys and if-id
 * still unknown). XFRM itself drops such ESP (XfrmAcquireError). s2s holds
 * it provisionally instead: if charon's update then gives the state one of
 * our links' if-ids, it waits for s2sd like the rest; otherwise it is
 * dropped, as XFRM would have done.
 *
 * Keys still reach s2s only through s2sd: nothing is read from the XFRM
 * state but its SPI, destination, family, if-id and whether it is larval.
 * In a namespace without s2s links, ESP that is not ours costs one
 * READ_ONCE() here; with links, one XFRM state lookup by SPI.
 */

#include <net/xfrm.h>

#include "pending.h"
#include "s2s.h"
#include "sa.h"

/* s2sd forwards within milliseconds; a debug kernel under emulation needs
 * hundreds. The peer starts using an SA a round trip or so after charon
 * installed it, or much later when it is slow: the expectation lasts.
 */
#define S2S_PENDING_HOLD	(3 * HZ)
#define S2S_PENDING_TTL		(30 * HZ)
#define S2S_PENDING_TICK	(HZ / 4)
#define S2S_PENDING_MAX_SPIS	256
#define S2S_PENDING_MAX_HELD	64

/**
 * struct s2s_pending_spi - an SA in XFRM that s2s does not have yet
 * @node: in &struct s2s_pending.table
 * @daddr: its destination: ours
 * @spi: its SPI
 * @family: of @daddr
 * @if_id: the link it is for; 0 while the XFRM state is larval
 * @deadline: when it is forgotten, and what it still holds dropped
 * @held: packets waiting for it, oldest first, each with the time it came
 *	in &struct s2s_pending_cb
 */
struct s2s_pending_spi {
	struct hlist_node node;
	xfrm_address_t daddr;
	__be32 spi;
	unsigned short family;
	u32 if_id;
	unsigned long deadline;
	struct sk_buff_head held;
};

/* A held packet's control block: nothing else uses it while it waits. */
struct s2s_pending_cb {
	unsigned long since;
};

#define S2S_PENDING_CB(skb) ((struct s2s_pending_cb *)(skb)->cb)

static struct s2s_pending *s2s_pending(struct net *net)
{
	return &s2s_net(net)->pending;
}

static struct s2s_pending_spi *s2s_pending_find(struct s2s_pending *p,
						__be32 spi,
						unsigned short family,
						const xfrm_address_t *daddr)
{
	struct s2s_pending_spi *e;

	lockdep_assert_held(&p->lock);
	hash_for_each_possible(p->table, e, node, (__force u32)spi)
		if (e->spi == spi && e->family == family &&
		    xfrm_addr_equal(&e->daddr, daddr, family))
			return e;
	return NULL;
}

static void s2s_pending_unlink(struct s2s_pending *p,
			       struct s2s_pending_spi *e,
			       struct hlist_head *gone)
{
	lockdep_assert_held(&p->lock);
	hash_del(&e->node);
	WRITE_ONCE(p->count, p->count - 1);
	hlist_add_head(&e->node, gone);
}

/* Drop packets that waited in vain, counted as no-sa on the link they
 * were for if it is still there.
 */
static void s2s_pending_drop(struct net *net, u32 if_id,
			     struct sk_buff_head *skbs)
{
	struct s2s_dev *s2s;
	struct sk_buff *skb;

	rcu_read_lock();
	s2s = s2s_link_by_if_id_rcu(net, if_id);
	while ((skb = __skb_dequeue(skbs))) {
		if (s2s) {
			s2s_stats_drop(s2s->stats, S2S_DROP_NO_SA);
			dev_core_stats_rx_dropped_inc(s2s->dev);
		}
		kfree_skb(skb);
	}
	rcu_read_unlock();
}

/* Free entries taken out of the table, dropping what they held. */
static void s2s_pending_free(struct net *net, struct hlist_head *gone)
{
	struct s2s_pending_spi *e;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(e, tmp, gone, node) {
		s2s_pending_drop(net, e->if_id, &e->held);
		kfree(e);
	}
}

/* Is the XFRM state for this ESP larval: an SPI charon allocated, whose
 * keys it does not have yet? XFRM would drop the packet.
 */
static bool s2s_pending_larval(struct net *net, struct sk_buff *skb,
			       __be32 spi, unsigned short family,
			       xfrm_address_t *daddr)
{
	struct xfrm_state *x;
	bool larval;

	x = xfrm_state_lookup(net, skb->mark, daddr, spi, IPPROTO_ESP, family);
	if (!x)
		return false;
	larval = READ_ONCE(x->km.state) == XFRM_STATE_ACQ;
	xfrm_state_put(x);
	return larval;
}

static struct s2s_pending_spi *s2s_pending_new(__be32 spi,
					       unsigned short family,
					       const xfrm_address_t *daddr,
					       u32 if_id)
{
	struct s2s_pending_spi *e = kzalloc(sizeof(*e), GFP_ATOMIC);

	if (!e)
		return NULL;
	e->daddr = *daddr;
	e->spi = spi;
	e->family = family;
	e->if_id = if_id;
	e->deadline = jiffies + S2S_PENDING_TTL;
	__skb_queue_head_init(&e->held);
	return e;
}

/* Add @e unless the table is full or has its SPI already (then return
 * that entry and free @e), or the namespace is going away (NULL).
 */
static struct s2s_pending_spi *s2s_pending_insert(struct s2s_pending *p,
						  struct s2s_pending_spi *e)
{
	struct s2s_pending_spi *old;

	lockdep_assert_held(&p->lock);
	old = s2s_pending_find(p, e->spi, e->family, &e->daddr);
	if (old || p->dead || p->count >= S2S_PENDING_MAX_SPIS) {
		kfree(e);
		return old;
	}
	hash_add(p->table, &e->node, (__force u32)e->spi);
	WRITE_ONCE(p->count, p->count + 1);
	if (!timer_pending(&p->timer))
		mod_timer(&p->timer, jiffies + S2S_PENDING_TICK);
	return e;
}

/**
 * s2s_pending_hold() - keep ESP for an SPI that s2s is about to get
 * @net: namespace the packet arrived in
 * @skb: packet at its ESP header, SPI not found in s2s
 * @spi: its SPI
 *
 * Called from the ESP receive chain (softirq).
 *
 * Return: %S2S_PENDING_HELD when @skb was taken (queued, or dropped and
 * counted because too many wait), %S2S_PENDING_AGAIN when the SA may have
 * been published since the caller looked, %S2S_PENDING_NOT_OURS otherwise.
 */
enum s2s_pending_verdict s2s_pending_hold(struct net *net, struct sk_buff *skb,
					  __be32 spi)
{
	struct s2s_pending *p = s2s_pending(net);
	struct s2s_pending_spi *e;
	xfrm_address_t daddr = {};
	struct sk_buff_head full;
	unsigned short family;
	u32 if_id;

	if (!READ_ONCE(p->count) && list_empty(&s2s_net(net)->underlay_links))
		return S2S_PENDING_NOT_OURS;

	if (ip_hdr(skb)->version == 4) {
		family = AF_INET;
		daddr.a4 = ip_hdr(skb)->daddr;
	} else {
		family = AF_INET6;
		daddr.in6 = ipv6_hdr(skb)->daddr;
	}

	spin_lock_bh(&p->lock);
	e = s2s_pending_find(p, spi, family, &daddr);
	if (!e) {
		spin_unlock_bh(&p->lock);
		if (!s2s_pending_larval(net, skb, spi, family, &daddr))
			/* s2s_pending_release() takes the entry out after
			 * the SA is in the SPI table: a second lookup finds
			 * it.
			 */
			return S2S_PENDING_AGAIN;
		e = s2s_pending_new(spi, family, &daddr, 0);
		if (!e)
			return S2S_PENDING_NOT_OURS;
		spin_lock_bh(&p->lock);
		e = s2s_pending_insert(p, e);
		if (!e) {
			spin_unlock_bh(&p->lock);
			return S2S_PENDING_NOT_OURS;
		}
	}
	if (skb_queue_len(&e->held) < S2S_PENDING_MAX_HELD) {
		/* Its input route and device may be gone when it is
		 * decrypted: s2s_pending_release() gives it the link instead.
		 */
		skb_dst_drop(skb);
		skb->dev = NULL;
		S2S_PENDING_CB(skb)->since = jiffies;
		__skb_queue_tail(&e->held, skb);
		spin_unlock_bh(&p->lock);
		return S2S_PENDING_HELD;
	}
	if_id = e->if_id;
	spin_unlock_bh(&p->lock);

	__skb_queue_head_init(&full);
	__skb_queue_tail(&full, skb);
	s2s_pending_drop(net, if_id, &full);
	return S2S_PENDING_HELD;
}

/**
 * s2s_pending_release() - decrypt what waited for a newly published SA
 * @net: the SA's underlay namespace
 * @sa: inbound SA, just published on its link
 *
 * Context: process, RTNL held (so @sa stays published throughout).
 */
void s2s_pending_release(struct net *net, struct s2s_sa *sa)
{
	struct s2s_pending *p = s2s_pending(net);
	struct s2s_pending_spi *e;
	struct hlist_node *tmp;
	struct sk_buff *skb;
	HLIST_HEAD(gone);

	ASSERT_RTNL();
	if (!READ_ONCE(p->count))
		return;

	spin_lock_bh(&p->lock);
	hash_for_each_possible_safe(p->table, e, tmp, node, (__force u32)sa->spi)
		if (e->spi == sa->spi)
			s2s_pending_unlink(p, e, &gone);
	spin_unlock_bh(&p->lock);

	hlist_for_each_entry_safe(e, tmp, &gone, node) {
		while ((skb = __skb_dequeue(&e->held))) {
			skb->dev = sa->s2s->dev;
			refcount_inc(&sa->refcnt);
			local_bh_disable();
			s2s_receive_sa(skb, sa);
			local_bh_enable();
		}
		kfree(e);
	}
}

/* An ESP SA for one of our links entered XFRM, or got its keys and if-id
 * after ESP for it was held while it was larval. Called with RCU held.
 */
static void s2s_pending_expect(struct xfrm_state *x)
{
	struct s2s_pending *p = s2s_pending(xs_net(x));
	struct s2s_pending_spi *e;

	e = s2s_pending_new(x->id.spi, x->props.family, &x->id.daddr, x->if_id);
	if (!e)
		return;
	spin_lock_bh(&p->lock);
	e = s2s_pending_insert(p, e);
	if (e && !e->if_id)
		e->if_id = x->if_id;
	spin_unlock_bh(&p->lock);
}

/* charon deleted the SA from XFRM before s2sd forwarded it, or keyed a
 * larval state we held ESP for as an SA that is not ours.
 */
static void s2s_pending_forget(struct xfrm_state *x)
{
	struct net *net = xs_net(x);
	struct s2s_pending *p = s2s_pending(net);
	struct s2s_pending_spi *e;
	HLIST_HEAD(gone);

	if (!READ_ONCE(p->count))
		return;
	spin_lock_bh(&p->lock);
	e = s2s_pending_find(p, x->id.spi, x->props.family, &x->id.daddr);
	if (e)
		s2s_pending_unlink(p, e, &gone);
	spin_unlock_bh(&p->lock);
	s2s_pending_free(net, &gone);
}

/* Per tick: packets that waited S2S_PENDING_HOLD are dropped; an SPI is
 * forgotten at its deadline.
 */
static void s2s_pending_expire(struct timer_list *t)
{
	struct s2s_pending *p = from_timer(p, t, timer);
	struct s2s_pending_spi *e;
	struct sk_buff_head late;
	struct hlist_node *tmp;
	struct sk_buff *skb;
	HLIST_HEAD(gone);
	int bkt;

	spin_lock_bh(&p->lock);
	hash_for_each_safe(p->table, bkt, tmp, e, node) {
		if (time_after_eq(jiffies, e->deadline)) {
			s2s_pending_unlink(p, e, &gone);
			continue;
		}
		__skb_queue_head_init(&late);
		while ((skb = skb_peek(&e->held)) &&
		       time_after_eq(jiffies, S2S_PENDING_CB(skb)->since +
					      S2S_PENDING_HOLD))
			__skb_queue_tail(&late, __skb_dequeue(&e->held));
		s2s_pending_drop(p->net, e->if_id, &late);
	}
	if (p->count && !p->dead)
		mod_timer(&p->timer, jiffies + S2S_PENDING_TICK);
	spin_unlock_bh(&p->lock);
	s2s_pending_free(p->net, &gone);
}

/**
 * s2s_pending_net_init() - nothing expected yet in a new namespace
 * @p: its pending state
 * @net: the namespace
 */
void s2s_pending_net_init(struct s2s_pending *p, struct net *net)
{
	spin_lock_init(&p->lock);
	hash_init(p->table);
	p->count = 0;
	p->dead = false;
	p->net = net;
	timer_setup(&p->timer, s2s_pending_expire, 0);
}

/**
 * s2s_pending_net_exit() - drop everything held in a dying namespace
 * @p: its pending state
 *
 * Its links are gone already (pre_exit); XFRM may still tell us about its
 * SAs until it is dismantled, which @dead makes us ignore.
 */
void s2s_pending_net_exit(struct s2s_pending *p)
{
	struct s2s_pending_spi *e;
	struct hlist_node *tmp;
	HLIST_HEAD(gone);
	int bkt;

	spin_lock_bh(&p->lock);
	p->dead = true;
	hash_for_each_safe(p->table, bkt, tmp, e, node)
		s2s_pending_unlink(p, e, &gone);
	spin_unlock_bh(&p->lock);
	del_timer_sync(&p->timer);
	s2s_pending_free(p->net, &gone);
}

static int s2s_pending_notify(struct xfrm_state *x, const struct km_event *c)
{
	struct net *net;

	/* FLUSHSA comes without a state; what it removed simply expires. */
	if (!x || x->id.proto != IPPROTO_ESP)
		return 0;
	net = xs_net(x);

	switch (c->event) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:	/* keys for a SPI charon allocated */
		if (s2s_sa_lookup_rcu(net, x->id.spi))
			break;	/* s2s has it: an update s2sd takes care of */
		if (s2s_link_by_if_id_rcu(net, x->if_id))
			s2s_pending_expect(x);
		else
			s2s_pending_forget(x);
		break;
	case XFRM_MSG_DELSA:
		s2s_pending_forget(x);
		break;
	}
	return 0;
}

/* The key manager interface requires these two; we never acquire SAs nor
 * compile socket policies, and leave the other managers' answers alone.
 */
static int s2s_pending_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			       struct xfrm_policy *xp)
{
	return -EOPNOTSUPP;
}

static struct xfrm_policy *s2s_pending_compile_policy(struct sock *sk, int opt,
						      u8 *data, int len,
						      int *dir)
{
	return NULL;
}

static struct xfrm_mgr s2s_pending_km = {
	.notify		= s2s_pending_notify,
	.acquire	= s2s_pending_acquire,
	.compile_policy	= s2s_pending_compile_policy,
};

/**
 * s2s_pending_init() - start listening to XFRM's SA changes
 */
void s2s_pending_init(void)
{
	xfrm_register_km(&s2s_pending_km);
}

/**
 * s2s_pending_uninit() - stop listening; returns after the last notification
 */
void s2s_pending_uninit(void)
{
	xfrm_unregister_km(&s2s_pending_km);
}
