// SPDX-License-Identifier: MIT
/*
 * readsize - a log2 histogram of read() sizes per process: how many bytes
 * each read() asked for versus how many it actually got.
 *
 * Observes: tracepoints syscalls/sys_enter_read (remember the requested
 * count, keyed by pid_tgid) and syscalls/sys_exit_read (bucket the result).
 * Output: hash `hist`, key {tgid, slot, kind}: kind 0 = requested size,
 * kind 1 = bytes returned; value = number of reads.  Slot s holds sizes in
 * [2^s, 2^(s+1)) (slot 0 also holds 0).  A reader prints one histogram per
 * process like bpftrace's `hist(retval)`.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define MAX_SLOTS 32

struct hist_key {
	__u32 tgid;
	__u16 slot;
	__u16 kind;	/* 0 requested, 1 returned */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct hist_key);
	__type(value, __u64);
} hist SEC(".maps");

/* floor(log2(v)) by binary search; the shifts keep it branch-light. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xFFFFFFFF) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline void bump(__u32 tgid, __u64 size, __u16 kind)
{
	struct hist_key key = { .tgid = tgid, .kind = kind };
	__u64 one = 1, *cnt;
	__u32 slot = log2_u64(size);

	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	key.slot = slot;
	cnt = bpf_map_lookup_elem(&hist, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&hist, &key, &one, BPF_NOEXIST);
}

SEC("tracepoint/syscalls/sys_enter_read")
int handle_enter_read(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 count = ctx->args[2];	/* read(fd, buf, count) */

	bpf_map_update_elem(&inflight, &id, &count, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int handle_exit_read(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *requested;
	long ret = ctx->ret;

	requested = bpf_map_lookup_elem(&inflight, &id);
	if (!requested)
		return 0;
	if (ret >= 0) {		/* errors are not sizes */
		bump(id >> 32, *requested, 0);
		bump(id >> 32, ret, 1);
	}
	bpf_map_delete_elem(&inflight, &id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
