/* SPDX-License-Identifier: MIT */
/*
 * bench_obj - opening BPF objects and BTF: barebpf next to libbpf, in the
 * same run on the same files.
 *
 * libbpf (Debian's libbpf-dev) is linked into THIS bench binary only, as a
 * yardstick; barebpf itself never links it.  What is compared:
 *
 *   vmlinux BTF   bbtf_load_vmlinux()       vs btf__parse()
 *                 (maps /sys/kernel/btf/vmlinux    (libbpf 1.1 reads it; light
 *                  on 6.16+, full validation:       checks: offsets, ids in
 *                  every kind, name, id, cycle,     range; no index: every
 *                  size; no index yet)              lookup is a scan)
 *                 + first lookup: builds our name index (once per BTF)
 *   per object    obj_open_file()            vs bpf_object__open_file()
 *                 (parse, record and apply      (parse, collect relocations;
 *                  relocations, link calls)      libbpf applies them at load)
 *                 + obj_core_relocate()         (libbpf has no offline CO-RE:
 *                  against vmlinux BTF           it runs inside bpf_object__load,
 *                  parsed once, as libbpf's      which needs the kernel)
 *                  load caches it)
 *
 * Two clocks per measurement, best of N runs each: wall time
 * (CLOCK_MONOTONIC) and the process's CPU time (CLOCK_PROCESS_CPUTIME_ID,
 * user + system, so libbpf's read() calls on sysfs and our page faults
 * both count).  On a loaded machine wall time also counts the time other
 * processes held the CPU, so the ratios are taken on CPU time; the wall
 * ratio is printed next to it.  The two sides alternate run by run, so
 * both see the same load.
 *
 * Both vmlinux parses start from a trimmed heap (malloc_trim(0)), as the
 * one parse of a program that has just started does.  Without it each
 * side ran on whatever heap the other left: libbpf's 5.5 MB read buffer
 * came from pages our last run had or had not handed back, so its best
 * time moved from 7.6 to 5.4 ms when only our allocations changed.
 * Object opens allocate little and stay on a warm heap, as before.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "elf/obj.h"

static double clock_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Best wall and best CPU time seen so far. */
struct best {
	double wall, cpu;
};

#define BEST_INIT ((struct best){ 1e30, 1e30 })

/* Run @body once, timed on both clocks into @b. */
#define TIMED(b, body)                                                          \
	do {                                                                    \
		double w0_ = clock_us(CLOCK_MONOTONIC);                         \
		double c0_ = clock_us(CLOCK_PROCESS_CPUTIME_ID), w_, c_;        \
		body;                                                           \
		c_ = clock_us(CLOCK_PROCESS_CPUTIME_ID) - c0_;                  \
		w_ = clock_us(CLOCK_MONOTONIC) - w0_;                           \
		if (w_ < (b).wall)                                              \
			(b).wall = w_;                                          \
		if (c_ < (b).cpu)                                               \
			(b).cpu = c_;                                           \
	} while (0)

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_obj(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && !strcmp(d->d_name + n - 6, ".bpf.o");
}

static void row(const char *what, struct best ours, struct best theirs)
{
	printf("%-34s %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f\n", what, ours.cpu, ours.wall,
	       theirs.cpu, theirs.wall, ours.cpu / theirs.cpu, ours.wall / theirs.wall);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../build/corpus";
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	struct best ours, theirs, index, core, sum_open = { 0, 0 }, sum_all = { 0, 0 };
	struct best sum_theirs = { 0, 0 };
	struct dirent **names;
	struct bbtf *vmlinux = NULL;
	struct bb_err e;
	int n, failed = 0, compared = 0;

	libbpf_set_print(quiet);
	if (runs < 1)
		runs = 1;

	ours = theirs = index = BEST_INIT;
	for (int r = 0; r < runs; r++) {
		struct bbtf *b = NULL;
		struct btf *lb = NULL;
		int id = 0;

		bb_err_clear(&e);
		malloc_trim(0);
		TIMED(ours, {
			if (bbtf_load_vmlinux(NULL, &b, &e)) {
				fprintf(stderr, "bench_obj: vmlinux BTF: %s\n", e.msg);
				return 1;
			}
		});
		/* The first name lookup builds the index; timed apart. */
		TIMED(index, id = bbtf_find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT));
		bbtf_free(b);
		if (id < 0) {
			fprintf(stderr, "bench_obj: no task_struct in vmlinux BTF\n");
			return 1;
		}
		malloc_trim(0);
		TIMED(theirs, lb = btf__parse("/sys/kernel/btf/vmlinux", NULL));
		if (!lb) {
			fprintf(stderr, "bench_obj: libbpf cannot parse vmlinux BTF\n");
			return 1;
		}
		btf__free(lb);
	}
	printf("best of %d runs each; cpu = CLOCK_PROCESS_CPUTIME_ID (user+sys), wall = CLOCK_MONOTONIC\n",
	       runs);
	printf("ratio = barebpf / libbpf, taken on CPU time (wall ratio next to it)\n");
	printf("barebpf: full validation, file mapped where sysfs allows; libbpf %u.%u: btf__parse();\n"
	       "each vmlinux parse starts from a trimmed heap (malloc_trim), as a program's first does\n\n",
	       libbpf_major_version(), libbpf_minor_version());
	printf("%-34s %9s %9s %9s %9s %8s %8s\n", "vmlinux BTF", "ours cpu", "ours wall",
	       "lbpf cpu", "lbpf wall", "ratio", "wall rt");
	row("parse + validate", ours, theirs);
	printf("%-34s %9.0f %9.0f %9s %9s %8s %8s\n", "first lookup (builds name index)",
	       index.cpu, index.wall, "-", "-", "-", "-");
	row("parse + first lookup",
	    (struct best){ ours.wall + index.wall, ours.cpu + index.cpu }, theirs);
	printf("\n");

	bb_err_clear(&e);
	if (bbtf_load_vmlinux(NULL, &vmlinux, &e)) {
		fprintf(stderr, "bench_obj: vmlinux BTF: %s\n", e.msg);
		return 1;
	}
	n = scandir(dir, &names, is_obj, by_name);
	if (n <= 0) {
		fprintf(stderr, "bench_obj: no *.bpf.o in %s (run `make corpus`)\n", dir);
		bbtf_free(vmlinux);
		return 1;
	}
	printf("%-22s %9s %9s %9s %9s %9s %8s %8s\n", "object (us)", "open cpu", "open wall",
	       "CO-RE cpu", "lbpf cpu", "lbpf wall", "open rt", "wall rt");
	for (int i = 0; i < n; i++) {
		char path[4096];
		int ok = 1, lok = 1;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		ours = theirs = core = BEST_INIT;
		for (int r = 0; r < runs && ok; r++) {
			struct obj_core_opts co = { .sz = sizeof(co), .target = vmlinux };
			struct bpf_object *bo = NULL;
			struct obj *o = NULL;

			bb_err_clear(&e);
			TIMED(ours, ok = !obj_open_file(path, NULL, &o, &e));
			/* CO-RE alone, on the object just opened. */
			if (ok)
				TIMED(core, ok = !obj_core_relocate(o, &co, &e));
			obj_free(o);
			TIMED(theirs, bo = bpf_object__open_file(path, NULL));
			if (libbpf_get_error(bo))
				lok = 0;
			else
				bpf_object__close(bo);
		}
		if (!ok) {
			printf("%-22s barebpf: %s\n", names[i]->d_name, e.msg);
			failed++;
		} else if (!lok) {
			printf("%-22s %9.0f %9.0f %9.0f %9s %9s %8s %8s  (libbpf 1.1 cannot open it)\n",
			       names[i]->d_name, ours.cpu, ours.wall, core.cpu, "-", "-", "-", "-");
		} else {
			printf("%-22s %9.0f %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f\n", names[i]->d_name,
			       ours.cpu, ours.wall, core.cpu, theirs.cpu, theirs.wall,
			       ours.cpu / theirs.cpu, ours.wall / theirs.wall);
			sum_open.cpu += ours.cpu;
			sum_open.wall += ours.wall;
			sum_all.cpu += ours.cpu + core.cpu;
			sum_all.wall += ours.wall + core.wall;
			sum_theirs.cpu += theirs.cpu;
			sum_theirs.wall += theirs.wall;
			compared++;
		}
		free(names[i]);
	}
	free(names);
	bbtf_free(vmlinux);
	if (compared) {
		printf("\nsum over the %d objects both open (us)   %9s %9s %9s %9s %8s %8s\n", compared,
		       "ours cpu", "ours wall", "lbpf cpu", "lbpf wall", "ratio", "wall rt");
		printf("%-40s %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f\n",
		       "open: obj_open_file vs open_file", sum_open.cpu, sum_open.wall,
		       sum_theirs.cpu, sum_theirs.wall, sum_open.cpu / sum_theirs.cpu,
		       sum_open.wall / sum_theirs.wall);
		printf("%-40s %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f\n",
		       "open + CO-RE vs open_file (CO-RE at load)", sum_all.cpu, sum_all.wall,
		       sum_theirs.cpu, sum_theirs.wall, sum_all.cpu / sum_theirs.cpu,
		       sum_all.wall / sum_theirs.wall);
		printf("(ratios on CPU time.  barebpf open = parse ELF+BTF+.BTF.ext, record and apply\n"
		       " relocations, link subprograms; CO-RE against vmlinux parsed once; libbpf open =\n"
		       " parse and collect relocations, applied later at load)\n");
	}
	return failed ? 1 : 0;
}
