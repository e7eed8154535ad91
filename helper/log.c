// SPDX-License-Identifier: GPL-2.0
/* s2sd's log. Callers never pass key bytes: only xfrm.c descriptions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "log.h"

static struct {
	const char *ident;
	bool syslog;
	bool verbose;
	bool journal;	/* stderr is journald's stream: "<prio>" prefixes */
} s2s_log_cfg = { .ident = "s2s" };

/* systemd sets JOURNAL_STREAM to stderr's device:inode; it only counts
 * when stderr still is that stream.
 */
static bool s2s_log_stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

/**
 * s2s_log_init() - choose where messages go
 * @ident: program name
 * @to_syslog: syslog (daemon facility) instead of stderr
 * @verbose: also LOG_DEBUG messages
 */
void s2s_log_init(const char *ident, bool to_syslog, bool verbose)
{
	s2s_log_cfg.ident = ident;
	s2s_log_cfg.syslog = to_syslog;
	s2s_log_cfg.verbose = verbose;
	s2s_log_cfg.journal = !to_syslog && s2s_log_stderr_is_journal();
	if (to_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

static void s2s_log_stderr(int prio, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* one write per line, so concurrent writers do not interleave */
	if (s2s_log_cfg.journal)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
		fprintf(stderr, "%s: %s\n", s2s_log_cfg.ident, line);
}

/**
 * s2s_log() - log one line
 * @prio: LOG_ERR ... LOG_DEBUG; LOG_DEBUG only with verbose
 * @fmt: printf format, no trailing newline
 */
void s2s_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !s2s_log_cfg.verbose)
		return;
	va_start(ap, fmt);
	if (s2s_log_cfg.syslog)
		vsyslog(prio, fmt, ap);
	else
		s2s_log_stderr(prio, fmt, ap);
	va_end(ap);
}
