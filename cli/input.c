/* SPDX-License-Identifier: MIT */
/*
 * Reading a program from a file.  People hand barebpf whatever they have:
 * raw instruction bytes, hex text pasted from a log, assembly in either
 * syntax, or a bpf_conformance .data file (which also carries memory and
 * the expected result).  We tell them apart by content, not by name.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

bool cli_is_elf_file(const char *path)
{
	char magic[4] = { 0 };
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return false;
	elf = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\x7f" "ELF", 4);
	fclose(f);
	return elf;
}

void cli_prog_free(struct cli_prog *p)
{
	if (!p)
		return;
	free(p->insns);
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

/* Text as people write it: no NUL and no C0 controls but whitespace.  DEL
 * and bytes >= 0x80 (UTF-8) are allowed: they turn up in comments, e.g. a
 * mangled section sign in the suite's rfc9669_*.data files. */
static bool is_text(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (!c || (c < 0x20 && !isspace(c)))
			return false;
	}
	return true;
}

/* Only hex digits, "0x" prefixes, commas and whitespace. */
static bool is_hex_text(const char *buf)
{
	bool any = false;

	for (const char *p = buf; *p; p++) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			p++;
			continue;
		}
		if (isxdigit((unsigned char)*p))
			any = true;
		else if (!isspace((unsigned char)*p) && *p != ',')
			return false;
	}
	return any;
}

/* The body of "-- name" in a .data file, up to the next "--" line; NULL if absent.
 * Comments ('#' to end of line) are blanked in the copy. */
static char *data_section(const char *text, const char *name)
{
	const char *p = text;
	size_t nlen = strlen(name);

	while ((p = strstr(p, "--"))) {
		const char *q = p + 2, *end, *eol;
		char *out;

		if (p != text && p[-1] != '\n') {
			p += 2;
			continue;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, name, nlen) || (q[nlen] && !isspace((unsigned char)q[nlen]))) {
			p += 2;
			continue;
		}
		eol = strchr(q, '\n');
		if (!eol)
			return strdup("");
		end = eol + 1;
		while (*end) {
			if (end[0] == '-' && end[1] == '-' && end[-1] == '\n')
				break;
			end++;
		}
		out = strndup(eol + 1, (size_t)(end - eol - 1));
		/* The hex and raw parsers don't know about comments. */
		if (out && strcmp(name, "asm"))
			for (char *c = out; (c = strchr(c, '#'));)
				while (*c && *c != '\n')
					*c++ = ' ';
		return out;
	}
	return NULL;
}

/* "-- raw": each token one instruction as a little-endian u64. */
static int parse_raw_section(const char *body, struct cli_prog *p, struct bb_err *e)
{
	struct bb_vec v;
	const char *s = body;

	bb_vec_init(&v, sizeof(uint64_t));
	for (;;) {
		char *end;
		unsigned long long val;

		while (*s && (isspace((unsigned char)*s) || *s == ','))
			s++;
		if (!*s)
			break;
		errno = 0;
		val = strtoull(s, &end, 0);
		if (end == s || errno) {
			bb_vec_free(&v);
			return bb_err_insn(e, -EINVAL, (int)v.len,
					   "'-- raw' token '%.16s' is not a number", s);
		}
		if (!bb_vec_push(&v, &val)) {
			bb_vec_free(&v);
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		}
		s = end;
	}
	/* Little-endian u64 in memory is exactly the instruction's byte order
	 * on x86-64; convert explicitly so the intent is visible. */
	p->n = v.len;
	p->insns = calloc(v.len ? v.len : 1, sizeof(struct isa_raw));
	if (!p->insns) {
		bb_vec_free(&v);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	for (size_t i = 0; i < v.len; i++) {
		uint64_t x = *bb_vec_at(&v, uint64_t, i);
		uint8_t b[8];

		for (int k = 0; k < 8; k++)
			b[k] = (uint8_t)(x >> (8 * k));
		memcpy(&p->insns[i], b, 8);
	}
	bb_vec_free(&v);
	return 0;
}

static int read_data_file(const char *path, const char *text, struct cli_prog *p,
			  struct bb_err *e)
{
	char *raw = data_section(text, "raw"), *asm_ = data_section(text, "asm");
	char *mem = data_section(text, "mem"), *res = data_section(text, "result");
	int ret = 0;

	if (raw) {
		ret = parse_raw_section(raw, p, e);
	} else if (asm_) {
		long n = isa_asm(asm_, path, &p->insns, e);

		if (n < 0)
			ret = (int)n;
		else
			p->n = (size_t)n;
	} else {
		ret = bb_err_insn(e, -EINVAL, -1, "no '-- asm' or '-- raw' section");
	}
	if (!ret && mem) {
		long n = bb_hex_parse(mem, &p->mem, e);

		if (n < 0)
			ret = (int)n;
		else if (!n) {
			free(p->mem);
			p->mem = NULL;
		} else {
			p->mem_len = (size_t)n;
		}
	}
	if (!ret && res) {
		char *end;

		p->result = strtoull(res, &end, strstr(res, "0x") ? 16 : 10);
		p->has_result = end != res;
	}
	free(raw);
	free(asm_);
	free(mem);
	free(res);
	return ret;
}

int cli_prog_read(const char *path, struct cli_prog *p, struct bb_err *e)
{
	char *buf;
	long len = bb_read_file(path, &buf, e);
	int ret = 0;

	memset(p, 0, sizeof(*p));
	bb_err_set_file(e, path);
	if (len < 0)
		return (int)len;
	if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4)) {
		/* Objects are opened by elf/ (`barebpf obj`); running one needs
		 * its maps and helpers offline, which maps/ will provide. */
		ret = bb_err_insn(e, -ENOTSUP, -1,
				  "running ELF objects offline is not supported yet (maps/ and helpers are planned; "
				  "see the README status table); 'barebpf obj show|disasm' reads objects");
	} else if (is_text(buf, (size_t)len) &&
		   (strstr(buf, "-- asm") || strstr(buf, "-- raw"))) {
		ret = read_data_file(path, buf, p, e);
	} else if (is_text(buf, (size_t)len) && is_hex_text(buf)) {
		uint8_t *bytes;
		long n = bb_hex_parse(buf, &bytes, e);

		if (n >= 0 && n % 8) {
			free(bytes);
			ret = bb_err_insn(e, -EINVAL, -1,
					  "%ld hex bytes is not a whole number of 8-byte instructions", n);
		} else if (n >= 0) {
			p->insns = (struct isa_raw *)bytes;
			p->n = (size_t)n / 8;
		} else {
			ret = (int)n;
		}
	} else if (is_text(buf, (size_t)len)) {
		long n = isa_asm(buf, path, &p->insns, e);

		if (n < 0)
			ret = (int)n;
		else
			p->n = (size_t)n;
	} else if (len % 8) {
		ret = bb_err_insn(e, -EINVAL, -1,
				  "size %ld is not a whole number of 8-byte instructions", len);
	} else {
		p->insns = (struct isa_raw *)buf;
		p->n = (size_t)len / 8;
		buf = NULL;
	}
	free(buf);
	if (ret)
		cli_prog_free(p);
	return ret;
}
