/* SPDX-License-Identifier: MIT */
/*
 * env/env_tp.c - tracepoint record layouts from tracefs "format" files.
 *
 * A tracepoint program's context is the raw trace event record, whose
 * layout only the running kernel knows (the format file) - so we parse
 * that text, and tests keep saved copies so they run anywhere.  Lines
 * look like
 *   field:const char * filename;	offset:24;	size:8;	signed:0;
 */
#include "env/env_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void env_tp_format_free(struct env_tp_format *f)
{
	if (!f)
		return;
	free(f->fields);
	free(f);
}

static bool num_after(const char *line, const char *key, uint32_t *out)
{
	const char *p = strstr(line, key);
	char *end;
	unsigned long v;

	if (!p)
		return false;
	v = strtoul(p + strlen(key), &end, 10);
	if (end == p + strlen(key) || *end != ';' || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "const char * filename" -> type "const char *", name "filename";
 * "char comm[16]" -> name "comm". */
static bool split_decl(const char *decl, size_t len, struct env_tp_field *f)
{
	size_t end = len, start, name_end;

	while (end && isspace((unsigned char)decl[end - 1]))
		end--;
	name_end = end;
	if (end && decl[end - 1] == ']') {
		while (end && decl[end - 1] != '[')
			end--;
		if (!end)
			return false;
		name_end = --end;
	}
	start = name_end;
	while (start && (isalnum((unsigned char)decl[start - 1]) || decl[start - 1] == '_'))
		start--;
	if (start == name_end || name_end - start >= sizeof(f->name))
		return false;
	memcpy(f->name, decl + start, name_end - start);
	f->name[name_end - start] = '\0';
	snprintf(f->type, sizeof(f->type), "%.*s%.*s", (int)start, decl,
		 (int)(len - name_end), decl + name_end);
	for (size_t n = strlen(f->type); n && isspace((unsigned char)f->type[n - 1]); n--)
		f->type[n - 1] = '\0';
	f->data_loc = !strncmp(decl, "__data_loc", 10);
	return true;
}

int env_tp_format_parse(const char *text, struct env_tp_format **out,
			struct bb_err *e)
{
	struct env_tp_format *f = calloc(1, sizeof(*f));
	struct bb_vec fields;
	const char *line = text;
	int lineno = 0, ret;

	*out = NULL;
	if (!f)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	bb_vec_init(&fields, sizeof(struct env_tp_field));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		const char *p;

		lineno++;
		if (len >= sizeof(buf)) {
			const char *q = line;

			/* "print fmt:" lines run to kilobytes (block_rq_*);
			 * only a field line that long is wrong. */
			while (q < line + len && isspace((unsigned char)*q))
				q++;
			if (strncmp(q, "field:", 6)) {
				line = nl ? nl + 1 : NULL;
				continue;
			}
			ret = bb_err_line(e, -EINVAL, lineno, "format line too long");
			goto fail;
		}
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;
		if (!strncmp(buf, "name: ", 6)) {
			snprintf(f->name, sizeof(f->name), "%.127s", buf + 6);
			continue;
		}
		if (!strncmp(buf, "ID: ", 4)) {
			f->id = (uint32_t)strtoul(buf + 4, NULL, 10);
			continue;
		}
		p = strstr(buf, "field:");
		if (!p)
			continue;
		{
			struct env_tp_field fl = { 0 };
			const char *semi = strchr(p, ';');
			uint32_t sgn = 0;

			p += 6;
			if (!semi || !split_decl(p, (size_t)(semi - p), &fl) ||
			    !num_after(semi, "offset:", &fl.off) ||
			    !num_after(semi, "size:", &fl.size)) {
				ret = bb_err_line(e, -EINVAL, lineno,
						  "cannot read field line '%.200s'", buf);
				goto fail;
			}
			if (num_after(semi, "signed:", &sgn))
				fl.is_signed = sgn != 0;
			if (fl.off > ENV_TP_MAX || fl.size > ENV_TP_MAX - fl.off) {
				ret = bb_err_line(e, -EINVAL, lineno,
						  "field '%s' ends past %u bytes", fl.name,
						  ENV_TP_MAX);
				goto fail;
			}
			if (fl.off + fl.size > f->size)
				f->size = fl.off + fl.size;
			if (!bb_vec_push(&fields, &fl)) {
				ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
				goto fail;
			}
		}
	}
	if (!fields.len) {
		ret = bb_err_insn(e, -EINVAL, -1, "no fields in tracepoint format");
		goto fail;
	}
	f->fields = fields.data;
	f->field_cnt = fields.len;
	*out = f;
	return 0;
fail:
	bb_vec_free(&fields);
	free(f);
	return ret;
}

int env_tp_format_load(const char *dir, const char *cat, const char *name,
		       struct env_tp_format **out, struct bb_err *e)
{
	static const char *const dirs[] = { "/sys/kernel/tracing/events",
					    "/sys/kernel/debug/tracing/events" };
	char path[512], *text = NULL;
	long n = -ENOENT;
	int ret;

	*out = NULL;
	for (size_t i = 0; i < (dir ? 1 : BB_ARRAY_SIZE(dirs)); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/format", dir ? dir : dirs[i],
			 cat, name);
		n = bb_read_file(path, &text, NULL);
		if (n >= 0)
			break;
	}
	if (n < 0)
		return bb_err_insn(e, (int)n, -1,
				   "no format for tracepoint %s/%s (%s: %s)", cat, name,
				   path, strerror((int)-n));
	ret = env_tp_format_parse(text, out, e);
	if (ret < 0)
		bb_err_set_file(e, path);
	free(text);
	return ret;
}

const struct env_tp_field *env_tp_field(const struct env_tp_format *f,
					const char *name)
{
	for (size_t i = 0; f && i < f->field_cnt; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}
