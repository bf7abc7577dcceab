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
#include <sys/stat.h>
#include <unistd.h>

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

/* 1: may start an identifier, 2: may continue one.  A table, not
 * isalpha(): vmlinux has ~700k names and the locale-aware calls showed
 * up in profiles. */
static uint8_t ident_class(unsigned char c)
{
	if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 3;
	return c >= '0' && c <= '9' ? 2 : 0;
}

static bool is_identifier(const char *s)
{
	if (!s || !(ident_class((unsigned char)*s) & 1))
		return false;
	for (s++; *s; s++)
		if (!(ident_class((unsigned char)*s) & 2))
			return false;
	return true;
}

/* Kinds that stand for a value of some type (so a member, array element,
 * pointee, typedef target, parameter or variable may be one). */
static bool is_value_kind(int kind)
{
	switch (kind) {
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_UNKN:
		return false;
	default:
		return kind <= BBTF_KIND_MAX;
	}
}

struct vctx {
	const struct bbtf *b;
	struct bb_err *e;
	uint32_t id;                    /* type being checked */
	const struct btf_type *t;
	uint32_t cnt;                   /* bbtf_type_cnt() */
};

#define TERR(v, ...) bbtf__type_err((v)->b, (v)->e, (v)->id, __VA_ARGS__)

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

/* @label/@idx name the thing for messages (idx -1: no number). */
static int check_name(struct vctx *v, uint32_t off, const char *label, int idx, int rule)
{
	/* rule: 0 must be empty, 1 may be empty else identifier,
	 * 2 identifier, 3 non-empty string. */
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

/* @ref must be in range; @allow_void lets 0 through; the target must be a
 * value kind (and not a FUNC_PROTO unless @allow_proto). */
static int check_ref(struct vctx *v, uint32_t ref, const char *label, int idx,
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

/* Size of a member's type for layout checks, and whether it may be a
 * bitfield (integers and enums). */
static int member_bits(const struct bbtf *b, uint32_t type, uint64_t *bits, bool *intlike)
{
	int64_t size = bbtf_resolve_size(b, type);
	int id = bbtf_skip_mods(b, type);
	int k;

	if (size < 0 || id < 0)
		return size < 0 ? (int)size : id;
	k = bbtf_kind(bbtf_type_by_id(b, (uint32_t)id));
	*intlike = k == BTF_KIND_INT || k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
	*bits = (uint64_t)size * 8;
	/* Old-style bitfield: kind_flag 0, an INT narrower than its size. */
	if (k == BTF_KIND_INT) {
		uint32_t d = bbtf_int_data(bbtf_type_by_id(b, (uint32_t)id));

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

/* Iterative DFS (a fuzzer's 100000-deep typedef chain must not blow the
 * stack).  @anon selects the second graph described at the top. */
static int check_cycles(const struct bbtf *b, struct bb_err *e, bool anon)
{
	struct frame {
		uint32_t idx;   /* own index */
		uint32_t k;     /* next reference to visit */
	};
	uint8_t *color = calloc(b->nr ? b->nr : 1, 1);   /* 0 new, 1 on stack, 2 done */
	struct frame *stack = malloc((b->nr ? b->nr : 1) * sizeof(*stack));
	int ret = 0;

	if (!color || !stack) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto out;
	}
	for (uint32_t root = 0; root < b->nr && !ret; root++) {
		uint32_t sp = 0;

		if (color[root])
			continue;
		color[root] = 1;
		stack[sp++] = (struct frame){ root, 0 };
		while (sp) {
			struct frame *f = &stack[sp - 1];
			const struct btf_type *t = (const void *)(b->types + b->offs[f->idx]);
			int kind = bbtf_kind(t);
			bool cut = anon && t->name_off &&
				   (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ||
				    kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64 ||
				    kind == BTF_KIND_FWD || kind == BTF_KIND_TYPEDEF);
			uint32_t ref, r;
			bool strong;

			if (cut || f->k >= ref_count(t)) {
				color[f->idx] = 2;
				sp--;
				continue;
			}
			ref = ref_at(t, f->k++, &strong);
			if ((!strong && !anon) || ref < b->start_id)
				continue;       /* base types cannot point back here */
			r = ref - b->start_id;
			if (color[r] == 1) {
				ret = bbtf__type_err(b, e, b->start_id + f->idx,
						     anon ? "reference to [%u] closes a loop of anonymous types"
							  : "reference to [%u] closes a loop not broken by a pointer",
						     ref);
				break;
			}
			if (!color[r]) {
				color[r] = 1;
				stack[sp++] = (struct frame){ r, 0 };
			}
		}
	}
out:
	free(color);
	free(stack);
	return ret;
}

int bbtf__validate(const struct bbtf *b, struct bb_err *e)
{
	struct vctx v = { .b = b, .e = e, .cnt = bbtf_type_cnt(b) };
	int ret;

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
	for (uint32_t i = 0; i < b->nr; i++) {
		v.id = b->start_id + i;
		v.t = (const void *)(b->types + b->offs[i]);
		if ((ret = check_meta(&v)))
			return ret;
	}
	if ((ret = check_cycles(b, e, false)) || (ret = check_cycles(b, e, true)))
		return ret;
	for (uint32_t i = 0; i < b->nr; i++) {
		v.id = b->start_id + i;
		v.t = (const void *)(b->types + b->offs[i]);
		if ((ret = check_layout(&v)))
			return ret;
	}
	return 0;
}

int bbtf_validate(const struct bbtf *btf, struct bb_err *e)
{
	return bbtf__validate(btf, e);
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

int bbtf_parse(const void *data, size_t size, const struct bbtf *base,
	       struct bbtf **out, struct bb_err *e)
{
	struct btf_header h;
	struct bbtf *b = NULL;
	uint64_t tstart, sstart;
	int ret;

	*out = NULL;
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
	tstart = (uint64_t)h.hdr_len + h.type_off;
	sstart = (uint64_t)h.hdr_len + h.str_off;
	if (tstart + h.type_len > size)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u runs past the %zu-byte BTF",
				   h.type_off, h.type_len, size - h.hdr_len);
	if (sstart + h.str_len > size)
		return bb_err_insn(e, -EINVAL, -1, "string section %u+%u runs past the %zu-byte BTF",
				   h.str_off, h.str_len, size - h.hdr_len);
	if (tstart % 4 || h.type_len % 4)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u is not 4-byte aligned",
				   h.type_off, h.type_len);
	if (h.type_len && h.str_len && tstart < sstart + h.str_len && sstart < tstart + h.type_len)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u overlaps string section %u+%u",
				   h.type_off, h.type_len, h.str_off, h.str_len);
	if (!base && !h.str_len)
		return bb_err_insn(e, -EINVAL, -1, "string section is empty");

	ret = bbtf_new(base, &b);
	if (ret)
		return bb_err_insn(e, ret, -1, "out of memory");
	free(b->types);
	free(b->strs);
	b->types = malloc(h.type_len ? h.type_len : 1);
	b->strs = malloc(h.str_len ? h.str_len : 1);
	if (!b->types || !b->strs) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto fail;
	}
	memcpy(b->types, (const uint8_t *)data + tstart, h.type_len);
	memcpy(b->strs, (const uint8_t *)data + sstart, h.str_len);
	b->types_len = b->types_cap = h.type_len;
	b->strs_len = b->strs_cap = h.str_len;
	free(b->offs);
	b->offs = NULL;
	if ((ret = locate(b, e)) || (ret = bbtf__validate(b, e)))
		goto fail;
	b->last_id = 0;         /* the builder does not extend parsed records */
	if ((ret = bbtf__index_build(b))) {
		bb_err_insn(e, ret, -1, "out of memory");
		goto fail;
	}
	*out = b;
	return 0;
fail:
	bbtf_free(b);
	return ret;
}

/* Read @path whole.  One fstat()-sized read when the size is known (it
 * is for /sys/kernel/btf/ files), instead of growing a buffer in 64 KiB
 * steps; bb_read_file() for pipes and the like. */
static long read_whole(const char *path, char **out, struct bb_err *e)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		if (fd >= 0)
			close(fd);
		return bb_read_file(path, out, e);
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
	long n;
	int ret;

	*out = NULL;
	bb_err_set_file(e, path);
	n = read_whole(path, &buf, e);
	if (n < 0)
		return (int)n;
	if (n >= 4 && !memcmp(buf, "\177ELF", 4)) {
		free(buf);
		return bb_err_insn(e, -ENOTSUP, -1,
				   "ELF object: read its .BTF section with the elf module");
	}
	ret = bbtf_parse(buf, (size_t)n, base, out, e);
	free(buf);
	return ret;
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
	free(btf->types);
	free(btf->offs);
	free(btf->strs);
	free(btf->raw);
	free(btf->align_memo);
	free(btf);
}
