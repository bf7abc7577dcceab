// SPDX-License-Identifier: MIT
/*
 * legacy_maps - maps declared the pre-BTF way: `struct bpf_map_def` values
 * in a section named "maps".  The loader learns each map's name from the
 * symbol table and its geometry from the struct's fields; there is no key or
 * value *type*, only sizes.  (libbpf 1.0 dropped this format; old objects
 * and samples still use it, and barebpf's loader reads it.)
 *
 * Observes: tracepoint syscalls/sys_enter_write - bytes written, per pid.
 * Output: hash `write_bytes` pid -> total bytes requested; array
 * `write_calls` [0] -> number of write() calls.
 * Built with -mcpu=v1.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#ifdef BB_CHECK_WITH_BTF_MAPS
/* Development aid only: the same program with BTF maps, for loaders that
 * no longer read the "maps" section. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} write_bytes SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} write_calls SEC(".maps");
#else
struct bpf_map_def SEC("maps") write_bytes = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4096,
};

struct bpf_map_def SEC("maps") write_calls = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};
#endif

SEC("tracepoint/syscalls/sys_enter_write")
int count_write(struct trace_event_raw_sys_enter *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32, zero = 0;
	__u64 count = ctx->args[2];	/* write(fd, buf, count) */
	__u64 *v;

	v = bpf_map_lookup_elem(&write_bytes, &pid);
	if (v)
		__sync_fetch_and_add(v, count);
	else
		bpf_map_update_elem(&write_bytes, &pid, &count, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&write_calls, &zero);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
