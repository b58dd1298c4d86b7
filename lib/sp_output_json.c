/*
 * --output-format json: the whole result as one JSON document.
 *
 * Tests and scripts assert on this instead of on wording: the overall
 * state, every row with its value, effective thresholds, state and
 * reason, and every service fetch.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "sp_output.h"
#include "sp_secret.h"
#include "sp_text.h"

static void
sp_output_json_key(struct sp_buf *b, const char *key, const char *value)
{
	sp_buf_printf(b, "\"%s\":", key);
	sp_text_add_json(b, value);
}

static void
sp_output_json_count(struct sp_buf *b, const struct sp_row *r,
		     const struct sp_config *c)
{
	char num[48];

	sp_buf_addstr(b, "\"count\":");
	switch (r->count.kind) {
	case SP_COUNT_NUMBER:
		sp_buf_printf(b, "%" PRId64, r->count.value);
		break;
	case SP_COUNT_SOME:
		sp_buf_addstr(b, "\"some\"");
		break;
	default:
		sp_buf_addstr(b, "null");
		break;
	}
	sp_buf_printf(b, ",\"at_least\":%s,\"value\":",
		      r->at_least ? "true" : "false");
	if (r->count.kind == SP_COUNT_NUMBER ||
	    r->count.kind == SP_COUNT_SOME) {
		sp_range_format_number(num, sizeof(num),
				       sp_check_value(c, r));
		sp_buf_addstr(b, num);
	} else {
		sp_buf_addstr(b, "null");
	}
}

static void
sp_output_json_row(struct sp_buf *b, const struct sp_row *r,
		   const struct sp_config *c)
{
	sp_buf_addc(b, '{');
	sp_output_json_key(b, "service", sp_row_service(r));
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "worker", r->worker);
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "tenant", r->tenant);
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "tenant_name", r->tenant_name);
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "processing", r->processing);
	sp_buf_addc(b, ',');
	sp_output_json_count(b, r, c);
	sp_buf_printf(b, ",\"active\":%s,", r->active ? "true" : "false");
	sp_output_json_key(b, "warn", r->warn ? r->warn->text : NULL);
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "crit", r->crit ? r->crit->text : NULL);
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "state", sp_state_name(r->state));
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "reason", r->no_tenants
			   ? "no per-tenant figures"
			   : r->problem ? r->problem : r->why);
	sp_buf_printf(b, ",\"missing\":%s,\"no_tenants\":%s}",
		      r->missing ? "true" : "false",
		      r->no_tenants ? "true" : "false");
}

static void
sp_output_json_service(struct sp_buf *b, const struct sp_service_result *s)
{
	char url[1024];

	sp_buf_addc(b, '{');
	sp_output_json_key(b, "service", sp_service_names[s->index]);
	sp_buf_addc(b, ',');
	sp_secret_url(s->url, url, sizeof(url));
	sp_output_json_key(b, "url", url);
	sp_buf_printf(b, ",\"answered\":%s,",
		      s->answered ? "true" : "false");
	sp_output_json_key(b, "state", sp_state_name(s->state));
	sp_buf_addc(b, ',');
	sp_output_json_key(b, "reason", s->reason[0] ? s->reason : NULL);
	sp_buf_printf(b, ",\"http_status\":%ld,\"seconds\":%.6f,"
		      "\"bytes\":%zu,\"workers\":", s->http_code,
		      s->seconds, s->bytes);
	if (s->answered) {
		sp_buf_printf(b, "%zu}", s->report.nworkers);
	} else {
		sp_buf_addstr(b, "null}");
	}
}

bool
sp_output_json(struct sp_buf *out, const struct sp_check *k,
	       const struct sp_output_opts *o, const char *summary)
{
	struct sp_check_iter at;
	const struct sp_row *r;
	size_t n = 0;
	size_t i;

	sp_buf_addc(out, '{');
	sp_output_json_key(out, "plugin", o->label);
	sp_buf_addc(out, ',');
	sp_output_json_key(out, "state", sp_state_name(k->state));
	sp_buf_printf(out, ",\"exit_code\":%d,", (int)k->state);
	sp_output_json_key(out, "summary", summary);
	sp_buf_addstr(out, ",\"rows\":[");
	sp_check_iter_init(&at);
	for (r = sp_check_iter_next(k, &at); r;
	     r = sp_check_iter_next(k, &at)) {
		sp_buf_addstr(out, n++ ? ",\n" : "\n");
		sp_output_json_row(out, r, k->cfg);
	}
	sp_buf_addstr(out, "],\n\"services\":[");
	for (i = 0; i < k->nsvc; i++) {
		sp_buf_addstr(out, i ? ",\n" : "\n");
		sp_output_json_service(out, &k->svc[i]);
	}
	sp_buf_addstr(out, "]}\n");
	return out->len < out->max;
}
