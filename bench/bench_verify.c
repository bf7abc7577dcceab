/* SPDX-License-Identifier: MIT */
/*
 * bench_verify - barebpf's verifier next to the kernel's on the corpus:
 * per program, our best-of-N verification time and the kernel's own
 * "verification time N usec" (log_level 4 statistics) on the same
 * program; totals; and the arena memory of the largest program.
 *   bench_verify CORPUS_DIR [RUNS]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "elf/obj.h"
#include "loader/ldr.h"
#include "verifier/vf.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* vmlinux BTF, loaded once, for tp_btf programs and kfunc calls */
static const void *give_vmlinux(void *arg) { return arg; }

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../build/corpus";
	int runs = argc > 2 ? atoi(argv[2]) : 15;
	double ours_total = 0, kern_total = 0;
	size_t peak_mem = 0, peak_n = 0;
	char peak_name[128] = "";
	struct dirent *de;
	struct bb_err e;
	bool kernel;
	struct bbtf *vmlinux = NULL;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "bench_verify: %s: no corpus (make corpus)\n", dir);
		return 1;
	}
	bb_err_clear(&e);
	kernel = ldr_probe_bpf(&e) == 0;
	if (!kernel)
		printf("bpf() refused (%s): kernel times not shown\n", e.msg);
	if (bbtf_load_vmlinux(NULL, &vmlinux, NULL))
		vmlinux = NULL;         /* tp_btf arguments stay scalars */
	printf("%-22s %-26s %6s %10s %10s  %s\n", "object", "program", "insns", "ours us", "kernel us",
	       "verdicts");
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char path[1024];
		struct obj *o, *ko;
		struct ldr_obj *lo = NULL;

		if (l < 6 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (obj_open_file(path, NULL, &o, &e) || obj_open_file(path, NULL, &ko, &e)) {
			fprintf(stderr, "%s: %s\n", path, e.msg);
			continue;
		}
		if (kernel) {
			LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true, .log_level = 4);

			if (ldr_obj_load(ko, &lopts, &lo, &e) < 0)
				lo = NULL;
		}
		obj_resolve_externs(o, NULL, NULL);
		for (size_t i = 0; i < obj_prog_count(o); i++) {
			const struct obj_prog *p = obj_prog(o, i);
			struct vf_obj_prog vp;
			struct vf_result r;
			double best = 1e18, kus = -1;
			const struct ldr_obj_prog *kp = NULL;
			long n;

			/* the same setup as `barebpf verify` and the corpus test */
			if (vf_obj_prog_setup(o, i, give_vmlinux, vmlinux, &vp, &e)) {
				fprintf(stderr, "%s: %s: %s\n", path, p->name, e.msg);
				continue;
			}
			n = (long)vp.n;
			for (int k = 0; k < runs; k++) {
				double t0 = now_us(), t;

				vf_verify(vp.insns, vp.n, &vp.opts, &r, NULL);
				t = now_us() - t0;
				if (t < best)
					best = t;
				if (k + 1 < runs)
					vf_result_free(&r);
			}
			if (lo && ldr_obj_prog_by_name(lo, p->name) >= 0)
				kp = ldr_obj_prog(lo, (size_t)ldr_obj_prog_by_name(lo, p->name));
			if (kp && kp->log.buf) {
				const char *v = strstr(kp->log.buf, "verification time ");

				if (v)
					kus = atof(v + 18);
			}
			printf("%-22.22s %-26.26s %6ld %10.0f %10.0f  ours %s, kernel %s\n", de->d_name, p->name,
			       n, best, kus, r.err ? "reject" : "accept",
			       !kp ? "-" : kp->err ? "reject" : "accept");
			/* Totals over programs both verdicts and times exist for. */
			if (kus >= 0) {
				ours_total += best;
				kern_total += kus;
			}
			if ((size_t)n > peak_n) {
				peak_n = (size_t)n;
				peak_mem = r.peak_mem;
				snprintf(peak_name, sizeof(peak_name), "%s", p->name);
			}
			vf_result_free(&r);
			vf_obj_prog_free(&vp);
		}
		ldr_obj_free(lo);
		obj_free(o);
		obj_free(ko);
	}
	closedir(d);
	bbtf_free(vmlinux);
	printf("total verification time (programs the kernel timed): barebpf %.0f us, kernel %.0f us\n",
	       ours_total, kern_total);
	printf("largest program %s (%zu insns): barebpf state arena %zu KiB\n", peak_name, peak_n,
	       peak_mem >> 10);
	return 0;
}
