/*
 * The configuration one plugin run works from.
 *
 * Option parsing (sp_opts.c) fills it; from then on it is read-only and
 * nothing looks at argv again.
 */
#ifndef SP_CONFIG_H
#define SP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "sp_buf.h"
#include "sp_fetch.h"
#include "sp_range.h"
#include "sp_state.h"

/* The nine services, in the order the Background tasks screen uses. */
#define SP_NSERVICES 9
extern const char *const sp_service_names[SP_NSERVICES];

#define SP_DEFAULT_TEMPLATE "{base}/{service}/api/workers/status"
#define SP_DEFAULT_TIMEOUT_MS 10000L
#define SP_DEFAULT_REDIRECTS 5L
#define SP_DEFAULT_MAX_BODY ((size_t)32 << 20)
/* Nagios 4 cuts outputs past about 4 KiB; the table stays below. */
#define SP_DEFAULT_LONG_OUTPUT 3500
/* jsmn counts offsets in int; stay well inside that. */
#define SP_MAX_BODY_LIMIT (((size_t)1 << 30) - 1)

/* Index of a service name, ignoring case; -1 when there is none. */
int sp_service_index(const char *name);
int sp_service_index_n(const char *name, size_t len);

enum sp_perfdata_mode {
	SP_PERFDATA_ROWS = 0,	/* totals and one value per row */
	SP_PERFDATA_TOTALS,
	SP_PERFDATA_NONE
};

enum sp_some_perfdata {
	SP_SOME_UNKNOWN = 0,	/* U, as the guidelines want */
	SP_SOME_VALUE,		/* the --some-as figure */
	SP_SOME_OMIT
};

struct sp_output_opts {
	const char *label;	/* "SAPERA WORKERS" */
	const char *noun;	/* "workers", for the OK summary */
	enum sp_perfdata_mode perfdata;
	enum sp_some_perfdata some_perfdata;
	bool json;		/* --output-format json */
	bool service_rows;	/* the table lists services, not rows */
	bool problems_only;	/* hide OK rows in the long output */
	size_t max_rows;	/* with max_rows_set: at most this many */
	bool max_rows_set;	/* else as many as fit in max_bytes */
	size_t max_bytes;	/* budget of the long output */
	int verbosity;		/* a copy of the config's */
};

struct sp_strv {
	const char **v;
	size_t n;
};

/* Thresholds for the rows a selector matches; "*" matches all. */
struct sp_override {
	const char *text;	/* as given, for messages */
	char *service;		/* globs, owned */
	char *worker;
	char *tenant;
	struct sp_range warn;
	struct sp_range crit;
	bool has_warn;
	bool has_crit;
};

struct sp_config {
	const char *progname;
	char **argv;	/* --extra-opts expanded; options point in here */

	/* Connection */
	const char *hostname;
	const char *port;
	const char *base_url;
	const char *url_template;
	const char *service_url[SP_NSERVICES];
	enum sp_state timeout_state;
	struct sp_fetch_opts fetch;	/* secrets in it are owned here */
	struct sp_strv header;
	const char *token_file;
	const char *auth_file;
	struct sp_buf notes;		/* lines shown at -v */

	/* Selection */
	bool service[SP_NSERVICES];
	struct sp_strv worker;
	struct sp_strv exclude_worker;
	struct sp_strv tenant;
	struct sp_strv exclude_tenant;
	struct sp_strv expect_worker;	/* "Service/Worker" */
	bool per_tenant;
	bool keep_tenants;	/* rows per tenant: reports keep them */

	/* Thresholds */
	struct sp_range warn;
	struct sp_range crit;
	bool has_warn;
	bool has_crit;
	struct sp_override *override;
	size_t noverride;
	double some_as;
	enum sp_state unreachable_state;
	enum sp_state unknown_count_state;
	enum sp_state missing_tenants_state;
	long min_workers;		/* -1: no minimum */

	/* Output */
	int verbosity;
	struct sp_output_opts output;

	void *plugin;		/* a plugin's own settings */
};

void sp_config_init(struct sp_config *c, const char *progname);
void sp_config_free(struct sp_config *c);

/*
 * Read the credentials named by --token-file, --auth-file or
 * SAPERA_TOKEN into c->fetch.  False with err filled in on failure.
 */
bool sp_config_secrets(struct sp_config *c, char *err, size_t errlen);

/* Add s to a list; false when memory runs out. */
bool sp_strv_add(struct sp_strv *l, const char *s);

/*
 * The URL of service i: its --service-url, or the template filled in.
 * Returns a malloc'd string, or NULL with err filled in.
 */
char *sp_config_url(const struct sp_config *c, int i, char *err,
		    size_t errlen);

/* Whether a worker name passes --worker and --exclude-worker. */
bool sp_config_wants_worker(const struct sp_config *c, const char *name);

/* Whether a tenant, by name or domain (either may be NULL), passes. */
bool sp_config_wants_tenant(const struct sp_config *c, const char *name,
			    const char *domain);

/*
 * The thresholds for a row: the first matching --override, else -w/-c.
 * A tenant part matches the tenant's name or domain; both NULL on
 * worker rows, where only a "*" tenant part matches.  Each out pointer
 * is NULL for "no threshold".
 */
void sp_config_ranges(const struct sp_config *c, const char *service,
		      const char *worker, const char *tenant,
		      const char *tenant_alt, const struct sp_range **warn,
		      const struct sp_range **crit);

#endif /* SP_CONFIG_H */
