/*
 * Unit tests for lib/sp_ini.c: --extra-opts and the ini files behind it.
 *
 * The read table gives a file's bytes, the section asked for, and the
 * status, options and error text that must come of it: the syntax the
 * Monitoring Plugins accept, the lines refused, and how errors read.
 * The expand table gives command lines against files in a scratch
 * directory, NAGIOS_CONFIG_PATH and MP_CONFIG_FILE included, and the
 * argv that must result.  A last test runs getopt_long() over a result
 * to show that the command line overrides the file.
 */
#include "config.h"

#include "unit.h"

#include <ftw.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp_buf.h"
#include "sp_ini.h"

#define OK SP_INI_OK
#define NOT_FOUND SP_INI_NOT_FOUND
#define IO SP_INI_IO
#define NO_SECTION SP_INI_NO_SECTION
#define SYNTAX SP_INI_SYNTAX

#define PLUGIN "check_sapera_workers"
#define MAX_ARGS 12

/* The file every read row is written to, in the scratch directory. */
#define CASE_FILE "case.ini"

/* Where the tests run, and where they came from. */
static char scratch[] = "/tmp/test_ini.XXXXXX";
static char home[4096];

/* Files of the expand rows. */
static const struct {
	const char *path;
	const char *text;
} fixtures[] = {
	{ "a.ini", "# for the expand rows\n"
		   "[" PLUGIN "]\nwarning=1\nverbose\n"
		   "[other]\ncritical=2\n"
		   "[third]\nworker=x\nworker=y\n" },
	{ "x@y.ini", "[" PLUGIN "]\nfrom=at-sign\n" },
	{ "mp.ini", "[" PLUGIN "]\nfrom=mp-config-file\n" },
	{ "d1/plugins.ini", "[" PLUGIN "]\nfrom=d1-plugins\n"
			    "[other]\nfrom=d1-other\n" },
	{ "d2/monitoring-plugins.ini", "[" PLUGIN "]\nfrom=d2-monitoring\n" },
	{ "d2/plugins.ini", "[" PLUGIN "]\nfrom=d2-plugins\n" },
	{ "d2/nagios-plugins.ini", "[" PLUGIN "]\nfrom=d2-nagios\n" },
	{ "d3/nagios-plugins.ini", "[" PLUGIN "]\nfrom=d3-nagios\n" },
};

struct read_case {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *section;
	enum sp_ini_status status;
	const char *opts[6];	/* NULL-terminated, when OK */
	const char *err;	/* exact text, or NULL not to check */
};

static const struct read_case read_cases[] = {
	/* What a section may hold. */
	{ "plain", "[s]\nkey=value\n", 0, "s", OK, { "--key=value" }, NULL },
	{ "blanks", "  [  s  ]  \n\t key \t=\t value  \n", 0, "s", OK,
	  { "--key=value" }, NULL },
	{ "flags", "[s]\nverbose\nempty=\nspaced =  \n", 0, "s", OK,
	  { "--verbose", "--empty", "--spaced" }, NULL },
	{ "one letter", "[s]\nv\nw=5\nc = 10:\n", 0, "s", OK,
	  { "-v", "-w5", "-c10:" }, NULL },
	{ "quotes", "[s]\nqa=\" x y \"\nqb=\"\"\nqc=\"half\nqd=\"\n", 0, "s",
	  OK, { "--qa= x y ", "--qb=", "--qc=\"half", "--qd=\"" }, NULL },
	{ "first = splits", "[s]\nurl=http://h/?a=b&c==d\nhdr = X-A: b=c\n", 0,
	  "s", OK, { "--url=http://h/?a=b&c==d", "--hdr=X-A: b=c" }, NULL },
	{ "comments", "# top\n; top\n[s]\n  # in\n\t; in\nkey=v # kept\n"
		      "hash=;x\n", 0, "s", OK,
	  { "--key=v # kept", "--hash=;x" }, NULL },
	{ "repeated key", "[s]\nworker=a\nworker=b\nworker=a\n", 0, "s", OK,
	  { "--worker=a", "--worker=b", "--worker=a" }, NULL },
	{ "section twice", "[s]\na1=1\n[t]\nbb=2\n[s]\ncc=3\n", 0, "s", OK,
	  { "--a1=1", "--cc=3" }, NULL },
	{ "section with a blank", "[check x]\nkey=v\n", 0, "check x", OK,
	  { "--key=v" }, NULL },
	{ "empty section", "[s]\n[t]\nkey=v\n", 0, "s", OK, { NULL }, NULL },
	{ "CRLF", "[s]\r\nkey=v\r\nflag\r\n", 0, "s", OK,
	  { "--key=v", "--flag" }, NULL },
	{ "no last newline", "[s]\nkey=v", 0, "s", OK, { "--key=v" }, NULL },
	{ "byte order mark", "\xEF\xBB\xBF[s]\nkey=v\n", 0, "s", OK,
	  { "--key=v" }, NULL },
	/* Other sections follow other plugins' rules: only headers count. */
	{ "others skipped", "[t]\n=junk\njunk line\n--x\n[s]\nkey=v\n[u]\n=\n",
	  0, "s", OK, { "--key=v" }, NULL },

	/* Sections that are not there. */
	{ "section missing", "[t]\nkey=v\n", 0, "s", NO_SECTION, { NULL },
	  "section [s] not found in " CASE_FILE },
	{ "case matters", "[S]\nkey=v\n", 0, "s", NO_SECTION, { NULL }, NULL },
	{ "empty file", "", 0, "s", NO_SECTION, { NULL }, NULL },
	{ "only comments", "# [s]\n; [s]\n", 0, "s", NO_SECTION, { NULL },
	  NULL },

	/* Lines that are not a section, comment or option. */
	{ "before any section", "key=v\n[s]\n", 0, "s", SYNTAX, { NULL },
	  CASE_FILE ":1: option before the first section" },
	{ "empty key", "[s]\n = v\n", 0, "s", SYNTAX, { NULL },
	  CASE_FILE ":2: option without a name" },
	{ "blank in key", "[s]\nsome thing=v\n", 0, "s", SYNTAX, { NULL },
	  CASE_FILE ":2: blank in an option name" },
	{ "free text", "[s]\nthis is no option\n", 0, "s", SYNTAX, { NULL },
	  NULL },
	{ "dashes", "[s]\n--warning=1\n", 0, "s", SYNTAX, { NULL }, NULL },
	{ "nested", "[s]\nextra-opts=x@y\n", 0, "s", SYNTAX, { NULL }, NULL },
	{ "open header", "[s\nkey=v\n", 0, "s", SYNTAX, { NULL },
	  CASE_FILE ":1: not a section, comment or option" },
	{ "text after header", "[s] x\n", 0, "s", SYNTAX, { NULL }, NULL },
	{ "bad header elsewhere", "[s]\nkey=v\n[t\n", 0, "s", SYNTAX, { NULL },
	  CASE_FILE ":3: not a section, comment or option" },
	{ "empty short value", "[s]\nw=\"\"\n", 0, "s", SYNTAX, { NULL },
	  NULL },
	{ "NUL byte", "[s]\nkey=v\0w\n", 12, "s", SYNTAX, { NULL },
	  CASE_FILE ":2: NUL byte" },
};

static bool
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f) {
		return false;
	}
	ok = fwrite(text, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* Whether the options in b are exactly want, in order. */
static bool
same_opts(const struct sp_buf *b, const char *const *want)
{
	size_t off = 0;

	for (; *want; want++) {
		if (off >= b->len || strcmp(b->data + off, *want) != 0) {
			return false;
		}
		off += strlen(b->data + off) + 1;
	}
	return off == b->len;
}

/* Run one read row; print why it is wrong and return false if it is. */
static bool
check_read(const struct read_case *t)
{
	size_t len = t->len ? t->len : strlen(t->text);
	struct sp_buf b;
	char err[512] = "";
	enum sp_ini_status st;
	bool ok = true;

	assert_true(write_file(CASE_FILE, t->text, len));
	sp_buf_init(&b, 1 << 20);
	st = sp_ini_read_section(CASE_FILE, t->section, &b, err, sizeof(err));
	if (st != t->status) {
		note("%s: status %d, want %d (%s)\n", t->name, (int)st,
		     (int)t->status, err);
		ok = false;
	} else if (st == OK && !same_opts(&b, t->opts)) {
		note("%s: wrong options\n", t->name);
		ok = false;
	} else if (st != OK && (!err[0] || (t->err && strcmp(err, t->err)))) {
		note("%s: error '%s', want '%s'\n", t->name, err,
		     t->err ? t->err : "some text");
		ok = false;
	}
	sp_buf_free(&b);
	return ok;
}

static void
test_ini_read(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(read_cases); i++) {
		if (!check_read(&read_cases[i])) {
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/*
 * SP_INI_LINE_MAX bytes fit, one more does not, wherever the line is:
 * the limit is the reader's, not the section's.
 */
static void
test_ini_long_line(void **state)
{
	static const struct {
		size_t len;
		const char *section;
		enum sp_ini_status status;
	} rows[] = {
		{ SP_INI_LINE_MAX - 1, "s", OK },
		{ SP_INI_LINE_MAX, "s", OK },
		{ SP_INI_LINE_MAX + 1, "s", SYNTAX },
		{ 3 * SP_INI_LINE_MAX, "s", SYNTAX },
		{ SP_INI_LINE_MAX + 1, "t", SYNTAX },
	};
	char *text = malloc(4 + 3 * SP_INI_LINE_MAX + 1);
	char err[512];
	struct sp_buf b;
	size_t i;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < NELEM(rows); i++) {
		memcpy(text, "[s]\nk=", 6);
		memset(text + 6, 'x', rows[i].len - 2);
		text[4 + rows[i].len] = '\n';
		assert_true(write_file(CASE_FILE, text, 4 + rows[i].len + 1));
		sp_buf_init(&b, 1 << 20);
		assert_int_equal(sp_ini_read_section(CASE_FILE,
						     rows[i].section, &b, err,
						     sizeof(err)),
				 rows[i].status);
		if (rows[i].status == OK) {
			assert_int_equal(b.len, rows[i].len + 1);
		} else {
			assert_string_equal(err, CASE_FILE ":2: line longer "
						 "than 4096 bytes");
		}
		sp_buf_free(&b);
	}
	free(text);
}

/* Files that are not there, or not files. */
static void
test_ini_read_io(void **state)
{
	struct sp_buf b;
	char err[512];

	(void)state;
	sp_buf_init(&b, 1 << 20);
	assert_int_equal(sp_ini_read_section("nosuch.ini", "s", &b, err,
					     sizeof(err)),
			 IO);
	assert_string_equal(err, "cannot open nosuch.ini: No such file or "
				 "directory");
	assert_int_equal(sp_ini_read_section("d1", "s", &b, err, sizeof(err)),
			 IO);
	assert_string_equal(err, "cannot read d1: Is a directory");
	assert_int_equal(b.len, 0);
	sp_buf_free(&b);
}

/* A file the user may not read; root reads anything (see main). */
static void
test_ini_unreadable(void **state)
{
	struct sp_buf b;
	char err[512];

	(void)state;
	if (geteuid() == 0) {
		return;
	}
	assert_true(write_file("secret.ini", "[s]\nk=v\n", 8));
	assert_int_equal(chmod("secret.ini", 0), 0);
	sp_buf_init(&b, 1 << 20);
	assert_int_equal(sp_ini_read_section("secret.ini", "s", &b, err,
					     sizeof(err)),
			 IO);
	assert_string_equal(err, "cannot open secret.ini: Permission denied");
	sp_buf_free(&b);
}

struct expand_case {
	const char *name;
	const char *config_path;	/* NAGIOS_CONFIG_PATH, NULL: unset */
	const char *config_file;	/* MP_CONFIG_FILE, NULL: unset */
	const char *argv[MAX_ARGS];	/* NULL-terminated */
	enum sp_ini_status status;
	const char *want[MAX_ARGS];	/* NULL-terminated, when OK */
	const char *err;		/* exact text, or NULL */
};

static const struct expand_case expand_cases[] = {
	/* Without --extra-opts: a copy. */
	{ "program only", NULL, NULL, { "prog" }, OK, { "prog" }, NULL },
	{ "no extra-opts", NULL, NULL, { "prog", "-w", "1", "--warning=2" },
	  OK, { "prog", "-w", "1", "--warning=2" }, NULL },
	{ "after --", NULL, NULL, { "prog", "--", "--extra-opts=@a.ini" }, OK,
	  { "prog", "--", "--extra-opts=@a.ini" }, NULL },
	{ "similar names", NULL, NULL,
	  { "prog", "--extra-optsx", "--extra-opt=@a.ini" }, OK,
	  { "prog", "--extra-optsx", "--extra-opt=@a.ini" }, NULL },

	/* With a file: ini options first, each occurrence in order. */
	{ "only @FILE", NULL, NULL, { "prog", "--extra-opts=@a.ini" }, OK,
	  { "prog", "--warning=1", "--verbose" }, NULL },
	{ "ini before command line", NULL, NULL,
	  { "prog", "-c", "3", "--extra-opts=other@a.ini", "-v" }, OK,
	  { "prog", "--critical=2", "-c", "3", "-v" }, NULL },
	{ "two, in order", NULL, NULL,
	  { "prog", "--extra-opts=third@a.ini", "-v",
	    "--extra-opts=other@a.ini" }, OK,
	  { "prog", "--worker=x", "--worker=y", "--critical=2", "-v" }, NULL },
	{ "separate value", NULL, NULL,
	  { "prog", "--extra-opts", "other@a.ini", "-v" }, OK,
	  { "prog", "--critical=2", "-v" }, NULL },
	{ "@ in file name", NULL, NULL, { "prog", "--extra-opts=@x@y.ini" },
	  OK, { "prog", "--from=at-sign" }, NULL },

	/* Without a file: the search. */
	{ "no value", "d1", NULL, { "prog", "--extra-opts" }, OK,
	  { "prog", "--from=d1-plugins" }, NULL },
	{ "empty value", "d1", NULL, { "prog", "--extra-opts=" }, OK,
	  { "prog", "--from=d1-plugins" }, NULL },
	{ "empty separate value", "d1", NULL, { "prog", "--extra-opts", "" },
	  OK, { "prog", "--from=d1-plugins" }, NULL },
	{ "option is no value", "d1", NULL, { "prog", "--extra-opts", "-v" },
	  OK, { "prog", "--from=d1-plugins", "-v" }, NULL },
	{ "only SECTION", "d1", NULL, { "prog", "--extra-opts=other" }, OK,
	  { "prog", "--from=d1-other" }, NULL },
	{ "missing directories", "nodir::d1:", NULL,
	  { "prog", "--extra-opts" }, OK, { "prog", "--from=d1-plugins" },
	  NULL },
	{ "first directory wins", "d3:d1", NULL, { "prog", "--extra-opts" },
	  OK, { "prog", "--from=d3-nagios" }, NULL },
	{ "names in order", "d2", NULL, { "prog", "--extra-opts" }, OK,
	  { "prog", "--from=d2-monitoring" }, NULL },
	{ "MP_CONFIG_FILE first", "d1", "mp.ini", { "prog", "--extra-opts" },
	  OK, { "prog", "--from=mp-config-file" }, NULL },
	{ "MP_CONFIG_FILE missing", "d1", "nosuch.ini",
	  { "prog", "--extra-opts" }, IO, { NULL },
	  "cannot open nosuch.ini: No such file or directory" },

	/* Errors. */
	{ "missing file", NULL, NULL, { "prog", "--extra-opts=@nosuch.ini" },
	  IO, { NULL }, "cannot open nosuch.ini: No such file or directory" },
	{ "missing section", NULL, NULL,
	  { "prog", "--extra-opts=nosuch@a.ini" }, NO_SECTION, { NULL },
	  "section [nosuch] not found in a.ini" },
	{ "missing default section", "d1", NULL,
	  { "prog", "--extra-opts=third" }, NO_SECTION, { NULL },
	  "section [third] not found in d1/plugins.ini" },
	{ "no file after @", NULL, NULL, { "prog", "--extra-opts=other@" },
	  SYNTAX, { NULL }, "--extra-opts=other@: no file name after '@'" },
	{ "second one fails", NULL, NULL,
	  { "prog", "--extra-opts=@a.ini", "--extra-opts=x@a.ini" },
	  NO_SECTION, { NULL }, "section [x] not found in a.ini" },
};

static void
set_env(const char *name, const char *value)
{
	if (value) {
		assert_int_equal(setenv(name, value, 1), 0);
	} else {
		assert_int_equal(unsetenv(name), 0);
	}
}

/* Whether argv is exactly want, both NULL-terminated. */
static bool
same_argv(int argc, char **argv, const char *const *want)
{
	int i;

	for (i = 0; i < argc && want[i]; i++) {
		if (!argv[i] || strcmp(argv[i], want[i]) != 0) {
			return false;
		}
	}
	return i == argc && !want[i] && !argv[i];
}

/* Run one expand row; print why it is wrong and return false if it is. */
static bool
check_expand(const struct expand_case *t)
{
	char *args[MAX_ARGS];
	char **out = NULL;
	char err[512] = "";
	int argc = 0;
	int out_argc = -1;
	enum sp_ini_status st;
	bool ok = true;

	while (t->argv[argc]) {
		args[argc] = (char *)t->argv[argc];
		argc++;
	}
	args[argc] = NULL;
	set_env("NAGIOS_CONFIG_PATH", t->config_path);
	set_env("MP_CONFIG_FILE", t->config_file);

	st = sp_ini_expand(PLUGIN, argc, args, &out_argc, &out, err,
			   sizeof(err));
	if (st != t->status) {
		note("%s: status %d, want %d (%s)\n", t->name, (int)st,
		     (int)t->status, err);
		ok = false;
	} else if (st == OK && !same_argv(out_argc, out, t->want)) {
		note("%s: wrong argv\n", t->name);
		ok = false;
	} else if (st != OK && (out || out_argc != 0 ||
				(t->err && strcmp(err, t->err) != 0))) {
		note("%s: error '%s', want '%s'\n", t->name, err,
		     t->err ? t->err : "some text");
		ok = false;
	}
	sp_ini_free(out);
	return ok;
}

static void
test_ini_expand(void **state)
{
	size_t failed = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(expand_cases); i++) {
		if (!check_expand(&expand_cases[i])) {
			failed++;
		}
	}
	set_env("NAGIOS_CONFIG_PATH", NULL);
	set_env("MP_CONFIG_FILE", NULL);
	assert_int_equal(failed, 0);
}

/*
 * The plugin keeps pointers into argv for the whole run: arguments that
 * stay must be the caller's own, not copies.
 */
static void
test_ini_keeps_pointers(void **state)
{
	char a0[] = "prog", a1[] = "-w", a2[] = "1";
	char a3[] = "--extra-opts=other@a.ini", a4[] = "--", a5[] = "x";
	char *args[] = { a0, a1, a2, a3, a4, a5, NULL };
	char **out;
	char err[512];
	int n;

	(void)state;
	assert_int_equal(sp_ini_expand(PLUGIN, 6, args, &n, &out, err,
				       sizeof(err)),
			 OK);
	assert_int_equal(n, 6);
	assert_ptr_equal(out[0], a0);
	assert_string_equal(out[1], "--critical=2");
	assert_ptr_equal(out[2], a1);
	assert_ptr_equal(out[3], a2);
	assert_ptr_equal(out[4], a4);
	assert_ptr_equal(out[5], a5);
	assert_null(out[6]);
	sp_ini_free(out);
}

/*
 * What the order is for: with getopt_long() over the result, a
 * single-valued option from the command line beats the file's, and a
 * repeatable one collects both.
 */
static void
test_ini_command_line_wins(void **state)
{
	static const struct option longopts[] = {
		{ "warning", required_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "worker", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	char *args[] = { "prog", "--extra-opts=@a.ini", "-w", "5",
			 "--worker=z", "--extra-opts", "third@a.ini", "-v",
			 NULL };
	char workers[64] = "";
	const char *warning = NULL;
	int verbose = 0;
	char **out;
	char err[512];
	int n;
	int c;

	(void)state;
	assert_int_equal(sp_ini_expand(PLUGIN, 8, args, &n, &out, err,
				       sizeof(err)),
			 OK);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(n, out, "w:vW:", longopts, NULL)) != -1) {
		if (c == 'w') {
			warning = optarg;
		} else if (c == 'v') {
			verbose++;
		} else if (c == 'W') {
			strcat(workers, optarg);
		} else {
			fail_msg("unexpected option %c", c);
		}
	}
	assert_string_equal(warning, "5");
	assert_int_equal(verbose, 2);
	assert_string_equal(workers, "xyz");
	sp_ini_free(out);
}

static bool
default_file_exists(void)
{
	size_t i;

	for (i = 0; sp_ini_default_files[i]; i++) {
		if (access(sp_ini_default_files[i], F_OK) == 0) {
			return true;
		}
	}
	return false;
}

/* No file anywhere; main() skips this where a default file exists. */
static void
test_ini_none_found(void **state)
{
	char *args[] = { "prog", "--extra-opts", NULL };
	char **out = NULL;
	char err[512];
	int n = -1;

	(void)state;
	if (default_file_exists()) {
		return;
	}
	set_env("NAGIOS_CONFIG_PATH", "nodir");
	set_env("MP_CONFIG_FILE", NULL);
	assert_int_equal(sp_ini_expand(PLUGIN, 2, args, &n, &out, err,
				       sizeof(err)),
			 NOT_FOUND);
	assert_string_equal(err, "--extra-opts: no ini file in "
				 "NAGIOS_CONFIG_PATH or the default locations");
	assert_null(out);
	assert_int_equal(n, 0);
	set_env("NAGIOS_CONFIG_PATH", NULL);
}

/* A scratch directory holding the fixtures, made the working one. */
static int
setup(void **state)
{
	size_t i;

	(void)state;
	if (!getcwd(home, sizeof(home)) || !mkdtemp(scratch) ||
	    chdir(scratch) != 0) {
		return -1;
	}
	if (mkdir("d1", 0700) || mkdir("d2", 0700) || mkdir("d3", 0700)) {
		return -1;
	}
	for (i = 0; i < NELEM(fixtures); i++) {
		if (!write_file(fixtures[i].path, fixtures[i].text,
				strlen(fixtures[i].text))) {
			return -1;
		}
	}
	return 0;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag,
	     struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	if (chdir(home) != 0) {
		return -1;
	}
	return nftw(scratch, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini_read),
		cmocka_unit_test(test_ini_long_line),
		cmocka_unit_test(test_ini_read_io),
		cmocka_unit_test(test_ini_expand),
		cmocka_unit_test(test_ini_keeps_pointers),
		cmocka_unit_test(test_ini_command_line_wins),
		cmocka_unit_test(test_ini_unreadable),
		cmocka_unit_test(test_ini_none_found),
	};

	/*
	 * cmocka 1.1.5 reports skip() as "not ok ... # SKIP", which the
	 * automake TAP driver counts as a failure; a SKIP directive in the
	 * name of a passing test is read as the skip it is.
	 */
	if (geteuid() == 0) {
		tests[NELEM(tests) - 2].name = "test_ini_unreadable # SKIP "
					       "root reads any file";
	}
	if (default_file_exists()) {
		tests[NELEM(tests) - 1].name = "test_ini_none_found # SKIP "
					       "a default ini file exists";
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
