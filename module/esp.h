/* SPDX-License-Identifier: GPL-2.0 */
/* ESP framing shared by the send and receive paths (RFC 4303). */
#ifndef _S2S_ESP_H
#define _S2S_ESP_H

#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>

#include "sa.h"

/* ESP header (8), plus the high sequence bits with ESN: the associated
 * data every AEAD here authenticates (RFC 4106 5, RFC 4303 2.2.1).
 */
#define S2S_ESP_AD_MAX		12

/**
 * struct s2s_skb_cb - per-packet state across a possibly asynchronous
 *	crypto call
 * @sa: SA the packet is processed with; holds a reference
 * @req: the crypto request and its buffers (struct s2s_esp_req)
 * @seq: full sequence number
 * @outer_ds: received: DS field of the outer header, for ECN decapsulation
 * @inner_ds: sent: DS field of the inner header, for the outer header
 * @df: sent: whether the outer header carries DF
 * @inner_len: sent: bytes of the inner packet, for the counters
 * @crypt_err: sent through the workers (parallel.c): result of the
 *	encryption, or S2S_CRYPT_PENDING; written with release, read with
 *	acquire
 */
struct s2s_skb_cb {
	struct s2s_sa *sa;
	void *req;
	u64 seq;
	u8 outer_ds;
	u8 inner_ds;
	bool df;
	unsigned int inner_len;
	int crypt_err;
};

#define S2S_SKB_CB(skb) ((struct s2s_skb_cb *)(skb)->cb)

unsigned int s2s_esp_padlen(const struct s2s_crypto *c, unsigned int plen);
unsigned int s2s_esp_encap(struct sk_buff *skb, __be32 spi,
			   const struct s2s_crypto *c, u64 seq, u8 nexthdr);
int s2s_esp_decap(struct sk_buff *skb, const struct s2s_crypto *c,
		  u8 *nexthdr);
void *s2s_esp_req_alloc(struct s2s_sa *sa, struct sk_buff *skb, u64 seq,
			unsigned int esp_offset, unsigned int crypt_len,
			bool encrypt, struct aead_request **reqp);
int s2s_esp_crypt(const struct s2s_crypto *c, void *req, bool encrypt);
void s2s_esp_req_free(void *req);
int s2s_esp_req_init(void);
void s2s_esp_req_uninit(void);

#endif /* _S2S_ESP_H */
