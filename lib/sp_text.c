/*
 * Display-safe text and name matching; see sp_text.h.
 */
#include "config.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sp_secret.h"
#include "sp_text.h"

size_t
sp_text_utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	size_t i;
	unsigned cp;

	if (s[0] < 0x80) {
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len) {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		return 0;
	}
	return len;
}

static bool
sp_text_add_clean_raw(struct sp_buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	size_t used = 0;
	size_t i = 0;

	while (i < n) {
		size_t len = sp_text_utf8_len(p + i, n - i);
		bool ok;

		if (used + (len ? len : 3) > max) {
			return sp_buf_addstr(b, "...") == SP_BUF_OK;
		}
		if (len == 0) {
			ok = sp_buf_addstr(b, "\xEF\xBF\xBD") == SP_BUF_OK;
			used += 3;
			len = 1;
		} else if (len == 1 && (p[i] < 0x20 || p[i] == 0x7F ||
					p[i] == '|')) {
			ok = sp_buf_addc(b, '?') == SP_BUF_OK;
			used++;
		} else {
			ok = sp_buf_add(b, p + i, len) == SP_BUF_OK;
			used += len;
		}
		if (!ok) {
			return false;
		}
		i += len;
	}
	return true;
}


bool
sp_text_add_clean(struct sp_buf *b, const char *s, size_t max)
{
	char *copy;
	const char *t = sp_secret_mask(s, max, &copy);
	bool ok = t && sp_text_add_clean_raw(b, t, max);

	free(copy);
	return ok;
}

/* One character of a JSON string; len is its valid UTF-8 length or 0. */
static enum sp_buf_status
sp_text_json_char(struct sp_buf *b, const unsigned char *p, size_t len)
{
	if (len == 0) {
		return sp_buf_addstr(b, "\\ufffd");
	}
	if (len > 1) {
		return sp_buf_add(b, p, len);
	}
	if (*p == '"' || *p == '\\') {
		sp_buf_addc(b, '\\');
		return sp_buf_addc(b, (char)*p);
	}
	if (*p < 0x20) {
		return sp_buf_printf(b, "\\u%04x", *p);
	}
	return sp_buf_addc(b, (char)*p);
}

static bool
sp_text_add_json_raw(struct sp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	size_t i = 0;

	sp_buf_addc(b, '"');
	while (i < n) {
		size_t len = sp_text_utf8_len(p + i, n - i);

		if (sp_text_json_char(b, p + i, len) != SP_BUF_OK) {
			return false;
		}
		i += len ? len : 1;
	}
	return sp_buf_addc(b, '"') == SP_BUF_OK;
}

bool
sp_text_add_json(struct sp_buf *b, const char *s)
{
	char *copy;
	const char *t;
	bool ok;

	if (!s) {
		return sp_buf_addstr(b, "null") == SP_BUF_OK;
	}
	t = sp_secret_mask(s, SIZE_MAX, &copy);
	ok = t && sp_text_add_json_raw(b, t);
	free(copy);
	return ok;
}

bool
sp_text_add_label(struct sp_buf *b, const char *s, size_t max)
{
	char *copy;
	const char *t = sp_secret_mask(s, max, &copy);
	bool ok = t != NULL;
	size_t i;

	for (i = 0; ok && t[i] && i < max; i++) {
		unsigned char c = (unsigned char)t[i];
		bool keep = isascii(c) && (isalnum(c) || strchr("_.-/#@", c));

		ok = sp_buf_addc(b, keep ? (char)c : '_') == SP_BUF_OK;
	}
	free(copy);
	return ok;
}

bool
sp_text_glob(const char *pattern, const char *s)
{
#ifdef HAVE_FNM_CASEFOLD
	return fnmatch(pattern, s, FNM_CASEFOLD) == 0;
#else
	char p[256];
	char t[256];
	size_t i;

	/* Without FNM_CASEFOLD, fold both sides; longer names never match. */
	if (strlen(pattern) >= sizeof(p) || strlen(s) >= sizeof(t)) {
		return false;
	}
	for (i = 0; pattern[i]; i++) {
		p[i] = (char)tolower((unsigned char)pattern[i]);
	}
	p[i] = '\0';
	for (i = 0; s[i]; i++) {
		t[i] = (char)tolower((unsigned char)s[i]);
	}
	t[i] = '\0';
	return fnmatch(p, t, 0) == 0;
#endif
}

bool
sp_text_iequal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
