/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink: request headers and family resolution via nlctrl. */
#ifndef S2S_HELPER_GENL_H
#define S2S_HELPER_GENL_H

#include <stdint.h>
#include <linux/genetlink.h>

#include "nl.h"

/* Room for any request we build; SA requests with keys stay far below. */
#define S2S_GENL_REQ_SIZE	4096
#define S2S_GENL_GROUPS_MAX	8

/**
 * struct s2s_genl_group - one multicast group of a family
 * @present: CTRL_ATTR_MCAST_GRP_* seen
 * @id: the number to join (s2s_nl_join())
 * @name: as in the spec, e.g. "events"
 */
struct s2s_genl_group {
	uint64_t present;
	uint32_t id;
	char name[GENL_NAMSIZ];
};

/**
 * struct s2s_genl_family - what nlctrl told us about a family
 * @present: CTRL_ATTR_* seen
 * @id: the nlmsg_type of the family's messages
 * @version: the family's version (S2S_FAMILY_VERSION for ours)
 * @maxattr: highest attribute type the kernel accepts
 * @name: the family's name
 * @n_groups: entries used in @groups
 * @groups: its multicast groups
 */
struct s2s_genl_family {
	uint64_t present;
	uint16_t id;
	uint32_t version;
	uint32_t maxattr;
	char name[GENL_NAMSIZ];
	unsigned int n_groups;
	struct s2s_genl_group groups[S2S_GENL_GROUPS_MAX];
};

struct nlmsghdr *s2s_genl_msg(void *buf, uint16_t family, uint8_t cmd,
			      uint8_t version, uint16_t flags);
int s2s_genl_family_parse(const struct nlmsghdr *nlh,
			  struct s2s_genl_family *fam);
int s2s_genl_resolve(struct s2s_nl *nl, const char *name,
		     struct s2s_genl_family *fam);
uint32_t s2s_genl_group_id(const struct s2s_genl_family *fam,
			   const char *name);

#endif /* S2S_HELPER_GENL_H */
