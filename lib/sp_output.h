/*
 * What the plugin prints: the status line with its perfdata, then the
 * long output table.
 *
 * The first line says what is wrong, where and how bad, worst first; it
 * carries all perfdata after its single '|'.  Nothing from the data can
 * add a line break or a '|' anywhere.
 */
#ifndef SP_OUTPUT_H
#define SP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "sp_buf.h"
#include "sp_check.h"

/*
 * The whole plugin output for k into out.  Returns false only when
 * memory runs out.
 */
bool sp_output_format(struct sp_buf *out, const struct sp_check *k,
		      const struct sp_output_opts *o);

/*
 * The result as one JSON document (--output-format json); summary is
 * the status line without perfdata.
 */
bool sp_output_json(struct sp_buf *out, const struct sp_check *k,
		    const struct sp_output_opts *o, const char *summary);

/* A row's name for people: Service/Worker[/Tenant], cleaned. */
void sp_output_row_name(struct sp_buf *b, const struct sp_row *r,
			size_t max);


#endif /* SP_OUTPUT_H */
