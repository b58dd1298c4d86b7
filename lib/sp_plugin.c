/*
 * The frame every plugin's main() uses; see sp_plugin.h.
 */
#include "config.h"

#include <locale.h>
#ifdef HAVE_MALLOPT
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sp_buf.h"
#include "sp_output.h"
#include "sp_secret.h"
#include "sp_plugin.h"

/* Seconds the alarm waits past -t before it fires. */
#define SP_PLUGIN_GRACE 2

static char sp_plugin_alarm_text[160];
static int sp_plugin_alarm_state;

static void
sp_plugin_on_alarm(int sig)
{
	ssize_t rc;

	(void)sig;
	/* Only async-signal-safe calls here: the text was made earlier. */
	rc = write(STDOUT_FILENO, sp_plugin_alarm_text,
		   strlen(sp_plugin_alarm_text));
	(void)rc;
	_exit(sp_plugin_alarm_state);
}

void
sp_plugin_deadline(const struct sp_plugin *p, const struct sp_config *c)
{
	unsigned secs = (unsigned)((c->fetch.timeout_ms + 999) / 1000);
	struct sigaction sa;

	snprintf(sp_plugin_alarm_text, sizeof(sp_plugin_alarm_text),
		 "%s %s - plugin timed out after %u s\n", p->label,
		 sp_state_name(c->timeout_state), secs);
	sp_plugin_alarm_state = c->timeout_state;
	fflush(stdout);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sp_plugin_on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(secs + SP_PLUGIN_GRACE);
}

int
sp_plugin_print(const struct sp_check *k, const struct sp_config *c)
{
	struct sp_buf out;
	int rc = (int)k->state;

	sp_buf_init(&out, (size_t)1 << 30);
	if (!sp_output_format(&out, k, &c->output)) {
		sp_buf_free(&out);
		return sp_plugin_fail(c->output.label,
				      "out of memory for the output");
	}
	alarm(0);
	sp_secret_scrub(out.data, out.len);
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	sp_buf_free(&out);
	return rc;
}

int
sp_plugin_fail(const char *label, const char *reason)
{
	char shown[512];

	alarm(0);
	snprintf(shown, sizeof(shown), "%s", reason);
	sp_secret_scrub(shown, strlen(shown));
	printf("%s UNKNOWN - %s\n", label, shown);
	fflush(stdout);
	return SP_UNKNOWN;
}

/*
 * Large blocks (bodies, token arrays, tenant lists) are mapped on their
 * own and handed back to the system when freed.  glibc would otherwise
 * raise that threshold after the first body is freed and put the next
 * ones on the heap, where what is freed between long-lived blocks
 * stays part of the process: with nine bodies of a few MiB that is
 * most of the peak.
 */
static void
sp_plugin_malloc_tune(void)
{
#ifdef HAVE_MALLOPT
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int
sp_plugin_run(const struct sp_plugin *p, int argc, char **argv)
{
	struct sp_config cfg;
	struct sp_check check;
	char err[256];
	int rc;

	/*
	 * Always the same character set, whatever the environment says, so
	 * that output does not depend on the locale while globs still fold
	 * the case of non-ASCII letters.  Numbers never use the locale.
	 */
	setlocale(LC_CTYPE, "C.UTF-8");
	sp_plugin_malloc_tune();
	sp_config_init(&cfg, p->name);
	cfg.output.noun = p->noun;
	cfg.output.perfdata = p->perfdata;
	if (p->defaults) {
		p->defaults(&cfg);
	}
	rc = sp_opts_parse(p, &cfg, argc, argv);
	if (rc >= 0) {
		goto out;
	}
	sp_plugin_deadline(p, &cfg);

	if (sp_check_fetch(&check, &cfg, err, sizeof(err)) != SP_CHECK_OK) {
		rc = sp_plugin_fail(p->label, err);
	} else if (!p->rows(&check) || !sp_check_expected(&check) ||
		   !sp_check_finish(&check)) {
		rc = sp_plugin_fail(p->label, "out of memory");
	} else {
		rc = sp_plugin_print(&check, &cfg);
	}
	sp_check_free(&check);
out:
	sp_config_free(&cfg);
	return rc;
}
