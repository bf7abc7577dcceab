# case: 4-byte spill and fill keep a constant
# Spills narrower than 8 bytes (the kernel's check_stack_write_fixed_off /
# check_stack_read_fixed_off for a privileged loader): a scalar stored at
# the start of an 8-byte slot is remembered as a register of that size, a
# fill of the same or a narrower size at the slot start gets the value
# back, anything else reads misc bytes.  "r0 = *(u64 *)(r9 +0)" reads an
# uninitialised register: it is the instruction a program must not reach.
# type: xdp
# expect: accept
r1 = 7
*(u32 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
if r2 == 7 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: 4-byte store of an immediate at a slot start is a spill
# type: xdp
# expect: accept
*(u32 *)(r10 -16) = 7
r2 = *(u32 *)(r10 -16)
if r2 == 7 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: 4-byte store in the upper half of a slot is plain data
# type: xdp
# expect: reject R9 !read_ok
*(u32 *)(r10 -4) = 7
r2 = *(u32 *)(r10 -4)
if r2 == 7 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: 4-byte fill of an 8-byte spill cuts the value
# type: xdp
# expect: accept
r1 = 0x100000007 ll
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
if r2 == 7 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: 1-byte fill of a 2-byte spill
# type: xdp
# expect: accept
r1 = 0x1234
*(u16 *)(r10 -8) = r1
r2 = *(u8 *)(r10 -8)
if r2 == 0x34 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: bounded scalar through a 4-byte spill stays bounded
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +12)
r2 &= 255
*(u32 *)(r10 -8) = r2
r4 = *(u32 *)(r10 -8)
if r4 <= 255 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: 8-byte fill of a 4-byte spill is unknown
# type: xdp
# expect: reject R9 !read_ok
r1 = 0
*(u32 *)(r10 -8) = r1
r2 = *(u64 *)(r10 -8)
if r2 == 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: pointer spill must be 8 bytes
# type: xdp
# expect: reject invalid size of register spill
*(u32 *)(r10 -8) = r1
r0 = 2
exit

# case: fill inside a 4-byte spill away from the slot start
# type: xdp
# expect: reject R9 !read_ok
r1 = 7
*(u32 *)(r10 -8) = r1
r2 = *(u16 *)(r10 -6)
if r2 == 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: fill inside a 4-byte spill of zero reads zero
# type: xdp
# expect: accept
r1 = 0
*(u32 *)(r10 -8) = r1
r2 = *(u16 *)(r10 -6)
if r2 == 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: a write into the other half of the slot scrubs the spill
# type: xdp
# expect: reject R9 !read_ok
r1 = 7
*(u32 *)(r10 -8) = r1
r3 = 5
*(u32 *)(r10 -4) = r3
r2 = *(u32 *)(r10 -8)
if r2 == 7 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: a narrow spill of a pointer-sized read of ctx fails the fill size
# type: xdp
# expect: reject invalid size of register fill
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
r0 = 2
exit

# case: narrow spills from two paths are compared at the join
# type: xdp
# expect: reject R9 !read_ok
r2 = *(u32 *)(r1 +12)
if r2 == 0 goto +5
r3 = 1
*(u32 *)(r10 -8) = r3
r3 = 0
r2 = 0
goto +4
r3 = 2
*(u32 *)(r10 -8) = r3
r3 = 0
r2 = 0
r4 = *(u32 *)(r10 -8)
if r4 != 2 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: narrow spills from two paths, both safe
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +12)
if r2 == 0 goto +5
r3 = 1
*(u32 *)(r10 -8) = r3
r3 = 0
r2 = 0
goto +4
r3 = 2
*(u32 *)(r10 -8) = r3
r3 = 0
r2 = 0
r4 = *(u32 *)(r10 -8)
if r4 <= 2 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit
