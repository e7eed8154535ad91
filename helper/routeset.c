// SPDX-License-Identifier: GPL-2.0
/* Wanted routes and their difference from the kernel's; see routeset.h.
 * Sets hold a few hundred routes at most (the guides: 20 tunnels of 20
 * prefixes), so linear searches are fine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "routeset.h"

/**
 * s2s_prefix_equal() - same family, length and address bytes
 * @a: a prefix
 * @b: another
 *
 * Return: true when equal.
 */
bool s2s_prefix_equal(const struct s2s_prefix *a, const struct s2s_prefix *b)
{
	return a->addr.family == b->addr.family && a->plen == b->plen &&
	       !memcmp(a->addr.b, b->addr.b, s2s_addr_len(&a->addr));
}

/**
 * s2s_route_set_find() - the route to a prefix
 * @set: the set
 * @dst: the prefix
 *
 * Return: the route or NULL.
 */
const struct s2s_route *s2s_route_set_find(const struct s2s_route_set *set,
					   const struct s2s_prefix *dst)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (s2s_prefix_equal(&set->r[i].dst, dst))
			return &set->r[i];
	return NULL;
}

/**
 * s2s_route_set_add() - add a route unless its prefix has one
 * @set: the set
 * @r: the route
 *
 * Return: 0 when added or already there with the same interface,
 * -EEXIST when the prefix goes through another interface (the first
 * one stays: two links cannot both carry one prefix), -ENOMEM.
 */
int s2s_route_set_add(struct s2s_route_set *set, const struct s2s_route *r)
{
	const struct s2s_route *old = s2s_route_set_find(set, &r->dst);

	if (old)
		return old->ifindex == r->ifindex ? 0 : -EEXIST;
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct s2s_route *nr = realloc(set->r, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		set->r = nr;
		set->cap = cap;
	}
	set->r[set->n++] = *r;
	return 0;
}

/**
 * s2s_route_set_clear() - empty the set and free its memory
 * @set: the set
 */
void s2s_route_set_clear(struct s2s_route_set *set)
{
	free(set->r);
	memset(set, 0, sizeof(*set));
}

/**
 * s2s_route_set_build() - the routes for a set of Child SAs that are up
 * @children: the children
 * @n: how many
 * @links: the s2s links, with their if-ids
 * @set: receives the routes (added to what it holds)
 * @skip: told about each child or prefix that gets no route (may be NULL)
 * @ctx: passed to @skip
 *
 * A child's routes go via the link whose if-id is its outbound if-id
 * (the direction routes serve), or its inbound one when it has none.
 * Children of no s2s link are skipped; so is a prefix some other link
 * already carries, and a default route, which would take over the
 * host's own (and the path to the peer).
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_route_set_build(const struct s2s_vici_child *children, size_t n,
			const struct s2s_link_list *links,
			struct s2s_route_set *set, s2s_route_skip_cb skip,
			void *ctx)
{
	const struct s2s_link *link;
	char why[128], p[S2S_PREFIX_STRLEN];
	size_t i, j;
	int err;

	for (i = 0; i < n; i++) {
		const struct s2s_vici_child *c = &children[i];
		uint32_t if_id = c->if_id_out ? c->if_id_out : c->if_id_in;

		link = if_id ? s2s_link_list_find_if_id(links, if_id) : NULL;
		if (!link) {
			if (skip) {
				snprintf(why, sizeof(why),
					 "no s2s link has if-id %u", if_id);
				skip(c, why, ctx);
			}
			continue;
		}
		for (j = 0; j < c->n_ts; j++) {
			struct s2s_route r = { .dst = c->ts[j],
					       .ifindex = link->ifindex };

			if (!r.dst.plen) {
				err = -EDOM;
			} else {
				err = s2s_route_set_add(set, &r);
				if (err == -ENOMEM)
					return err;
			}
			if (!err || !skip)
				continue;
			s2s_prefix_ntop(&r.dst, p, sizeof(p));
			if (err == -EDOM)
				snprintf(why, sizeof(why), "%s not routed: a default route would replace the host's own", p);
			else
				snprintf(why, sizeof(why), "%s not routed via %s: another s2s link already carries it", p, link->ifname);
			skip(c, why, ctx);
		}
	}
	return 0;
}

/**
 * s2s_route_diff() - what to change so that @have becomes @want
 * @want: the routes wanted
 * @have: the kernel's routes of our protocol
 * @add: receives routes of @want missing from @have or via another
 *	interface there (to be installed with NLM_F_REPLACE)
 * @del: receives routes of @have whose prefix @want does not have
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_route_diff(const struct s2s_route_set *want,
		   const struct s2s_route_set *have,
		   struct s2s_route_set *add, struct s2s_route_set *del)
{
	const struct s2s_route *r;
	size_t i;
	int err;

	for (i = 0; i < want->n; i++) {
		r = s2s_route_set_find(have, &want->r[i].dst);
		if (r && r->ifindex == want->r[i].ifindex)
			continue;
		err = s2s_route_set_add(add, &want->r[i]);
		if (err)
			return err;
	}
	for (i = 0; i < have->n; i++) {
		if (s2s_route_set_find(want, &have->r[i].dst))
			continue;
		err = s2s_route_set_add(del, &have->r[i]);
		if (err)
			return err;
	}
	return 0;
}
