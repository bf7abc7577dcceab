# case: stack spill and fill of ctx
# type: socket_filter
# expect: accept
*(u64 *)(r10 -8) = r1
r2 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit

# case: partial overwrite destroys spilled pointer
# type: socket_filter
# expect: reject R2 invalid mem access 'scalar'
*(u64 *)(r10 -8) = r1
*(u8 *)(r10 -8) = 0
r2 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit

# case: stack write below frame
# type: socket_filter
# expect: reject invalid write to stack R10 off=-520 size=8
r1 = 0
*(u64 *)(r10 -520) = r1
r0 = 0
exit

# case: stack write above frame
# type: socket_filter
# expect: reject invalid write to stack R10 off=0 size=8
r1 = 0
*(u64 *)(r10 +0) = r1
r0 = 0
exit

# case: misaligned stack access
# type: socket_filter
# expect: reject misaligned stack access
r1 = 0
*(u32 *)(r10 -6) = r1
r0 = 0
exit

# case: uninitialised stack read allowed for privileged
# type: socket_filter
# expect: accept
r0 = *(u64 *)(r10 -16)
exit

# case: spilled constant keeps its value
# type: socket_filter
# expect: accept
r1 = 4
*(u64 *)(r10 -8) = r1
r2 = *(u64 *)(r10 -8)
if r2 == 4 goto +1
r0 = *(u64 *)(r2 +0)
r0 = 0
exit

# case: narrow fill of spilled pointer
# type: socket_filter
# expect: reject invalid size of register fill
*(u64 *)(r10 -8) = r1
r0 = *(u32 *)(r10 -8)
exit

# case: stack pointer arithmetic
# type: socket_filter
# expect: accept
r2 = r10
r2 += -16
r1 = 7
*(u64 *)(r2 +8) = r1
r0 = *(u64 *)(r10 -8)
exit

# case: variable offset stack write within bounds
# type: socket_filter
# expect: accept
r2 = *(u32 *)(r1 +0)
r2 &= 7
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u8 *)(r3 +0) = r4
r0 = 0
exit

# case: pointer subtraction gives scalar
# type: socket_filter
# expect: accept
r0 = r10
r0 -= r1
exit

# case: pointer addition of two pointers
# type: socket_filter
# expect: reject R0 pointer += pointer prohibited
r0 = r10
r0 += r1
exit

# case: bitwise on pointer
# type: socket_filter
# expect: reject R2 bitwise operator &= on pointer prohibited
r2 = r10
r2 &= 7
r0 = 0
exit

# case: multiply pointer
# type: socket_filter
# expect: reject R2 pointer arithmetic with *= operator prohibited
r2 = r10
r2 *= 2
r0 = 0
exit

# case: 32-bit pointer arithmetic
# type: socket_filter
# expect: reject R2 32-bit pointer arithmetic prohibited
r2 = r10
w2 += 4
r0 = 0
exit

# case: subtract pointer from scalar
# type: socket_filter
# expect: reject R2 tried to subtract pointer from scalar
r2 = 4
r2 -= r10
r0 = 0
exit

# case: ctx read of len
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +0)
exit

# case: ctx read past end
# type: socket_filter
# expect: reject invalid bpf_context access
r0 = *(u32 *)(r1 +1000)
exit

# case: ctx write of read-only field
# type: socket_filter
# expect: reject invalid bpf_context access
r2 = 1
*(u32 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx write of cb
# type: socket_filter
# expect: accept
r2 = 1
*(u32 *)(r1 +48) = r2
r0 = 0
exit

# case: ctx pointer modified then dereferenced
# type: socket_filter
# expect: reject dereference of modified ctx ptr R1 off=4 disallowed
r1 += 4
r0 = *(u32 *)(r1 +0)
exit

# case: ctx variable offset
# type: socket_filter
# expect: reject variable ctx access var_off=
r2 = *(u32 *)(r1 +0)
r2 &= 4
r1 += r2
r0 = *(u32 *)(r1 +0)
exit

# case: ctx store immediate into cb
# type: socket_filter
# expect: accept
*(u32 *)(r1 +48) = 1
r0 = 0
exit

# case: socket filter cannot read data pointer
# type: socket_filter
# expect: reject invalid bpf_context access off=76 size=4
r0 = *(u32 *)(r1 +76)
exit

# case: xdp packet access with bounds check
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 14
if r4 > r3 goto +2
r0 = *(u8 *)(r2 +13)
exit
r0 = 2
exit

# case: xdp packet access beyond checked range
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 14
if r4 > r3 goto +2
r0 = *(u8 *)(r2 +14)
exit
r0 = 2
exit

# case: xdp packet access without check
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r0 = *(u8 *)(r2 +0)
exit

# case: xdp packet access on the wrong edge
# type: xdp
# expect: reject offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto +2
r0 = 2
exit
r0 = *(u8 *)(r2 +0)
exit

# case: xdp pkt_end on the left
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 < r4 goto +2
r0 = *(u64 *)(r2 +0)
exit
r0 = 2
exit

# case: xdp strict less than
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 >= r3 goto +2
r0 = *(u32 *)(r2 +0)
exit
r0 = 2
exit

# case: xdp packet write
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 4
if r4 > r3 goto +2
r5 = 0
*(u32 *)(r2 +0) = r5
r0 = 2
exit

# case: pkt_end arithmetic
# type: xdp
# expect: reject R3 pointer arithmetic on pkt_end prohibited
r3 = *(u32 *)(r1 +4)
r3 += 1
r0 = 0
exit

# case: pkt_end dereference
# type: xdp
# expect: reject R3 invalid mem access 'pkt_end'
r3 = *(u32 *)(r1 +4)
r0 = *(u8 *)(r3 +0)
exit

# case: packet pointers invalid after adjust_head
# type: xdp
# expect: reject R7 invalid mem access 'scalar'
r6 = r1
r7 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r7
r4 += 4
if r4 > r3 goto +5
r1 = r6
r2 = 0
call bpf_xdp_adjust_head
r0 = *(u8 *)(r7 +0)
exit
r0 = 2
exit

# case: tc packet read
# type: sched_cls
# expect: accept
r2 = *(u32 *)(r1 +76)
r3 = *(u32 *)(r1 +80)
r4 = r2
r4 += 1
if r4 > r3 goto +1
r0 = *(u8 *)(r2 +0)
r0 = 0
exit

# case: variable packet offset needs new check
# type: xdp
# expect: reject offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto +5
r5 = *(u8 *)(r2 +0)
r2 += r5
r0 = *(u8 *)(r2 +0)
r0 = 2
exit
r0 = 2
exit

# case: variable packet offset checked
# type: xdp
# expect: accept
r0 = 2
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 1
if r4 > r3 goto +7
r5 = *(u8 *)(r2 +0)
r2 += r5
r4 = r2
r4 += 2
if r4 > r3 goto +1
r0 = *(u16 *)(r2 +0)
r0 = 2
exit
