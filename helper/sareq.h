/* SPDX-License-Identifier: GPL-2.0 */
/* SA requests from the command line: the words of `s2sctl sa add|set|
 * del|get|flush DEV ...` checked and turned into the attributes of
 * sa-new, sa-set, sa-del, sa-get and sa-flush.
 *
 * A struct s2s_sa_req holds key bytes: allocate it with
 * s2s_secret_alloc() and free it with s2s_secret_free(), which wipes it.
 */
#ifndef S2S_HELPER_SAREQ_H
#define S2S_HELPER_SAREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "addr.h"
#include "keys.h"
#include "sa.h"

/* Request buffer for SA operations: keys plus many selectors fit. */
#define S2S_SA_REQ_SIZE		8192
#define S2S_SA_REQ_ERR_MAX	256

/**
 * enum s2s_sa_op - which `s2sctl sa` command the words are for
 * @S2S_SA_OP_ADD: sa-new
 * @S2S_SA_OP_SET: sa-set
 * @S2S_SA_OP_DEL: sa-del
 * @S2S_SA_OP_GET: sa-get (do)
 * @S2S_SA_OP_FLUSH: sa-flush
 */
enum s2s_sa_op {
	S2S_SA_OP_ADD,
	S2S_SA_OP_SET,
	S2S_SA_OP_DEL,
	S2S_SA_OP_GET,
	S2S_SA_OP_FLUSH,
};

/**
 * struct s2s_sa_req - what the command line asked for
 * @given: bit (1 << S2S_A_SA_*) per attribute to send
 * @ifname: the link (DEV)
 * @dir: enum s2s_dir
 * @spi: host order
 * @enc: enum s2s_enc
 * @integ: enum s2s_integ
 * @replay_window: inbound window, packets
 * @esn: extended sequence numbers
 * @legacy_enc: @enc is kept for legacy peers only (warn the user)
 * @legacy_integ: @integ is kept for legacy peers only (warn the user)
 * @encap_sport: UDP source port, with @encap_dport (0 0: raw ESP)
 * @encap_dport: UDP destination port
 * @seq: initial sequence number
 * @local: outer address on this gateway
 * @remote: the peer's outer address
 * @n_ts_local: entries in @ts_local
 * @n_ts_remote: entries in @ts_remote
 * @ts_local: inner prefixes on this side
 * @ts_remote: inner prefixes on the peer's side
 * @soft: soft limits; its present bits say which were given
 * @hard: hard limits; likewise
 * @key: encryption key (AEADs: salt included)
 * @ikey: integrity key
 */
struct s2s_sa_req {
	uint64_t given;
	char ifname[IFNAMSIZ];
	uint32_t dir;
	uint32_t spi;
	uint32_t enc;
	uint32_t integ;
	uint32_t replay_window;
	bool esn;
	bool legacy_enc;
	bool legacy_integ;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint64_t seq;
	struct s2s_addr local;
	struct s2s_addr remote;
	unsigned int n_ts_local;
	unsigned int n_ts_remote;
	struct s2s_prefix ts_local[S2S_SA_SELECTORS_MAX];
	struct s2s_prefix ts_remote[S2S_SA_SELECTORS_MAX];
	struct s2s_lifetime soft;
	struct s2s_lifetime hard;
	struct s2s_key key;
	struct s2s_key ikey;
};

int s2s_sa_req_parse(struct s2s_sa_req *req, enum s2s_sa_op op, int argc,
		     char **argv, int stdin_fd, char *err, size_t size);
int s2s_sa_req_put(const struct s2s_sa_req *req, uint32_t ifindex,
		   struct nlmsghdr *nlh, size_t bufsize);

#endif /* S2S_HELPER_SAREQ_H */
