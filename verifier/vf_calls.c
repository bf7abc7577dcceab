/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_calls.c - helper calls (checked against the prototype
 * table in vf_helpers.c), bpf-to-bpf calls (a new frame, verified in the
 * caller's context), exits, and the reference discipline: what a helper
 * acquires (ringbuf records) must be released on every path.
 */
#include <inttypes.h>
#include <stdio.h>

#include "common/bb_uapi.h"
#include "verifier/vf_helpers.h"
#include "verifier/vf_internal.h"

static const char *helper_name(int32_t id)
{
	const char *n = isa_helper_name(id);

	return n ? n : "unknown";
}

static int map_compat(struct vf_env *env, const struct vf_map *m, int32_t id)
{
	bool ok = true;

	switch (m->type) {
	case BPF_MAP_TYPE_RINGBUF:
		ok = id >= 130 && id <= 134;
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
		ok = id == 12;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		ok = id == 25 || id == 22 || id == 55;
		break;
	case BPF_MAP_TYPE_QUEUE: case BPF_MAP_TYPE_STACK:
		ok = id == 87 || id == 88 || id == 89;
		break;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		ok = id == 87 || id == 89;
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		ok = id == 27;
		break;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS: case BPF_MAP_TYPE_HASH_OF_MAPS:
		if (id == 1 && (m - env->maps >= (ptrdiff_t)env->o->map_cnt ||
				env->inner_idx[m - env->maps] == UINT32_MAX))
			return vf_reject(env, -EOPNOTSUPP,
					 "barebpf: map-in-map lookup without an inner map template not modelled yet");
		ok = id == 1;
		break;
	default:
		ok = !(id >= 130 && id <= 134) && id != 12 && id != 25 && id != 87 && id != 88 &&
		     id != 89 && id != 51 && id != 27;
		if (id == 51)
			ok = m->type == BPF_MAP_TYPE_DEVMAP || m->type == BPF_MAP_TYPE_CPUMAP ||
			     m->type == BPF_MAP_TYPE_XSKMAP || m->type == BPF_MAP_TYPE_DEVMAP_HASH;
		break;
	}
	if (!ok && id == 12)
		return vf_reject(env, -EINVAL, "expected prog array map for tail call");
	if (!ok)
		return vf_reject(env, -EINVAL, "cannot pass map_type %u into func bpf_%s#%d", m->type,
				 helper_name(id), id);
	return 0;
}

static bool mem_ptr_ok(const struct vf_reg *r)
{
	return r->type == VF_PTR_STACK || r->type == VF_PTR_PKT || r->type == VF_PTR_PKT_META ||
	       r->type == VF_PTR_MAP_KEY || r->type == VF_PTR_MAP_VALUE || r->type == VF_PTR_MEM;
}

static int check_mem_arg(struct vf_env *env, int regno, uint64_t size, uint64_t umax, bool write)
{
	struct vf_reg *r = &cur_regs(env)[regno];

	if ((r->flags & VF_MAYBE_NULL) || !mem_ptr_ok(r))
		return vf_reject(env, -EACCES,
				 "R%d type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
				 regno, vf_reg_type_str(r));
	if (!size && !umax)
		return 0;
	return check_mem_region(env, regno, r, 0, umax ? (int)1 : (int)size, write, true,
				umax ? umax : 0);
}

/* Drop entry @i of st->refs whatever its kind, keeping the others' order
 * (leak messages name the oldest first) and clearing the freed slot. */
static void refs_remove_at(struct vf_state *st, int i)
{
	memmove(&st->refs[i], &st->refs[i + 1], (size_t)(st->nrefs - i - 1) * sizeof(st->refs[0]));
	st->nrefs--;
	memset(&st->refs[st->nrefs], 0, sizeof(st->refs[0]));
}

void vf_refs_remove(struct vf_state *st, uint32_t id)
{
	for (int i = 0; i < st->nrefs; i++)
		if (st->refs[i].id == id && st->refs[i].kind == VF_REF_PTR) {
			refs_remove_at(st, i);
			return;
		}
}

/* Record a new reference (or a held lock) taken at @pc. */
int vf_ref_acquire(struct vf_env *env, uint32_t id, int pc, uint8_t kind, uint32_t map)
{
	struct vf_state *st = env->cur;

	if (st->nrefs == VF_MAX_REFS)
		return vf_reject(env, -EOPNOTSUPP, "barebpf: more than %d references not modelled yet",
				 VF_MAX_REFS);
	st->refs[st->nrefs++] = (struct vf_ref){ .id = id, .insn = pc, .kind = kind, .map = map };
	return 0;
}

const struct vf_ref *vf_active_lock(const struct vf_state *st)
{
	for (int i = 0; i < st->nrefs; i++)
		if (st->refs[i].kind == VF_REF_LOCK)
			return &st->refs[i];
	return NULL;
}

bool vf_map_has_lock(const struct vf_map *m)
{
	return m->spin_lock;
}

int vf_check_map_uses(struct vf_env *env)
{
	uint32_t t = env->o->prog_type;

	for (size_t pc = 0; pc + 1 < env->n; pc++) {
		const struct isa_insn *in = &env->insns[pc];
		const struct vf_map *m;

		if (in->code != 0x18 || in->op == UINT16_MAX ||
		    (in->src != ISA_PSEUDO_MAP_FD && in->src != ISA_PSEUDO_MAP_VALUE &&
		     in->src != ISA_PSEUDO_MAP_IDX && in->src != ISA_PSEUDO_MAP_IDX_VALUE) ||
		    (uint32_t)in->imm >= env->o->map_cnt)
			continue;
		m = &env->maps[in->imm];
		if (!m->spin_lock)
			continue;
		if (t == BPF_PROG_TYPE_SOCKET_FILTER)
			return vf_reject(env, -EINVAL, "socket filter progs cannot use bpf_spin_lock yet");
		if (t == BPF_PROG_TYPE_KPROBE || t == BPF_PROG_TYPE_TRACEPOINT ||
		    t == BPF_PROG_TYPE_PERF_EVENT || t == BPF_PROG_TYPE_RAW_TRACEPOINT ||
		    t == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE)
			return vf_reject(env, -EINVAL, "tracing progs cannot use bpf_spin_lock yet");
	}
	return 0;
}

/* A call that may move the packet (the kernel's clear_all_pkt_pointers):
 * every packet pointer and packet end becomes an unknown scalar. */
void vf_clear_pkt_pointers(struct vf_env *env)
{
	FOR_EACH_REG_IF(env, env->cur, r, is_pkt_pointer(r) || r->type == VF_PTR_PKT_END,
			mark_reg_unknown(r));
}

/* Drop reference @id: every register holding it becomes an unknown
 * scalar (privileged: mark_reg_invalid). */
void vf_release_ref(struct vf_env *env, uint32_t id)
{
	struct vf_state *st = env->cur;

	vf_refs_remove(st, id);
	FOR_EACH_REG_IF(env, st, r, r->ref_obj_id == id, mark_reg_unknown(r));
}

/*
 * check_resource_leak: at a program's exit (@check_lock: the main frame,
 * or a global function's), a tail call or LD_ABS, no reference may be
 * held (each is named, oldest first, as the kernel's
 * check_reference_leak) and, with @check_lock, no bpf_spin_lock or RCU
 * read section.
 */
int vf_check_resource_leak(struct vf_env *env, bool check_lock, const char *prefix)
{
	const struct vf_state *st = env->cur;
	bool leak = false;

	if (check_lock && vf_active_lock(st))
		return vf_reject(env, -EINVAL, "%s cannot be used inside bpf_spin_lock-ed region", prefix);
	for (int i = 0; i < st->nrefs; i++) {
		if (st->refs[i].kind != VF_REF_PTR)
			continue;
		if (!leak)
			/* the first one is the message; the others follow in the log */
			vf_reject(env, -EINVAL, "Unreleased reference id=%u alloc_insn=%d", st->refs[i].id,
				  st->refs[i].insn);
		else
			vf_log(env, "Unreleased reference id=%u alloc_insn=%d\n", st->refs[i].id,
			       st->refs[i].insn);
		leak = true;
	}
	if (leak) {
		vf_log(env, "%s would lead to reference leak\n", prefix);
		return -EINVAL;
	}
	if (check_lock)
		return vf_kfunc_exit(env, prefix);
	return 0;
}

/*
 * A helper that calls back (bpf_loop, bpf_for_each_map_elem), as the
 * kernel's push_callback_call: the callback is verified as a new frame
 * on a pending branch that starts from the state before the call; its
 * exit returns to the call instruction, which runs again (another
 * iteration) until the call site's state converges (pruned against a
 * state still being explored there) or, for bpf_loop, the iterations
 * reach umax of R1.  The path itself continues after the call.
 */
static int push_callback(struct vf_env *env, int pc, int32_t helper, int sub,
			 const struct vf_map *map)
{
	struct vf_state *st = env->cur, *cb;
	struct vf_frame *caller = cur_frame(env), *f;
	const struct vf_reg *regs = caller->regs;
	int err;

	if (helper == 181 && (uint64_t)caller->callback_depth >= regs[1].v.umax) {
		caller->callback_depth = 0;
		if (env->o->log_level > 1)
			vf_log(env, "frame%d bpf_loop iteration limit reached\n", st->curframe);
		return 0;
	}
	if (helper == 164 && map->type != BPF_MAP_TYPE_HASH && map->type != BPF_MAP_TYPE_ARRAY &&
	    map->type != BPF_MAP_TYPE_PERCPU_HASH && map->type != BPF_MAP_TYPE_PERCPU_ARRAY &&
	    map->type != BPF_MAP_TYPE_LRU_HASH && map->type != BPF_MAP_TYPE_LRU_PERCPU_HASH)
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: bpf_for_each_map_elem over map type %u not modelled yet", map->type);
	if (st->curframe + 1 >= VF_MAX_FRAMES)
		return vf_reject(env, -E2BIG, "the call stack of %d frames is too deep !", st->curframe + 2);
	cb = vf_state_copy(env, st);
	f = cb ? vf_frame_new(env, pc, sub, cb->curframe + 1) : NULL;
	if (!cb || !f)
		return -ENOMEM;
	cb->frames[cb->curframe]->callback_depth++;
	f->in_callback = true;
	if (helper == 181) {
		/* long callback(u32 index, void *ctx) */
		mark_reg_unknown(&f->regs[1]);
		f->regs[2] = regs[3];
	} else {
		/* long callback(map, key, value, ctx) */
		f->regs[1] = regs[1];
		mark_reg_unknown(&f->regs[2]);
		f->regs[2].type = VF_PTR_MAP_KEY;
		f->regs[2].v = vf_sval_const(0);
		f->regs[2].aux = (uint32_t)(map - env->maps);
		mark_reg_unknown(&f->regs[3]);
		f->regs[3].type = VF_PTR_MAP_VALUE;
		f->regs[3].v = vf_sval_const(0);
		f->regs[3].aux = (uint32_t)(map - env->maps);
		f->regs[4] = regs[3];
	}
	cb->frames[++cb->curframe] = f;
	cb->insn = env->sub[sub].start;
	cb->prev_insn = pc;
	cb->log_pos = env->log_len;
	if ((err = vf_push_state(env, cb)))
		return err;
	caller->callback_depth = 0;
	return 0;
}

/* ARG_PTR_TO_SOCK_COMMON / ARG_PTR_TO_BTF_ID_SOCK_COMMON (the kernel's
 * sock_types and btf_id_sock_common_types): a socket of any kind, not
 * maybe-null. */
static int check_sock_arg(struct vf_env *env, int regno, const struct vf_reg *r, bool btf_ok)
{
	if (r->type == VF_PTR_SOCK && !(r->flags & VF_MAYBE_NULL))
		return 0;
	if (btf_ok && r->type == VF_PTR_BTF_ID && !(r->flags & VF_MAYBE_NULL))
		return vf_reject(env, -EOPNOTSUPP,
				 "barebpf: BTF socket pointer as a helper argument not modelled yet");
	return vf_reject(env, -EACCES, "R%d type=%s expected=sock_common, sock, tcp_sock, xdp_sock%s",
			 regno, vf_reg_type_str(r),
			 btf_ok ? ", ptr_, trusted_ptr_" : "");
}

/*
 * bpf_spin_lock / bpf_spin_unlock (the kernel's process_spin_lock): the
 * argument points at the map value's struct bpf_spin_lock at a constant
 * offset; one lock at a time, identified by the map value pointer's id
 * (kept after its null check for such maps) and the map, held as an
 * entry of the refs array so that states compare with it.
 */
static int process_spin_lock(struct vf_env *env, int regno, bool lock, int pc)
{
	const struct vf_reg *r = &cur_regs(env)[regno];
	const struct vf_map *m = &env->maps[r->aux];
	const struct vf_ref *held = vf_active_lock(env->cur);
	int64_t off;

	if (!vf_sval_is_const(&r->v))
		return vf_reject(env, -EINVAL,
				 "R%d doesn't have constant offset. bpf_spin_lock has to be at the constant offset",
				 regno);
	if (!m->btf)
		return vf_reject(env, -EINVAL, "map '%s' has to have BTF in order to use bpf_spin_lock",
				 m->name ? m->name : "");
	if (!m->spin_lock)
		return vf_reject(env, -EINVAL, "map '%s' has no valid bpf_spin_lock", m->name ? m->name : "");
	off = (int64_t)r->v.t.value + r->off;
	if (off != (int64_t)m->spin_lock_off)
		return vf_reject(env, -EINVAL, "off %" PRId64 " doesn't point to 'struct bpf_spin_lock' that is at %u",
				 off, m->spin_lock_off);
	if (lock) {
		if (held)
			return vf_reject(env, -EINVAL, "Locking two bpf_spin_locks are not allowed");
		return vf_ref_acquire(env, r->id, pc, VF_REF_LOCK, r->aux);
	}
	if (!held)
		return vf_reject(env, -EINVAL, "bpf_spin_unlock without taking a lock");
	if (held->id != r->id || held->map != r->aux)
		return vf_reject(env, -EINVAL, "bpf_spin_unlock of different lock");
	/* a lock is not a VF_REF_PTR, so not vf_refs_remove()'s */
	refs_remove_at(env->cur, (int)(held - env->cur->refs));
	return 0;
}

/*
 * The kernel's get_constant_map_key (6.14+): the key bpf_map_lookup_elem
 * is given, when it is on the stack at a constant offset and either all
 * zero bytes or a constant scalar spilled with exactly the key's size.
 * Returns the key, or -1 when it is not known.
 */
static int64_t constant_map_key(struct vf_env *env, const struct vf_reg *key, uint32_t key_size)
{
	const struct vf_frame *f;
	int64_t a;
	int slot_end, zero = 0, spill = 0;

	if (key->type != VF_PTR_STACK || !vf_sval_is_const(&key->v))
		return -1;
	f = env->cur->frames[key->frameno];
	a = key->off + (int64_t)key->v.t.value + VF_STACK;      /* index into stype[] */
	if (a < 0 || a >= VF_STACK)
		return -1;
	/* the kernel walks from the key's first byte to the end of its slot */
	slot_end = ((int)a / 8 + 1) * 8;
	for (int i = (int)a; i < slot_end && f->stk->stype[i] == VF_ST_ZERO; i++)
		zero++;
	if (zero >= (int)key_size)
		return 0;
	if (f->stk->stype[(int)a / 8 * 8] != VF_ST_SPILL || f->stk->spill[a / 8].type != VF_SCALAR)
		return -1;
	for (int i = (int)a; i < slot_end && f->stk->stype[i] == VF_ST_SPILL; i++)
		spill++;
	if (spill != (int)key_size || !vf_sval_is_const(&f->stk->spill[a / 8].v))
		return -1;
	return (int64_t)f->stk->spill[a / 8].v.t.value;
}

static void mark_sock_ret(struct vf_env *env, struct vf_reg *r0, uint8_t ret)
{
	mark_reg_unknown(r0);
	r0->type = VF_PTR_SOCK;
	r0->flags = VF_MAYBE_NULL;
	r0->v = vf_sval_const(0);
	r0->aux = ret == VF_RET_SOCK_OR_NULL ? VF_SK_SOCK :
		  ret == VF_RET_SOCK_COMMON_OR_NULL ? VF_SK_COMMON : VF_SK_TCP;
	r0->id = vf_new_id(env);
}

int check_helper_call(struct vf_env *env, const struct isa_insn *in, int pc)
{
	const struct vf_proto *p = vf_proto(in->imm);
	struct vf_reg *regs = cur_regs(env);
	const struct vf_map *map = NULL;
	int err, cb_sub = -1;
	uint64_t alloc_size = 0;
	uint32_t arg_ref = 0;           /* a cast helper's argument's reference */
	int64_t const_key = -1;

	/* do_check, before anything about the helper itself */
	if (in->imm != 94 && vf_active_lock(env->cur))
		return vf_reject(env, -EINVAL, "function calls are not allowed while holding a lock");
	if (!p) {
		if (!isa_helper_name(in->imm) || in->imm == 0)
			return vf_reject(env, -EINVAL, "invalid func unknown#%d", in->imm);
		return vf_reject(env, -EOPNOTSUPP, "barebpf: helper bpf_%s#%d not modelled yet",
				 helper_name(in->imm), in->imm);
	}
	if (!(p->avail & vf_prog_avail(env->o->prog_type)))
		return vf_reject(env, -EINVAL, "program of this type cannot use helper bpf_%s#%d",
				 helper_name(in->imm), in->imm);
	if ((p->flags & VF_P_GPL) && env->o->gpl_set && !env->o->gpl)
		return vf_reject(env, -EINVAL,
				 "cannot call GPL-restricted function from non-GPL compatible program");
	for (int a = 0; a < 5 && p->args[a]; a++) {
		int regno = a + 1;
		struct vf_reg *r = &regs[regno];

		if ((err = check_reg_read(env, regno)))
			return err;
		switch (p->args[a]) {
		case VF_ARG_ANY:
			break;
		case VF_ARG_MAP:
			if (r->type != VF_CONST_MAP || (r->flags & VF_MAYBE_NULL))
				return vf_reject(env, -EACCES, "R%d type=%s expected=map_ptr", regno,
						 vf_reg_type_str(r));
			map = &env->maps[r->aux];
			break;
		case VF_ARG_CTX:
			if (r->type != VF_PTR_CTX)
				return vf_reject(env, -EACCES, "R%d type=%s expected=ctx", regno,
						 vf_reg_type_str(r));
			if (r->off || !vf_sval_is_const(&r->v) || r->v.t.value)
				return vf_reject(env, -EACCES,
						 "dereference of modified ctx ptr R%d off=%d disallowed",
						 regno, r->off);
			break;
		case VF_ARG_KEY: case VF_ARG_VALUE: case VF_ARG_UNINIT_VALUE:
			if (!map)
				return vf_reject(env, -EACCES, "invalid map_ptr to access map->%s",
						 p->args[a] == VF_ARG_KEY ? "key" : "value");
			if (!(p->args[a] == VF_ARG_KEY ? map->key_size : map->value_size))
				return vf_reject(env, -EACCES, "invalid zero-sized read");
			if ((err = check_mem_arg(env, regno,
						 p->args[a] == VF_ARG_KEY ? map->key_size : map->value_size,
						 0, p->args[a] == VF_ARG_UNINIT_VALUE)))
				return err;
			if (p->args[a] == VF_ARG_KEY &&
			    (map->type == BPF_MAP_TYPE_ARRAY || map->type == BPF_MAP_TYPE_PERCPU_ARRAY))
				const_key = constant_map_key(env, r, map->key_size);
			break;
		case VF_ARG_MEM: case VF_ARG_MEM_OR_NULL: case VF_ARG_UNINIT_MEM: {
			struct vf_reg *sz = &regs[regno + 1];
			bool zero_ok = p->args[a + 1] == VF_ARG_SIZE0;

			if ((err = check_reg_read(env, regno + 1)))
				return err;
			if (sz->type != VF_SCALAR)
				return vf_reject(env, -EACCES, "R%d type=%s expected=scalar", regno + 1,
						 vf_reg_type_str(sz));
			if (sz->v.smin < 0)
				return vf_reject(env, -EACCES,
						 "R%d min value is negative, either use unsigned or 'var &= const'",
						 regno + 1);
			if (!sz->v.umax && !zero_ok)
				return vf_reject(env, -EACCES, "R%d invalid zero-sized read: u64=[%" PRIu64 ",%" PRIu64 "]",
						 regno + 1, sz->v.umin, sz->v.umax);
			if (sz->v.umax >= (1u << 29))
				return vf_reject(env, -EACCES,
						 "R%d unbounded memory access, use 'var &= const' or 'if (var < const)'",
						 regno + 1);
			if (p->args[a] == VF_ARG_MEM_OR_NULL && r->type == VF_SCALAR &&
			    vf_sval_is_const(&r->v) && !r->v.t.value)
				break;
			if (sz->v.umax == 0 && r->type == VF_SCALAR)
				break;
			if ((err = check_mem_arg(env, regno, 0, sz->v.umax,
						 p->args[a] == VF_ARG_UNINIT_MEM)))
				return err;
			a++;
			break;
		}
		case VF_ARG_SIZE: case VF_ARG_SIZE0:
			break;
		case VF_ARG_ALLOC_SIZE:
			if (r->type != VF_SCALAR || !vf_sval_is_const(&r->v))
				return vf_reject(env, -EACCES, "R%d is not a known constant'", regno);
			alloc_size = r->v.t.value;
			break;
		case VF_ARG_FUNC:
			if (r->type != VF_PTR_FUNC)
				return vf_reject(env, -EACCES, "R%d type=%s expected=func", regno,
						 vf_reg_type_str(r));
			cb_sub = (int)r->aux;
			break;
		case VF_ARG_STACK_OR_NULL:
			if (vf_reg_is_null(r))
				break;
			if (is_pkt_pointer(r))
				return vf_reject(env, -EACCES, "helper access to the packet is not allowed");
			if (r->type != VF_PTR_STACK || (r->flags & VF_MAYBE_NULL))
				return vf_reject(env, -EACCES, "R%d type=%s expected=fp", regno,
						 vf_reg_type_str(r));
			break;
		case VF_ARG_SOCK_COMMON: case VF_ARG_BTF_SOCK_COMMON:
			if ((err = check_sock_arg(env, regno, r, p->args[a] == VF_ARG_BTF_SOCK_COMMON)))
				return err;
			if ((p->flags & VF_P_RELEASE) && !r->ref_obj_id)
				return vf_reject(env, -EINVAL,
						 "R%d must be referenced when passed to release function", regno);
			arg_ref = r->ref_obj_id;
			break;
		case VF_ARG_SPIN_LOCK:
			if (r->type != VF_PTR_MAP_VALUE || (r->flags & VF_MAYBE_NULL))
				return vf_reject(env, -EACCES, "R%d type=%s expected=map_value, ptr_", regno,
						 vf_reg_type_str(r));
			if ((err = process_spin_lock(env, regno, in->imm == 93, pc)))
				return err;
			break;
		case VF_ARG_RINGBUF_MEM:
			if (r->type != VF_PTR_MEM || !(r->flags & VF_RINGBUF) || (r->flags & VF_MAYBE_NULL))
				return vf_reject(env, -EACCES, "R%d type=%s expected=ringbuf_mem", regno,
						 vf_reg_type_str(r));
			if (r->off || !vf_sval_is_const(&r->v) || r->v.t.value)
				return vf_reject(env, -EACCES,
						 "R%d must have zero offset when passed to release func", regno);
			if (!r->ref_obj_id)
				return vf_reject(env, -EINVAL, "R%d must be referenced when passed to release function",
						 regno);
			break;
		}
	}
	if (map && (err = map_compat(env, map, in->imm)))
		return err;
	if (in->imm == 12 && (err = vf_check_resource_leak(env, true, "tail_call")))
		return err;
	if (in->imm == 12)
		for (int f = 0; f <= env->cur->curframe; f++)
			if (env->cur->frames[f]->in_callback)
				/* 6.18 refuses it (precision tracking through the
				 * callback's exit) with this message */
				return vf_reject(env, -EFAULT, "verifier bug: callback unexpected regs 1");
	if ((p->flags & VF_P_CALLBACK) && (err = push_callback(env, pc, in->imm, cb_sub, map)))
		return err;
	/* Effects. */
	if (p->flags & VF_P_RELEASE)
		vf_release_ref(env, regs[1].ref_obj_id);
	for (int r = 1; r <= 5; r++) {
		mark_reg_not_init(&regs[r]);
		env->scratched |= 1 << r;
	}
	if (p->flags & VF_P_PKT)
		vf_clear_pkt_pointers(env);
	env->scratched |= 1;
	switch (p->ret) {
	case VF_RET_VOID:
		mark_reg_not_init(&regs[0]);
		break;
	case VF_RET_MAP_VALUE_OR_NULL:
		mark_reg_unknown(&regs[0]);
		regs[0].type = VF_PTR_MAP_VALUE;
		regs[0].flags = VF_MAYBE_NULL;
		regs[0].v = vf_sval_const(0);
		regs[0].aux = (uint32_t)(map - env->maps);
		if (in->imm == 1 && const_key >= 0 && const_key < (int64_t)map->max_entries) {
			/* an array element that exists: no null check needed
			 * (the kernel's can_elide_value_nullness); the id names
			 * the value's lock, if it has one */
			regs[0].flags = 0;
			if (vf_map_has_lock(map))
				regs[0].id = vf_new_id(env);
			break;
		}
		regs[0].id = vf_new_id(env);
		if (map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || map->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
			/* map_value_or_null that its null check turns into the
			 * inner map's pointer (the kernel's mark_ptr_or_null_reg) */
			regs[0].flags |= VF_INNER_MAP;
			regs[0].aux = env->inner_idx[map - env->maps];
		}
		break;
	case VF_RET_RINGBUF_OR_NULL:
		mark_reg_unknown(&regs[0]);
		regs[0].type = VF_PTR_MEM;
		regs[0].flags = VF_MAYBE_NULL | VF_RINGBUF;
		regs[0].v = vf_sval_const(0);
		regs[0].aux = (uint32_t)alloc_size;
		/* As the kernel: an id for the maybe-null pointer, then the
		 * reference's id replaces it. */
		vf_new_id(env);
		regs[0].id = vf_new_id(env);
		regs[0].ref_obj_id = regs[0].id;
		if ((err = vf_ref_acquire(env, regs[0].id, pc, VF_REF_PTR, 0)))
			return err;
		break;
	case VF_RET_SOCK_OR_NULL: case VF_RET_SOCK_COMMON_OR_NULL: case VF_RET_TCP_SOCK_OR_NULL:
		mark_sock_ret(env, &regs[0], p->ret);
		if (p->flags & VF_P_ACQUIRE) {
			/* the reference's id replaces the null-check id, as above */
			regs[0].id = vf_new_id(env);
			regs[0].ref_obj_id = regs[0].id;
			if ((err = vf_ref_acquire(env, regs[0].id, pc, VF_REF_PTR, 0)))
				return err;
		} else if (p->flags & VF_P_CAST) {
			/* the same socket seen as another type: released with it */
			regs[0].ref_obj_id = arg_ref;
		}
		break;
	default:
		mark_reg_unknown(&regs[0]);
		break;
	}
	return 0;
}

int check_func_call(struct vf_env *env, const struct isa_insn *in, int pc, int *next)
{
	struct vf_state *st = env->cur;
	int target = pc + in->imm + 1, sub = -1;
	struct vf_frame *caller = cur_frame(env), *f;

	if (st->curframe + 1 >= VF_MAX_FRAMES)
		return vf_reject(env, -E2BIG, "the call stack of %d frames is too deep !", st->curframe + 2);
	for (int s = 0; s < env->nsub; s++)
		if (env->sub[s].start == target)
			sub = s;
	if (vf_subprog_global(env, sub)) {
		/* checked against its prototype here, verified on its own later */
		*next = pc + 1;
		return check_global_call(env, sub, pc);
	}
	f = vf_frame_new(env, pc, sub < 0 ? 0 : sub, st->curframe + 1);
	if (!f)
		return -ENOMEM;
	for (int r = 1; r <= 5; r++)
		f->regs[r] = caller->regs[r];
	st->frames[++st->curframe] = f;
	vf_log(env, "caller:\n");
	*next = target;
	return 0;
}

int check_exit(struct vf_env *env, int pc, int *next, bool *path_done)
{
	struct vf_state *st = env->cur;
	struct vf_reg *r0 = &cur_regs(env)[0];
	int err;

	(void)pc;
	/* A static subprogram may leave R0 unset: the caller then cannot read it. */
	if (st->curframe) {
		struct vf_frame *callee = cur_frame(env), *caller = st->frames[st->curframe - 1];

		/* any stack pointer, the caller's too (the kernel is conservative) */
		if (r0->type == VF_PTR_STACK)
			return vf_reject(env, -EINVAL, "cannot return stack pointer to the caller");
		if (callee->in_callback) {
			/* back to the call, which runs again (another iteration);
			 * R0 must be a scalar in [0, 1] */
			if (r0->type != VF_SCALAR)
				return vf_reject(env, -EACCES, "R0 not a scalar value");
			if (r0->v.smin < 0 || r0->v.smax > 1) {
				char b[96] = "";
				int k = 0;

				if (r0->v.smin > INT64_MIN)
					k += snprintf(b + k, sizeof(b) - (size_t)k, " smin=%" PRId64, r0->v.smin);
				if (r0->v.smax < INT64_MAX)
					k += snprintf(b + k, sizeof(b) - (size_t)k, " smax=%" PRId64, r0->v.smax);
				return vf_reject(env, -EINVAL,
						 "At callback return the register R0 has%s should have been in [0, 1]",
						 k ? b : " unknown scalar value");
			}
			*next = callee->callsite;
			st->frames[st->curframe--] = NULL;
			*path_done = false;
			return 0;
		}
		caller->regs[0] = *r0;
		for (int r = 1; r <= 5; r++)
			mark_reg_not_init(&caller->regs[r]);
		*next = callee->callsite + 1;
		st->frames[st->curframe--] = NULL;
		*path_done = false;
		return 0;
	}
	if (st->frames[0]->subprog) {
		/* a global function verified on its own (check_resource_leak,
		 * then check_return_code for a subprogram) */
		if ((err = vf_check_resource_leak(env, true, "BPF_EXIT instruction in main prog")))
			return err;
		if ((err = check_reg_read(env, 0)))
			return err;
		if (r0->type != VF_SCALAR)
			return vf_reject(env, -EINVAL,
					 "At subprogram exit the register R0 is not a scalar value (%s)",
					 vf_reg_type_str(r0));
		*path_done = true;
		return 0;
	}
	/* process_bpf_exit_full: leaks first, then check_return_code reads R0 */
	if ((err = vf_check_resource_leak(env, true, "BPF_EXIT instruction in main prog")))
		return err;
	if ((err = check_reg_read(env, 0)))
		return err;
	/* check_return_code: of the program types modelled here only
	 * cgroup_skb (no expected attach type) has a range, [0, 1]. */
	if (env->o->prog_type == BPF_PROG_TYPE_CGROUP_SKB) {
		if (r0->type != VF_SCALAR)
			return vf_reject(env, -EINVAL, "At program exit the register R0 is not a known value (%s)",
					 vf_reg_type_str(r0));
		if (r0->v.smin < 0 || r0->v.smax > 1)
			return vf_reject(env, -EINVAL, "At program exit the register R0 has smin=%" PRId64
					 " smax=%" PRId64 " should have been in [0, 1]", r0->v.smin, r0->v.smax);
	}
	*path_done = true;
	return 0;
}
