/*
 * Fuzz target: a response body through the whole path a plugin takes,
 * from JSON check and contract reading to rows, thresholds and both
 * output formats.
 *
 * Besides crashes and sanitizer reports it checks the output's promises:
 * the status line holds no line break from the data and the text output
 * has exactly one '|', on its first line; and that a report read without
 * keeping its tenants says the same of every worker as one that keeps
 * them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sp_check.h"
#include "sp_output.h"
#include "sp_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless text has one '|', before the first line break. */
static void
fuzz_check_text(const char *text)
{
	const char *bar = strchr(text, '|');
	const char *nl = strchr(text, '\n');

	if (!bar || !nl || bar > nl || strchr(bar + 1, '|')) {
		abort();
	}
}

static bool
fuzz_same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Abort unless reading without tenants gives the workers of kept. */
static void
fuzz_check_summed(const uint8_t *data, size_t size,
		  const struct sp_report *kept)
{
	struct sp_report r;
	char err[256];
	size_t i;

	if (sp_report_parse(&r, (const char *)data, size, 0, err,
			    sizeof(err)) != SP_REPORT_OK) {
		if (kept) {
			abort();
		}
		return;
	}
	if (!kept || r.nworkers != kept->nworkers ||
	    r.ntenants != kept->ntenants) {
		abort();
	}
	for (i = 0; i < r.nworkers; i++) {
		const struct sp_worker *a = &r.workers[i];
		const struct sp_worker *b = &kept->workers[i];

		if (!fuzz_same_text(a->name, b->name) ||
		    !fuzz_same_text(a->problem, b->problem) ||
		    !fuzz_same_text(a->processing, b->processing) ||
		    a->count.kind != b->count.kind ||
		    a->count.value != b->count.value ||
		    a->has_tenants != b->has_tenants || a->tenants) {
			abort();
		}
	}
	sp_report_free(&r);
}

static void
fuzz_output(struct sp_check *k, struct sp_config *c, bool json)
{
	struct sp_buf out;

	c->output.json = json;
	sp_buf_init(&out, (size_t)1 << 28);
	if (!sp_output_format(&out, k, &c->output)) {
		abort();
	}
	if (!json) {
		fuzz_check_text(sp_buf_str(&out));
	}
	sp_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_config c;
	struct sp_check k;
	char err[256];

	sp_config_init(&c, "fuzz");
	c.output.label = "FUZZ";
	c.output.noun = "workers";
	c.has_warn = sp_range_parse(&c.warn, "5", err, sizeof(err)) == 0;
	memset(&k, 0, sizeof(k));
	k.cfg = &c;
	k.nsvc = 1;
	k.svc[0].url = strdup("http://fuzz/");
	if (sp_report_parse(&k.svc[0].report, (const char *)data, size,
			    SP_REPORT_TENANTS, err, sizeof(err)) ==
	    SP_REPORT_OK) {
		k.svc[0].answered = true;
	}
	fuzz_check_summed(data, size,
			  k.svc[0].answered ? &k.svc[0].report : NULL);

	/* Worker rows, then tenant rows summed per tenant. */
	if (sp_check_worker_rows(&k)) {
		sp_check_finish(&k);
		fuzz_output(&k, &c, false);
		fuzz_output(&k, &c, true);
	}
	free(k.rows);
	k.rows = NULL;
	k.nrows = k.arows = 0;
	c.per_tenant = size % 2 == 0;
	if (sp_check_tenant_rows(&k)) {
		sp_check_finish(&k);
		fuzz_output(&k, &c, false);
	}
	sp_check_free(&k);
	sp_config_free(&c);
	return 0;
}
