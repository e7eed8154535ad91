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
#include "sa.h"
#include "sareq.h"

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
int s2s_client_link_set(struct s2s_client *c, const char *ifname,
			const struct s2s_link_cfg *cfg);
int s2s_client_sa_new(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex);
int s2s_client_sa_set(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex);
int s2s_client_sa_del(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex);
int s2s_client_sa_flush(struct s2s_client *c, const struct s2s_sa_req *req,
			uint32_t ifindex);
int s2s_client_sa_get(struct s2s_client *c, const struct s2s_sa_req *req,
		      uint32_t ifindex, struct s2s_sa_list *out);
int s2s_client_sa_dump(struct s2s_client *c, uint32_t ifindex,
		       struct s2s_sa_list *out);
int s2s_client_join_events(struct s2s_client *c);

#endif /* S2S_HELPER_CLIENT_H */
