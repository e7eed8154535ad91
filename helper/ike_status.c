// SPDX-License-Identifier: GPL-2.0
/* Tunnel status from charon's vici messages; see ike_status.h.
 *
 * The log messages matched here are those strongSwan 5.9.8 sends (see
 * tests/data/vici/README, "status"): the initiator learns a failure from
 * the notify its peer sent, the responder from its own checks. Only the
 * leading words of a message are relied on, never its variable parts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/s2s.h>

#include "ike_status.h"

/**
 * s2s_ike_log_parse() - the fields of a "log" event
 * @t: the event's message
 * @l: filled in; @l->ike is "" when the message concerns no named IKE SA
 *	(charon calls SAs without a config yet "(unnamed)")
 *
 * Return: 0, or -EBADMSG without group, level or msg. A message longer
 * than S2S_IKE_MSG_MAX is cut, which leaves its leading words.
 */
int s2s_ike_log_parse(const struct s2s_vici_tree *t, struct s2s_ike_log *l)
{
	const struct s2s_vici_node *root = s2s_vici_root(t);
	const struct s2s_vici_node *n;
	uint32_t level;
	size_t len;

	memset(l, 0, sizeof(*l));
	if (s2s_vici_get_str(t, root, "group", l->group, sizeof(l->group)) ||
	    s2s_vici_get_u32(t, root, "level", 10, &level))
		return -EBADMSG;
	n = s2s_vici_find(t, root, S2S_VICI_NODE_KV, "msg");
	if (!n)
		return -EBADMSG;
	len = n->val_len < sizeof(l->msg) - 1 ? n->val_len : sizeof(l->msg) - 1;
	memcpy(l->msg, n->val, len);
	l->msg[len] = '\0';
	l->level = (int)level;
	if (s2s_vici_get_str(t, root, "ikesa-name", l->ike, sizeof(l->ike)) ||
	    !strcmp(l->ike, "(unnamed)"))
		l->ike[0] = '\0';
	if (s2s_vici_get_u32(t, root, "ikesa-uniqueid", 10, &l->ike_id))
		l->ike_id = 0;
	return 0;
}

static bool s2s_ike_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool s2s_ike_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool s2s_ike_verdict(struct s2s_ike_verdict *v, uint32_t status,
			    bool sticky, const char *reason)
{
	v->status = status;
	v->sticky = sticky;
	snprintf(v->reason, sizeof(v->reason), "%s", reason);
	return true;
}

/**
 * s2s_ike_classify() - what one log message says about its tunnel
 * @l: the message
 * @ike_up: its IKE SA is established (phase 1 done)
 * @v: the verdict
 *
 * Return: true when the message changes the tunnel's status (@v set);
 * false for the many that do not.
 */
bool s2s_ike_classify(const struct s2s_ike_log *l, bool ike_up,
		      struct s2s_ike_verdict *v)
{
	const char *m = l->msg;
	unsigned int n;

	memset(v, 0, sizeof(*v));
	if (strcmp(l->group, "IKE") && strcmp(l->group, "CFG") &&
	    strcmp(l->group, "ENC") && strcmp(l->group, "CHD"))
		return false;

	/* Phase 1, initiator: the peer's notify in IKE_SA_INIT/IKE_AUTH. */
	if (!strcmp(m, "received AUTHENTICATION_FAILED notify error"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "peer sent AUTHENTICATION_FAILED (key or identity mismatch)");
	if (!strcmp(m, "received NO_PROPOSAL_CHOSEN notify error"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "no acceptable proposal (IKE)");
	if (s2s_ike_prefix(m, "giving up after ") ||
	    !strcmp(m, "establishing IKE_SA failed, peer not responding"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "peer not responding");
	/* Phase 1, responder: its own checks. */
	if (s2s_ike_prefix(m, "tried ") && s2s_ike_suffix(m, "but MAC mismatched"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "pre-shared key mismatch");
	if (!strcmp(m, "received proposals unacceptable"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "no acceptable proposal (IKE)");
	if (!strcmp(m, "no matching peer config found"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
				       "no connection matches the peer's identity");

	/* Phase 2, initiator: the peer refused the child. */
	if (!strcmp(m, "received TS_UNACCEPTABLE notify, no CHILD_SA built"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE2_FAILED, true,
				       "traffic selectors unacceptable");
	if (!strcmp(m, "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE2_FAILED, true,
				       "no acceptable proposal (ESP)");
	/* Phase 2, responder. */
	if (s2s_ike_prefix(m, "traffic selectors ") &&
	    s2s_ike_suffix(m, " unacceptable"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE2_FAILED, true,
				       "traffic selectors unacceptable");
	/* Both phases log this one; the IKE SA's state tells which. */
	if (!strcmp(m, "no acceptable proposal found"))
		return ike_up ?
			s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE2_FAILED, true,
					"no acceptable proposal (ESP)") :
			s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE1_FAILED, true,
					"no acceptable proposal (IKE)");
	/* The specific reason, when there was one, came just before. */
	if (!strcmp(m, "failed to establish CHILD_SA, keeping IKE_SA"))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_PHASE2_FAILED, true,
				       "Child SA not established");

	/* Progress. */
	if (s2s_ike_prefix(m, "initiating IKE_SA "))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_CONNECTING, false,
				       "negotiating the IKE SA");
	if (!ike_up && sscanf(m, "retransmit %u of request with message ID", &n) == 1) {
		s2s_ike_verdict(v, S2S_IKE_STATUS_CONNECTING, false, "");
		snprintf(v->reason, sizeof(v->reason),
			 "no answer from the peer (retransmit %u)", n);
		return true;
	}
	if (s2s_ike_prefix(m, "IKE_SA ") && strstr(m, " established between "))
		return s2s_ike_verdict(v, S2S_IKE_STATUS_CONNECTING, false,
				       "IKE SA up, negotiating the Child SA");
	if (s2s_ike_prefix(m, "establishing CHILD_SA ")) {
		size_t len;

		m += strlen("establishing CHILD_SA ");
		len = strcspn(m, "{");
		if (!len || len >= sizeof(v->reason))
			return false;
		s2s_ike_verdict(v, S2S_IKE_STATUS_CONNECTING, false, "");
		memcpy(v->reason, m, len);
		v->reason[len] = '\0';
		v->child_name = true;
		return true;
	}
	return false;
}

/**
 * s2s_ike_track_init() - no link, nothing learned
 * @t: tracker
 */
void s2s_ike_track_init(struct s2s_ike_track *t)
{
	memset(t, 0, sizeof(*t));
}

/**
 * s2s_ike_track_link() - a link's state by if-id
 * @t: tracker
 * @if_id: the link's if-id (0: none)
 *
 * Return: the state, or NULL when no tracked link has @if_id.
 */
struct s2s_ike_link *s2s_ike_track_link(struct s2s_ike_track *t,
					uint32_t if_id)
{
	size_t i;

	for (i = 0; if_id && i < t->n_links; i++)
		if (t->links[i].if_id == if_id)
			return &t->links[i];
	return NULL;
}

/**
 * s2s_ike_track_links() - the s2s links there are now
 * @t: tracker
 * @links: every s2s link; those with an if-id are tracked, keeping the
 *	state of those tracked before (new ones start unknown)
 */
void s2s_ike_track_links(struct s2s_ike_track *t,
			 const struct s2s_link_list *links)
{
	struct s2s_ike_link old[S2S_IKE_TRACK_LINKS], *o;
	size_t i, n_old = t->n_links;

	memcpy(old, t->links, sizeof(old));
	t->n_links = 0;
	t->only_if_id = 0;
	for (i = 0; i < links->n && t->n_links < S2S_IKE_TRACK_LINKS; i++) {
		uint32_t if_id = links->links[i].if_id;
		struct s2s_ike_link *l;
		size_t j;

		if (!if_id || s2s_ike_track_link(t, if_id))
			continue;
		l = &t->links[t->n_links++];
		memset(l, 0, sizeof(*l));
		l->if_id = if_id;
		for (j = 0, o = old; j < n_old; j++, o++)
			if (o->if_id == if_id)
				*l = *o;
	}
	if (t->n_links == 1)
		t->only_if_id = t->links[0].if_id;
}

/**
 * s2s_ike_track_if_id() - the if-id of the link a connection belongs to
 * @t: tracker
 * @ike: connection (IKE config) name
 *
 * Return: the if-id its children carried, else the only link's, else 0.
 */
uint32_t s2s_ike_track_if_id(const struct s2s_ike_track *t, const char *ike)
{
	size_t i;

	for (i = 0; i < t->n_conns; i++)
		if (!strcmp(t->conns[i].ike, ike))
			return t->conns[i].if_id;
	return t->only_if_id;
}

static void s2s_ike_track_learn(struct s2s_ike_track *t, const char *ike,
				uint32_t if_id)
{
	size_t i;

	if (!if_id || !ike[0])
		return;
	for (i = 0; i < t->n_conns; i++)
		if (!strcmp(t->conns[i].ike, ike))
			break;
	if (i == S2S_IKE_TRACK_CONNS) {
		/* full: forget the oldest */
		memmove(t->conns, t->conns + 1, sizeof(t->conns[0]) * (i - 1));
		i--;
	} else if (i == t->n_conns) {
		t->n_conns++;
	}
	snprintf(t->conns[i].ike, sizeof(t->conns[i].ike), "%s", ike);
	t->conns[i].if_id = if_id;
}

/* How a new state meets the old one. */
enum s2s_ike_apply {
	S2S_IKE_REPLACE,	/* always */
	S2S_IKE_UNLESS_FAILED,	/* not over a failure: it stays visible */
	S2S_IKE_UNLESS_SAME,	/* not over a more specific one of its kind */
	S2S_IKE_PROGRESS,	/* attempts: not over a failure or a tunnel up
				 * (an IKE reauth does not take it down)
				 */
	S2S_IKE_UNLESS_UP,	/* phase 1 done: ends a failure, not a tunnel */
};

static bool s2s_ike_failed(uint32_t status)
{
	return status == S2S_IKE_STATUS_PHASE1_FAILED ||
	       status == S2S_IKE_STATUS_PHASE2_FAILED;
}

static bool s2s_ike_apply(struct s2s_ike_link *l, uint32_t status,
			  enum s2s_ike_apply how, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool s2s_ike_apply(struct s2s_ike_link *l, uint32_t status,
			  enum s2s_ike_apply how, const char *fmt, ...)
{
	char reason[S2S_IKE_REASON_LEN];
	va_list ap;

	if (!l)
		return false;
	if ((how == S2S_IKE_UNLESS_FAILED || how == S2S_IKE_PROGRESS) &&
	    s2s_ike_failed(l->status))
		return false;
	if ((how == S2S_IKE_PROGRESS || how == S2S_IKE_UNLESS_UP) &&
	    l->status == S2S_IKE_STATUS_CONNECTED)
		return false;
	if (how == S2S_IKE_UNLESS_SAME && l->status == status)
		return false;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (l->status == status && !strcmp(l->reason, reason))
		return false;
	l->status = status;
	memcpy(l->reason, reason, sizeof(reason));
	l->changed = true;
	return true;
}

/* The IKE SA's slot in the ring of those negotiating (-1: none). */
static int s2s_ike_pending(struct s2s_ike_track *t, uint32_t ike_id, bool add)
{
	size_t i;

	if (!ike_id)
		return -1;
	for (i = 0; i < S2S_IKE_TRACK_PENDING; i++)
		if (t->pending[i].ike_id == ike_id)
			return (int)i;
	if (!add)
		return -1;
	i = t->n_pending++ % S2S_IKE_TRACK_PENDING;
	memset(&t->pending[i], 0, sizeof(t->pending[i]));
	t->pending[i].ike_id = ike_id;
	return (int)i;
}

/**
 * s2s_ike_track_log() - apply a log message
 * @t: tracker
 * @l: the message
 *
 * Phase 2 reasons name the child being negotiated (from charon's
 * "establishing CHILD_SA" of the same IKE SA) or else the connection;
 * the others name the connection.
 *
 * Return: true when a link's state changed.
 */
bool s2s_ike_track_log(struct s2s_ike_track *t, const struct s2s_ike_log *l)
{
	struct s2s_ike_link *link;
	struct s2s_ike_verdict v;
	const char *who = l->ike;
	bool ike_up = false;
	int p;

	if (!l->ike[0])
		return false;
	/* set once the IKE SA is established: tells the phase of "no
	 * acceptable proposal found"
	 */
	p = s2s_ike_pending(t, l->ike_id, false);
	if (p >= 0)
		ike_up = t->pending[p].up;
	if (!s2s_ike_classify(l, ike_up, &v))
		return false;
	link = s2s_ike_track_link(t, s2s_ike_track_if_id(t, l->ike));
	p = s2s_ike_pending(t, l->ike_id, true);
	if (v.child_name) {
		if (p < 0)
			return false;
		snprintf(t->pending[p].child, sizeof(t->pending[p].child), "%s",
			 v.reason);
		return s2s_ike_apply(link, v.status, S2S_IKE_PROGRESS,
				     "%s: negotiating child %s", who, v.reason);
	}
	if (v.status == S2S_IKE_STATUS_PHASE2_FAILED && p >= 0 &&
	    t->pending[p].child[0])
		who = t->pending[p].child;
	if (!strcmp(v.reason, "Child SA not established"))
		return s2s_ike_apply(link, v.status, S2S_IKE_UNLESS_SAME,
				     "%s: %s", who, v.reason);
	if (v.status == S2S_IKE_STATUS_CONNECTING &&
	    !strcmp(v.reason, "IKE SA up, negotiating the Child SA")) {
		/* phase 1 done: an earlier failure is over */
		if (p >= 0)
			t->pending[p].up = true;
		return s2s_ike_apply(link, v.status, S2S_IKE_UNLESS_UP,
				     "%s: %s", who, v.reason);
	}
	return s2s_ike_apply(link, v.status,
			     v.sticky ? S2S_IKE_REPLACE : S2S_IKE_PROGRESS,
			     "%s: %s", who, v.reason);
}

/**
 * s2s_ike_track_child() - a Child SA came up or went down
 * @t: tracker
 * @up: it carries traffic now (false: no more)
 * @c: the child; its if-id teaches which link its connection belongs to
 * @others_up: another child of the same link is still up
 *
 * Return: true when a link's state changed.
 */
bool s2s_ike_track_child(struct s2s_ike_track *t, bool up,
			 const struct s2s_vici_child *c, bool others_up)
{
	uint32_t if_id = c->if_id_out ? c->if_id_out : c->if_id_in;
	struct s2s_ike_link *link;

	s2s_ike_track_learn(t, c->ike, if_id);
	link = s2s_ike_track_link(t, if_id);
	if (up)
		return s2s_ike_apply(link, S2S_IKE_STATUS_CONNECTED,
				     S2S_IKE_REPLACE, "%s, child %s", c->ike,
				     c->name);
	if (others_up)
		return false;
	return s2s_ike_apply(link, S2S_IKE_STATUS_DOWN, S2S_IKE_UNLESS_FAILED,
			     "%s: child %s closed", c->ike, c->name);
}

/**
 * s2s_ike_track_ike_down() - an IKE SA went down (or never came up)
 * @t: tracker
 * @ike: its connection name
 *
 * A failure stays as it is; an attempt under way is over.
 *
 * Return: true when a link's state changed.
 */
bool s2s_ike_track_ike_down(struct s2s_ike_track *t, const char *ike)
{
	struct s2s_ike_link *link;

	link = s2s_ike_track_link(t, s2s_ike_track_if_id(t, ike));
	if (!link || link->status != S2S_IKE_STATUS_CONNECTING)
		return false;
	return s2s_ike_apply(link, S2S_IKE_STATUS_DOWN, S2S_IKE_REPLACE,
			     "%s: IKE SA down", ike);
}

/**
 * s2s_ike_track_set_all() - every link to one state
 * @t: tracker
 * @status: enum s2s_ike_status
 * @reason: for all of them
 */
void s2s_ike_track_set_all(struct s2s_ike_track *t, uint32_t status,
			   const char *reason)
{
	size_t i;

	for (i = 0; i < t->n_links; i++)
		s2s_ike_apply(&t->links[i], status, S2S_IKE_REPLACE, "%s",
			      reason);
}

/**
 * s2s_ike_track_event() - apply a "log" or "ike-updown" event
 * @t: tracker
 * @name: the event's name (others are ignored)
 * @tree: its message
 *
 * ike-updown without "up = yes" ends an attempt; with it, marks the IKE
 * SA established. Children are the caller's (s2s_ike_track_child()): it
 * knows which others are up.
 *
 * Return: true when a link's state changed; false also for a malformed
 * event.
 */
bool s2s_ike_track_event(struct s2s_ike_track *t, const char *name,
			 const struct s2s_vici_tree *tree)
{
	const struct s2s_vici_node *root = s2s_vici_root(tree), *n;
	char up[8], ike[S2S_VICI_NAME_LEN];
	struct s2s_ike_log l;
	bool changed = false;
	uint32_t id;
	int p;

	if (!strcmp(name, "log"))
		return !s2s_ike_log_parse(tree, &l) && s2s_ike_track_log(t, &l);
	if (strcmp(name, "ike-updown"))
		return false;
	for (n = s2s_vici_first(tree, root); n; n = s2s_vici_next(tree, n)) {
		if (n->type != S2S_VICI_NODE_SECTION)
			continue;
		memcpy(ike, n->name, n->name_len);
		ike[n->name_len] = '\0';
		if (!s2s_vici_get_str(tree, root, "up", up, sizeof(up)) &&
		    !strcmp(up, "yes")) {
			if (!s2s_vici_get_u32(tree, n, "uniqueid", 10, &id)) {
				p = s2s_ike_pending(t, id, true);
				t->pending[p].up = true;
			}
			continue;
		}
		if (strcmp(ike, "(unnamed)"))
			changed |= s2s_ike_track_ike_down(t, ike);
	}
	return changed;
}
