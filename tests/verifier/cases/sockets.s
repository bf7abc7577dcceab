# case: sk_lookup_tcp, null check, release
# type: tc
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +2
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sk_lookup_udp from xdp, released on the non-null edge
# type: xdp
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_udp
if r0 != 0 goto +2
r0 = 2
exit
r1 = r0
call bpf_sk_release
r0 = 2
exit

# case: socket lookup leaked at exit
# type: tc
# expect: reject Unreleased reference id=2 alloc_insn=8
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r0 = 0
exit

# case: socket leaked on the non-null edge only
# type: tc
# expect: reject Unreleased reference id=2 alloc_insn=8
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +1
r0 = *(u32 *)(r0 +4)
r0 = 0
exit

# case: second of two lookups leaked
# type: tc
# expect: reject Unreleased reference id=4 alloc_insn=17
r6 = r1
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r7 = r0
r1 = r6
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_udp
r8 = r0
if r7 == 0 goto +2
r1 = r7
call bpf_sk_release
r0 = 0
exit

# case: released without a null check
# type: tc
# expect: reject R1 type=sock_or_null expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: socket read without a null check
# type: tc
# expect: reject R0 invalid mem access 'sock_or_null'
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r1 = *(u32 *)(r0 +4)
r0 = 0
exit

# case: released twice
# type: tc
# expect: reject R1 type=scalar expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +5
r6 = r0
r1 = r0
call bpf_sk_release
r1 = r6
call bpf_sk_release
r0 = 0
exit

# case: release of a scalar
# type: tc
# expect: reject R1 type=scalar expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_
r1 = 0
call bpf_sk_release
r0 = 0
exit

# case: sock fields read whole and in part
# type: tc
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +16
r1 = *(u32 *)(r0 +0)
r1 = *(u32 *)(r0 +4)
r1 = *(u8 *)(r0 +4)
r1 = *(u16 *)(r0 +8)
r1 = *(u32 *)(r0 +16)
r1 = *(u32 *)(r0 +20)
r1 = *(u8 *)(r0 +25)
r1 = *(u16 *)(r0 +30)
r1 = *(u8 *)(r0 +43)
r1 = *(u32 *)(r0 +44)
r1 = *(u8 *)(r0 +49)
r1 = *(u32 *)(r0 +48)
r1 = *(u32 *)(r0 +72)
r1 = *(u32 *)(r0 +76)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sock family byte past its start
# type: tc
# expect: reject R0 invalid sock access off=5 size=1
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r1 = *(u8 *)(r0 +5)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sock mark read in part
# type: tc
# expect: reject R0 invalid sock access off=16 size=2
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r1 = *(u16 *)(r0 +16)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sock padding after dst_port
# type: tc
# expect: reject R0 invalid sock access off=50 size=2
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r1 = *(u16 *)(r0 +50)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sock read past the end
# type: tc
# expect: reject R0 invalid sock access off=80 size=4
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r1 = *(u32 *)(r0 +80)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: sock 8-byte read
# type: tc
# expect: reject R0 invalid sock access off=0 size=8
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r1 = *(u64 *)(r0 +0)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: write into a socket
# type: tc
# expect: reject R0 cannot write into sock
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +4
r1 = 1
*(u32 *)(r0 +16) = r1
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: pointer arithmetic on a socket
# type: tc
# expect: reject R0 pointer arithmetic on sock prohibited
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +3
r0 += 4
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: skc_lookup_tcp type field refused
# type: tc
# expect: reject R0 invalid sock_common access off=8 size=4
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_skc_lookup_tcp
if r0 == 0 goto +4
r1 = *(u32 *)(r0 +4)
r1 = *(u32 *)(r0 +8)
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: skc_lookup_tcp, sk_fullsock, type read, release through the cast
# type: tc
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_skc_lookup_tcp
if r0 == 0 goto +10
r6 = r0
r1 = r0
call bpf_sk_fullsock
if r0 == 0 goto +4
r1 = *(u32 *)(r0 +8)
r1 = r0
call bpf_sk_release
goto +2
r1 = r6
call bpf_sk_release
r0 = 0
exit

# case: sk_fullsock null edge leaks the lookup
# type: tc
# expect: reject Unreleased reference id=2 alloc_insn=8
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_skc_lookup_tcp
if r0 == 0 goto +5
r1 = r0
call bpf_sk_fullsock
if r0 == 0 goto +2
r1 = r0
call bpf_sk_release
r0 = 0
exit

# case: tcp_sock fields and release through it
# type: tc
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +11
r6 = r0
r1 = r0
call bpf_tcp_sock
if r0 == 0 goto +5
r1 = *(u64 *)(r0 +80)
r1 = *(u32 *)(r0 +108)
r1 = r0
call bpf_sk_release
goto +2
r1 = r6
call bpf_sk_release
r0 = 0
exit

# case: tcp_sock bytes_received read in half
# type: tc
# expect: reject R0 invalid tcp_sock access off=80 size=4
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +9
r6 = r0
r1 = r0
call bpf_tcp_sock
if r0 == 0 goto +1
r1 = *(u32 *)(r0 +80)
r1 = r6
call bpf_sk_release
r0 = 0
exit
r0 = 0
exit

# case: tcp_sock of a maybe-null socket
# type: tc
# expect: reject R1 type=sock_or_null expected=sock_common, sock, tcp_sock, xdp_sock
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r1 = r0
call bpf_tcp_sock
r0 = 0
exit

# case: skb->sk read after its null check
# type: tc
# expect: accept
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto +1
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: skb->sk, tcp_sock of it
# type: tc
# expect: accept
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto +3
call bpf_tcp_sock
if r0 == 0 goto +1
r0 = *(u32 *)(r0 +0)
r0 = 0
exit

# case: skb->sk without a null check
# type: tc
# expect: reject R1 invalid mem access 'sock_common_or_null'
r1 = *(u64 *)(r1 +168)
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: skb->sk released
# type: tc
# expect: reject R1 must be referenced when passed to release function
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto +1
call bpf_sk_release
r0 = 0
exit

# case: sk_lookup_tcp from a socket filter
# type: socket_filter
# expect: reject program of this type cannot use helper bpf_sk_lookup_tcp#84
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r0 = 0
exit

# case: sk_lookup_tcp from cgroup_skb
# type: cgroup_skb
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +2
r1 = r0
call bpf_sk_release
r0 = 1
exit

# case: sk_fullsock from xdp
# type: xdp
# expect: reject program of this type cannot use helper bpf_sk_fullsock#95
r1 = 0
call bpf_sk_fullsock
r0 = 2
exit

# case: tuple in uninitialised stack (privileged: allowed), leaked
# type: tc
# expect: reject Unreleased reference id=2 alloc_insn=5
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r0 = 0
exit

# case: tail call holding a socket
# type: tc
# map: p prog_array 4 4 1
# expect: reject Unreleased reference id=2 alloc_insn=9
r6 = r1
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +6
r7 = r0
r1 = r6
r2 = map[idx:0]
r3 = 0
call bpf_tail_call
r1 = r7
call bpf_sk_release
r0 = 0
exit

# case: socket compared with a non-null socket check decides the branch
# type: tc
# expect: accept
r2 = 0
*(u64 *)(r10 -16) = r2
*(u32 *)(r10 -8) = r2
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto +5
if r0 != 0 goto +2
r0 = *(u64 *)(r10 -64)
exit
r1 = r0
call bpf_sk_release
r0 = 0
exit
