// SPDX-License-Identifier: GPL-2.0
/* vici connection; see vici_client.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "vici_client.h"

/* What the current command waits for. */
struct s2s_vici_wait {
	uint8_t want;		/* CMD_RESPONSE or EVENT_CONFIRM */
	s2s_vici_msg_cb cb;
	void *ctx;
	int result;		/* 1 while waiting, then 0 or -errno */
};

/**
 * s2s_vici_conn_init() - a closed connection
 * @c: state to fill
 * @on_event: event callback (may be NULL)
 * @ctx: passed to callbacks
 */
void s2s_vici_conn_init(struct s2s_vici_conn *c, s2s_vici_msg_cb on_event,
			void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->on_event = on_event;
	c->ctx = ctx;
}

/**
 * s2s_vici_connect() - connect to charon's vici socket
 * @c: a closed connection
 * @path: socket path; a "unix://" prefix as in strongswan.conf is accepted
 *
 * Return: 0 or a negative errno (-ENOENT/-ECONNREFUSED: charon is not
 * running, -ENAMETOOLONG: path too long for a unix socket).
 */
int s2s_vici_connect(struct s2s_vici_conn *c, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, err;

	if (!strncmp(path, "unix://", 7))
		path += 7;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a local connect completes at once or fails: no need to wait */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    fcntl(fd, F_SETFL, O_NONBLOCK)) {
		err = -errno;
		close(fd);
		return err;
	}
	c->fd = fd;
	return 0;
}

/**
 * s2s_vici_close() - close the socket, wipe what was received
 * @c: connection; safe to call when closed
 */
void s2s_vici_close(struct s2s_vici_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	s2s_vici_rx_free(&c->rx);
}

static long s2s_vici_ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 +
	       (end->tv_nsec - now.tv_nsec) / 1000000;
}

static void s2s_vici_deadline(struct timespec *end, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, end);
	end->tv_sec += timeout_ms / 1000;
	end->tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end->tv_nsec >= 1000000000) {
		end->tv_sec++;
		end->tv_nsec -= 1000000000;
	}
}

/* Wait for @events until @end. Return: 0, -ETIMEDOUT or -errno. */
static int s2s_vici_wait_fd(int fd, short events, const struct timespec *end)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	long left;
	int n;

	for (;;) {
		left = s2s_vici_ms_left(end);
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* The socket is non-blocking: a short write waits for room. */
static int s2s_vici_send(struct s2s_vici_conn *c, const uint8_t *p,
			 size_t len, const struct timespec *end)
{
	ssize_t n;
	int err;

	while (len) {
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -errno;
		err = s2s_vici_wait_fd(c->fd, POLLOUT, end);
		if (err)
			return err;
	}
	return 0;
}

static void s2s_vici_message(const struct s2s_vici_packet *pkt,
			     s2s_vici_msg_cb cb, void *ctx, int *result)
{
	struct s2s_vici_tree t;
	int err;

	err = s2s_vici_tree_parse(pkt->msg, pkt->msg_len, &t);
	if (!err && cb)
		cb(pkt->name, &t, ctx);
	s2s_vici_tree_free(&t);
	if (result)
		*result = err;
}

/* One packet. Return: 0, or -EPROTO for a reply nobody waits for. */
static int s2s_vici_handle(struct s2s_vici_conn *c, const uint8_t *p,
			   size_t len, struct s2s_vici_wait *w)
{
	struct s2s_vici_packet pkt;
	int err;

	if (c->on_raw)
		c->on_raw(p, len, c->ctx);
	err = s2s_vici_packet_parse(p, len, &pkt);
	if (err)
		return err;
	if (pkt.type == S2S_VICI_EVENT) {
		s2s_vici_message(&pkt, c->on_event, c->ctx, &err);
		/* framing is intact: skip one bad event, keep the stream */
		if (err)
			c->bad_events++;
		return 0;
	}
	if (!w || w->result != 1)
		return -EPROTO;
	switch (pkt.type) {
	case S2S_VICI_CMD_RESPONSE:
		if (w->want != S2S_VICI_CMD_RESPONSE)
			return -EPROTO;
		s2s_vici_message(&pkt, w->cb, w->ctx, &w->result);
		return 0;
	case S2S_VICI_CMD_UNKNOWN:
		if (w->want != S2S_VICI_CMD_RESPONSE)
			return -EPROTO;
		w->result = -EOPNOTSUPP;
		return 0;
	case S2S_VICI_EVENT_CONFIRM:
		if (w->want != S2S_VICI_EVENT_CONFIRM)
			return -EPROTO;
		w->result = 0;
		return 0;
	case S2S_VICI_EVENT_UNKNOWN:
		if (w->want != S2S_VICI_EVENT_CONFIRM)
			return -EPROTO;
		w->result = -ENOENT;
		return 0;
	}
	return -EPROTO;
}

/* Read what is there and handle every complete packet.
 * Return: 0, -EAGAIN when nothing could be read, -ECONNRESET at the end
 * of the stream, or a framing/protocol error.
 */
static int s2s_vici_pump(struct s2s_vici_conn *c, struct s2s_vici_wait *w)
{
	const uint8_t *pkt;
	size_t room, plen;
	uint8_t *p;
	ssize_t n;
	int err;

	err = s2s_vici_rx_space(&c->rx, &p, &room);
	if (err)
		return err;
	n = recv(c->fd, p, room, 0);
	if (n == 0)
		return -ECONNRESET;
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	s2s_vici_rx_commit(&c->rx, (size_t)n);
	while ((err = s2s_vici_rx_frame(&c->rx, &pkt, &plen)) == 1) {
		err = s2s_vici_handle(c, pkt, plen, w);
		s2s_vici_rx_consume(&c->rx, plen);
		if (err)
			return err;
	}
	return err;
}

static int s2s_vici_exchange(struct s2s_vici_conn *c, const uint8_t *frame,
			     size_t len, int timeout_ms,
			     struct s2s_vici_wait *w)
{
	struct timespec end;
	int err;

	if (c->fd < 0)
		return -ENOTCONN;
	s2s_vici_deadline(&end, timeout_ms);
	w->result = 1;
	err = s2s_vici_send(c, frame, len, &end);
	while (!err && w->result == 1) {
		err = s2s_vici_pump(c, w);
		if (err == -EAGAIN)
			err = s2s_vici_wait_fd(c->fd, POLLIN, &end);
	}
	return err ? err : w->result;
}

/**
 * s2s_vici_register() - subscribe to an event
 * @c: a connected connection
 * @event: its name, e.g. "child-updown"
 * @timeout_ms: how long charon may take to confirm
 *
 * Return: 0; -ENOENT when charon has no such event; -ETIMEDOUT,
 * -ECONNRESET, -EPROTO or another error after which @c must be closed.
 */
int s2s_vici_register(struct s2s_vici_conn *c, const char *event,
		      int timeout_ms)
{
	struct s2s_vici_wait w = { .want = S2S_VICI_EVENT_CONFIRM };
	struct s2s_vici_builder b;
	uint8_t buf[S2S_VICI_HDR_LEN + 2 + S2S_VICI_NAME_MAX];
	int len;

	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_EVENT_REGISTER, event);
	len = s2s_vici_finish(&b);
	if (len < 0)
		return len;
	return s2s_vici_exchange(c, buf, (size_t)len, timeout_ms, &w);
}

/**
 * s2s_vici_request() - send a command and wait for its response
 * @c: a connected connection
 * @frame: the CMD_REQUEST frame (from s2s_vici_finish())
 * @len: its length
 * @timeout_ms: how long charon may take; events keep being delivered
 * @on_response: called with the response message (may be NULL)
 * @ctx: passed to @on_response
 *
 * Return: 0; -EOPNOTSUPP when charon does not know the command;
 * -EBADMSG for a malformed response; -ETIMEDOUT, -ECONNRESET, -EPROTO
 * or another error after which @c must be closed (a late response would
 * answer the next command).
 */
int s2s_vici_request(struct s2s_vici_conn *c, const uint8_t *frame,
		     size_t len, int timeout_ms, s2s_vici_msg_cb on_response,
		     void *ctx)
{
	struct s2s_vici_wait w = {
		.want = S2S_VICI_CMD_RESPONSE, .cb = on_response, .ctx = ctx,
	};

	return s2s_vici_exchange(c, frame, len, timeout_ms, &w);
}

/**
 * s2s_vici_read() - handle the events that arrived, without blocking
 * @c: a connected connection whose socket poll() found readable
 *
 * Return: 0; -ECONNRESET when charon closed the connection; another
 * negative errno after which @c must be closed.
 */
int s2s_vici_read(struct s2s_vici_conn *c)
{
	int err;

	if (c->fd < 0)
		return -ENOTCONN;
	do
		err = s2s_vici_pump(c, NULL);
	while (!err);
	return err == -EAGAIN ? 0 : err;
}
