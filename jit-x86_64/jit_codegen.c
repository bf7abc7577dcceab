/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit_codegen.c - BPF instructions to x86-64.
 *
 * Image layout:
 *
 *   entry     push the six callee-saved registers, r12 = run context,
 *             load r1..r5 and r10 from it, zero r0 and r6..r9, then `call`
 *             the context's target: the body for a run, a function of the
 *             program for a helper's callback (jit_call_function(): the
 *             entry nests, each level keeping its own saved rsp, so an
 *             error exit unwinds to the innermost C caller only).  Every
 *             BPF `exit` is a plain `ret`, for the main program and for
 *             bpf-to-bpf callees alike, and the stack pointer inside BPF
 *             code is always 16-byte aligned, so helper calls need no
 *             adjustment.
 *   ret_r0    store rax as r0, return 0 through the epilogue.
 *   abort_ok0 LD_ABS/LD_IND out of the packet: r0 = 0, from any depth
 *             (rsp comes back from the context).
 *   abort_err an error exit; the failing site stored kind and pc first.
 *   check     (checked mode) save the caller-saved registers, ask
 *             jit_rt_check() about [r11, desc in r10d], restore.
 *   body      one block per BPF instruction, in program order; the
 *             offsets are jit_insn_offset().
 *   stubs     the out-of-line tails of error checks: store kind, pc and
 *             this program (a tail call may have left the first one),
 *             jump to abort_err.  The hot path never jumps over them.
 *
 * Jumps go through labels: BPF instruction i is label i, the end of the
 * body label n, then local labels.  Code generation runs in passes.  Pass 0
 * makes every forward jump rel32; later passes make a jump rel8 when the
 * previous pass's addresses (which only shrink) say it fits, and a jump
 * once short stays short.  Every pass ends by patching its jumps with its
 * own label addresses, so each pass's image is correct; the passes stop
 * when the size stops shrinking (the kernel does the same).
 *
 * bpf-to-bpf calls keep the interpreter's model: the context holds the
 * current frame pointer; a call checks the depth, saves r6..r10 on the
 * native stack, moves r10 down 512 bytes and `call`s the target.
 */
#include "jit-x86_64/jit_internal.h"
#include "jit-x86_64/jit_rows.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define UNSET UINT32_MAX
#define AX R10                          /* blinding / scratch */
#define CTX R12
#define CTXOFF(f) ((int32_t)offsetof(struct jit_ctx, f))
#define CALLOFF(f) (CTXOFF(call) + (int32_t)offsetof(struct vm_call, f))
#define MAX_PASSES 20

/* BPF register -> x86-64 register. */
static const uint8_t reg_map[ISA_MAX_REG + 1] = {
	[0] = RAX, [1] = RDI, [2] = RSI, [3] = RDX, [4] = RCX, [5] = R8,
	[6] = RBX, [7] = R13, [8] = R14, [9] = R15, [10] = RBP,
};

struct fixup {
	uint32_t pos;           /* of the rel field */
	uint32_t label;
	bool is_short;
};

struct stub {
	uint32_t label;
	uint32_t pc;
	int32_t kind;           /* enum jit_err_kind */
	int8_t reg;             /* x86 register to store as err_arg, or -1 */
};

struct cg {
	struct jit_buf b;
	struct jit_prog *jp;
	const struct isa_insn *ins;
	size_t n;
	const struct jit_opts *o;
	uint32_t *addr, *prev;  /* label addresses: this pass, last pass */
	size_t nlab, cap;
	bool have_prev;
	uint8_t *jshort;        /* per jump, in emission order */
	size_t njump, jcap;
	struct bb_vec fix;      /* struct fixup */
	struct bb_vec stubs;    /* struct stub */
	uint32_t l_ret, l_epi, l_ok0, l_err, l_check;
	uint64_t rng;
	int err;
};

/* ----- labels and jumps ----- */

static uint32_t new_label(struct cg *cg)
{
	if (cg->nlab == cg->cap) {
		size_t cap = cg->cap * 2;
		uint32_t *a = realloc(cg->addr, cap * sizeof(*a));
		uint32_t *p = a ? realloc(cg->prev, cap * sizeof(*p)) : NULL;

		if (a)
			cg->addr = a;
		if (!a || !p) {
			cg->err = -ENOMEM;
			return 0;
		}
		cg->prev = p;
		for (size_t i = cg->cap; i < cap; i++)
			cg->prev[i] = UNSET;
		cg->cap = cap;
	}
	cg->addr[cg->nlab] = UNSET;
	return (uint32_t)cg->nlab++;
}

static void bind(struct cg *cg, uint32_t l)
{
	cg->addr[l] = (uint32_t)cg->b.len;
}

static void add_fixup(struct cg *cg, uint32_t label, bool is_short)
{
	struct fixup f = {
		.pos = (uint32_t)cg->b.len - (is_short ? 1 : 4),
		.label = label, .is_short = is_short,
	};

	if (!bb_vec_push(&cg->fix, &f))
		cg->err = -ENOMEM;
}

/* jmp (cc < 0) or jcc to @l, short when it is known to fit. */
static void jump_to(struct cg *cg, int cc, uint32_t l)
{
	size_t j = cg->njump++;
	bool sh = false;

	if (j >= cg->jcap) {
		size_t cap = cg->jcap ? cg->jcap * 2 : 256;
		uint8_t *p = realloc(cg->jshort, cap);

		if (!p) {
			cg->err = -ENOMEM;
			return;
		}
		memset(p + cg->jcap, 0, cap - cg->jcap);
		cg->jshort = p;
		cg->jcap = cap;
	}
	if (cg->err)
		return;
	if (cg->addr[l] != UNSET)               /* backward: exact */
		sh = jit_fits8((int64_t)cg->addr[l] - (int64_t)(cg->b.len + 2));
	else if (cg->jshort[j])                 /* it only got closer */
		sh = true;
	else if (cg->have_prev && cg->prev[l] != UNSET)
		sh = jit_fits8((int64_t)cg->prev[l] - (int64_t)(cg->b.len + 2));
	cg->jshort[j] = sh;
	if (cc < 0)
		emit_jmp(&cg->b, 0, sh);
	else
		emit_jcc(&cg->b, (enum jit_cc)cc, 0, sh);
	add_fixup(cg, l, sh);
}

static void call_to(struct cg *cg, uint32_t l)
{
	emit_call_rel32(&cg->b, 0);
	add_fixup(cg, l, false);
}

/* A jump to an out-of-line error tail for instruction @pc. */
static void jump_stub(struct cg *cg, int cc, uint32_t pc, enum jit_err_kind kind, int reg)
{
	struct stub s = { .label = new_label(cg), .pc = pc, .kind = kind, .reg = (int8_t)reg };

	if (!bb_vec_push(&cg->stubs, &s))
		cg->err = -ENOMEM;
	jump_to(cg, cc, s.label);
}

static void patch(struct cg *cg)
{
	for (size_t i = 0; i < cg->fix.len && !cg->err; i++) {
		const struct fixup *f = bb_vec_at(&cg->fix, struct fixup, i);
		int64_t rel;

		if (cg->addr[f->label] == UNSET) {
			cg->err = -EINVAL;
			break;
		}
		rel = (int64_t)cg->addr[f->label] - (int64_t)(f->pos + (f->is_short ? 1 : 4));
		if (f->is_short ? !jit_fits8(rel) : !jit_fits32(rel)) {
			cg->err = -ERANGE;
			break;
		}
		if (!cg->b.p)
			continue;
		if (f->is_short)
			cg->b.p[f->pos] = (uint8_t)rel;
		else
			for (int k = 0; k < 4; k++)
				cg->b.p[f->pos + k] = (uint8_t)((uint64_t)rel >> (8 * k));
	}
}

/* ----- small building blocks ----- */

static uint64_t rnd(struct cg *cg)
{
	/* xorshift64*: keys only need to be unpredictable per compile. */
	cg->rng ^= cg->rng >> 12;
	cg->rng ^= cg->rng << 25;
	cg->rng ^= cg->rng >> 27;
	return cg->rng * 0x2545f4914f6cdd1dull;
}

/* dst = v (64-bit) or dst = (u32)v, in the shortest encoding. */
static void mov_imm(struct cg *cg, bool w, int dst, uint64_t v)
{
	if (!w)
		v = (uint32_t)v;
	if (v == 0)
		emit_alu_rr(&cg->b, MR_XOR, false, dst, dst);   /* xor r32, r32 */
	else if (v <= UINT32_MAX)
		emit_mov_ri32(&cg->b, dst, (uint32_t)v);
	else if (jit_fits32((int64_t)v))
		emit_mov_ri64sx(&cg->b, dst, (int32_t)v);
	else
		emit_movabs(&cg->b, dst, v);
}

/* Blinded: dst = imm (sign-extended when w, else zero-extended) via a
 * random key, so imm itself never appears in the image. */
static void mov_blinded(struct cg *cg, bool w, int dst, int32_t imm)
{
	int32_t key = (int32_t)rnd(cg);

	if (w)
		emit_mov_ri64sx(&cg->b, dst, imm ^ key);
	else
		emit_mov_ri32(&cg->b, dst, (uint32_t)(imm ^ key));
	emit_alu_ri(&cg->b, EXT_XOR, w, dst, key);
}

/* mov r32, r32: the zero-extension a 32-bit op owes its result. */
static void zext(struct cg *cg, int r)
{
	emit_alu_rr(&cg->b, MR_MOV, false, r, r);
}

static bool is64(const struct isa_insn *in)
{
	return ISA_CLASS(in->code) == ISA_CLASS_ALU64 || ISA_CLASS(in->code) == ISA_CLASS_JMP;
}

static bool is_k(const struct isa_insn *in)
{
	return !(in->code & ISA_SRC_X);
}

/* Checked mode: ask the check routine about [base + off, size). */
static void check_access(struct cg *cg, size_t pc, unsigned bpf_reg, int16_t off,
			 unsigned size, bool write, bool atomic)
{
	unsigned lg = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;

	if (!cg->o->checked)
		return;
	emit_lea(&cg->b, true, R11, reg_map[bpf_reg], off);
	emit_mov_ri32(&cg->b, R10, JIT_DESC(pc, lg, write, atomic, bpf_reg));
	call_to(cg, cg->l_check);
}

/* ----- ALU ----- */

static void gen_alu(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	static const uint8_t mr[16] = {
		[0x0] = MR_ADD, [0x1] = MR_SUB, [0x4] = MR_OR, [0x5] = MR_AND,
		[0xa] = MR_XOR, [0xb] = MR_MOV,
	};
	static const uint8_t ext[16] = {
		[0x0] = EXT_ADD, [0x1] = EXT_SUB, [0x4] = EXT_OR, [0x5] = EXT_AND,
		[0xa] = EXT_XOR,
	};
	unsigned op = in->code >> 4;
	bool w = is64(in);
	int dst = reg_map[in->dst];

	if (op == 0xb) {                                /* mov */
		if (!is_k(in)) {
			if (!w || in->dst != in->src)
				emit_alu_rr(&cg->b, MR_MOV, w, dst, reg_map[in->src]);
		} else if (cg->o->blind && in->imm) {
			mov_blinded(cg, w, dst, in->imm);
		} else {
			mov_imm(cg, w, dst, (uint64_t)(int64_t)in->imm);
		}
		return;
	}
	if (!is_k(in)) {
		emit_alu_rr(&cg->b, mr[op], w, dst, reg_map[in->src]);
		return;
	}
	if (in->imm == 0) {
		if (op == 0x5)                          /* and 0 */
			emit_alu_rr(&cg->b, MR_XOR, false, dst, dst);
		else if (!w)                            /* +-|^ 0 */
			zext(cg, dst);
		return;
	}
	if (cg->o->blind) {
		mov_blinded(cg, w, AX, in->imm);
		emit_alu_rr(&cg->b, mr[op], w, dst, AX);
		return;
	}
	emit_alu_ri(&cg->b, ext[op], w, dst, in->imm);
}

static void gen_mul(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	bool w = is64(in);
	int dst = reg_map[in->dst];

	if (!is_k(in)) {
		emit_imul_rr(&cg->b, w, dst, reg_map[in->src]);
	} else if (cg->o->blind) {
		mov_blinded(cg, w, AX, in->imm);
		emit_imul_rr(&cg->b, w, dst, AX);
	} else {
		emit_imul_rri(&cg->b, w, dst, dst, in->imm);
	}
}

/*
 * rdx:rax / divisor, result to dst.  Only rax and rdx are saved (in r9 and
 * r11) and only when dst is not the one the result lands in; the divisor
 * is never rax or rdx here.
 */
static void div_core(struct cg *cg, bool w, bool sign, bool mod, int dst, int divisor)
{
	int res = mod ? RDX : RAX;

	if (dst != RAX)
		emit_alu_rr(&cg->b, MR_MOV, true, R9, RAX);
	if (dst != RDX)
		emit_alu_rr(&cg->b, MR_MOV, true, R11, RDX);
	if (dst != RAX)
		emit_alu_rr(&cg->b, MR_MOV, w, RAX, dst);
	if (sign)
		emit_cqo(&cg->b, w);
	else
		emit_alu_rr(&cg->b, MR_XOR, false, RDX, RDX);
	emit_div(&cg->b, w, sign, divisor);
	if (dst != res)
		emit_alu_rr(&cg->b, MR_MOV, w, dst, res);
	if (dst != RDX)
		emit_alu_rr(&cg->b, MR_MOV, true, RDX, R11);
	if (dst != RAX)
		emit_alu_rr(&cg->b, MR_MOV, true, RAX, R9);
}

/* div by zero: 0; mod by zero: dst (32-bit: its low half). */
static void by_zero(struct cg *cg, bool w, bool mod, int dst)
{
	if (!mod)
		emit_alu_rr(&cg->b, MR_XOR, false, dst, dst);
	else if (!w)
		zext(cg, dst);
}

/* signed by -1: sdiv negates (INT_MIN stays INT_MIN), smod is 0. */
static void by_minus1(struct cg *cg, bool w, bool mod, int dst)
{
	if (mod)
		emit_alu_rr(&cg->b, MR_XOR, false, dst, dst);
	else
		emit_neg(&cg->b, w, dst);
}

static void gen_divmod(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	bool w = is64(in), sign = in->off == 1, mod = (in->code >> 4) == 0x9;
	int dst = reg_map[in->dst];

	if (is_k(in)) {
		uint64_t d = w ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm;

		if (d == 0) {
			by_zero(cg, w, mod, dst);
			return;
		}
		if (sign && in->imm == -1) {
			by_minus1(cg, w, mod, dst);
			return;
		}
		if (!sign && !(d & (d - 1)) && !cg->o->blind) {
			unsigned sh = (unsigned)__builtin_ctzll(d);

			if (mod)                        /* mask < 2^31: an imm32 */
				emit_alu_ri(&cg->b, EXT_AND, w, dst, (int32_t)(d - 1));
			else if (sh)
				emit_shift_ri(&cg->b, SH_SHR, w, dst, (uint8_t)sh);
			else if (!w)
				zext(cg, dst);
			return;
		}
		if (cg->o->blind)
			mov_blinded(cg, w, AX, in->imm);
		else
			mov_imm(cg, w, AX, d);
		div_core(cg, w, sign, mod, dst, AX);
		return;
	}
	{
		int s = reg_map[in->src], divisor = s;
		uint32_t l_zero = new_label(cg), l_m1 = sign ? new_label(cg) : 0;
		uint32_t l_done = new_label(cg);

		emit_alu_rr(&cg->b, MR_TEST, w, s, s);
		jump_to(cg, CC_E, l_zero);
		if (sign) {
			emit_alu_ri(&cg->b, EXT_CMP, w, s, -1);
			jump_to(cg, CC_E, l_m1);
		}
		if (s == RAX || s == RDX) {
			emit_alu_rr(&cg->b, MR_MOV, true, AX, s);
			divisor = AX;
		}
		div_core(cg, w, sign, mod, dst, divisor);
		jump_to(cg, -1, l_done);
		bind(cg, l_zero);
		by_zero(cg, w, mod, dst);
		if (sign) {
			jump_to(cg, -1, l_done);
			bind(cg, l_m1);
			by_minus1(cg, w, mod, dst);
		}
		bind(cg, l_done);
	}
}

static void gen_shift(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	unsigned op = in->code >> 4;
	enum jit_shift_ext ext = op == 0x6 ? SH_SHL : op == 0x7 ? SH_SHR : SH_SAR;
	bool w = is64(in);
	int dst = reg_map[in->dst], s;

	if (is_k(in)) {
		uint8_t c = (uint8_t)(in->imm & (w ? 63 : 31));

		if (c)
			emit_shift_ri(&cg->b, ext, w, dst, c);
		else if (!w)
			zext(cg, dst);
		return;
	}
	/* The count must be in cl, and rcx is BPF r4. */
	s = reg_map[in->src];
	if (s == RCX) {
		emit_shift_cl(&cg->b, ext, w, dst);
	} else if (dst == RCX) {
		emit_alu_rr(&cg->b, MR_MOV, true, R11, RCX);
		emit_alu_rr(&cg->b, MR_MOV, true, RCX, s);
		emit_shift_cl(&cg->b, ext, w, R11);
		emit_alu_rr(&cg->b, MR_MOV, true, RCX, R11);
	} else {
		emit_alu_rr(&cg->b, MR_MOV, true, R11, RCX);
		emit_alu_rr(&cg->b, MR_MOV, true, RCX, s);
		emit_shift_cl(&cg->b, ext, w, dst);
		emit_alu_rr(&cg->b, MR_MOV, true, RCX, R11);
	}
}

static void gen_neg(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	emit_neg(&cg->b, is64(in), reg_map[in->dst]);
}

static void gen_movsx(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	int dst = reg_map[in->dst], src = reg_map[in->src];

	switch (in->op) {
	case ISA_OP_MOVSX32_8:
		emit_movsx_rr(&cg->b, false, 1, dst, src);
		break;
	case ISA_OP_MOVSX32_16:
		emit_movsx_rr(&cg->b, false, 2, dst, src);
		break;
	case ISA_OP_MOVSX64_8:
		emit_movsx_rr(&cg->b, true, 1, dst, src);
		break;
	case ISA_OP_MOVSX64_16:
		emit_movsx_rr(&cg->b, true, 2, dst, src);
		break;
	default:                                        /* MOVSX64_32 */
		emit_movsx_rr(&cg->b, true, 4, dst, src);
		break;
	}
}

static void gen_end(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	int dst = reg_map[in->dst];

	switch (in->op) {
	case ISA_OP_LE16:
		emit_movzx_rr(&cg->b, 2, dst, dst);
		break;
	case ISA_OP_LE32:
		zext(cg, dst);
		break;
	case ISA_OP_LE64:
		break;
	case ISA_OP_BE16:
	case ISA_OP_BSWAP16:
		emit_ror16_8(&cg->b, dst);
		emit_movzx_rr(&cg->b, 2, dst, dst);
		break;
	case ISA_OP_BE32:
	case ISA_OP_BSWAP32:
		emit_bswap(&cg->b, false, dst);
		break;
	default:                                        /* BE64, BSWAP64 */
		emit_bswap(&cg->b, true, dst);
		break;
	}
}

/* ----- loads and stores ----- */

/* jit_compile() put every lddw's value (function address, map value) in
 * imm64 before code generation. */
static void gen_lddw(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	int dst = reg_map[in->dst];
	uint64_t v = in->imm64;

	if (cg->o->blind && v) {
		uint64_t key = rnd(cg);

		emit_movabs(&cg->b, dst, v ^ key);
		emit_movabs(&cg->b, AX, key);
		emit_alu_rr(&cg->b, MR_XOR, true, dst, AX);
		return;
	}
	mov_imm(cg, true, dst, v);
}

/* r0 = ntoh(packet[off]); outside the packet the program returns 0. */
static void gen_ldpkt(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	unsigned size = isa_mem_size(in->code);
	bool ind = (in->code & 0xe0) == 0x40;

	if (ind) {
		emit_alu_rr(&cg->b, MR_MOV, false, R11, reg_map[in->src]);
		if (in->imm && cg->o->blind) {
			mov_blinded(cg, false, AX, in->imm);
			emit_alu_rr(&cg->b, MR_ADD, false, R11, AX);
		} else if (in->imm) {
			emit_alu_ri(&cg->b, EXT_ADD, false, R11, in->imm);
		}
	} else if (cg->o->blind && in->imm) {
		mov_blinded(cg, false, R11, in->imm);
	} else {
		mov_imm(cg, false, R11, (uint32_t)in->imm);
	}
	/* (s32)off < 0 || off + size > len: r0 = 0, the program ends. */
	emit_alu_rr(&cg->b, MR_TEST, false, R11, R11);
	jump_to(cg, CC_S, cg->l_ok0);
	emit_lea(&cg->b, true, R9, R11, (int32_t)size);
	emit_alu_rm(&cg->b, MR_CMP, true, R9, CTX, CTXOFF(pkt_len));
	jump_to(cg, CC_A, cg->l_ok0);
	emit_alu_rm(&cg->b, MR_ADD, true, R11, CTX, CTXOFF(pkt));
	if (size == 1) {
		emit_movzx_load(&cg->b, 1, RAX, R11, 0);
	} else if (size == 2) {
		emit_movzx_load(&cg->b, 2, RAX, R11, 0);
		emit_ror16_8(&cg->b, RAX);
	} else {
		emit_mov_load(&cg->b, false, RAX, R11, 0);
		emit_bswap(&cg->b, false, RAX);
	}
}

static void gen_ldx(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	unsigned size = isa_mem_size(in->code);
	bool sign = (in->code & 0xe0) == 0x80;         /* BPF_MEMSX */
	int dst = reg_map[in->dst], base = reg_map[in->src];

	check_access(cg, pc, in->src, in->off, size, false, false);
	if (sign)
		emit_movsx_load(&cg->b, size, dst, base, in->off);
	else if (size >= 4)
		emit_mov_load(&cg->b, size == 8, dst, base, in->off);
	else
		emit_movzx_load(&cg->b, size, dst, base, in->off);
}

static void gen_st(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	unsigned size = isa_mem_size(in->code);
	int base = reg_map[in->dst];

	check_access(cg, pc, in->dst, in->off, size, true, false);
	if (cg->o->blind && in->imm) {
		mov_blinded(cg, size == 8, AX, in->imm);
		emit_mov_store(&cg->b, size, base, in->off, AX);
		return;
	}
	emit_mov_store_imm(&cg->b, size, base, in->off, in->imm);
}

static void gen_stx(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	unsigned size = isa_mem_size(in->code);

	check_access(cg, pc, in->dst, in->off, size, true, false);
	emit_mov_store(&cg->b, size, reg_map[in->dst], in->off, reg_map[in->src]);
}

/*
 * Atomics.  add/or/and/xor without fetch are one locked instruction;
 * fetch_add is lock xadd; xchg is xchg; cmpxchg is lock cmpxchg with r0
 * in rax already (32-bit: zero-extend r0 after, since a successful 32-bit
 * cmpxchg leaves rax's upper half alone).  fetch_or/and/xor have no x86
 * instruction: a cmpxchg loop with r0 saved in r10.
 */
static void gen_atomic(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	bool w = isa_mem_size(in->code) == 8;
	int base = reg_map[in->dst], s = reg_map[in->src];
	int16_t off = in->off;

	check_access(cg, pc, in->dst, off, w ? 8 : 4, true, true);
	switch (in->imm) {
	case 0x00:
		emit_lock_alu_mr(&cg->b, MR_ADD, w, base, off, s);
		return;
	case 0x40:
		emit_lock_alu_mr(&cg->b, MR_OR, w, base, off, s);
		return;
	case 0x50:
		emit_lock_alu_mr(&cg->b, MR_AND, w, base, off, s);
		return;
	case 0xa0:
		emit_lock_alu_mr(&cg->b, MR_XOR, w, base, off, s);
		return;
	case 0x01:
		emit_lock_xadd(&cg->b, w, base, off, s);
		return;
	case 0xe1:
		emit_xchg_mr(&cg->b, w, base, off, s);
		return;
	case 0xf1:
		emit_lock_cmpxchg(&cg->b, w, base, off, s);
		if (!w)
			zext(cg, RAX);
		return;
	default: {
		enum jit_alu_mr op = in->imm == 0x41 ? MR_OR : in->imm == 0x51 ? MR_AND : MR_XOR;
		int val = s == RAX ? AX : s;
		uint32_t l_again = new_label(cg);

		emit_lea(&cg->b, true, R11, base, off);
		emit_alu_rr(&cg->b, MR_MOV, true, AX, RAX);
		emit_mov_load(&cg->b, w, RAX, R11, 0);
		bind(cg, l_again);
		emit_alu_rr(&cg->b, MR_MOV, true, R9, RAX);
		emit_alu_rr(&cg->b, op, w, R9, val);
		emit_lock_cmpxchg(&cg->b, w, R11, 0, R9);
		jump_to(cg, CC_NE, l_again);
		if (s != RAX) {
			emit_alu_rr(&cg->b, MR_MOV, w, s, RAX);
			emit_alu_rr(&cg->b, MR_MOV, true, RAX, AX);
		}
		return;
	}
	}
}

/* ----- control flow ----- */

static void gen_ja(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	long t = isa_branch_target(in, pc);

	if ((size_t)t != pc + 1)
		jump_to(cg, -1, (uint32_t)t);
}

static void gen_jcc(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	static const uint8_t cc[16] = {
		[0x1] = CC_E, [0x2] = CC_A, [0x3] = CC_AE, [0x4] = CC_NE,
		[0x5] = CC_NE, [0x6] = CC_G, [0x7] = CC_GE, [0xa] = CC_B,
		[0xb] = CC_BE, [0xc] = CC_L, [0xd] = CC_LE,
	};
	unsigned op = in->code >> 4;
	bool w = ISA_CLASS(in->code) == ISA_CLASS_JMP, set = op == 0x4;
	long t = isa_branch_target(in, pc);
	int dst = reg_map[in->dst];

	if ((size_t)t == pc + 1)                /* to the next insn: no-op */
		return;
	if (!is_k(in)) {
		emit_alu_rr(&cg->b, set ? MR_TEST : MR_CMP, w, dst, reg_map[in->src]);
	} else if (cg->o->blind && in->imm) {
		mov_blinded(cg, w, AX, in->imm);
		emit_alu_rr(&cg->b, set ? MR_TEST : MR_CMP, w, dst, AX);
	} else if (set) {
		emit_test_ri(&cg->b, w, dst, in->imm);
	} else if (in->imm == 0) {
		/* test sets ZF/SF like cmp 0, and CF = OF = 0 as cmp 0 does. */
		emit_alu_rr(&cg->b, MR_TEST, w, dst, dst);
	} else {
		emit_alu_ri(&cg->b, EXT_CMP, w, dst, in->imm);
	}
	jump_to(cg, cc[op], (uint32_t)t);
}

/* Frame push, call (to a label, or to the address in r9), frame pop. */
static void local_call(struct cg *cg, size_t pc, long target)
{
	static const uint8_t saved[] = { RBX, R13, R14, R15, RBP };

	emit_mov_load(&cg->b, true, R11, CTX, CTXOFF(cur_fp));
	emit_alu_ri(&cg->b, EXT_SUB, true, R11, VM_STACK_SIZE);
	emit_alu_rm(&cg->b, MR_CMP, true, R11, CTX, CTXOFF(fp_limit));
	jump_stub(cg, CC_B, (uint32_t)pc, JIT_ERR_DEPTH, -1);
	emit_mov_store(&cg->b, 8, CTX, CTXOFF(cur_fp), R11);
	for (size_t i = 0; i < BB_ARRAY_SIZE(saved); i++)
		emit_push(&cg->b, saved[i]);
	emit_alu_rr(&cg->b, MR_MOV, true, RBP, R11);
	if (target >= 0)
		call_to(cg, (uint32_t)target);
	else
		emit_call_r(&cg->b, R9);
	for (size_t i = BB_ARRAY_SIZE(saved); i-- > 0;)
		emit_pop(&cg->b, saved[i]);
	emit_alu_mi(&cg->b, EXT_ADD, true, CTX, CTXOFF(cur_fp), VM_STACK_SIZE);
}

/*
 * A helper call: fill the struct vm_call in the context (pc, id, stop),
 * r9 = its address (the 6th argument), call, and leave through an error
 * stub if the helper set `stop`.  The id comes from @id_reg when >= 0 (a
 * callx), else from @id; the function from @fn_reg when >= 0, else @fn.
 */
static void helper_call(struct cg *cg, size_t pc, int32_t id, int id_reg,
			vm_helper_fn fn, int fn_reg)
{
	emit_mov_store_imm(&cg->b, 4, CTX, CALLOFF(pc), (int32_t)pc);
	if (id_reg >= 0)
		emit_mov_store(&cg->b, 4, CTX, CALLOFF(helper_id), id_reg);
	else
		emit_mov_store_imm(&cg->b, 4, CTX, CALLOFF(helper_id), id);
	emit_mov_store_imm(&cg->b, 4, CTX, CALLOFF(stop), 0);
	emit_mov_store_imm(&cg->b, 1, CTX, CALLOFF(stop_msg), 0);
	emit_mov_store_imm(&cg->b, 8, CTX, CALLOFF(tail_call), 0);
	emit_mov_store_imm(&cg->b, 1, CTX, CALLOFF(err_set), 0);
	emit_lea(&cg->b, true, R9, CTX, CTXOFF(call));
	if (fn_reg < 0) {
		emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)fn);
		fn_reg = R11;
	}
	emit_call_r(&cg->b, fn_reg);
	emit_alu_mi(&cg->b, EXT_CMP, false, CTX, CALLOFF(stop), 0);
	jump_stub(cg, CC_NE, (uint32_t)pc, JIT_ERR_HELPER_STOP, -1);
	emit_alu_mi(&cg->b, EXT_CMP, true, CTX, CALLOFF(tail_call), 0);
	jump_stub(cg, CC_NE, (uint32_t)pc, JIT_ERR_TAIL_CALL, -1);
}

/* bpf_tail_call(ctx, map, index): ask jit_rt_tail_call() for the target's
 * body and jump there, keeping r1 and the frame; or fall through with
 * r0 = -ENOENT. */
static void tail_call(struct cg *cg, size_t pc)
{
	uint32_t l_skip = new_label(cg);

	emit_mov_store(&cg->b, 8, CTX, CTXOFF(save_r1), RDI);
	emit_alu_rr(&cg->b, MR_MOV, true, RDI, CTX);
	emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)jit_rt_tail_call);
	emit_call_r(&cg->b, R11);
	emit_mov_load(&cg->b, true, RDI, CTX, CTXOFF(save_r1));
	emit_alu_rr(&cg->b, MR_TEST, true, RAX, RAX);
	jump_to(cg, CC_E, l_skip);
	emit_jmp_r(&cg->b, RAX);
	bind(cg, l_skip);
	/* Falling through: r0 = -ENOENT, what the interpreter's helper (env's
	 * bpf_tail_call) returns; the kernel's verifier lets no program read
	 * it (the helper is void), so only the differential tests see it. */
	emit_mov_ri64sx(&cg->b, RAX, -ENOENT);
}

static void gen_call_helper(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	vm_helper_fn fn;

	if (cg->o->tail_calls && in->imm == 12) {
		tail_call(cg, pc);
		return;
	}
	fn = vm_helpers_get(cg->jp->helpers, in->imm);
	if (!fn) {
		jump_stub(cg, -1, (uint32_t)pc, JIT_ERR_HELPER_MISSING, -1);
		return;
	}
	helper_call(cg, pc, in->imm, -1, fn, -1);
}

static void gen_call_local(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	local_call(cg, pc, isa_branch_target(in, pc));
}

static void gen_call_kfunc(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	jump_stub(cg, -1, (uint32_t)pc, JIT_ERR_KFUNC, -1);
}

/*
 * callx: an address inside the program's copy that starts an instruction
 * is a bpf-to-bpf call (through the per-slot code table), anything else
 * must be a helper id (through the compile-time helper snapshot).
 */
static void gen_callx(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	const struct jit_prog *jp = cg->jp;
	int d = reg_map[in->dst];
	uint32_t l_helper = new_label(cg), l_done = new_label(cg);

	emit_alu_rr(&cg->b, MR_MOV, true, R10, d);
	emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)jp->prog);
	emit_alu_rr(&cg->b, MR_SUB, true, R10, R11);
	emit_alu_ri(&cg->b, EXT_CMP, true, R10, (int32_t)(jp->n * sizeof(struct isa_raw)));
	jump_to(cg, CC_AE, l_helper);
	emit_test_ri(&cg->b, false, R10, 7);
	jump_to(cg, CC_NE, l_helper);
	emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)jp->callx_code);
	emit_alu_rr(&cg->b, MR_ADD, true, R10, R11);
	emit_mov_load(&cg->b, true, R9, R10, 0);
	emit_alu_rr(&cg->b, MR_TEST, true, R9, R9);
	jump_to(cg, CC_E, l_helper);
	local_call(cg, pc, -1);
	jump_to(cg, -1, l_done);

	bind(cg, l_helper);
	emit_alu_rr(&cg->b, MR_MOV, true, R10, d);
	emit_alu_ri(&cg->b, EXT_CMP, true, R10, (int32_t)jp->callx_nhelpers);
	jump_stub(cg, CC_AE, (uint32_t)pc, JIT_ERR_CALLX, d);
	emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)jp->callx_helpers);
	emit_lea(&cg->b, true, R9, R10, 0);
	emit_shift_ri(&cg->b, SH_SHL, true, R9, 3);
	emit_alu_rr(&cg->b, MR_ADD, true, R9, R11);
	emit_mov_load(&cg->b, true, R11, R9, 0);
	emit_alu_rr(&cg->b, MR_TEST, true, R11, R11);
	jump_stub(cg, CC_E, (uint32_t)pc, JIT_ERR_CALLX, d);
	helper_call(cg, pc, 0, R10, NULL, R11);
	bind(cg, l_done);
}

static void gen_exit(struct cg *cg, const struct isa_insn *in, size_t pc)
{
	emit_ret(&cg->b);
}

typedef void gen_fn(struct cg *cg, const struct isa_insn *in, size_t pc);

/* Coverage comes from the table: a row without JIT_GEN_<ROW> fails here. */
static gen_fn *const gen[ISA_OP_COUNT] = {
#define X(name, ...) [ISA_OP_##name] = JIT_GEN_##name,
	ISA_TABLE(X)
#undef X
};

/* ----- entry, exits, check routine, stubs ----- */

static void gen_entry(struct cg *cg)
{
	static const uint8_t saved[] = { RBP, RBX, R12, R13, R14, R15 };
	static const uint8_t zero[] = { RAX, RBX, R13, R14, R15 };
	struct jit_buf *b = &cg->b;

	for (size_t i = 0; i < BB_ARRAY_SIZE(saved); i++)
		emit_push(b, saved[i]);
	emit_alu_rr(b, MR_MOV, true, CTX, RDI);
	emit_mov_store(b, 8, CTX, CTXOFF(saved_rsp), RSP);
	emit_mov_load(b, true, RDI, CTX, CTXOFF(r1));
	emit_mov_load(b, true, RSI, CTX, CTXOFF(r2));
	emit_mov_load(b, true, RDX, CTX, CTXOFF(r3));
	emit_mov_load(b, true, RCX, CTX, CTXOFF(r4));
	emit_mov_load(b, true, R8, CTX, CTXOFF(r5));
	emit_mov_load(b, true, RBP, CTX, CTXOFF(cur_fp));
	emit_mov_load(b, true, R11, CTX, CTXOFF(target));
	for (size_t i = 0; i < BB_ARRAY_SIZE(zero); i++)
		emit_alu_rr(b, MR_XOR, false, zero[i], zero[i]);
	emit_call_r(b, R11);
	bind(cg, cg->l_ret);
	emit_mov_store(b, 8, CTX, CTXOFF(r0), RAX);
	emit_alu_rr(b, MR_XOR, false, RAX, RAX);
	bind(cg, cg->l_epi);
	for (size_t i = BB_ARRAY_SIZE(saved); i-- > 0;)
		emit_pop(b, saved[i]);
	emit_ret(b);

	bind(cg, cg->l_ok0);
	emit_mov_load(b, true, RSP, CTX, CTXOFF(saved_rsp));
	emit_alu_rr(b, MR_XOR, false, RAX, RAX);
	jump_to(cg, -1, cg->l_ret);

	bind(cg, cg->l_err);
	emit_mov_load(b, true, RSP, CTX, CTXOFF(saved_rsp));
	emit_mov_ri32(b, RAX, 1);
	jump_to(cg, -1, cg->l_epi);

	if (cg->o->checked) {
		static const uint8_t keep[] = { RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11 };

		bind(cg, cg->l_check);
		for (size_t i = 0; i < BB_ARRAY_SIZE(keep); i++)
			emit_push(b, keep[i]);
		emit_alu_rr(b, MR_MOV, true, RDI, CTX);
		emit_alu_rr(b, MR_MOV, true, RSI, R11);
		emit_alu_rr(b, MR_MOV, false, RDX, R10);
		emit_movabs(b, RAX, (uint64_t)(uintptr_t)jit_rt_check);
		emit_call_r(b, RAX);
		emit_alu_rr(b, MR_TEST, false, RAX, RAX);
		jump_to(cg, CC_NE, cg->l_err);
		for (size_t i = BB_ARRAY_SIZE(keep); i-- > 0;)
			emit_pop(b, keep[i]);
		emit_ret(b);
	}
}

static void gen_stubs(struct cg *cg)
{
	for (size_t i = 0; i < cg->stubs.len; i++) {
		const struct stub *s = bb_vec_at(&cg->stubs, struct stub, i);

		bind(cg, s->label);
		if (s->reg >= 0)
			emit_mov_store(&cg->b, 8, CTX, CTXOFF(err_arg), s->reg);
		emit_movabs(&cg->b, R11, (uint64_t)(uintptr_t)cg->jp);
		emit_mov_store(&cg->b, 8, CTX, CTXOFF(err_prog), R11);
		emit_mov_store_imm(&cg->b, 4, CTX, CTXOFF(err_kind), s->kind);
		emit_mov_store_imm(&cg->b, 4, CTX, CTXOFF(err_pc), (int32_t)s->pc);
		jump_to(cg, -1, cg->l_err);
	}
}

static void one_pass(struct cg *cg)
{
	cg->b.len = 0;
	cg->nlab = cg->n + 1;
	for (size_t i = 0; i <= cg->n; i++)
		cg->addr[i] = UNSET;
	cg->njump = 0;
	cg->fix.len = 0;
	cg->stubs.len = 0;
	cg->rng = cg->o->blind_seed | 1;
	cg->l_ret = new_label(cg);
	cg->l_epi = new_label(cg);
	cg->l_ok0 = new_label(cg);
	cg->l_err = new_label(cg);
	cg->l_check = new_label(cg);
	gen_entry(cg);
	for (size_t pc = 0; pc < cg->n && !cg->err; pc++) {
		const struct isa_insn *in = &cg->ins[pc];

		if (!in->slots)
			continue;               /* second slot of an lddw */
		bind(cg, (uint32_t)pc);
		gen[in->op](cg, in, pc);
	}
	bind(cg, (uint32_t)cg->n);
	gen_stubs(cg);
	patch(cg);
	if (!cg->err && cg->b.err)
		cg->err = cg->b.err;
}

int jit_codegen(struct jit_prog *jp, const struct isa_insn *insns,
		const struct jit_opts *opts, uint8_t **image, size_t *size,
		struct bb_err *e)
{
	struct cg cg = {
		.b = { .grow = true }, .jp = jp, .ins = insns, .n = jp->n, .o = opts,
	};
	size_t last = SIZE_MAX;
	int ret = 0;

	bb_vec_init(&cg.fix, sizeof(struct fixup));
	bb_vec_init(&cg.stubs, sizeof(struct stub));
	cg.cap = jp->n + 64;
	cg.addr = malloc(cg.cap * sizeof(*cg.addr));
	cg.prev = malloc(cg.cap * sizeof(*cg.prev));
	if (!cg.addr || !cg.prev) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto out;
	}
	for (unsigned pass = 0; pass < MAX_PASSES; pass++) {
		one_pass(&cg);
		if (cg.err) {
			ret = bb_err_insn(e, cg.err == -ENOMEM ? -ENOMEM : -EINVAL, -1,
					  "code generation failed in pass %u: %s", pass,
					  cg.err == -ENOMEM ? "out of memory" : "jump out of range");
			goto out;
		}
		jp->stats.passes = pass + 1;
		if (cg.b.len == last)
			break;
		last = cg.b.len;
		memcpy(cg.prev, cg.addr, cg.nlab * sizeof(*cg.addr));
		for (size_t i = cg.nlab; i < cg.cap; i++)
			cg.prev[i] = UNSET;
		cg.have_prev = true;
	}
	for (size_t pc = 0; pc <= jp->n; pc++)
		jp->offs[pc] = pc == jp->n || insns[pc].slots ? cg.addr[pc] : UINT32_MAX;
	*image = cg.b.p;
	*size = cg.b.len;
	cg.b.p = NULL;
out:
	free(cg.b.p);
	free(cg.addr);
	free(cg.prev);
	free(cg.jshort);
	bb_vec_free(&cg.fix);
	bb_vec_free(&cg.stubs);
	return ret;
}
