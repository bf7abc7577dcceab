// SPDX-License-Identifier: MIT
/*
 * xdp_filter - count packets per IP protocol at the driver, and drop UDP
 * traffic to one configured port before the stack sees it.
 *
 * Observes: every packet received on the interface the program is attached
 * to (XDP, the earliest hook).  Parses Ethernet, an optional 802.1Q tag,
 * IPv4 and UDP, checking each header against data_end first: the verifier
 * refuses any packet read it cannot prove is inside the packet.
 * Output: per-CPU array `proto_stats` indexed by IP protocol number (6 TCP,
 * 17 UDP, 1 ICMP; 255 = not IPv4) of {packets, bytes}; sum the CPUs to read
 * it.  `dropped` counts drops.  Verdict: XDP_DROP for UDP to drop_port,
 * XDP_PASS otherwise.
 * Knob: drop_port (.rodata, host order; default 9, the discard port).
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

#define NOT_IPV4 255

const volatile __u16 drop_port = 9;

struct proto_count {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct proto_count);
} proto_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

static __always_inline void account(__u32 proto, __u64 len)
{
	struct proto_count *c = bpf_map_lookup_elem(&proto_stats, &proto);

	/* Per-CPU values: no other CPU touches this copy, no atomics needed. */
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

SEC("xdp")
int xdp_filter_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = data_end - data;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct udphdr *udph;
	__u16 proto;
	__u32 zero = 0;
	__u64 *drops;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;	/* runt frame: not ours to judge */
	proto = eth->h_proto;
	iph = (void *)(eth + 1);
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			return XDP_PASS;
		proto = vh->h_vlan_encapsulated_proto;
		iph = (void *)(vh + 1);
	}
	if (proto != bpf_htons(ETH_P_IP)) {
		account(NOT_IPV4, len);
		return XDP_PASS;
	}
	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	account(iph->protocol, len);
	if (iph->protocol != IPPROTO_UDP || iph->ihl < 5)
		return XDP_PASS;

	/* The IPv4 header has options when ihl > 5: skip ihl * 4 bytes. */
	udph = (void *)iph + iph->ihl * 4;
	if ((void *)(udph + 1) > data_end)
		return XDP_PASS;
	if (udph->dest != bpf_htons(drop_port))
		return XDP_PASS;

	drops = bpf_map_lookup_elem(&dropped, &zero);
	if (drops)
		(*drops)++;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
