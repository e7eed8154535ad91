// SPDX-License-Identifier: GPL-2.0
/* Wall-clock time as RFC 3339 text; see timestamp.h. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "timestamp.h"

/**
 * s2s_timestamp_format() - local time with milliseconds and UTC offset
 * @ts: the time (CLOCK_REALTIME)
 * @buf: output, e.g. "2026-11-24T08:25:01.123+01:00"
 * @size: size of @buf; S2S_TIMESTAMP_LEN is enough
 *
 * The offset makes a line comparable with logs of other zones (the
 * journal's, the peer's) without knowing where it was written.
 *
 * Return: 0, or -EINVAL when the time has no local form or @buf is too
 * small (@buf is then not a timestamp).
 */
int s2s_timestamp_format(const struct timespec *ts, char *buf, size_t size)
{
	char zone[8];
	struct tm tm;
	size_t n;
	int len;

	if (!localtime_r(&ts->tv_sec, &tm))
		return -EINVAL;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	/* %z is "+hhmm"; RFC 3339 wants "+hh:mm" */
	if (!n || strftime(zone, sizeof(zone), "%z", &tm) != 5)
		return -EINVAL;
	len = snprintf(buf + n, size - n, ".%03ld%.3s:%s",
		       ts->tv_nsec / 1000000, zone, zone + 3);
	return len < 0 || (size_t)len >= size - n ? -EINVAL : 0;
}
