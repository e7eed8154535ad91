// SPDX-License-Identifier: GPL-2.0
/* Scanning command-line words. */
#include <errno.h>
#include <string.h>

#include "args.h"

/**
 * s2s_hex_digit() - value of a hexadecimal digit
 * @c: the character
 *
 * Return: 0 to 15, or -1 when @c is no hex digit.
 */
int s2s_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * s2s_arg_u64() - a decimal or 0x-prefixed hexadecimal number
 * @text: the word
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * strtoull() is not used: it accepts signs, blanks and octal.
 *
 * Return: 0, -EINVAL when @text is no number, -ERANGE when outside
 * [@min, @max].
 */
int s2s_arg_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	const char *p = text;
	uint64_t v = 0;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		d = s2s_hex_digit(*p);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return -ERANGE;
		v = v * base + (unsigned int)d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * s2s_arg_u32() - s2s_arg_u64() for 32-bit values
 * @text: the word
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * Return: as s2s_arg_u64().
 */
int s2s_arg_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int err;

	err = s2s_arg_u64(text, min, max, &v);
	if (!err)
		*out = (uint32_t)v;
	return err;
}

/**
 * s2s_arg_onoff() - "on" or "off"
 * @text: the word
 * @out: true for "on", set only on success
 *
 * Return: 0 or -EINVAL.
 */
int s2s_arg_onoff(const char *text, bool *out)
{
	if (!strcmp(text, "on"))
		*out = true;
	else if (!strcmp(text, "off"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}
