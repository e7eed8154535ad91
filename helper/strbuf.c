// SPDX-License-Identifier: GPL-2.0
/* Appending formatted pieces to a fixed buffer. */
#include <stdarg.h>
#include <stdio.h>

#include "strbuf.h"

/**
 * s2s_strbuf_init() - start with an empty string
 * @sb: the builder
 * @buf: the buffer
 * @size: its size, at least 1
 */
void s2s_strbuf_init(struct s2s_strbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	buf[0] = '\0';
}

/**
 * s2s_strbuf_printf() - append; the text is cut at the buffer's end
 * @sb: the builder
 * @fmt: printf format
 */
void s2s_strbuf_printf(struct s2s_strbuf *sb, const char *fmt, ...)
{
	size_t room = sb->len < sb->size ? sb->size - sb->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n;
}
