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
 * Best of N runs per measurement; the machine's noise shows as the
 * spread between runs, so N is a knob.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "elf/obj.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

#define BEST(runs, best, body)                                  \
	do {                                                    \
		best = 1e30;                                    \
		for (int r_ = 0; r_ < (runs); r_++) {           \
			double t0_ = now_us(), t_;              \
			body;                                   \
			t_ = now_us() - t0_;                    \
			if (t_ < best)                          \
				best = t_;                      \
		}                                               \
	} while (0)

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_obj(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && !strcmp(d->d_name + n - 6, ".bpf.o");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../build/corpus";
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	double ours, theirs, core, index, sum_ours = 0, sum_theirs = 0, sum_core = 0;
	double sum_open = 0;
	struct dirent **names;
	struct bbtf *vmlinux = NULL;
	struct bb_err e;
	int n, failed = 0, compared = 0;

	libbpf_set_print(quiet);
	if (runs < 1)
		runs = 1;

	BEST(runs, ours, {
		struct bbtf *b = NULL;

		bb_err_clear(&e);
		if (bbtf_load_vmlinux(NULL, &b, &e)) {
			fprintf(stderr, "bench_obj: vmlinux BTF: %s\n", e.msg);
			return 1;
		}
		bbtf_free(b);
	});
	BEST(runs, theirs, {
		struct btf *b = btf__parse("/sys/kernel/btf/vmlinux", NULL);

		if (!b) {
			fprintf(stderr, "bench_obj: libbpf cannot parse vmlinux BTF\n");
			return 1;
		}
		btf__free(b);
	});
	/* The first name lookup builds the index; timed apart from the parse. */
	index = 1e30;
	for (int r = 0; r < runs; r++) {
		struct bbtf *b = NULL;
		double t0, t;
		int id;

		if (bbtf_load_vmlinux(NULL, &b, &e))
			return 1;
		t0 = now_us();
		id = bbtf_find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT);
		t = now_us() - t0;
		bbtf_free(b);
		if (id < 0) {
			fprintf(stderr, "bench_obj: no task_struct in vmlinux BTF\n");
			return 1;
		}
		if (t < index)
			index = t;
	}
	printf("best of %d runs; ratio = barebpf time / libbpf time\n", runs);
	printf("barebpf: full validation, file mapped where sysfs allows; libbpf %u.%u: btf__parse()\n\n",
	       libbpf_major_version(), libbpf_minor_version());
	printf("%-34s %12s %12s %8s\n", "vmlinux BTF", "barebpf us", "libbpf us", "ratio");
	printf("%-34s %12.0f %12.0f %8.2f\n", "parse + validate", ours, theirs, ours / theirs);
	printf("%-34s %12.0f %12s %8s\n", "first lookup (builds name index)", index, "-", "-");
	printf("%-34s %12.0f %12.0f %8.2f\n\n", "parse + first lookup", ours + index, theirs,
	       (ours + index) / theirs);

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
	printf("%-22s %10s %10s %10s %10s %7s\n", "object", "open us", "CO-RE us",
	       "total us", "libbpf us", "ratio");
	for (int i = 0; i < n; i++) {
		char path[4096];
		int ok = 1;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		BEST(runs, ours, {
			struct obj *o = NULL;

			bb_err_clear(&e);
			if (obj_open_file(path, NULL, &o, &e))
				ok = 0;
			obj_free(o);
		});
		/* CO-RE alone: open outside the timed part. */
		core = 1e30;
		for (int r = 0; r < runs && ok; r++) {
			struct obj_core_opts co = { .sz = sizeof(co), .target = vmlinux };
			struct obj *o = NULL;
			double t0, t;

			bb_err_clear(&e);
			if (obj_open_file(path, NULL, &o, &e)) {
				ok = 0;
				break;
			}
			t0 = now_us();
			if (obj_core_relocate(o, &co, &e))
				ok = 0;
			t = now_us() - t0;
			if (t < core)
				core = t;
			obj_free(o);
		}
		BEST(runs, theirs, {
			struct bpf_object *bo = bpf_object__open_file(path, NULL);

			if (libbpf_get_error(bo))
				theirs = -1;
			else
				bpf_object__close(bo);
		});
		if (!ok) {
			printf("%-22s barebpf: %s\n", names[i]->d_name, e.msg);
			failed++;
		} else if (theirs < 0) {
			printf("%-22s %10.0f %10.0f %10.0f %10s %7s  (libbpf 1.1 cannot open it)\n",
			       names[i]->d_name, ours, core, ours + core, "-", "-");
		} else {
			printf("%-22s %10.0f %10.0f %10.0f %10.0f %7.2f\n", names[i]->d_name, ours,
			       core, ours + core, theirs, (ours + core) / theirs);
			sum_ours += ours + core;
			sum_open += ours;
			sum_theirs += theirs;
			compared++;
		}
		sum_core += core;
		free(names[i]);
	}
	free(names);
	bbtf_free(vmlinux);
	if (compared) {
		printf("%-22s %10.0f %10s %10.0f %10.0f %7.2f  (%d objects both open)\n\n", "sum",
		       sum_open, "", sum_ours, sum_theirs, sum_ours / sum_theirs, compared);
		printf("open only:   barebpf obj_open_file %8.0f us  libbpf bpf_object__open_file %8.0f us  ratio %.2f\n",
		       sum_open, sum_theirs, sum_open / sum_theirs);
		printf("open + CO-RE: barebpf              %8.0f us  libbpf (CO-RE at load)       %8.0f us  ratio %.2f\n",
		       sum_ours, sum_theirs, sum_ours / sum_theirs);
		printf("(barebpf open = parse ELF+BTF+.BTF.ext, record and apply relocations, link\n"
		       " subprograms; CO-RE against vmlinux parsed once; libbpf open = parse and\n"
		       " collect relocations, applied later at load)\n");
	}
	return failed ? 1 : 0;
}
