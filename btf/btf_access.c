/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_access.c - reading parsed BTF: types by id, names, modifiers
 * skipped, sizes, struct layout and alignment, statistics.  Split from
 * btf.c (parsing and validation) at the seam between building a struct
 * bbtf and asking it questions.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- */
/* Accessors                                                         */
/* ---------------------------------------------------------------- */

uint32_t bbtf_type_cnt(const struct bbtf *btf)
{
	return btf->start_id + btf->nr;
}

uint32_t bbtf_start_id(const struct bbtf *btf)
{
	return btf->start_id;
}

const struct bbtf *bbtf_base(const struct bbtf *btf)
{
	return btf->base;
}

const struct btf_type *bbtf_type_by_id(const struct bbtf *btf, uint32_t id)
{
	static const struct btf_type void_type;

	if (id == 0)
		return &void_type;
	while (btf && id < btf->start_id)
		btf = btf->base;
	if (!btf || id - btf->start_id >= btf->nr)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id - btf->start_id]);
}

struct btf_type *bbtf_type_mut(struct bbtf *btf, uint32_t id)
{
	if (id < btf->start_id || id - btf->start_id >= btf->nr)
		return NULL;
	/* A read file's buffer is ours to write; a mapping is read-only. */
	if (btf->file_map_len && bbtf__own(btf))
		return NULL;
	bbtf__dirty(btf);
	return (struct btf_type *)(btf->types + btf->offs[id - btf->start_id]);
}

size_t bbtf_ids_of_kind(const struct bbtf *btf, int kind, uint32_t *ids, size_t max)
{
	size_t n = 0;

	for (uint32_t i = 0; btf && i < btf->nr; i++)
		if (bbtf_kind((const void *)(btf->types + btf->offs[i])) == kind && n++ < max)
			ids[n - 1] = btf->start_id + i;
	return n;
}

const char *bbtf_name(const struct bbtf *btf, uint32_t off)
{
	while (btf && off < btf->str_start)
		btf = btf->base;
	if (!btf || off - btf->str_start >= btf->strs_len)
		return NULL;
	return btf->strs + (off - btf->str_start);
}

const char *bbtf_type_name(const struct bbtf *btf, uint32_t id)
{
	const struct btf_type *t = bbtf_type_by_id(btf, id);

	return t ? bbtf_name(btf, t->name_off) : NULL;
}

int bbtf_skip_mods(const struct bbtf *btf, uint32_t id)
{
	for (int depth = 0; depth < BBTF__WALK_MAX; depth++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);

		if (!t)
			return -EINVAL;
		switch (bbtf_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return (int)id;
		}
	}
	return -EINVAL;
}

/*
 * The size walk: typedefs, modifiers and variables followed, arrays
 * multiplied out, at most BBTF__WALK_MAX steps.  Own types count only
 * below index @located (the validator's walks see just the records it
 * has located; everyone else passes btf->nr).  *@first, if @first is
 * set, gets the first type that is not a modifier or typedef.
 */
int64_t bbtf__size_walk(const struct bbtf *btf, uint32_t located, uint32_t id,
			const struct btf_type **first)
{
	const struct btf_type *f = NULL;
	uint64_t mult = 1;

	for (int depth = 0; depth < BBTF__WALK_MAX; depth++) {
		const struct btf_type *t;
		uint64_t size;

		if (id >= btf->start_id)
			t = id - btf->start_id < located
				    ? (const void *)(btf->types + btf->offs[id - btf->start_id])
				    : NULL;
		else
			t = bbtf_type_by_id(btf, id);
		if (!t)
			return -EINVAL;
		switch (bbtf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			size = t->size;
			break;
		case BTF_KIND_PTR:
			size = sizeof(uint64_t);        /* BPF and every 64-bit kernel */
			break;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_VAR:
			if (!f)
				f = t;
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (!f)
				f = t;
			mult *= bbtf_array(t)->nelems;
			if (mult > UINT32_MAX)
				mult = (uint64_t)UINT32_MAX + 1;       /* sticky overflow */
			id = bbtf_array(t)->type;
			continue;
		default:
			return -EINVAL;
		}
		if (first)
			*first = f ? f : t;
		size *= mult;
		return size > UINT32_MAX ? -E2BIG : (int64_t)size;
	}
	return -EINVAL;
}

int64_t bbtf_resolve_size(const struct bbtf *btf, uint32_t id)
{
	return bbtf__size_walk(btf, btf->nr, id, NULL);
}

/* Bitfield width of member @i (0 if not a bitfield): kind_flag encoding,
 * or the old one, an INT member narrower than its size. */
uint32_t bbtf__member_bitfield(const struct bbtf *btf, const struct btf_type *t, int i,
			       uint32_t *bit_off)
{
	const struct btf_type *mt;
	uint32_t d;
	int id;

	*bit_off = bbtf_member_bit_offset(t, i);
	if (bbtf_kflag(t))
		return bbtf_member_bitfield_size(t, i);
	id = bbtf_skip_mods(btf, bbtf_members(t)[i].type);
	mt = id > 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;
	if (!mt || bbtf_kind(mt) != BTF_KIND_INT)
		return 0;
	d = bbtf_int_data(mt);
	if (!BTF_INT_OFFSET(d) && BTF_INT_BITS(d) == mt->size * 8)
		return 0;
	*bit_off += BTF_INT_OFFSET(d);
	return BTF_INT_BITS(d);
}

static int align_depth(const struct bbtf *btf, uint32_t id, int depth, bool *packed_out);

/* Alignment of a struct/union from its members, and whether its BTF
 * offsets can only come from a packed layout: a non-bitfield member off
 * its natural alignment, a bitfield straddling its storage unit, or a
 * size that is not a multiple of the alignment. */
static int struct_layout(const struct bbtf *btf, const struct btf_type *t, int depth,
			 bool *packed)
{
	int best = 1;

	*packed = false;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		uint32_t off, bf = bbtf__member_bitfield(btf, t, i, &off);
		int a = align_depth(btf, bbtf_members(t)[i].type, depth + 1, NULL);
		int64_t sz;

		if (a < 0)
			return a;
		if (a > best)
			best = a;
		if (!bf && off % (8u * (uint32_t)a))
			*packed = true;
		if (bf) {
			sz = bbtf_resolve_size(btf, bbtf_members(t)[i].type);
			if (sz > 0 && (off % (uint32_t)(sz * 8)) + bf > (uint64_t)sz * 8)
				*packed = true;
		}
	}
	if (t->size % (uint32_t)best)
		*packed = true;
	return best;
}

/* Memo byte: bit 7 computed, bit 4 packed, bits 0-3 natural alignment. */
static int align_depth(const struct bbtf *btf, uint32_t id, int depth, bool *packed_out)
{
	const struct btf_type *t;
	const struct bbtf *owner = btf;
	uint8_t *memo = NULL;
	bool packed;
	int best;

	if (packed_out)
		*packed_out = false;
	if (depth > BBTF__WALK_MAX)
		return -EINVAL;
	t = bbtf_type_by_id(btf, id);
	if (!t)
		return -EINVAL;
	switch (bbtf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		/* __int128 and long double are 16-byte aligned on x86-64 but
		 * 8 on BPF, where this header is compiled. */
		return t->size >= 8 ? 8 : (t->size ? (int)t->size : 1);
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
		return align_depth(btf, t->type, depth + 1, NULL);
	case BTF_KIND_ARRAY:
		return align_depth(btf, bbtf_array(t)->type, depth + 1, NULL);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		while (id < owner->start_id)
			owner = owner->base;
		/* The memo is a cache, not state: filling it through a const
		 * pointer changes no observable value. */
		if (!owner->align_memo)
			((struct bbtf *)owner)->align_memo = calloc(owner->nr ? owner->nr : 1, 1);
		memo = owner->align_memo ? &owner->align_memo[id - owner->start_id] : NULL;
		if (memo && (*memo & 0x80)) {
			packed = *memo & 0x10;
			best = *memo & 0x0f;
		} else {
			best = struct_layout(btf, t, depth, &packed);
			if (best < 0)
				return best;
			if (memo)
				*memo = (uint8_t)(0x80 | (packed ? 0x10 : 0) | best);
		}
		if (packed_out) {
			*packed_out = packed;
			return best;
		}
		/* A packed struct is byte-aligned where it is embedded. */
		return packed ? 1 : best;
	default:
		return -EINVAL;
	}
}

int bbtf_align(const struct bbtf *btf, uint32_t id)
{
	return align_depth(btf, id, 0, NULL);
}

int bbtf__struct_align(const struct bbtf *btf, uint32_t id, bool *packed)
{
	return align_depth(btf, id, 0, packed);
}

void bbtf_stats(const struct bbtf *btf, struct bbtf_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->types = btf->nr;
	st->str_len = (uint32_t)btf->strs_len;
	for (uint32_t i = 0; i < btf->nr; i++) {
		const struct btf_type *t = (const void *)(btf->types + btf->offs[i]);

		st->kinds[bbtf_kind(t)]++;
	}
}
