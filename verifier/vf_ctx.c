/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_ctx.c - context accesses, judged by env/'s per-program-type
 * layout tables (the kernel's is_valid_access as data); this file only
 * adds the pointer rules (fixed offset, no modified ctx pointer) and what
 * a load produces.
 */
#include <inttypes.h>
#include <stdio.h>

#include "env/env.h"
#include "verifier/vf_internal.h"

bool vf_ctx_known(uint32_t prog_type)
{
	return env_ctx_layout(prog_type, 0) != NULL;
}

int check_ctx_access(struct vf_env *env, int regno, const struct vf_reg *r, int off, int size,
		     bool write, struct vf_reg *dst)
{
	const struct env_ctx_layout *l = env->ctx_layout;
	const struct env_ctx_field *f = NULL;
	int64_t o;

	if (!vf_sval_is_const(&r->v)) {
		char t[64];

		snprintf(t, sizeof(t), "(0x%" PRIx64 "; 0x%" PRIx64 ")", r->v.t.value, r->v.t.mask);
		return vf_reject(env, -EACCES, "variable ctx access var_off=%s off=%d size=%d", t, off,
				 size);
	}
	if (r->off)
		return vf_reject(env, -EACCES, "dereference of modified ctx ptr R%d off=%d disallowed",
				 regno, r->off);
	if (vf_btf_ctx(env))
		return check_btf_ctx_access(env, off + (int)r->v.t.value, size, write, dst);
	if (!l)
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: context of program type %u not modelled yet", env->o->prog_type);
	o = off + (int64_t)r->v.t.value;
	if (o < 0 || env_ctx_access(l, (uint32_t)o, (uint32_t)size, write, &f, NULL))
		return vf_reject(env, -EACCES, "invalid bpf_context access off=%" PRId64 " size=%d", o, size);
	if (!dst)
		return 0;
	mark_reg_unknown(dst);
	if (f && f->reg != ENV_REG_SCALAR) {
		dst->v = vf_sval_const(0);
		switch (f->reg) {
		case ENV_REG_PKT: dst->type = VF_PTR_PKT; break;
		case ENV_REG_PKT_END: dst->type = VF_PTR_PKT_END; break;
		case ENV_REG_PKT_META: dst->type = VF_PTR_PKT_META; break;
		case ENV_REG_SOCK_OR_NULL:
			/* skb->sk: no reference (the skb holds one) */
			dst->type = VF_PTR_SOCK;
			dst->aux = VF_SK_COMMON;
			dst->flags = VF_MAYBE_NULL;
			dst->id = vf_new_id(env);
			break;
		default:
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: context field %s (socket/flow-keys pointer) not modelled yet",
					 f->name);
		}
		return 0;
	}
	vf_sval_cast(&dst->v, (unsigned)size);
	return 0;
}
