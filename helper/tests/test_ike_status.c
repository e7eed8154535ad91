// SPDX-License-Identifier: GPL-2.0
/* The tunnel status s2sd derives from charon's events, against the
 * packets a real charon 5.9.8 sent while tunnels failed in each way the
 * service guides list (tests/data/vici/frames/status/, recorded by
 * record-status.sh) and while one came up, was rekeyed and closed
 * (frames/, record.sh): every event of a recording is replayed, in
 * order, into the tracker, as s2sd does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/s2s.h>

#include "ike_status.h"
#include "link.h"
#include "vici.h"
#include "vici_sa.h"

#define IF_ID 42

static const char *data_dir(void)
{
	const char *dir = getenv("S2S_VICI_DATA");

	return dir ? dir : "tests/data/vici/frames";
}

/* Replay state: the tracker and which children are up, as s2sd keeps. */
struct replay {
	struct s2s_ike_track t;
	uint32_t up_ids[16];
	uint32_t up_if_ids[16];
	size_t n_up;
	unsigned int changes;
};

static void on_child(bool up, const struct s2s_vici_child *c, void *ctx)
{
	struct replay *r = ctx;
	uint32_t if_id = c->if_id_out ? c->if_id_out : c->if_id_in;
	bool others = false;
	size_t i;

	for (i = 0; i < r->n_up; i++) {
		if (r->up_ids[i] == c->id) {
			r->up_ids[i] = r->up_ids[--r->n_up];
			r->up_if_ids[i] = r->up_if_ids[r->n_up];
			break;
		}
	}
	if (up) {
		assert_true(r->n_up < 16);
		r->up_ids[r->n_up] = c->id;
		r->up_if_ids[r->n_up++] = if_id;
	}
	for (i = 0; i < r->n_up; i++)
		if (r->up_ids[i] != c->id && r->up_if_ids[i] == if_id)
			others = true;
	r->changes += s2s_ike_track_child(&r->t, up, c, others);
}

/* Feed one recorded frame; return its event name ("" for others). */
static void feed_file(struct replay *r, const char *path)
{
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	uint8_t *b = malloc(S2S_VICI_FRAME_MAX);
	unsigned int x;
	size_t len = 0;
	FILE *in;

	assert_non_null(b);
	in = fopen(path, "r");
	if (!in)
		fail_msg("cannot open recorded frame %s", path);
	while (fscanf(in, "%2x", &x) == 1)
		b[len++] = (uint8_t)x;
	fclose(in);
	assert_true(len > 4);
	assert_int_equal(((size_t)b[0] << 24 | (size_t)b[1] << 16 |
			  (size_t)b[2] << 8 | b[3]) + 4, len);
	assert_int_equal(s2s_vici_packet_parse(b + 4, len - 4, &p), 0);
	if (p.type == S2S_VICI_EVENT) {
		assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
		r->changes += s2s_ike_track_event(&r->t, p.name, &t);
		s2s_vici_sa_event(p.name, &t, on_child, r);
		s2s_vici_tree_free(&t);
	}
	free(b);
}

static int hex_only(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".hex");
}

/* Replay every frame of DIR (relative to the data), in recorded order,
 * up to and including the one whose name starts with UNTIL (NULL: all).
 */
static void replay_dir(struct replay *r, const char *dir, const char *until)
{
	struct dirent **names;
	char path[1024];
	int i, n;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), dir);
	n = scandir(path, &names, hex_only, alphasort);
	if (n <= 0)
		fail_msg("no recorded frames in %s", path);
	for (i = 0; i < n; i++) {
		bool last = until && !strncmp(names[i]->d_name, until, strlen(until));

		snprintf(path, sizeof(path), "%s/%s/%s", data_dir(), dir,
			 names[i]->d_name);
		feed_file(r, path);
		free(names[i]);
		if (last) {
			while (++i < n)
				free(names[i]);
		}
	}
	free(names);
}

/* One s2s link per if-id given (0 ends the list). */
static void links(struct replay *r, uint32_t a, uint32_t b)
{
	struct s2s_link_list list = { 0 };
	struct s2s_link l = { 0 };

	l.if_id = a;
	assert_int_equal(s2s_link_list_add(&list, &l), 0);
	if (b) {
		l.if_id = b;
		assert_int_equal(s2s_link_list_add(&list, &l), 0);
	}
	s2s_ike_track_links(&r->t, &list);
	s2s_link_list_clear(&list);
}

static struct replay *fresh(void)
{
	struct replay *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	s2s_ike_track_init(&r->t);
	links(r, IF_ID, 0);
	return r;
}

static void assert_link(struct replay *r, uint32_t if_id, uint32_t status,
			const char *reason)
{
	struct s2s_ike_link *l = s2s_ike_track_link(&r->t, if_id);

	assert_non_null(l);
	assert_string_equal(s2s_ike_status_name(l->status),
			    s2s_ike_status_name(status));
	assert_string_equal(l->reason, reason);
}

static void test_log_parse(void **state)
{
	char path[1024];
	struct s2s_vici_packet p;
	struct s2s_vici_tree t;
	struct s2s_ike_log l;
	uint8_t *b = malloc(S2S_VICI_FRAME_MAX);
	unsigned int x;
	size_t len = 0;
	FILE *in;

	(void)state;
	snprintf(path, sizeof(path), "%s/status/ts/gwa/22-EVENT-log.hex",
		 data_dir());
	in = fopen(path, "r");
	assert_non_null(in);
	while (fscanf(in, "%2x", &x) == 1)
		b[len++] = (uint8_t)x;
	fclose(in);
	assert_int_equal(s2s_vici_packet_parse(b + 4, len - 4, &p), 0);
	assert_string_equal(p.name, "log");
	assert_int_equal(s2s_vici_tree_parse(p.msg, p.msg_len, &t), 0);
	assert_int_equal(s2s_ike_log_parse(&t, &l), 0);
	assert_string_equal(l.group, "IKE");
	assert_int_equal(l.level, 1);
	assert_string_equal(l.ike, "ts");
	assert_int_equal(l.ike_id, 3);
	assert_string_equal(l.msg, "received TS_UNACCEPTABLE notify, no CHILD_SA built");
	s2s_vici_tree_free(&t);
	free(b);
}

/* The classifier alone, on message texts charon 5.9.8 logged. */
static void test_classify(void **state)
{
	static const struct {
		const char *group, *msg;
		bool ike_up;
		uint32_t status;
		const char *reason;
	} cases[] = {
		{ "IKE", "received AUTHENTICATION_FAILED notify error", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "peer sent AUTHENTICATION_FAILED (key or identity mismatch)" },
		{ "IKE", "tried 1 shared key for 'gwb' - 'gwa', but MAC mismatched", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "pre-shared key mismatch" },
		{ "IKE", "received NO_PROPOSAL_CHOSEN notify error", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "no acceptable proposal (IKE)" },
		{ "IKE", "received proposals unacceptable", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "no acceptable proposal (IKE)" },
		{ "IKE", "no acceptable proposal found", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "no acceptable proposal (IKE)" },
		{ "IKE", "no acceptable proposal found", true,
		  S2S_IKE_STATUS_PHASE2_FAILED, "no acceptable proposal (ESP)" },
		{ "IKE", "received TS_UNACCEPTABLE notify, no CHILD_SA built", true,
		  S2S_IKE_STATUS_PHASE2_FAILED, "traffic selectors unacceptable" },
		{ "IKE", "traffic selectors 10.2.0.0/24 2001:db8:2::/64 === 10.1.0.0/24 2001:db8:1::/64 unacceptable", true,
		  S2S_IKE_STATUS_PHASE2_FAILED, "traffic selectors unacceptable" },
		{ "IKE", "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built", true,
		  S2S_IKE_STATUS_PHASE2_FAILED, "no acceptable proposal (ESP)" },
		{ "IKE", "retransmit 2 of request with message ID 0", false,
		  S2S_IKE_STATUS_CONNECTING, "no answer from the peer (retransmit 2)" },
		{ "IKE", "giving up after 3 retransmits", false,
		  S2S_IKE_STATUS_PHASE1_FAILED, "peer not responding" },
		{ "IKE", "initiating IKE_SA psk[1] to 192.0.2.2", false,
		  S2S_IKE_STATUS_CONNECTING, "negotiating the IKE SA" },
		{ "IKE", "establishing CHILD_SA lan{1}", false,
		  S2S_IKE_STATUS_CONNECTING, "lan" },
	};
	static const struct { const char *group, *msg; bool ike_up; } ignored[] = {
		/* DPD on an established SA is no attempt to connect */
		{ "IKE", "retransmit 1 of request with message ID 7", true },
		{ "NET", "received packet: from 192.0.2.2[500] to 192.0.2.1[500] (304 bytes)", false },
		{ "IKE", "received AUTHENTICATION_FAILED notify error, or not", false },
		{ "CFG", "selected proposal: IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384", false },
		/* a failure named in another subsystem's words is not ours */
		{ "KNL", "received AUTHENTICATION_FAILED notify error", false },
	};
	struct s2s_ike_verdict v;
	struct s2s_ike_log l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&l, 0, sizeof(l));
		snprintf(l.group, sizeof(l.group), "%s", cases[i].group);
		snprintf(l.msg, sizeof(l.msg), "%s", cases[i].msg);
		assert_true(s2s_ike_classify(&l, cases[i].ike_up, &v));
		assert_int_equal(v.status, cases[i].status);
		assert_string_equal(v.reason, cases[i].reason);
	}
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		memset(&l, 0, sizeof(l));
		snprintf(l.group, sizeof(l.group), "%s", ignored[i].group);
		snprintf(l.msg, sizeof(l.msg), "%s", ignored[i].msg);
		assert_false(s2s_ike_classify(&l, ignored[i].ike_up, &v));
	}
}

/* Initiator, PSK mismatch: connecting, then phase 1 failed; the
 * ike-updown that follows leaves the failure in place.
 */
static void test_rec_psk(void **state)
{
	struct replay *r = fresh();

	(void)state;
	replay_dir(r, "status/psk/gwa", "04-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTING, "psk: negotiating the IKE SA");
	replay_dir(r, "status/psk/gwa", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE1_FAILED,
		    "psk: peer sent AUTHENTICATION_FAILED (key or identity mismatch)");
	free(r);

	/* the responder saw the MAC mismatch itself */
	r = fresh();
	replay_dir(r, "status/psk/gwb", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE1_FAILED, "psk: pre-shared key mismatch");
	free(r);
}

static void test_rec_ike_proposal(void **state)
{
	struct replay *r = fresh();

	(void)state;
	replay_dir(r, "status/ikeprop/gwa", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE1_FAILED,
		    "ikeprop: no acceptable proposal (IKE)");
	free(r);

	/* The responder refuses in IKE_SA_INIT, before any config is
	 * chosen: charon names no connection, so no link can be blamed.
	 */
	r = fresh();
	replay_dir(r, "status/ikeprop/gwb", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_UNKNOWN, "");
	assert_int_equal(r->changes, 0);
	free(r);
}

static void test_rec_ts(void **state)
{
	struct replay *r = fresh();

	(void)state;
	/* IKE SA up: phase 1 is done */
	replay_dir(r, "status/ts/gwa", "21-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTING,
		    "ts: IKE SA up, negotiating the Child SA");
	replay_dir(r, "status/ts/gwa", NULL);
	/* named after the child, and the generic line after it keeps it */
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE2_FAILED,
		    "lan: traffic selectors unacceptable");
	free(r);

	r = fresh();
	replay_dir(r, "status/ts/gwb", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE2_FAILED,
		    "ts: traffic selectors unacceptable");
	free(r);
}

static void test_rec_esp_proposal(void **state)
{
	struct replay *r = fresh();

	(void)state;
	replay_dir(r, "status/espprop/gwa", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE2_FAILED,
		    "lan: no acceptable proposal (ESP)");
	free(r);

	/* "no acceptable proposal found" after the IKE SA is up: phase 2 */
	r = fresh();
	replay_dir(r, "status/espprop/gwb", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE2_FAILED,
		    "espprop: no acceptable proposal (ESP)");
	free(r);
}

static void test_rec_dead_peer(void **state)
{
	struct replay *r = fresh();

	(void)state;
	replay_dir(r, "status/dead/gwa", "11-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTING,
		    "dead: no answer from the peer (retransmit 3)");
	replay_dir(r, "status/dead/gwa", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE1_FAILED, "dead: peer not responding");
	free(r);
}

/* A tunnel that comes up, is rekeyed and closed (record.sh's recording,
 * connection "site", child "lan", if_id 42).
 */
static void test_rec_up_rekey_down(void **state)
{
	struct replay *r = fresh();
	char path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/04-EVENT-child-updown.hex", data_dir());
	feed_file(r, path);
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	r->changes = 0;
	snprintf(path, sizeof(path), "%s/05-EVENT-child-rekey.hex", data_dir());
	feed_file(r, path);
	/* the new child came up before the old one went: no blip */
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	assert_int_equal(r->changes, 0);
	snprintf(path, sizeof(path), "%s/06-EVENT-child-updown.hex", data_dir());
	feed_file(r, path);
	assert_link(r, IF_ID, S2S_IKE_STATUS_DOWN, "site: child lan closed");
	snprintf(path, sizeof(path), "%s/07-EVENT-ike-updown.hex", data_dir());
	feed_file(r, path);
	assert_link(r, IF_ID, S2S_IKE_STATUS_DOWN, "site: child lan closed");
	free(r);
}

/* A failure stays visible through the retries; a success replaces it. */
static void test_failure_then_fixed(void **state)
{
	struct replay *r = fresh();
	char path[1024];

	(void)state;
	replay_dir(r, "status/psk/gwa", NULL);
	/* charon tries again: still failed, with the reason */
	replay_dir(r, "status/ikeprop/gwa", "04-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_PHASE1_FAILED,
		    "psk: peer sent AUTHENTICATION_FAILED (key or identity mismatch)");
	/* phase 1 passes on a later attempt: no longer phase 1 failed */
	replay_dir(r, "status/ts/gwa", "18-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTING,
		    "ts: IKE SA up, negotiating the Child SA");
	snprintf(path, sizeof(path), "%s/04-EVENT-child-updown.hex", data_dir());
	feed_file(r, path);
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	free(r);
}

/* A tunnel up stays up through another attempt on its link (an IKE
 * reauthentication initiates a new IKE SA before the old one goes).
 */
static void test_up_through_reauth(void **state)
{
	struct replay *r = fresh();
	char path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/04-EVENT-child-updown.hex", data_dir());
	feed_file(r, path);
	r->changes = 0;
	/* site's new IKE SA: initiating, established (ts's recording) */
	replay_dir(r, "status/ts/gwa", "20-");
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	assert_int_equal(r->changes, 0);
	free(r);
}

/* With two links, a connection whose children were never seen belongs
 * to neither; once a child showed its if-id, its failures go there.
 */
static void test_mapping(void **state)
{
	struct replay *r = fresh();
	char path[1024];

	(void)state;
	links(r, 7, IF_ID);
	replay_dir(r, "status/psk/gwa", NULL);
	assert_link(r, IF_ID, S2S_IKE_STATUS_UNKNOWN, "");
	assert_link(r, 7, S2S_IKE_STATUS_UNKNOWN, "");
	assert_int_equal(s2s_ike_track_if_id(&r->t, "site"), 0);
	snprintf(path, sizeof(path), "%s/04-EVENT-child-updown.hex", data_dir());
	feed_file(r, path);
	assert_int_equal(s2s_ike_track_if_id(&r->t, "site"), IF_ID);
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	assert_link(r, 7, S2S_IKE_STATUS_UNKNOWN, "");
	/* a link list refresh keeps the states */
	links(r, IF_ID, 9);
	assert_link(r, IF_ID, S2S_IKE_STATUS_CONNECTED, "site, child lan");
	assert_link(r, 9, S2S_IKE_STATUS_UNKNOWN, "");
	assert_null(s2s_ike_track_link(&r->t, 7));
	free(r);
}

/* Reasons are bounded to what the module takes, whatever the names. */
static void test_long_names(void **state)
{
	struct replay *r = fresh();
	struct s2s_ike_log l = { .group = "IKE", .ike_id = 9 };

	(void)state;
	memset(l.ike, 'c', 200);
	snprintf(l.msg, sizeof(l.msg), "received AUTHENTICATION_FAILED notify error");
	assert_true(s2s_ike_track_log(&r->t, &l));
	assert_int_equal(strlen(s2s_ike_track_link(&r->t, IF_ID)->reason),
			 S2S_IKE_REASON_LEN - 1);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_parse),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_rec_psk),
		cmocka_unit_test(test_rec_ike_proposal),
		cmocka_unit_test(test_rec_ts),
		cmocka_unit_test(test_rec_esp_proposal),
		cmocka_unit_test(test_rec_dead_peer),
		cmocka_unit_test(test_rec_up_rekey_down),
		cmocka_unit_test(test_failure_then_fixed),
		cmocka_unit_test(test_up_through_reauth),
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_long_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
