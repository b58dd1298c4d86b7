/*
 * What check_sapera_stalled remembers between runs: per row, since when
 * it has been stuck and its recent run counts.
 *
 * One file per check identity, in a small versioned text format (see
 * doc/stalled.md).  It is read and written under an exclusive lock and
 * replaced atomically, so checks running at the same time lose nothing;
 * a file that cannot be read is reported and started afresh, never an
 * error for the whole check.
 */
#ifndef SP_HISTORY_H
#define SP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sp_report.h"

#define SP_HISTORY_VERSION 1
#define SP_HISTORY_SAMPLES 32	/* per row; older ones are dropped */

struct sp_sample {
	int64_t t;		/* seconds since the epoch */
	struct sp_count count;
};

struct sp_history_entry {
	char *key;		/* service \t worker \t tenant */
	int64_t stall_since;	/* -1 when not stuck */
	int64_t last_seen;
	struct sp_sample s[SP_HISTORY_SAMPLES];
	int ns;
};

struct sp_history {
	struct sp_history_entry *e;
	size_t n;
	size_t alloc;
	size_t *index;		/* hash of keys: entry + 1, 0 empty */
	size_t mask;
	int64_t saved_at;	/* when the file was written, 0 if new */
	char note[256];		/* what loading found, for long output */
	int lock_fd;
};

enum sp_history_status {
	SP_HISTORY_OK = 0,
	SP_HISTORY_ERROR	/* err says why */
};

/*
 * Lock path and read it.  A missing, corrupt or future-dated file gives
 * an empty history and a note; only a failure to lock or to make the
 * directory usable is an error.
 */
enum sp_history_status sp_history_open(struct sp_history *h,
				       const char *path, int64_t now,
				       char *err, size_t errlen);

/* The entry for key, added empty when new; NULL when memory runs out. */
struct sp_history_entry *sp_history_get(struct sp_history *h,
					const char *key);

/* Append a sample, dropping the oldest when full. */
void sp_history_add(struct sp_history_entry *e, int64_t t,
		    const struct sp_count *c);

/*
 * Write entries seen within expire seconds to path atomically (temporary
 * file, fsync, rename), mode 0600.  Then unlock.
 */
enum sp_history_status sp_history_save(struct sp_history *h,
				       const char *path, int64_t now,
				       int64_t expire, char *err,
				       size_t errlen);

/* Unlock and free. */
void sp_history_close(struct sp_history *h);

#endif /* SP_HISTORY_H */
