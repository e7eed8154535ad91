// SPDX-License-Identifier: GPL-2.0
/* Unit tests: key input from files, stdin and the command line, and
 * the wiping of every buffer key bytes pass through (keys.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "keys.h"

/* 20 bytes: an AES-128-GCM key and its salt. */
static const uint8_t KEY20[20] = {
	0x4b, 0x45, 0x59, 0x21, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
#define KEY20_HEX "4b4559210011223344556677" "8899aabbccddeeff"

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* A key struct as s2sctl has it: in secret memory. */
static int setup(void **state)
{
	*state = s2s_secret_alloc(sizeof(struct s2s_key));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	s2s_secret_free(*state, sizeof(struct s2s_key));
	return 0;
}

static char *temp_file(const char *content)
{
	char *path = strdup("/tmp/s2s-key-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

/* A pipe whose read end holds @content, as a shell gives stdin. */
static int pipe_with(const char *content)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], content, strlen(content)), (ssize_t)strlen(content));
	close(p[1]);
	return p[0];
}

static void assert_key20(const struct s2s_key *key)
{
	assert_int_equal(key->len, sizeof(KEY20));
	assert_memory_equal(key->bytes, KEY20, sizeof(KEY20));
	/* the text it came from is gone */
	assert_true(all_zero(key->text, sizeof(key->text)));
	assert_true(all_zero(key->bytes + key->len, S2S_KEY_MAX - key->len));
}

static void assert_wiped(const struct s2s_key *key)
{
	assert_true(all_zero(key, sizeof(*key)));
}

static void test_inline(void **state)
{
	struct s2s_key *key = *state;
	char err[256];

	assert_int_equal(s2s_key_load(key, "0x" KEY20_HEX, -1, err, sizeof(err)), 0);
	assert_key20(key);
	assert_int_equal(s2s_key_load(key, "0X4B4559210011223344556677"
					   "8899AABBCCDDEEFF", -1, err,
				      sizeof(err)), 0);
	assert_key20(key);
}

static void test_file(void **state)
{
	struct s2s_key *key = *state;
	char *path, src[64];
	char err[256];

	/* blanks and newlines anywhere, a 0x in front, as people write it */
	path = temp_file("  0x4b455921 00112233\n\t44556677 8899aabb\r\nccddeeff\n\n");
	snprintf(src, sizeof(src), "@%s", path);
	assert_int_equal(s2s_key_load(key, src, -1, err, sizeof(err)), 0);
	assert_key20(key);
	unlink(path);
	free(path);
	path = temp_file(KEY20_HEX);	/* no newline at all */
	snprintf(src, sizeof(src), "@%s", path);
	assert_int_equal(s2s_key_load(key, src, -1, err, sizeof(err)), 0);
	assert_key20(key);
	unlink(path);
	free(path);
}

static void test_stdin(void **state)
{
	struct s2s_key *key = *state;
	char err[256];
	int fd;

	fd = pipe_with(KEY20_HEX "\n");
	assert_int_equal(s2s_key_load(key, "-", fd, err, sizeof(err)), 0);
	close(fd);
	assert_key20(key);
}

static void test_max_length(void **state)
{
	char src[2 + 2 * S2S_KEY_MAX + 3], err[256];
	struct s2s_key *key = *state;

	memset(src, 'a', sizeof(src));
	memcpy(src, "0x", 2);
	src[2 + 2 * S2S_KEY_MAX] = '\0';	/* 64 bytes: the spec's limit */
	assert_int_equal(s2s_key_load(key, src, -1, err, sizeof(err)), 0);
	assert_int_equal(key->len, S2S_KEY_MAX);
	src[2 + 2 * S2S_KEY_MAX] = 'a';
	src[2 + 2 * S2S_KEY_MAX + 1] = 'a';	/* 65 bytes */
	src[2 + 2 * S2S_KEY_MAX + 2] = '\0';
	assert_int_equal(s2s_key_load(key, src, -1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "on the command line: 65 bytes is too long (at most 64)");
	assert_wiped(key);
}

/* Each error: -EINVAL, the exact message, and nothing left behind. */
static void load_fails(struct s2s_key *key, const char *src, int fd,
		       const char *want)
{
	char err[256];

	/* something to wipe, from an earlier success */
	assert_int_equal(s2s_key_load(key, "0x" KEY20_HEX, -1, err, sizeof(err)), 0);
	assert_int_equal(s2s_key_load(key, src, fd, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
	assert_wiped(key);
}

static void test_errors(void **state)
{
	char *path, src[64], want[128];
	char big[S2S_KEY_TEXT_MAX + 2];
	struct s2s_key *key = *state;
	int fd;

	load_fails(key, "0x4b455", -1,
		   "on the command line: odd number of hex digits (5)");
	/* the position, never the character: it could be part of a key */
	load_fails(key, "0x4b45Q9", -1,
		   "on the command line: character 7 is not a hex digit");
	load_fails(key, "0x4b 45", -1,
		   "on the command line: character 5 is not a hex digit");
	load_fails(key, "0x", -1, "on the command line: no hex digits");
	load_fails(key, KEY20_HEX, -1,
		   "must be @FILE, - (stdin) or 0x<hex digits>");
	load_fails(key, "", -1, "must be @FILE, - (stdin) or 0x<hex digits>");
	load_fails(key, "@/nonexistent/s2s-key", -1,
		   "from /nonexistent/s2s-key: No such file or directory");

	path = temp_file("0x4b4559\n21 00 1\n");
	snprintf(src, sizeof(src), "@%s", path);
	snprintf(want, sizeof(want), "from %s: odd number of hex digits (11)", path);
	load_fails(key, src, -1, want);
	unlink(path);
	free(path);

	path = temp_file("4b45 59zz\n");
	snprintf(src, sizeof(src), "@%s", path);
	snprintf(want, sizeof(want), "from %s: character 8 is not a hex digit", path);
	load_fails(key, src, -1, want);
	unlink(path);
	free(path);

	fd = pipe_with("\n\n");
	load_fails(key, "-", fd, "from stdin: no hex digits");
	close(fd);

	/* more text than any key needs: refused, not cut */
	memset(big, ' ', sizeof(big));
	memcpy(big, KEY20_HEX, strlen(KEY20_HEX));
	big[sizeof(big) - 1] = '\0';
	fd = pipe_with(big);
	load_fails(key, "-", fd, "from stdin: more than 1024 characters");
	close(fd);
}

static void test_messages_hold_no_key(void **state)
{
	struct s2s_key *key = *state;
	char err[256];

	/* a key whose last digit is wrong: nothing of it in the message */
	assert_int_equal(s2s_key_load(key, "0xdeadbeefcafe123Z", -1, err,
				      sizeof(err)), -EINVAL);
	assert_null(strstr(err, "dead"));
	assert_null(strstr(err, "cafe"));
	assert_null(strstr(err, "Z"));
	assert_string_equal(err, "on the command line: character 18 is not a hex digit");
}

static void test_wipe(void **state)
{
	struct s2s_key *key = *state;
	char err[256];

	assert_int_equal(s2s_key_load(key, "0x" KEY20_HEX, -1, err, sizeof(err)), 0);
	s2s_key_wipe(key);
	assert_wiped(key);
}

static void test_secret_memory(void **state)
{
	uint8_t *p = s2s_secret_alloc(100000);
	size_t i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < 100000; i++)
		if (p[i])
			fail_msg("byte %zu of fresh secret memory is not zero", i);
	memset(p, 0xa5, 100000);
	s2s_secret_free(p, 100000);
	s2s_secret_free(NULL, 10);	/* like free(NULL) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages_hold_no_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wipe, setup, teardown),
		cmocka_unit_test(test_secret_memory),
	};

	return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
