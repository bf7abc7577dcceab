/* SPDX-License-Identifier: MIT */
/* Helpers shared by the btf tests: builders, clang, ELF section reads. */
#ifndef BAREBPF_TESTS_BTF_TEST_H
#define BAREBPF_TESTS_BTF_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf/btf.h"

#define VMLINUX_PATH "/sys/kernel/btf/vmlinux"

/* Serialize @b and parse the bytes again; returns bbtf_parse()'s result
 * and leaves its message in @e.  The parsed copy is freed. */
int bt_reparse(const struct bbtf *b, struct bb_err *e);
/* Raw bytes of @b copied into a malloc'ed buffer the caller frees. */
uint8_t *bt_raw_copy(const struct bbtf *b, size_t *size);
/* A builder with "int" (id 1, 4 bytes signed) already added. */
struct bbtf *bt_new_int(void);

/* clang-19 usable?  Tests that need it skip with a message if not. */
bool bt_have_clang(void);
/* A fresh temporary directory (mkdtemp); removed by bt_rmdir(). */
const char *bt_tmpdir(char *buf, size_t size);
void bt_rmdir(const char *dir);
/* Write @text to @dir/@name. */
int bt_write(const char *dir, const char *name, const char *text);
/* Run a shell command; returns its exit status, output in @log. */
int bt_run(const char *cmd, char *log, size_t log_size);
/* Read section @sec of ELF file @path into a malloc'ed buffer. */
uint8_t *bt_elf_section(const char *path, const char *sec, size_t *size);
/* Compile @src (BPF C) at @dir/@name.c to @dir/@name.o with clang-19
 * -target bpf -O2 -g plus @extra flags; 0 or the exit status. */
int bt_compile(const char *dir, const char *name, const char *src, const char *extra,
	       char *log, size_t log_size);

#endif
