# case: lock and unlock around a store
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = 7
*(u64 *)(r6 +8) = r1
*(u32 *)(r6 +4) = r1
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: lock at a fixed offset in the value
# type: xdp
# map: m array 4 16 2 spinlock@8
# expect: accept
r1 = 1
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +9
r6 = r0
r1 = r0
r1 += 8
call bpf_spin_lock
r1 = 7
*(u64 *)(r6 +0) = r1
r1 = r6
r1 += 8
call bpf_spin_unlock
r0 = 2
exit

# case: map without BTF
# type: tc
# map: m hash 4 16 16
# expect: reject map 'm' has to have BTF in order to use bpf_spin_lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: map with BTF but no lock in its value
# type: tc
# map: m hash 4 16 16 btf
# expect: reject map 'm' has no valid bpf_spin_lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: pointer not at the lock
# type: tc
# map: m hash 4 16 16 spinlock@4
# expect: reject off 0 doesn't point to 'struct bpf_spin_lock' that is at 4
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: lock at a variable offset
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r6 = r0
r2 = *(u32 *)(r0 +4)
r2 &= 4
r1 = r0
r1 += r2
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: lock taken twice (bpf_spin_lock is itself a call)
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject function calls are not allowed while holding a lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = r6
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: unlock without a lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject bpf_spin_unlock without taking a lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = r0
call bpf_spin_unlock
r0 = 0
exit

# case: unlock of another element's lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject bpf_spin_unlock of different lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +14
r6 = r0
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r7 = r0
r1 = r6
call bpf_spin_lock
r1 = r7
call bpf_spin_unlock
r0 = 0
exit
r0 = 0
exit

# case: exit holding the lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = r0
call bpf_spin_lock
r0 = 0
exit

# case: unlocked on one path only
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = *(u32 *)(r6 +4)
if r1 == 0 goto +2
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: helper call under the lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject function calls are not allowed while holding a lock
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r6 = r0
r1 = r0
call bpf_spin_lock
call bpf_ktime_get_ns
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: static subprogram call under the lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r6 = r0
r1 = r0
call bpf_spin_lock
call pc+4
r1 = r6
call bpf_spin_unlock
r0 = 0
exit
r0 = 1
exit

# case: lock field read directly
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject bpf_spin_lock cannot be accessed directly by load/store
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
r1 = *(u8 *)(r0 +3)
r0 = 0
exit

# case: field next to the lock read directly
# type: tc
# map: m hash 4 16 16 spinlock@4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = *(u32 *)(r0 +0)
r1 = *(u64 *)(r0 +8)
r0 = 0
exit

# case: 8-byte write over the lock
# type: tc
# map: m hash 4 16 16 spinlock@4
# expect: reject bpf_spin_lock cannot be accessed directly by load/store
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = 0
*(u64 *)(r0 +0) = r1
r0 = 0
exit

# case: value with the lock handed to a helper
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject bpf_spin_lock cannot be accessed directly by load/store
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r3 = r0
r2 = r10
r2 += -4
r1 = map[idx:0]
r4 = 0
call bpf_map_update_elem
r0 = 0
exit

# case: lock through a maybe-null pointer
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject R1 type=map_value_or_null expected=map_value
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r1 = r0
call bpf_spin_lock
r0 = 0
exit

# case: lock of a scalar
# type: tc
# expect: reject R1 type=scalar expected=map_value
r1 = 0
call bpf_spin_lock
r0 = 0
exit

# case: lock map used by a socket filter
# type: socket_filter
# map: m hash 4 16 16 spinlock@0
# expect: reject socket filter progs cannot use bpf_spin_lock yet
r1 = map[idx:0]
r0 = 0
exit

# case: lock map used by a kprobe
# type: kprobe
# map: m hash 4 16 16 spinlock@0
# expect: reject tracing progs cannot use bpf_spin_lock yet
r1 = map[idx:0]
r0 = 0
exit

# case: LD_ABS under the lock
# type: tc
# map: m hash 4 16 16 spinlock@0
# expect: reject BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region
r6 = r1
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r7 = r0
r1 = r0
call bpf_spin_lock
r0 = *(u8 *)skb[0]
r1 = r7
call bpf_spin_unlock
r0 = 0
exit

# case: constant-key array lookup locked without a null check
# type: tc
# map: m array 4 16 4 spinlock@0
# expect: accept
r1 = 3
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r6 = r0
r1 = r0
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit

# case: lock of one element, unlock through a copy of the other pointer after a join
# type: tc
# map: m array 4 16 4 spinlock@0
# expect: reject bpf_spin_unlock of different lock
r1 = 0
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r6 = r0
r1 = 1
*(u32 *)(r10 -8) = r1
r2 = r10
r2 += -8
r1 = map[idx:0]
call bpf_map_lookup_elem
r7 = r0
r1 = *(u32 *)(r6 +4)
if r1 == 0 goto +3
r1 = r6
call bpf_spin_lock
goto +2
r1 = r7
call bpf_spin_lock
r1 = r6
call bpf_spin_unlock
r0 = 0
exit
