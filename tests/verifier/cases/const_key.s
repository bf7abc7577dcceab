# case: array lookup with a zero key needs no null check
# type: xdp
# map: a array 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: array lookup with a spilled constant key below max_entries
# type: xdp
# map: a array 4 8 4
# expect: accept
r1 = 3
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r1 = 1
*(u64 *)(r0 +0) = r1
r0 = 2
exit

# case: array lookup with the key equal to max_entries
# type: xdp
# map: a array 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
r1 = 4
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: hash lookup with a constant key still needs the check
# type: xdp
# map: h hash 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: percpu array lookup with a constant key
# type: xdp
# map: a percpu_array 4 8 2
# expect: accept
r1 = 1
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: non-zero key stored off a slot start is not tracked
# type: xdp
# map: a array 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
r1 = 1
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: key spilled wider than the key
# type: xdp
# map: a array 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
r1 = 1
*(u64 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: zero key written by BPF_ST
# type: xdp
# map: a array 4 8 4
# expect: accept
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: constant key written by BPF_ST at a slot start
# type: xdp
# map: a array 4 8 4
# expect: accept
*(u32 *)(r10 -8) = 2
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: unknown key
# type: xdp
# map: a array 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
call bpf_get_prandom_u32
r0 &= 3
*(u32 *)(r10 -8) = r0
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: the null check of a non-null value is decided
# type: xdp
# map: a array 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 != 0 goto +2
r0 = *(u64 *)(r10 -64)
exit
r0 = 2
exit

# case: value past the end still refused
# type: xdp
# map: a array 4 8 4
# expect: reject invalid access to map value, value_size=8 off=8 size=4
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u32 *)(r0 +8)
r0 = 2
exit

# case: inner array template with a constant key
# type: xdp
# map: o array_of_maps 4 4 1
# inner: array 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r1 = r0
r2 = r10
r2 += -4
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 2
exit

# case: key in the caller's frame
# type: xdp
# map: a array 4 8 4
# expect: accept
r1 = 2
*(u32 *)(r10 -8) = r1
r1 = r10
r1 += -8
call pc+2
r0 = 2
exit
r2 = r1
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 0
exit
