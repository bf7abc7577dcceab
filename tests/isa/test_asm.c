/* SPDX-License-Identifier: MIT */
/*
 * The assembler: the suite's own programs, single lines in both syntaxes,
 * and every error it reports.
 *
 * Immediate rules under test: a decimal 32-bit immediate must fit in s32
 * (the suite rejects "mov32 %r0, 2147483648"), a hex one may be any 32-bit
 * pattern; pseudo-C "rN = V" is a mov when V sign-extends from 32 bits and
 * an lddw otherwise, or always with "ll" or a "(18)" prefix.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "tests/common/testutil.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

/* The "-- asm" section of a .data file, or NULL; *has_raw if "-- raw". */
static char *asm_section(char *text, bool *has_raw)
{
	char *start = NULL, *line, *save = NULL, *out;
	size_t len = 0;

	*has_raw = strstr(text, "-- raw") != NULL;
	out = calloc(strlen(text) + 1, 1);
	cr_assert_not_null(out);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "--", 2)) {
			if (start)
				break;
			if (!strncmp(line, "-- asm", 6))
				start = line;
			continue;
		}
		if (start) {
			len += (size_t)sprintf(out + len, "%s\n", line);
		}
	}
	if (!start) {
		free(out);
		return NULL;
	}
	return out;
}

static const struct tu_conf *find_ref(const struct tu_conf *t, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

/* The suite's assembler made reference.txt; ours must make the same bytes. */
Test(isa_asm, conformance_sources_match_reference_bytes)
{
	char dir[4096];
	struct tu_conf *t;
	int n = tu_conf_load(&t), checked = 0;
	struct dirent *de;
	DIR *d;

	cr_assert_eq(n, 313);
	snprintf(dir, sizeof(dir), "%s", tu_conformance_dir());
	d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d))) {
		char path[8192], name[256], *text, *src, msg[512];
		const struct tu_conf *ref;
		struct isa_raw *prog;
		struct bb_err e;
		size_t l = strlen(de->d_name);
		bool has_raw;
		long got;

		if (l < 6 || strcmp(de->d_name + l - 5, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "%.*s", (int)(l - 5), de->d_name);
		cr_assert_geq(bb_read_file(path, &text, NULL), 0, "%s", path);
		src = asm_section(text, &has_raw);
		free(text);
		if (!src || has_raw) {
			free(src);
			continue;
		}
		ref = find_ref(t, n, name);
		cr_assert_not_null(ref, "%s not in reference.txt", name);
		bb_err_clear(&e);
		got = isa_asm(src, de->d_name, &prog, &e);
		cr_assert_gt(got, 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
		cr_assert_eq((size_t)got * 8, ref->prog_len, "%s: %ld slots, want %zu",
			     name, got, ref->prog_len / 8);
		for (long i = 0; i < got; i++)
			cr_assert(!memcmp(&prog[i], ref->prog + i * 8, 8),
				  "%s: slot %ld differs", name, i);
		free(prog);
		free(src);
		checked++;
	}
	closedir(d);
	tu_conf_free(t, n);
	cr_assert_eq(checked, 312, "checked %d programs", checked);
}

/* The suite's own assembler-error cases: every one must be rejected. */
Test(isa_asm, conformance_negative_sources_rejected)
{
	char dir[4096];
	struct dirent *de;
	int seen = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/negative", tu_conformance_dir());
	d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d))) {
		char path[8192], *text, *src;
		struct isa_raw *prog = NULL;
		struct bb_err e;
		bool has_raw;

		if (strncmp(de->d_name, "invalid_", 8))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		cr_assert_geq(bb_read_file(path, &text, NULL), 0);
		src = asm_section(text, &has_raw);
		free(text);
		if (!src)
			continue;
		bb_err_clear(&e);
		cr_assert_lt(isa_asm(src, de->d_name, &prog, &e), 0, "%s accepted", de->d_name);
		cr_assert_null(prog);
		cr_assert_eq(e.code, -EINVAL, "%s", de->d_name);
		cr_assert_str_eq(e.file, de->d_name);
		free(src);
		seen++;
	}
	closedir(d);
	cr_assert_eq(seen, 11, "%d invalid_*.data files with an asm section", seen);
}

struct line_case {
	const char *text;
	struct isa_raw want[2];
	int slots;
};

static const struct line_case lines[] = {
	/* conformance syntax */
	{ "mov %r0, 1", { I(0xb7, 0, 0, 0, 1) }, 1 },
	{ "mov32 %r0, -1", { I(0xb4, 0, 0, 0, -1) }, 1 },
	{ "mov32 %r0, 0xffffffff", { I(0xb4, 0, 0, 0, -1) }, 1 },
	{ "ldxh %r3, [%r1+12]", { I(0x69, 3, 1, 12, 0) }, 1 },
	{ "ldxdw %r0, [%r1]", { I(0x79, 0, 1, 0, 0) }, 1 },
	{ "stb [%r10-1], 0x7f", { I(0x72, 10, 0, -1, 0x7f) }, 1 },
	{ "stxdw [%r10-8], %r1", { I(0x7b, 10, 1, -8, 0) }, 1 },
	{ "lock fetch add [%r10-8], %r1", { I(0xdb, 10, 1, -8, 1) }, 1 },
	{ "lock   cmpxchg32 [%r10-8], %r1", { I(0xc3, 10, 1, -8, 0xf1) }, 1 },
	{ "lock xchg [%r10-8], %r3", { I(0xdb, 10, 3, -8, 0xe1) }, 1 },
	{ "lddw %r0, 0x8877665544332211", { I(0x18, 0, 0, 0, 0x44332211), I(0, 0, 0, 0, (int32_t)0x88776655) }, 2 },
	{ "lddw %r0, -1", { I(0x18, 0, 0, 0, -1), I(0, 0, 0, 0, -1) }, 2 },
	{ "be16 %r0", { I(0xdc, 0, 0, 0, 16) }, 1 },
	{ "le64 %r2", { I(0xd4, 2, 0, 0, 64) }, 1 },
	{ "swap32 %r0", { I(0xd7, 0, 0, 0, 32) }, 1 },
	{ "bswap64 %r0", { I(0xd7, 0, 0, 0, 64) }, 1 },
	{ "movsx832 %r0, %r1", { I(0xbc, 0, 1, 8, 0) }, 1 },
	{ "movsx3264 %r0, %r1", { I(0xbf, 0, 1, 32, 0) }, 1 },
	{ "sdiv %r1, %r2", { I(0x3f, 1, 2, 1, 0) }, 1 },
	{ "smod32 %r1, 3", { I(0x94, 1, 0, 1, 3) }, 1 },
	{ "neg %r4", { I(0x87, 4, 0, 0, 0) }, 1 },
	{ "ja +3", { I(0x05, 0, 0, 3, 0) }, 1 },
	{ "ja -1", { I(0x05, 0, 0, -1, 0) }, 1 },
	{ "ja32 +70000", { I(0x06, 0, 0, 0, 70000) }, 1 },
	{ "jeq %r1, %r2, +4", { I(0x1d, 1, 2, 4, 0) }, 1 },
	{ "jne32 %r1, 0xffffffff, -2", { I(0x56, 1, 0, -2, -1) }, 1 },
	{ "call 5", { I(0x85, 0, 0, 0, 5) }, 1 },
	{ "call local +2", { I(0x85, 0, 1, 0, 2) }, 1 },
	{ "call %r2", { I(0x8d, 2, 0, 0, 0) }, 1 },
	{ "callx %r2", { I(0x8d, 2, 0, 0, 0) }, 1 },
	{ "call kfunc 77", { I(0x85, 0, 2, 0, 77) }, 1 },
	{ "call kfunc 77, 3", { I(0x85, 0, 2, 3, 77) }, 1 },
	{ "ldabsw 12", { I(0x20, 0, 0, 0, 12) }, 1 },
	{ "ldindb %r3, -4", { I(0x50, 0, 3, 0, -4) }, 1 },
	{ "exit", { I(0x95, 0, 0, 0, 0) }, 1 },
	{ "lddw %r1, map[fd:5]", { I(0x18, 1, 1, 0, 5), I(0, 0, 0, 0, 0) }, 2 },
	/* pseudo-C, kernel and LLVM spellings */
	{ "r0 = *(u32 *)(r1 + 4)", { I(0x61, 0, 1, 4, 0) }, 1 },
	{ "r0 = *(u32 *)(r1 +4)", { I(0x61, 0, 1, 4, 0) }, 1 },
	{ "r1 = *(s8 *)(r2 +0)", { I(0x91, 1, 2, 0, 0) }, 1 },
	{ "r1 = *(s32 *)(r2)", { I(0x81, 1, 2, 0, 0) }, 1 },
	{ "*(u64 *)(r10 -8) = r1", { I(0x7b, 10, 1, -8, 0) }, 1 },
	{ "*(u32 *)(r10 - 4) = 0", { I(0x62, 10, 0, -4, 0) }, 1 },
	{ "*(u16 *)(r10 -2) = -1", { I(0x6a, 10, 0, -2, -1) }, 1 },
	{ "w1 += 5", { I(0x04, 1, 0, 0, 5) }, 1 },
	{ "r1 += r2", { I(0x0f, 1, 2, 0, 0) }, 1 },
	{ "r1 s/= r2", { I(0x3f, 1, 2, 1, 0) }, 1 },
	{ "w1 s%= 7", { I(0x94, 1, 0, 1, 7) }, 1 },
	{ "r1 s>>= 3", { I(0xc7, 1, 0, 0, 3) }, 1 },
	{ "r1 >>= 3", { I(0x77, 1, 0, 0, 3) }, 1 },
	{ "w1 <<= w2", { I(0x6c, 1, 2, 0, 0) }, 1 },
	{ "r0 = -r0", { I(0x87, 0, 0, 0, 0) }, 1 },
	{ "w0 = -w0", { I(0x84, 0, 0, 0, 0) }, 1 },
	{ "r0 = be16 r0", { I(0xdc, 0, 0, 0, 16) }, 1 },
	{ "r0 = le32 r0", { I(0xd4, 0, 0, 0, 32) }, 1 },
	{ "r0 = bswap64 r0", { I(0xd7, 0, 0, 0, 64) }, 1 },
	{ "r1 = (s8)r2", { I(0xbf, 1, 2, 8, 0) }, 1 },
	{ "w1 = (s16)w2", { I(0xbc, 1, 2, 16, 0) }, 1 },
	{ "r1 = (s32)r2", { I(0xbf, 1, 2, 32, 0) }, 1 },
	{ "r1 = r10", { I(0xbf, 1, 10, 0, 0) }, 1 },
	{ "w1 = w2", { I(0xbc, 1, 2, 0, 0) }, 1 },
	{ "r1 = -5", { I(0xb7, 1, 0, 0, -5) }, 1 },
	{ "w1 = 0xffffffff", { I(0xb4, 1, 0, 0, -1) }, 1 },
	{ "r1 = 0x1234 ll", { I(0x18, 1, 0, 0, 0x1234), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = 0xffffffff", { I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = 0x100000000", { I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 1) }, 2 },
	{ "r1 = 0xffffffffffffffff", { I(0xb7, 1, 0, 0, -1) }, 1 },
	{ "r1 = -2147483649", { I(0x18, 1, 0, 0, 0x7fffffff), I(0, 0, 0, 0, -1) }, 2 },
	{ "r1 = map[id:5]", { I(0x18, 1, 1, 0, 5), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = map[fd:5][0]+16", { I(0x18, 1, 2, 0, 5), I(0, 0, 0, 0, 16) }, 2 },
	{ "r1 = btf[id:9][fd:3]", { I(0x18, 1, 3, 0, 9), I(0, 0, 0, 0, 3) }, 2 },
	{ "r1 = subprog[-1]", { I(0x18, 1, 4, 0, -1), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = map[idx:2]", { I(0x18, 1, 5, 0, 2), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = map[idx:2][0]+8", { I(0x18, 1, 6, 0, 2), I(0, 0, 0, 0, 8) }, 2 },
	{ "r1 = map[fd:4][hi:7]", { I(0x18, 1, 1, 0, 4), I(0, 0, 0, 0, 7) }, 2 },
	{ "if w1 > 5 goto +2", { I(0x26, 1, 0, 2, 5) }, 1 },
	{ "if r1 == 0x0 goto pc+1", { I(0x15, 1, 0, 1, 0) }, 1 },
	{ "if r1 == 0xffffffff goto pc-1", { I(0x15, 1, 0, -1, -1) }, 1 },
	{ "if r1 s< r2 goto pc+7", { I(0xcd, 1, 2, 7, 0) }, 1 },
	{ "if w3 s>= w4 goto +0", { I(0x7e, 3, 4, 0, 0) }, 1 },
	{ "if r1 & 0x8 goto pc+1", { I(0x45, 1, 0, 1, 8) }, 1 },
	{ "goto +3", { I(0x05, 0, 0, 3, 0) }, 1 },
	{ "goto pc-2", { I(0x05, 0, 0, -2, 0) }, 1 },
	{ "gotol +5", { I(0x06, 0, 0, 0, 5) }, 1 },
	{ "call bpf_map_lookup_elem", { I(0x85, 0, 0, 0, 1) }, 1 },
	{ "call map_lookup_elem#1", { I(0x85, 0, 0, 0, 1) }, 1 },
	{ "call bpf_ktime_get_ns#5", { I(0x85, 0, 0, 0, 5) }, 1 },
	{ "call unknown#999", { I(0x85, 0, 0, 0, 999) }, 1 },
	{ "call pc+3", { I(0x85, 0, 1, 0, 3) }, 1 },
	{ "call kernel-function#1234", { I(0x85, 0, 2, 0, 1234) }, 1 },
	{ "call kernel-function#1234[fd_idx:1]", { I(0x85, 0, 2, 1, 1234) }, 1 },
	{ "callx r2", { I(0x8d, 2, 0, 0, 0) }, 1 },
	{ "lock *(u64 *)(r10 - 8) += r1", { I(0xdb, 10, 1, -8, 0) }, 1 },
	{ "lock *(u32 *)(r10 -8) |= r1", { I(0xc3, 10, 1, -8, 0x40) }, 1 },
	{ "lock *(u64 *)(r10 -8) ^= r2", { I(0xdb, 10, 2, -8, 0xa0) }, 1 },
	{ "r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)", { I(0xdb, 10, 1, -8, 1) }, 1 },
	{ "r1 = atomic_fetch_xor((u32 *)(r10 -8), r1)", { I(0xc3, 10, 1, -8, 0xa1) }, 1 },
	{ "r3 = atomic64_xchg((u64 *)(r10 -8), r3)", { I(0xdb, 10, 3, -8, 0xe1) }, 1 },
	{ "r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)", { I(0xdb, 10, 1, -8, 0xf1) }, 1 },
	{ "r0 = atomic_cmpxchg((u32 *)(r2 +4), r0, r5)", { I(0xc3, 2, 5, 4, 0xf1) }, 1 },
	/* LLVM -mcpu=v3 names 32-bit registers around narrow accesses. */
	{ "*(u32 *)(r10 - 4) = w1", { I(0x63, 10, 1, -4, 0) }, 1 },
	{ "w1 = *(u16 *)(r2 + 2)", { I(0x69, 1, 2, 2, 0) }, 1 },
	{ "lock *(u32 *)(r10 -8) |= w1", { I(0xc3, 10, 1, -8, 0x40) }, 1 },
	{ "w1 = atomic_fetch_xor((u32 *)(r10 -8), w1)", { I(0xc3, 10, 1, -8, 0xa1) }, 1 },
	{ "r0 = *(u32 *)skb[12]", { I(0x20, 0, 0, 0, 12) }, 1 },
	{ "r0 = *(u16 *)skb[r1 + 4]", { I(0x48, 0, 1, 0, 4) }, 1 },
	{ "r0 = *(u8 *)skb[r1 + -4]", { I(0x50, 0, 1, 0, -4) }, 1 },
	{ "r0 = *(u8 *)skb[r1 - 4]", { I(0x50, 0, 1, 0, -4) }, 1 },
	{ "exit", { I(0x95, 0, 0, 0, 0) }, 1 },
	/* kernel log / bpftool prefixes, comments */
	{ "12: (07) r1 += 4", { I(0x07, 1, 0, 0, 4) }, 1 },
	{ "   3: (b7) r0 = 0 ; R0_w=0", { I(0xb7, 0, 0, 0, 0) }, 1 },
	{ "  7: (18) r1 = 0x0", { I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0) }, 2 },
	{ "r1 = 1 // LLVM comment", { I(0xb7, 1, 0, 0, 1) }, 1 },
	{ "mov %r1, 1 # suite comment", { I(0xb7, 1, 0, 0, 1) }, 1 },
	{ "(95) exit", { I(0x95, 0, 0, 0, 0) }, 1 },
};

Test(isa_asm, single_lines_both_syntaxes)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(lines); i++) {
		const struct line_case *c = &lines[i];
		struct isa_raw *p;
		struct bb_err e;
		char msg[512];
		long n;

		bb_err_clear(&e);
		n = isa_asm(c->text, "t.s", &p, &e);
		cr_assert_eq(n, c->slots, "'%s': %ld (%s)", c->text, n, bb_err_str(&e, msg, sizeof(msg)));
		for (int s = 0; s < c->slots; s++)
			cr_assert(!memcmp(&p[s], &c->want[s], 8),
				  "'%s' slot %d: code %02x dst %u src %u off %d imm %d", c->text, s,
				  p[s].code, p[s].dst, p[s].src, p[s].off, p[s].imm);
		free(p);
	}
}

Test(isa_asm, labels_and_mixed_syntax)
{
	const char *src =
		"# both syntaxes in one file\n"
		"start:\n"
		"  mov %r0, 0\n"
		"  if r0 == 0 goto skip\n"
		"  ja start\n"
		"skip: r1 = 0x1122334455667788\n"
		"  call local func1\n"
		"  call func1\n"
		"  r2 = subprog[func1]\n"
		"  jeq %r0, 1, exit\n"
		"  exit\n"
		"func1:\n"
		"  gotol +0\n"
		"  exit\n";
	const struct isa_raw want[] = {
		I(0xb7, 0, 0, 0, 0), I(0x15, 0, 0, 1, 0), I(0x05, 0, 0, -3, 0),
		I(0x18, 1, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344),
		I(0x85, 0, 1, 0, 5), I(0x85, 0, 1, 0, 4), I(0x18, 2, 4, 0, 3), I(0, 0, 0, 0, 0),
		I(0x1d - 0x08, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0), I(0x06, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
	};
	struct isa_raw *p;
	struct bb_err e;
	char msg[512];
	long n;

	bb_err_clear(&e);
	n = isa_asm(src, "mix.s", &p, &e);
	cr_assert_eq(n, (long)BB_ARRAY_SIZE(want), "%ld: %s", n, bb_err_str(&e, msg, sizeof(msg)));
	for (long i = 0; i < n; i++)
		cr_assert(!memcmp(&p[i], &want[i], 8), "slot %ld: %02x off %d imm %d", i,
			  p[i].code, p[i].off, p[i].imm);
	free(p);
}

Test(isa_asm, explicit_exit_label_wins)
{
	struct isa_raw *p;
	long n = isa_asm("ja exit\nexit\nexit:\nexit\n", "t.s", &p, NULL);

	cr_assert_eq(n, 3);
	cr_assert_eq(p[0].off, 1);
	free(p);
}

struct err_case {
	const char *text;
	int line;
	const char *msg;
};

static const struct err_case errors[] = {
	{ "mvo %r0, 1\nexit", 1, "unknown mnemonic 'mvo'" },
	{ "exit\nldxq %r0, %r1", 2, "unknown mnemonic 'ldxq'" },
	{ "or %r0, %r50\nexit", 1, "invalid register '%r50'" },
	{ "mov %r11, 1", 1, "invalid register '%r11'" },
	{ "r11 = 1", 1, "invalid register 'r11'" },
	{ "mov r1, 1", 1, "write %rN in this syntax" },
	{ "mov %r1, x1", 1, "expected a number, got 'x1'" },
	{ "mov %r1, %x", 1, "expected register, got '%x'" },
	{ "lddw %r0", 1, "wrong operand count for 'lddw': expected 2, got 1" },
	{ "exit %r0", 1, "trailing garbage '%r0'" },
	{ "lock or [%r10-8]", 1, "wrong operand count for 'lock or'" },
	{ "lock", 1, "unknown mnemonic 'lock'" },
	{ "mov32 %r0, 2147483648", 1, "does not fit in 32 bits" },
	{ "mov32 %r0, 0x100000000", 1, "does not fit in 32 bits" },
	{ "mov %r0, -2147483649", 1, "does not fit in 32 bits" },
	{ "if r1 > 4294967296 goto +1", 1, "does not fit in 32 bits" },
	{ "lddw %r0, 0x10000000000000000", 1, "too large" },
	{ "ldxb %r0, [%r1+0x10000]", 1, "offset +0x10000 does not fit in 16 bits" },
	{ "ldxb %r0, [%r1-32769]", 1, "does not fit in 16 bits" },
	{ "ja +32768", 1, "jump offset +32768 does not fit" },
	{ "ldxb %r0, %r1", 1, "expected memory operand" },
	{ "ldxb %r0, [%r1+2", 1, "bad memory operand" },
	{ "r0 = *(u32 *)(r1 + 2", 1, "bad memory operand" },
	{ "r0 = *(u32 *)r1", 1, "expected memory operand" },
	{ "ja NOT_A_LABEL\nexit", 1, "undefined label 'NOT_A_LABEL'" },
	{ "exit\ncall nosuchfunc", 2, "undefined label 'nosuchfunc' (and not a known helper)" },
	{ "a:\nexit\na: exit", 3, "duplicate label 'a' (first defined on line 1)" },
	{ "ja far\n" , 1, "undefined label 'far'" },
	{ "mov %r0, 1 extra", 1, "trailing garbage 'extra'" },
	{ "r0 = 1 2", 1, "trailing garbage '2'" },
	{ "exit exit", 1, "trailing garbage 'exit'" },
	{ "", 0, "no instructions" },
	{ "# only a comment\n", 0, "no instructions" },
	{ "w1 += r2", 1, "mixes w and r" },
	{ "if w1 > r2 goto +1", 1, "mixes w and r" },
	{ "if r1 > 2 +1", 1, "expected 'goto'" },
	{ "if r1 ~ 2 goto +1", 1, "expected a comparison" },
	{ "r1 ?= 2", 1, "expected an assignment" },
	{ "r0 = be16 r1", 1, "same register" },
	{ "r0 = -r1", 1, "same register" },
	{ "r0 = (s4)r1", 1, "unknown sign-extending move" },
	{ "r0 = *(u24 *)(r1 +0)", 1, "cannot load u24" },
	{ "*(s8 *)(r1 +0) = 1", 1, "cannot store s8" },
	{ "lock *(u16 *)(r1 +0) += r2", 1, "no atomic '+=' on u16" },
	{ "lock *(u64 *)(r1 +0) -= r2", 1, "expected an atomic operator" },
	{ "r2 = atomic64_fetch_add((u64 *)(r10 -8), r1)", 1, "source register r1, not r2" },
	{ "r1 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)", 1, "cmpxchg compares and returns r0" },
	{ "r1 = atomic_fetch_add((u64 *)(r10 -8), r1)", 1, "does not match atomic" },
	{ "r1 = atomic64_fetch_sub((u64 *)(r10 -8), r1)", 1, "unknown atomic" },
	{ "r1 = *(u32 *)skb[4]", 1, "packet loads write r0" },
	{ "call bpf_map_lookup_elem#2", 1, "helper 'bpf_map_lookup_elem' is #1, not #2" },
	{ "call", 1, "expected a helper, label or register" },
	{ "r1 = map[xx:1]", 1, "expected map[fd:N]" },
	{ "r1 = thing[1]", 1, "unknown 64-bit load" },
	{ "w1 = map[fd:1]", 1, "must be r1, not w1" },
	{ "goto", 1, "expected a jump target" },
	{ "12: (b7) r1 += 1", 1, "prefix says (b7)" },
	{ "12: (b7)", 1, "opcode prefix without an instruction" },
	{ "r0 = *(u32 *)(w1 +0)", 1, "64-bit register" },
	{ "*(u64 *)(r10 -8) = w1", 1, "stored register must be r1, not w1" },
	{ "w1 = *(s16 *)(r2 +0)", 1, "sign-extending load destination must be r1" },
	{ "lock *(u64 *)(r10 -8) += w1", 1, "atomic operand must be r1" },
	{ "w1 = atomic64_xchg((u64 *)(r10 -8), r1)", 1, "atomic result must be r1" },
	{ "r0 = ", 1, "cannot parse the right-hand side" },
	{ "jeq %r1, 1, +1,", 1, "wrong operand count" },
};

Test(isa_asm, every_error_has_file_line_and_reason)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(errors); i++) {
		const struct err_case *c = &errors[i];
		struct isa_raw *p = (struct isa_raw *)&p;
		struct bb_err e;
		char line[512], want[64];

		bb_err_clear(&e);
		cr_assert_eq(isa_asm(c->text, "prog.s", &p, &e), -EINVAL, "'%s' accepted", c->text);
		cr_assert_null(p);
		cr_assert_eq(e.line, c->line, "'%s': line %d", c->text, e.line);
		cr_expect(strstr(e.msg, c->msg), "'%s': got '%s'", c->text, e.msg);
		bb_err_str(&e, line, sizeof(line));
		if (c->line)
			snprintf(want, sizeof(want), "prog.s:%d: ", c->line);
		else
			snprintf(want, sizeof(want), "prog.s: ");
		cr_assert(!strncmp(line, want, strlen(want)), "'%s'", line);
	}
}

Test(isa_asm, error_string_format)
{
	struct isa_raw *p;
	struct bb_err e;
	char line[256];

	bb_err_clear(&e);
	cr_assert_eq(isa_asm("exit\n\n\n\n\n\n\n\n\n\n\nmvo %r0, 1\n", "prog.s", &p, &e), -EINVAL);
	cr_assert_str_eq(bb_err_str(&e, line, sizeof(line)), "prog.s:12: unknown mnemonic 'mvo'");
}

/* A label reached over more than 32767 slots cannot be a 16-bit jump. */
Test(isa_asm, label_jump_out_of_int16_range)
{
	size_t n = 40000, len = 0;
	char *src = malloc(n * 5 + 64);
	struct isa_raw *p;
	struct bb_err e;

	cr_assert_not_null(src);
	len += (size_t)sprintf(src, "ja far\ngotol far\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(src + len, "exit\n");
	sprintf(src + len, "far: exit\n");
	bb_err_clear(&e);
	cr_assert_eq(isa_asm(src, "big.s", &p, &e), -EINVAL);
	cr_assert_eq(e.line, 1);
	cr_assert(strstr(e.msg, "jump to 'far' is out of range (offset 40001"), "%s", e.msg);
	/* The 32-bit gotol alone reaches it. */
	src[0] = '#';
	cr_assert_eq(isa_asm(src, "big.s", &p, NULL), (long)n + 2);
	cr_assert_eq(p[0].imm, (int32_t)n);
	free(p);
	free(src);
}

/* Verifier logs and bpftool dumps paste straight in. */
Test(isa_asm, verifier_log_pastes_in)
{
	const char *log =
		"func#0 @0\n"
		"0: R1=ctx() R10=fp0\n"
		"; int x = 0; @ t.c:5\n"
		"0: (b7) r0 = 0                        ; R0_w=0\n"
		"1: (18) r1 = 0xffff888100000000\n"
		"3: (85) call bpf_map_lookup_elem#1  ; R0=map_value_or_null(id=1)\n"
		"4: (15) if r0 == 0x0 goto pc+1\n"
		"from 4 to 6: R0=0 R10=fp0\n"
		"5: (95) exit\n"
		"6: (95) exit\n"
		"processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0\n";
	const struct isa_raw want[] = {
		I(0xb7, 0, 0, 0, 0), I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, (int32_t)0xffff8881),
		I(0x85, 0, 0, 0, 1), I(0x15, 0, 0, 1, 0), I(0x95, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
	};
	struct isa_raw *p;
	struct bb_err e;
	char msg[256];
	long n;

	bb_err_clear(&e);
	n = isa_asm(log, "verifier.log", &p, &e);
	cr_assert_eq(n, 7, "%ld: %s", n, bb_err_str(&e, msg, sizeof(msg)));
	cr_assert(!memcmp(p, want, sizeof(want)));
	free(p);
	/* A broken instruction line is still an error in a log. */
	bb_err_clear(&e);
	cr_assert_eq(isa_asm("0: (b7) r0 = 0\n1: (95) exti\n", "v.log", &p, &e), -EINVAL);
	cr_assert_eq(e.line, 2);
	/* Without "(xx)" prefixes nothing is skipped. */
	cr_assert_eq(isa_asm("r0 = 0\nfrom 4 to 6: R0=0\nexit\n", "v.s", &p, &e), -EINVAL);
	cr_assert_eq(e.line, 2);
}
