/* SPDX-License-Identifier: GPL-2.0 */
/* Wall-clock time as RFC 3339 text, for output that is read later. */
#ifndef S2S_HELPER_TIMESTAMP_H
#define S2S_HELPER_TIMESTAMP_H

#include <stddef.h>
#include <time.h>

/* "2026-11-24T07:25:01.123+00:00" and its NUL, with room for a wider year. */
#define S2S_TIMESTAMP_LEN 40

int s2s_timestamp_format(const struct timespec *ts, char *buf, size_t size);

#endif /* S2S_HELPER_TIMESTAMP_H */
