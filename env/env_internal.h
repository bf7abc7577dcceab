/* SPDX-License-Identifier: MIT */
/*
 * env/env_internal.h - what the env_*.c files share.  Not installed.
 */
#ifndef BAREBPF_ENV_ENV_INTERNAL_H
#define BAREBPF_ENV_ENV_INTERNAL_H

#include "env/env.h"
#include "jit-x86_64/jit.h"
#include "maps/maps.h"

/* Kernel constants the offline contexts mimic. */
#define ENV_XDP_HEADROOM 256u           /* XDP_PACKET_HEADROOM */
#define ENV_XDP_FRAME 4096u             /* test_run's frame: one page */
#define ENV_SKB_SHINFO 320u             /* SKB_DATA_ALIGN(sizeof(skb_shared_info)) */
#define ENV_SKB_HEADROOM 66u            /* NET_SKB_PAD + NET_IP_ALIGN */
#define ENV_ETH_HLEN 14u
#define ENV_TP_MAX 2048u                /* PERF_MAX_TRACE_SIZE */
#define ENV_RAW_TP_ARGS 12u             /* MAX_BPF_FUNC_ARGS */
#define ENV_PT_REGS_SIZE 168u           /* x86-64 struct pt_regs */
#define ENV_PERF_DATA_SIZE 184u         /* struct bpf_perf_event_data */
#define ENV_SKB_SIZE 192u               /* struct __sk_buff */
#define ENV_XDP_MD_SIZE 24u             /* struct xdp_md */
#define ENV_PKT_MAP (64u << 10)         /* the MAP_32BIT packet area */
#define ENV_PRINTK_MAX 1024u            /* bpf_trace_printk's buffer */

/* __sk_buff offsets the environment fills (uapi, checked in tests). */
enum {
	SKB_LEN = 0, SKB_PKT_TYPE = 4, SKB_MARK = 8, SKB_QUEUE_MAPPING = 12,
	SKB_PROTOCOL = 16, SKB_VLAN_PRESENT = 20, SKB_VLAN_TCI = 24,
	SKB_VLAN_PROTO = 28, SKB_PRIORITY = 32, SKB_INGRESS_IFINDEX = 36,
	SKB_IFINDEX = 40, SKB_TC_INDEX = 44, SKB_CB = 48, SKB_HASH = 68,
	SKB_TC_CLASSID = 72, SKB_DATA = 76, SKB_DATA_END = 80, SKB_NAPI_ID = 84,
	SKB_FAMILY = 88, SKB_REMOTE_IP4 = 92, SKB_LOCAL_IP4 = 96,
	SKB_REMOTE_IP6 = 100, SKB_LOCAL_IP6 = 116, SKB_REMOTE_PORT = 132,
	SKB_LOCAL_PORT = 136, SKB_DATA_META = 140, SKB_FLOW_KEYS = 144,
	SKB_TSTAMP = 152, SKB_WIRE_LEN = 160, SKB_GSO_SEGS = 164, SKB_SK = 168,
	SKB_GSO_SIZE = 176, SKB_TSTAMP_TYPE = 180, SKB_HWTSTAMP = 184,
};
enum {
	XDP_MD_DATA = 0, XDP_MD_DATA_END = 4, XDP_MD_DATA_META = 8,
	XDP_MD_INGRESS_IFINDEX = 12, XDP_MD_RX_QUEUE = 16, XDP_MD_EGRESS_IFINDEX = 20,
};

struct env_prog {
	char *name;
	char *section;
	uint32_t type;
	uint32_t attach_type;
	uint32_t id;                    /* > 0, what prog arrays report */
	struct vm *vm;
	struct env *env;
	struct bb_err err;              /* why it did not load (keep_going) */
	bool failed;
	/* For the JIT (env_jit.c): the instructions vm_load() got, and the
	 * code compiled from them on first use, fast [0] and checked [1];
	 * a compile that failed is not retried (jit_err says why). */
	struct isa_raw *insns;
	size_t n;
	struct jit_prog *jit[2];
	struct bb_err jit_err[2];
	bool jit_tried[2];
};

struct env_map_ent {
	struct map *m;
	char *name;
};

struct env_mem {
	uintptr_t addr;
	size_t len;
	enum env_mem_kind kind;
	void *owned;                    /* env_mem_add()'s copy, else NULL */
};

/* A ring buffer reservation not yet submitted or discarded. */
struct env_rb_res {
	struct map *m;
	void *sample;
};

/* The run in progress: what the helpers act on. */
struct env_cur {
	struct env_prog *prog;
	struct vm *vm;                  /* the vm env_run started */
	struct jit_prog *jit;           /* or the JIT code it started */
	bool checked;
	/* JIT runs: a tail call whose target did not compile falls through
	 * in the code; env_run() then fails the run with this error. */
	bool tail_failed;
	struct bb_err tail_err;
	uint8_t *ctx;                   /* the context the program got */
	size_t ctx_len;
	/* Packet programs: [data_meta, data_end) inside [buf, buf + cap),
	 * below 2 GiB (see env.h). */
	uint8_t *buf;
	size_t cap;
	uint8_t *data, *data_end, *data_meta;
	size_t tail_limit;              /* end of room adjust_tail may use */
	struct bb_vec printk;           /* char */
	struct bb_vec records;          /* struct env_record */
	struct bb_vec reserved;         /* struct env_rb_res */
	uint32_t *lock;                 /* the bpf_spin_lock held, if any */
	uint32_t redirect_ifindex;      /* last bpf_redirect target */
	uint64_t redirect_flags;
};

struct env {
	struct vm_helpers *helpers;
	struct bb_vec progs;            /* struct env_prog * */
	struct bb_vec maps;             /* struct env_map_ent */
	struct bb_vec mems;             /* struct env_mem */
	bool loaded_obj;
	struct env_task task;
	uint64_t mono_ns, step_ns, boot_off_ns;
	uint64_t rng;
	uint32_t cpu, ncpus;
	uint64_t kstack[127], ustack[127];
	size_t kstack_n, ustack_n;
	uint32_t next_prog_id;
	uint8_t *pkt_area;              /* MAP_32BIT, ENV_PKT_MAP bytes */
	struct env_cur cur;
};

/*
 * The helper table: X(id, name, ret, arg1..arg5, gpl_only, pkt_access).
 * Each row's function is env_h_<name>, in the env_helpers_*.c file of
 * its seam (maps, packets, tracing) or env_printk.c.
 */
#define ENV_HELPER_TABLE(X)                                                     \
	X(1, map_lookup_elem, MAP_VALUE_OR_NULL, CONST_MAP_PTR, PTR_TO_MAP_KEY, NONE, NONE, NONE, 0, 0) \
	X(2, map_update_elem, INTEGER, CONST_MAP_PTR, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, ANYTHING, NONE, 0, 0) \
	X(3, map_delete_elem, INTEGER, CONST_MAP_PTR, PTR_TO_MAP_KEY, NONE, NONE, NONE, 0, 0) \
	X(4, probe_read, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(5, ktime_get_ns, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(6, trace_printk, INTEGER, PTR_TO_MEM, CONST_SIZE, ANYTHING, ANYTHING, ANYTHING, 1, 0) \
	X(7, get_prandom_u32, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(8, get_smp_processor_id, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(9, skb_store_bytes, INTEGER, PTR_TO_CTX, ANYTHING, PTR_TO_MEM, CONST_SIZE, ANYTHING, 0, 1) \
	X(12, tail_call, VOID, PTR_TO_CTX, CONST_MAP_PTR, ANYTHING, NONE, NONE, 0, 0) \
	X(14, get_current_pid_tgid, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(15, get_current_uid_gid, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(16, get_current_comm, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE, NONE, NONE, NONE, 0, 0) \
	X(23, redirect, INTEGER, ANYTHING, ANYTHING, NONE, NONE, NONE, 0, 0) \
	X(25, perf_event_output, INTEGER, PTR_TO_CTX, CONST_MAP_PTR, ANYTHING, PTR_TO_MEM, CONST_SIZE_OR_ZERO, 1, 0) \
	X(26, skb_load_bytes, INTEGER, PTR_TO_CTX, ANYTHING, PTR_TO_UNINIT_MEM, CONST_SIZE, NONE, 0, 0) \
	X(27, get_stackid, INTEGER, PTR_TO_CTX, CONST_MAP_PTR, ANYTHING, NONE, NONE, 1, 0) \
	X(28, csum_diff, INTEGER, PTR_TO_MEM_OR_NULL, CONST_SIZE_OR_ZERO, PTR_TO_MEM_OR_NULL, CONST_SIZE_OR_ZERO, ANYTHING, 0, 0) \
	X(35, get_current_task, INTEGER, NONE, NONE, NONE, NONE, NONE, 1, 0) \
	X(42, get_numa_node_id, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(44, xdp_adjust_head, INTEGER, PTR_TO_CTX, ANYTHING, NONE, NONE, NONE, 0, 1) \
	X(45, probe_read_str, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(51, redirect_map, INTEGER, CONST_MAP_PTR, ANYTHING, ANYTHING, NONE, NONE, 0, 0) \
	X(54, xdp_adjust_meta, INTEGER, PTR_TO_CTX, ANYTHING, NONE, NONE, NONE, 0, 1) \
	X(65, xdp_adjust_tail, INTEGER, PTR_TO_CTX, ANYTHING, NONE, NONE, NONE, 0, 1) \
	X(67, get_stack, INTEGER, PTR_TO_CTX, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, 1, 0) \
	X(87, map_push_elem, INTEGER, CONST_MAP_PTR, PTR_TO_MAP_VALUE, ANYTHING, NONE, NONE, 0, 0) \
	X(88, map_pop_elem, INTEGER, CONST_MAP_PTR, PTR_TO_UNINIT_MEM, NONE, NONE, NONE, 0, 0) \
	X(89, map_peek_elem, INTEGER, CONST_MAP_PTR, PTR_TO_UNINIT_MEM, NONE, NONE, NONE, 0, 0) \
	X(93, spin_lock, VOID, PTR_TO_SPIN_LOCK, NONE, NONE, NONE, NONE, 0, 0) \
	X(94, spin_unlock, VOID, PTR_TO_SPIN_LOCK, NONE, NONE, NONE, NONE, 0, 0) \
	X(112, probe_read_user, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(113, probe_read_kernel, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(114, probe_read_user_str, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(115, probe_read_kernel_str, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 1, 0) \
	X(125, ktime_get_boot_ns, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(130, ringbuf_output, INTEGER, CONST_MAP_PTR, PTR_TO_MEM, CONST_SIZE_OR_ZERO, ANYTHING, NONE, 0, 0) \
	X(131, ringbuf_reserve, ALLOC_MEM_OR_NULL, CONST_MAP_PTR, CONST_ALLOC_SIZE_OR_ZERO, ANYTHING, NONE, NONE, 0, 0) \
	X(132, ringbuf_submit, VOID, PTR_TO_ALLOC_MEM, ANYTHING, NONE, NONE, NONE, 0, 0) \
	X(133, ringbuf_discard, VOID, PTR_TO_ALLOC_MEM, ANYTHING, NONE, NONE, NONE, 0, 0) \
	X(134, ringbuf_query, INTEGER, CONST_MAP_PTR, ANYTHING, NONE, NONE, NONE, 0, 0) \
	X(158, get_current_task_btf, BTF_ID, NONE, NONE, NONE, NONE, NONE, 1, 0) \
	X(160, ktime_get_coarse_ns, INTEGER, NONE, NONE, NONE, NONE, NONE, 0, 0) \
	X(164, for_each_map_elem, INTEGER, CONST_MAP_PTR, PTR_TO_FUNC, PTR_TO_STACK_OR_NULL, ANYTHING, NONE, 0, 0) \
	X(165, snprintf, INTEGER, PTR_TO_UNINIT_MEM, CONST_SIZE_OR_ZERO, PTR_TO_CONST_STR, PTR_TO_MEM_OR_NULL, CONST_SIZE_OR_ZERO, 0, 0) \
	X(177, trace_vprintk, INTEGER, PTR_TO_MEM, CONST_SIZE, PTR_TO_MEM_OR_NULL, CONST_SIZE_OR_ZERO, NONE, 1, 0) \
	X(181, loop, INTEGER, ANYTHING, PTR_TO_FUNC, PTR_TO_STACK_OR_NULL, ANYTHING, NONE, 0, 0) \
	X(182, strncmp, INTEGER, PTR_TO_MEM, CONST_SIZE, PTR_TO_CONST_STR, NONE, NONE, 0, 0) \
	X(189, xdp_load_bytes, INTEGER, PTR_TO_CTX, ANYTHING, PTR_TO_UNINIT_MEM, CONST_SIZE, NONE, 0, 0) \
	X(190, xdp_store_bytes, INTEGER, PTR_TO_CTX, ANYTHING, PTR_TO_MEM, CONST_SIZE, NONE, 0, 1) \
	X(195, map_lookup_percpu_elem, MAP_VALUE_OR_NULL, CONST_MAP_PTR, PTR_TO_MAP_KEY, ANYTHING, NONE, NONE, 0, 0)

#define X(id, name, ...)                                                        \
	uint64_t env_h_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, \
			      uint64_t r5, struct vm_call *call);
ENV_HELPER_TABLE(X)
#undef X

/* env_helpers_*.c */
struct env *env_of(const struct vm_call *call);
/* Stop the run from inside a helper with a message. */
uint64_t env_stop(struct vm_call *call, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* May the program's helper read/write [addr, addr+len) as kernel memory
 * (its stack, context, packet, registered regions, env kernel memory)? */
bool env_mem_ok(struct vm_call *call, uint64_t addr, size_t len, bool write);
bool env_mem_in(const struct env *env, enum env_mem_kind kind, uint64_t addr,
		size_t len);
/* Inside the value storage of one of the env's arrays (global data)? */
bool env_in_array_value(const struct env *env, uint64_t addr, size_t len);
/* Record a map value pointer for checked mode. */
void env_note_region(struct env *env, void *p, size_t len, bool writable,
		     const char *name);
int env_map_index(const struct env *env, const struct map *m);
bool env_is_map(const struct env *env, uint64_t handle);

/* env_printk.c: the kernel's bpf_bprintf_prepare rules.  Formats @fmt
 * (@fmt_size bytes incl. the NUL) with @args into @out (@size bytes).
 * Returns the length snprintf would have (>= 0) or -EINVAL. */
int env_bprintf(struct vm_call *call, const char *fmt, uint32_t fmt_size,
		const uint64_t *args, uint32_t nargs, char *out, size_t size);

/* env.c: lddw map references (the vm_map_resolver_fn of every program,
 * interpreted or compiled; @ctx is the env). */
int env_resolve_map(void *ctx, uint32_t pc, uint8_t src, uint32_t imm,
		    uint32_t off, uint64_t *value, struct bb_err *e);
/* Memory a checked run accepts (the vm's or the JIT code's regions). */
int env_add_region(struct env *env, const void *addr, size_t len, bool writable,
		   const char *name);

/* env_jit.c: @p compiled for the JIT (cached); -errno with @e if it does
 * not compile. */
int env_jit_get(struct env *env, struct env_prog *p, bool checked,
		struct jit_prog **out, struct bb_err *e);
/* The jit_run_opts.tail_call hook: @arg is the env. */
const struct jit_prog *env_jit_tail_call(void *arg, uint64_t map, uint64_t index);
void env_jit_free(struct env_prog *p);

/* env_ctx.c */
int env_ctx_prepare(struct env *env, struct env_prog *p,
		    const struct env_run_in *in, struct bb_err *e);
int env_ctx_finish(struct env *env, struct env_prog *p,
		   struct env_run_out *out, struct bb_err *e);

#endif
