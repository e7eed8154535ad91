/* SPDX-License-Identifier: GPL-2.0 */
/* The vici wire format (strongSwan's control socket): framing, packets,
 * a bounded message builder and a strict parser into a read-only tree.
 *
 * A frame is a 32-bit big-endian length followed by that many bytes of
 * packet: a type byte, for named types a name (8-bit length, no NUL),
 * then for some types a message. A message is a flat sequence of
 * elements that opens and closes sections and lists. Values are binary
 * blobs (16-bit length); charon sends text, but nothing here assumes it.
 */
#ifndef S2S_HELPER_VICI_H
#define S2S_HELPER_VICI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* charon refuses frames above 512 KiB; so do we, in both directions. */
#define S2S_VICI_FRAME_MAX	(512 * 1024)
#define S2S_VICI_HDR_LEN	4
/* Deeper than anything charon sends (child-rekey: 5 levels). */
#define S2S_VICI_DEPTH_MAX	16
/* Bounds the tree's memory whatever a peer sends (list-sas of hundreds
 * of tunnels stays far below).
 */
#define S2S_VICI_NODES_MAX	65536
#define S2S_VICI_NAME_MAX	255

enum s2s_vici_pkt_type {
	S2S_VICI_CMD_REQUEST = 0,
	S2S_VICI_CMD_RESPONSE = 1,
	S2S_VICI_CMD_UNKNOWN = 2,
	S2S_VICI_EVENT_REGISTER = 3,
	S2S_VICI_EVENT_UNREGISTER = 4,
	S2S_VICI_EVENT_CONFIRM = 5,
	S2S_VICI_EVENT_UNKNOWN = 6,
	S2S_VICI_EVENT = 7,
};

enum s2s_vici_elem {
	S2S_VICI_SECTION_START = 1,
	S2S_VICI_SECTION_END = 2,
	S2S_VICI_KEY_VALUE = 3,
	S2S_VICI_LIST_START = 4,
	S2S_VICI_LIST_ITEM = 5,
	S2S_VICI_LIST_END = 6,
};

/**
 * struct s2s_vici_builder - a packet being written into a fixed buffer
 * @buf: the caller's buffer, frame header included
 * @cap: its size
 * @len: bytes written so far
 * @err: first error (-ENOSPC, -EINVAL); later calls do nothing
 * @depth: sections open
 * @in_list: a list is open
 * @has_msg: the packet type carries a message
 */
struct s2s_vici_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
	unsigned int depth;
	bool in_list;
	bool has_msg;
};

void s2s_vici_begin(struct s2s_vici_builder *b, void *buf, size_t cap,
		    uint8_t type, const char *name);
void s2s_vici_section_start(struct s2s_vici_builder *b, const char *name);
void s2s_vici_section_end(struct s2s_vici_builder *b);
void s2s_vici_kv(struct s2s_vici_builder *b, const char *key,
		 const void *val, size_t len);
void s2s_vici_kv_str(struct s2s_vici_builder *b, const char *key,
		     const char *val);
void s2s_vici_kv_u32(struct s2s_vici_builder *b, const char *key,
		     uint32_t val);
void s2s_vici_list_start(struct s2s_vici_builder *b, const char *name);
void s2s_vici_list_item(struct s2s_vici_builder *b, const void *val,
			size_t len);
void s2s_vici_list_end(struct s2s_vici_builder *b);
int s2s_vici_finish(struct s2s_vici_builder *b);

/**
 * struct s2s_vici_packet - a received packet, pointing into its frame
 * @type: enum s2s_vici_pkt_type
 * @name: NUL-terminated copy of the name ("" for unnamed types)
 * @msg: the message bytes (NULL, 0 for types without one)
 * @msg_len: their number
 */
struct s2s_vici_packet {
	uint8_t type;
	char name[S2S_VICI_NAME_MAX + 1];
	const uint8_t *msg;
	size_t msg_len;
};

int s2s_vici_packet_parse(const void *data, size_t len,
			  struct s2s_vici_packet *pkt);
const char *s2s_vici_type_name(uint8_t type);

enum s2s_vici_node_type {
	S2S_VICI_NODE_SECTION,
	S2S_VICI_NODE_KV,
	S2S_VICI_NODE_LIST,
	S2S_VICI_NODE_ITEM,
};

#define S2S_VICI_NONE	UINT32_MAX

/**
 * struct s2s_vici_node - one section, key/value, list or list item
 * @type: enum s2s_vici_node_type
 * @name_len: length of @name (0 for items)
 * @name: not NUL-terminated, points into the message
 * @val: value of a key or item, points into the message
 * @val_len: its length
 * @first: index of the first child (S2S_VICI_NONE: none)
 * @next: index of the next sibling (S2S_VICI_NONE: none)
 */
struct s2s_vici_node {
	uint8_t type;
	uint8_t name_len;
	const uint8_t *name;
	const uint8_t *val;
	uint16_t val_len;
	uint32_t first;
	uint32_t next;
};

/**
 * struct s2s_vici_tree - a parsed message; node 0 is the root section
 * @nodes: all nodes, in message order
 * @n: how many
 *
 * Valid only while the message bytes it was parsed from are.
 */
struct s2s_vici_tree {
	struct s2s_vici_node *nodes;
	uint32_t n;
};

int s2s_vici_tree_parse(const uint8_t *msg, size_t len,
			struct s2s_vici_tree *t);
void s2s_vici_tree_free(struct s2s_vici_tree *t);
const struct s2s_vici_node *s2s_vici_root(const struct s2s_vici_tree *t);
const struct s2s_vici_node *s2s_vici_first(const struct s2s_vici_tree *t,
					   const struct s2s_vici_node *n);
const struct s2s_vici_node *s2s_vici_next(const struct s2s_vici_tree *t,
					  const struct s2s_vici_node *n);
const struct s2s_vici_node *s2s_vici_find(const struct s2s_vici_tree *t,
					  const struct s2s_vici_node *parent,
					  uint8_t type, const char *name);
bool s2s_vici_name_is(const struct s2s_vici_node *n, const char *name);
int s2s_vici_str(const struct s2s_vici_node *n, char *buf, size_t size);
int s2s_vici_get_str(const struct s2s_vici_tree *t,
		     const struct s2s_vici_node *parent, const char *key,
		     char *buf, size_t size);
int s2s_vici_get_u32(const struct s2s_vici_tree *t,
		     const struct s2s_vici_node *parent, const char *key,
		     int base, uint32_t *val);

/**
 * struct s2s_vici_rx - receive side of a stream: bytes until a frame
 * @buf: frame header and packet, grown up to S2S_VICI_FRAME_MAX + 4
 * @len: bytes held
 * @cap: bytes allocated
 */
struct s2s_vici_rx {
	uint8_t *buf;
	size_t len;
	size_t cap;
};

int s2s_vici_rx_space(struct s2s_vici_rx *rx, uint8_t **p, size_t *room);
void s2s_vici_rx_commit(struct s2s_vici_rx *rx, size_t n);
int s2s_vici_rx_frame(const struct s2s_vici_rx *rx, const uint8_t **pkt,
		      size_t *len);
void s2s_vici_rx_consume(struct s2s_vici_rx *rx, size_t pkt_len);
void s2s_vici_rx_free(struct s2s_vici_rx *rx);

#endif /* S2S_HELPER_VICI_H */
