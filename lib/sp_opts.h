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

struct sp_check;

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
	SP_OPT_PROBLEMS_ONLY,
	SP_OPT_MAX_ROWS,
	SP_OPT_SOME_PERFDATA,
	SP_OPT_PERFDATA,
	SP_OPT_OUTPUT_FORMAT,
	SP_OPT_EXPECT_WORKER,
	SP_OPT_TENANT,
	SP_OPT_EXCLUDE_TENANT,
	SP_OPT_PER_TENANT,
	SP_OPT_MISSING_TENANTS_STATE,
	SP_OPT_MIN_WORKERS,
	SP_OPT_TOKEN_FILE,
	SP_OPT_AUTH_FILE,
	SP_OPT_HEADER,
	SP_OPT_CLIENT_CERT,
	SP_OPT_CLIENT_KEY,
	SP_OPT_CA_FILE,
	SP_OPT_FOLLOW_REDIRECTS,
	SP_OPT_MAX_REDIRECTS,
	SP_OPT_PLUGIN = 512	/* a plugin's own options start here */
};

/* What a plugin judges; decides which common options it takes. */
#define SP_PLUGIN_ROWS 0x1	/* worker (or tenant) rows by run count */
#define SP_PLUGIN_TENANTS 0x2	/* tenant selectors and options */
#define SP_PLUGIN_SERVICES 0x4	/* services by response time */
#define SP_PLUGIN_DURATIONS 0x8	/* -w/-c are durations: 15m, 1h */

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
	/* Options that only make sense together; false with err. */
	bool (*validate)(const struct sp_config *c, char *err,
			 size_t errlen);
	const char *examples;	/* for --help */

	/* What sp_plugin_run() needs: output defaults and the rows. */
	const char *noun;	/* "workers": what the rows are */
	enum sp_perfdata_mode perfdata;	/* default --perfdata */
	bool (*rows)(struct sp_check *k);	/* build rows; false: no mem */
	void (*defaults)(struct sp_config *c);	/* other defaults, or NULL */
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
