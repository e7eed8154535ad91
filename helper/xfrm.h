/* SPDX-License-Identifier: GPL-2.0 */
/* Reading XFRM SA messages (dump replies, SA and EXPIRE notifications)
 * without their keys: struct s2s_xfrm_sa has no room for key bytes, and
 * the parser has no rule for XFRMA_ALG_*, so they are never copied.
 */
#ifndef S2S_HELPER_XFRM_H
#define S2S_HELPER_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

/**
 * enum s2s_xfrm_kind - why we are looking at an SA
 * @S2S_XFRM_EXISTING: found by a dump
 * @S2S_XFRM_NEW: XFRM_MSG_NEWSA notification
 * @S2S_XFRM_UPDATE: XFRM_MSG_UPDSA notification
 * @S2S_XFRM_DELETE: XFRM_MSG_DELSA notification
 * @S2S_XFRM_EXPIRE_SOFT: XFRM_MSG_EXPIRE, soft limit reached
 * @S2S_XFRM_EXPIRE_HARD: XFRM_MSG_EXPIRE, hard limit reached (SA gone)
 * @S2S_XFRM_FLUSH: XFRM_MSG_FLUSHSA: every SA of @proto is gone
 */
enum s2s_xfrm_kind {
	S2S_XFRM_EXISTING,
	S2S_XFRM_NEW,
	S2S_XFRM_UPDATE,
	S2S_XFRM_DELETE,
	S2S_XFRM_EXPIRE_SOFT,
	S2S_XFRM_EXPIRE_HARD,
	S2S_XFRM_FLUSH,
};

/**
 * struct s2s_xfrm_sa - an XFRM SA, minus its keys
 * @present: bit (1 << XFRMA_*) for attributes read (IF_ID, MARK, ENCAP, SA)
 * @kind: enum s2s_xfrm_kind
 * @family: address family of @saddr and @daddr
 * @proto: IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP (flush: IPSEC_PROTO_ANY too)
 * @mode: XFRM_MODE_*
 * @has_saddr: false for a DELSA that came without XFRMA_SA
 * @spi: network byte order, as in the packets
 * @reqid: charon's reqid, to correlate with `swanctl --list-sas`
 * @saddr: outer source address
 * @daddr: outer destination address
 * @if_id: XFRMA_IF_ID, 0 when absent
 * @mark: XFRMA_MARK
 * @encap: XFRMA_ENCAP (UDP encapsulation ports)
 * @flags: XFRM_STATE_* (ESN among them)
 * @replay_window: the header's window (non-ESN SAs)
 * @sel: the SA's selector (all zero: any)
 * @lft: configured limits, XFRM_INF for none
 * @curlft: XFRM's usage record; add_time is what its lifetimes count from
 */
struct s2s_xfrm_sa {
	uint64_t present;
	enum s2s_xfrm_kind kind;
	uint16_t family;
	uint8_t proto;
	uint8_t mode;
	bool has_saddr;
	uint32_t spi;
	uint32_t reqid;
	xfrm_address_t saddr;
	xfrm_address_t daddr;
	uint32_t if_id;
	struct xfrm_mark mark;
	struct xfrm_encap_tmpl encap;
	uint8_t flags;
	uint8_t replay_window;
	struct xfrm_selector sel;
	struct xfrm_lifetime_cfg lft;
	struct xfrm_lifetime_cur curlft;
};

/* Room for any line s2s_xfrm_format() writes. */
#define S2S_XFRM_LINE_MAX	256

int s2s_xfrm_parse(const struct nlmsghdr *nlh, struct s2s_xfrm_sa *sa);
size_t s2s_xfrm_format(const struct s2s_xfrm_sa *sa, const char *link,
		       char *buf, size_t size);
const char *s2s_xfrm_kind_name(enum s2s_xfrm_kind kind);
struct nlmsghdr *s2s_xfrm_dump_request(void *buf);

#endif /* S2S_HELPER_XFRM_H */
