/* SPDX-License-Identifier: MIT */
/*
 * env/env_run.c - running one program: build its context (env_ctx.c),
 * register the memory a checked run may touch, run the interpreter or
 * the JIT code (env_jit.c) @repeat times on the same context (as BPF_PROG_TEST_RUN does), then
 * collect r0, the output packet and context, the captured trace_printk
 * text and the ring buffer / perf records the run produced.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/bb_uapi.h"

void env_run_out_free(struct env_run_out *out)
{
	if (!out)
		return;
	free(out->packet);
	free(out->ctx);
	free(out->printk);
	for (size_t i = 0; i < out->record_cnt; i++)
		free(out->records[i].data);
	free(out->records);
	memset(out, 0, sizeof(*out));
}

/* The packet area must sit below 2 GiB so the 32-bit context fields can
 * hold real addresses (see env.h). */
static int pkt_area(struct env *env, struct bb_err *e)
{
	void *p;

	if (env->pkt_area)
		return 0;
	p = mmap(NULL, ENV_PKT_MAP, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED)
		return bb_err_insn(e, -errno, -1,
				   "cannot map packet memory below 2 GiB (MAP_32BIT): %s",
				   strerror(errno));
	env->pkt_area = p;
	return 0;
}

/* Checked runs: the context, the packet buffer, global data and array
 * values, and the caller's kernel memory. */
static void clear_regions(struct env *env)
{
	if (env->cur.jit)
		jit_clear_regions(env->cur.jit);
	else
		vm_clear_regions(env->cur.vm);
}

static int add_regions(struct env *env)
{
	struct env_cur *c = &env->cur;
	int ret = 0;

	clear_regions(env);
	ret |= env_add_region(env, c->ctx, c->ctx_len, true, "ctx");
	if (c->buf)
		ret |= env_add_region(env, c->buf, c->cap, true, "packet");
	for (size_t i = 0; i < env->maps.len; i++) {
		struct map *m = env_map(env, i);
		uint32_t t = map_type(m), ncpu = 1;

		if (t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_PERCPU_ARRAY)
			continue;
		if (t == BPF_MAP_TYPE_PERCPU_ARRAY)
			ncpu = map_spec_of(m)->nr_cpus;
		for (uint32_t cpu = 0; cpu < ncpu; cpu++) {
			void *addr;
			size_t len;
			bool w;

			if (!map_value_region(m, cpu, &addr, &len, &w))
				ret |= env_add_region(env, addr, len, w, map_name(m));
		}
	}
	for (size_t i = 0; i < env->mems.len; i++) {
		struct env_mem *m = bb_vec_at(&env->mems, struct env_mem, i);

		if (m->kind == ENV_MEM_KERNEL)
			ret |= env_add_region(env, (void *)m->addr, m->len, true, "kernel");
	}
	return ret ? -ENOMEM : 0;
}

struct rec_ctx {
	struct env *env;
	int map;
	uint32_t cpu;
};

static int keep_record(void *ctx, const void *data, size_t size)
{
	struct rec_ctx *rc = ctx;
	struct env_record r = { rc->map, rc->cpu, malloc(size ? size : 1), size };

	if (!r.data)
		return -ENOMEM;
	memcpy(r.data, data, size);
	if (!bb_vec_push(&rc->env->cur.records, &r)) {
		free(r.data);
		return -ENOMEM;
	}
	return 0;
}

/* Ring buffer and perf records, in map order then production order. */
static int drain(struct env *env)
{
	for (size_t i = 0; i < env->maps.len; i++) {
		struct map *m = env_map(env, i);
		struct rec_ctx rc = { env, (int)i, 0 };
		long n = 0;

		if (map_type(m) == BPF_MAP_TYPE_RINGBUF) {
			n = map_ringbuf_consume(m, keep_record, &rc);
		} else if (map_type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			for (uint32_t s = 0; s < map_spec_of(m)->max_entries && n >= 0; s++) {
				rc.cpu = s;
				n = map_perf_consume(m, (int)s, keep_record, &rc);
			}
		}
		if (n < 0)
			return (int)n;
	}
	return 0;
}

static int take_output(struct env *env, struct env_run_out *out)
{
	struct env_cur *c = &env->cur;

	out->printk = malloc(c->printk.len + 1);
	if (!out->printk)
		return -ENOMEM;
	if (c->printk.len)
		memcpy(out->printk, c->printk.data, c->printk.len);
	out->printk[c->printk.len] = '\0';
	out->printk_len = c->printk.len;
	out->records = c->records.data;
	out->record_cnt = c->records.len;
	bb_vec_init(&c->records, sizeof(struct env_record));
	return 0;
}

/*
 * What a run may leave behind when it stops half-way (a helper stopped
 * it, the budget ran out) or ends wrongly: ring buffer samples still
 * reserved would hold up the consumer for every later run, a held spin
 * lock would dead-lock the next.  Let go of both; say whether there was
 * anything, which for a run that ended normally is a program the kernel's
 * verifier refuses.
 */
static const char *release_leftovers(struct env *env)
{
	struct env_cur *c = &env->cur;
	const char *what = NULL;

	for (size_t i = 0; i < c->reserved.len; i++) {
		struct env_rb_res *r = bb_vec_at(&c->reserved, struct env_rb_res, i);

		map_ringbuf_discard(r->m, r->sample, 0);
		what = "ring buffer sample reserved and never submitted or discarded (the kernel refuses: Unreleased reference)";
	}
	c->reserved.len = 0;
	if (c->lock) {
		*c->lock = 0;
		c->lock = NULL;
		what = "spin lock still held at exit (the kernel refuses: bpf_spin_unlock is missing)";
	}
	return what;
}

static void reset_cur(struct env *env)
{
	struct env_cur *c = &env->cur;

	c->printk.len = 0;
	for (size_t i = 0; i < c->records.len; i++)
		free(bb_vec_at(&c->records, struct env_record, i)->data);
	c->records.len = 0;
	c->reserved.len = 0;
	c->lock = NULL;
	c->redirect_ifindex = 0;
	c->redirect_flags = 0;
	c->jit = NULL;
	c->tail_failed = false;
	bb_err_clear(&c->tail_err);
}

/* One repetition, by the engine env_run() chose. */
static int run_once(struct env *env, struct env_prog *p, const struct vm_run_opts *opts,
		    struct env_run_out *out, struct bb_err *e)
{
	struct env_cur *c = &env->cur;
	struct jit_run_opts jo = {
		.packet = opts->packet, .packet_len = opts->packet_len,
		.set_regs = true, .r1 = opts->r1, .r2 = opts->r2,
		.user = env, .tail_call = env_jit_tail_call, .tail_arg = env,
	};
	int ret;

	if (!c->jit) {
		ret = vm_run(p->vm, c->ctx, c->ctx_len, opts, &out->r0, e);
		out->insns = vm_stats(p->vm)->insns;
		out->tail_calls = vm_stats(p->vm)->tail_calls;
		return ret;
	}
	ret = jit_run_opts(c->jit, c->ctx, c->ctx_len, &jo, &out->r0, e);
	out->insns = 0;
	out->tail_calls = jit_stats(c->jit)->tail_calls;
	if (!ret && c->tail_failed) {
		if (e)
			*e = c->tail_err;
		bb_err_set_section(e, p->section);
		ret = c->tail_err.code ? c->tail_err.code : -EINVAL;
	}
	return ret;
}

int env_run(struct env *env, struct env_prog *p, const struct env_run_in *in,
	    struct env_run_out *out, struct bb_err *e)
{
	static const struct env_run_in none = { .sz = sizeof(none) };
	struct env_cur *c = &env->cur;
	struct vm_run_opts opts = { 0 };
	uint32_t repeat;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!p || !p->vm)
		return bb_err_insn(e, -EINVAL, -1, "no program");
	bb_err_set_section(e, p->section);
	if (p->failed) {
		if (e) {
			*e = p->err;
			return e->code ? e->code : -EINVAL;
		}
		return p->err.code ? p->err.code : -EINVAL;
	}
	if (!in)
		in = &none;
	reset_cur(env);
	c->prog = p;
	c->vm = p->vm;
	c->checked = in->checked;
	if (in->engine == ENV_ENGINE_JIT) {
		if (in->budget || in->trace)
			return bb_err_insn(e, -EOPNOTSUPP, -1,
					   "JIT runs have no instruction %s (use the interpreter)",
					   in->budget ? "budget" : "trace");
		ret = env_jit_get(env, p, in->checked, &c->jit, e);
		if (ret < 0)
			return ret;
	} else if (in->engine != ENV_ENGINE_INTERP) {
		return bb_err_insn(e, -EINVAL, -1, "unknown engine %u", in->engine);
	}
	if (in->packet || p->type == BPF_PROG_TYPE_XDP ||
	    p->type == BPF_PROG_TYPE_SCHED_CLS || p->type == BPF_PROG_TYPE_SCHED_ACT ||
	    p->type == BPF_PROG_TYPE_SOCKET_FILTER) {
		ret = pkt_area(env, e);
		if (ret < 0)
			return ret;
	}
	ret = env_ctx_prepare(env, p, in, e);
	if (ret < 0)
		return ret;
	if (in->checked && add_regions(env) < 0)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	opts.checked = in->checked;
	opts.budget = in->budget;
	opts.trace = in->trace;
	opts.trace_arg = in->trace_arg;
	opts.set_regs = true;
	opts.r1 = (uint64_t)(uintptr_t)c->ctx;
	/* LD_ABS/LD_IND read from skb->data. */
	if (c->data) {
		opts.packet = c->data;
		opts.packet_len = (size_t)(c->data_end - c->data);
	} else {
		opts.packet = c->ctx;
		opts.packet_len = 0;
	}
	repeat = in->repeat ? in->repeat : 1;
	for (uint32_t i = 0; i < repeat; i++) {
		const char *left;

		ret = run_once(env, p, &opts, out, e);
		left = release_leftovers(env);
		if (ret < 0)
			break;
		/* The verifier makes a program release every reservation
		 * and lock; one left over is a program the kernel refuses. */
		if (left) {
			ret = bb_err_insn(e, -EINVAL, -1, "%s", left);
			break;
		}
	}
	if (in->checked)
		clear_regions(env);
	c->jit = NULL;
	if (ret < 0) {
		/* Records a failed run produced are not the next run's. */
		drain(env);
		return ret;
	}
	ret = drain(env);
	if (!ret)
		ret = env_ctx_finish(env, p, out, e);
	if (!ret)
		ret = take_output(env, out);
	if (ret < 0) {
		env_run_out_free(out);
		return bb_err_insn(e, ret, -1, "collecting the output: %s", strerror(-ret));
	}
	return 0;
}
