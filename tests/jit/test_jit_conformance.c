/* SPDX-License-Identifier: MIT */
/*
 * Every bpf_conformance program through the JIT (fast, checked, blinded),
 * nothing skipped; the same programs through the interpreter must leave
 * the same r0 and the same memory; and, where the kernel accepts them,
 * the kernel's r0 must equal the JIT's.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "jit-x86_64/jit.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"

/* The suite's "unwind" helper 5: returns r1 and lets the program go on. */
static uint64_t helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return r1;
}

static struct vm_helpers *suite_helpers(void)
{
	struct vm_helpers *h = vm_helpers_new();

	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 5, "unwind", helper_unwind), 0);
	return h;
}

static uint8_t *copy_mem(const struct tu_conf *t)
{
	uint8_t *m;

	if (!t->mem)
		return NULL;
	m = malloc(t->mem_len);
	cr_assert_not_null(m);
	memcpy(m, t->mem, t->mem_len);
	return m;
}

static void run_suite(const struct jit_opts *o, const char *mode)
{
	struct vm_helpers *h = suite_helpers();
	struct tu_conf *tests = NULL;
	int n, passed = 0;

	n = tu_conf_load(&tests);
	cr_assert_eq(n, 313, "reference.txt in %s: %d entries", tu_conformance_dir(), n);
	for (int i = 0; i < n; i++) {
		const struct tu_conf *t = &tests[i];
		struct jit_prog *jp = NULL;
		struct bb_err e;
		uint8_t *mem = copy_mem(t);
		uint64_t r0 = 0;
		char buf[512];
		int ret;

		bb_err_clear(&e);
		ret = jit_compile((const struct isa_raw *)t->prog,
				  t->prog_len / sizeof(struct isa_raw), h, o, &jp, &e);
		if (!ret)
			ret = jit_run(jp, mem, t->mem_len, &r0, &e);
		if (ret)
			cr_log_error("%s (%s): %s", t->name, mode, bb_err_str(&e, buf, sizeof(buf)));
		else if (r0 != t->result)
			cr_log_error("%s (%s): r0 = 0x%" PRIx64 ", expected 0x%" PRIx64,
				     t->name, mode, r0, t->result);
		else
			passed++;
		free(mem);
		jit_free(jp);
	}
	tu_conf_free(tests, n);
	vm_helpers_free(h);
	cr_assert_eq(passed, n, "%s: %d/%d conformance programs passed", mode, passed, n);
	cr_log_info("jit conformance (%s): %d/%d", mode, passed, n);
}

Test(jit_conformance, fast_mode_passes_all)
{
	struct jit_opts o = { 0 };

	run_suite(&o, "fast");
}

Test(jit_conformance, checked_mode_passes_all)
{
	struct jit_opts o = { .checked = true };

	run_suite(&o, "checked");
}

Test(jit_conformance, blinded_passes_all)
{
	struct jit_opts o = { .blind = true, .blind_seed = 0x1234567 };

	run_suite(&o, "blinded");
}

/* r0 and the whole input memory after the run: JIT == interpreter. */
Test(jit_conformance, same_r0_and_memory_as_interpreter)
{
	struct vm_helpers *h = suite_helpers();
	struct tu_conf *tests = NULL;
	int n, same = 0;

	n = tu_conf_load(&tests);
	cr_assert_eq(n, 313);
	for (int i = 0; i < n; i++) {
		const struct tu_conf *t = &tests[i];
		const struct isa_raw *p = (const struct isa_raw *)t->prog;
		size_t np = t->prog_len / sizeof(struct isa_raw);
		uint8_t *m1 = copy_mem(t), *m2 = copy_mem(t);
		struct vm *vm = vm_new(h);
		struct jit_prog *jp = NULL;
		uint64_t r_vm = 0, r_jit = 0;
		struct bb_err e1, e2;
		int a, b;

		bb_err_clear(&e1);
		bb_err_clear(&e2);
		a = vm_load(vm, p, np, &e1);
		if (!a)
			a = vm_run(vm, m1, t->mem_len, NULL, &r_vm, &e1);
		b = jit_compile(p, np, h, NULL, &jp, &e2);
		if (!b)
			b = jit_run(jp, m2, t->mem_len, &r_jit, &e2);
		if (a != b || r_vm != r_jit || (t->mem && memcmp(m1, m2, t->mem_len)))
			cr_log_error("%s: interpreter %d r0 0x%" PRIx64 ", JIT %d r0 0x%" PRIx64 "%s",
				     t->name, a, r_vm, b, r_jit,
				     t->mem && memcmp(m1, m2, t->mem_len) ? ", memory differs" : "");
		else
			same++;
		jit_free(jp);
		vm_free(vm);
		free(m1);
		free(m2);
	}
	tu_conf_free(tests, n);
	vm_helpers_free(h);
	cr_assert_eq(same, n, "%d/%d programs agree", same, n);
}

/* The kernel as the oracle: every program it accepts gives the JIT's r0. */
Test(jit_conformance, same_r0_as_kernel, .timeout = 300)
{
	struct vm_helpers *h = suite_helpers();
	struct tu_conf *tests = NULL;
	int n, compared = 0, refused = 0, differ = 0;
	struct bb_err e;
	char buf[512];

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e)) {
		cr_log_warn("kernel comparison skipped: bpf() refused: %s",
			    bb_err_str(&e, buf, sizeof(buf)));
		vm_helpers_free(h);
		return;
	}
	n = tu_conf_load(&tests);
	cr_assert_eq(n, 313);
	for (int i = 0; i < n; i++) {
		const struct tu_conf *t = &tests[i];
		const struct isa_raw *p = (const struct isa_raw *)t->prog;
		size_t np = t->prog_len / sizeof(struct isa_raw);
		LDR_OPTS(ldr_oracle_opts, o, .name = "jit_diff", .mem = t->mem, .mem_len = t->mem_len);
		struct jit_prog *jp = NULL;
		uint8_t *mem = copy_mem(t);
		uint64_t r0 = 0;

		bb_err_clear(&e);
		cr_assert_eq(jit_compile(p, np, h, NULL, &jp, &e), 0, "%s: %s", t->name,
			     bb_err_str(&e, buf, sizeof(buf)));
		cr_assert_eq(jit_run(jp, mem, t->mem_len, &r0, &e), 0, "%s: %s", t->name,
			     bb_err_str(&e, buf, sizeof(buf)));
		if (ldr_oracle_run(p, np, &o, &e) == 0) {
			compared++;
			if (o.r0 != r0) {
				cr_log_error("%s: JIT r0 0x%" PRIx64 ", kernel 0x%" PRIx64, t->name, r0, o.r0);
				differ++;
			}
		} else {
			refused++;
		}
		jit_free(jp);
		free(mem);
	}
	tu_conf_free(tests, n);
	vm_helpers_free(h);
	cr_log_info("kernel differential: %d compared, %d refused by the kernel", compared, refused);
	cr_assert_gt(compared, 100, "only %d programs reached the kernel", compared);
	cr_assert_eq(differ, 0, "%d of %d programs differ from the kernel", differ, compared);
}
