/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_uprobe.c - uprobes and kprobes as perf events, and the ELF
 * work uprobes need: a function symbol's address (from .symtab, else
 * .dynsym) turned into the file offset the uprobe PMU wants, through the
 * PT_LOAD segment that maps it.
 *
 * Probe perf events come from the PMU (/sys/bus/event_source/devices/
 * {uprobe,kprobe}/type, the retprobe bit from format/retprobe) and, on
 * kernels without it, from tracefs {u,k}probe_events, whose event the
 * link removes again when destroyed.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "loader/ldr_internal.h"

int ldr_resolve_binary(const char *name, char *out, size_t size)
{
	static const char *const libdirs[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
		"/lib", "/usr/lib", "/usr/local/lib",
	};
	const char *env;
	char cand[4096];

	if (strchr(name, '/')) {
		if (access(name, R_OK))
			return -errno;
		if (!realpath(name, cand))
			return -errno;
		snprintf(out, size, "%s", cand);
		return 0;
	}
	if (strstr(name, ".so")) {
		for (size_t i = 0; i < BB_ARRAY_SIZE(libdirs); i++) {
			snprintf(cand, sizeof(cand), "%s/%s", libdirs[i], name);
			if (!access(cand, R_OK))
				return ldr_resolve_binary(cand, out, size);
		}
		return -ENOENT;
	}
	env = getenv("PATH");
	if (!env)
		env = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	while (*env) {
		size_t n = strcspn(env, ":");

		snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, env, name);
		if (n && !access(cand, X_OK))
			return ldr_resolve_binary(cand, out, size);
		env += n + (env[n] == ':');
	}
	return -ENOENT;
}

struct elf_file {
	int fd;
	Elf *elf;
};

static int elf_open_file(const char *path, struct elf_file *f, struct bb_err *e)
{
	f->elf = NULL;
	elf_version(EV_CURRENT);
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		int err = -errno;

		return bb_err_insn(e, err, -1, "%s: %s", path, strerror(-err));
	}
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF) {
		if (f->elf)
			elf_end(f->elf);
		close(f->fd);
		return bb_err_insn(e, -ENOEXEC, -1, "%s: not an ELF file", path);
	}
	return 0;
}

static void elf_close_file(struct elf_file *f)
{
	elf_end(f->elf);
	close(f->fd);
}

/* Virtual address -> file offset through the executable PT_LOAD holding it. */
static int vaddr_to_off(Elf *elf, uint64_t addr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_memsz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	/* Without program headers (relocatable) the address is the offset. */
	if (n == 0) {
		*off = addr;
		return 0;
	}
	return -ENOENT;
}

/* Walk function symbols of .symtab (pass 0) or .dynsym (pass 1). */
typedef int (*sym_fn)(void *ctx, const char *name, uint64_t addr);

static int walk_funcs(Elf *elf, int pass, sym_fn fn, void *ctx)
{
	Elf_Scn *scn = NULL;
	uint32_t want = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != want || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;
			int t, r;

			if (!gelf_getsym(d, (int)i, &s))
				break;
			t = GELF_ST_TYPE(s.st_info);
			if ((t != STT_FUNC && t != STT_GNU_IFUNC) || s.st_shndx == SHN_UNDEF ||
			    !s.st_value)
				continue;
			name = elf_strptr(elf, sh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			if ((r = fn(ctx, name, s.st_value)))
				return r;
		}
	}
	return 0;
}

struct find_one {
	const char *want;
	uint64_t addr;
};

static int find_one_fn(void *ctx, const char *name, uint64_t addr)
{
	struct find_one *f = ctx;
	size_t n = strlen(f->want);

	/* "malloc" also matches the versioned "malloc@@GLIBC_2.2.5" */
	if (!strncmp(name, f->want, n) && (name[n] == 0 || name[n] == '@')) {
		f->addr = addr;
		return 1;
	}
	return 0;
}

int ldr_elf_sym_offset(const char *path, const char *sym, uint64_t *off, struct bb_err *e)
{
	struct elf_file f;
	struct find_one fo = { .want = sym };
	int err = elf_open_file(path, &f, e);

	if (err)
		return err;
	if (!walk_funcs(f.elf, 0, find_one_fn, &fo))
		walk_funcs(f.elf, 1, find_one_fn, &fo);
	if (!fo.addr)
		err = bb_err_insn(e, -ENOENT, -1, "%s: no function symbol '%s'", path, sym);
	else if (vaddr_to_off(f.elf, fo.addr, off))
		err = bb_err_insn(e, -ENOENT, -1, "%s: '%s' at 0x%llx is in no loadable segment",
				  path, sym, (unsigned long long)fo.addr);
	elf_close_file(&f);
	return err;
}

struct find_glob {
	const char *glob;
	Elf *elf;
	struct bb_vec offs, names;
};

static int find_glob_fn(void *ctx, const char *name, uint64_t addr)
{
	struct find_glob *g = ctx;
	uint64_t off;
	char *dup;

	if (fnmatch(g->glob, name, 0) || vaddr_to_off(g->elf, addr, &off))
		return 0;
	/* the same function in .symtab and .dynsym (and aliases) once */
	for (size_t i = 0; i < g->offs.len; i++)
		if (*bb_vec_at(&g->offs, uint64_t, i) == off)
			return 0;
	dup = strdup(name);
	if (!dup || !bb_vec_push(&g->offs, &off) || !bb_vec_push(&g->names, &dup)) {
		free(dup);
		return -ENOMEM;
	}
	return 0;
}

int ldr_elf_func_offsets(const char *path, const char *glob, uint64_t **offs, char ***names,
			 size_t *n, struct bb_err *e)
{
	struct elf_file f;
	struct find_glob g = { .glob = glob };
	int err = elf_open_file(path, &f, e);

	if (err)
		return err;
	g.elf = f.elf;
	bb_vec_init(&g.offs, sizeof(uint64_t));
	bb_vec_init(&g.names, sizeof(char *));
	err = walk_funcs(f.elf, 0, find_glob_fn, &g);
	if (!err)
		err = walk_funcs(f.elf, 1, find_glob_fn, &g);
	elf_close_file(&f);
	if (err) {
		for (size_t i = 0; i < g.names.len; i++)
			free(*bb_vec_at(&g.names, char *, i));
		bb_vec_free(&g.offs);
		bb_vec_free(&g.names);
		return bb_err_insn(e, err, -1, "%s: out of memory", path);
	}
	*offs = g.offs.data;
	*names = g.names.data;
	*n = g.offs.len;
	return 0;
}

static int pmu_type(const char *pmu, int *type, int *retbit)
{
	char path[256];
	long v;
	int err;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	if ((err = ldr_read_int_file(path, &v)))
		return err;
	*type = (int)v;
	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/format/retprobe", pmu);
	*retbit = ldr_read_int_file(path, &v) ? BB_PERF_PROBE_RETPROBE_BIT : (int)v;
	return 0;
}

/* Legacy: add a probe event through tracefs, open it as a tracepoint. */
static int tracefs_probe_open(bool kprobe, const char *target, uint64_t off, bool retprobe,
			      int pid, char **event_del, struct bb_err *e)
{
	static int seq;
	const char *tfs = ldr_tracefs();
	const char *file = kprobe ? "kprobe_events" : "uprobe_events";
	char path[512], name[64], cmd[4600];
	struct perf_event_attr pa;
	long id;
	int fd, err;

	if (!tfs || (snprintf(path, sizeof(path), "%s/%s", tfs, file), access(path, W_OK)))
		return -EOPNOTSUPP;
	snprintf(name, sizeof(name), "bb_%d_%d", (int)getpid(), seq++);
	if (kprobe)
		snprintf(cmd, sizeof(cmd), "%c:barebpf/%s %s+%llu\n", retprobe ? 'r' : 'p', name,
			 target, (unsigned long long)off);
	else
		snprintf(cmd, sizeof(cmd), "%c:barebpf/%s %s:0x%llx\n", retprobe ? 'r' : 'p', name,
			 target, (unsigned long long)off);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, cmd, strlen(cmd)) < 0) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return bb_err_insn(e, err, -1, "%s: adding '%.*s': %s", path,
				   (int)strlen(cmd) - 1, cmd, strerror(-err));
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "-:barebpf/%s\n", name);
	*event_del = strdup(cmd);
	snprintf(path, sizeof(path), "%s/events/barebpf/%s/id", tfs, name);
	if ((err = ldr_read_int_file(path, &id)))
		return bb_err_insn(e, err, -1, "%s: %s", path, strerror(-err));
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_TRACEPOINT;
	pa.size = sizeof(pa);
	pa.config = (uint64_t)id;
	pa.sample_period = 1;
	pa.wakeup_events = 1;
	fd = ldr_perf_event_open(&pa, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, -1, 0);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "perf_event_open(%s): %s", name, strerror(-fd));
	return fd;
}

int ldr_probe_perf_open(bool kprobe, const char *target, uint64_t off, bool retprobe,
			uint64_t ref_ctr_off, int pid, char **tracefs_event, struct bb_err *e)
{
	struct perf_event_attr pa;
	int type, retbit, fd, err;

	*tracefs_event = NULL;
	err = pmu_type(kprobe ? "kprobe" : "uprobe", &type, &retbit);
	if (err) {
		fd = tracefs_probe_open(kprobe, target, off, retprobe, pid, tracefs_event, e);
		if (fd < 0 && *tracefs_event) {
			ldr_tracefs_event_remove(kprobe, *tracefs_event);
			free(*tracefs_event);
			*tracefs_event = NULL;
		}
		if (fd == -EOPNOTSUPP)
			return bb_err_insn(e, -EOPNOTSUPP, -1, "%s %s: %s not configured in this kernel "
					   "(no %s PMU in /sys/bus/event_source/devices and no "
					   "%s_events in tracefs%s)",
					   kprobe ? "kprobe" : "uprobe", target,
					   kprobe ? "kprobes" : "uprobes", kprobe ? "kprobe" : "uprobe",
					   kprobe ? "kprobe" : "uprobe",
					   kprobe ? "; CONFIG_KPROBES is off" : "");
		return fd;
	}
	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = (uint32_t)type;
	if (retprobe)
		pa.config |= 1ull << retbit;
	if (!kprobe && ref_ctr_off)
		pa.config |= ref_ctr_off << 32;  /* PERF_UPROBE_REF_CTR_OFFSET_SHIFT */
	pa.config1 = (uint64_t)(uintptr_t)target;  /* kprobe_func / uprobe_path */
	pa.config2 = off;                          /* probe_offset */
	pa.sample_period = 1;
	pa.wakeup_events = 1;
	fd = ldr_perf_event_open(&pa, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, -1, 0);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "%s %s+0x%llx: perf_event_open: %s",
				   kprobe ? "kprobe" : "uprobe", target, (unsigned long long)off,
				   strerror(-fd));
	return fd;
}

void ldr_tracefs_event_remove(bool kprobe, const char *event)
{
	char path[512];
	const char *tfs = ldr_tracefs();
	int fd;

	if (!tfs)
		return;
	snprintf(path, sizeof(path), "%s/%s", tfs, kprobe ? "kprobe_events" : "uprobe_events");
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, event, strlen(event)) < 0) {
		/* already gone: nothing left to undo */
	}
	close(fd);
}

void ldr_link_take_tracefs(struct ldr_link *l, bool kprobe, char *event, int err)
{
	if (!event)
		return;
	if (!err && l) {
		/* the link removes the event once its perf event is closed */
		l->tracefs_event = event;
		l->tracefs_kprobe = kprobe;
		return;
	}
	ldr_tracefs_event_remove(kprobe, event);
	free(event);
}

int ldr_attach_uprobe(int prog_fd, const char *path, const char *func, uint64_t offset,
		      const struct ldr_attach_opts *user, struct ldr_link **out,
		      struct bb_err *e)
{
	struct ldr_attach_opts o;
	char real[4096], desc[160], *ev = NULL;
	uint64_t off = offset;
	int err, pfd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	if ((err = ldr_resolve_binary(path, real, sizeof(real))))
		return bb_err_insn(e, err, -1, "uprobe: binary '%s' not found: %s", path, strerror(-err));
	if (func && *func) {
		if ((err = ldr_elf_sym_offset(real, func, &off, e)))
			return err;
		off += offset;
	}
	snprintf(desc, sizeof(desc), "%s %.80s:%.40s+0x%llx", o.retprobe ? "uretprobe" : "uprobe", real,
		 func && *func ? func : "", (unsigned long long)off);
	pfd = ldr_probe_perf_open(false, real, off, o.retprobe, o.ref_ctr_offset, o.pid, &ev, e);
	if (pfd < 0)
		return pfd;
	err = ldr_perf_attach(prog_fd, pfd, &o, desc, out, e);
	ldr_link_take_tracefs(*out, false, ev, err);
	return err;
}

int ldr_attach_uprobe_multi(int prog_fd, const char *path, const char *pattern,
			    const struct ldr_attach_opts *user, struct ldr_link **out,
			    struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	struct ldr_link *l;
	char real[4096];
	uint64_t *offs = NULL;
	char **names = NULL;
	size_t n = 0;
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	if ((err = ldr_resolve_binary(path, real, sizeof(real))))
		return bb_err_insn(e, err, -1, "uprobe.multi: binary '%s' not found: %s", path,
				   strerror(-err));
	if ((err = ldr_elf_func_offsets(real, pattern, &offs, &names, &n, e)))
		return err;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (n == 0) {
		free(offs);
		return bb_err_insn(e, -ENOENT, -1, "uprobe.multi %s: no function matches '%s'", real,
				   pattern);
	}
	memset(&a, 0, sizeof(a));
	a.prog_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_TRACE_UPROBE_MULTI;
	a.uprobe_multi.path = (uint64_t)(uintptr_t)real;
	a.uprobe_multi.offsets = (uint64_t)(uintptr_t)offs;
	a.uprobe_multi.cnt = (uint32_t)n;
	a.uprobe_multi.flags = o.retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0;
	a.uprobe_multi.pid = o.pid > 0 ? (uint32_t)o.pid : 0;
	fd = ldr_link_create(&a);
	free(offs);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "uprobe.multi %s:%s (%zu functions): link refused: %s",
				   real, pattern, n, strerror(-fd));
	l = ldr_link_alloc(LDR_LINK_BPF, "uprobe.multi %s:%s (%zu functions)", real, pattern, n);
	if (!l) {
		close(fd);
		return -ENOMEM;
	}
	l->fd = fd;     /* the link owns the fd */
	*out = l;
	return 0;
}
