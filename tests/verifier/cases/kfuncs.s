# case: kfunc: acquire, NULL check, release
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: accept
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: acquired reference never released
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# expect: reject Unreleased reference id=
r1 = *(u64 *)(r1 +8)
call kfunc 0
r0 = 0
exit

# case: kfunc: released on one path only
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: reject Unreleased reference id=
r6 = *(u64 *)(r1 +0)
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 == 0 goto out
r7 = r0
call bpf_get_prandom_u32
if r0 > 5 goto out
r1 = r7
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: a NULL result needs no release
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: accept
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 != 0 goto rel
r0 = 0
exit
rel:
r1 = r0
call kfunc 1
r0 = 0
exit

# case: kfunc: release without the NULL check
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: reject Possibly NULL pointer passed to trusted arg0
r1 = *(u64 *)(r1 +8)
call kfunc 0
r1 = r0
call kfunc 1
r0 = 0
exit

# case: kfunc: acquired pointer read without the NULL check
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# expect: reject R0 invalid mem access 'ptr_or_null_
r1 = *(u64 *)(r1 +8)
call kfunc 0
r1 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: kfunc: acquired pointer read after the NULL check
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: accept
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 == 0 goto out
r6 = *(u64 *)(r0 +0)
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: use after release
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: reject R6 invalid mem access 'scalar'
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 == 0 goto out
r6 = r0
r1 = r0
call kfunc 1
r0 = *(u64 *)(r6 +0)
out:
r0 = 0
exit

# case: kfunc: release twice
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: reject arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar
r1 = *(u64 *)(r1 +8)
call kfunc 0
if r0 == 0 goto out
r6 = r0
r1 = r0
call kfunc 1
r1 = r6
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: release of a pointer that was not acquired
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_release
# expect: reject release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID
r1 = *(u64 *)(r1 +8)
call kfunc 0
r0 = 0
exit

# case: kfunc: acquire given NULL
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# expect: reject Possibly NULL pointer passed to trusted arg0
r1 = 0
call kfunc 0
r0 = 0
exit

# case: kfunc: acquire given a stack pointer
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# expect: reject arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar
r1 = r10
r1 += -8
call kfunc 0
r0 = 0
exit

# case: kfunc: acquire given a number
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_acquire
# expect: reject arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar
r1 = 42
call kfunc 0
r0 = 0
exit

# case: kfunc: look a task up by pid and release it
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# kfunc: bpf_task_release
# expect: accept
call bpf_get_prandom_u32
r1 = r0
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: task by pid given a pointer
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# expect: reject R1 is not a scalar
r1 = r10
call kfunc 0
r0 = 0
exit

# case: kfunc: task by pid with an uninitialised argument
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# expect: reject R1 is not a scalar
r1 = *(u64 *)(r1 +8)
call bpf_get_prandom_u32
call kfunc 0
r0 = 0
exit

# case: kfunc: task by pid returns a reference to release
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# expect: reject Unreleased reference
r1 = 1
call kfunc 0
r0 = 0
exit

# case: kfunc: R1-R5 are clobbered by the call
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: reject R1 !read_ok
r6 = r1
call kfunc 0
call kfunc 1
r0 = r1
exit

# case: kfunc: acquire in an XDP program
# type: xdp
# kfunc: bpf_task_from_pid
# kfunc: bpf_task_release
# expect: accept
r1 = 1
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 2
exit

# case: kfunc: generic kfuncs are not registered for socket filters
# type: socket_filter
# kfunc: bpf_task_from_pid
# expect: reject calling kernel function bpf_task_from_pid is not allowed
r1 = 1
call kfunc 0
r0 = 0
exit

# case: kfunc: generic kfuncs are registered for tc
# type: sched_cls
# kfunc: bpf_task_from_pid
# kfunc: bpf_task_release
# expect: accept
r1 = 1
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: RCU read section in a socket filter (common kfuncs)
# type: socket_filter
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: accept
call kfunc 0
call kfunc 1
r0 = 0
exit

# case: kfunc: nested RCU read lock
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: reject nested rcu read lock (kernel function bpf_rcu_read_lock)
call kfunc 0
call kfunc 0
call kfunc 1
r0 = 0
exit

# case: kfunc: RCU read unlock without lock
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_unlock
# expect: reject unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)
call kfunc 0
r0 = 0
exit

# case: kfunc: exit inside an RCU read section
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# expect: reject BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region
call kfunc 0
r0 = 0
exit

# case: kfunc: RCU read section left open on one path
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: reject cannot be used inside bpf_rcu_read_lock-ed region
call kfunc 0
call bpf_get_prandom_u32
if r0 > 7 goto out
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: RCU read section closed on both paths
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: accept
call kfunc 0
call bpf_get_prandom_u32
if r0 > 7 goto other
call kfunc 1
r0 = 0
exit
other:
call kfunc 1
r0 = 1
exit

# case: kfunc: acquire a task in a global function
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# kfunc: bpf_task_release
# func: f global int int
# expect: accept
r1 = 1
call f
r0 = 0
exit
f:
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: kfunc: a global function leaks the reference
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_task_from_pid
# func: f global int int
# expect: reject Unreleased reference
r1 = 1
call f
r0 = 0
exit
f:
call kfunc 0
r0 = 0
exit

# case: kfunc: one the verifier does not model
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_preempt_disable
# kfunc: bpf_preempt_enable
# expect: reject barebpf: kfunc bpf_preempt_disable not modelled yet
# kernel-differs: a kfunc outside vf_kfunc.c's table is refused loudly; the kernel accepts this pair
call kfunc 0
call kfunc 1
r0 = 0
exit
