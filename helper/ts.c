// SPDX-License-Identifier: GPL-2.0
/* Traffic selector text to prefixes; see ts.h. Addresses are handled as
 * big-endian byte strings so that IPv4 and IPv6 share one code path.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ts.h"

/* Number of trailing zero bits of @a (its whole width when zero). */
static unsigned int s2s_ts_tz(const uint8_t *a, size_t len)
{
	unsigned int bits = 0;
	size_t i;
	int b;

	for (i = len; i-- > 0;) {
		if (!a[i]) {
			bits += 8;
			continue;
		}
		for (b = 0; !(a[i] & (1u << b)); b++)
			bits++;
		break;
	}
	return bits;
}

/* @out = @a with its low @k bits set. */
static void s2s_ts_fill_low(const uint8_t *a, size_t len, unsigned int k,
			    uint8_t *out)
{
	size_t i;

	memcpy(out, a, len);
	for (i = len; i-- > 0 && k;) {
		unsigned int n = k < 8 ? k : 8;

		out[i] |= (uint8_t)((1u << n) - 1);
		k -= n;
	}
}

/* Routes refuse host bits; charon prints none, a hand-made one might. */
static void s2s_ts_mask(struct s2s_prefix *p)
{
	size_t len = s2s_addr_len(&p->addr), i;

	for (i = 0; i < len; i++) {
		unsigned int first = (unsigned int)i * 8;

		if (p->plen <= first)
			p->addr.b[i] = 0;
		else if (p->plen < first + 8)
			p->addr.b[i] &= (uint8_t)(0xff << (first + 8 - p->plen));
	}
}

/* @a += 1. Return: true when it wrapped to zero. */
static bool s2s_ts_inc(uint8_t *a, size_t len)
{
	size_t i;

	for (i = len; i-- > 0;)
		if (++a[i])
			return false;
	return true;
}

/* Split [lo, hi] into the fewest prefixes: at each step the largest
 * block that starts at lo (alignment) and ends at or before hi.
 */
static int s2s_ts_range(const struct s2s_addr *lo, const struct s2s_addr *hi,
			struct s2s_prefix *out, size_t max)
{
	size_t len = s2s_addr_len(lo), n = 0;
	unsigned int width = (unsigned int)len * 8, k;
	uint8_t cur[16], end[16];

	memcpy(cur, lo->b, len);
	for (;;) {
		k = s2s_ts_tz(cur, len);
		if (k > width)
			k = width;
		for (;; k--) {
			s2s_ts_fill_low(cur, len, k, end);
			if (memcmp(end, hi->b, len) <= 0)
				break;
		}
		if (n == max)
			return -E2BIG;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].addr.family = lo->family;
		memcpy(out[n].addr.b, cur, len);
		out[n].plen = (uint8_t)(width - k);
		n++;
		if (!memcmp(end, hi->b, len))
			return (int)n;
		memcpy(cur, end, len);
		if (s2s_ts_inc(cur, len))
			return (int)n;
	}
}

/**
 * s2s_ts_parse() - one traffic selector to prefixes
 * @text: as in vici's local-ts/remote-ts lists; a "[proto/port]" suffix
 *	is ignored (a route cannot be narrower than addresses)
 * @out: the prefixes
 * @max: room in @out
 * @why: the reason when the selector is refused
 * @size: size of @why
 *
 * Return: number of prefixes (>= 1), or -EINVAL (not an address,
 * prefix or range, or a range whose ends differ in family or are in the
 * wrong order) or -E2BIG (needs more than @max prefixes), with @why set.
 */
int s2s_ts_parse(const char *text, struct s2s_prefix *out, size_t max,
		 char *why, size_t size)
{
	struct s2s_addr lo, hi;
	char buf[2 * S2S_PREFIX_STRLEN + 8], *sep, *end;
	size_t seplen = 2;
	int n;

	if (size)
		why[0] = '\0';
	if (strlen(text) >= sizeof(buf) || !max)
		goto bad;
	strcpy(buf, text);
	end = strchr(buf, '[');
	if (end)
		*end = '\0';
	sep = strstr(buf, "..");
	if (!sep) {
		sep = strchr(buf, '-');
		seplen = 1;
	}
	if (!sep) {
		if (s2s_prefix_parse(buf, &out[0]))
			goto bad;
		s2s_ts_mask(&out[0]);
		return 1;
	}
	*sep = '\0';
	if (s2s_addr_parse(buf, &lo) || s2s_addr_parse(sep + seplen, &hi) ||
	    lo.family != hi.family ||
	    memcmp(lo.b, hi.b, s2s_addr_len(&lo)) > 0)
		goto bad;
	n = s2s_ts_range(&lo, &hi, out, max);
	if (n == -E2BIG)
		snprintf(why, size, "range %s needs more than %zu prefixes",
			 text, max);
	return n;
bad:
	snprintf(why, size, "'%s' is not an address, prefix or range", text);
	return -EINVAL;
}
