/* SPDX-License-Identifier: MIT */
/*
 * Every x86-64 encoder against known bytes.  The expected bytes were made
 * once with `llvm-mc-19 --show-encoding -x86-asm-syntax=intel` from the
 * assembly next to each line (and the relative jumps by hand from the
 * Intel SDM), then written here: the test needs no assembler.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jit-x86_64/jit_internal.h"

static void hex(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 < size; i++)
		k += (size_t)snprintf(out + k, size - k, i ? " %02x" : "%02x", p[i]);
}

#define ENC(call, bytes, text)                                                  \
	do {                                                                    \
		uint8_t mem_[32];                                               \
		struct jit_buf buf_ = { .p = mem_, .cap = sizeof(mem_) };        \
		struct jit_buf *b = &buf_;                                      \
		char got_[128];                                                 \
		call;                                                           \
		cr_assert_eq(b->err, 0, "%s: sticky error %d", text, b->err);   \
		hex(mem_, b->len, got_, sizeof(got_));                          \
		cr_expect_str_eq(got_, bytes, "%s (%s): got %s, want %s", #call, text, got_, bytes); \
		checked++;                                                      \
	} while (0)

Test(jit_emit, encodings_match_the_assembler)
{
	int checked = 0;

	ENC(emit_alu_rr(b, MR_ADD, true, RDI, RSI),
	    "48 01 f7", "add rdi, rsi");
	ENC(emit_alu_rr(b, MR_SUB, false, R15, RAX),
	    "41 29 c7", "sub r15d, eax");
	ENC(emit_alu_rr(b, MR_XOR, false, RAX, RAX),
	    "31 c0", "xor eax, eax");
	ENC(emit_alu_rr(b, MR_MOV, true, RBX, R13),
	    "4c 89 eb", "mov rbx, r13");
	ENC(emit_alu_rr(b, MR_TEST, true, RCX, RDX),
	    "48 85 d1", "test rcx, rdx");
	ENC(emit_alu_rr(b, MR_CMP, true, R8, R9),
	    "4d 39 c8", "cmp r8, r9");
	ENC(emit_alu_ri(b, EXT_ADD, true, RDI, 1),
	    "48 83 c7 01", "add rdi, 1");
	ENC(emit_alu_ri(b, EXT_AND, false, RAX, 0x12345),
	    "25 45 23 01 00", "and eax, 0x12345");
	ENC(emit_alu_ri(b, EXT_CMP, true, R14, -129),
	    "49 81 fe 7f ff ff ff", "cmp r14, -129");
	ENC(emit_alu_ri(b, EXT_SUB, true, RCX, 0x200),
	    "48 81 e9 00 02 00 00", "sub rcx, 0x200");
	ENC(emit_alu_rm(b, MR_CMP, true, R11, R12, 0x10),
	    "4d 3b 5c 24 10", "cmp r11, qword ptr [r12+0x10]");
	ENC(emit_alu_rm(b, MR_ADD, true, R11, R12, 0x30),
	    "4d 03 5c 24 30", "add r11, qword ptr [r12+0x30]");
	ENC(emit_alu_mi(b, EXT_ADD, true, R12, 0x10, 512),
	    "49 81 44 24 10 00 02 00 00", "add qword ptr [r12+0x10], 512");
	ENC(emit_alu_mi(b, EXT_CMP, false, R12, 0x80, 0),
	    "41 83 bc 24 80 00 00 00 00", "cmp dword ptr [r12+0x80], 0");
	ENC(emit_test_ri(b, false, RDI, 7),
	    "40 f6 c7 07", "test dil, 7");
	ENC(emit_test_ri(b, false, RAX, 0x80),
	    "a8 80", "test al, 0x80");
	ENC(emit_test_ri(b, true, R13, -256),
	    "49 f7 c5 00 ff ff ff", "test r13, -256");
	ENC(emit_test_ri(b, false, RAX, 0x10000),
	    "a9 00 00 01 00", "test eax, 0x10000");
	ENC(emit_mov_ri32(b, R15, 0xdeadbeef),
	    "41 bf ef be ad de", "mov r15d, 0xdeadbeef");
	ENC(emit_mov_ri64sx(b, RAX, -1),
	    "48 c7 c0 ff ff ff ff", "mov rax, -1");
	ENC(emit_movabs(b, R10, 0x1122334455667788ull),
	    "49 ba 88 77 66 55 44 33 22 11", "movabs r10, 0x1122334455667788");
	ENC(emit_imul_rr(b, true, RSI, RDX),
	    "48 0f af f2", "imul rsi, rdx");
	ENC(emit_imul_rr(b, false, R14, R9),
	    "45 0f af f1", "imul r14d, r9d");
	ENC(emit_imul_rri(b, true, RBX, RBX, 10),
	    "48 6b db 0a", "imul rbx, rbx, 10");
	ENC(emit_imul_rri(b, false, RAX, RAX, 1000),
	    "69 c0 e8 03 00 00", "imul eax, eax, 1000");
	ENC(emit_shift_ri(b, SH_SHL, true, RDI, 13),
	    "48 c1 e7 0d", "shl rdi, 13");
	ENC(emit_shift_ri(b, SH_SHR, true, R13, 1),
	    "49 d1 ed", "shr r13, 1");
	ENC(emit_shift_ri(b, SH_SAR, false, RCX, 31),
	    "c1 f9 1f", "sar ecx, 31");
	ENC(emit_shift_cl(b, SH_SHL, true, R15),
	    "49 d3 e7", "shl r15, cl");
	ENC(emit_shift_cl(b, SH_SAR, false, RDX),
	    "d3 fa", "sar edx, cl");
	ENC(emit_ror16_8(b, RSI),
	    "66 c1 ce 08", "ror si, 8");
	ENC(emit_neg(b, true, R8),
	    "49 f7 d8", "neg r8");
	ENC(emit_neg(b, false, RAX),
	    "f7 d8", "neg eax");
	ENC(emit_div(b, true, false, RSI),
	    "48 f7 f6", "div rsi");
	ENC(emit_div(b, false, true, R10),
	    "41 f7 fa", "idiv r10d");
	ENC(emit_cqo(b, true),
	    "48 99", "cqo");
	ENC(emit_cqo(b, false),
	    "99", "cdq");
	ENC(emit_bswap(b, false, RAX),
	    "0f c8", "bswap eax");
	ENC(emit_bswap(b, true, R14),
	    "49 0f ce", "bswap r14");
	ENC(emit_movzx_rr(b, 1, RSI, RSI),
	    "40 0f b6 f6", "movzx esi, sil");
	ENC(emit_movzx_rr(b, 2, RDI, RDI),
	    "0f b7 ff", "movzx edi, di");
	ENC(emit_movzx_rr(b, 1, R11, R13),
	    "45 0f b6 dd", "movzx r11d, r13b");
	ENC(emit_movsx_rr(b, true, 1, RAX, RDI),
	    "48 0f be c7", "movsx rax, dil");
	ENC(emit_movsx_rr(b, false, 2, RCX, RSI),
	    "0f bf ce", "movsx ecx, si");
	ENC(emit_movsx_rr(b, true, 4, R15, RBX),
	    "4c 63 fb", "movsxd r15, ebx");
	ENC(emit_mov_load(b, true, RAX, RBP, -8),
	    "48 8b 45 f8", "mov rax, qword ptr [rbp-8]");
	ENC(emit_mov_load(b, false, R11, R13, 0),
	    "45 8b 5d 00", "mov r11d, dword ptr [r13]");
	ENC(emit_mov_load(b, true, RDI, R12, 0),
	    "49 8b 3c 24", "mov rdi, qword ptr [r12]");
	ENC(emit_mov_load(b, true, RSI, RDX, 0x1000),
	    "48 8b b2 00 10 00 00", "mov rsi, qword ptr [rdx+0x1000]");
	ENC(emit_movzx_load(b, 1, RAX, R11, 0),
	    "41 0f b6 03", "movzx eax, byte ptr [r11]");
	ENC(emit_movzx_load(b, 2, RAX, RDI, 2),
	    "0f b7 47 02", "movzx eax, word ptr [rdi+2]");
	ENC(emit_movsx_load(b, 1, RAX, RBP, -1),
	    "48 0f be 45 ff", "movsx rax, byte ptr [rbp-1]");
	ENC(emit_movsx_load(b, 2, RBX, RSI, 0),
	    "48 0f bf 1e", "movsx rbx, word ptr [rsi]");
	ENC(emit_movsx_load(b, 4, RCX, R9, 4),
	    "49 63 49 04", "movsxd rcx, dword ptr [r9+4]");
	ENC(emit_mov_store(b, 1, RBP, -1, RSI),
	    "40 88 75 ff", "mov byte ptr [rbp-1], sil");
	ENC(emit_mov_store(b, 2, RDI, 2, RAX),
	    "66 89 47 02", "mov word ptr [rdi+2], ax");
	ENC(emit_mov_store(b, 4, R12, 0x20, R10),
	    "45 89 54 24 20", "mov dword ptr [r12+0x20], r10d");
	ENC(emit_mov_store(b, 8, R13, -512, R15),
	    "4d 89 bd 00 fe ff ff", "mov qword ptr [r13-512], r15");
	ENC(emit_mov_store_imm(b, 1, RDI, 0, 0x7f),
	    "c6 07 7f", "mov byte ptr [rdi], 0x7f");
	ENC(emit_mov_store_imm(b, 2, RBP, -2, 0x1234),
	    "66 c7 45 fe 34 12", "mov word ptr [rbp-2], 0x1234");
	ENC(emit_mov_store_imm(b, 4, R12, 0x60, 0),
	    "41 c7 44 24 60 00 00 00 00", "mov dword ptr [r12+0x60], 0");
	ENC(emit_mov_store_imm(b, 8, RDX, 8, -1),
	    "48 c7 42 08 ff ff ff ff", "mov qword ptr [rdx+8], -1");
	ENC(emit_lea(b, true, R11, RBP, -512),
	    "4c 8d 9d 00 fe ff ff", "lea r11, [rbp-512]");
	ENC(emit_lea(b, true, R9, R12, 0x58),
	    "4d 8d 4c 24 58", "lea r9, [r12+0x58]");
	ENC(emit_lock_alu_mr(b, MR_ADD, true, RDI, 4, RSI),
	    "f0 48 01 77 04", "lock add qword ptr [rdi+4], rsi");
	ENC(emit_lock_alu_mr(b, MR_OR, false, R10, 0, RAX),
	    "f0 41 09 02", "lock or dword ptr [r10], eax");
	ENC(emit_lock_alu_mr(b, MR_AND, true, RBX, 8, R13),
	    "f0 4c 21 6b 08", "lock and qword ptr [rbx+8], r13");
	ENC(emit_lock_alu_mr(b, MR_XOR, true, RBP, -8, RAX),
	    "f0 48 31 45 f8", "lock xor qword ptr [rbp-8], rax");
	ENC(emit_lock_xadd(b, true, RDI, 0, RSI),
	    "f0 48 0f c1 37", "lock xadd qword ptr [rdi], rsi");
	ENC(emit_lock_xadd(b, false, RBP, -4, RCX),
	    "f0 0f c1 4d fc", "lock xadd dword ptr [rbp-4], ecx");
	ENC(emit_xchg_mr(b, true, RSI, 8, RAX),
	    "48 87 46 08", "xchg qword ptr [rsi+8], rax");
	ENC(emit_xchg_mr(b, false, R12, 0, R9),
	    "45 87 0c 24", "xchg dword ptr [r12], r9d");
	ENC(emit_lock_cmpxchg(b, true, R11, 0, R9),
	    "f0 4d 0f b1 0b", "lock cmpxchg qword ptr [r11], r9");
	ENC(emit_lock_cmpxchg(b, false, RDI, 4, RSI),
	    "f0 0f b1 77 04", "lock cmpxchg dword ptr [rdi+4], esi");
	ENC(emit_call_r(b, R11),
	    "41 ff d3", "call r11");
	ENC(emit_call_r(b, RAX),
	    "ff d0", "call rax");
	ENC(emit_jmp_r(b, RAX),
	    "ff e0", "jmp rax");
	ENC(emit_push(b, RBP),
	    "55", "push rbp");
	ENC(emit_push(b, R12),
	    "41 54", "push r12");
	ENC(emit_pop(b, R15),
	    "41 5f", "pop r15");
	ENC(emit_pop(b, RBX),
	    "5b", "pop rbx");
	ENC(emit_ret(b),
	    "c3", "ret");
	/* rel8/rel32 jumps and calls: the displacement counts from the end. */
	ENC(emit_jcc(b, CC_E, 0x10, true), "74 10", "je +0x10");
	ENC(emit_jcc(b, CC_NE, 0x100, false), "0f 85 00 01 00 00", "jne +0x100");
	ENC(emit_jcc(b, CC_G, -2, true), "7f fe", "jg self");
	ENC(emit_jcc(b, CC_B, -0x1000, false), "0f 82 00 f0 ff ff", "jb -0x1000");
	ENC(emit_jmp(b, -2, true), "eb fe", "jmp self");
	ENC(emit_jmp(b, 0x12345, false), "e9 45 23 01 00", "jmp +0x12345");
	ENC(emit_call_rel32(b, -5), "e8 fb ff ff ff", "call self");
	cr_log_info("%d encodings checked", checked);
}

Test(jit_emit, full_buffer_sets_a_sticky_error)
{
	uint8_t mem[8] = { 0 };
	struct jit_buf b = { .p = mem, .cap = 4 };

	emit_movabs(&b, RAX, 0x1122334455667788ull);    /* 10 bytes */
	cr_assert_eq(b.err, -ENOSPC);
	emit_ret(&b);
	cr_assert_eq(b.err, -ENOSPC, "the error sticks");
	cr_assert_eq(mem[4], 0, "nothing written past the capacity");
	cr_assert_eq(mem[0], 0x48);
}

Test(jit_emit, counting_mode_measures_without_writing)
{
	struct jit_buf b = { 0 };

	emit_movabs(&b, R10, 1);
	emit_alu_ri(&b, EXT_ADD, true, RDI, 1);
	cr_assert_eq(b.len, 14);
	cr_assert_eq(b.err, 0);
}
