/*
 * JSON documents: a strict syntax check, then jsmn's token array.
 *
 * jsmn tokenizes without validating (it takes {"a":1,}, "tru" and "01"),
 * so sp_json_parse() first checks the text against the RFC 8259 grammar
 * and only then asks jsmn for tokens.  Callers walk the tokens with the
 * helpers below and never see a document that is not JSON.
 */
#ifndef SP_JSON_H
#define SP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The one place that decides how jsmn is built; see sp_json.c.  Parent
 * links make closing a bracket cost the depth instead of a scan back
 * over every token so far, which is quadratic on long worker arrays.
 */
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#ifndef SP_JSON_IMPLEMENTATION
#define JSMN_HEADER
#endif
#include <jsmn.h>

/* jsmn keeps offsets in int; bodies must stay below this. */
#define SP_JSON_MAX_TEXT ((size_t)1 << 30)

/*
 * Token memory that successive parses share (zero it to start): nine
 * bodies then touch the pages of one array instead of nine, which is a
 * good part of the work on large answers.
 */
struct sp_json_tokens {
	jsmntok_t *tok;
	size_t cap;
};

void sp_json_tokens_free(struct sp_json_tokens *t);

struct sp_json {
	const char *text;	/* not owned; must outlive the tokens */
	size_t len;
	jsmntok_t *tok;
	int ntok;
	struct sp_json_tokens *shared;	/* where tok lives, or NULL */
};

enum sp_json_status {
	SP_JSON_OK = 0,
	SP_JSON_EMPTY,		/* nothing but white space */
	SP_JSON_TRUNCATED,	/* text ends inside a value */
	SP_JSON_INVALID,	/* not JSON */
	SP_JSON_NOMEM
};

/*
 * Check and tokenize text.  A leading UTF-8 byte order mark is skipped.
 * On failure err says where and what, e.g. "invalid JSON at byte 17:
 * expected ',' or '}'".
 */
enum sp_json_status sp_json_parse(struct sp_json *j, const char *text,
				  size_t len, char *err, size_t errlen);

/* The same with the tokens in shared, which keeps them for the next. */
enum sp_json_status sp_json_parse_shared(struct sp_json *j,
					 const char *text, size_t len,
					 struct sp_json_tokens *shared,
					 char *err, size_t errlen);
void sp_json_free(struct sp_json *j);

/* Index of the token after the whole value starting at token i. */
int sp_json_next(const struct sp_json *j, int i);

/* Value token of key in object obj as sp_json_members() finds it; -1. */
int sp_json_get(const struct sp_json *j, int obj, const char *key);

/*
 * Value tokens of several keys of object obj in one pass: out[k] for
 * keys[k], matched ignoring case and escapes, the last occurrence
 * winning; -1 where a key is missing or obj is no object.  Returns the
 * token after obj, as sp_json_next() does, found on the way.
 */
struct sp_json_key {
	const char *name;
	size_t len;
};
#define SP_JSON_KEY(s) { s, sizeof(s) - 1 }

int sp_json_members(const struct sp_json *j, int obj,
		     const struct sp_json_key *keys, int *out, size_t nkeys);

/* Whether token i is the literal null / true / false. */
bool sp_json_is_null(const struct sp_json *j, int i);
bool sp_json_is_bool(const struct sp_json *j, int i, bool *value);
bool sp_json_is_number(const struct sp_json *j, int i);

/* Raw text of token i and its length. */
const char *sp_json_raw(const struct sp_json *j, int i, size_t *len);

/*
 * Decode a string token's escapes into out, which must hold the raw
 * length plus one (decoding never grows the text).  Lone surrogates
 * become U+FFFD.  Returns the decoded length; out is NUL-terminated.
 */
size_t sp_json_unescape(const char *raw, size_t len, char *out);

/* Name of a token's type for messages: "object", "string", ... */
const char *sp_json_type_name(const struct sp_json *j, int i);

#endif /* SP_JSON_H */
