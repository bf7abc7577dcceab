/* SPDX-License-Identifier: MIT */
/*
 * cli/cli_fmt.c - JSON writer, BTF-typed values, log2 histograms and BTF
 * by id for the bpftool-shaped commands (see cli_fmt.h).
 */
#include "cli/cli_fmt.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "loader/ldr.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

void cli_json_init(struct cli_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void json_indent(struct cli_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* Before any value: the comma between siblings (not after a key). */
static void json_pre(struct cli_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	if (j->depth > 0)
		json_indent(j);
	j->need_comma[j->depth] = true;
}

static void json_open(struct cli_json *j, char c)
{
	json_pre(j);
	fputc(c, j->f);
	if (j->depth + 1 < CLI_JSON_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct cli_json *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had)
		json_indent(j);
	fputc(c, j->f);
	if (j->depth == 0 && j->pretty)
		fputc('\n', j->f);
}

void cli_json_obj(struct cli_json *j) { json_open(j, '{'); }
void cli_json_obj_end(struct cli_json *j) { json_close(j, '}'); }
void cli_json_arr(struct cli_json *j) { json_open(j, '['); }
void cli_json_arr_end(struct cli_json *j) { json_close(j, ']'); }

static void json_escaped(const struct cli_json *j, const char *s, size_t n)
{
	FILE *f = j->f;

	fputc('"', f);
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f || (c > 0x7f && !j->utf8))
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void cli_json_key(struct cli_json *j, const char *key)
{
	json_pre(j);
	json_escaped(j, key, strlen(key));
	fputc(':', j->f);
	if (j->pretty)
		fputc(' ', j->f);
	j->after_key = true;
}

void cli_json_strn(struct cli_json *j, const char *s, size_t n)
{
	json_pre(j);
	json_escaped(j, s, n);
}

void cli_json_str(struct cli_json *j, const char *s) { cli_json_strn(j, s, strlen(s)); }

void cli_json_u64(struct cli_json *j, uint64_t v)
{
	json_pre(j);
	fprintf(j->f, "%" PRIu64, v);
}

void cli_json_i64(struct cli_json *j, int64_t v)
{
	json_pre(j);
	fprintf(j->f, "%" PRId64, v);
}

void cli_json_bool(struct cli_json *j, bool v)
{
	json_pre(j);
	fputs(v ? "true" : "false", j->f);
}

void cli_json_null(struct cli_json *j)
{
	json_pre(j);
	fputs("null", j->f);
}

void cli_json_hex_arr(struct cli_json *j, const void *data, size_t n)
{
	const uint8_t *p = data;
	bool pretty = j->pretty;

	cli_json_arr(j);
	j->pretty = false;      /* bytes stay on one line, as bpftool's do */
	for (size_t i = 0; i < n; i++) {
		char b[8];

		snprintf(b, sizeof(b), "0x%02x", p[i]);
		cli_json_str(j, b);
	}
	cli_json_arr_end(j);
	j->pretty = pretty;
}

void cli_json_kstr(struct cli_json *j, const char *key, const char *s)
{
	cli_json_key(j, key);
	cli_json_str(j, s);
}

void cli_json_ku64(struct cli_json *j, const char *key, uint64_t v)
{
	cli_json_key(j, key);
	cli_json_u64(j, v);
}

void cli_json_kbool(struct cli_json *j, const char *key, bool v)
{
	cli_json_key(j, key);
	cli_json_bool(j, v);
}

void cli_hex(FILE *f, const void *data, size_t n)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%02x", i ? " " : "", p[i]);
}

/* ------------------------------------------------------------------ */
/* BTF-typed values                                                    */
/* ------------------------------------------------------------------ */

/* One printer for both forms: @j set means JSON, else text on @f. */
struct vout {
	FILE *f;
	struct cli_json *j;
	unsigned flags;
	const struct bbtf *btf;
	int depth;
};

static uint64_t read_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n > 8 ? 8 : n);      /* host order is the BPF order here */
	return v;
}

static void out_text(struct vout *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void out_text(struct vout *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

static void out_u64(struct vout *o, uint64_t v)
{
	if (o->j)
		cli_json_u64(o->j, v);
	else
		out_text(o, "%" PRIu64, v);
}

static void out_i64(struct vout *o, int64_t v)
{
	if (o->j)
		cli_json_i64(o->j, v);
	else
		out_text(o, "%" PRId64, v);
}

static void out_str(struct vout *o, const char *s, size_t n)
{
	if (o->j) {
		cli_json_strn(o->j, s, n);
		return;
	}
	fputc('"', o->f);
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(o->f, "\\%c", c);
		else if (isprint(c))
			fputc(c, o->f);
		else
			fprintf(o->f, "\\x%02x", c);
	}
	fputc('"', o->f);
}

/* A string-ish symbol (enum name, pointer, float) as JSON string or bare text. */
static void out_sym(struct vout *o, const char *s)
{
	if (o->j)
		cli_json_str(o->j, s);
	else
		fputs(s, o->f);
}

static bool is_char_type(const struct bbtf *btf, uint32_t id)
{
	int r = bbtf_skip_mods(btf, id);
	const struct btf_type *t = r > 0 ? bbtf_type_by_id(btf, (uint32_t)r) : NULL;
	const char *name;

	if (!t || bbtf_kind(t) != BTF_KIND_INT || t->size != 1)
		return false;
	if (BTF_INT_ENCODING(bbtf_int_data(t)) & BTF_INT_CHAR)
		return true;
	name = bbtf_type_name(btf, (uint32_t)r);
	return name && strstr(name, "char");
}

static bool is_ts_name(const char *name)
{
	size_t n = strlen(name);

	return !strcmp(name, "ts") || !strcmp(name, "timestamp") ||
	       (n > 3 && !strcmp(name + n - 3, "_ns"));
}

static void value(struct vout *o, uint32_t id, const uint8_t *p, size_t size,
		  uint32_t bit_off, uint32_t bits, const char *member);

static void int_value(struct vout *o, const struct btf_type *t, const uint8_t *p, size_t size,
		      uint32_t bit_off, uint32_t bits, const char *member)
{
	uint32_t d = bbtf_int_data(t);
	uint32_t nbits = bits ? bits : BTF_INT_BITS(d);
	bool sign = BTF_INT_ENCODING(d) & BTF_INT_SIGNED;
	size_t bytes = (bit_off + nbits + 7) / 8;
	uint64_t v;

	if (nbits > 64) {               /* __int128: hex, as bpftool does */
		char b[40];

		if (size < 16)
			return out_sym(o, "<short>");
		snprintf(b, sizeof(b), "0x%016" PRIx64 "%016" PRIx64, read_le(p + 8, 8),
			 read_le(p, 8));
		return out_sym(o, b);
	}
	if (bytes > size)
		return out_sym(o, "<short>");
	v = read_le(p, bytes) >> bit_off;
	if (nbits < 64)
		v &= (1ull << nbits) - 1;
	if (BTF_INT_ENCODING(d) & BTF_INT_BOOL) {
		if (o->j)
			cli_json_bool(o->j, v != 0);
		else
			out_text(o, "%s", v ? "true" : "false");
		return;
	}
	if (sign && nbits < 64 && (v >> (nbits - 1)) & 1)
		v |= ~0ull << nbits;
	if (!o->j && (o->flags & CLI_BTF_TS_SECONDS) && member && nbits == 64 && !sign &&
	    is_ts_name(member)) {
		out_text(o, "%" PRIu64 ".%06" PRIu64, v / UINT64_C(1000000000), v % UINT64_C(1000000000) / 1000);
		return;
	}
	if (sign)
		out_i64(o, (int64_t)v);
	else
		out_u64(o, v);
}

static void enum_value(struct vout *o, const struct btf_type *t, const uint8_t *p, size_t size)
{
	int64_t v;

	if (t->size > size || t->size > 8 || !t->size)
		return out_sym(o, "<short>");
	v = (int64_t)read_le(p, t->size);
	if (t->size < 8 && bbtf_kflag(t) && ((uint64_t)v >> (t->size * 8 - 1)) & 1)
		v |= (int64_t)(~0ull << (t->size * 8));
	for (int i = 0; i < bbtf_vlen(t); i++) {
		int64_t ev = bbtf_kind(t) == BTF_KIND_ENUM64 ? bbtf_enum64_val(&bbtf_enums64(t)[i])
			   : bbtf_kflag(t) ? (int64_t)(int32_t)bbtf_enums(t)[i].val
			   : (int64_t)(uint32_t)bbtf_enums(t)[i].val;

		if (t->size < 8 && !bbtf_kflag(t))
			ev &= (int64_t)((1ull << (t->size * 8)) - 1);
		if (ev == v) {
			const char *n = bbtf_name(o->btf, bbtf_kind(t) == BTF_KIND_ENUM64 ?
						  bbtf_enums64(t)[i].name_off :
						  bbtf_enums(t)[i].name_off);
			return out_sym(o, n ? n : "?");
		}
	}
	out_i64(o, v);
}

static void members(struct vout *o, const struct btf_type *t, const uint8_t *p, size_t size,
		    bool flat)
{
	bool first = true;

	for (int i = 0; i < bbtf_vlen(t); i++) {
		const struct btf_member *m = &bbtf_members(t)[i];
		const char *name = bbtf_name(o->btf, m->name_off);
		uint32_t off = bbtf_member_bit_offset(t, i), bits = bbtf_member_bitfield_size(t, i);
		size_t byte = off / 8;

		if (byte >= size && !(bits == 0 && bbtf_resolve_size(o->btf, m->type) == 0))
			break;
		if (!name || !*name) {
			/* Anonymous struct/union: its members belong to us. */
			int r = bbtf_skip_mods(o->btf, m->type);
			const struct btf_type *mt = r > 0 ? bbtf_type_by_id(o->btf, (uint32_t)r) : NULL;

			if (mt && (bbtf_kind(mt) == BTF_KIND_STRUCT || bbtf_kind(mt) == BTF_KIND_UNION)) {
				if (!o->j && !first)
					fputs(flat ? " " : ", ", o->f);
				members(o, mt, p + byte, size - byte, flat);
				first = false;
				continue;
			}
			name = "";
		}
		if (o->j)
			cli_json_key(o->j, name);
		else
			out_text(o, "%s%s=", first ? "" : flat ? " " : ", ", name);
		first = false;
		value(o, m->type, p + byte, size - byte, bits ? off % 8 : 0, bits, name);
	}
}

static void value(struct vout *o, uint32_t id, const uint8_t *p, size_t size,
		  uint32_t bit_off, uint32_t bits, const char *member)
{
	int r = bbtf_skip_mods(o->btf, id);
	const struct btf_type *t = r > 0 ? bbtf_type_by_id(o->btf, (uint32_t)r) : NULL;
	char b[64];

	if (!t || o->depth > 16)
		return out_sym(o, "?");
	o->depth++;
	switch (bbtf_kind(t)) {
	case BTF_KIND_INT:
		int_value(o, t, p, size, bit_off, bits, member);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		enum_value(o, t, p, size);
		break;
	case BTF_KIND_PTR:
		if (size < 8) {
			out_sym(o, "<short>");
			break;
		}
		snprintf(b, sizeof(b), "0x%" PRIx64, read_le(p, 8));
		out_sym(o, b);
		break;
	case BTF_KIND_FLOAT:
		if (t->size == 4 && size >= 4) {
			float fv;

			memcpy(&fv, p, 4);
			snprintf(b, sizeof(b), "%g", fv);
		} else if (t->size == 8 && size >= 8) {
			double dv;

			memcpy(&dv, p, 8);
			snprintf(b, sizeof(b), "%g", dv);
		} else {
			snprintf(b, sizeof(b), "<float%u>", t->size * 8);
		}
		out_sym(o, b);
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = bbtf_array(t);
		int64_t esz = bbtf_resolve_size(o->btf, a->type);

		if (is_char_type(o->btf, a->type)) {
			out_str(o, (const char *)p, a->nelems < size ? a->nelems : size);
			break;
		}
		if (esz <= 0) {
			out_sym(o, "[]");
			break;
		}
		if (o->j)
			cli_json_arr(o->j);
		else
			fputc('[', o->f);
		for (uint32_t i = 0; i < a->nelems && (size_t)esz * (i + 1) <= size; i++) {
			if (!o->j && i)
				fputs(", ", o->f);
			value(o, a->type, p + (size_t)esz * i, size - (size_t)esz * i, 0, 0, NULL);
		}
		if (o->j)
			cli_json_arr_end(o->j);
		else
			fputc(']', o->f);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		bool flat = !o->j && o->depth == 1 && (o->flags & CLI_BTF_FLAT);

		if (o->j)
			cli_json_obj(o->j);
		else if (!flat)
			fputc('{', o->f);
		members(o, t, p, size < t->size ? size : t->size, flat);
		if (o->j)
			cli_json_obj_end(o->j);
		else if (!flat)
			fputc('}', o->f);
		break;
	}
	case BTF_KIND_DATASEC: {
		/* Global data maps: each variable by name. */
		const struct btf_var_secinfo *vs = bbtf_secinfos(t);

		if (o->j)
			cli_json_obj(o->j);
		else
			fputc('{', o->f);
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const struct btf_type *v = bbtf_type_by_id(o->btf, vs[i].type);
			const char *name = v ? bbtf_type_name(o->btf, vs[i].type) : "?";

			if (!v || vs[i].offset >= size)
				continue;
			if (o->j)
				cli_json_key(o->j, name);
			else
				out_text(o, "%s%s=", i ? ", " : "", name);
			value(o, bbtf_kind(v) == BTF_KIND_VAR ? v->type : vs[i].type,
			      p + vs[i].offset, size - vs[i].offset, 0, 0, name);
		}
		if (o->j)
			cli_json_obj_end(o->j);
		else
			fputc('}', o->f);
		break;
	}
	case BTF_KIND_VAR:
		value(o, t->type, p, size, 0, 0, member);
		break;
	default:
		snprintf(b, sizeof(b), "<%s>", bbtf_kind_str(bbtf_kind(t)));
		out_sym(o, b);
		break;
	}
	o->depth--;
}

void cli_btf_text(FILE *f, const struct bbtf *btf, uint32_t id, const void *data,
		  size_t size, unsigned flags)
{
	struct vout o = { .f = f, .flags = flags, .btf = btf };

	value(&o, id, data, size, 0, 0, NULL);
}

void cli_btf_json(struct cli_json *j, const struct bbtf *btf, uint32_t id,
		  const void *data, size_t size)
{
	struct vout o = { .f = j->f, .j = j, .btf = btf };

	value(&o, id, data, size, 0, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* log2 histograms                                                     */
/* ------------------------------------------------------------------ */

/* 1024 -> "1K", 3 -> "3", as bpftrace labels its buckets. */
static void human(char *buf, size_t size, uint64_t v)
{
	static const char suffix[] = "KMGTPE";
	int s = -1;

	while (v >= 1024 && (v % 1024) == 0 && s < 5) {
		v /= 1024;
		s++;
	}
	if (s < 0)
		snprintf(buf, size, "%" PRIu64, v);
	else
		snprintf(buf, size, "%" PRIu64 "%c", v, suffix[s]);
}

static void slot_range(size_t s, uint64_t *lo, uint64_t *hi)
{
	*lo = s == 0 ? 0 : s >= 64 ? UINT64_MAX : 1ull << s;
	*hi = s + 1 >= 64 ? UINT64_MAX : 1ull << (s + 1);
}

static bool hist_bounds(const uint64_t *slots, size_t n, size_t *first, size_t *last,
			uint64_t *max)
{
	bool any = false;

	*first = *last = 0;
	*max = 0;
	for (size_t i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (!any)
			*first = i;
		*last = i;
		any = true;
		if (slots[i] > *max)
			*max = slots[i];
	}
	return any;
}

void cli_log2_hist(FILE *f, const char *name, const uint64_t *slots, size_t n)
{
	size_t first, last;
	uint64_t max;

	fprintf(f, "@%s:\n", name);
	if (!hist_bounds(slots, n, &first, &last, &max)) {
		fprintf(f, "(empty)\n\n");
		return;
	}
	for (size_t i = first; i <= last; i++) {
		char l[24], h[24], label[56], bar[53];
		uint64_t lo, hi;
		size_t w = (size_t)((double)slots[i] * 52 / (double)max);

		slot_range(i, &lo, &hi);
		human(l, sizeof(l), lo);
		human(h, sizeof(h), hi);
		snprintf(label, sizeof(label), "[%s, %s)", l, h);
		memset(bar, '@', w);
		memset(bar + w, ' ', 52 - w);
		bar[52] = '\0';
		fprintf(f, "%-20s %8" PRIu64 " |%s|\n", label, slots[i], bar);
	}
	fputc('\n', f);
}

void cli_log2_hist_json(struct cli_json *j, const char *name, const uint64_t *slots, size_t n)
{
	size_t first, last;
	uint64_t max;
	bool any = hist_bounds(slots, n, &first, &last, &max);

	cli_json_obj(j);
	cli_json_kstr(j, "name", name);
	cli_json_key(j, "slots");
	cli_json_arr(j);
	for (size_t i = first; any && i <= last; i++) {
		uint64_t lo, hi;

		slot_range(i, &lo, &hi);
		cli_json_obj(j);
		cli_json_ku64(j, "lo", lo);
		cli_json_ku64(j, "hi", hi);
		cli_json_ku64(j, "count", slots[i]);
		cli_json_obj_end(j);
	}
	cli_json_arr_end(j);
	cli_json_obj_end(j);
}

/* ------------------------------------------------------------------ */
/* Kernel BTF by id, times                                             */
/* ------------------------------------------------------------------ */

int cli_btf_by_id(uint32_t btf_id, struct bbtf **out, struct bb_err *e)
{
	struct bpf_btf_info info;
	const struct bbtf *base = NULL;
	char name[64] = "";
	uint8_t *data = NULL;
	uint32_t len = sizeof(info);
	int fd, r;

	*out = NULL;
	fd = ldr_btf_get_fd_by_id(btf_id);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "btf id %u: %s", btf_id, strerror(-fd));
	r = ldr_btf_info(fd, &info);
	if (r == 0) {
		data = malloc(info.btf_size ? info.btf_size : 1);
		if (!data) {
			r = -ENOMEM;
			goto out;
		}
		uint32_t size = info.btf_size;

		memset(&info, 0, sizeof(info));
		info.btf = (uint64_t)(uintptr_t)data;
		info.btf_size = size;
		info.name = (uint64_t)(uintptr_t)name;
		info.name_len = sizeof(name);
		r = ldr_obj_info(fd, &info, &len);
	}
	if (r) {
		bb_err_insn(e, r, -1, "btf id %u: info: %s", btf_id, strerror(-r));
		goto out;
	}
	/* Module BTF continues vmlinux's ids.  The base must outlive every
	 * split object parsed on it, so one vmlinux is read per process and
	 * kept (reachable from this static until exit). */
	if (info.kernel_btf && strcmp(name, "vmlinux")) {
		static struct bbtf *vmlinux_keep;

		if (!vmlinux_keep) {
			r = bbtf_load_vmlinux(NULL, &vmlinux_keep, e);
			if (r)
				goto out;
		}
		base = vmlinux_keep;
	}
	r = bbtf_parse(data, info.btf_size, base, out, e);
out:
	free(data);
	ldr_obj_close(fd);
	return r;
}

int64_t cli_boottime_to_epoch(uint64_t boot_ns)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return (int64_t)rt.tv_sec - (int64_t)bt.tv_sec + (int64_t)(boot_ns / 1000000000ull);
}

void cli_fmt_boottime(uint64_t boot_ns, char *buf, size_t size)
{
	time_t t = (time_t)cli_boottime_to_epoch(boot_ns);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* ------------------------------------------------------------------ */
/* Selectors and flags                                                 */
/* ------------------------------------------------------------------ */

int cli_sel_parse(int argc, char **argv, int *i, bool tag_ok, struct cli_sel *s,
		  struct bb_err *e)
{
	const char *kw = *i < argc ? argv[*i] : NULL;
	char *end;

	memset(s, 0, sizeof(*s));
	if (!kw)
		return bb_err_insn(e, -EINVAL, -1, "expected id N, pinned PATH or name NAME");
	if (*i + 1 >= argc)
		return bb_err_insn(e, -EINVAL, -1, "'%s' needs an argument", kw);
	s->arg = argv[*i + 1];
	if (!strcmp(kw, "id")) {
		unsigned long v = strtoul(s->arg, &end, 0);

		if (!*s->arg || *end || v == 0 || v > UINT32_MAX)
			return bb_err_insn(e, -EINVAL, -1, "bad id '%s'", s->arg);
		s->kind = CLI_SEL_ID;
		s->id = (uint32_t)v;
	} else if (!strcmp(kw, "pinned")) {
		s->kind = CLI_SEL_PINNED;
	} else if (!strcmp(kw, "name")) {
		s->kind = CLI_SEL_NAME;
	} else if (!strcmp(kw, "tag") && tag_ok) {
		uint8_t *t = NULL;
		long n = bb_hex_parse(s->arg, &t, NULL);

		if (n != 8) {
			free(t);
			return bb_err_insn(e, -EINVAL, -1, "a tag is 8 hex bytes, not '%s'", s->arg);
		}
		memcpy(s->tag, t, 8);
		free(t);
		s->kind = CLI_SEL_TAG;
	} else {
		return bb_err_insn(e, -EINVAL, -1, "expected id, pinned%s, name; got '%s'",
				   tag_ok ? ", tag" : "", kw);
	}
	*i += 2;
	return 0;
}

int cli_take_json(int argc, char **argv, bool *json, bool *pretty)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*json = true;
		} else if (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--pretty")) {
			*json = true;
			*pretty = true;
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

const char *cli_strerror(int err)
{
	switch (err) {
	case 524:
		return "Operation not supported by this map or program type (ENOTSUPP)";
	case 512:
		return "Restart system call (ERESTARTSYS)";
	case 525:
		return "Buffer too small (ETOOSMALL)";
	default:
		return strerror(err);
	}
}

void cli_close_fds(struct bb_vec *fds)
{
	for (size_t i = 0; i < fds->len; i++)
		ldr_obj_close(*bb_vec_at(fds, int, i));
	bb_vec_free(fds);
}

void cli_show_fds(const struct cli_sel *s, const struct bb_vec *fds, bool json, bool pretty,
		  void (*show)(int fd, struct cli_json *j))
{
	struct cli_json j;

	if (!json) {
		for (size_t k = 0; k < fds->len; k++)
			show(*bb_vec_at(fds, int, k), NULL);
		return;
	}
	cli_json_init(&j, stdout, pretty);
	if (s->kind == CLI_SEL_ID || s->kind == CLI_SEL_PINNED) {
		show(*bb_vec_at(fds, int, 0), &j);
	} else {
		cli_json_arr(&j);
		for (size_t k = 0; k < fds->len; k++)
			show(*bb_vec_at(fds, int, k), &j);
		cli_json_arr_end(&j);
	}
	if (!pretty)
		printf("\n");
}
