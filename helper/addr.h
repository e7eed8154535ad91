/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4/IPv6 addresses and prefixes as the spec carries them: binary
 * attributes of 4 or 16 bytes, the length giving the family.
 */
#ifndef S2S_HELPER_ADDR_H
#define S2S_HELPER_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Room for any address, and for any "address/length", as text. */
#define S2S_ADDR_STRLEN		INET6_ADDRSTRLEN
#define S2S_PREFIX_STRLEN	(INET6_ADDRSTRLEN + 4)

/**
 * struct s2s_addr - an outer or inner address
 * @family: AF_INET or AF_INET6; 0 while unset
 * @b: the address in network order; 4 or 16 bytes used
 */
struct s2s_addr {
	uint8_t family;
	uint8_t b[16];
};

/**
 * struct s2s_prefix - an address prefix (traffic selector)
 * @addr: the network address
 * @plen: prefix length, at most 32 (IPv4) or 128 (IPv6)
 */
struct s2s_prefix {
	struct s2s_addr addr;
	uint8_t plen;
};

size_t s2s_addr_len(const struct s2s_addr *a);
int s2s_addr_parse(const char *text, struct s2s_addr *a);
int s2s_addr_from_bytes(const void *p, size_t len, struct s2s_addr *a);
const char *s2s_addr_ntop(const struct s2s_addr *a, char *buf, size_t size);
int s2s_prefix_parse(const char *text, struct s2s_prefix *p);
const char *s2s_prefix_ntop(const struct s2s_prefix *p, char *buf,
			    size_t size);

#endif /* S2S_HELPER_ADDR_H */
