/*
 * Plugin states and the order in which they win.
 *
 * The exit codes are the Monitoring Plugins ones.  When rows disagree
 * the overall state is the worst in the order CRITICAL > WARNING >
 * UNKNOWN > OK: a real alarm must not hide behind one unreadable row.
 */
#ifndef SP_STATE_H
#define SP_STATE_H

#include <stdbool.h>

enum sp_state {
	SP_OK = 0,
	SP_WARNING = 1,
	SP_CRITICAL = 2,
	SP_UNKNOWN = 3
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *sp_state_name(enum sp_state s);

/* Read "ok", "warning", ... (any case) or "0".."3"; false if neither. */
bool sp_state_parse(const char *text, enum sp_state *s);

/* Severity rank: 0 OK, 1 UNKNOWN, 2 WARNING, 3 CRITICAL. */
int sp_state_rank(enum sp_state s);

/* The worse of a and b by that rank. */
enum sp_state sp_state_worst(enum sp_state a, enum sp_state b);

#endif /* SP_STATE_H */
