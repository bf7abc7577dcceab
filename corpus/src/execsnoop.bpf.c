// SPDX-License-Identifier: MIT
/*
 * execsnoop - every successful exec: which program replaced which process.
 *
 * Observes: tracepoint sched/sched_process_exec, which fires after the new
 * image is in place (so failed execs are not reported).
 * Output: ring buffer `events` of struct exec_event: pid, ppid, uid, comm
 * (the new program's name), filename (the path that was exec'd).  A reader
 * prints "PCOMM PID PPID FILENAME" like BCC's execsnoop.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_core.h"

#define TASK_COMM_LEN 16
#define FILENAME_LEN 256

struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__u32 old_pid;
	char comm[TASK_COMM_LEN];
	char filename[FILENAME_LEN];
};

/* Keeps struct exec_event in the object's BTF (clang drops types only locals
 * use), so barebpf trace / run decode records by field name. */
struct exec_event *unused_exec_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_event *e;
	unsigned int off;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = ctx->pid;
	e->old_pid = ctx->old_pid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	/* task->real_parent->tgid: two CO-RE probed reads. */
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/*
	 * Variable-length tracepoint fields are stored after the fixed ones;
	 * __data_loc_X holds (length << 16 | offset from the record start).
	 */
	off = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
