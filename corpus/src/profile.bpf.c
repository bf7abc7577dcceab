// SPDX-License-Identifier: MIT
/*
 * profile - a sampling CPU profiler: which code paths are on CPU.
 *
 * Observes: a perf_event program, attached by the reader to a software
 * CPU-clock event on every CPU (e.g. 99 Hz, like `profile -F 99`).
 * Output: hash `counts`, key {pid, kernel stack id, user stack id, comm}
 * -> samples; the ids index the stack trace map `stacks`, whose values are
 * arrays of instruction pointers.  A reader symbolises them and prints
 * folded stacks for a flame graph.  A negative id means the stack could not
 * be taken (-EFAULT for kernel threads' user stacks, -EEXIST on collision).
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define TASK_COMM_LEN 16
#define MAX_STACK_DEPTH 127

struct sample_key {
	__u32 pid;
	int kern_stack_id;
	int user_stack_id;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct sample_key);
	__type(value, __u64);
} counts SEC(".maps");

SEC("perf_event")
int do_sample(struct bpf_perf_event_data *ctx)
{
	struct sample_key key = {};
	__u64 one = 1, *cnt;

	key.pid = bpf_get_current_pid_tgid() >> 32;
	if (!key.pid)
		return 0;	/* idle */
	key.kern_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));

	cnt = bpf_map_lookup_elem(&counts, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
