/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_helpers.c - every helper of env/'s table on small
 * assembled programs (isa_asm, pseudo-C), run through env_run in checked
 * mode: the values they give and their error returns, which follow the
 * kernel's (kernel/bpf/helpers.c, ringbuf.c, stackmap.c, net/core/filter.c,
 * kernel/trace/bpf_trace.c).  BAREBPF_ENV_ENGINE=jit runs them all as JIT
 * code (tests/env/env_test.h).
 *
 * Conventions: map 0 is "g", a one-element 512-byte array the programs
 * reach as global data (r9 = map[idx:0][0]+0) and store their results in,
 * 8 bytes per slot (G(h, n)); tracing programs are raw tracepoints whose
 * context is u64 args[12] (the test's inputs, A(n) = *(u64 *)(r1 + 8n)).
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
#include "tests/env/env_test.h"

#define G_SIZE 512u

struct h {
	struct env *env;
	struct env_run_out out;
	struct bb_err e;
	uint8_t *g;
	uint64_t args[12];
};

static int add_map(struct h *h, const char *name, const struct map_spec *spec)
{
	struct map *m = NULL;
	int idx;

	cr_assert_eq(map_new(spec, &m, &h->e), 0, "%s", h->e.msg);
	idx = env_map_add(h->env, m, name);
	map_free(m);
	cr_assert_geq(idx, 0);
	return idx;
}

static struct map *M(struct h *h, int idx)
{
	return env_map(h->env, (size_t)idx);
}

static void h_init(struct h *h)
{
	struct map_spec g = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
			      .value_size = G_SIZE, .max_entries = 1 };
	void *addr;
	size_t len;
	bool w;

	memset(h, 0, sizeof(*h));
	bb_err_clear(&h->e);
	h->env = env_new();
	cr_assert_not_null(h->env);
	cr_assert_eq(add_map(h, "g", &g), 0);
	cr_assert_eq(map_value_region(M(h, 0), 0, &addr, &len, &w), 0);
	h->g = addr;
}

static void h_fini(struct h *h)
{
	env_run_out_free(&h->out);
	env_free(h->env);
}

/* Assemble printf-formatted pseudo-C and load it; returns the prog index. */
static int prog(struct h *h, uint32_t type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int prog(struct h *h, uint32_t type, const char *fmt, ...)
{
	char text[8192], msg[512];
	struct isa_raw *insns = NULL;
	va_list ap;
	long n;
	int idx;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = isa_asm(text, "t.s", &insns, &h->e);
	cr_assert_gt(n, 0, "%s\n%s", bb_err_str(&h->e, msg, sizeof(msg)), text);
	idx = env_load_insns(h->env, "t", type, 0, insns, (size_t)n, &h->e);
	free(insns);
	cr_assert_geq(idx, 0, "%s", h->e.msg);
	return idx;
}

/* Run with h->args as the raw_tp context (or @pkt for packet programs). */
static int run_pkt(struct h *h, int idx, const void *pkt, size_t pkt_len, bool checked)
{
	struct env_run_in in = { .sz = sizeof(in), .engine = et_engine(), .checked = checked };

	env_run_out_free(&h->out);
	bb_err_clear(&h->e);
	if (pkt) {
		in.packet = pkt;
		in.packet_len = pkt_len;
	} else {
		in.ctx = h->args;
		in.ctx_len = sizeof(h->args);
	}
	return env_run(h->env, env_prog(h->env, (size_t)idx), &in, &h->out, &h->e);
}

static void run_ok(struct h *h, int idx)
{
	char msg[512];

	cr_assert_eq(run_pkt(h, idx, NULL, 0, true), 0, "%s",
		     bb_err_str(&h->e, msg, sizeof(msg)));
}

static void args(struct h *h, int n, ...)
{
	va_list ap;

	memset(h->args, 0, sizeof(h->args));
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		h->args[i] = va_arg(ap, uint64_t);
	va_end(ap);
}

static uint64_t G(const struct h *h, int slot)
{
	uint64_t v;

	memcpy(&v, h->g + slot * 8, 8);
	return v;
}
#define GI(h, s) ((int64_t)G(h, s))

static bool all(const uint8_t *p, size_t n, uint8_t b)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != b)
			return false;
	return true;
}

#define PRE "r9 = map[idx:0][0]+0\nr6 = r1\n"
#define A(n) "*(u64 *)(r6 +" #n ")"
#define RT BPF_PROG_TYPE_RAW_TRACEPOINT
#define U(x) ((uint64_t)(x))
#define NEG(e) ((uint64_t)(int64_t)-(e))

/* ------------------------------------------------------------------ */
/* Maps                                                                 */
/* ------------------------------------------------------------------ */

struct map_progs {
	int upd, get, del, pcpu;
};

/* update(A0 key, A1 value, A2 flags) -> G0; lookup(A0) -> G0 ptr, G1 value;
 * delete(A0) -> G0; lookup_percpu(A0 key, A1 cpu) -> G0 ptr, G1 value. */
static struct map_progs map_progs(struct h *h, int map)
{
	struct map_progs p;

	p.upd = prog(h, RT, PRE
		     "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		     "r1 = " A(8) "\n*(u64 *)(r10 -16) = r1\n"
		     "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\nr3 = r10\nr3 += -16\n"
		     "r4 = " A(16) "\ncall bpf_map_update_elem\n"
		     "*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", map);
	p.get = prog(h, RT, PRE
		     "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		     "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\ncall bpf_map_lookup_elem\n"
		     "*(u64 *)(r9 +0) = r0\nif r0 == 0 goto +2\n"
		     "r1 = *(u64 *)(r0 +0)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n", map);
	p.del = prog(h, RT, PRE
		     "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		     "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\ncall bpf_map_delete_elem\n"
		     "*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", map);
	p.pcpu = prog(h, RT, PRE
		      "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		      "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\nr3 = " A(8) "\n"
		      "call bpf_map_lookup_percpu_elem\n"
		      "*(u64 *)(r9 +0) = r0\nif r0 == 0 goto +2\n"
		      "r1 = *(u64 *)(r0 +0)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n", map);
	return p;
}

static int64_t do_upd(struct h *h, struct map_progs *p, uint64_t k, uint64_t v, uint64_t fl)
{
	args(h, 3, k, v, fl);
	run_ok(h, p->upd);
	return GI(h, 0);
}

static bool do_get(struct h *h, struct map_progs *p, uint64_t k, uint64_t *v)
{
	memset(h->g, 0, 16);
	args(h, 1, k);
	run_ok(h, p->get);
	*v = G(h, 1);
	return G(h, 0) != 0;
}

static int64_t do_del(struct h *h, struct map_progs *p, uint64_t k)
{
	args(h, 1, k);
	run_ok(h, p->del);
	return GI(h, 0);
}

Test(env_helpers_map, hash_lookup_update_delete_and_their_errors)
{
	struct h h;
	struct map_spec s = { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
			      .max_entries = 2 };
	struct map_progs p;
	uint64_t v;

	h_init(&h);
	p = map_progs(&h, add_map(&h, "hash", &s));
	cr_assert_not(do_get(&h, &p, 1, &v), "missing key: NULL");
	cr_assert_eq(do_upd(&h, &p, 1, 100, BPF_NOEXIST), 0);
	cr_assert_eq(do_upd(&h, &p, 1, 101, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(do_upd(&h, &p, 7, 1, BPF_EXIST), -ENOENT);
	cr_assert_eq(do_upd(&h, &p, 1, 102, BPF_EXIST), 0);
	cr_assert(do_get(&h, &p, 1, &v));
	cr_assert_eq(v, 102);
	cr_assert_eq(do_upd(&h, &p, 2, 200, BPF_ANY), 0);
	cr_assert_eq(do_upd(&h, &p, 3, 300, BPF_ANY), -E2BIG, "full hash");
	cr_assert_eq(do_upd(&h, &p, 1, 1, 4 /* BPF_F_LOCK, no lock */), -EINVAL);
	cr_assert_eq(do_upd(&h, &p, 1, 1, 8), -EINVAL, "unknown flag");
	cr_assert_eq(do_del(&h, &p, 2), 0);
	cr_assert_eq(do_del(&h, &p, 2), -ENOENT);
	cr_assert_not(do_get(&h, &p, 2, &v));
	cr_assert_eq(map_count(M(&h, 1)), 1);
	h_fini(&h);
}

Test(env_helpers_map, array_update_delete_errors_and_lru_eviction)
{
	struct h h;
	struct map_spec a = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
			      .max_entries = 4 };
	struct map_spec l = { .type = BPF_MAP_TYPE_LRU_HASH, .key_size = 4, .value_size = 8,
			      .max_entries = 64 };
	struct map_progs pa, pl;
	uint64_t v;
	int evicted = 0;

	h_init(&h);
	pa = map_progs(&h, add_map(&h, "arr", &a));
	pl = map_progs(&h, add_map(&h, "lru", &l));
	cr_assert(do_get(&h, &pa, 3, &v), "array elements always exist");
	cr_assert_eq(v, 0);
	cr_assert_not(do_get(&h, &pa, 4, &v), "index past max_entries");
	cr_assert_eq(do_upd(&h, &pa, 3, 33, BPF_ANY), 0);
	cr_assert_eq(do_upd(&h, &pa, 3, 34, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(do_upd(&h, &pa, 4, 1, BPF_ANY), -E2BIG);
	cr_assert_eq(do_del(&h, &pa, 3), -EINVAL, "array elements cannot be deleted");
	cr_assert(do_get(&h, &pa, 3, &v));
	cr_assert_eq(v, 33);
	/* An LRU hash never says -E2BIG: it evicts. */
	for (uint64_t k = 0; k < 200; k++)
		cr_assert_eq(do_upd(&h, &pl, k, k, BPF_ANY), 0, "key %llu", (unsigned long long)k);
	cr_assert_leq(map_count(M(&h, 2)), 64);
	cr_assert(do_get(&h, &pl, 199, &v), "the newest key stays");
	cr_assert_eq(v, 199);
	for (uint64_t k = 0; k < 100; k++)
		evicted += !do_get(&h, &pl, k, &v);
	cr_assert_gt(evicted, 0);
	h_fini(&h);
}

Test(env_helpers_map, lookup_percpu_elem_names_the_cpu)
{
	struct h h;
	struct map_spec s = { .type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = 4, .value_size = 8,
			      .max_entries = 2, .nr_cpus = 4 };
	struct map_progs p;
	uint64_t v;

	h_init(&h);
	cr_assert_eq(env_set_cpu(h.env, 2, 4), 0);
	p = map_progs(&h, add_map(&h, "pc", &s));
	cr_assert_eq(do_upd(&h, &p, 1, 77, BPF_ANY), 0, "writes CPU 2's value");
	cr_assert(do_get(&h, &p, 1, &v));
	cr_assert_eq(v, 77, "lookup_elem reads the current CPU");
	for (uint64_t cpu = 0; cpu < 4; cpu++) {
		memset(h.g, 0, 16);
		args(&h, 2, U(1), cpu);
		run_ok(&h, p.pcpu);
		cr_assert_neq(G(&h, 0), 0);
		cr_assert_eq(G(&h, 1), cpu == 2 ? 77 : 0, "cpu %llu", (unsigned long long)cpu);
	}
	args(&h, 2, U(1), U(4));
	run_ok(&h, p.pcpu);
	cr_assert_eq(G(&h, 0), 0, "cpu >= nr_cpus: NULL");
	args(&h, 2, U(2), U(0));
	run_ok(&h, p.pcpu);
	cr_assert_eq(G(&h, 0), 0, "key past max_entries: NULL");
	h_fini(&h);
}

Test(env_helpers_map, queue_stack_bloom_push_pop_peek)
{
	struct h h;
	struct map_spec q = { .type = BPF_MAP_TYPE_QUEUE, .value_size = 8, .max_entries = 2 };
	struct map_spec st = { .type = BPF_MAP_TYPE_STACK, .value_size = 8, .max_entries = 2 };
	struct map_spec bl = { .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 8,
			       .max_entries = 16, .map_extra = 3 };
	int mq, ms, mb, push[3], pop[3], peek[3], maps[3];

	h_init(&h);
	mq = add_map(&h, "q", &q);
	ms = add_map(&h, "s", &st);
	mb = add_map(&h, "b", &bl);
	maps[0] = mq;
	maps[1] = ms;
	maps[2] = mb;
	for (int i = 0; i < 3; i++) {
		/* push(A0 value, A1 flags) -> G0; pop/peek -> G0 ret, G1 value */
		push[i] = prog(&h, RT, PRE "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
			       "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\nr3 = " A(8) "\n"
			       "call bpf_map_push_elem\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n",
			       maps[i]);
		pop[i] = prog(&h, RT, PRE "r1 = 0\n*(u64 *)(r10 -8) = r1\n"
			      "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\ncall bpf_map_pop_elem\n"
			      "*(u64 *)(r9 +0) = r0\nr1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +8) = r1\n"
			      "r0 = 0\nexit\n", maps[i]);
		peek[i] = prog(&h, RT, PRE "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
			       "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\ncall bpf_map_peek_elem\n"
			       "*(u64 *)(r9 +0) = r0\nr1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +8) = r1\n"
			       "r0 = 0\nexit\n", maps[i]);
	}
	/* queue: FIFO */
	run_ok(&h, pop[0]);
	cr_assert_eq(GI(&h, 0), -ENOENT, "pop of an empty queue");
	run_ok(&h, peek[0]);
	cr_assert_eq(GI(&h, 0), -ENOENT, "peek of an empty queue");
	for (uint64_t v = 1; v <= 2; v++) {
		args(&h, 2, v, U(0));
		run_ok(&h, push[0]);
		cr_assert_eq(GI(&h, 0), 0);
	}
	args(&h, 2, U(3), U(0));
	run_ok(&h, push[0]);
	cr_assert_eq(GI(&h, 0), -E2BIG, "full queue without BPF_EXIST");
	args(&h, 2, U(3), U(BPF_EXIST));
	run_ok(&h, push[0]);
	cr_assert_eq(GI(&h, 0), 0, "BPF_EXIST drops the oldest");
	run_ok(&h, peek[0]);
	cr_assert_eq(G(&h, 1), 2);
	run_ok(&h, pop[0]);
	cr_assert_eq(G(&h, 1), 2);
	run_ok(&h, pop[0]);
	cr_assert_eq(G(&h, 1), 3);
	/* stack: LIFO */
	for (uint64_t v = 1; v <= 2; v++) {
		args(&h, 2, v, U(0));
		run_ok(&h, push[1]);
	}
	run_ok(&h, pop[1]);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 1), 2);
	run_ok(&h, peek[1]);
	cr_assert_eq(G(&h, 1), 1);
	/* bloom filter: peek answers "maybe" (0) or "certainly not" */
	args(&h, 2, U(0xfeed), U(0));
	run_ok(&h, push[2]);
	cr_assert_eq(GI(&h, 0), 0);
	args(&h, 1, U(0xfeed));
	run_ok(&h, peek[2]);
	cr_assert_eq(GI(&h, 0), 0);
	args(&h, 1, U(0xbeef));
	run_ok(&h, peek[2]);
	cr_assert_eq(GI(&h, 0), -ENOENT);
	args(&h, 2, U(1), U(BPF_EXIST));
	run_ok(&h, push[2]);
	cr_assert_eq(GI(&h, 0), -EINVAL, "bloom filter push takes BPF_ANY only");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Tail calls and callbacks                                             */
/* ------------------------------------------------------------------ */

Test(env_helpers_call, tail_call_hit_empty_slot_and_the_33_limit)
{
	struct h h;
	struct map_spec pa = { .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4,
			       .max_entries = 4 };
	int m, caller, target, self;

	h_init(&h);
	m = add_map(&h, "jmp", &pa);
	/* A0: slot; after a failed tail call G0 = its return and r0 = 7 */
	caller = prog(&h, RT, PRE "r1 = r6\nr2 = map[idx:%d]\nr3 = " A(0) "\n"
		      "call bpf_tail_call\n*(u64 *)(r9 +0) = r0\nr0 = 7\nexit\n", m);
	target = prog(&h, RT, "r0 = 42\nexit\n");
	/* counts its runs in G1 and tail-calls itself through slot 2 */
	self = prog(&h, RT, PRE "r0 = *(u64 *)(r9 +8)\nr0 += 1\n*(u64 *)(r9 +8) = r0\n"
		    "r1 = r6\nr2 = map[idx:%d]\nr3 = 2\ncall bpf_tail_call\n"
		    "*(u64 *)(r9 +0) = r0\nr0 = 7\nexit\n", m);
	cr_assert_eq(map_prog_array_set(M(&h, m), 0, env_prog(h.env, (size_t)target), 100), 0);
	cr_assert_eq(map_prog_array_set(M(&h, m), 2, env_prog(h.env, (size_t)self), 101), 0);

	args(&h, 1, U(0));
	run_ok(&h, caller);
	cr_assert_eq(h.out.r0, 42, "the target's r0");
	cr_assert_eq(h.out.tail_calls, 1);
	args(&h, 1, U(1));
	run_ok(&h, caller);
	cr_assert_eq(h.out.r0, 7, "an empty slot falls through");
	cr_assert_eq(GI(&h, 0), -ENOENT);
	args(&h, 1, U(9));
	run_ok(&h, caller);
	cr_assert_eq(h.out.r0, 7, "an index past max_entries falls through");
	memset(h.g, 0, 16);
	run_ok(&h, self);
	cr_assert_eq(G(&h, 1), 1 + 33, "the first run and 33 tail calls");
	cr_assert_eq(h.out.tail_calls, 33);
	cr_assert_eq(h.out.r0, 7, "the 34th call falls through");
	cr_assert_eq(GI(&h, 0), -ENOENT);
	h_fini(&h);
}

Test(env_helpers_call, loop_counts_stops_early_and_refuses_bad_arguments)
{
	struct h h;
	int p;

	h_init(&h);
	/* bpf_loop(A0, cb, &{count, stop = A2}, A1): G0 = ret, G1 = count */
	p = prog(&h, RT, PRE "r1 = 0\n*(u64 *)(r10 -16) = r1\n"
		 "r1 = " A(16) "\n*(u64 *)(r10 -8) = r1\n"
		 "r1 = " A(0) "\nr2 = subprog[cb]\nr3 = r10\nr3 += -16\nr4 = " A(8) "\n"
		 "call bpf_loop\n*(u64 *)(r9 +0) = r0\n"
		 "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n"
		 "cb:\nr3 = *(u64 *)(r2 +0)\nr3 += 1\n*(u64 *)(r2 +0) = r3\n"
		 "r0 = 0\nr4 = *(u64 *)(r2 +8)\nif r1 != r4 goto +1\nr0 = 1\nexit\n");
	args(&h, 3, U(5), U(0), U(99));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 5);
	cr_assert_eq(G(&h, 1), 5);
	args(&h, 3, U(5), U(0), U(2));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 3, "stopped by index 2: three iterations");
	cr_assert_eq(G(&h, 1), 3);
	args(&h, 3, U(0), U(0), U(99));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 0);
	cr_assert_eq(G(&h, 1), 0);
	args(&h, 3, U(5), U(1), U(99));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "flags must be 0");
	cr_assert_eq(G(&h, 1), 0);
	args(&h, 3, U((1u << 23) + 1), U(0), U(99));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -E2BIG, "more than 1 << 23 iterations");
	cr_assert_eq(G(&h, 1), 0);
	h_fini(&h);
}

Test(env_helpers_call, for_each_map_elem_visits_in_order_and_stops)
{
	struct h h;
	struct map_spec a = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
			      .max_entries = 4 };
	int m, p;

	h_init(&h);
	m = add_map(&h, "arr", &a);
	for (uint32_t k = 0; k < 4; k++) {
		uint64_t v = 10 * (k + 1);

		cr_assert_eq(map_update(M(&h, m), &k, &v, BPF_ANY), 0);
	}
	/* for_each(arr, cb, &{sum, stop = A0}, A1): G0 = ret, G1 = sum; the
	 * callback doubles each value it sees. */
	p = prog(&h, RT, PRE "r1 = 0\n*(u64 *)(r10 -16) = r1\n"
		 "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		 "r1 = map[idx:%d]\nr2 = subprog[cb]\nr3 = r10\nr3 += -16\nr4 = " A(8) "\n"
		 "call bpf_for_each_map_elem\n*(u64 *)(r9 +0) = r0\n"
		 "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +8) = r1\nr0 = 0\nexit\n"
		 "cb:\nr0 = *(u64 *)(r3 +0)\nr5 = *(u64 *)(r4 +0)\nr5 += r0\n"
		 "*(u64 *)(r4 +0) = r5\nr0 <<= 1\n*(u64 *)(r3 +0) = r0\n"
		 "r0 = 0\nr5 = *(u32 *)(r2 +0)\nr1 = *(u64 *)(r4 +8)\n"
		 "if r5 != r1 goto +1\nr0 = 1\nexit\n", m);
	args(&h, 2, U(99), U(0));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 4);
	cr_assert_eq(G(&h, 1), 10 + 20 + 30 + 40);
	args(&h, 2, U(1), U(0));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 2, "stopped at key 1: two elements visited");
	cr_assert_eq(G(&h, 1), 20 + 40, "values doubled by the first run");
	args(&h, 2, U(99), U(1));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "flags must be 0");
	cr_assert_eq(G(&h, 1), 0);
	{
		uint32_t k = 3;
		uint64_t v;

		cr_assert_eq(map_lookup(M(&h, m), &k, &v, 0), 0);
		cr_assert_eq(v, 80, "doubled once: the second run stopped before key 3");
	}
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Ring buffer and perf buffer                                          */
/* ------------------------------------------------------------------ */

Test(env_helpers_out, ringbuf_output_reserve_submit_discard_query)
{
	struct h h;
	struct map_spec rs = { .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096 };
	int rb, out1, res, fill, q;
	uint64_t v;

	h_init(&h);
	rb = add_map(&h, "rb", &rs);
	/* output(8 bytes A0, flags A1) -> G0; query(A2) after it -> G1 */
	out1 = prog(&h, RT, PRE "r1 = " A(0) "\n*(u64 *)(r10 -8) = r1\n"
		    "r1 = map[idx:%d]\nr2 = r10\nr2 += -8\nr3 = 8\nr4 = " A(8) "\n"
		    "call bpf_ringbuf_output\n*(u64 *)(r9 +0) = r0\n"
		    "r1 = map[idx:%d]\nr2 = " A(16) "\ncall bpf_ringbuf_query\n"
		    "*(u64 *)(r9 +8) = r0\nr0 = 0\nexit\n", rb, rb);
	/* reserve(A0 size, A1 flags) -> G0 (0: NULL); then write A3 and
	 * submit (A2 == 0) or discard (A2 == 1) with flags A4 */
	res = prog(&h, RT, PRE "r1 = map[idx:%d]\nr2 = " A(0) "\nr3 = " A(8) "\n"
		   "call bpf_ringbuf_reserve\n*(u64 *)(r9 +0) = r0\n"
		   "if r0 == 0 goto out\nr1 = " A(24) "\n*(u64 *)(r0 +0) = r1\n"
		   "r1 = r0\nr2 = " A(32) "\nr3 = " A(16) "\nif r3 == 1 goto disc\n"
		   "call bpf_ringbuf_submit\ngoto out\n"
		   "disc:\ncall bpf_ringbuf_discard\nout:\nr0 = 0\nexit\n", rb);
	/* 504-byte outputs (512 with the header) until one fails: G0 =
	 * successes, G1 = the failing return */
	fill = prog(&h, RT, PRE "r7 = 0\n"
		    "again:\nr1 = map[idx:%d]\nr2 = r10\nr2 += -504\nr3 = 504\nr4 = 0\n"
		    "call bpf_ringbuf_output\nif r0 != 0 goto done\nr7 += 1\n"
		    "if r7 < 20 goto again\n"
		    "done:\n*(u64 *)(r9 +0) = r7\n*(u64 *)(r9 +8) = r0\nr0 = 0\nexit\n", rb);
	q = prog(&h, RT, PRE "r1 = map[idx:%d]\nr2 = " A(0) "\ncall bpf_ringbuf_query\n"
		 "*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", rb);

	args(&h, 3, U(0x1122334455667788), U(0), U(BPF_RB_AVAIL_DATA));
	run_ok(&h, out1);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 1), 16, "one 8-byte sample and its header unread");
	cr_assert_eq(h.out.record_cnt, 1);
	cr_assert_eq(h.out.records[0].map, rb);
	cr_assert_eq(h.out.records[0].len, 8);
	memcpy(&v, h.out.records[0].data, 8);
	cr_assert_eq(v, 0x1122334455667788);
	args(&h, 3, U(1), U(BPF_RB_NO_WAKEUP), U(BPF_RB_RING_SIZE));
	run_ok(&h, out1);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 1), 4096);
	args(&h, 3, U(1), U(BPF_RB_FORCE_WAKEUP), U(BPF_RB_PROD_POS));
	run_ok(&h, out1);
	cr_assert_eq(G(&h, 1), 3 * 16, "producer position: three samples so far");
	args(&h, 3, U(1), U(4), U(99));
	run_ok(&h, out1);
	cr_assert_eq(GI(&h, 0), -EINVAL, "unknown output flag");
	cr_assert_eq(G(&h, 1), 0, "unknown query flag answers 0");
	cr_assert_eq(h.out.record_cnt, 0);
	args(&h, 1, U(BPF_RB_CONS_POS));
	run_ok(&h, q);
	cr_assert_eq(G(&h, 0), 3 * 16, "the env consumed what was produced");

	args(&h, 5, U(16), U(0), U(0), U(0xabcdef), U(0));
	run_ok(&h, res);
	cr_assert_neq(G(&h, 0), 0);
	cr_assert_eq(h.out.record_cnt, 1);
	cr_assert_eq(h.out.records[0].len, 16);
	memcpy(&v, h.out.records[0].data, 8);
	cr_assert_eq(v, 0xabcdef);
	args(&h, 5, U(16), U(0), U(1), U(0xabcdef), U(0));
	run_ok(&h, res);
	cr_assert_neq(G(&h, 0), 0);
	cr_assert_eq(h.out.record_cnt, 0, "a discarded sample is no record");
	args(&h, 5, U(16), U(1), U(0), U(0), U(0));
	run_ok(&h, res);
	cr_assert_eq(G(&h, 0), 0, "reserve with flags != 0: NULL");
	args(&h, 5, U(8192), U(0), U(0), U(0), U(0));
	run_ok(&h, res);
	cr_assert_eq(G(&h, 0), 0, "larger than the ring: NULL");
	args(&h, 5, U(16), U(0), U(0), U(0), U(8));
	cr_assert_eq(run_pkt(&h, res, NULL, 0, true), -EINVAL, "submit with a bad flag");

	run_ok(&h, fill);
	cr_assert_eq(G(&h, 0), 7, "%llu %lld: 7 x 512 bytes fit in 4096 (the kernel keeps one byte free)", (unsigned long long)G(&h, 0), (long long)GI(&h, 1));
	cr_assert_eq(GI(&h, 1), -EAGAIN);
	cr_assert_eq(h.out.record_cnt, 7, "%zu", h.out.record_cnt);
	for (size_t i = 0; i < h.out.record_cnt; i++)
		cr_assert_eq(h.out.records[i].len, 504);
	h_fini(&h);
}

Test(env_helpers_out, ringbuf_full_ring_reserve_gives_null_and_unreleased_is_refused)
{
	struct h h;
	struct map_spec rs = { .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096 };
	int rb, hold, leak;
	char msg[512];

	h_init(&h);
	rb = add_map(&h, "rb", &rs);
	/* reserve 2000 twice: the second does not fit next to the first */
	hold = prog(&h, RT, PRE "r1 = map[idx:%d]\nr2 = 2000\nr3 = 0\ncall bpf_ringbuf_reserve\n"
		    "r7 = r0\nr1 = map[idx:%d]\nr2 = 2100\nr3 = 0\ncall bpf_ringbuf_reserve\n"
		    "*(u64 *)(r9 +0) = r0\nif r0 == 0 goto +3\nr1 = r0\nr2 = 0\n"
		    "call bpf_ringbuf_discard\nr1 = r7\nr2 = 0\ncall bpf_ringbuf_submit\n"
		    "r0 = 0\nexit\n", rb, rb);
	leak = prog(&h, RT, "r1 = map[idx:%d]\nr2 = 8\nr3 = 0\ncall bpf_ringbuf_reserve\n"
		    "r0 = 0\nexit\n", rb);
	run_ok(&h, hold);
	cr_assert_eq(G(&h, 0), 0, "no room: NULL");
	cr_assert_eq(h.out.record_cnt, 1);
	cr_assert_eq(h.out.records[0].len, 2000);
	cr_assert_eq(run_pkt(&h, leak, NULL, 0, true), -EINVAL);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)), "Unreleased reference"), "%s", msg);
	h_fini(&h);
}

Test(env_helpers_out, perf_event_output_current_cpu_index_and_errors)
{
	struct h h;
	struct map_spec ps = { .type = BPF_MAP_TYPE_PERF_EVENT_ARRAY, .key_size = 4,
			       .value_size = 4, .max_entries = 4, .nr_cpus = 4 };
	int pm, p;
	uint64_t v;

	h_init(&h);
	cr_assert_eq(env_set_cpu(h.env, 2, 4), 0);
	pm = add_map(&h, "events", &ps);
	/* perf_event_output(ctx, events, A0 flags, &A1, 8) -> G0 */
	p = prog(&h, RT, PRE "r1 = " A(8) "\n*(u64 *)(r10 -8) = r1\n"
		 "r1 = r6\nr2 = map[idx:%d]\nr3 = " A(0) "\nr4 = r10\nr4 += -8\nr5 = 8\n"
		 "call bpf_perf_event_output\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", pm);
	args(&h, 2, U(BPF_F_CURRENT_CPU), U(0x5151));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(h.out.record_cnt, 1);
	cr_assert_eq(h.out.records[0].cpu, 2, "BPF_F_CURRENT_CPU: the env's CPU");
	cr_assert_eq(h.out.records[0].len, 12, "perf pads raw samples so size + 4 is a multiple of 8");
	memcpy(&v, h.out.records[0].data, 8);
	cr_assert_eq(v, 0x5151);
	cr_assert(all(h.out.records[0].data + 8, 4, 0));
	args(&h, 2, U(2), U(7));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(h.out.records[0].cpu, 2, "an explicit index");
	args(&h, 2, U(1), U(7));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EOPNOTSUPP, "the slot's event is on another CPU");
	cr_assert_eq(h.out.record_cnt, 0);
	args(&h, 2, U(4), U(7));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -E2BIG, "index >= max_entries");
	cr_assert_eq(h.out.record_cnt, 0);
	args(&h, 2, U(1ull << 32), U(7));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "flag bits outside the index mask");
	cr_assert_eq(map_perf_slot_open(M(&h, pm), 3, false), 0);
	args(&h, 2, U(3), U(7));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -ENOENT, "no perf event open in the slot");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Stacks, locks                                                        */
/* ------------------------------------------------------------------ */

Test(env_helpers_misc, get_stackid_and_get_stack_with_caller_stacks)
{
	struct h h;
	struct map_spec ss = { .type = BPF_MAP_TYPE_STACK_TRACE, .key_size = 4,
			       .value_size = 8 * 8, .max_entries = 16 };
	struct map_spec one = ss;
	const uint64_t kips[3] = { 0xffffffff81000010, 0xffffffff81000020, 0xffffffff81000030 };
	const uint64_t uips[2] = { 0x401000, 0x401100 }, other[1] = { 0x1234 };
	uint64_t frames[8];
	int sm, sm1, sid, sid1, gs;
	uint32_t id;

	h_init(&h);
	one.max_entries = 1;
	sm = add_map(&h, "stacks", &ss);
	sm1 = add_map(&h, "one", &one);
	cr_assert_eq(env_set_stack(h.env, false, kips, 3), 0);
	cr_assert_eq(env_set_stack(h.env, true, uips, 2), 0);
	/* get_stackid(ctx, map, A0) -> G0 */
	sid = prog(&h, RT, PRE "r1 = r6\nr2 = map[idx:%d]\nr3 = " A(0) "\n"
		   "call bpf_get_stackid\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", sm);
	sid1 = prog(&h, RT, PRE "r1 = r6\nr2 = map[idx:%d]\nr3 = " A(0) "\n"
		    "call bpf_get_stackid\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n", sm1);
	/* get_stack(ctx, buf, A1, A0) -> G0, the 32-byte buffer -> G1..G4 */
	gs = prog(&h, RT, PRE "r1 = -1\n*(u64 *)(r10 -32) = r1\n*(u64 *)(r10 -24) = r1\n"
		  "*(u64 *)(r10 -16) = r1\n*(u64 *)(r10 -8) = r1\n"
		  "r1 = r6\nr2 = r10\nr2 += -32\nr3 = " A(8) "\nr4 = " A(0) "\n"
		  "call bpf_get_stack\n*(u64 *)(r9 +0) = r0\n"
		  "r1 = *(u64 *)(r10 -32)\n*(u64 *)(r9 +8) = r1\n"
		  "r1 = *(u64 *)(r10 -24)\n*(u64 *)(r9 +16) = r1\n"
		  "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +24) = r1\n"
		  "r1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +32) = r1\nr0 = 0\nexit\n");

	args(&h, 1, U(0));
	run_ok(&h, sid);
	cr_assert_geq(GI(&h, 0), 0);
	id = (uint32_t)G(&h, 0);
	cr_assert_eq(map_lookup(M(&h, sm), &id, frames, 0), 0);
	cr_assert_eq(frames[0], kips[0]);
	cr_assert_eq(frames[2], kips[2]);
	cr_assert_eq(frames[3], 0, "zero-padded to value_size");
	run_ok(&h, sid);
	cr_assert_eq(G(&h, 0), id, "the same stack: the same id");
	args(&h, 1, U(BPF_F_USER_STACK | 1));
	run_ok(&h, sid);
	cr_assert_geq(GI(&h, 0), 0);
	id = (uint32_t)G(&h, 0);
	cr_assert_eq(map_lookup(M(&h, sm), &id, frames, 0), 0);
	cr_assert_eq(frames[0], uips[1], "user stack, one frame skipped");
	cr_assert_eq(frames[1], 0);
	args(&h, 1, U(3));
	run_ok(&h, sid);
	cr_assert_eq(GI(&h, 0), -EFAULT, "nothing left after skipping");
	args(&h, 1, U(1u << 12));
	run_ok(&h, sid);
	cr_assert_eq(GI(&h, 0), -EINVAL, "unknown flag");
	/* one bucket: another stack collides */
	args(&h, 1, U(0));
	run_ok(&h, sid1);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(env_set_stack(h.env, false, other, 1), 0);
	run_ok(&h, sid1);
	cr_assert_eq(GI(&h, 0), -EEXIST, "bucket taken by another stack");
	args(&h, 1, U(BPF_F_REUSE_STACKID));
	run_ok(&h, sid1);
	cr_assert_eq(GI(&h, 0), 0, "BPF_F_REUSE_STACKID replaces it");
	id = 0;
	cr_assert_eq(map_lookup(M(&h, sm1), &id, frames, 0), 0);
	cr_assert_eq(frames[0], 0x1234);
	cr_assert_eq(env_set_stack(h.env, false, kips, 3), 0);

	args(&h, 2, U(0), U(32));
	run_ok(&h, gs);
	cr_assert_eq(GI(&h, 0), 24, "three frames copied");
	cr_assert_eq(G(&h, 1), kips[0]);
	cr_assert_eq(G(&h, 3), kips[2]);
	cr_assert_eq(G(&h, 4), 0, "the rest zeroed");
	args(&h, 2, U(1), U(16));
	run_ok(&h, gs);
	cr_assert_eq(GI(&h, 0), 16, "skip 1, room for 2");
	cr_assert_eq(G(&h, 1), kips[1]);
	cr_assert_eq(G(&h, 2), kips[2]);
	cr_assert_eq(G(&h, 3), UINT64_MAX, "past size: untouched");
	args(&h, 2, U(0), U(12));
	run_ok(&h, gs);
	cr_assert_eq(GI(&h, 0), -EINVAL, "size not a multiple of 8");
	cr_assert_eq(G(&h, 1), 0, "buffer zeroed on error");
	args(&h, 2, U(5), U(32));
	run_ok(&h, gs);
	cr_assert_eq(GI(&h, 0), -EFAULT, "skip past the frames");
	cr_assert_eq(G(&h, 4), 0);
	args(&h, 2, U(BPF_F_USER_STACK), U(32));
	run_ok(&h, gs);
	cr_assert_eq(GI(&h, 0), 16);
	cr_assert_eq(G(&h, 2), uips[1]);
	h_fini(&h);
}

Test(env_helpers_misc, spin_lock_unlock_and_misuse)
{
	struct h h;
	struct map_spec ls = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
			       .max_entries = 1, .has_spin_lock = true, .spin_lock_off = 0 };
	int lm, ok, twice, unheld, held;
	char msg[512];
	uint32_t k = 0, val[2];

	h_init(&h);
	lm = add_map(&h, "locked", &ls);
#define LOOKUP "r1 = 0\n*(u32 *)(r10 -4) = r1\nr1 = map[idx:%d]\nr2 = r10\nr2 += -4\n" \
	       "call bpf_map_lookup_elem\nif r0 == 0 goto out\nr7 = r0\n"
	ok = prog(&h, RT, LOOKUP "r1 = r7\ncall bpf_spin_lock\nr1 = *(u32 *)(r7 +4)\n"
		  "r1 += 1\n*(u32 *)(r7 +4) = r1\nr1 = r7\ncall bpf_spin_unlock\nout:\nr0 = 0\nexit\n", lm);
	twice = prog(&h, RT, LOOKUP "r1 = r7\ncall bpf_spin_lock\nr1 = r7\ncall bpf_spin_lock\n"
		     "out:\nr0 = 0\nexit\n", lm);
	unheld = prog(&h, RT, LOOKUP "r1 = r7\ncall bpf_spin_unlock\nout:\nr0 = 0\nexit\n", lm);
	held = prog(&h, RT, LOOKUP "r1 = r7\ncall bpf_spin_lock\nout:\nr0 = 0\nexit\n", lm);
#undef LOOKUP
	run_ok(&h, ok);
	run_ok(&h, ok);
	cr_assert_eq(map_lookup(M(&h, lm), &k, val, 0), 0);
	cr_assert_eq(val[1], 2);
	cr_assert_eq(run_pkt(&h, twice, NULL, 0, true), -EDEADLK);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)), "already held"), "%s", msg);
	cr_assert_eq(run_pkt(&h, unheld, NULL, 0, true), -EINVAL);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)), "not held"), "%s", msg);
	cr_assert_eq(run_pkt(&h, held, NULL, 0, true), -EINVAL);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)), "bpf_spin_unlock is missing"),
		  "%s", msg);
	run_ok(&h, ok);
	cr_assert_eq(map_lookup(M(&h, lm), &k, val, 0), 0);
	cr_assert_eq(val[1], 3, "a stopped run lets go of its lock");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Time, randomness, CPU, task                                          */
/* ------------------------------------------------------------------ */

Test(env_helpers_misc, ktime_helpers_follow_the_fixed_clock)
{
	struct h h;
	int p;

	h_init(&h);
	env_set_clock(h.env, 9000000, 1000, 500);
	p = prog(&h, RT, PRE "call bpf_ktime_get_ns\n*(u64 *)(r9 +0) = r0\n"
		 "call bpf_ktime_get_ns\n*(u64 *)(r9 +8) = r0\n"
		 "call bpf_ktime_get_boot_ns\n*(u64 *)(r9 +16) = r0\n"
		 "call bpf_ktime_get_coarse_ns\n*(u64 *)(r9 +24) = r0\nr0 = 0\nexit\n");
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 9000000);
	cr_assert_eq(G(&h, 1), 9001000, "advances by the step");
	cr_assert_eq(G(&h, 2), 9002000 + 500, "boot = mono + offset");
	cr_assert_eq(G(&h, 3), 8000000, "coarse: rounded down to the 4 ms tick");
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 9004000, "the clock keeps going across runs");
	env_set_clock(h.env, 5, 0, 0);
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 5);
	cr_assert_eq(G(&h, 1), 5, "step 0: a stopped clock");
	h_fini(&h);
}

static void rand4(uint64_t seed, uint64_t out[4])
{
	struct h h;
	int p;

	h_init(&h);
	env_set_seed(h.env, seed);
	p = prog(&h, RT, PRE "call bpf_get_prandom_u32\n*(u64 *)(r9 +0) = r0\n"
		 "call bpf_get_prandom_u32\n*(u64 *)(r9 +8) = r0\n"
		 "call bpf_get_prandom_u32\n*(u64 *)(r9 +16) = r0\n"
		 "call bpf_get_prandom_u32\n*(u64 *)(r9 +24) = r0\nr0 = 0\nexit\n");
	run_ok(&h, p);
	for (int i = 0; i < 4; i++)
		out[i] = G(&h, i);
	h_fini(&h);
}

Test(env_helpers_misc, prandom_is_reproducible_from_the_seed)
{
	uint64_t a[4], b[4], c[4];

	rand4(42, a);
	rand4(42, b);
	rand4(43, c);
	cr_assert(!memcmp(a, b, sizeof(a)), "same seed, same sequence");
	cr_assert(memcmp(a, c, sizeof(a)), "another seed, another sequence");
	for (int i = 0; i < 4; i++)
		cr_assert_leq(a[i], UINT32_MAX, "a u32");
	cr_assert(a[0] != a[1] || a[1] != a[2], "not constant");
}

Test(env_helpers_misc, cpu_and_current_task)
{
	struct h h;
	struct env_task t = { .pid = 4242, .tgid = 4200, .uid = 1001, .gid = 50,
			      .comm = "averylongname12", .task = 0xffff888012345678 };
	int p;

	h_init(&h);
	cr_assert_eq(env_set_cpu(h.env, 3, 4), 0);
	cr_assert_eq(env_set_cpu(h.env, 4, 4), -EINVAL);
	env_set_task(h.env, &t);
	p = prog(&h, RT, PRE "call bpf_get_smp_processor_id\n*(u64 *)(r9 +0) = r0\n"
		 "call bpf_get_current_pid_tgid\n*(u64 *)(r9 +8) = r0\n"
		 "call bpf_get_current_uid_gid\n*(u64 *)(r9 +16) = r0\n"
		 "call bpf_get_current_task\n*(u64 *)(r9 +24) = r0\n"
		 "call bpf_get_current_task_btf\n*(u64 *)(r9 +32) = r0\n"
		 "r1 = r9\nr1 += 64\nr2 = 16\ncall bpf_get_current_comm\n*(u64 *)(r9 +40) = r0\n"
		 "r1 = -1\n*(u64 *)(r9 +80) = r1\n"
		 "r1 = r9\nr1 += 80\nr2 = 6\ncall bpf_get_current_comm\n"
		 "r0 = -1\ncall bpf_get_numa_node_id\n*(u64 *)(r9 +48) = r0\nr0 = 0\nexit\n");
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 3);
	cr_assert_eq(G(&h, 1), (uint64_t)4200 << 32 | 4242, "tgid << 32 | pid");
	cr_assert_eq(G(&h, 2), (uint64_t)50 << 32 | 1001, "gid << 32 | uid");
	cr_assert_eq(G(&h, 3), 0xffff888012345678);
	cr_assert_eq(G(&h, 4), 0xffff888012345678);
	cr_assert_eq(GI(&h, 5), 0);
	cr_assert_eq(G(&h, 6), 0, "one NUMA node");
	cr_assert_str_eq((char *)h.g + 64, "averylongname12");
	cr_assert(!memcmp(h.g + 80, "avery\0\xff\xff", 8), "truncated to size - 1 and NUL");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Probe reads                                                          */
/* ------------------------------------------------------------------ */

/* helper(stack buf, A1 size, A0 src) -> G0; the 32-byte buffer (prefilled
 * with 0xaa) -> g[8..40) */
static int probe_prog(struct h *h, const char *helper)
{
	return prog(h, RT, PRE "r1 = 0xaaaaaaaaaaaaaaaa ll\n*(u64 *)(r10 -32) = r1\n"
		    "*(u64 *)(r10 -24) = r1\n*(u64 *)(r10 -16) = r1\n*(u64 *)(r10 -8) = r1\n"
		    "r1 = r10\nr1 += -32\nr2 = " A(8) "\nr3 = " A(0) "\ncall %s\n"
		    "*(u64 *)(r9 +0) = r0\n"
		    "r1 = *(u64 *)(r10 -32)\n*(u64 *)(r9 +8) = r1\n"
		    "r1 = *(u64 *)(r10 -24)\n*(u64 *)(r9 +16) = r1\n"
		    "r1 = *(u64 *)(r10 -16)\n*(u64 *)(r9 +24) = r1\n"
		    "r1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +32) = r1\nr0 = 0\nexit\n", helper);
}

static int64_t probe(struct h *h, int p, const void *src, uint64_t size)
{
	args(h, 2, (uint64_t)(uintptr_t)src, size);
	run_ok(h, p);
	return GI(h, 0);
}

Test(env_helpers_probe, probe_read_kernel_user_mapped_and_unmapped)
{
	struct h h;
	const char kdata[] = "kernel bytes 0123456789";
	const char udata[] = "user bytes";
	char *k, *u;
	int pk, pu, pl;

	h_init(&h);
	k = env_mem_add(h.env, ENV_MEM_KERNEL, kdata, sizeof(kdata));
	u = env_mem_add(h.env, ENV_MEM_USER, udata, sizeof(udata));
	cr_assert(k && u);
	pk = probe_prog(&h, "bpf_probe_read_kernel");
	pu = probe_prog(&h, "bpf_probe_read_user");
	pl = probe_prog(&h, "bpf_probe_read");

	cr_assert_eq(probe(&h, pk, k, 12), 0);
	cr_assert(!memcmp(h.g + 8, "kernel bytes", 12));
	cr_assert(all(h.g + 8 + 12, 20, 0xaa), "nothing past size written");
	cr_assert_eq(probe(&h, pk, k + 20, 8), -EFAULT, "runs past the region");
	cr_assert(all(h.g + 8, 8, 0), "destination zeroed on a fault");
	cr_assert(all(h.g + 16, 24, 0xaa));
	cr_assert_eq(probe(&h, pk, (void *)(uintptr_t)0x1000, 16), -EFAULT, "unmapped");
	cr_assert(all(h.g + 8, 16, 0));
	cr_assert_eq(probe(&h, pk, u, 4), -EFAULT, "user memory is not kernel memory");
	cr_assert_eq(probe(&h, pk, k, 0), 0, "size 0");
	cr_assert(all(h.g + 8, 32, 0xaa));

	cr_assert_eq(probe(&h, pu, u, 10), 0);
	cr_assert(!memcmp(h.g + 8, "user bytes", 10));
	cr_assert_eq(probe(&h, pu, k, 4), -EFAULT, "kernel memory is not user memory");
	cr_assert(all(h.g + 8, 4, 0));
	cr_assert_eq(probe(&h, pu, (void *)(uintptr_t)0x1000, 4), -EFAULT);

	cr_assert_eq(probe(&h, pl, u, 4), 0, "the legacy helper reads either");
	cr_assert_eq(probe(&h, pl, k, 4), 0);
	cr_assert_eq(probe(&h, pl, (void *)(uintptr_t)0x1000, 4), -EFAULT);
	h_fini(&h);
}

Test(env_helpers_probe, probe_read_str_lengths_truncation_and_faults)
{
	struct h h;
	const char kdata[] = "hello";
	const char nonul[4] = { 'a', 'b', 'c', 'd' };
	char *k, *u, *kn;
	int pks, pus, pls;

	h_init(&h);
	k = env_mem_add(h.env, ENV_MEM_KERNEL, kdata, sizeof(kdata));
	u = env_mem_add(h.env, ENV_MEM_USER, "usr/bin/cat", 12);
	kn = env_mem_add(h.env, ENV_MEM_KERNEL, nonul, sizeof(nonul));
	cr_assert(k && u && kn);
	pks = probe_prog(&h, "bpf_probe_read_kernel_str");
	pus = probe_prog(&h, "bpf_probe_read_user_str");
	pls = probe_prog(&h, "bpf_probe_read_str");

	cr_assert_eq(probe(&h, pks, k, 32), 6, "length with the NUL");
	cr_assert_str_eq((char *)h.g + 8, "hello");
	cr_assert(all(h.g + 8 + 6, 26, 0xaa), "no padding past the NUL");
	cr_assert_eq(probe(&h, pks, k, 4), 4, "truncated: size bytes, NUL included");
	cr_assert(!memcmp(h.g + 8, "hel\0", 4));
	cr_assert(all(h.g + 12, 28, 0xaa));
	cr_assert_eq(probe(&h, pks, k, 1), 1, "just the NUL");
	cr_assert_eq(h.g[8], 0);
	cr_assert_eq(probe(&h, pks, k, 0), 0);
	cr_assert_eq(probe(&h, pks, kn, 4), 4, "stops at size - 1 before the fault");
	cr_assert(!memcmp(h.g + 8, "abc\0", 4));
	cr_assert_eq(probe(&h, pks, kn, 16), -EFAULT, "the string runs off its region");
	cr_assert(all(h.g + 8, 16, 0), "the whole destination zeroed");
	cr_assert(all(h.g + 24, 16, 0xaa));
	cr_assert_eq(probe(&h, pks, (void *)(uintptr_t)0x1000, 8), -EFAULT);
	cr_assert_eq(probe(&h, pks, u, 8), -EFAULT, "user string through the kernel helper");

	cr_assert_eq(probe(&h, pus, u, 32), 12);
	cr_assert_str_eq((char *)h.g + 8, "usr/bin/cat");
	cr_assert_eq(probe(&h, pus, u, 8), 8);
	cr_assert(!memcmp(h.g + 8, "usr/bin\0", 8));
	cr_assert_eq(probe(&h, pus, k, 8), -EFAULT);
	cr_assert(all(h.g + 8, 8, 0));

	cr_assert_eq(probe(&h, pls, u, 32), 12);
	cr_assert_eq(probe(&h, pls, k, 32), 6);
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Formatted output, strings, checksums                                 */
/* ------------------------------------------------------------------ */

#define FMT_OFF 256
#define DATA_OFF 384
#define SBUF_OFF 128

/* trace_printk(g + FMT_OFF, A0, A1, A2, A3) -> G0 */
static int printk_prog(struct h *h)
{
	return prog(h, RT, PRE "r1 = r9\nr1 += %d\nr2 = " A(0) "\nr3 = " A(8) "\nr4 = " A(16) "\n"
		    "r5 = " A(24) "\ncall bpf_trace_printk\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n",
		    FMT_OFF);
}

static int64_t pk(struct h *h, int p, const char *fmt, uint64_t a1, uint64_t a2,
		      uint64_t a3)
{
	memset(h->g + FMT_OFF, 0, 128);
	memcpy(h->g + FMT_OFF, fmt, strlen(fmt) + 1);
	args(h, 4, (uint64_t)strlen(fmt) + 1, a1, a2, a3);
	run_ok(h, p);
	return GI(h, 0);
}

Test(env_helpers_fmt, trace_printk_format_rules)
{
	struct h h;
	char *ks;
	uint8_t ip[4] = { 192, 168, 1, 20 };
	void *kip;
	int p;

	h_init(&h);
	ks = env_mem_add(h.env, ENV_MEM_KERNEL, "kstr", 5);
	kip = env_mem_add(h.env, ENV_MEM_KERNEL, ip, 4);
	p = printk_prog(&h);
	cr_assert_eq(pk(&h, p, "n=%d u=%u x=%x\n", U(-5), U(-1), U(255)),
		     (int64_t)strlen("n=-5 u=4294967295 x=ff\n"));
	cr_assert_str_eq(h.out.printk, "n=-5 u=4294967295 x=ff\n", "ints: the low 32 bits");
	cr_assert_eq(pk(&h, p, "%lld %llx %lu", U(-5), U(0x1234567890), U(-1)),
		     (int64_t)strlen("-5 1234567890 18446744073709551615"));
	cr_assert_str_eq(h.out.printk, "-5 1234567890 18446744073709551615\n",
			 "one line per call");
	pk(&h, p, "[%5d|%-4d|%05x%%]", U(42), U(7), U(0xab));
	cr_assert_str_eq(h.out.printk, "[   42|7   |000ab%]\n");
	pk(&h, p, "%c%c", U('O'), U('K'), 0);
	cr_assert_str_eq(h.out.printk, "OK\n");
	pk(&h, p, "s=%s.", (uint64_t)(uintptr_t)ks, 0, 0);
	cr_assert_str_eq(h.out.printk, "s=kstr.\n");
	pk(&h, p, "s=%s.", U(0x1000), 0, 0);
	cr_assert_str_eq(h.out.printk, "s=.\n", "%%s of unmapped memory prints nothing");
	pk(&h, p, "ip %pI4 p %px", (uint64_t)(uintptr_t)kip, U(0xffff1234), 0);
	cr_assert_str_eq(h.out.printk, "ip 192.168.1.20 p 0x00000000ffff1234\n");

	cr_assert_eq(pk(&h, p, "%d %d %d %d", 1, 2, 3), -EINVAL, "more specifiers than args");
	cr_assert_str_eq(h.out.printk, "", "nothing printed on an error");
	cr_assert_eq(pk(&h, p, "%n", 1, 0, 0), -EINVAL, "%%n");
	cr_assert_eq(pk(&h, p, "%5.2d", 1, 0, 0), -EINVAL, "precision");
	cr_assert_eq(pk(&h, p, "%q", 1, 0, 0), -EINVAL, "unknown specifier");
	cr_assert_eq(pk(&h, p, "%lllx", 1, 0, 0), -EINVAL, "three l's");
	cr_assert_eq(pk(&h, p, "%sx", 1, 0, 0), -EINVAL, "%%s followed by a letter");
	cr_assert_eq(pk(&h, p, "\x01", 0, 0, 0), -EINVAL, "not printable");
	cr_assert_eq(pk(&h, p, "%pQ", 1, 0, 0), -EINVAL, "unknown %%p extension");
	/* a format whose size does not reach its NUL */
	memcpy(h.g + FMT_OFF, "abcd", 4);
	args(&h, 1, U(4));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "no NUL inside the size");
	h_fini(&h);
}

Test(env_helpers_fmt, format_string_in_global_data_without_checked_mode)
{
	struct h h;
	int p;

	h_init(&h);
	p = printk_prog(&h);
	memcpy(h.g + FMT_OFF, "v=%d", 5);
	args(&h, 2, U(5), U(17));
	cr_assert_eq(run_pkt(&h, p, NULL, 0, false), 0, "%s", h.e.msg);
	cr_assert_eq(GI(&h, 0), 4, "a .rodata format is readable in a fast run too");
	cr_assert_str_eq(h.out.printk, "v=17\n");
	h_fini(&h);
}

Test(env_helpers_fmt, snprintf_vprintk_lengths_truncation_and_errors)
{
	struct h h;
	int sp, vp;
	uint64_t data[4] = { 7, 0, 0, 0 };

	h_init(&h);
	/* snprintf(g + SBUF_OFF, A0, g + FMT_OFF, g + DATA_OFF, A1) -> G0 */
	sp = prog(&h, RT, PRE "r1 = r9\nr1 += %d\nr2 = " A(0) "\nr3 = r9\nr3 += %d\n"
		  "r4 = r9\nr4 += %d\nr5 = " A(8) "\ncall bpf_snprintf\n*(u64 *)(r9 +0) = r0\n"
		  "r0 = 0\nexit\n", SBUF_OFF, FMT_OFF, DATA_OFF);
	vp = prog(&h, RT, PRE "r1 = r9\nr1 += %d\nr2 = " A(0) "\nr3 = r9\nr3 += %d\n"
		  "r4 = " A(8) "\ncall bpf_trace_vprintk\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n",
		  FMT_OFF, DATA_OFF);
	data[1] = (uint64_t)(uintptr_t)env_mem_add(h.env, ENV_MEM_KERNEL, "str", 4);
	memcpy(h.g + DATA_OFF, data, sizeof(data));
	memcpy(h.g + FMT_OFF, "a%d-%s", 7);
	args(&h, 2, U(64), U(16));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), 7, "length with the NUL");
	cr_assert_str_eq((char *)h.g + SBUF_OFF, "a7-str");
	memset(h.g + SBUF_OFF, 0x55, 16);
	args(&h, 2, U(4), U(16));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), 7, "what it needed, not what fit");
	cr_assert(!memcmp(h.g + SBUF_OFF, "a7-\0\x55", 5), "truncated and terminated");
	args(&h, 2, U(64), U(8));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), -EINVAL, "two specifiers, one argument");
	args(&h, 2, U(64), U(12));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), -EINVAL, "data_len not a multiple of 8");
	memcpy(h.g + FMT_OFF, "%d%d%d%d%d%d%d%d%d%d%d%d%d", 27);
	args(&h, 2, U(64), U(13 * 8));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), -EINVAL, "more than 12 arguments");
	memcpy(h.g + FMT_OFF, "%n", 3);
	args(&h, 2, U(64), U(8));
	run_ok(&h, sp);
	cr_assert_eq(GI(&h, 0), -EINVAL);

	memcpy(h.g + FMT_OFF, "v %d %s", 8);
	args(&h, 2, U(8), U(16));
	run_ok(&h, vp);
	cr_assert_eq(GI(&h, 0), 7);
	cr_assert_str_eq(h.out.printk, "v 7 str\n");
	args(&h, 2, U(8), U(8));
	run_ok(&h, vp);
	cr_assert_eq(GI(&h, 0), -EINVAL, "vprintk: too few arguments");
	h_fini(&h);
}

Test(env_helpers_fmt, strncmp_answers_minus_one_zero_one)
{
	struct h h;
	int p;

	h_init(&h);
	/* strncmp(g + 64, A0, g + 128) -> G0 */
	p = prog(&h, RT, PRE "r1 = r9\nr1 += 64\nr2 = " A(0) "\nr3 = r9\nr3 += 128\n"
		 "call bpf_strncmp\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n");
	memcpy(h.g + 64, "bash\0zz", 8);
	memcpy(h.g + 128, "bash", 5);
	args(&h, 1, U(8));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), 0, "equal up to the NUL");
	args(&h, 1, U(3));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), 0, "first 3 bytes");
	memcpy(h.g + 128, "bat", 4);
	args(&h, 1, U(8));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -1);
	memcpy(h.g + 128, "ba", 3);
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), 1, "1, not the byte difference");
	h_fini(&h);
}

/* RFC 1071 over big-endian 16-bit words. */
static uint16_t ref_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint16_t fold(uint64_t sum)
{
	uint32_t s = (uint32_t)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

Test(env_helpers_pkt, csum_diff_updates_an_ipv4_checksum_like_a_recompute)
{
	struct h h;
	uint8_t iph[20] = { 0x45, 0, 0, 60, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
			    10, 0, 0, 1, 10, 0, 0, 2 };
	uint16_t c, n;
	uint8_t from[4], to[4] = { 192, 168, 7, 9 };
	int p;

	h_init(&h);
	/* csum_diff(A0 ? g+64 : NULL, A1, g+128, A2, A3) -> G0 */
	p = prog(&h, RT, PRE "r1 = 0\nr2 = " A(0) "\nif r2 == 0 goto +2\nr1 = r9\nr1 += 64\n"
		 "r2 = " A(8) "\nr3 = r9\nr3 += 128\nr4 = " A(16) "\nr5 = " A(24) "\n"
		 "call bpf_csum_diff\n*(u64 *)(r9 +0) = r0\nr0 = 0\nexit\n");
	c = ref_csum(iph, 20);
	iph[10] = (uint8_t)(c >> 8);
	iph[11] = (uint8_t)c;
	cr_assert_eq(ref_csum(iph, 20), 0, "the header checks");
	memcpy(from, iph + 12, 4);
	memcpy(h.g + 64, from, 4);
	memcpy(h.g + 128, to, 4);
	{
		uint16_t old;

		memcpy(&old, iph + 10, 2);      /* as the program reads it */
		args(&h, 4, U(1), U(4), U(4), U((uint16_t)~old));
	}
	run_ok(&h, p);
	cr_assert_geq(GI(&h, 0), 0);
	n = fold(G(&h, 0));
	memcpy(iph + 12, to, 4);
	memcpy(iph + 10, &n, 2);
	cr_assert_eq(ref_csum(iph, 20), 0, "the updated header checks (new 0x%04x)", n);
	iph[10] = iph[11] = 0;
	c = ref_csum(iph, 20);
	cr_assert_eq(n, (uint16_t)(c >> 8 | c << 8), "equals a recompute");

	/* to only: the sum of the words plus the seed */
	args(&h, 4, U(0), U(0), U(4), U(1));
	run_ok(&h, p);
	cr_assert_eq(G(&h, 0), 1 + (uint64_t)(192 | 168 << 8 | 7 << 16 | (uint64_t)9 << 24));
	args(&h, 4, U(1), U(3), U(4), U(0));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "size not a multiple of 4");
	args(&h, 4, U(1), U(256), U(260), U(0));
	run_ok(&h, p);
	cr_assert_eq(GI(&h, 0), -EINVAL, "more than 512 bytes together");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* Packets                                                              */
/* ------------------------------------------------------------------ */

static uint8_t frame[60];

static void init_frame(void)
{
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
}

Test(env_helpers_pkt, xdp_load_store_bytes_bounds)
{
	struct h h;
	int ld, st;
	char msg[512];

	h_init(&h);
	init_frame();
	/* xdp_load_bytes(ctx, G1, stack, G2) -> G0, 8 bytes -> G3.  Packet
	 * programs read their inputs from g (set by the test). */
	ld = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = 0\n*(u64 *)(r10 -8) = r1\n"
		  "r1 = r6\nr2 = *(u64 *)(r9 +8)\nr3 = r10\nr3 += -8\nr4 = *(u64 *)(r9 +16)\n"
		  "call bpf_xdp_load_bytes\n*(u64 *)(r9 +0) = r0\n"
		  "r1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +24) = r1\nr0 = 2\nexit\n");
	st = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = 0xeeeeeeeeeeeeeeee ll\n*(u64 *)(r10 -8) = r1\n"
		  "r1 = r6\nr2 = *(u64 *)(r9 +8)\nr3 = r10\nr3 += -8\nr4 = *(u64 *)(r9 +16)\n"
		  "call bpf_xdp_store_bytes\n*(u64 *)(r9 +0) = r0\nr0 = 2\nexit\n");
#define SET(off, len) do { uint64_t a_[2] = { (off), (len) }; memcpy(h.g + 8, a_, 16); } while (0)
#define RUNP(p) cr_assert_eq(run_pkt(&h, (p), frame, sizeof(frame), true), 0, "%s", \
			     bb_err_str(&h.e, msg, sizeof(msg)))
	SET(52, 8);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 3), 0x3b3a393837363534, "bytes 52..59");
	SET(53, 8);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), -EINVAL, "one byte past the end");
	SET(0x10000, 1);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), -EFAULT, "offset above 0xffff");
	SET(10, 4);
	RUNP(st);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(h.out.packet_len, 60);
	cr_assert(!memcmp(h.out.packet + 10, "\xee\xee\xee\xee", 4));
	cr_assert_eq(h.out.packet[14], 14);
	SET(58, 4);
	RUNP(st);
	cr_assert_eq(GI(&h, 0), -EINVAL);
	cr_assert(!memcmp(h.out.packet, frame, 60), "left alone on error");
	h_fini(&h);
}

Test(env_helpers_pkt, skb_load_store_bytes_bounds)
{
	struct h h;
	int ld, st;
	char msg[512];

	h_init(&h);
	init_frame();
	ld = prog(&h, BPF_PROG_TYPE_SCHED_CLS, PRE "r1 = -1\n*(u64 *)(r10 -8) = r1\n"
		  "r1 = r6\nr2 = *(u64 *)(r9 +8)\nr3 = r10\nr3 += -8\nr4 = *(u64 *)(r9 +16)\n"
		  "call bpf_skb_load_bytes\n*(u64 *)(r9 +0) = r0\n"
		  "r1 = *(u64 *)(r10 -8)\n*(u64 *)(r9 +24) = r1\nr0 = 0\nexit\n");
	st = prog(&h, BPF_PROG_TYPE_SCHED_CLS, PRE "r1 = 0xeeeeeeeeeeeeeeee ll\n*(u64 *)(r10 -8) = r1\n"
		  "r1 = r6\nr2 = *(u64 *)(r9 +8)\nr3 = r10\nr3 += -8\nr4 = *(u64 *)(r9 +16)\n"
		  "r5 = *(u64 *)(r9 +32)\ncall bpf_skb_store_bytes\n*(u64 *)(r9 +0) = r0\n"
		  "r0 = 0\nexit\n");
	SET(0, 8);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 3), 0x0706050403020100);
	SET(56, 8);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), -EFAULT, "past the end");
	cr_assert_eq(G(&h, 3), 0, "buffer zeroed on error");
	SET(U(-1), 4);
	RUNP(ld);
	cr_assert_eq(GI(&h, 0), -EFAULT, "negative offset");
	SET(20, 2);
	RUNP(st);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert(!memcmp(h.out.packet + 20, "\xee\xee\x16", 3));
	SET(59, 2);
	RUNP(st);
	cr_assert_eq(GI(&h, 0), -EFAULT);
	{
		uint64_t fl = 1u << 5;

		memcpy(h.g + 32, &fl, 8);
	}
	SET(0, 2);
	RUNP(st);
	cr_assert_eq(GI(&h, 0), -EINVAL, "unknown flag");
	h_fini(&h);
}

Test(env_helpers_pkt, xdp_adjust_head_tail_meta_move_the_pointers)
{
	struct h h;
	int head, tail, meta;
	char msg[512];

	h_init(&h);
	init_frame();
	/* adjust(ctx, G1) -> G0; then G2 = data_end - data, G3 = data - data_meta,
	 * G4 = first byte at data */
#define AFTER "*(u64 *)(r9 +0) = r0\nr2 = *(u32 *)(r6 +0)\nr3 = *(u32 *)(r6 +4)\n" \
	      "r4 = *(u32 *)(r6 +8)\nr5 = r3\nr5 -= r2\n*(u64 *)(r9 +16) = r5\n" \
	      "r5 = r2\nr5 -= r4\n*(u64 *)(r9 +24) = r5\nr5 = r2\nr5 += 1\n" \
	      "if r5 > r3 goto +2\nr5 = *(u8 *)(r2 +0)\n*(u64 *)(r9 +32) = r5\nr0 = 2\nexit\n"
	head = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = r6\nr2 = *(u64 *)(r9 +8)\n"
		    "call bpf_xdp_adjust_head\n" AFTER);
	tail = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = r6\nr2 = *(u64 *)(r9 +8)\n"
		    "call bpf_xdp_adjust_tail\n" AFTER);
	meta = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = r6\nr2 = *(u64 *)(r9 +8)\n"
		    "call bpf_xdp_adjust_meta\n" AFTER);
#undef AFTER
#define SETD(d) do { int64_t d_ = (d); memcpy(h.g + 8, &d_, 8); } while (0)
	SETD(14);
	RUNP(head);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 2), 46, "data moved 14 bytes in");
	cr_assert_eq(G(&h, 4), 14);
	cr_assert_eq(h.out.packet_len, 46);
	cr_assert_eq(h.out.packet[0], 14);
	SETD(-20);
	RUNP(head);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 2), 80, "20 bytes of headroom taken");
	cr_assert_eq(h.out.packet_len, 80);
	cr_assert_eq(h.out.packet[20], 0);
	SETD(47);
	RUNP(head);
	cr_assert_eq(GI(&h, 0), -EINVAL, "fewer than 14 bytes left");
	cr_assert_eq(G(&h, 2), 60, "unchanged on error");
	SETD(-300);
	RUNP(head);
	cr_assert_eq(GI(&h, 0), -EINVAL, "more than the headroom");

	SETD(-10);
	RUNP(tail);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 2), 50);
	cr_assert_eq(h.out.packet_len, 50);
	SETD(100);
	RUNP(tail);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(h.out.packet_len, 160);
	cr_assert(all(h.out.packet + 60, 100, 0), "grown bytes cleared");
	SETD(-50);
	RUNP(tail);
	cr_assert_eq(GI(&h, 0), -EINVAL, "shorter than an Ethernet header");
	SETD(4096);
	RUNP(tail);
	cr_assert_eq(GI(&h, 0), -EINVAL, "past the frame's tailroom");

	SETD(-8);
	RUNP(meta);
	cr_assert_eq(GI(&h, 0), 0);
	cr_assert_eq(G(&h, 3), 8, "8 bytes of metadata");
	cr_assert_eq(G(&h, 2), 60, "data unchanged");
	SETD(-6);
	RUNP(meta);
	cr_assert_eq(GI(&h, 0), -EACCES, "metadata not a multiple of 4");
	SETD(-36);
	RUNP(meta);
	cr_assert_eq(GI(&h, 0), -EACCES, "more than 32 bytes of metadata");
	SETD(4);
	RUNP(meta);
	cr_assert_eq(GI(&h, 0), -EINVAL, "meta past data");
	SETD(-400);
	RUNP(meta);
	cr_assert_eq(GI(&h, 0), -EINVAL, "meta before the frame");
	h_fini(&h);
}

Test(env_helpers_pkt, redirect_and_redirect_map_return_values)
{
	struct h h;
	struct map_spec dm = { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4,
			       .max_entries = 8 };
	int m, xr, tr, rm;
	uint32_t k = 3, v = 7;
	char msg[512];

	h_init(&h);
	init_frame();
	m = add_map(&h, "ports", &dm);
	cr_assert_eq(map_update(M(&h, m), &k, &v, BPF_ANY), 0);
	xr = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = 5\nr2 = *(u64 *)(r9 +8)\n"
		  "call bpf_redirect\nexit\n");
	tr = prog(&h, BPF_PROG_TYPE_SCHED_CLS, PRE "r1 = 5\nr2 = *(u64 *)(r9 +8)\n"
		  "call bpf_redirect\nexit\n");
	rm = prog(&h, BPF_PROG_TYPE_XDP, PRE "r1 = map[idx:%d]\nr2 = *(u64 *)(r9 +8)\n"
		  "r3 = *(u64 *)(r9 +16)\ncall bpf_redirect_map\nexit\n", m);
	SET(0, 0);
	RUNP(xr);
	cr_assert_eq(h.out.r0, 4, "XDP_REDIRECT");
	SET(1, 0);
	RUNP(xr);
	cr_assert_eq(h.out.r0, 0, "XDP: any flag is XDP_ABORTED");
	SET(0, 0);
	RUNP(tr);
	cr_assert_eq(h.out.r0, 7, "TC_ACT_REDIRECT");
	SET(BPF_F_INGRESS, 0);
	RUNP(tr);
	cr_assert_eq(h.out.r0, 7, "BPF_F_INGRESS");
	SET(2, 0);
	RUNP(tr);
	cr_assert_eq(h.out.r0, 2, "tc: unknown flag is TC_ACT_SHOT");
	SET(3, 0);
	RUNP(rm);
	cr_assert_eq(h.out.r0, 4, "key present: XDP_REDIRECT");
	SET(4, 2);
	RUNP(rm);
	cr_assert_eq(h.out.r0, 2, "key absent: the action in the low flag bits (XDP_PASS)");
	SET(4, 1);
	RUNP(rm);
	cr_assert_eq(h.out.r0, 1, "XDP_DROP");
	SET(3, 0x100);
	RUNP(rm);
	cr_assert_eq(h.out.r0, 0, "unknown flag: XDP_ABORTED");
	h_fini(&h);
}

/* ------------------------------------------------------------------ */
/* The table                                                            */
/* ------------------------------------------------------------------ */

Test(env_helpers_table, unknown_helper_ids_name_themselves)
{
	struct h h;
	int p1, p2, p3;
	char msg[512];

	h_init(&h);
	p1 = prog(&h, RT, "r0 = 0\ncall bpf_get_cgroup_classid\nexit\n");
	p2 = prog(&h, RT, "r0 = 0\nr0 = 1\ncall bpf_sk_lookup_tcp\nexit\n");
	p3 = prog(&h, RT, "call 100000\nexit\n");
	cr_assert_eq(run_pkt(&h, p1, NULL, 0, true), -ENOENT);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)),
			 "insn 1: helper 17 (get_cgroup_classid) not available offline"), "%s", msg);
	cr_assert_eq(run_pkt(&h, p2, NULL, 0, false), -ENOENT);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)),
			 "insn 2: helper 84 (sk_lookup_tcp) not available offline"), "%s", msg);
	cr_assert_eq(run_pkt(&h, p3, NULL, 0, true), -ENOENT);
	cr_assert(strstr(bb_err_str(&h.e, msg, sizeof(msg)), "insn 0: helper 100000 ("), "%s", msg);
	h_fini(&h);
}

Test(env_helpers_table, every_row_names_its_isa_helper)
{
	size_t n;
	const struct env_helper_def *d = env_helper_defs(&n);

	cr_assert_gt(n, 40);
	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(d[i].fn);
		cr_assert_str_eq(isa_helper_name(d[i].id), d[i].name, "id %d", d[i].id);
		cr_assert_eq(env_helper_def(d[i].id), &d[i]);
		if (i)
			cr_assert_gt(d[i].id, d[i - 1].id, "sorted by id");
	}
	cr_assert_null(env_helper_def(17));
}
