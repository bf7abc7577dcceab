/* SPDX-License-Identifier: MIT */
/* C dump: vmlinux.h compiles with clang-19 -target bpf and reproduces
 * BTF's sizes and offsets; hard layouts built by hand; raw listing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/btf/btf_test.h"

static char clang_log[16384];

/* _Static_asserts for every struct/union/enum/typedef whose name occurs
 * once (renamed duplicates are checked by hand), with the size from BTF
 * and, for named non-bitfield members, the offset. */
static int write_asserts(const struct bbtf *b, FILE *f)
{
	int n = 0;

	for (uint32_t id = 1; id < bbtf_type_cnt(b); id++) {
		const struct btf_type *t = bbtf_type_by_id(b, id);
		const char *name = bbtf_type_name(b, id), *kw;
		int k = bbtf_kind(t);
		int64_t size;

		if (!*name || !strncmp(name, "__builtin", 9) ||
		    bbtf_find_by_name_kind(b, name, -1) != (int)id ||
		    bbtf_find_next(b, name, -1, id) > 0)
			continue;
		if (k == BTF_KIND_STRUCT || k == BTF_KIND_UNION)
			kw = k == BTF_KIND_STRUCT ? "struct " : "union ";
		else if (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64)
			kw = "enum ";
		else if (k == BTF_KIND_TYPEDEF)
			kw = "";
		else
			continue;
		size = bbtf_resolve_size(b, id);
		if (size < 0)
			continue;
		fprintf(f, "_Static_assert(sizeof(%s%s) == %lld, \"%s\");\n", kw, name,
			(long long)size, name);
		n++;
		if (k != BTF_KIND_STRUCT && k != BTF_KIND_UNION)
			continue;
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const char *mn = bbtf_name(b, bbtf_members(t)[i].name_off);

			if (!*mn || bbtf_member_bitfield_size(t, i))
				continue;
			fprintf(f, "_Static_assert(__builtin_offsetof(%s%s, %s) == %u, \"%s.%s\");\n",
				kw, name, mn, bbtf_member_bit_offset(t, i) / 8, name, mn);
		}
	}
	return n;
}

/* Dump @b to @dir/gen.h. */
static void dump_to(const struct bbtf *b, const char *dir)
{
	char path[256], line[512];
	struct bb_err e;
	FILE *f;

	snprintf(path, sizeof(path), "%s/gen.h", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_dump_c(b, f, NULL, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	cr_assert_eq(fclose(f), 0);
}

static void write_probe(const struct bbtf *b, const char *dir, const char *extra)
{
	char path[256];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/probe.c", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "#include \"gen.h\"\n%s\n", extra ? extra : "");
	n = write_asserts(b, f);
	cr_assert_eq(fclose(f), 0);
	cr_log_info("%d size asserts", n);
}

static int compile_probe(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && clang-19 -target bpf -O2 -g -Wall -Werror -c probe.c -o probe.o 2>&1 | head -c 8000",
		 dir);
	bt_run(cmd, clang_log, sizeof(clang_log));
	snprintf(cmd, sizeof(cmd), "test -s '%s/probe.o'", dir);
	return system(cmd);
}

static const char prog_src[] =
	"#include \"gen.h\"\n"
	"#define SEC(x) __attribute__((section(x), used))\n"
	"SEC(\"xdp\") int xdp_prog(struct xdp_md *ctx)\n"
	"{\n"
	"\treturn ctx->data_end - ctx->data > 14 ? XDP_PASS : XDP_DROP;\n"
	"}\n"
	"SEC(\"tp/raw_syscalls/sys_enter\") int on_enter(struct trace_event_raw_sys_enter *ctx)\n"
	"{\n"
	"\treturn ctx->id == 59 && ctx->args[0] != 0;\n"
	"}\n"
	"SEC(\"kprobe/tcp_sendmsg\") int on_send(struct task_struct *t, struct sk_buff *skb)\n"
	"{\n"
	"\treturn t->pid + skb->len + t->real_parent->tgid;\n"
	"}\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

Test(btf_dump, vmlinux_h_compiles_and_matches_btf, .timeout = 120)
{
	char dir[64], path[256];
	struct bbtf *b = NULL;
	struct bb_err e;
	int ts;

	if (!bt_have_clang())
		cr_skip_test("clang-19 not installed: cannot compile the dumped vmlinux.h");
	if (access(VMLINUX_PATH, R_OK))
		cr_skip_test("no %s", VMLINUX_PATH);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_load_vmlinux(NULL, &b, &e), 0, "%s", e.msg);
	cr_assert_not_null(bt_tmpdir(dir, sizeof(dir)));
	dump_to(b, dir);

	/* A program using the usual kernel types. */
	cr_assert_eq(bt_compile(dir, "prog", prog_src, "-Wall -Werror", clang_log,
				sizeof(clang_log)), 0, "%s", clang_log);
	snprintf(path, sizeof(path), "%s/prog.o", dir);
	cr_assert_eq(access(path, R_OK), 0);

	/* Sizes and member offsets of every uniquely named type. */
	ts = bbtf_find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT);
	cr_assert_gt(ts, 0);
	write_probe(b, dir, NULL);
	cr_assert_eq(compile_probe(dir), 0, "%s", clang_log);
	bt_rmdir(dir);
	bbtf_free(b);
}

Test(btf_dump, header_shape)
{
	struct bbtf *b = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct bbtf_dump_opts o = { .guard = "MY_H" };

	b = bt_new_int();
	bbtf_add_struct(b, "s", 4);
	bbtf_add_member(b, "x", 1, 0, 0);
	cr_assert_eq(bbtf_dump_c(b, f, NULL, NULL), 0);
	fflush(f);
	cr_assert(strstr(text, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n"));
	cr_assert(strstr(text, "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)"));
	cr_assert(strstr(text, "#pragma clang attribute pop"));
	cr_assert(strstr(text, "struct s {\n\tint x;\n};\n"), "%s", text);
	cr_assert(strstr(text, "#endif /* __VMLINUX_H__ */"));
	fclose(f);
	free(text);

	text = NULL;
	f = open_memstream(&text, &len);
	o.no_preserve_access_index = true;
	cr_assert_eq(bbtf_dump_c(b, f, &o, NULL), 0);
	fflush(f);
	cr_assert(strstr(text, "#ifndef MY_H"));
	cr_assert_null(strstr(text, "pragma"));
	fclose(f);
	free(text);

	f = fopen("/dev/full", "w");
	if (f) {
		struct bb_err e;

		bb_err_clear(&e);
		cr_assert_eq(bbtf_dump_c(b, f, NULL, &e), -EIO);
		fclose(f);
	}
	bbtf_free(b);
}

/*
 * Layouts that need care, built by hand, dumped, compiled with asserts
 * on every size and offset.
 */
static struct bbtf *tricky(void)
{
	struct bbtf *b = NULL;
	int i32, u32, ch, i64, u8, s, node, nodet, fwd, proto, fptr;

	cr_assert_eq(bbtf_new(NULL, &b), 0);
	i32 = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = bbtf_add_int(b, "unsigned int", 4, 0);
	ch = bbtf_add_int(b, "char", 1, BTF_INT_CHAR);
	i64 = bbtf_add_int(b, "long int", 8, BTF_INT_SIGNED);
	u8 = bbtf_add_int(b, "u8_rust_name", 1, 0);     /* not a C spelling */

	/* struct packed_s { char c; int i; } __attribute__((packed)) */
	bbtf_add_struct(b, "packed_s", 5);
	bbtf_add_member(b, "c", (uint32_t)ch, 0, 0);
	bbtf_add_member(b, "i", (uint32_t)i32, 8, 0);

	/* Members at __aligned(64) offsets, and a size padded to 128. */
	bbtf_add_struct(b, "aligned_s", 128);
	bbtf_add_member(b, "a", (uint32_t)i32, 0, 0);
	bbtf_add_member(b, "b", (uint32_t)i32, 64 * 8, 0);
	bbtf_add_member(b, "c", (uint32_t)u8, 68 * 8, 0);

	/* Bitfields, including one after a gap and one straddling 32 bits
	 * (which only a packed struct gives). */
	bbtf_add_struct(b, "bits_s", 8);
	bbtf_add_member(b, "a", (uint32_t)u32, 0, 3);
	bbtf_add_member(b, "b", (uint32_t)u32, 3, 5);
	bbtf_add_member(b, "c", (uint32_t)u32, 16, 16);
	bbtf_add_member(b, "d", (uint32_t)i32, 32, 0);
	bbtf_add_struct(b, "straddle_s", 5);
	bbtf_add_member(b, "c", (uint32_t)ch, 0, 0);
	bbtf_add_member(b, "x", (uint32_t)u32, 8, 31);

	/* Enums whose size is not their values' natural one. */
	bbtf_add_enum(b, "e1", 1, false);
	bbtf_add_enum_value(b, "E1_A", 1);
	bbtf_add_enum(b, "e2", 2, false);
	bbtf_add_enum_value(b, "E2_A", 300);
	bbtf_add_enum(b, "e8", 8, false);
	bbtf_add_enum_value(b, "E8_A", 5);
	bbtf_add_enum(b, "esigned", 4, true);
	bbtf_add_enum_value(b, "ES_MIN", INT32_MIN);
	bbtf_add_enum_value(b, "ES_NEG", -5);
	bbtf_add_enum64(b, "e64", 8, false);
	bbtf_add_enum_value(b, "E64_MAX", -1);          /* 0xffffffffffffffff unsigned */
	bbtf_add_enum64(b, "e64s", 8, true);
	bbtf_add_enum_value(b, "E64S_MIN", INT64_MIN);
	bbtf_add_enum(b, NULL, 4, false);               /* a top-level anonymous enum */
	bbtf_add_enum_value(b, "LONELY_CONST", 42);
	/* Two enums sharing an enumerator name: the second is renamed. */
	bbtf_add_enum(b, "dupval_a", 4, false);
	bbtf_add_enum_value(b, "SAME", 1);
	bbtf_add_enum(b, "dupval_b", 4, false);
	bbtf_add_enum_value(b, "SAME", 2);

	/* Self-reference through a typedef'd pointer. */
	node = bbtf_add_struct(b, "node", 16);
	nodet = node + 2;
	bbtf_add_member(b, "next", (uint32_t)node + 1, 0, 0);
	bbtf_add_member(b, "v", (uint32_t)i32, 64, 0);
	cr_assert_eq(bbtf_add_ptr(b, (uint32_t)nodet), node + 1);
	cr_assert_eq(bbtf_add_typedef(b, "node_t", (uint32_t)node), nodet);

	/* An opaque struct only used through a pointer, and a FWD that a
	 * later full definition satisfies. */
	fwd = bbtf_add_fwd(b, "opaque", false);
	bbtf_add_fwd(b, "later", false);
	s = bbtf_add_ptr(b, (uint32_t)fwd);
	bbtf_add_struct(b, "holder", 16);
	bbtf_add_member(b, "o", (uint32_t)s, 0, 0);
	bbtf_add_member(b, "l", (uint32_t)fwd + 5, 64, 0);       /* ptr to "later" below */
	bbtf_add_struct(b, "later", 4);
	bbtf_add_member(b, "x", (uint32_t)i32, 0, 0);
	cr_assert_eq(bbtf_add_ptr(b, (uint32_t)fwd + 1), fwd + 5);

	/* Function pointers, variadic, an array of them, pointer to array,
	 * const pointer, type tag, typedef chain. */
	proto = bbtf_add_func_proto(b, (uint32_t)i32);
	bbtf_add_param(b, "n", (uint32_t)i32);
	bbtf_add_param(b, "int", (uint32_t)i32);        /* a name C would choke on */
	bbtf_add_param(b, NULL, 0);
	fptr = bbtf_add_ptr(b, (uint32_t)proto);
	bbtf_add_typedef(b, "handler_t", (uint32_t)fptr);
	{
		int arr = bbtf_add_array(b, (uint32_t)fptr, (uint32_t)i32, 4);
		int iarr = bbtf_add_array(b, (uint32_t)i32, (uint32_t)i32, 4);
		int parr = bbtf_add_ptr(b, (uint32_t)iarr);
		int cptr = bbtf_add_const(b, (uint32_t)bbtf_add_ptr(b, (uint32_t)i32));
		int tag = bbtf_add_type_tag(b, "user", (uint32_t)i32);
		int uptr = bbtf_add_ptr(b, (uint32_t)tag);
		int myint = bbtf_add_typedef(b, "myint", (uint32_t)i32);
		int myint2 = bbtf_add_typedef(b, "myint2", (uint32_t)myint);
		int cmy = bbtf_add_const(b, (uint32_t)myint2);
		int ops = bbtf_add_struct(b, "ops", 80);

		bbtf_add_member(b, "fns", (uint32_t)arr, 0, 0);
		bbtf_add_member(b, "pa", (uint32_t)parr, 256, 0);
		bbtf_add_member(b, "cp", (uint32_t)cptr, 320, 0);
		bbtf_add_member(b, "up", (uint32_t)uptr, 384, 0);
		bbtf_add_member(b, "m", (uint32_t)cmy, 448, 0);
		bbtf_add_member(b, "h", (uint32_t)fptr + 1, 512, 0);    /* handler_t */
		bbtf_add_decl_tag(b, "hot", (uint32_t)ops, 0);
		bbtf_add_decl_tag(b, "ops_tag", (uint32_t)ops, -1);
	}

	/* Anonymous nested union and struct. */
	{
		int un = bbtf_add_union(b, NULL, 8);
		int in;

		bbtf_add_member(b, "a", (uint32_t)i32, 0, 0);
		bbtf_add_member(b, "b", (uint32_t)i64, 0, 0);
		in = bbtf_add_struct(b, NULL, 2);
		bbtf_add_member(b, "x", (uint32_t)ch, 0, 0);
		bbtf_add_member(b, "y", (uint32_t)ch, 8, 0);
		bbtf_add_struct(b, "outer", 24);
		bbtf_add_member(b, NULL, (uint32_t)un, 0, 0);
		bbtf_add_member(b, "inner", (uint32_t)in, 64, 0);
		bbtf_add_member(b, "tail", (uint32_t)i64, 128, 0);
	}

	/* A union with padding past its largest member. */
	bbtf_add_union(b, "padded_u", 16);
	bbtf_add_member(b, "a", (uint32_t)i32, 0, 0);

	/* Two structs and two typedefs with one name each. */
	bbtf_add_struct(b, "dup", 4);
	bbtf_add_member(b, "a", (uint32_t)i32, 0, 0);
	bbtf_add_struct(b, "dup", 8);
	bbtf_add_member(b, "b", (uint32_t)i64, 0, 0);
	bbtf_add_typedef(b, "dupt", (uint32_t)i32);
	bbtf_add_typedef(b, "dupt", (uint32_t)i64);
	return b;
}

Test(btf_dump, tricky_layouts_compile_exactly)
{
	struct bbtf *b = tricky();
	char dir[64];
	struct bb_err e;
	char hdr[256];

	bb_err_clear(&e);
	cr_assert_eq(bbtf_validate(b, &e), 0, "%s", e.msg);
	if (!bt_have_clang())
		cr_skip_test("clang-19 not installed: cannot compile the dumped header");
	cr_assert_not_null(bt_tmpdir(dir, sizeof(dir)));
	dump_to(b, dir);
	write_probe(b, dir,
		    "_Static_assert(sizeof(struct dup) == 4, \"dup\");\n"
		    "_Static_assert(sizeof(struct dup___2) == 8, \"dup___2\");\n"
		    "_Static_assert(sizeof(dupt) == 4, \"dupt\");\n"
		    "_Static_assert(sizeof(dupt___2) == 8, \"dupt___2\");\n"
		    "_Static_assert(SAME == 1 && SAME___2 == 2, \"SAME\");\n"
		    "_Static_assert(LONELY_CONST == 42, \"anon enum\");\n"
		    "_Static_assert(ES_MIN < 0 && E64S_MIN < 0 && E64_MAX > 0, \"signs\");\n"
		    "_Static_assert(__builtin_offsetof(struct outer, a) == 0, \"anon member\");\n"
		    "_Static_assert(__builtin_offsetof(struct outer, tail) == 16, \"outer.tail\");\n"
		    /* No CO-RE read of straddle_s.x: LLVM cannot relocate a
		     * bitfield wider than its packed record's alignment. */
		    "static int bits(struct bits_s *s, struct straddle_s *t)\n"
		    "{ return s->a + s->b + s->c + (int)sizeof(*t); }\n"
		    "int use(struct ops *o, struct holder *h, struct node *n)\n"
		    "{ return o->fns[1](1, 2, 3) + (*o->pa)[2] + *o->up + o->h(0, 1) + o->m +\n"
		    "         h->l->x + n->next->v; }\n"
		    "int use2(struct bits_s *s, struct straddle_s *t, struct aligned_s *al,\n"
		    "         struct packed_s *p)\n"
		    "{ return bits(s, t) + al->c + p->i; }\n");
	if (compile_probe(dir)) {
		snprintf(hdr, sizeof(hdr), "cat '%s/gen.h'", dir);
		if (system(hdr))
			cr_log_warn("cannot show gen.h");
		cr_assert_fail("%s", clang_log);
	}
	bt_rmdir(dir);
	bbtf_free(b);
}

Test(btf_dump, object_btf_compiles)
{
	static const char src[] =
		"#define SEC(x) __attribute__((section(x), used))\n"
		"struct pkt { unsigned short proto; unsigned char flags: 3, ver: 5; long long ts; };\n"
		"typedef struct pkt pkt_t;\n"
		"int hits SEC(\".data\") = 1;\n"
		"SEC(\"xdp\") int f(pkt_t *p) { return p->proto + p->ver + hits; }\n";
	char dir[64], log[4096], path[256];
	struct bbtf *b = NULL;
	uint8_t *raw;
	size_t len;

	if (!bt_have_clang())
		cr_skip_test("clang-19 not installed");
	cr_assert_not_null(bt_tmpdir(dir, sizeof(dir)));
	cr_assert_eq(bt_compile(dir, "obj", src, NULL, log, sizeof(log)), 0, "%s", log);
	snprintf(path, sizeof(path), "%s/obj.o", dir);
	raw = bt_elf_section(path, ".BTF", &len);
	cr_assert_not_null(raw);
	cr_assert_eq(bbtf_parse(raw, len, NULL, &b, NULL), 0);
	dump_to(b, dir);
	write_probe(b, dir, "int g(pkt_t *p) { return p->flags; }\n");
	cr_assert_eq(compile_probe(dir), 0, "%s", clang_log);
	free(raw);
	bbtf_free(b);
	bt_rmdir(dir);
}

Test(btf_dump, raw_listing)
{
	struct bbtf *b = bt_new_int();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	bbtf_add_struct(b, "s", 8);
	bbtf_add_member(b, "x", 1, 0, 0);
	bbtf_add_member(b, "y", 1, 32, 3);
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 4);
	bbtf_add_secinfo(b, 3, 0, 4);
	bbtf_add_enum64(b, "e", 8, false);
	bbtf_add_enum_value(b, "A", 1);
	cr_assert_eq(bbtf_dump_raw(b, f, NULL), 0);
	fclose(f);
	cr_assert_str_eq(text,
			 "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
			 "[2] STRUCT 's' size=8 vlen=2\n"
			 "\t'x' type_id=1 bits_offset=0\n"
			 "\t'y' type_id=1 bits_offset=32 bitfield_size=3\n"
			 "[3] VAR 'v' type_id=1, linkage=global\n"
			 "[4] DATASEC '.data' size=4 vlen=1\n"
			 "\ttype_id=3 offset=0 size=4 (VAR 'v')\n"
			 "[5] ENUM64 'e' encoding=UNSIGNED size=8 vlen=1\n"
			 "\t'A' val=1ULL\n");
	free(text);
	bbtf_free(b);
}

Test(btf_dump, raw_listing_matches_bpftool, .timeout = 60)
{
	char cmd[512], dir[64];
	struct bbtf *b = NULL;
	FILE *f;
	char path[256];

	if (system("bpftool version >/dev/null 2>&1"))
		cr_skip_test("bpftool not installed: nothing to compare with");
	if (access(VMLINUX_PATH, R_OK))
		cr_skip_test("no %s", VMLINUX_PATH);
	cr_assert_eq(bbtf_load_vmlinux(NULL, &b, NULL), 0);
	cr_assert_not_null(bt_tmpdir(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/ours.txt", dir);
	f = fopen(path, "w");
	cr_assert_eq(bbtf_dump_raw(b, f, NULL), 0);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && bpftool btf dump file %s format raw > theirs.txt && "
		 "diff ours.txt theirs.txt | head -20", dir, VMLINUX_PATH);
	bt_run(cmd, clang_log, sizeof(clang_log));
	cr_assert_str_eq(clang_log, "", "differs from bpftool:\n%s", clang_log);
	bt_rmdir(dir);
	bbtf_free(b);
}
