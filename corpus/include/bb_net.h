/* SPDX-License-Identifier: MIT */
/*
 * bb_net.h - packet-side constants that are #defines in the uapi headers (so
 * vmlinux.h, which only carries types and enums, does not have them), and
 * byte-order helpers.  BPF's target here is little-endian; network order is
 * big-endian, so constants are swapped at compile time.
 */
#ifndef BAREBPF_CORPUS_BB_NET_H
#define BAREBPF_CORPUS_BB_NET_H

#define bpf_htons(x) ((__be16)__builtin_bswap16(x))
#define bpf_ntohs(x) ((__u16)__builtin_bswap16(x))
#define bpf_htonl(x) ((__be32)__builtin_bswap32(x))
#define bpf_ntohl(x) ((__u32)__builtin_bswap32(x))

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define ETH_P_IPV6 0x86DD

/* tc verdicts (linux/pkt_cls.h). */
#define TC_ACT_UNSPEC (-1)
#define TC_ACT_OK 0
#define TC_ACT_RECLASSIFY 1
#define TC_ACT_SHOT 2
#define TC_ACT_PIPE 3

/* IPv4 fragment bits in iphdr.frag_off (host order after ntohs). */
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

#endif
