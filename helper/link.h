/* SPDX-License-Identifier: GPL-2.0 */
/* The s2s link object (attribute set "link" of the spec): parsing from
 * the kernel's replies, text and JSON output, and a list of links.
 */
#ifndef S2S_HELPER_LINK_H
#define S2S_HELPER_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "stats.h"

struct json_object;

/* Room for any text s2s_link_format() writes. */
#define S2S_LINK_TEXT_MAX	640
/* The ike-reason attribute with its NUL (spec: max-len 95). */
#define S2S_IKE_REASON_LEN	96

/**
 * struct s2s_link - one s2s interface as the kernel reported it
 * @present: bit (1 << S2S_A_LINK_*) for every attribute received; output
 *	shows only what the kernel sent
 * @ifindex: S2S_A_LINK_IFINDEX
 * @if_id: S2S_A_LINK_IF_ID, the XFRM if_id it answers to (0: unset)
 * @mtu: S2S_A_LINK_MTU
 * @oper_up: S2S_A_LINK_OPER_UP
 * @dscp_copy: S2S_A_LINK_DSCP_COPY
 * @replay_window: S2S_A_LINK_REPLAY_WINDOW, default for inbound SAs
 * @overhead: S2S_A_LINK_OVERHEAD, sent while there is an outbound SA
 * @ifname: S2S_A_LINK_IFNAME
 * @stats: S2S_A_LINK_STATS, all SAs of the link together
 * @ike_status: S2S_A_LINK_IKE_STATUS, enum s2s_ike_status
 * @ike_reason: S2S_A_LINK_IKE_REASON ("" when the kernel sent none)
 */
struct s2s_link {
	uint64_t present;
	uint32_t ifindex;
	uint32_t if_id;
	uint32_t mtu;
	uint8_t oper_up;
	uint8_t dscp_copy;
	uint32_t replay_window;
	uint32_t overhead;
	char ifname[IFNAMSIZ];
	struct s2s_stats stats;
	uint32_t ike_status;
	char ike_reason[S2S_IKE_REASON_LEN];
};

/**
 * struct s2s_link_cfg - the settings of a link-set request
 * @given: bit (1 << S2S_A_LINK_*) per setting to send; the bit of
 *	S2S_A_LINK_IKE_UNTIL_CLOSE, a flag, is the setting itself
 * @if_id: S2S_A_LINK_IF_ID
 * @replay_window: S2S_A_LINK_REPLAY_WINDOW
 * @dscp_copy: S2S_A_LINK_DSCP_COPY
 * @ike_status: S2S_A_LINK_IKE_STATUS
 * @ike_reason: S2S_A_LINK_IKE_REASON (not copied: must outlive the request)
 */
struct s2s_link_cfg {
	uint64_t given;
	uint32_t if_id;
	uint32_t replay_window;
	bool dscp_copy;
	uint32_t ike_status;
	const char *ike_reason;
};

/**
 * struct s2s_link_list - a growable array of links
 * @links: the links
 * @n: how many
 * @cap: room allocated
 */
struct s2s_link_list {
	struct s2s_link *links;
	size_t n;
	size_t cap;
};

int s2s_link_parse(const struct nlmsghdr *nlh, struct s2s_link *link);
size_t s2s_link_format(const struct s2s_link *link, char *buf, size_t size);
struct json_object *s2s_link_to_json(const struct s2s_link *link);

const char *s2s_ike_status_name(uint32_t status);
const char *s2s_ike_status_text(uint32_t status);
int s2s_ike_status_parse(const char *text, uint32_t *status);

int s2s_link_cfg_parse(struct s2s_link_cfg *cfg, int argc, char **argv,
		       char *err, size_t size);
int s2s_link_cfg_put(const struct s2s_link_cfg *cfg, struct nlmsghdr *nlh,
		     size_t bufsize);

int s2s_link_list_add(struct s2s_link_list *list, const struct s2s_link *link);
const struct s2s_link *s2s_link_list_find_if_id(const struct s2s_link_list *list,
						uint32_t if_id);
const struct s2s_link *s2s_link_list_find_ifindex(const struct s2s_link_list *list,
						  uint32_t ifindex);
void s2s_link_list_clear(struct s2s_link_list *list);

#endif /* S2S_HELPER_LINK_H */
