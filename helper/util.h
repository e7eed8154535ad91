/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every file may use. */
#ifndef S2S_HELPER_UTIL_H
#define S2S_HELPER_UTIL_H

#define S2S_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* S2S_HELPER_UTIL_H */
