/*
 * One copy of each string a body repeats; see sp_intern.h.  Open
 * addressing with linear probes, filled to half at most.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sp_intern.h"

struct sp_intern_slot {
	const char *key;	/* NULL: empty */
	const char *value;
	size_t len;
};

/*
 * Eight bytes a step, each mixed in by a multiply, the high half
 * folded down since the table takes the low bits: every tenant name
 * is hashed, so a byte at a time would show in the profile.
 */
static size_t
sp_intern_hash(const char *s, size_t len)
{
	const uint64_t mul = UINT64_C(0x9E3779B97F4A7C15);
	uint64_t h = len * mul;
	uint64_t v;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * mul;
		h ^= h >> 32;
	}
	v = 0;
	memcpy(&v, s, len);
	h = (h ^ v) * mul;
	h ^= h >> 29;
	return (size_t)h;
}

void
sp_intern_init(struct sp_intern *t, size_t max)
{
	/* Small at first: most bodies repeat a few hundred names. */
	t->mask = 255;
	t->max = 16;
	while (t->max < 2 * max) {
		t->max *= 2;
	}
	t->used = 0;
	/* Without a table every string is copied: slower, still right. */
	t->slot = calloc(t->mask + 1, sizeof(*t->slot));
}

void
sp_intern_free(struct sp_intern *t)
{
	free(t->slot);
	t->slot = NULL;
}

/* The slot holding key, or the empty one where it would go. */
static struct sp_intern_slot *
sp_intern_find(const struct sp_intern *t, const char *key, size_t len)
{
	size_t i = sp_intern_hash(key, len) & t->mask;

	while (t->slot[i].key &&
	       (t->slot[i].len != len ||
		memcmp(t->slot[i].key, key, len) != 0)) {
		i = (i + 1) & t->mask;
	}
	return &t->slot[i];
}

const char *
sp_intern_get(const struct sp_intern *t, const char *key, size_t len)
{
	if (!t->slot) {
		return NULL;
	}
	return sp_intern_find(t, key, len)->value;
}

/* Twice the slots, the same entries; false (table kept) if no memory. */
static bool
sp_intern_grow(struct sp_intern *t)
{
	size_t size = 2 * (t->mask + 1);
	struct sp_intern_slot *old = t->slot;
	size_t n = t->mask + 1;
	size_t i;

	if (size > t->max) {
		return false;
	}
	t->slot = calloc(size, sizeof(*t->slot));
	if (!t->slot) {
		t->slot = old;
		return false;
	}
	t->mask = size - 1;
	for (i = 0; i < n; i++) {
		if (old[i].key) {
			*sp_intern_find(t, old[i].key, old[i].len) = old[i];
		}
	}
	free(old);
	return true;
}

bool
sp_intern_add(struct sp_intern *t, const char *key, size_t len,
	      const char *value)
{
	struct sp_intern_slot *s;

	if (!t->slot) {
		return false;
	}
	if (2 * (t->used + 1) > t->mask + 1 && !sp_intern_grow(t)) {
		return false;
	}
	s = sp_intern_find(t, key, len);
	if (!s->key) {
		s->key = key;
		s->len = len;
		t->used++;
	}
	s->value = value;
	return true;
}
