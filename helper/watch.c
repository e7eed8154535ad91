// SPDX-License-Identifier: GPL-2.0
/* s2sd's SA watcher; see watch.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm.h>

#include "log.h"
#include "watch.h"
#include "xfrm.h"

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
	return 0;
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
	s2s_nl_close(&w->xfrm);
	s2s_nl_close(&w->events);
	s2s_client_close(&w->genl);
	s2s_link_list_clear(&w->links);
}

/**
 * s2s_watch_fd() - the descriptor to poll for events
 * @w: an open watcher
 *
 * Return: the event socket's descriptor.
 */
int s2s_watch_fd(const struct s2s_watch *w)
{
	return s2s_nl_fd(&w->events);
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
	if (s2s_watch_concerns_us(w, &sa))
		w->report(line, w->report_ctx);
	else
		s2s_log(LOG_DEBUG, "not an s2s SA: %s", line);
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

/**
 * s2s_watch_sync() - report every SA of an s2s link that exists now
 * @w: an open watcher
 *
 * Return: 0 or a negative errno (logged).
 */
int s2s_watch_sync(struct s2s_watch *w)
{
	struct nlmsghdr req;
	int err, tries = 0;

	s2s_watch_refresh_links(w);
	do
		err = s2s_nl_request(&w->xfrm, s2s_xfrm_dump_request(&req),
				     s2s_watch_dump_cb, w);
	while (err == -EINTR && ++tries < S2S_WATCH_DUMP_TRIES);
	if (err) {
		char why[S2S_NL_ERR_MAX];

		s2s_log(LOG_ERR, "XFRM SA dump failed: %s",
			s2s_nl_strerror(err, w->xfrm.extack, why, sizeof(why)));
	}
	return err;
}

/**
 * s2s_watch_events() - handle what the event socket has to read
 * @w: an open watcher
 *
 * When the kernel had to drop events for us, everything is dumped again.
 *
 * Return: 0, or a negative errno when the watcher cannot go on (logged).
 */
int s2s_watch_events(struct s2s_watch *w)
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
