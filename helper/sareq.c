// SPDX-License-Identifier: GPL-2.0
/* SA requests from the command line; see sareq.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/s2s.h>

#include "algs.h"
#include "args.h"
#include "attr.h"
#include "sareq.h"
#include "util.h"

#define S2S_OP(op)		(1U << (op))
#define S2S_OPS_ID		(S2S_OP(S2S_SA_OP_ADD) | S2S_OP(S2S_SA_OP_SET) | \
				 S2S_OP(S2S_SA_OP_DEL) | S2S_OP(S2S_SA_OP_GET))
#define S2S_OPS_ENDPOINT	(S2S_OP(S2S_SA_OP_ADD) | S2S_OP(S2S_SA_OP_SET))
#define S2S_OPS_ADD		S2S_OP(S2S_SA_OP_ADD)
#define S2S_GIVEN(req, attr)	S2S_ATTR_HAS((req)->given, S2S_A_SA_##attr)
#define S2S_BIT(attr)		(1ULL << S2S_A_SA_##attr)

/* State of one parse: where messages go, whether stdin was read. */
struct s2s_sa_parse {
	struct s2s_sa_req *req;
	const char *kw;		/* the keyword being parsed */
	int stdin_fd;
	bool stdin_used;
	char *err;
	size_t size;
};

/**
 * struct s2s_sa_kw - one keyword of the `s2sctl sa` grammar
 * @name: the word
 * @nargs: words that follow it
 * @ops: S2S_OP() bits of the commands that take it
 * @repeat: may be given more than once
 * @attr: the S2S_A_SA_* it sets, to refuse it twice
 * @parse: reads the @nargs words; 0 or -EINVAL with a message
 */
struct s2s_sa_kw {
	const char *name;
	unsigned int nargs;
	unsigned int ops;
	bool repeat;
	int attr;
	int (*parse)(struct s2s_sa_parse *p, char **args);
};

static const char *const s2s_sa_op_names[] = {
	[S2S_SA_OP_ADD] = "sa add",
	[S2S_SA_OP_SET] = "sa set",
	[S2S_SA_OP_DEL] = "sa del",
	[S2S_SA_OP_GET] = "sa get",
	[S2S_SA_OP_FLUSH] = "sa flush",
};

static int s2s_sa_fail(struct s2s_sa_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int s2s_sa_fail(struct s2s_sa_parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int s2s_sa_kw_dir(struct s2s_sa_parse *p, char **args)
{
	if (!strcmp(args[0], "in"))
		p->req->dir = S2S_DIR_IN;
	else if (!strcmp(args[0], "out"))
		p->req->dir = S2S_DIR_OUT;
	else
		return s2s_sa_fail(p, "dir: '%s' is neither in nor out", args[0]);
	return 0;
}

static int s2s_sa_kw_spi(struct s2s_sa_parse *p, char **args)
{
	int err = s2s_arg_u32(args[0], 0, UINT32_MAX, &p->req->spi);

	if (err)
		return s2s_sa_fail(p, "spi: '%s' is not a 32-bit number (decimal or 0x hex)",
				   args[0]);
	if (p->req->spi < 256)
		return s2s_sa_fail(p, "spi: %u is reserved (RFC 4303: SPIs 1-255 are reserved, 0 is invalid)",
				   p->req->spi);
	return 0;
}

static int s2s_sa_kw_enc(struct s2s_sa_parse *p, char **args)
{
	const struct s2s_alg *alg = s2s_enc_by_name(args[0]);

	if (!alg)
		return s2s_sa_fail(p, "enc: unknown algorithm '%s' (aes-gcm, chacha20-poly1305, aes-cbc, 3des-cbc)",
				   args[0]);
	p->req->enc = alg->id;
	p->req->legacy_enc = alg->legacy;
	return 0;
}

static int s2s_sa_kw_integ(struct s2s_sa_parse *p, char **args)
{
	const struct s2s_alg *alg = s2s_integ_by_name(args[0]);

	if (!alg)
		return s2s_sa_fail(p, "integ: unknown algorithm '%s' (hmac-sha256-128, hmac-sha384-192, hmac-sha512-256, hmac-sha1-96, none)",
				   args[0]);
	p->req->integ = alg->id;
	p->req->legacy_integ = alg->legacy;
	return 0;
}

/* A key from @FILE, stdin or the command line. One typed inline is
 * wiped from argv once read: the window in which other users can see
 * it in the process list shrinks to the start-up of s2sctl.
 */
static int s2s_sa_key(struct s2s_sa_parse *p, char *src, struct s2s_key *key)
{
	char why[S2S_SA_REQ_ERR_MAX];

	if (!strcmp(src, "-")) {
		if (p->stdin_used)
			return s2s_sa_fail(p, "%s: only one key can come from stdin",
					   p->kw);
		p->stdin_used = true;
	}
	if (s2s_key_load(key, src, p->stdin_fd, why, sizeof(why)))
		return s2s_sa_fail(p, "%s %s", p->kw, why);
	if (src[0] == '0')
		explicit_bzero(src, strlen(src));
	return 0;
}

static int s2s_sa_kw_key(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_key(p, args[0], &p->req->key);
}

static int s2s_sa_kw_ikey(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_key(p, args[0], &p->req->ikey);
}

static int s2s_sa_addr(struct s2s_sa_parse *p, const char *text,
		       struct s2s_addr *a)
{
	if (s2s_addr_parse(text, a))
		return s2s_sa_fail(p, "%s: '%s' is not an IPv4 or IPv6 address",
				   p->kw, text);
	return 0;
}

static int s2s_sa_kw_local(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_addr(p, args[0], &p->req->local);
}

static int s2s_sa_kw_remote(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_addr(p, args[0], &p->req->remote);
}

static int s2s_sa_kw_encap(struct s2s_sa_parse *p, char **args)
{
	uint32_t sport, dport;

	if (s2s_arg_u32(args[0], 0, 65535, &sport) ||
	    s2s_arg_u32(args[1], 0, 65535, &dport))
		return s2s_sa_fail(p, "encap: '%s %s' are not two UDP ports (0-65535)",
				   args[0], args[1]);
	p->req->encap_sport = (uint16_t)sport;
	p->req->encap_dport = (uint16_t)dport;
	p->req->given |= S2S_BIT(ENCAP_DPORT);
	return 0;
}

static int s2s_sa_kw_esn(struct s2s_sa_parse *p, char **args)
{
	(void)args;
	p->req->esn = true;
	return 0;
}

static int s2s_sa_kw_window(struct s2s_sa_parse *p, char **args)
{
	if (s2s_arg_u32(args[0], 0, UINT32_MAX, &p->req->replay_window))
		return s2s_sa_fail(p, "replay-window: '%s' is not a number of packets",
				   args[0]);
	return 0;
}

static int s2s_sa_kw_seq(struct s2s_sa_parse *p, char **args)
{
	if (s2s_arg_u64(args[0], 0, UINT64_MAX, &p->req->seq))
		return s2s_sa_fail(p, "seq: '%s' is not a 64-bit number", args[0]);
	return 0;
}

static int s2s_sa_prefix(struct s2s_sa_parse *p, const char *text,
			 struct s2s_prefix *arr, unsigned int *n)
{
	if (*n == S2S_SA_SELECTORS_MAX)
		return s2s_sa_fail(p, "%s: more than %d prefixes", p->kw,
				   S2S_SA_SELECTORS_MAX);
	if (s2s_prefix_parse(text, &arr[*n]))
		return s2s_sa_fail(p, "%s: '%s' is not an address prefix (ADDR/LEN)",
				   p->kw, text);
	(*n)++;
	return 0;
}

static int s2s_sa_kw_ts_local(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_prefix(p, args[0], p->req->ts_local, &p->req->n_ts_local);
}

static int s2s_sa_kw_ts_remote(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_prefix(p, args[0], p->req->ts_remote,
			     &p->req->n_ts_remote);
}

/* "bytes N", "packets N" or "seconds N"; each at most once per limit. */
static int s2s_sa_lifetime(struct s2s_sa_parse *p, char **args,
			   struct s2s_lifetime *lt)
{
	uint64_t *val;
	int attr;

	if (!strcmp(args[0], "bytes")) {
		attr = S2S_A_LIFETIME_BYTES;
		val = &lt->bytes;
	} else if (!strcmp(args[0], "packets")) {
		attr = S2S_A_LIFETIME_PACKETS;
		val = &lt->packets;
	} else if (!strcmp(args[0], "seconds")) {
		attr = S2S_A_LIFETIME_SECONDS;
		val = &lt->seconds;
	} else {
		return s2s_sa_fail(p, "%s: '%s' is none of bytes, packets, seconds",
				   p->kw, args[0]);
	}
	if (S2S_ATTR_HAS(lt->present, attr))
		return s2s_sa_fail(p, "%s %s given twice", p->kw, args[0]);
	if (s2s_arg_u64(args[1], 0, UINT64_MAX, val))
		return s2s_sa_fail(p, "%s %s: '%s' is not a number (0: no limit)",
				   p->kw, args[0], args[1]);
	lt->present |= 1ULL << attr;
	return 0;
}

static int s2s_sa_kw_soft(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_lifetime(p, args, &p->req->soft);
}

static int s2s_sa_kw_hard(struct s2s_sa_parse *p, char **args)
{
	return s2s_sa_lifetime(p, args, &p->req->hard);
}

static const struct s2s_sa_kw s2s_sa_kws[] = {
	{ "dir", 1, S2S_OPS_ID, false, S2S_A_SA_DIR, s2s_sa_kw_dir },
	{ "spi", 1, S2S_OPS_ID, false, S2S_A_SA_SPI, s2s_sa_kw_spi },
	{ "enc", 1, S2S_OPS_ADD, false, S2S_A_SA_ENC, s2s_sa_kw_enc },
	{ "key", 1, S2S_OPS_ADD, false, S2S_A_SA_ENC_KEY, s2s_sa_kw_key },
	{ "integ", 1, S2S_OPS_ADD, false, S2S_A_SA_INTEG, s2s_sa_kw_integ },
	{ "ikey", 1, S2S_OPS_ADD, false, S2S_A_SA_INTEG_KEY, s2s_sa_kw_ikey },
	{ "local", 1, S2S_OPS_ENDPOINT, false, S2S_A_SA_LOCAL, s2s_sa_kw_local },
	{ "remote", 1, S2S_OPS_ENDPOINT, false, S2S_A_SA_REMOTE, s2s_sa_kw_remote },
	{ "encap", 2, S2S_OPS_ENDPOINT, false, S2S_A_SA_ENCAP_SPORT,
	  s2s_sa_kw_encap },
	{ "esn", 0, S2S_OPS_ADD, false, S2S_A_SA_ESN, s2s_sa_kw_esn },
	{ "replay-window", 1, S2S_OPS_ADD, false, S2S_A_SA_REPLAY_WINDOW,
	  s2s_sa_kw_window },
	{ "seq", 1, S2S_OPS_ADD, false, S2S_A_SA_SEQ, s2s_sa_kw_seq },
	{ "ts-local", 1, S2S_OPS_ENDPOINT, true, S2S_A_SA_TS_LOCAL,
	  s2s_sa_kw_ts_local },
	{ "ts-remote", 1, S2S_OPS_ENDPOINT, true, S2S_A_SA_TS_REMOTE,
	  s2s_sa_kw_ts_remote },
	{ "soft", 2, S2S_OPS_ENDPOINT, true, S2S_A_SA_SOFT, s2s_sa_kw_soft },
	{ "hard", 2, S2S_OPS_ENDPOINT, true, S2S_A_SA_HARD, s2s_sa_kw_hard },
};

static const struct s2s_sa_kw *s2s_sa_kw_find(const char *name)
{
	size_t i;

	for (i = 0; i < S2S_ARRAY_SIZE(s2s_sa_kws); i++)
		if (!strcmp(s2s_sa_kws[i].name, name))
			return &s2s_sa_kws[i];
	return NULL;
}

/* Return: words consumed (keyword included), or -EINVAL. */
static int s2s_sa_word(struct s2s_sa_parse *p, enum s2s_sa_op op, int argc,
		       char **argv)
{
	const struct s2s_sa_kw *kw = s2s_sa_kw_find(argv[0]);
	int err;

	if (!kw)
		return s2s_sa_fail(p, "unknown argument '%s'", argv[0]);
	if (!(kw->ops & S2S_OP(op)))
		return s2s_sa_fail(p, "'%s' is not an argument of %s", kw->name,
				   s2s_sa_op_names[op]);
	if ((unsigned int)argc - 1 < kw->nargs)
		return s2s_sa_fail(p, "%s: needs %u more argument%s", kw->name,
				   kw->nargs, kw->nargs > 1 ? "s" : "");
	if (!kw->repeat && S2S_ATTR_HAS(p->req->given, kw->attr))
		return s2s_sa_fail(p, "%s given twice", kw->name);
	p->kw = kw->name;
	err = kw->parse(p, argv + 1);
	if (err)
		return err;
	p->req->given |= 1ULL << kw->attr;
	return (int)kw->nargs + 1;
}

/* What every command needs besides DEV. */
static int s2s_sa_check_id(struct s2s_sa_parse *p, enum s2s_sa_op op)
{
	struct s2s_sa_req *req = p->req;

	if (op == S2S_SA_OP_FLUSH)
		return 0;
	if (!S2S_GIVEN(req, DIR))
		return s2s_sa_fail(p, "missing 'dir in|out'");
	if (!S2S_GIVEN(req, SPI))
		return s2s_sa_fail(p, "missing 'spi SPI'");
	return 0;
}

static int s2s_sa_check_endpoint(struct s2s_sa_parse *p)
{
	struct s2s_sa_req *req = p->req;

	if (S2S_GIVEN(req, LOCAL) && S2S_GIVEN(req, REMOTE) &&
	    req->local.family != req->remote.family)
		return s2s_sa_fail(p, "local and remote must both be IPv4 or both IPv6");
	return 0;
}

static int s2s_sa_check_key(struct s2s_sa_parse *p, const struct s2s_alg *alg,
			    const struct s2s_key *key, const char *what)
{
	char why[S2S_SA_REQ_ERR_MAX];

	if (s2s_alg_key_ok(alg, key->len))
		return 0;
	s2s_alg_key_error(alg, key->len, why, sizeof(why));
	return s2s_sa_fail(p, "%s: %s", what, why);
}

static int s2s_sa_check_algs(struct s2s_sa_parse *p)
{
	const struct s2s_alg *enc = s2s_enc_by_id(p->req->enc);
	struct s2s_sa_req *req = p->req;
	const struct s2s_alg *integ;
	bool has_integ;

	has_integ = S2S_GIVEN(req, INTEG) && req->integ != S2S_INTEG_NONE;

	if (enc->aead && has_integ)
		return s2s_sa_fail(p, "%s protects integrity itself: leave out integ and ikey",
				   enc->name);
	if (!enc->aead && !has_integ)
		return s2s_sa_fail(p, "%s needs an integrity algorithm: integ ALG ikey KEYSRC",
				   enc->name);
	if (has_integ && !S2S_GIVEN(req, INTEG_KEY))
		return s2s_sa_fail(p, "missing 'ikey KEYSRC' for integ %s",
				   s2s_integ_by_id(req->integ)->name);
	if (!has_integ && S2S_GIVEN(req, INTEG_KEY))
		return s2s_sa_fail(p, "ikey given without an integ algorithm");
	if (s2s_sa_check_key(p, enc, &req->key, "key"))
		return -EINVAL;
	integ = s2s_integ_by_id(req->integ);
	if (has_integ && s2s_sa_check_key(p, integ, &req->ikey, "ikey"))
		return -EINVAL;
	return 0;
}

static int s2s_sa_check_add(struct s2s_sa_parse *p)
{
	static const struct {
		int attr;
		const char *words;
	} required[] = {
		{ S2S_A_SA_ENC, "enc ALG" },
		{ S2S_A_SA_ENC_KEY, "key KEYSRC" },
		{ S2S_A_SA_LOCAL, "local ADDR" },
		{ S2S_A_SA_REMOTE, "remote ADDR" },
	};
	struct s2s_sa_req *req = p->req;
	size_t i;

	for (i = 0; i < S2S_ARRAY_SIZE(required); i++)
		if (!S2S_ATTR_HAS(req->given, required[i].attr))
			return s2s_sa_fail(p, "missing '%s'", required[i].words);
	if (S2S_GIVEN(req, REPLAY_WINDOW) && req->dir != S2S_DIR_IN)
		return s2s_sa_fail(p, "replay-window is for inbound SAs (dir in)");
	return s2s_sa_check_algs(p);
}

static int s2s_sa_check_set(struct s2s_sa_parse *p)
{
	const uint64_t changes = S2S_BIT(LOCAL) | S2S_BIT(REMOTE) |
				 S2S_BIT(ENCAP_SPORT) | S2S_BIT(SOFT) |
				 S2S_BIT(HARD) | S2S_BIT(TS_LOCAL) |
				 S2S_BIT(TS_REMOTE);

	if (!(p->req->given & changes))
		return s2s_sa_fail(p, "nothing to change: give local, remote, encap, soft, hard, ts-local or ts-remote");
	return 0;
}

static int s2s_sa_check(struct s2s_sa_parse *p, enum s2s_sa_op op)
{
	int err;

	err = s2s_sa_check_id(p, op) ?: s2s_sa_check_endpoint(p);
	if (err)
		return err;
	if (op == S2S_SA_OP_ADD)
		return s2s_sa_check_add(p);
	if (op == S2S_SA_OP_SET)
		return s2s_sa_check_set(p);
	return 0;
}

/**
 * s2s_sa_req_parse() - read the words after `s2sctl sa add|set|...`
 * @req: zeroed (s2s_secret_alloc()) request to fill
 * @op: the command
 * @argc: words
 * @argv: DEV, then keywords with their values; an inline key (0x...) is
 *	overwritten with zeros in place once read
 * @stdin_fd: what a "-" key source reads
 * @err: why the words were refused; never holds a key character
 * @size: size of @err, S2S_SA_REQ_ERR_MAX is enough
 *
 * Checks everything that needs no kernel: syntax, required words,
 * algorithm combinations and key lengths. The module checks again and
 * has the last word.
 *
 * Return: 0, or -EINVAL with @err set and the keys in @req wiped.
 */
int s2s_sa_req_parse(struct s2s_sa_req *req, enum s2s_sa_op op, int argc,
		     char **argv, int stdin_fd, char *err, size_t size)
{
	struct s2s_sa_parse p = { .req = req, .stdin_fd = stdin_fd,
				  .err = err, .size = size };
	int i, n;

	err[0] = '\0';
	if (argc < 1 || !argv[0][0]) {
		s2s_sa_fail(&p, "missing DEV");
		goto err;
	}
	if (strlen(argv[0]) >= IFNAMSIZ) {
		s2s_sa_fail(&p, "'%s' is not an interface name (1 to %d characters)",
			    argv[0], IFNAMSIZ - 1);
		goto err;
	}
	snprintf(req->ifname, sizeof(req->ifname), "%s", argv[0]);
	for (i = 1; i < argc; i += n) {
		n = s2s_sa_word(&p, op, argc - i, argv + i);
		if (n < 0)
			goto err;
	}
	if (s2s_sa_check(&p, op))
		goto err;
	return 0;
err:
	s2s_key_wipe(&req->key);
	s2s_key_wipe(&req->ikey);
	return -EINVAL;
}

static bool s2s_sa_put_addr(struct nlmsghdr *nlh, size_t bufsize,
			    uint16_t type, const struct s2s_addr *a)
{
	return mnl_attr_put_check(nlh, bufsize, type, s2s_addr_len(a), a->b);
}

static bool s2s_sa_put_prefixes(struct nlmsghdr *nlh, size_t bufsize,
				uint16_t type, const struct s2s_prefix *arr,
				unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < n; i++) {
		nest = mnl_attr_nest_start_check(nlh, bufsize, type);
		if (!nest ||
		    !s2s_sa_put_addr(nlh, bufsize, S2S_A_SELECTOR_ADDR,
				     &arr[i].addr) ||
		    !mnl_attr_put_u8_check(nlh, bufsize,
					   S2S_A_SELECTOR_PREFIX_LEN,
					   arr[i].plen))
			return false;
		mnl_attr_nest_end(nlh, nest);
	}
	return true;
}

static bool s2s_sa_put_lifetime(struct nlmsghdr *nlh, size_t bufsize,
				uint16_t type, const struct s2s_lifetime *lt)
{
	static const struct {
		int attr;
		size_t offset;
	} limits[] = {
		{ S2S_A_LIFETIME_BYTES, offsetof(struct s2s_lifetime, bytes) },
		{ S2S_A_LIFETIME_PACKETS, offsetof(struct s2s_lifetime, packets) },
		{ S2S_A_LIFETIME_SECONDS, offsetof(struct s2s_lifetime, seconds) },
	};
	struct nlattr *nest;
	uint64_t val;
	size_t i;

	nest = mnl_attr_nest_start_check(nlh, bufsize, type);
	if (!nest)
		return false;
	for (i = 0; i < S2S_ARRAY_SIZE(limits); i++) {
		if (!S2S_ATTR_HAS(lt->present, limits[i].attr))
			continue;
		memcpy(&val, (const char *)lt + limits[i].offset, sizeof(val));
		if (!mnl_attr_put_u64_check(nlh, bufsize, limits[i].attr, val))
			return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

static bool s2s_sa_put_config(const struct s2s_sa_req *req,
			      struct nlmsghdr *nlh, size_t bufsize)
{
	return (!S2S_GIVEN(req, ENC) ||
		mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_ENC, req->enc)) &&
	       (!S2S_GIVEN(req, ENC_KEY) ||
		mnl_attr_put_check(nlh, bufsize, S2S_A_SA_ENC_KEY, req->key.len,
				   req->key.bytes)) &&
	       (!S2S_GIVEN(req, INTEG) ||
		mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_INTEG, req->integ)) &&
	       (!S2S_GIVEN(req, INTEG_KEY) ||
		mnl_attr_put_check(nlh, bufsize, S2S_A_SA_INTEG_KEY,
				   req->ikey.len, req->ikey.bytes)) &&
	       (!S2S_GIVEN(req, ESN) ||
		mnl_attr_put_u8_check(nlh, bufsize, S2S_A_SA_ESN, req->esn)) &&
	       (!S2S_GIVEN(req, LOCAL) ||
		s2s_sa_put_addr(nlh, bufsize, S2S_A_SA_LOCAL, &req->local)) &&
	       (!S2S_GIVEN(req, REMOTE) ||
		s2s_sa_put_addr(nlh, bufsize, S2S_A_SA_REMOTE, &req->remote)) &&
	       (!S2S_GIVEN(req, ENCAP_SPORT) ||
		(mnl_attr_put_u16_check(nlh, bufsize, S2S_A_SA_ENCAP_SPORT,
					req->encap_sport) &&
		 mnl_attr_put_u16_check(nlh, bufsize, S2S_A_SA_ENCAP_DPORT,
					req->encap_dport))) &&
	       (!S2S_GIVEN(req, REPLAY_WINDOW) ||
		mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_REPLAY_WINDOW,
				       req->replay_window)) &&
	       (!S2S_GIVEN(req, SEQ) ||
		mnl_attr_put_u64_check(nlh, bufsize, S2S_A_SA_SEQ, req->seq)) &&
	       s2s_sa_put_prefixes(nlh, bufsize, S2S_A_SA_TS_LOCAL,
				   req->ts_local, req->n_ts_local) &&
	       s2s_sa_put_prefixes(nlh, bufsize, S2S_A_SA_TS_REMOTE,
				   req->ts_remote, req->n_ts_remote) &&
	       (!S2S_GIVEN(req, SOFT) ||
		s2s_sa_put_lifetime(nlh, bufsize, S2S_A_SA_SOFT, &req->soft)) &&
	       (!S2S_GIVEN(req, HARD) ||
		s2s_sa_put_lifetime(nlh, bufsize, S2S_A_SA_HARD, &req->hard));
}

/**
 * s2s_sa_req_put() - the request's attributes, in the spec's order
 * @req: a parsed request
 * @ifindex: the index of req->ifname
 * @nlh: a message from s2s_client_msg() (or any genl header)
 * @bufsize: size of the buffer @nlh is in (S2S_SA_REQ_SIZE)
 *
 * Puts ifindex, then each attribute the words gave: an sa-del request
 * gets ifindex, dir and spi only, because only those were parsed. Key
 * bytes are copied into @nlh: its buffer needs wiping after use.
 *
 * Return: 0, or -EMSGSIZE when the attributes do not fit.
 */
int s2s_sa_req_put(const struct s2s_sa_req *req, uint32_t ifindex,
		   struct nlmsghdr *nlh, size_t bufsize)
{
	bool ok;

	ok = mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_IFINDEX, ifindex) &&
	     (!S2S_GIVEN(req, DIR) ||
	      mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_DIR, req->dir)) &&
	     (!S2S_GIVEN(req, SPI) ||
	      mnl_attr_put_u32_check(nlh, bufsize, S2S_A_SA_SPI, req->spi)) &&
	     s2s_sa_put_config(req, nlh, bufsize);
	return ok ? 0 : -EMSGSIZE;
}
