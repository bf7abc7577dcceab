// SPDX-License-Identifier: MIT
/*
 * biolatency - block I/O latency: time from issue to the device until
 * completion, as a log2 histogram.
 *
 * Observes: tracepoints block/block_rq_issue (stamp the request, keyed by
 * device and starting sector, as bpftrace's one-liner does) and
 * block/block_rq_complete (latency = now - stamp).
 * Output: array `hist`, slot -> count; slot s holds latencies of
 * [2^s, 2^(s+1)) microseconds ("usecs : count distribution").  Array
 * `slow` counts completions slower than slow_ms (.rodata, default 10 ms).
 * Built with -mcpu=v2 (32-bit jumps are v3; v2 adds only JLT/JLE/JSLT/JSLE).
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define MAX_SLOTS 27

const volatile __u64 slow_ms = 10;

struct rq_key {
	__u32 dev;
	__u32 pad;
	__u64 sector;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct rq_key);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} slow SEC(".maps");

SEC("tracepoint/block/block_rq_issue")
int handle_rq_issue(struct trace_event_raw_block_rq *ctx)
{
	struct rq_key key = { .dev = ctx->dev, .sector = ctx->sector };
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &key, &ts, BPF_ANY);
	return 0;
}

SEC("tracepoint/block/block_rq_complete")
int handle_rq_complete(struct trace_event_raw_block_rq_completion *ctx)
{
	struct rq_key key = { .dev = ctx->dev, .sector = ctx->sector };
	__u64 *tsp, usecs, *cnt;
	__u32 slot = 0, zero = 0;

	tsp = bpf_map_lookup_elem(&start, &key);
	if (!tsp)
		return 0;	/* issued before we were loaded */
	usecs = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &key);

	if (usecs / 1000 >= slow_ms) {
		cnt = bpf_map_lookup_elem(&slow, &zero);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
	}
	/* log2 with a constant trip count: unrolled by clang. */
#pragma unroll
	for (int i = 0; i < MAX_SLOTS - 1; i++)
		if (usecs >> (i + 1))
			slot = i + 1;
	cnt = bpf_map_lookup_elem(&hist, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
