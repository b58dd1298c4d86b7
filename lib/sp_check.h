/*
 * One check run: fetch the selected services, read their reports, turn
 * workers into rows and judge each row against its thresholds.
 *
 * The plugins differ only in which rows they build from the reports;
 * everything around that lives here.
 */
#ifndef SP_CHECK_H
#define SP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sp_config.h"
#include "sp_report.h"
#include "sp_state.h"

struct sp_service_result {
	int index;		/* into sp_service_names */
	char *url;
	bool answered;		/* a body that keeps the contract */
	enum sp_state state;	/* SP_OK when answered */
	char reason[256];	/* why not answered */
	long http_code;
	double seconds;
	size_t bytes;
	struct sp_report report;
};

/*
 * Which range a row broke; the range itself is r->warn or r->crit.  A
 * plugin that judges by ranges of its own says so in r->why instead.
 */
enum sp_broke {
	SP_BROKE_NONE = 0,
	SP_BROKE_WARN,
	SP_BROKE_CRIT
};

/*
 * One row of the result.  A large installation has hundreds of
 * thousands of tenant rows, so the small fields are packed: this
 * struct is most of a tenant check's memory.
 */
struct sp_row {
	const char *worker;	/* NULL on per-tenant sums */
	const char *tenant;	/* domain, else name; NULL on worker rows */
	const char *tenant_name;	/* the tenant's name, if it has one */
	const char *processing;	/* tenants being processed, or NULL */
	const char *problem;	/* NULL, or why the row is UNKNOWN */
	const char *why;	/* set by a plugin's own judge: the reason */
	struct sp_count count;
	const struct sp_range *warn;	/* set by sp_check_eval() */
	const struct sp_range *crit;

	/* How many "some" went into a sum; stops at SP_ROW_NSOME_MAX. */
	unsigned nsome : 19;
	signed service : 5;	/* index into sp_service_names; -1: all */
	unsigned at_least : 1;	/* a sum with "some" in it */
	unsigned missing : 1;	/* an --expect-worker that is not there */
	unsigned no_tenants : 1;	/* no per-tenant figures sent */
	unsigned active : 1;	/* set by sp_check_eval(), as are: */
	unsigned broke : 2;	/* enum sp_broke */
	unsigned state : 2;	/* enum sp_state */
};

#define SP_ROW_NSOME_MAX ((1u << 19) - 1)

/* The range a row broke (r->warn or r->crit), or NULL. */
const struct sp_range *sp_row_broken(const struct sp_row *r);

struct sp_buf;

struct sp_check {
	const struct sp_config *cfg;
	struct sp_arena arena;	/* rows' why and ext, freed with k */

	/* A plugin that judges rows its own way sets these. */
	void (*eval)(struct sp_check *k, struct sp_row *r);
	void (*perfdata)(struct sp_buf *b, const struct sp_check *k,
			 const struct sp_row *r, const char *label);

	struct sp_service_result svc[SP_NSERVICES];
	size_t nsvc;		/* selected services, in screen order */
	struct sp_row *rows;
	size_t nrows;
	size_t arows;
	enum sp_state state;	/* worst of rows and services */
	size_t nbucket[8];	/* rows per display bucket, by finish */
	bool none_selected;	/* filters left no row of any answer */
	struct sp_json_tokens *tokens;	/* shared by the parses, then freed */
	/*
	 * A plugin's own data about the rows, one entry per row in the
	 * order of k->rows (which never moves once built), or NULL.
	 */
	void *ext;
	char note[256];		/* a plugin's word on the whole run */
	enum sp_state note_state;	/* the least state the note means */
};

enum sp_check_status {
	SP_CHECK_OK = 0,
	SP_CHECK_ERROR		/* internal failure; err says what */
};

/*
 * Fetch and read every selected service.  A service that fails is not
 * an error here: it is recorded with its state and reason.
 */
enum sp_check_status sp_check_fetch(struct sp_check *k,
				    const struct sp_config *c, char *err,
				    size_t errlen);

/* A string kept as long as k, printf-like; "" when memory runs out. */
const char *sp_check_printf(struct sp_check *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Add a row (copied); false when memory runs out. */
bool sp_check_add(struct sp_check *k, const struct sp_row *r);

/* One row per selected worker, the Background tasks screen's view. */
bool sp_check_worker_rows(struct sp_check *k);

/*
 * One row per selected worker and tenant ("Show tenants"), or with
 * per_tenant one row per tenant summed over all workers.  A worker
 * without a tenants array gets one no_tenants row.
 */
bool sp_check_tenant_rows(struct sp_check *k);

/*
 * Judge each answering service by response time (-w/-c in seconds)
 * and --min-workers; adds no rows.
 */
bool sp_check_service_rows(struct sp_check *k);

/* A missing row for each --expect-worker no answering service has. */
bool sp_check_expected(struct sp_check *k);

struct sp_check_totals {
	size_t answered;	/* services */
	size_t rows;		/* rows with a figure of their own */
	size_t active;
	size_t no_tenants;	/* workers without per-tenant figures */
	int64_t backlog;	/* known counts only; saturates */
	size_t some;		/* rows whose "some" the backlog leaves out */
};

/* Totals over the services and the rows that carry a figure. */
void sp_check_totals(const struct sp_check *k, struct sp_check_totals *t);

/* Whether a row stands for a figure, not for a note about one. */
bool sp_row_counts(const struct sp_row *r);

/* "Financial", or "*" for a row that sums over services. */
const char *sp_row_service(const struct sp_row *r);

/*
 * Settle the rows that need no thresholds: missing expected workers,
 * workers without tenant figures, unreadable and unknown counts.  Also
 * sets active.  Returns false for a row that is still to be judged.
 */
bool sp_check_eval_notes(const struct sp_config *c, struct sp_row *r);

/*
 * Judge every row, sort by severity, work out the overall state; false
 * when memory runs out.
 */
bool sp_check_finish(struct sp_check *k);

/*
 * Going through the rows in display order, worst state first, active
 * before idle, otherwise in the order they were added.  The rows stay
 * where they are: with hundreds of thousands of tenant rows a sort in
 * place costs an index per row and a cache miss per move, and the
 * output mostly wants the first few.
 */
struct sp_check_iter {
	unsigned bucket;
	unsigned end;
	size_t next;
};

void sp_check_iter_init(struct sp_check_iter *it);

/* The same for the rows of one state's rank only (sp_state_rank). */
void sp_check_iter_rank(struct sp_check_iter *it, int rank);

/* The next row in display order (after sp_check_finish), or NULL. */
const struct sp_row *sp_check_iter_next(const struct sp_check *k,
					struct sp_check_iter *it);

void sp_check_free(struct sp_check *k);

/* The figure a row is compared as: its count, or --some-as. */
double sp_check_value(const struct sp_config *c, const struct sp_row *r);

#endif /* SP_CHECK_H */
