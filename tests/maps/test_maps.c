/* SPDX-License-Identifier: MIT */
/* maps/: each map type on its own - both sides, every error return. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "elf/obj.h"
#include "maps/maps.h"

static struct map *mk(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	struct map_spec s = { .type = type, .key_size = ks, .value_size = vs, .max_entries = max,
			      .map_flags = flags, .nr_cpus = 2, .name = "t" };
	struct bb_err e;
	struct map *m;

	bb_err_clear(&e);
	cr_assert_eq(map_new(&s, &m, &e), 0, "%s", e.msg);
	return m;
}

static void ok(const struct map *m)
{
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(map_check(m, &e), 0, "%s", e.msg);
}

Test(maps, errors_name_the_map)
{
	struct map_spec s = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 8, .value_size = 4,
			      .max_entries = 1, .name = "counts" };
	struct bb_err e;
	struct map *m = (struct map *)1;

	bb_err_clear(&e);
	cr_assert_eq(map_new(&s, &m, &e), -EINVAL);
	cr_assert_null(m);
	cr_assert_str_eq(e.msg, "map 'counts': key size 8, expected 4");
	s.type = BPF_MAP_TYPE_SOCKMAP;
	cr_assert_eq(map_new(&s, &m, &e), -EINVAL);
	cr_assert(strstr(e.msg, "not supported offline"), "%s", e.msg);
	cr_assert_null(map_type_name(BPF_MAP_TYPE_SOCKMAP));
	cr_assert_str_eq(map_type_name(BPF_MAP_TYPE_LRU_PERCPU_HASH), "lru_percpu_hash");
	cr_assert_eq(map_new(NULL, &m, &e), -EINVAL);
	map_free(NULL);
}

Test(maps, array_both_sides)
{
	struct map *m = mk(BPF_MAP_TYPE_ARRAY, 4, 6, 4, 0);
	uint32_t k = 2, next;
	uint8_t v[6] = { 1, 2, 3, 4, 5, 6 }, got[6];
	uint8_t *p;
	void *addr;
	size_t len;
	bool w;

	cr_assert_eq(map_update(m, &k, v, BPF_ANY), 0);
	p = map_elem_ptr(m, &k, 0);
	cr_assert_not_null(p);
	cr_assert_eq(memcmp(p, v, 6), 0);
	p[0] = 9;               /* the program writes through the pointer */
	cr_assert_eq(map_lookup(m, &k, got, 0), 0);
	cr_assert_eq(got[0], 9);
	cr_assert_eq(map_update(m, &k, v, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(map_update(m, &k, v, 4), -EINVAL);
	k = 4;
	cr_assert_eq(map_update(m, &k, v, BPF_ANY), -E2BIG);
	cr_assert_eq(map_lookup(m, &k, got, 0), -ENOENT);
	cr_assert_null(map_elem_ptr(m, &k, 0));
	cr_assert_eq(map_delete(m, &k), -EINVAL);
	cr_assert_eq(map_prog_delete(m, &k), -EINVAL);
	cr_assert_eq(map_lookup_and_delete(m, &k, got, 0), -MAP_ENOTSUPP);
	cr_assert_eq(map_get_next_key(m, NULL, &next), 0);
	cr_assert_eq(next, 0);
	k = 3;
	cr_assert_eq(map_get_next_key(m, &k, &next), -ENOENT);
	k = 77;
	cr_assert_eq(map_get_next_key(m, &k, &next), 0);
	cr_assert_eq(next, 0);
	/* Elements are 8 bytes apart in one region. */
	cr_assert_eq(map_value_region(m, 0, &addr, &len, &w), 0);
	cr_assert_eq(len, 32);
	cr_assert(w);
	k = 2;
	cr_assert_eq((uint8_t *)addr + 16, map_elem_ptr(m, &k, 0));
	cr_assert_eq(map_count(m), 4);
	ok(m);
	map_free(m);
}

Test(maps, rodata_region_is_read_only_and_freeze)
{
	struct map *m = mk(BPF_MAP_TYPE_ARRAY, 4, 16, 1, BPF_F_RDONLY_PROG);
	uint32_t k = 0;
	uint8_t v[16] = { 7 };
	void *addr;
	size_t len;
	bool w = true;

	cr_assert_eq(map_update(m, &k, v, BPF_ANY), 0);
	cr_assert_eq(map_freeze(m), 0);
	cr_assert(map_frozen(m));
	cr_assert_eq(map_update(m, &k, v, BPF_ANY), -EPERM);
	cr_assert_eq(map_freeze(m), -EPERM);
	cr_assert_eq(map_value_region(m, 0, &addr, &len, &w), 0);
	cr_assert_not(w);
	cr_assert_eq(len, 16);
	cr_assert_eq(((uint8_t *)addr)[0], 7);
	map_free(m);
	m = mk(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	cr_assert_eq(map_value_region(m, 0, &addr, &len, &w), -EINVAL);
	map_free(m);
}

Test(maps, access_flags)
{
	struct map *m = mk(BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_RDONLY);
	uint32_t k = 1, v = 2;

	cr_assert_eq(map_update(m, &k, &v, 0), -EPERM);
	cr_assert_eq(map_delete(m, &k), -EPERM);
	cr_assert_eq(map_lookup(m, &k, &v, 0), -ENOENT);
	/* Programs still write. */
	cr_assert_eq(map_prog_update(m, &k, &v, 0, 0), 0);
	map_free(m);
	m = mk(BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_WRONLY);
	cr_assert_eq(map_update(m, &k, &v, 0), 0);
	cr_assert_eq(map_lookup(m, &k, &v, 0), -EPERM);
	cr_assert_eq(map_get_next_key(m, NULL, &k), -EPERM);
	cr_assert_eq(map_lookup(m, &k, &v, BPF_F_LOCK | 8), -EINVAL);
	map_free(m);
}

Test(maps, percpu_array_cpus)
{
	struct map *m = mk(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 2, 0);
	uint32_t k = 1, v = 5, all[4] = { 1, 0xaa, 2, 0xbb };
	uint32_t *p;

	cr_assert_eq(map_value_size_user(m), 16);
	cr_assert_eq(map_prog_update(m, &k, &v, BPF_ANY, 1), 0);
	cr_assert_eq(map_lookup(m, &k, all, 0), 0);
	cr_assert_eq(all[0], 0);
	cr_assert_eq(all[2], 5);
	all[0] = 10;
	all[2] = 20;
	cr_assert_eq(map_update(m, &k, all, BPF_EXIST), 0);
	p = map_elem_ptr(m, &k, 0);
	cr_assert_eq(*p, 10);
	p = map_elem_ptr(m, &k, 1);
	cr_assert_eq(*p, 20);
	cr_assert_null(map_elem_ptr(m, &k, 2));
	cr_assert_eq(map_prog_update(m, &k, &v, BPF_ANY, 2), -EINVAL);
	map_free(m);
}

Test(maps, hash_semantics_and_stable_pointers)
{
	struct map *m = mk(BPF_MAP_TYPE_HASH, 4, 8, 2, 0);
	uint32_t k1 = 1, k2 = 2, k3 = 3, nk;
	uint64_t v = 11, got;
	uint64_t *p;

	cr_assert_eq(map_update(m, &k1, &v, BPF_EXIST), -ENOENT);
	cr_assert_eq(map_update(m, &k1, &v, BPF_NOEXIST), 0);
	cr_assert_eq(map_update(m, &k1, &v, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(map_update(m, &k2, &v, BPF_ANY), 0);
	cr_assert_eq(map_update(m, &k3, &v, BPF_ANY), -E2BIG);
	/* Replacing works when full. */
	v = 12;
	cr_assert_eq(map_update(m, &k2, &v, BPF_EXIST), 0);
	p = map_elem_ptr(m, &k2, 0);
	cr_assert_eq(*p, 12);
	*p = 13;
	cr_assert_eq(map_lookup(m, &k2, &got, 0), 0);
	cr_assert_eq(got, 13);
	cr_assert_eq(map_lookup_and_delete(m, &k2, &got, 0), 0);
	cr_assert_eq(got, 13);
	cr_assert_eq(map_delete(m, &k2), -ENOENT);
	/* The deleted element's memory is still the map's. */
	*p = 99;
	cr_assert_eq(map_count(m), 1);
	cr_assert_eq(map_get_next_key(m, &k3, &nk), 0);  /* missing key: from the start */
	cr_assert_eq(nk, 1);
	cr_assert_eq(map_get_next_key(m, &k1, &nk), -ENOENT);
	cr_assert_eq(map_update(m, &k1, &v, 3), -EINVAL);
	cr_assert_eq(map_update(m, &k1, &v, BPF_F_LOCK), -EINVAL);       /* no spin lock */
	ok(m);
	map_free(m);
}

Test(maps, percpu_hash_prog_update_zeroes_other_cpus)
{
	struct map *m = mk(BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4, 0);
	uint32_t k = 7, v = 3, all[4];

	cr_assert_eq(map_prog_update(m, &k, &v, BPF_ANY, 1), 0);
	memset(all, 0xff, sizeof(all));
	cr_assert_eq(map_lookup(m, &k, all, 0), 0);
	cr_assert_eq(all[0], 0);
	cr_assert_eq(all[2], 3);
	cr_assert_eq(*(uint32_t *)map_elem_ptr(m, &k, 1), 3);
	map_free(m);
}

Test(maps, spin_lock_word_is_not_copied)
{
	struct map_spec s = { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
			      .max_entries = 4, .has_spin_lock = true, .spin_lock_off = 0 };
	struct map *m;
	uint32_t k = 1, v[2] = { 0xdead, 42 }, got[2];

	cr_assert_eq(map_new(&s, &m, NULL), 0);
	cr_assert_eq(map_update(m, &k, v, BPF_ANY | BPF_F_LOCK), 0);
	cr_assert_eq(((uint32_t *)map_elem_ptr(m, &k, 0))[0], 0);
	cr_assert_eq(map_lookup(m, &k, got, BPF_F_LOCK), 0);
	cr_assert_eq(got[0], 0);
	cr_assert_eq(got[1], 42);
	map_free(m);
	s.spin_lock_off = 6;
	cr_assert_eq(map_new(&s, &m, NULL), -EINVAL);
}

static int count_cb(void *ctx, struct map *m, const void *key, void *value)
{
	(*(int *)ctx)++;
	*(uint32_t *)value += 1;
	return *(int *)ctx == 2;        /* stop after two */
}

Test(maps, for_each)
{
	struct map *m = mk(BPF_MAP_TYPE_HASH, 4, 4, 8, 0);
	int n = 0;

	for (uint32_t k = 0; k < 5; k++)
		cr_assert_eq(map_update(m, &k, &k, 0), 0);
	cr_assert_eq(map_for_each(m, count_cb, &n, 0), 2);
	cr_assert_eq(n, 2);
	cr_assert_eq(map_for_each(m, NULL, &n, 0), -EINVAL);
	map_free(m);
}

Test(maps, lru_evicts_least_recently_used)
{
	struct map *m = mk(BPF_MAP_TYPE_LRU_HASH, 4, 4, 3, 0);
	uint32_t v = 0;

	for (uint32_t k = 1; k <= 3; k++)
		cr_assert_eq(map_update(m, &k, &v, 0), 0);
	uint32_t k1 = 1, k2 = 2, k4 = 4;
	cr_assert_not_null(map_elem_ptr(m, &k1, 0));    /* 1 is used: 2 is now oldest */
	cr_assert_eq(map_update(m, &k4, &v, 0), 0);
	cr_assert_eq(map_lookup(m, &k2, &v, 0), -ENOENT);
	cr_assert_eq(map_lookup(m, &k1, &v, 0), 0);
	cr_assert_eq(map_count(m), 3);
	ok(m);
	map_free(m);
	/* Per-CPU lists: max_entries rounds up to a multiple of nr_cpus. */
	m = mk(BPF_MAP_TYPE_LRU_HASH, 4, 4, 3, BPF_F_NO_COMMON_LRU);
	cr_assert_eq(map_spec_of(m)->max_entries, 4);
	for (uint32_t k = 1; k <= 3; k++)
		cr_assert_eq(map_prog_update(m, &k, &v, 0, 1), 0);
	k1 = 1;
	cr_assert_eq(map_lookup(m, &k1, &v, 0), -ENOENT);       /* CPU 1 holds only 2 */
	ok(m);
	map_free(m);
}

Test(maps, lpm_trie)
{
	struct map *m = mk(BPF_MAP_TYPE_LPM_TRIE, 8, 4, 3, BPF_F_NO_PREALLOC);
	struct { uint32_t plen; uint8_t d[4]; } k;
	uint32_t v, nk[2];

	k = (typeof(k)){ 8, { 10, 0, 0, 0 } };
	v = 8;
	cr_assert_eq(map_update(m, &k, &v, 0), 0);
	k = (typeof(k)){ 24, { 10, 1, 2, 0 } };
	v = 24;
	cr_assert_eq(map_update(m, &k, &v, 0), 0);
	k = (typeof(k)){ 32, { 10, 1, 2, 3 } };
	cr_assert_eq(map_lookup(m, &k, &v, 0), 0);
	cr_assert_eq(v, 24);
	k = (typeof(k)){ 32, { 10, 9, 2, 3 } };
	cr_assert_eq(map_lookup(m, &k, &v, 0), 0);
	cr_assert_eq(v, 8);
	cr_assert_eq(*(uint32_t *)map_elem_ptr(m, &k, 0), 8);
	k = (typeof(k)){ 32, { 11, 1, 2, 3 } };
	cr_assert_eq(map_lookup(m, &k, &v, 0), -ENOENT);
	k.plen = 33;
	cr_assert_eq(map_update(m, &k, &v, 0), -EINVAL);
	cr_assert_eq(map_delete(m, &k), -EINVAL);
	/* Postorder: the /24 before the /8 that contains it. */
	cr_assert_eq(map_get_next_key(m, NULL, nk), 0);
	cr_assert_eq(nk[0], 24);
	cr_assert_eq(map_get_next_key(m, nk, nk), 0);
	cr_assert_eq(nk[0], 8);
	cr_assert_eq(map_get_next_key(m, nk, nk), -ENOENT);
	k = (typeof(k)){ 16, { 10, 1, 0, 0 } };
	cr_assert_eq(map_delete(m, &k), -ENOENT);
	cr_assert_eq(map_update(m, &k, &v, BPF_EXIST), -ENOENT);
	cr_assert_eq(map_update(m, &k, &v, 0), 0);
	k.d[0] = 12;
	cr_assert_eq(map_update(m, &k, &v, 0), -ENOSPC);
	ok(m);
	map_free(m);
}

Test(maps, queue_and_stack)
{
	struct map *q = mk(BPF_MAP_TYPE_QUEUE, 0, 4, 2, 0);
	struct map *s = mk(BPF_MAP_TYPE_STACK, 0, 4, 2, 0);
	uint32_t v;

	for (uint32_t i = 1; i <= 2; i++) {
		cr_assert_eq(map_push(q, &i, 0), 0);
		cr_assert_eq(map_push(s, &i, 0), 0);
	}
	v = 3;
	cr_assert_eq(map_push(q, &v, 0), -E2BIG);
	cr_assert_eq(map_push(q, &v, BPF_NOEXIST), -EINVAL);
	cr_assert_eq(map_push(q, &v, BPF_EXIST), 0);     /* drops 1 */
	cr_assert_eq(map_push(s, &v, BPF_EXIST), 0);     /* drops 1, the bottom */
	cr_assert_eq(map_peek(q, &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(map_pop(s, &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(map_pop(s, &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(map_pop(s, &v), -ENOENT);
	cr_assert_eq(map_lookup_and_delete(q, NULL, &v, 0), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(map_lookup_and_delete(q, NULL, &v, BPF_F_LOCK), -EINVAL);
	cr_assert_eq(map_delete(q, NULL), -EINVAL);
	cr_assert_eq(map_get_next_key(q, NULL, &v), -EINVAL);
	cr_assert_eq(map_prog_update(q, NULL, &v, 0, 0), 0);     /* push */
	cr_assert_eq(map_count(q), 2);
	ok(q);
	ok(s);
	map_free(q);
	map_free(s);
}

Test(maps, bloom_filter_never_forgets)
{
	struct map_spec sp = { .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 8,
			       .max_entries = 100, .map_extra = 3 };
	struct map *m;
	uint64_t v;
	int fp = 0;

	cr_assert_eq(map_new(&sp, &m, NULL), 0);
	for (v = 0; v < 100; v++)
		cr_assert_eq(map_push(m, &v, BPF_ANY), 0);
	for (v = 0; v < 100; v++)
		cr_assert_eq(map_peek(m, &v), 0);
	for (v = 1000; v < 2000; v++)
		fp += map_peek(m, &v) == 0;
	cr_assert_lt(fp, 500, "%d false positives in 1000", fp);
	cr_assert_eq(map_push(m, &v, BPF_EXIST), -EINVAL);
	cr_assert_eq(map_pop(m, &v), -EOPNOTSUPP);
	cr_assert_eq(map_delete(m, NULL), -EOPNOTSUPP);
	cr_assert_eq(map_lookup_and_delete(m, NULL, &v, 0), -MAP_ENOTSUPP);
	ok(m);
	map_free(m);
	sp.map_extra = 16;
	cr_assert_eq(map_new(&sp, &m, NULL), -EINVAL);
}

struct recs {
	int n;
	uint8_t first[64];
	size_t sizes[16];
};

static int rec_cb(void *ctx, const void *data, size_t size)
{
	struct recs *r = ctx;

	if (r->n < 16)
		r->sizes[r->n] = size;
	if (r->n == 0)
		memcpy(r->first, data, size < 64 ? size : 64);
	r->n++;
	return 0;
}

Test(maps, ringbuf_produce_consume)
{
	struct map *m = mk(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	struct recs r = { 0 };
	uint8_t *a, *b;
	uint32_t hdr[2];

	cr_assert_eq(map_ringbuf_query(m, BPF_RB_RING_SIZE), 4096);
	a = map_ringbuf_reserve(m, 5, 0);
	cr_assert_not_null(a);
	memcpy(hdr, a - 8, 8);
	cr_assert_eq(hdr[0], 5 | MAP_RINGBUF_BUSY_BIT);
	cr_assert_null(map_ringbuf_reserve(m, 5, 1));
	b = map_ringbuf_reserve(m, 3, 0);
	memcpy(a, "hello", 5);
	memcpy(b, "xyz", 3);
	cr_assert_eq(map_ringbuf_query(m, BPF_RB_PROD_POS), 32);
	/* b is committed first but a still blocks the consumer. */
	cr_assert_eq(map_ringbuf_submit(m, b, 0), 0);
	cr_assert_eq(map_ringbuf_consume(m, rec_cb, &r), 0);
	cr_assert_eq(map_ringbuf_discard(m, a, BPF_RB_FORCE_WAKEUP), 0);
	cr_assert_eq(map_ringbuf_submit(m, a, 0), -EINVAL);     /* twice */
	cr_assert_eq(map_ringbuf_consume(m, rec_cb, &r), 1);
	cr_assert_eq(r.sizes[0], 3);
	cr_assert_eq(memcmp(r.first, "xyz", 3), 0);
	cr_assert_eq(map_ringbuf_query(m, BPF_RB_CONS_POS), 32);
	cr_assert_eq(map_ringbuf_query(m, BPF_RB_AVAIL_DATA), 0);
	cr_assert_geq(map_ringbuf_wakeups(m), 1);
	/* Too big, and full. */
	cr_assert_null(map_ringbuf_reserve(m, 4096, 0));
	cr_assert_eq(map_ringbuf_output(m, "q", 1, 8), -EINVAL);
	int n = 0;
	while (map_ringbuf_output(m, "0123456789abcdef0123456789abcdef", 30, 0) == 0)
		n++;
	cr_assert_eq(n, 4095 / 40);
	cr_assert_eq(map_ringbuf_output(m, "x", 1, 0), -EAGAIN);
	ok(m);
	/* Consume all, then wrap around: a record crosses the end. */
	r.n = 0;
	cr_assert_eq(map_ringbuf_consume(m, rec_cb, &r), n);
	a = map_ringbuf_reserve(m, 60, 0);
	cr_assert_not_null(a);
	for (int i = 0; i < 60; i++)
		a[i] = (uint8_t)i;
	cr_assert_eq(map_ringbuf_submit(m, a, 0), 0);
	r.n = 0;
	cr_assert_eq(map_ringbuf_consume(m, rec_cb, &r), 1);
	for (int i = 0; i < 60; i++)
		cr_assert_eq(r.first[i], i);
	ok(m);
	cr_assert_eq(map_lookup(m, NULL, &n, 0), -MAP_ENOTSUPP);
	map_free(m);
}

Test(maps, perf_event_array)
{
	struct map *m = mk(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2, 0);
	struct recs r = { 0 };
	uint32_t k = 1;

	cr_assert_eq(map_perf_output(m, 1, BPF_F_CURRENT_CPU, "abcde", 5), 0);
	cr_assert_eq(map_perf_output(m, 1, 1, "fg", 2), 0);
	cr_assert_eq(map_perf_output(m, 1, 0, "x", 1), -EOPNOTSUPP);    /* CPU 0's event */
	cr_assert_eq(map_perf_output(m, 1, 2, "x", 1), -E2BIG);
	cr_assert_eq(map_perf_output(m, 1, 1ull << 40, "x", 1), -EINVAL);
	cr_assert_eq(map_perf_consume(m, -1, rec_cb, &r), 2);
	cr_assert_eq(r.sizes[0], 12);   /* padded: 4 + 12 = 16 */
	cr_assert_eq(r.sizes[1], 4);
	cr_assert_eq(memcmp(r.first, "abcde\0\0\0", 8), 0);
	cr_assert_eq(map_delete(m, &k), 0);
	cr_assert_eq(map_delete(m, &k), -ENOENT);
	cr_assert_eq(map_perf_output(m, 1, BPF_F_CURRENT_CPU, "x", 1), -ENOENT);
	cr_assert_eq(map_update(m, &k, &k, 0), -EBADF);
	cr_assert_eq(map_lookup(m, &k, &k, 0), -MAP_ENOTSUPP);
	cr_assert_eq(map_perf_slot_open(m, 1, true), 0);
	while (map_perf_output(m, 0, BPF_F_CURRENT_CPU, "x", 1) == 0)
		;
	cr_assert_eq(map_perf_lost(m, 0), 1);
	ok(m);
	map_free(m);
}

Test(maps, prog_array_slots)
{
	struct map *m = mk(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	int prog;
	uint32_t k = 2, id = 0;

	cr_assert_eq(map_prog_array_set(m, 2, &prog, 17), 0);
	cr_assert_eq(map_prog_array_get(m, 2, &id), &prog);
	cr_assert_eq(id, 17);
	cr_assert_null(map_prog_array_get(m, 3, NULL));
	cr_assert_null(map_prog_array_get(m, 9, NULL));
	cr_assert_eq(map_prog_array_set(m, 4, &prog, 1), -E2BIG);
	cr_assert_eq(map_lookup(m, &k, &id, 0), 0);
	cr_assert_eq(id, 17);
	cr_assert_eq(map_update(m, &k, &id, 0), -EBADF);
	cr_assert_eq(map_update(m, &k, &id, BPF_NOEXIST), -EINVAL);
	cr_assert_null(map_elem_ptr(m, &k, 0));
	cr_assert_eq(map_delete(m, &k), 0);
	cr_assert_eq(map_delete(m, &k), -ENOENT);
	k = 4;
	cr_assert_eq(map_delete(m, &k), -E2BIG);
	ok(m);
	map_free(m);
}

Test(maps, map_in_map_holds_references)
{
	struct map_spec tmpl = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
				 .max_entries = 2 };
	struct map_spec outer = { .type = BPF_MAP_TYPE_HASH_OF_MAPS, .key_size = 4,
				  .value_size = 4, .max_entries = 4, .inner = &tmpl };
	struct map *o, *in, *bad, *a;
	uint32_t k = 5, id;

	cr_assert_eq(map_new(&outer, &o, NULL), 0);
	cr_assert_eq(map_new(&tmpl, &in, NULL), 0);
	tmpl.max_entries = 3;
	cr_assert_eq(map_new(&tmpl, &bad, NULL), 0);
	cr_assert_eq(map_inner_set(o, &k, bad, 0), -EINVAL);   /* size differs */
	cr_assert_eq(map_inner_set(o, &k, in, BPF_EXIST), -ENOENT);
	cr_assert_eq(map_inner_set(o, &k, in, 0), 0);
	map_free(in);           /* the outer map keeps it alive */
	in = map_inner_get(o, &k);
	cr_assert_not_null(in);
	cr_assert_eq(map_elem_ptr(o, &k, 0), in);
	cr_assert_eq(map_lookup(o, &k, &id, 0), 0);
	cr_assert_eq(id, map_id(in));
	cr_assert_eq(map_update(o, &k, &id, 0), -EBADF);
	cr_assert_eq(map_prog_update(o, &k, &id, 0, 0), -EINVAL);
	ok(o);
	outer.type = BPF_MAP_TYPE_ARRAY_OF_MAPS;
	tmpl.max_entries = 2;
	tmpl.map_flags = BPF_F_INNER_MAP;
	cr_assert_eq(map_new(&outer, &a, NULL), 0);
	k = 1;
	cr_assert_eq(map_inner_set(a, &k, bad, 0), 0);  /* BPF_F_INNER_MAP: sizes may differ */
	cr_assert_eq(map_inner_set(a, &k, in, 0), 0);   /* replaces, drops bad's ref */
	k = 4;
	cr_assert_eq(map_inner_set(a, &k, in, 0), -E2BIG);
	map_free(bad);
	map_free(o);            /* in still lives in a */
	k = 1;
	cr_assert_eq(map_inner_get(a, &k), in);
	cr_assert_eq(map_delete(a, &k), 0);
	cr_assert_null(map_inner_get(a, &k));
	map_free(a);
	outer.inner = NULL;
	cr_assert_eq(map_new(&outer, &a, NULL), -EINVAL);
}

Test(maps, stack_trace)
{
	struct map *m = mk(BPF_MAP_TYPE_STACK_TRACE, 4, 24, 4, 0);
	uint64_t ips[4] = { 0x10, 0x20, 0x30, 0x40 }, got[3];
	long id, id2;
	uint32_t k, nk;

	id = map_stack_store(m, ips, 4, 1);      /* skip 1, keep 3 */
	cr_assert_geq(id, 0);
	cr_assert_lt(id, 4);
	cr_assert_eq(map_stack_store(m, ips, 4, 1), id);
	k = (uint32_t)id;
	cr_assert_eq(map_lookup(m, &k, got, 0), 0);
	cr_assert_eq(got[0], 0x20);
	cr_assert_eq(got[2], 0x40);
	cr_assert_eq(map_stack_store(m, ips, 1, 1), -EFAULT);
	cr_assert_eq(map_stack_store(m, ips, 1, 1ull << 20), -EINVAL);
	/* One frame: another bucket, or the same one reused. */
	id2 = map_stack_store(m, ips, 1, BPF_F_REUSE_STACKID);
	cr_assert_geq(id2, 0);
	cr_assert(id2 == id || map_stack_store(m, ips, 4, 1) == id);
	memset(got, 0xff, sizeof(got));
	k = (uint32_t)id2;
	cr_assert_eq(map_lookup(m, &k, got, 0), 0);
	cr_assert_eq(got[0], 0x10);
	cr_assert_eq(got[1], 0);        /* zero-padded */
	cr_assert_eq(map_get_next_key(m, NULL, &nk), 0);
	cr_assert_eq(map_update(m, &k, got, 0), -EINVAL);
	cr_assert_eq(map_delete(m, &k), 0);
	cr_assert_eq(map_delete(m, &k), -ENOENT);
	k = 4;
	cr_assert_eq(map_delete(m, &k), -E2BIG);
	ok(m);
	map_free(m);
}

Test(maps, spec_from_obj_applies_libbpf_defaults)
{
	struct obj_map inner = { .name = "in", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
				 .value_size = 4, .max_entries = 1 };
	struct obj_map om = { .name = "events", .type = BPF_MAP_TYPE_PERF_EVENT_ARRAY,
			      .key_size = 4, .value_size = 4 };
	struct map_spec s, is;
	struct map *m;

	cr_assert_eq(map_spec_from_obj(&om, 3, &s, NULL, NULL), 0);
	cr_assert_eq(s.max_entries, 3);
	cr_assert_str_eq(s.name, "events");
	om.type = BPF_MAP_TYPE_RINGBUF;
	om.key_size = om.value_size = 0;
	om.max_entries = 5000;
	cr_assert_eq(map_spec_from_obj(&om, 3, &s, NULL, NULL), 0);
	cr_assert_eq(s.max_entries, 8192);
	cr_assert_eq(map_new(&s, &m, NULL), 0);
	cr_assert_str_eq(map_name(m), "events");
	map_free(m);
	om = (struct obj_map){ .name = "outer", .type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .key_size = 4,
			       .value_size = 4, .max_entries = 2, .inner = &inner };
	cr_assert_eq(map_spec_from_obj(&om, 2, &s, NULL, NULL), -EINVAL);
	cr_assert_eq(map_spec_from_obj(&om, 2, &s, &is, NULL), 0);
	cr_assert_eq(s.inner, &is);
	cr_assert_eq(map_new(&s, &m, NULL), 0);
	map_free(m);
}

Test(maps, host_possible_cpus)
{
	int n = map_host_possible_cpus();

	cr_assert_gt(n, 0);
}
