/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit.h - the x86-64 JIT.  Prefix: jit_.
 *
 * jit_compile() turns a program the interpreter accepts (the same
 * isa_validate() rules, the same lddw sources) into native code in its own
 * anonymous mapping, written and then made read+exec (W^X).  jit_run()
 * runs it with the interpreter's conventions: r1 = memory, r2 = its length
 * (both 0 without memory), r10 = top of a zeroed 512-byte frame, eight
 * frames for bpf-to-bpf calls, helpers from the same struct vm_helpers
 * table through the same vm_helper_fn ABI (the struct vm_call * is the 6th
 * argument; its `vm` is NULL in JIT runs), callx to an lddw-src-4 function
 * address or a helper id, LD_ABS/LD_IND that end the program with r0 = 0
 * outside the packet, and the same error records ("insn N: ...").
 *
 * Register map (the kernel's): r0 rax, r1 rdi, r2 rsi, r3 rdx, r4 rcx,
 * r5 r8, r6 rbx, r7 r13, r8 r14, r9 r15, r10 rbp.  r1..r5 are the SysV
 * argument registers, so a helper call moves nothing; r6..r9 and r10 are
 * callee-saved, so they survive it.  r12 holds the run context; r9, r10
 * and r11 are scratch (r10 is the constant-blinding register).
 *
 * Helpers are resolved when compiling (a `call` to a missing helper
 * compiles to "insn N: helper K not available offline" at run time, as
 * the interpreter reports it); callx looks its helper id up in a snapshot
 * of the table taken at compile time.  The table must outlive the program.
 * Unlike the interpreter, a helper call leaves r1..r5 undefined (as in the
 * kernel), which verified programs never read.
 *
 * Helpers get a struct vm_call whose `vm` is NULL and whose `engine`
 * (struct vm_call_engine) points back into the JIT, so the interpreter's
 * vm_call_function() and vm_call_mem_ok() work unchanged from a helper
 * JIT code called: a callback (bpf_loop, for_each_map_elem) names a
 * function by its lddw-src-4 address, i.e. a slot of the copy of the
 * program (or of a program the run tail-called into), and runs as JIT
 * code in a new frame below its caller's, in the same run: the call
 * depth limit, tail-call count, checked-mode regions and error record
 * are the run's, and an error inside the callback stops the whole run
 * with the callback's instruction and message.  A helper that asks for
 * a tail call through vm_call.tail_call stops the run with -EOPNOTSUPP
 * (the JIT's tail calls are jit_opts.tail_calls).
 */
#ifndef BAREBPF_JIT_X86_64_JIT_H
#define BAREBPF_JIT_X86_64_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"
#include "interp/vm.h"

#define JIT_MAX_TAIL_CALLS 33   /* per run, the kernel's MAX_TAIL_CALL_CNT */

struct jit_prog;

struct jit_opts {
	/* Bounds-check every load, store and atomic against the regions the
	 * checked interpreter knows (live stack frames, the input memory,
	 * jit_add_region()), with the interpreter's error text. */
	bool checked;
	/* Constant blinding: no immediate of the program appears verbatim in
	 * the image (each is xor-split with a random key into r10). */
	bool blind;
	uint64_t blind_seed;    /* 0: a random seed per compile */
	/* Compile `call 12` (bpf_tail_call(ctx, map, index)) as a tail call
	 * resolved by jit_run_opts.tail_call instead of a helper call. */
	bool tail_calls;
	/* Map references (lddw src 1, 2, 5, 6): the interpreter's resolver
	 * type and contract (vm_set_map_resolver), called once per such lddw
	 * while compiling.  Without one those sources are refused. */
	vm_map_resolver_fn map_resolver;
	void *map_resolver_ctx;
};

/*
 * Tail-call targets: given r2 (the prog array, whatever handle the
 * environment put there) and r3 (the index), the program to continue in,
 * or NULL to fall through to the next instruction with r0 = -ENOENT
 * (empty slot, index out of range; what env's bpf_tail_call helper
 * returns to the interpreter).  After JIT_MAX_TAIL_CALLS taken tail calls the JIT falls
 * through without asking.  The target keeps the registers (r1 is the
 * context), the stack frame, and returns to the caller of the function
 * that made the tail call, as in the kernel.
 */
typedef const struct jit_prog *(*jit_tail_call_fn)(void *arg, uint64_t map,
						    uint64_t index);

struct jit_run_opts {
	/* LD_ABS/LD_IND read this buffer; NULL = the input memory. */
	const void *packet;
	size_t packet_len;
	/* Initial r1/r2; when !set_regs they are (mem, len) or (0, 0). */
	bool set_regs;
	uint64_t r1, r2;
	void *user;                     /* struct vm_call.user for helpers */
	jit_tail_call_fn tail_call;     /* with jit_opts.tail_calls */
	void *tail_arg;
};

struct jit_stats {
	uint64_t compile_ns;    /* wall time of jit_compile() */
	unsigned passes;        /* code generation passes until the size held */
	size_t image_size;      /* bytes of machine code */
	size_t insns;           /* BPF slots compiled */
	uint32_t tail_calls;    /* taken in the last run */
};

/*
 * Validate and compile @n slots of @prog.  @h (borrowed, may be NULL) must
 * outlive the program; @opts may be NULL (fast mode, no blinding).  On
 * success *out owns the code.  Errors: the validator's, -EOPNOTSUPP for
 * lddw sources without a value (as vm_load()), -ENOMEM.
 */
int jit_compile(const struct isa_raw *prog, size_t n, const struct vm_helpers *h,
		const struct jit_opts *opts, struct jit_prog **out, struct bb_err *e);
void jit_free(struct jit_prog *jp);                     /* NULL-safe */

/*
 * Run with r1 = @mem, r2 = @len (r1 = r2 = 0 when @mem is NULL).  0 and
 * *r0, or -errno with @e: -EFAULT out-of-bounds (checked mode), -ENOENT
 * unknown helper, -E2BIG call depth, -EINVAL bad callx target,
 * -EOPNOTSUPP kfunc call, or a helper's stop code.  Runs of one program
 * may be concurrent (all run state is on the caller's stack) except for
 * jit_stats()->tail_calls.
 */
int jit_run(struct jit_prog *jp, void *mem, size_t len, uint64_t *r0,
	    struct bb_err *e);
int jit_run_opts(struct jit_prog *jp, void *mem, size_t len,
		 const struct jit_run_opts *opts, uint64_t *r0, struct bb_err *e);

/* Memory checked mode accepts besides stack and input (maps, ctx). */
int jit_add_region(struct jit_prog *jp, const void *addr, size_t len,
		   bool writable, const char *name);
void jit_clear_regions(struct jit_prog *jp);

/* The machine code (read+exec pages) and its size. */
const uint8_t *jit_code(const struct jit_prog *jp, size_t *size);
/*
 * Offset in the image of the code for BPF slot @pc: -1 for the second
 * slot of an lddw; @pc == n gives the end of the program's code (what
 * follows is the out-of-line error paths and, in checked mode, the bounds
 * check routine).  jit_insn_offset(jp, 0) is where the entry code ends.
 */
long jit_insn_offset(const struct jit_prog *jp, size_t pc);
/* The program's copy of the bytes it was compiled from. */
const struct isa_raw *jit_insns(const struct jit_prog *jp, size_t *n);
const struct jit_stats *jit_stats(const struct jit_prog *jp);

#endif
