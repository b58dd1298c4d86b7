/*
 * Queues that do not drain; see sp_stalled.h.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_stalled.h"

bool
sp_stalled_parse_duration(const char *text, int64_t *secs)
{
	char *end = NULL;
	long long v;
	int64_t unit = 1;

	if (text[0] < '0' || text[0] > '9') {
		return false;
	}
	v = strtoll(text, &end, 10);
	if (*end == 's' || *end == 'm' || *end == 'h' || *end == 'd') {
		unit = *end == 'm' ? 60 : *end == 'h' ? 3600
			: *end == 'd' ? 86400 : 1;
		end++;
	}
	if (*end || v > 100LL * 365 * 86400 / unit) {
		return false;
	}
	*secs = (int64_t)v * unit;
	return true;
}

void
sp_stalled_duration(char *out, size_t outlen, int64_t secs)
{
	if (secs >= 3600) {
		snprintf(out, outlen, "%lldh %02lldm", (long long)(secs / 3600),
			 (long long)(secs % 3600 / 60));
	} else if (secs >= 60) {
		snprintf(out, outlen, "%lldm", (long long)(secs / 60));
	} else {
		snprintf(out, outlen, "%llds", (long long)secs);
	}
}

/* Rates from the numeric samples of the window, once there are enough. */
static void
sp_stalled_rates(const struct sp_history_entry *e, const struct sp_row *r,
		 int64_t now, int64_t window, struct sp_trend *t)
{
	const struct sp_sample *first = NULL;
	const struct sp_sample *last = NULL;
	int k;

	for (k = 0; k < e->ns; k++) {
		if (e->s[k].count.kind != SP_COUNT_NUMBER ||
		    e->s[k].t < now - window) {
			continue;
		}
		first = first ? first : &e->s[k];
		last = &e->s[k];
		t->samples++;
	}
	if (first) {
		t->span = last->t - first->t;
	}
	if (t->samples < SP_STALLED_MIN_SAMPLES ||
	    t->span < SP_STALLED_MIN_SPAN) {
		return;
	}
	t->has_rate = true;
	t->growth = (double)(last->count.value - first->count.value) * 60.0 /
		    (double)(last->t - first->t);
	if (r->count.kind != SP_COUNT_NUMBER) {
		return;
	}
	t->has_drain = true;
	if (r->count.value == 0) {
		t->drain = 0;
	} else if (t->growth < 0) {
		t->drain = (double)r->count.value / -t->growth;
	} else {
		t->drain = INFINITY;
	}
}

void
sp_stalled_update(struct sp_history_entry *e, const struct sp_row *r,
		  int64_t now, int64_t window, struct sp_trend *t)
{
	const struct sp_sample *prev = e->ns ? &e->s[e->ns - 1] : NULL;
	bool working = r->processing && r->processing[0];
	bool dropped = prev && prev->count.kind == SP_COUNT_NUMBER &&
		       r->count.kind == SP_COUNT_NUMBER &&
		       r->count.value < prev->count.value;

	memset(t, 0, sizeof(*t));

	/* Work being done, or a count that fell, restarts the clock. */
	if (!sp_count_pending(&r->count) || working) {
		e->stall_since = -1;
	} else if (dropped || e->stall_since < 0 || e->stall_since > now) {
		e->stall_since = now;
	}
	sp_history_add(e, now, &r->count);
	e->last_seen = now;

	t->stalled = e->stall_since >= 0 ? now - e->stall_since : 0;
	sp_stalled_rates(e, r, now, window, t);
}
