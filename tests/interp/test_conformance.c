/* SPDX-License-Identifier: MIT */
/*
 * Every program of the bpf_conformance suite (reference.txt) through
 * vm_run, in the fast mode and in the checked mode: all of them must give
 * the expected r0, none is skipped.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "tests/common/testutil.h"

/* The suite's "unwind" helper 5: returns r1 and lets the program go on. */
static uint64_t helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return r1;
}

static void run_suite(bool checked)
{
	struct vm_helpers *h = vm_helpers_new();
	struct vm_run_opts opts = { .checked = checked };
	struct tu_conf *tests = NULL;
	int n, passed = 0;

	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 5, "unwind", helper_unwind), 0);
	n = tu_conf_load(&tests);
	cr_assert_eq(n, 313, "reference.txt in %s: %d entries", tu_conformance_dir(), n);
	for (int i = 0; i < n; i++) {
		const struct tu_conf *t = &tests[i];
		struct vm *vm = vm_new(h);
		struct bb_err e;
		uint8_t *mem = NULL;
		uint64_t r0 = 0;
		char buf[512];
		int ret;

		bb_err_clear(&e);
		cr_assert_not_null(vm);
		ret = vm_load(vm, (const struct isa_raw *)t->prog,
			      t->prog_len / sizeof(struct isa_raw), &e);
		if (ret == 0) {
			/* The program may write its input: give it a copy. */
			if (t->mem) {
				mem = malloc(t->mem_len);
				cr_assert_not_null(mem);
				memcpy(mem, t->mem, t->mem_len);
			}
			ret = vm_run(vm, mem, t->mem_len, &opts, &r0, &e);
		}
		if (ret)
			cr_log_error("%s: %s", t->name, bb_err_str(&e, buf, sizeof(buf)));
		else if (r0 != t->result)
			cr_log_error("%s: r0 = 0x%" PRIx64 ", expected 0x%" PRIx64,
				     t->name, r0, t->result);
		else
			passed++;
		free(mem);
		vm_free(vm);
	}
	tu_conf_free(tests, n);
	vm_helpers_free(h);
	cr_assert_eq(passed, n, "%s mode: %d/%d conformance programs passed",
		     checked ? "checked" : "fast", passed, n);
}

Test(interp_conformance, fast_mode_passes_all)
{
	run_suite(false);
}

Test(interp_conformance, checked_mode_passes_all)
{
	run_suite(true);
}
