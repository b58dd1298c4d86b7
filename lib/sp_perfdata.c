/*
 * Performance data: every figure on the status line, after its '|'.
 *
 * The format is the guidelines' 'label'=value[UOM];warn;crit;min;max
 * with U for an unknown value.  Labels are built only from characters
 * every graphing backend takes, and stay the same from run to run so
 * graphs do not break.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_perfdata.h"
#include "sp_strset.h"
#include "sp_text.h"

struct sp_perfdata_label {
	char *text;
	size_t index;		/* into k->rows */
	const struct sp_row *row;
	unsigned dup;		/* 0 for the first of a name, then 2, 3... */
};

/* NULL-safe strcmp; NULL first. */
static int
sp_perfdata_strcmp(const char *a, const char *b)
{
	if (!a || !b) {
		return (a != NULL) - (b != NULL);
	}
	return strcmp(a, b);
}

/*
 * By label, then, among rows whose names clean to the same label
 * ("Kafé" and "Kafè" both give "Kaf__"), by the names as sent, so that
 * each keeps its number whatever order the service lists them in; only
 * rows named exactly alike fall back to that order.
 */
static int
sp_perfdata_label_cmp(const void *a, const void *b)
{
	const struct sp_perfdata_label *x = a;
	const struct sp_perfdata_label *y = b;
	int c = strcmp(x->text, y->text);

	if (!c) {
		c = sp_perfdata_strcmp(x->row->worker, y->row->worker);
	}
	if (!c) {
		c = sp_perfdata_strcmp(x->row->tenant, y->row->tenant);
	}
	if (c) {
		return c;
	}
	/* Rows stay in the order they were added: their place says it. */
	return x->row < y->row ? -1 : x->row > y->row;
}

/* The label a row asks for, before duplicates are told apart. */
static char *
sp_perfdata_base(const struct sp_row *r)
{
	struct sp_buf b;

	sp_buf_init(&b, 1024);
	if (r->service < 0) {
		sp_buf_addstr(&b, "tenant");
	} else {
		sp_buf_addstr(&b, sp_service_names[r->service]);
		sp_buf_addc(&b, '/');
		sp_text_add_label(&b, r->worker, 200);
	}
	if (r->tenant) {
		sp_buf_addc(&b, '/');
		sp_text_add_label(&b, r->tenant, 200);
	}
	return sp_buf_take(&b);
}

/*
 * Number the later rows of each name "#2", "#3"... in the order of
 * sp_perfdata_label_cmp(), skipping any number whose label some other row
 * already asks for (a worker may really be called "Twin#2").
 */
static bool
sp_perfdata_number(struct sp_perfdata_label *l, size_t n)
{
	struct sp_strset bases;
	char probe[1100];
	size_t i;
	unsigned k = 1;

	if (!sp_strset_init(&bases, n)) {
		return false;
	}
	for (i = 0; i < n; i++) {
		sp_strset_add(&bases, l[i].text);
	}
	for (i = 1; i < n; i++) {
		if (strcmp(l[i].text, l[i - 1].text) != 0) {
			k = 1;
			continue;
		}
		do {
			k++;
			snprintf(probe, sizeof(probe), "%s#%u", l[i].text, k);
		} while (sp_strset_has(&bases, probe));
		l[i].dup = k;
	}
	sp_strset_free(&bases);
	return true;
}

/* Perfdata labels for all rows, unique and stable from run to run. */
static struct sp_perfdata_label *
sp_perfdata_labels(const struct sp_check *k)
{
	struct sp_perfdata_label *l = calloc(k->nrows + 1, sizeof(*l));
	size_t i;

	if (!l) {
		return NULL;
	}
	for (i = 0; i < k->nrows; i++) {
		l[i].text = sp_perfdata_base(&k->rows[i]);
		l[i].index = i;
		l[i].row = &k->rows[i];
		if (!l[i].text) {
			goto fail;
		}
	}
	qsort(l, k->nrows, sizeof(*l), sp_perfdata_label_cmp);
	if (sp_perfdata_number(l, k->nrows)) {
		return l;
	}
fail:
	for (i = 0; i < k->nrows; i++) {
		free(l[i].text);
	}
	free(l);
	return NULL;
}

void
sp_perfdata_range(struct sp_buf *b, const struct sp_range *r)
{
	if (r) {
		sp_buf_addstr(b, r->text);
	}
}

/* One row's perfdata, or nothing when its value is to be omitted. */
static void
sp_perfdata_row(struct sp_buf *b, const struct sp_row *r,
		   const struct sp_perfdata_label *l, const struct sp_check *k,
		   const struct sp_output_opts *o)
{
	char num[48];

	if (k->perfdata) {
		char label[1100];

		snprintf(label, sizeof(label), l->dup ? "%s#%u" : "%s",
			 l->text, l->dup);
		k->perfdata(b, k, r, label);
		return;
	}

	if (r->count.kind == SP_COUNT_SOME &&
	    o->some_perfdata == SP_SOME_OMIT) {
		return;
	}
	if (r->count.kind == SP_COUNT_NUMBER) {
		snprintf(num, sizeof(num), "%" PRId64, r->count.value);
	} else if (r->count.kind == SP_COUNT_SOME &&
		   o->some_perfdata == SP_SOME_VALUE) {
		sp_range_format_number(num, sizeof(num), k->cfg->some_as);
	} else {
		snprintf(num, sizeof(num), "U");
	}
	sp_buf_printf(b, " '%s", l->text);
	if (l->dup) {
		sp_buf_printf(b, "#%u", l->dup);
	}
	sp_buf_printf(b, "'=%s;", num);
	sp_perfdata_range(b, r->warn);
	sp_buf_addc(b, ';');
	sp_perfdata_range(b, r->crit);
	sp_buf_addstr(b, ";0;");
}

/* Totals come first, so a core that cuts long output keeps them. */
static void
sp_perfdata_totals(struct sp_buf *b, const struct sp_check *k,
		      const struct sp_output_opts *o)
{
	struct sp_check_totals t;

	sp_check_totals(k, &t);
	sp_buf_printf(b, "'total_backlog'=%" PRId64 ";;;0; 'active_",
		      t.backlog);
	sp_text_add_label(b, o->noun, 40);
	sp_buf_printf(b, "'=%zu;;;0; 'services_answered'=%zu;;;0;%zu",
		      t.active, t.answered, k->nsvc);
}

static void
sp_perfdata_services(struct sp_buf *b, const struct sp_check *k,
		     bool rows)
{
	const struct sp_config *c = k->cfg;
	size_t answered = 0;
	size_t i;

	for (i = 0; i < k->nsvc; i++) {
		answered += k->svc[i].answered;
	}
	sp_buf_printf(b, "'services_answered'=%zu;;;0;%zu", answered,
		      k->nsvc);
	for (i = 0; rows && i < k->nsvc; i++) {
		const struct sp_service_result *s = &k->svc[i];
		const char *name = sp_service_names[s->index];

		if (s->answered) {
			sp_buf_printf(b, " '%s/time'=%.6fs;", name,
				      s->seconds);
		} else {
			sp_buf_printf(b, " '%s/time'=U;", name);
		}
		sp_perfdata_range(b, c->has_warn ? &c->warn : NULL);
		sp_buf_addc(b, ';');
		sp_perfdata_range(b, c->has_crit ? &c->crit : NULL);
		sp_buf_addstr(b, ";0;");
		if (s->answered) {
			sp_buf_printf(b, " '%s/workers'=%zu;;;0;", name,
				      s->report.nworkers);
		} else {
			sp_buf_printf(b, " '%s/workers'=U;;;0;", name);
		}
	}
}

bool
sp_perfdata_format(struct sp_buf *b, const struct sp_check *k,
		   const struct sp_output_opts *o)
{
	struct sp_perfdata_label *l;
	size_t i;

	if (o->perfdata == SP_PERFDATA_NONE) {
		return true;
	}
	if (o->service_rows) {
		sp_perfdata_services(b, k, o->perfdata == SP_PERFDATA_ROWS);
		return true;
	}
	sp_perfdata_totals(b, k, o);
	if (o->perfdata != SP_PERFDATA_ROWS) {
		return true;
	}
	l = sp_perfdata_labels(k);
	if (!l) {
		return false;
	}
	for (i = 0; i < k->nrows; i++) {
		if (sp_row_counts(&k->rows[l[i].index])) {
			sp_perfdata_row(b, &k->rows[l[i].index], &l[i], k,
					   o);
		}
		free(l[i].text);
	}
	free(l);
	return true;
}
