/* SPDX-License-Identifier: MIT */
/*
 * bench/native.h - the baselines the interpreter and JIT benches share:
 * the three algorithms in plain C (built with gcc -O2 in the same binary),
 * their inputs behind volatiles so gcc cannot fold them, the clock, and the
 * row type.  Header-only because each bench is its own program.
 */
#ifndef BAREBPF_BENCH_NATIVE_H
#define BAREBPF_BENCH_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "isa/isa.h"

#define FNV_LEN (64 * 1024)

static volatile uint64_t xorshift_seed = 88172645463325252ull;
static volatile uint64_t xorshift_iters = 1000000;
static volatile uint64_t prime_n = 1000003;
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

#endif
