/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's forwarding of XFRM SAs into the module: the table of SAs it
 * forwarded (never their keys) and the state machine that turns XFRM
 * events into sa-new, sa-set and sa-del.
 *
 *   NEWSA, UPDSA, dump  -> sa-new (EEXIST: already there, kept as is)
 *                          or sa-set when only endpoints/limits changed
 *   DELSA               -> held for S2S_FWD_GRACE_MS, then sa-del
 *   DELSA + NEWSA, same SPI and keys within the grace
 *                       -> sa-set of the endpoints (charon's address
 *                          update: sequence numbers and replay state kept)
 *   hard EXPIRE, FLUSHSA -> sa-del at once
 *
 * Keys are recognised by a SipHash digest under a key of s2sd's own.
 * Everything with side effects goes through struct s2s_fwd_ops, so the
 * state machine is tested without a kernel.
 */
#ifndef S2S_HELPER_FWD_H
#define S2S_HELPER_FWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "addr.h"
#include "link.h"
#include "sa.h"
#include "sareq.h"
#include "siphash.h"
#include "xfrm.h"
#include "xfrmae.h"

/* How long a deleted SA may wait for its re-add with new addresses.
 * charon sends the NEWSA right after the DELSA, in the same job; half a
 * second is ample even on a loaded gateway and keeps a truly deleted
 * inbound SA alive only briefly.
 */
#define S2S_FWD_GRACE_MS	500

/**
 * struct s2s_fwd_ops - what the state machine does to the world
 * @sa_new: sa-new; 0 or a negative errno (-EEXIST: the module has it)
 * @sa_set: sa-set of endpoints and limits
 * @sa_del: sa-del (ifindex, dir and spi in the request)
 * @newae: XFRM_MSG_NEWAE; 0 or a negative errno
 * @is_local: whether an address is configured on this host
 * @now_ms: a monotonic clock, milliseconds
 * @wall_s: wall-clock seconds, as XFRM keeps use_time
 * @err: why the last operation failed, for the log
 * @selectors: optional; give an SA that XFRM knows no selectors of (charon
 *	installs tunnel SAs without) the ones IKE negotiated for it, found
 *	by its SPI or, for a rekey, by the reqid the child keeps
 */
struct s2s_fwd_ops {
	int (*sa_new)(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex);
	int (*sa_set)(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex);
	int (*sa_del)(void *ctx, const struct s2s_sa_req *req, uint32_t ifindex);
	int (*newae)(void *ctx, const struct s2s_xfrm_ae *ae);
	bool (*is_local)(void *ctx, uint16_t family, const xfrm_address_t *addr);
	uint64_t (*now_ms)(void *ctx);
	uint64_t (*wall_s)(void *ctx);
	const char *(*err)(void *ctx);
	void (*selectors)(void *ctx, struct s2s_sa_req *req, uint32_t reqid);
};

/**
 * struct s2s_fwd_sa - one SA forwarded into the module; no key material
 * @ifindex: the link
 * @dir: S2S_DIR_IN or S2S_DIR_OUT
 * @spi: host order, the module's id together with @ifindex and @dir
 * @ifname: the link's name, for messages
 * @ae: the XFRM copy's id, mark and usage, for NEWAE
 * @local: outer address on this gateway
 * @remote: the peer's
 * @encap_sport: our UDP port (0: raw ESP)
 * @encap_dport: the peer's UDP port
 * @soft: volume limits forwarded
 * @hard: likewise
 * @digest: SipHash of algorithms and keys
 * @delete_at: s2s_fwd_ops.now_ms() after which a held DELSA is carried
 *	out; 0 while XFRM has the SA
 * @seen: found by the current XFRM dump
 */
struct s2s_fwd_sa {
	uint32_t ifindex;
	uint32_t dir;
	uint32_t spi;
	char ifname[IFNAMSIZ];
	struct s2s_xfrm_ae ae;
	struct s2s_addr local;
	struct s2s_addr remote;
	uint16_t encap_sport;
	uint16_t encap_dport;
	struct s2s_lifetime soft;
	struct s2s_lifetime hard;
	uint64_t digest;
	uint64_t delete_at;
	bool seen;
};

/**
 * struct s2s_fwd - the forwarding state
 * @ops: side effects
 * @ctx: passed to @ops
 * @sas: the forwarded SAs
 * @n: how many
 * @cap: room allocated
 * @req: one request buffer in s2s_secret_alloc() memory, wiped after use
 * @key: the digest key, random per process (secret memory too)
 */
struct s2s_fwd {
	const struct s2s_fwd_ops *ops;
	void *ctx;
	struct s2s_fwd_sa *sas;
	size_t n;
	size_t cap;
	struct s2s_sa_req *req;
	uint8_t *key;
};

int s2s_fwd_init(struct s2s_fwd *f, const struct s2s_fwd_ops *ops, void *ctx);
void s2s_fwd_free(struct s2s_fwd *f);
int s2s_fwd_dir(bool src_local, bool dst_local, bool marked);
void s2s_fwd_xfrm(struct s2s_fwd *f, const struct nlmsghdr *nlh,
		  const struct s2s_xfrm_sa *sa, const struct s2s_link_list *links);
void s2s_fwd_flush(struct s2s_fwd *f, uint8_t proto);
void s2s_fwd_sync_begin(struct s2s_fwd *f);
void s2s_fwd_sync_end(struct s2s_fwd *f, const struct s2s_sa_list *module,
		      const struct s2s_link_list *links);
int64_t s2s_fwd_next_ms(const struct s2s_fwd *f);
void s2s_fwd_expire(struct s2s_fwd *f);
bool s2s_fwd_mirror(struct s2s_fwd *f, const struct s2s_sa_list *module);
const struct s2s_fwd_sa *s2s_fwd_find(const struct s2s_fwd *f,
				      uint32_t ifindex, uint32_t dir,
				      uint32_t spi);

#endif /* S2S_HELPER_FWD_H */
