// SPDX-License-Identifier: GPL-2.0
/* Key input and memory for key bytes; see keys.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "args.h"
#include "keys.h"

/**
 * s2s_secret_alloc() - zeroed memory for key material
 * @size: bytes
 *
 * Pages of its own (so unlocking it never unlocks a neighbour), locked
 * against swap when RLIMIT_MEMLOCK allows, and left out of core dumps.
 *
 * Return: the memory, or NULL.
 */
void *s2s_secret_alloc(size_t size)
{
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, size, MADV_DONTDUMP);
	(void)mlock(p, size);
	return p;
}

/**
 * s2s_secret_free() - wipe and release s2s_secret_alloc() memory
 * @p: the memory, or NULL
 * @size: the size it was allocated with
 */
void s2s_secret_free(void *p, size_t size)
{
	if (!p)
		return;
	explicit_bzero(p, size);
	(void)munlock(p, size);
	munmap(p, size);
}

/**
 * s2s_key_wipe() - forget a key and any text it came from
 * @key: the key
 */
void s2s_key_wipe(struct s2s_key *key)
{
	explicit_bzero(key, sizeof(*key));
}

static bool s2s_key_blank(char c)
{
	return isspace((unsigned char)c);
}

/* Skip blanks (when allowed) and one "0x" in front of the digits. */
static size_t s2s_key_hex_start(const char *text, size_t len, bool blanks)
{
	size_t i = 0;

	while (blanks && i < len && s2s_key_blank(text[i]))
		i++;
	if (i + 1 < len && text[i] == '0' && (text[i + 1] == 'x' ||
					      text[i + 1] == 'X'))
		i += 2;
	return i;
}

/**
 * s2s_key_from_hex() - decode hex text into @key
 * @key: receives the bytes; wiped on error
 * @text: hex digits, optionally after "0x"
 * @len: length of @text
 * @blanks: spaces, tabs and newlines may appear anywhere
 * @err: why it failed; never holds a key character
 * @size: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int s2s_key_from_hex(struct s2s_key *key, const char *text, size_t len,
		     bool blanks, char *err, size_t size)
{
	size_t i, start, digits = 0;
	int hi = -1, d;

	key->len = 0;
	start = s2s_key_hex_start(text, len, blanks);
	for (i = start; i < len; i++) {
		if (blanks && s2s_key_blank(text[i]))
			continue;
		if (s2s_hex_digit(text[i]) < 0) {
			snprintf(err, size, "character %zu is not a hex digit",
				 i + 1);
			goto err;
		}
		digits++;
	}
	if (!digits) {
		snprintf(err, size, "no hex digits");
		goto err;
	}
	if (digits % 2) {
		snprintf(err, size, "odd number of hex digits (%zu)", digits);
		goto err;
	}
	if (digits / 2 > S2S_KEY_MAX) {
		snprintf(err, size, "%zu bytes is too long (at most %d)",
			 digits / 2, S2S_KEY_MAX);
		goto err;
	}
	for (i = start; i < len; i++) {
		d = s2s_hex_digit(text[i]);
		if (d < 0)
			continue;
		if (hi < 0) {
			hi = d;
		} else {
			key->bytes[key->len++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	return 0;
err:
	s2s_key_wipe(key);
	return -EINVAL;
}

/* Read all of @fd into key->text; more than fits is an error. */
static int s2s_key_read_fd(struct s2s_key *key, int fd, size_t *len)
{
	char extra;
	ssize_t n;

	*len = 0;
	while (*len < sizeof(key->text)) {
		n = read(fd, key->text + *len, sizeof(key->text) - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
	do
		n = read(fd, &extra, 1);
	while (n < 0 && errno == EINTR);
	explicit_bzero(&extra, sizeof(extra));
	return n == 0 ? 0 : -EFBIG;
}

static int s2s_key_load_fd(struct s2s_key *key, int fd, const char *from,
			   char *err, size_t size)
{
	char why[160];
	size_t len;
	int ret;

	ret = s2s_key_read_fd(key, fd, &len);
	if (ret == -EFBIG)
		snprintf(err, size, "%s: more than %d characters", from,
			 S2S_KEY_TEXT_MAX);
	else if (ret)
		snprintf(err, size, "%s: %s", from, strerror(-ret));
	if (!ret) {
		ret = s2s_key_from_hex(key, key->text, len, true, why,
				       sizeof(why));
		if (ret)
			snprintf(err, size, "%s: %s", from, why);
	}
	/* the decoded bytes are all we keep */
	explicit_bzero(key->text, sizeof(key->text));
	if (ret)
		s2s_key_wipe(key);
	return ret;
}

/**
 * s2s_key_load() - read a key from its source
 * @key: receives the key; wiped on error, its text always wiped
 * @src: "@FILE", "-" or "0x<hex>"
 * @stdin_fd: what "-" reads (STDIN_FILENO, or a pipe in tests)
 * @err: why it failed, e.g. "from /etc/k: odd number of hex digits
 *	(39)"; never holds a key character
 * @size: size of @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int s2s_key_load(struct s2s_key *key, const char *src, int stdin_fd,
		 char *err, size_t size)
{
	char from[128], why[160];
	int fd, ret;

	s2s_key_wipe(key);
	if (!strcmp(src, "-"))
		return s2s_key_load_fd(key, stdin_fd, "from stdin", err, size) ?
		       -EINVAL : 0;
	if (src[0] == '@') {
		snprintf(from, sizeof(from), "from %s", src + 1);
		fd = open(src + 1, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			snprintf(err, size, "%s: %s", from, strerror(errno));
			return -EINVAL;
		}
		ret = s2s_key_load_fd(key, fd, from, err, size);
		close(fd);
		return ret ? -EINVAL : 0;
	}
	if (src[0] == '0' && (src[1] == 'x' || src[1] == 'X')) {
		if (s2s_key_from_hex(key, src, strlen(src), false, why,
				     sizeof(why))) {
			snprintf(err, size, "on the command line: %s", why);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, size, "must be @FILE, - (stdin) or 0x<hex digits>");
	return -EINVAL;
}
