// SPDX-License-Identifier: GPL-2.0
/* bench_aead_kernel - crypto-only throughput of one ESP AEAD, measured in
 * the kernel: make bench's crypto reference at packet size
 * (Documentation/benchmarks.rst, "Crypto-only throughput").
 *
 *   insmod bench_aead_kernel.ko alg=NAME enckeylen=N [authkeylen=N]
 *          ivlen=N icvlen=N size=N msecs=N
 *   cat /sys/module/bench_aead_kernel/parameters/{ops,nsecs,driver}
 *   rmmod bench_aead_kernel
 *
 * Loading runs the measurement: ESP-shaped requests of @size payload bytes
 * encrypted in place, one at a time, for @msecs, through the transform
 * ESP's data path allocates (NAME with its IV generator, e.g.
 * seqiv(rfc4106(gcm(aes)))). A request is what a packet's crypto is: the
 * associated data (SPI, sequence number) and, in one linear buffer, IV,
 * payload and ICV. Everything the crypto costs per request counts, as it
 * does for every packet; no system call and no copy does, unlike AF_ALG
 * (bench-aead). The results are read-only parameters until the module is
 * removed. Nothing here is kept from one load to the next.
 *
 * Not part of s2s: a measuring tool, built only by make bench.
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

#define ESP_AD_LEN	8	/* SPI and 32-bit sequence number */

static char *alg;
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "kernel AEAD name, IV generator included");
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

/* Results, read-only. */
static unsigned long ops;
module_param(ops, ulong, 0444);
MODULE_PARM_DESC(ops, "result: requests completed");
static unsigned long nsecs;
module_param(nsecs, ulong, 0444);
MODULE_PARM_DESC(nsecs, "result: nanoseconds they took");
static unsigned long async;
module_param(async, ulong, 0444);
MODULE_PARM_DESC(async, "result: requests the driver completed asynchronously");
static char driver_buf[CRYPTO_MAX_ALG_NAME];
static char *driver = driver_buf;
module_param(driver, charp, 0444);
MODULE_PARM_DESC(driver, "result: the driver the crypto API chose");

/* authenc() keys: an rtattr with the cipher key's length, then the
 * authentication key, then the cipher key. Any bytes do for a speed test.
 */
static int bench_setkey(struct crypto_aead *tfm)
{
	unsigned int len = enckeylen, off = 0, i;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key;
	int err;

	if (authkeylen)
		len += RTA_SPACE(sizeof(*param)) + authkeylen;
	key = kzalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
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
	err = crypto_aead_setkey(tfm, key, len);
	kfree_sensitive(key);
	return err;
}

static int bench_run(struct crypto_aead *tfm)
{
	unsigned int buflen = ESP_AD_LEN + ivlen + size + icvlen;
	struct aead_request *req;
	unsigned long end;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	__be64 seq_be;
	u64 seq = 0;
	u8 *buf, *iv;
	ktime_t t0;
	int err = -ENOMEM;

	buf = kzalloc(buflen, GFP_KERNEL);
	iv = kzalloc(max(ivlen, 8U), GFP_KERNEL);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!buf || !iv || !req)
		goto out;
	memset(buf + ESP_AD_LEN + ivlen, 0xa5, size);
	sg_init_one(&sg, buf, buflen);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, ESP_AD_LEN);
	aead_request_set_crypt(req, &sg, &sg, ivlen + size, iv);

	/* jiffies ends the loop: reading the clock per request would cost
	 * more than a register read under emulation (HPET); the clock
	 * measures only the whole run.
	 */
	end = jiffies + msecs_to_jiffies(msecs);
	t0 = ktime_get();
	do {
		/* The IV generator takes the sequence number as its seed, in
		 * the last 8 bytes, as ESP hands it over, and overwrites it.
		 */
		seq++;
		seq_be = cpu_to_be64(seq);
		memset(iv, 0, ivlen);
		memcpy(iv + max(ivlen, 8U) - 8, &seq_be, 8);
		memcpy(buf + 4, (u8 *)&seq_be + 4, 4);
		err = crypto_aead_encrypt(req);
		if (err == -EINPROGRESS || err == -EBUSY)
			async++;
		err = crypto_wait_req(err, &wait);
		if (err)
			goto out;
		cond_resched();
	} while (time_before(jiffies, end));
	nsecs = ktime_to_ns(ktime_sub(ktime_get(), t0));
	ops = seq;
out:
	aead_request_free(req);
	kfree(iv);
	kfree(buf);
	return err;
}

static int __init bench_aead_kernel_init(void)
{
	struct crypto_aead *tfm;
	int err;

	if (!alg || !enckeylen || !icvlen || !size || !msecs) {
		pr_err("alg, enckeylen, icvlen, size and msecs are required\n");
		return -EINVAL;
	}
	tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(tfm)) {
		pr_err("%s: %ld\n", alg, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	if (crypto_aead_ivsize(tfm) != ivlen) {
		pr_err("%s: IV is %u bytes, not %u\n", alg,
		       crypto_aead_ivsize(tfm), ivlen);
		err = -EINVAL;
		goto out;
	}
	strscpy(driver_buf, crypto_aead_driver_name(tfm), sizeof(driver_buf));
	err = bench_setkey(tfm);
	if (!err)
		err = crypto_aead_setauthsize(tfm, icvlen);
	if (!err)
		err = bench_run(tfm);
	if (err)
		pr_err("%s: %d\n", alg, err);
out:
	crypto_free_aead(tfm);
	return err;
}

static void __exit bench_aead_kernel_exit(void)
{
}

module_init(bench_aead_kernel_init);
module_exit(bench_aead_kernel_exit);
MODULE_DESCRIPTION("make bench: in-kernel crypto-only throughput of an ESP AEAD");
MODULE_LICENSE("GPL");
