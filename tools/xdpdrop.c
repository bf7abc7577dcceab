/* SPDX-License-Identifier: MIT */
/*
 * xdpdrop - drop UDP packets to one port at the earliest point (XDP) on
 * an interface and count what passes by IP protocol and what is dropped.
 * corpus/src/xdp_filter.bpf.c: the rule is its `drop_port` knob; counts
 * are per-CPU (`proto_stats` {packets, bytes} per protocol, `dropped`),
 * summed here.  XDP_PASS = everything seen minus the drops.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

#define NOT_IPV4 255

struct proto_count {            /* corpus/src/xdp_filter.bpf.c */
	uint64_t packets;
	uint64_t bytes;
};

static const char usage[] =
	"usage: xdpdrop -i IFNAME [-P PORT] [-S|-N] [-d SECONDS] [-h] [INTERVAL [COUNT]]\n"
	"Drop UDP packets to PORT with XDP on IFNAME; count packets per protocol and\n"
	"per action (XDP_PASS, XDP_DROP).\n"
	"  -i IFNAME   interface\n"
	"  -P PORT     UDP destination port to drop (default 9, discard)\n"
	"  -S / -N     generic (skb) / native (driver) mode; default: the kernel's choice\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n";

static const char *ifname;
static uint16_t port = 9;
static uint32_t xdp_flags;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case 'i':
		ifname = arg;
		return 0;
	case 'P':
		if (atoi(arg) <= 0 || atoi(arg) > 65535)
			return 1;
		port = (uint16_t)atoi(arg);
		return 0;
	case 'S':
		xdp_flags = LDR_XDP_SKB;
		return 0;
	case 'N':
		xdp_flags = LDR_XDP_DRV;
		return 0;
	}
	return 1;
}

static const char *proto_name(uint32_t p)
{
	switch (p) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "ICMPv6";
	case NOT_IPV4: return "non-IPv4";
	default: return NULL;
	}
}

static void print_counts(int stats, int dropped, int ncpu)
{
	struct proto_count *pc = calloc((size_t)ncpu, sizeof(*pc));
	uint64_t *d = calloc((size_t)ncpu, sizeof(*d)), total = 0, drops = 0;
	char tbuf[16];

	if (!pc || !d)
		goto out;
	printf("%s\n%-10s %12s %14s\n", tl_time_str(tbuf), "PROTO", "PACKETS", "BYTES");
	for (uint32_t k = 0; k < 256; k++) {
		uint64_t p = 0, b = 0;
		const char *name = proto_name(k);

		if (ldr_map_lookup(stats, &k, pc))
			continue;
		for (int c = 0; c < ncpu; c++) {
			p += pc[c].packets;
			b += pc[c].bytes;
		}
		if (!p)
			continue;
		total += p;
		if (name)
			printf("%-10s %12llu %14llu\n", name, (unsigned long long)p, (unsigned long long)b);
		else
			printf("proto %-4u %12llu %14llu\n", k, (unsigned long long)p,
			       (unsigned long long)b);
	}
	{
		uint32_t zero = 0;

		if (!ldr_map_lookup(dropped, &zero, d))
			for (int c = 0; c < ncpu; c++)
				drops += d[c];
	}
	printf("%-10s %12llu\n%-10s %12llu (UDP to port %u)\n\n", "XDP_PASS",
	       (unsigned long long)(total - drops), "XDP_DROP", (unsigned long long)drops, port);
out:
	free(pc);
	free(d);
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_link *link;
	struct bb_err e;
	char line[512];
	int ifindex, stats, dropped, printed = 0;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);

	tl_parse(argc, argv, usage, "i:P:SN", on_opt, NULL, &a);
	if (a.pid) {
		fprintf(stderr, "xdpdrop: -p does not apply: XDP sees packets before any process\n");
		return 2;
	}
	if (!ifname || !(ifindex = (int)if_nametoindex(ifname))) {
		fprintf(stderr, "xdpdrop: %s\n%s", ifname ? "no such interface" : "-i IFNAME is required",
			usage);
		return 2;
	}
	{
		/* the possible-CPU count sizes per-CPU values */
		FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
		int lo, hi;

		if (f && fscanf(f, "%d-%d", &lo, &hi) == 2)
			ncpu = hi + 1;
		if (f)
			fclose(f);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "xdp_filter", &t);
	if (!tl_set_rodata(&t, "drop_port", &port, sizeof(port))) {
		fprintf(stderr, "xdpdrop: the object has no drop_port knob\n");
		return 1;
	}
	tl_load(&t, false);
	{
		LDR_OPTS(ldr_attach_opts, o, .flags = xdp_flags);

		bb_err_clear(&e);
		if (ldr_attach_xdp(tl_prog_fd(&t, "xdp_filter_prog"), ifindex, &o, &link, &e)) {
			fprintf(stderr, "xdpdrop: %s\n", bb_err_str(&e, line, sizeof(line)));
			tl_close(&t);
			return 1;
		}
	}
	stats = tl_map_fd(&t, "proto_stats");
	dropped = tl_map_fd(&t, "dropped");
	tl_signals();
	printf("Dropping UDP to port %u on %s (%s)... Hit Ctrl-C to end.\n", port, ifname,
	       ldr_link_desc(link));
	for (;;) {
		double end = a.duration > 0 ? tl_now() + a.duration : 0;

		while (!tl_exiting && (!end || tl_now() < end))
			usleep(50000);
		print_counts(stats, dropped, ncpu);
		printed++;
		if (tl_exiting || !a.interval_mode || (a.count && printed >= a.count))
			break;
	}
	ldr_link_destroy(link);
	tl_close(&t);
	return 0;
}
