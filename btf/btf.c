/* SPDX-License-Identifier: MIT */
/*
 * btf/btf.c - parse and validate raw BTF; type accessors.
 *
 * Parsing is two steps.  "Locate" walks the type section once, checking
 * only that each record's fixed part and its vlen-sized tail fit, and
 * records every type's offset.  "Validate" then checks each record
 * against the kernel's rules (docs.kernel.org/bpf/btf.html): per-kind
 * fields, names, every referenced id in range and of a kind that may be
 * referenced there, reference cycles, and sizes.  Validation can look at
 * any type by id because all are located first; that is what lets one
 * pass check "member 3 of struct 7 is a bitfield of an INT" no matter
 * which comes first in the file.
 *
 * bbtf_parse() first runs a fast path (fast_parse(), near the end) that
 * does both steps as one pass plus short sweeps and only answers "valid
 * or not"; the two steps above run when it says "not", to word the first
 * error.
 *
 * Cycles.  C lets a type refer to itself only through a pointer (and the
 * pointer's target is then named by its tag).  Two graphs are checked:
 *  - every reference except a pointer's target ("typedef A -> const A",
 *    a struct containing itself by value): a size or a declaration would
 *    never finish;
 *  - every reference, but not out of a named struct/union/enum/fwd/typedef
 *    (which C code names instead of spelling out): a cycle left over runs
 *    only through anonymous types, which no C declaration can write, and
 *    the C dumper would recurse forever on it.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char *const kind_names[] = {
	[BTF_KIND_UNKN] = "UNKNOWN",
	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",
	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",
	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

const char *bbtf_kind_str(int kind)
{
	if (kind < 0 || kind > BBTF_KIND_MAX)
		return "UNKNOWN";
	return kind_names[kind];
}

size_t bbtf__extra_size(const struct btf_type *t)
{
	size_t vlen = bbtf_vlen(t);

	switch (bbtf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	default:
		return 0;
	}
}

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

int bbtf__type_err(const struct bbtf *b, struct bb_err *e, uint32_t id,
		   const char *fmt, ...)
{
	const struct btf_type *t = bbtf_type_by_id(b, id);
	char head[160], msg[BB_ERR_MSG_MAX];
	const char *name = t ? bbtf_name(b, t->name_off) : "";
	va_list ap;

	if (!e)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t)
		snprintf(head, sizeof(head), "type [%u]", id);
	else if (!name)
		snprintf(head, sizeof(head), "type [%u] %s <name offset %u out of range>", id,
			 bbtf_kind_str(bbtf_kind(t)), t->name_off);
	else if (!*name)
		snprintf(head, sizeof(head), "type [%u] %s", id, bbtf_kind_str(bbtf_kind(t)));
	else
		snprintf(head, sizeof(head), "type [%u] %s '%.64s'", id,
			 bbtf_kind_str(bbtf_kind(t)), name);
	return bb_err_insn(e, -EINVAL, -1, "%s: %s", head, msg);
}

/* Depth limit for walks over types that may not have been validated yet
 * (builder output): deeper than any real C type, small enough for the
 * stack. */
#define WALK_MAX 256

int bbtf_skip_mods(const struct bbtf *btf, uint32_t id)
{
	for (int depth = 0; depth < WALK_MAX; depth++) {
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

int64_t bbtf_resolve_size(const struct bbtf *btf, uint32_t id)
{
	uint64_t mult = 1;

	for (int depth = 0; depth < WALK_MAX; depth++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);
		uint64_t size;

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
		case BTF_KIND_VAR:
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			mult *= bbtf_array(t)->nelems;
			if (mult > UINT32_MAX)
				mult = (uint64_t)UINT32_MAX + 1;       /* sticky overflow */
			id = bbtf_array(t)->type;
			continue;
		default:
			return -EINVAL;
		}
		size *= mult;
		return size > UINT32_MAX ? -E2BIG : (int64_t)size;
	}
	return -EINVAL;
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
	if (depth > WALK_MAX)
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

/* ---------------------------------------------------------------- */
/* References                                                        */
/* ---------------------------------------------------------------- */

static uint32_t ref_count(const struct btf_type *t)
{
	switch (bbtf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 1;
	case BTF_KIND_ARRAY:
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		return bbtf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		return 1u + bbtf_vlen(t);
	default:
		return 0;
	}
}

static uint32_t ref_at(const struct btf_type *t, uint32_t k, bool *strong)
{
	*strong = true;
	switch (bbtf_kind(t)) {
	case BTF_KIND_PTR:
		*strong = false;
		return t->type;
	case BTF_KIND_ARRAY:
		return k ? bbtf_array(t)->index_type : bbtf_array(t)->type;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return bbtf_members(t)[k].type;
	case BTF_KIND_DATASEC:
		return bbtf_secinfos(t)[k].type;
	case BTF_KIND_FUNC_PROTO:
		return k ? bbtf_params(t)[k - 1].type : t->type;
	default:
		return t->type;
	}
}

int bbtf__for_each_ref(const struct btf_type *t, bbtf__ref_fn fn, void *ctx)
{
	uint32_t n = ref_count(t);

	for (uint32_t k = 0; k < n; k++) {
		bool strong;
		uint32_t ref = ref_at(t, k, &strong);
		int ret = fn(ref, strong, ctx);

		if (ret)
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Validation                                                        */
/* ---------------------------------------------------------------- */

/*
 * Speed.  vmlinux has ~126k types, ~700k names and ~600k references, so
 * validation is a few linear passes whose inner loops look things up in
 * small tables instead of calling accessors:
 *  - one byte per own type holds its kind (struct vtab.kinds), so "what
 *    does this reference point at" reads a 126 KiB array instead of
 *    following offs[] into 3 MiB of records through bbtf_type_by_id()
 *    (a cache miss and a base-chain loop per member; ~10% of the parse);
 *  - whether a name is a C identifier is remembered per string offset
 *    (one bit, vtab.ident_ok), so each distinct string is scanned once:
 *    vmlinux names its members "next", "flags", "list" thousands of times
 *    and the per-use scan was a quarter of the parse;
 *  - the cycle checks read a type's references as (first, stride, count)
 *    straight from the record and do not push types that cannot have an
 *    edge in the graph being checked (their kind says so);
 *  - a member's size, kind and bitfield width come from one walk down
 *    its typedef/modifier/array chain instead of three.
 * Messages are formatted only on the error path, where the slow helpers
 * below are called again to say what is wrong.
 */

/* Bit 0: may start an identifier, bit 1: may continue one.  A table, not
 * isalpha(): the locale-aware calls showed up in profiles. */
static const uint8_t ident_tab[256] = {
	['_'] = 3, ['a' ... 'z'] = 3, ['A' ... 'Z'] = 3, ['0' ... '9'] = 2,
};

static bool is_identifier(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!p || !(ident_tab[*p] & 1))
		return false;
	for (p++; ident_tab[*p] & 2; p++)
		;
	return *p == '\0';
}

typedef uint8_t v16u8 __attribute__((vector_size(16)));

/* Mask (0xff per byte) of the bytes of @v that cannot continue an
 * identifier.  GCC vector extensions: SSE2 on x86-64, NEON on arm64. */
static inline v16u8 non_ident16(v16u8 v)
{
	v16u8 lower = v | 0x20;                 /* 'A'-'Z' -> 'a'-'z' */
	v16u8 ok = (v16u8)((v16u8)(lower - 'a') <= 25) | (v16u8)((v16u8)(v - '0') <= 9) |
		   (v16u8)(v == '_');

	return ~ok;
}

/*
 * is_identifier() for own string @rel of @b, 16 bytes at a time while 16
 * bytes remain in the section (so the load never runs past it): vmlinux
 * has 2.3 MB of names and the byte loop was an eighth of the parse.
 */
static bool is_identifier_at(const struct bbtf *b, uint32_t rel)
{
	const char *s = b->strs + rel;
	size_t i = 1;

	if (!(ident_tab[(unsigned char)*s] & 1))
		return false;
	while (rel + i + 16 <= b->strs_len) {
		v16u8 v, bad;
		uint64_t lo, hi;

		memcpy(&v, s + i, 16);
		bad = non_ident16(v);
		memcpy(&lo, &bad, 8);
		memcpy(&hi, (const uint8_t *)&bad + 8, 8);
		if (lo | hi) {
			size_t at = lo ? (size_t)__builtin_ctzll(lo) / 8 : 8 + (size_t)__builtin_ctzll(hi) / 8;

			return s[i + at] == '\0';
		}
		i += 16;
	}
	/* The last bytes one at a time (the section ends with a NUL). */
	for (s += i; ident_tab[(unsigned char)*s] & 2; s++)
		;
	return *s == '\0';
}

/* Kinds that stand for a value of some type (so a member, array element,
 * pointee, typedef target, parameter or variable may be one). */
#define VALUE_KINDS (((1u << (BBTF_KIND_MAX + 1)) - 1) &                         \
		     ~((1u << BTF_KIND_UNKN) | (1u << BTF_KIND_FUNC) |             \
		       (1u << BTF_KIND_VAR) | (1u << BTF_KIND_DATASEC) |            \
		       (1u << BTF_KIND_DECL_TAG)))

static bool is_value_kind(int kind)
{
	return kind >= 0 && kind <= BBTF_KIND_MAX && ((VALUE_KINDS >> kind) & 1);
}

struct vctx {
	const struct bbtf *b;
	struct bb_err *e;
	uint32_t id;                    /* type being checked */
	const struct btf_type *t;
	uint32_t cnt;                   /* bbtf_type_cnt() */
	const uint8_t *kinds;           /* kinds[i]: kind of own type i */
	uint8_t *ident_ok;              /* bit per own string offset: is an identifier */
};

#define TERR(v, ...) bbtf__type_err((v)->b, (v)->e, (v)->id, __VA_ARGS__)

/* Kind of type @ref, 0 < @ref < cnt. */
static inline int ref_kind(const struct vctx *v, uint32_t ref)
{
	if (ref >= v->b->start_id)
		return v->kinds[ref - v->b->start_id];
	return bbtf_kind(bbtf_type_by_id(v->b->base, ref));
}

/* A type by id without the base-chain loop for own ids. */
static inline const struct btf_type *vtype(const struct bbtf *b, uint32_t id)
{
	if (id >= b->start_id && id - b->start_id < b->nr)
		return (const void *)(b->types + b->offs[id - b->start_id]);
	return bbtf_type_by_id(b, id);
}

/* "member 3" or "typedef": what an error is about.  Only formatted on
 * the error path (snprintf per member was a tenth of vmlinux's parse). */
struct what {
	char s[40];
};

static const char *what_str(struct what *w, const char *label, int idx)
{
	if (idx < 0)
		snprintf(w->s, sizeof(w->s), "%s", label);
	else
		snprintf(w->s, sizeof(w->s), "%s %d", label, idx);
	return w->s;
}

/* rule: 0 must be empty, 1 may be empty else identifier, 2 identifier,
 * 3 non-empty string. */
static int check_name_slow(struct vctx *v, uint32_t off, const char *label, int idx, int rule)
{
	const char *s = bbtf_name(v->b, off);
	struct what w;

	if (!s)
		return TERR(v, "%s name offset %u out of range (strings end at %u)",
			    what_str(&w, label, idx), off, bbtf__str_end(v->b));
	switch (rule) {
	case 0:
		if (*s)
			return TERR(v, "%s must be anonymous", what_str(&w, label, idx));
		return 0;
	case 1:
		if (*s && !is_identifier(s))
			return TERR(v, "%s name '%.64s' is not a C identifier",
				    what_str(&w, label, idx), s);
		return 0;
	case 2:
		if (!is_identifier(s))
			return TERR(v, "%s name '%.64s' is not a C identifier",
				    what_str(&w, label, idx), s);
		return 0;
	default:
		if (!*s)
			return TERR(v, "%s needs a name", what_str(&w, label, idx));
		return 0;
	}
}

/* @label/@idx name the thing for messages (idx -1: no number).  The fast
 * path answers for own strings; anything else, and every failure, goes
 * through check_name_slow(). */
static inline int check_name(struct vctx *v, uint32_t off, const char *label, int idx, int rule)
{
	const struct bbtf *b = v->b;
	uint32_t rel = off - b->str_start;
	const char *s;

	if (off < b->str_start || rel >= b->strs_len)
		return check_name_slow(v, off, label, idx, rule);
	s = b->strs + rel;
	switch (rule) {
	case 0:
		if (!*s)
			return 0;
		break;
	case 1:
	case 2:
		if (v->ident_ok[rel >> 3] & (1u << (rel & 7)))
			return 0;
		if (!*s && rule == 1)
			return 0;
		if (is_identifier_at(b, rel)) {
			v->ident_ok[rel >> 3] |= (uint8_t)(1u << (rel & 7));
			return 0;
		}
		break;
	default:
		if (*s)
			return 0;
		break;
	}
	return check_name_slow(v, off, label, idx, rule);
}

static int check_ref_slow(struct vctx *v, uint32_t ref, const char *label, int idx,
			  bool allow_void, bool allow_proto)
{
	const struct btf_type *r;
	struct what w;

	if (ref >= v->cnt)
		return TERR(v, "%s type id %u out of range (last id %u)", what_str(&w, label, idx),
			    ref, v->cnt - 1);
	if (ref == 0) {
		if (!allow_void)
			return TERR(v, "%s cannot be void", what_str(&w, label, idx));
		return 0;
	}
	r = bbtf_type_by_id(v->b, ref);
	if (!is_value_kind(bbtf_kind(r)))
		return TERR(v, "%s refers to [%u] %s, which is not a data type",
			    what_str(&w, label, idx), ref, bbtf_kind_str(bbtf_kind(r)));
	if (!allow_proto && bbtf_kind(r) == BTF_KIND_FUNC_PROTO)
		return TERR(v, "%s refers to [%u] FUNC_PROTO, which is not an object type",
			    what_str(&w, label, idx), ref);
	return 0;
}

/* @ref must be in range; @allow_void lets 0 through; the target must be a
 * value kind (and not a FUNC_PROTO unless @allow_proto). */
static inline int check_ref(struct vctx *v, uint32_t ref, const char *label, int idx,
			    bool allow_void, bool allow_proto)
{
	if (ref - 1u < v->cnt - 1u) {           /* 1 .. cnt-1 */
		int k = ref_kind(v, ref);

		if (((VALUE_KINDS >> k) & 1) && (allow_proto || k != BTF_KIND_FUNC_PROTO))
			return 0;
	} else if (ref == 0 && allow_void) {
		return 0;
	}
	return check_ref_slow(v, ref, label, idx, allow_void, allow_proto);
}

static int check_no_vlen_kflag(struct vctx *v, bool kflag_ok)
{
	if (bbtf_vlen(v->t))
		return TERR(v, "vlen %u must be 0", bbtf_vlen(v->t));
	if (!kflag_ok && bbtf_kflag(v->t))
		return TERR(v, "kind_flag must be 0");
	return 0;
}

static bool is_pow2_size(uint32_t s, uint32_t max)
{
	return s && s <= max && !(s & (s - 1));
}

static int check_int(struct vctx *v)
{
	uint32_t data = bbtf_int_data(v->t), enc = BTF_INT_ENCODING(data);
	uint32_t bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data);
	int ret;

	if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, v->t->name_off, "int", -1, 3)))
		return ret;
	if (!is_pow2_size(v->t->size, 16))
		return TERR(v, "size %u is not 1, 2, 4, 8 or 16", v->t->size);
	if (data & ~0x0fff00ffu)
		return TERR(v, "int data %#x sets reserved bits", data);
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return TERR(v, "int encoding %#x is not one of signed, char, bool", enc);
	if (!bits || bits > 128)
		return TERR(v, "int nr_bits %u is not 1..128", bits);
	if (off + bits > v->t->size * 8)
		return TERR(v, "int offset %u + nr_bits %u exceed size %u bytes", off, bits,
			    v->t->size);
	return 0;
}

static int check_members(struct vctx *v)
{
	const struct btf_type *t = v->t;
	int ret;

	if ((ret = check_name(v, t->name_off, "struct", -1, 1)))
		return ret;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		const struct btf_member *m = &bbtf_members(t)[i];

		if ((ret = check_name(v, m->name_off, "member", i, 1)) ||
		    (ret = check_ref(v, m->type, "member", i, false, false)))
			return ret;
	}
	return 0;
}

static int check_enum(struct vctx *v)
{
	const struct btf_type *t = v->t;
	bool is64 = bbtf_kind(t) == BTF_KIND_ENUM64;
	int ret;

	if ((ret = check_name(v, t->name_off, "enum", -1, 1)))
		return ret;
	if (!is_pow2_size(t->size, 8))
		return TERR(v, "size %u is not 1, 2, 4 or 8", t->size);
	for (int i = 0; i < bbtf_vlen(t); i++) {
		uint32_t off = is64 ? bbtf_enums64(t)[i].name_off : bbtf_enums(t)[i].name_off;

		if ((ret = check_name(v, off, "value", i, 2)))
			return ret;
	}
	return 0;
}

static int check_proto(struct vctx *v)
{
	const struct btf_type *t = v->t;
	uint16_t n = bbtf_vlen(t);
	int ret;

	if (bbtf_kflag(t))
		return TERR(v, "kind_flag must be 0");
	if ((ret = check_name(v, t->name_off, "func_proto", -1, 0)) ||
	    (ret = check_ref(v, t->type, "return", -1, true, false)))
		return ret;
	for (int i = 0; i < n; i++) {
		const struct btf_param *p = &bbtf_params(t)[i];

		if ((ret = check_name(v, p->name_off, "param", i, 1)))
			return ret;
		if (!p->type && i == n - 1) {
			/* "..." is a last, unnamed, void parameter. */
			if (p->name_off)
				return TERR(v, "variadic param %d must be anonymous", i);
			continue;
		}
		if ((ret = check_ref(v, p->type, "param", i, false, false)))
			return ret;
	}
	return 0;
}

static int check_datasec(struct vctx *v)
{
	const struct btf_type *t = v->t;
	uint64_t prev_end = 0;
	int ret;

	if (bbtf_kflag(t))
		return TERR(v, "kind_flag must be 0");
	if ((ret = check_name(v, t->name_off, "datasec", -1, 3)))
		return ret;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		const struct btf_var_secinfo *s = &bbtf_secinfos(t)[i];
		uint64_t end = (uint64_t)s->offset + s->size;
		const struct btf_type *r;

		if (s->type >= v->cnt || !s->type)
			return TERR(v, "var %d type id %u out of range (last id %u)", i, s->type,
				    v->cnt - 1);
		r = bbtf_type_by_id(v->b, s->type);
		if (bbtf_kind(r) != BTF_KIND_VAR && bbtf_kind(r) != BTF_KIND_FUNC)
			return TERR(v, "var %d refers to [%u] %s, not a VAR", i, s->type,
				    bbtf_kind_str(bbtf_kind(r)));
		/* An object file's sections have size 0 until the loader
		 * fills it in from the ELF section; only check when set. */
		if (t->size && end > t->size)
			return TERR(v, "var %d at offset %u size %u ends past section size %u",
				    i, s->offset, s->size, t->size);
		if (t->size && s->offset < prev_end)
			return TERR(v, "var %d at offset %u overlaps the previous one", i,
				    s->offset);
		if (end > UINT32_MAX)
			return TERR(v, "var %d offset %u + size %u overflow", i, s->offset, s->size);
		prev_end = end;
	}
	return 0;
}

static int check_decl_tag(struct vctx *v)
{
	const struct btf_type *t = v->t, *r;
	int32_t idx = bbtf_decl_tag(t)->component_idx;
	int ret;

	if (bbtf_vlen(t))
		return TERR(v, "vlen %u must be 0", bbtf_vlen(t));
	if ((ret = check_name(v, t->name_off, "decl_tag", -1, 3)))
		return ret;
	if (t->type >= v->cnt || !t->type)
		return TERR(v, "target type id %u out of range (last id %u)", t->type, v->cnt - 1);
	r = bbtf_type_by_id(v->b, t->type);
	switch (bbtf_kind(r)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (idx >= bbtf_vlen(r))
			return TERR(v, "component_idx %d out of range (%u members)", idx,
				    bbtf_vlen(r));
		break;
	case BTF_KIND_FUNC: {
		const struct btf_type *p = bbtf_type_by_id(v->b, r->type);

		if (idx >= 0 && (!p || bbtf_kind(p) != BTF_KIND_FUNC_PROTO || idx >= bbtf_vlen(p)))
			return TERR(v, "component_idx %d is not a parameter of [%u]", idx,
				    t->type);
		break;
	}
	case BTF_KIND_VAR:
	case BTF_KIND_TYPEDEF:
		if (idx != -1)
			return TERR(v, "component_idx %d must be -1 for a %s", idx,
				    bbtf_kind_str(bbtf_kind(r)));
		break;
	default:
		return TERR(v, "target [%u] %s cannot carry a decl tag", t->type,
			    bbtf_kind_str(bbtf_kind(r)));
	}
	if (idx < -1)
		return TERR(v, "component_idx %d is below -1", idx);
	return 0;
}

static int check_meta(struct vctx *v)
{
	const struct btf_type *t = v->t;
	int kind = bbtf_kind(t), ret;

	switch (kind) {
	case BTF_KIND_INT:
		return check_int(v);
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
		if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, t->name_off, "modifier", -1, 0)))
			return ret;
		return check_ref(v, t->type, "target", -1, true, true);
	case BTF_KIND_TYPEDEF:
		if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, t->name_off, "typedef", -1, 2)))
			return ret;
		return check_ref(v, t->type, "target", -1, true, true);
	case BTF_KIND_TYPE_TAG:
		/* kind_flag 1 (6.14+) means the tag is an __attribute__. */
		if ((ret = check_no_vlen_kflag(v, true)) || (ret = check_name(v, t->name_off, "type_tag", -1, 3)))
			return ret;
		return check_ref(v, t->type, "target", -1, true, true);
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = bbtf_array(t);
		int idx;

		if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, t->name_off, "array", -1, 0)))
			return ret;
		if (t->size)
			return TERR(v, "size/type field %u must be 0", t->size);
		if ((ret = check_ref(v, a->type, "element", -1, false, false)) ||
		    (ret = check_ref(v, a->index_type, "index", -1, false, false)))
			return ret;
		/* A bad chain behind the index type is reported at its own type. */
		idx = bbtf_skip_mods(v->b, a->index_type);
		if (idx > 0 && bbtf_kind(bbtf_type_by_id(v->b, (uint32_t)idx)) != BTF_KIND_INT)
			return TERR(v, "index type [%u] is not an integer", a->index_type);
		return 0;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return check_members(v);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return check_enum(v);
	case BTF_KIND_FWD:
		if (bbtf_vlen(t))
			return TERR(v, "vlen %u must be 0", bbtf_vlen(t));
		return check_name(v, t->name_off, "fwd", -1, 2);
	case BTF_KIND_FUNC: {
		const struct btf_type *p;

		if (bbtf_kflag(t))
			return TERR(v, "kind_flag must be 0");
		if (bbtf_vlen(t) > BTF_FUNC_EXTERN)
			return TERR(v, "linkage %u is not static, global or extern", bbtf_vlen(t));
		if ((ret = check_name(v, t->name_off, "func", -1, 2)))
			return ret;
		if (t->type >= v->cnt)
			return TERR(v, "proto type id %u out of range (last id %u)", t->type, v->cnt - 1);
		p = bbtf_type_by_id(v->b, t->type);
		if (!t->type || bbtf_kind(p) != BTF_KIND_FUNC_PROTO)
			return TERR(v, "type [%u] %s is not a FUNC_PROTO", t->type,
				    bbtf_kind_str(bbtf_kind(p)));
		return 0;
	}
	case BTF_KIND_FUNC_PROTO:
		return check_proto(v);
	case BTF_KIND_VAR:
		if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, t->name_off, "var", -1, 3)))
			return ret;
		if (bbtf_var(t)->linkage > BTF_VAR_GLOBAL_EXTERN)
			return TERR(v, "linkage %u is not static, global or extern", bbtf_var(t)->linkage);
		/* "extern const void sym __ksym;" (a typeless ksym) is a VAR
		 * of (const) void; the loader resolves it by name. */
		return check_ref(v, t->type, "var", -1,
				 bbtf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN, false);
	case BTF_KIND_DATASEC:
		return check_datasec(v);
	case BTF_KIND_FLOAT:
		if ((ret = check_no_vlen_kflag(v, false)) || (ret = check_name(v, t->name_off, "float", -1, 3)))
			return ret;
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
			return TERR(v, "size %u is not 2, 4, 8, 12 or 16", t->size);
		return 0;
	case BTF_KIND_DECL_TAG:
		return check_decl_tag(v);
	default:
		return TERR(v, "unknown kind %d", kind);
	}
}

/* Size in bits of a member's type for the layout checks, and whether it
 * may be a bitfield (integers and enums).  One walk down the chain does
 * what bbtf_resolve_size() and bbtf_skip_mods() did in two, with the same
 * depth limit and results: -EINVAL (no size, too deep), -E2BIG. */
static int member_bits(const struct bbtf *b, uint32_t type, uint64_t *bits, bool *intlike)
{
	const struct btf_type *first = NULL;    /* first non-modifier: what skip_mods gives */
	uint64_t mult = 1, size;
	uint32_t id = type;
	int k;

	for (int depth = 0;; depth++) {
		const struct btf_type *t;

		if (depth >= WALK_MAX)
			return -EINVAL;
		t = vtype(b, id);
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
			size = sizeof(uint64_t);
			break;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_VAR:
			if (!first)
				first = t;
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (!first)
				first = t;
			mult *= bbtf_array(t)->nelems;
			if (mult > UINT32_MAX)
				mult = (uint64_t)UINT32_MAX + 1;       /* sticky overflow */
			id = bbtf_array(t)->type;
			continue;
		default:
			return -EINVAL;
		}
		if (!first)
			first = t;
		break;
	}
	size *= mult;
	if (size > UINT32_MAX)
		return -E2BIG;
	k = bbtf_kind(first);
	*intlike = k == BTF_KIND_INT || k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
	*bits = size * 8;
	/* Old-style bitfield: kind_flag 0, an INT narrower than its size. */
	if (k == BTF_KIND_INT) {
		uint32_t d = bbtf_int_data(first);

		*bits = BTF_INT_OFFSET(d) + BTF_INT_BITS(d);
	}
	return 0;
}

static int check_layout(struct vctx *v)
{
	const struct btf_type *t = v->t;
	int kind = bbtf_kind(t);
	int64_t size;

	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const struct btf_member *m = &bbtf_members(t)[i];
			uint32_t off = bbtf_member_bit_offset(t, i);
			uint32_t bf = bbtf_member_bitfield_size(t, i);
			uint64_t bits = 0;
			bool intlike = false;
			int ret = member_bits(v->b, m->type, &bits, &intlike);

			if (ret == -E2BIG)
				return TERR(v, "member %d type [%u] size overflows", i, m->type);
			if (ret)
				return TERR(v, "member %d type [%u] has no size", i, m->type);
			if (bf) {
				if (!intlike)
					return TERR(v, "member %d bitfield of a non-integer type [%u]",
						    i, m->type);
				if (bf > bits)
					return TERR(v, "member %d bitfield_size %u exceeds its type's %u bits",
						    i, bf, (unsigned)bits);
				bits = bf;
			} else if (off % 8 && !(intlike && bits % 8)) {
				return TERR(v, "member %d bit offset %u is not byte aligned", i, off);
			}
			if (off + bits > (uint64_t)t->size * 8)
				return TERR(v, "member %d at bit %u size %u bits ends past struct size %u",
					    i, off, (unsigned)bits, t->size);
		}
		return 0;
	case BTF_KIND_VAR:
		/* clang writes a typeless ksym (`extern const void sym __ksym;`)
		 * as an extern VAR of (const) void: a valid object file, which
		 * the ELF module retypes to int before the kernel sees it, as
		 * libbpf does.  Any other VAR needs a size. */
		if (bbtf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN && bbtf_skip_mods(v->b, t->type) == 0)
			return 0;
		/* fallthrough */
	case BTF_KIND_ARRAY:
		size = bbtf_resolve_size(v->b, v->id);
		if (size == -E2BIG)
			return TERR(v, "size overflows 32 bits");
		if (size < 0)
			return TERR(v, "element type has no size");
		return 0;
	default:
		return 0;
	}
}

/* The references a record holds are type ids at a fixed stride: a
 * modifier's, typedef's, func's, var's or decl tag's one `type`; an
 * array's element and index types (adjacent); every member's or
 * secinfo's type (12-byte records); a prototype's return type at byte 8
 * and its params' types at 16, 24, ... (8-byte records after the
 * 12-byte head).  ref_span() gives (first, stride, count) for them in
 * the order ref_at() numbers them. */
_Static_assert(sizeof(struct btf_type) == 12 && offsetof(struct btf_type, type) == 8,
	       "btf_type layout");
_Static_assert(sizeof(struct btf_member) == 12 && offsetof(struct btf_member, type) == 4,
	       "btf_member layout");
_Static_assert(sizeof(struct btf_var_secinfo) == 12 && offsetof(struct btf_var_secinfo, type) == 0,
	       "btf_var_secinfo layout");
_Static_assert(sizeof(struct btf_param) == 8 && offsetof(struct btf_param, type) == 4,
	       "btf_param layout");
_Static_assert(offsetof(struct btf_array, index_type) == 4, "btf_array layout");

static inline uint32_t ref_span(const struct btf_type *t, int kind, const uint8_t **first,
			 uint32_t *stride)
{
	const uint8_t *rec = (const uint8_t *)t;

	*stride = 4;
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		*first = rec + 8;
		return 1;
	case BTF_KIND_ARRAY:
		*first = rec + 12;
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*first = rec + 12 + 4;
		*stride = 12;
		return bbtf_vlen(t);
	case BTF_KIND_DATASEC:
		*first = rec + 12;
		*stride = 12;
		return bbtf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		*first = rec + 8;
		*stride = 8;
		return 1u + bbtf_vlen(t);
	default:
		return 0;
	}
}

/* Kinds with no edge in either graph, and (graph 1) PTR, whose one edge
 * is the weak one: such types are finished as soon as they are reached. */
#define LEAF_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64) | \
		    (1u << BTF_KIND_FWD) | (1u << BTF_KIND_FLOAT))

struct cframe {
	const uint8_t *next;    /* next reference to visit */
	uint32_t left;          /* references left */
	uint32_t stride;        /* bytes between references */
	uint32_t idx;           /* own index */
};

/* Edges of own type @idx in the graph @anon selects; 0 if none. */
static uint32_t cycle_edges(const struct bbtf *b, const uint8_t *kinds, uint32_t idx, bool anon,
			    struct cframe *f)
{
	int kind = kinds[idx];
	const struct btf_type *t;

	if ((LEAF_KINDS >> kind) & 1)
		return 0;
	if (!anon && kind == BTF_KIND_PTR)
		return 0;
	t = (const void *)(b->types + b->offs[idx]);
	if (anon && t->name_off &&
	    (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_TYPEDEF))
		return 0;
	f->idx = idx;
	f->left = ref_span(t, kind, &f->next, &f->stride);
	return f->left;
}

/*
 * Types that provably lie on no cycle, for both graphs at once: bit 0 for
 * the first graph, bit 1 for the second.  A cycle needs at least one
 * reference to an equal or higher id, and in vmlinux only ~4% of the
 * 265k references point that way.  So one sweep in id order marks a type
 * safe when every reference it has in the graph goes to a base type,
 * void, or an already-safe lower id; by induction a safe type reaches
 * only safe types, which form no cycle.  The DFS below then starts done
 * on them and walks only the rest (a few hundred types in vmlinux
 * instead of all 126k, each edge of which cost ~10 instructions).  It
 * still meets the unsafe types in the same order, so the loop it reports
 * is the one the full DFS would report.
 */
static inline __attribute__((always_inline)) unsigned int safe_bits(const struct bbtf *b, const uint8_t *kinds, const uint8_t *safe,
			      uint32_t i, bool first_sweep)
{
	const struct btf_type *t = (const void *)(b->types + b->offs[i]);
	int kind = kinds[i];
	const uint8_t *p;
	uint32_t n, stride;
	unsigned int acc = 3;

	n = ref_span(t, kind, &p, &stride);
	for (; n && acc; n--, p += stride) {
		uint32_t ref, r;

		memcpy(&ref, p, sizeof(ref));
		if (ref < b->start_id)
			continue;
		r = ref - b->start_id;
		/* The first sweep has not reached higher ids yet. */
		acc &= (r < i || !first_sweep) ? safe[r] : 0;
	}
	if (kind == BTF_KIND_PTR)
		acc |= 1;       /* its one edge is weak: none in graph 1 */
	if (t->name_off &&
	    (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_TYPEDEF))
		acc |= 2;       /* cut in graph 2 */
	return acc;
}

/* Sweeps after the first (which the fast pass does inline). */
static void mark_acyclic_rounds(const struct bbtf *b, const uint8_t *kinds, uint8_t *safe)
{
	bool changed = true;

	/* Later sweeps revisit only the unsafe types, now also trusting
	 * safe higher ids (a type marked safe only points at types marked
	 * before it, so the marking order stays a topological order).  On
	 * vmlinux the first sweep leaves ~35k types per graph unproven, the
	 * second ~2k, the third ~300; a few rounds, then the DFS. */
	for (int round = 0; round < 4 && changed; round++) {
		changed = false;
		for (uint32_t i = 0; i < b->nr; i++) {
			unsigned int bits;

			if (safe[i] == 3)
				continue;
			bits = safe_bits(b, kinds, safe, i, false);
			if (bits != safe[i]) {
				safe[i] = (uint8_t)bits;
				changed = true;
			}
		}
	}
}

static void mark_acyclic(const struct bbtf *b, const uint8_t *kinds, uint8_t *safe)
{
	for (uint32_t i = 0; i < b->nr; i++)
		safe[i] = (LEAF_KINDS >> kinds[i]) & 1 ? 3 : (uint8_t)safe_bits(b, kinds, safe, i, true);
	mark_acyclic_rounds(b, kinds, safe);
}

/* Iterative DFS (a fuzzer's 100000-deep typedef chain must not blow the
 * stack), visiting references in ref_at() order so the loop reported is
 * the first one met in id order.  @anon selects the second graph
 * described at the top.  @safe is mark_acyclic()'s (its bits 2-3 mark
 * the DFS stack, so no separate color array is cleared per graph);
 * @stack has room for every own type. */
static int check_cycles(const struct bbtf *b, struct bb_err *e, const uint8_t *kinds,
			uint8_t *safe, struct cframe *stack, bool anon, const uint32_t *roots,
			uint32_t nroots)
{
	/* A type is done in this graph once its @done bit is set (safe
	 * ones start so), on the DFS stack while @onstack is. */
	uint8_t done = anon ? 2 : 1, onstack = anon ? 8 : 4;

	/* @roots (ascending own indices; NULL: all) lists the types not
	 * proven safe, so the DFS need not skip over the rest one by one. */
	for (uint32_t k = 0; k < (roots ? nroots : b->nr); k++) {
		uint32_t root = roots ? roots[k] : k, sp = 0;

		if (safe[root] & done)
			continue;
		if (!cycle_edges(b, kinds, root, anon, &stack[0])) {
			safe[root] |= done;
			continue;
		}
		safe[root] |= onstack;
		sp = 1;
		while (sp) {
			struct cframe *f = &stack[sp - 1];
			uint32_t ref, r;

			if (!f->left) {
				safe[f->idx] = (uint8_t)((safe[f->idx] & ~onstack) | done);
				sp--;
				continue;
			}
			memcpy(&ref, f->next, sizeof(ref));
			f->next += f->stride;
			f->left--;
			if (ref < b->start_id)
				continue;       /* base types cannot point back here */
			r = ref - b->start_id;
			if (safe[r] & onstack)
				return bbtf__type_err(b, e, b->start_id + f->idx,
						      anon ? "reference to [%u] closes a loop of anonymous types"
							   : "reference to [%u] closes a loop not broken by a pointer",
						      ref);
			if (safe[r] & done)
				continue;
			if (cycle_edges(b, kinds, r, anon, &stack[sp])) {
				safe[r] |= onstack;
				sp++;
			} else {
				safe[r] |= done;
			}
		}
	}
	return 0;
}

int bbtf__validate(const struct bbtf *b, struct bb_err *e)
{
	struct vctx v = { .b = b, .e = e, .cnt = bbtf_type_cnt(b) };
	size_t nr = b->nr ? b->nr : 1;
	uint8_t *kinds = NULL, *safe = NULL, *ident_ok = NULL;
	struct cframe *stack = NULL;
	int ret = 0;

	if (bbtf_type_cnt(b) > BTF_MAX_TYPE + 1)
		return bb_err_insn(e, -EINVAL, -1, "%u types exceed the BTF limit of %u",
				   bbtf_type_cnt(b) - 1, BTF_MAX_TYPE);
	if (!b->base && (!b->strs_len || b->strs[0]))
		return bb_err_insn(e, -EINVAL, -1, "string section must start with a NUL byte");
	if (b->strs_len && b->strs[b->strs_len - 1])
		return bb_err_insn(e, -EINVAL, -1, "string section must end with a NUL byte");
	if (bbtf__str_end(b) > BTF_MAX_NAME_OFFSET + 1u)
		return bb_err_insn(e, -EINVAL, -1, "string section of %u bytes exceeds the BTF limit",
				   bbtf__str_end(b));
	kinds = malloc(nr);
	safe = malloc(nr);
	ident_ok = calloc(b->strs_len / 8 + 1, 1);
	/* A frame per type at most; malloc'ed pages are only touched as
	 * deep as the deepest chain. */
	stack = malloc(nr * sizeof(*stack));
	if (!kinds || !safe || !ident_ok || !stack) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < b->nr; i++)
		kinds[i] = (uint8_t)bbtf_kind((const struct btf_type *)(b->types + b->offs[i]));
	v.kinds = kinds;
	v.ident_ok = ident_ok;
	for (uint32_t i = 0; i < b->nr; i++) {
		v.id = b->start_id + i;
		v.t = (const void *)(b->types + b->offs[i]);
		if ((ret = check_meta(&v)))
			goto out;
	}
	mark_acyclic(b, kinds, safe);
	if ((ret = check_cycles(b, e, kinds, safe, stack, false, NULL, 0)) ||
	    (ret = check_cycles(b, e, kinds, safe, stack, true, NULL, 0)))
		goto out;
	for (uint32_t i = 0; i < b->nr; i++) {
		v.id = b->start_id + i;
		v.t = (const void *)(b->types + b->offs[i]);
		if ((ret = check_layout(&v)))
			goto out;
	}
out:
	free(kinds);
	free(safe);
	free(ident_ok);
	free(stack);
	return ret;
}

int bbtf_validate(const struct bbtf *btf, struct bb_err *e)
{
	return bbtf__validate(btf, e);
}
/* ---------------------------------------------------------------- */
/* Fast path: locate and validate in one pass                        */
/* ---------------------------------------------------------------- */

/*
 * bbtf_parse() runs fast_parse() first: one pass over the type section
 * that locates every record and checks everything a record can say about
 * itself, then short sweeps over compact arrays for what needs other
 * types.  It only answers "valid or not".  Valid input, the case that
 * must be quick, never formats anything; invalid input is handed to
 * locate() + bbtf__validate() above, which find the same first error
 * as ever and word it.  So the rules live twice (here as a branch-light
 * boolean, above with messages); sanitizer builds (tests under MODE=san,
 * the fuzzers) run both on every input and trap on any disagreement.
 *
 * What this saves on vmlinux (126k types, 700k names, 300k references),
 * per phase, against the message-carrying validator above:
 *  - locate, kind table, meta checks and the first acyclicity sweep were
 *    four walks over 3 MiB of records through offs[]; now one, in file
 *    order (the hardware prefetcher streams it);
 *  - no vctx/label/index bookkeeping per member or parameter: a failing
 *    check just returns;
 *  - record sizes come from a two-entry table per kind, not a switch;
 *  - a reference to a lower id (96% of them) is checked at once against
 *    a kind byte; a forward one is queued (8 bytes) for one sweep at the
 *    end, instead of every reference going through ref_kind();
 *  - identifier names: one SIMD sweep over the string section marks the
 *    start of every string that is an identifier in a bitmap, so a name
 *    check is one bit test (the per-name memo lookup plus a 16-byte scan
 *    of each distinct string was 20% of the parse).  Offsets into the
 *    middle of a string take a scalar path that sets the bit on success.
 */

#define FAST_INVALID 1

/* Sanitizer builds (MODE=san tests, the fuzzers) check the two paths
 * against each other on every input they parse. */
#if defined(__SANITIZE_ADDRESS__)
#define BBTF_CROSSCHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BBTF_CROSSCHECK 1
#endif
#endif

/* Record size after struct btf_type: fixed + vlen * unit, per kind. */
static const uint8_t kind_fixed[32] = {
	[BTF_KIND_INT] = 4, [BTF_KIND_ARRAY] = sizeof(struct btf_array),
	[BTF_KIND_VAR] = 4, [BTF_KIND_DECL_TAG] = 4,
};
static const uint8_t kind_unit[32] = {
	[BTF_KIND_STRUCT] = sizeof(struct btf_member), [BTF_KIND_UNION] = sizeof(struct btf_member),
	[BTF_KIND_ENUM] = sizeof(struct btf_enum), [BTF_KIND_ENUM64] = sizeof(struct btf_enum64),
	[BTF_KIND_FUNC_PROTO] = sizeof(struct btf_param),
	[BTF_KIND_DATASEC] = sizeof(struct btf_var_secinfo),
};

/* What a reference may point at: bit k for kind k, bit 0 (BTF_KIND_UNKN,
 * the kind bbtf_type_by_id() gives id 0) for void. */
#define REF_VOID 1u
#define REF_ANY (VALUE_KINDS | REF_VOID)                        /* modifiers, typedef */
#define REF_OBJ (VALUE_KINDS & ~(1u << BTF_KIND_FUNC_PROTO))    /* members, elements */

struct fwd_ref {
	uint32_t idx;           /* own index referred to */
	uint32_t mask;          /* kinds allowed there */
};

struct fast {
	const struct bbtf *b;
	const char *strs;
	uint32_t strs_len, str_start, start;
	bool zero_empty;        /* offset 0 names "" (always, unless a base is odd) */
	uint64_t *ident;        /* bit per own string offset: a non-empty identifier starts there */
	uint8_t *kinds, *safe;
	uint32_t n;             /* types located so far */
	bool oom;
	struct bb_vec fwd;      /* struct fwd_ref: references to ids not located yet */
	struct bb_vec post;     /* uint32_t own index: needs other types' records */
	struct bb_vec work;     /* uint32_t own index: not proven acyclic yet */
	/* member_bits() of own types with a chain to follow (typedefs,
	 * modifiers, arrays): bits << 2 | intlike << 1 | 1, 0 until known.
	 * vmlinux's 67k members use a few thousand such types; walking the
	 * chain per member was 8% of the parse. */
	uint64_t *mbits;
};

/* bb_vec_push() minus the call and the memcpy() of the item: the pass
 * pushes ~30k small items on vmlinux and the generic push was 3% of it.
 * Sets f->oom and is false when memory runs out. */
#define FAST_PUSH(f, vec, type, item)                                           \
	(((vec)->len < (vec)->cap || !bb_vec_reserve((vec), (vec)->len + 1))    \
		 ? (((type *)(vec)->data)[(vec)->len++] = (item), true)         \
		 : ((f)->oom = true, false))

/*
 * The identifier bitmap.  Per 64-byte block, masks of NUL bytes and of
 * bytes that cannot be in an identifier; then one step per string (per
 * NUL found): it is an identifier if no bad byte lies between its start
 * and its NUL and its first byte may start one.  Words are written as
 * blocks are reached (no calloc); a string's bit lands at its start,
 * in the current or an earlier, already written, word.
 */
static inline void block_masks(const unsigned char *p, uint64_t *nul, uint64_t *bad)
{
	uint64_t z = 0, x = 0;

	for (int k = 0; k < 4; k++) {
		v16u8 v, isz, notid;
		unsigned int mz, mx;

		memcpy(&v, p + 16 * k, 16);
		isz = (v16u8)(v == 0);
		notid = non_ident16(v) & ~isz;
#ifdef __SSE2__
		mz = (unsigned int)_mm_movemask_epi8((__m128i)isz);
		mx = (unsigned int)_mm_movemask_epi8((__m128i)notid);
#else
		mz = mx = 0;
		for (int j = 0; j < 16; j++) {
			mz |= (unsigned int)(isz[j] & 1) << j;
			mx |= (unsigned int)(notid[j] & 1) << j;
		}
#endif
		z |= (uint64_t)mz << (16 * k);
		x |= (uint64_t)mx << (16 * k);
	}
	*nul = z;
	*bad = x;
}

static void ident_bitmap(const char *strs, uint32_t len, uint64_t *bits)
{
	const unsigned char *s = (const unsigned char *)strs;
	uint32_t start = 0;     /* current string's first byte */
	bool dirty = false;     /* a bad byte seen in it in earlier blocks */

	for (uint32_t base = 0; base < len; base += 64) {
		unsigned char tail[64];
		const unsigned char *p = s + base;
		uint64_t nul, bad;
		unsigned int lo = 0;    /* current string's first bit in this block */

		if (len - base >= 64) {
			block_masks(p, &nul, &bad);
		} else {
			/* The last block, padded with NULs that end no string. */
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p, len - base);
			block_masks(tail, &nul, &bad);
			nul &= (1ull << (len - base)) - 1;
		}
		bits[base / 64] = 0;
		while (nul) {
			unsigned int q = (unsigned int)__builtin_ctzll(nul);
			uint64_t seg = (q ? ~0ull >> (64 - q) : 0) & (~0ull << lo);

			if (!dirty && !(bad & seg) && (ident_tab[s[start]] & 1))
				bits[start / 64] |= 1ull << (start % 64);
			start = base + q + 1;
			dirty = false;
			lo = q + 1;
			nul &= nul - 1;
		}
		if (lo < 64 && (bad >> lo))
			dirty = true;
	}
}

/* Name rules as in check_name(): 0 must be empty, 1 empty or an
 * identifier, 2 identifier, 3 non-empty.  The bitmap answers the common
 * cases inline; this answers the rest (base strings, offsets inside a
 * string, empty strings, failures), remembering identifiers it finds. */
static __attribute__((noinline)) bool name_ok_slow(struct fast *f, uint32_t off, int rule)
{
	const char *s = bbtf_name(f->b, off);
	uint32_t rel = off - f->str_start;
	bool id;

	if (!s)
		return false;
	if (rule == 0)
		return !*s;
	if (rule == 3)
		return *s;
	if (rule == 1 && !*s)
		return true;
	id = is_identifier(s);
	if (id && off >= f->str_start)
		f->ident[rel / 64] |= 1ull << (rel % 64);
	return id;
}

static inline bool ident_bit(const struct fast *f, uint32_t off)
{
	uint32_t rel = off - f->str_start;

	return rel < f->strs_len && ((f->ident[rel / 64] >> (rel % 64)) & 1);
}

static inline bool name_ok(struct fast *f, uint32_t off, int rule)
{
	switch (rule) {
	case 0:
		if (!off && f->zero_empty)
			return true;
		break;
	case 1:
		if ((!off && f->zero_empty) || ident_bit(f, off))
			return true;
		break;
	default:
		if (ident_bit(f, off))
			return true;
		break;
	}
	return name_ok_slow(f, off, rule);
}

/* Reference @ref from the type being located (own index f->n) to a kind
 * in @mask.  Base ids and void are checked now; lower own ids against
 * their kind byte; higher ones are queued.  *acc collects the first
 * acyclicity sweep (see mark_acyclic()): a type stays safe only if all
 * its references are, and a queued one is not known yet. */
static inline bool ref_ok(struct fast *f, uint32_t ref, uint32_t mask, unsigned int *acc)
{
	uint32_t r = ref - f->start;

	if (ref >= f->start) {
		if (r < f->n) {
			*acc &= f->safe[r];
			return (mask >> f->kinds[r]) & 1;
		}
		*acc = 0;
		return FAST_PUSH(f, &f->fwd, struct fwd_ref, ((struct fwd_ref){ r, mask }));
	}
	if (!ref)
		return mask & REF_VOID;
	return (mask >> bbtf_kind(bbtf_type_by_id(f->b->base, ref))) & 1;
}

/* Queue the type being located for fast_post(). */
static inline bool post_add(struct fast *f)
{
	return FAST_PUSH(f, &f->post, uint32_t, f->n);
}

static inline bool pow2_upto(uint32_t s, uint32_t max)
{
	return s && s <= max && !(s & (s - 1));
}

/* The checks of check_meta() that only need the record itself (and the
 * kinds of lower ids); the rest go on f->post.  Returns false if the
 * record breaks a rule or memory ran out. */
static inline bool fast_record(struct fast *f, const struct btf_type *t, int kind,
			       uint32_t vlen, bool kflag, unsigned int *acc)
{
	const uint8_t *x = (const uint8_t *)(t + 1);

	switch (kind) {
	case BTF_KIND_INT: {
		uint32_t data, enc, bits;

		memcpy(&data, x, 4);
		enc = BTF_INT_ENCODING(data);
		bits = BTF_INT_BITS(data);
		return !vlen && !kflag && name_ok(f, t->name_off, 3) && pow2_upto(t->size, 16) &&
		       !(data & ~0x0fff00ffu) && !(enc & ~(uint32_t)(BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL)) &&
		       (enc & (enc - 1)) == 0 && bits && bits <= 128 &&
		       BTF_INT_OFFSET(data) + bits <= t->size * 8;
	}
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
		return !vlen && !kflag && name_ok(f, t->name_off, 0) && ref_ok(f, t->type, REF_ANY, acc);
	case BTF_KIND_TYPEDEF:
		return !vlen && !kflag && name_ok(f, t->name_off, 2) && ref_ok(f, t->type, REF_ANY, acc);
	case BTF_KIND_TYPE_TAG:
		return !vlen && name_ok(f, t->name_off, 3) && ref_ok(f, t->type, REF_ANY, acc);
	case BTF_KIND_ARRAY: {
		struct btf_array a;

		memcpy(&a, x, sizeof(a));
		return !vlen && !kflag && name_ok(f, t->name_off, 0) && !t->size &&
		       ref_ok(f, a.type, REF_OBJ, acc) && ref_ok(f, a.index_type, REF_OBJ, acc) &&
		       post_add(f);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!name_ok(f, t->name_off, 1))
			return false;
		for (uint32_t i = 0; i < vlen; i++, x += sizeof(struct btf_member)) {
			struct btf_member m;

			memcpy(&m, x, sizeof(m));
			if (!name_ok(f, m.name_off, 1) || !ref_ok(f, m.type, REF_OBJ, acc))
				return false;
		}
		return !vlen || post_add(f);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		size_t step = kind == BTF_KIND_ENUM ? sizeof(struct btf_enum) : sizeof(struct btf_enum64);

		if (!name_ok(f, t->name_off, 1) || !pow2_upto(t->size, 8))
			return false;
		/* name_off is the first field of both value records. */
		for (uint32_t i = 0; i < vlen; i++, x += step) {
			uint32_t off;

			memcpy(&off, x, 4);
			if (!name_ok(f, off, 2))
				return false;
		}
		return true;
	}
	case BTF_KIND_FWD:
		return !vlen && name_ok(f, t->name_off, 2);
	case BTF_KIND_FUNC:
		return !kflag && vlen <= BTF_FUNC_EXTERN && name_ok(f, t->name_off, 2) &&
		       ref_ok(f, t->type, 1u << BTF_KIND_FUNC_PROTO, acc);
	case BTF_KIND_FUNC_PROTO:
		if (kflag || !name_ok(f, t->name_off, 0) || !ref_ok(f, t->type, REF_OBJ | REF_VOID, acc))
			return false;
		for (uint32_t i = 0; i < vlen; i++, x += sizeof(struct btf_param)) {
			struct btf_param p;

			memcpy(&p, x, sizeof(p));
			if (!name_ok(f, p.name_off, 1))
				return false;
			if (!p.type && i == vlen - 1) {
				if (p.name_off)         /* "..." */
					return false;
				continue;
			}
			if (!ref_ok(f, p.type, REF_OBJ, acc))
				return false;
		}
		return true;
	case BTF_KIND_VAR: {
		uint32_t linkage;

		memcpy(&linkage, x, 4);
		return !vlen && !kflag && name_ok(f, t->name_off, 3) && linkage <= BTF_VAR_GLOBAL_EXTERN &&
		       ref_ok(f, t->type, REF_OBJ | (linkage == BTF_VAR_GLOBAL_EXTERN ? REF_VOID : 0), acc) &&
		       post_add(f);
	}
	case BTF_KIND_DATASEC: {
		uint64_t prev_end = 0;

		if (kflag || !name_ok(f, t->name_off, 3))
			return false;
		for (uint32_t i = 0; i < vlen; i++, x += sizeof(struct btf_var_secinfo)) {
			struct btf_var_secinfo s;
			uint64_t end;

			memcpy(&s, x, sizeof(s));
			end = (uint64_t)s.offset + s.size;
			if (!ref_ok(f, s.type, (1u << BTF_KIND_VAR) | (1u << BTF_KIND_FUNC), acc) ||
			    (t->size && (end > t->size || s.offset < prev_end)) || end > UINT32_MAX)
				return false;
			prev_end = end;
		}
		return true;
	}
	case BTF_KIND_FLOAT:
		return !vlen && !kflag && name_ok(f, t->name_off, 3) &&
		       (t->size == 2 || t->size == 4 || t->size == 8 || t->size == 12 || t->size == 16);
	case BTF_KIND_DECL_TAG:
		/* The target's kind and component count: after the pass.
		 * Its one edge still counts for the cycle sweep. */
		return !vlen && name_ok(f, t->name_off, 3) && ref_ok(f, t->type, ~0u, acc) &&
		       post_add(f);
	default:
		return false;
	}
}

/* check_decl_tag()'s target rules, once every type is located. */
static bool fast_decl_tag(const struct bbtf *b, const struct btf_type *t)
{
	int32_t idx = bbtf_decl_tag(t)->component_idx;
	const struct btf_type *r, *p;

	if (t->type >= bbtf_type_cnt(b) || !t->type || idx < -1)
		return false;
	r = vtype(b, t->type);
	switch (bbtf_kind(r)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return idx < bbtf_vlen(r);
	case BTF_KIND_FUNC:
		p = bbtf_type_by_id(b, r->type);
		return idx < 0 || (p && bbtf_kind(p) == BTF_KIND_FUNC_PROTO && idx < bbtf_vlen(p));
	case BTF_KIND_VAR:
	case BTF_KIND_TYPEDEF:
		return idx == -1;
	default:
		return false;
	}
}

/* Member types member_bits() would find at once (no chain to follow):
 * read here from the kind byte and the record, saving its call and
 * switch for the ~80% of vmlinux's 67k members that are such types. */
#define DIRECT_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_PTR) | (1u << BTF_KIND_STRUCT) | \
		      (1u << BTF_KIND_UNION) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64) | \
		      (1u << BTF_KIND_FLOAT))
#define INTLIKE_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64))

static inline int fast_member_bits(const struct fast *f, uint32_t type, uint64_t *bits,
				   bool *intlike)
{
	const struct bbtf *b = f->b;
	uint32_t r = type - b->start_id, kind;
	const struct btf_type *t;

	if (type < b->start_id || r >= b->nr)
		return member_bits(b, type, bits, intlike);
	if (!((DIRECT_KINDS >> (kind = f->kinds[r])) & 1)) {
		uint64_t m = f->mbits[r];
		int ret;

		if (m) {
			*bits = m >> 2;
			*intlike = m & 2;
			return 0;
		}
		ret = member_bits(b, type, bits, intlike);
		if (!ret)
			f->mbits[r] = *bits << 2 | (uint64_t)*intlike << 1 | 1;
		return ret;
	}
	t = (const void *)(b->types + b->offs[r]);
	*intlike = (INTLIKE_KINDS >> kind) & 1;
	if (kind == BTF_KIND_INT) {
		uint32_t d = bbtf_int_data(t);

		*bits = BTF_INT_OFFSET(d) + BTF_INT_BITS(d);
	} else {
		*bits = kind == BTF_KIND_PTR ? 64 : (uint64_t)t->size * 8;
	}
	return 0;
}

/* check_layout() and the array index rule, as booleans. */
static bool fast_post(const struct fast *f, uint32_t i)
{
	const struct bbtf *b = f->b;
	const struct btf_type *t = (const void *)(b->types + b->offs[i]);
	int64_t size;
	int idx;

	switch (bbtf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = bbtf_members(t);
		bool kflag = bbtf_kflag(t);
		uint64_t limit = (uint64_t)t->size * 8;

		for (int k = 0; k < bbtf_vlen(t); k++) {
			uint32_t off = kflag ? BTF_MEMBER_BIT_OFFSET(m[k].offset) : m[k].offset;
			uint32_t bf = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[k].offset) : 0;
			uint64_t bits = 0;
			bool intlike = false;

			if (fast_member_bits(f, m[k].type, &bits, &intlike))
				return false;
			if (bf) {
				if (!intlike || bf > bits)
					return false;
				bits = bf;
			} else if (off % 8 && !(intlike && bits % 8)) {
				return false;
			}
			if (off + bits > limit)
				return false;
		}
		return true;
	}
	case BTF_KIND_ARRAY:
		idx = bbtf_skip_mods(b, bbtf_array(t)->index_type);
		if (idx > 0 && bbtf_kind(bbtf_type_by_id(b, (uint32_t)idx)) != BTF_KIND_INT)
			return false;
		break;
	case BTF_KIND_VAR:
		if (bbtf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN && bbtf_skip_mods(b, t->type) == 0)
			return true;
		break;
	case BTF_KIND_DECL_TAG:
		return fast_decl_tag(b, t);
	default:
		return true;
	}
	size = bbtf_resolve_size(b, b->start_id + i);
	return size >= 0;
}

/*
 * mark_acyclic_rounds() over the worklist of types the pass left
 * unproven (~35k per graph on vmlinux), not over all 126k: rescanning
 * every type's safe byte four times, and re-reading the records of the
 * unproven ones in id order, was a sixth of the parse.  Rounds alternate
 * direction: the pass went up in id order, so a chain of forward
 * references is proven by one downward round where upward rounds would
 * prove one more link each.  The list is compacted to what is still
 * unproven (in id order, for check_cycles()).  True if any is left.
 */
static bool fast_prove_acyclic(struct fast *f)
{
	uint32_t *w = f->work.data;
	size_t nw = f->work.len;

	for (int round = 0; round < 4 && nw; round++) {
		bool down = !(round & 1), changed = false;
		size_t kept = 0;

		for (size_t k = 0; k < nw; k++) {
			uint32_t i = w[down ? nw - 1 - k : k];
			unsigned int bits = safe_bits(f->b, f->kinds, f->safe, i, false);

			if (bits != f->safe[i]) {
				f->safe[i] = (uint8_t)bits;
				changed = true;
			}
		}
		for (size_t k = 0; k < nw; k++)
			if (f->safe[w[k]] != 3)
				w[kept++] = w[k];
		nw = kept;
		if (!changed)
			break;
	}
	f->work.len = nw;
	return nw != 0;
}

/*
 * Locate and validate @b's types and strings.  Fills offs and nr.
 * 0: valid; FAST_INVALID: something is wrong (locate() and
 * bbtf__validate() say what); -ENOMEM.
 */
static int fast_parse(struct bbtf *b)
{
	struct fast f = { .b = b, .strs = b->strs, .strs_len = (uint32_t)b->strs_len,
			  .str_start = b->str_start, .start = b->start_id };
	const uint8_t *types = b->types;
	size_t len = b->types_len, off = 0, cap = len / sizeof(struct btf_type) + 1;
	const char *zero = bbtf_name(b, 0);
	struct cframe *stack = NULL;
	int ret = -ENOMEM;

	if ((!b->base && (!b->strs_len || b->strs[0])) ||
	    (b->strs_len && b->strs[b->strs_len - 1]) ||
	    bbtf__str_end(b) > BTF_MAX_NAME_OFFSET + 1u)
		return FAST_INVALID;
	f.zero_empty = zero && !*zero;
	bb_vec_init(&f.fwd, sizeof(struct fwd_ref));
	bb_vec_init(&f.post, sizeof(uint32_t));
	bb_vec_init(&f.work, sizeof(uint32_t));
	b->offs_cap = cap;
	b->offs = malloc(cap * sizeof(*b->offs));
	/* kinds and safe in one block: two bytes per type. */
	f.kinds = malloc(2 * cap);
	f.ident = malloc((b->strs_len / 64 + 1) * sizeof(uint64_t));
	if (!b->offs || !f.kinds || !f.ident)
		goto out;
	f.safe = f.kinds + cap;
	ident_bitmap(b->strs, f.strs_len, f.ident);

	while (off < len) {
		const struct btf_type *t = (const void *)(types + off);
		uint32_t info, vlen;
		unsigned int kind, acc = 3;
		size_t extra;

		ret = FAST_INVALID;
		if (len - off < sizeof(*t))
			goto out;
		info = t->info;
		kind = BTF_INFO_KIND(info);
		vlen = BTF_INFO_VLEN(info);
		if ((info & 0x60ff0000u) || kind - 1u >= BBTF_KIND_MAX)
			goto out;
		extra = kind_fixed[kind] + (size_t)vlen * kind_unit[kind];
		if (len - off - sizeof(*t) < extra)
			goto out;
		b->offs[f.n] = (uint32_t)off;
		f.kinds[f.n] = (uint8_t)kind;
		if (!fast_record(&f, t, (int)kind, vlen, info >> 31, &acc)) {
			ret = f.oom ? -ENOMEM : FAST_INVALID;
			goto out;
		}
		/* As safe_bits(): a pointer's edge is weak (graph 1); a named
		 * struct, union or typedef is a cut (graph 2). */
		if ((LEAF_KINDS >> kind) & 1)
			acc = 3;
		if (kind == BTF_KIND_PTR)
			acc |= 1;
		if (t->name_off && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ||
				    kind == BTF_KIND_TYPEDEF))
			acc |= 2;
		f.safe[f.n] = (uint8_t)acc;
		if (acc != 3 && !FAST_PUSH(&f, &f.work, uint32_t, f.n)) {
			ret = -ENOMEM;
			goto out;
		}
		f.n++;
		off += sizeof(*t) + extra;
	}
	b->nr = f.n;
	ret = FAST_INVALID;
	if (bbtf_type_cnt(b) > BTF_MAX_TYPE + 1)
		goto out;
	for (size_t k = 0; k < f.fwd.len; k++) {
		const struct fwd_ref *r = bb_vec_at(&f.fwd, struct fwd_ref, k);

		if (r->idx >= f.n || !((r->mask >> f.kinds[r->idx]) & 1))
			goto out;
	}
	if (fast_prove_acyclic(&f)) {
		/* Only now a stack: most BTF is proven acyclic above. */
		stack = malloc(f.n * sizeof(*stack));
		if (!stack) {
			ret = -ENOMEM;
			goto out;
		}
		if (check_cycles(b, NULL, f.kinds, f.safe, stack, false, f.work.data,
				 (uint32_t)f.work.len) ||
		    check_cycles(b, NULL, f.kinds, f.safe, stack, true, f.work.data,
				 (uint32_t)f.work.len))
			goto out;
	}
	if (f.post.len && !(f.mbits = calloc(f.n, sizeof(*f.mbits)))) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < f.post.len; k++)
		if (!fast_post(&f, *bb_vec_at(&f.post, uint32_t, k)))
			goto out;
	ret = 0;
out:
	free(stack);
	free(f.kinds);
	free(f.ident);
	free(f.mbits);
	bb_vec_free(&f.fwd);
	bb_vec_free(&f.post);
	bb_vec_free(&f.work);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Parse                                                             */
/* ---------------------------------------------------------------- */

static int locate(struct bbtf *b, struct bb_err *e)
{
	size_t off = 0;
	uint32_t n = 0;

	/* Every record is at least 12 bytes: a cheap upper bound. */
	b->offs_cap = b->types_len / sizeof(struct btf_type) + 1;
	b->offs = malloc(b->offs_cap * sizeof(*b->offs));
	if (!b->offs)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	while (off < b->types_len) {
		const struct btf_type *t;
		size_t extra;

		if (b->types_len - off < sizeof(*t))
			return bb_err_insn(e, -EINVAL, -1,
					   "type [%u] at offset %zu: record truncated (%zu bytes left)",
					   b->start_id + n, off, b->types_len - off);
		t = (const void *)(b->types + off);
		if (bbtf_kind(t) == BTF_KIND_UNKN || bbtf_kind(t) > BBTF_KIND_MAX)
			return bb_err_insn(e, -EINVAL, -1, "type [%u] at offset %zu: unknown kind %d",
					   b->start_id + n, off, bbtf_kind(t));
		if (t->info & 0x60ff0000u)
			return bb_err_insn(e, -EINVAL, -1,
					   "type [%u] %s at offset %zu: info %#x sets reserved bits",
					   b->start_id + n, bbtf_kind_str(bbtf_kind(t)), off, t->info);
		extra = bbtf__extra_size(t);
		if (b->types_len - off - sizeof(*t) < extra)
			return bb_err_insn(e, -EINVAL, -1,
					   "type [%u] %s at offset %zu: %u entries run past the type section",
					   b->start_id + n, bbtf_kind_str(bbtf_kind(t)), off, bbtf_vlen(t));
		b->offs[n++] = (uint32_t)off;
		off += sizeof(*t) + extra;
	}
	b->nr = n;
	return 0;
}

/* Header checks; the type and string sections' file offsets in *tstart
 * and *sstart. */
static int check_header(const void *data, size_t size, const struct bbtf *base,
			struct btf_header *hp, uint64_t *tstart, uint64_t *sstart,
			struct bb_err *e)
{
	struct btf_header h;

	if (!data || size < sizeof(h))
		return bb_err_insn(e, -EINVAL, -1, "BTF of %zu bytes is shorter than its %zu-byte header",
				   data ? size : 0, sizeof(h));
	memcpy(&h, data, sizeof(h));
	if (h.magic == __builtin_bswap16(BTF_MAGIC))
		return bb_err_insn(e, -EINVAL, -1, "BTF is in the other byte order");
	if (h.magic != BTF_MAGIC)
		return bb_err_insn(e, -EINVAL, -1, "bad BTF magic %#06x (want 0xeb9f)", h.magic);
	if (h.version != BTF_VERSION)
		return bb_err_insn(e, -EINVAL, -1, "unsupported BTF version %u", h.version);
	if (h.flags)
		return bb_err_insn(e, -EINVAL, -1, "unsupported BTF header flags %#x", h.flags);
	if (h.hdr_len < sizeof(h) || h.hdr_len > size)
		return bb_err_insn(e, -EINVAL, -1, "BTF hdr_len %u outside %zu..%zu", h.hdr_len,
				   sizeof(h), size);
	/* A longer header from a newer kernel is fine if we lose nothing. */
	for (size_t i = sizeof(h); i < h.hdr_len; i++)
		if (((const uint8_t *)data)[i])
			return bb_err_insn(e, -EINVAL, -1,
					   "BTF header byte %zu is set; header fields past %zu unknown",
					   i, sizeof(h));
	*tstart = (uint64_t)h.hdr_len + h.type_off;
	*sstart = (uint64_t)h.hdr_len + h.str_off;
	if (*tstart + h.type_len > size)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u runs past the %zu-byte BTF",
				   h.type_off, h.type_len, size - h.hdr_len);
	if (*sstart + h.str_len > size)
		return bb_err_insn(e, -EINVAL, -1, "string section %u+%u runs past the %zu-byte BTF",
				   h.str_off, h.str_len, size - h.hdr_len);
	if (*tstart % 4 || h.type_len % 4)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u is not 4-byte aligned",
				   h.type_off, h.type_len);
	if (h.type_len && h.str_len && *tstart < *sstart + h.str_len && *sstart < *tstart + h.type_len)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u overlaps string section %u+%u",
				   h.type_off, h.type_len, h.str_off, h.str_len);
	if (!base && !h.str_len)
		return bb_err_insn(e, -EINVAL, -1, "string section is empty");
	*hp = h;
	return 0;
}

/* Release a whole-file buffer: unmap it or free it. */
static void file_buf_release(void *buf, size_t map_len)
{
	if (buf && map_len)
		munmap(buf, map_len);
	else
		free(buf);
}

/*
 * bbtf_parse() and bbtf_parse_file().  With @file_buf set, @data is that
 * buffer (malloc'ed, or mapped over @map_len bytes), the new object takes
 * it over whatever happens, and types/strs point into it; otherwise they
 * are copied.
 */
static int parse(const void *data, size_t size, const struct bbtf *base, void *file_buf,
		 size_t map_len, struct bbtf **out, struct bb_err *e)
{
	struct btf_header h = { 0 };
	struct bbtf *b = NULL;
	uint64_t tstart = 0, sstart = 0;
	int ret;

	*out = NULL;
	ret = check_header(data, size, base, &h, &tstart, &sstart, e);
	if (ret)
		goto fail_buf;
	ret = bbtf_new(base, &b);
	if (ret) {
		ret = bb_err_insn(e, ret, -1, "out of memory");
		goto fail_buf;
	}
	free(b->types);
	free(b->strs);
	free(b->offs);
	b->types = NULL;
	b->strs = NULL;
	b->offs = NULL;
	if (file_buf) {
		b->file_buf = file_buf;
		b->file_map_len = map_len;
		file_buf = NULL;        /* b's now */
		b->types = (uint8_t *)b->file_buf + tstart;
		b->strs = (char *)b->file_buf + sstart;
	} else {
		b->types = malloc(h.type_len ? h.type_len : 1);
		b->strs = malloc(h.str_len ? h.str_len : 1);
		if (!b->types || !b->strs) {
			ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
			goto fail;
		}
		memcpy(b->types, (const uint8_t *)data + tstart, h.type_len);
		memcpy(b->strs, (const uint8_t *)data + sstart, h.str_len);
	}
	b->types_len = b->types_cap = h.type_len;
	b->strs_len = b->strs_cap = h.str_len;
	ret = fast_parse(b);
#ifdef BBTF_CROSSCHECK
	if (!ret && bbtf__validate(b, NULL))
		__builtin_trap();       /* fast path accepted what the rules reject */
#endif
	if (ret) {
		/* Invalid (or out of memory): the message-carrying pass finds
		 * and words the first error. */
		bool invalid = ret == FAST_INVALID;

		free(b->offs);
		b->offs = NULL;
		b->nr = 0;
		if ((ret = locate(b, e)) || (ret = bbtf__validate(b, e)))
			goto fail;
#ifdef BBTF_CROSSCHECK
		if (invalid)
			__builtin_trap();       /* fast path rejected valid BTF */
#endif
		(void)invalid;
	}
	b->last_id = 0;         /* the builder does not extend parsed records */
	/* The name index is built by the first lookup: parsing vmlinux to
	 * load a program that never looks a name up should not pay for
	 * hashing 100k names. */
	*out = b;
	return 0;
fail:
	bbtf_free(b);
fail_buf:
	file_buf_release(file_buf, map_len);
	return ret;
}

int bbtf_parse(const void *data, size_t size, const struct bbtf *base,
	       struct bbtf **out, struct bb_err *e)
{
	return parse(data, size, base, NULL, 0, out, e);
}

int bbtf__own(struct bbtf *b)
{
	uint8_t *types;
	char *strs;

	if (!b->file_buf)
		return 0;
	types = malloc(b->types_len ? b->types_len : 1);
	strs = malloc(b->strs_len ? b->strs_len : 1);
	if (!types || !strs) {
		free(types);
		free(strs);
		return -ENOMEM;
	}
	memcpy(types, b->types, b->types_len);
	memcpy(strs, b->strs, b->strs_len);
	file_buf_release(b->file_buf, b->file_map_len);
	b->file_buf = NULL;
	b->file_map_len = 0;
	b->types = types;
	b->types_cap = b->types_len;
	b->strs = strs;
	b->strs_cap = b->strs_len;
	return 0;
}

/*
 * Read @path whole, for the parser to keep.  /sys/kernel/btf/ files are
 * mapped read-only where the kernel allows it (6.16+): sysfs hands out
 * bin files one page per read(), so reading vmlinux's 5 MiB is ~1300
 * system calls and 2-5 ms, while the mapping costs ~0.1 ms and no copy.
 * The kernel's BTF never changes under a mapping; a regular file could
 * be truncated (SIGBUS), so those are read, in one fstat()-sized read()
 * rather than a growing buffer; bb_read_file() for pipes and the like.
 * *map_len is set for a mapping.
 */
static long read_whole(const char *path, char **out, size_t *map_len, struct bb_err *e)
{
	struct stat st;
	struct statfs sf;
	size_t got = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	*map_len = 0;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		if (fd >= 0)
			close(fd);
		return bb_read_file(path, out, e);
	}
	if (!fstatfs(fd, &sf) && sf.f_type == SYSFS_MAGIC) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			*out = m;
			*map_len = (size_t)st.st_size;
			return (long)st.st_size;
		}
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			free(buf);
			close(fd);
			return bb_err_insn(e, err, -1, "read error: %s", strerror(-err));
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return (long)got;
}

int bbtf_parse_file(const char *path, const struct bbtf *base, struct bbtf **out,
		    struct bb_err *e)
{
	char *buf = NULL;
	size_t map_len = 0;
	long n;

	*out = NULL;
	bb_err_set_file(e, path);
	n = read_whole(path, &buf, &map_len, e);
	if (n < 0)
		return (int)n;
	if (n >= 4 && !memcmp(buf, "\177ELF", 4)) {
		file_buf_release(buf, map_len);
		return bb_err_insn(e, -ENOTSUP, -1,
				   "ELF object: read its .BTF section with the elf module");
	}
	return parse(buf, (size_t)n, base, buf, map_len, out, e);
}

int bbtf_load_vmlinux(const char *path, struct bbtf **out, struct bb_err *e)
{
	return bbtf_parse_file(path ? path : "/sys/kernel/btf/vmlinux", NULL, out, e);
}

void bbtf__dirty(struct bbtf *b)
{
	free(b->raw);
	b->raw = NULL;
	b->raw_len = 0;
	free(b->align_memo);
	b->align_memo = NULL;
}

void bbtf_free(struct bbtf *btf)
{
	if (!btf)
		return;
	bbtf__index_free(btf);
	if (btf->file_buf) {
		file_buf_release(btf->file_buf, btf->file_map_len);
	} else {
		free(btf->types);
		free(btf->strs);
	}
	free(btf->offs);
	free(btf->raw);
	free(btf->align_memo);
	free(btf);
}
