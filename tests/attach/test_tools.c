/* SPDX-License-Identifier: MIT */
/*
 * The seed tools as a person runs them: each is started with a short
 * duration, waits until its header says it is attached, we cause the
 * event it reports, and its output must show it (our pid, our path, our
 * port...).  Tools come from ../tools next to this test binary, else
 * $BAREBPF_ROOT/build/tools.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/attach/at_util.h"
#include "tests/common/testutil.h"

struct run {
	FILE *p;
	char *out;
	size_t len, cap;
};

static const char *tool_path(const char *name, char *buf, size_t size)
{
	char exe[1024], rel[128];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	cr_assert_gt(n, 0);
	exe[n] = 0;
	snprintf(buf, size, "%s/../tools/%s", dirname(exe), name);
	if (!access(buf, X_OK))
		return buf;
	snprintf(rel, sizeof(rel), "build/tools/%s", name);
	tu_repo_path(rel, buf, size);
	cr_assert_eq(access(buf, X_OK), 0, "tool %s not built (make tools)", name);
	return buf;
}

static void out_add(struct run *r, const char *s)
{
	size_t n = strlen(s);

	if (r->len + n + 1 > r->cap) {
		r->cap = (r->len + n + 1) * 2;
		r->out = realloc(r->out, r->cap);
		cr_assert_not_null(r->out);
	}
	memcpy(r->out + r->len, s, n + 1);
	r->len += n;
}

/* Start @name @args and wait for the output line containing @ready. */
static void start(struct run *r, const char *name, const char *args, const char *ready)
{
	char path[1100], cmd[2048], line[4096];

	memset(r, 0, sizeof(*r));
	snprintf(cmd, sizeof(cmd), "exec %s %s 2>&1", tool_path(name, path, sizeof(path)), args);
	r->p = popen(cmd, "r");
	cr_assert_not_null(r->p);
	while (fgets(line, sizeof(line), r->p)) {
		out_add(r, line);
		if (strstr(line, ready))
			return;
	}
	cr_assert_fail("%s exited before '%s':\n%s", name, ready, r->out ? r->out : "");
}

/* Read the rest; returns the exit status. */
static int finish(struct run *r)
{
	char line[4096];
	int st;

	while (fgets(line, sizeof(line), r->p))
		out_add(r, line);
	st = pclose(r->p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(tools, opensnoop_shows_our_open)
{
	struct run r;
	char args[64], path[128], want[256];
	int fd;

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -d 1.5", (int)getpid());
	start(&r, "opensnoop", args, "PATH");
	snprintf(path, sizeof(path), "/tmp/bb_tool_open_%d", (int)getpid());
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	snprintf(want, sizeof(want), "%d", fd);
	cr_assert(strstr(r.out, path), "no line for %s:\n%s", path, r.out);
	{
		char *line = strstr(r.out, path);

		while (line > r.out && line[-1] != '\n')
			line--;
		cr_assert_eq(atoi(line), getpid(), "line: %.*s", (int)strcspn(line, "\n"), line);
	}
	close(fd);
	unlink(path);
	free(r.out);
}

Test(tools, opensnoop_failed_open_shows_errno)
{
	struct run r;
	char args[64];

	at_need_bpf();
	snprintf(args, sizeof(args), "-x -p %d -d 1.5", (int)getpid());
	start(&r, "opensnoop", args, "PATH");
	cr_assert_lt(open("/nonexistent/bb_tool", O_RDONLY), 0);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, " -1   2 /nonexistent/bb_tool"), "no ENOENT line:\n%s", r.out);
	free(r.out);
}

Test(tools, execsnoop_shows_bin_true)
{
	struct run r;
	char args[64];
	pid_t c;

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -d 1.5", (int)getpid());
	start(&r, "execsnoop", args, "PCOMM");
	c = fork();
	if (c == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(c, NULL, 0);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "true") && strstr(r.out, "/bin/true"), "no exec line:\n%s", r.out);
	free(r.out);
}

Test(tools, syscount_counts_our_getpids)
{
	struct run r;
	char args[64], *l;

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -d 1", (int)getpid());
	start(&r, "syscount", args, "Tracing");
	for (int i = 0; i < 5000; i++)
		syscall(SYS_getpid);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	l = strstr(r.out, "\ngetpid ");
	cr_assert_not_null(l, "no getpid row:\n%s", r.out);
	cr_assert_geq(atol(l + 8 + strspn(l + 8, " ")), 5000, "%s", r.out);
	free(r.out);
}

Test(tools, readsize_histograms_our_reads)
{
	struct run r;
	char args[64], buf[256];

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -d 1", (int)getpid());
	start(&r, "readsize", args, "Tracing");
	for (int i = 0; i < 20; i++) {
		int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

		cr_assert_gt(read(fd, buf, sizeof(buf)), 0);
		close(fd);
	}
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	snprintf(args, sizeof(args), "pid %d (", (int)getpid());
	cr_assert(strstr(r.out, args) && strstr(r.out, "bytes returned") &&
		  strstr(r.out, "256 -> 511"), "no histogram of our 256-byte reads:\n%s", r.out);
	free(r.out);
}

Test(tools, runqlat_histogram_and_percentiles)
{
	struct run r;

	at_need_bpf();
	start(&r, "runqlat", "1 1", "Tracing");
	for (int i = 0; i < 50; i++)
		usleep(1000);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "usecs") && strstr(r.out, "distribution") && strstr(r.out, "p99.9"),
		  "%s", r.out);
	free(r.out);
}

/*
 * A child process for runqlat -p: its main thread blocks (in pthread_join
 * when @busy, else in pause()) and, when @busy, a second thread sleeps 1 ms
 * and spins a little in a loop, so it is woken about a thousand times a
 * second.  Only that second thread (tid != tgid) has run-queue waits, so a
 * count shows the filter is on the process, not on one thread id.  The
 * child dies with the test (PDEATHSIG) and after 30 s at the latest.
 */
static void *rq_worker(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	for (int i = 0; i < 30000; i++) {
		for (int j = 0; j < 20000; j++)
			x += (uint64_t)j;
		usleep(1000);
	}
	return NULL;
}

static pid_t rq_child(bool busy)
{
	pid_t c = fork();

	cr_assert_geq(c, 0);
	if (c == 0) {
		pthread_t th;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(30);
		if (busy && !pthread_create(&th, NULL, rq_worker, NULL))
			pthread_join(th, NULL);
		else if (!busy)
			pause();
		_exit(0);
	}
	return c;
}

/* Wait until every thread of @pid is asleep ('S' in /proc/PID/task/TID/stat). */
static void rq_wait_sleeping(pid_t pid)
{
	for (int tries = 0; tries < 500; tries++) {
		char path[64], buf[512], *st;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "re");
		cr_assert_not_null(f, "%s: %s", path, strerror(errno));
		st = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (st && st[1] == ' ' && st[2] == 'S')
			return;
		usleep(10000);
	}
	cr_assert_fail("child %d never went to sleep", (int)pid);
}

static void rq_kill(pid_t c)
{
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

Test(tools, runqlat_pid_filter_counts_the_busy_process)
{
	struct run r;
	char args[64], *l;
	pid_t c;

	at_need_bpf();
	c = rq_child(true);
	snprintf(args, sizeof(args), "-p %d 1 1", (int)c);
	start(&r, "runqlat", args, "Tracing");
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	rq_kill(c);
	cr_assert(strstr(r.out, "usecs") && strstr(r.out, "distribution"), "%s", r.out);
	l = strstr(r.out, " samples; p50");
	cr_assert_not_null(l, "no percentile line:\n%s", r.out);
	while (l > r.out && l[-1] != '\n')
		l--;
	/* ~1000 wakeups of the worker in the second; allow a slow machine */
	cr_assert_geq(atol(l), 50, "%s", r.out);
	free(r.out);
}

Test(tools, runqlat_pid_filter_idle_process_is_empty)
{
	struct run r;
	char args[64];
	pid_t c;

	at_need_bpf();
	c = rq_child(false);
	rq_wait_sleeping(c);
	snprintf(args, sizeof(args), "-p %d 1 1", (int)c);
	start(&r, "runqlat", args, "Tracing");
	/* we and the rest of the machine keep scheduling; none of it counts */
	for (int i = 0; i < 50; i++)
		usleep(1000);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	rq_kill(c);
	/* an empty histogram prints no rows (as BCC's), only the interval's time */
	cr_assert_null(strstr(r.out, "distribution"), "%s", r.out);
	cr_assert_null(strstr(r.out, "samples;"), "%s", r.out);
	{
		const char *t = strstr(r.out, "Ctrl-C to end.\n\n");

		cr_assert(t && t[18] == ':' && t[21] == ':' && t[24] == '\n', "%s", r.out);
	}
	free(r.out);
}

Test(tools, biolatency_sees_direct_writes)
{
	struct run r;
	char file[1200], dir[1024];
	void *buf = NULL;
	int fd;

	at_need_bpf();
	snprintf(file, sizeof(file), "%s/bbtool_direct_%d", getcwd(dir, sizeof(dir)), (int)getpid());
	fd = open(file, O_CREAT | O_WRONLY | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0)
		cr_skip_test("O_DIRECT on %s: %s (no block device with O_DIRECT here)", file,
			     strerror(errno));
	start(&r, "biolatency", "-d 1", "Tracing");
	cr_assert_eq(posix_memalign(&buf, 4096, 65536), 0);
	memset(buf, 1, 65536);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(pwrite(fd, buf, 65536, (off_t)i * 65536), 65536);
	fdatasync(fd);
	close(fd);
	unlink(file);
	free(buf);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "usecs") && strstr(r.out, "samples;"), "%s", r.out);
	free(r.out);
}

Test(tools, tcpconnect_shows_loopback_connect)
{
	struct run r;
	char args[64], want[64];
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int ls, c;

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -d 1.5", (int)getpid());
	start(&r, "tcpconnect", args, "DPORT");
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(ls, 1), 0);
	getsockname(ls, (struct sockaddr *)&a, &alen);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	snprintf(want, sizeof(want), "127.0.0.1        %u", ntohs(a.sin_port));
	cr_assert(strstr(r.out, want), "no '%s':\n%s", want, r.out);
	close(c);
	close(ls);
	free(r.out);
}

Test(tools, profile_samples_our_busy_loop)
{
	struct run r;
	char args[64], want[64];
	volatile uint64_t x = 0;

	at_need_bpf();
	snprintf(args, sizeof(args), "-p %d -F 499 -d 1", (int)getpid());
	start(&r, "profile", args, "Sampling");
	for (;;) {
		char line[4096];
		int fl;

		for (int i = 0; i < 1000000; i++)
			x += (uint64_t)i;
		/* stop spinning once profile has printed its stacks */
		fl = fcntl(fileno(r.p), F_GETFL);
		fcntl(fileno(r.p), F_SETFL, fl | O_NONBLOCK);
		if (fgets(line, sizeof(line), r.p)) {
			out_add(&r, line);
			fcntl(fileno(r.p), F_SETFL, fl);
			break;
		}
		clearerr(r.p);
		fcntl(fileno(r.p), F_SETFL, fl);
	}
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	snprintf(want, sizeof(want), "(%d)", (int)getpid());
	cr_assert(strstr(r.out, want), "no stack of pid %d:\n%s", (int)getpid(), r.out);
	free(r.out);
}

Test(tools, xdpdrop_counts_drops_per_action, .fini = at_net_down)
{
	struct run r;

	at_need_bpf();
	at_net_up();
	start(&r, "xdpdrop", "-i bbv0 -P 7777 -d 1.5", "Dropping");
	at_net_send_udp(7777, 4);
	at_net_send_udp(7778, 2);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "XDP_DROP              4 (UDP to port 7777)"), "%s", r.out);
	cr_assert(strstr(r.out, "XDP_PASS"), "%s", r.out);
	free(r.out);
}

Test(tools, sockfilter_counts_udp_on_loopback)
{
	struct run r;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s;

	at_need_bpf();
	if (unshare(CLONE_NEWNET))
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	cr_assert_eq(at_sh("ip link set lo up"), 0);
	start(&r, "sockfilter", "-i lo -d 1", "Filtering");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 3; i++)
		sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(s);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "UDP "), "%s", r.out);
	cr_assert_null(strstr(r.out, "\n0 packets kept"), "%s", r.out);
	free(r.out);
}

Test(tools, missing_object_is_a_clear_error)
{
	struct run r;

	setenv("BAREBPF_CORPUS_DIR", "/nonexistent-corpus", 1);
	start(&r, "opensnoop", "-d 1", "not found");
	cr_assert_eq(finish(&r), 1);
	cr_assert(strstr(r.out, "make corpus"), "%s", r.out);
	free(r.out);
}

Test(tools, help_and_bad_options)
{
	const char *names[] = { "opensnoop", "execsnoop", "syscount", "readsize", "runqlat",
				"biolatency", "tcpconnect", "profile", "xdpdrop", "sockfilter" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct run r;

		start(&r, names[i], "-h", "usage:");
		cr_assert_eq(finish(&r), 0, "%s -h", names[i]);
		cr_assert(strstr(r.out, "-d SECONDS"), "%s -h lacks -d:\n%s", names[i], r.out);
		free(r.out);
		start(&r, names[i], "-Q", "usage:");
		cr_assert_eq(finish(&r), 2, "%s -Q", names[i]);
		free(r.out);
	}
}
