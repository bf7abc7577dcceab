# case: spill u64 scalar fill u64 keeps bound
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r1 = *(u64 *)(r0 +0)
r1 &= 63
*(u64 *)(r10 -16) = r1
r2 = *(u64 *)(r10 -16)
r0 += r2
r0 = *(u8 *)(r0 +0)
r0 = 0
exit

# case: spill bounded scalar then partial overwrite loses bound
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +8
r1 = *(u64 *)(r0 +0)
r1 &= 63
*(u64 *)(r10 -16) = r1
r3 = 1
*(u8 *)(r10 -9) = r3
r2 = *(u64 *)(r10 -16)
r0 += r2
r0 = *(u8 *)(r0 +0)
r0 = 0
exit

# case: spill map value pointer and fill keeps type
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +3
*(u64 *)(r10 -16) = r0
r2 = *(u64 *)(r10 -16)
r0 = *(u64 *)(r2 +0)
r0 = 0
exit

# case: spilled map value pointer partially overwritten
# map: m array 4 64 1
# expect: reject R2 invalid mem access 'scalar'
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
*(u64 *)(r10 -16) = r0
r3 = 0
*(u32 *)(r10 -16) = r3
r2 = *(u64 *)(r10 -16)
r0 = *(u64 *)(r2 +0)
r0 = 0
exit

# case: spilled stack pointer filled and used
# expect: accept
r1 = r10
r1 += -8
*(u64 *)(r10 -16) = r1
r2 = *(u64 *)(r10 -16)
r3 = 7
*(u64 *)(r2 +0) = r3
r0 = *(u64 *)(r10 -8)
exit

# case: spilled ctx pointer 32-bit fill is scalar
# expect: reject invalid size of register fill
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
r0 = r2
exit

# case: spilled ctx pointer 32-bit fill then deref
# expect: reject invalid size of register fill
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit

# case: misaligned spill of a pointer
# expect: reject misaligned stack access off
*(u64 *)(r10 -12) = r1
r0 = 0
exit

# case: spill of 32-bit constant keeps value
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
w1 = 60
*(u32 *)(r10 -16) = r1
r2 = *(u32 *)(r10 -16)
r0 += r2
r0 = *(u32 *)(r0 +0)
r0 = 0
exit

# case: spill of 32-bit constant, fill of 64 bits
# map: m array 4 64 1
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
w1 = 60
*(u32 *)(r10 -16) = r1
*(u32 *)(r10 -12) = r1
r2 = *(u64 *)(r10 -16)
r0 += r2
r0 = *(u32 *)(r0 +0)
r0 = 0
exit

# case: store immediate to stack then fill as constant
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
*(u64 *)(r10 -16) = 56
r2 = *(u64 *)(r10 -16)
r0 += r2
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: store immediate 60 then fill u64 access past end
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=60 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
*(u64 *)(r10 -16) = 60
r2 = *(u64 *)(r10 -16)
r0 += r2
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: stack read at -512
# expect: accept
r1 = 1
*(u64 *)(r10 -512) = r1
r0 = *(u64 *)(r10 -512)
exit

# case: stack write at -520
# expect: reject invalid write to stack R10 off=-520 size=8
r1 = 1
*(u64 *)(r10 -520) = r1
r0 = 0
exit

# case: variable stack read
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +6
r1 = *(u64 *)(r0 +0)
r1 &= 8
r2 = r10
r2 += -16
r2 += r1
r0 = *(u64 *)(r2 +0)
r0 = 0
exit

# case: variable stack write past the frame top
# map: m array 4 64 1
# expect: reject invalid variable-offset write to stack R2 var_off=(0x0; 0x10)
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +7
r1 = *(u64 *)(r0 +0)
r1 &= 16
r2 = r10
r2 += -16
r2 += r1
r3 = 0
*(u64 *)(r2 +0) = r3
r0 = 0
exit

# case: atomic add on stack slot
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = 1
lock *(u64 *)(r10 -8) += r1
r0 = *(u64 *)(r10 -8)
exit

# case: atomic add on spilled pointer
# expect: accept
*(u64 *)(r10 -8) = r1
r2 = 1
lock *(u64 *)(r10 -8) += r2
r0 = 0
exit

# case: atomic add on ctx
# expect: reject BPF_ATOMIC stores into R1 ctx is not allowed
r2 = 1
lock *(u32 *)(r1 +0) += r2
r0 = 0
exit

# case: atomic add on map value
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = 1
lock *(u64 *)(r0 +0) += r1
r0 = 0
exit

# case: xdp end < data+N taken edge
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 < r4 goto +1
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp end < data+N wrong edge
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 < r4 goto +2
r0 = 2
exit
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp end >= data+N taken edge
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 >= r4 goto +2
r0 = 2
exit
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp end >= data+N fall-through
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 >= r4 goto +1
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp data+N <= end taken edge
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 <= r3 goto +2
r0 = 2
exit
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp end > data+N fall-through is short
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r3 > r4 goto +2
r0 = 2
exit
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp end > data+N covers one less
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 7
if r3 > r4 goto +2
r0 = 2
exit
r0 = *(u64 *)(r2 +0)
r0 = 2
exit

# case: xdp equality with end gives no range
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 == r3 goto +1
r0 = 2
r0 = *(u8 *)(r2 +0)
r0 = 2
exit

# case: xdp jmp32 on packet pointers
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if w4 > w3 goto +1
r0 = *(u8 *)(r2 +0)
r0 = 2
exit

# case: xdp meta read checked against data
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +8)
r3 = *(u32 *)(r1 +0)
r4 = r2
r4 += 4
if r4 > r3 goto +1
r0 = *(u32 *)(r2 +0)
r0 = 2
exit

# case: xdp meta read unchecked
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +8)
r0 = *(u32 *)(r2 +0)
r0 = 2
exit

# case: xdp meta checked against data_end
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +8)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 4
if r4 > r3 goto +1
r0 = *(u32 *)(r2 +0)
r0 = 2
exit

# case: tc meta read checked
# type: sched_cls
# expect: accept
r2 = *(u32 *)(r1 +140)
r3 = *(u32 *)(r1 +76)
r4 = r2
r4 += 4
if r4 > r3 goto +1
r0 = *(u32 *)(r2 +0)
r0 = 0
exit

# case: xdp packet read negative offset
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto +1
r0 = *(u8 *)(r2 -1)
r0 = 2
exit

# case: xdp packet pointer advanced within range
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto +2
r2 += 4
r0 = *(u32 *)(r2 +0)
r0 = 2
exit

# case: xdp packet pointer advanced beyond range
# type: xdp
# expect: reject R2 offset is outside of the packet
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 8
if r4 > r3 goto +2
r2 += 5
r0 = *(u32 *)(r2 +0)
r0 = 2
exit

# case: packet pointer compared with scalar
# type: xdp
# expect: accept
r2 = *(u32 *)(r1 +0)
if r2 > 100 goto +1
r0 = 2
r0 = 2
exit

# case: socket filter cannot write packet via ld_abs
# expect: accept
r6 = r1
r0 = *(u8 *)skb[12]
exit

# case: pointer add constant then subtract
# expect: reject R2 subtraction from stack pointer prohibited
r2 = r10
r2 += -16
r2 -= 8
r3 = 1
*(u64 *)(r2 +0) = r3
r0 = 0
exit

# case: stack pointer minus pointer
# expect: accept
r2 = r10
r3 = r10
r3 += -8
r2 -= r3
r0 = r2
exit

# case: ctx pointer minus stack pointer
# expect: accept
r2 = r10
r1 -= r2
r0 = 0
exit

# case: add pointer to ctx pointer
# expect: reject R1 pointer += pointer prohibited
r2 = r10
r1 += r2
r0 = 0
exit

# case: and on stack pointer
# expect: reject R2 bitwise operator &= on pointer prohibited
r2 = r10
r2 &= -8
r0 = 0
exit

# case: neg of pointer
# expect: accept
r2 = r10
r2 = -r2
r0 = 0
exit

# case: pointer minus constant then compare
# expect: accept
r2 = r10
r2 += -8
if r2 == 0 goto +0
r0 = 0
exit

# case: ctx pointer plus constant then load
# expect: reject dereference of modified ctx ptr R1 off=4 disallowed
r1 += 4
r0 = *(u32 *)(r1 +0)
exit

# case: ctx pointer plus constant then subtract back
# expect: accept
r1 += 4
r1 += -4
r0 = *(u32 *)(r1 +0)
exit

# case: large constant added to stack pointer
# expect: reject math between fp pointer and 536870912 is not allowed
r2 = r10
r2 += 536870912
r0 = 0
exit

# case: scalar plus stack pointer
# expect: accept
r2 = -8
r2 += r10
r3 = 1
*(u64 *)(r2 +0) = r3
r0 = 0
exit

# case: division 32-bit by constant zero
# expect: reject div by zero
w0 = 1
w0 /= 0
exit

# case: mod 32-bit by constant zero
# expect: reject div by zero
w0 = 7
w0 %= 0
exit

# case: division by zero register result
# expect: accept
r0 = 9
r1 = 0
r0 /= r1
if r0 != 0 goto +1
r0 = 0
exit

# case: mod by zero register keeps dividend
# expect: accept
r0 = 9
r1 = 0
r0 %= r1
exit

# case: shift by register amount
# expect: accept
r0 = 1
r1 = 70
r0 <<= r1
exit

# case: shift by negative immediate
# expect: reject invalid shift -1
r0 = 1
r0 >>= -1
exit

# case: arsh 64 by 64
# expect: reject invalid shift 64
r0 = 1
r0 s>>= 64
exit

# case: shift of pointer
# expect: reject R2 pointer arithmetic with <<= operator prohibited
r2 = r10
r2 <<= 1
r0 = 0
exit

# case: division of pointer
# expect: reject R2 pointer arithmetic with /= operator prohibited
r2 = r10
r2 /= 2
r0 = 0
exit

# case: sdiv by constant zero
# expect: reject div by zero
r0 = 1
r0 s/= 0
exit

# case: store map value pointer into map
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
*(u64 *)(r0 +0) = r0
r0 = 0
exit

# case: store stack pointer into map
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
*(u64 *)(r0 +0) = r10
r0 = 0
exit

# case: update elem with pointer in value slot
# map: m hash 4 8 16
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
*(u64 *)(r10 -16) = r10
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit

# case: xdp returns stack pointer
# type: xdp
# expect: accept
r0 = r10
exit

# case: tc returns ctx pointer
# type: sched_cls
# expect: accept
r0 = r1
exit

# case: kprobe returns pointer
# type: kprobe
# expect: accept
r0 = r1
exit

# case: cgroup_skb return out of range
# type: cgroup_skb
# expect: reject At program exit the register R0 has smin=5 smax=5 should have been in [0, 1]
r0 = 5
exit

# case: cgroup_skb return 1
# type: cgroup_skb
# expect: accept
r0 = 1
exit

# case: ringbuf discard on the error path
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +7
r6 = r0
r1 = 0
*(u64 *)(r6 +0) = r1
r1 = r6
r2 = 0
call bpf_ringbuf_discard
r0 = 0
r0 = 0
exit

# case: ringbuf released on one branch only
# map: rb ringbuf 0 0 4096
# map: m array 4 8 1
# expect: reject Unreleased reference id=2 alloc_insn=5
r7 = *(u32 *)(r1 +0)
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
if r7 == 0 goto +4
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
r0 = 0
exit

# case: ringbuf submit on both branches
# map: rb ringbuf 0 0 4096
# expect: accept
r7 = *(u32 *)(r1 +0)
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +9
r1 = r0
if r7 == 0 goto +4
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit
r2 = 0
call bpf_ringbuf_discard
r0 = 0
r0 = 0
exit
