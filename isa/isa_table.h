/* SPDX-License-Identifier: MIT */
/*
 * isa/isa_table.h - THE instruction table.  Nothing else in barebpf lists
 * opcodes: the decoder, validator, assembler, disassembler, interpreter
 * dispatch, verifier whitelist and JIT coverage check all expand this list.
 *
 * One row per instruction *variant* (RFC 9669, plus the legacy packet
 * loads and every ld_imm64 pseudo source):
 *
 *   X(NAME, CODE, DISC, DVAL, FMT, MNEMONIC, PSEUDO, GROUP, VERSION, SEMANTICS)
 *
 *   NAME      enum suffix: ISA_OP_<NAME>
 *   CODE      the opcode byte
 *   DISC      which field tells rows with the same CODE apart:
 *             NONE, OFF (sdiv/smod/movsx), IMM (byte swaps, atomics),
 *             SRC (call kinds, ld_imm64 pseudo sources)
 *   DVAL      the value DISC must hold for this row
 *   FMT       operand format (enum isa_fmt): which of dst/src/off/imm the
 *             instruction uses; every other field is reserved and must be 0
 *   MNEMONIC  the bpf_conformance assembler mnemonic
 *   PSEUDO    the operator or keyword in kernel/LLVM pseudo-C syntax
 *   GROUP     RFC 9669 conformance group
 *   VERSION   first ISA version (clang -mcpu=vN) that emits it
 *   SEMANTICS one line, for people and for `barebpf isa`
 *
 * isa.c indexes the rows by CODE once; a CODE + DVAL pair appearing twice
 * is caught by tests/isa.  Generated once by a script, edited by hand since.
 */
#ifndef BAREBPF_ISA_TABLE_H
#define BAREBPF_ISA_TABLE_H

#define ISA_TABLE(X) \
	X(ADD32_K,            0x04, NONE,   0, ALU_K,     "add32",               "+=",          BASE32,   V3, "dst += imm, 32-bit, zero-extends") \
	X(ADD32_X,            0x0c, NONE,   0, ALU_X,     "add32",               "+=",          BASE32,   V3, "dst += src, 32-bit, zero-extends") \
	X(SUB32_K,            0x14, NONE,   0, ALU_K,     "sub32",               "-=",          BASE32,   V3, "dst -= imm, 32-bit, zero-extends") \
	X(SUB32_X,            0x1c, NONE,   0, ALU_X,     "sub32",               "-=",          BASE32,   V3, "dst -= src, 32-bit, zero-extends") \
	X(MUL32_K,            0x24, NONE,   0, ALU_K,     "mul32",               "*=",          DIVMUL32, V3, "dst *= imm, 32-bit, zero-extends") \
	X(MUL32_X,            0x2c, NONE,   0, ALU_X,     "mul32",               "*=",          DIVMUL32, V3, "dst *= src, 32-bit, zero-extends") \
	X(DIV32_K,            0x34, OFF,   0, ALU_K,     "div32",               "/=",          DIVMUL32, V3, "dst = imm ? dst / imm : 0 (unsigned), 32-bit, zero-extends") \
	X(DIV32_X,            0x3c, OFF,   0, ALU_X,     "div32",               "/=",          DIVMUL32, V3, "dst = src ? dst / src : 0 (unsigned), 32-bit, zero-extends") \
	X(SDIV32_K,           0x34, OFF,   1, ALU_K,     "sdiv32",              "s/=",         DIVMUL32, V4, "dst = imm ? dst s/ imm : 0 (signed), 32-bit, zero-extends") \
	X(SDIV32_X,           0x3c, OFF,   1, ALU_X,     "sdiv32",              "s/=",         DIVMUL32, V4, "dst = src ? dst s/ src : 0 (signed), 32-bit, zero-extends") \
	X(OR32_K,             0x44, NONE,   0, ALU_K,     "or32",                "|=",          BASE32,   V3, "dst |= imm, 32-bit, zero-extends") \
	X(OR32_X,             0x4c, NONE,   0, ALU_X,     "or32",                "|=",          BASE32,   V3, "dst |= src, 32-bit, zero-extends") \
	X(AND32_K,            0x54, NONE,   0, ALU_K,     "and32",               "&=",          BASE32,   V3, "dst &= imm, 32-bit, zero-extends") \
	X(AND32_X,            0x5c, NONE,   0, ALU_X,     "and32",               "&=",          BASE32,   V3, "dst &= src, 32-bit, zero-extends") \
	X(LSH32_K,            0x64, NONE,   0, ALU_K,     "lsh32",               "<<=",         BASE32,   V3, "dst <<= imm & (32-1), 32-bit, zero-extends") \
	X(LSH32_X,            0x6c, NONE,   0, ALU_X,     "lsh32",               "<<=",         BASE32,   V3, "dst <<= src & (32-1), 32-bit, zero-extends") \
	X(RSH32_K,            0x74, NONE,   0, ALU_K,     "rsh32",               ">>=",         BASE32,   V3, "dst >>= imm & (32-1) (logical), 32-bit, zero-extends") \
	X(RSH32_X,            0x7c, NONE,   0, ALU_X,     "rsh32",               ">>=",         BASE32,   V3, "dst >>= src & (32-1) (logical), 32-bit, zero-extends") \
	X(NEG32,              0x84, NONE,   0, NEG,       "neg32",               "-",           BASE32,   V3, "dst = -dst, 32-bit, zero-extends") \
	X(MOD32_K,            0x94, OFF,   0, ALU_K,     "mod32",               "%=",          DIVMUL32, V3, "dst = imm ? dst % imm : dst (unsigned), 32-bit, zero-extends") \
	X(MOD32_X,            0x9c, OFF,   0, ALU_X,     "mod32",               "%=",          DIVMUL32, V3, "dst = src ? dst % src : dst (unsigned), 32-bit, zero-extends") \
	X(SMOD32_K,           0x94, OFF,   1, ALU_K,     "smod32",              "s%=",         DIVMUL32, V4, "dst = imm ? dst s% imm : dst (signed), 32-bit, zero-extends") \
	X(SMOD32_X,           0x9c, OFF,   1, ALU_X,     "smod32",              "s%=",         DIVMUL32, V4, "dst = src ? dst s% src : dst (signed), 32-bit, zero-extends") \
	X(XOR32_K,            0xa4, NONE,   0, ALU_K,     "xor32",               "^=",          BASE32,   V3, "dst ^= imm, 32-bit, zero-extends") \
	X(XOR32_X,            0xac, NONE,   0, ALU_X,     "xor32",               "^=",          BASE32,   V3, "dst ^= src, 32-bit, zero-extends") \
	X(MOV32_K,            0xb4, OFF,   0, ALU_K,     "mov32",               "=",           BASE32,   V3, "dst = imm, 32-bit, zero-extends") \
	X(MOV32_X,            0xbc, OFF,   0, ALU_X,     "mov32",               "=",           BASE32,   V3, "dst = src, 32-bit, zero-extends") \
	X(ARSH32_K,           0xc4, NONE,   0, ALU_K,     "arsh32",              "s>>=",        BASE32,   V3, "dst s>>= imm & (32-1) (arithmetic), 32-bit, zero-extends") \
	X(ARSH32_X,           0xcc, NONE,   0, ALU_X,     "arsh32",              "s>>=",        BASE32,   V3, "dst s>>= src & (32-1) (arithmetic), 32-bit, zero-extends") \
	X(MOVSX32_8,          0xbc, OFF,   8, MOVSX,     "movsx832",            "(s8)",        BASE32,   V4, "dst = (s32)(s8)src, zero-extends") \
	X(MOVSX32_16,         0xbc, OFF,  16, MOVSX,     "movsx1632",           "(s16)",       BASE32,   V4, "dst = (s32)(s16)src, zero-extends") \
	X(ADD64_K,            0x07, NONE,   0, ALU_K,     "add",                 "+=",          BASE64,   V1, "dst += imm") \
	X(ADD64_X,            0x0f, NONE,   0, ALU_X,     "add",                 "+=",          BASE64,   V1, "dst += src") \
	X(SUB64_K,            0x17, NONE,   0, ALU_K,     "sub",                 "-=",          BASE64,   V1, "dst -= imm") \
	X(SUB64_X,            0x1f, NONE,   0, ALU_X,     "sub",                 "-=",          BASE64,   V1, "dst -= src") \
	X(MUL64_K,            0x27, NONE,   0, ALU_K,     "mul",                 "*=",          DIVMUL64, V1, "dst *= imm") \
	X(MUL64_X,            0x2f, NONE,   0, ALU_X,     "mul",                 "*=",          DIVMUL64, V1, "dst *= src") \
	X(DIV64_K,            0x37, OFF,   0, ALU_K,     "div",                 "/=",          DIVMUL64, V1, "dst = imm ? dst / imm : 0 (unsigned)") \
	X(DIV64_X,            0x3f, OFF,   0, ALU_X,     "div",                 "/=",          DIVMUL64, V1, "dst = src ? dst / src : 0 (unsigned)") \
	X(SDIV64_K,           0x37, OFF,   1, ALU_K,     "sdiv",                "s/=",         DIVMUL64, V4, "dst = imm ? dst s/ imm : 0 (signed)") \
	X(SDIV64_X,           0x3f, OFF,   1, ALU_X,     "sdiv",                "s/=",         DIVMUL64, V4, "dst = src ? dst s/ src : 0 (signed)") \
	X(OR64_K,             0x47, NONE,   0, ALU_K,     "or",                  "|=",          BASE64,   V1, "dst |= imm") \
	X(OR64_X,             0x4f, NONE,   0, ALU_X,     "or",                  "|=",          BASE64,   V1, "dst |= src") \
	X(AND64_K,            0x57, NONE,   0, ALU_K,     "and",                 "&=",          BASE64,   V1, "dst &= imm") \
	X(AND64_X,            0x5f, NONE,   0, ALU_X,     "and",                 "&=",          BASE64,   V1, "dst &= src") \
	X(LSH64_K,            0x67, NONE,   0, ALU_K,     "lsh",                 "<<=",         BASE64,   V1, "dst <<= imm & (64-1)") \
	X(LSH64_X,            0x6f, NONE,   0, ALU_X,     "lsh",                 "<<=",         BASE64,   V1, "dst <<= src & (64-1)") \
	X(RSH64_K,            0x77, NONE,   0, ALU_K,     "rsh",                 ">>=",         BASE64,   V1, "dst >>= imm & (64-1) (logical)") \
	X(RSH64_X,            0x7f, NONE,   0, ALU_X,     "rsh",                 ">>=",         BASE64,   V1, "dst >>= src & (64-1) (logical)") \
	X(NEG64,              0x87, NONE,   0, NEG,       "neg",                 "-",           BASE64,   V1, "dst = -dst") \
	X(MOD64_K,            0x97, OFF,   0, ALU_K,     "mod",                 "%=",          DIVMUL64, V1, "dst = imm ? dst % imm : dst (unsigned)") \
	X(MOD64_X,            0x9f, OFF,   0, ALU_X,     "mod",                 "%=",          DIVMUL64, V1, "dst = src ? dst % src : dst (unsigned)") \
	X(SMOD64_K,           0x97, OFF,   1, ALU_K,     "smod",                "s%=",         DIVMUL64, V4, "dst = imm ? dst s% imm : dst (signed)") \
	X(SMOD64_X,           0x9f, OFF,   1, ALU_X,     "smod",                "s%=",         DIVMUL64, V4, "dst = src ? dst s% src : dst (signed)") \
	X(XOR64_K,            0xa7, NONE,   0, ALU_K,     "xor",                 "^=",          BASE64,   V1, "dst ^= imm") \
	X(XOR64_X,            0xaf, NONE,   0, ALU_X,     "xor",                 "^=",          BASE64,   V1, "dst ^= src") \
	X(MOV64_K,            0xb7, OFF,   0, ALU_K,     "mov",                 "=",           BASE64,   V1, "dst = imm") \
	X(MOV64_X,            0xbf, OFF,   0, ALU_X,     "mov",                 "=",           BASE64,   V1, "dst = src") \
	X(ARSH64_K,           0xc7, NONE,   0, ALU_K,     "arsh",                "s>>=",        BASE64,   V1, "dst s>>= imm & (64-1) (arithmetic)") \
	X(ARSH64_X,           0xcf, NONE,   0, ALU_X,     "arsh",                "s>>=",        BASE64,   V1, "dst s>>= src & (64-1) (arithmetic)") \
	X(MOVSX64_8,          0xbf, OFF,   8, MOVSX,     "movsx864",            "(s8)",        BASE64,   V4, "dst = (s64)(s8)src") \
	X(MOVSX64_16,         0xbf, OFF,  16, MOVSX,     "movsx1664",           "(s16)",       BASE64,   V4, "dst = (s64)(s16)src") \
	X(MOVSX64_32,         0xbf, OFF,  32, MOVSX,     "movsx3264",           "(s32)",       BASE64,   V4, "dst = (s64)(s32)src") \
	X(LE16,               0xd4, IMM,  16, END,       "le16",                "le16",        BASE32,   V1, "dst = htole16(dst) (no-op on little endian, truncates)") \
	X(LE32,               0xd4, IMM,  32, END,       "le32",                "le32",        BASE32,   V1, "dst = htole32(dst) (no-op on little endian, truncates)") \
	X(LE64,               0xd4, IMM,  64, END,       "le64",                "le64",        BASE32,   V1, "dst = htole64(dst) (no-op on little endian, truncates)") \
	X(BE16,               0xdc, IMM,  16, END,       "be16",                "be16",        BASE32,   V1, "dst = htobe16(dst), truncating to 16 bits") \
	X(BE32,               0xdc, IMM,  32, END,       "be32",                "be32",        BASE32,   V1, "dst = htobe32(dst), truncating to 32 bits") \
	X(BE64,               0xdc, IMM,  64, END,       "be64",                "be64",        BASE32,   V1, "dst = htobe64(dst), truncating to 64 bits") \
	X(BSWAP16,            0xd7, IMM,  16, END,       "bswap16",             "bswap16",     BASE32,   V4, "dst = bswap16(dst), truncating to 16 bits") \
	X(BSWAP32,            0xd7, IMM,  32, END,       "bswap32",             "bswap32",     BASE32,   V4, "dst = bswap32(dst), truncating to 32 bits") \
	X(BSWAP64,            0xd7, IMM,  64, END,       "bswap64",             "bswap64",     BASE32,   V4, "dst = bswap64(dst), truncating to 64 bits") \
	X(LDDW,               0x18, SRC,   0, LDDW,      "lddw",                "imm64",       BASE64,   V1, "dst = imm64") \
	X(LDDW_MAP_FD,        0x18, SRC,   1, LDDW,      "lddw",                "map_fd",      BASE64,   V1, "dst = map by fd (imm)") \
	X(LDDW_MAP_VALUE,     0x18, SRC,   2, LDDW,      "lddw",                "map_value",   BASE64,   V1, "dst = &map_value(fd imm) + next.imm") \
	X(LDDW_BTF_ID,        0x18, SRC,   3, LDDW,      "lddw",                "btf_id",      BASE64,   V1, "dst = kernel variable address by BTF id") \
	X(LDDW_FUNC,          0x18, SRC,   4, LDDW,      "lddw",                "func",        BASE64,   V1, "dst = address of function at pc + imm + 1") \
	X(LDDW_MAP_IDX,       0x18, SRC,   5, LDDW,      "lddw",                "map_idx",     BASE64,   V1, "dst = map by fd_array index") \
	X(LDDW_MAP_IDX_VALUE, 0x18, SRC,   6, LDDW,      "lddw",                "map_idx_value", BASE64,   V1, "dst = &map_value(fd_array[imm]) + next.imm") \
	X(LDABS_W,            0x20, NONE,   0, LDABS,     "ldabsw",              "u32",         PACKET,   V1, "r0 = ntoh(*(u32 *)(skb + imm)) (legacy)") \
	X(LDABS_H,            0x28, NONE,   0, LDABS,     "ldabsh",              "u16",         PACKET,   V1, "r0 = ntoh(*(u16 *)(skb + imm)) (legacy)") \
	X(LDABS_B,            0x30, NONE,   0, LDABS,     "ldabsb",              "u8",          PACKET,   V1, "r0 = ntoh(*(u8 *)(skb + imm)) (legacy)") \
	X(LDIND_W,            0x40, NONE,   0, LDIND,     "ldindw",              "u32",         PACKET,   V1, "r0 = ntoh(*(u32 *)(skb + src + imm)) (legacy)") \
	X(LDIND_H,            0x48, NONE,   0, LDIND,     "ldindh",              "u16",         PACKET,   V1, "r0 = ntoh(*(u16 *)(skb + src + imm)) (legacy)") \
	X(LDIND_B,            0x50, NONE,   0, LDIND,     "ldindb",              "u8",          PACKET,   V1, "r0 = ntoh(*(u8 *)(skb + src + imm)) (legacy)") \
	X(LDXDW,              0x79, NONE,   0, LDX,       "ldxdw",               "u64",         BASE64,   V1, "dst = *(u64 *)(src + off)") \
	X(LDXW,               0x61, NONE,   0, LDX,       "ldxw",                "u32",         BASE32,   V1, "dst = *(u32 *)(src + off)") \
	X(LDXH,               0x69, NONE,   0, LDX,       "ldxh",                "u16",         BASE32,   V1, "dst = *(u16 *)(src + off)") \
	X(LDXB,               0x71, NONE,   0, LDX,       "ldxb",                "u8",          BASE32,   V1, "dst = *(u8 *)(src + off)") \
	X(LDXSW,              0x81, NONE,   0, LDX,       "ldxsw",               "s32",         BASE64,   V4, "dst = (s64)*(s32 *)(src + off)") \
	X(LDXSH,              0x89, NONE,   0, LDX,       "ldxsh",               "s16",         BASE64,   V4, "dst = (s64)*(s16 *)(src + off)") \
	X(LDXSB,              0x91, NONE,   0, LDX,       "ldxsb",               "s8",          BASE64,   V4, "dst = (s64)*(s8 *)(src + off)") \
	X(STDW,               0x7a, NONE,   0, ST,        "stdw",                "u64",         BASE64,   V1, "*(u64 *)(dst + off) = imm") \
	X(STW,                0x62, NONE,   0, ST,        "stw",                 "u32",         BASE32,   V1, "*(u32 *)(dst + off) = imm") \
	X(STH,                0x6a, NONE,   0, ST,        "sth",                 "u16",         BASE32,   V1, "*(u16 *)(dst + off) = imm") \
	X(STB,                0x72, NONE,   0, ST,        "stb",                 "u8",          BASE32,   V1, "*(u8 *)(dst + off) = imm") \
	X(STXDW,              0x7b, NONE,   0, STX,       "stxdw",               "u64",         BASE64,   V1, "*(u64 *)(dst + off) = src") \
	X(STXW,               0x63, NONE,   0, STX,       "stxw",                "u32",         BASE32,   V1, "*(u32 *)(dst + off) = src") \
	X(STXH,               0x6b, NONE,   0, STX,       "stxh",                "u16",         BASE32,   V1, "*(u16 *)(dst + off) = src") \
	X(STXB,               0x73, NONE,   0, STX,       "stxb",                "u8",          BASE32,   V1, "*(u8 *)(dst + off) = src") \
	X(ATOMIC32_ADD,       0xc3, IMM,   0, ATOMIC,    "lock add32",          "+=",          ATOMIC32, V1, "atomic *(u32 *)(dst + off) += src") \
	X(ATOMIC32_FETCH_ADD, 0xc3, IMM,   1, ATOMIC,    "lock fetch add32",    "fetch_add",   ATOMIC32, V3, "src = atomic fetch_add((u32 *)(dst + off), src)") \
	X(ATOMIC32_OR,        0xc3, IMM,  64, ATOMIC,    "lock or32",           "|=",          ATOMIC32, V3, "atomic *(u32 *)(dst + off) |= src") \
	X(ATOMIC32_FETCH_OR,  0xc3, IMM,  65, ATOMIC,    "lock fetch or32",     "fetch_or",    ATOMIC32, V3, "src = atomic fetch_or((u32 *)(dst + off), src)") \
	X(ATOMIC32_AND,       0xc3, IMM,  80, ATOMIC,    "lock and32",          "&=",          ATOMIC32, V3, "atomic *(u32 *)(dst + off) &= src") \
	X(ATOMIC32_FETCH_AND, 0xc3, IMM,  81, ATOMIC,    "lock fetch and32",    "fetch_and",   ATOMIC32, V3, "src = atomic fetch_and((u32 *)(dst + off), src)") \
	X(ATOMIC32_XOR,       0xc3, IMM, 160, ATOMIC,    "lock xor32",          "^=",          ATOMIC32, V3, "atomic *(u32 *)(dst + off) ^= src") \
	X(ATOMIC32_FETCH_XOR, 0xc3, IMM, 161, ATOMIC,    "lock fetch xor32",    "fetch_xor",   ATOMIC32, V3, "src = atomic fetch_xor((u32 *)(dst + off), src)") \
	X(ATOMIC32_XCHG,      0xc3, IMM, 225, ATOMIC,    "lock xchg32",         "xchg",        ATOMIC32, V3, "src = atomic xchg((u32 *)(dst + off), src)") \
	X(ATOMIC32_CMPXCHG,   0xc3, IMM, 241, ATOMIC,    "lock cmpxchg32",      "cmpxchg",     ATOMIC32, V3, "r0 = atomic cmpxchg((u32 *)(dst + off), r0, src)") \
	X(ATOMIC64_ADD,       0xdb, IMM,   0, ATOMIC,    "lock add",            "+=",          ATOMIC64, V1, "atomic *(u64 *)(dst + off) += src") \
	X(ATOMIC64_FETCH_ADD, 0xdb, IMM,   1, ATOMIC,    "lock fetch add",      "fetch_add",   ATOMIC64, V3, "src = atomic fetch_add((u64 *)(dst + off), src)") \
	X(ATOMIC64_OR,        0xdb, IMM,  64, ATOMIC,    "lock or",             "|=",          ATOMIC64, V3, "atomic *(u64 *)(dst + off) |= src") \
	X(ATOMIC64_FETCH_OR,  0xdb, IMM,  65, ATOMIC,    "lock fetch or",       "fetch_or",    ATOMIC64, V3, "src = atomic fetch_or((u64 *)(dst + off), src)") \
	X(ATOMIC64_AND,       0xdb, IMM,  80, ATOMIC,    "lock and",            "&=",          ATOMIC64, V3, "atomic *(u64 *)(dst + off) &= src") \
	X(ATOMIC64_FETCH_AND, 0xdb, IMM,  81, ATOMIC,    "lock fetch and",      "fetch_and",   ATOMIC64, V3, "src = atomic fetch_and((u64 *)(dst + off), src)") \
	X(ATOMIC64_XOR,       0xdb, IMM, 160, ATOMIC,    "lock xor",            "^=",          ATOMIC64, V3, "atomic *(u64 *)(dst + off) ^= src") \
	X(ATOMIC64_FETCH_XOR, 0xdb, IMM, 161, ATOMIC,    "lock fetch xor",      "fetch_xor",   ATOMIC64, V3, "src = atomic fetch_xor((u64 *)(dst + off), src)") \
	X(ATOMIC64_XCHG,      0xdb, IMM, 225, ATOMIC,    "lock xchg",           "xchg",        ATOMIC64, V3, "src = atomic xchg((u64 *)(dst + off), src)") \
	X(ATOMIC64_CMPXCHG,   0xdb, IMM, 241, ATOMIC,    "lock cmpxchg",        "cmpxchg",     ATOMIC64, V3, "r0 = atomic cmpxchg((u64 *)(dst + off), r0, src)") \
	X(JA,                 0x05, NONE,   0, JA,        "ja",                  "goto",        BASE32,   V1, "pc += off") \
	X(JA32,               0x06, NONE,   0, JA32,      "ja32",                "gotol",       BASE32,   V4, "pc += imm") \
	X(JEQ_K,              0x15, NONE,   0, JCC_K,     "jeq",                 "==",          BASE32,   V1, "if (dst == imm) pc += off") \
	X(JEQ_X,              0x1d, NONE,   0, JCC_X,     "jeq",                 "==",          BASE32,   V1, "if (dst == src) pc += off") \
	X(JGT_K,              0x25, NONE,   0, JCC_K,     "jgt",                 ">",           BASE32,   V1, "if (dst > imm) pc += off") \
	X(JGT_X,              0x2d, NONE,   0, JCC_X,     "jgt",                 ">",           BASE32,   V1, "if (dst > src) pc += off") \
	X(JGE_K,              0x35, NONE,   0, JCC_K,     "jge",                 ">=",          BASE32,   V1, "if (dst >= imm) pc += off") \
	X(JGE_X,              0x3d, NONE,   0, JCC_X,     "jge",                 ">=",          BASE32,   V1, "if (dst >= src) pc += off") \
	X(JSET_K,             0x45, NONE,   0, JCC_K,     "jset",                "&",           BASE32,   V1, "if (dst & imm) pc += off") \
	X(JSET_X,             0x4d, NONE,   0, JCC_X,     "jset",                "&",           BASE32,   V1, "if (dst & src) pc += off") \
	X(JNE_K,              0x55, NONE,   0, JCC_K,     "jne",                 "!=",          BASE32,   V1, "if (dst != imm) pc += off") \
	X(JNE_X,              0x5d, NONE,   0, JCC_X,     "jne",                 "!=",          BASE32,   V1, "if (dst != src) pc += off") \
	X(JSGT_K,             0x65, NONE,   0, JCC_K,     "jsgt",                "s>",          BASE32,   V1, "if (dst s> imm) pc += off") \
	X(JSGT_X,             0x6d, NONE,   0, JCC_X,     "jsgt",                "s>",          BASE32,   V1, "if (dst s> src) pc += off") \
	X(JSGE_K,             0x75, NONE,   0, JCC_K,     "jsge",                "s>=",         BASE32,   V1, "if (dst s>= imm) pc += off") \
	X(JSGE_X,             0x7d, NONE,   0, JCC_X,     "jsge",                "s>=",         BASE32,   V1, "if (dst s>= src) pc += off") \
	X(JLT_K,              0xa5, NONE,   0, JCC_K,     "jlt",                 "<",           BASE32,   V2, "if (dst < imm) pc += off") \
	X(JLT_X,              0xad, NONE,   0, JCC_X,     "jlt",                 "<",           BASE32,   V2, "if (dst < src) pc += off") \
	X(JLE_K,              0xb5, NONE,   0, JCC_K,     "jle",                 "<=",          BASE32,   V2, "if (dst <= imm) pc += off") \
	X(JLE_X,              0xbd, NONE,   0, JCC_X,     "jle",                 "<=",          BASE32,   V2, "if (dst <= src) pc += off") \
	X(JSLT_K,             0xc5, NONE,   0, JCC_K,     "jslt",                "s<",          BASE32,   V2, "if (dst s< imm) pc += off") \
	X(JSLT_X,             0xcd, NONE,   0, JCC_X,     "jslt",                "s<",          BASE32,   V2, "if (dst s< src) pc += off") \
	X(JSLE_K,             0xd5, NONE,   0, JCC_K,     "jsle",                "s<=",         BASE32,   V2, "if (dst s<= imm) pc += off") \
	X(JSLE_X,             0xdd, NONE,   0, JCC_X,     "jsle",                "s<=",         BASE32,   V2, "if (dst s<= src) pc += off") \
	X(JEQ32_K,            0x16, NONE,   0, JCC_K,     "jeq32",               "==",          BASE32,   V3, "if ((u32)dst == imm) pc += off") \
	X(JEQ32_X,            0x1e, NONE,   0, JCC_X,     "jeq32",               "==",          BASE32,   V3, "if ((u32)dst == (u32)src) pc += off") \
	X(JGT32_K,            0x26, NONE,   0, JCC_K,     "jgt32",               ">",           BASE32,   V3, "if ((u32)dst > imm) pc += off") \
	X(JGT32_X,            0x2e, NONE,   0, JCC_X,     "jgt32",               ">",           BASE32,   V3, "if ((u32)dst > (u32)src) pc += off") \
	X(JGE32_K,            0x36, NONE,   0, JCC_K,     "jge32",               ">=",          BASE32,   V3, "if ((u32)dst >= imm) pc += off") \
	X(JGE32_X,            0x3e, NONE,   0, JCC_X,     "jge32",               ">=",          BASE32,   V3, "if ((u32)dst >= (u32)src) pc += off") \
	X(JSET32_K,           0x46, NONE,   0, JCC_K,     "jset32",              "&",           BASE32,   V3, "if ((u32)dst & imm) pc += off") \
	X(JSET32_X,           0x4e, NONE,   0, JCC_X,     "jset32",              "&",           BASE32,   V3, "if ((u32)dst & (u32)src) pc += off") \
	X(JNE32_K,            0x56, NONE,   0, JCC_K,     "jne32",               "!=",          BASE32,   V3, "if ((u32)dst != imm) pc += off") \
	X(JNE32_X,            0x5e, NONE,   0, JCC_X,     "jne32",               "!=",          BASE32,   V3, "if ((u32)dst != (u32)src) pc += off") \
	X(JSGT32_K,           0x66, NONE,   0, JCC_K,     "jsgt32",              "s>",          BASE32,   V3, "if ((u32)dst s> imm) pc += off") \
	X(JSGT32_X,           0x6e, NONE,   0, JCC_X,     "jsgt32",              "s>",          BASE32,   V3, "if ((u32)dst s> (u32)src) pc += off") \
	X(JSGE32_K,           0x76, NONE,   0, JCC_K,     "jsge32",              "s>=",         BASE32,   V3, "if ((u32)dst s>= imm) pc += off") \
	X(JSGE32_X,           0x7e, NONE,   0, JCC_X,     "jsge32",              "s>=",         BASE32,   V3, "if ((u32)dst s>= (u32)src) pc += off") \
	X(JLT32_K,            0xa6, NONE,   0, JCC_K,     "jlt32",               "<",           BASE32,   V3, "if ((u32)dst < imm) pc += off") \
	X(JLT32_X,            0xae, NONE,   0, JCC_X,     "jlt32",               "<",           BASE32,   V3, "if ((u32)dst < (u32)src) pc += off") \
	X(JLE32_K,            0xb6, NONE,   0, JCC_K,     "jle32",               "<=",          BASE32,   V3, "if ((u32)dst <= imm) pc += off") \
	X(JLE32_X,            0xbe, NONE,   0, JCC_X,     "jle32",               "<=",          BASE32,   V3, "if ((u32)dst <= (u32)src) pc += off") \
	X(JSLT32_K,           0xc6, NONE,   0, JCC_K,     "jslt32",              "s<",          BASE32,   V3, "if ((u32)dst s< imm) pc += off") \
	X(JSLT32_X,           0xce, NONE,   0, JCC_X,     "jslt32",              "s<",          BASE32,   V3, "if ((u32)dst s< (u32)src) pc += off") \
	X(JSLE32_K,           0xd6, NONE,   0, JCC_K,     "jsle32",              "s<=",         BASE32,   V3, "if ((u32)dst s<= imm) pc += off") \
	X(JSLE32_X,           0xde, NONE,   0, JCC_X,     "jsle32",              "s<=",         BASE32,   V3, "if ((u32)dst s<= (u32)src) pc += off") \
	X(CALL_HELPER,        0x85, SRC,   0, CALL,      "call",                "call",        BASE32,   V1, "r0 = helper[imm](r1..r5)") \
	X(CALL_LOCAL,         0x85, SRC,   1, CALL_LOCAL, "call local",          "call pc",     BASE32,   V1, "call function at pc + imm + 1") \
	X(CALL_KFUNC,         0x85, SRC,   2, CALL_KFUNC, "call kfunc",          "call kfunc",  BASE32,   V1, "r0 = kfunc[btf id imm](r1..r5)") \
	X(CALLX,              0x8d, NONE,   0, CALLX,     "callx",               "callx",       CALLX,    V4, "r0 = helper or function at register dst") \
	X(EXIT,               0x95, NONE,   0, EXIT,      "exit",                "exit",        BASE32,   V1, "return r0 to the caller")

#endif
