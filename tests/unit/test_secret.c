/*
 * Unit tests for the parts of lib/sp_secret.c that decide what of a URL
 * or a request line may be shown: user:password and query values go,
 * the rest stays as it was.
 */
#include "config.h"

#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sp_secret.h"

struct url_case {
	const char *in;
	const char *out;
};

static const struct url_case url_cases[] = {
	{ "https://sapera.example.com/pos/api/workers/status",
	  "https://sapera.example.com/pos/api/workers/status" },
	{ "http://admin:S3cret@host:8080/a", "http://***@host:8080/a" },
	{ "http://admin@host/a", "http://***@host/a" },
	{ "http://host/a?api_key=k1&tenant=all",
	  "http://host/a?api_key=***&tenant=***" },
	{ "http://u:p@host/a?t=k2#frag", "http://***@host/a?t=***#frag" },
	{ "http://host/a?flag&x=1", "http://host/a?flag&x=***" },
	{ "http://host/a?x==y", "http://host/a?x=***" },
	{ "http://host/a@b", "http://host/a@b" },
	{ "/relative?token=k3", "/relative?token=***" },
	{ "", "" },
};

static bool
check_url(const struct url_case *c)
{
	char out[256];

	sp_secret_url(c->in, out, sizeof(out));
	if (strcmp(out, c->out) != 0) {
		note("url %s: got %s, want %s", c->in, out, c->out);
		return false;
	}
	return true;
}

static void
test_secret_url(void **state)
{
	(void)state;
	UNIT_TABLE(url_cases, check_url);
}

/* Request lines: the query ends at the blank before the protocol. */
static void
test_secret_request_line(void **state)
{
	static const char line[] = "GET /p?api_key=abc&x=1 HTTP/1.1";
	char out[64];

	(void)state;
	sp_secret_query(line, strlen(line), out, sizeof(out));
	assert_string_equal(out, "GET /p?api_key=***&x=*** HTTP/1.1");
}

/* A short buffer cuts the text but never a mask in half, nor overflows. */
static void
test_secret_short_buffer(void **state)
{
	static const char url[] = "http://host/a?key=0123456789";
	char out[20];
	size_t n;

	(void)state;
	for (n = 1; n <= sizeof(out); n++) {
		memset(out, 'Z', sizeof(out));
		sp_secret_url(url, out, n);
		assert_true(strlen(out) < n);
		assert_null(strstr(out, "0123"));
	}
}

/*
 * Remembered secrets are starred wherever they stand, also as the
 * Basic encoding of user:password (RFC 4648 vectors: "foob" and
 * "fooba" need padding, "foobar" none) and as the password alone.
 */
static void
test_secret_scrub(void **state)
{
	char text[] = "a tok-ABCD b dXNlcjpmb29i c foob d Zm9vYmFy e abc";
	char text2[] = "p YTpmb29iYQ== q fooba";

	(void)state;
	assert_true(sp_secret_hide("tok-ABCD", 8));
	assert_true(sp_secret_hide("abc", 3));	/* too short to keep */
	assert_true(sp_secret_hide_userpwd("user:foob"));
	assert_true(sp_secret_hide_userpwd("foobar"));
	assert_true(sp_secret_hide_userpwd("a:fooba"));
	sp_secret_scrub(text, strlen(text));
	assert_string_equal(text, "a ******** b ************ c **** d "
			    "******** e abc");
	sp_secret_scrub(text2, strlen(text2));
	assert_string_equal(text2, "p ************ q *****");
	sp_secret_forget();
	strcpy(text2, "q fooba");
	sp_secret_scrub(text2, strlen(text2));
	assert_string_equal(text2, "q fooba");
}

/*
 * Text cut after a secret's first bytes stars that tail; text to be
 * cleaned or escaped is masked first, and left alone (no copy) when
 * it holds nothing.
 */
static void
test_secret_cut_and_mask(void **state)
{
	char cut[] = "key: 0123456789abcdef and more";
	char *copy;
	const char *t;

	(void)state;
	assert_true(sp_secret_hide("0123456789abcdefXYZ", 19));
	assert_true(sp_secret_hide("p|ss\"w0rd", 9));
	sp_secret_scrub_cut(cut, 21);
	assert_string_equal(cut, "key: **************** and more");

	t = sp_secret_mask("nothing to hide", 10, &copy);
	assert_null(copy);
	assert_string_equal(t, "nothing to hide");
	t = sp_secret_mask("pw p|ss\"w0rd!", SIZE_MAX, &copy);
	assert_non_null(copy);
	assert_string_equal(t, "pw *********!");
	free(copy);
	t = sp_secret_mask("id 0123456789abc, cut here", 16, &copy);
	assert_non_null(copy);
	assert_string_equal(t, "id *************, cut here");
	free(copy);
	sp_secret_forget();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_url),
		cmocka_unit_test(test_secret_request_line),
		cmocka_unit_test(test_secret_short_buffer),
		cmocka_unit_test(test_secret_scrub),
		cmocka_unit_test(test_secret_cut_and_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
