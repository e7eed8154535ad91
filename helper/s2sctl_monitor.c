// SPDX-License-Identifier: GPL-2.0
/* s2sctl monitor: sa-ntf notifications of the "events" group, one line
 * (or one JSON object per line) each, optionally with the time it was
 * received, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/signalfd.h>
#include <time.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "s2sctl.h"
#include "timestamp.h"

struct s2sctl_monitor {
	struct s2s_client *c;
	bool json;
	bool timestamp;
};

/* @stamp: the time of receipt, or NULL */
static void s2sctl_monitor_print(const struct s2s_sa *sa, bool json,
				 const char *stamp)
{
	char name[IF_NAMESIZE], line[512];
	struct json_object *obj;
	const char *ifname;

	/* the link may be gone already: then its index is all we have */
	ifname = if_indextoname(sa->ifindex, name);
	if (json) {
		obj = s2s_sa_to_json(sa, ifname);
		if (!obj)
			return;
		if (stamp)
			json_object_object_add(obj, "time",
					       json_object_new_string(stamp));
		printf("%s\n", json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(obj);
	} else {
		s2s_sa_format_event(sa, ifname, line, sizeof(line));
		printf("%s%s%s\n", stamp ? stamp : "", stamp ? " " : "", line);
	}
	/* a reader on a pipe wants each event as it happens */
	fflush(stdout);
}

static int s2sctl_monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	char stamp[S2S_TIMESTAMP_LEN];
	struct s2sctl_monitor *m = data;
	struct timespec now;
	struct s2s_sa *sa;

	if (nlh->nlmsg_type != m->c->fam.id ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    genl->cmd != S2S_CMD_SA_NTF)
		return 0;
	/* taken first: parsing is not part of when it happened */
	if (m->timestamp &&
	    (clock_gettime(CLOCK_REALTIME, &now) ||
	     s2s_timestamp_format(&now, stamp, sizeof(stamp))))
		snprintf(stamp, sizeof(stamp), "(no time)");
	sa = malloc(sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	if (s2s_sa_parse(nlh, sa))
		fprintf(stderr, "s2sctl: monitor: ignoring a malformed notification\n");
	else
		s2sctl_monitor_print(sa, m->json, m->timestamp ? stamp : NULL);
	free(sa);
	return 0;
}

/* Signals through a descriptor: the loop stops between messages. */
static int s2sctl_monitor_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Return: 0 when a signal stopped it, else a negative errno. */
static int s2sctl_monitor_loop(struct s2sctl_monitor *m, int sigfd)
{
	struct pollfd pfd[2] = {
		{ .fd = s2s_nl_fd(&m->c->nl), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	int err;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents & POLLIN)
			return 0;
		if (!(pfd[0].revents & (POLLIN | POLLERR)))
			continue;
		err = s2s_nl_recv_events(&m->c->nl, s2sctl_monitor_cb, m);
		if (err == -ENOBUFS)
			fprintf(stderr, "s2sctl: monitor: events were lost (receive queue overflow)\n");
		else if (err && err != -EINTR && err != -EAGAIN && err != -EBADMSG)
			return err;
	}
}

/**
 * s2sctl_monitor() - `s2sctl monitor [--json] [--timestamp]`
 * @argc: words after "monitor"
 * @argv: --json (-j), --timestamp (-t), or nothing
 *
 * Return: exit status; 0 after SIGINT or SIGTERM.
 */
int s2sctl_monitor(int argc, char **argv)
{
	struct s2sctl_monitor m = { 0 };
	struct s2s_client c;
	int i, sigfd, err;

	for (i = 0; i < argc; i++) {
		if (s2sctl_is_json_opt(argv[i]))
			m.json = true;
		else if (!strcmp(argv[i], "--timestamp") || !strcmp(argv[i], "-t"))
			m.timestamp = true;
		else
			return s2sctl_usage_error("monitor: unexpected argument '%s'",
						  argv[i]);
	}
	sigfd = s2sctl_monitor_signalfd();
	if (sigfd < 0)
		return s2sctl_fail("monitor: cannot set up signals: %s",
				   strerror(errno));
	if (s2sctl_open(&c)) {
		close(sigfd);
		return S2SCTL_FAIL;
	}
	m.c = &c;
	err = s2s_client_join_events(&c);
	if (err) {
		s2sctl_fail("monitor: %s", c.err);
	} else {
		/* on stderr: scripts may wait for it before causing events */
		fprintf(stderr, "s2sctl: monitoring s2s events (Ctrl-C stops)\n");
		err = s2sctl_monitor_loop(&m, sigfd);
		if (err)
			s2sctl_fail("monitor: reading events: %s", strerror(-err));
	}
	s2s_client_close(&c);
	close(sigfd);
	return err ? S2SCTL_FAIL : S2SCTL_OK;
}
