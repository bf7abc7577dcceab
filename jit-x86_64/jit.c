/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit.c - compiling (validation, lddw values, code generation,
 * installation), running, and the runtime routines generated code calls:
 * the checked mode's bounds check and the tail-call lookup.
 *
 * A run's memory is the interpreter's: VM_MAX_CALL_DEPTH zeroed frames of
 * VM_STACK_SIZE bytes on jit_run()'s own C stack, the input memory and the
 * registered regions.  The generated code gets a struct jit_ctx (in r12)
 * and returns 0 with ctx.r0 set, or 1 after storing why in the context;
 * jit_run() turns that into the interpreter's error text.
 */
#include "jit-x86_64/jit_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ----- runtime routines ----- */

static bool inside(uint64_t a, unsigned size, uintptr_t base, size_t len)
{
	return a >= base && a - base < len && len - (a - base) >= size;
}

static const struct jit_region *find_region(const struct jit_prog *jp, uint64_t a,
					    unsigned size)
{
	for (size_t i = 0; i < jp->regions.len; i++) {
		const struct jit_region *r = bb_vec_at(&jp->regions, struct jit_region, i);

		if (inside(a, size, r->addr, r->len))
			return r;
	}
	return NULL;
}

/* The checked interpreter's rule: inside one live frame, the input memory
 * or a region (writable, for a write). */
static bool access_ok(const struct jit_ctx *ctx, uint64_t a, unsigned size, bool write)
{
	uintptr_t end = (uintptr_t)ctx->stack_end;
	size_t live = end - ctx->cur_fp + VM_STACK_SIZE;
	const struct jit_region *r;

	if (inside(a, size, end - live, live))
		return (end - 1 - a) / VM_STACK_SIZE ==
		       (end - 1 - (a + size - 1)) / VM_STACK_SIZE;
	if (ctx->mem && inside(a, size, (uintptr_t)ctx->mem, ctx->mem_len))
		return true;
	r = find_region(ctx->jp, a, size);
	return r && (r->writable || !write);
}

int jit_rt_check(struct jit_ctx *ctx, uint64_t a, uint32_t desc, uint64_t unused)
{
	unsigned size = 1u << (desc & 3), reg = (desc >> 2) & 15;
	bool write = desc & 0x40, atomic = desc & 0x80;
	int pc = (int)(desc >> 8);
	const struct jit_region *r;

	(void)unused;
	if (!access_ok(ctx, a, size, write)) {
		r = write ? find_region(ctx->jp, a, size) : NULL;
		if (r && !r->writable)
			ctx->err_arg = (uint64_t)(int64_t)bb_err_insn(ctx->e, -EFAULT, pc,
				"out-of-bounds %u-byte write at 0x%" PRIx64 " (r%u): region '%s' is read-only",
				size, a, reg, r->name);
		else
			ctx->err_arg = (uint64_t)(int64_t)bb_err_insn(ctx->e, -EFAULT, pc,
				"out-of-bounds %u-byte %s at 0x%" PRIx64 " (r%u)",
				size, write ? "write" : "read", a, reg);
		ctx->err_kind = JIT_ERR_CHECKED;
		return 1;
	}
	if (atomic && (a & (size - 1))) {
		ctx->err_arg = (uint64_t)(int64_t)bb_err_insn(ctx->e, -EFAULT, pc,
			"misaligned %u-byte atomic at 0x%" PRIx64 " (r%u)", size, a, reg);
		ctx->err_kind = JIT_ERR_CHECKED;
		return 1;
	}
	return 0;
}

/* Remember a program the run entered (callbacks may name its functions). */
static void note_prog(struct jit_ctx *ctx, const struct jit_prog *jp)
{
	for (uint32_t i = 0; i < ctx->nprogs; i++)
		if (ctx->progs[i] == jp)
			return;
	if (ctx->nprogs < BB_ARRAY_SIZE(ctx->progs))
		ctx->progs[ctx->nprogs++] = jp;
}

const void *jit_rt_tail_call(struct jit_ctx *ctx, uint64_t map, uint64_t index)
{
	const struct jit_run_opts *o = ctx->opts;
	const struct jit_prog *t;

	if (!o || !o->tail_call || ctx->tail_calls >= JIT_MAX_TAIL_CALLS)
		return NULL;
	t = o->tail_call(o->tail_arg, map, index);
	if (!t)
		return NULL;
	ctx->tail_calls++;
	note_prog(ctx, t);
	return t->image + t->offs[0];
}

/* ----- compiling ----- */

/* The value each lddw loads, decided once: as vm_load() does. */
static int lddw_values(struct jit_prog *jp, struct isa_insn *ins,
		       const struct jit_opts *o, struct bb_err *e)
{
	for (size_t pc = 0; pc < jp->n; pc++) {
		struct isa_insn *in = &ins[pc];
		const struct isa_row *row;
		int ret;

		if (in->slots != 2)
			continue;
		row = &isa_rows[in->op];
		switch (in->src) {
		case 0:
			break;
		case ISA_PSEUDO_FUNC:
			in->imm64 = (uint64_t)(uintptr_t)&jp->prog[isa_branch_target(in, pc)];
			break;
		case ISA_PSEUDO_BTF_ID:
			return bb_err_insn(e, -EOPNOTSUPP, (int)pc,
					   "lddw src %u (%s): a kernel variable reference needs kernel BTF (not available offline)",
					   in->src, row->pseudo);
		default:
			if (!o->map_resolver)
				return bb_err_insn(e, -EOPNOTSUPP, (int)pc,
						   "lddw src %u (%s): map reference needs a map resolver (vm_set_map_resolver)",
						   in->src, row->pseudo);
			ret = o->map_resolver(o->map_resolver_ctx, (uint32_t)pc, in->src,
					      (uint32_t)in->imm, (uint32_t)jp->prog[pc + 1].imm,
					      &in->imm64, e);
			if (ret < 0)
				return ret;
			break;
		}
	}
	return 0;
}

/* callx reaches helpers by id at run time: snapshot the table. */
static int snapshot_helpers(struct jit_prog *jp)
{
	size_t top = 0;

	for (size_t id = 0; id <= 65535; id++)
		if (vm_helpers_get(jp->helpers, (int32_t)id))
			top = id + 1;
	if (!top)
		return 0;
	jp->callx_helpers = calloc(top, sizeof(*jp->callx_helpers));
	if (!jp->callx_helpers)
		return -ENOMEM;
	for (size_t id = 0; id < top; id++)
		jp->callx_helpers[id] = vm_helpers_get(jp->helpers, (int32_t)id);
	jp->callx_nhelpers = top;
	return 0;
}

int jit_compile(const struct isa_raw *prog, size_t n, const struct vm_helpers *h,
		const struct jit_opts *opts, struct jit_prog **out, struct bb_err *e)
{
	static const struct jit_opts defaults;
	uint64_t t0 = now_ns();
	struct jit_opts o = opts ? *opts : defaults;
	struct isa_insn *ins = NULL;
	struct jit_prog *jp = NULL;
	uint8_t *image = NULL;
	size_t size = 0;
	bool callx = false;
	int ret;

	*out = NULL;
	if (!prog)
		return bb_err_insn(e, -EINVAL, -1, "no program");
	ret = isa_validate(prog, n, e);
	if (ret < 0)
		return ret;
	if (o.blind && !o.blind_seed &&
	    getrandom(&o.blind_seed, sizeof(o.blind_seed), 0) != sizeof(o.blind_seed))
		o.blind_seed = t0 ^ (uint64_t)(uintptr_t)&o;
	jp = calloc(1, sizeof(*jp));
	ins = calloc(n, sizeof(*ins));
	if (!jp || !ins)
		goto oom;
	bb_vec_init(&jp->regions, sizeof(struct jit_region));
	jp->n = n;
	jp->helpers = h;
	jp->checked = o.checked;
	jp->prog = malloc(n * sizeof(*prog));
	jp->offs = calloc(n + 1, sizeof(*jp->offs));
	jp->callx_code = calloc(n, sizeof(*jp->callx_code));
	if (!jp->prog || !jp->offs || !jp->callx_code)
		goto oom;
	memcpy(jp->prog, prog, n * sizeof(*prog));
	for (size_t pc = 0; pc < n; pc += ins[pc].slots) {
		isa_decode(prog, n, pc, &ins[pc], NULL);
		callx |= ins[pc].op == ISA_OP_CALLX;
	}
	ret = lddw_values(jp, ins, &o, e);
	if (ret < 0)
		goto fail;
	if (callx && snapshot_helpers(jp))
		goto oom;
	ret = jit_codegen(jp, ins, &o, &image, &size, e);
	if (ret < 0)
		goto fail;
	ret = jit_mem_install(jp, image, size);
	if (ret < 0) {
		bb_err_insn(e, ret, -1, "cannot map the code: %s", strerror(-ret));
		goto fail;
	}
	for (size_t pc = 0; pc < n; pc++)
		if (ins[pc].slots)
			jp->callx_code[pc] = jp->image + jp->offs[pc];
	jp->stats.image_size = size;
	jp->stats.insns = n;
	jp->stats.compile_ns = now_ns() - t0;
	free(image);
	free(ins);
	*out = jp;
	return 0;
oom:
	ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
fail:
	free(image);
	free(ins);
	jit_free(jp);
	return ret;
}

void jit_free(struct jit_prog *jp)
{
	if (!jp)
		return;
	jit_mem_release(jp);
	free(jp->offs);
	free(jp->prog);
	free(jp->callx_code);
	free(jp->callx_helpers);
	bb_vec_free(&jp->regions);
	free(jp);
}

/* ----- running ----- */

static int helper_stopped(const struct jit_prog *jp, struct bb_err *e,
			  const struct vm_call *call)
{
	int code = call->stop < 0 ? call->stop : -call->stop;
	const char *name = vm_helpers_name(jp->helpers, call->helper_id);

	if (call->err_set)      /* a callback's error, already in @e */
		return code;
	if (call->stop_msg[0])
		return bb_err_insn(e, code, (int)call->pc, "%.*s",
				   (int)sizeof(call->stop_msg), call->stop_msg);
	return bb_err_insn(e, code, (int)call->pc,
			   "helper %d (%s) stopped the program: %s",
			   call->helper_id, name ? name : "?", strerror(-code));
}

static int helper_missing(const struct jit_prog *jp, struct bb_err *e, int pc, int32_t id)
{
	const char *name = vm_helpers_name(jp->helpers, id);

	return bb_err_insn(e, -ENOENT, pc, "helper %d (%s) not available offline",
			   id, name ? name : "unknown");
}

static int run_error(const struct jit_ctx *ctx, struct bb_err *e)
{
	const struct jit_prog *jp = ctx->err_prog ? ctx->err_prog : ctx->jp;
	int pc = ctx->err_pc;

	switch (ctx->err_kind) {
	case JIT_ERR_HELPER_MISSING:
		return helper_missing(jp, e, pc, jp->prog[pc].imm);
	case JIT_ERR_TAIL_CALL:
		return bb_err_insn(e, -EOPNOTSUPP, pc,
				   "helper %d asked for a tail call through vm_call.tail_call, which JIT code does not follow (compile with jit_opts.tail_calls)",
				   ctx->call.helper_id);
	case JIT_ERR_HELPER_STOP:
		return helper_stopped(jp, e, &ctx->call);
	case JIT_ERR_DEPTH:
		return bb_err_insn(e, -E2BIG, pc, "call depth exceeds %d", VM_MAX_CALL_DEPTH);
	case JIT_ERR_CALLX:
		if (ctx->err_arg > INT32_MAX)
			return bb_err_insn(e, -EINVAL, pc,
					   "callx target 0x%" PRIx64 " (r%u) is neither a function address nor a helper id",
					   ctx->err_arg, jp->prog[pc].dst);
		return helper_missing(jp, e, pc, (int32_t)ctx->err_arg);
	case JIT_ERR_KFUNC:
		return bb_err_insn(e, -EOPNOTSUPP, pc, "kfunc call (btf id %d) not available offline",
				   jp->prog[pc].imm);
	case JIT_ERR_CHECKED:
		return (int)(int64_t)ctx->err_arg;     /* @e is filled */
	default:
		return bb_err_insn(e, -EFAULT, pc, "the JIT's code stopped without a reason (kind %d)",
				   ctx->err_kind);
	}
}

/*
 * Callbacks (vm_call_function() from a helper JIT code called): the
 * address is an lddw-src-4 value, a slot of the copy of one of the
 * programs the run entered; its code runs through the image's entry in a
 * new frame below the helper's caller, with the run's context, so it
 * shares the call depth limit, the tail-call count, the checked mode's
 * regions and the error record with the run.  The struct vm_call the
 * helper holds is the context's; nested helper calls reuse it, so it is
 * saved around the callback.
 */
static const struct jit_prog *callback_prog(const struct jit_ctx *ctx, uint64_t fn,
					    size_t *pc)
{
	for (uint32_t i = ctx->nprogs; i-- > 0;) {
		const struct jit_prog *p = ctx->progs[i];
		uint64_t rel = fn - (uint64_t)(uintptr_t)p->prog;

		if (rel < p->n * sizeof(struct isa_raw) && !(rel & 7) &&
		    p->callx_code[rel / 8]) {
			*pc = rel / 8;
			return p;
		}
	}
	return NULL;
}

static int call_function(struct vm_call *call, uint64_t fn, const uint64_t args[5],
			 uint64_t *r0)
{
	struct jit_ctx *ctx = call->run;
	const struct jit_prog *jp;
	struct vm_call saved;
	uint64_t saved_fp, saved_rsp;
	int (*entry)(struct jit_ctx *);
	size_t pc;
	int ret;

	jp = callback_prog(ctx, fn, &pc);
	if (!jp) {
		ret = bb_err_insn(ctx->e, -EINVAL, (int)call->pc,
				  "callback 0x%" PRIx64 " is not a function of the program", fn);
		goto fail;
	}
	if (ctx->cur_fp - VM_STACK_SIZE < ctx->fp_limit) {
		ret = bb_err_insn(ctx->e, -E2BIG, (int)call->pc, "call depth exceeds %d",
				  VM_MAX_CALL_DEPTH);
		goto fail;
	}
	saved = *call;
	saved_fp = ctx->cur_fp;
	saved_rsp = ctx->saved_rsp;
	ctx->cur_fp -= VM_STACK_SIZE;
	ctx->r1 = args[0];
	ctx->r2 = args[1];
	ctx->r3 = args[2];
	ctx->r4 = args[3];
	ctx->r5 = args[4];
	ctx->target = (uint64_t)(uintptr_t)jp->callx_code[pc];
	entry = (int (*)(struct jit_ctx *))(void *)jp->image;
	ret = entry(ctx) ? run_error(ctx, ctx->e) : 0;
	ctx->cur_fp = saved_fp;
	ctx->saved_rsp = saved_rsp;
	*call = saved;
	if (ret < 0)
		goto fail;
	*r0 = ctx->r0;
	return 0;
fail:
	call->stop = ret;
	call->err_set = true;
	return ret;
}

static bool call_mem_ok(const struct vm_call *call, uint64_t addr, size_t len, bool write)
{
	const struct jit_ctx *ctx = call->run;

	if (!len || len > UINT32_MAX)
		return false;
	return access_ok(ctx, addr, (unsigned)len, write);
}

static const struct vm_call_engine jit_engine = {
	.call_function = call_function,
	.mem_ok = call_mem_ok,
};

int jit_run_opts(struct jit_prog *jp, void *mem, size_t len,
		 const struct jit_run_opts *opts, uint64_t *r0, struct bb_err *e)
{
	static const struct jit_run_opts defaults;
	uint8_t stack[VM_MAX_CALL_DEPTH * VM_STACK_SIZE] __attribute__((aligned(16)));
	struct jit_ctx ctx;
	int (*entry)(struct jit_ctx *);

	if (!jp || !jp->image)
		return bb_err_insn(e, -EINVAL, -1, "no program compiled");
	if (!opts)
		opts = &defaults;
	memset(stack, 0, sizeof(stack));
	memset(&ctx, 0, sizeof(ctx));
	ctx.jp = jp;
	ctx.opts = opts;
	ctx.e = e;
	ctx.stack_end = stack + sizeof(stack);
	ctx.cur_fp = (uint64_t)(uintptr_t)ctx.stack_end;
	ctx.fp_limit = ctx.cur_fp - (VM_MAX_CALL_DEPTH - 1) * VM_STACK_SIZE;
	ctx.mem = mem;
	ctx.mem_len = mem ? len : 0;
	ctx.pkt = opts->packet ? opts->packet : mem;
	ctx.pkt_len = opts->packet ? opts->packet_len : ctx.mem_len;
	if (opts->set_regs) {
		ctx.r1 = opts->r1;
		ctx.r2 = opts->r2;
	} else if (mem) {
		ctx.r1 = (uint64_t)(uintptr_t)mem;
		ctx.r2 = len;
	}
	ctx.call.user = opts->user;
	ctx.call.run = &ctx;
	ctx.call.engine = &jit_engine;
	ctx.target = (uint64_t)(uintptr_t)(jp->image + jp->offs[0]);
	note_prog(&ctx, jp);
	entry = (int (*)(struct jit_ctx *))(void *)jp->image;
	if (entry(&ctx)) {
		jp->stats.tail_calls = ctx.tail_calls;
		return run_error(&ctx, e);
	}
	jp->stats.tail_calls = ctx.tail_calls;
	if (r0)
		*r0 = ctx.r0;
	return 0;
}

int jit_run(struct jit_prog *jp, void *mem, size_t len, uint64_t *r0, struct bb_err *e)
{
	return jit_run_opts(jp, mem, len, NULL, r0, e);
}

int jit_add_region(struct jit_prog *jp, const void *addr, size_t len, bool writable,
		   const char *name)
{
	struct jit_region *r = bb_vec_push(&jp->regions, NULL);

	if (!r)
		return -ENOMEM;
	r->addr = (uintptr_t)addr;
	r->len = len;
	r->writable = writable;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "region");
	return 0;
}

void jit_clear_regions(struct jit_prog *jp)
{
	jp->regions.len = 0;
}

const uint8_t *jit_code(const struct jit_prog *jp, size_t *size)
{
	if (size)
		*size = jp->image_size;
	return jp->image;
}

long jit_insn_offset(const struct jit_prog *jp, size_t pc)
{
	if (pc > jp->n || jp->offs[pc] == UINT32_MAX)
		return -1;
	return (long)jp->offs[pc];
}

const struct isa_raw *jit_insns(const struct jit_prog *jp, size_t *n)
{
	if (n)
		*n = jp->n;
	return jp->prog;
}

const struct jit_stats *jit_stats(const struct jit_prog *jp)
{
	return &jp->stats;
}
