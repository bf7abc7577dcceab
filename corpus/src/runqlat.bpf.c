// SPDX-License-Identifier: MIT
/*
 * runqlat - run-queue latency: how long runnable tasks wait for a CPU.
 *
 * Observes: BTF tracepoints (tp_btf, typed arguments, direct task reads)
 * sched_wakeup and sched_wakeup_new (a task became runnable: stamp it) and
 * sched_switch (the next task got the CPU: wait = now - stamp; a preempted
 * prev task is still runnable, so stamp it again).
 * Output: array `hist`, slot -> count; slot s holds waits of [2^s, 2^(s+1))
 * microseconds.  A reader prints it like BCC's runqlat ("usecs : count
 * distribution") and derives p50/p99/p99.9 from the cumulative counts.
 * Knobs (.rodata): targ_ms buckets milliseconds instead of microseconds;
 * targ_tgid, when non-zero, measures only the threads of that process (as
 * BCC's runqlat -p: only its tasks are stamped, so only they are measured).
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_tracing.h"

#define MAX_SLOTS 26
#define TASK_RUNNING 0

const volatile bool targ_ms = false;
const volatile __u32 targ_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);	/* pid (thread id) */
	__type(value, __u64);	/* ns timestamp when it became runnable */
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

static __always_inline void stamp(__u32 tgid, __u32 pid)
{
	__u64 ts;

	if (!pid)	/* the idle task never waits */
		return;
	if (targ_tgid && tgid != targ_tgid)
		return;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;

	/* At most 64 iterations, and the verifier can see the bound. */
	while (v > 1 && slot < MAX_SLOTS - 1) {
		v >>= 1;
		slot++;
	}
	return slot;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(handle_sched_wakeup, struct task_struct *p)
{
	stamp(p->tgid, p->pid);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_sched_wakeup_new, struct task_struct *p)
{
	stamp(p->tgid, p->pid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 pid = next->pid, slot;
	__u64 *tsp, delta, *cnt;

	/* Preempted while runnable: it goes straight back to the queue. */
	if (prev->__state == TASK_RUNNING)
		stamp(prev->tgid, prev->pid);

	/* Only stamped tasks are measured: with targ_tgid, its threads only. */
	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	if (targ_ms)
		delta /= 1000;
	slot = log2_slot(delta);
	cnt = bpf_map_lookup_elem(&hist, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	bpf_map_delete_elem(&start, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
