// SPDX-License-Identifier: GPL-2.0
/* bench_aead_kernel - crypto-only throughput of one ESP AEAD, measured in
 * the kernel: make bench's crypto reference at packet size
 * (Documentation/benchmarks.rst, Metrics, crypto_kernel_1420).
 *
 *   insmod bench_aead_kernel.ko alg=NAME enckeylen=N [authkeylen=N]
 *          ivlen=N icvlen=N size=N msecs=N [roundtrip=1]
 *   cat /sys/module/bench_aead_kernel/parameters/{ops,nsecs,async,driver}
 *   rmmod bench_aead_kernel
 *
 * Loading runs the measurement: ESP-shaped requests of @size payload bytes
 * encrypted in place, one after another for @msecs, the way s2s's data
 * path encrypts a packet. NAME is the transform ESP allocates, IV
 * generator included (e.g. seqiv(rfc4106(gcm(aes)))), or "chachapoly":
 * s2s's ChaCha20-Poly1305 on the kernel's library routines
 * (module/chachapoly.c, built into this module by scripts/bench.sh). A
 * request is what a packet's crypto is: the associated data (SPI and
 * sequence number) and, in one linear buffer, IV, payload and ICV.
 * Everything the crypto costs per request counts, as it does for every
 * packet; no system call and no copy does, unlike AF_ALG (bench-aead). With
 * roundtrip=1 each request is decrypted again in place right after its
 * encryption, as every packet is once at gateway A and once at gateway B:
 * the pair is one op, and decrypting needs no copy of a pristine
 * ciphertext. The results are read-only parameters until the module is
 * removed.
 *
 * Not part of s2s: a measuring tool, built only by make bench, whose
 * interface is its module parameters.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "chachapoly.h"

#define ESP_AD_LEN	8	/* SPI and 32-bit sequence number */
#define MAX_SIZE	65535	/* an IP packet's payload at most */
#define CHACHAPOLY	"chachapoly"

static char *alg;
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "kernel AEAD name, IV generator included, or " CHACHAPOLY);
static unsigned int enckeylen;
module_param(enckeylen, uint, 0444);
MODULE_PARM_DESC(enckeylen, "cipher key bytes, salt included");
static unsigned int authkeylen;
module_param(authkeylen, uint, 0444);
MODULE_PARM_DESC(authkeylen, "authenc(): authentication key bytes");
static unsigned int ivlen;
module_param(ivlen, uint, 0444);
MODULE_PARM_DESC(ivlen, "IV bytes in the packet");
static unsigned int icvlen;
module_param(icvlen, uint, 0444);
MODULE_PARM_DESC(icvlen, "ICV bytes");
static unsigned int size = 1420;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "payload bytes per request");
static unsigned int msecs = 2500;
module_param(msecs, uint, 0444);
MODULE_PARM_DESC(msecs, "how long to measure");
static bool roundtrip;
module_param(roundtrip, bool, 0444);
MODULE_PARM_DESC(roundtrip, "decrypt each request again after encrypting it");

/* Results, read-only. */
static unsigned long ops;
module_param(ops, ulong, 0444);
MODULE_PARM_DESC(ops, "result: requests completed (with roundtrip, both ways)");
static unsigned long nsecs;
module_param(nsecs, ulong, 0444);
MODULE_PARM_DESC(nsecs, "result: nanoseconds they took");
static unsigned long async;
module_param(async, ulong, 0444);
MODULE_PARM_DESC(async, "result: requests the driver completed asynchronously");
static char driver[CRYPTO_MAX_ALG_NAME];
module_param_string(driver, driver, sizeof(driver), 0444);
MODULE_PARM_DESC(driver, "result: the driver the crypto API chose");

/* What one measured request is, whichever code runs it. */
struct bench_req {
	u8 *buf;	/* associated data, IV, payload, ICV */
	u8 *iv;		/* the IV generator's seed */
	struct crypto_aead *tfm;
	struct aead_request *req;
	struct crypto_wait wait;
	struct scatterlist sg;
	struct s2s_chachapoly *chachapoly;
};

/* Any bytes do for a speed test. authenc() keys: an rtattr with the cipher
 * key's length, then the authentication key, then the cipher key.
 */
static u8 *bench_key(unsigned int *lenp)
{
	unsigned int len = enckeylen, off = 0, i;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key;

	if (authkeylen)
		len += RTA_SPACE(sizeof(*param)) + authkeylen;
	key = kzalloc(len, GFP_KERNEL);
	if (!key)
		return NULL;
	if (authkeylen) {
		rta = (struct rtattr *)key;
		rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
		rta->rta_len = RTA_LENGTH(sizeof(*param));
		param = RTA_DATA(rta);
		param->enckeylen = cpu_to_be32(enckeylen);
		off = RTA_SPACE(sizeof(*param));
	}
	for (i = off; i < len; i++)
		key[i] = i;
	*lenp = len;
	return key;
}

static int bench_setup_aead(struct bench_req *b, const u8 *key,
			    unsigned int keylen)
{
	int err;

	b->tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(b->tfm)) {
		err = PTR_ERR(b->tfm);
		b->tfm = NULL;
		pr_err("%s: %pe\n", alg, ERR_PTR(err));
		return err;
	}
	if (crypto_aead_ivsize(b->tfm) != ivlen) {
		pr_err("%s: the IV is %u bytes, not %u\n", alg,
		       crypto_aead_ivsize(b->tfm), ivlen);
		return -EINVAL;
	}
	strscpy(driver, crypto_aead_driver_name(b->tfm), sizeof(driver));
	err = crypto_aead_setkey(b->tfm, key, keylen) ?:
	      crypto_aead_setauthsize(b->tfm, icvlen);
	if (err) {
		pr_err("%s: key or ICV length: %pe\n", alg, ERR_PTR(err));
		return err;
	}
	b->req = aead_request_alloc(b->tfm, GFP_KERNEL);
	if (!b->req)
		return -ENOMEM;
	crypto_init_wait(&b->wait);
	sg_init_one(&b->sg, b->buf, ESP_AD_LEN + ivlen + size + icvlen);
	aead_request_set_callback(b->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &b->wait);
	aead_request_set_ad(b->req, ESP_AD_LEN);
	return 0;
}

static int bench_setup_chachapoly(struct bench_req *b, const u8 *key,
				  unsigned int keylen)
{
	if (keylen != S2S_CHACHAPOLY_KEY_LEN || authkeylen ||
	    ivlen != S2S_CHACHAPOLY_IV_LEN || icvlen != S2S_CHACHAPOLY_ICV_LEN) {
		pr_err(CHACHAPOLY ": key, IV and ICV are %u, %u and %u bytes\n",
		       S2S_CHACHAPOLY_KEY_LEN, S2S_CHACHAPOLY_IV_LEN,
		       S2S_CHACHAPOLY_ICV_LEN);
		return -EINVAL;
	}
	b->chachapoly = s2s_chachapoly_new(key);
	if (!b->chachapoly)
		return -ENOMEM;
	strscpy(driver, "s2s chachapoly.c on the ChaCha20 and Poly1305 library",
		sizeof(driver));
	return 0;
}

/* One packet's encryption, as s2s_esp_crypt() does it for its transform. */
static int bench_encrypt(struct bench_req *b, u64 seq)
{
	__be64 seq_be = cpu_to_be64(seq);
	int err;

	/* The sequence number in the ESP header, and as the IV generator's
	 * seed in the IV's last 8 bytes, which the generator overwrites;
	 * the library takes it as the packet's IV itself.
	 */
	memcpy(b->buf + 4, (u8 *)&seq_be + 4, 4);
	if (b->chachapoly) {
		memcpy(b->buf + ESP_AD_LEN, &seq_be, S2S_CHACHAPOLY_IV_LEN);
		s2s_chachapoly_seal(b->chachapoly, b->buf, ESP_AD_LEN,
				    b->buf + ESP_AD_LEN, ivlen + size);
		return 0;
	}
	memset(b->iv, 0, ivlen);
	memcpy(b->iv + max(ivlen, 8U) - 8, &seq_be, 8);
	aead_request_set_crypt(b->req, &b->sg, &b->sg, ivlen + size, b->iv);
	err = crypto_aead_encrypt(b->req);
	if (err == -EINPROGRESS || err == -EBUSY)
		async++;
	return crypto_wait_req(err, &b->wait);
}

/* The receiver's side of the same packet, as s2s_esp_crypt() decrypts:
 * the IV is read from the packet, the ICV checked, the data restored.
 */
static int bench_decrypt(struct bench_req *b)
{
	int err;

	if (b->chachapoly)
		return s2s_chachapoly_open(b->chachapoly, b->buf, ESP_AD_LEN,
					   b->buf + ESP_AD_LEN,
					   ivlen + size + icvlen);
	aead_request_set_crypt(b->req, &b->sg, &b->sg, ivlen + size + icvlen,
			       b->iv);
	err = crypto_aead_decrypt(b->req);
	if (err == -EINPROGRESS || err == -EBUSY)
		async++;
	return crypto_wait_req(err, &b->wait);
}

static int bench_run(struct bench_req *b)
{
	unsigned long end;
	u64 seq = 0;
	ktime_t t0;
	int err;

	/* jiffies ends the loop: reading the clock per request would cost
	 * more than a memory read under emulation (HPET); the clock times
	 * only the whole run.
	 */
	end = jiffies + msecs_to_jiffies(msecs);
	t0 = ktime_get();
	do {
		err = bench_encrypt(b, ++seq);
		if (err) {
			pr_err("%s: encryption: %pe\n", alg, ERR_PTR(err));
			return err;
		}
		/* -EBADMSG here would mean a measurement of the wrong thing. */
		err = roundtrip ? bench_decrypt(b) : 0;
		if (err) {
			pr_err("%s: decryption: %pe\n", alg, ERR_PTR(err));
			return err;
		}
		cond_resched();
	} while (time_before(jiffies, end));
	nsecs = ktime_to_ns(ktime_sub(ktime_get(), t0));
	ops = seq;
	return 0;
}

static int __init bench_aead_kernel_init(void)
{
	struct bench_req b = {};
	unsigned int keylen;
	u8 *key;
	int err;

	if (!alg || !enckeylen || !icvlen || !size || size > MAX_SIZE ||
	    !msecs) {
		pr_err("alg, enckeylen, icvlen, size (up to %u) and msecs are required\n",
		       MAX_SIZE);
		return -EINVAL;
	}
	key = bench_key(&keylen);
	b.buf = kzalloc(ESP_AD_LEN + ivlen + size + icvlen, GFP_KERNEL);
	b.iv = kzalloc(max(ivlen, 8U), GFP_KERNEL);
	if (!key || !b.buf || !b.iv) {
		err = -ENOMEM;
		goto out;
	}
	memset(b.buf + ESP_AD_LEN + ivlen, 0xa5, size);
	if (!strcmp(alg, CHACHAPOLY))
		err = bench_setup_chachapoly(&b, key, keylen);
	else
		err = bench_setup_aead(&b, key, keylen);
	if (!err)
		err = bench_run(&b);
out:
	s2s_chachapoly_free(b.chachapoly);
	aead_request_free(b.req);
	crypto_free_aead(b.tfm);
	kfree_sensitive(key);
	kfree(b.iv);
	kfree(b.buf);
	return err;
}

static void __exit bench_aead_kernel_exit(void)
{
}

module_init(bench_aead_kernel_init);
module_exit(bench_aead_kernel_exit);
MODULE_DESCRIPTION("make bench: in-kernel crypto-only throughput of an ESP AEAD");
MODULE_LICENSE("GPL");
