/*
 * Threshold ranges in the Monitoring Plugins syntax; see sp_range.h.
 *
 * Numbers are read by hand rather than with strtod(): strtod follows
 * LC_NUMERIC and accepts "inf", "nan", hex and exponents, none of which
 * belong in a threshold.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sp_range.h"

#define SP_RANGE_MAX 1e15

/*
 * Read [-+]digits[.digits] from s[0..len).  Returns false for anything
 * else, including an empty string and a lone sign or dot.
 */
bool
sp_range_read_number(const char *s, size_t len, double *out)
{
	double v = 0.0;
	double scale = 1.0;
	bool neg = false;
	bool digits = false;
	bool dot = false;
	size_t i = 0;

	if (i < len && (s[i] == '-' || s[i] == '+')) {
		neg = s[i] == '-';
		i++;
	}
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			digits = true;
			if (dot) {
				scale /= 10.0;
				v += (s[i] - '0') * scale;
			} else {
				v = v * 10.0 + (s[i] - '0');
			}
		} else if (s[i] == '.' && !dot && digits && i + 1 < len) {
			/* digits on both sides, as the documentation says */
			dot = true;
		} else {
			return false;
		}
	}
	/* Thresholds are run counts; bound them so the text stays short. */
	if (!digits || !isfinite(v) || fabs(v) >= SP_RANGE_MAX) {
		return false;
	}
	*out = neg ? -v : v;
	return true;
}

void
sp_range_format_number(char *out, size_t outlen, double v)
{
	double a = fabs(v);
	long long whole = (long long)a;
	long long frac = llround((a - (double)whole) * 1e6);
	int digits = 6;

	/* By hand: printf's %f would use the locale's decimal point. */
	if (a >= 1e18 || !isfinite(a)) {
		snprintf(out, outlen, "%.0f", v);
		return;
	}
	if (frac >= 1000000) {
		whole++;
		frac -= 1000000;
	}
	while (digits > 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (digits == 0) {
		snprintf(out, outlen, "%s%lld", v < 0 && whole ? "-" : "",
			 whole);
		return;
	}
	snprintf(out, outlen, "%s%lld.%0*lld", v < 0 ? "-" : "", whole,
		 digits, frac);
}

/*
 * Keep the user's spelling as the range's text, less any '+' signs:
 * reformatting the numbers could round them, and perfdata must carry
 * the very range the check used.
 */
static bool
sp_range_set_text(struct sp_range *r, const char *text)
{
	size_t n = 0;

	for (; *text; text++) {
		if (*text == '+') {
			continue;
		}
		if (n + 1 >= sizeof(r->text)) {
			return false;
		}
		r->text[n++] = *text;
	}
	r->text[n] = '\0';
	return true;
}

enum sp_range_status
sp_range_parse(struct sp_range *out, const char *text, char *err,
	       size_t errlen)
{
	struct sp_range r = { 0 };
	const char *s = text;
	const char *colon;

	if (*s == '@') {
		r.inside = true;
		s++;
	}
	colon = strchr(s, ':');

	if (!colon) {
		/* "N" means 0:N. */
		if (!sp_range_read_number(s, strlen(s), &r.end)) {
			goto bad;
		}
	} else {
		size_t alen = (size_t)(colon - s);

		if (alen == 1 && s[0] == '~') {
			r.start_infinite = true;
		} else if (!sp_range_read_number(s, alen, &r.start)) {
			goto bad;
		}
		if (colon[1] == '\0') {
			r.end_infinite = true;
		} else if (!sp_range_read_number(colon + 1,
						 strlen(colon + 1), &r.end)) {
			goto bad;
		}
	}

	if (!r.start_infinite && !r.end_infinite && r.start > r.end) {
		snprintf(err, errlen,
			 "invalid range '%s': start is greater than end",
			 text);
		return SP_RANGE_INVALID;
	}
	if (!sp_range_set_text(&r, text)) {
		snprintf(err, errlen, "invalid range '%.40s...': too long",
			 text);
		return SP_RANGE_INVALID;
	}
	*out = r;
	return SP_RANGE_OK;

bad:
	snprintf(err, errlen, "invalid range '%s'", text);
	return SP_RANGE_INVALID;
}

bool
sp_range_alerts(const struct sp_range *r, double value)
{
	bool above_start = r->start_infinite || value >= r->start;
	bool below_end = r->end_infinite || value <= r->end;
	bool within = above_start && below_end;

	return r->inside ? within : !within;
}
