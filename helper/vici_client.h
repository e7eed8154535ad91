/* SPDX-License-Identifier: GPL-2.0 */
/* A vici connection to charon: one command at a time (the protocol has
 * no request ids), events delivered whenever they arrive, including
 * between a request and its response.
 *
 * Commands block for at most their timeout; events are read without
 * blocking from the caller's poll loop. Callbacks must not send
 * commands themselves.
 */
#ifndef S2S_HELPER_VICI_CLIENT_H
#define S2S_HELPER_VICI_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "vici.h"

#define S2S_VICI_DEFAULT_PATH	"/var/run/charon.vici"
/* Room for the commands s2sd sends (a few keys each). */
#define S2S_VICI_REQ_MAX	1024

/* An event or response message; @t is valid only during the call. */
typedef void (*s2s_vici_msg_cb)(const char *name,
				const struct s2s_vici_tree *t, void *ctx);
/* Every received packet as it came, e.g. to record it. */
typedef void (*s2s_vici_raw_cb)(const uint8_t *pkt, size_t len, void *ctx);

/**
 * struct s2s_vici_conn - a connection and its receive state
 * @fd: the stream socket, -1 while closed
 * @rx: bytes received and not yet handled
 * @on_event: called per EVENT packet with its name and message
 * @on_raw: called per packet before it is handled (may be NULL)
 * @ctx: passed to the callbacks
 * @bad_events: events dropped because their message was malformed
 */
struct s2s_vici_conn {
	int fd;
	struct s2s_vici_rx rx;
	s2s_vici_msg_cb on_event;
	s2s_vici_raw_cb on_raw;
	void *ctx;
	unsigned long bad_events;
};

void s2s_vici_conn_init(struct s2s_vici_conn *c, s2s_vici_msg_cb on_event,
			void *ctx);
int s2s_vici_connect(struct s2s_vici_conn *c, const char *path);
void s2s_vici_close(struct s2s_vici_conn *c);
int s2s_vici_register(struct s2s_vici_conn *c, const char *event,
		      int timeout_ms);
int s2s_vici_request(struct s2s_vici_conn *c, const uint8_t *frame,
		     size_t len, int timeout_ms, s2s_vici_msg_cb on_response,
		     void *ctx);
int s2s_vici_read(struct s2s_vici_conn *c);

#endif /* S2S_HELPER_VICI_CLIENT_H */
