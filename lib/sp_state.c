/*
 * Plugin states; see sp_state.h.
 */
#include "config.h"

#include <strings.h>

#include "sp_state.h"

static const char *const sp_state_names[] = {
	"OK", "WARNING", "CRITICAL", "UNKNOWN"
};

const char *
sp_state_name(enum sp_state s)
{
	return (unsigned)s < 4 ? sp_state_names[s] : "UNKNOWN";
}

bool
sp_state_parse(const char *text, enum sp_state *s)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(text, sp_state_names[i]) == 0 ||
		    (text[0] == '0' + i && text[1] == '\0')) {
			*s = (enum sp_state)i;
			return true;
		}
	}
	return false;
}

int
sp_state_rank(enum sp_state s)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return (unsigned)s < 4 ? rank[s] : 1;
}

enum sp_state
sp_state_worst(enum sp_state a, enum sp_state b)
{
	return sp_state_rank(a) >= sp_state_rank(b) ? a : b;
}
