/*
 * One check run; see sp_check.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_buf.h"
#include "sp_check.h"
#include "sp_fetch.h"
#include "sp_json.h"
#include "sp_log.h"
#include "sp_secret.h"
#include "sp_text.h"

/* Bytes of a body shown at -vvv. */
#define SP_CHECK_EXCERPT 300

/*
 * ": message" of string token i, decoded so that "\u00e5" shows as
 * the letter it is (the output cleans what is not printable) and cut
 * to 80 bytes.  Servers quote credentials back in such texts: they are
 * starred before the cut can hide the rest of one.
 */
static void
sp_check_quote(const struct sp_json *j, int i, char *out, size_t outlen)
{
	char text[256];
	size_t len;
	const char *raw = sp_json_raw(j, i, &len);

	if (len < sizeof(text)) {
		len = sp_json_unescape(raw, len, text);
	} else {
		len = sizeof(text) - 1;
		memcpy(text, raw, len);
		text[len] = '\0';
	}
	len = len > 80 ? 80 : len;
	sp_secret_scrub_cut(text, len);
	snprintf(out, outlen, ": %.*s", (int)len, text);
}

/* An error text from a JSON error body, as many APIs send with 4xx/5xx. */
static void
sp_check_error_text(const struct sp_buf *body, char *out, size_t outlen)
{
	static const char *const keys[] = {
		"message", "error", "title", "detail", "errorMessage",
	};
	struct sp_json j;
	char err[128];
	size_t k;

	out[0] = '\0';
	if (sp_json_parse(&j, sp_buf_str(body), body->len, err, sizeof(err))) {
		return;
	}
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		int i = sp_json_get(&j, 0, keys[k]);

		if (i >= 0 && j.tok[i].type == JSMN_STRING) {
			sp_check_quote(&j, i, out, outlen);
			break;
		}
	}
	sp_json_free(&j);
}

static bool
sp_check_is_html(const struct sp_fetch *f)
{
	const char *s = sp_buf_str(&f->body);

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
		s++;
	}
	return strstr(f->content_type, "html") || *s == '<';
}

/* Why a response with an HTTP status is no report, or "" if it is one. */
static void
sp_check_http(struct sp_service_result *s, const struct sp_fetch *f)
{
	char detail[96];

	if (f->http_code >= 300 && f->http_code < 400) {
		snprintf(s->reason, sizeof(s->reason),
			 "HTTP %ld redirect to %.180s (not followed)",
			 f->http_code, f->location[0] ? f->location_shown
						      : "nowhere");
	} else if (f->http_code == 401 || f->http_code == 403) {
		sp_check_error_text(&f->body, detail, sizeof(detail));
		snprintf(s->reason, sizeof(s->reason),
			 "HTTP %ld: credentials rejected%s", f->http_code,
			 detail);
	} else if (f->http_code < 200 || f->http_code >= 300) {
		sp_check_error_text(&f->body, detail, sizeof(detail));
		snprintf(s->reason, sizeof(s->reason), "HTTP %ld%s",
			 f->http_code, detail);
	} else if (sp_check_is_html(f)) {
		snprintf(s->reason, sizeof(s->reason),
			 "HTTP %ld with an HTML page instead of JSON",
			 f->http_code);
	}
}

/* Read the body of a 2xx answer into s->report. */
static void
sp_check_read(struct sp_service_result *s, const struct sp_fetch *f,
	      bool keep_tenants, struct sp_json_tokens *tokens)
{
	const char *name = sp_service_names[s->index];
	unsigned flags = keep_tenants ? SP_REPORT_TENANTS : 0;
	char err[200];

	if (sp_report_parse_with(&s->report, sp_buf_str(&f->body),
				 f->body.len, flags, tokens, err,
				 sizeof(err)) != SP_REPORT_OK) {
		snprintf(s->reason, sizeof(s->reason), "invalid body: %s",
			 err);
		return;
	}
	/* A proxy routing to the wrong service must not pass unnoticed. */
	if (s->report.service && !sp_text_iequal(s->report.service, name)) {
		snprintf(s->reason, sizeof(s->reason), "answered as service "
			 "'%.60s'", s->report.service);
		sp_report_free(&s->report);
		return;
	}
	s->answered = true;
	sp_debug(2, name, "%zu workers, %zu tenant entries",
		 s->report.nworkers, s->report.ntenants);
}

/* Show the start of a body at -vvv, made safe for a terminal. */
static void
sp_check_trace_body(const char *name, const struct sp_buf *body)
{
	struct sp_buf out;
	char head[SP_CHECK_EXCERPT + 1];
	size_t n = body->len < SP_CHECK_EXCERPT ? body->len : SP_CHECK_EXCERPT;

	memcpy(head, sp_buf_str(body), n);
	head[n] = '\0';
	sp_buf_init(&out, 4 * SP_CHECK_EXCERPT);
	sp_text_add_clean(&out, head, 3 * SP_CHECK_EXCERPT);
	sp_log_print(name, "body (%zu bytes)%s: %s", body->len,
		     body->len > n ? ", start" : "", sp_buf_str(&out));
	sp_buf_free(&out);
}

/* Called as each transfer completes: judge it, parse it, drop the body. */
static void
sp_check_done(struct sp_fetch *f, size_t index, void *ctx)
{
	struct sp_check *k = ctx;
	struct sp_service_result *s = &k->svc[index];
	const char *name = sp_service_names[s->index];

	s->http_code = f->http_code;
	s->seconds = f->seconds;
	s->bytes = f->body.len;
	sp_debug(2, name, "%s: HTTP %ld, %zu bytes in %.3f s",
		 f->status == SP_FETCH_OK ? "done" : f->reason, f->http_code,
		 f->body.len, f->seconds);
	if (sp_verbosity >= 3 && f->body.len) {
		sp_check_trace_body(name, &f->body);
	}

	if (f->status == SP_FETCH_OK) {
		sp_check_http(s, f);
		if (!s->reason[0]) {
			sp_check_read(s, f, k->cfg->keep_tenants, k->tokens);
		}
	} else {
		snprintf(s->reason, sizeof(s->reason), "%s", f->reason);
	}
	if (!s->answered) {
		s->state = f->status == SP_FETCH_TIMEOUT
				   ? k->cfg->timeout_state
				   : k->cfg->unreachable_state;
	}
	sp_fetch_free(f);
}

enum sp_check_status
sp_check_fetch(struct sp_check *k, const struct sp_config *c, char *err,
	       size_t errlen)
{
	struct sp_fetch f[SP_NSERVICES];
	struct sp_json_tokens tokens = { NULL, 0 };
	enum sp_check_status st = SP_CHECK_ERROR;
	size_t n = 0;
	int i;

	memset(k, 0, sizeof(*k));
	memset(f, 0, sizeof(f));
	k->cfg = c;
	k->tokens = &tokens;
	sp_arena_init(&k->arena, 0);
	for (i = 0; i < SP_NSERVICES; i++) {
		if (!c->service[i]) {
			continue;
		}
		k->svc[n].index = i;
		k->svc[n].url = sp_config_url(c, i, err, errlen);
		if (!k->svc[n].url) {
			goto out;
		}
		f[n].url = k->svc[n].url;
		f[n].name = sp_service_names[i];
		n++;
	}
	k->nsvc = n;
	if (sp_fetch_run(f, n, &c->fetch, sp_check_done, k, err, errlen) ==
	    SP_FETCH_RUN_OK) {
		st = SP_CHECK_OK;
	}
out:
	/* The rows to come need the room more than a spare token array. */
	sp_json_tokens_free(&tokens);
	k->tokens = NULL;
	k->nsvc = n;
	return st;
}

bool
sp_check_add(struct sp_check *k, const struct sp_row *r)
{
	if (k->nrows == k->arows) {
		size_t a = k->arows ? k->arows * 2 : 64;
		struct sp_row *v = realloc(k->rows, a * sizeof(*v));

		if (!v) {
			return false;
		}
		k->rows = v;
		k->arows = a;
	}
	k->rows[k->nrows] = *r;
	k->nrows++;
	return true;
}

bool
sp_check_worker_rows(struct sp_check *k)
{
	size_t s;
	size_t i;

	for (s = 0; s < k->nsvc; s++) {
		const struct sp_report *rep = &k->svc[s].report;

		for (i = 0; k->svc[s].answered && i < rep->nworkers; i++) {
			const struct sp_worker *w = &rep->workers[i];
			struct sp_row r = { 0 };

			if (!sp_config_wants_worker(k->cfg, w->name)) {
				continue;
			}
			r.service = k->svc[s].index;
			r.worker = w->name;
			r.processing = w->processing;
			r.problem = w->problem;
			r.count = w->count;
			if (!sp_check_add(k, &r)) {
				return false;
			}
		}
	}
	return true;
}

double
sp_check_value(const struct sp_config *c, const struct sp_row *r)
{
	double some = c->some_as * (r->nsome > 1 ? r->nsome : 1);

	if (r->count.kind == SP_COUNT_SOME) {
		return some;
	}
	return (double)r->count.value + (r->at_least ? some : 0);
}

const struct sp_range *
sp_row_broken(const struct sp_row *r)
{
	switch (r->broke) {
	case SP_BROKE_WARN:
		return r->warn;
	case SP_BROKE_CRIT:
		return r->crit;
	default:
		return NULL;
	}
}

const char *
sp_row_service(const struct sp_row *r)
{
	return r->service >= 0 ? sp_service_names[r->service] : "*";
}

bool
sp_check_eval_notes(const struct sp_config *c, struct sp_row *r)
{
	r->active = sp_count_pending(&r->count) ||
		    (r->processing && r->processing[0]);
	r->broke = SP_BROKE_NONE;
	if (r->missing) {
		r->state = SP_CRITICAL;
	} else if (r->no_tenants) {
		r->state = c->missing_tenants_state;
	} else if (r->problem || r->count.kind == SP_COUNT_INVALID) {
		r->state = SP_UNKNOWN;
	} else if (r->count.kind == SP_COUNT_NONE) {
		r->state = c->unknown_count_state;
	} else {
		return false;
	}
	return true;
}

/* Judge one row against its effective thresholds. */
static void
sp_check_eval(const struct sp_config *c, struct sp_row *r)
{
	double v;

	sp_config_ranges(c, sp_row_service(r), r->worker ? r->worker : "*",
			 r->tenant, r->tenant_name, &r->warn, &r->crit);
	if (sp_check_eval_notes(c, r)) {
		return;
	}
	v = sp_check_value(c, r);
	if (r->crit && sp_range_alerts(r->crit, v)) {
		r->state = SP_CRITICAL;
		r->broke = SP_BROKE_CRIT;
	} else if (r->warn && sp_range_alerts(r->warn, v)) {
		r->state = SP_WARNING;
		r->broke = SP_BROKE_WARN;
	} else {
		r->state = SP_OK;
	}
}

/* Worst first, then active before idle: one of eight buckets. */
static unsigned
sp_check_bucket(const struct sp_row *r)
{
	return (unsigned)(3 - sp_state_rank(r->state)) * 2 + !r->active;
}

void
sp_check_iter_init(struct sp_check_iter *it)
{
	it->bucket = 0;
	it->end = 8;
	it->next = 0;
}

void
sp_check_iter_rank(struct sp_check_iter *it, int rank)
{
	/* Buckets go worst first, two (active, idle) to a rank. */
	it->bucket = (unsigned)(3 - rank) * 2;
	it->end = it->bucket + 2;
	it->next = 0;
}

const struct sp_row *
sp_check_iter_next(const struct sp_check *k, struct sp_check_iter *it)
{
	for (; it->bucket < it->end; it->bucket++, it->next = 0) {
		if (!k->nbucket[it->bucket]) {
			continue;
		}
		while (it->next < k->nrows) {
			const struct sp_row *r = &k->rows[it->next++];

			if (sp_check_bucket(r) == it->bucket) {
				return r;
			}
		}
	}
	return NULL;
}

/*
 * Rows the filters chose.  With tenant globs, a worker that gives no
 * per-tenant figures is listed whatever they say, so it does not count.
 */
static size_t
sp_check_selected(const struct sp_check *k)
{
	size_t n = 0;
	size_t i;

	if (!k->cfg->tenant.n && !k->cfg->exclude_tenant.n) {
		return k->nrows;
	}
	for (i = 0; i < k->nrows; i++) {
		n += !k->rows[i].no_tenants;
	}
	return n;
}

bool
sp_check_finish(struct sp_check *k)
{
	bool answered = false;
	size_t i;

	k->state = SP_OK;
	for (i = 0; i < k->nrows; i++) {
		if (k->eval) {
			k->eval(k, &k->rows[i]);
		} else {
			sp_check_eval(k->cfg, &k->rows[i]);
		}
		k->state = sp_state_worst(k->state, k->rows[i].state);
	}
	for (i = 0; i < k->nsvc; i++) {
		k->state = sp_state_worst(k->state, k->svc[i].state);
		answered = answered || k->svc[i].answered;
	}
	k->state = sp_state_worst(k->state, k->note_state);
	memset(k->nbucket, 0, sizeof(k->nbucket));
	for (i = 0; i < k->nrows; i++) {
		k->nbucket[sp_check_bucket(&k->rows[i])]++;
	}

	/* A filter that matches nothing is a typo, not a quiet system. */
	if (answered && sp_check_selected(k) == 0 &&
	    (k->cfg->worker.n || k->cfg->exclude_worker.n ||
	     k->cfg->tenant.n || k->cfg->exclude_tenant.n)) {
		k->none_selected = true;
		k->state = sp_state_worst(k->state, SP_UNKNOWN);
	}
	return true;
}

void
sp_check_free(struct sp_check *k)
{
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		free(k->svc[i].url);
		sp_report_free(&k->svc[i].report);
	}
	free(k->rows);
	sp_arena_free(&k->arena);
	memset(k, 0, sizeof(*k));
}

const char *
sp_check_printf(struct sp_check *k, const char *fmt, ...)
{
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	p = sp_arena_vprintf(&k->arena, fmt, ap);
	va_end(ap);
	return p ? p : "";
}

/* Whether service result s has a worker matching glob. */
static bool
sp_check_has_worker(const struct sp_service_result *s, const char *glob)
{
	size_t i;

	for (i = 0; i < s->report.nworkers; i++) {
		if (sp_text_glob(glob, s->report.workers[i].name)) {
			return true;
		}
	}
	return false;
}

bool
sp_check_expected(struct sp_check *k)
{
	const struct sp_strv *e = &k->cfg->expect_worker;
	size_t i;
	size_t s;

	for (i = 0; i < e->n; i++) {
		const char *slash = strchr(e->v[i], '/');
		int service = slash ? sp_service_index_n(e->v[i],
					(size_t)(slash - e->v[i])) : -1;

		for (s = 0; service >= 0 && s < k->nsvc; s++) {
			struct sp_row r;

			/* A service that did not answer is reported already. */
			if (k->svc[s].index != service || !k->svc[s].answered ||
			    sp_check_has_worker(&k->svc[s], slash + 1)) {
				continue;
			}
			memset(&r, 0, sizeof(r));
			r.service = service;
			r.worker = slash + 1;
			r.missing = true;
			r.problem = "expected worker missing";
			if (!sp_check_add(k, &r)) {
				return false;
			}
		}
	}
	return true;
}


/* Rows that stand for a figure, not for a note about one. */
bool
sp_row_counts(const struct sp_row *r)
{
	return !r->no_tenants && !r->missing;
}

void
sp_check_totals(const struct sp_check *k, struct sp_check_totals *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < k->nsvc; i++) {
		t->answered += k->svc[i].answered;
	}
	for (i = 0; i < k->nrows; i++) {
		const struct sp_count *c = &k->rows[i].count;

		t->no_tenants += k->rows[i].no_tenants;
		if (!sp_row_counts(&k->rows[i])) {
			continue;
		}
		t->rows++;
		t->active += k->rows[i].active;
		t->some += c->kind == SP_COUNT_SOME || k->rows[i].at_least;
		if (c->kind == SP_COUNT_NUMBER &&
		    t->backlog <= INT64_MAX - c->value) {
			t->backlog += c->value;
		}
	}
}

