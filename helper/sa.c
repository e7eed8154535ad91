// SPDX-License-Identifier: GPL-2.0
/* The SA object: parse, text, JSON, list. No key ever passes here. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/s2s.h>

#include "algs.h"
#include "attr.h"
#include "sa.h"
#include "strbuf.h"

#define S2S_SA_HAS(sa, attr) S2S_ATTR_HAS((sa)->present, S2S_A_SA_##attr)

static int s2s_sa_local(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	return s2s_addr_from_bytes(mnl_attr_get_payload(attr),
				   mnl_attr_get_payload_len(attr), &sa->local);
}

static int s2s_sa_remote(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	return s2s_addr_from_bytes(mnl_attr_get_payload(attr),
				   mnl_attr_get_payload_len(attr), &sa->remote);
}

/* A selector nest, read into a prefix. */
struct s2s_sa_sel {
	uint64_t present;
	struct s2s_prefix p;
};

static int s2s_sa_sel_addr(const struct nlattr *attr, void *obj)
{
	struct s2s_sa_sel *sel = obj;

	return s2s_addr_from_bytes(mnl_attr_get_payload(attr),
				   mnl_attr_get_payload_len(attr), &sel->p.addr);
}

static const struct s2s_attr_rule s2s_sa_sel_rules[] = {
	S2S_ATTR_CUSTOM_RULE(S2S_A_SELECTOR_ADDR, s2s_sa_sel_addr),
	S2S_ATTR_RULE(S2S_A_SELECTOR_PREFIX_LEN, S2S_ATTR_U8, struct s2s_sa_sel,
		      p.plen),
};

static const struct s2s_attr_policy s2s_sa_sel_policy =
	S2S_ATTR_POLICY(s2s_sa_sel_rules, struct s2s_sa_sel, present);

/* ts-local and ts-remote repeat: each one appends to its array. */
static int s2s_sa_selector(const struct nlattr *attr, struct s2s_prefix *arr,
			   unsigned int *n)
{
	struct s2s_sa_sel sel = { 0 };
	int err;

	err = s2s_attr_parse_nested(attr, &s2s_sa_sel_policy, &sel);
	if (err)
		return err;
	if (!S2S_ATTR_HAS(sel.present, S2S_A_SELECTOR_ADDR) ||
	    !S2S_ATTR_HAS(sel.present, S2S_A_SELECTOR_PREFIX_LEN) ||
	    sel.p.plen > (sel.p.addr.family == AF_INET ? 32 : 128))
		return -EBADMSG;
	if (*n == S2S_SA_SELECTORS_MAX)
		return -EMSGSIZE;
	arr[(*n)++] = sel.p;
	return 0;
}

static int s2s_sa_ts_local(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	return s2s_sa_selector(attr, sa->ts_local, &sa->n_ts_local);
}

static int s2s_sa_ts_remote(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	return s2s_sa_selector(attr, sa->ts_remote, &sa->n_ts_remote);
}

static const struct s2s_attr_rule s2s_lifetime_rules[] = {
	S2S_ATTR_RULE(S2S_A_LIFETIME_BYTES, S2S_ATTR_U64, struct s2s_lifetime,
		      bytes),
	S2S_ATTR_RULE(S2S_A_LIFETIME_PACKETS, S2S_ATTR_U64, struct s2s_lifetime,
		      packets),
	S2S_ATTR_RULE(S2S_A_LIFETIME_SECONDS, S2S_ATTR_U64, struct s2s_lifetime,
		      seconds),
};

static const struct s2s_attr_policy s2s_lifetime_policy =
	S2S_ATTR_POLICY(s2s_lifetime_rules, struct s2s_lifetime, present);

static int s2s_sa_soft(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	memset(&sa->soft, 0, sizeof(sa->soft));
	return s2s_attr_parse_nested(attr, &s2s_lifetime_policy, &sa->soft);
}

static int s2s_sa_hard(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	memset(&sa->hard, 0, sizeof(sa->hard));
	return s2s_attr_parse_nested(attr, &s2s_lifetime_policy, &sa->hard);
}

static int s2s_sa_stats(const struct nlattr *attr, void *obj)
{
	struct s2s_sa *sa = obj;

	return s2s_stats_parse(attr, &sa->stats);
}

/* One row per attribute of the spec's "sa" set that the kernel sends.
 * Deliberately none for S2S_A_SA_ENC_KEY and S2S_A_SA_INTEG_KEY.
 */
static const struct s2s_attr_rule s2s_sa_rules[] = {
	S2S_ATTR_RULE(S2S_A_SA_IFINDEX, S2S_ATTR_U32, struct s2s_sa, ifindex),
	S2S_ATTR_RULE(S2S_A_SA_DIR, S2S_ATTR_U32, struct s2s_sa, dir),
	S2S_ATTR_RULE(S2S_A_SA_SPI, S2S_ATTR_U32, struct s2s_sa, spi),
	S2S_ATTR_RULE(S2S_A_SA_ENC, S2S_ATTR_U32, struct s2s_sa, enc),
	S2S_ATTR_RULE(S2S_A_SA_INTEG, S2S_ATTR_U32, struct s2s_sa, integ),
	S2S_ATTR_RULE(S2S_A_SA_ESN, S2S_ATTR_U8, struct s2s_sa, esn),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_LOCAL, s2s_sa_local),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_REMOTE, s2s_sa_remote),
	S2S_ATTR_RULE(S2S_A_SA_ENCAP_SPORT, S2S_ATTR_U16, struct s2s_sa,
		      encap_sport),
	S2S_ATTR_RULE(S2S_A_SA_ENCAP_DPORT, S2S_ATTR_U16, struct s2s_sa,
		      encap_dport),
	S2S_ATTR_RULE(S2S_A_SA_REPLAY_WINDOW, S2S_ATTR_U32, struct s2s_sa,
		      replay_window),
	S2S_ATTR_RULE(S2S_A_SA_SEQ, S2S_ATTR_U64, struct s2s_sa, seq),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_TS_LOCAL, s2s_sa_ts_local),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_TS_REMOTE, s2s_sa_ts_remote),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_SOFT, s2s_sa_soft),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_HARD, s2s_sa_hard),
	S2S_ATTR_RULE(S2S_A_SA_AGE, S2S_ATTR_U64, struct s2s_sa, age),
	S2S_ATTR_RULE(S2S_A_SA_LEGACY, S2S_ATTR_U8, struct s2s_sa, legacy),
	S2S_ATTR_RULE(S2S_A_SA_EVENT, S2S_ATTR_U32, struct s2s_sa, event),
	S2S_ATTR_RULE(S2S_A_SA_STATE, S2S_ATTR_U32, struct s2s_sa, state),
	S2S_ATTR_CUSTOM_RULE(S2S_A_SA_STATS, s2s_sa_stats),
};

static const struct s2s_attr_policy s2s_sa_policy =
	S2S_ATTR_POLICY(s2s_sa_rules, struct s2s_sa, present);

/**
 * s2s_dir_name() - "in" or "out"
 * @dir: enum s2s_dir
 *
 * Return: the name, "?" for a value this helper does not know.
 */
const char *s2s_dir_name(uint32_t dir)
{
	switch (dir) {
	case S2S_DIR_IN:
		return "in";
	case S2S_DIR_OUT:
		return "out";
	}
	return "?";
}

/**
 * s2s_event_name() - an SA event as the spec names it
 * @event: enum s2s_event
 * @buf: used for values this helper does not know
 * @size: size of @buf; 24 bytes are enough
 *
 * Return: e.g. "soft-expire", or "event-N" in @buf.
 */
const char *s2s_event_name(uint32_t event, char *buf, size_t size)
{
	static const char *const names[] = {
		[S2S_EVENT_SOFT_EXPIRE] = "soft-expire",
		[S2S_EVENT_HARD_EXPIRE] = "hard-expire",
		[S2S_EVENT_SEQ_EXHAUSTED] = "seq-exhausted",
		[S2S_EVENT_REPLAY_BURST] = "replay-burst",
		[S2S_EVENT_AUTH_BURST] = "auth-burst",
	};

	if (event < S2S_ARRAY_SIZE(names) && names[event])
		return names[event];
	snprintf(buf, size, "event-%u", event);
	return buf;
}

/**
 * s2s_sa_state_name() - an SA state as the spec names it
 * @state: enum s2s_sa_state
 * @buf: used for values this helper does not know
 * @size: size of @buf; 24 bytes are enough
 *
 * Return: e.g. "hard-expired", or "state-N" in @buf.
 */
const char *s2s_sa_state_name(uint32_t state, char *buf, size_t size)
{
	static const char *const names[] = {
		[S2S_SA_STATE_ACTIVE] = "active",
		[S2S_SA_STATE_SOFT_EXPIRED] = "soft-expired",
		[S2S_SA_STATE_SEQ_EXHAUSTED] = "seq-exhausted",
		[S2S_SA_STATE_HARD_EXPIRED] = "hard-expired",
	};

	if (state < S2S_ARRAY_SIZE(names) && names[state])
		return names[state];
	snprintf(buf, size, "state-%u", state);
	return buf;
}

/**
 * s2s_sa_parse() - read an SA from an sa-get reply or an sa-ntf event
 * @nlh: the genl message
 * @sa: filled in
 *
 * Return: 0, or -EBADMSG when malformed or without link, direction and
 * SPI (an SA we cannot name is no answer).
 */
int s2s_sa_parse(const struct nlmsghdr *nlh, struct s2s_sa *sa)
{
	int err;

	memset(sa, 0, sizeof(*sa));
	err = s2s_attr_parse_msg(nlh, GENL_HDRLEN, &s2s_sa_policy, sa);
	if (err)
		return err == -EMSGSIZE ? -EBADMSG : err;
	if (!S2S_SA_HAS(sa, IFINDEX) || !S2S_SA_HAS(sa, DIR) ||
	    !S2S_SA_HAS(sa, SPI))
		return -EBADMSG;
	return 0;
}

/* "ifname" when the caller knows it, else the number the kernel gave. */
static void s2s_sa_put_link(struct s2s_strbuf *sb, const struct s2s_sa *sa,
			    const char *ifname)
{
	if (ifname)
		s2s_strbuf_printf(sb, "%s", ifname);
	else
		s2s_strbuf_printf(sb, "ifindex %u", sa->ifindex);
}

static void s2s_sa_put_id(struct s2s_strbuf *sb, const struct s2s_sa *sa)
{
	s2s_strbuf_printf(sb, "sa %s spi 0x%08x", s2s_dir_name(sa->dir),
			  sa->spi);
}

static bool s2s_sa_is_legacy(const struct s2s_sa *sa)
{
	const struct s2s_alg *integ = s2s_integ_by_id(sa->integ);
	const struct s2s_alg *enc = s2s_enc_by_id(sa->enc);

	if (S2S_SA_HAS(sa, LEGACY) && sa->legacy)
		return true;
	return (S2S_SA_HAS(sa, ENC) && enc && enc->legacy) ||
	       (S2S_SA_HAS(sa, INTEG) && integ && integ->legacy);
}

/* "aes-gcm", "aes-cbc/hmac-sha256-128", "3des-cbc/hmac-sha1-96 (legacy)" */
static void s2s_sa_put_algs(struct s2s_strbuf *sb, const struct s2s_sa *sa)
{
	char buf[24];

	if (!S2S_SA_HAS(sa, ENC))
		return;
	s2s_strbuf_printf(sb, ": %s", s2s_enc_name(sa->enc, buf, sizeof(buf)));
	if (S2S_SA_HAS(sa, INTEG) && sa->integ != S2S_INTEG_NONE)
		s2s_strbuf_printf(sb, "/%s",
				  s2s_integ_name(sa->integ, buf, sizeof(buf)));
	if (s2s_sa_is_legacy(sa))
		s2s_strbuf_printf(sb, " (legacy)");
}

static void s2s_sa_put_endpoint(struct s2s_strbuf *sb, const struct s2s_sa *sa)
{
	char addr[S2S_ADDR_STRLEN];

	if (S2S_SA_HAS(sa, LOCAL))
		s2s_strbuf_printf(sb, ", local %s",
				  s2s_addr_ntop(&sa->local, addr, sizeof(addr)));
	if (S2S_SA_HAS(sa, REMOTE))
		s2s_strbuf_printf(sb, ", remote %s",
				  s2s_addr_ntop(&sa->remote, addr, sizeof(addr)));
	if (sa->encap_sport || sa->encap_dport)
		s2s_strbuf_printf(sb, ", udp %u -> %u", sa->encap_sport,
				  sa->encap_dport);
	if (sa->esn)
		s2s_strbuf_printf(sb, ", esn");
	if (S2S_SA_HAS(sa, SEQ))
		s2s_strbuf_printf(sb, ", seq %" PRIu64, sa->seq);
	if (S2S_SA_HAS(sa, REPLAY_WINDOW))
		s2s_strbuf_printf(sb, ", replay-window %u", sa->replay_window);
}

static void s2s_sa_put_prefixes(struct s2s_strbuf *sb,
				const struct s2s_prefix *arr, unsigned int n)
{
	char text[S2S_PREFIX_STRLEN];
	unsigned int i;

	if (!n)
		s2s_strbuf_printf(sb, " any");
	for (i = 0; i < n; i++)
		s2s_strbuf_printf(sb, " %s",
				  s2s_prefix_ntop(&arr[i], text, sizeof(text)));
}

static void s2s_sa_put_lifetime(struct s2s_strbuf *sb, const char *name,
				const struct s2s_lifetime *lt)
{
	s2s_strbuf_printf(sb, "%s", name);
	if (!lt->bytes && !lt->packets && !lt->seconds)
		s2s_strbuf_printf(sb, " none");
	if (lt->bytes)
		s2s_strbuf_printf(sb, " %" PRIu64 " bytes", lt->bytes);
	if (lt->packets)
		s2s_strbuf_printf(sb, " %" PRIu64 " packets", lt->packets);
	if (lt->seconds)
		s2s_strbuf_printf(sb, " %" PRIu64 " s", lt->seconds);
}

/* "lifetime: soft 3600 s, hard none, age 12 s", what the kernel sent. */
static void s2s_sa_put_lifetimes(struct s2s_strbuf *sb, const struct s2s_sa *sa,
				 const char *indent)
{
	const char *sep = ": ";

	if (!S2S_SA_HAS(sa, SOFT) && !S2S_SA_HAS(sa, HARD) && !S2S_SA_HAS(sa, AGE))
		return;
	s2s_strbuf_printf(sb, "\n%s  lifetime", indent);
	if (S2S_SA_HAS(sa, SOFT)) {
		s2s_strbuf_printf(sb, "%s", sep);
		s2s_sa_put_lifetime(sb, "soft", &sa->soft);
		sep = ", ";
	}
	if (S2S_SA_HAS(sa, HARD)) {
		s2s_strbuf_printf(sb, "%s", sep);
		s2s_sa_put_lifetime(sb, "hard", &sa->hard);
		sep = ", ";
	}
	if (S2S_SA_HAS(sa, AGE)) {
		s2s_strbuf_printf(sb, "%sage %" PRIu64 " s", sep, sa->age);
		sep = ", ";
	}
	/* Said only when the SA is not simply active: the line a user reads
	 * when a tunnel is up and carries nothing.
	 */
	if (S2S_SA_HAS(sa, STATE) && sa->state != S2S_SA_STATE_ACTIVE) {
		char name[24];

		s2s_strbuf_printf(sb, "%sstate %s", sep,
				  s2s_sa_state_name(sa->state, name, sizeof(name)));
	}
}

/**
 * s2s_sa_format() - an SA as `s2sctl show` and `s2sctl sa show` print it
 * @sa: the SA
 * @ifname: its link's name first ("s2s0: sa ..."), or NULL to leave it out
 * @indent: put before every line, e.g. "  " under a link
 * @buf: output: lines separated by '\n', no newline at the end
 * @size: size of @buf; S2S_SA_TEXT_MAX is always enough
 *
 * For example (indent "  "):
 *   sa out spi 0xc0010002: aes-gcm, local 192.0.2.1, remote 192.0.2.2, seq 3
 *     selectors: local 10.1.0.0/24, remote any
 *     lifetime: soft 3600 s, hard none, age 12 s
 *     traffic: tx 3 packets 252 bytes, rx 0 packets 0 bytes
 *     drops: none
 * Attributes the kernel did not send are left out; keys are never shown
 * (struct s2s_sa has none).
 *
 * Return: the length of the full text (>= @size: it was cut).
 */
size_t s2s_sa_format(const struct s2s_sa *sa, const char *ifname,
		     const char *indent, char *buf, size_t size)
{
	struct s2s_strbuf sb;

	s2s_strbuf_init(&sb, buf, size);
	s2s_strbuf_printf(&sb, "%s", indent);
	if (ifname)
		s2s_strbuf_printf(&sb, "%s: ", ifname);
	s2s_sa_put_id(&sb, sa);
	s2s_sa_put_algs(&sb, sa);
	s2s_sa_put_endpoint(&sb, sa);
	s2s_strbuf_printf(&sb, "\n%s  selectors: local", indent);
	s2s_sa_put_prefixes(&sb, sa->ts_local, sa->n_ts_local);
	s2s_strbuf_printf(&sb, ", remote");
	s2s_sa_put_prefixes(&sb, sa->ts_remote, sa->n_ts_remote);
	s2s_sa_put_lifetimes(&sb, sa, indent);
	if (S2S_SA_HAS(sa, STATS)) {
		s2s_strbuf_printf(&sb, "\n%s  traffic: ", indent);
		s2s_stats_put_traffic(&sb, &sa->stats);
		s2s_strbuf_printf(&sb, "\n%s  drops: ", indent);
		s2s_stats_put_drops(&sb, &sa->stats);
	}
	return sb.len;
}

/**
 * s2s_sa_format_event() - one line about an sa-ntf notification
 * @sa: the notification, from s2s_sa_parse()
 * @ifname: the link's name, or NULL (the ifindex is shown then)
 * @buf: output, e.g. "soft-expire s2s0 sa out spi 0xc0010001: tx 3
 *	packets 252 bytes, rx 0 packets 0 bytes; drops: none"
 * @size: size of @buf; 512 bytes are always enough
 *
 * Return: the length of the full line.
 */
size_t s2s_sa_format_event(const struct s2s_sa *sa, const char *ifname,
			   char *buf, size_t size)
{
	struct s2s_strbuf sb;
	char name[24];

	s2s_strbuf_init(&sb, buf, size);
	if (S2S_SA_HAS(sa, EVENT))
		s2s_strbuf_printf(&sb, "%s ",
				  s2s_event_name(sa->event, name, sizeof(name)));
	s2s_sa_put_link(&sb, sa, ifname);
	s2s_strbuf_printf(&sb, " ");
	s2s_sa_put_id(&sb, sa);
	if (S2S_SA_HAS(sa, STATS)) {
		s2s_strbuf_printf(&sb, ": ");
		s2s_stats_put_traffic(&sb, &sa->stats);
		s2s_strbuf_printf(&sb, "; drops: ");
		s2s_stats_put_drops(&sb, &sa->stats);
	}
	return sb.len;
}

static void s2s_json_u64(struct json_object *obj, const char *key, uint64_t v)
{
	json_object_object_add(obj, key, json_object_new_uint64(v));
}

static void s2s_json_str(struct json_object *obj, const char *key,
			 const char *v)
{
	json_object_object_add(obj, key, json_object_new_string(v));
}

static struct json_object *s2s_prefixes_to_json(const struct s2s_prefix *arr,
						unsigned int n)
{
	struct json_object *a = json_object_new_array();
	char text[S2S_PREFIX_STRLEN];
	unsigned int i;

	for (i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_string(
			s2s_prefix_ntop(&arr[i], text, sizeof(text))));
	return a;
}

static struct json_object *s2s_lifetime_to_json(const struct s2s_lifetime *lt)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	s2s_json_u64(obj, "bytes", lt->bytes);
	s2s_json_u64(obj, "packets", lt->packets);
	s2s_json_u64(obj, "seconds", lt->seconds);
	return obj;
}

static void s2s_sa_json_algs(struct json_object *obj, const struct s2s_sa *sa)
{
	char buf[24];

	if (S2S_SA_HAS(sa, ENC))
		s2s_json_str(obj, "enc", s2s_enc_name(sa->enc, buf, sizeof(buf)));
	if (S2S_SA_HAS(sa, INTEG))
		s2s_json_str(obj, "integ",
			     s2s_integ_name(sa->integ, buf, sizeof(buf)));
	if (S2S_SA_HAS(sa, ENC) || S2S_SA_HAS(sa, LEGACY))
		json_object_object_add(obj, "legacy",
				       json_object_new_boolean(s2s_sa_is_legacy(sa)));
	if (S2S_SA_HAS(sa, ESN))
		json_object_object_add(obj, "esn",
				       json_object_new_boolean(sa->esn));
}

static void s2s_sa_json_endpoint(struct json_object *obj,
				 const struct s2s_sa *sa)
{
	char addr[S2S_ADDR_STRLEN];

	if (S2S_SA_HAS(sa, LOCAL))
		s2s_json_str(obj, "local",
			     s2s_addr_ntop(&sa->local, addr, sizeof(addr)));
	if (S2S_SA_HAS(sa, REMOTE))
		s2s_json_str(obj, "remote",
			     s2s_addr_ntop(&sa->remote, addr, sizeof(addr)));
	if (S2S_SA_HAS(sa, ENCAP_SPORT))
		s2s_json_u64(obj, "encap_sport", sa->encap_sport);
	if (S2S_SA_HAS(sa, ENCAP_DPORT))
		s2s_json_u64(obj, "encap_dport", sa->encap_dport);
	if (S2S_SA_HAS(sa, REPLAY_WINDOW))
		s2s_json_u64(obj, "replay_window", sa->replay_window);
	if (S2S_SA_HAS(sa, SEQ))
		s2s_json_u64(obj, "seq", sa->seq);
}

/**
 * s2s_sa_to_json() - the SA as a JSON object
 * @sa: the SA or notification
 * @ifname: its link's name, or NULL to leave "ifname" out
 *
 * Keys, each only when the kernel sent it: event, ifname, ifindex, dir
 * ("in"/"out"), spi (number), enc, integ, legacy, esn, local, remote,
 * encap_sport, encap_dport, replay_window, seq, ts_local and ts_remote
 * (arrays of "ADDR/LEN", empty = any; SA replies only), soft and hard
 * ({bytes, packets, seconds}, 0 = no limit), age, state ("active",
 * "soft-expired", "seq-exhausted", "hard-expired"), stats (see
 * s2s_stats_to_json()). Never a key.
 *
 * Return: a new object (json_object_put() it), NULL on allocation failure.
 */
struct json_object *s2s_sa_to_json(const struct s2s_sa *sa,
				   const char *ifname)
{
	struct json_object *obj = json_object_new_object();
	char name[24];

	if (!obj)
		return NULL;
	if (S2S_SA_HAS(sa, EVENT))
		s2s_json_str(obj, "event",
			     s2s_event_name(sa->event, name, sizeof(name)));
	if (ifname)
		s2s_json_str(obj, "ifname", ifname);
	s2s_json_u64(obj, "ifindex", sa->ifindex);
	s2s_json_str(obj, "dir", s2s_dir_name(sa->dir));
	s2s_json_u64(obj, "spi", sa->spi);
	s2s_sa_json_algs(obj, sa);
	s2s_sa_json_endpoint(obj, sa);
	if (S2S_SA_HAS(sa, ENC)) {
		json_object_object_add(obj, "ts_local",
			s2s_prefixes_to_json(sa->ts_local, sa->n_ts_local));
		json_object_object_add(obj, "ts_remote",
			s2s_prefixes_to_json(sa->ts_remote, sa->n_ts_remote));
	}
	if (S2S_SA_HAS(sa, SOFT))
		json_object_object_add(obj, "soft", s2s_lifetime_to_json(&sa->soft));
	if (S2S_SA_HAS(sa, HARD))
		json_object_object_add(obj, "hard", s2s_lifetime_to_json(&sa->hard));
	if (S2S_SA_HAS(sa, AGE))
		s2s_json_u64(obj, "age", sa->age);
	if (S2S_SA_HAS(sa, STATE)) {
		char name[24];

		s2s_json_str(obj, "state",
			     s2s_sa_state_name(sa->state, name, sizeof(name)));
	}
	if (S2S_SA_HAS(sa, STATS))
		json_object_object_add(obj, "stats", s2s_stats_to_json(&sa->stats));
	return obj;
}

/**
 * s2s_sa_list_add() - append a copy of @sa
 * @list: the list
 * @sa: the SA
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_sa_list_add(struct s2s_sa_list *list, const struct s2s_sa *sa)
{
	struct s2s_sa *sas;
	size_t cap;

	if (list->n == list->cap) {
		cap = list->cap ? 2 * list->cap : 8;
		sas = reallocarray(list->sas, cap, sizeof(*sas));
		if (!sas)
			return -ENOMEM;
		list->sas = sas;
		list->cap = cap;
	}
	list->sas[list->n++] = *sa;
	return 0;
}

/**
 * s2s_sa_list_clear() - free the entries; the list can be reused
 * @list: the list
 */
void s2s_sa_list_clear(struct s2s_sa_list *list)
{
	free(list->sas);
	list->sas = NULL;
	list->n = 0;
	list->cap = 0;
}
