/* SPDX-License-Identifier: GPL-2.0 */
/* Whether an address is configured on this host (in s2sd's network
 * namespace, the one whose XFRM SAD it reads): what decides the
 * direction of an SA charon installed.
 */
#ifndef S2S_HELPER_LOCALADDR_H
#define S2S_HELPER_LOCALADDR_H

#include <stdbool.h>
#include <stdint.h>

bool s2s_addr_is_local(uint16_t family, const void *addr);

#endif /* S2S_HELPER_LOCALADDR_H */
