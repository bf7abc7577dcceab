/* SPDX-License-Identifier: MIT */
/*
 * bench/native.h - the baselines the interpreter and JIT benches share:
 * the three algorithms in plain C (built with gcc -O2 in the same binary),
 * their inputs behind volatiles so gcc cannot fold them, the clock, the
 * rows (BPF program of progs.h + its C twin) and the input buffer's fill.
 * Header-only because each bench is its own program.
 */
#ifndef BAREBPF_BENCH_NATIVE_H
#define BAREBPF_BENCH_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "bench/progs.h"
#include "isa/isa.h"

#define FNV_LEN (64 * 1024)

/* The inputs once as constants: bench_rows[] needs them in a static
 * initializer, which cannot read the volatiles the C side goes through. */
#define XORSHIFT_SEED 88172645463325252ull
#define XORSHIFT_ITERS 1000000
#define PRIME_N 1000003

static volatile uint64_t xorshift_seed = XORSHIFT_SEED;
static volatile uint64_t xorshift_iters = XORSHIFT_ITERS;
static volatile uint64_t prime_n = PRIME_N;
static uint8_t fnv_data[FNV_LEN];

static __attribute__((noinline, unused)) uint64_t xorshift_c(uint64_t x, uint64_t n)
{
	do {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	} while (--n);
	return x;
}

static __attribute__((noinline, unused)) uint64_t fnv1a_c(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static __attribute__((noinline, unused)) uint64_t prime_c(uint64_t n)
{
	for (uint64_t i = 2; i < n; i++)
		if (n % i == 0)
			return 0;
	return 1;
}

static __attribute__((unused)) double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One bench row: a BPF program and how to call it. */
struct bench {
	const char *name;
	const struct isa_raw *prog;
	size_t n;
	uint64_t r1, r2;        /* for programs without input memory */
	bool uses_mem;
};

/* Both benches print one line per row in this order (bench_jit's target[]
 * follows it). */
static const struct bench bench_rows[] = {
	{ "xorshift64", prog_xorshift, BB_ARRAY_SIZE(prog_xorshift),
	  XORSHIFT_SEED, XORSHIFT_ITERS, false },
	{ "fnv1a-64k", prog_fnv1a, BB_ARRAY_SIZE(prog_fnv1a), 0, 0, true },
	{ "prime", prog_prime, BB_ARRAY_SIZE(prog_prime), PRIME_N, 0, false },
};

/* The C twin of row @b, on the same inputs. */
static __attribute__((unused)) uint64_t run_native(const struct bench *b)
{
	if (!strcmp(b->name, "xorshift64"))
		return xorshift_c(xorshift_seed, xorshift_iters);
	if (!strcmp(b->name, "fnv1a-64k"))
		return fnv1a_c(fnv_data, sizeof(fnv_data));
	return prime_c(prime_n);
}

/* Call once before any row runs.  Deterministic, not constant: an LCG
 * fills the hashed buffer, so results repeat from run to run. */
static __attribute__((unused)) void bench_native_init(void)
{
	for (size_t i = 0, x = 12345; i < sizeof(fnv_data); i++) {
		x = x * 1103515245 + 12345;
		fnv_data[i] = (uint8_t)(x >> 16);
	}
}

#endif
