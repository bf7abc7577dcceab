/* SPDX-License-Identifier: MIT */
/*
 * readsize - log2 histograms of read() sizes per process: the bytes
 * asked for (sys_enter_read count) and the bytes returned (sys_exit_read
 * ret > 0), from corpus/src/readsize.bpf.c's hash `hist` keyed by
 * {tgid, slot, kind}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

#define MAX_SLOTS 32
#define MAX_PROCS 512

struct hist_key {               /* corpus/src/readsize.bpf.c */
	uint32_t tgid;
	uint16_t slot;
	uint16_t kind;
};

struct proc {
	uint32_t tgid;
	uint64_t h[2][MAX_SLOTS];
	uint64_t total;
};

static const char usage[] =
	"usage: readsize [-p PID] [-d SECONDS] [-h] [INTERVAL [COUNT]]\n"
	"Histogram of read() sizes per process (bytes requested and returned).\n"
	"  -p PID      only this process\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n";

static int cmp_proc(const void *x, const void *y)
{
	const struct proc *a = x, *b = y;

	return a->total < b->total ? 1 : a->total > b->total ? -1 : 0;
}

static void print_and_reset(int fd, int pid)
{
	static struct proc procs[MAX_PROCS];
	struct hist_key key, next, *prev = NULL;
	size_t n = 0;
	char comm[32];

	memset(procs, 0, sizeof(procs));
	while (!ldr_map_get_next_key(fd, prev, &next)) {
		uint64_t v;
		size_t i;

		key = next;
		prev = &key;
		if (ldr_map_lookup(fd, &key, &v) || key.slot >= MAX_SLOTS || key.kind > 1)
			continue;
		if (pid && key.tgid != (uint32_t)pid)
			continue;
		for (i = 0; i < n && procs[i].tgid != key.tgid; i++)
			;
		if (i == n) {
			if (n == MAX_PROCS)
				continue;
			procs[n++].tgid = key.tgid;
		}
		procs[i].h[key.kind][key.slot] += v;
		procs[i].total += v;
	}
	/* reset: delete everything we saw, key by key */
	prev = NULL;
	while (!ldr_map_get_next_key(fd, NULL, &next))
		if (ldr_map_delete(fd, &next))
			break;
	qsort(procs, n, sizeof(procs[0]), cmp_proc);
	for (size_t i = 0; i < n; i++) {
		tl_comm((int)procs[i].tgid, comm, sizeof(comm));
		printf("\npid %u (%s): read() bytes requested\n", procs[i].tgid, comm);
		tl_print_log2_hist(procs[i].h[0], MAX_SLOTS, "bytes");
		printf("pid %u (%s): read() bytes returned\n", procs[i].tgid, comm);
		tl_print_log2_hist(procs[i].h[1], MAX_SLOTS, "bytes");
	}
	if (!n)
		printf("no read() calls seen\n");
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	int fd, printed = 0;

	tl_parse(argc, argv, usage, NULL, NULL, NULL, &a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "readsize", &t);
	tl_load(&t, true);
	fd = tl_map_fd(&t, "hist");
	tl_signals();
	printf("Tracing read() sizes... Ctrl-C to end.\n");
	for (;;) {
		double end = a.duration > 0 ? tl_now() + a.duration : 0;

		while (!tl_exiting && (!end || tl_now() < end))
			usleep(50000);
		print_and_reset(fd, a.pid);
		printed++;
		if (tl_exiting || !a.interval_mode || (a.count && printed >= a.count))
			break;
	}
	tl_close(&t);
	return 0;
}
