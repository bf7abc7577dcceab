# case: jmp: imm > 63 fall-through edge (bound)
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
if r1 > 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg > 63 fall-through edge (bound)
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
r2 = 63
if r1 > r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped > 63 fall-through edge (bound)
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
r2 = 63
if r2 < r1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm > 64 fall-through edge (off by one)
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
if r1 > 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg > 64 fall-through edge (off by one)
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
r1 = *(u64 *)(r6 +0)
r2 = 64
if r1 > r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped > 64 fall-through edge (off by one)
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
r1 = *(u64 *)(r6 +0)
r2 = 64
if r2 < r1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: > 63 unbounded edge
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
if r1 > 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm > 63 fall-through edge (bound)
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
if w1 > 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg > 63 fall-through edge (bound)
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
w2 = 63
if w1 > w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped > 63 fall-through edge (bound)
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
w2 = 63
if w2 < w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm > 64 fall-through edge (off by one)
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
if w1 > 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg > 64 fall-through edge (off by one)
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
w2 = 64
if w1 > w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped > 64 fall-through edge (off by one)
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
w2 = 64
if w2 < w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: > 63 unbounded edge
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
if w1 > 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm >= 64 fall-through edge (bound)
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
if r1 >= 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg >= 64 fall-through edge (bound)
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
r2 = 64
if r1 >= r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped >= 64 fall-through edge (bound)
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
r2 = 64
if r2 <= r1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm >= 65 fall-through edge (off by one)
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
if r1 >= 65 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg >= 65 fall-through edge (off by one)
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
r1 = *(u64 *)(r6 +0)
r2 = 65
if r1 >= r2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped >= 65 fall-through edge (off by one)
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
r1 = *(u64 *)(r6 +0)
r2 = 65
if r2 <= r1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: >= 64 unbounded edge
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
if r1 >= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm >= 64 fall-through edge (bound)
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
if w1 >= 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg >= 64 fall-through edge (bound)
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
w2 = 64
if w1 >= w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped >= 64 fall-through edge (bound)
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
w2 = 64
if w2 <= w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm >= 65 fall-through edge (off by one)
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
if w1 >= 65 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg >= 65 fall-through edge (off by one)
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
w2 = 65
if w1 >= w2 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped >= 65 fall-through edge (off by one)
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
w2 = 65
if w2 <= w1 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: >= 64 unbounded edge
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
if w1 >= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm < 64 taken edge (bound)
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
if r1 < 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg < 64 taken edge (bound)
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
r2 = 64
if r1 < r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped < 64 taken edge (bound)
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
r2 = 64
if r2 > r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm < 65 taken edge (off by one)
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
if r1 < 65 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg < 65 taken edge (off by one)
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
r2 = 65
if r1 < r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped < 65 taken edge (off by one)
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
r2 = 65
if r2 > r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: < 64 unbounded edge
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
if r1 < 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm < 64 taken edge (bound)
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
if w1 < 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg < 64 taken edge (bound)
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
w2 = 64
if w1 < w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped < 64 taken edge (bound)
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
w2 = 64
if w2 > w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm < 65 taken edge (off by one)
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
if w1 < 65 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg < 65 taken edge (off by one)
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
w2 = 65
if w1 < w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped < 65 taken edge (off by one)
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
w2 = 65
if w2 > w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: < 64 unbounded edge
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
if w1 < 64 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm <= 63 taken edge (bound)
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
if r1 <= 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg <= 63 taken edge (bound)
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
r2 = 63
if r1 <= r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped <= 63 taken edge (bound)
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
r2 = 63
if r2 >= r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: imm <= 64 taken edge (off by one)
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
if r1 <= 64 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: reg <= 64 taken edge (off by one)
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
r2 = 64
if r1 <= r2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: swapped <= 64 taken edge (off by one)
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
r2 = 64
if r2 >= r1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp: <= 63 unbounded edge
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
if r1 <= 63 goto +2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: imm <= 63 taken edge (bound)
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
if w1 <= 63 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: reg <= 63 taken edge (bound)
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
w2 = 63
if w1 <= w2 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: jmp32: swapped <= 63 taken edge (bound)
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
w2 = 63
if w2 >= w1 goto +2
r0 = 0
exit
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit
