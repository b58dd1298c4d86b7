/*
 * Judging the services themselves: answering, how fast, with how many
 * workers.  Used by check_sapera_services.
 */
#include "config.h"

#include <stdio.h>

#include "sp_check.h"

/* State and reason of one service that answered. */
static void
sp_services_judge(struct sp_service_result *s, const struct sp_config *c)
{
	const struct sp_range *broken = NULL;

	if (c->has_crit && sp_range_alerts(&c->crit, s->seconds)) {
		s->state = SP_CRITICAL;
		broken = &c->crit;
	} else if (c->has_warn && sp_range_alerts(&c->warn, s->seconds)) {
		s->state = SP_WARNING;
		broken = &c->warn;
	}
	if (broken) {
		snprintf(s->reason, sizeof(s->reason), "%.3f s (%s %s)",
			 s->seconds, broken == &c->crit ? "crit" : "warn",
			 broken->text);
		return;
	}
	/* A worker that vanished from the list does no work at all. */
	if (c->min_workers >= 0 &&
	    s->report.nworkers < (size_t)c->min_workers) {
		s->state = SP_WARNING;
		snprintf(s->reason, sizeof(s->reason),
			 "%zu workers, fewer than %ld: a worker disappeared",
			 s->report.nworkers, c->min_workers);
	}
}

bool
sp_check_service_rows(struct sp_check *k)
{
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		if (k->svc[i].answered) {
			sp_services_judge(&k->svc[i], k->cfg);
		}
	}
	return true;
}
