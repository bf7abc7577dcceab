/* SPDX-License-Identifier: MIT */
/*
 * interp/vm_internal.h - what vm.c and the instruction bodies in
 * vm_exec.h share.  Not installed; nothing outside interp/ includes it.
 */
#ifndef BAREBPF_INTERP_VM_INTERNAL_H
#define BAREBPF_INTERP_VM_INTERNAL_H

#include "interp/vm.h"

/*
 * One pre-decoded slot, 16 bytes: the address of the label that executes
 * it (direct threading: dispatch is one indirect jump, no table lookup)
 * and the operands.  Slots map 1:1 onto the raw program, so a jump offset
 * is the same number of slots here as in the bytes.  The second slot of an
 * ld_imm64 holds the 64-bit value instead of a handler.
 */
struct vm_op {
	union {
		const void *h;
		uint64_t imm64;
	};
	uint8_t dst;
	uint8_t src;
	int16_t off;
	int32_t imm;
};
_Static_assert(sizeof(struct vm_op) == 16, "pre-decoded slots are 16 bytes");

struct vm_helper_ent {
	vm_helper_fn fn;
	char *name;             /* owned; NULL = the kernel name for the id */
};

struct vm_helpers {
	struct vm_helper_ent *ent;      /* indexed by id */
	size_t n;
};

struct vm_region {
	uintptr_t addr;
	size_t len;
	bool writable;
	char name[32];
};

struct vm {
	const struct vm_helpers *helpers;
	void *user;
	struct isa_raw *prog;           /* copy of the loaded bytes */
	struct isa_insn *insns;         /* decoded, for trace callbacks */
	struct vm_op *fast;             /* handlers of the fast loop */
	struct vm_op *slow;             /* handlers of the checked/traced loop */
	size_t n;
	struct bb_vec regions;          /* struct vm_region */
	vm_map_resolver_fn resolve;
	void *resolve_ctx;
	struct vm_stats stats;
};

/* A bpf-to-bpf call in progress: what `exit` restores. */
struct vm_frame {
	const struct vm_op *ret;
	struct vm *vm;                  /* the caller's program and loop: a */
	const struct vm_op *ops;        /* tail call may have switched them */
	uint64_t saved[5];              /* r6..r9, r10 */
};

/* Everything one run needs besides the registers. */
struct vm_run_state {
	struct vm *vm;                  /* the vm run: regions, stats */
	struct vm *code;                /* where execution starts (vm, or a
					 * tail-called program for a callback) */
	uint32_t entry_pc;              /* first instruction */
	unsigned entry_depth;           /* frame it runs in; exit there ends */
	bool slow;                      /* which loop runs */
	uint32_t tail_calls;
	const struct vm_run_opts *opts;
	struct bb_err *e;
	uint8_t *stack_end;             /* frame 0 is the top 512 bytes below */
	uint8_t *mem;
	size_t mem_len;
	const uint8_t *pkt;
	size_t pkt_len;
	uint64_t regs[VM_NREGS];        /* in: initial; out: final */
	uint64_t insns;                 /* in: count so far; out: executed */
	struct vm_frame frames[VM_MAX_CALL_DEPTH];
};

#endif
