/*
 * Credentials from files and the environment; see sp_secret.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp_secret.h"

#define SP_SECRET_MAX 65536

/* Read all of fd (at most max bytes) into a fresh NUL-ended buffer. */
static char *
sp_secret_slurp(int fd, size_t max, size_t *len)
{
	char *buf = calloc(1, max + 1);
	ssize_t n;

	*len = 0;
	while (buf && *len < max) {
		n = read(fd, buf + *len, max - *len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		*len += (size_t)n;
	}
	return buf;
}

enum sp_secret_status
sp_secret_read(const char *path, char **out, bool *shared, char *err,
	       size_t errlen)
{
	struct stat st;
	size_t len;
	char *buf;
	int fd;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO must not wait past -t for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return SP_SECRET_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		close(fd);
		return SP_SECRET_ERROR;
	}
	*shared = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	buf = sp_secret_slurp(fd, SP_SECRET_MAX, &len);
	close(fd);
	if (!buf) {
		snprintf(err, errlen, "out of memory reading %s", path);
		return SP_SECRET_ERROR;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0] || len >= SP_SECRET_MAX) {
		snprintf(err, errlen, "%s: %s", path, buf[0] ?
			 "larger than 64 KiB" : "first line is empty");
		sp_secret_free(buf);
		return SP_SECRET_ERROR;
	}
	*out = buf;
	return SP_SECRET_OK;
}

void
sp_secret_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Shorter secrets are not kept: they would mask ordinary words. */
#define SP_SECRET_MIN 4

/* Secrets to hide in output, longest first. */
static char **sp_secret_kept;
static size_t sp_secret_nkept;
static size_t sp_secret_akept;

/* Whether len bytes of s are kept already. */
static bool
sp_secret_known(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sp_secret_nkept; i++) {
		if (strlen(sp_secret_kept[i]) == len &&
		    memcmp(sp_secret_kept[i], s, len) == 0) {
			return true;
		}
	}
	return false;
}

bool
sp_secret_hide(const char *s, size_t len)
{
	char *copy;
	size_t i;

	if (len < SP_SECRET_MIN || sp_secret_known(s, len)) {
		return true;
	}
	if (sp_secret_nkept == sp_secret_akept) {
		size_t a = sp_secret_akept ? 2 * sp_secret_akept : 16;
		char **v = realloc(sp_secret_kept, a * sizeof(*v));

		if (!v) {
			return false;
		}
		sp_secret_kept = v;
		sp_secret_akept = a;
	}
	copy = malloc(len + 1);
	if (!copy) {
		return false;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';

	/*
	 * Longest first: a short secret inside a long one must not leave
	 * the rest of the long one readable.
	 */
	for (i = sp_secret_nkept; i > 0 && strlen(sp_secret_kept[i - 1]) < len;
	     i--) {
		sp_secret_kept[i] = sp_secret_kept[i - 1];
	}
	sp_secret_kept[i] = copy;
	sp_secret_nkept++;
	return true;
}

/* RFC 4648 base64 of len bytes of s into out (4 * ((len + 2) / 3) + 1). */
static void
sp_secret_base64(const unsigned char *s, size_t len, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		*out++ = abc[s[i] >> 2];
		*out++ = abc[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		*out++ = abc[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		*out++ = abc[s[i + 2] & 63];
	}
	if (i < len) {
		*out++ = abc[s[i] >> 2];
		if (i + 1 < len) {
			*out++ = abc[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			*out++ = abc[(s[i + 1] & 15) << 2];
		} else {
			*out++ = abc[(s[i] & 3) << 4];
			*out++ = '=';
		}
		*out++ = '=';
	}
	*out = '\0';
}

bool
sp_secret_hide_userpwd(const char *userpwd)
{
	size_t len = strlen(userpwd);
	const char *colon = strchr(userpwd, ':');
	char *b64 = malloc(4 * ((len + 2) / 3) + 1);
	bool ok;

	if (!b64) {
		return false;
	}
	sp_secret_base64((const unsigned char *)userpwd, len, b64);
	ok = sp_secret_hide(userpwd, len) &&
	     sp_secret_hide(b64, strlen(b64)) &&
	     (!colon || sp_secret_hide(colon + 1, strlen(colon + 1)));
	explicit_bzero(b64, strlen(b64));
	free(b64);
	return ok;
}

void
sp_secret_scrub(char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sp_secret_nkept; i++) {
		const char *s = sp_secret_kept[i];
		size_t n = strlen(s);
		char *hit = memmem(buf, len, s, n);

		while (hit) {
			memset(hit, '*', n);
			hit += n;
			hit = memmem(hit, len - (size_t)(hit - buf), s, n);
		}
	}
}

void
sp_secret_scrub_cut(char *buf, size_t len)
{
	size_t i;
	size_t k;

	sp_secret_scrub(buf, len);
	for (i = 0; i < sp_secret_nkept; i++) {
		const char *s = sp_secret_kept[i];
		size_t n = strlen(s);

		/* The longest tail of buf that starts s, at least 4 bytes. */
		for (k = n - 1 < len ? n - 1 : len; k >= SP_SECRET_MIN; k--) {
			if (memcmp(buf + len - k, s, k) == 0) {
				memset(buf + len - k, '*', k);
				break;
			}
		}
	}
}

/* Whether s (len bytes) holds a kept secret, or ends in a start of one. */
static bool
sp_secret_in(const char *s, size_t len)
{
	size_t i;
	size_t k;

	for (i = 0; i < sp_secret_nkept; i++) {
		const char *t = sp_secret_kept[i];
		size_t n = strlen(t);

		if (memmem(s, len, t, n)) {
			return true;
		}
		for (k = n - 1 < len ? n - 1 : len; k >= SP_SECRET_MIN; k--) {
			if (memcmp(s + len - k, t, k) == 0) {
				return true;
			}
		}
	}
	return false;
}

const char *
sp_secret_mask(const char *s, size_t cut, char **copy)
{
	size_t len = strlen(s);

	*copy = NULL;
	if (sp_secret_nkept == 0) {
		return s;
	}
	cut = cut < len ? cut : len;
	if (!sp_secret_in(s, len) && (cut == len || !sp_secret_in(s, cut))) {
		return s;
	}
	*copy = strdup(s);
	if (!*copy) {
		return NULL;
	}
	sp_secret_scrub(*copy, len);
	sp_secret_scrub_cut(*copy, cut);
	return *copy;
}

void
sp_secret_forget(void)
{
	while (sp_secret_nkept > 0) {
		sp_secret_free(sp_secret_kept[--sp_secret_nkept]);
	}
	free(sp_secret_kept);
	sp_secret_kept = NULL;
	sp_secret_akept = 0;
}

bool
sp_secret_header(const char *name, size_t len)
{
	static const char *const words[] = {
		"auth", "cookie", "token", "key", "secret", "password",
		"session",
	};
	char low[64];
	size_t i;

	if (len >= sizeof(low)) {
		return true;
	}
	for (i = 0; i < len; i++) {
		low[i] = (char)(name[i] | ((name[i] >= 'A' && name[i] <= 'Z')
					   ? 0x20 : 0));
	}
	low[len] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strstr(low, words[i])) {
			return true;
		}
	}
	return false;
}

void
sp_secret_query(const char *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0;
	size_t i;
	bool query = false;
	bool value = false;

	if (outlen == 0) {
		return;
	}
	for (i = 0; i < len && o + 4 < outlen; i++) {
		char c = s[i];

		if (query && (c == ' ' || c == '#')) {
			query = value = false;
		} else if (query && c == '&') {
			value = false;
		} else if (value) {
			continue;
		} else if (query && c == '=') {
			memcpy(out + o, "=***", 4);
			o += 4;
			value = true;
			continue;
		} else if (!query && c == '?') {
			query = true;
		}
		out[o++] = c;
	}
	out[o] = '\0';
}

void
sp_secret_url(const char *url, char *out, size_t outlen)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	size_t end = strcspn(host, "/?#");
	const char *at = memrchr(host, '@', end);
	const char *rest = at ? at : host;
	size_t head = (size_t)(host - url);

	if (outlen == 0) {
		return;
	}
	if (!at) {
		head = 0;
		rest = url;
	}
	snprintf(out, outlen, "%.*s%s", (int)head, url, at ? "***" : "");
	head = strlen(out);
	sp_secret_query(rest, strlen(rest), out + head, outlen - head);
}
