/* SPDX-License-Identifier: GPL-2.0 */
/* The tunnel status users expect (connecting, connected, phase 1 failed,
 * phase 2 failed, down), per s2s link, from what charon tells s2sd over
 * vici: child-updown/child-rekey/list-sa, ike-updown, and for failures
 * the "log" event stream (charon 5.9 has no failure event), whose IKE,
 * CFG and ENC messages name what went wrong.
 *
 * A connection (IKE config name) belongs to the link whose if-id its
 * children carry; charon's list-conns does not report if-ids, so the
 * tracker learns them from every Child SA it sees, and until then takes
 * the only s2s link with an if-id, when there is exactly one. No I/O
 * here: the caller pushes changed states into the module.
 */
#ifndef S2S_HELPER_IKE_STATUS_H
#define S2S_HELPER_IKE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "vici.h"
#include "vici_sa.h"

#define S2S_IKE_TRACK_CONNS	64
#define S2S_IKE_TRACK_LINKS	64
#define S2S_IKE_TRACK_PENDING	16
/* What a log message may hold that the classifier looks at. */
#define S2S_IKE_MSG_MAX		512

/**
 * struct s2s_ike_log - the fields of a vici "log" event
 * @group: charon's subsystem, e.g. "IKE", "CFG", "ENC"
 * @level: 0 (basic) to 4
 * @ike: IKE SA (connection) name; "" when the message has none
 * @ike_id: IKE SA unique id (0: none)
 * @msg: the text (cut at S2S_IKE_MSG_MAX - 1 bytes)
 */
struct s2s_ike_log {
	char group[8];
	int level;
	char ike[S2S_VICI_NAME_LEN];
	uint32_t ike_id;
	char msg[S2S_IKE_MSG_MAX];
};

/**
 * struct s2s_ike_verdict - what a log message says about a tunnel
 * @status: enum s2s_ike_status
 * @reason: short text, without the connection or child name
 * @sticky: a failure: a following attempt (connecting) does not hide it
 * @child_name: the message names the Child SA being negotiated; @reason
 *	then holds that name instead
 */
struct s2s_ike_verdict {
	uint32_t status;
	char reason[S2S_IKE_REASON_LEN];
	bool sticky;
	bool child_name;
};

/**
 * struct s2s_ike_link - the status of one link (by if-id)
 * @if_id: the link's if-id
 * @status: enum s2s_ike_status
 * @reason: as the module gets it
 * @changed: differs from what was last pushed
 */
struct s2s_ike_link {
	uint32_t if_id;
	uint32_t status;
	char reason[S2S_IKE_REASON_LEN];
	bool changed;
};

/**
 * struct s2s_ike_track - every link's status and what maps to it
 * @conns: connection name -> if-id, learned from Child SAs
 * @n_conns: entries in @conns (the oldest is replaced when full)
 * @pending: IKE SA unique id -> the Child SA it is negotiating, and
 *	whether it is established
 * @n_pending: next slot of @pending to use (a ring)
 * @links: the links' states
 * @n_links: entries in @links
 * @only_if_id: if-id of the only s2s link that has one (0: none or
 *	several), for connections not learned yet
 */
struct s2s_ike_track {
	struct {
		char ike[S2S_VICI_NAME_LEN];
		uint32_t if_id;
	} conns[S2S_IKE_TRACK_CONNS];
	size_t n_conns;
	struct {
		uint32_t ike_id;
		bool up;
		char child[S2S_VICI_NAME_LEN];
	} pending[S2S_IKE_TRACK_PENDING];
	size_t n_pending;
	struct s2s_ike_link links[S2S_IKE_TRACK_LINKS];
	size_t n_links;
	uint32_t only_if_id;
};

int s2s_ike_log_parse(const struct s2s_vici_tree *t, struct s2s_ike_log *l);
bool s2s_ike_classify(const struct s2s_ike_log *l, bool ike_up,
		      struct s2s_ike_verdict *v);

void s2s_ike_track_init(struct s2s_ike_track *t);
void s2s_ike_track_links(struct s2s_ike_track *t,
			 const struct s2s_link_list *links);
uint32_t s2s_ike_track_if_id(const struct s2s_ike_track *t, const char *ike);
struct s2s_ike_link *s2s_ike_track_link(struct s2s_ike_track *t,
					uint32_t if_id);
bool s2s_ike_track_log(struct s2s_ike_track *t, const struct s2s_ike_log *l);
bool s2s_ike_track_child(struct s2s_ike_track *t, bool up,
			 const struct s2s_vici_child *c, bool others_up);
bool s2s_ike_track_ike_down(struct s2s_ike_track *t, const char *ike);
bool s2s_ike_track_event(struct s2s_ike_track *t, const char *name,
			 const struct s2s_vici_tree *tree);
void s2s_ike_track_set_all(struct s2s_ike_track *t, uint32_t status,
			   const char *reason);

#endif /* S2S_HELPER_IKE_STATUS_H */
