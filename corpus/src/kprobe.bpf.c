// SPDX-License-Identifier: MIT
/*
 * kprobe - the classic dynamic probe: entry and return of a kernel function
 * through kprobe/kretprobe, with arguments taken from pt_regs.
 *
 * Observes: do_unlinkat(int dfd, struct filename *name) entry (kprobe) and
 * its return value (kretprobe).
 * Output: hash `unlinks` pid -> calls; array `errors` [0] -> calls that
 * returned an error.
 * Expected here: this kernel is built without CONFIG_KPROBES, so there is
 * no kprobe to attach to; kept in the corpus so the loader's refusal can be
 * tested.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_tracing.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} unlinks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} errors SEC(".maps");

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(unlink_probe, int dfd, struct filename *name)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *cnt;

	cnt = bpf_map_lookup_elem(&unlinks, &pid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&unlinks, &pid, &one, BPF_NOEXIST);
	return 0;
}

SEC("kretprobe/do_unlinkat")
int unlink_retprobe(struct pt_regs *ctx)
{
	long ret = PT_REGS_RC(ctx);
	__u32 zero = 0;
	__u64 *cnt;

	if (ret < 0) {
		cnt = bpf_map_lookup_elem(&errors, &zero);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
