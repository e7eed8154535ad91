/* SPDX-License-Identifier: GPL-2.0 */
/* ESP algorithms by name: the CLI's words for enum s2s_enc and enum
 * s2s_integ of the spec, the key lengths the module accepts, and which
 * ones are kept for legacy peers only.
 */
#ifndef S2S_HELPER_ALGS_H
#define S2S_HELPER_ALGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define S2S_ALG_KEYLENS_MAX	3

/**
 * struct s2s_alg - one encryption or integrity algorithm
 * @id: S2S_ENC_* or S2S_INTEG_*
 * @name: what the CLI reads and prints
 * @alias: another accepted spelling, or NULL
 * @aead: encryption with its own integrity (takes no integ)
 * @legacy: kept for old peers only: using it prints a warning
 * @n_keylens: entries used in @keylens (0: takes no key)
 * @keylens: accepted key lengths in bytes (AEADs: salt included)
 * @keydoc: the accepted lengths, for error messages
 */
struct s2s_alg {
	uint32_t id;
	const char *name;
	const char *alias;
	bool aead;
	bool legacy;
	unsigned int n_keylens;
	uint8_t keylens[S2S_ALG_KEYLENS_MAX];
	const char *keydoc;
};

const struct s2s_alg *s2s_enc_by_name(const char *name);
const struct s2s_alg *s2s_enc_by_id(uint32_t id);
const struct s2s_alg *s2s_integ_by_name(const char *name);
const struct s2s_alg *s2s_integ_by_id(uint32_t id);
const char *s2s_enc_name(uint32_t id, char *buf, size_t size);
const char *s2s_integ_name(uint32_t id, char *buf, size_t size);
bool s2s_alg_key_ok(const struct s2s_alg *alg, size_t len);
void s2s_alg_key_error(const struct s2s_alg *alg, size_t len, char *buf,
		       size_t size);

#endif /* S2S_HELPER_ALGS_H */
