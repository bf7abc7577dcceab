/* SPDX-License-Identifier: MIT */
/*
 * maps/maps_internal.h - what the map families share: struct map, the
 * per-family operations table and small helpers.  Not installed.
 *
 * maps.c does everything that is the same for every type, in the order
 * the kernel's syscall.c does it (access flags, freeze, BPF_F_LOCK, flag
 * ranges that apply to all), then calls the family through struct
 * map_ops.  A family leaves an operation NULL when the kernel's map_ops
 * has none; maps.c then answers what the kernel answers for a missing op
 * (-EOPNOTSUPP for the system call, -EINVAL / NULL on the program side).
 */
#ifndef BAREBPF_MAPS_MAPS_INTERNAL_H
#define BAREBPF_MAPS_MAPS_INTERNAL_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/maps.h"

/* The kernel's KMALLOC_MAX_SIZE on x86-64 (order-10 pages): the value
 * sizes most map types accept. */
#define MAP_KMALLOC_MAX (1u << 22)
/* PCPU_MIN_UNIT_SIZE: the largest per-CPU value. */
#define MAP_PCPU_MAX (32u << 10)
#define MAP_PAGE_SIZE 4096u

struct map;

struct map_ops {
	/* Type-specific checks and allocation; the spec in m->spec is
	 * already copied and the generic checks done. */
	int (*alloc)(struct map *m, struct bb_err *e);
	void (*free)(struct map *m);
	/* System-call side; flags already range-checked by maps.c. */
	int (*lookup)(struct map *m, const void *key, void *value, uint64_t flags);
	int (*update)(struct map *m, const void *key, const void *value, uint64_t flags);
	int (*delete)(struct map *m, const void *key);
	int (*next_key)(struct map *m, const void *key, void *next_key);
	int (*lookup_and_delete)(struct map *m, const void *key, void *value,
				 uint64_t flags);
	/* Program side. */
	void *(*elem_ptr)(struct map *m, const void *key, uint32_t cpu);
	int (*prog_update)(struct map *m, const void *key, const void *value,
			   uint64_t flags, uint32_t cpu);
	int (*prog_delete)(struct map *m, const void *key);
	int (*push)(struct map *m, const void *value, uint64_t flags);
	int (*pop)(struct map *m, void *value);
	int (*peek)(struct map *m, void *value);
	long (*for_each)(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu);
	uint64_t (*count)(const struct map *m);
	/* Self-check for tests and the fuzzer: 0, or -EUCLEAN with why. */
	int (*check)(const struct map *m, struct bb_err *e);
};

struct map {
	struct map_spec spec;   /* name points at name[] */
	struct map_spec inner_spec;     /* valid when spec.inner != NULL */
	char name[BB_ERR_NAME_MAX];
	const struct map_ops *ops;
	uint32_t id;
	unsigned refs;
	bool frozen;
	uint32_t vsize8;        /* round_up(value_size, 8) */
	void *priv;             /* the family's state */
};

/* The families (one source file each). */
extern const struct map_ops map_array_ops;      /* map_array.c */
extern const struct map_ops map_percpu_array_ops;
extern const struct map_ops map_prog_array_ops;
extern const struct map_ops map_array_of_maps_ops;
extern const struct map_ops map_hash_ops;       /* map_hash.c */
extern const struct map_ops map_hash_of_maps_ops;
extern const struct map_ops map_trie_ops;       /* map_trie.c */
extern const struct map_ops map_queue_ops;      /* map_queue.c */
extern const struct map_ops map_stack_ops;
extern const struct map_ops map_bloom_ops;
extern const struct map_ops map_ringbuf_ops;    /* map_ringbuf.c */
extern const struct map_ops map_perf_ops;       /* map_perf.c */
extern const struct map_ops map_stack_trace_ops; /* map_stack_trace.c */

/* "map 'name': " + message, into @e; returns @code. */
int map_err(const struct map *m, struct bb_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline bool map_is_percpu(const struct map *m)
{
	return m->spec.type == BPF_MAP_TYPE_PERCPU_HASH ||
	       m->spec.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       m->spec.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static inline bool map_is_lru(const struct map *m)
{
	return m->spec.type == BPF_MAP_TYPE_LRU_HASH ||
	       m->spec.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static inline uint64_t map_round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

static inline uint64_t map_roundup_pow2(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/*
 * Copy a value between the user's buffer and the map, leaving out the
 * bpf_spin_lock word when the value has one (copy_map_value() does the
 * same: the lock is the kernel's, never the user's).
 */
void map_copy_value(const struct map *m, void *dst, const void *src);
/* Same, then zero the lock word in @dst (what a system-call read shows). */
void map_copy_value_out(const struct map *m, void *dst, const void *src);

/* The kernel's jhash() / jhash2() (Bob Jenkins' lookup3), our own code. */
uint32_t map_jhash(const void *key, uint32_t len, uint32_t initval);
uint32_t map_jhash2(const uint32_t *k, uint32_t words, uint32_t initval);

/* Whether @inner may sit in an outer map made from @tmpl (the kernel's
 * bpf_map_meta_equal plus the inner-type refusals). */
bool map_inner_compatible(const struct map_spec *tmpl, const struct map *inner);

/* Map-in-map installs, per family (map_array.c, map_hash.c). */
int map_array_inner_set(struct map *m, uint32_t index, struct map *inner, uint64_t flags);
int map_hash_inner_set(struct map *m, const void *key, struct map *inner, uint64_t flags);

#endif
