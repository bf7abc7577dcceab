/* SPDX-License-Identifier: MIT */
/*
 * Kernel differential for maps/: the same seeded random sequence of
 * operations on a kernel map (through loader/) and on ours, comparing
 * every return code, every value read, and the whole contents at
 * checkpoints.  Any difference fails with the operation's index, the
 * operation and both answers.
 *
 * Hash maps are created with BPF_F_ZERO_SEED on the kernel side, which
 * makes the kernel's bucket order the one we always use, so iteration
 * order is compared exactly for them too.  LRU maps are compared only
 * while they are not full (the key space is far below max_entries and
 * the process is pinned to one CPU): once the kernel starts evicting,
 * which elements survive depends on its per-CPU batching, which we do
 * not imitate (see maps/map_hash.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/ldr.h"
#include "maps/maps.h"

#define OPS 10000
#define CHECK_EVERY 500

enum kind { K_HASH, K_ARRAY, K_TRIE, K_QUEUE, K_BLOOM };

struct cfg {
	const char *name;
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t extra;
	enum kind kind;
	uint32_t keyspace;
	bool exact_order;
};

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here: %s", e.msg);
}

static int kern_lookup_and_delete(int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return ldr_sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a, sizeof(a));
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);       /* best effort */
}

/* A random key from a small space so that operations collide. */
static void make_key(const struct cfg *c, uint8_t *key)
{
	uint32_t r = rnd() % c->keyspace;

	memset(key, 0, c->key_size);
	if (c->kind == K_TRIE) {
		static const uint32_t lens[] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, 33 };
		uint32_t plen = lens[rnd() % BB_ARRAY_SIZE(lens)];
		/* data bytes from a small set, so prefixes nest and diverge */
		key[4] = (uint8_t)(0x80 | (r & 7) << 4 | (r >> 3 & 1));
		key[5] = (uint8_t)((r >> 4) * 0x11);
		key[6] = (uint8_t)(rnd() & 3);
		key[7] = (uint8_t)(rnd() & 1);
		memcpy(key, &plen, 4);
		return;
	}
	if (c->kind == K_ARRAY) {
		memcpy(key, &r, 4);
		return;
	}
	for (uint32_t i = 0; i < c->key_size; i++)
		key[i] = (uint8_t)(r * 131 + i * 7 + (i ? 0 : r));
	memcpy(key, &r, c->key_size < 4 ? c->key_size : 4);
}

static void make_value(uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (uint8_t)rnd();
}

struct run {
	const struct cfg *c;
	struct map *m;
	int fd;
	size_t vsz;
	uint8_t *k1, *k2, *kn, *v1, *v2, *vin;
	long counts[8];         /* per-op successes, for the summary */
};


#define DIFF(r, i, op, a, b) cr_assert_eq((a), (b), \
	"%s: op %d (%s): kernel %d (%s), ours %d (%s)", (r)->c->name, (i), (op), \
	(a), strerror((a) < 0 ? -(a) : 0), (b), strerror((b) < 0 ? -(b) : 0))

static void hexs(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && i < 48; i++)
		sprintf(out + i * 2, "%02x", p[i]);
}

static void same_bytes(struct run *r, int i, const char *op, const uint8_t *a,
		       const uint8_t *b, size_t n)
{
	char ha[100] = "", hb[100] = "";

	if (!memcmp(a, b, n))
		return;
	hexs(ha, a, n);
	hexs(hb, b, n);
	cr_assert_fail("%s: op %d (%s): kernel bytes %s, ours %s", r->c->name, i, op, ha, hb);
}

/* Walk both maps from the start; compare order (or the key set) and each
 * key's value. */
static void checkpoint(struct run *r, int i)
{
	const struct cfg *c = r->c;
	size_t ks = c->key_size, n = 0, cap = 4096;
	uint8_t *kk = calloc(cap, ks), *ok = calloc(cap, ks);
	int a, b;
	size_t nk = 0, no = 0;

	cr_assert(kk && ok);
	for (a = ldr_map_get_next_key(r->fd, NULL, kk); a == 0 && nk + 1 < cap;
	     a = ldr_map_get_next_key(r->fd, kk + (nk - 1) * ks, kk + nk * ks))
		nk++;
	for (b = map_get_next_key(r->m, NULL, ok); b == 0 && no + 1 < cap;
	     b = map_get_next_key(r->m, ok + (no - 1) * ks, ok + no * ks))
		no++;
	DIFF(r, i, "iterate: end", a, b);
	cr_assert_eq(nk, no, "%s: op %d: kernel iterates %zu keys, ours %zu", c->name, i, nk, no);
	if (c->exact_order) {
		same_bytes(r, i, "iterate: order", kk, ok, nk * ks);
	} else {
		/* Same set: every kernel key is in our map and vice versa (the
		 * counts match, and our lookups must find each). */
		for (size_t j = 0; j < nk; j++)
			cr_assert_not_null(map_elem_ptr(r->m, kk + j * ks, 0),
					   "%s: op %d: kernel key %zu not in ours", c->name, i, j);
	}
	for (n = 0; n < nk; n++) {
		memset(r->v1, 0, r->vsz);
		memset(r->v2, 0, r->vsz);
		a = ldr_map_lookup(r->fd, kk + n * ks, r->v1);
		b = map_lookup(r->m, kk + n * ks, r->v2, 0);
		DIFF(r, i, "iterate: lookup", a, b);
		same_bytes(r, i, "iterate: value", r->v1, r->v2, r->vsz);
	}
	r->counts[7]++;
	free(kk);
	free(ok);
}

static void keyed_op(struct run *r, int i)
{
	const struct cfg *c = r->c;
	static const uint64_t fl[] = { BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_ANY, 3, BPF_F_LOCK };
	uint32_t op = rnd() % 100;
	int a, b;

	make_key(c, r->k1);
	if (op < 40) {
		uint64_t f = fl[rnd() % (rnd() % 8 ? 4 : BB_ARRAY_SIZE(fl))];

		make_value(r->vin, r->vsz);
		a = ldr_map_update(r->fd, r->k1, r->vin, f);
		b = map_update(r->m, r->k1, r->vin, f);
		DIFF(r, i, "update", a, b);
		r->counts[0] += a == 0;
	} else if (op < 65) {
		memset(r->v1, 0, r->vsz);
		memset(r->v2, 0, r->vsz);
		a = ldr_map_lookup(r->fd, r->k1, r->v1);
		b = map_lookup(r->m, r->k1, r->v2, 0);
		DIFF(r, i, "lookup", a, b);
		if (!a)
			same_bytes(r, i, "lookup", r->v1, r->v2, r->vsz);
		r->counts[1] += a == 0;
	} else if (op < 82) {
		a = ldr_map_delete(r->fd, r->k1);
		b = map_delete(r->m, r->k1);
		DIFF(r, i, "delete", a, b);
		r->counts[2] += a == 0;
	} else if (op < 94) {
		bool null = rnd() % 4 == 0;

		memset(r->k2, 0, c->key_size);
		memset(r->kn, 0, c->key_size);
		a = ldr_map_get_next_key(r->fd, null ? NULL : r->k1, r->k2);
		b = map_get_next_key(r->m, null ? NULL : r->k1, r->kn);
		DIFF(r, i, "get_next_key", a, b);
		if (!a && c->exact_order)
			same_bytes(r, i, "get_next_key", r->k2, r->kn, c->key_size);
		r->counts[3] += a == 0;
	} else {
		uint64_t f = rnd() % 10 ? 0 : BPF_F_LOCK;

		memset(r->v1, 0, r->vsz);
		memset(r->v2, 0, r->vsz);
		a = kern_lookup_and_delete(r->fd, r->k1, r->v1, f);
		b = map_lookup_and_delete(r->m, r->k1, r->v2, f);
		DIFF(r, i, "lookup_and_delete", a, b);
		if (!a)
			same_bytes(r, i, "lookup_and_delete", r->v1, r->v2, r->vsz);
		r->counts[4] += a == 0;
	}
}

static void queue_op(struct run *r, int i)
{
	const struct cfg *c = r->c;
	static const uint64_t fl[] = { BPF_ANY, BPF_EXIST, BPF_ANY, BPF_NOEXIST, 3 };
	uint32_t op = rnd() % 100;
	int a, b;

	if (op < 45) {
		uint64_t f = fl[rnd() % (rnd() % 8 ? 3 : BB_ARRAY_SIZE(fl))];

		make_value(r->vin, r->vsz);
		if (c->kind == K_BLOOM && rnd() % 4 == 0)       /* re-add known values */
			memset(r->vin, (int)(rnd() % 4), r->vsz);
		a = ldr_map_update(r->fd, NULL, r->vin, f);
		b = map_update(r->m, NULL, r->vin, f);
		DIFF(r, i, "push", a, b);
		r->counts[5] += a == 0;
	} else if (op < 75) {
		memset(r->v1, 0, r->vsz);
		memset(r->v2, 0, r->vsz);
		if (c->kind == K_BLOOM) {
			/* peek: the value is the input */
			make_value(r->v1, r->vsz);
			if (rnd() % 2)
				memset(r->v1, (int)(rnd() % 4), r->vsz);
			memcpy(r->v2, r->v1, r->vsz);
		}
		a = ldr_map_lookup(r->fd, NULL, r->v1);
		b = map_lookup(r->m, NULL, r->v2, 0);
		DIFF(r, i, "peek", a, b);
		if (!a)
			same_bytes(r, i, "peek", r->v1, r->v2, r->vsz);
		r->counts[6] += a == 0;
	} else if (op < 92) {
		memset(r->v1, 0, r->vsz);
		memset(r->v2, 0, r->vsz);
		a = kern_lookup_and_delete(r->fd, NULL, r->v1, 0);
		b = map_lookup_and_delete(r->m, NULL, r->v2, 0);
		DIFF(r, i, "pop", a, b);
		if (!a)
			same_bytes(r, i, "pop", r->v1, r->v2, r->vsz);
		r->counts[4] += a == 0;
	} else if (op < 96) {
		a = ldr_map_delete(r->fd, NULL);
		b = map_delete(r->m, NULL);
		DIFF(r, i, "delete", a, b);
	} else {
		a = ldr_map_get_next_key(r->fd, NULL, r->k2);
		b = map_get_next_key(r->m, NULL, r->kn);
		DIFF(r, i, "get_next_key", a, b);
	}
}

static void run_cfg(const struct cfg *c, uint64_t seed)
{
	struct run r = { .c = c };
	struct map_spec spec = {
		.type = c->type, .key_size = c->key_size, .value_size = c->value_size,
		.max_entries = c->max_entries, .map_flags = c->flags, .map_extra = c->extra,
		.name = c->name,
	};
	struct bb_err e;
	int ncpu = map_host_possible_cpus(), a, b;
	size_t kbuf;

	need_bpf();
	pin_cpu0();
	cr_assert_gt(ncpu, 0);
	spec.nr_cpus = (uint32_t)ncpu;
	LDR_OPTS(ldr_map_create_opts, o, .map_type = c->type, .key_size = c->key_size,
		 .value_size = c->value_size, .max_entries = c->max_entries,
		 .map_flags = c->flags, .map_extra = c->extra, .map_name = "bb_diff");
	bb_err_clear(&e);
	r.fd = ldr_map_create(&o, &e);
	cr_assert_geq(r.fd, 0, "%s: kernel map: %s", c->name, e.msg);
	bb_err_clear(&e);
	cr_assert_eq(map_new(&spec, &r.m, &e), 0, "%s: %s", c->name, e.msg);
	r.vsz = map_value_size_user(r.m);
	kbuf = c->key_size ? c->key_size : 1;
	r.k1 = calloc(1, kbuf);
	r.k2 = calloc(1, kbuf);
	r.kn = calloc(1, kbuf);
	r.v1 = calloc(1, r.vsz);
	r.v2 = calloc(1, r.vsz);
	r.vin = calloc(1, r.vsz);
	cr_assert(r.k1 && r.k2 && r.kn && r.v1 && r.v2 && r.vin);
	rng = seed;
	for (int i = 0; i < OPS; i++) {
		if (c->kind == K_QUEUE || c->kind == K_BLOOM)
			queue_op(&r, i);
		else
			keyed_op(&r, i);
		if (c->kind != K_QUEUE && c->kind != K_BLOOM && i % CHECK_EVERY == CHECK_EVERY - 1)
			checkpoint(&r, i);
		struct bb_err ce;

		bb_err_clear(&ce);
		cr_assert_eq(map_check(r.m, &ce), 0, "%s: op %d: %s", c->name, i, ce.msg);
	}
	/* Freezing: writes from the system call stop, twice over. */
	a = ldr_map_freeze(r.fd);
	b = map_freeze(r.m);
	DIFF(&r, OPS, "freeze", a, b);
	make_key(c, r.k1);
	a = ldr_map_update(r.fd, c->key_size ? r.k1 : NULL, r.vin, BPF_ANY);
	b = map_update(r.m, c->key_size ? r.k1 : NULL, r.vin, BPF_ANY);
	DIFF(&r, OPS + 1, "update after freeze", a, b);
	a = ldr_map_delete(r.fd, c->key_size ? r.k1 : NULL);
	b = map_delete(r.m, c->key_size ? r.k1 : NULL);
	DIFF(&r, OPS + 2, "delete after freeze", a, b);
	a = ldr_map_freeze(r.fd);
	b = map_freeze(r.m);
	DIFF(&r, OPS + 3, "freeze again", a, b);
	fprintf(stderr, "maps diff %-16s %d ops agree: %ld updates, %ld lookups, %ld deletes, "
		"%ld next keys, %ld lookup_and_delete, %ld pushes, %ld peeks, %ld checkpoints\n",
		c->name, OPS, r.counts[0], r.counts[1], r.counts[2], r.counts[3], r.counts[4],
		r.counts[5], r.counts[6], r.counts[7]);
	map_free(r.m);
	cr_assert_eq(ldr_obj_close(r.fd), 0);
	free(r.k1);
	free(r.k2);
	free(r.kn);
	free(r.v1);
	free(r.v2);
	free(r.vin);
}

#define Z BPF_F_ZERO_SEED

Test(maps_diff, hash)
{
	run_cfg(&(struct cfg){ "hash", BPF_MAP_TYPE_HASH, 4, 8, 256, Z, 0, K_HASH, 64, true }, 1);
}

Test(maps_diff, hash_full)
{
	/* 16 slots, 40 keys: -E2BIG often; odd key size. */
	run_cfg(&(struct cfg){ "hash_full", BPF_MAP_TYPE_HASH, 6, 12, 16, Z, 0, K_HASH, 40, true },
		2);
}

Test(maps_diff, hash_no_prealloc)
{
	run_cfg(&(struct cfg){ "hash_noprealloc", BPF_MAP_TYPE_HASH, 16, 4, 24,
			       Z | BPF_F_NO_PREALLOC, 0, K_HASH, 48, true }, 3);
}

Test(maps_diff, percpu_hash)
{
	run_cfg(&(struct cfg){ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, 4, 12, 32, Z, 0, K_HASH,
			       48, true }, 4);
}

Test(maps_diff, array)
{
	/* Keys 0..19 for 16 entries: out of range too. */
	run_cfg(&(struct cfg){ "array", BPF_MAP_TYPE_ARRAY, 4, 12, 16, 0, 0, K_ARRAY, 20, true },
		5);
}

Test(maps_diff, percpu_array)
{
	run_cfg(&(struct cfg){ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 16, 0, 0,
			       K_ARRAY, 20, true }, 6);
}

Test(maps_diff, lru_hash)
{
	run_cfg(&(struct cfg){ "lru_hash", BPF_MAP_TYPE_LRU_HASH, 4, 8, 1024, Z, 0, K_HASH, 64,
			       true }, 7);
}

Test(maps_diff, lru_percpu_hash)
{
	run_cfg(&(struct cfg){ "lru_percpu_hash", BPF_MAP_TYPE_LRU_PERCPU_HASH, 8, 8, 1024, Z, 0,
			       K_HASH, 64, true }, 8);
}

Test(maps_diff, lru_hash_no_common)
{
	run_cfg(&(struct cfg){ "lru_hash_percpu_lru", BPF_MAP_TYPE_LRU_HASH, 4, 8, 1024,
			       Z | BPF_F_NO_COMMON_LRU, 0, K_HASH, 64, true }, 9);
}

Test(maps_diff, lpm_trie)
{
	run_cfg(&(struct cfg){ "lpm_trie", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 512, BPF_F_NO_PREALLOC,
			       0, K_TRIE, 32, true }, 10);
}

Test(maps_diff, lpm_trie_full)
{
	run_cfg(&(struct cfg){ "lpm_trie_full", BPF_MAP_TYPE_LPM_TRIE, 8, 4, 12,
			       BPF_F_NO_PREALLOC, 0, K_TRIE, 32, true }, 11);
}

Test(maps_diff, queue)
{
	run_cfg(&(struct cfg){ "queue", BPF_MAP_TYPE_QUEUE, 0, 8, 8, 0, 0, K_QUEUE, 1, true }, 12);
}

Test(maps_diff, stack)
{
	run_cfg(&(struct cfg){ "stack", BPF_MAP_TYPE_STACK, 0, 6, 8, 0, 0, K_QUEUE, 1, true }, 13);
}

Test(maps_diff, bloom_filter)
{
	/* Zero seed on both sides: the same bits, so even false positives agree. */
	run_cfg(&(struct cfg){ "bloom_filter", BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 64, Z, 3, K_BLOOM,
			       1, true }, 14);
}

Test(maps_diff, bloom_filter_odd)
{
	run_cfg(&(struct cfg){ "bloom_filter_odd", BPF_MAP_TYPE_BLOOM_FILTER, 0, 5, 32, Z, 0,
			       K_BLOOM, 1, true }, 15);
}

/* map_new() refuses what BPF_MAP_CREATE refuses, with the same errno. */
Test(maps_diff, create_checks)
{
	static const struct { uint32_t type, ks, vs, max, flags; uint64_t extra; } c[] = {
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 0, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 0, 16, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 0, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 513, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_MMAPABLE, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_NO_COMMON_LRU, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, 0, 1 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_RDONLY | BPF_F_WRONLY, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, 0 },
		{ BPF_MAP_TYPE_HASH, 4, 8, 16, 1u << 30, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 4, 40000, 16, 0, 0 },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 16, BPF_F_NO_COMMON_LRU, 0 },
		{ BPF_MAP_TYPE_ARRAY, 8, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 0, 16, 0, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_MMAPABLE | BPF_F_RDONLY_PROG, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_PRESERVE_ELEMS, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 16, BPF_F_INNER_MAP, 0 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 40000, 16, 0, 0 },
		{ BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 16, BPF_F_RDONLY_PROG, 0 },
		{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 16, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 2, 0, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2, BPF_F_PRESERVE_ELEMS, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 4, 8, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 261, 8, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 0, 16, BPF_F_NO_PREALLOC, 0 },
		{ BPF_MAP_TYPE_QUEUE, 0, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_QUEUE, 4, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_STACK, 0, 0, 16, 0, 0 },
		{ BPF_MAP_TYPE_STACK, 0, 8, 16, BPF_F_ZERO_SEED, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 16, 0, 5 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 16, 0, 16 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 4, 8, 16, 0, 0 },
		{ BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 0, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096 * 3, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, BPF_F_RDONLY_PROG, 0 },
		{ BPF_MAP_TYPE_STACK_TRACE, 4, 16, 16, 0, 0 },
		{ BPF_MAP_TYPE_STACK_TRACE, 4, 12, 16, 0, 0 },
		{ BPF_MAP_TYPE_STACK_TRACE, 8, 16, 16, 0, 0 },
		{ BPF_MAP_TYPE_STACK_TRACE, 4, 8 * 128, 16, 0, 0 },
	};
	int ncpu = map_host_possible_cpus(), agree = 0;

	need_bpf();
	for (size_t i = 0; i < BB_ARRAY_SIZE(c); i++) {
		struct map_spec s = { .type = c[i].type, .key_size = c[i].ks, .value_size = c[i].vs,
				      .max_entries = c[i].max, .map_flags = c[i].flags,
				      .map_extra = c[i].extra, .nr_cpus = (uint32_t)ncpu };
		struct bb_err e;
		struct map *m = NULL;
		int k, o;

		LDR_OPTS(ldr_map_create_opts, opts, .map_type = c[i].type, .key_size = c[i].ks,
			 .value_size = c[i].vs, .max_entries = c[i].max, .map_flags = c[i].flags,
			 .map_extra = c[i].extra);
		k = ldr_map_create(&opts, NULL);
		if (k >= 0) {
			ldr_obj_close(k);
			k = 0;
		}
		bb_err_clear(&e);
		o = map_new(&s, &m, &e);
		cr_expect_eq(k, o, "spec %zu (%s, key %u, value %u, max %u, flags %#x, extra %llu): "
			     "kernel %d, ours %d (%s)", i, map_type_name(c[i].type), c[i].ks, c[i].vs,
			     c[i].max, c[i].flags, (unsigned long long)c[i].extra, k, o, e.msg);
		if (o < 0)
			cr_assert_neq(e.msg[0], '\0', "spec %zu: no message", i);
		map_free(m);
		agree += k == o;
	}
	fprintf(stderr, "maps diff create checks: %d specs agree\n", agree);
}
