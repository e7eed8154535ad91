// SPDX-License-Identifier: GPL-2.0
/* vici codec; see vici.h. Every length read from a peer is checked
 * against what is left before it is used: a malformed message is an
 * error, never a read past its end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vici.h"

/* Named packet types carry a name after the type byte. */
static bool s2s_vici_type_named(uint8_t type)
{
	return type == S2S_VICI_CMD_REQUEST ||
	       type == S2S_VICI_EVENT_REGISTER ||
	       type == S2S_VICI_EVENT_UNREGISTER ||
	       type == S2S_VICI_EVENT;
}

static bool s2s_vici_type_has_msg(uint8_t type)
{
	return type == S2S_VICI_CMD_REQUEST ||
	       type == S2S_VICI_CMD_RESPONSE ||
	       type == S2S_VICI_EVENT;
}

/**
 * s2s_vici_type_name() - a packet type for messages to the user
 * @type: enum s2s_vici_pkt_type
 *
 * Return: a static string, "unknown" for values out of range.
 */
const char *s2s_vici_type_name(uint8_t type)
{
	static const char *const names[] = {
		"CMD_REQUEST", "CMD_RESPONSE", "CMD_UNKNOWN",
		"EVENT_REGISTER", "EVENT_UNREGISTER", "EVENT_CONFIRM",
		"EVENT_UNKNOWN", "EVENT",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

static void s2s_vici_put(struct s2s_vici_builder *b, const void *p, size_t n)
{
	if (b->err)
		return;
	if (n > b->cap - b->len) {
		b->err = -ENOSPC;
		return;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void s2s_vici_put_u8(struct s2s_vici_builder *b, uint8_t v)
{
	s2s_vici_put(b, &v, 1);
}

static void s2s_vici_put_name(struct s2s_vici_builder *b, const char *name)
{
	size_t len = strlen(name);

	if (len > S2S_VICI_NAME_MAX) {
		if (!b->err)
			b->err = -EINVAL;
		return;
	}
	s2s_vici_put_u8(b, (uint8_t)len);
	s2s_vici_put(b, name, len);
}

static void s2s_vici_put_value(struct s2s_vici_builder *b, const void *val,
			       size_t len)
{
	uint8_t hdr[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	if (len > UINT16_MAX) {
		if (!b->err)
			b->err = -EINVAL;
		return;
	}
	s2s_vici_put(b, hdr, sizeof(hdr));
	s2s_vici_put(b, val, len);
}

/* An element only fits where the grammar allows it; a misuse is the
 * caller's bug, reported once as -EINVAL rather than sent to charon.
 */
static bool s2s_vici_may(struct s2s_vici_builder *b, bool want_list)
{
	if (b->err)
		return false;
	if (!b->has_msg || b->in_list != want_list) {
		b->err = -EINVAL;
		return false;
	}
	return true;
}

/**
 * s2s_vici_begin() - start a packet
 * @b: builder state to fill
 * @buf: where the frame goes (header included)
 * @cap: size of @buf
 * @type: enum s2s_vici_pkt_type
 * @name: command or event name for named types, else ignored
 *
 * Errors are kept in @b and returned by s2s_vici_finish().
 */
void s2s_vici_begin(struct s2s_vici_builder *b, void *buf, size_t cap,
		    uint8_t type, const char *name)
{
	static const uint8_t hdr[S2S_VICI_HDR_LEN];

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->has_msg = s2s_vici_type_has_msg(type);
	if (type > S2S_VICI_EVENT) {
		b->err = -EINVAL;
		return;
	}
	s2s_vici_put(b, hdr, sizeof(hdr));	/* length, set by finish */
	s2s_vici_put_u8(b, type);
	if (s2s_vici_type_named(type))
		s2s_vici_put_name(b, name ? name : "");
}

/**
 * s2s_vici_section_start() - open a section
 * @b: builder
 * @name: its name
 */
void s2s_vici_section_start(struct s2s_vici_builder *b, const char *name)
{
	if (!s2s_vici_may(b, false))
		return;
	if (b->depth >= S2S_VICI_DEPTH_MAX) {
		b->err = -EINVAL;
		return;
	}
	s2s_vici_put_u8(b, S2S_VICI_SECTION_START);
	s2s_vici_put_name(b, name);
	b->depth++;
}

/**
 * s2s_vici_section_end() - close the innermost section
 * @b: builder
 */
void s2s_vici_section_end(struct s2s_vici_builder *b)
{
	if (!s2s_vici_may(b, false))
		return;
	if (!b->depth) {
		b->err = -EINVAL;
		return;
	}
	s2s_vici_put_u8(b, S2S_VICI_SECTION_END);
	b->depth--;
}

/**
 * s2s_vici_kv() - add a key with a binary value
 * @b: builder
 * @key: the key
 * @val: value bytes
 * @len: their number, at most 65535
 */
void s2s_vici_kv(struct s2s_vici_builder *b, const char *key,
		 const void *val, size_t len)
{
	if (!s2s_vici_may(b, false))
		return;
	s2s_vici_put_u8(b, S2S_VICI_KEY_VALUE);
	s2s_vici_put_name(b, key);
	s2s_vici_put_value(b, val, len);
}

/**
 * s2s_vici_kv_str() - add a key with a text value (sent without NUL)
 * @b: builder
 * @key: the key
 * @val: the text
 */
void s2s_vici_kv_str(struct s2s_vici_builder *b, const char *key,
		     const char *val)
{
	s2s_vici_kv(b, key, val, strlen(val));
}

/**
 * s2s_vici_kv_u32() - add a key with a number, in decimal as charon wants
 * @b: builder
 * @key: the key
 * @val: the number
 */
void s2s_vici_kv_u32(struct s2s_vici_builder *b, const char *key,
		     uint32_t val)
{
	char num[16];

	snprintf(num, sizeof(num), "%u", val);
	s2s_vici_kv_str(b, key, num);
}

/**
 * s2s_vici_list_start() - open a list (lists do not nest)
 * @b: builder
 * @name: its name
 */
void s2s_vici_list_start(struct s2s_vici_builder *b, const char *name)
{
	if (!s2s_vici_may(b, false))
		return;
	s2s_vici_put_u8(b, S2S_VICI_LIST_START);
	s2s_vici_put_name(b, name);
	b->in_list = true;
}

/**
 * s2s_vici_list_item() - add an item to the open list
 * @b: builder
 * @val: value bytes
 * @len: their number, at most 65535
 */
void s2s_vici_list_item(struct s2s_vici_builder *b, const void *val,
			size_t len)
{
	if (!s2s_vici_may(b, true))
		return;
	s2s_vici_put_u8(b, S2S_VICI_LIST_ITEM);
	s2s_vici_put_value(b, val, len);
}

/**
 * s2s_vici_list_end() - close the open list
 * @b: builder
 */
void s2s_vici_list_end(struct s2s_vici_builder *b)
{
	if (!s2s_vici_may(b, true))
		return;
	s2s_vici_put_u8(b, S2S_VICI_LIST_END);
	b->in_list = false;
}

/**
 * s2s_vici_finish() - check the packet is complete and set its length
 * @b: builder
 *
 * Return: bytes of the frame in the buffer (header included), -ENOSPC
 * when it did not fit, -EINVAL on a misuse (unbalanced sections or
 * lists, elements in a packet type without message, names over 255
 * bytes, values over 65535 bytes).
 */
int s2s_vici_finish(struct s2s_vici_builder *b)
{
	size_t plen;

	if (!b->err && (b->depth || b->in_list))
		b->err = -EINVAL;
	if (!b->err && b->len - S2S_VICI_HDR_LEN > S2S_VICI_FRAME_MAX)
		b->err = -ENOSPC;
	if (b->err)
		return b->err;
	plen = b->len - S2S_VICI_HDR_LEN;
	b->buf[0] = (uint8_t)(plen >> 24);
	b->buf[1] = (uint8_t)(plen >> 16);
	b->buf[2] = (uint8_t)(plen >> 8);
	b->buf[3] = (uint8_t)plen;
	return (int)b->len;
}

/**
 * s2s_vici_packet_parse() - split a packet into type, name and message
 * @data: the packet (a frame without its 4-byte header)
 * @len: its length
 * @pkt: filled in; @pkt->msg points into @data
 *
 * Return: 0, or -EBADMSG for an empty packet, an unknown type, a name
 * longer than the packet, a name with a NUL, or bytes after a packet
 * type that carries no message.
 */
int s2s_vici_packet_parse(const void *data, size_t len,
			  struct s2s_vici_packet *pkt)
{
	const uint8_t *p = data;
	size_t off = 1;

	memset(pkt, 0, sizeof(*pkt));
	if (len < 1 || p[0] > S2S_VICI_EVENT)
		return -EBADMSG;
	pkt->type = p[0];
	if (s2s_vici_type_named(pkt->type)) {
		size_t nlen;

		if (len < 2)
			return -EBADMSG;
		nlen = p[1];
		if (nlen > len - 2 || memchr(p + 2, '\0', nlen))
			return -EBADMSG;
		memcpy(pkt->name, p + 2, nlen);
		pkt->name[nlen] = '\0';
		off = 2 + nlen;
	}
	if (s2s_vici_type_has_msg(pkt->type)) {
		pkt->msg = p + off;
		pkt->msg_len = len - off;
	} else if (off != len) {
		return -EBADMSG;
	}
	return 0;
}

/* A cursor over message bytes that never moves past the end. */
struct s2s_vici_cur {
	const uint8_t *p;
	size_t left;
};

static int s2s_vici_take(struct s2s_vici_cur *c, size_t n,
			 const uint8_t **out)
{
	if (n > c->left)
		return -EBADMSG;
	*out = c->p;
	c->p += n;
	c->left -= n;
	return 0;
}

static int s2s_vici_take_name(struct s2s_vici_cur *c,
			      struct s2s_vici_node *n)
{
	const uint8_t *len;

	if (s2s_vici_take(c, 1, &len))
		return -EBADMSG;
	n->name_len = *len;
	return s2s_vici_take(c, *len, &n->name);
}

static int s2s_vici_take_value(struct s2s_vici_cur *c,
			       struct s2s_vici_node *n)
{
	const uint8_t *len;

	if (s2s_vici_take(c, 2, &len))
		return -EBADMSG;
	n->val_len = (uint16_t)(len[0] << 8 | len[1]);
	return s2s_vici_take(c, n->val_len, &n->val);
}

/* Parser state while the tree is built. */
struct s2s_vici_walk {
	struct s2s_vici_tree *t;
	uint32_t cap;
	uint32_t open[S2S_VICI_DEPTH_MAX + 2];	/* root, sections, list */
	uint32_t last[S2S_VICI_DEPTH_MAX + 2];	/* last child of each */
	unsigned int depth;			/* index of innermost open */
	bool in_list;
};

static int s2s_vici_add(struct s2s_vici_walk *w, uint8_t type,
			struct s2s_vici_node **out)
{
	struct s2s_vici_tree *t = w->t;
	struct s2s_vici_node *n;
	uint32_t idx, parent;

	if (t->n >= S2S_VICI_NODES_MAX)
		return -E2BIG;
	if (t->n == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 64;

		n = realloc(t->nodes, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->nodes = n;
		w->cap = cap;
	}
	idx = t->n++;
	n = &t->nodes[idx];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->first = n->next = S2S_VICI_NONE;
	if (idx) {
		parent = w->open[w->depth];
		if (w->last[w->depth] == S2S_VICI_NONE)
			t->nodes[parent].first = idx;
		else
			t->nodes[w->last[w->depth]].next = idx;
		w->last[w->depth] = idx;
	}
	*out = n;
	return 0;
}

static int s2s_vici_open(struct s2s_vici_walk *w)
{
	if (w->depth + 1 >= S2S_VICI_DEPTH_MAX + 2)
		return -E2BIG;
	w->depth++;
	w->open[w->depth] = w->t->n - 1;
	w->last[w->depth] = S2S_VICI_NONE;
	return 0;
}

static int s2s_vici_elem(struct s2s_vici_walk *w, struct s2s_vici_cur *c)
{
	struct s2s_vici_node *n;
	const uint8_t *type;
	int err;

	if (s2s_vici_take(c, 1, &type))
		return -EBADMSG;
	/* inside a list only items and its end; lists never nest */
	if (w->in_list != (*type == S2S_VICI_LIST_ITEM ||
			   *type == S2S_VICI_LIST_END))
		return -EBADMSG;
	switch (*type) {
	case S2S_VICI_SECTION_START:
		if (w->depth >= S2S_VICI_DEPTH_MAX)
			return -E2BIG;
		err = s2s_vici_add(w, S2S_VICI_NODE_SECTION, &n);
		if (!err)
			err = s2s_vici_take_name(c, n);
		return err ? err : s2s_vici_open(w);
	case S2S_VICI_SECTION_END:
		if (!w->depth)
			return -EBADMSG;
		w->depth--;
		return 0;
	case S2S_VICI_KEY_VALUE:
		err = s2s_vici_add(w, S2S_VICI_NODE_KV, &n);
		if (!err)
			err = s2s_vici_take_name(c, n);
		return err ? err : s2s_vici_take_value(c, n);
	case S2S_VICI_LIST_START:
		err = s2s_vici_add(w, S2S_VICI_NODE_LIST, &n);
		if (!err)
			err = s2s_vici_take_name(c, n);
		if (!err)
			err = s2s_vici_open(w);
		w->in_list = !err;
		return err;
	case S2S_VICI_LIST_ITEM:
		err = s2s_vici_add(w, S2S_VICI_NODE_ITEM, &n);
		return err ? err : s2s_vici_take_value(c, n);
	case S2S_VICI_LIST_END:
		w->depth--;
		w->in_list = false;
		return 0;
	}
	return -EBADMSG;
}

/**
 * s2s_vici_tree_parse() - check a message and index it as a tree
 * @msg: message bytes (struct s2s_vici_packet.msg)
 * @len: their number
 * @t: the tree; free with s2s_vici_tree_free(), even after an error
 *
 * Return: 0; -EBADMSG for an unknown element, a truncated name or
 * value, an element where the grammar forbids it, or sections or a list
 * left open; -E2BIG when nesting exceeds S2S_VICI_DEPTH_MAX or nodes
 * S2S_VICI_NODES_MAX; -ENOMEM.
 */
int s2s_vici_tree_parse(const uint8_t *msg, size_t len,
			struct s2s_vici_tree *t)
{
	struct s2s_vici_cur c = { .p = msg, .left = len };
	struct s2s_vici_walk w = { .t = t };
	struct s2s_vici_node *root;
	int err;

	memset(t, 0, sizeof(*t));
	err = s2s_vici_add(&w, S2S_VICI_NODE_SECTION, &root);
	if (err)
		return err;
	w.open[0] = 0;
	w.last[0] = S2S_VICI_NONE;
	while (c.left) {
		err = s2s_vici_elem(&w, &c);
		if (err)
			return err;
	}
	return w.depth || w.in_list ? -EBADMSG : 0;
}

/**
 * s2s_vici_tree_free() - release the index (the message is the caller's)
 * @t: a tree, parsed or not; safe to call twice
 */
void s2s_vici_tree_free(struct s2s_vici_tree *t)
{
	free(t->nodes);
	t->nodes = NULL;
	t->n = 0;
}

/**
 * s2s_vici_root() - the implicit root section
 * @t: a parsed tree
 *
 * Return: the root node.
 */
const struct s2s_vici_node *s2s_vici_root(const struct s2s_vici_tree *t)
{
	return &t->nodes[0];
}

/**
 * s2s_vici_first() - first child of a section or list
 * @t: the tree
 * @n: a node of @t
 *
 * Return: the child or NULL.
 */
const struct s2s_vici_node *s2s_vici_first(const struct s2s_vici_tree *t,
					   const struct s2s_vici_node *n)
{
	return n->first == S2S_VICI_NONE ? NULL : &t->nodes[n->first];
}

/**
 * s2s_vici_next() - next sibling
 * @t: the tree
 * @n: a node of @t
 *
 * Return: the sibling or NULL.
 */
const struct s2s_vici_node *s2s_vici_next(const struct s2s_vici_tree *t,
					  const struct s2s_vici_node *n)
{
	return n->next == S2S_VICI_NONE ? NULL : &t->nodes[n->next];
}

/**
 * s2s_vici_name_is() - compare a node's name with a string
 * @n: the node
 * @name: NUL-terminated name
 *
 * Return: true when equal (a name with an embedded NUL never is).
 */
bool s2s_vici_name_is(const struct s2s_vici_node *n, const char *name)
{
	size_t len = strlen(name);

	return len == n->name_len && !memcmp(n->name, name, len);
}

/**
 * s2s_vici_find() - a direct child by type and name
 * @t: the tree
 * @parent: section (or list) to look in
 * @type: enum s2s_vici_node_type
 * @name: its name
 *
 * Return: the first match or NULL.
 */
const struct s2s_vici_node *s2s_vici_find(const struct s2s_vici_tree *t,
					  const struct s2s_vici_node *parent,
					  uint8_t type, const char *name)
{
	const struct s2s_vici_node *n;

	for (n = s2s_vici_first(t, parent); n; n = s2s_vici_next(t, n))
		if (n->type == type && s2s_vici_name_is(n, name))
			return n;
	return NULL;
}

/**
 * s2s_vici_str() - a value as a C string
 * @n: key/value or list item
 * @buf: output
 * @size: size of @buf
 *
 * Return: 0; -EINVAL for a node without value or a value holding a NUL
 * (it is not text); -ENAMETOOLONG when it does not fit (@buf is then "").
 */
int s2s_vici_str(const struct s2s_vici_node *n, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (n->type != S2S_VICI_NODE_KV && n->type != S2S_VICI_NODE_ITEM)
		return -EINVAL;
	if (memchr(n->val, '\0', n->val_len))
		return -EINVAL;
	if (n->val_len >= size)
		return -ENAMETOOLONG;
	memcpy(buf, n->val, n->val_len);
	buf[n->val_len] = '\0';
	return 0;
}

/**
 * s2s_vici_get_str() - text value of a key of a section
 * @t: the tree
 * @parent: the section
 * @key: the key
 * @buf: output
 * @size: size of @buf
 *
 * Return: 0, -ENOENT when there is no such key, or an s2s_vici_str() error.
 */
int s2s_vici_get_str(const struct s2s_vici_tree *t,
		     const struct s2s_vici_node *parent, const char *key,
		     char *buf, size_t size)
{
	const struct s2s_vici_node *n;

	n = s2s_vici_find(t, parent, S2S_VICI_NODE_KV, key);
	if (!n) {
		if (size)
			buf[0] = '\0';
		return -ENOENT;
	}
	return s2s_vici_str(n, buf, size);
}

/**
 * s2s_vici_get_u32() - numeric value of a key of a section
 * @t: the tree
 * @parent: the section
 * @key: the key
 * @base: 10 for unique ids, 16 for if-ids (charon prints them in hex)
 * @val: the number
 *
 * Return: 0, -ENOENT when there is no such key, -EINVAL when the value
 * is not a whole number in @base or exceeds 32 bits.
 */
int s2s_vici_get_u32(const struct s2s_vici_tree *t,
		     const struct s2s_vici_node *parent, const char *key,
		     int base, uint32_t *val)
{
	unsigned long long v;
	char num[24], *end;
	int err;

	err = s2s_vici_get_str(t, parent, key, num, sizeof(num));
	if (err)
		return err == -ENAMETOOLONG ? -EINVAL : err;
	/* strtoull accepts signs and spaces; a number here has none */
	if (!num[0] || num[0] == '-' || num[0] == '+' || num[0] == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(num, &end, base);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*val = (uint32_t)v;
	return 0;
}

/* Enough for most frames at once; bigger ones grow the buffer. */
#define S2S_VICI_RX_CHUNK	8192

static uint32_t s2s_vici_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/**
 * s2s_vici_rx_space() - where the next read() should put its bytes
 * @rx: receive state
 * @p: set to the free space
 * @room: set to its size (> 0)
 *
 * Grows the buffer to hold the whole frame whose header was read.
 * Old contents are wiped when moved: messages may hold secrets.
 *
 * Return: 0, -EMSGSIZE when the pending frame announces more than
 * S2S_VICI_FRAME_MAX bytes, -ENOMEM.
 */
int s2s_vici_rx_space(struct s2s_vici_rx *rx, uint8_t **p, size_t *room)
{
	size_t want = S2S_VICI_RX_CHUNK;

	if (rx->len >= S2S_VICI_HDR_LEN) {
		uint32_t plen = s2s_vici_be32(rx->buf);

		if (plen > S2S_VICI_FRAME_MAX)
			return -EMSGSIZE;
		if (plen + S2S_VICI_HDR_LEN > want)
			want = plen + S2S_VICI_HDR_LEN;
	}
	if (want > rx->cap || rx->len == rx->cap) {
		uint8_t *nb;

		if (want <= rx->cap)
			want = rx->cap + S2S_VICI_RX_CHUNK;
		nb = malloc(want);
		if (!nb)
			return -ENOMEM;
		if (rx->buf) {
			memcpy(nb, rx->buf, rx->len);
			explicit_bzero(rx->buf, rx->cap);
			free(rx->buf);
		}
		rx->buf = nb;
		rx->cap = want;
	}
	*p = rx->buf + rx->len;
	*room = rx->cap - rx->len;
	return 0;
}

/**
 * s2s_vici_rx_commit() - account for bytes a read() put at the space
 * @rx: receive state
 * @n: bytes read, at most the room s2s_vici_rx_space() gave
 */
void s2s_vici_rx_commit(struct s2s_vici_rx *rx, size_t n)
{
	rx->len += n;
}

/**
 * s2s_vici_rx_frame() - the first complete packet, if there is one
 * @rx: receive state
 * @pkt: set to the packet (after the header)
 * @len: set to its length
 *
 * Return: 1 with a packet, 0 when more bytes are needed, -EMSGSIZE for
 * a frame over S2S_VICI_FRAME_MAX, -EBADMSG for an empty one (the
 * stream is then out of step and must be dropped).
 */
int s2s_vici_rx_frame(const struct s2s_vici_rx *rx, const uint8_t **pkt,
		      size_t *len)
{
	uint32_t plen;

	if (rx->len < S2S_VICI_HDR_LEN)
		return 0;
	plen = s2s_vici_be32(rx->buf);
	if (plen > S2S_VICI_FRAME_MAX)
		return -EMSGSIZE;
	if (!plen)
		return -EBADMSG;
	if (rx->len - S2S_VICI_HDR_LEN < plen)
		return 0;
	*pkt = rx->buf + S2S_VICI_HDR_LEN;
	*len = plen;
	return 1;
}

/**
 * s2s_vici_rx_consume() - drop the packet s2s_vici_rx_frame() returned
 * @rx: receive state
 * @pkt_len: the packet's length
 */
void s2s_vici_rx_consume(struct s2s_vici_rx *rx, size_t pkt_len)
{
	size_t n = S2S_VICI_HDR_LEN + pkt_len;

	memmove(rx->buf, rx->buf + n, rx->len - n);
	rx->len -= n;
	explicit_bzero(rx->buf + rx->len, n);
}

/**
 * s2s_vici_rx_free() - wipe and free the buffer
 * @rx: receive state; reusable afterwards
 */
void s2s_vici_rx_free(struct s2s_vici_rx *rx)
{
	if (rx->buf) {
		explicit_bzero(rx->buf, rx->cap);
		free(rx->buf);
	}
	memset(rx, 0, sizeof(*rx));
}
