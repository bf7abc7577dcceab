/* SPDX-License-Identifier: MIT */
/*
 * isa/asm.c - the assembler: text in either syntax, line by line, to raw
 * instruction slots.
 *
 * Two syntaxes share one pass and may be mixed freely:
 *
 *   conformance  "mov32 %r0, 1", "ldxh %r3, [%r1+12]", "lock fetch add
 *                [%r10-8], %r1", "jeq %r1, %r2, exit": a mnemonic from
 *                the table's MNEMONIC column, then operands whose shape
 *                the row's operand format fixes (conf_shape[] below).
 *   pseudo-C     "r0 = *(u32 *)(r1 +4)", "if w1 > 5 goto +2",
 *                "lock *(u64 *)(r10 -8) += r1": the kernel verifier log /
 *                bpftool wording, with the operator or keyword taken from
 *                the table's PSEUDO column.
 *
 * A line is told apart by its first token: a register name (r0..r10,
 * w0..w10), '*', "if", "goto", "gotol" or "lock *" start pseudo-C, "call"
 * and "callx" accept both spellings, anything else is a mnemonic.  Every
 * instruction is found by walking isa_rows[]; nothing here lists opcodes.
 *
 * Immediates (documented in tests/isa/test_asm.c too):
 *   - a 32-bit immediate written in decimal must fit in s32 (the suite's
 *     own negative test rejects "mov32 %r0, 2147483648"); written in hex it
 *     may also be any 32-bit pattern up to 0xffffffff, which is how the
 *     kernel prints jump immediates ("if r1 == 0xffffffff goto pc+1");
 *   - offsets must fit in s16;
 *   - pseudo-C "rN = V" loads the 64-bit value V: a mov when V sign-extends
 *     from 32 bits, an lddw otherwise; an "ll" suffix (LLVM's spelling) or
 *     a "(18)" opcode prefix forces lddw.  The disassembler prints " ll"
 *     exactly when the value would otherwise read back as a mov.
 *
 * Line decorations accepted and ignored: a kernel / bpftool prefix
 * "  12: (07) " (the opcode in it, when present, must match the assembled
 * instruction and picks lddw over mov), comments from '#' (at the start of
 * a line or after blank space), ';' or "//" to the end of the line.  Text
 * with such opcode prefixes is taken for a verifier log: its other lines
 * (register states, "from 4 to 6:") are skipped when they do not parse.
 * Labels are "name:" and may share a line with an instruction; the first
 * "exit" is also the label "exit" unless a label of that name exists.
 */
#include "isa/isa.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct asm_label {
	const char *name;
	size_t len;
	long slot;
	int line;
};

struct asm_fixup {
	const char *name;       /* label the instruction refers to */
	size_t len;
	size_t slot;            /* the instruction */
	int line;
	bool wide;              /* target lives in imm, else in off */
	bool call;              /* "call name": may also have been a helper */
};

struct asm_ctx {
	struct bb_err *e;
	int line;
	struct bb_vec insns;    /* struct isa_raw */
	struct bb_vec labels;   /* struct asm_label */
	struct bb_vec fixups;   /* struct asm_fixup */
	long first_exit;
};

/* One instruction as parsed, before the row's discriminator is applied. */
struct asm_insn {
	int op;                 /* enum isa_op, -1 until chosen */
	uint8_t dst, src;
	int16_t off;
	int32_t imm, hi;        /* hi: second lddw slot */
	bool has_target;
	long rel;               /* numeric target, relative to pc + 1 */
	const char *label;      /* symbolic target */
	size_t label_len;
	bool call_label;
};

/* A parsed literal: sign and magnitude, so range rules can differ by use. */
struct asm_num {
	bool neg, hex;
	uint64_t mag;
	const char *text;
	int len;
};

struct cur {
	const char *p;
};

static int fail(struct asm_ctx *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct asm_ctx *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bb_err_vset(a->e, -EINVAL, -1, a->line, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_id0(char ch)
{
	return isalpha((unsigned char)ch) || ch == '_' || ch == '.';
}

static bool is_id(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '.';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static void ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* Quote the token at @p for an error message ("'%r50'" or "end of line"). */
static const char *show(const char *p, char *buf, size_t size)
{
	int n = 0;

	while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != ',' && n < 32)
		n++;
	if (!*p)
		snprintf(buf, size, "end of line");
	else
		snprintf(buf, size, "'%.*s'", n ? n : 1, p);
	return buf;
}

#define SHOW(p) show((p), (char[48]){ 0 }, 48)

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	ws(c);
	if (strncmp(c->p, s, n))
		return false;
	c->p += n;
	return true;
}

/* @s as a whole word: not followed by an identifier character. */
static bool word(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	ws(c);
	if (strncmp(c->p, s, n) || is_id(c->p[n]))
		return false;
	c->p += n;
	return true;
}

static int expect(struct asm_ctx *a, struct cur *c, const char *s)
{
	if (lit(c, s))
		return 0;
	return fail(a, "expected '%s', got %s", s, SHOW(c->p));
}

/* Identifier at the cursor: its length, 0 if none. */
static size_t ident(struct cur *c)
{
	size_t n = 0;

	ws(c);
	if (!is_id0(*c->p))
		return 0;
	while (is_id(c->p[n]))
		n++;
	return n;
}

/* ----- numbers ----- */

static bool num_ahead(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return is_digit(*p);
}

static int number(struct asm_ctx *a, struct cur *c, struct asm_num *n)
{
	const char *s;
	unsigned base = 10;
	bool any = false;

	ws(c);
	memset(n, 0, sizeof(*n));
	n->text = c->p;
	if (*c->p == '-' || *c->p == '+') {
		n->neg = *c->p == '-';
		c->p++;
		ws(c);
	}
	s = c->p;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		n->hex = true;
		s += 2;
	}
	for (;; s++) {
		unsigned d;

		if (is_digit(*s))
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (n->mag > (UINT64_MAX - d) / base)
			return fail(a, "number %s is too large", SHOW(n->text));
		n->mag = n->mag * base + d;
		any = true;
	}
	if (!any || is_id(*s))
		return fail(a, "expected a number, got %s", SHOW(n->text));
	c->p = s;
	n->len = (int)(s - n->text);
	return 0;
}

/* 32-bit immediate: decimal in s32, hex may also be a u32 bit pattern. */
static int to_imm32(struct asm_ctx *a, const struct asm_num *n, bool u32_dec,
		    int32_t *out)
{
	uint64_t max = n->hex || u32_dec ? UINT32_MAX : INT32_MAX;

	if (n->neg ? n->mag > 0x80000000ull : n->mag > max)
		return fail(a, "immediate %.*s does not fit in 32 bits (%s)",
			    n->len, n->text,
			    n->hex ? "-0x80000000..0xffffffff" :
			    u32_dec ? "-2147483648..4294967295" :
			    "-2147483648..2147483647");
	*out = (int32_t)(uint32_t)(n->neg ? 0 - n->mag : n->mag);
	return 0;
}

static int to_off16(struct asm_ctx *a, const struct asm_num *n, int16_t *out)
{
	if (n->neg ? n->mag > 32768 : n->mag > 32767)
		return fail(a, "offset %.*s does not fit in 16 bits (-32768..32767)",
			    n->len, n->text);
	*out = (int16_t)(n->neg ? -(int32_t)n->mag : (int32_t)n->mag);
	return 0;
}

static int to_imm64(struct asm_ctx *a, const struct asm_num *n, uint64_t *out)
{
	if (n->neg && n->mag > (1ull << 63))
		return fail(a, "immediate %.*s does not fit in 64 bits", n->len, n->text);
	*out = n->neg ? 0 - n->mag : n->mag;
	return 0;
}

static int imm32(struct asm_ctx *a, struct cur *c, bool u32_dec, int32_t *out)
{
	struct asm_num n;
	int ret = number(a, c, &n);

	return ret ? ret : to_imm32(a, &n, u32_dec, out);
}

static int off16(struct asm_ctx *a, struct cur *c, int16_t *out)
{
	struct asm_num n;
	int ret = number(a, c, &n);

	return ret ? ret : to_off16(a, &n, out);
}

/* ----- registers ----- */

/* "%rN" (@pct) or "rN"/"wN" at @p, with no identifier character after. */
static bool reg_ahead(const char *p, bool pct)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (pct && *p++ != '%')
		return false;
	if (*p != 'r' && (pct || *p != 'w'))
		return false;
	p++;
	if (!is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	return !is_id(*p);
}

static int reg(struct asm_ctx *a, struct cur *c, bool pct, uint8_t *r, bool *w)
{
	const char *s;
	unsigned v = 0;

	ws(c);
	s = c->p;
	if (!reg_ahead(s, pct)) {
		/* "%r" spelled without the '%', or the other way round. */
		if (reg_ahead(s, !pct))
			return fail(a, "register %s: write %s in this syntax", SHOW(s),
				    pct ? "%rN" : "rN or wN");
		return fail(a, "expected register, got %s", SHOW(s));
	}
	if (pct)
		s++;
	if (w)
		*w = *s == 'w';
	for (s++; is_digit(*s); s++)
		v = v < 1000 ? v * 10 + (unsigned)(*s - '0') : v;
	if (v > ISA_MAX_REG)
		return fail(a, "invalid register '%.*s'", (int)(s - c->p), c->p);
	*r = (uint8_t)v;
	c->p = s;
	return 0;
}

/* ----- rows ----- */

static int row_by_fmt(enum isa_fmt fmt)
{
	for (int op = 0; op < ISA_OP_COUNT; op++)
		if (isa_rows[op].fmt == fmt)
			return op;
	return -1;
}

static bool class32(uint8_t code)
{
	return ISA_CLASS(code) == ISA_CLASS_ALU || ISA_CLASS(code) == ISA_CLASS_JMP32;
}

/* Row with format @fmt and PSEUDO @ps; @w picks the 32-bit class. */
static int row_by_pseudo(enum isa_fmt fmt, const char *ps, size_t len, int w)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const struct isa_row *r = &isa_rows[op];

		if (r->fmt != fmt || strlen(r->pseudo) != len || strncmp(r->pseudo, ps, len))
			continue;
		if (w >= 0 && class32(r->code) != (bool)w)
			continue;
		return op;
	}
	return -1;
}

/* ATOMIC row by PSEUDO and access size in bytes. */
static int atomic_row(const char *ps, size_t len, unsigned size)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const struct isa_row *r = &isa_rows[op];

		if (r->fmt == ISA_FMT_ATOMIC && strlen(r->pseudo) == len &&
		    !strncmp(r->pseudo, ps, len) && isa_mem_size(r->code) == size)
			return op;
	}
	return -1;
}

static int lddw_row(unsigned src)
{
	for (int op = 0; op < ISA_OP_COUNT; op++)
		if (isa_rows[op].fmt == ISA_FMT_LDDW && isa_rows[op].dval == (int32_t)src)
			return op;
	return -1;
}

/*
 * Longest PSEUDO operator of a row in @fmts (bit per format) at the
 * cursor, e.g. "s>>=" before ">>=".  Only operators (no letters first).
 */
static size_t pseudo_op(struct cur *c, unsigned fmts, const char **op)
{
	size_t best = 0;

	ws(c);
	for (int i = 0; i < ISA_OP_COUNT; i++) {
		const struct isa_row *r = &isa_rows[i];
		size_t n = strlen(r->pseudo);

		if (!(fmts & (1u << r->fmt)) || n <= best || strncmp(c->p, r->pseudo, n))
			continue;
		/* Word-like PSEUDO entries ("fetch_add") are not operators. */
		if (is_id(r->pseudo[n - 1]))
			continue;
		best = n;
		*op = r->pseudo;
	}
	c->p += best;
	return best;
}

/* ----- operands shared by both syntaxes ----- */

/* Jump target: label, "+N"/"-N", or the kernel's "pc+N"/"pc-N". */
static int target(struct asm_ctx *a, struct cur *c, bool wide, struct asm_insn *in)
{
	struct asm_num n;
	int ret;

	ws(c);
	in->has_target = true;
	if (c->p[0] == 'p' && c->p[1] == 'c' && (c->p[2] == '+' || c->p[2] == '-'))
		c->p += 2;
	if (*c->p == '+' || *c->p == '-') {
		ret = number(a, c, &n);
		if (ret)
			return ret;
		if (n.neg ? n.mag > (wide ? 0x80000000ull : 32768) :
			    n.mag > (wide ? 0x7fffffffull : 32767))
			return fail(a, "jump offset %.*s does not fit in %s", n.len, n.text,
				    wide ? "32 bits" : "16 bits (-32768..32767)");
		in->rel = n.neg ? -(long)n.mag : (long)n.mag;
		return 0;
	}
	in->label_len = ident(c);
	if (!in->label_len)
		return fail(a, "expected a jump target (label, +N or -N), got %s", SHOW(c->p));
	in->label = c->p;
	c->p += in->label_len;
	return 0;
}

/* Optional "[key:N]" suffix of a 64-bit load form. */
static int opt_key(struct asm_ctx *a, struct cur *c, const char *key, int32_t *out)
{
	struct cur save = *c;
	int ret;

	if (!lit(c, "[") || !word(c, key) || !lit(c, ":")) {
		*c = save;
		return 0;
	}
	ret = imm32(a, c, true, out);
	return ret ? ret : expect(a, c, "]");
}

/* "[0]" of bpftool's "map[id:N][0]+OFF": a map value, not the map. */
static bool value_suffix(struct cur *c)
{
	struct cur save = *c;

	if (lit(c, "[") && lit(c, "0") && lit(c, "]"))
		return true;
	*c = save;
	return false;
}

/*
 * The ld_imm64 pseudo sources, bpftool style where it has one:
 *   map[fd:N] map[id:N] map[idx:N]       (+ "[0]+OFF" for the value forms)
 *   btf[id:N] [fd:M]   subprog[T]        (T: label, +N, -N)
 * Forms whose second slot is normally 0 take "[hi:M]" when it is not.
 */
static int ldimm_form(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	int ret, src;

	if (word(c, "map")) {
		bool idx;

		if ((ret = expect(a, c, "[")))
			return ret;
		if (word(c, "idx"))
			idx = true;
		else if (word(c, "fd") || word(c, "id"))
			idx = false;
		else
			return fail(a, "expected map[fd:N], map[id:N] or map[idx:N], got %s",
				    SHOW(c->p));
		if ((ret = expect(a, c, ":")) || (ret = imm32(a, c, true, &in->imm)) ||
		    (ret = expect(a, c, "]")))
			return ret;
		if (value_suffix(c)) {
			if ((ret = expect(a, c, "+")) || (ret = imm32(a, c, true, &in->hi)))
				return ret;
			src = idx ? ISA_PSEUDO_MAP_IDX_VALUE : ISA_PSEUDO_MAP_VALUE;
		} else {
			src = idx ? ISA_PSEUDO_MAP_IDX : ISA_PSEUDO_MAP_FD;
			if ((ret = opt_key(a, c, "hi", &in->hi)))
				return ret;
		}
	} else if (word(c, "btf")) {
		if ((ret = expect(a, c, "[")) || (ret = expect(a, c, "id")) ||
		    (ret = expect(a, c, ":")) || (ret = imm32(a, c, true, &in->imm)) ||
		    (ret = expect(a, c, "]")) || (ret = opt_key(a, c, "fd", &in->hi)))
			return ret;
		src = ISA_PSEUDO_BTF_ID;
	} else if (word(c, "subprog")) {
		if ((ret = expect(a, c, "[")) || (ret = target(a, c, true, in)) ||
		    (ret = expect(a, c, "]")) || (ret = opt_key(a, c, "hi", &in->hi)))
			return ret;
		src = ISA_PSEUDO_FUNC;
	} else {
		return fail(a, "unknown 64-bit load %s (want a number, map[...], btf[...] or subprog[...])",
			    SHOW(c->p));
	}
	in->op = lddw_row((unsigned)src);
	return 0;
}

/* ----- calls (both syntaxes) ----- */

static int parse_call(struct asm_ctx *a, struct cur *c, bool callx, struct asm_insn *in)
{
	char name[64];
	size_t n;
	int ret;

	ws(c);
	if (callx || reg_ahead(c->p, true) || reg_ahead(c->p, false)) {
		/* The suite writes callx as "call %r2"; LLVM as "callx r2". */
		in->op = row_by_fmt(ISA_FMT_CALLX);
		return reg(a, c, *c->p == '%', &in->dst, NULL);
	}
	if (word(c, "local")) {
		in->op = row_by_fmt(ISA_FMT_CALL_LOCAL);
		return target(a, c, true, in);
	}
	if (word(c, "kfunc")) {
		in->op = row_by_fmt(ISA_FMT_CALL_KFUNC);
		if ((ret = imm32(a, c, false, &in->imm)))
			return ret;
		return lit(c, ",") ? off16(a, c, &in->off) : 0;
	}
	if (c->p[0] == 'p' && c->p[1] == 'c' && (c->p[2] == '+' || c->p[2] == '-')) {
		in->op = row_by_fmt(ISA_FMT_CALL_LOCAL);
		return target(a, c, true, in);
	}
	if (lit(c, "kernel-function#")) {
		in->op = row_by_fmt(ISA_FMT_CALL_KFUNC);
		if ((ret = imm32(a, c, false, &in->imm)))
			return ret;
		if (lit(c, "[")) {
			if ((ret = expect(a, c, "fd_idx")) || (ret = expect(a, c, ":")) ||
			    (ret = off16(a, c, &in->off)))
				return ret;
			return expect(a, c, "]");
		}
		return 0;
	}
	in->op = row_by_fmt(ISA_FMT_CALL);
	if (num_ahead(c->p))
		return imm32(a, c, false, &in->imm);
	n = ident(c);
	if (!n)
		return fail(a, "expected a helper, label or register after 'call', got %s",
			    SHOW(c->p));
	snprintf(name, sizeof(name), "%.*s", (int)n, c->p);
	if (c->p[n] == '#') {
		/* Kernel spelling "bpf_map_lookup_elem#1": the number encodes. */
		int32_t known = isa_helper_id(name);
		const char *s = c->p;

		c->p += n + 1;
		if ((ret = imm32(a, c, false, &in->imm)))
			return ret;
		if (strcmp(name, "unknown") && known >= 0 && known != in->imm)
			return fail(a, "helper '%.*s' is #%d, not #%d", (int)n, s, known, in->imm);
		return 0;
	}
	in->imm = isa_helper_id(name);
	if (in->imm >= 0) {
		c->p += n;
		return 0;
	}
	/* Not a helper: a local call to a label (LLVM's "call func"). */
	in->imm = 0;
	in->op = row_by_fmt(ISA_FMT_CALL_LOCAL);
	in->call_label = true;
	return target(a, c, true, in);
}

/* ----- conformance syntax ----- */

/*
 * Operand shape of each format: d/s = dst/src register, m/M = memory
 * operand whose base is dst/src, i = imm, o = offset, t = jump target,
 * p = lddw value.  Data, not code, so a new format needs one line here.
 */
static const char *const conf_shape[ISA_FMT_COUNT] = {
	[ISA_FMT_ALU_K] = "di", [ISA_FMT_ALU_X] = "ds", [ISA_FMT_NEG] = "d",
	[ISA_FMT_END] = "d", [ISA_FMT_MOVSX] = "ds", [ISA_FMT_LDX] = "dM",
	[ISA_FMT_ST] = "mi", [ISA_FMT_STX] = "ms", [ISA_FMT_ATOMIC] = "ms",
	[ISA_FMT_LDDW] = "dp", [ISA_FMT_LDABS] = "i", [ISA_FMT_LDIND] = "si",
	[ISA_FMT_JA] = "t", [ISA_FMT_JA32] = "t", [ISA_FMT_JCC_K] = "dit",
	[ISA_FMT_JCC_X] = "dst", [ISA_FMT_CALL] = "i", [ISA_FMT_CALL_LOCAL] = "t",
	[ISA_FMT_CALL_KFUNC] = "io", [ISA_FMT_CALLX] = "d", [ISA_FMT_EXIT] = "",
};

/* Does the line start with mnemonic @m (words separated by any blanks)? */
static const char *mnemonic_at(const char *p, const char *m)
{
	/* "swap16" is the suite's older name for "bswap16". */
	if (!strncmp(m, "bswap", 5) && !strncmp(p, "swap", 4))
		m++;
	while (*m) {
		if (*m == ' ') {
			if (*p != ' ' && *p != '\t')
				return NULL;
			while (*p == ' ' || *p == '\t')
				p++;
			m++;
			continue;
		}
		if (*p++ != *m++)
			return NULL;
	}
	return is_id(*p) ? NULL : p;
}

/* Operand kinds of the rest of the line: 'r' register, 'm' memory, 'x' other. */
static int operand_kinds(const char *p, char *kinds, int max)
{
	int n = 0, depth = 0;
	bool start = true;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	for (; *p; p++) {
		if (start && *p != ' ' && *p != '\t') {
			if (n < max)
				kinds[n] = *p == '%' ? 'r' : *p == '[' ? 'm' : 'x';
			n++;
			start = false;
		}
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == ',' && !depth)
			start = true;
	}
	return start ? n + 1 : n;   /* a trailing ',' counts an empty operand */
}

static bool shape_fits(const char *shape, enum isa_fmt fmt, const char *kinds, int n)
{
	int len = (int)strlen(shape);

	if (n > len || (n < len && !(fmt == ISA_FMT_CALL_KFUNC && n == 1)))
		return false;
	for (int i = 0; i < n; i++) {
		char want = shape[i] == 'd' || shape[i] == 's' ? 'r' :
			    shape[i] == 'm' || shape[i] == 'M' ? 'm' : 'x';

		if (kinds[i] != want)
			return false;
	}
	return true;
}

/* "[%rN]", "[%rN+OFF]", "[%rN-OFF]". */
static int conf_mem(struct asm_ctx *a, struct cur *c, uint8_t *base, int16_t *off)
{
	int ret;

	if (!lit(c, "["))
		return fail(a, "expected memory operand [%%rN+offset], got %s", SHOW(c->p));
	if ((ret = reg(a, c, true, base, NULL)))
		return ret;
	ws(c);
	*off = 0;
	if (*c->p == '+' || *c->p == '-') {
		if ((ret = off16(a, c, off)))
			return ret;
	}
	if (!lit(c, "]"))
		return fail(a, "bad memory operand: expected ']', got %s", SHOW(c->p));
	return 0;
}

static int parse_conformance(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	const char *best = NULL, *end = NULL, *shape;
	char kinds[8];
	int nops, pick = -1, count_ok = -1, ret;
	size_t blen = 0;

	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const char *m = isa_rows[op].mnemonic, *e = mnemonic_at(c->p, m);

		if (e && strlen(m) > blen) {
			best = m;
			blen = strlen(m);
			end = e;
		}
	}
	if (!best) {
		size_t n = 0;

		while (c->p[n] && c->p[n] != ' ' && c->p[n] != '\t' && n < 32)
			n++;
		return fail(a, "unknown mnemonic '%.*s'", (int)n, c->p);
	}
	c->p = end;
	nops = operand_kinds(c->p, kinds, (int)sizeof(kinds));
	for (int op = 0; op < ISA_OP_COUNT && pick < 0; op++) {
		const struct isa_row *r = &isa_rows[op];

		if (strcmp(r->mnemonic, best) || (r->fmt == ISA_FMT_LDDW && r->dval))
			continue;
		if (shape_fits(conf_shape[r->fmt], r->fmt, kinds, nops))
			pick = op;
		else if (count_ok < 0 && (int)strlen(conf_shape[r->fmt]) == nops)
			count_ok = op;
	}
	if (pick < 0 && count_ok < 0) {
		for (int op = 0; op < ISA_OP_COUNT; op++)
			if (!strcmp(isa_rows[op].mnemonic, best))
				return fail(a, "wrong operand count for '%s': expected %zu, got %d",
					    best, strlen(conf_shape[isa_rows[op].fmt]), nops);
	}
	/* Shape mismatch: parse as the row with the right count for a precise error. */
	in->op = pick >= 0 ? pick : count_ok;
	shape = conf_shape[isa_rows[in->op].fmt];
	for (int i = 0; shape[i]; i++) {
		if (i && !lit(c, ",")) {
			if (isa_rows[in->op].fmt == ISA_FMT_CALL_KFUNC)
				break;
			return fail(a, "expected ',', got %s", SHOW(c->p));
		}
		switch (shape[i]) {
		case 'd':
			ret = reg(a, c, true, &in->dst, NULL);
			break;
		case 's':
			ret = reg(a, c, true, &in->src, NULL);
			break;
		case 'm':
			ret = conf_mem(a, c, &in->dst, &in->off);
			break;
		case 'M':
			ret = conf_mem(a, c, &in->src, &in->off);
			break;
		case 'i':
			ret = imm32(a, c, false, &in->imm);
			break;
		case 'o':
			ret = off16(a, c, &in->off);
			break;
		case 't':
			ret = target(a, c, isa_rows[in->op].fmt != ISA_FMT_JA &&
					       isa_rows[in->op].fmt != ISA_FMT_JCC_K &&
					       isa_rows[in->op].fmt != ISA_FMT_JCC_X, in);
			break;
		default: /* 'p' */
			if (num_ahead(c->p)) {
				struct asm_num n;
				uint64_t v = 0;

				if (!(ret = number(a, c, &n)) && !(ret = to_imm64(a, &n, &v))) {
					in->imm = (int32_t)(uint32_t)v;
					in->hi = (int32_t)(uint32_t)(v >> 32);
				}
			} else {
				ret = ldimm_form(a, c, in);
			}
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* ----- pseudo-C ----- */

/* "(SZ *)" after the '*' of a dereference or inside an atomic call. */
static int size_cast(struct asm_ctx *a, struct cur *c, char *sz, size_t size)
{
	size_t n;
	int ret;

	if ((ret = expect(a, c, "(")))
		return ret;
	n = ident(c);
	if (!n || n >= size)
		return fail(a, "expected a size like u32 or s8, got %s", SHOW(c->p));
	memcpy(sz, c->p, n);
	sz[n] = '\0';
	c->p += n;
	if ((ret = expect(a, c, "*")))
		return ret;
	return expect(a, c, ")");
}

/* "(rN +OFF)", "(rN - OFF)", "(rN)". */
static int pc_mem(struct asm_ctx *a, struct cur *c, uint8_t *base, int16_t *off)
{
	bool w = false;
	int ret;

	if (!lit(c, "("))
		return fail(a, "expected memory operand (rN +offset), got %s", SHOW(c->p));
	if ((ret = reg(a, c, false, base, &w)))
		return ret;
	if (w)
		return fail(a, "memory base must be a 64-bit register, not w%u", *base);
	ws(c);
	*off = 0;
	if ((*c->p == '+' || *c->p == '-') && (ret = off16(a, c, off)))
		return ret;
	if (!lit(c, ")"))
		return fail(a, "bad memory operand: expected ')', got %s", SHOW(c->p));
	return 0;
}

static unsigned size_bytes(const char *sz)
{
	if ((sz[0] == 'u' || sz[0] == 's') && is_digit(sz[1]))
		return (unsigned)atoi(sz + 1) / 8;
	return 0;
}

static int want_r(struct asm_ctx *a, bool w, uint8_t r, const char *what)
{
	return w ? fail(a, "%s must be r%u, not w%u", what, r, r) : 0;
}

/*
 * The kernel always prints rN around memory; LLVM with -mcpu=v3 prints wN
 * for 32-bit and narrower accesses ("*(u32 *)(r10 - 4) = w1").  Accept
 * both where the access is at most 32 bits wide.
 */
static int want_r_wide(struct asm_ctx *a, bool w, uint8_t r, unsigned size,
		       const char *what)
{
	return size <= 4 ? 0 : want_r(a, w, r, what);
}

/* "lock *(u64 *)(r10 -8) += r1" */
static int pc_lock(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	const char *op = NULL;
	char sz[8];
	bool w = false;
	size_t n;
	int ret;

	if ((ret = expect(a, c, "*")) || (ret = size_cast(a, c, sz, sizeof(sz))) ||
	    (ret = pc_mem(a, c, &in->dst, &in->off)))
		return ret;
	n = pseudo_op(c, 1u << ISA_FMT_ATOMIC, &op);
	if (!n)
		return fail(a, "expected an atomic operator like +=, got %s", SHOW(c->p));
	in->op = atomic_row(op, n, size_bytes(sz));
	if (in->op < 0)
		return fail(a, "no atomic '%s' on %s", op, sz);
	if ((ret = reg(a, c, false, &in->src, &w)))
		return ret;
	return want_r_wide(a, w, in->src, size_bytes(sz), "atomic operand");
}

/* "*(u32 *)(r10 -4) = 0" and "*(u64 *)(r10 -8) = r1" */
static int pc_store(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	char sz[8];
	bool w = false;
	int ret;

	if ((ret = size_cast(a, c, sz, sizeof(sz))) || (ret = pc_mem(a, c, &in->dst, &in->off)) ||
	    (ret = expect(a, c, "=")))
		return ret;
	if (reg_ahead(c->p, false)) {
		in->op = row_by_pseudo(ISA_FMT_STX, sz, strlen(sz), -1);
		if ((ret = reg(a, c, false, &in->src, &w)))
			return ret;
		if ((ret = want_r_wide(a, w, in->src, size_bytes(sz), "stored register")))
			return ret;
	} else {
		in->op = row_by_pseudo(ISA_FMT_ST, sz, strlen(sz), -1);
		if ((ret = imm32(a, c, false, &in->imm)))
			return ret;
	}
	if (in->op < 0)
		return fail(a, "cannot store %s", sz);
	return 0;
}

/* "if w1 > 5 goto +2", "if r1 s< r2 goto label" */
static int pc_jcc(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	const char *op = NULL;
	bool w = false, w2 = false;
	size_t n;
	int ret;

	if ((ret = reg(a, c, false, &in->dst, &w)))
		return ret;
	n = pseudo_op(c, 1u << ISA_FMT_JCC_K | 1u << ISA_FMT_JCC_X, &op);
	if (!n)
		return fail(a, "expected a comparison like == or s<, got %s", SHOW(c->p));
	if (reg_ahead(c->p, false)) {
		if ((ret = reg(a, c, false, &in->src, &w2)))
			return ret;
		if (w != w2)
			return fail(a, "comparison mixes w and r registers");
		in->op = row_by_pseudo(ISA_FMT_JCC_X, op, n, w);
	} else {
		if ((ret = imm32(a, c, false, &in->imm)))
			return ret;
		in->op = row_by_pseudo(ISA_FMT_JCC_K, op, n, w);
	}
	if (!word(c, "goto"))
		return fail(a, "expected 'goto', got %s", SHOW(c->p));
	return target(a, c, false, in);
}

/* "r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)" and friends. */
static int pc_atomic_call(struct asm_ctx *a, struct cur *c, struct asm_insn *in,
			  uint8_t lhs, bool lhs_w, size_t n)
{
	const char *name = c->p + strlen("atomic");
	bool is64 = !strncmp(name, "64_", 3), w = false;
	char sz[8];
	uint8_t r0;
	int ret;

	name += is64 ? 3 : 1;
	if (name[-1] != '_')
		return fail(a, "unknown atomic '%.*s'", (int)n, c->p);
	in->op = atomic_row(name, (size_t)(c->p + n - name), is64 ? 8 : 4);
	if (in->op < 0 || strchr(isa_rows[in->op].pseudo, '='))
		return fail(a, "unknown atomic '%.*s'", (int)n, c->p);
	c->p += n;
	if ((ret = expect(a, c, "(")) || (ret = size_cast(a, c, sz, sizeof(sz))) ||
	    (ret = pc_mem(a, c, &in->dst, &in->off)) || (ret = expect(a, c, ",")))
		return ret;
	if (size_bytes(sz) != (is64 ? 8u : 4u))
		return fail(a, "%s access does not match atomic%s", sz, is64 ? "64" : "");
	if ((ret = want_r_wide(a, lhs_w, lhs, size_bytes(sz), "atomic result")))
		return ret;
	if (!strcmp(isa_rows[in->op].pseudo, "cmpxchg")) {
		/* r0 is both the comparand and the result. */
		if ((ret = reg(a, c, false, &r0, &w)) || (ret = expect(a, c, ",")))
			return ret;
		if (r0 != 0 || lhs != 0 || w)
			return fail(a, "cmpxchg compares and returns r0");
	}
	if ((ret = reg(a, c, false, &in->src, &w)) || (ret = expect(a, c, ")")))
		return ret;
	if ((ret = want_r_wide(a, w, in->src, size_bytes(sz), "atomic operand")))
		return ret;
	if (strcmp(isa_rows[in->op].pseudo, "cmpxchg") && lhs != in->src)
		return fail(a, "atomic result goes to the source register r%u, not r%u",
			    in->src, lhs);
	return 0;
}

/* "rN = *(SZ *)(rM +OFF)" and the legacy "r0 = *(SZ *)skb[...]". */
static int pc_load(struct asm_ctx *a, struct cur *c, struct asm_insn *in, bool w)
{
	bool w2 = false;
	char sz[8];
	int ret;

	if ((ret = size_cast(a, c, sz, sizeof(sz))))
		return ret;
	if (word(c, "skb")) {
		/* Legacy packet loads always write r0. */
		if (in->dst || w)
			return fail(a, "packet loads write r0");
		if ((ret = expect(a, c, "[")))
			return ret;
		if (reg_ahead(c->p, false)) {
			struct asm_num num;
			bool neg;

			in->op = row_by_pseudo(ISA_FMT_LDIND, sz, strlen(sz), -1);
			if ((ret = reg(a, c, false, &in->src, &w2)))
				return ret;
			ws(c);
			neg = *c->p == '-';
			if (*c->p == '+' || *c->p == '-')
				c->p++;
			if ((ret = number(a, c, &num)))
				return ret;
			num.neg ^= neg;
			if ((ret = to_imm32(a, &num, false, &in->imm)))
				return ret;
		} else {
			in->op = row_by_pseudo(ISA_FMT_LDABS, sz, strlen(sz), -1);
			if ((ret = imm32(a, c, false, &in->imm)))
				return ret;
		}
		if (in->op < 0)
			return fail(a, "no packet load of %s", sz);
		return expect(a, c, "]");
	}
	in->op = row_by_pseudo(ISA_FMT_LDX, sz, strlen(sz), -1);
	if (in->op < 0)
		return fail(a, "cannot load %s", sz);
	/* Sign-extending loads fill all 64 bits. */
	ret = sz[0] == 's' ? want_r(a, w, in->dst, "sign-extending load destination") :
	      want_r_wide(a, w, in->dst, size_bytes(sz), "load destination");
	if (ret)
		return ret;
	return pc_mem(a, c, &in->src, &in->off);
}

/* Right-hand side of "rN = ...". */
static int pc_rhs(struct asm_ctx *a, struct cur *c, struct asm_insn *in, bool w, int hint)
{
	uint8_t r2;
	bool w2 = false;
	size_t n;
	int ret;

	ws(c);
	if (*c->p == '-' && reg_ahead(c->p + 1, false)) {
		c->p++;
		if ((ret = reg(a, c, false, &r2, &w2)))
			return ret;
		if (r2 != in->dst || w2 != w)
			return fail(a, "negation must name the same register on both sides");
		in->op = row_by_pseudo(ISA_FMT_NEG, "-", 1, w);
		return 0;
	}
	if (*c->p == '(') {
		const char *s = c->p, *e = strchr(s, ')');

		in->op = e ? row_by_pseudo(ISA_FMT_MOVSX, s, (size_t)(e - s + 1), w) : -1;
		if (in->op < 0)
			return fail(a, "unknown sign-extending move %s", SHOW(s));
		c->p = e + 1;
		if ((ret = reg(a, c, false, &in->src, &w2)))
			return ret;
		return w2 == w ? 0 : fail(a, "move mixes w and r registers");
	}
	if (*c->p == '*') {
		c->p++;
		return pc_load(a, c, in, w);
	}
	n = ident(c);
	if (n && !strncmp(c->p, "atomic", 6))
		return pc_atomic_call(a, c, in, in->dst, w, n);
	if (n && (in->op = row_by_pseudo(ISA_FMT_END, c->p, n, -1)) >= 0) {
		/* "r0 = be16 r0": the kernel names the register twice. */
		c->p += n;
		if ((ret = reg(a, c, false, &r2, &w2)))
			return ret;
		return r2 == in->dst ? 0 :
		       fail(a, "byte swap must name the same register on both sides");
	}
	if (n && c->p[n] == '[') {
		if ((ret = want_r(a, w, in->dst, "64-bit load destination")))
			return ret;
		return ldimm_form(a, c, in);
	}
	if (reg_ahead(c->p, false)) {
		if ((ret = reg(a, c, false, &in->src, &w2)))
			return ret;
		if (w2 != w)
			return fail(a, "move mixes w and r registers");
		in->op = row_by_pseudo(ISA_FMT_ALU_X, "=", 1, w);
		return 0;
	}
	if (num_ahead(c->p)) {
		struct asm_num num;
		uint64_t v = 0;
		int lddw = lddw_row(0);
		bool fits;

		if (w) {
			in->op = row_by_pseudo(ISA_FMT_ALU_K, "=", 1, true);
			return imm32(a, c, false, &in->imm);
		}
		if ((ret = number(a, c, &num)) || (ret = to_imm64(a, &num, &v)))
			return ret;
		fits = (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
		if (word(c, "ll") || hint == isa_rows[lddw].code || !fits) {
			in->op = lddw;
			in->imm = (int32_t)(uint32_t)v;
			in->hi = (int32_t)(uint32_t)(v >> 32);
		} else {
			in->op = row_by_pseudo(ISA_FMT_ALU_K, "=", 1, false);
			in->imm = (int32_t)v;
		}
		return 0;
	}
	return fail(a, "cannot parse the right-hand side %s", SHOW(c->p));
}

/* A line starting with a register: "rN op= X" or "rN = ...". */
static int pc_assign(struct asm_ctx *a, struct cur *c, struct asm_insn *in, int hint)
{
	const char *op = NULL;
	bool w = false, w2 = false;
	size_t n;
	int ret;

	if ((ret = reg(a, c, false, &in->dst, &w)))
		return ret;
	n = pseudo_op(c, 1u << ISA_FMT_ALU_K | 1u << ISA_FMT_ALU_X, &op);
	if (!n)
		return fail(a, "expected an assignment like = or +=, got %s", SHOW(c->p));
	if (n == 1 && *op == '=')
		return pc_rhs(a, c, in, w, hint);
	if (reg_ahead(c->p, false)) {
		if ((ret = reg(a, c, false, &in->src, &w2)))
			return ret;
		if (w2 != w)
			return fail(a, "operation mixes w and r registers");
		in->op = row_by_pseudo(ISA_FMT_ALU_X, op, n, w);
		return 0;
	}
	in->op = row_by_pseudo(ISA_FMT_ALU_K, op, n, w);
	return imm32(a, c, false, &in->imm);
}

/* goto / gotol / exit: keywords from the PSEUDO column. */
static int pc_keyword(struct asm_ctx *a, struct cur *c, struct asm_insn *in)
{
	static const enum isa_fmt fmts[] = { ISA_FMT_JA, ISA_FMT_JA32, ISA_FMT_EXIT };
	size_t n = ident(c);

	for (size_t i = 0; n && i < BB_ARRAY_SIZE(fmts); i++) {
		int op = row_by_pseudo(fmts[i], c->p, n, -1);

		if (op < 0)
			continue;
		c->p += n;
		in->op = op;
		if (fmts[i] == ISA_FMT_EXIT)
			return 0;
		return target(a, c, fmts[i] == ISA_FMT_JA32, in);
	}
	return 1;
}

/* ----- lines ----- */

static int push_slot(struct asm_ctx *a, const struct isa_raw *raw)
{
	if (!bb_vec_push(&a->insns, raw))
		return bb_err_line(a->e, -ENOMEM, a->line, "out of memory");
	return 0;
}

static int emit(struct asm_ctx *a, const struct asm_insn *in)
{
	const struct isa_row *row = &isa_rows[in->op];
	struct isa_raw raw = {
		.code = row->code, .dst = in->dst & 0xf, .src = in->src & 0xf,
		.off = in->off, .imm = in->imm,
	};
	bool wide = row->fmt != ISA_FMT_JA && row->fmt != ISA_FMT_JCC_K &&
		    row->fmt != ISA_FMT_JCC_X;
	int ret;

	switch (row->disc) {
	case ISA_DISC_OFF:
		raw.off = (int16_t)row->dval;
		break;
	case ISA_DISC_IMM:
		raw.imm = row->dval;
		break;
	case ISA_DISC_SRC:
		raw.src = (uint8_t)row->dval & 0xf;
		break;
	default:
		break;
	}
	if (in->has_target && in->label) {
		struct asm_fixup f = {
			.name = in->label, .len = in->label_len, .slot = a->insns.len,
			.line = a->line, .wide = wide, .call = in->call_label,
		};

		if (!bb_vec_push(&a->fixups, &f))
			return bb_err_line(a->e, -ENOMEM, a->line, "out of memory");
	} else if (in->has_target && wide) {
		raw.imm = (int32_t)in->rel;
	} else if (in->has_target) {
		raw.off = (int16_t)in->rel;
	}
	if (row->fmt == ISA_FMT_EXIT && a->first_exit < 0)
		a->first_exit = (long)a->insns.len;
	if ((ret = push_slot(a, &raw)))
		return ret;
	if (row->fmt == ISA_FMT_LDDW) {
		struct isa_raw hi = { .imm = in->hi };

		return push_slot(a, &hi);
	}
	return 0;
}

static int add_label(struct asm_ctx *a, const char *name, size_t len)
{
	struct asm_label l = { .name = name, .len = len, .slot = (long)a->insns.len,
			       .line = a->line };

	if (!bb_vec_push(&a->labels, &l))
		return bb_err_line(a->e, -ENOMEM, a->line, "out of memory");
	return 0;
}

/* Cut the comment off a line, in place. */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p == ';' || (*p == '/' && p[1] == '/') ||
		    (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))) {
			*p = '\0';
			return;
		}
	}
}

/* "  12: (07) " -> opcode hint 0x07; returns -1 when there is none. */
static int skip_prefix(struct cur *c)
{
	const char *p;
	int hint = -1;

	ws(c);
	p = c->p;
	if (is_digit(*p)) {
		while (is_digit(*p))
			p++;
		if (*p != ':')
			return -1;
		c->p = p + 1;
		ws(c);
	}
	p = c->p;
	if (p[0] == '(' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]) &&
	    p[3] == ')') {
		hint = (int)strtol((char[3]){ p[1], p[2], 0 }, NULL, 16);
		c->p = p + 4;
	}
	return hint;
}

/* "lock *(...": pseudo-C; "lock add [...]" is the conformance mnemonic. */
static bool lock_deref(const char *p)
{
	size_t n;

	if (strncmp(p, "lock", 4))
		return false;
	n = strspn(p + 4, " \t");
	return p[4 + n] == '*';
}

static int parse_line(struct asm_ctx *a, char *line, int *hint_out)
{
	struct asm_insn in = { .op = -1 };
	struct cur c = { line };
	int hint, ret;
	size_t n;

	strip_comment(line);
	hint = skip_prefix(&c);
	*hint_out = hint;
	/* Labels, possibly several, possibly followed by an instruction. */
	while ((n = ident(&c)) && c.p[n] == ':') {
		if ((ret = add_label(a, c.p, n)))
			return ret;
		c.p += n + 1;
	}
	ws(&c);
	if (!*c.p) {
		if (hint >= 0)
			return fail(a, "opcode prefix without an instruction");
		return 0;
	}
	if (word(&c, "callx")) {
		ret = parse_call(a, &c, true, &in);
	} else if (word(&c, "call")) {
		ret = parse_call(a, &c, false, &in);
	} else if (word(&c, "if")) {
		ret = pc_jcc(a, &c, &in);
	} else if (*c.p == '*') {
		c.p++;
		ret = pc_store(a, &c, &in);
	} else if (lock_deref(c.p)) {
		c.p += 4;
		ret = pc_lock(a, &c, &in);
	} else if (reg_ahead(c.p, false)) {
		ret = pc_assign(a, &c, &in, hint);
	} else {
		ret = pc_keyword(a, &c, &in);
		if (ret > 0)
			ret = parse_conformance(a, &c, &in);
	}
	if (ret)
		return ret;
	ws(&c);
	if (*c.p)
		return fail(a, "trailing garbage %s", SHOW(c.p));
	if (in.op < 0)
		return fail(a, "no such instruction");
	if (hint >= 0 && hint != isa_rows[in.op].code)
		return fail(a, "instruction has opcode 0x%02x, but its prefix says (%02x)",
			    isa_rows[in.op].code, hint);
	return emit(a, &in);
}

static int label_cmp(const void *pa, const void *pb)
{
	const struct asm_label *x = pa, *y = pb;
	size_t n = x->len < y->len ? x->len : y->len;
	int d = memcmp(x->name, y->name, n);

	if (d)
		return d;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static int resolve(struct asm_ctx *a)
{
	struct asm_label *labels;
	size_t nl;
	bool have_exit = false;

	labels = a->labels.data;
	for (size_t i = 0; i < a->labels.len; i++)
		if (labels[i].len == 4 && !memcmp(labels[i].name, "exit", 4))
			have_exit = true;
	if (!have_exit && a->first_exit >= 0) {
		/* The suite's implicit label: the first exit. */
		struct asm_label l = { .name = "exit", .len = 4, .slot = a->first_exit };

		if (!bb_vec_push(&a->labels, &l))
			return bb_err_line(a->e, -ENOMEM, a->line, "out of memory");
	}
	labels = a->labels.data;
	nl = a->labels.len;
	if (nl)
		qsort(labels, nl, sizeof(*labels), label_cmp);
	for (size_t i = 1; i < nl; i++) {
		if (labels[i].len == labels[i - 1].len &&
		    !memcmp(labels[i].name, labels[i - 1].name, labels[i].len)) {
			a->line = labels[i].line;
			return fail(a, "duplicate label '%.*s' (first defined on line %d)",
				    (int)labels[i].len, labels[i].name, labels[i - 1].line);
		}
	}
	for (size_t i = 0; i < a->fixups.len; i++) {
		const struct asm_fixup *f = bb_vec_at(&a->fixups, struct asm_fixup, i);
		struct asm_label key = { .name = f->name, .len = f->len, .line = INT_MIN };
		struct isa_raw *raw = bb_vec_at(&a->insns, struct isa_raw, f->slot);
		const struct asm_label *l = NULL;
		long rel;
		size_t lo = 0, hi = nl;

		/* Lower bound: line INT_MIN sorts before every definition. */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (label_cmp(&labels[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nl && labels[lo].len == f->len && !memcmp(labels[lo].name, f->name, f->len))
			l = &labels[lo];
		a->line = f->line;
		if (!l)
			return fail(a, "undefined label '%.*s'%s", (int)f->len, f->name,
				    f->call ? " (and not a known helper)" : "");
		rel = l->slot - (long)f->slot - 1;
		if (f->wide ? rel < INT32_MIN || rel > INT32_MAX : rel < INT16_MIN || rel > INT16_MAX)
			return fail(a, "jump to '%.*s' is out of range (offset %ld does not fit in %s)",
				    (int)f->len, f->name, rel, f->wide ? "32 bits" : "16 bits");
		if (f->wide)
			raw->imm = (int32_t)rel;
		else
			raw->off = (int16_t)rel;
	}
	return 0;
}

/*
 * A verifier log or bpftool dump: some line carries an "N: (xx)" opcode
 * prefix.  Then every instruction does, and a line without one that does
 * not parse is the log's own text (register states, "from 4 to 6:",
 * "processed 7 insns"), not a mistake.
 */
static bool is_log(const char *text)
{
	for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		struct cur c = { p };

		ws(&c);
		if (is_digit(*c.p) && skip_prefix(&c) >= 0)
			return true;
	}
	return false;
}

long isa_asm(const char *text, const char *file, struct isa_raw **out,
	     struct bb_err *e)
{
	struct asm_ctx a = { .e = e, .first_exit = -1 };
	char *buf, *line, *next;
	struct bb_err saved;
	size_t nlabels;
	bool log;
	int hint;
	long ret;

	*out = NULL;
	bb_err_set_file(e, file);
	bb_vec_init(&a.insns, sizeof(struct isa_raw));
	bb_vec_init(&a.labels, sizeof(struct asm_label));
	bb_vec_init(&a.fixups, sizeof(struct asm_fixup));
	/* One private copy, cut into lines in place; labels point into it. */
	buf = strdup(text);
	if (!buf)
		return bb_err_line(e, -ENOMEM, 0, "out of memory");
	log = is_log(buf);
	for (line = buf; line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		a.line++;
		if (log && e)
			saved = *e;
		nlabels = a.labels.len;
		ret = parse_line(&a, line, &hint);
		if (ret == -EINVAL && log && hint < 0) {
			/* Verifier-log chatter ("from 4 to 6: R0=..."): skip. */
			a.labels.len = nlabels;
			if (e)
				*e = saved;
			continue;
		}
		if (ret)
			goto out;
	}
	ret = resolve(&a);
	if (ret)
		goto out;
	if (!a.insns.len) {
		/* About the whole file, not a line. */
		ret = bb_err_insn(e, -EINVAL, -1, "no instructions");
		if (e)
			e->line = 0;
		goto out;
	}
	*out = a.insns.data;
	a.insns.data = NULL;
	ret = (long)a.insns.len;
out:
	bb_vec_free(&a.insns);
	bb_vec_free(&a.labels);
	bb_vec_free(&a.fixups);
	free(buf);
	return ret;
}
