/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_tools.c - seed tools offline on hand-built contexts
 * (their ring buffer records checked field by field), and helpers'
 * kernel conventions: printk format rules, probe reads that fault,
 * unknown helpers.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "env/env.h"
#include "maps/maps.h"
#include "tests/common/testutil.h"

static struct env *load(const char *name, struct obj **o)
{
	char rel[128], path[512];
	struct env *env = env_new();
	struct bb_err e;

	bb_err_clear(&e);
	snprintf(rel, sizeof(rel), "build/corpus/%s.bpf.o", name);
	cr_assert_eq(obj_open_file(tu_repo_path(rel, path, sizeof(path)), NULL, o, &e), 0,
		     "%s (run `make corpus`)", e.msg);
	cr_assert_eq(env_load_obj(env, *o, NULL, &e), 0, "%s", e.msg);
	return env;
}

Test(env_tools, opensnoop_enter_exit_gives_one_ring_buffer_record)
{
	struct obj *o;
	struct env *env = load("opensnoop", &o);
	struct env_task t = { .pid = 4321, .tgid = 1234, .uid = 1000, .gid = 100, .comm = "cat" };
	const char *fname = "/etc/passwd";
	void *user = env_mem_add(env, ENV_MEM_USER, fname, strlen(fname) + 1);
	uint8_t enter[48] = { 0 }, exit_[24] = { 0 };
	uint64_t v;
	struct env_run_in in = { .sz = sizeof(in), .checked = true };
	struct env_run_out out;
	struct bb_err e;
	int32_t i32;

	cr_assert_not_null(user);
	env_set_task(env, &t);
	v = (uint64_t)(uintptr_t)user;
	memcpy(enter + 24, &v, 8);              /* args[1]: filename */
	v = 0x80000;                            /* args[2]: O_CLOEXEC */
	memcpy(enter + 32, &v, 8);
	in.ctx = enter;
	in.ctx_len = sizeof(enter);
	cr_assert_eq(env_run(env, env_prog_find(env, "handle_enter_openat"), &in, &out, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(out.record_cnt, 0);
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 1);
	env_run_out_free(&out);
	v = (uint64_t)-2;                       /* ret: -ENOENT */
	memcpy(exit_ + 16, &v, 8);
	in.ctx = exit_;
	in.ctx_len = sizeof(exit_);
	cr_assert_eq(env_run(env, env_prog_find(env, "handle_exit_openat"), &in, &out, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(out.record_cnt, 1);
	cr_assert_eq(out.records[0].len, 4 * 4 + 16 + 255 + 1 /* padding */);
	memcpy(&i32, out.records[0].data + 0, 4);
	cr_assert_eq(i32, 1234, "pid is the tgid");
	memcpy(&i32, out.records[0].data + 4, 4);
	cr_assert_eq(i32, 1000);
	memcpy(&i32, out.records[0].data + 8, 4);
	cr_assert_eq(i32, -2);
	memcpy(&i32, out.records[0].data + 12, 4);
	cr_assert_eq(i32, 0x80000);
	cr_assert_str_eq((char *)out.records[0].data + 16, "cat");
	cr_assert_str_eq((char *)out.records[0].data + 32, "/etc/passwd");
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 0);
	env_run_out_free(&out);
	env_free(env);
	obj_free(o);
}

/* ----- helpers on small assembled programs ----- */

#define I(c, d, s, o, i) { .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) }
#define MOV(d, i) I(0xb7, d, 0, 0, i)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define EXIT I(0x95, 0, 0, 0, 0)
#define STW(d, o, i) I(0x62, d, 0, o, i)
#define MOVX(d, s) I(0xbf, d, s, 0, 0)
#define ADDK(d, i) I(0x07, d, 0, 0, i)

static int run_raw(const struct isa_raw *p, size_t n, uint64_t *r0, char *printk,
		   size_t psize, struct bb_err *e)
{
	struct env *env = env_new();
	struct env_run_in in = { .sz = sizeof(in), .checked = true };
	struct env_run_out out;
	uint64_t args[2] = { 0, 0 };
	int idx, ret;

	idx = env_load_insns(env, "t", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, p, n, e);
	cr_assert_geq(idx, 0, "%s", e->msg);
	in.ctx = args;
	in.ctx_len = sizeof(args);
	ret = env_run(env, env_prog(env, (size_t)idx), &in, &out, e);
	if (!ret) {
		*r0 = out.r0;
		if (printk)
			snprintf(printk, psize, "%s", out.printk);
	}
	env_run_out_free(&out);
	env_free(env);
	return ret;
}

Test(env_helpers, trace_printk_formats_and_refusals)
{
	/* "x=%d\n" on the stack: 'x','=','%','d' '\n' 0 */
	struct isa_raw p[] = {
		STW(10, -8, 0x64253d78), STW(10, -4, 0x0a),
		MOVX(1, 10), ADDK(1, -8), MOV(2, 6), MOV(3, -7), CALL(6), EXIT,
	};
	struct isa_raw bad[] = {
		STW(10, -8, 0x6e253d78), STW(10, -4, 0),       /* "x=%n" */
		MOVX(1, 10), ADDK(1, -8), MOV(2, 5), MOV(3, 1), CALL(6), EXIT,
	};
	char text[64];
	uint64_t r0;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(run_raw(p, BB_ARRAY_SIZE(p), &r0, text, sizeof(text), &e), 0, "%s", e.msg);
	cr_assert_str_eq(text, "x=-7\n");
	cr_assert_eq(r0, 5);
	cr_assert_eq(run_raw(bad, BB_ARRAY_SIZE(bad), &r0, text, sizeof(text), &e), 0);
	cr_assert_eq((int64_t)r0, -EINVAL);
	cr_assert_str_eq(text, "");
}

Test(env_helpers, probe_read_kernel_faults_zero_the_destination)
{
	/* *(u32 *)(r10-8) = 0x11223344; probe_read_kernel(r10-8, 8, 0x1000) */
	struct isa_raw p[] = {
		STW(10, -8, 0x11223344), STW(10, -4, 0x55667788),
		MOVX(1, 10), ADDK(1, -8), MOV(2, 8), MOV(3, 0x1000), CALL(113),
		MOVX(6, 0), I(0x61, 0, 10, -8, 0), I(0x0f, 0, 6, 0, 0), EXIT,
	};
	uint64_t r0;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(run_raw(p, BB_ARRAY_SIZE(p), &r0, NULL, 0, &e), 0, "%s", e.msg);
	cr_assert_eq((int64_t)r0, -EFAULT, "-EFAULT plus a zeroed buffer (0)");
}

Test(env_helpers, unknown_helper_stops_the_program)
{
	struct isa_raw p[] = { MOV(0, 0), CALL(17), EXIT };
	uint64_t r0;
	struct bb_err e;
	char msg[256];

	bb_err_clear(&e);
	cr_assert_eq(run_raw(p, BB_ARRAY_SIZE(p), &r0, NULL, 0, &e), -ENOENT);
	bb_err_str(&e, msg, sizeof(msg));
	cr_assert(strstr(msg, "insn 1: helper 17 (get_cgroup_classid) not available offline"),
		  "%s", msg);
}

Test(env_ctx, layouts_follow_the_kernel_access_rules)
{
	const struct env_ctx_layout *tc = env_ctx_layout(BPF_PROG_TYPE_SCHED_CLS, 0);
	const struct env_ctx_layout *sf = env_ctx_layout(BPF_PROG_TYPE_SOCKET_FILTER, 0);
	const struct env_ctx_layout *xdp = env_ctx_layout(BPF_PROG_TYPE_XDP, 0);
	const struct env_ctx_layout *tp = env_ctx_layout(BPF_PROG_TYPE_TRACEPOINT, 0);
	const struct env_ctx_field *f;

	cr_assert_eq(env_ctx_access(tc, 8, 4, true, &f, NULL), 0);      /* mark */
	cr_assert_str_eq(f->name, "mark");
	cr_assert_eq(env_ctx_access(sf, 8, 4, true, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(sf, 48, 8, true, NULL, NULL), 0);   /* cb, 8 bytes */
	cr_assert_eq(env_ctx_access(tc, 76, 4, false, &f, NULL), 0);
	cr_assert_eq(f->reg, ENV_REG_PKT);
	cr_assert_eq(env_ctx_access(sf, 76, 4, false, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(tc, 76, 2, false, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(tc, 0, 2, false, NULL, NULL), 0);   /* narrow len */
	cr_assert_eq(env_ctx_access(xdp, 4, 4, false, NULL, NULL), 0);
	cr_assert_eq(env_ctx_access(xdp, 20, 4, false, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(xdp, 0, 4, true, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(tp, 0, 4, false, NULL, NULL), -EACCES);
	cr_assert_eq(env_ctx_access(tp, 24, 8, false, NULL, NULL), 0);
	cr_assert_eq(env_ctx_access(tp, 24, 8, true, NULL, NULL), -EACCES);
}

Test(env_ctx, tracepoint_format_parses_the_saved_copy)
{
	char path[512], *text = NULL;
	struct env_tp_format *f;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_geq(bb_read_file(tu_repo_path("tests/env/data/sys_enter_openat.format", path,
						sizeof(path)), &text, &e), 0);
	cr_assert_eq(env_tp_format_parse(text, &f, &e), 0, "%s", e.msg);
	cr_assert_str_eq(f->name, "sys_enter_openat");
	cr_assert_eq(env_tp_field(f, "filename")->off, 24);
	cr_assert_str_eq(env_tp_field(f, "filename")->type, "const char *");
	cr_assert_eq(env_tp_field(f, "common_pid")->size, 4);
	cr_assert_eq(f->size, 48);
	env_tp_format_free(f);
	free(text);
}
