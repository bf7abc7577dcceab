/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytecode through the JIT in checked mode,
 * against the checked interpreter.  Any program the validator accepts
 * must compile; programs whose interpreter run finishes within the budget
 * must give the JIT the same result code, r0 and memory (the JIT has no
 * budget, so only those run).  Stack addresses differ between the two, so
 * programs that let one escape into r0 or memory are not compared.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "isa/isa.h"
#include "jit-x86_64/jit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t helper_ret_r1(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			      uint64_t r5, struct vm_call *call)
{
	return r1;
}

static bool is_addr_reg(uint8_t r)
{
	return r == 1 || r == 10;
}

/* Does the program read r10 or r1 as a value (not as a base)?  Then its
 * result depends on where the memory is, which differs per engine. */
static bool leaks_addresses(const struct isa_raw *p, size_t n)
{
	struct isa_insn in;

	for (size_t pc = 0; pc < n; pc += in.slots) {
		/* vm_load accepted @p, so this cannot fail; if it did, not
		 * comparing the engines is the safe answer. */
		if (isa_decode(p, n, pc, &in, NULL) < 0)
			return true;
		switch (isa_rows[in.op].fmt) {
		case ISA_FMT_CALL:
		case ISA_FMT_CALLX:
			/* Helper 5 here returns r1 (the memory address) in r0;
			 * callx takes its target from a register, so it may
			 * reach helper 5 too (e.g. a byte of memory that
			 * happens to be 5). */
			return true;
		/* ALU on r1/r10 computes with the address; a jump on
		 * r1/r10, even against an immediate (`if r1 & 0x900`),
		 * branches on it. */
		case ISA_FMT_JCC_K:
		case ISA_FMT_ALU_K:
		case ISA_FMT_NEG:
		case ISA_FMT_END:
			if (is_addr_reg(in.dst))
				return true;
			break;
		case ISA_FMT_JCC_X:
		case ISA_FMT_ALU_X:
		case ISA_FMT_MOVSX:
			if (is_addr_reg(in.dst) || is_addr_reg(in.src))
				return true;
			break;
		case ISA_FMT_STX:
		case ISA_FMT_ATOMIC:
			/* Storing r1/r10 puts the address into memory. */
			if (is_addr_reg(in.src))
				return true;
			break;
		default:
			/* Loads and stores read r1/r10 only as a base; lddw,
			 * ja and exit read no register.  Not checked:
			 * ld_abs/ld_ind, local and kfunc calls. */
			break;
		}
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_helpers *helpers;
	struct vm_run_opts ro = { .checked = true, .budget = 100000 };
	struct jit_opts jo = { .checked = true };
	uint8_t mem[64], mem2[64];
	const struct isa_raw *prog;
	struct jit_prog *jp = NULL;
	struct bb_err e;
	struct vm *vm;
	uint64_t r0 = 0, r0j = 0;
	int a, b;
	size_t n;

	if (size < 8)
		return 0;
	if (!helpers) {
		helpers = vm_helpers_new();
		vm_helpers_add(helpers, 5, NULL, helper_ret_r1);
	}
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = data[i % 8];
	memcpy(mem2, mem, sizeof(mem));
	n = (size - 8) / 8;
	prog = (const struct isa_raw *)(data + 8);
	vm = vm_new(helpers);
	bb_err_clear(&e);
	if (!vm || !n || vm_load(vm, prog, n, &e)) {
		vm_free(vm);
		return 0;
	}
	if (jit_compile(prog, n, helpers, &jo, &jp, &e))
		abort();                /* the interpreter took it: so must the JIT */
	a = vm_run(vm, mem, sizeof(mem), &ro, &r0, &e);
	if (a != -ETIME && !leaks_addresses(prog, n)) {
		b = jit_run(jp, mem2, sizeof(mem2), &r0j, &e);
		if (a != b || (!a && (r0 != r0j || memcmp(mem, mem2, sizeof(mem)))))
			abort();
	}
	jit_free(jp);
	vm_free(vm);
	return 0;
}
