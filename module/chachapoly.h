/* SPDX-License-Identifier: GPL-2.0 */
/* ESP ChaCha20-Poly1305 (RFC 7634) on the kernel's ChaCha20 and Poly1305
 * library routines.
 */
#ifndef _S2S_CHACHAPOLY_H
#define _S2S_CHACHAPOLY_H

#include <linux/types.h>

/* IKEv2's ChaCha20-Poly1305 keying material: key, then salt (RFC 7634 2). */
#define S2S_CHACHAPOLY_KEY_LEN	(32 + 4)
#define S2S_CHACHAPOLY_IV_LEN	8
#define S2S_CHACHAPOLY_ICV_LEN	16

struct s2s_chachapoly;

struct s2s_chachapoly *s2s_chachapoly_new(const u8 key[S2S_CHACHAPOLY_KEY_LEN]);
void s2s_chachapoly_free(struct s2s_chachapoly *k);
void s2s_chachapoly_seal(const struct s2s_chachapoly *k, const u8 *ad,
			 unsigned int adlen, u8 *data, unsigned int len);
int s2s_chachapoly_open(const struct s2s_chachapoly *k, const u8 *ad,
			unsigned int adlen, u8 *data, unsigned int len);

#endif /* _S2S_CHACHAPOLY_H */
