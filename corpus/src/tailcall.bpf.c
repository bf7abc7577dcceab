// SPDX-License-Identifier: MIT
/*
 * tailcall - a dispatcher that tail-calls into per-protocol handlers through
 * a program array whose slots are filled from the ELF object
 * (`.values = { [i] = &prog }`): the loader loads the handlers, then writes
 * their fds into the array.
 *
 * Observes: packets at XDP (offline-runnable).  The entry program reads the
 * IPv4 protocol and jumps to jmp_table[0] (TCP), [1] (UDP) or [2] (ICMP);
 * slot 3 is left empty on purpose: a tail call to an empty slot falls
 * through to the next instruction.
 * Output: verdict XDP_PASS from the TCP/UDP handlers, XDP_TX from ICMP,
 * XDP_DROP when no handler ran; .bss hits[] counts entries per handler.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

__u64 hits[4];

SEC("xdp")
int handle_tcp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&hits[0], 1);
	return XDP_PASS;
}

SEC("xdp")
int handle_udp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&hits[1], 1);
	return XDP_PASS;
}

SEC("xdp")
int handle_icmp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&hits[2], 1);
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct xdp_md *));
} jmp_table SEC(".maps") = {
	.values = {
		[0] = (void *)&handle_tcp,
		[1] = (void *)&handle_udp,
		[2] = (void *)&handle_icmp,
	},
};

SEC("xdp")
int tailcall_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 idx;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		idx = 3;
	else if (iph->protocol == IPPROTO_TCP)
		idx = 0;
	else if (iph->protocol == IPPROTO_UDP)
		idx = 1;
	else if (iph->protocol == IPPROTO_ICMP)
		idx = 2;
	else
		idx = 3;
	bpf_tail_call(ctx, &jmp_table, idx);
	/* Only reached when the slot is empty. */
	__sync_fetch_and_add(&hits[3], 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
