/* SPDX-License-Identifier: MIT */
/*
 * maps/map_trie.c - lpm_trie: longest-prefix match over
 * struct bpf_lpm_trie_key_u8 { __u32 prefixlen; __u8 data[]; }.
 *
 * The kernel keeps a binary radix trie and get_next_key walks it in
 * postorder (both children, 0 side first, before the node; intermediate
 * nodes skipped).  That order depends only on the set of prefixes:
 *
 *   - if P is a proper prefix of Q, Q comes first (it is in P's subtree);
 *   - otherwise the first bit where they differ decides, 0 before 1.
 *
 * So we keep the entries in an array sorted by exactly that order:
 * get_next_key is the next slot, exact match (update/delete) a binary
 * search, and a lookup tries each prefix length from the key's down to 0
 * (at most data_size * 8 + 1 binary searches; a key whose prefixlen is
 * over data_size * 8 matches nothing, as in the kernel; tries are small next to
 * what a hash map is used for).  Entries live in their own allocations so
 * value pointers are stable; deleted ones are recycled, never freed
 * before map_free().
 *
 * A stored key keeps all of its data bytes, including the bits past its
 * prefix length, because the kernel copies the whole key into a node and
 * get_next_key hands it back that way.
 */
#include "maps/maps_internal.h"

struct tent {
	struct tent *next_free;
	uint8_t data[];                 /* key (key_size, padded to 8), then value */
};

struct trie {
	struct tent **v;                /* sorted, n entries */
	uint32_t n, cap;
	uint32_t data_size;             /* key_size - 4 */
	uint32_t max_prefixlen;
	uint32_t kpad;                  /* round_up(key_size, 8) */
	struct tent *free;
	struct bb_vec all;              /* struct tent * */
	uint8_t *probe;                 /* scratch key for lookups */
};

static struct trie *T(const struct map *m) { return m->priv; }

static inline uint32_t plen_of(const void *key)
{
	uint32_t p;

	memcpy(&p, key, 4);
	return p;
}

static inline int bit_at(const uint8_t *data, uint32_t i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/* The kernel's postorder as a comparison; see the top of the file. */
static int key_cmp(const void *a, const void *b)
{
	uint32_t la = plen_of(a), lb = plen_of(b), n = la < lb ? la : lb;
	const uint8_t *da = (const uint8_t *)a + 4, *db = (const uint8_t *)b + 4;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8)
		if (da[i / 8] != db[i / 8])
			break;
	for (; i < n; i++) {
		int x = bit_at(da, i), y = bit_at(db, i);

		if (x != y)
			return x - y;
	}
	if (la == lb)
		return 0;
	return la > lb ? -1 : 1;
}

/* Binary search: index of the entry equal to @key (*found = true) or the
 * index where it would go. */
static uint32_t search(const struct trie *t, const void *key, bool *found)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(t->v[mid]->data, key);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void trie_free(struct map *m)
{
	struct trie *t = T(m);

	if (!t)
		return;
	for (size_t i = 0; i < t->all.len; i++)
		free(*bb_vec_at(&t->all, struct tent *, i));
	bb_vec_free(&t->all);
	free(t->v);
	free(t->probe);
	free(t);
	m->priv = NULL;
}

static int trie_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint32_t mask = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
			BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;
	struct trie *t;

	if (s->max_entries == 0)
		return map_err(m, e, -EINVAL, "max_entries 0");
	if (!(s->map_flags & BPF_F_NO_PREALLOC))
		return map_err(m, e, -EINVAL, "an LPM trie needs BPF_F_NO_PREALLOC");
	if (s->map_flags & ~mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x", s->map_flags & ~mask);
	if (s->key_size < 5 || s->key_size > 4 + 256)
		return map_err(m, e, -EINVAL, "key size %u, expected 5..260 (prefixlen + data)",
			       s->key_size);
	if (s->value_size < 1 || s->value_size > MAP_KMALLOC_MAX - 256 - 64)
		return map_err(m, e, -EINVAL, "value size %u", s->value_size);
	t = calloc(1, sizeof(*t));
	if (!t)
		return map_err(m, e, -ENOMEM, "out of memory");
	m->priv = t;
	bb_vec_init(&t->all, sizeof(struct tent *));
	t->data_size = s->key_size - 4;
	t->max_prefixlen = t->data_size * 8;
	t->kpad = (uint32_t)map_round_up(s->key_size, 8);
	t->probe = malloc(s->key_size);
	if (!t->probe) {
		trie_free(m);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	return 0;
}

static inline uint8_t *ent_val(const struct trie *t, struct tent *x)
{
	return x->data + t->kpad;
}

/* Longest stored prefix of @key no longer than its prefixlen. */
static struct tent *lpm(struct map *m, const void *key)
{
	struct trie *t = T(m);
	uint32_t p = plen_of(key);

	/* The kernel refuses a key longer than the trie's keys outright. */
	if (!t->n || p > t->max_prefixlen)
		return NULL;
	memcpy(t->probe, key, m->spec.key_size);
	for (;;) {
		bool found;
		uint32_t i;

		memcpy(t->probe, &p, 4);
		i = search(t, t->probe, &found);
		if (found)
			return t->v[i];
		if (p-- == 0)
			return NULL;
	}
}

static int trie_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	struct tent *x = lpm(m, key);

	if (!x)
		return -ENOENT;
	map_copy_value_out(m, value, ent_val(T(m), x));
	return 0;
}

static int trie_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	struct trie *t = T(m);
	struct tent *x;
	uint32_t i;
	bool found;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (plen_of(key) > t->max_prefixlen)
		return -EINVAL;
	i = search(t, key, &found);
	if (found) {
		if (flags == BPF_NOEXIST)
			return -EEXIST;
		x = t->v[i];
		/* The kernel replaces the node: the new key's bytes win. */
		memcpy(x->data, key, m->spec.key_size);
		map_copy_value(m, ent_val(t, x), value);
		return 0;
	}
	if (flags == BPF_EXIST)
		return -ENOENT;
	if (t->n >= m->spec.max_entries)
		return -ENOSPC;
	if (t->free) {
		x = t->free;
		t->free = x->next_free;
	} else {
		x = malloc(sizeof(*x) + t->kpad + m->vsize8);
		if (!x)
			return -ENOMEM;
		if (!bb_vec_push(&t->all, &x)) {
			free(x);
			return -ENOMEM;
		}
	}
	memset(x, 0, sizeof(*x) + t->kpad + m->vsize8);
	memcpy(x->data, key, m->spec.key_size);
	map_copy_value(m, ent_val(t, x), value);
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 8;
		struct tent **nv = realloc(t->v, (size_t)cap * sizeof(*nv));

		if (!nv) {
			x->next_free = t->free;
			t->free = x;
			return -ENOMEM;
		}
		t->v = nv;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	t->v[i] = x;
	t->n++;
	return 0;
}

static int trie_delete(struct map *m, const void *key)
{
	struct trie *t = T(m);
	uint32_t i;
	bool found;

	if (plen_of(key) > t->max_prefixlen)
		return -EINVAL;
	i = search(t, key, &found);
	if (!found)
		return -ENOENT;
	t->v[i]->next_free = t->free;
	t->free = t->v[i];
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
	return 0;
}

static int trie_next_key(struct map *m, const void *key, void *next_key)
{
	struct trie *t = T(m);
	uint32_t i = 0;
	bool found = false;

	if (!t->n)
		return -ENOENT;
	/* A missing or invalid key starts from the first (leftmost) one. */
	if (key && plen_of(key) <= t->max_prefixlen) {
		i = search(t, key, &found);
		if (found)
			i++;
		else
			i = 0;
	}
	if (i >= t->n)
		return -ENOENT;
	memcpy(next_key, t->v[i]->data, m->spec.key_size);
	return 0;
}

static void *trie_elem_ptr(struct map *m, const void *key, uint32_t cpu)
{
	struct tent *x = lpm(m, key);

	return x ? ent_val(T(m), x) : NULL;
}

static int trie_prog_update(struct map *m, const void *key, const void *value,
			    uint64_t flags, uint32_t cpu)
{
	return trie_update(m, key, value, flags);
}

static long trie_for_each(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu)
{
	struct trie *t = T(m);
	long n = 0;

	for (uint32_t i = 0; i < t->n; i++) {
		n++;
		if (cb(ctx, m, t->v[i]->data, ent_val(t, t->v[i])))
			break;
	}
	return n;
}

static uint64_t trie_count(const struct map *m)
{
	return T(m)->n;
}

static int trie_check(const struct map *m, struct bb_err *e)
{
	const struct trie *t = T(m);

	if (t->n > m->spec.max_entries)
		return map_err(m, e, -EUCLEAN, "%u entries over max_entries", t->n);
	for (uint32_t i = 0; i < t->n; i++) {
		if (plen_of(t->v[i]->data) > t->max_prefixlen)
			return map_err(m, e, -EUCLEAN, "entry %u: prefix length %u", i,
				       plen_of(t->v[i]->data));
		if (i && key_cmp(t->v[i - 1]->data, t->v[i]->data) >= 0)
			return map_err(m, e, -EUCLEAN, "entries %u and %u out of order", i - 1, i);
	}
	return 0;
}

const struct map_ops map_trie_ops = {
	.alloc = trie_alloc,
	.free = trie_free,
	.lookup = trie_lookup,
	.update = trie_update,
	.delete = trie_delete,
	.next_key = trie_next_key,
	.elem_ptr = trie_elem_ptr,
	.prog_update = trie_prog_update,
	.for_each = trie_for_each,
	.count = trie_count,
	.check = trie_check,
};
