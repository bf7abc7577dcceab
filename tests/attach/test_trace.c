/* SPDX-License-Identifier: MIT */
/*
 * Tracing attach points against the running kernel, each with an event we
 * cause ourselves and filter by our own pid: tracepoints (link and legacy
 * ioctl), raw_tp, tp_btf, perf_event sampling, iterators, pinned links,
 * auto-attach; kprobe/fentry/lsm report why they cannot attach here.
 * Every cycle ends with the same /proc/self/fd count it started with.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/attach/at_util.h"

struct open_event {
	uint32_t pid, uid;
	int ret, flags;
	char comm[16];
	char fname[255];
};

struct open_seen {
	const char *path;
	int fd;
	bool seen;
};

static int on_open(void *ctx, const void *data, size_t size)
{
	struct open_seen *s = ctx;
	const struct open_event *e = data;

	cr_assert_geq(size, sizeof(*e));
	cr_assert_eq(e->pid, (uint32_t)getpid(), "targ_tgid filter let pid %u through", e->pid);
	if (!strcmp(e->fname, s->path)) {
		cr_assert_eq(e->ret, s->fd, "fd %d reported, open gave %d", e->ret, s->fd);
		s->seen = true;
	}
	return 0;
}

static void opensnoop_cycle(enum ldr_attach_mode mode, enum ldr_link_kind want)
{
	char obj[4096], path[128];
	struct ldr_obj *lo;
	struct ldr_link *links[2] = { 0 };
	struct ldr_ringbuf *rb;
	struct open_seen s = { .path = path };
	struct bb_err e;
	LDR_OPTS(ldr_attach_opts, o, .mode = mode);
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("opensnoop", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	for (size_t i = 0; i < 2; i++) {
		bb_err_clear(&e);
		cr_assert_eq(ldr_obj_attach_prog(lo, i, &o, &links[i], &e), 0, "%s", e.msg);
		cr_assert_eq(ldr_link_kind(links[i]), want, "%s", ldr_link_desc(links[i]));
	}
	cr_assert_eq(ldr_ringbuf_new(at_map_fd(lo, "events"), on_open, &s, &rb, &e), 0, "%s", e.msg);
	snprintf(path, sizeof(path), "/tmp/bb_opensnoop_%d", (int)getpid());
	s.fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	cr_assert_geq(s.fd, 0);
	for (int i = 0; i < 50 && !s.seen; i++)
		cr_assert_geq(ldr_ringbuf_poll(rb, 100), 0);
	cr_assert(s.seen, "opensnoop did not report our open of %s", path);
	close(s.fd);
	unlink(path);
	ldr_ringbuf_free(rb);
	for (size_t i = 0; i < 2; i++)
		cr_assert_eq(ldr_link_destroy(links[i]), 0);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before, "fds leaked");
}

Test(trace, tracepoint_link_opensnoop)
{
	opensnoop_cycle(LDR_ATTACH_AUTO, LDR_LINK_BPF);
}

Test(trace, tracepoint_legacy_ioctl_opensnoop)
{
	opensnoop_cycle(LDR_ATTACH_LEGACY, LDR_LINK_PERF_IOCTL);
}

Test(trace, tracepoint_missing_says_where_it_looked)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l = NULL;
	struct bb_err e;
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("opensnoop", obj, sizeof(obj)), 1, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_tracepoint(ldr_obj_prog(lo, 0)->fd, "syscalls", "no_such_tp", NULL,
					   &l, &e), -ENOENT);
	cr_assert_null(l);
	cr_assert(strstr(e.msg, "no such tracepoint") && strstr(e.msg, "no_such_tp/id"), "%s", e.msg);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

struct exec_event {
	uint32_t pid, ppid, uid, old_pid;
	char comm[16];
	char filename[256];
};

struct exec_seen {
	pid_t child;
	bool seen;
};

static int on_exec(void *ctx, const void *data, size_t size)
{
	struct exec_seen *s = ctx;
	const struct exec_event *e = data;

	cr_assert_geq(size, sizeof(*e));
	if (e->pid == (uint32_t)s->child) {
		cr_assert_eq(e->ppid, (uint32_t)getpid());
		cr_assert_str_eq(e->filename, "/bin/true");
		cr_assert_str_eq(e->comm, "true");
		s->seen = true;
	}
	return 0;
}

Test(trace, tracepoint_execsnoop_sees_bin_true)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link **links;
	struct ldr_ringbuf *rb;
	struct exec_seen s = { 0 };
	struct bb_err e;
	int st, before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("execsnoop", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_all(lo, NULL, &links, &e), 0, "%s", e.msg);
	cr_assert_not_null(links[0]);
	cr_assert_eq(ldr_ringbuf_new(at_map_fd(lo, "events"), on_exec, &s, &rb, &e), 0, "%s", e.msg);
	s.child = fork();
	if (s.child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(s.child, &st, 0), s.child);
	for (int i = 0; i < 50 && !s.seen; i++)
		cr_assert_geq(ldr_ringbuf_poll(rb, 100), 0);
	cr_assert(s.seen, "execsnoop did not report pid %d exec'ing /bin/true", (int)s.child);
	ldr_ringbuf_free(rb);
	ldr_links_destroy(links, ldr_obj_prog_count(lo));
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, raw_tp_syscount_counts_our_getpids)
{
	char obj[4096];
	struct obj *o;
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	uint32_t me = (uint32_t)getpid(), nr = SYS_getpid;
	uint64_t cnt = 0;
	int before = at_fd_count();

	at_need_bpf();
	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(at_corpus("syscount", obj, sizeof(obj)), NULL, &o, &e), 0);
	cr_assert(at_set_rodata(o, "filter_tgid", &me, sizeof(me)));
	cr_assert_geq(ldr_obj_load(o, NULL, &lo, &e), 0, "%s", e.msg);
	obj_free(o);
	cr_assert_eq(ldr_obj_attach_prog(lo, 0, NULL, &l, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_link_kind(l), LDR_LINK_BPF);
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getpid);
	cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &cnt), 0);
	cr_assert_geq(cnt, 1000, "getpid counted %llu times", (unsigned long long)cnt);
	cr_assert_eq(ldr_link_destroy(l), 0);
	for (int i = 0; i < 100; i++)
		syscall(SYS_getpid);
	{
		uint64_t after = 0;

		cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &after), 0);
		cr_assert_eq(after, cnt, "still counting after detach: %llu -> %llu",
			     (unsigned long long)cnt, (unsigned long long)after);
	}
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, tp_btf_runqlat_fills_histogram)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link **links;
	struct bb_err e;
	uint64_t total = 0;
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("runqlat", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_all(lo, NULL, &links, &e), 0, "%s", e.msg);
	for (size_t i = 0; i < ldr_obj_prog_count(lo); i++) {
		cr_assert_not_null(links[i], "prog %zu not attached", i);
		cr_assert_eq(ldr_link_kind(links[i]), LDR_LINK_BPF);
	}
	for (int i = 0; i < 50; i++) {
		usleep(1000);   /* each wakeup is a sched_wakeup + sched_switch */
		sched_yield();
	}
	for (uint32_t k = 0; k < 26; k++) {     /* MAX_SLOTS of runqlat.bpf.c */
		uint64_t v = 0;

		cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "hist"), &k, &v), 0);
		total += v;
	}
	cr_assert_gt(total, 0, "no run-queue latency recorded");
	ldr_links_destroy(links, ldr_obj_prog_count(lo));
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

struct sample_key {
	uint32_t pid;
	int kern_stack_id, user_stack_id;
	char comm[16];
};

Test(trace, perf_event_sampling_counts_our_samples)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	struct sample_key key, next, *prev = NULL;
	uint64_t ours = 0;
	LDR_OPTS(ldr_attach_opts, o, .cpu = -1, .sample_freq = 999);
	int before = at_fd_count();
	double t0;

	at_need_bpf();
	lo = at_load(at_corpus("profile", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_perf_sampling(at_prog_fd(lo, "do_sample"), &o, &l, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_link_kind(l), LDR_LINK_MULTI);
	{
		struct timespec ts;
		volatile uint64_t x = 0;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
		for (;;) {
			for (int i = 0; i < 100000; i++)
				x += (uint64_t)i;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			if ((double)ts.tv_sec + ts.tv_nsec / 1e9 - t0 > 0.3)
				break;
		}
	}
	cr_assert_eq(ldr_link_destroy(l), 0);
	while (!ldr_map_get_next_key(at_map_fd(lo, "counts"), prev, &next)) {
		uint64_t v = 0;

		key = next;
		prev = &key;
		if (key.pid == (uint32_t)getpid() &&
		    !ldr_map_lookup(at_map_fd(lo, "counts"), &key, &v))
			ours += v;
	}
	cr_assert_gt(ours, 0, "no cpu-clock sample of our busy loop");
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, iterator_task_lists_us)
{
	char obj[4096], want[64], *out;
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	size_t len;
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_prog(lo, at_prog(lo, "iter_tasks"), NULL, &l, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_iter_read_all(l, &out, &len, &e), 0, "%s", e.msg);
	snprintf(want, sizeof(want), "task %d ", (int)getpid());
	cr_assert_not_null(strstr(out, want), "iterator output lacks '%s'", want);
	{
		size_t lines = 0;

		for (const char *q = out; (q = strstr(q, "task ")); q++)
			lines++;
		cr_assert_geq(lines, 10, "only %zu tasks listed", lines);
	}
	free(out);
	cr_assert_eq(ldr_link_destroy(l), 0);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, link_pin_outlives_fd_and_unpins)
{
	char obj[4096], path[128];
	struct ldr_obj *lo;
	struct ldr_link *l, *again;
	struct bb_err e;
	struct obj *o;
	uint32_t me = (uint32_t)getpid(), nr = SYS_getpid;
	uint64_t c0 = 0, c1 = 0;
	int before = at_fd_count();

	at_need_bpf();
	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(at_corpus("syscount", obj, sizeof(obj)), NULL, &o, &e), 0);
	cr_assert(at_set_rodata(o, "filter_tgid", &me, sizeof(me)));
	cr_assert_geq(ldr_obj_load(o, NULL, &lo, &e), 0, "%s", e.msg);
	obj_free(o);
	cr_assert_eq(ldr_obj_attach_prog(lo, 0, NULL, &l, &e), 0, "%s", e.msg);
	snprintf(path, sizeof(path), "/sys/fs/bpf/bbtest_link_%d", (int)getpid());
	cr_assert_eq(ldr_link_pin(l, path), 0, "pin %s", path);
	/* destroying our handle leaves the pinned link attached */
	cr_assert_eq(ldr_link_destroy(l), 0);
	ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &c0);
	for (int i = 0; i < 100; i++)
		syscall(SYS_getpid);
	ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &c1);
	cr_assert_geq(c1, c0 + 100, "pinned link stopped counting");
	cr_assert_eq(ldr_link_open_pinned(path, &again, &e), 0, "%s", e.msg);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(ldr_link_destroy(again), 0);
	ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &c0);
	for (int i = 0; i < 100; i++)
		syscall(SYS_getpid);
	ldr_map_lookup(at_map_fd(lo, "counts"), &nr, &c1);
	cr_assert_lt(c1, c0 + 100, "link still attached after unpin + destroy");
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, kprobe_fails_with_reason_when_not_configured)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l = NULL;
	struct bb_err e;
	bool have = !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
		    !access("/sys/kernel/tracing/kprobe_events", F_OK);
	int r, before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("kprobe", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	r = ldr_obj_attach_prog(lo, 0, NULL, &l, &e);
	if (have) {
		cr_assert_eq(r, 0, "kprobes are configured but attach failed: %s", e.msg);
		ldr_link_destroy(l);
	} else {
		cr_assert_eq(r, -EOPNOTSUPP);
		cr_assert_null(l);
		cr_assert(strstr(e.msg, "kprobes not configured"), "%s", e.msg);
	}
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

/* fentry/fexit and lsm: where trampolines are refused the load already
 * fails with EPERM; attaching then says the program is not loaded. */
static void trampoline_case(const char *path)
{
	struct ldr_obj *lo;
	struct ldr_link *l = NULL;
	struct bb_err e;
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(path, 0, NULL);
	for (size_t i = 0; i < ldr_obj_prog_count(lo); i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
		int r;

		bb_err_clear(&e);
		r = ldr_obj_attach_prog(lo, i, NULL, &l, &e);
		if (p->err == 0) {
			if (r == 0) {
				ldr_link_destroy(l);
				continue;
			}
			cr_assert_eq(r, -EPERM, "%s: %s", p->name, e.msg);
			cr_assert(strstr(e.msg, "trampolines"), "%s", e.msg);
		} else {
			cr_assert_eq(p->err, -EPERM, "%s refused with %d, not EPERM", p->name, p->err);
			cr_assert_eq(r, -EBADF);
			cr_assert(strstr(e.msg, "not loaded"), "%s", e.msg);
		}
		cr_assert_null(l);
	}
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, fentry_fexit_refused_with_reason)
{
	char obj[4096];

	trampoline_case(at_corpus("fentry", obj, sizeof(obj)));
}

Test(trace, lsm_refused_with_reason)
{
	char obj[4096];

	trampoline_case(at_data_obj("lsm_test", obj, sizeof(obj)));
}

Test(trace, attach_all_skips_targeted_programs)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link **links;
	struct ldr_link *l = NULL;
	struct bb_err e;
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("xdp_filter", obj, sizeof(obj)), 0, NULL);
	cr_assert_not(ldr_obj_prog_autoattachable(lo, 0));
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_all(lo, NULL, &links, &e), 0, "%s", e.msg);
	cr_assert_null(links[0]);
	ldr_links_destroy(links, ldr_obj_prog_count(lo));
	cr_assert_eq(ldr_obj_attach_prog(lo, 0, NULL, &l, &e), -EOPNOTSUPP);
	cr_assert(strstr(e.msg, "needs a target"), "%s", e.msg);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

struct conn_event {
	uint32_t pid;
	uint16_t family, dport;
	uint8_t saddr[16], daddr[16];
	char comm[16];
};

struct conn_seen {
	int port;
	bool seen;
	uint64_t lost;
};

static void on_conn(void *ctx, int cpu, const void *data, uint32_t size)
{
	struct conn_seen *s = ctx;
	const struct conn_event *e = data;
	uint8_t lo4[4] = { 127, 0, 0, 1 };

	cr_assert_geq(size, sizeof(*e));
	if (e->pid != (uint32_t)getpid() || e->dport != s->port)
		return;
	cr_assert_eq(e->family, AF_INET);
	cr_assert_eq(memcmp(e->daddr, lo4, 4), 0);
	s->seen = true;
}

static void on_conn_lost(void *ctx, int cpu, uint64_t n)
{
	((struct conn_seen *)ctx)->lost += n;
}

Test(trace, tracepoint_tcpconnect_perf_buffer)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link **links;
	struct ldr_perfbuf *pb;
	struct conn_seen s = { 0 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct bb_err e;
	int ls, c, before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_corpus("tcpconnect", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_all(lo, NULL, &links, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_perfbuf_new(at_map_fd(lo, "events"), 8, on_conn, on_conn_lost, &s, &pb, &e),
		     0, "%s", e.msg);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(ls, 1), 0);
	getsockname(ls, (struct sockaddr *)&a, &alen);
	s.port = ntohs(a.sin_port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	for (int i = 0; i < 50 && !s.seen; i++)
		cr_assert_geq(ldr_perfbuf_poll(pb, 100), 0);
	cr_assert(s.seen, "no connect event for port %d from pid %d", s.port, (int)getpid());
	cr_assert_eq(s.lost, 0);
	close(c);
	close(ls);
	ldr_perfbuf_free(pb);
	ldr_links_destroy(links, ldr_obj_prog_count(lo));
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(trace, tracepoint_biolatency_direct_io)
{
	char obj[4096], file[4200], dir[4096];
	struct ldr_obj *lo;
	struct ldr_link **links;
	struct bb_err e;
	uint64_t total = 0;
	int fd, before;
	void *buf = NULL;

	at_need_bpf();
	/* the build directory sits on the repository's disk, unlike /tmp */
	snprintf(file, sizeof(file), "%s/bbtest_direct_%d", getcwd(dir, sizeof(dir)), (int)getpid());
	fd = open(file, O_CREAT | O_WRONLY | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0)
		cr_skip_test("O_DIRECT on %s: %s (no block device with O_DIRECT here)", file,
			     strerror(errno));
	before = at_fd_count();
	lo = at_load(at_corpus("biolatency", obj, sizeof(obj)), 0, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_obj_attach_all(lo, NULL, &links, &e), 0, "%s", e.msg);
	cr_assert_eq(posix_memalign(&buf, 4096, 65536), 0);
	memset(buf, 0x5a, 65536);
	for (int i = 0; i < 16; i++) {
		if (pwrite(fd, buf, 65536, (off_t)i * 65536) != 65536) {
			int err = errno;

			unlink(file);
			cr_skip_test("O_DIRECT write on %s: %s", file, strerror(err));
		}
	}
	fdatasync(fd);
	for (uint32_t k = 0; k < 32; k++) {
		uint64_t v = 0;

		ldr_map_lookup(at_map_fd(lo, "hist"), &k, &v);
		total += v;
	}
	free(buf);
	ldr_links_destroy(links, ldr_obj_prog_count(lo));
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
	close(fd);
	unlink(file);
	cr_assert_gt(total, 0, "16 direct writes and no block I/O completion seen");
}
