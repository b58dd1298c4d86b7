/*
 * check_sapera_stalled - which queues do not drain, which workers stopped?
 *
 * A run count alone cannot tell a backlog of 500 that drains in a minute
 * from a backlog of 3 untouched for two hours.  This plugin remembers
 * earlier runs in a state file and reports, per worker (or per worker
 * and tenant), how long work has waited without progress, how fast the
 * queue grows and when, at the rate seen, it will be empty.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sp_check.h"
#include "sp_history.h"
#include "sp_opts.h"
#include "sp_perfdata.h"
#include "sp_plugin.h"
#include "sp_stalled.h"

enum {
	OPT_TENANTS = SP_OPT_PLUGIN,
	OPT_STATE_DIR,
	OPT_GROWTH_WARNING,
	OPT_GROWTH_CRITICAL,
	OPT_DRAIN_WARNING,
	OPT_DRAIN_CRITICAL,
	OPT_WINDOW,
	OPT_EXPIRE,
};

static const struct option stalled_options[] = {
	{ "tenants", no_argument, NULL, OPT_TENANTS },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "growth-warning", required_argument, NULL, OPT_GROWTH_WARNING },
	{ "growth-critical", required_argument, NULL, OPT_GROWTH_CRITICAL },
	{ "drain-warning", required_argument, NULL, OPT_DRAIN_WARNING },
	{ "drain-critical", required_argument, NULL, OPT_DRAIN_CRITICAL },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "expire", required_argument, NULL, OPT_EXPIRE },
	{ NULL, 0, NULL, 0 },
};

static struct sp_stalled_opts stalled = {
	.window = 3600,
	.expire = 86400,
};

/* A range option of this plugin, named in its error. */
static bool
stalled_range(struct sp_range *r, bool *has, const char *arg,
	      const char *opt, char *err, size_t errlen)
{
	char why[160];

	if (sp_range_parse(r, arg, why, sizeof(why)) != SP_RANGE_OK) {
		snprintf(err, errlen, "%s: %s", opt, why);
		return false;
	}
	*has = true;
	return true;
}

static bool
stalled_seconds(int64_t *out, const char *arg, const char *opt, char *err,
		size_t errlen)
{
	if (!sp_stalled_parse_duration(arg, out) || *out <= 0) {
		snprintf(err, errlen, "%s: invalid duration '%s'", opt, arg);
		return false;
	}
	return true;
}

static bool
stalled_option(int opt, const char *arg, struct sp_config *c, char *err,
	       size_t errlen)
{
	struct sp_stalled_opts *s = c->plugin;

	switch (opt) {
	case OPT_TENANTS:
		s->tenants = true;
		c->keep_tenants = true;
		c->output.noun = "tenant rows";
		return true;
	case OPT_STATE_DIR:
		s->state_dir = arg;
		return true;
	case OPT_GROWTH_WARNING:
		return stalled_range(&s->growth_warn, &s->has_growth_warn,
				     arg, "--growth-warning", err, errlen);
	case OPT_GROWTH_CRITICAL:
		return stalled_range(&s->growth_crit, &s->has_growth_crit,
				     arg, "--growth-critical", err, errlen);
	case OPT_DRAIN_WARNING:
		return stalled_range(&s->drain_warn, &s->has_drain_warn, arg,
				     "--drain-warning", err, errlen);
	case OPT_DRAIN_CRITICAL:
		return stalled_range(&s->drain_crit, &s->has_drain_crit, arg,
				     "--drain-critical", err, errlen);
	case OPT_WINDOW:
		return stalled_seconds(&s->window, arg, "--window", err,
				       errlen);
	case OPT_EXPIRE:
		return stalled_seconds(&s->expire, arg, "--expire", err,
				       errlen);
	default:
		snprintf(err, errlen, "unknown option");
		return false;
	}
}

/*
 * "Now", or the SAPERA_NOW test hook (seconds since the epoch), so that
 * tests can walk through hours of history without sleeping.
 */
static int64_t
stalled_now(void)
{
	const char *fake = getenv("SAPERA_NOW");

	if (fake && fake[0]) {
		return strtoll(fake, NULL, 10);
	}
	return (int64_t)time(NULL);
}

/* FNV-1a, for a file name per check identity. */
static uint64_t
stalled_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return (h ^ 0xFF) * UINT64_C(1099511628211);
}

/* Hash a tagged value, so "--worker X" and "--exclude-worker X" differ. */
static uint64_t
stalled_hash_tagged(uint64_t h, const char *tag, const char *value)
{
	return stalled_hash(stalled_hash(h, tag), value);
}

/* Everything that decides which rows a check sees names its history. */
static void
stalled_path(const struct sp_config *c, char *out, size_t outlen)
{
	const struct sp_stalled_opts *s = c->plugin;
	const char *dir = s->state_dir ? s->state_dir : getenv("MP_STATE_PATH");
	uint64_t h = UINT64_C(1469598103934665603);
	size_t i;
	int k;

	h = stalled_hash(h, c->base_url);
	h = stalled_hash(h, c->hostname);
	h = stalled_hash(h, c->port);
	h = stalled_hash(h, c->url_template);
	for (k = 0; k < SP_NSERVICES; k++) {
		h = stalled_hash(h, c->service[k] ? sp_service_names[k] : "-");
		h = stalled_hash(h, c->service_url[k]);
	}
	for (i = 0; i < c->worker.n; i++) {
		h = stalled_hash_tagged(h, "worker", c->worker.v[i]);
	}
	for (i = 0; i < c->exclude_worker.n; i++) {
		h = stalled_hash_tagged(h, "exclude-worker",
					c->exclude_worker.v[i]);
	}
	for (i = 0; i < c->tenant.n; i++) {
		h = stalled_hash_tagged(h, "tenant", c->tenant.v[i]);
	}
	for (i = 0; i < c->exclude_tenant.n; i++) {
		h = stalled_hash_tagged(h, "exclude-tenant",
					c->exclude_tenant.v[i]);
	}
	h = stalled_hash(h, s->tenants ? "tenants" : "workers");
	snprintf(out, outlen, "%s/stalled-%016" PRIx64 ".state",
		 dir && dir[0] ? dir : SP_STATE_DIR, h);
}

/* One part of a row key, with the separator escaped where it occurs. */
static void
stalled_key_part(struct sp_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t' || *s == '\\') {
			sp_buf_addc(b, '\\');
		}
		sp_buf_addc(b, *s == '\t' ? 't' : *s);
	}
}

/* service TAB worker TAB tenant, unambiguous whatever the names hold. */
static void
stalled_key(struct sp_buf *b, const struct sp_row *r)
{
	sp_buf_reset(b);
	stalled_key_part(b, sp_row_service(r));
	sp_buf_addc(b, '\t');
	stalled_key_part(b, r->worker);
	sp_buf_addc(b, '\t');
	stalled_key_part(b, r->tenant);
}

/* The trends of the rows, in k->ext: rows added later have none. */
struct stalled_trends {
	size_t n;
	struct sp_trend t[];
};

/* The trend of row r, or NULL (no memory, or an --expect-worker row). */
static const struct sp_trend *
stalled_trend(const struct sp_check *k, const struct sp_row *r)
{
	const struct stalled_trends *t = k->ext;
	size_t i = (size_t)(r - k->rows);

	return t && i < t->n ? &t->t[i] : NULL;
}

/* Bring every row's history up to now and work out its trend. */
static void
stalled_track(struct sp_check *k, struct sp_history *h, int64_t now)
{
	const struct sp_stalled_opts *s = k->cfg->plugin;
	struct stalled_trends *all = sp_arena_alloc(
		&k->arena, sizeof(*all) + k->nrows * sizeof(all->t[0]));
	struct sp_trend *t;
	struct sp_buf key;
	size_t i;

	if (!all) {
		return;
	}
	all->n = k->nrows;
	t = all->t;
	k->ext = all;
	sp_buf_init(&key, 1 << 20);
	for (i = 0; i < k->nrows; i++) {
		const struct sp_row *r = &k->rows[i];
		struct sp_history_entry *e;

		stalled_key(&key, r);
		e = h ? sp_history_get(h, sp_buf_str(&key)) : NULL;
		if (e) {
			sp_stalled_update(e, r, now, s->window, &t[i]);
		} else {
			memset(&t[i], 0, sizeof(t[i]));
		}
	}
	sp_buf_free(&key);
}

/*
 * Load, update and save the history.  A file that is corrupt, missing
 * or from the future is a note: the next runs learn again.  A directory
 * where the history cannot be kept at all is UNKNOWN, since no row
 * could ever be found stalled: that must not pass as OK for ever.
 */
static void
stalled_history(struct sp_check *k)
{
	const struct sp_stalled_opts *s = k->cfg->plugin;
	int64_t now = stalled_now();
	struct sp_history h;
	char path[4096];
	char err[256];

	stalled_path(k->cfg, path, sizeof(path));
	if (sp_history_open(&h, path, now, err, sizeof(err)) !=
	    SP_HISTORY_OK) {
		snprintf(k->note, sizeof(k->note), "no history: %.200s", err);
		k->note_state = SP_UNKNOWN;
		sp_history_close(&h);
		stalled_track(k, NULL, now);
		return;
	}
	stalled_track(k, &h, now);
	if (sp_history_save(&h, path, now, s->expire, err, sizeof(err)) !=
	    SP_HISTORY_OK) {
		snprintf(k->note, sizeof(k->note), "history not saved: %.200s",
			 err);
		k->note_state = SP_UNKNOWN;
	} else if (h.note[0]) {
		snprintf(k->note, sizeof(k->note), "%s", h.note);
	}
	sp_history_close(&h);
}

/*
 * Raise r to state with reason why when v breaks crit or warn.  With
 * seconds set the limit is shown as the duration it was given as: on a
 * phone "warn 15m" reads better than "warn 900".
 */
static void
stalled_judge(struct sp_check *k, struct sp_row *r, double v,
	      const struct sp_range *warn, const struct sp_range *crit,
	      const char *what, bool seconds)
{
	enum sp_state st = SP_OK;
	const struct sp_range *broken = NULL;
	char limit[sizeof(((struct sp_range *)0)->text)];

	if (crit && sp_range_alerts(crit, v)) {
		st = SP_CRITICAL;
		broken = crit;
	} else if (warn && sp_range_alerts(warn, v)) {
		st = SP_WARNING;
		broken = warn;
	}
	if (!broken || sp_state_rank(st) <= sp_state_rank(r->state)) {
		return;
	}
	if (seconds && !broken->end_infinite) {
		sp_stalled_duration(limit, sizeof(limit),
				    (int64_t)broken->end);
	} else {
		snprintf(limit, sizeof(limit), "%s", broken->text);
	}
	r->state = st;
	r->why = sp_check_printf(k, "%s (%s %s)", what,
				 st == SP_CRITICAL ? "crit" : "warn", limit);
}

/* What the history still lacks before rates are given. */
static const char *
stalled_learning(struct sp_check *k, const struct sp_trend *t)
{
	if (t->samples < SP_STALLED_MIN_SAMPLES) {
		return sp_check_printf(k, "learning, %d of %d samples",
				       t->samples, SP_STALLED_MIN_SAMPLES);
	}
	/* Runs closer together than a minute: rates would be noise. */
	return sp_check_printf(k, "learning, samples span %llds of %ds",
			       (long long)t->span, SP_STALLED_MIN_SPAN);
}

static void
stalled_eval(struct sp_check *k, struct sp_row *r)
{
	const struct sp_stalled_opts *s = k->cfg->plugin;
	const struct sp_trend *t = stalled_trend(k, r);
	char what[128];
	char d[32];

	r->warn = k->cfg->has_warn ? &k->cfg->warn : NULL;
	r->crit = k->cfg->has_crit ? &k->cfg->crit : NULL;
	if (sp_check_eval_notes(k->cfg, r) || !t) {
		return;
	}
	r->state = SP_OK;
	sp_stalled_duration(d, sizeof(d), t->stalled);
	snprintf(what, sizeof(what), "stalled %s", d);
	stalled_judge(k, r, (double)t->stalled, r->warn, r->crit, what,
		      true);
	if (t->has_rate) {
		snprintf(what, sizeof(what), "growing %+.1f/min", t->growth);
		stalled_judge(k, r, t->growth,
			      s->has_growth_warn ? &s->growth_warn : NULL,
			      s->has_growth_crit ? &s->growth_crit : NULL,
			      what, false);
	}
	if (t->has_drain) {
		if (isinf(t->drain)) {
			snprintf(what, sizeof(what), "never drains");
		} else {
			snprintf(what, sizeof(what), "drains in %.0f min",
				 t->drain);
		}
		stalled_judge(k, r, t->drain,
			      s->has_drain_warn ? &s->drain_warn : NULL,
			      s->has_drain_crit ? &s->drain_crit : NULL,
			      what, false);
	}
	if (r->state == SP_OK && !t->has_rate && r->active) {
		r->why = stalled_learning(k, t);
	}
}

/* Pending seconds, growth per minute and drain minutes of one row. */
static void
stalled_perfdata(struct sp_buf *b, const struct sp_check *k,
		 const struct sp_row *r, const char *label)
{
	const struct sp_stalled_opts *s = k->cfg->plugin;
	const struct sp_trend *t = stalled_trend(k, r);

	sp_buf_printf(b, " '%s/pending'=%" PRId64 "s;", label,
		      t ? t->stalled : 0);
	sp_perfdata_range(b, r->warn);
	sp_buf_addc(b, ';');
	sp_perfdata_range(b, r->crit);
	sp_buf_printf(b, ";0; '%s/growth'=", label);
	if (t && t->has_rate) {
		sp_buf_printf(b, "%.3f;", t->growth);
	} else {
		sp_buf_addstr(b, "U;");
	}
	sp_perfdata_range(b, s->has_growth_warn ? &s->growth_warn : NULL);
	sp_buf_addc(b, ';');
	sp_perfdata_range(b, s->has_growth_crit ? &s->growth_crit : NULL);
	sp_buf_printf(b, ";; '%s/drain'=", label);
	if (t && t->has_drain && !isinf(t->drain)) {
		sp_buf_printf(b, "%.1f;", t->drain);
	} else {
		sp_buf_addstr(b, "U;");
	}
	sp_perfdata_range(b, s->has_drain_warn ? &s->drain_warn : NULL);
	sp_buf_addc(b, ';');
	sp_perfdata_range(b, s->has_drain_crit ? &s->drain_crit : NULL);
	sp_buf_addstr(b, ";0;");
}

static bool
stalled_rows(struct sp_check *k)
{
	const struct sp_stalled_opts *s = k->cfg->plugin;
	bool ok = s->tenants ? sp_check_tenant_rows(k)
			     : sp_check_worker_rows(k);

	if (ok) {
		stalled_history(k);
		k->eval = stalled_eval;
		k->perfdata = stalled_perfdata;
	}
	return ok;
}

/* Tenant globs choose among tenant rows, which only --tenants makes. */
static bool
stalled_validate(const struct sp_config *c, char *err, size_t errlen)
{
	const struct sp_stalled_opts *s = c->plugin;

	if (!s->tenants && (c->tenant.n || c->exclude_tenant.n)) {
		snprintf(err, errlen, "--tenant and --exclude-tenant need "
			 "--tenants");
		return false;
	}
	return true;
}

static void
stalled_defaults(struct sp_config *c)
{
	c->plugin = &stalled;
}

static void
stalled_help(void)
{
	puts(" --tenants\n"
	     "    One row per worker and tenant instead of per worker.\n"
	     "\nHistory:\n"
	     " --state-dir=DIR\n"
	     "    Where the history of each check is kept (default\n"
	     "    $MP_STATE_PATH, else " SP_STATE_DIR ").\n"
	     " --window=DURATION\n"
	     "    How far back growth and drain rates look (default 1h).\n"
	     " --expire=DURATION\n"
	     "    Forget rows not seen for this long (default 24h).\n"
	     "\nTrends (Monitoring Plugins ranges):\n"
	     " --growth-warning=RANGE, --growth-critical=RANGE\n"
	     "    Backlog change per minute; ~:10 alerts above +10/min.\n"
	     " --drain-warning=RANGE, --drain-critical=RANGE\n"
	     "    Minutes until empty at the rate seen; 60 alerts past an\n"
	     "    hour, and a queue that never drains counts as infinite.\n"
	     "A DURATION is 90s, 15m, 1h, 2d or plain seconds. -w and -c\n"
	     "are durations here: how long pending work may wait without\n"
	     "its count going down while no tenant is being processed.");
}

static const struct sp_plugin plugin = {
	.name = "check_sapera_stalled",
	.label = "SAPERA STALLED",
	.flags = SP_PLUGIN_ROWS | SP_PLUGIN_TENANTS | SP_PLUGIN_DURATIONS,
	.noun = "workers",
	.perfdata = SP_PERFDATA_ROWS,
	.rows = stalled_rows,
	.defaults = stalled_defaults,
	.validate = stalled_validate,
	.options = stalled_options,
	.option = stalled_option,
	.help = stalled_help,
	.purpose =
	"Finds queues that do not drain and workers that stopped, by\n"
	"remembering earlier runs: how long each row's pending work has\n"
	"waited without its count going down and without a tenant being\n"
	"processed, how fast it grows, and when it will be empty at the\n"
	"rate seen. The first runs learn; they never raise a false alarm.",
	.examples =
	" check_sapera_stalled -H sapera.example.com -w 15m -c 1h\n"
	"    Warn when work waits 15 minutes without progress, critical\n"
	"    after an hour.\n"
	" check_sapera_stalled -H sapera.example.com -w 30m -c 2h \\\n"
	"     --growth-warning '~:20' --drain-critical 240\n"
	"    Also warn when a queue grows by more than 20 a minute, and\n"
	"    go critical when it will take over four hours to drain.\n",
};

int
main(int argc, char **argv)
{
	return sp_plugin_run(&plugin, argc, argv);
}
