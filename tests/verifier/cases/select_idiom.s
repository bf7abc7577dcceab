# case: AND of a constant with a -1-or-0 value is explored for each value
# clang's select idiom (x s>> 63, & K): the kernel's maybe_fork_scalars
# splits r6 into -1 and 0, so r6 & 3 is 3 or 0, never 1.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 <<= 32
r6 s>>= 63
r6 &= 3
if r6 != 1 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: the same on 32 bits
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
w6 = w0
w6 s>>= 31
w6 &= 3
if w6 != 1 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: OR of a constant with a -1-or-0 value
# -1 | 4 is -1 and 0 | 4 is 4: never 5.
# type: socket_filter
# expect: accept
call bpf_get_prandom_u32
r6 = r0
r6 <<= 32
r6 s>>= 63
r6 |= 4
if r6 != 5 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: a value in [-1, 1] is not split
# type: socket_filter
# expect: reject R9 !read_ok
call bpf_get_prandom_u32
r6 = r0
r6 &= 3
r6 += -1
if r6 s> 1 goto +4
r6 &= 3
if r6 != 1 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit
