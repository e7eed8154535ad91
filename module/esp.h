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
 * @route: a GSO packet handed to the workers whole (parallel.c): the
 *	route to the peer its segments take, with a reference
 * @seq: full sequence number; of a GSO packet handed over whole, that of
 *	its first segment
 * @crypt_err: packets through the workers (parallel.c): result of the
 *	crypto, or S2S_CRYPT_PENDING; written with release, read with acquire
 * @inner_len: sent: bytes of the inner packet, for the counters
 * @outer_ds: received: DS field of the outer header, for ECN decapsulation
 * @inner_ds: sent: DS field of the inner header, for the outer header
 * @df: sent: whether the outer header carries DF
 *
 * Cutting a GSO packet overwrites its cb from SKB_GSO_CB_OFFSET on (struct
 * skb_gso_cb). A GSO packet handed to the workers whole is cut while it
 * waits in its link's ordered queue, where other CPUs read its @seq and
 * @crypt_err: what is read there lies before that offset.
 */
struct s2s_skb_cb {
	struct s2s_sa *sa;
	union {
		void *req;
		struct dst_entry *route;
	};
	u64 seq;
	int crypt_err;
	unsigned int inner_len;
	u8 outer_ds;
	u8 inner_ds;
	bool df;
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
struct aead_request *s2s_esp_req_aead(void *req);

#endif /* _S2S_ESP_H */
