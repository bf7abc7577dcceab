/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_btf.c - BTF-typed pointers (the kernel's PTR_TO_BTF_ID).
 *
 * A tp_btf program's context is an array of u64 arguments; their types
 * are the parameters of the btf_trace_<name> typedef's FUNC_PROTO after
 * the first (void *).  Loading argument i gives a scalar for integer and
 * enum parameters and a trusted pointer to a struct for struct pointers
 * (btf_ctx_access).  Reads through such a pointer at a constant offset
 * are checked against the struct layout as btf_struct_walk does: the
 * access must fall inside the struct and inside one scalar member (a
 * whole bitfield); writes are refused.  A pointer member to a struct
 * loads as a plain (untrusted) PTR_TO_BTF_ID, as the kernel does outside
 * its trusted/RCU field lists; listed or type-tagged members, and
 * pointers to non-structs (the kernel's untrusted mem), are refused as
 * not modelled.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

__thread const void *vf_log_btf;

bool vf_btf_ctx(const struct vf_env *env)
{
	return env->o->sz >= offsetof(struct vf_opts, attach_btf_id) + sizeof(uint32_t) &&
	       env->o->prog_type == BPF_PROG_TYPE_TRACING &&
	       env->o->expected_attach_type == BPF_TRACE_RAW_TP && env->o->btf &&
	       env->o->attach_btf_id;
}

/* @id with typedefs and modifiers skipped (NULL if invalid). */
/* A line of its own after the instruction being logged. */
static void log_line(struct vf_env *env)
{
	if (env->o->log_level && env->log_len && env->log[env->log_len - 1] != '\n')
		vf_log(env, "\n");
}

static const struct btf_type *skip(const struct bbtf *btf, uint32_t id, uint32_t *out)
{
	int r = bbtf_skip_mods(btf, id);
	const struct btf_type *t;

	if (r < 0)
		return NULL;
	t = bbtf_type_by_id(btf, (uint32_t)r);
	while (t && bbtf_kind(t) == BTF_KIND_TYPEDEF) {
		r = bbtf_skip_mods(btf, t->type);
		if (r < 0)
			return NULL;
		t = bbtf_type_by_id(btf, (uint32_t)r);
	}
	if (out)
		*out = (uint32_t)r;
	return t;
}

static bool is_scalar_kind(const struct btf_type *t)
{
	int k = bbtf_kind(t);

	return k == BTF_KIND_INT || k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
}

int check_btf_ctx_access(struct vf_env *env, int off, int size, bool write, struct vf_reg *dst)
{
	const struct bbtf *btf = env->o->btf;
	const struct btf_type *td = bbtf_type_by_id(btf, env->o->attach_btf_id), *proto, *t;
	const char *tname, *fname;
	const struct btf_param *params;
	uint32_t nargs, arg, id;

	if (!td || bbtf_kind(td) != BTF_KIND_TYPEDEF)
		return vf_reject(env, -EINVAL, "barebpf: attach_btf_id %u is not a typedef",
				 env->o->attach_btf_id);
	tname = bbtf_name(btf, td->name_off);
	fname = tname && !strncmp(tname, "btf_trace_", 10) ? tname + 10 : tname ? tname : "?";
	proto = skip(btf, td->type, NULL);
	if (proto && bbtf_kind(proto) == BTF_KIND_PTR)
		proto = skip(btf, proto->type, NULL);
	if (!proto || bbtf_kind(proto) != BTF_KIND_FUNC_PROTO || bbtf_vlen(proto) < 1)
		return vf_reject(env, -EINVAL, "barebpf: %s is not a tracepoint prototype", tname);
	if (off < 0 || off >= 8 * 12 || write || size <= 0 || off % size)
		return vf_reject(env, -EACCES, "invalid bpf_context access off=%d size=%d", off, size);
	if (off % 8) {
		log_line(env);
		vf_log(env, "func '%s' offset %d is not multiple of 8\n", fname, off);
		return vf_reject(env, -EACCES, "invalid bpf_context access off=%d size=%d", off, size);
	}
	params = bbtf_params(proto);
	nargs = bbtf_vlen(proto) - 1u;
	arg = (uint32_t)off / 8;
	if (arg >= nargs) {
		log_line(env);
		vf_log(env, "func '%s' doesn't have %u-th argument\n", fname, arg + 1);
		return vf_reject(env, -EACCES, "invalid bpf_context access off=%d size=%d", off, size);
	}
	t = skip(btf, params[arg + 1].type, &id);
	if (!t)
		return vf_reject(env, -EINVAL, "barebpf: bad BTF for %s", tname);
	mark_reg_unknown(dst);
	if (is_scalar_kind(t)) {
		vf_sval_cast(&dst->v, (unsigned)size);
		return 0;
	}
	if (bbtf_kind(t) == BTF_KIND_PTR) {
		const struct btf_type *pt = skip(btf, t->type, &id);

		if (size != 8)
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: narrow load of pointer argument %u not modelled yet", arg);
		if (pt && (bbtf_kind(pt) == BTF_KIND_STRUCT)) {
			log_line(env);
			vf_log(env, "func '%s' arg%u has btf_id %u type STRUCT '%s'\n", fname, arg, id,
			       bbtf_name(btf, pt->name_off));
			dst->type = VF_PTR_BTF_ID;
			dst->flags = VF_TRUSTED;
			dst->aux = id;
			dst->v = vf_sval_const(0);
			return 0;
		}
	}
	return vf_reject(env, -EOPNOTSUPP, "barebpf: tp_btf argument %u of kind %s not modelled yet",
			 arg, bbtf_kind_str(bbtf_kind(t)));
}

/* Is @field one of the members the kernel lists as trusted/RCU-safe for
 * struct @sname (BTF_TYPE_SAFE_*: emitted into vmlinux BTF as structs
 * named "<sname>__safe_<kind>")?  Loads of those give trusted or RCU
 * pointers, which we do not model. */
static bool field_is_listed(const struct bbtf *btf, const char *sname, const char *field)
{
	static const char *const kinds[] = { "__safe_trusted", "__safe_trusted_or_null",
					     "__safe_rcu", "__safe_rcu_or_null" };
	char name[192];

	for (size_t k = 0; k < BB_ARRAY_SIZE(kinds); k++) {
		const struct btf_type *t;
		int id;

		snprintf(name, sizeof(name), "%s%s", sname, kinds[k]);
		id = bbtf_find_by_name_kind(btf, name, BTF_KIND_STRUCT);
		if (id <= 0 || !(t = bbtf_type_by_id(btf, (uint32_t)id)))
			continue;
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const char *mn = bbtf_name(btf, bbtf_members(t)[i].name_off);

			if (mn && !strcmp(mn, field))
				return true;
		}
	}
	return false;
}

/* Has the type chain from @id to the first non-modifier a type tag
 * (__rcu, __user, __percpu: MEM_RCU/MEM_USER/MEM_PERCPU in the kernel)? */
static bool has_type_tag(const struct bbtf *btf, uint32_t id)
{
	for (int i = 0; i < 32; i++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);
		int k = t ? bbtf_kind(t) : BTF_KIND_UNKN;

		if (k == BTF_KIND_TYPE_TAG)
			return true;
		if (k != BTF_KIND_TYPEDEF && k != BTF_KIND_CONST && k != BTF_KIND_VOLATILE &&
		    k != BTF_KIND_RESTRICT && k != BTF_KIND_PTR)
			return false;
		id = t->type;
	}
	return true;
}

/*
 * btf_struct_walk for a read of @size bytes at @off of struct @t (the
 * register's struct @outer): 0 with *ptr_id 0 for a scalar, or with
 * *ptr_id the pointed-to struct for a pointer member; else the kernel's
 * rejection (or ours for what we do not model).
 */
static int walk(struct vf_env *env, const struct btf_type *outer, const struct btf_type *t,
		uint32_t off, uint32_t size, uint32_t *ptr_id)
{
	const struct bbtf *btf = env->o->btf;
	const char *tname = bbtf_name(btf, t->name_off);

	*ptr_id = 0;
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_member *m = bbtf_members(t);
		bool found = false;

		if ((uint64_t)off + size > t->size)
			return vf_reject(env, -EACCES, "access beyond struct %s at off %u size %u",
					 tname, off, size);
		for (int i = 0; i < bbtf_vlen(t) && !found; i++) {
			uint32_t bo = bbtf_member_bit_offset(t, i), bits = bbtf_member_bitfield_size(t, i);
			uint32_t moff = bo / 8, mid, msize;
			const char *mname = bbtf_name(btf, m[i].name_off);
			const struct btf_type *mt;
			int64_t sz;

			if (bits) {
				if (off <= moff && (bo + bits + 7) / 8 <= off + size)
					return 0;
				continue;
			}
			if (bo % 8)
				return vf_reject(env, -EOPNOTSUPP, "barebpf: unaligned member not modelled yet");
			mt = skip(btf, m[i].type, &mid);
			if (!mt)
				return vf_reject(env, -EINVAL, "barebpf: bad BTF member");
			sz = bbtf_resolve_size(btf, mid);
			if (sz < 0)
				continue;
			msize = (uint32_t)sz;
			if (off < moff || off >= moff + msize)
				continue;
			/* inside this member */
			while (bbtf_kind(mt) == BTF_KIND_ARRAY) {
				const struct btf_array *a = bbtf_array(mt);
				int64_t es = bbtf_resolve_size(btf, a->type);

				mt = skip(btf, a->type, &mid);
				if (!mt || es <= 0)
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: array member access not modelled yet");
				moff += (off - moff) / (uint32_t)es * (uint32_t)es;
				msize = (uint32_t)es;
			}
			if (bbtf_kind(mt) == BTF_KIND_STRUCT || bbtf_kind(mt) == BTF_KIND_UNION) {
				if (bbtf_kind(mt) == BTF_KIND_UNION)
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: read inside a union member not modelled yet");
				off -= moff;
				t = mt;
				tname = bbtf_name(btf, t->name_off);
				found = true;
				break;
			}
			if (bbtf_kind(mt) == BTF_KIND_PTR) {
				const struct btf_type *pt;
				uint32_t pid;

				if (off != moff || size != 8)
					return vf_reject(env, -EACCES,
							 "cannot access ptr member %s with moff %u in struct %s with off %u size %u",
							 mname, moff, tname, off, size);
				pt = skip(btf, mt->type, &pid);
				if (has_type_tag(btf, m[i].type) ||
				    field_is_listed(btf, bbtf_name(btf, outer->name_off), mname) ||
				    field_is_listed(btf, tname, mname))
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: tagged or trusted/RCU pointer member %s of struct %s not modelled yet",
							 mname, tname);
				if (!pt || bbtf_kind(pt) != BTF_KIND_STRUCT)
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: pointer member %s of struct %s to a non-struct (untrusted mem) not modelled yet",
							 mname, tname);
				*ptr_id = pid;
				return 0;
			}
			if (!is_scalar_kind(mt))
				return vf_reject(env, -EOPNOTSUPP,
						 "barebpf: member %s of kind %s not modelled yet",
						 mname, bbtf_kind_str(bbtf_kind(mt)));
			if (off + size > moff + msize)
				return vf_reject(env, -EACCES,
						 "access beyond the end of member %s (mend:%u) in struct %s with off %u size %u",
						 mname, moff + msize, tname, off, size);
			return 0;
		}
		if (!found)
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: read of struct %s at off %u size %u outside its members not modelled yet",
					 tname, off, size);
	}
	return vf_reject(env, -EOPNOTSUPP, "barebpf: struct nesting too deep");
}

int check_ptr_to_btf_access(struct vf_env *env, int regno, const struct vf_reg *r, int off,
			    int size, bool write, struct vf_reg *dst)
{
	const struct bbtf *btf = env->o->btf;
	const struct btf_type *t = btf ? bbtf_type_by_id(btf, r->aux) : NULL;
	const char *tname = t ? bbtf_name(btf, t->name_off) : "?";
	int64_t o = (int64_t)r->off + off;
	uint32_t pid;
	int err;

	if (!t || bbtf_kind(t) != BTF_KIND_STRUCT)
		return vf_reject(env, -EINVAL, "barebpf: bad BTF id %u", r->aux);
	if (o < 0)
		return vf_reject(env, -EACCES, "R%d is ptr_%s invalid negative access: off=%" PRId64,
				 regno, tname, o);
	if (!vf_sval_is_const(&r->v) || r->v.t.value) {
		char b[64];

		snprintf(b, sizeof(b), "(0x%" PRIx64 "; 0x%" PRIx64 ")", r->v.t.value, r->v.t.mask);
		return vf_reject(env, -EACCES, "R%d is ptr_%s invalid variable offset: off=%" PRId64 ", var_off=%s",
				 regno, tname, o, b);
	}
	if (write)
		return vf_reject(env, -EACCES, "only read is supported");
	if ((err = walk(env, t, t, (uint32_t)o, (uint32_t)size, &pid)))
		return err;
	if (dst) {
		mark_reg_unknown(dst);
		if (pid) {
			/* walking a pointer gives an untrusted (plain) one */
			dst->type = VF_PTR_BTF_ID;
			dst->aux = pid;
			dst->v = vf_sval_const(0);
		} else {
			vf_sval_cast(&dst->v, (unsigned)size);
		}
	}
	return 0;
}
