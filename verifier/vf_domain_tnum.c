/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_domain_tnum.c - known-bits arithmetic ("tristate numbers").
 * Pure value semantics; contracts in vf_domain.h.  The add/sub carry
 * tricks follow the published tnum paper (Vishwanathan et al., CGO 2022)
 * that the kernel's tnum.c implements.
 */
#include "verifier/vf_domain.h"

#define T(v, m) ((struct vf_tnum){ (v), (m) })

struct vf_tnum vf_tnum_const(uint64_t v) { return T(v, 0); }

struct vf_tnum vf_tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max, delta;
	int bits = chi ? 64 - __builtin_clzll(chi) : 0;

	if (bits > 63)
		return VF_TNUM_UNKNOWN;
	delta = (1ull << bits) - 1;
	return T(min & ~delta, delta);
}

struct vf_tnum vf_tnum_add(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t sm = a.mask + b.mask, sv = a.value + b.value;
	uint64_t sigma = sm + sv, chi = sigma ^ sv;
	uint64_t mu = chi | a.mask | b.mask;

	return T(sv & ~mu, mu);
}

struct vf_tnum vf_tnum_sub(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask, beta = dv - b.mask;
	uint64_t mu = (alpha ^ beta) | a.mask | b.mask;

	return T(dv & ~mu, mu);
}

struct vf_tnum vf_tnum_neg(struct vf_tnum a) { return vf_tnum_sub(T(0, 0), a); }

struct vf_tnum vf_tnum_and(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t alpha = a.value | a.mask, beta = b.value | b.mask;
	uint64_t v = a.value & b.value;

	return T(v, alpha & beta & ~v);
}

struct vf_tnum vf_tnum_or(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask | b.mask;

	return T(v, mu & ~v);
}

struct vf_tnum vf_tnum_xor(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value ^ b.value, mu = a.mask | b.mask;

	return T(v & ~mu, mu);
}

struct vf_tnum vf_tnum_lsh(struct vf_tnum a, unsigned k)
{
	return T(a.value << (k & 63), a.mask << (k & 63));
}

struct vf_tnum vf_tnum_rsh(struct vf_tnum a, unsigned k)
{
	return T(a.value >> (k & 63), a.mask >> (k & 63));
}

struct vf_tnum vf_tnum_arsh(struct vf_tnum a, unsigned k, unsigned bits)
{
	if (bits == 32)
		return T((uint32_t)((int32_t)(uint32_t)a.value >> (k & 31)),
			 (uint32_t)((int32_t)(uint32_t)a.mask >> (k & 31)));
	return T((uint64_t)((int64_t)a.value >> (k & 63)),
		 (uint64_t)((int64_t)a.mask >> (k & 63)));
}

/* Long multiplication: each bit of a either adds b (known 1), adds
 * "maybe b" (unknown), or nothing; known products are summed exactly. */
struct vf_tnum vf_tnum_mul(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t acc_v = a.value * b.value;
	struct vf_tnum acc_m = T(0, 0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = vf_tnum_add(acc_m, T(0, b.mask));
		else if (a.mask & 1)
			acc_m = vf_tnum_add(acc_m, T(0, b.value | b.mask));
		a = vf_tnum_rsh(a, 1);
		b = vf_tnum_lsh(b, 1);
	}
	return vf_tnum_add(T(acc_v, 0), acc_m);
}

struct vf_tnum vf_tnum_intersect(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask & b.mask;

	return T(v & ~mu, mu);
}

struct vf_tnum vf_tnum_union(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value & b.value;
	uint64_t mu = (a.value ^ b.value) | a.mask | b.mask;

	return T(v & ~mu, mu);
}

struct vf_tnum vf_tnum_cast(struct vf_tnum a, unsigned size)
{
	uint64_t m = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;

	return T(a.value & m, a.mask & m);
}

struct vf_tnum vf_tnum_sext(struct vf_tnum a, unsigned bits)
{
	uint64_t low = bits >= 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t sign = 1ull << (bits - 1);

	if (bits >= 64)
		return a;
	a.value &= low;
	a.mask &= low;
	if (a.mask & sign)
		a.mask |= ~low;
	else if (a.value & sign)
		a.value |= ~low;
	return a;
}

static uint64_t bswap_bits(uint64_t x, unsigned bits)
{
	if (bits == 16)
		return __builtin_bswap16((uint16_t)x);
	if (bits == 32)
		return __builtin_bswap32((uint32_t)x);
	return __builtin_bswap64(x);
}

struct vf_tnum vf_tnum_bswap(struct vf_tnum a, unsigned bits)
{
	return T(bswap_bits(a.value, bits), bswap_bits(a.mask, bits));
}

struct vf_tnum vf_tnum_subreg(struct vf_tnum a) { return vf_tnum_cast(a, 4); }

struct vf_tnum vf_tnum_with_subreg(struct vf_tnum a, struct vf_tnum sub)
{
	const uint64_t hi = 0xffffffff00000000ull;

	return vf_tnum_or(T(a.value & hi, a.mask & hi), vf_tnum_cast(sub, 4));
}

bool vf_tnum_is_const(struct vf_tnum a) { return !a.mask; }
bool vf_tnum_is_unknown(struct vf_tnum a) { return !~a.mask; }

bool vf_tnum_in(struct vf_tnum a, struct vf_tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	return (b.value & ~a.mask) == a.value;
}

bool vf_tnum_contains(struct vf_tnum a, uint64_t x)
{
	return (x & ~a.mask) == a.value;
}

bool vf_tnum_conflict(struct vf_tnum a, struct vf_tnum b)
{
	return ((a.value ^ b.value) & ~(a.mask | b.mask)) != 0;
}

bool vf_tnum_is_aligned(struct vf_tnum a, uint64_t align)
{
	if (!align)
		return true;
	return !((a.value | a.mask) & (align - 1));
}

/* Smallest member of @t that is >= @c; false if there is none. */
static bool tnum_next_ge(struct vf_tnum t, uint64_t c, uint64_t *out)
{
	uint64_t diff = (c ^ t.value) & ~t.mask, below, above;
	int b, p;

	if (!diff) {
		*out = c;
		return true;
	}
	b = 63 - __builtin_clzll(diff);         /* highest fixed bit c gets wrong */
	below = b == 63 ? ~0ull : (2ull << b) - 1;
	if (t.value & (1ull << b)) {            /* c has 0 there: set it, rest minimal */
		*out = (c & ~below) | (1ull << b) | (t.value & ((1ull << b) - 1));
		return true;
	}
	/* c has 1 where a 0 is fixed: carry into the lowest free bit above */
	above = t.mask & ~below & ~c;
	if (!above)
		return false;
	p = __builtin_ctzll(above);
	*out = (c & ~((2ull << p) - 1)) | (1ull << p) | (t.value & ((1ull << p) - 1));
	return true;
}

uint64_t vf_tnum_step(struct vf_tnum t, uint64_t z)
{
	uint64_t tmax = t.value | t.mask, x;

	if (z >= tmax)
		return tmax;
	if (z < t.value)
		return t.value;
	return tnum_next_ge(t, z + 1, &x) ? x : tmax;
}
