/* SPDX-License-Identifier: GPL-2.0 */
/* What the s2sctl command files share: exit codes, the command table
 * type, messages.
 */
#ifndef S2S_HELPER_S2SCTL_H
#define S2S_HELPER_S2SCTL_H

#include <stdbool.h>
#include <stddef.h>

#include "client.h"

enum {
	S2SCTL_OK = 0,
	S2SCTL_FAIL = 1,
	S2SCTL_USAGE = 2,
};

/**
 * struct s2sctl_cmd - a command: add one row per new operation
 * @name: its word
 * @run: gets the arguments after the name; returns an exit status
 * @args: synopsis of the arguments; '\n' continues it on a new line
 * @help: one line for `s2sctl help`, or NULL
 * @sub: subcommands ("sa add", ...); @run is then NULL
 * @n_sub: entries in @sub
 */
struct s2sctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
	const struct s2sctl_cmd *sub;
	size_t n_sub;
};

int s2sctl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int s2sctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool s2sctl_is_json_opt(const char *arg);
int s2sctl_open(struct s2s_client *c);

/* The commands, one file per group; the table is in s2sctl.c. */
int s2sctl_link_set(int argc, char **argv);
int s2sctl_sa_add(int argc, char **argv);
int s2sctl_sa_set(int argc, char **argv);
int s2sctl_sa_del(int argc, char **argv);
int s2sctl_sa_flush(int argc, char **argv);
int s2sctl_sa_show(int argc, char **argv);
int s2sctl_sa_get(int argc, char **argv);
int s2sctl_monitor(int argc, char **argv);

#endif /* S2S_HELPER_S2SCTL_H */
