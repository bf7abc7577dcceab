/* SPDX-License-Identifier: MIT */
/*
 * core/: CO-RE relocations.  The BPF programs in tests/core/data are
 * compiled with clang-19 into a temporary directory, relocated with
 * obj_core_relocate() against
 *   (a) the running kernel's BTF, checked against facts found by walking
 *       /sys/kernel/btf/vmlinux with the bbtf API, and
 *   (b) synthetic target BTFs built with the bbtf builder: fields moved,
 *       missing, resized, bitfields elsewhere, flavors, duplicates that
 *       agree or disagree, enums with and without the enumerator,
 *       types that match or not;
 * and every patched instruction is checked (golden values, poison form).
 * core_patch() and the type relations also get unit tests without clang.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "core/core_internal.h"
#include "elf/obj.h"
#include "isa/isa.h"
#include "tests/common/testutil.h"

static char tmpdir[] = "/tmp/bb_core_XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Each test runs in its own worker process with its own directory. */
static void rm_tmpdir(void)
{
	nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Compile tests/core/data/@name.bpf.c and open it. */
static struct obj *open_prog(const char *name)
{
	char src[512], inc[512], out[600], cmd[2048], line[600];
	struct obj *o = NULL;
	struct bb_err e;

	if (!strncmp(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6)) {
		cr_assert_not_null(mkdtemp(tmpdir));
		atexit(rm_tmpdir);
	}
	snprintf(line, sizeof(line), "tests/core/data/%s.bpf.c", name);
	tu_repo_path(line, src, sizeof(src));
	tu_repo_path("tests/core/data", inc, sizeof(inc));
	snprintf(out, sizeof(out), "%s/%s.o", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "clang-19 -target bpf -O2 -g -I%s -c %s -o %s 2>&1", inc, src,
		 out);
	cr_assert_eq(system(cmd), 0, "clang failed: %s", cmd);
	cr_assert_eq(obj_open_file(out, NULL, &o, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	return o;
}

/* ------------------------------------------------------------------ */
/* Synthetic target BTF                                                 */
/* ------------------------------------------------------------------ */

/* How the synthetic "kernel" differs from the program's view. */
struct tgt {
	const char *task_name;  /* NULL: "task" */
	bool no_task;
	bool no_pid;
	int u32f;               /* 0 unsigned int, 1 unsigned long long, 2 long long */
	bool pid_short;         /* pid is a short */
	int dup;                /* a second "task___2": 1 agrees, 2 moves pid, 3 shrinks it */
	bool no_blue;           /* enum color lacks BLUE */
	bool rq_int_y;          /* struct rq's y is an int: no longer matches */
	bool my_int_ll;         /* typedef my_int is long long */
};

struct tids {
	uint32_t int_, uint_, ull, ll, long_, short_, ptr, inner, anon, arr, task, rq, color, big, my_int;
};

#define ADD(expr) \
	({ \
		int id_ = (expr); \
		cr_assert_geq(id_, 0, "%s: %d", #expr, id_); \
		(uint32_t) id_; \
	})

/*
 * struct task, 128 bytes: pad@0 pid@8 {anon_y@16 anon_x@20} in{b@24 a@28}
 * arr int[8]@32 flag:3@bit 581 sflag:5@bit 606 u32f@80 ptr@88.
 * With @pid_bit != 64 the task is placed differently (for disagreeing
 * duplicates).
 */
static uint32_t add_task(struct bbtf *b, const struct tgt *t, const struct tids *id,
			 const char *name, uint32_t pid_bit)
{
	uint32_t task = ADD(bbtf_add_struct(b, name, 128));
	uint32_t u32f = t->u32f == 0 ? id->uint_ : t->u32f == 1 ? id->ull : id->ll;

	ADD(bbtf_add_member(b, "pad", id->int_, 0, 0));
	if (!t->no_pid)
		ADD(bbtf_add_member(b, "pid", t->pid_short ? id->short_ : id->int_, pid_bit, 0));
	ADD(bbtf_add_member(b, NULL, id->anon, 128, 0));
	ADD(bbtf_add_member(b, "in", id->inner, 192, 0));
	ADD(bbtf_add_member(b, "arr", id->arr, 256, 0));
	ADD(bbtf_add_member(b, "flag", id->uint_, 581, 3));
	ADD(bbtf_add_member(b, "sflag", id->int_, 606, 5));
	ADD(bbtf_add_member(b, "u32f", u32f, 640, 0));
	ADD(bbtf_add_member(b, "ptr", id->ptr, 704, 0));
	return task;
}

static struct bbtf *make_target(const struct tgt *t, struct tids *id)
{
	struct bbtf *b = NULL;
	struct bb_err e;
	char line[600];

	cr_assert_eq(bbtf_new(NULL, &b), 0);
	id->int_ = ADD(bbtf_add_int(b, "int", 4, BTF_INT_SIGNED));
	id->uint_ = ADD(bbtf_add_int(b, "unsigned int", 4, 0));
	id->ull = ADD(bbtf_add_int(b, "unsigned long long", 8, 0));
	id->ll = ADD(bbtf_add_int(b, "long long", 8, BTF_INT_SIGNED));
	id->long_ = ADD(bbtf_add_int(b, "long", 8, BTF_INT_SIGNED));
	id->short_ = ADD(bbtf_add_int(b, "short", 2, BTF_INT_SIGNED));
	id->ptr = ADD(bbtf_add_ptr(b, 0));
	id->inner = ADD(bbtf_add_struct(b, "inner", 8));
	ADD(bbtf_add_member(b, "b", id->int_, 0, 0));
	ADD(bbtf_add_member(b, "a", id->int_, 32, 0));
	id->anon = ADD(bbtf_add_struct(b, NULL, 8));
	ADD(bbtf_add_member(b, "anon_y", id->int_, 0, 0));
	ADD(bbtf_add_member(b, "anon_x", id->int_, 32, 0));
	id->arr = ADD(bbtf_add_array(b, id->int_, id->int_, 8));
	if (!t->no_task)
		id->task = add_task(b, t, id, t->task_name ? t->task_name : "task", 64);
	if (t->dup) {
		struct tgt t2 = *t;

		t2.pid_short = t->dup == 3;
		add_task(b, &t2, id, "task___2", t->dup == 2 ? 96 : 64);
	}
	id->rq = ADD(bbtf_add_struct(b, "rq", 24));
	ADD(bbtf_add_member(b, "x", id->int_, 0, 0));
	ADD(bbtf_add_member(b, "y", t->rq_int_y ? id->int_ : id->long_, 64, 0));
	ADD(bbtf_add_member(b, "extra", id->int_, 128, 0));
	id->color = ADD(bbtf_add_enum(b, "color", 4, false));
	ADD(bbtf_add_enum_value(b, "GREEN", 10));
	ADD(bbtf_add_enum_value(b, "RED", 0));
	if (!t->no_blue)
		ADD(bbtf_add_enum_value(b, "BLUE", 11));
	id->big = ADD(bbtf_add_enum64(b, "big", 8, false));
	ADD(bbtf_add_enum_value(b, "SMALL", 1));
	ADD(bbtf_add_enum_value(b, "BIG", 0x1234567800000001LL));
	id->my_int = ADD(bbtf_add_typedef(b, "my_int", t->my_int_ll ? id->ll : id->int_));
	cr_assert_eq(bbtf_validate(b, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	return b;
}

/* ------------------------------------------------------------------ */
/* Running relocations and checking instructions                        */
/* ------------------------------------------------------------------ */

struct run {
	struct obj *o;
	struct bbtf *target;
	struct tids id;
	struct bb_vec res, diags;
	int err;
	struct bb_err e;
};

static void run_core(struct run *r, const char *prog, const struct tgt *t)
{
	struct obj_core_opts opts = { .sz = sizeof(opts), .results = &r->res, .diags = &r->diags };

	memset(r, 0, sizeof(*r));
	bb_vec_init(&r->res, sizeof(struct obj_core_res));
	bb_vec_init(&r->diags, sizeof(struct obj_core_res));
	r->o = open_prog(prog);
	r->target = make_target(t, &r->id);
	opts.target = r->target;
	bb_err_clear(&r->e);
	r->err = obj_core_relocate(r->o, &opts, &r->e);
}

static void run_free(struct run *r)
{
	bb_vec_free(&r->res);
	bb_vec_free(&r->diags);
	obj_free(r->o);
	bbtf_free(r->target);
}

static void run_ok(struct run *r, const char *prog, const struct tgt *t)
{
	char line[600];

	run_core(r, prog, t);
	cr_assert_eq(r->err, 0, "%s", bb_err_str(&r->e, line, sizeof(line)));
}

/* The result of program @prog's relocation whose spec starts with @spec
 * and whose kind is @kind (the n-th such, from 0). */
static const struct obj_core_res *find(const struct run *r, const char *prog, uint32_t kind,
				       const char *spec)
{
	int pi = obj_prog_by_name(r->o, prog);

	cr_assert_geq(pi, 0, "no program %s", prog);
	for (size_t k = 0; k < r->res.len; k++) {
		const struct obj_core_res *x = bb_vec_at(&r->res, struct obj_core_res, k);

		if (x->prog == (uint32_t)pi && x->kind == kind && !strncmp(x->spec, spec, strlen(spec)))
			return x;
	}
	cr_assert_fail("no %s relocation '%s' in %s", bbtf_core_kind_str(kind), spec, prog);
	return NULL;
}

static bool is_poison(const struct isa_raw *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->imm == CORE_POISON_IMM && !in->src &&
	       !in->dst && !in->off;
}

/* What the instruction at @x now holds: imm, offset or 64-bit immediate. */
static uint64_t insn_value(const struct run *r, const struct obj_core_res *x)
{
	const struct obj_prog *p = obj_prog(r->o, x->prog);
	const struct isa_raw *in = &p->insns[x->insn];

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return (uint64_t)(int64_t)in->imm;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return (uint64_t)(int64_t)in->off;
	case BPF_LD:
		return (uint32_t)in[0].imm | ((uint64_t)(uint32_t)in[1].imm << 32);
	}
	cr_assert_fail("insn %u: code 0x%02x is no CO-RE form", x->insn, in->code);
	return 0;
}

/* Relocation @spec of @kind went from @local to @target, and the patched
 * instruction holds @target. */
static void expect(const struct run *r, const char *prog, uint32_t kind, const char *spec,
		   uint64_t local, uint64_t target)
{
	const struct obj_core_res *x = find(r, prog, kind, spec);

	cr_expect_not(x->poisoned, "%s %s poisoned: %s", prog, spec, x->msg);
	cr_expect_eq(x->target_val, target, "%s <%s> %s: target %llu, expected %llu", prog,
		     bbtf_core_kind_str(kind), spec, (unsigned long long)x->target_val,
		     (unsigned long long)target);
	if (local != UINT64_MAX)
		cr_expect_eq(x->local_val, local, "%s <%s> %s: local %llu, expected %llu", prog,
			     bbtf_core_kind_str(kind), spec, (unsigned long long)x->local_val,
			     (unsigned long long)local);
	cr_expect_eq(insn_value(r, x), target, "%s <%s> %s: insn %u holds %llu, expected %llu",
		     prog, bbtf_core_kind_str(kind), spec, x->insn,
		     (unsigned long long)insn_value(r, x), (unsigned long long)target);
}

static void expect_poison(const struct run *r, const char *prog, uint32_t kind, const char *spec,
			  const char *why)
{
	const struct obj_core_res *x = find(r, prog, kind, spec);
	const struct obj_prog *p = obj_prog(r->o, x->prog);
	char want[400];
	bool in_diags = false;

	cr_assert(x->poisoned, "%s %s not poisoned", prog, spec);
	cr_expect(is_poison(&p->insns[x->insn]), "insn %u not `call 0xbad2310`", x->insn);
	snprintf(want, sizeof(want), "prog '%s': insn %u: CO-RE relocation [%u] <%s> %s", prog,
		 x->insn, x->relo, bbtf_core_kind_str(kind), spec);
	cr_expect(strstr(x->msg, want), "diagnostic '%s' lacks '%s'", x->msg, want);
	cr_expect(strstr(x->msg, why), "diagnostic '%s' lacks '%s'", x->msg, why);
	cr_expect(strstr(x->msg, "instruction poisoned"), "%s", x->msg);
	for (size_t k = 0; k < r->diags.len; k++)
		in_diags |= !strcmp(bb_vec_at(&r->diags, struct obj_core_res, k)->msg, x->msg);
	cr_expect(in_diags, "poisoned relocation missing from diags");
}

/* ------------------------------------------------------------------ */
/* Field relocations against synthetic targets                          */
/* ------------------------------------------------------------------ */

Test(core_fields, moved_fields_every_kind)
{
	struct tgt t = { 0 };
	struct run r;

	run_ok(&r, "fields", &t);
	cr_expect_eq(r.diags.len, 0);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", 4, 8);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_SIZE, "struct task.pid", 4, 4);
	/* anonymous member: local 8+4, target anon@16 with anon_y first */
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.anon_y (0:2:1)", 12, 16);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.in.b (0:3:1)", 20, 24);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.arr[2] (0:4:2)", 32, 40);
	/* flag: 3 bits at 581 -> u32 load at 72, bits 5..7 of it */
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.flag", 40, 72);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_SIZE, "struct task.flag", 4, 4);
	expect(&r, "fields", BPF_CORE_FIELD_SIGNED, "struct task.flag", 0, 0);
	expect(&r, "fields", BPF_CORE_FIELD_LSHIFT_U64, "struct task.flag", 61, 56);
	expect(&r, "fields", BPF_CORE_FIELD_RSHIFT_U64, "struct task.flag", 61, 61);
	/* sflag: 5 bits at 606 straddle the u32 at 72: u64 load at 72 */
	expect(&r, "fields", BPF_CORE_FIELD_SIGNED, "struct task.sflag", 1, 1);
	expect(&r, "fields", BPF_CORE_FIELD_LSHIFT_U64, "struct task.sflag", 56, 29);
	expect(&r, "fields", BPF_CORE_FIELD_RSHIFT_U64, "struct task.sflag", 59, 59);
	expect(&r, "fields", BPF_CORE_FIELD_EXISTS, "struct task.pid", 1, 1);
	/* loads: LDX offsets follow, sizes unchanged */
	expect(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.u32f", 44, 80);
	expect(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", 4, 8);
	expect(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.ptr", 48, 88);
	cr_expect_eq(find(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid")->target_type_id,
		     r.id.task);
	run_free(&r);
}

Test(core_fields, missing_field_poisons_and_exists_says_0)
{
	struct tgt t = { .no_pid = true };
	struct run r;

	run_ok(&r, "fields", &t);
	expect_poison(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid (0:1)",
		      "field not found in target BTF");
	expect_poison(&r, "fields", BPF_CORE_FIELD_BYTE_SIZE, "struct task.pid (0:1)",
		      "field not found in target BTF");
	expect_poison(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid (0:1)",
		      "field not found in target BTF");
	expect(&r, "fields", BPF_CORE_FIELD_EXISTS, "struct task.pid", 1, 0);
	/* the rest still relocates */
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.in.b", 20, 24);
	expect(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.u32f", 44, 80);
	cr_expect_eq(r.diags.len, 3);
	run_free(&r);
}

Test(core_fields, missing_type_poisons_every_field)
{
	struct tgt t = { .no_task = true };
	struct run r;

	run_ok(&r, "fields", &t);
	expect_poison(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.arr[2]",
		      "type not found in target BTF");
	expect_poison(&r, "fields", BPF_CORE_FIELD_LSHIFT_U64, "struct task.flag",
		      "type not found in target BTF");
	expect(&r, "fields", BPF_CORE_FIELD_EXISTS, "struct task.pid", 1, 0);
	cr_expect_eq(r.diags.len, 13 + 3);
	run_free(&r);
}

Test(core_fields, unsigned_field_grows_load_follows)
{
	struct tgt t = { .u32f = 1 };   /* unsigned int -> unsigned long long */
	const struct obj_core_res *x;
	const struct isa_raw *in;
	struct run r;

	run_ok(&r, "fields", &t);
	expect(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.u32f", 44, 80);
	x = find(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.u32f");
	in = &obj_prog(r.o, x->prog)->insns[x->insn];
	cr_expect_eq(in->code, BPF_LDX | BPF_MEM | BPF_DW, "code 0x%02x", in->code);
	run_free(&r);
}

Test(core_fields, signed_resize_poisons_the_load)
{
	struct tgt t = { .u32f = 2 };   /* unsigned int -> long long: unsafe */
	struct run r;

	run_ok(&r, "fields", &t);
	expect_poison(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.u32f",
		      "field size changed");
	run_free(&r);
}

Test(core_fields, signed_int_shrinks_poisons)
{
	struct tgt t = { .pid_short = true };
	struct run r;

	run_ok(&r, "fields", &t);
	expect_poison(&r, "loads", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", "field size changed");
	run_free(&r);
	/* ALU uses of the offset and the size need no load change */
	run_ok(&r, "fields", &t);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", 4, 8);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_SIZE, "struct task.pid", 4, 2);
	run_free(&r);
}

Test(core_fields, flavors_match_essential_names)
{
	struct tgt t = { 0 };
	struct run r;

	/* local task___v2 and task___old against target "task" */
	run_ok(&r, "flavor", &t);
	expect(&r, "flavor", BPF_CORE_FIELD_BYTE_OFFSET, "struct task___v2.pid", 0, 8);
	expect(&r, "flavor", BPF_CORE_FIELD_EXISTS, "struct task___old.state", 1, 0);
	expect_poison(&r, "flavor", BPF_CORE_FIELD_BYTE_OFFSET, "struct task___old.state",
		      "field not found in target BTF");
	run_free(&r);
	/* and a flavored target ("task___6_1") matches a plain local name */
	t.task_name = "task___6_1";
	run_ok(&r, "fields", &t);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", 4, 8);
	run_free(&r);
}

Test(core_fields, agreeing_duplicates_are_fine)
{
	struct tgt t = { .dup = 1 };
	struct run r;

	run_ok(&r, "fields", &t);
	expect(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid", 4, 8);
	run_free(&r);
}

Test(core_fields, disagreeing_duplicates_are_ambiguous)
{
	struct tgt t = { .dup = 2 };
	struct run r;

	run_core(&r, "fields", &t);
	cr_assert_eq(r.err, -EINVAL);
	cr_expect(strstr(r.e.msg, "prog 'fields': CO-RE relocation [0] <byte_off> struct task.pid"),
		  "%s", r.e.msg);
	cr_expect(strstr(r.e.msg, "ambiguous"), "%s", r.e.msg);
	cr_expect_eq(r.e.insn, 0);
	cr_expect_str_eq(r.e.section, "raw_tp/fields");
	/* all or nothing: the code is as linked */
	cr_expect_eq(obj_prog(r.o, 0)->insns[0].imm, 4);
	run_free(&r);
}

Test(core_fields, same_offset_different_size_is_ambiguous)
{
	struct tgt t = { .dup = 3 };
	struct run r;

	run_core(&r, "fields", &t);
	cr_assert_eq(r.err, -EINVAL);
	cr_expect(strstr(r.e.msg, "<byte_sz> struct task.pid (0:1): ambiguous"), "%s", r.e.msg);
	cr_expect(strstr(r.e.msg, "give value 4 and value 2"), "%s", r.e.msg);
	run_free(&r);
}

Test(core_fields, diags_without_results)
{
	struct tgt t = { .no_pid = true };
	struct tids id;
	struct obj *o = open_prog("fields");
	struct bbtf *b = make_target(&t, &id);
	struct bb_vec diags;
	struct obj_core_opts opts = { .sz = sizeof(opts), .target = b, .diags = &diags };

	bb_vec_init(&diags, sizeof(struct obj_core_res));
	cr_assert_eq(obj_core_relocate(o, &opts, NULL), 0);
	cr_expect_eq(diags.len, 3);
	for (size_t k = 0; k < diags.len; k++)
		cr_expect(bb_vec_at(&diags, struct obj_core_res, k)->poisoned);
	bb_vec_free(&diags);
	bbtf_free(b);
	obj_free(o);
}

/* ------------------------------------------------------------------ */
/* Type and enum relocations                                            */
/* ------------------------------------------------------------------ */

Test(core_types, every_type_and_enum_kind)
{
	struct tgt t = { 0 };
	const struct obj_core_res *x;
	struct run r;

	run_ok(&r, "types", &t);
	expect(&r, "types", BPF_CORE_TYPE_EXISTS, "struct rq", 1, 1);
	expect(&r, "types", BPF_CORE_TYPE_SIZE, "struct rq", 16, 24);
	expect(&r, "types", BPF_CORE_TYPE_MATCHES, "struct rq", 1, 1);
	expect(&r, "types", BPF_CORE_TYPE_EXISTS, "struct gone", 1, 0);
	x = find(&r, "types", BPF_CORE_TYPE_ID_LOCAL, "struct rq");
	expect(&r, "types", BPF_CORE_TYPE_ID_LOCAL, "struct rq", x->local_type_id, x->local_type_id);
	cr_expect_eq(bbtf_type_by_id(obj_btf(r.o), x->local_type_id)->size, 16);
	expect(&r, "types", BPF_CORE_TYPE_ID_TARGET, "struct rq", UINT64_MAX, r.id.rq);
	expect(&r, "types", BPF_CORE_ENUMVAL_EXISTS, "enum color::GREEN", 1, 1);
	expect(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum color::GREEN", 5, 10);
	expect(&r, "types", BPF_CORE_ENUMVAL_EXISTS, "enum color::BLUE", 1, 1);
	expect(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum color::BLUE", 6, 11);
	/* ld_imm64 with a 64-bit enumerator: both halves patched */
	expect(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum big::BIG", 0x100000000ULL,
	       0x1234567800000001ULL);
	expect(&r, "types", BPF_CORE_TYPE_SIZE, "typedef my_int", 4, 4);
	cr_expect_eq(r.diags.len, 0);
	run_free(&r);
}

Test(core_types, enumerator_absent_poisons_ld_imm64)
{
	struct tgt t = { .no_blue = true };
	const struct obj_core_res *x;
	const struct isa_raw *in;
	struct run r;

	run_ok(&r, "types", &t);
	expect(&r, "types", BPF_CORE_ENUMVAL_EXISTS, "enum color::BLUE", 1, 0);
	expect_poison(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum color::BLUE",
		      "enum value not found in target BTF");
	x = find(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum color::BLUE");
	in = &obj_prog(r.o, x->prog)->insns[x->insn];
	cr_expect(is_poison(&in[1]), "second ld_imm64 slot not poisoned");
	expect(&r, "types", BPF_CORE_ENUMVAL_VALUE, "enum color::GREEN", 5, 10);
	run_free(&r);
}

Test(core_types, type_matches_false_and_typedef_size)
{
	struct tgt t = { .rq_int_y = true, .my_int_ll = true };
	struct run r;

	run_ok(&r, "types", &t);
	expect(&r, "types", BPF_CORE_TYPE_MATCHES, "struct rq", 1, 0);
	expect(&r, "types", BPF_CORE_TYPE_EXISTS, "struct rq", 1, 1);
	expect(&r, "types", BPF_CORE_TYPE_SIZE, "typedef my_int", 4, 8);
	run_free(&r);
}

Test(core_types, relations_unit)
{
	struct bbtf *a = NULL, *b = NULL;
	uint32_t ai, au, as, ap, bi, bl, bs, bfwd, bp;

	cr_assert_eq(bbtf_new(NULL, &a), 0);
	cr_assert_eq(bbtf_new(NULL, &b), 0);
	ai = ADD(bbtf_add_int(a, "int", 4, BTF_INT_SIGNED));
	au = ADD(bbtf_add_int(a, "unsigned int", 4, 0));
	as = ADD(bbtf_add_struct(a, "s", 4));
	ADD(bbtf_add_member(a, "x", ai, 0, 0));
	ap = ADD(bbtf_add_ptr(a, as));
	bi = ADD(bbtf_add_int(b, "int", 4, BTF_INT_SIGNED));
	bl = ADD(bbtf_add_int(b, "long", 8, BTF_INT_SIGNED));
	bs = ADD(bbtf_add_struct(b, "s___flavor", 8));
	ADD(bbtf_add_member(b, "x", bl, 0, 0));
	bfwd = ADD(bbtf_add_fwd(b, "s", false));
	bp = ADD(bbtf_add_ptr(b, bfwd));
	/* compat: ints of any size, structs of the same kind */
	cr_expect_eq(core_types_are_compat(a, ai, b, bl), 1);
	cr_expect_eq(core_types_are_compat(a, as, b, bs), 1);
	cr_expect_eq(core_types_are_compat(a, ai, b, bs), 0);
	/* match: size and signedness; member types; FWD behind a pointer */
	cr_expect_eq(core_types_match(a, ai, b, bi), 1);
	cr_expect_eq(core_types_match(a, au, b, bi), 0);
	cr_expect_eq(core_types_match(a, as, b, bs), 0);
	cr_expect_eq(core_types_match(a, ap, b, bp), 1);
	bbtf_free(a);
	bbtf_free(b);
}

Test(core_types, essential_names)
{
	cr_expect_eq(core_essential_name_len("task_struct___old"), 11);
	cr_expect_eq(core_essential_name_len("task_struct"), 11);
	cr_expect_eq(core_essential_name_len("a___b___c"), 5);
	cr_expect_eq(core_essential_name_len("a____b"), 6);
	cr_expect_eq(core_essential_name_len("___x"), 4);
	cr_expect_eq(core_essential_name_len(""), 0);
}

/* ------------------------------------------------------------------ */
/* Patching (no clang)                                                  */
/* ------------------------------------------------------------------ */

static struct core_result res_of(uint64_t orig, uint64_t new_val)
{
	struct core_result r = { .orig_val = orig, .new_val = new_val, .validate = true };

	return r;
}

Test(core_patch, alu_imm_mov_and_add)
{
	struct isa_raw in[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst = 1, .imm = 8 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst = 1, .imm = 8 },
	};
	struct core_relo r0 = { .insn = 0 }, r1 = { .insn = 1 };
	struct core_result res = res_of(8, 24);

	cr_assert_eq(core_patch(in, 2, &r0, &res, NULL), 0);
	cr_assert_eq(core_patch(in, 2, &r1, &res, NULL), 0);
	cr_expect_eq(in[0].imm, 24);
	cr_expect_eq(in[1].imm, 24);
	cr_expect_eq(in[0].code, BPF_ALU64 | BPF_MOV | BPF_K);
}

Test(core_patch, value_must_be_the_local_one)
{
	struct isa_raw in = { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst = 1, .imm = 5 };
	struct core_relo r = { .insn = 0 };
	struct core_result res = res_of(8, 24);
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(core_patch(&in, 1, &r, &res, &e), -EINVAL);
	cr_expect(strstr(e.msg, "unexpected ALU immediate 5, expected 8"), "%s", e.msg);
	cr_expect_eq(e.insn, 0);
	cr_expect_eq(in.imm, 5);
	/* ...unless the relocation cannot be checked (bitfields, type ids) */
	res.validate = false;
	cr_assert_eq(core_patch(&in, 1, &r, &res, &e), 0);
	cr_expect_eq(in.imm, 24);
	/* a register source has no immediate to patch */
	in.code = BPF_ALU64 | BPF_ADD | BPF_X;
	cr_expect_eq(core_patch(&in, 1, &r, &res, &e), -EINVAL);
}

Test(core_patch, ldx_st_stx_offsets_and_sizes)
{
	struct isa_raw in[3] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst = 1, .src = 2, .off = 4 },
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst = 1, .off = 4, .imm = 7 },
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst = 1, .src = 3, .off = 4 },
	};
	struct core_relo r = { .insn = 0 };
	struct core_result res = res_of(4, 80);
	struct bb_err e;

	res.orig_sz = 4;
	res.new_sz = 8;
	for (uint32_t i = 0; i < 3; i++) {
		r.insn = i;
		cr_assert_eq(core_patch(in, 3, &r, &res, NULL), 0);
		cr_expect_eq(in[i].off, 80);
		cr_expect_eq(BPF_SIZE(in[i].code), BPF_DW, "insn %u code 0x%02x", i, in[i].code);
	}
	cr_expect_eq(in[1].imm, 7);
	/* the instruction's size must be the local field's */
	res = res_of(80, 90);
	res.orig_sz = 4;
	res.new_sz = 8;
	bb_err_clear(&e);
	r.insn = 0;
	cr_expect_eq(core_patch(in, 3, &r, &res, &e), -EINVAL);
	cr_expect(strstr(e.msg, "access of 8 bytes to a field of 4 bytes"), "%s", e.msg);
	/* a 16-bit offset field */
	res = res_of(80, 40000);
	cr_expect_eq(core_patch(in, 3, &r, &res, &e), -ERANGE);
}

Test(core_patch, unsafe_resize_poisons)
{
	struct isa_raw in = { .code = BPF_LDX | BPF_MEM | BPF_W, .dst = 1, .src = 2, .off = 4 };
	struct core_relo r = { .insn = 0 };
	struct core_result res = res_of(4, 8);

	res.orig_sz = 4;
	res.new_sz = 8;
	res.fail_memsz_adjust = true;
	cr_assert_eq(core_patch(&in, 1, &r, &res, NULL), 0);
	cr_expect(is_poison(&in));
	cr_expect(res.poison);
	cr_expect_eq(res.why, CORE_BAD_MEMSZ);
}

Test(core_patch, ld_imm64_both_halves_and_poison)
{
	struct isa_raw in[2] = {
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst = 1, .imm = 5 },
		{ .imm = 0 },
	};
	struct core_relo r = { .insn = 0 };
	struct core_result res = res_of(5, 0xabcdef0012345678ULL);
	char buf[128];

	cr_assert_eq(core_patch(in, 2, &r, &res, NULL), 0);
	cr_expect_eq((uint32_t)in[0].imm, 0x12345678u);
	cr_expect_eq((uint32_t)in[1].imm, 0xabcdef00u);
	res.poison = true;
	cr_assert_eq(core_patch(in, 2, &r, &res, NULL), 0);
	cr_expect(is_poison(&in[0]) && is_poison(&in[1]));
	/* what the kernel verifier will name if the path is reachable */
	cr_assert_gt(isa_disasm_insn(in, 2, 0, ISA_SYNTAX_PSEUDO_C, buf, sizeof(buf)), 0);
	cr_expect(strstr(buf, "unknown#195896080"), "%s", buf);
	/* a map ld_imm64 is not a CO-RE form; nor is one cut short */
	in[0] = (struct isa_raw){ .code = BPF_LD | BPF_IMM | BPF_DW, .src = 1, .imm = 5 };
	in[1] = (struct isa_raw){ 0 };
	res = res_of(5, 6);
	cr_expect_eq(core_patch(in, 2, &r, &res, NULL), -EINVAL);
	in[0].src = 0;
	cr_expect_eq(core_patch(in, 1, &r, &res, NULL), -EINVAL);
}

Test(core_patch, other_instructions_refused)
{
	struct isa_raw in = { .code = BPF_JMP | BPF_JA, .off = 3 };
	struct core_relo r = { .insn = 0 };
	struct core_result res = res_of(3, 4);

	cr_expect_eq(core_patch(&in, 1, &r, &res, NULL), -EINVAL);
	r.insn = 1;
	cr_expect_eq(core_patch(&in, 1, &r, &res, NULL), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* obj_core_relocate() behaviour                                        */
/* ------------------------------------------------------------------ */

Test(core_obj, repeat_and_retarget)
{
	struct tgt t = { 0 }, t2 = { .no_pid = true };
	struct tids id2;
	struct bbtf *other = make_target(&t2, &id2);
	struct obj_core_opts opts = { .sz = sizeof(opts) };
	const struct obj_core_res *x;
	struct isa_raw first;
	struct run r;
	struct isa_raw *code = NULL;
	long n;

	run_ok(&r, "fields", &t);
	x = find(&r, "fields", BPF_CORE_FIELD_BYTE_OFFSET, "struct task.pid");
	first = obj_prog(r.o, x->prog)->insns[x->insn];
	cr_expect_eq(first.imm, 8);
	/* same target again: same code */
	opts.target = r.target;
	cr_assert_eq(obj_core_relocate(r.o, &opts, NULL), 0);
	cr_expect_eq(obj_prog(r.o, x->prog)->insns[x->insn].imm, 8);
	/* another target: starts from the compiler's values again */
	opts.target = other;
	cr_assert_eq(obj_core_relocate(r.o, &opts, NULL), 0);
	cr_expect(is_poison(&obj_prog(r.o, x->prog)->insns[x->insn]));
	opts.target = r.target;
	cr_assert_eq(obj_core_relocate(r.o, &opts, NULL), 0);
	cr_expect_eq(obj_prog(r.o, x->prog)->insns[x->insn].imm, 8);
	/* obj_prog_insns() hands out the relocated code */
	n = obj_prog_insns(r.o, x->prog, NULL, 0, &code, NULL);
	cr_assert_gt(n, (long)x->insn);
	cr_expect_eq(code[x->insn].imm, 8);
	free(code);
	bbtf_free(other);
	run_free(&r);
}

Test(core_obj, bad_target_path_and_opts)
{
	struct obj *o = open_prog("types");
	struct obj_core_opts opts = { .sz = sizeof(opts), .target_btf_path = "/nonexistent/btf" };
	struct bb_vec wrong;
	struct bb_err e;

	bb_err_clear(&e);
	cr_expect_lt(obj_core_relocate(o, &opts, &e), 0);
	cr_expect(strstr(e.file, "/nonexistent/btf"), "%s", e.file);
	cr_expect_str_empty(e.section);
	bb_vec_init(&wrong, 4);
	opts.target_btf_path = NULL;
	opts.results = &wrong;
	cr_expect_eq(obj_core_relocate(o, &opts, &e), -EINVAL);
	opts.sz = 2;
	cr_expect_eq(obj_core_relocate(o, &opts, &e), -EINVAL);
	obj_free(o);
}

/* ------------------------------------------------------------------ */
/* Against the running kernel                                           */
/* ------------------------------------------------------------------ */

static const char *vmlinux = "/sys/kernel/btf/vmlinux";

/* Offset and size of member @name of struct @sname found by walking the
 * kernel's BTF directly (direct members only). */
static void kernel_member(const struct bbtf *v, const char *sname, const char *name,
			  uint32_t *off, uint32_t *size)
{
	int sid = bbtf_find_by_name_kind(v, sname, BTF_KIND_STRUCT);
	const struct btf_type *t;

	cr_assert_gt(sid, 0);
	t = bbtf_type_by_id(v, (uint32_t)sid);
	for (int i = 0; i < bbtf_vlen(t); i++) {
		if (strcmp(bbtf_name(v, bbtf_members(t)[i].name_off), name))
			continue;
		*off = bbtf_member_bit_offset(t, i) / 8;
		*size = (uint32_t)bbtf_resolve_size(v, bbtf_members(t)[i].type);
		return;
	}
	cr_assert_fail("no %s.%s in the kernel", sname, name);
}

Test(core_kernel, task_struct_facts_match_vmlinux)
{
	struct bb_vec res, diags;
	struct obj_core_opts opts = { .sz = sizeof(opts), .results = &res, .diags = &diags };
	struct bbtf *v = NULL;
	struct run r = { 0 };
	uint32_t pid_off, pid_sz, tgid_off, comm_off, comm_sz;
	int ts, pt;
	const struct btf_type *e;
	int64_t tgid_val = -1;
	const struct obj_core_res *d;
	char line[600];

	if (access(vmlinux, R_OK))
		cr_skip_test("no %s", vmlinux);
	cr_assert_eq(bbtf_load_vmlinux(NULL, &v, NULL), 0);
	kernel_member(v, "task_struct", "pid", &pid_off, &pid_sz);
	kernel_member(v, "task_struct", "tgid", &tgid_off, &pid_sz);
	kernel_member(v, "task_struct", "comm", &comm_off, &comm_sz);
	ts = bbtf_find_by_name_kind(v, "task_struct", BTF_KIND_STRUCT);
	pt = bbtf_find_by_name_kind(v, "pid_type", BTF_KIND_ENUM);
	cr_assert_gt(pt, 0);
	e = bbtf_type_by_id(v, (uint32_t)pt);
	for (int i = 0; i < bbtf_vlen(e); i++)
		if (!strcmp(bbtf_name(v, bbtf_enums(e)[i].name_off), "PIDTYPE_TGID"))
			tgid_val = bbtf_enums(e)[i].val;
	cr_assert_geq(tgid_val, 0);

	bb_vec_init(&res, sizeof(struct obj_core_res));
	bb_vec_init(&diags, sizeof(struct obj_core_res));
	r.o = open_prog("kernel");
	/* default target: the running kernel's BTF, read by obj_core_relocate() */
	cr_assert_eq(obj_core_relocate(r.o, &opts, &r.e), 0, "%s",
		     bb_err_str(&r.e, line, sizeof(line)));
	r.res = res;
	expect(&r, "handle_exec", BPF_CORE_FIELD_BYTE_OFFSET, "struct task_struct.pid", 0, pid_off);
	expect(&r, "handle_exec", BPF_CORE_FIELD_BYTE_OFFSET, "struct task_struct.tgid", 4, tgid_off);
	expect(&r, "handle_exec", BPF_CORE_FIELD_BYTE_SIZE, "struct task_struct.comm", 16, comm_sz);
	expect(&r, "handle_exec", BPF_CORE_TYPE_SIZE, "struct task_struct", 24,
	       (uint64_t)bbtf_resolve_size(v, (uint32_t)ts));
	expect(&r, "handle_exec", BPF_CORE_TYPE_ID_TARGET, "struct task_struct", UINT64_MAX,
	       (uint64_t)ts);
	expect(&r, "handle_exec", BPF_CORE_ENUMVAL_VALUE, "enum pid_type::PIDTYPE_TGID", 1,
	       (uint64_t)tgid_val);
	expect(&r, "handle_exec", BPF_CORE_FIELD_EXISTS, "struct task_struct___x.no_such_field", 1, 0);
	/* the deliberately missing field: the one diagnostic */
	cr_assert_eq(diags.len, 1);
	d = bb_vec_at(&diags, struct obj_core_res, 0);
	cr_expect(strstr(d->msg, "prog 'handle_exec': insn "), "%s", d->msg);
	cr_expect(strstr(d->msg, ": CO-RE relocation [7] <byte_off> struct "
			 "task_struct___x.no_such_field (0:0): field not found in target BTF; "
			 "instruction poisoned"), "%s", d->msg);
	bb_vec_free(&diags);
	bb_vec_free(&res);
	obj_free(r.o);
	bbtf_free(v);
}

/* Every corpus object relocates against this kernel with no poisoned
 * instruction, except core.bpf.o's deliberate task_struct___old.state. */
Test(core_kernel, corpus_objects_relocate_cleanly, .timeout = 120)
{
	char pat[600], line[600];
	glob_t g;
	struct bbtf *v = NULL;
	size_t total = 0, poisoned = 0, objs = 0;

	if (access(vmlinux, R_OK))
		cr_skip_test("no %s", vmlinux);
	tu_repo_path("build/corpus/*.bpf.o", pat, sizeof(pat));
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc) {
		globfree(&g);
		cr_skip_test("corpus not built (make corpus)");
	}
	cr_assert_eq(bbtf_load_vmlinux(NULL, &v, NULL), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct bb_vec res, diags;
		struct obj_core_opts opts = { .sz = sizeof(opts), .target = v, .results = &res,
					      .diags = &diags };
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		struct obj *o = NULL;
		struct bb_err e;

		bb_err_clear(&e);
		if (obj_open_file(g.gl_pathv[i], NULL, &o, &e)) {
			/* opening is elf/'s business and tested there */
			cr_log_warn("%s: %s", base, bb_err_str(&e, line, sizeof(line)));
			continue;
		}
		bb_vec_init(&res, sizeof(struct obj_core_res));
		bb_vec_init(&diags, sizeof(struct obj_core_res));
		cr_expect_eq(obj_core_relocate(o, &opts, &e), 0, "%s",
			     bb_err_str(&e, line, sizeof(line)));
		objs++;
		total += res.len;
		poisoned += diags.len;
		if (!strcmp(base, "core.bpf.o")) {
			cr_expect_eq(diags.len, 1, "core.bpf.o: %zu poisoned", diags.len);
			if (diags.len)
				cr_expect(strstr(bb_vec_at(&diags, struct obj_core_res, 0)->msg,
						 "struct task_struct___old.state"),
					  "%s", bb_vec_at(&diags, struct obj_core_res, 0)->msg);
		} else {
			for (size_t k = 0; k < diags.len; k++)
				cr_expect_fail("%s: %s", base,
					       bb_vec_at(&diags, struct obj_core_res, k)->msg);
		}
		bb_vec_free(&res);
		bb_vec_free(&diags);
		obj_free(o);
	}
	cr_log_info("corpus: %zu objects, %zu CO-RE relocations, %zu poisoned", objs, total,
		    poisoned);
	cr_expect_gt(total, 0);
	globfree(&g);
	bbtf_free(v);
}

/* `barebpf obj show|disasm FILE.o --btf FILE` against a raw BTF file. */
Test(core_cli, show_and_disasm_with_btf_file)
{
	struct tgt t = { .no_pid = true };
	struct tids id;
	struct bbtf *b;
	const char *cli = getenv("BAREBPF_CLI");
	char clibuf[512], btf[600], obj[600], cmd[4096], out[600];
	const void *raw;
	size_t size;
	FILE *f;
	char *text = NULL;

	if (!cli || !*cli)
		cli = tu_repo_path("build/barebpf", clibuf, sizeof(clibuf));
	if (access(cli, X_OK))
		cr_skip_test("no CLI at %s", cli);
	obj_free(open_prog("fields"));          /* compiles it into tmpdir */
	b = make_target(&t, &id);
	raw = bbtf_raw_data(b, &size);
	snprintf(btf, sizeof(btf), "%s/target.btf", tmpdir);
	f = fopen(btf, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(raw, 1, size, f), size);
	fclose(f);
	snprintf(obj, sizeof(obj), "%s/fields.o", tmpdir);
	snprintf(out, sizeof(out), "%s/show.txt", tmpdir);
	snprintf(cmd, sizeof(cmd), "%s obj show %s --btf %s > %s 2>&1 && %s obj disasm %s --btf %s "
		 "--no-source >> %s 2>&1", cli, obj, btf, out, cli, obj, btf, out);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_gt(bb_read_file(out, &text, NULL), 0);
	cr_expect(strstr(text, "CO-RE relocations (17, 3 poisoned) against "), "%s", text);
	cr_expect(strstr(text, "fields [3] insn "), "%s", text);
	cr_expect(strstr(text, "byte_off       struct task.in.b (0:3:1): 20 -> 24"), "%s", text);
	cr_expect(strstr(text, "warning: prog 'loads': insn "), "%s", text);
	cr_expect(strstr(text, "call unknown#195896080  ; CO-RE byte_off struct task.pid (0:1) "
			       "POISONED"), "%s", text);
	free(text);
	bbtf_free(b);
}
