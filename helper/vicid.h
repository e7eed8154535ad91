/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's vici side: connected to charon (reconnecting with backoff when
 * it restarts), it keeps the set of Child SAs that are up from
 * child-updown and child-rekey events and a list-sas at every connect,
 * and makes the kernel's routes of protocol S2S_RTPROT match them. From
 * the same events, ike-updown and charon's log it reports each link's
 * tunnel status into the module (ike_status.h).
 */
#ifndef S2S_HELPER_VICID_H
#define S2S_HELPER_VICID_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "client.h"
#include "ike_status.h"
#include "nl.h"
#include "vici_client.h"
#include "vici_sa.h"

/**
 * struct s2s_vicid - state of the vici side of s2sd
 * @path: charon's socket
 * @conn: the connection (fd -1 while charon is away)
 * @genl: s2s family client, for the links and their if-ids
 * @rt: NETLINK_ROUTE socket
 * @children: Child SAs that are up
 * @n_children: how many
 * @cap_children: room allocated
 * @retry_at: when to try connecting again (CLOCK_MONOTONIC)
 * @backoff_ms: the next delay
 * @dirty: routes must be reconciled
 * @warned_down: "charon not reachable" was logged for this outage
 * @ike: every link's tunnel status
 * @links_at: when @ike last learned the links (CLOCK_MONOTONIC seconds)
 * @warned_old_module: "predates ike-until-close" was logged
 */
struct s2s_vicid {
	const char *path;
	struct s2s_vici_conn conn;
	struct s2s_client genl;
	struct s2s_nl rt;
	struct s2s_vici_child *children;
	size_t n_children;
	size_t cap_children;
	struct timespec retry_at;
	int backoff_ms;
	bool dirty;
	bool warned_down;
	struct s2s_ike_track ike;
	time_t links_at;
	bool warned_old_module;
};

int s2s_vicid_open(struct s2s_vicid *v, const char *path);
void s2s_vicid_close(struct s2s_vicid *v);
int s2s_vicid_fd(const struct s2s_vicid *v);
int s2s_vicid_timeout(const struct s2s_vicid *v);
void s2s_vicid_run(struct s2s_vicid *v, short revents);
int s2s_vicid_reconcile(struct s2s_vicid *v);

void s2s_vicid_child_set(struct s2s_vicid *v, bool up,
			 const struct s2s_vici_child *c);
const struct s2s_vici_child *s2s_vicid_child_by_spi(const struct s2s_vicid *v,
						     uint32_t spi);
void s2s_vicid_sa_selectors(void *ctx, struct s2s_sa_req *req, uint32_t reqid);
int s2s_vicid_renew(struct s2s_vicid *v, uint32_t spi, const char *why);

#endif /* S2S_HELPER_VICID_H */
