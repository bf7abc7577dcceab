// SPDX-License-Identifier: MIT
/*
 * xdp_parse - a header parser whose verdict depends on what it finds, and
 * an ICMP echo responder that rewrites the packet in place.
 *
 * Observes: packets at XDP; written for offline differential runs (each
 * verdict is reachable from a small hand-made packet).
 * Verdicts:
 *   XDP_ABORTED  truncated Ethernet/VLAN/IP header, or bad IPv4 ihl
 *   XDP_DROP     IPv4 fragment, IPv4 TTL or IPv6 hop limit <= 1, more
 *                than two VLAN tags
 *   XDP_TX       IPv4 ICMP echo request: rewritten into the echo reply
 *                (MACs and addresses swapped, type 0, checksum updated
 *                incrementally per RFC 1624) and sent back out
 *   XDP_PASS     everything else (ARP, TCP, UDP, other ICMP, IPv6)
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define MAX_VLAN 2

struct cursor {
	void *pos;
	void *end;
};

/* Return a pointer to the next `len` bytes and advance, or NULL. */
static __always_inline void *take(struct cursor *c, __u32 len)
{
	void *p = c->pos;

	if (p + len > c->end)
		return NULL;
	c->pos = p + len;
	return p;
}

static __always_inline int echo_reply(struct ethhdr *eth, struct iphdr *iph,
				      struct icmphdr *icmp)
{
	unsigned char mac[ETH_ALEN];
	__be32 addr;
	__u32 csum;

	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;	/* IP checksum unchanged: same words, swapped */

	/* Type 8 -> 0 lowers the first 16-bit word by 0x0800 (network order):
	 * HC' = HC + 0x0800 in one's complement. */
	icmp->type = ICMP_ECHOREPLY;
	csum = (__u16)~icmp->checksum;
	csum = (__u16)~bpf_htons(ICMP_ECHO << 8) + csum;	/* ~m + ~HC ... */
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	icmp->checksum = (__u16)~csum;
	return XDP_TX;
}

SEC("xdp")
int xdp_parse_prog(struct xdp_md *ctx)
{
	struct cursor c = { (void *)(long)ctx->data, (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct iphdr *iph;
	struct ipv6hdr *ip6h;
	struct icmphdr *icmp;
	__u16 proto;
	int i;

	eth = take(&c, sizeof(*eth));
	if (!eth)
		return XDP_ABORTED;
	proto = eth->h_proto;

#pragma unroll
	for (i = 0; i < MAX_VLAN; i++) {
		struct vlan_hdr *vh;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = take(&c, sizeof(*vh));
		if (!vh)
			return XDP_ABORTED;
		proto = vh->h_vlan_encapsulated_proto;
	}
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD))
		return XDP_DROP;	/* a third tag */

	if (proto == bpf_htons(ETH_P_IPV6)) {
		ip6h = take(&c, sizeof(*ip6h));
		if (!ip6h)
			return XDP_ABORTED;
		return ip6h->hop_limit <= 1 ? XDP_DROP : XDP_PASS;
	}
	if (proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	iph = take(&c, sizeof(*iph));
	if (!iph || iph->ihl < 5)
		return XDP_ABORTED;
	/* Skip options: ihl is 4 bits, so the verifier knows the offset is at
	 * most 60 (an offset computed as ihl * 4 - 20 would look unbounded). */
	c.pos = (void *)iph + iph->ihl * 4;
	if (c.pos > c.end)
		return XDP_ABORTED;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return XDP_DROP;
	if (iph->ttl <= 1)
		return XDP_DROP;
	if (iph->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	icmp = take(&c, sizeof(*icmp));
	if (!icmp)
		return XDP_ABORTED;
	if (icmp->type != ICMP_ECHO || icmp->code != 0)
		return XDP_PASS;
	return echo_reply(eth, iph, icmp);
}

char LICENSE[] SEC("license") = "GPL";
