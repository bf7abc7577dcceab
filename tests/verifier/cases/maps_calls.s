# case: map lookup with null check
# type: socket_filter
# map: m hash 4 8 16
# expect: accept
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

# case: map lookup without null check
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R0 invalid mem access 'map_value_or_null'
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: map value read past the end
# type: socket_filter
# map: m hash 4 8 16
# expect: reject invalid access to map value, value_size=8 off=8 size=4
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +1
r0 = *(u32 *)(r0 +8)
r0 = 0
exit

# case: map value write at the last word
# type: socket_filter
# map: m array 4 16 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = 1
*(u32 *)(r0 +12) = r1
r0 = 0
exit

# case: copy of map value pointer refined by null check
# type: socket_filter
# map: m hash 4 8 16
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r6 = r0
if r0 == 0 goto +1
r0 = *(u64 *)(r6 +0)
r0 = 0
exit

# case: null branch of map value is a scalar zero
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R0 invalid mem access 'scalar'
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 != 0 goto +1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: pointer arithmetic on map_value_or_null
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R0 pointer arithmetic on map_value_or_null prohibited, null-check it first
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
r0 += 4
r0 = 0
exit

# case: variable map value offset bounded
# type: socket_filter
# map: m array 4 64 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r1 = *(u32 *)(r0 +0)
if r1 > 56 goto +3
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
r0 = 0
exit

# case: variable map value offset unbounded
# type: socket_filter
# map: m array 4 64 4
# expect: reject R0 unbounded memory access
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +3
r1 = *(u32 *)(r0 +0)
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: variable map value offset one too far
# type: socket_filter
# map: m array 4 64 4
# expect: reject invalid access to map value, value_size=64
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +4
r1 = *(u32 *)(r0 +0)
if r1 > 57 goto +2
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: variable map value offset possibly negative
# type: socket_filter
# map: m array 4 64 4
# expect: reject R0 min value is negative
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r1 = *(u32 *)(r0 +0)
r1 -= 8
if r1 s> 56 goto +2
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
exit

# case: map pointer arithmetic
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R1 pointer arithmetic on map_ptr prohibited
r1 = map[idx:0]
r1 += 8
r0 = 0
exit

# case: map pointer dereference
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R1 invalid mem access 'map_ptr'
# kernel-differs: the kernel lets programs read struct bpf_map fields through a map pointer (BTF-typed access); we do not model BTF-typed pointers and refuse
r1 = map[idx:0]
r0 = *(u64 *)(r1 +0)
exit

# case: lookup with scalar as map
# type: socket_filter
# expect: reject R1 type=scalar expected=map_ptr
r1 = 0
r2 = r10
r2 += -8
call bpf_map_lookup_elem
r0 = 0
exit

# case: lookup key not a pointer
# type: socket_filter
# map: m hash 4 8 16
# expect: reject R2 type=scalar expected=fp
r1 = map[idx:0]
r2 = 0
call bpf_map_lookup_elem
r0 = 0
exit

# case: key on stack outside the frame
# type: socket_filter
# map: m hash 8 8 16
# expect: reject R2
r1 = map[idx:0]
r2 = r10
r2 += -4
call bpf_map_lookup_elem
r0 = 0
exit

# case: update with value from stack
# type: socket_filter
# map: m hash 4 8 16
# expect: accept
r1 = 0
*(u64 *)(r10 -16) = r1
*(u32 *)(r10 -4) = r1
r1 = map[idx:0]
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit

# case: read-only map write
# type: socket_filter
# map: ro array 4 8 1 rdonly
# expect: reject write into map forbidden
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +2
r1 = 1
*(u32 *)(r0 +0) = r1
r0 = 0
exit

# case: direct map value address
# type: socket_filter
# map: g array 4 16 1
# expect: accept
r1 = map[idx:0][0]+8
r0 = *(u64 *)(r1 +0)
exit

# case: direct map value address past end
# type: socket_filter
# map: g array 4 16 1
# expect: reject invalid access to map value, value_size=16 off=12 size=8
r1 = map[idx:0][0]+12
r0 = *(u64 *)(r1 +0)
exit

# case: ringbuf reserve and submit
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: accept
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
r1 = 7
*(u64 *)(r0 +8) = r1
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf reserve leaked
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject Unreleased reference id=2 alloc_insn=4
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +1
r0 = 0
r0 = 0
exit

# case: ringbuf record written out of bounds
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject invalid access to memory, mem_size=16 off=16 size=8
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +5
r1 = 7
*(u64 *)(r0 +16) = r1
r1 = r0
r2 = 0
call bpf_ringbuf_discard
r0 = 0
exit

# case: ringbuf reserve with variable size
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject R2 is not a known constant
r2 = *(u32 *)(r1 +0)
r1 = map[idx:0]
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit

# case: ringbuf submit without null check
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject R1 type=ringbuf_mem_or_null expected=ringbuf_mem
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = 0
exit

# case: ringbuf use after submit
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject R6 invalid mem access 'scalar'
r1 = map[idx:0]
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto +6
r6 = r0
r1 = r0
r2 = 0
call bpf_ringbuf_submit
r0 = *(u64 *)(r6 +0)
r0 = 0
r0 = 0
exit

# case: lookup on a ringbuf map
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: reject invalid zero-sized read
r1 = map[idx:0]
r2 = r10
r2 += -8
call bpf_map_lookup_elem
r0 = 0
exit

# case: tail call through prog array
# type: socket_filter
# map: pa prog_array 4 4 4
# expect: accept
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 0
exit

# case: tail call with a hash map
# type: socket_filter
# map: m hash 4 8 16
# expect: reject expected prog array map for tail call
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r0 = 0
exit

# case: bpf to bpf call
# type: socket_filter
# expect: accept
r1 = 5
call fn
exit
fn:
r0 = r1
r0 += 1
exit

# case: callee reads caller-saved register not passed
# type: socket_filter
# expect: reject R6 !read_ok
r6 = 5
call fn2
exit
fn2:
r0 = r6
exit

# case: caller r1 clobbered after call
# type: socket_filter
# expect: reject R1 !read_ok
r1 = 5
call fn3
r0 = r1
exit
fn3:
r0 = 0
exit

# case: callee writes caller stack through pointer
# type: socket_filter
# expect: accept
r1 = r10
r1 += -8
call fn4
r0 = *(u64 *)(r10 -8)
exit
fn4:
r2 = 3
*(u64 *)(r1 +0) = r2
r0 = 0
exit

# case: return pointer to callee stack
# type: socket_filter
# expect: reject cannot return stack pointer to the caller
call fn5
r0 = 0
exit
fn5:
r0 = r10
r0 += -8
exit

# case: helper memory argument with bounded size
# type: kprobe
# expect: accept
r6 = *(u64 *)(r1 +0)
r1 = r10
r1 += -16
r2 = 16
r3 = r6
call bpf_probe_read_kernel
r0 = 0
exit

# case: helper memory argument too large for stack
# type: kprobe
# expect: reject R1
r1 = r10
r1 += -16
r2 = 32
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: helper size unbounded
# type: kprobe
# expect: reject R2 min value is negative, either use unsigned or 'var &= const'
r2 = *(u64 *)(r1 +0)
r1 = r10
r1 += -16
r3 = 0
call bpf_probe_read_kernel
r0 = 0
exit

# case: get_current_comm into stack
# type: kprobe
# expect: accept
r1 = r10
r1 += -16
r2 = 16
call bpf_get_current_comm
r0 = 0
exit

# case: jmp32 refines low half
# type: socket_filter
# map: m array 4 64 4
# expect: accept
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r1 = *(u32 *)(r0 +0)
if w1 > 56 goto +3
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
r0 = 0
exit

# case: signed check alone does not bound
# type: socket_filter
# map: m array 4 64 4
# expect: reject math between map_value pointer and register with unbounded min value is not allowed
r1 = 0
*(u32 *)(r10 -4) = r1
r2 = r10
r2 += -4
r1 = map[idx:0]
call bpf_map_lookup_elem
if r0 == 0 goto +5
r1 = *(u64 *)(r0 +0)
if r1 s> 56 goto +3
r0 += r1
r0 = *(u64 *)(r0 +0)
r0 = 0
r0 = 0
exit
