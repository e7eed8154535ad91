// SPDX-License-Identifier: GPL-2.0
/* IPv4/IPv6 addresses and prefixes: text and attribute forms. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "addr.h"
#include "args.h"

/**
 * s2s_addr_len() - bytes of the address on the wire
 * @a: the address
 *
 * Return: 4, 16, or 0 when @a is unset.
 */
size_t s2s_addr_len(const struct s2s_addr *a)
{
	switch (a->family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	}
	return 0;
}

/**
 * s2s_addr_parse() - an IPv4 or IPv6 address in text form
 * @text: e.g. "192.0.2.1" or "2001:db8::1"
 * @a: filled in
 *
 * Return: 0 or -EINVAL.
 */
int s2s_addr_parse(const char *text, struct s2s_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, a->b) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, text, a->b) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

/**
 * s2s_addr_from_bytes() - an address from an attribute's payload
 * @p: 4 or 16 bytes
 * @len: their number, which gives the family
 * @a: filled in
 *
 * Return: 0, or -EBADMSG for any other length.
 */
int s2s_addr_from_bytes(const void *p, size_t len, struct s2s_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len == 4)
		a->family = AF_INET;
	else if (len == 16)
		a->family = AF_INET6;
	else
		return -EBADMSG;
	memcpy(a->b, p, len);
	return 0;
}

/**
 * s2s_addr_ntop() - an address as text
 * @a: the address
 * @buf: at least S2S_ADDR_STRLEN bytes
 * @size: size of @buf
 *
 * Return: @buf; "?" for an unset address.
 */
const char *s2s_addr_ntop(const struct s2s_addr *a, char *buf, size_t size)
{
	if (!s2s_addr_len(a) || !inet_ntop(a->family, a->b, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

/**
 * s2s_prefix_parse() - "ADDR/LEN", or "ADDR" for a single host
 * @text: the prefix
 * @p: filled in; host bits are kept (the kernel clears them)
 *
 * Return: 0 or -EINVAL.
 */
int s2s_prefix_parse(const char *text, struct s2s_prefix *p)
{
	const char *slash = strchr(text, '/');
	char addr[S2S_PREFIX_STRLEN];
	uint32_t plen, max;
	size_t len;

	memset(p, 0, sizeof(*p));
	len = slash ? (size_t)(slash - text) : strlen(text);
	if (len >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (s2s_addr_parse(addr, &p->addr))
		return -EINVAL;
	max = p->addr.family == AF_INET ? 32 : 128;
	plen = max;
	if (slash && s2s_arg_u32(slash + 1, 0, max, &plen))
		return -EINVAL;
	p->plen = (uint8_t)plen;
	return 0;
}

/**
 * s2s_prefix_ntop() - a prefix as "ADDR/LEN"
 * @p: the prefix
 * @buf: at least S2S_PREFIX_STRLEN bytes
 * @size: size of @buf
 *
 * Return: @buf.
 */
const char *s2s_prefix_ntop(const struct s2s_prefix *p, char *buf,
			    size_t size)
{
	char addr[S2S_ADDR_STRLEN];

	snprintf(buf, size, "%s/%u",
		 s2s_addr_ntop(&p->addr, addr, sizeof(addr)), p->plen);
	return buf;
}
