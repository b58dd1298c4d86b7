/*
 * Unit tests for lib/sp_json.c: the strict JSON check in front of jsmn,
 * and the helpers that walk and decode its tokens.
 *
 * The parse table holds one document per row and the status it must
 * get: valid documents, every kind of malformed one (jsmn alone would
 * take several of them), truncated ones, and empty bodies.  Big and
 * deeply nested documents are built at run time.  Every input lives in
 * a buffer of exactly its length, so AddressSanitizer sees any read
 * past the end.
 */
#include "config.h"

#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sp_json.h"

#define OK SP_JSON_OK
#define EMPTY SP_JSON_EMPTY
#define TRUNC SP_JSON_TRUNCATED
#define BAD SP_JSON_INVALID

/* Nesting sp_json.c accepts; one more level is refused. */
#define MAX_DEPTH 64

struct parse_case {
	const char *text;
	int len;		/* -1: strlen(text) */
	enum sp_json_status status;
	int ntok;		/* tokens when OK */
};

static const struct parse_case parse_cases[] = {
	/* Valid documents, containers and bare values. */
	{ "{}", -1, OK, 1 },
	{ "[]", -1, OK, 1 },
	{ "{\"a\":1}", -1, OK, 3 },
	{ "[1,2,3]", -1, OK, 4 },
	{ "{\"a\":[true,false,null],\"b\":{\"c\":\"d\"}}", -1, OK, 10 },
	{ " \t\r\n[ 1 , { \"k\" : \"v\" } ]\n", -1, OK, 5 },
	{ "{\"\":0}", -1, OK, 3 },
	{ "[\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", -1, OK,
	  2 },
	{ "[\"caf\xC3\xA9\"]", -1, OK, 2 },
	{ "[0,-0,1.5,-0.5e+3,1E-2,2e10]", -1, OK, 7 },
	{ "\"text\"", -1, OK, 1 },
	/*
	 * A bare literal is valid JSON, but strict jsmn wants a delimiter
	 * after a primitive and refuses one at the top; sp_json.c reports
	 * it as invalid.  No report is a bare literal.
	 */
	{ "1", -1, BAD, 0 },
	{ "-0.5e+3", -1, BAD, 0 },
	{ "true", -1, BAD, 0 },
	{ "false", -1, BAD, 0 },
	{ "null", -1, BAD, 0 },
	/* A byte order mark before the document is skipped. */
	{ "\xEF\xBB\xBF{\"a\":1}", -1, OK, 3 },
	/* Empty. */
	{ "", -1, EMPTY, 0 },
	{ " ", -1, EMPTY, 0 },
	{ " \t\r\n", -1, EMPTY, 0 },
	{ "\xEF\xBB\xBF", -1, EMPTY, 0 },
	{ "\xEF\xBB\xBF \n", -1, EMPTY, 0 },
	/* Structure. */
	{ "{\"a\"}", -1, BAD, 0 },
	{ "{\"a\":1,}", -1, BAD, 0 },
	{ "[1,]", -1, BAD, 0 },
	{ "[,1]", -1, BAD, 0 },
	{ "[1 2]", -1, BAD, 0 },
	{ "{\"a\" 1}", -1, BAD, 0 },
	{ "{\"a\":1 \"b\":2}", -1, BAD, 0 },
	{ "{a:1}", -1, BAD, 0 },
	{ "{'a':1}", -1, BAD, 0 },
	{ "{1:1}", -1, BAD, 0 },
	{ "[1}", -1, BAD, 0 },
	{ "{}{}", -1, BAD, 0 },
	{ "[1] x", -1, BAD, 0 },
	{ "[1]\0", 4, BAD, 0 },
	{ "]", -1, BAD, 0 },
	{ "}", -1, BAD, 0 },
	{ ",", -1, BAD, 0 },
	{ "\f[1]", -1, BAD, 0 },
	{ "\xEF\xBB\xBF\xEF\xBB\xBF[]", -1, BAD, 0 },
	{ "<html><body>502 Bad Gateway</body></html>", -1, BAD, 0 },
	/* Literals. */
	{ "tru", -1, TRUNC, 0 },
	{ "nul", -1, TRUNC, 0 },
	{ "[tru]", -1, BAD, 0 },
	{ "trux", -1, BAD, 0 },
	{ "True", -1, BAD, 0 },
	{ "nulll", -1, BAD, 0 },
	{ "[NaN]", -1, BAD, 0 },
	{ "[Infinity]", -1, BAD, 0 },
	{ "undefined", -1, BAD, 0 },
	/* Numbers. */
	{ "01", -1, BAD, 0 },
	{ "-01", -1, BAD, 0 },
	{ "1.2.3", -1, BAD, 0 },
	{ "-", -1, TRUNC, 0 },
	{ "[-]", -1, BAD, 0 },
	{ "1.", -1, TRUNC, 0 },
	{ "[1.]", -1, BAD, 0 },
	{ ".5", -1, BAD, 0 },
	{ "1e", -1, TRUNC, 0 },
	{ "[1e]", -1, BAD, 0 },
	{ "[1e+]", -1, BAD, 0 },
	{ "+1", -1, BAD, 0 },
	{ "[0x10]", -1, BAD, 0 },
	{ "[--1]", -1, BAD, 0 },
	/* Strings. */
	{ "\"\\x\"", -1, BAD, 0 },
	{ "\"\\u12\"", -1, BAD, 0 },
	{ "\"\\u12g4\"", -1, BAD, 0 },
	{ "\"\\U0041\"", -1, BAD, 0 },
	{ "\"a\x01z\"", -1, BAD, 0 },
	{ "\"a\tz\"", -1, BAD, 0 },
	{ "\"a\nz\"", -1, BAD, 0 },
	{ "\"a\0z\"", 5, BAD, 0 },
	{ "'a'", -1, BAD, 0 },
	/* Truncated. */
	{ "\"abc", -1, TRUNC, 0 },
	{ "\"abc\\", -1, TRUNC, 0 },
	{ "\"\\u12", -1, TRUNC, 0 },
	{ "[1,2", -1, TRUNC, 0 },
	{ "[1,2,", -1, TRUNC, 0 },
	{ "[", -1, TRUNC, 0 },
	{ "{", -1, TRUNC, 0 },
	{ "{\"a\"", -1, TRUNC, 0 },
	{ "{\"a\":", -1, TRUNC, 0 },
	{ "{\"a\":1", -1, TRUNC, 0 },
	{ "{\"workers\":[{\"displayName\":\"W\",\"runCount\":1", -1, TRUNC,
	  0 },
	{ "[true, fals", -1, TRUNC, 0 },
};

/* A malloc'd copy of len bytes of s, with nothing after them. */
static char *
exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* Parse one row; print why it is wrong and return false if it is. */
static bool
check_parse(const struct parse_case *t)
{
	size_t len = t->len < 0 ? strlen(t->text) : (size_t)t->len;
	char *text = exact_copy(t->text, len);
	char err[256] = "";
	struct sp_json j;
	enum sp_json_status st;
	bool ok = true;

	st = sp_json_parse(&j, text, len, err, sizeof(err));
	if (st != t->status) {
		note("'%.*s': status %d, want %d (%s)\n", (int)len, t->text,
		     (int)st, (int)t->status, err);
		ok = false;
	} else if (st == SP_JSON_OK && j.ntok != t->ntok) {
		note("'%s': %d tokens, want %d\n", t->text, j.ntok, t->ntok);
		ok = false;
	} else if (st != SP_JSON_OK && !err[0]) {
		note("'%.*s': no error text\n", (int)len, t->text);
		ok = false;
	}
	sp_json_free(&j);
	free(text);
	return ok;
}

static void
test_json_parse(void **state)
{
	(void)state;
	UNIT_TABLE(parse_cases, check_parse);
}

/* The error names the byte and what was expected there. */
static void
test_json_error_text(void **state)
{
	const char *text = "{\"a\":1,}";
	struct sp_json j;
	char err[256];

	(void)state;
	assert_int_equal(sp_json_parse(&j, text, strlen(text), err,
				       sizeof(err)), SP_JSON_INVALID);
	assert_string_equal(err, "invalid JSON at byte 7: expected a string "
			    "key");
	assert_int_equal(sp_json_parse(&j, "[1,2", 4, err, sizeof(err)),
			 SP_JSON_TRUNCATED);
	assert_non_null(strstr(err, "truncated"));
}

/*
 * Strings are read sixteen bytes a step.  Each byte that ends a string
 * or needs a look (quote, backslash, control byte) is tried at every
 * offset of the first three steps and of the tail, with the document
 * ending right after it, so a step that reads one byte too far or
 * misplaces a find shows as a wrong status or offset.
 */
static void
test_json_string_steps(void **state)
{
	static const struct {
		const char *tail;	/* after k letters of the string */
		enum sp_json_status want;
		int more;		/* bytes of error offset past k */
	} cases[] = {
		{ "\"]", OK, 0 },
		{ "\\n\"]", OK, 0 },
		{ "\\u00e9\"]", OK, 0 },
		{ "\n\"]", BAD, 0 },
		{ "\t\"]", BAD, 0 },
		{ "\x1f\"]", BAD, 0 },
		{ "\\x\"]", BAD, 1 },
		{ "\\u12g4\"]", BAD, 4 },
		{ "\x7f\xc3\xa9\"]", OK, 0 },
		{ "", TRUNC, 0 },
		{ "\\", TRUNC, 0 },
	};
	struct sp_json j;
	char err[256];
	char want[64];
	size_t i;
	size_t k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 50; k++) {
			size_t tl = strlen(cases[i].tail);
			size_t len = 2 + k + tl;
			char *s = malloc(len);

			assert_non_null(s);
			memcpy(s, "[\"", 2);
			memset(s + 2, 'a', k);
			memcpy(s + 2 + k, cases[i].tail, tl);
			if (sp_json_parse(&j, s, len, err, sizeof(err)) !=
			    cases[i].want) {
				fail_msg("tail %zu after %zu letters: %s", i,
					 k, err);
			}
			if (cases[i].want == BAD) {
				snprintf(want, sizeof(want), "at byte %zu:",
					 2 + k + (size_t)cases[i].more);
				if (!strstr(err, want)) {
					fail_msg("tail %zu after %zu letters: "
						 "%s", i, k, err);
				}
			}
			if (cases[i].want == OK) {
				assert_int_equal(j.tok[1].end - j.tok[1].start,
						 (int)(len - 4));
				sp_json_free(&j);
			}
			free(s);
		}
	}
}

/* n opening brackets followed by close closing ones. */
static char *
nested(size_t n, size_t close)
{
	char *s = malloc(n + close + 1);
	size_t i;

	assert_non_null(s);
	memset(s, '[', n);
	for (i = 0; i < close; i++) {
		s[n + i] = ']';
	}
	s[n + close] = '\0';
	return s;
}

static void
test_json_depth(void **state)
{
	struct sp_json j;
	char err[256];
	char *s;

	(void)state;
	s = nested(MAX_DEPTH, MAX_DEPTH);
	assert_int_equal(sp_json_parse(&j, s, strlen(s), err, sizeof(err)),
			 SP_JSON_OK);
	assert_int_equal(j.ntok, MAX_DEPTH);
	sp_json_free(&j);
	free(s);

	s = nested(MAX_DEPTH + 1, MAX_DEPTH + 1);
	assert_int_equal(sp_json_parse(&j, s, strlen(s), err, sizeof(err)),
			 SP_JSON_INVALID);
	assert_true(err[0] != '\0');
	free(s);

	/* Far too deep and never closed: refused, not a stack overflow. */
	s = nested(1000000, 0);
	assert_int_equal(sp_json_parse(&j, s, strlen(s), err, sizeof(err)),
			 SP_JSON_INVALID);
	free(s);
}

/* "[0,1,...,n-1]" or "[{"runCount":0},...]" in an exact buffer. */
static char *
big_array(size_t n, bool objects, size_t *len)
{
	size_t cap = n * 24 + 2;
	char *s = malloc(cap);
	size_t o = 0;
	size_t i;

	assert_non_null(s);
	s[o++] = '[';
	for (i = 0; i < n; i++) {
		o += (size_t)snprintf(s + o, cap - o, objects ?
				      "%s{\"runCount\":%zu}" : "%s%zu",
				      i ? "," : "", i);
	}
	s[o++] = ']';
	*len = o;
	return s;
}

static void
test_json_large(void **state)
{
	struct sp_json j;
	char err[256];
	size_t len;
	size_t rlen;
	const char *raw;
	char *s = big_array(200000, false, &len);

	(void)state;
	assert_int_equal(sp_json_parse(&j, s, len, err, sizeof(err)),
			 SP_JSON_OK);
	assert_int_equal(j.ntok, 200001);
	assert_int_equal(j.tok[0].size, 200000);
	assert_int_equal(sp_json_next(&j, 0), j.ntok);
	raw = sp_json_raw(&j, j.ntok - 1, &rlen);
	assert_int_equal(rlen, 6);
	assert_memory_equal(raw, "199999", 6);
	sp_json_free(&j);
	free(s);
}

/*
 * A worker may list hundreds of thousands of tenants, each an object.
 * Tokenizing them must stay linear: a walk back over all earlier tokens
 * at each one took 45 s of CPU here, over two minutes under the
 * sanitizers, and runs into every plugin timeout.
 */
static void
test_json_large_objects(void **state)
{
	struct sp_json j;
	char err[256];
	size_t len;
	clock_t t0;
	double secs;
	char *s = big_array(200000, true, &len);

	(void)state;
	t0 = clock();
	assert_int_equal(sp_json_parse(&j, s, len, err, sizeof(err)),
			 SP_JSON_OK);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(j.ntok, 1 + 200000 * 3);
	assert_int_equal(j.tok[0].size, 200000);
	sp_json_free(&j);
	free(s);
	if (secs > 2.0) {
		fail_msg("200000 objects took %.1f s of CPU time", secs);
	}
}

/* Parse a test's own document, which must be valid. */
static void
parse_ok(struct sp_json *j, const char *text)
{
	char err[256];

	if (sp_json_parse(j, text, strlen(text), err, sizeof(err)) !=
	    SP_JSON_OK) {
		fail_msg("'%s': %s", text, err);
	}
}

/* Whether token i has exactly the raw text want. */
static bool
raw_is(const struct sp_json *j, int i, const char *want)
{
	size_t len;
	const char *raw;

	if (i < 0 || i >= j->ntok) {
		return false;
	}
	raw = sp_json_raw(j, i, &len);
	return len == strlen(want) && memcmp(raw, want, len) == 0;
}

struct get_case {
	const char *key;
	const char *value;	/* raw text of the value, NULL for -1 */
};

/* The document has runCount twice in two spellings: the last counts. */
static const struct get_case get_cases[] = {
	{ "runCount", "2" },
	{ "runcount", "2" },
	{ "RUNCOUNT", "2" },
	{ "RunCount", "2" },
	{ "displayName", "x" },
	{ "DISPLAYNAME", "x" },
	{ "nested", "{\"inner\":3,\"b\":[9]}" },
	{ "b", "4" },
	{ "", "5" },
	{ "run", "6" },
	{ "inner", NULL },
	{ "runCountX", NULL },
	{ "runCoun", NULL },
	{ "x", NULL },
	{ "missing", NULL },
};

static void
test_json_get(void **state)
{
	const char *doc = "{\"runCount\":1,\"RUNCOUNT\":2,\"displayName\":"
			  "\"x\",\"nested\":{\"inner\":3,\"b\":[9]},"
			  "\"b\":4,\"\":5,\"run\":6}";
	struct sp_json j;
	size_t failed = 0;
	size_t i;

	(void)state;
	parse_ok(&j, doc);
	for (i = 0; i < NELEM(get_cases); i++) {
		const struct get_case *t = &get_cases[i];
		int v = sp_json_get(&j, 0, t->key);

		if (t->value ? !raw_is(&j, v, t->value) : v != -1) {
			note("get '%s': token %d, want %s\n", t->key, v,
			     t->value ? t->value : "-1");
			failed++;
		}
	}
	sp_json_free(&j);
	assert_int_equal(failed, 0);
}

/* Anything but an object has no members, not even a key-like string. */
static void
test_json_get_not_object(void **state)
{
	struct sp_json j;
	int i;

	(void)state;
	parse_ok(&j, "[\"a\",{\"a\":1},1,{}]");
	assert_int_equal(sp_json_get(&j, 0, "a"), -1);
	assert_int_equal(sp_json_get(&j, 1, "a"), -1);
	i = sp_json_get(&j, 2, "a");
	assert_true(raw_is(&j, i, "1"));
	assert_int_equal(sp_json_get(&j, 3, "a"), -1);
	assert_int_equal(sp_json_get(&j, 4, "a"), -1);
	assert_int_equal(sp_json_get(&j, 5, "a"), -1);
	assert_int_equal(sp_json_get(&j, 6, "a"), -1);
	sp_json_free(&j);
}

static void
test_json_next(void **state)
{
	/* Index i's whole value ends just before token want[i]. */
	static const int want[] = {
		15, 6, 3, 6, 5, 6, 12, 8, 12, 10, 12, 12, 13, 14, 15
	};
	struct sp_json j;
	size_t failed = 0;
	size_t i;

	(void)state;
	parse_ok(&j, "[[1,[2,3]],{\"a\":{\"b\":[4]}},5,\"]\",[]]");
	assert_int_equal(j.ntok, (int)NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		int got = sp_json_next(&j, (int)i);

		if (got != want[i]) {
			note("next(%zu) = %d, want %d\n", i, got, want[i]);
			failed++;
		}
	}
	sp_json_free(&j);
	assert_int_equal(failed, 0);
}

static void
test_json_types(void **state)
{
	static const char *const names[] = {
		"an array", "null", "a boolean", "a boolean", "a number",
		"a number", "a string", "an object", "an array",
	};
	struct sp_json j;
	bool b = true;
	size_t i;

	(void)state;
	parse_ok(&j, "[null,true,false,0,-2.5,\"1\",{},[]]");
	assert_int_equal(j.ntok, (int)NELEM(names));
	for (i = 0; i < NELEM(names); i++) {
		assert_string_equal(sp_json_type_name(&j, (int)i), names[i]);
	}
	assert_true(sp_json_is_null(&j, 1));
	assert_false(sp_json_is_null(&j, 6));
	assert_true(sp_json_is_bool(&j, 2, &b) && b);
	assert_true(sp_json_is_bool(&j, 3, &b) && !b);
	assert_false(sp_json_is_bool(&j, 1, &b));
	assert_true(sp_json_is_number(&j, 4));
	assert_true(sp_json_is_number(&j, 5));
	assert_false(sp_json_is_number(&j, 6));
	assert_false(sp_json_is_number(&j, 2));
	sp_json_free(&j);
}

struct unescape_case {
	const char *raw;
	const char *out;
	size_t outlen;
};

static const struct unescape_case unescape_cases[] = {
	{ "", "", 0 },
	{ "plain", "plain", 5 },
	{ "caf\xC3\xA9", "caf\xC3\xA9", 5 },
	{ "a\\\"b\\\\c\\/d", "a\"b\\c/d", 7 },
	{ "\\b\\f\\n\\r\\t", "\b\f\n\r\t", 5 },
	{ "\\u0041", "A", 1 },
	{ "\\u00e9", "\xC3\xA9", 2 },
	{ "\\u00E9", "\xC3\xA9", 2 },
	{ "\\u0800", "\xE0\xA0\x80", 3 },
	{ "\\u20ac", "\xE2\x82\xAC", 3 },
	{ "\\uffff", "\xEF\xBF\xBF", 3 },
	{ "\\ud83d\\ude00", "\xF0\x9F\x98\x80", 4 },
	{ "\\uD83D\\uDE00", "\xF0\x9F\x98\x80", 4 },
	{ "\\udbff\\udfff", "\xF4\x8F\xBF\xBF", 4 },
	/* Lone surrogates become U+FFFD; what follows is kept. */
	{ "\\ud83d", "\xEF\xBF\xBD", 3 },
	{ "\\ude00", "\xEF\xBF\xBD", 3 },
	{ "\\ud83dx", "\xEF\xBF\xBDx", 4 },
	{ "\\ud83d\\u0041", "\xEF\xBF\xBD" "A", 4 },
	{ "\\ud83d\\n", "\xEF\xBF\xBD\n", 4 },
	{ "\\ude00\\ud83d", "\xEF\xBF\xBD\xEF\xBF\xBD", 6 },
	{ "\\ud83d\\ud83d\\ude00", "\xEF\xBF\xBD\xF0\x9F\x98\x80", 7 },
	/*
	 * \u0000 decodes to a NUL byte that the length counts; read as a
	 * C string the text ends there, as names are read.
	 */
	{ "\\u0000", "\0", 1 },
	{ "a\\u0000b", "a\0b", 3 },
};

static void
test_json_unescape(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(unescape_cases); i++) {
		const struct unescape_case *t = &unescape_cases[i];
		size_t len = strlen(t->raw);
		char *raw = exact_copy(t->raw, len);
		char *out = malloc(len + 1);
		size_t n;

		/* raw length + 1 is all the room the header promises. */
		assert_non_null(out);
		n = sp_json_unescape(raw, len, out);
		if (n != t->outlen || memcmp(out, t->out, n) != 0 ||
		    out[n] != '\0') {
			note("unescape '%s': %zu bytes, want %zu\n", t->raw,
			     n, t->outlen);
			failed++;
		}
		free(out);
		free(raw);
	}
	assert_int_equal(failed, 0);
}

/*
 * Parses that share one token array: each sees its own tokens, the
 * array grows when a document needs more, and freeing a parse leaves
 * the shared array to its owner.
 */
static void
test_json_shared_tokens(void **state)
{
	static const char *const docs[] = {
		"[1, 2, 3, 4, 5, 6, 7, 8]",
		"{\"a\": 1}",
		"[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]",
		"[]",
	};
	static const int ntok[] = { 9, 3, 19, 1 };
	struct sp_json_tokens shared = { NULL, 0 };
	struct sp_json j;
	char err[128];
	size_t cap = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(docs); i++) {
		assert_int_equal(sp_json_parse_shared(&j, docs[i],
						      strlen(docs[i]), &shared,
						      err, sizeof(err)),
				 SP_JSON_OK);
		assert_int_equal(j.ntok, ntok[i]);
		assert_ptr_equal(j.tok, shared.tok);
		assert_true(shared.cap >= (size_t)ntok[i]);
		assert_true(shared.cap >= cap);
		cap = shared.cap;
		assert_int_equal(sp_json_next(&j, 0), ntok[i]);
		sp_json_free(&j);
		assert_non_null(shared.tok);
	}
	sp_json_tokens_free(&shared);
	assert_null(shared.tok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse),
		cmocka_unit_test(test_json_error_text),
		cmocka_unit_test(test_json_string_steps),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_large),
		cmocka_unit_test(test_json_large_objects),
		cmocka_unit_test(test_json_get),
		cmocka_unit_test(test_json_get_not_object),
		cmocka_unit_test(test_json_next),
		cmocka_unit_test(test_json_types),
		cmocka_unit_test(test_json_unescape),
		cmocka_unit_test(test_json_shared_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
