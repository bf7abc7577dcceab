# case: return constant
# type: socket_filter
# expect: accept
r0 = 0
exit

# case: r0 not initialised at exit
# type: socket_filter
# expect: reject R0 !read_ok
exit

# case: read of uninitialised register
# type: socket_filter
# expect: reject R2 !read_ok
r0 = r2
exit

# case: write to frame pointer
# type: socket_filter
# expect: reject frame pointer is read only
r10 = 0
r0 = 0
exit

# case: unreachable instruction
# type: socket_filter
# expect: reject unreachable insn 2
r0 = 0
exit
r0 = 1
exit

# case: jump out of range
# type: socket_filter
# expect: reject jump out of range from insn 0 to 5
goto +4
r0 = 0
exit

# case: fall off the end
# type: socket_filter
# expect: reject last insn is not an exit or jmp
r0 = 0

# case: division by constant zero
# type: socket_filter
# expect: reject div by zero
r0 = 1
r0 /= 0
exit

# case: modulo by constant zero
# type: socket_filter
# expect: reject div by zero
r0 = 1
r0 %= 0
exit

# case: division by register is fine
# type: socket_filter
# expect: accept
r0 = 1
r2 = 0
r0 /= r2
exit

# case: shift by 64
# type: socket_filter
# expect: reject invalid shift 64
r0 = 1
r0 <<= 64
exit

# case: shift32 by 32
# type: socket_filter
# expect: reject invalid shift 32
w0 = 1
w0 <<= 32
exit

# case: shift by 63
# type: socket_filter
# expect: accept
r0 = 1
r0 <<= 63
r0 >>= 63
exit

# case: arsh by 31 in 32 bits
# type: socket_filter
# expect: accept
w0 = -1
w0 s>>= 31
exit

# case: scalar deref
# type: socket_filter
# expect: reject R1 invalid mem access 'scalar'
r1 = 0
r0 = *(u64 *)(r1 +0)
exit

# case: deref of uninitialised register
# type: socket_filter
# expect: reject R3 !read_ok
r0 = *(u64 *)(r3 +0)
exit

# case: infinite loop
# type: socket_filter
# expect: reject infinite loop detected
r0 = 0
l1: r0 = 0
goto l1

# case: bounded loop
# type: socket_filter
# expect: accept
r0 = 0
r1 = 10
l2: r0 += 1
r1 -= 1
if r1 != 0 goto l2
exit

# case: dead branch not explored
# type: socket_filter
# expect: accept
r1 = 5
if r1 > 10 goto +2
r0 = 0
exit
r0 = *(u64 *)(r1 +0)
exit

# case: branch on unknown explores both
# type: socket_filter
# expect: reject R2 invalid mem access 'scalar'
r0 = *(u32 *)(r1 +0)
r2 = 0
if r0 > 10 goto +2
r0 = 0
exit
r0 = *(u64 *)(r2 +0)
exit

# case: movsx and bswap
# type: socket_filter
# expect: accept
r1 = 0x80
r2 = (s8)r1
r2 = bswap16 r2
r2 = be32 r2
r2 = le16 r2
r0 = r2
exit

# case: sdiv smod
# type: socket_filter
# expect: accept
r0 = -7
r1 = 2
r0 s/= r1
r0 s%= r1
exit

# case: 32-bit mov of pointer gives scalar
# type: socket_filter
# expect: accept
w0 = w10
exit

# case: pointer return allowed for privileged socket filter
# type: socket_filter
# expect: accept
r0 = r10
exit

# case: unknown helper id
# type: socket_filter
# expect: reject invalid func unknown#999
call 999
r0 = 0
exit

# case: helper unavailable for program type
# type: socket_filter
# expect: reject program of this type cannot use helper bpf_xdp_adjust_head#44
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit

# case: helper clobbers r1-r5
# type: socket_filter
# expect: reject R1 !read_ok
call bpf_ktime_get_ns
r0 = r1
exit

# case: helper keeps r6-r9
# type: socket_filter
# expect: accept
r6 = 1
call bpf_get_prandom_u32
r0 += r6
exit
