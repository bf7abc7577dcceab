/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_index.c - lookup by name and kind.
 *
 * A chained hash table over the names of own types: one bucket array (a
 * power of two, at least the type count, so chains stay about one long)
 * and one "next" link per type.  Building it for vmlinux's ~126k types
 * is one pass of string hashing; a lookup hashes the name once and walks
 * one short chain.  Anonymous types are not indexed.  The table grows as
 * the builder adds types.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: short, and good enough for identifiers. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
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
	b->hnext = calloc(b->hnext_cap, sizeof(*b->hnext));
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

	if (!name || !*name)
		return;
	h = name_hash(name) & b->hmask;
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
	/* hnext is full (it is sized like offs when built) or the table is
	 * loaded past one entry per bucket: rebuild, amortised O(1) per
	 * added type since both double. */
	if (!b->hbucket || own_idx >= b->hnext_cap || b->nr > b->hmask + 1 ||
	    b->hcount != own_idx)
		return bbtf__index_build(b);
	index_insert(b, own_idx);
	b->hcount = own_idx + 1;
	return 0;
}

int bbtf_reindex(struct bbtf *btf)
{
	return bbtf__index_build(btf);
}

/* Smallest own id > @after named @name of @kind, or 0. */
static uint32_t find_own(const struct bbtf *b, const char *name, int kind, uint32_t after)
{
	uint32_t best = 0;

	if (!b->hbucket)
		return 0;
	for (uint32_t e = b->hbucket[name_hash(name) & b->hmask]; e; e = b->hnext[e - 1]) {
		const struct btf_type *t = (const void *)(b->types + b->offs[e - 1]);
		uint32_t id = b->start_id + e - 1;
		const char *n;

		if (id <= after || (best && id >= best))
			continue;
		if (kind >= 0 && bbtf_kind(t) != kind)
			continue;
		n = bbtf_name(b, t->name_off);
		if (n && !strcmp(n, name))
			best = id;
	}
	return best;
}

int bbtf_find_next(const struct bbtf *btf, const char *name, int kind, uint32_t after)
{
	uint32_t id;

	if (!btf || !name || !*name)
		return -ENOENT;
	if (btf->base && after < btf->start_id) {
		int r = bbtf_find_next(btf->base, name, kind, after);

		if (r > 0)
			return r;
	}
	id = find_own(btf, name, kind, after);
	return id ? (int)id : -ENOENT;
}

int bbtf_find_by_name_kind(const struct bbtf *btf, const char *name, int kind)
{
	return bbtf_find_next(btf, name, kind, 0);
}
