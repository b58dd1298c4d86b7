/*
 * Command-line options shared by every plugin; see sp_opts.h.
 *
 * Each getopt case is one call to a small validator, so adding an
 * option never grows one giant function.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sp_fetch.h"
#include "sp_help.h"
#include "sp_ini.h"
#include "sp_log.h"
#include "sp_opts.h"
#include "sp_stalled.h"
#include "sp_text.h"

#define SP_SHORT_OPTS "H:p:s:w:c:t:kvhV"

#define SP_ALL (SP_PLUGIN_ROWS | SP_PLUGIN_SERVICES)
#define SP_ROWS SP_PLUGIN_ROWS
#define SP_TENANTS SP_PLUGIN_TENANTS

/* Every common option and the kinds of plugin that take it. */
static const struct sp_opt_def {
	struct option o;
	unsigned plugins;
} sp_common_options[] = {
	{ { "hostname", required_argument, NULL, 'H' }, SP_ALL },
	{ { "port", required_argument, NULL, 'p' }, SP_ALL },
	{ { "base-url", required_argument, NULL, SP_OPT_BASE_URL }, SP_ALL },
	{ { "url-template", required_argument, NULL, SP_OPT_URL_TEMPLATE },
	  SP_ALL },
	{ { "service-url", required_argument, NULL, SP_OPT_SERVICE_URL },
	  SP_ALL },
	{ { "max-body-size", required_argument, NULL, SP_OPT_MAX_BODY_SIZE },
	  SP_ALL },
	{ { "token-file", required_argument, NULL, SP_OPT_TOKEN_FILE },
	  SP_ALL },
	{ { "auth-file", required_argument, NULL, SP_OPT_AUTH_FILE }, SP_ALL },
	{ { "header", required_argument, NULL, SP_OPT_HEADER }, SP_ALL },
	{ { "client-cert", required_argument, NULL, SP_OPT_CLIENT_CERT },
	  SP_ALL },
	{ { "client-key", required_argument, NULL, SP_OPT_CLIENT_KEY },
	  SP_ALL },
	{ { "ca-file", required_argument, NULL, SP_OPT_CA_FILE }, SP_ALL },
	{ { "insecure", no_argument, NULL, 'k' }, SP_ALL },
	{ { "follow-redirects", no_argument, NULL, SP_OPT_FOLLOW_REDIRECTS },
	  SP_ALL },
	{ { "max-redirects", required_argument, NULL, SP_OPT_MAX_REDIRECTS },
	  SP_ALL },
	{ { "service", required_argument, NULL, 's' }, SP_ALL },
	{ { "worker", required_argument, NULL, SP_OPT_WORKER }, SP_ROWS },
	{ { "exclude-worker", required_argument, NULL,
	    SP_OPT_EXCLUDE_WORKER }, SP_ROWS },
	{ { "expect-worker", required_argument, NULL, SP_OPT_EXPECT_WORKER },
	  SP_ROWS },
	{ { "tenant", required_argument, NULL, SP_OPT_TENANT }, SP_TENANTS },
	{ { "exclude-tenant", required_argument, NULL,
	    SP_OPT_EXCLUDE_TENANT }, SP_TENANTS },
	{ { "per-tenant", no_argument, NULL, SP_OPT_PER_TENANT },
	  SP_TENANTS },
	{ { "missing-tenants-state", required_argument, NULL,
	    SP_OPT_MISSING_TENANTS_STATE }, SP_TENANTS },
	{ { "warning", required_argument, NULL, 'w' }, SP_ALL },
	{ { "critical", required_argument, NULL, 'c' }, SP_ALL },
	{ { "override", required_argument, NULL, SP_OPT_OVERRIDE }, SP_ROWS },
	{ { "some-as", required_argument, NULL, SP_OPT_SOME_AS }, SP_ROWS },
	{ { "unknown-count-state", required_argument, NULL,
	    SP_OPT_UNKNOWN_COUNT_STATE }, SP_ROWS },
	{ { "unreachable-state", required_argument, NULL,
	    SP_OPT_UNREACHABLE_STATE }, SP_ALL },
	{ { "min-workers", required_argument, NULL, SP_OPT_MIN_WORKERS },
	  SP_PLUGIN_SERVICES },
	{ { "problems-only", no_argument, NULL, SP_OPT_PROBLEMS_ONLY },
	  SP_ALL },
	{ { "max-rows", required_argument, NULL, SP_OPT_MAX_ROWS }, SP_ALL },
	{ { "perfdata", required_argument, NULL, SP_OPT_PERFDATA }, SP_ALL },
	{ { "some-perfdata", required_argument, NULL, SP_OPT_SOME_PERFDATA },
	  SP_ROWS },
	{ { "output-format", required_argument, NULL, SP_OPT_OUTPUT_FORMAT },
	  SP_ALL },
	{ { "timeout", required_argument, NULL, 't' }, SP_ALL },
	{ { "verbose", no_argument, NULL, 'v' }, SP_ALL },
	{ { "help", no_argument, NULL, 'h' }, SP_ALL },
	{ { "version", no_argument, NULL, 'V' }, SP_ALL },
};

#define SP_NCOMMON (sizeof(sp_common_options) / sizeof(sp_common_options[0]))

/* "unknown", "critical", ... for the *-state options. */
static bool
sp_opts_state(const char *arg, enum sp_state *s, const char *opt, char *err,
	      size_t errlen)
{
	if (!sp_state_parse(arg, s)) {
		snprintf(err, errlen, "%s must be ok, warning, critical or "
			 "unknown, not '%s'", opt, arg);
		return false;
	}
	return true;
}

/* -t SECONDS[:STATE] */
static bool
sp_opts_timeout(struct sp_config *c, const char *arg, char *err,
		size_t errlen)
{
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	double secs;

	if (!sp_range_read_number(arg, len, &secs) || secs <= 0 ||
	    secs > 86400) {
		snprintf(err, errlen, "timeout '%s' must be SECONDS[:STATE] "
			 "with 0 < SECONDS <= 86400", arg);
		return false;
	}
	c->fetch.timeout_ms = (long)(secs * 1000 + 0.5);
	if (c->fetch.timeout_ms < 1) {
		c->fetch.timeout_ms = 1;
	}
	return !colon ||
	       sp_opts_state(colon + 1, &c->timeout_state, "timeout state",
			     err, errlen);
}

/* -s NAME[,NAME...]; the first use replaces the default of all nine. */
static bool
sp_opts_services(struct sp_config *c, const char *arg, bool *first,
		 char *err, size_t errlen)
{
	char *copy = strdup(arg);
	char *save = NULL;
	char *name;
	bool ok = copy != NULL;
	int i;

	if (*first) {
		memset(c->service, 0, sizeof(c->service));
		*first = false;
	}
	for (name = copy ? strtok_r(copy, ", ", &save) : NULL; ok && name;
	     name = strtok_r(NULL, ", ", &save)) {
		i = sp_service_index(name);
		if (i < 0) {
			snprintf(err, errlen, "unknown service '%s' (known: "
				 "Financial, Inventory, Accounting, Actors, "
				 "Communication, Pos, Reports, WebShop, "
				 "Payments)", name);
			ok = false;
		} else {
			c->service[i] = true;
		}
	}
	free(copy);
	return ok;
}

/* --service-url NAME=URL */
static bool
sp_opts_service_url(struct sp_config *c, const char *arg, char *err,
		    size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char name[32];
	int i = -1;

	if (eq && (size_t)(eq - arg) < sizeof(name)) {
		memcpy(name, arg, (size_t)(eq - arg));
		name[eq - arg] = '\0';
		i = sp_service_index(name);
	}
	if (i < 0 || eq[1] == '\0') {
		snprintf(err, errlen, "--service-url needs SERVICE=URL with "
			 "a known service, not '%s'", arg);
		return false;
	}
	c->service_url[i] = eq + 1;
	return true;
}

/* -w / -c */
static bool
sp_opts_range(struct sp_range *r, bool *has, const char *arg,
	      const char *what, char *err, size_t errlen)
{
	char why[160];

	if (sp_range_parse(r, arg, why, sizeof(why)) != SP_RANGE_OK) {
		snprintf(err, errlen, "%s: %s", what, why);
		return false;
	}
	*has = true;
	return true;
}

/* --some-as N: the figure a "some" count is compared as. */
static bool
sp_opts_some_as(struct sp_config *c, const char *arg, char *err,
		size_t errlen)
{
	if (!sp_range_read_number(arg, strlen(arg), &c->some_as) ||
	    c->some_as < 0) {
		snprintf(err, errlen, "--some-as must be a number >= 0, not "
			 "'%s'", arg);
		return false;
	}
	return true;
}

/* A selector part: a glob, or a service name that must exist. */
static char *
sp_opts_selector_part(const char *s, size_t len, bool is_service)
{
	char *p = strndup(s, len);

	if (p && is_service && !strpbrk(p, "*?[") &&
	    sp_service_index(p) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* Split SELECTOR into its service, worker and (maybe) tenant globs. */
static bool
sp_opts_selector(struct sp_override *o, const char *sel, size_t len,
		 bool tenants)
{
	const char *slash1 = memchr(sel, '/', len);
	const char *slash2;
	const char *end = sel + len;

	if (!slash1 || slash1 == sel || slash1 + 1 == end) {
		return false;
	}
	slash2 = memchr(slash1 + 1, '/', (size_t)(end - slash1 - 1));
	if (slash2 && (!tenants || slash2 + 1 == end ||
		       slash2 == slash1 + 1)) {
		return false;
	}
	o->service = sp_opts_selector_part(sel, (size_t)(slash1 - sel), true);
	o->worker = sp_opts_selector_part(slash1 + 1,
		(size_t)((slash2 ? slash2 : end) - slash1 - 1), false);
	if (slash2) {
		o->tenant = sp_opts_selector_part(slash2 + 1,
			(size_t)(end - slash2 - 1), false);
	}
	return o->service && o->worker && (!slash2 || o->tenant);
}

/* WARN,CRIT after the '='; an empty side means no threshold. */
static bool
sp_opts_override_ranges(struct sp_override *o, const char *s, char *err,
			size_t errlen)
{
	const char *comma = strchr(s, ',');
	char warn[64];
	char why[160];

	if (!comma || (size_t)(comma - s) >= sizeof(warn)) {
		snprintf(err, errlen, "--override '%s': expected "
			 "SELECTOR=WARN,CRIT", o->text);
		return false;
	}
	memcpy(warn, s, (size_t)(comma - s));
	warn[comma - s] = '\0';
	if (warn[0] && sp_range_parse(&o->warn, warn, why, sizeof(why))) {
		snprintf(err, errlen, "--override '%s': %s", o->text, why);
		return false;
	}
	if (comma[1] && sp_range_parse(&o->crit, comma + 1, why,
				       sizeof(why))) {
		snprintf(err, errlen, "--override '%s': %s", o->text, why);
		return false;
	}
	o->has_warn = warn[0] != '\0';
	o->has_crit = comma[1] != '\0';
	return true;
}

/* --override 'SELECTOR=WARN,CRIT', kept in command-line order. */
static bool
sp_opts_override(struct sp_config *c, const char *arg, bool tenants,
		 char *err, size_t errlen)
{
	const char *eq = strrchr(arg, '=');
	struct sp_override *v;
	struct sp_override *o;

	v = realloc(c->override, (c->noverride + 1) * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	c->override = v;
	o = &v[c->noverride++];
	memset(o, 0, sizeof(*o));
	o->text = arg;

	if (!eq || !sp_opts_selector(o, arg, (size_t)(eq - arg), tenants)) {
		snprintf(err, errlen, "--override '%s': the selector must be "
			 "%s with a known service or a glob", arg,
			 tenants ? "SERVICE/WORKER[/TENANT]"
				 : "SERVICE/WORKER");
		return false;
	}
	return sp_opts_override_ranges(o, eq + 1, err, errlen);
}

/* A size in bytes with an optional K, M or G suffix (powers of 1024). */
static bool
sp_opts_size(size_t *out, const char *arg, char *err, size_t errlen)
{
	char *end = NULL;
	unsigned long long v = strtoull(arg, &end, 10);
	unsigned shift = 0;

	if (end != arg && *end && !end[1]) {
		shift = *end == 'K' || *end == 'k'   ? 10
			: *end == 'M' || *end == 'm' ? 20
			: *end == 'G' || *end == 'g' ? 30
						     : 99;
		end++;
	}
	if (arg[0] < '0' || arg[0] > '9' || end == arg || *end ||
	    shift == 99 || v == 0 || v > (SP_MAX_BODY_LIMIT >> shift)) {
		snprintf(err, errlen, "--max-body-size '%s' must be a size "
			 "like 32M, at most 1023M", arg);
		return false;
	}
	*out = (size_t)(v << shift);
	return true;
}

/* A count such as --max-rows; "0" is allowed where zero means none. */
static bool
sp_opts_count(long *out, const char *arg, const char *opt, char *err,
	      size_t errlen)
{
	char *end = NULL;
	long v = strtol(arg, &end, 10);

	if (arg[0] < '0' || arg[0] > '9' || *end || v > 100000000L) {
		snprintf(err, errlen, "%s must be a whole number >= 0, not "
			 "'%s'", opt, arg);
		return false;
	}
	*out = v;
	return true;
}

/* Index of arg among names[] for a keyword option, or -1. */
static int
sp_opts_keyword(const char *arg, const char *opt, const char *const *names,
		char *err, size_t errlen)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (sp_text_iequal(arg, names[i])) {
			return i;
		}
	}
	snprintf(err, errlen, "%s: unknown value '%s'", opt, arg);
	return -1;
}

/* --expect-worker SERVICE/WORKER */
static bool
sp_opts_expect(struct sp_config *c, const char *arg, char *err,
	       size_t errlen)
{
	const char *slash = strchr(arg, '/');

	if (!slash || !slash[1] ||
	    sp_service_index_n(arg, (size_t)(slash - arg)) < 0) {
		snprintf(err, errlen, "--expect-worker '%s': expected "
			 "SERVICE/WORKER with a known service", arg);
		return false;
	}
	return sp_strv_add(&c->expect_worker, arg);
}

/* Output options shared by all plugins. */
static bool
sp_opts_output(struct sp_config *c, int opt, const char *arg, char *err,
	       size_t errlen)
{
	static const char *const perf[] = { "rows", "totals", "none", NULL };
	static const char *const some[] = { "unknown", "value", "omit", NULL };
	static const char *const fmt[] = { "text", "json", NULL };
	struct sp_output_opts *o = &c->output;
	long n;
	int i;

	switch (opt) {
	case SP_OPT_PROBLEMS_ONLY:
		o->problems_only = true;
		return true;
	case SP_OPT_MAX_ROWS:
		if (!sp_opts_count(&n, arg, "--max-rows", err, errlen)) {
			return false;
		}
		o->max_rows = (size_t)n;
		o->max_rows_set = true;
		return true;
	case SP_OPT_PERFDATA:
		i = sp_opts_keyword(arg, "--perfdata", perf, err, errlen);
		o->perfdata = (enum sp_perfdata_mode)(i < 0 ? 0 : i);
		return i >= 0;
	case SP_OPT_SOME_PERFDATA:
		i = sp_opts_keyword(arg, "--some-perfdata", some, err, errlen);
		o->some_perfdata = (enum sp_some_perfdata)(i < 0 ? 0 : i);
		return i >= 0;
	case SP_OPT_OUTPUT_FORMAT:
		i = sp_opts_keyword(arg, "--output-format", fmt, err, errlen);
		o->json = i == 1;
		return i >= 0;
	default:
		snprintf(err, errlen, "unknown option");
		return false;
	}
}

/* -w/-c as a duration: "15m" alerts past 900 seconds. */
static bool
sp_opts_duration(struct sp_range *r, bool *has, const char *arg,
		 const char *what, char *err, size_t errlen)
{
	char secs[32];
	int64_t v;

	if (!sp_stalled_parse_duration(arg, &v)) {
		snprintf(err, errlen, "%s: invalid duration '%s' (use 90s, "
			 "15m, 1h or seconds)", what, arg);
		return false;
	}
	snprintf(secs, sizeof(secs), "%lld", (long long)v);
	return sp_opts_range(r, has, secs, what, err, errlen);
}

/* Thresholds and the states that stand in for them. */
static bool
sp_opts_threshold(const struct sp_plugin *p, struct sp_config *c, int opt,
		  const char *arg, char *err, size_t errlen)
{
	bool durations = p->flags & SP_PLUGIN_DURATIONS;

	if (durations && (opt == 'w' || opt == 'c')) {
		return sp_opts_duration(opt == 'w' ? &c->warn : &c->crit,
					opt == 'w' ? &c->has_warn
						   : &c->has_crit,
					arg, opt == 'w' ? "-w/--warning"
							: "-c/--critical",
					err, errlen);
	}
	if (durations && opt == SP_OPT_OVERRIDE) {
		snprintf(err, errlen, "--override takes run counts; %s has "
			 "none", p->name);
		return false;
	}
	switch (opt) {
	case 'w':
		return sp_opts_range(&c->warn, &c->has_warn, arg,
				     "-w/--warning", err, errlen);
	case 'c':
		return sp_opts_range(&c->crit, &c->has_crit, arg,
				     "-c/--critical", err, errlen);
	case SP_OPT_OVERRIDE:
		return sp_opts_override(c, arg, p->flags & SP_PLUGIN_TENANTS,
					err, errlen);
	case SP_OPT_SOME_AS:
		return sp_opts_some_as(c, arg, err, errlen);
	case SP_OPT_UNREACHABLE_STATE:
		return sp_opts_state(arg, &c->unreachable_state,
				     "--unreachable-state", err, errlen);
	case SP_OPT_UNKNOWN_COUNT_STATE:
		return sp_opts_state(arg, &c->unknown_count_state,
				     "--unknown-count-state", err, errlen);
	case SP_OPT_MISSING_TENANTS_STATE:
		return sp_opts_state(arg, &c->missing_tenants_state,
				     "--missing-tenants-state", err, errlen);
	case SP_OPT_MIN_WORKERS:
		return sp_opts_count(&c->min_workers, arg, "--min-workers",
				     err, errlen);
	default:
		return sp_opts_output(c, opt, arg, err, errlen);
	}
}

/* --header 'Name: value': one line, a name, a colon. */
static bool
sp_opts_header(struct sp_config *c, const char *arg, char *err,
	       size_t errlen)
{
	size_t name = strcspn(arg, ":");

	if (name == 0 || !arg[name] || strpbrk(arg, "\r\n")) {
		snprintf(err, errlen, "--header needs 'Name: value' on one "
			 "line");
		return false;
	}
	return sp_strv_add(&c->header, arg);
}

/*
 * A TLS file that cannot be read is a typo; libcurl would only say so
 * for https, and a check against http would pass with it unnoticed.
 */
static bool
sp_opts_readable(const char *path, const char *opt, char *err,
		 size_t errlen)
{
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s: cannot read %s: %s", opt, path,
			 strerror(errno));
		return false;
	}
	return true;
}

/* Credentials, TLS and redirects. */
static bool
sp_opts_security(struct sp_config *c, int opt, const char *arg, char *err,
		 size_t errlen, bool *handled)
{
	long n;

	*handled = true;
	switch (opt) {
	case SP_OPT_TOKEN_FILE:
		c->token_file = arg;
		return true;
	case SP_OPT_AUTH_FILE:
		c->auth_file = arg;
		return true;
	case SP_OPT_HEADER:
		return sp_opts_header(c, arg, err, errlen);
	case SP_OPT_CLIENT_CERT:
		c->fetch.client_cert = arg;
		return sp_opts_readable(arg, "--client-cert", err, errlen);
	case SP_OPT_CLIENT_KEY:
		c->fetch.client_key = arg;
		return sp_opts_readable(arg, "--client-key", err, errlen);
	case SP_OPT_CA_FILE:
		c->fetch.ca_file = arg;
		return sp_opts_readable(arg, "--ca-file", err, errlen);
	case 'k':
		c->fetch.insecure = true;
		return true;
	case SP_OPT_FOLLOW_REDIRECTS:
		if (c->fetch.max_redirects == 0) {
			c->fetch.max_redirects = SP_DEFAULT_REDIRECTS;
		}
		return true;
	case SP_OPT_MAX_REDIRECTS:
		if (!sp_opts_count(&n, arg, "--max-redirects", err, errlen)) {
			return false;
		}
		c->fetch.max_redirects = n;
		return true;
	default:
		*handled = false;
		return false;
	}
}

/* Where to connect and what to select. */
static bool
sp_opts_common(const struct sp_plugin *p, struct sp_config *c, int opt,
	       const char *arg, bool *first_service, char *err, size_t errlen)
{
	bool handled;
	bool ok;

	switch (opt) {
	case 'H':
		c->hostname = arg;
		return true;
	case 'p':
		c->port = arg;
		return true;
	case SP_OPT_BASE_URL:
		c->base_url = arg;
		return true;
	case SP_OPT_URL_TEMPLATE:
		c->url_template = arg;
		return true;
	case SP_OPT_SERVICE_URL:
		return sp_opts_service_url(c, arg, err, errlen);
	case SP_OPT_MAX_BODY_SIZE:
		return sp_opts_size(&c->fetch.max_body, arg, err, errlen);
	case 't':
		return sp_opts_timeout(c, arg, err, errlen);
	case 'v':
		c->verbosity++;
		return true;
	case 's':
		return sp_opts_services(c, arg, first_service, err, errlen);
	case SP_OPT_WORKER:
		return sp_strv_add(&c->worker, arg);
	case SP_OPT_EXCLUDE_WORKER:
		return sp_strv_add(&c->exclude_worker, arg);
	case SP_OPT_EXPECT_WORKER:
		return sp_opts_expect(c, arg, err, errlen);
	case SP_OPT_TENANT:
		return sp_strv_add(&c->tenant, arg);
	case SP_OPT_EXCLUDE_TENANT:
		return sp_strv_add(&c->exclude_tenant, arg);
	case SP_OPT_PER_TENANT:
		c->per_tenant = true;
		return true;
	default:
		break;
	}
	if (opt >= SP_OPT_PLUGIN && p->option) {
		return p->option(opt, arg, c, err, errlen);
	}
	ok = sp_opts_security(c, opt, arg, err, errlen, &handled);
	return handled ? ok : sp_opts_threshold(p, c, opt, arg, err, errlen);
}

/*
 * An empty -s (an unset variable in a monitoring core's command line)
 * would check nothing and say OK; an --expect-worker in a service that
 * -s leaves out would never be looked for.
 */
static bool
sp_opts_some_service(const struct sp_config *c, char *err, size_t errlen)
{
	bool any = false;
	size_t k;
	int i;

	for (i = 0; i < SP_NSERVICES; i++) {
		any = any || c->service[i];
	}
	if (!any) {
		snprintf(err, errlen, "no service selected: -s needs at least "
			 "one service name");
		return false;
	}
	for (k = 0; k < c->expect_worker.n; k++) {
		const char *e = c->expect_worker.v[k];

		i = sp_service_index_n(e, strcspn(e, "/"));
		if (i >= 0 && !c->service[i]) {
			snprintf(err, errlen, "--expect-worker '%.100s': %s is "
				 "not among the services selected by -s", e,
				 sp_service_names[i]);
			return false;
		}
	}
	return true;
}

/*
 * A template must tell the services apart, or all nine would fetch one
 * URL and pass as nine; and a placeholder it does not know is a typo.
 */
static bool
sp_opts_template(const char *t, char *err, size_t errlen)
{
	static const char *const known[] = { "{base}", "{service}",
					     "{Service}" };
	bool per_service = false;
	size_t k;

	for (; *t; t++) {
		if (*t != '{') {
			continue;
		}
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
			if (strncmp(t, known[k], strlen(known[k])) == 0) {
				break;
			}
		}
		if (k == sizeof(known) / sizeof(known[0])) {
			snprintf(err, errlen, "--url-template: unknown "
				 "placeholder at '%.40s' (known: {base}, "
				 "{service}, {Service})", t);
			return false;
		}
		per_service = per_service || k > 0;
	}
	if (!per_service) {
		snprintf(err, errlen, "--url-template needs {service} or "
			 "{Service}");
		return false;
	}
	return true;
}

/* Only http and https, whatever the URL options say. */
static bool
sp_opts_scheme(const char *url, const char *opt, char *err, size_t errlen)
{
	if (url && strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "%s must be an http:// or https:// URL",
			 opt);
		return false;
	}
	return true;
}

/* Credentials and request headers into the fetch options. */
static bool
sp_opts_finish(struct sp_config *c, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < SP_NSERVICES; i++) {
		if (!sp_opts_scheme(c->service_url[i], "--service-url", err,
				    errlen)) {
			return false;
		}
	}
	if (!sp_opts_scheme(c->base_url, "--base-url", err, errlen) ||
	    !sp_config_secrets(c, err, errlen)) {
		return false;
	}
	c->fetch.headers = c->header.v;
	c->fetch.nheaders = c->header.n;
	if (c->fetch.insecure) {
		sp_buf_addstr(&c->notes, "Note: TLS certificate and host "
			      "verification are off (--insecure)\n");
	}
	return true;
}

/* Checks that need all options: where to connect, port syntax. */
static bool
sp_opts_validate(struct sp_config *c, char *err, size_t errlen)
{
	char *end = NULL;
	long port;
	int i;

	if (c->port) {
		port = strtol(c->port, &end, 10);
		if (!c->hostname || *end || end == c->port || port < 1 ||
		    port > 65535) {
			snprintf(err, errlen, "-p/--port needs -H and a number "
				 "from 1 to 65535, not '%s'", c->port);
			return false;
		}
	}
	if (c->hostname && c->base_url) {
		snprintf(err, errlen, "give -H or --base-url, not both");
		return false;
	}
	if (!sp_opts_some_service(c, err, errlen) ||
	    !sp_opts_template(c->url_template, err, errlen)) {
		return false;
	}
	for (i = 0; i < SP_NSERVICES; i++) {
		if (c->service[i] && !c->service_url[i] && !c->hostname &&
		    !c->base_url) {
			snprintf(err, errlen, "no address: give -H HOST, "
				 "--base-url URL or --service-url for %s",
				 sp_service_names[i]);
			return false;
		}
	}
	return sp_opts_finish(c, err, errlen);
}

void
sp_opts_usage(const struct sp_plugin *p)
{
	bool rows = p->flags & SP_PLUGIN_ROWS;
	bool durations = p->flags & SP_PLUGIN_DURATIONS;

	printf("Usage:\n %s [-H HOST [-p PORT]] [--base-url URL] "
	       "[-s SERVICE[,...]]\n", p->name);
	if (rows) {
		printf("   [--worker GLOB] [--exclude-worker GLOB]%s\n",
		       p->flags & SP_PLUGIN_TENANTS ? " [--tenant GLOB]" : "");
	}
	if (durations) {
		puts("   [-w DURATION] [-c DURATION]");
	} else if (rows) {
		puts("   [-w RANGE] [-c RANGE] "
		     "[--override SELECTOR=WARN,CRIT]");
	} else {
		puts("   [-w SECONDS-RANGE] [-c SECONDS-RANGE]");
	}
	puts("   [-t SECONDS[:STATE]] [-v] [-h] [-V]");
}

static void
sp_opts_version(const struct sp_plugin *p)
{
	printf("%s %s (%s)\n%s\n", p->name, PACKAGE_VERSION, PACKAGE_NAME,
	       sp_fetch_curl_version());
}

/* Print a usage error the way monitoring cores show it, then exit 3. */
static int
sp_opts_fail(const struct sp_plugin *p, const char *err)
{
	printf("%s UNKNOWN - %s\n", p->label, err);
	sp_opts_usage(p);
	return SP_UNKNOWN;
}

/* The options this plugin takes: its kind's common ones, then its own. */
static struct option *
sp_opts_table(const struct sp_plugin *p)
{
	size_t extra = 0;
	size_t n = 0;
	size_t i;
	struct option *all;

	while (p->options && p->options[extra].name) {
		extra++;
	}
	all = calloc(SP_NCOMMON + extra + 1, sizeof(*all));
	if (!all) {
		return NULL;
	}
	for (i = 0; i < SP_NCOMMON; i++) {
		if (sp_common_options[i].plugins & p->flags) {
			all[n++] = sp_common_options[i].o;
		}
	}
	for (i = 0; i < extra; i++) {
		all[n++] = p->options[i];
	}
	return all;
}

/*
 * getopt takes "--token=X" for --token-file X, and an error about the
 * file would then show X, which was most likely the token itself.  The
 * two options naming secret files must be written in full.
 */
static bool
sp_opts_in_full(char **argv, int opt, char *err, size_t errlen)
{
	const char *name = opt == SP_OPT_TOKEN_FILE ? "--token-file"
			   : opt == SP_OPT_AUTH_FILE ? "--auth-file" : NULL;
	const char *given;
	size_t n;

	if (!name) {
		return true;
	}
	/* optarg is in the option's own argument ("--x=ARG") or the next. */
	given = argv[optind - 1];
	if (optarg == given && optind >= 2) {
		given = argv[optind - 2];
	}
	n = strlen(name);
	if (strncmp(given, name, n) == 0 &&
	    (given[n] == '\0' || given[n] == '=')) {
		return true;
	}
	snprintf(err, errlen, "write %s in full", name);
	return false;
}

/* Ids getopt gives, short letters and SP_OPT_* alike, fit in here. */
#define SP_OPTS_MAX_ID (SP_OPT_PLUGIN + 64)

/*
 * Mark in seen[] the option ids of args[0..n) (args[-1] is argv[0]).
 * -H and --base-url are one choice: naming either names both.
 */
static void
sp_opts_ids(const struct option *table, char **args, int n, bool *seen)
{
	char **v = calloc((size_t)n + 2, sizeof(*v));
	int opt;

	if (!v) {
		return;
	}
	memcpy(v, args - 1, ((size_t)n + 1) * sizeof(*v));
	optind = 0;
	while ((opt = getopt_long(n + 1, v, SP_SHORT_OPTS, table, NULL)) !=
	       -1) {
		if (opt != '?' && opt != ':' && opt >= 0 &&
		    opt < SP_OPTS_MAX_ID) {
			seen[opt] = true;
		}
	}
	if (seen['H'] || seen[SP_OPT_BASE_URL]) {
		seen['H'] = seen['p'] = seen[SP_OPT_BASE_URL] = true;
	}
	free(v);
}

/*
 * Drop from argv the nfile options that came from ini files whenever
 * the command line gives the same option: it replaces the file's value
 * rather than adding to it, also for options that may repeat.
 */
static void
sp_opts_prefer_argv(const struct option *table, int *argc, char **argv,
		    int nfile)
{
	bool cli[SP_OPTS_MAX_ID] = { false };
	int k = 1;
	int i;

	sp_opts_ids(table, argv + 1 + nfile, *argc - 1 - nfile, cli);
	for (i = 1; i <= nfile; i++) {
		bool mine[SP_OPTS_MAX_ID] = { false };
		size_t id;
		bool drop = false;

		sp_opts_ids(table, argv + i, 1, mine);
		for (id = 0; id < SP_OPTS_MAX_ID && !drop; id++) {
			drop = mine[id] && cli[id];
		}
		if (!drop) {
			argv[k++] = argv[i];
		}
	}
	for (; i < *argc; i++) {
		argv[k++] = argv[i];
	}
	argv[k] = NULL;
	*argc = k;
	optind = 0;
}

int
sp_opts_parse(const struct sp_plugin *p, struct sp_config *c, int argc,
	      char **argv)
{
	struct option *table;
	bool first_service = true;
	char err[512] = "";
	int rc = -1;
	int nfile;
	int opt;

	/* Options from --extra-opts come first, so argv overrides them. */
	if (sp_ini_expand_count(p->name, argc, argv, &argc, &c->argv, &nfile,
				err, sizeof(err)) != SP_INI_OK) {
		return sp_opts_fail(p, err);
	}
	argv = c->argv;
	table = sp_opts_table(p);
	if (!table) {
		return sp_opts_fail(p, "out of memory");
	}
	opterr = 0;
	if (nfile > 0) {
		sp_opts_prefer_argv(table, &argc, argv, nfile);
	}
	while (rc < 0 &&
	       (opt = getopt_long(argc, argv, SP_SHORT_OPTS, table, NULL))
	       != -1) {
		if (opt == 'h') {
			sp_opts_help(p);
			rc = SP_UNKNOWN;
		} else if (opt == 'V') {
			sp_opts_version(p);
			rc = SP_UNKNOWN;
		} else if (!sp_opts_in_full(argv, opt, err, sizeof(err))) {
			rc = sp_opts_fail(p, err);
		} else if (opt == '?' || opt == ':') {
			/* Name only: a mistyped --pasword=... is a secret. */
			const char *bad = argv[optind - 1];

			snprintf(err, sizeof(err), "bad option '%.*s'",
				 (int)strcspn(bad, "="), bad);
			rc = sp_opts_fail(p, err);
		} else if (!sp_opts_common(p, c, opt, optarg, &first_service,
					   err, sizeof(err))) {
			if (!err[0]) {
				snprintf(err, sizeof(err), "out of memory");
			}
			rc = sp_opts_fail(p, err);
		}
	}
	free(table);
	if (rc >= 0) {
		return rc;
	}
	if (optind < argc) {
		snprintf(err, sizeof(err), "unexpected argument '%s'",
			 argv[optind]);
		return sp_opts_fail(p, err);
	}
	if (!sp_opts_validate(c, err, sizeof(err)) ||
	    (p->validate && !p->validate(c, err, sizeof(err)))) {
		return sp_opts_fail(p, err);
	}
	/* A JSON document must stay parseable: no trace lines around it. */
	sp_verbosity = c->output.json ? 0 : c->verbosity;
	c->output.verbosity = c->verbosity;
	c->output.label = p->label;
	return -1;
}
