/*
 * --help text shared by the plugins; see sp_help.h.
 *
 * Laid out as the Monitoring Plugins guidelines order it, within 80
 * columns: option on one line, explanation indented below.
 */
#include "config.h"

#include <stdio.h>

#include "sp_help.h"

static void
sp_help_standard(const struct sp_plugin *p)
{
	printf("Standard options:\n"
	     " -h, --help\n"
	     "    Print this help and exit.\n"
	     " -V, --version\n"
	     "    Print the plugin and libcurl versions and exit.\n"
	     " -v, --verbose\n"
	     "    More detail; up to three times. -v adds the effective\n"
	     "    thresholds to each row, -vv the URLs, HTTP status and\n"
	     "    timing of every service, -vvv headers (credentials\n"
	     "    hidden) and body excerpts.\n"
	     " --extra-opts[=[SECTION][@FILE]]\n"
	     "    Read options from an ini file section (default section:\n"
	     "    the plugin's name; default file: the Monitoring Plugins\n"
	     "    search path, NAGIOS_CONFIG_PATH first). The command line\n"
	     "    overrides the file.\n"
	     " -t, --timeout=SECONDS[:STATE]\n"
	     "    One deadline for the whole check, DNS, connect and TLS\n"
	     "    included (default 10). A service that has not answered\n"
	     "    by then gets STATE (default %s).\n",
	     p->flags & SP_PLUGIN_SERVICES ? "critical" : "unknown");
}

static void
sp_help_connection(void)
{
	puts("\nConnection:\n"
	     " -H, --hostname=HOST\n"
	     "    Sapera host; the base URL becomes https://HOST[:PORT].\n"
	     " -p, --port=PORT\n"
	     "    Port for -H.\n"
	     " --base-url=URL\n"
	     "    Base URL instead of -H/-p, e.g. http://127.0.0.1:8080.\n"
	     " --url-template=TEMPLATE\n"
	     "    Where each service answers (default\n"
	     "    {base}/{service}/api/workers/status). {service} is the\n"
	     "    lower-case service name, {Service} its display spelling.\n"
	     " --service-url=SERVICE=URL\n"
	     "    The full URL of one service; repeatable.\n"
	     " --max-body-size=SIZE\n"
	     "    Largest response accepted, e.g. 64M (default 32M).");
}

static void
sp_help_security(void)
{
	puts("\nCredentials and TLS:\n"
	     " --token-file=FILE\n"
	     "    Bearer token from the first line of FILE; else from the\n"
	     "    environment variable SAPERA_TOKEN.\n"
	     " --auth-file=FILE\n"
	     "    Basic auth, user:password on the first line of FILE.\n"
	     " --header='Name: value'\n"
	     "    An extra request header; repeatable. Values of headers\n"
	     "    whose names suggest a credential are hidden at -vvv.\n"
	     " --ca-file=FILE\n"
	     "    CA bundle to verify the services' certificates with.\n"
	     " --client-cert=FILE, --client-key=FILE\n"
	     "    Client certificate and key (PEM).\n"
	     " -k, --insecure\n"
	     "    Do not verify the peer's certificate and host name.\n"
	     " --follow-redirects\n"
	     "    Follow redirects, only to the same scheme, host and port.\n"
	     " --max-redirects=N\n"
	     "    How many redirects to follow (default 5 with\n"
	     "    --follow-redirects; 0 reports every 3xx).");
}

static void
sp_help_selection(const struct sp_plugin *p)
{
	puts("\nSelection:\n"
	     " -s, --service=NAME[,NAME...]\n"
	     "    Services to check; repeatable (default all nine:\n"
	     "    Financial, Inventory, Accounting, Actors, Communication,\n"
	     "    Pos, Reports, WebShop, Payments). Any letter case.");
	if (p->flags & SP_PLUGIN_ROWS) {
		puts(" --worker=GLOB\n"
		     "    Only workers whose display name matches; "
		     "repeatable,\n"
		     "    shell glob, any letter case.\n"
		     " --exclude-worker=GLOB\n"
		     "    Leave out matching workers; repeatable.\n"
		     " --expect-worker=SERVICE/WORKER\n"
		     "    Critical when SERVICE answers without this worker\n"
		     "    (\"expected worker missing\"); repeatable, "
		     "WORKER may\n"
		     "    be a glob.");
	}
	if (p->help) {
		p->help();
	}
}

static void
sp_help_row_thresholds(const struct sp_plugin *p)
{
	if (p->flags & SP_PLUGIN_DURATIONS) {
		puts(" -w, --warning=DURATION\n"
		     " -c, --critical=DURATION\n"
		     "    How long pending work may wait without progress\n"
		     "    before a row alerts: 90s, 15m, 1h, 2d or seconds.\n"
		     " --unknown-count-state=STATE\n"
		     "    State of a row whose run count is null or missing\n"
		     "    (default ok).");
		return;
	}
	printf(" -w, --warning=RANGE\n"
	       " -c, --critical=RANGE\n"
	       "    Run-count ranges for every row (see Notes).\n"
	       " --override=SELECTOR=WARN,CRIT\n"
	       "    Thresholds for the rows SELECTOR matches, %s\n"
	       "    with globs; the first matching --override wins, -w/-c\n"
	       "    are the fallback. An empty WARN or CRIT means none.\n"
	       "    Repeatable.\n"
	       " --some-as=N\n"
	       "    The figure a run count of \"some\" is compared as\n"
	       "    (default 1).\n"
	       " --unknown-count-state=STATE\n"
	       "    State of a row whose run count is null or missing\n"
	       "    (default ok).\n",
	       p->flags & SP_PLUGIN_TENANTS ? "SERVICE/WORKER/TENANT"
					    : "SERVICE/WORKER");
}

static void
sp_help_thresholds(const struct sp_plugin *p)
{
	puts("\nThresholds:");
	if (p->flags & SP_PLUGIN_ROWS) {
		sp_help_row_thresholds(p);
	} else {
		puts(" -w, --warning=RANGE\n"
		     " -c, --critical=RANGE\n"
		     "    Response-time ranges in seconds for every service.");
	}
	printf(" --unreachable-state=STATE\n"
	       "    State of a service that cannot be reached, answers\n"
	       "    other than 2xx or sends a body that breaks the contract\n"
	       "    (default %s).\n",
	       p->flags & SP_PLUGIN_SERVICES ? "critical" : "unknown");
}

static void
sp_help_output(const struct sp_plugin *p)
{
	printf("\nOutput:\n"
	       " --problems-only\n"
	       "    Leave OK rows out of the long output; state and perfdata\n"
	       "    stay complete.\n"
	       " --max-rows=N\n"
	       "    Show at most N rows in the long output (default: as\n"
	       "    many as fit in about 3.5 KiB, since Nagios 4 cuts longer\n"
	       "    outputs).\n"
	       " --perfdata=MODE\n"
	       "    none, totals or rows (default %s).\n",
	       p->perfdata == SP_PERFDATA_TOTALS ? "totals" : "rows");
	if (p->flags & SP_PLUGIN_ROWS) {
		puts(" --some-perfdata=MODE\n"
		     "    How a \"some\" run count is graphed: "
		     "unknown (U, the\n"
		     "    default), value (the --some-as figure) or omit.");
	}
	puts(" --output-format=FORMAT\n"
	     "    text (default) or json: one JSON document with the state,\n"
	     "    every row and every service fetch.");
}

static void
sp_help_notes(const struct sp_plugin *p)
{
	(void)p;
	puts("\nNotes:\n"
	     " A RANGE is the Monitoring Plugins syntax: 10 alerts outside\n"
	     " 0..10, 10: below 10, ~:10 above 10, 10:20 outside 10..20,\n"
	     " @10:20 inside 10..20. Ends are inclusive.\n"
	     " The overall state is the worst of all rows and services in\n"
	     " the order CRITICAL > WARNING > UNKNOWN > OK.\n"
	     " Perfdata is all on the first line; a \"some\" or unknown run\n"
	     " count is reported as U.");
}

void
sp_opts_help(const struct sp_plugin *p)
{
	printf("%s %s (%s)\n\n%s\n\n", p->name, PACKAGE_VERSION,
	       PACKAGE_NAME, p->purpose);
	sp_opts_usage(p);
	putchar('\n');
	sp_help_standard(p);
	sp_help_connection();
	sp_help_security();
	sp_help_selection(p);
	sp_help_thresholds(p);
	sp_help_output(p);
	sp_help_notes(p);
	if (p->examples) {
		printf("\nExamples:\n%s", p->examples);
	}
}
