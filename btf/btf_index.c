/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_index.c - lookup by name and kind, and by essential name.
 *
 * A chained hash table over the names of own types: one bucket array (a
 * power of two, at least the type count, so chains stay about one long)
 * and one "next" link per type.  Anonymous types are not indexed.
 *
 * The key is the ESSENTIAL name, the name without a trailing "___flavor"
 * (bbtf_essential_len()), so one table answers both questions asked of
 * it: an exact name ("task_struct___old" hashes as "task_struct" and is
 * compared in full) and CO-RE's "every type whose essential name is
 * task_struct", which used to be a scan of all 126k vmlinux types per
 * local type.  Flavored names are rare, so the chains hardly grow.
 *
 * The table is built by the first lookup, not by the parse: a program
 * load that never looks a name up does not pay for hashing ~100k names.
 * The build goes through a const pointer like the other caches (see the
 * thread note in btf.h).  After that the builder keeps it up to date.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

size_t bbtf_essential_len(const char *name)
{
	size_t n = strlen(name);

	/* The LAST "X___Y" separator counts: "a___b___c" is a flavor of
	 * "a___b".  A name that merely contains "____" is not flavored. */
	for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;) {
		const char *s = name + i;

		if (s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_')
			return i + 1;
	}
	return n;
}

/*
 * Hash of @len bytes of @s, eight at a time (multiply-xorshift per word):
 * FNV-1a's byte loop with its "___" tracking was half of building the
 * index over vmlinux's 71k names.  *@maybe_flavored is set if the bytes
 * hold "___" (then the essential name may be shorter; see below).
 */
#define HASH_MUL 0xff51afd7ed558ccdull
#define BYTES(x) (0x0101010101010101ull * (x))

static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_MUL;
	return h ^ (h >> 32);
}

/* 0x80 in every byte of @w that is '_' (exact: no borrow between bytes). */
static inline uint64_t underscores(uint64_t w)
{
	uint64_t x = w ^ BYTES('_'), y = (x & BYTES(0x7f)) + BYTES(0x7f);

	return ~(y | x | BYTES(0x7f));
}

static uint32_t hash_words(const char *s, size_t len, bool *maybe_flavored)
{
	uint64_t h = len * 0x9e3779b97f4a7c15ull, prev = 0, run = 0;

	for (; len; ) {
		uint64_t w = 0, m;
		size_t n = len < 8 ? len : 8;

		/* Words in little-endian byte order on any host (the '_' run
		 * test below counts on it); the load is one move on ours. */
		if (n == 8 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
			memcpy(&w, s, 8);
		else
			for (size_t i = 0; i < n; i++)
				w |= (uint64_t)(uint8_t)s[i] << (8 * i);
		h = hash_mix(h, w);
		/* Byte i is '_' and so are bytes i-1 and i-2, possibly in
		 * the previous word (little-endian byte order in @m). */
		m = underscores(w);
		run |= m & ((m << 8) | (prev >> 56)) & ((m << 16) | (prev >> 48));
		prev = m;
		s += n;
		len -= n;
	}
	*maybe_flavored = run != 0;
	return (uint32_t)(h ^ (h >> 29));
}

static uint32_t hash_len(const char *s, size_t len)
{
	bool unused;

	return hash_words(s, len, &unused);
}

/* Hash of @s's essential name.  One pass hashes the whole name and
 * notices "___"; only a name that has one (rare) is measured and hashed
 * again up to its essential length. */
static uint32_t essential_hash(const char *s)
{
	size_t n = strlen(s);
	bool flavored;
	uint32_t h = hash_words(s, n, &flavored);

	if (!flavored)
		return h;
	return hash_len(s, bbtf_essential_len(s));
}

void bbtf__index_free(struct bbtf *b)
{
	free(b->hbucket);
	free(b->hnext);
	b->hbucket = b->hnext = NULL;
	b->hmask = 0;
	b->hcount = 0;
	b->hnext_cap = 0;
}

static int index_alloc(struct bbtf *b, uint32_t want)
{
	uint32_t n = 64;

	while (n < want && n < (1u << 30))
		n <<= 1;
	bbtf__index_free(b);
	b->hbucket = calloc(n, sizeof(*b->hbucket));
	b->hnext_cap = b->offs_cap ? b->offs_cap : 1;
	/* Every entry is written by index_insert() before a chain can
	 * reach it, so no zeroing. */
	b->hnext = malloc(b->hnext_cap * sizeof(*b->hnext));
	if (!b->hbucket || !b->hnext) {
		bbtf__index_free(b);
		return -ENOMEM;
	}
	b->hmask = n - 1;
	return 0;
}

static void index_insert(struct bbtf *b, uint32_t i)
{
	const struct btf_type *t = (const void *)(b->types + b->offs[i]);
	const char *name = bbtf_name(b, t->name_off);
	uint32_t h;

	b->hnext[i] = 0;
	if (!name || !*name)
		return;
	h = essential_hash(name) & b->hmask;
	b->hnext[i] = b->hbucket[h];
	b->hbucket[h] = i + 1;
}

int bbtf__index_build(struct bbtf *b)
{
	int ret = index_alloc(b, b->nr);

	if (ret)
		return ret;
	for (uint32_t i = 0; i < b->nr; i++)
		index_insert(b, i);
	b->hcount = b->nr;
	return 0;
}

int bbtf__index_add(struct bbtf *b, uint32_t own_idx)
{
	/* No table yet: the first lookup builds it. */
	if (!b->hbucket)
		return 0;
	/* hnext is full (it is sized like offs when built) or the table is
	 * loaded past one entry per bucket: rebuild, amortised O(1) per
	 * added type since both double. */
	if (own_idx >= b->hnext_cap || b->nr > b->hmask + 1 || b->hcount != own_idx)
		return bbtf__index_build(b);
	index_insert(b, own_idx);
	b->hcount = own_idx + 1;
	return 0;
}

int bbtf_reindex(struct bbtf *btf)
{
	/* Dropped, not rebuilt: the next lookup builds it. */
	bbtf__index_free(btf);
	return 0;
}

/* The table, built now if this is the first lookup; false if it cannot
 * be (out of memory: callers then scan). */
static bool index_ready(const struct bbtf *b)
{
	if (b->hbucket || !b->nr)
		return b->hbucket != NULL;
	return bbtf__index_build((struct bbtf *)b) == 0;
}

/* Does own type @i match: exact name @name (@len < 0), or essential
 * name equal to @name's first @len bytes? */
static bool name_matches(const struct bbtf *b, uint32_t i, const char *name, long len)
{
	const struct btf_type *t = (const void *)(b->types + b->offs[i]);
	const char *n = bbtf_name(b, t->name_off);

	if (!n || !*n)
		return false;
	if (len < 0)
		return !strcmp(n, name);
	return !strncmp(n, name, (size_t)len) && bbtf_essential_len(n) == (size_t)len;
}

/*
 * Calls @fn(id) for each own type id matching (@name, @len) as in
 * name_matches(), in no particular order, until @fn returns non-zero
 * (returned).  The hash key is the essential name either way.
 */
static int for_each_own(const struct bbtf *b, const char *name, long len,
			int (*fn)(uint32_t id, void *ctx), void *ctx)
{
	size_t klen = len < 0 ? bbtf_essential_len(name) : (size_t)len;

	if (!index_ready(b)) {
		for (uint32_t i = 0; i < b->nr; i++)
			if (name_matches(b, i, name, len)) {
				int r = fn(b->start_id + i, ctx);

				if (r)
					return r;
			}
		return 0;
	}
	for (uint32_t e = b->hbucket[hash_len(name, klen) & b->hmask]; e; e = b->hnext[e - 1]) {
		if (name_matches(b, e - 1, name, len)) {
			int r = fn(b->start_id + e - 1, ctx);

			if (r)
				return r;
		}
	}
	return 0;
}

struct next_ctx {
	const struct bbtf *b;
	int kind;
	uint32_t after, best;
};

static int next_cb(uint32_t id, void *ctx)
{
	struct next_ctx *c = ctx;

	if (id <= c->after || (c->best && id >= c->best))
		return 0;
	if (c->kind >= 0 && bbtf_kind(bbtf_type_by_id(c->b, id)) != c->kind)
		return 0;
	c->best = id;
	return 0;
}

int bbtf_find_next(const struct bbtf *btf, const char *name, int kind, uint32_t after)
{
	struct next_ctx c = { .b = btf, .kind = kind, .after = after };

	if (!btf || !name || !*name)
		return -ENOENT;
	if (btf->base && after < btf->start_id) {
		int r = bbtf_find_next(btf->base, name, kind, after);

		if (r > 0)
			return r;
	}
	for_each_own(btf, name, -1, next_cb, &c);
	return c.best ? (int)c.best : -ENOENT;
}

int bbtf_find_by_name_kind(const struct bbtf *btf, const char *name, int kind)
{
	return bbtf_find_next(btf, name, kind, 0);
}

static int push_cb(uint32_t id, void *ctx)
{
	return bb_vec_push(ctx, &id) ? 0 : -ENOMEM;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int bbtf_find_essential(const struct bbtf *btf, const char *name, size_t len,
			struct bb_vec *ids)
{
	size_t start = ids->len, first;
	int r;

	if (!btf || !name || !len || len > (size_t)LONG_MAX)
		return 0;
	if (btf->base) {
		r = bbtf_find_essential(btf->base, name, len, ids);
		if (r < 0)
			return r;
	}
	first = ids->len;
	r = for_each_own(btf, name, (long)len, push_cb, ids);
	if (r < 0)
		return r;
	/* Chains run newest first; callers want id order (base ids are
	 * all lower, already sorted). */
	if (ids->len - first > 1)
		qsort(bb_vec_at(ids, uint32_t, first), ids->len - first, sizeof(uint32_t), cmp_u32);
	return (int)(ids->len - start);
}
