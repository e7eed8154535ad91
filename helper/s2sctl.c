// SPDX-License-Identifier: GPL-2.0
/* s2sctl: show and configure s2s links over the "s2s" generic netlink
 * family, in the spirit of wg(8) and ip-xfrm(8).
 *
 * Exit status: 0 success, 1 the kernel refused or failed (its reason is
 * printed), 2 usage error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <net/if.h>
#include <linux/s2s.h>

#include "output.h"
#include "s2sctl.h"
#include "util.h"
#include "version.h"

static int s2sctl_show(int argc, char **argv);
static int s2sctl_help(int argc, char **argv);

/* A command, and a group of subcommands ("sa add", "sa del", ...). */
#define S2SCTL_CMD(n, fn, a, h) { .name = (n), .run = (fn), .args = (a), .help = (h) }
#define S2SCTL_GROUP(n, table)						\
	{ .name = (n), .sub = (table), .n_sub = S2S_ARRAY_SIZE(table) }

static const struct s2sctl_cmd s2sctl_link_cmds[] = {
	S2SCTL_CMD("set", s2sctl_link_set,
		   "DEV [if-id N] [replay-window N] [dscp-copy on|off]\n"
		   "[ike-status STATUS] [ike-reason TEXT]",
		   "change a link's settings (if-id: the XFRM if_id s2sd matches;\n"
		   "ike-status/-reason: what s2sd reports, set by hand for tests)"),
};

static const struct s2sctl_cmd s2sctl_sa_cmds[] = {
	S2SCTL_CMD("add", s2sctl_sa_add,
		   "DEV dir in|out spi SPI enc ALG key KEYSRC [integ ALG ikey KEYSRC]\n"
		   "local ADDR remote ADDR [encap SPORT DPORT] [esn] [replay-window N]\n"
		   "[seq N] [ts-local PREFIX]... [ts-remote PREFIX]...\n"
		   "[soft LIMIT]... [hard LIMIT]...",
		   "add an SA by hand, like ip xfrm state add (out: replaces the current one)"),
	S2SCTL_CMD("set", s2sctl_sa_set,
		   "DEV dir in|out spi SPI [local ADDR] [remote ADDR]\n"
		   "[encap SPORT DPORT] [soft LIMIT]... [hard LIMIT]...\n"
		   "[ts-local PREFIX]... [ts-remote PREFIX]...",
		   "new outer addresses, UDP ports, lifetimes or selectors (given ones\n"
		   "replace both sides); keys and sequence kept"),
	S2SCTL_CMD("del", s2sctl_sa_del, "DEV dir in|out spi SPI", "delete one SA"),
	S2SCTL_CMD("flush", s2sctl_sa_flush, "DEV", "delete every SA of a link"),
	S2SCTL_CMD("show", s2sctl_sa_show, "[DEV] [--json]",
		   "list SAs (all, or DEV's) with their counters"),
	S2SCTL_CMD("get", s2sctl_sa_get, "DEV dir in|out spi SPI [--json]",
		   "one SA"),
};

static const struct s2sctl_cmd s2sctl_cmds[] = {
	S2SCTL_CMD("show", s2sctl_show, "[DEV] [--json]",
		   "links (all, or DEV) with settings, counters, drops and SAs"),
	S2SCTL_GROUP("link", s2sctl_link_cmds),
	S2SCTL_GROUP("sa", s2sctl_sa_cmds),
	S2SCTL_CMD("monitor", s2sctl_monitor, "[--json] [--timestamp]",
		   "print SA events (expiry, exhaustion, drop bursts) until Ctrl-C"),
	S2SCTL_CMD("help", s2sctl_help, "", "this text"),
};

#define S2SCTL_N_CMDS S2S_ARRAY_SIZE(s2sctl_cmds)

/* "  sa add DEV ...", continuation lines under the arguments. */
static void s2sctl_usage_cmd(FILE *f, const char *group,
			     const struct s2sctl_cmd *cmd)
{
	size_t indent = 2 + (group ? strlen(group) + 1 : 0) +
			strlen(cmd->name) + 1;
	const char *p;

	fprintf(f, "  %s%s%s%s", group ? group : "", group ? " " : "", cmd->name,
		*cmd->args ? " " : "");
	for (p = cmd->args; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fprintf(f, "%*s", (int)indent, "");
	}
	fputc('\n', f);
	if (cmd->help)
		fprintf(f, "      %s\n", cmd->help);
}

static void s2sctl_usage(FILE *f)
{
	size_t i, j;

	fprintf(f, "Usage: s2sctl [COMMAND [ARGS]]\n"
		   "       s2sctl { -h|--help | -V|--version }\n\n"
		   "Route-based IPsec site-to-site links (s2s).\n\nCommands:\n");
	for (i = 0; i < S2SCTL_N_CMDS; i++) {
		if (!s2sctl_cmds[i].sub) {
			s2sctl_usage_cmd(f, NULL, &s2sctl_cmds[i]);
			continue;
		}
		for (j = 0; j < s2sctl_cmds[i].n_sub; j++)
			s2sctl_usage_cmd(f, s2sctl_cmds[i].name,
					 &s2sctl_cmds[i].sub[j]);
	}
	fprintf(f,
		"\nWithout a command, s2sctl shows all links. -j is --json. monitor -t\n"
		"(--timestamp) starts each event with its time (RFC 3339, UTC offset).\n\n"
		"Arguments:\n"
		"  DEV     an s2s link, e.g. s2s0\n"
		"  SPI     256 to 0xffffffff, decimal or 0x hex\n"
		"  ALG     enc: aes-gcm (key 16 or 32 bytes + 4-byte salt),\n"
		"          chacha20-poly1305 (32 + 4), aes-cbc (16, 24 or 32),\n"
		"          3des-cbc (24; legacy peers only);\n"
		"          integ (with aes-cbc, 3des-cbc): hmac-sha256-128 (32),\n"
		"          hmac-sha384-192 (48), hmac-sha512-256 (64),\n"
		"          hmac-sha1-96 (20; legacy peers only)\n"
		"  KEYSRC  @FILE  hex digits in FILE (blanks, newlines allowed)\n"
		"          -      hex digits on standard input\n"
		"          0x...  hex on the command line, as ip xfrm takes it:\n"
		"                 it lands in shell history, and other users\n"
		"                 can read it in the process list (ps,\n"
		"                 /proc/PID/cmdline) until s2sctl has read it;\n"
		"                 prefer @FILE or -\n"
		"          AEAD keys end with their salt, as ip xfrm's\n"
		"          rfc4106(gcm(aes)) 0x<key+salt> 128 takes them.\n"
		"  PREFIX  ADDR/LEN, or ADDR for one host; repeat for more\n"
		"  LIMIT   bytes N | packets N | seconds N (0: none); repeat\n\n"
		"Keys are read into locked memory, wiped once sent, and never\n"
		"printed: the kernel does not give them back.\n\n"
		"Keys usually come from charon: give each child in swanctl.conf\n"
		"if_id_in = if_id_out = the link's if-id (link set DEV if-id N);\n"
		"s2sd matches the XFRM SAs to the link by that if-id.\n\n"
		"Exit status: 0 success, 1 the kernel refused or failed (its\n"
		"message is printed), 2 usage error.\n");
}

/**
 * s2sctl_usage_error() - complain about the command line
 * @fmt: printf format of the reason, without "s2sctl: " or newline
 *
 * Return: S2SCTL_USAGE.
 */
int s2sctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "s2sctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 's2sctl help'.\n");
	return S2SCTL_USAGE;
}

/**
 * s2sctl_fail() - report a failure that is not the user's syntax
 * @fmt: printf format of the reason, without "s2sctl: " or newline
 *
 * Return: S2SCTL_FAIL.
 */
int s2sctl_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "s2sctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return S2SCTL_FAIL;
}

/**
 * s2sctl_is_json_opt() - whether a word asks for JSON output
 * @arg: the word
 *
 * Return: true for --json and -j.
 */
bool s2sctl_is_json_opt(const char *arg)
{
	return !strcmp(arg, "--json") || !strcmp(arg, "-j");
}

/**
 * s2sctl_open() - open a client, or tell the user why not
 * @c: the client to fill
 *
 * Return: 0, or -1 after printing the reason.
 */
int s2sctl_open(struct s2s_client *c)
{
	if (s2s_client_open(c)) {
		fprintf(stderr, "s2sctl: %s\n", c->err);
		return -1;
	}
	return 0;
}

static int s2sctl_help(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return s2sctl_usage_error("help takes no arguments");
	s2sctl_usage(stdout);
	return S2SCTL_OK;
}

struct s2sctl_show_args {
	const char *ifname;
	bool json;
};

static int s2sctl_show_arg(const char *arg, struct s2sctl_show_args *a)
{
	if (s2sctl_is_json_opt(arg)) {
		a->json = true;
		return 0;
	}
	if (arg[0] == '-')
		return s2sctl_usage_error("show: unknown option '%s'", arg);
	if (a->ifname)
		return s2sctl_usage_error("show: unexpected argument '%s'", arg);
	if (!arg[0] || strlen(arg) >= IFNAMSIZ)
		return s2sctl_usage_error("show: '%s' is not an interface name (1 to %d characters)",
					  arg, IFNAMSIZ - 1);
	a->ifname = arg;
	return 0;
}

/* Each link's SAs, by a dump filtered on its ifindex. */
static int s2sctl_show_sas(struct s2s_client *c,
			   const struct s2s_link_list *links,
			   struct s2s_sa_list *sas)
{
	size_t i;

	for (i = 0; i < links->n; i++)
		if (s2s_client_sa_dump(c, links->links[i].ifindex, sas))
			return -1;
	return 0;
}

static int s2sctl_show(int argc, char **argv)
{
	struct s2s_link_list links = { 0 };
	struct s2sctl_show_args a = { 0 };
	struct s2s_sa_list sas = { 0 };
	struct s2s_client c;
	int i, ret;

	for (i = 0; i < argc; i++) {
		ret = s2sctl_show_arg(argv[i], &a);
		if (ret)
			return ret;
	}
	if (s2sctl_open(&c))
		return S2SCTL_FAIL;
	ret = S2SCTL_OK;
	if (s2s_client_link_get(&c, a.ifname, &links) ||
	    s2sctl_show_sas(&c, &links, &sas))
		ret = s2sctl_fail("%s", c.err);
	else if (s2s_output_links(stdout, &links, &sas, a.json))
		ret = s2sctl_fail("cannot write the output");
	s2s_sa_list_clear(&sas);
	s2s_link_list_clear(&links);
	s2s_client_close(&c);
	return ret;
}

static const struct s2sctl_cmd *s2sctl_find(const struct s2sctl_cmd *cmds,
					    size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int s2sctl_run(const struct s2sctl_cmd *cmd, int argc, char **argv)
{
	const struct s2sctl_cmd *sub;

	if (cmd->run)
		return cmd->run(argc, argv);
	if (argc < 1)
		return s2sctl_usage_error("%s: missing subcommand", cmd->name);
	sub = s2sctl_find(cmd->sub, cmd->n_sub, argv[0]);
	if (!sub)
		return s2sctl_usage_error("%s: unknown subcommand '%s'",
					  cmd->name, argv[0]);
	return sub->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	const struct s2sctl_cmd *cmd;

	if (argc < 2)
		return s2sctl_show(0, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		s2sctl_usage(stdout);
		return S2SCTL_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("s2sctl %s (s2s genl family version %d)\n", S2S_VERSION,
		       S2S_FAMILY_VERSION);
		return S2SCTL_OK;
	}
	cmd = s2sctl_find(s2sctl_cmds, S2SCTL_N_CMDS, argv[1]);
	if (!cmd)
		return s2sctl_usage_error("unknown command '%s'", argv[1]);
	return s2sctl_run(cmd, argc - 2, argv + 2);
}
