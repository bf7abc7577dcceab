# case: a bound on a copy plus a constant bounds the original
# Linked scalars (the kernel's BPF_ADD_CONST): r7 = r6 + 4, so r7 <= 20
# means r6 <= 16 and the stack access through r6 is in bounds.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r7 += 4
if r7 > 20 goto +4
r1 = r10
r1 += -32
r1 += r6
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a bound on the original bounds the copy minus a constant
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r7 -= 8
if r6 < 8 goto +5
if r6 > 24 goto +4
r1 = r10
r1 += -32
r1 += r7
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: 32-bit copies are linked too
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
w7 = w6
w7 += 4
if w7 > 20 goto +4
r1 = r10
r1 += -32
r1 += r6
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a second constant ends the link
# type: socket_filter
# expect: reject invalid variable-offset read from stack
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r7 += 4
r7 += 1
if r7 > 20 goto +4
r1 = r10
r1 += -32
r1 += r6
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a non-constant operation ends the link
# type: socket_filter
# expect: reject invalid variable-offset read from stack
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r7 |= 1
if r7 > 20 goto +4
r1 = r10
r1 += -32
r1 += r6
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a linked scalar's delta is checked like a pointer offset
# The kernel keeps the delta in reg->off and check_reg_sane_offset
# refuses it past 2^29 even though the value itself is small.
# type: socket_filter
# expect: reject pointer offset 536870912 is not allowed
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r7 += 0x20000000
if r7 > 0x20000010 goto +4
r1 = r10
r1 += -32
r1 += r7
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: copies of one value narrowed through a third copy
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 &= 0xff
r7 = r6
r8 = r6
r8 += 2
r7 += 1
if r7 > 9 goto +4
r1 = r10
r1 += -32
r1 += r8
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a copy of a scalar that carries a delta starts a new link
# The kernel's assign_scalar_id_before_mov: r6 drops its delta to r0 and
# r2 = r6 share a new id with none, so the large delta is not checked as
# a pointer offset at r1 += r2.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 -= 0x7fffffff
r2 = r6
if r2 >= 14 goto +4
r1 = r10
r1 += -64
r1 += r2
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: a spill links the slot with the register
# r7 is filled from r6's slot; bounding r7 bounds r6.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
*(u64 *)(r10 -8) = r6
r7 = *(u64 *)(r10 -8)
if r7 >= 14 goto +4
r1 = r10
r1 += -64
r1 += r6
r0 = *(u8 *)(r1 +0)
r0 = 0
exit
