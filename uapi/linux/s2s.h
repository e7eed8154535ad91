/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: generated from Documentation/netlink/specs/s2s.yaml
 * by scripts/ynl-gen.py; `make check` fails when the two drift.
 */

#ifndef _UAPI_LINUX_S2S_H
#define _UAPI_LINUX_S2S_H

#define S2S_FAMILY_NAME	"s2s"
#define S2S_FAMILY_VERSION	1

/* An s2s network interface. */
enum {
	/* Interface index in the request's network namespace. */
	S2S_A_LINK_IFINDEX = 1,
	/* Interface name. */
	S2S_A_LINK_IFNAME = 2,
	/* XFRM interface id this link answers to; 0 while unset. s2sd forwards
	 * the XFRM SAs carrying this if_id into the link.
	 */
	S2S_A_LINK_IF_ID = 3,
	/* Current interface MTU. */
	S2S_A_LINK_MTU = 4,
	/* 1 when the interface is administratively up and has carrier. */
	S2S_A_LINK_OPER_UP = 5,

	/* private: */
	__S2S_A_LINK_MAX,
	S2S_A_LINK_MAX = (__S2S_A_LINK_MAX - 1)
};

enum {
	/* Get one s2s link, or dump all s2s links of the namespace. */
	S2S_CMD_LINK_GET = 1,

	/* private: */
	__S2S_CMD_MAX,
	S2S_CMD_MAX = (__S2S_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_S2S_H */
