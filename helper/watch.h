/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's view of the XFRM SAD: which SAs belong to s2s links, found by a
 * dump at start (and after lost events) and kept up to date from the SA
 * and EXPIRE multicast groups. With forwarding on (s2s_watch_forward()),
 * those SAs go into the module (fwd.c), the module's counters come back
 * into XFRM, and the module's events are logged and handed to a hook.
 *
 * Everything the watcher waits for (XFRM events, module events, its
 * timers) sits behind one descriptor, s2s_watch_fd().
 */
#ifndef S2S_HELPER_WATCH_H
#define S2S_HELPER_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "fwd.h"
#include "link.h"
#include "nl.h"

/* How often the module's counters are copied into XFRM by default. */
#define S2S_WATCH_MIRROR_MS	10000

/**
 * typedef s2s_watch_event_fn - what to do about a module event
 * @ctx: s2s_watch.event_ctx
 * @sa: the sa-ntf notification (event, SA id, counters)
 * @ifname: the link's name, or NULL when unknown
 * @fwd: the XFRM SA it was forwarded from (reqid, XFRM SPI and
 *	addresses, to find charon's CHILD_SA), or NULL for a manual SA
 */
typedef void (*s2s_watch_event_fn)(void *ctx, const struct s2s_sa *sa,
				   const char *ifname,
				   const struct s2s_fwd_sa *fwd);

/**
 * struct s2s_watch - sockets and tables of the SA watcher
 * @genl: s2s family client, for the link table and SA requests
 * @modev: s2s family socket joined to the "events" group
 * @xfrm: XFRM socket for dump and NEWAE requests
 * @events: XFRM socket joined to XFRMNLGRP_SA and XFRMNLGRP_EXPIRE
 * @epfd: epoll descriptor over @events, @modev and @timerfd
 * @timerfd: held deletes and counter mirroring
 * @links: the s2s links, refreshed before SAs are matched against them
 * @links_ok: the last refresh worked (a failure is logged once)
 * @links_sig: the links and their if-ids at the last full XFRM dump
 * @forward: forwarding is on (@fwd is set up)
 * @fwd: what was forwarded
 * @mirror_ms: counter mirroring period
 * @next_mirror: monotonic ms of the next mirroring
 * @report: receives one line per SA of an s2s link
 * @report_ctx: passed to @report
 * @on_event: called for every module event after it was logged; NULL
 *	for none. The vici side hangs rekey/terminate here.
 * @event_ctx: passed to @on_event
 * @selectors: fills in the selectors of an SA about to be forwarded
 *	(struct s2s_fwd_ops.selectors); NULL for none. The vici side knows
 *	them from charon.
 * @selectors_ctx: passed to @selectors
 * @err: why the last forwarding operation failed
 */
struct s2s_watch {
	struct s2s_client genl;
	struct s2s_client modev;
	struct s2s_nl xfrm;
	struct s2s_nl events;
	int epfd;
	int timerfd;
	struct s2s_link_list links;
	bool links_ok;
	uint64_t links_sig;
	bool forward;
	struct s2s_fwd fwd;
	uint64_t mirror_ms;
	uint64_t next_mirror;
	void (*report)(const char *line, void *ctx);
	void *report_ctx;
	s2s_watch_event_fn on_event;
	void *event_ctx;
	void (*selectors)(void *ctx, struct s2s_sa_req *req, uint32_t reqid);
	void *selectors_ctx;
	char err[S2S_NL_ERR_MAX];
};

int s2s_watch_open(struct s2s_watch *w);
int s2s_watch_forward(struct s2s_watch *w, uint64_t mirror_ms);
void s2s_watch_close(struct s2s_watch *w);
int s2s_watch_fd(const struct s2s_watch *w);
int s2s_watch_sync(struct s2s_watch *w);
int s2s_watch_events(struct s2s_watch *w);

#endif /* S2S_HELPER_WATCH_H */
