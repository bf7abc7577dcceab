/* SPDX-License-Identifier: MIT */
/*
 * barebpf - command-line entry point: a table of subcommands, each with
 * its own --help.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct cli_cmd cmds[] = {
	{ "asm", "assemble text (conformance or pseudo-C syntax) to bytes", cmd_asm, help_asm },
	{ "disasm", "print a program in pseudo-C or conformance syntax", cmd_disasm, help_disasm },
	{ "run", "run a program in the interpreter (or the kernel) and print r0", cmd_run, help_run },
	{ "conformance-plugin", "bpf_conformance runner plugin (program on stdin)",
	  cmd_conformance_plugin, help_conformance_plugin },
	{ "conformance", "run a directory of bpf_conformance .data files",
	  cmd_conformance, help_conformance },
	{ "obj", "show and disassemble BPF ELF objects (programs, maps, relocations)",
	  cmd_obj, help_obj },
	{ "load", "load objects into the running kernel and report the verdicts",
	  cmd_load, help_load },
	{ "btf", "show BTF, dump it as C (vmlinux.h) or raw", cmd_btf, help_btf },
	{ "isa", "print the instruction table every stage is built from", cmd_isa, help_isa },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: barebpf <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < BB_ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-20s %s\n", cmds[i].name, cmds[i].summary);
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
			for (size_t i = 0; i < BB_ARRAY_SIZE(cmds); i++)
				if (!strcmp(argv[2], cmds[i].name)) {
					cmds[i].help();
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
	for (size_t i = 0; i < BB_ARRAY_SIZE(cmds); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int a = 2; a < argc; a++)
			if (cli_is_help(argv[a])) {
				cmds[i].help();
				return 0;
			}
		return cmds[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "barebpf: unknown command '%s' (see 'barebpf --help')\n", argv[1]);
	return 2;
}
