# case: bpf_loop: callback returns 0, no ctx
# type: xdp
# func_info
# expect: accept
r1 = 8
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 0
exit

# case: bpf_loop: callback returns 1
# type: xdp
# func_info
# expect: accept
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 1
exit

# case: bpf_loop: callback returns 2
# type: xdp
# func_info
# expect: reject At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 2
exit

# case: bpf_loop: callback returns an unknown scalar
# type: xdp
# func_info
# expect: reject should have been in [0, 1]
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
call bpf_get_prandom_u32
exit

# case: bpf_loop: callback returns the index (u32)
# type: xdp
# func_info
# expect: reject At callback return the register R0 has smin=0 smax=4294967295 should have been in [0, 1]
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
w0 = w1
exit

# case: bpf_loop: callback returns a pointer
# type: xdp
# func_info
# map: m array 4 8 1
# expect: reject R0 not a scalar value
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = map[idx:0]
exit

# case: bpf_loop: callback returns its own stack pointer
# type: xdp
# func_info
# expect: reject cannot return stack pointer to the caller
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = r10
exit

# case: bpf_loop: callback returns a bounded scalar
# type: xdp
# func_info
# expect: accept
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = r1
r0 &= 1
exit

# case: bpf_loop: callback index bounds a ctx buffer access
# type: xdp
# func_info
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -16) = r1
r1 = 16
r2 = subprog[cb]
r3 = r10
r3 += -16
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
if r1 > 15 goto out
r2 += r1
r3 = *(u8 *)(r2 +0)
r3 += 1
*(u8 *)(r2 +0) = r3
out:
r0 = 0
exit

# case: bpf_loop: index checked in 32 bits only
# type: xdp
# func_info
# expect: reject math between fp pointer and register with unbounded min value is not allowed
r1 = 0
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -16) = r1
r1 = 16
r2 = subprog[cb]
r3 = r10
r3 += -16
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
if w1 > 15 goto out
r2 += r1
r3 = *(u8 *)(r2 +0)
out:
r0 = 0
exit

# case: bpf_loop: unchecked index into the ctx buffer
# type: xdp
# func_info
# expect: reject invalid unbounded variable-offset read from stack R2
r1 = 0
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -16) = r1
r1 = 16
r2 = subprog[cb]
r3 = r10
r3 += -16
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
w1 = w1
r2 += r1
r3 = *(u8 *)(r2 +0)
r0 = 0
exit

# case: bpf_loop: NULL ctx dereferenced in the callback
# type: xdp
# func_info
# expect: reject R2 invalid mem access 'scalar'
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = *(u64 *)(r2 +0)
r0 = 0
exit

# case: bpf_loop: callback argument is not a function
# type: xdp
# func_info
# expect: reject R2 type=scalar expected=func
r1 = 4
r2 = 0
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit

# case: bpf_loop: ctx argument is the packet
# type: xdp
# func_info
# expect: reject helper access to the packet is not allowed
r3 = *(u32 *)(r1 +0)
r1 = 4
r2 = subprog[cb]
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 0
exit

# case: bpf_loop: ctx argument is a scalar other than 0
# type: xdp
# func_info
# expect: reject R3 type=scalar expected=fp
r1 = 4
r2 = subprog[cb]
r3 = 8
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 0
exit

# case: bpf_loop: caller-saved registers clobbered by the call
# type: xdp
# func_info
# expect: reject R3 !read_ok
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = r3
exit
cb:
r0 = 0
exit

# case: bpf_loop: unknown iteration count, callback without state converges
# type: xdp
# func_info
# expect: accept
call bpf_get_prandom_u32
r1 = r0
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 0
exit

# case: bpf_loop: callback counter in caller stack, read after the loop
# type: xdp
# func_info
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = 10
r2 = subprog[cb]
r3 = r10
r3 += -8
r4 = 0
call bpf_loop
r0 = *(u64 *)(r10 -8)
r0 = 2
exit
cb:
r3 = *(u64 *)(r2 +0)
r3 += 1
*(u64 *)(r2 +0) = r3
r0 = 0
exit

# case: bpf_loop: the counter reaches 3 only after 3 iterations (out-of-bounds on iteration 4)
# type: xdp
# func_info
# expect: reject invalid write to stack
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = 5
r2 = subprog[cb]
r3 = r10
r3 += -8
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r3 = *(u64 *)(r2 +0)
r3 += 1
*(u64 *)(r2 +0) = r3
if r3 < 4 goto ok
r4 = r10
r4 += -600
*(u8 *)(r4 +0) = r3
ok:
r0 = 0
exit

# case: bpf_loop: the same callback with 3 iterations is safe
# type: xdp
# func_info
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = 3
r2 = subprog[cb]
r3 = r10
r3 += -8
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r3 = *(u64 *)(r2 +0)
r3 += 1
*(u64 *)(r2 +0) = r3
if r3 < 4 goto ok
r4 = r10
r4 += -600
*(u8 *)(r4 +0) = r3
ok:
r0 = 0
exit

# case: bpf_loop: nested loop in the callback
# type: xdp
# func_info
# expect: accept
r1 = 3
r2 = subprog[outer]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
outer:
r1 = 3
r2 = subprog[inner]
r3 = 0
r4 = 0
call bpf_loop
r0 = 0
exit
inner:
r0 = 1
exit

# case: bpf_loop: callback stack counts toward the combined stack size
# type: xdp
# func_info
# expect: reject combined stack size
r1 = 0
*(u64 *)(r10 -400) = r1
r1 = 1
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r1 = 0
*(u64 *)(r10 -200) = r1
r0 = 0
exit

# case: bpf_for_each_map_elem: read the value in the callback
# type: xdp
# func_info
# map: m array 4 16 8
# expect: accept
r1 = map[idx:0]
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_for_each_map_elem
r0 = 2
exit
cb:
r0 = *(u64 *)(r3 +8)
r0 = *(u32 *)(r2 +0)
r0 = 0
exit

# case: bpf_for_each_map_elem: read past the value in the callback
# type: xdp
# func_info
# map: m hash 4 16 8
# expect: reject invalid access to map value, value_size=16 off=16 size=8
r1 = map[idx:0]
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_for_each_map_elem
r0 = 2
exit
cb:
r0 = *(u64 *)(r3 +16)
r0 = 0
exit

# case: bpf_for_each_map_elem: callback returns 5
# type: xdp
# func_info
# map: m array 4 16 8
# expect: reject At callback return the register R0 has smin=5 smax=5 should have been in [0, 1]
r1 = map[idx:0]
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_for_each_map_elem
r0 = 2
exit
cb:
r0 = 5
exit

# case: function reference without BTF func_info
# type: xdp
# expect: reject missing btf func_info
r1 = 4
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r0 = 0
exit

# case: subprogram returns the caller's stack pointer
# type: xdp
# expect: reject cannot return stack pointer to the caller
r1 = r10
r1 += -8
call sp
r0 = 2
exit
sp:
r0 = r1
exit

# case: bpf_for_each_map_elem: write to the key in the callback
# type: xdp
# func_info
# map: m hash 4 16 8
# expect: reject write to change key R2 not allowed
r1 = map[idx:0]
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_for_each_map_elem
r0 = 2
exit
cb:
r0 = 0
*(u32 *)(r2 +0) = r0
exit

# case: bpf_for_each_map_elem: write to the value in the callback
# type: xdp
# func_info
# map: m array 4 16 8
# expect: accept
r1 = map[idx:0]
r2 = subprog[cb]
r3 = 0
r4 = 0
call bpf_for_each_map_elem
r0 = 2
exit
cb:
r0 = 0
*(u64 *)(r3 +8) = r0
exit

# case: bpf_loop: tail call in the callback
# type: xdp
# func_info
# map: pa prog_array 4 4 2
# expect: reject callback unexpected regs
*(u64 *)(r10 -8) = r1
r1 = 4
r2 = subprog[cb]
r3 = r10
r3 += -8
r4 = 0
call bpf_loop
r0 = 2
exit
cb:
r1 = *(u64 *)(r2 +0)
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 0
exit

# case: bpf_loop: callback changes packet data, caller's packet pointer used after
# type: xdp
# func_info
# expect: reject R7 invalid mem access 'scalar'
r6 = r1
r7 = *(u32 *)(r1 +0)
r8 = *(u32 *)(r1 +4)
r9 = r7
r9 += 8
if r9 > r8 goto out
r1 = 4
r2 = subprog[cb]
r3 = r10
r3 += -8
*(u64 *)(r10 -8) = r6
r4 = 0
call bpf_loop
r0 = *(u8 *)(r7 +0)
out:
r0 = 2
exit
cb:
r1 = *(u64 *)(r2 +0)
r2 = 4
call bpf_xdp_adjust_head
r0 = 0
exit

# case: tail call in a subprogram without BTF
# type: xdp
# map: pa prog_array 4 4 2
# expect: reject tail_call is not allowed in subprogs without BTF
call sub
r0 = 2
exit
sub:
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 0
exit

# case: tail call in main with a subprogram, without BTF
# type: xdp
# map: pa prog_array 4 4 2
# expect: accept
r6 = r1
call sub
r1 = r6
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 2
exit
sub:
r0 = 0
exit

# case: tail call in a subprogram with BTF
# type: xdp
# func_info
# map: pa prog_array 4 4 2
# expect: accept
call sub
r0 = 2
exit
sub:
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 0
exit
