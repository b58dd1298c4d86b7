/*
 * --help text shared by the plugins.
 *
 * Options common to all plugins are described once, here, so the help
 * of every plugin (and the man pages made from it) agree.
 */
#ifndef SP_HELP_H
#define SP_HELP_H

#include "sp_opts.h"

/* The whole --help: name, purpose, usage, options, notes, examples. */
void sp_opts_help(const struct sp_plugin *p);

#endif /* SP_HELP_H */
