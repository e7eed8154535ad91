// SPDX-License-Identifier: GPL-2.0
/* s2sd: bridges the SAs charon installs into XFRM to s2s links.
 *
 * Every SA whose XFRM if_id is the if-id of an s2s link is logged (never
 * its keys) and forwarded into the module (fwd.c); the module's counters
 * go back into XFRM and its events are logged (watch.c). --once only
 * lists, it changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <linux/s2s.h>

#include "args.h"
#include "log.h"
#include "version.h"
#include "vicid.h"
#include "watch.h"

struct s2sd_opts {
	bool foreground;
	bool once;
	bool verbose;
	uint32_t interval;
	const char *vici;	/* charon's socket; NULL: --no-vici */
};

enum { S2SD_OPT_ONCE = 0x100, S2SD_OPT_VICI, S2SD_OPT_NO_VICI };

/* Seconds between two copies of the counters into XFRM, at most. */
#define S2SD_INTERVAL_MAX	86400

static void s2sd_usage(FILE *f)
{
	fprintf(f,
		"Usage: s2sd [-f|--foreground] [--once] [-v|--verbose] [-i|--interval SECONDS]\n"
		"            [--vici PATH | --no-vici]\n"
		"       s2sd { -h|--help | -V|--version }\n"
		"\n"
		"Forwards the XFRM SAs that belong to s2s links (XFRM if_id equal to a\n"
		"link's if-id, as set by if_id_in/if_id_out in swanctl.conf) into the\n"
		"s2s module, logs each one found, added, updated, deleted or expired,\n"
		"copies the module's counters back into XFRM and logs the module's\n"
		"events. Keys are never logged. SAs on links with if-id 0 are left alone.\n"
		"\n"
		"  -f, --foreground  stay in the foreground, log to stderr (else syslog)\n"
		"      --once        dump the current SAs to stdout and exit (no forwarding)\n"
		"  -v, --verbose     also log SAs that belong to no s2s link\n"
		"  -i, --interval S  copy counters into XFRM every S seconds (default 10)\n"
		"      --vici PATH   charon's vici socket (default " S2S_VICI_DEFAULT_PATH "):\n"
		"                    routes to the remote selectors of Child SAs that are up\n"
		"                    go via the s2s link of their if-id (protocol 83)\n"
		"      --no-vici     do not connect to charon, manage no routes\n"
		"\n"
		"SIGHUP dumps the SAs again; SIGTERM and SIGINT stop s2sd.\n"
		"Needs CAP_NET_ADMIN. Exit status: 0 stopped cleanly, 1 error, 2 usage.\n");
}

/* Return: 0 to run, 1 to exit successfully (help), 2 on a usage error. */
static int s2sd_parse_opts(int argc, char **argv, struct s2sd_opts *o)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "once", no_argument, NULL, S2SD_OPT_ONCE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "vici", required_argument, NULL, S2SD_OPT_VICI },
		{ "no-vici", no_argument, NULL, S2SD_OPT_NO_VICI },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fvi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case S2SD_OPT_ONCE:
			o->once = o->foreground = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'i':
			if (s2s_arg_u32(optarg, 1, S2SD_INTERVAL_MAX, &o->interval)) {
				fprintf(stderr, "s2sd: --interval: '%s' is not a number of seconds (1-%d)\n",
					optarg, S2SD_INTERVAL_MAX);
				return 2;
			}
			break;
		case S2SD_OPT_VICI:
			o->vici = optarg;
			break;
		case S2SD_OPT_NO_VICI:
			o->vici = NULL;
			break;
		case 'h':
			s2sd_usage(stdout);
			return 1;
		case 'V':
			printf("s2sd %s (s2s genl family version %d)\n",
			       S2S_VERSION, S2S_FAMILY_VERSION);
			return 1;
		default:
			fprintf(stderr, "Try 's2sd --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "s2sd: unexpected argument '%s'\nTry 's2sd --help'.\n",
			argv[optind]);
		return 2;
	}
	return 0;
}

static void s2sd_report_stdout(const char *line, void *ctx)
{
	(void)ctx;
	printf("%s\n", line);
}

static void s2sd_report_log(const char *line, void *ctx)
{
	(void)ctx;
	s2s_log(LOG_INFO, "%s", line);
}

/* Signals arrive through a descriptor, so the loop handles them between
 * messages, never in the middle of one.
 */
static int s2sd_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Return: 1 to stop, 0 to go on, or a negative errno. */
static int s2sd_signal(struct s2s_watch *w, int sigfd)
{
	struct signalfd_siginfo si;

	if (read(sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		s2s_log(LOG_INFO, "SIGHUP: dumping SAs again");
		return s2s_watch_sync(w);
	}
	s2s_log(LOG_INFO, "%s: stopping", strsignal((int)si.ssi_signo));
	return 1;
}

/* @v: NULL with --no-vici; its descriptor changes as it reconnects */
static int s2sd_loop(struct s2s_watch *w, int sigfd, struct s2s_vicid *v)
{
	struct pollfd pfd[3] = {
		{ .fd = s2s_watch_fd(w), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	int err;

	for (;;) {
		pfd[2].fd = v ? s2s_vicid_fd(v) : -1;
		pfd[2].revents = 0;
		if (poll(pfd, 3, v ? s2s_vicid_timeout(v) : -1) < 0) {
			if (errno == EINTR)
				continue;
			s2s_log(LOG_ERR, "poll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[1].revents & POLLIN) {
			err = s2sd_signal(w, sigfd);
			if (err)
				return err < 0 ? err : 0;
		}
		/* a dropped-events error shows as POLLERR, not POLLIN */
		if (pfd[0].revents & (POLLIN | POLLERR)) {
			err = s2s_watch_events(w);
			if (err)
				return err;
		}
		if (v)
			s2s_vicid_run(v, pfd[2].revents);
	}
}

/* Set up while errors can still reach the terminal, then detach. */
/* Module events about SAs charon negotiated: a volume limit or the end
 * of the sequence numbers means charon must replace the child (it never
 * sees the traffic, so it cannot know).
 */
static void s2sd_on_module_event(void *ctx, const struct s2s_sa *sa,
				 const char *ifname,
				 const struct s2s_fwd_sa *fwd)
{
	struct s2s_vicid *v = ctx;
	char name[24];
	int err;

	(void)ifname;
	if (!fwd || !v || !(sa->present & (1ULL << S2S_A_SA_EVENT)))
		return;
	switch (sa->event) {
	case S2S_EVENT_SOFT_EXPIRE:
	case S2S_EVENT_HARD_EXPIRE:
	case S2S_EVENT_SEQ_EXHAUSTED:
		break;
	default:
		return;
	}
	err = s2s_vicid_renew(v, sa->spi,
			      s2s_event_name(sa->event, name, sizeof(name)));
	if (err == -ENOENT)
		s2s_log(LOG_WARNING, "%s on spi 0x%08x: charon reports no child with this SPI; nothing to rekey",
			s2s_event_name(sa->event, name, sizeof(name)), sa->spi);
}

static int s2sd_start(struct s2s_watch *w, const struct s2sd_opts *o)
{
	if (s2s_watch_open(w))
		return -1;
	if (!o->once && s2s_watch_forward(w, (uint64_t)o->interval * 1000)) {
		s2s_watch_close(w);
		return -1;
	}
	w->report = o->once ? s2sd_report_stdout : s2sd_report_log;
	if (o->foreground)
		return 0;
	if (daemon(0, 0)) {
		s2s_log(LOG_ERR, "cannot daemonize: %s", strerror(errno));
		s2s_watch_close(w);
		return -1;
	}
	s2s_log_init("s2sd", true, o->verbose);
	return 0;
}

int main(int argc, char **argv)
{
	struct s2sd_opts o = {
		.interval = S2S_WATCH_MIRROR_MS / 1000,
		.vici = S2S_VICI_DEFAULT_PATH,
	};
	struct s2s_vicid v, *vp = NULL;
	struct s2s_watch w;
	int sigfd, err;

	err = s2sd_parse_opts(argc, argv, &o);
	if (err)
		return err == 1 ? 0 : 2;
	s2s_log_init("s2sd", false, o.verbose);
	/* key bytes pass through this process: no core dumps, no ptrace */
	(void)prctl(PR_SET_DUMPABLE, 0);
	sigfd = s2sd_signalfd();
	if (sigfd < 0) {
		s2s_log(LOG_ERR, "cannot set up signals: %s", strerror(errno));
		return 1;
	}
	if (s2sd_start(&w, &o))
		return 1;
	err = s2s_watch_sync(&w);
	if (!err && !o.once) {
		s2s_log(LOG_INFO, "watching XFRM SAs of %zu s2s link(s)", w.links.n);
		if (o.vici && !s2s_vicid_open(&v, o.vici)) {
			vp = &v;
			w.on_event = s2sd_on_module_event;
			w.event_ctx = vp;
			w.selectors = s2s_vicid_sa_selectors;
			w.selectors_ctx = vp;
		}
		if (!o.vici || vp)
			err = s2sd_loop(&w, sigfd, vp);
		else
			err = -1;
		if (vp)
			s2s_vicid_close(vp);
	}
	s2s_watch_close(&w);
	close(sigfd);
	if (o.once && fflush(stdout))
		err = -errno;
	return err ? 1 : 0;
}
