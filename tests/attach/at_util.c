/* SPDX-License-Identifier: MIT */
/* tests/attach helpers (see at_util.h). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btf/btf.h"
#include "tests/attach/at_util.h"
#include "tests/common/testutil.h"

void at_need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("%s", e.msg);
}

int at_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d, "cannot list /proc/self/fd");
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

const char *at_corpus(const char *name, char *buf, size_t size)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "build/corpus/%s.bpf.o", name);
	tu_repo_path(rel, buf, size);
	if (access(buf, R_OK))
		cr_skip_test("%s missing: run `make corpus` first", buf);
	return buf;
}

const char *at_data_obj(const char *name, char *buf, size_t size)
{
	char rel[256];

	char exe[1024], src[1024], vmh[1024], inc[1024], data[1024], tmp[1100], cmd[16384];
	struct stat ss, os;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	cr_assert_gt(n, 0);
	exe[n] = 0;
	snprintf(rel, sizeof(rel), "tests/attach/data/%s.bpf.c", name);
	tu_repo_path(rel, src, sizeof(src));
	tu_repo_path("build/corpus/vmlinux.h", vmh, sizeof(vmh));
	tu_repo_path("corpus/include", inc, sizeof(inc));
	tu_repo_path("tests/attach/data", data, sizeof(data));
	if (access(vmh, R_OK))
		cr_skip_test("%s missing: run `make corpus` first", vmh);
	snprintf(buf, size, "%s/attach_data/%s.bpf.o", dirname(exe), name);
	cr_assert_eq(stat(src, &ss), 0, "%s: %s", src, strerror(errno));
	if (!stat(buf, &os) && os.st_mtime >= ss.st_mtime)
		return buf;
	/* compile to a private name, then rename: parallel workers race here */
	snprintf(tmp, sizeof(tmp), "%s.%d", buf, (int)getpid());
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && clang-19 -target bpf -O2 -g "
		 "-mcpu=v3 -I'%s' -I'%s' -I'%s' -c '%s' -o '%s' && mv '%s' '%s'", buf, inc,
		 dirname(vmh), data, src, tmp, tmp, buf);
	cr_assert_eq(system(cmd), 0, "compiling %s failed: %s", src, cmd);
	return buf;
}

bool at_set_rodata(struct obj *o, const char *var, const void *val, size_t size)
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
			/* the object's own heap copy of .rodata, read-only in elf/'s API */
			memcpy((uint8_t *)(uintptr_t)m->init + vs->offset, val, size);
			return true;
		}
	}
	return false;
}

struct ldr_obj *at_load(const char *path, uint32_t tgid, struct obj **o_out)
{
	LDR_OPTS(ldr_obj_opts, lo_opts, .keep_going = true);
	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct bb_err e;
	char line[1024];
	int r;

	bb_err_clear(&e);
	cr_assert_eq(obj_open_file(path, NULL, &o, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	if (tgid)
		cr_assert(at_set_rodata(o, "targ_tgid", &tgid, sizeof(tgid)), "no targ_tgid in %s", path);
	r = ldr_obj_load(o, &lo_opts, &lo, &e);
	cr_assert_geq(r, 0, "%s", bb_err_str(&e, line, sizeof(line)));
	if (o_out)
		*o_out = o;
	else
		obj_free(o);
	return lo;
}

size_t at_prog(const struct ldr_obj *lo, const char *name)
{
	int i = ldr_obj_prog_by_name(lo, name);

	cr_assert_geq(i, 0, "no program %s", name);
	return (size_t)i;
}

int at_prog_fd(const struct ldr_obj *lo, const char *name)
{
	const struct ldr_obj_prog *p = ldr_obj_prog(lo, at_prog(lo, name));

	cr_assert_geq(p->fd, 0, "program %s not loaded: %s", name, p->error.msg);
	return p->fd;
}

int at_map_fd(const struct ldr_obj *lo, const char *name)
{
	int i = ldr_obj_map_by_name(lo, name);

	cr_assert_geq(i, 0, "no map %s", name);
	return ldr_obj_map(lo, (size_t)i)->fd;
}

uint64_t at_counter(const struct ldr_obj *lo, uint32_t k)
{
	uint64_t v = 0;

	cr_assert_eq(ldr_map_lookup(at_map_fd(lo, "counters"), &k, &v), 0);
	return v;
}

int at_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *at_sh_out(const char *fmt, ...)
{
	char cmd[4096];
	size_t cap = 8192, n = 0;
	char *out = malloc(cap);
	va_list ap;
	FILE *p;

	cr_assert_not_null(out);
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	for (;;) {
		size_t r;

		if (cap - n < 4096)
			out = realloc(out, cap *= 2);
		cr_assert_not_null(out);
		r = fread(out + n, 1, cap - n - 1, p);
		if (!r)
			break;
		n += r;
	}
	out[n] = 0;
	pclose(p);
	return out;
}

/*
 * Sandboxes of test processes that were killed (SIGKILL runs no .fini):
 * names end in the creator's pid, so remove those whose process is gone.
 */
static void sweep_stale(const char *dir, const char *prefix, bool netns)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(prefix);
		char path[512];
		long pid;

		if (strncmp(de->d_name, prefix, n) || !(pid = atol(de->d_name + n)))
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (netns) {
			at_sh("ip netns del %s 2>/dev/null", de->d_name);
		} else {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			rmdir(path);
		}
	}
	closedir(d);
}

static char peer_ns[64];

int at_net_up(void)
{
	int ifindex;

	sweep_stale("/run/netns", "bbpeer", true);
	if (unshare(CLONE_NEWNET))
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
	snprintf(peer_ns, sizeof(peer_ns), "bbpeer%d", (int)getpid());
	cr_assert_eq(at_sh("ip netns add %s && ip link set lo up && "
			   "ip link add bbv0 type veth peer name bbv1 netns %s && "
			   "ip addr add 10.77.0.1/24 dev bbv0 && ip link set bbv0 up && "
			   "ip -n %s addr add 10.77.0.2/24 dev bbv1 && ip -n %s link set bbv1 up && "
			   "ip -n %s link set lo up", peer_ns, peer_ns, peer_ns, peer_ns, peer_ns), 0,
		     "setting up the veth pair failed");
	ifindex = (int)if_nametoindex("bbv0");
	cr_assert_gt(ifindex, 0);
	return ifindex;
}

void at_net_down(void)
{
	if (peer_ns[0])
		at_sh("ip netns del %s 2>/dev/null", peer_ns);
	peer_ns[0] = 0;
}

void at_net_send_udp(int port, int n)
{
	char path[128];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "/run/netns/%s", peer_ns);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		int nsfd = open(path, O_RDONLY | O_CLOEXEC), s;

		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
			_exit(10);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		inet_pton(AF_INET, "10.77.0.1", &to.sin_addr);
		for (int i = 0; i < n; i++)
			if (sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof(to)) != 5)
				_exit(11);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sender in %s failed (%d)", peer_ns,
		  WEXITSTATUS(st));
	usleep(100000);         /* let the frames cross the veth */
}

static char cg_made[256];

void at_cgroup_fini(void)
{
	if (cg_made[0])
		rmdir(cg_made);
	cg_made[0] = 0;
}

int at_cgroup_up(char *path, size_t size)
{
	const char *root = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ?
			   "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
	int fd;

	if (access(root, W_OK))
		cr_skip_test("no writable cgroup v2 hierarchy (%s)", root);
	sweep_stale(root, "bbtest", false);
	snprintf(path, size, "%s/bbtest%d", root, (int)getpid());
	if (mkdir(path, 0755) && errno != EEXIST)
		cr_skip_test("mkdir %s: %s", path, strerror(errno));
	/* removed by at_cgroup_down(), or by the .fini when an assert fails */
	snprintf(cg_made, sizeof(cg_made), "%s", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	return fd;
}

void at_cgroup_run(const char *path, void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char procs[4200], me[32];
		int fd;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
		snprintf(me, sizeof(me), "%d\n", (int)getpid());
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, me, strlen(me)) < 0)
			_exit(10);
		close(fd);
		fn();
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child in %s failed", path);
}

void at_cgroup_down(const char *path, int fd)
{
	if (fd >= 0)
		close(fd);
	rmdir(path);
	cg_made[0] = 0;
}
