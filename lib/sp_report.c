/*
 * The worker status report of one service; see sp_report.h and
 * doc/api.md for the contract.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sp_json.h"
#include "sp_report.h"

/* Raw values quoted in problem texts are cut to this many bytes. */
#define SP_REPORT_QUOTE 40

struct sp_report_ctx {
	struct sp_report *r;
	const struct sp_json *j;
	char *err;
	size_t errlen;
	bool nomem;
};

bool
sp_count_pending(const struct sp_count *c)
{
	return c->kind == SP_COUNT_SOME ||
	       (c->kind == SP_COUNT_NUMBER && c->value > 0);
}

/* Digits, an optional all-zero fraction; "12.0" is twelve. */
static const char *
sp_count_number(struct sp_count *c, const char *s, size_t len,
		char *problem, size_t plen)
{
	int q = len > SP_REPORT_QUOTE ? SP_REPORT_QUOTE : (int)len;
	const char *more = len > SP_REPORT_QUOTE ? "..." : "";
	uint64_t v = 0;
	size_t i = 0;
	bool neg = s[0] == '-';

	if (neg) {
		i++;
	}
	if (i == len) {
		goto not_whole;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		/* Past this, v * 10 + 9 could wrap even in 64 unsigned bits. */
		if (v > (uint64_t)INT64_MAX / 10 + 1) {
			snprintf(problem, plen, "runCount %.*s%s does not fit "
				 "in 64 bits", q, s, more);
			return problem;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] == '0'; i++) {
			continue;
		}
	}
	if (i != len) {
		goto not_whole;
	}
	if (v > (uint64_t)INT64_MAX) {
		snprintf(problem, plen, "runCount %.*s%s does not fit in 64 "
			 "bits", q, s, more);
		return problem;
	}
	if (neg && v > 0) {
		snprintf(problem, plen, "runCount %.*s%s is negative", q, s,
			 more);
		return problem;
	}
	c->kind = SP_COUNT_NUMBER;
	c->value = (int64_t)v;
	return NULL;

not_whole:
	snprintf(problem, plen, "runCount %.*s%s is not a whole number", q, s,
		 more);
	return problem;
}

const char *
sp_count_parse(struct sp_count *c, const char *raw, size_t len,
	       bool is_string, char *problem, size_t plen)
{
	const char *why;

	c->kind = SP_COUNT_INVALID;
	c->value = 0;
	if (!is_string && len == 4 && memcmp(raw, "null", 4) == 0) {
		c->kind = SP_COUNT_NONE;
		return NULL;
	}
	if (is_string) {
		/* Tolerate padding: some services format counts as text. */
		while (len > 0 && raw[0] == ' ') {
			raw++;
			len--;
		}
		while (len > 0 && raw[len - 1] == ' ') {
			len--;
		}
		if (len == 4 && strncasecmp(raw, "some", 4) == 0) {
			c->kind = SP_COUNT_SOME;
			return NULL;
		}
	}
	if (len == 0 || !(raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))) {
		snprintf(problem, plen, "runCount \"%.*s%s\" is not a count",
			 len > SP_REPORT_QUOTE ? SP_REPORT_QUOTE : (int)len,
			 raw, len > SP_REPORT_QUOTE ? "..." : "");
		return problem;
	}
	why = sp_count_number(c, raw, len, problem, plen);
	if (why) {
		c->kind = SP_COUNT_INVALID;
	}
	return why;
}

/* A decoded copy of string token i in the report's arena. */
static const char *
sp_report_string(struct sp_report_ctx *x, int i)
{
	size_t len;
	const char *raw = sp_json_raw(x->j, i, &len);
	char *out = sp_arena_alloc(&x->r->arena, len + 1);

	if (!out) {
		x->nomem = true;
		return NULL;
	}
	sp_json_unescape(raw, len, out);
	return out;
}

/* A problem text kept with the report; printf-like. */
static const char *
sp_report_problem(struct sp_report_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
sp_report_problem(struct sp_report_ctx *x, const char *fmt, ...)
{
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	p = sp_arena_vprintf(&x->r->arena, fmt, ap);
	va_end(ap);
	if (!p) {
		x->nomem = true;
		return "out of memory";
	}
	return p;
}

/* The runCount at token i (or -1 for missing) into c; problem or NULL. */
static const char *
sp_report_count(struct sp_report_ctx *x, int i, struct sp_count *c)
{
	char tmp[160];
	const char *why;
	size_t len;
	const char *raw;
	jsmntype_t t;

	c->kind = SP_COUNT_NONE;
	c->value = 0;
	if (i < 0) {
		return NULL;
	}
	t = x->j->tok[i].type;
	raw = sp_json_raw(x->j, i, &len);
	if (t != JSMN_STRING && !sp_json_is_number(x->j, i) &&
	    !sp_json_is_null(x->j, i)) {
		c->kind = SP_COUNT_INVALID;
		return sp_report_problem(x, "runCount is %s: %.*s%s",
					 sp_json_type_name(x->j, i),
					 len > SP_REPORT_QUOTE ? SP_REPORT_QUOTE
							       : (int)len,
					 raw, len > SP_REPORT_QUOTE ? "..." : "");
	}
	why = sp_count_parse(c, raw, len, t == JSMN_STRING, tmp, sizeof(tmp));
	return why ? sp_report_problem(x, "%s", tmp) : NULL;
}

/* An optional string member: NULL when missing or null. */
static const char *
sp_report_text(struct sp_report_ctx *x, int obj, const char *key,
	       const char **value)
{
	int i = sp_json_get(x->j, obj, key);

	*value = NULL;
	if (i < 0 || sp_json_is_null(x->j, i)) {
		return NULL;
	}
	if (x->j->tok[i].type != JSMN_STRING) {
		return sp_report_problem(x, "%s is %s", key,
					 sp_json_type_name(x->j, i));
	}
	*value = sp_report_string(x, i);
	return NULL;
}

static void
sp_report_tenant(struct sp_report_ctx *x, int i, struct sp_tenant *t)
{
	const char *why;
	int k;

	memset(t, 0, sizeof(*t));
	if (x->j->tok[i].type != JSMN_OBJECT) {
		t->count.kind = SP_COUNT_INVALID;
		t->problem = sp_report_problem(x, "tenant is %s",
					       sp_json_type_name(x->j, i));
		return;
	}
	why = sp_report_text(x, i, "name", &t->name);
	if (!why) {
		why = sp_report_text(x, i, "domain", &t->domain);
	}
	t->problem = sp_report_count(x, sp_json_get(x->j, i, "runCount"),
				     &t->count);
	if (!t->problem) {
		t->problem = why;
	}
	k = sp_json_get(x->j, i, "processing");
	if (k >= 0 && !sp_json_is_null(x->j, k) &&
	    !sp_json_is_bool(x->j, k, &t->processing) && !t->problem) {
		t->problem = sp_report_problem(x, "processing is %s",
					       sp_json_type_name(x->j, k));
	}
}

/* The worker's figure when it gives none itself: its tenants' sum. */
static void
sp_report_sum(struct sp_report_ctx *x, struct sp_worker *w)
{
	struct sp_count sum = { SP_COUNT_NONE, 0 };
	bool some = false;
	size_t i;

	w->count = w->own;
	if (w->own.kind != SP_COUNT_NONE || w->problem) {
		return;
	}
	for (i = 0; i < w->ntenants; i++) {
		const struct sp_tenant *t = &w->tenants[i];

		if (t->count.kind == SP_COUNT_INVALID) {
			w->problem = sp_report_problem(x, "tenant %s: %s",
				t->domain ? t->domain : t->name ? t->name : "?",
				t->problem);
			w->count.kind = SP_COUNT_INVALID;
			return;
		}
		if (t->count.kind == SP_COUNT_SOME) {
			some = true;
		} else if (t->count.kind == SP_COUNT_NUMBER) {
			if (t->count.value > INT64_MAX - sum.value) {
				w->problem = sp_report_problem(x, "sum of "
					"tenant runCounts does not fit in 64 "
					"bits");
				w->count.kind = SP_COUNT_INVALID;
				return;
			}
			sum.kind = SP_COUNT_NUMBER;
			sum.value += t->count.value;
		}
	}
	if (some) {
		sum.kind = SP_COUNT_SOME;
	}
	w->count = sum;
}

/* The tenants array at token i, if any. */
static void
sp_report_tenants(struct sp_report_ctx *x, int i, struct sp_worker *w)
{
	size_t n;
	size_t k;

	if (i < 0 || sp_json_is_null(x->j, i)) {
		return;
	}
	if (x->j->tok[i].type != JSMN_ARRAY) {
		if (!w->problem) {
			w->problem = sp_report_problem(x, "tenants is %s",
					sp_json_type_name(x->j, i));
		}
		return;
	}
	n = (size_t)x->j->tok[i].size;
	w->has_tenants = true;
	w->tenants = sp_arena_alloc(&x->r->arena, n * sizeof(*w->tenants) + 1);
	if (!w->tenants) {
		x->nomem = true;
		return;
	}
	for (k = 0, i++; k < n; k++, i = sp_json_next(x->j, i)) {
		sp_report_tenant(x, i, &w->tenants[k]);
	}
	w->ntenants = n;
	x->r->ntenants += n;
}

static void
sp_report_worker(struct sp_report_ctx *x, int i, size_t index,
		 struct sp_worker *w)
{
	const char *why;

	memset(w, 0, sizeof(*w));
	if (x->j->tok[i].type != JSMN_OBJECT) {
		w->name = sp_report_problem(x, "worker #%zu", index + 1);
		w->problem = sp_report_problem(x, "worker is %s",
					       sp_json_type_name(x->j, i));
		w->count.kind = SP_COUNT_INVALID;
		return;
	}

	why = sp_report_text(x, i, "displayName", &w->name);
	if (!w->name || !*w->name) {
		w->name = sp_report_problem(x, "worker #%zu", index + 1);
		if (!why) {
			why = "displayName is missing";
		}
	}
	w->problem = why;

	why = sp_report_text(x, i, "tenantBeingProcessed", &w->processing);
	if (!w->problem) {
		w->problem = why;
	}
	why = sp_report_count(x, sp_json_get(x->j, i, "runCount"), &w->own);
	if (why) {
		w->problem = why;
	}
	sp_report_tenants(x, sp_json_get(x->j, i, "tenants"), w);
	sp_report_sum(x, w);
	if (w->problem) {
		w->count.kind = SP_COUNT_INVALID;
	}
}

/* Token of the worker array: the root itself or its "workers" member. */
static int
sp_report_find_workers(struct sp_report_ctx *x)
{
	const struct sp_json *j = x->j;
	int i;

	if (j->tok[0].type == JSMN_ARRAY) {
		return 0;
	}
	if (j->tok[0].type != JSMN_OBJECT) {
		snprintf(x->err, x->errlen, "body is %s, expected an object "
			 "with workers or an array", sp_json_type_name(j, 0));
		return -1;
	}
	i = sp_json_get(j, 0, "workers");
	if (i < 0) {
		snprintf(x->err, x->errlen, "body has no \"workers\" member");
		return -1;
	}
	if (j->tok[i].type != JSMN_ARRAY) {
		snprintf(x->err, x->errlen, "\"workers\" is %s, expected an "
			 "array", sp_json_type_name(j, i));
		return -1;
	}
	return i;
}

enum sp_report_status
sp_report_parse(struct sp_report *r, const char *body, size_t len,
		char *err, size_t errlen)
{
	struct sp_report_ctx x = { r, NULL, err, errlen, false };
	enum sp_report_status st = SP_REPORT_INVALID;
	struct sp_json j;
	size_t n;
	size_t k;
	int i;

	memset(r, 0, sizeof(*r));
	sp_arena_init(&r->arena, 0);
	switch (sp_json_parse(&j, body, len, err, errlen)) {
	case SP_JSON_OK:
		break;
	case SP_JSON_NOMEM:
		return SP_REPORT_NOMEM;
	default:
		return SP_REPORT_INVALID;
	}
	x.j = &j;

	i = sp_report_find_workers(&x);
	if (i < 0) {
		goto out;
	}
	if (i > 0) {
		sp_report_text(&x, 0, "service", &r->service);
	}

	n = (size_t)j.tok[i].size;
	r->workers = calloc(n ? n : 1, sizeof(*r->workers));
	if (!r->workers) {
		x.nomem = true;
		goto out;
	}
	for (k = 0, i++; k < n; k++, i = sp_json_next(&j, i)) {
		sp_report_worker(&x, i, k, &r->workers[k]);
	}
	r->nworkers = n;
	st = SP_REPORT_OK;

out:
	sp_json_free(&j);
	if (x.nomem) {
		snprintf(err, errlen, "out of memory while reading the body");
		st = SP_REPORT_NOMEM;
	}
	if (st != SP_REPORT_OK) {
		sp_report_free(r);
	}
	return st;
}

void
sp_report_free(struct sp_report *r)
{
	free(r->workers);
	sp_arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}
