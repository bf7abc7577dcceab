/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_names.c - names of the kernel's program and map types, as
 * libbpf and bpftool spell them, indexed by the uapi enum value.  The one
 * place the CLI (obj show, load, and later prog/map list) takes them from.
 */
#include "loader/ldr.h"

static const char *const prog_type_names[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp",
	"perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops",
	"sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint", "cgroup_sock_addr",
	"lwt_seg6local", "lirc_mode2", "sk_reuseport", "flow_dissector", "cgroup_sysctl",
	"raw_tracepoint_writable", "cgroup_sockopt", "tracing", "struct_ops", "ext", "lsm",
	"sk_lookup", "syscall", "netfilter",
};

static const char *const map_type_names[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap",
	"sockhash", "cgroup_storage", "reuseport_sockarray", "percpu_cgroup_storage", "queue",
	"stack", "sk_storage", "devmap_hash", "struct_ops", "ringbuf", "inode_storage",
	"task_storage", "bloom_filter", "user_ringbuf", "cgrp_storage", "arena",
};

const char *ldr_prog_type_str(uint32_t type)
{
	return type < BB_ARRAY_SIZE(prog_type_names) ? prog_type_names[type] : "unknown";
}

const char *ldr_map_type_str(uint32_t type)
{
	return type < BB_ARRAY_SIZE(map_type_names) ? map_type_names[type] : "unknown";
}
