/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_sys.c - thin bpf() wrappers: zero the attr, fill it, call,
 * return fd/0 or -errno.  See ldr.h for the contracts.
 */
#include "loader/ldr_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How often a load is retried when the verifier answers EAGAIN (it does
 * when interrupted by a signal or short of memory), as libbpf does. */
#define LDR_EAGAIN_TRIES 5

int ldr_sys_bpf(int cmd, void *attr, unsigned size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

/* A process started with stdio closed would otherwise get a map as its
 * stdout. */
int ldr_good_fd(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	nfd = nfd < 0 ? -errno : nfd;
	close(fd);
	return nfd;
}

/* A caller built against a newer header may pass a larger struct; that is
 * fine as long as it set nothing we do not know. */
int ldr_opts_copy(void *dst, size_t dst_sz, const void *src, size_t user_sz)
{
	const unsigned char *p = src;

	if (!src)
		return 0;
	if (user_sz < sizeof(size_t))
		return -EINVAL;
	for (size_t i = dst_sz; i < user_sz; i++)
		if (p[i])
			return -E2BIG;
	memcpy(dst, src, user_sz < dst_sz ? user_sz : dst_sz);
	return 0;
}

void ldr_kname(char out[BPF_OBJ_NAME_LEN], const char *name)
{
	size_t i = 0;

	memset(out, 0, BPF_OBJ_NAME_LEN);
	for (; name && name[i] && i < BPF_OBJ_NAME_LEN - 1; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '.';

		out[i] = ok ? c : '_';
	}
}

void ldr_log_free(struct ldr_log *log)
{
	if (!log)
		return;
	free(log->buf);
	memset(log, 0, sizeof(*log));
}

/* Is this log line worth quoting in a one-line error?  The verifier's
 * closing statistics and blank lines are not. */
static int ldr_log_line_useful(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (!n)
		return 0;
	if (n >= 10 && !strncmp(s, "processed ", 10))
		return 0;
	if (n >= 17 && !strncmp(s, "verification time", 17))
		return 0;
	if (n >= 11 && !strncmp(s, "stack depth", 11))
		return 0;
	return 1;
}

/*
 * The last instruction line of @log ("17: (b7) r0 = 0" -> 17), or -1: the
 * verifier prints the instruction it is looking at before its complaint.
 */
static int ldr_log_last_insn(const char *log)
{
	const char *p = log + strlen(log);

	while (p > log) {
		const char *start = p - 1;
		char *colon;
		long v;

		while (start > log && start[-1] != '\n')
			start--;
		if (*start >= '0' && *start <= '9') {
			v = strtol(start, &colon, 10);
			if (*colon == ':' && colon[1] == ' ' && v < ISA_MAX_INSNS)
				return (int)v;
		}
		p = start;
	}
	return -1;
}

/*
 * The newest useful lines of @log (at most three), oldest first and
 * joined by " | ", in @size bytes: as many as fit, the newest always, cut
 * if it alone is too long.
 */
static void ldr_log_tail(const char *log, char *out, size_t size)
{
	const char *ls[3];
	size_t ln[3], used = 0;
	int n = 0;
	const char *p = log + strlen(log);

	out[0] = '\0';
	if (!size)
		return;
	while (p > log && n < 3) {
		const char *start = p, *end = p;

		/* [start, end) is the line before p, without its newline. */
		if (end[-1] == '\n')
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		p = start;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		if (!ldr_log_line_useful(start, (size_t)(end - start)))
			continue;
		if (n && used + (size_t)(end - start) + 3 >= size)
			break;
		ls[n] = start;
		ln[n] = (size_t)(end - start);
		used += ln[n] + (n ? 3 : 0);
		n++;
	}
	used = 0;
	for (int i = n - 1; i >= 0; i--) {
		size_t len = ln[i];

		if (i != n - 1) {
			memcpy(out + used, " | ", 3);
			used += 3;
		}
		/* Copy with runs of blanks squeezed: the verifier pads its
		 * register-state comments into a column. */
		for (size_t k = 0; k < len && used + 1 < size; k++) {
			char c = ls[i][k] == '\t' ? ' ' : ls[i][k];

			if (c == ' ' && used && out[used - 1] == ' ')
				continue;
			out[used++] = c;
		}
	}
	out[used] = '\0';
}

int ldr_call_retry(const struct ldr_log_attr *la)
{
	int fd = -EAGAIN;

	for (int i = 0; i < LDR_EAGAIN_TRIES && fd == -EAGAIN; i++)
		fd = ldr_sys_bpf(la->cmd, la->attr, la->attr_size);
	return fd;
}

int ldr_call_logged(const struct ldr_log_attr *la, uint32_t level, struct ldr_log *out)
{
	uint32_t size = LDR_LOG_INITIAL;
	char *buf = NULL;
	int fd = -ENOMEM;

	for (;;) {
		char *nbuf = realloc(buf, size);

		if (!nbuf)
			break;          /* keep the previous try's answer and log */
		buf = nbuf;
		buf[0] = '\0';
		*la->level = level;
		*la->size = size;
		*la->buf = (uint64_t)(uintptr_t)buf;
		if (la->true_size)
			*la->true_size = 0;
		fd = ldr_call_retry(la);
		out->true_size = la->true_size ? *la->true_size : 0;
		if (fd != -ENOSPC || size >= LDR_LOG_MAX)
			break;
		/* 6.4+ says how much it needed; older kernels make us guess. */
		if (out->true_size > size && out->true_size <= LDR_LOG_MAX)
			size = out->true_size;
		else
			size = size > LDR_LOG_MAX / 2 ? LDR_LOG_MAX : size * 2;
	}
	if (buf)
		buf[*la->size - 1] = '\0';
	out->truncated = fd == -ENOSPC;
	out->buf = buf;
	out->len = buf ? strlen(buf) : 0;
	*la->level = 0;
	*la->size = 0;
	*la->buf = 0;
	return fd;
}

int ldr_log_err(struct bb_err *e, int code, const char *head, const char *log,
		bool truncated)
{
	char h[BB_ERR_MSG_MAX], tail[BB_ERR_MSG_MAX];
	size_t hl;

	snprintf(h, sizeof(h), "%s: %s%s", head, strerror(-code),
		 truncated ? " (log truncated)" : "");
	hl = strlen(h);
	tail[0] = '\0';
	if (log && hl + 3 < sizeof(tail))
		ldr_log_tail(log, tail, sizeof(tail) - hl - 2);
	return bb_err_insn(e, code, log ? ldr_log_last_insn(log) : -1, "%s%s%s",
			   h, tail[0] ? ": " : "", tail);
}

/* Where BPF_PROG_LOAD keeps its log fields. */
static struct ldr_log_attr ldr_prog_log_attr(struct bb_attr_prog_load *attr)
{
	return (struct ldr_log_attr){
		.cmd = BPF_PROG_LOAD, .attr = attr, .attr_size = sizeof(*attr),
		.level = &attr->log_level, .size = &attr->log_size,
		.buf = (uint64_t *)&attr->log_buf, .true_size = &attr->log_true_size,
	};
}

int ldr_call_with_log(const struct ldr_log_attr *la, uint32_t level, char *ubuf,
		      uint32_t usize, struct ldr_log *log, const char **text)
{
	int fd;

	*text = NULL;
	if (ubuf) {
		/* The caller's buffer, never grown.  Logged from the first
		 * try if asked, else only on the retry after a quiet failure. */
		ubuf[0] = '\0';
		if (level) {
			*la->level = level;
			*la->size = usize;
			*la->buf = (uint64_t)(uintptr_t)ubuf;
		}
		fd = ldr_call_retry(la);
		if (fd < 0 && !level) {
			*la->level = 1;
			*la->size = usize;
			*la->buf = (uint64_t)(uintptr_t)ubuf;
			fd = ldr_call_retry(la);
		}
		ubuf[usize - 1] = '\0';
		*text = ubuf;
		if (la->true_size)
			log->true_size = *la->true_size;
		log->truncated = fd == -ENOSPC;
	} else if (level) {
		fd = ldr_call_logged(la, level, log);
		*text = log->buf;
	} else {
		/* The kernel explains itself only when asked, so a failed
		 * quiet call is repeated with a log.  Calling quietly first
		 * keeps the common path free of the buffer and of the
		 * verifier's slower logging mode. */
		fd = ldr_call_retry(la);
		if (fd < 0) {
			int quiet = fd;

			fd = ldr_call_logged(la, 1, log);
			*text = log->buf;
			if (!log->buf)
				fd = quiet;     /* no memory for a log: keep the kernel's answer */
		}
	}
	return fd;
}

int ldr_prog_load(const struct ldr_prog_load_opts *user, struct bb_err *e)
{
	struct ldr_prog_load_opts o = { 0 };
	struct bb_attr_prog_load attr;
	struct ldr_log_attr la = ldr_prog_log_attr(&attr);
	struct ldr_log log = { 0 };
	const char *name, *text;
	char head[BB_ERR_MSG_MAX];
	int fd, err;

	err = ldr_opts_copy(&o, sizeof(o), user, user ? user->sz : 0);
	if (err)
		return bb_err_insn(e, err, -1, "prog: options struct sets fields this barebpf does not know");
	name = o.prog_name ? o.prog_name : "";
	if (!o.insns || !o.insn_cnt || o.insn_cnt > UINT32_MAX)
		return bb_err_insn(e, -EINVAL, -1, "prog '%s': no instructions", name);
	if (o.log_buf && o.log_size < 128)
		return bb_err_insn(e, -EINVAL, -1, "prog '%s': log buffer under 128 bytes", name);
	if (o.func_info_cnt > UINT32_MAX || o.line_info_cnt > UINT32_MAX)
		return bb_err_insn(e, -E2BIG, -1, "prog '%s': too many func/line info records", name);
	if (o.log)
		memset(o.log, 0, sizeof(*o.log));

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = o.prog_type;
	attr.expected_attach_type = o.expected_attach_type;
	attr.insns = (uint64_t)(uintptr_t)o.insns;
	attr.insn_cnt = (uint32_t)o.insn_cnt;
	attr.license = (uint64_t)(uintptr_t)(o.license ? o.license : "GPL");
	attr.kern_version = o.kern_version;
	attr.prog_flags = o.prog_flags;
	ldr_kname(attr.prog_name, o.prog_name);
	attr.prog_ifindex = o.prog_ifindex;
	attr.attach_btf_id = o.attach_btf_id;
	if (o.attach_prog_fd > 0)
		attr.attach_prog_fd = (uint32_t)o.attach_prog_fd;
	else if (o.attach_btf_obj_fd > 0)
		attr.attach_btf_obj_fd = (uint32_t)o.attach_btf_obj_fd;
	attr.fd_array = (uint64_t)(uintptr_t)o.fd_array;
	if (o.prog_btf_fd > 0) {
		attr.prog_btf_fd = (uint32_t)o.prog_btf_fd;
		if (o.func_info_cnt) {
			attr.func_info_rec_size = o.func_info_rec_size;
			attr.func_info = (uint64_t)(uintptr_t)o.func_info;
			attr.func_info_cnt = (uint32_t)o.func_info_cnt;
		}
		if (o.line_info_cnt) {
			attr.line_info_rec_size = o.line_info_rec_size;
			attr.line_info = (uint64_t)(uintptr_t)o.line_info;
			attr.line_info_cnt = (uint32_t)o.line_info_cnt;
		}
	}

	fd = ldr_call_with_log(&la, o.log_level, o.log_buf, o.log_size, &log, &text);
	if (fd >= 0) {
		/* Ownership of the new fd passes to the caller here. */
		fd = ldr_good_fd(fd);
		if (fd < 0)
			bb_err_insn(e, fd, -1, "prog '%s': cannot move fd above 2: %s",
				    name, strerror(-fd));
	} else {
		snprintf(head, sizeof(head), "prog '%s': load failed", name);
		ldr_log_err(e, fd, head, text, log.truncated);
	}
	if (o.log)
		*o.log = log;   /* the caller now owns log.buf */
	else
		ldr_log_free(&log);
	return fd;
}

int ldr_prog_test_run(int prog_fd, struct ldr_test_run_opts *user)
{
	struct ldr_test_run_opts o = { 0 };
	union bpf_attr attr;
	int err;

	if (!user)
		return -EINVAL;
	err = ldr_opts_copy(&o, sizeof(o), user, user->sz);
	if (err)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = (uint64_t)(uintptr_t)o.data_in;
	attr.test.data_size_in = o.data_size_in;
	attr.test.data_out = (uint64_t)(uintptr_t)o.data_out;
	attr.test.data_size_out = o.data_size_out;
	attr.test.ctx_in = (uint64_t)(uintptr_t)o.ctx_in;
	attr.test.ctx_size_in = o.ctx_size_in;
	attr.test.ctx_out = (uint64_t)(uintptr_t)o.ctx_out;
	attr.test.ctx_size_out = o.ctx_size_out;
	attr.test.repeat = o.repeat;
	attr.test.flags = o.flags;
	attr.test.cpu = o.cpu;
	attr.test.batch_size = o.batch_size;
	err = ldr_sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	/* The kernel copies the outputs back before it reports ENOSPC. */
	user->data_size_out = attr.test.data_size_out;
	user->ctx_size_out = attr.test.ctx_size_out;
	user->retval = attr.test.retval;
	user->duration = attr.test.duration;
	return err < 0 ? err : 0;
}

int ldr_map_create(const struct ldr_map_create_opts *user, struct bb_err *e)
{
	struct ldr_map_create_opts o = { 0 };
	union bpf_attr attr;
	const char *name;
	int fd, err;

	err = ldr_opts_copy(&o, sizeof(o), user, user ? user->sz : 0);
	if (err)
		return bb_err_insn(e, err, -1, "map: options struct from a newer barebpf sets unknown fields");
	name = o.map_name ? o.map_name : "";
	memset(&attr, 0, sizeof(attr));
	attr.map_type = o.map_type;
	attr.key_size = o.key_size;
	attr.value_size = o.value_size;
	attr.max_entries = o.max_entries;
	attr.map_flags = o.map_flags;
	ldr_kname(attr.map_name, o.map_name);
	attr.inner_map_fd = o.inner_map_fd > 0 ? (uint32_t)o.inner_map_fd : 0;
	attr.numa_node = o.numa_node;
	attr.map_ifindex = o.map_ifindex;
	attr.btf_fd = o.btf_fd > 0 ? (uint32_t)o.btf_fd : 0;
	attr.btf_key_type_id = o.btf_key_type_id;
	attr.btf_value_type_id = o.btf_value_type_id;
	attr.btf_vmlinux_value_type_id = o.btf_vmlinux_value_type_id;
	attr.map_extra = o.map_extra;
	fd = ldr_sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "map '%s': create failed: %s", name, strerror(-fd));
	/* Ownership of the new fd passes to the caller here. */
	fd = ldr_good_fd(fd);
	if (fd < 0)
		return bb_err_insn(e, fd, -1, "map '%s': cannot move fd above 2: %s",
				   name, strerror(-fd));
	return fd;
}

static int ldr_map_elem(int cmd, int map_fd, const void *key, const void *value,
			uint64_t flags)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;   /* aliases next_key */
	attr.flags = flags;
	err = ldr_sys_bpf(cmd, &attr, sizeof(attr));
	return err < 0 ? err : 0;
}

int ldr_map_update(int map_fd, const void *key, const void *value, uint64_t flags)
{
	return ldr_map_elem(BPF_MAP_UPDATE_ELEM, map_fd, key, value, flags);
}

int ldr_map_lookup(int map_fd, const void *key, void *value)
{
	return ldr_map_elem(BPF_MAP_LOOKUP_ELEM, map_fd, key, value, 0);
}

int ldr_map_delete(int map_fd, const void *key)
{
	return ldr_map_elem(BPF_MAP_DELETE_ELEM, map_fd, key, NULL, 0);
}

int ldr_map_get_next_key(int map_fd, const void *key, void *next_key)
{
	return ldr_map_elem(BPF_MAP_GET_NEXT_KEY, map_fd, key, next_key, 0);
}

int ldr_obj_close(int fd)
{
	if (fd < 0)
		return 0;
	return close(fd) < 0 ? -errno : 0;
}

int ldr_probe_bpf(struct bb_err *e)
{
	/* r0 = 0; exit */
	static const struct isa_raw prog[2] = {
		{ .code = 0xb7 }, { .code = 0x95 },
	};
	struct bb_attr_prog_load attr;
	struct ldr_log_attr la = ldr_prog_log_attr(&attr);
	int fd;

	/* Straight to the syscall, without ldr_prog_load's logged retry:
	 * the probe wants the plain errno. */
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = ldr_call_retry(&la);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	switch (fd) {
	case -EPERM:
	case -EACCES:
		return bb_err_insn(e, fd, -1,
			"bpf() refused: %s (needs CAP_BPF or CAP_SYS_ADMIN, or "
			"kernel.unprivileged_bpf_disabled=0)", strerror(-fd));
	case -ENOSYS:
		return bb_err_insn(e, fd, -1,
			"no bpf() system call (kernel without CONFIG_BPF_SYSCALL, "
			"or a seccomp filter blocks it)");
	default:
		return bb_err_insn(e, fd, -1, "bpf(BPF_PROG_LOAD) of a trivial program failed: %s",
				   strerror(-fd));
	}
}
