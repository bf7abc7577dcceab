/* SPDX-License-Identifier: MIT */
/*
 * Interpreter unit tests, one group per instruction family plus calls,
 * helpers, budget, checked mode and trace.  Programs are raw instruction
 * initialisers (the assembler is a separate module); every successful
 * program runs in the fast and the checked mode and both must agree.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })
#define LDDW_SRC(d, s, v) I(0x18, d, s, 0, (int32_t)(uint32_t)(uint64_t)(v)), \
			  I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define LDDW(d, v) LDDW_SRC(d, 0, v)
#define MOV(d, i) I(0xb7, d, 0, 0, i)
#define MOVX(d, s) I(0xbf, d, s, 0, 0)
#define MOV32(d, i) I(0xb4, d, 0, 0, i)
#define EXIT I(0x95, 0, 0, 0, 0)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(0x85, 0, 1, 0, rel)
#define CALLX(d) I(0x8d, d, 0, 0, 0)
#define LDXDW(d, s, o) I(0x79, d, s, o, 0)
#define STXDW(d, s, o) I(0x7b, d, s, o, 0)
#define STDW(d, o, i) I(0x7a, d, 0, o, i)

#define PROG(...) ((const struct isa_raw[]){ __VA_ARGS__ }), \
	BB_ARRAY_SIZE(((const struct isa_raw[]){ __VA_ARGS__ }))

static struct vm_helpers *helpers;

static uint64_t helper_plus_one(uint64_t r1, uint64_t r2, uint64_t r3,
				uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return r1 + 1;
}

static uint64_t helper_sum(uint64_t r1, uint64_t r2, uint64_t r3,
			   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return r1 + r2 + r3 + r4 + r5 + call->pc * 1000;
}

static uint64_t helper_stop(uint64_t r1, uint64_t r2, uint64_t r3,
			    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	call->stop = -EPERM;
	snprintf(call->stop_msg, sizeof(call->stop_msg), "stopped by helper %d",
		 call->helper_id);
	return 0;
}

static void setup(void)
{
	helpers = vm_helpers_new();
	cr_assert_not_null(helpers);
	cr_assert_eq(vm_helpers_add(helpers, 5, NULL, helper_plus_one), 0);
	cr_assert_eq(vm_helpers_add(helpers, 1000, "sum", helper_sum), 0);
	cr_assert_eq(vm_helpers_add(helpers, 1001, "stop", helper_stop), 0);
}

static void teardown(void)
{
	vm_helpers_free(helpers);
}

TestSuite(interp, .init = setup, .fini = teardown);

/* Run in one mode; returns vm_run's result, r0 and the error text. */
static int run_mode(const struct isa_raw *p, size_t n, void *mem, size_t len,
		    struct vm_run_opts *opts, uint64_t *r0, char *msg, size_t size)
{
	struct vm *vm = vm_new(helpers);
	struct bb_err e;
	int ret;

	cr_assert_not_null(vm);
	bb_err_clear(&e);
	ret = vm_load(vm, p, n, &e);
	if (!ret)
		ret = vm_run(vm, mem, len, opts, r0, &e);
	if (msg)
		bb_err_str(&e, msg, size);
	vm_free(vm);
	return ret;
}

/* Both modes must succeed with the same r0 and leave @mem the same. */
static uint64_t run_mem(const struct isa_raw *p, size_t n, void *mem, size_t len)
{
	struct vm_run_opts fast = { 0 }, checked = { .checked = true };
	uint8_t *copy = NULL;
	uint64_t a = 0, b = 0;
	char msg[512];

	if (mem) {
		copy = malloc(len);
		cr_assert_not_null(copy);
		memcpy(copy, mem, len);
	}
	cr_assert_eq(run_mode(p, n, copy, len, &checked, &b, msg, sizeof(msg)), 0,
		     "checked: %s", msg);
	cr_assert_eq(run_mode(p, n, mem, len, &fast, &a, msg, sizeof(msg)), 0,
		     "fast: %s", msg);
	cr_assert_eq(a, b, "fast 0x%" PRIx64 " != checked 0x%" PRIx64, a, b);
	if (mem)
		cr_assert_eq(memcmp(copy, mem, len), 0, "memory differs between modes");
	free(copy);
	return a;
}

static uint64_t run(const struct isa_raw *p, size_t n)
{
	return run_mem(p, n, NULL, 0);
}

/* Expect failure in @checked mode with exactly @want (bb_err_str). */
static void expect_error(const struct isa_raw *p, size_t n, void *mem, size_t len,
			 struct vm_run_opts *opts, int code, const char *want)
{
	char msg[512];
	uint64_t r0;

	cr_assert_eq(run_mode(p, n, mem, len, opts, &r0, msg, sizeof(msg)), code,
		     "got: %s", msg);
	cr_assert_str_eq(msg, want);
}

/* ----- ALU ----- */

Test(interp, alu32_zero_extends)
{
	/* r0 = -1; w0 += 1 -> upper half cleared. */
	cr_assert_eq(run(PROG(MOV(0, -1), I(0x04, 0, 0, 0, 1), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -1), I(0x04, 0, 0, 0, 0), EXIT)), 0xffffffff);
	cr_assert_eq(run(PROG(LDDW(0, 0xabcdef0012345678ull), I(0xbc, 0, 0, 0, 0), EXIT)),
		     0x12345678);
	cr_assert_eq(run(PROG(MOV(0, -1), I(0x24, 0, 0, 0, 2), EXIT)), 0xfffffffe);
	cr_assert_eq(run(PROG(MOV(0, 5), I(0x84, 0, 0, 0, 0), EXIT)), 0xfffffffb);
	cr_assert_eq(run(PROG(MOV(0, 5), I(0x87, 0, 0, 0, 0), EXIT)), (uint64_t)-5);
	cr_assert_eq(run(PROG(MOV32(0, -1), EXIT)), 0xffffffff);
	cr_assert_eq(run(PROG(MOV(0, -1), EXIT)), UINT64_MAX);
	/* 64-bit _K operands sign-extend imm. */
	cr_assert_eq(run(PROG(MOV(0, 0), I(0x47, 0, 0, 0, -2), EXIT)), (uint64_t)-2);
}

Test(interp, div_mod_by_zero)
{
	/* div -> 0, mod -> dst unchanged; 32-bit forms zero-extend. */
	cr_assert_eq(run(PROG(MOV(0, 7), MOV(1, 0), I(0x3f, 0, 1, 0, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, 7), I(0x37, 0, 0, 0, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -7), MOV(1, 0), I(0x9f, 0, 1, 0, 0), EXIT)), (uint64_t)-7);
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x97, 0, 0, 0, 0), EXIT)), (uint64_t)-7);
	cr_assert_eq(run(PROG(MOV(0, -7), MOV(1, 0), I(0x3c, 0, 1, 0, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x34, 0, 0, 0, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -7), MOV(1, 0), I(0x9c, 0, 1, 0, 0), EXIT)), 0xfffffff9);
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x94, 0, 0, 0, 0), EXIT)), 0xfffffff9);
	/* A 32-bit divisor of 0 is the low half only. */
	cr_assert_eq(run(PROG(MOV(0, 9), LDDW(1, 0x100000000ull), I(0x3c, 0, 1, 0, 0), EXIT)), 0);
	/* Signed forms by zero, both widths. */
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x37, 0, 0, 1, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x97, 0, 0, 1, 0), EXIT)), (uint64_t)-7);
	cr_assert_eq(run(PROG(MOV(0, -7), MOV(1, 0), I(0x3c, 0, 1, 1, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV(0, -7), MOV(1, 0), I(0x9c, 0, 1, 1, 0), EXIT)), 0xfffffff9);
}

Test(interp, signed_division_overflow)
{
	const uint64_t min64 = 0x8000000000000000ull;

	/* INT_MIN s/ -1 = INT_MIN and INT_MIN s% -1 = 0, K and X forms. */
	cr_assert_eq(run(PROG(LDDW(0, min64), I(0x37, 0, 0, 1, -1), EXIT)), min64);
	cr_assert_eq(run(PROG(LDDW(0, min64), MOV(1, -1), I(0x3f, 0, 1, 1, 0), EXIT)), min64);
	cr_assert_eq(run(PROG(LDDW(0, min64), I(0x97, 0, 0, 1, -1), EXIT)), 0);
	cr_assert_eq(run(PROG(LDDW(0, min64), MOV(1, -1), I(0x9f, 0, 1, 1, 0), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV32(0, INT32_MIN), I(0x34, 0, 0, 1, -1), EXIT)), 0x80000000);
	cr_assert_eq(run(PROG(MOV32(0, INT32_MIN), MOV(1, -1), I(0x3c, 0, 1, 1, 0), EXIT)),
		     0x80000000);
	cr_assert_eq(run(PROG(MOV32(0, INT32_MIN), I(0x94, 0, 0, 1, -1), EXIT)), 0);
	cr_assert_eq(run(PROG(MOV32(0, INT32_MIN), MOV(1, -1), I(0x9c, 0, 1, 1, 0), EXIT)), 0);
	/* Ordinary signed results: truncation toward zero, sign of dividend. */
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x37, 0, 0, 1, 2), EXIT)), (uint64_t)-3);
	cr_assert_eq(run(PROG(MOV(0, -7), I(0x97, 0, 0, 1, 2), EXIT)), (uint64_t)-1);
	cr_assert_eq(run(PROG(MOV32(0, -7), I(0x34, 0, 0, 1, 2), EXIT)), 0xfffffffd);
	cr_assert_eq(run(PROG(MOV32(0, 7), I(0x94, 0, 0, 1, -2), EXIT)), 1);
	/* Unsigned division treats imm as sign-extended then unsigned. */
	cr_assert_eq(run(PROG(MOV(0, -1), I(0x37, 0, 0, 0, -1), EXIT)), 1);
}

Test(interp, shift_counts_are_masked)
{
	cr_assert_eq(run(PROG(MOV(0, 1), I(0x67, 0, 0, 0, 65), EXIT)), 2);
	cr_assert_eq(run(PROG(MOV(0, 1), MOV(1, 65), I(0x6f, 0, 1, 0, 0), EXIT)), 2);
	cr_assert_eq(run(PROG(MOV(0, 1), I(0x64, 0, 0, 0, 33), EXIT)), 2);
	cr_assert_eq(run(PROG(MOV(0, 1), MOV(1, 33), I(0x6c, 0, 1, 0, 0), EXIT)), 2);
	cr_assert_eq(run(PROG(MOV(0, 4), I(0x77, 0, 0, 0, 66), EXIT)), 1);
	cr_assert_eq(run(PROG(MOV(0, 4), MOV(1, -62), I(0x7f, 0, 1, 0, 0), EXIT)), 1);
	cr_assert_eq(run(PROG(MOV(0, 4), I(0x74, 0, 0, 0, 34), EXIT)), 1);
	cr_assert_eq(run(PROG(MOV(0, -8), I(0xc7, 0, 0, 0, 65), EXIT)), (uint64_t)-4);
	cr_assert_eq(run(PROG(MOV(0, -8), MOV(1, 65), I(0xcf, 0, 1, 0, 0), EXIT)), (uint64_t)-4);
	cr_assert_eq(run(PROG(MOV(0, -8), I(0xc4, 0, 0, 0, 33), EXIT)), 0xfffffffc);
	cr_assert_eq(run(PROG(MOV(0, -8), MOV(1, 33), I(0xcc, 0, 1, 0, 0), EXIT)), 0xfffffffc);
	/* 32-bit shifts see only the low half. */
	cr_assert_eq(run(PROG(LDDW(0, 0x180000000ull), I(0x74, 0, 0, 0, 31), EXIT)), 1);
}

Test(interp, byte_swaps_truncate)
{
	const uint64_t v = 0x1122334455667788ull;

	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd4, 0, 0, 0, 16), EXIT)), 0x7788);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd4, 0, 0, 0, 32), EXIT)), 0x55667788);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd4, 0, 0, 0, 64), EXIT)), v);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xdc, 0, 0, 0, 16), EXIT)), 0x8877);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xdc, 0, 0, 0, 32), EXIT)), 0x88776655);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xdc, 0, 0, 0, 64), EXIT)), 0x8877665544332211ull);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd7, 0, 0, 0, 16), EXIT)), 0x8877);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd7, 0, 0, 0, 32), EXIT)), 0x88776655);
	cr_assert_eq(run(PROG(LDDW(0, v), I(0xd7, 0, 0, 0, 64), EXIT)), 0x8877665544332211ull);
}

Test(interp, movsx)
{
	cr_assert_eq(run(PROG(MOV(1, 0x180), I(0xbf, 0, 1, 8, 0), EXIT)), 0xffffffffffffff80ull);
	cr_assert_eq(run(PROG(MOV(1, 0x180), I(0xbc, 0, 1, 8, 0), EXIT)), 0xffffff80);
	cr_assert_eq(run(PROG(MOV(1, 0x18000), I(0xbf, 0, 1, 16, 0), EXIT)), 0xffffffffffff8000ull);
	cr_assert_eq(run(PROG(MOV(1, 0x18000), I(0xbc, 0, 1, 16, 0), EXIT)), 0xffff8000);
	cr_assert_eq(run(PROG(LDDW(1, 0x180000000ull), I(0xbf, 0, 1, 32, 0), EXIT)),
		     0xffffffff80000000ull);
	cr_assert_eq(run(PROG(MOV(1, 0x7f), I(0xbf, 0, 1, 8, 0), EXIT)), 0x7f);
}

Test(interp, fused_mov_alu_pairs)
{
	struct vm *vm = vm_new(NULL);
	const struct isa_raw p[] = { MOV(1, 10), MOVX(0, 1), I(0x67, 0, 0, 0, 66), EXIT };
	struct bb_err e;
	uint64_t r0, fast_insns;

	/* The fast loop runs `rD = rS; rD op= K` as one superinstruction;
	 * run() checks it against the slow loop, which does not fuse. */
	cr_assert_eq(run(PROG(MOV(1, 10), MOVX(0, 1), I(0x67, 0, 0, 0, 66), EXIT)), 40);
	cr_assert_eq(run(PROG(MOV(1, -16), MOVX(0, 1), I(0xc7, 0, 0, 0, 2), EXIT)), (uint64_t)-4);
	cr_assert_eq(run(PROG(MOV(1, -16), MOVX(0, 1), I(0x77, 0, 0, 0, 60), EXIT)), 15);
	cr_assert_eq(run(PROG(MOV(0, 3), MOVX(0, 0), I(0x27, 0, 0, 0, -2), EXIT)), (uint64_t)-6);
	cr_assert_eq(run(PROG(MOV(1, 3), MOVX(0, 1), I(0x1f, 0, 1, 0, 0), EXIT)), 0);
	/* Different destinations do not fuse. */
	cr_assert_eq(run(PROG(MOV(1, 3), MOVX(0, 1), I(0x07, 1, 0, 0, 1), EXIT)), 3);
	/* A jump to the second half runs it alone. */
	cr_assert_eq(run(PROG(MOV(0, 1), MOV(1, 7), I(0x05, 0, 0, 1, 0), MOVX(0, 1),
			      I(0x07, 0, 0, 0, 5), EXIT)), 6);
	/* A fused pair still counts as two instructions. */
	cr_assert_eq(vm_load(vm, p, BB_ARRAY_SIZE(p), &e), 0);
	cr_assert_eq(vm_run(vm, NULL, 0, NULL, &r0, &e), 0);
	fast_insns = vm_stats(vm)->insns;
	cr_assert_eq(fast_insns, 4);
	cr_assert_eq(vm_run(vm, NULL, 0, &(struct vm_run_opts){ .checked = true }, &r0, &e), 0);
	cr_assert_eq(vm_stats(vm)->insns, fast_insns);
	vm_free(vm);
}

/* ----- memory ----- */

Test(interp, sign_extending_loads)
{
	uint8_t mem[8] = { 0x80, 0xff, 0x00, 0x80, 0x7f, 0, 0, 0 };

	cr_assert_eq(run_mem(PROG(I(0x91, 0, 1, 0, 0), EXIT), mem, 8), 0xffffffffffffff80ull);
	cr_assert_eq(run_mem(PROG(I(0x71, 0, 1, 0, 0), EXIT), mem, 8), 0x80);
	cr_assert_eq(run_mem(PROG(I(0x89, 0, 1, 0, 0), EXIT), mem, 8), 0xffffffffffffff80ull);
	cr_assert_eq(run_mem(PROG(I(0x69, 0, 1, 0, 0), EXIT), mem, 8), 0xff80);
	cr_assert_eq(run_mem(PROG(I(0x81, 0, 1, 0, 0), EXIT), mem, 8), 0xffffffff8000ff80ull);
	cr_assert_eq(run_mem(PROG(I(0x61, 0, 1, 0, 0), EXIT), mem, 8), 0x8000ff80);
	cr_assert_eq(run_mem(PROG(I(0x91, 0, 1, 4, 0), EXIT), mem, 8), 0x7f);
	/* Unaligned. */
	cr_assert_eq(run_mem(PROG(I(0x89, 0, 1, 3, 0), EXIT), mem, 8), 0x7f80);
}

/* One atomic instruction: *(mem) op= r2, with r0 preset; the program
 * stores r2 and r0 after it into mem[1] and mem[2]. */
struct atomic_case {
	uint8_t code;
	int32_t imm;
	uint64_t init, src, r0;
	uint64_t mem, src_after, r0_after;
};

Test(interp, atomics)
{
	const uint64_t A = 0x1111222233334444ull, B = 0xf0f0f0f00f0f0f0full;
	const uint64_t a32 = 0xaaaaaaaa00000000ull | 0x33334444, b32 = 0xdeadbeef0f0f0f0full;
	const uint64_t hi = 0xaaaaaaaa00000000ull, lo = 0x33334444;
	static const uint64_t R0 = 0x5555;
	const struct atomic_case cases[] = {
		{ 0xdb, 0x00, A, B, R0, A + B, B, R0 },
		{ 0xdb, 0x01, A, B, R0, A + B, A, R0 },
		{ 0xdb, 0x40, A, B, R0, A | B, B, R0 },
		{ 0xdb, 0x41, A, B, R0, A | B, A, R0 },
		{ 0xdb, 0x50, A, B, R0, A & B, B, R0 },
		{ 0xdb, 0x51, A, B, R0, A & B, A, R0 },
		{ 0xdb, 0xa0, A, B, R0, A ^ B, B, R0 },
		{ 0xdb, 0xa1, A, B, R0, A ^ B, A, R0 },
		{ 0xdb, 0xe1, A, B, R0, B, A, R0 },
		{ 0xdb, 0xf1, A, B, A, B, B, A },               /* match */
		{ 0xdb, 0xf1, A, B, R0, A, B, A },              /* no match */
		/* 32-bit: the high word of memory stays, fetched values and
		 * cmpxchg's r0 are zero-extended. */
		{ 0xc3, 0x00, a32, b32, R0, hi | (uint32_t)(lo + 0x0f0f0f0f), b32, R0 },
		{ 0xc3, 0x01, a32, b32, R0, hi | (uint32_t)(lo + 0x0f0f0f0f), lo, R0 },
		{ 0xc3, 0x40, a32, b32, R0, hi | (lo | 0x0f0f0f0f), b32, R0 },
		{ 0xc3, 0x41, a32, b32, R0, hi | (lo | 0x0f0f0f0f), lo, R0 },
		{ 0xc3, 0x50, a32, b32, R0, hi | (lo & 0x0f0f0f0f), b32, R0 },
		{ 0xc3, 0x51, a32, b32, R0, hi | (lo & 0x0f0f0f0f), lo, R0 },
		{ 0xc3, 0xa0, a32, b32, R0, hi | (lo ^ 0x0f0f0f0f), b32, R0 },
		{ 0xc3, 0xa1, a32, b32, R0, hi | (lo ^ 0x0f0f0f0f), lo, R0 },
		{ 0xc3, 0xe1, a32, b32, R0, hi | 0x0f0f0f0f, lo, R0 },
		{ 0xc3, 0xf1, a32, b32, 0xffffffff00000000ull | lo, hi | 0x0f0f0f0f, b32, lo },
		{ 0xc3, 0xf1, a32, b32, R0, a32, b32, lo },
	};

	for (size_t i = 0; i < BB_ARRAY_SIZE(cases); i++) {
		const struct atomic_case *c = &cases[i];
		uint64_t mem[3] = { c->init, 0, 0 };

		run_mem(PROG(MOVX(6, 1), LDDW(2, c->src), LDDW(0, c->r0),
			     I(c->code, 6, 2, 0, c->imm),
			     STXDW(6, 2, 8), STXDW(6, 0, 16), EXIT),
			mem, sizeof(mem));
		cr_assert_eq(mem[0], c->mem, "case %zu: mem 0x%" PRIx64, i, mem[0]);
		cr_assert_eq(mem[1], c->src_after, "case %zu: src 0x%" PRIx64, i, mem[1]);
		cr_assert_eq(mem[2], c->r0_after, "case %zu: r0 0x%" PRIx64, i, mem[2]);
	}
}

/* ----- jumps ----- */

/* 1 if the jump at index 1 is taken, else 0. */
#define TAKEN(setup1, setup2, jmp) \
	run(PROG(setup1, setup2, MOV(0, 1), jmp, MOV(0, 0), EXIT))

Test(interp, jmp32_and_jmp64)
{
	/* r1 = 0x1_0000_0005: 32-bit equal to 5, 64-bit not. */
	cr_assert_eq(run(PROG(LDDW(1, 0x100000005ull), MOV(0, 1), I(0x16, 1, 0, 1, 5),
			      MOV(0, 0), EXIT)), 1);
	cr_assert_eq(run(PROG(LDDW(1, 0x100000005ull), MOV(0, 1), I(0x15, 1, 0, 1, 5),
			      MOV(0, 0), EXIT)), 0);
	/* r1 = 0xffffffff: -1 as s32 but 4294967295 as u32 and s64. */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0x6e, 1, 2, 1, 0)), 0);  /* jsgt32 */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0x2e, 1, 2, 1, 0)), 1);  /* jgt32 */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0x6d, 1, 2, 1, 0)), 1);  /* jsgt */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0xce, 1, 2, 1, 0)), 1);  /* jslt32 */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0xc6, 1, 0, 1, 0)), 1);  /* jslt32 K */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0xa6, 1, 0, 1, 0)), 0);  /* jlt32 K */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0xd6, 1, 0, 1, -1)), 1); /* jsle32 K */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0xd5, 1, 0, 1, -1)), 0); /* jsle K */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0x36, 1, 0, 1, -1)), 1); /* jge32 K */
	cr_assert_eq(TAKEN(MOV32(1, -1), MOV(2, 0), I(0x35, 1, 0, 1, -1)), 0); /* jge K: imm sign-extends */
	cr_assert_eq(TAKEN(MOV32(1, 6), MOV(2, 2), I(0x4d, 1, 2, 1, 0)), 1);   /* jset */
	cr_assert_eq(TAKEN(MOV32(1, 6), MOV(2, 1), I(0x4e, 1, 2, 1, 0)), 0);   /* jset32 */
	cr_assert_eq(TAKEN(MOV32(1, 6), MOV(2, 1), I(0x5e, 1, 2, 1, 0)), 1);   /* jne32 */
	cr_assert_eq(TAKEN(MOV(1, -2), MOV(2, -1), I(0x7d, 1, 2, 1, 0)), 0);   /* jsge */
	cr_assert_eq(TAKEN(MOV(1, -2), MOV(2, -1), I(0xbd, 1, 2, 1, 0)), 1);   /* jle */
	/* gotol with a 32-bit offset, and backward ja. */
	cr_assert_eq(run(PROG(MOV(0, 1), I(0x06, 0, 0, 0, 1), MOV(0, 2), EXIT)), 1);
	cr_assert_eq(run(PROG(MOV(0, 0), I(0x05, 0, 0, 2, 0), EXIT, EXIT,
			      I(0x07, 0, 0, 0, 1), I(0x05, 0, 0, -4, 0))), 1);
}

/* ----- legacy packet loads ----- */

Test(interp, ld_abs_and_ld_ind)
{
	uint8_t pkt[6] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
	struct vm_run_opts opts = { .packet = pkt, .packet_len = sizeof(pkt) };
	uint64_t r0 = 0;

	cr_assert_eq(run_mem(PROG(I(0x20, 0, 0, 0, 1), EXIT), pkt, 6), 0x22334455);
	cr_assert_eq(run_mem(PROG(I(0x28, 0, 0, 0, 4), EXIT), pkt, 6), 0x5566);
	cr_assert_eq(run_mem(PROG(I(0x30, 0, 0, 0, 5), EXIT), pkt, 6), 0x66);
	cr_assert_eq(run_mem(PROG(MOV(3, 2), I(0x40, 0, 3, 0, 0), EXIT), pkt, 6), 0x33445566);
	cr_assert_eq(run_mem(PROG(MOV(3, 2), I(0x48, 0, 3, 0, 1), EXIT), pkt, 6), 0x4455);
	cr_assert_eq(run_mem(PROG(MOV(3, 2), I(0x50, 0, 3, 0, -1), EXIT), pkt, 6), 0x22);
	/* Out of bounds: the program ends at once with r0 = 0. */
	cr_assert_eq(run_mem(PROG(MOV(0, 9), I(0x20, 0, 0, 0, 3), MOV(0, 7), EXIT), pkt, 6), 0);
	cr_assert_eq(run_mem(PROG(MOV(0, 9), I(0x30, 0, 0, 0, 6), MOV(0, 7), EXIT), pkt, 6), 0);
	cr_assert_eq(run_mem(PROG(MOV(0, 9), MOV(3, -1), I(0x50, 0, 3, 0, 0), MOV(0, 7), EXIT),
			     pkt, 6), 0);
	cr_assert_eq(run_mem(PROG(MOV(0, 9), I(0x30, 0, 0, 0, -1), MOV(0, 7), EXIT), pkt, 6), 0);
	cr_assert_eq(run(PROG(MOV(0, 9), I(0x30, 0, 0, 0, 0), MOV(0, 7), EXIT)), 0);
	/* An explicit packet buffer instead of the input memory. */
	cr_assert_eq(run_mode(PROG(I(0x28, 0, 0, 0, 0), EXIT), NULL, 0, &opts, &r0, NULL, 0), 0);
	cr_assert_eq(r0, 0x1122);
}

/* ----- lddw pseudo sources ----- */

Test(interp, lddw_map_sources_fail_at_load)
{
	static const int srcs[] = { 1, 2, 5, 6 };
	char want[256], msg[512];
	static const char *const names[] = { "map_fd", "map_value", "map_idx", "map_idx_value" };

	for (size_t i = 0; i < BB_ARRAY_SIZE(srcs); i++) {
		struct isa_raw p[] = { MOV(0, 0), LDDW_SRC(1, srcs[i], 3), EXIT };
		struct vm *vm = vm_new(NULL);
		struct bb_err e;

		bb_err_clear(&e);
		cr_assert_eq(vm_load(vm, p, BB_ARRAY_SIZE(p), &e), -EOPNOTSUPP);
		snprintf(want, sizeof(want),
			 "insn 1: lddw src %d (%s): map reference needs a map resolver (vm_set_map_resolver)",
			 srcs[i], names[i]);
		cr_assert_str_eq(bb_err_str(&e, msg, sizeof(msg)), want);
		cr_assert_eq(e.insn, 1);
		/* A failed load leaves nothing runnable behind. */
		cr_assert_eq(vm_run(vm, NULL, 0, NULL, NULL, NULL), -EINVAL);
		vm_free(vm);
	}
}

/* ----- calls ----- */

/* main calls f with r1 = @nest; f recurses @nest more times. */
static int nested_calls(int nest, uint64_t *r0, char *msg, size_t size)
{
	struct vm_run_opts opts = { 0 };

	return run_mode(PROG(MOV(1, nest), CALL_LOCAL(1), EXIT,
			     MOV(0, 42), I(0x15, 1, 0, 2, 0), I(0x17, 1, 0, 0, 1),
			     CALL_LOCAL(-4), EXIT),
			NULL, 0, &opts, r0, msg, size);
}

Test(interp, call_depth)
{
	struct vm_run_opts checked = { .checked = true };
	char msg[512];
	uint64_t r0 = 0;

	/* main + 7 nested frames is the kernel's limit of 8. */
	cr_assert_eq(nested_calls(6, &r0, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(r0, 42);
	cr_assert_eq(nested_calls(7, &r0, msg, sizeof(msg)), -E2BIG);
	cr_assert_str_eq(msg, "insn 6: call depth exceeds 8");
	expect_error(PROG(CALL_LOCAL(-1), EXIT), NULL, 0, &checked, -E2BIG,
		     "insn 0: call depth exceeds 8");
}

Test(interp, stack_frames_are_independent)
{
	/* main: [r10-8] = 1, r6 = 6; call f; r0 = [r10-8] * 100 + r6 * 10
	 *       + (r10 restored ? 1 : 0)
	 * f:    [r10-8] = 2 (its own frame), r6 = 0, r7 = caller's r10 - its r10 */
	uint64_t r0 = run(PROG(
		STDW(10, -8, 1), MOV(6, 6), MOVX(8, 10),
		CALL_LOCAL(8),
		LDXDW(0, 10, -8), I(0x27, 0, 0, 0, 100),
		I(0x27, 6, 0, 0, 10), I(0x0f, 0, 6, 0, 0),
		I(0x1d, 8, 10, 1, 0), EXIT,                      /* r8 == r10 */
		I(0x07, 0, 0, 0, 1), EXIT,
		/* f */
		STDW(10, -8, 2), MOV(6, 0), MOVX(0, 8), I(0x1f, 0, 10, 0, 0), EXIT));

	cr_assert_eq(r0, 100 + 60 + 1, "r0 = %" PRIu64, r0);
	/* The callee's frame is 512 bytes below the caller's. */
	cr_assert_eq(run(PROG(MOVX(6, 10), CALL_LOCAL(1), EXIT,
			      MOVX(0, 6), I(0x1f, 0, 10, 0, 0), EXIT)), 512);
}

Test(interp, callx_function_and_helper)
{
	struct vm_run_opts opts = { 0 };
	char msg[512];
	uint64_t r0;

	/* lddw src=4 gives the function's address; callx runs it as a call. */
	cr_assert_eq(run(PROG(LDDW_SRC(2, 4, 5), MOV(6, 1), CALLX(2), I(0x0f, 0, 6, 0, 0),
			      EXIT, MOV(0, 7), MOV(6, 100), EXIT)), 8);
	/* A helper id in the register calls the helper. */
	cr_assert_eq(run(PROG(MOV(1, 41), MOV(3, 5), CALLX(3), EXIT)), 42);
	/* Neither: an unknown helper id and an address outside the program. */
	cr_assert_eq(run_mode(PROG(MOV(3, 6), CALLX(3), EXIT), NULL, 0, &opts, &r0,
			      msg, sizeof(msg)), -ENOENT);
	cr_assert_str_eq(msg, "insn 1: helper 6 (trace_printk) not available offline");
	cr_assert_eq(run_mode(PROG(LDDW(3, 0x123456789ull), CALLX(3), EXIT), NULL, 0, &opts,
			      &r0, msg, sizeof(msg)), -EINVAL);
	cr_assert_str_eq(msg, "insn 2: callx target 0x123456789 (r3) is neither a function address nor a helper id");
}

Test(interp, helpers)
{
	struct vm_run_opts opts = { 0 };
	char msg[512];
	uint64_t r0;

	cr_assert_eq(run(PROG(MOV(1, 1), MOV(2, 2), MOV(3, 3), MOV(4, 4), MOV(5, 5),
			      CALL(1000), EXIT)), 15 + 5000);
	cr_assert_eq(run(PROG(MOV(1, 1), CALL(5), CALL(5), EXIT)), 2);
	expect_error(PROG(CALL(1), EXIT), NULL, 0, &opts, -ENOENT,
		     "insn 0: helper 1 (map_lookup_elem) not available offline");
	expect_error(PROG(MOV(0, 0), CALL(1001), EXIT), NULL, 0, &opts, -EPERM,
		     "insn 1: stopped by helper 1001");
	/* The same failures in the checked loop. */
	opts.checked = true;
	expect_error(PROG(MOV(0, 0), CALL(77), EXIT), NULL, 0, &opts, -ENOENT,
		     "insn 1: helper 77 (rc_repeat) not available offline");
	cr_assert_eq(run_mode(PROG(CALL(1001), EXIT), NULL, 0, &opts, &r0, msg, sizeof(msg)),
		     -EPERM);
	/* Names: given, or the kernel's for that id. */
	cr_assert_str_eq(vm_helpers_name(helpers, 1000), "sum");
	cr_assert_str_eq(vm_helpers_name(helpers, 5), "ktime_get_ns");
	cr_assert_str_eq(vm_helpers_name(helpers, 1), "map_lookup_elem");
	cr_assert_null(vm_helpers_get(helpers, 1));
	cr_assert_eq(vm_helpers_get(helpers, 5), helper_plus_one);
	cr_assert_eq(vm_helpers_add(helpers, 65536, NULL, helper_sum), -EINVAL);
	cr_assert_eq(vm_helpers_add(helpers, -1, NULL, helper_sum), -EINVAL);
}

/* ----- budget and stats ----- */

Test(interp, budget_and_stats)
{
	struct vm_run_opts opts = { .budget = 100 };
	struct vm *vm = vm_new(NULL);
	const struct isa_raw loop[] = { MOV(0, 0), I(0x07, 0, 0, 0, 1), I(0x05, 0, 0, -2, 0), EXIT };
	const struct isa_raw count[] = { MOV(0, 3), I(0x17, 0, 0, 0, 1), I(0x55, 0, 0, -2, 0), EXIT };
	struct bb_err e;
	char msg[512];
	uint64_t r0;

	bb_err_clear(&e);
	expect_error(loop, 4, NULL, 0, &opts, -ETIME, "insn 2: instruction budget of 100 exhausted");
	cr_assert_eq(vm_load(vm, loop, 4, &e), 0);
	cr_assert_eq(vm_run(vm, NULL, 0, &opts, &r0, &e), -ETIME);
	cr_assert_eq(vm_stats(vm)->insns, 100);
	cr_assert_eq(e.insn, 2);
	cr_assert_str_eq(e.msg, "instruction budget of 100 exhausted");
	/* Executed count: 1 + 3 * 2 + 1, in both loops; a big enough
	 * budget changes nothing. */
	cr_assert_eq(vm_load(vm, count, 4, &e), 0);
	cr_assert_eq(vm_run(vm, NULL, 0, NULL, &r0, &e), 0);
	cr_assert_eq(vm_stats(vm)->insns, 8);
	opts.budget = 8;
	cr_assert_eq(vm_run(vm, NULL, 0, &opts, &r0, &e), 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
	cr_assert_eq(vm_stats(vm)->insns, 8);
	opts.budget = 7;
	cr_assert_eq(vm_run(vm, NULL, 0, &opts, &r0, &e), -ETIME);
	vm_free(vm);
}

/* ----- checked mode ----- */

Test(interp, checked_out_of_bounds)
{
	struct vm_run_opts checked = { .checked = true };
	uint8_t mem[8] = { 0 };
	char want[256];

	snprintf(want, sizeof(want), "insn 0: out-of-bounds 4-byte read at 0x%" PRIxPTR " (r1)",
		 (uintptr_t)mem + 8);
	expect_error(PROG(I(0x61, 0, 1, 8, 0), EXIT), mem, 8, &checked, -EFAULT, want);
	snprintf(want, sizeof(want), "insn 1: out-of-bounds 4-byte write at 0x%" PRIxPTR " (r1)",
		 (uintptr_t)mem + 6);
	expect_error(PROG(MOV(0, 0), I(0x62, 1, 0, 6, 1), EXIT), mem, 8, &checked, -EFAULT, want);
	snprintf(want, sizeof(want), "insn 1: out-of-bounds 8-byte write at 0x%" PRIxPTR " (r2)",
		 (uintptr_t)mem - 1);
	expect_error(PROG(MOVX(2, 1), STXDW(2, 1, -1), EXIT), mem, 8, &checked, -EFAULT, want);
	/* No memory at all: r1 = 0. */
	expect_error(PROG(I(0x71, 0, 1, 0, 0), EXIT), NULL, 0, &checked, -EFAULT,
		     "insn 0: out-of-bounds 1-byte read at 0x0 (r1)");
	/* In bounds is fine at both ends. */
	cr_assert_eq(run_mem(PROG(I(0x71, 0, 1, 7, 0), I(0x61, 2, 1, 4, 0), EXIT), mem, 8), 0);
}

Test(interp, checked_stack_bounds)
{
	struct vm_run_opts checked = { .checked = true };
	char msg[512];
	uint64_t r0;

	/* The top and bottom slots of the frame are fine. */
	cr_assert_eq(run(PROG(STDW(10, -8, 1), STDW(10, -512, 2), LDXDW(0, 10, -512), EXIT)), 2);
	/* Above the top (underflow) and below the bottom (overflow). */
	cr_assert_eq(run_mode(PROG(STDW(10, 0, 1), EXIT), NULL, 0, &checked, &r0, msg,
			      sizeof(msg)), -EFAULT);
	cr_assert(strstr(msg, "insn 0: out-of-bounds 8-byte write at 0x") && strstr(msg, " (r10)"),
		  "%s", msg);
	cr_assert_eq(run_mode(PROG(LDXDW(0, 10, -520), EXIT), NULL, 0, &checked, &r0, msg,
			      sizeof(msg)), -EFAULT);
	cr_assert(strstr(msg, "insn 0: out-of-bounds 8-byte read at 0x") && strstr(msg, " (r10)"),
		  "%s", msg);
	cr_assert_eq(run_mode(PROG(I(0x61, 0, 10, -2, 0), EXIT), NULL, 0, &checked, &r0, msg,
			      sizeof(msg)), -EFAULT);
	/* A callee may use its caller's frame through a pointer, but an
	 * access may not straddle two frames. */
	cr_assert_eq(run(PROG(STDW(10, -8, 5), MOVX(1, 10), CALL_LOCAL(1), EXIT,
			      LDXDW(0, 1, -8), EXIT)), 5);
	cr_assert_eq(run_mode(PROG(MOVX(1, 10), CALL_LOCAL(1), EXIT,
				   LDXDW(0, 10, -4), EXIT), NULL, 0, &checked, &r0, msg,
			      sizeof(msg)), -EFAULT);
	/* After the callee returns its frame is dead. */
	cr_assert_eq(run_mode(PROG(CALL_LOCAL(2), LDXDW(0, 0, -8), EXIT,
				   MOVX(0, 10), EXIT), NULL, 0, &checked, &r0, msg,
			      sizeof(msg)), -EFAULT);
	cr_assert(strstr(msg, "insn 1: out-of-bounds 8-byte read at 0x") && strstr(msg, " (r0)"),
		  "%s", msg);
}

Test(interp, checked_regions)
{
	struct vm_run_opts checked = { .checked = true, .set_regs = true };
	uint64_t ro[2] = { 7, 8 }, rw[1] = { 0 };
	struct vm *vm = vm_new(NULL);
	struct bb_err e;
	char want[256], msg[512];
	uint64_t r0 = 0;
	const struct isa_raw rd[] = { LDXDW(0, 1, 8), STXDW(2, 0, 0), LDXDW(0, 2, 0), EXIT };
	const struct isa_raw wr[] = { STDW(1, 0, 1), EXIT };

	bb_err_clear(&e);
	checked.r1 = (uintptr_t)ro;
	checked.r2 = (uintptr_t)rw;
	cr_assert_eq(vm_load(vm, rd, BB_ARRAY_SIZE(rd), &e), 0);
	/* Unknown memory until registered. */
	cr_assert_eq(vm_run(vm, NULL, 0, &checked, &r0, &e), -EFAULT);
	cr_assert_eq(vm_add_region(vm, ro, sizeof(ro), false, "ro"), 0);
	cr_assert_eq(vm_add_region(vm, rw, sizeof(rw), true, "rw"), 0);
	cr_assert_eq(vm_run(vm, NULL, 0, &checked, &r0, &e), 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
	cr_assert_eq(r0, 8);
	cr_assert_eq(rw[0], 8);
	/* A write to a read-only region. */
	cr_assert_eq(vm_load(vm, wr, BB_ARRAY_SIZE(wr), &e), 0);
	cr_assert_eq(vm_run(vm, NULL, 0, &checked, &r0, &e), -EFAULT);
	snprintf(want, sizeof(want),
		 "insn 0: out-of-bounds 8-byte write at 0x%" PRIxPTR " (r1): region 'ro' is read-only",
		 (uintptr_t)ro);
	cr_assert_str_eq(bb_err_str(&e, msg, sizeof(msg)), want);
	cr_assert_eq(ro[0], 7);
	vm_clear_regions(vm);
	checked.r1 = (uintptr_t)rw;
	cr_assert_eq(vm_run(vm, NULL, 0, &checked, &r0, &e), -EFAULT);
	vm_free(vm);
}

Test(interp, checked_misaligned_atomic)
{
	struct vm_run_opts checked = { .checked = true };
	uint64_t mem[2] = { 0 };
	char want[256];

	snprintf(want, sizeof(want), "insn 1: misaligned 8-byte atomic at 0x%" PRIxPTR " (r1)",
		 (uintptr_t)mem + 4);
	expect_error(PROG(MOV(2, 1), I(0xdb, 1, 2, 4, 0), EXIT), mem, sizeof(mem), &checked,
		     -EFAULT, want);
}

/* ----- trace ----- */

struct trace_rec {
	int n;
	uint32_t pc[16];
	uint16_t op[16];
	uint64_t before[16][VM_NREGS], after[16][VM_NREGS];
};

static void record(void *arg, uint32_t pc, const struct isa_insn *in,
		   const uint64_t before[VM_NREGS], const uint64_t after[VM_NREGS])
{
	struct trace_rec *t = arg;

	cr_assert_lt(t->n, 16);
	t->pc[t->n] = pc;
	t->op[t->n] = in->op;
	memcpy(t->before[t->n], before, sizeof(t->before[0]));
	memcpy(t->after[t->n], after, sizeof(t->after[0]));
	t->n++;
}

Test(interp, trace_sees_registers_around_each_insn)
{
	struct trace_rec t = { 0 };
	struct vm_run_opts opts = { .trace = record, .trace_arg = &t };
	uint64_t r0;

	cr_assert_eq(run_mode(PROG(MOV(0, 5), LDDW(2, 0x100000000ull), I(0x0f, 0, 2, 0, 0),
				   I(0x15, 0, 0, 1, 0), I(0x07, 0, 0, 0, 1), EXIT),
			      NULL, 0, &opts, &r0, NULL, 0), 0);
	cr_assert_eq(r0, 0x100000006ull);
	cr_assert_eq(t.n, 6);
	cr_assert_eq(t.pc[0], 0);
	cr_assert_eq(t.pc[1], 1);
	cr_assert_eq(t.pc[2], 3);
	cr_assert_eq(t.pc[3], 4);
	cr_assert_eq(t.pc[4], 5);
	cr_assert_eq(t.pc[5], 6);
	cr_assert_eq(t.op[1], ISA_OP_LDDW);
	cr_assert_eq(t.op[5], ISA_OP_EXIT);
	cr_assert_eq(t.before[0][0], 0);
	cr_assert_eq(t.after[0][0], 5);
	cr_assert_eq(t.before[1][2], 0);
	cr_assert_eq(t.after[1][2], 0x100000000ull);
	cr_assert_eq(t.before[2][0], 5);
	cr_assert_eq(t.after[2][0], 0x100000005ull);
	cr_assert_eq(t.before[4][0], 0x100000005ull);
	cr_assert_eq(t.after[4][0], 0x100000006ull);
	cr_assert_eq(memcmp(t.before[5], t.after[5], sizeof(t.after[5])), 0);
	/* r10 is the frame top throughout. */
	cr_assert_neq(t.after[0][10], 0);
}

Test(interp, trace_stops_at_error)
{
	struct trace_rec t = { 0 };
	struct vm_run_opts opts = { .trace = record, .trace_arg = &t, .checked = true };
	uint64_t r0;

	cr_assert_eq(run_mode(PROG(MOV(0, 5), LDXDW(0, 1, 0), EXIT), NULL, 0, &opts, &r0,
			      NULL, 0), -EFAULT);
	cr_assert_eq(t.n, 1);
}
