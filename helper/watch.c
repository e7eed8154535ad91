// SPDX-License-Identifier: GPL-2.0
/* s2sd's SA watcher; see watch.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <linux/s2s.h>
#include <linux/xfrm.h>

#include "localaddr.h"
#include "log.h"
#include "watch.h"
#include "xfrm.h"
#include "xfrmae.h"

/* What an epoll event is about. */
enum { S2S_WATCH_XFRM = 1, S2S_WATCH_MODEV, S2S_WATCH_TIMER };

/* Room for a burst of rekeys; overflowing it costs a re-dump, not SAs. */
#define S2S_WATCH_RCVBUF	(1 << 20)
/* A dump that keeps being interrupted by changes is retried this often. */
#define S2S_WATCH_DUMP_TRIES	3

static int s2s_watch_open_events(struct s2s_nl *ev)
{
	int size = S2S_WATCH_RCVBUF, err;

	err = s2s_nl_open(ev, NETLINK_XFRM);
	if (err) {
		s2s_log(LOG_ERR, "cannot open an XFRM netlink socket: %s",
			strerror(-err));
		return err;
	}
	err = s2s_nl_join(ev, XFRMNLGRP_SA);
	if (!err)
		err = s2s_nl_join(ev, XFRMNLGRP_EXPIRE);
	if (err) {
		s2s_log(LOG_ERR, "cannot subscribe to XFRM SA events: %s%s",
			strerror(-err),
			err == -EPERM ? " (CAP_NET_ADMIN needed)" : "");
		s2s_nl_close(ev);
		return err;
	}
	(void)setsockopt(s2s_nl_fd(ev), SOL_SOCKET, SO_RCVBUF, &size,
			 sizeof(size));
	return 0;
}

static int s2s_watch_epoll_add(struct s2s_watch *w, int fd, uint32_t what)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = what };

	return epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev);
}

/**
 * s2s_watch_open() - open the s2s family and both XFRM sockets
 * @w: the watcher to fill; set @report afterwards
 *
 * Events are subscribed to before anything is dumped, so no change can
 * fall between the dump and the first event.
 *
 * Return: 0 or a negative errno (logged).
 */
int s2s_watch_open(struct s2s_watch *w)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->links_ok = true;
	w->epfd = w->timerfd = -1;
	err = s2s_client_open(&w->genl);
	if (err) {
		s2s_log(LOG_ERR, "%s", w->genl.err);
		return err;
	}
	err = s2s_watch_open_events(&w->events);
	if (err)
		goto err_genl;
	err = s2s_nl_open(&w->xfrm, NETLINK_XFRM);
	if (err) {
		s2s_log(LOG_ERR, "cannot open an XFRM netlink socket: %s",
			strerror(-err));
		goto err_events;
	}
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epfd < 0 ||
	    s2s_watch_epoll_add(w, s2s_nl_fd(&w->events), S2S_WATCH_XFRM)) {
		err = -errno;
		s2s_log(LOG_ERR, "cannot set up epoll: %s", strerror(errno));
		goto err_xfrm;
	}
	return 0;
err_xfrm:
	if (w->epfd >= 0)
		close(w->epfd);
	s2s_nl_close(&w->xfrm);
err_events:
	s2s_nl_close(&w->events);
err_genl:
	s2s_client_close(&w->genl);
	return err;
}

/**
 * s2s_watch_close() - close the sockets, free the link table
 * @w: an open watcher
 */
void s2s_watch_close(struct s2s_watch *w)
{
	if (w->forward) {
		s2s_fwd_free(&w->fwd);
		if (w->modev.nl.sock)
			s2s_client_close(&w->modev);
		close(w->timerfd);
	}
	close(w->epfd);
	s2s_nl_close(&w->xfrm);
	s2s_nl_close(&w->events);
	s2s_client_close(&w->genl);
	s2s_link_list_clear(&w->links);
}

/**
 * s2s_watch_fd() - the descriptor to poll for events
 * @w: an open watcher
 *
 * Return: a descriptor that polls readable when s2s_watch_events() has
 * something to do.
 */
int s2s_watch_fd(const struct s2s_watch *w)
{
	return w->epfd;
}

static int s2s_watch_try_links(struct s2s_watch *w)
{
	w->links.n = 0;
	return s2s_client_link_get(&w->genl, NULL, &w->links);
}

/* Links come and go and change their if-id; until the family has an
 * events group, ask again before every batch of SAs.
 */
static void s2s_watch_refresh_links(struct s2s_watch *w)
{
	int err;

	err = s2s_watch_try_links(w);
	/* a reloaded module registers the family under a new id */
	if (err && !s2s_client_resolve(&w->genl))
		err = s2s_watch_try_links(w);
	if (err) {
		w->links.n = 0;
		if (w->links_ok)
			s2s_log(LOG_WARNING, "%s; ignoring SAs until s2s links can be listed",
				w->genl.err);
	} else if (!w->links_ok) {
		s2s_log(LOG_INFO, "s2s links can be listed again");
	}
	w->links_ok = !err;
}

/* Which links answer to which if-id, in one number: a change means SAs
 * XFRM already holds may now belong to a link (one made, or given its
 * if-id, after they were added) or to none.
 */
static uint64_t s2s_watch_links_sig(const struct s2s_link_list *links)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < links->n; i++) {
		h = (h ^ links->links[i].ifindex) * 1099511628211ULL;
		h = (h ^ links->links[i].if_id) * 1099511628211ULL;
	}
	return h;
}

static bool s2s_watch_concerns_us(const struct s2s_watch *w,
				  const struct s2s_xfrm_sa *sa)
{
	/* a flush removes every SA of a protocol, ours included */
	if (sa->kind == S2S_XFRM_FLUSH)
		return w->links.n > 0;
	return s2s_link_list_find_if_id(&w->links, sa->if_id) != NULL;
}

static int s2s_watch_handle(struct s2s_watch *w, const struct nlmsghdr *nlh,
			    bool dumped)
{
	const struct s2s_link *link;
	char line[S2S_XFRM_LINE_MAX];
	struct s2s_xfrm_sa sa;
	int err;

	err = s2s_xfrm_parse(nlh, &sa);
	if (err == -EOPNOTSUPP)
		return 0;
	if (err) {
		/* one bad message must not stop the others */
		s2s_log(LOG_WARNING, "ignoring a malformed XFRM message (type %u)",
			nlh->nlmsg_type);
		return 0;
	}
	if (dumped)
		sa.kind = S2S_XFRM_EXISTING;
	link = s2s_link_list_find_if_id(&w->links, sa.if_id);
	s2s_xfrm_format(&sa, link ? link->ifname : NULL, line, sizeof(line));
	if (!s2s_watch_concerns_us(w, &sa)) {
		s2s_log(LOG_DEBUG, "not an s2s SA: %s", line);
		return 0;
	}
	w->report(line, w->report_ctx);
	if (!w->forward)
		return 0;
	/* keys are read there, and only for an s2s link's SA */
	s2s_fwd_xfrm(&w->fwd, nlh, &sa, &w->links);
	/* charon is about to rekey and reads the counters: fresh ones */
	if (sa.kind == S2S_XFRM_EXPIRE_SOFT)
		w->next_mirror = 0;
	return 0;
}

static int s2s_watch_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	return s2s_watch_handle(data, nlh, true);
}

static int s2s_watch_event_cb(const struct nlmsghdr *nlh, void *data)
{
	return s2s_watch_handle(data, nlh, false);
}

/* The module's SAs, with counters; NULL (logged) when not listable. */
static struct s2s_sa_list *s2s_watch_module_sas(struct s2s_watch *w,
						struct s2s_sa_list *list)
{
	memset(list, 0, sizeof(*list));
	if (!s2s_client_sa_dump(&w->genl, 0, list))
		return list;
	s2s_log(LOG_WARNING, "%s", w->genl.err);
	s2s_sa_list_clear(list);
	return NULL;
}

static void s2s_watch_reconcile(struct s2s_watch *w)
{
	struct s2s_sa_list list;
	struct s2s_sa_list *module = s2s_watch_module_sas(w, &list);

	s2s_fwd_sync_end(&w->fwd, module, &w->links);
	if (module)
		s2s_sa_list_clear(module);
}

/**
 * s2s_watch_sync() - report every SA of an s2s link that exists now
 * @w: an open watcher
 *
 * With forwarding on, also reconcile: add what XFRM has and the module
 * lacks (an SA the module already has is left as it is, its sequence
 * numbers and replay window included), delete what the module has on
 * s2sd's links and XFRM no longer has.
 *
 * Return: 0 or a negative errno (logged).
 */
int s2s_watch_sync(struct s2s_watch *w)
{
	struct nlmsghdr req;
	int err, tries = 0;

	s2s_watch_refresh_links(w);
	do {
		if (w->forward)
			s2s_fwd_sync_begin(&w->fwd);
		err = s2s_nl_request(&w->xfrm, s2s_xfrm_dump_request(&req),
				     s2s_watch_dump_cb, w);
	} while (err == -EINTR && ++tries < S2S_WATCH_DUMP_TRIES);
	if (err) {
		char why[S2S_NL_ERR_MAX];

		s2s_log(LOG_ERR, "XFRM SA dump failed: %s",
			s2s_nl_strerror(err, w->xfrm.extack, why, sizeof(why)));
		return err;
	}
	/* only a complete dump may decide that an SA is gone */
	if (w->forward && w->links_ok)
		s2s_watch_reconcile(w);
	w->links_sig = s2s_watch_links_sig(&w->links);
	return 0;
}

static int s2s_watch_xfrm_events(struct s2s_watch *w)
{
	int err;

	s2s_watch_refresh_links(w);
	err = s2s_nl_recv_events(&w->events, s2s_watch_event_cb, w);
	switch (err) {
	case 0:
	case -EINTR:
	case -EAGAIN:
		return 0;
	case -ENOBUFS:
		s2s_log(LOG_WARNING, "XFRM events were lost (receive queue overflow): dumping SAs again");
		return s2s_watch_sync(w);
	case -EBADMSG:
		s2s_log(LOG_WARNING, "ignoring a malformed XFRM event datagram");
		return 0;
	}
	s2s_log(LOG_ERR, "reading XFRM events: %s", strerror(-err));
	return err;
}

static uint64_t s2s_watch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Copy the module's counters into XFRM; a forwarded SA the module lost
 * (reloaded, or deleted by hand) is added again by a resync.
 */
static int s2s_watch_mirror(struct s2s_watch *w)
{
	struct s2s_sa_list list;
	bool missing;

	w->next_mirror = s2s_watch_now_ms() + w->mirror_ms;
	/* no XFRM event tells of a link made for SAs that already exist */
	s2s_watch_refresh_links(w);
	if (w->links_ok && s2s_watch_links_sig(&w->links) != w->links_sig) {
		s2s_log(LOG_INFO, "s2s links or their if-ids changed: dumping XFRM SAs again");
		return s2s_watch_sync(w);
	}
	if (!s2s_watch_module_sas(w, &list))
		return 0;
	missing = s2s_fwd_mirror(&w->fwd, &list);
	s2s_sa_list_clear(&list);
	if (!missing)
		return 0;
	s2s_log(LOG_WARNING, "forwarded SAs are missing from the module: dumping XFRM SAs again");
	return s2s_watch_sync(w);
}

static int s2s_watch_modev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct s2s_fwd_sa *fwd;
	struct s2s_watch *w = data;
	const struct s2s_link *link;
	char line[512];
	struct s2s_sa *sa;

	sa = malloc(sizeof(*sa));
	if (!sa)
		return 0;
	if (s2s_sa_parse(nlh, sa)) {
		s2s_log(LOG_WARNING, "ignoring a malformed s2s event");
		goto out;
	}
	link = s2s_link_list_find_ifindex(&w->links, sa->ifindex);
	fwd = s2s_fwd_find(&w->fwd, sa->ifindex, sa->dir, sa->spi);
	s2s_sa_format_event(sa, link ? link->ifname : NULL, line, sizeof(line));
	if (fwd)
		s2s_log(LOG_NOTICE, "module event: %s (XFRM reqid %u)", line,
			fwd->ae.reqid);
	else
		s2s_log(LOG_NOTICE, "module event: %s", line);
	if (w->on_event)
		w->on_event(w->event_ctx, sa, link ? link->ifname : NULL, fwd);
out:
	free(sa);
	return 0;
}

static void s2s_watch_modev_events(struct s2s_watch *w)
{
	int err = s2s_nl_recv_events(&w->modev.nl, s2s_watch_modev_cb, w);

	if (err == -ENOBUFS)
		s2s_log(LOG_WARNING, "s2s module events were lost (receive queue overflow)");
	else if (err && err != -EAGAIN && err != -EINTR)
		s2s_log(LOG_WARNING, "reading s2s module events: %s",
			strerror(-err));
}

/* One shot at the earliest of: a held delete, the next mirroring. */
static void s2s_watch_arm(struct s2s_watch *w)
{
	struct itimerspec its = { 0 };
	int64_t next = s2s_fwd_next_ms(&w->fwd);
	uint64_t now = s2s_watch_now_ms(), at;

	at = next >= 0 && (uint64_t)next < w->next_mirror ?
	     (uint64_t)next : w->next_mirror;
	at = at > now ? at - now : 1;	/* 0 would disarm */
	its.it_value.tv_sec = (time_t)(at / 1000);
	its.it_value.tv_nsec = (long)(at % 1000) * 1000000;
	(void)timerfd_settime(w->timerfd, 0, &its, NULL);
}

static int s2s_watch_timer(struct s2s_watch *w)
{
	uint64_t ticks;

	(void)!read(w->timerfd, &ticks, sizeof(ticks));
	s2s_fwd_expire(&w->fwd);
	if (s2s_watch_now_ms() >= w->next_mirror)
		return s2s_watch_mirror(w);
	return 0;
}

/**
 * s2s_watch_events() - handle what is ready: XFRM events, module events,
 *	timers
 * @w: an open watcher
 *
 * When the kernel had to drop XFRM events for us, everything is dumped
 * again.
 *
 * Return: 0, or a negative errno when the watcher cannot go on (logged).
 */
int s2s_watch_events(struct s2s_watch *w)
{
	struct epoll_event evs[4];
	int i, n, err = 0;

	n = epoll_wait(w->epfd, evs, 4, 0);
	for (i = 0; i < n && !err; i++) {
		switch (evs[i].data.u32) {
		case S2S_WATCH_XFRM:
			err = s2s_watch_xfrm_events(w);
			break;
		case S2S_WATCH_MODEV:
			s2s_watch_modev_events(w);
			break;
		case S2S_WATCH_TIMER:
			err = s2s_watch_timer(w);
			break;
		}
	}
	if (!err && w->forward && w->next_mirror == 0)
		err = s2s_watch_mirror(w);
	if (w->forward)
		s2s_watch_arm(w);
	return err;
}

static int s2s_watch_op_err(struct s2s_watch *w, int err)
{
	if (err)
		snprintf(w->err, sizeof(w->err), "%s", w->genl.err);
	return err;
}

static int s2s_watch_sa_new(void *ctx, const struct s2s_sa_req *req,
			    uint32_t ifindex)
{
	struct s2s_watch *w = ctx;

	return s2s_watch_op_err(w, s2s_client_sa_new(&w->genl, req, ifindex));
}

static int s2s_watch_sa_set(void *ctx, const struct s2s_sa_req *req,
			    uint32_t ifindex)
{
	struct s2s_watch *w = ctx;

	return s2s_watch_op_err(w, s2s_client_sa_set(&w->genl, req, ifindex));
}

static int s2s_watch_sa_del(void *ctx, const struct s2s_sa_req *req,
			    uint32_t ifindex)
{
	struct s2s_watch *w = ctx;

	return s2s_watch_op_err(w, s2s_client_sa_del(&w->genl, req, ifindex));
}

static int s2s_watch_newae(void *ctx, const struct s2s_xfrm_ae *ae)
{
	char buf[S2S_XFRM_AE_SIZE] __attribute__((aligned(8)));
	struct s2s_watch *w = ctx;
	char why[S2S_NL_ERR_MAX];
	int err;

	err = s2s_nl_request(&w->xfrm, s2s_xfrm_newae(buf, ae), NULL, NULL);
	if (err)
		snprintf(w->err, sizeof(w->err), "XFRM NEWAE: %s",
			 s2s_nl_strerror(err, w->xfrm.extack, why, sizeof(why)));
	return err;
}

static bool s2s_watch_is_local(void *ctx, uint16_t family,
			       const xfrm_address_t *addr)
{
	(void)ctx;
	return s2s_addr_is_local(family, addr);
}

static uint64_t s2s_watch_clock_ms(void *ctx)
{
	(void)ctx;
	return s2s_watch_now_ms();
}

static uint64_t s2s_watch_wall_s(void *ctx)
{
	(void)ctx;
	return (uint64_t)time(NULL);
}

static const char *s2s_watch_err(void *ctx)
{
	return ((struct s2s_watch *)ctx)->err;
}

static void s2s_watch_selectors(void *ctx, struct s2s_sa_req *req,
				uint32_t reqid)
{
	struct s2s_watch *w = ctx;

	if (w->selectors)
		w->selectors(w->selectors_ctx, req, reqid);
}

static const struct s2s_fwd_ops s2s_watch_fwd_ops = {
	.sa_new = s2s_watch_sa_new,
	.sa_set = s2s_watch_sa_set,
	.sa_del = s2s_watch_sa_del,
	.newae = s2s_watch_newae,
	.is_local = s2s_watch_is_local,
	.now_ms = s2s_watch_clock_ms,
	.wall_s = s2s_watch_wall_s,
	.err = s2s_watch_err,
	.selectors = s2s_watch_selectors,
};

/* Module events are worth having, not worth failing for (older module). */
static void s2s_watch_open_modev(struct s2s_watch *w)
{
	if (s2s_client_open(&w->modev)) {
		s2s_log(LOG_WARNING, "%s; module events will not be seen",
			w->modev.err);
		return;
	}
	if (s2s_client_join_events(&w->modev) ||
	    s2s_watch_epoll_add(w, s2s_nl_fd(&w->modev.nl), S2S_WATCH_MODEV)) {
		s2s_log(LOG_WARNING, "%s; module events will not be seen",
			w->modev.err[0] ? w->modev.err : strerror(errno));
		s2s_client_close(&w->modev);
		memset(&w->modev, 0, sizeof(w->modev));
	}
}

/**
 * s2s_watch_forward() - forward SAs into the module from now on
 * @w: an open watcher, before its first s2s_watch_sync()
 * @mirror_ms: how often counters are copied into XFRM
 *
 * Return: 0 or a negative errno (logged).
 */
int s2s_watch_forward(struct s2s_watch *w, uint64_t mirror_ms)
{
	int err;

	err = s2s_fwd_init(&w->fwd, &s2s_watch_fwd_ops, w);
	if (err) {
		s2s_log(LOG_ERR, "cannot set up forwarding: %s", strerror(-err));
		return err;
	}
	w->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->timerfd < 0 ||
	    s2s_watch_epoll_add(w, w->timerfd, S2S_WATCH_TIMER)) {
		err = -errno;
		s2s_log(LOG_ERR, "cannot set up a timer: %s", strerror(errno));
		if (w->timerfd >= 0)
			close(w->timerfd);
		s2s_fwd_free(&w->fwd);
		return err;
	}
	w->forward = true;
	w->mirror_ms = mirror_ms;
	w->next_mirror = s2s_watch_now_ms() + mirror_ms;
	s2s_watch_open_modev(w);
	s2s_watch_arm(w);
	return 0;
}
