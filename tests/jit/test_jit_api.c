/* SPDX-License-Identifier: MIT */
/*
 * The JIT's API and run-time behaviour next to the interpreter's: W^X
 * pages, checked-mode errors (the same text as the checked interpreter on
 * faulty programs), error exits (depth, missing helper, bad callx, kfunc,
 * helper stop), tail calls, offsets and stats, constant blinding.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "jit-x86_64/jit.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })
#define LDDW_SRC(d, s, v) I(0x18, d, s, 0, (int32_t)(uint32_t)(uint64_t)(v)), \
			  I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define LDDW(d, v) LDDW_SRC(d, 0, v)
#define MOV(d, i) I(0xb7, d, 0, 0, i)
#define MOVX(d, s) I(0xbf, d, s, 0, 0)
#define EXIT I(0x95, 0, 0, 0, 0)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(0x85, 0, 1, 0, rel)
#define CALLX(d) I(0x8d, d, 0, 0, 0)
#define LDXDW(d, s, o) I(0x79, d, s, o, 0)
#define STXDW(d, s, o) I(0x7b, d, s, o, 0)
#define STDW(d, o, i) I(0x7a, d, 0, o, i)
#define PROG(...) ((const struct isa_raw[]){ __VA_ARGS__ }), \
	BB_ARRAY_SIZE(((const struct isa_raw[]){ __VA_ARGS__ }))

static uint64_t h_plus_one(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			   uint64_t r5, struct vm_call *call)
{
	return r1 + 1;
}

static uint64_t h_stop(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5, struct vm_call *call)
{
	call->stop = -EPERM;
	snprintf(call->stop_msg, sizeof(call->stop_msg), "stopped by helper %d", call->helper_id);
	return 0;
}

static struct vm_helpers *helpers(void)
{
	struct vm_helpers *h = vm_helpers_new();

	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 5, NULL, h_plus_one), 0);
	cr_assert_eq(vm_helpers_add(h, 9, "stop", h_stop), 0);
	return h;
}

/* Messages with stack addresses differ only in the address (each engine
 * has its own stack): compare them with every "0x..." masked. */
static void mask_hex(char *s)
{
	for (char *p = strstr(s, "0x"); p; p = strstr(p + 2, "0x")) {
		char *q = p + 2;

		while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'))
			*q++ = 'N';
	}
}

/* Both engines on one program: same code, same message. */
static void same_outcome(const struct isa_raw *p, size_t n, void *mem, size_t len,
			 bool checked, int want, const char *want_msg)
{
	struct vm_helpers *h = helpers();
	struct vm_run_opts vo = { .checked = checked };
	struct jit_opts jo = { .checked = checked };
	struct vm *vm = vm_new(h);
	struct jit_prog *jp = NULL;
	struct bb_err e1, e2;
	char b1[512], b2[512];
	uint64_t r1 = 0, r2 = 0;
	int a, b;

	bb_err_clear(&e1);
	bb_err_clear(&e2);
	cr_assert_eq(vm_load(vm, p, n, &e1), 0);
	cr_assert_eq(jit_compile(p, n, h, &jo, &jp, &e2), 0, "%s", bb_err_str(&e2, b2, sizeof(b2)));
	a = vm_run(vm, mem, len, &vo, &r1, &e1);
	b = jit_run(jp, mem, len, &r2, &e2);
	bb_err_str(&e1, b1, sizeof(b1));
	bb_err_str(&e2, b2, sizeof(b2));
	cr_assert_eq(a, want, "interpreter: %d %s", a, b1);
	cr_assert_eq(b, want, "JIT: %d %s", b, b2);
	if (want_msg)
		cr_assert(strstr(b2, want_msg), "'%s' does not say '%s'", b2, want_msg);
	mask_hex(b1);
	mask_hex(b2);
	if (want)
		cr_assert_str_eq(b2, b1);
	cr_assert_eq(r1, r2);
	jit_free(jp);
	vm_free(vm);
	vm_helpers_free(h);
}

Test(jit_api, code_pages_are_not_writable)
{
	struct jit_prog *jp = NULL;
	struct bb_err e;
	char line[512];
	size_t size;
	const uint8_t *code;
	FILE *f;
	bool found = false;

	cr_assert_eq(jit_compile(PROG(MOV(0, 1), EXIT), NULL, NULL, &jp, &e), 0);
	code = jit_code(jp, &size);
	cr_assert_gt(size, 0);
	f = fopen("/proc/self/maps", "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi;
		char perms[5];

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi, perms) != 3)
			continue;
		if ((uintptr_t)code >= lo && (uintptr_t)code < hi) {
			found = true;
			cr_assert_eq(perms[0], 'r', "%s", line);
			cr_assert_eq(perms[1], '-', "code mapping is writable: %s", line);
			cr_assert_eq(perms[2], 'x', "%s", line);
		}
	}
	fclose(f);
	cr_assert(found, "no mapping holds the code");
	jit_free(jp);
}

/*
 * clang's -fsanitize=function reads the 8 bytes in front of a function
 * called through a pointer (jit_run() calls the image's entry so); with
 * the code at the start of its mapping that read faulted in the clang
 * fuzz build whenever the page below was unmapped.  The code must have
 * readable int3 bytes (never the check's signature word) in front of it,
 * in its own mapping.  Looked up in /proc/self/maps rather than read, so
 * a regression fails instead of crashing.
 */
Test(jit_api, code_has_readable_int3_bytes_in_front)
{
	struct jit_prog *jp = NULL;
	struct bb_err e;
	char line[512];
	size_t size;
	const uint8_t *code;
	uint64_t r0 = 0;
	FILE *f;
	bool found = false;

	cr_assert_eq(jit_compile(PROG(MOV(0, 1), EXIT), NULL, NULL, &jp, &e), 0);
	code = jit_code(jp, &size);
	f = fopen("/proc/self/maps", "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi;

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) != 2)
			continue;
		if ((uintptr_t)code >= lo && (uintptr_t)code < hi) {
			found = true;
			cr_assert_geq((uintptr_t)code - lo, 16,
				      "the code starts %zu bytes into its mapping: %s",
				      (size_t)((uintptr_t)code - lo), line);
		}
	}
	fclose(f);
	cr_assert(found, "no mapping holds the code");
	for (int i = 1; i <= 16; i++)
		cr_assert_eq(code[-i], 0xcc, "byte %d before the code is 0x%02x", -i, code[-i]);
	cr_assert_eq(jit_run(jp, NULL, 0, &r0, &e), 0, "%s", e.msg);
	cr_assert_eq(r0, 1);
	jit_free(jp);
}

Test(jit_api, checked_mode_reports_what_the_interpreter_reports)
{
	uint8_t mem[8] = { 0 };
	uint64_t ro[2] = { 7, 8 };

	/* past the end, before the start, no memory, stack under/overflow,
	 * straddling frames, a dead frame, misaligned atomic */
	same_outcome(PROG(I(0x61, 0, 1, 8, 0), EXIT), mem, 8, true, -EFAULT, "4-byte read");
	same_outcome(PROG(MOV(0, 0), I(0x62, 1, 0, 6, 1), EXIT), mem, 8, true, -EFAULT, "4-byte write");
	same_outcome(PROG(MOVX(2, 1), STXDW(2, 1, -1), EXIT), mem, 8, true, -EFAULT, "(r2)");
	same_outcome(PROG(I(0x71, 0, 1, 0, 0), EXIT), NULL, 0, true, -EFAULT,
		     "insn 0: out-of-bounds 1-byte read at 0x0 (r1)");
	same_outcome(PROG(STDW(10, 0, 1), EXIT), NULL, 0, true, -EFAULT, "(r10)");
	same_outcome(PROG(LDXDW(0, 10, -520), EXIT), NULL, 0, true, -EFAULT, "8-byte read");
	same_outcome(PROG(MOVX(1, 10), CALL_LOCAL(1), EXIT, LDXDW(0, 10, -4), EXIT), NULL, 0,
		     true, -EFAULT, "insn 3:");
	same_outcome(PROG(CALL_LOCAL(2), LDXDW(0, 0, -8), EXIT, MOVX(0, 10), EXIT), NULL, 0,
		     true, -EFAULT, "(r0)");
	same_outcome(PROG(MOV(2, 1), I(0xdb, 1, 2, 4, 0), EXIT), ro, sizeof(ro), true, -EFAULT,
		     "misaligned 8-byte atomic");
	same_outcome(PROG(MOV(2, 1), I(0xc3, 1, 2, 14, 0xf1), EXIT), ro, sizeof(ro), true, -EFAULT,
		     "4-byte write");
	/* in bounds at both ends, callee using its caller's frame */
	same_outcome(PROG(I(0x71, 0, 1, 7, 0), I(0x61, 2, 1, 4, 0), EXIT), mem, 8, true, 0, NULL);
	same_outcome(PROG(STDW(10, -8, 5), MOVX(1, 10), CALL_LOCAL(1), EXIT, LDXDW(0, 1, -8), EXIT),
		     NULL, 0, true, 0, NULL);
}

Test(jit_api, checked_regions)
{
	uint64_t ro[2] = { 7, 8 }, rw[1] = { 0 };
	struct jit_opts jo = { .checked = true };
	struct jit_run_opts o = { .set_regs = true, .r1 = (uintptr_t)ro, .r2 = (uintptr_t)rw };
	struct jit_prog *jp = NULL, *wr = NULL;
	struct bb_err e;
	char msg[512], want[256];
	uint64_t r0 = 0;

	bb_err_clear(&e);
	cr_assert_eq(jit_compile(PROG(LDXDW(0, 1, 8), STXDW(2, 0, 0), LDXDW(0, 2, 0), EXIT), NULL,
				 &jo, &jp, &e), 0);
	cr_assert_eq(jit_run_opts(jp, NULL, 0, &o, &r0, &e), -EFAULT);
	cr_assert_eq(jit_add_region(jp, ro, sizeof(ro), false, "ro"), 0);
	cr_assert_eq(jit_add_region(jp, rw, sizeof(rw), true, "rw"), 0);
	cr_assert_eq(jit_run_opts(jp, NULL, 0, &o, &r0, &e), 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
	cr_assert_eq(r0, 8);
	cr_assert_eq(rw[0], 8);
	cr_assert_eq(jit_compile(PROG(STDW(1, 0, 1), EXIT), NULL, &jo, &wr, &e), 0);
	cr_assert_eq(jit_add_region(wr, ro, sizeof(ro), false, "ro"), 0);
	cr_assert_eq(jit_run_opts(wr, NULL, 0, &o, &r0, &e), -EFAULT);
	snprintf(want, sizeof(want),
		 "insn 0: out-of-bounds 8-byte write at 0x%" PRIxPTR " (r1): region 'ro' is read-only",
		 (uintptr_t)ro);
	cr_assert_str_eq(bb_err_str(&e, msg, sizeof(msg)), want);
	cr_assert_eq(ro[0], 7);
	jit_clear_regions(jp);
	cr_assert_eq(jit_run_opts(jp, NULL, 0, &o, &r0, &e), -EFAULT);
	jit_free(jp);
	jit_free(wr);
}

static void nested(unsigned depth, struct isa_raw *p, size_t *n)
{
	/* main calls f1 calls f2 ... calls f_depth, which returns 42 */
	size_t k = 0;

	for (unsigned i = 0; i < depth; i++) {
		p[k++] = CALL_LOCAL(1);
		p[k++] = EXIT;
	}
	p[k++] = MOV(0, 42);
	p[k++] = EXIT;
	*n = k;
}

Test(jit_api, errors_match_the_interpreter)
{
	struct isa_raw p[32];
	size_t n;

	nested(7, p, &n);
	same_outcome(p, n, NULL, 0, false, 0, NULL);
	nested(8, p, &n);
	same_outcome(p, n, NULL, 0, false, -E2BIG, "call depth exceeds 8");
	same_outcome(PROG(CALL_LOCAL(-1), EXIT), NULL, 0, false, -E2BIG, "insn 0:");
	same_outcome(PROG(CALL(6), EXIT), NULL, 0, false, -ENOENT,
		     "insn 0: helper 6 (trace_printk) not available offline");
	same_outcome(PROG(MOV(1, 3), CALL(9), EXIT), NULL, 0, false, -EPERM,
		     "insn 1: stopped by helper 9");
	same_outcome(PROG(MOV(3, 6), CALLX(3), EXIT), NULL, 0, false, -ENOENT, "helper 6");
	same_outcome(PROG(MOV(3, 70000), CALLX(3), EXIT), NULL, 0, false, -ENOENT, "helper 70000");
	same_outcome(PROG(LDDW(3, 0x123456789ull), CALLX(3), EXIT), NULL, 0, false, -EINVAL,
		     "insn 2: callx target 0x123456789 (r3) is neither a function address nor a helper id");
	same_outcome(PROG(I(0x85, 0, 2, 0, 77), EXIT), NULL, 0, false, -EOPNOTSUPP, "kfunc");
	/* helpers and callx that work */
	same_outcome(PROG(MOV(1, 41), MOV(3, 5), CALLX(3), EXIT), NULL, 0, false, 0, NULL);
	same_outcome(PROG(LDDW_SRC(2, 4, 5), MOV(6, 1), CALLX(2), I(0x0f, 0, 6, 0, 0), EXIT,
			  MOV(0, 7), MOV(6, 100), EXIT), NULL, 0, false, 0, NULL);
	/* LD_ABS outside the packet: r0 = 0 from inside a call */
	same_outcome(PROG(MOV(0, 5), CALL_LOCAL(1), EXIT, I(0x20, 0, 0, 0, 100), MOV(0, 9), EXIT),
		     NULL, 0, false, 0, NULL);
}

Test(jit_api, map_sources_need_a_resolver)
{
	struct jit_prog *jp = NULL;
	struct bb_err e;
	char msg[512];

	bb_err_clear(&e);
	cr_assert_eq(jit_compile(PROG(LDDW_SRC(1, 1, 3), MOV(0, 0), EXIT), NULL, NULL, &jp, &e),
		     -EOPNOTSUPP);
	cr_assert_str_eq(bb_err_str(&e, msg, sizeof(msg)),
			 "insn 0: lddw src 1 (map_fd): map reference needs a map resolver (vm_set_map_resolver)");
	cr_assert_null(jp);
}

static int resolve(void *ctx, uint32_t pc, uint8_t src, uint32_t imm, uint32_t off,
		   uint64_t *value, struct bb_err *e)
{
	*value = (uint64_t)(uintptr_t)ctx + off;
	return 0;
}

Test(jit_api, map_values_through_the_resolver)
{
	uint64_t values[4] = { 1, 2, 3, 4 };
	struct jit_opts jo = { .map_resolver = resolve, .map_resolver_ctx = values };
	struct jit_prog *jp = NULL;
	struct bb_err e;
	uint64_t r0;

	cr_assert_eq(jit_compile(PROG(I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 16), LDXDW(0, 1, 0), EXIT),
				 NULL, &jo, &jp, &e), 0);
	cr_assert_eq(jit_run(jp, NULL, 0, &r0, &e), 0);
	cr_assert_eq(r0, 3);
	jit_free(jp);
}

/* Tail calls: slot i of "the prog array" holds progs[i]. */
static struct jit_prog *progs[2];

static const struct jit_prog *lookup(void *arg, uint64_t map, uint64_t index)
{
	return map == 77 && index < 2 ? progs[index] : NULL;
}

Test(jit_api, tail_calls)
{
	struct jit_opts jo = { .tail_calls = true };
	struct jit_run_opts ro = { .tail_call = lookup };
	struct jit_prog *main_p = NULL;
	struct bb_err e;
	uint64_t r0 = 0;

	/* progs[0]: r0 = r1 + 1000 (r1 survives the tail call) */
	cr_assert_eq(jit_compile(PROG(MOVX(0, 1), I(0x07, 0, 0, 0, 1000), EXIT), NULL, &jo,
				 &progs[0], &e), 0);
	/* progs[1]: counts in [r1] and tail-calls itself forever */
	cr_assert_eq(jit_compile(PROG(LDXDW(3, 1, 0), I(0x07, 3, 0, 0, 1), STXDW(1, 3, 0),
				      MOV(2, 77), MOV(3, 1), CALL(12), MOV(0, 5), EXIT),
				 NULL, &jo, &progs[1], &e), 0);
	/* main: empty slot falls through, then slot 0 */
	cr_assert_eq(jit_compile(PROG(MOVX(6, 1), MOV(2, 77), MOV(3, 9), CALL(12),
				      MOVX(1, 6), MOV(2, 77), MOV(3, 0), CALL(12), MOV(0, 1), EXIT),
				 NULL, &jo, &main_p, &e), 0);
	cr_assert_eq(jit_run_opts(main_p, NULL, 0, &(struct jit_run_opts){ .set_regs = true, .r1 = 5,
				  .tail_call = lookup }, &r0, &e), 0);
	cr_assert_eq(r0, 1005);
	cr_assert_eq(jit_stats(main_p)->tail_calls, 1);
	/* 33 tail calls, then the 34th falls through to r0 = 5 */
	{
		uint64_t count = 0;

		ro.set_regs = true;
		ro.r1 = (uintptr_t)&count;
		cr_assert_eq(jit_run_opts(progs[1], NULL, 0, &ro, &r0, &e), 0);
		cr_assert_eq(r0, 5);
		cr_assert_eq(count, JIT_MAX_TAIL_CALLS + 1, "%" PRIu64, count);
	}
	jit_free(main_p);
	jit_free(progs[0]);
	jit_free(progs[1]);
}

Test(jit_api, offsets_stats_and_short_jumps)
{
	struct jit_prog *jp = NULL;
	struct bb_err e;
	size_t size;
	const uint8_t *code;

	/* 0: r0 = 0; 1: lddw; 3: if r0 == 0 goto 5; 4: r0 = 1; 5: exit */
	cr_assert_eq(jit_compile(PROG(MOV(0, 0), LDDW(1, 0x1122334455667788ull),
				      I(0x15, 0, 0, 1, 0), MOV(0, 1), EXIT), NULL, NULL, &jp, &e), 0);
	code = jit_code(jp, &size);
	cr_assert_eq(jit_insn_offset(jp, 2), -1, "second slot of lddw");
	cr_assert_lt(jit_insn_offset(jp, 0), jit_insn_offset(jp, 1));
	cr_assert_eq(jit_insn_offset(jp, 1) - jit_insn_offset(jp, 0), 2, "xor eax, eax");
	cr_assert_eq(code[jit_insn_offset(jp, 1)], 0x48, "movabs rdi");
	/* test rax, rax; je rel8 */
	cr_assert_eq(code[jit_insn_offset(jp, 3) + 3], 0x74, "short je");
	cr_assert_eq(code[jit_insn_offset(jp, 5)], 0xc3, "exit is ret");
	cr_assert_leq((size_t)jit_insn_offset(jp, 6), size);
	cr_assert_geq(jit_stats(jp)->passes, 2);
	cr_assert_eq(jit_stats(jp)->image_size, size);
	cr_assert_eq(jit_stats(jp)->insns, 6);
	jit_free(jp);
}

Test(jit_api, blinding_hides_immediates)
{
	const int32_t secret = 0x5eed1234;
	struct jit_opts jo = { .blind = true };
	struct jit_prog *plain = NULL, *blind = NULL;
	struct bb_err e;
	uint64_t r0;
	size_t sp, sb;
	const uint8_t *cp, *cb;
	const uint8_t pat[4] = { 0x34, 0x12, 0xed, 0x5e };

	cr_assert_eq(jit_compile(PROG(MOV(0, secret), I(0x07, 0, 0, 0, secret), I(0x15, 0, 0, 0, secret),
				      STDW(10, -8, secret), EXIT), NULL, NULL, &plain, &e), 0);
	cr_assert_eq(jit_compile(PROG(MOV(0, secret), I(0x07, 0, 0, 0, secret), I(0x15, 0, 0, 0, secret),
				      STDW(10, -8, secret), EXIT), NULL, &jo, &blind, &e), 0);
	cp = jit_code(plain, &sp);
	cb = jit_code(blind, &sb);
	cr_assert_not_null(memmem(cp, sp, pat, 4), "the plain image has the constant");
	cr_assert_null(memmem(cb, sb, pat, 4), "the blinded image must not");
	cr_assert_eq(jit_run(blind, NULL, 0, &r0, &e), 0);
	cr_assert_eq(r0, (uint64_t)secret * 2);
	jit_free(plain);
	jit_free(blind);
}
