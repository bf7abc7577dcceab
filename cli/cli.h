/* SPDX-License-Identifier: MIT */
/*
 * cli/cli.h - the barebpf command-line tool.  The only code in barebpf that
 * prints and exits: library calls return -errno and a struct bb_err, and
 * cli_fail() turns that into one line on stderr.
 */
#ifndef BAREBPF_CLI_CLI_H
#define BAREBPF_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"

struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);      /* argv[0] is the command name */
	void (*help)(void);
	int order;                              /* place in `barebpf --help` */
	struct cli_cmd *next;
};

/*
 * Each cli/cmd_*.c file registers its commands itself, so adding a command
 * never touches main.c:
 *   CLI_COMMAND(asm, 10, "assemble text to bytes", cmd_asm, help_asm);
 * @order sorts `barebpf --help` (smaller first).
 */
void cli_register(struct cli_cmd *cmd);
#define CLI_COMMAND(id, ord, str, runfn, helpfn)                               \
	static struct cli_cmd cli_cmd_##id = {                                  \
		.name = #id, .summary = (str), .run = (runfn), .help = (helpfn), \
		.order = (ord),                                                  \
	};                                                                      \
	__attribute__((constructor)) static void cli_register_##id(void)       \
	{                                                                       \
		cli_register(&cli_cmd_##id);                                     \
	}
/* For names that are not C identifiers ("conformance-plugin"). */
#define CLI_COMMAND_NAMED(id, namestr, ord, str, runfn, helpfn)                \
	static struct cli_cmd cli_cmd_##id = {                                  \
		.name = (namestr), .summary = (str), .run = (runfn),             \
		.help = (helpfn), .order = (ord),                                \
	};                                                                      \
	__attribute__((constructor)) static void cli_register_##id(void)       \
	{                                                                       \
		cli_register(&cli_cmd_##id);                                     \
	}

/* A program read from a file: raw bytes, hex text, assembly or a
 * bpf_conformance .data file (which may also carry memory and a result). */
struct cli_prog {
	struct isa_raw *insns;
	size_t n;
	uint8_t *mem;           /* from a .data file's "-- mem", else NULL */
	size_t mem_len;
	bool has_result;        /* .data "-- result" */
	uint64_t result;
};

int cli_prog_read(const char *path, struct cli_prog *p, struct bb_err *e);
/* Does @path start with the ELF magic?  (false if it cannot be read) */
bool cli_is_elf_file(const char *path);
void cli_prog_free(struct cli_prog *p);

/* Print "barebpf <cmd>: <error line>" and return the exit status 1. */
int cli_fail(const char *cmd, const struct bb_err *e);
/* Print "barebpf <cmd>: <message>" (and "try --help") and return 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool cli_is_help(const char *arg);

/* Registers the helpers the offline tools provide today. */
struct vm_helpers;
struct vm_helpers *cli_default_helpers(void);

/* Commands other command files call directly. */
int cmd_obj(int argc, char **argv);

#endif
