/*
 * One copy of each string a body repeats.  The same tenant names and
 * domains come back for every worker of a service; keeping one copy of
 * each cuts the memory of a 270,000-row answer by a third.
 *
 * Keys are byte runs that must outlive the table (a body's raw token
 * text); values are the copies the caller made.  The table grows as
 * it fills, up to a bound: past it further strings are simply not
 * interned, so a body of only distinct names costs no more than the
 * table itself.
 */
#ifndef SP_INTERN_H
#define SP_INTERN_H

#include <stdbool.h>
#include <stddef.h>

struct sp_intern_slot;

struct sp_intern {
	struct sp_intern_slot *slot;	/* NULL: interning is off */
	size_t mask;
	size_t used;
	size_t max;		/* slots the table may grow to */
};

/* Room for up to max keys (a power of two is not needed). */
void sp_intern_init(struct sp_intern *t, size_t max);
void sp_intern_free(struct sp_intern *t);

/* The value stored for the len bytes at key, or NULL. */
const char *sp_intern_get(const struct sp_intern *t, const char *key,
			  size_t len);

/* Remember value for key; false when the table is full (no harm). */
bool sp_intern_add(struct sp_intern *t, const char *key, size_t len,
		   const char *value);

#endif /* SP_INTERN_H */
