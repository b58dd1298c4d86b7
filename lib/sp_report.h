/*
 * The worker status report of one service, as doc/api.md describes it.
 *
 * A body is either {"service": ..., "workers": [...]} or a bare array of
 * workers; keys match ignoring case.  A body that breaks the contract as
 * a whole fails; a single worker or tenant with a bad field is kept and
 * carries a problem text, so the rest of the service is still checked.
 */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sp_arena.h"

enum sp_count_kind {
	SP_COUNT_NONE = 0,	/* null or missing: not known */
	SP_COUNT_NUMBER,
	SP_COUNT_SOME,		/* "some": pending work of unknown size */
	SP_COUNT_INVALID	/* present but not a count; see problem */
};

struct sp_count {
	enum sp_count_kind kind;
	int64_t value;		/* for SP_COUNT_NUMBER */
};

struct sp_tenant {
	const char *name;	/* NULL when not given */
	const char *domain;	/* NULL when not given */
	const char *problem;	/* NULL, or why the tenant is unusable */
	struct sp_count count;
	bool processing;
};

struct sp_worker {
	const char *name;	/* never NULL; decoded UTF-8 as sent */
	const char *processing;	/* tenantBeingProcessed or NULL */
	const char *problem;	/* NULL, or why the row is UNKNOWN */
	struct sp_count own;	/* the worker's own runCount */
	struct sp_count count;	/* own, or else the tenants' sum */
	struct sp_tenant *tenants;	/* with SP_REPORT_TENANTS only */
	size_t ntenants;		/* entries in tenants */
	bool has_tenants;	/* a tenants array was sent */
};

struct sp_report {
	const char *service;	/* "service" key, NULL when absent */
	struct sp_worker *workers;
	size_t nworkers;
	size_t ntenants;	/* over all workers */
	struct sp_arena arena;	/* owns everything above but tenants */
	struct sp_arena tenant_arena;	/* the workers' tenants arrays */
};

enum sp_report_status {
	SP_REPORT_OK = 0,
	SP_REPORT_INVALID,	/* err says why */
	SP_REPORT_NOMEM
};

/*
 * Keep each worker's tenants, not only what they add up to.  Without
 * it every tenant is still read and checked, so counts and problems
 * are the same, but a worker view of 100,000 tenants costs no memory
 * per tenant.
 */
#define SP_REPORT_TENANTS 0x1u

/*
 * Parse body into r; flags are SP_REPORT_* bits.  r owns copies of
 * everything it needs, so body can be freed afterwards.  On failure r
 * is empty and err says why.
 */
enum sp_report_status sp_report_parse(struct sp_report *r, const char *body,
				      size_t len, unsigned flags, char *err,
				      size_t errlen);
struct sp_json_tokens;

/* The same, with jsmn's tokens kept in tokens for the next body. */
enum sp_report_status sp_report_parse_with(struct sp_report *r,
					   const char *body, size_t len,
					   unsigned flags,
					   struct sp_json_tokens *tokens,
					   char *err, size_t errlen);

void sp_report_free(struct sp_report *r);

/*
 * Free the workers' tenants arrays once they have been read, keeping
 * the rest of the report (names stay valid: they live in r->arena).
 */
void sp_report_drop_tenants(struct sp_report *r);

/*
 * Read a runCount from its JSON text (number, string or null).
 * Returns NULL on success, else a problem text in problem (len bytes).
 */
const char *sp_count_parse(struct sp_count *c, const char *raw, size_t len,
			   bool is_string, char *problem, size_t plen);

/* True when the row has pending work: a count above zero or "some". */
bool sp_count_pending(const struct sp_count *c);

#endif /* SP_REPORT_H */
