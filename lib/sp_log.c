/*
 * Verbose output; see sp_log.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sp_log.h"
#include "sp_secret.h"

int sp_verbosity;

void
sp_log_print(const char *where, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	/* What a server sent may hold a credential it was given. */
	sp_secret_scrub_cut(line, strlen(line));
	printf("[%s] %s\n", where, line);
}
