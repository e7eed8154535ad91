// SPDX-License-Identifier: GPL-2.0
/*
 * encap-listen: hold a UDP socket in ESP-in-UDP mode (RFC 3948), as charon
 * does on port 4500, so that the kernel hands arriving ESP-in-UDP packets to
 * the ESP receive chain (XFRM and s2s). Test tool for manual keying.
 *
 *   encap-listen 4|6 PORT      runs until killed
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

int main(int argc, char **argv)
{
	int type = UDP_ENCAP_ESPINUDP, family, fd, port, one = 1;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;

	if (argc != 3 || (strcmp(argv[1], "4") && strcmp(argv[1], "6"))) {
		fprintf(stderr, "usage: encap-listen 4|6 PORT\n");
		return 2;
	}
	family = argv[1][0] == '4' ? AF_INET : AF_INET6;
	port = atoi(argv[2]);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "encap-listen: bad port %s\n", argv[2]);
		return 2;
	}

	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("encap-listen: socket");
		return 1;
	}
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("encap-listen: bind");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) < 0) {
		perror("encap-listen: UDP_ENCAP");
		return 1;
	}
	/* Non-ESP datagrams (IKE) still arrive here: read and drop them. */
	for (;;) {
		char buf[2048];

		if (recv(fd, buf, sizeof(buf), 0) < 0 && errno != EINTR) {
			perror("encap-listen: recv");
			return 1;
		}
	}
}
