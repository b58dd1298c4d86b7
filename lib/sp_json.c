/*
 * JSON documents: strict syntax check, jsmn tokens, string decoding.
 *
 * This file compiles jsmn's implementation; every other file sees only
 * its declarations (sp_json.h sets JSMN_HEADER for them).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SP_JSON_IMPLEMENTATION
#include "sp_json.h"

/* Deeper nesting than this is no worker list; it also bounds recursion. */
#define SP_JSON_MAX_DEPTH 64

struct sp_json_check {
	const char *s;
	size_t len;
	size_t pos;
	int depth;
	size_t ntok;		/* jsmn tokens the text will need */
	enum sp_json_status status;
	const char *expected;
};

static bool sp_json_check_value(struct sp_json_check *c);

static inline void
sp_json_skip_ws(struct sp_json_check *c)
{
	while (c->pos < c->len) {
		char ch = c->s[c->pos];

		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
			break;
		}
		c->pos++;
	}
}

/* Record the first failure: running out of text means truncation. */
static bool
sp_json_fail(struct sp_json_check *c, const char *expected)
{
	c->status = c->pos >= c->len ? SP_JSON_TRUNCATED : SP_JSON_INVALID;
	c->expected = expected;
	return false;
}

static bool
sp_json_is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

static bool
sp_json_check_escape(struct sp_json_check *c)
{
	int i;

	c->pos++;
	if (c->pos >= c->len) {
		return sp_json_fail(c, "an escape");
	}
	if (strchr("\"\\/bfnrt", c->s[c->pos]) && c->s[c->pos]) {
		c->pos++;
		return true;
	}
	if (c->s[c->pos] != 'u') {
		return sp_json_fail(c, "a valid escape");
	}
	c->pos++;
	for (i = 0; i < 4; i++, c->pos++) {
		if (c->pos >= c->len || !sp_json_is_hex(c->s[c->pos])) {
			return sp_json_fail(c, "four hex digits after \\u");
		}
	}
	return true;
}

/*
 * Sixteen string bytes at a time, as GCC and Clang vectors: SSE2 on
 * x86-64, NEON on ARM, plain words elsewhere.  Most names end within
 * the first step.
 */
typedef unsigned char sp_json_v16 __attribute__((vector_size(16)));
typedef signed char sp_json_m16 __attribute__((vector_size(16)));

/* Index, in memory order, of the first nonzero byte of word w (not 0). */
static inline size_t
sp_json_first_byte(uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(w) / 8;
#else
	return (size_t)__builtin_ctzll(w) / 8;
#endif
}

/* Offset of the first '"', '\\' or control byte in p[0..16), or 16. */
static inline size_t
sp_json_special16(const unsigned char *p)
{
	sp_json_v16 v;
	sp_json_m16 m;
	uint64_t half[2];

	memcpy(&v, p, sizeof(v));
	m = (v == '"') | (v == '\\') | (v < 0x20);
	memcpy(half, &m, sizeof(half));
	if (half[0]) {
		return sp_json_first_byte(half[0]);
	}
	if (half[1]) {
		return 8 + sp_json_first_byte(half[1]);
	}
	return 16;
}

static bool
sp_json_check_string(struct sp_json_check *c)
{
	const unsigned char *p = (const unsigned char *)c->s;
	size_t pos = c->pos + 1;

	for (;;) {
		unsigned char ch;

		/* Most bytes need no thought: sixteen at a time, then one. */
		while (c->len - pos >= 16) {
			size_t k = sp_json_special16(p + pos);

			pos += k;
			if (k < 16) {
				break;
			}
		}
		while (pos < c->len && p[pos] >= 0x20 && p[pos] != '"' &&
		       p[pos] != '\\') {
			pos++;
		}
		c->pos = pos;
		if (pos >= c->len) {
			return sp_json_fail(c, "the end of a string");
		}
		ch = p[pos];
		if (ch == '"') {
			c->pos++;
			return true;
		}
		if (ch < 0x20) {
			return sp_json_fail(c, "no control character "
					       "inside a string");
		}
		if (!sp_json_check_escape(c)) {
			return false;
		}
		pos = c->pos;
	}
}

static size_t
sp_json_digits(struct sp_json_check *c)
{
	size_t n = 0;

	while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
		c->pos++;
		n++;
	}
	return n;
}

/* -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
static bool
sp_json_check_number(struct sp_json_check *c)
{
	if (c->s[c->pos] == '-') {
		c->pos++;
	}
	if (c->pos < c->len && c->s[c->pos] == '0') {
		c->pos++;
	} else if (sp_json_digits(c) == 0) {
		return sp_json_fail(c, "a digit");
	}
	if (c->pos < c->len && c->s[c->pos] == '.') {
		c->pos++;
		if (sp_json_digits(c) == 0) {
			return sp_json_fail(c, "a digit after '.'");
		}
	}
	if (c->pos < c->len && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->len &&
		    (c->s[c->pos] == '+' || c->s[c->pos] == '-')) {
			c->pos++;
		}
		if (sp_json_digits(c) == 0) {
			return sp_json_fail(c, "a digit in the exponent");
		}
	}
	return true;
}

static bool
sp_json_check_literal(struct sp_json_check *c, const char *word)
{
	size_t n = strlen(word);
	size_t avail = c->len - c->pos;

	if (avail < n) {
		if (memcmp(c->s + c->pos, word, avail) == 0) {
			c->pos = c->len;
		}
		return sp_json_fail(c, word);
	}
	if (memcmp(c->s + c->pos, word, n) != 0) {
		return sp_json_fail(c, word);
	}
	c->pos += n;
	return true;
}

/* Members or elements up to the closing bracket; key says object. */
static bool
sp_json_check_container(struct sp_json_check *c, char close, bool key)
{
	const char *sep = key ? "',' or '}'" : "',' or ']'";

	if (++c->depth > SP_JSON_MAX_DEPTH) {
		return sp_json_fail(c, "less deeply nested data");
	}
	c->pos++;
	sp_json_skip_ws(c);
	if (c->pos < c->len && c->s[c->pos] == close) {
		c->pos++;
		c->depth--;
		return true;
	}
	for (;;) {
		sp_json_skip_ws(c);
		if (key) {
			if (c->pos >= c->len || c->s[c->pos] != '"') {
				return sp_json_fail(c, "a string key");
			}
			c->ntok++;
			if (!sp_json_check_string(c)) {
				return false;
			}
			sp_json_skip_ws(c);
			if (c->pos >= c->len || c->s[c->pos] != ':') {
				return sp_json_fail(c, "':'");
			}
			c->pos++;
		}
		if (!sp_json_check_value(c)) {
			return false;
		}
		if (c->pos < c->len && c->s[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->pos < c->len && c->s[c->pos] == close) {
			c->pos++;
			c->depth--;
			return true;
		}
		return sp_json_fail(c, sep);
	}
}

/* One value with the white space around it. */
static bool
sp_json_check_value(struct sp_json_check *c)
{
	bool ok;

	sp_json_skip_ws(c);
	if (c->pos >= c->len) {
		return sp_json_fail(c, "a value");
	}
	c->ntok++;
	switch (c->s[c->pos]) {
	case '{':
		ok = sp_json_check_container(c, '}', true);
		break;
	case '[':
		ok = sp_json_check_container(c, ']', false);
		break;
	case '"':
		ok = sp_json_check_string(c);
		break;
	case 't':
		ok = sp_json_check_literal(c, "true");
		break;
	case 'f':
		ok = sp_json_check_literal(c, "false");
		break;
	case 'n':
		ok = sp_json_check_literal(c, "null");
		break;
	default:
		if (c->s[c->pos] == '-' ||
		    (c->s[c->pos] >= '0' && c->s[c->pos] <= '9')) {
			ok = sp_json_check_number(c);
		} else {
			ok = sp_json_fail(c, "a value");
		}
	}
	if (ok) {
		sp_json_skip_ws(c);
	}
	return ok;
}

/* Room for n tokens in j->tok, shared or its own; false if no memory. */
static bool
sp_json_tokens(struct sp_json *j, size_t n)
{
	struct sp_json_tokens *t = j->shared;

	if (!t) {
		free(j->tok);
		j->tok = malloc(n * sizeof(*j->tok));
		return j->tok != NULL;
	}
	if (t->cap < n) {
		free(t->tok);
		t->tok = malloc(n * sizeof(*t->tok));
		t->cap = t->tok ? n : 0;
	}
	j->tok = t->tok;
	return j->tok != NULL;
}

void
sp_json_tokens_free(struct sp_json_tokens *t)
{
	free(t->tok);
	t->tok = NULL;
	t->cap = 0;
}

/*
 * The check counted the tokens exactly, so jsmn runs once into an array
 * of the right size; the loop only guards against a count that is off.
 */
static enum sp_json_status
sp_json_tokenize(struct sp_json *j, size_t n, char *err, size_t errlen)
{
	jsmn_parser p;
	int r;

	for (;;) {
		if (!sp_json_tokens(j, n)) {
			snprintf(err, errlen, "out of memory for %zu tokens",
				 n);
			return SP_JSON_NOMEM;
		}
		jsmn_init(&p);
		r = jsmn_parse(&p, j->text, j->len, j->tok, (unsigned)n);
		if (r != JSMN_ERROR_NOMEM) {
			break;
		}
		n *= 2;
	}
	/* Strict jsmn refuses a bare literal at the top, valid JSON or not. */
	if (r < 1) {
		snprintf(err, errlen, "body is a bare JSON %s, expected an "
			 "object or an array", r == 0 ? "text" : "literal");
		sp_json_free(j);
		return SP_JSON_INVALID;
	}
	j->ntok = r;
	return SP_JSON_OK;
}

enum sp_json_status
sp_json_parse(struct sp_json *j, const char *text, size_t len, char *err,
	      size_t errlen)
{
	return sp_json_parse_shared(j, text, len, NULL, err, errlen);
}

enum sp_json_status
sp_json_parse_shared(struct sp_json *j, const char *text, size_t len,
		     struct sp_json_tokens *shared, char *err, size_t errlen)
{
	struct sp_json_check c = { 0 };

	memset(j, 0, sizeof(*j));
	j->shared = shared;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (len >= SP_JSON_MAX_TEXT) {
		snprintf(err, errlen, "JSON text of %zu bytes is too large",
			 len);
		return SP_JSON_INVALID;
	}
	j->text = text;
	j->len = len;

	c.s = text;
	c.len = len;
	sp_json_skip_ws(&c);
	if (c.pos == len) {
		snprintf(err, errlen, "empty body");
		return SP_JSON_EMPTY;
	}
	if (sp_json_check_value(&c) && c.pos != len) {
		c.status = SP_JSON_INVALID;
		c.expected = "the end after the JSON value";
	}
	if (c.status == SP_JSON_TRUNCATED) {
		snprintf(err, errlen, "truncated JSON: body ends after %zu "
			 "bytes, expected %s", len, c.expected);
		return c.status;
	}
	if (c.status != SP_JSON_OK) {
		snprintf(err, errlen, "invalid JSON at byte %zu: expected %s",
			 c.pos, c.expected);
		return c.status;
	}
	return sp_json_tokenize(j, c.ntok, err, errlen);
}

void
sp_json_free(struct sp_json *j)
{
	if (!j->shared) {
		free(j->tok);
	}
	j->tok = NULL;
	j->ntok = 0;
}

/*
 * Tokens are in document order, so the value ends before the first token
 * that starts at or after its end.  A few steps cover small values; a
 * binary search then keeps a large array from costing its whole size.
 */
int
sp_json_next(const struct sp_json *j, int i)
{
	int end = j->tok[i].end;
	int lo = i + 1;
	int hi = j->ntok;
	int step;

	for (step = 0; step < 16 && lo < hi; step++, lo++) {
		if (j->tok[lo].start >= end) {
			return lo;
		}
	}
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (j->tok[mid].start < end) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

int
sp_json_get(const struct sp_json *j, int obj, const char *key)
{
	/* One key by the same rules as many: case, escapes, last wins. */
	struct sp_json_key k = { key, strlen(key) };
	int out;

	(void)sp_json_members(j, obj, &k, &out, 1);
	return out;
}

/* Key text equal to name, ignoring ASCII case. */
static bool
sp_json_key_equal(const char *text, size_t len, const struct sp_json_key *k)
{
	size_t i;

	if (len != k->len) {
		return false;
	}
	/* Services spell keys as documented far more often than not. */
	if (memcmp(text, k->name, len) == 0) {
		return true;
	}
	for (i = 0; i < len; i++) {
		char a = text[i];
		char b = k->name[i];

		if (a != b && (a < 'A' || a > 'Z' || a + ('a' - 'A') != b) &&
		    (b < 'A' || b > 'Z' || b + ('a' - 'A') != a)) {
			return false;
		}
	}
	return true;
}

/*
 * Which of keys the key text names, or nkeys.  An escaped key
 * ("run\u0043ount") is decoded, but only once the text as sent has
 * matched none: escapes in keys are rare, keys are many.
 */
static size_t
sp_json_key_index(const char *name, size_t len,
		  const struct sp_json_key *keys, size_t nkeys)
{
	char plain[64];
	size_t k;

	for (k = 0; k < nkeys; k++) {
		if (sp_json_key_equal(name, len, &keys[k])) {
			return k;
		}
	}
	if (len >= sizeof(plain) || !memchr(name, '\\', len)) {
		return nkeys;
	}
	len = sp_json_unescape(name, len, plain);
	for (k = 0; k < nkeys; k++) {
		if (sp_json_key_equal(plain, len, &keys[k])) {
			return k;
		}
	}
	return nkeys;
}

int
sp_json_members(const struct sp_json *j, int obj,
		const struct sp_json_key *keys, int *out, size_t nkeys)
{
	int n = j->tok[obj].size;
	int i = obj + 1;
	size_t k;

	for (k = 0; k < nkeys; k++) {
		out[k] = -1;
	}
	if (j->tok[obj].type != JSMN_OBJECT) {
		return sp_json_next(j, obj);
	}
	/*
	 * A key given twice takes its last value, as the parsers of .NET,
	 * JavaScript and Python do: the value a service's own tools see.
	 */
	while (n-- > 0 && i + 1 < j->ntok) {
		const char *name = j->text + j->tok[i].start;
		size_t len = (size_t)(j->tok[i].end - j->tok[i].start);

		k = sp_json_key_index(name, len, keys, nkeys);
		if (k < nkeys) {
			out[k] = i + 1;
		}
		/* Most values are strings or numbers: no tokens inside. */
		i = j->tok[i + 1].size == 0 ? i + 2 : sp_json_next(j, i + 1);
	}
	return i;
}

const char *
sp_json_raw(const struct sp_json *j, int i, size_t *len)
{
	*len = (size_t)(j->tok[i].end - j->tok[i].start);
	return j->text + j->tok[i].start;
}

static bool
sp_json_is_word(const struct sp_json *j, int i, const char *word)
{
	size_t len;
	const char *raw;

	if (j->tok[i].type != JSMN_PRIMITIVE) {
		return false;
	}
	raw = sp_json_raw(j, i, &len);
	return len == strlen(word) && memcmp(raw, word, len) == 0;
}

bool
sp_json_is_null(const struct sp_json *j, int i)
{
	return sp_json_is_word(j, i, "null");
}

bool
sp_json_is_bool(const struct sp_json *j, int i, bool *value)
{
	*value = sp_json_is_word(j, i, "true");
	return *value || sp_json_is_word(j, i, "false");
}

bool
sp_json_is_number(const struct sp_json *j, int i)
{
	char c = j->text[j->tok[i].start];

	return j->tok[i].type == JSMN_PRIMITIVE &&
	       (c == '-' || (c >= '0' && c <= '9'));
}

const char *
sp_json_type_name(const struct sp_json *j, int i)
{
	bool b;

	switch (j->tok[i].type) {
	case JSMN_OBJECT:
		return "an object";
	case JSMN_ARRAY:
		return "an array";
	case JSMN_STRING:
		return "a string";
	default:
		break;
	}
	if (sp_json_is_null(j, i)) {
		return "null";
	}
	if (sp_json_is_bool(j, i, &b)) {
		return "a boolean";
	}
	return "a number";
}

static unsigned
sp_json_hex4(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char ch = p[i];

		v <<= 4;
		if (ch >= '0' && ch <= '9') {
			v |= (unsigned)(ch - '0');
		} else {
			v |= (unsigned)((ch | 0x20) - 'a' + 10);
		}
	}
	return v;
}

static size_t
sp_json_put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode \uXXXX at raw[*i] (pointing at the 'u'), pairs included. */
static unsigned
sp_json_code_point(const char *raw, size_t len, size_t *i)
{
	unsigned cp = sp_json_hex4(raw + *i + 1);
	unsigned lo;

	*i += 5;
	if (cp < 0xD800 || cp > 0xDFFF) {
		return cp;
	}
	if (cp >= 0xDC00 || *i + 6 > len || raw[*i] != '\\' ||
	    raw[*i + 1] != 'u') {
		return 0xFFFD;
	}
	lo = sp_json_hex4(raw + *i + 2);
	if (lo < 0xDC00 || lo > 0xDFFF) {
		return 0xFFFD;
	}
	*i += 6;
	return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
}

size_t
sp_json_unescape(const char *raw, size_t len, char *out)
{
	size_t i = 0;
	size_t o = 0;

	/* Almost every string has no escape at all. */
	if (!memchr(raw, '\\', len)) {
		memcpy(out, raw, len);
		out[len] = '\0';
		return len;
	}
	while (i < len) {
		if (raw[i] != '\\' || i + 1 >= len) {
			out[o++] = raw[i++];
			continue;
		}
		switch (raw[i + 1]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			i++;
			if (i + 5 > len) {
				out[o++] = '?';
				i = len;
				continue;
			}
			o += sp_json_put_utf8(out + o,
					      sp_json_code_point(raw, len, &i));
			continue;
		default: out[o++] = raw[i + 1]; break;
		}
		i += 2;
	}
	out[o] = '\0';
	return o;
}
