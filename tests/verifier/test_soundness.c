/* SPDX-License-Identifier: MIT */
/*
 * Soundness batch: 20,000 generated programs (fixed seed, vf_gen.h:
 * ALU, guarded stack accesses, branches, loops, spills and narrow spills,
 * subprogram calls, map lookups with and without null checks; every third
 * program is XDP with direct packet accesses checked against data_end
 * rightly, wrongly or not at all, run on packets of 0-47 bytes).
 * Every program our verifier accepts runs in the checked interpreter on
 * several random inputs (prandom streams): any fault is a verifier bug
 * and the program is printed.  The first KERNEL_LOADS programs also go to
 * the kernel's verifier and the four agreement counts are printed;
 * we-accept-kernel-rejects must be zero (soundness suspects) unless the
 * interpreter runs show them safe and they are explained.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common/bb_uapi.h"
#include "interp/vm.h"
#include "loader/ldr.h"
#include "tests/verifier/vf_gen.h"
#include "verifier/vf.h"

#define PROGRAMS 20000
#define KERNEL_LOADS 3000
#define RUNS 4

static uint64_t helper_rng;
static uint64_t rand_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			    struct vm_call *call)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)call;
	helper_rng ^= helper_rng << 13;
	helper_rng ^= helper_rng >> 7;
	helper_rng ^= helper_rng << 17;
	/* Mostly small numbers (near the buffer bounds), sometimes any u32. */
	return helper_rng % 3 ? helper_rng % 80 : (uint32_t)helper_rng;
}

/* map 0 (hash, key 4, value 64): lookups hit a 64-byte value or miss. */
static uint8_t map_value[64];
static uint64_t lookup_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			      struct vm_call *call)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)call;
	helper_rng ^= helper_rng << 13;
	helper_rng ^= helper_rng >> 7;
	helper_rng ^= helper_rng << 17;
	return helper_rng & 1 ? (uint64_t)(uintptr_t)map_value : 0;
}

static int resolve_map(void *ctx, uint32_t pc, uint8_t src, uint32_t imm, uint32_t off,
		       uint64_t *value, struct bb_err *e)
{
	(void)ctx; (void)pc; (void)src; (void)imm; (void)off; (void)e;
	*value = 0x1000;                /* an opaque handle: only helper 1 takes it */
	return 0;
}

static void dump(const struct isa_raw *p, size_t n)
{
	isa_disasm(p, n, ISA_SYNTAX_PSEUDO_C, true, stderr, NULL);
}

Test(verifier_soundness, generated_programs, .timeout = 900)
{
	struct isa_raw buf[128], run_buf[128];
	struct vfg g = { .s = 0x5eed1234abcdull, .p = buf, .cap = 128, .maps = true };
	static const struct vf_map maps[] = { { .name = "m", .type = BPF_MAP_TYPE_HASH, .key_size = 4,
						.value_size = 64, .max_entries = 16 } };
	int map_fd = -1;
	struct vm_helpers *h = vm_helpers_new();
	struct bb_err e;
	bool kernel;
	uint8_t *pkt;
	long accepted = 0, runs = 0, faults = 0, both_acc = 0, both_rej = 0, we_only = 0, k_only = 0;

	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 7, NULL, rand_helper), 0);
	cr_assert_eq(vm_helpers_add(h, 1, NULL, lookup_helper), 0);
	bb_err_clear(&e);
	kernel = ldr_probe_bpf(&e) == 0;
	if (!kernel)
		printf("soundness: bpf() refused (%s): kernel comparison skipped\n", e.msg);
	if (kernel) {
		LDR_OPTS(ldr_map_create_opts, mo, .map_type = BPF_MAP_TYPE_HASH, .key_size = 4,
			 .value_size = 64, .max_entries = 16);
		map_fd = ldr_map_create(&mo, &e);
		cr_assert_geq(map_fd, 0, "%s", e.msg);
	}
	/* XDP programs' packets: the xdp_md fields are 32-bit, so the packet
	 * lives below 4 GiB (as env/ does); each program gets its own length */
	pkt = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	cr_assert_neq(pkt, MAP_FAILED);
	for (int i = 0; i < PROGRAMS; i++) {
		size_t n, pkt_len = (size_t)(i * 7) % 48;
		uint32_t type;
		struct vf_opts o = { .sz = sizeof(o), .maps = maps, .map_cnt = 1 };
		struct vf_result r;
		bool ours;

		/* every third program is XDP with direct packet access */
		g.pkt = i % 3 == 2;
		type = g.pkt ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SOCKET_FILTER;
		o.prog_type = type;
		n = vfg_program(&g);

		cr_assert_gt(n, 0);
		vf_verify(buf, n, &o, &r, NULL);
		ours = r.err == 0;
		if (ours) {
			struct vm *vm = vm_new(h);

			accepted++;
			/* An instruction with reserved fields set is accepted only on
			 * a path the verifier proved dead (the kernel checks them when
			 * it reaches them); like the kernel's sanitize_dead_code, make
			 * it a no-op jump so the interpreter loads the program. */
			memcpy(run_buf, buf, n * sizeof(*buf));
			for (size_t pc = 0; pc < n;) {
				struct isa_insn in;
				int k = isa_decode(run_buf, n, pc, &in, NULL);

				if (k < 0) {
					run_buf[pc] = (struct isa_raw){ .code = 0x05 };
					k = 1;
				}
				pc += (size_t)k;
			}
			vm_set_map_resolver(vm, resolve_map, NULL);
			cr_assert_eq(vm_add_region(vm, map_value, sizeof(map_value), true, "map value"), 0);
			if (g.pkt && pkt_len)
				cr_assert_eq(vm_add_region(vm, pkt, pkt_len, true, "packet"), 0);
			cr_assert_eq(vm_load(vm, run_buf, n, &e), 0, "%s", e.msg);
			for (int k = 0; k < RUNS; k++) {
				struct vm_run_opts ro = { .checked = true, .budget = 100000 };
				uint64_t r0;

				/* xdp_md: data, data_end, data_meta, ingress_ifindex, ... */
				uint32_t xdp_md[6] = { (uint32_t)(uintptr_t)pkt,
						       (uint32_t)((uintptr_t)pkt + pkt_len),
						       (uint32_t)(uintptr_t)pkt, 1, 0, 0 };

				helper_rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i * RUNS + k + 1);
				for (size_t b = 0; b < pkt_len; b++)
					pkt[b] = (uint8_t)rand_helper(0, 0, 0, 0, 0, NULL);
				runs++;
				if (vm_run(vm, g.pkt ? xdp_md : NULL, g.pkt ? sizeof(xdp_md) : 0, &ro, &r0, &e)) {
					faults++;
					fprintf(stderr, "program %d accepted but faults: %s\n", i, e.msg);
					dump(buf, n);
					break;
				}
			}
			vm_free(vm);
		}
		if (kernel && i < KERNEL_LOADS) {
			LDR_OPTS(ldr_prog_load_opts, lo, .prog_type = type,
				 .insns = buf, .insn_cnt = n, .log_level = 0, .fd_array = &map_fd);
			struct ldr_log lg = { 0 };
			int fd;

			lo.log = &lg;
			fd = ldr_prog_load(&lo, &e);
			if (fd >= 0)
				ldr_obj_close(fd);
			if (ours && fd >= 0)
				both_acc++;
			else if (!ours && fd < 0)
				both_rej++;
			else if (ours) {
				we_only++;
				fprintf(stderr, "program %d: we accept, the kernel rejects: %s\n", i,
					lg.buf ? lg.buf : e.msg);
				dump(buf, n);
			} else {
				k_only++;
				/* precision gaps are not failures; show them on request */
				if (getenv("BAREBPF_SHOW_GAPS")) {
					fprintf(stderr, "program %d: we reject (insn %d: %s), the kernel accepts\n",
						i, r.insn, r.msg);
					dump(buf, n);
				}
			}
			ldr_log_free(&lg);
		}
		vf_result_free(&r);
	}
	vm_helpers_free(h);
	munmap(pkt, 4096);
	if (map_fd >= 0)
		ldr_obj_close(map_fd);
	printf("soundness: %d programs, %ld accepted, %ld checked runs, %ld faults; kernel (%d loads): "
	       "both-accept %ld, both-reject %ld, we-accept-kernel-rejects %ld, we-reject-kernel-accepts %ld\n",
	       PROGRAMS, accepted, runs, faults, kernel ? KERNEL_LOADS : 0, both_acc, both_rej, we_only,
	       k_only);
	cr_assert_eq(faults, 0, "%ld accepted programs fault in the checked interpreter", faults);
	cr_assert_eq(we_only, 0, "%ld programs we accept are rejected by the kernel", we_only);
	cr_assert_gt(accepted, PROGRAMS / 10, "the generator should make mostly-valid programs");
}
