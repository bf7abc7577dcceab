// SPDX-License-Identifier: MIT
/*
 * opensnoop - every openat() on the system: who opened what, and the result.
 *
 * Observes: tracepoint syscalls/sys_enter_openat (remember the file name
 * pointer and flags, keyed by thread) and syscalls/sys_exit_openat (pair it
 * with the return value and emit one event).
 * Output: ring buffer `events` of struct open_event, one per completed
 * openat: pid, uid, comm, ret (fd, or -errno), flags, fname.  A reader
 * prints "PID COMM FD ERR PATH" like BCC's opensnoop.
 * Knob: targ_tgid (.rodata) restricts tracing to one process when non-zero.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define NAME_MAX 255
#define TASK_COMM_LEN 16

struct open_args {
	const char *fname;
	int flags;
};

struct open_event {
	__u32 pid;
	__u32 uid;
	int ret;
	int flags;
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX];
};

/* Keeps struct open_event in the object's BTF (clang drops types only locals
 * use), so barebpf trace / run decode records by field name. */
struct open_event *unused_open_event __attribute__((unused));

const volatile __u32 targ_tgid = 0;

/* Entry -> exit hand-off, keyed by pid_tgid (one openat in flight per thread). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct open_args);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct open_args args = {};

	if (targ_tgid && (id >> 32) != targ_tgid)
		return 0;
	/* openat(dfd, filename, flags, mode) */
	args.fname = (const char *)ctx->args[1];
	args.flags = (int)ctx->args[2];
	bpf_map_update_elem(&start, &id, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int handle_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct open_args *ap;
	struct open_event *e;

	ap = bpf_map_lookup_elem(&start, &id);
	if (!ap)
		return 0;	/* entry was filtered out or missed */

	/* Reserve in place; if the ring is full the event is dropped. */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = id >> 32;
		e->uid = (__u32)bpf_get_current_uid_gid();
		e->ret = (int)ctx->ret;
		e->flags = ap->flags;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		/* The name lives in user memory; read it as a user string. */
		bpf_probe_read_user_str(e->fname, sizeof(e->fname), ap->fname);
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&start, &id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
