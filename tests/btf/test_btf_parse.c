/* SPDX-License-Identifier: MIT */
/* Parsing and validation: vmlinux facts, every validation error, the
 * builder, lookup and split BTF. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/btf/btf_test.h"

/* Expect @b to be rejected with a message containing @want. */
#define EXPECT_INVALID(b, want)                                                         \
	do {                                                                            \
		struct bb_err e_;                                                       \
		int r_ = bt_reparse((b), &e_);                                          \
		cr_assert_eq(r_, -EINVAL, "accepted; wanted '%s'", (want));             \
		cr_assert(strstr(e_.msg, (want)), "message '%s' lacks '%s'", e_.msg, (want)); \
	} while (0)

#define EXPECT_VALID(b)                                                                 \
	do {                                                                            \
		struct bb_err e_;                                                       \
		int r_ = bt_reparse((b), &e_);                                          \
		cr_assert_eq(r_, 0, "rejected: %s", e_.msg);                             \
	} while (0)

/* Parse raw bytes and expect @want in the error. */
static void expect_raw_invalid(const uint8_t *raw, size_t size, const char *want)
{
	struct bbtf *out = NULL;
	struct bb_err e;
	int r;

	bb_err_clear(&e);
	r = bbtf_parse(raw, size, NULL, &out, &e);
	cr_assert_eq(r, -EINVAL, "accepted; wanted '%s'", want);
	cr_assert_null(out);
	cr_assert(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
}

/* ---------------------------------------------------------------- */
/* vmlinux                                                           */
/* ---------------------------------------------------------------- */

static struct bbtf *vmlinux(void)
{
	struct bbtf *b = NULL;
	struct bb_err e;
	char line[512];

	bb_err_clear(&e);
	if (access(VMLINUX_PATH, R_OK))
		cr_skip_test("%s not readable: kernel without BTF", VMLINUX_PATH);
	cr_assert_eq(bbtf_load_vmlinux(NULL, &b, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	return b;
}

static uint32_t member_off(const struct bbtf *b, int id, const char *name)
{
	const struct btf_type *t = bbtf_type_by_id(b, (uint32_t)id);

	for (int i = 0; i < bbtf_vlen(t); i++)
		if (!strcmp(bbtf_name(b, bbtf_members(t)[i].name_off), name))
			return bbtf_member_bit_offset(t, i);
	cr_assert_fail("no member '%s' in [%d]", name, id);
	return 0;
}

Test(btf_vmlinux, known_facts)
{
	struct timespec t0, t1;
	struct bbtf *b;
	int ts, skb, xdp, u64;
	struct bbtf_stats st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	b = vmlinux();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_log_info("vmlinux: %u types parsed, validated and indexed in %.1f ms",
		    bbtf_type_cnt(b) - 1,
		    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	cr_assert_gt(bbtf_type_cnt(b), 100000);
	bbtf_stats(b, &st);
	cr_assert_gt(st.kinds[BTF_KIND_STRUCT], 1000);
	cr_assert_gt(st.kinds[BTF_KIND_FUNC], 1000);
	cr_assert_gt(st.str_len, 100000);

	ts = bbtf_find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT);
	cr_assert_gt(ts, 0);
	cr_assert_str_eq(bbtf_type_name(b, (uint32_t)ts), "task_struct");
	cr_assert_gt(bbtf_resolve_size(b, (uint32_t)ts), 1000);
	cr_assert_lt(member_off(b, ts, "pid") / 8, bbtf_resolve_size(b, (uint32_t)ts));
	cr_assert_eq(member_off(b, ts, "pid") % 32, 0);
	cr_assert_eq(bbtf_align(b, (uint32_t)ts), 8);

	xdp = bbtf_find_by_name_kind(b, "xdp_md", BTF_KIND_STRUCT);
	cr_assert_gt(xdp, 0);
	cr_assert_eq(member_off(b, xdp, "data"), 0);
	cr_assert_eq(member_off(b, xdp, "data_end"), 32);
	cr_assert_eq(bbtf_resolve_size(b, (uint32_t)xdp), 24);

	skb = bbtf_find_by_name_kind(b, "sk_buff", BTF_KIND_STRUCT);
	cr_assert_gt(skb, 0);
	cr_assert_gt(member_off(b, skb, "len"), 0);

	u64 = bbtf_find_by_name_kind(b, "u64", BTF_KIND_TYPEDEF);
	cr_assert_gt(u64, 0);
	cr_assert_eq(bbtf_resolve_size(b, (uint32_t)u64), 8);
	cr_assert_eq(bbtf_kind(bbtf_type_by_id(b, (uint32_t)bbtf_skip_mods(b, (uint32_t)u64))),
		     BTF_KIND_INT);

	/* Any kind, and "not found". */
	cr_assert_eq(bbtf_find_by_name_kind(b, "task_struct", -1), ts);
	cr_assert_eq(bbtf_find_by_name_kind(b, "task_struct", BTF_KIND_TYPEDEF), -ENOENT);
	cr_assert_eq(bbtf_find_by_name_kind(b, "no_such_type_anywhere", -1), -ENOENT);
	cr_assert_eq(bbtf_find_next(b, "task_struct", BTF_KIND_STRUCT, (uint32_t)ts), -ENOENT);
	cr_assert_not_null(bbtf_type_by_id(b, 0));
	cr_assert_null(bbtf_type_by_id(b, bbtf_type_cnt(b)));
	bbtf_free(b);
}

Test(btf_vmlinux, raw_bytes_round_trip)
{
	struct bbtf *b = vmlinux(), *again = NULL;
	size_t size;
	char *file;
	const void *raw = bbtf_raw_data(b, &size);
	long n = bb_read_file(VMLINUX_PATH, &file, NULL);

	cr_assert_not_null(raw);
	cr_assert_eq((long)size, n);
	cr_assert(!memcmp(raw, file, size), "raw bytes differ from the file");
	cr_assert_eq(bbtf_parse(raw, size, NULL, &again, NULL), 0);
	cr_assert_eq(bbtf_type_cnt(again), bbtf_type_cnt(b));
	free(file);
	bbtf_free(again);
	bbtf_free(b);
}

Test(btf_vmlinux, split_btf_continues_ids)
{
	struct bbtf *base = vmlinux(), *split = NULL, *parsed = NULL;
	int lint = bbtf_find_by_name_kind(base, "long int", BTF_KIND_INT), s, p;
	uint32_t n = bbtf_type_cnt(base);
	struct bb_err e;
	const void *raw;
	size_t size;

	cr_assert_gt(lint, 0);
	cr_assert_eq(bbtf_new(base, &split), 0);
	s = bbtf_add_struct(split, "my_mod_state", 16);
	cr_assert_eq(s, (int)n);
	cr_assert_eq(bbtf_add_member(split, "counter", (uint32_t)lint, 0, 0), 0);
	p = bbtf_add_ptr(split, (uint32_t)bbtf_find_by_name_kind(base, "task_struct", BTF_KIND_STRUCT));
	cr_assert_eq(bbtf_add_member(split, "owner", 0, 64, 0), -EINVAL);   /* not after the struct */
	cr_assert_eq(p, (int)n + 1);
	raw = bbtf_raw_data(split, &size);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_parse(raw, size, base, &parsed, &e), 0, "%s", e.msg);
	cr_assert_eq(bbtf_start_id(parsed), n);
	cr_assert_eq(bbtf_find_by_name_kind(parsed, "my_mod_state", BTF_KIND_STRUCT), (int)n);
	/* Base types are visible through the split object. */
	cr_assert_gt(bbtf_find_by_name_kind(parsed, "task_struct", BTF_KIND_STRUCT), 0);
	cr_assert_str_eq(bbtf_type_name(parsed, (uint32_t)lint), "long int");
	cr_assert_str_eq(bbtf_name(parsed, bbtf_type_by_id(parsed, n)->name_off), "my_mod_state");
	/* Without the base the ids dangle. */
	bbtf_free(parsed);
	parsed = NULL;
	cr_assert_eq(bbtf_parse(raw, size, NULL, &parsed, &e), -EINVAL);
	bbtf_free(split);
	bbtf_free(base);
}

Test(btf_vmlinux, cli_show_and_raw)
{
	const char *cli = getenv("BAREBPF_CLI");
	char cmd[512], log[4096];

	if (!cli || access(cli, X_OK))
		cr_skip_test("BAREBPF_CLI not set (run through make check)");
	if (access(VMLINUX_PATH, R_OK))
		cr_skip_test("no %s", VMLINUX_PATH);
	snprintf(cmd, sizeof(cmd), "%s btf show %s 2>&1", cli, VMLINUX_PATH);
	if (bt_run(cmd, log, sizeof(log)) && strstr(log, "unknown command"))
		cr_skip_test("btf subcommand not wired into this CLI yet");
	cr_assert(strstr(log, "STRUCT"), "%s", log);
	snprintf(cmd, sizeof(cmd), "%s btf dump /etc/hostname 2>&1", cli);
	cr_assert_neq(bt_run(cmd, log, sizeof(log)), 0);
	cr_assert(strstr(log, "bad BTF magic") || strstr(log, "shorter"), "%s", log);
}

/* ---------------------------------------------------------------- */
/* Header and sections, from hand-edited raw bytes                   */
/* ---------------------------------------------------------------- */

struct hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

static uint8_t *small_raw(size_t *size)
{
	struct bbtf *b = bt_new_int();
	uint8_t *raw;

	bbtf_add_ptr(b, 1);
	raw = bt_raw_copy(b, size);
	bbtf_free(b);
	return raw;
}

Test(btf_header, truncated)
{
	size_t size;
	uint8_t *raw = small_raw(&size);

	expect_raw_invalid(raw, 10, "shorter than its 24-byte header");
	expect_raw_invalid(raw, size - 1, "string section");
	expect_raw_invalid(NULL, 0, "shorter");
	free(raw);
}

Test(btf_header, bad_fields)
{
	size_t size;
	uint8_t *raw = small_raw(&size);
	struct hdr *h = (struct hdr *)raw;
	struct hdr save = *h;

	h->magic = 0x1234;
	expect_raw_invalid(raw, size, "bad BTF magic 0x1234");
	h->magic = 0x9feb;
	expect_raw_invalid(raw, size, "other byte order");
	*h = save;
	h->version = 2;
	expect_raw_invalid(raw, size, "unsupported BTF version 2");
	*h = save;
	h->flags = 1;
	expect_raw_invalid(raw, size, "flags");
	*h = save;
	h->hdr_len = 16;
	expect_raw_invalid(raw, size, "hdr_len 16");
	*h = save;
	h->hdr_len = (uint32_t)size + 4;
	expect_raw_invalid(raw, size, "hdr_len");
	*h = save;
	h->type_len += 4;
	expect_raw_invalid(raw, size, "overlaps string section");
	*h = save;
	h->type_off = 2;
	h->type_len -= 4;
	expect_raw_invalid(raw, size, "not 4-byte aligned");
	*h = save;
	h->type_len = 0x7ffffff0;
	expect_raw_invalid(raw, size, "type section");
	*h = save;
	h->str_off = 0xfffffff0u;
	expect_raw_invalid(raw, size, "string section");
	*h = save;
	h->str_len = 0;
	h->type_len = 0;
	expect_raw_invalid(raw, size, "string section is empty");
	free(raw);
}

Test(btf_header, longer_header_must_be_zero)
{
	size_t size;
	uint8_t *raw = small_raw(&size), *big = malloc(size + 8);
	struct hdr *h = (struct hdr *)big;
	struct bbtf *out = NULL;

	memcpy(big, raw, 24);
	memset(big + 24, 0, 8);
	memcpy(big + 32, raw + 24, size - 24);
	h->hdr_len = 32;
	cr_assert_eq(bbtf_parse(big, size + 8, NULL, &out, NULL), 0);
	bbtf_free(out);
	big[28] = 1;
	expect_raw_invalid(big, size + 8, "header byte 28");
	free(big);
	free(raw);
}

Test(btf_header, string_section_nul)
{
	size_t size;
	uint8_t *raw = small_raw(&size);
	struct hdr *h = (struct hdr *)raw;
	uint8_t *strs = raw + h->hdr_len + h->str_off;

	strs[0] = 'x';
	expect_raw_invalid(raw, size, "must start with a NUL");
	strs[0] = 0;
	strs[h->str_len - 1] = 'x';
	expect_raw_invalid(raw, size, "must end with a NUL");
	free(raw);
}

Test(btf_header, record_truncated_and_unknown_kind)
{
	struct bbtf *b = bt_new_int();
	uint8_t *raw;
	size_t size;
	struct hdr *h;
	uint32_t *info;

	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "a", 1, 0, 0);
	raw = bt_raw_copy(b, &size);
	h = (struct hdr *)raw;
	/* The struct claims 2 members but has bytes for 1: trim the type
	 * section and move the strings up by lying in the header only. */
	info = (uint32_t *)(raw + h->hdr_len + 16 + 4);      /* type 2's info */
	*info = bbtf_info(BTF_KIND_STRUCT, 3, false);
	expect_raw_invalid(raw, size, "3 entries run past the type section");
	*info = bbtf_info(25, 0, false);
	expect_raw_invalid(raw, size, "unknown kind 25");
	*info = bbtf_info(BTF_KIND_STRUCT, 1, false) | (1u << 20);
	expect_raw_invalid(raw, size, "reserved bits");
	/* Cut the last member off the type section (the strings stay put,
	 * leaving a gap, which is allowed). */
	h->type_len -= 4;
	*info = bbtf_info(BTF_KIND_STRUCT, 1, false);
	expect_raw_invalid(raw, size, "1 entries run past the type section");
	free(raw);
	bbtf_free(b);
}

/* ---------------------------------------------------------------- */
/* Per-kind validation                                               */
/* ---------------------------------------------------------------- */

Test(btf_validate, error_names_type_kind_and_name)
{
	struct bbtf *b = bt_new_int();
	struct bb_err e;
	char line[512];

	bbtf_add_struct(b, "task_struct", 8);
	bbtf_add_member(b, "a", 1, 0, 0);
	bbtf_add_member(b, "b", 999999, 32, 0);
	bb_err_clear(&e);
	bb_err_set_file(&e, "prog.o");
	bb_err_set_section(&e, ".BTF");
	cr_assert_eq(bbtf_validate(b, &e), -EINVAL);
	cr_assert_str_eq(bb_err_str(&e, line, sizeof(line)),
			 "prog.o: section '.BTF': type [2] STRUCT 'task_struct': "
			 "member 1 type id 999999 out of range (last id 2)");
	bbtf_free(b);
}

Test(btf_validate, ids_out_of_range)
{
	struct bbtf *b;

	b = bt_new_int();
	bbtf_add_ptr(b, 7);
	EXPECT_INVALID(b, "type [2] PTR: target type id 7 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_array(b, 1, 9, 4);
	EXPECT_INVALID(b, "index type id 9 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_param(b, "x", 42);
	EXPECT_INVALID(b, "param 0 type id 42 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func(b, "f", BTF_FUNC_GLOBAL, 5);
	EXPECT_INVALID(b, "proto type id 5 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_STATIC, 3);
	EXPECT_INVALID(b, "var type id 3 out of range");
	bbtf_free(b);
}

Test(btf_validate, name_offsets)
{
	struct bbtf *b = bt_new_int();
	struct btf_type t = { .name_off = 5000, .info = bbtf_info(BTF_KIND_TYPEDEF, 0, false), .type = 1 };
	struct btf_member m = { .name_off = 6000, .type = 1, .offset = 0 };

	bbtf_add_raw(b, &t, NULL, 0);
	EXPECT_INVALID(b, "typedef name offset 5000 out of range");
	bbtf_free(b);

	b = bt_new_int();
	t = (struct btf_type){ .name_off = 0, .info = bbtf_info(BTF_KIND_STRUCT, 1, false), .size = 4 };
	bbtf_add_raw(b, &t, &m, sizeof(m));
	EXPECT_INVALID(b, "member 0 name offset 6000 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_typedef(b, "not an identifier", 1);
	EXPECT_INVALID(b, "is not a C identifier");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_typedef(b, NULL, 1);
	EXPECT_INVALID(b, "not a C identifier");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_const(b, 1);
	bbtf_type_mut(b, 2)->name_off = (uint32_t)bbtf_add_str(b, "named");
	EXPECT_INVALID(b, "modifier must be anonymous");
	bbtf_free(b);
}

Test(btf_validate, cycles)
{
	struct bbtf *b;

	/* typedef A -> const -> A */
	b = bt_new_int();
	bbtf_add_typedef(b, "A", 3);
	bbtf_add_const(b, 2);
	EXPECT_INVALID(b, "closes a loop not broken by a pointer");
	bbtf_free(b);

	/* struct S { struct S s; } */
	b = bt_new_int();
	bbtf_add_struct(b, "S", 4);
	bbtf_add_member(b, "s", 2, 0, 0);
	EXPECT_INVALID(b, "loop not broken by a pointer");
	bbtf_free(b);

	/* array of itself */
	b = bt_new_int();
	bbtf_add_array(b, 2, 1, 2);
	EXPECT_INVALID(b, "loop");
	bbtf_free(b);

	/* ptr -> const -> ptr: only anonymous types on the loop */
	b = bt_new_int();
	bbtf_add_ptr(b, 3);
	bbtf_add_const(b, 2);
	EXPECT_INVALID(b, "loop of anonymous types");
	bbtf_free(b);

	/* struct S { struct S *next; } and typedef'd through a pointer: fine */
	b = bt_new_int();
	bbtf_add_struct(b, "S", 8);
	bbtf_add_member(b, "next", 3, 0, 0);
	bbtf_add_ptr(b, 4);
	bbtf_add_typedef(b, "S_t", 2);
	EXPECT_VALID(b);
	bbtf_free(b);
}

Test(btf_validate, int_encoding)
{
	struct btf_type t = { .name_off = 0, .info = bbtf_info(BTF_KIND_INT, 0, false), .size = 4 };
	static const struct {
		uint32_t size, data;
		const char *want;
	} cases[] = {
		{ 4, (BTF_INT_SIGNED | BTF_INT_CHAR) << 24 | 32, "int encoding 0x3" },
		{ 4, 8u << 24 | 32, "int encoding 0x8" },
		{ 4, 33, "exceed size 4" },
		{ 4, 8u << 16 | 30, "int offset 8 + nr_bits 30" },
		{ 4, 0, "nr_bits 0" },
		{ 16, 129, "nr_bits 129" },
		{ 3, 24, "size 3 is not 1, 2, 4, 8 or 16" },
		{ 4, 0x10000000u | 32, "reserved bits" },
		{ 4, 0x100u | 32, "reserved bits" },
	};

	for (size_t i = 0; i < BB_ARRAY_SIZE(cases); i++) {
		struct bbtf *b = NULL;

		bbtf_new(NULL, &b);
		t.name_off = (uint32_t)bbtf_add_str(b, "i");
		t.size = cases[i].size;
		bbtf_add_raw(b, &t, &cases[i].data, 4);
		EXPECT_INVALID(b, cases[i].want);
		bbtf_free(b);
	}
}

Test(btf_validate, struct_layout)
{
	struct bbtf *b;

	b = bt_new_int();
	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "a", 1, 8, 0);
	EXPECT_INVALID(b, "member 0 at bit 8 size 32 bits ends past struct size 4");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "a", 1, 3, 0);
	EXPECT_INVALID(b, "bit offset 3 is not byte aligned");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_ptr(b, 1);
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "p", 2, 0, 3);
	EXPECT_INVALID(b, "bitfield of a non-integer type");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "x", 1, 0, 33);
	EXPECT_INVALID(b, "bitfield_size 33 exceeds");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "v", 0, 0, 0);
	EXPECT_INVALID(b, "member 0 cannot be void");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_fwd(b, "f", false);
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "f", 2, 0, 0);
	EXPECT_INVALID(b, "member 0 type [2] has no size");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "fn", 2, 0, 0);
	EXPECT_INVALID(b, "FUNC_PROTO, which is not an object type");
	bbtf_free(b);

	/* Bitfields: valid, packed into one int. */
	b = bt_new_int();
	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "a", 1, 0, 3);
	bbtf_add_member(b, "b", 1, 3, 29);
	EXPECT_VALID(b);
	bbtf_free(b);
}

Test(btf_validate, array_sizes)
{
	struct bbtf *b = bt_new_int();

	bbtf_add_array(b, 1, 1, 1u << 20);      /* 4 MiB */
	bbtf_add_array(b, 2, 1, 1u << 20);      /* 4 TiB: overflows u32 */
	bbtf_add_var(b, "big", BTF_VAR_GLOBAL_ALLOCATED, 3);
	EXPECT_INVALID(b, "type [3] ARRAY: size overflows 32 bits");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_ptr(b, 1);
	bbtf_add_array(b, 1, 2, 4);
	EXPECT_INVALID(b, "index type [2] is not an integer");
	bbtf_free(b);
}

Test(btf_validate, funcs_and_vars)
{
	struct bbtf *b;

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_func(b, "f", 3, 2);
	EXPECT_INVALID(b, "linkage 3");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func(b, "f", BTF_FUNC_STATIC, 1);
	EXPECT_INVALID(b, "type [1] INT is not a FUNC_PROTO");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_param(b, NULL, 0);
	bbtf_add_param(b, "x", 1);
	EXPECT_INVALID(b, "param 0 cannot be void");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_param(b, "fmt", 1);
	bbtf_add_param(b, NULL, 0);             /* "..." */
	bbtf_add_func(b, "printk", BTF_FUNC_EXTERN, 2);
	EXPECT_VALID(b);
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "v", 7, 1);
	EXPECT_INVALID(b, "linkage 7");
	bbtf_free(b);

	/* A typeless ksym is an extern VAR of const void; nothing else may
	 * be void. */
	b = bt_new_int();
	bbtf_add_const(b, 0);
	bbtf_add_var(b, "__start_BTF", BTF_VAR_GLOBAL_EXTERN, 2);
	bbtf_add_var(b, "direct", BTF_VAR_GLOBAL_EXTERN, 0);
	EXPECT_VALID(b);
	bbtf_add_var(b, "g", BTF_VAR_GLOBAL_ALLOCATED, 2);
	EXPECT_INVALID(b, "type [5] VAR 'g': element type has no size");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "g", BTF_VAR_STATIC, 0);
	EXPECT_INVALID(b, "var cannot be void");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_func_proto(b, 1);
	bbtf_add_func(b, "f", BTF_FUNC_GLOBAL, 2);
	bbtf_add_ptr(b, 3);
	EXPECT_INVALID(b, "refers to [3] FUNC, which is not a data type");
	bbtf_free(b);
}

Test(btf_validate, datasec)
{
	struct bbtf *b;

	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 8);
	bbtf_add_secinfo(b, 2, 0, 4);
	bbtf_add_secinfo(b, 77, 4, 4);
	EXPECT_INVALID(b, "type [3] DATASEC '.data': var 1 type id 77 out of range");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 8);
	bbtf_add_secinfo(b, 1, 0, 4);
	EXPECT_INVALID(b, "var 0 refers to [1] INT, not a VAR");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 8);
	bbtf_add_secinfo(b, 2, 6, 4);
	EXPECT_INVALID(b, "ends past section size 8");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_var(b, "w", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 8);
	bbtf_add_secinfo(b, 2, 0, 4);
	bbtf_add_secinfo(b, 3, 2, 4);
	EXPECT_INVALID(b, "overlaps the previous one");
	bbtf_free(b);

	/* An object file's section size is 0 until the loader fills it in. */
	b = bt_new_int();
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".bss", 0);
	bbtf_add_secinfo(b, 2, 16, 4);
	EXPECT_VALID(b);
	bbtf_free(b);
}

Test(btf_validate, tags_enums_floats)
{
	struct bbtf *b;

	b = bt_new_int();
	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "a", 1, 0, 0);
	bbtf_add_decl_tag(b, "user", 2, 1);
	EXPECT_INVALID(b, "component_idx 1 out of range (1 members)");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_decl_tag(b, "user", 1, -1);
	EXPECT_INVALID(b, "cannot carry a decl tag");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "a", 1, 0, 0);
	bbtf_add_decl_tag(b, "user", 2, 0);
	bbtf_add_decl_tag(b, "x", 2, -1);
	bbtf_add_type_tag(b, "rcu", 1);
	bbtf_add_ptr(b, 5);
	EXPECT_VALID(b);
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_type_tag(b, NULL, 1);
	EXPECT_INVALID(b, "type_tag needs a name");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_enum(b, "e", 3, false);
	EXPECT_INVALID(b, "size 3 is not 1, 2, 4 or 8");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_enum(b, "e", 4, false);
	bbtf_add_enum_value(b, "1bad", 1);
	EXPECT_INVALID(b, "value 0 name '1bad'");
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_enum64(b, "e64", 8, true);
	bbtf_add_enum_value(b, "BIG", INT64_MIN);
	bbtf_add_enum_value(b, "SMALL", -1);
	EXPECT_VALID(b);
	bbtf_free(b);

	b = bt_new_int();
	bbtf_add_float(b, "double", 3);
	EXPECT_INVALID(b, "size 3 is not 2, 4, 8, 12 or 16");
	bbtf_free(b);
}

/* ---------------------------------------------------------------- */
/* Builder and lookup                                                */
/* ---------------------------------------------------------------- */

Test(btf_builder, every_kind_round_trips)
{
	struct bbtf *b = bt_new_int(), *p = NULL;
	struct bb_err e;
	const void *raw;
	size_t size;
	int s;

	cr_assert_eq(bbtf_add_ptr(b, 1), 2);
	cr_assert_eq(bbtf_add_array(b, 1, 1, 4), 3);
	s = bbtf_add_struct(b, "pair", 8);
	cr_assert_eq(s, 4);
	cr_assert_eq(bbtf_add_member(b, "a", 1, 0, 0), 0);
	cr_assert_eq(bbtf_add_member(b, "b", 1, 32, 4), 0);    /* switches to kind_flag */
	cr_assert(bbtf_kflag(bbtf_type_by_id(b, 4)));
	cr_assert_eq(bbtf_member_bit_offset(bbtf_type_by_id(b, 4), 0), 0);
	cr_assert_eq(bbtf_member_bitfield_size(bbtf_type_by_id(b, 4), 1), 4);
	cr_assert_eq(bbtf_add_union(b, "u", 4), 5);
	cr_assert_eq(bbtf_add_enum(b, "color", 4, true), 6);
	cr_assert_eq(bbtf_add_enum_value(b, "RED", -1), 0);
	cr_assert_eq(bbtf_add_enum_value(b, "HUGE", 1ll << 40), -E2BIG);
	cr_assert_eq(bbtf_add_enum64(b, "wide", 8, false), 7);
	cr_assert_eq(bbtf_add_enum_value(b, "W", 1ll << 40), 0);
	cr_assert_eq(bbtf_add_fwd(b, "later", true), 8);
	cr_assert_eq(bbtf_add_typedef(b, "pair_t", 4), 9);
	cr_assert_eq(bbtf_add_volatile(b, 1), 10);
	cr_assert_eq(bbtf_add_const(b, 10), 11);
	cr_assert_eq(bbtf_add_restrict(b, 2), 12);
	cr_assert_eq(bbtf_add_type_tag(b, "user", 1), 13);
	cr_assert_eq(bbtf_add_func_proto(b, 1), 14);
	cr_assert_eq(bbtf_add_param(b, "x", 1), 0);
	cr_assert_eq(bbtf_add_func(b, "f", BTF_FUNC_GLOBAL, 14), 15);
	cr_assert_eq(bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1), 16);
	cr_assert_eq(bbtf_add_datasec(b, ".data", 4), 17);
	cr_assert_eq(bbtf_add_secinfo(b, 16, 0, 4), 0);
	cr_assert_eq(bbtf_add_float(b, "double", 8), 18);
	cr_assert_eq(bbtf_add_decl_tag(b, "kfunc", 15, -1), 19);
	cr_assert_eq(bbtf_add_param(b, "late", 1), -EINVAL);   /* last is not a proto */
	raw = bbtf_raw_data(b, &size);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_parse(raw, size, NULL, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(bbtf_type_cnt(p), 20);
	cr_assert_eq(bbtf_find_by_name_kind(p, "pair", BTF_KIND_STRUCT), 4);
	cr_assert_eq(bbtf_find_by_name_kind(p, "pair_t", BTF_KIND_TYPEDEF), 9);
	cr_assert_eq(bbtf_resolve_size(p, 9), 8);
	cr_assert_eq(bbtf_resolve_size(p, 3), 16);
	cr_assert_eq(bbtf_resolve_size(p, 14), -EINVAL);
	cr_assert_eq(bbtf_skip_mods(p, 11), 1);
	cr_assert_eq(bbtf_enum64_val(&bbtf_enums64(bbtf_type_by_id(p, 7))[0]), 1ll << 40);
	cr_assert_str_eq(bbtf_kind_str(BTF_KIND_ENUM64), "ENUM64");
	cr_assert_str_eq(bbtf_kind_str(99), "UNKNOWN");
	cr_assert_null(bbtf_name(p, 1u << 20));
	/* Strings are shared. */
	cr_assert_eq(bbtf_add_str(b, "pair"), (int)bbtf_type_by_id(b, 4)->name_off);
	bbtf_free(p);
	bbtf_free(b);
	bbtf_free(NULL);
}

Test(btf_builder, duplicate_names_and_index_growth)
{
	struct bbtf *b = bt_new_int();
	char name[32];

	/* Enough types to make the index rebuild several times. */
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "t%d", i % 1000);
		cr_assert_gt(bbtf_add_typedef(b, name, 1), 0);
	}
	cr_assert_eq(bbtf_find_by_name_kind(b, "t7", BTF_KIND_TYPEDEF), 2 + 7);
	cr_assert_eq(bbtf_find_next(b, "t7", BTF_KIND_TYPEDEF, 9), 2 + 1007);
	cr_assert_eq(bbtf_find_next(b, "t7", -1, 1009), 2 + 2007);
	cr_assert_eq(bbtf_find_next(b, "t7", -1, 4009), -ENOENT);
	/* Renaming through the mutable view needs a reindex. */
	bbtf_type_mut(b, 2)->name_off = (uint32_t)bbtf_add_str(b, "renamed");
	cr_assert_eq(bbtf_reindex(b), 0);
	cr_assert_eq(bbtf_find_by_name_kind(b, "renamed", -1), 2);
	EXPECT_VALID(b);
	bbtf_free(b);
}

/* bbtf_parse_borrow(): the types stay in the caller's bytes (a change
 * through bbtf_type_mut() lands there), the first addition moves them
 * out (later changes leave the bytes alone), and bytes whose type
 * records would be misaligned are copied instead. */
Test(btf_parse, borrow_in_place)
{
	struct bbtf *b = bt_new_int(), *in = NULL, *odd = NULL;
	struct btf_type *t;
	uint8_t *raw, *shifted;
	size_t size;
	struct bb_err e;

	cr_assert_geq(bbtf_add_typedef(b, "myint", 1), 0);
	raw = bt_raw_copy(b, &size);
	cr_assert_eq(bbtf_parse_borrow(raw, size, NULL, &in, &e), 0, "%s", e.msg);
	cr_assert_eq(bbtf_type_cnt(in), 3);
	cr_assert_str_eq(bbtf_type_name(in, 2), "myint");
	cr_assert_eq((const uint8_t *)bbtf_type_by_id(in, 1), raw + sizeof(struct btf_header));
	t = bbtf_type_mut(in, 2);
	t->type = 2;    /* written in place: visible in the caller's bytes */
	cr_assert_eq(((struct btf_type *)(raw + sizeof(struct btf_header) + 16))->type, 2);
	t->type = 1;
	cr_assert_geq(bbtf_add_ptr(in, 2), 0);
	cr_assert_neq((const uint8_t *)bbtf_type_by_id(in, 1), raw + sizeof(struct btf_header));
	memset(raw, 0, size);   /* no longer read */
	cr_assert_str_eq(bbtf_type_name(in, 2), "myint");
	cr_assert_eq(bbtf_type_cnt(in), 4);
	bbtf_free(in);

	/* One byte off: parsed from a copy, the caller's bytes untouched. */
	free(raw);
	raw = bt_raw_copy(b, &size);
	shifted = malloc(size + 1);
	memcpy(shifted + 1, raw, size);
	cr_assert_eq(bbtf_parse_borrow(shifted + 1, size, NULL, &odd, &e), 0, "%s", e.msg);
	cr_assert_neq((const uint8_t *)bbtf_type_by_id(odd, 1), shifted + 1 + sizeof(struct btf_header));
	cr_assert_str_eq(bbtf_type_name(odd, 2), "myint");
	bbtf_free(odd);
	free(shifted);
	free(raw);
	bbtf_free(b);
}
