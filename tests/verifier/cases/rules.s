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
# expect: reject R0 unbounded memory access
# kernel-differs: the kernel keeps a constant spilled by a 4-byte store in its 4-byte slot; barebpf tracks 8-byte spills only, so the fill is an unknown u32 and the access is refused (conservative)
# kernel-differs: the kernel keeps a constant spilled by a 4-byte store in its 4-byte slot; barebpf tracks 8-byte spills only, so the fill is an unknown u32 and the access is refused (conservative)
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

# case: ringbuf double submit
# map: rb ringbuf 0 0 4096
# expect: reject R1 type=scalar expected=ringbuf_mem
r1 = map[idx:0]
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +6
r6 = r0
r1 = r6
r2 = 0
call bpf_ringbuf_submit
r1 = r6
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf submit of a non-reserved pointer
# map: rb ringbuf 0 0 4096
# map: m array 4 8 1
# expect: reject R1 type=map_value expected=ringbuf_mem
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:1]
call bpf_map_lookup_elem
if r0 == 0 goto +3
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf submit of an offset record pointer
# map: rb ringbuf 0 0 4096
# expect: reject R1 must have zero offset when passed to release func
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +4
r0 += 8
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf record read before write
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
r6 = *(u64 *)(r0 +8)
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
r0 = 0
exit

# case: ringbuf record spilled and filled
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
*(u64 *)(r10 -8) = r0
r1 = *(u64 *)(r10 -8)
r2 = 0
call bpf_ringbuf_submit
r0 = 0
r0 = 0
exit

# case: ringbuf reserve leaked through a loop exit
# map: rb ringbuf 0 0 4096
# expect: reject Unreleased reference id=2 alloc_insn=4
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit

# case: ringbuf output from stack
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = map[idx:0]
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call bpf_ringbuf_output
r0 = 0
exit

# case: ringbuf output size too large for stack buffer
# map: rb ringbuf 0 0 4096
# expect: reject invalid read from stack R2 off=-8 size=16
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = map[idx:0]
r2 = r10
r2 += -8
r3 = 16
r4 = 0
call bpf_ringbuf_output
r0 = 0
exit

# case: unreachable code after unconditional jump
# expect: reject unreachable insn 1
goto +1
r0 = 1
r0 = 0
exit

# case: jump to itself
# expect: reject unreachable insn 1
goto -1
r0 = 0
exit

# case: jump backwards out of range
# expect: reject jump out of range from insn 1 to -1
r0 = 0
goto -3
exit

# case: conditional jump out of range
# expect: reject jump out of range from insn 1 to 7
r0 = 0
if r0 == 0 goto +5
exit

# case: jump into the middle of ld_imm64
# expect: reject jump into the middle of ldimm64 insn
r0 = 0
if r0 == 0 goto +1
r1 = 0 ll
exit

# case: last insn is a conditional jump
# expect: reject last insn is not an exit or jmp
r0 = 0
exit
if r0 == 0 goto -2

# case: empty tail after exit is dead
# expect: accept
r0 = 0
if r0 == 1 goto +1
exit
r0 = 1
exit

# case: backward jump conditional on constant
# expect: accept
r0 = 0
r0 += 1
if r0 < 10 goto -2
exit

# case: loop bounded by 1000 iterations
# expect: accept
r0 = 0
r0 += 1
if r0 < 1000 goto -2
exit

# case: loop with masked unknown bound
# expect: accept
r0 = 0
r1 = *(u32 *)(r1 +0)
r1 &= 15
r0 += 1
if r0 < r1 goto -2
exit

# case: loop never changing its counter
# expect: reject infinite loop detected at insn 2
r0 = 0
r1 = 0
if r1 < 10 goto -1
exit

# case: loop counting down
# expect: accept
r0 = 10
r0 -= 1
if r0 != 0 goto -2
exit

# case: nested bounded loops
# expect: accept
r0 = 0
r1 = 0
r2 = 0
r2 += 1
r0 += 1
if r2 < 4 goto -3
r1 += 1
if r1 < 4 goto -6
exit

# case: may_goto style loop on stack counter
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = *(u64 *)(r10 -8)
r1 += 1
*(u64 *)(r10 -8) = r1
if r1 < 8 goto -4
r0 = 0
exit

# case: call depth 8
# expect: accept
call f1
r0 = 0
exit
f1:
call f2
exit
f2:
call f3
exit
f3:
call f4
exit
f4:
call f5
exit
f5:
call f6
exit
f6:
call f7
exit
f7:
r0 = 0
exit

# case: call depth 9
# expect: reject the call stack of 9 frames is too deep
call g1
r0 = 0
exit
g1:
call g2
exit
g2:
call g3
exit
g3:
call g4
exit
g4:
call g5
exit
g5:
call g6
exit
g6:
call g7
exit
g7:
call g8
exit
g8:
r0 = 0
exit

# case: combined stack over 512
# expect: reject combined stack size of 2 calls is 576. Too large
r1 = 0
*(u64 *)(r10 -320) = r1
call h1
r0 = 0
exit
h1:
r1 = 0
*(u64 *)(r10 -256) = r1
r0 = 0
exit

# case: combined stack within 512
# expect: accept
r1 = 0
*(u64 *)(r10 -256) = r1
call k1
r0 = 0
exit
k1:
r1 = 0
*(u64 *)(r10 -224) = r1
r0 = 0
exit

# case: recursion
# expect: reject the call stack of 9 frames is too deep
call rr
r0 = 0
exit
rr:
call rr
r0 = 0
exit

# case: subprogram returns scalar used as bound
# map: m array 4 64 1
# expect: accept
call sb
r6 = r0
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r0 += r6
r0 = *(u8 *)(r0 +0)
r0 = 0
exit
sb:
r0 = 63
exit

# case: subprogram without exit path for r0
# expect: accept
call nr
r0 = 0
exit
nr:
exit

# case: callee r6 preserved
# expect: accept
r6 = 3
call pr
r0 = r6
exit
pr:
r6 = 9
r0 = 0
exit

# case: probe_read with zero size
# type: kprobe
# expect: accept
r1 = r10
r1 += -8
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read with negative size
# type: kprobe
# expect: reject R2 min value is negative, either use unsigned or 'var &= const'
r1 = r10
r1 += -8
r2 = -1
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read size bounded by mask
# type: kprobe
# expect: accept
r2 = *(u64 *)(r1 +0)
r2 &= 15
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read size bounded by mask too big
# type: kprobe
# expect: reject invalid write to stack R1 off=-16 size=31
r2 = *(u64 *)(r1 +0)
r2 &= 31
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into map value
# type: kprobe
# map: m array 4 64 1
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = r0
r2 = 64
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into map value too long
# type: kprobe
# map: m array 4 64 1
# expect: reject invalid access to map value, value_size=64 off=0 size=65
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = r0
r2 = 65
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read into ctx
# type: kprobe
# expect: reject R1 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: probe_read dst scalar
# type: kprobe
# expect: reject R1 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r1 = 0
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: map update key uninitialised
# map: m hash 4 8 16
# expect: accept
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit

# case: map lookup key is map value
# map: m hash 4 8 16
# map: a array 4 8 1
# expect: reject R1 !read_ok
# kernel-differs: Linux 6.18 knows that an array lookup with a constant in-range key never returns NULL, so the null edge (which lands on the second call with R1 clobbered) is dead there; barebpf explores it (conservative)
# kernel-differs: Linux 6.18 knows that an array lookup with a constant in-range key never returns NULL, so the null edge (which lands on the second call with R1 clobbered) is dead there; barebpf explores it (conservative)
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:1]
call bpf_map_lookup_elem
if r0 == 0 goto +3
r2 = r0
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = 0
exit

# case: map lookup key partly outside stack
# map: m hash 8 8 16
# expect: reject invalid read from stack R2 off=-4 size=8
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = 0
exit

# case: map delete with ctx as key
# map: m hash 4 8 16
# expect: reject R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
r2 = r1
r1 = map[idx:0]
call bpf_map_delete_elem
r0 = 0
exit

# case: map update flags not a scalar
# map: m hash 4 8 16
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
*(u64 *)(r10 -16) = r1
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = r10
call bpf_map_update_elem
r0 = 0
exit

# case: perf_event_output from stack
# type: kprobe
# map: ev perf_event_array 4 4 2
# expect: accept
r2 = 0
*(u64 *)(r10 -8) = r2
r2 = map[idx:0]
r3 = 0xffffffff ll
r4 = r10
r4 += -8
r5 = 8
call bpf_perf_event_output
r0 = 0
exit

# case: perf_event_output with array map
# type: kprobe
# map: a array 4 4 2
# expect: reject cannot pass map_type 2 into func bpf_perf_event_output#25
r2 = 0
*(u64 *)(r10 -8) = r2
r2 = map[idx:0]
r3 = 0
r4 = r10
r4 += -8
r5 = 8
call bpf_perf_event_output
r0 = 0
exit

# case: get_current_pid_tgid in socket filter
# expect: accept
call bpf_get_current_pid_tgid
r0 = 0
exit

# case: get_current_pid_tgid in kprobe
# type: kprobe
# expect: accept
call bpf_get_current_pid_tgid
r0 = 0
exit

# case: ktime_get_ns in xdp
# type: xdp
# expect: accept
call bpf_ktime_get_ns
r0 = 2
exit

# case: probe_read_kernel in socket filter
# expect: accept
r1 = r10
r1 += -8
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: xdp_adjust_head in tc
# type: sched_cls
# expect: reject program of this type cannot use helper bpf_xdp_adjust_head#44
r2 = 0
call bpf_xdp_adjust_head
r0 = 0
exit

# case: skb_load_bytes in xdp
# type: xdp
# expect: reject program of this type cannot use helper bpf_skb_load_bytes#26
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 2
exit

# case: skb_load_bytes in tc
# type: sched_cls
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 0
exit

# case: skb_load_bytes in socket filter
# expect: accept
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 0
exit

# case: get_stackid in tracepoint
# type: tracepoint
# expect: accept
call bpf_get_smp_processor_id
r0 = 0
exit

# case: trace_printk in socket filter
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
r2 = 8
call bpf_trace_printk
r0 = 0
exit

# case: trace_printk in kprobe
# type: kprobe
# expect: accept
r1 = 0
*(u64 *)(r10 -8) = r1
r1 = r10
r1 += -8
r2 = 8
call bpf_trace_printk
r0 = 0
exit

# case: redirect in xdp
# type: xdp
# expect: accept
r1 = 1
r2 = 0
call bpf_redirect
exit

# case: redirect in kprobe
# type: kprobe
# expect: reject program of this type cannot use helper bpf_redirect#23
r1 = 1
r2 = 0
call bpf_redirect
r0 = 0
exit

# case: get_current_comm in raw_tp
# type: raw_tracepoint
# expect: accept
r1 = r10
r1 += -16
r2 = 16
call bpf_get_current_comm
r0 = 0
exit

# case: r0 read before any call
# expect: reject R0 !read_ok
r1 = r0
r0 = 0
exit

# case: r0 after helper is readable
# expect: accept
call bpf_get_prandom_u32
exit

# case: r0 not set on one path
# expect: reject R0 !read_ok
r1 = *(u32 *)(r1 +0)
if r1 == 0 goto +1
r0 = 1
exit

# case: r0 set on both paths
# expect: accept
r1 = *(u32 *)(r1 +0)
r0 = 0
if r1 == 0 goto +1
r0 = 1
exit

# case: uninitialised r5 as helper argument
# type: kprobe
# expect: reject R3 !read_ok
r1 = r10
r1 += -8
r2 = 8
call bpf_probe_read_kernel
r0 = 0
exit

# case: uninitialised r9 stored to stack
# expect: reject R9 !read_ok
*(u64 *)(r10 -8) = r9
r0 = 0
exit

# case: uninitialised register as jump operand
# expect: reject R3 !read_ok
r0 = 0
if r3 > 0 goto +0
exit

# case: uninitialised register as store address
# expect: reject R4 !read_ok
r1 = 0
*(u64 *)(r4 +0) = r1
r0 = 0
exit

# case: read of r11
# expect: accept
r0 = 0
exit

# case: r1 after exit from subprog is clobbered
# expect: reject R2 !read_ok
call cz
r0 = r2
exit
cz:
r2 = 1
r0 = 0
exit
