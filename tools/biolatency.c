/* SPDX-License-Identifier: MIT */
/*
 * biolatency - block I/O latency (issue to completion) as a log2
 * histogram in microseconds, plus the count of completions slower than
 * -s MS.  corpus/src/biolatency.bpf.c: tracepoints block_rq_issue and
 * block_rq_complete, keyed by {dev, sector}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

#define MAX_SLOTS 32

static const char usage[] =
	"usage: biolatency [-d SECONDS] [-s MS] [-h] [INTERVAL [COUNT]]\n"
	"Summarize block device I/O latency as a histogram.\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n"
	"  -s MS       count completions slower than MS milliseconds (default 10)\n"
	"  INTERVAL    print (and reset) every INTERVAL seconds, COUNT times\n"
	"  -p PID      not available: I/O completes in interrupt context, not in a process\n";

static uint64_t slow_ms = 10;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	if (c != 's')
		return 1;
	slow_ms = strtoull(arg, NULL, 10);
	return 0;
}

int main(int argc, char **argv)
{
	struct tl_args a;
	uint32_t nslots;
	struct tl_obj t;
	int hist, slow, printed = 0;
	char tbuf[16];

	tl_parse(argc, argv, usage, "s:", on_opt, NULL, &a);
	if (a.pid) {
		fprintf(stderr, "biolatency: -p is not supported: block I/O completes in interrupt "
			"context, where the issuing process is not known\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "biolatency", &t);
	if (!tl_set_rodata(&t, "slow_ms", &slow_ms, sizeof(slow_ms))) {
		fprintf(stderr, "biolatency: the object has no slow_ms knob\n");
		return 1;
	}
	tl_load(&t, true);
	hist = tl_map_fd(&t, "hist");
	slow = tl_map_fd(&t, "slow");
	{
		struct bpf_map_info mi;

		nslots = ldr_map_info(hist, &mi) ? MAX_SLOTS : mi.max_entries;
	}
	tl_signals();
	printf("Tracing block device I/O... Hit Ctrl-C to end.\n");
	for (;;) {
		double end = a.duration > 0 ? tl_now() + a.duration : 0;
		uint64_t vals[MAX_SLOTS], zero = 0, nslow = 0;
		uint32_t k0 = 0;

		while (!tl_exiting && (!end || tl_now() < end))
			usleep(50000);
		memset(vals, 0, sizeof(vals));
		/* the object's histogram may have fewer slots than we print */
		for (uint32_t k = 0; k < MAX_SLOTS && k < nslots; k++) {
			if (ldr_map_lookup(hist, &k, &vals[k]))
				vals[k] = 0;
			ldr_map_update(hist, &k, &zero, 0);
		}
		ldr_map_lookup(slow, &k0, &nslow);
		ldr_map_update(slow, &k0, &zero, 0);
		if (a.interval_mode)
			printf("\n%s\n", tl_time_str(tbuf));
		else
			printf("\n");
		tl_print_log2_hist(vals, MAX_SLOTS, "usecs");
		tl_print_percentiles(vals, MAX_SLOTS, "usecs");
		printf("%llu I/O slower than %llu ms\n", (unsigned long long)nslow,
		       (unsigned long long)slow_ms);
		printed++;
		if (tl_exiting || !a.interval_mode || (a.count && printed >= a.count))
			break;
	}
	tl_close(&t);
	return 0;
}
