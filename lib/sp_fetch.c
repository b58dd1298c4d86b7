/*
 * Fetching all selected services at once; see sp_fetch.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "sp_fetch.h"
#include "sp_log.h"
#include "sp_secret.h"
#include "sp_text.h"

/* Set one option or leave the function through its out label. */
#define SP_SETOPT(easy, opt, val)					\
	do {								\
		CURLcode rc_ = curl_easy_setopt((easy), (opt), (val));	\
		if (rc_ != CURLE_OK) {					\
			snprintf(err, errlen, "libcurl: cannot set %s: %s", \
				 #opt, curl_easy_strerror(rc_));	\
			goto out;					\
		}							\
	} while (0)

const char *
sp_fetch_curl_version(void)
{
	return curl_version();
}

/*
 * Bodies past this size are read one at a time.  Nine of them arriving
 * together would all be held in full when the first is parsed, and the
 * tokens of that one come on top: with --max-body-size raised for large
 * installations, that was most of the peak.  The others wait, their
 * data in the kernel's socket buffers, until the one read is parsed and
 * freed.  A check of ordinary bodies never waits.
 *
 * A service that stalls in the middle of its body must not cost the
 * others their answers: once half of -t is gone, all go on at once.
 */
#define SP_FETCH_LARGE ((size_t)4 << 20)

/* Which large body is being read; see SP_FETCH_LARGE. */
struct sp_fetch_gate {
	struct sp_fetch *reading;
	bool open;		/* no body waits any more */
};

/* Milliseconds on a clock that no change of the date moves. */
static long long
sp_fetch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether pausing f keeps its data out of memory.  Over HTTP/1 it stays
 * in the socket buffers.  libcurl goes on receiving a paused HTTP/2
 * stream into memory (7.88 does), so holding one saves nothing there,
 * and a stalled body would delay the others for nothing.
 */
static bool
sp_fetch_can_hold(struct sp_fetch *f)
{
	long v = 0;

	return curl_easy_getinfo(f->easy, CURLINFO_HTTP_VERSION, &v) ==
		       CURLE_OK &&
	       (v == CURL_HTTP_VERSION_1_0 || v == CURL_HTTP_VERSION_1_1);
}

static size_t
sp_fetch_write(char *data, size_t size, size_t nmemb, void *user)
{
	struct sp_fetch *f = user;
	size_t len = size * nmemb;
	curl_off_t whole = -1;

	if (f->body.len + len > SP_FETCH_LARGE && !f->gate->open &&
	    f->gate->reading != f && sp_fetch_can_hold(f)) {
		if (f->gate->reading) {
			sp_debug(2, f->name, "body past %zu MiB: waits for "
				 "%s to be read", SP_FETCH_LARGE >> 20,
				 f->gate->reading->name);
			f->held = true;
			f->held_since_ms = sp_fetch_now_ms();
			return CURL_WRITEFUNC_PAUSE;
		}
		f->gate->reading = f;
	}

	/*
	 * A body of known length gets one buffer of that size at once: no
	 * copies while it grows and no unused half of a doubled buffer.  A
	 * compressed body's length is a low guess, which does no harm.
	 */
	if (f->body.alloc == 0 &&
	    curl_easy_getinfo(f->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
			      &whole) == CURLE_OK &&
	    whole > 0 && (uint64_t)whole <= f->body.max) {
		sp_buf_reserve(&f->body, (size_t)whole);
	}
	if (sp_buf_add(&f->body, data, len) != SP_BUF_OK) {
		/* Returning short makes libcurl stop with a write error. */
		f->too_big = true;
		return 0;
	}
	return len;
}

/*
 * Whether the value of a header line may be shown at -vvv.  Of what is
 * sent only the headers libcurl itself writes: any other one came from
 * --header or a token, and the plugin cannot know which carry secrets.
 */
static bool
sp_fetch_header_shown(const char *dir, const char *s, size_t colon)
{
	static const char *const sent[] = {
		"Host", "User-Agent", "Accept", "Accept-Encoding",
		"Content-Length", "Content-Type", "Connection", "Expect",
	};
	size_t i;

	if (*dir == '<') {
		return !sp_secret_header(s, colon);
	}
	for (i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		if (strlen(sent[i]) == colon &&
		    strncasecmp(s, sent[i], colon) == 0) {
			return true;
		}
	}
	return false;
}

/*
 * Print one line of header text at -vvv, with credentials and query
 * values hidden and what the server sent made safe for a terminal.
 */
static void
sp_fetch_trace_header(const char *name, const char *dir, const char *s,
		      size_t len)
{
	char line[512];
	struct sp_buf shown;
	size_t colon;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
		len--;
	}
	if (len == 0) {
		return;
	}
	colon = strcspn(s, ": \n");
	if (*dir != '*' && colon < len && s[colon] == ':' &&
	    !sp_fetch_header_shown(dir, s, colon)) {
		sp_log_print(name, "%s %.*s: <hidden>", dir, (int)colon, s);
		return;
	}
	sp_secret_query(s, len, line, sizeof(line));
	sp_buf_init(&shown, 3 * sizeof(line));
	sp_text_add_clean(&shown, line, 2 * sizeof(line));
	sp_log_print(name, "%s %s", dir, sp_buf_str(&shown));
	sp_buf_free(&shown);
}

/* Header and info lines at -vvv; request text is split into lines. */
static int
sp_fetch_debug(CURL *easy, curl_infotype type, char *data, size_t size,
	       void *user)
{
	struct sp_fetch *f = user;
	const char *dir;
	size_t start = 0;
	size_t i;

	(void)easy;
	switch (type) {
	case CURLINFO_TEXT:
		dir = "*";
		break;
	case CURLINFO_HEADER_OUT:
		dir = ">";
		break;
	case CURLINFO_HEADER_IN:
		dir = "<";
		break;
	default:
		return 0;	/* bodies are shown once, after parsing */
	}
	for (i = 0; i < size; i++) {
		if (data[i] == '\n') {
			sp_fetch_trace_header(f->name, dir, data + start,
					      i - start + 1);
			start = i + 1;
		}
	}
	if (start < size) {
		sp_fetch_trace_header(f->name, dir, data + start,
				      size - start);
	}
	return 0;
}

/* Options about credentials and TLS, shared by all transfers. */
static bool
sp_fetch_setup_auth(CURL *e, const struct sp_fetch_opts *o, char *err,
		    size_t errlen)
{
	if (o->bearer_token) {
		SP_SETOPT(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		SP_SETOPT(e, CURLOPT_XOAUTH2_BEARER, o->bearer_token);
	} else if (o->userpwd) {
		SP_SETOPT(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SP_SETOPT(e, CURLOPT_USERPWD, o->userpwd);
	}
	if (o->ca_file) {
		SP_SETOPT(e, CURLOPT_CAINFO, o->ca_file);
	}
	if (o->client_cert) {
		SP_SETOPT(e, CURLOPT_SSLCERT, o->client_cert);
	}
	if (o->client_key) {
		SP_SETOPT(e, CURLOPT_SSLKEY, o->client_key);
	}
	if (o->insecure) {
		SP_SETOPT(e, CURLOPT_SSL_VERIFYPEER, 0L);
		SP_SETOPT(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	return true;
out:
	return false;
}

/* One easy handle for f; false with err filled in on failure. */
static bool
sp_fetch_setup(struct sp_fetch *f, const struct sp_fetch_opts *o,
	       struct curl_slist *headers, char *err, size_t errlen)
{
	CURL *e = curl_easy_init();

	f->easy = e;
	f->errbuf = calloc(1, CURL_ERROR_SIZE);
	if (!e || !f->errbuf) {
		snprintf(err, errlen, "libcurl: cannot create a transfer");
		return false;
	}
	SP_SETOPT(e, CURLOPT_URL, f->url);
	SP_SETOPT(e, CURLOPT_PRIVATE, (void *)f);
	SP_SETOPT(e, CURLOPT_ERRORBUFFER, f->errbuf);
	SP_SETOPT(e, CURLOPT_NOSIGNAL, 1L);
#if HAVE_DECL_CURLOPT_PROTOCOLS_STR
	SP_SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SP_SETOPT(e, CURLOPT_PROTOCOLS,
		  (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SP_SETOPT(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	SP_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms);
	SP_SETOPT(e, CURLOPT_ACCEPT_ENCODING, "");
	/*
	 * Over TLS the nine services often share one host: waiting for the
	 * first handshake to tell (by ALPN) whether HTTP/2 can carry all of
	 * them on one connection saves eight handshakes.  Plain HTTP/1.1
	 * cannot multiplex, so there is nothing to wait for.
	 */
	if (strncasecmp(f->url, "https:", 6) == 0) {
		SP_SETOPT(e, CURLOPT_PIPEWAIT, 1L);
	}
	/* Fewer, larger reads for bodies of megabytes. */
	SP_SETOPT(e, CURLOPT_BUFFERSIZE, 128L * 1024);
	SP_SETOPT(e, CURLOPT_HTTPHEADER, headers);
	SP_SETOPT(e, CURLOPT_USERAGENT, o->user_agent);
	SP_SETOPT(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	SP_SETOPT(e, CURLOPT_WRITEFUNCTION, sp_fetch_write);
	SP_SETOPT(e, CURLOPT_WRITEDATA, (void *)f);
	if (sp_verbosity >= 3) {
		SP_SETOPT(e, CURLOPT_DEBUGFUNCTION, sp_fetch_debug);
		SP_SETOPT(e, CURLOPT_DEBUGDATA, (void *)f);
		SP_SETOPT(e, CURLOPT_VERBOSE, 1L);
	}
	return sp_fetch_setup_auth(e, o, err, errlen);
out:
	return false;
}

/* The request headers: ours first, then the user's. */
static struct curl_slist *
sp_fetch_headers(const struct sp_fetch_opts *o)
{
	struct curl_slist *list = NULL;
	struct curl_slist *next;
	size_t i;

	list = curl_slist_append(list, "Accept: application/json");
	for (i = 0; list && i < o->nheaders; i++) {
		next = curl_slist_append(list, o->headers[i]);
		if (!next) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = next;
	}
	return list;
}

/* "connection refused" says more on a phone than libcurl's sentence. */
static void
sp_fetch_connect_error(struct sp_fetch *f)
{
	long os = 0;

	curl_easy_getinfo(f->easy, CURLINFO_OS_ERRNO, &os);
	if (os == ECONNREFUSED) {
		snprintf(f->reason, sizeof(f->reason), "connection refused");
	} else if (os) {
		snprintf(f->reason, sizeof(f->reason), "cannot connect: %s",
			 strerror((int)os));
	} else {
		snprintf(f->reason, sizeof(f->reason), "cannot connect: %s",
			 f->errbuf[0] ? f->errbuf : "unknown reason");
	}
}

/* A one-line reason for a failed transfer, in the user's terms. */
static void
sp_fetch_describe(struct sp_fetch *f, CURLcode rc,
		  const struct sp_fetch_opts *o)
{
	const char *detail = f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc);

	f->status = SP_FETCH_FAILED;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		f->status = SP_FETCH_TIMEOUT;
		snprintf(f->reason, sizeof(f->reason),
			 "no complete answer within %ld.%03ld s",
			 o->timeout_ms / 1000, o->timeout_ms % 1000);
		return;
	case CURLE_COULDNT_CONNECT:
		sp_fetch_connect_error(f);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(f->reason, sizeof(f->reason),
			 "cannot resolve host: %s", detail);
		return;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (f->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(f->reason, sizeof(f->reason),
				 "response larger than %zu bytes",
				 o->max_body);
			return;
		}
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(f->reason, sizeof(f->reason),
			 "TLS verification failed: %s", detail);
		return;
	case CURLE_GOT_NOTHING:
		snprintf(f->reason, sizeof(f->reason),
			 "server closed the connection without answering");
		return;
	case CURLE_PARTIAL_FILE:
		snprintf(f->reason, sizeof(f->reason),
			 "response cut short: %s", detail);
		return;
	default:
		break;
	}
	snprintf(f->reason, sizeof(f->reason), "%s", detail);
}

/* Collect what a finished transfer left and hand it over. */
static void
sp_fetch_finish(struct sp_fetch *f, CURLcode rc,
		const struct sp_fetch_opts *o)
{
	CURL *e = f->easy;
	char *ct = NULL;
	char *loc = NULL;
	double t = 0;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &f->http_code);
	curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &t);
	curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc);
	/*
	 * The time a body was held is the plugin's, not the service's:
	 * left in, a service that answers at once would show as slow to
	 * check_sapera_services whenever another one's body came first.
	 * One that ends while held (a timeout) ends its hold too.
	 */
	if (f->held) {
		f->held = false;
		f->held_ms += sp_fetch_now_ms() - f->held_since_ms;
	}
	t -= f->held_ms / 1000.0;
	f->seconds = t > 0 ? t : 0;
	if (ct) {
		snprintf(f->content_type, sizeof(f->content_type), "%s", ct);
	}
	if (loc) {
		snprintf(f->location, sizeof(f->location), "%s", loc);
		sp_secret_url(loc, f->location_shown,
			      sizeof(f->location_shown));
	}
	if (rc == CURLE_OK) {
		f->status = SP_FETCH_OK;
		return;
	}
	sp_fetch_describe(f, rc, o);
}

/* Whether two URLs share scheme, host and port. */
static bool
sp_fetch_same_origin(const char *a, const char *b)
{
	static const CURLUPart parts[] = {
		CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT
	};
	CURLU *ua = curl_url();
	CURLU *ub = curl_url();
	bool same = ua && ub &&
		    curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
		    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;
	size_t i;

	for (i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *x = NULL;
		char *y = NULL;

		same = curl_url_get(ua, parts[i], &x, CURLU_DEFAULT_PORT) ==
			       CURLUE_OK &&
		       curl_url_get(ub, parts[i], &y, CURLU_DEFAULT_PORT) ==
			       CURLUE_OK &&
		       strcasecmp(x, y) == 0;
		curl_free(x);
		curl_free(y);
	}
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/*
 * Give the next hop of a followed redirect what is left of -t: libcurl
 * would start each hop's timeout afresh.  False when nothing is left.
 */
static bool
sp_fetch_time_left(struct sp_fetch *f, const struct sp_fetch_opts *o)
{
	long long left = o->timeout_ms - (sp_fetch_now_ms() - f->started_ms);

	if (left <= 0) {
		snprintf(f->reason, sizeof(f->reason), "timed out after %.1f s "
			 "while following redirects", o->timeout_ms / 1000.0);
		f->status = SP_FETCH_TIMEOUT;
		return false;
	}
	return curl_easy_setopt(f->easy, CURLOPT_TIMEOUT_MS, (long)left) ==
		       CURLE_OK &&
	       curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT_MS,
				(long)left) == CURLE_OK;
}

/*
 * Follow a redirect by hand, so that it can be held to the same scheme,
 * host and port: credentials must never travel to another host.
 * Returns true when the transfer was restarted.
 */
static bool
sp_fetch_redirect(CURLM *multi, struct sp_fetch *f,
		  const struct sp_fetch_opts *o)
{
	char *next;

	if (f->status != SP_FETCH_OK || f->http_code < 300 ||
	    f->http_code >= 400 || !f->location[0] || o->max_redirects <= 0) {
		return false;
	}
	if (!sp_fetch_same_origin(f->url, f->location)) {
		snprintf(f->reason, sizeof(f->reason), "redirect to another "
			 "scheme, host or port not followed: %.160s",
			 f->location_shown);
		f->status = SP_FETCH_FAILED;
		return false;
	}
	if (f->redirects >= o->max_redirects) {
		snprintf(f->reason, sizeof(f->reason), "more than %ld "
			 "redirects (a loop?), last to %.160s",
			 o->max_redirects, f->location_shown);
		f->status = SP_FETCH_FAILED;
		return false;
	}
	if (!sp_fetch_time_left(f, o)) {
		return false;
	}
	next = strdup(f->location);
	if (!next || curl_easy_setopt(f->easy, CURLOPT_URL, next) != CURLE_OK ||
	    curl_multi_add_handle(multi, f->easy) != CURLM_OK) {
		free(next);
		return false;
	}
	sp_debug(2, f->name, "following HTTP %ld to %s", f->http_code,
		 f->location_shown);
	free(f->redirect_url);
	f->redirect_url = next;
	f->redirects++;
	f->held_ms = 0;
	f->location[0] = '\0';
	f->location_shown[0] = '\0';
	sp_buf_reset(&f->body);
	return true;
}

/*
 * Let held transfer f go on.  libcurl hands it what it kept back from
 * within curl_easy_pause(); should the write callback refuse that (past
 * --max-body-size), libcurl returns the error but leaves the transfer
 * running and unscheduled, to end later as a success with the body cut
 * short.  It is ended here instead.  Returns whether it goes on.
 */
static bool
sp_fetch_resume(CURLM *multi, struct sp_fetch *f,
		const struct sp_fetch_opts *o, sp_fetch_done_fn done,
		void *ctx, struct sp_fetch *base)
{
	CURLcode rc;

	f->held = false;
	f->held_ms += sp_fetch_now_ms() - f->held_since_ms;
	rc = curl_easy_pause(f->easy, CURLPAUSE_CONT);
	if (rc == CURLE_OK) {
		return true;
	}
	sp_fetch_finish(f, rc, o);
	curl_multi_remove_handle(multi, f->easy);
	f->finished = true;
	done(f, (size_t)(f - base), ctx);
	return false;
}

/*
 * Transfer f is over: if it was the large body being read, let the
 * next one that waits go on.  libcurl hands it what it kept back from
 * within curl_easy_pause(), so the gate is its before the call.
 */
static void
sp_fetch_release(CURLM *multi, struct sp_fetch *f,
		 const struct sp_fetch_opts *o, sp_fetch_done_fn done,
		 void *ctx, struct sp_fetch *base, size_t n)
{
	size_t i;

	if (f->gate->reading != f) {
		return;
	}
	f->gate->reading = NULL;
	for (i = 0; i < n; i++) {
		if (base[i].held && !base[i].finished) {
			f->gate->reading = &base[i];
			sp_debug(2, base[i].name, "reading on");
			if (sp_fetch_resume(multi, &base[i], o, done, ctx,
					    base)) {
				return;
			}
			f->gate->reading = NULL;
		}
	}
}

/*
 * Past half of -t with a large body still read, let all go on.  Returns
 * how long the loop may wait before it must look again.
 */
static int
sp_fetch_open_gate(CURLM *multi, const struct sp_fetch_opts *o,
		   sp_fetch_done_fn done, void *ctx, struct sp_fetch *base,
		   size_t n)
{
	struct sp_fetch_gate *g = base[0].gate;
	long long left = o->timeout_ms / 2 -
			 (sp_fetch_now_ms() - base[0].started_ms);
	size_t i;

	if (g->open || !g->reading) {
		return 1000;
	}
	if (left > 0) {
		return left < 1000 ? (int)left : 1000;
	}
	g->open = true;
	for (i = 0; i < n; i++) {
		if (base[i].held && !base[i].finished) {
			sp_debug(2, base[i].name, "%s still not read at half "
				 "the timeout: going on", g->reading->name);
			(void)sp_fetch_resume(multi, &base[i], o, done, ctx,
					      base);
		}
	}
	return 0;
}

/* Whether any transfer is still to be reported. */
static bool
sp_fetch_pending(const struct sp_fetch *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!f[i].finished) {
			return true;
		}
	}
	return false;
}

/* Drive all transfers until none is left, reporting each as it ends. */
static void
sp_fetch_loop(CURLM *multi, size_t n, const struct sp_fetch_opts *o,
	      sp_fetch_done_fn done, void *ctx, struct sp_fetch *base)
{
	int running = (int)n;
	int left;
	int wait;
	CURLMsg *msg;

	while (running > 0) {
		if (curl_multi_perform(multi, &running) != CURLM_OK) {
			break;
		}
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			struct sp_fetch *f = NULL;

			if (msg->msg != CURLMSG_DONE) {
				continue;
			}
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&f);
			sp_fetch_finish(f, msg->data.result, o);
			curl_multi_remove_handle(multi, msg->easy_handle);
			if (sp_fetch_redirect(multi, f, o)) {
				running++;
				sp_fetch_release(multi, f, o, done, ctx, base,
						 n);
				continue;
			}
			f->finished = true;
			done(f, (size_t)(f - base), ctx);
			sp_fetch_release(multi, f, o, done, ctx, base, n);
		}
		wait = sp_fetch_open_gate(multi, o, done, ctx, base, n);
		/*
		 * running is from before sp_fetch_resume() may have ended
		 * the last transfers: then there is nothing to wait for.
		 */
		if (sp_fetch_pending(base, n) &&
		    curl_multi_poll(multi, NULL, 0, wait, NULL) != CURLM_OK) {
			break;
		}
	}
}

/* Create and add a transfer per service; false with err filled in. */
static bool
sp_fetch_start(CURLM *multi, struct sp_fetch *f, size_t n,
	       const struct sp_fetch_opts *o, struct curl_slist *headers,
	       char *err, size_t errlen)
{
	char url[1024];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!sp_fetch_setup(&f[i], o, headers, err, errlen)) {
			return false;
		}
		f[i].started_ms = sp_fetch_now_ms();
		if (curl_multi_add_handle(multi, f[i].easy) != CURLM_OK) {
			snprintf(err, errlen, "libcurl: cannot add transfer");
			return false;
		}
		if (sp_verbosity >= 2) {
			sp_secret_url(f[i].url, url, sizeof(url));
			sp_debug(2, f[i].name, "GET %s", url);
		}
	}
	return true;
}

/* A multi failure can leave transfers unreported; fail them. */
static void
sp_fetch_abandon(CURLM *multi, struct sp_fetch *f, size_t n,
		 sp_fetch_done_fn done, void *ctx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (f[i].finished) {
			continue;
		}
		curl_multi_remove_handle(multi, f[i].easy);
		f[i].status = SP_FETCH_FAILED;
		snprintf(f[i].reason, sizeof(f[i].reason),
			 "transfer aborted by libcurl");
		f[i].finished = true;
		done(&f[i], i, ctx);
	}
}

enum sp_fetch_run_status
sp_fetch_run(struct sp_fetch *f, size_t n, const struct sp_fetch_opts *o,
	     sp_fetch_done_fn done, void *ctx, char *err, size_t errlen)
{
	enum sp_fetch_run_status st = SP_FETCH_RUN_ERROR;
	struct sp_fetch_gate gate = { NULL };
	struct curl_slist *headers = NULL;
	CURLM *multi = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		sp_buf_init(&f[i].body, o->max_body);
		f[i].easy = NULL;
		f[i].errbuf = NULL;
		f[i].gate = &gate;
		f[i].finished = false;
		f[i].held = false;
		f[i].held_ms = 0;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "libcurl: global initialisation failed");
		return st;
	}
	headers = sp_fetch_headers(o);
	multi = curl_multi_init();
	if (!headers || !multi) {
		snprintf(err, errlen, "libcurl: out of memory");
		goto out;
	}
	if (sp_fetch_start(multi, f, n, o, headers, err, errlen)) {
		sp_fetch_loop(multi, n, o, done, ctx, f);
		sp_fetch_abandon(multi, f, n, done, ctx);
		st = SP_FETCH_RUN_OK;
	}

out:
	for (i = 0; i < n; i++) {
		if (f[i].easy && multi && !f[i].finished) {
			curl_multi_remove_handle(multi, f[i].easy);
		}
		curl_easy_cleanup(f[i].easy);
		f[i].easy = NULL;
		f[i].gate = NULL;
		free(f[i].errbuf);
		f[i].errbuf = NULL;
	}
	curl_multi_cleanup(multi);
	curl_slist_free_all(headers);
	curl_global_cleanup();
	return st;
}

void
sp_fetch_free(struct sp_fetch *f)
{
	sp_buf_free(&f->body);
	free(f->redirect_url);
	f->redirect_url = NULL;
}
