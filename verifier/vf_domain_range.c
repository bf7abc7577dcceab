/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_domain_range.c - scalar values: a tnum plus signed and
 * unsigned ranges in 64 and 32 bits, kept consistent by vf_sval_sync().
 *
 * Transfer functions work on a "view": the 64-bit facts, or the 32-bit
 * facts of the low half (values zero-extended into u64, signed values
 * sign-extended into s64), so one body serves both ALU widths.  A 64-bit
 * operation whose low half only depends on the operands' low halves
 * (add, sub, mul, bitwise, neg, mov) also computes its 32-bit facts from
 * the 32-bit views, as the kernel does; every other fact is re-derived by
 * the sync step.
 */
#include "verifier/vf_domain.h"

struct view {
	struct vf_tnum t;
	uint64_t umin, umax;
	int64_t smin, smax;
};

static uint64_t umaxw(unsigned bits) { return bits == 64 ? ~0ull : 0xffffffffull; }
static int64_t sminw(unsigned bits) { return bits == 64 ? INT64_MIN : INT32_MIN; }
static int64_t smaxw(unsigned bits) { return bits == 64 ? INT64_MAX : INT32_MAX; }
static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Value as a signed number of the view's width. */
static int64_t sval_w(uint64_t x, unsigned bits)
{
	return bits == 64 ? (int64_t)x : (int64_t)(int32_t)(uint32_t)x;
}

struct vf_sval vf_sval_unknown(void)
{
	return (struct vf_sval){
		.t = VF_TNUM_UNKNOWN, .smin = INT64_MIN, .smax = INT64_MAX,
		.umin = 0, .umax = ~0ull, .s32min = INT32_MIN, .s32max = INT32_MAX,
		.u32min = 0, .u32max = UINT32_MAX,
	};
}

struct vf_sval vf_sval_const(uint64_t v)
{
	return (struct vf_sval){
		.t = vf_tnum_const(v), .smin = (int64_t)v, .smax = (int64_t)v,
		.umin = v, .umax = v, .s32min = (int32_t)(uint32_t)v,
		.s32max = (int32_t)(uint32_t)v, .u32min = (uint32_t)v, .u32max = (uint32_t)v,
	};
}

struct vf_sval vf_sval_urange(uint64_t lo, uint64_t hi)
{
	struct vf_sval v = vf_sval_unknown();

	v.umin = lo;
	v.umax = hi;
	vf_sval_sync(&v);
	return v;
}

bool vf_sval_is_const(const struct vf_sval *v) { return vf_tnum_is_const(v->t); }
bool vf_sval_is_const32(const struct vf_sval *v) { return !(uint32_t)v->t.mask; }

bool vf_sval_is_unknown(const struct vf_sval *v)
{
	return vf_tnum_is_unknown(v->t) && v->smin == INT64_MIN && v->smax == INT64_MAX &&
	       v->umin == 0 && v->umax == ~0ull && v->s32min == INT32_MIN &&
	       v->s32max == INT32_MAX && v->u32min == 0 && v->u32max == UINT32_MAX;
}

bool vf_sval_contains(const struct vf_sval *v, uint64_t x)
{
	return vf_tnum_contains(v->t, x) && x >= v->umin && x <= v->umax &&
	       (int64_t)x >= v->smin && (int64_t)x <= v->smax &&
	       (uint32_t)x >= v->u32min && (uint32_t)x <= v->u32max &&
	       (int32_t)(uint32_t)x >= v->s32min && (int32_t)(uint32_t)x <= v->s32max;
}

bool vf_sval_is_empty(const struct vf_sval *v)
{
	if (v->umin > v->umax || v->smin > v->smax || v->u32min > v->u32max ||
	    v->s32min > v->s32max)
		return true;
	if (v->t.value & v->t.mask)
		return true;
	/* Known bits outside every range. */
	if (v->t.value > v->umax || (v->t.value | v->t.mask) < v->umin)
		return true;
	if ((uint32_t)v->t.value > v->u32max ||
	    (uint32_t)(v->t.value | v->t.mask) < v->u32min)
		return true;
	return false;
}

/* ----- sync: each fact tightened by the others ----- */

/*
 * The unsigned range and the tnum may share a single value: then that is
 * the value (the kernel's __update_reg64_bounds, e.g. tnum {18, 82} within
 * [18, 69] is 18).  Only the single-value case, as the kernel, so verdicts
 * match.
 */
static void single_value(struct vf_sval *v)
{
	uint64_t next = vf_tnum_step(v->t, v->umin), tmax = v->t.value | v->t.mask, k;
	bool umin_in = (v->umin & ~v->t.mask) == v->t.value;

	if (umin_in && next > v->umax)
		k = v->umin;
	else if (!umin_in && next == tmax)
		k = tmax;
	else if (!umin_in && next <= v->umax && vf_tnum_step(v->t, next) > v->umax)
		k = next;
	else
		return;
	if (k < v->umin || k > v->umax)
		return;         /* empty: left to vf_sval_is_empty() */
	*v = vf_sval_const(k);
}

static void update_bounds(struct vf_sval *v)
{
	struct vf_tnum t32 = vf_tnum_subreg(v->t);

	v->smin = smax64(v->smin, (int64_t)(v->t.value | (v->t.mask & (1ull << 63))));
	v->smax = smin64(v->smax, (int64_t)(v->t.value | (v->t.mask & ~(1ull << 63))));
	v->umin = umax64(v->umin, v->t.value);
	v->umax = umin64(v->umax, v->t.value | v->t.mask);
	v->s32min = (int32_t)smax64(v->s32min,
				   (int32_t)(uint32_t)(t32.value | (t32.mask & 0x80000000u)));
	v->s32max = (int32_t)smin64(v->s32max,
				   (int32_t)(uint32_t)(t32.value | (t32.mask & 0x7fffffffu)));
	v->u32min = (uint32_t)umax64(v->u32min, t32.value);
	v->u32max = (uint32_t)umin64(v->u32max, t32.value | t32.mask);
	if (v->umin <= v->umax && !vf_tnum_is_const(v->t))
		single_value(v);
}

static void deduce_bounds(struct vf_sval *v)
{
	/* 32-bit facts from the 64-bit ranges when the upper half is fixed. */
	if ((v->umin >> 32) == (v->umax >> 32)) {
		v->u32min = (uint32_t)umax64(v->u32min, (uint32_t)v->umin);
		v->u32max = (uint32_t)umin64(v->u32max, (uint32_t)v->umax);
		if ((int32_t)(uint32_t)v->umin <= (int32_t)(uint32_t)v->umax) {
			v->s32min = (int32_t)smax64(v->s32min, (int32_t)(uint32_t)v->umin);
			v->s32max = (int32_t)smin64(v->s32max, (int32_t)(uint32_t)v->umax);
		}
	}
	if (((uint64_t)v->smin >> 32) == ((uint64_t)v->smax >> 32)) {
		v->u32min = (uint32_t)umax64(v->u32min, (uint32_t)v->smin);
		v->u32max = (uint32_t)umin64(v->u32max, (uint32_t)v->smax);
		if ((int32_t)(uint32_t)v->smin <= (int32_t)(uint32_t)v->smax) {
			v->s32min = (int32_t)smax64(v->s32min, (int32_t)(uint32_t)v->smin);
			v->s32max = (int32_t)smin64(v->s32max, (int32_t)(uint32_t)v->smax);
		}
	}
	/* Upper halves two consecutive numbers (0xffffffff then 0 counts) and
	 * the low halves going from negative to non-negative: the low halves
	 * still form one s32 range, e.g. s64 [-1, 1] has s32 [-1, 1]. */
	if ((uint32_t)(v->umin >> 32) + 1 == (uint32_t)(v->umax >> 32) &&
	    (int32_t)(uint32_t)v->umin < 0 && (int32_t)(uint32_t)v->umax >= 0) {
		v->s32min = (int32_t)smax64(v->s32min, (int32_t)(uint32_t)v->umin);
		v->s32max = (int32_t)smin64(v->s32max, (int32_t)(uint32_t)v->umax);
	}
	if ((uint32_t)((uint64_t)v->smin >> 32) + 1 == (uint32_t)((uint64_t)v->smax >> 32) &&
	    (int32_t)(uint32_t)v->smin < 0 && (int32_t)(uint32_t)v->smax >= 0) {
		v->s32min = (int32_t)smax64(v->s32min, (int32_t)(uint32_t)v->smin);
		v->s32max = (int32_t)smin64(v->s32max, (int32_t)(uint32_t)v->smax);
	}
	/* 32-bit signed <-> unsigned when the range does not cross a sign. */
	if ((int32_t)v->u32min <= (int32_t)v->u32max) {
		v->s32min = (int32_t)smax64(v->s32min, (int32_t)v->u32min);
		v->s32max = (int32_t)smin64(v->s32max, (int32_t)v->u32max);
	} else if (v->u32max < (uint32_t)v->s32min) {
		/* the unsigned range crosses the sign boundary but ends before
		 * the negative part of the signed range: non-negative */
		v->s32min = (int32_t)v->u32min;
		v->u32max = (uint32_t)umin64(v->u32max, (uint32_t)v->s32max);
	} else if ((uint32_t)v->s32max < v->u32min) {
		/* ... or starts after its non-negative part: negative */
		v->s32max = (int32_t)v->u32max;
		v->u32min = (uint32_t)umax64(v->u32min, (uint32_t)v->s32min);
	}
	if ((uint32_t)v->s32min <= (uint32_t)v->s32max) {
		v->u32min = (uint32_t)umax64(v->u32min, (uint32_t)v->s32min);
		v->u32max = (uint32_t)umin64(v->u32max, (uint32_t)v->s32max);
	}
	/* 64-bit signed <-> unsigned. */
	if ((int64_t)v->umin <= (int64_t)v->umax) {
		v->smin = smax64(v->smin, (int64_t)v->umin);
		v->smax = smin64(v->smax, (int64_t)v->umax);
	} else if (v->umax < (uint64_t)v->smin) {
		/* as above, 64-bit (the kernel's __reg64_deduce_bounds) */
		v->smin = (int64_t)v->umin;
		v->umax = umin64(v->umax, (uint64_t)v->smax);
	} else if ((uint64_t)v->smax < v->umin) {
		v->smax = (int64_t)v->umax;
		v->umin = umax64(v->umin, (uint64_t)v->smin);
	}
	if ((uint64_t)v->smin <= (uint64_t)v->smax) {
		v->umin = umax64(v->umin, (uint64_t)v->smin);
		v->umax = umin64(v->umax, (uint64_t)v->smax);
	}
	/* 64-bit from 32-bit: the low half of any member lies in [u32min,
	 * u32max], so the smallest member with umin's upper half is at least
	 * upper(umin) | u32min (larger upper halves are larger still). */
	{
		const uint64_t hi = 0xffffffff00000000ull;
		uint64_t nmin = (v->umin & hi) | v->u32min, nmax = (v->umax & hi) | v->u32max;
		int64_t snmin = (int64_t)(((uint64_t)v->smin & hi) | v->u32min);
		int64_t snmax = (int64_t)(((uint64_t)v->smax & hi) | v->u32max);

		v->umin = umax64(v->umin, nmin);
		v->umax = umin64(v->umax, nmax);
		v->smin = smax64(v->smin, snmin);
		v->smax = smin64(v->smax, snmax);
	}
	/* A value in [S32_MIN, S32_MAX] is its low half sign-extended; if that
	 * half is non-negative, so is the value, with the same bounds (the
	 * kernel's __reg_deduce_mixed_bounds, e.g. after `if w2 < 24` on a
	 * difference of two 31-bit values). */
	if (v->s32min >= 0 && v->smin >= INT32_MIN && v->smax <= INT32_MAX) {
		v->smin = v->s32min;
		v->smax = v->s32max;
		v->umin = (uint64_t)v->s32min;
		v->umax = (uint64_t)v->s32max;
		v->t = vf_tnum_intersect(v->t, vf_tnum_range(v->umin, v->umax));
	}
}

static void bound_offset(struct vf_sval *v)
{
	struct vf_tnum t64 = vf_tnum_intersect(v->t, vf_tnum_range(v->umin, v->umax));
	struct vf_tnum t32 = vf_tnum_intersect(vf_tnum_subreg(t64),
					       vf_tnum_range(v->u32min, v->u32max));

	v->t = vf_tnum_with_subreg(t64, t32);
}

void vf_sval_sync(struct vf_sval *v)
{
	if (vf_sval_is_empty(v))
		return;
	update_bounds(v);
	deduce_bounds(v);
	deduce_bounds(v);
	if (vf_sval_is_empty(v))
		return;
	bound_offset(v);
	update_bounds(v);
	deduce_bounds(v);
}

bool vf_sval_within(const struct vf_sval *old, const struct vf_sval *cur)
{
	return old->umin <= cur->umin && cur->umax <= old->umax &&
	       old->smin <= cur->smin && cur->smax <= old->smax &&
	       old->u32min <= cur->u32min && cur->u32max <= old->u32max &&
	       old->s32min <= cur->s32min && cur->s32max <= old->s32max &&
	       vf_tnum_in(old->t, cur->t);
}

struct vf_sval vf_sval_union(const struct vf_sval *a, const struct vf_sval *b)
{
	struct vf_sval r = {
		.t = vf_tnum_union(a->t, b->t),
		.smin = smin64(a->smin, b->smin), .smax = smax64(a->smax, b->smax),
		.umin = umin64(a->umin, b->umin), .umax = umax64(a->umax, b->umax),
		.s32min = (int32_t)smin64(a->s32min, b->s32min),
		.s32max = (int32_t)smax64(a->s32max, b->s32max),
		.u32min = (uint32_t)umin64(a->u32min, b->u32min),
		.u32max = (uint32_t)umax64(a->u32max, b->u32max),
	};
	vf_sval_sync(&r);
	return r;
}

/* ----- views ----- */

static struct view view_of(const struct vf_sval *v, unsigned bits)
{
	if (bits == 64)
		return (struct view){ v->t, v->umin, v->umax, v->smin, v->smax };
	return (struct view){ vf_tnum_subreg(v->t), v->u32min, v->u32max, v->s32min, v->s32max };
}

static struct view view_full(unsigned bits)
{
	return (struct view){ bits == 64 ? VF_TNUM_UNKNOWN : (struct vf_tnum){ 0, 0xffffffffull },
			      0, umaxw(bits), sminw(bits), smaxw(bits) };
}

static struct view view_const(uint64_t x, unsigned bits)
{
	x &= umaxw(bits);
	return (struct view){ vf_tnum_const(x), x, x, sval_w(x, bits), sval_w(x, bits) };
}

static bool view_is_const(const struct view *v) { return !v->t.mask; }

void vf_sval_zext32(struct vf_sval *v)
{
	v->t = vf_tnum_subreg(v->t);
	v->umin = v->u32min;
	v->umax = v->u32max;
	v->smin = v->u32min;
	v->smax = v->u32max;
	vf_sval_sync(v);
}

void vf_sval_cast(struct vf_sval *v, unsigned size)
{
	uint64_t m;

	if (size >= 8)
		return;
	m = (1ull << (size * 8)) - 1;
	v->t = vf_tnum_cast(v->t, size);
	if (v->umax > m || (v->umin & ~m) != (v->umax & ~m)) {
		v->umin = 0;
		v->umax = m;
	}
	v->smin = (int64_t)v->umin;
	v->smax = (int64_t)v->umax;
	v->u32min = 0;
	v->u32max = UINT32_MAX;
	v->s32min = INT32_MIN;
	v->s32max = INT32_MAX;
	if (size < 4) {
		v->u32min = (uint32_t)v->umin;
		v->u32max = (uint32_t)v->umax;
		v->s32min = (int32_t)v->umin;
		v->s32max = (int32_t)v->umax;
	}
	vf_sval_sync(v);
}

/* ----- concrete semantics ----- */

uint64_t vf_alu_concrete(enum vf_aop op, unsigned bits, uint64_t d, uint64_t s)
{
	uint64_t m = umaxw(bits), r;
	unsigned sh = (unsigned)(s & (bits - 1));
	int64_t sd = sval_w(d, bits), ss = sval_w(s, bits);

	d &= m;
	s &= m;
	switch (op) {
	case VF_A_ADD: r = d + s; break;
	case VF_A_SUB: r = d - s; break;
	case VF_A_MUL: r = d * s; break;
	case VF_A_DIV: r = s ? d / s : 0; break;
	case VF_A_MOD: r = s ? d % s : d; break;
	case VF_A_SDIV:
		if (!s)
			r = 0;
		else if (ss == -1)
			r = (uint64_t)0 - (uint64_t)sd;
		else
			r = (uint64_t)(sd / ss);
		break;
	case VF_A_SMOD:
		if (!s)
			r = d;
		else if (ss == -1)
			r = 0;
		else
			r = (uint64_t)(sd % ss);
		break;
	case VF_A_OR: r = d | s; break;
	case VF_A_AND: r = d & s; break;
	case VF_A_XOR: r = d ^ s; break;
	case VF_A_LSH: r = d << sh; break;
	case VF_A_RSH: r = d >> sh; break;
	case VF_A_ARSH: r = (uint64_t)(sd >> sh); break;
	case VF_A_NEG: r = (uint64_t)0 - d; break;
	case VF_A_MOV: r = s; break;
	case VF_A_MOVSX8: r = (uint64_t)(int64_t)(int8_t)s; break;
	case VF_A_MOVSX16: r = (uint64_t)(int64_t)(int16_t)s; break;
	case VF_A_MOVSX32: r = (uint64_t)(int64_t)(int32_t)s; break;
	case VF_A_LE16: return d & 0xffff;
	case VF_A_LE32: return d & 0xffffffff;
	case VF_A_LE64: return d;
	case VF_A_BSWAP16: return __builtin_bswap16((uint16_t)d);
	case VF_A_BSWAP32: return __builtin_bswap32((uint32_t)d);
	case VF_A_BSWAP64: return __builtin_bswap64(d);
	default: r = 0; break;
	}
	return r & m;
}

/* ----- transfer functions on views ----- */

static struct view v_add(const struct view *a, const struct view *b, unsigned bits)
{
	struct view r = view_full(bits);
	uint64_t lo, hi;
	int64_t slo, shi;

	r.t = vf_tnum_cast(vf_tnum_add(a->t, b->t), bits / 8);
	if (!__builtin_add_overflow(a->umin, b->umin, &lo) &&
	    !__builtin_add_overflow(a->umax, b->umax, &hi) && hi <= umaxw(bits)) {
		r.umin = lo;
		r.umax = hi;
	}
	if (!__builtin_add_overflow(a->smin, b->smin, &slo) &&
	    !__builtin_add_overflow(a->smax, b->smax, &shi) &&
	    slo >= sminw(bits) && shi <= smaxw(bits)) {
		r.smin = slo;
		r.smax = shi;
	}
	return r;
}

static struct view v_sub(const struct view *a, const struct view *b, unsigned bits)
{
	struct view r = view_full(bits);
	int64_t slo, shi;

	r.t = vf_tnum_cast(vf_tnum_sub(a->t, b->t), bits / 8);
	if (a->umin >= b->umax) {
		r.umin = a->umin - b->umax;
		r.umax = a->umax - b->umin;
	}
	if (!__builtin_sub_overflow(a->smin, b->smax, &slo) &&
	    !__builtin_sub_overflow(a->smax, b->smin, &shi) &&
	    slo >= sminw(bits) && shi <= smaxw(bits)) {
		r.smin = slo;
		r.smax = shi;
	}
	return r;
}

static struct view v_mul(const struct view *a, const struct view *b, unsigned bits)
{
	struct view r = view_full(bits);
	uint64_t hi;
	int64_t p[4];
	bool ovf = false;

	r.t = vf_tnum_cast(vf_tnum_mul(a->t, b->t), bits / 8);
	if (!__builtin_mul_overflow(a->umax, b->umax, &hi) && hi <= umaxw(bits)) {
		r.umin = a->umin * b->umin;
		r.umax = hi;
	}
	ovf |= __builtin_mul_overflow(a->smin, b->smin, &p[0]);
	ovf |= __builtin_mul_overflow(a->smin, b->smax, &p[1]);
	ovf |= __builtin_mul_overflow(a->smax, b->smin, &p[2]);
	ovf |= __builtin_mul_overflow(a->smax, b->smax, &p[3]);
	if (!ovf) {
		int64_t lo = p[0], h = p[0];

		for (int i = 1; i < 4; i++) {
			lo = smin64(lo, p[i]);
			h = smax64(h, p[i]);
		}
		if (lo >= sminw(bits) && h <= smaxw(bits)) {
			r.smin = lo;
			r.smax = h;
		}
	}
	return r;
}

static struct view v_div(const struct view *a, const struct view *b, unsigned bits)
{
	struct view r = view_full(bits);

	if (b->umax == 0)
		return view_const(0, bits);
	if (b->umin == 0) {
		r.umax = a->umax;
	} else {
		r.umin = a->umin / b->umax;
		r.umax = a->umax / b->umin;
	}
	return r;
}

static struct view v_mod(const struct view *a, const struct view *b, unsigned bits)
{
	struct view r = view_full(bits);

	if (b->umax == 0)
		return *a;
	if (b->umin > 0 && a->umax < b->umin)
		return *a;
	r.umax = b->umin == 0 ? a->umax : umin64(a->umax, b->umax - 1);
	return r;
}

static struct view v_bits(enum vf_aop op, const struct view *a, const struct view *b,
			  unsigned bits)
{
	struct view r = view_full(bits);

	switch (op) {
	case VF_A_AND:
		r.t = vf_tnum_and(a->t, b->t);
		r.umin = r.t.value;
		r.umax = umin64(a->umax, b->umax);
		break;
	case VF_A_OR:
		r.t = vf_tnum_or(a->t, b->t);
		r.umin = umax64(a->umin, b->umin);
		r.umax = r.t.value | r.t.mask;
		break;
	default:
		r.t = vf_tnum_xor(a->t, b->t);
		r.umin = r.t.value;
		r.umax = r.t.value | r.t.mask;
		break;
	}
	return r;
}

static struct view v_shift(enum vf_aop op, const struct view *a, const struct view *b,
			   unsigned bits)
{
	struct view r = view_full(bits);
	unsigned k;

	if (!view_is_const(b))
		return r;
	k = (unsigned)(b->t.value & (bits - 1));
	switch (op) {
	case VF_A_LSH:
		r.t = vf_tnum_cast(vf_tnum_lsh(a->t, k), bits / 8);
		if (!k || !(a->umax >> (bits - k))) {
			r.umin = a->umin << k;
			r.umax = a->umax << k;
		}
		break;
	case VF_A_RSH:
		r.t = vf_tnum_rsh(a->t, k);
		r.umin = a->umin >> k;
		r.umax = a->umax >> k;
		break;
	default:
		r.t = vf_tnum_arsh(a->t, k, bits);
		r.smin = a->smin >> k;
		r.smax = a->smax >> k;
		break;
	}
	return r;
}

static int64_t sext_n(uint64_t x, unsigned n)
{
	return n == 8 ? (int8_t)x : n == 16 ? (int16_t)x : (int32_t)x;
}

/*
 * Sign extension of the low @n bits, exactly as the kernel's
 * coerce_reg_to_size_sx (64-bit) and coerce_subreg_to_size_sx (32-bit):
 * the bounds are known only when smin and smax agree above the low n
 * bits and their extensions have one sign; otherwise the result is any
 * n-bit signed value.  Deliberately no tighter (a tighter result would
 * accept programs the kernel rejects); tnum-only facts are not used.
 */
static struct vf_sval movsx(unsigned n, const struct vf_sval *src, unsigned bits)
{
	int64_t lo = -(1ll << (n - 1)), hi = (1ll << (n - 1)) - 1;
	uint64_t smax = bits == 64 ? (uint64_t)src->smax : (uint32_t)src->s32max;
	uint64_t smin = bits == 64 ? (uint64_t)src->smin : (uint32_t)src->s32min;
	struct vf_sval r = vf_sval_unknown();

	if (smax >> n == smin >> n) {
		int64_t x = sext_n(smax, n), y = sext_n(smin, n);
		int64_t mn = x < y ? x : y, mx = x < y ? y : x;

		if ((mn >= 0) == (mx >= 0)) {
			r.s32min = (int32_t)mn;
			r.s32max = (int32_t)mx;
			r.u32min = (uint32_t)mn;
			r.u32max = (uint32_t)mx;
			if (bits == 32) {
				r.t = vf_tnum_range((uint32_t)mn, (uint32_t)mx);
				vf_sval_zext32(&r);
				return r;
			}
			r.t = vf_tnum_range((uint64_t)mn, (uint64_t)mx);
			r.smin = mn;
			r.smax = mx;
			r.umin = (uint64_t)mn;
			r.umax = (uint64_t)mx;
			vf_sval_sync(&r);
			return r;
		}
	}
	if (bits == 32) {
		r.t = (struct vf_tnum){ 0, 0xffffffffull };
		r.s32min = (int32_t)lo;
		r.s32max = (int32_t)hi;
		vf_sval_zext32(&r);
		return r;
	}
	r.smin = lo;
	r.smax = hi;
	r.s32min = (int32_t)lo;
	r.s32max = (int32_t)hi;
	vf_sval_sync(&r);
	return r;
}

static struct view v_op(enum vf_aop op, const struct view *a, const struct view *b,
			unsigned bits)
{
	struct view z;

	switch (op) {
	case VF_A_ADD: return v_add(a, b, bits);
	case VF_A_SUB: return v_sub(a, b, bits);
	case VF_A_NEG: z = view_const(0, bits); return v_sub(&z, a, bits);
	case VF_A_MUL: return v_mul(a, b, bits);
	case VF_A_DIV: return v_div(a, b, bits);
	case VF_A_MOD: return v_mod(a, b, bits);
	case VF_A_SDIV: case VF_A_SMOD: return view_full(bits);
	case VF_A_AND: case VF_A_OR: case VF_A_XOR: return v_bits(op, a, b, bits);
	case VF_A_LSH: case VF_A_RSH: case VF_A_ARSH: return v_shift(op, a, b, bits);
	case VF_A_MOV: return *b;
	default: return view_full(bits);
	}
}

static bool low_half_op(enum vf_aop op)
{
	return op == VF_A_ADD || op == VF_A_SUB || op == VF_A_MUL || op == VF_A_AND ||
	       op == VF_A_OR || op == VF_A_XOR || op == VF_A_NEG || op == VF_A_MOV;
}

static struct vf_sval end_op(enum vf_aop op, const struct vf_sval *d)
{
	static const unsigned n[] = {
		[VF_A_LE16] = 16, [VF_A_LE32] = 32, [VF_A_LE64] = 64,
		[VF_A_BSWAP16] = 16, [VF_A_BSWAP32] = 32, [VF_A_BSWAP64] = 64,
	};
	unsigned w = n[op];
	struct vf_sval r = *d;

	if (op == VF_A_LE16 || op == VF_A_LE32 || op == VF_A_LE64) {
		vf_sval_cast(&r, w / 8);
		return r;
	}
	r = vf_sval_unknown();
	r.t = vf_tnum_bswap(vf_tnum_cast(d->t, w / 8), w);
	vf_sval_sync(&r);
	return r;
}

struct vf_sval vf_sval_alu(enum vf_aop op, unsigned bits, const struct vf_sval *dst,
			   const struct vf_sval *src)
{
	struct vf_sval r = vf_sval_unknown();
	struct view a = view_of(dst, bits), b, res;
	struct vf_sval zero = vf_sval_const(0);

	if (op >= VF_A_LE16)
		return end_op(op, dst);
	if (!src)
		src = &zero;
	b = view_of(src, bits);
	/* Shifts and moves ignore the operand they do not use. */
	if (op == VF_A_NEG)
		b = view_const(0, bits);
	if ((view_is_const(&a) || op == VF_A_MOV || op >= VF_A_MOVSX8) && view_is_const(&b) &&
	    (op != VF_A_NEG || view_is_const(&a))) {
		uint64_t x = vf_alu_concrete(op, bits, a.t.value, b.t.value);

		if (bits == 32)
			x &= 0xffffffffull;
		return vf_sval_const(x);
	}
	if (op == VF_A_NEG && view_is_const(&a))
		return vf_sval_const(vf_alu_concrete(op, bits, a.t.value, 0));
	if (op >= VF_A_MOVSX8)
		return movsx(op == VF_A_MOVSX8 ? 8 : op == VF_A_MOVSX16 ? 16 : 32, src, bits);
	res = v_op(op, &a, &b, bits);
	if (bits == 32) {
		r.t = vf_tnum_subreg(res.t);
		r.u32min = (uint32_t)res.umin;
		r.u32max = (uint32_t)res.umax;
		r.s32min = (int32_t)res.smin;
		r.s32max = (int32_t)res.smax;
		vf_sval_zext32(&r);
		return r;
	}
	r.t = res.t;
	r.umin = res.umin;
	r.umax = res.umax;
	r.smin = res.smin;
	r.smax = res.smax;
	if (low_half_op(op)) {
		struct view a32 = view_of(dst, 32), b32 = view_of(src, 32), r32;

		if (op == VF_A_NEG)
			b32 = view_const(0, 32);
		r32 = v_op(op, &a32, &b32, 32);
		r.u32min = (uint32_t)r32.umin;
		r.u32max = (uint32_t)r32.umax;
		r.s32min = (int32_t)r32.smin;
		r.s32max = (int32_t)r32.smax;
		r.t = vf_tnum_with_subreg(r.t, vf_tnum_intersect(vf_tnum_subreg(r.t), r32.t));
	}
	vf_sval_sync(&r);
	return r;
}

/* ----- comparisons ----- */

enum vf_cmp vf_cmp_negate(enum vf_cmp c)
{
	static const enum vf_cmp neg[VF_C_COUNT] = {
		[VF_C_EQ] = VF_C_NE, [VF_C_NE] = VF_C_EQ, [VF_C_GT] = VF_C_LE,
		[VF_C_GE] = VF_C_LT, [VF_C_LT] = VF_C_GE, [VF_C_LE] = VF_C_GT,
		[VF_C_SGT] = VF_C_SLE, [VF_C_SGE] = VF_C_SLT, [VF_C_SLT] = VF_C_SGE,
		[VF_C_SLE] = VF_C_SGT, [VF_C_SET] = VF_C_NSET, [VF_C_NSET] = VF_C_SET,
	};
	return neg[c];
}

enum vf_cmp vf_cmp_flip(enum vf_cmp c)
{
	static const enum vf_cmp flip[VF_C_COUNT] = {
		[VF_C_EQ] = VF_C_EQ, [VF_C_NE] = VF_C_NE, [VF_C_GT] = VF_C_LT,
		[VF_C_GE] = VF_C_LE, [VF_C_LT] = VF_C_GT, [VF_C_LE] = VF_C_GE,
		[VF_C_SGT] = VF_C_SLT, [VF_C_SGE] = VF_C_SLE, [VF_C_SLT] = VF_C_SGT,
		[VF_C_SLE] = VF_C_SGE, [VF_C_SET] = VF_C_SET, [VF_C_NSET] = VF_C_NSET,
	};
	return flip[c];
}

bool vf_cmp_concrete(enum vf_cmp c, unsigned bits, uint64_t a, uint64_t b)
{
	int64_t sa, sb;

	a &= umaxw(bits);
	b &= umaxw(bits);
	sa = sval_w(a, bits);
	sb = sval_w(b, bits);
	switch (c) {
	case VF_C_EQ: return a == b;
	case VF_C_NE: return a != b;
	case VF_C_GT: return a > b;
	case VF_C_GE: return a >= b;
	case VF_C_LT: return a < b;
	case VF_C_LE: return a <= b;
	case VF_C_SGT: return sa > sb;
	case VF_C_SGE: return sa >= sb;
	case VF_C_SLT: return sa < sb;
	case VF_C_SLE: return sa <= sb;
	case VF_C_SET: return (a & b) != 0;
	default: return (a & b) == 0;
	}
}

static int decide_view(enum vf_cmp c, const struct view *a, const struct view *b)
{
	switch (c) {
	case VF_C_EQ:
		if (view_is_const(a) && view_is_const(b))
			return a->t.value == b->t.value;
		if (a->umin > b->umax || a->umax < b->umin || a->smin > b->smax ||
		    a->smax < b->smin || vf_tnum_conflict(a->t, b->t))
			return 0;
		return -1;
	case VF_C_NE: {
		int r = decide_view(VF_C_EQ, a, b);

		return r < 0 ? r : !r;
	}
	case VF_C_GT:
		return a->umin > b->umax ? 1 : a->umax <= b->umin ? 0 : -1;
	case VF_C_GE:
		return a->umin >= b->umax ? 1 : a->umax < b->umin ? 0 : -1;
	case VF_C_SGT:
		return a->smin > b->smax ? 1 : a->smax <= b->smin ? 0 : -1;
	case VF_C_SGE:
		return a->smin >= b->smax ? 1 : a->smax < b->smin ? 0 : -1;
	case VF_C_LT: return decide_view(VF_C_GT, b, a);
	case VF_C_LE: return decide_view(VF_C_GE, b, a);
	case VF_C_SLT: return decide_view(VF_C_SGT, b, a);
	case VF_C_SLE: return decide_view(VF_C_SGE, b, a);
	case VF_C_SET:
		if (a->t.value & b->t.value)
			return 1;
		if (!((a->t.value | a->t.mask) & (b->t.value | b->t.mask)))
			return 0;
		return -1;
	default: {
		int r = decide_view(VF_C_SET, a, b);

		return r < 0 ? r : !r;
	}
	}
}

int vf_sval_cmp_decide(enum vf_cmp c, unsigned bits, const struct vf_sval *a,
		       const struct vf_sval *b)
{
	struct view va = view_of(a, bits), vb = view_of(b, bits);

	return decide_view(c, &va, &vb);
}

/* Narrow a and b assuming a c b; false if impossible. */
static bool refine_view(enum vf_cmp c, struct view *a, struct view *b, unsigned bits)
{
	switch (c) {
	case VF_C_EQ:
		if (vf_tnum_conflict(a->t, b->t))
			return false;
		a->t = b->t = vf_tnum_intersect(a->t, b->t);
		a->umin = b->umin = umax64(a->umin, b->umin);
		a->umax = b->umax = umin64(a->umax, b->umax);
		a->smin = b->smin = smax64(a->smin, b->smin);
		a->smax = b->smax = smin64(a->smax, b->smax);
		return true;
	case VF_C_NE:
		for (int k = 0; k < 2; k++) {
			struct view *x = k ? b : a, *y = k ? a : b;
			uint64_t v;

			if (!view_is_const(y))
				continue;
			v = y->t.value;
			if (x->umin == v && x->umin < x->umax)
				x->umin++;
			else if (x->umax == v && x->umax > x->umin)
				x->umax--;
			if (x->smin == sval_w(v, bits) && x->smin < x->smax)
				x->smin++;
			else if (x->smax == sval_w(v, bits) && x->smax > x->smin)
				x->smax--;
		}
		return true;
	case VF_C_GT:
		if (b->umin == umaxw(bits) || a->umax == 0)
			return false;
		a->umin = umax64(a->umin, b->umin + 1);
		b->umax = umin64(b->umax, a->umax - 1);
		return true;
	case VF_C_GE:
		a->umin = umax64(a->umin, b->umin);
		b->umax = umin64(b->umax, a->umax);
		return true;
	case VF_C_SGT:
		if (b->smin == smaxw(bits) || a->smax == sminw(bits))
			return false;
		a->smin = smax64(a->smin, b->smin + 1);
		b->smax = smin64(b->smax, a->smax - 1);
		return true;
	case VF_C_SGE:
		a->smin = smax64(a->smin, b->smin);
		b->smax = smin64(b->smax, a->smax);
		return true;
	case VF_C_LT: return refine_view(VF_C_GT, b, a, bits);
	case VF_C_LE: return refine_view(VF_C_GE, b, a, bits);
	case VF_C_SLT: return refine_view(VF_C_SGT, b, a, bits);
	case VF_C_SLE: return refine_view(VF_C_SGE, b, a, bits);
	case VF_C_SET:
		if (view_is_const(b) && b->t.value && !(b->t.value & (b->t.value - 1)))
			a->t = vf_tnum_or(a->t, b->t);
		if (view_is_const(a) && a->t.value && !(a->t.value & (a->t.value - 1)))
			b->t = vf_tnum_or(b->t, a->t);
		return true;
	default:
		if (view_is_const(b))
			a->t = vf_tnum_and(a->t, vf_tnum_const(~b->t.value & umaxw(bits)));
		if (view_is_const(a))
			b->t = vf_tnum_and(b->t, vf_tnum_const(~a->t.value & umaxw(bits)));
		return true;
	}
}

static void put_view(struct vf_sval *v, const struct view *w, unsigned bits)
{
	if (bits == 64) {
		v->t = w->t;
		v->umin = w->umin;
		v->umax = w->umax;
		v->smin = w->smin;
		v->smax = w->smax;
	} else {
		v->t = vf_tnum_with_subreg(v->t, w->t);
		v->u32min = (uint32_t)w->umin;
		v->u32max = (uint32_t)w->umax;
		v->s32min = (int32_t)w->smin;
		v->s32max = (int32_t)w->smax;
		if (w->umin > w->umax || w->smin > w->smax) {
			v->u32min = 1;
			v->u32max = 0;
		}
	}
}

bool vf_sval_refine(enum vf_cmp c, unsigned bits, struct vf_sval *a, struct vf_sval *b)
{
	struct view va, vb;
	int d = vf_sval_cmp_decide(c, bits, a, b);

	if (d == 0)
		return false;
	if (d == 1)
		return true;
	va = view_of(a, bits);
	vb = view_of(b, bits);
	if (!refine_view(c, &va, &vb, bits))
		return false;
	if (va.umin > va.umax || va.smin > va.smax || vb.umin > vb.umax || vb.smin > vb.smax)
		return false;
	put_view(a, &va, bits);
	put_view(b, &vb, bits);
	if (vf_sval_is_empty(a) || vf_sval_is_empty(b))
		return false;
	vf_sval_sync(a);
	vf_sval_sync(b);
	return !vf_sval_is_empty(a) && !vf_sval_is_empty(b);
}
