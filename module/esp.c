// SPDX-License-Identifier: GPL-2.0
/* ESP: the crypto request for one packet, shared by send and receive. */

#include <linux/slab.h>

#include "esp.h"

/*
 * One allocation per packet holds, in order: the IV seed, the associated
 * data, the scatterlist, and the aead_request with its transform context.
 */
struct s2s_esp_req {
	u8 iv[16];
	__be32 ad[S2S_ESP_AD_MAX / 4];
	struct scatterlist sg[S2S_ESP_MAX_SG];
	struct aead_request req;	/* followed by crypto_aead_reqsize() */
};

/**
 * s2s_esp_req_alloc() - build the AEAD request for one ESP packet
 * @sa: SA
 * @skb: packet whose data from @esp_offset is the ESP header, writable
 * @seq: full sequence number
 * @esp_offset: offset of the ESP header in @skb's data
 * @crypt_len: bytes after the ESP header the AEAD processes: IV and
 *	payload and trailer on encryption, plus the ICV on decryption
 * @encrypt: direction, for the length of the scatterlist (ICV room)
 * @reqp: out: the request, ready for crypto_aead_encrypt/decrypt()
 *
 * The associated data is SPI, high sequence bits with ESN, and the low
 * sequence bits, in a buffer of its own so the ESP header in the packet is
 * never shuffled. The IV seed is the sequence number, which seqiv turns
 * into the counter-mode IV (RFC 4106, RFC 7634) and echainiv into an
 * unpredictable CBC IV (RFC 3602); both write the IV into the packet.
 *
 * Return: the allocation to kfree() once the request is done, or NULL.
 */
void *s2s_esp_req_alloc(struct s2s_sa *sa, struct sk_buff *skb, u64 seq,
			unsigned int esp_offset, unsigned int crypt_len,
			bool encrypt, struct aead_request **reqp)
{
	struct crypto_aead *aead = sa->crypto.aead;
	struct ip_esp_hdr *esph = (void *)(skb->data + esp_offset);
	unsigned int icvlen = sa->crypto.icvlen;
	unsigned int adlen = 8;
	struct s2s_esp_req *r;
	__be64 seq_be;
	int nsg;

	r = kmalloc(sizeof(*r) + crypto_aead_reqsize(aead), GFP_ATOMIC);
	if (!r)
		return NULL;

	r->ad[0] = esph->spi;
	if (sa->esn) {
		r->ad[1] = htonl(upper_32_bits(seq));
		r->ad[2] = esph->seq_no;
		adlen = 12;
	} else {
		r->ad[1] = esph->seq_no;
	}

	sg_init_table(r->sg, S2S_ESP_MAX_SG);
	sg_set_buf(&r->sg[0], r->ad, adlen);
	nsg = skb_to_sgvec(skb, &r->sg[1], esp_offset + sizeof(*esph),
			   crypt_len + (encrypt ? icvlen : 0));
	if (unlikely(nsg < 0)) {
		kfree(r);
		return NULL;
	}

	memset(r->iv, 0, sizeof(r->iv));
	seq_be = cpu_to_be64(seq);
	memcpy(r->iv + sa->crypto.ivlen - min_t(unsigned int, sa->crypto.ivlen, 8),
	       (u8 *)&seq_be + 8 - min_t(unsigned int, sa->crypto.ivlen, 8),
	       min_t(unsigned int, sa->crypto.ivlen, 8));

	aead_request_set_tfm(&r->req, aead);
	aead_request_set_crypt(&r->req, r->sg, r->sg, crypt_len, r->iv);
	aead_request_set_ad(&r->req, adlen);
	*reqp = &r->req;
	return r;
}
