// SPDX-License-Identifier: GPL-2.0
/* bench-scale - create many s2s links and SAs through netlink, timed.
 *
 *   bench-scale links N PREFIX          N links PREFIX0..PREFIX{N-1} (rtnetlink)
 *   bench-scale sas N PREFIX PER LOCAL REMOTE
 *                                       PER SAs (in, out, in, ...) on each of
 *                                       the N links, AES-256-GCM (genl "s2s")
 *
 * Requests are sent in batches of up to 64 KiB, each with NLM_F_ACK, and
 * every ack is checked. Prints one JSON object:
 *   {"what":"links"|"sas","count":N,"seconds":S}
 * Exit 0 when every request succeeded, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/s2s.h>

#define BATCH_BYTES	(64 * 1024)
#define MSG_MAX		512
/* Every request is acked, and each ack costs about 1 KiB of the socket's
 * receive buffer (skb truesize): keep a batch's acks well inside it.
 */
#define BATCH_MSGS	100

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct batch {
	struct mnl_socket *nl;
	char buf[BATCH_BYTES];
	size_t len;
	unsigned int seq, first_seq, pending;
	unsigned int errors;
};

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* Read acks until all @b->pending requests are answered. */
static int batch_flush(struct batch *b)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];

	if (!b->len)
		return 0;
	if (mnl_socket_sendto(b->nl, b->buf, b->len) < 0) {
		perror("bench-scale: send");
		return -1;
	}
	while (b->pending) {
		ssize_t n = mnl_socket_recvfrom(b->nl, rbuf, sizeof(rbuf));
		struct nlmsghdr *nlh = (struct nlmsghdr *)rbuf;
		int len = n;

		if (n < 0) {
			perror("bench-scale: recv");
			return -1;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error) {
					if (!b->errors++)
						fprintf(stderr, "bench-scale: request %u: %s\n",
							nlh->nlmsg_seq, strerror(-e->error));
				}
				b->pending--;
			} else {
				mnl_cb_run(nlh, nlh->nlmsg_len, 0, 0, ack_cb, NULL);
			}
		}
	}
	b->len = 0;
	return 0;
}

static struct nlmsghdr *batch_msg(struct batch *b)
{
	struct nlmsghdr *nlh;

	if ((b->len + MSG_MAX > sizeof(b->buf) || b->pending >= BATCH_MSGS) &&
	    batch_flush(b))
		return NULL;
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	nlh->nlmsg_seq = ++b->seq;
	b->pending++;
	return nlh;
}

static void batch_done(struct batch *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static int genl_family(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *a;
	ssize_t n;
	int id = -1;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0 || nlh->nlmsg_type == NLMSG_ERROR)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			id = mnl_attr_get_u16(a);
	return id;
}

static int make_links(struct batch *b, unsigned int n, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct nlmsghdr *nlh = batch_msg(b);
		struct ifinfomsg *ifm;
		struct nlattr *li;
		char name[IFNAMSIZ];

		if (!nlh)
			return -1;
		nlh->nlmsg_type = RTM_NEWLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		snprintf(name, sizeof(name), "%s%u", prefix, i);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "s2s");
		mnl_attr_nest_end(nlh, li);
		batch_done(b, nlh);
	}
	return batch_flush(b);
}

static int make_sas(struct batch *b, int family, unsigned int n,
		    const char *prefix, unsigned int per, const char *local,
		    const char *remote)
{
	unsigned char key[36];
	struct in_addr l, r;
	unsigned int i, j;

	if (inet_pton(AF_INET, local, &l) != 1 || inet_pton(AF_INET, remote, &r) != 1) {
		fprintf(stderr, "bench-scale: LOCAL and REMOTE must be IPv4 addresses\n");
		return -1;
	}
	for (i = 0; i < sizeof(key); i++)
		key[i] = i;
	for (i = 0; i < n; i++) {
		char name[IFNAMSIZ];
		unsigned int ifindex;

		snprintf(name, sizeof(name), "%s%u", prefix, i);
		ifindex = if_nametoindex(name);
		if (!ifindex) {
			fprintf(stderr, "bench-scale: no link %s\n", name);
			return -1;
		}
		for (j = 0; j < per; j++) {
			struct nlmsghdr *nlh = batch_msg(b);
			struct genlmsghdr *g;

			if (!nlh)
				return -1;
			nlh->nlmsg_type = family;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
			g->cmd = S2S_CMD_SA_NEW;
			g->version = S2S_FAMILY_VERSION;
			mnl_attr_put_u32(nlh, S2S_A_SA_IFINDEX, ifindex);
			mnl_attr_put_u32(nlh, S2S_A_SA_DIR, j % 2 ? S2S_DIR_OUT : S2S_DIR_IN);
			mnl_attr_put_u32(nlh, S2S_A_SA_SPI, 0x10000000 + i * per + j);
			mnl_attr_put_u32(nlh, S2S_A_SA_ENC, S2S_ENC_AES_GCM);
			mnl_attr_put(nlh, S2S_A_SA_ENC_KEY, sizeof(key), key);
			mnl_attr_put(nlh, S2S_A_SA_LOCAL, 4, &l);
			mnl_attr_put(nlh, S2S_A_SA_REMOTE, 4, &r);
			batch_done(b, nlh);
		}
	}
	return batch_flush(b);
}

int main(int argc, char **argv)
{
	static struct batch b;
	unsigned int n, count;
	int family = 0, bus, ret;
	double t0, t1;

	if (argc == 4 && !strcmp(argv[1], "links"))
		bus = NETLINK_ROUTE;
	else if (argc == 7 && !strcmp(argv[1], "sas"))
		bus = NETLINK_GENERIC;
	else {
		fprintf(stderr, "usage: bench-scale links N PREFIX\n"
			"       bench-scale sas N PREFIX PER LOCAL REMOTE\n");
		return 1;
	}
	n = strtoul(argv[2], NULL, 0);
	b.nl = mnl_socket_open(bus);
	if (!b.nl || mnl_socket_bind(b.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("bench-scale: netlink socket");
		return 1;
	}
	if (bus == NETLINK_GENERIC) {
		family = genl_family(b.nl, S2S_FAMILY_NAME);
		if (family < 0) {
			fprintf(stderr, "bench-scale: no genl family %s\n", S2S_FAMILY_NAME);
			return 1;
		}
	}
	t0 = now();
	if (bus == NETLINK_ROUTE) {
		ret = make_links(&b, n, argv[3]);
		count = n;
	} else {
		unsigned int per = strtoul(argv[4], NULL, 0);

		ret = make_sas(&b, family, n, argv[3], per, argv[5], argv[6]);
		count = n * per;
	}
	t1 = now();
	mnl_socket_close(b.nl);
	if (ret) {
		fprintf(stderr, "bench-scale: stopped after %u of %u requests\n",
			b.seq - b.pending, count);
		return 1;
	}
	if (b.errors) {
		fprintf(stderr, "bench-scale: %u of %u requests failed\n", b.errors, count);
		return 1;
	}
	printf("{\"what\":\"%s\",\"count\":%u,\"seconds\":%.6f}\n", argv[1], count, t1 - t0);
	return 0;
}
