/*
 * Verbose output; see sp_log.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "sp_log.h"

int sp_verbosity;

void
sp_log_print(const char *where, const char *fmt, ...)
{
	va_list ap;

	printf("[%s] ", where);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}
