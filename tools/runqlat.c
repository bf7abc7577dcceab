/* SPDX-License-Identifier: MIT */
/*
 * runqlat - run-queue latency: how long runnable tasks waited for a CPU,
 * as a log2 histogram with p50/p99/p99.9.  corpus/src/runqlat.bpf.c
 * stamps tasks at sched_wakeup/sched_wakeup_new (tp_btf) and at
 * sched_switch adds prev (if still runnable) and measures next.  -p PID
 * sets its targ_tgid knob: only that process's threads are measured.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

#define MAX_SLOTS 32

static const char usage[] =
	"usage: runqlat [-m] [-p PID] [-d SECONDS] [-h] [INTERVAL [COUNT]]\n"
	"Summarize run queue (scheduler) latency as a histogram, with percentiles.\n"
	"  -m          milliseconds instead of microseconds\n"
	"  -p PID      only the threads of this process (its tgid)\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n"
	"  INTERVAL    print (and reset) every INTERVAL seconds, COUNT times\n";

static bool ms;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	if (c != 'm')
		return 1;
	ms = true;
	return 0;
}

int main(int argc, char **argv)
{
	struct tl_args a;
	uint32_t nslots, tgid;
	struct tl_obj t;
	int fd, printed = 0;
	char tbuf[16];

	tl_parse(argc, argv, usage, "m", on_opt, NULL, &a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "runqlat", &t);
	if (!tl_set_rodata(&t, "targ_ms", &ms, sizeof(ms))) {
		fprintf(stderr, "runqlat: the object has no targ_ms knob\n");
		return 1;
	}
	tgid = (uint32_t)a.pid;
	if (!tl_set_rodata(&t, "targ_tgid", &tgid, sizeof(tgid))) {
		fprintf(stderr, "runqlat: the object has no targ_tgid knob (rebuild it: make corpus)\n");
		return 1;
	}
	tl_load(&t, true);
	fd = tl_map_fd(&t, "hist");
	{
		struct bpf_map_info mi;

		nslots = ldr_map_info(fd, &mi) ? MAX_SLOTS : mi.max_entries;
	}
	tl_signals();
	printf("Tracing run queue latency... Hit Ctrl-C to end.\n");
	for (;;) {
		double end = a.duration > 0 ? tl_now() + a.duration : 0;
		uint64_t vals[MAX_SLOTS], zero = 0;

		while (!tl_exiting && (!end || tl_now() < end))
			usleep(50000);
		memset(vals, 0, sizeof(vals));
		/* the object's histogram may have fewer slots than we print */
		for (uint32_t k = 0; k < MAX_SLOTS && k < nslots; k++) {
			if (ldr_map_lookup(fd, &k, &vals[k]))
				vals[k] = 0;
			ldr_map_update(fd, &k, &zero, 0);
		}
		if (a.interval_mode)
			printf("\n%s\n", tl_time_str(tbuf));
		else
			printf("\n");
		tl_print_log2_hist(vals, MAX_SLOTS, ms ? "msecs" : "usecs");
		tl_print_percentiles(vals, MAX_SLOTS, ms ? "msecs" : "usecs");
		printed++;
		if (tl_exiting || !a.interval_mode || (a.count && printed >= a.count))
			break;
	}
	tl_close(&t);
	return 0;
}
