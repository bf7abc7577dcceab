/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytecode through the interpreter's checked
 * mode.  Any program the validator accepts must run to an r0 or stop with
 * an error record, never touch memory outside its stack and input (ASan
 * watches), and never loop forever (instruction budget).
 */
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t helper_ret_r1(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			      uint64_t r5, struct vm_call *call)
{
	return r1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_helpers *helpers;
	struct vm_run_opts ro = { .checked = true, .budget = 100000 };
	uint8_t mem[64];
	struct bb_err e;
	struct vm *vm;
	uint64_t r0;
	size_t n;

	if (size < 8)
		return 0;
	if (!helpers) {
		helpers = vm_helpers_new();
		vm_helpers_add(helpers, 5, NULL, helper_ret_r1);
	}
	/* The first 8 bytes seed the input memory; the rest is the program. */
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = data[i % 8];
	n = (size - 8) / 8;
	vm = vm_new(helpers);
	bb_err_clear(&e);
	if (vm && n && vm_load(vm, (const struct isa_raw *)(data + 8), n, &e) == 0) {
		bb_err_clear(&e);
		if (vm_run(vm, mem, sizeof(mem), &ro, &r0, &e) < 0 && !e.msg[0])
			abort();
	}
	vm_free(vm);
	return 0;
}
