// SPDX-License-Identifier: GPL-2.0
/* ESP framing (RFC 4303 2) and the crypto request for one packet, shared
 * by send and receive and by the known-answer tests.
 */

#include <linux/bottom_half.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "esp.h"

/*
 * One allocation per packet holds, in order: the IV seed, the associated
 * data, the scatterlist, and the aead_request with its transform context.
 * Both paths make the packet linear before its crypto (in-place work needs
 * private data anyway), so two entries do: the associated data and the
 * packet. A scatterlist sized for every possible fragment would be a
 * memset of some 600 bytes per packet, measurable in make bench's profile.
 * @size is what was allocated, so that a stashed request (below) is only
 * reused for a transform whose context fits.
 */
struct s2s_esp_req {
	unsigned int size;
	u8 iv[16];
	__be32 ad[S2S_ESP_AD_MAX / 4];
	struct scatterlist sg[2];
	struct aead_request req;	/* followed by crypto_aead_reqsize() */
};

/*
 * Requests freed wait in a per-CPU stash for the next packet's instead of
 * going back to the slab. Distribution kernels zero every slab allocation
 * (init_on_alloc, Debian's default): the transform's whole request
 * context, hundreds of bytes with ChaCha20-Poly1305, per packet and
 * direction, all rewritten right after; a reused request also keeps its
 * initialised scatterlist. make bench's profile with call chains put the
 * zeroing of requests and scatterlists at 2 % of the guest's time in a
 * ChaCha20 TCP run (design.rst). A packet is finished, and its request
 * freed, on the CPU its crypto was started from (parallel.c), so each
 * CPU's stash is refilled by its own packets. 64 requests per CPU, half
 * a worker ring. KASAN sees a stashed request as
 * allocated: a use after s2s_esp_req_free() would go unseen while it waits
 * here, which is why both finish functions free it first, before anything
 * else.
 *
 * Locking: each stash is touched only by its own CPU, between
 * local_bh_disable() and local_bh_enable(). The transmit and receive
 * paths and the completions that free (s2s_send_done()) have BHs off
 * already, where that is a counter increment; the known-answer tests run
 * in process context.
 */
#define S2S_ESP_STASH		64

struct s2s_esp_stash {
	unsigned int count;
	struct s2s_esp_req *reqs[S2S_ESP_STASH];
};

/* Dynamic per-CPU memory: a module's static share is small and shared. */
static struct s2s_esp_stash __percpu *s2s_esp_stashes;

static struct s2s_esp_req *s2s_esp_req_get(unsigned int size)
{
	struct s2s_esp_stash *stash;
	struct s2s_esp_req *r = NULL;

	local_bh_disable();
	stash = this_cpu_ptr(s2s_esp_stashes);
	if (stash->count)
		r = stash->reqs[--stash->count];
	local_bh_enable();
	if (likely(r && r->size >= size))
		return r;
	/* A transform with a larger context than the last ones: start over. */
	kfree(r);
	size = kmalloc_size_roundup(size);
	r = kmalloc(size, GFP_ATOMIC);
	if (!r)
		return NULL;
	r->size = size;
	sg_init_table(r->sg, ARRAY_SIZE(r->sg));
	return r;
}

/**
 * s2s_esp_req_free() - release what s2s_esp_req_alloc() returned
 * @req: its return value; NULL is ignored
 *
 * Context: neither hard interrupt nor interrupts disabled
 *	(local_bh_enable()).
 */
void s2s_esp_req_free(void *req)
{
	struct s2s_esp_stash *stash;

	if (!req)
		return;
	local_bh_disable();
	stash = this_cpu_ptr(s2s_esp_stashes);
	if (stash->count < S2S_ESP_STASH) {
		stash->reqs[stash->count++] = req;
		req = NULL;
	}
	local_bh_enable();
	kfree(req);
}

/**
 * s2s_esp_req_init() - set up the per-CPU request stashes
 *
 * Return: 0 or -ENOMEM.
 */
int s2s_esp_req_init(void)
{
	s2s_esp_stashes = alloc_percpu(struct s2s_esp_stash);
	return s2s_esp_stashes ? 0 : -ENOMEM;
}

/**
 * s2s_esp_req_uninit() - free every stashed request, and the stashes
 *
 * Context: module unload, after every packet's crypto has finished.
 */
void s2s_esp_req_uninit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct s2s_esp_stash *stash = per_cpu_ptr(s2s_esp_stashes, cpu);

		while (stash->count)
			kfree(stash->reqs[--stash->count]);
	}
	free_percpu(s2s_esp_stashes);
}

/**
 * s2s_esp_req_alloc() - build the AEAD request for one ESP packet
 * @sa: SA
 * @skb: packet whose data from @esp_offset is the ESP header, linear and
 *	writable
 * @seq: full sequence number
 * @esp_offset: offset of the ESP header in @skb's data
 * @crypt_len: bytes after the ESP header the AEAD processes: IV and
 *	payload and trailer on encryption, plus the ICV on decryption
 * @encrypt: direction, for the length of the scatterlist (ICV room)
 * @reqp: out: the request, ready for s2s_esp_crypt() once its callback
 *	is set
 *
 * The associated data is SPI, high sequence bits with ESN, and the low
 * sequence bits, in a buffer of its own so the ESP header in the packet is
 * never shuffled. The IV seed is the sequence number, which seqiv turns
 * into the counter-mode IV (RFC 4106, RFC 7634) and echainiv into an
 * unpredictable CBC IV (RFC 3602); both write the IV into the packet.
 *
 * Return: the allocation to pass to s2s_esp_req_free() once the request
 * is done, or NULL.
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

	if (WARN_ON_ONCE(skb_is_nonlinear(skb) ||
			 skb->len < esp_offset + sizeof(*esph) + crypt_len +
				    (encrypt ? icvlen : 0)))
		return NULL;
	r = s2s_esp_req_get(sizeof(*r) + (aead ? crypto_aead_reqsize(aead) : 0));
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

	/* The table was initialised when @r was allocated: its two entries,
	 * the end mark on the second, stay as they are; only their buffers
	 * change.
	 */
	sg_set_buf(&r->sg[0], r->ad, adlen);
	sg_set_buf(&r->sg[1], esph + 1, crypt_len + (encrypt ? icvlen : 0));

	memset(r->iv, 0, sizeof(r->iv));
	seq_be = cpu_to_be64(seq);
	memcpy(r->iv + sa->crypto.ivlen - min_t(unsigned int, sa->crypto.ivlen, 8),
	       (u8 *)&seq_be + 8 - min_t(unsigned int, sa->crypto.ivlen, 8),
	       min_t(unsigned int, sa->crypto.ivlen, 8));

	/* Without a transform (the ChaCha20-Poly1305 library) the request
	 * only carries the lengths and the IV seed to s2s_esp_crypt().
	 */
	if (aead)
		aead_request_set_tfm(&r->req, aead);
	aead_request_set_crypt(&r->req, r->sg, r->sg, crypt_len, r->iv);
	aead_request_set_ad(&r->req, adlen);
	*reqp = &r->req;
	return r;
}

/**
 * s2s_esp_crypt() - encrypt or decrypt the packet of a request
 * @c: transform of the SA that s2s_esp_req_alloc() was given
 * @req: s2s_esp_req_alloc()'s return value, its AEAD request complete,
 *	callback included
 * @encrypt: direction
 *
 * A crypto API transform may complete asynchronously; ChaCha20-Poly1305
 * on the library completes here, writing the IV seed into the packet as
 * its IV: the sequence number, as seqiv would (RFC 7634 2), but without
 * seqiv's salt, which buys nothing a counter needs.
 *
 * Return: 0, -EBADMSG for a packet that fails authentication, another
 * negative errno, or -EINPROGRESS when the request's callback will have
 * the result.
 */
int s2s_esp_crypt(const struct s2s_crypto *c, void *req, bool encrypt)
{
	struct s2s_esp_req *r = req;
	u8 *data;

	if (!c->chachapoly)
		return encrypt ? crypto_aead_encrypt(&r->req) :
				 crypto_aead_decrypt(&r->req);
	data = sg_virt(&r->sg[1]);
	if (!encrypt)
		return s2s_chachapoly_open(c->chachapoly, (u8 *)r->ad,
					   r->req.assoclen, data,
					   r->req.cryptlen);
	memcpy(data, r->req.iv, S2S_CHACHAPOLY_IV_LEN);
	s2s_chachapoly_seal(c->chachapoly, (u8 *)r->ad, r->req.assoclen, data,
			    r->req.cryptlen);
	return 0;
}

/**
 * s2s_esp_padlen() - padding bytes an inner packet needs
 * @c: transform of the SA
 * @plen: bytes of the inner packet
 *
 * Return: the least padding that brings payload, padding and the 2-byte
 * trailer to a multiple of the cipher block (at least 4, RFC 4303 2.4).
 */
unsigned int s2s_esp_padlen(const struct s2s_crypto *c, unsigned int plen)
{
	return ALIGN(plen + 2, c->block) - plen - 2;
}

/**
 * s2s_esp_encap() - put ESP around an inner packet, ready for encryption
 * @skb: the inner packet, linear and private, with s2s_esp_padlen() + 2 +
 *	ICV bytes of tailroom and ESP header + IV bytes of headroom
 * @spi: SPI, network byte order
 * @c: transform of the SA
 * @seq: full sequence number; its low 32 bits go into the header
 * @nexthdr: protocol of the inner packet (IPPROTO_IPIP or IPPROTO_IPV6)
 *
 * Writes the ESP header, the padding 1, 2, 3, ... (RFC 4303 2.4), pad
 * length and next header, and leaves room for the IV (written by the IV
 * generator) and the ICV (written by the AEAD). skb->data ends up at the
 * ESP header.
 *
 * Return: the bytes after the ESP header the AEAD processes: IV, payload,
 * padding and trailer.
 */
unsigned int s2s_esp_encap(struct sk_buff *skb, __be32 spi,
			   const struct s2s_crypto *c, u64 seq, u8 nexthdr)
{
	unsigned int plen = skb->len, padlen = s2s_esp_padlen(c, plen), i;
	struct ip_esp_hdr *esph;
	u8 *trailer;

	trailer = skb_put(skb, padlen + 2);
	for (i = 0; i < padlen; i++)
		trailer[i] = i + 1;
	trailer[padlen] = padlen;
	trailer[padlen + 1] = nexthdr;
	skb_put(skb, c->icvlen);

	esph = skb_push(skb, sizeof(*esph) + c->ivlen);
	esph->spi = spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	return c->ivlen + plen + padlen + 2;
}

/* RFC 4303 2.4: the default padding is 1, 2, 3, ...; anything else means
 * the packet was not built by a conforming peer with this key.
 */
static bool s2s_esp_padding_ok(const u8 *pad, unsigned int padlen)
{
	unsigned int i;

	for (i = 0; i < padlen; i++)
		if (pad[i] != i + 1)
			return false;
	return true;
}

/**
 * s2s_esp_decap() - take ESP off an authenticated, decrypted packet
 * @skb: linear, data at the ESP header, decrypted in place
 * @c: transform of the SA
 * @nexthdr: out: next header of the trailer
 *
 * Checks the padding and removes header, IV, padding, trailer and ICV:
 * skb->data ends up at the inner packet.
 *
 * Return: 0, or -EBADMSG if the trailer does not fit or the padding is
 * not the default one.
 */
int s2s_esp_decap(struct sk_buff *skb, const struct s2s_crypto *c,
		  u8 *nexthdr)
{
	unsigned int hlen = sizeof(struct ip_esp_hdr) + c->ivlen;
	unsigned int padlen, trailer;
	const u8 *tail;

	if (skb->len < hlen + 2 + c->icvlen)
		return -EBADMSG;
	tail = skb->data + skb->len - c->icvlen - 2;
	padlen = tail[0];
	trailer = padlen + 2 + c->icvlen;
	if (hlen + trailer > skb->len || !s2s_esp_padding_ok(tail - padlen, padlen))
		return -EBADMSG;

	*nexthdr = tail[1];
	__skb_trim(skb, skb->len - trailer);
	__skb_pull(skb, hlen);
	return 0;
}
