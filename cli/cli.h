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
	int (*run)(int argc, char **argv);
	void (*help)(void);
};

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

int cmd_asm(int argc, char **argv);
void help_asm(void);
int cmd_disasm(int argc, char **argv);
void help_disasm(void);
int cmd_run(int argc, char **argv);
void help_run(void);
int cmd_conformance_plugin(int argc, char **argv);
void help_conformance_plugin(void);
int cmd_conformance(int argc, char **argv);
void help_conformance(void);
int cmd_btf(int argc, char **argv);
void help_btf(void);
int cmd_obj(int argc, char **argv);
void help_obj(void);
int cmd_load(int argc, char **argv);
void help_load(void);
int cmd_isa(int argc, char **argv);
void help_isa(void);

#endif
