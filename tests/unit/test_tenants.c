/*
 * Tenant rows and per-tenant sums (lib/sp_tenants.c), and the JSON
 * output (lib/sp_output_json.c), from bodies read through the contract
 * reader as a plugin would.
 */
#include "config.h"

#include "unit.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_check.h"
#include "sp_json.h"
#include "sp_output.h"

struct sum_case {
	const char *body;	/* the Payments service's answer */
	bool per_tenant;
	const char *tenant;	/* the row to look at */
	enum sp_count_kind kind;
	long long value;
	bool at_least;
	double compared;	/* with --some-as 2 */
	int rows;		/* tenant rows expected */
	int none;		/* no_tenants rows expected */
};

static const struct sum_case sum_cases[] = {
	/* Per worker and tenant: one row each. */
	{ "[{\"displayName\":\"A\",\"tenants\":[{\"domain\":\"a.no\","
	  "\"runCount\":3},{\"domain\":\"b.no\",\"runCount\":4}]}]",
	  false, "a.no", SP_COUNT_NUMBER, 3, false, 3, 2, 0 },
	/* Summed over workers, domains matched ignoring case. */
	{ "[{\"displayName\":\"A\",\"tenants\":[{\"domain\":\"a.no\","
	  "\"runCount\":3}]},{\"displayName\":\"B\",\"tenants\":"
	  "[{\"domain\":\"A.NO\",\"runCount\":4}]}]",
	  true, "a.no", SP_COUNT_NUMBER, 7, false, 7, 1, 0 },
	/* "some" in a sum makes it "at least N"; some compared as 2. */
	{ "[{\"displayName\":\"A\",\"tenants\":[{\"domain\":\"a.no\","
	  "\"runCount\":\"some\"}]},{\"displayName\":\"B\",\"tenants\":"
	  "[{\"domain\":\"a.no\",\"runCount\":5}]}]",
	  true, "a.no", SP_COUNT_NUMBER, 5, true, 7, 1, 0 },
	/* Only "some": stays "some", compared as 2 per entry. */
	{ "[{\"displayName\":\"A\",\"tenants\":[{\"domain\":\"a.no\","
	  "\"runCount\":\"some\"}]},{\"displayName\":\"B\",\"tenants\":"
	  "[{\"domain\":\"a.no\",\"runCount\":\"SOME\"}]}]",
	  true, "a.no", SP_COUNT_SOME, 0, false, 4, 1, 0 },
	/* Null counts add nothing and leave the sum unknown. */
	{ "[{\"displayName\":\"A\",\"tenants\":[{\"domain\":\"a.no\","
	  "\"runCount\":null}]}]",
	  true, "a.no", SP_COUNT_NONE, 0, false, NAN, 1, 0 },
	/* A worker without tenants is a row of its own, never zero. */
	{ "[{\"displayName\":\"A\",\"runCount\":9},{\"displayName\":\"B\","
	  "\"tenants\":[{\"name\":\"Kafe\",\"runCount\":1}]}]",
	  true, "Kafe", SP_COUNT_NUMBER, 1, false, 1, 1, 1 },
	/* An empty list cannot explain pending work either. */
	{ "[{\"displayName\":\"A\",\"runCount\":9,\"tenants\":[]}]",
	  false, NULL, SP_COUNT_NONE, 0, false, NAN, 0, 1 },
	/* An idle worker with an empty list has simply no tenants. */
	{ "[{\"displayName\":\"A\",\"runCount\":0,\"tenants\":[]}]",
	  false, NULL, SP_COUNT_NONE, 0, false, NAN, 0, 0 },
};

/* A check with one answering service whose body is given. */
static bool
make_check(struct sp_check *k, struct sp_config *c, const char *body)
{
	char err[256];

	sp_config_init(c, "test");
	c->some_as = 2;
	c->output.label = "SAPERA TENANTS";
	c->output.noun = "tenant rows";
	memset(k, 0, sizeof(*k));
	k->cfg = c;
	k->nsvc = 1;
	k->svc[0].index = 8;
	k->svc[0].url = strdup("http://example.invalid/payments");
	if (sp_report_parse(&k->svc[0].report, body, strlen(body),
			    SP_REPORT_TENANTS, err, sizeof(err)) !=
	    SP_REPORT_OK) {
		note("body refused: %s\n", err);
		return false;
	}
	k->svc[0].answered = true;
	return true;
}

/* The row of tenant t, or NULL. */
static const struct sp_row *
find_row(const struct sp_check *k, const char *t)
{
	size_t i;

	for (i = 0; t && i < k->nrows; i++) {
		if (k->rows[i].tenant && strcmp(k->rows[i].tenant, t) == 0) {
			return &k->rows[i];
		}
	}
	return NULL;
}

static bool
check_sum_row(const struct sum_case *t, const struct sp_check *k)
{
	const struct sp_row *r = find_row(k, t->tenant);
	double v;

	if (!t->tenant) {
		return true;
	}
	if (!r) {
		note("%s: no row for %s\n", t->body, t->tenant);
		return false;
	}
	v = sp_check_value(k->cfg, r);
	if (r->count.kind != t->kind ||
	    (t->kind == SP_COUNT_NUMBER && r->count.value != t->value) ||
	    r->at_least != t->at_least ||
	    (!isnan(t->compared) && fabs(v - t->compared) > 1e-9)) {
		note("%s: %s: kind %d value %lld at least %d compared %g\n",
		     t->body, t->tenant, r->count.kind,
		     (long long)r->count.value, r->at_least, v);
		return false;
	}
	return true;
}

static bool
check_sum(const struct sum_case *t)
{
	struct sp_config c;
	struct sp_check k;
	int rows = 0;
	int none = 0;
	bool ok = make_check(&k, &c, t->body);
	size_t i;

	c.per_tenant = t->per_tenant;
	ok = ok && sp_check_tenant_rows(&k);
	for (i = 0; ok && i < k.nrows; i++) {
		none += k.rows[i].no_tenants;
		rows += !k.rows[i].no_tenants;
	}
	if (ok && (rows != t->rows || none != t->none)) {
		note("%s: %d rows and %d without tenants, want %d and %d\n",
		     t->body, rows, none, t->rows, t->none);
		ok = false;
	}
	ok = ok && check_sum_row(t, &k);
	sp_check_free(&k);
	sp_config_free(&c);
	return ok;
}

static void
test_tenant_sums(void **state)
{
	(void)state;
	UNIT_TABLE(sum_cases, check_sum);
}

/* The string value of key in object obj of j, decoded; "" if none. */
static const char *
json_text(const struct sp_json *j, int obj, const char *key, char *out,
	  size_t outlen)
{
	int i = sp_json_get(j, obj, key);
	size_t len;
	const char *raw;

	out[0] = '\0';
	if (i < 0) {
		return "(missing)";
	}
	raw = sp_json_raw(j, i, &len);
	if (j->tok[i].type != JSMN_STRING || len >= outlen) {
		snprintf(out, outlen, "%.*s", (int)len, raw);
		return out;
	}
	sp_json_unescape(raw, len, out);
	return out;
}

/* The document is JSON by our strict check, with every row in it. */
static void
test_json_output(void **state)
{
	static const char body[] =
		"[{\"displayName\":\"Bad\\\"name\\n\\u0007|'=\","
		"\"runCount\":30},{\"displayName\":\"Calm\",\"runCount\":1},"
		"{\"displayName\":\"Odd\",\"runCount\":-3}]";
	struct sp_config c;
	struct sp_check k;
	struct sp_buf out;
	struct sp_json j;
	char err[256];
	char text[256];
	int rows;

	(void)state;
	assert_true(make_check(&k, &c, body));
	assert_int_equal(sp_range_parse(&c.crit, "10", err, sizeof(err)), 0);
	c.has_crit = true;
	c.output.json = true;
	assert_true(sp_check_worker_rows(&k));
	sp_check_finish(&k);
	sp_buf_init(&out, 1 << 20);
	assert_true(sp_output_format(&out, &k, &c.output));
	assert_int_equal(sp_json_parse(&j, out.data, out.len, err,
				       sizeof(err)), SP_JSON_OK);

	assert_string_equal(json_text(&j, 0, "state", text, sizeof(text)),
			    "CRITICAL");
	assert_string_equal(json_text(&j, 0, "exit_code", text,
				      sizeof(text)), "2");
	rows = sp_json_get(&j, 0, "rows");
	assert_true(rows > 0);
	assert_int_equal(j.tok[rows].size, 3);

	/* Worst first: the hostile name, intact once decoded. */
	assert_string_equal(json_text(&j, rows + 1, "worker", text,
				      sizeof(text)), "Bad\"name\n\a|'=");
	assert_string_equal(json_text(&j, rows + 1, "crit", text,
				      sizeof(text)), "10");
	assert_string_equal(json_text(&j, rows + 1, "value", text,
				      sizeof(text)), "30");
	assert_string_equal(json_text(&j, rows + 1, "state", text,
				      sizeof(text)), "CRITICAL");
	assert_non_null(strstr(out.data, "\"reason\":\"runCount -3 is "
				"negative\""));
	assert_non_null(strstr(out.data, "\"answered\":true"));

	sp_json_free(&j);
	sp_buf_free(&out);
	sp_check_free(&k);
	sp_config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tenant_sums),
		cmocka_unit_test(test_json_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
