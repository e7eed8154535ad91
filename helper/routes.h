/* SPDX-License-Identifier: GPL-2.0 */
/* s2sd's routes in the kernel (rtnetlink): the main table, marked with
 * their own protocol number so that s2sd finds them again after a
 * restart, and never touches routes others made
 * (`ip route show proto 83` lists them).
 */
#ifndef S2S_HELPER_ROUTES_H
#define S2S_HELPER_ROUTES_H

#include <stdbool.h>

#include "nl.h"
#include "routeset.h"

/* A private rtm_protocol value: none of the kernel's RTPROT_* nor
 * iproute2's rt_protos uses 83 ('S').
 */
#define S2S_RTPROT		83

int s2s_routes_dump(struct s2s_nl *rt, struct s2s_route_set *have);
int s2s_route_change(struct s2s_nl *rt, const struct s2s_route *r, bool add);
int s2s_routes_build_msg(void *buf, size_t size, const struct s2s_route *r,
			 bool add);

#endif /* S2S_HELPER_ROUTES_H */
