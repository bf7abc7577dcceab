/* SPDX-License-Identifier: MIT */
/*
 * elf/obj.c - opening a BPF ELF object: the ELF header, sections, symbols,
 * the split of code into functions and programs, license and version, and
 * the accessors of obj.h.
 *
 * The ELF and section headers are read here from the file's bytes (no
 * libelf); every offset and size in them comes from the file, so each one
 * is checked against the file size before any byte behind it is touched.
 * Section contents are read straight from our own copy of the file
 * (o->buf; for a large file only the sections we use, see load_sparse())
 * with memcpy where alignment is not guaranteed, so a hostile file cannot
 * make us read out of bounds or through a misaligned pointer.
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/btf.h"

int obj_err(const struct obj *o, struct bb_err *e, int code, const char *sec,
	    int insn, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	bb_err_set_file(e, o ? o->path : "");
	bb_err_set_section(e, sec ? sec : "");
	e->line = 0;
	va_start(ap, fmt);
	bb_err_vset(e, code, insn, 0, fmt, ap);
	va_end(ap);
	return code;
}

struct obj_sec *obj_sec_at(const struct obj *o, size_t idx)
{
	return idx < o->nsecs ? &o->secs[idx] : NULL;
}

struct obj_sec *obj_sec_by_name(const struct obj *o, const char *name)
{
	/* The first two bytes before a call: most names start with '.'. */
	for (size_t i = 1; i < o->nsecs; i++) {
		const char *n = o->secs[i].name;

		if (n && n[0] == name[0] && (!n[0] || (n[1] == name[1] && !strcmp(n, name))))
			return &o->secs[i];
	}
	return NULL;
}

int obj_sym_by_name(const struct obj *o, const char *name)
{
	/* The first byte before a call (a map's name against ~50 symbols). */
	for (size_t i = 1; i < o->nsyms; i++)
		if (o->syms[i].shndx != SHN_UNDEF && o->syms[i].name[0] == name[0] &&
		    !strcmp(o->syms[i].name, name))
			return (int)i;
	return -ENOENT;
}

struct obj_func *obj_func_at(const struct obj *o, uint32_t sec, uint32_t insn)
{
	const struct obj_sec *s = obj_sec_at(o, sec);

	if (!s || !s->func_at || insn >= s->size / 8 || !s->func_at[insn])
		return NULL;
	return bb_vec_at(&o->funcs, struct obj_func, s->func_at[insn] - 1);
}

const char *obj_section_name(const struct obj *o, uint32_t idx)
{
	const struct obj_sec *s = o ? obj_sec_at(o, idx) : NULL;

	return s && s->name ? s->name : "";
}

/* A NUL-terminated string at @off of string section @s, or NULL. */
static const char *str_at(const struct obj_sec *s, uint64_t off)
{
	if (!s || !s->data || off >= s->size)
		return NULL;
	/* A table that ends in a NUL ends every string in it; only a
	 * malformed one needs the search. */
	if (s->data[s->size - 1] && !memchr(s->data + off, '\0', s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

/* ".data" or ".data.<anything>" */
static bool is_sec_family(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (name[n] == '\0' || name[n] == '.');
}

static enum obj_sec_role sec_role(const struct obj_sec *s)
{
	if (s->sh_type == SHT_SYMTAB)
		return OBJ_SEC_SYMTAB;
	if (s->sh_type == SHT_REL)
		return OBJ_SEC_REL;
	if ((s->sh_flags & SHF_EXECINSTR) && s->sh_type == SHT_PROGBITS)
		return OBJ_SEC_PROG;
	/* The names by their first two bytes before any strcmp(): an
	 * object has ~30 sections, mostly .debug_* and .rel*, and this
	 * chain of compares was 5% of opening one. */
	switch (s->name[0]) {
	case 'l':
		if (!strcmp(s->name, "license"))
			return OBJ_SEC_LICENSE;
		break;
	case 'v':
		if (!strcmp(s->name, "version"))
			return OBJ_SEC_VERSION;
		break;
	case 'm':
		if (!strcmp(s->name, "maps"))
			return OBJ_SEC_MAPS_LEGACY;
		break;
	case '.':
		if (s->name[1] == 'm' && !strcmp(s->name, ".maps"))
			return OBJ_SEC_MAPS_BTF;
		if (s->name[1] == 'B' && !strcmp(s->name, ".BTF"))
			return OBJ_SEC_BTF;
		if (s->name[1] == 'B' && !strcmp(s->name, ".BTF.ext"))
			return OBJ_SEC_BTF_EXT;
		if (s->name[1] == 's' &&
		    (!strcmp(s->name, ".struct_ops") || !strcmp(s->name, ".struct_ops.link")))
			return OBJ_SEC_STRUCT_OPS;
		break;
	}
	if (!(s->sh_flags & SHF_ALLOC))
		return OBJ_SEC_OTHER;
	if (is_sec_family(s->name, ".data") && s->sh_type == SHT_PROGBITS)
		return OBJ_SEC_DATA;
	if (is_sec_family(s->name, ".rodata") && s->sh_type == SHT_PROGBITS)
		return OBJ_SEC_RODATA;
	if (is_sec_family(s->name, ".bss") && s->sh_type == SHT_NOBITS)
		return OBJ_SEC_BSS;
	return OBJ_SEC_OTHER;
}

/* Section header @i, from the table read_sections() bounds-checked (or
 * its copy load_sparse() read). */
static void shdr_at(const struct obj *o, uint64_t shoff, size_t i, Elf64_Shdr *sh)
{
	memcpy(sh, (o->shtab ? o->shtab : o->buf + shoff) + i * sizeof(*sh), sizeof(*sh));
}

/*
 * ELF header and section headers, bounds-checked, read straight from the
 * file's bytes.  libelf's elf_memory() + elf_getscn()/gelf_getshdr() did
 * the same reads through a descriptor per section that it allocated and
 * converted (a tenth of opening a corpus object), and every field it
 * handed back had to be checked against the file size here anyway.
 * Extended section numbering (e_shnum 0, e_shstrndx SHN_XINDEX: the real
 * values in section 0) is followed as libelf does.
 */
static int read_sections(struct obj *o, struct bb_err *e)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh0 = { 0 };
	size_t shnum, shstrndx;
	struct obj_sec *strs;

	if (o->size < EI_NIDENT || memcmp(o->buf, ELFMAG, SELFMAG))
		return obj_err(o, e, -EINVAL, NULL, -1, "not an ELF file");
	if (o->buf[EI_CLASS] != ELFCLASS64)
		return obj_err(o, e, -EINVAL, NULL, -1, "not a 64-bit ELF file");
	if (o->size < sizeof(eh))
		return obj_err(o, e, -EINVAL, NULL, -1,
			       "bad ELF header: %zu bytes, shorter than the %zu-byte header",
			       o->size, sizeof(eh));
	memcpy(&eh, o->buf, sizeof(eh));
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		return obj_err(o, e, -EINVAL, NULL, -1,
			       "byte order differs from the host's (big-endian BPF objects are not supported)");
	if (eh.e_machine != EM_BPF)
		return obj_err(o, e, -EINVAL, NULL, -1, "not a BPF object (e_machine %u, want %u)",
			       eh.e_machine, EM_BPF);
	if (eh.e_type != ET_REL)
		return obj_err(o, e, -EINVAL, NULL, -1, "not a relocatable object (e_type %u)",
			       eh.e_type);
	shnum = eh.e_shnum;
	shstrndx = eh.e_shstrndx;
	if (eh.e_shoff && (shnum == 0 || shstrndx == SHN_XINDEX)) {
		if (eh.e_shoff > o->size || o->size - eh.e_shoff < sizeof(sh0))
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "bad section header table: section 0 at offset %llu is past the end of the file",
				       (unsigned long long)eh.e_shoff);
		shdr_at(o, eh.e_shoff, 0, &sh0);
		if (shnum == 0)
			shnum = sh0.sh_size;
		if (shstrndx == SHN_XINDEX)
			shstrndx = sh0.sh_link;
	}
	if (!eh.e_shoff)
		shnum = 0;
	/* The table itself must lie inside the file. */
	if (eh.e_shoff > o->size || shnum > (o->size - eh.e_shoff) / sizeof(Elf64_Shdr) ||
	    (shnum && eh.e_shentsize != sizeof(Elf64_Shdr)))
		return obj_err(o, e, -EINVAL, NULL, -1,
			       "section header table (%zu entries at offset %llu) runs past the end of the file (%zu bytes)",
			       shnum, (unsigned long long)eh.e_shoff, o->size);
	if (shnum < 2)
		return obj_err(o, e, -EINVAL, NULL, -1, "no sections");
	if (shstrndx >= shnum)
		return obj_err(o, e, -EINVAL, NULL, -1, "section name table index %zu out of range",
			       shstrndx);
	o->secs = bb_zalloc(shnum, sizeof(*o->secs));
	if (!o->secs)
		return obj_err(o, e, -ENOMEM, NULL, -1, "out of memory");
	o->nsecs = shnum;
	for (size_t i = 1; i < shnum; i++) {
		struct obj_sec *s = &o->secs[i];
		Elf64_Shdr sh;

		shdr_at(o, eh.e_shoff, i, &sh);
		s->idx = (uint32_t)i;
		s->map = -1;
		s->sh_type = sh.sh_type;
		s->sh_flags = sh.sh_flags;
		s->sh_link = sh.sh_link;
		s->sh_info = sh.sh_info;
		s->size = sh.sh_size;
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > o->size || sh.sh_size > o->size - sh.sh_offset)
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "section %zu: offset %llu + size %llu runs past the end of the file (%zu bytes)",
				       i, (unsigned long long)sh.sh_offset,
				       (unsigned long long)sh.sh_size, o->size);
		if (sh.sh_size)
			s->data = o->sec_data ? o->sec_data[i] : o->buf + sh.sh_offset;
		/* Code is read through struct isa_raw pointers. */
		if ((sh.sh_flags & SHF_EXECINSTR) && (sh.sh_offset % 8))
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "section %zu: code at offset %llu is not 8-byte aligned", i,
				       (unsigned long long)sh.sh_offset);
	}
	strs = &o->secs[shstrndx];
	if (shstrndx == 0 || strs->sh_type != SHT_STRTAB)
		return obj_err(o, e, -EINVAL, NULL, -1, "section %zu is not a string table", shstrndx);
	o->secs[0].name = "";
	for (size_t i = 1; i < shnum; i++) {
		struct obj_sec *s = &o->secs[i];
		Elf64_Shdr sh;

		shdr_at(o, eh.e_shoff, i, &sh);
		s->name = str_at(strs, sh.sh_name);
		if (!s->name)
			return obj_err(o, e, -EINVAL, NULL, -1,
				       "section %zu: name offset %u outside the section name table",
				       i, sh.sh_name);
		s->role = sec_role(s);
		/* For read_btf(): the first of each name, whatever its type,
		 * as a search by name finds it, without two more scans. */
		if (s->name[0] == '.' && s->name[1] == 'B') {
			if (!o->btf_sec && !strcmp(s->name, ".BTF"))
				o->btf_sec = (uint32_t)i;
			else if (!o->btf_ext_sec && !strcmp(s->name, ".BTF.ext"))
				o->btf_ext_sec = (uint32_t)i;
		}
	}
	return 0;
}

static int read_symbols(struct obj *o, struct bb_err *e)
{
	const struct obj_sec *st = NULL, *strs;

	for (size_t i = 1; i < o->nsecs; i++) {
		if (o->secs[i].role != OBJ_SEC_SYMTAB)
			continue;
		if (st)
			return obj_err(o, e, -EINVAL, o->secs[i].name, -1, "more than one symbol table");
		st = &o->secs[i];
		o->symtab_idx = (uint32_t)i;
	}
	if (!st)
		return obj_err(o, e, -EINVAL, NULL, -1, "no symbol table (was it stripped?)");
	if (st->size % sizeof(Elf64_Sym) || !st->data)
		return obj_err(o, e, -EINVAL, st->name, -1,
			       "size %zu is not a multiple of the symbol size %zu", st->size,
			       sizeof(Elf64_Sym));
	strs = obj_sec_at(o, st->sh_link);
	if (!strs || st->sh_link == 0 || strs->sh_type != SHT_STRTAB)
		return obj_err(o, e, -EINVAL, st->name, -1, "link %u is not a string table",
			       st->sh_link);
	o->nsyms = st->size / sizeof(Elf64_Sym);
	o->syms = bb_zalloc(o->nsyms ? o->nsyms : 1, sizeof(*o->syms));
	if (!o->syms)
		return obj_err(o, e, -ENOMEM, st->name, -1, "out of memory");
	for (size_t i = 0; i < o->nsyms; i++) {
		struct obj_sym *y = &o->syms[i];
		Elf64_Sym raw;

		memcpy(&raw, st->data + i * sizeof(raw), sizeof(raw));
		y->name = str_at(strs, raw.st_name);
		if (!y->name)
			return obj_err(o, e, -EINVAL, st->name, -1,
				       "symbol %zu: name offset %u outside the string table", i,
				       raw.st_name);
		y->value = raw.st_value;
		y->size = raw.st_size;
		y->shndx = raw.st_shndx;
		y->bind = ELF64_ST_BIND(raw.st_info);
		y->type = ELF64_ST_TYPE(raw.st_info);
		if (y->shndx == SHN_XINDEX)
			return obj_err(o, e, -EINVAL, st->name, -1,
				       "symbol %zu '%s': extended section indexes are not supported",
				       i, y->name);
		if (y->shndx != SHN_UNDEF && y->shndx < SHN_LORESERVE && y->shndx >= o->nsecs)
			return obj_err(o, e, -EINVAL, st->name, -1,
				       "symbol %zu '%s': section index %u out of range", i, y->name,
				       y->shndx);
		/* A section symbol is named after its section. */
		if (y->type == STT_SECTION && !y->name[0] && y->shndx < o->nsecs)
			y->name = o->secs[y->shndx].name;
	}
	return 0;
}

static int read_license_version(struct obj *o, struct bb_err *e)
{
	for (size_t i = 1; i < o->nsecs; i++) {
		const struct obj_sec *s = &o->secs[i];

		if (s->role == OBJ_SEC_LICENSE) {
			size_t n = s->size < sizeof(o->license) - 1 ? s->size : sizeof(o->license) - 1;

			if (!s->data && s->size)
				return obj_err(o, e, -EINVAL, s->name, -1, "license has no contents");
			if (n)
				memcpy(o->license, s->data, n);
			o->license[n] = '\0';
		} else if (s->role == OBJ_SEC_VERSION) {
			if (s->size != 4 || !s->data)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "size %zu, expected 4 (a u32 kernel version)", s->size);
			memcpy(&o->kern_version, s->data, 4);
		}
	}
	return 0;
}

static int read_btf(struct obj *o, struct bb_err *e)
{
	const struct obj_sec *b = o->btf_sec ? &o->secs[o->btf_sec] : NULL;
	const struct obj_sec *x = o->btf_ext_sec ? &o->secs[o->btf_ext_sec] : NULL;
	int err;

	if (!b) {
		/* .BTF.ext only means something against a .BTF. */
		return 0;
	}
	if (!b->data)
		return obj_err(o, e, -EINVAL, b->name, -1, "empty BTF section");
	o->btf_data = b->data;
	o->btf_size = b->size;
	bb_err_set_file(e, o->path);
	bb_err_set_section(e, ".BTF");
	/* The section's bytes are in o->buf, ours and writable, and live
	 * as long as o->btf: parsed in place, the fix-ups (obj_fixup_btf())
	 * write there, and the section is not copied. */
	err = bbtf_parse_borrow((void *)b->data, b->size, NULL, &o->btf, e);
	if (err)
		return err;
	/* Objects have a handful; room for 16 covers nearly all, else a
	 * second pass with the count. */
	o->datasecs = malloc(16 * sizeof(*o->datasecs));
	if (!o->datasecs)
		return obj_err(o, e, -ENOMEM, b->name, -1, "out of memory");
	o->n_datasecs = bbtf_ids_of_kind(o->btf, BTF_KIND_DATASEC, o->datasecs, 16);
	if (o->n_datasecs > 16) {
		uint32_t *all = realloc(o->datasecs, o->n_datasecs * sizeof(*all));

		if (!all)
			return obj_err(o, e, -ENOMEM, b->name, -1, "out of memory");
		o->datasecs = all;
		bbtf_ids_of_kind(o->btf, BTF_KIND_DATASEC, o->datasecs, o->n_datasecs);
	}
	if (x && x->data) {
		o->btf_ext_data = x->data;
		o->btf_ext_size = x->size;
		bb_err_set_file(e, o->path);
		bb_err_set_section(e, ".BTF.ext");
		err = bbtf_ext_parse(x->data, x->size, o->btf, &o->btf_ext, e);
		if (err)
			return err;
	}
	return 0;
}

int obj_datasec(const struct obj *o, const char *name)
{
	for (size_t i = 0; name && *name && i < o->n_datasecs; i++) {
		const char *n = bbtf_type_name(o->btf, o->datasecs[i]);

		if (n && !strcmp(n, name))
			return (int)o->datasecs[i];
	}
	return -ENOENT;
}

static int cmp_func(const void *a, const void *b)
{
	const struct obj_func *x = a, *y = b;

	if (x->sec_idx != y->sec_idx)
		return x->sec_idx < y->sec_idx ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Split every executable section into its functions (STT_FUNC symbols). */
static int collect_funcs(struct obj *o, struct bb_err *e)
{
	for (size_t i = 1; i < o->nsecs; i++) {
		struct obj_sec *s = &o->secs[i];
		size_t first = o->funcs.len, n_insns;

		if (s->role != OBJ_SEC_PROG || !s->size)
			continue;
		if (s->size % 8)
			return obj_err(o, e, -EINVAL, s->name, -1,
				       "code size %zu is not a multiple of 8 (BPF instructions are 8 bytes)",
				       s->size);
		if (s->size / 8 > ISA_MAX_INSNS)
			return obj_err(o, e, -E2BIG, s->name, -1, "%zu instructions, more than %d",
				       s->size / 8, ISA_MAX_INSNS);
		n_insns = s->size / 8;
		for (size_t k = 1; k < o->nsyms; k++) {
			const struct obj_sym *y = &o->syms[k];
			struct obj_func f = { .name = y->name, .sec_idx = (uint32_t)i, .prog = -1 };

			if (y->shndx != i || y->type != STT_FUNC)
				continue;
			if (y->value % 8 || y->size % 8 || !y->size || y->value > s->size ||
			    y->size > s->size - y->value)
				return obj_err(o, e, -EINVAL, s->name, -1,
					       "function '%s' at offset %llu size %llu does not fit the section (%zu bytes) in whole instructions",
					       y->name, (unsigned long long)y->value,
					       (unsigned long long)y->size, s->size);
			f.off = (uint32_t)(y->value / 8);
			f.cnt = (uint32_t)(y->size / 8);
			f.global = y->bind == STB_GLOBAL || y->bind == STB_WEAK;
			if (!bb_vec_push(&o->funcs, &f))
				return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		}
		if (o->funcs.len == first) {
			/* Hand-written assembly may have no function symbols: the
			 * whole section is then one program named after it. */
			struct obj_func f = { .name = s->name, .sec_idx = (uint32_t)i, .off = 0,
					      .cnt = (uint32_t)n_insns, .global = true, .prog = -1 };

			if (!bb_vec_push(&o->funcs, &f))
				return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		}
		qsort(bb_vec_at(&o->funcs, struct obj_func, first), o->funcs.len - first,
		      sizeof(struct obj_func), cmp_func);
		/* Both per-instruction maps in one block (func_at owns it). */
		s->func_at = bb_zalloc(2 * n_insns, sizeof(*s->func_at));
		if (!s->func_at)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		s->rel_at = s->func_at + n_insns;
		for (size_t k = first; k < o->funcs.len; k++) {
			const struct obj_func *f = bb_vec_at(&o->funcs, struct obj_func, k);

			if (k > first) {
				const struct obj_func *p = bb_vec_at(&o->funcs, struct obj_func, k - 1);

				if (p->off + p->cnt > f->off)
					return obj_err(o, e, -EINVAL, s->name, (int)f->off,
						       "functions '%s' and '%s' overlap", p->name,
						       f->name);
			}
			s->func_at[f->off] = (uint32_t)k + 1;
		}
	}
	return 0;
}

/* Functions become programs: every function of a SEC() section that is
 * global, or that nothing calls.  `.text` and static functions that are
 * called (or used as callbacks) stay subprograms. */
static int make_progs(struct obj *o, struct bb_err *e)
{
	for (size_t k = 0; k < o->funcs.len; k++) {
		struct obj_func *f = bb_vec_at(&o->funcs, struct obj_func, k);
		const struct obj_sec *s = &o->secs[f->sec_idx];
		struct obj_prog *p;
		struct obj_prog_priv *pp;
		size_t len;
		int err;

		if (!strcmp(s->name, ".text") || (!f->global && f->called))
			continue;
		p = bb_vec_push(&o->progs, NULL);
		pp = bb_vec_push(&o->prog_priv, NULL);
		if (!p || !pp)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		bb_vec_init(&pp->map_refs, sizeof(struct obj_map_ref));
		bb_vec_init(&pp->ext_refs, sizeof(struct obj_ext_ref));
		bb_vec_init(&pp->func_info, sizeof(struct obj_func_info));
		bb_vec_init(&pp->line_info, sizeof(struct obj_line_info));
		bb_vec_init(&pp->core_relos, sizeof(struct obj_core_relo));
		pp->func = (uint32_t)k;
		f->prog = (int)(o->progs.len - 1);
		p->name = f->name;
		p->section = s->name;
		p->sec_idx = f->sec_idx;
		p->sec_insn_off = f->off;
		p->sec_insn_cnt = f->cnt;
		p->def = obj_sec_lookup(s->name);
		if (!p->def)
			continue;
		p->prog_type = p->def->prog_type;
		p->expected_attach_type = p->def->attach_type;
		if (p->def->flags & OBJ_SEC_SLEEPABLE)
			p->prog_flags |= BPF_F_SLEEPABLE;
		if (p->def->flags & OBJ_SEC_XDP_FRAGS)
			p->prog_flags |= BPF_F_XDP_HAS_FRAGS;
		len = strlen(s->name) + 1;
		pp->attach_buf = malloc(len);
		if (!pp->attach_buf)
			return obj_err(o, e, -ENOMEM, s->name, -1, "out of memory");
		err = obj_attach_parse(p->def, s->name, &p->attach, pp->attach_buf, len, e);
		if (err) {
			bb_err_set_file(e, o->path);
			bb_err_set_section(e, s->name);
			return err;
		}
	}
	return 0;
}

/* The object name libbpf would use: the file's base name up to its first
 * dot ("dir/prog.bpf.o" -> "prog"). */
static char *default_name(const char *path)
{
	const char *b = strrchr(path, '/');
	char *n, *dot;

	n = strdup(b ? b + 1 : path);
	if (n && (dot = strchr(n, '.')) && dot != n)
		*dot = '\0';
	return n;
}

static int open_common(struct obj *o, struct bb_err *e)
{
	int err;

	o->kconfig_map = -1;
	if ((err = read_sections(o, e)) || (err = read_symbols(o, e)) ||
	    (err = read_license_version(o, e)) || (err = read_btf(o, e)) ||
	    (err = collect_funcs(o, e)) || (err = obj_collect_maps(o, e)) ||
	    (err = obj_collect_externs(o, e)) || (err = obj_record_relocs(o, e)) ||
	    (err = make_progs(o, e)) || (err = obj_collect_map_slots(o, e)) ||
	    (err = obj_fixup_btf(o, e)) || (err = obj_link_progs(o, e)))
		return err;
	return 0;
}

static struct obj *obj_alloc(void)
{
	struct obj *o = bb_zalloc(1, sizeof(*o));

	if (!o)
		return NULL;
	bb_vec_init(&o->funcs, sizeof(struct obj_func));
	bb_vec_init(&o->progs, sizeof(struct obj_prog));
	bb_vec_init(&o->prog_priv, sizeof(struct obj_prog_priv));
	bb_vec_init(&o->maps, sizeof(struct obj_map));
	bb_vec_init(&o->map_priv, sizeof(struct obj_map_priv));
	bb_vec_init(&o->relocs, sizeof(struct obj_reloc));
	bb_vec_init(&o->externs, sizeof(struct obj_extern_priv));
	return o;
}

int obj_open_mem(const void *buf, size_t size, const struct obj_open_opts *opts,
		 struct obj **out, struct bb_err *e)
{
	const char *name = opts && opts->sz >= offsetof(struct obj_open_opts, name) + sizeof(char *)
			   ? opts->name : NULL;
	struct obj *o;
	int err;

	*out = NULL;
	bb_err_clear(e);
	o = obj_alloc();
	if (!o)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	o->path = strdup(name ? name : "<memory>");
	o->name = strdup(name ? name : "obj");
	/* One spare byte so an empty input still gets a valid pointer. */
	o->buf = malloc(size + 1);
	if (!o->path || !o->name || !o->buf) {
		obj_free(o);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	if (size)
		memcpy(o->buf, buf, size);
	o->size = size;
	err = open_common(o, e);
	if (err) {
		obj_free(o);
		return err;
	}
	*out = o;
	return 0;
}

/* One pread() of up to @len bytes at @off (again if a signal came
 * first); -1 on an error.  A regular file gives fewer bytes only at its
 * end, which is how the callers below see where it ends: a read that
 * stops anywhere else only sends them the fstat() way. */
static ssize_t read_once(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	do
		n = pread(fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n;
}

/* pread() @len bytes at @off whole; false on an error or a short file. */
static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read_once(fd, (uint8_t *)buf + got, len - got, off + got);

		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* Sections closer than this in the file are read with one pread(): a
 * system call costs more than copying a few KB we do not need. */
#define OBJ_READ_GAP (4u << 10)

struct chunk {
	uint64_t off, end;      /* file range */
	size_t at;              /* where it starts in the buffer */
};

static int cmp_chunk(const void *a, const void *b)
{
	const struct chunk *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Read only what open_common() looks at from a large file @fd of @size
 * bytes: the ELF header, the section header table, the section name
 * table, and the sections whose role (sec_role()) is not "other", plus
 * the symbol table's string table.  Debug sections and their
 * relocations, the bulk of an object built with -g, are never read (no
 * step looks at an "other" section's bytes except as a string table).
 * o->buf gets [ELF header][section headers][name table][read ranges],
 * o->shtab and o->sec_data say where; o->size stays the file size, so
 * read_sections() checks every offset against the file as before.  Only
 * for the headers of an ordinary object: false for anything unusual
 * (extended numbering, a header or name out of bounds, ...), and the
 * caller maps the whole file so that read_sections() words the problem
 * exactly as for a small file.  @head holds the file's first @head_len
 * bytes (the caller's probe read): the ELF header and any range inside
 * it come from there.  With @eof_at_table, @size is where the header says
 * the section header table ends, not fstat()'s size, and the table is
 * read with one byte more to see the file end there (else false).
 */
static bool load_sparse(struct obj *o, int fd, const uint8_t *head, size_t head_len,
			size_t size, bool eof_at_table)
{
	Elf64_Ehdr eh;
	Elf64_Shdr strs;
	struct obj_sec nt = { 0 };
	struct chunk *ch = NULL;
	const uint8_t **data = NULL;
	uint8_t *buf = NULL, *grown;
	size_t shnum, tab = sizeof(eh), names, total, nch = 0, k;
	bool ok = false;

	if (head_len >= sizeof(eh))
		memcpy(&eh, head, sizeof(eh));
	else if (!read_at(fd, &eh, sizeof(eh), 0))
		return false;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shoff || eh.e_shnum < 2 ||
	    eh.e_shstrndx == 0 || eh.e_shstrndx >= eh.e_shnum || eh.e_shoff > size ||
	    eh.e_shnum > (size - eh.e_shoff) / sizeof(Elf64_Shdr))
		return false;
	shnum = eh.e_shnum;
	/* Room for the byte past the table that shows the end of file. */
	names = (tab + shnum * sizeof(Elf64_Shdr) + 1 + 7) & ~(size_t)7;
	if (!(buf = malloc(names)))
		return false;
	memcpy(buf, &eh, sizeof(eh));
	if (eof_at_table ? read_once(fd, buf + tab, shnum * sizeof(Elf64_Shdr) + 1, eh.e_shoff) !=
				   (ssize_t)(shnum * sizeof(Elf64_Shdr))
			 : !read_at(fd, buf + tab, shnum * sizeof(Elf64_Shdr), eh.e_shoff))
		goto out;
	memcpy(&strs, buf + tab + eh.e_shstrndx * sizeof(strs), sizeof(strs));
	if (strs.sh_type != SHT_STRTAB || strs.sh_offset > size ||
	    strs.sh_size > size - strs.sh_offset || !strs.sh_size)
		goto out;
	total = names + strs.sh_size;
	if (!(grown = realloc(buf, total)))
		goto out;
	buf = grown;
	if (!read_at(fd, buf + names, strs.sh_size, strs.sh_offset) ||
	    !(ch = calloc(shnum, sizeof(*ch))) || !(data = calloc(shnum, sizeof(*data))))
		goto out;
	/* The name table as str_at() reads one. */
	nt.data = buf + names;
	nt.size = strs.sh_size;
	for (size_t i = 1; i < shnum; i++) {
		struct obj_sec s = { 0 };
		Elf64_Shdr sh;
		bool need;

		memcpy(&sh, buf + tab + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset ||
		    !(s.name = str_at(&nt, sh.sh_name)))
			goto out;
		s.sh_type = sh.sh_type;
		s.sh_flags = sh.sh_flags;
		need = sec_role(&s) != OBJ_SEC_OTHER;
		if (sh.sh_type == SHT_REL && sh.sh_info && sh.sh_info < shnum) {
			/* .rel.debug_*: read only where the target is. */
			Elf64_Shdr t;
			struct obj_sec ts = { 0 };

			memcpy(&t, buf + tab + sh.sh_info * sizeof(t), sizeof(t));
			if ((ts.name = str_at(&nt, t.sh_name))) {
				ts.sh_type = t.sh_type;
				ts.sh_flags = t.sh_flags;
				need = sec_role(&ts) != OBJ_SEC_OTHER;
			}
		}
		if (sh.sh_type == SHT_SYMTAB && sh.sh_link < shnum)
			ch[sh.sh_link].end = 1;         /* its strings: marked, filled below */
		if (need)
			ch[i].end = 1;
	}
	/* Marked sections with bytes (the name table is in already) become
	 * ranges, sorted by offset and merged across small gaps. */
	for (size_t i = 1; i < shnum; i++) {
		Elf64_Shdr sh;

		if (!ch[i].end)
			continue;
		ch[i].end = 0;
		memcpy(&sh, buf + tab + i * sizeof(sh), sizeof(sh));
		if (i == eh.e_shstrndx || !sh.sh_size || sh.sh_type == SHT_NOBITS ||
		    sh.sh_type == SHT_NULL)
			continue;
		ch[nch].off = sh.sh_offset;
		ch[nch++].end = sh.sh_offset + sh.sh_size;
	}
	qsort(ch, nch, sizeof(*ch), cmp_chunk);
	for (size_t i = 1, w = 0; i <= nch; i++) {
		if (i < nch && ch[i].off <= ch[w].end + OBJ_READ_GAP) {
			if (ch[i].end > ch[w].end)
				ch[w].end = ch[i].end;
			continue;
		}
		if (i < nch)
			ch[++w] = ch[i];
		else
			nch = w + 1;
	}
	/* Each range starts at the buffer offset congruent to its file
	 * offset mod 8, so section bytes keep the alignment they have in
	 * the file (code is read through struct isa_raw pointers). */
	for (k = 0; k < nch; k++) {
		ch[k].at = ((total + 7) & ~(size_t)7) + ch[k].off % 8;
		total = ch[k].at + (size_t)(ch[k].end - ch[k].off);
	}
	if (!(grown = realloc(buf, total + 1)))
		goto out;
	buf = grown;
	for (k = 0; k < nch; k++) {
		size_t len = (size_t)(ch[k].end - ch[k].off);

		if (ch[k].end <= head_len)
			memcpy(buf + ch[k].at, head + ch[k].off, len);
		else if (!read_at(fd, buf + ch[k].at, len, ch[k].off))
			goto out;
	}
	/* Every section inside a range gets its bytes: the marked ones and
	 * any small one between them. */
	data[eh.e_shstrndx] = buf + names;
	for (size_t i = 1; i < shnum; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, buf + tab + i * sizeof(sh), sizeof(sh));
		if (i == eh.e_shstrndx || !sh.sh_size || sh.sh_type == SHT_NOBITS ||
		    sh.sh_type == SHT_NULL)
			continue;
		for (k = 0; k < nch; k++)
			if (sh.sh_offset >= ch[k].off && sh.sh_offset + sh.sh_size <= ch[k].end)
				data[i] = buf + ch[k].at + (sh.sh_offset - ch[k].off);
	}
	o->buf = buf;
	o->size = size;
	o->shtab = buf + tab;
	o->sec_data = data;
	buf = NULL;
	data = NULL;
	ok = true;
out:
	free(ch);
	free(data);
	free(buf);
	return ok;
}

/*
 * The file's bytes, into o->buf (o->size, o->buf_map_len, o->shtab,
 * o->sec_data).  Clang objects without DWARF are 5-20 KB; those are read
 * whole with one pread() into a malloc'ed buffer: ~4 us for 16 KB, where
 * mapping the file cost ~11 us (mmap(), faults on its pages, munmap()
 * and its TLB flush), and the heap hands the memory to the next object.
 * Objects built with -g run to 650 KB of which we need a tenth; of those
 * only the sections we use are read (load_sparse(): 4-6 pread()s, ~25
 * us less than mapping, faulting and unmapping 650 KB).  A large file
 * whose headers load_sparse() does not take is mapped privately
 * (copy-on-write, like libbpf's libelf ELF_C_READ_MMAP); as with libbpf,
 * a mapped file truncated while open would fault.  False (and the caller
 * reads the file with bb_read_file(), which words any error) for
 * anything that is not a non-empty regular file or cannot be read.
 */
#define OBJ_READ_WHOLE_MAX (64u << 10)
#define OBJ_READ_PROBE (16u << 10)

/*
 * Where the ELF header at @buf (@n bytes read from offset 0) says the
 * section header table ends; 0 if there is no usable header.  The linkers
 * and clang put the table last, so that is where an object ends: a read
 * that stops there was the whole file, and a larger file is read up to
 * there with one byte more to see it end.  Neither needs fstat() (a tenth
 * of a small object's system time); anything else (a pipe, a device, a
 * file whose table is elsewhere) goes the fstat() way.
 */
static uint64_t elf_table_end(const uint8_t *buf, size_t n)
{
	Elf64_Ehdr eh;

	if (n < sizeof(eh))
		return 0;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shnum || eh.e_shoff > SIZE_MAX / 4)
		return 0;
	return eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr);
}

static bool load_file(struct obj *o, const char *path)
{
	struct stat st;
	void *m;
	uint8_t *small, *grown;
	size_t size;
	uint64_t end;
	ssize_t got;
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	/* A small object in one read, one byte more than the limit asked
	 * for so that a read that stops short is known to be the end. */
	if (!(small = malloc(OBJ_READ_PROBE + 1)))
		goto out;
	got = read_once(fd, small, OBJ_READ_PROBE + 1, 0);
	end = got > 0 ? elf_table_end(small, (size_t)got) : 0;
	if (end && end == (uint64_t)got) {
		/* Shrinking in place: the heap keeps the rest for the next. */
		o->buf = realloc(small, (size_t)got + 1) ?: small;
		o->buf[got] = '\0';      /* the spare byte bb_read_file() leaves */
		o->size = (size_t)got;
		ok = true;
		goto out;
	}
	if (got == OBJ_READ_PROBE + 1 && end > (uint64_t)got) {
		if (end <= OBJ_READ_WHOLE_MAX) {
			/* The rest, and one byte more that must not be there;
			 * the spare byte bb_read_file() leaves is the same byte. */
			if ((grown = realloc(small, (size_t)end + 1))) {
				small = grown;
				if (read_once(fd, small + got, (size_t)end + 1 - (size_t)got,
					      (uint64_t)got) == (ssize_t)(end - (uint64_t)got)) {
					small[end] = '\0';
					o->buf = small;
					o->size = (size_t)end;
					ok = true;
					goto out;
				}
			}
		} else if (end <= SIZE_MAX / 2 &&
			   load_sparse(o, fd, small, (size_t)got, (size_t)end, true)) {
			free(small);
			ok = true;
			goto out;
		}
	}
	free(small);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2)
		goto out;
	size = (size_t)st.st_size;
	if (size > OBJ_READ_WHOLE_MAX) {
		if ((ok = load_sparse(o, fd, NULL, 0, size, false)))
			goto out;
		m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			goto out;
		o->buf = m;
		o->size = o->buf_map_len = size;
		ok = true;
		goto out;
	}
	/* One spare byte, as bb_read_file() leaves for a NUL. */
	if (!(m = malloc(size + 1)))
		goto out;
	if (!read_at(fd, m, size, 0)) {
		/* Shrunk or failing: bb_read_file() says what happened. */
		free(m);
		goto out;
	}
	((uint8_t *)m)[size] = '\0';
	o->buf = m;
	o->size = size;
	ok = true;
out:
	close(fd);
	return ok;
}

int obj_open_file(const char *path, const struct obj_open_opts *opts, struct obj **out,
		  struct bb_err *e)
{
	const char *name = opts && opts->sz >= offsetof(struct obj_open_opts, name) + sizeof(char *)
			   ? opts->name : NULL;
	struct obj *o;
	int err;

	*out = NULL;
	bb_err_clear(e);
	o = obj_alloc();
	if (!o)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	if (!load_file(o, path)) {
		char *data = NULL;
		long n = bb_read_file(path, &data, e);

		if (n < 0) {
			obj_free(o);
			bb_err_set_file(e, path);
			return (int)n;
		}
		o->buf = (uint8_t *)data;       /* bb_read_file()'s buffer: ours now */
		o->size = (size_t)n;
	}
	o->path = strdup(path);
	o->name = name ? strdup(name) : default_name(path);
	if (!o->path || !o->name) {
		obj_free(o);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	err = open_common(o, e);
	if (err) {
		obj_free(o);
		return err;
	}
	*out = o;
	return 0;
}

void obj_free(struct obj *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->prog_priv.len; i++) {
		struct obj_prog_priv *pp = &obj_prog_privs(o)[i];

		free(pp->insns);
		bb_vec_free(&pp->map_refs);
		bb_vec_free(&pp->ext_refs);
		bb_vec_free(&pp->func_info);
		bb_vec_free(&pp->line_info);
		bb_vec_free(&pp->core_relos);
		free(pp->core_orig);
		free(pp->attach_buf);
	}
	for (size_t i = 0; i < o->map_priv.len; i++)
		obj_map_priv_free(&obj_map_privs(o)[i]);
	for (size_t i = 0; i < o->nsecs; i++) {
		free(o->secs[i].func_at);       /* rel_at is in its block */
	}
	bb_vec_free(&o->funcs);
	bb_vec_free(&o->progs);
	bb_vec_free(&o->prog_priv);
	bb_vec_free(&o->maps);
	bb_vec_free(&o->map_priv);
	bb_vec_free(&o->relocs);
	bb_vec_free(&o->externs);
	bbtf_ext_free(o->btf_ext);
	bbtf_free(o->btf);
	free(o->secs);
	free(o->syms);
	if (o->elf)
		elf_end(o->elf);
	if (o->buf_map_len)
		munmap(o->buf, o->buf_map_len);
	else
		free(o->buf);
	free(o->sec_data);
	free(o->datasecs);
	free(o->name);
	free(o->path);
	free(o);
}

const char *obj_name(const struct obj *o)
{
	return o ? o->name : "";
}

const char *obj_license(const struct obj *o)
{
	return o ? o->license : "";
}

uint32_t obj_kern_version(const struct obj *o)
{
	return o ? o->kern_version : 0;
}

size_t obj_prog_count(const struct obj *o)
{
	return o ? o->progs.len : 0;
}

const struct obj_prog *obj_prog(const struct obj *o, size_t i)
{
	return o && i < o->progs.len ? &obj_progs(o)[i] : NULL;
}

int obj_prog_by_name(const struct obj *o, const char *name)
{
	for (size_t i = 0; o && i < o->progs.len; i++)
		if (!strcmp(obj_progs(o)[i].name, name))
			return (int)i;
	return -ENOENT;
}

size_t obj_map_count(const struct obj *o)
{
	return o ? o->maps.len : 0;
}

const struct obj_map *obj_map(const struct obj *o, size_t i)
{
	return o && i < o->maps.len ? &obj_maps(o)[i] : NULL;
}

int obj_map_by_name(const struct obj *o, const char *name)
{
	for (size_t i = 0; o && i < o->maps.len; i++)
		if (!strcmp(obj_maps(o)[i].name, name) || !strcmp(obj_maps(o)[i].kname, name))
			return (int)i;
	return -ENOENT;
}

size_t obj_reloc_count(const struct obj *o)
{
	return o ? o->relocs.len : 0;
}

const struct obj_reloc *obj_reloc(const struct obj *o, size_t i)
{
	return o && i < o->relocs.len ? bb_vec_at(&o->relocs, struct obj_reloc, i) : NULL;
}

const char *obj_reloc_kind_str(enum obj_reloc_kind k)
{
	static const char *const names[] = {
		[OBJ_RELOC_MAP] = "map",
		[OBJ_RELOC_MAP_VALUE] = "map_value",
		[OBJ_RELOC_CALL] = "call",
		[OBJ_RELOC_FUNC] = "func",
		[OBJ_RELOC_EXTERN_VAR] = "extern_var",
		[OBJ_RELOC_KFUNC] = "kfunc",
	};

	return (unsigned)k < BB_ARRAY_SIZE(names) ? names[k] : "unknown";
}

size_t obj_extern_count(const struct obj *o)
{
	return o ? o->externs.len : 0;
}

const struct obj_extern *obj_extern(const struct obj *o, size_t i)
{
	return o && i < o->externs.len ? &obj_externs(o)[i].pub : NULL;
}

const struct bbtf *obj_btf(const struct obj *o)
{
	return o ? o->btf : NULL;
}

const struct bbtf_ext *obj_btf_ext(const struct obj *o)
{
	return o ? o->btf_ext : NULL;
}

const void *obj_btf_data(const struct obj *o, size_t *size)
{
	*size = o ? o->btf_size : 0;
	return o ? o->btf_data : NULL;
}

const void *obj_btf_ext_data(const struct obj *o, size_t *size)
{
	*size = o ? o->btf_ext_size : 0;
	return o ? o->btf_ext_data : NULL;
}
