/* SPDX-License-Identifier: MIT */
/*
 * sockfilter - attach corpus/src/sockfilter.bpf.c to a raw packet socket
 * on an interface (SO_ATTACH_BPF): the filter keeps TCP and UDP over IPv4
 * and counts every packet by IP protocol (array `counts`, 256 = not
 * IPv4).  We read what it keeps and print per-protocol counts with what
 * reached the socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/lib/tl.h"

static const char usage[] =
	"usage: sockfilter [-i IFNAME] [-d SECONDS] [-h]\n"
	"Count packets on IFNAME by IP protocol with a BPF socket filter that keeps\n"
	"only TCP and UDP over IPv4 (default interface: lo).\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n";

static const char *ifname = "lo";

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	if (c != 'i')
		return 1;
	ifname = arg;
	return 0;
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_link *link;
	struct sockaddr_ll sll;
	struct bb_err e;
	char line[512], pkt[2048];
	uint64_t kept = 0;
	int sock, counts, ifindex;
	double end;

	tl_parse(argc, argv, usage, "i:", on_opt, NULL, &a);
	if (a.pid) {
		fprintf(stderr, "sockfilter: -p does not apply: the filter sees an interface's packets\n");
		return 2;
	}
	if (!(ifindex = (int)if_nametoindex(ifname))) {
		fprintf(stderr, "sockfilter: no interface '%s'\n", ifname);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "sockfilter", &t);
	tl_load(&t, false);
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (sock < 0) {
		fprintf(stderr, "sockfilter: AF_PACKET socket: %s\n", strerror(errno));
		tl_close(&t);
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "sockfilter: bind to %s: %s\n", ifname, strerror(errno));
		close(sock);
		tl_close(&t);
		return 1;
	}
	bb_err_clear(&e);
	if (ldr_attach_socket(tl_prog_fd(&t, "sockfilter_prog"), sock, &link, &e)) {
		fprintf(stderr, "sockfilter: %s\n", bb_err_str(&e, line, sizeof(line)));
		close(sock);
		tl_close(&t);
		return 1;
	}
	counts = tl_map_fd(&t, "counts");
	tl_signals();
	printf("Filtering %s: keeping TCP and UDP over IPv4... Hit Ctrl-C to end.\n", ifname);
	end = a.duration > 0 ? tl_now() + a.duration : 0;
	while (!tl_exiting && (!end || tl_now() < end)) {
		struct pollfd p = { .fd = sock, .events = POLLIN };

		if (poll(&p, 1, 100) > 0)
			while (recv(sock, pkt, sizeof(pkt), 0) > 0)
				kept++;
	}
	printf("%-10s %10s\n", "PROTO", "PACKETS");
	for (uint32_t k = 0; k <= 256; k++) {
		uint64_t v = 0;

		if (ldr_map_lookup(counts, &k, &v) || !v)
			continue;
		if (k == 256)
			printf("%-10s %10llu\n", "non-IPv4", (unsigned long long)v);
		else if (k == 6 || k == 17 || k == 1)
			printf("%-10s %10llu\n", k == 6 ? "TCP" : k == 17 ? "UDP" : "ICMP",
			       (unsigned long long)v);
		else
			printf("proto %-4u %10llu\n", k, (unsigned long long)v);
	}
	printf("%llu packets kept by the filter and read from the socket\n",
	       (unsigned long long)kept);
	ldr_link_destroy(link);
	close(sock);
	tl_close(&t);
	return 0;
}
