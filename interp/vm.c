/* SPDX-License-Identifier: MIT */
/*
 * interp/vm.c - loading, helpers, regions and the two execution loops.
 *
 * vm_load() validates the program with isa_validate(), then pre-decodes it
 * twice into struct vm_op slots: once with the fast loop's label addresses
 * and once with the slow loop's.  Both loops are the same source
 * (vm_exec.h) compiled with VM_SLOW 0 and 1.  vm_run() picks the slow loop
 * only when the caller asked for checking, a budget or a trace, so the
 * common case pays for none of them.
 *
 * Memory model of a run: the input memory (r1, r2), a stack of
 * VM_MAX_CALL_DEPTH frames of VM_STACK_SIZE bytes that lives on the C stack
 * of vm_run() (so one loaded vm can run on several threads at once), and
 * whatever regions the caller registered.  Frame 0 is the top 512 bytes;
 * each bpf-to-bpf call moves r10 down by 512.
 */
#include "interp/vm_internal.h"

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----- arithmetic with RFC 9669's answers where C has undefined ones ----- */

static inline uint64_t udiv64(uint64_t a, uint64_t b)
{
	return b ? a / b : 0;
}

static inline uint32_t udiv32(uint32_t a, uint32_t b)
{
	return b ? a / b : 0;
}

static inline uint64_t umod64(uint64_t a, uint64_t b)
{
	return b ? a % b : a;
}

static inline uint32_t umod32(uint32_t a, uint32_t b)
{
	return b ? a % b : a;
}

/* -1 is special-cased: INT_MIN / -1 overflows in C; negating in unsigned
 * arithmetic gives the RFC's INT_MIN (and -x for every other x). */
static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (!b)
		return 0;
	if (b == UINT64_MAX)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (!b)
		return 0;
	if (b == UINT32_MAX)
		return -a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint64_t smod64(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t smod32(uint32_t a, uint32_t b)
{
	if (!b)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* ----- checked mode ----- */

static bool inside(uint64_t a, unsigned size, uintptr_t base, size_t len)
{
	return a >= base && a - base < len && len - (a - base) >= size;
}

/* Which region, if any, holds [a, a+size) entirely. */
static const struct vm_region *find_region(const struct vm *vm, uint64_t a,
					   unsigned size)
{
	for (size_t i = 0; i < vm->regions.len; i++) {
		const struct vm_region *r = bb_vec_at(&vm->regions, struct vm_region, i);

		if (inside(a, size, r->addr, r->len))
			return r;
	}
	return NULL;
}

/*
 * Is [a, a+size) inside one live stack frame, the input memory, or a
 * registered region (writable, for a write)?  An access may not straddle
 * two frames: each frame is its own object, as the kernel sees it.
 */
static bool access_ok(const struct vm_run_state *st, unsigned depth,
		      uint64_t a, unsigned size, bool write)
{
	uintptr_t end = (uintptr_t)st->stack_end;
	size_t live = (size_t)(depth + 1) * VM_STACK_SIZE;
	const struct vm_region *r;

	if (inside(a, size, end - live, live))
		return (end - 1 - a) / VM_STACK_SIZE ==
		       (end - 1 - (a + size - 1)) / VM_STACK_SIZE;
	if (st->mem && inside(a, size, (uintptr_t)st->mem, st->mem_len))
		return true;
	r = find_region(st->vm, a, size);
	return r && (r->writable || !write);
}

static int oob(const struct vm_run_state *st, unsigned depth, int pc,
	       uint64_t a, unsigned size, bool write, unsigned reg)
{
	const struct vm_region *r = write ? find_region(st->vm, a, size) : NULL;

	(void)depth;
	if (r && !r->writable)
		return bb_err_insn(st->e, -EFAULT, pc,
				   "out-of-bounds %u-byte write at 0x%" PRIx64 " (r%u): region '%s' is read-only",
				   size, a, reg, r->name);
	return bb_err_insn(st->e, -EFAULT, pc,
			   "out-of-bounds %u-byte %s at 0x%" PRIx64 " (r%u)",
			   size, write ? "write" : "read", a, reg);
}

static int helper_stopped(const struct vm *vm, struct bb_err *e,
			  const struct vm_call *call)
{
	int code = call->stop < 0 ? call->stop : -call->stop;
	const char *name = vm_helpers_name(vm->helpers, call->helper_id);

	if (call->stop_msg[0])
		return bb_err_insn(e, code, (int)call->pc, "%.*s",
				   (int)sizeof(call->stop_msg), call->stop_msg);
	return bb_err_insn(e, code, (int)call->pc,
			   "helper %d (%s) stopped the program: %s",
			   call->helper_id, name ? name : "?", strerror(-code));
}

/* ----- the two loops ----- */

#define VM_SLOW 0
#define VM_EXEC_FN exec_fast
#include "interp/vm_exec.h"
#undef VM_EXEC_FN
#undef VM_SLOW

#define VM_SLOW 1
#define VM_EXEC_FN exec_slow
#include "interp/vm_exec.h"
#undef VM_EXEC_FN
#undef VM_SLOW

/* ----- helpers ----- */

struct vm_helpers *vm_helpers_new(void)
{
	return calloc(1, sizeof(struct vm_helpers));
}

void vm_helpers_free(struct vm_helpers *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->ent[i].name);
	free(h->ent);
	free(h);
}

int vm_helpers_add(struct vm_helpers *h, int32_t id, const char *name,
		   vm_helper_fn fn)
{
	char *copy = NULL;

	if (!h || !fn || id < 0 || id > 65535)
		return -EINVAL;
	if ((size_t)id >= h->n) {
		/* Indexed by id: a call is one bounds check and one load. */
		size_t n = (size_t)id + 1;
		struct vm_helper_ent *ent = realloc(h->ent, n * sizeof(*ent));

		if (!ent)
			return -ENOMEM;
		memset(ent + h->n, 0, (n - h->n) * sizeof(*ent));
		h->ent = ent;
		h->n = n;
	}
	if (name) {
		copy = strdup(name);
		if (!copy)
			return -ENOMEM;
	}
	free(h->ent[id].name);
	h->ent[id].name = copy;
	h->ent[id].fn = fn;
	return 0;
}

vm_helper_fn vm_helpers_get(const struct vm_helpers *h, int32_t id)
{
	if (!h || id < 0 || (size_t)id >= h->n)
		return NULL;
	return h->ent[id].fn;
}

const char *vm_helpers_name(const struct vm_helpers *h, int32_t id)
{
	if (h && id >= 0 && (size_t)id < h->n && h->ent[id].name)
		return h->ent[id].name;
	return isa_helper_name(id);
}

/* ----- vm lifetime ----- */

struct vm *vm_new(const struct vm_helpers *helpers)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->helpers = helpers;
	bb_vec_init(&vm->regions, sizeof(struct vm_region));
	return vm;
}

static void unload(struct vm *vm)
{
	free(vm->prog);
	free(vm->insns);
	free(vm->fast);
	free(vm->slow);
	vm->prog = NULL;
	vm->insns = NULL;
	vm->fast = vm->slow = NULL;
	vm->n = 0;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	unload(vm);
	bb_vec_free(&vm->regions);
	free(vm);
}

void vm_set_user(struct vm *vm, void *user)
{
	vm->user = user;
}

int vm_add_region(struct vm *vm, const void *addr, size_t len, bool writable,
		  const char *name)
{
	struct vm_region *r = bb_vec_push(&vm->regions, NULL);

	if (!r)
		return -ENOMEM;
	r->addr = (uintptr_t)addr;
	r->len = len;
	r->writable = writable;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "region");
	return 0;
}

void vm_clear_regions(struct vm *vm)
{
	vm->regions.len = 0;
}

const struct vm_stats *vm_stats(const struct vm *vm)
{
	return &vm->stats;
}

/* ----- loading ----- */

/* ld_imm64 sources whose value is a kernel object we do not have. */
static int no_offline_value(const struct isa_insn *in, size_t pc,
			    struct bb_err *e)
{
	const struct isa_row *row = &isa_rows[in->op];

	if (in->src == ISA_PSEUDO_BTF_ID)
		return bb_err_insn(e, -EOPNOTSUPP, (int)pc,
				   "lddw src %u (%s): a kernel variable reference needs kernel BTF (not available offline)",
				   in->src, row->pseudo);
	return bb_err_insn(e, -EOPNOTSUPP, (int)pc,
			   "lddw src %u (%s): map reference needs a map resolver (vm_set_map_resolver)",
			   in->src, row->pseudo);
}

void vm_set_map_resolver(struct vm *vm, vm_map_resolver_fn fn, void *ctx)
{
	vm->resolve = fn;
	vm->resolve_ctx = ctx;
}

/* One slot of one loop's program. */
static void predecode(struct vm_op *op, const struct isa_insn *in,
		      const void *const *labels)
{
	op->h = labels[in->op];
	op->dst = in->dst;
	op->src = in->src;
	op->off = in->off;
	op->imm = in->imm;
	/* Constant shift counts are masked once here instead of per run. */
	switch (in->op) {
	case ISA_OP_LSH32_K:
	case ISA_OP_RSH32_K:
	case ISA_OP_ARSH32_K:
		op->imm &= 31;
		break;
	case ISA_OP_LSH64_K:
	case ISA_OP_RSH64_K:
	case ISA_OP_ARSH64_K:
		op->imm &= 63;
		break;
	default:
		break;
	}
}

/* `rD = rS; rD op= imm` pairs become one superinstruction (vm_exec.h). */
static void fuse(struct vm *vm, const void *const *mov_then)
{
	for (size_t pc = 0; pc + 1 < vm->n; pc++) {
		const struct isa_insn *a = &vm->insns[pc], *b = &vm->insns[pc + 1];

		if (a->slots && a->op == ISA_OP_MOV64_X && b->slots == 1 &&
		    mov_then[b->op] && b->dst == a->dst)
			vm->fast[pc].h = mov_then[b->op];
	}
}

int vm_load(struct vm *vm, const struct isa_raw *prog, size_t n,
	    struct bb_err *e)
{
	const void *const *fast_labels, *const *slow_labels;
	const void *const *mov_then, *const *unused;
	int ret;

	if (!vm || !prog)
		return bb_err_insn(e, -EINVAL, -1, "no vm or no program");
	unload(vm);
	ret = isa_validate(prog, n, e);
	if (ret < 0)
		return ret;
	exec_fast(NULL, &fast_labels, &mov_then);
	exec_slow(NULL, &slow_labels, &unused);
	vm->prog = malloc(n * sizeof(*prog));
	vm->insns = calloc(n, sizeof(*vm->insns));
	vm->fast = calloc(n, sizeof(*vm->fast));
	vm->slow = calloc(n, sizeof(*vm->slow));
	if (!vm->prog || !vm->insns || !vm->fast || !vm->slow) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto fail;
	}
	memcpy(vm->prog, prog, n * sizeof(*prog));
	vm->n = n;
	for (size_t pc = 0; pc < n; pc += vm->insns[pc].slots) {
		struct isa_insn *in = &vm->insns[pc];

		isa_decode(prog, n, pc, in, NULL);
		predecode(&vm->fast[pc], in, fast_labels);
		predecode(&vm->slow[pc], in, slow_labels);
		if (in->slots == 1)
			continue;
		/* insns[pc + 1].slots stays 0: "not an instruction start". */
		switch (in->src) {
		case 0:
			break;
		case ISA_PSEUDO_FUNC:
			/* The function's address is its first raw slot, so
			 * callx can tell it apart from a helper id. */
			in->imm64 = (uint64_t)(uintptr_t)
				&vm->prog[(size_t)isa_branch_target(in, pc)];
			break;
		case ISA_PSEUDO_MAP_FD:
		case ISA_PSEUDO_MAP_VALUE:
		case ISA_PSEUDO_MAP_IDX:
		case ISA_PSEUDO_MAP_IDX_VALUE:
			if (!vm->resolve) {
				ret = no_offline_value(in, pc, e);
				goto fail;
			}
			ret = vm->resolve(vm->resolve_ctx, (uint32_t)pc, in->src,
					  (uint32_t)prog[pc].imm,
					  (uint32_t)prog[pc + 1].imm, &in->imm64, e);
			if (ret < 0) {
				if (e && e->insn < 0)
					e->insn = (int)pc;
				goto fail;
			}
			break;
		default:
			ret = no_offline_value(in, pc, e);
			goto fail;
		}
		vm->fast[pc + 1].imm64 = in->imm64;
		vm->slow[pc + 1].imm64 = in->imm64;
	}
	fuse(vm, mov_then);
	return 0;
fail:
	unload(vm);
	return ret;
}

/* ----- running ----- */

int vm_run(struct vm *vm, void *mem, size_t len, const struct vm_run_opts *opts,
	   uint64_t *r0, struct bb_err *e)
{
	static const struct vm_run_opts defaults;
	/* Aligned like the kernel's stack so 8-byte slots at r10-8k are. */
	uint8_t stack[VM_MAX_CALL_DEPTH * VM_STACK_SIZE] __attribute__((aligned(16)));
	struct vm_run_state st;
	int ret;

	if (!vm || !vm->n)
		return bb_err_insn(e, -EINVAL, -1, "no program loaded");
	if (!opts)
		opts = &defaults;
	/* A fresh, zeroed stack makes runs reproducible (the kernel's is not
	 * zeroed, but the verifier forbids reading it before writing). */
	memset(stack, 0, sizeof(stack));
	memset(&st, 0, sizeof(st));
	st.vm = vm;
	st.code = vm;
	st.slow = opts->checked || opts->budget || opts->trace;
	st.opts = opts;
	st.e = e;
	st.stack_end = stack + sizeof(stack);
	st.mem = mem;
	st.mem_len = mem ? len : 0;
	st.pkt = opts->packet ? opts->packet : mem;
	st.pkt_len = opts->packet ? opts->packet_len : st.mem_len;
	if (opts->set_regs) {
		st.regs[1] = opts->r1;
		st.regs[2] = opts->r2;
	} else if (mem) {
		st.regs[1] = (uint64_t)(uintptr_t)mem;
		st.regs[2] = len;
	}
	st.regs[10] = (uint64_t)(uintptr_t)st.stack_end;
	if (st.slow)
		ret = exec_slow(&st, NULL, NULL);
	else
		ret = exec_fast(&st, NULL, NULL);
	vm->stats.insns = st.insns;
	vm->stats.tail_calls = st.tail_calls;
	if (ret < 0)
		return ret;
	if (r0)
		*r0 = st.regs[0];
	return 0;
}

/*
 * A callback runs as a nested loop on a copy of the run state: same
 * stack memory (so the caller's frames, which callback contexts often
 * point into, stay valid and, in checked mode, addressable), a frame
 * one deeper than the helper's caller, and the instruction count and
 * tail-call count carried through so budgets span the whole run.
 */
int vm_call_function(struct vm_call *call, uint64_t fn, const uint64_t args[5],
		     uint64_t *r0)
{
	struct vm_run_state *st = call ? call->run : NULL;
	struct vm_run_state sub;
	struct vm *vm;
	uint64_t rel;
	int ret;

	if (call && !call->vm && call->engine)
		return call->engine->call_function(call, fn, args, r0);
	if (!st)
		return -EINVAL;
	vm = call->vm;
	rel = fn - (uint64_t)(uintptr_t)vm->prog;
	if (rel >= vm->n * sizeof(struct isa_raw) || (rel & 7) ||
	    !vm->insns[rel / 8].slots) {
		ret = bb_err_insn(st->e, -EINVAL, (int)call->pc,
				  "callback 0x%" PRIx64 " is not a function of the program",
				  fn);
		goto fail;
	}
	if (call->depth + 1 >= VM_MAX_CALL_DEPTH) {
		ret = bb_err_insn(st->e, -E2BIG, (int)call->pc,
				  "call depth exceeds %d", VM_MAX_CALL_DEPTH);
		goto fail;
	}
	sub = *st;
	sub.code = vm;
	sub.entry_pc = (uint32_t)(rel / 8);
	sub.entry_depth = call->depth + 1;
	memset(sub.regs, 0, sizeof(sub.regs));
	memcpy(&sub.regs[1], args, 5 * sizeof(uint64_t));
	sub.regs[10] = (uint64_t)(uintptr_t)(st->stack_end -
					     sub.entry_depth * VM_STACK_SIZE);
	ret = sub.slow ? exec_slow(&sub, NULL, NULL) : exec_fast(&sub, NULL, NULL);
	st->insns = sub.insns;
	st->tail_calls = sub.tail_calls;
	if (ret < 0)
		goto fail;
	*r0 = sub.regs[0];
	return 0;
fail:
	call->stop = ret;
	call->err_set = true;
	return ret;
}

bool vm_call_mem_ok(const struct vm_call *call, uint64_t addr, size_t len,
		    bool write)
{
	const struct vm_run_state *st = call ? call->run : NULL;

	if (call && !call->vm && call->engine)
		return call->engine->mem_ok(call, addr, len, write);
	if (!st || !len || len > UINT32_MAX)
		return false;
	return access_ok(st, call->depth, addr, (unsigned)len, write);
}
