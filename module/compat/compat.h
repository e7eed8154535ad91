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

/* Linux 6.3 changed crypto completion callbacks to take the request's data
 * pointer instead of the request. Callbacks are declared with
 * s2s_crypto_done_arg and recover their data with s2s_crypto_done_data().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
typedef void *s2s_crypto_done_arg;
#define s2s_crypto_done_data(arg) (arg)
#else
#include <linux/crypto.h>
typedef struct crypto_async_request *s2s_crypto_done_arg;
#define s2s_crypto_done_data(arg) ((arg)->data)
#endif

/* Linux 6.4 moved skb_gso_segment() and skb_gso_validate_network_len()
 * from netdevice.h and skbuff.h into a header of their own.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>
#endif

/* Linux 6.5 moved a dump's parsed attributes into a struct genl_info. */
#include <net/genetlink.h>
static inline struct nlattr **s2s_compat_genl_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _S2S_COMPAT_H */
