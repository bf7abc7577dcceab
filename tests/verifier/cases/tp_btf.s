# case: tp_btf sched_switch: read prev->pid
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r0 = *(u32 *)(r2 +1264)
r0 = 0
exit

# case: tp_btf sched_switch: read next->tgid and prev_state
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +16)
r3 = *(u64 *)(r1 +24)
r0 = *(u32 *)(r2 +1268)
r0 = 0
exit

# case: tp_btf sched_switch: read bool preempt as u64
# type: tp_btf
# attach: sched_switch
# expect: accept
r0 = *(u64 *)(r1 +0)
r0 = 0
exit

# case: tp_btf sched_switch: argument past the last
# type: tp_btf
# attach: sched_switch
# expect: reject invalid bpf_context access off=32 size=8
r0 = *(u64 *)(r1 +32)
r0 = 0
exit

# case: tp_btf sched_switch: ctx offset not a multiple of 8
# type: tp_btf
# attach: sched_switch
# expect: reject invalid bpf_context access off=4 size=4
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: tp_btf sched_switch: ctx write
# type: tp_btf
# attach: sched_switch
# expect: reject invalid bpf_context access off=8 size=8
r2 = 0
*(u64 *)(r1 +8) = r2
r0 = 0
exit

# case: tp_btf sched_switch: read past the end of task_struct
# type: tp_btf
# attach: sched_switch
# expect: reject access beyond struct task_struct at off 3264 size 8
r2 = *(u64 *)(r1 +8)
r0 = *(u64 *)(r2 +3264)
r0 = 0
exit

# case: tp_btf sched_switch: read straddling the end of pid
# type: tp_btf
# attach: sched_switch
# expect: reject access beyond the end of member pid
r2 = *(u64 *)(r1 +8)
r0 = *(u64 *)(r2 +1264)
r0 = 0
exit

# case: tp_btf sched_switch: write through the task pointer
# type: tp_btf
# attach: sched_switch
# expect: reject only read is supported
r2 = *(u64 *)(r1 +8)
r3 = 0
*(u32 *)(r2 +1264) = r3
r0 = 0
exit

# case: tp_btf sched_switch: store immediate through the task pointer
# type: tp_btf
# attach: sched_switch
# expect: reject only read is supported
r2 = *(u64 *)(r1 +8)
*(u32 *)(r2 +1264) = 0
r0 = 0
exit

# case: tp_btf sched_switch: negative offset
# type: tp_btf
# attach: sched_switch
# expect: reject invalid negative access
r2 = *(u64 *)(r1 +8)
r0 = *(u32 *)(r2 -8)
r0 = 0
exit

# case: tp_btf sched_switch: nested struct member se.deadline
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r0 = *(u64 *)(r2 +168)
r0 = 0
exit

# case: tp_btf sched_switch: bitfield word
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r0 = *(u32 *)(r2 +1188)
r0 = 0
exit

# case: tp_btf sched_switch: constant pointer arithmetic then read
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r2 += 1264
r0 = *(u32 *)(r2 +4)
r0 = 0
exit

# case: tp_btf sched_switch: variable offset read
# type: tp_btf
# attach: sched_switch
# expect: reject invalid variable offset
r2 = *(u64 *)(r1 +8)
r3 = *(u64 *)(r1 +24)
r3 &= 8
r2 += r3
r0 = *(u32 *)(r2 +0)
r0 = 0
exit

# case: tp_btf sched_switch: scalar argument is not a pointer
# type: tp_btf
# attach: sched_switch
# expect: reject invalid mem access 'scalar'
r2 = *(u64 *)(r1 +24)
r0 = *(u32 *)(r2 +0)
r0 = 0
exit

# case: tp_btf sched_process_exit: read p->prio
# type: tp_btf
# attach: sched_process_exit
# expect: accept
r2 = *(u64 *)(r1 +0)
r0 = *(u32 *)(r2 +108)
r0 = 0
exit

# case: tp_btf sched_switch: pointer member gives ptr_task_struct, read through it
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r3 = *(u64 *)(r2 +1288)
r0 = *(u32 *)(r3 +1264)
r0 = 0
exit

# case: tp_btf sched_switch: two pointer hops (parent->last_wakee->pid)
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +16)
r3 = *(u64 *)(r2 +1288)
r4 = *(u64 *)(r3 +88)
r0 = *(u32 *)(r4 +1268)
r0 = 0
exit

# case: tp_btf sched_switch: pointer member read with 4 bytes
# type: tp_btf
# attach: sched_switch
# expect: reject cannot access ptr member last_wakee
r2 = *(u64 *)(r1 +8)
r3 = *(u32 *)(r2 +88)
r0 = 0
exit

# case: tp_btf sched_switch: write through a walked pointer
# type: tp_btf
# attach: sched_switch
# expect: reject only read is supported
r2 = *(u64 *)(r1 +8)
r3 = *(u64 *)(r2 +88)
*(u32 *)(r3 +1264) = 1
r0 = 0
exit

# case: tp_btf sched_switch: read past the end of a nested member's struct
# type: tp_btf
# attach: sched_switch
# expect: reject access beyond the end of member flags (mend:8) in struct thread_info
r2 = *(u64 *)(r1 +8)
r3 = *(u64 *)(r2 +88)
r4 = *(u64 *)(r3 +1)
r0 = 0
exit

# case: tp_btf sched_switch: real_parent (an RCU-listed member)
# type: tp_btf
# attach: sched_switch
# expect: accept
r2 = *(u64 *)(r1 +8)
r3 = *(u64 *)(r2 +1280)
r0 = *(u32 *)(r3 +0)
r0 = 0
exit

# case: tp_btf sched_switch: real_parent is rcu_ptr_, good for a KF_RCU kfunc
# type: tp_btf
# attach: sched_switch
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# expect: accept
r2 = *(u64 *)(r1 +8)
r1 = *(u64 *)(r2 +1280)
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: tp_btf sched_switch: real_parent after bpf_rcu_read_unlock is untrusted
# type: tp_btf
# attach: sched_switch
# kfunc: bpf_task_acquire
# kfunc: bpf_task_release
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# expect: reject R1 must be a rcu pointer
r2 = *(u64 *)(r1 +8)
r6 = *(u64 *)(r2 +1280)
call kfunc 2
call kfunc 3
r1 = r6
call kfunc 0
if r0 == 0 goto out
r1 = r0
call kfunc 1
out:
r0 = 0
exit

# case: tp_btf sched_switch: real_parent is not trusted for a KF_RELEASE kfunc
# type: tp_btf
# attach: sched_switch
# kfunc: bpf_task_release
# expect: reject R1 must be referenced or trusted
r2 = *(u64 *)(r1 +8)
r1 = *(u64 *)(r2 +1280)
call kfunc 0
r0 = 0
exit
