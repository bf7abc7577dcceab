/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_extern.c - externs (`extern ... __kconfig`, `__ksym`, kfuncs),
 * the .kconfig map, BTF fix-ups, and resolution against the running
 * kernel.
 *
 * An extern is an undefined global symbol.  Its BTF says what it is: a VAR
 * in DATASEC ".kconfig" is a kernel config value (its bytes live in an
 * internal read-only map we lay out, as libbpf does: biggest alignment
 * first, then by name); a VAR in ".ksyms" is a kernel variable (typed: by
 * vmlinux BTF id; `const void` typeless: by kallsyms address); a FUNC in
 * ".ksyms" is a kfunc.
 *
 * BTF fix-ups (libbpf's btf_fixup_datasec): clang leaves some DATASEC
 * sizes and VAR offsets for the linker; the kernel wants them right, so
 * they are filled from the ELF sections and symbols.  .kconfig VARs get
 * our offsets; .ksyms entries become 4-byte placeholders (the kernel takes
 * only VARs in a DATASEC, so kfunc FUNCs are swapped for a dummy int VAR).
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "btf/btf.h"

/* Which DATASEC ("<.kconfig>" or ".ksyms") holds type @id, or NULL. */
static const char *datasec_of(const struct obj *o, uint32_t id)
{
	static const char *const names[] = { ".kconfig", ".ksyms" };

	for (size_t n = 0; n < BB_ARRAY_SIZE(names); n++) {
		int ds = obj_datasec(o, names[n]);
		const struct btf_type *t = ds > 0 ? bbtf_type_by_id(o->btf, (uint32_t)ds) : NULL;

		for (int i = 0; t && i < bbtf_vlen(t); i++)
			if (bbtf_secinfos(t)[i].type == id)
				return names[n];
	}
	return NULL;
}

static int kcfg_type(const struct bbtf *btf, uint32_t id, uint32_t *size, uint32_t *align,
		     bool *is_signed)
{
	int sid = bbtf_skip_mods(btf, id);
	const struct btf_type *t = sid >= 0 ? bbtf_type_by_id(btf, (uint32_t)sid) : NULL;
	const char *name;

	if (!t)
		return OBJ_KCFG_UNKNOWN;
	name = bbtf_name(btf, t->name_off);
	switch (bbtf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t data = bbtf_int_data(t);

		if (BTF_INT_BITS(data) != t->size * 8 || BTF_INT_OFFSET(data))
			return OBJ_KCFG_UNKNOWN;
		*size = *align = t->size;
		*is_signed = BTF_INT_ENCODING(data) & BTF_INT_SIGNED;
		if (BTF_INT_ENCODING(data) & BTF_INT_BOOL)
			return t->size == 1 ? OBJ_KCFG_BOOL : OBJ_KCFG_UNKNOWN;
		/* clang encodes `char` as a signed 1-byte INT named "char". */
		if (t->size == 1 && ((BTF_INT_ENCODING(data) & BTF_INT_CHAR) ||
				     (name && !strcmp(name, "char"))))
			return OBJ_KCFG_CHAR;
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
			return OBJ_KCFG_UNKNOWN;
		return OBJ_KCFG_INT;
	}
	case BTF_KIND_ENUM:
		if (t->size != 4 || !name || strcmp(name, "libbpf_tristate"))
			return OBJ_KCFG_UNKNOWN;
		*size = *align = 4;
		return OBJ_KCFG_TRISTATE;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = bbtf_array(t);
		uint32_t esz, eal;
		bool es;
		int et = kcfg_type(btf, a->type, &esz, &eal, &es);

		if ((et != OBJ_KCFG_CHAR && et != OBJ_KCFG_INT) || esz != 1 || !a->nelems)
			return OBJ_KCFG_UNKNOWN;
		*size = a->nelems;
		*align = 1;
		return OBJ_KCFG_CHAR_ARR;
	}
	default:
		return OBJ_KCFG_UNKNOWN;
	}
}

/* An extern symbol and the ids extern_ids() finds for its name. */
struct extern_key {
	const char *name;
	uint32_t sym;           /* index in o->syms */
	uint32_t var, func;     /* lowest VAR / FUNC id with that name; 0: none */
};

static int cmp_key_name(const void *a, const void *b)
{
	return strcmp(((const struct extern_key *)a)->name, ((const struct extern_key *)b)->name);
}

static int cmp_key_sym(const void *a, const void *b)
{
	uint32_t x = ((const struct extern_key *)a)->sym, y = ((const struct extern_key *)b)->sym;

	return x < y ? -1 : x > y;
}

/*
 * Fill the VAR and FUNC ids of the @n externs @keys in one walk over the
 * types, binary-searching each VAR's or FUNC's name among the externs'.
 * A name lookup per extern (VAR, then FUNC) walked all the types twice,
 * and then built a name index: a fifth of opening an object with a
 * dozen kfuncs.  The ids are the lowest of each kind, as those lookups
 * gave.  @keys ends in symbol order again.
 */
static void extern_ids(const struct bbtf *btf, struct extern_key *keys, size_t n)
{
	uint32_t cnt = bbtf_type_cnt(btf);

	qsort(keys, n, sizeof(*keys), cmp_key_name);
	for (uint32_t id = 1; id < cnt; id++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);
		struct extern_key probe = { 0 }, *k;
		int kind = bbtf_kind(t);

		if (kind != BTF_KIND_VAR && kind != BTF_KIND_FUNC)
			continue;
		probe.name = bbtf_name(btf, t->name_off);
		if (!probe.name || !*probe.name ||
		    !(k = bsearch(&probe, keys, n, sizeof(*keys), cmp_key_name)))
			continue;
		/* Symbols may share a name: they sit together. */
		while (k > keys && !strcmp(k[-1].name, probe.name))
			k--;
		for (; k < keys + n && !strcmp(k->name, probe.name); k++) {
			uint32_t *slot = kind == BTF_KIND_VAR ? &k->var : &k->func;

			if (!*slot)
				*slot = id;
		}
	}
	qsort(keys, n, sizeof(*keys), cmp_key_sym);
}

static int cmp_kcfg(const void *a, const void *b, void *ctx)
{
	const struct obj_extern_priv *x = &((struct obj_extern_priv *)ctx)[*(const size_t *)a];
	const struct obj_extern_priv *y = &((struct obj_extern_priv *)ctx)[*(const size_t *)b];

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	return strcmp(x->pub.name, y->pub.name);
}

static int kconfig_map(struct obj *o, struct bb_err *e)
{
	struct obj_extern_priv *x = obj_externs(o);
	size_t *order, n = 0, off = 0;
	char kname[OBJ_NAME_LEN];
	struct obj_map_priv *p;
	struct obj_map *m;
	int idx, ds;

	if (!o->externs.len)
		return 0;       /* the common case: no externs, nothing to lay out */
	order = calloc(o->externs.len + 1, sizeof(*order));
	if (!order)
		return obj_err(o, e, -ENOMEM, ".kconfig", -1, "out of memory");
	for (size_t i = 0; i < o->externs.len; i++)
		if (x[i].pub.kind == OBJ_EXTERN_KCONFIG)
			order[n++] = i;
	if (!n) {
		free(order);
		return 0;
	}
	qsort_r(order, n, sizeof(*order), cmp_kcfg, x);
	for (size_t i = 0; i < n; i++) {
		struct obj_extern_priv *k = &x[order[i]];

		off = (off + k->align - 1) / k->align * k->align;
		k->pub.offset = (uint32_t)off;
		off += k->pub.size;
	}
	free(order);
	idx = obj_map_add(o, e);
	if (idx < 0)
		return idx;
	m = &obj_maps(o)[idx];
	p = &obj_map_privs(o)[idx];
	obj_internal_map_name(o->name, ".kconfig", kname);
	p->name = strdup(".kconfig");
	p->kname = strdup(kname);
	p->init = calloc(1, off);
	if (!p->name || !p->kname || !p->init)
		return obj_err(o, e, -ENOMEM, ".kconfig", -1, "out of memory");
	m->name = p->name;
	m->kname = p->kname;
	m->section = ".kconfig";
	m->kind = OBJ_MAP_KCONFIG;
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = 4;
	m->value_size = (uint32_t)off;
	m->max_entries = 1;
	m->map_flags = BPF_F_RDONLY_PROG;
	m->freeze = true;
	m->init = p->init;
	ds = obj_datasec(o, ".kconfig");
	if (ds > 0)
		m->btf_value_type_id = (uint32_t)ds;
	o->kconfig_map = idx;
	return 0;
}

/* Undefined global or weak symbols with a name: the externs. */
static bool is_extern(const struct obj_sym *y)
{
	return y->shndx == SHN_UNDEF && y->name[0] && (y->bind == STB_GLOBAL || y->bind == STB_WEAK);
}

/* The externs @keys (symbol order) with their BTF ids, into o->externs. */
static int collect(struct obj *o, const struct extern_key *keys, size_t n, struct bb_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct obj_sym *y = &o->syms[keys[i].sym];
		struct obj_extern_priv x = { .sym = keys[i].sym };
		int kind = keys[i].var ? BTF_KIND_VAR : BTF_KIND_FUNC;
		uint32_t id = keys[i].var ? keys[i].var : keys[i].func;
		const char *sec;

		if (!id)
			return obj_err(o, e, -ENOENT, ".BTF", -1,
				       "extern '%s' has no VAR or FUNC in BTF", y->name);
		sec = datasec_of(o, id);
		x.pub.name = y->name;
		x.pub.weak = y->bind == STB_WEAK;
		x.pub.btf_type_id = id;
		if (sec && !strcmp(sec, ".kconfig") && kind == BTF_KIND_VAR) {
			const struct btf_type *v = bbtf_type_by_id(o->btf, id);

			x.pub.kind = OBJ_EXTERN_KCONFIG;
			x.kcfg_type = kcfg_type(o->btf, v->type, &x.pub.size, &x.align, &x.is_signed);
			if (x.kcfg_type == OBJ_KCFG_UNKNOWN)
				return obj_err(o, e, -ENOTSUP, ".kconfig", -1,
					       "extern '%s': type is not bool, char, tristate, an integer or a char array",
					       y->name);
			if (strncmp(y->name, "CONFIG_", 7) && strncmp(y->name, "LINUX_", 6))
				return obj_err(o, e, -EINVAL, ".kconfig", -1,
					       "extern '%s': __kconfig names start with CONFIG_ or LINUX_",
					       y->name);
		} else if (sec && !strcmp(sec, ".ksyms")) {
			if (kind == BTF_KIND_FUNC) {
				x.pub.kind = OBJ_EXTERN_KFUNC;
				x.pub.typed = true;
			} else {
				const struct btf_type *v = bbtf_type_by_id(o->btf, id);
				int vt = bbtf_skip_mods(o->btf, v->type);

				x.pub.kind = OBJ_EXTERN_KSYM;
				x.pub.typed = vt > 0;
			}
		} else if (kind == BTF_KIND_FUNC) {
			/* An extern function outside .ksyms: a kfunc declared
			 * without __ksym still names a kernel function. */
			x.pub.kind = OBJ_EXTERN_KFUNC;
			x.pub.typed = true;
		} else {
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "extern '%s' is neither __kconfig nor __ksym", y->name);
		}
		if (!bb_vec_push(&o->externs, &x))
			return obj_err(o, e, -ENOMEM, NULL, -1, "out of memory");
	}
	return 0;
}

int obj_collect_externs(struct obj *o, struct bb_err *e)
{
	struct extern_key *keys;
	size_t n = 0;
	int ret;

	for (size_t i = 1; i < o->nsyms; i++) {
		if (!is_extern(&o->syms[i]))
			continue;
		if (!o->btf)
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "extern '%s' needs the object's BTF (compile with -g)",
				       o->syms[i].name);
		n++;
	}
	if (!n)
		return kconfig_map(o, e);
	if (!(keys = bb_zalloc(n, sizeof(*keys))))
		return obj_err(o, e, -ENOMEM, NULL, -1, "out of memory");
	n = 0;
	for (size_t i = 1; i < o->nsyms; i++)
		if (is_extern(&o->syms[i]))
			keys[n++] = (struct extern_key){ .name = o->syms[i].name, .sym = (uint32_t)i };
	extern_ids(o->btf, keys, n);
	ret = collect(o, keys, n, e);
	free(keys);
	return ret ? ret : kconfig_map(o, e);
}

/* ----- BTF fix-ups ----- */

/*
 * Make `.ksyms` loadable, as libbpf does: every VAR becomes a 4-byte int
 * (the kernel validates DATASEC sizes against the VAR types, and a typeless
 * ksym is a VAR of const void), every FUNC (a kfunc) is replaced in the
 * DATASEC by a dummy int VAR and its unnamed parameters borrow the dummy's
 * name (the kernel wants named params in a global FUNC's prototype).
 */
static int fixup_ksyms(struct obj *o, uint32_t ds, struct bb_err *e)
{
	int int_id = -1, dummy = -1;
	uint32_t dummy_name = 0;
	bool added = false;     /* types added: .BTF.ext must be re-read */
	struct btf_type *t;

	int_id = bbtf_find_by_name_kind(o->btf, "int", BTF_KIND_INT);
	if (int_id < 0 || bbtf_resolve_size(o->btf, (uint32_t)int_id) != 4) {
		int_id = bbtf_add_int(o->btf, "int", 4, BTF_INT_SIGNED);
		added = true;
	}
	if (int_id < 0)
		return obj_err(o, e, int_id, ".BTF", -1, "cannot add an int type for .ksyms");
	t = bbtf_type_mut(o->btf, ds);
	for (int i = 0; t && i < bbtf_vlen(t); i++) {
		const struct btf_type *vt = bbtf_type_by_id(o->btf, bbtf_secinfos(t)[i].type);

		if (vt && bbtf_kind(vt) == BTF_KIND_FUNC) {
			dummy = bbtf_add_var(o->btf, "dummy_ksym", BTF_VAR_GLOBAL_ALLOCATED,
					     (uint32_t)int_id);
			added = true;
			if (dummy < 0)
				return obj_err(o, e, dummy, ".BTF", -1, "cannot add the .ksyms placeholder");
			dummy_name = bbtf_type_by_id(o->btf, (uint32_t)dummy)->name_off;
			break;
		}
	}
	t = bbtf_type_mut(o->btf, ds);     /* the adds may have moved it */
	for (int i = 0; t && i < bbtf_vlen(t); i++) {
		struct btf_var_secinfo *vs = &bbtf_secinfos(t)[i];
		struct btf_type *vt = bbtf_type_mut(o->btf, vs->type);

		if (!vt)
			continue;
		if (bbtf_kind(vt) == BTF_KIND_FUNC) {
			struct btf_type *proto = bbtf_type_mut(o->btf, vt->type);

			for (int j = 0; proto && bbtf_kind(proto) == BTF_KIND_FUNC_PROTO &&
					j < bbtf_vlen(proto); j++) {
				struct btf_param *pa = &bbtf_params(proto)[j];

				if (pa->type && !pa->name_off)
					pa->name_off = dummy_name;
			}
			/* The kernel takes FUNC linkage static/global only. */
			vt->info = bbtf_info(BTF_KIND_FUNC, BTF_FUNC_GLOBAL, false);
			vs->type = (uint32_t)dummy;
		} else if (bbtf_kind(vt) == BTF_KIND_VAR) {
			bbtf_var(vt)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			vt->type = (uint32_t)int_id;
		}
		vs->offset = (uint32_t)i * 4;
		vs->size = 4;
	}
	if (t)
		t->size = (uint32_t)bbtf_vlen(t) * 4;
	if (o->btf_ext && added) {
		/* Adding types moved the BTF strings the parsed .BTF.ext
		 * points into: parse it again against the grown BTF. */
		bbtf_ext_free(o->btf_ext);
		o->btf_ext = NULL;
		bb_err_set_file(e, o->path);
		bb_err_set_section(e, ".BTF.ext");
		return bbtf_ext_parse(o->btf_ext_data, o->btf_ext_size, o->btf, &o->btf_ext, e);
	}
	return 0;
}

static int cmp_secinfo_off(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The kernel wants a DATASEC's variables in ascending offset order; clang
 * writes them in declaration order (libbpf sorts them too). */
static void sort_secinfos(struct btf_type *t)
{
	qsort(bbtf_secinfos(t), (size_t)bbtf_vlen(t), sizeof(struct btf_var_secinfo),
	      cmp_secinfo_off);
}

int obj_fixup_btf(struct obj *o, struct bb_err *e)
{
	int ksyms = -1;

	if (!o->btf)
		return 0;
	/* Only DATASECs change, so only they are asked for writable
	 * (bbtf_type_mut() of every type was a tenth of an open). */
	for (size_t d = 0; d < o->n_datasecs; d++) {
		uint32_t id = o->datasecs[d];
		struct btf_type *t = bbtf_type_mut(o->btf, id);
		const char *name;
		const struct obj_sec *s;

		if (!t || bbtf_kind(t) != BTF_KIND_DATASEC)
			continue;
		name = bbtf_name(o->btf, t->name_off);
		if (!name)
			continue;
		if (!strcmp(name, ".ksyms")) {
			ksyms = (int)id;
			continue;
		}
		if (!strcmp(name, ".kconfig")) {
			if (o->kconfig_map >= 0)
				t->size = obj_maps(o)[o->kconfig_map].value_size;
			for (int i = 0; i < bbtf_vlen(t); i++) {
				struct btf_var_secinfo *vs = &bbtf_secinfos(t)[i];
				struct btf_type *vt = bbtf_type_mut(o->btf, vs->type);

				for (size_t k = 0; k < o->externs.len; k++)
					if (obj_externs(o)[k].pub.btf_type_id == vs->type)
						vs->offset = obj_externs(o)[k].pub.offset;
				if (vt && bbtf_kind(vt) == BTF_KIND_VAR)
					bbtf_var(vt)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			}
			sort_secinfos(t);
			continue;
		}
		s = obj_sec_by_name(o, name);
		if (!s)
			continue;
		t->size = (uint32_t)s->size;
		for (int i = 0; i < bbtf_vlen(t); i++) {
			struct btf_var_secinfo *vs = &bbtf_secinfos(t)[i];
			const struct btf_type *vt = bbtf_type_by_id(o->btf, vs->type);
			const char *vn = vt ? bbtf_name(o->btf, vt->name_off) : NULL;

			for (size_t k = 1; vn && k < o->nsyms; k++)
				if (o->syms[k].shndx == s->idx && !strcmp(o->syms[k].name, vn)) {
					vs->offset = (uint32_t)o->syms[k].value;
					break;
				}
		}
		sort_secinfos(t);
	}
	if (ksyms > 0)
		return fixup_ksyms(o, (uint32_t)ksyms, e);
	return 0;
}

/* ----- kernel config ----- */

long obj_kconfig_find(const char *text, size_t len, const char *name, const char **val)
{
	size_t nl = strlen(name);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t ll = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (ll > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			*val = p + nl + 1;
			return (long)(ll - nl - 1);
		}
		/* "# CONFIG_FOO is not set" */
		if (ll == nl + 13 && !strncmp(p, "# ", 2) && !strncmp(p + 2, name, nl) &&
		    !strncmp(p + 2 + nl, " is not set", 11)) {
			*val = "n";
			return 1;
		}
		p += ll + 1;
	}
	return -ENOENT;
}

static int kerr(struct bb_err *e, const struct obj_extern_priv *x, const char *val, size_t vlen,
		const char *why)
{
	return bb_err_insn(e, -EINVAL, -1, "kconfig '%s': value '%.*s' %s", x->pub.name,
			   (int)(vlen > 64 ? 64 : vlen), val, why);
}

int obj_kconfig_set(const struct obj_extern_priv *x, const char *val, size_t vlen, uint8_t *dst,
		    struct bb_err *e)
{
	uint32_t size = x->pub.size;

	if (vlen == 1 && (val[0] == 'y' || val[0] == 'n' || val[0] == 'm')) {
		switch (x->kcfg_type) {
		case OBJ_KCFG_BOOL:
			if (val[0] == 'm')
				return kerr(e, x, val, vlen, "is not valid for a bool");
			dst[0] = val[0] == 'y';
			return 0;
		case OBJ_KCFG_TRISTATE: {
			uint32_t v = val[0] == 'y' ? 1 : val[0] == 'm' ? 2 : 0;

			memcpy(dst, &v, 4);
			return 0;
		}
		case OBJ_KCFG_CHAR:
			dst[0] = (uint8_t)val[0];
			return 0;
		default:
			return kerr(e, x, val, vlen, "is y/m/n but the extern is not bool, tristate or char");
		}
	}
	if (vlen >= 2 && val[0] == '"') {
		size_t n;

		if (val[vlen - 1] != '"')
			return kerr(e, x, val, vlen, "has no closing quote");
		if (x->kcfg_type != OBJ_KCFG_CHAR_ARR)
			return kerr(e, x, val, vlen, "is a string but the extern is not a char array");
		n = vlen - 2 < size - 1 ? vlen - 2 : size - 1;
		memset(dst, 0, size);
		memcpy(dst, val + 1, n);
		return 0;
	}
	if (x->kcfg_type == OBJ_KCFG_INT || x->kcfg_type == OBJ_KCFG_CHAR ||
	    x->kcfg_type == OBJ_KCFG_BOOL) {
		char num[32], *end;
		unsigned long long u;
		long long s;

		if (!vlen || vlen >= sizeof(num))
			return kerr(e, x, val, vlen, "is not a number");
		memcpy(num, val, vlen);
		num[vlen] = '\0';
		errno = 0;
		if (num[0] == '-') {
			s = strtoll(num, &end, 0);
			u = (unsigned long long)s;
		} else {
			u = strtoull(num, &end, 0);
			s = (long long)u;
		}
		if (errno || *end)
			return kerr(e, x, val, vlen, "is not a number");
		if (x->kcfg_type == OBJ_KCFG_BOOL && u > 1)
			return kerr(e, x, val, vlen, "is not 0 or 1 for a bool");
		if (size < 8) {
			unsigned bits = size * 8;

			if (x->is_signed ? (s < -(1LL << (bits - 1)) || s > (1LL << (bits - 1)) - 1)
					 : (num[0] == '-' || u > (1ULL << bits) - 1))
				return kerr(e, x, val, vlen, "does not fit the extern's type");
		} else if (!x->is_signed && num[0] == '-') {
			return kerr(e, x, val, vlen, "is negative for an unsigned extern");
		}
		memcpy(dst, &u, size);  /* little-endian: low bytes first */
		return 0;
	}
	return kerr(e, x, val, vlen, "does not suit the extern's type");
}

long obj_kconfig_read(const char *path, char **out, struct bb_err *e)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *buf;

	*out = NULL;
	if (!f)
		return bb_err_insn(e, -ENOENT, -1, "cannot open kernel config '%s'", path);
	buf = malloc(cap + 1);
	for (;;) {
		int n;

		if (!buf) {
			gzclose(f);
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		}
		n = gzread(f, buf + len, (unsigned)(cap - len));
		if (n < 0) {
			free(buf);
			gzclose(f);
			return bb_err_insn(e, -EIO, -1, "cannot read kernel config '%s'", path);
		}
		len += (size_t)n;
		if (n == 0)
			break;
		if (len == cap) {
			char *nb = cap > (64u << 20) ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				gzclose(f);
				return bb_err_insn(e, -E2BIG, -1, "kernel config '%s' too large", path);
			}
			buf = nb;
			cap *= 2;
		}
	}
	gzclose(f);
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

static uint32_t kernel_version(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) | (b << 8) | (c > 255 ? 255 : c);
}

static int resolve_kconfig(struct obj *o, const struct obj_extern_opts *opts, struct bb_err *e)
{
	struct obj_map_priv *mp = o->kconfig_map >= 0 ? &obj_map_privs(o)[o->kconfig_map] : NULL;
	char *text = NULL;
	long len = -ENOENT;
	int err = 0;

	for (size_t i = 0; mp && i < o->externs.len; i++) {
		struct obj_extern_priv *x = &obj_externs(o)[i];
		const char *val;
		long vlen;

		if (x->pub.kind != OBJ_EXTERN_KCONFIG)
			continue;
		if (!strcmp(x->pub.name, "LINUX_KERNEL_VERSION")) {
			uint32_t v = opts && opts->kernel_version ? opts->kernel_version : kernel_version();

			if (x->kcfg_type != OBJ_KCFG_INT || x->pub.size != 4) {
				err = obj_err(o, e, -EINVAL, ".kconfig", -1,
					      "extern LINUX_KERNEL_VERSION must be a 32-bit integer");
				goto out;
			}
			memcpy(mp->init + x->pub.offset, &v, 4);
			x->pub.resolved = true;
			continue;
		}
		if (strncmp(x->pub.name, "CONFIG_", 7)) {
			if (!x->pub.weak) {
				err = obj_err(o, e, -ENOTSUP, ".kconfig", -1,
					      "extern '%s': only LINUX_KERNEL_VERSION of the LINUX_* values is known",
					      x->pub.name);
				goto out;
			}
			x->pub.resolved = true;         /* weak: stays 0 */
			continue;
		}
		if (len == -ENOENT) {
			if (opts && opts->kconfig_text) {
				text = strdup(opts->kconfig_text);
				len = text ? (long)strlen(text) : -ENOMEM;
			} else if (opts && opts->kconfig_path) {
				len = obj_kconfig_read(opts->kconfig_path, &text, e);
			} else {
				struct utsname u;
				char path[512];

				len = obj_kconfig_read("/proc/config.gz", &text, NULL);
				if (len < 0 && !uname(&u)) {
					snprintf(path, sizeof(path), "/boot/config-%s", u.release);
					len = obj_kconfig_read(path, &text, NULL);
				}
			}
			if (len < 0) {
				err = obj_err(o, e, (int)len, ".kconfig", -1,
					      "extern '%s': no kernel config (tried %s)", x->pub.name,
					      opts && opts->kconfig_path ? opts->kconfig_path
						: "/proc/config.gz and /boot/config-<release>");
				goto out;
			}
		}
		vlen = obj_kconfig_find(text, (size_t)len, x->pub.name, &val);
		if (vlen < 0) {
			if (!x->pub.weak) {
				err = obj_err(o, e, -ESRCH, ".kconfig", -1,
					      "extern '%s' is not in the kernel config", x->pub.name);
				goto out;
			}
			x->pub.resolved = true;
			continue;
		}
		err = obj_kconfig_set(x, val, (size_t)vlen, mp->init + x->pub.offset, e);
		if (err) {
			bb_err_set_file(e, o->path);
			bb_err_set_section(e, ".kconfig");
			goto out;
		}
		x->pub.resolved = true;
	}
out:
	free(text);
	return err;
}

/* ----- kernel symbols ----- */

static int resolve_kallsyms(struct obj *o, const struct obj_extern_opts *opts, struct bb_err *e)
{
	const char *path = opts && opts->kallsyms_path ? opts->kallsyms_path : "/proc/kallsyms";
	bool need = false;
	char line[512];
	FILE *f;

	for (size_t i = 0; i < o->externs.len; i++)
		if (obj_externs(o)[i].pub.kind == OBJ_EXTERN_KSYM && !obj_externs(o)[i].pub.typed)
			need = true;
	if (!need)
		return 0;
	f = fopen(path, "re");
	if (!f)
		return obj_err(o, e, -errno, ".ksyms", -1, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		for (size_t i = 0; i < o->externs.len; i++) {
			struct obj_extern *x = &obj_externs(o)[i].pub;

			if (x->kind == OBJ_EXTERN_KSYM && !x->typed && !x->resolved &&
			    !strcmp(x->name, name)) {
				x->addr = addr;
				x->resolved = true;
			}
		}
	}
	fclose(f);
	return 0;
}

static int resolve_btf_ids(struct obj *o, const struct obj_extern_opts *opts, struct bb_err *e)
{
	struct bbtf *vm = NULL;
	bool need = false;
	int err;

	for (size_t i = 0; i < o->externs.len; i++)
		if (obj_externs(o)[i].pub.kind != OBJ_EXTERN_KCONFIG && obj_externs(o)[i].pub.typed)
			need = true;
	if (!need)
		return 0;
	err = bbtf_load_vmlinux(opts ? opts->vmlinux_btf_path : NULL, &vm, e);
	if (err)
		return err;
	for (size_t i = 0; i < o->externs.len; i++) {
		struct obj_extern *x = &obj_externs(o)[i].pub;
		int id;

		if (x->kind == OBJ_EXTERN_KCONFIG || !x->typed || x->resolved)
			continue;
		id = bbtf_find_by_name_kind(vm, x->name,
					    x->kind == OBJ_EXTERN_KFUNC ? BTF_KIND_FUNC : BTF_KIND_VAR);
		if (id > 0) {
			x->kernel_btf_id = (uint32_t)id;
			x->resolved = true;
		}
	}
	bbtf_free(vm);
	return 0;
}

/* Write each program's extern references with the values found. */
static void patch_refs(struct obj *o)
{
	for (size_t pi = 0; pi < o->progs.len; pi++) {
		struct obj_prog_priv *pp = &obj_prog_privs(o)[pi];

		for (size_t k = 0; k < pp->ext_refs.len; k++) {
			const struct obj_ext_ref *r = bb_vec_at(&pp->ext_refs, struct obj_ext_ref, k);
			const struct obj_extern *x = &obj_externs(o)[r->ext].pub;
			struct isa_raw *c = &pp->insns[r->insn];
			bool found = x->typed ? x->kernel_btf_id != 0 : x->addr != 0;
			struct isa_insn in;

			if (isa_decode(pp->insns, obj_progs(o)[pi].insn_cnt, r->insn, &in, NULL) < 0)
				continue;
			if (isa_rows[in.op].fmt != ISA_FMT_LDDW) {
				/* kfunc call.  A weak kfunc the kernel lacks becomes
				 * a call of helper 0, which the verifier rejects only
				 * if it is reachable (guarded by bpf_ksym_exists()). */
				c->src = found ? ISA_PSEUDO_KFUNC_CALL : 0;
				c->imm = found ? (int32_t)x->kernel_btf_id : 0;
				c->off = 0;
			} else if (x->typed) {
				c[0].src = found ? ISA_PSEUDO_BTF_ID : 0;
				c[0].imm = found ? (int32_t)x->kernel_btf_id : 0;
				c[1].imm = 0;   /* BTF object fd: 0 = vmlinux */
			} else {
				c[0].src = 0;
				c[0].imm = (int32_t)(uint32_t)x->addr;
				c[1].imm = (int32_t)(uint32_t)(x->addr >> 32);
			}
		}
	}
}

int obj_resolve_externs(struct obj *o, const struct obj_extern_opts *opts, struct bb_err *e)
{
	int err;

	bb_err_clear(e);
	if (!o->externs.len)
		return 0;
	if ((err = resolve_kconfig(o, opts, e)) || (err = resolve_kallsyms(o, opts, e)) ||
	    (err = resolve_btf_ids(o, opts, e)))
		return err;
	for (size_t i = 0; i < o->externs.len; i++) {
		struct obj_extern *x = &obj_externs(o)[i].pub;

		if (x->resolved || x->kind == OBJ_EXTERN_KCONFIG)
			continue;
		if (!x->weak)
			return obj_err(o, e, -ESRCH, ".ksyms", -1,
				       "extern '%s' not found in the kernel (%s; module BTF is not searched)",
				       x->name, x->typed ? "vmlinux BTF" : "kallsyms");
		x->resolved = true;     /* weak: 0 / NULL */
	}
	patch_refs(o);
	return 0;
}
