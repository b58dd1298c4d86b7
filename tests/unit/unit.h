/*
 * What the cmocka unit tests share: the cmocka includes in the order it
 * needs, table helpers and a TAP comment for the row that failed.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Check every row of a case table with check(&row), which reports its
 * own failures through note(); the test fails if any row failed.
 */
#define UNIT_TABLE(table, check)					\
	do {								\
		size_t failed_ = 0;					\
		size_t i_;						\
									\
		for (i_ = 0; i_ < NELEM(table); i_++) {			\
			failed_ += !(check)(&(table)[i_]);		\
		}							\
		assert_int_equal(failed_, 0);				\
	} while (0)

/* A TAP comment on stderr naming the row that failed. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* UNIT_H */
