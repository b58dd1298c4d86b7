/*
 * A fixed-size set of strings, for telling labels apart in linear time.
 * The strings are not copied: they must outlive the set.
 */
#ifndef SP_STRSET_H
#define SP_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct sp_strset {
	const char **slot;
	size_t mask;
};

/* Room for up to n strings; false when memory runs out. */
bool sp_strset_init(struct sp_strset *s, size_t n);
void sp_strset_free(struct sp_strset *s);

/* Add str unless an equal one is there; true when it was added. */
bool sp_strset_add(struct sp_strset *s, const char *str);
bool sp_strset_has(const struct sp_strset *s, const char *str);

#endif /* SP_STRSET_H */
