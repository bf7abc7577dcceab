// SPDX-License-Identifier: MIT
/*
 * kfunc - calling kernel functions exported to BPF (kfuncs), which the
 * loader resolves by name in vmlinux BTF (`call` with src_reg 2 and the
 * function's BTF id).  Declared as `extern ... __ksym`.
 *
 *   bpf_task_acquire/bpf_task_release  take and drop a reference; the
 *                                      verifier tracks it and rejects a
 *                                      program that could leak it
 *   bpf_task_from_pid                  look a task up (acquired, may be NULL)
 *   bpf_rcu_read_lock/unlock           an RCU read section, inside which
 *                                      RCU-protected pointers are trusted
 *
 * Observes: tp_btf/sched_process_fork (a new task was created).
 * Output: .bss forks (number seen), parent_found (how often the parent
 * could be looked up again by pid), last_child_pid, last_parent_tgid.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_tracing.h"

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

__u64 forks, parent_found;
__u32 last_child_pid, last_parent_tgid;

SEC("tp_btf/sched_process_fork")
int BPF_PROG(kfunc_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *t, *p;

	forks++;
	t = bpf_task_acquire(child);
	if (!t)
		return 0;
	last_child_pid = t->pid;
	bpf_task_release(t);	/* without this the verifier reports a leak */

	p = bpf_task_from_pid(parent->tgid);
	if (p) {
		parent_found++;
		bpf_task_release(p);
	}

	bpf_rcu_read_lock();
	/* real_parent is __rcu: a trusted pointer only inside the section. */
	last_parent_tgid = parent->real_parent->tgid;
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
