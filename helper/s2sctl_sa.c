// SPDX-License-Identifier: GPL-2.0
/* s2sctl sa add|set|del|flush|show|get.
 *
 * The request, keys included, lives in s2s_secret_alloc() memory from
 * the moment the words are read until it is freed (wiped) after the
 * kernel answered; the process is made non-dumpable first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/prctl.h>

#include "algs.h"
#include "keys.h"
#include "output.h"
#include "s2sctl.h"
#include "sareq.h"

static void s2sctl_sa_warn_legacy(const struct s2s_sa_req *req)
{
	const struct s2s_alg *alg;

	if (req->legacy_enc) {
		alg = s2s_enc_by_id(req->enc);
		fprintf(stderr, "s2sctl: warning: %s is a legacy algorithm, for peers that support nothing better\n",
			alg->name);
	}
	if (req->legacy_integ) {
		alg = s2s_integ_by_id(req->integ);
		fprintf(stderr, "s2sctl: warning: %s is a legacy algorithm, for peers that support nothing better\n",
			alg->name);
	}
}

static int s2sctl_sa_get_print(struct s2s_client *c,
			       const struct s2s_sa_req *req, uint32_t ifindex,
			       bool json)
{
	struct s2s_link link = { .ifindex = ifindex };
	struct s2s_link_list links = { .links = &link, .n = 1, .cap = 1 };
	struct s2s_sa_list sas = { 0 };
	int err;

	snprintf(link.ifname, sizeof(link.ifname), "%s", req->ifname);
	err = s2s_client_sa_get(c, req, ifindex, &sas);
	if (!err && s2s_output_sas(stdout, &links, &sas, json)) {
		snprintf(c->err, sizeof(c->err), "cannot write the output");
		err = -EIO;
	}
	s2s_sa_list_clear(&sas);
	return err;
}

static int s2sctl_sa_send(struct s2s_client *c, enum s2s_sa_op op,
			  const struct s2s_sa_req *req, uint32_t ifindex,
			  bool json)
{
	switch (op) {
	case S2S_SA_OP_ADD:
		return s2s_client_sa_new(c, req, ifindex);
	case S2S_SA_OP_SET:
		return s2s_client_sa_set(c, req, ifindex);
	case S2S_SA_OP_DEL:
		return s2s_client_sa_del(c, req, ifindex);
	case S2S_SA_OP_GET:
		return s2sctl_sa_get_print(c, req, ifindex, json);
	case S2S_SA_OP_FLUSH:
		return s2s_client_sa_flush(c, req, ifindex);
	}
	return -EINVAL;
}

/* Parse, send, answer; @name is "sa add" etc. for messages. */
static int s2sctl_sa_request(enum s2s_sa_op op, const char *name, int argc,
			     char **argv, bool json)
{
	char err[S2S_SA_REQ_ERR_MAX];
	struct s2s_sa_req *req;
	unsigned int ifindex;
	struct s2s_client c;
	int ret;

	/* key bytes will be in this process: no core dump, no ptrace */
	(void)prctl(PR_SET_DUMPABLE, 0);
	req = s2s_secret_alloc(sizeof(*req));
	if (!req)
		return s2sctl_fail("%s: out of memory", name);
	if (s2s_sa_req_parse(req, op, argc, argv, STDIN_FILENO, err,
			     sizeof(err))) {
		ret = s2sctl_usage_error("%s: %s", name, err);
		goto out;
	}
	s2sctl_sa_warn_legacy(req);
	ret = S2SCTL_FAIL;
	if (s2sctl_open(&c))
		goto out;
	ifindex = if_nametoindex(req->ifname);
	if (!ifindex)
		s2sctl_fail("%s: no interface '%s'", name, req->ifname);
	else if (s2sctl_sa_send(&c, op, req, ifindex, json))
		s2sctl_fail("%s", c.err);
	else
		ret = S2SCTL_OK;
	s2s_client_close(&c);
out:
	s2s_secret_free(req, sizeof(*req));
	return ret;
}

/**
 * s2sctl_sa_add() - `s2sctl sa add DEV dir D spi SPI enc ALG key KEYSRC ...`
 * @argc: words after "add"
 * @argv: DEV and keywords
 *
 * Return: exit status.
 */
int s2sctl_sa_add(int argc, char **argv)
{
	return s2sctl_sa_request(S2S_SA_OP_ADD, "sa add", argc, argv,
				 false);
}

/**
 * s2sctl_sa_set() - `s2sctl sa set DEV dir D spi SPI [local A] ...`
 * @argc: words after "set"
 * @argv: DEV and keywords
 *
 * Return: exit status.
 */
int s2sctl_sa_set(int argc, char **argv)
{
	return s2sctl_sa_request(S2S_SA_OP_SET, "sa set", argc, argv,
				 false);
}

/**
 * s2sctl_sa_del() - `s2sctl sa del DEV dir D spi SPI`
 * @argc: words after "del"
 * @argv: DEV and keywords
 *
 * Return: exit status.
 */
int s2sctl_sa_del(int argc, char **argv)
{
	return s2sctl_sa_request(S2S_SA_OP_DEL, "sa del", argc, argv,
				 false);
}

/**
 * s2sctl_sa_flush() - `s2sctl sa flush DEV`
 * @argc: words after "flush"
 * @argv: DEV
 *
 * Return: exit status.
 */
int s2sctl_sa_flush(int argc, char **argv)
{
	return s2sctl_sa_request(S2S_SA_OP_FLUSH, "sa flush", argc, argv,
				 false);
}

/* Drop --json/-j from the words; Return: whether it was there. */
static bool s2sctl_take_json(int *argc, char **argv)
{
	bool json = false;
	int i, n = 0;

	for (i = 0; i < *argc; i++) {
		if (s2sctl_is_json_opt(argv[i]))
			json = true;
		else
			argv[n++] = argv[i];
	}
	*argc = n;
	return json;
}

/**
 * s2sctl_sa_show() - `s2sctl sa show [DEV] [--json]`
 * @argc: words after "show"
 * @argv: an optional DEV and --json
 *
 * Return: exit status.
 */
int s2sctl_sa_show(int argc, char **argv)
{
	bool json = s2sctl_take_json(&argc, argv);
	struct s2s_link_list links = { 0 };
	struct s2s_sa_list sas = { 0 };
	const char *ifname = NULL;
	struct s2s_client c;
	int ret;

	if (argc > 1)
		return s2sctl_usage_error("sa show: unexpected argument '%s'",
					  argv[1]);
	if (argc == 1) {
		ifname = argv[0];
		if (ifname[0] == '-')
			return s2sctl_usage_error("sa show: unknown option '%s'",
						  ifname);
		if (!ifname[0] || strlen(ifname) >= IFNAMSIZ)
			return s2sctl_usage_error("sa show: '%s' is not an interface name (1 to %d characters)",
						  ifname, IFNAMSIZ - 1);
	}
	if (s2sctl_open(&c))
		return S2SCTL_FAIL;
	ret = S2SCTL_OK;
	/* the links name the SAs; with DEV, the kernel also says whether
	 * it is an s2s link at all
	 */
	if (s2s_client_link_get(&c, ifname, &links) ||
	    s2s_client_sa_dump(&c, ifname && links.n ? links.links[0].ifindex : 0,
			       &sas))
		ret = s2sctl_fail("%s", c.err);
	else if (s2s_output_sas(stdout, &links, &sas, json))
		ret = s2sctl_fail("cannot write the output");
	s2s_sa_list_clear(&sas);
	s2s_link_list_clear(&links);
	s2s_client_close(&c);
	return ret;
}

/**
 * s2sctl_sa_get() - `s2sctl sa get DEV dir D spi SPI [--json]`
 * @argc: words after "get"
 * @argv: DEV, keywords and --json
 *
 * Return: exit status.
 */
int s2sctl_sa_get(int argc, char **argv)
{
	bool json = s2sctl_take_json(&argc, argv);

	return s2sctl_sa_request(S2S_SA_OP_GET, "sa get", argc, argv, json);
}
