/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit_internal.h - what the JIT's files share: the x86-64
 * encoders (jit_emit.c), the code generator (jit_codegen.c), the run
 * context the generated code addresses through r12 (jit_run.c), and the
 * image memory (jit_mem.c).  Not installed.
 */
#ifndef BAREBPF_JIT_X86_64_JIT_INTERNAL_H
#define BAREBPF_JIT_X86_64_JIT_INTERNAL_H

#include "jit-x86_64/jit.h"

/* ----- x86-64 registers and encodings ----- */

enum jit_x86_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Group-1 ALU opcodes of the "op r/m, r" form (MR) and the /ext digit of
 * the "op r/m, imm" form (MI). */
enum jit_alu_mr {
	MR_ADD = 0x01, MR_OR = 0x09, MR_AND = 0x21, MR_SUB = 0x29,
	MR_XOR = 0x31, MR_CMP = 0x39, MR_TEST = 0x85, MR_MOV = 0x89,
};
enum jit_alu_ext { EXT_ADD = 0, EXT_OR = 1, EXT_AND = 4, EXT_SUB = 5,
		   EXT_XOR = 6, EXT_CMP = 7 };
/* Group-2 shifts: the /ext digit. */
enum jit_shift_ext { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
/* Condition codes (the low nibble of Jcc). */
enum jit_cc {
	CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6,
	CC_A = 0x7, CC_S = 0x8, CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe,
	CC_G = 0xf,
};

/*
 * The output cursor.  With p == NULL it only counts (len).  A growable
 * buffer reallocs; a fixed one sets the sticky error -ENOSPC when full and
 * writes nothing more.  Every emitter checks nothing else: callers test
 * `err` once at the end.
 */
struct jit_buf {
	uint8_t *p;
	size_t len, cap;
	bool grow;
	int err;
};

void jit_put8(struct jit_buf *b, uint8_t v);
void jit_put32(struct jit_buf *b, uint32_t v);
void jit_put64(struct jit_buf *b, uint64_t v);
static inline bool jit_fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool jit_fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* One emitter per encoding; w = 64-bit operand size (REX.W).  Memory
 * operands are [base + disp] with the shortest displacement. */
void emit_alu_rr(struct jit_buf *b, enum jit_alu_mr op, bool w, int dst, int src);
void emit_alu_ri(struct jit_buf *b, enum jit_alu_ext ext, bool w, int dst, int32_t imm);
void emit_alu_rm(struct jit_buf *b, enum jit_alu_mr op, bool w, int reg, int base, int32_t disp);
void emit_alu_mi(struct jit_buf *b, enum jit_alu_ext ext, bool w, int base, int32_t disp, int32_t imm);
void emit_test_ri(struct jit_buf *b, bool w, int dst, int32_t imm);
void emit_mov_ri32(struct jit_buf *b, int dst, uint32_t imm);
void emit_mov_ri64sx(struct jit_buf *b, int dst, int32_t imm);
void emit_movabs(struct jit_buf *b, int dst, uint64_t imm);
void emit_imul_rr(struct jit_buf *b, bool w, int dst, int src);
void emit_imul_rri(struct jit_buf *b, bool w, int dst, int src, int32_t imm);
void emit_shift_ri(struct jit_buf *b, enum jit_shift_ext ext, bool w, int dst, uint8_t imm);
void emit_shift_cl(struct jit_buf *b, enum jit_shift_ext ext, bool w, int dst);
void emit_ror16_8(struct jit_buf *b, int dst);
void emit_neg(struct jit_buf *b, bool w, int dst);
void emit_div(struct jit_buf *b, bool w, bool sign, int src);
void emit_cqo(struct jit_buf *b, bool w);
void emit_bswap(struct jit_buf *b, bool w, int dst);
void emit_movzx_rr(struct jit_buf *b, unsigned size, int dst, int src);
void emit_movsx_rr(struct jit_buf *b, bool w, unsigned size, int dst, int src);
void emit_mov_load(struct jit_buf *b, bool w, int dst, int base, int32_t disp);
void emit_movzx_load(struct jit_buf *b, unsigned size, int dst, int base, int32_t disp);
void emit_movsx_load(struct jit_buf *b, unsigned size, int dst, int base, int32_t disp);
void emit_mov_store(struct jit_buf *b, unsigned size, int base, int32_t disp, int src);
void emit_mov_store_imm(struct jit_buf *b, unsigned size, int base, int32_t disp, int32_t imm);
void emit_lea(struct jit_buf *b, bool w, int dst, int base, int32_t disp);
void emit_lock_alu_mr(struct jit_buf *b, enum jit_alu_mr op, bool w, int base, int32_t disp, int src);
void emit_lock_xadd(struct jit_buf *b, bool w, int base, int32_t disp, int src);
void emit_xchg_mr(struct jit_buf *b, bool w, int base, int32_t disp, int src);
void emit_lock_cmpxchg(struct jit_buf *b, bool w, int base, int32_t disp, int src);
void emit_jcc(struct jit_buf *b, enum jit_cc cc, int32_t rel, bool short_form);
void emit_jmp(struct jit_buf *b, int32_t rel, bool short_form);
void emit_call_rel32(struct jit_buf *b, int32_t rel);
void emit_call_r(struct jit_buf *b, int reg);
void emit_jmp_r(struct jit_buf *b, int reg);
void emit_push(struct jit_buf *b, int reg);
void emit_pop(struct jit_buf *b, int reg);
void emit_ret(struct jit_buf *b);

/* ----- the run context (r12 points at it) ----- */

struct jit_region {
	uintptr_t addr;
	size_t len;
	bool writable;
	char name[32];
};

/* Why generated code left through the error exit. */
enum jit_err_kind {
	JIT_ERR_NONE, JIT_ERR_HELPER_MISSING, JIT_ERR_HELPER_STOP,
	JIT_ERR_DEPTH, JIT_ERR_CALLX, JIT_ERR_KFUNC, JIT_ERR_CHECKED,
	JIT_ERR_TAIL_CALL,
};

/* Field offsets are taken with offsetof() by the code generator. */
struct jit_ctx {
	uint64_t r1, r2, r3, r4, r5;    /* what the entry loads */
	uint64_t target;                /* where the entry calls: the body
					 * (a run) or a function (a callback) */
	uint64_t cur_fp;                /* r10 of the current frame */
	uint64_t fp_limit;              /* lowest frame top allowed */
	uint64_t saved_rsp;             /* after the entry's pushes */
	uint64_t r0;                    /* out */
	const uint8_t *pkt;
	uint64_t pkt_len;
	uint64_t err_arg;               /* callx: the bad target */
	int32_t err_kind;               /* enum jit_err_kind */
	int32_t err_pc;
	uint32_t tail_calls;
	uint32_t pad;
	uint64_t save_r1;               /* r1 across a tail-call lookup */
	const struct jit_prog *err_prog; /* whose code stopped (err_pc's) */
	struct vm_call call;
	/* Only C reads these. */
	const struct jit_prog *jp;
	/* The programs this run entered (itself, tail-call targets): where
	 * a callback address is looked up. */
	const struct jit_prog *progs[JIT_MAX_TAIL_CALLS + 1];
	uint32_t nprogs;
	const struct jit_run_opts *opts;
	struct bb_err *e;
	uint8_t *stack_end;
	uint8_t *mem;
	size_t mem_len;
};

/* Runtime entry points the generated code calls. */
int jit_rt_check(struct jit_ctx *ctx, uint64_t addr, uint32_t desc, uint64_t fp);
const void *jit_rt_tail_call(struct jit_ctx *ctx, uint64_t map, uint64_t index);
/* desc = pc << 8 | atomic << 7 | write << 6 | reg << 2 | log2(size) */
#define JIT_DESC(pc, size_log2, write, atomic, reg) \
	((uint32_t)(pc) << 8 | (uint32_t)(atomic) << 7 | (uint32_t)(write) << 6 | \
	 (uint32_t)(reg) << 2 | (uint32_t)(size_log2))

/* ----- the compiled program ----- */

/* int3 bytes in front of the code in its mapping (jit_mem.c says why);
 * 16 keeps the entry 16-byte aligned. */
#define JIT_IMAGE_HEAD 16

struct jit_prog {
	uint8_t *image;                 /* the code, JIT_IMAGE_HEAD bytes into a
					 * read+exec mapping of map_size bytes */
	size_t image_size, map_size;
	uint32_t *offs;                 /* n + 1: offset per slot, UINT32_MAX
					 * for an lddw's second slot */
	struct isa_raw *prog;           /* copy; lddw src 4 points into it */
	size_t n;
	const void **callx_code;        /* per slot: code address, or NULL */
	vm_helper_fn *callx_helpers;    /* snapshot for callx, by id */
	size_t callx_nhelpers;
	const struct vm_helpers *helpers;
	struct bb_vec regions;          /* struct jit_region */
	struct jit_stats stats;
	bool checked;
};

/* Code generation: fills jp->offs and returns a malloc'ed image. */
int jit_codegen(struct jit_prog *jp, const struct isa_insn *insns,
		const struct jit_opts *opts, uint8_t **image, size_t *size,
		struct bb_err *e);
/* W^X memory. */
int jit_mem_install(struct jit_prog *jp, const uint8_t *code, size_t size);
void jit_mem_release(struct jit_prog *jp);

#endif
