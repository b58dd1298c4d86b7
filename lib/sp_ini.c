/*
 * --extra-opts and the ini files behind it; see sp_ini.h.
 *
 * The option syntax, the file format and the search order are those of
 * the Monitoring Plugins, so that one plugins.ini serves both suites.
 * Where that parser guesses, this one refuses: a bad line in the
 * section being read is an error naming the file and line.  Errors
 * never quote a line, since lines hold passwords.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sp_ini.h"

#define EXTRA_OPTS "--extra-opts"
#define EXTRA_OPTS_LEN (sizeof(EXTRA_OPTS) - 1)

#define BLANKS " \t\r\v\f"
#define UTF8_BOM "\xEF\xBB\xBF"

#define STR_(x) #x
#define STR(x) STR_(x)

/* All ini options of one run; more than this is a broken file. */
#define SP_INI_OPTS_MAX (1024 * 1024)

/* Longest file name built from the environment. */
#define SP_INI_PATH_MAX 4096

/* Names tried in each directory of NAGIOS_CONFIG_PATH, in this order. */
static const char *const config_path_names[] = {
	"monitoring-plugins.ini",
	"plugins.ini",
	"nagios-plugins.ini",
	NULL
};

/*
 * Then these, in this order: the Monitoring Plugins' own list (its
 * Nagios-era names after the current ones), and ours last, so a site
 * that already keeps one plugins.ini needs no second file.
 */
const char *const sp_ini_default_files[] = {
	"/usr/local/etc/monitoring-plugins/monitoring-plugins.ini",
	"/usr/local/etc/monitoring-plugins.ini",
	"/etc/monitoring-plugins/monitoring-plugins.ini",
	"/etc/monitoring-plugins.ini",
	"/etc/nagios/plugins.ini",
	"/usr/local/nagios/etc/plugins.ini",
	"/usr/local/etc/nagios/plugins.ini",
	"/etc/opt/nagios/plugins.ini",
	"/etc/nagios-plugins.ini",
	"/usr/local/etc/nagios-plugins.ini",
	"/etc/opt/nagios-plugins.ini",
	"/etc/monitoring-plugins-sapera/sapera.ini",
	NULL
};

/* One file being read for one section. */
struct ini_parser {
	const char *path;
	const char *section;
	struct sp_buf *opts;
	unsigned long lineno;
	bool any_header;	/* a [header] was seen */
	bool in_section;	/* the last [header] was ours */
	bool found;		/* ours was seen at least once */
	char *err;
	size_t errlen;
};

enum line_status {
	LINE_OK,
	LINE_EOF,
	LINE_LONG,
	LINE_NUL,
	LINE_ERROR
};

static enum sp_ini_status fail(char *err, size_t errlen,
			       enum sp_ini_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Write the reason into err and hand back st. */
static enum sp_ini_status
fail(char *err, size_t errlen, enum sp_ini_status st, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* A syntax error at the current line. */
static enum sp_ini_status
bad_line(const struct ini_parser *p, const char *why)
{
	return fail(p->err, p->errlen, SP_INI_SYNTAX, "%s:%lu: %s", p->path,
		    p->lineno, why);
}

/* Blanks around names and values; NUL is not one. */
static bool
is_blank(char c)
{
	return c != '\0' && strchr(BLANKS, c) != NULL;
}

/* s without its leading and trailing blanks; cuts s in place. */
static char *
trim(char *s)
{
	char *end;

	while (is_blank(*s)) {
		s++;
	}
	end = s + strlen(s);
	while (end > s && is_blank(end[-1])) {
		end--;
	}
	*end = '\0';
	return s;
}

/*
 * Read one line without its newline into buf (SP_INI_LINE_MAX + 1
 * bytes).  A NUL byte would silently cut a value short, so it is
 * refused like an overlong line.
 */
static enum line_status
read_line(FILE *f, char *buf)
{
	size_t len = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0') {
			return LINE_NUL;
		}
		if (len == SP_INI_LINE_MAX) {
			return LINE_LONG;
		}
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	if (c == EOF && ferror(f)) {
		return LINE_ERROR;
	}
	if (c == EOF && len == 0) {
		return LINE_EOF;
	}
	return LINE_OK;
}

/* A "[name]" line, blanks inside the brackets ignored. */
static enum sp_ini_status
parse_header(struct ini_parser *p, char *line)
{
	size_t len = strlen(line);

	if (len < 2 || line[len - 1] != ']') {
		return bad_line(p, "not a section, comment or option");
	}
	line[len - 1] = '\0';
	p->any_header = true;
	p->in_section = strcmp(trim(line + 1), p->section) == 0;
	if (p->in_section) {
		p->found = true;
	}
	return SP_INI_OK;
}

/*
 * Whether key can name an option.  No option has blanks, and the dashes
 * are added here; the Monitoring Plugins do not nest --extra-opts and
 * neither do we, so saying so beats an "unrecognized option" later.
 */
static const char *
key_problem(const char *key)
{
	if (*key == '\0') {
		return "option without a name";
	}
	if (key[strcspn(key, BLANKS)] != '\0') {
		return "blank in an option name";
	}
	if (*key == '-') {
		return "option name starts with '-'; write it without dashes";
	}
	if (strcmp(key, "extra-opts") == 0) {
		return "--extra-opts cannot be used inside an ini file";
	}
	return NULL;
}

/* Strip one pair of double quotes around v, if it has them. */
static char *
unquote(char *v, bool *quoted)
{
	size_t len = strlen(v);

	*quoted = len >= 2 && v[0] == '"' && v[len - 1] == '"';
	if (*quoted) {
		v[len - 1] = '\0';
		v++;
	}
	return v;
}

/*
 * Append "--key=value" or "--key" (value NULL), NUL included.  A
 * one-letter key becomes a short option, "-kvalue" or "-k": that is the
 * only spelling getopt reads as -k with a value, and "--k" would be
 * taken as an abbreviation of some long option.
 */
static enum sp_ini_status
add_option(struct ini_parser *p, const char *key, const char *value)
{
	bool one = key[1] == '\0';
	const char *sep = value && !one ? "=" : "";
	enum sp_buf_status st;

	st = sp_buf_printf(p->opts, "%s%s%s%s", one ? "-" : "--", key, sep,
			   value ? value : "");
	if (st == SP_BUF_OK) {
		st = sp_buf_addc(p->opts, '\0');
	}
	if (st == SP_BUF_NOMEM) {
		return fail(p->err, p->errlen, SP_INI_NOMEM, "out of memory");
	}
	if (st != SP_BUF_OK) {
		return fail(p->err, p->errlen, SP_INI_SYNTAX,
			    "%s: options exceed %d bytes", p->path,
			    SP_INI_OPTS_MAX);
	}
	return SP_INI_OK;
}

/*
 * "key", "key =" (both flags) or "key = value" in our section.  Only
 * the first '=' splits, so values may hold '=' as URLs do; quotes keep
 * blanks at the ends and let a value be empty.
 */
static enum sp_ini_status
parse_option(struct ini_parser *p, char *line)
{
	char *eq = strchr(line, '=');
	char *value = NULL;
	const char *why;
	bool quoted = false;

	if (eq) {
		*eq = '\0';
		value = unquote(trim(eq + 1), &quoted);
	}
	line = trim(line);
	why = key_problem(line);
	if (why) {
		return bad_line(p, why);
	}
	if (value && *value == '\0' && !quoted) {
		value = NULL;
	}
	if (value && *value == '\0' && line[1] == '\0') {
		return bad_line(p, "a one-letter option cannot be empty");
	}
	return add_option(p, line, value);
}

/* One line of the file; only our section's options are looked into. */
static enum sp_ini_status
parse_line(struct ini_parser *p, char *line)
{
	if (p->lineno == 1 && strncmp(line, UTF8_BOM, 3) == 0) {
		line += 3;
	}
	line = trim(line);
	if (*line == '\0' || *line == '#' || *line == ';') {
		return SP_INI_OK;
	}
	if (*line == '[') {
		return parse_header(p, line);
	}
	if (!p->any_header) {
		return bad_line(p, "option before the first section");
	}
	/* Other sections belong to other plugins and their rules. */
	if (!p->in_section) {
		return SP_INI_OK;
	}
	return parse_option(p, line);
}

/* Parse f to its end or to the first bad line. */
static enum sp_ini_status
read_lines(FILE *f, struct ini_parser *p)
{
	char line[SP_INI_LINE_MAX + 1];
	enum sp_ini_status st = SP_INI_OK;

	while (st == SP_INI_OK) {
		p->lineno++;
		switch (read_line(f, line)) {
		case LINE_EOF:
			return SP_INI_OK;
		case LINE_LONG:
			return bad_line(p, "line longer than "
				       STR(SP_INI_LINE_MAX) " bytes");
		case LINE_NUL:
			return bad_line(p, "NUL byte");
		case LINE_ERROR:
			return fail(p->err, p->errlen, SP_INI_IO,
				    "cannot read %s: %s", p->path,
				    strerror(errno));
		case LINE_OK:
			break;
		}
		st = parse_line(p, line);
	}
	return st;
}

enum sp_ini_status
sp_ini_read_section(const char *path, const char *section,
		    struct sp_buf *opts, char *err, size_t errlen)
{
	struct ini_parser p = {
		path, section, opts, 0, false, false, false, err, errlen
	};
	enum sp_ini_status st;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		return fail(err, errlen, SP_INI_IO, "cannot open %s: %s", path,
			    strerror(errno));
	}
	st = read_lines(f, &p);
	fclose(f);
	if (st == SP_INI_OK && !p.found) {
		st = fail(err, errlen, SP_INI_NO_SECTION,
			  "section [%s] not found in %s", section, path);
	}
	return st;
}

/* "dir/name" into path, dir being len bytes; false if it does not fit. */
static bool
join_path(char *path, size_t size, const char *dir, size_t len,
	  const char *name)
{
	int n;

	if (len >= size) {
		return false;
	}
	n = snprintf(path, size, "%.*s/%s", (int)len, dir, name);
	return n >= 0 && (size_t)n < size;
}

/* The first file that exists in the directories of NAGIOS_CONFIG_PATH. */
static bool
find_in_config_path(char *path, size_t size)
{
	const char *dirs = getenv("NAGIOS_CONFIG_PATH");
	const char *const *name;
	size_t len;

	while (dirs && *dirs) {
		len = strcspn(dirs, ":");
		for (name = config_path_names; len > 0 && *name; name++) {
			if (join_path(path, size, dirs, len, *name) &&
			    access(path, F_OK) == 0) {
				return true;
			}
		}
		dirs += len + (dirs[len] == ':');
	}
	return false;
}

/*
 * The file to read when --extra-opts names none: MP_CONFIG_FILE, then
 * NAGIOS_CONFIG_PATH, then the fixed list.  The first that exists is
 * taken even if it cannot be read, so that a wrong file mode is
 * reported instead of quietly reading another file.
 */
static enum sp_ini_status
find_file(char *path, size_t size, char *err, size_t errlen)
{
	const char *env = getenv("MP_CONFIG_FILE");
	const char *const *f;

	if (env && *env) {
		if (strlen(env) >= size) {
			return fail(err, errlen, SP_INI_NOT_FOUND,
				    "MP_CONFIG_FILE is too long");
		}
		memcpy(path, env, strlen(env) + 1);
		return SP_INI_OK;
	}
	if (find_in_config_path(path, size)) {
		return SP_INI_OK;
	}
	for (f = sp_ini_default_files; *f; f++) {
		if (access(*f, F_OK) == 0) {
			snprintf(path, size, "%s", *f);
			return SP_INI_OK;
		}
	}
	return fail(err, errlen, SP_INI_NOT_FOUND,
		    "--extra-opts: no ini file in NAGIOS_CONFIG_PATH or "
		    "the default locations");
}

/*
 * Read the options an --extra-opts value names (loc NULL: no value).
 * It splits at the first '@', so a file name may hold one and a section
 * name may not.
 */
static enum sp_ini_status
read_locator(const char *plugin, const char *loc, struct sp_buf *opts,
	     char *err, size_t errlen)
{
	char section[SP_INI_LINE_MAX + 1];
	char path[SP_INI_PATH_MAX];
	const char *file = NULL;
	size_t len;
	enum sp_ini_status st;

	loc = loc ? loc : "";
	len = strcspn(loc, "@");
	if (len > SP_INI_LINE_MAX) {
		return fail(err, errlen, SP_INI_SYNTAX,
			    "--extra-opts: section name too long");
	}
	if (loc[len] == '@') {
		file = loc + len + 1;
	}
	if (file && *file == '\0') {
		return fail(err, errlen, SP_INI_SYNTAX,
			    "--extra-opts=%s: no file name after '@'", loc);
	}
	snprintf(section, sizeof(section), "%.*s", (int)len, loc);

	if (!file) {
		st = find_file(path, sizeof(path), err, errlen);
		if (st != SP_INI_OK) {
			return st;
		}
		file = path;
	}
	return sp_ini_read_section(file, len ? section : plugin, opts, err,
				   errlen);
}

/*
 * How many arguments from argv[i] make one --extra-opts: 0 when it is
 * something else, else 1, or 2 with a separate value, taken as the
 * Monitoring Plugins take it: when it does not start with '-'.  *loc
 * gets the value, NULL if there is none.
 */
static int
extra_opts_at(int argc, char **argv, int i, const char **loc)
{
	const char *a = argv[i];

	*loc = NULL;
	if (strncmp(a, EXTRA_OPTS, EXTRA_OPTS_LEN) != 0) {
		return 0;
	}
	if (a[EXTRA_OPTS_LEN] == '=') {
		*loc = a + EXTRA_OPTS_LEN + 1;
		return 1;
	}
	if (a[EXTRA_OPTS_LEN] != '\0') {
		return 0;
	}
	if (i + 1 < argc && argv[i + 1][0] != '-') {
		*loc = argv[i + 1];
		return 2;
	}
	return 1;
}

/*
 * Read the options of every --extra-opts into opts and put the other
 * arguments in keep.  After "--" nothing is an option, as for getopt.
 */
static enum sp_ini_status
collect(const char *plugin, int argc, char **argv, struct sp_buf *opts,
	char **keep, int *nkeep, char *err, size_t errlen)
{
	const char *loc;
	enum sp_ini_status st;
	int i = 1;
	int n;

	*nkeep = 0;
	while (i < argc && strcmp(argv[i], "--") != 0) {
		n = extra_opts_at(argc, argv, i, &loc);
		if (n == 0) {
			keep[(*nkeep)++] = argv[i++];
			continue;
		}
		st = read_locator(plugin, loc, opts, err, errlen);
		if (st != SP_INI_OK) {
			return st;
		}
		i += n;
	}
	while (i < argc) {
		keep[(*nkeep)++] = argv[i++];
	}
	return SP_INI_OK;
}

/*
 * The new argv and a copy of the option strings in one block, so that
 * sp_ini_free() has one thing to free whatever getopt() did to the
 * order.  NULL when memory runs out.
 */
static char **
assemble(char *argv0, const struct sp_buf *opts, char **keep, int nkeep,
	 int *out_argc)
{
	size_t nopts = 0;
	size_t nptr;
	size_t off;
	char **out;
	char *s;
	int k = 0;
	int i;

	for (off = 0; off < opts->len; off += strlen(opts->data + off) + 1) {
		nopts++;
	}
	nptr = 1 + nopts + (size_t)nkeep + 1;
	out = malloc(nptr * sizeof(*out) + opts->len);
	if (!out) {
		return NULL;
	}

	s = (char *)(out + nptr);
	if (opts->len) {
		memcpy(s, opts->data, opts->len);
	}
	out[k++] = argv0;
	for (; nopts > 0; nopts--, s += strlen(s) + 1) {
		out[k++] = s;
	}
	for (i = 0; i < nkeep; i++) {
		out[k++] = keep[i];
	}
	out[k] = NULL;
	*out_argc = k;
	return out;
}

enum sp_ini_status
sp_ini_expand(const char *plugin, int argc, char **argv, int *out_argc,
	      char ***out_argv, char *err, size_t errlen)
{
	int nfile;

	return sp_ini_expand_count(plugin, argc, argv, out_argc, out_argv,
				   &nfile, err, errlen);
}

enum sp_ini_status
sp_ini_expand_count(const char *plugin, int argc, char **argv,
		    int *out_argc, char ***out_argv, int *nfile, char *err,
		    size_t errlen)
{
	struct sp_buf opts;
	char **keep;
	int nkeep = 0;
	enum sp_ini_status st;

	*out_argc = 0;
	*out_argv = NULL;
	*nfile = 0;
	if (argc < 1) {
		return fail(err, errlen, SP_INI_SYNTAX, "empty argv");
	}
	keep = malloc((size_t)argc * sizeof(*keep));
	if (!keep) {
		return fail(err, errlen, SP_INI_NOMEM, "out of memory");
	}
	sp_buf_init(&opts, SP_INI_OPTS_MAX);

	st = collect(plugin, argc, argv, &opts, keep, &nkeep, err, errlen);
	if (st != SP_INI_OK) {
		goto out;
	}
	*out_argv = assemble(argv[0], &opts, keep, nkeep, out_argc);
	if (!*out_argv) {
		st = fail(err, errlen, SP_INI_NOMEM, "out of memory");
	} else {
		*nfile = *out_argc - 1 - nkeep;
	}
out:
	sp_buf_free(&opts);
	free(keep);
	return st;
}

void
sp_ini_free(char **argv)
{
	free(argv);
}
