/* SPDX-License-Identifier: MIT */
/*
 * isa/isa.h - the one instruction model: table rows, raw and decoded
 * instructions, the decoder and validator, helper ids, the assembler and
 * the disassembler.  Prefix: isa_.
 *
 * Bytes flow: raw 8-byte slots (struct isa_raw) -> isa_validate() ->
 * isa_decode() into struct isa_insn, whose `op` indexes isa_rows[] and the
 * per-stage tables generated from ISA_TABLE.
 */
#ifndef BAREBPF_ISA_ISA_H
#define BAREBPF_ISA_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/bb.h"
#include "isa/isa_table.h"
#include "isa/isa_helpers.h"

/* One row per instruction variant, in table order. */
enum isa_op {
#define X(name, ...) ISA_OP_##name,
	ISA_TABLE(X)
#undef X
	ISA_OP_COUNT
};

/* Which field separates rows that share an opcode byte. */
enum isa_disc { ISA_DISC_NONE, ISA_DISC_OFF, ISA_DISC_IMM, ISA_DISC_SRC };

/* Operand formats.  ISA_FMT_FIELDS below says which fields each one uses. */
#define ISA_FORMATS(X)                                                  \
	X(ALU_K, ISA_F_DST | ISA_F_IMM)                                 \
	X(ALU_X, ISA_F_DST | ISA_F_SRC)                                 \
	X(NEG, ISA_F_DST)                                               \
	X(END, ISA_F_DST)                                               \
	X(MOVSX, ISA_F_DST | ISA_F_SRC)                                 \
	X(LDX, ISA_F_DST | ISA_F_SRC | ISA_F_OFF)                       \
	X(ST, ISA_F_DST | ISA_F_OFF | ISA_F_IMM)                        \
	X(STX, ISA_F_DST | ISA_F_SRC | ISA_F_OFF)                       \
	X(ATOMIC, ISA_F_DST | ISA_F_SRC | ISA_F_OFF)                    \
	X(LDDW, ISA_F_DST | ISA_F_IMM)                                  \
	X(LDABS, ISA_F_IMM)                                             \
	X(LDIND, ISA_F_SRC | ISA_F_IMM)                                 \
	X(JA, ISA_F_OFF)                                                \
	X(JA32, ISA_F_IMM)                                              \
	X(JCC_K, ISA_F_DST | ISA_F_OFF | ISA_F_IMM)                     \
	X(JCC_X, ISA_F_DST | ISA_F_SRC | ISA_F_OFF)                     \
	X(CALL, ISA_F_IMM)                                              \
	X(CALL_LOCAL, ISA_F_IMM)                                        \
	X(CALL_KFUNC, ISA_F_IMM | ISA_F_OFF)                            \
	X(CALLX, ISA_F_DST)                                             \
	X(EXIT, 0)

enum isa_field { ISA_F_DST = 1, ISA_F_SRC = 2, ISA_F_OFF = 4, ISA_F_IMM = 8 };

/* ISA_FIELDS_<FMT>: the fields a format uses, as a constant. */
enum {
#define X(name, fields) ISA_FIELDS_##name = (fields),
	ISA_FORMATS(X)
#undef X
};

enum isa_fmt {
#define X(name, fields) ISA_FMT_##name,
	ISA_FORMATS(X)
#undef X
	ISA_FMT_COUNT
};

/* RFC 9669 section 2.4 conformance groups. */
enum isa_group {
	ISA_GROUP_BASE32, ISA_GROUP_BASE64, ISA_GROUP_ATOMIC32,
	ISA_GROUP_ATOMIC64, ISA_GROUP_DIVMUL32, ISA_GROUP_DIVMUL64,
	ISA_GROUP_CALLX, ISA_GROUP_PACKET, ISA_GROUP_COUNT
};

enum isa_version { ISA_V1 = 1, ISA_V2, ISA_V3, ISA_V4 };

struct isa_row {
	const char *name;       /* "ADD64_K" */
	const char *mnemonic;   /* conformance syntax: "add" */
	const char *pseudo;     /* pseudo-C operator/keyword: "+=" */
	const char *semantics;  /* one line */
	int32_t dval;           /* discriminator value */
	uint8_t code;
	uint8_t disc;           /* enum isa_disc */
	uint8_t fmt;            /* enum isa_fmt */
	uint8_t fields;         /* ISA_F_* used: the format's + the DISC field;
				 * every other field is reserved (must be 0) */
	uint8_t group;          /* enum isa_group */
	uint8_t version;        /* enum isa_version */
};

extern const struct isa_row isa_rows[ISA_OP_COUNT];
extern const char *const isa_group_names[ISA_GROUP_COUNT];
extern const char *const isa_fmt_names[ISA_FMT_COUNT];

/* Encoding constants (the uapi names, our prefix). */
enum {
	ISA_CLASS_LD = 0x00, ISA_CLASS_LDX = 0x01, ISA_CLASS_ST = 0x02,
	ISA_CLASS_STX = 0x03, ISA_CLASS_ALU = 0x04, ISA_CLASS_JMP = 0x05,
	ISA_CLASS_JMP32 = 0x06, ISA_CLASS_ALU64 = 0x07,
};
#define ISA_CLASS(code) ((code) & 0x07)
#define ISA_SRC_X 0x08
/* Bytes moved by a load/store/atomic opcode (size bits 0x18). */
static inline unsigned isa_mem_size(uint8_t code)
{
	static const uint8_t sz[4] = { 4, 2, 1, 8 };
	return sz[(code >> 3) & 3];
}

#define ISA_PSEUDO_MAP_FD 1
#define ISA_PSEUDO_MAP_VALUE 2
#define ISA_PSEUDO_BTF_ID 3
#define ISA_PSEUDO_FUNC 4
#define ISA_PSEUDO_MAP_IDX 5
#define ISA_PSEUDO_MAP_IDX_VALUE 6
#define ISA_PSEUDO_CALL 1
#define ISA_PSEUDO_KFUNC_CALL 2

#define ISA_MAX_REG 10          /* r10 is the read-only frame pointer */
#define ISA_MAX_INSNS 1000000   /* kernel BPF_COMPLEXITY_LIMIT_INSNS */

/* One 8-byte instruction slot exactly as it sits in memory. */
struct isa_raw {
	uint8_t code;
	uint8_t dst : 4;
	uint8_t src : 4;
	int16_t off;
	int32_t imm;
};
_Static_assert(sizeof(struct isa_raw) == 8, "BPF instructions are 8 bytes");

/* A decoded instruction.  For ld_imm64 it describes both slots. */
struct isa_insn {
	uint16_t op;            /* enum isa_op */
	uint8_t code;
	uint8_t dst;
	uint8_t src;
	uint8_t slots;          /* 1, or 2 for ld_imm64 */
	int16_t off;
	int32_t imm;
	uint64_t imm64;         /* ld_imm64: both halves; else (u64)(s64)imm */
};

/*
 * Row for a raw slot: matches the opcode byte and the discriminator field.
 * Returns the enum isa_op, or -1 if no row matches (unknown opcode).
 * Reserved fields are not checked here; isa_decode() does that.
 */
int isa_lookup(const struct isa_raw *raw);

/*
 * Decode the instruction at @pc of @prog (@n slots) into @out, checking
 * register numbers, reserved fields and ld_imm64 pairing.  Returns the
 * number of slots it occupies (1 or 2) or -EINVAL with "insn N: reason"
 * in @e.  Jump targets are checked by isa_validate(), which needs the
 * whole program.
 */
int isa_decode(const struct isa_raw *prog, size_t n, size_t pc,
	       struct isa_insn *out, struct bb_err *e);

/*
 * isa_decode() for a verifier that checks reserved fields only when it
 * reaches an instruction (as the kernel's do_check): a set reserved field
 * does not fail the decode but is reported in @reserved (the first one,
 * with isa_decode()'s message; code 0 if none), and @out has it as 0.
 */
int isa_decode_lax(const struct isa_raw *prog, size_t n, size_t pc, struct isa_insn *out,
		   struct bb_err *e, struct bb_err *reserved);

/*
 * Validate a whole program: every instruction decodes, every jump, local
 * call and ld_imm64 function reference lands inside the program and not on
 * the second slot of an ld_imm64, the program is not empty, not over
 * ISA_MAX_INSNS, and cannot run off its end.
 */
int isa_validate(const struct isa_raw *prog, size_t n, struct bb_err *e);

/* Jump/call target of a decoded control transfer at @pc, or -1. */
long isa_branch_target(const struct isa_insn *in, size_t pc);

/*
 * Whether execution can go on to the next instruction after @in: true for
 * all but exit, ja and ja32 (calls return; a conditional jump may fall
 * through).
 */
bool isa_falls_through(const struct isa_insn *in);

/* Helper ids <-> names ("map_lookup_elem", no "bpf_" prefix). */
const char *isa_helper_name(int32_t id);        /* NULL if unknown */
int32_t isa_helper_id(const char *name);        /* -1 if unknown */

/* ----- assembler (isa/asm.c) ----- */

/*
 * Assemble @text (either syntax, mixed freely line by line) into raw
 * slots.  @file names the source in errors ("file:line: message").
 * On success *out is malloc'ed (caller frees) and the slot count is
 * returned.
 */
long isa_asm(const char *text, const char *file, struct isa_raw **out,
	     struct bb_err *e);

/* ----- disassembler (isa/disasm.c) ----- */

enum isa_syntax { ISA_SYNTAX_PSEUDO_C, ISA_SYNTAX_CONFORMANCE };

/*
 * Text for the instruction at @pc into @buf (no newline, no index):
 *   pseudo-C:    "r0 = *(u32 *)(r1 +4)"   (kernel verifier log wording)
 *   conformance: "ldxw %r0, [%r1+4]"
 * Returns the slots consumed (1 or 2) or -EINVAL for an undecodable slot
 * (the text then says "invalid insn 0x..").
 */
int isa_disasm_insn(const struct isa_raw *prog, size_t n, size_t pc,
		    enum isa_syntax syntax, char *buf, size_t size);

/*
 * Whole program to @out: pseudo-C lines look like the kernel's
 * "  3: (07) r1 += 4" when @with_index is set; conformance syntax gets
 * labels for jump targets so it re-assembles to the same bytes.
 */
int isa_disasm(const struct isa_raw *prog, size_t n, enum isa_syntax syntax,
	       bool with_index, FILE *out, struct bb_err *e);

#endif
