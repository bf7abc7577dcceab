/* SPDX-License-Identifier: MIT */
/*
 * bench/progs.h - the three benchmark programs as raw BPF instructions
 * (the assembler is not a dependency of the benchmark), each with the
 * pseudo-C it encodes.  native.h has the same algorithms in C.
 */
#ifndef BAREBPF_BENCH_PROGS_H
#define BAREBPF_BENCH_PROGS_H

#include "isa/isa.h"

#define I(c, d, s, o, i) { .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) }
#define LDDW(d, v) I(0x18, d, 0, 0, (int32_t)(uint32_t)(v)), I(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))

/* r1 = seed, r2 = iterations (>= 1); returns the last xorshift64 state. */
static const struct isa_raw prog_xorshift[] = {
	I(0xbf, 0, 1, 0, 0),            /* 0: r0 = r1 */
	I(0xbf, 3, 0, 0, 0),            /* 1: loop: r3 = r0 */
	I(0x67, 3, 0, 0, 13),           /* 2: r3 <<= 13 */
	I(0xaf, 0, 3, 0, 0),            /* 3: r0 ^= r3 */
	I(0xbf, 3, 0, 0, 0),            /* 4: r3 = r0 */
	I(0x77, 3, 0, 0, 7),            /* 5: r3 >>= 7 */
	I(0xaf, 0, 3, 0, 0),            /* 6: r0 ^= r3 */
	I(0xbf, 3, 0, 0, 0),            /* 7: r3 = r0 */
	I(0x67, 3, 0, 0, 17),           /* 8: r3 <<= 17 */
	I(0xaf, 0, 3, 0, 0),            /* 9: r0 ^= r3 */
	I(0x17, 2, 0, 0, 1),            /* 10: r2 -= 1 */
	I(0x55, 2, 0, -11, 0),          /* 11: if r2 != 0 goto loop */
	I(0x95, 0, 0, 0, 0),            /* 12: exit */
};

/* r1 = data, r2 = length; returns the 64-bit FNV-1a hash. */
static const struct isa_raw prog_fnv1a[] = {
	LDDW(0, 0xcbf29ce484222325ull), /* 0: r0 = offset basis */
	LDDW(3, 0x100000001b3ull),      /* 2: r3 = FNV prime */
	I(0x0f, 2, 1, 0, 0),            /* 4: r2 += r1 (end) */
	I(0x3d, 1, 2, 5, 0),            /* 5: if r1 >= r2 goto out */
	I(0x71, 4, 1, 0, 0),            /* 6: loop: r4 = *(u8 *)(r1 + 0) */
	I(0xaf, 0, 4, 0, 0),            /* 7: r0 ^= r4 */
	I(0x2f, 0, 3, 0, 0),            /* 8: r0 *= r3 */
	I(0x07, 1, 0, 0, 1),            /* 9: r1 += 1 */
	I(0xad, 1, 2, -5, 0),           /* 10: if r1 < r2 goto loop */
	I(0x95, 0, 0, 0, 0),            /* 11: out: exit */
};

/*
 * r1 = n; returns 1 if no i in [2, n) divides n.  The conformance suite's
 * prime.data, whose remainder is n - n / i * i.
 */
static const struct isa_raw prog_prime[] = {
	I(0xb7, 0, 0, 0, 1),            /* 0: r0 = 1 */
	I(0xb7, 2, 0, 0, 2),            /* 1: r2 = 2 */
	I(0x25, 1, 0, 4, 2),            /* 2: if r1 > 2 goto test */
	I(0x05, 0, 0, 10, 0),           /* 3: goto out */
	I(0x07, 2, 0, 0, 1),            /* 4: next: r2 += 1 */
	I(0xb7, 0, 0, 0, 1),            /* 5: r0 = 1 */
	I(0x3d, 2, 1, 7, 0),            /* 6: if r2 >= r1 goto out */
	I(0xbf, 3, 1, 0, 0),            /* 7: test: r3 = r1 */
	I(0x3f, 3, 2, 0, 0),            /* 8: r3 /= r2 */
	I(0x2f, 3, 2, 0, 0),            /* 9: r3 *= r2 */
	I(0xbf, 4, 1, 0, 0),            /* 10: r4 = r1 */
	I(0x1f, 4, 3, 0, 0),            /* 11: r4 -= r3 */
	I(0xb7, 0, 0, 0, 0),            /* 12: r0 = 0 */
	I(0x55, 4, 0, -10, 0),          /* 13: if r4 != 0 goto next */
	I(0x95, 0, 0, 0, 0),            /* 14: out: exit */
};

#undef LDDW
#undef I

#endif
