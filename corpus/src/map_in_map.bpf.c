// SPDX-License-Identifier: MIT
/*
 * map_in_map - maps whose values are other maps, with slots filled from the
 * ELF object: the loader creates the inner maps first, then writes their
 * fds into the outer map at the indices given by `.values = { ... }`.
 *
 *   outer_arr  ARRAY_OF_MAPS, 4 slots: [0] = inner_a, [1] = inner_b,
 *              [2], [3] empty (the reader may insert maps of the same shape)
 *   outer_hash HASH_OF_MAPS keyed by u32, inner shape declared inline
 *              (no ELF-initialised slots)
 *
 * Observes: packets at XDP (offline-runnable).  Picks an inner map by the
 * packet's first byte & 3 and counts the packet in it.
 * Output: inner_a[0] / inner_b[0] hold the counts; verdict XDP_PASS when an
 * inner map was present, XDP_DROP when the slot was empty.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_arr SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 16);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 64);
		__type(key, __u32);
		__type(value, __u32);
	});
} outer_hash SEC(".maps");

SEC("xdp")
int map_in_map_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 slot, zero = 0, *hv;
	__u64 *cnt;
	void *inner;

	if (data + 1 > data_end)
		return XDP_ABORTED;
	slot = *(__u8 *)data & 3;
	inner = bpf_map_lookup_elem(&outer_arr, &slot);
	if (!inner)
		return XDP_DROP;	/* empty slot */
	cnt = bpf_map_lookup_elem(inner, &zero);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);

	/* The hash of maps: look a tenant's inner map up, if the reader added one. */
	inner = bpf_map_lookup_elem(&outer_hash, &slot);
	if (inner) {
		hv = bpf_map_lookup_elem(inner, &slot);
		if (hv)
			__sync_fetch_and_add(hv, 1);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
