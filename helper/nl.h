/* SPDX-License-Identifier: GPL-2.0 */
/* One netlink socket (any bus): requests, dumps, events, and the kernel's
 * errors with their extended-ack message.
 */
#ifndef S2S_HELPER_NL_H
#define S2S_HELPER_NL_H

#include <stddef.h>
#include <linux/netlink.h>

/* The kernel builds dump messages of up to 32 KiB; a smaller buffer would
 * see them truncated.
 */
#define S2S_NL_RXBUF_SIZE	32768
#define S2S_NL_EXTACK_MAX	256
#define S2S_NL_ERR_MAX		(S2S_NL_EXTACK_MAX + 128)

struct mnl_socket;

/**
 * struct s2s_nl - a netlink socket and what its last exchange left
 * @sock: the libmnl socket
 * @portid: our address, checked by the kernel's replies
 * @seq: sequence number of the last request
 * @rxbuf: receive buffer, wiped after every read (XFRM replies hold keys)
 * @extack: the kernel's message for the last error ("" when it gave
 *	none); after a success it may hold a warning
 */
struct s2s_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *rxbuf;
	char extack[S2S_NL_EXTACK_MAX];
};

/* Called per data message; a negative errno stops further calls and is
 * what the request returns, once the rest of the reply is read.
 */
typedef int (*s2s_nl_cb)(const struct nlmsghdr *nlh, void *data);

int s2s_nl_open(struct s2s_nl *nl, int bus);
void s2s_nl_close(struct s2s_nl *nl);
int s2s_nl_fd(const struct s2s_nl *nl);
int s2s_nl_join(struct s2s_nl *nl, unsigned int group);
int s2s_nl_request(struct s2s_nl *nl, struct nlmsghdr *req, s2s_nl_cb cb,
		   void *data);
int s2s_nl_recv_events(struct s2s_nl *nl, s2s_nl_cb cb, void *data);
int s2s_nl_parse_error(const struct nlmsghdr *nlh, char *extack,
		       size_t size);
const char *s2s_nl_strerror(int err, const char *extack, char *buf,
			    size_t size);

#endif /* S2S_HELPER_NL_H */
