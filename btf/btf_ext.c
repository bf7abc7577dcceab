/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_ext.c - .BTF.ext: func_info, line_info and CO-RE relocations.
 *
 * Layout (what clang writes, libbpf reads):
 *
 *   header   magic 0xeB9F, version 1, flags 0, hdr_len,
 *            func_info_off/len, line_info_off/len,
 *            [core_relo_off/len]        (only when hdr_len >= 32)
 *   each info subsection (offsets relative to the header's end):
 *            u32 record_size
 *            repeated { u32 sec_name_off; u32 num_info; record[num_info] }
 *
 * record_size comes from the file so a newer compiler can append fields;
 * we copy the prefix we know.  Everything is checked against the object's
 * .BTF: section names and file/line strings are string offsets there, and
 * func_info must name FUNC types.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;
};
#define EXT_HDR_MIN 24u         /* without the core_relo pair */

enum { SUB_FUNC, SUB_LINE, SUB_CORE };
static const char *const sub_names[] = { "func_info", "line_info", "core_relo" };
static const size_t sub_min[] = {
	sizeof(struct bbtf_ext_func), sizeof(struct bbtf_ext_line), sizeof(struct bbtf_ext_core),
};

void bbtf_ext_free(struct bbtf_ext *ext)
{
	if (!ext)
		return;
	for (size_t i = 0; i < ext->n_secs; i++) {
		free(ext->secs[i].funcs);
		free(ext->secs[i].lines);
		free(ext->secs[i].cores);
	}
	free(ext->secs);
	free(ext);
}

const struct bbtf_ext_sec *bbtf_ext_sec_by_name(const struct bbtf_ext *ext, const char *name)
{
	for (size_t i = 0; ext && name && i < ext->n_secs; i++)
		if (!strcmp(ext->secs[i].name, name))
			return &ext->secs[i];
	return NULL;
}

static struct bbtf_ext_sec *sec_get(struct bbtf_ext *x, const char *name, uint32_t off)
{
	struct bbtf_ext_sec *s;

	for (size_t i = 0; i < x->n_secs; i++)
		if (!strcmp(x->secs[i].name, name))
			return &x->secs[i];
	s = realloc(x->secs, (x->n_secs + 1) * sizeof(*s));
	if (!s)
		return NULL;
	x->secs = s;
	s = &x->secs[x->n_secs++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->name_off = off;
	return s;
}

/* Check one record against .BTF (@cnt types, strings below @str_end);
 * @i is its index within its block. */
static int check_record(const struct bbtf *btf, uint32_t cnt, uint32_t str_end, int sub,
			const void *rec, const char *sec, uint32_t i, struct bb_err *e)
{
	const char *what = sub_names[sub];
	uint32_t insn_off = *(const uint32_t *)rec;

	if (insn_off % 8)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s' record %u: insn_off %u is not a multiple of 8",
				   what, sec, i, insn_off);
	if (sub == SUB_FUNC) {
		const struct bbtf_ext_func *f = rec;
		const struct btf_type *t = f->type_id < cnt ? bbtf_type_by_id(btf, f->type_id) : NULL;

		if (!t || bbtf_kind(t) != BTF_KIND_FUNC)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s' record %u: type id %u is not a FUNC",
					   what, sec, i, f->type_id);
	} else if (sub == SUB_LINE) {
		const struct bbtf_ext_line *l = rec;

		/* What bbtf_name() would find, without its call per string. */
		if (l->file_name_off >= str_end || l->line_off >= str_end)
			return bb_err_insn(e, -EINVAL, -1,
					   ".BTF.ext %s '%s' record %u: string offset %u/%u out of range",
					   what, sec, i, l->file_name_off, l->line_off);
	} else {
		const struct bbtf_ext_core *c = rec;
		const char *acc = bbtf_name(btf, c->access_str_off);

		if (!c->type_id || c->type_id >= cnt)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s' record %u: type id %u out of range",
					   what, sec, i, c->type_id);
		if (!acc || !*acc)
			return bb_err_insn(e, -EINVAL, -1,
					   ".BTF.ext %s '%s' record %u: access string offset %u invalid",
					   what, sec, i, c->access_str_off);
		if (c->kind > BPF_CORE_TYPE_MATCHES)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s' record %u: unknown relo kind %u",
					   what, sec, i, c->kind);
	}
	return 0;
}

static int parse_sub(struct bbtf_ext *x, const struct bbtf *btf, int sub, const uint8_t *p,
		     uint32_t len, struct bb_err *e)
{
	const char *what = sub_names[sub];
	uint32_t rec_size, pos = 4, cnt = bbtf_type_cnt(btf), str_end = bbtf__str_end(btf);

	if (!len)
		return 0;
	if (len < 4)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s: %u bytes, no record size", what, len);
	memcpy(&rec_size, p, 4);
	if (rec_size < sub_min[sub] || rec_size % 4)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s: record size %u (need >= %zu, multiple of 4)",
				   what, rec_size, sub_min[sub]);
	if (sub == SUB_FUNC)
		x->func_rec_size = rec_size;
	else if (sub == SUB_LINE)
		x->line_rec_size = rec_size;
	else
		x->core_rec_size = rec_size;
	while (pos < len) {
		uint32_t hdr[2], name_off, num;
		struct bbtf_ext_sec *s;
		const char *name;
		size_t *n, old;
		void **arr;
		void *grown;

		if (len - pos < sizeof(hdr))
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s: block header at %u truncated",
					   what, pos);
		memcpy(hdr, p + pos, sizeof(hdr));
		name_off = hdr[0];
		num = hdr[1];
		pos += sizeof(hdr);
		name = bbtf_name(btf, name_off);
		if (!name || !*name)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s: section name offset %u invalid",
					   what, name_off);
		if (!num)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s': no records", what, name);
		if ((uint64_t)num * rec_size > len - pos)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s '%s': %u records of %u bytes run past the subsection",
					   what, name, num, rec_size);
		s = sec_get(x, name, name_off);
		if (!s)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		if (sub == SUB_FUNC) {
			arr = (void **)&s->funcs;
			n = &s->n_funcs;
		} else if (sub == SUB_LINE) {
			arr = (void **)&s->lines;
			n = &s->n_lines;
		} else {
			arr = (void **)&s->cores;
			n = &s->n_cores;
		}
		old = *n;
		grown = realloc(*arr, (old + num) * sub_min[sub]);
		if (!grown)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		*arr = grown;
		/* Records of the size we keep (clang's) are copied at once. */
		if (rec_size == sub_min[sub])
			memcpy((uint8_t *)grown + old * rec_size, p + pos, (size_t)num * rec_size);
		for (uint32_t i = 0; i < num; i++) {
			uint8_t *dst = (uint8_t *)grown + (old + i) * sub_min[sub];
			int ret;

			if (rec_size != sub_min[sub])
				memcpy(dst, p + pos + (size_t)i * rec_size, sub_min[sub]);
			if ((ret = check_record(btf, cnt, str_end, sub, dst, name, i, e)))
				return ret;
		}
		*n = old + num;
		pos += num * rec_size;
	}
	return 0;
}

int bbtf_ext_parse(const void *data, size_t size, const struct bbtf *btf,
		   struct bbtf_ext **out, struct bb_err *e)
{
	const uint8_t *p = data;
	struct ext_hdr h = { 0 };
	struct bbtf_ext *x;
	struct {
		uint32_t off, len;
	} subs[3];
	int nsub, ret;

	*out = NULL;
	if (!data || size < EXT_HDR_MIN)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext of %zu bytes is shorter than its header",
				   data ? size : 0);
	memcpy(&h, p, EXT_HDR_MIN);
	if (h.magic != BBTF_EXT_MAGIC)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext: bad magic %#06x", h.magic);
	if (h.version != 1)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext: unsupported version %u", h.version);
	if (h.flags)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext: unsupported flags %#x", h.flags);
	if (h.hdr_len < EXT_HDR_MIN || h.hdr_len > size || h.hdr_len % 4)
		return bb_err_insn(e, -EINVAL, -1, ".BTF.ext: hdr_len %u invalid for %zu bytes",
				   h.hdr_len, size);
	nsub = 2;
	if (h.hdr_len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		nsub = 3;
	}
	subs[0].off = h.func_info_off;
	subs[0].len = h.func_info_len;
	subs[1].off = h.line_info_off;
	subs[1].len = h.line_info_len;
	subs[2].off = h.core_relo_off;
	subs[2].len = h.core_relo_len;
	for (int i = 0; i < nsub; i++) {
		if ((uint64_t)h.hdr_len + subs[i].off + subs[i].len > size)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s %u+%u runs past the %zu-byte section",
					   sub_names[i], subs[i].off, subs[i].len, size);
		if (subs[i].off % 4)
			return bb_err_insn(e, -EINVAL, -1, ".BTF.ext %s offset %u is not 4-byte aligned",
					   sub_names[i], subs[i].off);
	}
	x = bb_zalloc(1, sizeof(*x));
	if (!x)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	for (int i = 0; i < nsub; i++) {
		ret = parse_sub(x, btf, i, p + h.hdr_len + subs[i].off, subs[i].len, e);
		if (ret) {
			bbtf_ext_free(x);
			return ret;
		}
	}
	*out = x;
	return 0;
}

int bbtf_line_info(const struct bbtf *btf, const struct bbtf_ext_line *l,
		   struct bbtf_src_line *out, struct bb_err *e)
{
	const char *file = bbtf_name(btf, l->file_name_off);
	const char *text = bbtf_name(btf, l->line_off);

	memset(out, 0, sizeof(*out));
	if (!file || !text)
		return bb_err_insn(e, -EINVAL, -1, "line_info string offset %u/%u out of range",
				   l->file_name_off, l->line_off);
	out->file = file;
	out->text = text;
	out->line = BBTF_LINE_NUM(l->line_col);
	out->col = BBTF_LINE_COL(l->line_col);
	return 0;
}

int bbtf_core_access_parse(const char *s, uint32_t *idx, int max, struct bb_err *e)
{
	int n = 0;

	if (!s || !*s)
		return bb_err_insn(e, -EINVAL, -1, "empty CO-RE access string");
	for (const char *p = s;;) {
		uint64_t v = 0;

		if (*p < '0' || *p > '9')
			return bb_err_insn(e, -EINVAL, -1,
					   "CO-RE access string '%.64s': expected a number at offset %d",
					   s, (int)(p - s));
		for (; *p >= '0' && *p <= '9'; p++) {
			v = v * 10 + (uint64_t)(*p - '0');
			if (v > UINT32_MAX)
				return bb_err_insn(e, -EINVAL, -1,
						   "CO-RE access string '%.64s': index overflows", s);
		}
		if (n >= max)
			return bb_err_insn(e, -E2BIG, -1,
					   "CO-RE access string '%.64s': more than %d indices", s, max);
		idx[n++] = (uint32_t)v;
		if (!*p)
			return n;
		if (*p != ':')
			return bb_err_insn(e, -EINVAL, -1,
					   "CO-RE access string '%.64s': unexpected '%c' at offset %d",
					   s, *p, (int)(p - s));
		p++;
	}
}

const char *bbtf_core_kind_str(uint32_t kind)
{
	static const char *const names[] = {
		[BPF_CORE_FIELD_BYTE_OFFSET] = "byte_off",
		[BPF_CORE_FIELD_BYTE_SIZE] = "byte_sz",
		[BPF_CORE_FIELD_EXISTS] = "field_exists",
		[BPF_CORE_FIELD_SIGNED] = "signed",
		[BPF_CORE_FIELD_LSHIFT_U64] = "lshift_u64",
		[BPF_CORE_FIELD_RSHIFT_U64] = "rshift_u64",
		[BPF_CORE_TYPE_ID_LOCAL] = "local_type_id",
		[BPF_CORE_TYPE_ID_TARGET] = "target_type_id",
		[BPF_CORE_TYPE_EXISTS] = "type_exists",
		[BPF_CORE_TYPE_SIZE] = "type_size",
		[BPF_CORE_ENUMVAL_EXISTS] = "enumval_exists",
		[BPF_CORE_ENUMVAL_VALUE] = "enumval_value",
		[BPF_CORE_TYPE_MATCHES] = "type_matches",
	};

	return kind < BB_ARRAY_SIZE(names) ? names[kind] : "unknown";
}
