/*
 * Queues that do not drain: the judgement behind check_sapera_stalled.
 *
 * A row is stalled while it has pending work, its count has not gone
 * down and no tenant of it is being processed.  From the remembered
 * samples come its growth per minute and, at the observed drain rate,
 * the minutes until it is empty.
 */
#ifndef SP_STALLED_H
#define SP_STALLED_H

#include <stdbool.h>
#include <stdint.h>

#include "sp_check.h"
#include "sp_history.h"

/* Samples, at least a minute apart in all, before rates are given. */
#define SP_STALLED_MIN_SAMPLES 3
#define SP_STALLED_MIN_SPAN 60

struct sp_stalled_opts {
	bool tenants;		/* rows per worker and tenant */
	const char *state_dir;
	int64_t window;		/* seconds of history for rates */
	int64_t expire;		/* forget rows unseen this long */
	struct sp_range growth_warn;
	struct sp_range growth_crit;
	struct sp_range drain_warn;
	struct sp_range drain_crit;
	bool has_growth_warn;
	bool has_growth_crit;
	bool has_drain_warn;
	bool has_drain_crit;
};

struct sp_trend {
	int64_t stalled;	/* seconds stuck; 0 when not */
	int samples;		/* numeric samples in the window */
	int64_t span;		/* seconds from the first to the last */
	bool has_rate;
	double growth;		/* per minute */
	bool has_drain;
	double drain;		/* minutes; INFINITY: never drains */
};

/*
 * Move e on to now with the row's count and work out its trend.
 * window bounds the samples that rates are taken from.
 */
void sp_stalled_update(struct sp_history_entry *e, const struct sp_row *r,
		       int64_t now, int64_t window, struct sp_trend *t);

/* "1h 12m", "15m", "40s": a duration for people. */
void sp_stalled_duration(char *out, size_t outlen, int64_t secs);

/* Read "15m", "1h", "90s" or "90" (seconds) into *secs; false if not. */
bool sp_stalled_parse_duration(const char *text, int64_t *secs);

#endif /* SP_STALLED_H */
