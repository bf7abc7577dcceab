/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a program.  The validator must
 * never crash; whatever it accepts must decode slot by slot and
 * disassemble in both syntaxes without an undecodable instruction.
 */
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size / 8;
	struct isa_raw *prog;
	struct bb_err e;
	char buf[256];

	if (!n)
		return 0;
	prog = malloc(n * sizeof(*prog));
	if (!prog)
		return 0;
	memcpy(prog, data, n * sizeof(*prog));
	bb_err_clear(&e);
	if (isa_validate(prog, n, &e) == 0) {
		for (size_t pc = 0; pc < n;) {
			struct isa_insn in;
			int slots = isa_decode(prog, n, pc, &in, NULL);

			if (slots <= 0)
				abort();        /* validated but undecodable */
			if (isa_disasm_insn(prog, n, pc, ISA_SYNTAX_PSEUDO_C, buf, sizeof(buf)) != slots ||
			    isa_disasm_insn(prog, n, pc, ISA_SYNTAX_CONFORMANCE, buf, sizeof(buf)) != slots)
				abort();
			pc += (size_t)slots;
		}
	} else if (!e.msg[0]) {
		abort();                /* every rejection must say why */
	}
	free(prog);
	return 0;
}
