// SPDX-License-Identifier: MIT
/*
 * sockfilter - a socket filter that keeps only TCP and UDP over IPv4 and
 * counts what it sees, in the style of a classic BPF (tcpdump) filter.
 *
 * Observes: packets delivered to the socket it is attached to
 * (SO_ATTACH_BPF, typically a raw AF_PACKET socket).
 * Output: array `counts` indexed by IP protocol (256 = not IPv4).  The
 * return value is how many bytes of the packet the socket receives: the
 * whole packet (skb->len) for TCP/UDP, 0 (drop) for everything else.
 * Built with -mcpu=v1, and reads the packet with the legacy LD_ABS
 * instructions (llvm.bpf.load.*), which only socket filters and tc
 * classifiers may use: offsets are relative to the packet start, bounds are
 * checked at run time and an out-of-range load ends the program with 0.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

/* LD_ABS/LD_IND: the returned value is already in host byte order. */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

#define NOT_IPV4 256

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 257);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("socket")
int sockfilter_prog(struct __sk_buff *skb)
{
	__u32 proto = NOT_IPV4;
	__u64 *cnt;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) == ETH_P_IP)
		proto = load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol));
	cnt = bpf_map_lookup_elem(&counts, &proto);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
		return skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
