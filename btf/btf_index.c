/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_index.c - lookup by name and kind, and by essential name.
 *
 * An open-addressing table (linear probing, at most half full) over the
 * names of own types.  Anonymous types are not indexed.  Each 32-bit
 * slot holds the own index + 1 and, in the bits above it, a tag of the
 * name's hash, so a probe that meets another name is rejected without
 * touching the type record or the string (the chained table this
 * replaces followed a next[] link into a 0.5 MiB array per probe and
 * compared every name on its chain).
 *
 * The key is the ESSENTIAL name, the name without a trailing "___flavor"
 * (bbtf_essential_len()), so one table answers both questions asked of
 * it: an exact name ("task_struct___old" hashes as "task_struct" and is
 * compared in full) and CO-RE's "every type whose essential name is
 * task_struct".  Flavored names are rare (26 of vmlinux's 71k type
 * names), so the probe runs hardly grow.
 *
 * Building hashes each name once: one pass, eight bytes at a time, finds
 * its NUL, hashes it and notices "___" together (the strlen(), the hash
 * loop and a separate flavor scan were three passes).  A per-string-
 * offset hash memo does not pay here: vmlinux's 71,270 type names sit
 * at 70,819 distinct offsets.
 *
 * The table is built by the first lookup, not by the parse: a program
 * load that never looks a name up does not pay for hashing ~70k names.
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

/* Own index + 1 in the low bits of a slot (BTF ids are below 2^20), a
 * tag of hash bits above. */
#define HTAB_IDX_BITS 21
#define HTAB_IDX_MASK ((1u << HTAB_IDX_BITS) - 1)
_Static_assert(BTF_MAX_TYPE < HTAB_IDX_MASK, "own index + 1 fits below the tag");

#define HASH_MUL 0xff51afd7ed558ccdull
#define BYTES(x) (0x0101010101010101ull * (x))

/* Per 8-byte word a rotate, xor and multiply (FxHash's step); the
 * xorshifts that fold high bits down run once, in hash_final(), not per
 * word (a fifth of the build's instructions went to them). */
static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
	return (((h << 5) | (h >> 59)) ^ w) * HASH_MUL;
}

static inline uint32_t hash_final(uint64_t h, size_t len)
{
	h = hash_mix(h, len);
	h ^= h >> 32;
	h *= HASH_MUL;
	return (uint32_t)(h ^ (h >> 29));
}

/* 0x80 in each byte of @w that is zero, and possibly in some bytes above
 * one that is (the borrow): exact for the lowest. */
static inline uint64_t zero_bytes(uint64_t w)
{
	return (w - BYTES(1)) & ~w & BYTES(0x80);
}

/* Word @i of @s (little-endian byte order on any host), bytes at or past
 * @avail zero. */
static inline uint64_t load_word(const char *s, size_t avail)
{
	uint64_t w = 0;

	if (avail >= 8 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
		memcpy(&w, s, 8);
		return w;
	}
	for (size_t i = 0; i < 8 && i < avail; i++)
		w |= (uint64_t)(uint8_t)s[i] << (8 * i);
	return w;
}

/* Hash of the first @len bytes of @s (the lookup side). */
static uint32_t hash_len(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t n = 0;

	for (; len - n >= 8; n += 8)
		h = hash_mix(h, load_word(s + n, 8));
	if (len > n)
		h = hash_mix(h, load_word(s + n, len - n));
	return hash_final(h, len);
}

/*
 * Hash of the NUL-terminated name @s, of which @avail bytes may be read
 * (its string section ends with a NUL, so the loop stops inside it), as
 * hash_len(s, strlen(s)) would give, in one pass that also finds the NUL
 * and notices "___": then (rare) the essential name may be shorter and
 * is hashed again.
 */
static inline __attribute__((always_inline)) uint32_t essential_hash(const char *s,
								    size_t avail)
{
	uint64_t h = 0x9e3779b97f4a7c15ull, run = 0;
	/* A "__" at bytes 0-1 of the name is never part of a separator
	 * (the X of "X___Y" comes first): ignoring it keeps the many
	 * "__do_sys_..." names off the exact check. */
	uint64_t skip = 0x8000;
	size_t n = 0;

	for (;; n += 8, skip = 0) {
		uint64_t w = load_word(s + n, avail - n), z = zero_bytes(w), m;

		if (z) {
			unsigned int k = (unsigned int)__builtin_ctzll(z) / 8;

			w &= k ? ~0ull >> (64 - 8 * k) : 0;
			if (k)
				h = hash_mix(h, w);
			n += k;
		} else {
			h = hash_mix(h, w);
		}
		/* '_' bytes (an over-estimate only where a '_' precedes a '^';
		 * it only sends a name to the exact check below), then two in
		 * a row within the word: every "___" holds such a pair even
		 * where it straddles two words, and a pair costs two
		 * operations where an exact cross-word triple test cost
		 * seven.  11% of vmlinux's type names have a "__"; most of
		 * them only at the start. */
		m = zero_bytes(w ^ BYTES('_'));
		run |= m & (m << 8) & ~skip;
		if (z)
			break;
	}
	if (run) {
		size_t e = bbtf_essential_len(s);

		if (e != n)
			return hash_len(s, e);
	}
	return hash_final(h, n);
}

void bbtf__index_free(struct bbtf *b)
{
	free(b->htab);
	b->htab = NULL;
	b->hmask = 0;
	b->hcount = 0;
	b->hused = 0;
}

static void slot_put(uint32_t *tab, uint32_t mask, uint32_t h, uint32_t i)
{
	uint32_t s = h & mask;

	while (tab[s])
		s = (s + 1) & mask;
	tab[s] = (h & ~HTAB_IDX_MASK) | (i + 1);
}

/* Name of own type @i and the bytes readable from it, or NULL. */
static inline const char *own_name(const struct bbtf *b, uint32_t i, size_t *avail)
{
	const struct btf_type *t = (const void *)(b->types + b->offs[i]);
	uint32_t off = t->name_off, rel = off - b->str_start;
	const struct bbtf *o = b;

	/* Own strings first, without the base-chain loop. */
	if (off >= b->str_start && rel < b->strs_len) {
		*avail = b->strs_len - rel;
		return b->strs + rel;
	}
	while (o && off < o->str_start)
		o = o->base;
	if (!o || off - o->str_start >= o->strs_len)
		return NULL;
	*avail = o->strs_len - (off - o->str_start);
	return o->strs + (off - o->str_start);
}

/* Inlined into the build loop: a call per name was ~10% of the build. */
static inline __attribute__((always_inline)) void index_insert(struct bbtf *b, uint32_t i)
{
	size_t avail = 0;
	const char *name = own_name(b, i, &avail);

	if (!name || !*name)
		return;
	slot_put(b->htab, b->hmask, essential_hash(name, avail), i);
	b->hused++;
}

int bbtf__index_build(struct bbtf *b)
{
	uint32_t n = 64;

	/* At most half full: linear probes stay short. */
	while (n < 2 * (uint64_t)b->nr + 2 && n < (1u << 30))
		n <<= 1;
	bbtf__index_free(b);
	b->htab = calloc(n, sizeof(*b->htab));
	if (!b->htab)
		return -ENOMEM;
	b->hmask = n - 1;
	for (uint32_t i = 0; i < b->nr; i++)
		index_insert(b, i);
	b->hcount = b->nr;
	return 0;
}

int bbtf__index_add(struct bbtf *b, uint32_t own_idx)
{
	/* No table yet: the first lookup builds it. */
	if (!b->htab)
		return 0;
	/* Past half full, or not the next type: rebuild at twice the
	 * size, amortised O(1) per added type. */
	if (2 * ((uint64_t)b->hused + 1) > b->hmask + 1 || b->hcount != own_idx)
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

/* Lookups a small BTF answers by scanning before it builds the table. */
#define SCAN_LOOKUPS 8
#define SCAN_MAX_TYPES 4096

/*
 * The table, built now if this lookup should have it; false to scan
 * (also when out of memory).  An object file's BTF (a few hundred
 * types) sees a handful of lookups while it is opened (maps, externs):
 * hashing every name for them cost more than the scans, so a small BTF
 * is scanned for its first SCAN_LOOKUPS lookups and indexed after that.
 */
static bool index_ready(const struct bbtf *b)
{
	if (b->htab || !b->nr)
		return b->htab != NULL;
	if (b->nr <= SCAN_MAX_TYPES && b->scans < SCAN_LOOKUPS) {
		/* A counter, like the other caches filled through const. */
		((struct bbtf *)b)->scans++;
		return false;
	}
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
 * (returned).  The hash key is the essential name either way.  @kind >=
 * 0 lets a scan pass over types of other kinds without reading their
 * names (@fn is still the one that decides).
 */
static int for_each_own(const struct bbtf *b, const char *name, long len, int kind,
			int (*fn)(uint32_t id, void *ctx), void *ctx)
{
	size_t klen = len < 0 ? bbtf_essential_len(name) : (size_t)len;
	uint32_t h, tag;

	if (!index_ready(b)) {
		/* A scan: reject by the first byte of own names before any
		 * call (a match needs it equal: @name is never empty). */
		for (uint32_t i = 0; i < b->nr; i++) {
			const struct btf_type *t = (const void *)(b->types + b->offs[i]);
			uint32_t rel = t->name_off - b->str_start;

			if (kind >= 0 && bbtf_kind(t) != kind)
				continue;
			if (t->name_off >= b->str_start &&
			    (rel >= b->strs_len || b->strs[rel] != name[0]))
				continue;
			if (name_matches(b, i, name, len)) {
				int r = fn(b->start_id + i, ctx);

				if (r)
					return r;
			}
		}
		return 0;
	}
	h = hash_len(name, klen);
	tag = h & ~HTAB_IDX_MASK;
	for (uint32_t s = h & b->hmask; b->htab[s]; s = (s + 1) & b->hmask) {
		uint32_t e = b->htab[s];

		if ((e & ~HTAB_IDX_MASK) == tag &&
		    name_matches(b, (e & HTAB_IDX_MASK) - 1, name, len)) {
			int r = fn(b->start_id + (e & HTAB_IDX_MASK) - 1, ctx);

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
	for_each_own(btf, name, -1, kind, next_cb, &c);
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
	r = for_each_own(btf, name, (long)len, -1, push_cb, ids);
	if (r < 0)
		return r;
	/* Chains run newest first; callers want id order (base ids are
	 * all lower, already sorted). */
	if (ids->len - first > 1)
		qsort(bb_vec_at(ids, uint32_t, first), ids->len - first, sizeof(uint32_t), cmp_u32);
	return (int)(ids->len - start);
}
