// SPDX-License-Identifier: MIT
/*
 * tcx_ingress - the tcx hook (Linux 6.6+): tc programs attached through a
 * BPF link, without a clsact qdisc, with their own verdict names.
 *
 * Observes: packets entering the interface (SEC("tcx/ingress"): program
 * type SCHED_CLS, expected attach type BPF_TCX_INGRESS).
 * Output: hash `rx`, key {ifindex, IP protocol (0 = not IPv4)} -> packets;
 * verdict TCX_DROP for IPv4 packets claiming a source in 0.0.0.0/8 (never
 * valid on the wire), TCX_NEXT (run the next program in the chain, then
 * the stack) for everything else.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

struct rx_key {
	__u32 ifindex;
	__u32 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct rx_key);
	__type(value, __u64);
} rx SEC(".maps");

SEC("tcx/ingress")
int tcx_ingress_prog(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct rx_key key = { .ifindex = skb->ifindex };
	__u64 one = 1, *cnt;
	int verdict = TCX_NEXT;

	if ((void *)(iph + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP)) {
		key.proto = iph->protocol;
		if ((bpf_ntohl(iph->saddr) >> 24) == 0)
			verdict = TCX_DROP;
	}
	cnt = bpf_map_lookup_elem(&rx, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&rx, &key, &one, BPF_NOEXIST);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
