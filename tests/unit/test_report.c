/*
 * Unit tests for lib/sp_report.c: reading a service's worker status
 * report.
 *
 * Two tables.  The body table holds whole responses and whether the
 * report as a whole is accepted: both key styles, the bare array, and
 * every kind of body that breaks the contract.  The worker table holds
 * one worker each and the count, name and problem it must end up with;
 * a problem must quote the raw value so the user sees what was sent.
 * Bodies are copied into buffers of their exact length and freed before
 * the results are read, so AddressSanitizer catches reads past the end
 * and results that still point into the body.
 */
#include "config.h"

#include "unit.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_buf.h"
#include "sp_report.h"

#define NUM SP_COUNT_NUMBER
#define SOME SP_COUNT_SOME
#define NONE SP_COUNT_NONE
#define BAD SP_COUNT_INVALID

/* Parse text from a buffer of its exact length, freed at once. */
static enum sp_report_status
parse_flags(struct sp_report *r, const char *text, unsigned flags, char *err,
	    size_t errlen)
{
	size_t len = strlen(text);
	char *body = malloc(len ? len : 1);
	enum sp_report_status st;

	assert_non_null(body);
	memcpy(body, text, len);
	err[0] = '\0';
	st = sp_report_parse(r, body, len, flags, err, errlen);
	memset(body, 'X', len);
	free(body);
	return st;
}

static enum sp_report_status
parse(struct sp_report *r, const char *text, char *err, size_t errlen)
{
	return parse_flags(r, text, SP_REPORT_TENANTS, err, errlen);
}

struct body_case {
	const char *body;
	bool ok;
	const char *err;	/* substring of err when not ok */
	size_t nworkers;
	const char *service;	/* NULL: no "service" key */
};

static const struct body_case body_cases[] = {
	/* Accepted shapes. */
	{ "{\"service\":\"Financial\",\"workers\":[]}", true, NULL, 0,
	  "Financial" },
	{ "{\"service\":\"Financial\",\"workers\":[{\"displayName\":\"A\","
	  "\"runCount\":1},{\"displayName\":\"B\",\"runCount\":2}]}", true,
	  NULL, 2, "Financial" },
	{ "{\"Service\":\"WebShop\",\"Workers\":[{\"DisplayName\":\"A\","
	  "\"RunCount\":1}]}", true, NULL, 1, "WebShop" },
	{ "{\"SERVICE\":\"Pos\",\"WORKERS\":[]}", true, NULL, 0, "Pos" },
	{ "{\"workers\":[{\"displayName\":\"A\"}]}", true, NULL, 1, NULL },
	{ "[]", true, NULL, 0, NULL },
	{ "[{\"displayName\":\"A\",\"runCount\":1}]", true, NULL, 1, NULL },
	{ " \r\n[ ]\r\n", true, NULL, 0, NULL },
	{ "\xEF\xBB\xBF{\"workers\":[]}", true, NULL, 0, NULL },
	/* Top-level keys follow the workers' rules: last wins, escapes. */
	{ "{\"workers\":\"none\",\"Workers\":[{\"displayName\":\"A\"}]}", true,
	  NULL, 1, NULL },
	{ "{\"w\\u006frkers\":[],\"service\":\"Pos\",\"service\":\"Actors\"}",
	  true, NULL, 0, "Actors" },
	/* The body is JSON, but not a report. */
	{ "{\"workers\":\"none\"}", false, "a string", 0, NULL },
	{ "{\"workers\":{\"displayName\":\"A\"}}", false, "an object", 0,
	  NULL },
	{ "{\"workers\":null}", false, "null", 0, NULL },
	{ "{\"workers\":3}", false, "a number", 0, NULL },
	{ "{\"service\":\"Financial\"}", false, "workers", 0, NULL },
	{ "{}", false, "workers", 0, NULL },
	{ "{\"Worker\":[]}", false, "workers", 0, NULL },
	{ "\"workers\"", false, "a string", 0, NULL },
	{ "42", false, "literal", 0, NULL },
	{ "null", false, "literal", 0, NULL },
	{ "true", false, "literal", 0, NULL },
	/* Not JSON at all. */
	{ "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
	  "<body><h1>Bad Gateway</h1></body></html>", false, "", 0, NULL },
	{ "Service Unavailable", false, "", 0, NULL },
	{ "{\"workers\":[{\"displayName\":\"A\",\"runCount\":1},{\"disp",
	  false, "truncated", 0, NULL },
	{ "{\"workers\":[{\"displayName\":\"A\",\"runCount\":1}", false,
	  "truncated", 0, NULL },
	{ "{\"workers\":[]} trailing garbage", false, "", 0, NULL },
	{ "{\"workers\":[]}{\"workers\":[]}", false, "", 0, NULL },
	{ "{\"workers\":[{\"displayName\":\"A\",\"runCount\":1,}]}", false,
	  "", 0, NULL },
	{ "{\"workers\":[{\"displayName\":\"A\",\"runCount\":01}]}", false,
	  "", 0, NULL },
	{ "", false, "empty", 0, NULL },
	{ "  \r\n", false, "empty", 0, NULL },
};

static bool
check_body(const struct body_case *t)
{
	struct sp_report r;
	char err[256];
	enum sp_report_status st = parse(&r, t->body, err, sizeof(err));
	bool ok = false;

	if (t->ok) {
		ok = st == SP_REPORT_OK && r.nworkers == t->nworkers &&
		     (t->service ? r.service &&
				   strcmp(r.service, t->service) == 0
				 : !r.service);
	} else {
		/* A rejected body leaves nothing behind, but a reason. */
		ok = st == SP_REPORT_INVALID && err[0] &&
		     strstr(err, t->err) && r.nworkers == 0 && !r.workers &&
		     !r.service;
	}
	if (!ok) {
		note("body '%.60s': status %d, %zu workers, err '%s'\n",
		     t->body, (int)st, r.nworkers, err);
	}
	sp_report_free(&r);
	return ok;
}

static void
test_report_bodies(void **state)
{
	(void)state;
	UNIT_TABLE(body_cases, check_body);
}

struct worker_case {
	const char *json;	/* one worker, alone in a bare array */
	enum sp_count_kind kind;
	int64_t value;
	const char *name;
	const char *problem;	/* substring of the problem, or NULL */
};

static const struct worker_case worker_cases[] = {
	/* Counts as numbers. */
	{ "{\"displayName\":\"W\",\"runCount\":5}", NUM, 5, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":0}", NUM, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":-0}", NUM, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":12.0}", NUM, 12, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":12.000}", NUM, 12, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":9223372036854775807}", NUM,
	  INT64_MAX, "W", NULL },
	/* Counts as strings. */
	{ "{\"displayName\":\"W\",\"runCount\":\"12\"}", NUM, 12, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\" 12 \"}", NUM, 12, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"12.0\"}", NUM, 12, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"9223372036854775807\"}",
	  NUM, INT64_MAX, "W", NULL },
	/* A key given twice counts with its last value, in any spelling. */
	{ "{\"displayName\":\"W\",\"runCount\":1,\"runCount\":500}", NUM,
	  500, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":1,\"RunCount\":\"some\"}",
	  SOME, 0, "W", NULL },
	{ "{\"displayName\":\"A\",\"DisplayName\":\"W\",\"runCount\":2}",
	  NUM, 2, "W", NULL },
	/* Escapes in keys and in counts sent as text are decoded. */
	{ "{\"displayN\\u0061me\":\"W\",\"run\\u0043ount\":500}", NUM, 500,
	  "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"\\u0031\\u0032\"}", NUM,
	  12, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"\\u0073ome\"}", SOME, 0,
	  "W", NULL },
	/* "some" in any case; null and missing are unknown. */
	{ "{\"displayName\":\"W\",\"runCount\":\"some\"}", SOME, 0, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"SOME\"}", SOME, 0, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"Some\"}", SOME, 0, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\" some \"}", SOME, 0, "W",
	  NULL },
	{ "{\"displayName\":\"W\",\"runCount\":null}", NONE, 0, "W", NULL },
	{ "{\"displayName\":\"W\"}", NONE, 0, "W", NULL },
	/* Not a count: the problem quotes what was sent. */
	{ "{\"displayName\":\"W\",\"runCount\":-3}", BAD, 0, "W", "-3" },
	{ "{\"displayName\":\"W\",\"runCount\":\"-3\"}", BAD, 0, "W", "-3" },
	{ "{\"displayName\":\"W\",\"runCount\":12.5}", BAD, 0, "W", "12.5" },
	{ "{\"displayName\":\"W\",\"runCount\":\"0.5\"}", BAD, 0, "W",
	  "0.5" },
	{ "{\"displayName\":\"W\",\"runCount\":1e3}", BAD, 0, "W", "1e3" },
	{ "{\"displayName\":\"W\",\"runCount\":1E3}", BAD, 0, "W", "1E3" },
	{ "{\"displayName\":\"W\",\"runCount\":9223372036854775808}", BAD,
	  0, "W", "9223372036854775808" },
	{ "{\"displayName\":\"W\",\"runCount\":\"9223372036854775808\"}",
	  BAD, 0, "W", "9223372036854775808" },
	{ "{\"displayName\":\"W\",\"runCount\":99999999999999999999}", BAD,
	  0, "W", "99999999999999999999" },
	{ "{\"displayName\":\"W\",\"runCount\":-9223372036854775808}", BAD,
	  0, "W", "-9223372036854775808" },
	{ "{\"displayName\":\"W\",\"runCount\":\"\"}", BAD, 0, "W",
	  "runCount" },
	{ "{\"displayName\":\"W\",\"runCount\":\"many\"}", BAD, 0, "W",
	  "many" },
	{ "{\"displayName\":\"W\",\"runCount\":\"12abc\"}", BAD, 0, "W",
	  "12abc" },
	{ "{\"displayName\":\"W\",\"runCount\":\"+5\"}", BAD, 0, "W", "+5" },
	{ "{\"displayName\":\"W\",\"runCount\":\"0x10\"}", BAD, 0, "W",
	  "0x10" },
	{ "{\"displayName\":\"W\",\"runCount\":{}}", BAD, 0, "W",
	  "an object" },
	{ "{\"displayName\":\"W\",\"runCount\":[1]}", BAD, 0, "W",
	  "an array" },
	{ "{\"displayName\":\"W\",\"runCount\":true}", BAD, 0, "W",
	  "a boolean" },
	{ "{\"displayName\":\"W\",\"runCount\":false}", BAD, 0, "W",
	  "a boolean" },
	/* Key styles. */
	{ "{\"DisplayName\":\"W\",\"RunCount\":\"some\"}", SOME, 0, "W",
	  NULL },
	{ "{\"DISPLAYNAME\":\"W\",\"RUNCOUNT\":7}", NUM, 7, "W", NULL },
	/* Names are decoded; a missing one is replaced by the position. */
	{ "{\"displayName\":\"Caf\\u00e9 \\\"Sync\\\"\",\"runCount\":1}",
	  NUM, 1, "Caf\xC3\xA9 \"Sync\"", NULL },
	{ "{\"runCount\":1}", BAD, 0, "worker #1", "displayName" },
	{ "{\"displayName\":\"\",\"runCount\":1}", BAD, 0, "worker #1",
	  "displayName" },
	{ "{\"displayName\":null,\"runCount\":1}", BAD, 0, "worker #1",
	  "displayName" },
	{ "{\"displayName\":42,\"runCount\":1}", BAD, 0, "worker #1",
	  "a number" },
	/* tenantBeingProcessed must be a string or null. */
	{ "{\"displayName\":\"W\",\"tenantBeingProcessed\":null,"
	  "\"runCount\":1}", NUM, 1, "W", NULL },
	{ "{\"displayName\":\"W\",\"tenantBeingProcessed\":5,"
	  "\"runCount\":1}", BAD, 0, "W", "tenantBeingProcessed is a "
	  "number" },
	{ "{\"displayName\":\"W\",\"tenantBeingProcessed\":[\"a\"],"
	  "\"runCount\":1}", BAD, 0, "W", "an array" },
	/* Tenants: their sum when the worker gives no count. */
	{ "{\"displayName\":\"W\",\"tenants\":[{\"domain\":\"a.example\","
	  "\"runCount\":2},{\"domain\":\"b.example\",\"runCount\":\"3\"}]}",
	  NUM, 5, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":null,\"tenants\":["
	  "{\"runCount\":2},{\"runCount\":null},{\"runCount\":4}]}", NUM, 6,
	  "W", NULL },
	{ "{\"displayName\":\"W\",\"tenants\":[{\"runCount\":2},"
	  "{\"runCount\":\"Some\"},{\"runCount\":1}]}", SOME, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"tenants\":[{\"runCount\":null}]}", NONE,
	  0, "W", NULL },
	{ "{\"displayName\":\"W\",\"tenants\":[]}", NONE, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"tenants\":null}", NONE, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"tenants\":[{\"domain\":\"a.example\","
	  "\"runCount\":1},{\"domain\":\"b.example\",\"runCount\":-7}]}",
	  BAD, 0, "W", "-7" },
	{ "{\"displayName\":\"W\",\"tenants\":[{\"domain\":\"b.example\","
	  "\"runCount\":\"lots\"}]}", BAD, 0, "W", "b.example" },
	{ "{\"displayName\":\"W\",\"tenants\":[5]}", BAD, 0, "W",
	  "a number" },
	{ "{\"displayName\":\"W\",\"tenants\":[{\"runCount\":"
	  "9223372036854775807},{\"runCount\":1}]}", BAD, 0, "W",
	  "64 bits" },
	/* The worker's own count wins over its tenants. */
	{ "{\"displayName\":\"W\",\"runCount\":7,\"tenants\":["
	  "{\"runCount\":2},{\"runCount\":3}]}", NUM, 7, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":0,\"tenants\":["
	  "{\"runCount\":\"some\"}]}", NUM, 0, "W", NULL },
	{ "{\"displayName\":\"W\",\"runCount\":\"some\",\"tenants\":["
	  "{\"runCount\":3}]}", SOME, 0, "W", NULL },
	/* tenants must be an array. */
	{ "{\"displayName\":\"W\",\"runCount\":1,\"tenants\":{}}", BAD, 0,
	  "W", "tenants is an object" },
	{ "{\"displayName\":\"W\",\"tenants\":\"a,b\"}", BAD, 0, "W",
	  "tenants is a string" },
};

/*
 * A worker reads the same whether its tenants are kept or only summed,
 * so each case runs both ways; without SP_REPORT_TENANTS none is kept.
 */
static bool
check_worker_flags(const struct worker_case *t, unsigned flags)
{
	char body[512];
	char err[256];
	struct sp_report r;
	const struct sp_worker *w;
	bool ok;

	snprintf(body, sizeof(body), "[%s]", t->json);
	if (parse_flags(&r, body, flags, err, sizeof(err)) != SP_REPORT_OK ||
	    r.nworkers != 1) {
		note("'%s': not read: %s\n", t->json, err);
		sp_report_free(&r);
		return false;
	}
	w = &r.workers[0];
	ok = w->count.kind == t->kind &&
	     (t->kind != NUM || w->count.value == t->value) &&
	     strcmp(w->name, t->name) == 0 &&
	     (t->problem ? w->problem && strstr(w->problem, t->problem)
			 : !w->problem) &&
	     ((flags & SP_REPORT_TENANTS) || (!w->tenants && !w->ntenants));
	if (!ok) {
		note("'%s' (flags %u): kind %d value %" PRId64 " name '%s' "
		     "problem '%s' tenants %zu\n", t->json, flags,
		     (int)w->count.kind, w->count.value, w->name,
		     w->problem ? w->problem : "(none)", w->ntenants);
	}
	sp_report_free(&r);
	return ok;
}

static bool
check_worker(const struct worker_case *t)
{
	bool kept = check_worker_flags(t, SP_REPORT_TENANTS);

	return check_worker_flags(t, 0) && kept;
}

static void
test_report_workers(void **state)
{
	(void)state;
	UNIT_TABLE(worker_cases, check_worker);
}

/* A bad worker keeps its place and number; the others are unharmed. */
static void
test_report_worker_not_object(void **state)
{
	static const char *const names[] = {
		"worker #1", "worker #2", "worker #3", "ok", "worker #5",
	};
	static const char *const problems[] = {
		"worker is a number", "worker is a string", "worker is null",
		NULL, "displayName is missing",
	};
	struct sp_report r;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(parse(&r, "[1,\"x\",null,{\"displayName\":\"ok\","
			       "\"runCount\":3},{\"runCount\":1}]", err,
			       sizeof(err)), SP_REPORT_OK);
	assert_int_equal(r.nworkers, NELEM(names));
	for (i = 0; i < NELEM(names); i++) {
		const struct sp_worker *w = &r.workers[i];

		assert_string_equal(w->name, names[i]);
		if (problems[i]) {
			assert_non_null(w->problem);
			assert_string_equal(w->problem, problems[i]);
			assert_int_equal(w->count.kind, SP_COUNT_INVALID);
		} else {
			assert_null(w->problem);
			assert_int_equal(w->count.kind, SP_COUNT_NUMBER);
			assert_int_equal(w->count.value, 3);
		}
	}
	sp_report_free(&r);
}

/* Everything a worker and its tenants carry, read and decoded. */
static void
test_report_fields(void **state)
{
	const char *body =
		"{\"service\":\"Financial\",\"workers\":[{\"displayName\":"
		"\"Sync\",\"tenantBeingProcessed\":\"a.example,b.example\","
		"\"tenants\":[{\"name\":\"Shop A\",\"domain\":\"a.example\","
		"\"runCount\":4,\"processing\":true},{\"name\":\"Shop "
		"\\u00c5\",\"domain\":\"b.example\",\"runCount\":\"some\","
		"\"processing\":false},{\"domain\":\"c.example\"}]},"
		"{\"displayName\":\"Other\",\"runCount\":1}]}";
	const struct sp_worker *w;
	struct sp_report r;
	char err[256];

	(void)state;
	assert_int_equal(parse(&r, body, err, sizeof(err)), SP_REPORT_OK);
	assert_int_equal(r.nworkers, 2);
	assert_int_equal(r.ntenants, 3);
	w = &r.workers[0];
	assert_string_equal(w->processing, "a.example,b.example");
	assert_true(w->has_tenants);
	assert_int_equal(w->ntenants, 3);
	assert_int_equal(w->own.kind, SP_COUNT_NONE);
	assert_int_equal(w->count.kind, SP_COUNT_SOME);
	assert_string_equal(w->tenants[0].name, "Shop A");
	assert_string_equal(w->tenants[0].domain, "a.example");
	assert_int_equal(w->tenants[0].count.kind, SP_COUNT_NUMBER);
	assert_int_equal(w->tenants[0].count.value, 4);
	assert_true(w->tenants[0].processing);
	assert_string_equal(w->tenants[1].name, "Shop \xC3\x85");
	assert_false(w->tenants[1].processing);
	assert_null(w->tenants[2].name);
	assert_int_equal(w->tenants[2].count.kind, SP_COUNT_NONE);
	assert_null(w->tenants[2].problem);
	assert_false(r.workers[1].has_tenants);
	assert_null(r.workers[1].processing);
	sp_report_free(&r);
}

/* A quoted value is cut, so a problem text stays one short line. */
static void
test_report_long_value(void **state)
{
	char raw[201];
	char problem[160];
	struct sp_count c;

	(void)state;
	memset(raw, '7', sizeof(raw) - 1);
	raw[sizeof(raw) - 1] = '\0';
	raw[0] = 'x';
	assert_non_null(sp_count_parse(&c, raw, strlen(raw), true, problem,
				       sizeof(problem)));
	assert_int_equal(c.kind, SP_COUNT_INVALID);
	assert_true(strlen(problem) < 80);
	assert_non_null(strstr(problem, "x777"));
	assert_non_null(strstr(problem, "..."));
}

static void
test_report_pending(void **state)
{
	struct sp_count c;

	(void)state;
	c.kind = SP_COUNT_NUMBER;
	c.value = 0;
	assert_false(sp_count_pending(&c));
	c.value = 1;
	assert_true(sp_count_pending(&c));
	c.kind = SP_COUNT_SOME;
	c.value = 0;
	assert_true(sp_count_pending(&c));
	c.kind = SP_COUNT_NONE;
	assert_false(sp_count_pending(&c));
	c.kind = SP_COUNT_INVALID;
	c.value = 5;
	assert_false(sp_count_pending(&c));
}

/*
 * Repeated names are kept once; a differently escaped spelling of the
 * same name is its own copy with the same text.  Dropping the tenants
 * arrays keeps every name readable.
 */
static void
test_report_shared_names(void **state)
{
	static const char body[] =
		"[{\"displayName\": \"W\", \"tenants\": ["
		"{\"name\": \"Shop A\", \"domain\": \"a.example\"},"
		"{\"name\": \"Shop B\", \"domain\": \"b.example\"}]},"
		"{\"displayName\": \"W2\", \"tenants\": ["
		"{\"name\": \"Shop A\", \"domain\": \"a.example\"},"
		"{\"name\": \"Shop \\u0042\", \"domain\": \"b.example\"}]}]";
	const struct sp_tenant *t0;
	const struct sp_tenant *t1;
	const char *name;
	struct sp_report r;
	char err[200];

	(void)state;
	assert_int_equal(sp_report_parse(&r, body, strlen(body),
					 SP_REPORT_TENANTS, err, sizeof(err)),
			 SP_REPORT_OK);
	t0 = r.workers[0].tenants;
	t1 = r.workers[1].tenants;
	assert_ptr_equal(t0[0].name, t1[0].name);
	assert_ptr_equal(t0[0].domain, t1[0].domain);
	assert_ptr_equal(t0[1].domain, t1[1].domain);
	assert_string_equal(t1[1].name, "Shop B");
	assert_ptr_not_equal(t0[1].name, t1[1].name);

	name = t1[1].name;
	sp_report_drop_tenants(&r);
	assert_null(r.workers[0].tenants);
	assert_int_equal(r.workers[0].ntenants, 0);
	assert_true(r.workers[0].has_tenants);
	assert_string_equal(name, "Shop B");
	assert_string_equal(r.workers[1].name, "W2");
	sp_report_free(&r);
}

/* More distinct names than are shared: each still reads back right. */
static void
test_report_many_names(void **state)
{
	size_t n = 70000;
	struct sp_buf b;
	struct sp_report r;
	char err[200];
	size_t i;

	(void)state;
	sp_buf_init(&b, (size_t)64 << 20);
	sp_buf_addstr(&b, "[{\"displayName\": \"W\", \"tenants\": [");
	for (i = 0; i < n; i++) {
		sp_buf_printf(&b, "%s{\"domain\": \"t%zu.example\", "
			      "\"runCount\": %zu}", i ? "," : "", i, i % 7);
	}
	sp_buf_addstr(&b, "]}]");
	assert_int_equal(sp_report_parse(&r, sp_buf_str(&b), b.len,
					 SP_REPORT_TENANTS, err, sizeof(err)),
			 SP_REPORT_OK);
	assert_int_equal(r.workers[0].ntenants, n);
	for (i = 0; i < n; i += 997) {
		char want[32];

		snprintf(want, sizeof(want), "t%zu.example", i);
		assert_string_equal(r.workers[0].tenants[i].domain, want);
		assert_int_equal(r.workers[0].tenants[i].count.value, i % 7);
	}
	sp_report_free(&r);
	sp_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_bodies),
		cmocka_unit_test(test_report_workers),
		cmocka_unit_test(test_report_worker_not_object),
		cmocka_unit_test(test_report_fields),
		cmocka_unit_test(test_report_long_value),
		cmocka_unit_test(test_report_pending),
		cmocka_unit_test(test_report_shared_names),
		cmocka_unit_test(test_report_many_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
