// SPDX-License-Identifier: GPL-2.0
/* bench-rr - UDP request/response latency, one transaction in flight.
 *
 *   bench-rr server [PORT]
 *   bench-rr client HOST SECONDS [PORT] [SIZE]
 *
 * The server echoes every datagram. The client sends a SIZE-byte request
 * (default 64) carrying a sequence number, waits for that reply (1 s
 * timeout, counted), and repeats for SECONDS. It prints one JSON object:
 *   {"transactions":N,"timeouts":N,"seconds":S,"per_second":R,
 *    "median_us":M,"p90_us":P,"p99_us":Q}
 * Default port 7207. Exit 1 on error or when no transaction completed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define RR_PORT 7207

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int server(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	char buf[65536];
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("bench-rr: server socket");
		return 1;
	}
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t n;

		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("bench-rr: recvfrom");
			return 1;
		}
		sendto(fd, buf, n, 0, (struct sockaddr *)&peer, plen);
	}
}

static double pct(const uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (n - 1) + 0.5);

	return v[i] / 1000.0;
}

static int client(const char *host, double seconds, int port, size_t size)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 1 };
	uint64_t *lat = NULL, t0, t1, end, seq = 0;
	size_t n = 0, cap = 0, timeouts = 0;
	char *req, *rsp;
	int fd;

	if (size < sizeof(seq))
		size = sizeof(seq);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "bench-rr: bad address %s\n", host);
		return 1;
	}
	req = calloc(1, size);
	rsp = calloc(1, size + 1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!req || !rsp || fd < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("bench-rr: client socket");
		return 1;
	}
	t0 = now_ns();
	end = t0 + (uint64_t)(seconds * 1e9);
	do {
		uint64_t got, start;
		ssize_t r;

		seq++;
		memcpy(req, &seq, sizeof(seq));
		start = now_ns();
		if (send(fd, req, size, 0) < 0) {
			/* ICMP errors from an earlier send land here. */
			if (errno == ECONNREFUSED || errno == EHOSTUNREACH)
				usleep(10000);
			timeouts++;
			t1 = now_ns();
			continue;
		}
		for (;;) {
			r = recv(fd, rsp, size + 1, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				timeouts++;
				break;
			}
			memcpy(&got, rsp, sizeof(got));
			if (got == seq)
				break;
			/* a late reply to a request that already timed out */
		}
		t1 = now_ns();
		if (r < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				return 1;
		}
		lat[n++] = t1 - start;
	} while (t1 < end);

	if (!n) {
		printf("{\"transactions\":0,\"timeouts\":%zu}\n", timeouts);
		return 1;
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("{\"transactions\":%zu,\"timeouts\":%zu,\"seconds\":%.6f,"
	       "\"per_second\":%.1f,\"median_us\":%.1f,\"p90_us\":%.1f,"
	       "\"p99_us\":%.1f}\n", n, timeouts, (t1 - t0) / 1e9,
	       n / ((t1 - t0) / 1e9), pct(lat, n, 0.5), pct(lat, n, 0.9),
	       pct(lat, n, 0.99));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "server"))
		return server(argc > 2 ? atoi(argv[2]) : RR_PORT);
	if (argc >= 4 && !strcmp(argv[1], "client"))
		return client(argv[2], atof(argv[3]),
			      argc > 4 ? atoi(argv[4]) : RR_PORT,
			      argc > 5 ? strtoul(argv[5], NULL, 0) : 64);
	fprintf(stderr, "usage: bench-rr server [PORT]\n"
		"       bench-rr client HOST SECONDS [PORT] [SIZE]\n");
	return 1;
}
