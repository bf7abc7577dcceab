/* SPDX-License-Identifier: MIT */
/*
 * ldr_obj_load() against the running kernel: every corpus object, relocated
 * by barebpf and loaded through the raw-syscall layer, and the details a
 * loader must get right (map shapes, frozen .rodata, initial values, slots,
 * pinning, BTF logs, no fd left behind).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "btf/btf.h"
#include "elf/obj.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"

#define BB_BPF_FS_MAGIC 0xcafe4a11

/* Skip (with the reason) only when bpf() itself is refused here. */
static void need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("%s", e.msg);
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d, "cannot list /proc/self/fd");
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the DIR's own fd */
}

/*
 * $BAREBPF_ROOT/build/corpus, built with `make corpus` when missing (one
 * test process builds, the others wait on the lock).
 */
static const char *corpus_dir(void)
{
	static char dir[4096];
	char lock[4200], cmd[8400], root[4096];
	struct stat st;
	int fd, rc;

	tu_repo_path("build/corpus", dir, sizeof(dir));
	if (!stat(dir, &st) && S_ISDIR(st.st_mode))
		return dir;
	tu_repo_path("", root, sizeof(root));
	snprintf(lock, sizeof(lock), "%s/build/.corpus.lock", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/build'", root);
	cr_assert_eq(system(cmd), 0, "cannot create %s/build", root);
	fd = open(lock, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "cannot open %s: %s", lock, strerror(errno));
	flock(fd, LOCK_EX);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(cmd, sizeof(cmd), "make -C '%s' corpus >'%s/build/corpus.log' 2>&1",
			 root, root);
		rc = system(cmd);
		cr_assert_eq(rc, 0, "%s is missing and `make -C %s corpus` failed "
			     "(see %s/build/corpus.log)", dir, root, root);
	}
	close(fd);
	cr_assert(!stat(dir, &st) && S_ISDIR(st.st_mode),
		  "%s is missing even after `make corpus`", dir);
	return dir;
}

static struct obj *open_corpus(const char *name)
{
	char path[4400];
	struct obj *o = NULL;
	struct bb_err e;
	int err;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", corpus_dir(), name);
	bb_err_clear(&e);
	err = obj_open_file(path, NULL, &o, &e);
	cr_assert_eq(err, 0, "%s: cannot open: %s", path, e.msg);
	return o;
}

/* A bpffs directory for pinning: under /sys/fs/bpf when that is bpffs,
 * else a fresh bpffs mount in /tmp. */
struct pin_root {
	char path[256];
	char mnt[256];          /* our own mount, "" if none */
};

static void pin_root_make(struct pin_root *p)
{
	struct statfs sf;

	memset(p, 0, sizeof(*p));
	if (!statfs("/sys/fs/bpf", &sf) && (unsigned long)sf.f_type == BB_BPF_FS_MAGIC) {
		snprintf(p->path, sizeof(p->path), "/sys/fs/bpf/barebpf-test-%d", (int)getpid());
		cr_assert_eq(mkdir(p->path, 0700), 0, "mkdir %s: %s", p->path, strerror(errno));
		return;
	}
	snprintf(p->mnt, sizeof(p->mnt), "/tmp/barebpf-bpffs-XXXXXX");
	cr_assert_not_null(mkdtemp(p->mnt));
	if (mount("bpf", p->mnt, "bpf", 0, NULL) < 0) {
		int err = errno;

		rmdir(p->mnt);
		cr_skip_test("no bpffs at /sys/fs/bpf and cannot mount one: %s", strerror(err));
	}
	snprintf(p->path, sizeof(p->path), "%s", p->mnt);
}

/* Unpin everything in the directory and remove it. */
static void pin_root_drop(struct pin_root *p)
{
	DIR *d = opendir(p->path);
	struct dirent *de;
	char f[600];

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(f), "%s/%s", p->path, de->d_name);
		unlink(f);
	}
	if (d)
		closedir(d);
	if (p->mnt[0]) {
		umount(p->mnt);
		rmdir(p->mnt);
	} else {
		rmdir(p->path);
	}
}

static struct ldr_obj *load(struct obj *o, const struct ldr_obj_opts *opts)
{
	struct ldr_obj *lo = NULL;
	struct bb_err e;
	char buf[600];
	int r;

	bb_err_clear(&e);
	r = ldr_obj_load(o, opts, &lo, &e);
	cr_assert_eq(r, 0, "%s: %d programs failed or load error: %s", obj_name(o), r,
		     bb_err_str(&e, buf, sizeof(buf)));
	cr_assert_not_null(lo);
	return lo;
}

static int map_fd(const struct ldr_obj *lo, const char *name)
{
	int i = ldr_obj_map_by_name(lo, name);

	cr_assert_geq(i, 0, "no map '%s'", name);
	return ldr_obj_map(lo, (size_t)i)->fd;
}

/* ------------------------------------------------------------------ */
/* The whole corpus                                                    */
/* ------------------------------------------------------------------ */

/*
 * Programs this kernel refuses by design (not a loader or corpus bug).
 * Each is checked to fail with exactly this errno when it fails.
 */
static const struct {
	const char *obj, *prog;
	int err;
	const char *why;
} refused[] = {
	{ "fentry", "unlink_entry", -EPERM, "fentry programs (BPF trampolines) are not loadable here" },
	{ "fentry", "unlink_exit", -EPERM, "fexit programs (BPF trampolines) are not loadable here" },
	{ "ksym_typed", "ksym_typed_prog", -ENOENT,
	  "typed ksym 'runqueues' needs CONFIG_KALLSYMS_ALL, which this kernel lacks" },
};

/* Kprobe programs are refused only for lack of kprobe support, which a
 * kernel without the kprobe PMU and kprobe_events has. */
static bool kprobes_missing(void)
{
	return access("/sys/bus/event_source/devices/kprobe", F_OK) &&
	       access("/sys/kernel/tracing/kprobe_events", F_OK) &&
	       access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static int refusal(const char *obj, const char *prog)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(refused); i++)
		if (!strcmp(refused[i].obj, obj) && !strcmp(refused[i].prog, prog))
			return (int)i;
	return -1;
}

/* Every loaded map has the shape its spec asks for, as the kernel says. */
static void check_maps(const struct obj *o, const struct ldr_obj *lo)
{
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++) {
		const struct obj_map *m = obj_map(o, i);
		const struct ldr_obj_map *r = ldr_obj_map(lo, i);
		struct bpf_map_info info;

		cr_assert_eq(ldr_map_info(r->fd, &info), 0);
		cr_expect_eq(info.type, m->type, "%s: map '%s' type %u, want %u", obj_name(o),
			     m->name, info.type, m->type);
		cr_expect_eq(info.key_size, m->key_size, "%s: map '%s' key_size", obj_name(o), m->name);
		cr_expect_eq(info.value_size, m->value_size, "%s: map '%s' value_size", obj_name(o),
			     m->name);
		cr_expect_eq(info.max_entries, r->max_entries, "%s: map '%s' max_entries",
			     obj_name(o), m->name);
		if (m->max_entries)
			cr_expect_geq(info.max_entries, m->max_entries);
		cr_expect_eq(info.map_flags, m->map_flags, "%s: map '%s' flags %#x, want %#x",
			     obj_name(o), m->name, info.map_flags, m->map_flags);
		cr_expect_eq(info.map_extra, m->map_extra, "%s: map '%s' map_extra", obj_name(o),
			     m->name);
		cr_expect_eq(strncmp(info.name, m->kname, BPF_OBJ_NAME_LEN - 1), 0,
			     "%s: map '%s' kernel name '%s', want '%s'", obj_name(o), m->name,
			     info.name, m->kname);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(obj_load, every_corpus_program, .timeout = 300)
{
	const char *dir;
	struct pin_root pr;
	DIR *d;
	struct dirent *de;
	char *names[256];
	int n = 0, objs = 0, progs = 0, loaded = 0, by_design = 0, failed = 0, unopened = 0;
	int no_btf = 0;
	int fds_before, kprobe_gone;
	bool seen[BB_ARRAY_SIZE(refused)] = { 0 };

	need_bpf();
	dir = corpus_dir();
	pin_root_make(&pr);
	kprobe_gone = kprobes_missing();
	d = opendir(dir);
	cr_assert_not_null(d, "cannot list %s", dir);
	while ((de = readdir(d)) && n < (int)BB_ARRAY_SIZE(names)) {
		size_t l = strlen(de->d_name);

		if (l > 6 && !strcmp(de->d_name + l - 6, ".bpf.o"))
			names[n++] = strndup(de->d_name, l - 6);
	}
	closedir(d);
	cr_assert_gt(n, 0, "no *.bpf.o in %s", dir);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);

	fds_before = fd_count();
	for (int k = 0; k < n; k++) {
		char path[4400], buf[700];
		struct obj *o = NULL;
		struct ldr_obj *lo = NULL;
		struct bb_err e;
		int r;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, names[k]);
		bb_err_clear(&e);
		objs++;
		if (obj_open_file(path, NULL, &o, &e) < 0) {
			unopened++;
			cr_expect_fail("%s: barebpf cannot open it: %s", names[k],
				       bb_err_str(&e, buf, sizeof(buf)));
			continue;
		}
		LDR_OPTS(ldr_obj_opts, opts, .keep_going = true, .pin_root = pr.path);
		r = ldr_obj_load(o, &opts, &lo, &e);
		if (r < 0) {
			failed += (int)obj_prog_count(o);
			progs += (int)obj_prog_count(o);
			cr_expect_fail("%s: load failed: %s", names[k], bb_err_str(&e, buf, sizeof(buf)));
			obj_free(o);
			continue;
		}
		for (size_t i = 0; i < ldr_obj_prog_count(lo); i++) {
			const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
			int ref = refusal(names[k], p->name);

			progs++;
			if (p->fd >= 0) {
				loaded++;
				continue;
			}
			bb_err_str(&p->error, buf, sizeof(buf));
			if (ref >= 0 && p->err == refused[ref].err) {
				by_design++;
				seen[ref] = true;
				fprintf(stderr, "obj_load: refused by design: %s/%s (%s): %s\n",
					names[k], p->name, refused[ref].why, strerror(-p->err));
			} else if (p->prog_type == BPF_PROG_TYPE_KPROBE && kprobe_gone) {
				by_design++;
				fprintf(stderr, "obj_load: refused by design: %s/%s (no kprobes here): %s\n",
					names[k], p->name, buf);
			} else {
				failed++;
				cr_expect_fail("%s: %s%s%s", buf, ref >= 0 ? "(expected " : "",
					       ref >= 0 ? strerror(-refused[ref].err) : "",
					       ref >= 0 ? ")" : "");
			}
		}
		for (size_t i = 0; i < ldr_obj_note_count(lo); i++)
			fprintf(stderr, "obj_load: %s: note: %s\n", names[k], ldr_obj_note(lo, i));
		if (obj_btf(o) && ldr_obj_btf_fd(lo) < 0) {
			no_btf++;
			cr_expect_fail("%s: loaded without its BTF (see the note above)", names[k]);
		}
		check_maps(o, lo);
		ldr_obj_free(lo);
		obj_free(o);
	}
	for (size_t i = 0; i < BB_ARRAY_SIZE(refused); i++)
		if (!seen[i])
			fprintf(stderr, "obj_load: %s/%s loaded or is missing although this kernel "
				"was expected to refuse it (%s)\n", refused[i].obj, refused[i].prog,
				refused[i].why);
	fprintf(stderr, "obj_load: %d objects (%d not opened), %d programs: %d loaded, "
		"%d refused by design, %d failed; %d objects without their BTF\n", objs, unopened,
		progs, loaded, by_design, failed, no_btf);
	for (int k = 0; k < n; k++)
		free(names[k]);
	pin_root_drop(&pr);
	cr_expect_eq(fd_count(), fds_before, "fds leaked: %d before, %d after", fds_before,
		     fd_count());
	cr_expect_eq(failed, 0, "%d corpus programs failed", failed);
	cr_expect_eq(unopened, 0, "%d corpus objects could not be opened", unopened);
}

/* ------------------------------------------------------------------ */
/* Details                                                             */
/* ------------------------------------------------------------------ */

Test(obj_load, rodata_frozen_and_initial_values_visible)
{
	struct obj *o;
	struct ldr_obj *lo;
	uint8_t buf[256];
	uint32_t key = 0;
	int before;

	need_bpf();
	o = open_corpus("globals");
	before = fd_count();
	lo = load(o, NULL);
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++) {
		const struct obj_map *m = obj_map(o, i);
		int fd = ldr_obj_map(lo, i)->fd;

		cr_assert_leq(m->value_size, sizeof(buf));
		memset(buf, 0xa5, sizeof(buf));
		cr_assert_eq(ldr_map_lookup(fd, &key, buf), 0, "lookup in '%s'", m->name);
		if (m->init)
			cr_expect_arr_eq(buf, m->init, m->value_size, "'%s' initial bytes", m->name);
		else
			for (uint32_t b = 0; b < m->value_size; b++)
				cr_expect_eq(buf[b], 0, "'%s' byte %u not zero", m->name, b);
		/* Read-only sections are frozen: user space cannot write. */
		cr_expect_eq(ldr_map_update(fd, &key, buf, BPF_ANY), m->freeze ? -EPERM : 0,
			     "update of '%s'", m->name);
	}
	/* The values the C source gave them. */
	{
		const uint64_t salt = 0x9e3779b97f4a7c15ULL, c42 = 42;
		const uint32_t table[4] = { 10, 20, 30, 40 };
		const struct obj_map *m;
		int i;

		i = ldr_obj_map_by_name(lo, ".data");
		cr_assert_geq(i, 0);
		m = obj_map(o, (size_t)i);
		cr_assert_eq(ldr_map_lookup(map_fd(lo, ".data"), &key, buf), 0);
		cr_expect_not_null(memmem(buf, m->value_size, &salt, sizeof(salt)), ".data has no salt");
		cr_assert_eq(ldr_map_lookup(map_fd(lo, ".data.custom"), &key, buf), 0);
		cr_expect_eq(memcmp(buf, &c42, sizeof(c42)), 0, ".data.custom is not 42");
		cr_assert_eq(ldr_map_lookup(map_fd(lo, ".rodata.custom"), &key, buf), 0);
		cr_expect_eq(memcmp(buf, table, sizeof(table)), 0, ".rodata.custom is not 10,20,30,40");
	}
	ldr_obj_free(lo);
	cr_expect_eq(fd_count(), before);
	obj_free(o);
}

Test(obj_load, prog_array_and_map_in_map_slots)
{
	struct obj *o;
	struct ldr_obj *lo;
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	uint32_t key, id;
	int fd, before;

	need_bpf();
	before = fd_count();
	o = open_corpus("tailcall");
	lo = load(o, NULL);
	fd = map_fd(lo, "jmp_table");
	for (size_t s = 0; s < obj_map(o, (size_t)ldr_obj_map_by_name(lo, "jmp_table"))->slot_cnt; s++) {
		const struct obj_map_slot *sl =
			&obj_map(o, (size_t)ldr_obj_map_by_name(lo, "jmp_table"))->slots[s];

		key = sl->index;
		/* A prog array answers a lookup with the program's id. */
		cr_assert_eq(ldr_map_lookup(fd, &key, &id), 0, "slot %u empty", key);
		cr_assert_eq(ldr_prog_info(ldr_obj_prog(lo, (size_t)sl->prog)->fd, &pi), 0);
		cr_expect_eq(id, pi.id, "slot %u holds prog id %u, want %u", key, id, pi.id);
	}
	key = 3;
	cr_expect_eq(ldr_map_lookup(fd, &key, &id), -ENOENT, "slot 3 should stay empty");
	ldr_obj_free(lo);
	obj_free(o);

	o = open_corpus("map_in_map");
	lo = load(o, NULL);
	fd = map_fd(lo, "outer_arr");
	key = 0;
	cr_assert_eq(ldr_map_lookup(fd, &key, &id), 0);
	cr_assert_eq(ldr_map_info(map_fd(lo, "inner_a"), &mi), 0);
	cr_expect_eq(id, mi.id, "outer_arr[0] holds map id %u, want inner_a's %u", id, mi.id);
	key = 1;
	cr_assert_eq(ldr_map_lookup(fd, &key, &id), 0);
	cr_assert_eq(ldr_map_info(map_fd(lo, "inner_b"), &mi), 0);
	cr_expect_eq(id, mi.id, "outer_arr[1] holds map id %u, want inner_b's %u", id, mi.id);
	key = 2;
	cr_expect_eq(ldr_map_lookup(fd, &key, &id), -ENOENT);
	ldr_obj_free(lo);
	obj_free(o);
	cr_expect_eq(fd_count(), before);
}

Test(obj_load, pinned_map_reused_or_refused)
{
	struct pin_root pr;
	struct obj *o;
	struct ldr_obj *lo, *lo2 = NULL;
	struct bpf_map_info a, b;
	struct bb_err e;
	char path[600];
	int before, fd, r;

	need_bpf();
	pin_root_make(&pr);
	before = fd_count();
	o = open_corpus("map_kinds");
	LDR_OPTS(ldr_obj_opts, opts, .pin_root = pr.path);
	lo = load(o, &opts);
	snprintf(path, sizeof(path), "%s/pinned_cnt", pr.path);
	cr_assert_str_eq(ldr_obj_map(lo, (size_t)ldr_obj_map_by_name(lo, "pinned_cnt"))->pin_path,
			 path);
	fd = ldr_obj_get(path, 0);
	cr_assert_geq(fd, 3, "nothing pinned at %s: %s", path, strerror(-fd));
	cr_assert_eq(ldr_map_info(fd, &a), 0);
	cr_assert_eq(ldr_map_info(map_fd(lo, "pinned_cnt"), &b), 0);
	cr_expect_eq(a.id, b.id);
	ldr_obj_close(fd);

	/* A second load takes the pinned map instead of making one. */
	lo2 = load(o, &opts);
	cr_expect(ldr_obj_map(lo2, (size_t)ldr_obj_map_by_name(lo2, "pinned_cnt"))->reused);
	cr_assert_eq(ldr_map_info(map_fd(lo2, "pinned_cnt"), &b), 0);
	cr_expect_eq(a.id, b.id, "the pinned map was not reused");
	cr_expect_gt(ldr_obj_note_count(lo2), 0);
	ldr_obj_free(lo2);
	ldr_obj_free(lo);

	/* Something else pinned under that name: refused, nothing leaks. */
	cr_assert_eq(unlink(path), 0);
	{
		LDR_OPTS(ldr_map_create_opts, mo, .map_type = BPF_MAP_TYPE_HASH, .key_size = 4,
			 .value_size = 4, .max_entries = 8, .map_name = "other");
		fd = ldr_map_create(&mo, NULL);
		cr_assert_geq(fd, 3);
		cr_assert_eq(ldr_obj_pin(fd, path), 0);
		ldr_obj_close(fd);
	}
	bb_err_clear(&e);
	lo2 = (struct ldr_obj *)1;
	r = ldr_obj_load(o, &opts, &lo2, &e);
	cr_expect_eq(r, -EEXIST, "got %d: %s", r, e.msg);
	cr_expect_null(lo2);
	cr_expect_not_null(strstr(e.msg, "incompatible"), "%s", e.msg);
	cr_expect_not_null(strstr(e.msg, path), "%s", e.msg);
	cr_expect_str_eq(e.file, "map_kinds");
	obj_free(o);
	pin_root_drop(&pr);
	cr_expect_eq(fd_count(), before);
}

/* A struct whose member ends past its size: the kernel's BTF checker
 * says so in its log, and the error quotes it. */
Test(obj_load, broken_btf_reports_kernel_log)
{
	struct bbtf *b;
	struct ldr_log log = { 0 };
	struct bb_err e;
	const void *raw;
	size_t size;
	int i, fd, before;

	need_bpf();
	before = fd_count();
	cr_assert_eq(bbtf_new(NULL, &b), 0);
	i = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED);
	cr_assert_gt(i, 0);
	cr_assert_gt(bbtf_add_struct(b, "broken", 4), 0);
	cr_assert_eq(bbtf_add_member(b, "x", (uint32_t)i, 64, 0), 0);
	raw = bbtf_raw_data(b, &size);
	cr_assert_not_null(raw);
	bb_err_clear(&e);
	LDR_OPTS(ldr_btf_load_opts, bo, .log = &log, .name = "broken");
	fd = ldr_btf_load(raw, size, &bo, &e);
	cr_assert_eq(fd, -EINVAL, "broken BTF loaded (%d)", fd);
	cr_assert_not_null(log.buf);
	cr_expect_not_null(strstr(log.buf, "broken"), "log: %s", log.buf);
	cr_expect_not_null(strstr(e.msg, "btf 'broken': load failed"), "%s", e.msg);
	cr_expect_not_null(strstr(e.msg, "exceeds its struct size"), "%s", e.msg);
	ldr_log_free(&log);

	/* A good one loads, and the kernel describes it. */
	bbtf_free(b);
	cr_assert_eq(bbtf_new(NULL, &b), 0);
	i = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED);
	cr_assert_gt(bbtf_add_struct(b, "fine", 8), 0);
	cr_assert_eq(bbtf_add_member(b, "x", (uint32_t)i, 32, 0), 0);
	raw = bbtf_raw_data(b, &size);
	fd = ldr_btf_load(raw, size, NULL, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	{
		struct bpf_btf_info bi;

		cr_assert_eq(ldr_btf_info(fd, &bi), 0);
		cr_expect_eq(bi.btf_size, size);
		cr_expect_gt(bi.id, 0);
	}
	ldr_obj_close(fd);
	bbtf_free(b);
	cr_expect_eq(ldr_probe_btf_features() & BBTF_FEAT_ALL, BBTF_FEAT_ALL,
		     "a 6.x kernel loads every BTF kind");
	cr_expect_eq(fd_count(), before);
}

Test(obj_load, refusal_stops_load_without_keep_going)
{
	struct obj *o;
	struct ldr_obj *lo = (struct ldr_obj *)1;
	struct bb_err e;
	int r, before;

	need_bpf();
	before = fd_count();
	o = open_corpus("ksym_typed");
	bb_err_clear(&e);
	r = ldr_obj_load(o, NULL, &lo, &e);
	if (r == 0) {
		ldr_obj_free(lo);
		obj_free(o);
		cr_skip_test("this kernel loads typed ksyms (CONFIG_KALLSYMS_ALL)");
	}
	cr_assert_eq(r, -ENOENT, "%d: %s", r, e.msg);
	cr_expect_null(lo);
	/* The error names the object, the section and the program, and
	 * quotes the verifier. */
	cr_expect_str_eq(e.file, "ksym_typed");
	cr_expect_str_eq(e.section, "tracepoint/syscalls/sys_enter_getpid");
	cr_expect_not_null(strstr(e.msg, "prog 'ksym_typed_prog'"), "%s", e.msg);
	cr_expect_not_null(strstr(e.msg, "runqueues"), "%s", e.msg);
	obj_free(o);
	cr_expect_eq(fd_count(), before);
}

Test(obj_load, keep_going_reports_each_program)
{
	struct obj *o;
	struct ldr_obj *lo = NULL;
	struct bb_err e;
	int r, before;

	need_bpf();
	before = fd_count();
	o = open_corpus("fentry");
	bb_err_clear(&e);
	LDR_OPTS(ldr_obj_opts, opts, .keep_going = true);
	r = ldr_obj_load(o, &opts, &lo, &e);
	cr_assert_geq(r, 0, "%s", e.msg);
	cr_assert_not_null(lo);
	cr_assert_eq(ldr_obj_prog_count(lo), 2);
	for (size_t i = 0; i < 2; i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);

		cr_expect_gt(p->attach_btf_id, 0, "%s: no vmlinux BTF id for %s", p->name,
			     p->section);
		if (p->fd < 0) {
			cr_expect_eq(p->err, -EPERM, "%s: %s", p->name, p->error.msg);
			cr_expect_str_eq(p->error.section, p->section);
		}
	}
	cr_expect_eq(r, (ldr_obj_prog(lo, 0)->fd < 0) + (ldr_obj_prog(lo, 1)->fd < 0));
	if (r) {
		/* @e is the first failure, with its location. */
		cr_expect_str_eq(e.file, "fentry");
		cr_expect_str_eq(e.section, "fentry/do_unlinkat");
		cr_expect_not_null(strstr(e.msg, "prog 'unlink_entry': load failed"), "%s", e.msg);
	}
	/* The maps are there all the same. */
	cr_expect_geq(map_fd(lo, "events"), 3);
	ldr_obj_free(lo);
	ldr_obj_free(NULL);
	obj_free(o);
	cr_expect_eq(fd_count(), before);
}

Test(obj_load, without_btf)
{
	struct obj *o;
	struct ldr_obj *lo;
	int before;

	need_bpf();
	before = fd_count();
	o = open_corpus("xdp_filter");
	LDR_OPTS(ldr_obj_opts, opts, .no_btf = true);
	lo = load(o, &opts);
	cr_expect_eq(ldr_obj_btf_fd(lo), -1);
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++)
		cr_expect(!ldr_obj_map(lo, i)->btf_types);
	ldr_obj_free(lo);
	lo = load(o, NULL);
	cr_expect_geq(ldr_obj_btf_fd(lo), 3);
	cr_expect(ldr_obj_map(lo, (size_t)ldr_obj_map_by_name(lo, ".rodata"))->btf_types);
	ldr_obj_free(lo);
	obj_free(o);
	cr_expect_eq(fd_count(), before);
}

/* The listing wrappers find what we loaded; pinning and getting a
 * program gives the same program. */
Test(obj_load, ids_info_and_pins)
{
	struct pin_root pr;
	struct obj *o;
	struct ldr_obj *lo;
	struct bpf_prog_info pi, pj;
	struct bpf_map_info mi;
	char path[600];
	uint32_t id = 0;
	bool found = false;
	int fd, before, prog;

	need_bpf();
	pin_root_make(&pr);
	before = fd_count();
	o = open_corpus("xdp_filter");
	lo = load(o, NULL);
	prog = ldr_obj_prog(lo, 0)->fd;
	cr_assert_eq(ldr_prog_info(prog, &pi), 0);
	cr_expect_eq(pi.type, BPF_PROG_TYPE_XDP);
	cr_expect_str_eq(pi.name, "xdp_filter_prog");
	cr_expect_gt(pi.btf_id, 0, "program loaded without BTF");
	cr_expect_gt(pi.nr_map_ids, 0);
	while (!found && ldr_prog_get_next_id(id, &id) == 0)
		found = id == pi.id;
	cr_expect(found, "prog id %u not listed", pi.id);
	fd = ldr_prog_get_fd_by_id(pi.id);
	cr_assert_geq(fd, 3);
	cr_assert_eq(ldr_prog_info(fd, &pj), 0);
	cr_expect_eq(pj.id, pi.id);
	ldr_obj_close(fd);

	cr_assert_eq(ldr_map_info(map_fd(lo, "proto_stats"), &mi), 0);
	found = false;
	id = 0;
	while (!found && ldr_map_get_next_id(id, &id) == 0)
		found = id == mi.id;
	cr_expect(found, "map id %u not listed", mi.id);
	fd = ldr_map_get_fd_by_id(mi.id);
	cr_expect_geq(fd, 3);
	ldr_obj_close(fd);
	fd = ldr_btf_get_fd_by_id(pi.btf_id);
	cr_expect_geq(fd, 3);
	ldr_obj_close(fd);

	snprintf(path, sizeof(path), "%s/prog", pr.path);
	cr_assert_eq(ldr_obj_pin(prog, path), 0);
	cr_expect_eq(ldr_obj_pin(prog, path), -EEXIST);
	fd = ldr_obj_get(path, 0);
	cr_assert_geq(fd, 3);
	cr_assert_eq(ldr_prog_info(fd, &pj), 0);
	cr_expect_eq(pj.id, pi.id);
	ldr_obj_close(fd);
	cr_expect_eq(ldr_obj_get("/nonexistent/x", 0), -ENOENT);
	cr_expect_eq(ldr_prog_get_fd_by_id(0xfffffff0u), -ENOENT);
	ldr_obj_free(lo);
	obj_free(o);
	pin_root_drop(&pr);
	cr_expect_eq(fd_count(), before);
}

/* BTF sanitized for an older kernel's feature set still loads, and the
 * programs with it; global data maps whose DATASEC became a STRUCT fall
 * back to no BTF type ids, with a note, as libbpf's do. */
Test(obj_load, sanitized_btf)
{
	static const char *const objs[] = { "globals", "loop_subprog", "runqlat", "tailcall" };
	int before;

	need_bpf();
	before = fd_count();
	for (size_t k = 0; k < BB_ARRAY_SIZE(objs); k++) {
		struct obj *o = open_corpus(objs[k]);
		struct ldr_obj *lo;
		struct bpf_prog_info pi;

		LDR_OPTS(ldr_obj_opts, opts, .btf_features = BBTF_FEAT_FUNC | BBTF_FEAT_DATASEC |
			 BBTF_FEAT_FUNC_GLOBAL);
		lo = load(o, &opts);
		cr_expect_geq(ldr_obj_btf_fd(lo), 3, "%s: sanitized BTF not loaded", objs[k]);
		cr_assert_eq(ldr_prog_info(ldr_obj_prog(lo, 0)->fd, &pi), 0);
		cr_expect_gt(pi.btf_id, 0, "%s: program without BTF", objs[k]);
		ldr_obj_free(lo);

		/* As a 5.1 kernel (no DATASEC, no global functions) would. */
		opts.btf_features = BBTF_FEAT_FUNC;
		lo = load(o, &opts);
		cr_expect_geq(ldr_obj_btf_fd(lo), 3, "%s: sanitized BTF not loaded", objs[k]);
		for (size_t i = 0; i < ldr_obj_map_count(lo); i++)
			if (obj_map(o, i)->kind != OBJ_MAP_USER)
				cr_expect(!ldr_obj_map(lo, i)->btf_types,
					  "%s: '%s' kept a DATASEC-less value type", objs[k],
					  ldr_obj_map(lo, i)->name);
		ldr_obj_free(lo);
		obj_free(o);
	}
	cr_expect_eq(fd_count(), before);
}

/* The code reaches the maps it was given: a run of the globals program
 * counts into .bss and reads its verdict from .rodata. */
Test(obj_load, program_uses_its_maps)
{
	struct obj *o;
	struct ldr_obj *lo;
	uint8_t pkt[64] = { 0x45 }, bss[64] = { 0 };
	uint32_t key = 0;

	need_bpf();
	o = open_corpus("globals");
	lo = load(o, NULL);
	LDR_OPTS(ldr_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 3);
	cr_assert_eq(ldr_prog_test_run(ldr_obj_prog(lo, 0)->fd, &t), 0);
	cr_expect_eq(t.retval, 2 /* XDP_PASS, verdict_knob's default */);
	cr_assert_leq(obj_map(o, (size_t)ldr_obj_map_by_name(lo, ".bss"))->value_size, sizeof(bss));
	cr_assert_eq(ldr_map_lookup(map_fd(lo, ".bss"), &key, bss), 0);
	/* packets (the first .bss variable, by size and alignment) is 3. */
	cr_expect(memmem(bss, sizeof(bss), &(uint64_t){ 3 }, 8) != NULL, "no packet count 3 in .bss");
	ldr_obj_free(lo);
	obj_free(o);
}

/* Tail calls go through the slots the loader filled: an ICMP packet
 * reaches handle_icmp (XDP_TX), a non-IP one falls through slot 3. */
Test(obj_load, tail_calls_through_filled_slots)
{
	struct obj *o;
	struct ldr_obj *lo;
	uint8_t pkt[64] = { 0 };
	uint64_t hits[4];
	uint32_t key = 0;
	int entry;

	need_bpf();
	o = open_corpus("tailcall");
	lo = load(o, NULL);
	entry = ldr_obj_prog_by_name(lo, "tailcall_entry");
	cr_assert_geq(entry, 0);
	pkt[12] = 0x08;                 /* ETH_P_IP */
	pkt[14] = 0x45;                 /* IPv4, 20-byte header */
	pkt[23] = 1;                    /* IPPROTO_ICMP */
	LDR_OPTS(ldr_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt));
	cr_assert_eq(ldr_prog_test_run(ldr_obj_prog(lo, (size_t)entry)->fd, &t), 0);
	cr_expect_eq(t.retval, 3 /* XDP_TX */);
	pkt[12] = 0x86;                 /* not IPv4: slot 3, empty */
	cr_assert_eq(ldr_prog_test_run(ldr_obj_prog(lo, (size_t)entry)->fd, &t), 0);
	cr_expect_eq(t.retval, 1 /* XDP_DROP */);
	cr_assert_eq(ldr_map_lookup(map_fd(lo, ".bss"), &key, hits), 0);
	cr_expect_eq(hits[2], 1);
	cr_expect_eq(hits[3], 1);
	ldr_obj_free(lo);
	obj_free(o);
}
