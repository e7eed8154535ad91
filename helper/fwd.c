// SPDX-License-Identifier: GPL-2.0
/* Forwarding XFRM SAs into the module; see fwd.h for the state machine.
 *
 * Why a grace period for deletes: charon moves an SA to new addresses
 * (MOBIKE, a NAT mapping that changed) by deleting it from XFRM and
 * adding it again with the same SPI and keys. Deleting and re-adding it
 * in the module would restart its sequence numbers under the same key
 * (a GCM nonce reuse outbound, a replay window reset inbound), so a
 * DELSA is only carried out when no NEWSA with the same SPI and key
 * digest follows within S2S_FWD_GRACE_MS; if one does, the module SA
 * gets the new endpoints by sa-set and keeps its state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>
#include <linux/ipsec.h>
#include <linux/s2s.h>

#include "fwd.h"
#include "keys.h"
#include "log.h"
#include "attr.h"
#include "xfrmkeys.h"

#define S2S_BIT(attr)		(1ULL << S2S_A_SA_##attr)

/**
 * s2s_fwd_init() - empty table, request buffer and digest key
 * @f: the state to set up
 * @ops: side effects
 * @ctx: passed to @ops
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_fwd_init(struct s2s_fwd *f, const struct s2s_fwd_ops *ops, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->ctx = ctx;
	f->req = s2s_secret_alloc(sizeof(*f->req));
	f->key = s2s_secret_alloc(S2S_SIPHASH_KEY_SIZE);
	if (!f->req || !f->key ||
	    getrandom(f->key, S2S_SIPHASH_KEY_SIZE, 0) != S2S_SIPHASH_KEY_SIZE) {
		s2s_fwd_free(f);
		return -ENOMEM;
	}
	return 0;
}

/**
 * s2s_fwd_free() - release the table and wipe the secrets
 * @f: the state; module SAs are left as they are
 */
void s2s_fwd_free(struct s2s_fwd *f)
{
	s2s_secret_free(f->req, sizeof(*f->req));
	s2s_secret_free(f->key, S2S_SIPHASH_KEY_SIZE);
	free(f->sas);
	memset(f, 0, sizeof(*f));
}

/**
 * s2s_fwd_dir() - which way an SA goes, from where its addresses live
 * @src_local: its source address is configured here
 * @dst_local: its destination address is
 * @marked: it carries an XFRM mark (charon's mark_in_sa marks inbound SAs)
 *
 * The destination decides: an SA towards us is inbound. Only when both
 * ends are here (a gateway talking to itself, tests) does the mark
 * break the tie.
 *
 * Return: S2S_DIR_IN, S2S_DIR_OUT, or -1 when neither end is here.
 */
int s2s_fwd_dir(bool src_local, bool dst_local, bool marked)
{
	if (dst_local && (!src_local || marked))
		return S2S_DIR_IN;
	if (src_local)
		return S2S_DIR_OUT;
	return -1;
}

static const char *s2s_fwd_dir_word(uint32_t dir)
{
	return dir == S2S_DIR_IN ? "inbound" : "outbound";
}

static struct s2s_fwd_sa *s2s_fwd_lookup(const struct s2s_fwd *f,
					 uint32_t ifindex, uint32_t dir,
					 uint32_t spi)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->sas[i].ifindex == ifindex && f->sas[i].dir == dir &&
		    f->sas[i].spi == spi)
			return &f->sas[i];
	return NULL;
}

/**
 * s2s_fwd_find() - a forwarded SA by its module id
 * @f: the state
 * @ifindex: the link
 * @dir: S2S_DIR_*
 * @spi: host order
 *
 * Return: the entry (valid until the table changes), or NULL.
 */
const struct s2s_fwd_sa *s2s_fwd_find(const struct s2s_fwd *f,
				      uint32_t ifindex, uint32_t dir,
				      uint32_t spi)
{
	return s2s_fwd_lookup(f, ifindex, dir, spi);
}

/* By XFRM's id: a DELSA or EXPIRE may name an address that is no
 * longer configured, so the direction cannot be decided again.
 */
static struct s2s_fwd_sa *s2s_fwd_lookup_xfrm(const struct s2s_fwd *f,
					      const struct s2s_xfrm_sa *sa)
{
	size_t alen = sa->family == AF_INET ? 4 : 16;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct s2s_xfrm_ae *ae = &f->sas[i].ae;

		if (ae->spi == sa->spi && ae->proto == sa->proto &&
		    ae->family == sa->family &&
		    !memcmp(&ae->daddr, &sa->daddr, alen))
			return &f->sas[i];
	}
	return NULL;
}

static struct s2s_fwd_sa *s2s_fwd_append(struct s2s_fwd *f)
{
	struct s2s_fwd_sa *sas;
	size_t cap;

	if (f->n == f->cap) {
		cap = f->cap ? 2 * f->cap : 16;
		sas = realloc(f->sas, cap * sizeof(*sas));
		if (!sas)
			return NULL;
		f->sas = sas;
		f->cap = cap;
	}
	memset(&f->sas[f->n], 0, sizeof(f->sas[0]));
	return &f->sas[f->n++];
}

static void s2s_fwd_remove(struct s2s_fwd *f, struct s2s_fwd_sa *e)
{
	*e = f->sas[--f->n];
}

static uint64_t s2s_fwd_digest(const struct s2s_fwd *f,
			       const struct s2s_sa_req *req)
{
	struct s2s_siphash h;
	uint32_t algs[2] = { req->enc, req->integ };
	uint64_t lens[2] = { req->key.len, req->ikey.len };

	s2s_siphash_init(&h, f->key);
	s2s_siphash_update(&h, algs, sizeof(algs));
	s2s_siphash_update(&h, lens, sizeof(lens));
	s2s_siphash_update(&h, req->key.bytes, req->key.len);
	s2s_siphash_update(&h, req->ikey.bytes, req->ikey.len);
	return s2s_siphash_final(&h);
}

/* The request's non-secret side, kept to see later what changed. */
static void s2s_fwd_record(struct s2s_fwd_sa *e, const struct s2s_sa_req *req,
			   uint32_t ifindex, const struct s2s_xfrm_sa *sa)
{
	e->ifindex = ifindex;
	e->dir = req->dir;
	e->spi = req->spi;
	memcpy(e->ifname, req->ifname, sizeof(e->ifname));
	e->local = req->local;
	e->remote = req->remote;
	e->encap_sport = req->encap_sport;
	e->encap_dport = req->encap_dport;
	e->soft = req->soft;
	e->hard = req->hard;
	e->ae.family = sa->family;
	e->ae.proto = sa->proto;
	e->ae.spi = sa->spi;
	e->ae.daddr = sa->daddr;
	e->ae.saddr = sa->saddr;
	e->ae.reqid = sa->reqid;
	e->ae.mark = S2S_ATTR_HAS(sa->present, XFRMA_MARK) ?
		     sa->mark : (struct xfrm_mark){ 0 };
	/* XFRM counts its time lifetimes from add_time: NEWAE keeps it, and
	 * the counters XFRM shows now are what the next mirror compares to
	 */
	e->ae.curlft = sa->curlft;
	e->delete_at = 0;
	e->seen = true;
}

static bool s2s_fwd_same_lifetime(const struct s2s_lifetime *a,
				  const struct s2s_lifetime *b)
{
	return a->present == b->present && a->bytes == b->bytes &&
	       a->packets == b->packets;
}

static bool s2s_fwd_same_endpoint(const struct s2s_fwd_sa *e,
				  const struct s2s_sa_req *req)
{
	return !memcmp(&e->local, &req->local, sizeof(e->local)) &&
	       !memcmp(&e->remote, &req->remote, sizeof(e->remote)) &&
	       e->encap_sport == req->encap_sport &&
	       e->encap_dport == req->encap_dport &&
	       s2s_fwd_same_lifetime(&e->soft, &req->soft) &&
	       s2s_fwd_same_lifetime(&e->hard, &req->hard);
}

/* Turn the sa-new request into an sa-set of what may change: ports are
 * always sent, so a move from ESP-in-UDP back to raw ESP (0 0) counts.
 */
static void s2s_fwd_req_to_set(struct s2s_sa_req *req)
{
	s2s_key_wipe(&req->key);
	s2s_key_wipe(&req->ikey);
	req->given &= S2S_BIT(DIR) | S2S_BIT(SPI) | S2S_BIT(LOCAL) |
		      S2S_BIT(REMOTE) | S2S_BIT(SOFT) | S2S_BIT(HARD);
	req->given |= S2S_BIT(ENCAP_SPORT) | S2S_BIT(ENCAP_DPORT);
}

static void s2s_fwd_del_req(struct s2s_sa_req *req, const struct s2s_fwd_sa *e)
{
	memset(req, 0, sizeof(*req));
	memcpy(req->ifname, e->ifname, sizeof(req->ifname));
	req->dir = e->dir;
	req->spi = e->spi;
	req->given = S2S_BIT(DIR) | S2S_BIT(SPI);
}

/* sa-del and forget; -ENOENT means someone was faster, which is fine. */
static void s2s_fwd_delete(struct s2s_fwd *f, struct s2s_fwd_sa *e,
			   const char *why)
{
	int err;

	s2s_fwd_del_req(f->req, e);
	err = f->ops->sa_del(f->ctx, f->req, e->ifindex);
	if (err && err != -ENOENT)
		s2s_log(LOG_ERR, "%s: cannot delete %s SA spi 0x%08x (%s): %s",
			e->ifname, s2s_fwd_dir_word(e->dir), e->spi, why,
			f->ops->err(f->ctx));
	else
		s2s_log(LOG_INFO, "%s: deleted %s SA spi 0x%08x (%s)",
			e->ifname, s2s_fwd_dir_word(e->dir), e->spi, why);
	s2s_fwd_remove(f, e);
}

static void s2s_fwd_endpoints_text(const struct s2s_sa_req *req, char *buf,
				   size_t size)
{
	char l[S2S_ADDR_STRLEN], r[S2S_ADDR_STRLEN];

	s2s_addr_ntop(&req->local, l, sizeof(l));
	s2s_addr_ntop(&req->remote, r, sizeof(r));
	if (req->encap_dport)
		snprintf(buf, size, "local %s port %u, remote %s port %u", l,
			 req->encap_sport, r, req->encap_dport);
	else
		snprintf(buf, size, "local %s, remote %s", l, r);
}

/* Same SPI, same keys: only endpoints or limits may differ. */
static void s2s_fwd_update(struct s2s_fwd *f, struct s2s_fwd_sa *e,
			   const struct s2s_xfrm_sa *sa)
{
	struct s2s_sa_req *req = f->req;
	bool held = e->delete_at != 0;
	char where[2 * S2S_ADDR_STRLEN + 48];
	int err;

	if (!s2s_fwd_same_endpoint(e, req)) {
		s2s_fwd_req_to_set(req);
		err = f->ops->sa_set(f->ctx, req, e->ifindex);
		s2s_fwd_endpoints_text(req, where, sizeof(where));
		if (err) {
			s2s_log(LOG_ERR, "%s: cannot update %s SA spi 0x%08x to %s: %s",
				e->ifname, s2s_fwd_dir_word(e->dir), e->spi,
				where, f->ops->err(f->ctx));
			/* XFRM has it, the module's copy is stale: better none */
			s2s_fwd_delete(f, e, "update failed");
			return;
		}
		s2s_log(LOG_INFO, "%s: %s SA spi 0x%08x now %s (%s; sequence numbers and replay state kept)",
			e->ifname, s2s_fwd_dir_word(e->dir), e->spi, where,
			held ? "re-added by charon with the same keys" : "updated");
	} else if (held) {
		s2s_log(LOG_INFO, "%s: %s SA spi 0x%08x re-added with the same keys and endpoints: kept",
			e->ifname, s2s_fwd_dir_word(e->dir), e->spi);
	}
	s2s_fwd_record(e, req, e->ifindex, sa);
}

static void s2s_fwd_new(struct s2s_fwd *f, const struct s2s_xfrm_sa *sa,
			uint32_t ifindex, uint64_t digest)
{
	struct s2s_sa_req *req = f->req;
	struct s2s_fwd_sa *e;
	int err;

	if (f->ops->selectors && !req->n_ts_local && !req->n_ts_remote)
		f->ops->selectors(f->ctx, req, sa->reqid);
	err = f->ops->sa_new(f->ctx, req, ifindex);
	if (err && err != -EEXIST) {
		s2s_log(LOG_ERR, "%s: cannot add %s SA spi 0x%08x: %s",
			req->ifname, s2s_fwd_dir_word(req->dir), req->spi,
			f->ops->err(f->ctx));
		return;
	}
	/* After an s2sd restart: the module kept the SA and its state. */
	if (err == -EEXIST)
		s2s_log(LOG_INFO, "%s: %s SA spi 0x%08x is already in the module: kept as it is",
			req->ifname, s2s_fwd_dir_word(req->dir), req->spi);
	else
		s2s_log(LOG_INFO, "%s: added %s SA spi 0x%08x from XFRM (reqid %u)",
			req->ifname, s2s_fwd_dir_word(req->dir), req->spi,
			sa->reqid);
	e = s2s_fwd_append(f);
	if (!e) {
		s2s_log(LOG_ERR, "out of memory: SA spi 0x%08x will not be tracked",
			req->spi);
		return;
	}
	s2s_fwd_record(e, req, ifindex, sa);
	e->digest = digest;
}

static int s2s_fwd_decide_dir(struct s2s_fwd *f, const struct s2s_xfrm_sa *sa)
{
	bool src, dst;

	src = f->ops->is_local(f->ctx, sa->family, &sa->saddr);
	dst = f->ops->is_local(f->ctx, sa->family, &sa->daddr);
	return s2s_fwd_dir(src, dst, S2S_ATTR_HAS(sa->present, XFRMA_MARK) &&
				     sa->mark.m);
}

/* NEWSA, UPDSA or a dump reply of an SA of @link. */
static void s2s_fwd_add(struct s2s_fwd *f, const struct nlmsghdr *nlh,
			const struct s2s_xfrm_sa *sa, const struct s2s_link *link)
{
	char line[S2S_XFRM_LINE_MAX], why[S2S_XFRM_KEYS_ERR_MAX];
	struct s2s_sa_req *req = f->req;
	struct s2s_fwd_sa *e;
	uint64_t digest;
	int dir;

	s2s_xfrm_format(sa, link->ifname, line, sizeof(line));
	dir = s2s_fwd_decide_dir(f, sa);
	if (dir < 0) {
		s2s_log(LOG_WARNING, "not forwarding %s: neither address is configured on this host, so its direction is unknown",
			line);
		return;
	}
	memset(req, 0, sizeof(*req));
	if (s2s_xfrm_keys_req(nlh, sa, (uint32_t)dir, link->ifname, req, why,
			      sizeof(why))) {
		s2s_log(LOG_WARNING, "not forwarding %s: %s", line, why);
		goto out;
	}
	digest = s2s_fwd_digest(f, req);
	e = s2s_fwd_lookup(f, link->ifindex, (uint32_t)dir, req->spi);
	if (e && e->digest == digest) {
		s2s_fwd_update(f, e, sa);
		goto out;
	}
	if (e)		/* same SPI, other keys: a different SA */
		s2s_fwd_delete(f, e, "replaced by an SA with other keys");
	s2s_fwd_new(f, sa, link->ifindex, digest);
out:
	explicit_bzero(req, sizeof(*req));
}

/**
 * s2s_fwd_xfrm() - act on one XFRM SA message
 * @f: the state
 * @nlh: the message
 * @sa: @nlh as s2s_xfrm_parse() read it (which copies no key)
 * @links: the s2s links
 *
 * The if_id decides first: the keys of an SA that belongs to no s2s link
 * are never read. A flush concerns every link.
 */
void s2s_fwd_xfrm(struct s2s_fwd *f, const struct nlmsghdr *nlh,
		  const struct s2s_xfrm_sa *sa, const struct s2s_link_list *links)
{
	const struct s2s_link *link;
	struct s2s_fwd_sa *e;

	if (sa->kind == S2S_XFRM_FLUSH) {
		s2s_fwd_flush(f, sa->proto);
		return;
	}
	link = sa->if_id ? s2s_link_list_find_if_id(links, sa->if_id) : NULL;
	if (!link)
		return;
	switch (sa->kind) {
	case S2S_XFRM_EXISTING:
	case S2S_XFRM_NEW:
	case S2S_XFRM_UPDATE:
		s2s_fwd_add(f, nlh, sa, link);
		return;
	case S2S_XFRM_DELETE:
		e = s2s_fwd_lookup_xfrm(f, sa);
		if (e && !e->delete_at)
			e->delete_at = f->ops->now_ms(f->ctx) + S2S_FWD_GRACE_MS;
		return;
	case S2S_XFRM_EXPIRE_HARD:
		e = s2s_fwd_lookup_xfrm(f, sa);
		if (e)
			s2s_fwd_delete(f, e, "hard lifetime expired in XFRM");
		return;
	case S2S_XFRM_EXPIRE_SOFT:
	case S2S_XFRM_FLUSH:
		return;
	}
}

/**
 * s2s_fwd_flush() - XFRM_MSG_FLUSHSA: delete what it took
 * @f: the state
 * @proto: the flushed protocol (0 and IPSEC_PROTO_ANY: all)
 */
void s2s_fwd_flush(struct s2s_fwd *f, uint8_t proto)
{
	size_t i = 0;

	while (i < f->n) {
		if (proto && proto != IPSEC_PROTO_ANY && f->sas[i].ae.proto != proto)
			i++;
		else
			s2s_fwd_delete(f, &f->sas[i], "XFRM SAs flushed");
	}
}

/**
 * s2s_fwd_sync_begin() - an XFRM dump starts: nothing is seen yet
 * @f: the state
 */
void s2s_fwd_sync_begin(struct s2s_fwd *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		f->sas[i].seen = false;
}

static bool s2s_fwd_managed(const struct s2s_link_list *links, uint32_t ifindex)
{
	const struct s2s_link *link = s2s_link_list_find_ifindex(links, ifindex);

	return link && link->if_id;
}

/**
 * s2s_fwd_sync_end() - reconcile after a complete XFRM dump
 * @f: the state
 * @module: every SA of the module, or NULL when they could not be listed
 * @links: the s2s links
 *
 * Forwarded SAs the dump did not find are gone from XFRM (their DELSA
 * was lost): deleted now, unless a held delete is already counting down.
 * Module SAs on links with an if-id that match nothing XFRM has are
 * leftovers (deleted while s2sd was not running): deleted too. Links
 * with if-id 0 are not s2sd's, their SAs are never touched.
 */
void s2s_fwd_sync_end(struct s2s_fwd *f, const struct s2s_sa_list *module,
		      const struct s2s_link_list *links)
{
	struct s2s_fwd_sa orphan;
	size_t i = 0;

	/* leftovers first: @module still lists what the second pass deletes */
	for (i = 0; module && i < module->n; i++) {
		const struct s2s_sa *m = &module->sas[i];
		const struct s2s_link *link;

		if (!s2s_fwd_managed(links, m->ifindex) ||
		    s2s_fwd_lookup(f, m->ifindex, m->dir, m->spi))
			continue;
		link = s2s_link_list_find_ifindex(links, m->ifindex);
		memset(&orphan, 0, sizeof(orphan));
		orphan.ifindex = m->ifindex;
		orphan.dir = m->dir;
		orphan.spi = m->spi;
		memcpy(orphan.ifname, link->ifname, sizeof(orphan.ifname));
		/* s2s_fwd_delete() removes what it deletes from the table */
		if (!s2s_fwd_append(f))
			break;
		f->sas[f->n - 1] = orphan;
		s2s_fwd_delete(f, &f->sas[f->n - 1], "not in XFRM");
	}
	i = 0;
	while (i < f->n) {
		if (f->sas[i].seen || f->sas[i].delete_at)
			i++;
		else
			s2s_fwd_delete(f, &f->sas[i], "no longer in XFRM");
	}
}

/**
 * s2s_fwd_next_ms() - when s2s_fwd_expire() has something to do
 * @f: the state
 *
 * Return: the earliest now_ms() value of a held delete, or -1.
 */
int64_t s2s_fwd_next_ms(const struct s2s_fwd *f)
{
	int64_t next = -1;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->sas[i].delete_at &&
		    (next < 0 || (int64_t)f->sas[i].delete_at < next))
			next = (int64_t)f->sas[i].delete_at;
	return next;
}

/**
 * s2s_fwd_expire() - carry out the held deletes whose grace is over
 * @f: the state
 */
void s2s_fwd_expire(struct s2s_fwd *f)
{
	uint64_t now = f->ops->now_ms(f->ctx);
	size_t i = 0;

	while (i < f->n) {
		if (f->sas[i].delete_at && f->sas[i].delete_at <= now)
			s2s_fwd_delete(f, &f->sas[i], "deleted from XFRM");
		else
			i++;
	}
}

static const struct s2s_sa *s2s_fwd_module_sa(const struct s2s_sa_list *module,
					      const struct s2s_fwd_sa *e)
{
	size_t i;

	for (i = 0; i < module->n; i++)
		if (module->sas[i].ifindex == e->ifindex &&
		    module->sas[i].dir == e->dir && module->sas[i].spi == e->spi)
			return &module->sas[i];
	return NULL;
}

/**
 * s2s_fwd_mirror() - copy the module's counters into the XFRM SAs
 * @f: the state
 * @module: every SA of the module, with stats
 *
 * Only SAs whose counters moved get a NEWAE, with use_time set to now:
 * charon reads it as the SA's last use. An SA XFRM no longer has
 * (-ESRCH) is waiting for its DELSA to be read: not an error.
 *
 * Return: true when a forwarded SA is missing from the module (it was
 * deleted behind s2sd's back, or the module reloaded): time to resync.
 */
bool s2s_fwd_mirror(struct s2s_fwd *f, const struct s2s_sa_list *module)
{
	bool missing = false;
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct s2s_fwd_sa *e = &f->sas[i];
		const struct s2s_sa *m;
		uint64_t bytes, packets;
		int err;

		if (e->delete_at)
			continue;
		m = s2s_fwd_module_sa(module, e);
		if (!m) {
			missing = true;
			continue;
		}
		bytes = e->dir == S2S_DIR_IN ? m->stats.rx_bytes : m->stats.tx_bytes;
		packets = e->dir == S2S_DIR_IN ? m->stats.rx_packets :
						 m->stats.tx_packets;
		if (bytes == e->ae.curlft.bytes && packets == e->ae.curlft.packets)
			continue;
		e->ae.curlft.bytes = bytes;
		e->ae.curlft.packets = packets;
		e->ae.curlft.use_time = f->ops->wall_s(f->ctx);
		err = f->ops->newae(f->ctx, &e->ae);
		if (err && err != -ESRCH)
			s2s_log(LOG_WARNING, "%s: cannot copy the counters of %s SA spi 0x%08x to XFRM: %s",
				e->ifname, s2s_fwd_dir_word(e->dir), e->spi,
				f->ops->err(f->ctx));
	}
	return missing;
}
