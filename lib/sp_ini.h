/*
 * --extra-opts: plugin options kept in an ini file, as the Monitoring
 * Plugins read them.
 *
 * Tokens, passwords and long URL lists do not belong on a command line
 * that every user can read in the process table.  --extra-opts names a
 * section of an ini file instead; each key in it becomes an option in
 * front of the command-line ones, so that what is typed there wins.
 */
#ifndef SP_INI_H
#define SP_INI_H

#include <stddef.h>

#include "sp_buf.h"

/* Longest line an ini file may hold, not counting its newline. */
#define SP_INI_LINE_MAX 4096

enum sp_ini_status {
	SP_INI_OK = 0,
	SP_INI_NOT_FOUND,	/* no file given and none in the search path */
	SP_INI_IO,		/* the file cannot be opened or read */
	SP_INI_NO_SECTION,	/* the file has no such section */
	SP_INI_SYNTAX,		/* a bad line, or a bad --extra-opts value */
	SP_INI_NOMEM
};

/*
 * Replace every --extra-opts[=[SECTION][@FILE]] in argv (also
 * "--extra-opts ARG" when ARG does not start with '-'; nothing after
 * "--" counts) by the options of its section.  The new argv holds
 * argv[0], the ini options of each occurrence in order, then the other
 * arguments in order; it is NULL-terminated.  SECTION defaults to
 * plugin; without FILE the file is searched for (see README).
 *
 * Arguments that are kept are the caller's own pointers; the array and
 * the ini options live until sp_ini_free(*out_argv), which is also what
 * releases the copy made when there is no --extra-opts.  On failure
 * *out_argv is NULL and err holds one line.
 */
/*
 * The files tried, in order, when --extra-opts names none and neither
 * MP_CONFIG_FILE nor NAGIOS_CONFIG_PATH leads to one; NULL-terminated.
 */
extern const char *const sp_ini_default_files[];

enum sp_ini_status sp_ini_expand(const char *plugin, int argc, char **argv,
				 int *out_argc, char ***out_argv, char *err,
				 size_t errlen);

/*
 * The same, also telling in *nfile how many arguments came from ini
 * files: (*out_argv)[1] up to that many, one option in each.
 */
enum sp_ini_status sp_ini_expand_count(const char *plugin, int argc,
				       char **argv, int *out_argc,
				       char ***out_argv, int *nfile,
				       char *err, size_t errlen);

/* Release an argv from sp_ini_expand(); NULL is allowed. */
void sp_ini_free(char **argv);

/*
 * Append the options of every [section] in the file at path to opts,
 * each one NUL-terminated: "--key=value", "--key" for a flag, "-kvalue"
 * and "-k" for one-letter keys.  A missing section, an unreadable file
 * and a bad line are errors; an empty section is not.
 */
enum sp_ini_status sp_ini_read_section(const char *path,
				       const char *section,
				       struct sp_buf *opts, char *err,
				       size_t errlen);

#endif /* SP_INI_H */
