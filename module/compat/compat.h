/* SPDX-License-Identifier: GPL-2.0 */
/* Shims for the kernel API differences between Linux 6.1 (our floor) and
 * newer kernels. Each shim is named after the upstream API it stands in for;
 * core files call the shim and never test the kernel version themselves.
 */
#ifndef _S2S_COMPAT_H
#define _S2S_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>

/* Linux 6.11 replaced the NETIF_F_LLTX feature bit with dev->lltx. */
static inline void s2s_compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#endif /* _S2S_COMPAT_H */
