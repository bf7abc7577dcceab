/* SPDX-License-Identifier: MIT */
/*
 * core/core.c - CO-RE relocations, following libbpf's relo_core.c rule for
 * rule (see core/core.h for the outline).  Where libbpf's behaviour is a
 * choice rather than a necessity (which candidates survive, when the
 * instruction value is not checked, which size changes a load may follow)
 * we copy the choice, so an object relocates here exactly as it would
 * with libbpf and the kernel sees the same instructions.
 */
#include "core/core_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recursion budget of the type relations (libbpf uses 32 too). */
#define CORE_TYPE_DEPTH 32

struct core_ctx {
	const struct bbtf *local;
	const struct bbtf *target;
	/* Candidate lists, indexed by local type id (NULL: not searched). */
	struct core_cands **cands;
	uint32_t n_local;
};

/* ------------------------------------------------------------------ */
/* BTF helpers                                                          */
/* ------------------------------------------------------------------ */

static bool is_composite(const struct btf_type *t)
{
	return bbtf_kind(t) == BTF_KIND_STRUCT || bbtf_kind(t) == BTF_KIND_UNION;
}

static bool is_any_enum(const struct btf_type *t)
{
	return bbtf_kind(t) == BTF_KIND_ENUM || bbtf_kind(t) == BTF_KIND_ENUM64;
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* Skip typedefs and modifiers; the type, with its id in *id. */
static const struct btf_type *skip_mods(const struct bbtf *btf, uint32_t id, uint32_t *res_id)
{
	int r = bbtf_skip_mods(btf, id);

	if (r < 0)
		return NULL;
	if (res_id)
		*res_id = (uint32_t)r;
	return bbtf_type_by_id(btf, (uint32_t)r);
}

static uint32_t enum_name_off(const struct btf_type *t, int i)
{
	return bbtf_kind(t) == BTF_KIND_ENUM ? bbtf_enums(t)[i].name_off
					     : bbtf_enums64(t)[i].name_off;
}

/* ENUM and ENUM64 relocate into each other (a kernel may widen an enum). */
static bool kind_core_compat(const struct btf_type *a, const struct btf_type *b)
{
	return bbtf_kind(a) == bbtf_kind(b) || (is_any_enum(a) && is_any_enum(b));
}

static int int_encoding(const struct btf_type *t)
{
	return BTF_INT_ENCODING(bbtf_int_data(t));
}

static int int_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(bbtf_int_data(t));
}

size_t core_essential_name_len(const char *name)
{
	/* One definition, btf/'s: its name index is keyed by it. */
	return bbtf_essential_len(name);
}

static bool essential_eq(const char *a, const char *b)
{
	size_t la = core_essential_name_len(a), lb = core_essential_name_len(b);

	return la == lb && !strncmp(a, b, la);
}

bool core_kind_is_field(uint32_t kind)
{
	return kind <= BPF_CORE_FIELD_RSHIFT_U64;
}

bool core_kind_is_type(uint32_t kind)
{
	return kind == BPF_CORE_TYPE_ID_LOCAL || kind == BPF_CORE_TYPE_ID_TARGET ||
	       kind == BPF_CORE_TYPE_EXISTS || kind == BPF_CORE_TYPE_SIZE ||
	       kind == BPF_CORE_TYPE_MATCHES;
}

bool core_kind_is_enumval(uint32_t kind)
{
	return kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE;
}

const char *core_why_str(enum core_why why)
{
	switch (why) {
	case CORE_OK: return "";
	case CORE_NO_TYPE: return "type not found in target BTF";
	case CORE_NO_FIELD: return "field not found in target BTF";
	case CORE_NO_ENUMVAL: return "enum value not found in target BTF";
	case CORE_BAD_MEMSZ:
		return "field size changed and the access cannot follow it (only pointers and "
		       "unsigned integers may change size)";
	}
	return "unknown";
}

/* ------------------------------------------------------------------ */
/* Type relations                                                       */
/* ------------------------------------------------------------------ */

static int types_are_compat(const struct bbtf *lb, uint32_t lid, const struct bbtf *tb,
			    uint32_t tid, int level)
{
	const struct btf_type *lt = bbtf_type_by_id(lb, lid), *tt = bbtf_type_by_id(tb, tid);
	int depth = CORE_TYPE_DEPTH;

	/* The caller matched the names; the root kinds must agree before
	 * typedefs are looked through (a typedef only matches a typedef). */
	if (!lt || !tt)
		return -EINVAL;
	if (!kind_core_compat(lt, tt))
		return 0;
recur:
	if (--depth < 0)
		return -EINVAL;
	lt = skip_mods(lb, lid, &lid);
	tt = skip_mods(tb, tid, &tid);
	if (!lt || !tt)
		return -EINVAL;
	if (!kind_core_compat(lt, tt))
		return 0;
	switch (bbtf_kind(lt)) {
	case BTF_KIND_UNKN:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		return 1;
	case BTF_KIND_INT:
		/* Only the old bitfield-like ints (offset != 0) are refused;
		 * sizes and signedness may differ. */
		return int_offset(lt) == 0 && int_offset(tt) == 0;
	case BTF_KIND_PTR:
		lid = lt->type;
		tid = tt->type;
		goto recur;
	case BTF_KIND_ARRAY:
		lid = bbtf_array(lt)->type;
		tid = bbtf_array(tt)->type;
		goto recur;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *lp = bbtf_params(lt), *tp = bbtf_params(tt);

		if (bbtf_vlen(lt) != bbtf_vlen(tt))
			return 0;
		for (int i = 0; i < bbtf_vlen(lt); i++) {
			uint32_t a = 0, b = 0;
			int r;

			if (level <= 0)
				return -EINVAL;
			if (!skip_mods(lb, lp[i].type, &a) || !skip_mods(tb, tp[i].type, &b))
				return -EINVAL;
			r = types_are_compat(lb, a, tb, b, level - 1);
			if (r <= 0)
				return r;
		}
		lid = lt->type;
		tid = tt->type;
		goto recur;
	}
	default:
		return 0;
	}
}

int core_types_are_compat(const struct bbtf *local, uint32_t local_id,
			  const struct bbtf *target, uint32_t targ_id)
{
	return types_are_compat(local, local_id, target, targ_id, CORE_TYPE_DEPTH);
}

/* Names match modulo flavor; an anonymous target matches only anonymous. */
static bool names_match(const struct bbtf *lb, uint32_t loff, const struct bbtf *tb,
			uint32_t toff)
{
	const char *ln = str_or_empty(bbtf_name(lb, loff)), *tn = str_or_empty(bbtf_name(tb, toff));

	if (!*tn)
		return !*ln;
	return essential_eq(ln, tn);
}

static int enums_match(const struct bbtf *lb, const struct btf_type *lt, const struct bbtf *tb,
		       const struct btf_type *tt)
{
	if (lt->size != tt->size || bbtf_vlen(lt) > bbtf_vlen(tt))
		return 0;
	/* every local enumerator needs a namesake; values may differ */
	for (int i = 0; i < bbtf_vlen(lt); i++) {
		bool found = false;

		for (int j = 0; j < bbtf_vlen(tt) && !found; j++)
			found = names_match(lb, enum_name_off(lt, i), tb, enum_name_off(tt, j));
		if (!found)
			return 0;
	}
	return 1;
}

static int types_match(const struct bbtf *lb, uint32_t lid, const struct bbtf *tb, uint32_t tid,
		       bool behind_ptr, int level);

static int composites_match(const struct bbtf *lb, const struct btf_type *lt,
			    const struct bbtf *tb, const struct btf_type *tt, bool behind_ptr,
			    int level)
{
	const struct btf_member *lm = bbtf_members(lt), *tm = bbtf_members(tt);

	if (bbtf_vlen(lt) > bbtf_vlen(tt))
		return 0;
	for (int i = 0; i < bbtf_vlen(lt); i++) {
		bool found = false;

		for (int j = 0; j < bbtf_vlen(tt) && !found; j++) {
			int r;

			if (!names_match(lb, lm[i].name_off, tb, tm[j].name_off))
				continue;
			r = types_match(lb, lm[i].type, tb, tm[j].type, behind_ptr, level - 1);
			if (r < 0)
				return r;
			found = r > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * libbpf's __bpf_core_types_match(): modifiers and typedefs skipped, names
 * equal modulo flavor at every level, same kinds (a struct/union behind a
 * pointer may match a FWD of that kind; ENUM and ENUM64 mix), INT size and
 * signedness equal, array lengths equal, every local member present in
 * the target with a matching type, function prototypes argument by
 * argument.
 */
static int types_match(const struct bbtf *lb, uint32_t lid, const struct bbtf *tb, uint32_t tid,
		       bool behind_ptr, int level)
{
	const struct btf_type *lt, *tt;
	int depth = CORE_TYPE_DEPTH, lk, tk;

	if (level <= 0)
		return -EINVAL;
recur:
	if (--depth < 0)
		return -EINVAL;
	lt = skip_mods(lb, lid, &lid);
	tt = skip_mods(tb, tid, &tid);
	if (!lt || !tt)
		return -EINVAL;
	if (!names_match(lb, lt->name_off, tb, tt->name_off))
		return 0;
	lk = bbtf_kind(lt);
	tk = bbtf_kind(tt);
	switch (lk) {
	case BTF_KIND_UNKN:
		return lk == tk;
	case BTF_KIND_FWD:
		if (behind_ptr && tk != BTF_KIND_FWD)
			/* a FWD's kind_flag says union (1) or struct (0) */
			return (tk == BTF_KIND_STRUCT && !bbtf_kflag(lt)) ||
			       (tk == BTF_KIND_UNION && bbtf_kflag(lt));
		return lk == tk && bbtf_kflag(lt) == bbtf_kflag(tt);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return is_any_enum(tt) ? enums_match(lb, lt, tb, tt) : 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (behind_ptr) {
			if (lk == tk)
				return 1;
			return tk == BTF_KIND_FWD && (lk == BTF_KIND_UNION) == bbtf_kflag(tt);
		}
		return lk == tk ? composites_match(lb, lt, tb, tt, behind_ptr, level) : 0;
	case BTF_KIND_INT:
		return lk == tk && lt->size == tt->size &&
		       (int_encoding(lt) & BTF_INT_SIGNED) == (int_encoding(tt) & BTF_INT_SIGNED);
	case BTF_KIND_PTR:
		if (lk != tk)
			return 0;
		behind_ptr = true;
		lid = lt->type;
		tid = tt->type;
		goto recur;
	case BTF_KIND_ARRAY:
		if (lk != tk || bbtf_array(lt)->nelems != bbtf_array(tt)->nelems)
			return 0;
		lid = bbtf_array(lt)->type;
		tid = bbtf_array(tt)->type;
		goto recur;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *lp = bbtf_params(lt), *tp = bbtf_params(tt);

		if (lk != tk || bbtf_vlen(lt) != bbtf_vlen(tt))
			return 0;
		for (int i = 0; i < bbtf_vlen(lt); i++) {
			int r = types_match(lb, lp[i].type, tb, tp[i].type, behind_ptr, level - 1);

			if (r <= 0)
				return r;
		}
		lid = lt->type;
		tid = tt->type;
		goto recur;
	}
	default:
		return 0;
	}
}

int core_types_match(const struct bbtf *local, uint32_t local_id,
		     const struct bbtf *target, uint32_t targ_id)
{
	return types_match(local, local_id, target, targ_id, false, CORE_TYPE_DEPTH);
}

/*
 * Whether a field's local and target types may be relocated into each
 * other: composites mix freely, pointers and floats always, FWD/ENUM by
 * essential name (or either anonymous), INTs of any size (not the old
 * bitfield ints), arrays by element type.
 */
static int fields_are_compat(const struct bbtf *lb, uint32_t lid, const struct bbtf *tb,
			     uint32_t tid)
{
	for (int depth = 0; depth < CORE_TYPE_DEPTH; depth++) {
		const struct btf_type *lt = skip_mods(lb, lid, &lid), *tt = skip_mods(tb, tid, &tid);
		const char *ln, *tn;

		if (!lt || !tt)
			return -EINVAL;
		if (is_composite(lt) && is_composite(tt))
			return 1;
		if (!kind_core_compat(lt, tt))
			return 0;
		switch (bbtf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			ln = str_or_empty(bbtf_name(lb, lt->name_off));
			tn = str_or_empty(bbtf_name(tb, tt->name_off));
			return !*ln || !*tn || essential_eq(ln, tn);
		case BTF_KIND_INT:
			return int_offset(lt) == 0 && int_offset(tt) == 0;
		case BTF_KIND_ARRAY:
			lid = bbtf_array(lt)->type;
			tid = bbtf_array(tt)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Specs                                                                */
/* ------------------------------------------------------------------ */

/* A zero-length array that is the last member of its struct: indices
 * past "the end" are the point of it. */
static bool is_flex_arr(const struct bbtf *btf, const struct core_accessor *acc,
			const struct btf_array *arr)
{
	const struct btf_type *t;

	if (!acc->name || arr->nelems > 0)
		return false;
	t = bbtf_type_by_id(btf, acc->type_id);
	return t && acc->idx == (uint32_t)bbtf_vlen(t) - 1;
}

int core_parse_spec(const struct bbtf *btf, const struct core_relo *r, struct core_spec *spec,
		    struct bb_err *e)
{
	const char *s = bbtf_name(btf, r->access_str_off);
	const struct btf_type *t;
	uint32_t id = 0;
	int64_t sz;
	int n;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_type_id = r->type_id;
	spec->kind = r->kind;
	if (!s || !*s)
		return bb_err_insn(e, -EINVAL, -1, "empty access string");
	if (!bbtf_type_by_id(btf, r->type_id) || r->type_id == 0)
		return bb_err_insn(e, -EINVAL, -1, "local type id %u out of range", r->type_id);
	if (core_kind_is_type(r->kind)) {
		/* type relocations carry no access path */
		if (strcmp(s, "0"))
			return bb_err_insn(e, -EINVAL, -1,
					   "type relocation with access string '%.64s' (expected \"0\")",
					   s);
		return 0;
	}
	if (!core_kind_is_field(r->kind) && !core_kind_is_enumval(r->kind))
		return bb_err_insn(e, -EINVAL, -1, "unknown CO-RE relocation kind %u", r->kind);
	n = bbtf_core_access_parse(s, spec->raw, CORE_SPEC_MAX, e);
	if (n < 0)
		return n;
	spec->raw_len = n;
	t = skip_mods(btf, r->type_id, &id);
	if (!t)
		return bb_err_insn(e, -EINVAL, -1, "local type [%u] does not resolve", r->type_id);
	spec->acc[0].type_id = id;
	spec->acc[0].idx = spec->raw[0];
	spec->len = 1;

	if (core_kind_is_enumval(r->kind)) {
		if (!is_any_enum(t) || n > 1 || spec->raw[0] >= bbtf_vlen(t))
			return bb_err_insn(e, -EINVAL, -1,
					   "enum relocation '%.64s' against [%u] %s: not an enumerator",
					   s, r->type_id, bbtf_kind_str(bbtf_kind(t)));
		spec->acc[0].name = str_or_empty(bbtf_name(btf, enum_name_off(t, (int)spec->raw[0])));
		return 0;
	}

	sz = bbtf_resolve_size(btf, id);
	if (sz < 0)
		return bb_err_insn(e, (int)sz, -1, "local type [%u] has no size", id);
	spec->bit_offset = (uint32_t)((uint64_t)spec->raw[0] * (uint64_t)sz * 8);
	for (int i = 1; i < n; i++) {
		uint32_t ai = spec->raw[i];
		struct core_accessor *acc = &spec->acc[spec->len];

		t = skip_mods(btf, id, &id);
		if (!t)
			return bb_err_insn(e, -EINVAL, -1, "type [%u] does not resolve", id);
		if (is_composite(t)) {
			const struct btf_member *m;

			if (ai >= bbtf_vlen(t))
				return bb_err_insn(e, -EINVAL, -1,
						   "access '%.64s': member %u of [%u] out of range", s,
						   ai, id);
			spec->bit_offset += bbtf_member_bit_offset(t, (int)ai);
			m = &bbtf_members(t)[ai];
			if (m->name_off) {
				const char *name = bbtf_name(btf, m->name_off);

				if (!name || !*name)
					return bb_err_insn(e, -EINVAL, -1, "member with a bad name");
				acc->type_id = id;
				acc->idx = ai;
				acc->name = name;
				spec->len++;
			}
			id = m->type;
		} else if (bbtf_kind(t) == BTF_KIND_ARRAY) {
			const struct btf_array *a = bbtf_array(t);

			if (!skip_mods(btf, a->type, &id))
				return bb_err_insn(e, -EINVAL, -1, "array element type does not resolve");
			if (!is_flex_arr(btf, acc - 1, a) && ai >= a->nelems)
				return bb_err_insn(e, -EINVAL, -1,
						   "access '%.64s': index %u past array of %u", s, ai,
						   a->nelems);
			acc->type_id = id;
			acc->idx = ai;
			acc->name = NULL;
			spec->len++;
			sz = bbtf_resolve_size(btf, id);
			if (sz < 0)
				return bb_err_insn(e, (int)sz, -1, "array element [%u] has no size", id);
			spec->bit_offset += (uint32_t)((uint64_t)ai * (uint64_t)sz * 8);
		} else {
			return bb_err_insn(e, -EINVAL, -1,
					   "access '%.64s' step %d reaches [%u] %s, not a struct, union "
					   "or array", s, i, id, bbtf_kind_str(bbtf_kind(t)));
		}
	}
	return 0;
}

/*
 * Find local member @lacc's namesake in target composite @tid, looking
 * through anonymous members, extending @spec (raw path, bit offset, and
 * the accessor) as it goes.  1 found and compatible, 0 not, -errno.
 */
static int match_member(const struct bbtf *lb, const struct core_accessor *lacc,
			const struct bbtf *tb, uint32_t tid, struct core_spec *spec,
			uint32_t *next_id, int depth)
{
	const struct btf_type *tt = skip_mods(tb, tid, &tid), *lt;
	const struct btf_member *lm, *m;
	const char *lname;

	if (!tt || depth > CORE_SPEC_MAX)
		return -EINVAL;
	if (!is_composite(tt))
		return 0;
	lt = bbtf_type_by_id(lb, lacc->type_id);
	lm = &bbtf_members(lt)[lacc->idx];
	lname = str_or_empty(bbtf_name(lb, lm->name_off));
	m = bbtf_members(tt);
	for (int i = 0; i < bbtf_vlen(tt); i++) {
		uint32_t bo = bbtf_member_bit_offset(tt, i);
		const char *tname = str_or_empty(bbtf_name(tb, m[i].name_off));
		int found;

		if (spec->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		/* assume this member is the one; undo below if not */
		spec->bit_offset += bo;
		spec->raw[spec->raw_len++] = (uint32_t)i;
		if (!*tname) {
			found = match_member(lb, lacc, tb, m[i].type, spec, next_id, depth + 1);
			if (found)
				return found;
		} else if (!strcmp(lname, tname)) {
			struct core_accessor *tacc = &spec->acc[spec->len++];

			tacc->type_id = tid;
			tacc->idx = (uint32_t)i;
			tacc->name = tname;
			*next_id = m[i].type;
			found = fields_are_compat(lb, lm->type, tb, m[i].type);
			if (!found)
				spec->len--;
			return found;
		}
		spec->bit_offset -= bo;
		spec->raw_len--;
	}
	return 0;
}

int core_spec_match(const struct core_spec *local, const struct bbtf *targ, uint32_t targ_id,
		    struct core_spec *out)
{
	const struct core_accessor *lacc = local->acc;
	struct core_accessor *tacc = out->acc;
	const struct btf_type *tt;

	memset(out, 0, sizeof(*out));
	out->btf = targ;
	out->root_type_id = targ_id;
	out->kind = local->kind;

	if (core_kind_is_type(local->kind)) {
		if (local->kind == BPF_CORE_TYPE_MATCHES)
			return core_types_match(local->btf, local->root_type_id, targ, targ_id);
		return core_types_are_compat(local->btf, local->root_type_id, targ, targ_id);
	}
	if (core_kind_is_enumval(local->kind)) {
		tt = skip_mods(targ, targ_id, &targ_id);
		if (!tt || !is_any_enum(tt))
			return 0;
		for (int i = 0; i < bbtf_vlen(tt); i++) {
			const char *tn = str_or_empty(bbtf_name(targ, enum_name_off(tt, i)));

			if (!essential_eq(lacc->name, tn))
				continue;
			tacc->type_id = targ_id;
			tacc->idx = (uint32_t)i;
			tacc->name = tn;
			out->len = 1;
			out->raw[0] = (uint32_t)i;
			out->raw_len = 1;
			return 1;
		}
		return 0;
	}
	if (!core_kind_is_field(local->kind))
		return -EINVAL;
	for (int i = 0; i < local->len; i++, lacc++, tacc++) {
		int64_t sz;

		tt = skip_mods(targ, targ_id, &targ_id);
		if (!tt)
			return -EINVAL;
		if (lacc->name) {
			int r = match_member(local->btf, lacc, targ, targ_id, out, &targ_id, 0);

			if (r <= 0)
				return r;
			continue;
		}
		/* The first accessor indexes the root pointer: the root type is
		 * already the "element".  Later ones need an array here. */
		if (i > 0) {
			const struct btf_array *a;

			if (bbtf_kind(tt) != BTF_KIND_ARRAY)
				return 0;
			a = bbtf_array(tt);
			if (!is_flex_arr(targ, tacc - 1, a) && lacc->idx >= a->nelems)
				return 0;
			if (!skip_mods(targ, a->type, &targ_id))
				return -EINVAL;
		}
		if (out->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		tacc->type_id = targ_id;
		tacc->idx = lacc->idx;
		tacc->name = NULL;
		out->len++;
		out->raw[out->raw_len++] = lacc->idx;
		sz = bbtf_resolve_size(targ, targ_id);
		if (sz < 0)
			return (int)sz;
		out->bit_offset += (uint32_t)((uint64_t)lacc->idx * (uint64_t)sz * 8);
	}
	return 1;
}

static const char *kind_word(int kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT: return "struct ";
	case BTF_KIND_UNION: return "union ";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: return "enum ";
	case BTF_KIND_TYPEDEF: return "typedef ";
	case BTF_KIND_FWD: return "fwd ";
	default: return "";
	}
}

const char *core_spec_str(const struct core_spec *spec, char *buf, size_t size)
{
	const struct btf_type *t = bbtf_type_by_id(spec->btf, spec->root_type_id);
	const char *name = t ? str_or_empty(bbtf_name(spec->btf, t->name_off)) : "";
	size_t len = 0;

#define PUT(...) \
	do { \
		if (len < size) { \
			int r_ = snprintf(buf + len, size - len, __VA_ARGS__); \
			len += r_ > 0 ? (size_t)r_ : 0; \
		} \
	} while (0)
	if (!size)
		return buf;
	buf[0] = '\0';
	if (t && !*kind_word(bbtf_kind(t)))
		PUT("%s ", bbtf_kind_str(bbtf_kind(t)));
	PUT("%s%s", t ? kind_word(bbtf_kind(t)) : "", *name ? name : "<anon>");
	if (core_kind_is_enumval(spec->kind) && spec->len > 0) {
		PUT("::%s", str_or_empty(spec->acc[0].name));
	} else if (core_kind_is_field(spec->kind)) {
		for (int i = 0; i < spec->len; i++) {
			if (spec->acc[i].name)
				PUT(".%s", spec->acc[i].name);
			else if (i > 0 || spec->acc[i].idx > 0)
				PUT("[%u]", spec->acc[i].idx);
		}
		PUT(" (");
		for (int i = 0; i < spec->raw_len; i++)
			PUT("%s%u", i ? ":" : "", spec->raw[i]);
		PUT(")");
	}
#undef PUT
	if (len >= size)
		buf[size - 1] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

/* Element size of @id for a load or store (arrays: their innermost
 * element), or -EINVAL. */
static int64_t access_size(const struct bbtf *btf, uint32_t id)
{
	uint32_t elem = id;
	const struct btf_type *t = skip_mods(btf, id, &elem);

	for (int depth = 0; t && bbtf_kind(t) == BTF_KIND_ARRAY; depth++) {
		if (depth > CORE_TYPE_DEPTH)
			return -EINVAL;
		t = skip_mods(btf, bbtf_array(t)->type, &elem);
	}
	return t ? bbtf_resolve_size(btf, elem) : -EINVAL;
}

/* The field facts of @spec (NULL: no target) for relocation @kind.
 * -EUCLEAN asks for poisoning, as in libbpf. */
static int calc_field(const struct core_spec *spec, uint32_t kind, uint64_t *val,
		      uint32_t *field_sz, uint32_t *type_id, bool *validate, struct bb_err *e)
{
	const struct core_accessor *acc;
	const struct btf_type *t, *mt;
	uint32_t byte_off, byte_sz, bit_off, bit_sz, ftype = 0;
	bool bitfield;
	int64_t sz;

	*field_sz = 0;
	if (kind == BPF_CORE_FIELD_EXISTS) {
		*val = spec ? 1 : 0;
		return 0;
	}
	if (!spec)
		return -EUCLEAN;
	acc = &spec->acc[spec->len - 1];
	t = bbtf_type_by_id(spec->btf, acc->type_id);
	if (!acc->name) {       /* the spec ends in an array index */
		if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
			*val = spec->bit_offset / 8;
			sz = access_size(spec->btf, acc->type_id);
			if (sz < 0)
				return bb_err_insn(e, -EINVAL, -1, "array element has no size");
			*field_sz = (uint32_t)sz;
			*type_id = acc->type_id;
		} else if (kind == BPF_CORE_FIELD_BYTE_SIZE) {
			sz = bbtf_resolve_size(spec->btf, acc->type_id);
			if (sz < 0)
				return bb_err_insn(e, -EINVAL, -1, "array element has no size");
			*val = (uint64_t)sz;
		} else {
			return bb_err_insn(e, -EINVAL, -1, "%s relocation on an array element",
					   bbtf_core_kind_str(kind));
		}
		if (validate)
			*validate = true;
		return 0;
	}
	mt = skip_mods(spec->btf, bbtf_members(t)[acc->idx].type, &ftype);
	if (!mt)
		return bb_err_insn(e, -EINVAL, -1, "field type does not resolve");
	bit_off = spec->bit_offset;
	bit_sz = bbtf_member_bitfield_size(t, (int)acc->idx);
	bitfield = bit_sz > 0;
	if (bitfield) {
		/* the smallest naturally aligned load, starting at the
		 * field's own type size, that covers every bit */
		byte_sz = mt->size;
		if (!byte_sz)
			return bb_err_insn(e, -EINVAL, -1, "bitfield of a sizeless type");
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8)
				return bb_err_insn(e, -E2BIG, -1,
						   "bitfield at bit %u (%u bits) cannot be read with one "
						   "8-byte load", bit_off, bit_sz);
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		sz = bbtf_resolve_size(spec->btf, ftype);
		if (sz < 0)
			return bb_err_insn(e, -EINVAL, -1, "field type [%u] has no size", ftype);
		byte_sz = (uint32_t)sz;
		byte_off = spec->bit_offset / 8;
		bit_sz = byte_sz * 8;
	}
	/* Bitfield offsets and sizes are a choice the compiler may make
	 * differently (it may load 4 bytes where we compute 8), so only the
	 * unambiguous facts are checked against the instruction. */
	if (validate)
		*validate = !bitfield;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			sz = access_size(spec->btf, ftype);
			if (sz < 0)
				return bb_err_insn(e, -EINVAL, -1, "field type [%u] has no size", ftype);
			*field_sz = (uint32_t)sz;
			*type_id = ftype;
		}
		break;
	case BPF_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case BPF_CORE_FIELD_SIGNED:
		*val = (is_any_enum(mt) && bbtf_kflag(mt)) ||
		       (bbtf_kind(mt) == BTF_KIND_INT && (int_encoding(mt) & BTF_INT_SIGNED));
		if (validate)
			*validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
#else
		*val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#endif
		break;
	case BPF_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = true;
		break;
	default:
		return bb_err_insn(e, -EOPNOTSUPP, -1, "unknown field relocation %u", kind);
	}
	return 0;
}

static int calc_type(const struct core_spec *spec, uint32_t kind, uint64_t *val, bool *validate,
		     struct bb_err *e)
{
	int64_t sz;

	if (validate)
		*validate = true;
	if (!spec) {            /* type relocations say 0 when there is no type */
		*val = 0;
		return 0;
	}
	switch (kind) {
	case BPF_CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id;
		/* ids in the object move when objects are linked together */
		if (validate)
			*validate = false;
		return 0;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BPF_CORE_TYPE_SIZE:
		sz = bbtf_resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return bb_err_insn(e, -EINVAL, -1, "type [%u] has no size", spec->root_type_id);
		*val = (uint64_t)sz;
		return 0;
	default:
		return bb_err_insn(e, -EOPNOTSUPP, -1, "unknown type relocation %u", kind);
	}
}

static int calc_enumval(const struct core_spec *spec, uint32_t kind, uint64_t *val,
			struct bb_err *e)
{
	const struct btf_type *t;

	switch (kind) {
	case BPF_CORE_ENUMVAL_EXISTS:
		*val = spec ? 1 : 0;
		return 0;
	case BPF_CORE_ENUMVAL_VALUE:
		if (!spec)
			return -EUCLEAN;
		t = bbtf_type_by_id(spec->btf, spec->acc[0].type_id);
		/* a 32-bit enumerator is sign-extended, as libbpf's s32 is */
		if (bbtf_kind(t) == BTF_KIND_ENUM)
			*val = (uint64_t)(int64_t)bbtf_enums(t)[spec->acc[0].idx].val;
		else
			*val = (uint64_t)bbtf_enum64_val(&bbtf_enums64(t)[spec->acc[0].idx]);
		return 0;
	default:
		return bb_err_insn(e, -EOPNOTSUPP, -1, "unknown enum relocation %u", kind);
	}
}

static int calc_relo(uint32_t kind, const struct core_spec *local, const struct core_spec *targ,
		     struct core_result *res, struct bb_err *e)
{
	int err = -EOPNOTSUPP;

	res->orig_val = res->new_val = 0;
	res->poison = false;
	res->validate = true;
	res->fail_memsz_adjust = false;
	res->orig_sz = res->new_sz = 0;
	res->orig_type_id = res->new_type_id = 0;
	if (core_kind_is_field(kind)) {
		err = calc_field(local, kind, &res->orig_val, &res->orig_sz, &res->orig_type_id,
				 &res->validate, e);
		if (!err)
			err = calc_field(targ, kind, &res->new_val, &res->new_sz, &res->new_type_id,
					 NULL, e);
		if (!err && res->orig_sz != res->new_sz) {
			const struct btf_type *ot = bbtf_type_by_id(local->btf, res->orig_type_id);
			const struct btf_type *nt = bbtf_type_by_id(targ->btf, res->new_type_id);

			/* A load may change size only where zero extension keeps
			 * the value: pointers (32-bit kernels) and unsigned
			 * integers.  Anything else poisons at patch time. */
			if (ot && nt && bbtf_kind(ot) == BTF_KIND_PTR && bbtf_kind(nt) == BTF_KIND_PTR)
				return 0;
			if (ot && nt && bbtf_kind(ot) == BTF_KIND_INT && bbtf_kind(nt) == BTF_KIND_INT &&
			    int_encoding(ot) != BTF_INT_SIGNED && int_encoding(nt) != BTF_INT_SIGNED)
				return 0;
			res->fail_memsz_adjust = true;
		}
	} else if (core_kind_is_type(kind)) {
		err = calc_type(local, kind, &res->orig_val, &res->validate, e);
		if (!err)
			err = calc_type(targ, kind, &res->new_val, NULL, e);
	} else if (core_kind_is_enumval(kind)) {
		err = calc_enumval(local, kind, &res->orig_val, e);
		if (!err)
			err = calc_enumval(targ, kind, &res->new_val, e);
	} else {
		err = bb_err_insn(e, -EOPNOTSUPP, -1, "unknown CO-RE relocation kind %u", kind);
	}
	if (err == -EUCLEAN) {
		res->poison = true;
		err = 0;
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Candidates and the context                                           */
/* ------------------------------------------------------------------ */

int core_ctx_new(const struct bbtf *local, const struct bbtf *target, struct core_ctx **out,
		 struct bb_err *e)
{
	struct core_ctx *c;

	*out = NULL;
	if (!local || !target)
		return bb_err_insn(e, -EINVAL, -1, "CO-RE needs a local and a target BTF");
	c = calloc(1, sizeof(*c));
	if (c)
		c->cands = calloc(bbtf_type_cnt(local), sizeof(*c->cands));
	if (!c || !c->cands) {
		free(c);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	c->local = local;
	c->target = target;
	c->n_local = bbtf_type_cnt(local);
	*out = c;
	return 0;
}

void core_ctx_free(struct core_ctx *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->n_local; i++) {
		if (c->cands[i])
			free(c->cands[i]->ids);
		free(c->cands[i]);
	}
	free(c->cands);
	free(c);
}

int core_find_cands(struct core_ctx *c, uint32_t local_id, struct core_cands **out,
		    struct bb_err *e)
{
	const struct btf_type *lt = bbtf_type_by_id(c->local, local_id);
	const char *lname;
	struct core_cands *cl;
	struct bb_vec ids;
	size_t llen;
	uint32_t n;

	*out = NULL;
	if (!lt || local_id == 0 || local_id >= c->n_local)
		return bb_err_insn(e, -EINVAL, -1, "local type id %u out of range", local_id);
	if (c->cands[local_id]) {
		*out = c->cands[local_id];
		return 0;
	}
	lname = str_or_empty(bbtf_name(c->local, lt->name_off));
	if (!*lname)
		return bb_err_insn(e, -EINVAL, -1,
				   "relocation against anonymous type [%u] %s: no name to search for",
				   local_id, bbtf_kind_str(bbtf_kind(lt)));
	llen = core_essential_name_len(lname);
	bb_vec_init(&ids, sizeof(uint32_t));
	/* Every target type with that essential name, flavors included, in
	 * id order, from the target's name index (keyed by essential name,
	 * built once per target BTF and kept by it): a lookup, where a scan
	 * of all 126k vmlinux types per local type was milliseconds per
	 * object.  Then the kind filter the scan applied. */
	if (bbtf_find_essential(c->target, lname, llen, &ids) < 0) {
		bb_vec_free(&ids);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	n = 0;
	for (size_t k = 0; k < ids.len; k++) {
		uint32_t id = *bb_vec_at(&ids, uint32_t, k);

		if (kind_core_compat(bbtf_type_by_id(c->target, id), lt))
			*bb_vec_at(&ids, uint32_t, n++) = id;
	}
	ids.len = n;
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		bb_vec_free(&ids);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	cl->ids = ids.data;
	cl->len = cl->found = (uint32_t)ids.len;
	c->cands[local_id] = cl;
	*out = cl;
	return 0;
}

int core_calc(struct core_ctx *c, const struct core_relo *r, struct core_result *res,
	      struct bb_err *e)
{
	/* three specs are ~1.3 KiB each: fine on the stack */
	struct core_spec local, cand, targ;
	struct core_result cr;
	struct core_cands *cl;
	uint32_t j = 0;
	int err;

	memset(res, 0, sizeof(*res));
	err = core_parse_spec(c->local, r, &local, e);
	if (err)
		return err;
	core_spec_str(&local, res->local_spec, sizeof(res->local_spec));

	/* TYPE_ID_LOCAL needs no target: the id is the object's own, and
	 * not checked because linking objects renumbers types. */
	if (r->kind == BPF_CORE_TYPE_ID_LOCAL) {
		res->orig_val = res->new_val = local.root_type_id;
		res->validate = false;
		return 0;
	}
	err = core_find_cands(c, r->type_id, &cl, e);
	if (err)
		return err;
	res->cand_cnt = cl->found;
	for (uint32_t i = 0; i < cl->len; i++) {
		err = core_spec_match(&local, c->target, cl->ids[i], &cand);
		if (err < 0)
			return bb_err_insn(e, err, -1, "matching candidate [%u] %s failed", cl->ids[i],
					   bbtf_type_name(c->target, cl->ids[i]));
		if (!err)
			continue;
		err = calc_relo(r->kind, &local, &cand, &cr, e);
		if (err)
			return err;
		if (j == 0) {
			targ = cand;
			res->orig_val = cr.orig_val;
			res->new_val = cr.new_val;
			res->poison = cr.poison;
			res->validate = cr.validate;
			res->fail_memsz_adjust = cr.fail_memsz_adjust;
			res->orig_sz = cr.orig_sz;
			res->new_sz = cr.new_sz;
			res->orig_type_id = cr.orig_type_id;
			res->new_type_id = cr.new_type_id;
		} else if (cand.bit_offset != targ.bit_offset) {
			/* candidates that agree on everything are dedup leftovers;
			 * ones that disagree make the answer a guess */
			return bb_err_insn(e, -EINVAL, -1,
					   "ambiguous: candidates [%u] and [%u] put the field at bit %u "
					   "and bit %u", targ.root_type_id, cand.root_type_id,
					   targ.bit_offset, cand.bit_offset);
		} else if (cr.poison != res->poison || cr.new_val != res->new_val) {
			return bb_err_insn(e, -EINVAL, -1,
					   "ambiguous: candidates [%u] and [%u] give %s %llu and %s %llu",
					   targ.root_type_id, cand.root_type_id,
					   res->poison ? "failure" : "value",
					   (unsigned long long)res->new_val,
					   cr.poison ? "failure" : "value", (unsigned long long)cr.new_val);
		}
		/* later relocations of this type only consider candidates
		 * that matched this one (libbpf prunes the same way) */
		cl->ids[j++] = cl->ids[i];
	}
	if (j > 0) {
		cl->len = j;
		res->targ_type_id = targ.root_type_id;
		core_spec_str(&targ, res->targ_spec, sizeof(res->targ_spec));
		return 0;
	}
	/* No candidate matched: "exists" kinds say 0, the rest poison. */
	err = calc_relo(r->kind, &local, NULL, res, e);
	if (err)
		return err;
	if (res->poison)
		res->why = !cl->found ? CORE_NO_TYPE
			   : core_kind_is_enumval(r->kind) ? CORE_NO_ENUMVAL : CORE_NO_FIELD;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Patching                                                             */
/* ------------------------------------------------------------------ */

static void poison_one(struct isa_raw *in)
{
	in->code = BPF_JMP | BPF_CALL;
	in->dst = 0;
	in->src = 0;
	in->off = 0;
	/* reachable => the verifier says "invalid func unknown#195896080" */
	in->imm = CORE_POISON_IMM;
}

static bool is_ldimm64(const struct isa_raw *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_DW: return 8;
	case BPF_W: return 4;
	case BPF_H: return 2;
	case BPF_B: return 1;
	default: return -1;
	}
}

static int bytes_size(uint32_t sz)
{
	switch (sz) {
	case 8: return BPF_DW;
	case 4: return BPF_W;
	case 2: return BPF_H;
	case 1: return BPF_B;
	default: return -1;
	}
}

int core_patch(struct isa_raw *insns, size_t cnt, const struct core_relo *r,
	       struct core_result *res, struct bb_err *e)
{
	struct isa_raw *in;
	int idx = (int)r->insn;

	if (r->insn >= cnt)
		return bb_err_insn(e, -EINVAL, -1, "relocation at insn %u past the end (%zu)", r->insn,
				   cnt);
	in = &insns[r->insn];
	if (is_ldimm64(in) && r->insn + 1 >= cnt)
		return bb_err_insn(e, -EINVAL, idx, "ld_imm64 without its second slot");
	if (res->poison) {
poison:
		/* both slots of an ld_imm64, or the verifier would first
		 * complain about "unknown opcode 00" in the second */
		if (is_ldimm64(in))
			poison_one(in + 1);
		poison_one(in);
		return 0;
	}
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(in->code) != BPF_K)
			return bb_err_insn(e, -EINVAL, idx, "ALU instruction with a register source");
		if (res->validate && (uint64_t)(int64_t)in->imm != res->orig_val)
			return bb_err_insn(e, -EINVAL, idx,
					   "unexpected ALU immediate %d, expected %llu (-> %llu)",
					   in->imm, (unsigned long long)res->orig_val,
					   (unsigned long long)res->new_val);
		in->imm = (int32_t)res->new_val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (res->validate && (uint64_t)(int64_t)in->off != res->orig_val)
			return bb_err_insn(e, -EINVAL, idx,
					   "unexpected memory offset %d, expected %llu (-> %llu)", in->off,
					   (unsigned long long)res->orig_val,
					   (unsigned long long)res->new_val);
		if (res->new_val > SHRT_MAX)
			return bb_err_insn(e, -ERANGE, idx, "offset %llu does not fit in 16 bits",
					   (unsigned long long)res->new_val);
		if (res->fail_memsz_adjust) {
			res->poison = true;
			res->why = CORE_BAD_MEMSZ;
			goto poison;
		}
		/* checked before anything is written: an error leaves the
		 * instruction as it was */
		if (res->new_sz != res->orig_sz) {
			int bpf_sz = bytes_size(res->new_sz);

			if (size_bytes(in->code) != (int)res->orig_sz)
				return bb_err_insn(e, -EINVAL, idx,
						   "access of %d bytes to a field of %u bytes",
						   size_bytes(in->code), res->orig_sz);
			if (bpf_sz < 0)
				return bb_err_insn(e, -EINVAL, idx,
						   "field of %u bytes cannot be loaded in one access",
						   res->new_sz);
			in->code = (uint8_t)(BPF_MODE(in->code) | bpf_sz | BPF_CLASS(in->code));
		}
		in->off = (int16_t)res->new_val;
		return 0;
	case BPF_LD: {
		uint64_t imm;

		if (!is_ldimm64(in) || in[0].src || in[0].off || in[1].code || in[1].dst ||
		    in[1].src || in[1].off)
			return bb_err_insn(e, -EINVAL, idx, "ld_imm64 of an unexpected form");
		imm = (uint32_t)in[0].imm | ((uint64_t)(uint32_t)in[1].imm << 32);
		if (res->validate && imm != res->orig_val)
			return bb_err_insn(e, -EINVAL, idx,
					   "unexpected ld_imm64 value %llu, expected %llu (-> %llu)",
					   (unsigned long long)imm, (unsigned long long)res->orig_val,
					   (unsigned long long)res->new_val);
		in[0].imm = (int32_t)(uint32_t)res->new_val;
		in[1].imm = (int32_t)(uint32_t)(res->new_val >> 32);
		return 0;
	}
	default:
		return bb_err_insn(e, -EINVAL, idx,
				   "cannot relocate instruction code 0x%02x (not ALU, LDX, ST, STX or "
				   "ld_imm64)", in->code);
	}
}
