/* SPDX-License-Identifier: GPL-2.0 */
/* XFRM_MSG_NEWAE: writing the module's traffic counters into the XFRM
 * copy of an SA, so that `swanctl --list-sas` and `ip -s xfrm state`
 * show what s2s carried.
 *
 * Linux's xfrm_new_ae() needs NLM_F_REPLACE, finds the SA by (mark,
 * daddr, spi, proto, family) - so an inbound SA installed with
 * mark_in_sa needs its mark in XFRMA_MARK - and copies XFRMA_LTIME_VAL
 * whole: bytes, packets, add_time and use_time. add_time is what XFRM's
 * time lifetimes count from, so it must be sent back unchanged.
 */
#ifndef S2S_HELPER_XFRMAE_H
#define S2S_HELPER_XFRMAE_H

#include <stdint.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

/* Room for the request: header, XFRMA_LTIME_VAL and XFRMA_MARK. */
#define S2S_XFRM_AE_SIZE	512

/**
 * struct s2s_xfrm_ae - which SA, and the usage to record
 * @family: AF_INET or AF_INET6
 * @proto: IPPROTO_ESP
 * @spi: network byte order
 * @daddr: the SA's destination (part of its id)
 * @saddr: its source
 * @reqid: charon's reqid
 * @mark: the SA's XFRMA_MARK; sent when @mark.m is not 0
 * @curlft: bytes, packets, add_time (unchanged) and use_time
 */
struct s2s_xfrm_ae {
	uint16_t family;
	uint8_t proto;
	uint32_t spi;
	xfrm_address_t daddr;
	xfrm_address_t saddr;
	uint32_t reqid;
	struct xfrm_mark mark;
	struct xfrm_lifetime_cur curlft;
};

struct nlmsghdr *s2s_xfrm_newae(void *buf, const struct s2s_xfrm_ae *ae);

#endif /* S2S_HELPER_XFRMAE_H */
