# case: ringbuf double submit
# map: rb ringbuf 0 0 4096
# expect: reject R1 type=scalar expected=ringbuf_mem
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +6
r6 = r0
r1 = r6
r2 = 0
call bpf_ringbuf_submit
r1 = r6
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf submit of a non-reserved pointer
# map: rb ringbuf 0 0 4096
# map: m array 4 8 1
# expect: reject R1 type=map_value expected=ringbuf_mem
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:1]
call bpf_map_lookup_elem
if r0 == 0 goto +3
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf submit of an offset record pointer
# map: rb ringbuf 0 0 4096
# expect: reject R1 must have zero offset when passed to release func
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +4
r0 += 8
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf record read before write
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
r6 = *(u64 *)(r0 +8)
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
r0 = 0
exit

# case: ringbuf record spilled and filled
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
*(u64 *)(r10 -8) = r0
r1 = *(u64 *)(r10 -8)
r2 = 0
call bpf_ringbuf_submit
r0 = 0
r0 = 0
exit

# case: ringbuf reserve leaked through a loop exit
# map: rb ringbuf 0 0 4096
# expect: reject Unreleased reference id=2 alloc_insn=4
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit

# case: ringbuf output from stack
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = map[idx:0]
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call bpf_ringbuf_output
r0 = 0
exit

# case: ringbuf output size too large for stack buffer
# map: rb ringbuf 0 0 4096
# expect: reject invalid read from stack R2 off=-8 size=16
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = map[idx:0]
r2 = r10
r2 += -8
r3 = 16
r4 = 0
call bpf_ringbuf_output
r0 = 0
exit

# case: unreachable code after unconditional jump
# expect: reject unreachable insn 1
goto +1
r0 = 1
r0 = 0
exit

# case: jump to itself
# expect: reject unreachable insn 1
goto -1
r0 = 0
exit

# case: jump backwards out of range
# expect: reject jump out of range from insn 1 to -1
r0 = 0
goto -3
exit

# case: conditional jump out of range
# expect: reject jump out of range from insn 1 to 7
r0 = 0
if r0 == 0 goto +5
exit

# case: jump into the middle of ld_imm64
# expect: reject jump into the middle of ldimm64 insn
r0 = 0
if r0 == 0 goto +1
r1 = 0 ll
exit

# case: last insn is a conditional jump
# expect: reject last insn is not an exit or jmp
r0 = 0
exit
if r0 == 0 goto -2

# case: empty tail after exit is dead
# expect: accept
r0 = 0
if r0 == 1 goto +1
exit
r0 = 1
exit

# case: backward jump conditional on constant
# expect: accept
r0 = 0
r0 += 1
if r0 < 10 goto -2
exit

# case: loop bounded by 1000 iterations
# expect: accept
r0 = 0
r0 += 1
if r0 < 1000 goto -2
exit

# case: loop with masked unknown bound
# expect: accept
r0 = 0
r1 = *(u32 *)(r1 +0)
r1 &= 15
r0 += 1
if r0 < r1 goto -2
exit

# case: loop never changing its counter
# expect: reject infinite loop detected at insn 2
r0 = 0
r1 = 0
if r1 < 10 goto -1
exit

# case: loop counting down
# expect: accept
r0 = 10
r0 -= 1
if r0 != 0 goto -2
exit

# case: nested bounded loops
# expect: accept
r0 = 0
r1 = 0
r2 = 0
r2 += 1
r0 += 1
if r2 < 4 goto -3
r1 += 1
if r1 < 4 goto -6
exit

# case: may_goto style loop on stack counter
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = *(u64 *)(r10 -8)
r1 += 1
*(u64 *)(r10 -8) = r1
if r1 < 8 goto -4
r0 = 0
exit

# case: call depth 8
# expect: accept
call f1
r0 = 0
exit
f1:
call f2
exit
f2:
call f3
exit
f3:
call f4
exit
f4:
call f5
exit
f5:
call f6
exit
f6:
call f7
exit
f7:
r0 = 0
exit

# case: call depth 9
# expect: reject the call stack of 9 frames is too deep
call g1
r0 = 0
exit
g1:
call g2
exit
g2:
call g3
exit
g3:
call g4
exit
g4:
call g5
exit
g5:
call g6
exit
g6:
call g7
exit
g7:
call g8
exit
g8:
r0 = 0
exit

# case: combined stack over 512
# expect: reject combined stack size of 2 calls is 576. Too large
r1 = 0
*(u64 *)(r10 -320) = r1
call h1
r0 = 0
exit
h1:
r1 = 0
*(u64 *)(r10 -256) = r1
r0 = 0
exit

# case: combined stack within 512
# expect: accept
r1 = 0
*(u64 *)(r10 -256) = r1
call k1
r0 = 0
exit
k1:
r1 = 0
*(u64 *)(r10 -224) = r1
r0 = 0
exit

# case: recursion
# expect: reject the call stack of 9 frames is too deep
call rr
r0 = 0
exit
rr:
call rr
r0 = 0
exit

# case: subprogram returns scalar used as bound
# map: m array 4 64 1
# expect: accept
call sb
r6 = r0
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r0 += r6
r0 = *(u8 *)(r0 +0)
r0 = 0
exit
sb:
r0 = 63
exit

# case: subprogram without exit path for r0
# expect: accept
call nr
r0 = 0
exit
nr:
exit

# case: callee r6 preserved
# expect: accept
r6 = 3
call pr
r0 = r6
exit
pr:
r6 = 9
r0 = 0
exit

# case: probe_read with zero size
# type: kprobe
# expect: accept
r1 = r10
r1 += -8
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read with negative size
# type: kprobe
# expect: reject R2 min value is negative, either use unsigned or 'var &= const'
r1 = r10
r1 += -8
r2 = -1
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read size bounded by mask
# type: kprobe
# expect: accept
r2 = *(u64 *)(r1 +0)
r2 &= 15
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read size bounded by mask too big
# type: kprobe
# expect: reject invalid write to stack R1 off=-16 size=31
r2 = *(u64 *)(r1 +0)
r2 &= 31
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into map value
# type: kprobe
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = r0
r2 = 64
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into map value too long
# type: kprobe
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=0 size=65
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = r0
r2 = 65
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into ctx
# type: kprobe
# expect: reject R1 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read dst scalar
# type: kprobe
# expect: reject R1 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r1 = 0
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: map update key uninitialised
# map: m hash 4 8 16
# expect: accept
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit

# case: map lookup key is map value
# map: m hash 4 8 16
# map: a array 4 8 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:1]
call bpf_map_lookup_elem
if r0 == 0 goto +3
r2 = r0
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = 0
exit

# case: map lookup key partly outside stack
# map: m hash 8 8 16
# expect: reject invalid read from stack R2 off=-4 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = 0
exit

# case: map delete with ctx as key
# map: m hash 4 8 16
# expect: reject R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r2 = r1
r1 = map[idx:0]
call bpf_map_delete_elem
r0 = 0
exit

# case: map update flags not a scalar
# map: m hash 4 8 16
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
*(u64 *)(r10 -16) = r1
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = r10
call bpf_map_update_elem
r0 = 0
exit

# case: perf_event_output from stack
# type: kprobe
# map: ev perf_event_array 4 4 2
# expect: accept
r2 = 0
*(u64 *)(r10 -8) = r2
r2 = map[idx:0]
r3 = 0xffffffff ll
r4 = r10
r4 += -8
r5 = 8
call bpf_perf_event_output
r0 = 0
exit

# case: perf_event_output with array map
# type: kprobe
# map: a array 4 4 2
# expect: reject cannot pass map_type 2 into func bpf_perf_event_output#25
r2 = 0
*(u64 *)(r10 -8) = r2
r2 = map[idx:0]
r3 = 0
r4 = r10
r4 += -8
r5 = 8
call bpf_perf_event_output
r0 = 0
exit

# case: get_current_pid_tgid in socket filter
# expect: accept
call bpf_get_current_pid_tgid
r0 = 0
exit

# case: get_current_pid_tgid in kprobe
# type: kprobe
# expect: accept
call bpf_get_current_pid_tgid
r0 = 0
exit

# case: ktime_get_ns in xdp
# type: xdp
# expect: accept
call bpf_ktime_get_ns
r0 = 2
exit

# case: probe_read_kernel in socket filter
# expect: accept
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: xdp_adjust_head in tc
# type: sched_cls
# expect: reject program of this type cannot use helper bpf_xdp_adjust_head#44
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit

# case: skb_load_bytes in xdp
# type: xdp
# expect: reject program of this type cannot use helper bpf_skb_load_bytes#26
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 2
exit

# case: skb_load_bytes in tc
# type: sched_cls
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 0
exit

# case: skb_load_bytes in socket filter
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 0
exit

# case: get_stackid in tracepoint
# type: tracepoint
# expect: accept
call bpf_get_smp_processor_id
r0 = 0
exit

# case: trace_printk in socket filter
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
r2 = 8
call bpf_trace_printk
r0 = 0
exit

# case: trace_printk in kprobe
# type: kprobe
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
r2 = 8
call bpf_trace_printk
r0 = 0
exit

# case: redirect in xdp
# type: xdp
# expect: accept
r1 = 1
r2 = 0
call bpf_redirect
exit

# case: redirect in kprobe
# type: kprobe
# expect: reject program of this type cannot use helper bpf_redirect#23
r1 = 1
r2 = 0
call bpf_redirect
r0 = 0
exit

# case: get_current_comm in raw_tp
# type: raw_tracepoint
# expect: accept
r1 = r10
r1 += -16
r2 = 16
call bpf_get_current_comm
r0 = 0
exit

# case: r0 read before any call
# expect: reject R0 !read_ok
r1 = r0
r0 = 0
exit

# case: r0 after helper is readable
# expect: accept
call bpf_get_prandom_u32
exit

# case: r0 not set on one path
# expect: reject R0 !read_ok
r1 = *(u32 *)(r1 +0)
if r1 == 0 goto +1
r0 = 1
exit

# case: r0 set on both paths
# expect: accept
r1 = *(u32 *)(r1 +0)
r0 = 0
if r1 == 0 goto +1
r0 = 1
exit

# case: uninitialised r5 as helper argument
# type: kprobe
# expect: reject R3 !read_ok
r1 = r10
r1 += -8
r2 = 8
call bpf_probe_read_kernel
r0 = 0
exit

# case: uninitialised r9 stored to stack
# expect: reject R9 !read_ok
*(u64 *)(r10 -8) = r9
r0 = 0
exit

# case: uninitialised register as jump operand
# expect: reject R3 !read_ok
r0 = 0
if r3 > 0 goto +0
exit

# case: uninitialised register as store address
# expect: reject R4 !read_ok
r1 = 0
*(u64 *)(r4 +0) = r1
r0 = 0
exit

# case: read of r11
# expect: accept
r0 = 0
exit

# case: r1 after exit from subprog is clobbered
# expect: reject R2 !read_ok
call cz
r0 = r2
exit
cz:
r2 = 1
r0 = 0
exit

# case: a function reference into the second slot of an ld_imm64
# type: socket_filter
# func_info
# expect: reject last insn is not an exit or jmp
r1 = subprog[+0]
r0 = 0
exit
