// SPDX-License-Identifier: GPL-2.0
/* Unit tests: RFC 3339 timestamps (timestamp.c), in zones given as POSIX
 * TZ strings so that no time zone database is needed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "timestamp.h"

/* 2026-11-18T11:06:40.123456789Z */
static const struct timespec T = { .tv_sec = 1795000000, .tv_nsec = 123456789 };

static void in_zone(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static void test_utc(void **state)
{
	char buf[S2S_TIMESTAMP_LEN];

	(void)state;
	in_zone("UTC0");
	assert_int_equal(s2s_timestamp_format(&T, buf, sizeof(buf)), 0);
	/* milliseconds truncated, not rounded: never a time not yet reached */
	assert_string_equal(buf, "2026-11-18T11:06:40.123+00:00");
}

static void test_offsets(void **state)
{
	char buf[S2S_TIMESTAMP_LEN];
	struct timespec t = T;

	(void)state;
	/* POSIX TZ: the offset is west of UTC, so "-5:30" is UTC+05:30 */
	in_zone("IST-5:30");
	assert_int_equal(s2s_timestamp_format(&T, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-18T16:36:40.123+05:30");
	in_zone("EST5");
	t.tv_nsec = 999999999;
	assert_int_equal(s2s_timestamp_format(&t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-18T06:06:40.999-05:00");
	t.tv_nsec = 0;
	assert_int_equal(s2s_timestamp_format(&t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-18T06:06:40.000-05:00");
}

static void test_too_small(void **state)
{
	char buf[S2S_TIMESTAMP_LEN];

	(void)state;
	in_zone("UTC0");
	/* the exact fit, then one byte less: the date fits, the rest not */
	assert_int_equal(s2s_timestamp_format(&T, buf, 30), 0);
	assert_int_equal(strlen(buf), 29);
	assert_int_equal(s2s_timestamp_format(&T, buf, 29), -EINVAL);
	assert_int_equal(s2s_timestamp_format(&T, buf, 10), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
