/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_link.c - struct ldr_link: one attachment, however it was
 * made, and how to undo it.  Also the small system helpers the attach
 * files share (perf_event_open, tracefs, CPU lists).
 *
 * Undoing depends on the way in: a bpf link detaches when its last fd
 * closes (unless pinned); a perf event with PERF_EVENT_IOC_SET_BPF when
 * the event closes; BPF_PROG_ATTACH, SO_ATTACH_BPF, IFLA_XDP and cls_bpf
 * stay until told otherwise, so the link keeps what it needs to tell them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "loader/ldr_internal.h"

struct ldr_link *ldr_link_alloc(enum ldr_link_kind kind, const char *fmt, ...)
{
	struct ldr_link *l = calloc(1, sizeof(*l));
	va_list ap;

	if (!l)
		return NULL;
	l->kind = kind;
	l->fd = l->perf_fd = l->prog_fd = l->target_fd = -1;
	va_start(ap, fmt);
	vsnprintf(l->desc, sizeof(l->desc), fmt, ap);
	va_end(ap);
	return l;
}

int ldr_link_add_sub(struct ldr_link *multi, struct ldr_link *sub)
{
	struct ldr_link **n = realloc(multi->subs, (multi->nsub + 1) * sizeof(*n));

	if (!n) {
		ldr_link_destroy(sub);
		return -ENOMEM;
	}
	multi->subs = n;
	multi->subs[multi->nsub++] = sub;
	return 0;
}

int ldr_attach_opts_get(struct ldr_attach_opts *o, const struct ldr_attach_opts *user)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	o->cpu = -1;
	o->pid = -1;
	if (!user)
		return 0;
	return ldr_opts_copy(o, sizeof(*o), user, user->sz);
}

int ldr_link_create(struct bb_attr_link_create *attr)
{
	int fd = ldr_sys_bpf(BPF_LINK_CREATE, attr, sizeof(*attr));

	return fd < 0 ? fd : ldr_good_fd(fd);
}

int ldr_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags)
{
	long fd = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd,
			  flags | PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : ldr_good_fd((int)fd);
}

enum ldr_link_kind ldr_link_kind(const struct ldr_link *l)
{
	return l->kind;
}

int ldr_link_fd(const struct ldr_link *l)
{
	return l && l->kind == LDR_LINK_BPF ? l->fd : -1;
}

const char *ldr_link_desc(const struct ldr_link *l)
{
	return l ? l->desc : "";
}

void ldr_link_disconnect(struct ldr_link *l)
{
	if (!l)
		return;
	l->disconnected = true;
	for (size_t i = 0; i < l->nsub; i++)
		ldr_link_disconnect(l->subs[i]);
}

static int keep_err(int err, int r)
{
	return err ? err : r;
}

static int sys_ret(int r)
{
	return r < 0 ? -errno : 0;
}

int ldr_link_destroy(struct ldr_link *l)
{
	int err = 0;

	if (!l)
		return 0;
	for (size_t i = 0; i < l->nsub; i++)
		err = keep_err(err, ldr_link_destroy(l->subs[i]));
	free(l->subs);
	if (!l->disconnected) {
		switch (l->kind) {
		case LDR_LINK_PERF_IOCTL:
			if (l->fd >= 0)
				err = keep_err(err, sys_ret(ioctl(l->fd, PERF_EVENT_IOC_DISABLE, 0)));
			break;
		case LDR_LINK_PROG_ATTACH: {
			union bpf_attr a;

			memset(&a, 0, sizeof(a));
			a.target_fd = (uint32_t)l->target_fd;
			a.attach_bpf_fd = (uint32_t)l->prog_fd;
			a.attach_type = l->attach_type;
			err = keep_err(err, ldr_sys_bpf(BPF_PROG_DETACH, &a, sizeof(a)));
			break;
		}
		case LDR_LINK_SOCKET: {
			int dummy = 0;

			err = keep_err(err, sys_ret(setsockopt(l->fd, SOL_SOCKET, SO_DETACH_BPF,
							       &dummy, sizeof(dummy))));
			break;
		}
		case LDR_LINK_NETLINK_XDP:
			err = keep_err(err, ldr_nl_xdp_set(l->ifindex, -1, l->xdp_flags, NULL));
			break;
		case LDR_LINK_NETLINK_TC:
			err = keep_err(err, ldr_nl_tc_filter(l->ifindex, l->tc_parent, l->tc_prio,
							     l->tc_handle, -1, NULL, false, NULL));
			if (l->tc_qdisc_created)
				err = keep_err(err, ldr_nl_tc_clsact(l->ifindex, false, NULL, NULL));
			break;
		case LDR_LINK_BPF:
		case LDR_LINK_MULTI:
			/* closing the last fd detaches an unpinned bpf link */
			break;
		}
	}
	if (l->fd >= 0)
		close(l->fd);
	if (l->perf_fd >= 0)
		close(l->perf_fd);
	if (l->prog_fd >= 0)
		close(l->prog_fd);
	if (l->target_fd >= 0)
		close(l->target_fd);
	/* The probe event must outlive the perf event that used it. */
	if (l->tracefs_event)
		ldr_tracefs_event_remove(l->tracefs_kprobe, l->tracefs_event);
	free(l->tracefs_event);
	free(l->pin_path);
	free(l);
	return err;
}

int ldr_link_pin(struct ldr_link *l, const char *path)
{
	int err;

	if (l->kind != LDR_LINK_BPF)
		return -EOPNOTSUPP;
	err = ldr_obj_pin(l->fd, path);
	if (err)
		return err;
	free(l->pin_path);
	l->pin_path = strdup(path);
	if (!l->pin_path)
		return -ENOMEM;
	/* A pinned link lives on in bpffs: destroying ours only closes the fd. */
	l->disconnected = true;
	return 0;
}

int ldr_link_unpin(struct ldr_link *l)
{
	if (!l->pin_path)
		return -ENOENT;
	if (unlink(l->pin_path))
		return -errno;
	free(l->pin_path);
	l->pin_path = NULL;
	l->disconnected = false;
	return 0;
}

int ldr_link_open_pinned(const char *path, struct ldr_link **out, struct bb_err *e)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	struct ldr_link *l;
	int fd = ldr_obj_get(path, 0);

	*out = NULL;
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "%s: cannot open the pinned object: %s", path,
				   strerror(-fd));
	memset(&info, 0, sizeof(info));
	if (ldr_obj_info(fd, &info, &len) || info.id == 0 || info.type == 0) {
		close(fd);
		return bb_err_insn(e, -EINVAL, -1, "%s: not a bpf link", path);
	}
	l = ldr_link_alloc(LDR_LINK_BPF, "pinned link %s (id %u)", path, info.id);
	if (!l) {
		close(fd);
		return -ENOMEM;
	}
	l->fd = fd;     /* the link now owns the fd */
	*out = l;
	return 0;
}

int ldr_link_detach(struct ldr_link *l)
{
	union bpf_attr a;

	if (l->kind != LDR_LINK_BPF)
		return -EOPNOTSUPP;
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = (uint32_t)l->fd;
	return ldr_sys_bpf(BPF_LINK_DETACH, &a, sizeof(a));
}

int ldr_link_update(struct ldr_link *l, int prog_fd)
{
	union bpf_attr a;

	if (l->kind != LDR_LINK_BPF)
		return -EOPNOTSUPP;
	memset(&a, 0, sizeof(a));
	a.link_update.link_fd = (uint32_t)l->fd;
	a.link_update.new_prog_fd = (uint32_t)prog_fd;
	return ldr_sys_bpf(BPF_LINK_UPDATE, &a, sizeof(a));
}

void ldr_links_destroy(struct ldr_link **links, size_t n)
{
	if (!links)
		return;
	for (size_t i = 0; i < n; i++)
		ldr_link_destroy(links[i]);
	free(links);
}

int ldr_perf_attach(int prog_fd, int perf_fd, const struct ldr_attach_opts *o,
		    const char *desc, struct ldr_link **out, struct bb_err *e)
{
	struct bb_attr_link_create a;
	struct ldr_link *l;
	int fd = -EOPNOTSUPP;

	*out = NULL;
	if (o->mode != LDR_ATTACH_LEGACY) {
		memset(&a, 0, sizeof(a));
		a.prog_fd = (uint32_t)prog_fd;
		a.target_fd = (uint32_t)perf_fd;
		a.attach_type = BPF_PERF_EVENT;
		a.perf_event.bpf_cookie = o->cookie;
		fd = ldr_link_create(&a);
		if (fd >= 0) {
			l = ldr_link_alloc(LDR_LINK_BPF, "%s (perf_event link)", desc);
			if (!l) {
				close(fd);
				close(perf_fd);
				return -ENOMEM;
			}
			/* the link owns both: the bpf link and the event under it */
			l->fd = fd;
			l->perf_fd = perf_fd;
			*out = l;
			return 0;
		}
		if (o->mode == LDR_ATTACH_LINK || o->cookie) {
			close(perf_fd);
			return bb_err_insn(e, fd, -1, "%s: perf_event link refused: %s", desc,
					   strerror(-fd));
		}
	}
	if (ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ||
	    ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;

		close(perf_fd);
		return bb_err_insn(e, err, -1, "%s: PERF_EVENT_IOC_SET_BPF: %s", desc,
				   strerror(-err));
	}
	l = ldr_link_alloc(LDR_LINK_PERF_IOCTL, "%s (perf_event ioctl)", desc);
	if (!l) {
		close(perf_fd);
		return -ENOMEM;
	}
	l->fd = perf_fd;        /* the link owns the event now */
	*out = l;
	return 0;
}

int ldr_attach_perf_event(int prog_fd, int perf_fd, const struct ldr_attach_opts *user,
			  struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	int err = ldr_attach_opts_get(&o, user);

	if (err) {
		close(perf_fd);
		return err;
	}
	return ldr_perf_attach(prog_fd, perf_fd, &o, "perf_event", out, e);
}

const char *ldr_tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) == 0)
		return "/sys/kernel/tracing";
	if (access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return "/sys/kernel/debug/tracing";
	return NULL;
}

int ldr_read_int_file(const char *path, long *out)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = 0;
	/* format files say "config:0": the number after the colon */
	*out = strtol(strchr(buf, ':') ? strchr(buf, ':') + 1 : buf, NULL, 0);
	return 0;
}

/* "0-3,5,7-8\n" -> mask; returns the highest CPU + 1. */
static int parse_cpu_list(const char *path, bool *mask, int max)
{
	char buf[1024], *p;
	int top = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = 0;
	p = buf;
	while (*p && *p != '\n') {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		for (long c = a; c <= b && c < 4096; c++) {
			if (mask && c < max)
				mask[c] = true;
			if (c + 1 > top)
				top = (int)c + 1;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return top;
}

int ldr_cpu_count(void)
{
	static int cached;
	int n;

	if (cached > 0)
		return cached;
	n = parse_cpu_list("/sys/devices/system/cpu/possible", NULL, 0);
	if (n <= 0)
		n = (int)sysconf(_SC_NPROCESSORS_CONF);
	cached = n > 0 ? n : 1;
	return cached;
}

int ldr_cpus_online(bool **online, int *n)
{
	int cnt = ldr_cpu_count(), r;
	bool *m = calloc((size_t)cnt, sizeof(bool));

	if (!m)
		return -ENOMEM;
	r = parse_cpu_list("/sys/devices/system/cpu/online", m, cnt);
	if (r < 0) {
		for (int i = 0; i < cnt; i++)
			m[i] = true;
	}
	*online = m;
	*n = cnt;
	return 0;
}
