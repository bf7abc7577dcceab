/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_domain.h - the numeric domain of the verifier, with no eBPF
 * knowledge: what a set of 64-bit values looks like to the abstract
 * interpreter.
 *
 * A struct vf_sval describes a set of u64 values by five facts that must
 * all hold for every member x:
 *   - known bits (tnum): x & ~t.mask == t.value;
 *   - umin <= x <= umax, smin <= (s64)x <= smax;
 *   - u32min <= (u32)x <= u32max, s32min <= (s32)x <= s32max.
 * vf_sval_sync() makes the five agree with each other (each tightened by
 * what the others imply), like the kernel's reg_bounds_sync().  Every
 * transfer function below is sound: if a is in A and b is in B then
 * op(a, b) is in the result.  Tests check that by brute force.
 */
#ifndef BAREBPF_VERIFIER_VF_DOMAIN_H
#define BAREBPF_VERIFIER_VF_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

/* ----- tnum: known bits.  value & mask == 0 always. ----- */
struct vf_tnum {
	uint64_t value;         /* bits known to be 1 */
	uint64_t mask;          /* bits not known */
};

#define VF_TNUM_UNKNOWN ((struct vf_tnum){ 0, ~0ull })

struct vf_tnum vf_tnum_const(uint64_t v);                       /* {v} */
struct vf_tnum vf_tnum_range(uint64_t min, uint64_t max);       /* covers [min,max] */
struct vf_tnum vf_tnum_add(struct vf_tnum a, struct vf_tnum b); /* a + b */
struct vf_tnum vf_tnum_sub(struct vf_tnum a, struct vf_tnum b); /* a - b */
struct vf_tnum vf_tnum_neg(struct vf_tnum a);                   /* -a */
struct vf_tnum vf_tnum_and(struct vf_tnum a, struct vf_tnum b); /* a & b */
struct vf_tnum vf_tnum_or(struct vf_tnum a, struct vf_tnum b);  /* a | b */
struct vf_tnum vf_tnum_xor(struct vf_tnum a, struct vf_tnum b); /* a ^ b */
struct vf_tnum vf_tnum_mul(struct vf_tnum a, struct vf_tnum b); /* a * b */
struct vf_tnum vf_tnum_lsh(struct vf_tnum a, unsigned k);       /* a << k, k < 64 */
struct vf_tnum vf_tnum_rsh(struct vf_tnum a, unsigned k);       /* a >> k logical */
/* a s>> k in a @bits-wide (32 or 64) register; result zero-extended. */
struct vf_tnum vf_tnum_arsh(struct vf_tnum a, unsigned k, unsigned bits);
/* Values in both (caller checks vf_tnum_conflict() first). */
struct vf_tnum vf_tnum_intersect(struct vf_tnum a, struct vf_tnum b);
/* Values in either (the join). */
struct vf_tnum vf_tnum_union(struct vf_tnum a, struct vf_tnum b);
/* Low @size bytes (zero-extended). */
struct vf_tnum vf_tnum_cast(struct vf_tnum a, unsigned size);
/* Sign-extend the low @bits bits. */
struct vf_tnum vf_tnum_sext(struct vf_tnum a, unsigned bits);
/* Byte swap of the low @bits bits (16, 32, 64), upper bits zero. */
struct vf_tnum vf_tnum_bswap(struct vf_tnum a, unsigned bits);
/* Low 32 bits / upper 32 bits of a replaced by the low 32 of b. */
struct vf_tnum vf_tnum_subreg(struct vf_tnum a);
struct vf_tnum vf_tnum_with_subreg(struct vf_tnum a, struct vf_tnum sub);
/* The smallest member of @t above @z, saturating at the largest member
 * (the kernel's tnum_step). */
uint64_t vf_tnum_step(struct vf_tnum t, uint64_t z);
bool vf_tnum_is_const(struct vf_tnum a);
bool vf_tnum_is_unknown(struct vf_tnum a);
/* Every value of b is a value of a. */
bool vf_tnum_in(struct vf_tnum a, struct vf_tnum b);
/* Is x a member of a. */
bool vf_tnum_contains(struct vf_tnum a, uint64_t x);
/* No value is in both. */
bool vf_tnum_conflict(struct vf_tnum a, struct vf_tnum b);
/* All values are multiples of @align (a power of two). */
bool vf_tnum_is_aligned(struct vf_tnum a, uint64_t align);

/* ----- scalar value: tnum + four ranges ----- */
struct vf_sval {
	struct vf_tnum t;
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32min, s32max;
	uint32_t u32min, u32max;
};

struct vf_sval vf_sval_unknown(void);           /* every u64 */
struct vf_sval vf_sval_const(uint64_t v);       /* {v} */
/* Every value in [lo, hi] unsigned. */
struct vf_sval vf_sval_urange(uint64_t lo, uint64_t hi);
bool vf_sval_is_const(const struct vf_sval *v);
bool vf_sval_is_const32(const struct vf_sval *v);
bool vf_sval_is_unknown(const struct vf_sval *v);
/* Membership of one concrete value. */
bool vf_sval_contains(const struct vf_sval *v, uint64_t x);
/* No value satisfies all five facts (the state is unreachable). */
bool vf_sval_is_empty(const struct vf_sval *v);
/* Tighten each fact by the others (the kernel's reg_bounds_sync). */
void vf_sval_sync(struct vf_sval *v);
/* Every value of @cur is in @old (for state pruning). */
bool vf_sval_within(const struct vf_sval *old, const struct vf_sval *cur);
/* The join: every value of a or b. */
struct vf_sval vf_sval_union(const struct vf_sval *a, const struct vf_sval *b);
/* Zero-extend the low 32 bits (what every 32-bit ALU op does to dst). */
void vf_sval_zext32(struct vf_sval *v);
/* Keep the low @size bytes (a narrowing load or truncation). */
void vf_sval_cast(struct vf_sval *v, unsigned size);
/* Add a constant (pointer offset updates): v + c, 64-bit. */

/* ALU operations, in one enumeration so callers can table them. */
enum vf_aop {
	VF_A_ADD, VF_A_SUB, VF_A_MUL, VF_A_DIV, VF_A_SDIV, VF_A_MOD, VF_A_SMOD,
	VF_A_OR, VF_A_AND, VF_A_XOR, VF_A_LSH, VF_A_RSH, VF_A_ARSH, VF_A_NEG,
	VF_A_MOV, VF_A_MOVSX8, VF_A_MOVSX16, VF_A_MOVSX32,
	VF_A_LE16, VF_A_LE32, VF_A_LE64, VF_A_BSWAP16, VF_A_BSWAP32, VF_A_BSWAP64,
	VF_A_COUNT
};

/*
 * dst = dst OP src in a 64-bit (@bits 64) or 32-bit (@bits 32, result
 * zero-extended) register.  Shifts take the count modulo the width, as
 * the ISA does.  Division by zero gives 0, modulo by zero keeps dst.
 * The result is synced.
 */
struct vf_sval vf_sval_alu(enum vf_aop op, unsigned bits, const struct vf_sval *dst,
			   const struct vf_sval *src);
/* Concrete semantics of the same operation (for tests and constant folding). */
uint64_t vf_alu_concrete(enum vf_aop op, unsigned bits, uint64_t dst, uint64_t src);

/* Comparisons of conditional jumps. */
enum vf_cmp {
	VF_C_EQ, VF_C_NE, VF_C_GT, VF_C_GE, VF_C_LT, VF_C_LE,
	VF_C_SGT, VF_C_SGE, VF_C_SLT, VF_C_SLE, VF_C_SET, VF_C_NSET, VF_C_COUNT
};
/* The comparison that holds on the other edge (EQ <-> NE, GT <-> LE ...). */
enum vf_cmp vf_cmp_negate(enum vf_cmp c);
/* a c b  <=>  b flip(c) a  (GT <-> LT, EQ stays ...). */
enum vf_cmp vf_cmp_flip(enum vf_cmp c);
bool vf_cmp_concrete(enum vf_cmp c, unsigned bits, uint64_t a, uint64_t b);
/* 1: a c b for every pair, 0: for none, -1: depends. */
int vf_sval_cmp_decide(enum vf_cmp c, unsigned bits, const struct vf_sval *a,
		       const struct vf_sval *b);
/*
 * Assume a c b holds (in @bits-wide comparison) and narrow both.  Returns
 * false when no pair satisfies it (the edge is dead).  Results are synced.
 */
bool vf_sval_refine(enum vf_cmp c, unsigned bits, struct vf_sval *a, struct vf_sval *b);

#endif
