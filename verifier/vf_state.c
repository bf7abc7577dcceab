/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_state.c - verifier states: a per-run arena, copies, and the
 * subsumption test used for pruning (an explored, proven-safe state
 * subsumes the current one when every register and stack byte of the
 * current state is at least as constrained).
 */
#include <stdlib.h>

#include "verifier/vf_internal.h"

struct vf_chunk {
	struct vf_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define CHUNK_BYTES (1u << 20)

void *vf_arena_alloc(struct vf_env *env, size_t size)
{
	struct vf_chunk *c = env->chunks;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > CHUNK_BYTES ? size : CHUNK_BYTES;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = env->chunks;
		c->used = 0;
		c->cap = cap;
		env->chunks = c;
		env->arena_bytes += cap;
	}
	c->used += size;
	return (char *)c->data + c->used - size;
}

void vf_arena_free(struct vf_env *env)
{
	while (env->chunks) {
		struct vf_chunk *c = env->chunks;

		env->chunks = c->next;
		free(c);
	}
}

void mark_reg_not_init(struct vf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = VF_NOT_INIT;
	r->v = vf_sval_unknown();
}

void mark_reg_unknown(struct vf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = VF_SCALAR;
	r->v = vf_sval_unknown();
}

void mark_reg_const(struct vf_reg *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->type = VF_SCALAR;
	r->v = vf_sval_const(v);
}

bool is_pointer(const struct vf_reg *r) { return r->type > VF_SCALAR; }

bool is_pkt_pointer(const struct vf_reg *r)
{
	return r->type == VF_PTR_PKT || r->type == VF_PTR_PKT_META;
}

static struct vf_stack *stack_new(struct vf_env *env)
{
	struct vf_stack *st = vf_arena_alloc(env, sizeof(*st));

	if (!st)
		return NULL;
	memset(st->stype, VF_ST_INVALID, sizeof(st->stype));
	for (int i = 0; i < VF_SLOTS; i++)
		mark_reg_not_init(&st->spill[i]);
	return st;
}

struct vf_frame *vf_frame_new(struct vf_env *env, int callsite, int subprog, int frameno)
{
	struct vf_frame *f = vf_arena_alloc(env, sizeof(*f));

	if (!f)
		return NULL;
	if (!env->empty_stack && !(env->empty_stack = stack_new(env)))
		return NULL;
	for (int i = 0; i < VF_NREGS; i++)
		mark_reg_not_init(&f->regs[i]);
	/* R10: the frame pointer, into this frame's (empty) stack */
	mark_reg_unknown(&f->regs[10]);
	f->regs[10].type = VF_PTR_STACK;
	f->regs[10].v = vf_sval_const(0);
	f->regs[10].frameno = (uint8_t)frameno;
	f->stk = env->empty_stack;
	f->stk_owned = false;
	f->callsite = callsite;
	f->subprog = subprog;
	f->depth = 0;
	f->in_callback = false;
	f->callback_depth = 0;
	return f;
}

struct vf_stack *vf_stack_mut(struct vf_env *env, struct vf_frame *f)
{
	static __thread struct vf_stack scratch;
	struct vf_stack *st;

	if (f->stk_owned)
		return (struct vf_stack *)f->stk;
	st = vf_arena_alloc(env, sizeof(*st));
	if (!st) {
		env->oom = true;
		return &scratch;
	}
	*st = *f->stk;
	f->stk = st;
	f->stk_owned = true;
	return st;
}

struct vf_state *vf_state_new(struct vf_env *env)
{
	struct vf_state *s = vf_arena_alloc(env, sizeof(*s));

	if (s)
		memset(s, 0, sizeof(*s));
	return s;
}

struct vf_state *vf_state_copy(struct vf_env *env, const struct vf_state *src)
{
	struct vf_state *s = vf_arena_alloc(env, sizeof(*s));

	if (!s)
		return NULL;
	*s = *src;
	s->next = NULL;
	s->branches = 0;
	for (int i = 0; i <= src->curframe; i++) {
		s->frames[i] = vf_arena_alloc(env, sizeof(struct vf_frame));
		if (!s->frames[i])
			return NULL;
		*s->frames[i] = *src->frames[i];
		/* both now refer to the stack: the first to write copies it */
		s->frames[i]->stk_owned = false;
		src->frames[i]->stk_owned = false;
	}
	for (int i = src->curframe + 1; i < VF_MAX_FRAMES; i++)
		s->frames[i] = NULL;
	return s;
}

struct vf_frame *cur_frame(struct vf_env *env) { return env->cur->frames[env->cur->curframe]; }
struct vf_reg *cur_regs(struct vf_env *env) { return cur_frame(env)->regs; }

/* ----- subsumption ----- */

/* Ids of old must map one-to-one onto ids of cur. */
struct idmap { uint32_t old[64], cur[64]; int n; };

static bool check_ids(struct idmap *m, uint32_t old, uint32_t cur)
{
	if (!old && !cur)
		return true;
	if (!old || !cur)
		return false;
	for (int i = 0; i < m->n; i++) {
		if (m->old[i] == old)
			return m->cur[i] == cur;
		if (m->cur[i] == cur)
			return false;
	}
	if (m->n == 64)
		return false;
	m->old[m->n] = old;
	m->cur[m->n++] = cur;
	return true;
}

static bool regsafe(const struct vf_reg *old, const struct vf_reg *cur, struct idmap *m,
		    bool exact)
{
	if (exact)
		return !memcmp(old, cur, sizeof(*old)) ||
		       (old->type == cur->type && old->type == VF_NOT_INIT);
	if (old->type == VF_NOT_INIT)
		return true;
	if (old->type != cur->type)
		return false;
	if (old->type == VF_SCALAR) {
		/* A scalar id ties copies for branch refinement: only a
		 * tie the explored path relied on must hold now. */
		if (old->id && (old->link != cur->link || old->off != cur->off ||
				!check_ids(m, old->id, cur->id)))
			return false;
		return vf_sval_within(&old->v, &cur->v);
	}
	if (old->flags != cur->flags || old->off != cur->off || old->frameno != cur->frameno)
		return false;
	if (!check_ids(m, old->ref_obj_id, cur->ref_obj_id))
		return false;
	switch (old->type) {
	case VF_PTR_PKT: case VF_PTR_PKT_META:
		if (cur->aux < old->aux)
			return false;
		break;
	default:
		if (old->aux != cur->aux)
			return false;
		break;
	}
	/* a map value's id after its null check names its bpf_spin_lock */
	if ((old->flags & VF_MAYBE_NULL) || is_pkt_pointer(old) || old->type == VF_PTR_MAP_VALUE)
		if (!check_ids(m, old->id, cur->id))
			return false;
	return vf_sval_within(&old->v, &cur->v);
}

static bool stacksafe(const struct vf_frame *old, const struct vf_frame *cur,
		      struct idmap *m, bool exact)
{
	for (int i = 0; i < VF_STACK; i++) {
		uint8_t o = old->stk->stype[i], c = cur->stk->stype[i];

		/* Fast path, a slot at a time: the same eight byte types (most
		 * slots are unused on both sides) need only a spill's check. */
		if (!(i % 8)) {
			uint64_t ow, cw;

			memcpy(&ow, &old->stk->stype[i], 8);
			memcpy(&cw, &cur->stk->stype[i], 8);
			if (ow == cw) {
				if (!exact && o == VF_ST_SPILL &&
				    !regsafe(&old->stk->spill[i / 8], &cur->stk->spill[i / 8], m, false))
					return false;
				i += 7;
				continue;
			}
		}
		if (exact) {
			if (o != c)
				return false;
			continue;
		}
		if (o == VF_ST_INVALID || o == VF_ST_MISC) {
			/* Both read as unknown scalars (uninit reads allowed). */
			if (c == VF_ST_SPILL && cur->stk->spill[i / 8].type != VF_SCALAR)
				return false;
			continue;
		}
		if (o == VF_ST_ZERO) {
			if (c == VF_ST_ZERO)
				continue;
			if (c == VF_ST_SPILL && cur->stk->spill[i / 8].type == VF_SCALAR &&
			    vf_sval_is_const(&cur->stk->spill[i / 8].v) && !cur->stk->spill[i / 8].v.t.value)
				continue;
			return false;
		}
		if (c != VF_ST_SPILL)
			return false;
		/* a spill of fewer than 8 bytes starts at the slot's first byte */
		if (i % 8 == 0 && !regsafe(&old->stk->spill[i / 8], &cur->stk->spill[i / 8], m, false))
			return false;
	}
	if (exact)
		for (int s = 0; s < VF_SLOTS; s++)
			if (old->stk->stype[s * 8] == VF_ST_SPILL &&
			    !regsafe(&old->stk->spill[s], &cur->stk->spill[s], m, true))
				return false;
	return true;
}

bool vf_states_equal(const struct vf_state *old, const struct vf_state *cur, bool exact)
{
	return vf_states_equal_live(old, cur, exact, NULL);
}

bool vf_states_equal_live(const struct vf_state *old, const struct vf_state *cur, bool exact,
			  const uint16_t *live)
{
	struct idmap m = { .n = 0 };

	if (old->curframe != cur->curframe || old->nrefs != cur->nrefs ||
	    old->active_rcu != cur->active_rcu)
		return false;
	for (int i = 0; i < old->nrefs; i++)
		if (!check_ids(&m, old->refs[i].id, cur->refs[i].id) ||
		    old->refs[i].kind != cur->refs[i].kind || old->refs[i].map != cur->refs[i].map)
			return false;
	for (int f = 0; f <= old->curframe; f++) {
		const struct vf_frame *of = old->frames[f], *cf = cur->frames[f];

		if (of->callsite != cf->callsite || of->in_callback != cf->in_callback)
			return false;
		/* fewer callback iterations done means more to come (kernel:
		 * old->callback_depth > cur->callback_depth is not safe) */
		if (exact ? of->callback_depth != cf->callback_depth
			  : of->callback_depth > cf->callback_depth)
			return false;
		for (int r = 0; r < VF_NREGS; r++)
			if ((!live || (live[f] & (1u << r))) &&
			    !regsafe(&of->regs[r], &cf->regs[r], &m, exact))
				return false;
		if (!stacksafe(of, cf, &m, exact))
			return false;
	}
	return true;
}
