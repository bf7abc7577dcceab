# case: alu: const minus bounded
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
r1 &= 63
r2 = 63
r2 -= r1
r1 = r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mul reg bounded
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
r1 &= 7
r2 = r1
r1 *= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mul reg too big
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=225 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 15
r2 = r1
r1 *= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and reg const
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
r1 &= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and reg unknown
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
r2 = r1
r1 &= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: or reg const
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
r1 &= 31
r2 = 32
r1 |= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: xor reg bounded
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
r1 &= 63
r2 = 21
r1 ^= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh by reg const
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
r1 &= 15
r2 = 2
r1 <<= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh by reg const too far
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=120 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 15
r2 = 3
r1 <<= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh by unknown amount
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = r1
r2 &= 3
r1 = 1
r1 <<= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh by reg const
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
r2 = 58
r1 >>= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh by unknown amount
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = *(u64 *)(r6 +0)
r2 = r1
r2 &= 7
r1 = 63
r1 >>= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: div by reg
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
r1 &= 63
r2 = 2
r1 /= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mod by reg
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
r2 = 64
r1 %= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: sdiv const
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
r1 &= 63
r1 s/= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: smod const
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
r1 &= 63
r1 s%= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit and
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
w1 &= 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit and 63 add 1
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
w1 &= 63
w1 += 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit sub wraps
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 &= 63
w1 -= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit sub wraps then and
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
w1 &= 63
w1 -= 1
w1 &= 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit rsh 26
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
w1 >>= 26
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit rsh 25
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=127 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 >>= 25
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit lsh 26
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 <<= 26
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit arsh 26
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 s>>= 26
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit and 63 arsh 1
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
w1 &= 63
w1 s>>= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit neg
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 &= 63
w1 = -w1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit mul
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
w1 &= 7
w1 *= 9
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit mul too big
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=70 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 &= 7
w1 *= 10
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit or
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
w1 &= 15
w1 |= 48
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit xor
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
w1 &= 15
w1 ^= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit div
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
w1 &= 63
w1 /= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit mod
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
w1 %= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit add overflow
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
w1 |= -64
w1 += 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit movsx s8
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 = (s8) w1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: 32-bit movsx s8 of bounded
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
w1 &= 63
w1 = (s8) w1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: movsx s32 of bounded u32
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
w1 &= 63
r1 = (s32) r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: movsx s32 of unknown
# type: socket_filter
# map: m array 4 64 1
# expect: reject value -2147483648 makes map_value pointer be out of bounds
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 = (s32) r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 62 u16
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
r1 &= 62
r6 += r1
r0 = *(u16 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 u16
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=63 size=2
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 63
r6 += r1
r0 = *(u16 *)(r6 +0)
r0 = 0
exit

# case: alu: and 56 u64
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
r1 &= 56
r6 += r1
r0 = *(u64 *)(r6 +0)
r0 = 0
exit

# case: alu: and 60 u64
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=60 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 60
r6 += r1
r0 = *(u64 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh 59 lsh 3 u64
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=248 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 >>= 59
r1 <<= 3
r6 += r1
r0 = *(u64 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh 58 lsh 3 u64
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=504 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 >>= 58
r1 <<= 3
r6 += r1
r0 = *(u64 *)(r6 +0)
r0 = 0
exit

# case: alu: u32 load and 60 u32
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
r1 &= 60
r6 += r1
r0 = *(u32 *)(r6 +0)
r0 = 0
exit

# case: alu: and 61 u32
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=61 size=4
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 61
r6 += r1
r0 = *(u32 *)(r6 +0)
r0 = 0
exit

# case: alu: u8 load rsh
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
r1 = *(u8 *)(r6 +0)
r1 >>= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: u16 load rsh
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=16383 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u16 *)(r6 +0)
r1 >>= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: u32 load rsh
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 unbounded memory access, make sure to bounds check any such access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u32 *)(r6 +0)
r1 >>= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit
