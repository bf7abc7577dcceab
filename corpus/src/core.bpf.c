// SPDX-License-Identifier: MIT
/*
 * core - CO-RE relocations of every kind, answering "what does this kernel
 * look like?" at load time instead of compile time.
 *
 * Observes: tp_btf/sched_switch (arguments are BTF-typed task pointers the
 * program may dereference directly) and, on each switch, records facts
 * about the switched-out task and about the kernel's types.
 * Output: .bss `facts` (struct core_facts below); a reader prints it.
 *
 * Relocation kinds used (see bb_core.h):
 *   field byte offset     prev->pid, BPF_CORE_READ chains
 *   field exists          task_struct___new.__state (exists since 5.14),
 *                         task_struct___old.state   (gone: reads 0)
 *   field size/bitfield   BPF_CORE_READ_BITFIELD (in_iowait, direct load),
 *                         BPF_CORE_READ_BITFIELD_PROBED (sched_reset_on_fork)
 *   type exists / size    struct rq, struct task_struct, a type that no
 *                         kernel has (struct bb_no_such_type)
 *   type id               the kernel's BTF id of struct task_struct
 *   enum value / exists   PIDTYPE_TGID, BPF_FUNC_loop, and a flavored enum
 *                         value this kernel lacks
 * `___suffix` names are flavors: the loader matches task_struct___old
 * against the kernel's task_struct and ignores the suffix.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_core.h"
#include "bb_tracing.h"

/* Two historical layouts of the task state field. */
struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

/* A type and an enumerator no kernel defines: relocate to "absent". */
struct bb_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum bpf_func_id___future {
	BPF_FUNC_time_travel___future = 4096,
};

struct core_facts {
	__u64 switches;
	__u32 last_pid;
	__u32 last_state;
	__u32 has_new_state;	/* 1 on 5.14+ */
	__u32 has_old_state;	/* 0 on 5.14+ */
	__u32 in_iowait;
	__u32 reset_on_fork;
	__u32 state_size;	/* sizeof(task->__state) here */
	__u32 pid_offset;	/* offsetof(struct task_struct, pid) here */
	__u32 rq_exists;
	__u32 no_such_type_exists;
	__u32 task_struct_size;
	__u32 task_struct_btf_id;
	__u32 pidtype_tgid;
	__u32 func_loop_exists;
	__u32 func_future_exists;
	__u32 grandparent_pid;
	char comm[16];
};

struct core_facts facts;

SEC("tp_btf/sched_switch")
int BPF_PROG(core_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();

	facts.switches++;
	facts.last_pid = prev->pid;	/* direct read, offset relocated */

	if (bpf_core_field_exists(struct task_struct___new, __state)) {
		facts.has_new_state = 1;
		facts.last_state = BPF_CORE_READ((struct task_struct___new *)prev, __state);
		facts.state_size = bpf_core_field_size(struct task_struct___new, __state);
	} else {
		/* Dead here: the loader poisons this read and the verifier
		 * drops the branch once the guard above is a constant 1. */
		facts.last_state = BPF_CORE_READ((struct task_struct___old *)prev, state);
	}
	facts.has_old_state = bpf_core_field_exists(struct task_struct___old, state);

	facts.in_iowait = BPF_CORE_READ_BITFIELD(prev, in_iowait);
	facts.reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(prev, sched_reset_on_fork);
	facts.pid_offset = bpf_core_field_offset(prev->pid);

	facts.rq_exists = bpf_core_type_exists(struct rq);
	facts.no_such_type_exists = bpf_core_type_exists(struct bb_no_such_type);
	facts.task_struct_size = bpf_core_type_size(struct task_struct);
	facts.task_struct_btf_id = bpf_core_type_id_kernel(struct task_struct);

	facts.pidtype_tgid = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	facts.func_loop_exists = bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop);
	facts.func_future_exists =
		bpf_core_enum_value_exists(enum bpf_func_id___future, BPF_FUNC_time_travel___future);

	/* A three-step probed chain from an untyped task pointer. */
	facts.grandparent_pid = BPF_CORE_READ(cur, real_parent, real_parent, pid);
	BPF_CORE_READ_INTO(&facts.comm, cur, group_leader, comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
