/* SPDX-License-Identifier: MIT */
/*
 * isa/isa.c - table expansion, opcode lookup, decoding and validation.
 *
 * The validator is deliberately structural: it accepts exactly the
 * encodings RFC 9669 defines (plus legacy packet loads and the kernel's
 * ld_imm64 pseudo sources) with every reserved field zero, and control
 * flow that stays inside the program.  Type and memory safety are the
 * verifier's job; the interpreter relies on the validator only for
 * "every slot decodes and every jump lands on an instruction".
 */
#include "isa/isa.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const char *const isa_fmt_names[ISA_FMT_COUNT] = {
#define X(name, fields) [ISA_FMT_##name] = #name,
	ISA_FORMATS(X)
#undef X
};

const char *const isa_group_names[ISA_GROUP_COUNT] = {
	"base32", "base64", "atomic32", "atomic64",
	"divmul32", "divmul64", "callx", "packet",
};

/* The field a discriminator lives in counts as used. */
enum {
	DISC_FIELD_NONE = 0, DISC_FIELD_OFF = ISA_F_OFF,
	DISC_FIELD_IMM = ISA_F_IMM, DISC_FIELD_SRC = ISA_F_SRC,
};

const struct isa_row isa_rows[ISA_OP_COUNT] = {
#define X(nm, cd, dsc, dv, fm, mn, ps, grp, ver, sem)                   \
	[ISA_OP_##nm] = {                                               \
		.name = #nm, .mnemonic = mn, .pseudo = ps, .semantics = sem, \
		.dval = dv, .code = cd, .disc = ISA_DISC_##dsc,         \
		.fmt = ISA_FMT_##fm,             \
		.fields = ISA_FIELDS_##fm | DISC_FIELD_##dsc,           \
		.group = ISA_GROUP_##grp,                               \
		.version = ISA_##ver,                                   \
	},
	ISA_TABLE(X)
#undef X
};

/*
 * Rows by opcode: head[code] is the first row + 1 (0 = none) and next[]
 * chains rows sharing a code, so lookup is O(rows per code) <= 7.
 */
static uint16_t head[256];
static uint16_t next_row[ISA_OP_COUNT];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
	for (int op = ISA_OP_COUNT - 1; op >= 0; op--) {
		uint8_t code = isa_rows[op].code;

		next_row[op] = head[code];
		head[code] = (uint16_t)(op + 1);
	}
}

static int32_t disc_value(const struct isa_raw *raw, uint8_t disc)
{
	switch (disc) {
	case ISA_DISC_OFF:
		return raw->off;
	case ISA_DISC_IMM:
		return raw->imm;
	case ISA_DISC_SRC:
		return raw->src;
	default:
		return 0;
	}
}

int isa_lookup(const struct isa_raw *raw)
{
	pthread_once(&index_once, build_index);
	for (unsigned r = head[raw->code]; r; r = next_row[r - 1]) {
		const struct isa_row *row = &isa_rows[r - 1];

		if (row->disc == ISA_DISC_NONE ||
		    disc_value(raw, row->disc) == row->dval)
			return (int)(r - 1);
	}
	return -1;
}

/* Why no row matched: name the field that selects variants, if any. */
static int unknown_opcode(const struct isa_raw *raw, size_t pc, struct bb_err *e)
{
	static const char *const field[] = { "", "offset", "imm", "src" };
	unsigned r;

	pthread_once(&index_once, build_index);
	r = head[raw->code];
	if (!r)
		return bb_err_insn(e, -EINVAL, (int)pc, "unknown opcode 0x%02x",
				   raw->code);
	return bb_err_insn(e, -EINVAL, (int)pc,
			   "invalid %s %d for opcode 0x%02x (%s)",
			   field[isa_rows[r - 1].disc],
			   disc_value(raw, isa_rows[r - 1].disc), raw->code,
			   isa_rows[r - 1].mnemonic);
}

/* A reserved field that is set: an error, or with @reserved (lax decode)
 * only noted there (the first one) while decoding goes on. */
#define RESERVED(...)                                                          \
	do {                                                                   \
		if (!reserved)                                                 \
			return bb_err_insn(e, -EINVAL, (int)pc, __VA_ARGS__);  \
		if (!reserved->code)                                           \
			bb_err_insn(reserved, -EINVAL, (int)pc, __VA_ARGS__);  \
	} while (0)

static int decode(const struct isa_raw *prog, size_t n, size_t pc, struct isa_insn *out,
		  struct bb_err *e, struct bb_err *reserved)
{
	const struct isa_raw *raw;
	const struct isa_row *row;
	unsigned used;
	int op;

	if (pc >= n)
		return bb_err_insn(e, -EINVAL, (int)pc, "past the end of the program");
	raw = &prog[pc];
	op = isa_lookup(raw);
	if (op < 0)
		return unknown_opcode(raw, pc, e);
	row = &isa_rows[op];
	used = row->fields;

	/* A src field that selects a variant is not a register. */
	if (raw->dst > ISA_MAX_REG)
		return bb_err_insn(e, -EINVAL, (int)pc, "invalid dst register r%u",
				   raw->dst);
	if (row->disc != ISA_DISC_SRC && raw->src > ISA_MAX_REG)
		return bb_err_insn(e, -EINVAL, (int)pc, "invalid src register r%u",
				   raw->src);
	if (!(used & ISA_F_DST) && raw->dst)
		RESERVED("reserved dst field is %u, must be 0 (%s)", raw->dst, row->mnemonic);
	if (!(used & ISA_F_SRC) && raw->src)
		RESERVED("reserved src field is %u, must be 0 (%s)", raw->src, row->mnemonic);
	if (!(used & ISA_F_OFF) && raw->off)
		RESERVED("reserved offset field is %d, must be 0 (%s)", raw->off, row->mnemonic);
	if (!(used & ISA_F_IMM) && raw->imm)
		RESERVED("reserved imm field is %d, must be 0 (%s)", raw->imm, row->mnemonic);

	/* fields the row does not use read as 0 (set ones only in a lax decode) */
	out->op = (uint16_t)op;
	out->code = raw->code;
	out->dst = used & ISA_F_DST ? raw->dst : 0;
	out->src = used & ISA_F_SRC ? raw->src : 0;
	out->off = used & ISA_F_OFF ? raw->off : 0;
	out->imm = used & ISA_F_IMM ? raw->imm : 0;
	out->imm64 = (uint64_t)(int64_t)out->imm;
	out->slots = 1;
	if (row->fmt == ISA_FMT_LDDW) {
		const struct isa_raw *hi;

		if (pc + 1 >= n)
			return bb_err_insn(e, -EINVAL, (int)pc,
					   "lddw is missing its second slot");
		hi = &prog[pc + 1];
		if (hi->code || hi->dst || hi->src || hi->off)
			return bb_err_insn(e, -EINVAL, (int)pc + 1,
					   "invalid second slot of lddw (code 0x%02x, regs %u/%u, offset %d must all be 0)",
					   hi->code, hi->dst, hi->src, hi->off);
		out->imm64 = (uint64_t)(uint32_t)raw->imm |
			     (uint64_t)(uint32_t)hi->imm << 32;
		out->slots = 2;
	}
	return out->slots;
}

int isa_decode(const struct isa_raw *prog, size_t n, size_t pc,
	       struct isa_insn *out, struct bb_err *e)
{
	return decode(prog, n, pc, out, e, NULL);
}

int isa_decode_lax(const struct isa_raw *prog, size_t n, size_t pc, struct isa_insn *out,
		   struct bb_err *e, struct bb_err *reserved)
{
	bb_err_clear(reserved);
	return decode(prog, n, pc, out, e, reserved);
}

long isa_branch_target(const struct isa_insn *in, size_t pc)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_JA:
	case ISA_FMT_JCC_K:
	case ISA_FMT_JCC_X:
		return (long)pc + in->off + 1;
	case ISA_FMT_JA32:
	case ISA_FMT_CALL_LOCAL:
		return (long)pc + in->imm + 1;
	case ISA_FMT_LDDW:
		if (in->src == ISA_PSEUDO_FUNC)
			return (long)pc + in->imm + 1;
		return -1;
	default:
		return -1;
	}
}

bool isa_falls_through(const struct isa_insn *in)
{
	uint8_t fmt = isa_rows[in->op].fmt;

	return fmt != ISA_FMT_EXIT && fmt != ISA_FMT_JA && fmt != ISA_FMT_JA32;
}

static bool transfers_control(const struct isa_insn *in)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_JA:
	case ISA_FMT_JA32:
	case ISA_FMT_JCC_K:
	case ISA_FMT_JCC_X:
	case ISA_FMT_CALL_LOCAL:
		return true;
	case ISA_FMT_LDDW:
		return in->src == ISA_PSEUDO_FUNC;
	default:
		return false;
	}
}

int isa_validate(const struct isa_raw *prog, size_t n, struct bb_err *e)
{
	struct isa_insn in = { 0 };
	uint8_t *second;        /* second[pc]: pc is the high slot of an lddw */
	int ret = 0;
	size_t pc;

	if (!n)
		return bb_err_insn(e, -EINVAL, -1, "empty program");
	if (n > ISA_MAX_INSNS)
		return bb_err_insn(e, -E2BIG, -1,
				   "program has %zu instructions, more than the limit of %d",
				   n, ISA_MAX_INSNS);
	second = calloc(n, 1);
	if (!second)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	for (pc = 0; pc < n; pc += in.slots) {
		ret = isa_decode(prog, n, pc, &in, e);
		if (ret < 0)
			goto out;
		if (in.slots == 2)
			second[pc + 1] = 1;
	}
	for (pc = 0; pc < n; pc += in.slots) {
		long t;

		isa_decode(prog, n, pc, &in, NULL);
		if (transfers_control(&in)) {
			t = isa_branch_target(&in, pc);
			if (t < 0 || (size_t)t >= n) {
				ret = bb_err_insn(e, -EINVAL, (int)pc,
						  "jump out of range to %ld (program has %zu insns)",
						  t, n);
				goto out;
			}
			if (second[t]) {
				ret = bb_err_insn(e, -EINVAL, (int)pc,
						  "jump into the middle of lddw at %ld", t - 1);
				goto out;
			}
		}
		if (pc + in.slots >= n && isa_falls_through(&in)) {
			ret = bb_err_insn(e, -EINVAL, (int)pc,
					  "last instruction can fall off the end of the program");
			goto out;
		}
	}
	ret = 0;
out:
	free(second);
	return ret;
}

const char *isa_helper_name(int32_t id)
{
	static const char *const names[ISA_HELPER_MAX + 1] = {
#define X(hid, name) [hid] = #name,
		ISA_HELPERS(X)
#undef X
	};

	if (id < 0 || id > ISA_HELPER_MAX)
		return NULL;
	return names[id];
}

int32_t isa_helper_id(const char *name)
{
	if (!strncmp(name, "bpf_", 4))
		name += 4;
#define X(hid, hname)                      \
	if (!strcmp(name, #hname))         \
		return hid;
	ISA_HELPERS(X)
#undef X
	return -1;
}
