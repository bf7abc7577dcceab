/* SPDX-License-Identifier: MIT */
/*
 * The numeric domain on its own: tnum operations, the sync step, every
 * ALU transfer function and both edges of every comparison, checked by
 * brute force.  Abstract values are built as the join of a few random
 * concrete values (biased to edges: 0, -1, sign bits, small numbers), so
 * those values are members; every operation on members must give a
 * member of the abstract result.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "verifier/vf_domain.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_val(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 255, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		~0ull, ~0ull - 1, 0xffffffff80000000ull,
	};
	switch (rnd() % 6) {
	case 0: return edge[rnd() % (sizeof(edge) / sizeof(edge[0]))];
	case 1: return rnd() % 64;
	case 2: return (uint64_t)-(int64_t)(rnd() % 64);
	case 3: return (uint32_t)rnd();
	case 4: return rnd() & 0xff00ff;
	default: return rnd();
	}
}

#define NV 4
struct sample {
	struct vf_sval a;
	uint64_t v[NV];
	int n;
};

/* The abstraction of n related random values (sometimes a neighbourhood). */
static void mk(struct sample *s)
{
	uint64_t base = rnd_val();

	s->n = 1 + (int)(rnd() % NV);
	for (int i = 0; i < s->n; i++) {
		switch (rnd() % 3) {
		case 0: s->v[i] = base + rnd() % 5; break;
		case 1: s->v[i] = base ^ (rnd() & 0xf0); break;
		default: s->v[i] = rnd_val(); break;
		}
	}
	s->a = vf_sval_const(s->v[0]);
	for (int i = 1; i < s->n; i++) {
		struct vf_sval c = vf_sval_const(s->v[i]);

		s->a = vf_sval_union(&s->a, &c);
	}
}

Test(domain, tnum_basics)
{
	struct vf_tnum t = vf_tnum_range(16, 31);

	cr_assert_eq(t.value, 16);
	cr_assert_eq(t.mask, 15);
	cr_assert(vf_tnum_is_const(vf_tnum_const(5)));
	cr_assert(vf_tnum_in(VF_TNUM_UNKNOWN, vf_tnum_const(5)));
	cr_assert(!vf_tnum_in(vf_tnum_const(5), VF_TNUM_UNKNOWN));
	cr_assert(vf_tnum_conflict(vf_tnum_const(4), vf_tnum_const(5)));
	t = vf_tnum_add(vf_tnum_const(3), vf_tnum_const(4));
	cr_assert(t.value == 7 && !t.mask);
	t = vf_tnum_mul(vf_tnum_range(0, 3), vf_tnum_const(4));
	cr_assert_eq(t.value, 0);
	cr_assert_eq(t.mask, 12);
	t = vf_tnum_arsh(vf_tnum_const(0x80000000), 4, 32);
	cr_assert_eq(t.value, 0xf8000000);
	t = vf_tnum_sext(vf_tnum_const(0x80), 8);
	cr_assert_eq(t.value, ~0ull - 0x7f);
	t = vf_tnum_bswap(vf_tnum_const(0x1234), 16);
	cr_assert_eq(t.value, 0x3412);
	cr_assert(vf_tnum_is_aligned(vf_tnum_const(16), 8));
	cr_assert(!vf_tnum_is_aligned(vf_tnum_range(0, 15), 8));
}

/* vf_tnum_step against brute force: every 8-bit tnum and every z. */
Test(domain, tnum_step_exact)
{
	for (uint64_t mask = 0; mask < 256; mask++)
		for (uint64_t value = 0; value < 256; value++) {
			struct vf_tnum t = { value & ~mask, mask };
			uint64_t tmax = t.value | t.mask;

			if (value & mask)
				continue;
			for (uint64_t z = 0; z < 256; z++) {
				uint64_t want = tmax;

				for (uint64_t x = z + 1; x <= tmax; x++)
					if ((x & ~mask) == t.value) {
						want = x;
						break;
					}
				if (z < t.value)
					want = t.value;
				cr_assert_eq(vf_tnum_step(t, z), want, "tnum (%#llx; %#llx) z=%llu",
					     (unsigned long long)t.value, (unsigned long long)mask,
					     (unsigned long long)z);
			}
		}
}

Test(domain, tnum_ops_sound)
{
	for (int it = 0; it < 200000; it++) {
		uint64_t a1 = rnd_val(), a2 = rnd_val(), b1 = rnd_val(), b2 = rnd_val();
		struct vf_tnum a = vf_tnum_union(vf_tnum_const(a1), vf_tnum_const(a2));
		struct vf_tnum b = vf_tnum_union(vf_tnum_const(b1), vf_tnum_const(b2));
		unsigned k = (unsigned)(rnd() % 64);

		cr_assert(vf_tnum_contains(a, a1) && vf_tnum_contains(a, a2));
		cr_assert(vf_tnum_contains(vf_tnum_add(a, b), a1 + b2));
		cr_assert(vf_tnum_contains(vf_tnum_sub(a, b), a2 - b1));
		cr_assert(vf_tnum_contains(vf_tnum_mul(a, b), a1 * b1));
		cr_assert(vf_tnum_contains(vf_tnum_and(a, b), a1 & b2));
		cr_assert(vf_tnum_contains(vf_tnum_or(a, b), a2 | b2));
		cr_assert(vf_tnum_contains(vf_tnum_xor(a, b), a1 ^ b1));
		cr_assert(vf_tnum_contains(vf_tnum_lsh(a, k), a1 << k));
		cr_assert(vf_tnum_contains(vf_tnum_rsh(a, k), a2 >> k));
		cr_assert(vf_tnum_contains(vf_tnum_arsh(a, k, 64), (uint64_t)((int64_t)a1 >> k)));
		cr_assert(vf_tnum_contains(vf_tnum_arsh(a, k & 31, 32),
					   (uint32_t)((int32_t)(uint32_t)a1 >> (k & 31))));
		cr_assert(vf_tnum_contains(vf_tnum_neg(a), -a2));
		cr_assert(vf_tnum_contains(vf_tnum_range(a1 < b1 ? a1 : b1, a1 < b1 ? b1 : a1), a1));
		if (!vf_tnum_conflict(a, b) && vf_tnum_contains(b, a1))
			cr_assert(vf_tnum_contains(vf_tnum_intersect(a, b), a1));
		cr_assert(vf_tnum_contains(vf_tnum_sext(a, 16), (uint64_t)(int64_t)(int16_t)a1));
		cr_assert(vf_tnum_contains(vf_tnum_bswap(vf_tnum_cast(a, 4), 32),
					   __builtin_bswap32((uint32_t)a2)));
	}
}

Test(domain, sync_keeps_members)
{
	for (int it = 0; it < 100000; it++) {
		struct sample s;

		mk(&s);
		for (int i = 0; i < s.n; i++)
			cr_assert(vf_sval_contains(&s.a, s.v[i]), "member %llx lost",
				  (unsigned long long)s.v[i]);
		cr_assert(!vf_sval_is_empty(&s.a));
	}
	{
		struct vf_sval v = vf_sval_urange(0, 10);

		cr_assert_eq(v.smax, 10);
		cr_assert_eq(v.u32max, 10);
		cr_assert_eq(v.t.mask, 15);
	}
}

Test(domain, alu_sound)
{
	for (int it = 0; it < 300000; it++) {
		struct sample a, b;
		enum vf_aop op = (enum vf_aop)(rnd() % VF_A_COUNT);
		unsigned bits = rnd() & 1 ? 64 : 32;
		struct vf_sval r;

		mk(&a);
		mk(&b);
		if (op >= VF_A_LE16)
			bits = 64;
		r = vf_sval_alu(op, bits, &a.a, &b.a);
		for (int i = 0; i < a.n; i++)
			for (int j = 0; j < b.n; j++) {
				uint64_t x = vf_alu_concrete(op, bits, a.v[i], b.v[j]);

				cr_assert(vf_sval_contains(&r, x),
					  "op %d bits %u: %llx op %llx = %llx not in result "
					  "(t %llx/%llx u [%llx,%llx] s [%lld,%lld] u32 [%x,%x] s32 [%d,%d])",
					  op, bits, (unsigned long long)a.v[i],
					  (unsigned long long)b.v[j], (unsigned long long)x,
					  (unsigned long long)r.t.value, (unsigned long long)r.t.mask,
					  (unsigned long long)r.umin, (unsigned long long)r.umax,
					  (long long)r.smin, (long long)r.smax, r.u32min, r.u32max,
					  r.s32min, r.s32max);
			}
	}
}

Test(domain, alu_precise_on_constants)
{
	struct vf_sval a = vf_sval_const(100), b = vf_sval_const(7), r;

	for (int op = 0; op < VF_A_COUNT; op++) {
		r = vf_sval_alu((enum vf_aop)op, 64, &a, &b);
		cr_assert(vf_sval_is_const(&r), "op %d", op);
		cr_assert_eq(r.t.value, vf_alu_concrete((enum vf_aop)op, 64, 100, 7));
	}
	a = vf_sval_urange(0, 255);
	b = vf_sval_const(4);
	r = vf_sval_alu(VF_A_LSH, 64, &a, &b);
	cr_assert_eq(r.umax, 255 << 4);
	r = vf_sval_alu(VF_A_AND, 64, &a, &b);
	cr_assert_eq(r.umax, 4);
	a = vf_sval_const(~0ull);
	r = vf_sval_alu(VF_A_ADD, 32, &a, &b);
	cr_assert(vf_sval_is_const(&r) && r.t.value == 3);
}

Test(domain, branches_sound)
{
	for (int it = 0; it < 300000; it++) {
		struct sample a, b;
		enum vf_cmp c = (enum vf_cmp)(rnd() % VF_C_COUNT);
		unsigned bits = rnd() & 1 ? 64 : 32;
		struct vf_sval ra, rb;
		int d;
		bool live, any = false, all = true;

		mk(&a);
		mk(&b);
		if (rnd() % 3 == 0) {
			b.n = 1;
			b.a = vf_sval_const(b.v[0]);
		}
		ra = a.a;
		rb = b.a;
		d = vf_sval_cmp_decide(c, bits, &a.a, &b.a);
		live = vf_sval_refine(c, bits, &ra, &rb);
		for (int i = 0; i < a.n; i++)
			for (int j = 0; j < b.n; j++) {
				bool h = vf_cmp_concrete(c, bits, a.v[i], b.v[j]);

				any |= h;
				all &= h;
				if (!h)
					continue;
				cr_assert(live, "cmp %d/%u: %llx vs %llx holds but edge is dead",
					  c, bits, (unsigned long long)a.v[i],
					  (unsigned long long)b.v[j]);
				cr_assert(vf_sval_contains(&ra, a.v[i]) &&
					  vf_sval_contains(&rb, b.v[j]),
					  "cmp %d/%u: %llx vs %llx lost by refinement", c, bits,
					  (unsigned long long)a.v[i], (unsigned long long)b.v[j]);
			}
		if (d == 1)
			cr_assert(all, "cmp %d decided true but a pair fails", c);
		if (d == 0)
			cr_assert(!any, "cmp %d decided false but a pair holds", c);
	}
}

Test(domain, refine_narrows)
{
	struct vf_sval a = vf_sval_unknown(), b = vf_sval_const(10);

	cr_assert(vf_sval_refine(VF_C_LT, 64, &a, &b));
	cr_assert_eq(a.umax, 9);
	cr_assert_eq(a.smin, 0);
	a = vf_sval_unknown();
	cr_assert(vf_sval_refine(VF_C_SGT, 32, &a, &b));
	cr_assert_eq(a.s32min, 11);
	a = vf_sval_urange(0, 5);
	cr_assert(!vf_sval_refine(VF_C_GT, 64, &a, &b));
	cr_assert_eq(vf_sval_cmp_decide(VF_C_GT, 64, &a, &b), 0);
	cr_assert_eq(vf_cmp_negate(VF_C_GT), VF_C_LE);
	cr_assert_eq(vf_cmp_flip(VF_C_GT), VF_C_LT);
}

Test(domain, within_and_union)
{
	struct vf_sval a = vf_sval_urange(0, 100), b = vf_sval_urange(10, 20);
	struct vf_sval u;

	cr_assert(vf_sval_within(&a, &b));
	cr_assert(!vf_sval_within(&b, &a));
	u = vf_sval_union(&b, &a);
	cr_assert(vf_sval_within(&u, &a) && vf_sval_within(&u, &b));
	cr_assert(vf_sval_is_unknown(&(struct vf_sval){ .t = VF_TNUM_UNKNOWN,
		.smin = INT64_MIN, .smax = INT64_MAX, .umax = ~0ull,
		.s32min = INT32_MIN, .s32max = INT32_MAX, .u32max = UINT32_MAX }));
}
