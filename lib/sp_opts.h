/*
 * Command-line options shared by every check_sapera_* plugin.
 *
 * Each plugin describes itself in a struct sp_plugin; sp_opts_parse()
 * handles the common options, hands the plugin's own ones to its
 * callback, validates everything and prints --help, --version and
 * usage errors.
 */
#ifndef SP_OPTS_H
#define SP_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "sp_config.h"

/* Long-only options get numbers from here on. */
enum {
	SP_OPT_BASE_URL = 256,
	SP_OPT_URL_TEMPLATE,
	SP_OPT_SERVICE_URL,
	SP_OPT_WORKER,
	SP_OPT_EXCLUDE_WORKER,
	SP_OPT_OVERRIDE,
	SP_OPT_SOME_AS,
	SP_OPT_UNREACHABLE_STATE,
	SP_OPT_UNKNOWN_COUNT_STATE,
	SP_OPT_MAX_BODY_SIZE,
	SP_OPT_PLUGIN = 512	/* a plugin's own options start here */
};

/* What a plugin reads beyond the worker rows. */
#define SP_PLUGIN_TENANTS 0x1	/* tenant selectors and options */

struct sp_plugin {
	const char *name;	/* "check_sapera_workers" */
	unsigned flags;		/* SP_PLUGIN_* */
	const char *label;	/* status prefix, "SAPERA WORKERS" */
	const char *purpose;	/* one paragraph for --help */
	const struct option *options;	/* extra, {0}-terminated, or NULL */
	/* Handle an extra option; false with err filled in rejects it. */
	bool (*option)(int opt, const char *arg, struct sp_config *c,
		       char *err, size_t errlen);
	void (*help)(void);	/* the plugin's own option text, or NULL */
	const char *examples;	/* for --help */
};

/*
 * Parse argv into c.  Returns -1 when the check should run, otherwise
 * the exit code after --help, --version or a usage error was printed.
 */
int sp_opts_parse(const struct sp_plugin *p, struct sp_config *c, int argc,
		  char **argv);

/* The synopsis, for usage errors and --help. */
void sp_opts_usage(const struct sp_plugin *p);

#endif /* SP_OPTS_H */
