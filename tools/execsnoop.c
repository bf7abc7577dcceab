/* SPDX-License-Identifier: MIT */
/*
 * execsnoop - trace successful exec()s: parent command, PID, PPID, the
 * return (always 0: the tracepoint fires once the new image is in) and
 * the executed path.  corpus/src/execsnoop.bpf.c (tp/sched/
 * sched_process_exec) sends one ring buffer record per exec.
 */
#include <stdio.h>
#include <string.h>

#include "tools/lib/tl.h"

struct exec_event {             /* corpus/src/execsnoop.bpf.c */
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	uint32_t old_pid;
	char comm[16];
	char filename[256];
};

static const char usage[] =
	"usage: execsnoop [-p PID] [-d SECONDS] [-U] [-h]\n"
	"Trace exec()s: PCOMM PID PPID RET PATH (PCOMM is the new image's command).\n"
	"  -p PID      only this process and its children\n"
	"  -d SECONDS  stop after this long (default: until Ctrl-C)\n"
	"  -U          show the UID column\n";

static bool show_uid;
static int filter_pid;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	if (c != 'U')
		return 1;
	show_uid = true;
	return 0;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct exec_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (filter_pid && e->pid != (uint32_t)filter_pid && e->ppid != (uint32_t)filter_pid)
		return 0;
	if (show_uid)
		printf("%-6u ", e->uid);
	printf("%-16.16s %-7u %-7u %3d %.*s\n", e->comm, e->pid, e->ppid, 0,
	       (int)sizeof(e->filename), e->filename);
	return 0;
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_ringbuf *rb;
	struct bb_err e;
	char line[512];
	double end;

	tl_parse(argc, argv, usage, "U", on_opt, NULL, &a);
	filter_pid = a.pid;
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "execsnoop", &t);
	tl_load(&t, true);
	bb_err_clear(&e);
	if (ldr_ringbuf_new(tl_map_fd(&t, "events"), on_event, NULL, &rb, &e)) {
		fprintf(stderr, "execsnoop: %s\n", bb_err_str(&e, line, sizeof(line)));
		tl_close(&t);
		return 1;
	}
	tl_signals();
	if (show_uid)
		printf("%-6s ", "UID");
	printf("%-16s %-7s %-7s %3s %s\n", "PCOMM", "PID", "PPID", "RET", "PATH");
	end = a.duration > 0 ? tl_now() + a.duration : 0;
	while (!tl_exiting && (!end || tl_now() < end)) {
		int r = ldr_ringbuf_poll(rb, 100);

		if (r < 0 && r != -4) {
			fprintf(stderr, "execsnoop: ring buffer: %s\n", strerror(-r));
			break;
		}
	}
	ldr_ringbuf_consume(rb);
	ldr_ringbuf_free(rb);
	tl_close(&t);
	return 0;
}
