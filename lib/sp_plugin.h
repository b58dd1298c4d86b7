/*
 * The frame every plugin's main() uses: a hard deadline, and printing
 * the result.
 */
#ifndef SP_PLUGIN_H
#define SP_PLUGIN_H

#include "sp_check.h"
#include "sp_opts.h"

/*
 * The whole plugin: parse options, fetch, build and judge rows, print.
 * Returns the exit code.
 */
int sp_plugin_run(const struct sp_plugin *p, int argc, char **argv);

/*
 * Arm a last-resort alarm a little after the -t deadline.  libcurl's
 * own timeouts should always fire first; this catches anything that
 * does not, and exits with the timeout state.
 */
void sp_plugin_deadline(const struct sp_plugin *p,
			const struct sp_config *c);

/* Print the result of k to stdout; returns the exit code. */
int sp_plugin_print(const struct sp_check *k, const struct sp_config *c);

/* Print "LABEL UNKNOWN - reason" for an internal failure; returns 3. */
int sp_plugin_fail(const char *label, const char *reason);

#endif /* SP_PLUGIN_H */
