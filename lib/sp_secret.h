/*
 * Credentials from files and the environment.
 *
 * A secret on the command line is visible to every user through ps, so
 * tokens and passwords come from files (or SAPERA_TOKEN).  They are kept
 * in memory only as long as the run needs them and wiped on release.
 */
#ifndef SP_SECRET_H
#define SP_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum sp_secret_status {
	SP_SECRET_OK = 0,
	SP_SECRET_ERROR		/* err says why, without the secret */
};

/*
 * Read the first line of path, without its line end, into a fresh
 * string in *out.  Sets *shared when others than the owner may read
 * the file.  Empty files and files over 64 KiB are refused.
 */
enum sp_secret_status sp_secret_read(const char *path, char **out,
				     bool *shared, char *err,
				     size_t errlen);

/* Wipe and free a secret; NULL is fine. */
void sp_secret_free(char *s);

/*
 * Remember len bytes of s as a secret that sp_secret_scrub() hides: a
 * server may echo the token it was sent in an error text, and that
 * text is shown.  Fewer than 4 bytes are not kept (they would mask
 * ordinary words) nor twice; false when memory runs out.
 */
bool sp_secret_hide(const char *s, size_t len);

/* The same for user:password, its password and its Basic encoding. */
bool sp_secret_hide_userpwd(const char *userpwd);

/* Overwrite every remembered secret in buf with '*'. */
void sp_secret_scrub(char *buf, size_t len);

/*
 * The same for text about to be cut after len bytes: a tail of it that
 * begins a secret is starred too, since the rest of that secret will
 * not be there for sp_secret_scrub() to find.
 */
void sp_secret_scrub_cut(char *buf, size_t len);

/*
 * s ready to be shown in its first cut bytes (SIZE_MAX: all of it):
 * s itself when it holds no kept secret, else a starred copy in *copy,
 * which the caller frees.  NULL when memory runs out.  Text is masked
 * before it is cleaned or escaped for output, since either changes
 * the bytes a secret would be found by.
 */
const char *sp_secret_mask(const char *s, size_t cut, char **copy);

/* Wipe and forget what sp_secret_hide() kept. */
void sp_secret_forget(void);

/* Whether a header name usually carries a credential. */
bool sp_secret_header(const char *name, size_t len);

/*
 * Copy url into out with any user:password@ part replaced by "***@"
 * and every query value by "***" (tokens travel as ?api_key=...), so
 * URLs can be shown.
 */
void sp_secret_url(const char *url, char *out, size_t outlen);

/*
 * Copy len bytes of s into out (always terminated) with the value of
 * every query parameter after the first '?' replaced by "***"; the
 * query ends at a blank or '#'.  For request lines and URLs alike.
 */
void sp_secret_query(const char *s, size_t len, char *out, size_t outlen);

#endif /* SP_SECRET_H */
