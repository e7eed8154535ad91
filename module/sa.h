/* SPDX-License-Identifier: GPL-2.0 */
/* Security associations: objects, lifetimes, publication on a link and in
 * the underlay namespace's SPI table.
 */
#ifndef _S2S_SA_H
#define _S2S_SA_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rtnetlink.h>
#include <linux/s2s.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>

#include "crypto.h"
#include "replay.h"
#include "stats.h"

struct s2s_dev;

/**
 * union s2s_addr - an IPv4 or IPv6 address; the family is kept beside it
 * @v4: IPv4 address
 * @v6: IPv6 address
 */
union s2s_addr {
	__be32 v4;
	struct in6_addr v6;
};

/**
 * struct s2s_endpoint - where an SA's packets go, replaced as a whole
 * @rcu: frees a replaced endpoint after readers are done with it
 * @local: outer source (out) or destination (in) address
 * @remote: the peer's outer address
 * @sport: UDP source port for ESP-in-UDP, 0 for raw ESP
 * @dport: UDP destination port, 0 for raw ESP
 * @dst_cache: outbound: the route to @remote in the underlay namespace,
 *	so that a new endpoint never inherits the old one's route
 *
 * sa-set (MOBIKE, a NAT mapping change) swaps in a new one under RTNL, so
 * that a packet sees either the old endpoint or the new one, never half of
 * each (raw ESP with a UDP port, a new local with the old remote).
 */
struct s2s_endpoint {
	struct rcu_head rcu;
	union s2s_addr local;
	union s2s_addr remote;
	__be16 sport;
	__be16 dport;
	struct dst_cache dst_cache;
};

/**
 * struct s2s_selector - an inner prefix an SA may carry
 * @family: AF_INET or AF_INET6
 * @plen: prefix length
 * @addr: network address, host bits zero
 */
struct s2s_selector {
	u8 family;
	u8 plen;
	union s2s_addr addr;
};

/**
 * struct s2s_selectors - the inner prefixes an SA may carry, replaced as a
 *	whole
 * @rcu: frees a replaced set after readers are done with it
 * @n_local: prefixes on this side, at the start of @sel; 0 = any
 * @n_remote: prefixes on the peer's side, after them; 0 = any
 * @sel: @n_local + @n_remote prefixes
 *
 * Sized to what the SA has, usually a handful or nothing: inline arrays for
 * the maximum would double the SA. s2sd learns a child's traffic selectors
 * from charon after the SA exists and swaps them in with sa-set.
 */
struct s2s_selectors {
	struct rcu_head rcu;
	u8 n_local;
	u8 n_remote;
	struct s2s_selector sel[];
};

/**
 * struct s2s_lifetime - limits; 0 = none
 * @bytes: inner bytes
 * @packets: packets
 * @seconds: seconds since the SA was added
 */
struct s2s_lifetime {
	u64 bytes;
	u64 packets;
	u64 seconds;
};

/**
 * struct s2s_sa - one security association
 * @spi_node: inbound SAs: entry in the underlay netns SPI table
 * @link_node: entry in the owning link's SA list
 * @rwork: frees the SA in process context after an RCU grace period
 * @refcnt: references; the link's list holds one while published
 * @s2s: owning link; constant; the SA is unpublished before the link goes
 * @spi: SPI in network byte order, as on the wire
 * @dir: enum s2s_dir
 * @family: outer address family
 * @esn: extended sequence numbers
 * @dead: unpublished; set under RTNL, read locklessly
 * @enc: enum s2s_enc, for reporting
 * @integ: enum s2s_integ, for reporting
 * @encap_sport: ESP-in-UDP source port (network order), 0 for raw ESP
 * @encap_dport: ESP-in-UDP destination port (network order)
 * @ep: outer addresses, UDP ports and route (struct s2s_endpoint)
 * @crypto: keyed transform
 * @seq: outbound: last sequence number used
 * @replay: inbound: anti-replay window
 * @ts: inner prefixes on either side; NULL = any
 * @soft: soft lifetime
 * @hard: hard lifetime
 * @life_bytes: bytes counted against the lifetimes
 * @life_packets: packets counted against the lifetimes
 * @add_time: ktime_get_seconds() when added
 * @expired: S2S_SA_* state bits, set by the data path or housekeeping
 * @reported: the @expired bits already announced on the events group
 * @burst_seen: replay and auth drop counts at the last housekeeping run
 * @stats: per-CPU counters
 */
struct s2s_sa {
	struct hlist_node spi_node;	/* RTNL for writers, RCU for readers */
	struct list_head link_node;	/* protected by RTNL */
	struct rcu_work rwork;
	refcount_t refcnt;
	struct s2s_dev *s2s;
	__be32 spi;
	u8 dir;
	u8 family;
	bool esn;
	bool dead;
	u8 enc;
	u8 integ;
	struct s2s_endpoint __rcu *ep;	/* RTNL for writers, RCU for readers */
	struct s2s_crypto crypto;
	atomic64_t seq;
	struct s2s_replay *replay;
	struct s2s_selectors __rcu *ts;	/* RTNL for writers, RCU for readers */
	struct s2s_lifetime soft;	/* RTNL for writers, READ_ONCE for readers */
	struct s2s_lifetime hard;	/* RTNL for writers, READ_ONCE for readers */
	atomic64_t life_bytes;
	atomic64_t life_packets;
	time64_t add_time;
	unsigned long expired;		/* atomic bit operations */
	unsigned long reported;		/* housekeeping work only */
	u64 burst_seen[2];		/* housekeeping work only */
	struct s2s_stats __percpu *stats;
};

#define S2S_SA_EXPIRED_SOFT	0
#define S2S_SA_EXPIRED_HARD	1
#define S2S_SA_EXHAUSTED	2

struct s2s_endpoint *s2s_endpoint_alloc(void);
void s2s_endpoint_free(struct s2s_endpoint *ep);
void s2s_sa_set_endpoint(struct s2s_sa *sa, struct s2s_endpoint *ep);
struct s2s_sa *s2s_sa_alloc(void);
void s2s_sa_put(struct s2s_sa *sa);
struct s2s_sa *__must_check s2s_sa_get_rcu(struct s2s_sa *sa);
int s2s_sa_publish(struct s2s_dev *s2s, struct s2s_sa *sa,
		   struct netlink_ext_ack *extack);
void s2s_sa_unpublish(struct s2s_sa *sa);
void s2s_sa_flush(struct s2s_dev *s2s);
struct s2s_sa *s2s_sa_find(struct s2s_dev *s2s, u8 dir, __be32 spi);
struct s2s_sa *s2s_sa_lookup_rcu(struct net *net, __be32 spi);
void s2s_sa_set_selectors(struct s2s_sa *sa, struct s2s_selectors *ts);
bool s2s_sa_selectors_match(const struct s2s_sa *sa, const struct sk_buff *skb);
void s2s_sa_account(struct s2s_sa *sa, unsigned int bytes);
bool s2s_sa_hard_expired(struct s2s_sa *sa);
u32 s2s_sa_state(struct s2s_sa *sa);
/* The endpoint, under RCU (BH or not) or RTNL. */
#define s2s_sa_ep(sa)							\
	rcu_dereference_check((sa)->ep, lockdep_rtnl_is_held() ||	\
			      rcu_read_lock_bh_held())

unsigned int s2s_sa_overhead(const struct s2s_sa *sa);
unsigned int s2s_sa_inner_mtu(const struct s2s_sa *sa, unsigned int path_mtu);
bool s2s_sa_housekeeping(struct s2s_sa *sa);

int s2s_sa_init(void);
void s2s_sa_uninit(void);

#endif /* _S2S_SA_H */
