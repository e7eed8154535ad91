/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S2S_HELPER_VERSION_H
#define S2S_HELPER_VERSION_H

/* The Makefile passes the release; this is for builds outside it. */
#ifndef S2S_VERSION
#define S2S_VERSION "0.1"
#endif

#endif /* S2S_HELPER_VERSION_H */
