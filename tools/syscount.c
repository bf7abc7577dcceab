/* SPDX-License-Identifier: MIT */
/*
 * syscount - count system calls by name, system-wide or for one process
 * (the `filter_tgid` knob of corpus/src/syscount.bpf.c, raw_tp/sys_enter).
 * Prints the top N, per interval with a positional interval, else once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

static const char usage[] =
	"usage: syscount [-p PID] [-d SECONDS] [-T TOP] [-h] [INTERVAL [COUNT]]\n"
	"Count system calls: SYSCALL COUNT, most frequent first.\n"
	"  -p PID      only this process\n"
	"  -d SECONDS  stop after this long and print (default: until Ctrl-C)\n"
	"  -T TOP      rows to print (default 10)\n"
	"  INTERVAL    print (and reset) every INTERVAL seconds, COUNT times\n";

static int top = 10;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	if (c != 'T' || atoi(arg) <= 0)
		return 1;
	top = atoi(arg);
	return 0;
}

struct row {
	uint32_t nr;
	uint64_t cnt;
};

static int cmp_row(const void *x, const void *y)
{
	const struct row *a = x, *b = y;

	return a->cnt < b->cnt ? 1 : a->cnt > b->cnt ? -1 : (a->nr > b->nr) - (a->nr < b->nr);
}

static void print_and_reset(int fd)
{
	struct row rows[1024];
	uint32_t key, next, *prev = NULL;
	size_t n = 0;
	char tbuf[16];

	while (n < BB_ARRAY_SIZE(rows) && !ldr_map_get_next_key(fd, prev, &next)) {
		uint64_t v;

		key = next;
		prev = &key;
		if (!ldr_map_lookup(fd, &key, &v)) {
			rows[n].nr = key;
			rows[n].cnt = v;
			n++;
		}
	}
	for (size_t i = 0; i < n; i++)
		ldr_map_delete(fd, &rows[i].nr);
	qsort(rows, n, sizeof(rows[0]), cmp_row);
	printf("[%s]\n%-22s %8s\n", tl_time_str(tbuf), "SYSCALL", "COUNT");
	for (size_t i = 0; i < n && (int)i < top; i++) {
		const char *name = tl_syscall_name(rows[i].nr);

		if (name)
			printf("%-22s %8llu\n", name, (unsigned long long)rows[i].cnt);
		else
			printf("%-22u %8llu\n", rows[i].nr, (unsigned long long)rows[i].cnt);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	uint32_t tgid;
	int fd, printed = 0;

	tl_parse(argc, argv, usage, "T:", on_opt, NULL, &a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "syscount", &t);
	tgid = (uint32_t)a.pid;
	if (!tl_set_rodata(&t, "filter_tgid", &tgid, sizeof(tgid))) {
		fprintf(stderr, "syscount: the object has no filter_tgid knob\n");
		return 1;
	}
	tl_load(&t, true);
	fd = tl_map_fd(&t, "counts");
	tl_signals();
	printf("Tracing syscalls%s... Ctrl-C to end.\n", a.duration > 0 ? " for a while" : "");
	for (;;) {
		double end = a.duration > 0 ? tl_now() + a.duration : 0;

		while (!tl_exiting && (!end || tl_now() < end))
			usleep(50000);
		print_and_reset(fd);
		printed++;
		if (tl_exiting || !a.interval_mode || (a.count && printed >= a.count))
			break;
	}
	tl_close(&t);
	return 0;
}
