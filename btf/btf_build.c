/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_build.c - building BTF type by type, and writing raw bytes.
 *
 * The builder appends records in file layout to the same buffers a
 * parsed object uses, so a built object and a parsed one are the same
 * thing.  It checks only what it needs to stay memory-safe (buffer and
 * vlen limits); type references are the caller's business, which is what
 * lets tests build every kind of malformed BTF and feed it to
 * bbtf_validate() / bbtf_parse().
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int bbtf_new(const struct bbtf *base, struct bbtf **out)
{
	struct bbtf *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->base = base;
	b->start_id = base ? bbtf_type_cnt(base) : 1;
	b->str_start = base ? bbtf__str_end(base) : 0;
	b->types = malloc(64);
	b->strs = malloc(64);
	b->offs = malloc(16 * sizeof(*b->offs));
	if (!b->types || !b->strs || !b->offs) {
		bbtf_free(b);
		return -ENOMEM;
	}
	b->types_cap = 64;
	b->strs_cap = 64;
	b->offs_cap = 16;
	/* A base string section starts with the empty string; a split one
	 * continues the base's, whose offset 0 already is "". */
	if (!base) {
		b->strs[0] = '\0';
		b->strs_len = 1;
	}
	*out = b;
	return 0;
}

static int grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 4 / elem)
			return -ENOMEM;
		n *= 2;
	}
	p = realloc(*buf, n * elem);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

int bbtf_add_str(struct bbtf *btf, const char *s)
{
	size_t len;
	int ret;

	if (!s || !*s)
		return 0;
	if ((ret = bbtf__own(btf)))
		return ret;
	len = strlen(s);
	/* Reuse an identical string: the first "s\0" that starts a string
	 * (memmem() rather than a strlen() per string: an object's 20 KB
	 * of names had this at 80k instructions per added name). */
	for (const char *p = btf->strs, *end = btf->strs + btf->strs_len;
	     (p = memmem(p, (size_t)(end - p), s, len + 1)); p++)
		if (p == btf->strs || p[-1] == '\0')
			return (int)(btf->str_start + (p - btf->strs));
	if (bbtf__str_end(btf) + len + 1 > BTF_MAX_NAME_OFFSET + 1u)
		return -E2BIG;
	ret = grow((void **)&btf->strs, &btf->strs_cap, btf->strs_len + len + 1, 1);
	if (ret)
		return ret;
	memcpy(btf->strs + btf->strs_len, s, len + 1);
	btf->strs_len += len + 1;
	bbtf__dirty(btf);
	return (int)(btf->str_start + btf->strs_len - len - 1);
}

int bbtf_add_raw(struct bbtf *btf, const struct btf_type *t, const void *extra,
		 size_t extra_len)
{
	size_t need = btf->types_len + sizeof(*t) + extra_len;
	uint32_t id = bbtf_type_cnt(btf);
	int ret;

	if (!t || (extra_len && !extra) || need > UINT32_MAX || (extra_len & 3))
		return -EINVAL;
	if (id > BTF_MAX_TYPE)
		return -E2BIG;
	if ((ret = bbtf__own(btf)) ||
	    (ret = grow((void **)&btf->types, &btf->types_cap, need, 1)) ||
	    (ret = grow((void **)&btf->offs, &btf->offs_cap, btf->nr + 1, sizeof(*btf->offs))))
		return ret;
	btf->offs[btf->nr] = (uint32_t)btf->types_len;
	memcpy(btf->types + btf->types_len, t, sizeof(*t));
	if (extra_len)
		memcpy(btf->types + btf->types_len + sizeof(*t), extra, extra_len);
	btf->types_len = need;
	btf->nr++;
	btf->last_id = id;
	bbtf__dirty(btf);
	ret = bbtf__index_add(btf, btf->nr - 1);
	return ret ? ret : (int)id;
}

/* Add a record whose fixed part is @info/@size_type named @name. */
static int add_type(struct bbtf *btf, const char *name, uint32_t info, uint32_t size_type,
		    const void *extra, size_t extra_len)
{
	struct btf_type t = { .info = info, .size = size_type };
	int off = bbtf_add_str(btf, name);

	if (off < 0)
		return off;
	t.name_off = (uint32_t)off;
	return bbtf_add_raw(btf, &t, extra, extra_len);
}

int bbtf_add_int(struct bbtf *btf, const char *name, uint32_t size, int encoding)
{
	uint32_t data = ((uint32_t)(encoding & 0xf) << 24) | (size * 8 > 255 ? 128 : size * 8);

	return add_type(btf, name, bbtf_info(BTF_KIND_INT, 0, false), size, &data, 4);
}

int bbtf_add_float(struct bbtf *btf, const char *name, uint32_t size)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_FLOAT, 0, false), size, NULL, 0);
}

int bbtf_add_ptr(struct bbtf *btf, uint32_t type)
{
	return add_type(btf, NULL, bbtf_info(BTF_KIND_PTR, 0, false), type, NULL, 0);
}

int bbtf_add_array(struct bbtf *btf, uint32_t elem, uint32_t index, uint32_t nelems)
{
	struct btf_array a = { .type = elem, .index_type = index, .nelems = nelems };

	return add_type(btf, NULL, bbtf_info(BTF_KIND_ARRAY, 0, false), 0, &a, sizeof(a));
}

int bbtf_add_struct(struct bbtf *btf, const char *name, uint32_t size)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_STRUCT, 0, false), size, NULL, 0);
}

int bbtf_add_union(struct bbtf *btf, const char *name, uint32_t size)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_UNION, 0, false), size, NULL, 0);
}

/* The most recently added type if it is one of @k1/@k2 and has room for
 * another entry, else NULL. */
static struct btf_type *last_of(struct bbtf *btf, int k1, int k2)
{
	struct btf_type *t;

	if (!btf->last_id || btf->last_id != bbtf_type_cnt(btf) - 1)
		return NULL;
	t = (struct btf_type *)(btf->types + btf->offs[btf->nr - 1]);
	if (bbtf_kind(t) != k1 && bbtf_kind(t) != k2)
		return NULL;
	if (bbtf_vlen(t) == BTF_MAX_VLEN)
		return NULL;
	return t;
}

/* Append @len bytes to the last type and bump its vlen. */
static int append_entry(struct bbtf *btf, const void *entry, size_t len)
{
	struct btf_type *t;
	int ret = bbtf__own(btf);

	if (!ret)
		ret = grow((void **)&btf->types, &btf->types_cap, btf->types_len + len, 1);
	if (ret)
		return ret;
	if (btf->types_len + len > UINT32_MAX)
		return -E2BIG;
	memcpy(btf->types + btf->types_len, entry, len);
	btf->types_len += len;
	t = (struct btf_type *)(btf->types + btf->offs[btf->nr - 1]);
	t->info = bbtf_info(bbtf_kind(t), bbtf_vlen(t) + 1, bbtf_kflag(t));
	bbtf__dirty(btf);
	return 0;
}

int bbtf_add_member(struct bbtf *btf, const char *name, uint32_t type,
		    uint32_t bit_offset, uint32_t bitfield_size)
{
	struct btf_type *t = last_of(btf, BTF_KIND_STRUCT, BTF_KIND_UNION);
	struct btf_member m = { .type = type, .offset = bit_offset };
	int off;

	if (!t || bitfield_size > 255 || bit_offset > 0xffffff)
		return -EINVAL;
	off = bbtf_add_str(btf, name);
	if (off < 0)
		return off;
	t = (struct btf_type *)(btf->types + btf->offs[btf->nr - 1]);
	if (bitfield_size && !bbtf_kflag(t)) {
		/* Switch the struct to kind_flag encoding: earlier members
		 * keep their offsets, with bitfield size 0. */
		t->info |= 1u << 31;
	}
	if (bbtf_kflag(t))
		m.offset = (bitfield_size << 24) | bit_offset;
	m.name_off = (uint32_t)off;
	return append_entry(btf, &m, sizeof(m));
}

int bbtf_add_enum(struct bbtf *btf, const char *name, uint32_t size, bool is_signed)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_ENUM, 0, is_signed), size, NULL, 0);
}

int bbtf_add_enum64(struct bbtf *btf, const char *name, uint32_t size, bool is_signed)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_ENUM64, 0, is_signed), size, NULL, 0);
}

int bbtf_add_enum_value(struct bbtf *btf, const char *name, int64_t value)
{
	struct btf_type *t = last_of(btf, BTF_KIND_ENUM, BTF_KIND_ENUM64);
	int off;

	if (!t)
		return -EINVAL;
	off = bbtf_add_str(btf, name);
	if (off < 0)
		return off;
	t = (struct btf_type *)(btf->types + btf->offs[btf->nr - 1]);
	if (bbtf_kind(t) == BTF_KIND_ENUM) {
		struct btf_enum v = { .name_off = (uint32_t)off, .val = (int32_t)value };

		if (value < INT32_MIN || value > UINT32_MAX)
			return -E2BIG;
		return append_entry(btf, &v, sizeof(v));
	} else {
		struct btf_enum64 v = {
			.name_off = (uint32_t)off,
			.val_lo32 = (uint32_t)value,
			.val_hi32 = (uint32_t)((uint64_t)value >> 32),
		};

		return append_entry(btf, &v, sizeof(v));
	}
}

int bbtf_add_fwd(struct bbtf *btf, const char *name, bool is_union)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_FWD, 0, is_union), 0, NULL, 0);
}

int bbtf_add_typedef(struct bbtf *btf, const char *name, uint32_t type)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_TYPEDEF, 0, false), type, NULL, 0);
}

int bbtf_add_volatile(struct bbtf *btf, uint32_t type)
{
	return add_type(btf, NULL, bbtf_info(BTF_KIND_VOLATILE, 0, false), type, NULL, 0);
}

int bbtf_add_const(struct bbtf *btf, uint32_t type)
{
	return add_type(btf, NULL, bbtf_info(BTF_KIND_CONST, 0, false), type, NULL, 0);
}

int bbtf_add_restrict(struct bbtf *btf, uint32_t type)
{
	return add_type(btf, NULL, bbtf_info(BTF_KIND_RESTRICT, 0, false), type, NULL, 0);
}

int bbtf_add_type_tag(struct bbtf *btf, const char *value, uint32_t type)
{
	return add_type(btf, value, bbtf_info(BTF_KIND_TYPE_TAG, 0, false), type, NULL, 0);
}

int bbtf_add_func(struct bbtf *btf, const char *name, int linkage, uint32_t proto)
{
	if (linkage < 0 || linkage > 0xffff)
		return -EINVAL;
	return add_type(btf, name, bbtf_info(BTF_KIND_FUNC, linkage, false), proto, NULL, 0);
}

int bbtf_add_func_proto(struct bbtf *btf, uint32_t ret)
{
	return add_type(btf, NULL, bbtf_info(BTF_KIND_FUNC_PROTO, 0, false), ret, NULL, 0);
}

int bbtf_add_param(struct bbtf *btf, const char *name, uint32_t type)
{
	struct btf_param p = { .type = type };
	int off;

	if (!last_of(btf, BTF_KIND_FUNC_PROTO, BTF_KIND_FUNC_PROTO))
		return -EINVAL;
	off = bbtf_add_str(btf, name);
	if (off < 0)
		return off;
	p.name_off = (uint32_t)off;
	return append_entry(btf, &p, sizeof(p));
}

int bbtf_add_var(struct bbtf *btf, const char *name, int linkage, uint32_t type)
{
	uint32_t l = (uint32_t)linkage;

	return add_type(btf, name, bbtf_info(BTF_KIND_VAR, 0, false), type, &l, 4);
}

int bbtf_add_datasec(struct bbtf *btf, const char *name, uint32_t size)
{
	return add_type(btf, name, bbtf_info(BTF_KIND_DATASEC, 0, false), size, NULL, 0);
}

int bbtf_add_secinfo(struct bbtf *btf, uint32_t var, uint32_t offset, uint32_t size)
{
	struct btf_var_secinfo s = { .type = var, .offset = offset, .size = size };

	if (!last_of(btf, BTF_KIND_DATASEC, BTF_KIND_DATASEC))
		return -EINVAL;
	return append_entry(btf, &s, sizeof(s));
}

int bbtf_add_decl_tag(struct bbtf *btf, const char *value, uint32_t type, int component_idx)
{
	int32_t idx = component_idx;

	return add_type(btf, value, bbtf_info(BTF_KIND_DECL_TAG, 0, false), type, &idx, 4);
}

/* ---------------------------------------------------------------- */
/* Raw bytes                                                         */
/* ---------------------------------------------------------------- */

int bbtf__serialize(const struct bbtf *b, const uint8_t *types, size_t types_len,
		    void **out, size_t *size)
{
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = (uint32_t)types_len,
		.str_off = (uint32_t)types_len,
		.str_len = (uint32_t)b->strs_len,
	};
	size_t n = sizeof(h) + types_len + b->strs_len;
	uint8_t *p = malloc(n);

	*out = NULL;
	if (!p)
		return -ENOMEM;
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), types, types_len);
	memcpy(p + sizeof(h) + types_len, b->strs, b->strs_len);
	*out = p;
	*size = n;
	return 0;
}

const void *bbtf_raw_data(const struct bbtf *btf, size_t *size)
{
	/* A cache filled through a const pointer: the bytes are a pure
	 * function of the object, and bbtf__dirty() drops them on change. */
	struct bbtf *b = (struct bbtf *)btf;

	if (!b->raw && bbtf__serialize(b, b->types, b->types_len, &b->raw, &b->raw_len))
		return NULL;
	*size = b->raw_len;
	return b->raw;
}
