/* SPDX-License-Identifier: MIT */
/*
 * Network attach points with real packets: XDP (link, and netlink in
 * generic mode), TCX ingress, legacy tc (clsact + cls_bpf), a socket
 * filter, and cgroup hooks (cgroup_skb egress by link, cgroup/connect4 by
 * BPF_PROG_ATTACH).  Packets go through a veth pair between a namespace
 * this test process enters and a named peer namespace it deletes; the
 * cgroup is one the test creates and removes.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/attach/at_util.h"

static void net_fini(void)
{
	at_net_down();
}

/* Bound UDP socket on 10.77.0.1:@port, non-blocking. */
static int udp_listener(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	cr_assert_geq(s, 0);
	inet_pton(AF_INET, "10.77.0.1", &a.sin_addr);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0, "bind: %s", strerror(errno));
	return s;
}

static int drain(int s)
{
	char buf[64];
	int n = 0;

	while (recv(s, buf, sizeof(buf), 0) > 0)
		n++;
	return n;
}

static uint64_t percpu_sum(int map_fd, uint32_t key, size_t val_size, size_t field)
{
	int ncpu = 0;
	uint8_t *buf;
	uint64_t sum = 0;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	int lo, hi;

	if (f && fscanf(f, "%d-%d", &lo, &hi) == 2)
		ncpu = hi + 1;
	else
		ncpu = 1;
	if (f)
		fclose(f);
	buf = calloc((size_t)ncpu, val_size);
	cr_assert_eq(ldr_map_lookup(map_fd, &key, buf), 0);
	for (int c = 0; c < ncpu; c++)
		sum += *(uint64_t *)(buf + (size_t)c * val_size + field);
	free(buf);
	return sum;
}

static void xdp_cycle(enum ldr_attach_mode mode, uint32_t flags, enum ldr_link_kind want)
{
	char obj[4096];
	struct obj *o;
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = false);
	LDR_OPTS(ldr_attach_opts, ao, .mode = mode, .flags = flags);
	uint16_t port = 7777;
	int ifindex, s_drop, s_keep, before;

	at_need_bpf();
	ifindex = at_net_up();
	s_drop = udp_listener(7777);
	s_keep = udp_listener(7778);
	before = at_fd_count();
	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(at_corpus("xdp_filter", obj, sizeof(obj)), NULL, &o, &e), 0);
	cr_assert(at_set_rodata(o, "drop_port", &port, sizeof(port)));
	cr_assert_eq(ldr_obj_load(o, &lopts, &lo, &e), 0, "%s", e.msg);
	obj_free(o);
	cr_assert_eq(ldr_attach_xdp(at_prog_fd(lo, "xdp_filter_prog"), ifindex, &ao, &l, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(ldr_link_kind(l), want, "%s", ldr_link_desc(l));
	at_net_send_udp(7777, 5);
	at_net_send_udp(7778, 3);
	cr_assert_eq(percpu_sum(at_map_fd(lo, "dropped"), 0, 8, 0), 5);
	cr_assert_geq(percpu_sum(at_map_fd(lo, "proto_stats"), IPPROTO_UDP, 16, 0), 8);
	cr_assert_eq(drain(s_drop), 0, "dropped datagrams arrived");
	cr_assert_eq(drain(s_keep), 3, "passed datagrams missing");
	cr_assert_eq(ldr_link_destroy(l), 0);
	/* detached: everything passes again */
	at_net_send_udp(7777, 2);
	cr_assert_eq(drain(s_drop), 2);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
	close(s_drop);
	close(s_keep);
}

Test(net, xdp_link_drops_by_rule, .fini = net_fini)
{
	xdp_cycle(LDR_ATTACH_AUTO, 0, LDR_LINK_BPF);
}

Test(net, xdp_netlink_generic_mode, .fini = net_fini)
{
	xdp_cycle(LDR_ATTACH_LEGACY, LDR_XDP_SKB, LDR_LINK_NETLINK_XDP);
	cr_assert_eq(at_sh("ip link show bbv0 | grep -q xdp"), 1, "XDP left on bbv0");
}

Test(net, xdp_link_driver_mode_on_veth, .fini = net_fini)
{
	xdp_cycle(LDR_ATTACH_LINK, LDR_XDP_DRV, LDR_LINK_BPF);
}

struct rx_key {
	uint32_t ifindex;
	uint32_t proto;
};

Test(net, tcx_ingress_counts, .fini = net_fini)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	struct rx_key k;
	uint64_t v = 0;
	int ifindex, before;

	at_need_bpf();
	ifindex = at_net_up();
	before = at_fd_count();
	lo = at_load(at_corpus("tcx_ingress", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_tcx(at_prog_fd(lo, "tcx_ingress_prog"), ifindex, BPF_TCX_INGRESS,
				    NULL, &l, &e), 0, "%s", e.msg);
	at_net_send_udp(9999, 4);
	k.ifindex = (uint32_t)ifindex;
	k.proto = IPPROTO_UDP;
	cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "rx"), &k, &v), 0, "no UDP counted on bbv0");
	cr_assert_geq(v, 4);
	cr_assert_eq(ldr_link_destroy(l), 0);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

struct class_count {
	uint64_t packets, bytes;
};

Test(net, tc_legacy_clsact_cls_bpf, .fini = net_fini)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	struct class_count other = { 0 };
	uint32_t cls_other = 0;
	int ifindex, before;

	at_need_bpf();
	ifindex = at_net_up();
	before = at_fd_count();
	lo = at_load(at_corpus("tc_classify", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_tc(ldr_obj_prog(lo, 0)->fd, ifindex, true, NULL, &l, &e), 0, "%s",
		     e.msg);
	cr_assert_eq(ldr_link_kind(l), LDR_LINK_NETLINK_TC);
	cr_assert_eq(at_sh("tc filter show dev bbv0 ingress | grep -q 'direct-action'"), 0,
		     "no direct-action cls_bpf filter on bbv0 ingress");
	at_net_send_udp(9999, 4);
	cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "class_stats"), &cls_other, &other), 0);
	cr_assert_geq(other.packets, 4);
	cr_assert_eq(ldr_link_destroy(l), 0);
	cr_assert_eq(at_sh("tc qdisc show dev bbv0 | grep -q clsact"), 1, "clsact left behind");
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(net, socket_filter_on_loopback)
{
	char obj[4096], pkt[2048];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	uint32_t udp = IPPROTO_UDP, non_ip = 256;
	uint64_t n_udp = 0, n_other = 0;
	int raw, s, got = 0, before;

	at_need_bpf();
	if (unshare(CLONE_NEWNET))
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	cr_assert_eq(at_sh("ip link set lo up"), 0);
	before = at_fd_count();
	lo = at_load(at_corpus("sockfilter", obj, sizeof(obj)), 0, NULL);
	raw = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	cr_assert_geq(raw, 0);
	sll.sll_ifindex = (int)if_nametoindex("lo");
	cr_assert_eq(bind(raw, (struct sockaddr *)&sll, sizeof(sll)), 0);
	drain(raw);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_socket(at_prog_fd(lo, "sockfilter_prog"), raw, &l, &e), 0, "%s", e.msg);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	usleep(50000);
	while (recv(raw, pkt, sizeof(pkt), 0) > 0)
		got++;
	ldr_map_lookup(at_map_fd(lo, "counts"), &udp, &n_udp);
	ldr_map_lookup(at_map_fd(lo, "counts"), &non_ip, &n_other);
	cr_assert_geq(n_udp, 3, "filter saw %llu UDP packets", (unsigned long long)n_udp);
	cr_assert_geq(got, 3, "only %d packets kept", got);
	cr_assert_eq(ldr_link_destroy(l), 0);
	close(s);
	close(raw);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

static void send_from_cgroup(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) || send(s, "x", 1, 0) != 1)
		_exit(3);
	close(s);
}

static void cgroup_cycle(enum ldr_attach_mode mode, enum ldr_link_kind want)
{
	char obj[4096], cg[256];
	struct ldr_obj *lo;
	struct ldr_link *eg, *cn;
	struct bb_err e;
	LDR_OPTS(ldr_attach_opts, o, .mode = mode);
	int cgfd, before;

	at_need_bpf();
	cgfd = at_cgroup_up(cg, sizeof(cg));
	before = at_fd_count();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_cgroup(at_prog_fd(lo, "cg_egress"), cgfd, BPF_CGROUP_INET_EGRESS, &o,
				       &eg, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_attach_cgroup(at_prog_fd(lo, "cg_connect4"), cgfd, BPF_CGROUP_INET4_CONNECT,
				       &o, &cn, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_link_kind(eg), want);
	cr_assert_eq(ldr_link_kind(cn), want);
	/* our own traffic is outside the cgroup and not counted */
	send_from_cgroup();
	cr_assert_eq(at_counter(lo, 6), 0);
	at_cgroup_run(cg, send_from_cgroup);
	cr_assert_geq(at_counter(lo, 6), 1, "cgroup_skb/egress saw no packet");
	cr_assert_eq(at_counter(lo, 7), 1, "cgroup/connect4 calls");
	cr_assert_eq(ldr_link_destroy(eg), 0);
	cr_assert_eq(ldr_link_destroy(cn), 0);
	at_cgroup_run(cg, send_from_cgroup);
	cr_assert_eq(at_counter(lo, 7), 1, "connect4 still attached after destroy");
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
	at_cgroup_down(cg, cgfd);
	cr_assert_neq(access(cg, F_OK), 0, "cgroup %s not removed", cg);
}

Test(net, cgroup_link_egress_and_connect4, .fini = at_cgroup_fini)
{
	cgroup_cycle(LDR_ATTACH_AUTO, LDR_LINK_BPF);
}

Test(net, cgroup_prog_attach_legacy, .fini = at_cgroup_fini)
{
	cgroup_cycle(LDR_ATTACH_LEGACY, LDR_LINK_PROG_ATTACH);
}

Test(net, netfilter_link_local_in)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	/* NFPROTO_IPV4, NF_INET_LOCAL_IN */
	LDR_OPTS(ldr_attach_opts, o, .nf_pf = 2, .nf_hooknum = 1, .nf_priority = -128);
	int s, before;

	at_need_bpf();
	if (unshare(CLONE_NEWNET))
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	cr_assert_eq(at_sh("ip link set lo up"), 0);
	before = at_fd_count();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	/* auto-attach takes the hook from the options */
	cr_assert_eq(ldr_obj_attach_prog(lo, at_prog(lo, "nf_local_in"), &o, &l, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_link_kind(l), LDR_LINK_BPF);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	close(s);
	cr_assert_geq(at_counter(lo, 10), 3, "netfilter LOCAL_IN saw %llu packets",
		      (unsigned long long)at_counter(lo, 10));
	cr_assert_eq(ldr_link_destroy(l), 0);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}
