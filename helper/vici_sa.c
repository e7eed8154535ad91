// SPDX-License-Identifier: GPL-2.0
/* Child SA messages of charon; see vici_sa.h. The layout is the one of
 * strongSwan 5.9 (tests/data/vici/README): a section per IKE SA, in it
 * "child-sas" with a section per Child SA ("NAME-ID", or in child-rekey
 * "NAME" holding "old" and "new").
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vici_sa.h"

/**
 * s2s_vici_state_up() - whether a Child SA in this state carries traffic
 * @state: charon's state name
 *
 * A child being rekeyed or updated still does; REKEYED ones were
 * replaced by a new child that is reported on its own.
 *
 * Return: true for INSTALLED, REKEYING and UPDATING.
 */
bool s2s_vici_state_up(const char *state)
{
	return !strcmp(state, "INSTALLED") || !strcmp(state, "REKEYING") ||
	       !strcmp(state, "UPDATING");
}

static void s2s_vici_name(const struct s2s_vici_node *n, char *buf)
{
	memcpy(buf, n->name, n->name_len);
	buf[n->name_len] = '\0';
}

/* An absent if-id is 0 (charon leaves it out then). */
static int s2s_vici_if_id(const struct s2s_vici_tree *t,
			  const struct s2s_vici_node *child, const char *key,
			  uint32_t *if_id)
{
	int err = s2s_vici_get_u32(t, child, key, 16, if_id);

	if (err == -ENOENT) {
		*if_id = 0;
		return 0;
	}
	return err;
}

/* @key ("local-ts" or "remote-ts") into @ts; the first selector left out
 * is explained in c->ts_err.
 */
static void s2s_vici_ts(const struct s2s_vici_tree *t,
			const struct s2s_vici_node *child, const char *key,
			struct s2s_prefix *ts, size_t *n_ts,
			struct s2s_vici_child *c)
{
	const char *side = strcmp(key, "local-ts") ? "remote" : "local";
	const struct s2s_vici_node *list, *item;
	char text[2 * S2S_PREFIX_STRLEN + 32], why[S2S_TS_ERR_MAX];
	int n;

	list = s2s_vici_find(t, child, S2S_VICI_NODE_LIST, key);
	if (!list)
		return;
	for (item = s2s_vici_first(t, list); item; item = s2s_vici_next(t, item)) {
		if (s2s_vici_str(item, text, sizeof(text))) {
			snprintf(why, sizeof(why), "a %s selector is not text or too long",
				 side);
			n = -EINVAL;
		} else {
			n = s2s_ts_parse(text, ts + *n_ts,
					 S2S_VICI_TS_MAX - *n_ts, why,
					 sizeof(why));
			if (n == -E2BIG && *n_ts + S2S_TS_PREFIXES_MAX > S2S_VICI_TS_MAX)
				snprintf(why, sizeof(why),
					 "more than %d %s prefixes",
					 S2S_VICI_TS_MAX, side);
		}
		if (n > 0)
			*n_ts += (size_t)n;
		else if (!c->ts_err[0])
			snprintf(c->ts_err, sizeof(c->ts_err), "%s", why);
	}
}

/* One Child SA section. Return: 0 or -EBADMSG. */
static int s2s_vici_child_parse(const struct s2s_vici_tree *t,
				const struct s2s_vici_node *ike,
				const struct s2s_vici_node *child,
				struct s2s_vici_child *c)
{
	memset(c, 0, sizeof(*c));
	s2s_vici_name(ike, c->ike);
	if (s2s_vici_get_u32(t, ike, "uniqueid", 10, &c->ike_id) ||
	    s2s_vici_get_str(t, child, "name", c->name, sizeof(c->name)) ||
	    s2s_vici_get_u32(t, child, "uniqueid", 10, &c->id) ||
	    s2s_vici_get_str(t, child, "state", c->state, sizeof(c->state)) ||
	    s2s_vici_if_id(t, child, "if-id-in", &c->if_id_in) ||
	    s2s_vici_if_id(t, child, "if-id-out", &c->if_id_out))
		return -EBADMSG;
	/* Hex, and absent before the child is installed: optional. They
	 * name the child when the module reports one of its SAs.
	 */
	if (s2s_vici_get_u32(t, child, "spi-in", 16, &c->spi_in))
		c->spi_in = 0;
	if (s2s_vici_get_u32(t, child, "spi-out", 16, &c->spi_out))
		c->spi_out = 0;
	if (s2s_vici_get_u32(t, child, "reqid", 10, &c->reqid))
		c->reqid = 0;
	s2s_vici_ts(t, child, "remote-ts", c->ts, &c->n_ts, c);
	s2s_vici_ts(t, child, "local-ts", c->lts, &c->n_lts, c);
	return 0;
}

enum s2s_vici_kind { S2S_VICI_UPDOWN, S2S_VICI_REKEY, S2S_VICI_LIST };

static int s2s_vici_report(const struct s2s_vici_tree *t,
			   const struct s2s_vici_node *ike,
			   const struct s2s_vici_node *child, int up,
			   s2s_vici_child_cb cb, void *ctx)
{
	struct s2s_vici_child c;

	if (!child || child->type != S2S_VICI_NODE_SECTION)
		return -EBADMSG;
	if (s2s_vici_child_parse(t, ike, child, &c))
		return -EBADMSG;
	cb(up < 0 ? s2s_vici_state_up(c.state) : up, &c, ctx);
	return 1;
}

static int s2s_vici_children(const struct s2s_vici_tree *t,
			     const struct s2s_vici_node *ike,
			     enum s2s_vici_kind kind, bool up,
			     s2s_vici_child_cb cb, void *ctx)
{
	const struct s2s_vici_node *sas, *n;
	int count = 0, err;

	sas = s2s_vici_find(t, ike, S2S_VICI_NODE_SECTION, "child-sas");
	if (!sas)
		return 0;
	for (n = s2s_vici_first(t, sas); n; n = s2s_vici_next(t, n)) {
		if (n->type != S2S_VICI_NODE_SECTION)
			continue;
		switch (kind) {
		case S2S_VICI_UPDOWN:
			err = s2s_vici_report(t, ike, n, up, cb, ctx);
			break;
		case S2S_VICI_REKEY:
			/* new first: its routes are in place before the
			 * old child's go
			 */
			err = s2s_vici_report(t, ike, s2s_vici_find(t, n,
					      S2S_VICI_NODE_SECTION, "new"),
					      true, cb, ctx);
			if (err > 0)
				err = s2s_vici_report(t, ike, s2s_vici_find(t, n,
						      S2S_VICI_NODE_SECTION, "old"),
						      false, cb, ctx);
			break;
		default:
			err = s2s_vici_report(t, ike, n, -1, cb, ctx);
			break;
		}
		if (err < 0)
			return err;
		count++;
	}
	return count;
}

/**
 * s2s_vici_sa_event() - report the Child SAs of an event message
 * @event: "child-updown", "child-rekey" or "list-sa" (others: ignored)
 * @t: its message
 * @cb: called per Child SA: up for child-updown with up=yes, for the
 *	new child of a rekey, and for listed children whose state carries
 *	traffic; down otherwise
 * @ctx: passed to @cb
 *
 * Return: number of children reported, or -EBADMSG when a child lacks
 * its name, unique id or state or has a malformed if-id (children
 * before it were reported). Unusable selectors do not fail: they are
 * left out and described in the child's @ts_err.
 */
int s2s_vici_sa_event(const char *event, const struct s2s_vici_tree *t,
		      s2s_vici_child_cb cb, void *ctx)
{
	const struct s2s_vici_node *root = s2s_vici_root(t), *ike;
	enum s2s_vici_kind kind;
	int count = 0, n;
	char up[8];
	bool is_up;

	if (!strcmp(event, "child-updown"))
		kind = S2S_VICI_UPDOWN;
	else if (!strcmp(event, "child-rekey"))
		kind = S2S_VICI_REKEY;
	else if (!strcmp(event, "list-sa"))
		kind = S2S_VICI_LIST;
	else
		return 0;
	/* charon sends "up = yes" when up and no "up" at all when down */
	is_up = !s2s_vici_get_str(t, root, "up", up, sizeof(up)) &&
		!strcmp(up, "yes");
	for (ike = s2s_vici_first(t, root); ike; ike = s2s_vici_next(t, ike)) {
		if (ike->type != S2S_VICI_NODE_SECTION)
			continue;
		n = s2s_vici_children(t, ike, kind, is_up, cb, ctx);
		if (n < 0)
			return n;
		count += n;
	}
	return count;
}

/**
 * s2s_vici_cmd_list_sas() - a list-sas request (answers with list-sa events)
 * @buf: frame buffer
 * @cap: its size
 *
 * Return: frame length or a negative errno from s2s_vici_finish().
 */
int s2s_vici_cmd_list_sas(void *buf, size_t cap)
{
	struct s2s_vici_builder b;

	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_REQUEST, "list-sas");
	/* noblock: do not wait for IKE SAs busy with an exchange */
	s2s_vici_kv_str(&b, "noblock", "yes");
	return s2s_vici_finish(&b);
}

static void s2s_vici_ids(struct s2s_vici_builder *b, uint32_t child_id,
			 uint32_t ike_id)
{
	if (child_id)
		s2s_vici_kv_u32(b, "child-id", child_id);
	if (ike_id)
		s2s_vici_kv_u32(b, "ike-id", ike_id);
}

/**
 * s2s_vici_cmd_rekey() - a rekey request by unique id
 * @buf: frame buffer
 * @cap: its size
 * @child_id: Child SA unique id (0: none)
 * @ike_id: IKE SA unique id (0: none)
 *
 * Return: frame length, -EINVAL when both ids are 0, or an error of
 * s2s_vici_finish().
 */
int s2s_vici_cmd_rekey(void *buf, size_t cap, uint32_t child_id,
		       uint32_t ike_id)
{
	struct s2s_vici_builder b;

	if (!child_id && !ike_id)
		return -EINVAL;
	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_REQUEST, "rekey");
	s2s_vici_ids(&b, child_id, ike_id);
	return s2s_vici_finish(&b);
}

/**
 * s2s_vici_cmd_terminate() - a terminate request by unique id
 * @buf: frame buffer
 * @cap: its size
 * @child_id: Child SA unique id (0: none)
 * @ike_id: IKE SA unique id (0: none)
 * @timeout_ms: how long charon waits for the peer (-1: answer at once)
 *
 * Return: frame length, -EINVAL when both ids are 0, or an error of
 * s2s_vici_finish().
 */
int s2s_vici_cmd_terminate(void *buf, size_t cap, uint32_t child_id,
			   uint32_t ike_id, int timeout_ms)
{
	struct s2s_vici_builder b;
	char num[16];

	if (!child_id && !ike_id)
		return -EINVAL;
	s2s_vici_begin(&b, buf, cap, S2S_VICI_CMD_REQUEST, "terminate");
	s2s_vici_ids(&b, child_id, ike_id);
	snprintf(num, sizeof(num), "%d", timeout_ms);
	s2s_vici_kv_str(&b, "timeout", num);
	return s2s_vici_finish(&b);
}

/**
 * s2s_vici_result() - the outcome of a command's response
 * @t: the response message
 * @errmsg: charon's reason on failure ("" when it gave none)
 * @size: size of @errmsg
 *
 * Return: 0 for "success = yes", -EIO for "no", -EBADMSG without one.
 */
int s2s_vici_result(const struct s2s_vici_tree *t, char *errmsg,
		    size_t size)
{
	const struct s2s_vici_node *root = s2s_vici_root(t);
	char ok[8];

	if (s2s_vici_get_str(t, root, "errmsg", errmsg, size) == -ENAMETOOLONG)
		snprintf(errmsg, size, "(reason too long)");
	if (s2s_vici_get_str(t, root, "success", ok, sizeof(ok)))
		return -EBADMSG;
	if (!strcmp(ok, "yes"))
		return 0;
	return !strcmp(ok, "no") ? -EIO : -EBADMSG;
}
