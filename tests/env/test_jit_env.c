/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_jit_env.c - env_run() with the JIT engine on assembled
 * programs: helper callbacks (bpf_loop, for_each_map_elem) as JIT code,
 * nested callbacks and the call depth limit, an error inside a callback,
 * tail calls through prog arrays (33 per run), and what the JIT engine
 * refuses.  Every program runs in two envs, interpreted and as JIT code,
 * and both must agree (status, error text, r0, global memory) before the
 * specific checks.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb_uapi.h"
#include "env/env.h"
#include "isa/isa.h"
#include "maps/maps.h"

#define G_SIZE 512u
#define PRE "r9 = map[idx:0][0]+0\nr6 = r1\n"
#define A(n) "*(u64 *)(r6 +" #n ")"
#define RT BPF_PROG_TYPE_RAW_TRACEPOINT

/* [0] interpreted, [1] JIT. */
struct pair {
	struct env *env[2];
	uint8_t *g[2];
	struct env_run_out out[2];
	struct bb_err e[2];
	int ret[2];
	uint64_t args[12];
};

static int add_map(struct pair *p, const char *name, const struct map_spec *spec)
{
	int idx = -1;

	for (int k = 0; k < 2; k++) {
		struct map *m = NULL;

		cr_assert_eq(map_new(spec, &m, &p->e[k]), 0, "%s", p->e[k].msg);
		idx = env_map_add(p->env[k], m, name);
		map_free(m);
		cr_assert_geq(idx, 0);
	}
	return idx;
}

static void pair_init(struct pair *p)
{
	struct map_spec g = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
			      .value_size = G_SIZE, .max_entries = 1 };

	memset(p, 0, sizeof(*p));
	for (int k = 0; k < 2; k++) {
		bb_err_clear(&p->e[k]);
		p->env[k] = env_new();
		cr_assert_not_null(p->env[k]);
	}
	cr_assert_eq(add_map(p, "g", &g), 0);
	for (int k = 0; k < 2; k++) {
		void *addr;
		size_t len;
		bool w;

		cr_assert_eq(map_value_region(env_map(p->env[k], 0), 0, &addr, &len, &w), 0);
		p->g[k] = addr;
	}
}

static void pair_fini(struct pair *p)
{
	for (int k = 0; k < 2; k++) {
		env_run_out_free(&p->out[k]);
		env_free(p->env[k]);
	}
}

static int prog(struct pair *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int prog(struct pair *p, const char *fmt, ...)
{
	char text[8192];
	struct isa_raw *insns = NULL;
	struct bb_err e;
	va_list ap;
	long n;
	int idx = -1;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	bb_err_clear(&e);
	n = isa_asm(text, "t.s", &insns, &e);
	cr_assert_gt(n, 0, "%s\n%s", e.msg, text);
	for (int k = 0; k < 2; k++) {
		idx = env_load_insns(p->env[k], "t", RT, 0, insns, (size_t)n, &e);
		cr_assert_geq(idx, 0, "%s", e.msg);
	}
	free(insns);
	return idx;
}

static void args(struct pair *p, int n, ...)
{
	va_list ap;

	memset(p->args, 0, sizeof(p->args));
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		p->args[i] = va_arg(ap, uint64_t);
	va_end(ap);
}

/* Run under both engines (checked, then fast when that was clean) and
 * insist they agree; returns the status. */
static int run(struct pair *p, int idx)
{
	for (int checked = 1; checked >= 0; checked--) {
		for (int k = 0; k < 2; k++) {
			struct env_run_in in = { .sz = sizeof(in), .checked = checked,
						 .ctx = p->args, .ctx_len = sizeof(p->args),
						 .engine = k ? ENV_ENGINE_JIT : ENV_ENGINE_INTERP };

			env_run_out_free(&p->out[k]);
			bb_err_clear(&p->e[k]);
			p->ret[k] = env_run(p->env[k], env_prog(p->env[k], (size_t)idx), &in,
					    &p->out[k], &p->e[k]);
		}
		cr_assert_eq(p->ret[1], p->ret[0], "JIT %d (%s), interpreter %d (%s)",
			     p->ret[1], p->e[1].msg, p->ret[0], p->e[0].msg);
		if (p->ret[0] < 0) {
			cr_assert_str_eq(p->e[1].msg, p->e[0].msg);
			cr_assert_eq(p->e[1].insn, p->e[0].insn);
			return p->ret[0];
		}
		cr_assert_eq(p->out[1].r0, p->out[0].r0);
		cr_assert_eq(p->out[1].tail_calls, p->out[0].tail_calls);
		for (size_t i = 0; i < G_SIZE; i += 8)
			cr_assert_eq(*(uint64_t *)(p->g[1] + i), *(uint64_t *)(p->g[0] + i),
				     "global memory differs at %zu: JIT %#llx, interpreter %#llx", i,
				     *(unsigned long long *)(p->g[1] + i),
				     *(unsigned long long *)(p->g[0] + i));
	}
	return 0;
}

static uint64_t G(const struct pair *p, int slot)
{
	uint64_t v;

	memcpy(&v, p->g[1] + slot * 8, 8);
	return v;
}

Test(env_jit, bpf_loop_callbacks_run_as_jit_code)
{
	struct pair p;
	int idx;

	pair_init(&p);
	/* bpf_loop(A0, cb, &{count, stop = A2}, A1): G0 = ret, G1 = count */
	idx = prog(&p, PRE "r1 = 0\n*(u64 *)(r10 -16) = r1\n"
		   "r1 = " A(16) "\n*(u64 *)(r10 -8) = r1\n"
		   "r1 = " A(0) "\nr2 = subprog[cb]\nr3 = r10\nr3 += -16\nr4 = " A(8) "\n"
		   "call bpf_loop\n*(u64 *)(r9 +0) = r0\n"
		   "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n"
		   "cb:\nr3 = *(u64 *)(r2 +0)\nr3 += 1\n*(u64 *)(r2 +0) = r3\n"
		   "r0 = 0\nr4 = *(u64 *)(r2 +8)\nif r1 != r4 goto +1\nr0 = 1\nexit\n");
	args(&p, 3, (uint64_t)5, (uint64_t)0, (uint64_t)99);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq(G(&p, 0), 5);
	cr_assert_eq(G(&p, 1), 5);
	args(&p, 3, (uint64_t)1000, (uint64_t)0, (uint64_t)2);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq(G(&p, 0), 3, "stopped by index 2");
	args(&p, 3, (uint64_t)5, (uint64_t)1, (uint64_t)99);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq((int64_t)G(&p, 0), -EINVAL);
	pair_fini(&p);
}

Test(env_jit, for_each_map_elem_callbacks_see_keys_and_values)
{
	struct map_spec a = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
			      .max_entries = 4 };
	struct pair p;
	int m, idx;

	pair_init(&p);
	m = add_map(&p, "arr", &a);
	for (int k = 0; k < 2; k++)
		for (uint32_t key = 0; key < 4; key++) {
			uint64_t v = 10 * (key + 1);

			cr_assert_eq(map_update(env_map(p.env[k], (size_t)m), &key, &v, BPF_ANY), 0);
		}
	idx = prog(&p, PRE "r1 = 0\n*(u64 *)(r10 -16) = r1\n"
		   "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		   "r1 = map[idx:%d]\nr2 = subprog[cb]\nr3 = r10\nr3 += -16\nr4 = 0\n"
		   "call bpf_for_each_map_elem\n*(u64 *)(r9 +0) = r0\n"
		   "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n"
		   "cb:\nr0 = *(u64 *)(r3 +0)\nr5 = *(u64 *)(r4 +0)\nr5 += r0\n"
		   "*(u64 *)(r4 +0) = r5\nr0 <<= 1\n*(u64 *)(r3 +0) = r0\n"
		   "r0 = 0\nr5 = *(u32 *)(r2 +0)\nr1 = *(u64 *)(r4 +8)\n"
		   "if r5 != r1 goto +1\nr0 = 1\nexit\n", m);
	args(&p, 1, (uint64_t)99);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq(G(&p, 0), 4);
	cr_assert_eq(G(&p, 1), 2 * (10 + 20 + 30 + 40), "the checked run doubled the values");
	args(&p, 1, (uint64_t)1);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq(G(&p, 0), 2);
	pair_fini(&p);
}

/* A callback that calls bpf_loop again, A0 levels deep: frames nest below
 * the helper's caller until the depth limit stops the run. */
Test(env_jit, nested_callbacks_share_the_call_depth_limit)
{
	struct pair p;
	int idx;

	pair_init(&p);
	/* main: r1 = A0 (levels); cb(i, levels): if levels == 0 count in G2
	 * else bpf_loop(1, cb, levels - 1) */
	idx = prog(&p, PRE "*(u64 *)(r10 -8) = r9\nr1 = " A(0) "\nr2 = r1\ncall rec\n"
		   "*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n"
		   "rec:\nr3 = r2\nr1 = 1\nr2 = subprog[cb]\nr4 = 0\ncall bpf_loop\nexit\n"
		   "cb:\nif r2 != 0 goto +7\n"
		   "r1 = map[idx:0][0]+0\nr3 = *(u64 *)(r1 +16)\nr3 += 1\n*(u64 *)(r1 +16) = r3\n"
		   "r0 = 0\nexit\n"
		   "r3 = r2\nr3 += -1\nr1 = 1\nr2 = subprog[cb]\nr4 = 0\ncall bpf_loop\n"
		   "r0 = 0\nexit\n");
	args(&p, 1, (uint64_t)3);
	cr_assert_eq(run(&p, idx), 0);
	cr_assert_eq(G(&p, 2), 2, "the innermost callback ran (checked, then fast): %llu",
		     (unsigned long long)G(&p, 2));
	args(&p, 1, (uint64_t)20);
	cr_assert_eq(run(&p, idx), -E2BIG);
	cr_assert(strstr(p.e[1].msg, "call depth exceeds"), "%s", p.e[1].msg);
	pair_fini(&p);
}

/* An error inside a callback stops the whole run with the callback's
 * instruction and message, as in the interpreter. */
Test(env_jit, an_error_in_a_callback_stops_the_run)
{
	struct pair p;
	int idx;

	pair_init(&p);
	idx = prog(&p, PRE "r1 = 3\nr2 = subprog[cb]\nr3 = 0\nr4 = 0\ncall bpf_loop\n"
		   "*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n"
		   "cb:\nif r1 != 2 goto +1\ncall 500\nr0 = 0\nexit\n");
	cr_assert_eq(run(&p, idx), -ENOENT);
	cr_assert(strstr(p.e[1].msg, "helper 500"), "%s", p.e[1].msg);
	cr_assert_eq(G(&p, 0), 0, "the main program did not go on");
	/* checked mode: an out-of-bounds store in the callback */
	idx = prog(&p, PRE "r1 = 2\nr2 = subprog[cb]\nr3 = 0\nr4 = 0\ncall bpf_loop\n"
		   "r0 = 0\nexit\n"
		   "cb:\nr1 = 0x1000\n*(u64 *)(r1 +0) = r1\nr0 = 0\nexit\n");
	cr_assert_eq(run(&p, idx), -EFAULT);
	pair_fini(&p);
}

Test(env_jit, tail_calls_go_through_prog_arrays_33_times)
{
	struct map_spec pa = { .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4,
			       .max_entries = 4 };
	struct pair p;
	int m, caller, target, self, cb;

	pair_init(&p);
	m = add_map(&p, "jmp", &pa);
	caller = prog(&p, PRE "r1 = r6\nr2 = map[idx:%d]\nr3 = " A(0) "\n"
		      "call bpf_tail_call\n*(u64 *)(r9 +0) = r0\nr0 = 7\nexit\n", m);
	target = prog(&p, "r0 = 42\nexit\n");
	self = prog(&p, PRE "r0 = *(u64 *)(r9 +8)\nr0 += 1\n*(u64 *)(r9 +8) = r0\n"
		    "r1 = r6\nr2 = map[idx:%d]\nr3 = 2\ncall bpf_tail_call\n"
		    "*(u64 *)(r9 +0) = r0\nr0 = 7\nexit\n", m);
	/* a tail-called program whose bpf_loop callback is its own function */
	cb = prog(&p, PRE "r1 = 4\nr2 = subprog[cb]\nr3 = 0\nr4 = 0\ncall bpf_loop\n"
		  "*(u64 *)(r9 +24) = r0\nr0 = 9\nexit\n"
		  "cb:\nr1 = map[idx:0][0]+0\nr3 = *(u64 *)(r1 +32)\nr3 += 1\n"
		  "*(u64 *)(r1 +32) = r3\nr0 = 0\nexit\n");
	for (int k = 0; k < 2; k++) {
		struct map *pm = env_map(p.env[k], (size_t)m);

		cr_assert_eq(map_prog_array_set(pm, 0, env_prog(p.env[k], (size_t)target), 100), 0);
		cr_assert_eq(map_prog_array_set(pm, 2, env_prog(p.env[k], (size_t)self), 101), 0);
		cr_assert_eq(map_prog_array_set(pm, 3, env_prog(p.env[k], (size_t)cb), 102), 0);
	}
	args(&p, 1, (uint64_t)0);
	cr_assert_eq(run(&p, caller), 0);
	cr_assert_eq(p.out[1].r0, 42);
	cr_assert_eq(p.out[1].tail_calls, 1);
	args(&p, 1, (uint64_t)1);
	cr_assert_eq(run(&p, caller), 0);
	cr_assert_eq(p.out[1].r0, 7, "an empty slot falls through");
	args(&p, 1, (uint64_t)9);
	cr_assert_eq(run(&p, caller), 0);
	cr_assert_eq(p.out[1].r0, 7, "an index past max_entries falls through");
	memset(p.g[0], 0, 16);
	memset(p.g[1], 0, 16);
	cr_assert_eq(run(&p, self), 0);
	cr_assert_eq(G(&p, 1), 2 * (1 + 33), "twice (checked, fast) the first run and 33 tail calls");
	cr_assert_eq(p.out[1].tail_calls, 33);
	args(&p, 1, (uint64_t)3);
	cr_assert_eq(run(&p, caller), 0);
	cr_assert_eq(p.out[1].r0, 9);
	cr_assert_eq(G(&p, 3), 4, "bpf_loop ran in the tail-called program");
	cr_assert_eq(G(&p, 4), 8, "its callback: 4 iterations, checked and fast");
	pair_fini(&p);
}

Test(env_jit, budget_and_trace_are_refused)
{
	struct pair p;
	struct env_run_in in = { .sz = sizeof(in), .engine = ENV_ENGINE_JIT, .budget = 10 };
	int idx;

	pair_init(&p);
	idx = prog(&p, "r0 = 1\nexit\n");
	in.ctx = p.args;
	in.ctx_len = sizeof(p.args);
	cr_assert_eq(env_run(p.env[1], env_prog(p.env[1], (size_t)idx), &in, &p.out[1], &p.e[1]),
		     -EOPNOTSUPP);
	cr_assert(strstr(p.e[1].msg, "budget"), "%s", p.e[1].msg);
	in.budget = 0;
	in.engine = 7;
	cr_assert_eq(env_run(p.env[1], env_prog(p.env[1], (size_t)idx), &in, &p.out[1], &p.e[1]),
		     -EINVAL);
	in.engine = ENV_ENGINE_JIT;
	cr_assert_eq(env_run(p.env[1], env_prog(p.env[1], (size_t)idx), &in, &p.out[1], &p.e[1]), 0);
	cr_assert_eq(p.out[1].r0, 1);
	pair_fini(&p);
}
