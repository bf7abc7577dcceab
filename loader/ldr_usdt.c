/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_usdt.c - USDT probes (<sys/sdt.h> / systemtap style).
 *
 * Each DTRACE_PROBE / STAP_PROBE site leaves a note in .note.stapsdt:
 * owner "stapsdt", type 3, and a descriptor of three addresses (the probe
 * pc, the link-time address of .stapsdt.base, the semaphore or 0) then
 * three strings: provider, name, and the arguments in the assembler's
 * operand syntax, "SIZE@OPERAND" separated by spaces ("-4@%edx 8@-8(%rbp)
 * 4@$3").  SIZE is the width in bytes, negative when signed.
 *
 * Attaching puts a uprobe on every site of the probe (the kernel bumps
 * the semaphore for us through ref_ctr_offset), writes each site's
 * argument spec into the object's spec map and passes the spec's index
 * as the link's bpf cookie; the BPF side (bb_usdt.h) reads the cookie and
 * fetches the arguments from pt_regs as the spec says.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/ldr_internal.h"

_Static_assert(sizeof(struct ldr_usdt_arg) == 16, "BPF side layout of the USDT arg spec");
_Static_assert(sizeof(struct ldr_usdt_spec) == 208, "BPF side layout of the USDT spec");

/* x86-64 register names -> offsetof(struct pt_regs, reg). */
static const struct {
	const char *names[4];   /* 64, 32, 16, 8-bit spellings */
	int16_t off;
} regs[] = {
	{ { "rip", "eip", "ip", NULL }, 128 },
	{ { "rax", "eax", "ax", "al" }, 80 },
	{ { "rbx", "ebx", "bx", "bl" }, 40 },
	{ { "rcx", "ecx", "cx", "cl" }, 88 },
	{ { "rdx", "edx", "dx", "dl" }, 96 },
	{ { "rsi", "esi", "si", "sil" }, 104 },
	{ { "rdi", "edi", "di", "dil" }, 112 },
	{ { "rbp", "ebp", "bp", "bpl" }, 32 },
	{ { "rsp", "esp", "sp", "spl" }, 152 },
	{ { "r8", "r8d", "r8w", "r8b" }, 72 },
	{ { "r9", "r9d", "r9w", "r9b" }, 64 },
	{ { "r10", "r10d", "r10w", "r10b" }, 56 },
	{ { "r11", "r11d", "r11w", "r11b" }, 48 },
	{ { "r12", "r12d", "r12w", "r12b" }, 24 },
	{ { "r13", "r13d", "r13w", "r13b" }, 16 },
	{ { "r14", "r14d", "r14w", "r14b" }, 8 },
	{ { "r15", "r15d", "r15w", "r15b" }, 0 },
};

static int reg_off(const char *name, size_t len)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(regs); i++)
		for (int j = 0; j < 4; j++)
			if (regs[i].names[j] && strlen(regs[i].names[j]) == len &&
			    !strncmp(regs[i].names[j], name, len))
				return regs[i].off;
	return -1;
}

/* "%reg" at *p; advances *p.  The pt_regs offset or -EINVAL. */
static int parse_reg(const char **p)
{
	const char *s = *p;
	size_t n = 0;
	int off;

	if (*s != '%')
		return -EINVAL;
	s++;
	while (isalnum((unsigned char)s[n]))
		n++;
	off = reg_off(s, n);
	if (off < 0)
		return -EINVAL;
	*p = s + n;
	return off;
}

int ldr_usdt_parse_args(const char *args, struct ldr_usdt_spec *spec, struct bb_err *e)
{
	const char *p = args;

	memset(spec, 0, sizeof(*spec));
	while (*p) {
		struct ldr_usdt_arg *a;
		const char *start;
		char *end;
		long size;
		int r;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (spec->arg_cnt >= LDR_USDT_MAX_ARGS)
			return bb_err_insn(e, -E2BIG, -1, "usdt args '%s': more than %d", args,
					   LDR_USDT_MAX_ARGS);
		start = p;
		a = &spec->args[spec->arg_cnt];
		size = strtol(p, &end, 10);
		if (end == p || *end != '@' || size == 0 || labs(size) > 8)
			return bb_err_insn(e, -EINVAL, -1, "usdt args '%s': bad size in '%s'", args, start);
		p = end + 1;
		a->arg_signed = size < 0;
		a->arg_bitshift = (int8_t)(64 - labs(size) * 8);
		if (*p == '$') {
			a->arg_type = LDR_USDT_ARG_CONST;
			a->val_off = (uint64_t)strtoll(p + 1, &end, 0);
			if (end == p + 1)
				goto bad;
			p = end;
		} else if (*p == '%') {
			a->arg_type = LDR_USDT_ARG_REG;
			if ((r = parse_reg(&p)) < 0)
				goto bad;
			a->reg_off = (int16_t)r;
		} else {
			long long off = 0;

			if (*p != '(') {
				off = strtoll(p, &end, 0);
				if (end == p)
					goto bad;
				p = end;
			}
			if (*p != '(')
				goto bad;
			p++;
			a->arg_type = LDR_USDT_ARG_REG_DEREF;
			a->val_off = (uint64_t)off;
			if ((r = parse_reg(&p)) < 0 || *p != ')')
				goto bad;   /* no (base,index,scale) forms */
			a->reg_off = (int16_t)r;
			p++;
		}
		if (*p && *p != ' ')
			goto bad;
		spec->arg_cnt++;
		continue;
bad:
		return bb_err_insn(e, -EINVAL, -1, "usdt args '%s': cannot parse argument '%.*s'",
				   args, (int)strcspn(start, " "), start);
	}
	return 0;
}

static int vaddr_off(Elf *elf, uint64_t addr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

static int parse_notes(Elf *elf, const char *path, struct bb_vec *out, struct bb_err *e)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	uint64_t base_addr = 0;
	bool have_base = false;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return bb_err_insn(e, -ENOEXEC, -1, "%s: no section names", path);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (gelf_getshdr(scn, &sh) && (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, ".stapsdt.base")) {
			base_addr = sh.sh_addr;
			have_base = true;
		}
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		size_t off = 0, noff, doff;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".note.stapsdt") || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			const char *desc = (const char *)d->d_buf + doff, *s, *end;
			struct ldr_usdt_site site;
			uint64_t addrs[3];
			int err;

			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((const char *)d->d_buf + noff, "stapsdt", 8) || nh.n_descsz < 27)
				continue;
			memset(&site, 0, sizeof(site));
			memcpy(addrs, desc, sizeof(addrs));
			end = desc + nh.n_descsz;
			s = desc + 24;
			snprintf(site.provider, sizeof(site.provider), "%.*s", (int)strnlen(s, (size_t)(end - s)), s);
			s += strnlen(s, (size_t)(end - s)) + 1;
			if (s >= end)
				continue;
			snprintf(site.name, sizeof(site.name), "%.*s", (int)strnlen(s, (size_t)(end - s)), s);
			s += strnlen(s, (size_t)(end - s)) + 1;
			if (s < end)
				snprintf(site.args, sizeof(site.args), "%.*s",
					 (int)strnlen(s, (size_t)(end - s)), s);
			site.pc = addrs[0];
			/* prelinked binaries moved: shift by how far .stapsdt.base moved */
			if (have_base && addrs[1])
				site.pc += base_addr - addrs[1];
			site.sema_addr = addrs[2];
			if (vaddr_off(elf, site.pc, &site.file_off))
				return bb_err_insn(e, -ENOEXEC, -1, "%s: usdt %s:%s pc 0x%llx in no segment",
						   path, site.provider, site.name,
						   (unsigned long long)site.pc);
			if (site.sema_addr && vaddr_off(elf, site.sema_addr, &site.sema_off))
				return bb_err_insn(e, -ENOEXEC, -1, "%s: usdt %s:%s semaphore 0x%llx in "
						   "no segment", path, site.provider, site.name,
						   (unsigned long long)site.sema_addr);
			err = ldr_usdt_parse_args(site.args, &site.spec, e);
			if (err)
				return err;
			if (!bb_vec_push(out, &site))
				return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		}
	}
	return 0;
}

int ldr_usdt_sites(const char *path, struct ldr_usdt_site **sites, size_t *n, struct bb_err *e)
{
	struct bb_vec v;
	Elf *elf;
	int fd, err;

	*sites = NULL;
	*n = 0;
	bb_vec_init(&v, sizeof(struct ldr_usdt_site));
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return bb_err_insn(e, err, -1, "%s: %s", path, strerror(-err));
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(fd);
		return bb_err_insn(e, -ENOEXEC, -1, "%s: not an ELF file", path);
	}
	err = parse_notes(elf, path, &v, e);
	elf_end(elf);
	close(fd);
	if (err) {
		bb_vec_free(&v);
		return err;
	}
	*sites = v.data;
	*n = v.len;
	return 0;
}

/* Spec ids are handed out per process; the map is the caller's, so the
 * id space is shared by every object that attaches USDT probes. */
static uint32_t next_spec_id;

int ldr_attach_usdt(int prog_fd, const char *path, const char *provider, const char *name,
		    int spec_map_fd, int ip_map_fd, const struct ldr_attach_opts *user,
		    struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct ldr_usdt_site *sites = NULL;
	struct bpf_map_info info;
	struct ldr_link *multi = NULL;
	char real[4096];
	size_t n = 0, hit = 0;
	int err;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	if ((err = ldr_resolve_binary(path, real, sizeof(real))))
		return bb_err_insn(e, err, -1, "usdt: binary '%s' not found: %s", path, strerror(-err));
	if ((err = ldr_map_info(spec_map_fd, &info)) || info.value_size != sizeof(struct ldr_usdt_spec))
		return bb_err_insn(e, err ? err : -EINVAL, -1, "usdt %s:%s: the spec map is not an "
				   "array of struct ldr_usdt_spec (%zu-byte values)", provider, name,
				   sizeof(struct ldr_usdt_spec));
	if ((err = ldr_usdt_sites(real, &sites, &n, e)))
		return err;
	multi = ldr_link_alloc(LDR_LINK_MULTI, "usdt %.100s:%.40s:%.40s", real, provider, name);
	if (!multi) {
		free(sites);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct ldr_usdt_site *s = &sites[i];
		struct ldr_attach_opts so = o;
		struct ldr_link *sub;
		uint32_t id = next_spec_id++ % info.max_entries;
		uint64_t ip = s->pc;
		int pfd;
		char desc[160], *ev = NULL;

		if (strcmp(s->provider, provider) || strcmp(s->name, name))
			continue;
		hit++;
		s->spec.usdt_cookie = o.cookie;
		err = ldr_map_update(spec_map_fd, &id, &s->spec, 0);
		if (!err && ip_map_fd >= 0)
			err = ldr_map_update(ip_map_fd, &ip, &id, 0);
		if (err) {
			err = bb_err_insn(e, err, -1, "usdt %s:%s: storing the spec: %s", provider, name,
					  strerror(-err));
			goto fail;
		}
		so.cookie = id;
		snprintf(desc, sizeof(desc), "usdt %s:%s site 0x%llx", provider, name,
			 (unsigned long long)s->pc);
		pfd = ldr_probe_perf_open(false, real, s->file_off, false, s->sema_off, o.pid, &ev, e);
		if (pfd < 0) {
			err = pfd;
			goto fail;
		}
		err = ldr_perf_attach(prog_fd, pfd, &so, desc, &sub, e);
		ldr_link_take_tracefs(sub, false, ev, err);
		if (err || (err = ldr_link_add_sub(multi, sub)))
			goto fail;
	}
	free(sites);
	if (!hit) {
		ldr_link_destroy(multi);
		return bb_err_insn(e, -ENOENT, -1, "usdt: %s has no probe %s:%s", real, provider, name);
	}
	*out = multi;
	return 0;
fail:
	free(sites);
	ldr_link_destroy(multi);
	return err;
}
