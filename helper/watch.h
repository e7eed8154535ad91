/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's view of the XFRM SAD: which SAs belong to s2s links, found by a
 * dump at start (and after lost events) and kept up to date from the SA
 * and EXPIRE multicast groups. Key forwarding will hang off
 * s2s_watch_handle() once the spec has SA operations.
 */
#ifndef S2S_HELPER_WATCH_H
#define S2S_HELPER_WATCH_H

#include <stdbool.h>

#include "client.h"
#include "link.h"
#include "nl.h"

/**
 * struct s2s_watch - sockets and tables of the SA watcher
 * @genl: s2s family client, for the link table
 * @xfrm: XFRM socket for dump requests
 * @events: XFRM socket joined to XFRMNLGRP_SA and XFRMNLGRP_EXPIRE
 * @links: the s2s links, refreshed before SAs are matched against them
 * @links_ok: the last refresh worked (a failure is logged once)
 * @report: receives one line per SA of an s2s link
 * @report_ctx: passed to @report
 */
struct s2s_watch {
	struct s2s_client genl;
	struct s2s_nl xfrm;
	struct s2s_nl events;
	struct s2s_link_list links;
	bool links_ok;
	void (*report)(const char *line, void *ctx);
	void *report_ctx;
};

int s2s_watch_open(struct s2s_watch *w);
void s2s_watch_close(struct s2s_watch *w);
int s2s_watch_fd(const struct s2s_watch *w);
int s2s_watch_sync(struct s2s_watch *w);
int s2s_watch_events(struct s2s_watch *w);

#endif /* S2S_HELPER_WATCH_H */
