/*
 * check_sapera_tenants - is any customer's work piling up?
 *
 * The Background tasks screen's "Show tenants" view: one row per worker
 * and tenant, or with --per-tenant one row per tenant with its backlog
 * summed over every selected worker and service.
 */
#include "config.h"

#include <stdio.h>

#include "sp_check.h"
#include "sp_opts.h"
#include "sp_plugin.h"

static void
help_tenants(void)
{
	puts(" --tenant=GLOB\n"
	     "    Only tenants whose name or domain matches; repeatable,\n"
	     "    shell glob, any letter case.\n"
	     " --exclude-tenant=GLOB\n"
	     "    Leave out matching tenants; repeatable.\n"
	     " --per-tenant\n"
	     "    One row per tenant, its run counts summed over all\n"
	     "    selected workers and services. A \"some\" in the sum makes\n"
	     "    it \"at least N\".\n"
	     " --missing-tenants-state=STATE\n"
	     "    State of a worker that sends no per-tenant figures\n"
	     "    (default ok); it is listed, never counted as zero.");
}

static void
defaults(struct sp_config *c)
{
	c->keep_tenants = true;
}

static const struct sp_plugin plugin = {
	.name = "check_sapera_tenants",
	.label = "SAPERA TENANTS",
	.flags = SP_PLUGIN_ROWS | SP_PLUGIN_TENANTS,
	.noun = "tenant rows",
	.perfdata = SP_PERFDATA_TOTALS,
	.rows = sp_check_tenant_rows,
	.defaults = defaults,
	.help = help_tenants,
	.purpose =
	"Checks the pending work of the Sapera background workers per\n"
	"tenant (customer domain), from the tenants each worker reports.\n"
	"Perfdata defaults to totals: 9 services x 40 workers x 200 tenants\n"
	"would flood a graphing backend; --perfdata rows turns rows on.",
	.examples =
	" check_sapera_tenants -H sapera.example.com -w 20 -c 100\n"
	"    Any worker's queue for any one tenant above 20 or 100.\n"
	" check_sapera_tenants -H sapera.example.com --per-tenant \\\n"
	"     -w 100 -c 500 --tenant '*.example.no'\n"
	"    The whole backlog of each Norwegian tenant.\n",
};

int
main(int argc, char **argv)
{
	return sp_plugin_run(&plugin, argc, argv);
}
