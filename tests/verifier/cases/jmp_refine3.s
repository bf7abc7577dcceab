# case: jmp: swapped s>= 65 fall-through edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 65
if r1 s< 0 goto +3
if r2 s<= r1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s>= 64 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s>= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s>= 64 fall-through edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +3
if w1 s>= 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s>= 64 fall-through edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +3
if w1 s>= w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s>= 64 fall-through edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +3
if w2 s<= w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s>= 65 fall-through edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +3
if w1 s>= 65 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s>= 65 fall-through edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 65
if w1 s< 0 goto +3
if w1 s>= w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s>= 65 fall-through edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 65
if w1 s< 0 goto +3
if w2 s<= w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: s>= 64 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s>= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s>= 64 without a lower bound
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s>= 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 0 goto +5
if r1 s< 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 64
if r1 s< 0 goto +5
if r1 s< r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 64
if r1 s< 0 goto +5
if r2 s> r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 0 goto +5
if r1 s< 65 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 65
if r1 s< 0 goto +5
if r1 s< r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 65
if r1 s< 0 goto +5
if r2 s> r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s< 64 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +5
if w1 s< 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +5
if w1 s< w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s< 64 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +5
if w2 s> w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +5
if w1 s< 65 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 65
if w1 s< 0 goto +5
if w1 s< w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s< 65 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 65
if w1 s< 0 goto +5
if w2 s> w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: s< 64 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s< 64 without a lower bound
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 0 goto +5
if r1 s<= 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 63
if r1 s< 0 goto +5
if r1 s<= r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 63
if r1 s< 0 goto +5
if r2 s>= r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s< 0 goto +5
if r1 s<= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 64
if r1 s< 0 goto +5
if r1 s<= r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = 64
if r1 s< 0 goto +5
if r2 s>= r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s<= 63 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s<= 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +5
if w1 s<= 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 63
if w1 s< 0 goto +5
if w1 s<= w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s<= 63 taken edge (bound)
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 63
if w1 s< 0 goto +5
if w2 s>= w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s< 0 goto +5
if w1 s<= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +5
if w1 s<= w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped s<= 64 taken edge (off by one)
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = *(u32 *)(r6 +0)
w2 = 64
if w1 s< 0 goto +5
if w2 s>= w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: s<= 63 unbounded edge
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=64 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 s<= 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: s<= 63 without a lower bound
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 s<= 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: jset -64 fall-through clears high bits
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 & -64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: jset -64 taken edge unbounded
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 & -64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: jset -64 fall-through on u32
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u32 *)(r6 +0)
if w1 & -64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: on u64 bounds only the low half
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
if w1 > 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: on u64 after rsh 32 bounds all
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 >>= 32
if w1 > 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: range narrowed by two checks
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=71 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
if r1 < 8 goto +4
if r1 > 71 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: compare against unknown reg
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = *(u64 *)(r6 +8)
if r1 > r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: compare against bounded reg
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = *(u64 *)(r6 +8)
r2 &= 63
if r1 > r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: compare against bounded reg too big
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=127 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = *(u64 *)(r6 +8)
r2 &= 127
if r1 > r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: copy shares the refinement
# type: socket_filter
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r3 = r1
if r3 > 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit
