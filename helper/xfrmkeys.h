/* SPDX-License-Identifier: GPL-2.0 */
/* The key-bearing side of an XFRM SA message, read only for SAs that
 * belong to an s2s link: xfrm.c decides that from the if_id without
 * touching XFRMA_ALG_*, and only then does s2s_xfrm_keys_req() copy the
 * algorithms and keys, straight into an sa-new request in
 * s2s_secret_alloc() memory (struct s2s_sa_req). Nothing here logs or
 * formats a key; error messages name algorithms and lengths only.
 */
#ifndef S2S_HELPER_XFRMKEYS_H
#define S2S_HELPER_XFRMKEYS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "sareq.h"
#include "xfrm.h"

/* Room for any message s2s_xfrm_keys_req() writes. */
#define S2S_XFRM_KEYS_ERR_MAX	256

int s2s_xfrm_keys_req(const struct nlmsghdr *nlh, const struct s2s_xfrm_sa *sa,
		      uint32_t dir, const char *ifname, struct s2s_sa_req *req,
		      char *err, size_t size);

#endif /* S2S_HELPER_XFRMKEYS_H */
