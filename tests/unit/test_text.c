/*
 * Unit tests for lib/sp_text.c: names from the wire made safe for the
 * status line and for perfdata labels, glob matching, and the UTF-8
 * validator both rest on.
 *
 * The tables give raw bytes in and the exact bytes out.  What may never
 * reach the output is checked over every row as well: control bytes,
 * '|', invalid UTF-8, and in labels anything outside [A-Za-z0-9_.-/#@].
 */
#include "config.h"

#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_buf.h"
#include "sp_text.h"

#define FFFD "\xEF\xBF\xBD"

/*
 * Whether s is valid UTF-8 without C0 controls, DEL or '|'.  Written
 * from RFC 3629's table, independently of sp_text_utf8_len.
 */
static bool
display_safe(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		unsigned char lo = 0x80;
		unsigned char hi = 0xBF;
		size_t len;
		size_t k;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F || c == '|') {
				return false;
			}
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else {
			return false;
		}
		if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) {
			return false;
		}
		for (k = 2; k < len; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
				return false;
			}
		}
		i += len;
	}
	return true;
}

struct clean_case {
	const char *in;
	size_t max;
	const char *out;
};

static const struct clean_case clean_cases[] = {
	{ "", 100, "" },
	{ "SyncSalesPricesWorker", 100, "SyncSalesPricesWorker" },
	{ "a b'c\"d=e::f", 100, "a b'c\"d=e::f" },
	/* Control characters, DEL and '|' become '?'. */
	{ "a|b", 100, "a?b" },
	{ "line\nbreak", 100, "line?break" },
	{ "cr\r\nlf", 100, "cr??lf" },
	{ "tab\there", 100, "tab?here" },
	{ "\x01\x1F\x7F", 100, "???" },
	{ "\x1B[31mred", 100, "?[31mred" },
	/* Valid UTF-8 is kept as it is. */
	{ "Caf\xC3\xA9", 100, "Caf\xC3\xA9" },
	{ "\xE2\x82\xAC 5", 100, "\xE2\x82\xAC 5" },
	{ "\xF0\x9F\x98\x80", 100, "\xF0\x9F\x98\x80" },
	{ "\xEF\xBF\xBF\xF4\x8F\xBF\xBF", 100,
	  "\xEF\xBF\xBF\xF4\x8F\xBF\xBF" },
	/* Every byte of invalid UTF-8 becomes one U+FFFD. */
	{ "\xFF", 100, FFFD },
	{ "a\x80z", 100, "a" FFFD "z" },
	{ "Caf\xE9", 100, "Caf" FFFD },
	{ "\xC3", 100, FFFD },
	{ "\xC3(", 100, FFFD "(" },
	{ "\xC0\xAF", 100, FFFD FFFD },
	{ "\xC1\xBF", 100, FFFD FFFD },
	{ "\xE0\x80\xAF", 100, FFFD FFFD FFFD },
	{ "\xF0\x80\x80\xAF", 100, FFFD FFFD FFFD FFFD },
	{ "\xED\xA0\x80", 100, FFFD FFFD FFFD },
	{ "\xED\xBF\xBF", 100, FFFD FFFD FFFD },
	{ "\xF4\x90\x80\x80", 100, FFFD FFFD FFFD FFFD },
	{ "\xF5\x80\x80\x80", 100, FFFD FFFD FFFD FFFD },
	{ "\xFE\xFF", 100, FFFD FFFD },
	/* Cut after max bytes, never inside a sequence. */
	{ "abcdef", 3, "abc..." },
	{ "abc", 3, "abc" },
	{ "abcd", 4, "abcd" },
	{ "a", 0, "..." },
	{ "", 0, "" },
	{ "\xC3\xA9\xC3\xA9\xC3\xA9", 3, "\xC3\xA9..." },
	{ "\xC3\xA9\xC3\xA9\xC3\xA9", 4, "\xC3\xA9\xC3\xA9..." },
	{ "a\xE2\x82\xAC", 3, "a..." },
	{ "\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 7, "\xF0\x9F\x98\x80..." },
	{ "\xF0\x9F\x98\x80", 3, "..." },
	{ "\xFF\xFF", 4, FFFD "..." },
	{ "a|b|c", 2, "a?..." },
};

static void
test_text_clean(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(clean_cases); i++) {
		const struct clean_case *t = &clean_cases[i];
		struct sp_buf b;
		bool ok;

		sp_buf_init(&b, 4096);
		ok = sp_text_add_clean(&b, t->in, t->max);
		if (!ok || strcmp(sp_buf_str(&b), t->out) != 0 ||
		    !display_safe((const unsigned char *)sp_buf_str(&b),
				  b.len)) {
			note("clean row %zu (max %zu): got '%s' want '%s'\n",
			     i, t->max, sp_buf_str(&b), t->out);
			failed++;
		}
		sp_buf_free(&b);
	}
	assert_int_equal(failed, 0);
}

/* Every single byte and a sample of pairs come out displayable. */
static void
test_text_clean_all_bytes(void **state)
{
	char in[3] = "";
	struct sp_buf b;
	unsigned x;
	unsigned y;

	(void)state;
	sp_buf_init(&b, 4096);
	for (x = 1; x < 256; x++) {
		for (y = 1; y < 256; y += 7) {
			in[0] = (char)x;
			in[1] = (char)y;
			sp_buf_reset(&b);
			assert_true(sp_text_add_clean(&b, in, 100));
			if (!display_safe((const unsigned char *)sp_buf_str(&b),
					  b.len)) {
				fail_msg("bytes %02X %02X give unsafe output",
					 x, y);
			}
		}
	}
	sp_buf_free(&b);
}

/* A full buffer is reported, not overrun. */
static void
test_text_clean_full(void **state)
{
	struct sp_buf b;

	(void)state;
	sp_buf_init(&b, 4);
	assert_false(sp_text_add_clean(&b, "abcdefgh", 100));
	assert_true(b.len <= 4);
	sp_buf_free(&b);
}

struct label_case {
	const char *in;
	size_t max;
	const char *out;
};

static const struct label_case label_cases[] = {
	{ "", 100, "" },
	{ "SyncWorker_2", 100, "SyncWorker_2" },
	{ "a.b-c/d#e@f", 100, "a.b-c/d#e@f" },
	{ "shop1.example.com", 100, "shop1.example.com" },
	{ "a b", 100, "a_b" },
	{ "it's", 100, "it_s" },
	{ "a=b", 100, "a_b" },
	{ "a::b", 100, "a__b" },
	{ "a|b", 100, "a_b" },
	{ "a\nb\rc\td", 100, "a_b_c_d" },
	{ "\"q\"", 100, "_q_" },
	{ "a;b,c", 100, "a_b_c" },
	{ "Caf\xC3\xA9", 100, "Caf__" },
	{ "\xF0\x9F\x98\x80", 100, "____" },
	{ "\xFF", 100, "_" },
	{ "abcdef", 3, "abc" },
	{ "' = ' ::", 100, "________" },
};

static bool
label_safe(const char *s)
{
	for (; *s; s++) {
		bool alnum = (*s >= 'a' && *s <= 'z') ||
			     (*s >= 'A' && *s <= 'Z') ||
			     (*s >= '0' && *s <= '9');

		if (!alnum && !strchr("_.-/#@", *s)) {
			return false;
		}
	}
	return true;
}

static void
test_text_label(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(label_cases); i++) {
		const struct label_case *t = &label_cases[i];
		struct sp_buf b;
		bool ok;

		sp_buf_init(&b, 4096);
		ok = sp_text_add_label(&b, t->in, t->max);
		if (!ok || strcmp(sp_buf_str(&b), t->out) != 0 ||
		    !label_safe(sp_buf_str(&b))) {
			note("label '%s': got '%s' want '%s'\n", t->in,
			     sp_buf_str(&b), t->out);
			failed++;
		}
		sp_buf_free(&b);
	}
	assert_int_equal(failed, 0);
}

/* No byte value can put a blank, quote, '=' or ':' into a label. */
static void
test_text_label_all_bytes(void **state)
{
	char in[256];
	struct sp_buf b;
	size_t i;

	(void)state;
	for (i = 1; i < 256; i++) {
		in[i - 1] = (char)i;
	}
	in[255] = '\0';
	sp_buf_init(&b, 4096);
	assert_true(sp_text_add_label(&b, in, 1000));
	assert_int_equal(b.len, 255);
	assert_true(label_safe(sp_buf_str(&b)));
	sp_buf_free(&b);
}

struct glob_case {
	const char *pattern;
	const char *name;
	bool match;
};

static const struct glob_case glob_cases[] = {
	{ "*", "SyncWorker", true },
	{ "*", "", true },
	{ "", "", true },
	{ "", "a", false },
	{ "SyncWorker", "SyncWorker", true },
	{ "syncworker", "SyncWorker", true },
	{ "SYNCWORKER", "SyncWorker", true },
	{ "SyncWorker", "SyncWorker2", false },
	{ "Sync*", "syncSalesPricesWorker", true },
	{ "*worker", "SyncWORKER", true },
	{ "*Price*", "SyncSalesPricesWorker", true },
	{ "*Price*", "SyncStockWorker", false },
	{ "Worker?", "worker2", true },
	{ "Worker?", "Worker", false },
	{ "Worker?", "Worker12", false },
	{ "Worker[12]", "Worker2", true },
	{ "Worker[12]", "Worker3", false },
	{ "[a-c]x", "Bx", true },
	{ "[A-C]x", "bx", true },
	{ "[!a]x", "ax", false },
	{ "[!a]x", "bx", true },
	{ "a\\*", "a*", true },
	{ "a\\*", "ab", false },
	{ "*", "a/b", true },
	{ "*", ".hidden", true },
	{ "shop*.example.com", "Shop42.Example.COM", true },
};

static void
test_text_glob(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(glob_cases); i++) {
		const struct glob_case *t = &glob_cases[i];
		bool got = sp_text_glob(t->pattern, t->name);

		if (got != t->match) {
			note("glob '%s' on '%s': %d, want %d\n", t->pattern,
			     t->name, got, t->match);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_text_iequal(void **state)
{
	(void)state;
	assert_true(sp_text_iequal("WebShop", "webshop"));
	assert_true(sp_text_iequal("", ""));
	assert_false(sp_text_iequal("WebShop", "WebShop2"));
	assert_false(sp_text_iequal("Pos", "Po"));
}

struct utf8_case {
	const char *bytes;
	size_t n;		/* bytes available */
	size_t len;		/* expected result */
};

static const struct utf8_case utf8_cases[] = {
	{ "a", 1, 1 },
	{ "\0", 1, 1 },
	{ "\x7F", 1, 1 },
	{ "\xC2\x80", 2, 2 },
	{ "\xC3\xA9", 2, 2 },
	{ "\xC3\xA9", 1, 0 },
	{ "\xDF\xBF", 2, 2 },
	{ "\xE0\xA0\x80", 3, 3 },
	{ "\xE2\x82\xAC", 3, 3 },
	{ "\xE2\x82\xAC", 2, 0 },
	{ "\xED\x9F\xBF", 3, 3 },
	{ "\xEE\x80\x80", 3, 3 },
	{ "\xEF\xBF\xBD", 3, 3 },
	{ "\xF0\x90\x80\x80", 4, 4 },
	{ "\xF0\x9F\x98\x80", 4, 4 },
	{ "\xF0\x9F\x98\x80", 3, 0 },
	{ "\xF4\x8F\xBF\xBF", 4, 4 },
	/* Invalid: continuation bytes, overlongs, surrogates, > U+10FFFF. */
	{ "\x80", 1, 0 },
	{ "\xBF", 1, 0 },
	{ "\xC0\x80", 2, 0 },
	{ "\xC1\xBF", 2, 0 },
	{ "\xC3\x28", 2, 0 },
	{ "\xC3\xC3", 2, 0 },
	{ "\xE0\x80\x80", 3, 0 },
	{ "\xE0\x9F\xBF", 3, 0 },
	{ "\xE2\x28\xA1", 3, 0 },
	{ "\xED\xA0\x80", 3, 0 },
	{ "\xED\xBF\xBF", 3, 0 },
	{ "\xF0\x80\x80\x80", 4, 0 },
	{ "\xF0\x8F\xBF\xBF", 4, 0 },
	{ "\xF4\x90\x80\x80", 4, 0 },
	{ "\xF5\x80\x80\x80", 4, 0 },
	{ "\xF8\x88\x80\x80\x80", 5, 0 },
	{ "\xFE", 1, 0 },
	{ "\xFF", 1, 0 },
};

static void
test_text_utf8_len(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(utf8_cases); i++) {
		const struct utf8_case *t = &utf8_cases[i];
		unsigned char *buf = malloc(t->n);
		size_t got;

		/* Only n bytes are there: the rest is off limits. */
		assert_non_null(buf);
		memcpy(buf, t->bytes, t->n);
		got = sp_text_utf8_len(buf, t->n);
		if (got != t->len) {
			note("utf8_len row %zu (%02X, n %zu): %zu, want %zu\n",
			     i, buf[0], t->n, got, t->len);
			failed++;
		}
		free(buf);
	}
	assert_int_equal(failed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_clean),
		cmocka_unit_test(test_text_clean_all_bytes),
		cmocka_unit_test(test_text_clean_full),
		cmocka_unit_test(test_text_label),
		cmocka_unit_test(test_text_label_all_bytes),
		cmocka_unit_test(test_text_glob),
		cmocka_unit_test(test_text_iequal),
		cmocka_unit_test(test_text_utf8_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
