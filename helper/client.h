/* SPDX-License-Identifier: GPL-2.0 */
/* Client of the "s2s" generic netlink family: one function per operation
 * of Documentation/netlink/specs/s2s.yaml, each failing with a message a
 * user can act on (including the kernel's extack text, verbatim).
 */
#ifndef S2S_HELPER_CLIENT_H
#define S2S_HELPER_CLIENT_H

#include <stdint.h>

#include "genl.h"
#include "link.h"
#include "nl.h"

/**
 * struct s2s_client - a generic netlink socket bound to the s2s family
 * @nl: the socket
 * @fam: the resolved family (id, version, multicast groups)
 * @err: why the last call failed, for the user
 */
struct s2s_client {
	struct s2s_nl nl;
	struct s2s_genl_family fam;
	char err[S2S_NL_ERR_MAX];
};

int s2s_client_open(struct s2s_client *c);
int s2s_client_resolve(struct s2s_client *c);
void s2s_client_close(struct s2s_client *c);
struct nlmsghdr *s2s_client_msg(const struct s2s_client *c, void *buf,
				uint8_t cmd, uint16_t flags);
int s2s_client_run(struct s2s_client *c, struct nlmsghdr *nlh,
		   s2s_nl_cb cb, void *data, const char *what);
int s2s_client_link_get(struct s2s_client *c, const char *ifname,
			struct s2s_link_list *out);

#endif /* S2S_HELPER_CLIENT_H */
