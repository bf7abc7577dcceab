/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_maps.c - map definitions: the legacy `maps` section, BTF-defined
 * `.maps`, and the internal array maps that hold global data.  Order
 * follows libbpf (legacy, BTF, global data, then .kconfig from
 * obj_extern.c) so map indexes match what libbpf users expect.
 *
 * BTF-defined maps carry their attributes in the *types* of the struct's
 * members, not in the bytes (which are all zero): libbpf's bpf_helpers.h
 * defines
 *     #define __uint(name, val)  int (*name)[val]       -> PTR -> ARRAY[val]
 *     #define __type(name, val)  typeof(val) *name      -> PTR -> val
 *     #define __array(name, val) typeof(val) *name[]    -> ARRAY[0] of PTR
 * and __ulong(name, val) an enum with one value, for 64-bit map_extra.
 */
#include "elf/obj_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"

void obj_map_priv_free(struct obj_map_priv *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->kname);
	free(p->init);
	bb_vec_free(&p->slots);
	if (p->inner_priv) {
		obj_map_priv_free(p->inner_priv);
		free(p->inner_priv);
	}
	free(p->inner);
}

int obj_map_add(struct obj *o, struct bb_err *e)
{
	struct obj_map *m = bb_vec_push(&o->maps, NULL);
	struct obj_map_priv *p;

	if (!m)
		return obj_err(o, e, -ENOMEM, NULL, -1, "out of memory");
	p = bb_vec_push(&o->map_priv, NULL);
	if (!p) {
		o->maps.len--;
		return obj_err(o, e, -ENOMEM, NULL, -1, "out of memory");
	}
	bb_vec_init(&p->slots, sizeof(struct obj_map_slot));
	p->values_off = UINT64_MAX;
	return (int)(o->maps.len - 1);
}

void obj_internal_map_name(const char *obj_name, const char *sec_name, char out[OBJ_NAME_LEN])
{
	size_t sfx = strlen(sec_name), pfx;

	/* libbpf keeps 7 characters for the suffix even for ".bss", so
	 * names stay the same across sections ("my_objec.bss"). */
	if (sfx < 7)
		sfx = 7;
	if (sfx > OBJ_NAME_LEN - 1)
		sfx = OBJ_NAME_LEN - 1;
	/* ".rodata.str1.1", ".data.custom": the section name alone. */
	if (strchr(sec_name + 1, '.'))
		pfx = 0;
	else
		pfx = strlen(obj_name) < OBJ_NAME_LEN - 1 - sfx ? strlen(obj_name)
								 : OBJ_NAME_LEN - 1 - sfx;
	/* pfx + sfx < OBJ_NAME_LEN: what snprintf("%.*s%.*s") wrote, by
	 * hand (it was a third of setting up a data map). */
	memcpy(out, obj_name, pfx);
	sfx = strnlen(sec_name, sfx);
	memcpy(out + pfx, sec_name, sfx);
	out[pfx + sfx] = '\0';
	/* The kernel takes only [A-Za-z0-9_.] in names. */
	for (char *c = out; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
			*c = '_';
}

static int set_names(struct obj *o, int idx, const char *name, const char *kname,
		     const char *sec, struct bb_err *e)
{
	struct obj_map *m = &obj_maps(o)[idx];
	struct obj_map_priv *p = &obj_map_privs(o)[idx];

	p->name = strdup(name);
	p->kname = strndup(kname, OBJ_NAME_LEN - 1);
	if (!p->name || !p->kname)
		return obj_err(o, e, -ENOMEM, sec, -1, "out of memory");
	m->name = p->name;
	m->kname = p->kname;
	m->section = sec;
	return 0;
}

/* ----- legacy `maps` ----- */

static int legacy_maps(struct obj *o, struct obj_sec *s, struct bb_err *e)
{
	size_t nr = 0, stride;

	for (size_t k = 1; k < o->nsyms; k++)
		if (o->syms[k].shndx == s->idx && o->syms[k].type != STT_SECTION)
			nr++;
	if (!nr)
		return 0;
	if (!s->data || s->size % nr)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "cannot tell the map definition size: %zu maps in %zu bytes", nr,
			       s->size);
	stride = s->size / nr;
	if (stride < 4 * sizeof(uint32_t))
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map definitions of %zu bytes are too small (type, key, value, max_entries)",
			       stride);
	for (size_t k = 1; k < o->nsyms; k++) {
		const struct obj_sym *y = &o->syms[k];
		uint32_t def[OBJ_ELF_MAP_DEF_SIZE / 4] = { 0 };
		struct obj_map *m;
		struct obj_map_priv *p;
		int idx, err;

		if (y->shndx != s->idx || y->type == STT_SECTION)
			continue;
		if (y->value > s->size || stride > s->size - y->value)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s' at offset %llu runs past the section end (%zu bytes)",
				       y->name, (unsigned long long)y->value, s->size);
		if (y->size && y->size != stride)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': symbol size %llu differs from the %zu-byte stride",
				       y->name, (unsigned long long)y->size, stride);
		memcpy(def, s->data + y->value,
		       stride < sizeof(def) ? stride : sizeof(def));
		/* Bytes we do not understand must be zero, as libbpf demands. */
		if (stride > OBJ_LEGACY_MAP_DEF_SIZE && stride != OBJ_ELF_MAP_DEF_SIZE) {
			for (size_t b = OBJ_LEGACY_MAP_DEF_SIZE; b < stride; b++)
				if (s->data[y->value + b])
					return obj_err(o, e, -EINVAL, s->name, -1,
						       "map '%s': unrecognised non-zero bytes in a %zu-byte definition",
						       y->name, stride);
		}
		idx = obj_map_add(o, e);
		if (idx < 0)
			return idx;
		err = set_names(o, idx, y->name, y->name, s->name, e);
		if (err)
			return err;
		m = &obj_maps(o)[idx];
		p = &obj_map_privs(o)[idx];
		m->kind = OBJ_MAP_USER;
		m->type = def[0];
		m->key_size = def[1];
		m->value_size = def[2];
		m->max_entries = def[3];
		m->map_flags = def[4];
		p->sec_idx = s->idx;
		p->sec_off = y->value;
		p->def_size = stride;
		if (stride == OBJ_ELF_MAP_DEF_SIZE) {
			/* iproute2: id, pinning (PIN_NONE 0, PIN_OBJECT_NS 1,
			 * PIN_GLOBAL_NS 2), inner_id, inner_idx. */
			p->elf_id = def[5];
			if (def[6] == 2)
				m->pinning = OBJ_PIN_BY_NAME;
			else if (def[6])
				return obj_err(o, e, -ENOTSUP, s->name, -1,
					       "map '%s': iproute2 pinning %u is not supported (only PIN_GLOBAL_NS)",
					       y->name, def[6]);
			p->inner_id = def[7];
			p->inner_idx = def[8];
		}
	}
	/* iproute2 map-in-map: the outer map names its template by id. */
	for (size_t i = 0; i < o->maps.len; i++) {
		struct obj_map_priv *p = &obj_map_privs(o)[i];
		struct obj_map *m = &obj_maps(o)[i];

		if (!p->inner_id || p->sec_idx != s->idx)
			continue;
		for (size_t j = 0; j < o->maps.len; j++) {
			if (j == i || obj_map_privs(o)[j].elf_id != p->inner_id)
				continue;
			p->inner = malloc(sizeof(*p->inner));
			if (!p->inner)
				return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
			*p->inner = obj_maps(o)[j];
			m->inner = p->inner;
			break;
		}
		if (!m->inner)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': inner_id %u names no map", m->name, p->inner_id);
	}
	return 0;
}

/* ----- BTF-defined `.maps` ----- */

/* __uint(name, N): PTR -> ARRAY with N elements; __ulong: one-value enum. */
static int btf_field_int(const struct bbtf *btf, uint32_t type, uint64_t *val)
{
	int id = bbtf_skip_mods(btf, type);
	const struct btf_type *t = id >= 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;

	if (!t)
		return -EINVAL;
	if (bbtf_kind(t) == BTF_KIND_PTR) {
		const struct btf_type *a = bbtf_type_by_id(btf, t->type);

		if (!a || bbtf_kind(a) != BTF_KIND_ARRAY)
			return -EINVAL;
		*val = bbtf_array(a)->nelems;
		return 0;
	}
	if (bbtf_kind(t) == BTF_KIND_ENUM && bbtf_vlen(t) == 1) {
		*val = (uint32_t)bbtf_enums(t)[0].val;
		return 0;
	}
	if (bbtf_kind(t) == BTF_KIND_ENUM64 && bbtf_vlen(t) == 1) {
		*val = (uint64_t)bbtf_enum64_val(&bbtf_enums64(t)[0]);
		return 0;
	}
	return -EINVAL;
}

/* __type(name, T): PTR -> T; gives T's id and size. */
static int btf_field_type(const struct bbtf *btf, uint32_t type, uint32_t *tid, uint32_t *size)
{
	int id = bbtf_skip_mods(btf, type);
	const struct btf_type *t = id >= 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;
	int64_t sz;

	if (!t || bbtf_kind(t) != BTF_KIND_PTR)
		return -EINVAL;
	sz = bbtf_resolve_size(btf, t->type);
	if (sz < 0 || sz > UINT32_MAX)
		return -EINVAL;
	*tid = t->type;
	*size = (uint32_t)sz;
	return 0;
}

static int parse_btf_map(struct obj *o, const struct obj_sec *s, const char *name,
			 uint32_t struct_id, struct obj_map *m, struct obj_map_priv *p,
			 bool inner, struct bb_err *e);

/* `values`: ARRAY of PTR to the inner map's struct or to a FUNC_PROTO. */
static int parse_values(struct obj *o, const struct obj_sec *s, const char *name,
			const struct btf_type *st, int mi, struct obj_map *m,
			struct obj_map_priv *p, bool inner, struct bb_err *e)
{
	const struct bbtf *btf = o->btf;
	const struct btf_member *mem = &bbtf_members(st)[mi];
	int id = bbtf_skip_mods(btf, mem->type);
	const struct btf_type *a = id >= 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;
	const struct btf_type *ptr, *tgt;
	int tid;

	if (!a || bbtf_kind(a) != BTF_KIND_ARRAY)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map '%s': 'values' must be declared with __array()", name);
	id = bbtf_skip_mods(btf, bbtf_array(a)->type);
	ptr = id >= 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;
	if (!ptr || bbtf_kind(ptr) != BTF_KIND_PTR)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map '%s': 'values' must be an array of pointers", name);
	tid = bbtf_skip_mods(btf, ptr->type);
	tgt = tid >= 0 ? bbtf_type_by_id(btf, (uint32_t)tid) : NULL;
	if (m->value_size && m->value_size != 4)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map '%s': value_size %u conflicts with 'values' (4-byte ids)",
			       name, m->value_size);
	m->value_size = 4;
	p->values_off = bbtf_member_bit_offset(st, mi) / 8;
	if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
		char iname[256];
		int err;

		if (inner)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': an inner map cannot itself hold maps", name);
		if (!tgt || bbtf_kind(tgt) != BTF_KIND_STRUCT)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': 'values' of a map-in-map must point to a map definition struct",
				       name);
		p->inner = calloc(1, sizeof(*p->inner));
		p->inner_priv = calloc(1, sizeof(*p->inner_priv));
		if (!p->inner || !p->inner_priv)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		bb_vec_init(&p->inner_priv->slots, sizeof(struct obj_map_slot));
		snprintf(iname, sizeof(iname), "%s.inner", name);
		p->inner_priv->name = strdup(iname);
		p->inner_priv->kname = strndup(iname, OBJ_NAME_LEN - 1);
		if (!p->inner_priv->name || !p->inner_priv->kname)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		p->inner->name = p->inner_priv->name;
		p->inner->kname = p->inner_priv->kname;
		p->inner->section = s->name;
		err = parse_btf_map(o, s, iname, (uint32_t)tid, p->inner, p->inner_priv, true, e);
		if (err)
			return err;
		m->inner = p->inner;
	} else if (m->type == BPF_MAP_TYPE_PROG_ARRAY) {
		if (!tgt || bbtf_kind(tgt) != BTF_KIND_FUNC_PROTO)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': 'values' of a prog array must point to a function type",
				       name);
	} else {
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map '%s': 'values' is only for map-in-map and prog array maps (type %u)",
			       name, m->type);
	}
	return 0;
}

static int parse_btf_map(struct obj *o, const struct obj_sec *s, const char *name,
			 uint32_t struct_id, struct obj_map *m, struct obj_map_priv *p,
			 bool inner, struct bb_err *e)
{
	const struct bbtf *btf = o->btf;
	const struct btf_type *st = bbtf_type_by_id(btf, struct_id);
	int values = -1;

	if (!st || bbtf_kind(st) != BTF_KIND_STRUCT)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "map '%s': definition is not a struct", name);
	m->kind = OBJ_MAP_USER;
	for (int i = 0; i < bbtf_vlen(st); i++) {
		const struct btf_member *mem = &bbtf_members(st)[i];
		const char *f = bbtf_name(btf, mem->name_off);
		uint64_t v = 0;
		uint32_t tid, sz;

		if (!f)
			return obj_err(o, e, -EINVAL, s->name, -1, "map '%s': member %d has a bad name",
				       name, i);
		if (!strcmp(f, "values")) {
			values = i;     /* needs `type`, whatever the order */
			continue;
		}
		if (!strcmp(f, "key") || !strcmp(f, "value")) {
			bool key = f[0] == 'k';
			uint32_t *size = key ? &m->key_size : &m->value_size;

			if (btf_field_type(btf, mem->type, &tid, &sz))
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "map '%s': '%s' must be declared with __type() and have a size",
					       name, f);
			if (*size && *size != sz)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "map '%s': %s type size %u conflicts with %s_size %u",
					       name, f, sz, f, *size);
			*size = sz;
			if (key)
				m->btf_key_type_id = tid;
			else
				m->btf_value_type_id = tid;
			continue;
		}
		if (btf_field_int(btf, mem->type, &v))
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s': '%s' must be declared with __uint() or __ulong()",
				       name, f);
		if (strcmp(f, "map_extra") && v > UINT32_MAX)
			return obj_err(o, e, -EINVAL, s->name, -1, "map '%s': '%s' too large", name, f);
		if (!strcmp(f, "type")) {
			m->type = (uint32_t)v;
		} else if (!strcmp(f, "max_entries")) {
			m->max_entries = (uint32_t)v;
		} else if (!strcmp(f, "map_flags")) {
			m->map_flags = (uint32_t)v;
		} else if (!strcmp(f, "numa_node")) {
			m->numa_node = (uint32_t)v;
		} else if (!strcmp(f, "map_extra")) {
			m->map_extra = v;
		} else if (!strcmp(f, "key_size") || !strcmp(f, "value_size")) {
			uint32_t *size = f[0] == 'k' ? &m->key_size : &m->value_size;

			if (*size && *size != v)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "map '%s': %s %llu conflicts with the %s type's size %u",
					       name, f, (unsigned long long)v, f[0] == 'k' ? "key" : "value",
					       *size);
			*size = (uint32_t)v;
		} else if (!strcmp(f, "pinning")) {
			if (v != OBJ_PIN_NONE && v != OBJ_PIN_BY_NAME)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "map '%s': pinning %llu is neither LIBBPF_PIN_NONE nor LIBBPF_PIN_BY_NAME",
					       name, (unsigned long long)v);
			if (inner && v)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "map '%s': an inner map cannot be pinned", name);
			m->pinning = (uint32_t)v;
		} else {
			return obj_err(o, e, -ENOTSUP, s->name, -1, "map '%s': unknown field '%s'",
				       name, f);
		}
	}
	if (values >= 0)
		return parse_values(o, s, name, st, values, m, p, inner, e);
	return 0;
}

static int btf_maps(struct obj *o, struct obj_sec *s, struct bb_err *e)
{
	const struct bbtf *btf = o->btf;
	const struct btf_type *ds;
	int dsid;

	if (!btf)
		return obj_err(o, e, -EINVAL, s->name, -1,
			       "BTF-defined maps need the object's BTF (compile with -g)");
	dsid = obj_datasec(o, ".maps");
	if (dsid < 0)
		return obj_err(o, e, -EINVAL, s->name, -1, "no DATASEC '.maps' in BTF");
	ds = bbtf_type_by_id(btf, (uint32_t)dsid);
	for (int i = 0; i < bbtf_vlen(ds); i++) {
		const struct btf_var_secinfo *vi = &bbtf_secinfos(ds)[i];
		const struct btf_type *var = bbtf_type_by_id(btf, vi->type);
		const char *name = var ? bbtf_name(btf, var->name_off) : NULL;
		struct obj_map_priv *p;
		int idx, sym, sid, err;
		int64_t sz;

		if (!var || bbtf_kind(var) != BTF_KIND_VAR || !name || !name[0])
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "DATASEC '.maps' entry %d is not a named variable", i);
		sid = bbtf_skip_mods(btf, var->type);
		sz = sid >= 0 ? bbtf_resolve_size(btf, (uint32_t)sid) : -EINVAL;
		if (sz < 0)
			return obj_err(o, e, -EINVAL, s->name, -1, "map '%s': definition has no size",
				       name);
		idx = obj_map_add(o, e);
		if (idx < 0)
			return idx;
		err = set_names(o, idx, name, name, s->name, e);
		if (err)
			return err;
		p = &obj_map_privs(o)[idx];
		p->sec_idx = s->idx;
		/* The symbol knows where the definition sits; the DATASEC
		 * offset is what the compiler wrote and is the fallback. */
		sym = obj_sym_by_name(o, name);
		p->sec_off = sym > 0 && o->syms[sym].shndx == s->idx ? o->syms[sym].value
								      : vi->offset;
		/* `.values = {...}` makes the object larger than its type
		 * (a flexible array): the symbol has the real size. */
		p->def_size = sym > 0 && o->syms[sym].size > (uint64_t)sz ? o->syms[sym].size
									   : (uint64_t)sz;
		if (p->sec_off > s->size || p->def_size > s->size - p->sec_off)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "map '%s' at offset %llu size %llu runs past the section end (%zu bytes)",
				       name, (unsigned long long)p->sec_off,
				       (unsigned long long)p->def_size, s->size);
		err = parse_btf_map(o, s, name, (uint32_t)sid, &obj_maps(o)[idx], p, false, e);
		if (err)
			return err;
	}
	return 0;
}

/* ----- global data ----- */

static int data_map(struct obj *o, struct obj_sec *s, struct bb_err *e)
{
	char kname[OBJ_NAME_LEN];
	struct obj_map *m;
	struct obj_map_priv *p;
	int idx, err, dsid;

	if (!s->size)
		return 0;       /* nothing to hold, no map (libbpf too) */
	if (s->size > UINT32_MAX)
		return obj_err(o, e, -E2BIG, s->name, -1, "section of %zu bytes is too large for a map",
			       s->size);
	idx = obj_map_add(o, e);
	if (idx < 0)
		return idx;
	obj_internal_map_name(o->name, s->name, kname);
	err = set_names(o, idx, s->name, kname, s->name, e);
	if (err)
		return err;
	m = &obj_maps(o)[idx];
	p = &obj_map_privs(o)[idx];
	s->map = idx;
	p->sec_idx = s->idx;
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = 4;
	m->value_size = (uint32_t)s->size;
	m->max_entries = 1;
	if (s->role == OBJ_SEC_DATA) {
		m->kind = OBJ_MAP_DATA;
	} else if (s->role == OBJ_SEC_RODATA) {
		m->kind = OBJ_MAP_RODATA;
		m->map_flags = BPF_F_RDONLY_PROG;
		m->freeze = true;
	} else {
		m->kind = OBJ_MAP_BSS;
	}
	if (o->btf && (dsid = obj_datasec(o, s->name)) > 0)
		m->btf_value_type_id = (uint32_t)dsid;
	if (s->data) {
		p->init = malloc(s->size);
		if (!p->init)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		memcpy(p->init, s->data, s->size);
		m->init = p->init;
	}
	return 0;
}

int obj_collect_maps(struct obj *o, struct bb_err *e)
{
	int err;

	for (size_t i = 1; i < o->nsecs; i++)
		if (o->secs[i].role == OBJ_SEC_MAPS_LEGACY && (err = legacy_maps(o, &o->secs[i], e)))
			return err;
	for (size_t i = 1; i < o->nsecs; i++)
		if (o->secs[i].role == OBJ_SEC_MAPS_BTF && (err = btf_maps(o, &o->secs[i], e)))
			return err;
	for (size_t i = 1; i < o->nsecs; i++) {
		struct obj_sec *s = &o->secs[i];

		if (s->role == OBJ_SEC_STRUCT_OPS && s->size)
			return obj_err(o, e, -ENOTSUP, s->name, -1,
				       "struct_ops maps are not supported yet");
		if ((s->role == OBJ_SEC_DATA || s->role == OBJ_SEC_RODATA ||
		     s->role == OBJ_SEC_BSS) && (err = data_map(o, s, e)))
			return err;
	}
	return 0;
}

/* ----- .rel.maps: `.values = { [i] = &prog_or_map }` ----- */

static int map_at(const struct obj *o, uint32_t sec, uint64_t off, bool exact)
{
	for (size_t i = 0; i < o->maps.len; i++) {
		const struct obj_map_priv *p = &obj_map_privs(o)[i];

		if (obj_maps(o)[i].kind != OBJ_MAP_USER || p->sec_idx != sec)
			continue;
		if (exact ? p->sec_off == off : off >= p->sec_off && off - p->sec_off < p->def_size)
			return (int)i;
	}
	return -ENOENT;
}

int obj_collect_map_slots(struct obj *o, struct bb_err *e)
{
	const struct obj_sec *ms = NULL;
	const struct obj_sec *rs = NULL;

	for (size_t i = 1; i < o->nsecs; i++)
		if (o->secs[i].role == OBJ_SEC_MAPS_BTF)
			ms = &o->secs[i];
	if (!ms)
		return 0;
	for (size_t i = 1; i < o->nsecs; i++)
		if (o->secs[i].role == OBJ_SEC_REL && o->secs[i].sh_info == ms->idx)
			rs = &o->secs[i];
	if (!rs)
		return 0;
	if (!rs->data || rs->size % sizeof(Elf64_Rel))
		return obj_err(o, e, -EINVAL, rs->name, -1, "size %zu is not a whole number of relocations",
			       rs->size);
	for (size_t r = 0; r < rs->size / sizeof(Elf64_Rel); r++) {
		Elf64_Rel rel;
		const struct obj_sym *y;
		struct obj_map_priv *p;
		struct obj_map_slot slot = { .prog = -1, .map = -1 };
		uint64_t moff;
		size_t symi;
		int mi;

		memcpy(&rel, rs->data + r * sizeof(rel), sizeof(rel));
		symi = ELF64_R_SYM(rel.r_info);
		if (symi >= o->nsyms || !symi)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "relocation %zu: symbol index %zu out of range", r, symi);
		y = &o->syms[symi];
		if (ELF64_R_TYPE(rel.r_info) != OBJ_R_BPF_64_ABS64)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "relocation %zu against '%s': type %u, expected R_BPF_64_ABS64",
				       r, y->name, (unsigned)ELF64_R_TYPE(rel.r_info));
		if (rel.r_offset > ms->size || 8 > ms->size - rel.r_offset)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "relocation %zu: offset %llu outside '.maps' (%zu bytes)", r,
				       (unsigned long long)rel.r_offset, ms->size);
		mi = map_at(o, ms->idx, rel.r_offset, false);
		if (mi < 0)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "relocation %zu: offset %llu is in no map definition", r,
				       (unsigned long long)rel.r_offset);
		p = &obj_map_privs(o)[mi];
		moff = rel.r_offset - p->sec_off;
		if (p->values_off == UINT64_MAX || moff < p->values_off || (moff - p->values_off) % 8)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "map '%s': relocation at offset %llu is not a 'values' slot",
				       obj_maps(o)[mi].name, (unsigned long long)moff);
		slot.index = (uint32_t)((moff - p->values_off) / 8);
		if (obj_maps(o)[mi].type == BPF_MAP_TYPE_PROG_ARRAY) {
			struct obj_func *f = y->type == STT_FUNC
					     ? obj_func_at(o, y->shndx, (uint32_t)(y->value / 8)) : NULL;

			if (!f || f->prog < 0)
				return obj_err(o, e, -EINVAL, rs->name, -1,
					       "map '%s' slot %u: '%s' is not a program", obj_maps(o)[mi].name,
					       slot.index, y->name);
			slot.prog = f->prog;
		} else {
			slot.map = y->shndx == ms->idx ? map_at(o, ms->idx, y->value, true) : -ENOENT;
			if (slot.map < 0)
				return obj_err(o, e, -EINVAL, rs->name, -1,
					       "map '%s' slot %u: '%s' is not a map", obj_maps(o)[mi].name,
					       slot.index, y->name);
		}
		if (!bb_vec_push(&p->slots, &slot))
			return obj_err(o, e, -ENOMEM, rs->name, -1, "out of memory");
	}
	for (size_t i = 0; i < o->maps.len; i++) {
		obj_maps(o)[i].slots = obj_map_privs(o)[i].slots.data;
		obj_maps(o)[i].slot_cnt = obj_map_privs(o)[i].slots.len;
	}
	return 0;
}
