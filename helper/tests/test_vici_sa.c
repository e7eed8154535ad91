// SPDX-License-Identifier: GPL-2.0
/* Unit tests against packets recorded from a real charon
 * (tests/data/vici/, see its README): the Child SA fields s2sd uses,
 * traffic selectors to prefixes, the wanted routes and their difference
 * from the kernel's, the commands s2sd sends, and the client's handling
 * of events that arrive between a request and its response.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>
#include <linux/s2s.h>


#include "routes.h"
#include "routeset.h"
#include "ts.h"
#include "vici.h"
#include "vici_client.h"
#include "vici_sa.h"

#define MAX_KIDS 8

/* A recorded frame, header included. */
struct frame {
	uint8_t *b;
	size_t len;
};

static void load(const char *name, struct frame *f)
{
	const char *dir = getenv("S2S_VICI_DATA");
	char path[512];
	unsigned int x;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s",
		 dir ? dir : "tests/data/vici/frames", name);
	in = fopen(path, "r");
	if (!in)
		fail_msg("cannot open recorded frame %s", path);
	f->b = malloc(S2S_VICI_FRAME_MAX);
	assert_non_null(f->b);
	f->len = 0;
	while (fscanf(in, "%2x", &x) == 1)
		f->b[f->len++] = (uint8_t)x;
	fclose(in);
	assert_true(f->len > 4);
	/* the header matches the bytes: the recording is complete */
	assert_int_equal(((size_t)f->b[0] << 24 | (size_t)f->b[1] << 16 |
			  (size_t)f->b[2] << 8 | f->b[3]) + 4, f->len);
}

struct kids {
	struct s2s_vici_child c[MAX_KIDS];
	bool up[MAX_KIDS];
	int n;
};

static void on_child(bool up, const struct s2s_vici_child *c, void *ctx)
{
	struct kids *k = ctx;

	assert_true(k->n < MAX_KIDS);
	k->c[k->n] = *c;
	k->up[k->n++] = up;
}

/* Parse a recorded event; return how many children it reported. */
static int event(const char *file, const char *name, struct kids *k)
{
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	struct frame f;
	int n;

	load(file, &f);
	assert_int_equal(s2s_vici_packet_parse(f.b + 4, f.len - 4, &p), 0);
	assert_int_equal(p.type, S2S_VICI_EVENT);
	assert_string_equal(p.name, name);
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	memset(k, 0, sizeof(*k));
	n = s2s_vici_sa_event(p.name, &t, on_child, k);
	s2s_vici_tree_free(&t);
	free(f.b);
	return n;
}

static void assert_prefix(const struct s2s_prefix *p, const char *text)
{
	char buf[S2S_PREFIX_STRLEN];

	assert_string_equal(s2s_prefix_ntop(p, buf, sizeof(buf)), text);
}

/* The child of the recording: lan of site, if_id 42, remote
 * 10.2.0.0/24, 10.3.0.1..10.3.0.6 (= .1/32 .2/31 .4/31 .6/32),
 * fd00:2::/64.
 */
static void assert_lan(const struct s2s_vici_child *c, uint32_t id,
		       const char *state)
{
	static const char *const ts[] = {
		"10.2.0.0/24", "10.3.0.1/32", "10.3.0.2/31", "10.3.0.4/31",
		"10.3.0.6/32", "fd00:2::/64",
	};
	size_t i;

	assert_string_equal(c->ike, "site");
	assert_int_equal(c->ike_id, 1);
	assert_string_equal(c->name, "lan");
	assert_int_equal(c->id, id);
	assert_string_equal(c->state, state);
	assert_int_equal(c->if_id_in, 42);
	assert_int_equal(c->if_id_out, 42);
	assert_int_equal(c->n_ts, 6);
	for (i = 0; i < 6; i++)
		assert_prefix(&c->ts[i], ts[i]);
	assert_string_equal(c->ts_err, "");
}

static void test_rec_confirm(void **state)
{
	struct s2s_vici_packet p;
	struct frame f;

	(void)state;
	load("00-EVENT_CONFIRM.hex", &f);
	assert_int_equal(f.len, 5);
	assert_int_equal(s2s_vici_packet_parse(f.b + 4, 1, &p), 0);
	assert_int_equal(p.type, S2S_VICI_EVENT_CONFIRM);
	free(f.b);
}

static void test_rec_child_up(void **state)
{
	struct kids k;

	(void)state;
	assert_int_equal(event("04-EVENT-child-updown.hex", "child-updown", &k), 1);
	assert_true(k.up[0]);
	assert_lan(&k.c[0], 1, "INSTALLED");
	/* as recorded: the SPIs that name the child in module events */
	assert_int_equal(k.c[0].spi_in, 0xc952444b);
	assert_int_equal(k.c[0].spi_out, 0xca7d6388);
}

static void test_rec_child_rekey(void **state)
{
	struct kids k;

	(void)state;
	assert_int_equal(event("05-EVENT-child-rekey.hex", "child-rekey", &k), 1);
	assert_int_equal(k.n, 2);
	/* the new child first, so that its routes never lapse */
	assert_true(k.up[0]);
	assert_lan(&k.c[0], 2, "INSTALLED");
	assert_false(k.up[1]);
	assert_lan(&k.c[1], 1, "REKEYED");
}

static void test_rec_child_down(void **state)
{
	struct kids k;

	(void)state;
	/* charon leaves out "up" when down */
	assert_int_equal(event("06-EVENT-child-updown.hex", "child-updown", &k), 1);
	assert_false(k.up[0]);
	assert_lan(&k.c[0], 2, "DELETED");
}

static void test_rec_list_sa(void **state)
{
	struct kids k;

	(void)state;
	assert_int_equal(event("list/02-EVENT-list-sa.hex", "list-sa", &k), 2);
	/* the rekeyed child is still listed, as DELETED: not up */
	assert_false(k.up[0]);
	assert_lan(&k.c[0], 1, "DELETED");
	assert_true(k.up[1]);
	assert_lan(&k.c[1], 2, "INSTALLED");
}

static void test_rec_other_events(void **state)
{
	struct kids k;

	(void)state;
	assert_int_equal(event("03-EVENT-ike-updown.hex", "ike-updown", &k), 0);
	assert_int_equal(k.n, 0);
}

static void test_rec_response(void **state)
{
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	struct frame f;

	(void)state;
	load("list/03-CMD_RESPONSE.hex", &f);
	assert_int_equal(s2s_vici_packet_parse(f.b + 4, f.len - 4, &p), 0);
	assert_int_equal(p.type, S2S_VICI_CMD_RESPONSE);
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	s2s_vici_tree_free(&t);
	free(f.b);
}

/* Every truncation of a real event fails cleanly or parses a prefix
 * of it; none reads past the end (run under valgrind/ASan to see).
 */
static void test_rec_truncated(void **state)
{
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	struct kids k;
	struct frame f;
	size_t i;

	(void)state;
	load("05-EVENT-child-rekey.hex", &f);
	for (i = 0; i < f.len - 4; i++) {
		uint8_t *copy = malloc(i ? i : 1);

		memset(&t, 0, sizeof(t));
		memcpy(copy, f.b + 4, i);
		if (!s2s_vici_packet_parse(copy, i, &p) &&
		    !s2s_vici_tree_parse(p.msg, p.msg_len, &t)) {
			memset(&k, 0, sizeof(k));
			(void)s2s_vici_sa_event(p.name, &t, on_child, &k);
		}
		s2s_vici_tree_free(&t);
		free(copy);
	}
	free(f.b);
}

/* Missing or malformed required fields make the child unusable. */
static void test_event_errors(void **state)
{
	struct s2s_vici_builder b;
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	struct kids k;
	uint8_t buf[512];
	int len, i;

	(void)state;
	for (i = 0; i < 4; i++) {
		s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_EVENT, "child-updown");
		s2s_vici_kv_str(&b, "up", "yes");
		s2s_vici_section_start(&b, "site");
		s2s_vici_kv_str(&b, "uniqueid", "1");
		s2s_vici_section_start(&b, "child-sas");
		s2s_vici_section_start(&b, "lan-3");
		if (i != 0)
			s2s_vici_kv_str(&b, "name", "lan");
		s2s_vici_kv_str(&b, "uniqueid", i == 1 ? "x3" : "3");
		s2s_vici_kv_str(&b, "state", "INSTALLED");
		s2s_vici_kv_str(&b, "if-id-out", i == 2 ? "1ffffffff" : "7");
		s2s_vici_list_start(&b, "remote-ts");
		s2s_vici_list_item(&b, "10.9.0.0/16", 11);
		s2s_vici_list_item(&b, "bogus", 5);
		s2s_vici_list_item(&b, "10.0.0.9..10.0.0.1", 18);
		s2s_vici_list_end(&b);
		s2s_vici_section_end(&b);
		s2s_vici_section_end(&b);
		s2s_vici_section_end(&b);
		len = s2s_vici_finish(&b);
		assert_true(len > 0);
		assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
		assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
		memset(&k, 0, sizeof(k));
		assert_int_equal(s2s_vici_sa_event(p.name, &t, on_child, &k),
				 i < 3 ? -EBADMSG : 1);
		s2s_vici_tree_free(&t);
	}
	/* the valid one: absent if-id-in is 0, if-ids are hex, bad
	 * selectors are left out with the first reason
	 */
	assert_int_equal(k.c[0].if_id_in, 0);
	assert_int_equal(k.c[0].if_id_out, 7);
	assert_int_equal(k.c[0].n_ts, 1);
	assert_prefix(&k.c[0].ts[0], "10.9.0.0/16");
	assert_string_equal(k.c[0].ts_err, "'bogus' is not an address, prefix or range");
}

static int ts(const char *text, struct s2s_prefix *out, size_t max,
	      char *why)
{
	return s2s_ts_parse(text, out, max, why, S2S_TS_ERR_MAX);
}

static void test_ts(void **state)
{
	struct s2s_prefix p[S2S_TS_PREFIXES_MAX];
	char why[S2S_TS_ERR_MAX];

	(void)state;
	assert_int_equal(ts("10.2.0.0/24", p, 32, why), 1);
	assert_prefix(&p[0], "10.2.0.0/24");
	assert_int_equal(ts("10.2.0.7/24", p, 32, why), 1);	/* host bits */
	assert_prefix(&p[0], "10.2.0.0/24");
	assert_int_equal(ts("192.0.2.9", p, 32, why), 1);
	assert_prefix(&p[0], "192.0.2.9/32");
	assert_int_equal(ts("10.1.0.0/16[tcp/80]", p, 32, why), 1);
	assert_prefix(&p[0], "10.1.0.0/16");
	assert_int_equal(ts("2001:db8::1:2/112", p, 32, why), 1);
	assert_prefix(&p[0], "2001:db8::1:0/112");
	/* ranges, both spellings, exact cover */
	assert_int_equal(ts("10.0.0.0..10.0.0.255", p, 32, why), 1);
	assert_prefix(&p[0], "10.0.0.0/24");
	assert_int_equal(ts("10.0.0.0-10.0.1.255", p, 32, why), 1);
	assert_prefix(&p[0], "10.0.0.0/23");
	assert_int_equal(ts("10.0.0.5-10.0.0.5", p, 32, why), 1);
	assert_prefix(&p[0], "10.0.0.5/32");
	assert_int_equal(ts("10.0.0.255..10.0.1.0", p, 32, why), 2);
	assert_prefix(&p[0], "10.0.0.255/32");
	assert_prefix(&p[1], "10.0.1.0/32");
	assert_int_equal(ts("0.0.0.0..255.255.255.255", p, 32, why), 1);
	assert_prefix(&p[0], "0.0.0.0/0");
	assert_int_equal(ts("255.255.255.254..255.255.255.255", p, 32, why), 1);
	assert_prefix(&p[0], "255.255.255.254/31");
	assert_int_equal(ts("fd00::1..fd00::6", p, 32, why), 4);
	assert_prefix(&p[0], "fd00::1/128");
	assert_prefix(&p[1], "fd00::2/127");
	assert_prefix(&p[2], "fd00::4/127");
	assert_prefix(&p[3], "fd00::6/128");
	assert_int_equal(ts("::..ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", p, 32, why), 1);
	assert_prefix(&p[0], "::/0");
	assert_int_equal(ts("fd00::..fd00::ffff:ffff", p, 32, why), 1);
	assert_prefix(&p[0], "fd00::/96");
	/* refused with a reason */
	assert_int_equal(ts("0.0.0.1..255.255.255.254", p, 32, why), -E2BIG);
	assert_string_equal(why, "range 0.0.0.1..255.255.255.254 needs more than 32 prefixes");
	assert_int_equal(ts("10.0.0.1..10.0.0.6", p, 3, why), -E2BIG);
	assert_int_equal(ts("10.0.0.6..10.0.0.1", p, 32, why), -EINVAL);
	assert_int_equal(ts("10.0.0.1..fd00::1", p, 32, why), -EINVAL);
	assert_int_equal(ts("dynamic", p, 32, why), -EINVAL);
	assert_string_equal(why, "'dynamic' is not an address, prefix or range");
	assert_int_equal(ts("10.0.0.0/33", p, 32, why), -EINVAL);
	assert_int_equal(ts("", p, 32, why), -EINVAL);
	assert_int_equal(ts("10.0.0.0/8", p, 0, why), -EINVAL);
}

static void link_add(struct s2s_link_list *l, uint32_t ifindex,
		     uint32_t if_id, const char *name)
{
	struct s2s_link link = {
		.present = (1ULL << S2S_A_LINK_IF_ID) |
			   (1ULL << S2S_A_LINK_IFINDEX),
		.ifindex = ifindex,
		.if_id = if_id,
	};

	snprintf(link.ifname, sizeof(link.ifname), "%s", name);
	assert_int_equal(s2s_link_list_add(l, &link), 0);
}

static void child(struct s2s_vici_child *c, uint32_t id, uint32_t if_id,
		  const char *ts1, const char *ts2)
{
	char why[S2S_TS_ERR_MAX];

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->if_id_in = c->if_id_out = if_id;
	snprintf(c->name, sizeof(c->name), "c%u", id);
	assert_int_equal(s2s_ts_parse(ts1, &c->ts[c->n_ts++], 1, why, sizeof(why)), 1);
	if (ts2)
		assert_int_equal(s2s_ts_parse(ts2, &c->ts[c->n_ts++], 1, why, sizeof(why)), 1);
}

static int skips;

static void on_skip(const struct s2s_vici_child *c, const char *why,
		    void *ctx)
{
	(void)c;
	(void)ctx;
	(void)why;
	skips++;
}

static struct s2s_route route(const char *dst, uint32_t ifindex)
{
	struct s2s_route r = { .ifindex = ifindex };

	assert_int_equal(s2s_prefix_parse(dst, &r.dst), 0);
	return r;
}

static void test_route_set_build(void **state)
{
	struct s2s_link_list links = { 0 };
	struct s2s_vici_child c[5];
	struct s2s_route_set set = { 0 };
	struct s2s_route r;

	(void)state;
	link_add(&links, 10, 42, "s2s0");
	link_add(&links, 11, 43, "s2s1");
	child(&c[0], 1, 42, "10.2.0.0/24", "fd00:2::/64");
	child(&c[1], 2, 42, "10.2.0.0/24", NULL);	/* same prefix, same link */
	child(&c[2], 3, 43, "10.2.0.0/24", "10.4.0.0/16"); /* conflict + own */
	child(&c[3], 4, 99, "10.5.0.0/16", NULL);	/* no such link */
	child(&c[4], 5, 43, "0.0.0.0/0", NULL);		/* never a default */
	c[2].if_id_out = 0;	/* inbound if-id is used then */
	skips = 0;
	assert_int_equal(s2s_route_set_build(c, 5, &links, &set, on_skip, NULL), 0);
	assert_int_equal(set.n, 3);
	assert_int_equal(skips, 3);
	r = route("10.2.0.0/24", 10);
	assert_non_null(s2s_route_set_find(&set, &r.dst));
	assert_int_equal(s2s_route_set_find(&set, &r.dst)->ifindex, 10);
	r = route("fd00:2::/64", 10);
	assert_int_equal(s2s_route_set_find(&set, &r.dst)->ifindex, 10);
	r = route("10.4.0.0/16", 11);
	assert_int_equal(s2s_route_set_find(&set, &r.dst)->ifindex, 11);
	r = route("10.5.0.0/16", 11);
	assert_null(s2s_route_set_find(&set, &r.dst));
	/* child 1 goes down: child 2 still covers 10.2.0.0/24 */
	s2s_route_set_clear(&set);
	assert_int_equal(s2s_route_set_build(c + 1, 1, &links, &set, NULL, NULL), 0);
	assert_int_equal(set.n, 1);
	r = route("10.2.0.0/24", 10);
	assert_non_null(s2s_route_set_find(&set, &r.dst));
	s2s_route_set_clear(&set);
	s2s_link_list_clear(&links);
}

static void test_route_diff(void **state)
{
	struct s2s_route_set want = { 0 }, have = { 0 }, add = { 0 }, del = { 0 };
	struct s2s_route r;

	(void)state;
	r = route("10.2.0.0/24", 10);		/* in both: untouched */
	assert_int_equal(s2s_route_set_add(&want, &r), 0);
	assert_int_equal(s2s_route_set_add(&have, &r), 0);
	r = route("10.3.0.0/24", 10);		/* wanted only: added */
	assert_int_equal(s2s_route_set_add(&want, &r), 0);
	r = route("10.4.0.0/24", 11);		/* moved to link 11 */
	assert_int_equal(s2s_route_set_add(&want, &r), 0);
	r = route("10.4.0.0/24", 10);
	assert_int_equal(s2s_route_set_add(&have, &r), 0);
	r = route("fd00:9::/64", 10);		/* stale: removed */
	assert_int_equal(s2s_route_set_add(&have, &r), 0);
	/* a set holds one route per prefix */
	r = route("fd00:9::/64", 11);
	assert_int_equal(s2s_route_set_add(&have, &r), -EEXIST);
	r = route("fd00:9::/64", 10);
	assert_int_equal(s2s_route_set_add(&have, &r), 0);
	assert_int_equal(have.n, 3);

	assert_int_equal(s2s_route_diff(&want, &have, &add, &del), 0);
	assert_int_equal(add.n, 2);
	assert_prefix(&add.r[0].dst, "10.3.0.0/24");
	assert_prefix(&add.r[1].dst, "10.4.0.0/24");
	assert_int_equal(add.r[1].ifindex, 11);	/* NLM_F_REPLACE moves it */
	assert_int_equal(del.n, 1);
	assert_prefix(&del.r[0].dst, "fd00:9::/64");
	/* reconciled: nothing more to do */
	s2s_route_set_clear(&add);
	s2s_route_set_clear(&del);
	assert_int_equal(s2s_route_diff(&want, &want, &add, &del), 0);
	assert_int_equal(add.n + del.n, 0);
	/* nothing wanted: everything of ours goes */
	s2s_route_set_clear(&want);
	assert_int_equal(s2s_route_diff(&want, &have, &add, &del), 0);
	assert_int_equal(add.n, 0);
	assert_int_equal(del.n, 3);
	s2s_route_set_clear(&have);
	s2s_route_set_clear(&add);
	s2s_route_set_clear(&del);
}

static void test_route_msg(void **state)
{
	uint64_t buf[128];
	struct s2s_route r = route("10.2.0.0/24", 7);
	struct nlmsghdr *nlh = (void *)buf;
	struct rtmsg *rtm = (void *)((uint8_t *)buf + NLMSG_HDRLEN);

	(void)state;
	assert_true(s2s_routes_build_msg(buf, sizeof(buf), &r, true) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_CREATE | NLM_F_REPLACE);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 24);
	assert_int_equal(rtm->rtm_protocol, S2S_RTPROT);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_true(s2s_routes_build_msg(buf, sizeof(buf), &r, false) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(nlh->nlmsg_flags, 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(s2s_routes_build_msg(buf, sizeof(buf), &r, true), -EINVAL);
}

static void test_commands(void **state)
{
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	uint8_t buf[S2S_VICI_REQ_MAX];
	char v[32];
	int len;

	(void)state;
	len = s2s_vici_cmd_rekey(buf, sizeof(buf), 5, 0);
	assert_true(len > 0);
	assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
	assert_string_equal(p.name, "rekey");
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	assert_int_equal(s2s_vici_get_str(&t, s2s_vici_root(&t), "child-id", v, sizeof(v)), 0);
	assert_string_equal(v, "5");
	assert_int_equal(s2s_vici_get_str(&t, s2s_vici_root(&t), "ike-id", v, sizeof(v)), -ENOENT);
	s2s_vici_tree_free(&t);
	len = s2s_vici_cmd_terminate(buf, sizeof(buf), 0, 9, -1);
	assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
	assert_string_equal(p.name, "terminate");
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	assert_int_equal(s2s_vici_get_str(&t, s2s_vici_root(&t), "ike-id", v, sizeof(v)), 0);
	assert_string_equal(v, "9");
	assert_int_equal(s2s_vici_get_str(&t, s2s_vici_root(&t), "timeout", v, sizeof(v)), 0);
	assert_string_equal(v, "-1");
	s2s_vici_tree_free(&t);
	assert_int_equal(s2s_vici_cmd_rekey(buf, sizeof(buf), 0, 0), -EINVAL);
	assert_int_equal(s2s_vici_cmd_terminate(buf, sizeof(buf), 0, 0, 0), -EINVAL);
	assert_int_equal(s2s_vici_cmd_rekey(buf, 8, 5, 0), -ENOSPC);
	len = s2s_vici_cmd_list_sas(buf, sizeof(buf));
	assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
	assert_string_equal(p.name, "list-sas");
}

static void test_result(void **state)
{
	struct s2s_vici_builder b;
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	uint8_t buf[256];
	char why[64];
	int len;

	(void)state;
	s2s_vici_begin(&b, buf, sizeof(buf), S2S_VICI_CMD_RESPONSE, NULL);
	s2s_vici_kv_str(&b, "success", "no");
	s2s_vici_kv_str(&b, "errmsg", "no matching SAs to rekey");
	len = s2s_vici_finish(&b);
	assert_int_equal(s2s_vici_packet_parse(buf + 4, (size_t)len - 4, &p), 0);
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	assert_int_equal(s2s_vici_result(&t, why, sizeof(why)), -EIO);
	assert_string_equal(why, "no matching SAs to rekey");
	s2s_vici_tree_free(&t);
	/* the recorded empty list-sas response has no success key */
	assert_int_equal(s2s_vici_tree_parse(p.msg, 0, &t), 0);
	assert_int_equal(s2s_vici_result(&t, why, sizeof(why)), -EBADMSG);
	s2s_vici_tree_free(&t);
}

/* The client against a fake charon on a socketpair: recorded frames
 * queued before the request are delivered as events, the response ends
 * the request, a stray response afterwards is a protocol error.
 */
struct seen {
	int events;
	int responses;
	char last[32];
};

static void on_event(const char *name, const struct s2s_vici_tree *t, void *ctx)
{
	struct seen *s = ctx;

	(void)t;
	s->events++;
	snprintf(s->last, sizeof(s->last), "%s", name);
}

static void on_response(const char *name, const struct s2s_vici_tree *t, void *ctx)
{
	struct seen *s = ctx;

	(void)name;
	(void)t;
	s->responses++;
}

static void put_frame(int fd, const char *file)
{
	struct frame f;

	load(file, &f);
	assert_int_equal(write(fd, f.b, f.len), (ssize_t)f.len);
	free(f.b);
}

static void test_client_events_during_request(void **state)
{
	struct s2s_vici_conn c;
	struct seen s = { 0 };
	uint8_t buf[S2S_VICI_REQ_MAX], got[64];
	int sv[2], len;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	s2s_vici_conn_init(&c, on_event, &s);
	c.fd = sv[0];
	/* as s2s_vici_connect() leaves it */
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	put_frame(sv[1], "04-EVENT-child-updown.hex");
	put_frame(sv[1], "list/02-EVENT-list-sa.hex");
	put_frame(sv[1], "list/03-CMD_RESPONSE.hex");
	len = s2s_vici_cmd_list_sas(buf, sizeof(buf));
	assert_int_equal(s2s_vici_request(&c, buf, (size_t)len, 2000,
					  on_response, &s), 0);
	assert_int_equal(s.events, 2);
	assert_string_equal(s.last, "list-sa");
	assert_int_equal(s.responses, 1);
	/* charon got our request, byte for byte */
	assert_int_equal(read(sv[1], got, sizeof(got)), len);
	assert_memory_equal(got, buf, (size_t)len);
	/* an event split over two reads arrives once complete */
	{
		struct frame f;

		load("06-EVENT-child-updown.hex", &f);
		assert_int_equal(write(sv[1], f.b, 10), 10);
		assert_int_equal(s2s_vici_read(&c), 0);
		assert_int_equal(s.events, 2);
		assert_int_equal(write(sv[1], f.b + 10, f.len - 10),
				 (ssize_t)(f.len - 10));
		assert_int_equal(s2s_vici_read(&c), 0);
		assert_int_equal(s.events, 3);
		free(f.b);
	}
	/* a response nobody asked for */
	put_frame(sv[1], "list/03-CMD_RESPONSE.hex");
	assert_int_equal(s2s_vici_read(&c), -EPROTO);
	/* charon going away */
	close(sv[1]);
	assert_int_equal(s2s_vici_read(&c), -ECONNRESET);
	s2s_vici_close(&c);
}

static void test_client_unknown_and_timeout(void **state)
{
	struct s2s_vici_conn c;
	uint8_t buf[S2S_VICI_REQ_MAX];
	int sv[2], len;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	s2s_vici_conn_init(&c, NULL, NULL);
	c.fd = sv[0];
	/* as s2s_vici_connect() leaves it */
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	len = s2s_vici_cmd_rekey(buf, sizeof(buf), 1, 0);
	assert_int_equal(write(sv[1], "\0\0\0\x01\x02", 5), 5);	/* CMD_UNKNOWN */
	assert_int_equal(s2s_vici_request(&c, buf, (size_t)len, 2000, NULL, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(write(sv[1], "\0\0\0\x01\x06", 5), 5);	/* EVENT_UNKNOWN */
	assert_int_equal(s2s_vici_register(&c, "nosuch", 2000), -ENOENT);
	/* silence: the deadline holds */
	assert_int_equal(s2s_vici_request(&c, buf, (size_t)len, 100, NULL, NULL),
			 -ETIMEDOUT);
	close(sv[1]);
	s2s_vici_close(&c);
	assert_int_equal(s2s_vici_request(&c, buf, (size_t)len, 100, NULL, NULL),
			 -ENOTCONN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rec_confirm),
		cmocka_unit_test(test_rec_child_up),
		cmocka_unit_test(test_rec_child_rekey),
		cmocka_unit_test(test_rec_child_down),
		cmocka_unit_test(test_rec_list_sa),
		cmocka_unit_test(test_rec_other_events),
		cmocka_unit_test(test_rec_response),
		cmocka_unit_test(test_rec_truncated),
		cmocka_unit_test(test_event_errors),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_route_set_build),
		cmocka_unit_test(test_route_diff),
		cmocka_unit_test(test_route_msg),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_client_events_during_request),
		cmocka_unit_test(test_client_unknown_and_timeout),
	};

	return cmocka_run_group_tests_name("vici_sa", tests, NULL, NULL);
}
