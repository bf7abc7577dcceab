/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_jit.c - the x86-64 JIT against gcc -O2, the interpreter and
 * the kernel's JIT.
 *
 *   bench_jit [runs] [corpus-dir]
 *
 * 1. xorshift64, FNV-1a over 64 KiB and trial division of 1,000,003
 *    (bench/progs.h) through jit_run, the same C compiled with -O2 in this
 *    binary, and vm_run; best of `runs` each; results must agree.
 * 2. The kernel's JIT on the same bytecode: an XDP program (the oracle's
 *    prolog + a 4000-iteration xorshift loop the verifier can walk) run
 *    with BPF_PROG_TEST_RUN repeat 250 (10^6 iterations; its duration is
 *    ns per run), against jit_run of the same program on the same memory.
 * 3. Compile speed on the largest program of build/corpus (*.bpf.o).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/native.h"
#include "elf/obj.h"
#include "interp/vm.h"
#include "jit-x86_64/jit.h"
#include "loader/ldr.h"

static int time_jit(struct jit_prog *jp, const struct bench *b, int runs, double *best,
		    uint64_t *r0)
{
	struct jit_run_opts o = { .set_regs = !b->uses_mem, .r1 = b->r1, .r2 = b->r2 };
	struct bb_err e;
	char buf[512];

	*best = 1e30;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ns(), t;
		int ret = jit_run_opts(jp, b->uses_mem ? fnv_data : NULL,
				       b->uses_mem ? sizeof(fnv_data) : 0, &o, r0, &e);

		t = now_ns() - t0;
		if (ret) {
			fprintf(stderr, "%s: %s\n", b->name, bb_err_str(&e, buf, sizeof(buf)));
			return ret;
		}
		if (t < *best)
			*best = t;
	}
	return 0;
}

static int time_vm(struct vm *vm, const struct bench *b, int runs, double *best, uint64_t *r0)
{
	struct vm_run_opts o = { .set_regs = !b->uses_mem, .r1 = b->r1, .r2 = b->r2 };
	struct bb_err e;

	*best = 1e30;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ns(), t;

		if (vm_run(vm, b->uses_mem ? fnv_data : NULL, b->uses_mem ? sizeof(fnv_data) : 0,
			   &o, r0, &e))
			return -1;
		t = now_ns() - t0;
		if (t < *best)
			*best = t;
	}
	return 0;
}

/* 4000 xorshift64 steps on the seed at mem+8: small enough for the
 * verifier to walk, long enough that test_run's per-run cost is noise. */
#define I(c, d, s, o, i) { .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) }
static const struct isa_raw prog_kloop[] = {
	I(0xb7, 3, 0, 0, 4000),         /* r3 = 4000 */
	I(0x79, 0, 1, 8, 0),            /* r0 = *(u64 *)(r1 + 8) */
	I(0xbf, 4, 0, 0, 0),            /* loop: r4 = r0 */
	I(0x67, 4, 0, 0, 13),
	I(0xaf, 0, 4, 0, 0),
	I(0xbf, 4, 0, 0, 0),
	I(0x77, 4, 0, 0, 7),
	I(0xaf, 0, 4, 0, 0),
	I(0xbf, 4, 0, 0, 0),
	I(0x67, 4, 0, 0, 17),
	I(0xaf, 0, 4, 0, 0),
	I(0x17, 3, 0, 0, 1),            /* r3 -= 1 */
	I(0x55, 3, 0, -11, 0),          /* if r3 != 0 goto loop */
	I(0x95, 0, 0, 0, 0),
};
#undef I
#define KLOOP_ITERS 4000
#define KLOOP_REPEAT 250

static void kernel_jit(int runs)
{
	uint8_t mem[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 0x9c, 0x5a, 0x13, 0x37, 0x42, 0x24, 0x11, 0x88 };
	struct jit_prog *jp = NULL;
	double best_k = 1e30, best_j = 1e30;
	uint64_t r_j = 0, r_k = 0;
	struct bb_err e;
	char buf[512];

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e)) {
		printf("\nkernel JIT: skipped, bpf() refused: %s\n", bb_err_str(&e, buf, sizeof(buf)));
		return;
	}
	for (int i = 0; i < (runs < 5 ? runs : 5); i++) {
		LDR_OPTS(ldr_oracle_opts, o, .name = "bench_kloop", .mem = mem, .mem_len = sizeof(mem),
			 .repeat = KLOOP_REPEAT);

		if (ldr_oracle_run(prog_kloop, BB_ARRAY_SIZE(prog_kloop), &o, &e)) {
			printf("\nkernel JIT: %s\n", bb_err_str(&e, buf, sizeof(buf)));
			return;
		}
		r_k = o.r0;
		if (o.duration_ns < best_k)
			best_k = o.duration_ns;
	}
	if (jit_compile(prog_kloop, BB_ARRAY_SIZE(prog_kloop), NULL, NULL, &jp, &e)) {
		printf("\nkernel JIT: ours failed: %s\n", bb_err_str(&e, buf, sizeof(buf)));
		return;
	}
	for (int i = 0; i < runs * 10; i++) {
		double t0 = now_ns(), t;

		jit_run(jp, mem, sizeof(mem), &r_j, &e);
		t = now_ns() - t0;
		if (t < best_j)
			best_j = t;
	}
	jit_free(jp);
	printf("\nsame bytecode, %d-iteration xorshift loop per run (XDP, test_run repeat %d):\n",
	       KLOOP_ITERS, KLOOP_REPEAT);
	printf("  %-22s %10.1f ns/run  %6.3f ns/iter\n", "kernel JIT", best_k, best_k / KLOOP_ITERS);
	printf("  %-22s %10.1f ns/run  %6.3f ns/iter\n", "barebpf JIT", best_j, best_j / KLOOP_ITERS);
	printf("  ratio barebpf/kernel  %6.2f   results %s (0x%016" PRIx64 ")\n", best_j / best_k,
	       r_j == r_k ? "agree" : "DIFFER", r_j);
}

/* Compile only: map references load the address of a zeroed scratch
 * area (the programs are never run here). */
static uint8_t scratch[4096];

static int scratch_maps(void *ctx, uint32_t pc, uint8_t src, uint32_t imm, uint32_t off,
			uint64_t *value, struct bb_err *e)
{
	*value = (uint64_t)(uintptr_t)scratch + (src == 2 || src == 6 ? off % 2048 : 0);
	return 0;
}

static void compile_speed(const char *dir, int runs)
{
	struct isa_raw *best = NULL;
	size_t best_n = 0;
	char best_name[512] = "";
	struct dirent **names;
	int n = dir ? scandir(dir, &names, NULL, alphasort) : -1;

	if (n < 0) {
		printf("\ncompile speed: no corpus directory (%s)\n", dir ? dir : "none given");
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		char path[1024];
		struct obj *o = NULL;
		struct bb_err e;

		if (len > 6 && !strcmp(names[i]->d_name + len - 6, ".bpf.o")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			if (!obj_open_file(path, NULL, &o, &e)) {
				for (size_t p = 0; p < obj_prog_count(o); p++) {
					struct isa_raw *insns = NULL;
					long ni = obj_prog_insns(o, p, NULL, 0, &insns, &e);

					if (ni > (long)best_n) {
						free(best);
						best = insns;
						best_n = (size_t)ni;
						snprintf(best_name, sizeof(best_name), "%s:%s",
							 names[i]->d_name, obj_prog(o, p)->name);
					} else {
						free(insns);
					}
				}
			}
			obj_free(o);
		}
		free(names[i]);
	}
	free(names);
	if (!best) {
		printf("\ncompile speed: no program in %s\n", dir);
		return;
	}
	{
		struct vm_helpers *h = vm_helpers_new();
		struct jit_opts jo = { .map_resolver = scratch_maps };
		double best_ns = 1e30;
		size_t size = 0;
		unsigned passes = 0;
		struct bb_err e;
		char buf[512];

		for (int i = 0; i < runs; i++) {
			struct jit_prog *jp = NULL;

			if (jit_compile(best, best_n, h, &jo, &jp, &e)) {
				printf("\ncompile speed: %s: %s\n", best_name, bb_err_str(&e, buf, sizeof(buf)));
				break;
			}
			if (jit_stats(jp)->compile_ns < best_ns)
				best_ns = (double)jit_stats(jp)->compile_ns;
			size = jit_stats(jp)->image_size;
			passes = jit_stats(jp)->passes;
			jit_free(jp);
		}
		if (best_ns < 1e30)
			printf("\ncompile speed: %s, %zu insns -> %zu bytes, %u passes: %.3f ms, %.0f insns/ms\n",
			       best_name, best_n, size, passes, best_ns / 1e6, best_n / (best_ns / 1e6));
		vm_helpers_free(h);
	}
	free(best);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 15;
	const char *corpus = argc > 2 ? argv[2] : NULL;
	/* JIT/native goal per row of bench_rows[], in its order. */
	static const double target[] = { 1.05, 1.05, 1.3 };
	int status = 0;

	_Static_assert(BB_ARRAY_SIZE(target) == BB_ARRAY_SIZE(bench_rows),
		       "one target per bench row");
	if (runs < 1)
		runs = 1;
	bench_native_init();
	printf("best of %d runs; JIT/native = JIT time / gcc -O2 time; interp/JIT = speedup\n\n", runs);
	printf("%-11s %9s %9s %10s %10s %7s %9s  %s\n", "program", "JIT ms", "native ms",
	       "interp ms", "JIT/native", "target", "interp/JIT", "result");
	for (size_t k = 0; k < BB_ARRAY_SIZE(bench_rows); k++) {
		const struct bench *b = &bench_rows[k];
		struct vm *vm = vm_new(NULL);
		struct jit_prog *jp = NULL;
		double t_jit, t_vm, t_native = 1e30;
		uint64_t r_jit, r_vm, r_native = 0;
		struct bb_err e;
		char buf[512];

		if (!vm || vm_load(vm, b->prog, b->n, &e) ||
		    jit_compile(b->prog, b->n, NULL, NULL, &jp, &e)) {
			fprintf(stderr, "%s: %s\n", b->name, bb_err_str(&e, buf, sizeof(buf)));
			return 1;
		}
		if (time_jit(jp, b, runs, &t_jit, &r_jit) ||
		    time_vm(vm, b, runs < 5 ? runs : 5, &t_vm, &r_vm))
			return 1;
		for (int i = 0; i < runs; i++) {
			double t0 = now_ns(), t;

			r_native = run_native(b);
			t = now_ns() - t0;
			if (t < t_native)
				t_native = t;
		}
		printf("%-11s %9.3f %9.3f %10.3f %10.2f %6.2fx %9.1f  0x%016" PRIx64 " %s\n",
		       b->name, t_jit / 1e6, t_native / 1e6, t_vm / 1e6, t_jit / t_native,
		       target[k], t_vm / t_jit, r_jit,
		       r_jit == r_native && r_vm == r_native ? "agree" : "DIFFER");
		if (r_jit != r_native || r_vm != r_native)
			status = 1;
		jit_free(jp);
		vm_free(vm);
	}
	kernel_jit(runs);
	compile_speed(corpus, runs);
	return status;
}
