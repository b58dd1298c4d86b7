/*
 * Tenant rows: the screen's "Show tenants" view, and the per-tenant
 * backlog summed over all workers and services.
 *
 * A sum over 270,000 tenant entries must stay cheap, so tenants are
 * found through a small open-addressing hash on the folded key rather
 * than by comparing names pairwise.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_check.h"
#include "sp_text.h"

struct sp_tenant_map {
	size_t *slot;		/* row index + 1; 0 is empty */
	size_t mask;
};

/* FNV-1a over the key with ASCII letters folded. */
static uint64_t
sp_tenant_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++) {
		h ^= (unsigned char)tolower((unsigned char)*s);
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The name a tenant is known by: its domain, else its name. */
static const char *
sp_tenant_key(const struct sp_tenant *t)
{
	if (t->domain && t->domain[0]) {
		return t->domain;
	}
	return t->name && t->name[0] ? t->name : NULL;
}

/* A row for one tenant of one worker. */
static void
sp_tenant_row(struct sp_row *r, int service, const struct sp_worker *w,
	      const struct sp_tenant *t)
{
	memset(r, 0, sizeof(*r));
	r->service = service;
	r->worker = w->name;
	r->tenant = sp_tenant_key(t);
	r->tenant_name = t->name;
	r->processing = t->processing ? "yes" : NULL;
	r->problem = t->problem;
	r->count = t->count;
	if (!r->tenant) {
		r->tenant = "(unnamed tenant)";
		if (!r->problem) {
			r->problem = "tenant has neither name nor domain";
		}
	}
}

/* Row index of key in the map, adding an empty row when new. */
static size_t
sp_tenant_find(struct sp_check *k, struct sp_tenant_map *m,
	       const struct sp_tenant *t, bool *ok)
{
	const char *key = sp_tenant_key(t);
	size_t i = (size_t)sp_tenant_hash(key) & m->mask;
	struct sp_row r;

	while (m->slot[i]) {
		const struct sp_row *have = &k->rows[m->slot[i] - 1];

		if (sp_text_iequal(have->tenant, key)) {
			return m->slot[i] - 1;
		}
		i = (i + 1) & m->mask;
	}
	memset(&r, 0, sizeof(r));
	r.service = -1;
	r.tenant = key;
	r.tenant_name = t->name;
	*ok = sp_check_add(k, &r);
	m->slot[i] = k->nrows;
	return k->nrows - 1;
}

/* Add one tenant entry into a per-tenant sum. */
static void
sp_tenant_add(struct sp_row *sum, const struct sp_tenant *t)
{
	struct sp_count *c = &sum->count;

	if (t->processing) {
		sum->processing = "yes";
	}
	if (t->problem || t->count.kind == SP_COUNT_INVALID) {
		if (!sum->problem) {
			sum->problem = t->problem ? t->problem
						  : "invalid runCount";
		}
		return;
	}
	if (t->count.kind == SP_COUNT_SOME) {
		if (sum->nsome < SP_ROW_NSOME_MAX) {
			sum->nsome++;
		}
		if (c->kind == SP_COUNT_NUMBER) {
			sum->at_least = true;
		} else if (c->kind == SP_COUNT_NONE) {
			c->kind = SP_COUNT_SOME;
		}
		return;
	}
	if (t->count.kind != SP_COUNT_NUMBER) {
		return;
	}
	if (c->kind == SP_COUNT_SOME) {
		sum->at_least = true;
	}
	if (c->kind != SP_COUNT_NUMBER) {
		c->kind = SP_COUNT_NUMBER;
		c->value = 0;
	}
	if (t->count.value > INT64_MAX - c->value) {
		sum->problem = "sum of tenant runCounts does not fit in "
			       "64 bits";
		return;
	}
	c->value += t->count.value;
}

/*
 * A row saying that this worker gives no per-tenant figures, or, when
 * what it sent breaks the contract (a tenants object), why it cannot.
 */
static bool
sp_tenant_none(struct sp_check *k, int service, const struct sp_worker *w)
{
	struct sp_row r;

	memset(&r, 0, sizeof(r));
	r.service = service;
	r.worker = w->name;
	r.count = w->count;
	r.processing = w->processing;
	r.problem = w->problem;
	r.no_tenants = !w->problem;
	return sp_check_add(k, &r);
}

/* The rows of one worker: one per tenant, or summed into the map. */
static bool
sp_tenant_worker(struct sp_check *k, struct sp_tenant_map *m, int service,
		 const struct sp_worker *w)
{
	bool ok = true;
	struct sp_row r;
	size_t i;

	/* An empty list cannot explain pending work: that is no figure. */
	if (!w->has_tenants ||
	    (w->ntenants == 0 && sp_count_pending(&w->count))) {
		return sp_tenant_none(k, service, w);
	}
	for (i = 0; ok && i < w->ntenants; i++) {
		const struct sp_tenant *t = &w->tenants[i];

		if (!sp_config_wants_tenant(k->cfg, t->name, t->domain)) {
			continue;
		}
		if (m && sp_tenant_key(t)) {
			size_t at = sp_tenant_find(k, m, t, &ok);

			if (ok) {
				sp_tenant_add(&k->rows[at], t);
			}
			continue;
		}
		sp_tenant_row(&r, service, w, t);
		ok = sp_check_add(k, &r);
	}
	return ok;
}

/* A hash big enough for every tenant entry of the answered services. */
static bool
sp_tenant_map_init(struct sp_tenant_map *m, const struct sp_check *k)
{
	size_t n = 16;
	size_t total = 0;
	size_t s;

	for (s = 0; s < k->nsvc; s++) {
		total += k->svc[s].report.ntenants;
	}
	while (n < 2 * total + 16) {
		n *= 2;
	}
	m->slot = calloc(n, sizeof(*m->slot));
	m->mask = n - 1;
	return m->slot != NULL;
}

bool
sp_check_tenant_rows(struct sp_check *k)
{
	struct sp_tenant_map map = { NULL, 0 };
	bool ok = true;
	size_t s;
	size_t i;

	if (k->cfg->per_tenant && !sp_tenant_map_init(&map, k)) {
		return false;
	}
	for (s = 0; ok && s < k->nsvc; s++) {
		const struct sp_report *rep = &k->svc[s].report;

		for (i = 0; ok && k->svc[s].answered && i < rep->nworkers;
		     i++) {
			const struct sp_worker *w = &rep->workers[i];

			if (sp_config_wants_worker(k->cfg, w->name)) {
				ok = sp_tenant_worker(k, map.slot ? &map : NULL,
						      k->svc[s].index, w);
			}
		}
		/* Rows hold what they need: make room for the next ones. */
		sp_report_drop_tenants(&k->svc[s].report);
	}
	free(map.slot);
	return ok;
}
