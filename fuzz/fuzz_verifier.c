/* SPDX-License-Identifier: MIT */
/*
 * fuzz_verifier - two things per input:
 *   1. the raw bytes as instructions straight into vf_verify() (any
 *      program type from the first byte): it must never crash;
 *   2. the bytes as the seed of the structured generator
 *      (tests/verifier/vf_gen.h): a program it accepts must run without a
 *      fault in the checked interpreter on a few random inputs; a fault
 *      is a soundness bug and aborts with the program printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb_uapi.h"
#include "interp/vm.h"
#include "tests/verifier/vf_gen.h"
#include "verifier/vf.h"

static uint64_t rng;
static uint64_t rand_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			    struct vm_call *call)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)call;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % 3 ? rng % 80 : (uint32_t)rng;
}

/* map 0 of the generated programs: hash, key 4, value 64 (vf_gen.h). */
static uint8_t map_value[64];
static uint64_t lookup_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			      struct vm_call *call)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)call;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng & 1 ? (uint64_t)(uintptr_t)map_value : 0;
}

static int resolve_map(void *ctx, uint32_t pc, uint8_t src, uint32_t imm, uint32_t off,
		       uint64_t *value, struct bb_err *e)
{
	(void)ctx; (void)pc; (void)src; (void)imm; (void)off; (void)e;
	*value = 0x1000;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t types[] = { BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_XDP,
					  BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_KPROBE };
	static const struct vf_map maps[] = {
		{ "h", BPF_MAP_TYPE_HASH, 4, 8, 16, 0, NULL }, { "a", BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0, NULL },
		{ "rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, NULL },
	};
	struct vf_result r;
	struct isa_raw buf[128];
	static const struct vf_map gmaps[] = { { "m", BPF_MAP_TYPE_HASH, 4, 64, 16, 0, NULL } };
	struct vfg g = { .s = 0x9e3779b97f4a7c15ull, .p = buf, .cap = 128, .maps = true };
	size_t n;

	if (size >= 9) {
		struct vf_opts o = { .sz = sizeof(o), .prog_type = types[data[0] % 4], .maps = maps,
				     .map_cnt = 3, .log_level = data[0] & 0x10 ? 2 : 0,
				     .func_info = data[0] & 0x20 };  /* subprog[] refs, callbacks */

		size_t cnt = (size - 1) / 8;
		struct isa_raw *raw = malloc(cnt * sizeof(*raw));

		if (raw) {
			memcpy(raw, data + 1, cnt * sizeof(*raw));
			vf_verify(raw, cnt, &o, &r, NULL);
			vf_result_free(&r);
			free(raw);
		}
	}
	for (size_t i = 0; i < size; i++)
		g.s = (g.s ^ data[i]) * 0x100000001b3ull;
	if (!g.s)
		g.s = 1;
	n = vfg_program(&g);
	if (n) {
		struct vf_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
				     .maps = gmaps, .map_cnt = 1 };

		vf_verify(buf, n, &o, &r, NULL);
		if (!r.err) {
			struct vm_helpers *h = vm_helpers_new();
			struct vm *vm;
			struct bb_err e;

			vm_helpers_add(h, 7, NULL, rand_helper);
			vm_helpers_add(h, 1, NULL, lookup_helper);
			vm = vm_new(h);
			vm_set_map_resolver(vm, resolve_map, NULL);
			vm_add_region(vm, map_value, sizeof(map_value), true, "map value");
			if (vm_load(vm, buf, n, &e) == 0) {
				for (int k = 0; k < 4; k++) {
					struct vm_run_opts ro = { .checked = true, .budget = 100000 };
					uint64_t r0;

					rng = g.s + (uint64_t)k * 0x9e3779b97f4a7c15ull + 1;
					if (vm_run(vm, NULL, 0, &ro, &r0, &e)) {
						fprintf(stderr, "accepted program faults: %s\n", e.msg);
						isa_disasm(buf, n, ISA_SYNTAX_PSEUDO_C, true, stderr, NULL);
						abort();
					}
				}
			}
			vm_free(vm);
			vm_helpers_free(h);
		}
		vf_result_free(&r);
	}
	return 0;
}
