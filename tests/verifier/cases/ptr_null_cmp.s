# case: a stack pointer compared with 0 is explored both ways
# The kernel decides "ptr == 0" only for pointers it knows are never NULL
# (reg_not_null: map values and keys, sockets, trusted BTF pointers, mem);
# fp, ctx and packet pointers go both ways.
# type: socket_filter
# expect: reject R9 !read_ok
r1 = r10
if r1 != 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: a ctx pointer compared with 0 is explored both ways
# type: xdp
# expect: reject R9 !read_ok
if r1 != 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: a packet pointer compared with 0 is explored both ways
# type: xdp
# expect: reject R9 !read_ok
r2 = *(u32 *)(r1 +0)
if r2 != 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 2
exit

# case: a checked map value pointer compared with 0 is decided
# type: socket_filter
# map: m hash 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +3
if r0 != 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: a map pointer compared with 0 is decided
# type: socket_filter
# map: m hash 4 8 4
# expect: accept
r1 = map[idx:0]
if r1 != 0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit

# case: 0 compared with a map value pointer is decided too
# type: socket_filter
# map: m hash 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = 0
if r1 != r0 goto +1
r0 = *(u64 *)(r9 +0)
r0 = 0
exit
