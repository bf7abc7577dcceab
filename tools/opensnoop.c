/* SPDX-License-Identifier: MIT */
/*
 * opensnoop - trace openat() calls system-wide (or of one process), one
 * line per call: PID, command, the fd or the error, and the path.
 * corpus/src/opensnoop.bpf.c pairs sys_enter_openat with sys_exit_openat
 * and sends each completed call through the ring buffer `events`.
 */
#include <stdio.h>
#include <string.h>

#include "tools/lib/tl.h"

struct open_event {             /* corpus/src/opensnoop.bpf.c */
	uint32_t pid;
	uint32_t uid;
	int ret;
	int flags;
	char comm[16];
	char fname[255];
};

static const char usage[] =
	"usage: opensnoop [-p PID] [-d SECONDS] [-x] [-h]\n"
	"Trace openat() calls: PID, COMM, FD (or -1), ERR (errno or 0), PATH.\n"
	"  -p PID      only this process\n"
	"  -d SECONDS  stop after this long (default: until Ctrl-C)\n"
	"  -x          only failed opens\n";

static bool failed_only;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	if (c != 'x')
		return 1;
	failed_only = true;
	return 0;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct open_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (failed_only && e->ret >= 0)
		return 0;
	printf("%-7u %-16.16s %3d %3d %.*s\n", e->pid, e->comm, e->ret >= 0 ? e->ret : -1,
	       e->ret >= 0 ? 0 : -e->ret, (int)sizeof(e->fname), e->fname);
	return 0;
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_ringbuf *rb;
	struct bb_err e;
	char line[512];
	uint32_t tgid;
	double end;

	tl_parse(argc, argv, usage, "x", on_opt, NULL, &a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "opensnoop", &t);
	tgid = (uint32_t)a.pid;
	if (!tl_set_rodata(&t, "targ_tgid", &tgid, sizeof(tgid))) {
		fprintf(stderr, "opensnoop: the object has no targ_tgid knob\n");
		return 1;
	}
	tl_load(&t, true);
	bb_err_clear(&e);
	if (ldr_ringbuf_new(tl_map_fd(&t, "events"), on_event, NULL, &rb, &e)) {
		fprintf(stderr, "opensnoop: %s\n", bb_err_str(&e, line, sizeof(line)));
		tl_close(&t);
		return 1;
	}
	tl_signals();
	printf("%-7s %-16s %3s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
	end = a.duration > 0 ? tl_now() + a.duration : 0;
	while (!tl_exiting && (!end || tl_now() < end)) {
		int r = ldr_ringbuf_poll(rb, 100);

		if (r < 0 && r != -4 /* EINTR */) {
			fprintf(stderr, "opensnoop: ring buffer: %s\n", strerror(-r));
			break;
		}
	}
	ldr_ringbuf_consume(rb);
	ldr_ringbuf_free(rb);
	tl_close(&t);
	return 0;
}
