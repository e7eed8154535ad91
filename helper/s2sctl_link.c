// SPDX-License-Identifier: GPL-2.0
/* s2sctl link set. */
#include <string.h>
#include <net/if.h>

#include "link.h"
#include "s2sctl.h"

/**
 * s2sctl_link_set() - `s2sctl link set DEV [if-id N] [replay-window N]
 *	[dscp-copy on|off] [ike-status STATUS] [ike-reason TEXT]`
 * @argc: words after "set"
 * @argv: DEV and the settings
 *
 * Return: exit status.
 */
int s2sctl_link_set(int argc, char **argv)
{
	struct s2s_link_cfg cfg;
	struct s2s_client c;
	char err[128];
	int ret;

	if (argc < 1)
		return s2sctl_usage_error("link set: missing DEV");
	if (!argv[0][0] || strlen(argv[0]) >= IFNAMSIZ)
		return s2sctl_usage_error("link set: '%s' is not an interface name (1 to %d characters)",
					  argv[0], IFNAMSIZ - 1);
	if (s2s_link_cfg_parse(&cfg, argc - 1, argv + 1, err, sizeof(err)))
		return s2sctl_usage_error("link set: %s", err);
	if (s2sctl_open(&c))
		return S2SCTL_FAIL;
	ret = S2SCTL_OK;
	if (s2s_client_link_set(&c, argv[0], &cfg))
		ret = s2sctl_fail("%s", c.err);
	s2s_client_close(&c);
	return ret;
}
