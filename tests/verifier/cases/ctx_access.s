# case: ctx socket_filter: read len off 0 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +0)
r0 = 0
exit

# case: ctx socket_filter: read len off 0 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: ctx socket_filter: read len off 2 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +2)
r0 = 0
exit

# case: ctx socket_filter: write len off 0 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=0 size=4
r2 = 0
*(u32 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx socket_filter: read pkt_type off 4 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: ctx socket_filter: read pkt_type off 4 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=4 size=8
r0 = *(u64 *)(r1 +4)
r0 = 0
exit

# case: ctx socket_filter: write pkt_type off 4 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=4 size=4
r2 = 0
*(u32 *)(r1 +4) = r2
r0 = 0
exit

# case: ctx socket_filter: read mark off 8 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +8)
r0 = 0
exit

# case: ctx socket_filter: read mark off 8 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +8)
r0 = 0
exit

# case: ctx socket_filter: write mark off 8 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=8 size=4
r2 = 0
*(u32 *)(r1 +8) = r2
r0 = 0
exit

# case: ctx socket_filter: read queue_mapping off 12 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +12)
r0 = 0
exit

# case: ctx socket_filter: read queue_mapping off 14 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +14)
r0 = 0
exit

# case: ctx socket_filter: write queue_mapping off 12 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=12 size=4
r2 = 0
*(u32 *)(r1 +12) = r2
r0 = 0
exit

# case: ctx socket_filter: read protocol off 16 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +16)
r0 = 0
exit

# case: ctx socket_filter: read protocol off 16 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +16)
r0 = 0
exit

# case: ctx socket_filter: read protocol off 16 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=16 size=8
r0 = *(u64 *)(r1 +16)
r0 = 0
exit

# case: ctx socket_filter: write protocol off 16 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=16 size=4
r2 = 0
*(u32 *)(r1 +16) = r2
r0 = 0
exit

# case: ctx socket_filter: read vlan_present off 20 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +20)
r0 = 0
exit

# case: ctx socket_filter: write vlan_present off 20 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=20 size=4
r2 = 0
*(u32 *)(r1 +20) = r2
r0 = 0
exit

# case: ctx socket_filter: read vlan_tci off 24 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +24)
r0 = 0
exit

# case: ctx socket_filter: read vlan_tci off 24 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +24)
r0 = 0
exit

# case: ctx socket_filter: read vlan_tci off 26 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +26)
r0 = 0
exit

# case: ctx socket_filter: write vlan_tci off 24 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=24 size=4
r2 = 0
*(u32 *)(r1 +24) = r2
r0 = 0
exit

# case: ctx socket_filter: read vlan_proto off 28 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +28)
r0 = 0
exit

# case: ctx socket_filter: read vlan_proto off 28 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=28 size=8
r0 = *(u64 *)(r1 +28)
r0 = 0
exit

# case: ctx socket_filter: write vlan_proto off 28 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=28 size=4
r2 = 0
*(u32 *)(r1 +28) = r2
r0 = 0
exit

# case: ctx socket_filter: read priority off 32 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +32)
r0 = 0
exit

# case: ctx socket_filter: read priority off 32 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +32)
r0 = 0
exit

# case: ctx socket_filter: write priority off 32 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=32 size=4
r2 = 0
*(u32 *)(r1 +32) = r2
r0 = 0
exit

# case: ctx socket_filter: read ingress_ifindex off 36 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +36)
r0 = 0
exit

# case: ctx socket_filter: read ingress_ifindex off 38 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +38)
r0 = 0
exit

# case: ctx socket_filter: write ingress_ifindex off 36 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=36 size=4
r2 = 0
*(u32 *)(r1 +36) = r2
r0 = 0
exit

# case: ctx socket_filter: read ifindex off 40 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +40)
r0 = 0
exit

# case: ctx socket_filter: read ifindex off 40 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +40)
r0 = 0
exit

# case: ctx socket_filter: read ifindex off 40 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=40 size=8
r0 = *(u64 *)(r1 +40)
r0 = 0
exit

# case: ctx socket_filter: write ifindex off 40 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=40 size=4
r2 = 0
*(u32 *)(r1 +40) = r2
r0 = 0
exit

# case: ctx socket_filter: read tc_index off 44 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +44)
r0 = 0
exit

# case: ctx socket_filter: write tc_index off 44 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=44 size=4
r2 = 0
*(u32 *)(r1 +44) = r2
r0 = 0
exit

# case: ctx socket_filter: read cb off 48 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +48)
r0 = 0
exit

# case: ctx socket_filter: read cb off 48 size 1
# type: socket_filter
# expect: accept
r0 = *(u8 *)(r1 +48)
r0 = 0
exit

# case: ctx socket_filter: read cb off 50 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +50)
r0 = 0
exit

# case: ctx socket_filter: write cb off 48 size 4
# type: socket_filter
# expect: accept
r2 = 0
*(u32 *)(r1 +48) = r2
r0 = 0
exit

# case: ctx socket_filter: read hash off 68 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +68)
r0 = 0
exit

# case: ctx socket_filter: read hash off 68 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=68 size=8
r0 = *(u64 *)(r1 +68)
r0 = 0
exit

# case: ctx socket_filter: write hash off 68 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=68 size=4
r2 = 0
*(u32 *)(r1 +68) = r2
r0 = 0
exit

# case: ctx socket_filter: read tc_classid off 72 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=72 size=4
r0 = *(u32 *)(r1 +72)
r0 = 0
exit

# case: ctx socket_filter: read tc_classid off 72 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=72 size=1
r0 = *(u8 *)(r1 +72)
r0 = 0
exit

# case: ctx socket_filter: write tc_classid off 72 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=72 size=4
r2 = 0
*(u32 *)(r1 +72) = r2
r0 = 0
exit

# case: ctx socket_filter: read data off 76 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=76 size=4
r0 = *(u32 *)(r1 +76)
r0 = 0
exit

# case: ctx socket_filter: read data off 78 size 2
# type: socket_filter
# expect: reject invalid bpf_context access off=78 size=2
r0 = *(u16 *)(r1 +78)
r0 = 0
exit

# case: ctx socket_filter: write data off 76 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=76 size=4
r2 = 0
*(u32 *)(r1 +76) = r2
r0 = 0
exit

# case: ctx socket_filter: read data_end off 80 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=80 size=4
r0 = *(u32 *)(r1 +80)
r0 = 0
exit

# case: ctx socket_filter: read data_end off 80 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=80 size=1
r0 = *(u8 *)(r1 +80)
r0 = 0
exit

# case: ctx socket_filter: read data_end off 80 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=80 size=8
r0 = *(u64 *)(r1 +80)
r0 = 0
exit

# case: ctx socket_filter: write data_end off 80 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=80 size=4
r2 = 0
*(u32 *)(r1 +80) = r2
r0 = 0
exit

# case: ctx socket_filter: read napi_id off 84 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +84)
r0 = 0
exit

# case: ctx socket_filter: write napi_id off 84 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=84 size=4
r2 = 0
*(u32 *)(r1 +84) = r2
r0 = 0
exit

# case: ctx socket_filter: read data_meta off 140 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=140 size=4
r0 = *(u32 *)(r1 +140)
r0 = 0
exit

# case: ctx socket_filter: read data_meta off 140 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=140 size=1
r0 = *(u8 *)(r1 +140)
r0 = 0
exit

# case: ctx socket_filter: read data_meta off 142 size 2
# type: socket_filter
# expect: reject invalid bpf_context access off=142 size=2
r0 = *(u16 *)(r1 +142)
r0 = 0
exit

# case: ctx socket_filter: write data_meta off 140 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=140 size=4
r2 = 0
*(u32 *)(r1 +140) = r2
r0 = 0
exit

# case: ctx socket_filter: read tstamp off 152 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=152 size=8
r0 = *(u64 *)(r1 +152)
r0 = 0
exit

# case: ctx socket_filter: write tstamp off 152 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=152 size=8
r2 = 0
*(u64 *)(r1 +152) = r2
r0 = 0
exit

# case: ctx socket_filter: read wire_len off 160 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=160 size=4
r0 = *(u32 *)(r1 +160)
r0 = 0
exit

# case: ctx socket_filter: read wire_len off 160 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=160 size=1
r0 = *(u8 *)(r1 +160)
r0 = 0
exit

# case: ctx socket_filter: write wire_len off 160 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=160 size=4
r2 = 0
*(u32 *)(r1 +160) = r2
r0 = 0
exit

# case: ctx socket_filter: read gso_segs off 164 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +164)
r0 = 0
exit

# case: ctx socket_filter: read gso_segs off 166 size 2
# type: socket_filter
# expect: accept
r0 = *(u16 *)(r1 +166)
r0 = 0
exit

# case: ctx socket_filter: write gso_segs off 164 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=164 size=4
r2 = 0
*(u32 *)(r1 +164) = r2
r0 = 0
exit

# case: ctx socket_filter: read gso_size off 176 size 4
# type: socket_filter
# expect: accept
r0 = *(u32 *)(r1 +176)
r0 = 0
exit

# case: ctx socket_filter: write gso_size off 176 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=176 size=4
r2 = 0
*(u32 *)(r1 +176) = r2
r0 = 0
exit

# case: ctx socket_filter: read tstamp_type off 180 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=180 size=1
r0 = *(u8 *)(r1 +180)
r0 = 0
exit

# case: ctx socket_filter: write tstamp_type off 180 size 1
# type: socket_filter
# expect: reject invalid bpf_context access off=180 size=1
r2 = 0
*(u8 *)(r1 +180) = r2
r0 = 0
exit

# case: ctx socket_filter: read hwtstamp off 184 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=184 size=8
r0 = *(u64 *)(r1 +184)
r0 = 0
exit

# case: ctx socket_filter: write hwtstamp off 184 size 8
# type: socket_filter
# expect: reject invalid bpf_context access off=184 size=8
r2 = 0
*(u64 *)(r1 +184) = r2
r0 = 0
exit

# case: ctx socket_filter: read past end off 192 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=192 size=4
r0 = *(u32 *)(r1 +192)
r0 = 0
exit

# case: ctx socket_filter: read misaligned off 1 size 4
# type: socket_filter
# expect: reject invalid bpf_context access off=1 size=4
r0 = *(u32 *)(r1 +1)
r0 = 0
exit

# case: ctx xdp: read data off 0 size 4
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 +0)
r0 = 0
exit

# case: ctx xdp: read data off 0 size 1
# type: xdp
# expect: reject invalid bpf_context access off=0 size=1
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: ctx xdp: read data off 2 size 2
# type: xdp
# expect: reject invalid bpf_context access off=2 size=2
r0 = *(u16 *)(r1 +2)
r0 = 0
exit

# case: ctx xdp: write data off 0 size 4
# type: xdp
# expect: reject invalid bpf_context access off=0 size=4
r2 = 0
*(u32 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx xdp: read data_end off 4 size 4
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: ctx xdp: read data_end off 4 size 8
# type: xdp
# expect: reject invalid bpf_context access off=4 size=8
r0 = *(u64 *)(r1 +4)
r0 = 0
exit

# case: ctx xdp: write data_end off 4 size 4
# type: xdp
# expect: reject invalid bpf_context access off=4 size=4
r2 = 0
*(u32 *)(r1 +4) = r2
r0 = 0
exit

# case: ctx xdp: read data_meta off 8 size 4
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 +8)
r0 = 0
exit

# case: ctx xdp: read data_meta off 8 size 1
# type: xdp
# expect: reject invalid bpf_context access off=8 size=1
r0 = *(u8 *)(r1 +8)
r0 = 0
exit

# case: ctx xdp: write data_meta off 8 size 4
# type: xdp
# expect: reject invalid bpf_context access off=8 size=4
r2 = 0
*(u32 *)(r1 +8) = r2
r0 = 0
exit

# case: ctx xdp: read ingress_ifindex off 12 size 4
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 +12)
r0 = 0
exit

# case: ctx xdp: read ingress_ifindex off 14 size 2
# type: xdp
# expect: reject invalid bpf_context access off=14 size=2
r0 = *(u16 *)(r1 +14)
r0 = 0
exit

# case: ctx xdp: write ingress_ifindex off 12 size 4
# type: xdp
# expect: reject invalid bpf_context access off=12 size=4
r2 = 0
*(u32 *)(r1 +12) = r2
r0 = 0
exit

# case: ctx xdp: read rx_queue_index off 16 size 4
# type: xdp
# expect: accept
r0 = *(u32 *)(r1 +16)
r0 = 0
exit

# case: ctx xdp: read rx_queue_index off 16 size 1
# type: xdp
# expect: reject invalid bpf_context access off=16 size=1
r0 = *(u8 *)(r1 +16)
r0 = 0
exit

# case: ctx xdp: read rx_queue_index off 16 size 8
# type: xdp
# expect: reject invalid bpf_context access off=16 size=8
r0 = *(u64 *)(r1 +16)
r0 = 0
exit

# case: ctx xdp: write rx_queue_index off 16 size 4
# type: xdp
# expect: reject invalid bpf_context access off=16 size=4
r2 = 0
*(u32 *)(r1 +16) = r2
r0 = 0
exit

# case: ctx xdp: read past end off 24 size 4
# type: xdp
# expect: reject invalid bpf_context access off=24 size=4
r0 = *(u32 *)(r1 +24)
r0 = 0
exit

# case: ctx xdp: read misaligned off 1 size 4
# type: xdp
# expect: reject invalid bpf_context access off=1 size=4
r0 = *(u32 *)(r1 +1)
r0 = 0
exit

# case: ctx sched_cls: read len off 0 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +0)
r0 = 0
exit

# case: ctx sched_cls: read len off 0 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: ctx sched_cls: read len off 2 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +2)
r0 = 0
exit

# case: ctx sched_cls: write len off 0 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=0 size=4
r2 = 0
*(u32 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx sched_cls: read pkt_type off 4 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +4)
r0 = 0
exit

# case: ctx sched_cls: read pkt_type off 4 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=4 size=8
r0 = *(u64 *)(r1 +4)
r0 = 0
exit

# case: ctx sched_cls: write pkt_type off 4 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=4 size=4
r2 = 0
*(u32 *)(r1 +4) = r2
r0 = 0
exit

# case: ctx sched_cls: read mark off 8 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +8)
r0 = 0
exit

# case: ctx sched_cls: read mark off 8 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +8)
r0 = 0
exit

# case: ctx sched_cls: write mark off 8 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +8) = r2
r0 = 0
exit

# case: ctx sched_cls: read queue_mapping off 12 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +12)
r0 = 0
exit

# case: ctx sched_cls: read queue_mapping off 14 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +14)
r0 = 0
exit

# case: ctx sched_cls: write queue_mapping off 12 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +12) = r2
r0 = 0
exit

# case: ctx sched_cls: read protocol off 16 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +16)
r0 = 0
exit

# case: ctx sched_cls: read protocol off 16 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +16)
r0 = 0
exit

# case: ctx sched_cls: read protocol off 16 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=16 size=8
r0 = *(u64 *)(r1 +16)
r0 = 0
exit

# case: ctx sched_cls: write protocol off 16 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=16 size=4
r2 = 0
*(u32 *)(r1 +16) = r2
r0 = 0
exit

# case: ctx sched_cls: read vlan_present off 20 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +20)
r0 = 0
exit

# case: ctx sched_cls: write vlan_present off 20 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=20 size=4
r2 = 0
*(u32 *)(r1 +20) = r2
r0 = 0
exit

# case: ctx sched_cls: read vlan_tci off 24 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +24)
r0 = 0
exit

# case: ctx sched_cls: read vlan_tci off 24 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +24)
r0 = 0
exit

# case: ctx sched_cls: read vlan_tci off 26 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +26)
r0 = 0
exit

# case: ctx sched_cls: write vlan_tci off 24 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=24 size=4
r2 = 0
*(u32 *)(r1 +24) = r2
r0 = 0
exit

# case: ctx sched_cls: read vlan_proto off 28 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +28)
r0 = 0
exit

# case: ctx sched_cls: read vlan_proto off 28 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=28 size=8
r0 = *(u64 *)(r1 +28)
r0 = 0
exit

# case: ctx sched_cls: write vlan_proto off 28 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=28 size=4
r2 = 0
*(u32 *)(r1 +28) = r2
r0 = 0
exit

# case: ctx sched_cls: read priority off 32 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +32)
r0 = 0
exit

# case: ctx sched_cls: read priority off 32 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +32)
r0 = 0
exit

# case: ctx sched_cls: write priority off 32 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +32) = r2
r0 = 0
exit

# case: ctx sched_cls: read ingress_ifindex off 36 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +36)
r0 = 0
exit

# case: ctx sched_cls: read ingress_ifindex off 38 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +38)
r0 = 0
exit

# case: ctx sched_cls: write ingress_ifindex off 36 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=36 size=4
r2 = 0
*(u32 *)(r1 +36) = r2
r0 = 0
exit

# case: ctx sched_cls: read ifindex off 40 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +40)
r0 = 0
exit

# case: ctx sched_cls: read ifindex off 40 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +40)
r0 = 0
exit

# case: ctx sched_cls: read ifindex off 40 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=40 size=8
r0 = *(u64 *)(r1 +40)
r0 = 0
exit

# case: ctx sched_cls: write ifindex off 40 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=40 size=4
r2 = 0
*(u32 *)(r1 +40) = r2
r0 = 0
exit

# case: ctx sched_cls: read tc_index off 44 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +44)
r0 = 0
exit

# case: ctx sched_cls: write tc_index off 44 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +44) = r2
r0 = 0
exit

# case: ctx sched_cls: read cb off 48 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +48)
r0 = 0
exit

# case: ctx sched_cls: read cb off 48 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +48)
r0 = 0
exit

# case: ctx sched_cls: read cb off 50 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +50)
r0 = 0
exit

# case: ctx sched_cls: write cb off 48 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +48) = r2
r0 = 0
exit

# case: ctx sched_cls: read hash off 68 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +68)
r0 = 0
exit

# case: ctx sched_cls: read hash off 68 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=68 size=8
r0 = *(u64 *)(r1 +68)
r0 = 0
exit

# case: ctx sched_cls: write hash off 68 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=68 size=4
r2 = 0
*(u32 *)(r1 +68) = r2
r0 = 0
exit

# case: ctx sched_cls: read tc_classid off 72 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +72)
r0 = 0
exit

# case: ctx sched_cls: read tc_classid off 72 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +72)
r0 = 0
exit

# case: ctx sched_cls: write tc_classid off 72 size 4
# type: sched_cls
# expect: accept
r2 = 0
*(u32 *)(r1 +72) = r2
r0 = 0
exit

# case: ctx sched_cls: read data off 76 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +76)
r0 = 0
exit

# case: ctx sched_cls: read data off 78 size 2
# type: sched_cls
# expect: reject invalid bpf_context access off=78 size=2
r0 = *(u16 *)(r1 +78)
r0 = 0
exit

# case: ctx sched_cls: write data off 76 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=76 size=4
r2 = 0
*(u32 *)(r1 +76) = r2
r0 = 0
exit

# case: ctx sched_cls: read data_end off 80 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +80)
r0 = 0
exit

# case: ctx sched_cls: read data_end off 80 size 1
# type: sched_cls
# expect: reject invalid bpf_context access off=80 size=1
r0 = *(u8 *)(r1 +80)
r0 = 0
exit

# case: ctx sched_cls: read data_end off 80 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=80 size=8
r0 = *(u64 *)(r1 +80)
r0 = 0
exit

# case: ctx sched_cls: write data_end off 80 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=80 size=4
r2 = 0
*(u32 *)(r1 +80) = r2
r0 = 0
exit

# case: ctx sched_cls: read napi_id off 84 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +84)
r0 = 0
exit

# case: ctx sched_cls: write napi_id off 84 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=84 size=4
r2 = 0
*(u32 *)(r1 +84) = r2
r0 = 0
exit

# case: ctx sched_cls: read data_meta off 140 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +140)
r0 = 0
exit

# case: ctx sched_cls: read data_meta off 140 size 1
# type: sched_cls
# expect: reject invalid bpf_context access off=140 size=1
r0 = *(u8 *)(r1 +140)
r0 = 0
exit

# case: ctx sched_cls: read data_meta off 142 size 2
# type: sched_cls
# expect: reject invalid bpf_context access off=142 size=2
r0 = *(u16 *)(r1 +142)
r0 = 0
exit

# case: ctx sched_cls: write data_meta off 140 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=140 size=4
r2 = 0
*(u32 *)(r1 +140) = r2
r0 = 0
exit

# case: ctx sched_cls: read tstamp off 152 size 8
# type: sched_cls
# expect: accept
r0 = *(u64 *)(r1 +152)
r0 = 0
exit

# case: ctx sched_cls: write tstamp off 152 size 8
# type: sched_cls
# expect: accept
r2 = 0
*(u64 *)(r1 +152) = r2
r0 = 0
exit

# case: ctx sched_cls: read wire_len off 160 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +160)
r0 = 0
exit

# case: ctx sched_cls: read wire_len off 160 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +160)
r0 = 0
exit

# case: ctx sched_cls: write wire_len off 160 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=160 size=4
r2 = 0
*(u32 *)(r1 +160) = r2
r0 = 0
exit

# case: ctx sched_cls: read gso_segs off 164 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +164)
r0 = 0
exit

# case: ctx sched_cls: read gso_segs off 166 size 2
# type: sched_cls
# expect: accept
r0 = *(u16 *)(r1 +166)
r0 = 0
exit

# case: ctx sched_cls: write gso_segs off 164 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=164 size=4
r2 = 0
*(u32 *)(r1 +164) = r2
r0 = 0
exit

# case: ctx sched_cls: read gso_size off 176 size 4
# type: sched_cls
# expect: accept
r0 = *(u32 *)(r1 +176)
r0 = 0
exit

# case: ctx sched_cls: write gso_size off 176 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=176 size=4
r2 = 0
*(u32 *)(r1 +176) = r2
r0 = 0
exit

# case: ctx sched_cls: read tstamp_type off 180 size 1
# type: sched_cls
# expect: accept
r0 = *(u8 *)(r1 +180)
r0 = 0
exit

# case: ctx sched_cls: write tstamp_type off 180 size 1
# type: sched_cls
# expect: reject invalid bpf_context access off=180 size=1
r2 = 0
*(u8 *)(r1 +180) = r2
r0 = 0
exit

# case: ctx sched_cls: read hwtstamp off 184 size 8
# type: sched_cls
# expect: accept
r0 = *(u64 *)(r1 +184)
r0 = 0
exit

# case: ctx sched_cls: write hwtstamp off 184 size 8
# type: sched_cls
# expect: reject invalid bpf_context access off=184 size=8
r2 = 0
*(u64 *)(r1 +184) = r2
r0 = 0
exit

# case: ctx sched_cls: read past end off 192 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=192 size=4
r0 = *(u32 *)(r1 +192)
r0 = 0
exit

# case: ctx sched_cls: read misaligned off 1 size 4
# type: sched_cls
# expect: reject invalid bpf_context access off=1 size=4
r0 = *(u32 *)(r1 +1)
r0 = 0
exit

# case: ctx tracepoint: read first off 8 size 8
# type: tracepoint
# expect: accept
r0 = *(u64 *)(r1 +8)
r0 = 0
exit

# case: ctx tracepoint: read last word off 2040 size 8
# type: tracepoint
# expect: accept
r0 = *(u64 *)(r1 +2040)
r0 = 0
exit

# case: ctx tracepoint: read narrow off 8 size 4
# type: tracepoint
# expect: accept
r0 = *(u32 *)(r1 +8)
r0 = 0
exit

# case: ctx tracepoint: read misaligned off 12 size 8
# type: tracepoint
# expect: reject invalid bpf_context access off=12 size=8
r0 = *(u64 *)(r1 +12)
r0 = 0
exit

# case: ctx tracepoint: read below min off 0 size 8
# type: tracepoint
# expect: reject invalid bpf_context access off=0 size=8
r0 = *(u64 *)(r1 +0)
r0 = 0
exit

# case: ctx tracepoint: read past end off 2048 size 8
# type: tracepoint
# expect: reject invalid bpf_context access off=2048 size=8
# kernel-differs: env/ bounds tracepoint records by PERF_MAX_TRACE_SIZE 2048; Linux 6.18 raised it to 8192, so the kernel accepts reads up to 8191 (we stay conservative until env/ updates its table)
r0 = *(u64 *)(r1 +2048)
r0 = 0
exit

# case: ctx tracepoint: write any off 8 size 8
# type: tracepoint
# expect: reject invalid bpf_context access off=8 size=8
r2 = 0
*(u64 *)(r1 +8) = r2
r0 = 0
exit

# case: ctx raw_tracepoint: read first off 0 size 8
# type: raw_tracepoint
# expect: accept
r0 = *(u64 *)(r1 +0)
r0 = 0
exit

# case: ctx raw_tracepoint: read last word off 88 size 8
# type: raw_tracepoint
# expect: accept
r0 = *(u64 *)(r1 +88)
r0 = 0
exit

# case: ctx raw_tracepoint: read narrow off 0 size 4
# type: raw_tracepoint
# expect: accept
r0 = *(u32 *)(r1 +0)
r0 = 0
exit

# case: ctx raw_tracepoint: read misaligned off 4 size 8
# type: raw_tracepoint
# expect: reject invalid bpf_context access off=4 size=8
r0 = *(u64 *)(r1 +4)
r0 = 0
exit

# case: ctx raw_tracepoint: read past end off 96 size 8
# type: raw_tracepoint
# expect: reject invalid bpf_context access off=96 size=8
r0 = *(u64 *)(r1 +96)
r0 = 0
exit

# case: ctx raw_tracepoint: write any off 0 size 8
# type: raw_tracepoint
# expect: reject invalid bpf_context access off=0 size=8
r2 = 0
*(u64 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx kprobe: read first off 0 size 8
# type: kprobe
# expect: accept
r0 = *(u64 *)(r1 +0)
r0 = 0
exit

# case: ctx kprobe: read last word off 160 size 8
# type: kprobe
# expect: accept
r0 = *(u64 *)(r1 +160)
r0 = 0
exit

# case: ctx kprobe: read narrow off 0 size 4
# type: kprobe
# expect: accept
r0 = *(u32 *)(r1 +0)
r0 = 0
exit

# case: ctx kprobe: read misaligned off 4 size 8
# type: kprobe
# expect: reject invalid bpf_context access off=4 size=8
r0 = *(u64 *)(r1 +4)
r0 = 0
exit

# case: ctx kprobe: read past end off 168 size 8
# type: kprobe
# expect: reject invalid bpf_context access off=168 size=8
r0 = *(u64 *)(r1 +168)
r0 = 0
exit

# case: ctx kprobe: write any off 0 size 8
# type: kprobe
# expect: reject invalid bpf_context access off=0 size=8
r2 = 0
*(u64 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx perf_event: read regs off 0 size 8
# type: perf_event
# expect: accept
r0 = *(u64 *)(r1 +0)
r0 = 0
exit

# case: ctx perf_event: read regs off 0 size 1
# type: perf_event
# expect: reject invalid bpf_context access off=0 size=1
r0 = *(u8 *)(r1 +0)
r0 = 0
exit

# case: ctx perf_event: write regs off 0 size 8
# type: perf_event
# expect: reject invalid bpf_context access off=0 size=8
r2 = 0
*(u64 *)(r1 +0) = r2
r0 = 0
exit

# case: ctx perf_event: read sample_period off 168 size 8
# type: perf_event
# expect: accept
r0 = *(u64 *)(r1 +168)
r0 = 0
exit

# case: ctx perf_event: write sample_period off 168 size 8
# type: perf_event
# expect: reject invalid bpf_context access off=168 size=8
r2 = 0
*(u64 *)(r1 +168) = r2
r0 = 0
exit

# case: ctx perf_event: read addr off 176 size 8
# type: perf_event
# expect: accept
r0 = *(u64 *)(r1 +176)
r0 = 0
exit

# case: ctx perf_event: read addr off 176 size 1
# type: perf_event
# expect: accept
r0 = *(u8 *)(r1 +176)
r0 = 0
exit

# case: ctx perf_event: write addr off 176 size 8
# type: perf_event
# expect: reject invalid bpf_context access off=176 size=8
r2 = 0
*(u64 *)(r1 +176) = r2
r0 = 0
exit

# case: ctx perf_event: read past end off 184 size 4
# type: perf_event
# expect: reject invalid bpf_context access off=184 size=4
r0 = *(u32 *)(r1 +184)
r0 = 0
exit

# case: ctx perf_event: read misaligned off 1 size 4
# type: perf_event
# expect: reject invalid bpf_context access off=1 size=4
r0 = *(u32 *)(r1 +1)
r0 = 0
exit

