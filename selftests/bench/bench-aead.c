// SPDX-License-Identifier: GPL-2.0
/* bench-aead - crypto-only throughput of one ESP AEAD through AF_ALG.
 *
 *   bench-aead ALG SECONDS [SIZE]
 *   bench-aead --params ALG [SIZE]
 *
 * ALG is an s2s algorithm name (aes-gcm-128, aes-gcm-256, chacha20-poly1305,
 * aes-cbc-256-sha256); the kernel algorithm is the one ESP uses for it. Each
 * operation encrypts SIZE bytes (default 1420) with ESP-shaped associated
 * data, one operation at a time. Prints one JSON object:
 *   {"alg":..., "kernel_alg":..., "size":N, "ops":N, "seconds":S,
 *    "bytes_per_second":B}
 * Exit 0 on success, 1 on error, 4 when AF_ALG or the algorithm is missing.
 *
 * --params prints the same algorithm as parameters of the in-kernel
 * measurement (kmod/measure.c), as s2s's data path runs it: the AEAD in the
 * IV generator ESP wraps it in (AF_ALG takes the IV from the caller
 * instead), and ChaCha20-Poly1305 on the library routines, which AF_ALG
 * cannot reach.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_alg.h>
#include <linux/rtnetlink.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

struct alg {
	const char *name;
	const char *kname;
	const char *datapath;		/* the in-kernel measurement's alg= */
	unsigned int enc_keylen;	/* including any salt */
	unsigned int auth_keylen;	/* authenc only */
	unsigned int ivlen;
	unsigned int icvlen;
	unsigned int assoclen;		/* ESP header, plus the IV for rfc4106/7539esp */
};

static const struct alg algs[] = {
	{ "aes-gcm-128", "rfc4106(gcm(aes))", "seqiv(rfc4106(gcm(aes)))",
	  20, 0, 8, 16, 16 },
	{ "aes-gcm-256", "rfc4106(gcm(aes))", "seqiv(rfc4106(gcm(aes)))",
	  36, 0, 8, 16, 16 },
	{ "chacha20-poly1305", "rfc7539esp(chacha20,poly1305)", "chachapoly",
	  36, 0, 8, 16, 16 },
	{ "aes-cbc-256-sha256", "authenc(hmac(sha256),cbc(aes))",
	  "echainiv(authenc(hmac(sha256),cbc(aes)))", 32, 32, 16, 16, 8 },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* authenc keys travel as an rtattr carrying the cipher key length, then
 * the authentication key, then the cipher key.
 */
static size_t build_key(const struct alg *a, unsigned char *key)
{
	size_t i, n = 0;

	if (a->auth_keylen) {
		struct rtattr rta = { .rta_len = RTA_LENGTH(4), .rta_type = 1 };
		uint32_t enclen = htobe32(a->enc_keylen);

		memcpy(key, &rta, sizeof(rta));
		memcpy(key + sizeof(rta), &enclen, 4);
		n = RTA_SPACE(4);
		for (i = 0; i < a->auth_keylen; i++)
			key[n++] = 0x40 + i;
	}
	for (i = 0; i < a->enc_keylen; i++)
		key[n++] = i;
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "aead" };
	unsigned char key[128], *in, *out;
	const struct alg *a = NULL;
	double seconds, t0, t;
	size_t size = 1420, i, inlen, outlen, keylen;
	unsigned long long ops = 0;
	bool params = argc > 1 && !strcmp(argv[1], "--params");
	const char *name;
	int tfm, op;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-aead ALG SECONDS [SIZE]\n"
			"       bench-aead --params ALG [SIZE]\n");
		return 1;
	}
	name = argv[params ? 2 : 1];
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (!strcmp(name, algs[i].name))
			a = &algs[i];
	if (!a) {
		fprintf(stderr, "bench-aead: unknown algorithm %s\n", name);
		return 1;
	}
	if (argc > 3)
		size = strtoul(argv[3], NULL, 0);
	/* CBC wants whole blocks; ESP pads to them. */
	if (a->auth_keylen)
		size = (size + 15) & ~(size_t)15;
	if (params) {
		printf("alg=%s enckeylen=%u authkeylen=%u ivlen=%u icvlen=%u size=%zu\n",
		       a->datapath, a->enc_keylen, a->auth_keylen, a->ivlen,
		       a->icvlen, size);
		return 0;
	}
	seconds = atof(argv[2]);

	strncpy((char *)sa.salg_name, a->kname, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0) {
		perror("bench-aead: AF_ALG socket");
		return 4;
	}
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "bench-aead: %s: %s\n", a->kname, strerror(errno));
		return 4;
	}
	keylen = build_key(a, key);
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0 ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, a->icvlen) < 0) {
		perror("bench-aead: key/authsize");
		return 1;
	}
	op = accept(tfm, NULL, NULL);
	if (op < 0) {
		perror("bench-aead: accept");
		return 1;
	}

	inlen = a->assoclen + size;
	outlen = inlen + a->icvlen;
	in = calloc(1, inlen);
	out = calloc(1, outlen);
	if (!in || !out)
		return 1;
	memset(in + a->assoclen, 0xa5, size);

	t0 = now();
	do {
		char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 16) +
			  CMSG_SPACE(4)] = { 0 };
		struct iovec iov = { .iov_base = in, .iov_len = inlen };
		struct msghdr msg = {
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		struct af_alg_iv *iv;
		struct cmsghdr *c;
		ssize_t n;

		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_OP;
		c->cmsg_len = CMSG_LEN(4);
		*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;

		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_IV;
		c->cmsg_len = CMSG_LEN(sizeof(*iv) + a->ivlen);
		iv = (struct af_alg_iv *)CMSG_DATA(c);
		iv->ivlen = a->ivlen;
		memset(iv->iv, 0, a->ivlen);
		memcpy(iv->iv, &ops, sizeof(ops) < a->ivlen ? sizeof(ops) : a->ivlen);

		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
		c->cmsg_len = CMSG_LEN(4);
		*(uint32_t *)CMSG_DATA(c) = a->assoclen;

		/* rfc4106/rfc7539esp read the IV from the end of the AD too. */
		if (a->assoclen > 8)
			memcpy(in + 8, iv->iv, 8);
		if (sendmsg(op, &msg, 0) != (ssize_t)inlen) {
			perror("bench-aead: sendmsg");
			return 1;
		}
		n = read(op, out, outlen);
		if (n != (ssize_t)outlen) {
			fprintf(stderr, "bench-aead: read %zd of %zu: %s\n", n,
				outlen, n < 0 ? strerror(errno) : "short");
			return 1;
		}
		ops++;
		t = now() - t0;
	} while (t < seconds);

	printf("{\"alg\":\"%s\",\"kernel_alg\":\"%s\",\"size\":%zu,\"ops\":%llu,"
	       "\"seconds\":%.6f,\"bytes_per_second\":%.1f}\n",
	       a->name, a->kname, size, ops, t, ops * size / t);
	return 0;
}
