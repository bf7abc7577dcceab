/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_attach.c - one function per attach point: tracepoints, raw
 * and BTF tracepoints, tracing trampolines, kprobes, XDP, TCX, tc,
 * sockets, cgroups, perf sampling, iterators and netfilter.
 *
 * Each tries BPF_LINK_CREATE (or BPF_RAW_TRACEPOINT_OPEN, which also makes
 * a bpf link) first and takes the older interface only when links are
 * refused with an errno that means "this kernel has no such link"
 * (EINVAL, EOPNOTSUPP, ENOTSUPP), so a real refusal (EPERM, EBUSY) is
 * reported as such instead of being masked by the fallback's error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "loader/ldr_internal.h"

#define ENOTSUPP_KERNEL 524     /* the kernel's internal ENOTSUPP leaks to bpf() */

static bool no_such_link(int err)
{
	return err == -EINVAL || err == -EOPNOTSUPP || err == -ENOTSUPP_KERNEL;
}

static int enomem(struct bb_err *e)
{
	return bb_err_insn(e, -ENOMEM, -1, "out of memory");
}

/* A bpf link fd (taken over) wrapped in a new ldr_link. */
static int wrap_bpf_link(int fd, struct ldr_link **out, const char *desc, struct bb_err *e)
{
	struct ldr_link *l = ldr_link_alloc(LDR_LINK_BPF, "%s", desc);

	if (!l) {
		close(fd);
		return enomem(e);
	}
	l->fd = fd;     /* the link owns the fd */
	*out = l;
	return 0;
}

int ldr_attach_tracepoint(int prog_fd, const char *category, const char *name,
			  const struct ldr_attach_opts *user, struct ldr_link **out,
			  struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct perf_event_attr pa;
	char path[512], desc[160];
	const char *tfs = ldr_tracefs();
	long id;
	int err, pfd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "tracepoint %s:%s", category, name);
	if (!tfs)
		return bb_err_insn(e, -ENOENT, -1, "%s: tracefs is not mounted (mount -t tracefs "
				   "nodev /sys/kernel/tracing)", desc);
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tfs, category, name);
	err = ldr_read_int_file(path, &id);
	if (err)
		return bb_err_insn(e, err, -1, "%s: no such tracepoint in tracefs (%s): %s", desc,
				   path, strerror(-err));
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_TRACEPOINT;
	pa.size = sizeof(pa);
	pa.config = (uint64_t)id;
	pa.sample_period = 1;
	pa.wakeup_events = 1;
	/* pid -1, cpu 0: with a BPF program the event fires on every CPU */
	pfd = ldr_perf_event_open(&pa, -1, 0, -1, 0);
	if (pfd < 0)
		return bb_err_insn(e, pfd, -1, "%s: perf_event_open: %s", desc, strerror(-pfd));
	return ldr_perf_attach(prog_fd, pfd, &o, desc, out, e);
}

int ldr_attach_raw_tp(int prog_fd, const char *name, const struct ldr_attach_opts *user,
		      struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	union bpf_attr a;
	char desc[160];
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "raw_tp %s", name ? name : "(btf)");
	if (o.mode == LDR_ATTACH_LEGACY)
		return bb_err_insn(e, -EOPNOTSUPP, -1, "%s: raw tracepoints have no legacy path", desc);
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uint64_t)(uintptr_t)name;
	a.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	fd = ldr_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a));
	if (fd >= 0)
		fd = ldr_good_fd(fd);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "%s: BPF_RAW_TRACEPOINT_OPEN: %s%s", desc,
				   strerror(-fd), fd == -ENOENT ? " (no such tracepoint)" : "");
	return wrap_bpf_link(fd, out, desc, e);
}

static const char *tracing_name(uint32_t attach_type)
{
	switch (attach_type) {
	case BPF_TRACE_RAW_TP: return "tp_btf";
	case BPF_TRACE_FENTRY: return "fentry";
	case BPF_TRACE_FEXIT: return "fexit";
	case BPF_MODIFY_RETURN: return "fmod_ret";
	case BPF_LSM_MAC: return "lsm";
	case BPF_LSM_CGROUP: return "lsm_cgroup";
	default: return "tracing";
	}
}

int ldr_attach_tracing(int prog_fd, uint32_t attach_type, const struct ldr_attach_opts *user,
		       struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	union bpf_attr ra;
	char desc[160];
	int err, fd = -EOPNOTSUPP;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "%s", tracing_name(attach_type));
	if (o.mode != LDR_ATTACH_LEGACY) {
		memset(&a, 0, sizeof(a));
		a.prog_fd = (uint32_t)prog_fd;
		a.attach_type = attach_type;
		a.tracing.cookie = o.cookie;
		fd = ldr_link_create(&a);
		if (fd >= 0)
			return wrap_bpf_link(fd, out, desc, e);
		if (o.mode == LDR_ATTACH_LINK || !no_such_link(fd))
			goto refused;
	}
	memset(&ra, 0, sizeof(ra));
	ra.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	fd = ldr_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &ra, sizeof(ra));
	if (fd >= 0) {
		fd = ldr_good_fd(fd);
		if (fd >= 0)
			return wrap_bpf_link(fd, out, desc, e);
	}
refused:
	if (fd == -EPERM && attach_type != BPF_TRACE_RAW_TP)
		return bb_err_insn(e, fd, -1, "%s: the kernel refuses BPF trampolines here "
				   "(EPERM: fentry/fexit/fmod_ret/lsm need trampoline support "
				   "and, for lsm, CONFIG_BPF_LSM with \"bpf\" in lsm=)", desc);
	return bb_err_insn(e, fd, -1, "%s: attach refused: %s", desc, strerror(-fd));
}

int ldr_attach_kprobe(int prog_fd, const char *func, uint64_t offset,
		      const struct ldr_attach_opts *user, struct ldr_link **out,
		      struct bb_err *e)
{
	struct ldr_attach_opts o;
	char desc[160], *ev = NULL;
	int err, pfd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "%s %s+%llu", o.retprobe ? "kretprobe" : "kprobe", func,
		 (unsigned long long)offset);
	pfd = ldr_probe_perf_open(true, func, offset, o.retprobe, 0, -1, &ev, e);
	if (pfd < 0)
		return pfd;
	err = ldr_perf_attach(prog_fd, pfd, &o, desc, out, e);
	ldr_link_take_tracefs(*out, true, ev, err);
	return err;
}

int ldr_attach_xdp(int prog_fd, int ifindex, const struct ldr_attach_opts *user,
		   struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	struct ldr_link *l;
	char desc[160];
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "xdp ifindex %d%s", ifindex,
		 o.flags & LDR_XDP_SKB ? " generic" : o.flags & LDR_XDP_DRV ? " driver" : "");
	if (o.mode != LDR_ATTACH_LEGACY) {
		memset(&a, 0, sizeof(a));
		a.prog_fd = (uint32_t)prog_fd;
		a.target_ifindex = (uint32_t)ifindex;
		a.attach_type = BPF_XDP;
		a.flags = o.flags;
		fd = ldr_link_create(&a);
		if (fd >= 0)
			return wrap_bpf_link(fd, out, desc, e);
		if (o.mode == LDR_ATTACH_LINK || !no_such_link(fd))
			return bb_err_insn(e, fd, -1, "%s: xdp link refused: %s%s", desc, strerror(-fd),
					   fd == -EBUSY ? " (another XDP program is attached)" : "");
	}
	err = ldr_nl_xdp_set(ifindex, prog_fd, o.flags, e);
	if (err)
		return err;
	l = ldr_link_alloc(LDR_LINK_NETLINK_XDP, "%s (netlink)", desc);
	if (!l) {
		ldr_nl_xdp_set(ifindex, -1, o.flags, NULL);
		return enomem(e);
	}
	l->ifindex = ifindex;
	l->xdp_flags = o.flags;
	*out = l;
	return 0;
}

int ldr_attach_tcx(int prog_fd, int ifindex, uint32_t attach_type,
		   const struct ldr_attach_opts *user, struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	char desc[160];
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "tcx %s ifindex %d",
		 attach_type == BPF_TCX_EGRESS ? "egress" : "ingress", ifindex);
	if (attach_type != BPF_TCX_INGRESS && attach_type != BPF_TCX_EGRESS)
		return bb_err_insn(e, -EINVAL, -1, "%s: attach type %u is not tcx", desc, attach_type);
	if (o.mode == LDR_ATTACH_LEGACY)
		return bb_err_insn(e, -EOPNOTSUPP, -1, "%s: tcx has no legacy path; use tc", desc);
	memset(&a, 0, sizeof(a));
	a.prog_fd = (uint32_t)prog_fd;
	a.target_ifindex = (uint32_t)ifindex;
	a.attach_type = attach_type;
	a.flags = o.flags;
	a.tcx.relative_fd = (uint32_t)o.relative_fd;
	fd = ldr_link_create(&a);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "%s: tcx link refused: %s", desc, strerror(-fd));
	return wrap_bpf_link(fd, out, desc, e);
}

int ldr_attach_tc(int prog_fd, int ifindex, bool ingress, const struct ldr_attach_opts *user,
		  struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct ldr_link *l;
	bool created = false;
	uint32_t parent = 0xFFFFFFF1u; /* TC_H_CLSACT */
	int err;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	/* clsact's minor numbers: ffff:fff2 ingress, ffff:fff3 egress */
	parent = (parent & 0xFFFF0000u) | (ingress ? 0xFFF2u : 0xFFF3u);
	l = ldr_link_alloc(LDR_LINK_NETLINK_TC, "tc %s ifindex %d (cls_bpf da)",
			   ingress ? "ingress" : "egress", ifindex);
	if (!l)
		return enomem(e);
	err = ldr_nl_tc_clsact(ifindex, true, &created, e);
	if (err) {
		free(l);
		return err;
	}
	l->ifindex = ifindex;
	l->tc_parent = parent;
	l->tc_prio = o.tc_priority ? o.tc_priority : 1;
	l->tc_handle = o.tc_handle ? o.tc_handle : 1;
	l->tc_qdisc_created = created;
	err = ldr_nl_tc_filter(ifindex, parent, l->tc_prio, l->tc_handle, prog_fd, "barebpf",
			       true, e);
	if (err) {
		if (created)
			ldr_nl_tc_clsact(ifindex, false, NULL, NULL);
		free(l);
		return err;
	}
	*out = l;
	return 0;
}

int ldr_attach_socket(int prog_fd, int sock_fd, struct ldr_link **out, struct bb_err *e)
{
	struct ldr_link *l;
	int fd;

	*out = NULL;
	if (setsockopt(sock_fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) < 0) {
		int err = -errno;

		return bb_err_insn(e, err, -1, "socket fd %d: SO_ATTACH_BPF: %s", sock_fd,
				   strerror(-err));
	}
	/* A dup of the socket, so destroy can detach after the caller closed theirs. */
	fd = fcntl(sock_fd, F_DUPFD_CLOEXEC, 3);
	l = fd < 0 ? NULL : ldr_link_alloc(LDR_LINK_SOCKET, "socket filter on fd %d", sock_fd);
	if (!l) {
		int zero = 0;

		if (fd >= 0)
			close(fd);
		setsockopt(sock_fd, SOL_SOCKET, SO_DETACH_BPF, &zero, sizeof(zero));
		return enomem(e);
	}
	l->fd = fd;
	*out = l;
	return 0;
}

int ldr_attach_cgroup(int prog_fd, int cgroup_fd, uint32_t attach_type,
		      const struct ldr_attach_opts *user, struct ldr_link **out,
		      struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	union bpf_attr pa;
	struct ldr_link *l;
	char desc[160];
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "cgroup fd %d attach type %u", cgroup_fd, attach_type);
	if (o.mode != LDR_ATTACH_LEGACY) {
		memset(&a, 0, sizeof(a));
		a.prog_fd = (uint32_t)prog_fd;
		a.target_fd = (uint32_t)cgroup_fd;
		a.attach_type = attach_type;
		fd = ldr_link_create(&a);
		if (fd >= 0)
			return wrap_bpf_link(fd, out, desc, e);
		if (o.mode == LDR_ATTACH_LINK || !no_such_link(fd))
			return bb_err_insn(e, fd, -1, "%s: cgroup link refused: %s", desc, strerror(-fd));
	}
	memset(&pa, 0, sizeof(pa));
	pa.target_fd = (uint32_t)cgroup_fd;
	pa.attach_bpf_fd = (uint32_t)prog_fd;
	pa.attach_type = attach_type;
	pa.attach_flags = o.flags ? o.flags : BPF_F_ALLOW_MULTI;
	err = ldr_sys_bpf(BPF_PROG_ATTACH, &pa, sizeof(pa));
	if (err)
		return bb_err_insn(e, err, -1, "%s: BPF_PROG_ATTACH: %s", desc, strerror(-err));
	l = ldr_link_alloc(LDR_LINK_PROG_ATTACH, "%s (prog attach)", desc);
	if (l) {
		/* dups: BPF_PROG_DETACH needs both after the caller closed theirs */
		l->prog_fd = fcntl(prog_fd, F_DUPFD_CLOEXEC, 3);
		l->target_fd = fcntl(cgroup_fd, F_DUPFD_CLOEXEC, 3);
		l->attach_type = attach_type;
	}
	if (!l || l->prog_fd < 0 || l->target_fd < 0) {
		pa.attach_flags = 0;
		ldr_sys_bpf(BPF_PROG_DETACH, &pa, sizeof(pa));
		if (l)
			l->kind = LDR_LINK_BPF; /* nothing left to detach on destroy */
		ldr_link_destroy(l);
		return enomem(e);
	}
	*out = l;
	return 0;
}

int ldr_attach_perf_sampling(int prog_fd, const struct ldr_attach_opts *user,
			     struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct ldr_link *multi, *sub;
	bool *online = NULL;
	int err, ncpu;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	if ((err = ldr_cpus_online(&online, &ncpu)))
		return enomem(e);
	multi = ldr_link_alloc(LDR_LINK_MULTI, "perf_event cpu-clock %s%llu%s",
			       o.sample_period ? "period " : "",
			       (unsigned long long)(o.sample_period ? o.sample_period :
						    o.sample_freq ? o.sample_freq : 49),
			       o.sample_period ? "" : " Hz");
	if (!multi) {
		free(online);
		return enomem(e);
	}
	for (int cpu = 0; cpu < ncpu; cpu++) {
		struct perf_event_attr pa;
		char desc[64];
		int pfd;

		if (!online[cpu] || (o.single_cpu && cpu != o.cpu))
			continue;
		memset(&pa, 0, sizeof(pa));
		pa.type = PERF_TYPE_SOFTWARE;
		pa.size = sizeof(pa);
		pa.config = PERF_COUNT_SW_CPU_CLOCK;
		if (o.sample_period) {
			pa.sample_period = o.sample_period;
		} else {
			pa.freq = 1;
			pa.sample_freq = o.sample_freq ? o.sample_freq : 49;
		}
		pfd = ldr_perf_event_open(&pa, o.pid > 0 ? o.pid : -1, cpu, -1, 0);
		if (pfd < 0) {
			err = bb_err_insn(e, pfd, -1, "perf_event_open(cpu-clock, cpu %d): %s", cpu,
					  strerror(-pfd));
			goto fail;
		}
		snprintf(desc, sizeof(desc), "perf_event cpu %d", cpu);
		err = ldr_perf_attach(prog_fd, pfd, &o, desc, &sub, e);
		if (err)
			goto fail;
		if ((err = ldr_link_add_sub(multi, sub)))
			goto fail;
	}
	free(online);
	if (multi->nsub == 0) {
		ldr_link_destroy(multi);
		return bb_err_insn(e, -ENODEV, -1, "perf_event: CPU %d is not online", o.cpu);
	}
	*out = multi;
	return 0;
fail:
	free(online);
	ldr_link_destroy(multi);
	return err;
}

int ldr_attach_iter(int prog_fd, const struct ldr_attach_opts *user, struct ldr_link **out,
		    struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	union bpf_iter_link_info info;
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	memset(&a, 0, sizeof(a));
	memset(&info, 0, sizeof(info));
	a.prog_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_TRACE_ITER;
	if (o.iter_map_fd > 0) {
		info.map.map_fd = (uint32_t)o.iter_map_fd;
		a.iter_info = (uint64_t)(uintptr_t)&info;
		a.iter_info_len = sizeof(info);
	}
	fd = ldr_link_create(&a);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "iter: link refused: %s", strerror(-fd));
	return wrap_bpf_link(fd, out, "iter", e);
}

int ldr_iter_create(const struct ldr_link *l)
{
	union bpf_attr a;
	int fd;

	if (!l || l->kind != LDR_LINK_BPF)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	a.iter_create.link_fd = (uint32_t)l->fd;
	fd = ldr_sys_bpf(BPF_ITER_CREATE, &a, sizeof(a));
	return fd < 0 ? fd : ldr_good_fd(fd);
}

int ldr_iter_read_all(const struct ldr_link *l, char **buf, size_t *len, struct bb_err *e)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	int fd = ldr_iter_create(l);

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		free(b);
		return bb_err_insn(e, fd, -1, "BPF_ITER_CREATE: %s", strerror(-fd));
	}
	if (!b) {
		close(fd);
		return enomem(e);
	}
	for (;;) {
		ssize_t r;

		if (cap - n < 1024) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				free(b);
				close(fd);
				return enomem(e);
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(b);
			close(fd);
			return bb_err_insn(e, err, -1, "iterator read: %s", strerror(-err));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int ldr_attach_netfilter(int prog_fd, const struct ldr_attach_opts *user,
			 struct ldr_link **out, struct bb_err *e)
{
	struct ldr_attach_opts o;
	struct bb_attr_link_create a;
	char desc[160];
	int err, fd;

	*out = NULL;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	snprintf(desc, sizeof(desc), "netfilter pf %d hook %d priority %d", o.nf_pf, o.nf_hooknum,
		 o.nf_priority);
	memset(&a, 0, sizeof(a));
	a.prog_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_NETFILTER;
	a.netfilter.pf = (uint32_t)o.nf_pf;
	a.netfilter.hooknum = (uint32_t)o.nf_hooknum;
	a.netfilter.priority = o.nf_priority;
	a.netfilter.flags = o.flags;
	fd = ldr_link_create(&a);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "%s: link refused: %s", desc, strerror(-fd));
	return wrap_bpf_link(fd, out, desc, e);
}
