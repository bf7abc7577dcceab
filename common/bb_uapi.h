/* SPDX-License-Identifier: MIT */
/*
 * common/bb_uapi.h - the one place barebpf names kernel uapi constants that
 * are newer than the <linux/bpf.h> we build against.
 *
 * Debian's linux-libc-dev ships the 6.1 uapi headers, but the machines we
 * run on are newer (6.18), and the loader, CLI and tests want to name prog,
 * attach, map and link types that 6.1 does not know.  The values below are
 * the kernel's (include/uapi/linux/bpf.h); they are a stable ABI, so
 * defining them here is safe on any kernel: an old kernel just answers
 * -EINVAL for a type it does not have.
 *
 * <linux/bpf.h> is included first so that, with newer headers, their own
 * definitions win for macros (#ifndef) and for enum constants our #define
 * merely shadows the enumerator with the same value.  Include this header
 * instead of <linux/bpf.h>; nothing else in barebpf defines uapi values.
 *
 * Grouped by the kernel release that added them.
 */
#ifndef BAREBPF_COMMON_BB_UAPI_H
#define BAREBPF_COMMON_BB_UAPI_H

#include <stddef.h>
#include <linux/bpf.h>

/* ----- 6.2 ----- */
#ifndef BPF_MAP_TYPE_CGRP_STORAGE
#define BPF_MAP_TYPE_CGRP_STORAGE 32
#endif

/* ----- 6.3 ----- */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)      /* prog_flags */
#endif

/* ----- 6.4 ----- */
#ifndef BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER 32
#endif
#ifndef BPF_STRUCT_OPS
#define BPF_STRUCT_OPS 44                       /* attach type */
#endif
#ifndef BPF_NETFILTER
#define BPF_NETFILTER 45                        /* attach type */
#endif
#ifndef BPF_LINK_TYPE_NETFILTER
#define BPF_LINK_TYPE_NETFILTER 10
#endif
#ifndef BPF_F_LINK
#define BPF_F_LINK (1U << 13)                   /* map_flags; link flags */
#endif
/* BPF_PROG_LOAD's log_true_size (6.4) is in struct bb_attr_prog_load. */

/* ----- 6.5 ----- */
#ifndef BPF_F_PATH_FD
#define BPF_F_PATH_FD (1U << 14)                /* BPF_OBJ_PIN/GET file_flags */
#endif

/* ----- 6.6 ----- */
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#endif
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS 47
#endif
#ifndef BPF_TRACE_UPROBE_MULTI
#define BPF_TRACE_UPROBE_MULTI 48
#endif
#ifndef BPF_LINK_TYPE_TCX
#define BPF_LINK_TYPE_TCX 11
#endif
#ifndef BPF_LINK_TYPE_UPROBE_MULTI
#define BPF_LINK_TYPE_UPROBE_MULTI 12
#endif
#ifndef BPF_F_UPROBE_MULTI_RETURN
#define BPF_F_UPROBE_MULTI_RETURN (1U << 0)
#endif
/* mprog (tcx, netkit) attach position flags. */
#ifndef BPF_F_BEFORE
#define BPF_F_BEFORE (1U << 3)
#endif
#ifndef BPF_F_AFTER
#define BPF_F_AFTER (1U << 4)
#endif
#ifndef BPF_F_ID
#define BPF_F_ID (1U << 5)
#endif
/* ISA v4 sign-extending load mode (ldxs*). */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif

/* ----- 6.7 ----- */
#ifndef BPF_CGROUP_UNIX_CONNECT
#define BPF_CGROUP_UNIX_CONNECT 49
#endif
#ifndef BPF_CGROUP_UNIX_SENDMSG
#define BPF_CGROUP_UNIX_SENDMSG 50
#endif
#ifndef BPF_CGROUP_UNIX_RECVMSG
#define BPF_CGROUP_UNIX_RECVMSG 51
#endif
#ifndef BPF_CGROUP_UNIX_GETPEERNAME
#define BPF_CGROUP_UNIX_GETPEERNAME 52
#endif
#ifndef BPF_CGROUP_UNIX_GETSOCKNAME
#define BPF_CGROUP_UNIX_GETSOCKNAME 53
#endif
#ifndef BPF_NETKIT_PRIMARY
#define BPF_NETKIT_PRIMARY 54
#endif
#ifndef BPF_NETKIT_PEER
#define BPF_NETKIT_PEER 55
#endif
#ifndef BPF_LINK_TYPE_NETKIT
#define BPF_LINK_TYPE_NETKIT 13
#endif

/* ----- 6.8 ----- */
#ifndef BPF_F_TEST_REG_INVARIANTS
#define BPF_F_TEST_REG_INVARIANTS (1U << 7)     /* prog_flags */
#endif

/* ----- 6.9 ----- */
#ifndef BPF_TOKEN_CREATE
#define BPF_TOKEN_CREATE 36                     /* command */
#endif
#ifndef BPF_MAP_TYPE_ARENA
#define BPF_MAP_TYPE_ARENA 33
#endif
#ifndef BPF_F_VTYPE_BTF_OBJ_FD
#define BPF_F_VTYPE_BTF_OBJ_FD (1U << 15)
#endif
#ifndef BPF_F_TOKEN_FD
#define BPF_F_TOKEN_FD (1U << 16)               /* map, prog, btf: *_token_fd valid */
#endif
#ifndef BPF_F_SEGV_ON_FAULT
#define BPF_F_SEGV_ON_FAULT (1U << 17)          /* arena map_flags */
#endif
#ifndef BPF_F_NO_USER_CONV
#define BPF_F_NO_USER_CONV (1U << 18)           /* arena map_flags */
#endif
/* may_goto: BPF_JMP | BPF_JCOND with src_reg = BPF_MAY_GOTO. */
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#ifndef BPF_MAY_GOTO
#define BPF_MAY_GOTO 0
#endif
/* addr_space_cast: BPF_ALU64 | BPF_MOV | BPF_X with off = this. */
#ifndef BPF_ADDR_SPACE_CAST
#define BPF_ADDR_SPACE_CAST 1
#endif

/* ----- 6.10 ----- */
#ifndef BPF_TRACE_KPROBE_SESSION
#define BPF_TRACE_KPROBE_SESSION 56
#endif
#ifndef BPF_LINK_TYPE_SOCKMAP
#define BPF_LINK_TYPE_SOCKMAP 14
#endif

/* ----- 6.14 ----- */
#ifndef BPF_TRACE_UPROBE_SESSION
#define BPF_TRACE_UPROBE_SESSION 57
#endif

/* ----- 6.15 ----- */
/* load-acquire / store-release: BPF_STX | BPF_ATOMIC with imm = these. */
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ 0x100
#endif
#ifndef BPF_STORE_REL
#define BPF_STORE_REL 0x110
#endif

/* ----- 6.17 ----- */
#ifndef BPF_PROG_STREAM_READ_BY_FD
#define BPF_PROG_STREAM_READ_BY_FD 37           /* command */
#endif

/*
 * The BPF_PROG_LOAD member of union bpf_attr as the kernel has it today.
 * 6.1's union stops at core_relo_rec_size; later kernels appended
 * log_true_size (6.4: the log size the verifier needed, written back even
 * when the buffer was too small), prog_token_fd (6.9) and fd_array_cnt.
 * We pass sizeof(this struct) to bpf(): an older kernel accepts a larger
 * attr as long as the bytes it does not know are zero, which they are
 * unless the caller sets a newer field on purpose.  The assertions below
 * pin the shared prefix to the system header's layout.
 */
struct bb_attr_prog_load {
	__u32 prog_type;
	__u32 insn_cnt;
	__aligned_u64 insns;
	__aligned_u64 license;
	__u32 log_level;
	__u32 log_size;
	__aligned_u64 log_buf;
	__u32 kern_version;
	__u32 prog_flags;
	char prog_name[BPF_OBJ_NAME_LEN];
	__u32 prog_ifindex;
	__u32 expected_attach_type;
	__u32 prog_btf_fd;
	__u32 func_info_rec_size;
	__aligned_u64 func_info;
	__u32 func_info_cnt;
	__u32 line_info_rec_size;
	__aligned_u64 line_info;
	__u32 line_info_cnt;
	__u32 attach_btf_id;
	union {
		__u32 attach_prog_fd;
		__u32 attach_btf_obj_fd;
	};
	__u32 core_relo_cnt;
	__aligned_u64 fd_array;
	__aligned_u64 core_relos;
	__u32 core_relo_rec_size;
	__u32 log_true_size;            /* 6.4, out */
	__s32 prog_token_fd;            /* 6.9, with BPF_F_TOKEN_FD */
	__u32 fd_array_cnt;             /* 6.14 */
};

#define BB_ATTR_SAME(f) \
	(offsetof(struct bb_attr_prog_load, f) == offsetof(union bpf_attr, f))
_Static_assert(BB_ATTR_SAME(prog_type) && BB_ATTR_SAME(insns) &&
	       BB_ATTR_SAME(log_buf) && BB_ATTR_SAME(prog_name) &&
	       BB_ATTR_SAME(expected_attach_type) && BB_ATTR_SAME(attach_btf_id) &&
	       BB_ATTR_SAME(attach_prog_fd) && BB_ATTR_SAME(fd_array) &&
	       BB_ATTR_SAME(core_relo_rec_size),
	       "struct bb_attr_prog_load must extend union bpf_attr's prog load member");
#undef BB_ATTR_SAME
_Static_assert(offsetof(struct bb_attr_prog_load, log_true_size) == 140 &&
	       offsetof(struct bb_attr_prog_load, fd_array_cnt) == 148 &&
	       sizeof(struct bb_attr_prog_load) == 152,
	       "kernel offsets of the post-6.1 prog load fields");

/*
 * The BPF_LINK_CREATE member of union bpf_attr as the kernel has it
 * today.  6.1 knows perf_event, kprobe_multi and tracing targets; later
 * kernels added netfilter (6.4), tcx (6.6) and uprobe_multi (6.6) to the
 * union.  As with prog load we pass sizeof(this struct).
 */
struct bb_attr_link_create {
	__u32 prog_fd;
	union {
		__u32 target_fd;
		__u32 target_ifindex;
	};
	__u32 attach_type;
	__u32 flags;
	union {
		__u32 target_btf_id;
		struct {
			__aligned_u64 iter_info;
			__u32 iter_info_len;
		};
		struct {
			__u64 bpf_cookie;
		} perf_event;
		struct {
			__u32 flags;
			__u32 cnt;
			__aligned_u64 syms;
			__aligned_u64 addrs;
			__aligned_u64 cookies;
		} kprobe_multi;
		struct {
			__u32 target_btf_id;
			__u64 cookie;
		} tracing;
		struct {
			__u32 pf;
			__u32 hooknum;
			__s32 priority;
			__u32 flags;
		} netfilter;
		struct {
			union {
				__u32 relative_fd;
				__u32 relative_id;
			};
			__u64 expected_revision;
		} tcx;
		struct {
			__aligned_u64 path;
			__aligned_u64 offsets;
			__aligned_u64 ref_ctr_offsets;
			__aligned_u64 cookies;
			__u32 cnt;
			__u32 flags;
			__u32 pid;
		} uprobe_multi;
	};
};
_Static_assert(offsetof(struct bb_attr_link_create, attach_type) ==
	       offsetof(union bpf_attr, link_create.attach_type) &&
	       offsetof(struct bb_attr_link_create, perf_event.bpf_cookie) ==
	       offsetof(union bpf_attr, link_create.perf_event.bpf_cookie) &&
	       offsetof(struct bb_attr_link_create, uprobe_multi.pid) == 56,
	       "kernel offsets of the link create fields");

/* perf_event_attr.config bit of the uprobe/kprobe PMUs when the format
 * file cannot be read (it has said config:0 since 4.17). */
#define BB_PERF_PROBE_RETPROBE_BIT 0

/* netlink / tc values newer than or missing from 6.1's headers */
#ifndef TCA_BPF_FLAG_ACT_DIRECT
#define TCA_BPF_FLAG_ACT_DIRECT (1 << 0)
#endif

#endif
