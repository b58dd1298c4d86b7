/*
 * Growable byte buffers with a hard cap; see sp_buf.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_buf.h"

#define SP_BUF_MIN_ALLOC 256

void
sp_buf_init(struct sp_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void
sp_buf_free(struct sp_buf *b)
{
	free(b->data);
	sp_buf_init(b, b->max);
}

void
sp_buf_reset(struct sp_buf *b)
{
	b->len = 0;
	if (b->data) {
		b->data[0] = '\0';
	}
}

/* Make room for need more bytes plus the terminating NUL. */
static enum sp_buf_status
sp_buf_grow(struct sp_buf *b, size_t need)
{
	size_t want;
	size_t alloc;
	char *p;

	if (need > b->max - b->len) {
		return SP_BUF_TOO_BIG;
	}
	want = b->len + need + 1;
	if (want <= b->alloc) {
		return SP_BUF_OK;
	}

	/* Doubling keeps appends linear; the cap bounds the last step. */
	alloc = b->alloc ? b->alloc : SP_BUF_MIN_ALLOC;
	while (alloc < want) {
		alloc = alloc > SIZE_MAX / 2 ? want : alloc * 2;
	}
	if (alloc > b->max + 1) {
		alloc = b->max + 1;
	}

	p = realloc(b->data, alloc);
	if (!p) {
		return SP_BUF_NOMEM;
	}
	b->data = p;
	b->alloc = alloc;
	return SP_BUF_OK;
}

enum sp_buf_status
sp_buf_reserve(struct sp_buf *b, size_t need)
{
	char *p;

	if (need > b->max - b->len) {
		return SP_BUF_TOO_BIG;
	}
	if (b->len + need + 1 <= b->alloc) {
		return SP_BUF_OK;
	}
	p = realloc(b->data, b->len + need + 1);
	if (!p) {
		return SP_BUF_NOMEM;
	}
	b->data = p;
	b->alloc = b->len + need + 1;
	return SP_BUF_OK;
}

enum sp_buf_status
sp_buf_add(struct sp_buf *b, const void *p, size_t len)
{
	enum sp_buf_status st;

	st = sp_buf_grow(b, len);
	if (st != SP_BUF_OK) {
		return st;
	}
	if (len) {
		memcpy(b->data + b->len, p, len);
	}
	b->len += len;
	b->data[b->len] = '\0';
	return SP_BUF_OK;
}

enum sp_buf_status
sp_buf_addc(struct sp_buf *b, char c)
{
	return sp_buf_add(b, &c, 1);
}

enum sp_buf_status
sp_buf_addstr(struct sp_buf *b, const char *s)
{
	return sp_buf_add(b, s, strlen(s));
}

enum sp_buf_status
sp_buf_vprintf(struct sp_buf *b, const char *fmt, va_list ap)
{
	enum sp_buf_status st;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		return SP_BUF_NOMEM;
	}

	st = sp_buf_grow(b, (size_t)n);
	if (st != SP_BUF_OK) {
		return st;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return SP_BUF_OK;
}

enum sp_buf_status
sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
{
	enum sp_buf_status st;
	va_list ap;

	va_start(ap, fmt);
	st = sp_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

const char *
sp_buf_str(const struct sp_buf *b)
{
	return b->data ? b->data : "";
}

char *
sp_buf_take(struct sp_buf *b)
{
	char *p;

	if (!b->data && sp_buf_grow(b, 0) != SP_BUF_OK) {
		return NULL;
	}
	p = b->data;
	p[b->len] = '\0';
	sp_buf_init(b, b->max);
	return p;
}
