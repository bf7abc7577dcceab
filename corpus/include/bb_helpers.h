/* SPDX-License-Identifier: MIT */
/*
 * bb_helpers.h - what a BPF C program needs besides its types: section
 * placement, the BTF map-definition macros, extern markers, and prototypes
 * of the kernel helpers the corpus calls.
 *
 * Include vmlinux.h (or your own uapi types) first: the prototypes use
 * __u32/__u64 and the map macros use the BPF_MAP_TYPE_* enum values.
 *
 * Encodings are the ones every loader (libbpf, barebpf's elf/) expects, so
 * objects built with this header load anywhere:
 *
 *   - A BTF-defined map is a global struct in section ".maps" whose members
 *     carry numbers in their *types*, not values: `int (*type)[N]` says
 *     "type = N" (the array dimension), `K *key` gives the key type,
 *     `V *values[]` names the inner map or program type of a map-in-map
 *     or prog array whose slots are filled by `.values = { ... }`.
 *     __ulong() carries a 64-bit number as an enumerator value.
 *   - Helpers are called by number: a helper "function" is a constant
 *     pointer whose value is the helper id, so clang emits `call ID`.
 *     The ids are the kernel's uapi enum bpf_func_id and must match
 *     isa/isa_helpers.h (tests/corpus checks every line below).
 */
#ifndef BAREBPF_CORPUS_BB_HELPERS_H
#define BAREBPF_CORPUS_BB_HELPERS_H

/* ---- placement and attributes ------------------------------------------ */

/* The loader derives program type and attach point from the section name. */
#define SEC(name) __attribute__((section(name), used))

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
/* Kernel symbols (variables by BTF, functions = kfuncs) and Kconfig values,
 * both resolved by the loader at load time. */
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))
/* A global function or variable that the object does not export (the
 * verifier still checks a hidden global function on its own). */
#define __hidden __attribute__((visibility("hidden")))

/* ---- BTF map definitions ------------------------------------------------ */

#define bb__cat_(a, b) a##b
#define bb__cat(a, b) bb__cat_(a, b)

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __ulong(name, val) enum { bb__cat(bb__ulong_, __COUNTER__) = val } name

/* Values of the `pinning` map attribute. */
#define LIBBPF_PIN_NONE 0
#define LIBBPF_PIN_BY_NAME 1

/* The pre-BTF map definition, placed in section "maps".  A loader reads the
 * section as an array of these (the symbol table gives each one its name). */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

/* ---- uapi constants the corpus uses ------------------------------------- */
/*
 * vmlinux.h already has these as enumerators; define them only when it is
 * absent, otherwise the macro would rewrite the enumerator's name.
 */
#ifndef __VMLINUX_H__
#define BPF_ANY 0
#define BPF_NOEXIST 1
#define BPF_EXIST 2
#define BPF_F_NO_PREALLOC (1U << 0)
#define BPF_F_RDONLY_PROG (1U << 7)
#define BPF_F_INNER_MAP (1U << 12)
#define BPF_F_USER_STACK (1ULL << 8)
#define BPF_F_FAST_STACK_CMP (1ULL << 9)
#define BPF_F_INDEX_MASK 0xffffffffULL
#define BPF_F_CURRENT_CPU BPF_F_INDEX_MASK
#define BPF_RB_NO_WAKEUP (1ULL << 0)
#define BPF_RB_FORCE_WAKEUP (1ULL << 1)
#endif

/* ---- helpers: static const function pointers whose value is the id ------ */

struct bpf_perf_event_data;
struct task_struct;
struct __sk_buff;
struct xdp_md;

static void *(* const bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
static long (* const bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *) 2;
static long (* const bpf_map_delete_elem)(void *map, const void *key) = (void *) 3;
static __u64 (* const bpf_ktime_get_ns)(void) = (void *) 5;
static long (* const bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) = (void *) 6;
static __u32 (* const bpf_get_prandom_u32)(void) = (void *) 7;
static __u32 (* const bpf_get_smp_processor_id)(void) = (void *) 8;
static long (* const bpf_tail_call)(void *ctx, void *prog_array_map, __u32 index) = (void *) 12;
static __u64 (* const bpf_get_current_pid_tgid)(void) = (void *) 14;
static __u64 (* const bpf_get_current_uid_gid)(void) = (void *) 15;
static long (* const bpf_get_current_comm)(void *buf, __u32 size_of_buf) = (void *) 16;
static long (* const bpf_perf_event_output)(void *ctx, void *map, __u64 flags, void *data, __u64 size) = (void *) 25;
static long (* const bpf_skb_load_bytes)(const void *skb, __u32 offset, void *to, __u32 len) = (void *) 26;
static long (* const bpf_get_stackid)(void *ctx, void *map, __u64 flags) = (void *) 27;
static __s64 (* const bpf_csum_diff)(__u32 *from, __u32 from_size, __u32 *to, __u32 to_size, __u32 seed) = (void *) 28;
static __u64 (* const bpf_get_current_task)(void) = (void *) 35;
static __u64 (* const bpf_get_socket_cookie)(void *ctx) = (void *) 46;
static long (* const bpf_map_push_elem)(void *map, const void *value, __u64 flags) = (void *) 87;
static long (* const bpf_map_pop_elem)(void *map, void *value) = (void *) 88;
static long (* const bpf_map_peek_elem)(void *map, void *value) = (void *) 89;
static long (* const bpf_probe_read_user)(void *dst, __u32 size, const void *unsafe_ptr) = (void *) 112;
static long (* const bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) = (void *) 113;
static long (* const bpf_probe_read_user_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *) 114;
static long (* const bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *) 115;
static __u64 (* const bpf_ktime_get_boot_ns)(void) = (void *) 125;
static long (* const bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size, __u64 flags) = (void *) 130;
static void *(* const bpf_ringbuf_reserve)(void *ringbuf, __u64 size, __u64 flags) = (void *) 131;
static void (* const bpf_ringbuf_submit)(void *data, __u64 flags) = (void *) 132;
static void (* const bpf_ringbuf_discard)(void *data, __u64 flags) = (void *) 133;
static void *(* const bpf_per_cpu_ptr)(const void *percpu_ptr, __u32 cpu) = (void *) 153;
static void *(* const bpf_this_cpu_ptr)(const void *percpu_ptr) = (void *) 154;
static struct task_struct *(* const bpf_get_current_task_btf)(void) = (void *) 158;
static long (* const bpf_for_each_map_elem)(void *map, void *callback_fn, void *callback_ctx, __u64 flags) = (void *) 164;
static long (* const bpf_xdp_load_bytes)(struct xdp_md *xdp_md, __u32 offset, void *buf, __u32 len) = (void *) 189;
static long (* const bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) = (void *) 181;

/* ---- conveniences -------------------------------------------------------- */

/* printk with the format kept on the stack (readable in
 * /sys/kernel/tracing/trace_pipe).  Debug only: it is slow. */
#define bpf_printk(fmt, ...) ({ \
	char bb__fmt[] = fmt; \
	bpf_trace_printk(bb__fmt, sizeof(bb__fmt), ##__VA_ARGS__); \
})

/* Stop the compiler from reasoning about a variable's value (it would
 * otherwise fold range checks the verifier needs to see). */
#define barrier_var(var) asm volatile("" : "+r"(var))

#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif

#endif
