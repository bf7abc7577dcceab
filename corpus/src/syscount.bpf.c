// SPDX-License-Identifier: MIT
/*
 * syscount - how often each system call is made (optionally by one process).
 *
 * Observes: raw tracepoint sys_enter (cheaper than the per-syscall
 * tracepoints: arguments are the raw pt_regs and the syscall number).
 * Output: hash `counts`, syscall number -> number of calls since load.
 * A reader sorts by count and maps numbers to names (ausyscall --dump).
 * Knob: filter_tgid (.rodata) counts one process only when non-zero.
 * Built with -mcpu=v1: no 32-bit jumps, no ALU32 subregisters.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

const volatile __u32 filter_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("raw_tp/sys_enter")
int count_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	/* sys_enter(struct pt_regs *regs, long id) */
	__u32 nr = (__u32)ctx->args[1];
	__u64 one = 1, *cnt;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	cnt = bpf_map_lookup_elem(&counts, &nr);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);	/* v1 has XADD (no fetch) */
	else
		bpf_map_update_elem(&counts, &nr, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
