/*
 * Threshold ranges in the Monitoring Plugins syntax.
 *
 *   10      alert outside 0..10
 *   10:     alert below 10
 *   ~:10    alert above 10
 *   10:20   alert outside 10..20
 *   @10:20  alert inside 10..20 (inclusive)
 *
 * Ends are inclusive.  Decimals and negatives are allowed, "~" is
 * negative infinity, and an empty end is positive infinity.
 */
#ifndef SP_RANGE_H
#define SP_RANGE_H

#include <stdbool.h>
#include <stddef.h>

struct sp_range {
	double start;
	double end;
	bool start_infinite;
	bool end_infinite;
	bool inside;		/* "@": alert when inside the bounds */
	char text[64];		/* normalised form, for perfdata and output */
};

enum sp_range_status {
	SP_RANGE_OK = 0,
	SP_RANGE_INVALID
};

/*
 * Parse text into r.  On failure r is untouched and err (errlen bytes)
 * says what is wrong in words fit for the status line.
 */
enum sp_range_status sp_range_parse(struct sp_range *r, const char *text,
				    char *err, size_t errlen);

/* True when value breaks the range, i.e. should raise an alert. */
bool sp_range_alerts(const struct sp_range *r, double value);

/*
 * Read [-+]digits[.digits] from s[0..len), independent of the locale.
 * False for anything else, or for a magnitude of 1e15 or more.
 */
bool sp_range_read_number(const char *s, size_t len, double *out);

/* Format a number as the guidelines want it: no exponent, no locale. */
void sp_range_format_number(char *out, size_t outlen, double v);

#endif /* SP_RANGE_H */
