# case: map in map: inner lookup after both null checks
# map: outer array_of_maps 4 4 2
# inner: array 4 8 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r1 = r0
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto +1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: map in map: inner map pointer used without null check
# map: outer array_of_maps 4 4 2
# inner: array 4 8 1
# expect: reject R1 type=map_value_or_null expected=map_ptr
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r1 = r0
r2 = r10
r2 += -4
call bpf_map_lookup_elem
r0 = 0
exit

# case: map in map: inner value read past its value size
# map: outer hash_of_maps 4 4 2
# inner: hash 4 8 4
# expect: reject invalid access to map value, value_size=8 off=8 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r1 = r0
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto +1
r0 = *(u64 *)(r0 +8)
r0 = 0
exit

# case: map in map: inner value without null check
# map: outer array_of_maps 4 4 2
# inner: hash 4 8 4
# expect: reject R0 invalid mem access 'map_value_or_null'
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
r0 = 0
exit

# case: map in map: inner map pointer dereference
# map: outer array_of_maps 4 4 2
# inner: array 4 8 1
# expect: reject R0 invalid mem access 'map_ptr'
# kernel-differs: the kernel reads struct bpf_map fields through a map pointer (BTF-typed, check_ptr_to_map_access); barebpf refuses the load (conservative)
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: map in map: inner map pointer arithmetic
# map: outer array_of_maps 4 4 2
# inner: array 4 8 1
# expect: reject R0 pointer arithmetic on map_ptr prohibited
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
r0 += 8
r0 = 0
exit

# case: map in map: update the inner map
# map: outer hash_of_maps 4 4 2
# inner: hash 4 8 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
*(u64 *)(r10 -16) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r1 = r0
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
