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

#include "client.h"
#include "output.h"
#include "util.h"
#include "version.h"

enum {
	S2SCTL_OK = 0,
	S2SCTL_FAIL = 1,
	S2SCTL_USAGE = 2,
};

/**
 * struct s2sctl_cmd - a command: add one row per new operation
 * @name: first argument
 * @run: gets the arguments after the name; returns an exit status
 * @args: synopsis of the arguments
 * @help: one line for `s2sctl help`
 */
struct s2sctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
};

static int s2sctl_show(int argc, char **argv);
static int s2sctl_help(int argc, char **argv);

static const struct s2sctl_cmd s2sctl_cmds[] = {
	{ "show", s2sctl_show, "[IFNAME] [--json]",
	  "list s2s links (all, or IFNAME); -j/--json: a JSON array" },
	{ "help", s2sctl_help, "", "this text" },
};

#define S2SCTL_N_CMDS S2S_ARRAY_SIZE(s2sctl_cmds)

static void s2sctl_usage(FILE *f)
{
	char synopsis[64];
	size_t i;

	fprintf(f, "Usage: s2sctl [COMMAND [ARGS]]\n"
		   "       s2sctl { -h|--help | -V|--version }\n\n"
		   "Route-based IPsec site-to-site links (s2s).\n\nCommands:\n");
	for (i = 0; i < S2SCTL_N_CMDS; i++) {
		snprintf(synopsis, sizeof(synopsis), "%s %s",
			 s2sctl_cmds[i].name, s2sctl_cmds[i].args);
		fprintf(f, "  %-24s %s\n", synopsis, s2sctl_cmds[i].help);
	}
	fprintf(f, "\nWithout a command, s2sctl shows all links. Text lines read\n"
		   "  s2s0: if-id 7, mtu 1400, up\n"
		   "JSON objects have ifname, ifindex, if_id, mtu, oper_up.\n\n"
		   "Keys come from charon: give each child in swanctl.conf\n"
		   "if_id_in = if_id_out = the link's if-id; s2sd forwards its SAs.\n\n"
		   "Exit status: 0 success, 1 the kernel refused or failed (its\n"
		   "message is printed), 2 usage error.\n");
}

static int s2sctl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int s2sctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "s2sctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 's2sctl help'.\n");
	return S2SCTL_USAGE;
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
	if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
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

static int s2sctl_show(int argc, char **argv)
{
	struct s2s_link_list links = { 0 };
	struct s2sctl_show_args a = { 0 };
	struct s2s_client c;
	int i, ret;

	for (i = 0; i < argc; i++) {
		ret = s2sctl_show_arg(argv[i], &a);
		if (ret)
			return ret;
	}
	if (s2s_client_open(&c)) {
		fprintf(stderr, "s2sctl: %s\n", c.err);
		return S2SCTL_FAIL;
	}
	ret = S2SCTL_OK;
	if (s2s_client_link_get(&c, a.ifname, &links)) {
		fprintf(stderr, "s2sctl: %s\n", c.err);
		ret = S2SCTL_FAIL;
	} else if (s2s_output_links(stdout, &links, a.json)) {
		fprintf(stderr, "s2sctl: cannot write the output\n");
		ret = S2SCTL_FAIL;
	}
	s2s_link_list_clear(&links);
	s2s_client_close(&c);
	return ret;
}

static const struct s2sctl_cmd *s2sctl_find(const char *name)
{
	size_t i;

	for (i = 0; i < S2SCTL_N_CMDS; i++)
		if (!strcmp(s2sctl_cmds[i].name, name))
			return &s2sctl_cmds[i];
	return NULL;
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
	cmd = s2sctl_find(argv[1]);
	if (!cmd)
		return s2sctl_usage_error("unknown command '%s'", argv[1]);
	return cmd->run(argc - 2, argv + 2);
}
