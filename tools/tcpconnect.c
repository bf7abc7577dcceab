/* SPDX-License-Identifier: MIT */
/*
 * tcpconnect - trace active TCP connects (a socket entering SYN_SENT):
 * PID, command, IP version, source, destination, port.
 * corpus/src/tcpconnect.bpf.c (tracepoint sock/inet_sock_set_state)
 * sends each through the perf event array `events`; lost samples are
 * reported as they happen.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tl.h"

struct conn_event {             /* corpus/src/tcpconnect.bpf.c */
	uint32_t pid;
	uint16_t family;
	uint16_t dport;
	uint8_t saddr[16];
	uint8_t daddr[16];
	char comm[16];
};

static const char usage[] =
	"usage: tcpconnect [-p PID] [-d SECONDS] [-P PORT] [-h]\n"
	"Trace TCP active connections: PID COMM IP SADDR DADDR DPORT.\n"
	"  -p PID      only this process\n"
	"  -d SECONDS  stop after this long (default: until Ctrl-C)\n"
	"  -P PORT     only this destination port\n";

static uint16_t port;
static int filter_pid;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	if (c != 'P' || atoi(arg) <= 0 || atoi(arg) > 65535)
		return 1;
	port = (uint16_t)atoi(arg);
	return 0;
}

static void on_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	const struct conn_event *e = data;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int af;

	(void)ctx;
	(void)cpu;
	if (size < sizeof(*e) || (filter_pid && e->pid != (uint32_t)filter_pid))
		return;
	af = e->family == 10 ? AF_INET6 : AF_INET;
	inet_ntop(af, e->saddr, s, sizeof(s));
	inet_ntop(af, e->daddr, d, sizeof(d));
	printf("%-7u %-12.12s %-2d %-16s %-16s %-5u\n", e->pid, e->comm, af == AF_INET6 ? 6 : 4,
	       s, d, e->dport);
}

static void on_lost(void *ctx, int cpu, uint64_t n)
{
	(void)ctx;
	fprintf(stderr, "lost %llu events on CPU #%d\n", (unsigned long long)n, cpu);
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_perfbuf *pb;
	struct bb_err e;
	char line[512];
	double end;

	tl_parse(argc, argv, usage, "P:", on_opt, NULL, &a);
	filter_pid = a.pid;
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "tcpconnect", &t);
	if (!tl_set_rodata(&t, "filter_dport", &port, sizeof(port))) {
		fprintf(stderr, "tcpconnect: the object has no filter_dport knob\n");
		return 1;
	}
	tl_load(&t, true);
	bb_err_clear(&e);
	if (ldr_perfbuf_new(tl_map_fd(&t, "events"), 16, on_sample, on_lost, NULL, &pb, &e)) {
		fprintf(stderr, "tcpconnect: %s\n", bb_err_str(&e, line, sizeof(line)));
		tl_close(&t);
		return 1;
	}
	tl_signals();
	printf("%-7s %-12s %-2s %-16s %-16s %-5s\n", "PID", "COMM", "IP", "SADDR", "DADDR", "DPORT");
	end = a.duration > 0 ? tl_now() + a.duration : 0;
	while (!tl_exiting && (!end || tl_now() < end)) {
		int r = ldr_perfbuf_poll(pb, 100);

		if (r < 0 && r != -4) {
			fprintf(stderr, "tcpconnect: perf buffer: %s\n", strerror(-r));
			break;
		}
	}
	ldr_perfbuf_consume(pb);
	ldr_perfbuf_free(pb);
	tl_close(&t);
	return 0;
}
