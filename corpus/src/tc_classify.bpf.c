// SPDX-License-Identifier: MIT
/*
 * tc_classify - a tc classifier (direct-action) that sorts traffic into
 * classes by port, marks each packet and counts per class.
 *
 * Observes: packets through the qdisc it is attached to (clsact ingress or
 * egress, `tc filter add dev X ingress bpf da obj tc_classify.bpf.o sec tc`).
 * Output: array `class_stats` indexed by class (0 other, 1 DNS, 2 SSH,
 * 3 web, 4 not IPv4) of {packets, bytes}; skb->mark = 0xb00 | class and
 * skb->priority = class, so later qdiscs/iptables (-m mark) can act on it.
 * Verdict: TC_ACT_OK always (it classifies, it does not filter).
 * Built with -mcpu=v4.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_net.h"

enum { CLS_OTHER, CLS_DNS, CLS_SSH, CLS_WEB, CLS_NOT_IP, CLS_MAX };

struct class_count {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CLS_MAX);
	__type(key, __u32);
	__type(value, struct class_count);
} class_stats SEC(".maps");

static __always_inline __u32 classify_port(__u16 port)
{
	switch (port) {
	case 53: return CLS_DNS;
	case 22: return CLS_SSH;
	case 80: case 443: case 8080: return CLS_WEB;
	default: return CLS_OTHER;
	}
}

static __always_inline __u32 classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u16 *ports;	/* source and destination port: same place in TCP and UDP */
	__u32 cls;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return CLS_NOT_IP;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return CLS_OTHER;
	ports = (void *)iph + iph->ihl * 4;
	if ((void *)(ports + 2) > data_end)
		return CLS_OTHER;
	cls = classify_port(bpf_ntohs(ports[1]));
	if (cls == CLS_OTHER)
		cls = classify_port(bpf_ntohs(ports[0]));	/* replies */
	return cls;
}

SEC("tc")
int tc_classify_prog(struct __sk_buff *skb)
{
	__u32 cls = classify(skb);
	struct class_count *c = bpf_map_lookup_elem(&class_stats, &cls);

	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, skb->len);
	}
	skb->mark = 0xb00 | cls;
	skb->priority = cls;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
