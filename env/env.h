/* SPDX-License-Identifier: MIT */
/*
 * env/env.h - the offline execution environment.  Prefix: env_.
 *
 * An env is everything a BPF program sees besides its own code: the maps
 * of its object (maps/), the helper functions (one data table, shared by
 * the interpreter and the JIT through struct vm_helpers), the context of
 * its program type (a __sk_buff over a packet, an xdp_md, a tracepoint
 * record, raw_tp arguments, pt_regs, perf_event data), a virtual task,
 * clock, CPU and random generator the caller controls, and memory regions
 * that bpf_probe_read_*() may read.  env_run() runs one program once (or
 * N times) and hands back r0, the output packet, the captured
 * trace_printk text and the ring buffer / perf records.
 *
 * The context layout tables below are data, shared with the verifier:
 * for each program type, which bytes of the context a program may read
 * or write, with which sizes, what pointer a load produces and what the
 * kernel's convert_ctx_access rewrites the access to.
 *
 * Packet pointers in 32-bit context fields.  __sk_buff.data/data_end/
 * data_meta and xdp_md.data/data_end/data_meta are __u32 in the uapi
 * struct, and the kernel rewrites a 4-byte load of them into an 8-byte
 * load of the real pointer.  Rewriting loads at load time needs to know
 * which register holds the context at every load (a verifier's job), so
 * offline we do the other faithful thing: the packet buffer is mmap'ed
 * with MAP_32BIT, below 2 GiB, and the fields hold the real addresses.
 * A 4-byte load then yields, zero-extended, exactly the pointer the
 * kernel would give, with no change to the program, in the interpreter
 * and in JIT-compiled code alike.  Helpers that move the packet start
 * (xdp_adjust_head/meta) update the fields the same way.
 *
 * An env is single-threaded: one run at a time.  Library code: nothing
 * here prints or exits; errors are -errno plus a struct bb_err.
 */
#ifndef BAREBPF_ENV_ENV_H
#define BAREBPF_ENV_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "interp/vm.h"

struct env;
struct env_prog;
struct obj;
struct map;                     /* maps/maps.h */

/* ------------------------------------------------------------------ */
/* Context layouts (data tables, shared with the verifier)             */
/* ------------------------------------------------------------------ */

/* Access permissions of one context field, per program type. */
enum env_ctx_acc {
	ENV_CTX_READ   = 1u << 0,       /* loads of the whole field */
	ENV_CTX_WRITE  = 1u << 1,       /* stores of the whole field (STX/ST) */
	ENV_CTX_NARROW = 1u << 2,       /* loads of 1/2/4 bytes inside it too
					 * (bpf_ctx_narrow_access_ok) */
	ENV_CTX_ANY_SIZE = 1u << 3,     /* any aligned 1/2/4/8-byte access
					 * inside the field's range, reads and
					 * permitted writes (__sk_buff.cb) */
};

/* What a load of the field gives the program (the verifier's reg type). */
enum env_ctx_reg {
	ENV_REG_SCALAR,
	ENV_REG_PKT,                    /* PTR_TO_PACKET (data) */
	ENV_REG_PKT_END,                /* PTR_TO_PACKET_END (data_end) */
	ENV_REG_PKT_META,               /* PTR_TO_PACKET_META (data_meta) */
	ENV_REG_FLOW_KEYS,              /* PTR_TO_FLOW_KEYS */
	ENV_REG_SOCK_OR_NULL,           /* PTR_TO_SOCK_COMMON_OR_NULL (skb->sk) */
};

/* What the kernel's convert_ctx_access turns the access into, and how
 * the offline environment provides the same value. */
enum env_ctx_conv {
	ENV_CONV_DIRECT,        /* the bytes are the value (raw_tp args,
				 * tracepoint records, pt_regs, cb[]) */
	ENV_CONV_KERNEL,        /* a load/store of a kernel struct field
				 * (skb->mark...): offline, env fills the
				 * field before the run and reads writes back */
	ENV_CONV_PKT_PTR,       /* u32 field -> 64-bit pointer load; offline
				 * the packet lives below 2 GiB (see above) */
};

struct env_ctx_field {
	const char *name;       /* "data_end", "cb", "remote_ip6" */
	uint16_t off;           /* byte offset in the uapi struct */
	uint16_t size;          /* bytes of one element */
	uint16_t count;         /* array elements (cb[5]: 5), else 1 */
	uint8_t access;         /* enum env_ctx_acc */
	uint8_t reg;            /* enum env_ctx_reg */
	uint8_t conv;           /* enum env_ctx_conv */
	const char *kernel;     /* what the kernel reads: "skb->len" */
};

/* How accesses outside the field list are judged. */
enum env_ctx_generic {
	ENV_CTX_FIELDS_ONLY,    /* only the listed fields */
	ENV_CTX_ANY_ALIGNED_READ, /* any read with off % size == 0 inside
				 * [min_off, size) (tracepoint, raw_tp,
				 * kprobe pt_regs): no writes */
	ENV_CTX_ANY_ALIGNED_RW, /* the same, writes too (syscall programs:
				 * the context is a plain user buffer) */
};

struct env_ctx_layout {
	uint32_t prog_type;     /* enum bpf_prog_type */
	const char *type_name;  /* "__sk_buff", "xdp_md", "pt_regs", "u64[12]" */
	uint32_t size;          /* bytes of the context the program addresses */
	uint32_t min_off;       /* tracepoint: 8 (common fields unreadable) */
	uint8_t generic;        /* enum env_ctx_generic */
	const struct env_ctx_field *fields;
	size_t field_cnt;
};

/*
 * The layout for a program type (and expected attach type, which decides
 * e.g. xdp_md.egress_ifindex for devmap programs).  NULL if the type has
 * no offline context.  Tracepoint records are variable: their layout has
 * size PERF_MAX_TRACE_SIZE (the kernel's bound) and the generic rule.
 */
const struct env_ctx_layout *env_ctx_layout(uint32_t prog_type,
					    uint32_t attach_type);
/* Every layout, for tests and `barebpf` help. */
const struct env_ctx_layout *env_ctx_layouts(size_t *n);

/*
 * Is a @size-byte access at @off (a store if @write) allowed by the
 * kernel's is_valid_access for @l?  0 and *field (may be NULL: generic
 * access) on success; -EACCES with "invalid bpf_context access off=%u
 * size=%u" (the kernel's words) in @e otherwise.
 */
int env_ctx_access(const struct env_ctx_layout *l, uint32_t off,
		   uint32_t size, bool write, const struct env_ctx_field **field,
		   struct bb_err *e);

/* ------------------------------------------------------------------ */
/* Tracepoint record formats                                            */
/* ------------------------------------------------------------------ */

struct env_tp_field {
	char name[64];          /* "filename", "common_pid" */
	char type[96];          /* "const char *", "__data_loc char[]" */
	uint32_t off, size;
	bool is_signed;
	bool data_loc;          /* __data_loc: u32 (len << 16 | offset) */
};

struct env_tp_format {
	char name[128];         /* "sys_enter_openat" */
	uint32_t id;
	uint32_t size;          /* end of the last field */
	struct env_tp_field *fields;
	size_t field_cnt;
};

/* Parse the text of /sys/kernel/tracing/events/<cat>/<name>/format.
 * *out is malloc'ed; free with env_tp_format_free(). */
int env_tp_format_parse(const char *text, struct env_tp_format **out,
			struct bb_err *e);
/* Read <dir>/<cat>/<name>/format; @dir NULL: /sys/kernel/tracing/events,
 * then /sys/kernel/debug/tracing/events. */
int env_tp_format_load(const char *dir, const char *cat, const char *name,
		       struct env_tp_format **out, struct bb_err *e);
void env_tp_format_free(struct env_tp_format *f);     /* NULL-safe */
const struct env_tp_field *env_tp_field(const struct env_tp_format *f,
					const char *name);

/* ------------------------------------------------------------------ */
/* Helpers (one data table)                                             */
/* ------------------------------------------------------------------ */

/* Argument kinds, as the kernel's enum bpf_arg_type (for the verifier). */
enum env_arg {
	ENV_ARG_NONE,           /* no such argument */
	ENV_ARG_ANYTHING,       /* any scalar */
	ENV_ARG_CONST_MAP_PTR,
	ENV_ARG_PTR_TO_MAP_KEY,
	ENV_ARG_PTR_TO_MAP_VALUE,
	ENV_ARG_PTR_TO_MEM,     /* readable memory, size in the next arg */
	ENV_ARG_PTR_TO_MEM_OR_NULL,
	ENV_ARG_PTR_TO_UNINIT_MEM, /* written by the helper, size next */
	ENV_ARG_CONST_SIZE,
	ENV_ARG_CONST_SIZE_OR_ZERO,
	ENV_ARG_CONST_ALLOC_SIZE_OR_ZERO,
	ENV_ARG_PTR_TO_CTX,
	ENV_ARG_PTR_TO_FUNC,    /* ld_imm64 src 4 callback */
	ENV_ARG_PTR_TO_STACK_OR_NULL,
	ENV_ARG_PTR_TO_ALLOC_MEM, /* ringbuf record */
	ENV_ARG_PTR_TO_SPIN_LOCK,
	ENV_ARG_PTR_TO_LONG,    /* 8 writable bytes */
	ENV_ARG_PTR_TO_CONST_STR, /* NUL-terminated read-only map string */
	ENV_ARG_PTR_TO_PERCPU_BTF_ID,
	ENV_ARG_PTR_TO_BTF_ID,
};

enum env_ret {
	ENV_RET_INTEGER,
	ENV_RET_VOID,
	ENV_RET_PTR_TO_MAP_VALUE_OR_NULL,
	ENV_RET_PTR_TO_ALLOC_MEM_OR_NULL,       /* ringbuf_reserve */
	ENV_RET_PTR_TO_BTF_ID,                  /* get_current_task_btf */
	ENV_RET_PTR_TO_MEM_OR_BTF_ID,           /* this_cpu_ptr, per_cpu_ptr */
};

struct env_helper_def {
	int32_t id;             /* isa/isa_helpers.h id */
	const char *name;       /* kernel name without "bpf_" */
	vm_helper_fn fn;
	uint8_t ret;            /* enum env_ret */
	uint8_t args[5];        /* enum env_arg */
	bool gpl_only;
	bool pkt_access;        /* may change packet data: pointers into
				 * the packet are invalid after the call */
};

/* The table, sorted by id. */
const struct env_helper_def *env_helper_defs(size_t *n);
const struct env_helper_def *env_helper_def(int32_t id);   /* NULL if none */

/*
 * Add every helper of the table to @h (vm_helpers_add).  The functions
 * find @env through struct vm_call's user pointer, which env sets on the
 * vms it owns; a vm a caller makes itself needs vm_set_user(vm, env).
 */
int env_helpers_register(struct env *env, struct vm_helpers *h);

/* ------------------------------------------------------------------ */
/* The environment                                                      */
/* ------------------------------------------------------------------ */

struct env *env_new(void);
void env_free(struct env *env);                         /* NULL-safe */

/* What bpf_get_current_*() report. */
struct env_task {
	uint32_t pid;           /* thread id (low half of pid_tgid) */
	uint32_t tgid;          /* process id (high half) */
	uint32_t uid, gid;
	char comm[16];
	uint64_t task;          /* bpf_get_current_task() (an address the
				 * caller may back with env_mem_add()) */
};
void env_set_task(struct env *env, const struct env_task *t);

/* ktime_get_ns() returns @mono_ns and then advances by @step_ns per call;
 * ktime_get_boot_ns() is mono + @boot_off_ns; coarse is mono rounded
 * down to the tick (4 ms, HZ=250). */
void env_set_clock(struct env *env, uint64_t mono_ns, uint64_t step_ns,
		   uint64_t boot_off_ns);
void env_set_seed(struct env *env, uint64_t seed);      /* get_prandom_u32 */
/* The CPU the program runs on (get_smp_processor_id, per-CPU maps,
 * BPF_F_CURRENT_CPU) and how many there are (per-CPU map slots). */
int env_set_cpu(struct env *env, uint32_t cpu, uint32_t ncpus);

/* Memory that bpf_probe_read_{kernel,user}[_str] may read. */
enum env_mem_kind { ENV_MEM_KERNEL, ENV_MEM_USER };
/* Register caller memory (borrowed; must outlive the runs). */
int env_mem_register(struct env *env, enum env_mem_kind kind,
		     const void *addr, size_t len);
/* Copy @len bytes into memory the env owns and register it; returns its
 * address (what a context field should hold) or NULL on ENOMEM. */
void *env_mem_add(struct env *env, enum env_mem_kind kind, const void *data,
		  size_t len);

/* A stack for bpf_get_stackid(): @ips (up to 127) for kernel (@user
 * false) or user stacks of the next runs. */
int env_set_stack(struct env *env, bool user, const uint64_t *ips, size_t n);

/* ------------------------------------------------------------------ */
/* Programs and maps of a loaded object                                 */
/* ------------------------------------------------------------------ */

struct env_load_opts {
	size_t sz;              /* sizeof(struct env_load_opts) */
	/* Per-CPU map slots; 0: the env's ncpus (env_set_cpu, default 1). */
	uint32_t ncpus;
	/* A program that does not load (unresolved extern, bad code) does
	 * not stop the others: env_prog_error() says why and env_run()
	 * refuses it.  Without this the first failure fails the load. */
	bool keep_going;
};

/*
 * Create one map per obj_map() (global data initialised from the
 * object, .rodata/.kconfig frozen: read-only to the program), load every
 * program into an interpreter with map references resolved, then fill
 * prog-array and map-in-map slots.  Programs with unresolved externs do
 * not load (call obj_resolve_externs() first; obj_core_relocate() too for
 * CO-RE against a kernel); kfunc calls load and stop the run when
 * reached.  Once per env, before env_map_add().  The env copies what it
 * needs from @o.
 */
int env_load_obj(struct env *env, const struct obj *o,
		 const struct env_load_opts *opts, struct bb_err *e);

/* A program from raw instructions, with no maps (ld_imm64 src 0 and 4
 * only).  Returns its index or -errno. */
int env_load_insns(struct env *env, const char *name, uint32_t prog_type,
		   uint32_t attach_type, const struct isa_raw *insns, size_t n,
		   struct bb_err *e);

/* Why program @p did not load (keep_going): its error, or NULL. */
const struct bb_err *env_prog_error(const struct env_prog *p);

size_t env_prog_count(const struct env *env);
struct env_prog *env_prog(const struct env *env, size_t i);
/* By function name, else by SEC() name (first match); NULL if none. */
struct env_prog *env_prog_find(const struct env *env, const char *name);
const char *env_prog_name(const struct env_prog *p);
const char *env_prog_section(const struct env_prog *p);
uint32_t env_prog_type(const struct env_prog *p);
uint32_t env_prog_attach_type(const struct env_prog *p);
struct vm *env_prog_vm(const struct env_prog *p);

size_t env_map_count(const struct env *env);
struct map *env_map(const struct env *env, size_t i);  /* maps/ handle */
const char *env_map_name(const struct env *env, size_t i);
int env_map_by_name(const struct env *env, const char *name); /* or -ENOENT */
/* Add @m under @name (the env takes its own reference); returns its
 * index, which ld_imm64 src 1/5 (map) and 2/6 (value) name in programs
 * loaded with env_load_insns(). */
int env_map_add(struct env *env, struct map *m, const char *name);

/* ------------------------------------------------------------------ */
/* Running                                                              */
/* ------------------------------------------------------------------ */

/* What runs the program. */
enum env_engine {
	ENV_ENGINE_INTERP,      /* interp/: budget, trace, insn counts */
	/* jit-x86_64/: the program compiled on first use (kept with it),
	 * the same maps, helpers, contexts and packets; tail calls through
	 * the env's prog arrays, helper callbacks as JIT code.  No budget,
	 * no trace (refused), no instruction count (out.insns is 0). */
	ENV_ENGINE_JIT,
};

struct env_run_in {
	size_t sz;              /* sizeof(struct env_run_in) */
	/* Packet programs (socket filter, tc, XDP): the frame, from the
	 * Ethernet header on, as BPF_PROG_TEST_RUN's data_in. */
	const void *packet;
	size_t packet_len;
	/* The context: for packet programs the optional __sk_buff / xdp_md
	 * input fields as test_run's ctx_in (same rules: which fields may be
	 * set); for tracing programs the whole context bytes (tracepoint
	 * record, raw_tp u64 args, pt_regs, bpf_perf_event_data). */
	const void *ctx;
	size_t ctx_len;
	uint32_t repeat;        /* 0 and 1: once */
	bool checked;           /* vm checked mode (bounds, provenance) */
	uint64_t budget;        /* instructions per run; 0: unlimited */
	vm_trace_fn trace;
	void *trace_arg;
	uint32_t engine;        /* enum env_engine; 0: the interpreter */
};

/* One ring buffer or perf event record produced by a run. */
struct env_record {
	int map;                /* env_map() index */
	uint32_t cpu;           /* perf: the CPU slot written */
	uint8_t *data;
	size_t len;
};

struct env_run_out {
	uint64_t r0;            /* of the last repetition */
	uint8_t *packet;        /* output frame (test_run's data_out) */
	size_t packet_len;
	uint8_t *ctx;           /* context after the run (ctx_out) */
	size_t ctx_len;
	char *printk;           /* trace_printk/snprintf-to-log lines, NUL-terminated */
	size_t printk_len;
	struct env_record *records;
	size_t record_cnt;
	uint64_t insns;         /* executed instructions, last repetition
				 * (interpreter only) */
	uint32_t tail_calls;
};
void env_run_out_free(struct env_run_out *out);        /* NULL-safe, zeroes */

/*
 * Run @p once per repetition on @in, interpreted or as JIT code
 * (@in->engine; a JIT run compiles @p, and the targets of its tail calls,
 * on first use: a program the JIT refuses fails the run with the JIT's
 * error).  Returns 0 with @out filled (owned
 * by the caller: env_run_out_free()), or -errno with @e naming the
 * program's section and the instruction (an unknown helper: "insn N:
 * helper <id> (<name>) not available offline").
 */
int env_run(struct env *env, struct env_prog *p, const struct env_run_in *in,
	    struct env_run_out *out, struct bb_err *e);

/* "XDP_DROP", "TC_ACT_OK", "SK_PASS"...: r0 read as @prog_type's verdict;
 * NULL for program types whose r0 is not a verdict. */
const char *env_verdict_name(uint32_t prog_type, uint64_t r0);

#endif
