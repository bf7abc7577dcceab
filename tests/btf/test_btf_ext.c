/* SPDX-License-Identifier: MIT */
/* .BTF.ext from a clang-19 object; access strings; malformed .BTF.ext. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/btf/btf_test.h"

static const char core_src[] =
	"#define SEC(x) __attribute__((section(x), used))\n"
	"struct task { int pid; int tgid; long state; } __attribute__((preserve_access_index));\n"
	"static __attribute__((noinline)) int helper(struct task *t)\n"
	"{\n"
	"\treturn t->pid * 3;\n"
	"}\n"
	/* Externs the loader resolves: a typeless ksym (a VAR of const
	 * void), a kconfig value and a kfunc (a FUNC in DATASEC .ksyms). */
	"extern const void init_task_sym SEC(\".ksyms\");\n"
	"extern int CONFIG_HZ SEC(\".kconfig\");\n"
	"extern struct task *task_kfunc(struct task *t) SEC(\".ksyms\");\n"
	"static __attribute__((noinline)) int more(struct task *t)\n"
	"{\n"
	"\treturn CONFIG_HZ + (long)&init_task_sym + (long)task_kfunc(t);\n"
	"}\n"
	"SEC(\"kprobe/do_exit\") int on_exit(struct task *t)\n"      /* line 14 */
	"{\n"
	"\tint tg = t->tgid;\n"
	"\treturn tg + helper(t) + more(t);\n"
	"}\n"
	"int counter SEC(\".data\") = 1;\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

struct compiled {
	char dir[64];
	uint8_t *btf, *ext;
	size_t btf_len, ext_len;
	struct bbtf *b;
};

static void compile_core(struct compiled *c)
{
	char log[4096], path[256];
	struct bb_err e;

	memset(c, 0, sizeof(*c));
	if (!bt_have_clang())
		cr_skip_test("clang-19 not installed: cannot build the .BTF.ext sample");
	cr_assert_not_null(bt_tmpdir(c->dir, sizeof(c->dir)));
	cr_assert_eq(bt_compile(c->dir, "core", core_src, NULL, log, sizeof(log)), 0, "%s", log);
	snprintf(path, sizeof(path), "%s/core.o", c->dir);
	c->btf = bt_elf_section(path, ".BTF", &c->btf_len);
	c->ext = bt_elf_section(path, ".BTF.ext", &c->ext_len);
	cr_assert_not_null(c->btf);
	cr_assert_not_null(c->ext);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_parse(c->btf, c->btf_len, NULL, &c->b, &e), 0, "%s", e.msg);
}

static void compiled_free(struct compiled *c)
{
	bbtf_free(c->b);
	free(c->btf);
	free(c->ext);
	bt_rmdir(c->dir);
}

Test(btf_ext, clang_object)
{
	struct compiled c;
	struct bbtf_ext *x = NULL;
	const struct bbtf_ext_sec *s, *text;
	struct bbtf_src_line sl;
	struct bb_err e;
	uint32_t idx[BBTF_CORE_SPEC_MAX];
	bool saw_tgid = false;

	compile_core(&c);
	bb_err_clear(&e);
	cr_assert_eq(bbtf_ext_parse(c.ext, c.ext_len, c.b, &x, &e), 0, "%s", e.msg);
	cr_assert_geq(x->func_rec_size, sizeof(struct bbtf_ext_func));
	cr_assert_geq(x->line_rec_size, sizeof(struct bbtf_ext_line));
	cr_assert_geq(x->core_rec_size, sizeof(struct bbtf_ext_core));

	s = bbtf_ext_sec_by_name(x, "kprobe/do_exit");
	cr_assert_not_null(s);
	cr_assert_eq(s->n_funcs, 1);
	cr_assert_eq(s->funcs[0].insn_off, 0);
	cr_assert_str_eq(bbtf_type_name(c.b, s->funcs[0].type_id), "on_exit");
	cr_assert_gt(s->n_lines, 1);
	cr_assert_eq(s->lines[0].insn_off, 0);

	/* line_info -> file, line, column, source text. */
	for (size_t i = 0; i < s->n_lines; i++) {
		cr_assert_eq(bbtf_line_info(c.b, &s->lines[i], &sl, &e), 0);
		cr_assert(strstr(sl.file, "core.c"), "%s", sl.file);
		cr_assert(sl.line >= 14 && sl.line <= 18, "line %u", sl.line);
		if (strstr(sl.text, "t->tgid")) {
			cr_assert_eq(sl.line, 16);
			saw_tgid = true;
		}
	}
	cr_assert(saw_tgid, "no line_info for the t->tgid line");

	/* CO-RE: t->tgid is field 1 of struct task, a byte offset. */
	cr_assert_geq(s->n_cores, 1);
	cr_assert_eq(s->cores[0].kind, BPF_CORE_FIELD_BYTE_OFFSET);
	cr_assert_str_eq(bbtf_core_kind_str(s->cores[0].kind), "byte_off");
	cr_assert_str_eq(bbtf_type_name(c.b, s->cores[0].type_id), "task");
	cr_assert_str_eq(bbtf_name(c.b, s->cores[0].access_str_off), "0:1");
	cr_assert_eq(bbtf_core_access_parse(bbtf_name(c.b, s->cores[0].access_str_off), idx,
					    BBTF_CORE_SPEC_MAX, &e), 2);
	cr_assert_eq(idx[0], 0);
	cr_assert_eq(idx[1], 1);
	cr_assert_eq(s->cores[0].insn_off % 8, 0);

	/* The static subprograms live in .text with their own records. */
	text = bbtf_ext_sec_by_name(x, ".text");
	cr_assert_not_null(text);
	cr_assert_eq(text->n_funcs, 2);
	cr_assert_str_eq(bbtf_type_name(c.b, text->funcs[0].type_id), "helper");
	cr_assert_str_eq(bbtf_type_name(c.b, text->funcs[1].type_id), "more");
	cr_assert_geq(text->n_cores, 1);
	cr_assert_str_eq(bbtf_name(c.b, text->cores[0].access_str_off), "0:0");
	cr_assert_null(bbtf_ext_sec_by_name(x, "nope"));

	/* The object's BTF has its DATASECs with clang's size 0 and VARs. */
	cr_assert_gt(bbtf_find_by_name_kind(c.b, ".data", BTF_KIND_DATASEC), 0);
	cr_assert_gt(bbtf_find_by_name_kind(c.b, "counter", BTF_KIND_VAR), 0);
	cr_assert_gt(bbtf_find_by_name_kind(c.b, "init_task_sym", BTF_KIND_VAR), 0);
	cr_assert_gt(bbtf_find_by_name_kind(c.b, "task_kfunc", BTF_KIND_FUNC), 0);
	cr_assert_gt(bbtf_find_by_name_kind(c.b, ".ksyms", BTF_KIND_DATASEC), 0);
	bbtf_ext_free(x);
	bbtf_ext_free(NULL);
	compiled_free(&c);
}

/* Mutate a copy of the object's .BTF.ext and expect @want. */
static void ext_expect(const struct compiled *c, size_t off, uint32_t val, size_t len,
		       const char *want)
{
	uint8_t *copy = malloc(c->ext_len);
	struct bbtf_ext *x = NULL;
	struct bb_err e;
	int r;

	memcpy(copy, c->ext, c->ext_len);
	if (off + 4 <= c->ext_len)
		memcpy(copy + off, &val, 4);
	bb_err_clear(&e);
	r = bbtf_ext_parse(copy, len, c->b, &x, &e);
	cr_assert_lt(r, 0, "accepted; wanted '%s'", want);
	cr_assert_null(x);
	cr_assert(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
	free(copy);
}

Test(btf_ext, malformed)
{
	struct compiled c;
	uint32_t hdr_len, func_off, rec;

	compile_core(&c);
	memcpy(&hdr_len, c.ext + 4, 4);
	memcpy(&func_off, c.ext + 8, 4);
	rec = hdr_len + func_off;               /* func_info record_size */
	ext_expect(&c, 0, 0x1234, c.ext_len, "bad magic");
	ext_expect(&c, 0, 0, 10, "shorter than its header");
	ext_expect(&c, 4, 12, c.ext_len, "hdr_len 12");
	ext_expect(&c, 12, 0x10000, c.ext_len, "func_info");                 /* func_info_len */
	ext_expect(&c, rec, 4, c.ext_len, "record size 4");
	ext_expect(&c, rec, 10, c.ext_len, "record size 10");
	ext_expect(&c, rec + 4, 0xffffff, c.ext_len, "section name offset");
	ext_expect(&c, rec + 8, 0, c.ext_len, "no records");
	ext_expect(&c, rec + 8, 1000, c.ext_len, "run past the subsection");
	ext_expect(&c, rec + 12, 3, c.ext_len, "not a multiple of 8");        /* insn_off */
	ext_expect(&c, rec + 16, 1, c.ext_len, "is not a FUNC");               /* type_id */
	compiled_free(&c);
}

Test(btf_ext, access_strings)
{
	uint32_t idx[4];
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(bbtf_core_access_parse("0", idx, 4, &e), 1);
	cr_assert_eq(bbtf_core_access_parse("0:12:3", idx, 4, &e), 3);
	cr_assert_eq(idx[1], 12);
	cr_assert_eq(idx[2], 3);
	cr_assert_eq(bbtf_core_access_parse("4294967295", idx, 4, &e), 1);
	cr_assert_eq(idx[0], UINT32_MAX);
	cr_assert_eq(bbtf_core_access_parse("", idx, 4, &e), -EINVAL);
	cr_assert_eq(bbtf_core_access_parse("0:", idx, 4, &e), -EINVAL);
	cr_assert_eq(bbtf_core_access_parse(":1", idx, 4, &e), -EINVAL);
	cr_assert_eq(bbtf_core_access_parse("0:x", idx, 4, &e), -EINVAL);
	cr_assert(strstr(e.msg, "offset 2"), "%s", e.msg);
	cr_assert_eq(bbtf_core_access_parse("4294967296", idx, 4, &e), -EINVAL);
	cr_assert_eq(bbtf_core_access_parse("0:1:2:3:4", idx, 4, &e), -E2BIG);
	cr_assert_eq(bbtf_core_access_parse("1;2", idx, 4, &e), -EINVAL);
	cr_assert_str_eq(bbtf_core_kind_str(BPF_CORE_TYPE_MATCHES), "type_matches");
	cr_assert_str_eq(bbtf_core_kind_str(99), "unknown");
}
