/*
 * check_sapera_workers - are Sapera's background workers keeping up?
 *
 * One row per worker of the selected services, as the Background tasks
 * screen shows them, each judged by its run count: the number of batches
 * waiting in its queue.
 */
#include "config.h"

#include "sp_check.h"
#include "sp_opts.h"
#include "sp_plugin.h"

static const struct sp_plugin plugin = {
	.name = "check_sapera_workers",
	.label = "SAPERA WORKERS",
	.flags = SP_PLUGIN_ROWS,
	.noun = "workers",
	.perfdata = SP_PERFDATA_ROWS,
	.rows = sp_check_worker_rows,
	.purpose =
	"Checks the background workers of the Sapera services (price sync,\n"
	"invoices, e-mail and SMS, stock, integrations) through the status\n"
	"API behind the Background tasks screen. Every selected service is\n"
	"fetched at the same time; each worker becomes a row whose run count\n"
	"(pending batches) is compared with the thresholds.",
	.examples =
	" check_sapera_workers -H sapera.example.com -w 50 -c 200\n"
	"    Warn at more than 50 pending batches in any worker, critical\n"
	"    at more than 200.\n"
	" check_sapera_workers --base-url http://127.0.0.1:8080 \\\n"
	"     -s Financial,WebShop -w 20 -c 100 \\\n"
	"     --override 'WebShop/*Import*=100,500'\n"
	"    Two services; import workers of WebShop get wider limits.\n"
	" check_sapera_workers -H sapera.example.com \\\n"
	"     --expect-worker Financial/SyncSalesPricesWorker\n"
	"    Critical when the price sync worker is gone from the list.\n",
};

int
main(int argc, char **argv)
{
	return sp_plugin_run(&plugin, argc, argv);
}
