/* SPDX-License-Identifier: MIT */
/*
 * probe/probe.c - kernel feature probes (see probe.h for what "available"
 * means for each kind of question).
 *
 * Each probe is data: a row saying which program to load or which map to
 * create, so adding a type is one table line.  The minimal shapes follow
 * what the kernel checks at load/create time (kernel/bpf/syscall.c
 * bpf_prog_load_check_attach(), each map type's map_alloc_check()), not
 * libbpf's code.
 */
#include "probe/probe.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "isa/isa.h"
#include "loader/ldr.h"

/* One answer: 0 not asked yet, else PRB_YES/PRB_NO with the kernel's errno. */
enum { PRB_UNASKED = 0, PRB_YES, PRB_NO };
struct prb_ans {
	int8_t state;
	int16_t err;    /* positive errno of a NO (0: refused by the log text) */
};

struct prb_cache {
	struct prb_ans prog[PRB_PROG_TYPE_MAX + 1];
	struct prb_ans map[PRB_MAP_TYPE_MAX + 1];
	struct prb_ans attach[PRB_ATTACH_TYPE_MAX + 1];
	struct prb_ans btf[PRB_BTF_KIND_MAX + 1];
	struct prb_ans link[PRB_LINK_TYPE_MAX + 1];
	struct prb_ans helper[PRB_PROG_TYPE_MAX + 1][PRB_HELPER_MAX + 1];
	uint64_t calls;
	char log[16384];        /* verifier log of the last probe load */
};

int prb_cache_new(struct prb_cache **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void prb_cache_free(struct prb_cache *c)
{
	free(c);
}

void prb_cache_reset(struct prb_cache *c)
{
	uint64_t calls = c->calls;

	memset(c, 0, sizeof(*c));
	c->calls = calls;
}

uint64_t prb_cache_calls(const struct prb_cache *c)
{
	return c->calls;
}

/* ------------------------------------------------------------------ */
/* Program types                                                       */
/* ------------------------------------------------------------------ */

/*
 * What a minimal program of each type needs at load.  @btf_msg: the type
 * needs a BTF attach target; we pass id 1 (never a valid target: vmlinux
 * type 1 is an INT) and the type exists when the verifier's complaint is
 * about that id (@btf_msg: "is not a function", "is not a typedef" for
 * raw_tp, "is not a supported struct") rather than about the type.
 * Tracing is asked as tp_btf (BPF_TRACE_RAW_TP): kernels that refuse
 * fentry outright (EPERM, as with lockdown) still run tp_btf programs,
 * and the type exists there.
 */
struct prog_shape {
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	const char *btf_msg;
};

static const struct prog_shape prog_shapes[PRB_PROG_TYPE_MAX + 1] = {
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = { .expected_attach_type = BPF_CGROUP_INET4_CONNECT },
	[BPF_PROG_TYPE_CGROUP_SOCKOPT] = { .expected_attach_type = BPF_CGROUP_GETSOCKOPT },
	[BPF_PROG_TYPE_SK_LOOKUP] = { .expected_attach_type = BPF_SK_LOOKUP },
	[BPF_PROG_TYPE_NETFILTER] = { .expected_attach_type = BPF_NETFILTER },
	[BPF_PROG_TYPE_SYSCALL] = { .prog_flags = BPF_F_SLEEPABLE },
	[BPF_PROG_TYPE_TRACING] = { .expected_attach_type = BPF_TRACE_RAW_TP,
				    .btf_msg = "attach_btf_id 1 is not a" },
	[BPF_PROG_TYPE_LSM] = { .expected_attach_type = BPF_LSM_MAC,
				.btf_msg = "attach_btf_id 1 is not a" },
	[BPF_PROG_TYPE_EXT] = { .btf_msg = "Cannot replace kernel functions" },
	[BPF_PROG_TYPE_STRUCT_OPS] = { .btf_msg = "attach_btf_id 1 is not a supported struct" },
};

/* r0 = 0; exit.  Every program type accepts a return of 0. */
static const struct isa_raw prog_ret0[] = {
	{ .code = 0xb7, .dst = 0, .imm = 0 },
	{ .code = 0x95 },
};

static const char *errno_name(int err)
{
	/* 524 is the kernel-internal ENOTSUPP, which leaks out of a few
	 * bpf() paths (struct_ops maps) and has no libc text. */
	return err == 524 ? "ENOTSUPP (not supported by this kernel)" : strerror(err);
}

/*
 * Load @insns as @type with @shape; PRB_YES/PRB_NO into @ans.  The log of
 * the load stays in c->log for the helper classification.
 */
static void probe_load(struct prb_cache *c, uint32_t type, uint32_t expected_attach_type,
		       const struct prog_shape *shape, const struct isa_raw *insns, size_t n,
		       struct prb_ans *ans)
{
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = type, .insns = insns, .insn_cnt = n,
		 .license = "GPL", .log_level = 1, .log_buf = c->log,
		 .log_size = sizeof(c->log), .expected_attach_type = expected_attach_type);
	int fd;

	if (shape) {
		o.prog_flags = shape->prog_flags;
		if (shape->btf_msg)
			o.attach_btf_id = 1;
	}
	c->log[0] = '\0';
	c->calls++;
	fd = ldr_prog_load(&o, NULL);
	if (fd >= 0) {
		ldr_obj_close(fd);
		*ans = (struct prb_ans){ .state = PRB_YES };
		return;
	}
	if (shape && shape->btf_msg && strstr(c->log, shape->btf_msg)) {
		*ans = (struct prb_ans){ .state = PRB_YES };
		return;
	}
	*ans = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-fd };
}

static int answer(const struct prb_ans *a, struct bb_err *e, const char *what,
		  const char *name)
{
	if (a->state == PRB_YES)
		return 1;
	if (e)
		bb_err_insn(e, -(a->err ? a->err : EINVAL), -1, "%s '%s': %s", what, name,
			    a->err ? errno_name(a->err) : "refused by the verifier");
	return 0;
}

int prb_prog_type(struct prb_cache *c, uint32_t type, struct bb_err *e)
{
	struct prb_ans *a;

	if (type == 0 || type > PRB_PROG_TYPE_MAX)
		return bb_err_insn(e, -EINVAL, -1, "program type %u is not in the table", type);
	a = &c->prog[type];
	if (a->state == PRB_UNASKED) {
		const struct prog_shape *s = &prog_shapes[type];

		probe_load(c, type, s->expected_attach_type, s, prog_ret0,
			   BB_ARRAY_SIZE(prog_ret0), a);
	}
	return answer(a, e, "program type", ldr_prog_type_str(type));
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

int prb_helper(struct prb_cache *c, uint32_t type, int32_t id, struct bb_err *e)
{
	/* call helper; exit.  The verifier checks the function id before the
	 * arguments, so a known helper fails later, on "R1 !read_ok". */
	const struct isa_raw insns[] = {
		{ .code = 0x85, .imm = id },
		{ .code = 0x95 },
	};
	const char *name = isa_helper_name(id);
	struct prb_ans *a;
	int ok;

	if (id <= 0 || id > PRB_HELPER_MAX || !name)
		return bb_err_insn(e, -EINVAL, -1, "helper %d is not in the table", id);
	ok = prb_prog_type(c, type, e);
	if (ok < 0)
		return ok;
	if (!ok)
		return bb_err_insn(e, -EOPNOTSUPP, -1,
				   "helpers of program type '%s' cannot be probed: the type does "
				   "not load here", ldr_prog_type_str(type));
	if (prog_shapes[type].btf_msg)
		return bb_err_insn(e, -EOPNOTSUPP, -1,
				   "helpers of program type '%s' cannot be probed: its programs "
				   "need a real BTF attach target", ldr_prog_type_str(type));
	a = &c->helper[type][id];
	if (a->state == PRB_UNASKED) {
		probe_load(c, type, prog_shapes[type].expected_attach_type, &prog_shapes[type],
			   insns, BB_ARRAY_SIZE(insns), a);
		/* A refusal for any other reason means the id was accepted. */
		if (a->state == PRB_NO && !strstr(c->log, "unknown func") &&
		    !strstr(c->log, "invalid func") &&
		    !strstr(c->log, "program of this type cannot use helper"))
			*a = (struct prb_ans){ .state = PRB_YES };
		else if (a->state == PRB_NO)
			a->err = 0;
	}
	if (a->state == PRB_YES)
		return 1;
	if (e)
		bb_err_insn(e, -EINVAL, -1, "helper bpf_%s for program type '%s': not allowed "
			    "or unknown to this kernel", name, ldr_prog_type_str(type));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Map types                                                           */
/* ------------------------------------------------------------------ */

struct map_shape {
	uint32_t key, value, entries, flags;
	bool inner;     /* map-in-map: needs an inner map template */
	bool btf;       /* local storage: needs BTF key/value types */
	bool vmlinux;   /* struct_ops: a vmlinux value type id */
};

#define MS(k, v, n, ...) { .key = (k), .value = (v), .entries = (n), __VA_ARGS__ }
static const struct map_shape map_shapes[PRB_MAP_TYPE_MAX + 1] = {
	[BPF_MAP_TYPE_HASH] = MS(4, 8, 1),
	[BPF_MAP_TYPE_ARRAY] = MS(4, 8, 1),
	[BPF_MAP_TYPE_PROG_ARRAY] = MS(4, 4, 1),
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = MS(4, 4, 1),
	[BPF_MAP_TYPE_PERCPU_HASH] = MS(4, 8, 1),
	[BPF_MAP_TYPE_PERCPU_ARRAY] = MS(4, 8, 1),
	[BPF_MAP_TYPE_STACK_TRACE] = MS(4, 8, 1),
	[BPF_MAP_TYPE_CGROUP_ARRAY] = MS(4, 4, 1),
	[BPF_MAP_TYPE_LRU_HASH] = MS(4, 8, 1),
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = MS(4, 8, 1),
	/* struct bpf_lpm_trie_key: u32 prefixlen + 4 data bytes. */
	[BPF_MAP_TYPE_LPM_TRIE] = MS(8, 8, 1, .flags = BPF_F_NO_PREALLOC),
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = MS(4, 4, 1, .inner = true),
	[BPF_MAP_TYPE_HASH_OF_MAPS] = MS(4, 4, 1, .inner = true),
	[BPF_MAP_TYPE_DEVMAP] = MS(4, 4, 1),
	[BPF_MAP_TYPE_SOCKMAP] = MS(4, 4, 1),
	[BPF_MAP_TYPE_CPUMAP] = MS(4, 4, 1),
	[BPF_MAP_TYPE_XSKMAP] = MS(4, 4, 1),
	[BPF_MAP_TYPE_SOCKHASH] = MS(4, 4, 1),
	/* struct bpf_cgroup_storage_key: u64 cgroup id + u32 attach type. */
	[BPF_MAP_TYPE_CGROUP_STORAGE] = MS(16, 8, 0),
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = MS(4, 4, 1),
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = MS(16, 8, 0),
	[BPF_MAP_TYPE_QUEUE] = MS(0, 4, 1),
	[BPF_MAP_TYPE_STACK] = MS(0, 4, 1),
	[BPF_MAP_TYPE_SK_STORAGE] = MS(4, 8, 0, .flags = BPF_F_NO_PREALLOC, .btf = true),
	[BPF_MAP_TYPE_DEVMAP_HASH] = MS(4, 4, 1),
	[BPF_MAP_TYPE_STRUCT_OPS] = MS(4, 4, 1, .vmlinux = true),
	[BPF_MAP_TYPE_RINGBUF] = MS(0, 0, 4096),
	[BPF_MAP_TYPE_INODE_STORAGE] = MS(4, 8, 0, .flags = BPF_F_NO_PREALLOC, .btf = true),
	[BPF_MAP_TYPE_TASK_STORAGE] = MS(4, 8, 0, .flags = BPF_F_NO_PREALLOC, .btf = true),
	[BPF_MAP_TYPE_BLOOM_FILTER] = MS(0, 4, 1),
	[BPF_MAP_TYPE_USER_RINGBUF] = MS(0, 0, 4096),
	[BPF_MAP_TYPE_CGRP_STORAGE] = MS(4, 8, 0, .flags = BPF_F_NO_PREALLOC, .btf = true),
	[BPF_MAP_TYPE_ARENA] = MS(0, 0, 1, .flags = BPF_F_MMAPABLE),
};
#undef MS

/* BTF for local-storage maps: [1] int, [2] struct { int a; int b; }. */
static int storage_btf(struct prb_cache *c)
{
	struct bbtf *b = NULL;
	const void *raw;
	size_t size;
	int fd = -ENOMEM;

	if (bbtf_new(NULL, &b))
		return -ENOMEM;
	if (bbtf_add_int(b, "int", 4, BTF_INT_SIGNED) != 1 || bbtf_add_struct(b, "val", 8) != 2 ||
	    bbtf_add_member(b, "a", 1, 0, 0) < 0 || bbtf_add_member(b, "b", 1, 32, 0) < 0)
		goto out;
	raw = bbtf_raw_data(b, &size);
	if (!raw)
		goto out;
	c->calls++;
	fd = ldr_btf_load(raw, size, NULL, NULL);
out:
	bbtf_free(b);
	return fd;
}

int prb_map_type(struct prb_cache *c, uint32_t type, struct bb_err *e)
{
	struct prb_ans *a;

	if (type == 0 || type > PRB_MAP_TYPE_MAX)
		return bb_err_insn(e, -EINVAL, -1, "map type %u is not in the table", type);
	a = &c->map[type];
	if (a->state == PRB_UNASKED) {
		const struct map_shape *s = &map_shapes[type];
		LDR_OPTS(ldr_map_create_opts, o, .map_type = type, .key_size = s->key,
			 .value_size = s->value, .max_entries = s->entries, .map_flags = s->flags);
		int inner = -1, btf = -1, fd;

		if (s->inner) {
			LDR_OPTS(ldr_map_create_opts, io, .map_type = BPF_MAP_TYPE_ARRAY,
				 .key_size = 4, .value_size = 4, .max_entries = 1);
			c->calls++;
			inner = ldr_map_create(&io, NULL);
			if (inner < 0) {
				*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-inner };
				return answer(a, e, "map type", ldr_map_type_str(type));
			}
			o.inner_map_fd = inner;
		}
		if (s->btf) {
			btf = storage_btf(c);
			if (btf < 0) {
				*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-btf };
				return answer(a, e, "map type", ldr_map_type_str(type));
			}
			o.btf_fd = btf;
			o.btf_key_type_id = 1;
			o.btf_value_type_id = 2;
		}
		/* Id 1 of vmlinux is never a struct_ops value type, but a kernel
		 * with the map type says so with EINVAL too: struct_ops maps
		 * are only creatable with a real target, which we refuse to
		 * guess.  So this probe answers what creating one asks of the
		 * kernel, nothing more. */
		if (s->vmlinux)
			o.btf_vmlinux_value_type_id = 1;
		c->calls++;
		fd = ldr_map_create(&o, NULL);
		if (fd >= 0) {
			ldr_obj_close(fd);
			*a = (struct prb_ans){ .state = PRB_YES };
		} else {
			*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-fd };
		}
		ldr_obj_close(inner);
		ldr_obj_close(btf);
	}
	return answer(a, e, "map type", ldr_map_type_str(type));
}

/* ------------------------------------------------------------------ */
/* Attach types                                                        */
/* ------------------------------------------------------------------ */

struct attach_row {
	const char *name;
	uint32_t prog_type;
};

static const struct attach_row attach_rows[PRB_ATTACH_TYPE_MAX + 1] = {
	{ "cgroup_inet_ingress", BPF_PROG_TYPE_CGROUP_SKB },
	{ "cgroup_inet_egress", BPF_PROG_TYPE_CGROUP_SKB },
	{ "cgroup_inet_sock_create", BPF_PROG_TYPE_CGROUP_SOCK },
	{ "cgroup_sock_ops", BPF_PROG_TYPE_SOCK_OPS },
	{ "sk_skb_stream_parser", BPF_PROG_TYPE_SK_SKB },
	{ "sk_skb_stream_verdict", BPF_PROG_TYPE_SK_SKB },
	{ "cgroup_device", BPF_PROG_TYPE_CGROUP_DEVICE },
	{ "sk_msg_verdict", BPF_PROG_TYPE_SK_MSG },
	{ "cgroup_inet4_bind", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet6_bind", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet4_connect", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet6_connect", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet4_post_bind", BPF_PROG_TYPE_CGROUP_SOCK },
	{ "cgroup_inet6_post_bind", BPF_PROG_TYPE_CGROUP_SOCK },
	{ "cgroup_udp4_sendmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_udp6_sendmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2 },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR },
	{ "cgroup_sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL },
	{ "cgroup_udp4_recvmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_udp6_recvmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT },
	{ "cgroup_setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT },
	{ "trace_raw_tp", BPF_PROG_TYPE_TRACING },
	{ "trace_fentry", BPF_PROG_TYPE_TRACING },
	{ "trace_fexit", BPF_PROG_TYPE_TRACING },
	{ "modify_return", BPF_PROG_TYPE_TRACING },
	{ "lsm_mac", BPF_PROG_TYPE_LSM },
	{ "trace_iter", BPF_PROG_TYPE_TRACING },
	{ "cgroup_inet4_getpeername", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet6_getpeername", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet4_getsockname", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_inet6_getsockname", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "xdp_devmap", BPF_PROG_TYPE_XDP },
	{ "cgroup_inet_sock_release", BPF_PROG_TYPE_CGROUP_SOCK },
	{ "xdp_cpumap", BPF_PROG_TYPE_XDP },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP },
	{ "xdp", BPF_PROG_TYPE_XDP },
	{ "sk_skb_verdict", BPF_PROG_TYPE_SK_SKB },
	{ "sk_reuseport_select", BPF_PROG_TYPE_SK_REUSEPORT },
	{ "sk_reuseport_select_or_migrate", BPF_PROG_TYPE_SK_REUSEPORT },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT },
	{ "trace_kprobe_multi", BPF_PROG_TYPE_KPROBE },
	{ "lsm_cgroup", BPF_PROG_TYPE_LSM },
	{ "struct_ops", BPF_PROG_TYPE_STRUCT_OPS },
	{ "netfilter", BPF_PROG_TYPE_NETFILTER },
	{ "tcx_ingress", BPF_PROG_TYPE_SCHED_CLS },
	{ "tcx_egress", BPF_PROG_TYPE_SCHED_CLS },
	{ "trace_uprobe_multi", BPF_PROG_TYPE_KPROBE },
	{ "cgroup_unix_connect", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_unix_sendmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_unix_recvmsg", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_unix_getpeername", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "cgroup_unix_getsockname", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "netkit_primary", BPF_PROG_TYPE_SCHED_CLS },
	{ "netkit_peer", BPF_PROG_TYPE_SCHED_CLS },
	{ "trace_kprobe_session", BPF_PROG_TYPE_KPROBE },
	{ "trace_uprobe_session", BPF_PROG_TYPE_KPROBE },
};

const char *prb_attach_type_str(uint32_t type)
{
	return type <= PRB_ATTACH_TYPE_MAX ? attach_rows[type].name : "unknown";
}

uint32_t prb_attach_prog_type(uint32_t type)
{
	return type <= PRB_ATTACH_TYPE_MAX ? attach_rows[type].prog_type : 0;
}

int prb_attach_type(struct prb_cache *c, uint32_t type, struct bb_err *e)
{
	struct prb_ans *a;

	if (type > PRB_ATTACH_TYPE_MAX)
		return bb_err_insn(e, -EINVAL, -1, "attach type %u is not in the table", type);
	a = &c->attach[type];
	if (a->state == PRB_UNASKED) {
		uint32_t pt = attach_rows[type].prog_type;
		struct prog_shape s = prog_shapes[pt];
		/* cgroup_sock_addr programs of the recvmsg/getpeername kinds
		 * must return 1; every other type takes 1 as well. */
		static const struct isa_raw ret1[] = {
			{ .code = 0xb7, .dst = 0, .imm = 1 },
			{ .code = 0x95 },
		};

		s.expected_attach_type = type;
		/* The BTF-based ones ask the verifier for a target the way
		 * their program type does; lsm_cgroup and tracing share it. */
		probe_load(c, pt, type, &s, ret1, BB_ARRAY_SIZE(ret1), a);
	}
	return answer(a, e, "attach type", prb_attach_type_str(type));
}

/* ------------------------------------------------------------------ */
/* BTF kinds                                                           */
/* ------------------------------------------------------------------ */

/* A small BTF that uses @kind (with an int as [1] for references). */
static int btf_with_kind(struct bbtf *b, int kind)
{
	int r = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED), t;

	if (r < 0)
		return r;
	switch (kind) {
	case BTF_KIND_INT:
		return 0;
	case BTF_KIND_PTR:
		return bbtf_add_ptr(b, 1);
	case BTF_KIND_ARRAY:
		return bbtf_add_array(b, 1, 1, 4);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		r = kind == BTF_KIND_STRUCT ? bbtf_add_struct(b, "s", 4) : bbtf_add_union(b, "u", 4);
		return r < 0 ? r : bbtf_add_member(b, "a", 1, 0, 0);
	case BTF_KIND_ENUM:
		r = bbtf_add_enum(b, "e", 4, false);
		return r < 0 ? r : bbtf_add_enum_value(b, "E1", 1);
	case BTF_KIND_FWD:
		return bbtf_add_fwd(b, "f", false);
	case BTF_KIND_TYPEDEF:
		return bbtf_add_typedef(b, "t", 1);
	case BTF_KIND_VOLATILE:
		return bbtf_add_volatile(b, 1);
	case BTF_KIND_CONST:
		return bbtf_add_const(b, 1);
	case BTF_KIND_RESTRICT:
		r = bbtf_add_ptr(b, 1);
		return r < 0 ? r : bbtf_add_restrict(b, (uint32_t)r);
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_FUNC:
		t = bbtf_add_func_proto(b, 1);
		if (t < 0 || (r = bbtf_add_param(b, "x", 1)) < 0)
			return t < 0 ? t : r;
		return kind == BTF_KIND_FUNC ? bbtf_add_func(b, "f", BTF_FUNC_GLOBAL, (uint32_t)t) : 0;
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
		t = bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
		if (t < 0 || kind == BTF_KIND_VAR)
			return t < 0 ? t : 0;
		r = bbtf_add_datasec(b, ".data", 4);
		return r < 0 ? r : bbtf_add_secinfo(b, (uint32_t)t, 0, 4);
	case BTF_KIND_FLOAT:
		return bbtf_add_float(b, "float", 4);
	case BTF_KIND_DECL_TAG:
		r = bbtf_add_struct(b, "s", 4);
		if (r < 0 || (t = bbtf_add_member(b, "a", 1, 0, 0)) < 0)
			return r < 0 ? r : t;
		return bbtf_add_decl_tag(b, "tag", (uint32_t)r, 0);
	case BTF_KIND_TYPE_TAG:
		r = bbtf_add_type_tag(b, "tag", 1);
		return r < 0 ? r : bbtf_add_ptr(b, (uint32_t)r);
	case BTF_KIND_ENUM64:
		r = bbtf_add_enum64(b, "e64", 8, false);
		return r < 0 ? r : bbtf_add_enum_value(b, "BIG", (int64_t)1 << 40);
	default:
		return -EINVAL;
	}
}

int prb_btf_kind(struct prb_cache *c, int kind, struct bb_err *e)
{
	struct prb_ans *a;

	if (kind <= 0 || kind > PRB_BTF_KIND_MAX)
		return bb_err_insn(e, -EINVAL, -1, "BTF kind %d is not in the table", kind);
	a = &c->btf[kind];
	if (a->state == PRB_UNASKED) {
		struct bbtf *b = NULL;
		const void *raw;
		size_t size;
		int r, fd;

		if (bbtf_new(NULL, &b))
			return -ENOMEM;
		r = btf_with_kind(b, kind);
		raw = r < 0 ? NULL : bbtf_raw_data(b, &size);
		if (!raw) {
			bbtf_free(b);
			return bb_err_insn(e, r < 0 ? r : -ENOMEM, -1,
					   "BTF kind %s: cannot build the probe", bbtf_kind_str(kind));
		}
		c->calls++;
		fd = ldr_btf_load(raw, size, NULL, NULL);
		bbtf_free(b);
		if (fd >= 0) {
			ldr_obj_close(fd);
			*a = (struct prb_ans){ .state = PRB_YES };
		} else {
			*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-fd };
		}
	}
	return answer(a, e, "BTF kind", bbtf_kind_str(kind));
}

/* ------------------------------------------------------------------ */
/* Link types                                                          */
/* ------------------------------------------------------------------ */

/* How to ask about one link type. */
enum link_how {
	LINK_CANNOT = 0,        /* not probeable this way (see probe.h) */
	LINK_FD,                /* BPF_LINK_CREATE, target_fd -1 */
	LINK_IFINDEX,           /* BPF_LINK_CREATE, target_ifindex 0 */
	LINK_RAW_TP,            /* BPF_RAW_TRACEPOINT_OPEN of a missing tracepoint */
	LINK_NETFILTER,         /* netfilter pf 0 */
	LINK_KPROBE_MULTI,      /* a symbol no kernel has */
	LINK_UPROBE_MULTI,      /* a file that does not exist */
};

struct link_row {
	const char *name;
	enum link_how how;
	uint32_t prog_type;
	uint32_t attach_type;
	int yes_err;            /* the errno that means "the kernel has it" */
	const char *why_not;    /* LINK_CANNOT: the reason */
};

static const struct link_row link_rows[PRB_LINK_TYPE_MAX + 1] = {
	[BPF_LINK_TYPE_RAW_TRACEPOINT] = { "raw_tracepoint", LINK_RAW_TP,
		BPF_PROG_TYPE_RAW_TRACEPOINT, 0, ENOENT, NULL },
	[BPF_LINK_TYPE_TRACING] = { "tracing", LINK_CANNOT, 0, 0, 0,
		"needs a real BTF attach target" },
	[BPF_LINK_TYPE_CGROUP] = { "cgroup", LINK_FD, BPF_PROG_TYPE_CGROUP_SKB,
		BPF_CGROUP_INET_INGRESS, EBADF, NULL },
	[BPF_LINK_TYPE_ITER] = { "iter", LINK_CANNOT, 0, 0, 0, "needs a real BTF iterator target" },
	[BPF_LINK_TYPE_NETNS] = { "netns", LINK_FD, BPF_PROG_TYPE_FLOW_DISSECTOR,
		BPF_FLOW_DISSECTOR, EBADF, NULL },
	[BPF_LINK_TYPE_XDP] = { "xdp", LINK_CANNOT, 0, 0, 0,
		"a missing device draws EINVAL, the same answer as a missing link type" },
	[BPF_LINK_TYPE_PERF_EVENT] = { "perf_event", LINK_FD, BPF_PROG_TYPE_PERF_EVENT,
		BPF_PERF_EVENT, EBADF, NULL },
	[BPF_LINK_TYPE_KPROBE_MULTI] = { "kprobe_multi", LINK_KPROBE_MULTI, BPF_PROG_TYPE_KPROBE,
		BPF_TRACE_KPROBE_MULTI, ENOENT, NULL },
	[BPF_LINK_TYPE_STRUCT_OPS] = { "struct_ops", LINK_CANNOT, 0, 0, 0,
		"needs a struct_ops map of a real kernel type" },
	[BPF_LINK_TYPE_NETFILTER] = { "netfilter", LINK_NETFILTER, BPF_PROG_TYPE_NETFILTER,
		BPF_NETFILTER, EAFNOSUPPORT, NULL },
	[BPF_LINK_TYPE_TCX] = { "tcx", LINK_IFINDEX, BPF_PROG_TYPE_SCHED_CLS, BPF_TCX_INGRESS,
		ENODEV, NULL },
	[BPF_LINK_TYPE_UPROBE_MULTI] = { "uprobe_multi", LINK_UPROBE_MULTI, BPF_PROG_TYPE_KPROBE,
		BPF_TRACE_UPROBE_MULTI, ENOENT, NULL },
	[BPF_LINK_TYPE_NETKIT] = { "netkit", LINK_CANNOT, 0, 0, 0,
		"a missing device draws EINVAL, the same answer as a missing link type" },
	[BPF_LINK_TYPE_SOCKMAP] = { "sockmap", LINK_FD, BPF_PROG_TYPE_SK_SKB,
		BPF_SK_SKB_STREAM_VERDICT, EBADF, NULL },
};

const char *prb_link_type_str(uint32_t type)
{
	return type >= 1 && type <= PRB_LINK_TYPE_MAX ? link_rows[type].name : "unknown";
}

/*
 * BPF_LINK_CREATE's attr as the kernel has it today: the common head and
 * the per-type union (kprobe_multi 6.0, netfilter 6.4, uprobe_multi 6.6
 * are newer than the 6.1 uapi header for the last two).  Bytes past what
 * a kernel knows must be zero, which they are.
 */
struct prb_attr_link {
	uint32_t prog_fd;
	uint32_t target;                /* target_fd / target_ifindex */
	uint32_t attach_type;
	uint32_t flags;
	union {
		struct {
			uint32_t flags, cnt;
			uint64_t syms, addrs, cookies;
		} kprobe_multi;
		struct {
			uint32_t pf, hooknum;
			int32_t priority;
			uint32_t flags;
		} netfilter;
		struct {
			uint64_t path, offsets, ref_ctr_offsets, cookies;
			uint32_t cnt, flags, pid;
		} uprobe_multi;
		uint64_t pad[6];
	};
};

static int link_try(const struct link_row *r, int prog_fd)
{
	static const char *const sym[] = { "barebpf_probe_no_such_function" };
	static const uint64_t off[] = { 0 };
	struct prb_attr_link a;
	int ret;

	memset(&a, 0, sizeof(a));
	if (r->how == LINK_RAW_TP) {
		struct { uint64_t name; uint32_t prog_fd; uint32_t pad; } rt = {
			.name = (uint64_t)(uintptr_t)"barebpf_probe_no_such_tracepoint",
			.prog_fd = (uint32_t)prog_fd,
		};

		ret = ldr_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &rt, sizeof(rt));
		ldr_obj_close(ret);
		return ret < 0 ? ret : 0;
	}
	a.prog_fd = (uint32_t)prog_fd;
	a.attach_type = r->attach_type;
	switch (r->how) {
	case LINK_FD:
		a.target = (uint32_t)-1;
		break;
	case LINK_KPROBE_MULTI:
		a.kprobe_multi.cnt = 1;
		a.kprobe_multi.syms = (uint64_t)(uintptr_t)sym;
		break;
	case LINK_UPROBE_MULTI:
		a.uprobe_multi.path = (uint64_t)(uintptr_t)"/nonexistent/barebpf-probe";
		a.uprobe_multi.offsets = (uint64_t)(uintptr_t)off;
		a.uprobe_multi.cnt = 1;
		break;
	default:        /* LINK_IFINDEX: 0; LINK_NETFILTER: pf 0 */
		break;
	}
	ret = ldr_sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
	ldr_obj_close(ret);     /* a link to nothing cannot exist, but never leak */
	return ret < 0 ? ret : 0;
}

int prb_link_type(struct prb_cache *c, uint32_t type, struct bb_err *e)
{
	const struct link_row *r;
	struct prb_ans *a;

	if (type == 0 || type > PRB_LINK_TYPE_MAX)
		return bb_err_insn(e, -EINVAL, -1, "link type %u is not in the table", type);
	r = &link_rows[type];
	if (r->how == LINK_CANNOT)
		return bb_err_insn(e, -EOPNOTSUPP, -1, "link type '%s' cannot be probed: %s",
				   r->name, r->why_not);
	a = &c->link[type];
	if (a->state == PRB_UNASKED) {
		struct prog_shape s = prog_shapes[r->prog_type];
		LDR_OPTS(ldr_prog_load_opts, o, .prog_type = r->prog_type, .insns = prog_ret0,
			 .insn_cnt = BB_ARRAY_SIZE(prog_ret0), .license = "GPL",
			 .expected_attach_type = r->attach_type ? r->attach_type
							       : s.expected_attach_type,
			 .prog_flags = s.prog_flags);
		int fd, ret;

		c->calls++;
		fd = ldr_prog_load(&o, NULL);
		if (fd < 0) {
			/* No program of the type: no link of it either. */
			*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-fd };
		} else {
			c->calls++;
			ret = link_try(r, fd);
			ldr_obj_close(fd);
			if (ret == -r->yes_err || ret == 0)
				*a = (struct prb_ans){ .state = PRB_YES };
			else
				*a = (struct prb_ans){ .state = PRB_NO, .err = (int16_t)-ret };
		}
	}
	return answer(a, e, "link type", r->name);
}
