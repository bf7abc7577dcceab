/* SPDX-License-Identifier: MIT */
/*
 * isa/disasm.c - the disassembler: raw slots to text in either syntax.
 *
 * Pseudo-C follows the kernel's verifier log and `bpftool prog dump
 * xlated` wording (kernel/bpf/disasm.c print_bpf_insn) so the two can be
 * compared line by line: "r1 += 4", "w0 = -w0", "r0 = be16 r0",
 * "r0 = *(u32 *)(r1 +4)", "if r1 == 0x0 goto pc+1", "call
 * bpf_map_lookup_elem#1".  Where the kernel's text would not read back as
 * the same bytes we say more, and the assembler accepts both:
 *   - lddw of a value that fits a mov gets LLVM's " ll" suffix;
 *   - lddw pseudo sources print as bpftool does (map[id:N] is our
 *     map[fd:N], since unloaded programs hold fds), plus btf[id:N],
 *     map[idx:N] and a "[hi:N]" suffix when a normally-zero second slot
 *     is not zero;
 *   - a kfunc call is "call kernel-function#ID", with "[fd_idx:N]" when
 *     its offset names a module BTF;
 *   - callx, which the kernel never prints, is LLVM's "callx r2".
 * Every operator and keyword comes from the row's PSEUDO column, every
 * mnemonic from its MNEMONIC column; the only switch is over formats.
 */
#include "isa/isa.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static char wreg(uint8_t code)
{
	return ISA_CLASS(code) == ISA_CLASS_ALU || ISA_CLASS(code) == ISA_CLASS_JMP32 ?
	       'w' : 'r';
}

/*
 * Jump target text: a label when the whole-program printer placed one
 * there (@labels, indexed 0..n), else "pc+N" (pseudo-C) or "+N".
 */
static void target_text(char *buf, size_t size, long rel, size_t pc,
			const uint8_t *labels, size_t n, bool pseudo)
{
	long t = (long)pc + rel + 1;

	if (labels && t >= 0 && (size_t)t <= n && labels[t])
		snprintf(buf, size, "L%ld", t);
	else
		snprintf(buf, size, "%s%+ld", pseudo ? "pc" : "", rel);
}

/* The operand of an lddw: a value or one of the pseudo-source forms. */
static void ldimm_text(char *buf, size_t size, const struct isa_insn *in,
		       uint32_t hi, size_t pc, const uint8_t *labels, size_t n,
		       bool pseudo)
{
	char t[32], extra[32] = "";
	uint32_t lo = (uint32_t)in->imm;
	int64_t v = (int64_t)in->imm64;

	switch (in->src) {
	case ISA_PSEUDO_MAP_VALUE:
	case ISA_PSEUDO_MAP_IDX_VALUE:
		snprintf(buf, size, "map[%s:%" PRIu32 "][0]+%" PRIu32,
			 in->src == ISA_PSEUDO_MAP_VALUE ? "fd" : "idx", lo, hi);
		return;
	case ISA_PSEUDO_BTF_ID:
		if (hi)
			snprintf(extra, sizeof(extra), "[fd:%" PRIu32 "]", hi);
		snprintf(buf, size, "btf[id:%" PRIu32 "]%s", lo, extra);
		return;
	case ISA_PSEUDO_MAP_FD:
	case ISA_PSEUDO_MAP_IDX:
	case ISA_PSEUDO_FUNC:
		if (hi)
			snprintf(extra, sizeof(extra), "[hi:%" PRIu32 "]", hi);
		if (in->src == ISA_PSEUDO_FUNC) {
			target_text(t, sizeof(t), in->imm, pc, labels, n, false);
			snprintf(buf, size, "subprog[%s]%s", t, extra);
		} else {
			snprintf(buf, size, "map[%s:%" PRIu32 "]%s",
				 in->src == ISA_PSEUDO_MAP_FD ? "fd" : "idx", lo, extra);
		}
		return;
	default:
		/* A value a mov could load would read back as a mov. */
		snprintf(buf, size, "0x%" PRIx64 "%s", in->imm64,
			 pseudo && v >= INT32_MIN && v <= INT32_MAX ? " ll" : "");
		return;
	}
}

static void pseudo_text(char *buf, size_t size, const struct isa_insn *in,
			uint32_t hi, size_t pc, const uint8_t *labels, size_t n)
{
	const struct isa_row *row = &isa_rows[in->op];
	const char *ps = row->pseudo, *name;
	char w = wreg(row->code), t[48], sz[8];
	unsigned d = in->dst, s = in->src;

	snprintf(sz, sizeof(sz), "u%u", isa_mem_size(row->code) * 8);
	switch ((enum isa_fmt)row->fmt) {
	case ISA_FMT_ALU_K:
		snprintf(buf, size, "%c%u %s %d", w, d, ps, in->imm);
		break;
	case ISA_FMT_ALU_X:
		snprintf(buf, size, "%c%u %s %c%u", w, d, ps, w, s);
		break;
	case ISA_FMT_NEG:
		snprintf(buf, size, "%c%u = %s%c%u", w, d, ps, w, d);
		break;
	case ISA_FMT_END:
		snprintf(buf, size, "r%u = %s r%u", d, ps, d);
		break;
	case ISA_FMT_MOVSX:
		snprintf(buf, size, "%c%u = %s%c%u", w, d, ps, w, s);
		break;
	case ISA_FMT_LDX:
		snprintf(buf, size, "r%u = *(%s *)(r%u %+d)", d, ps, s, in->off);
		break;
	case ISA_FMT_ST:
		snprintf(buf, size, "*(%s *)(r%u %+d) = %d", ps, d, in->off, in->imm);
		break;
	case ISA_FMT_STX:
		snprintf(buf, size, "*(%s *)(r%u %+d) = r%u", ps, d, in->off, s);
		break;
	case ISA_FMT_ATOMIC:
		/* Operators ("+=") are plain; words ("fetch_add") return a value. */
		if (strchr(ps, '='))
			snprintf(buf, size, "lock *(%s *)(r%u %+d) %s r%u", sz, d, in->off, ps, s);
		else if (!strcmp(ps, "cmpxchg"))
			snprintf(buf, size, "r0 = atomic%s_%s((%s *)(r%u %+d), r0, r%u)",
				 sz[1] == '6' ? "64" : "", ps, sz, d, in->off, s);
		else
			snprintf(buf, size, "r%u = atomic%s_%s((%s *)(r%u %+d), r%u)", s,
				 sz[1] == '6' ? "64" : "", ps, sz, d, in->off, s);
		break;
	case ISA_FMT_LDDW:
		ldimm_text(t, sizeof(t), in, hi, pc, labels, n, true);
		snprintf(buf, size, "r%u = %s", d, t);
		break;
	case ISA_FMT_LDABS:
		snprintf(buf, size, "r0 = *(%s *)skb[%d]", ps, in->imm);
		break;
	case ISA_FMT_LDIND:
		snprintf(buf, size, "r0 = *(%s *)skb[r%u + %d]", ps, s, in->imm);
		break;
	case ISA_FMT_JA:
		target_text(t, sizeof(t), in->off, pc, labels, n, true);
		snprintf(buf, size, "%s %s", ps, t);
		break;
	case ISA_FMT_JA32:
		target_text(t, sizeof(t), in->imm, pc, labels, n, true);
		snprintf(buf, size, "%s %s", ps, t);
		break;
	case ISA_FMT_JCC_K:
		target_text(t, sizeof(t), in->off, pc, labels, n, true);
		snprintf(buf, size, "if %c%u %s 0x%" PRIx32 " goto %s", w, d, ps,
			 (uint32_t)in->imm, t);
		break;
	case ISA_FMT_JCC_X:
		target_text(t, sizeof(t), in->off, pc, labels, n, true);
		snprintf(buf, size, "if %c%u %s %c%u goto %s", w, d, ps, w, s, t);
		break;
	case ISA_FMT_CALL:
		name = isa_helper_name(in->imm);
		snprintf(buf, size, "%s %s%s#%d", ps, name ? "bpf_" : "",
			 name ? name : "unknown", in->imm);
		break;
	case ISA_FMT_CALL_LOCAL:
		target_text(t, sizeof(t), in->imm, pc, labels, n, true);
		snprintf(buf, size, "call %s", t);
		break;
	case ISA_FMT_CALL_KFUNC:
		if (in->off)
			snprintf(t, sizeof(t), "[fd_idx:%d]", in->off);
		else
			t[0] = '\0';
		snprintf(buf, size, "call kernel-function#%d%s", in->imm, t);
		break;
	case ISA_FMT_CALLX:
		snprintf(buf, size, "%s r%u", ps, d);
		break;
	case ISA_FMT_EXIT:
	default:
		snprintf(buf, size, "%s", ps);
		break;
	}
}

static void conformance_text(char *buf, size_t size, const struct isa_insn *in,
			     uint32_t hi, size_t pc, const uint8_t *labels, size_t n)
{
	const struct isa_row *row = &isa_rows[in->op];
	const char *m = row->mnemonic;
	unsigned d = in->dst, s = in->src;
	char t[48];

	switch ((enum isa_fmt)row->fmt) {
	case ISA_FMT_ALU_K:
		snprintf(buf, size, "%s %%r%u, %d", m, d, in->imm);
		break;
	case ISA_FMT_ALU_X:
	case ISA_FMT_MOVSX:
		snprintf(buf, size, "%s %%r%u, %%r%u", m, d, s);
		break;
	case ISA_FMT_NEG:
	case ISA_FMT_END:
	case ISA_FMT_CALLX:
		snprintf(buf, size, "%s %%r%u", m, d);
		break;
	case ISA_FMT_LDX:
		snprintf(buf, size, "%s %%r%u, [%%r%u%+d]", m, d, s, in->off);
		break;
	case ISA_FMT_ST:
		snprintf(buf, size, "%s [%%r%u%+d], %d", m, d, in->off, in->imm);
		break;
	case ISA_FMT_STX:
	case ISA_FMT_ATOMIC:
		snprintf(buf, size, "%s [%%r%u%+d], %%r%u", m, d, in->off, s);
		break;
	case ISA_FMT_LDDW:
		ldimm_text(t, sizeof(t), in, hi, pc, labels, n, false);
		snprintf(buf, size, "%s %%r%u, %s", m, d, t);
		break;
	case ISA_FMT_LDABS:
	case ISA_FMT_CALL:
		snprintf(buf, size, "%s %d", m, in->imm);
		break;
	case ISA_FMT_LDIND:
		snprintf(buf, size, "%s %%r%u, %d", m, s, in->imm);
		break;
	case ISA_FMT_JA:
		target_text(t, sizeof(t), in->off, pc, labels, n, false);
		snprintf(buf, size, "%s %s", m, t);
		break;
	case ISA_FMT_JA32:
	case ISA_FMT_CALL_LOCAL:
		target_text(t, sizeof(t), in->imm, pc, labels, n, false);
		snprintf(buf, size, "%s %s", m, t);
		break;
	case ISA_FMT_JCC_K:
		target_text(t, sizeof(t), in->off, pc, labels, n, false);
		snprintf(buf, size, "%s %%r%u, %d, %s", m, d, in->imm, t);
		break;
	case ISA_FMT_JCC_X:
		target_text(t, sizeof(t), in->off, pc, labels, n, false);
		snprintf(buf, size, "%s %%r%u, %%r%u, %s", m, d, s, t);
		break;
	case ISA_FMT_CALL_KFUNC:
		if (in->off)
			snprintf(buf, size, "%s %d, %d", m, in->imm, in->off);
		else
			snprintf(buf, size, "%s %d", m, in->imm);
		break;
	case ISA_FMT_EXIT:
	default:
		snprintf(buf, size, "%s", m);
		break;
	}
}

static int disasm_one(const struct isa_raw *prog, size_t n, size_t pc,
		      enum isa_syntax syntax, const uint8_t *labels, char *buf,
		      size_t size, struct bb_err *e)
{
	struct isa_insn in;
	uint32_t hi;
	int ret;

	if (!size)
		return -EINVAL;
	ret = isa_decode(prog, n, pc, &in, e);
	if (ret < 0) {
		uint64_t raw = 0;

		if (pc < n)
			memcpy(&raw, &prog[pc], sizeof(raw));
		snprintf(buf, size, "invalid insn 0x%016" PRIx64, raw);
		return ret;
	}
	hi = (uint32_t)(in.imm64 >> 32);
	if (syntax == ISA_SYNTAX_CONFORMANCE)
		conformance_text(buf, size, &in, hi, pc, labels, n);
	else
		pseudo_text(buf, size, &in, hi, pc, labels, n);
	return ret;
}

int isa_disasm_insn(const struct isa_raw *prog, size_t n, size_t pc,
		    enum isa_syntax syntax, char *buf, size_t size)
{
	return disasm_one(prog, n, pc, syntax, NULL, buf, size, NULL);
}

/*
 * Conformance text needs labels: the suite's assembler takes labels or
 * +N, and labels survive edits.  A target gets one when it is an
 * instruction boundary in 0..n (n: just past the end).
 */
static uint8_t *find_labels(const struct isa_raw *prog, size_t n)
{
	uint8_t *labels = calloc(n + 1, 1), *second = calloc(n + 1, 1);
	struct isa_insn in;
	size_t pc;

	if (!labels || !second) {
		free(labels);
		free(second);
		return NULL;
	}
	for (pc = 0; pc < n;) {
		long t;

		if (isa_decode(prog, n, pc, &in, NULL) < 0) {
			pc++;
			continue;
		}
		t = isa_branch_target(&in, pc);
		if (t >= 0 && (size_t)t <= n)
			labels[t] = 1;
		if (in.slots == 2)
			second[pc + 1] = 1;
		pc += in.slots;
	}
	for (pc = 0; pc <= n; pc++)
		if (second[pc])
			labels[pc] = 0;
	free(second);
	return labels;
}

int isa_disasm(const struct isa_raw *prog, size_t n, enum isa_syntax syntax,
	       bool with_index, FILE *out, struct bb_err *e)
{
	uint8_t *labels = NULL;
	char buf[160];
	int ret = 0;
	size_t pc;

	if (syntax == ISA_SYNTAX_CONFORMANCE) {
		labels = find_labels(prog, n);
		if (!labels)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	for (pc = 0; pc < n;) {
		int r;

		if (labels && labels[pc])
			fprintf(out, "L%zu:\n", pc);
		/* Report the first bad slot, but print them all. */
		r = disasm_one(prog, n, pc, syntax, labels, buf, sizeof(buf), ret ? NULL : e);
		if (r < 0) {
			if (!ret)
				ret = r;
			r = 1;
		}
		if (with_index)
			fprintf(out, "%4zu: (%02x) %s\n", pc, prog[pc].code, buf);
		else
			fprintf(out, "%s\n", buf);
		pc += (size_t)r;
	}
	if (labels && labels[n])
		fprintf(out, "L%zu:\n", n);
	free(labels);
	if (!ret && ferror(out))
		ret = bb_err_insn(e, -EIO, -1, "write error");
	return ret;
}
