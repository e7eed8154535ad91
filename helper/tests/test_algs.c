// SPDX-License-Identifier: GPL-2.0
/* Unit tests: algorithm names, spec values, key lengths (algs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/s2s.h>

#include "algs.h"

static void test_enc_names(void **state)
{
	static const struct {
		const char *name;
		uint32_t id;
		bool aead, legacy;
	} cases[] = {
		{ "aes-gcm", S2S_ENC_AES_GCM, true, false },
		{ "chacha20-poly1305", S2S_ENC_CHACHA20_POLY1305, true, false },
		{ "aes-cbc", S2S_ENC_AES_CBC, false, false },
		{ "3des-cbc", S2S_ENC_DES3_CBC, false, true },
	};
	const struct s2s_alg *alg;
	char buf[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		alg = s2s_enc_by_name(cases[i].name);
		assert_non_null(alg);
		assert_int_equal(alg->id, cases[i].id);
		assert_int_equal(alg->aead, cases[i].aead);
		assert_int_equal(alg->legacy, cases[i].legacy);
		assert_ptr_equal(s2s_enc_by_id(cases[i].id), alg);
		assert_string_equal(s2s_enc_name(cases[i].id, buf, sizeof(buf)),
				    cases[i].name);
	}
	/* the spec's spelling of 3DES is accepted, printed the usual way */
	assert_ptr_equal(s2s_enc_by_name("des3-cbc"),
			 s2s_enc_by_name("3des-cbc"));
}

static void test_integ_names(void **state)
{
	static const struct {
		const char *name;
		uint32_t id;
		bool legacy;
	} cases[] = {
		{ "none", S2S_INTEG_NONE, false },
		{ "hmac-sha1-96", S2S_INTEG_HMAC_SHA1_96, true },
		{ "hmac-sha256-128", S2S_INTEG_HMAC_SHA256_128, false },
		{ "hmac-sha384-192", S2S_INTEG_HMAC_SHA384_192, false },
		{ "hmac-sha512-256", S2S_INTEG_HMAC_SHA512_256, false },
	};
	const struct s2s_alg *alg;
	char buf[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		alg = s2s_integ_by_name(cases[i].name);
		assert_non_null(alg);
		assert_int_equal(alg->id, cases[i].id);
		assert_int_equal(alg->legacy, cases[i].legacy);
		assert_false(alg->aead);
		assert_ptr_equal(s2s_integ_by_id(cases[i].id), alg);
		assert_string_equal(s2s_integ_name(cases[i].id, buf, sizeof(buf)),
				    cases[i].name);
	}
}

static void test_unknown(void **state)
{
	char buf[24];

	(void)state;
	assert_null(s2s_enc_by_name("aes-gcm-128"));
	assert_null(s2s_enc_by_name("AES-GCM"));
	assert_null(s2s_enc_by_name(""));
	assert_null(s2s_integ_by_name("hmac-sha256"));
	assert_null(s2s_enc_by_id(__S2S_ENC_COUNT));
	assert_null(s2s_integ_by_id(__S2S_INTEG_COUNT));
	/* a newer module's value still prints as something */
	assert_string_equal(s2s_enc_name(9, buf, sizeof(buf)), "enc-9");
	assert_string_equal(s2s_integ_name(77, buf, sizeof(buf)), "integ-77");
}

/* Every value of the spec's enums has a name: a new one in the uapi
 * header without a row here fails.
 */
static void test_spec_complete(void **state)
{
	uint32_t i;

	(void)state;
	for (i = 0; i < __S2S_ENC_COUNT; i++)
		assert_non_null(s2s_enc_by_id(i));
	for (i = 0; i < __S2S_INTEG_COUNT; i++)
		assert_non_null(s2s_integ_by_id(i));
}

static void test_key_lengths(void **state)
{
	const struct s2s_alg *chacha = s2s_enc_by_name("chacha20-poly1305");
	const struct s2s_alg *des3 = s2s_enc_by_name("3des-cbc");
	const struct s2s_alg *gcm = s2s_enc_by_name("aes-gcm");
	const struct s2s_alg *cbc = s2s_enc_by_name("aes-cbc");
	char why[160];
	size_t len;

	(void)state;
	/* AEADs: key + 4-byte salt, as ip xfrm's rfc4106 key */
	for (len = 0; len <= 64; len++) {
		assert_int_equal(s2s_alg_key_ok(gcm, len), len == 20 || len == 36);
		assert_int_equal(s2s_alg_key_ok(chacha, len), len == 36);
		assert_int_equal(s2s_alg_key_ok(cbc, len),
				 len == 16 || len == 24 || len == 32);
		assert_int_equal(s2s_alg_key_ok(des3, len), len == 24);
	}
	assert_true(s2s_alg_key_ok(s2s_integ_by_name("hmac-sha1-96"), 20));
	assert_true(s2s_alg_key_ok(s2s_integ_by_name("hmac-sha256-128"), 32));
	assert_true(s2s_alg_key_ok(s2s_integ_by_name("hmac-sha384-192"), 48));
	assert_true(s2s_alg_key_ok(s2s_integ_by_name("hmac-sha512-256"), 64));
	assert_false(s2s_alg_key_ok(s2s_integ_by_name("hmac-sha256-128"), 16));
	assert_false(s2s_alg_key_ok(s2s_integ_by_name("none"), 0));

	s2s_alg_key_error(gcm, 16, why, sizeof(why));
	assert_string_equal(why, "aes-gcm needs 20 or 36 bytes (a 16- or 32-byte AES key followed by the 4-byte salt), not 16");
	s2s_alg_key_error(s2s_integ_by_name("hmac-sha512-256"), 32, why,
			  sizeof(why));
	assert_string_equal(why, "hmac-sha512-256 needs 64 bytes, not 32");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enc_names),
		cmocka_unit_test(test_integ_names),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_spec_complete),
		cmocka_unit_test(test_key_lengths),
	};

	return cmocka_run_group_tests_name("algs", tests, NULL, NULL);
}
