/* SPDX-License-Identifier: GPL-2.0 */
/* The routes s2sd wants: one per remote prefix of every Child SA that is
 * up, via the s2s link whose if-id is the child's; and the difference
 * from what the kernel has, as the additions and removals that make the
 * kernel match. Pure functions: no netlink here.
 */
#ifndef S2S_HELPER_ROUTESET_H
#define S2S_HELPER_ROUTESET_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "link.h"
#include "vici_sa.h"

/**
 * struct s2s_route - a route to a prefix through an interface
 * @dst: the prefix (host bits clear)
 * @ifindex: the s2s link
 */
struct s2s_route {
	struct s2s_prefix dst;
	uint32_t ifindex;
};

/**
 * struct s2s_route_set - routes, at most one per prefix
 * @r: the routes
 * @n: how many
 * @cap: room allocated
 */
struct s2s_route_set {
	struct s2s_route *r;
	size_t n;
	size_t cap;
};

/* Why a child or a prefix got no route, for s2sd's log. */
typedef void (*s2s_route_skip_cb)(const struct s2s_vici_child *c,
				  const char *why, void *ctx);

bool s2s_prefix_equal(const struct s2s_prefix *a, const struct s2s_prefix *b);
int s2s_route_set_add(struct s2s_route_set *set, const struct s2s_route *r);
const struct s2s_route *s2s_route_set_find(const struct s2s_route_set *set,
					   const struct s2s_prefix *dst);
void s2s_route_set_clear(struct s2s_route_set *set);
int s2s_route_set_build(const struct s2s_vici_child *children, size_t n,
			const struct s2s_link_list *links,
			struct s2s_route_set *set, s2s_route_skip_cb skip,
			void *ctx);
int s2s_route_diff(const struct s2s_route_set *want,
		   const struct s2s_route_set *have,
		   struct s2s_route_set *add, struct s2s_route_set *del);

#endif /* S2S_HELPER_ROUTESET_H */
