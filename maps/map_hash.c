/* SPDX-License-Identifier: MIT */
/*
 * maps/map_hash.c - hash, percpu_hash, lru_hash, lru_percpu_hash,
 * hash_of_maps (the kernel's hashtab.c family).
 *
 * Layout follows the kernel so that iteration order can too: a power-of-2
 * number of buckets (roundup_pow_of_two(max_entries)), bucket = jhash(key,
 * key_size, seed) & (n_buckets - 1), each bucket a singly linked list with
 * the newest element first.  The kernel picks a random seed unless the map
 * has BPF_F_ZERO_SEED; we always use 0, so get_next_key walks our maps in
 * exactly the order a BPF_F_ZERO_SEED kernel map is walked, and offline
 * runs are reproducible.
 *
 * Elements come from a free list and go back to it; their memory is freed
 * only by map_free(), so a value pointer a program kept after a delete
 * still points into the map (as with the kernel's preallocated maps).
 * Updating an existing key rewrites its value in place and moves it to
 * the head of its bucket, the position the kernel's replacement element
 * takes; per-CPU maps update in place without moving, as the kernel does.
 *
 * LRU policy (ours, documented because it differs from the kernel's):
 * one recency list per map, or one per virtual CPU with
 * BPF_F_NO_COMMON_LRU (each holding max_entries / nr_cpus elements, after
 * the kernel's rounding of max_entries to a multiple of nr_cpus).  An
 * insert or update, and a program-side lookup, make the element the most
 * recently used; system-call lookups do not (the kernel's do not set the
 * reference bit either).  Inserting a new key into a full list evicts
 * exactly the least recently used element of that list.  The kernel's LRU
 * approximates this with active/inactive lists and reference bits, takes
 * nodes in per-CPU batches, can evict up to a batch at once and can evict
 * before the map is full; with the same sequence of operations the set
 * of survivors therefore differs once eviction starts, which is why the
 * differential tests compare LRU maps only while they are not full.
 * The system-call side counts as virtual CPU 0.
 */
#include "maps/maps_internal.h"

struct hnode {
	struct hnode *next;             /* bucket chain, or the free list */
	struct hnode *lprev, *lnext;    /* LRU list (LRU maps only) */
	uint32_t hash;
	uint32_t lru;                   /* which LRU list */
	uint8_t data[];                 /* key (ksize8), then the value store */
};

struct lru_list {
	struct hnode *head, *tail;      /* head = most recently used */
	uint32_t count, cap;
};

struct htab {
	struct hnode **buckets;
	uint32_t n_buckets;
	uint32_t count;
	uint32_t ksize8;
	uint32_t vstore;                /* bytes of value store per element */
	size_t node_size;
	struct hnode *free;
	struct bb_vec all;              /* struct hnode *: every node, for map_free */
	struct lru_list *lrus;
	uint32_t n_lru;
};

static struct htab *H(const struct map *m) { return m->priv; }

static bool is_of_maps(const struct map *m)
{
	return m->spec.type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static inline uint8_t *node_key(struct hnode *n) { return n->data; }

static inline uint8_t *node_val(const struct htab *h, struct hnode *n, uint32_t off)
{
	return n->data + h->ksize8 + off;
}

static inline struct map **node_inner(const struct htab *h, struct hnode *n)
{
	return (struct map **)node_val(h, n, 0);
}

/* htab_map_alloc_check() and fd_htab_map_alloc_check(). */
static int hash_check_spec(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint32_t mask = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE |
			BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG |
			BPF_F_ZERO_SEED;
	bool lru = map_is_lru(m), percpu = map_is_percpu(m);

	if (is_of_maps(m) && s->value_size != 4)
		return map_err(m, e, -EINVAL, "value size %u, expected 4 (an fd)", s->value_size);
	if (s->map_flags & ~mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x", s->map_flags & ~mask);
	if (!lru && (s->map_flags & BPF_F_NO_COMMON_LRU))
		return map_err(m, e, -EINVAL, "BPF_F_NO_COMMON_LRU on a map that is not LRU");
	if (lru && (s->map_flags & BPF_F_NO_PREALLOC))
		return map_err(m, e, -MAP_ENOTSUPP, "LRU maps are always preallocated");
	if (s->max_entries == 0 || s->key_size == 0 || s->value_size == 0)
		return map_err(m, e, -EINVAL, "%s 0", s->max_entries == 0 ? "max_entries" :
			       s->key_size == 0 ? "key size" : "value size");
	if ((uint64_t)s->key_size + s->value_size >= MAP_KMALLOC_MAX - 64)
		return map_err(m, e, -E2BIG, "key and value %u bytes", s->key_size + s->value_size);
	if (percpu && m->vsize8 > MAP_PCPU_MAX)
		return map_err(m, e, -E2BIG, "per-CPU value size %u over %u", s->value_size,
			       MAP_PCPU_MAX);
	return 0;
}

static void hash_free(struct map *m)
{
	struct htab *h = H(m);

	if (!h)
		return;
	if (is_of_maps(m) && h->buckets)
		for (uint32_t b = 0; b < h->n_buckets; b++)
			for (struct hnode *n = h->buckets[b]; n; n = n->next)
				map_free(*node_inner(h, n));
	for (size_t i = 0; i < h->all.len; i++)
		free(*bb_vec_at(&h->all, struct hnode *, i));
	bb_vec_free(&h->all);
	free(h->buckets);
	free(h->lrus);
	free(h);
	m->priv = NULL;
}

static int hash_alloc(struct map *m, struct bb_err *e)
{
	struct map_spec *s = &m->spec;
	struct htab *h;
	int err = hash_check_spec(m, e);

	if (err)
		return err;
	if (is_of_maps(m)) {
		struct map *probe;

		if (!s->inner)
			return map_err(m, e, -EINVAL, "map-in-map needs an inner map template");
		if (s->inner->type == BPF_MAP_TYPE_PROG_ARRAY ||
		    s->inner->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		    s->inner->type == BPF_MAP_TYPE_HASH_OF_MAPS)
			return map_err(m, e, -MAP_ENOTSUPP, "inner map of type %s",
				       map_type_name(s->inner->type));
		err = map_new(s->inner, &probe, e);
		if (err)
			return err;
		map_free(probe);
	}
	if (map_is_lru(m) && (s->map_flags & BPF_F_NO_COMMON_LRU)) {
		/* The kernel's rounding: every CPU's list gets as many. */
		uint64_t r = map_round_up(s->max_entries, s->nr_cpus);

		s->max_entries = r > UINT32_MAX ? s->max_entries / s->nr_cpus * s->nr_cpus
						: (uint32_t)r;
	}
	if (s->max_entries > (1u << 26))
		return map_err(m, e, -ENOMEM, "max_entries %u too big to hold here",
			       s->max_entries);
	h = calloc(1, sizeof(*h));
	if (!h)
		return map_err(m, e, -ENOMEM, "out of memory");
	m->priv = h;
	bb_vec_init(&h->all, sizeof(struct hnode *));
	h->n_buckets = (uint32_t)map_roundup_pow2(s->max_entries);
	h->ksize8 = (uint32_t)map_round_up(s->key_size, 8);
	h->vstore = is_of_maps(m) ? 8 : map_is_percpu(m) ? m->vsize8 * s->nr_cpus : m->vsize8;
	h->node_size = sizeof(struct hnode) + h->ksize8 + h->vstore;
	h->buckets = calloc(h->n_buckets, sizeof(*h->buckets));
	if (!h->buckets)
		goto nomem;
	if (map_is_lru(m)) {
		h->n_lru = (s->map_flags & BPF_F_NO_COMMON_LRU) ? s->nr_cpus : 1;
		h->lrus = calloc(h->n_lru, sizeof(*h->lrus));
		if (!h->lrus)
			goto nomem;
		for (uint32_t i = 0; i < h->n_lru; i++)
			h->lrus[i].cap = s->max_entries / h->n_lru;
	}
	return 0;
nomem:
	hash_free(m);
	return map_err(m, e, -ENOMEM, "out of memory");
}

/* ----- elements ----- */

static struct hnode *node_get(struct htab *h)
{
	struct hnode *n = h->free;

	if (n) {
		h->free = n->next;
	} else {
		n = malloc(h->node_size);
		if (!n)
			return NULL;
		if (!bb_vec_push(&h->all, &n)) {
			free(n);
			return NULL;
		}
	}
	memset(n, 0, h->node_size);
	return n;
}

static void node_put(struct htab *h, struct hnode *n)
{
	n->next = h->free;
	h->free = n;
}

static struct hnode *find(struct map *m, const void *key, uint32_t hash, struct hnode ***link)
{
	struct htab *h = H(m);
	struct hnode **pp = &h->buckets[hash & (h->n_buckets - 1)];

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->hash == hash && !memcmp(node_key(*pp), key, m->spec.key_size)) {
			if (link)
				*link = pp;
			return *pp;
		}
	}
	return NULL;
}

static inline uint32_t key_hash(const struct map *m, const void *key)
{
	return map_jhash(key, m->spec.key_size, 0);
}

static void lru_unlink(struct htab *h, struct hnode *n)
{
	struct lru_list *l = &h->lrus[n->lru];

	if (n->lprev)
		n->lprev->lnext = n->lnext;
	else
		l->head = n->lnext;
	if (n->lnext)
		n->lnext->lprev = n->lprev;
	else
		l->tail = n->lprev;
	n->lprev = n->lnext = NULL;
	l->count--;
}

static void lru_push_head(struct htab *h, struct hnode *n, uint32_t list)
{
	struct lru_list *l = &h->lrus[list];

	n->lru = list;
	n->lprev = NULL;
	n->lnext = l->head;
	if (l->head)
		l->head->lprev = n;
	else
		l->tail = n;
	l->head = n;
	l->count++;
}

static void lru_touch(struct htab *h, struct hnode *n)
{
	uint32_t list = n->lru;

	lru_unlink(h, n);
	lru_push_head(h, n, list);
}

/* Take @n out of its bucket (through @link) and give it back. */
static void remove_node(struct map *m, struct hnode **link)
{
	struct htab *h = H(m);
	struct hnode *n = *link;

	*link = n->next;
	if (h->lrus)
		lru_unlink(h, n);
	if (is_of_maps(m))
		map_free(*node_inner(h, n));
	h->count--;
	node_put(h, n);
}

static void push_bucket_head(struct htab *h, struct hnode *n)
{
	struct hnode **head = &h->buckets[n->hash & (h->n_buckets - 1)];

	n->next = *head;
	*head = n;
}

/*
 * The common update path.  @fill writes the value store of a new or
 * existing element.  Returns the element or NULL with *err set.
 */
typedef void (*fill_fn)(struct map *m, struct hnode *n, const void *value, uint32_t cpu,
			bool fresh);

static struct hnode *upsert(struct map *m, const void *key, const void *value,
			    uint64_t flags, uint32_t cpu, fill_fn fill, int *err)
{
	struct htab *h = H(m);
	uint32_t hash = key_hash(m, key);
	struct hnode **link = NULL, *old = find(m, key, hash, &link), *n;
	uint64_t op = flags & ~(uint64_t)BPF_F_LOCK;

	/* check_flags() */
	if (old && op == BPF_NOEXIST) {
		*err = -EEXIST;
		return NULL;
	}
	if (!old && op == BPF_EXIST) {
		*err = -ENOENT;
		return NULL;
	}
	if (old) {
		fill(m, old, value, cpu, false);
		if (!map_is_percpu(m) && link != &h->buckets[hash & (h->n_buckets - 1)]) {
			/* The kernel links a new element at the head and
			 * unlinks the old one. */
			*link = old->next;
			push_bucket_head(h, old);
		}
		if (h->lrus)
			lru_touch(h, old);
		return old;
	}
	if (h->lrus) {
		uint32_t list = h->n_lru > 1 ? cpu % h->n_lru : 0;
		struct lru_list *l = &h->lrus[list];

		if (l->count >= l->cap) {
			struct hnode *victim = l->tail, **vl = NULL;

			find(m, node_key(victim), victim->hash, &vl);
			remove_node(m, vl);
		}
		n = node_get(h);
		if (!n) {
			*err = -ENOMEM;
			return NULL;
		}
		lru_push_head(h, n, list);
	} else {
		if (h->count >= m->spec.max_entries) {
			*err = -E2BIG;
			return NULL;
		}
		n = node_get(h);
		if (!n) {
			*err = -ENOMEM;
			return NULL;
		}
	}
	memcpy(node_key(n), key, m->spec.key_size);
	n->hash = hash;
	fill(m, n, value, cpu, true);
	push_bucket_head(h, n);
	h->count++;
	return n;
}

/* System call: plain value, or every CPU's from an 8-byte-strided buffer. */
static void fill_sys(struct map *m, struct hnode *n, const void *value, uint32_t cpu, bool fresh)
{
	struct htab *h = H(m);

	if (map_is_percpu(m))
		memcpy(node_val(h, n, 0), value, h->vstore);
	else
		map_copy_value(m, node_val(h, n, 0), value);
}

/* Program: one CPU's value; a new per-CPU element starts zeroed elsewhere
 * (node_get() zeroed it). */
static void fill_prog(struct map *m, struct hnode *n, const void *value, uint32_t cpu, bool fresh)
{
	struct htab *h = H(m);

	if (map_is_percpu(m))
		memcpy(node_val(h, n, cpu * m->vsize8), value, m->spec.value_size);
	else
		map_copy_value(m, node_val(h, n, 0), value);
}

/* ----- system-call side ----- */

static void copy_out(struct map *m, struct hnode *n, void *value)
{
	struct htab *h = H(m);

	if (is_of_maps(m)) {
		uint32_t id = (*node_inner(h, n))->id;

		memcpy(value, &id, 4);
	} else if (map_is_percpu(m)) {
		memcpy(value, node_val(h, n, 0), h->vstore);
	} else {
		map_copy_value_out(m, value, node_val(h, n, 0));
	}
}

static int hash_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	struct hnode *n = find(m, key, key_hash(m, key), NULL);

	if (!n)
		return -ENOENT;
	copy_out(m, n, value);
	return 0;
}

static int flags_ok(const struct map *m, uint64_t flags)
{
	/* Per-CPU and LRU updates know no BPF_F_LOCK. */
	if (map_is_percpu(m) || map_is_lru(m))
		return flags > BPF_EXIST ? -EINVAL : 0;
	return (flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST ? -EINVAL : 0;
}

static int hash_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	int err = 0;

	if (is_of_maps(m))
		return -EBADF;  /* the value is an fd: use map_inner_set() */
	err = flags_ok(m, flags);
	if (err)
		return err;
	upsert(m, key, value, flags, 0, fill_sys, &err);
	return err;
}

static int hash_delete(struct map *m, const void *key)
{
	struct hnode **link;

	if (!find(m, key, key_hash(m, key), &link))
		return -ENOENT;
	remove_node(m, link);
	return 0;
}

static int hash_next_key(struct map *m, const void *key, void *next_key)
{
	struct htab *h = H(m);
	uint32_t i = 0;

	if (key) {
		uint32_t hash = key_hash(m, key);
		struct hnode *n = find(m, key, hash, NULL);

		if (n) {
			if (n->next) {
				memcpy(next_key, node_key(n->next), m->spec.key_size);
				return 0;
			}
			i = (hash & (h->n_buckets - 1)) + 1;
		}
	}
	for (; i < h->n_buckets; i++) {
		if (h->buckets[i]) {
			memcpy(next_key, node_key(h->buckets[i]), m->spec.key_size);
			return 0;
		}
	}
	return -ENOENT;
}

static int hash_lookup_and_delete(struct map *m, const void *key, void *value, uint64_t flags)
{
	struct hnode **link;
	struct hnode *n = find(m, key, key_hash(m, key), &link);

	if (!n)
		return -ENOENT;
	copy_out(m, n, value);
	remove_node(m, link);
	return 0;
}

/* ----- program side ----- */

static void *hash_elem_ptr(struct map *m, const void *key, uint32_t cpu)
{
	struct htab *h = H(m);
	struct hnode *n = find(m, key, key_hash(m, key), NULL);

	if (!n)
		return NULL;
	if (h->lrus)
		lru_touch(h, n);
	if (is_of_maps(m))
		return *node_inner(h, n);
	return node_val(h, n, map_is_percpu(m) ? cpu * m->vsize8 : 0);
}

static int hash_prog_update(struct map *m, const void *key, const void *value,
			    uint64_t flags, uint32_t cpu)
{
	int err;

	if (is_of_maps(m))
		return -EINVAL;         /* the verifier refuses it */
	err = flags_ok(m, flags);
	if (err)
		return err;
	upsert(m, key, value, flags, cpu, fill_prog, &err);
	return err;
}

static int hash_prog_delete(struct map *m, const void *key)
{
	if (is_of_maps(m))
		return -EINVAL;
	return hash_delete(m, key);
}

static long hash_for_each(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu)
{
	struct htab *h = H(m);
	long n = 0;

	for (uint32_t b = 0; b < h->n_buckets; b++) {
		for (struct hnode *x = h->buckets[b], *next; x; x = next) {
			void *v = is_of_maps(m) ? (void *)*node_inner(h, x)
				: node_val(h, x, map_is_percpu(m) ? cpu * m->vsize8 : 0);

			next = x->next;
			n++;
			if (cb(ctx, m, node_key(x), v))
				return n;
		}
	}
	return n;
}

static uint64_t hash_count(const struct map *m)
{
	return H(m)->count;
}

static int hash_check(const struct map *m, struct bb_err *e)
{
	const struct htab *h = H(m);
	uint64_t seen = 0, lru_total = 0;

	for (uint32_t b = 0; b < h->n_buckets; b++) {
		for (struct hnode *n = h->buckets[b]; n; n = n->next) {
			if ((n->hash & (h->n_buckets - 1)) != b)
				return map_err(m, e, -EUCLEAN, "element in bucket %u hashes to %u", b,
					       n->hash & (h->n_buckets - 1));
			if (n->hash != key_hash(m, n->data))
				return map_err(m, e, -EUCLEAN, "stale hash in bucket %u", b);
			if (is_of_maps(m) && !*node_inner(h, n))
				return map_err(m, e, -EUCLEAN, "empty inner slot");
			if (++seen > h->count)
				return map_err(m, e, -EUCLEAN, "more elements than counted");
		}
	}
	if (seen != h->count)
		return map_err(m, e, -EUCLEAN, "%llu elements, count says %u",
			       (unsigned long long)seen, h->count);
	if (seen > m->spec.max_entries)
		return map_err(m, e, -EUCLEAN, "%u elements over max_entries", h->count);
	for (uint32_t i = 0; i < h->n_lru; i++) {
		const struct lru_list *l = &h->lrus[i];
		uint32_t c = 0;

		for (struct hnode *n = l->head; n; n = n->lnext) {
			if (n->lru != i || (n->lnext ? n->lnext->lprev != n : l->tail != n))
				return map_err(m, e, -EUCLEAN, "LRU list %u broken", i);
			c++;
		}
		if (c != l->count || c > l->cap)
			return map_err(m, e, -EUCLEAN, "LRU list %u: %u linked, count %u, cap %u",
				       i, c, l->count, l->cap);
		lru_total += c;
	}
	if (h->lrus && lru_total != h->count)
		return map_err(m, e, -EUCLEAN, "LRU lists hold %llu, map %u",
			       (unsigned long long)lru_total, h->count);
	return 0;
}

/* ----- hash_of_maps ----- */

static void fill_inner(struct map *m, struct hnode *n, const void *value, uint32_t cpu,
		       bool fresh)
{
	struct map **slot = node_inner(H(m), n);

	if (!fresh)
		map_free(*slot);
	*slot = map_get((struct map *)value);
}

int map_hash_inner_set(struct map *m, const void *key, struct map *inner, uint64_t flags)
{
	int err = 0;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (!inner || !map_inner_compatible(m->spec.inner, inner))
		return -EINVAL;
	upsert(m, key, inner, flags, 0, fill_inner, &err);
	return err;
}

const struct map_ops map_hash_ops = {
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.next_key = hash_next_key,
	.lookup_and_delete = hash_lookup_and_delete,
	.elem_ptr = hash_elem_ptr,
	.prog_update = hash_prog_update,
	.prog_delete = hash_prog_delete,
	.for_each = hash_for_each,
	.count = hash_count,
	.check = hash_check,
};

const struct map_ops map_hash_of_maps_ops = {
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.next_key = hash_next_key,
	.elem_ptr = hash_elem_ptr,
	.prog_update = hash_prog_update,
	.prog_delete = hash_prog_delete,
	.for_each = hash_for_each,
	.count = hash_count,
	.check = hash_check,
};
