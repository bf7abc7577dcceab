/* SPDX-License-Identifier: MIT */
/*
 * barebpf - command-line entry point.  Subcommands register themselves
 * (CLI_COMMAND in cli/cli.h), each with its own --help.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* Commands, sorted by order then name, as the constructors registered them. */
static struct cli_cmd *cmds;

void cli_register(struct cli_cmd *cmd)
{
	struct cli_cmd **p = &cmds;

	while (*p && ((*p)->order < cmd->order ||
		      ((*p)->order == cmd->order && strcmp((*p)->name, cmd->name) < 0)))
		p = &(*p)->next;
	cmd->next = *p;
	*p = cmd;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: barebpf <command> [options]\n\ncommands:\n");
	for (const struct cli_cmd *c = cmds; c; c = c->next)
		fprintf(f, "  %-20s %s\n", c->name, c->summary);
	fprintf(f, "\n'barebpf <command> --help' describes one command.\n");
}

bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int cli_fail(const char *cmd, const struct bb_err *e)
{
	char line[1024];

	fprintf(stderr, "barebpf %s: %s\n", cmd, bb_err_str(e, line, sizeof(line)));
	return 1;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "barebpf %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'barebpf %s --help')\n", cmd);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (cli_is_help(argv[1]) || !strcmp(argv[1], "help")) {
		if (argc > 2) {
			for (const struct cli_cmd *c = cmds; c; c = c->next)
				if (!strcmp(argv[2], c->name)) {
					c->help();
					return 0;
				}
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("barebpf 0.1.0\n");
		return 0;
	}
	for (const struct cli_cmd *c = cmds; c; c = c->next) {
		if (strcmp(argv[1], c->name))
			continue;
		for (int a = 2; a < argc; a++)
			if (cli_is_help(argv[a])) {
				c->help();
				return 0;
			}
		return c->run(argc - 1, argv + 1);
	}
	fprintf(stderr, "barebpf: unknown command '%s' (see 'barebpf --help')\n", argv[1]);
	return 2;
}
