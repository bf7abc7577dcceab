/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_global.c - global functions, as the kernel verifies them.
 *
 * A subprogram whose BTF func_info says BTF_FUNC_GLOBAL is not verified
 * in its caller's context: the caller only has to pass arguments that
 * match the function's BTF prototype, and gets back an unknown scalar;
 * the function itself is verified once, on its own, starting from
 * arguments typed by that prototype (the kernel's btf_prepare_func_args,
 * btf_check_func_arg_match, do_check_common for a subprogram).  So a
 * global function must check what it is given: a pointer to a sized type
 * arrives as "mem or NULL" of that size and must be compared with 0
 * before use (unless tagged __arg_nonnull), a scalar has any value, and
 * what it returns must be a scalar.  Only functions some verified path
 * calls are verified (after the entry, in subprogram order, until no new
 * one is called), as the kernel's do_check_subprogs.
 *
 * The context type of an argument is decided by name, as the kernel's
 * btf_is_prog_ctx_type does against its bpf_ctx_convert struct: the
 * table below is the part of include/linux/bpf_types.h for the program
 * types this verifier models.
 */
#include <inttypes.h>
#include <stdio.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "verifier/vf_helpers.h"
#include "verifier/vf_internal.h"

#define MAX_ARGS 5

/* prog type -> the struct a `T *ctx` argument must point to (NULL: no
 * named context struct, so only `void *ctx __arg_ctx` is one); @alias is
 * the kernel type the user-visible one projects (btf_is_projection_of). */
static const struct { uint32_t type; const char *ctx; const char *alias; } ctx_types[] = {
	{ BPF_PROG_TYPE_SOCKET_FILTER, "__sk_buff", "sk_buff" },
	{ BPF_PROG_TYPE_SCHED_CLS, "__sk_buff", "sk_buff" },
	{ BPF_PROG_TYPE_SCHED_ACT, "__sk_buff", "sk_buff" },
	{ BPF_PROG_TYPE_CGROUP_SKB, "__sk_buff", "sk_buff" },
	{ BPF_PROG_TYPE_XDP, "xdp_md", "xdp_buff" },
	{ BPF_PROG_TYPE_KPROBE, "pt_regs", NULL },     /* via typedef bpf_user_pt_regs_t */
	{ BPF_PROG_TYPE_PERF_EVENT, "bpf_perf_event_data", NULL },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, "bpf_raw_tracepoint_args", NULL },
	{ BPF_PROG_TYPE_TRACEPOINT, NULL, NULL },
	{ BPF_PROG_TYPE_TRACING, NULL, NULL },
};

static const char *ctx_name(uint32_t prog_type, const char **alias);

static bool has_funcs(const struct vf_env *env)
{
	return VF_OPTS_HAS_FUNCS(env->o) && env->o->func_infos && env->o->prog_btf;
}

bool vf_subprog_global(const struct vf_env *env, int sub)
{
	return sub > 0 && sub < env->nsub && env->sub[sub].global;
}

/*
 * The func_info records against the subprograms found in the code (the
 * kernel's check_btf_func_early/check_btf_func): one FUNC per subprogram,
 * at its first instruction.  Records the linkage and name of each.
 */
int vf_func_info_check(struct vf_env *env)
{
	const struct bbtf *btf;
	const struct vf_func_info *fi;

	if (!has_funcs(env))
		return 0;
	btf = env->o->prog_btf;
	fi = env->o->func_infos;
	if (env->o->func_info_cnt != (size_t)env->nsub)
		return vf_reject(env, -EINVAL, "number of funcs in func_info doesn't match number of subprogs");
	for (int i = 0; i < env->nsub; i++) {
		const struct btf_type *t = bbtf_type_by_id(btf, fi[i].type_id);

		if (fi[i].insn_off != (uint32_t)env->sub[i].start)
			return vf_reject(env, -EINVAL,
					 "func_info BTF section doesn't match subprog layout in BPF program");
		if (!t || bbtf_kind(t) != BTF_KIND_FUNC)
			return vf_reject(env, -EINVAL, "invalid type id %u", fi[i].type_id);
		env->sub[i].global = i > 0 && BTF_INFO_VLEN(t->info) == BTF_FUNC_GLOBAL;
		env->sub[i].name = bbtf_name(btf, t->name_off);
	}
	return 0;
}

const char *vf_ctx_struct_name(uint32_t prog_type)
{
	const char *alias;

	return ctx_name(prog_type, &alias);
}

static const char *ctx_name(uint32_t prog_type, const char **alias)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(ctx_types); i++)
		if (ctx_types[i].type == prog_type) {
			*alias = ctx_types[i].alias;
			return ctx_types[i].ctx;
		}
	*alias = NULL;
	return NULL;
}

/* btf_is_prog_ctx_type: does pointer @ptr point to the program type's
 * context struct (by name)? */
static bool is_ctx_ptr(const struct vf_env *env, const struct bbtf *btf, const struct btf_type *ptr)
{
	const struct btf_type *t = bbtf_type_by_id(btf, ptr->type);
	const char *want, *alias, *name;

	if (env->o->prog_type == BPF_PROG_TYPE_KPROBE) {
		/* the typedef is checked before typedefs are skipped */
		while (t && bbtf_kind(t) != BTF_KIND_TYPEDEF &&
		       (bbtf_kind(t) == BTF_KIND_CONST || bbtf_kind(t) == BTF_KIND_VOLATILE ||
			bbtf_kind(t) == BTF_KIND_RESTRICT || bbtf_kind(t) == BTF_KIND_TYPE_TAG))
			t = bbtf_type_by_id(btf, t->type);
		if (t && bbtf_kind(t) == BTF_KIND_TYPEDEF &&
		    !strcmp(bbtf_name(btf, t->name_off), "bpf_user_pt_regs_t"))
			return true;
	}
	t = vf_btf_skip(btf, ptr->type, NULL);
	if (!t || bbtf_kind(t) != BTF_KIND_STRUCT)
		return false;
	name = bbtf_name(btf, t->name_off);
	want = ctx_name(env->o->prog_type, &alias);
	if (!want || !name)
		return false;
	return !strcmp(name, want) || (alias && !strcmp(name, alias));
}

/* btf_validate_prog_ctx_type for an argument tagged __arg_ctx. */
static int validate_ctx_tag(struct vf_env *env, const struct bbtf *btf, const struct btf_type *ptr,
			    int arg)
{
	const struct btf_type *t;
	const char *want, *alias, *name;

	if (bbtf_kind(ptr) != BTF_KIND_PTR) {
		vf_log(env, "arg#%d type isn't a pointer\n", arg);
		return -EINVAL;
	}
	if (env->o->prog_type == BPF_PROG_TYPE_KPROBE || env->o->prog_type == BPF_PROG_TYPE_PERF_EVENT)
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: __arg_ctx for kprobe/perf_event programs not modelled yet");
	t = vf_btf_skip(btf, ptr->type, NULL);
	if (!t)
		return -EINVAL;
	if (bbtf_kind(t) == BTF_KIND_UNKN)      /* void *ctx __arg_ctx */
		return 0;
	name = bbtf_name(btf, t->name_off);
	if (!name || !*name) {
		vf_log(env, "arg#%d type doesn't have a name\n", arg);
		return -EINVAL;
	}
	if ((env->o->prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	     (env->o->prog_type == BPF_PROG_TYPE_TRACING &&
	      env->o->expected_attach_type == BPF_TRACE_RAW_TP)) &&
	    bbtf_kind(t) == BTF_KIND_INT && t->size == 8)
		return 0;               /* u64 *ctx */
	if (env->o->prog_type == BPF_PROG_TYPE_TRACING && env->o->expected_attach_type == BPF_TRACE_RAW_TP &&
	    bbtf_kind(t) == BTF_KIND_STRUCT && !strcmp(name, "bpf_raw_tracepoint_args"))
		return 0;
	want = ctx_name(env->o->prog_type, &alias);
	if (!want) {
		vf_log(env, "arg#%d should be void pointer\n", arg);
		return -EINVAL;
	}
	if (bbtf_kind(t) != BTF_KIND_STRUCT || strcmp(name, want)) {
		vf_log(env, "arg#%d should be `struct %s *`\n", arg, want);
		return -EINVAL;
	}
	return 0;
}

enum { TAG_CTX = 1, TAG_NONNULL = 2, TAG_OTHER = 4 };

/* The "arg:" decl tags of parameter @arg of FUNC @fn_id. */
static int arg_tags(struct vf_env *env, const struct bbtf *btf, uint32_t fn_id, int arg,
		    unsigned *tags)
{
	*tags = 0;
	for (uint32_t id = bbtf_start_id(btf); id < bbtf_type_cnt(btf); id++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);
		const char *v;

		if (!t || bbtf_kind(t) != BTF_KIND_DECL_TAG || t->type != fn_id ||
		    bbtf_decl_tag(t)->component_idx != arg)
			continue;
		v = bbtf_name(btf, t->name_off);
		if (!v || strncmp(v, "arg:", 4))
			continue;
		if (!strcmp(v + 4, "ctx"))
			*tags |= TAG_CTX;
		else if (!strcmp(v + 4, "nonnull"))
			*tags |= TAG_NONNULL;
		else if (!strcmp(v + 4, "trusted") || !strcmp(v + 4, "nullable") || !strcmp(v + 4, "arena"))
			return vf_reject(env, -EOPNOTSUPP, "barebpf: __arg_%s not modelled yet", v + 4);
		else {
			vf_log(env, "arg#%d has unsupported set of tags\n", arg);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/*
 * btf_prepare_func_args for global subprogram @sub: argument kinds and
 * memory sizes from its prototype.  On failure the reason is logged and
 * a negative errno returned (the caller words the rejection); -EOPNOTSUPP
 * after vf_reject for what is not modelled.
 */
static int prepare_args(struct vf_env *env, int sub)
{
	struct vf_subprog *sp = &env->sub[sub];
	const struct bbtf *btf = env->o->prog_btf;
	uint32_t fn_id = env->o->func_infos[sub].type_id;
	const struct btf_type *fn = bbtf_type_by_id(btf, fn_id), *proto, *t;
	const struct btf_param *params;
	const char *name = sp->name ? sp->name : "?";
	int nargs, err;

	if (sp->args_ready)
		return 0;
	proto = fn ? bbtf_type_by_id(btf, fn->type) : NULL;
	if (!proto || bbtf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return vf_reject(env, -EFAULT, "Invalid type of function %s()", name);
	nargs = bbtf_vlen(proto);
	if (nargs > MAX_ARGS) {
		vf_log(env, "Global function %s() with %d > %d args. Buggy compiler.\n", name, nargs,
		       MAX_ARGS);
		return -EINVAL;
	}
	t = vf_btf_skip(btf, proto->type, NULL);
	if (!t || !vf_btf_is_scalar(t)) {
		vf_log(env, "Global function %s() doesn't return scalar. Only those are supported.\n",
		       name);
		return -EINVAL;
	}
	params = bbtf_params(proto);
	for (int i = 0; i < nargs; i++) {
		unsigned tags;

		if ((err = arg_tags(env, btf, fn_id, i, &tags)))
			return err;
		t = vf_btf_skip(btf, params[i].type, NULL);
		if (!t)
			return -EINVAL;
		if (bbtf_kind(t) == BTF_KIND_PTR) {
			if ((tags & TAG_CTX) || is_ctx_ptr(env, btf, t)) {
				if (tags & ~TAG_CTX) {
					vf_log(env, "arg#%d has invalid combination of tags\n", i);
					return -EINVAL;
				}
				if ((tags & TAG_CTX) && (err = validate_ctx_tag(env, btf, t, i)))
					return err;
				sp->arg[i] = VF_GARG_CTX;
				continue;
			}
			{
				const struct btf_type *pt = vf_btf_skip(btf, t->type, NULL);
				const char *pn = pt ? bbtf_name(btf, pt->name_off) : NULL;
				int64_t size;

				if (pt && bbtf_kind(pt) == BTF_KIND_STRUCT && pn && !strcmp(pn, "bpf_dynptr"))
					return vf_reject(env, -EOPNOTSUPP,
							 "barebpf: bpf_dynptr arguments of global functions not modelled yet");
				size = pt ? bbtf_resolve_size(btf, (uint32_t)bbtf_skip_mods(btf, t->type)) : -EINVAL;
				if (size < 0) {
					vf_log(env, "arg#%d reference type('%s %s') size cannot be determined: %" PRId64 "\n",
					       i, bbtf_kind_str(pt ? bbtf_kind(pt) : 0), pn ? pn : "", size);
					return -EINVAL;
				}
				sp->arg[i] = tags & TAG_NONNULL ? VF_GARG_MEM : VF_GARG_MEM_OR_NULL;
				sp->mem_size[i] = (uint32_t)size;
				continue;
			}
		}
		if (tags) {
			vf_log(env, "arg#%d has pointer tag, but is not a pointer type\n", i);
			return -EINVAL;
		}
		if (vf_btf_is_scalar(t)) {
			sp->arg[i] = VF_GARG_SCALAR;
			continue;
		}
		vf_log(env, "Arg#%d type %s in %s() is not supported yet.\n", i,
		       bbtf_kind_str(bbtf_kind(t)), name);
		return -EINVAL;
	}
	sp->nargs = (uint8_t)nargs;
	sp->args_ready = true;
	return 0;
}

/* check_func_arg_reg_off with ARG_DONTCARE: which pointer kinds may carry
 * an offset into a function argument. */
static int check_arg_reg_off(struct vf_env *env, int regno, const struct vf_reg *r)
{
	char b[64];

	if (!(r->flags & VF_MAYBE_NULL))
		switch (r->type) {
		case VF_PTR_STACK: case VF_PTR_PKT: case VF_PTR_PKT_META: case VF_PTR_MAP_KEY:
		case VF_PTR_MAP_VALUE: case VF_PTR_MEM: case VF_SCALAR:
			return 0;
		case VF_PTR_BTF_ID:
			if (vf_sval_is_const(&r->v) && !r->v.t.value)
				return 0;
			break;
		default:
			if (r->off)
				return vf_reject(env, -EACCES, "dereference of modified %s ptr R%d off=%d disallowed",
						 vf_reg_type_str(r), regno, r->off);
			break;
		}
	else if (r->off)
		return vf_reject(env, -EACCES, "dereference of modified %s ptr R%d off=%d disallowed",
				 vf_reg_type_str(r), regno, r->off);
	if (vf_sval_is_const(&r->v) && !r->v.t.value)
		return 0;
	snprintf(b, sizeof(b), "(0x%" PRIx64 "; 0x%" PRIx64 ")", r->v.t.value, r->v.t.mask);
	return vf_reject(env, -EACCES, "variable %s access var_off=%s disallowed", vf_reg_type_str(r), b);
}

/*
 * check_mem_reg: may @size bytes at register @regno be read and written
 * (a global function's or kfunc's memory argument)?  NULL passes; a
 * maybe-NULL pointer is checked as if it were not NULL.
 */
int check_mem_reg(struct vf_env *env, int regno, uint32_t size)
{
	struct vf_reg r = cur_regs(env)[regno];
	int err;

	if (vf_reg_is_null(&r))
		return 0;
	r.flags &= (uint8_t)~VF_MAYBE_NULL;
	switch (r.type) {
	case VF_PTR_MAP_KEY: case VF_PTR_MEM: case VF_PTR_PKT: case VF_PTR_PKT_META:
	case VF_PTR_STACK: case VF_PTR_MAP_VALUE:
		break;
	case VF_PTR_BTF_ID:
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: a BTF-typed pointer as a memory argument not modelled yet");
	default:
		return vf_reject(env, -EACCES, "R%d type=%s expected=fp", regno, vf_reg_type_str(&r));
	}
	/* Every kind is read first; then whether it may be written. */
	if ((err = check_mem_region(env, regno, &r, 0, (int)size, false, true, 0)))
		return err;
	switch (r.type) {
	case VF_PTR_MAP_KEY:
		return vf_reject(env, -EACCES, "R%d cannot write into %s", regno, vf_reg_type_str(&r));
	case VF_PTR_MEM:
		if (r.flags & VF_RDONLY)
			return vf_reject(env, -EACCES, "R%d cannot write into %s", regno,
					 vf_reg_type_str(&r));
		return 0;
	case VF_PTR_STACK: case VF_PTR_MAP_VALUE:
		return check_mem_region(env, regno, &r, 0, (int)size, true, true, 0);
	default:
		return 0;       /* the packet, for a helper: bounds only */
	}
}

/* Does subprogram @sub, or one it calls, call a helper that changes
 * packet data (the kernel's changes_pkt_data, merged from callees)?
 * @seen has a bit per subprogram. */
_Static_assert(VF_MAX_SUBPROGS <= 4 * 64, "a bit per subprogram");
static bool changes_pkt(const struct vf_env *env, int sub, uint64_t seen[4])
{
	if (seen[sub / 64] & (1ull << (sub % 64)))
		return false;
	seen[sub / 64] |= 1ull << (sub % 64);
	for (int pc = env->sub[sub].start; pc < env->sub[sub].end; pc++) {
		const struct isa_insn *in = &env->insns[pc];

		if (in->op == ISA_OP_CALL_HELPER) {
			const struct vf_proto *p = vf_proto(in->imm);

			if (p && (p->flags & VF_P_PKT))
				return true;
		} else if (in->op == ISA_OP_CALL_LOCAL) {
			long t = isa_branch_target(in, (size_t)pc);

			for (int s = 0; s < env->nsub; s++)
				if (env->sub[s].start == t && changes_pkt(env, s, seen))
					return true;
		}
	}
	return false;
}

/*
 * A call to global subprogram @sub at @pc (the kernel's check_func_call
 * for a global callee): the arguments must match its prototype; the call
 * then returns an unknown scalar and the function is queued to be
 * verified on its own.
 */
int check_global_call(struct vf_env *env, int sub, int pc)
{
	struct vf_subprog *sp = &env->sub[sub];
	struct vf_reg *regs = cur_regs(env);
	const char *name = sp->name ? sp->name : "?";
	uint64_t seen[4] = { 0 };
	int err;

	(void)pc;
	err = prepare_args(env, sub);
	if ((err == -EOPNOTSUPP || err == -EFAULT) && env->err_msg[0])
		return err;
	for (int i = 0; !err && i < sp->nargs; i++) {
		int regno = i + 1;
		struct vf_reg *r = &regs[regno];

		switch (sp->arg[i]) {
		case VF_GARG_SCALAR:
			if (r->type != VF_SCALAR) {
				vf_log(env, "R%d is not a scalar\n", regno);
				err = -EINVAL;
			}
			break;
		case VF_GARG_CTX:
			if ((err = check_arg_reg_off(env, regno, r)))
				return err;
			if (r->type != VF_PTR_CTX || (r->flags & VF_MAYBE_NULL)) {
				vf_log(env, "arg#%d expects pointer to ctx\n", i);
				err = -EINVAL;
			}
			break;
		default:
			if ((err = check_arg_reg_off(env, regno, r)))
				return err;
			if ((err = check_mem_reg(env, regno, sp->mem_size[i]))) {
				/* not modelled: not the program's fault */
				if (err == -EOPNOTSUPP)
					return err;
				err = -EINVAL;
			} else if (sp->arg[i] == VF_GARG_MEM && (r->flags & VF_MAYBE_NULL)) {
				vf_log(env, "arg#%d is expected to be non-NULL\n", i);
				err = -EINVAL;
			}
			break;
		}
	}
	/* check_func_call: the lock before the arguments' verdict */
	if (vf_active_lock(env->cur))
		return vf_reject(env, -EINVAL, "global function calls are not allowed while holding a lock,\n"
				 "use static function instead");
	if (err)
		return vf_reject(env, err == -EOPNOTSUPP ? -EOPNOTSUPP : -EINVAL,
				 "Caller passes invalid args into func#%d ('%s')", sub, name);
	vf_log(env, "Func#%d ('%s') is global and assumed valid.\n", sub, name);
	sp->called = true;
	if (changes_pkt(env, sub, seen))
		vf_clear_pkt_pointers(env);
	for (int r = 1; r <= 5; r++) {
		mark_reg_not_init(&regs[r]);
		env->scratched |= 1 << r;
	}
	mark_reg_unknown(&regs[0]);
	env->scratched |= 1;
	return 0;
}

/*
 * The state a global function is verified from (do_check_common for a
 * subprogram): frame 0 is the function, its arguments typed from the
 * prototype, the rest of R1-R5 uninitialised.
 */
int vf_global_entry(struct vf_env *env, int sub, struct vf_state **out)
{
	struct vf_subprog *sp = &env->sub[sub];
	struct vf_state *st;
	struct vf_frame *f;
	int err;

	vf_log(env, "Validating %s() func#%d...\n", sp->name ? sp->name : "?", sub);
	/* the call that queued it has prepared the arguments */
	if ((err = prepare_args(env, sub)))
		return err;
	st = vf_state_new(env);
	if (!st || !(f = vf_frame_new(env, -1, sub, 0)))
		return -ENOMEM;
	st->frames[0] = f;
	st->prev_insn = -1;
	st->insn = sp->start;
	for (int i = 0; i < sp->nargs; i++) {
		struct vf_reg *r = &f->regs[i + 1];

		mark_reg_unknown(r);
		switch (sp->arg[i]) {
		case VF_GARG_CTX:
			r->type = VF_PTR_CTX;
			r->v = vf_sval_const(0);
			break;
		case VF_GARG_MEM: case VF_GARG_MEM_OR_NULL:
			r->type = VF_PTR_MEM;
			r->v = vf_sval_const(0);
			r->aux = sp->mem_size[i];
			if (sp->arg[i] == VF_GARG_MEM_OR_NULL) {
				r->flags = VF_MAYBE_NULL;
				r->id = vf_new_id(env);
			}
			break;
		default:
			break;
		}
	}
	*out = st;
	return 0;
}
