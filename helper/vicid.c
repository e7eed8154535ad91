// SPDX-License-Identifier: GPL-2.0
/* s2sd's vici side; see vicid.h.
 *
 * Routes are not added and removed per event: every change recomputes
 * the wanted set from all children that are up and reconciles the
 * kernel with it. That makes a prefix stay while any child still covers
 * it, makes repeats harmless, and is the same code that repairs things
 * after s2sd or charon restarts.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "attr.h"
#include "log.h"
#include "routes.h"
#include "routeset.h"
#include "vicid.h"

#define S2S_VICID_CMD_MS	10000
#define S2S_VICID_BACKOFF_MIN	500
#define S2S_VICID_BACKOFF_MAX	30000

/* "log" last: what charon logs before the others are confirmed is
 * history that list-sas covers.
 */
static const char *const s2s_vicid_events[] = {
	"child-updown", "child-rekey", "ike-updown", "log",
};

static void s2s_vicid_drop(struct s2s_vicid *v, const char *why, int err);

/* A command's outcome: 0, or -EIO with charon's errmsg. */
struct s2s_vicid_result {
	int err;
	char *errmsg;
	size_t size;
};

static void s2s_vicid_on_result(const char *name, const struct s2s_vici_tree *t,
				void *ctx)
{
	struct s2s_vicid_result *res = ctx;

	(void)name;
	res->err = s2s_vici_result(t, res->errmsg, res->size);
}

/**
 * s2s_vicid_child_set() - record that a Child SA is up or went down
 * @v: state
 * @up: up (added or refreshed) or down (forgotten)
 * @c: the child, by unique id
 */
void s2s_vicid_child_set(struct s2s_vicid *v, bool up,
			 const struct s2s_vici_child *c)
{
	size_t i;

	for (i = 0; i < v->n_children; i++)
		if (v->children[i].id == c->id)
			break;
	v->dirty = true;
	if (!up) {
		if (i < v->n_children)
			v->children[i] = v->children[--v->n_children];
		return;
	}
	if (i == v->n_children) {
		if (v->n_children == v->cap_children) {
			size_t cap = v->cap_children ? v->cap_children * 2 : 8;
			struct s2s_vici_child *n;

			n = realloc(v->children, cap * sizeof(*n));
			if (!n) {
				s2s_log(LOG_ERR, "vici: out of memory for child %s #%u",
					c->name, c->id);
				return;
			}
			v->children = n;
			v->cap_children = cap;
		}
		v->n_children++;
	}
	v->children[i] = *c;
}

/**
 * s2s_vicid_child_by_spi() - the Child SA one of whose SAs has an SPI
 * @v: state
 * @spi: inbound or outbound SPI, host order
 *
 * Return: the child, or NULL when no child that is up has it.
 */
const struct s2s_vici_child *s2s_vicid_child_by_spi(const struct s2s_vicid *v,
						     uint32_t spi)
{
	size_t i;

	for (i = 0; spi && i < v->n_children; i++)
		if (v->children[i].spi_in == spi || v->children[i].spi_out == spi)
			return &v->children[i];
	return NULL;
}

/* Send one command and read its result. Return: 0, or a negative errno
 * with charon's errmsg (or ours) in @errmsg.
 */
static int s2s_vicid_command(struct s2s_vicid *v, const uint8_t *frame,
			     int len, char *errmsg, size_t size)
{
	struct s2s_vicid_result res = { .errmsg = errmsg, .size = size };
	int err;

	errmsg[0] = '\0';
	if (len < 0)
		return len;
	if (v->conn.fd < 0)
		return -ENOTCONN;
	err = s2s_vici_request(&v->conn, frame, (size_t)len, S2S_VICID_CMD_MS,
			       s2s_vicid_on_result, &res);
	if (err) {
		s2s_vicid_drop(v, "command", err);
		return err;
	}
	return res.err;
}

/**
 * s2s_vicid_renew() - ask charon for a new Child SA in place of the one
 *	holding @spi, or to close it when it cannot
 * @v: state
 * @spi: SPI of the module SA that reached a volume limit or ran out of
 *	sequence numbers, host order
 * @why: for the log, e.g. "soft-expire"
 *
 * The module enforces byte and packet limits (charon never sees the
 * traffic): its events are how charon learns it is time to rekey. When
 * charon refuses the rekey, the child is terminated so that its view and
 * its start/close actions stay true to the data path.
 *
 * Return: 0, -ENOENT when no child that is up has @spi, or another
 * negative errno (logged).
 */
int s2s_vicid_renew(struct s2s_vicid *v, uint32_t spi, const char *why)
{
	const struct s2s_vici_child *found = s2s_vicid_child_by_spi(v, spi);
	uint8_t buf[S2S_VICI_REQ_MAX];
	struct s2s_vici_child c;
	char errmsg[128];
	int err;

	if (!found)
		return -ENOENT;
	c = *found;	/* events during the command may change the table */
	err = s2s_vicid_command(v, buf,
				s2s_vici_cmd_rekey(buf, sizeof(buf), c.id, 0),
				errmsg, sizeof(errmsg));
	if (!err) {
		s2s_log(LOG_NOTICE, "vici: %s on spi 0x%08x: asked charon to rekey child %s #%u of %s",
			why, spi, c.name, c.id, c.ike);
		return 0;
	}
	s2s_log(LOG_WARNING, "vici: %s on spi 0x%08x: charon did not rekey child %s #%u (%s); terminating it",
		why, spi, c.name, c.id, errmsg[0] ? errmsg : strerror(-err));
	err = s2s_vicid_command(v, buf,
				s2s_vici_cmd_terminate(buf, sizeof(buf), c.id, 0,
						       S2S_VICID_CMD_MS / 2),
				errmsg, sizeof(errmsg));
	if (err)
		s2s_log(LOG_ERR, "vici: cannot terminate child %s #%u: %s",
			c.name, c.id, errmsg[0] ? errmsg : strerror(-err));
	return err;
}

/* A macro's value as a string literal. */
#define S2S_VICID_STR_(x)	#x
#define S2S_VICID_STR(x)	S2S_VICID_STR_(x)

/* Why @c's selectors cannot be enforced, or NULL when they can: leaving
 * some out would drop traffic the peer may send.
 */
static const char *s2s_vicid_selectors_unusable(const struct s2s_vici_child *c)
{
	if (c->ts_err[0])
		return c->ts_err;
	/* The module's limit per side. */
	if (c->n_lts > S2S_SELECTORS_MAX || c->n_ts > S2S_SELECTORS_MAX)
		return "more than " S2S_VICID_STR(S2S_SELECTORS_MAX)
		       " prefixes on a side";
	return NULL;
}

/* @c's selectors into @req; false when there are none to give. */
static bool s2s_vicid_fill_selectors(const struct s2s_vici_child *c,
				     struct s2s_sa_req *req)
{
	if (s2s_vicid_selectors_unusable(c) || (!c->n_lts && !c->n_ts))
		return false;
	memcpy(req->ts_local, c->lts, c->n_lts * sizeof(c->lts[0]));
	req->n_ts_local = (unsigned int)c->n_lts;
	memcpy(req->ts_remote, c->ts, c->n_ts * sizeof(c->ts[0]));
	req->n_ts_remote = (unsigned int)c->n_ts;
	if (c->n_lts)
		req->given |= 1ULL << S2S_A_SA_TS_LOCAL;
	if (c->n_ts)
		req->given |= 1ULL << S2S_A_SA_TS_REMOTE;
	return true;
}

/**
 * s2s_vicid_sa_selectors() - the negotiated selectors for an SA s2sd is
 *	about to forward from XFRM (struct s2s_watch.selectors)
 * @ctx: struct s2s_vicid
 * @req: the sa-new request; selectors are added to it
 * @reqid: the XFRM SA's reqid
 *
 * charon installs tunnel SAs without selectors: without these the module
 * would take any inner address from the peer. A child that is up with the
 * SPI has them; a rekeyed SA is added before its child is reported, but
 * charon keeps the reqid across rekeys, so the child it replaces has the
 * same. A new child's first SAs get theirs from its child-updown event.
 */
void s2s_vicid_sa_selectors(void *ctx, struct s2s_sa_req *req, uint32_t reqid)
{
	const struct s2s_vicid *v = ctx;
	const struct s2s_vici_child *c;
	size_t i;

	c = s2s_vicid_child_by_spi(v, req->spi);
	for (i = 0; !c && reqid && i < v->n_children; i++)
		if (v->children[i].reqid == reqid)
			c = &v->children[i];
	if (c && s2s_vicid_fill_selectors(c, req))
		s2s_log(LOG_DEBUG, "%s: spi 0x%08x gets the selectors of child %s #%u",
			req->ifname, req->spi, c->name, c->id);
}

/* sa-set the selectors of @c's SA @spi in @dir on the link with @if_id. */
static void s2s_vicid_set_selectors(struct s2s_vicid *v,
				    const struct s2s_vici_child *c,
				    const struct s2s_link_list *links,
				    uint32_t if_id, uint32_t dir, uint32_t spi)
{
	const struct s2s_link *link = s2s_link_list_find_if_id(links, if_id);
	struct s2s_sa_req *req;
	int err;

	if (!link || !spi)
		return;
	req = calloc(1, sizeof(*req));
	if (!req)
		return;
	snprintf(req->ifname, sizeof(req->ifname), "%s", link->ifname);
	req->dir = dir;
	req->spi = spi;
	req->given = 1ULL << S2S_A_SA_DIR | 1ULL << S2S_A_SA_SPI;
	if (s2s_vicid_fill_selectors(c, req)) {
		err = s2s_client_sa_set(&v->genl, req, link->ifindex);
		/* not forwarded yet: it will be, with the selectors */
		if (err && err != -ENOENT)
			s2s_log(LOG_WARNING, "%s: cannot set the selectors of %s SA spi 0x%08x (child %s #%u): %s",
				link->ifname, dir == S2S_DIR_IN ? "inbound" : "outbound",
				spi, c->name, c->id, v->genl.err);
	}
	free(req);
}

/* A child came up: its SAs carry what it negotiated, nothing else. */
static void s2s_vicid_child_selectors(struct s2s_vicid *v,
				      const struct s2s_vici_child *c)
{
	const char *why = s2s_vicid_selectors_unusable(c);
	struct s2s_link_list links = { 0 };

	if (why) {
		s2s_log(LOG_WARNING, "child %s #%u: its selectors cannot be enforced (%s); its SAs take any inner address",
			c->name, c->id, why);
		return;
	}
	if (s2s_client_link_get(&v->genl, NULL, &links)) {
		s2s_log(LOG_ERR, "selectors: cannot list s2s links: %s", v->genl.err);
		return;
	}
	s2s_vicid_set_selectors(v, c, &links, c->if_id_in, S2S_DIR_IN, c->spi_in);
	s2s_vicid_set_selectors(v, c, &links, c->if_id_out, S2S_DIR_OUT, c->spi_out);
	s2s_link_list_clear(&links);
}

static time_t s2s_vicid_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

/* Learn the links (new ones, if-ids set since); at most once a second
 * unless @force. Return: the list (caller clears it) or NULL.
 */
static int s2s_vicid_ike_links(struct s2s_vicid *v, bool force,
			       struct s2s_link_list *links)
{
	time_t now = s2s_vicid_now();

	if (!force && now == v->links_at)
		return -EAGAIN;
	v->links_at = now;
	if (s2s_client_link_get(&v->genl, NULL, links)) {
		s2s_log(LOG_ERR, "ike status: cannot list s2s links: %s",
			v->genl.err);
		return -EIO;
	}
	s2s_ike_track_links(&v->ike, links);
	return 0;
}

/* A module loaded before ike-until-close existed (s2sd upgraded, the
 * module not reloaded) refuses the flag as an unknown attribute: send
 * @cfg again without it, and say once what is lost. Every report tries
 * the flag first, so a module reloaded meanwhile gets it: reports are
 * rare (status changes), a refused request costs nothing. Return: 0 when
 * the report went through.
 */
static int s2s_vicid_ike_send_old(struct s2s_vicid *v, const char *ifname,
				  struct s2s_link_cfg *cfg)
{
	cfg->given &= ~(1ULL << S2S_A_LINK_IKE_UNTIL_CLOSE);
	if (s2s_client_link_set(&v->genl, ifname, cfg))
		return -1;
	if (!v->warned_old_module)
		s2s_log(LOG_WARNING, "ike status: the loaded s2s module predates ike-until-close; if s2sd dies, the status it reported stays (reload the module to have it withdrawn)");
	v->warned_old_module = true;
	return 0;
}

/* Tell the module every changed link status, and log it once; @links
 * from s2s_vicid_ike_links().
 */
static void s2s_vicid_ike_send(struct s2s_vicid *v,
			       const struct s2s_link_list *links)
{
	struct s2s_link_cfg cfg;
	size_t i;
	int err;

	for (i = 0; i < v->ike.n_links; i++) {
		struct s2s_ike_link *l = &v->ike.links[i];
		const struct s2s_link *link;
		const char *text;

		if (!l->changed)
			continue;
		link = s2s_link_list_find_if_id(links, l->if_id);
		if (!link)
			continue;
		memset(&cfg, 0, sizeof(cfg));
		cfg.given = 1ULL << S2S_A_LINK_IKE_STATUS |
			    1ULL << S2S_A_LINK_IKE_REASON;
		/* Withdrawn by the module if s2sd dies before its last report,
		 * "unknown" without a reason, which is that report.
		 */
		if (l->status != S2S_IKE_STATUS_UNKNOWN || l->reason[0])
			cfg.given |= 1ULL << S2S_A_LINK_IKE_UNTIL_CLOSE;
		cfg.ike_status = l->status;
		cfg.ike_reason = l->reason;
		err = s2s_client_link_set(&v->genl, link->ifname, &cfg);
		if (err == -EINVAL &&
		    S2S_ATTR_HAS(cfg.given, S2S_A_LINK_IKE_UNTIL_CLOSE))
			err = s2s_vicid_ike_send_old(v, link->ifname, &cfg);
		if (err) {
			s2s_log(LOG_ERR, "ike status: cannot report it on %s: %s",
				link->ifname, v->genl.err);
			continue;
		}
		l->changed = false;
		text = s2s_ike_status_text(l->status);
		s2s_log(l->status == S2S_IKE_STATUS_PHASE1_FAILED ||
			l->status == S2S_IKE_STATUS_PHASE2_FAILED ?
			LOG_WARNING : LOG_NOTICE, "ike: %s: %s%s%s%s",
			link->ifname, text ? text : "?",
			l->reason[0] ? " (" : "", l->reason,
			l->reason[0] ? ")" : "");
	}
}

static void s2s_vicid_ike_push(struct s2s_vicid *v)
{
	struct s2s_link_list links = { 0 };

	if (s2s_vicid_ike_links(v, true, &links))
		return;
	s2s_vicid_ike_send(v, &links);
	s2s_link_list_clear(&links);
}

static bool s2s_vicid_others_up(const struct s2s_vicid *v,
				const struct s2s_vici_child *c)
{
	uint32_t if_id = c->if_id_out ? c->if_id_out : c->if_id_in;
	size_t i;

	for (i = 0; i < v->n_children; i++) {
		const struct s2s_vici_child *o = &v->children[i];

		if (o->id != c->id &&
		    (o->if_id_out ? o->if_id_out : o->if_id_in) == if_id)
			return true;
	}
	return false;
}

static void s2s_vicid_on_child(bool up, const struct s2s_vici_child *c,
			       void *ctx)
{
	struct s2s_vicid *v = ctx;

	s2s_log(LOG_INFO, "vici: child %s #%u of %s #%u %s, if-id in %u out %u, %zu remote prefix(es)",
		c->name, c->id, c->ike, c->ike_id, up ? "up" : "down",
		c->if_id_in, c->if_id_out, c->n_ts);
	if (c->ts_err[0])
		s2s_log(LOG_WARNING, "vici: child %s #%u: %s", c->name, c->id,
			c->ts_err);
	s2s_vicid_child_set(v, up, c);
	if (up)
		s2s_vicid_child_selectors(v, c);
	if (s2s_ike_track_child(&v->ike, up, c, s2s_vicid_others_up(v, c)))
		s2s_vicid_ike_push(v);
}

static void s2s_vicid_on_event(const char *name, const struct s2s_vici_tree *t,
			       void *ctx)
{
	struct s2s_vicid *v = ctx;

	if (!strcmp(name, "log") || !strcmp(name, "ike-updown")) {
		struct s2s_link_list links = { 0 };

		/* a link made (or given its if-id) since we last looked */
		if (!v->ike.n_links && !s2s_vicid_ike_links(v, false, &links))
			s2s_link_list_clear(&links);
		if (s2s_ike_track_event(&v->ike, name, t))
			s2s_vicid_ike_push(v);
		return;
	}
	if (s2s_vici_sa_event(name, t, s2s_vicid_on_child, ctx) < 0)
		s2s_log(LOG_WARNING, "vici: %s event without the child fields s2sd needs, ignored",
			name);
}

static void s2s_vicid_skip(const struct s2s_vici_child *c, const char *why,
			   void *ctx)
{
	(void)ctx;
	s2s_log(LOG_DEBUG, "routes: child %s #%u: %s", c->name, c->id, why);
}

/**
 * s2s_vicid_reconcile() - make the kernel's s2sd routes the wanted ones
 * @v: state
 *
 * Return: 0 or a negative errno (each failure is logged).
 */
int s2s_vicid_reconcile(struct s2s_vicid *v)
{
	struct s2s_route_set want = { 0 }, have = { 0 }, add = { 0 }, del = { 0 };
	struct s2s_link_list links = { 0 };
	char p[S2S_PREFIX_STRLEN], msg[S2S_NL_ERR_MAX];
	int err, ret = 0;
	size_t i;

	v->dirty = false;
	err = s2s_client_link_get(&v->genl, NULL, &links);
	if (err) {
		s2s_log(LOG_ERR, "routes: cannot list s2s links: %s", v->genl.err);
		goto out;
	}
	s2s_ike_track_links(&v->ike, &links);
	err = s2s_route_set_build(v->children, v->n_children, &links, &want,
				  s2s_vicid_skip, v);
	if (!err)
		err = s2s_routes_dump(&v->rt, &have);
	if (!err)
		err = s2s_route_diff(&want, &have, &add, &del);
	if (err) {
		s2s_log(LOG_ERR, "routes: cannot read the kernel's routes: %s",
			s2s_nl_strerror(err, v->rt.extack, msg, sizeof(msg)));
		goto out;
	}
	for (i = 0; i < add.n; i++) {
		s2s_prefix_ntop(&add.r[i].dst, p, sizeof(p));
		err = s2s_route_change(&v->rt, &add.r[i], true);
		if (err)
			s2s_log(LOG_ERR, "routes: cannot add %s via ifindex %u: %s",
				p, add.r[i].ifindex,
				s2s_nl_strerror(err, v->rt.extack, msg, sizeof(msg)));
		else
			s2s_log(LOG_INFO, "routes: %s via ifindex %u added", p,
				add.r[i].ifindex);
		ret = ret ? ret : err;
	}
	for (i = 0; i < del.n; i++) {
		s2s_prefix_ntop(&del.r[i].dst, p, sizeof(p));
		err = s2s_route_change(&v->rt, &del.r[i], false);
		if (err)
			s2s_log(LOG_ERR, "routes: cannot remove %s: %s", p,
				s2s_nl_strerror(err, v->rt.extack, msg, sizeof(msg)));
		else
			s2s_log(LOG_INFO, "routes: %s via ifindex %u removed",
				p, del.r[i].ifindex);
		ret = ret ? ret : err;
	}
	err = ret;
out:
	if (err)
		v->dirty = true;	/* try again at the next change or retry */
	s2s_link_list_clear(&links);
	s2s_route_set_clear(&want);
	s2s_route_set_clear(&have);
	s2s_route_set_clear(&add);
	s2s_route_set_clear(&del);
	return err;
}

static void s2s_vicid_schedule(struct s2s_vicid *v)
{
	clock_gettime(CLOCK_MONOTONIC, &v->retry_at);
	v->retry_at.tv_sec += v->backoff_ms / 1000;
	v->retry_at.tv_nsec += (long)(v->backoff_ms % 1000) * 1000000;
	if (v->retry_at.tv_nsec >= 1000000000) {
		v->retry_at.tv_sec++;
		v->retry_at.tv_nsec -= 1000000000;
	}
	v->backoff_ms *= 2;
	if (v->backoff_ms > S2S_VICID_BACKOFF_MAX)
		v->backoff_ms = S2S_VICID_BACKOFF_MAX;
}

/* Every link to one state, those s2sd has not seen yet included (at
 * start-up that is all of them): the links are listed first.
 */
static void s2s_vicid_ike_set_all(struct s2s_vicid *v, uint32_t status,
				  const char *reason)
{
	struct s2s_link_list links = { 0 };
	bool listed = !s2s_vicid_ike_links(v, true, &links);

	/* unlisted, the change waits for the next push */
	s2s_ike_track_set_all(&v->ike, status, reason);
	if (!listed)
		return;
	s2s_vicid_ike_send(v, &links);
	s2s_link_list_clear(&links);
}

static void s2s_vicid_drop(struct s2s_vicid *v, const char *why, int err)
{
	s2s_log(LOG_WARNING, "vici: connection to %s lost (%s: %s), reconnecting",
		v->path, why, strerror(-err));
	s2s_vici_close(&v->conn);
	v->warned_down = true;
	s2s_vicid_schedule(v);
	/* what we last said may no longer be true */
	s2s_vicid_ike_set_all(v, S2S_IKE_STATUS_UNKNOWN,
			      "s2sd: charon not reachable");
}

/* After a list-sas: links with no child up and nothing else known are
 * down (a link charon is negotiating for says so in the next log lines).
 */
static void s2s_vicid_ike_settle(struct s2s_vicid *v)
{
	size_t i;

	for (i = 0; i < v->ike.n_links; i++) {
		struct s2s_ike_link *l = &v->ike.links[i];

		if (l->status != S2S_IKE_STATUS_UNKNOWN &&
		    strcmp(l->reason, "s2sd: charon not reachable"))
			continue;
		l->status = S2S_IKE_STATUS_DOWN;
		snprintf(l->reason, sizeof(l->reason), "no Child SA up");
		l->changed = true;
	}
	s2s_vicid_ike_push(v);
}

/* Connect, subscribe, then list: events that arrive during the list
 * are newer than it and applied after it, so nothing is missed.
 */
static int s2s_vicid_connect(struct s2s_vicid *v)
{
	uint8_t buf[S2S_VICI_REQ_MAX];
	size_t i;
	int err, len;

	err = s2s_vici_connect(&v->conn, v->path);
	if (err) {
		/* each attempt: links created meanwhile are told too (only
		 * what changed is sent)
		 */
		s2s_vicid_ike_set_all(v, S2S_IKE_STATUS_UNKNOWN,
				      "s2sd: charon not reachable");
		if (!v->warned_down)
			s2s_log(LOG_WARNING, "vici: cannot connect to %s: %s; retrying",
				v->path, strerror(-err));
		v->warned_down = true;
		s2s_vicid_schedule(v);
		return err;
	}
	for (i = 0; i < sizeof(s2s_vicid_events) / sizeof(s2s_vicid_events[0]); i++) {
		err = s2s_vici_register(&v->conn, s2s_vicid_events[i],
					S2S_VICID_CMD_MS);
		if (err) {
			s2s_vicid_drop(v, s2s_vicid_events[i], err);
			return err;
		}
	}
	err = s2s_vici_register(&v->conn, "list-sa", S2S_VICID_CMD_MS);
	len = s2s_vici_cmd_list_sas(buf, sizeof(buf));
	if (!err && len < 0)
		err = len;
	if (!err) {
		struct s2s_link_list links = { 0 };

		/* the list replaces what we knew: charon may have restarted */
		v->n_children = 0;
		if (!s2s_vicid_ike_links(v, true, &links))
			s2s_link_list_clear(&links);
		err = s2s_vici_request(&v->conn, buf, (size_t)len,
				       S2S_VICID_CMD_MS, NULL, NULL);
	}
	if (err) {
		s2s_vicid_drop(v, "list-sas", err);
		return err;
	}
	s2s_log(LOG_INFO, "vici: connected to %s, %zu child SA(s) up",
		v->path, v->n_children);
	s2s_vicid_ike_settle(v);
	v->warned_down = false;
	v->backoff_ms = S2S_VICID_BACKOFF_MIN;
	v->dirty = true;
	return 0;
}

/**
 * s2s_vicid_open() - set up the vici side; charon need not be running
 * @v: state to fill
 * @path: charon's vici socket
 *
 * Return: 0 or a negative errno when the netlink sockets cannot be
 * opened (logged).
 */
int s2s_vicid_open(struct s2s_vicid *v, const char *path)
{
	int err;

	memset(v, 0, sizeof(*v));
	v->path = path;
	v->backoff_ms = S2S_VICID_BACKOFF_MIN;
	s2s_ike_track_init(&v->ike);
	s2s_vici_conn_init(&v->conn, s2s_vicid_on_event, v);
	err = s2s_client_open(&v->genl);
	if (err) {
		s2s_log(LOG_ERR, "%s", v->genl.err);
		return err;
	}
	err = s2s_nl_open(&v->rt, NETLINK_ROUTE);
	if (err) {
		s2s_log(LOG_ERR, "cannot open a route netlink socket: %s",
			strerror(-err));
		s2s_client_close(&v->genl);
		return err;
	}
	s2s_vicid_connect(v);
	if (v->dirty)
		s2s_vicid_reconcile(v);
	return 0;
}

/**
 * s2s_vicid_close() - disconnect; the routes stay (charon's SAs may too)
 * @v: state
 */
void s2s_vicid_close(struct s2s_vicid *v)
{
	/* nobody reports from now on: say nothing rather than stale news */
	s2s_vicid_ike_set_all(v, S2S_IKE_STATUS_UNKNOWN, "");
	s2s_vici_close(&v->conn);
	s2s_nl_close(&v->rt);
	s2s_client_close(&v->genl);
	free(v->children);
	v->children = NULL;
	v->n_children = 0;
}

/**
 * s2s_vicid_fd() - descriptor to poll for POLLIN
 * @v: state
 *
 * Return: the vici socket, or -1 while disconnected (poll ignores it).
 */
int s2s_vicid_fd(const struct s2s_vicid *v)
{
	return v->conn.fd;
}

/**
 * s2s_vicid_timeout() - how long the main loop may sleep
 * @v: state
 *
 * Return: milliseconds until the next reconnect (or reconcile retry), or
 * -1 when connected and nothing is pending.
 */
int s2s_vicid_timeout(const struct s2s_vicid *v)
{
	struct timespec now;
	long ms;

	if (v->conn.fd >= 0)
		return v->dirty ? S2S_VICID_BACKOFF_MAX : -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (v->retry_at.tv_sec - now.tv_sec) * 1000 +
	     (v->retry_at.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/**
 * s2s_vicid_run() - handle what poll() found, reconnect when it is time
 * @v: state
 * @revents: poll's revents for s2s_vicid_fd() (0: timeout only)
 *
 * Never fails: losing charon only means waiting for it to come back.
 */
void s2s_vicid_run(struct s2s_vicid *v, short revents)
{
	int err;

	if (v->conn.fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR))) {
		err = s2s_vici_read(&v->conn);
		if (err)
			s2s_vicid_drop(v, "read", err);
		if (v->conn.bad_events) {
			s2s_log(LOG_WARNING, "vici: %lu malformed event(s) ignored",
				v->conn.bad_events);
			v->conn.bad_events = 0;
		}
	}
	if (v->conn.fd < 0 && !s2s_vicid_timeout(v))
		s2s_vicid_connect(v);
	if (v->dirty)
		s2s_vicid_reconcile(v);
}
