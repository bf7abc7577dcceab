/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: maps/.  The input picks a map type and a small spec,
 * then is read as a sequence of operations (system-call and program side,
 * ring buffer, perf output, stack ids, inner maps) with keys and values
 * taken from the input.  After every operation map_check() must hold;
 * nothing may crash or leak, and every returned pointer must be writable
 * for the value size.
 */
#include <stdlib.h>
#include <string.h>

#include "maps/maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t types[] = {
	BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_HASH,
	BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH,
	BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK,
	BPF_MAP_TYPE_BLOOM_FILTER, BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
	BPF_MAP_TYPE_STACK_TRACE, BPF_MAP_TYPE_PROG_ARRAY, BPF_MAP_TYPE_HASH_OF_MAPS,
	BPF_MAP_TYPE_ARRAY_OF_MAPS,
};

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static void bytes(struct in *in, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = byte(in);
}

static int drop_cb(void *ctx, const void *d, size_t n)
{
	(void)ctx;
	(void)d;
	(void)n;
	return 0;
}

static int touch_cb(void *ctx, struct map *m, const void *key, void *value)
{
	if (value && map_type(m) != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
	    map_type(m) != BPF_MAP_TYPE_HASH_OF_MAPS)
		memset(value, 0x5a, map_spec_of(m)->value_size);
	return ++*(int *)ctx > 50;
}

static void check(const struct map *m)
{
	struct bb_err e;

	if (map_check(m, &e) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct map_spec s = { 0 }, tmpl = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
					    .value_size = 4, .max_entries = 2 };
	struct map *m = NULL, *inner = NULL;
	uint8_t key[64], val[512], out[512];
	void *samples[8] = { 0 };
	struct bb_err e;
	int nsamples = 0;

	s.type = types[byte(&in) % (sizeof(types) / sizeof(types[0]))];
	s.key_size = byte(&in) % 12;
	s.value_size = byte(&in) % 24;
	s.max_entries = byte(&in) % 40;
	s.map_flags = (uint32_t)byte(&in) << (byte(&in) % 12);
	s.map_extra = byte(&in) % 20;
	s.nr_cpus = byte(&in) % 5;
	if (s.type == BPF_MAP_TYPE_RINGBUF)
		s.max_entries = 4096u << (s.max_entries % 3);
	if (s.type == BPF_MAP_TYPE_HASH_OF_MAPS || s.type == BPF_MAP_TYPE_ARRAY_OF_MAPS)
		s.inner = &tmpl;
	if (map_new(&s, &m, &e) < 0) {
		if (m || !e.msg[0])
			abort();        /* a refusal says why and leaves nothing */
		return 0;
	}
	if (map_new(&tmpl, &inner, NULL) < 0)
		abort();
	size_t ks = map_spec_of(m)->key_size, vs = map_spec_of(m)->value_size,
	       us = map_value_size_user(m);
	uint32_t cpus = map_spec_of(m)->nr_cpus;

	if (us > sizeof(out))
		abort();
	while (in.n) {
		uint8_t op = byte(&in), f = byte(&in);
		uint64_t flags = f & 7;
		uint32_t cpu = f >> 5;
		void *p;

		bytes(&in, key, ks);
		switch (op % 20) {
		case 0:
		case 1:
			bytes(&in, val, us);
			map_update(m, key, val, flags);
			break;
		case 2:
			map_lookup(m, key, out, flags & 4 ? BPF_F_LOCK : 0);
			break;
		case 3:
			map_delete(m, key);
			break;
		case 4:
			map_get_next_key(m, f & 1 ? NULL : key, out);
			break;
		case 5:
			map_lookup_and_delete(m, key, out, 0);
			break;
		case 6:
			p = map_elem_ptr(m, key, cpu);
			if (p && map_type(m) != BPF_MAP_TYPE_HASH_OF_MAPS &&
			    map_type(m) != BPF_MAP_TYPE_ARRAY_OF_MAPS)
				memset(p, f, vs);
			break;
		case 7:
			bytes(&in, val, vs);
			map_prog_update(m, key, val, flags, cpu);
			break;
		case 8:
			map_prog_delete(m, key);
			break;
		case 9:
			bytes(&in, val, vs);
			map_push(m, val, flags);
			break;
		case 10:
			if (f & 1)
				map_pop(m, out);
			else
				map_peek(m, out);
			break;
		case 11: {
			int n = 0;

			map_for_each(m, touch_cb, &n, cpu);
			break;
		}
		case 12:
			if (nsamples < 8) {
				p = map_ringbuf_reserve(m, byte(&in) * 16u, f & 1);
				if (p) {
					memset(p, f, 1);
					samples[nsamples++] = p;
				}
			}
			break;
		case 13:
			if (nsamples) {
				void *x = samples[--nsamples];

				if (f & 1)
					map_ringbuf_discard(m, x, f & 6);
				else
					map_ringbuf_submit(m, x, f & 6);
			}
			break;
		case 14:
			map_ringbuf_output(m, val, byte(&in), f & 3);
			map_ringbuf_query(m, f & 3);
			break;
		case 15:
			map_ringbuf_consume(m, drop_cb, NULL);
			map_perf_consume(m, (int)(f % 5) - 1, drop_cb, NULL);
			break;
		case 16:
			map_perf_output(m, cpu, f & 1 ? BPF_F_CURRENT_CPU : f & 7, val, byte(&in));
			map_perf_slot_open(m, f & 3, f & 4);
			break;
		case 17: {
			uint64_t ips[8];

			bytes(&in, (uint8_t *)ips, sizeof(ips));
			map_stack_store(m, ips, f & 7, (uint64_t)(f >> 3) << 8 | (f & 3));
			break;
		}
		case 18:
			map_inner_set(m, key, inner, flags);
			map_inner_get(m, key);
			map_prog_array_set(m, f & 7, f & 8 ? &samples : NULL, f);
			map_prog_array_get(m, f & 7, NULL);
			break;
		case 19:
			if (f == 0xff)
				map_freeze(m);
			break;
		}
		check(m);
	}
	/* Settle reserved samples so the consumer sees the end. */
	while (nsamples)
		map_ringbuf_discard(m, samples[--nsamples], 0);
	map_ringbuf_consume(m, drop_cb, NULL);
	check(m);
	(void)cpus;
	map_free(inner);
	map_free(m);
	return 0;
}
