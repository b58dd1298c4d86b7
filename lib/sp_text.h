/*
 * Text from the wire made safe for plugin output, and name matching.
 *
 * Worker and tenant names come from the services and may hold anything.
 * In output they must not break the one-line status, the single '|'
 * before perfdata, or a UTF-8 reader.
 */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "sp_buf.h"

/*
 * Append s to b for display: invalid UTF-8 becomes U+FFFD, control
 * characters and '|' become '?', and the text is cut after max bytes
 * with "...".  Returns false when b is full.
 */
bool sp_text_add_clean(struct sp_buf *b, const char *s, size_t max);

/*
 * Append s as a perfdata label part: only letters, digits and
 * "_.-/#@" pass; everything else becomes '_'.
 */
bool sp_text_add_label(struct sp_buf *b, const char *s, size_t max);

/*
 * Append s as a JSON string, quotes included: control characters are
 * escaped and invalid UTF-8 becomes \ufffd.  NULL gives null.
 */
bool sp_text_add_json(struct sp_buf *b, const char *s);

/* Shell glob match ignoring case, as the selection options want. */
bool sp_text_glob(const char *pattern, const char *s);

/* Case-insensitive equality of ASCII names. */
bool sp_text_iequal(const char *a, const char *b);

/* Bytes of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t sp_text_utf8_len(const unsigned char *s, size_t n);

#endif /* SP_TEXT_H */
