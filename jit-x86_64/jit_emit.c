/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit_emit.c - x86-64 instruction encoders, one per encoding.
 *
 * Each function appends one instruction to a struct jit_buf and says in
 * its comment which Intel SDM form it encodes.  They pick the shortest
 * form of an operand (imm8 over imm32, disp8 over disp32, no displacement
 * at all when it is 0 and the base allows it) but never choose between
 * different instructions: that is the code generator's job.
 *
 * Encoding reminders: REX = 0100WRXB (W: 64-bit operand, R: ModRM.reg
 * bit 3, X: SIB.index bit 3, B: ModRM.rm / SIB.base bit 3).  ModRM =
 * mod(2) reg(3) rm(3).  rm = 100 means "a SIB byte follows" (so rsp/r12 as
 * a base need SIB 0x24), and mod = 00 with rm = 101 means RIP-relative (so
 * rbp/r13 as a base need an explicit disp8 of 0).  Byte operands 4..7 are
 * ah/ch/dh/bh without a REX prefix and spl/bpl/sil/dil with one.
 */
#include "jit-x86_64/jit_internal.h"

#include <errno.h>
#include <stdlib.h>

void jit_put8(struct jit_buf *b, uint8_t v)
{
	if (b->p || b->grow) {
		if (b->len >= b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 4096;
			uint8_t *p;

			if (!b->grow || b->err) {
				b->err = b->err ? b->err : -ENOSPC;
				b->len++;
				return;
			}
			p = realloc(b->p, cap);
			if (!p) {
				b->err = -ENOMEM;
				b->len++;
				return;
			}
			b->p = p;
			b->cap = cap;
		}
		b->p[b->len] = v;
	}
	b->len++;
}

void jit_put32(struct jit_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		jit_put8(b, (uint8_t)(v >> (8 * i)));
}

void jit_put64(struct jit_buf *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		jit_put8(b, (uint8_t)(v >> (8 * i)));
}

/* REX if any bit is needed, or always with @force (byte registers 4..7). */
static void rex(struct jit_buf *b, bool w, int reg, int index, int base, bool force)
{
	uint8_t r = (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
			      ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0));

	if (r != 0x40 || force)
		jit_put8(b, r);
}

static bool byte_needs_rex(int reg)
{
	return reg >= RSP && reg <= RDI;
}

static void modrm_rr(struct jit_buf *b, int reg, int rm)
{
	jit_put8(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* ModRM (+SIB) (+disp) for [base + disp]. */
static void modrm_mem(struct jit_buf *b, int reg, int base, int32_t disp)
{
	uint8_t mod;

	if (disp == 0 && (base & 7) != RBP)
		mod = 0;
	else if (jit_fits8(disp))
		mod = 1;
	else
		mod = 2;
	jit_put8(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == RSP)
		jit_put8(b, 0x24);      /* SIB: no index, base */
	if (mod == 1)
		jit_put8(b, (uint8_t)disp);
	else if (mod == 2)
		jit_put32(b, (uint32_t)disp);
}

/* op r/m, r  (MR form: 01 add, 09 or, 21 and, 29 sub, 31 xor, 39 cmp,
 * 85 test, 89 mov), register to register. */
void emit_alu_rr(struct jit_buf *b, enum jit_alu_mr op, bool w, int dst, int src)
{
	rex(b, w, src, 0, dst, false);
	jit_put8(b, (uint8_t)op);
	modrm_rr(b, src, dst);
}

/* op r/m, imm: 83 /ext ib, or 05+8*ext id for eax/rax, or 81 /ext id. */
void emit_alu_ri(struct jit_buf *b, enum jit_alu_ext ext, bool w, int dst, int32_t imm)
{
	rex(b, w, 0, 0, dst, false);
	if (jit_fits8(imm)) {
		jit_put8(b, 0x83);
		modrm_rr(b, ext, dst);
		jit_put8(b, (uint8_t)imm);
	} else if (dst == RAX) {
		jit_put8(b, (uint8_t)(ext << 3 | 5));
		jit_put32(b, (uint32_t)imm);
	} else {
		jit_put8(b, 0x81);
		modrm_rr(b, ext, dst);
		jit_put32(b, (uint32_t)imm);
	}
}

/* op r, r/m  (RM form: the MR opcode + 2: 03 add, 3b cmp, 8b mov, ...). */
void emit_alu_rm(struct jit_buf *b, enum jit_alu_mr op, bool w, int reg, int base, int32_t disp)
{
	rex(b, w, reg, 0, base, false);
	jit_put8(b, (uint8_t)(op + 2));
	modrm_mem(b, reg, base, disp);
}

/* op m, imm: 83 /ext ib or 81 /ext id on [base + disp]. */
void emit_alu_mi(struct jit_buf *b, enum jit_alu_ext ext, bool w, int base, int32_t disp, int32_t imm)
{
	rex(b, w, 0, 0, base, false);
	jit_put8(b, jit_fits8(imm) ? 0x83 : 0x81);
	modrm_mem(b, ext, base, disp);
	if (jit_fits8(imm))
		jit_put8(b, (uint8_t)imm);
	else
		jit_put32(b, (uint32_t)imm);
}

/* test r/m, imm: a8 ib (al) / f6 /0 ib for a byte mask, else a9 id (eax)
 * / f7 /0 id.  A mask within 0..255 only looks at the low byte either
 * way, so the byte form is the same test. */
void emit_test_ri(struct jit_buf *b, bool w, int dst, int32_t imm)
{
	if (imm >= 0 && imm <= 255) {
		rex(b, false, 0, 0, dst, byte_needs_rex(dst));
		if (dst == RAX) {
			jit_put8(b, 0xa8);
		} else {
			jit_put8(b, 0xf6);
			modrm_rr(b, 0, dst);
		}
		jit_put8(b, (uint8_t)imm);
		return;
	}
	rex(b, w, 0, 0, dst, false);
	if (dst == RAX) {
		jit_put8(b, 0xa9);
	} else {
		jit_put8(b, 0xf7);
		modrm_rr(b, 0, dst);
	}
	jit_put32(b, (uint32_t)imm);
}

/* mov r32, imm32: b8+r id (zero-extends to 64 bits). */
void emit_mov_ri32(struct jit_buf *b, int dst, uint32_t imm)
{
	rex(b, false, 0, 0, dst, false);
	jit_put8(b, (uint8_t)(0xb8 | (dst & 7)));
	jit_put32(b, imm);
}

/* mov r/m64, imm32: REX.W c7 /0 id (sign-extends). */
void emit_mov_ri64sx(struct jit_buf *b, int dst, int32_t imm)
{
	rex(b, true, 0, 0, dst, false);
	jit_put8(b, 0xc7);
	modrm_rr(b, 0, dst);
	jit_put32(b, (uint32_t)imm);
}

/* movabs r64, imm64: REX.W b8+r io. */
void emit_movabs(struct jit_buf *b, int dst, uint64_t imm)
{
	rex(b, true, 0, 0, dst, false);
	jit_put8(b, (uint8_t)(0xb8 | (dst & 7)));
	jit_put64(b, imm);
}

/* imul r, r/m: 0f af /r. */
void emit_imul_rr(struct jit_buf *b, bool w, int dst, int src)
{
	rex(b, w, dst, 0, src, false);
	jit_put8(b, 0x0f);
	jit_put8(b, 0xaf);
	modrm_rr(b, dst, src);
}

/* imul r, r/m, imm: 6b /r ib or 69 /r id. */
void emit_imul_rri(struct jit_buf *b, bool w, int dst, int src, int32_t imm)
{
	rex(b, w, dst, 0, src, false);
	jit_put8(b, jit_fits8(imm) ? 0x6b : 0x69);
	modrm_rr(b, dst, src);
	if (jit_fits8(imm))
		jit_put8(b, (uint8_t)imm);
	else
		jit_put32(b, (uint32_t)imm);
}

/* shl/shr/sar/rol/ror r/m, imm8: d1 /ext for 1, else c1 /ext ib. */
void emit_shift_ri(struct jit_buf *b, enum jit_shift_ext ext, bool w, int dst, uint8_t imm)
{
	rex(b, w, 0, 0, dst, false);
	jit_put8(b, imm == 1 ? 0xd1 : 0xc1);
	modrm_rr(b, ext, dst);
	if (imm != 1)
		jit_put8(b, imm);
}

/* shl/shr/sar r/m, cl: d3 /ext. */
void emit_shift_cl(struct jit_buf *b, enum jit_shift_ext ext, bool w, int dst)
{
	rex(b, w, 0, 0, dst, false);
	jit_put8(b, 0xd3);
	modrm_rr(b, ext, dst);
}

/* ror r16, 8: 66 c1 /1 08 (swaps the two low bytes). */
void emit_ror16_8(struct jit_buf *b, int dst)
{
	jit_put8(b, 0x66);
	rex(b, false, 0, 0, dst, false);
	jit_put8(b, 0xc1);
	modrm_rr(b, SH_ROR, dst);
	jit_put8(b, 8);
}

/* neg r/m: f7 /3. */
void emit_neg(struct jit_buf *b, bool w, int dst)
{
	rex(b, w, 0, 0, dst, false);
	jit_put8(b, 0xf7);
	modrm_rr(b, 3, dst);
}

/* div r/m: f7 /6; idiv r/m: f7 /7.  rdx:rax / src. */
void emit_div(struct jit_buf *b, bool w, bool sign, int src)
{
	rex(b, w, 0, 0, src, false);
	jit_put8(b, 0xf7);
	modrm_rr(b, sign ? 7 : 6, src);
}

/* cqo (REX.W 99) / cdq (99): sign-extend rax into rdx. */
void emit_cqo(struct jit_buf *b, bool w)
{
	if (w)
		jit_put8(b, 0x48);
	jit_put8(b, 0x99);
}

/* bswap r: 0f c8+r. */
void emit_bswap(struct jit_buf *b, bool w, int dst)
{
	rex(b, w, 0, 0, dst, false);
	jit_put8(b, 0x0f);
	jit_put8(b, (uint8_t)(0xc8 | (dst & 7)));
}

/* movzx r32, r/m8: 0f b6 /r; movzx r32, r/m16: 0f b7 /r. */
void emit_movzx_rr(struct jit_buf *b, unsigned size, int dst, int src)
{
	rex(b, false, dst, 0, src, size == 1 && byte_needs_rex(src));
	jit_put8(b, 0x0f);
	jit_put8(b, size == 1 ? 0xb6 : 0xb7);
	modrm_rr(b, dst, src);
}

/* movsx r, r/m8: 0f be /r; movsx r, r/m16: 0f bf /r; movsxd r64, r/m32:
 * REX.W 63 /r. */
void emit_movsx_rr(struct jit_buf *b, bool w, unsigned size, int dst, int src)
{
	rex(b, w || size == 4, dst, 0, src, size == 1 && byte_needs_rex(src));
	if (size == 4) {
		jit_put8(b, 0x63);
	} else {
		jit_put8(b, 0x0f);
		jit_put8(b, size == 1 ? 0xbe : 0xbf);
	}
	modrm_rr(b, dst, src);
}

/* mov r, [base + disp]: 8b /r (32-bit zero-extends). */
void emit_mov_load(struct jit_buf *b, bool w, int dst, int base, int32_t disp)
{
	rex(b, w, dst, 0, base, false);
	jit_put8(b, 0x8b);
	modrm_mem(b, dst, base, disp);
}

/* movzx r32, byte/word [base + disp]: 0f b6 / 0f b7. */
void emit_movzx_load(struct jit_buf *b, unsigned size, int dst, int base, int32_t disp)
{
	rex(b, false, dst, 0, base, false);
	jit_put8(b, 0x0f);
	jit_put8(b, size == 1 ? 0xb6 : 0xb7);
	modrm_mem(b, dst, base, disp);
}

/* movsx r64, byte/word [m]: REX.W 0f be / 0f bf; movsxd r64, [m]: REX.W 63. */
void emit_movsx_load(struct jit_buf *b, unsigned size, int dst, int base, int32_t disp)
{
	rex(b, true, dst, 0, base, false);
	if (size == 4) {
		jit_put8(b, 0x63);
	} else {
		jit_put8(b, 0x0f);
		jit_put8(b, size == 1 ? 0xbe : 0xbf);
	}
	modrm_mem(b, dst, base, disp);
}

/* mov [base + disp], r: 88 /r (byte), 66 89 /r (word), 89 /r, REX.W 89 /r. */
void emit_mov_store(struct jit_buf *b, unsigned size, int base, int32_t disp, int src)
{
	if (size == 2)
		jit_put8(b, 0x66);
	rex(b, size == 8, src, 0, base, size == 1 && byte_needs_rex(src));
	jit_put8(b, size == 1 ? 0x88 : 0x89);
	modrm_mem(b, src, base, disp);
}

/* mov [base + disp], imm: c6 /0 ib, 66 c7 /0 iw, c7 /0 id, REX.W c7 /0 id. */
void emit_mov_store_imm(struct jit_buf *b, unsigned size, int base, int32_t disp, int32_t imm)
{
	if (size == 2)
		jit_put8(b, 0x66);
	rex(b, size == 8, 0, 0, base, false);
	jit_put8(b, size == 1 ? 0xc6 : 0xc7);
	modrm_mem(b, 0, base, disp);
	if (size == 1)
		jit_put8(b, (uint8_t)imm);
	else if (size == 2) {
		jit_put8(b, (uint8_t)imm);
		jit_put8(b, (uint8_t)(imm >> 8));
	} else
		jit_put32(b, (uint32_t)imm);
}

/* lea r, [base + disp]: 8d /r. */
void emit_lea(struct jit_buf *b, bool w, int dst, int base, int32_t disp)
{
	rex(b, w, dst, 0, base, false);
	jit_put8(b, 0x8d);
	modrm_mem(b, dst, base, disp);
}

/* lock op [base + disp], r: f0 + MR opcode (01 add, 09 or, 21 and, 31 xor). */
void emit_lock_alu_mr(struct jit_buf *b, enum jit_alu_mr op, bool w, int base, int32_t disp, int src)
{
	jit_put8(b, 0xf0);
	rex(b, w, src, 0, base, false);
	jit_put8(b, (uint8_t)op);
	modrm_mem(b, src, base, disp);
}

/* lock xadd [base + disp], r: f0 0f c1 /r. */
void emit_lock_xadd(struct jit_buf *b, bool w, int base, int32_t disp, int src)
{
	jit_put8(b, 0xf0);
	rex(b, w, src, 0, base, false);
	jit_put8(b, 0x0f);
	jit_put8(b, 0xc1);
	modrm_mem(b, src, base, disp);
}

/* xchg [base + disp], r: 87 /r (locked by definition). */
void emit_xchg_mr(struct jit_buf *b, bool w, int base, int32_t disp, int src)
{
	rex(b, w, src, 0, base, false);
	jit_put8(b, 0x87);
	modrm_mem(b, src, base, disp);
}

/* lock cmpxchg [base + disp], r: f0 0f b1 /r (compares with rax/eax). */
void emit_lock_cmpxchg(struct jit_buf *b, bool w, int base, int32_t disp, int src)
{
	jit_put8(b, 0xf0);
	rex(b, w, src, 0, base, false);
	jit_put8(b, 0x0f);
	jit_put8(b, 0xb1);
	modrm_mem(b, src, base, disp);
}

/* jcc rel8: 70+cc cb; jcc rel32: 0f 80+cc cd.  @rel is from the end. */
void emit_jcc(struct jit_buf *b, enum jit_cc cc, int32_t rel, bool short_form)
{
	if (short_form) {
		jit_put8(b, (uint8_t)(0x70 | cc));
		jit_put8(b, (uint8_t)rel);
	} else {
		jit_put8(b, 0x0f);
		jit_put8(b, (uint8_t)(0x80 | cc));
		jit_put32(b, (uint32_t)rel);
	}
}

/* jmp rel8: eb cb; jmp rel32: e9 cd. */
void emit_jmp(struct jit_buf *b, int32_t rel, bool short_form)
{
	if (short_form) {
		jit_put8(b, 0xeb);
		jit_put8(b, (uint8_t)rel);
	} else {
		jit_put8(b, 0xe9);
		jit_put32(b, (uint32_t)rel);
	}
}

/* call rel32: e8 cd. */
void emit_call_rel32(struct jit_buf *b, int32_t rel)
{
	jit_put8(b, 0xe8);
	jit_put32(b, (uint32_t)rel);
}

/* call r64: ff /2. */
void emit_call_r(struct jit_buf *b, int reg)
{
	rex(b, false, 0, 0, reg, false);
	jit_put8(b, 0xff);
	modrm_rr(b, 2, reg);
}

/* jmp r64: ff /4. */
void emit_jmp_r(struct jit_buf *b, int reg)
{
	rex(b, false, 0, 0, reg, false);
	jit_put8(b, 0xff);
	modrm_rr(b, 4, reg);
}

/* push r64: 50+r; pop r64: 58+r. */
void emit_push(struct jit_buf *b, int reg)
{
	rex(b, false, 0, 0, reg, false);
	jit_put8(b, (uint8_t)(0x50 | (reg & 7)));
}

void emit_pop(struct jit_buf *b, int reg)
{
	rex(b, false, 0, 0, reg, false);
	jit_put8(b, (uint8_t)(0x58 | (reg & 7)));
}

/* ret: c3. */
void emit_ret(struct jit_buf *b)
{
	jit_put8(b, 0xc3);
}
