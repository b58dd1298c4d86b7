/*
 * A bump allocator for the strings of one parsed response.
 *
 * A service may report hundreds of thousands of tenant names; one
 * malloc each would dominate the parse.  Blocks are chained, so
 * pointers stay valid until sp_arena_free() releases them all at once.
 */
#ifndef SP_ARENA_H
#define SP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct sp_arena_block;

struct sp_arena {
	struct sp_arena_block *head;
	size_t block_size;
};

void sp_arena_init(struct sp_arena *a, size_t block_size);
void sp_arena_free(struct sp_arena *a);

/* size bytes, aligned for any type; NULL when memory runs out. */
void *sp_arena_alloc(struct sp_arena *a, size_t size);

/* size bytes with no alignment, for text; NULL when memory runs out. */
char *sp_arena_alloc_text(struct sp_arena *a, size_t size);

/* A NUL-terminated copy of len bytes of s; NULL when memory runs out. */
char *sp_arena_strndup(struct sp_arena *a, const char *s, size_t len);

/* A formatted string of at most 511 bytes; NULL when memory runs out. */
char *sp_arena_vprintf(struct sp_arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif /* SP_ARENA_H */
