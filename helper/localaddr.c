// SPDX-License-Identifier: GPL-2.0
/* Is an address ours? See localaddr.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "localaddr.h"

/**
 * s2s_addr_is_local() - whether @addr is configured here
 * @family: AF_INET or AF_INET6
 * @addr: 4 or 16 bytes, network order
 *
 * Binding a datagram socket to an address succeeds exactly when the
 * kernel considers it local (without IP_FREEBIND or non-local binds):
 * the kernel's own answer, with no address list to keep in sync. An
 * IPv6 address still in duplicate address detection counts as not yet
 * local, as it does for charon.
 *
 * Return: true when the address is local.
 */
bool s2s_addr_is_local(uint16_t family, const void *addr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
		len = sizeof(*sin);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
		len = sizeof(*sin6);
	} else {
		return false;
	}
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ret = bind(fd, (struct sockaddr *)&ss, len);
	close(fd);
	return ret == 0;
}
