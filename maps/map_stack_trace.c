/* SPDX-License-Identifier: MIT */
/*
 * maps/map_stack_trace.c - BPF_MAP_TYPE_STACK_TRACE (the kernel's
 * stackmap.c) fed with caller-provided frames, since offline there is no
 * real call chain to walk.
 *
 * As in the kernel: roundup_pow_of_two(max_entries) buckets; a stack's
 * id is jhash2 of its frames (as u32 words, seed 0) masked to the bucket
 * count; a bucket holds one stack.  At most max_entries stacks are stored
 * at a time (the kernel preallocates that many), so with more buckets
 * than entries a new stack can fail with -ENOMEM.
 */
#include "maps/maps_internal.h"

struct sbucket {
	uint32_t hash, nr;
	uint64_t ips[];
};

struct smap {
	struct sbucket **b;
	uint32_t n_buckets;
	uint32_t used;
};

static struct smap *S(const struct map *m) { return m->priv; }

static void st_free(struct map *m)
{
	struct smap *s = S(m);

	if (!s)
		return;
	if (s->b)
		for (uint32_t i = 0; i < s->n_buckets; i++)
			free(s->b[i]);
	free(s->b);
	free(s);
	m->priv = NULL;
}

static int st_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *sp = &m->spec;
	uint32_t mask = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |
			BPF_F_WRONLY_PROG | BPF_F_STACK_BUILD_ID;
	struct smap *s;

	if (sp->map_flags & ~mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x", sp->map_flags & ~mask);
	if (sp->max_entries == 0 || sp->key_size != 4 || sp->value_size < 8 ||
	    sp->value_size % 8)
		return map_err(m, e, -EINVAL,
			       "key size %u, value size %u, max_entries %u: need 4, a multiple of 8, > 0",
			       sp->key_size, sp->value_size, sp->max_entries);
	if (sp->value_size / 8 > 127)   /* sysctl kernel.perf_event_max_stack */
		return map_err(m, e, -EINVAL, "%u frames over the 127 perf allows",
			       sp->value_size / 8);
	if (sp->map_flags & BPF_F_STACK_BUILD_ID)
		return map_err(m, e, -EOPNOTSUPP,
			       "build-id stack maps need the binaries' build ids: not available offline");
	if (sp->max_entries > (1u << 24))
		return map_err(m, e, -ENOMEM, "max_entries %u too big to hold here",
			       sp->max_entries);
	s = calloc(1, sizeof(*s));
	if (!s)
		return map_err(m, e, -ENOMEM, "out of memory");
	s->n_buckets = (uint32_t)map_roundup_pow2(sp->max_entries);
	s->b = calloc(s->n_buckets, sizeof(*s->b));
	if (!s->b) {
		free(s);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	m->priv = s;
	return 0;
}

long map_stack_store(struct map *m, const uint64_t *ips, uint32_t n, uint64_t flags)
{
	uint64_t known = BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_FAST_STACK_CMP |
			 BPF_F_REUSE_STACKID;
	uint32_t skip = (uint32_t)(flags & BPF_F_SKIP_FIELD_MASK), nr, hash, id;
	uint32_t max = m->spec.value_size / 8;
	struct smap *s;
	struct sbucket *b, *nb;

	if (m->spec.type != BPF_MAP_TYPE_STACK_TRACE)
		return -EINVAL;
	if (flags & ~known)
		return -EINVAL;
	if (n <= skip)
		return -EFAULT;         /* skipping more than there is */
	s = S(m);
	nr = n - skip;
	if (nr > max)
		nr = max;               /* the walk stops at the map's depth */
	ips += skip;
	hash = map_jhash2((const uint32_t *)ips, nr * 2, 0);
	id = hash & (s->n_buckets - 1);
	b = s->b[id];
	if (b && b->hash == hash && (flags & BPF_F_FAST_STACK_CMP))
		return id;
	if (b && b->hash == hash && b->nr == nr && !memcmp(b->ips, ips, nr * 8ull))
		return id;
	if (b && !(flags & BPF_F_REUSE_STACKID))
		return -EEXIST;
	if (!b && s->used >= m->spec.max_entries)
		return -ENOMEM;
	nb = malloc(sizeof(*nb) + (size_t)max * 8);
	if (!nb)
		return -ENOMEM;
	nb->hash = hash;
	nb->nr = nr;
	memcpy(nb->ips, ips, nr * 8ull);
	if (b)
		free(b);
	else
		s->used++;
	s->b[id] = nb;
	return id;
}

static int st_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	struct smap *s = S(m);
	uint32_t id;

	memcpy(&id, key, 4);
	if (id >= s->n_buckets || !s->b[id])
		return -ENOENT;
	memcpy(value, s->b[id]->ips, s->b[id]->nr * 8ull);
	memset((uint8_t *)value + s->b[id]->nr * 8ull, 0, m->spec.value_size - s->b[id]->nr * 8ull);
	return 0;
}

static int st_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	return -EINVAL;
}

static int st_delete(struct map *m, const void *key)
{
	struct smap *s = S(m);
	uint32_t id;

	memcpy(&id, key, 4);
	if (id >= s->n_buckets)
		return -E2BIG;
	if (!s->b[id])
		return -ENOENT;
	free(s->b[id]);
	s->b[id] = NULL;
	s->used--;
	return 0;
}

static int st_next_key(struct map *m, const void *key, void *next_key)
{
	struct smap *s = S(m);
	uint32_t id = 0;

	if (key) {
		memcpy(&id, key, 4);
		if (id >= s->n_buckets || !s->b[id])
			id = 0;
		else
			id++;
	}
	while (id < s->n_buckets && !s->b[id])
		id++;
	if (id >= s->n_buckets)
		return -ENOENT;
	memcpy(next_key, &id, 4);
	return 0;
}

static uint64_t st_count(const struct map *m)
{
	return S(m)->used;
}

static int st_check(const struct map *m, struct bb_err *e)
{
	const struct smap *s = S(m);
	uint32_t used = 0;

	for (uint32_t i = 0; i < s->n_buckets; i++) {
		if (!s->b[i])
			continue;
		used++;
		if ((s->b[i]->hash & (s->n_buckets - 1)) != i || !s->b[i]->nr ||
		    s->b[i]->nr > m->spec.value_size / 8)
			return map_err(m, e, -EUCLEAN, "bucket %u inconsistent", i);
	}
	if (used != s->used || used > m->spec.max_entries)
		return map_err(m, e, -EUCLEAN, "%u stacks, counted %u", used, s->used);
	return 0;
}

const struct map_ops map_stack_trace_ops = {
	.alloc = st_alloc,
	.free = st_free,
	.lookup = st_lookup,
	.update = st_update,
	.delete = st_delete,
	.next_key = st_next_key,
	.count = st_count,
	.check = st_check,
};
