/* SPDX-License-Identifier: MIT */
/*
 * env/env_helpers.c - the helper table (ENV_HELPER_TABLE in
 * env_internal.h expanded into data: id, name, function, the kernel's
 * argument and return conventions) and what every helper shares.
 *
 * The same rows serve the interpreter (env_helpers_register fills a
 * struct vm_helpers), a JIT (same vm_helper_fn ABI) and the verifier
 * (argument kinds).  The implementations live by seam: env_helpers_map.c
 * (maps, tail calls, callbacks, ring/perf buffers), env_helpers_pkt.c
 * (packets, checksums, redirects), env_helpers_trace.c (task, time,
 * probe reads, stacks, strings) and env_printk.c (formatted output).
 */
#include "env/env_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/bb_uapi.h"

static const struct env_helper_def defs[] = {
#define X(id_, name_, ret_, a1, a2, a3, a4, a5, gpl_, pkt_)                     \
	{ .id = id_, .name = #name_, .fn = env_h_##name_, .ret = ENV_RET_##ret_,  \
	  .args = { ENV_ARG_##a1, ENV_ARG_##a2, ENV_ARG_##a3, ENV_ARG_##a4,        \
		    ENV_ARG_##a5 },                                              \
	  .gpl_only = gpl_, .pkt_access = pkt_ },
#define ENV_RET_MAP_VALUE_OR_NULL ENV_RET_PTR_TO_MAP_VALUE_OR_NULL
#define ENV_RET_ALLOC_MEM_OR_NULL ENV_RET_PTR_TO_ALLOC_MEM_OR_NULL
#define ENV_RET_BTF_ID ENV_RET_PTR_TO_BTF_ID
	ENV_HELPER_TABLE(X)
#undef X
};

const struct env_helper_def *env_helper_defs(size_t *n)
{
	*n = BB_ARRAY_SIZE(defs);
	return defs;
}

const struct env_helper_def *env_helper_def(int32_t id)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(defs); i++)
		if (defs[i].id == id)
			return &defs[i];
	return NULL;
}

int env_helpers_register(struct env *env, struct vm_helpers *h)
{
	(void)env;
	for (size_t i = 0; i < BB_ARRAY_SIZE(defs); i++) {
		int ret = vm_helpers_add(h, defs[i].id, NULL, defs[i].fn);

		if (ret < 0)
			return ret;
	}
	return 0;
}

struct env *env_of(const struct vm_call *call)
{
	return call->user;
}

uint64_t env_stop(struct vm_call *call, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(call->stop_msg, sizeof(call->stop_msg), "helper %s: ",
		     isa_helper_name(call->helper_id) ? isa_helper_name(call->helper_id) : "?");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(call->stop_msg))
		vsnprintf(call->stop_msg + n, sizeof(call->stop_msg) - (size_t)n, fmt, ap);
	va_end(ap);
	call->stop = err;
	return 0;
}

/*
 * "Kernel memory" offline: what the program owns (its stack frames, its
 * context, registered regions such as map values and the packet) or
 * what the caller registered as kernel memory.
 */
bool env_mem_ok(struct vm_call *call, uint64_t addr, size_t len, bool write)
{
	struct env *env = env_of(call);
	struct env_cur *c = &env->cur;

	if (!len)
		return true;
	if (vm_call_mem_ok(call, addr, len, write))
		return true;
	if (c->ctx && addr >= (uintptr_t)c->ctx && addr - (uintptr_t)c->ctx < c->ctx_len &&
	    c->ctx_len - (addr - (uintptr_t)c->ctx) >= len)
		return true;
	if (c->buf && addr >= (uintptr_t)c->buf && addr - (uintptr_t)c->buf < c->cap &&
	    c->cap - (addr - (uintptr_t)c->buf) >= len)
		return true;
	if (env_mem_in(env, ENV_MEM_KERNEL, addr, len))
		return true;
	/* Global data and array values: a checked run registered them as
	 * regions (vm_call_mem_ok above); a fast run registers nothing, and
	 * a format string in .rodata must be readable there too. */
	return !c->checked && env_in_array_value(env, addr, len);
}

bool env_in_array_value(const struct env *env, uint64_t addr, size_t len)
{
	for (size_t i = 0; i < env->maps.len; i++) {
		struct map *m = env_map(env, i);
		uint32_t t = map_type(m), ncpu = 1;

		if (t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_PERCPU_ARRAY)
			continue;
		if (t == BPF_MAP_TYPE_PERCPU_ARRAY)
			ncpu = map_spec_of(m)->nr_cpus;
		for (uint32_t cpu = 0; cpu < ncpu; cpu++) {
			void *base;
			size_t n;
			bool w;

			if (map_value_region(m, cpu, &base, &n, &w) < 0)
				break;
			if (addr >= (uintptr_t)base && addr - (uintptr_t)base < n &&
			    n - (addr - (uintptr_t)base) >= len)
				return true;
		}
	}
	return false;
}

void env_note_region(struct env *env, void *p, size_t len, bool writable,
		     const char *name)
{
	/* Only checked runs look at regions; a fast run never pays. */
	if (env->cur.checked && p && len)
		env_add_region(env, p, len, writable, name);
}

int env_add_region(struct env *env, const void *addr, size_t len, bool writable,
		   const char *name)
{
	if (env->cur.jit)
		return jit_add_region(env->cur.jit, addr, len, writable, name);
	return vm_add_region(env->cur.vm, addr, len, writable, name);
}

const struct bb_err *env_prog_error(const struct env_prog *p)
{
	return p->failed ? &p->err : NULL;
}
