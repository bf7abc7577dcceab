/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_verify.c - the driver.
 *
 * Design.  The verifier is an abstract interpreter over two layers.  The
 * domain layer (vf_domain.h) knows nothing of eBPF: a scalar is a tnum
 * plus signed/unsigned 64- and 32-bit ranges, kept consistent by one sync
 * step, with sound transfer functions and branch refinement.  The eBPF
 * layer gives each register a type (scalar, ctx, stack, map value, packet,
 * ringbuf memory ...), a fixed offset and a variable offset from the
 * domain, and each stack byte a state (invalid, misc, zero, spilled
 * register).  Exploration is path-sensitive, depth first: a conditional
 * jump whose outcome the domain cannot decide pushes the other edge (with
 * its refinement) on a stack of pending states, as the kernel does.  At
 * prune points (jump targets, fall-throughs of branches, returns from
 * calls) the current state is compared with states already proven safe
 * there; if one subsumes it (ranges and tnums by inclusion, pointers by
 * type, offset and id mapping) the path stops.  Registers that every path
 * from there overwrites before reading are not compared (static
 * liveness, vf_live.c), and states share their stacks copy-on-write, so a
 * checkpoint costs a frame of registers, not 6 KiB of stack.  Copies of a
 * scalar stay linked (with a constant delta) so a branch on one narrows
 * the others, as the kernel's sync_linked_regs.  A state still being
 * explored that equals the current one exactly is an infinite loop;
 * bounded loops simply run until they exit or reach the kernel's
 * 1,000,000-instruction limit.  Static subprograms are verified in the
 * caller's context (a new frame per call); global ones (BTF func_info
 * linkage) once, on their own, from their BTF prototype, callers only
 * checked against it (vf_global.c).  Callbacks (bpf_loop,
 * bpf_for_each_map_elem) are frames on pending branches that return to
 * the helper call, which runs again until its call site converges, as the
 * kernel's push_callback_call (vf_calls.c).  Helpers are checked against a
 * prototype table (vf_helpers.c), kfuncs against their BTF prototype and
 * a table of the kernel's flags for them (vf_kfunc.c); contexts against
 * env/'s layout tables;
 * tp_btf arguments and what they point to against the kernel's BTF
 * (vf_btf.c).
 * The log follows the kernel's wording line by line so the two can be
 * compared; what we do not model is refused with "barebpf: ... not
 * modelled yet".  All states of a run live in one arena freed at the end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/bb_uapi.h"
#include "env/env.h"
#include "verifier/vf_helpers.h"
#include "verifier/vf_internal.h"

void vf_result_free(struct vf_result *r)
{
	if (!r)
		return;
	free(r->log);
	free(r->path);
	r->log = NULL;
	r->path = NULL;
	vf_xp_result_free(r);
}

static const struct { const char *name; uint32_t type; } prog_types[] = {
	{ "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER }, { "socket", BPF_PROG_TYPE_SOCKET_FILTER },
	{ "kprobe", BPF_PROG_TYPE_KPROBE }, { "sched_cls", BPF_PROG_TYPE_SCHED_CLS },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS }, { "sched_act", BPF_PROG_TYPE_SCHED_ACT },
	{ "tracepoint", BPF_PROG_TYPE_TRACEPOINT }, { "xdp", BPF_PROG_TYPE_XDP },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT }, { "raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT }, { "cgroup_skb", BPF_PROG_TYPE_CGROUP_SKB },
	{ "tp_btf", BPF_PROG_TYPE_TRACING },
};

int vf_prog_type_by_name(const char *name)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(prog_types); i++)
		if (!strcmp(prog_types[i].name, name))
			return (int)prog_types[i].type;
	return -1;
}

/* ----- CFG ----- */

static bool is_cond_jmp(const struct isa_insn *in)
{
	uint8_t c = ISA_CLASS(in->code), o = in->code & 0xf0;

	return (c == ISA_CLASS_JMP || c == ISA_CLASS_JMP32) && o != 0x00 && o != 0x80 && o != 0x90;
}

static bool is_ja(const struct isa_insn *in)
{
	return (ISA_CLASS(in->code) == ISA_CLASS_JMP || ISA_CLASS(in->code) == ISA_CLASS_JMP32) &&
	       (in->code & 0xf0) == 0x00;
}

static int subprog_of(struct vf_env *env, int pc)
{
	int s = 0;

	for (int i = 0; i < env->nsub; i++)
		if (env->sub[i].start <= pc)
			s = i;
	return s;
}

static int add_subprog(struct vf_env *env, int start)
{
	for (int i = 0; i < env->nsub; i++)
		if (env->sub[i].start == start)
			return 0;
	if (env->nsub == (int)BB_ARRAY_SIZE(env->sub))
		return vf_reject(env, -E2BIG, "too many subprograms");
	env->sub[env->nsub++].start = start;
	for (int i = env->nsub - 1; i > 0 && env->sub[i].start < env->sub[i - 1].start; i--) {
		struct vf_subprog t = env->sub[i];

		env->sub[i] = env->sub[i - 1];
		env->sub[i - 1] = t;
	}
	return 0;
}

static int check_cfg(struct vf_env *env)
{
	size_t n = env->n;
	uint8_t *seen;
	int *stack, sp = 0, err = 0;

	env->nsub = 0;
	add_subprog(env, 0);
	for (size_t pc = 0; pc < n; pc++) {
		const struct isa_insn *in = &env->insns[pc];

		if (in->op == UINT16_MAX)
			continue;
		if (in->op == ISA_OP_CALL_LOCAL || in->op == ISA_OP_LDDW_FUNC) {
			long t = isa_branch_target(in, pc);

			if (t < 0 || t >= (long)n)
				return vf_reject(env, -EINVAL, "jump out of range from insn %zu to %ld", pc, t);
			if ((err = add_subprog(env, (int)t)))
				return err;
		}
	}
	for (int i = 0; i < env->nsub; i++)
		env->sub[i].end = i + 1 < env->nsub ? env->sub[i + 1].start : (int)n;
	/* the kernel needs BTF to tail-call from a subprogram */
	if (env->nsub > 1 && (env->o->sz < offsetof(struct vf_opts, func_info) + sizeof(bool) ||
			      !env->o->func_info))
		for (int pc = env->sub[1].start; pc < (int)n; pc++)
			if (env->insns[pc].op == ISA_OP_CALL_HELPER && env->insns[pc].imm == 12)
				return vf_reject(env, -EINVAL, "tail_call is not allowed in subprogs without BTF");
	for (size_t pc = 0; pc < n; pc++) {
		const struct isa_insn *in = &env->insns[pc];
		int s;

		if (in->op == UINT16_MAX)
			continue;
		s = subprog_of(env, (int)pc);
		if (is_ja(in) || is_cond_jmp(in)) {
			long t = isa_branch_target(in, pc);

			if (t < env->sub[s].start || t >= env->sub[s].end)
				return vf_reject(env, -EINVAL, "jump out of range from insn %zu to %ld", pc, t);
			if (t < (long)n && env->insns[t].op == UINT16_MAX)
				return vf_reject(env, -EINVAL, "jump into the middle of ldimm64 insn %ld", t);
		}
		/* The subprogram's last instruction, or one (an ld_imm64) that
		 * a call or function reference cuts in two. */
		if ((int)pc + (int)in->slots >= env->sub[s].end) {
			bool ok = is_ja(in) || (in->code == 0x95);

			if (!ok)
				return vf_reject(env, -EINVAL, "last insn is not an exit or jmp");
		}
	}
	/* Reachability from the entry (calls and function references lead
	 * into their subprograms). */
	seen = calloc(n, 1);
	stack = malloc(n * sizeof(*stack) * 2 + 16);
	if (!seen || !stack) {
		free(seen);
		free(stack);
		return -ENOMEM;
	}
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp) {
		int pc = stack[--sp], succ[3], ns = 0;
		const struct isa_insn *in = &env->insns[pc];

		if (in->code == 0x95)
			ns = 0;
		else if (is_ja(in))
			succ[ns++] = (int)isa_branch_target(in, (size_t)pc);
		else if (is_cond_jmp(in)) {
			succ[ns++] = pc + 1;
			succ[ns++] = (int)isa_branch_target(in, (size_t)pc);
		} else {
			succ[ns++] = pc + in->slots;
			if (in->op == ISA_OP_CALL_LOCAL || in->op == ISA_OP_LDDW_FUNC)
				succ[ns++] = (int)isa_branch_target(in, (size_t)pc);
		}
		for (int k = 0; k < ns; k++) {
			if (succ[k] < 0 || succ[k] >= (int)n)
				continue;
			if (!seen[succ[k]]) {
				seen[succ[k]] = 1;
				stack[sp++] = succ[k];
			}
		}
	}
	for (size_t pc = 0; pc < n && !err; pc++)
		if (!seen[pc] && env->insns[pc].op != UINT16_MAX)
			err = vf_reject(env, -EINVAL, "unreachable insn %zu", pc);
	free(seen);
	free(stack);
	return err;
}

/* ----- exploration ----- */

int vf_push_state(struct vf_env *env, struct vf_state *s)
{
	if (env->stack_len == env->stack_cap) {
		size_t cap = env->stack_cap ? env->stack_cap * 2 : 64;
		struct vf_state **p = realloc(env->stack, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		env->stack = p;
		env->stack_cap = cap;
	}
	env->stack[env->stack_len++] = s;
	if (s->parent)
		s->parent->branches++;
	if (env->stack_len > VF_JMP_SEQ_LIMIT)
		return vf_reject(env, -E2BIG, "The sequence of %zu jumps is too complex.", env->stack_len);
	return 0;
}

static void update_branch_counts(struct vf_state *st)
{
	while (st) {
		if (--st->branches)
			break;
		st = st->parent;
	}
}

/* All regs (and spills) with @id get @fn applied. */
static void for_each_id(struct vf_env *env, struct vf_state *st, uint32_t id,
			void (*fn)(struct vf_reg *, void *), void *arg)
{
	FOR_EACH_REG_IF(env, st, r, r->id == id, fn(r, arg));
}

struct null_arg { const struct vf_env *env; bool is_null; };

static void set_null(struct vf_reg *r, void *arg)
{
	const struct null_arg *na = arg;
	bool is_null = na->is_null;

	if (!(r->flags & VF_MAYBE_NULL))
		return;
	if (is_null) {
		mark_reg_const(r, 0);
	} else {
		r->flags &= (uint8_t)~VF_MAYBE_NULL;
		if (r->flags & VF_INNER_MAP) {
			r->type = VF_CONST_MAP;
			r->flags &= (uint8_t)~VF_INNER_MAP;
		}
		/* the id names a map value's bpf_spin_lock (the kernel's
		 * reg_may_point_to_spin_lock) */
		if (!r->ref_obj_id &&
		    !(r->type == VF_PTR_MAP_VALUE && vf_map_has_lock(&na->env->maps[r->aux])))
			r->id = 0;
	}
}

/*
 * @known (in @st) was narrowed: every scalar linked to it learns the same.
 * With V the value they were copied from, known is V + dk (or (u32)(V + dk)
 * for LINK32, V then fitting 32 bits), so V is known - dk (zero-extended
 * for LINK32) and each other one is V + d (zero-extended for LINK32).
 * The kernel's sync_linked_regs, kept sound where it mixes widths.
 */
static void sync_linked(struct vf_env *env, struct vf_state *st, const struct vf_reg *known)
{
	struct vf_sval base, delta;

	if (known->link == VF_LINK_NONE) {
		base = known->v;
	} else {
		delta = vf_sval_const((uint64_t)-(int64_t)known->off);
		base = vf_sval_alu(VF_A_ADD, 64, &known->v, &delta);
		if (known->link == VF_LINK32)
			vf_sval_zext32(&base);
	}
	FOR_EACH_REG_IF(env, st, r, r != known && r->type == VF_SCALAR && r->id == known->id, {
		if (r->link == VF_LINK_NONE) {
			r->v = base;
		} else {
			delta = vf_sval_const((uint64_t)(int64_t)r->off);
			r->v = vf_sval_alu(VF_A_ADD, 64, &base, &delta);
			if (r->link == VF_LINK32)
				vf_sval_zext32(&r->v);
		}
	});
}

struct pkt_range { int type; uint32_t id; uint32_t range; };

static void set_pkt_range(struct vf_reg *r, void *arg)
{
	struct pkt_range *p = arg;

	if (r->type == p->type && r->aux < p->range)
		r->aux = p->range;
}

static void mark_ptr_or_null(struct vf_env *env, struct vf_state *st, uint32_t id,
			     uint32_t ref, bool is_null)
{
	struct null_arg na = { env, is_null };

	/* only the acquired pointer itself: a cast of it (bpf_sk_fullsock)
	 * being NULL leaves the socket held */
	if (is_null && ref && ref == id)
		vf_refs_remove(st, ref);
	for_each_id(env, st, id, set_null, &na);
}

/* pkt (+off) compared with pkt_end: the edge where pkt+off <= end learns
 * that [pkt, pkt+off) is in the packet. */
static void find_good_pkt(struct vf_env *env, struct vf_state *st, const struct vf_reg *pkt,
			  bool open)
{
	struct pkt_range p = { pkt->type, pkt->id, 0 };
	int64_t r = pkt->off;

	if (r < 0 || (r == 0 && open))
		return;
	/* a large variable offset can wrap: pkt + 2^63 compares below end
	 * because it is below pkt (the kernel's MAX_PACKET_OFF check) */
	if (pkt->v.umax > 0xffff || pkt->v.umax + (uint64_t)r > 0xffff)
		return;
	if (open)               /* pkt+off < end: one more byte is in */
		r++;
	if (r > 0xffff)
		return;
	p.range = (uint32_t)r;
	if (!vf_sval_is_const(&pkt->v) && !pkt->id)
		return;
	FOR_EACH_REG_IF(env, st, reg, reg->type == p.type && reg->id == pkt->id, set_pkt_range(reg, &p));
}

static enum vf_cmp jmp_cmp(uint8_t op)
{
	switch (op) {
	case 0x10: return VF_C_EQ;
	case 0x20: return VF_C_GT;
	case 0x30: return VF_C_GE;
	case 0x40: return VF_C_SET;
	case 0x50: return VF_C_NE;
	case 0x60: return VF_C_SGT;
	case 0x70: return VF_C_SGE;
	case 0xa0: return VF_C_LT;
	case 0xb0: return VF_C_LE;
	case 0xc0: return VF_C_SLT;
	default: return VF_C_SLE;
	}
}

/* Apply "dst c src" to state @st; false if impossible. */
static bool assume(struct vf_env *env, struct vf_state *st, const struct isa_insn *in,
		   enum vf_cmp c, bool is32)
{
	struct vf_frame *f = st->frames[st->curframe];
	struct vf_reg *d = &f->regs[in->dst], srck, *s;
	bool use_src = in->code & ISA_SRC_X;

	if (use_src) {
		s = &f->regs[in->src];
	} else {
		mark_reg_const(&srck, (uint64_t)(int64_t)in->imm);
		s = &srck;
	}
	/* Null checks. */
	if (!is32 && !use_src && in->imm == 0 && (d->flags & VF_MAYBE_NULL) &&
	    (c == VF_C_EQ || c == VF_C_NE)) {
		mark_ptr_or_null(env, st, d->id, d->ref_obj_id, c == VF_C_EQ);
		return true;
	}
	/* Packet bounds. */
	if (!is32 && use_src) {
		struct vf_reg *pk = NULL;
		enum vf_cmp cc = c;

		/* data vs data_end and meta vs data give ranges (meta vs
		 * data_end does not: the kernel's find_good_pkt_pointers). */
		if ((d->type == VF_PTR_PKT && s->type == VF_PTR_PKT_END) ||
		    (d->type == VF_PTR_PKT_META && s->type == VF_PTR_PKT)) {
			pk = d;
		} else if ((d->type == VF_PTR_PKT_END && s->type == VF_PTR_PKT) ||
			   (d->type == VF_PTR_PKT && s->type == VF_PTR_PKT_META)) {
			pk = s;
			cc = vf_cmp_flip(c);
		}
		if (pk) {
			/* pk cc end */
			if (cc == VF_C_LE)
				find_good_pkt(env, st, pk, false);
			else if (cc == VF_C_LT)
				find_good_pkt(env, st, pk, true);
			return true;
		}
	}
	if (d->type == VF_SCALAR && s->type == VF_SCALAR) {
		struct vf_reg sd = *d, ss = *s;

		if (!vf_sval_refine(c, is32 ? 32 : 64, &sd.v, &ss.v))
			return false;
		d->v = sd.v;
		if (use_src)
			s->v = ss.v;
		if (d->id)
			sync_linked(env, st, d);
		if (use_src && s->id)
			sync_linked(env, st, s);
		return true;
	}
	return true;
}

/* 1 taken, 0 not taken, -1 unknown. */
/* The kernel's reg_not_null: pointers that cannot be NULL. */
static bool reg_not_null(const struct vf_reg *r)
{
	if (r->flags & VF_MAYBE_NULL)
		return false;
	switch (r->type) {
	case VF_PTR_SOCK: case VF_PTR_MAP_VALUE: case VF_PTR_MAP_KEY: case VF_CONST_MAP:
		return true;
	case VF_PTR_MEM:
		return !(r->flags & VF_UNTRUSTED);
	case VF_PTR_BTF_ID:
		return (r->ref_obj_id || (r->flags & VF_TRUSTED)) && !(r->flags & VF_UNTRUSTED);
	default:
		return false;
	}
}

static int branch_taken(const struct isa_insn *in, const struct vf_reg *d, const struct vf_reg *s,
			enum vf_cmp c, bool is32)
{
	if (d->type == VF_SCALAR && s->type == VF_SCALAR)
		return vf_sval_cmp_decide(c, is32 ? 32 : 64, &d->v, &s->v);
	/* pointer ==/!= 0: decided only for the pointer kinds the kernel
	 * knows are never NULL (reg_not_null); a stack, ctx or packet pointer
	 * compared with 0 is explored both ways, as the kernel does */
	if (s->type != VF_SCALAR && d->type == VF_SCALAR) {
		const struct vf_reg *t = d;

		d = s;
		s = t;
		c = vf_cmp_flip(c);
	}
	if (is_pointer(d) && s->type == VF_SCALAR && reg_not_null(d) &&
	    (is32 ? vf_sval_is_const32(&s->v) && !(uint32_t)s->v.t.value
		  : vf_sval_is_const(&s->v) && !s->v.t.value)) {
		if (c == VF_C_EQ)
			return 0;
		if (c == VF_C_NE)
			return 1;
	}
	(void)in;
	return -1;
}

static int check_cond_jmp(struct vf_env *env, const struct isa_insn *in, int pc, int *next)
{
	struct vf_reg *regs = cur_regs(env), srck;
	bool is32 = ISA_CLASS(in->code) == ISA_CLASS_JMP32, use_src = in->code & ISA_SRC_X;
	enum vf_cmp c = jmp_cmp(in->code & 0xf0);
	int target = (int)isa_branch_target(in, (size_t)pc), err, taken;
	struct vf_state *other;

	if ((err = check_reg_read(env, in->dst)))
		return err;
	if (use_src && (err = check_reg_read(env, in->src)))
		return err;
	if (!use_src)
		mark_reg_const(&srck, (uint64_t)(int64_t)in->imm);
	taken = branch_taken(in, &regs[in->dst], use_src ? &regs[in->src] : &srck, c, is32);
	if (taken == 1) {
		*next = target;
		return 0;
	}
	if (taken == 0) {
		*next = pc + 1;
		return 0;
	}
	other = vf_state_copy(env, env->cur);
	if (!other)
		return -ENOMEM;
	other->insn = target;
	other->prev_insn = pc;
	other->log_pos = env->log_len;
	if (!assume(env, other, in, c, is32)) {
		/* the taken edge is impossible */
	} else if ((env->xp && (err = vf_xp_edge(env, other, pc))) ||
		   (err = vf_push_state(env, other))) {
		return err;
	}
	if (!assume(env, env->cur, in, vf_cmp_negate(c), is32)) {
		/* fall-through impossible: continue with the taken edge */
		if (env->stack_len && env->stack[env->stack_len - 1] == other) {
			env->stack_len--;
			if (other->parent)
				other->parent->branches--;
			other->frames[0] = other->frames[0];
			env->cur = other;
			*next = target;
			return 1;
		}
		return 2;
	}
	*next = pc + 1;
	return 0;
}

/*
 * Compare the current state with those explored at @pc.  As the kernel
 * does, a state that keeps missing is dropped from the list (dropping only
 * loses pruning, never soundness), and a new state is recorded only after
 * at least 2 jumps and 8 insns since the last one (or at a loop head seen
 * again), which keeps long loops from collecting one state per iteration.
 */
static int is_state_visited(struct vf_env *env, int pc)
{
	struct vf_state *cur = env->cur, *sl, *n, **pprev;
	uint32_t cnt = 0;
	bool add;

	uint16_t live[VF_MAX_FRAMES];

	vf_live_masks(env, cur, pc, live);
	for (pprev = &env->explored[pc]; (sl = *pprev);) {
		cnt++;
		if (sl->branches) {
			/* A callback's call site is visited again after each
			 * callback run: a state still being explored there that
			 * subsumes this one covers it (the kernel's
			 * calls_callback case: RANGE_WITHIN, no loop check). */
			if (env->prune_point[pc] & VF_CALLS_CALLBACK) {
				if (vf_states_equal_live(sl, cur, false, live)) {
					sl->hit_cnt++;
					return 1;
				}
			} else if (vf_states_equal(sl, cur, true)) {
				return vf_reject(env, -EINVAL, "infinite loop detected at insn %d", pc);
			}
		} else if (vf_states_equal_live(sl, cur, false, live)) {
			sl->hit_cnt++;
			return 1;
		}
		sl->miss_cnt++;
		if (sl->miss_cnt > sl->hit_cnt * 3 + 3) {
			*pprev = sl->next;      /* stays in the arena: parents may point at it */
			cnt--;
			continue;
		}
		pprev = &sl->next;
	}
	add = (env->jmps - env->prev_jmps >= 2 && env->processed - env->prev_processed >= 8) ||
	      (env->prune_point[pc] & VF_CALLS_CALLBACK);      /* forced checkpoint */
	if (!add)
		return 0;
	env->prev_jmps = env->jmps;
	env->prev_processed = env->processed;
	n = vf_state_copy(env, cur);
	if (!n)
		return -ENOMEM;
	n->branches = 1;
	n->hit_cnt = n->miss_cnt = 0;
	n->parent = cur->parent;
	cur->parent = n;
	n->next = env->explored[pc];
	env->explored[pc] = n;
	env->nstates[pc] = cnt + 1;
	env->total_states++;
	env->cur_states++;
	if (env->cur_states > env->peak_states)
		env->peak_states = env->cur_states;
	return 0;
}

static void mark_prune_points(struct vf_env *env)
{
	for (size_t pc = 0; pc < env->n; pc++) {
		const struct isa_insn *in = &env->insns[pc];

		if (in->op == UINT16_MAX)
			continue;
		if (is_ja(in) || is_cond_jmp(in)) {
			long t = isa_branch_target(in, pc);

			if (t >= 0 && t < (long)env->n)
				env->prune_point[t] |= VF_PRUNE;
			if (is_cond_jmp(in) && pc + 1 < env->n)
				env->prune_point[pc + 1] |= VF_PRUNE;
		}
		if ((in->op == ISA_OP_CALL_HELPER || in->op == ISA_OP_CALL_LOCAL ||
		     in->op == ISA_OP_CALL_KFUNC) && pc + 1 < env->n)
			env->prune_point[pc + 1] |= VF_PRUNE;
		if (in->op == ISA_OP_CALL_HELPER) {
			const struct vf_proto *p = vf_proto(in->imm);

			if (p && (p->flags & VF_P_CALLBACK))
				env->prune_point[pc] |= VF_PRUNE | VF_CALLS_CALLBACK;
		}
	}
}

static void log_after(struct vf_env *env, size_t line_start, int next)
{
	size_t len = env->log_len - line_start;

	if (!env->o->log_level)
		return;
	if (len && env->log[env->log_len - 1] == '\n') {
		/* lines were logged after the instruction: the state goes on
		 * its own line, numbered by the next instruction (kernel's
		 * print_insn_state) */
		vf_log(env, "%d:", next);
		if (env->scratched || env->scratched_stack)
			vf_log_state(env, env->cur, true);
		else
			vf_log(env, "\n");
		return;
	}
	if (!env->scratched && !env->scratched_stack) {
		vf_log(env, "\n");
		return;
	}
	vf_log(env, "%*s;", len < 38 ? (int)(38 - len) : 1, "");
	vf_log_state(env, env->cur, true);
}

static int path_add(struct vf_env *env, int pc)
{
	struct vf_pnode *p;

	if (!env->o->want_path && !env->xp)
		return 0;
	p = vf_arena_alloc(env, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->prev = env->cur->path;
	p->pc = (uint32_t)pc;
	p->rec = NULL;
	p->frame = (uint8_t)env->cur->curframe;
	p->len = p->prev ? p->prev->len + 1 : 1;
	env->cur->path = p;
	return 0;
}

/*
 * The kernel checks the reserved fields of ALU, store and jump
 * instructions in do_check, when it reaches them, so a malformed one on a
 * path it proves dead is accepted.  Such an instruction is decoded with
 * the reserved fields cleared (isa_decode_lax(), for the CFG) and refused
 * when reached (reserved_check).  Opcodes, registers and ld_imm64/ldx forms stay
 * checked up front, as the kernel does in resolve_pseudo_ldimm64.
 */
static bool reserved_deferred(const struct isa_insn *in)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_LDDW: case ISA_FMT_LDABS: case ISA_FMT_LDIND: case ISA_FMT_LDX:
	case ISA_FMT_CALL: case ISA_FMT_CALL_LOCAL: case ISA_FMT_CALL_KFUNC: case ISA_FMT_CALLX:
		return false;
	default:
		return true;
	}
}

/* The deferred check: the kernel's "BPF_xxx uses reserved fields". */
static int reserved_check(struct vf_env *env, int pc)
{
	const struct isa_insn *in = &env->insns[pc];
	const char *what = "BPF_ALU";
	struct isa_insn tmp;
	struct bb_err rs;

	isa_decode_lax(env->raw, env->n, (size_t)pc, &tmp, NULL, &rs);
	/* only reserved_deferred() formats get here */
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_ST:
		what = "BPF_ST";
		break;
	case ISA_FMT_STX: case ISA_FMT_ATOMIC:
		what = "BPF_STX";
		break;
	case ISA_FMT_JA: case ISA_FMT_JA32:
		what = "BPF_JA";
		break;
	case ISA_FMT_EXIT:
		what = "BPF_EXIT";
		break;
	case ISA_FMT_JCC_K: case ISA_FMT_JCC_X:
		what = "BPF_JMP/JMP32";
		break;
	case ISA_FMT_NEG:
		what = "BPF_NEG";
		break;
	case ISA_FMT_END:
		what = "BPF_END";
		break;
	case ISA_FMT_MOVSX:
		what = "BPF_MOV";
		break;
	default:                        /* ALU_K, ALU_X */
		if (vf_is_mov(in))
			what = "BPF_MOV";
		break;
	}
	/* the kernel's words, then which field (our decoder's detail) */
	return vf_reject(env, -EINVAL, "%s uses reserved fields (%s)", what, rs.msg);
}

static int do_check(struct vf_env *env)
{
	bool print_state = true;
	int err = 0;

	for (;;) {
		int pc = env->cur->insn, next;
		const struct isa_insn *in;
		bool done = false;
		size_t line;

		if (pc < 0 || pc >= (int)env->n)
			return vf_reject(env, -EFAULT, "invalid insn idx %d insn_cnt %zu", pc, env->n);
		in = &env->insns[pc];
		if (env->xp && (err = vf_xp_before(env, pc)))
			return err;
		if (++env->processed > VF_INSN_LIMIT)
			return vf_reject(env, -E2BIG, "BPF program is too large. Processed %d insn",
					 VF_INSN_LIMIT + 1);
		env->err_insn = pc;
		if (env->prune_point[pc]) {
			err = is_state_visited(env, pc);
			if (err < 0)
				return err;
			if (err == 1) {
				if (env->o->log_level) {
					if (print_state)
						vf_log(env, "%d: safe\n", pc);
					else
						vf_log(env, "%d: safe\n", pc);
				}
				if (env->xp)
					vf_xp_pruned(env, pc);
				done = true;
				goto path_end;
			}
		}
		if (env->o->log_level > 1 && print_state) {
			vf_log(env, "%d:", pc);
			vf_log_state(env, env->cur, false);
		} else if (env->o->log_level == 1 && print_state && env->cur->prev_insn >= 0 && pc != 0) {
			vf_log(env, "%d:", pc);
			vf_log_state(env, env->cur, false);
		}
		print_state = false;
		env->scratched = 0;
		env->scratched_stack = 0;
		line = env->log_len;
		vf_log_insn(env, pc);
		if ((err = path_add(env, pc)))
			return err;
		if (env->reserved_bad[pc])
			return reserved_check(env, pc);
		next = pc + in->slots;
		switch (ISA_CLASS(in->code)) {
		case ISA_CLASS_ALU: case ISA_CLASS_ALU64:
			err = check_alu_op(env, in, pc);
			break;
		case ISA_CLASS_LDX: case ISA_CLASS_ST: case ISA_CLASS_STX:
			err = check_mem_insn(env, in, pc);
			break;
		case ISA_CLASS_LD:
			err = in->code == 0x18 ? check_ld_imm64(env, in, pc) : check_ld_abs(env, in, pc);
			break;
		default:
			env->jmps++;
			if (in->code == 0x95) {
				if (env->o->log_level)
					vf_log(env, "\n");
				line = env->log_len;
				err = check_exit(env, pc, &next, &done);
				if (!err && !done) {
					env->cur->insn = next;
					if (env->o->log_level)
						vf_log(env, "returning from callee:\n");
					print_state = true;
				}
				if (err)
					return err;
				if (env->xp && (err = vf_xp_after(env, pc)))
					return err;
				goto path_end;
			} else if (isa_rows[in->op].fmt == ISA_FMT_CALL) {
				err = check_helper_call(env, in, pc);
			} else if (isa_rows[in->op].fmt == ISA_FMT_CALL_LOCAL) {
				err = check_func_call(env, in, pc, &next);
				print_state = true;
			} else if (isa_rows[in->op].fmt == ISA_FMT_CALL_KFUNC) {
				err = check_kfunc_call(env, in, pc);
			} else if (isa_rows[in->op].fmt == ISA_FMT_CALLX) {
				err = vf_reject(env, -EOPNOTSUPP, "barebpf: callx not modelled yet");
			} else if (is_ja(in)) {
				next = (int)isa_branch_target(in, (size_t)pc);
			} else {
				err = check_cond_jmp(env, in, pc, &next);
				if (err == 1) {
					err = 0;
				} else if (err == 2) {
					err = 0;
					done = true;
				}
			}
			break;
		}
		if (!err && env->oom)
			err = -ENOMEM;          /* a copy-on-write stack could not be copied */
		if (err) {
			if (env->o->log_level && env->log_len > line && env->log[env->log_len - 1] != '\n')
				vf_log(env, "\n");
			return err;
		}
		log_after(env, line, next);
		if (env->xp && (err = vf_xp_after(env, pc)))
			return err;
		env->cur->insn = next;
path_end:
		if (!done)
			continue;
		update_branch_counts(env->cur->parent);
		if (!env->stack_len)
			return 0;
		env->cur = env->stack[--env->stack_len];
		if (env->o->log_level == 1)
			vf_log_truncate(env, env->cur->log_pos);
		if (env->o->log_level) {
			vf_log(env, "\nfrom %d to %d:", env->cur->prev_insn, env->cur->insn);
			vf_log_state(env, env->cur, false);
		}
		print_state = env->o->log_level > 1;
	}
}

/*
 * Global functions some verified path called, each verified on its own
 * from its prototype (vf_global.c), until no new one is called (the
 * kernel's do_check_subprogs).  Explored states do not carry over: they
 * belong to another entry.
 */
static int check_global_funcs(struct vf_env *env)
{
	bool again = true;
	int err;

	while (again) {
		again = false;
		for (int s = 1; s < env->nsub; s++) {
			struct vf_state *st;

			if (!env->sub[s].global || !env->sub[s].called || env->sub[s].verified)
				continue;
			env->sub[s].verified = true;
			memset(env->explored, 0, env->n * sizeof(*env->explored));
			if ((err = vf_global_entry(env, s, &st)))
				return err;
			env->cur = st;
			if ((err = do_check(env)))
				return err;
			vf_log(env, "Func#%d ('%s') is safe for any args that match its prototype\n", s,
			       env->sub[s].name ? env->sub[s].name : "?");
			again = true;
		}
	}
	return 0;
}

/* Deepest combined stack over call chains (kernel: rounded to 16 with JIT). */
static int check_max_stack_depth(struct vf_env *env, int sub, int depth, int frames)
{
	int d = (env->sub[sub].stack_depth + 15) & ~15, err;

	depth += d;
	if (depth > VF_STACK)
		return vf_reject(env, -EACCES, "combined stack size of %d calls is %d. Too large",
				 frames, depth);
	if (frames > VF_MAX_FRAMES)
		return 0;
	for (int pc = env->sub[sub].start; pc < env->sub[sub].end; pc++) {
		const struct isa_insn *in = &env->insns[pc];

		/* a function reference (ld_imm64 src 4) is a callback the
		 * helper calls from here: its stack counts as a call's */
		if (in->op == ISA_OP_CALL_LOCAL || in->op == ISA_OP_LDDW_FUNC) {
			int t = (int)isa_branch_target(in, (size_t)pc);

			for (int s = 0; s < env->nsub; s++)
				if (env->sub[s].start == t && s != sub &&
				    (err = check_max_stack_depth(env, s, depth, frames + 1)))
					return err;
		}
	}
	return 0;
}

static int run(struct vf_env *env)
{
	struct vf_state *st;
	int err;

	if (!env->n)
		return vf_reject(env, -EINVAL, "empty program");
	for (size_t pc = 0; pc < env->n;) {
		struct bb_err de, rs;
		int k;

		bb_err_clear(&de);
		k = isa_decode_lax(env->raw, env->n, pc, &env->insns[pc], &de, &rs);
		if (k > 0 && rs.code && !reserved_deferred(&env->insns[pc])) {
			k = -EINVAL;
			de = rs;
		}
		if (k < 0) {
			env->err_insn = (int)pc;
			return vf_reject(env, -EINVAL, "%s", de.msg);
		}
		if (rs.code)
			env->reserved_bad[pc] = 1;
		if (k == 2)
			env->insns[pc + 1].op = UINT16_MAX;
		pc += (size_t)k;
	}
	if (env->o->sz >= offsetof(struct vf_opts, want_states) + sizeof(bool) &&
	    env->o->want_states && (err = vf_xp_new(env)))
		return err;
	if ((err = check_cfg(env)) || (err = vf_func_info_check(env)) || (err = vf_check_map_uses(env)))
		return err;
	if ((err = vf_compute_liveness(env)))
		return err;
	mark_prune_points(env);
	st = vf_state_new(env);
	if (!st || !(st->frames[0] = vf_frame_new(env, -1, 0, 0)))
		return -ENOMEM;
	st->prev_insn = -1;
	mark_reg_unknown(&st->frames[0]->regs[1]);
	st->frames[0]->regs[1].type = VF_PTR_CTX;
	st->frames[0]->regs[1].v = vf_sval_const(0);
	env->cur = st;
	if ((err = do_check(env)))
		return err;
	if ((err = check_global_funcs(env)))
		return err;
	return check_max_stack_depth(env, 0, 0, 1);
}

int vf_verify(const struct isa_raw *insns, size_t n, const struct vf_opts *opts,
	      struct vf_result *r, struct bb_err *e)
{
	struct vf_env env;
	int err;

	memset(r, 0, sizeof(*r));
	memset(&env, 0, sizeof(env));
	r->insn = -1;
	env.raw = insns;
	env.n = n;
	env.o = opts;
	env.res = r;
	env.err_insn = -1;
	vf_log_btf = opts->sz >= offsetof(struct vf_opts, attach_btf_id) + sizeof(uint32_t) ? opts->btf : NULL;
	env.ctx_layout = env_ctx_layout(opts->prog_type, opts->expected_attach_type);
	env.insns = calloc(n ? n : 1, sizeof(*env.insns));
	env.explored = calloc(n ? n : 1, sizeof(*env.explored));
	env.nstates = calloc(n ? n : 1, sizeof(*env.nstates));
	env.prune_point = calloc(n ? n : 1, 1);
	env.reserved_bad = calloc(n ? n : 1, 1);
	env.maps_own = calloc(2 * opts->map_cnt + 1, sizeof(*env.maps_own));
	env.inner_idx = calloc(opts->map_cnt + 1, sizeof(*env.inner_idx));
	if (!env.insns || !env.explored || !env.nstates || !env.prune_point || !env.maps_own ||
	    !env.inner_idx || !env.reserved_bad) {
		err = -ENOMEM;
		goto out;
	}
	env.map_cnt = opts->map_cnt;
	for (size_t m = 0; m < opts->map_cnt; m++)
		env.maps_own[m] = opts->maps[m];
	for (size_t m = 0; m < opts->map_cnt; m++) {
		env.inner_idx[m] = UINT32_MAX;
		if (opts->maps[m].inner) {
			env.inner_idx[m] = (uint32_t)env.map_cnt;
			env.maps_own[env.map_cnt] = *opts->maps[m].inner;
			env.maps_own[env.map_cnt++].inner = NULL;
		}
	}
	env.maps = env.maps_own;
	err = run(&env);
	if (err == -ENOMEM && !env.err_msg[0])
		snprintf(env.err_msg, sizeof(env.err_msg), "out of memory");
out:
	r->err = err;
	r->processed = env.processed;
	r->total_states = env.total_states;
	r->peak_states = env.peak_states;
	for (size_t i = 0; i < n && env.nstates; i++)
		if (env.nstates[i] > r->max_states_per_insn)
			r->max_states_per_insn = env.nstates[i];
	r->peak_mem = env.arena_bytes;
	if (err) {
		r->insn = env.err_insn;
		snprintf(r->msg, sizeof(r->msg), "%s", env.err_msg);
		if (env.cur && env.cur->path) {
			r->path = malloc(env.cur->path->len * sizeof(*r->path));
			if (r->path) {
				r->path_len = env.cur->path->len;
				for (struct vf_pnode *p = env.cur->path; p; p = p->prev)
					r->path[p->len - 1] = p->pc;
			}
		}
		bb_err_insn(e, err, r->insn, "%s", env.err_msg);
	}
	if (env.xp)
		vf_xp_finish(&env, r);
	if (opts->log_level)
		vf_log(&env, "processed %" PRIu64 " insns (limit %d) max_states_per_insn %u total_states %u peak_states %u mark_read 0\n",
		       env.processed, VF_INSN_LIMIT, r->max_states_per_insn, env.total_states,
		       env.peak_states);
	r->log = env.log;
	r->log_len = env.log_len;
	vf_arena_free(&env);
	free(env.maps_own);
	free(env.inner_idx);
	free(env.insns);
	free(env.explored);
	free(env.nstates);
	free(env.prune_point);
	free(env.reserved_bad);
	free(env.live);
	free(env.stack);
	return err;
}
