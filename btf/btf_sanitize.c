/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_sanitize.c - rewrite BTF for a kernel that lacks newer kinds.
 *
 * The rule (libbpf's, described in bpf_object__sanitize_btf) is to keep
 * every type id and every record's size, so that func_info, line_info,
 * CO-RE relocations and map BTF ids computed against the original still
 * point at the same records.  Each unsupported kind is therefore replaced
 * by an older kind whose record has the same layout:
 *
 *   VAR (12+4)            -> INT (12+4), 1 byte, 8 bits: size 1 is the
 *                            only one no variable can be smaller than
 *   DATASEC (12+12*n)     -> STRUCT (12+12*n): secinfo {type, offset, size}
 *                            becomes member {var's name, var, offset*8}
 *   FUNC_PROTO (12+8*n)   -> ENUM (12+8*n): params become enumerators
 *   FUNC (12)             -> TYPEDEF (12)
 *   FLOAT (12)            -> STRUCT (12), anonymous, same size, no members
 *   DECL_TAG (12+4)       -> INT (12+4), 1 byte, named by the tag
 *   TYPE_TAG (12)         -> CONST (12)
 *   ENUM64 (12+12*n)      -> UNION (12+12*n) of one appended 1-byte INT
 *
 * Only the ENUM64 rewrite adds a type (at the end, so no id moves) and a
 * string.  The work happens on a copy of the type bytes; the caller's
 * object is untouched.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct btf_type *at(uint8_t *types, const struct bbtf *b, uint32_t own)
{
	return (struct btf_type *)(types + b->offs[own]);
}

/* A VAR record's name if @id is a VAR (in @types or the base). */
static uint32_t var_name_off(const struct bbtf *b, uint8_t *types, uint32_t id)
{
	const struct btf_type *v;

	if (id >= b->start_id && id - b->start_id < b->nr)
		v = at(types, b, id - b->start_id);
	else
		v = bbtf_type_by_id(b, id);
	return v ? v->name_off : 0;
}

/* Rewrite DATASEC @t's name in place in the copied string section:
 * '.' and '?' are not identifier characters to a kernel without DATASEC
 * (it checks STRUCT names). */
static void fix_sec_name(char *strs, const struct bbtf *b, uint32_t off, bool all)
{
	char *p;

	if (off < b->str_start || off - b->str_start >= b->strs_len)
		return;         /* a base string: not ours to change */
	p = strs + (off - b->str_start);
	if (!all) {
		if (*p == '?')
			*p = '_';
		return;
	}
	for (; *p; p++)
		if (*p == '.' || *p == '?')
			*p = '_';
}

int bbtf_sanitize(const struct bbtf *btf, unsigned int features, void **out, size_t *size,
		  struct bb_err *e)
{
	bool has_func = features & BBTF_FEAT_FUNC, has_datasec = features & BBTF_FEAT_DATASEC;
	bool has_global = features & BBTF_FEAT_FUNC_GLOBAL, has_float = features & BBTF_FEAT_FLOAT;
	bool has_decl = features & BBTF_FEAT_DECL_TAG, has_ttag = features & BBTF_FEAT_TYPE_TAG;
	bool has_e64 = features & BBTF_FEAT_ENUM64, has_qmark = features & BBTF_FEAT_QMARK_DATASEC;
	struct bbtf *tmp = NULL;
	uint8_t *types = NULL;
	uint32_t placeholder = 0;
	int ret = 0;

	*out = NULL;
	*size = 0;
	/* Work on a clone (same base, same strings) so an appended INT and
	 * its name land in a private copy. */
	ret = bbtf_new(btf->base, &tmp);
	if (ret)
		return bb_err_insn(e, ret, -1, "out of memory");
	free(tmp->strs);
	tmp->strs = malloc(btf->strs_len ? btf->strs_len : 1);
	types = malloc(btf->types_len ? btf->types_len : 1);
	if (!tmp->strs || !types) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto out;
	}
	memcpy(tmp->strs, btf->strs, btf->strs_len);
	tmp->strs_len = tmp->strs_cap = btf->strs_len;
	memcpy(types, btf->types, btf->types_len);

	if (!has_e64) {
		for (uint32_t i = 0; i < btf->nr && !placeholder; i++)
			if (bbtf_kind(at(types, btf, i)) == BTF_KIND_ENUM64)
				placeholder = bbtf_type_cnt(btf);
	}
	for (uint32_t i = 0; i < btf->nr; i++) {
		struct btf_type *t = at(types, btf, i);
		uint16_t vlen = bbtf_vlen(t);

		switch (bbtf_kind(t)) {
		case BTF_KIND_VAR:
			if (!has_datasec) {
				t->info = bbtf_info(BTF_KIND_INT, 0, false);
				t->size = 1;
				*(uint32_t *)(t + 1) = 8;       /* encoding 0, offset 0, 8 bits */
			}
			break;
		case BTF_KIND_DATASEC:
			if (!has_datasec) {
				struct btf_var_secinfo *v = bbtf_secinfos(t);
				struct btf_member *m = bbtf_members(t);

				fix_sec_name(tmp->strs, btf, t->name_off, true);
				t->info = bbtf_info(BTF_KIND_STRUCT, vlen, false);
				/* Same 12 bytes, fields reordered: read each secinfo
				 * whole before writing the member over it. */
				for (int j = 0; j < vlen; j++) {
					struct btf_var_secinfo s = v[j];

					m[j].name_off = var_name_off(btf, types, s.type);
					m[j].type = s.type;
					m[j].offset = s.offset * 8;
				}
			} else if (!has_qmark) {
				fix_sec_name(tmp->strs, btf, t->name_off, false);
			}
			break;
		case BTF_KIND_FUNC_PROTO:
			if (!has_func) {
				t->info = bbtf_info(BTF_KIND_ENUM, vlen, false);
				t->size = sizeof(uint32_t);     /* what the kernel demands of an enum */
			}
			break;
		case BTF_KIND_FUNC:
			if (!has_func)
				t->info = bbtf_info(BTF_KIND_TYPEDEF, 0, false);
			else if (!has_global)
				t->info = bbtf_info(BTF_KIND_FUNC, BTF_FUNC_STATIC, false);
			break;
		case BTF_KIND_FLOAT:
			if (!has_float) {
				/* "float" is no struct name C accepts: anonymous. */
				t->name_off = 0;
				t->info = bbtf_info(BTF_KIND_STRUCT, 0, false);
			}
			break;
		case BTF_KIND_DECL_TAG:
			if (!has_decl) {
				/* The tag's text stays as the INT's name. */
				t->info = bbtf_info(BTF_KIND_INT, 0, false);
				t->size = 1;
				*(uint32_t *)(t + 1) = 8;
			}
			break;
		case BTF_KIND_TYPE_TAG:
			if (!has_ttag) {
				t->name_off = 0;
				t->info = bbtf_info(BTF_KIND_CONST, 0, false);
			}
			break;
		case BTF_KIND_ENUM:
			/* Before ENUM64 the kind_flag had to be 0 (signedness
			 * came with ENUM64). */
			if (!has_e64)
				t->info = bbtf_info(BTF_KIND_ENUM, vlen, false);
			break;
		case BTF_KIND_ENUM64:
			if (!has_e64) {
				struct btf_member *m = bbtf_members(t);

				t->info = bbtf_info(BTF_KIND_UNION, vlen, false);
				for (int j = 0; j < vlen; j++) {
					/* Keep the enumerator's name as the member's. */
					m[j].type = placeholder;
					m[j].offset = 0;
				}
			}
			break;
		default:
			break;
		}
	}
	if (placeholder) {
		struct btf_type it = { .info = bbtf_info(BTF_KIND_INT, 0, false), .size = 1 };
		uint32_t data = 8;
		int off = bbtf_add_str(tmp, "enum64_placeholder");
		size_t n = btf->types_len + sizeof(it) + sizeof(data);
		uint8_t *grown;

		if (off < 0) {
			ret = bb_err_insn(e, off, -1, "cannot add the enum64 placeholder name");
			goto out;
		}
		grown = realloc(types, n);
		if (!grown) {
			ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
			goto out;
		}
		types = grown;
		it.name_off = (uint32_t)off;
		memcpy(types + btf->types_len, &it, sizeof(it));
		memcpy(types + btf->types_len + sizeof(it), &data, sizeof(data));
		ret = bbtf__serialize(tmp, types, n, out, size);
	} else {
		ret = bbtf__serialize(tmp, types, btf->types_len, out, size);
	}
	if (ret)
		bb_err_insn(e, ret, -1, "out of memory");
out:
	free(types);
	bbtf_free(tmp);
	return ret;
}
