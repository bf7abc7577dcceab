/* SPDX-License-Identifier: MIT */
#include "common/bb.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bb_err_clear(struct bb_err *e)
{
	if (!e)
		return;
	memset(e, 0, sizeof(*e));
	e->insn = -1;
}

int bb_err_vset(struct bb_err *e, int code, int insn, int line,
		const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	e->insn = insn;
	if (line)
		e->line = line;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int bb_err_insn(struct bb_err *e, int code, int insn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bb_err_vset(e, code, insn, 0, fmt, ap);
	va_end(ap);
	return code;
}

int bb_err_line(struct bb_err *e, int code, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bb_err_vset(e, code, e ? e->insn : -1, line, fmt, ap);
	va_end(ap);
	return code;
}

/* What snprintf(dst, cap, "%s", src) writes, without formatting: an
 * object open names its file and .BTF/.BTF.ext here before parsing
 * them, and the two formatted copies were 2% of opening a small one. */
static void copy_name(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void bb_err_set_file(struct bb_err *e, const char *file)
{
	if (e)
		copy_name(e->file, sizeof(e->file), file ? file : "");
}

void bb_err_set_section(struct bb_err *e, const char *section)
{
	if (e)
		copy_name(e->section, sizeof(e->section), section ? section : "");
}

const char *bb_err_str(const struct bb_err *e, char *buf, size_t size)
{
	size_t n = 0;

#define APPEND(...)                                                     \
	do {                                                            \
		int r_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__); \
		if (r_ > 0)                                             \
			n += (size_t)r_;                                \
	} while (0)

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!e)
		return buf;
	if (e->file[0]) {
		APPEND("%s", e->file);
		if (e->line)
			APPEND(":%d", e->line);
		APPEND(": ");
	} else if (e->line) {
		APPEND("line %d: ", e->line);
	}
	if (e->section[0])
		APPEND("section '%s': ", e->section);
	if (e->insn >= 0)
		APPEND("insn %d: ", e->insn);
	APPEND("%s", e->msg[0] ? e->msg : strerror(e->code < 0 ? -e->code : e->code));
#undef APPEND
	return buf;
}

void bb_vec_init(struct bb_vec *v, size_t elem)
{
	memset(v, 0, sizeof(*v));
	v->elem = elem;
}

void *bb_zalloc(size_t n, size_t size)
{
	size_t len;
	void *p;

	if (__builtin_mul_overflow(n, size, &len) || !(p = malloc(len ? len : 1)))
		return NULL;
	return memset(p, 0, len);
}

int bb_vec_reserve(struct bb_vec *v, size_t n)
{
	size_t cap;
	void *p;

	if (n <= v->cap)
		return 0;
	/* A first block of up to 1 KiB: glibc serves those from its
	 * per-thread cache, larger ones (8 of an ELF object's 192-byte
	 * program records) from the slower bins. */
	cap = v->cap ? v->cap : v->elem > 128 ? 1024 / v->elem : 8;
	while (cap < n) {
		if (cap > SIZE_MAX / 2 / v->elem)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(v->data, cap * v->elem);
	if (!p)
		return -ENOMEM;
	v->data = p;
	v->cap = cap;
	return 0;
}

void *bb_vec_push(struct bb_vec *v, const void *item)
{
	char *slot;

	if (bb_vec_reserve(v, v->len + 1))
		return NULL;
	slot = (char *)v->data + v->len * v->elem;
	if (item)
		memcpy(slot, item, v->elem);
	else
		memset(slot, 0, v->elem);
	v->len++;
	return slot;
}

void bb_vec_free(struct bb_vec *v)
{
	if (!v)
		return;
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long bb_hex_parse(const char *text, uint8_t **out, struct bb_err *e)
{
	struct bb_vec v;
	const char *p = text;
	long token = 0;

	bb_vec_init(&v, 1);
	*out = NULL;
	while (*p) {
		const char *start;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (!*p)
			break;
		token++;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		start = p;
		while (*p && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if (p == start || (p - start) % 2) {
			bb_vec_free(&v);
			return bb_err_insn(e, -EINVAL, -1,
					   "hex token %ld: odd number of digits", token);
		}
		for (const char *q = start; q < p; q += 2) {
			int hi = hexval(q[0]), lo = hexval(q[1]);
			uint8_t byte;

			if (hi < 0 || lo < 0) {
				bb_vec_free(&v);
				return bb_err_insn(e, -EINVAL, -1,
						   "hex token %ld: '%.*s' is not hex",
						   token, (int)(p - start), start);
			}
			byte = (uint8_t)(hi << 4 | lo);
			if (!bb_vec_push(&v, &byte)) {
				bb_vec_free(&v);
				return bb_err_insn(e, -ENOMEM, -1, "out of memory");
			}
		}
	}
	if (!v.len) {
		/* Keep the "empty input" case a valid, freeable buffer. */
		*out = malloc(1);
		if (!*out)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		return 0;
	}
	*out = v.data;
	return (long)v.len;
}

long bb_read_file(const char *path, char **out, struct bb_err *e)
{
	FILE *f = fopen(path, "rb");
	struct bb_vec v;
	char buf[65536];
	size_t n;

	*out = NULL;
	bb_vec_init(&v, 1);
	if (!f) {
		int err = -errno;

		bb_err_set_file(e, path);
		return bb_err_insn(e, err, -1, "%s", strerror(-err));
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (bb_vec_reserve(&v, v.len + n + 1)) {
			fclose(f);
			bb_vec_free(&v);
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		}
		memcpy((char *)v.data + v.len, buf, n);
		v.len += n;
	}
	if (ferror(f)) {
		fclose(f);
		bb_vec_free(&v);
		bb_err_set_file(e, path);
		return bb_err_insn(e, -EIO, -1, "read error");
	}
	fclose(f);
	if (bb_vec_reserve(&v, v.len + 1)) {
		bb_vec_free(&v);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	((char *)v.data)[v.len] = '\0';
	*out = v.data;
	return (long)v.len;
}
