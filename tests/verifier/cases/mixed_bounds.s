# case: a 32-bit bound on a value within s32 limits bounds all 64 bits
# The kernel's __reg_deduce_mixed_bounds: r8 is a 21-bit value minus a
# 31-bit one, so -(2^31-1) <= r8 < 2^21; it is its low half sign-extended,
# and after "if w8 >= 24" that half is in [0, 23]: so is r8.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r7 = r0
r7 &= 0x7fffffff
call bpf_get_prandom_u32
r8 = r0
r8 >>= 43
r8 -= r7
if w8 >= 24 goto +4
r1 = r10
r1 += -32
r1 += r8
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: the same with a 32-bit value subtracted is not bounded
# r8 may be below -2^31, where the upper half is not all ones.
# type: socket_filter
# expect: reject
call bpf_get_prandom_u32
r7 = r0
r7 >>= 32
call bpf_get_prandom_u32
r8 = r0
r8 >>= 43
r8 -= r7
if w8 >= 24 goto +4
r1 = r10
r1 += -32
r1 += r8
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: s32 range across zero from two consecutive upper halves
# r8 in [-1, 1] as s64; its low half is in [-1, 1] as s32, so after
# "if w8 s> 1" and "if w8 s< 0" ... the 32-bit view is exact enough to
# index a 2-byte buffer.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r8 = r0
r8 &= 3
r8 += -1
if r8 s> 1 goto +7
if w8 s< 0 goto +6
r1 = r10
r1 += -8
w8 = w8
r1 += r8
r0 = *(u8 *)(r1 +0)
r0 = 0
r0 = 0
exit

# case: a packet pointer whose variable offset may pass 64 KiB learns no range
# The kernel's find_good_pkt_pointers (MAX_PACKET_OFF): pkt + a huge offset
# can wrap and compare below data_end, so the comparison proves nothing.
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r5 = *(u32 *)(r1 +12)
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto +1
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: a packet pointer with a bounded variable offset learns its range
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r5 = *(u32 *)(r1 +12)
r5 &= 0xfff
r2 += r5
r4 = r2
r4 += 8
if r4 > r3 goto +1
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: a range and a tnum that share one value make it a constant
# r6 is 18 or 82 (tnum 0x12/0x40); below 70 it can only be 18 (the
# kernel's __update_reg64_bounds single-value refinement).
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 &= 0x40
r6 |= 0x12
if r6 > 69 goto +2
if r6 == 18 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: a range and a tnum that share two values stay a range
# type: socket_filter
# expect: reject R9 !read_ok
call bpf_get_prandom_u32
r6 = r0
r6 &= 0x41
r6 |= 0x12
if r6 > 69 goto +2
if r6 == 18 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit
