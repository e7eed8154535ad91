/* SPDX-License-Identifier: GPL-2.0 */
/* What s2sd needs from charon's Child SA messages (child-updown,
 * child-rekey, list-sa): names, unique ids, if-ids, state and the remote
 * traffic selectors as prefixes; and the commands it sends back.
 */
#ifndef S2S_HELPER_VICI_SA_H
#define S2S_HELPER_VICI_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "ts.h"
#include "vici.h"

/* The guides' limit is 20 remote CIDRs per tunnel; ranges add some. */
#define S2S_VICI_TS_MAX		64
#define S2S_VICI_NAME_LEN	(S2S_VICI_NAME_MAX + 1)

/**
 * struct s2s_vici_child - one Child SA as charon described it
 * @ike: IKE SA (connection) name
 * @ike_id: IKE SA unique id
 * @name: Child SA config name
 * @id: Child SA unique id (changes with every rekey)
 * @state: charon's state name, e.g. "INSTALLED"
 * @if_id_in: XFRM if_id of the inbound SA (0: none)
 * @if_id_out: XFRM if_id of the outbound SA (0: none)
 * @spi_in: inbound SPI, host order (0: not reported)
 * @spi_out: outbound SPI, host order (0: not reported)
 * @reqid: charon's XFRM reqid, kept across rekeys (0: not reported)
 * @n_ts: prefixes in @ts
 * @ts: the remote traffic selectors, ranges split into prefixes
 * @n_lts: prefixes in @lts
 * @lts: the local traffic selectors, likewise
 * @ts_err: why a selector was left out ("" when none was)
 */
struct s2s_vici_child {
	char ike[S2S_VICI_NAME_LEN];
	uint32_t ike_id;
	char name[S2S_VICI_NAME_LEN];
	uint32_t id;
	char state[24];
	uint32_t if_id_in;
	uint32_t if_id_out;
	uint32_t spi_in;
	uint32_t spi_out;
	uint32_t reqid;
	size_t n_ts;
	struct s2s_prefix ts[S2S_VICI_TS_MAX];
	size_t n_lts;
	struct s2s_prefix lts[S2S_VICI_TS_MAX];
	char ts_err[S2S_TS_ERR_MAX];
};

/* @up: the child carries traffic from now on (false: no more) */
typedef void (*s2s_vici_child_cb)(bool up, const struct s2s_vici_child *c,
				  void *ctx);

int s2s_vici_sa_event(const char *event, const struct s2s_vici_tree *t,
		      s2s_vici_child_cb cb, void *ctx);
bool s2s_vici_state_up(const char *state);

int s2s_vici_cmd_list_sas(void *buf, size_t cap);
int s2s_vici_cmd_rekey(void *buf, size_t cap, uint32_t child_id,
		       uint32_t ike_id);
int s2s_vici_cmd_terminate(void *buf, size_t cap, uint32_t child_id,
			   uint32_t ike_id, int timeout_ms);
int s2s_vici_result(const struct s2s_vici_tree *t, char *errmsg,
		    size_t size);

#endif /* S2S_HELPER_VICI_SA_H */
