// SPDX-License-Identifier: GPL-2.0
/* ESP algorithms by name; see algs.h. */
#include <stdio.h>
#include <string.h>
#include <linux/s2s.h>

#include "algs.h"
#include "util.h"

/* Lengths as module/crypto.c accepts them; the kernel stays the judge,
 * these only give an early, clearer message.
 */
static const struct s2s_alg s2s_enc_algs[] = {
	{ S2S_ENC_AES_GCM, "aes-gcm", NULL, true, false, 2, { 20, 36 },
	  "20 or 36 bytes (a 16- or 32-byte AES key followed by the 4-byte salt)" },
	{ S2S_ENC_CHACHA20_POLY1305, "chacha20-poly1305", NULL, true, false,
	  1, { 36 }, "36 bytes (the 32-byte key followed by the 4-byte salt)" },
	{ S2S_ENC_AES_CBC, "aes-cbc", NULL, false, false, 3, { 16, 24, 32 },
	  "16, 24 or 32 bytes" },
	{ S2S_ENC_DES3_CBC, "3des-cbc", "des3-cbc", false, true, 1, { 24 },
	  "24 bytes" },
};

static const struct s2s_alg s2s_integ_algs[] = {
	{ S2S_INTEG_NONE, "none", NULL, false, false, 0, { 0 }, "empty" },
	{ S2S_INTEG_HMAC_SHA1_96, "hmac-sha1-96", NULL, false, true, 1, { 20 },
	  "20 bytes" },
	{ S2S_INTEG_HMAC_SHA256_128, "hmac-sha256-128", NULL, false, false,
	  1, { 32 }, "32 bytes" },
	{ S2S_INTEG_HMAC_SHA384_192, "hmac-sha384-192", NULL, false, false,
	  1, { 48 }, "48 bytes" },
	{ S2S_INTEG_HMAC_SHA512_256, "hmac-sha512-256", NULL, false, false,
	  1, { 64 }, "64 bytes" },
};

static const struct s2s_alg *s2s_alg_by_name(const struct s2s_alg *algs,
					     size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(algs[i].name, name) ||
		    (algs[i].alias && !strcmp(algs[i].alias, name)))
			return &algs[i];
	return NULL;
}

static const struct s2s_alg *s2s_alg_by_id(const struct s2s_alg *algs,
					   size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (algs[i].id == id)
			return &algs[i];
	return NULL;
}

/**
 * s2s_enc_by_name() - an encryption algorithm by its CLI name
 * @name: e.g. "aes-gcm"; "des3-cbc" is accepted for "3des-cbc"
 *
 * Return: the algorithm or NULL.
 */
const struct s2s_alg *s2s_enc_by_name(const char *name)
{
	return s2s_alg_by_name(s2s_enc_algs, S2S_ARRAY_SIZE(s2s_enc_algs), name);
}

/**
 * s2s_enc_by_id() - an encryption algorithm by its spec value
 * @id: S2S_ENC_*
 *
 * Return: the algorithm or NULL (a newer module's value).
 */
const struct s2s_alg *s2s_enc_by_id(uint32_t id)
{
	return s2s_alg_by_id(s2s_enc_algs, S2S_ARRAY_SIZE(s2s_enc_algs), id);
}

/**
 * s2s_integ_by_name() - an integrity algorithm by its CLI name
 * @name: e.g. "hmac-sha256-128", or "none"
 *
 * Return: the algorithm or NULL.
 */
const struct s2s_alg *s2s_integ_by_name(const char *name)
{
	return s2s_alg_by_name(s2s_integ_algs, S2S_ARRAY_SIZE(s2s_integ_algs),
			       name);
}

/**
 * s2s_integ_by_id() - an integrity algorithm by its spec value
 * @id: S2S_INTEG_*
 *
 * Return: the algorithm or NULL (a newer module's value).
 */
const struct s2s_alg *s2s_integ_by_id(uint32_t id)
{
	return s2s_alg_by_id(s2s_integ_algs, S2S_ARRAY_SIZE(s2s_integ_algs), id);
}

static const char *s2s_alg_name(const struct s2s_alg *alg, const char *kind,
				uint32_t id, char *buf, size_t size)
{
	if (alg)
		return alg->name;
	snprintf(buf, size, "%s-%u", kind, id);
	return buf;
}

/**
 * s2s_enc_name() - name of an encryption algorithm for output
 * @id: S2S_ENC_*
 * @buf: used for values this helper does not know
 * @size: size of @buf; 24 bytes are enough
 *
 * Return: the name, or "enc-N" in @buf.
 */
const char *s2s_enc_name(uint32_t id, char *buf, size_t size)
{
	return s2s_alg_name(s2s_enc_by_id(id), "enc", id, buf, size);
}

/**
 * s2s_integ_name() - name of an integrity algorithm for output
 * @id: S2S_INTEG_*
 * @buf: used for values this helper does not know
 * @size: size of @buf; 24 bytes are enough
 *
 * Return: the name, or "integ-N" in @buf.
 */
const char *s2s_integ_name(uint32_t id, char *buf, size_t size)
{
	return s2s_alg_name(s2s_integ_by_id(id), "integ", id, buf, size);
}

/**
 * s2s_alg_key_ok() - whether the module takes a key of this length
 * @alg: the algorithm
 * @len: key length in bytes (AEADs: salt included)
 *
 * Return: true when @len is one of the algorithm's lengths.
 */
bool s2s_alg_key_ok(const struct s2s_alg *alg, size_t len)
{
	unsigned int i;

	for (i = 0; i < alg->n_keylens; i++)
		if (alg->keylens[i] == len)
			return true;
	return false;
}

/**
 * s2s_alg_key_error() - why a key length is wrong, for the user
 * @alg: the algorithm
 * @len: the length given
 * @buf: output, e.g. "aes-cbc needs 16, 24 or 32 bytes, not 20"
 * @size: size of @buf
 */
void s2s_alg_key_error(const struct s2s_alg *alg, size_t len, char *buf,
		       size_t size)
{
	snprintf(buf, size, "%s needs %s, not %zu", alg->name,
		 alg->keydoc, len);
}
