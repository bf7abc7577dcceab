/* SPDX-License-Identifier: MIT */
/*
 * env/env_jit.c - programs of an env as x86-64 JIT code (jit-x86_64/).
 *
 * env_run() with .engine = ENV_ENGINE_JIT runs the same program on the
 * same context, packet, maps and helpers as the interpreter does; only
 * the code differs.  Each program is compiled when a JIT run first needs
 * it (the one run, or a tail-call target), from the instructions
 * vm_load() got, with the same map resolver, and kept: fast and checked
 * code are separate compiles (checked mode is compiled in).
 *
 * Tail calls are compiled as the JIT's own (jit_opts.tail_calls) and
 * resolved here through the env's prog arrays, as env_h_tail_call()
 * resolves them for the interpreter; the 33-call limit is the JIT's.
 * Callbacks (bpf_loop, for_each_map_elem) need nothing here: the helpers
 * call vm_call_function(), which the JIT serves (jit.h).
 */
#include "env/env_internal.h"

#include <errno.h>
#include <string.h>

#include "common/bb_uapi.h"

int env_jit_get(struct env *env, struct env_prog *p, bool checked,
		struct jit_prog **out, struct bb_err *e)
{
	struct jit_opts o = {
		.checked = checked, .tail_calls = true,
		.map_resolver = env_resolve_map, .map_resolver_ctx = env,
	};
	int k = checked ? 1 : 0;

	*out = NULL;
	if (p->failed || !p->insns)
		return bb_err_insn(e, -EINVAL, -1, "program '%s' did not load", p->name);
	if (!p->jit_tried[k]) {
		p->jit_tried[k] = true;
		bb_err_clear(&p->jit_err[k]);
		bb_err_set_section(&p->jit_err[k], p->section);
		jit_compile(p->insns, p->n, env->helpers, &o, &p->jit[k], &p->jit_err[k]);
	}
	if (!p->jit[k]) {
		if (e) {
			*e = p->jit_err[k];
			return e->code ? e->code : -EINVAL;
		}
		return p->jit_err[k].code ? p->jit_err[k].code : -EINVAL;
	}
	*out = p->jit[k];
	return 0;
}

/*
 * The target of bpf_tail_call(ctx, map, index), or NULL to fall through
 * (index out of range, empty slot), as env_h_tail_call() decides.  A
 * target that cannot run as JIT code (not a prog array, a program that
 * does not compile) also falls through here, but marks the run failed:
 * env_run() reports it rather than hand back a result the interpreter
 * would not give.
 */
const struct jit_prog *env_jit_tail_call(void *arg, uint64_t map, uint64_t index)
{
	struct env *env = arg;
	struct env_cur *c = &env->cur;
	struct map *m = (struct map *)(uintptr_t)map;
	struct env_prog *p;
	struct jit_prog *jp;

	if (!env_is_map(env, map) || map_type(m) != BPF_MAP_TYPE_PROG_ARRAY) {
		if (!c->tail_failed)
			bb_err_insn(&c->tail_err, -EINVAL, -1,
				    "bpf_tail_call: 0x%llx is not a prog array of the environment",
				    (unsigned long long)map);
		c->tail_failed = true;
		return NULL;
	}
	p = map_prog_array_get(m, (uint32_t)index, NULL);
	if (!p || p->failed)
		return NULL;
	if (env_jit_get(env, p, c->checked, &jp, NULL) < 0) {
		if (!c->tail_failed) {
			c->tail_err = p->jit_err[c->checked ? 1 : 0];
			bb_err_insn(&c->tail_err, c->tail_err.code ? c->tail_err.code : -EINVAL, -1,
				    "tail call target '%s' does not compile for the JIT: %s",
				    p->name, p->jit_err[c->checked ? 1 : 0].msg);
		}
		c->tail_failed = true;
		return NULL;
	}
	return jp;
}

void env_jit_free(struct env_prog *p)
{
	for (int k = 0; k < 2; k++) {
		jit_free(p->jit[k]);
		p->jit[k] = NULL;
	}
}
