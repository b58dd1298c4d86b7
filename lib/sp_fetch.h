/*
 * Fetching all selected services at once with the libcurl multi API.
 *
 * The check takes as long as the slowest service, not the sum.  Each
 * transfer reports through a callback as soon as it completes, so its
 * body can be parsed and freed while the others are still running.
 */
#ifndef SP_FETCH_H
#define SP_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "sp_buf.h"

struct sp_fetch_opts {
	long timeout_ms;	/* one deadline for everything */
	size_t max_body;	/* bytes, after decompression */
	const char *user_agent;
	const char *const *headers;	/* "Name: value", extra */
	size_t nheaders;
	const char *bearer_token;	/* secret: never printed */
	const char *userpwd;		/* secret: "user:password" */
	const char *ca_file;
	const char *client_cert;
	const char *client_key;
	bool insecure;
	long max_redirects;	/* 0: report 3xx, never follow */
};

enum sp_fetch_status {
	SP_FETCH_OK = 0,	/* an HTTP response arrived (any status) */
	SP_FETCH_FAILED,	/* no usable response; reason says why */
	SP_FETCH_TIMEOUT	/* the deadline passed first */
};

struct sp_fetch {
	const char *url;		/* in; not owned */
	char *redirect_url;		/* where a followed 3xx led */
	long redirects;
	const char *name;		/* in: service name for messages */

	enum sp_fetch_status status;	/* out, from here on */
	long http_code;
	double seconds;
	char reason[256];
	char content_type[80];
	char location[256];		/* redirect target, if any */
	char location_shown[256];	/* the same without secrets */
	struct sp_buf body;

	void *easy;			/* private to sp_fetch.c */
	char *errbuf;
	struct sp_fetch_gate *gate;
	bool too_big;
	bool finished;
	bool held;			/* paused until a large body is read */
	long long started_ms;		/* monotonic; -t counts from here */
	long long held_since_ms;	/* when held was set */
	long long held_ms;		/* held so far in this request */
};

typedef void (*sp_fetch_done_fn)(struct sp_fetch *f, size_t index,
				 void *ctx);

enum sp_fetch_run_status {
	SP_FETCH_RUN_OK = 0,
	SP_FETCH_RUN_ERROR	/* libcurl could not be set up; see err */
};

/*
 * Fetch every f[i].url at the same time.  done() is called once per
 * transfer, as it completes; the body may be freed inside it.  Fails
 * only when libcurl itself cannot be used, with err filled in.
 */
enum sp_fetch_run_status sp_fetch_run(struct sp_fetch *f, size_t n,
				      const struct sp_fetch_opts *o,
				      sp_fetch_done_fn done, void *ctx,
				      char *err, size_t errlen);

/* Release what a transfer still holds (its body). */
void sp_fetch_free(struct sp_fetch *f);

/* The libcurl version string, for --version. */
const char *sp_fetch_curl_version(void);

#endif /* SP_FETCH_H */
