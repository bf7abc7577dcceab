/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_obj.c - load a parsed ELF object (elf/obj.h) into the running
 * kernel: BTF, maps, programs, slots.  The order is libbpf's
 * (bpf_object__load): externs and CO-RE first, since they change the code;
 * then the object's BTF, because maps and programs point into it; then the
 * maps, because the code names them by fd; then the programs; and last the
 * prog-array and map-in-map slots, which need both.
 *
 * Ownership: everything the kernel hands back lands in the struct ldr_obj
 * at once (lo->btf_fd, lo->maps[i].fd, lo->progs[i].fd), so one
 * ldr_obj_free() on any path closes all of it.  The only fds held
 * elsewhere are short-lived: an inner-map template (closed right after its
 * outer map exists) and a pinned map being checked for reuse (closed when
 * it does not fit, moved into lo->maps[i].fd when it does).
 */
#include "loader/ldr_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "btf/btf.h"
#include "elf/obj.h"

/* obj_prog's records are handed to the kernel as they are. */
_Static_assert(sizeof(struct obj_func_info) == sizeof(struct bpf_func_info),
	       "obj_func_info must be the kernel's struct bpf_func_info");
_Static_assert(sizeof(struct obj_line_info) == sizeof(struct bpf_line_info),
	       "obj_line_info must be the kernel's struct bpf_line_info");

#define LDR_PIN_ROOT "/sys/fs/bpf"

struct ldr_obj {
	char *name;
	int btf_fd;                     /* -1 when loaded without BTF */
	struct ldr_obj_prog *progs;
	size_t prog_cnt;
	struct ldr_obj_map *maps;
	size_t map_cnt;
	struct bb_vec notes;            /* char *, malloc'ed */
};

/* One ldr_obj_load() call. */
struct ldr_load {
	struct obj *o;
	struct ldr_obj_opts opts;
	struct ldr_obj *lo;
	struct bbtf *vm_own;            /* vmlinux BTF read here, freed at the end */
	const struct bbtf *vm;
	int *map_fds;                   /* lo->maps[i].fd, as obj_prog_insns() wants */
};

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

void ldr_obj_free(struct ldr_obj *lo)
{
	if (!lo)
		return;
	for (size_t i = 0; i < lo->prog_cnt; i++) {
		struct ldr_obj_prog *p = &lo->progs[i];

		ldr_obj_close(p->fd);
		ldr_log_free(&p->log);
		free((char *)p->name);
		free((char *)p->section);
	}
	for (size_t i = 0; i < lo->map_cnt; i++) {
		struct ldr_obj_map *m = &lo->maps[i];

		ldr_obj_close(m->fd);
		free((char *)m->name);
		free((char *)m->kname);
		free((char *)m->pin_path);
	}
	ldr_obj_close(lo->btf_fd);
	for (size_t i = 0; i < lo->notes.len; i++)
		free(*bb_vec_at(&lo->notes, char *, i));
	bb_vec_free(&lo->notes);
	free(lo->progs);
	free(lo->maps);
	free(lo->name);
	free(lo);
}

const char *ldr_obj_name(const struct ldr_obj *lo)
{
	return lo ? lo->name : NULL;
}

int ldr_obj_btf_fd(const struct ldr_obj *lo)
{
	return lo ? lo->btf_fd : -1;
}

size_t ldr_obj_prog_count(const struct ldr_obj *lo)
{
	return lo ? lo->prog_cnt : 0;
}

const struct ldr_obj_prog *ldr_obj_prog(const struct ldr_obj *lo, size_t i)
{
	return lo && i < lo->prog_cnt ? &lo->progs[i] : NULL;
}

size_t ldr_obj_map_count(const struct ldr_obj *lo)
{
	return lo ? lo->map_cnt : 0;
}

const struct ldr_obj_map *ldr_obj_map(const struct ldr_obj *lo, size_t i)
{
	return lo && i < lo->map_cnt ? &lo->maps[i] : NULL;
}

int ldr_obj_prog_by_name(const struct ldr_obj *lo, const char *name)
{
	for (size_t i = 0; lo && name && i < lo->prog_cnt; i++)
		if (!strcmp(lo->progs[i].name, name))
			return (int)i;
	return -ENOENT;
}

int ldr_obj_map_by_name(const struct ldr_obj *lo, const char *name)
{
	for (size_t i = 0; lo && name && i < lo->map_cnt; i++)
		if (!strcmp(lo->maps[i].name, name) || !strcmp(lo->maps[i].kname, name))
			return (int)i;
	return -ENOENT;
}

size_t ldr_obj_note_count(const struct ldr_obj *lo)
{
	return lo ? lo->notes.len : 0;
}

const char *ldr_obj_note(const struct ldr_obj *lo, size_t i)
{
	return lo && i < lo->notes.len ? *bb_vec_at(&lo->notes, char *, i) : NULL;
}

__attribute__((format(printf, 2, 3)))
static int ldr_note(struct ldr_obj *lo, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (!bb_vec_push(&lo->notes, &s)) {
		free(s);
		return -ENOMEM;
	}
	return 0;
}

/* Errors name the object and the section (other modules' calls may have
 * set e->file to what they read). */
static void ldr_where(struct bb_err *e, const struct ldr_obj *lo, const char *section)
{
	bb_err_set_file(e, lo->name);
	bb_err_set_section(e, section);
}

/* A new ldr_obj with one result per map and program, nothing open. */
static int ldr_obj_new(const struct obj *o, struct ldr_obj **out)
{
	size_t np = obj_prog_count(o), nm = obj_map_count(o);
	struct ldr_obj *lo = calloc(1, sizeof(*lo));

	*out = NULL;
	if (!lo)
		return -ENOMEM;
	lo->btf_fd = -1;
	bb_vec_init(&lo->notes, sizeof(char *));
	lo->name = strdup(obj_name(o));
	lo->progs = calloc(np ? np : 1, sizeof(*lo->progs));
	lo->maps = calloc(nm ? nm : 1, sizeof(*lo->maps));
	if (!lo->name || !lo->progs || !lo->maps) {
		ldr_obj_free(lo);
		return -ENOMEM;
	}
	/* Counts first, so ldr_obj_free() sees every slot; each slot's fd is
	 * -1 before its strings, which may fail. */
	lo->prog_cnt = np;
	lo->map_cnt = nm;
	for (size_t i = 0; i < np; i++)
		lo->progs[i].fd = -1;
	for (size_t i = 0; i < nm; i++)
		lo->maps[i].fd = -1;
	for (size_t i = 0; i < np; i++) {
		const struct obj_prog *p = obj_prog(o, i);
		struct ldr_obj_prog *r = &lo->progs[i];

		r->name = strdup(p->name);
		r->section = strdup(p->section);
		r->prog_type = p->prog_type;
		r->expected_attach_type = p->expected_attach_type;
		if (!r->name || !r->section) {
			ldr_obj_free(lo);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < nm; i++) {
		const struct obj_map *m = obj_map(o, i);
		struct ldr_obj_map *r = &lo->maps[i];

		r->name = strdup(m->name);
		r->kname = strdup(m->kname);
		r->type = m->type;
		r->key_size = m->key_size;
		r->value_size = m->value_size;
		r->max_entries = m->max_entries;
		r->map_flags = m->map_flags;
		if (!r->name || !r->kname) {
			ldr_obj_free(lo);
			return -ENOMEM;
		}
	}
	*out = lo;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Kernel facts                                                        */
/* ------------------------------------------------------------------ */

/* The vmlinux BTF, read on first use. */
static int ldr_vmlinux(struct ldr_load *l, const struct bbtf **out, struct bb_err *e)
{
	int err;

	if (!l->vm && l->opts.vmlinux_btf)
		l->vm = l->opts.vmlinux_btf;
	if (!l->vm) {
		err = bbtf_load_vmlinux(l->opts.vmlinux_btf_path, &l->vm_own, e);
		if (err < 0)
			return err;
		l->vm = l->vm_own;
	}
	*out = l->vm;
	return 0;
}

/* Highest possible CPU + 1 ("0-7,9" -> 10), what a perf event array is
 * indexed by; -errno if the kernel does not say. */
static int ldr_possible_cpus(void)
{
	char buf[4096], *p, *end;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	long hi = -1, v;
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; *p && *p != '\n';) {
		v = strtol(p, &end, 10);
		if (end == p || v < 0 || v >= INT_MAX)
			return -EINVAL;
		if (v > hi)
			hi = v;
		p = end;
		if (*p == '-' || *p == ',')
			p++;
	}
	return hi < 0 ? -EINVAL : (int)hi + 1;
}

/* LINUX_VERSION_CODE of the running kernel (the patch level capped at
 * 255 as the kernel does), for kern_version. */
static uint32_t ldr_kernel_version(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) | (b << 8) | (c > 255 ? 255 : c);
}

/* ------------------------------------------------------------------ */
/* BTF                                                                 */
/* ------------------------------------------------------------------ */

/*
 * Load the object's BTF into lo->btf_fd, sanitized for what this kernel
 * lacks.  A refusal is not an error: maps and programs then load without
 * BTF, as libbpf does, and a note says so.  Only -ENOMEM is returned.
 */
static int ldr_load_btf(struct ldr_load *l)
{
	const struct bbtf *btf = obj_btf(l->o);
	unsigned feats;
	const void *raw;
	void *blob = NULL;
	size_t size;
	struct bb_err be;
	int fd;

	if (!btf || l->opts.no_btf)
		return 0;
	bb_err_clear(&be);
	feats = l->opts.btf_features ? l->opts.btf_features : ldr_probe_btf_features();
	if (!feats)
		return ldr_note(l->lo, "BTF not loaded: this kernel loads no BTF; "
				"maps and programs load without it");
	if ((feats & BBTF_FEAT_ALL) != BBTF_FEAT_ALL) {
		int err = bbtf_sanitize(btf, feats, &blob, &size, &be);

		if (err == -ENOMEM)
			return err;
		if (err < 0)
			return ldr_note(l->lo, "BTF not loaded: sanitizing for this kernel failed: %s; "
					"maps and programs load without it", be.msg);
		raw = blob;
	} else {
		raw = bbtf_raw_data(btf, &size);
		if (!raw)
			return -ENOMEM;
	}
	LDR_OPTS(ldr_btf_load_opts, bo, .name = l->lo->name);
	fd = ldr_btf_load(raw, size, &bo, &be);
	free(blob);
	if (fd < 0)
		return ldr_note(l->lo, "BTF not loaded (%s); maps and programs load without it",
				be.msg);
	l->lo->btf_fd = fd;     /* the ldr_obj owns it from here */
	return 0;
}

/* ------------------------------------------------------------------ */
/* Maps                                                                */
/* ------------------------------------------------------------------ */

/* Map types whose key/value the kernel does not describe with BTF (it
 * refuses the ids); libbpf's list. */
static bool ldr_map_takes_btf(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_ARENA:
		return false;
	default:
		return true;
	}
}

/*
 * The create options for @m (which ldr_obj_map result @r records): the
 * spec, plus what the kernel needs the loader to decide (CPU count for a
 * perf event array without max_entries, ring buffer size rounded up to a
 * power-of-two number of pages).
 */
static int ldr_map_opts(struct ldr_load *l, const struct obj_map *m,
			struct ldr_map_create_opts *c, struct bb_err *e)
{
	memset(c, 0, sizeof(*c));
	c->sz = sizeof(*c);
	c->map_type = m->type;
	c->key_size = m->key_size;
	c->value_size = m->value_size;
	c->max_entries = m->max_entries;
	c->map_flags = m->map_flags;
	c->map_name = m->kname;
	c->numa_node = m->numa_node;
	c->map_extra = m->map_extra;
	if (m->type == BPF_MAP_TYPE_STRUCT_OPS)
		return bb_err_insn(e, -EOPNOTSUPP, -1,
				   "map '%s': struct_ops maps are not supported by this loader",
				   m->name);
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !c->max_entries) {
		int n = ldr_possible_cpus();

		if (n < 0)
			return bb_err_insn(e, n, -1, "map '%s': cannot count CPUs for a perf event "
					   "array: %s", m->name, strerror(-n));
		c->max_entries = (uint32_t)n;
	}
	if (m->type == BPF_MAP_TYPE_RINGBUF || m->type == BPF_MAP_TYPE_USER_RINGBUF) {
		long pg = sysconf(_SC_PAGESIZE);
		uint64_t want = c->max_entries, sz = pg > 0 ? (uint64_t)pg : 4096;

		while (sz < want)
			sz <<= 1;
		if (sz > UINT32_MAX)
			return bb_err_insn(e, -E2BIG, -1, "map '%s': ring buffer of %u bytes too big",
					   m->name, m->max_entries);
		c->max_entries = (uint32_t)sz;
	}
	if (l->lo->btf_fd >= 0 && ldr_map_takes_btf(m->type) &&
	    (m->btf_key_type_id || m->btf_value_type_id)) {
		c->btf_fd = l->lo->btf_fd;
		c->btf_key_type_id = m->btf_key_type_id;
		c->btf_value_type_id = m->btf_value_type_id;
	}
	return 0;
}

/*
 * Create map @m (an inner template too): the inner template first, then
 * the map with BTF type ids, and again without them if the kernel refuses
 * those.  Returns the new fd (the caller's) or -errno.
 */
static int ldr_map_create_one(struct ldr_load *l, const struct obj_map *m, bool *btf_types,
			      uint32_t *max_entries, struct bb_err *e)
{
	struct ldr_map_create_opts c;
	struct bb_err first;
	int inner = -1, fd, err;

	err = ldr_map_opts(l, m, &c, e);
	if (err < 0)
		return err;
	if (m->inner) {
		bool ib;
		uint32_t im;

		inner = ldr_map_create_one(l, m->inner, &ib, &im, e);
		if (inner < 0)
			return inner;
		c.inner_map_fd = inner;
	} else if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
		return bb_err_insn(e, -EINVAL, -1, "map '%s': map-in-map without an inner map "
				   "definition", m->name);
	}
	bb_err_clear(&first);
	fd = ldr_map_create(&c, &first);
	if (fd < 0 && c.btf_fd > 0) {
		/* Like libbpf: some map types or kernels take the map but not
		 * its BTF description. */
		c.btf_fd = 0;
		c.btf_key_type_id = c.btf_value_type_id = 0;
		fd = ldr_map_create(&c, e);
		if (fd >= 0 && ldr_note(l->lo, "map '%s': created without BTF type ids (%s)",
					m->name, first.msg) < 0) {
			ldr_obj_close(fd);
			fd = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		}
	} else if (fd < 0) {
		bb_err_insn(e, fd, -1, "%s", first.msg);
	}
	/* The outer map holds its own reference to the template's
	 * description; the template itself is no longer needed. */
	ldr_obj_close(inner);
	if (fd >= 0) {
		*btf_types = c.btf_fd > 0;
		*max_entries = c.max_entries;
	}
	return fd;
}

/*
 * A map pinned by name: reuse what is pinned at @path when it has the
 * same shape.  Returns the fd (the caller's), 0 when nothing is pinned
 * there, or -errno (-EEXIST: something else is).
 */
static int ldr_map_reuse(const struct obj_map *m, const char *path,
			 uint32_t max_entries, struct bb_err *e)
{
	struct bpf_map_info info;
	int fd, err;

	fd = ldr_obj_get(path, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "map '%s': cannot open pinned '%s': %s", m->name,
				   path, strerror(-fd));
	err = ldr_map_info(fd, &info);
	if (err < 0) {
		ldr_obj_close(fd);
		return bb_err_insn(e, err, -1, "map '%s': '%s' is pinned but not a map: %s",
				   m->name, path, strerror(-err));
	}
#define LDR_PIN_DIFF(field, want) \
	if (info.field != (want)) { \
		ldr_obj_close(fd); \
		return bb_err_insn(e, -EEXIST, -1, "map '%s': the map pinned at '%s' is " \
				   "incompatible: " #field " %llu, this object wants %llu", \
				   m->name, path, (unsigned long long)info.field, \
				   (unsigned long long)(want)); \
	}
	LDR_PIN_DIFF(type, m->type)
	LDR_PIN_DIFF(key_size, m->key_size)
	LDR_PIN_DIFF(value_size, m->value_size)
	LDR_PIN_DIFF(max_entries, max_entries)
	LDR_PIN_DIFF(map_flags, m->map_flags)
	LDR_PIN_DIFF(map_extra, m->map_extra)
#undef LDR_PIN_DIFF
	return fd;
}

/* Give a global-data map its initial bytes and freeze a read-only one. */
static int ldr_map_init(const struct obj_map *m, int fd, struct bb_err *e)
{
	uint32_t key = 0;
	int err;

	if (m->init) {
		err = ldr_map_update(fd, &key, m->init, BPF_ANY);
		if (err < 0)
			return bb_err_insn(e, err, -1, "map '%s': cannot set the initial value: %s",
					   m->name, strerror(-err));
	}
	if (m->freeze) {
		err = ldr_map_freeze(fd);
		if (err < 0)
			return bb_err_insn(e, err, -1, "map '%s': cannot freeze: %s", m->name,
					   strerror(-err));
	}
	return 0;
}

/* Map @i: reused from its pin, or created, initialised and pinned. */
static int ldr_load_map(struct ldr_load *l, size_t i, struct bb_err *e)
{
	const struct obj_map *m = obj_map(l->o, i);
	struct ldr_obj_map *r = &l->lo->maps[i];
	struct ldr_map_create_opts c;
	char path[PATH_MAX];
	int fd, err;

	ldr_where(e, l->lo, m->section);
	if (m->pinning == OBJ_PIN_BY_NAME) {
		const char *root = l->opts.pin_root ? l->opts.pin_root : LDR_PIN_ROOT;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, m->name) >= sizeof(path))
			return bb_err_insn(e, -ENAMETOOLONG, -1, "map '%s': pin path too long",
					   m->name);
		r->pin_path = strdup(path);
		if (!r->pin_path)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		/* The shape the map would be created with. */
		err = ldr_map_opts(l, m, &c, e);
		if (err < 0)
			return err;
		fd = ldr_map_reuse(m, path, c.max_entries, e);
		if (fd < 0)
			return fd;
		if (fd > 0) {
			r->fd = fd;     /* the ldr_obj owns it from here */
			r->reused = true;
			r->max_entries = c.max_entries;
			return ldr_note(l->lo, "map '%s': reused the map pinned at '%s'", m->name,
					path) < 0 ? bb_err_insn(e, -ENOMEM, -1, "out of memory") : 0;
		}
	}
	fd = ldr_map_create_one(l, m, &r->btf_types, &r->max_entries, e);
	if (fd < 0)
		return fd;
	r->fd = fd;             /* the ldr_obj owns it from here */
	err = ldr_map_init(m, fd, e);
	if (err < 0)
		return err;
	if (r->pin_path) {
		err = ldr_obj_pin(fd, r->pin_path);
		if (err < 0)
			return bb_err_insn(e, err, -1, "map '%s': cannot pin at '%s': %s", m->name,
					   r->pin_path, strerror(-err));
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Programs                                                            */
/* ------------------------------------------------------------------ */

/* The vmlinux BTF id a tracing/LSM/iterator program attaches to. */
static int ldr_attach_btf_id(struct ldr_load *l, const struct obj_prog *p, uint32_t *out,
			     struct bb_err *e)
{
	const struct bbtf *vm;
	const char *prefix;
	char name[256];
	int kind, id, err;

	if (p->prog_type == BPF_PROG_TYPE_EXT)
		return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': freplace programs need a "
				   "target program, which this loader does not take", p->name);
	switch (p->expected_attach_type) {
	case BPF_TRACE_RAW_TP:
		prefix = "btf_trace_";
		kind = BTF_KIND_TYPEDEF;
		break;
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
		prefix = "";
		kind = BTF_KIND_FUNC;
		break;
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		prefix = "bpf_lsm_";
		kind = BTF_KIND_FUNC;
		break;
	case BPF_TRACE_ITER:
		prefix = "bpf_iter_";
		kind = BTF_KIND_FUNC;
		break;
	default:
		return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': section '%s' needs an attach "
				   "target of a kind this loader does not know", p->name,
				   p->section);
	}
	if (!p->attach.target || !p->attach.target[0])
		return bb_err_insn(e, -EINVAL, -1, "prog '%s': section '%s' names no attach target",
				   p->name, p->section);
	if ((size_t)snprintf(name, sizeof(name), "%s%s", prefix, p->attach.target) >= sizeof(name))
		return bb_err_insn(e, -ENAMETOOLONG, -1, "prog '%s': attach target too long",
				   p->name);
	err = ldr_vmlinux(l, &vm, e);
	if (err < 0)
		return err;
	id = bbtf_find_by_name_kind(vm, name, kind);
	if (id < 0)
		return bb_err_insn(e, -ESRCH, -1, "prog '%s': attach target %s '%s' not found in "
				   "the kernel's BTF", p->name, bbtf_kind_str(kind), name);
	*out = (uint32_t)id;
	return 0;
}

/* Load program @i into lo->progs[i]; its error also goes to @e. */
static int ldr_load_prog(struct ldr_load *l, size_t i, struct bb_err *e)
{
	const struct obj_prog *p = obj_prog(l->o, i);
	struct ldr_obj_prog *r = &l->lo->progs[i];
	struct isa_raw *code = NULL;
	bool btf = l->lo->btf_fd >= 0;
	long n;
	int fd = 0;

	ldr_where(e, l->lo, p->section);
	if (!p->prog_type) {
		fd = bb_err_insn(e, -EINVAL, -1, "prog '%s': section '%s' is not a program type "
				 "this loader knows", p->name, p->section);
		goto out;
	}
	if (p->def && (p->def->flags & OBJ_SEC_ATTACH_BTF)) {
		fd = ldr_attach_btf_id(l, p, &r->attach_btf_id, e);
		if (fd < 0)
			goto out;
	}
	n = obj_prog_insns(l->o, i, l->map_fds, l->lo->map_cnt, &code, e);
	if (n < 0) {
		fd = (int)n;
		goto out;
	}
	r->insn_cnt = (size_t)n;
	LDR_OPTS(ldr_prog_load_opts, po,
		 .prog_type = p->prog_type,
		 .expected_attach_type = p->expected_attach_type,
		 .insns = code,
		 .insn_cnt = (size_t)n,
		 .license = obj_license(l->o),
		 .kern_version = obj_kern_version(l->o) ? obj_kern_version(l->o)
							 : ldr_kernel_version(),
		 .prog_flags = p->prog_flags,
		 .prog_name = p->name,
		 .attach_btf_id = r->attach_btf_id,
		 .log_level = l->opts.log_level,
		 .log = &r->log,
		 .prog_btf_fd = btf ? l->lo->btf_fd : 0,
		 .func_info = btf ? p->func_info : NULL,
		 .func_info_cnt = btf ? p->func_info_cnt : 0,
		 .func_info_rec_size = sizeof(struct bpf_func_info),
		 .line_info = btf ? p->line_info : NULL,
		 .line_info_cnt = btf ? p->line_info_cnt : 0,
		 .line_info_rec_size = sizeof(struct bpf_line_info));
	fd = ldr_prog_load(&po, e);
	free(code);
	if (fd >= 0)
		r->fd = fd;     /* the ldr_obj owns it from here */
out:
	if (fd < 0) {
		r->err = fd;
		r->error = *e;
	}
	return fd < 0 ? fd : 0;
}

/* ------------------------------------------------------------------ */
/* Slots                                                               */
/* ------------------------------------------------------------------ */

/* Fill the ELF-initialised slots of prog arrays and maps of maps. */
static int ldr_fill_slots(struct ldr_load *l, struct bb_err *e)
{
	struct ldr_obj *lo = l->lo;

	for (size_t i = 0; i < lo->map_cnt; i++) {
		const struct obj_map *m = obj_map(l->o, i);
		bool progs = m->type == BPF_MAP_TYPE_PROG_ARRAY;

		if (!m->slot_cnt || (!progs && lo->maps[i].reused))
			continue;
		ldr_where(e, lo, m->section);
		if (m->key_size != sizeof(uint32_t))
			return bb_err_insn(e, -EINVAL, -1, "map '%s': initialised slots need a "
					   "4-byte key, not %u", m->name, m->key_size);
		for (size_t k = 0; k < m->slot_cnt; k++) {
			const struct obj_map_slot *s = &m->slots[k];
			uint32_t key = s->index, val;
			const char *what;
			int fd, err;

			if (s->prog >= 0 && (size_t)s->prog < lo->prog_cnt) {
				fd = lo->progs[s->prog].fd;
				what = lo->progs[s->prog].name;
			} else if (s->map >= 0 && (size_t)s->map < lo->map_cnt) {
				fd = lo->maps[s->map].fd;
				what = lo->maps[s->map].name;
			} else {
				return bb_err_insn(e, -EINVAL, -1, "map '%s': slot %u names nothing",
						   m->name, key);
			}
			if (fd < 0) {
				/* Only a program can be missing (keep_going). */
				if (ldr_note(lo, "map '%s': slot %u left empty: prog '%s' did not load",
					     m->name, key, what) < 0)
					return bb_err_insn(e, -ENOMEM, -1, "out of memory");
				continue;
			}
			val = (uint32_t)fd;
			err = ldr_map_update(lo->maps[i].fd, &key, &val, BPF_ANY);
			if (err < 0)
				return bb_err_insn(e, err, -1, "map '%s': cannot put '%s' in slot %u: %s",
						   m->name, what, key, strerror(-err));
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The load                                                            */
/* ------------------------------------------------------------------ */

static bool ldr_has_core(const struct obj *o)
{
	for (size_t i = 0; i < obj_prog_count(o); i++)
		if (obj_prog(o, i)->core_relo_cnt)
			return true;
	return false;
}

/* Externs and CO-RE: what changes the code before it is taken. */
static int ldr_prepare(struct ldr_load *l, struct bb_err *e)
{
	struct bb_vec diags;
	int err;

	if (obj_extern_count(l->o)) {
		err = obj_resolve_externs(l->o, l->opts.externs, e);
		if (err < 0)
			return err;
	}
	if (!ldr_has_core(l->o))
		return 0;
	bb_vec_init(&diags, sizeof(struct obj_core_res));
	struct obj_core_opts co = {
		.sz = sizeof(co), .target_btf_path = l->opts.core_btf_path, .diags = &diags,
	};
	if (!co.target_btf_path) {
		err = ldr_vmlinux(l, &co.target, e);
		if (err < 0)
			goto out;
	}
	err = obj_core_relocate(l->o, &co, e);
	for (size_t i = 0; err >= 0 && i < diags.len; i++)
		if (ldr_note(l->lo, "%s", bb_vec_at(&diags, struct obj_core_res, i)->msg) < 0)
			err = bb_err_insn(e, -ENOMEM, -1, "out of memory");
out:
	bb_vec_free(&diags);
	return err;
}

int ldr_obj_load(struct obj *o, const struct ldr_obj_opts *opts, struct ldr_obj **out,
		 struct bb_err *e)
{
	struct ldr_load l = { .o = o };
	struct bb_err pe;
	int err, failed = 0;

	if (out)
		*out = NULL;
	if (!o || !out)
		return bb_err_insn(e, -EINVAL, -1, "ldr_obj_load: no object");
	bb_err_set_file(e, obj_name(o));
	err = ldr_opts_copy(&l.opts, sizeof(l.opts), opts, opts ? opts->sz : 0);
	if (err < 0)
		return bb_err_insn(e, err, -1, "ldr_obj_opts sets fields this barebpf does not know");
	err = ldr_obj_new(o, &l.lo);
	if (err < 0)
		return bb_err_insn(e, err, -1, "out of memory");
	l.map_fds = calloc(l.lo->map_cnt ? l.lo->map_cnt : 1, sizeof(int));
	if (!l.map_fds) {
		err = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto fail;
	}

	err = ldr_prepare(&l, e);
	if (err < 0)
		goto fail;
	err = ldr_load_btf(&l);
	if (err < 0) {
		bb_err_insn(e, err, -1, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < l.lo->map_cnt; i++) {
		err = ldr_load_map(&l, i, e);
		if (err < 0)
			goto fail;
		l.map_fds[i] = l.lo->maps[i].fd;
	}
	for (size_t i = 0; i < l.lo->prog_cnt; i++) {
		bb_err_clear(&pe);
		bb_err_set_file(&pe, obj_name(o));
		err = ldr_load_prog(&l, i, &pe);
		if (err < 0) {
			/* The first failure is the one @e reports. */
			if (!failed++ && e)
				*e = pe;
			if (!l.opts.keep_going)
				goto fail;
		}
	}
	/* Its own record: @e may hold a program's failure to report. */
	bb_err_clear(&pe);
	err = ldr_fill_slots(&l, &pe);
	if (err < 0) {
		if (e)
			*e = pe;
		goto fail;
	}
	if (!failed)
		bb_err_clear(e);
	free(l.map_fds);
	bbtf_free(l.vm_own);
	*out = l.lo;
	return failed;

fail:
	free(l.map_fds);
	bbtf_free(l.vm_own);
	ldr_obj_free(l.lo);     /* closes every fd loaded so far */
	return err;
}
