/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_diff.c - every corpus program whose type
 * BPF_PROG_TEST_RUN takes here (socket filter, XDP, tc, raw tracepoint,
 * syscall) runs offline (env/) and in the kernel (ldr_obj_load +
 * ldr_prog_test_run) on the same packets with the same initial maps:
 * r0, the output packet and the final map contents must agree.
 *
 * Skipped only where bpf() is refused (ldr_probe_bpf), saying why.
 * BAREBPF_ENV_ENGINE=jit compares the JIT's code with the kernel instead.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "env/env.h"
#include "loader/ldr.h"
#include "maps/maps.h"
#include "tests/common/testutil.h"
#include "tests/env/env_test.h"

struct counts {
	int progs, runs, refused, maps, elems, skipped_maps;
};

static bool testable(uint32_t t)
{
	return t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_XDP ||
	       t == BPF_PROG_TYPE_SCHED_CLS || t == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	       t == BPF_PROG_TYPE_SYSCALL;
}

/* Per-CPU values land on whichever CPU ran the program, so compare the
 * per-lane sums over the CPUs. */
static void sum_lanes(const uint8_t *v, size_t value_size, size_t ncpu, uint64_t *out)
{
	size_t step = (value_size + 7) / 8 * 8;

	memset(out, 0, step);
	for (size_t c = 0; c < ncpu; c++)
		for (size_t w = 0; w < step / 8; w++) {
			uint64_t x;

			memcpy(&x, v + c * step + w * 8, 8);
			out[w] += x;
		}
}

static void compare_map(const char *obj, struct map *m, const struct ldr_obj_map *km,
			struct counts *n)
{
	const struct map_spec *s = map_spec_of(m);
	bool percpu = s->type == BPF_MAP_TYPE_PERCPU_ARRAY || s->type == BPF_MAP_TYPE_PERCPU_HASH ||
		      s->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	int kcpus = map_host_possible_cpus();
	size_t ksz = percpu ? (size_t)kcpus * ((s->value_size + 7) / 8 * 8) : s->value_size;
	size_t osz = map_value_size_user(m);
	uint8_t *key = calloc(1, s->key_size + 8), *next = calloc(1, s->key_size + 8);
	uint8_t *ov = calloc(1, osz + 8), *kv = calloc(1, ksz + 8);
	uint64_t *os = calloc(1, osz + 8), *ks = calloc(1, ksz + 8);
	size_t oelems = 0, kelems = 0;
	bool first = true;

	switch (s->type) {
	case BPF_MAP_TYPE_ARRAY: case BPF_MAP_TYPE_HASH: case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY: case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH: case BPF_MAP_TYPE_LPM_TRIE:
		break;
	default:
		n->skipped_maps++;
		goto out;
	}
	while (!map_get_next_key(m, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, s->key_size);
		cr_assert_eq(map_lookup(m, key, ov, 0), 0);
		cr_assert_eq(ldr_map_lookup(km->fd, key, kv), 0,
			     "%s: map %s: a key offline is not in the kernel's map", obj, km->name);
		if (percpu) {
			sum_lanes(ov, s->value_size, osz / ((s->value_size + 7) / 8 * 8), os);
			sum_lanes(kv, s->value_size, (size_t)kcpus, ks);
			cr_assert_arr_eq(os, ks, (s->value_size + 7) / 8 * 8,
					 "%s: map %s: per-CPU sums differ", obj, km->name);
		} else {
			cr_assert_arr_eq(ov, kv, s->value_size, "%s: map %s: values differ",
					 obj, km->name);
		}
		oelems++;
	}
	first = true;
	while (!ldr_map_get_next_key(km->fd, first ? NULL : key, next)) {
		first = false;
		memcpy(key, next, s->key_size);
		kelems++;
	}
	cr_assert_eq(oelems, kelems, "%s: map %s: %zu elements offline, %zu in the kernel",
		     obj, km->name, oelems, kelems);
	n->maps++;
	n->elems += (int)oelems;
out:
	free(key);
	free(next);
	free(ov);
	free(kv);
	free(os);
	free(ks);
}

static void run_both(const char *obj, struct env *env, struct env_prog *p, int fd,
		     const struct et_packet *pk, struct counts *n)
{
	struct env_run_in in = { .sz = sizeof(in), .engine = et_engine(), .checked = true };
	struct env_run_out out;
	uint8_t kout[4096];
	uint64_t args[2] = { 0, 0 };
	LDR_OPTS(ldr_test_run_opts, kr);
	struct bb_err e;
	int ret, kret;

	bb_err_clear(&e);
	if (env_prog_type(p) == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	    env_prog_type(p) == BPF_PROG_TYPE_SYSCALL) {
		/* sys_enter(regs, id): the syscall number from the packet's
		 * length so different "packets" count differently. */
		args[1] = pk->len;
		in.ctx = args;
		in.ctx_len = sizeof(args);
		kr.ctx_in = args;
		kr.ctx_size_in = sizeof(args);
	} else {
		in.packet = pk->data;
		in.packet_len = pk->len;
		kr.data_in = pk->data;
		kr.data_size_in = (uint32_t)pk->len;
		kr.data_out = kout;
		kr.data_size_out = sizeof(kout);
	}
	ret = env_run(env, p, &in, &out, &e);
	kret = ldr_prog_test_run(fd, &kr);
	/* Inputs test_run refuses must be refused offline the same way. */
	if (kret < 0) {
		cr_assert_eq(ret, kret, "%s: %s on %s: kernel test_run says %d, offline %d (%s)",
			     obj, env_prog_name(p), pk->name, kret, ret, e.msg);
		n->refused++;
		return;
	}
	cr_assert_eq(ret, 0, "%s: %s on %s: offline run failed: %s", obj, env_prog_name(p),
		     pk->name, e.msg);
	cr_assert_eq((uint32_t)out.r0, kr.retval, "%s: %s on %s: r0 %" PRIu64 " offline, %u in the kernel",
		     obj, env_prog_name(p), pk->name, out.r0, kr.retval);
	if (kr.data_out) {
		cr_assert_eq(out.packet_len, kr.data_size_out,
			     "%s: %s on %s: output packet %zu bytes offline, %u in the kernel",
			     obj, env_prog_name(p), pk->name, out.packet_len, kr.data_size_out);
		cr_assert_arr_eq(out.packet, kout, out.packet_len,
				 "%s: %s on %s: output packets differ", obj, env_prog_name(p),
				 pk->name);
	}
	env_run_out_free(&out);
	n->runs++;
}

/* The offline task is this test process, as the kernel sees it. */
static void set_self(struct env *env)
{
	struct env_task t = { .pid = (uint32_t)gettid(), .tgid = (uint32_t)getpid(),
			      .uid = getuid(), .gid = getgid() };
	FILE *f = fopen("/proc/self/comm", "r");

	if (f) {
		if (fgets(t.comm, sizeof(t.comm), f))
			t.comm[strcspn(t.comm, "\n")] = '\0';
		fclose(f);
	}
	env_set_task(env, &t);
}

static void diff_object(const char *path, const char *pin_root, struct counts *n)
{
	struct obj *ko = NULL, *oo = NULL;
	struct ldr_obj *lo = NULL;
	struct env *env = env_new();
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true, .pin_root = pin_root);
	struct env_load_opts eo = { .sz = sizeof(eo), .keep_going = true };
	struct bb_err e;
	size_t npk;
	const struct et_packet *pk = et_packets(&npk);
	bool any = false;

	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(path, NULL, &ko, &e), 0, "%s: %s", path, e.msg);
	for (size_t i = 0; i < obj_prog_count(ko); i++)
		any |= testable(obj_prog(ko, i)->prog_type);
	if (!any)
		goto out;
	cr_assert_eq(obj_open_file(path, NULL, &oo, &e), 0);
	if (ldr_obj_load(ko, &lopts, &lo, &e) < 0)
		goto out;       /* objects the kernel refuses are tests/loader's */
	/* The same externs and CO-RE as the kernel load. */
	obj_resolve_externs(oo, NULL, NULL);
	obj_core_relocate(oo, NULL, NULL);
	cr_assert_eq(env_set_cpu(env, 0, (uint32_t)map_host_possible_cpus()), 0);
	set_self(env);
	cr_assert_eq(env_load_obj(env, oo, &eo, &e), 0, "%s: %s", path, e.msg);
	for (size_t i = 0; i < ldr_obj_prog_count(lo); i++) {
		const struct ldr_obj_prog *kp = ldr_obj_prog(lo, i);
		struct env_prog *p = env_prog(env, i);

		if (kp->fd < 0 || !testable(kp->prog_type) || env_prog_error(p))
			continue;
		n->progs++;
		for (size_t k = 0; k < npk; k++)
			run_both(path, env, p, kp->fd, &pk[k], n);
	}
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++)
		compare_map(path, env_map(env, i), ldr_obj_map(lo, i), n);
out:
	ldr_obj_free(lo);
	obj_free(ko);
	obj_free(oo);
	env_free(env);
}

Test(env_diff, corpus_programs_agree_with_the_kernel, .timeout = 300)
{
	char dir[512], pin_root[128], path[1024];
	struct counts n = { 0 };
	struct bb_err e;
	struct dirent *d;
	DIR *dh;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0) {
		cr_log_warn("env_diff: bpf() refused here, kernel comparison skipped: %s", e.msg);
		cr_skip_test("bpf() refused: %s", e.msg);
	}
	tu_repo_path("build/corpus", dir, sizeof(dir));
	dh = opendir(dir);
	cr_assert_not_null(dh, "no %s: run `make corpus` first", dir);
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/barebpf_env_diff_%d", getpid());
	cr_assert(mkdir(pin_root, 0700) == 0 || errno == EEXIST, "mkdir %s", pin_root);
	while ((d = readdir(dh))) {
		size_t l = strlen(d->d_name);

		if (l < 6 || strcmp(d->d_name + l - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		diff_object(path, pin_root, &n);
	}
	closedir(dh);
	/* Maps pinned by name during the loads. */
	dh = opendir(pin_root);
	while (dh && (d = readdir(dh))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", pin_root, d->d_name);
		unlink(path);
	}
	if (dh)
		closedir(dh);
	rmdir(pin_root);
	fprintf(stderr, "env_diff: %d programs, %d runs (%d inputs refused by both), %d maps (%d elements) agree with the kernel; %d maps of types not compared\n",
		n.progs, n.runs, n.refused, n.maps, n.elems, n.skipped_maps);
	cr_assert_gt(n.progs, 10);
}
