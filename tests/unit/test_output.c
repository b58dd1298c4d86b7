/*
 * Unit tests for lib/sp_output.c with lib/sp_check.c: what the plugin
 * prints for a check run.
 *
 * Each test builds a struct sp_check by hand, as sp_check_fetch() and
 * sp_check_worker_rows() would leave it, lets sp_check_finish() judge
 * it and formats it.  The perfdata is then split by a small tokenizer
 * that follows the Monitoring Plugins syntax (quoted labels, ';'
 * fields), so a broken quote or a stray '=' fails the parse.  Every
 * output is also held to the rules that do not depend on the data: one
 * '|' and only on the first line, no control bytes, unique labels made
 * of [A-Za-z0-9_.-/#@] only.
 */
#include "config.h"

#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_buf.h"
#include "sp_check.h"
#include "sp_config.h"
#include "sp_output.h"

/* Service indexes into sp_service_names. */
#define FIN 0
#define INV 1

#define MAX_PERF 64

/* One perfdata item; a field that is absent is an empty string. */
struct perf {
	char label[256];
	char field[5][64];	/* value, warn, crit, min, max */
	int nfield;
};

struct perfdata {
	struct perf item[MAX_PERF];
	size_t n;
};

/* A worker or tenant row as a test writes it. */
struct row_spec {
	int service;
	const char *worker;
	const char *tenant;
	enum sp_count_kind kind;
	int64_t value;
	const char *problem;
};

/* The label: quoted with '' for a quote inside, or bare up to '='. */
static const char *
perf_label(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	if (*s != '\'') {
		while (*s && *s != '=' && *s != ' ' && *s != '\'' &&
		       n + 1 < outlen) {
			out[n++] = *s++;
		}
		out[n] = '\0';
		return n ? s : NULL;
	}
	for (s++;; s++) {
		if (!*s || n + 1 >= outlen) {
			return NULL;
		}
		if (*s == '\'' && s[1] == '\'') {
			out[n++] = *s++;
		} else if (*s == '\'') {
			out[n] = '\0';
			return n ? s + 1 : NULL;
		} else {
			out[n++] = *s;
		}
	}
}

/* Whether a value is U or a plain decimal number. */
static bool
perf_number(const char *v)
{
	bool digits = false;

	if (strcmp(v, "U") == 0) {
		return true;
	}
	if (*v == '-') {
		v++;
	}
	for (; *v >= '0' && *v <= '9'; v++) {
		digits = true;
	}
	if (*v == '.') {
		for (v++; *v >= '0' && *v <= '9'; v++) {
			continue;
		}
	}
	return digits && !*v;
}

/* The ';'-separated fields after '=', up to a blank or the end. */
static const char *
perf_fields(const char *s, struct perf *p)
{
	size_t n = 0;

	p->nfield = 1;
	for (; *s && *s != ' '; s++) {
		if (*s == ';') {
			if (p->nfield == 5) {
				return NULL;
			}
			p->field[p->nfield - 1][n] = '\0';
			p->nfield++;
			n = 0;
		} else if (n + 1 < sizeof(p->field[0])) {
			p->field[p->nfield - 1][n++] = *s;
		} else {
			return NULL;
		}
	}
	p->field[p->nfield - 1][n] = '\0';
	return perf_number(p->field[0]) ? s : NULL;
}

/* Split perfdata text into items; false on any syntax error. */
static bool
perf_parse(const char *s, struct perfdata *pd)
{
	memset(pd, 0, sizeof(*pd));
	for (;;) {
		struct perf *p = &pd->item[pd->n];

		while (*s == ' ') {
			s++;
		}
		if (!*s) {
			return true;
		}
		if (pd->n == MAX_PERF) {
			return false;
		}
		s = perf_label(s, p->label, sizeof(p->label));
		if (!s || *s != '=') {
			return false;
		}
		s = perf_fields(s + 1, p);
		if (!s) {
			return false;
		}
		pd->n++;
	}
}

static const struct perf *
perf_find(const struct perfdata *pd, const char *label)
{
	size_t i;

	for (i = 0; i < pd->n; i++) {
		if (strcmp(pd->item[i].label, label) == 0) {
			return &pd->item[i];
		}
	}
	return NULL;
}

/* Assert one item: "value;warn;crit;min;max" in a single string. */
static void
assert_perf(const struct perfdata *pd, const char *label, const char *want)
{
	const struct perf *p = perf_find(pd, label);
	char got[400];
	int i;

	if (!p) {
		fail_msg("no perfdata for '%s'", label);
	}
	got[0] = '\0';
	for (i = 0; i < p->nfield; i++) {
		strcat(got, p->field[i]);
		if (i + 1 < p->nfield) {
			strcat(got, ";");
		}
	}
	if (strcmp(got, want) != 0) {
		fail_msg("'%s'=%s, want %s", label, got, want);
	}
}

static bool
label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_.-/#@", c));
}

/* Labels are unique and made of the characters that never need care. */
static void
assert_labels(const struct perfdata *pd)
{
	size_t i;
	size_t k;

	for (i = 0; i < pd->n; i++) {
		const char *l = pd->item[i].label;

		for (k = 0; l[k]; k++) {
			if (!label_char(l[k])) {
				fail_msg("label '%s' has byte %02X", l,
					 (unsigned char)l[k]);
			}
		}
		for (k = 0; k < i; k++) {
			if (strcmp(l, pd->item[k].label) == 0) {
				fail_msg("label '%s' appears twice", l);
			}
		}
	}
}

/*
 * What holds for every output: one '|', on the first line, before
 * parseable perfdata; no control byte but the line ends.
 */
static void
assert_output(const char *out, struct perfdata *pd)
{
	const char *bar = strchr(out, '|');
	const char *nl = strchr(out, '\n');
	const char *s;
	char first[8192];

	assert_non_null(bar);
	assert_non_null(nl);
	assert_null(strchr(bar + 1, '|'));
	assert_true(bar < nl);
	for (s = out; *s; s++) {
		if ((*s != '\n' && (unsigned char)*s < 0x20) || *s == 0x7F) {
			fail_msg("control byte %02X at %zu", (unsigned)*s,
				 (size_t)(s - out));
		}
	}
	assert_true((size_t)(nl - bar) < sizeof(first));
	memcpy(first, bar + 1, (size_t)(nl - bar - 1));
	first[nl - bar - 1] = '\0';
	if (!perf_parse(first, pd)) {
		fail_msg("perfdata does not parse: %s", first);
	}
	assert_labels(pd);
}

static void
set_range(struct sp_range *r, const char *text)
{
	char err[128];

	assert_int_equal(sp_range_parse(r, text, err, sizeof(err)),
			 SP_RANGE_OK);
}

/* One check run under test; teardown frees whatever it holds. */
struct fixture {
	struct sp_config c;
	struct sp_check k;
	char *out;
};

static void
fx_clear(struct fixture *f)
{
	free(f->out);
	f->out = NULL;
	sp_check_free(&f->k);
	sp_config_free(&f->c);
}

static int
fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	*state = f;
	return f ? 0 : -1;
}

static int
fx_teardown(void **state)
{
	struct fixture *f = *state;

	fx_clear(f);
	free(f);
	return 0;
}

/* A fresh run with -w 10 -c 20 and nsvc services that answered. */
static void
fx_init(struct fixture *f, size_t nsvc)
{
	size_t i;

	fx_clear(f);
	sp_config_init(&f->c, "check_sapera_workers");
	f->c.output.label = "SAPERA WORKERS";
	f->c.output.noun = "workers";
	set_range(&f->c.warn, "10");
	set_range(&f->c.crit, "20");
	f->c.has_warn = true;
	f->c.has_crit = true;

	f->k.cfg = &f->c;
	f->k.nsvc = nsvc;
	for (i = 0; i < nsvc; i++) {
		f->k.svc[i].index = (int)i;
		f->k.svc[i].answered = true;
		f->k.svc[i].state = SP_OK;
	}
}

/* Mark service i as failed, as sp_check_fetch() records it. */
static void
fail_service(struct sp_check *k, size_t i, enum sp_state st,
	     const char *reason)
{
	k->svc[i].answered = false;
	k->svc[i].state = st;
	snprintf(k->svc[i].reason, sizeof(k->svc[i].reason), "%s", reason);
}

static void
add_rows(struct sp_check *k, const struct row_spec *spec, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct sp_row r;

		memset(&r, 0, sizeof(r));
		r.service = spec[i].service;
		r.worker = spec[i].worker;
		r.tenant = spec[i].tenant;
		r.problem = spec[i].problem;
		r.count.kind = spec[i].kind;
		r.count.value = spec[i].value;
		assert_true(sp_check_add(k, &r));
	}
}

/* Judge the rows and format everything into f->out. */
static const char *
render(struct fixture *f)
{
	struct sp_buf b;

	sp_check_finish(&f->k);
	sp_buf_init(&b, 1 << 20);
	assert_true(sp_output_format(&b, &f->k, &f->c.output));
	f->out = sp_buf_take(&b);
	assert_non_null(f->out);
	return f->out;
}

/* The first line up to " | ", for exact comparison. */
static void
assert_summary(const char *out, const char *want)
{
	const char *end = strstr(out, " | ");
	size_t len = end ? (size_t)(end - out) : strcspn(out, "\n");

	if (len != strlen(want) || memcmp(out, want, len) != 0) {
		fail_msg("first line '%.*s', want '%s'", (int)len, out, want);
	}
}

/* Table lines of service svc that name worker, after the first line. */
static size_t
table_lines(const char *out, const char *svc, const char *worker)
{
	const char *s = strchr(out, '\n');
	size_t n = 0;

	while (s && s[1]) {
		const char *line = s + 1;
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (strncmp(buf, svc, strlen(svc)) == 0 &&
		    buf[strlen(svc)] == ' ' &&
		    (!worker || strstr(buf, worker))) {
			n++;
		}
		s = end;
	}
	return n;
}

static const struct row_spec values_rows[] = {
	{ FIN, "A", NULL, SP_COUNT_NUMBER, 5, NULL },
	{ FIN, "B", NULL, SP_COUNT_SOME, 0, NULL },
	{ FIN, "C", NULL, SP_COUNT_NONE, 0, NULL },
	{ FIN, "D", NULL, SP_COUNT_INVALID, 0, "runCount -3 is negative" },
	{ INV, "E", NULL, SP_COUNT_NUMBER, 25, NULL },
	{ INV, "E", "shop1.example.com", SP_COUNT_NUMBER, 7, NULL },
};

/* Values, thresholds and U for what is not a known count. */
static void
test_output_perfdata(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	add_rows(&f->k, values_rows, NELEM(values_rows));
	assert_output(render(f), &pd);

	assert_int_equal(pd.n, 3 + NELEM(values_rows));
	assert_string_equal(pd.item[0].label, "total_backlog");
	assert_string_equal(pd.item[1].label, "active_workers");
	assert_string_equal(pd.item[2].label, "services_answered");
	assert_perf(&pd, "total_backlog", "37;;;0;");
	assert_perf(&pd, "active_workers", "4;;;0;");
	assert_perf(&pd, "services_answered", "2;;;0;2");
	assert_perf(&pd, "Financial/A", "5;10;20;0;");
	assert_perf(&pd, "Financial/B", "U;10;20;0;");
	assert_perf(&pd, "Financial/C", "U;10;20;0;");
	assert_perf(&pd, "Financial/D", "U;10;20;0;");
	assert_perf(&pd, "Inventory/E", "25;10;20;0;");
	assert_perf(&pd, "Inventory/E/shop1.example.com", "7;10;20;0;");
}

struct some_case {
	enum sp_some_perfdata mode;
	double some_as;
	const char *value;	/* NULL: the item is left out */
};

static const struct some_case some_cases[] = {
	{ SP_SOME_UNKNOWN, 1, "U;10;20;0;" },
	{ SP_SOME_VALUE, 1, "1;10;20;0;" },
	{ SP_SOME_VALUE, 2.5, "2.5;10;20;0;" },
	{ SP_SOME_VALUE, 0, "0;10;20;0;" },
	{ SP_SOME_OMIT, 1, NULL },
};

/* "some" as U, as the --some-as figure, or not at all. */
static void
test_output_some(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;
	size_t i;

	for (i = 0; i < NELEM(some_cases); i++) {
		const struct some_case *t = &some_cases[i];

		fx_init(f, 2);
		f->c.output.some_perfdata = t->mode;
		f->c.some_as = t->some_as;
		add_rows(&f->k, values_rows, NELEM(values_rows));
		assert_output(render(f), &pd);
		if (t->value) {
			assert_perf(&pd, "Financial/B", t->value);
		} else {
			assert_null(perf_find(&pd, "Financial/B"));
			assert_int_equal(pd.n, 2 + NELEM(values_rows));
		}
		/* Unknown counts stay U whatever the mode. */
		assert_perf(&pd, "Financial/C", "U;10;20;0;");
	}
}

/* Without row perfdata only the totals are left; with none, no '|'. */
static void
test_output_perfdata_modes(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	f->c.output.perfdata = SP_PERFDATA_TOTALS;
	add_rows(&f->k, values_rows, NELEM(values_rows));
	assert_output(render(f), &pd);
	assert_int_equal(pd.n, 3);

	fx_init(f, 2);
	f->c.output.perfdata = SP_PERFDATA_NONE;
	add_rows(&f->k, values_rows, NELEM(values_rows));
	assert_null(strchr(render(f), '|'));
}

static const struct row_spec dup_rows[] = {
	{ FIN, "W", NULL, SP_COUNT_NUMBER, 1, NULL },
	{ FIN, "W", NULL, SP_COUNT_NUMBER, 2, NULL },
	{ INV, "W", NULL, SP_COUNT_NUMBER, 9, NULL },
	{ FIN, "W", NULL, SP_COUNT_NUMBER, 30, NULL },
	{ FIN, "a b", NULL, SP_COUNT_NUMBER, 4, NULL },
	{ FIN, "a=b", NULL, SP_COUNT_NUMBER, 5, NULL },
	{ FIN, "a'b", NULL, SP_COUNT_NUMBER, 6, NULL },
};

/*
 * Equal labels are numbered by the names as sent ("a b" < "a'b" <
 * "a=b" bytewise), and rows named exactly alike in the order added.
 */
static void
test_output_duplicates(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	add_rows(&f->k, dup_rows, NELEM(dup_rows));
	assert_output(render(f), &pd);
	assert_int_equal(pd.n, 3 + NELEM(dup_rows));
	assert_perf(&pd, "Financial/W", "1;10;20;0;");
	assert_perf(&pd, "Financial/W#2", "2;10;20;0;");
	assert_perf(&pd, "Financial/W#3", "30;10;20;0;");
	assert_perf(&pd, "Inventory/W", "9;10;20;0;");
	assert_perf(&pd, "Financial/a_b", "4;10;20;0;");
	assert_perf(&pd, "Financial/a_b#2", "6;10;20;0;");
	assert_perf(&pd, "Financial/a_b#3", "5;10;20;0;");
}

/* A numbered label must not clash with a name that already has "#2". */
static void
test_output_duplicate_suffix(void **state)
{
	static const struct row_spec rows[] = {
		{ FIN, "W", NULL, SP_COUNT_NUMBER, 1, NULL },
		{ FIN, "W", NULL, SP_COUNT_NUMBER, 2, NULL },
		{ FIN, "W#2", NULL, SP_COUNT_NUMBER, 3, NULL },
	};
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 1);
	add_rows(&f->k, rows, NELEM(rows));
	assert_output(render(f), &pd);
	assert_int_equal(pd.n, 3 + NELEM(rows));
	assert_perf(&pd, "Financial/W", "1;10;20;0;");
}

static const struct row_spec hostile_rows[] = {
	{ FIN, "new\nline", NULL, SP_COUNT_NUMBER, 25, NULL },
	{ FIN, "pipe|name", NULL, SP_COUNT_NUMBER, 26, NULL },
	{ FIN, "it's", "t'x|y\r\n", SP_COUNT_NUMBER, 27, NULL },
	{ FIN, "a=b c::d", NULL, SP_COUNT_NUMBER, 28, NULL },
	{ INV, "Caf\xC3\xA9 \xFF\xFE", NULL, SP_COUNT_NUMBER, 29, NULL },
	{ INV, "tab\there", NULL, SP_COUNT_INVALID, 0, "bad | value\nx" },
	{ INV, "'", NULL, SP_COUNT_NUMBER, 1, NULL },
	{ INV, "\x1B[2J", NULL, SP_COUNT_NUMBER, 2, NULL },
};

/* Names from the wire cannot break the line, the '|' or a label. */
static void
test_output_hostile(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;
	const char *out;
	size_t i;

	fx_init(f, 3);
	fail_service(&f->k, 2, SP_UNKNOWN, "HTTP 500: a|b\nc");
	add_rows(&f->k, hostile_rows, NELEM(hostile_rows));
	f->k.rows[0].processing = "x|y\nz";
	out = render(f);
	assert_output(out, &pd);
	assert_int_equal(pd.n, 3 + NELEM(hostile_rows));
	assert_summary(out, "SAPERA WORKERS CRITICAL - Financial/new?line "
		       "25 (crit 20), Financial/pipe?name 26 (crit 20), "
		       "Financial/it's/t'x?y?? 27 (crit 20), +4 more");
	assert_perf(&pd, "Financial/new_line", "25;10;20;0;");
	assert_perf(&pd, "Financial/it_s/t_x_y__", "27;10;20;0;");
	assert_perf(&pd, "Financial/a_b_c__d", "28;10;20;0;");
	for (i = 0; i < pd.n; i++) {
		assert_null(strstr(pd.item[i].label, "::"));
	}
	assert_non_null(strstr(out, "Service Accounting: UNKNOWN - HTTP 500: "
			       "a?b?c\n"));
	assert_non_null(strstr(out, "Caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD"));
	assert_non_null(strstr(out, "x?y?z"));
}

/* Which rows a state case has. */
#define R_OK 0x1
#define R_WARN 0x2
#define R_CRIT 0x4
#define R_UNKN 0x8

struct state_case {
	unsigned rows;
	int svc_state;		/* state of a failed service, or -1 */
	enum sp_state want;
};

static const struct state_case state_cases[] = {
	{ 0, -1, SP_OK },
	{ R_OK, -1, SP_OK },
	{ R_WARN, -1, SP_WARNING },
	{ R_CRIT, -1, SP_CRITICAL },
	{ R_UNKN, -1, SP_UNKNOWN },
	{ R_OK | R_WARN, -1, SP_WARNING },
	{ R_OK | R_CRIT, -1, SP_CRITICAL },
	{ R_OK | R_UNKN, -1, SP_UNKNOWN },
	{ R_WARN | R_CRIT, -1, SP_CRITICAL },
	{ R_WARN | R_UNKN, -1, SP_WARNING },
	{ R_CRIT | R_UNKN, -1, SP_CRITICAL },
	{ R_OK | R_WARN | R_CRIT, -1, SP_CRITICAL },
	{ R_OK | R_WARN | R_UNKN, -1, SP_WARNING },
	{ R_OK | R_CRIT | R_UNKN, -1, SP_CRITICAL },
	{ R_WARN | R_CRIT | R_UNKN, -1, SP_CRITICAL },
	{ R_OK | R_WARN | R_CRIT | R_UNKN, -1, SP_CRITICAL },
	/* A service that did not answer counts with its state. */
	{ R_OK, SP_UNKNOWN, SP_UNKNOWN },
	{ R_WARN, SP_UNKNOWN, SP_WARNING },
	{ R_CRIT, SP_UNKNOWN, SP_CRITICAL },
	{ R_OK, SP_CRITICAL, SP_CRITICAL },
	{ R_WARN | R_UNKN, SP_CRITICAL, SP_CRITICAL },
	{ R_OK, SP_WARNING, SP_WARNING },
	{ R_OK, SP_OK, SP_OK },
};

/* The rows of a state case: counts 0, 15 and 25, and a problem. */
static void
add_state_rows(struct sp_check *k, unsigned rows)
{
	static const struct row_spec spec[] = {
		{ FIN, "ok", NULL, SP_COUNT_NUMBER, 0, NULL },
		{ FIN, "warn", NULL, SP_COUNT_NUMBER, 15, NULL },
		{ FIN, "crit", NULL, SP_COUNT_NUMBER, 25, NULL },
		{ FIN, "unknown", NULL, SP_COUNT_INVALID, 0, "bad" },
	};
	size_t i;

	for (i = 0; i < NELEM(spec); i++) {
		if (rows & (1u << i)) {
			add_rows(k, &spec[i], 1);
		}
	}
}

/* CRITICAL > WARNING > UNKNOWN > OK, for rows and services alike. */
static void
test_output_state_order(void **state)
{
	struct fixture *f = *state;
	size_t failed = 0;
	size_t i;

	for (i = 0; i < NELEM(state_cases); i++) {
		const struct state_case *t = &state_cases[i];
		const char *out;
		char want[64];

		fx_init(f, 2);
		if (t->svc_state >= 0) {
			fail_service(&f->k, 1, (enum sp_state)t->svc_state,
				     "connection refused");
		}
		add_state_rows(&f->k, t->rows);
		out = render(f);
		snprintf(want, sizeof(want), "SAPERA WORKERS %s - ",
			 sp_state_name(t->want));
		if (f->k.state != t->want ||
		    strncmp(out, want, strlen(want)) != 0) {
			note("state row %zu: state %d, first line %.60s\n", i,
			     (int)f->k.state, out);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* Keeps the state a test gave the row. */
static void
keep_state(struct sp_check *k, struct sp_row *r)
{
	(void)k;
	(void)r;
}

/*
 * Rows come out worst first, active before idle, and otherwise in the
 * order they were added; every row once.  Thousands of rows in every
 * mix of state and activity, from a fixed pseudo-random sequence.
 */
static void
test_output_sort(void **state)
{
	static const enum sp_state states[] = {
		SP_OK, SP_WARNING, SP_CRITICAL, SP_UNKNOWN
	};
	struct fixture *f = *state;
	const struct sp_row *p = NULL;
	const struct sp_row *a;
	struct sp_check_iter it;
	unsigned long seed = 12345;
	size_t n = 5000;
	bool *seen;
	size_t i;

	fx_init(f, 1);
	f->k.eval = keep_state;
	for (i = 0; i < n; i++) {
		struct sp_row r;

		memset(&r, 0, sizeof(r));
		seed = seed * 1103515245 + 12345;
		r.state = states[(seed >> 16) % 4];
		r.active = (seed >> 20) % 3 == 0;
		r.worker = "W";
		assert_true(sp_check_add(&f->k, &r));
	}
	assert_true(sp_check_finish(&f->k));
	seen = calloc(n, sizeof(*seen));
	assert_non_null(seen);
	sp_check_iter_init(&it);
	for (i = 0, a = sp_check_iter_next(&f->k, &it); a;
	     i++, a = sp_check_iter_next(&f->k, &it)) {
		size_t at = (size_t)(a - f->k.rows);

		assert_true(at < n && !seen[at]);
		seen[at] = true;
		if (p) {
			int rp = sp_state_rank(p->state);
			int ra = sp_state_rank(a->state);

			assert_true(rp > ra || (rp == ra && p->active &&
						!a->active) ||
				    (rp == ra && p->active == a->active &&
				     p < a));
		}
		p = a;
	}
	assert_int_equal(i, n);
	free(seen);
}

static const struct row_spec summary_rows[] = {
	{ FIN, "W1", NULL, SP_COUNT_NUMBER, 25, NULL },
	{ FIN, "W2", NULL, SP_COUNT_NUMBER, 15, NULL },
	{ FIN, "W3", NULL, SP_COUNT_INVALID, 0, "runCount -3 is negative" },
	{ FIN, "W4", NULL, SP_COUNT_NUMBER, 12, NULL },
	{ INV, "W5", NULL, SP_COUNT_NUMBER, 30, NULL },
	{ INV, "W6", NULL, SP_COUNT_NUMBER, 0, NULL },
};

/* Worst first, with the range that was broken; the rest are counted. */
static void
test_output_summary(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	add_rows(&f->k, summary_rows, NELEM(summary_rows));
	assert_output(render(f), &pd);
	assert_summary(f->out, "SAPERA WORKERS CRITICAL - Financial/W1 25 "
		       "(crit 20), Inventory/W5 30 (crit 20), Financial/W2 "
		       "15 (warn 10), +2 more");

	/* Three problems fit without "+N more"; a problem says why. */
	fx_init(f, 2);
	add_rows(&f->k, summary_rows + 1, 3);
	assert_summary(render(f), "SAPERA WORKERS WARNING - Financial/W2 15 "
		       "(warn 10), Financial/W4 12 (warn 10), Financial/W3: "
		       "runCount -3 is negative");

	/* An inside range is shown as given. */
	fx_init(f, 1);
	set_range(&f->c.crit, "@50:100");
	add_rows(&f->k, summary_rows, 1);
	f->k.rows[0].count.value = 50;
	assert_summary(render(f), "SAPERA WORKERS CRITICAL - Financial/W1 50 "
		       "(crit @50:100)");
}

/* All quiet: how many, where, how busy. */
static void
test_output_ok_summary(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	add_rows(&f->k, summary_rows + 5, 1);
	add_rows(&f->k, values_rows, 2);
	assert_output(render(f), &pd);
	/* B's "some" is not in the sum, so the sum is a lower bound. */
	assert_summary(f->out, "SAPERA WORKERS OK - 3 workers in 2 services, "
		       "2 active, backlog at least 5");
	assert_perf(&pd, "active_workers", "2;;;0;");
}

/* A service that did not answer is named with its reason. */
static void
test_output_failed_service(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 2);
	fail_service(&f->k, 1, SP_UNKNOWN, "HTTP 503: Service Unavailable");
	add_rows(&f->k, values_rows, 1);
	assert_output(render(f), &pd);
	assert_int_equal(f->k.state, SP_UNKNOWN);
	assert_summary(f->out, "SAPERA WORKERS UNKNOWN - Inventory: HTTP 503: "
		       "Service Unavailable");
	assert_perf(&pd, "services_answered", "1;;;0;2");
	assert_non_null(strstr(f->out, "\nService Inventory: UNKNOWN - HTTP "
			       "503: Service Unavailable\n"));

	/* Ranked with the rows: a CRITICAL row still comes first. */
	fx_init(f, 2);
	fail_service(&f->k, 1, SP_UNKNOWN, "timeout after 10 s");
	add_rows(&f->k, summary_rows, 1);
	assert_summary(render(f), "SAPERA WORKERS CRITICAL - Financial/W1 25 "
		       "(crit 20), Inventory: timeout after 10 s");
}

static const struct row_spec many_rows[] = {
	{ FIN, "R1", NULL, SP_COUNT_NUMBER, 1, NULL },
	{ FIN, "R2", NULL, SP_COUNT_NUMBER, 2, NULL },
	{ FIN, "R3", NULL, SP_COUNT_NUMBER, 15, NULL },
	{ FIN, "R4", NULL, SP_COUNT_NUMBER, 4, NULL },
	{ FIN, "R5", NULL, SP_COUNT_NUMBER, 25, NULL },
};

/* --problems-only hides OK rows from the table, never from perfdata. */
static void
test_output_problems_only(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 1);
	f->c.output.problems_only = true;
	add_rows(&f->k, many_rows, NELEM(many_rows));
	assert_output(render(f), &pd);
	assert_int_equal(pd.n, 3 + NELEM(many_rows));
	assert_int_equal(table_lines(f->out, "Financial", NULL), 2);
	assert_int_equal(table_lines(f->out, "Financial", "R3"), 1);
	assert_int_equal(table_lines(f->out, "Financial", "R5"), 1);
	assert_non_null(strstr(f->out, "\n3 OK rows hidden"));
	assert_null(strstr(f->out, "not shown"));

	/* Without it every row is listed. */
	fx_init(f, 1);
	add_rows(&f->k, many_rows, NELEM(many_rows));
	assert_int_equal(table_lines(render(f), "Financial", NULL), 5);
	assert_null(strstr(f->out, "hidden"));
}

/* --max-rows cuts the table and says how many rows it left out. */
static void
test_output_max_rows(void **state)
{
	struct fixture *f = *state;
	struct perfdata pd;

	fx_init(f, 1);
	f->c.output.max_rows = 2;
	f->c.output.max_rows_set = true;
	add_rows(&f->k, many_rows, NELEM(many_rows));
	assert_output(render(f), &pd);
	assert_int_equal(pd.n, 3 + NELEM(many_rows));
	assert_int_equal(table_lines(f->out, "Financial", NULL), 2);
	assert_int_equal(table_lines(f->out, "Financial", "R5"), 1);
	assert_int_equal(table_lines(f->out, "Financial", "R3"), 1);
	assert_non_null(strstr(f->out, "\n... 3 more rows not shown"));

	/* With --problems-only, hidden OK rows are not counted twice. */
	fx_init(f, 1);
	f->c.output.max_rows = 1;
	f->c.output.max_rows_set = true;
	f->c.output.problems_only = true;
	add_rows(&f->k, many_rows, NELEM(many_rows));
	assert_int_equal(table_lines(render(f), "Financial", NULL), 1);
	assert_non_null(strstr(f->out, "\n... 1 more rows not shown"));
	assert_non_null(strstr(f->out, "\n3 OK rows hidden"));
}

#define FX_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_output_perfdata),
		FX_TEST(test_output_some),
		FX_TEST(test_output_perfdata_modes),
		FX_TEST(test_output_duplicates),
		FX_TEST(test_output_duplicate_suffix),
		FX_TEST(test_output_hostile),
		FX_TEST(test_output_state_order),
		FX_TEST(test_output_sort),
		FX_TEST(test_output_summary),
		FX_TEST(test_output_ok_summary),
		FX_TEST(test_output_failed_service),
		FX_TEST(test_output_problems_only),
		FX_TEST(test_output_max_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
