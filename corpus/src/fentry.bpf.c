// SPDX-License-Identifier: MIT
/*
 * fentry - file deletions seen at entry to and exit from do_unlinkat(),
 * through BPF trampolines (fentry/fexit: typed arguments, no kprobe).
 *
 * Observes: do_unlinkat(int dfd, struct filename *name) - every unlink()
 * and unlinkat(); fexit also sees the return value.
 * Output: ring buffer `events` of struct unlink_event {pid, ret, name};
 * ret is 1 for the entry record (no result yet), else 0 or -errno.
 * Expected here: the kernel refuses to load it (EPERM), which the loader
 * must report clearly; kept in the corpus for exactly that.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_tracing.h"

struct unlink_event {
	__u32 pid;
	int ret;
	char name[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

static __always_inline void emit(struct filename *name, int ret)
{
	struct unlink_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ret = ret;
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), BPF_CORE_READ(name, name));
	bpf_ringbuf_submit(e, 0);
}

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	emit(name, 1);
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_exit, int dfd, struct filename *name, long ret)
{
	emit(name, ret);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
