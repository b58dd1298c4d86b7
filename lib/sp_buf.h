/*
 * Growable byte buffers with a hard cap.
 *
 * Response bodies and output text both grow here.  The cap is what keeps
 * a hostile or runaway server from taking all memory: an append that
 * would pass it fails and leaves the buffer as it was.
 */
#ifndef SP_BUF_H
#define SP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sp_buf {
	char *data;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t alloc;
	size_t max;	/* largest len allowed */
};

enum sp_buf_status {
	SP_BUF_OK = 0,
	SP_BUF_TOO_BIG,
	SP_BUF_NOMEM
};

void sp_buf_init(struct sp_buf *b, size_t max);
void sp_buf_free(struct sp_buf *b);
void sp_buf_reset(struct sp_buf *b);

/* Append len bytes; fails without change when the cap would be passed. */
enum sp_buf_status sp_buf_add(struct sp_buf *b, const void *p, size_t len);
enum sp_buf_status sp_buf_addc(struct sp_buf *b, char c);
enum sp_buf_status sp_buf_addstr(struct sp_buf *b, const char *s);
enum sp_buf_status sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum sp_buf_status sp_buf_vprintf(struct sp_buf *b, const char *fmt,
				  va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Make room for need more bytes in one allocation of just that size, as
 * when the whole length is known ahead; later appends grow as usual.
 */
enum sp_buf_status sp_buf_reserve(struct sp_buf *b, size_t need);

/* The text so far; never NULL, "" for an empty buffer. */
const char *sp_buf_str(const struct sp_buf *b);

/* Hand the memory to the caller (who frees it) and empty the buffer. */
char *sp_buf_take(struct sp_buf *b);

#endif /* SP_BUF_H */
