// SPDX-License-Identifier: MIT
/*
 * ksym_typed - *typed* kernel-variable externs: `extern const struct rq
 * runqueues __ksym;` is matched by name and type against a VAR in vmlinux
 * BTF, and the loader emits `ld_imm64 rX, BTF_ID` (src_reg 3); the kernel
 * turns that into the variable's address.  Per-CPU variables are then read
 * with bpf_per_cpu_ptr(&var, cpu) (may return NULL) or bpf_this_cpu_ptr.
 *
 * Observes: tracepoint syscalls/sys_enter_getpid.
 * Output: .bss cpu0_nr_running (run-queue length of CPU 0), prog_active
 * (this CPU's bpf_prog_active, 1 while a tracing program runs), calls.
 * Expected here: the kernel refuses the load with ENOENT ("ldimm64 failed
 * to find the address for kernel symbol 'runqueues'"): it finds variables
 * through kallsyms, and this kernel is built without CONFIG_KALLSYMS_ALL,
 * so /proc/kallsyms lists no data symbols.  On a kernel with it, it loads.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym;

__u32 cpu0_nr_running;
__s32 prog_active;
__u64 calls;

SEC("tracepoint/syscalls/sys_enter_getpid")
int ksym_typed_prog(void *ctx)
{
	const struct rq *rq;
	const int *active;

	/* NULL if the CPU number is out of range: the verifier insists on
	 * the check. */
	rq = bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		cpu0_nr_running = rq->nr_running;
	active = bpf_this_cpu_ptr(&bpf_prog_active);
	prog_active = *active;
	calls++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
