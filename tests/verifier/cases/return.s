# case: return 5 from socket_filter
# type: socket_filter
# expect: accept
r0 = 5
exit

# case: return -1 from socket_filter
# type: socket_filter
# expect: accept
r0 = -1
exit

# case: return 1 from socket_filter
# type: socket_filter
# expect: accept
r0 = 1
exit

# case: return 5 from xdp
# type: xdp
# expect: accept
r0 = 5
exit

# case: return -1 from xdp
# type: xdp
# expect: accept
r0 = -1
exit

# case: return 1 from xdp
# type: xdp
# expect: accept
r0 = 1
exit

# case: return 5 from sched_cls
# type: sched_cls
# expect: accept
r0 = 5
exit

# case: return -1 from sched_cls
# type: sched_cls
# expect: accept
r0 = -1
exit

# case: return 1 from sched_cls
# type: sched_cls
# expect: accept
r0 = 1
exit

# case: return 5 from kprobe
# type: kprobe
# expect: accept
r0 = 5
exit

# case: return -1 from kprobe
# type: kprobe
# expect: accept
r0 = -1
exit

# case: return 1 from kprobe
# type: kprobe
# expect: accept
r0 = 1
exit

# case: return 5 from tracepoint
# type: tracepoint
# expect: accept
r0 = 5
exit

# case: return -1 from tracepoint
# type: tracepoint
# expect: accept
r0 = -1
exit

# case: return 1 from tracepoint
# type: tracepoint
# expect: accept
r0 = 1
exit

# case: return 5 from raw_tracepoint
# type: raw_tracepoint
# expect: accept
r0 = 5
exit

# case: return -1 from raw_tracepoint
# type: raw_tracepoint
# expect: accept
r0 = -1
exit

# case: return 1 from raw_tracepoint
# type: raw_tracepoint
# expect: accept
r0 = 1
exit

# case: return 5 from perf_event
# type: perf_event
# expect: accept
r0 = 5
exit

# case: return -1 from perf_event
# type: perf_event
# expect: accept
r0 = -1
exit

# case: return 1 from perf_event
# type: perf_event
# expect: accept
r0 = 1
exit

# case: return 5 from cgroup_skb
# type: cgroup_skb
# expect: reject At program exit the register R0 has smin=5 smax=5 should have been in [0, 1]
r0 = 5
exit

# case: return -1 from cgroup_skb
# type: cgroup_skb
# expect: reject At program exit the register R0 has smin=-1 smax=-1 should have been in [0, 1]
r0 = -1
exit

# case: return 1 from cgroup_skb
# type: cgroup_skb
# expect: accept
r0 = 1
exit

