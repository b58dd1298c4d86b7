/*
 * A bump allocator for the strings of one parsed response; see
 * sp_arena.h.
 */
#include "config.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_arena.h"

struct sp_arena_block {
	struct sp_arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

void
sp_arena_init(struct sp_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 65536;
}

void
sp_arena_free(struct sp_arena *a)
{
	struct sp_arena_block *b = a->head;

	while (b) {
		struct sp_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
}

/* Strings need no alignment; padding them would waste a tenth. */
static void *
sp_arena_get(struct sp_arena *a, size_t size, size_t align)
{
	struct sp_arena_block *b = a->head;
	size_t pad = b ? (align - b->used % align) % align : 0;
	size_t want = size + pad;
	size_t bsize;

	if (want < size) {
		return NULL;
	}
	if (!b || b->size - b->used < want) {
		want = size;
		bsize = want > a->block_size ? want : a->block_size;

		b = malloc(sizeof(*b) + bsize);
		if (!b) {
			return NULL;
		}
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	b->used += want;
	return b->data + b->used - size;
}

void *
sp_arena_alloc(struct sp_arena *a, size_t size)
{
	return sp_arena_get(a, size, alignof(max_align_t));
}

char *
sp_arena_alloc_text(struct sp_arena *a, size_t size)
{
	return sp_arena_get(a, size, 1);
}

char *
sp_arena_strndup(struct sp_arena *a, const char *s, size_t len)
{
	char *p = sp_arena_alloc_text(a, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *
sp_arena_vprintf(struct sp_arena *a, const char *fmt, va_list ap)
{
	char tmp[512];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	return sp_arena_strndup(a, tmp, strlen(tmp));
}
