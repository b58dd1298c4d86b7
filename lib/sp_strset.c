/*
 * A fixed-size set of strings; see sp_strset.h.  Open addressing with
 * at most half the slots used, so probes stay short.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sp_strset.h"

static size_t
sp_strset_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return (size_t)h;
}

bool
sp_strset_init(struct sp_strset *s, size_t n)
{
	size_t size = 16;

	while (size < 2 * n + 16) {
		size *= 2;
	}
	s->slot = calloc(size, sizeof(*s->slot));
	s->mask = size - 1;
	return s->slot != NULL;
}

void
sp_strset_free(struct sp_strset *s)
{
	free(s->slot);
	s->slot = NULL;
}

/* The slot holding str, or the empty slot where it would go. */
static size_t
sp_strset_find(const struct sp_strset *s, const char *str)
{
	size_t i = sp_strset_hash(str) & s->mask;

	while (s->slot[i] && strcmp(s->slot[i], str) != 0) {
		i = (i + 1) & s->mask;
	}
	return i;
}

bool
sp_strset_add(struct sp_strset *s, const char *str)
{
	size_t i = sp_strset_find(s, str);

	if (s->slot[i]) {
		return false;
	}
	s->slot[i] = str;
	return true;
}

bool
sp_strset_has(const struct sp_strset *s, const char *str)
{
	return s->slot[sp_strset_find(s, str)] != NULL;
}
