/*
 * Fuzz target: threshold ranges.  Besides crashes it checks that a
 * parsed range's normalised text parses again to the same range, since
 * that text is what perfdata hands to graphing tools.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sp_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_range a;
	struct sp_range b;
	char err[256];
	char *text;

	if (size > 256) {
		return 0;
	}
	text = malloc(size + 1);
	if (!text) {
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	if (sp_range_parse(&a, text, err, sizeof(err)) == SP_RANGE_OK) {
		if (sp_range_parse(&b, a.text, err, sizeof(err)) !=
			    SP_RANGE_OK ||
		    strcmp(a.text, b.text) != 0 ||
		    a.inside != b.inside ||
		    a.start_infinite != b.start_infinite ||
		    a.end_infinite != b.end_infinite) {
			abort();
		}
		(void)sp_range_alerts(&a, 0.0);
	}
	free(text);
	return 0;
}
