// SPDX-License-Identifier: GPL-2.0
/* Netlink transport on top of libmnl.
 *
 * We dispatch received messages ourselves rather than with mnl_cb_run():
 * the end of every exchange (NLMSG_ERROR or NLMSG_DONE) carries the
 * kernel's errno and extack message, which libmnl drops; and a dump we
 * stop reading half-way (callback error, NLM_F_DUMP_INTR) must still be
 * read to its end, or its tail would answer our next request.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "attr.h"
#include "nl.h"

/* One exchange: a request's replies, or one read of events. */
struct s2s_nl_run {
	s2s_nl_cb cb;
	void *data;
	unsigned int seq;	/* 0: events, any sequence number */
	char *extack;
	int err;		/* first error; later ones are consequences */
	bool done;		/* NLMSG_ERROR or NLMSG_DONE seen */
};

struct s2s_extack {
	uint64_t present;
	char msg[S2S_NL_EXTACK_MAX];
};

/**
 * s2s_nl_open() - open and bind a netlink socket
 * @nl: zeroed or closed state to fill
 * @bus: NETLINK_GENERIC, NETLINK_XFRM, ...
 *
 * Return: 0 or a negative errno; on error @nl needs no s2s_nl_close().
 */
int s2s_nl_open(struct s2s_nl *nl, int bus)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->rxbuf = calloc(1, S2S_NL_RXBUF_SIZE);
	if (!nl->rxbuf)
		return -ENOMEM;
	/* best effort: key bytes pass through here and must not hit swap */
	(void)mlock(nl->rxbuf, S2S_NL_RXBUF_SIZE);
	nl->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* ask for the kernel's reasons, without an echo of our request */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
err:
	err = -errno;
	s2s_nl_close(nl);
	return err;
}

/**
 * s2s_nl_close() - close the socket and wipe and free the buffer
 * @nl: state from s2s_nl_open(); safe to call twice
 */
void s2s_nl_close(struct s2s_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	if (nl->rxbuf) {
		explicit_bzero(nl->rxbuf, S2S_NL_RXBUF_SIZE);
		munlock(nl->rxbuf, S2S_NL_RXBUF_SIZE);
		free(nl->rxbuf);
	}
	nl->sock = NULL;
	nl->rxbuf = NULL;
}

/**
 * s2s_nl_fd() - the socket's file descriptor, for poll()
 * @nl: an open socket
 *
 * Return: the descriptor.
 */
int s2s_nl_fd(const struct s2s_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

/**
 * s2s_nl_join() - subscribe to a multicast group
 * @nl: an open socket
 * @group: group number (not a bit mask)
 *
 * Return: 0 or a negative errno.
 */
int s2s_nl_join(struct s2s_nl *nl, unsigned int group)
{
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

static void s2s_nl_dispatch(const struct nlmsghdr *nlh, struct s2s_nl_run *run)
{
	int err = 0;

	if (run->seq && nlh->nlmsg_seq != run->seq)
		return;		/* late answer to an abandoned request */
	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
		err = s2s_nl_parse_error(nlh, run->extack, S2S_NL_EXTACK_MAX);
		run->done = true;
	} else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && !run->err &&
		   run->cb) {
		err = run->cb(nlh, run->data);
	}
	/* the dump changed under us: what we read may be inconsistent */
	if (!err && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
		err = -EINTR;
	if (err && !run->err)
		run->err = err;
}

/* Read one datagram and dispatch the messages in it. */
static int s2s_nl_recv_batch(struct s2s_nl *nl, struct s2s_nl_run *run)
{
	const struct nlmsghdr *nlh = (const void *)nl->rxbuf;
	ssize_t n;
	int len;

	n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, S2S_NL_RXBUF_SIZE);
	if (n < 0)
		return -errno;
	for (len = (int)n; mnl_nlmsg_ok(nlh, len) && !run->done;
	     nlh = mnl_nlmsg_next(nlh, &len))
		s2s_nl_dispatch(nlh, run);
	/* a broken datagram may have eaten the end marker: stop waiting */
	if (len > 0 && !run->done) {
		if (!run->err)
			run->err = -EBADMSG;
		run->done = run->seq != 0;
	}
	explicit_bzero(nl->rxbuf, (size_t)n);
	return 0;
}

/**
 * s2s_nl_request() - send a request and read all of its reply
 * @nl: an open socket
 * @req: the request; flags REQUEST and ACK and the sequence are set here
 * @cb: called per data message (one for a do, many for a dump), may be NULL
 * @data: passed to @cb
 *
 * Return: 0, the kernel's negative errno (its extack message is then in
 * nl->extack), -EINTR when a dump was interrupted by a change, or the
 * first error returned by @cb.
 */
int s2s_nl_request(struct s2s_nl *nl, struct nlmsghdr *req, s2s_nl_cb cb,
		   void *data)
{
	struct s2s_nl_run run = { .cb = cb, .data = data, .extack = nl->extack };
	int err;

	nl->extack[0] = '\0';
	if (++nl->seq == 0)
		nl->seq = 1;	/* 0 would turn off the sequence check */
	req->nlmsg_seq = run.seq = nl->seq;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	while (!run.done) {
		err = s2s_nl_recv_batch(nl, &run);
		if (err)
			return err;
	}
	return run.err;
}

/**
 * s2s_nl_recv_events() - read one datagram of multicast messages
 * @nl: a socket that joined groups
 * @cb: called per message
 * @data: passed to @cb
 *
 * Blocks unless the socket is readable.
 *
 * Return: 0, -ENOBUFS when the kernel dropped events for us (resync!),
 * another negative errno, or the first error of @cb.
 */
int s2s_nl_recv_events(struct s2s_nl *nl, s2s_nl_cb cb, void *data)
{
	struct s2s_nl_run run = { .cb = cb, .data = data, .extack = nl->extack };
	int err;

	err = s2s_nl_recv_batch(nl, &run);
	return err ? err : run.err;
}

/* Kept verbatim, only cut to our buffer: a too-long message is still
 * the kernel's reason, unlike a too-long interface name.
 */
static int s2s_extack_msg(const struct nlattr *attr, void *obj)
{
	const char *msg = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	struct s2s_extack *ea = obj;

	if (len == 0 || msg[len - 1] != '\0')
		return -EBADMSG;
	snprintf(ea->msg, sizeof(ea->msg), "%s", msg);
	return 0;
}

static const struct s2s_attr_rule s2s_extack_rules[] = {
	S2S_ATTR_CUSTOM_RULE(NLMSGERR_ATTR_MSG, s2s_extack_msg),
};

static const struct s2s_attr_policy s2s_extack_policy =
	S2S_ATTR_POLICY(s2s_extack_rules, struct s2s_extack, present);

/* Find the errno and the start of the TLVs in an ERROR or DONE message. */
static int s2s_nl_error_layout(const struct nlmsghdr *nlh, int *error,
			       size_t *tlv_off)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len;

	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	len = nlh->nlmsg_len - NLMSG_HDRLEN;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's end holds the dump's errno, when there is room */
		*error = 0;
		*tlv_off = len;
		if (len >= sizeof(int)) {
			memcpy(error, e, sizeof(int));
			*tlv_off = sizeof(int);
		}
		return 0;
	}
	if (len < sizeof(*e))
		return -EBADMSG;
	*error = e->error;
	/* without NETLINK_CAP_ACK the kernel echoes our whole request */
	*tlv_off = sizeof(int) + e->msg.nlmsg_len;
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		*tlv_off = sizeof(*e);
	return 0;
}

/**
 * s2s_nl_parse_error() - errno and extack message of an ERROR or DONE
 * @nlh: an NLMSG_ERROR or NLMSG_DONE message
 * @extack: receives the kernel's message, "" when it sent none
 * @size: size of @extack (0: do not store)
 *
 * Return: 0 for an ack (the message, if any, is then a warning), the
 * kernel's negative errno, or -EBADMSG when @nlh is truncated.
 */
int s2s_nl_parse_error(const struct nlmsghdr *nlh, char *extack, size_t size)
{
	struct s2s_extack ea = { 0 };
	size_t tlv_off;
	int error;

	if (size)
		extack[0] = '\0';
	if (s2s_nl_error_layout(nlh, &error, &tlv_off))
		return -EBADMSG;
	/* a broken TLV must not hide the errno: keep what parsed */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		(void)s2s_attr_parse_msg(nlh, tlv_off, &s2s_extack_policy, &ea);
	if (size && S2S_ATTR_HAS(ea.present, NLMSGERR_ATTR_MSG))
		snprintf(extack, size, "%s", ea.msg);
	return error > 0 ? -error : error;
}

/**
 * s2s_nl_strerror() - describe an error for a user
 * @err: negative errno
 * @extack: the kernel's message or NULL/""
 * @buf: output
 * @size: size of @buf
 *
 * Return: @buf, "<strerror>: <kernel message>" or "<strerror>".
 */
const char *s2s_nl_strerror(int err, const char *extack, char *buf,
			    size_t size)
{
	const char *what = strerror(-err);

	if (err == -EINTR)
		what = "dump interrupted by a concurrent change, try again";
	else if (err == -EBADMSG && !(extack && *extack))
		what = "malformed netlink message from the kernel";
	if (extack && *extack)
		snprintf(buf, size, "%s: %s", what, extack);
	else
		snprintf(buf, size, "%s", what);
	return buf;
}
