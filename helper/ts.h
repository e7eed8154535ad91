/* SPDX-License-Identifier: GPL-2.0 */
/* Traffic selectors as charon prints them, turned into the prefixes that
 * routes can carry: "10.2.0.0/24", "fd00::1", and address ranges
 * ("10.3.0.1..10.3.0.6" as charon prints them, "a-b" as swanctl.conf
 * writes them) split into the exact set of CIDRs that covers them.
 */
#ifndef S2S_HELPER_TS_H
#define S2S_HELPER_TS_H

#include <stddef.h>

#include "addr.h"

/* A range needing more prefixes than this is refused, not routed:
 * 0.0.0.1..255.255.255.254 alone would need 62.
 */
#define S2S_TS_PREFIXES_MAX	32
#define S2S_TS_ERR_MAX		128

int s2s_ts_parse(const char *text, struct s2s_prefix *out, size_t max,
		 char *why, size_t size);

#endif /* S2S_HELPER_TS_H */
