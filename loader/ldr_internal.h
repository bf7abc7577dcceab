/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_internal.h - what the loader's files share and its users do
 * not see: fd hygiene, option copying, kernel object names and the
 * verifier/BTF log machinery.
 */
#ifndef BAREBPF_LOADER_LDR_INTERNAL_H
#define BAREBPF_LOADER_LDR_INTERNAL_H

#include "loader/ldr.h"

/*
 * New fds must not land on 0..2.  Takes over @fd: on success the returned
 * fd replaces it, on failure @fd is closed and -errno returned.
 */
int ldr_good_fd(int fd);

/*
 * Copy caller options of size @user_sz into @dst (@dst_sz bytes, already
 * zeroed).  -E2BIG when a larger (newer) struct sets fields we do not know.
 */
int ldr_opts_copy(void *dst, size_t dst_sz, const void *src, size_t user_sz);

/* The kernel's object names: <= 15 chars of [A-Za-z0-9_.], others '_'. */
void ldr_kname(char out[BPF_OBJ_NAME_LEN], const char *name);

/*
 * Where a command's log fields sit in its attr (BPF_PROG_LOAD and
 * BPF_BTF_LOAD name them differently).  @true_size may be NULL for
 * commands (or uapi layouts) without log_true_size.
 */
struct ldr_log_attr {
	int cmd;                        /* BPF_PROG_LOAD, BPF_BTF_LOAD */
	void *attr;
	unsigned attr_size;
	uint32_t *level;
	uint32_t *size;
	uint64_t *buf;
	uint32_t *true_size;
};

/* One call of @la->cmd, retried while the kernel answers EAGAIN. */
int ldr_call_retry(const struct ldr_log_attr *la);

/*
 * Call with a log the loader grows: from LDR_LOG_INITIAL, doubling on
 * ENOSPC (or straight to the kernel's log_true_size) up to LDR_LOG_MAX.
 * @out gets the last log (malloc'ed, caller frees); the call's result is
 * returned.  The attr's log fields are zero again afterwards.
 */
int ldr_call_logged(const struct ldr_log_attr *la, uint32_t level, struct ldr_log *out);

/*
 * The log modes of ldr_prog_load_opts for any logged command: into the
 * caller's buffer @ubuf (@usize bytes, not grown) when given, else into a
 * grown buffer handed over in @log; with @level 0 quietly first and with
 * level 1 only after a failure.  *@text is the log to quote (or NULL).
 */
int ldr_call_with_log(const struct ldr_log_attr *la, uint32_t level, char *ubuf,
		      uint32_t usize, struct ldr_log *log, const char **text);

/*
 * Fill @e with "<head>: <errno text>[ (log truncated)][: <log tail>]" and
 * e->insn from the log's last instruction line; returns @code.
 */
int ldr_log_err(struct bb_err *e, int code, const char *head, const char *log,
		bool truncated);

/* ------------------------------------------------------------------ */
/* Links (ldr_link.c); the attach files fill them                       */
/* ------------------------------------------------------------------ */

struct ldr_link {
	enum ldr_link_kind kind;
	/* LDR_LINK_BPF: the bpf link; LDR_LINK_PERF_IOCTL: the perf event;
	 * LDR_LINK_SOCKET: a dup of the socket; else -1.  Owned. */
	int fd;
	int perf_fd;            /* perf event under a perf_event bpf link, owned */
	/* LDR_LINK_PROG_ATTACH: dups of the program and target fds (owned:
	 * BPF_PROG_DETACH needs both after the caller closed theirs). */
	int prog_fd;
	int target_fd;
	uint32_t attach_type;
	/* netlink attachments */
	int ifindex;
	uint32_t xdp_flags;
	uint32_t tc_parent, tc_prio, tc_handle;
	bool tc_qdisc_created;
	/* tracefs probe event we created (legacy kprobe/uprobe), removed on
	 * destroy: "p:barebpf/NAME ..." -> "-:barebpf/NAME" */
	char *tracefs_event;
	bool tracefs_kprobe;    /* in kprobe_events, else uprobe_events */
	/* LDR_LINK_MULTI */
	struct ldr_link **subs;
	size_t nsub;
	bool disconnected;
	char *pin_path;
	char desc[160];
};

/* A zeroed link of @kind with every fd -1; NULL on ENOMEM. */
struct ldr_link *ldr_link_alloc(enum ldr_link_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append @sub to a LDR_LINK_MULTI link (takes it over, also on failure). */
int ldr_link_add_sub(struct ldr_link *multi, struct ldr_link *sub);

/* BPF_LINK_CREATE with a prepared attr; the new link fd or -errno. */
int ldr_link_create(struct bb_attr_link_create *attr);

/* A perf event (TAKEN OVER, closed on failure) with @prog_fd attached:
 * perf_event bpf link, or PERF_EVENT_IOC_SET_BPF + ENABLE. */
int ldr_perf_attach(int prog_fd, int perf_fd, const struct ldr_attach_opts *o,
		    const char *desc, struct ldr_link **out, struct bb_err *e);

/* The caller's options (may be NULL) copied into @o with defaults. */
int ldr_attach_opts_get(struct ldr_attach_opts *o, const struct ldr_attach_opts *user);

/* perf_event_open(2) */
struct perf_event_attr;
int ldr_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags);

/* tracefs root (/sys/kernel/tracing, else /sys/kernel/debug/tracing);
 * NULL when neither is mounted. */
const char *ldr_tracefs(void);
/* Read a small integer file ("7\n"); -errno. */
int ldr_read_int_file(const char *path, long *out);
/* Number of possible CPUs (from /sys/devices/system/cpu/possible). */
int ldr_cpu_count(void);
/* Online CPUs as a mask array of ldr_cpu_count() bools; malloc'ed. */
int ldr_cpus_online(bool **online, int *n);

/* netlink (ldr_netlink.c) */
int ldr_nl_xdp_set(int ifindex, int prog_fd, uint32_t flags, struct bb_err *e);
int ldr_nl_tc_clsact(int ifindex, bool add, bool *created, struct bb_err *e);
int ldr_nl_tc_filter(int ifindex, uint32_t parent, uint32_t prio, uint32_t handle,
		     int prog_fd, const char *name, bool add, struct bb_err *e);

/* uprobe file offsets of several symbols at once (ldr_uprobe.c) */
int ldr_elf_func_offsets(const char *path, const char *glob, uint64_t **offs,
			 char ***names, size_t *n, struct bb_err *e);
/* uprobe perf event on @path at file offset @off (kprobe when @kprobe). */
int ldr_probe_perf_open(bool kprobe, const char *name_or_path, uint64_t off, bool retprobe,
			uint64_t ref_ctr_off, int pid, char **tracefs_event, struct bb_err *e);
/* Remove a tracefs probe event ("-:barebpf/NAME\n"). */
void ldr_tracefs_event_remove(bool kprobe, const char *event);
/* Hand @event (malloc'ed, may be NULL) to @l to remove on destroy, or
 * remove it now when the attach failed (@err). */
void ldr_link_take_tracefs(struct ldr_link *l, bool kprobe, char *event, int err);

#endif
