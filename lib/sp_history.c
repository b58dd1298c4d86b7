/*
 * What check_sapera_stalled remembers between runs; see sp_history.h
 * and doc/stalled.md for the file format.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp_buf.h"
#include "sp_history.h"

#define SP_HISTORY_MAGIC "sapera-stalled-state"
/* A state file larger than this is not ours. */
#define SP_HISTORY_MAX_FILE ((size_t)256 << 20)

static uint64_t
sp_history_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Rebuild the key index for at least n entries. */
static bool
sp_history_reindex(struct sp_history *h, size_t n)
{
	size_t size = 64;
	size_t i;

	while (size < 2 * n + 64) {
		size *= 2;
	}
	free(h->index);
	h->index = calloc(size, sizeof(*h->index));
	if (!h->index) {
		return false;
	}
	h->mask = size - 1;
	for (i = 0; i < h->n; i++) {
		size_t k = (size_t)sp_history_hash(h->e[i].key) & h->mask;

		while (h->index[k]) {
			k = (k + 1) & h->mask;
		}
		h->index[k] = i + 1;
	}
	return true;
}

/* Index slot of key: its entry's, or the empty one where it would go. */
static size_t
sp_history_slot(const struct sp_history *h, const char *key)
{
	size_t k = (size_t)sp_history_hash(key) & h->mask;

	while (h->index[k] && strcmp(h->e[h->index[k] - 1].key, key) != 0) {
		k = (k + 1) & h->mask;
	}
	return k;
}

struct sp_history_entry *
sp_history_get(struct sp_history *h, const char *key)
{
	struct sp_history_entry *e;
	size_t k;

	if (!h->index || 2 * (h->n + 1) > h->mask) {
		if (!sp_history_reindex(h, 2 * h->n + 16)) {
			return NULL;
		}
	}
	k = sp_history_slot(h, key);
	if (h->index[k]) {
		return &h->e[h->index[k] - 1];
	}
	if (h->n == h->alloc) {
		size_t a = h->alloc ? 2 * h->alloc : 64;

		e = realloc(h->e, a * sizeof(*e));
		if (!e) {
			return NULL;
		}
		h->e = e;
		h->alloc = a;
	}
	e = &h->e[h->n];
	memset(e, 0, sizeof(*e));
	e->key = strdup(key);
	if (!e->key) {
		return NULL;
	}
	e->stall_since = -1;
	h->index[k] = ++h->n;
	return e;
}

void
sp_history_add(struct sp_history_entry *e, int64_t t,
	       const struct sp_count *c)
{
	if (e->ns == SP_HISTORY_SAMPLES) {
		memmove(e->s, e->s + 1, sizeof(e->s[0]) * (e->ns - 1));
		e->ns--;
	}
	e->s[e->ns].t = t;
	e->s[e->ns].count = *c;
	e->ns++;
}

/* Keys may hold anything; the file is one record per line. */
static void
sp_history_put_key(struct sp_buf *b, const char *key)
{
	for (; *key; key++) {
		unsigned char c = (unsigned char)*key;

		if (c <= ' ' || c == '%' || c == 0x7F) {
			sp_buf_printf(b, "%%%02X", c);
		} else {
			sp_buf_addc(b, (char)c);
		}
	}
}

static int
sp_history_hex(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Decode a key field in place; false when it is not ours. */
static bool
sp_history_get_key(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s != '%') {
			*out++ = *s;
			continue;
		}
		if (sp_history_hex(s[1]) < 0 || sp_history_hex(s[2]) < 0) {
			return false;
		}
		*out++ = (char)(sp_history_hex(s[1]) * 16 +
				sp_history_hex(s[2]));
		s += 2;
	}
	*out = '\0';
	return true;
}

static void
sp_history_put_sample(struct sp_buf *b, const struct sp_sample *s)
{
	switch (s->count.kind) {
	case SP_COUNT_NUMBER:
		sp_buf_printf(b, "%" PRId64 ":%" PRId64, s->t, s->count.value);
		break;
	case SP_COUNT_SOME:
		sp_buf_printf(b, "%" PRId64 ":s", s->t);
		break;
	default:
		sp_buf_printf(b, "%" PRId64 ":n", s->t);
		break;
	}
}

/* "T:V" into s; false when malformed. */
static bool
sp_history_get_sample(const char *text, struct sp_sample *s)
{
	char *end = NULL;

	errno = 0;
	s->t = strtoll(text, &end, 10);
	if (errno || end == text || *end != ':' || s->t < 0) {
		return false;
	}
	text = end + 1;
	if (strcmp(text, "s") == 0 || strcmp(text, "n") == 0) {
		s->count.kind = *text == 's' ? SP_COUNT_SOME : SP_COUNT_NONE;
		s->count.value = 0;
		return true;
	}
	s->count.kind = SP_COUNT_NUMBER;
	s->count.value = strtoll(text, &end, 10);
	return !errno && end != text && !*end && s->count.value >= 0;
}

/* A whole field as a decimal integer; false for anything else. */
static bool
sp_history_int(const char *text, int64_t *out)
{
	char *end = NULL;

	errno = 0;
	*out = strtoll(text, &end, 10);
	return !errno && end != text && !*end;
}

/* One "e" record: e STALL_SINCE LAST_SEEN KEY SAMPLES */
static bool
sp_history_get_entry(struct sp_history *h, char *line)
{
	char *field[5];
	char *save = NULL;
	char *tok;
	struct sp_history_entry *e;
	int64_t stall;
	int64_t seen;
	int n = 0;

	for (tok = strtok_r(line, " ", &save); tok && n < 5;
	     tok = strtok_r(NULL, " ", &save)) {
		field[n++] = tok;
	}
	if (n != 5 || tok || strcmp(field[0], "e") != 0 ||
	    !sp_history_get_key(field[3])) {
		return false;
	}
	if (!sp_history_int(field[1], &stall) ||
	    !sp_history_int(field[2], &seen) || stall < -1 || seen < 0) {
		return false;
	}
	e = sp_history_get(h, field[3]);
	if (!e) {
		return false;
	}
	e->stall_since = stall;
	e->last_seen = seen;
	e->ns = 0;
	if (strcmp(field[4], "-") == 0) {
		return true;
	}
	for (tok = strtok_r(field[4], ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct sp_sample s;

		if (!sp_history_get_sample(tok, &s)) {
			return false;
		}
		sp_history_add(e, s.t, &s.count);
	}
	return true;
}

/* Forget everything read so far: the file was not usable. */
static void
sp_history_clear(struct sp_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->e[i].key);
	}
	h->n = 0;
	if (h->index) {
		memset(h->index, 0, (h->mask + 1) * sizeof(*h->index));
	}
}

/* Parse a whole state file held in text; false when it is not valid. */
static bool
sp_history_parse(struct sp_history *h, char *text, int64_t *saved)
{
	char *save = NULL;
	char *line;
	int version = 0;

	line = strtok_r(text, "\n", &save);
	if (!line || sscanf(line, SP_HISTORY_MAGIC " %d", &version) != 1 ||
	    version != SP_HISTORY_VERSION) {
		return false;
	}
	line = strtok_r(NULL, "\n", &save);
	if (!line || sscanf(line, "saved %" SCNd64, saved) != 1) {
		return false;
	}
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		if (!sp_history_get_entry(h, line)) {
			return false;
		}
	}
	return true;
}

/* Read the state file into h, noting what was found. */
static void
sp_history_read(struct sp_history *h, const char *path, int64_t now)
{
	struct sp_buf b;
	char chunk[65536];
	int64_t saved = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		snprintf(h->note, sizeof(h->note), errno == ENOENT
			 ? "first run: no history yet"
			 : "state file unreadable (%s); started afresh",
			 strerror(errno));
		return;
	}
	sp_buf_init(&b, SP_HISTORY_MAX_FILE);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (sp_buf_add(&b, chunk, (size_t)n) != SP_BUF_OK) {
			break;
		}
	}
	close(fd);
	if (n != 0 || !b.data || !sp_history_parse(h, b.data, &saved)) {
		sp_history_clear(h);
		snprintf(h->note, sizeof(h->note),
			 "state file corrupt; started afresh");
	} else if (saved > now) {
		sp_history_clear(h);
		snprintf(h->note, sizeof(h->note), "clock went back %" PRId64
			 " s since the last run; started afresh", saved - now);
	} else {
		h->saved_at = saved;
	}
	sp_buf_free(&b);
}

enum sp_history_status
sp_history_open(struct sp_history *h, const char *path, int64_t now,
		char *err, size_t errlen)
{
	char lock[4096];

	memset(h, 0, sizeof(*h));
	h->lock_fd = -1;
	snprintf(lock, sizeof(lock), "%s.lock", path);
	h->lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			  0600);
	if (h->lock_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", lock,
			 strerror(errno));
		return SP_HISTORY_ERROR;
	}
	/* Concurrent checks wait their turn; -t bounds the wait. */
	while (flock(h->lock_fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", lock,
				 strerror(errno));
			return SP_HISTORY_ERROR;
		}
	}
	sp_history_read(h, path, now);
	return SP_HISTORY_OK;
}

/* The file text: header, then every entry seen within expire. */
static void
sp_history_format(const struct sp_history *h, struct sp_buf *b,
		  int64_t now, int64_t expire)
{
	size_t i;
	int k;

	sp_buf_printf(b, SP_HISTORY_MAGIC " %d\nsaved %" PRId64 "\n",
		      SP_HISTORY_VERSION, now);
	for (i = 0; i < h->n; i++) {
		const struct sp_history_entry *e = &h->e[i];

		if (now - e->last_seen > expire) {
			continue;
		}
		sp_buf_printf(b, "e %" PRId64 " %" PRId64 " ", e->stall_since,
			      e->last_seen);
		sp_history_put_key(b, e->key);
		sp_buf_addc(b, ' ');
		for (k = 0; k < e->ns; k++) {
			if (k) {
				sp_buf_addc(b, ',');
			}
			sp_history_put_sample(b, &e->s[k]);
		}
		sp_buf_addstr(b, e->ns ? "\n" : "-\n");
	}
}

/* Write all of len bytes; false on any error. */
static bool
sp_history_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

enum sp_history_status
sp_history_save(struct sp_history *h, const char *path, int64_t now,
		int64_t expire, char *err, size_t errlen)
{
	enum sp_history_status st = SP_HISTORY_ERROR;
	struct sp_buf b;
	char tmp[4096];
	int fd;

	sp_buf_init(&b, SP_HISTORY_MAX_FILE);
	sp_history_format(h, &b, now, expire);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);

	/* mkstemp makes the file 0600 with O_EXCL: no symlink is followed. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		goto out;
	}
	if (b.len >= b.max || !sp_history_write_all(fd, b.data, b.len) ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot replace %s: %s", path,
			 strerror(errno));
		unlink(tmp);
		goto out;
	}
	st = SP_HISTORY_OK;
out:
	sp_buf_free(&b);
	return st;
}

void
sp_history_close(struct sp_history *h)
{
	sp_history_clear(h);
	free(h->e);
	free(h->index);
	if (h->lock_fd >= 0) {
		close(h->lock_fd);	/* releases the lock */
	}
	memset(h, 0, sizeof(*h));
	h->lock_fd = -1;
}
