# case: global: pointer argument dereferenced without a NULL check
# type: xdp
# func: f global int ptr:8
# expect: reject R1 invalid mem access 'mem_or_null'
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = *(u64 *)(r1 +0)
exit

# case: static: the same function in the caller's context is fine
# type: xdp
# func: f static int ptr:8
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = *(u64 *)(r1 +0)
exit

# case: global: pointer argument checked for NULL first
# type: xdp
# func: f global int ptr:8
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r1 +0)
out:
exit

# case: global: read past the pointed-to type's size
# type: xdp
# func: f global int ptr:8
# expect: reject invalid access to memory, mem_size=8 off=4 size=8
r1 = 0
*(u64 *)(r10 -8) = r1
*(u64 *)(r10 -16) = r1
r1 = r10
r1 += -16
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r1 +4)
out:
exit

# case: global: __arg_nonnull pointer used without a check
# type: xdp
# func: f global int ptr:8@nonnull
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = *(u64 *)(r1 +0)
exit

# case: global: __arg_nonnull given a pointer that may be NULL
# type: xdp
# map: m hash 4 8 1
# func: f global int ptr:8@nonnull
# expect: reject arg#0 is expected to be non-NULL
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r1 = r0
call f
r0 = 2
exit
f:
r0 = *(u64 *)(r1 +0)
exit

# case: global: a map value that may be NULL passed to a nullable argument
# type: xdp
# map: m hash 4 8 1
# func: f global int ptr:8
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r1 = r0
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r1 +0)
out:
exit

# case: global: NULL passed to a nullable pointer argument
# type: xdp
# func: f global int ptr:8
# expect: accept
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = *(u64 *)(r1 +0)
out:
exit

# case: global: caller passes less stack than the pointed-to type
# type: xdp
# func: f global int ptr:16
# expect: reject Caller passes invalid args into func#1 ('f')
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: caller passes a number as a pointer
# type: xdp
# func: f global int ptr:8
# expect: reject R1 type=scalar expected=fp
r1 = 42
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: a read-only map value passed as writable memory
# type: xdp
# map: ro array 4 8 1 rdonly
# func: f global int ptr:8
# expect: reject write into map forbidden
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = r0
call f
out:
r0 = 2
exit
f:
r0 = 0
exit

# case: global: packet memory passed after a bounds check
# type: xdp
# func: f global int ptr:4
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 4
if r4 > r3 goto out
r1 = r2
call f
out:
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto ret
r0 = *(u32 *)(r1 +0)
ret:
exit

# case: global: packet memory passed without a bounds check
# type: xdp
# func: f global int ptr:4
# expect: reject Caller passes invalid args into func#1 ('f')
r1 = *(u32 *)(r1 +0)
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: context argument reads the context
# type: xdp
# func: f global int ctx
# expect: accept
call f
r0 = 2
exit
f:
r0 = *(u32 *)(r1 +12)
exit

# case: global: context argument given a stack pointer
# type: xdp
# func: f global int ctx
# expect: reject arg#0 expects pointer to ctx
r1 = r10
r1 += -8
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: context argument given a modified context pointer
# type: xdp
# func: f global int ctx
# expect: reject dereference of modified ctx ptr R1 off=4 disallowed
r1 += 4
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: socket filter context is struct __sk_buff
# type: socket_filter
# func: f global int ctx
# expect: accept
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 +0)
exit

# case: global: a pointer to a struct that is not the context is memory
# type: socket_filter
# func: f global int struct:xdp_md*
# expect: reject R1 type=ctx expected=fp
call f
r0 = 0
exit
f:
r0 = 0
exit

# case: global: __arg_ctx on void *
# type: xdp
# func: f global int void*@ctx
# expect: accept
call f
r0 = 2
exit
f:
r0 = *(u32 *)(r1 +16)
exit

# case: global: __arg_ctx on the wrong struct
# type: xdp
# func: f global int struct:__sk_buff*@ctx
# expect: reject arg#0 should be `struct xdp_md *`
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: __arg_ctx on a scalar
# type: xdp
# func: f global int int@ctx
# expect: reject arg#0 has pointer tag, but is not a pointer type
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: void * argument has no size
# type: xdp
# func: f global int void*
# expect: reject arg#0 reference type('UNKNOWN ') size cannot be determined: -22
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: struct passed by value
# type: xdp
# func: f global int struct:pair
# expect: reject Arg#0 type STRUCT in f() is not supported yet.
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: scalar argument given a pointer
# type: xdp
# func: f global int u64
# expect: reject R1 is not a scalar
r1 = r10
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: scalar argument not initialised
# type: xdp
# func: f global int u64 u64
# expect: reject R2 is not a scalar
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: the callee sees any value of a scalar argument
# type: xdp
# func: f global int u32
# expect: reject R9 !read_ok
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = r9
out:
exit

# case: static: the callee knows the argument's value
# type: xdp
# func: f static int u32
# expect: accept
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
if r1 == 0 goto out
r0 = r9
out:
exit

# case: global: the caller does not know what it returns
# type: xdp
# func: f global int
# expect: reject R9 !read_ok
call f
if r0 == 0 goto out
r0 = r9
out:
r0 = 2
exit
f:
r0 = 0
exit

# case: static: the caller knows what it returns
# type: xdp
# func: f static int
# expect: accept
call f
if r0 == 0 goto out
r0 = r9
out:
r0 = 2
exit
f:
r0 = 0
exit

# case: global: returns a pointer type
# type: xdp
# func: f global int* int
# expect: reject Global function f() doesn't return scalar. Only those are supported.
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: void function
# type: xdp
# func: f global void
# expect: reject Global function f() doesn't return scalar.
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: returns a pointer value
# type: xdp
# func: f global int ctx
# expect: reject At subprogram exit the register R0 is not a scalar value (ctx)
call f
r0 = 2
exit
f:
r0 = r1
exit

# case: global: returns without setting R0
# type: xdp
# func: f global int
# expect: reject R0 !read_ok
call f
r0 = 2
exit
f:
exit

# case: global: argument registers past the prototype are not set
# type: xdp
# func: f global int u64
# expect: reject R2 !read_ok
r1 = 1
r2 = 2
call f
r0 = 2
exit
f:
r0 = r2
exit

# case: global: never called on any path, so never verified
# type: xdp
# func: f global int
# expect: accept
r1 = 0
if r1 != 0 goto call
r0 = 2
exit
call:
call f
r0 = 2
exit
f:
r0 = r9
exit

# case: global: calls another global that is wrong
# type: xdp
# func: f global int
# func: g global int ptr:4
# expect: reject R1 invalid mem access 'mem_or_null'
call f
r0 = 2
exit
f:
r1 = 0
call g
r0 = 0
exit
g:
r0 = *(u32 *)(r1 +0)
exit

# case: global: writes through a stack argument, the caller's spill is gone
# type: xdp
# func: f global int ptr:8
# expect: reject R1 invalid mem access 'scalar'
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
call f
r1 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r1 +0)
r0 = 2
exit
f:
r0 = 0
exit

# case: global: a function that changes packet data invalidates packet pointers
# type: xdp
# func: f global int ctx
# expect: reject R6 invalid mem access 'scalar'
r6 = *(u32 *)(r1 +0)
r7 = *(u32 *)(r1 +4)
r2 = r6
r2 += 4
if r2 > r7 goto out
call f
r0 = *(u32 *)(r6 +0)
out:
r0 = 2
exit
f:
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit

# case: global: a packet-changing callee past the 64th subprogram still invalidates packet pointers
# type: xdp
# func: f global int ctx
# expect: reject R6 invalid mem access 'scalar'
r6 = *(u32 *)(r1 +0)
r7 = *(u32 *)(r1 +4)
r2 = r6
r2 += 4
if r2 > r7 goto out
call f
r0 = *(u32 *)(r6 +0)
out:
r0 = 2
exit
f:
r6 = r1
call a
call s3
call s4
call s5
call s6
call s7
call s8
call s9
call s10
call s11
call s12
call s13
call s14
call s15
call s16
call s17
call s18
call s19
call s20
call s21
call s22
call s23
call s24
call s25
call s26
call s27
call s28
call s29
call s30
call s31
call s32
call s33
call s34
call s35
call s36
call s37
call s38
call s39
call s40
call s41
call s42
call s43
call s44
call s45
call s46
call s47
call s48
call s49
call s50
call s51
call s52
call s53
call s54
call s55
call s56
call s57
call s58
call s59
call s60
call s61
call s62
call s63
call s64
call s65
r1 = r6
call b
r0 = 0
exit
a:
r0 = 0
exit
s3:
r0 = 0
exit
s4:
r0 = 0
exit
s5:
r0 = 0
exit
s6:
r0 = 0
exit
s7:
r0 = 0
exit
s8:
r0 = 0
exit
s9:
r0 = 0
exit
s10:
r0 = 0
exit
s11:
r0 = 0
exit
s12:
r0 = 0
exit
s13:
r0 = 0
exit
s14:
r0 = 0
exit
s15:
r0 = 0
exit
s16:
r0 = 0
exit
s17:
r0 = 0
exit
s18:
r0 = 0
exit
s19:
r0 = 0
exit
s20:
r0 = 0
exit
s21:
r0 = 0
exit
s22:
r0 = 0
exit
s23:
r0 = 0
exit
s24:
r0 = 0
exit
s25:
r0 = 0
exit
s26:
r0 = 0
exit
s27:
r0 = 0
exit
s28:
r0 = 0
exit
s29:
r0 = 0
exit
s30:
r0 = 0
exit
s31:
r0 = 0
exit
s32:
r0 = 0
exit
s33:
r0 = 0
exit
s34:
r0 = 0
exit
s35:
r0 = 0
exit
s36:
r0 = 0
exit
s37:
r0 = 0
exit
s38:
r0 = 0
exit
s39:
r0 = 0
exit
s40:
r0 = 0
exit
s41:
r0 = 0
exit
s42:
r0 = 0
exit
s43:
r0 = 0
exit
s44:
r0 = 0
exit
s45:
r0 = 0
exit
s46:
r0 = 0
exit
s47:
r0 = 0
exit
s48:
r0 = 0
exit
s49:
r0 = 0
exit
s50:
r0 = 0
exit
s51:
r0 = 0
exit
s52:
r0 = 0
exit
s53:
r0 = 0
exit
s54:
r0 = 0
exit
s55:
r0 = 0
exit
s56:
r0 = 0
exit
s57:
r0 = 0
exit
s58:
r0 = 0
exit
s59:
r0 = 0
exit
s60:
r0 = 0
exit
s61:
r0 = 0
exit
s62:
r0 = 0
exit
s63:
r0 = 0
exit
s64:
r0 = 0
exit
s65:
r0 = 0
exit
b:
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit

# case: global: packet pointers survive a call that does not change packet data
# type: xdp
# func: f global int ctx
# expect: accept
r6 = *(u32 *)(r1 +0)
r7 = *(u32 *)(r1 +4)
r2 = r6
r2 += 4
if r2 > r7 goto out
call f
r0 = *(u32 *)(r6 +0)
out:
r0 = 2
exit
f:
r0 = *(u32 *)(r1 +12)
exit

# case: global: a leaked ringbuf reservation
# type: xdp
# map: rb ringbuf 0 0 4096
# func: f global int
# expect: reject Unreleased reference
call f
r0 = 2
exit
f:
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit

# case: global: not allowed as a bpf_loop callback
# type: xdp
# func: cb global int u32 ptr:8
# expect: reject callback function not static
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

# case: global: __arg_nonnull given a NULL constant (the kernel only checks maybe-NULL pointers)
# type: xdp
# func: f global int ptr:8@nonnull
# expect: accept
r1 = 0
call f
r0 = 2
exit
f:
r0 = 0
exit

# case: global: a global function inside an RCU read section
# type: tp_btf
# attach: sched_process_fork
# kfunc: bpf_rcu_read_lock
# kfunc: bpf_rcu_read_unlock
# func: f global int u64
# expect: accept
call kfunc 0
r1 = 1
call f
call kfunc 1
r0 = 0
exit
f:
r0 = r1
exit

# case: global: verified in the order called, after the entry
# type: socket_filter
# func: f global int ctx
# func: g global int u32
# expect: reject invalid bpf_context access
r6 = r1
r1 = 7
call g
r1 = r6
call f
r0 = 0
exit
f:
r0 = *(u32 *)(r1 +1000)
exit
g:
r0 = r1
exit
