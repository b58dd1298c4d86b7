/*
 * The configuration of one run; see sp_config.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "sp_buf.h"
#include "sp_config.h"
#include "sp_ini.h"
#include "sp_secret.h"
#include "sp_text.h"

const char *const sp_service_names[SP_NSERVICES] = {
	"Financial", "Inventory", "Accounting", "Actors", "Communication",
	"Pos", "Reports", "WebShop", "Payments",
};

int
sp_service_index_n(const char *name, size_t len)
{
	int i;

	for (i = 0; i < SP_NSERVICES; i++) {
		if (strlen(sp_service_names[i]) == len &&
		    strncasecmp(name, sp_service_names[i], len) == 0) {
			return i;
		}
	}
	return -1;
}

int
sp_service_index(const char *name)
{
	return sp_service_index_n(name, strlen(name));
}

void
sp_config_init(struct sp_config *c, const char *progname)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->progname = progname;
	c->url_template = SP_DEFAULT_TEMPLATE;
	c->timeout_state = SP_UNKNOWN;
	c->fetch.max_body = SP_DEFAULT_MAX_BODY;
	c->some_as = 1;
	c->unreachable_state = SP_UNKNOWN;
	c->unknown_count_state = SP_OK;
	c->output.max_bytes = SP_DEFAULT_LONG_OUTPUT;
	c->missing_tenants_state = SP_OK;
	c->min_workers = -1;
	c->fetch.timeout_ms = SP_DEFAULT_TIMEOUT_MS;
	sp_buf_init(&c->notes, 4096);
	for (i = 0; i < SP_NSERVICES; i++) {
		c->service[i] = true;
	}
}

void
sp_config_free(struct sp_config *c)
{
	size_t i;

	for (i = 0; i < c->noverride; i++) {
		free(c->override[i].service);
		free(c->override[i].worker);
		free(c->override[i].tenant);
	}
	free(c->override);
	free(c->worker.v);
	free(c->exclude_worker.v);
	free(c->tenant.v);
	free(c->exclude_tenant.v);
	free(c->expect_worker.v);
	free(c->header.v);
	sp_secret_free((char *)c->fetch.bearer_token);
	sp_secret_free((char *)c->fetch.userpwd);
	sp_secret_forget();
	sp_buf_free(&c->notes);
	sp_ini_free(c->argv);
	memset(c, 0, sizeof(*c));
}

/* One secret file into *out, with a note when others may read it. */
static bool
sp_config_secret_file(struct sp_config *c, const char *path,
		      const char **out, char *err, size_t errlen)
{
	char *secret = NULL;
	bool shared = false;

	if (sp_secret_read(path, &secret, &shared, err, errlen) !=
	    SP_SECRET_OK) {
		return false;
	}
	*out = secret;
	if (shared) {
		sp_buf_printf(&c->notes, "Note: %s is readable by other "
			      "users; chmod 600 it\n", path);
	}
	return true;
}

/* The token or user:password this run sends, from files or SAPERA_TOKEN. */
static bool
sp_config_read_secrets(struct sp_config *c, char *err, size_t errlen)
{
	const char *env = getenv("SAPERA_TOKEN");

	if (c->token_file && c->auth_file) {
		snprintf(err, errlen, "give --token-file or --auth-file, not "
			 "both");
		return false;
	}
	if (c->token_file) {
		return sp_config_secret_file(c, c->token_file,
					     &c->fetch.bearer_token, err,
					     errlen);
	}
	if (c->auth_file) {
		if (!sp_config_secret_file(c, c->auth_file, &c->fetch.userpwd,
					   err, errlen)) {
			return false;
		}
		if (!strchr(c->fetch.userpwd, ':')) {
			snprintf(err, errlen, "%s: expected user:password on "
				 "the first line", c->auth_file);
			return false;
		}
		return true;
	}
	if (env && env[0]) {
		c->fetch.bearer_token = strdup(env);
		return c->fetch.bearer_token != NULL;
	}
	return true;
}

/* len bytes of s as written and with %XX decoded, as a server gets it. */
static bool
sp_config_hide_escaped(const char *s, size_t len, bool userpwd)
{
	/* libcurl takes no handle for this since 7.82 (Debian 12: 7.88). */
	char *raw = curl_easy_unescape(NULL, s, (int)len, NULL);
	char *dec = raw ? strdup(raw) : NULL;
	char *as_is = strndup(s, len);
	bool ok = dec && as_is;

	if (ok && userpwd) {
		ok = sp_secret_hide_userpwd(as_is) &&
		     sp_secret_hide_userpwd(dec);
	} else if (ok) {
		ok = sp_secret_hide(as_is, len) &&
		     sp_secret_hide(dec, strlen(dec));
	}
	if (raw) {
		explicit_bzero(raw, strlen(raw));
		curl_free(raw);
	}
	sp_secret_free(dec);
	sp_secret_free(as_is);
	return ok;
}

/*
 * The credentials a URL carries, to be hidden: its user:password and
 * its query values (?api_key=...).
 */
static bool
sp_config_hide_url(const char *url)
{
	const char *host = url ? strstr(url, "://") : NULL;
	const char *q;
	const char *at;
	size_t end;
	bool ok = true;

	if (!host) {
		return true;
	}
	host += 3;
	end = strcspn(host, "/?#");
	at = memrchr(host, '@', end);
	if (at) {
		ok = sp_config_hide_escaped(host, (size_t)(at - host), true);
	}
	q = strchr(host, '?');
	while (ok && q && *q && *q != '#') {
		const char *v = q + 1 + strcspn(q + 1, "=&#");
		size_t n = *v == '=' ? strcspn(v + 1, "&#") : 0;

		if (n) {
			ok = sp_config_hide_escaped(v + 1, n, false);
		}
		q = strpbrk(q + 1, "&#");
		q = q && *q == '&' ? q : NULL;
	}
	return ok;
}

/*
 * Everything this run sends as a credential, so that output can hide
 * it even where a server echoes it back.
 */
static bool
sp_config_hide_secrets(const struct sp_config *c)
{
	bool ok = sp_config_hide_url(c->base_url);
	size_t i;

	for (i = 0; ok && i < SP_NSERVICES; i++) {
		ok = sp_config_hide_url(c->service_url[i]);
	}
	if (ok && c->fetch.bearer_token) {
		ok = sp_secret_hide(c->fetch.bearer_token,
				    strlen(c->fetch.bearer_token));
	}
	if (ok && c->fetch.userpwd) {
		ok = sp_secret_hide_userpwd(c->fetch.userpwd);
	}
	for (i = 0; ok && i < c->header.n; i++) {
		const char *h = c->header.v[i];
		size_t colon = strcspn(h, ":");

		if (h[colon] && sp_secret_header(h, colon)) {
			h += colon + 1;
			h += strspn(h, " \t");
			ok = sp_secret_hide(h, strlen(h));
			/* "Bearer X": servers may repeat X alone. */
			h += strcspn(h, " \t");
			h += strspn(h, " \t");
			if (ok && *h) {
				ok = sp_secret_hide(h, strlen(h));
			}
		}
	}
	return ok;
}

bool
sp_config_secrets(struct sp_config *c, char *err, size_t errlen)
{
	if (!sp_config_read_secrets(c, err, errlen)) {
		return false;
	}
	if (!sp_config_hide_secrets(c)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	return true;
}

bool
sp_strv_add(struct sp_strv *l, const char *s)
{
	const char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		return false;
	}
	v[l->n++] = s;
	l->v = v;
	return true;
}

/* The base URL: --base-url, or https://HOST[:PORT] from -H and -p. */
static bool
sp_config_base(const struct sp_config *c, struct sp_buf *b)
{
	const char *host = c->hostname;
	size_t len;

	if (c->base_url) {
		len = strlen(c->base_url);
		while (len > 0 && c->base_url[len - 1] == '/') {
			len--;
		}
		return sp_buf_add(b, c->base_url, len) == SP_BUF_OK;
	}
	/* An IPv6 literal needs brackets before a port can follow. */
	if (strchr(host, ':') && host[0] != '[') {
		sp_buf_printf(b, "https://[%s]", host);
	} else {
		sp_buf_printf(b, "https://%s", host);
	}
	if (c->port) {
		sp_buf_printf(b, ":%s", c->port);
	}
	return true;
}

/* Append the placeholder at t (after '{'); returns its length or 0. */
static size_t
sp_config_placeholder(const struct sp_config *c, int i, const char *t,
		      struct sp_buf *out)
{
	const char *name = sp_service_names[i];
	size_t k;

	if (strncmp(t, "{base}", 6) == 0) {
		sp_config_base(c, out);
		return 6;
	}
	if (strncmp(t, "{Service}", 9) == 0) {
		sp_buf_addstr(out, name);
		return 9;
	}
	if (strncmp(t, "{service}", 9) == 0) {
		for (k = 0; name[k]; k++) {
			sp_buf_addc(out, (char)tolower((unsigned char)name[k]));
		}
		return 9;
	}
	return 0;
}

char *
sp_config_url(const struct sp_config *c, int i, char *err, size_t errlen)
{
	struct sp_buf out;
	const char *t = c->url_template;

	if (c->service_url[i]) {
		return strdup(c->service_url[i]);
	}
	if (!c->base_url && !c->hostname) {
		snprintf(err, errlen, "no address for %s: give -H, --base-url "
			 "or --service-url", sp_service_names[i]);
		return NULL;
	}
	sp_buf_init(&out, 8192);
	while (*t) {
		size_t n = *t == '{' ? sp_config_placeholder(c, i, t, &out)
				     : 0;

		if (n == 0) {
			sp_buf_addc(&out, *t);
			n = 1;
		}
		t += n;
	}
	if (out.len == 0 || out.len >= out.max ||
	    (strncasecmp(out.data, "http://", 7) != 0 &&
	     strncasecmp(out.data, "https://", 8) != 0)) {
		snprintf(err, errlen, "--url-template gives no http:// or "
			 "https:// URL for %s", sp_service_names[i]);
		sp_buf_free(&out);
		return NULL;
	}
	return sp_buf_take(&out);
}

/* Included by one of the globs (or by default) and excluded by none. */
static bool
sp_config_wants(const struct sp_strv *in, const struct sp_strv *out,
		const char *a, const char *b)
{
	bool want = in->n == 0;
	size_t i;

	for (i = 0; !want && i < in->n; i++) {
		want = (a && sp_text_glob(in->v[i], a)) ||
		       (b && sp_text_glob(in->v[i], b));
	}
	for (i = 0; want && i < out->n; i++) {
		want = !((a && sp_text_glob(out->v[i], a)) ||
			 (b && sp_text_glob(out->v[i], b)));
	}
	return want;
}

bool
sp_config_wants_worker(const struct sp_config *c, const char *name)
{
	return sp_config_wants(&c->worker, &c->exclude_worker, name, NULL);
}

bool
sp_config_wants_tenant(const struct sp_config *c, const char *name,
		       const char *domain)
{
	return sp_config_wants(&c->tenant, &c->exclude_tenant, name, domain);
}

/* Whether an override's tenant part accepts the row's tenant. */
static bool
sp_config_tenant_part(const struct sp_override *o, const char *tenant,
		      const char *alt)
{
	if (!o->tenant || strcmp(o->tenant, "*") == 0) {
		return true;
	}
	return (tenant && sp_text_glob(o->tenant, tenant)) ||
	       (alt && sp_text_glob(o->tenant, alt));
}

void
sp_config_ranges(const struct sp_config *c, const char *service,
		 const char *worker, const char *tenant,
		 const char *tenant_alt, const struct sp_range **warn,
		 const struct sp_range **crit)
{
	size_t i;

	for (i = 0; i < c->noverride; i++) {
		const struct sp_override *o = &c->override[i];

		if (sp_text_glob(o->service, service) &&
		    sp_text_glob(o->worker, worker) &&
		    sp_config_tenant_part(o, tenant, tenant_alt)) {
			*warn = o->has_warn ? &o->warn : NULL;
			*crit = o->has_crit ? &o->crit : NULL;
			return;
		}
	}
	*warn = c->has_warn ? &c->warn : NULL;
	*crit = c->has_crit ? &c->crit : NULL;
}
