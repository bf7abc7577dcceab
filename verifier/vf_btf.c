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
 * loads as a PTR_TO_BTF_ID whose trust follows the kernel's rules
 * (walked_ptr_flags: trusted/RCU field lists, __rcu tags); __user and
 * __percpu members, and pointers to non-structs (the kernel's untrusted
 * mem), are refused as not modelled.
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

/* A line of its own after the instruction being logged. */
static void log_line(struct vf_env *env)
{
	if (env->o->log_level && env->log_len && env->log[env->log_len - 1] != '\n')
		vf_log(env, "\n");
}

/* The type @id names once modifiers and typedefs are skipped (its id in
 * *@out), or NULL. */
const struct btf_type *vf_btf_skip(const struct bbtf *btf, uint32_t id, uint32_t *out)
{
	int r = bbtf_skip_mods(btf, id);

	if (r < 0)
		return NULL;
	if (out)
		*out = (uint32_t)r;
	return bbtf_type_by_id(btf, (uint32_t)r);
}

/* An integer or enum: what the kernel's btf_type_is_scalar() accepts. */
bool vf_btf_is_scalar(const struct btf_type *t)
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
	proto = vf_btf_skip(btf, td->type, NULL);
	if (proto && bbtf_kind(proto) == BTF_KIND_PTR)
		proto = vf_btf_skip(btf, proto->type, NULL);
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
	t = vf_btf_skip(btf, params[arg + 1].type, &id);
	if (!t)
		return vf_reject(env, -EINVAL, "barebpf: bad BTF for %s", tname);
	mark_reg_unknown(dst);
	if (vf_btf_is_scalar(t)) {
		vf_sval_cast(&dst->v, (unsigned)size);
		return 0;
	}
	if (bbtf_kind(t) == BTF_KIND_PTR) {
		const struct btf_type *pt = vf_btf_skip(btf, t->type, &id);

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

/* Is @field (a pointer to type @pid) one of the members the kernel lists
 * for struct @sname under @kind (BTF_TYPE_SAFE_TRUSTED/_RCU...: emitted
 * into vmlinux BTF as structs named "<sname><kind>"), as its
 * btf_nested_type_is_trusted checks: name and pointed-to type match. */
static bool field_is_listed(const struct bbtf *btf, const char *sname, const char *kind,
			    const char *field, uint32_t pid)
{
	char name[192];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "%s%s", sname, kind);
	id = bbtf_find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	if (id <= 0 || !(t = bbtf_type_by_id(btf, (uint32_t)id)))
		return false;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		const char *mn = bbtf_name(btf, bbtf_members(t)[i].name_off);
		const struct btf_type *mt = bbtf_type_by_id(btf, bbtf_members(t)[i].type);
		int target;

		if (!mn || strcmp(mn, field) || !mt || bbtf_kind(mt) != BTF_KIND_PTR)
			continue;
		target = bbtf_skip_mods(btf, mt->type);
		if (target >= 0 && (uint32_t)target == pid)
			return true;
	}
	return false;
}

/* The type tag right after a pointer member's PTR (btf_struct_walk looks
 * at that one only): "rcu", "user", "percpu", or NULL. */
static const char *ptr_tag(const struct bbtf *btf, uint32_t member_type)
{
	const struct btf_type *t = bbtf_type_by_id(btf, member_type);

	while (t && bbtf_kind(t) != BTF_KIND_PTR &&
	       (bbtf_kind(t) == BTF_KIND_TYPEDEF || bbtf_kind(t) == BTF_KIND_CONST ||
		bbtf_kind(t) == BTF_KIND_VOLATILE || bbtf_kind(t) == BTF_KIND_RESTRICT))
		t = bbtf_type_by_id(btf, t->type);
	if (!t || bbtf_kind(t) != BTF_KIND_PTR)
		return NULL;
	t = bbtf_type_by_id(btf, t->type);
	if (!t || bbtf_kind(t) != BTF_KIND_TYPE_TAG || bbtf_kflag(t))
		return NULL;
	return bbtf_name(btf, t->name_off);
}

/*
 * btf_struct_walk for a read of @size bytes at @off of struct @t: 0 with
 * *ptr_id 0 for a scalar, or with *ptr_id the pointed-to struct, *field
 * the member's name and *tag its type tag for a pointer member; else the
 * kernel's rejection (or ours for what we do not model).
 */
static int walk(struct vf_env *env, const struct btf_type *t, uint32_t off, uint32_t size,
		uint32_t *ptr_id, const char **field, const char **tag)
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
			mt = vf_btf_skip(btf, m[i].type, &mid);
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

				mt = vf_btf_skip(btf, a->type, &mid);
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
				pt = vf_btf_skip(btf, mt->type, &pid);
				if (!pt || bbtf_kind(pt) != BTF_KIND_STRUCT)
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: pointer member %s of struct %s to a non-struct (untrusted mem) not modelled yet",
							 mname, tname);
				*ptr_id = pid;
				*field = mname;
				*tag = ptr_tag(btf, m[i].type);
				return 0;
			}
			if (!vf_btf_is_scalar(mt))
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

/*
 * What a pointer loaded from member @field (tag @tag, pointing to @pid)
 * of a register @r of struct @sname may be trusted for (the kernel's
 * check_ptr_to_btf_access): walking an untrusted pointer stays
 * untrusted; from a trusted or RCU one, members the kernel lists are
 * trusted (or trusted-or-NULL), and since every program modelled here
 * is non-sleepable it is always in an RCU read section, where listed RCU
 * members are rcu_ptr_ and __rcu-tagged ones rcu_ptr_or_null_; anything
 * else is a plain (legacy) pointer.
 */
static int walked_ptr_flags(struct vf_env *env, const struct vf_reg *r, const char *sname,
			    const char *field, const char *tag, uint32_t pid, uint8_t *flags)
{
	const struct bbtf *btf = env->o->btf;
	bool rcu_tag = tag && !strcmp(tag, "rcu");
	bool trusted = vf_reg_trusted(r);

	*flags = 0;
	if (r->flags & VF_UNTRUSTED) {
		*flags = VF_UNTRUSTED;
		return 0;
	}
	if (tag && (!strcmp(tag, "user") || !strcmp(tag, "percpu")))
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: __%s pointer member %s of struct %s not modelled yet", tag,
				 field, sname);
	if (!trusted && !(r->flags & VF_RCU))
		return 0;       /* old compat: plain PTR_TO_BTF_ID */
	if (field_is_listed(btf, sname, "__safe_trusted", field, pid))
		*flags = VF_TRUSTED | (rcu_tag ? VF_RCU : 0);
	else if (field_is_listed(btf, sname, "__safe_trusted_or_null", field, pid))
		*flags = VF_TRUSTED | VF_MAYBE_NULL | (rcu_tag ? VF_RCU : 0);
	else if (r->flags & VF_MAYBE_NULL)
		*flags = VF_UNTRUSTED;
	else if (field_is_listed(btf, sname, "__safe_rcu", field, pid))
		*flags = VF_RCU;
	else if (rcu_tag || field_is_listed(btf, sname, "__safe_rcu_or_null", field, pid))
		*flags = VF_RCU | VF_MAYBE_NULL;
	return 0;
}

int check_ptr_to_btf_access(struct vf_env *env, int regno, const struct vf_reg *r, int off,
			    int size, bool write, struct vf_reg *dst)
{
	const struct bbtf *btf = env->o->btf;
	const struct btf_type *t = btf ? bbtf_type_by_id(btf, r->aux) : NULL;
	const char *tname = t ? bbtf_name(btf, t->name_off) : "?";
	int64_t o = (int64_t)r->off + off;
	const char *field = NULL, *tag = NULL;
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
	if ((err = walk(env, t, (uint32_t)o, (uint32_t)size, &pid, &field, &tag)))
		return err;
	if (dst) {
		mark_reg_unknown(dst);
		if (pid) {
			dst->type = VF_PTR_BTF_ID;
			dst->aux = pid;
			dst->v = vf_sval_const(0);
			if ((err = walked_ptr_flags(env, r, tname, field, tag, pid, &dst->flags)))
				return err;
			if (dst->flags & VF_MAYBE_NULL)
				dst->id = vf_new_id(env);
		} else {
			vf_sval_cast(&dst->v, (unsigned)size);
		}
	}
	return 0;
}

/* ----- map value fields ----- */

/* Count the struct bpf_spin_lock fields of type @id at byte @base, the
 * first one's offset in *off (the kernel's btf_find_field over struct
 * members, nested structs and a DATASEC's variables). */
static int find_spin_locks(const struct bbtf *btf, uint32_t id, uint32_t base, uint32_t *off,
			   int depth)
{
	const struct btf_type *t;
	int sid = bbtf_skip_mods(btf, id), n = 0;

	if (sid <= 0 || depth > 8 || !(t = bbtf_type_by_id(btf, (uint32_t)sid)))
		return 0;
	switch (bbtf_kind(t)) {
	case BTF_KIND_STRUCT:
		if (!strcmp(bbtf_name(btf, t->name_off), "bpf_spin_lock")) {
			*off = base;
			return 1;
		}
		for (int i = 0; i < bbtf_vlen(t); i++) {
			uint32_t o = 0;
			int k;

			if (bbtf_member_bitfield_size(t, i))
				continue;
			k = find_spin_locks(btf, bbtf_members(t)[i].type,
					    base + bbtf_member_bit_offset(t, i) / 8, &o, depth + 1);
			if (k && !n)
				*off = o;
			n += k;
		}
		return n;
	case BTF_KIND_DATASEC:
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const struct btf_var_secinfo *v = &bbtf_secinfos(t)[i];
			const struct btf_type *var = bbtf_type_by_id(btf, v->type);
			uint32_t o = 0;
			int k;

			if (!var || bbtf_kind(var) != BTF_KIND_VAR)
				continue;
			k = find_spin_locks(btf, var->type, base + v->offset, &o, depth + 1);
			if (k && !n)
				*off = o;
			n += k;
		}
		return n;
	default:
		return 0;
	}
}

int vf_map_btf_fields(struct vf_map *m, const void *btf, uint32_t value_type_id)
{
	uint32_t off = 0;
	int n;

	m->btf = btf && value_type_id;
	m->spin_lock = false;
	m->spin_lock_off = 0;
	if (!m->btf)
		return 0;
	n = find_spin_locks(btf, value_type_id, 0, &off, 0);
	if (n > 1)
		return -EINVAL;         /* btf_parse_fields: one lock per value */
	m->spin_lock = n == 1;
	m->spin_lock_off = off;
	return 0;
}
