/*
 * Verbose output for -v, -vv and -vvv.
 *
 * Monitoring cores read only stdout, so diagnostics go there too.  The
 * level is tested before the arguments are evaluated, so a disabled
 * line costs one comparison.
 */
#ifndef SP_LOG_H
#define SP_LOG_H

extern int sp_verbosity;

void sp_log_print(const char *where, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sp_debug(2, "fetch", "%s: HTTP %ld", name, code) */
#define sp_debug(level, where, ...)					\
	do {								\
		if (sp_verbosity >= (level)) {				\
			sp_log_print((where), __VA_ARGS__);		\
		}							\
	} while (0)

#endif /* SP_LOG_H */
