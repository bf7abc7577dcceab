/* SPDX-License-Identifier: MIT */
/*
 * tools/lib/tl_sym.c - addresses to names.  Kernel addresses through
 * /proc/kallsyms (sorted once, binary search); user addresses through the
 * process's /proc/PID/maps (address -> file + file offset) and that
 * file's ELF function symbols (file offset -> virtual address through the
 * PT_LOAD holding it -> the symbol whose [value, value+size) covers it).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

struct sym {
	uint64_t addr, size;
	char *name;
};

struct elf_syms {
	char *path;
	struct sym *s;
	size_t n;
	GElf_Phdr *ph;
	size_t nph;
};

struct map_ent {
	uint64_t start, end, pgoff;
	struct elf_syms *es;    /* NULL for anonymous mappings */
};

struct tl_syms {
	bool kernel;
	struct sym *s;          /* kernel */
	size_t n;
	struct map_ent *m;      /* process */
	size_t nm;
	struct elf_syms **files;
	size_t nfiles;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool push_sym(struct sym **s, size_t *n, size_t *cap, uint64_t addr, uint64_t size,
		     const char *name)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct sym *ns = realloc(*s, nc * sizeof(*ns));

		if (!ns)
			return false;
		*s = ns;
		*cap = nc;
	}
	(*s)[*n].addr = addr;
	(*s)[*n].size = size;
	(*s)[*n].name = strdup(name);
	if (!(*s)[*n].name)
		return false;
	(*n)++;
	return true;
}

struct tl_syms *tl_syms_kernel(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct tl_syms *ks;
	char line[512], name[256], type;
	unsigned long long addr;
	size_t cap = 0;

	if (!f)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		fclose(f);
		return NULL;
	}
	ks->kernel = true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (!push_sym(&ks->s, &ks->n, &cap, addr, 0, name))
			break;
	}
	fclose(f);
	if (!ks->n) {   /* kptr_restrict hides the addresses */
		tl_syms_free(ks);
		return NULL;
	}
	qsort(ks->s, ks->n, sizeof(*ks->s), cmp_sym);
	return ks;
}

static struct elf_syms *elf_syms_load(const char *path)
{
	struct elf_syms *es = calloc(1, sizeof(*es));
	size_t cap = 0, nph = 0;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd;

	if (!es)
		return NULL;
	es->path = strdup(path);
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return es;      /* no symbols, but remembered */
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	if (!elf_getphdrnum(elf, &nph) && nph) {
		es->ph = calloc(nph, sizeof(*es->ph));
		for (size_t i = 0; es->ph && i < nph; i++)
			if (gelf_getphdr(elf, (int)i, &es->ph[es->nph]) &&
			    es->ph[es->nph].p_type == PT_LOAD)
				es->nph++;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(d, (int)i, &s))
				break;
			if (GELF_ST_TYPE(s.st_info) != STT_FUNC || !s.st_value)
				continue;
			name = elf_strptr(elf, sh.sh_link, s.st_name);
			if (name && *name && !push_sym(&es->s, &es->n, &cap, s.st_value, s.st_size, name))
				break;
		}
	}
	qsort(es->s, es->n, sizeof(*es->s), cmp_sym);
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return es;
}

static struct elf_syms *file_syms(struct tl_syms *ps, const char *path)
{
	struct elf_syms **nf;

	for (size_t i = 0; i < ps->nfiles; i++)
		if (!strcmp(ps->files[i]->path, path))
			return ps->files[i];
	nf = realloc(ps->files, (ps->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	ps->files = nf;
	nf[ps->nfiles] = elf_syms_load(path);
	return nf[ps->nfiles] ? nf[ps->nfiles++] : NULL;
}

struct tl_syms *tl_syms_process(int pid)
{
	char path[64], line[4600];
	struct tl_syms *ps;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	ps = calloc(1, sizeof(*ps));
	while (ps && fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perm[8], file[4096] = "";
		struct map_ent *nm;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095[^\n]", &s, &e, perm, &off, file) < 4)
			continue;
		if (perm[2] != 'x' || file[0] != '/')
			continue;
		nm = realloc(ps->m, (ps->nm + 1) * sizeof(*nm));
		if (!nm)
			break;
		ps->m = nm;
		nm[ps->nm].start = s;
		nm[ps->nm].end = e;
		nm[ps->nm].pgoff = off;
		nm[ps->nm].es = file_syms(ps, file);
		ps->nm++;
	}
	fclose(f);
	return ps;
}

static const struct sym *find(const struct sym *s, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &s[lo - 1] : NULL;
}

const char *tl_syms_resolve(struct tl_syms *ts, uint64_t addr, char *buf, size_t size)
{
	const struct sym *s;

	if (!ts)
		return NULL;
	if (ts->kernel) {
		s = find(ts->s, ts->n, addr);
		if (!s)
			return NULL;
		snprintf(buf, size, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
		return buf;
	}
	for (size_t i = 0; i < ts->nm; i++) {
		const struct map_ent *m = &ts->m[i];
		uint64_t foff, vaddr = 0;
		bool mapped = false;
		const char *base;

		if (addr < m->start || addr >= m->end || !m->es)
			continue;
		foff = addr - m->start + m->pgoff;
		for (size_t j = 0; j < m->es->nph; j++) {
			const GElf_Phdr *ph = &m->es->ph[j];

			if (foff >= ph->p_offset && foff < ph->p_offset + ph->p_filesz) {
				vaddr = foff - ph->p_offset + ph->p_vaddr;
				mapped = true;
				break;
			}
		}
		base = strrchr(m->es->path, '/') ? strrchr(m->es->path, '/') + 1 : m->es->path;
		s = mapped ? find(m->es->s, m->es->n, vaddr) : NULL;
		if (s && (!s->size || vaddr < s->addr + s->size))
			snprintf(buf, size, "%s+0x%llx (%s)", s->name,
				 (unsigned long long)(vaddr - s->addr), base);
		else
			snprintf(buf, size, "0x%llx (%s)", (unsigned long long)foff, base);
		return buf;
	}
	return NULL;
}

static void free_syms(struct sym *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].name);
	free(s);
}

void tl_syms_free(struct tl_syms *ts)
{
	if (!ts)
		return;
	free_syms(ts->s, ts->n);
	for (size_t i = 0; i < ts->nfiles; i++) {
		free_syms(ts->files[i]->s, ts->files[i]->n);
		free(ts->files[i]->ph);
		free(ts->files[i]->path);
		free(ts->files[i]);
	}
	free(ts->files);
	free(ts->m);
	free(ts);
}
