// SPDX-License-Identifier: MIT
/*
 * map_kinds - map types and attributes beyond hash/array, in one object:
 *
 *   flows      LRU_HASH: least recently used entries are evicted when full
 *   per_cpu    PERCPU_HASH: one value per CPU behind each key
 *   prefixes   LPM_TRIE: longest-prefix match (needs BPF_F_NO_PREALLOC)
 *   recent     QUEUE: FIFO of values, no key (push/pop/peek helpers)
 *   seen_src   BLOOM_FILTER: approximate membership; `map_extra` (the
 *              number of hash functions) is a 64-bit attribute written
 *              with __ulong()
 *   pinned_cnt ARRAY pinned by name (LIBBPF_PIN_BY_NAME): the loader reuses
 *              /sys/fs/bpf/pinned_cnt if it exists, else creates and pins it
 *
 * Observes: packets at XDP (offline-runnable).  Keys are IPv4 source
 * addresses.
 * Output: flows src -> packets; per_cpu src -> bytes per CPU; recent holds
 * the last 64 source addresses; pinned_cnt[0] counts packets across loads.
 * Verdict: XDP_DROP when the source matches a prefix in `prefixes` (which
 * the reader fills: value = 1 means block), else XDP_PASS.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

struct lpm_v4_key {
	__u32 prefixlen;	/* LPM keys start with the prefix length in bits */
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);
} prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, __u32);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 4096);
	__type(value, __u32);
	__ulong(map_extra, 3);	/* hash functions */
} seen_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_cnt SEC(".maps");

SEC("xdp")
int map_kinds_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct lpm_v4_key lk;
	__u64 one = 1, len = data_end - data, *v;
	__u32 src, zero = 0, *block;

	v = bpf_map_lookup_elem(&pinned_cnt, &zero);
	if (v)
		__sync_fetch_and_add(v, 1);
	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	src = iph->saddr;

	v = bpf_map_lookup_elem(&flows, &src);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&flows, &src, &one, BPF_ANY);

	v = bpf_map_lookup_elem(&per_cpu, &src);
	if (v)
		*v += len;	/* this CPU's copy */
	else
		bpf_map_update_elem(&per_cpu, &src, &len, BPF_ANY);

	/* Bloom filters take pushes and answer peeks (0 = maybe present). */
	if (bpf_map_peek_elem(&seen_src, &src) != 0) {
		bpf_map_push_elem(&seen_src, &src, 0);
		/* BPF_EXIST on a full queue drops the oldest value. */
		bpf_map_push_elem(&recent, &src, BPF_EXIST);
	}

	lk.prefixlen = 32;
	lk.addr = src;
	block = bpf_map_lookup_elem(&prefixes, &lk);
	if (block && *block == 1)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
