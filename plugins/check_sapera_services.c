/*
 * check_sapera_services - are the nine Sapera services answering?
 *
 * One row per selected service: reachable, HTTP status, a body that
 * keeps the contract, response time and the number of workers.
 */
#include "config.h"

#include <stdio.h>

#include "sp_check.h"
#include "sp_opts.h"
#include "sp_plugin.h"

static void
help_services(void)
{
	puts(" --min-workers=N\n"
	     "    Warning when a service reports fewer than N workers:\n"
	     "    a worker disappeared.");
}

/* Here a service that does not answer is the problem itself. */
static void
defaults(struct sp_config *c)
{
	c->unreachable_state = SP_CRITICAL;
	c->timeout_state = SP_CRITICAL;
	c->output.service_rows = true;
}

static const struct sp_plugin plugin = {
	.name = "check_sapera_services",
	.label = "SAPERA SERVICES",
	.flags = SP_PLUGIN_SERVICES,
	.noun = "services",
	.perfdata = SP_PERFDATA_ROWS,
	.rows = sp_check_service_rows,
	.defaults = defaults,
	.help = help_services,
	.purpose =
	"Checks that the selected Sapera services answer the worker status\n"
	"API: reachable, HTTP 2xx, a body that keeps the contract, how fast\n"
	"and with how many workers. -w and -c are response-time ranges in\n"
	"seconds. A service that does not answer is CRITICAL by default;\n"
	"401 and 403 say that the credentials were rejected.",
	.examples =
	" check_sapera_services -H sapera.example.com -w 2 -c 5\n"
	"    Warn when a service takes more than 2 s, critical past 5 s.\n"
	" check_sapera_services -H sapera.example.com --min-workers 3\n"
	"    Warn when a service lists fewer than 3 workers.\n",
};

int
main(int argc, char **argv)
{
	return sp_plugin_run(&plugin, argc, argv);
}
