/* SPDX-License-Identifier: MIT */
/*
 * env/env_internal.h - what the env_*.c files share.  Not installed.
 */
#ifndef BAREBPF_ENV_ENV_INTERNAL_H
#define BAREBPF_ENV_ENV_INTERNAL_H

#include "env/env.h"
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
	bool checked;
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

/* env_ctx.c */
int env_ctx_prepare(struct env *env, struct env_prog *p,
		    const struct env_run_in *in, struct bb_err *e);
int env_ctx_finish(struct env *env, struct env_prog *p,
		   struct env_run_out *out, struct bb_err *e);

#endif
