/*
 * What the cmocka unit tests share; see unit.h.
 */
#include "config.h"

#include "unit.h"

void
note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_error("# ");
	vprint_error(fmt, ap);
	va_end(ap);
}
