/* SPDX-License-Identifier: MIT */
/*
 * tests/verifier/vf_gen.h - a structured generator of mostly-valid
 * programs for soundness checks (shared by the fixed-seed batch test and
 * fuzz/fuzz_verifier.c).  Programs are socket filters that never touch
 * the context: unknown values come from bpf_get_prandom_u32, and the
 * memory they access is a 64-byte stack buffer reached through pointer
 * arithmetic guarded (or not, or wrongly) by comparisons, so the
 * verifier's range reasoning decides whether the access is in bounds.
 * Blocks: random ALU (all ops, both widths, v4 movsx/bswap/sdiv), guarded
 * variable-offset stack loads/stores, forward branches, bounded loops,
 * spills and fills, r0 set from a random register.
 */
#ifndef BAREBPF_TESTS_VF_GEN_H
#define BAREBPF_TESTS_VF_GEN_H

#include <stdint.h>
#include <string.h>

#include "isa/isa.h"

/*
 * @maps: also emit lookups in map 0 (a hash map, key 4, value 64: the
 * caller declares it and resolves ld_imm64 src 5 idx 0) with or without a
 * null check, then a guarded access into the value.  Subprogram calls are
 * always on: one subprogram (after main's exit) gets a pointer to the
 * caller's buffer and an index, makes a guarded access through them and
 * returns a transformed index.
 * @pkt: the program is XDP and also emits direct packet accesses (the
 * context is kept at fp-128): data/data_end loaded from it, an access at a
 * constant or a guarded variable offset, bounded against data_end by a
 * comparison that is right, reversed, off by some bytes, or missing.
 */
struct vfg { uint64_t s; struct isa_raw *p; size_t n, cap; bool maps; bool pkt; };

static inline uint64_t vfg_rnd(struct vfg *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static inline void vfg_emit(struct vfg *g, uint8_t code, int dst, int src, int16_t off, int32_t imm)
{
	if (g->n < g->cap)
		g->p[g->n] = (struct isa_raw){ .code = code, .dst = (uint8_t)dst, .src = (uint8_t)src,
					       .off = off, .imm = imm };
	g->n++;
}

static inline int32_t vfg_imm(struct vfg *g)
{
	static const int32_t edge[] = { 0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 255, 0x7fffffff,
					INT32_MIN, 0xffff, 4096 };

	if (vfg_rnd(g) % 3)
		return (int32_t)(vfg_rnd(g) % 80) - 16;
	return edge[vfg_rnd(g) % (sizeof(edge) / sizeof(edge[0]))];
}

/* One ALU instruction on r6..r8. */
static inline void vfg_alu(struct vfg *g)
{
	static const uint8_t ops[] = { 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90,
				       0xa0, 0xb0, 0xc0 };
	int dst = 6 + (int)(vfg_rnd(g) % 3), src = 6 + (int)(vfg_rnd(g) % 3);
	uint8_t op = ops[vfg_rnd(g) % sizeof(ops)];
	bool is64 = vfg_rnd(g) % 4 != 0, x = vfg_rnd(g) & 1;
	uint8_t cls = is64 ? 0x07 : 0x04;
	int32_t imm = vfg_imm(g);
	int16_t off = 0;

	if (op == 0x80)
		x = false;
	if ((op == 0x30 || op == 0x90) && !x && imm == 0)
		imm = 3;
	if ((op == 0x60 || op == 0x70 || op == 0xc0) && !x)
		imm = (int32_t)(vfg_rnd(g) % (is64 ? 64 : 32));
	if ((op == 0x30 || op == 0x90) && vfg_rnd(g) % 4 == 0)
		off = 1;                                /* sdiv / smod */
	if (op == 0xb0 && x && vfg_rnd(g) % 4 == 0) {
		static const int16_t sx[] = { 8, 16, 32 };

		off = sx[vfg_rnd(g) % (is64 ? 3 : 2)];
	}
	if (vfg_rnd(g) % 16 == 0) {                     /* byte swaps */
		static const int32_t w[] = { 16, 32, 64 };

		vfg_emit(g, vfg_rnd(g) & 1 ? 0xd7 : 0xdc, dst, 0, 0, w[vfg_rnd(g) % 3]);
		return;
	}
	vfg_emit(g, (uint8_t)(cls | op | (x ? 0x08 : 0)), dst, x ? src : 0, off, x ? 0 : imm);
}

static inline uint8_t vfg_jop(struct vfg *g)
{
	static const uint8_t j[] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 };

	return j[vfg_rnd(g) % sizeof(j)];
}

/*
 * Guarded access to the 64-byte buffer at fp-64: index register r_i is
 * compared with a bound (sometimes wrong, sometimes signed, sometimes
 * 32-bit), then r9 = fp-64 + r_i and one load or store at a small offset.
 */
static inline void vfg_access(struct vfg *g)
{
	int ri = 6 + (int)(vfg_rnd(g) % 3);
	int32_t bound = (int32_t)(vfg_rnd(g) % 72);
	uint8_t jop = (uint8_t[]){ 0x20, 0x30, 0x60, 0x70, 0xa0, 0xb0 }[vfg_rnd(g) % 6];
	uint8_t jcls = vfg_rnd(g) % 4 ? 0x05 : 0x06;
	int sizes[] = { 1, 2, 4, 8 };
	int size = sizes[vfg_rnd(g) % 4];
	uint8_t sz = size == 1 ? 0x10 : size == 2 ? 0x08 : size == 4 ? 0x00 : 0x18;
	int16_t off = (int16_t)(vfg_rnd(g) % 8);
	bool store = vfg_rnd(g) & 1;

	/* if (ri OP bound) skip the access (4 insns) */
	vfg_emit(g, (uint8_t)(jcls | jop), ri, 0, 4, bound);
	vfg_emit(g, 0xbf, 9, 10, 0, 0);                 /* r9 = r10 */
	vfg_emit(g, 0x07, 9, 0, 0, -64);                /* r9 += -64 */
	vfg_emit(g, 0x0f, 9, ri, 0, 0);                 /* r9 += ri */
	if (store)
		vfg_emit(g, (uint8_t)(0x63 | sz), 9, 6, off, 0);
	else
		vfg_emit(g, (uint8_t)(0x61 | sz), 7, 9, off, 0);
}

/* One guarded access through @base + ri (jump over it when ri OP bound). */
static inline void vfg_guarded(struct vfg *g, int base, int ri, int max)
{
	int32_t bound = (int32_t)(vfg_rnd(g) % (uint64_t)(max + 8));
	uint8_t jop = (uint8_t[]){ 0x20, 0x30, 0x60, 0x70, 0xa0, 0xb0 }[vfg_rnd(g) % 6];
	uint8_t jcls = vfg_rnd(g) % 4 ? 0x05 : 0x06;
	int size = (int[]){ 1, 2, 4, 8 }[vfg_rnd(g) % 4];
	uint8_t sz = size == 1 ? 0x10 : size == 2 ? 0x08 : size == 4 ? 0x00 : 0x18;
	int16_t off = (int16_t)(vfg_rnd(g) % 8);

	vfg_emit(g, (uint8_t)(jcls | jop), ri, 0, 2, bound);
	vfg_emit(g, 0x0f, base, ri, 0, 0);             /* base += ri */
	if (vfg_rnd(g) & 1)
		vfg_emit(g, (uint8_t)(0x63 | sz), base, 6, off, 0);
	else
		vfg_emit(g, (uint8_t)(0x61 | sz), 7, base, off, 0);
}

/* r0 = lookup(map 0, key at fp-72); null-checked 3 times in 4; access. */
static inline void vfg_lookup(struct vfg *g)
{
	int ri = 6 + (int)(vfg_rnd(g) % 3);

	vfg_emit(g, 0x62, 10, 0, -72, (int32_t)(vfg_rnd(g) % 4)); /* *(u32 *)(fp-72) = k */
	vfg_emit(g, 0x18, 1, 5, 0, 0);                  /* r1 = map[idx:0] */
	vfg_emit(g, 0, 0, 0, 0, 0);
	vfg_emit(g, 0xbf, 2, 10, 0, 0);
	vfg_emit(g, 0x07, 2, 0, 0, -72);
	vfg_emit(g, 0x85, 0, 0, 0, 1);                  /* call map_lookup_elem */
	if (vfg_rnd(g) % 4)
		vfg_emit(g, 0x15, 0, 0, 3, 0);          /* if r0 == 0 goto +3 */
	vfg_guarded(g, 0, ri, 64);
}

/* Call the subprogram: r1 = fp-64, r2 = ri; ri' = r0.  Its offset is
 * patched once the subprogram's place is known (imm holds -1 till then). */
static inline void vfg_call(struct vfg *g)
{
	int ri = 6 + (int)(vfg_rnd(g) % 3), rd = 6 + (int)(vfg_rnd(g) % 3);

	vfg_emit(g, 0xbf, 1, 10, 0, 0);
	vfg_emit(g, 0x07, 1, 0, 0, -64);
	vfg_emit(g, 0xbf, 2, ri, 0, 0);
	vfg_emit(g, 0x85, 0, 1, 0, -1);                 /* call sub (patched) */
	vfg_emit(g, 0xbf, rd, 0, 0, 0);
}

/* The subprogram: guarded access through r1 + r2 (r6/r7 are its own,
 * set first), then r0 = r2 after one ALU op. */
static inline void vfg_subprog(struct vfg *g)
{
	vfg_emit(g, 0xb7, 6, 0, 0, vfg_imm(g));
	vfg_emit(g, 0xb7, 7, 0, 0, 0);
	vfg_guarded(g, 1, 2, 64);
	vfg_emit(g, 0xbf, 0, 2, 0, 0);
	vfg_emit(g, (uint8_t)(0x07 | (uint8_t[]){ 0x00, 0x50, 0x70, 0x40 }[vfg_rnd(g) % 4]), 0, 0, 0,
		 (int32_t)(vfg_rnd(g) % 64));
	vfg_emit(g, 0x95, 0, 0, 0, 0);
}

/* A packet access (XDP, ctx at fp-128; r1-r5 are scratch here). */
static inline void vfg_packet(struct vfg *g)
{
	int size = (int[]){ 1, 2, 4, 8 }[vfg_rnd(g) % 4];
	uint8_t sz = size == 1 ? 0x10 : size == 2 ? 0x08 : size == 4 ? 0x00 : 0x18;
	int16_t off = (int16_t)(vfg_rnd(g) % 16);
	/* the bytes the check proves: usually exactly enough, sometimes short */
	int32_t k = off + size - (vfg_rnd(g) % 4 ? 0 : (int32_t)(vfg_rnd(g) % 3));
	int check = (int)(vfg_rnd(g) % 8);
	bool var = vfg_rnd(g) % 3 == 0;

	vfg_emit(g, 0x79, 1, 10, -128, 0);             /* r1 = ctx */
	vfg_emit(g, 0x61, 2, 1, 0, 0);                  /* r2 = data */
	vfg_emit(g, 0x61, 3, 1, 4, 0);                  /* r3 = data_end */
	if (var) {
		int ri = 6 + (int)(vfg_rnd(g) % 3);
		uint8_t jop = (uint8_t[]){ 0x20, 0x30, 0x60, 0x70, 0xa0, 0xb0 }[vfg_rnd(g) % 6];

		/* if (ri OP bound) skip: r2 += ri, then the checked access */
		vfg_emit(g, (uint8_t)((vfg_rnd(g) % 4 ? 0x05 : 0x06) | jop), ri, 0,
			 check == 7 ? 4 : 5, (int32_t)(vfg_rnd(g) % 80));
		vfg_emit(g, 0x0f, 2, ri, 0, 0);
	}
	vfg_emit(g, 0xbf, 4, 2, 0, 0);                  /* r4 = r2 */
	vfg_emit(g, 0x07, 4, 0, 0, k);                  /* r4 += k */
	switch (check) {
	case 0: case 1: case 2:
		vfg_emit(g, 0x2d, 4, 3, 1, 0);          /* if r4 > r3 goto +1 */
		break;
	case 3:
		vfg_emit(g, 0xad, 3, 4, 1, 0);          /* if r3 < r4 goto +1 */
		break;
	case 4:
		vfg_emit(g, 0x3d, 4, 3, 1, 0);          /* if r4 >= r3 goto +1 */
		break;
	case 5:
		vfg_emit(g, 0xbd, 3, 4, 1, 0);          /* if r3 <= r4 goto +1 (wrong way) */
		break;
	case 6:
		vfg_emit(g, 0x2d, 3, 4, 1, 0);          /* if r3 > r4 goto +1 (wrong way) */
		break;
	default:                                        /* no check */
		break;
	}
	if (vfg_rnd(g) & 1)
		vfg_emit(g, (uint8_t)(0x63 | sz), 2, 6, off, 0);
	else
		vfg_emit(g, (uint8_t)(0x61 | sz), 7, 2, off, 0);
}

/* Fill g->p (capacity g->cap) with one program; returns its length. */
static inline size_t vfg_program(struct vfg *g)
{
	int blocks = 2 + (int)(vfg_rnd(g) % 8);

	g->n = 0;
	if (g->pkt)
		vfg_emit(g, 0x7b, 10, 1, -128, 0);      /* *(u64 *)(fp-128) = ctx */
	vfg_emit(g, 0x85, 0, 0, 0, 7);                  /* call get_prandom_u32 */
	vfg_emit(g, 0xbf, 6, 0, 0, 0);
	vfg_emit(g, 0x85, 0, 0, 0, 7);
	vfg_emit(g, 0xbf, 7, 0, 0, 0);
	vfg_emit(g, 0xb7, 8, 0, 0, vfg_imm(g));
	for (int b = 0; b < blocks && g->n + 32 < g->cap; b++) {
		switch (vfg_rnd(g) % (g->maps ? 9 : 8)) {
		case 7:
			vfg_call(g);
			break;
		case 8:
			vfg_lookup(g);
			break;
		case 0: case 1:
			for (int k = 0; k < 3; k++)
				vfg_alu(g);
			break;
		case 2: case 3:
			vfg_access(g);
			break;
		case 4: {                               /* forward branch over ALU */
			int r = 6 + (int)(vfg_rnd(g) % 3);

			vfg_emit(g, (uint8_t)((vfg_rnd(g) % 4 ? 0x05 : 0x06) | vfg_jop(g)), r, 0, 2,
				 vfg_imm(g));
			vfg_alu(g);
			vfg_alu(g);
			break;
		}
		case 5:                                 /* bounded loop */
			vfg_emit(g, 0xb7, 9, 0, 0, 1 + (int32_t)(vfg_rnd(g) % 6));
			vfg_alu(g);
			vfg_emit(g, 0x17, 9, 0, 0, 1);          /* r9 -= 1 */
			vfg_emit(g, 0x55, 9, 0, -3, 0);         /* if r9 != 0 goto -3 */
			break;
		case 6:
			if (g->pkt) {
				vfg_packet(g);
				break;
			}
			/* fall through */
		default: {                              /* spill and fill */
			int a = 6 + (int)(vfg_rnd(g) % 3), b2 = 6 + (int)(vfg_rnd(g) % 3);
			int16_t o = (int16_t)(-8 * (1 + (int)(vfg_rnd(g) % 12)));

			static const uint8_t stx[4] = { 0x73, 0x6b, 0x63, 0x7b }, ldx[4] = { 0x71, 0x69, 0x61, 0x79 };
			int ss = (int)(vfg_rnd(g) % 4), fs = (int)(vfg_rnd(g) % 4);

			if (vfg_rnd(g) % 2) {           /* whole slot */
				vfg_emit(g, 0x7b, 10, a, o, 0);
				vfg_emit(g, 0x79, b2, 10, o, 0);
				break;
			}
			/* narrow spills and fills, aligned, anywhere in the slot;
			 * sometimes a store of an immediate (BPF_ST) */
			if (vfg_rnd(g) % 4)
				vfg_emit(g, stx[ss], 10, a, (int16_t)(o + (int)(vfg_rnd(g) % (8u >> ss)) * (1 << ss)), 0);
			else
				vfg_emit(g, (uint8_t)(stx[ss] - 1), 10, 0,
					 (int16_t)(o + (int)(vfg_rnd(g) % (8u >> ss)) * (1 << ss)), vfg_imm(g));
			vfg_emit(g, ldx[fs], b2, 10, (int16_t)(o + (int)(vfg_rnd(g) % (8u >> fs)) * (1 << fs)), 0);
			break;
		}
		}
	}
	vfg_emit(g, 0xbf, 0, 6 + (int)(vfg_rnd(g) % 3), 0, 0);
	vfg_emit(g, 0x95, 0, 0, 0, 0);
	{
		size_t sub = g->n;
		bool called = false;

		for (size_t i = 0; i < g->n && i < g->cap; i++)
			if (g->p[i].code == 0x85 && g->p[i].src == 1 && g->p[i].imm == -1) {
				g->p[i].imm = (int32_t)(sub - i - 1);
				called = true;
			}
		if (called)
			vfg_subprog(g);
	}
	return g->n <= g->cap ? g->n : 0;
}

#endif
