/* SPDX-License-Identifier: MIT */
/*
 * bench_load - loading and attaching every corpus object, barebpf next to
 * libbpf (Debian's libbpf-dev, linked into this bench binary only), and
 * ring buffer throughput.
 *
 * Load + attach, per object, best of N runs each side:
 *   barebpf  obj_open_file + ldr_obj_load + attach each program + destroy
 *   libbpf   bpf_object__open_file + bpf_object__load + attach + destroy
 * Attach targets for programs their SEC() name does not place: xdp on lo
 * (a link; lo has no native XDP so it runs generic), tc on lo ingress (clsact + cls_bpf via netlink on
 * both sides), tcx on lo ingress, socket filters on a UDP socket,
 * perf_event programs on cpu-clock of every CPU.  An object either side
 * cannot open, load or attach is "n/a" with the reason (libbpf 1.1 predates
 * `tcx/` and ignores legacy `maps`; kprobes and trampolines are missing on
 * this kernel for both).
 *
 * Ring buffer: a raw_tp/sys_enter program (tests/attach/data/
 * attach_test.bpf.c `rb_producer`) writes one 24-byte record per system
 * call of this process; a paced loop of getpid() generates a target rate
 * (100k/s) for a few seconds while a consumer thread polls; generated
 * (numbered in the program), received and lost (the numbering's gaps) are
 * reported for barebpf's and libbpf's consumers, then the unpaced maximum.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "btf/btf.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static const char *names[] = {
	"opensnoop", "execsnoop", "syscount", "readsize", "runqlat", "biolatency",
	"tcpconnect", "profile", "xdp_filter", "sockfilter", "tc_classify", "tcx_ingress",
	"legacy_maps", "globals", "map_in_map", "map_kinds", "tailcall", "loop_subprog",
	"core", "kconfig_ksym", "ksym_typed", "kfunc", "fentry", "kprobe", "xdp_csum",
	"xdp_parse", "xdp_v4_alu", "xdp_v1_loop",
};

/* ---- barebpf side ---- */

static int bb_attach(const struct ldr_obj *lo, size_t i, int sock, struct ldr_link **l,
		     struct bb_err *e)
{
	const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
	LDR_OPTS(ldr_attach_opts, o, .cpu = -1);

	switch (p->prog_type) {
	case BPF_PROG_TYPE_XDP:
		return ldr_attach_xdp(p->fd, 1, &o, l, e);
	case BPF_PROG_TYPE_SCHED_CLS:
		if (p->expected_attach_type == BPF_TCX_INGRESS)
			return ldr_attach_tcx(p->fd, 1, BPF_TCX_INGRESS, NULL, l, e);
		return ldr_attach_tc(p->fd, 1, true, NULL, l, e);
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return ldr_attach_socket(p->fd, sock, l, e);
	default:
		return ldr_obj_attach_prog(lo, i, &o, l, e);
	}
}

/* One full cycle; 0, or -errno with the reason in @why. */
static int bb_cycle(const char *path, int sock, char *why, size_t size)
{
	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct ldr_link *links[8] = { 0 };
	struct bb_err e;
	size_t n;
	int err;

	bb_err_clear(&e);
	err = obj_open_file(path, NULL, &o, &e);
	if (!err)
		err = ldr_obj_load(o, NULL, &lo, &e);
	obj_free(o);
	if (err) {
		snprintf(why, size, "load: %s", strerror(-err));
		return err;
	}
	n = ldr_obj_prog_count(lo);
	for (size_t i = 0; i < n && i < 8 && !err; i++) {
		uint32_t t = ldr_obj_prog(lo, i)->prog_type;

		err = bb_attach(lo, i, sock, &links[i], &e);
		if (err)
			snprintf(why, size, "attach: %.200s", e.msg);
		/* one XDP/tc program per device at a time, as on the libbpf side */
		if (!err && (t == BPF_PROG_TYPE_XDP || t == BPF_PROG_TYPE_SCHED_CLS ||
			     t == BPF_PROG_TYPE_SOCKET_FILTER)) {
			ldr_link_destroy(links[i]);
			links[i] = NULL;
		}
	}
	for (size_t i = 0; i < 8; i++)
		ldr_link_destroy(links[i]);
	ldr_obj_free(lo);
	return err;
}

/* ---- libbpf side ---- */

static int lb_cycle(const char *path, int sock, char *why, size_t size)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_link *links[64] = { 0 };
	struct bpf_program *prog;
	struct bpf_tc_hook hook;
	bool hook_made = false;
	size_t nl = 0;
	int err = 0;

	if (!obj) {
		snprintf(why, size, "libbpf open: %s", strerror(errno));
		return -errno;
	}
	err = bpf_object__load(obj);
	if (err) {
		snprintf(why, size, "libbpf load: %s", strerror(-err));
		bpf_object__close(obj);
		return err;
	}
	bpf_object__for_each_program(prog, obj) {
		int fd = bpf_program__fd(prog);
		struct bpf_link *l = NULL;

		switch (bpf_program__type(prog)) {
		case BPF_PROG_TYPE_XDP:
			/* a link, as ours; lo has no native XDP, so the kernel
			 * runs it in generic mode */
			l = bpf_program__attach_xdp(prog, 1);
			if (!l)
				err = -errno;
			bpf_link__destroy(l);
			l = NULL;
			break;
		case BPF_PROG_TYPE_SCHED_CLS: {
			LIBBPF_OPTS(bpf_tc_opts, to, .handle = 1, .priority = 1, .prog_fd = fd);

			memset(&hook, 0, sizeof(hook));
			hook.sz = sizeof(hook);
			hook.ifindex = 1;
			hook.attach_point = BPF_TC_INGRESS;
			err = bpf_tc_hook_create(&hook);
			hook_made = !err;
			if (err == -EEXIST)
				err = 0;
			if (!err)
				err = bpf_tc_attach(&hook, &to);
			if (!err) {
				to.prog_fd = to.flags = to.prog_id = 0;
				bpf_tc_detach(&hook, &to);
			}
			break;
		}
		case BPF_PROG_TYPE_SOCKET_FILTER:
			err = setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &fd, sizeof(fd)) ? -errno : 0;
			if (!err) {
				int z = 0;

				setsockopt(sock, SOL_SOCKET, SO_DETACH_BPF, &z, sizeof(z));
			}
			break;
		case BPF_PROG_TYPE_PERF_EVENT: {
			int ncpu = libbpf_num_possible_cpus();

			for (int c = 0; c < ncpu && !err && nl < 64; c++) {
				struct perf_event_attr pa = { .type = PERF_TYPE_SOFTWARE,
							      .size = sizeof(pa),
							      .config = PERF_COUNT_SW_CPU_CLOCK,
							      .freq = 1, .sample_freq = 49 };
				int pfd = (int)syscall(__NR_perf_event_open, &pa, -1, c, -1,
						       PERF_FLAG_FD_CLOEXEC);

				if (pfd < 0)
					continue;       /* offline CPU */
				l = bpf_program__attach_perf_event(prog, pfd);
				if (!l) {
					err = -errno;
					close(pfd);
				} else {
					links[nl++] = l;
				}
			}
			l = NULL;
			break;
		}
		default:
			l = bpf_program__attach(prog);
			if (!l)
				err = -errno;
			break;
		}
		if (l && nl < 64)
			links[nl++] = l;
		if (err) {
			snprintf(why, size, "libbpf attach %s: %s", bpf_program__section_name(prog),
				 strerror(-err));
			break;
		}
	}
	for (size_t i = 0; i < nl; i++)
		bpf_link__destroy(links[i]);
	if (hook_made) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	bpf_object__close(obj);
	return err;
}

static void bench_load(const char *dir, int runs)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	double sum_bb = 0, sum_lb = 0;
	int both = 0;

	printf("load + attach + detach + unload, best of %d (ms)\n", runs);
	printf("%-14s %10s %10s %7s  %s\n", "object", "barebpf", "libbpf", "ratio", "notes");
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char path[4096], wb[256] = "", wl[256] = "";
		double bb = 1e30, lb = 1e30;
		int eb = 0, el = 0;

		if (getenv("BENCH_ONLY") && strcmp(getenv("BENCH_ONLY"), names[k]))
			continue;
		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, names[k]);
		if (access(path, R_OK)) {
			printf("%-14s (missing)\n", names[k]);
			continue;
		}
		for (int r = 0; r < runs; r++) {
			double t0 = now_us(), t;

			eb = bb_cycle(path, sock, wb, sizeof(wb));
			t = now_us() - t0;
			if (t < bb)
				bb = t;
			t0 = now_us();
			el = lb_cycle(path, sock, wl, sizeof(wl));
			t = now_us() - t0;
			if (t < lb)
				lb = t;
			if (eb || el)
				break;
		}
		if (!eb && !el) {
			printf("%-14s %10.2f %10.2f %6.2fx\n", names[k], bb / 1e3, lb / 1e3, bb / lb);
			sum_bb += bb;
			sum_lb += lb;
			both++;
		} else {
			printf("%-14s %10s %10s %7s  %s%s%s\n", names[k], eb ? "n/a" : "ok",
			       el ? "n/a" : "ok", "", eb ? wb : "", eb && el ? "; " : "", el ? wl : "");
		}
	}
	if (both)
		printf("%-14s %10.2f %10.2f %6.2fx  (%d objects both load and attach)\n\n", "total",
		       sum_bb / 1e3, sum_lb / 1e3, sum_bb / sum_lb, both);
	close(sock);
}

/* ---- ring buffer throughput ---- */

/* Set `const volatile` @var in .rodata before the load (the object's own
 * heap copy of the initial bytes; elf/ exposes it read-only). */
static bool set_rodata(struct obj *o, const char *var, const void *val, size_t size)
{
	const struct bbtf *btf = obj_btf(o);
	int mi = obj_map_by_name(o, ".rodata");
	const struct obj_map *m = mi >= 0 ? obj_map(o, (size_t)mi) : NULL;
	const struct btf_type *ds;
	int id;

	if (!btf || !m || !m->init)
		return false;
	id = bbtf_find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0 || !(ds = bbtf_type_by_id(btf, (uint32_t)id)))
		return false;
	for (int i = 0; i < bbtf_vlen(ds); i++) {
		const struct btf_var_secinfo *vs = &bbtf_secinfos(ds)[i];
		const char *vn = bbtf_type_name(btf, vs->type);

		if (vn && !strcmp(vn, var) && vs->size == size) {
			memcpy((uint8_t *)(uintptr_t)m->init + vs->offset, val, size);
			return true;
		}
	}
	return false;
}

struct rec {
	uint32_t pid, seq;
	uint64_t pad[2];
};

struct rb_run {
	volatile int stop;
	uint64_t received;
	uint32_t max_seq;
	struct ldr_ringbuf *bb;
	struct ring_buffer *lb;
};

static int on_rec(void *ctx, const void *data, size_t size)
{
	struct rb_run *r = ctx;
	const struct rec *x = data;

	r->received++;
	if (x->seq + 1 > r->max_seq)
		r->max_seq = x->seq + 1;
	return 0;
}

static int on_rec_lb(void *ctx, void *data, size_t size)
{
	return on_rec(ctx, data, size);
}

static void *consumer(void *arg)
{
	struct rb_run *r = arg;

	while (!r->stop) {
		if (r->bb)
			ldr_ringbuf_poll(r->bb, 10);
		else
			ring_buffer__poll(r->lb, 10);
	}
	if (r->bb)
		while (ldr_ringbuf_consume(r->bb) > 0)
			;
	else
		while (ring_buffer__consume(r->lb) > 0)
			;
	return NULL;
}

static void rb_measure(const char *objpath, bool use_libbpf, double rate, double secs)
{
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true);
	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct ldr_link *l = NULL;
	struct rb_run run = { 0 };
	struct bb_err e;
	pthread_t th;
	uint32_t me = (uint32_t)getpid(), zero = 0, gen[2] = { 0 };
	int ri, bi;

	if (use_libbpf)
		run.bb = NULL;
	double t0, t1;
	uint64_t calls = 0;

	bb_err_clear(&e);
	if (obj_open_file(objpath, NULL, &o, &e)) {
		printf("ring buffer: %s\n", e.msg);
		return;
	}
	if (!set_rodata(o, "targ_tid", &me, sizeof(me))) {
		printf("ring buffer: no .rodata targ_tid in %s\n", objpath);
		obj_free(o);
		return;
	}
	if (ldr_obj_load(o, &lopts, &lo, &e) < 0) {
		printf("ring buffer: %s\n", e.msg);
		obj_free(o);
		return;
	}
	obj_free(o);
	ri = ldr_obj_map_by_name(lo, "rb_big");
	bi = ldr_obj_map_by_name(lo, ".bss");
	if (use_libbpf)
		run.lb = ring_buffer__new(ldr_obj_map(lo, (size_t)ri)->fd, on_rec_lb, &run, NULL);
	else
		ldr_ringbuf_new(ldr_obj_map(lo, (size_t)ri)->fd, on_rec, &run, &run.bb, &e);
	if (!run.lb && !run.bb) {
		printf("ring buffer: consumer: %s\n", e.msg);
		ldr_obj_free(lo);
		return;
	}
	pthread_create(&th, NULL, consumer, &run);
	if (ldr_attach_raw_tp(ldr_obj_prog(lo, (size_t)ldr_obj_prog_by_name(lo, "rb_bench"))->fd,
			      "sys_enter", NULL, &l, &e)) {
		printf("ring buffer: attach: %s\n", e.msg);
		run.stop = 1;
		pthread_join(th, NULL);
		goto out;
	}
	t0 = now_us();
	for (;;) {
		double t = now_us() - t0;

		if (t >= secs * 1e6)
			break;
		/* pace: stay at most one call ahead of the target rate */
		if (rate > 0 && (double)calls >= t * rate / 1e6)
			continue;
		syscall(SYS_getpid);
		calls++;
	}
	t1 = now_us();
	ldr_link_destroy(l);
	run.stop = 1;
	pthread_join(th, NULL);
	/* .bss holds seq then big_seq */
	ldr_map_lookup(ldr_obj_map(lo, (size_t)bi)->fd, &zero, gen);
	printf("  %-8s target %7s: generated %8u (%7.0f/s), received %8llu (%7.0f/s), lost %llu\n",
	       use_libbpf ? "libbpf" : "barebpf", rate > 0 ? "100k/s" : "max", gen[1],
	       gen[1] / ((t1 - t0) / 1e6), (unsigned long long)run.received,
	       run.received / ((t1 - t0) / 1e6), (unsigned long long)(gen[1] - run.received));
out:
	ldr_ringbuf_free(run.bb);
	if (run.lb)
		ring_buffer__free(run.lb);
	ldr_obj_free(lo);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../build/corpus";
	const char *rbobj = argc > 2 ? argv[2] : "out/attach_test.bpf.o";
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	struct bb_err e;

	libbpf_set_print(quiet);
	bb_err_clear(&e);
	if (ldr_probe_bpf(&e)) {
		printf("bench_load: bpf() refused here: %s\n", e.msg);
		return 0;
	}
	bench_load(dir, runs > 0 ? runs : 5);
	if (getenv("BENCH_ONLY"))
		return 0;
	printf("ring buffer (4 MiB, 24-byte records, one per system call of the generating thread,\n"
	       "paced getpid() loop for 2 s, consumer thread polling):\n");
	rb_measure(rbobj, false, 100000, 2);
	rb_measure(rbobj, true, 100000, 2);
	rb_measure(rbobj, false, 0, 2);
	rb_measure(rbobj, true, 0, 2);
	return 0;
}
