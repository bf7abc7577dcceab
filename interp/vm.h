/* SPDX-License-Identifier: MIT */
/*
 * interp/vm.h - the interpreter.  Prefix: vm_.
 *
 * A struct vm holds one validated, pre-decoded program and runs it on
 * caller memory.  Helpers come from a struct vm_helpers table (id -> C
 * function + name), which the JIT shares.  Two execution modes expand the
 * same instruction bodies: the fast mode trusts a verified program; the
 * checked mode bounds-checks every load and store against the regions it
 * knows (stack frames, the input memory, registered regions) and stops
 * with "insn N: out-of-bounds 4-byte read at 0x... (r1)" instead of
 * faulting, which makes it the soundness oracle for the verifier.
 */
#ifndef BAREBPF_INTERP_VM_H
#define BAREBPF_INTERP_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"

#define VM_STACK_SIZE 512       /* bytes per frame, as the kernel */
#define VM_MAX_CALL_DEPTH 8     /* frames incl. the main one, as the kernel */
#define VM_NREGS 11
#define VM_MAX_TAIL_CALLS 33    /* per run, as the kernel's MAX_TAIL_CALL_CNT */

struct vm;
struct vm_helpers;
struct vm_call;

/*
 * A run that is not the interpreter's (JIT code) hands its helpers a
 * struct vm_call with @vm NULL and @engine set: vm_call_function() and
 * vm_call_mem_ok() then forward to these, so a helper written once works
 * under both engines.
 */
struct vm_call_engine {
	int (*call_function)(struct vm_call *call, uint64_t fn,
			     const uint64_t args[5], uint64_t *r0);
	bool (*mem_ok)(const struct vm_call *call, uint64_t addr, size_t len,
		       bool write);
};

/* What a helper sees of the program calling it. */
struct vm_call {
	struct vm *vm;
	void *user;             /* vm_set_user() */
	uint32_t pc;            /* index of the call instruction */
	int32_t helper_id;
	int stop;               /* a helper sets -errno here to end the run;
				 * it fills `stop_msg` with the reason */
	char stop_msg[128];
	/*
	 * Tail calls: a helper (bpf_tail_call) sets @tail_call to another
	 * loaded vm and the interpreter continues at its first instruction
	 * instead of the next one, as the kernel does: same registers (r1 is
	 * still the context the helper got), same stack frame, and an `exit`
	 * of the new program returns to whoever called the current function.
	 * @tail_calls counts the tail calls already taken in this run; the
	 * helper must refuse (fall through) when it reaches
	 * VM_MAX_TAIL_CALLS, and the interpreter ignores a target past it.
	 */
	struct vm *tail_call;
	uint32_t tail_calls;
	/* For vm_call_function(): the run in progress and its call depth. */
	void *run;
	unsigned depth;
	bool err_set;           /* vm_call_function() already filled the
				 * run's error: @stop is reported as is */
	/* Read only when @vm is NULL (see struct vm_call_engine). */
	const struct vm_call_engine *engine;
};

/* Helper ABI shared by interpreter and JIT: r1..r5 in, r0 out. */
typedef uint64_t (*vm_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3,
				 uint64_t r4, uint64_t r5, struct vm_call *call);

struct vm_helpers *vm_helpers_new(void);
void vm_helpers_free(struct vm_helpers *h);             /* NULL-safe */
/* Add or replace helper @id (0..ISA_HELPER_MAX or a private id up to
 * 65535).  @name defaults to the kernel helper name for that id. */
int vm_helpers_add(struct vm_helpers *h, int32_t id, const char *name,
		   vm_helper_fn fn);
vm_helper_fn vm_helpers_get(const struct vm_helpers *h, int32_t id);
const char *vm_helpers_name(const struct vm_helpers *h, int32_t id);

/*
 * Called after each executed instruction in traced runs: @before and
 * @after are the registers around it, so a tracer can print what changed.
 */
typedef void (*vm_trace_fn)(void *arg, uint32_t pc, const struct isa_insn *in,
			    const uint64_t before[VM_NREGS],
			    const uint64_t after[VM_NREGS]);

struct vm_run_opts {
	bool checked;           /* bounds-check every memory access */
	uint64_t budget;        /* stop after this many insns; 0 = unlimited */
	vm_trace_fn trace;      /* optional; forces the slow path */
	void *trace_arg;
	/* LD_ABS/LD_IND read this buffer; NULL = the input memory. */
	const void *packet;
	size_t packet_len;
	/* Initial r1/r2; when !set_regs they are (mem, mem_len) or (0, 0). */
	bool set_regs;
	uint64_t r1, r2;
};

struct vm_stats {
	uint64_t insns;         /* executed instructions in the last run,
				 * including one that stopped it with an error
				 * (not one refused by the budget) */
	uint32_t tail_calls;    /* tail calls taken in the last run */
};

/* @helpers is borrowed, may be NULL (no helpers), and must outlive @vm. */
struct vm *vm_new(const struct vm_helpers *helpers);
void vm_free(struct vm *vm);                            /* NULL-safe */

/*
 * Validate (isa_validate) and pre-decode @n slots; copies the bytes.
 * ld_imm64 with src 4 (function reference) loads the address of the
 * function's first slot in the vm's copy of the program, which callx
 * recognises.  Map references (src 1, 2, 5, 6) take their value from the
 * map resolver (vm_set_map_resolver); without one, and for a kernel
 * variable (src 3) always, the load fails with "insn N: lddw src S (...):
 * map reference needs a map resolver (vm_set_map_resolver)" and
 * -EOPNOTSUPP rather than run with a made-up value.  A failed load leaves
 * no program loaded.
 */
int vm_load(struct vm *vm, const struct isa_raw *prog, size_t n,
	    struct bb_err *e);

void vm_set_user(struct vm *vm, void *user);

/*
 * Map references.  Called by vm_load() once per ld_imm64 with src
 * ISA_PSEUDO_MAP_FD / _MAP_VALUE / _MAP_IDX / _MAP_IDX_VALUE at @pc, with
 * the instruction's @imm (fd or index) and the second slot's imm @off
 * (value offset); it stores in *@value the 64-bit value the program
 * loads (an opaque map handle for src 1/5, the address of the value plus
 * @off for 2/6) or returns -errno with @e set.  Resolving at load time
 * keeps the run loop free of map lookups.  Without a resolver vm_load()
 * refuses map references.  Set it before vm_load().
 */
typedef int (*vm_map_resolver_fn)(void *ctx, uint32_t pc, uint8_t src,
				  uint32_t imm, uint32_t off, uint64_t *value,
				  struct bb_err *e);
void vm_set_map_resolver(struct vm *vm, vm_map_resolver_fn fn, void *ctx);

/*
 * Call a BPF function of the running program from inside a helper (the
 * callbacks of bpf_loop, bpf_for_each_map_elem, ...): @fn is an
 * ld_imm64-src-4 function address of @call->vm, @args its r1..r5.  It
 * runs in a new frame below the caller's (counted in the call depth,
 * caller frames stay addressable), in the same mode (checked, budget,
 * trace) as the run.  0 and *@r0, or -errno: then the run's error is
 * filled and @call->stop set, so the helper just returns.
 */
int vm_call_function(struct vm_call *call, uint64_t fn, const uint64_t args[5],
		     uint64_t *r0);

/*
 * From inside a helper: is [@addr, @addr+@len) memory the running program
 * owns - one of its live stack frames, the input memory or a registered
 * region (writable, for @write)?  What helpers that read "kernel memory"
 * offline (probe_read_kernel, %s of trace_printk) check first.
 */
bool vm_call_mem_ok(const struct vm_call *call, uint64_t addr, size_t len,
		    bool write);

/* Memory the checked mode accepts besides stack and input (maps, ctx). */
int vm_add_region(struct vm *vm, const void *addr, size_t len, bool writable,
		  const char *name);
void vm_clear_regions(struct vm *vm);

/*
 * Run with r1 = @mem, r2 = @len (r1 = r2 = 0 when @mem is NULL), r10 = top
 * of a fresh 512-byte frame.  On success *r0 holds the result and 0 is
 * returned; otherwise -errno and @e says which instruction and why
 * (out-of-bounds access in checked mode, budget exhausted, unknown helper,
 * call depth exceeded, a helper's stop).  @opts may be NULL (fast mode).
 *
 * The stack (VM_MAX_CALL_DEPTH zeroed frames) lives in vm_run()'s own C
 * stack frame, so concurrent runs of one loaded vm do not share memory;
 * only vm_stats() is per vm.  callx takes either an lddw-src-4 function
 * address (a bpf-to-bpf call) or a helper id.  A legacy packet load
 * outside the packet ends the whole program with r0 = 0, as the kernel.
 * Errors: -EFAULT out-of-bounds (checked mode), -ETIME budget, -ENOENT
 * unknown helper, -E2BIG call depth, -EINVAL bad callx target,
 * -EOPNOTSUPP kfunc call, or the helper's own code.  Tail calls taken
 * are in vm_stats()->tail_calls.
 */
int vm_run(struct vm *vm, void *mem, size_t len, const struct vm_run_opts *opts,
	   uint64_t *r0, struct bb_err *e);

const struct vm_stats *vm_stats(const struct vm *vm);

#endif
