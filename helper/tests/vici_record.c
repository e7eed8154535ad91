// SPDX-License-Identifier: GPL-2.0
/* Records the vici packets charon sends, for the unit tests' data:
 *
 *   vici_record SOCKET OUTDIR SECONDS [-l] [-c] EVENT...
 *
 * Subscribes to each EVENT, with -l also sends a list-sas command, with
 * -c a list-conns command (the loaded configurations), then
 * writes every packet received within SECONDS to OUTDIR/NN-TYPE-NAME.hex
 * (frame header included, hex, 32 bytes a line). Never used on a
 * production charon: list-sas output can hold more than tests need.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vici.h"
#include "vici_client.h"

struct rec {
	const char *dir;
	unsigned int n;
};

static void rec_raw(const uint8_t *pkt, size_t len, void *ctx)
{
	struct s2s_vici_packet p;
	struct rec *r = ctx;
	char path[4096];
	uint8_t hdr[4] = {
		(uint8_t)(len >> 24), (uint8_t)(len >> 16),
		(uint8_t)(len >> 8), (uint8_t)len,
	};
	size_t i;
	FILE *f;

	if (s2s_vici_packet_parse(pkt, len, &p))
		snprintf(p.name, sizeof(p.name), "malformed");
	snprintf(path, sizeof(path), "%s/%02u-%s%s%s.hex", r->dir, r->n++,
		 s2s_vici_type_name(p.type), p.name[0] ? "-" : "", p.name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < 4 + len; i++)
		fprintf(f, "%02x%s", i < 4 ? hdr[i] : pkt[i - 4],
			(i + 1) % 32 && i + 1 != 4 + len ? "" : "\n");
	fclose(f);
	printf("%s\n", path);
}

int main(int argc, char **argv)
{
	uint8_t buf[S2S_VICI_REQ_MAX];
	struct s2s_vici_builder b;
	struct s2s_vici_conn c;
	struct rec r = { 0 };
	bool list = false, conns = false;
	time_t end;
	int i, err, len;

	if (argc < 5) {
		fprintf(stderr, "usage: vici_record SOCKET OUTDIR SECONDS [-l] [-c] EVENT...\n");
		return 2;
	}
	r.dir = argv[2];
	end = time(NULL) + atoi(argv[3]);
	s2s_vici_conn_init(&c, NULL, &r);
	c.on_raw = rec_raw;
	err = s2s_vici_connect(&c, argv[1]);
	if (err) {
		fprintf(stderr, "connect %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "-l")) {
			list = true;
			continue;
		}
		if (!strcmp(argv[i], "-c")) {
			conns = true;
			continue;
		}
		err = s2s_vici_register(&c, argv[i], 5000);
		if (err) {
			fprintf(stderr, "register %s: %s\n", argv[i], strerror(-err));
			return 1;
		}
	}
	if (list) {
		err = s2s_vici_register(&c, "list-sa", 5000);
		s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST,
			       "list-sas");
		len = s2s_vici_finish(&b);
		if (!err && len > 0)
			err = s2s_vici_request(&c, buf, (size_t)len, 5000, NULL,
					       NULL);
		if (err) {
			fprintf(stderr, "list-sas: %s\n", strerror(-err));
			return 1;
		}
	}
	if (conns) {
		err = s2s_vici_register(&c, "list-conn", 5000);
		s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_REQUEST,
			       "list-conns");
		len = s2s_vici_finish(&b);
		if (!err && len > 0)
			err = s2s_vici_request(&c, buf, (size_t)len, 5000, NULL,
					       NULL);
		if (err) {
			fprintf(stderr, "list-conns: %s\n", strerror(-err));
			return 1;
		}
	}
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd pfd = { .fd = c.fd, .events = POLLIN };

		if (poll(&pfd, 1, 200) > 0) {
			err = s2s_vici_read(&c);
			if (err) {
				fprintf(stderr, "read: %s\n", strerror(-err));
				break;
			}
			fflush(stdout);
		}
	}
	s2s_vici_close(&c);
	return 0;
}
