/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_kfunc.c - kfunc calls (call src 2: imm is the BTF id of a
 * FUNC in the kernel's BTF), as the kernel's check_kfunc_call.
 *
 * What a kfunc takes and returns is its BTF prototype: scalars must be
 * scalars, a pointer to a struct wants a BTF-typed pointer to that struct
 * (or one that has it at offset 0), a pointer to scalars wants readable
 * and writable memory of that size.  What BTF does not say - whether the
 * kfunc acquires or releases a reference, may return NULL, or needs
 * trusted or RCU-protected arguments - the kernel keeps as flags in
 * BTF_ID_FLAGS sets registered per program type.  The table below holds
 * those flags, named and valued as in the kernel, for the kfuncs this
 * verifier models; any other kfunc is refused as not modelled yet.
 *
 * bpf_rcu_read_lock()/unlock() open and close an RCU read section
 * (state->active_rcu): nesting, an unmatched unlock and leaving the
 * program inside one are refused, and unlock turns RCU-protected
 * pointers (rcu_ptr_) into untrusted ones.
 */
#include <inttypes.h>
#include <stdio.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

/* include/linux/btf.h */
enum {
	KF_ACQUIRE = 1 << 0, KF_RELEASE = 1 << 1, KF_RET_NULL = 1 << 2,
	KF_TRUSTED_ARGS = 1 << 4, KF_SLEEPABLE = 1 << 5, KF_DESTRUCTIVE = 1 << 6,
	KF_RCU = 1 << 7,
};

/* Which registered set a kfunc is in (kernel/bpf/helpers.c kfunc_init):
 * common_kfunc_set is registered for every program type (UNSPEC), the
 * generic one for the tracing, tc, xdp, struct_ops, syscall and
 * cgroup_skb hooks. */
enum { SET_COMMON, SET_GENERIC };

static const struct { const char *name; unsigned flags; int set; } kfuncs[] = {
	/* generic_btf_ids */
	{ "bpf_task_acquire", KF_ACQUIRE | KF_RCU | KF_RET_NULL, SET_GENERIC },
	{ "bpf_task_release", KF_RELEASE, SET_GENERIC },
	{ "bpf_task_from_pid", KF_ACQUIRE | KF_RET_NULL, SET_GENERIC },
	/* common_btf_ids */
	{ "bpf_rcu_read_lock", 0, SET_COMMON },
	{ "bpf_rcu_read_unlock", 0, SET_COMMON },
};

/* bpf_prog_type_to_kfunc_hook: is the generic set registered for it? */
static bool generic_allowed(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_TRACING: case BPF_PROG_TYPE_TRACEPOINT: case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_LSM: case BPF_PROG_TYPE_SCHED_CLS: case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_STRUCT_OPS: case BPF_PROG_TYPE_SYSCALL: case BPF_PROG_TYPE_CGROUP_SKB:
		return true;
	default:
		return false;
	}
}

/* __btf_type_is_scalar_struct: a struct of scalars (and arrays of them),
 * nested at most 4 deep. */
static bool scalar_struct(const struct bbtf *btf, const struct btf_type *t, int depth)
{
	if (bbtf_kind(t) != BTF_KIND_STRUCT && bbtf_kind(t) != BTF_KIND_UNION)
		return false;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		const struct btf_type *m = vf_btf_skip(btf, bbtf_members(t)[i].type, NULL);

		if (!m)
			return false;
		if (bbtf_kind(m) == BTF_KIND_STRUCT || bbtf_kind(m) == BTF_KIND_UNION) {
			if (depth >= 3 || !scalar_struct(btf, m, depth + 1))
				return false;
			continue;
		}
		if (bbtf_kind(m) == BTF_KIND_ARRAY) {
			if (!bbtf_array(m)->nelems)
				return false;
			m = vf_btf_skip(btf, bbtf_array(m)->type, NULL);
		}
		if (!m || !vf_btf_is_scalar(m))
			return false;
	}
	return true;
}

/* btf_struct_ids_match: does a pointer to struct @id at offset @off point
 * to struct @want (at offset 0 of it, nested structs walked unless
 * @strict)? */
static bool struct_ids_match(const struct bbtf *btf, uint32_t id, int off, uint32_t want, bool strict)
{
	if (off == 0 && id == want)
		return true;
	if (strict || off < 0)
		return false;
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_type *t = vf_btf_skip(btf, id, &id);
		bool found = false;

		if (!t || bbtf_kind(t) != BTF_KIND_STRUCT)
			return false;
		for (int i = 0; i < bbtf_vlen(t) && !found; i++) {
			uint32_t moff = bbtf_member_bit_offset(t, i) / 8, mid;
			const struct btf_type *mt = vf_btf_skip(btf, bbtf_members(t)[i].type, &mid);
			int64_t sz = mt ? bbtf_resolve_size(btf, mid) : -1;

			if (!mt || sz < 0 || (uint32_t)off < moff || (uint64_t)off >= moff + (uint64_t)sz)
				continue;
			if (bbtf_kind(mt) != BTF_KIND_STRUCT)
				return false;
			found = true;
			if ((uint32_t)off == moff) {
				if (mid == want)
					return true;
				off = 0;
			} else {
				off -= (int)moff;
			}
			id = mid;
		}
		if (!found)
			return false;
	}
	return false;
}

/* reg_type_str without the struct name: "trusted_ptr_", "ptr_or_null_" */
static const char *btf_ptr_str(const struct vf_reg *r, char *b, size_t n)
{
	if (r->type != VF_PTR_BTF_ID)
		return vf_reg_type_str(r);
	snprintf(b, n, "%s%s%sptr_%s", r->flags & VF_RCU ? "rcu_" : "",
		 r->flags & VF_UNTRUSTED ? "untrusted_" : "", r->flags & VF_TRUSTED ? "trusted_" : "",
		 r->flags & VF_MAYBE_NULL ? "or_null_" : "");
	return b;
}


struct kmeta {
	const char *name;
	unsigned flags;
	uint32_t ref_obj_id;
	int release_regno;
};

static int check_ptr_arg(struct vf_env *env, struct kmeta *m, int i, const struct btf_type *t)
{
	const struct bbtf *btf = env->o->btf;
	int regno = i + 1;
	struct vf_reg *r = &cur_regs(env)[regno];
	bool trusted_args = (m->flags & (KF_TRUSTED_ARGS | KF_RELEASE)) != 0, rcu = m->flags & KF_RCU;
	uint32_t ref_id;
	const struct btf_type *ref_t = vf_btf_skip(btf, t->type, &ref_id);
	const char *ref_name = ref_t ? bbtf_name(btf, ref_t->name_off) : "";
	char b1[64], b2[64];
	int err;

	if (!ref_t)
		return vf_reject(env, -EINVAL, "barebpf: bad BTF for kfunc %s", m->name);
	if ((trusted_args || rcu) && (vf_reg_is_null(r) || (r->flags & VF_MAYBE_NULL)))
		return vf_reject(env, -EACCES, "Possibly NULL pointer passed to trusted arg%d", i);
	if (r->ref_obj_id) {
		if ((m->flags & KF_RELEASE) && m->ref_obj_id)
			return vf_reject(env, -EFAULT,
					 "verifier internal error: more than one arg with ref_obj_id R%d %u %u",
					 regno, r->ref_obj_id, m->ref_obj_id);
		m->ref_obj_id = r->ref_obj_id;
		if (m->flags & KF_RELEASE)
			m->release_regno = regno;
	}
	if (r->type == VF_PTR_CTX)
		return vf_reject(env, -EOPNOTSUPP, "barebpf: context arguments of kfunc %s not modelled yet",
				 m->name);
	if (r->type == VF_PTR_BTF_ID) {
		/* KF_ARG_PTR_TO_BTF_ID */
		const struct btf_type *rt;

		if (bbtf_kind(ref_t) != BTF_KIND_STRUCT)
			return vf_reject(env, -EINVAL, "kernel function %s args#%d pointer type %s %s is not supported",
					 m->name, i, bbtf_kind_str(bbtf_kind(ref_t)), ref_name);
		if ((trusted_args || rcu) && !vf_reg_trusted(r)) {
			if (!rcu)
				return vf_reject(env, -EINVAL, "R%d must be referenced or trusted", regno);
			if (!(r->flags & VF_RCU))
				return vf_reject(env, -EINVAL, "R%d must be a rcu pointer", regno);
		}
		if ((m->flags & KF_RELEASE) && r->ref_obj_id && r->off)
			return vf_reject(env, -EINVAL,
					 "R%d must have zero offset when passed to release func or trusted arg to kfunc",
					 regno);
		if (!vf_sval_is_const(&r->v) || r->v.t.value)
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: BTF-typed pointer with a variable offset as kfunc argument not modelled yet");
		if ((r->flags & (VF_MAYBE_NULL | VF_UNTRUSTED)) && !(r->flags & VF_RCU)) {
			struct vf_reg base = *r;

			base.flags &= VF_TRUSTED;
			return vf_reject(env, -EINVAL, "arg#%d is %s expected %s or socket", i,
					 btf_ptr_str(r, b1, sizeof(b1)), btf_ptr_str(&base, b2, sizeof(b2)));
		}
		if (!struct_ids_match(btf, r->aux, r->off, ref_id,
				      (m->flags & KF_RELEASE) && r->ref_obj_id)) {
			rt = bbtf_type_by_id(btf, r->aux);
			return vf_reject(env, -EINVAL,
					 "kernel function %s args#%d expected pointer to %s %s but R%d has a pointer to %s %s",
					 m->name, i, bbtf_kind_str(bbtf_kind(ref_t)), ref_name, regno,
					 rt ? bbtf_kind_str(bbtf_kind(rt)) : "?",
					 rt ? bbtf_name(btf, rt->name_off) : "?");
		}
		return 0;
	}
	/* KF_ARG_PTR_TO_MEM: memory of the pointed-to type's size */
	if (!vf_btf_is_scalar(ref_t) && !scalar_struct(btf, ref_t, 0))
		return vf_reject(env, -EINVAL, "arg#%d pointer type %s %s must point to scalar, or struct with scalar",
				 i, bbtf_kind_str(bbtf_kind(ref_t)), ref_name);
	{
		int64_t size = bbtf_resolve_size(btf, ref_id);

		if (size < 0)
			return vf_reject(env, -EINVAL,
					 "arg#%d reference type('%s %s') size cannot be determined: %" PRId64,
					 i, bbtf_kind_str(bbtf_kind(ref_t)), ref_name, size);
		if ((err = check_mem_reg(env, regno, (uint32_t)size)))
			return err;
	}
	return 0;
}

/* bpf_rcu_read_unlock: RCU-protected pointers lose their protection. */
static void rcu_unlock_regs(struct vf_env *env, struct vf_state *st)
{
	FOR_EACH_REG_IF(env, st, r, r->type == VF_PTR_BTF_ID && (r->flags & VF_RCU), {
		r->flags &= (uint8_t)~(VF_RCU | VF_MAYBE_NULL);
		r->flags |= VF_UNTRUSTED;
	});
}

int check_kfunc_call(struct vf_env *env, const struct isa_insn *in, int pc)
{
	const struct bbtf *btf = env->o->btf;
	const struct btf_type *fn, *proto, *t;
	const struct btf_param *params;
	struct vf_reg *regs = cur_regs(env);
	struct vf_state *st = env->cur;
	struct kmeta m = { 0 };
	int nargs, err;
	size_t k;

	/* do_check: no kfunc here is one of the graph API's allowed under a lock */
	if (vf_active_lock(st))
		return vf_reject(env, -EINVAL, "function calls are not allowed while holding a lock");
	if (in->off)
		return vf_reject(env, -EOPNOTSUPP, "barebpf: kfuncs in module BTF (fd_array slot %d) not modelled yet",
				 in->off);
	if (!btf)
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: kfunc calls without the kernel BTF (vf_opts.btf) not modelled yet");
	if (env->o->gpl_set && !env->o->gpl)
		return vf_reject(env, -EINVAL, "cannot call kernel function from non-GPL compatible program");
	fn = in->imm > 0 ? bbtf_type_by_id(btf, (uint32_t)in->imm) : NULL;
	if (!fn || bbtf_kind(fn) != BTF_KIND_FUNC)
		return vf_reject(env, -EINVAL, "kernel btf_id %u is not a function", (uint32_t)in->imm);
	proto = bbtf_type_by_id(btf, fn->type);
	if (!proto || bbtf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return vf_reject(env, -EINVAL, "kernel function btf_id %u does not have a valid func_proto",
				 (uint32_t)in->imm);
	m.name = bbtf_name(btf, fn->name_off);
	for (k = 0; k < BB_ARRAY_SIZE(kfuncs); k++)
		if (!strcmp(kfuncs[k].name, m.name))
			break;
	if (k == BB_ARRAY_SIZE(kfuncs))
		return vf_reject(env, -EOPNOTSUPP, "barebpf: kfunc %s not modelled yet", m.name);
	if (kfuncs[k].set == SET_GENERIC && !generic_allowed(env->o->prog_type))
		return vf_reject(env, -EACCES, "calling kernel function %s is not allowed", m.name);
	m.flags = kfuncs[k].flags;
	/* check_kfunc_args */
	nargs = bbtf_vlen(proto);
	if (nargs > 5)
		return vf_reject(env, -EINVAL, "Function %s has %d > %d args", m.name, nargs, 5);
	params = bbtf_params(proto);
	for (int i = 0; i < nargs; i++) {
		const char *pn = bbtf_name(btf, params[i].name_off);

		if (pn && strstr(pn, "__"))
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: kfunc %s argument %s (a suffix-annotated argument) not modelled yet",
					 m.name, pn);
		t = vf_btf_skip(btf, params[i].type, NULL);
		if (!t)
			return vf_reject(env, -EINVAL, "barebpf: bad BTF for kfunc %s", m.name);
		if (vf_btf_is_scalar(t)) {
			if (regs[i + 1].type != VF_SCALAR)
				return vf_reject(env, -EINVAL, "R%d is not a scalar", i + 1);
			continue;
		}
		if (bbtf_kind(t) != BTF_KIND_PTR)
			return vf_reject(env, -EINVAL, "Unrecognized arg#%d type %s", i,
					 bbtf_kind_str(bbtf_kind(t)));
		if ((err = check_ptr_arg(env, &m, i, t)))
			return err;
	}
	if ((m.flags & KF_RELEASE) && !m.release_regno)
		return vf_reject(env, -EINVAL, "release kernel function %s expects refcounted PTR_TO_BTF_ID",
				 m.name);
	/* RCU read sections */
	if (!strcmp(m.name, "bpf_rcu_read_lock")) {
		if (st->active_rcu)
			return vf_reject(env, -EINVAL, "nested rcu read lock (kernel function %s)", m.name);
		st->active_rcu = true;
	} else if (!strcmp(m.name, "bpf_rcu_read_unlock")) {
		if (!st->active_rcu)
			return vf_reject(env, -EINVAL, "unmatched rcu read unlock (kernel function %s)", m.name);
		rcu_unlock_regs(env, st);
		st->active_rcu = false;
	}
	if (m.release_regno)
		vf_release_ref(env, regs[m.release_regno].ref_obj_id);
	for (int r = 0; r <= 5; r++) {
		mark_reg_not_init(&regs[r]);
		env->scratched |= 1 << r;
	}
	/* the return value */
	t = vf_btf_skip(btf, proto->type, NULL);
	if (!t)
		return vf_reject(env, -EINVAL, "barebpf: bad BTF for kfunc %s", m.name);
	if ((m.flags & KF_ACQUIRE) && !(bbtf_kind(t) == BTF_KIND_PTR &&
					 vf_btf_skip(btf, t->type, NULL) &&
					 bbtf_kind(vf_btf_skip(btf, t->type, NULL)) == BTF_KIND_STRUCT))
		return vf_reject(env, -EINVAL, "acquire kernel function does not return PTR_TO_BTF_ID");
	if (vf_btf_is_scalar(t)) {
		mark_reg_unknown(&regs[0]);
	} else if (bbtf_kind(t) == BTF_KIND_PTR) {
		uint32_t pid;
		const struct btf_type *pt = vf_btf_skip(btf, t->type, &pid);

		if (!pt || bbtf_kind(pt) == BTF_KIND_UNKN) {
			mark_reg_unknown(&regs[0]);     /* void *: a scalar */
			return 0;
		}
		if (bbtf_kind(pt) != BTF_KIND_STRUCT)
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: kfunc %s returning a pointer to %s not modelled yet", m.name,
					 bbtf_kind_str(bbtf_kind(pt)));
		mark_reg_unknown(&regs[0]);
		regs[0].type = VF_PTR_BTF_ID;
		regs[0].aux = pid;
		regs[0].v = vf_sval_const(0);
		if (m.flags & KF_RET_NULL) {
			regs[0].flags |= VF_MAYBE_NULL;
			regs[0].id = vf_new_id(env);
		}
		if (m.flags & KF_ACQUIRE) {
			regs[0].ref_obj_id = vf_new_id(env);
			if (m.flags & KF_RET_NULL)
				regs[0].id = regs[0].ref_obj_id;
			if ((err = vf_ref_acquire(env, regs[0].ref_obj_id, pc, VF_REF_PTR, 0)))
				return err;
		}
	} else if (bbtf_kind(t) != BTF_KIND_UNKN) {
		return vf_reject(env, -EOPNOTSUPP, "barebpf: kfunc %s returning %s not modelled yet", m.name,
				 bbtf_kind_str(bbtf_kind(t)));
	}
	return 0;
}

/* check_resource_leak's lock checks at an exit (after the reference check). */
int vf_kfunc_exit(struct vf_env *env, const char *prefix)
{
	if (env->cur->active_rcu)
		return vf_reject(env, -EINVAL, "%s cannot be used inside bpf_rcu_read_lock-ed region", prefix);
	return 0;
}
