/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_asm.c - libFuzzer target for the assembler and disassembler.
 *
 * Any text the assembler accepts must survive a trip through the
 * disassembler in both syntaxes, with and without "  3: (07) " index
 * prefixes: asm(disasm(asm(text))) == asm(text), slot for slot.  A
 * mismatch or a rejected disassembly aborts, which libFuzzer reports.
 *
 * Build with clang's -fsanitize=fuzzer,address,undefined and -I. from
 * this file plus the isa/ and common/ sources; seed it with the "-- asm"
 * sections of the conformance suite.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct isa_raw *prog, long n, enum isa_syntax syntax,
		       bool with_index)
{
	struct isa_raw *again = NULL;
	char *text = NULL;
	size_t len = 0;
	struct bb_err e;
	FILE *f = open_memstream(&text, &len);
	long m;

	if (!f)
		abort();
	bb_err_clear(&e);
	/* Jumps may leave the program; the text must still say so exactly. */
	isa_disasm(prog, (size_t)n, syntax, with_index, f, NULL);
	fclose(f);
	m = isa_asm(text, "disasm", &again, &e);
	if (m != n || memcmp(prog, again, (size_t)n * sizeof(*prog))) {
		char msg[512];

		fprintf(stderr, "round trip failed (%s, index %d): %ld vs %ld slots: %s\n%s\n",
			syntax == ISA_SYNTAX_PSEUDO_C ? "pseudo-C" : "conformance",
			with_index, n, m, bb_err_str(&e, msg, sizeof(msg)), text);
		abort();
	}
	free(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isa_raw *prog = NULL;
	char *text = malloc(size + 1);
	long n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	n = isa_asm(text, "fuzz", &prog, NULL);
	free(text);
	if (n <= 0)
		return 0;
	for (int syntax = 0; syntax < 2; syntax++)
		for (int idx = 0; idx < 2; idx++)
			round_trip(prog, n, (enum isa_syntax)syntax, idx);
	free(prog);
	return 0;
}
