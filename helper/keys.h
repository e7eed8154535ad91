/* SPDX-License-Identifier: GPL-2.0 */
/* Key input for manual SAs, and memory fit to hold key bytes.
 *
 * A key source is "@FILE" (hex text, blanks and newlines allowed), "-"
 * (the same from standard input) or "0x<hex>" on the command line (as
 * ip-xfrm(8) takes it; other users can read it in the process list).
 * Key bytes and the text they came from live only in struct s2s_key,
 * which belongs in s2s_secret_alloc() memory: locked, kept out of core
 * dumps, wiped when freed. They are never printed; error messages give
 * positions and counts, never a key character.
 */
#ifndef S2S_HELPER_KEYS_H
#define S2S_HELPER_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The spec's max-len of enc-key and integ-key. */
#define S2S_KEY_MAX		64
/* Hex text read from a file or stdin: 128 digits and generous blanks. */
#define S2S_KEY_TEXT_MAX	1024

/**
 * struct s2s_key - one key and the scratch space its text is read into
 * @len: key bytes in @bytes; 0 while unset
 * @bytes: the key
 * @text: the hex text from a file or stdin; wiped once decoded
 */
struct s2s_key {
	size_t len;
	uint8_t bytes[S2S_KEY_MAX];
	char text[S2S_KEY_TEXT_MAX];
};

void *s2s_secret_alloc(size_t size);
void s2s_secret_free(void *p, size_t size);
int s2s_key_from_hex(struct s2s_key *key, const char *text, size_t len,
		     bool blanks, char *err, size_t size);
int s2s_key_load(struct s2s_key *key, const char *src, int stdin_fd,
		 char *err, size_t size);
void s2s_key_wipe(struct s2s_key *key);

#endif /* S2S_HELPER_KEYS_H */
