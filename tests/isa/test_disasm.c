/* SPDX-License-Identifier: MIT */
/*
 * The disassembler: kernel wording line by line, and asm(disasm(bytes)) ==
 * bytes for every conformance program in both syntaxes, with and without
 * the "   3: (07) " index prefix.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "tests/common/testutil.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

struct dis_case {
	struct isa_raw insn[2];
	const char *pseudo;
	const char *conf;
};

/* Wording checked against kernel/bpf/disasm.c print_bpf_insn(). */
static const struct dis_case cases[] = {
	{ { I(0x07, 1, 0, 0, 4) }, "r1 += 4", "add %r1, 4" },
	{ { I(0xb4, 1, 0, 0, 0) }, "w1 = 0", "mov32 %r1, 0" },
	{ { I(0xb7, 1, 0, 0, -1) }, "r1 = -1", "mov %r1, -1" },
	{ { I(0xbf, 1, 10, 0, 0) }, "r1 = r10", "mov %r1, %r10" },
	{ { I(0x0c, 1, 2, 0, 0) }, "w1 += w2", "add32 %r1, %r2" },
	{ { I(0x87, 0, 0, 0, 0) }, "r0 = -r0", "neg %r0" },
	{ { I(0x84, 0, 0, 0, 0) }, "w0 = -w0", "neg32 %r0" },
	{ { I(0xdc, 0, 0, 0, 16) }, "r0 = be16 r0", "be16 %r0" },
	{ { I(0xd4, 3, 0, 0, 64) }, "r3 = le64 r3", "le64 %r3" },
	{ { I(0xd7, 0, 0, 0, 16) }, "r0 = bswap16 r0", "bswap16 %r0" },
	{ { I(0xbf, 1, 2, 8, 0) }, "r1 = (s8)r2", "movsx864 %r1, %r2" },
	{ { I(0xbc, 1, 2, 16, 0) }, "w1 = (s16)w2", "movsx1632 %r1, %r2" },
	{ { I(0x3f, 1, 2, 1, 0) }, "r1 s/= r2", "sdiv %r1, %r2" },
	{ { I(0x94, 1, 0, 1, 3) }, "w1 s%= 3", "smod32 %r1, 3" },
	{ { I(0xc7, 1, 0, 0, 3) }, "r1 s>>= 3", "arsh %r1, 3" },
	{ { I(0x7b, 10, 1, -8, 0) }, "*(u64 *)(r10 -8) = r1", "stxdw [%r10-8], %r1" },
	{ { I(0x62, 10, 0, -4, 0) }, "*(u32 *)(r10 -4) = 0", "stw [%r10-4], 0" },
	{ { I(0x61, 0, 1, 4, 0) }, "r0 = *(u32 *)(r1 +4)", "ldxw %r0, [%r1+4]" },
	{ { I(0x91, 0, 1, 0, 0) }, "r0 = *(s8 *)(r1 +0)", "ldxsb %r0, [%r1+0]" },
	{ { I(0xdb, 10, 1, -8, 0) }, "lock *(u64 *)(r10 -8) += r1", "lock add [%r10-8], %r1" },
	{ { I(0xc3, 10, 1, -8, 0x50) }, "lock *(u32 *)(r10 -8) &= r1", "lock and32 [%r10-8], %r1" },
	{ { I(0xdb, 10, 1, -8, 1) }, "r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)", "lock fetch add [%r10-8], %r1" },
	{ { I(0xc3, 10, 2, -4, 0xa1) }, "r2 = atomic_fetch_xor((u32 *)(r10 -4), r2)", "lock fetch xor32 [%r10-4], %r2" },
	{ { I(0xdb, 10, 1, -8, 0xe1) }, "r1 = atomic64_xchg((u64 *)(r10 -8), r1)", "lock xchg [%r10-8], %r1" },
	{ { I(0xdb, 10, 1, -8, 0xf1) }, "r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)", "lock cmpxchg [%r10-8], %r1" },
	{ { I(0x05, 0, 0, 3, 0) }, "goto pc+3", "ja +3" },
	{ { I(0x06, 0, 0, 0, 3) }, "gotol pc+3", "ja32 +3" },
	{ { I(0x15, 1, 0, 1, 0) }, "if r1 == 0x0 goto pc+1", "jeq %r1, 0, +1" },
	{ { I(0x15, 1, 0, 1, -1) }, "if r1 == 0xffffffff goto pc+1", "jeq %r1, -1, +1" },
	{ { I(0x2e, 1, 2, -4, 0) }, "if w1 > w2 goto pc-4", "jgt32 %r1, %r2, -4" },
	{ { I(0xcd, 1, 2, 0, 0) }, "if r1 s< r2 goto pc+0", "jslt %r1, %r2, +0" },
	{ { I(0x85, 0, 0, 0, 1) }, "call bpf_map_lookup_elem#1", "call 1" },
	{ { I(0x85, 0, 0, 0, 9999) }, "call unknown#9999", "call 9999" },
	{ { I(0x85, 0, 1, 0, 5) }, "call pc+5", "call local +5" },
	{ { I(0x85, 0, 2, 0, 42) }, "call kernel-function#42", "call kfunc 42" },
	{ { I(0x85, 0, 2, 3, 42) }, "call kernel-function#42[fd_idx:3]", "call kfunc 42, 3" },
	{ { I(0x8d, 2, 0, 0, 0) }, "callx r2", "callx %r2" },
	{ { I(0x95, 0, 0, 0, 0) }, "exit", "exit" },
	{ { I(0x20, 0, 0, 0, 12) }, "r0 = *(u32 *)skb[12]", "ldabsw 12" },
	{ { I(0x48, 0, 1, 0, 4) }, "r0 = *(u16 *)skb[r1 + 4]", "ldindh %r1, 4" },
	{ { I(0x50, 0, 1, 0, -4) }, "r0 = *(u8 *)skb[r1 + -4]", "ldindb %r1, -4" },
	/* Every lddw pseudo source. */
	{ { I(0x18, 1, 0, 0, 0x1234), I(0, 0, 0, 0, 0) }, "r1 = 0x1234 ll", "lddw %r1, 0x1234" },
	{ { I(0x18, 1, 0, 0, 0x44332211), I(0, 0, 0, 0, (int32_t)0x88776655) },
	  "r1 = 0x8877665544332211", "lddw %r1, 0x8877665544332211" },
	{ { I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, 0) }, "r1 = 0xffffffff", "lddw %r1, 0xffffffff" },
	{ { I(0x18, 1, 1, 0, 5), I(0, 0, 0, 0, 0) }, "r1 = map[fd:5]", "lddw %r1, map[fd:5]" },
	{ { I(0x18, 1, 1, 0, 5), I(0, 0, 0, 0, 9) }, "r1 = map[fd:5][hi:9]", "lddw %r1, map[fd:5][hi:9]" },
	{ { I(0x18, 1, 2, 0, 5), I(0, 0, 0, 0, 16) }, "r1 = map[fd:5][0]+16", "lddw %r1, map[fd:5][0]+16" },
	{ { I(0x18, 1, 3, 0, 77), I(0, 0, 0, 0, 0) }, "r1 = btf[id:77]", "lddw %r1, btf[id:77]" },
	{ { I(0x18, 1, 3, 0, 77), I(0, 0, 0, 0, 4) }, "r1 = btf[id:77][fd:4]", "lddw %r1, btf[id:77][fd:4]" },
	{ { I(0x18, 1, 4, 0, -2), I(0, 0, 0, 0, 0) }, "r1 = subprog[-2]", "lddw %r1, subprog[-2]" },
	{ { I(0x18, 1, 5, 0, 3), I(0, 0, 0, 0, 0) }, "r1 = map[idx:3]", "lddw %r1, map[idx:3]" },
	{ { I(0x18, 1, 6, 0, 3), I(0, 0, 0, 0, 8) }, "r1 = map[idx:3][0]+8", "lddw %r1, map[idx:3][0]+8" },
};

static void check_asm(const char *text, const struct isa_raw *want, int slots)
{
	struct isa_raw *p;
	struct bb_err e;
	char msg[512];
	long n;

	bb_err_clear(&e);
	n = isa_asm(text, "t.s", &p, &e);
	cr_assert_eq(n, slots, "'%s': %ld (%s)", text, n, bb_err_str(&e, msg, sizeof(msg)));
	for (int s = 0; s < slots; s++)
		cr_assert(!memcmp(&p[s], &want[s], 8), "'%s' slot %d", text, s);
	free(p);
}

Test(isa_disasm, kernel_wording_and_back)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(cases); i++) {
		const struct dis_case *c = &cases[i];
		int slots = c->insn[0].code == 0x18 ? 2 : 1;
		char buf[160], line[200];

		cr_assert_eq(isa_disasm_insn(c->insn, (size_t)slots, 0, ISA_SYNTAX_PSEUDO_C,
					     buf, sizeof(buf)), slots);
		cr_assert_str_eq(buf, c->pseudo);
		cr_assert_eq(isa_disasm_insn(c->insn, (size_t)slots, 0, ISA_SYNTAX_CONFORMANCE,
					     buf, sizeof(buf)), slots);
		cr_assert_str_eq(buf, c->conf);
		check_asm(c->pseudo, c->insn, slots);
		check_asm(c->conf, c->insn, slots);
		snprintf(line, sizeof(line), "%4d: (%02x) %s", 3, c->insn[0].code, c->pseudo);
		check_asm(line, c->insn, slots);
	}
}

Test(isa_disasm, invalid_slot)
{
	struct isa_raw p[] = { I(0xff, 0, 0, 0, 0), I(0x18, 0, 0, 0, 0) };
	char buf[64];
	struct bb_err e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(isa_disasm_insn(p, 2, 0, ISA_SYNTAX_PSEUDO_C, buf, sizeof(buf)), -EINVAL);
	cr_assert_str_eq(buf, "invalid insn 0x00000000000000ff");
	/* lddw without its second slot */
	cr_assert_eq(isa_disasm_insn(p, 2, 1, ISA_SYNTAX_PSEUDO_C, buf, sizeof(buf)), -EINVAL);
	cr_assert(!strncmp(buf, "invalid insn", 12));
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	bb_err_clear(&e);
	cr_assert_eq(isa_disasm(p, 2, ISA_SYNTAX_PSEUDO_C, true, f, &e), -EINVAL);
	fclose(f);
	cr_assert_eq(e.insn, 0);
	cr_assert(strstr(e.msg, "unknown opcode 0xff"), "%s", e.msg);
	cr_assert(strstr(text, "   0: (ff) invalid insn 0x00000000000000ff\n"), "%s", text);
	cr_assert(strstr(text, "   1: (18) invalid insn"), "%s", text);
	free(text);
}

Test(isa_disasm, index_prefix_and_labels)
{
	const struct isa_raw p[] = {
		I(0x15, 1, 0, 2, 0), I(0x18, 0, 0, 0, 1), I(0, 0, 0, 0, 1),
		I(0x85, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0),
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(isa_disasm(p, 5, ISA_SYNTAX_PSEUDO_C, true, f, NULL), 0);
	fclose(f);
	cr_assert_str_eq(text,
			 "   0: (15) if r1 == 0x0 goto pc+2\n"
			 "   1: (18) r0 = 0x100000001\n"
			 "   3: (85) call pc+0\n"
			 "   4: (95) exit\n");
	free(text);
	f = open_memstream(&text, &len);
	cr_assert_eq(isa_disasm(p, 5, ISA_SYNTAX_CONFORMANCE, false, f, NULL), 0);
	fclose(f);
	cr_assert_str_eq(text,
			 "jeq %r1, 0, L3\n"
			 "lddw %r0, 0x100000001\n"
			 "L3:\n"
			 "call local L4\n"
			 "L4:\n"
			 "exit\n");
	free(text);
}

/* Jumps that leave the program or land inside an lddw still read back. */
Test(isa_disasm, odd_targets_round_trip)
{
	const struct isa_raw p[] = {
		I(0x05, 0, 0, 1, 0), I(0x18, 0, 0, 0, 1), I(0, 0, 0, 0, 1),
		I(0x05, 0, 0, 100, 0), I(0x06, 0, 0, 0, -9), I(0x05, 0, 0, 0, 0),
	};

	for (int syn = 0; syn < 2; syn++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct isa_raw *q;

		cr_assert_eq(isa_disasm(p, 6, (enum isa_syntax)syn, false, f, NULL), 0);
		fclose(f);
		cr_assert_eq(isa_asm(text, "t.s", &q, NULL), 6, "%s", text);
		cr_assert(!memcmp(p, q, sizeof(p)), "%s", text);
		free(q);
		free(text);
	}
}

Test(isa_disasm, conformance_programs_round_trip)
{
	static const char *const names[] = { "pseudo-C", "conformance" };
	struct tu_conf *t;
	int n = tu_conf_load(&t);
	int ok[2][2] = { { 0 } };

	cr_assert_eq(n, 313);
	for (int i = 0; i < n; i++) {
		const struct isa_raw *prog = (const struct isa_raw *)t[i].prog;
		size_t slots = t[i].prog_len / 8;

		for (int syn = 0; syn < 2; syn++) {
			for (int idx = 0; idx < 2; idx++) {
				char *text = NULL, msg[512];
				size_t len = 0;
				struct isa_raw *q = NULL;
				struct bb_err e;
				FILE *f = open_memstream(&text, &len);
				long got;

				cr_assert_not_null(f);
				bb_err_clear(&e);
				cr_assert_eq(isa_disasm(prog, slots, (enum isa_syntax)syn, idx, f, &e), 0,
					     "%s: %s", t[i].name, bb_err_str(&e, msg, sizeof(msg)));
				fclose(f);
				got = isa_asm(text, t[i].name, &q, &e);
				cr_assert_eq(got, (long)slots, "%s (%s%s): %s\n%s", t[i].name, names[syn],
					     idx ? ", indexed" : "", bb_err_str(&e, msg, sizeof(msg)), text);
				cr_assert(!memcmp(q, prog, t[i].prog_len), "%s (%s%s) differs:\n%s",
					  t[i].name, names[syn], idx ? ", indexed" : "", text);
				ok[syn][idx]++;
				free(q);
				free(text);
			}
		}
	}
	tu_conf_free(t, n);
	for (int syn = 0; syn < 2; syn++)
		for (int idx = 0; idx < 2; idx++)
			cr_assert_eq(ok[syn][idx], 313, "%s: %d/313", names[syn], ok[syn][idx]);
}

/* Every table row, with every field it uses non-zero, reads back exactly. */
Test(isa_disasm, every_row_round_trips)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const struct isa_row *r = &isa_rows[op];
		struct isa_raw p[2] = { { .code = r->code } };
		size_t n = r->fmt == ISA_FMT_LDDW ? 2 : 1;
		struct isa_insn in;

		if (r->fields & ISA_F_DST)
			p[0].dst = 1;
		if (r->fields & ISA_F_SRC)
			p[0].src = 2;
		if (r->fields & ISA_F_OFF)
			p[0].off = -3;
		if (r->fields & ISA_F_IMM)
			p[0].imm = -5;
		if (r->disc == ISA_DISC_OFF)
			p[0].off = (int16_t)r->dval;
		else if (r->disc == ISA_DISC_IMM)
			p[0].imm = r->dval;
		else if (r->disc == ISA_DISC_SRC)
			p[0].src = (uint8_t)r->dval;
		p[1].imm = 7;
		cr_assert_eq(isa_decode(p, n, 0, &in, NULL), (int)n, "%s", r->name);
		cr_assert_eq(in.op, op, "%s", r->name);
		for (int syn = 0; syn < 2; syn++) {
			for (int idx = 0; idx < 2; idx++) {
				char *text = NULL, msg[512];
				size_t len = 0;
				struct isa_raw *q = NULL;
				struct bb_err e;
				FILE *f = open_memstream(&text, &len);

				cr_assert_eq(isa_disasm(p, n, (enum isa_syntax)syn, idx, f, NULL), 0);
				fclose(f);
				bb_err_clear(&e);
				cr_assert_eq(isa_asm(text, r->name, &q, &e), (long)n, "%s: %s: %s",
					     r->name, text, bb_err_str(&e, msg, sizeof(msg)));
				cr_assert(!memcmp(p, q, n * sizeof(*p)), "%s: %s", r->name, text);
				free(q);
				free(text);
			}
		}
	}
}
