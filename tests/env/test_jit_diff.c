/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_jit_diff.c - every corpus program env can run, through
 * the interpreter and through the JIT (env_run_in.engine), on the same
 * inputs: packet programs on the shared test frames (et_packets), the
 * others on contexts of zeros, small integers and pointers into memory
 * both envs may probe-read.  Two envs, one per engine, loaded from the
 * same object and driven identically: each run's status and error, r0,
 * output packet and context, trace_printk text and ring buffer / perf
 * records, and after each object every map's contents, must be equal.
 * Checked and fast code both run (fast only where the checked run was
 * clean).  A divergence prints the program, the input and both results.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "env/env.h"
#include "maps/maps.h"
#include "tests/common/testutil.h"
#include "tests/env/env_test.h"

struct jd_counts {
	int objs, progs, runs, failed_both, maps, elems, records, tail_calls, diverged;
	int no_ctx;
};

/* Memory both envs register as kernel and user memory: what the pointer
 * contexts point into. */
static char shared_mem[16384] = "/etc/passwd\0/usr/bin/cat\0barebpf";

static bool is_packet_type(uint32_t t)
{
	return t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_XDP ||
	       t == BPF_PROG_TYPE_SCHED_CLS || t == BPF_PROG_TYPE_SCHED_ACT;
}

static void hex(const char *what, const void *p, size_t n)
{
	const uint8_t *b = p;

	fprintf(stderr, "  %s (%zu bytes):", what, n);
	for (size_t i = 0; i < n && i < 96; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n    ", b[i]);
	fprintf(stderr, "%s\n", n > 96 ? " ..." : "");
}

static void show(const char *engine, int ret, const struct bb_err *e,
		 const struct env_run_out *o)
{
	fprintf(stderr, " %s: ret %d", engine, ret);
	if (ret < 0) {
		fprintf(stderr, " (insn %d: %s)\n", e->insn, e->msg);
		return;
	}
	fprintf(stderr, " r0 %#" PRIx64 ", %zu-byte packet, %zu-byte ctx, %zu records, printk \"%.*s\"\n",
		o->r0, o->packet_len, o->ctx_len, o->record_cnt, (int)o->printk_len,
		o->printk ? o->printk : "");
	if (o->packet_len)
		hex("packet", o->packet, o->packet_len);
	if (o->ctx_len)
		hex("ctx", o->ctx, o->ctx_len);
	for (size_t i = 0; i < o->record_cnt; i++)
		hex("record", o->records[i].data, o->records[i].len);
}

static bool bytes_eq(const void *a, size_t na, const void *b, size_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na));
}

/*
 * The packet pointers in an output context (__sk_buff data, data_end,
 * data_meta; xdp_md the same) are addresses in each env's own packet
 * area: compare them relative to data, then as equal.
 */
static void unbase(uint8_t *ctx, size_t len, uint32_t type)
{
	static const uint32_t skb[] = { 76, 80, 140 }, xdp[] = { 0, 4, 8 };
	const uint32_t *f = type == BPF_PROG_TYPE_XDP ? xdp : skb;
	uint32_t data;

	if (!is_packet_type(type) || len < (type == BPF_PROG_TYPE_XDP ? 12u : 144u))
		return;
	memcpy(&data, ctx + f[0], 4);
	for (int i = 2; i >= 0; i--) {
		uint32_t v;

		memcpy(&v, ctx + f[i], 4);
		v -= data;
		memcpy(ctx + f[i], &v, 4);
	}
}

static bool same(int ri, const struct bb_err *ei, const struct env_run_out *oi,
		 int rj, const struct bb_err *ej, const struct env_run_out *oj)
{
	if (ri != rj)
		return false;
	if (ri < 0)
		return ei->insn == ej->insn && !strcmp(ei->msg, ej->msg);
	if (oi->r0 != oj->r0 || !bytes_eq(oi->packet, oi->packet_len, oj->packet, oj->packet_len) ||
	    !bytes_eq(oi->ctx, oi->ctx_len, oj->ctx, oj->ctx_len) ||
	    !bytes_eq(oi->printk, oi->printk_len, oj->printk, oj->printk_len) ||
	    oi->record_cnt != oj->record_cnt || oi->tail_calls != oj->tail_calls)
		return false;
	for (size_t i = 0; i < oi->record_cnt; i++)
		if (oi->records[i].map != oj->records[i].map ||
		    oi->records[i].cpu != oj->records[i].cpu ||
		    !bytes_eq(oi->records[i].data, oi->records[i].len,
			      oj->records[i].data, oj->records[i].len))
			return false;
	return true;
}

/* One input through both engines; returns whether the interpreter's run
 * was clean (the fast repetition is only tried then). */
static bool run_both(const char *obj, struct env *ei, struct env *ej, size_t pi,
		     struct env_run_in *in, const char *input, struct jd_counts *n)
{
	struct env_run_out oi, oj;
	struct bb_err e1, e2;
	int ri, rj;

	bb_err_clear(&e1);
	bb_err_clear(&e2);
	in->engine = ENV_ENGINE_INTERP;
	ri = env_run(ei, env_prog(ei, pi), in, &oi, &e1);
	in->engine = ENV_ENGINE_JIT;
	rj = env_run(ej, env_prog(ej, pi), in, &oj, &e2);
	n->runs++;
	if (!ri)
		unbase(oi.ctx, oi.ctx_len, env_prog_type(env_prog(ei, pi)));
	if (!rj)
		unbase(oj.ctx, oj.ctx_len, env_prog_type(env_prog(ej, pi)));
	if (ri < 0 && rj < 0)
		n->failed_both++;
	if (!ri) {
		n->records += (int)oi.record_cnt;
		n->tail_calls += (int)oi.tail_calls;
	}
	if (getenv("JIT_DIFF_VERBOSE") && ri < 0)
		fprintf(stderr, "jit_diff: %s: '%s' on %s: both engines: insn %d: %s\n", obj,
			env_prog_name(env_prog(ei, pi)), input, e1.insn, e1.msg);
	if (!same(ri, &e1, &oi, rj, &e2, &oj)) {
		n->diverged++;
		fprintf(stderr, "jit_diff: DIVERGENCE %s: program '%s' (section %s), %s run, input %s\n",
			obj, env_prog_name(env_prog(ei, pi)), env_prog_section(env_prog(ei, pi)),
			in->checked ? "checked" : "fast", input);
		if (in->packet)
			hex("input packet", in->packet, in->packet_len);
		if (in->ctx)
			hex("input ctx", in->ctx, in->ctx_len);
		show("interpreter", ri, &e1, &oi);
		show("jit        ", rj, &e2, &oj);
	}
	env_run_out_free(&oi);
	env_run_out_free(&oj);
	return ri == 0;
}

static void both_modes(const char *obj, struct env *ei, struct env *ej, size_t pi,
		       struct env_run_in *in, const char *input, struct jd_counts *n)
{
	in->checked = true;
	if (run_both(obj, ei, ej, pi, in, input, n)) {
		in->checked = false;
		run_both(obj, ei, ej, pi, in, input, n);
	}
}

static void run_prog(const char *obj, struct env *ei, struct env *ej, size_t pi,
		     struct jd_counts *n)
{
	struct env_prog *p = env_prog(ei, pi);
	uint32_t t = env_prog_type(p);
	const struct env_ctx_layout *l = env_ctx_layout(t, env_prog_attach_type(p));
	struct env_run_in in = { .sz = sizeof(in) };
	uint64_t ctx[64];
	size_t npk, len;
	const struct et_packet *pk = et_packets(&npk);

	if (!l) {
		n->no_ctx++;
		return;
	}
	n->progs++;
	if (is_packet_type(t)) {
		for (size_t k = 0; k < npk; k++) {
			in.packet = pk[k].data;
			in.packet_len = pk[k].len;
			both_modes(obj, ei, ej, pi, &in, pk[k].name, n);
		}
		return;
	}
	len = l->size < sizeof(ctx) ? l->size : sizeof(ctx);
	if (t == BPF_PROG_TYPE_SYSCALL)
		len = 64;
	in.ctx = ctx;
	in.ctx_len = len;
	for (int kind = 0; kind < 4; kind++) {
		static const char *const names[] = {
			"zero context", "small integers", "pointers", "pointers and integers",
		};

		for (size_t i = 0; i < BB_ARRAY_SIZE(ctx); i++) {
			uint64_t ptr = (uint64_t)(uintptr_t)(shared_mem + (i * 12) % 32);

			ctx[i] = kind == 0 ? 0 : kind == 1 ? i + 1 : kind == 2 ? ptr :
				 i % 2 ? ptr : 59 + i;
		}
		both_modes(obj, ei, ej, pi, &in, names[kind], n);
	}
}

/* Map contents: every key of one is in the other with the same value,
 * and the counts agree.  Queues and stacks are drained in order. */
static void compare_map(const char *obj, struct env *ei, struct env *ej, size_t i,
			struct jd_counts *n)
{
	struct map *mi = env_map(ei, i), *mj = env_map(ej, i);
	const struct map_spec *s = map_spec_of(mi);
	size_t vsz = map_value_size_user(mi), ki = 0, kj = 0;
	uint8_t *key = calloc(1, s->key_size + 8), *next = calloc(1, s->key_size + 8);
	uint8_t *vi = calloc(1, vsz + 8), *vj = calloc(1, vsz + 8);
	bool first = true;

	switch (s->type) {
	case BPF_MAP_TYPE_PROG_ARRAY: case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		goto out;       /* handles, or compared as records */
	case BPF_MAP_TYPE_QUEUE: case BPF_MAP_TYPE_STACK:
		for (;;) {
			int a = map_pop(mi, vi), b = map_pop(mj, vj);

			if (a != b || (!a && memcmp(vi, vj, vsz))) {
				n->diverged++;
				fprintf(stderr, "jit_diff: DIVERGENCE %s: map '%s': queue/stack contents differ\n",
					obj, env_map_name(ei, i));
				break;
			}
			if (a)
				break;
			n->elems++;
		}
		n->maps++;
		goto out;
	default:
		break;
	}
	while (!map_get_next_key(mi, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, s->key_size);
		ki++;
		if (map_lookup(mi, key, vi, 0) || map_lookup(mj, key, vj, 0) ||
		    memcmp(vi, vj, vsz)) {
			n->diverged++;
			fprintf(stderr, "jit_diff: DIVERGENCE %s: map '%s': values differ\n",
				obj, env_map_name(ei, i));
			hex("key", key, s->key_size);
			hex("interpreter value", vi, vsz);
			hex("jit value", vj, vsz);
			goto out;
		}
	}
	first = true;
	while (!map_get_next_key(mj, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, s->key_size);
		kj++;
	}
	if (ki != kj) {
		n->diverged++;
		fprintf(stderr, "jit_diff: DIVERGENCE %s: map '%s': %zu elements interpreted, %zu under the JIT\n",
			obj, env_map_name(ei, i), ki, kj);
	}
	n->maps++;
	n->elems += (int)ki;
out:
	free(key);
	free(next);
	free(vi);
	free(vj);
}

static struct env *make_env(const struct obj *o)
{
	struct env *env = env_new();
	struct env_task t = { .pid = 4321, .tgid = 1234, .uid = 1000, .gid = 100,
			      .comm = "cat", .task = (uint64_t)(uintptr_t)shared_mem };
	struct env_load_opts eo = { .sz = sizeof(eo), .keep_going = true };
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_not_null(env);
	cr_assert_eq(env_set_cpu(env, 1, 4), 0);
	env_set_task(env, &t);
	env_set_clock(env, 1000000000ull, 1000, 5000);
	env_set_seed(env, 42);
	cr_assert_eq(env_mem_register(env, ENV_MEM_KERNEL, shared_mem, sizeof(shared_mem)), 0);
	cr_assert_eq(env_mem_register(env, ENV_MEM_USER, shared_mem, sizeof(shared_mem)), 0);
	cr_assert_eq(env_load_obj(env, o, &eo, &e), 0, "%s", e.msg);
	return env;
}

static void diff_object(const char *path, const char *name, struct jd_counts *n)
{
	struct obj *o = NULL;
	struct env *ei, *ej;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(path, NULL, &o, &e), 0, "%s: %s", path, e.msg);
	/* As `barebpf run` does; objects that need more simply keep the
	 * programs that do not load out (env_prog_error). */
	obj_resolve_externs(o, NULL, NULL);
	obj_core_relocate(o, NULL, NULL);
	ei = make_env(o);
	ej = make_env(o);
	n->objs++;
	for (size_t i = 0; i < env_prog_count(ei); i++)
		if (!env_prog_error(env_prog(ei, i)))
			run_prog(name, ei, ej, i, n);
	for (size_t i = 0; i < env_map_count(ei); i++)
		compare_map(name, ei, ej, i, n);
	env_free(ei);
	env_free(ej);
	obj_free(o);
}

Test(jit_diff, corpus_programs_run_the_same_under_the_jit, .timeout = 300)
{
	char dir[512], path[1024];
	struct jd_counts n = { 0 };
	struct dirent **ents;
	int cnt;

	tu_repo_path("build/corpus", dir, sizeof(dir));
	cnt = scandir(dir, &ents, NULL, alphasort);
	cr_assert_geq(cnt, 0, "no %s: run `make corpus` first", dir);
	for (int i = 0; i < cnt; i++) {
		size_t l = strlen(ents[i]->d_name);

		if (l >= 6 && !strcmp(ents[i]->d_name + l - 6, ".bpf.o")) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			diff_object(path, ents[i]->d_name, &n);
		}
		free(ents[i]);
	}
	free(ents);
	fprintf(stderr, "jit_diff: %d objects, %d programs, %d runs (%d failed the same way under both), %d tail calls, %d records, %d maps (%d elements) equal under the interpreter and the JIT; %d programs without an offline context; %d divergences\n",
		n.objs, n.progs, n.runs, n.failed_both, n.tail_calls, n.records, n.maps, n.elems, n.no_ctx,
		n.diverged);
	cr_assert_eq(n.diverged, 0, "%d divergences between the interpreter and the JIT (above)",
		     n.diverged);
	cr_assert_gt(n.progs, 20);
}
