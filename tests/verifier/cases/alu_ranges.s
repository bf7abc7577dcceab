# case: alu: and 63
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
r1 &= 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 127
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
r1 &= 127
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and -1 keeps unknown
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
r1 &= -1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 31 add 32
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
r1 &= 31
r1 += 32
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 add 1
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
r1 &= 63
r1 += 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 sub 1
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 min value is negative, either use unsigned index or do a if (index >=0) check.
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
r1 -= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 add 1 sub 1
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
r1 += 1
r1 -= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: or 1 unknown
# type: socket_filter
# map: m array 4 64 1
# expect: reject value -9223372036854775807 makes map_value pointer be out of bounds
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 |= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 31 or 32
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
r1 &= 31
r1 |= 32
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 or 64
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
r1 &= 63
r1 |= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 xor 63
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
r1 &= 63
r1 ^= 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 xor 64
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
r1 &= 63
r1 ^= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 31 lsh 1
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
r1 &= 31
r1 <<= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 lsh 1
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=126 size=1
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
r1 <<= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh 58
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
r1 >>= 58
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: rsh 57
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
r1 >>= 57
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh 58 rsh 58
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
r1 <<= 58
r1 >>= 58
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh 32 rsh 58
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
r1 <<= 32
r1 >>= 58
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: lsh 1 unknown
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
r1 <<= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 mul 1
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
r1 &= 63
r1 *= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 31 mul 2
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
r1 &= 31
r1 *= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 31 mul 3
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=93 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 31
r1 *= 3
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 127 div 2
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
r1 &= 127
r1 /= 2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 div 1
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
r1 /= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mod 64
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
r1 %= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 mod 64
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
r1 %= 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: arsh 58 signed
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 min value is negative, either use unsigned index or do a if (index >=0) check.
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 s>>= 58
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 arsh 1
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
r1 &= 63
r1 s>>= 1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: neg unknown
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
r1 = -r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 neg
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 min value is negative, either use unsigned index or do a if (index >=0) check.
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
r1 = -r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 neg add 63
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
r1 = -r1
r1 += 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 be16
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=16128 size=1
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
r1 = be16 r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 le64
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
r1 &= 63
r1 = le64 r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 bswap16
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=16128 size=1
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
r1 = bswap16 r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: movsx s8 unknown
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 min value is negative, either use unsigned index or do a if (index >=0) check.
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 = (s8) r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: movsx s8 then and 63
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
r1 = (s8) r1
r1 &= 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 63 then movsx s8
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
r1 &= 63
r1 = (s8) r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: and 127 then movsx s8
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=127 size=1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 &= 127
r1 = (s8) r1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: zext of bounded
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
r1 &= 63
w1 = w1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: zext of unknown
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
w1 = w1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov 63
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
r1 = 63
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov 64
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
r1 = 64
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov32 -1
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and 4294967295 is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = *(u64 *)(r6 +0)
w1 = -1
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov -1 rsh 58
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
r1 = -1
r1 >>= 58
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov32 -1 rsh 26
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
w1 = -1
r1 >>= 26
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: mov -1 rsh 26
# type: socket_filter
# map: m array 4 64 1
# expect: reject math between map_value pointer and 274877906943 is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = *(u64 *)(r6 +0)
r1 = -1
r1 >>= 26
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: add self bounded
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
r2 = r1
r1 += r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: add self too big
# type: socket_filter
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=126 size=1
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
r2 = r1
r1 += r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit

# case: alu: sub reg const
# type: socket_filter
# map: m array 4 64 1
# expect: reject R6 min value is negative, either use unsigned index or do a if (index >=0) check.
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
r2 = 1
r1 -= r2
r6 += r1
r0 = *(u8 *)(r6 +0)
r0 = 0
exit
