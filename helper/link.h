/* SPDX-License-Identifier: GPL-2.0 */
/* The s2s link object (attribute set "link" of the spec): parsing from
 * the kernel's replies, text and JSON output, and a list of links.
 */
#ifndef S2S_HELPER_LINK_H
#define S2S_HELPER_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

struct json_object;

/**
 * struct s2s_link - one s2s interface as the kernel reported it
 * @present: bit (1 << S2S_A_LINK_*) for every attribute received; output
 *	shows only what the kernel sent
 * @ifindex: S2S_A_LINK_IFINDEX
 * @if_id: S2S_A_LINK_IF_ID, the XFRM if_id it answers to (0: unset)
 * @mtu: S2S_A_LINK_MTU
 * @oper_up: S2S_A_LINK_OPER_UP
 * @ifname: S2S_A_LINK_IFNAME
 */
struct s2s_link {
	uint64_t present;
	uint32_t ifindex;
	uint32_t if_id;
	uint32_t mtu;
	uint8_t oper_up;
	char ifname[IFNAMSIZ];
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

int s2s_link_list_add(struct s2s_link_list *list, const struct s2s_link *link);
const struct s2s_link *s2s_link_list_find_if_id(const struct s2s_link_list *list,
						uint32_t if_id);
void s2s_link_list_clear(struct s2s_link_list *list);

#endif /* S2S_HELPER_LINK_H */
