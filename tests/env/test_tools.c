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

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "env/env.h"
#include "maps/maps.h"
#include "tests/common/testutil.h"
#include "tests/env/env_test.h"

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
	struct env_run_in in = { .sz = sizeof(in), .engine = et_engine(), .checked = true };
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

/* ----- the other seed tools on hand-built contexts ----- */

/* The object with CO-RE relocated against the running kernel's BTF (what
 * `barebpf run` and the loader do). */
static struct env *load_core(const char *name, struct obj **o)
{
	char rel[128], path[512], msg[512];
	struct env *env = env_new();
	struct bb_err e;

	bb_err_clear(&e);
	snprintf(rel, sizeof(rel), "build/corpus/%s.bpf.o", name);
	cr_assert_eq(obj_open_file(tu_repo_path(rel, path, sizeof(path)), NULL, o, &e), 0,
		     "%s (run `make corpus`)", e.msg);
	cr_assert_eq(obj_resolve_externs(*o, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(obj_core_relocate(*o, NULL, &e), 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
	/* four virtual CPUs: per-CPU maps and perf event arrays get 4 slots */
	cr_assert_eq(env_set_cpu(env, 0, 4), 0);
	cr_assert_eq(env_load_obj(env, *o, NULL, &e), 0, "%s", bb_err_str(&e, msg, sizeof(msg)));
	return env;
}

/* A tracepoint format saved from this kernel's tracefs in tests/env/data/. */
static struct env_tp_format *tp_format(const char *name)
{
	char rel[128], path[512], *text = NULL;
	struct env_tp_format *f = NULL;
	struct bb_err e;

	bb_err_clear(&e);
	snprintf(rel, sizeof(rel), "tests/env/data/%s.format", name);
	cr_assert_geq(bb_read_file(tu_repo_path(rel, path, sizeof(path)), &text, &e), 0,
		      "%s", e.msg);
	cr_assert_eq(env_tp_format_parse(text, &f, &e), 0, "%s", e.msg);
	free(text);
	return f;
}

/* Store @v in field @name of a record laid out by @f (its size in the
 * format, little-endian). */
static void tp_set(uint8_t *rec, const struct env_tp_format *f, const char *name, uint64_t v)
{
	const struct env_tp_field *fl = env_tp_field(f, name);

	cr_assert_not_null(fl, "no field %s in %s", name, f->name);
	cr_assert_leq(fl->size, 8);
	memcpy(rec + fl->off, &v, fl->size);
}

static void tp_bytes(uint8_t *rec, const struct env_tp_format *f, const char *name,
		     const void *p, size_t n)
{
	const struct env_tp_field *fl = env_tp_field(f, name);

	cr_assert_not_null(fl, "no field %s in %s", name, f->name);
	cr_assert_leq(n, fl->size);
	memcpy(rec + fl->off, p, n);
}

/* Byte offset of member @member of struct @sname in @btf. */
static uint32_t member_off(const struct bbtf *btf, const char *sname, const char *member)
{
	int id = bbtf_find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	const struct btf_type *t;

	cr_assert_gt(id, 0, "no struct %s", sname);
	t = bbtf_type_by_id(btf, (uint32_t)id);
	for (int i = 0; i < bbtf_vlen(t); i++)
		if (!strcmp(bbtf_name(btf, bbtf_members(t)[i].name_off), member))
			return bbtf_member_bit_offset(t, i) / 8;
	cr_assert_fail("struct %s has no member %s", sname, member);
	return 0;
}

static uint32_t struct_size(const struct bbtf *btf, const char *sname)
{
	int id = bbtf_find_by_name_kind(btf, sname, BTF_KIND_STRUCT);

	cr_assert_gt(id, 0, "no struct %s", sname);
	return (uint32_t)bbtf_resolve_size(btf, (uint32_t)id);
}

static struct bbtf *vmlinux(void)
{
	struct bbtf *b = NULL;
	struct bb_err e;

	bb_err_clear(&e);
	if (bbtf_load_vmlinux(NULL, &b, &e) < 0)
		cr_skip_test("no kernel BTF (%s): the tp_btf context needs task_struct offsets",
			     e.msg);
	return b;
}

static void run_ok(struct env *env, const char *prog, const void *ctx, size_t len,
		   struct env_run_out *out)
{
	struct env_run_in in = { .sz = sizeof(in), .engine = et_engine(), .checked = true,
				 .ctx = ctx, .ctx_len = len };
	struct bb_err e;
	char msg[512];

	bb_err_clear(&e);
	cr_assert_not_null(env_prog_find(env, prog), "no program %s", prog);
	cr_assert_eq(env_run(env, env_prog_find(env, prog), &in, out, &e), 0, "%s: %s", prog,
		     bb_err_str(&e, msg, sizeof(msg)));
}

static uint64_t arr_u64(struct env *env, const char *map, uint32_t key)
{
	int i = env_map_by_name(env, map);
	uint64_t v = 0;

	cr_assert_geq(i, 0, "no map %s", map);
	cr_assert_eq(map_lookup(env_map(env, (size_t)i), &key, &v, 0), 0);
	return v;
}

/* The records as the sources declare them: clang keeps no BTF for a
 * struct only a local variable or pointer uses, so the objects do not
 * describe them. */
struct exec_event {
	uint32_t pid, ppid, uid, old_pid;
	char comm[16];
	char filename[256];
};

struct conn_event {
	uint32_t pid;
	uint16_t family, dport;
	uint8_t saddr[16], daddr[16];
	char comm[16];
};

Test(env_tools, execsnoop_sched_process_exec_gives_pid_ppid_comm_filename)
{
	struct obj *o;
	struct env *env = load_core("execsnoop", &o);
	struct bbtf *vm = vmlinux();
	struct env_tp_format *f = tp_format("sched_process_exec");
	uint32_t tsize = struct_size(vm, "task_struct");
	uint8_t *parent = env_mem_add(env, ENV_MEM_KERNEL, NULL, tsize);
	uint8_t *task = env_mem_add(env, ENV_MEM_KERNEL, NULL, tsize);
	struct env_task t = { .pid = 5001, .tgid = 5001, .uid = 1000, .gid = 1000, .comm = "ls" };
	const char *fname = "/usr/bin/ls";
	uint8_t rec[64] = { 0 };
	uint32_t ppid = 4000, loc;
	uint64_t pp;
	struct env_run_out out;
	const struct env_record *r;
	struct exec_event ev;

	cr_assert(parent && task);
	memcpy(parent + member_off(vm, "task_struct", "tgid"), &ppid, 4);
	pp = (uint64_t)(uintptr_t)parent;
	memcpy(task + member_off(vm, "task_struct", "real_parent"), &pp, 8);
	t.task = (uint64_t)(uintptr_t)task;
	env_set_task(env, &t);
	/* the fixed fields, then the __data_loc string after them */
	tp_set(rec, f, "common_pid", 5001);
	tp_set(rec, f, "pid", 5001);
	tp_set(rec, f, "old_pid", 5002);
	loc = (uint32_t)(strlen(fname) + 1) << 16 | f->size;
	tp_set(rec, f, "filename", loc);
	memcpy(rec + f->size, fname, strlen(fname) + 1);
	run_ok(env, "handle_exec", rec, sizeof(rec), &out);
	cr_assert_eq(out.record_cnt, 1);
	r = &out.records[0];
	cr_assert_eq(r->len, sizeof(struct exec_event));
	memcpy(&ev, r->data, sizeof(ev));
	cr_assert_eq(ev.pid, 5001);
	cr_assert_eq(ev.old_pid, 5002);
	cr_assert_eq(ev.ppid, 4000, "task->real_parent->tgid");
	cr_assert_eq(ev.uid, 1000);
	cr_assert_str_eq(ev.comm, "ls");
	cr_assert_str_eq(ev.filename, fname);
	env_run_out_free(&out);
	env_tp_format_free(f);
	bbtf_free(vm);
	env_free(env);
	obj_free(o);
}

Test(env_tools, syscount_counts_raw_tp_sys_enter_per_syscall)
{
	struct obj *o;
	struct env *env = load_core("syscount", &o);
	const uint64_t nrs[] = { 0, 1, 0, 257, 0, 1 };  /* read, write, read, openat.. */
	struct env_run_out out;
	struct map *counts;

	for (size_t i = 0; i < BB_ARRAY_SIZE(nrs); i++) {
		uint64_t args[2] = { 0xffffc90000001000ull /* regs */, nrs[i] };

		run_ok(env, "count_sys_enter", args, sizeof(args), &out);
		cr_assert_eq(out.r0, 0);
		env_run_out_free(&out);
	}
	counts = env_map(env, (size_t)env_map_by_name(env, "counts"));
	cr_assert_eq(map_count(counts), 3);
	{
		uint32_t k[3] = { 0, 1, 257 };
		uint64_t want[3] = { 3, 2, 1 }, v;

		for (int i = 0; i < 3; i++) {
			cr_assert_eq(map_lookup(counts, &k[i], &v, 0), 0);
			cr_assert_eq(v, want[i], "syscall %u", k[i]);
		}
	}
	env_free(env);
	obj_free(o);
}

struct hist_key {
	uint32_t tgid;
	uint16_t slot, kind;
};

Test(env_tools, readsize_enter_exit_pair_fills_the_per_process_log2_histogram)
{
	struct obj *o;
	struct env *env = load_core("readsize", &o);
	struct env_tp_format *fe = tp_format("sys_enter_read"), *fx = tp_format("sys_exit_read");
	/* {tgid, requested, returned} */
	const struct { uint32_t tgid; uint64_t req; int64_t ret; } reads[] = {
		{ 100, 4096, 100 }, { 100, 4096, 4096 }, { 200, 1, 0 }, { 100, 65536, -11 },
	};
	struct map *hist;
	struct env_run_out out;

	for (size_t i = 0; i < BB_ARRAY_SIZE(reads); i++) {
		struct env_task t = { .pid = reads[i].tgid, .tgid = reads[i].tgid, .comm = "cat" };
		uint8_t enter[64] = { 0 }, exit_[32] = { 0 };

		env_set_task(env, &t);
		tp_set(enter, fe, "__syscall_nr", 0);
		tp_set(enter, fe, "fd", 3);
		tp_set(enter, fe, "count", reads[i].req);
		tp_set(exit_, fx, "ret", (uint64_t)reads[i].ret);
		run_ok(env, "handle_enter_read", enter, fe->size, &out);
		env_run_out_free(&out);
		run_ok(env, "handle_exit_read", exit_, fx->size, &out);
		env_run_out_free(&out);
	}
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "inflight"))), 0,
		     "every exit consumed its enter");
	hist = env_map(env, (size_t)env_map_by_name(env, "hist"));
	{
		/* tgid 100: requested 4096 twice (slot 12; the -EAGAIN read is
		 * not a size), returned 100 (slot 6) and 4096 (slot 12);
		 * tgid 200: requested 1 and returned 0, both slot 0. */
		const struct { struct hist_key k; uint64_t n; } want[] = {
			{ { 100, 12, 0 }, 2 }, { { 100, 6, 1 }, 1 }, { { 100, 12, 1 }, 1 },
			{ { 200, 0, 0 }, 1 }, { { 200, 0, 1 }, 1 },
		};
		uint64_t v;

		cr_assert_eq(map_count(hist), BB_ARRAY_SIZE(want));
		for (size_t i = 0; i < BB_ARRAY_SIZE(want); i++) {
			cr_assert_eq(map_lookup(hist, &want[i].k, &v, 0), 0, "tgid %u slot %u kind %u",
				     want[i].k.tgid, want[i].k.slot, want[i].k.kind);
			cr_assert_eq(v, want[i].n);
		}
	}
	env_tp_format_free(fe);
	env_tp_format_free(fx);
	env_free(env);
	obj_free(o);
}

Test(env_tools, runqlat_wakeup_then_switch_lands_in_the_latency_slot)
{
	struct obj *o;
	struct env *env = load_core("runqlat", &o);
	struct bbtf *vm = vmlinux();
	uint32_t tsize = struct_size(vm, "task_struct");
	uint32_t pid_off = member_off(vm, "task_struct", "pid");
	uint32_t state_off = member_off(vm, "task_struct", "__state");
	uint8_t *next = env_mem_add(env, ENV_MEM_KERNEL, NULL, tsize);
	uint8_t *prev = env_mem_add(env, ENV_MEM_KERNEL, NULL, tsize);
	int32_t npid = 777, ppid = 888;
	uint32_t running = 0, sleeping = 1;
	uint64_t wake[1], sw[4];
	struct env_run_out out;

	cr_assert(next && prev);
	memcpy(next + pid_off, &npid, 4);
	memcpy(prev + pid_off, &ppid, 4);
	memcpy(prev + state_off, &sleeping, 4);
	wake[0] = (uint64_t)(uintptr_t)next;
	/* sched_switch(bool preempt, prev, next, unsigned int prev_state) */
	sw[0] = 0;
	sw[1] = (uint64_t)(uintptr_t)prev;
	sw[2] = (uint64_t)(uintptr_t)next;
	sw[3] = sleeping;

	env_set_clock(env, 1000000000ull, 0, 0);
	run_ok(env, "handle_sched_wakeup", wake, sizeof(wake), &out);
	env_run_out_free(&out);
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 1);
	env_set_clock(env, 1000000000ull + 100000, 0, 0);       /* 100 us later */
	run_ok(env, "handle_sched_switch", sw, sizeof(sw), &out);
	env_run_out_free(&out);
	cr_assert_eq(arr_u64(env, "hist", 6), 1, "100 us is in slot 6 [64, 128)");
	for (uint32_t s = 0; s < 26; s++)
		if (s != 6)
			cr_assert_eq(arr_u64(env, "hist", s), 0, "slot %u", s);
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 0,
		     "next's stamp consumed; a sleeping prev is not stamped");

	/* A preempted (running) prev goes back on the queue: stamped, and
	 * its wait measured when it is switched back in 3 ms later. */
	memcpy(prev + state_off, &running, 4);
	sw[3] = running;
	run_ok(env, "handle_sched_switch", sw, sizeof(sw), &out);
	env_run_out_free(&out);
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 1);
	env_set_clock(env, 1000000000ull + 100000 + 3000000, 0, 0);
	sw[1] = (uint64_t)(uintptr_t)next;
	sw[2] = (uint64_t)(uintptr_t)prev;
	memcpy(next + state_off, &sleeping, 4);
	run_ok(env, "handle_sched_switch", sw, sizeof(sw), &out);
	env_run_out_free(&out);
	cr_assert_eq(arr_u64(env, "hist", 11), 1, "3000 us is in slot 11 [2048, 4096)");
	bbtf_free(vm);
	env_free(env);
	obj_free(o);
}

Test(env_tools, biolatency_issue_then_complete_lands_in_the_latency_slot)
{
	struct obj *o;
	struct env *env = load_core("biolatency", &o);
	struct env_tp_format *fi = tp_format("block_rq_issue"), *fc = tp_format("block_rq_complete");
	uint8_t issue[64] = { 0 }, done[64] = { 0 };
	struct env_run_out out;

	tp_set(issue, fi, "dev", 0x800010);
	tp_set(issue, fi, "sector", 123456);
	tp_set(issue, fi, "nr_sector", 8);
	tp_set(issue, fi, "bytes", 4096);
	tp_bytes(issue, fi, "rwbs", "R", 2);
	tp_bytes(issue, fi, "comm", "dd", 3);
	tp_set(done, fc, "dev", 0x800010);
	tp_set(done, fc, "sector", 123456);
	tp_set(done, fc, "nr_sector", 8);
	env_set_clock(env, 5000000000ull, 0, 0);
	run_ok(env, "handle_rq_issue", issue, fi->size, &out);
	env_run_out_free(&out);
	env_set_clock(env, 5000000000ull + 20000000, 0, 0);     /* 20 ms */
	run_ok(env, "handle_rq_complete", done, fc->size, &out);
	env_run_out_free(&out);
	cr_assert_eq(arr_u64(env, "hist", 14), 1, "20000 us is in slot 14 [16384, 32768)");
	cr_assert_eq(arr_u64(env, "slow", 0), 1, "slower than slow_ms (10)");
	cr_assert_eq(map_count(env_map(env, (size_t)env_map_by_name(env, "start"))), 0);

	/* a fast one (500 us): slot 8, not slow; another sector never issued
	 * is ignored */
	run_ok(env, "handle_rq_issue", issue, fi->size, &out);
	env_run_out_free(&out);
	env_set_clock(env, 5020000000ull + 500000, 0, 0);
	run_ok(env, "handle_rq_complete", done, fc->size, &out);
	env_run_out_free(&out);
	tp_set(done, fc, "sector", 999);
	run_ok(env, "handle_rq_complete", done, fc->size, &out);
	env_run_out_free(&out);
	cr_assert_eq(arr_u64(env, "hist", 8), 1, "500 us is in slot 8 [256, 512)");
	cr_assert_eq(arr_u64(env, "hist", 14), 1);
	cr_assert_eq(arr_u64(env, "slow", 0), 1);
	env_tp_format_free(fi);
	env_tp_format_free(fc);
	env_free(env);
	obj_free(o);
}

Test(env_tools, tcpconnect_syn_sent_gives_a_perf_record_with_addresses_and_port)
{
	struct obj *o;
	struct env *env = load_core("tcpconnect", &o);
	struct env_tp_format *f = tp_format("inet_sock_set_state");
	struct env_task t = { .pid = 3131, .tgid = 3130, .uid = 0, .comm = "curl" };
	const uint8_t sa[4] = { 10, 0, 0, 1 }, da[4] = { 93, 184, 216, 34 };
	uint8_t sa6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, da6[16] = { 0xfe, 0x80, [15] = 2 };
	uint8_t rec[80] = { 0 };
	const struct env_record *r;
	struct env_run_out out;
	struct conn_event ev;

	env_set_task(env, &t);
	cr_assert_eq(env_set_cpu(env, 1, 4), 0);
	tp_set(rec, f, "skaddr", 0xffff888000abc000ull);
	tp_set(rec, f, "oldstate", 7);          /* TCP_CLOSE */
	tp_set(rec, f, "newstate", 2);          /* TCP_SYN_SENT */
	tp_set(rec, f, "sport", 40000);
	tp_set(rec, f, "dport", 443);
	tp_set(rec, f, "family", 2);
	tp_set(rec, f, "protocol", 6);
	tp_bytes(rec, f, "saddr", sa, 4);
	tp_bytes(rec, f, "daddr", da, 4);
	run_ok(env, "handle_set_state", rec, f->size, &out);
	cr_assert_eq(out.record_cnt, 1);
	r = &out.records[0];
	cr_assert_eq(r->cpu, 1, "BPF_F_CURRENT_CPU");
	cr_assert_eq(r->len, sizeof(ev) + 4, "perf pads the 56 bytes so size + 4 is 8-aligned");
	memcpy(&ev, r->data, sizeof(ev));
	cr_assert_eq(ev.pid, 3130, "the tgid");
	cr_assert_eq(ev.family, 2);
	cr_assert_eq(ev.dport, 443);
	cr_assert(!memcmp(ev.saddr, sa, 4));
	cr_assert(!memcmp(ev.daddr, da, 4));
	cr_assert_str_eq(ev.comm, "curl");
	env_run_out_free(&out);

	tp_set(rec, f, "family", 10);
	tp_bytes(rec, f, "saddr_v6", sa6, 16);
	tp_bytes(rec, f, "daddr_v6", da6, 16);
	run_ok(env, "handle_set_state", rec, f->size, &out);
	cr_assert_eq(out.record_cnt, 1);
	memcpy(&ev, out.records[0].data, sizeof(ev));
	cr_assert_eq(ev.family, 10);
	cr_assert(!memcmp(ev.saddr, sa6, 16));
	cr_assert(!memcmp(ev.daddr, da6, 16));
	env_run_out_free(&out);

	tp_set(rec, f, "newstate", 1);          /* TCP_ESTABLISHED: not a connect */
	run_ok(env, "handle_set_state", rec, f->size, &out);
	cr_assert_eq(out.record_cnt, 0);
	env_run_out_free(&out);
	tp_set(rec, f, "newstate", 2);
	tp_set(rec, f, "protocol", 17);
	run_ok(env, "handle_set_state", rec, f->size, &out);
	cr_assert_eq(out.record_cnt, 0, "not TCP");
	env_run_out_free(&out);
	env_tp_format_free(f);
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
	struct env_run_in in = { .sz = sizeof(in), .engine = et_engine(), .checked = true };
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
