/* SPDX-License-Identifier: GPL-2.0 */
/* Appending formatted pieces to a fixed buffer, for one-line descriptions
 * whose fields are optional.
 */
#ifndef S2S_HELPER_STRBUF_H
#define S2S_HELPER_STRBUF_H

#include <stddef.h>

/**
 * struct s2s_strbuf - a buffer being appended to
 * @buf: the buffer, always NUL-terminated
 * @size: its size
 * @len: length the text would have without truncation (snprintf-like)
 */
struct s2s_strbuf {
	char *buf;
	size_t size;
	size_t len;
};

void s2s_strbuf_init(struct s2s_strbuf *sb, char *buf, size_t size);
void s2s_strbuf_printf(struct s2s_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* S2S_HELPER_STRBUF_H */
