/*
 * Performance data for the status line.
 */
#ifndef SP_PERFDATA_H
#define SP_PERFDATA_H

#include <stdbool.h>

#include "sp_buf.h"
#include "sp_check.h"

/* All perfdata of k as o asks for it, without the leading '|'. */
bool sp_perfdata_format(struct sp_buf *b, const struct sp_check *k,
			const struct sp_output_opts *o);

/* A range's text, or nothing for no range. */
void sp_perfdata_range(struct sp_buf *b, const struct sp_range *r);

#endif /* SP_PERFDATA_H */
