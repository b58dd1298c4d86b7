/*
 * Unit tests for lib/sp_range.c: threshold ranges in the Monitoring
 * Plugins syntax.
 *
 * Each table row is one input and what must come of it: whether it
 * parses, its normalised text, whether a value alerts.  The rows cover
 * the guidelines' own examples, values exactly on the bounds, decimals,
 * negatives, and the garbage a user can type.  Numbers are read without
 * strtod(), so one test repeats the work under a decimal-comma locale.
 */
#include "config.h"

#include "unit.h"

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sp_range.h"

#define Z30 "000000000000000000000000000000"

struct parse_case {
	const char *text;
	bool ok;
	const char *norm;	/* r.text when ok */
};

static const struct parse_case parse_cases[] = {
	/* The guidelines' table. */
	{ "10", true, "10" },
	{ "10:", true, "10:" },
	{ "~:10", true, "~:10" },
	{ "10:20", true, "10:20" },
	{ "@10:20", true, "@10:20" },
	/*
	 * The text keeps the user's spelling, less any '+': perfdata must
	 * carry the very bounds the check used, not a rounded copy.
	 */
	{ "0:10", true, "0:10" },
	{ "10.0:20.50", true, "10.0:20.50" },
	{ "007", true, "007" },
	{ "+5", true, "5" },
	{ "+1:+2", true, "1:2" },
	{ "@+1:", true, "@1:" },
	{ "-0", true, "-0" },
	{ "@10", true, "@10" },
	{ "@0:10", true, "@0:10" },
	{ "0:", true, "0:" },
	{ "10:10", true, "10:10" },
	{ "~:", true, "~:" },
	{ "0.0000001:", true, "0.0000001:" },
	/* The longest text r.text holds: 63 bytes. */
	{ "1." Z30 Z30 "0", true, "1." Z30 Z30 "0" },
	/* Decimals and negatives. */
	{ "0.5:1.5", true, "0.5:1.5" },
	{ "-10:-5", true, "-10:-5" },
	{ "~:-1", true, "~:-1" },
	{ "-1.25:", true, "-1.25:" },
	{ "@~:5", true, "@~:5" },
	{ "@0", true, "@0" },
	{ "999999999999999", true, "999999999999999" },
	/* Inverted. */
	{ "20:10", false, NULL },
	{ "-5:-10", false, NULL },
	{ "@20:10", false, NULL },
	/* Garbage. */
	{ "", false, NULL },
	{ ":", false, NULL },
	{ "abc", false, NULL },
	{ "1:2:3", false, NULL },
	{ "1e3", false, NULL },
	{ "1E3", false, NULL },
	{ "inf", false, NULL },
	{ "nan", false, NULL },
	{ "NaN", false, NULL },
	{ "Infinity", false, NULL },
	{ "0x10", false, NULL },
	{ "--1", false, NULL },
	{ "+-1", false, NULL },
	{ " 5", false, NULL },
	{ "5 ", false, NULL },
	{ "\t5", false, NULL },
	{ "@", false, NULL },
	{ "@@5", false, NULL },
	{ "~", false, NULL },
	{ "~10", false, NULL },
	{ "~:~", false, NULL },
	{ "10:~", false, NULL },
	{ "10::", false, NULL },
	{ "1..2", false, NULL },
	{ "1.2.3", false, NULL },
	{ "0,5", false, NULL },
	{ "-", false, NULL },
	{ "+", false, NULL },
	{ ".", false, NULL },
	{ "5:abc", false, NULL },
	{ "5:10 ", false, NULL },
	{ "100000000000000000000", false, NULL },
	{ "1000000000000000", false, NULL },
	{ "~:-1000000000000000", false, NULL },
	/* One byte more than r.text holds. */
	{ "1." Z30 Z30 "00", false, NULL },
};

struct alert_case {
	const char *range;
	double value;
	bool alerts;
};

static const struct alert_case alert_cases[] = {
	/* 10: outside 0..10, i.e. < 0 or > 10. */
	{ "10", -1, true },
	{ "10", -0.001, true },
	{ "10", 0, false },
	{ "10", 5, false },
	{ "10", 10, false },
	{ "10", 10.001, true },
	{ "10", 11, true },
	/* 10: below 10. */
	{ "10:", 9.999, true },
	{ "10:", 10, false },
	{ "10:", 1e12, false },
	/* ~:10: above 10. */
	{ "~:10", -1e12, false },
	{ "~:10", 10, false },
	{ "~:10", 10.5, true },
	/* 10:20: outside 10..20. */
	{ "10:20", 9, true },
	{ "10:20", 10, false },
	{ "10:20", 15, false },
	{ "10:20", 20, false },
	{ "10:20", 21, true },
	/* @10:20: inside 10..20, ends included. */
	{ "@10:20", 9, false },
	{ "@10:20", 9.999, false },
	{ "@10:20", 10, true },
	{ "@10:20", 15, true },
	{ "@10:20", 20, true },
	{ "@10:20", 20.001, false },
	/* Decimals. */
	{ "0.5:1.5", 0.4, true },
	{ "0.5:1.5", 0.5, false },
	{ "0.5:1.5", 1, false },
	{ "0.5:1.5", 1.5, false },
	{ "0.5:1.5", 1.6, true },
	/* Negatives. */
	{ "-10:-5", -11, true },
	{ "-10:-5", -10, false },
	{ "-10:-5", -5, false },
	{ "-10:-5", -4, true },
	{ "-10:-5", 0, true },
	{ "~:-1", -1, false },
	{ "~:-1", -0.5, true },
	{ "~:-1", 0, true },
	/* Inside with an open start, and a single point. */
	{ "@~:5", -100, true },
	{ "@~:5", 5, true },
	{ "@~:5", 5.1, false },
	{ "@0", 0, true },
	{ "@0", 1, false },
	{ "@0", -1, false },
	/* Both ends open: never, or (inside) always. */
	{ "~:", -1e12, false },
	{ "~:", 1e12, false },
	{ "@~:", 0, true },
};

struct number_case {
	const char *text;
	int len;		/* -1: strlen(text) */
	bool ok;
	double value;
};

static const struct number_case number_cases[] = {
	{ "0", -1, true, 0 },
	{ "42", -1, true, 42 },
	{ "-42", -1, true, -42 },
	{ "+42", -1, true, 42 },
	{ "1.5", -1, true, 1.5 },
	{ "-0.25", -1, true, -0.25 },
	{ "0.000001", -1, true, 0.000001 },
	{ "999999999999999", -1, true, 999999999999999.0 },
	{ "-999999999999999", -1, true, -999999999999999.0 },
	/* Only len bytes count: the rest of a range is not read. */
	{ "12:20", 2, true, 12 },
	{ "7", 0, false, 0 },
	{ "", -1, false, 0 },
	{ "-", -1, false, 0 },
	{ "+", -1, false, 0 },
	{ ".", -1, false, 0 },
	{ "1000000000000000", -1, false, 0 },
	{ "-1000000000000000", -1, false, 0 },
	{ "1e3", -1, false, 0 },
	{ "1.2.3", -1, false, 0 },
	{ "0x1", -1, false, 0 },
	{ "inf", -1, false, 0 },
	{ "1,5", -1, false, 0 },
	{ " 1", -1, false, 0 },
	{ "1 ", -1, false, 0 },
	{ "12:20", -1, false, 0 },
};

struct format_case {
	double value;
	const char *text;
};

static const struct format_case format_cases[] = {
	{ 0, "0" },
	{ -0.0, "0" },
	{ 1, "1" },
	{ 10, "10" },
	{ -10, "-10" },
	{ 10.5, "10.5" },
	{ -2.25, "-2.25" },
	{ 0.000001, "0.000001" },
	{ 123456.789, "123456.789" },
	{ 1e14, "100000000000000" },
	{ 1e20, "100000000000000000000" },
};

static bool
near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* Parse one row; print why it is wrong and return false if it is. */
static bool
check_parse(const struct parse_case *t)
{
	struct sp_range r;
	struct sp_range again;
	struct sp_range before;
	char err[200] = "";
	char head[41];
	enum sp_range_status st;

	memset(&r, 0xA5, sizeof(r));
	before = r;
	st = sp_range_parse(&r, t->text, err, sizeof(err));
	if (!t->ok) {
		/* A failed parse leaves r as it was and quotes the text. */
		snprintf(head, sizeof(head), "%s", t->text);
		if (st == SP_RANGE_OK) {
			note("'%s': accepted as '%s'\n", t->text,
				    r.text);
			return false;
		}
		if (memcmp(&r, &before, sizeof(r)) != 0 || !err[0] ||
		    !strstr(err, head)) {
			note("'%s': r changed or err '%s'\n", t->text,
				    err);
			return false;
		}
		return true;
	}
	if (st != SP_RANGE_OK || strcmp(r.text, t->norm) != 0) {
		note("'%s': status %d text '%s', want '%s' (%s)\n",
			    t->text, (int)st, st ? "" : r.text, t->norm, err);
		return false;
	}

	/* The normalised text means the same range. */
	if (sp_range_parse(&again, r.text, err, sizeof(err)) != SP_RANGE_OK ||
	    strcmp(again.text, r.text) != 0 || again.inside != r.inside ||
	    again.start_infinite != r.start_infinite ||
	    again.end_infinite != r.end_infinite ||
	    (!r.start_infinite && again.start != r.start) ||
	    (!r.end_infinite && again.end != r.end)) {
		note("'%s': '%s' does not parse back to the same "
			    "range\n", t->text, r.text);
		return false;
	}
	return true;
}

static void
test_range_parse(void **state)
{
	(void)state;
	UNIT_TABLE(parse_cases, check_parse);
}

static void
test_range_inverted_message(void **state)
{
	struct sp_range r;
	char err[200] = "";

	(void)state;
	assert_int_equal(sp_range_parse(&r, "20:10", err, sizeof(err)),
			 SP_RANGE_INVALID);
	assert_non_null(strstr(err, "'20:10'"));
	assert_non_null(strstr(err, "greater"));
}

static void
test_range_alerts(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(alert_cases); i++) {
		const struct alert_case *t = &alert_cases[i];
		struct sp_range r;
		char err[200];
		bool got;

		if (sp_range_parse(&r, t->range, err, sizeof(err)) !=
		    SP_RANGE_OK) {
			note("'%s': %s\n", t->range, err);
			failed++;
			continue;
		}
		got = sp_range_alerts(&r, t->value);
		if (got != t->alerts) {
			note("'%s' with %g: alerts %d, want %d\n",
				    t->range, t->value, got, t->alerts);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_range_read_number(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(number_cases); i++) {
		const struct number_case *t = &number_cases[i];
		size_t len = t->len < 0 ? strlen(t->text) : (size_t)t->len;
		double v = -12345.0;
		bool ok = sp_range_read_number(t->text, len, &v);

		if (ok != t->ok || (ok && !near(v, t->value)) ||
		    (!ok && v != -12345.0)) {
			note("'%.*s': ok %d value %.17g, want %d %g\n",
				    (int)len, t->text, ok, v, t->ok,
				    t->value);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_range_format_number(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(format_cases); i++) {
		char out[64];

		sp_range_format_number(out, sizeof(out), format_cases[i].value);
		if (strcmp(out, format_cases[i].text) != 0) {
			note("%.17g: '%s', want '%s'\n",
				    format_cases[i].value, out,
				    format_cases[i].text);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* A locale whose decimal separator is a comma, or false if none. */
static bool
set_comma_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "de_DE",
	};
	size_t i;

	for (i = 0; i < NELEM(names); i++) {
		if (setlocale(LC_NUMERIC, names[i]) &&
		    strcmp(localeconv()->decimal_point, ",") == 0) {
			return true;
		}
	}
	setlocale(LC_NUMERIC, "C");
	return false;
}

static int
reset_locale(void **state)
{
	(void)state;
	setlocale(LC_NUMERIC, "C");
	return 0;
}

/*
 * Perfdata and thresholds use '.', whatever the locale says.  Without
 * the locale main() has already marked this test as skipped.
 */
static void
test_range_locale(void **state)
{
	struct sp_range r;
	char err[200];
	char out[64];
	double v = 0;

	(void)state;
	if (!set_comma_locale()) {
		return;
	}
	assert_int_equal(sp_range_parse(&r, "0.5:1.5", err, sizeof(err)),
			 SP_RANGE_OK);
	assert_string_equal(r.text, "0.5:1.5");
	assert_false(sp_range_alerts(&r, 1.5));
	assert_true(sp_range_alerts(&r, 1.6));
	assert_int_equal(sp_range_parse(&r, "0,5:1", err, sizeof(err)),
			 SP_RANGE_INVALID);
	assert_true(sp_range_read_number("1.25", 4, &v));
	assert_true(v == 1.25);
	sp_range_format_number(out, sizeof(out), 2.5);
	assert_string_equal(out, "2.5");
}

int
main(void)
{
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_parse),
		cmocka_unit_test(test_range_inverted_message),
		cmocka_unit_test(test_range_alerts),
		cmocka_unit_test(test_range_read_number),
		cmocka_unit_test(test_range_format_number),
		cmocka_unit_test_teardown(test_range_locale, reset_locale),
	};

	/*
	 * cmocka 1.1.5 reports skip() as "not ok ... # SKIP", which the
	 * automake TAP driver counts as a failure; a SKIP directive in the
	 * name of a passing test is read as the skip it is.
	 */
	if (!set_comma_locale()) {
		tests[NELEM(tests) - 1].name = "test_range_locale # SKIP "
					       "de_DE.UTF-8 not installed";
	}
	setlocale(LC_NUMERIC, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
