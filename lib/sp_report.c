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

#include "sp_intern.h"
#include "sp_json.h"
#include "sp_report.h"
#include "sp_secret.h"

/* Raw values quoted in problem texts are cut to this many bytes. */
#define SP_REPORT_QUOTE 40

/*
 * Distinct strings of one body that are kept once: enough for the
 * tenants and workers of a large installation, small enough that a
 * body of only distinct names wastes little on the table.
 */
#define SP_REPORT_INTERN 65536

/* Bytes in a block of tenants arrays; see sp_report_drop_tenants(). */
#define SP_REPORT_TENANT_BLOCK (256 * 1024)

struct sp_report_ctx {
	struct sp_report *r;
	const struct sp_json *j;
	char *err;
	size_t errlen;
	bool keep_tenants;	/* SP_REPORT_TENANTS */
	bool nomem;
	struct sp_intern strings;	/* raw token text -> its copy */
};

/* A worker's tenants added up as they are read. */
struct sp_report_acc {
	struct sp_count sum;
	bool some;
	bool stop;		/* a problem ended the sum */
};

/* The members read, in the order of the arrays below. */
enum { SP_T_NAME, SP_T_DOMAIN, SP_T_COUNT, SP_T_PROCESSING, SP_T_N };
static const struct sp_json_key sp_tenant_keys[SP_T_N] = {
	SP_JSON_KEY("name"), SP_JSON_KEY("domain"), SP_JSON_KEY("runCount"),
	SP_JSON_KEY("processing")
};
enum { SP_W_NAME, SP_W_PROCESSING, SP_W_COUNT, SP_W_TENANTS, SP_W_N };
static const struct sp_json_key sp_worker_keys[SP_W_N] = {
	SP_JSON_KEY("displayName"), SP_JSON_KEY("tenantBeingProcessed"),
	SP_JSON_KEY("runCount"), SP_JSON_KEY("tenants")
};

bool
sp_count_pending(const struct sp_count *c)
{
	return c->kind == SP_COUNT_SOME ||
	       (c->kind == SP_COUNT_NUMBER && c->value > 0);
}

/*
 * Up to SP_REPORT_QUOTE bytes of a raw value for a problem text, "..."
 * after a cut.  A service may echo a credential anywhere, and a cut
 * one would not be found whole later: it is starred here.
 */
static const char *
sp_report_quote(char out[SP_REPORT_QUOTE + 4], const char *raw, size_t len)
{
	size_t n = len > SP_REPORT_QUOTE ? SP_REPORT_QUOTE : len;

	memcpy(out, raw, n);
	out[n] = '\0';
	if (n < len) {
		sp_secret_scrub_cut(out, n);
		memcpy(out + n, "...", 4);
	} else {
		sp_secret_scrub(out, n);
	}
	return out;
}

/* Digits, an optional all-zero fraction; "12.0" is twelve. */
static const char *
sp_count_number(struct sp_count *c, const char *s, size_t len,
		char *problem, size_t plen)
{
	char q[SP_REPORT_QUOTE + 4];
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
			snprintf(problem, plen, "runCount %s does not fit "
				 "in 64 bits", sp_report_quote(q, s, len));
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
		snprintf(problem, plen, "runCount %s does not fit in 64 "
			 "bits", sp_report_quote(q, s, len));
		return problem;
	}
	if (neg && v > 0) {
		snprintf(problem, plen, "runCount %s is negative",
			 sp_report_quote(q, s, len));
		return problem;
	}
	c->kind = SP_COUNT_NUMBER;
	c->value = (int64_t)v;
	return NULL;

not_whole:
	snprintf(problem, plen, "runCount %s is not a whole number",
		 sp_report_quote(q, s, len));
	return problem;
}

const char *
sp_count_parse(struct sp_count *c, const char *raw, size_t len,
	       bool is_string, char *problem, size_t plen)
{
	char q[SP_REPORT_QUOTE + 4];
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
		snprintf(problem, plen, "runCount \"%s\" is not a count",
			 sp_report_quote(q, raw, len));
		return problem;
	}
	why = sp_count_number(c, raw, len, problem, plen);
	if (why) {
		c->kind = SP_COUNT_INVALID;
	}
	return why;
}

/*
 * A decoded copy of string token i in the report's arena, shared with
 * every earlier token of the same text.
 */
static const char *
sp_report_string(struct sp_report_ctx *x, int i)
{
	size_t len;
	const char *raw = sp_json_raw(x->j, i, &len);
	const char *have = sp_intern_get(&x->strings, raw, len);
	char *out;

	if (have) {
		return have;
	}
	/* Unaligned: a hundred thousand tenant names add up. */
	out = sp_arena_alloc_text(&x->r->arena, len + 1);
	if (!out) {
		x->nomem = true;
		return NULL;
	}
	sp_json_unescape(raw, len, out);
	sp_intern_add(&x->strings, raw, len, out);
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
	char q[SP_REPORT_QUOTE + 4];
	char plain[64];
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
		return sp_report_problem(x, "runCount is %s: %s",
					 sp_json_type_name(x->j, i),
					 sp_report_quote(q, raw, len));
	}
	why = sp_count_parse(c, raw, len, t == JSMN_STRING, tmp, sizeof(tmp));
	/* "\u0031\u0032" is "12" as much as "12" is; escapes are rare. */
	if (why && t == JSMN_STRING && len < sizeof(plain) &&
	    memchr(raw, '\\', len)) {
		len = sp_json_unescape(raw, len, plain);
		why = sp_count_parse(c, plain, len, true, tmp, sizeof(tmp));
	}
	return why ? sp_report_problem(x, "%s", tmp) : NULL;
}

/*
 * An optional string member at token i (-1: missing) named key; value
 * is NULL when missing or null, and left NULL unless decode is set.
 * Returns a problem text or NULL.
 */
static const char *
sp_report_text(struct sp_report_ctx *x, int i, const char *key,
	       const char **value, bool decode)
{
	*value = NULL;
	if (i < 0 || sp_json_is_null(x->j, i)) {
		return NULL;
	}
	if (x->j->tok[i].type != JSMN_STRING) {
		return sp_report_problem(x, "%s is %s", key,
					 sp_json_type_name(x->j, i));
	}
	if (decode) {
		*value = sp_report_string(x, i);
	}
	return NULL;
}

/*
 * Tenant object at token i into t; its member tokens into m.  Returns
 * the token after it.
 */
static int
sp_report_tenant(struct sp_report_ctx *x, int i, struct sp_tenant *t,
		 int *m)
{
	const char *why;
	bool keep = x->keep_tenants;
	int next;

	memset(t, 0, sizeof(*t));
	if (x->j->tok[i].type != JSMN_OBJECT) {
		m[SP_T_NAME] = m[SP_T_DOMAIN] = -1;
		t->count.kind = SP_COUNT_INVALID;
		t->problem = sp_report_problem(x, "tenant is %s",
					       sp_json_type_name(x->j, i));
		return sp_json_next(x->j, i);
	}
	next = sp_json_members(x->j, i, sp_tenant_keys, m, SP_T_N);
	why = sp_report_text(x, m[SP_T_NAME], "name", &t->name, keep);
	if (!why) {
		why = sp_report_text(x, m[SP_T_DOMAIN], "domain", &t->domain,
				     keep);
	}
	t->problem = sp_report_count(x, m[SP_T_COUNT], &t->count);
	if (!t->problem) {
		t->problem = why;
	}
	i = m[SP_T_PROCESSING];
	if (i >= 0 && !sp_json_is_null(x->j, i) &&
	    !sp_json_is_bool(x->j, i, &t->processing) && !t->problem) {
		t->problem = sp_report_problem(x, "processing is %s",
					       sp_json_type_name(x->j, i));
	}
	return next;
}

/* How a tenant is named in a worker's problem: domain, else name. */
static const char *
sp_report_tenant_label(struct sp_report_ctx *x, const struct sp_tenant *t,
		       const int *m)
{
	int k;

	if (x->keep_tenants) {
		return t->domain ? t->domain : t->name ? t->name : "?";
	}
	for (k = SP_T_DOMAIN; k >= SP_T_NAME; k--) {
		if (m[k] >= 0 && x->j->tok[m[k]].type == JSMN_STRING) {
			const char *s = sp_report_string(x, m[k]);

			return s ? s : "?";
		}
	}
	return "?";
}

/*
 * Add one tenant to the worker's sum, the figure a worker stands for
 * when it gives none itself.  Any invalid tenant count or an overflow
 * makes the worker's problem and ends the sum.
 */
static void
sp_report_add(struct sp_report_ctx *x, struct sp_worker *w,
	      struct sp_report_acc *a, const struct sp_tenant *t,
	      const int *m)
{
	if (a->stop || w->own.kind != SP_COUNT_NONE || w->problem) {
		return;
	}
	if (t->count.kind == SP_COUNT_INVALID) {
		w->problem = sp_report_problem(x, "tenant %s: %s",
			sp_report_tenant_label(x, t, m), t->problem);
		a->stop = true;
	} else if (t->count.kind == SP_COUNT_SOME) {
		a->some = true;
	} else if (t->count.kind == SP_COUNT_NUMBER) {
		if (t->count.value > INT64_MAX - a->sum.value) {
			w->problem = sp_report_problem(x, "sum of tenant "
				"runCounts does not fit in 64 bits");
			a->stop = true;
			return;
		}
		a->sum.kind = SP_COUNT_NUMBER;
		a->sum.value += t->count.value;
	}
}

/* The worker's figure: its own, else what its tenants added up to. */
static void
sp_report_sum(struct sp_worker *w, const struct sp_report_acc *a)
{
	w->count = w->own;
	if (w->own.kind != SP_COUNT_NONE || w->problem) {
		return;
	}
	w->count = a->sum;
	if (a->some) {
		w->count.kind = SP_COUNT_SOME;
	}
}

/*
 * The tenants array at token i, if any: summed always, kept in
 * w->tenants only with SP_REPORT_TENANTS.
 */
static void
sp_report_tenants(struct sp_report_ctx *x, int i, struct sp_worker *w)
{
	struct sp_report_acc a = { { SP_COUNT_NONE, 0 }, false, false };
	struct sp_tenant scratch;
	int m[SP_T_N];
	size_t n;
	size_t k;

	if (i >= 0 && !sp_json_is_null(x->j, i) &&
	    x->j->tok[i].type != JSMN_ARRAY && !w->problem) {
		w->problem = sp_report_problem(x, "tenants is %s",
					       sp_json_type_name(x->j, i));
	}
	if (i < 0 || x->j->tok[i].type != JSMN_ARRAY) {
		sp_report_sum(w, &a);
		return;
	}
	n = (size_t)x->j->tok[i].size;
	w->has_tenants = true;
	x->r->ntenants += n;
	/*
	 * A worker that gives its own figure, or is already broken, takes
	 * nothing from its tenants: unless they are kept, reading them
	 * would be the bulk of a large body's work for no effect.
	 */
	if (!x->keep_tenants &&
	    (w->own.kind != SP_COUNT_NONE || w->problem)) {
		sp_report_sum(w, &a);
		return;
	}
	if (x->keep_tenants) {
		w->tenants = sp_arena_alloc(&x->r->tenant_arena,
					    n * sizeof(*w->tenants) + 1);
		if (!w->tenants) {
			x->nomem = true;
			return;
		}
		w->ntenants = n;
	}
	for (k = 0, i++; k < n; k++) {
		struct sp_tenant *t = w->tenants ? &w->tenants[k] : &scratch;

		i = sp_report_tenant(x, i, t, m);
		sp_report_add(x, w, &a, t, m);
	}
	sp_report_sum(w, &a);
}

static void
sp_report_worker(struct sp_report_ctx *x, int i, size_t index,
		 struct sp_worker *w)
{
	int m[SP_W_N];
	const char *why;

	memset(w, 0, sizeof(*w));
	if (x->j->tok[i].type != JSMN_OBJECT) {
		w->name = sp_report_problem(x, "worker #%zu", index + 1);
		w->problem = sp_report_problem(x, "worker is %s",
					       sp_json_type_name(x->j, i));
		w->count.kind = SP_COUNT_INVALID;
		return;
	}

	sp_json_members(x->j, i, sp_worker_keys, m, SP_W_N);
	why = sp_report_text(x, m[SP_W_NAME], "displayName", &w->name, true);
	if (!w->name || !*w->name) {
		w->name = sp_report_problem(x, "worker #%zu", index + 1);
		if (!why) {
			why = "displayName is missing";
		}
	}
	w->problem = why;

	why = sp_report_text(x, m[SP_W_PROCESSING], "tenantBeingProcessed",
			     &w->processing, true);
	if (!w->problem) {
		w->problem = why;
	}
	why = sp_report_count(x, m[SP_W_COUNT], &w->own);
	if (why) {
		w->problem = why;
	}
	sp_report_tenants(x, m[SP_W_TENANTS], w);
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
		unsigned flags, char *err, size_t errlen)
{
	return sp_report_parse_with(r, body, len, flags, NULL, err, errlen);
}

enum sp_report_status
sp_report_parse_with(struct sp_report *r, const char *body, size_t len,
		     unsigned flags, struct sp_json_tokens *tokens, char *err,
		     size_t errlen)
{
	struct sp_report_ctx x = {
		.r = r, .err = err, .errlen = errlen,
		.keep_tenants = (flags & SP_REPORT_TENANTS) != 0
	};
	enum sp_report_status st = SP_REPORT_INVALID;
	struct sp_json j;
	size_t n;
	size_t k;
	int i;

	memset(r, 0, sizeof(*r));
	sp_arena_init(&r->arena, 0);
	/* Blocks large enough to be mapped alone, so a drop returns them. */
	sp_arena_init(&r->tenant_arena, SP_REPORT_TENANT_BLOCK);
	switch (sp_json_parse_shared(&j, body, len, tokens, err, errlen)) {
	case SP_JSON_OK:
		break;
	case SP_JSON_NOMEM:
		return SP_REPORT_NOMEM;
	default:
		return SP_REPORT_INVALID;
	}
	x.j = &j;
	sp_intern_init(&x.strings, SP_REPORT_INTERN);

	i = sp_report_find_workers(&x);
	if (i < 0) {
		goto out;
	}
	if (i > 0) {
		sp_report_text(&x, sp_json_get(&j, 0, "service"), "service",
			       &r->service, true);
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
	sp_intern_free(&x.strings);
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
	sp_arena_free(&r->tenant_arena);
	memset(r, 0, sizeof(*r));
}

void
sp_report_drop_tenants(struct sp_report *r)
{
	size_t i;

	for (i = 0; i < r->nworkers; i++) {
		r->workers[i].tenants = NULL;
		r->workers[i].ntenants = 0;
	}
	sp_arena_free(&r->tenant_arena);
}
