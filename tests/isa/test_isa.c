/* SPDX-License-Identifier: MIT */
/* The instruction table, decoder and validator. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "tests/common/testutil.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })
#define EXIT_INSN I(0x95, 0, 0, 0, 0)

Test(isa_table, rows_are_unique_and_consistent)
{
	for (int a = 0; a < ISA_OP_COUNT; a++) {
		const struct isa_row *ra = &isa_rows[a];

		cr_assert_not_null(ra->name);
		cr_assert_not_null(ra->mnemonic);
		cr_assert_not_null(ra->pseudo);
		cr_assert_not_null(ra->semantics);
		cr_assert(ra->version >= ISA_V1 && ra->version <= ISA_V4, "%s", ra->name);
		for (int b = a + 1; b < ISA_OP_COUNT; b++) {
			const struct isa_row *rb = &isa_rows[b];

			if (ra->code != rb->code)
				continue;
			/* Same opcode: both must be told apart by the same field. */
			cr_assert(ra->disc != ISA_DISC_NONE && ra->disc == rb->disc,
				  "%s and %s share opcode 0x%02x without a discriminator",
				  ra->name, rb->name, ra->code);
			cr_assert_neq(ra->dval, rb->dval, "%s and %s", ra->name, rb->name);
		}
	}
}

Test(isa_table, every_row_looks_itself_up)
{
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const struct isa_row *r = &isa_rows[op];
		struct isa_raw raw = { .code = r->code };

		if (r->disc == ISA_DISC_OFF)
			raw.off = (int16_t)r->dval;
		else if (r->disc == ISA_DISC_IMM)
			raw.imm = r->dval;
		else if (r->disc == ISA_DISC_SRC)
			raw.src = (uint8_t)r->dval;
		cr_assert_eq(isa_lookup(&raw), op, "%s", r->name);
	}
}

Test(isa_table, covers_the_rfc_groups)
{
	int per_group[ISA_GROUP_COUNT] = { 0 };

	for (int op = 0; op < ISA_OP_COUNT; op++)
		per_group[isa_rows[op].group]++;
	for (int g = 0; g < ISA_GROUP_COUNT; g++)
		cr_assert_gt(per_group[g], 0, "group %s has no rows", isa_group_names[g]);
	/* Atomic variants per width: 4 ops x (plain, fetch) + xchg + cmpxchg = 10. */
	cr_assert_eq(per_group[ISA_GROUP_ATOMIC32], 10);
	cr_assert_eq(per_group[ISA_GROUP_ATOMIC64], 10);
	cr_assert_eq(per_group[ISA_GROUP_PACKET], 6);
}

Test(isa_helpers, names_and_ids)
{
	cr_assert_str_eq(isa_helper_name(1), "map_lookup_elem");
	cr_assert_str_eq(isa_helper_name(5), "ktime_get_ns");
	cr_assert_str_eq(isa_helper_name(211), "cgrp_storage_delete");
	cr_assert_null(isa_helper_name(212));
	cr_assert_null(isa_helper_name(-1));
	cr_assert_eq(isa_helper_id("bpf_map_lookup_elem"), 1);
	cr_assert_eq(isa_helper_id("ringbuf_output"), 130);
	cr_assert_eq(isa_helper_id("no_such_helper"), -1);
}

Test(isa_decode, lddw_joins_both_halves)
{
	struct isa_raw p[] = { I(0x18, 3, 0, 0, 0x44332211), I(0, 0, 0, 0, (int32_t)0x88776655), EXIT_INSN };
	struct isa_insn in;

	cr_assert_eq(isa_decode(p, 3, 0, &in, NULL), 2);
	cr_assert_eq(in.op, ISA_OP_LDDW);
	cr_assert_eq(in.dst, 3);
	cr_assert_eq(in.imm64, 0x8877665544332211ull);
	p[0].src = ISA_PSEUDO_MAP_VALUE;
	cr_assert_eq(isa_decode(p, 3, 0, &in, NULL), 2);
	cr_assert_eq(in.op, ISA_OP_LDDW_MAP_VALUE);
}

/* The lax decode notes a set reserved field instead of failing, with the
 * strict decode's message, and reads the field as 0. */
Test(isa_decode, lax_reports_reserved_fields)
{
	struct isa_raw p[] = { { .code = 0x87, .dst = 1, .imm = 32 }, { .code = 0x0f, .dst = 1, .src = 2 } };
	struct isa_insn in;
	struct bb_err e, rs;

	bb_err_clear(&e);
	cr_assert_eq(isa_decode(p, 2, 0, &in, &e), -EINVAL);
	cr_assert_eq(isa_decode_lax(p, 2, 0, &in, NULL, &rs), 1);
	cr_assert_eq(rs.code, -EINVAL);
	cr_assert_str_eq(rs.msg, e.msg);
	cr_assert_eq(rs.insn, 0);
	cr_assert_eq(in.imm, 0);
	cr_assert_eq(in.imm64, 0);
	cr_assert_eq(in.dst, 1);
	/* nothing reserved: the same as isa_decode(), rs left clear */
	cr_assert_eq(isa_decode_lax(p, 2, 1, &in, NULL, &rs), 1);
	cr_assert_eq(rs.code, 0);
	cr_assert_eq(in.src, 2);
}

Test(isa_decode, variants_by_field)
{
	struct isa_raw p[] = {
		I(0x3f, 1, 2, 1, 0),    /* sdiv r1, r2 */
		I(0xbf, 1, 2, 16, 0),   /* movsx16 */
		I(0xdb, 10, 1, -8, 0xf1),
		I(0x85, 0, 1, 0, 3),
		I(0xd7, 1, 0, 0, 32),
	};
	const int want[] = { ISA_OP_SDIV64_X, ISA_OP_MOVSX64_16, ISA_OP_ATOMIC64_CMPXCHG,
			     ISA_OP_CALL_LOCAL, ISA_OP_BSWAP32 };
	struct isa_insn in;

	for (size_t i = 0; i < BB_ARRAY_SIZE(p); i++) {
		cr_assert_eq(isa_decode(p, BB_ARRAY_SIZE(p), i, &in, NULL), 1);
		cr_assert_eq(in.op, want[i], "insn %zu: %s", i, isa_rows[in.op].name);
	}
}

/* Each validator error, with the message it must carry. */
struct bad_case {
	const char *what;
	struct isa_raw prog[4];
	size_t n;
	int err;
	int insn;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "unknown opcode", { I(0xff, 0, 0, 0, 0), EXIT_INSN }, 2, -EINVAL, 0, "unknown opcode 0xff" },
	{ "bad dst register", { I(0xb7, 11, 0, 0, 1), EXIT_INSN }, 2, -EINVAL, 0, "invalid dst register r11" },
	{ "bad src register", { I(0xbf, 0, 12, 0, 0), EXIT_INSN }, 2, -EINVAL, 0, "invalid src register r12" },
	{ "reserved src", { I(0x84, 0, 1, 0, 0), EXIT_INSN }, 2, -EINVAL, 0, "reserved src field is 1" },
	{ "reserved off", { I(0x07, 0, 0, 1, 0), EXIT_INSN }, 2, -EINVAL, 0, "reserved offset field is 1" },
	{ "reserved imm", { I(0x0f, 0, 1, 0, 7), EXIT_INSN }, 2, -EINVAL, 0, "reserved imm field is 7" },
	{ "reserved dst", { I(0x85, 1, 0, 0, 5), EXIT_INSN }, 2, -EINVAL, 0, "reserved dst field is 1" },
	{ "exit with imm", { I(0x95, 0, 0, 0, 1) }, 1, -EINVAL, 0, "reserved imm field is 1" },
	{ "bad sdiv offset", { I(0x3f, 0, 1, 2, 0), EXIT_INSN }, 2, -EINVAL, 0, "invalid offset 2 for opcode 0x3f" },
	{ "bad movsx32 width", { I(0xbc, 0, 1, 32, 0), EXIT_INSN }, 2, -EINVAL, 0, "invalid offset 32 for opcode 0xbc" },
	{ "bad byte-swap width", { I(0xdc, 0, 0, 0, 24), EXIT_INSN }, 2, -EINVAL, 0, "invalid imm 24 for opcode 0xdc" },
	{ "bad atomic op", { I(0xdb, 10, 1, -8, 0x10), EXIT_INSN }, 2, -EINVAL, 0, "invalid imm 16 for opcode 0xdb" },
	{ "bad lddw source", { I(0x18, 0, 7, 0, 0), I(0, 0, 0, 0, 0), EXIT_INSN }, 3, -EINVAL, 0, "invalid src 7 for opcode 0x18" },
	{ "bad call source", { I(0x85, 0, 3, 0, 0), EXIT_INSN }, 2, -EINVAL, 0, "invalid src 3 for opcode 0x85" },
	{ "lddw at the end", { EXIT_INSN, I(0x18, 0, 0, 0, 0) }, 2, -EINVAL, 1, "lddw is missing its second slot" },
	{ "broken lddw pair", { I(0x18, 0, 0, 0, 0), I(0xb7, 0, 0, 0, 0), EXIT_INSN }, 3, -EINVAL, 1, "invalid second slot of lddw" },
	{ "jump past the end", { I(0x05, 0, 0, 5, 0), EXIT_INSN }, 2, -EINVAL, 0, "jump out of range to 6" },
	{ "jump before start", { I(0x15, 1, 0, -3, 0), EXIT_INSN }, 2, -EINVAL, 0, "jump out of range to -2" },
	{ "ja32 past the end", { I(0x06, 0, 0, 0, 9), EXIT_INSN }, 2, -EINVAL, 0, "jump out of range to 10" },
	{ "call local out", { I(0x85, 0, 1, 0, 4), EXIT_INSN }, 2, -EINVAL, 0, "jump out of range to 5" },
	{ "jump into lddw", { I(0x05, 0, 0, 1, 0), I(0x18, 0, 0, 0, 0), I(0, 0, 0, 0, 0), EXIT_INSN }, 4, -EINVAL, 0, "jump into the middle of lddw at 1" },
	{ "falls off the end", { I(0xb7, 0, 0, 0, 0) }, 1, -EINVAL, 0, "last instruction can fall off the end" },
	{ "conditional at the end", { I(0x15, 0, 0, -1, 0) }, 1, -EINVAL, 0, "last instruction can fall off the end" },
	{ "empty", { EXIT_INSN }, 0, -EINVAL, -1, "empty program" },
};

Test(isa_validate, every_error_names_insn_and_reason)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct bb_err e;
		char line[512];

		bb_err_clear(&e);
		cr_assert_eq(isa_validate(c->prog, c->n, &e), c->err, "%s", c->what);
		cr_assert_eq(e.insn, c->insn, "%s: insn %d", c->what, e.insn);
		cr_assert(strstr(e.msg, c->msg), "%s: got '%s'", c->what, e.msg);
		bb_err_str(&e, line, sizeof(line));
		if (c->insn >= 0) {
			char want[32];

			snprintf(want, sizeof(want), "insn %d: ", c->insn);
			cr_assert(!strncmp(line, want, strlen(want)), "%s: '%s'", c->what, line);
		}
	}
}

Test(isa_validate, oversize_program)
{
	size_t n = ISA_MAX_INSNS + 1;
	struct isa_raw *p = calloc(n, sizeof(*p));
	struct bb_err e;

	cr_assert_not_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = EXIT_INSN;
	bb_err_clear(&e);
	cr_assert_eq(isa_validate(p, n, &e), -E2BIG);
	cr_assert(strstr(e.msg, "more than the limit"));
	free(p);
}

Test(isa_validate, all_conformance_programs)
{
	struct tu_conf *t;
	int n = tu_conf_load(&t);

	cr_assert_eq(n, 313, "reference.txt entries: %d", n);
	for (int i = 0; i < n; i++) {
		struct bb_err e;
		char buf[512];

		bb_err_clear(&e);
		cr_assert_eq(isa_validate((const struct isa_raw *)t[i].prog, t[i].prog_len / 8, &e), 0,
			     "%s: %s", t[i].name, bb_err_str(&e, buf, sizeof(buf)));
	}
	tu_conf_free(t, n);
}

/* The suite's negative/unused-*.data: raw encodings with a non-zero unused field. */
Test(isa_validate, conformance_unused_field_encodings_rejected)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;
	int seen = 0;

	snprintf(dir, sizeof(dir), "%s/negative", tu_conformance_dir());
	d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d))) {
		char path[8192], *text, *raw, *end;
		uint8_t *bytes;
		long n;

		if (strncmp(de->d_name, "unused-", 7))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		cr_assert_geq(bb_read_file(path, &text, NULL), 0);
		raw = strstr(text, "-- raw");
		cr_assert_not_null(raw, "%s", de->d_name);
		raw += 6;
		end = strstr(raw, "--");
		if (end)
			*end = '\0';
		n = bb_hex_parse(raw, &bytes, NULL);
		cr_assert_gt(n, 0, "%s", de->d_name);
		cr_assert_eq(isa_validate((const struct isa_raw *)bytes, (size_t)n / 8, NULL), -EINVAL,
			     "%s accepted", de->d_name);
		free(bytes);
		free(text);
		seen++;
	}
	closedir(d);
	cr_assert_gt(seen, 40, "only %d unused-*.data files", seen);
}
