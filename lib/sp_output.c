/*
 * The plugin's output; see sp_output.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_output.h"
#include "sp_perfdata.h"
#include "sp_secret.h"
#include "sp_text.h"

/* Problems named on the status line before "+N more". */
#define SP_OUTPUT_FIRST_ITEMS 3
/* Bytes of one name or reason on the status line. */
#define SP_OUTPUT_NAME_MAX 60
#define SP_OUTPUT_REASON_MAX 100
/* Widest table column, in characters. */
#define SP_OUTPUT_COLUMN_MAX 40

static void sp_output_quiet_services(struct sp_buf *b,
				     const struct sp_check *k);

void
sp_output_row_name(struct sp_buf *b, const struct sp_row *r, size_t max)
{
	if (r->service < 0) {
		sp_buf_addstr(b, "tenant ");
		sp_text_add_clean(b, r->tenant, max);
		return;
	}
	sp_buf_addstr(b, sp_service_names[r->service]);
	sp_buf_addc(b, '/');
	sp_text_add_clean(b, r->worker, max);
	if (r->tenant) {
		sp_buf_addc(b, '/');
		sp_text_add_clean(b, r->tenant, max);
	}
}

/* The count as people read it: 12, some, at least 12, unknown. */
static void
sp_output_count(struct sp_buf *b, const struct sp_row *r)
{
	switch (r->count.kind) {
	case SP_COUNT_NUMBER:
		sp_buf_printf(b, "%s%" PRId64, r->at_least ? "at least " : "",
			      r->count.value);
		break;
	case SP_COUNT_SOME:
		sp_buf_addstr(b, "some");
		break;
	case SP_COUNT_NONE:
		sp_buf_addstr(b, "unknown");
		break;
	default:
		sp_buf_addstr(b, "invalid");
		break;
	}
}

/* Why a row is not OK, after its name: " 250 (crit 100)". */
static void
sp_output_row_reason(struct sp_buf *b, const struct sp_row *r)
{
	if (r->no_tenants) {
		sp_buf_addstr(b, ": no per-tenant figures");
		return;
	}
	if (r->why && !r->problem) {
		sp_buf_addc(b, ' ');
		sp_text_add_clean(b, r->why, SP_OUTPUT_REASON_MAX);
		return;
	}
	if (r->problem) {
		sp_buf_addstr(b, ": ");
		sp_text_add_clean(b, r->problem, SP_OUTPUT_REASON_MAX);
		return;
	}
	sp_buf_addc(b, ' ');
	sp_output_count(b, r);
	if (r->broke) {
		sp_buf_printf(b, " (%s %s)", r->broke == SP_BROKE_CRIT
						     ? "crit" : "warn",
			      sp_row_broken(r)->text);
	}
}

static void
sp_output_service_item(struct sp_buf *b, const struct sp_service_result *s)
{
	sp_buf_printf(b, "%s: ", sp_service_names[s->index]);
	sp_text_add_clean(b, s->reason, SP_OUTPUT_REASON_MAX);
}

static void
sp_output_row_item(struct sp_buf *b, const struct sp_row *r)
{
	sp_output_row_name(b, r, SP_OUTPUT_NAME_MAX);
	sp_output_row_reason(b, r);
}

struct sp_output_items {
	struct sp_buf *b;
	size_t shown;
	size_t total;
};

/* Name the first few problems; count the rest. */
static void
sp_output_item_sep(struct sp_output_items *it)
{
	if (it->shown > 0) {
		sp_buf_addstr(it->b, ", ");
	}
	it->shown++;
}

/* Problems of one severity rank: failed services first, then rows. */
static void
sp_output_rank(struct sp_output_items *it, const struct sp_check *k,
	       int rank)
{
	struct sp_check_iter at;
	const struct sp_row *r;
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		const struct sp_service_result *s = &k->svc[i];

		if (sp_state_rank(s->state) != rank) {
			continue;
		}
		if (it->total++ < SP_OUTPUT_FIRST_ITEMS) {
			sp_output_item_sep(it);
			sp_output_service_item(it->b, s);
		}
	}
	sp_check_iter_rank(&at, rank);
	for (r = sp_check_iter_next(k, &at); r;
	     r = sp_check_iter_next(k, &at)) {
		if (r->state == SP_OK) {
			continue;
		}
		if (it->total++ < SP_OUTPUT_FIRST_ITEMS) {
			sp_output_item_sep(it);
			sp_output_row_item(it->b, r);
		}
	}
}

/* "1 worker", "2 workers": nouns are given in the plural. */
static void
sp_output_noun(struct sp_buf *b, size_t n, const char *noun)
{
	size_t len = strlen(noun);

	if (n == 1 && len > 1 && noun[len - 1] == 's') {
		len--;
	}
	sp_buf_printf(b, "%zu %.*s", n, (int)len, noun);
}

/* "36 workers in 9 services, 7 active, backlog 73" */
static void
sp_output_quiet(struct sp_buf *b, const struct sp_check *k,
		const struct sp_output_opts *o)
{
	struct sp_check_totals t;

	sp_check_totals(k, &t);
	sp_output_noun(b, t.rows, o->noun);
	sp_buf_addstr(b, " in ");
	if (t.answered < k->nsvc) {
		sp_buf_printf(b, "%zu of ", t.answered);
	}
	sp_buf_printf(b, "%zu service%s, %zu active, backlog %s%" PRId64,
		      k->nsvc, k->nsvc == 1 ? "" : "s", t.active,
		      t.some ? "at least " : "", t.backlog);
}

/* Workers that cannot be split by tenant never pass as zero. */
static void
sp_output_no_tenants(struct sp_buf *b, const struct sp_check *k)
{
	struct sp_check_totals t;

	sp_check_totals(k, &t);
	if (t.no_tenants) {
		sp_buf_printf(b, "; %zu worker%s no per-tenant figures",
			      t.no_tenants, t.no_tenants == 1 ? " gives"
							     : "s give");
	}
}

static void
sp_output_summary(struct sp_buf *b, const struct sp_check *k,
		  const struct sp_output_opts *o)
{
	struct sp_output_items it = { b, 0, 0 };
	int rank;

	sp_buf_printf(b, "%s %s - ", o->label, sp_state_name(k->state));
	if (k->none_selected) {
		sp_buf_printf(b, "no %s match the --worker/--tenant "
			      "selection, ", o->noun);
	}
	for (rank = 3; rank >= 1; rank--) {
		sp_output_rank(&it, k, rank);
	}
	if (it.total > it.shown) {
		sp_buf_printf(b, ", +%zu more", it.total - it.shown);
	}
	if (it.total == 0 && o->service_rows) {
		sp_output_quiet_services(b, k);
	} else if (it.total == 0) {
		sp_output_quiet(b, k, o);
	}
	sp_output_no_tenants(b, k);
	if (k->note[0]) {
		sp_buf_addstr(b, "; ");
		sp_text_add_clean(b, k->note, sizeof(k->note));
	}
}

enum {
	SP_COL_SERVICE,
	SP_COL_WORKER,
	SP_COL_TENANT,
	SP_COL_PROCESSING,
	SP_COL_COUNT,
	SP_COL_STATE,
	SP_COL_RANGES,
	SP_COL_NOTE,
	SP_NCOLS
};

static const char *const sp_col_titles[SP_NCOLS] = {
	"SERVICE", "WORKER", "TENANT", "PROCESSING", "RUN COUNT", "STATE",
	"WARN/CRIT", "NOTE"
};

struct sp_output_table {
	char *(*cells)[SP_NCOLS];
	size_t nrows;
	size_t width[SP_NCOLS];
	bool used[SP_NCOLS];
};

/* Characters, not bytes: columns line up for UTF-8 names too. */
static size_t
sp_output_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		n += ((unsigned char)*s & 0xC0) != 0x80;
	}
	return n;
}

static char *
sp_output_cell(const char *s, size_t max)
{
	struct sp_buf b;

	sp_buf_init(&b, 4 * max + 8);
	sp_text_add_clean(&b, s ? s : "", max);
	return sp_buf_take(&b);
}

static void
sp_output_row_cells(const struct sp_row *r, char *cell[SP_NCOLS])
{
	const size_t max = SP_OUTPUT_COLUMN_MAX;
	struct sp_buf b;

	cell[SP_COL_SERVICE] = strdup(sp_row_service(r));
	cell[SP_COL_WORKER] = sp_output_cell(r->worker ? r->worker : "*",
					     max);
	cell[SP_COL_TENANT] = sp_output_cell(r->tenant, max);
	cell[SP_COL_PROCESSING] = sp_output_cell(r->processing ? r->processing
							       : "-", max);
	sp_buf_init(&b, 256);
	sp_output_count(&b, r);
	cell[SP_COL_COUNT] = sp_buf_take(&b);
	cell[SP_COL_STATE] = strdup(sp_state_name(r->state));

	sp_buf_init(&b, 256);
	sp_buf_printf(&b, "%s/%s", r->warn ? r->warn->text : "-",
		      r->crit ? r->crit->text : "-");
	cell[SP_COL_RANGES] = sp_buf_take(&b);

	sp_buf_init(&b, 512);
	if (r->no_tenants) {
		sp_buf_addstr(&b, "no per-tenant figures");
	} else if (r->why && !r->problem) {
		sp_text_add_clean(&b, r->why, SP_OUTPUT_REASON_MAX);
	} else if (r->problem) {
		sp_text_add_clean(&b, r->problem, SP_OUTPUT_REASON_MAX);
	} else if (r->broke) {
		sp_buf_printf(&b, "breaks %s %s", r->broke == SP_BROKE_CRIT
				  ? "crit" : "warn", sp_row_broken(r)->text);
	}
	cell[SP_COL_NOTE] = sp_buf_take(&b);
}

/* Which rows the table shows, at most limit of them. */
static bool
sp_output_table_build(struct sp_output_table *t, const struct sp_check *k,
		      const struct sp_output_opts *o, size_t limit)
{
	struct sp_check_iter at;
	const struct sp_row *r;
	size_t i;
	size_t c;

	memset(t, 0, sizeof(*t));
	t->cells = calloc(limit + 1, sizeof(*t->cells));
	if (!t->cells) {
		return false;
	}
	sp_check_iter_init(&at);
	for (r = sp_check_iter_next(k, &at); r && t->nrows < limit;
	     r = sp_check_iter_next(k, &at)) {
		if (o->problems_only && r->state == SP_OK) {
			continue;
		}
		sp_output_row_cells(r, t->cells[t->nrows]);
		t->used[SP_COL_TENANT] |= r->tenant != NULL;
		t->used[SP_COL_PROCESSING] |= r->processing != NULL;
		t->nrows++;
	}
	t->used[SP_COL_SERVICE] = t->used[SP_COL_WORKER] = true;
	t->used[SP_COL_COUNT] = t->used[SP_COL_STATE] = true;
	t->used[SP_COL_RANGES] = o->verbosity >= 1;
	t->used[SP_COL_NOTE] = true;
	for (c = 0; c < SP_NCOLS; c++) {
		t->width[c] = sp_output_width(sp_col_titles[c]);
		for (i = 0; i < t->nrows; i++) {
			size_t w = sp_output_width(t->cells[i][c] ?
						   t->cells[i][c] : "");

			t->width[c] = w > t->width[c] ? w : t->width[c];
		}
	}
	return true;
}

static void
sp_output_table_free(struct sp_output_table *t)
{
	size_t i;
	size_t c;

	for (i = 0; t->cells && i < t->nrows; i++) {
		for (c = 0; c < SP_NCOLS; c++) {
			free(t->cells[i][c]);
		}
	}
	free(t->cells);
}

/* One line of the table; the last column is not padded. */
static void
sp_output_table_line(struct sp_buf *b, const struct sp_output_table *t,
		     const char *const cell[SP_NCOLS])
{
	size_t start = b->len;
	size_t c;

	for (c = 0; c < SP_NCOLS; c++) {
		const char *s = cell[c] ? cell[c] : "";

		if (!t->used[c]) {
			continue;
		}
		sp_buf_addstr(b, s);
		if (c + 1 < SP_NCOLS) {
			sp_buf_printf(b, "%*s", (int)(t->width[c] -
				      sp_output_width(s) + 2), "");
		}
	}
	while (b->len > start && b->data[b->len - 1] == ' ') {
		b->data[--b->len] = '\0';
	}
	sp_buf_addc(b, '\n');
}

/* Rows the table may show before --max-rows or the byte budget. */
static size_t
sp_output_limit(const struct sp_check *k, const struct sp_output_opts *o)
{
	if (o->max_rows_set) {
		return o->max_rows < k->nrows ? o->max_rows : k->nrows;
	}
	/* No line is shorter than a few bytes: this many always suffice. */
	return o->max_bytes / 8 < k->nrows ? o->max_bytes / 8 : k->nrows;
}

static void
sp_output_table(struct sp_buf *b, const struct sp_check *k,
		const struct sp_output_opts *o)
{
	struct sp_output_table t;
	size_t start = b->len;
	size_t shown = 0;
	size_t hidden = 0;
	size_t i;

	if (!sp_output_table_build(&t, k, o, sp_output_limit(k, o))) {
		return;
	}
	if (t.nrows > 0) {
		sp_output_table_line(b, &t, sp_col_titles);
	}
	for (i = 0; i < t.nrows; i++) {
		size_t before = b->len;

		sp_output_table_line(b, &t, (const char *const *)t.cells[i]);
		if (!o->max_rows_set && b->len - start > o->max_bytes) {
			b->len = before;
			b->data[before] = '\0';
			break;
		}
		shown++;
	}
	for (i = 0; i < k->nrows; i++) {
		hidden += o->problems_only && k->rows[i].state == SP_OK;
	}
	if (shown + hidden < k->nrows) {
		sp_buf_printf(b, "... %zu more rows not shown (--max-rows)\n",
			      k->nrows - shown - hidden);
	}
	if (hidden) {
		sp_buf_printf(b, "%zu OK rows hidden (--problems-only)\n",
			      hidden);
	}
	sp_output_table_free(&t);
}

/* Services that did not answer, with why; all of them at -v. */
static void
sp_output_services(struct sp_buf *b, const struct sp_check *k,
		   const struct sp_output_opts *o)
{
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		const struct sp_service_result *s = &k->svc[i];

		if (s->answered && o->verbosity < 1) {
			continue;
		}
		sp_buf_printf(b, "Service %s: ", sp_service_names[s->index]);
		if (s->answered) {
			sp_output_noun(b, s->report.nworkers, "workers");
			sp_buf_printf(b, ", HTTP %ld in %.3f s\n",
				      s->http_code, s->seconds);
			continue;
		}
		sp_buf_printf(b, "%s - ", sp_state_name(s->state));
		sp_text_add_clean(b, s->reason, sizeof(s->reason));
		sp_buf_addc(b, '\n');
	}
}

/* check_sapera_services: "9 services answered with 36 workers, ..." */
static void
sp_output_quiet_services(struct sp_buf *b, const struct sp_check *k)
{
	const struct sp_service_result *slow = NULL;
	size_t answered = 0;
	size_t workers = 0;
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		const struct sp_service_result *s = &k->svc[i];

		if (!s->answered) {
			continue;
		}
		answered++;
		workers += s->report.nworkers;
		if (!slow || s->seconds > slow->seconds) {
			slow = s;
		}
	}
	sp_buf_printf(b, "%zu of ", answered);
	sp_output_noun(b, k->nsvc, "services");
	sp_buf_addstr(b, " answered with ");
	sp_output_noun(b, workers, "workers");
	if (slow) {
		sp_buf_printf(b, ", slowest %s %.3f s",
			      sp_service_names[slow->index], slow->seconds);
	}
}

/* One line per service: the table of check_sapera_services. */
static void
sp_output_service_table(struct sp_buf *b, const struct sp_check *k,
			const struct sp_output_opts *o)
{
	size_t i;

	sp_buf_addstr(b, "SERVICE        HTTP  TIME      WORKERS  STATE     "
		      "NOTE\n");
	for (i = 0; i < k->nsvc; i++) {
		const struct sp_service_result *s = &k->svc[i];

		if (o->problems_only && s->state == SP_OK) {
			continue;
		}
		sp_buf_printf(b, "%-13s  %-4ld  %-8.3f  ",
			      sp_service_names[s->index], s->http_code,
			      s->seconds);
		if (s->answered) {
			sp_buf_printf(b, "%-7zu  ", s->report.nworkers);
		} else {
			sp_buf_addstr(b, "-        ");
		}
		sp_buf_printf(b, "%-8s  ", sp_state_name(s->state));
		sp_text_add_clean(b, s->reason, sizeof(s->reason));
		if (o->verbosity >= 1) {
			char url[512];

			sp_secret_url(s->url, url, sizeof(url));
			sp_buf_addstr(b, s->reason[0] ? " " : "");
			sp_text_add_clean(b, url, 200);
		}
		while (b->len && b->data[b->len - 1] == ' ') {
			b->data[--b->len] = '\0';
		}
		sp_buf_addc(b, '\n');
	}
}

/* The status line alone, inside a JSON document. */
static bool
sp_output_format_json(struct sp_buf *out, const struct sp_check *k,
		      const struct sp_output_opts *o)
{
	struct sp_buf line;
	bool ok;

	sp_buf_init(&line, out->max);
	sp_output_summary(&line, k, o);
	ok = sp_output_json(out, k, o, sp_buf_str(&line));
	sp_buf_free(&line);
	return ok;
}

bool
sp_output_format(struct sp_buf *out, const struct sp_check *k,
		 const struct sp_output_opts *o)
{
	if (o->json) {
		return sp_output_format_json(out, k, o);
	}
	sp_output_summary(out, k, o);
	if (o->perfdata != SP_PERFDATA_NONE) {
		sp_buf_addstr(out, " | ");
		if (!sp_perfdata_format(out, k, o)) {
			return false;
		}
	}
	sp_buf_addc(out, '\n');
	if (o->verbosity >= 1) {
		sp_buf_addstr(out, sp_buf_str(&k->cfg->notes));
	}
	if (o->service_rows) {
		sp_output_service_table(out, k, o);
		return out->len < out->max;
	}
	sp_output_services(out, k, o);
	if (k->nrows > 0) {
		sp_output_table(out, k, o);
	}
	return out->len < out->max;
}
