// SPDX-License-Identifier: MIT
/*
 * xdp_csum - verify the IPv4 header checksum of each packet, in a loop.
 *
 * Observes: packets at XDP; meant mostly for offline runs
 * (BPF_PROG_TEST_RUN, barebpf's interpreter) where the same bytes go
 * through several engines and the results are compared.
 * Output: the verdict - XDP_PASS when the IPv4 header checksum is right,
 * XDP_DROP when it is wrong, XDP_ABORTED when the packet is not IPv4 or is
 * truncated - and in .bss: last_sum (the folded one's-complement sum, 0xffff
 * for a valid header), and the running totals good/bad.
 * The loop is a real loop (unrolling disabled): the verifier checks the
 * bound (at most 30 16-bit words, ihl <= 15) and each packet access.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

__u32 last_sum;
__u64 good, bad;

SEC("xdp")
int xdp_csum_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u16 *w = (void *)iph;
	__u32 sum = 0, nwords;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_ABORTED;
	nwords = iph->ihl * 2;
	if (nwords < 10)
		return XDP_ABORTED;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 30; i++) {
		if (i >= nwords)
			break;
		/* Re-check every word: w + i varies, so does the bound. */
		if ((void *)(w + i + 1) > data_end)
			return XDP_ABORTED;
		sum += w[i];
	}
	/* Fold the carries back in (twice covers every 32-bit sum). */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	last_sum = sum;
	if (sum == 0xffff) {
		__sync_fetch_and_add(&good, 1);
		return XDP_PASS;
	}
	__sync_fetch_and_add(&bad, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
