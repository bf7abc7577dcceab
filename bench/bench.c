/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.c - interpreter speed next to the same algorithms in C.
 *
 *   bench_interp [runs]
 *
 * Runs each BPF program of progs.h through vm_run (fast mode, and once
 * more in checked mode for comparison) and the equivalent C function
 * compiled with -O2 in this binary, keeps the best of `runs` timings of
 * each, checks that both give the same result, and prints a table.  The C
 * functions take their inputs through volatile variables so gcc cannot
 * evaluate them at compile time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp/vm.h"
#include "bench/native.h"

/* Best-of-@runs time of one vm_run, in ns; result and insn count out. */
static int time_vm(struct vm *vm, const struct bench *b, bool checked, int runs,
		   double *best, uint64_t *r0, uint64_t *insns)
{
	struct vm_run_opts opts = {
		.checked = checked, .set_regs = !b->uses_mem, .r1 = b->r1, .r2 = b->r2,
	};
	struct bb_err e;
	char buf[512];

	*best = 1e30;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ns(), t;
		int ret = vm_run(vm, b->uses_mem ? fnv_data : NULL,
				 b->uses_mem ? sizeof(fnv_data) : 0, &opts, r0, &e);

		t = now_ns() - t0;
		if (ret) {
			fprintf(stderr, "%s: %s\n", b->name, bb_err_str(&e, buf, sizeof(buf)));
			return ret;
		}
		if (t < *best)
			*best = t;
	}
	*insns = vm_stats(vm)->insns;
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 15;
	int status = 0;

	if (runs < 1)
		runs = 1;
	bench_native_init();
	printf("best of %d runs; ratio = interpreter time / native time\n\n", runs);
	printf("%-11s %11s %8s %9s %9s %10s %7s  %s\n", "program", "BPF insns",
	       "ns/insn", "interp ms", "native ms", "checked ms", "ratio", "result (interp = native)");
	for (size_t k = 0; k < BB_ARRAY_SIZE(bench_rows); k++) {
		const struct bench *b = &bench_rows[k];
		struct vm *vm = vm_new(NULL);
		double t_fast, t_checked, t_native = 1e30;
		uint64_t r_fast, r_checked, r_native = 0, insns;
		struct bb_err e;
		char buf[512];

		if (!vm || vm_load(vm, b->prog, b->n, &e)) {
			fprintf(stderr, "%s: %s\n", b->name,
				vm ? bb_err_str(&e, buf, sizeof(buf)) : strerror(ENOMEM));
			return 1;
		}
		if (time_vm(vm, b, true, runs, &t_checked, &r_checked, &insns) ||
		    time_vm(vm, b, false, runs, &t_fast, &r_fast, &insns))
			return 1;
		for (int i = 0; i < runs; i++) {
			double t0 = now_ns(), t;

			r_native = run_native(b);
			t = now_ns() - t0;
			if (t < t_native)
				t_native = t;
		}
		printf("%-11s %11" PRIu64 " %8.3f %9.3f %9.3f %10.3f %7.2f  0x%016" PRIx64 " %s\n",
		       b->name, insns, t_fast / (double)insns, t_fast / 1e6,
		       t_native / 1e6, t_checked / 1e6, t_fast / t_native, r_fast,
		       r_fast == r_native && r_checked == r_native ? "agree" : "DIFFER");
		if (r_fast != r_native || r_checked != r_native) {
			fprintf(stderr, "%s: interpreter 0x%" PRIx64 " (checked 0x%" PRIx64
				") but native 0x%" PRIx64 "\n", b->name, r_fast, r_checked, r_native);
			status = 1;
		}
		vm_free(vm);
	}
	return status;
}
