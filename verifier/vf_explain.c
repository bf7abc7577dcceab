/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_explain.c - what `barebpf verify --explain` and `--dot`
 * show: the abstract state along the failing path and at each basic
 * block's entry, recorded while the verifier runs, then folded, written
 * in the log's notation (vf_log.c's formatters) and explained in plain
 * words.  Nothing here runs unless vf_opts.want_states asks: the driver
 * calls in behind one test of env->xp.
 *
 * Recording.  Before each insn the current frame's registers are copied;
 * the failing insn's operands are shown from that copy, as they were
 * before it ran.  After the insn, the registers that differ from the
 * copy, and the stack slots a store or call touched, are saved with the
 * insn's path node (struct vf_prec, in the run's arena, shared by the
 * paths that fork later, as the nodes are).  A conditional jump whose two
 * edges are both possible forks its node, so the pushed branch keeps its
 * own refinement (R2=pkt(r=14) on the taken edge only).  Recording stops
 * at VF_XP_BUDGET bytes, which a path of ~1.5M insns reaches; later steps
 * then say "not recorded".  Block entries keep the first VF_BLOCK_STATES
 * states in full and count the rest.
 *
 * Folding.  A rejected path may go round a loop many times.  Walking it
 * from the entry, an insn met again in the same call context (the chain
 * of call sites that leads to it) cuts everything since its last visit.
 * What is left visits each insn once per context, every pair of
 * neighbours is still an edge the verifier took, and the states shown
 * are those of the last time round, the ones that reached the failure.
 * It is the explored path with its loops folded, not a shortest path of
 * the CFG: a shorter route through other branches would carry other
 * states, and the output says so.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "verifier/vf_helpers.h"
#include "verifier/vf_internal.h"

#define VF_XP_BUDGET (256u << 20)

/* A stack slot after a store: its 8 byte states and spilled register. */
struct vf_pslot {
	uint8_t slot;
	uint8_t stype[8];
	struct vf_reg spill;
};

/* What one insn changed on one path. */
struct vf_prec {
	uint16_t regs;          /* registers that changed (bit r), to NOT_INIT too */
	uint8_t nslots;
	uint8_t frame;          /* call depth after the insn: whose registers these are */
	struct vf_reg *val;     /* one per bit of regs, lowest first */
	struct vf_pslot *slot;
};

struct xblock {
	uint32_t start, end;
	uint32_t arrivals, pruned, nstates;
	char *states[VF_BLOCK_STATES];  /* malloc'ed */
};

struct vf_xp {
	struct vf_reg pre[VF_NREGS];    /* current frame before the insn */
	int pre_pc, pre_frame;
	int32_t *block_of;              /* insn -> block; lddw's second slot: its first's */
	struct xblock *blocks;
	size_t nblocks;
	struct bb_vec edges;            /* struct vf_edge */
	size_t rec_bytes;
	bool partial;
	struct vf_prec empty;           /* an insn that changed nothing */
};

/* ----- the CFG ----- */

enum xkind { X_PLAIN, X_JA, X_COND, X_EXIT, X_CALL_LOCAL, X_CALL_OTHER };

/* What an insn does to control flow, from its operand format in the
 * isa/ table (the one place that says which opcodes are jumps). */
static enum xkind insn_kind(const struct isa_insn *in)
{
	if (in->op == UINT16_MAX)       /* lddw's second slot has no row */
		return X_PLAIN;
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_JA:
	case ISA_FMT_JA32:
		return X_JA;
	case ISA_FMT_JCC_K:
	case ISA_FMT_JCC_X:
		return X_COND;
	case ISA_FMT_EXIT:
		return X_EXIT;
	case ISA_FMT_CALL_LOCAL:
		return X_CALL_LOCAL;
	case ISA_FMT_CALL:
	case ISA_FMT_CALL_KFUNC:
	case ISA_FMT_CALLX:
		return X_CALL_OTHER;
	default:
		return X_PLAIN;
	}
}

/* ld_imm64 of a subprogram's address (a callback): an edge into it */
static bool is_func_ref(const struct isa_insn *in)
{
	return in->op != UINT16_MAX && isa_rows[in->op].fmt == ISA_FMT_LDDW &&
	       in->src == ISA_PSEUDO_FUNC;
}

static int add_edge(struct vf_xp *xp, uint32_t from, long to_pc, size_t n, uint8_t kind)
{
	struct vf_edge e = { .from = from, .kind = kind };

	if (to_pc < 0 || (size_t)to_pc >= n || xp->block_of[to_pc] < 0)
		return 0;       /* out of range: check_cfg refuses the program */
	e.to = (uint32_t)xp->block_of[to_pc];
	return bb_vec_push(&xp->edges, &e) ? 0 : -ENOMEM;
}

/* Basic blocks: leaders are the entry, jump targets, subprogram starts
 * and whatever follows a jump, an exit or a bpf-to-bpf call. */
static int build_cfg(struct vf_env *env, struct vf_xp *xp)
{
	size_t n = env->n;
	uint8_t *lead = calloc(n + 1, 1);
	int err = 0;

	xp->block_of = malloc(n * sizeof(*xp->block_of));
	xp->blocks = calloc(n, sizeof(*xp->blocks));
	if (!lead || !xp->block_of || !xp->blocks) {
		free(lead);
		return -ENOMEM;
	}
	lead[0] = 1;
	for (size_t pc = 0; pc < n; pc++) {
		const struct isa_insn *in = &env->insns[pc];
		long t;

		if (in->op == UINT16_MAX)
			continue;
		/* jumps, local calls and function references; -1 for the rest */
		t = isa_branch_target(in, pc);
		switch (insn_kind(in)) {
		case X_JA: case X_COND:
			lead[pc + in->slots] = 1;
			break;
		case X_CALL_LOCAL:
		case X_EXIT:
			lead[pc + 1] = 1;
			break;
		default:
			break;
		}
		if (t >= 0 && (size_t)t < n)
			lead[t] = 1;
	}
	for (size_t pc = 0; pc < n; pc++) {
		if (env->insns[pc].op == UINT16_MAX) {
			xp->block_of[pc] = pc ? xp->block_of[pc - 1] : -1;
			continue;
		}
		if (lead[pc] || !xp->nblocks) {
			if (xp->nblocks)
				xp->blocks[xp->nblocks - 1].end = (uint32_t)pc;
			xp->blocks[xp->nblocks++].start = (uint32_t)pc;
		}
		xp->block_of[pc] = (int32_t)xp->nblocks - 1;
	}
	if (xp->nblocks)
		xp->blocks[xp->nblocks - 1].end = (uint32_t)n;
	free(lead);
	bb_vec_init(&xp->edges, sizeof(struct vf_edge));
	for (size_t b = 0; b < xp->nblocks && !err; b++) {
		struct xblock *bl = &xp->blocks[b];
		size_t last = bl->start;

		for (size_t pc = bl->start; pc < bl->end; pc++) {
			if (env->insns[pc].op == UINT16_MAX)
				continue;
			last = pc;
			if (is_func_ref(&env->insns[pc]))
				err = err ? err : add_edge(xp, (uint32_t)b,
							   isa_branch_target(&env->insns[pc], pc), n,
							   VF_EDGE_CALLBACK);
		}
		{
			const struct isa_insn *in = &env->insns[last];
			long next = (long)last + in->slots;

			switch (insn_kind(in)) {
			case X_EXIT:
				break;
			case X_JA:
				err = err ? err : add_edge(xp, (uint32_t)b, isa_branch_target(in, last), n,
							   VF_EDGE_JUMP);
				break;
			case X_COND:
				err = err ? err : add_edge(xp, (uint32_t)b, next, n, VF_EDGE_NEXT);
				err = err ? err : add_edge(xp, (uint32_t)b, isa_branch_target(in, last), n,
							   VF_EDGE_TAKEN);
				break;
			case X_CALL_LOCAL:
				err = err ? err : add_edge(xp, (uint32_t)b, isa_branch_target(in, last), n,
							   VF_EDGE_CALL);
				err = err ? err : add_edge(xp, (uint32_t)b, next, n, VF_EDGE_NEXT);
				break;
			default:
				err = err ? err : add_edge(xp, (uint32_t)b, next, n, VF_EDGE_NEXT);
				break;
			}
		}
	}
	return err;
}

static void xp_free(struct vf_xp *xp)
{
	if (!xp)
		return;
	for (size_t b = 0; b < xp->nblocks; b++)
		for (uint32_t k = 0; k < xp->blocks[b].nstates; k++)
			free(xp->blocks[b].states[k]);
	free(xp->blocks);
	free(xp->block_of);
	bb_vec_free(&xp->edges);
	free(xp);
}

int vf_xp_new(struct vf_env *env)
{
	struct vf_xp *xp = calloc(1, sizeof(*xp));
	int err;

	if (!xp)
		return -ENOMEM;
	xp->pre_pc = -1;
	if ((err = build_cfg(env, xp))) {
		xp_free(xp);
		return err;
	}
	env->xp = xp;
	return 0;
}

/* ----- recording ----- */

/* Text of @vec without its leading blank, as a malloc'ed string (the
 * vector's buffer is handed over). */
static char *vec_take(struct bb_vec *vec)
{
	char *s = vec->data;

	if (!s)
		return strdup("");
	if (*s == ' ')
		memmove(s, s + 1, vec->len);
	vec->data = NULL;
	vec->len = vec->cap = 0;
	return s;
}

int vf_xp_before(struct vf_env *env, int pc)
{
	struct vf_xp *xp = env->xp;
	const struct vf_state *st = env->cur;
	struct xblock *b;

	memcpy(xp->pre, st->frames[st->curframe]->regs, sizeof(xp->pre));
	xp->pre_pc = pc;
	xp->pre_frame = st->curframe;
	if (xp->block_of[pc] < 0 || (b = &xp->blocks[xp->block_of[pc]])->start != (uint32_t)pc)
		return 0;
	b->arrivals++;
	if (b->nstates < VF_BLOCK_STATES) {
		struct bb_vec v;
		struct vf_text t = { .env = env, .vec = &v };
		char *s;

		bb_vec_init(&v, 1);
		vf_fmt_state(&t, st, NULL, ~0u, ~0ull, false);
		if (!(s = vec_take(&v)))
			return -ENOMEM;
		b->states[b->nstates++] = s;
	}
	return 0;
}

void vf_xp_pruned(struct vf_env *env, int pc)
{
	struct vf_xp *xp = env->xp;

	if (xp->block_of[pc] >= 0 && xp->blocks[xp->block_of[pc]].start == (uint32_t)pc)
		xp->blocks[xp->block_of[pc]].pruned++;
}

/* Save in @node what the insn at @pc changed in @st. */
static int record(struct vf_env *env, const struct vf_state *st, struct vf_pnode *node, int pc)
{
	struct vf_xp *xp = env->xp;
	const struct isa_insn *in = &env->insns[pc];
	const struct vf_frame *f = st->frames[st->curframe], *sf = f;
	uint32_t mask = 0;
	uint64_t slots = 0;
	int nregs, nslots, k = 0;
	size_t size;
	struct vf_prec *rec;
	uint8_t cls = ISA_CLASS(in->code);

	if (st->curframe == xp->pre_frame) {
		for (int r = 0; r < VF_NREGS; r++)
			if (memcmp(&f->regs[r], &xp->pre[r], sizeof(f->regs[r])))
				mask |= 1u << r;
	} else if (st->curframe > xp->pre_frame) {
		/* entered a function or callback: its arguments and frame */
		for (int r = 1; r <= 5; r++)
			if (f->regs[r].type != VF_NOT_INIT)
				mask |= 1u << r;
		mask |= 1u << 10;
	} else {
		/* returned: R0, and R1-R5 are gone */
		mask = 0x3f;
	}
	/* Stores and helpers write stack slots (loads only scratch them). */
	if (cls == ISA_CLASS_ST || cls == ISA_CLASS_STX) {
		const struct vf_reg *p = &xp->pre[in->dst];

		slots = env->scratched_stack;
		if (p->type == VF_PTR_STACK && p->frameno <= st->curframe)
			sf = st->frames[p->frameno];
	} else if (insn_kind(in) == X_CALL_OTHER) {
		slots = env->scratched_stack;
	}
	if (!mask && !slots) {
		node->rec = &xp->empty;
		return 0;
	}
	if (xp->partial)
		return 0;
	nregs = __builtin_popcount(mask);
	nslots = __builtin_popcountll(slots);
	size = sizeof(*rec) + (size_t)nregs * sizeof(struct vf_reg) +
	       (size_t)nslots * sizeof(struct vf_pslot);
	if (xp->rec_bytes + size > VF_XP_BUDGET) {
		xp->partial = true;
		return 0;
	}
	rec = vf_arena_alloc(env, size);
	if (!rec)
		return -ENOMEM;
	xp->rec_bytes += size;
	rec->regs = (uint16_t)mask;
	rec->nslots = (uint8_t)nslots;
	rec->frame = (uint8_t)st->curframe;
	rec->val = (struct vf_reg *)(rec + 1);
	rec->slot = (struct vf_pslot *)(rec->val + nregs);
	for (int r = 0; r < VF_NREGS; r++)
		if (mask & (1u << r))
			rec->val[k++] = f->regs[r];
	k = 0;
	for (int s = VF_SLOTS - 1; s >= 0; s--)
		if (slots & (1ull << s)) {
			rec->slot[k].slot = (uint8_t)s;
			memcpy(rec->slot[k].stype, &sf->stk->stype[s * 8], 8);
			rec->slot[k++].spill = sf->stk->spill[s];
		}
	node->rec = rec;
	return 0;
}

int vf_xp_after(struct vf_env *env, int pc)
{
	struct vf_pnode *node = env->cur->path;

	/* the insn may have switched paths (a callback's exit): only the
	 * node this insn added is written */
	if (!node || node->pc != (uint32_t)pc || env->xp->pre_pc != pc)
		return 0;
	return record(env, env->cur, node, pc);
}

/* The --explain/--dot parts of @r (vf_result_free() and a failed
 * vf_xp_finish() both drop them). */
void vf_xp_result_free(struct vf_result *r)
{
	free(r->blocks);
	free(r->edges);
	free(r->steps);
	free(r->text);
	r->blocks = NULL;
	r->edges = NULL;
	r->steps = NULL;
	r->text = NULL;
	r->nsteps = r->nblocks = r->nedges = 0;
	r->fail_regs = r->fail_state = r->explain = NULL;
}

int vf_xp_edge(struct vf_env *env, struct vf_state *other, int pc)
{
	struct vf_pnode *node = other->path, *fork;

	if (!node || node->pc != (uint32_t)pc)
		return 0;
	fork = vf_arena_alloc(env, sizeof(*fork));
	if (!fork)
		return -ENOMEM;
	*fork = *node;
	other->path = fork;
	return record(env, other, fork, pc);
}

/* ----- folding ----- */

struct xstep {
	const struct vf_pnode *node;
	uint64_t key;           /* call context << 32 | insn */
	uint32_t folded;
};

/* A call context is interned as (parent context, call site). */
struct xctx { uint32_t parent, site; };

static uint32_t ctx_intern(struct bb_vec *ctx, uint32_t parent, uint32_t site)
{
	struct xctx c = { parent, site };

	for (size_t i = 0; i < ctx->len; i++) {
		const struct xctx *e = bb_vec_at(ctx, struct xctx, i);

		if (e->parent == parent && e->site == site)
			return (uint32_t)i + 1;
	}
	if (!bb_vec_push(ctx, &c))
		return UINT32_MAX;
	return (uint32_t)ctx->len;
}

/*
 * Fold @nodes (@len, entry first) into @out; returns the count or -ENOMEM.
 * The table maps a key to its position in @out; an entry whose position
 * is past the end, or holds another key, is stale (the loop that put it
 * there was cut), so cutting never has to delete.
 */
static long fold(const struct vf_pnode **nodes, size_t len, struct xstep *out)
{
	size_t cap = 16, outlen = 0;
	struct { uint64_t key; size_t pos; } *tab;
	uint32_t stack[VF_MAX_FRAMES + 1] = { 0 };
	struct bb_vec ctx;
	long ret;

	while (cap < 2 * len)
		cap *= 2;
	tab = malloc(cap * sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		tab[i].key = UINT64_MAX;
	bb_vec_init(&ctx, sizeof(struct xctx));
	for (size_t i = 0; i < len; i++) {
		unsigned fr = nodes[i]->frame < VF_MAX_FRAMES ? nodes[i]->frame : VF_MAX_FRAMES;
		unsigned pfr = i ? (nodes[i - 1]->frame < VF_MAX_FRAMES ? nodes[i - 1]->frame : VF_MAX_FRAMES) : 0;
		uint64_t key;
		size_t h;

		if (i && fr > pfr)
			for (unsigned d = pfr + 1; d <= fr; d++) {
				stack[d] = ctx_intern(&ctx, stack[d - 1], nodes[i - 1]->pc);
				if (stack[d] == UINT32_MAX) {
					ret = -ENOMEM;
					goto out;
				}
			}
		key = (uint64_t)stack[fr] << 32 | nodes[i]->pc;
		h = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
		while (tab[h].key != UINT64_MAX && tab[h].key != key)
			h = (h + 1) & (cap - 1);
		if (tab[h].key == key && tab[h].pos < outlen && out[tab[h].pos].key == key) {
			/* back at an insn of this context: fold the loop */
			size_t j = tab[h].pos;

			outlen = j + 1;
			out[j].node = nodes[i];
			out[j].folded++;
			continue;
		}
		tab[h].key = key;
		tab[h].pos = outlen;
		out[outlen].node = nodes[i];
		out[outlen].key = key;
		out[outlen++].folded = 0;
	}
	ret = (long)outlen;
out:
	bb_vec_free(&ctx);
	free(tab);
	return ret;
}

/* ----- text ----- */

/* Offsets into the text buffer until it stops moving; NO_TEXT is NULL. */
#define NO_TEXT SIZE_MAX

static size_t text_mark(struct bb_vec *v)
{
	/* the string starts after the previous one's NUL, and is "" until
	 * something is written */
	if (bb_vec_reserve(v, v->len + 2))
		return NO_TEXT;
	((char *)v->data)[v->len++] = 0;
	((char *)v->data)[v->len] = 0;
	return v->len;
}

static void text_trim(struct bb_vec *v, size_t start)
{
	char *s = (char *)v->data + start;

	if (start < v->len && *s == ' ') {
		memmove(s, s + 1, v->len - start);
		v->len--;
	}
}

static void fmt_rec(struct vf_env *env, struct vf_text *t, const struct vf_prec *rec)
{
	char buf[512];
	int k = 0;

	if (rec->frame)
		vf_text_printf(t, " frame%u:", rec->frame);
	for (int r = 0; r < VF_NREGS; r++) {
		if (!(rec->regs & (1u << r)))
			continue;
		if (rec->val[k].type != VF_NOT_INIT) {
			vf_log_reg(env, &rec->val[k], buf, sizeof(buf));
			vf_text_printf(t, " R%d=%s", r, buf);
		}
		k++;
	}
	for (int s = 0; s < rec->nslots; s++)
		vf_fmt_slot(t, rec->slot[s].slot, rec->slot[s].stype, &rec->slot[s].spill);
}

/* The registers an insn reads (what --explain shows at the failure). */
static uint32_t insn_uses(const struct isa_insn *in, const struct vf_reg *pre)
{
	uint8_t cls = ISA_CLASS(in->code), o = in->code & 0xf0, mode = in->code & 0xe0;
	uint32_t m = 0;

	switch (cls) {
	case ISA_CLASS_ALU: case ISA_CLASS_ALU64:
		if (o != 0xb0)
			m |= 1u << in->dst;
		if ((in->code & ISA_SRC_X) && o != 0x80 && o != 0xd0)
			m |= 1u << in->src;
		return m;
	case ISA_CLASS_LDX:
		return 1u << in->src;
	case ISA_CLASS_ST:
		return 1u << in->dst;
	case ISA_CLASS_STX:
		m = 1u << in->dst | 1u << in->src;
		if (mode == 0xc0 && in->imm == 0xf1)
			m |= 1;
		return m;
	case ISA_CLASS_LD:
		if (in->code == 0x18)
			return 0;
		return 1u << 6 | (mode == 0x40 ? 1u << in->src : 0);
	}
	switch (insn_kind(in)) {
	case X_EXIT:
		return 1;
	case X_JA:
		return 0;
	case X_COND:
		return 1u << in->dst | ((in->code & ISA_SRC_X) ? 1u << in->src : 0);
	case X_CALL_OTHER:
		if (in->src == 0) {
			const struct vf_proto *p = vf_proto(in->imm);

			if (p) {
				for (int a = 0; a < 5 && p->args[a]; a++)
					m |= 1u << (a + 1);
				return m;
			}
		}
		/* unknown helper: every argument register that is set */
		__attribute__((fallthrough));
	default:
		for (int r = 1; r <= 5; r++)
			if (pre[r].type != VF_NOT_INIT)
				m |= 1u << r;
		if (isa_rows[in->op].fmt == ISA_FMT_CALLX)
			m |= 1u << in->dst;
		return m;
	}
}

/* First "R<n>" of a message (the register the kernel names), or -1. */
static int msg_reg(const char *msg)
{
	for (const char *p = msg; *p; p++)
		if (*p == 'R' && p[1] >= '0' && p[1] <= '9' && (p == msg || p[-1] == ' ' || p[-1] == '(')) {
			int r = atoi(p + 1);

			return r < VF_NREGS ? r : -1;
		}
	return -1;
}

struct xexp {
	struct vf_env *env;
	const struct vf_result *r;
	const struct isa_insn *in;      /* failing insn, NULL if none */
	const struct vf_reg *pre;       /* its registers before it ran, NULL if unknown */
	int frame;
	const struct xstep *steps;
	size_t nsteps;                  /* the failing insn is the last */
	struct vf_text *t;
};

/* Last step before @before that wrote @regno of @frame; its value in *val. */
static long last_write(const struct xexp *x, size_t before, int regno, int frame,
		       const struct vf_reg **val)
{
	if (before > x->nsteps)
		before = x->nsteps;
	for (size_t i = before; i-- > 0;) {
		const struct vf_prec *rec = x->steps[i].node->rec;
		int k = 0;

		if (!rec || rec->frame != frame || !(rec->regs & (1u << regno)))
			continue;
		for (int r = 0; r < regno; r++)
			k += !!(rec->regs & (1u << r));
		*val = &rec->val[k];
		return (long)i;
	}
	return -1;
}

static void insn_text(const struct vf_env *env, uint32_t pc, char *buf, size_t size)
{
	isa_disasm_insn(env->raw, env->n, pc, ISA_SYNTAX_PSEUDO_C, buf, size);
}

static const char *map_name(const struct vf_env *env, const struct vf_reg *r)
{
	if (r->aux < env->map_cnt && env->maps[r->aux].name && env->maps[r->aux].name[0])
		return env->maps[r->aux].name;
	return "?";
}

/* "an 8-byte", "a 16-byte" */
static const char *article(uint64_t v)
{
	while (v >= 1000)
		v /= 1000;
	return v == 8 || v == 11 || v == 18 || (v >= 80 && v < 90) ? "an" : "a";
}

/* A register in plain words, e.g. "a packet pointer at offset 14". */
static void describe(struct vf_env *env, const struct vf_reg *r, char *b, size_t n)
{
	const struct vf_map *m = r->aux < env->map_cnt ? &env->maps[r->aux] : NULL;
	bool var = !vf_sval_is_const(&r->v);
	char k[512];

	vf_log_reg(env, r, k, sizeof(k));
	if (r->flags & VF_MAYBE_NULL) {
		snprintf(b, n, "a pointer that may be NULL (%s)", k);
		return;
	}
	switch (r->type) {
	case VF_NOT_INIT:
		snprintf(b, n, "not initialised");
		break;
	case VF_SCALAR:
		if (!var)
			snprintf(b, n, "the number %" PRId64, (int64_t)r->v.t.value);
		else
			snprintf(b, n, "a number the verifier knows only as %s", k);
		break;
	case VF_PTR_CTX:
		snprintf(b, n, "the context pointer%s (%s)", r->off || var ? ", moved" : "", k);
		break;
	case VF_CONST_MAP:
		snprintf(b, n, "map '%s' itself, a map pointer and not a value in it (%s)",
			 map_name(env, r), k);
		break;
	case VF_PTR_MAP_VALUE: case VF_PTR_MAP_KEY:
		snprintf(b, n, "a pointer into %s %u-byte %s of map '%s' at offset %d%s (%s)",
			 article(m ? (r->type == VF_PTR_MAP_KEY ? m->key_size : m->value_size) : 0),
			 m ? (r->type == VF_PTR_MAP_KEY ? m->key_size : m->value_size) : 0,
			 r->type == VF_PTR_MAP_KEY ? "key" : "value", map_name(env, r), r->off,
			 var ? " plus a variable part" : "", k);
		break;
	case VF_PTR_STACK:
		if (var)
			snprintf(b, n, "a pointer to the stack at fp%d plus a variable part (%s)", r->off, k);
		else
			snprintf(b, n, "a pointer to the stack at %s", k);
		break;
	case VF_PTR_PKT: case VF_PTR_PKT_META:
		snprintf(b, n, "a packet%s pointer at offset %d%s, with %u byte%s known to be in the packet (%s)",
			 r->type == VF_PTR_PKT_META ? " metadata" : "", r->off,
			 var ? " plus a variable part" : "", r->aux, r->aux == 1 ? "" : "s", k);
		break;
	case VF_PTR_PKT_END:
		snprintf(b, n, "the end of the packet (data_end), which may only be compared with (%s)", k);
		break;
	case VF_PTR_MEM:
		snprintf(b, n, "a pointer to %u bytes of %s at offset %d (%s)", r->aux,
			 r->flags & VF_RINGBUF ? "a ring buffer record" : "helper memory", r->off, k);
		break;
	default:
		snprintf(b, n, "%s", k);
		break;
	}
}

/* "R3 was last set at insn 12 (r3 = *(u64 *)(r1 +8))", or nothing. */
static void origin(const struct xexp *x, int regno)
{
	const struct vf_reg *v;
	long i = last_write(x, x->nsteps - 1, regno, x->frame, &v);
	char text[128];

	if (i < 0)
		return;
	insn_text(x->env, x->steps[i].node->pc, text, sizeof(text));
	vf_text_printf(x->t, " R%d was last set at insn %u (%s).", regno, x->steps[i].node->pc, text);
}

/* The access an insn makes: pointer register, insn offset and size. */
static bool mem_access(const struct isa_insn *in, int *reg, int *off, int *size)
{
	uint8_t cls;

	if (!in)
		return false;
	cls = ISA_CLASS(in->code);
	if (cls != ISA_CLASS_LDX && cls != ISA_CLASS_ST && cls != ISA_CLASS_STX)
		return false;
	*reg = cls == ISA_CLASS_LDX ? in->src : in->dst;
	*off = in->off;
	*size = (int)isa_mem_size(in->code);
	return true;
}

static const char *helper_of(const struct isa_insn *in, char *buf, size_t n)
{
	const char *h = in && insn_kind(in) == X_CALL_OTHER && in->src == 0 ? isa_helper_name(in->imm) : NULL;

	if (h)
		snprintf(buf, n, "bpf_%s", h);
	else
		snprintf(buf, n, "the function");
	return buf;
}

/* Plain-words names for the kernel's "expected=" types. */
static const char *type_words(const char *k)
{
	static const struct { const char *kern, *words; } w[] = {
		{ "map_ptr", "a map (r = map[...] in assembly, &my_map in C)" },
		{ "fp", "a pointer to the stack" },
		{ "scalar", "a number" },
		{ "ctx", "the context pointer, unmoved" },
		{ "ringbuf_mem", "a record from bpf_ringbuf_reserve, checked for NULL" },
		{ "func", "a function reference (a static function's address)" },
	};

	if (strchr(k, ','))     /* a list: any memory */
		return "a pointer to memory (stack, packet, map key or value, helper memory)";
	for (size_t i = 0; i < BB_ARRAY_SIZE(w); i++)
		if (!strncmp(k, w[i].kern, strlen(w[i].kern)) &&
		    (!k[strlen(w[i].kern)] || k[strlen(w[i].kern)] == ' ' || k[strlen(w[i].kern)] == ','))
			return w[i].words;
	return "a pointer to memory (stack, packet, map key or value, helper memory)";
}

/* Total loop iterations folded on the path. */
static uint64_t folded_total(const struct xexp *x)
{
	uint64_t t = 0;

	for (size_t i = 0; i < x->nsteps; i++)
		t += x->steps[i].folded;
	return t;
}

static void explain(struct xexp *x)
{
	struct vf_env *env = x->env;
	struct vf_text *t = x->t;
	const char *msg = x->r->msg;
	const struct isa_insn *in = x->in;
	int reg = msg_reg(msg), mreg, moff, msize;
	const struct vf_reg *R = x->pre && reg >= 0 ? &x->pre[reg] : NULL;
	char d[768], h[64], text[128];
	long long a, b2, c;
	unsigned u;

	if (R)
		describe(env, R, d, sizeof(d));
	if (strstr(msg, "!read_ok") && reg >= 0) {
		const struct vf_reg *v;
		long i = last_write(x, x->nsteps - 1, reg, x->frame, &v);

		vf_text_printf(t, "R%d is read here, but no instruction on this path wrote it.", reg);
		if (i >= 0 && v->type == VF_NOT_INIT) {
			const struct isa_insn *w = &env->insns[x->steps[i].node->pc];

			insn_text(env, x->steps[i].node->pc, text, sizeof(text));
			if (insn_kind(w) == X_CALL_OTHER || insn_kind(w) == X_CALL_LOCAL || insn_kind(w) == X_EXIT)
				vf_text_printf(t, " The call at insn %u (%s) made it unreadable: a call clobbers R1-R5, "
					       "only R0 (its result), R6-R9 and R10 survive it; keep what you need "
					       "across a call in R6-R9 or on the stack.", x->steps[i].node->pc, text);
			else
				vf_text_printf(t, " Insn %u (%s) made it unreadable.", x->steps[i].node->pc, text);
		} else if (x->frame == 0 && reg != 1 && reg != 10) {
			vf_text_printf(t, " At the entry only R1 (the context) and R10 (the frame pointer) are set.");
		} else if (x->frame) {
			vf_text_printf(t, " In a function only R1-R5 (its arguments, as the caller set them) and R10 are set at its entry.");
		}
		if (reg == 0 && in && insn_kind(in) == X_EXIT)
			vf_text_printf(t, " The program returns R0, so every path must set it before exit.");
	} else if (strstr(msg, "_or_null") && R) {
		long i = -1;

		/* the call that made it: a call step that set a register to a
		 * maybe-NULL pointer with this id (R0, then maybe copied) */
		for (long j = (long)x->nsteps - 1; j-- > 0 && i < 0;) {
			const struct vf_prec *rec = x->steps[j].node->rec;

			if (!rec || insn_kind(&env->insns[x->steps[j].node->pc]) != X_CALL_OTHER)
				continue;
			for (int k = 0; k < __builtin_popcount(rec->regs); k++)
				if ((rec->val[k].flags & VF_MAYBE_NULL) && rec->val[k].id == R->id)
					i = j;
		}
		vf_text_printf(t, "R%d is %s.", reg, d);
		if (i >= 0 && insn_kind(&env->insns[x->steps[i].node->pc]) == X_CALL_OTHER)
			vf_text_printf(t, " %s at insn %u may return NULL,",
				       helper_of(&env->insns[x->steps[i].node->pc], h, sizeof(h)),
				       x->steps[i].node->pc);
		else
			vf_text_printf(t, " It may be NULL,");
		vf_text_printf(t, " so compare it with 0 first (if (!p) return ...;): after that check the "
			       "verifier knows it points to memory on the branch where it is not NULL, "
			       "and so does every copy of it (id=%u).", R->id);
	} else if (strstr(msg, "invalid mem access 'scalar'") && R) {
		vf_text_printf(t, "R%d is %s, not a pointer, so it cannot be dereferenced.", reg, d);
		if (vf_sval_is_const(&R->v) && !R->v.t.value)
			vf_text_printf(t, " It is 0 here: on this path a null check found it NULL, or it was never a pointer.");
		origin(x, reg);
		{
			const struct vf_reg *v;
			long i = last_write(x, x->nsteps - 1, reg, x->frame, &v);

			if (i >= 0 && ISA_CLASS(env->insns[x->steps[i].node->pc].code) == ISA_CLASS_LDX)
				vf_text_printf(t, " A value loaded from memory is a number to the verifier even "
					       "when it holds an address (kernel pointers are read with "
					       "bpf_probe_read_kernel()).");
		}
	} else if (strstr(msg, "invalid mem access") && R) {
		vf_text_printf(t, "R%d is %s; this kind of pointer cannot be dereferenced.", reg, d);
	} else if (strstr(msg, "outside of the packet") && R && mem_access(in, &mreg, &moff, &msize)) {
		long long need = (long long)R->off + moff + msize;

		vf_text_printf(t, "R%d is %s. This %d-byte access at off=%d needs bytes [%lld, %lld) of the "
			       "packet", reg, d, msize, moff, (long long)R->off + moff, need);
		if (!vf_sval_is_const(&R->v))
			vf_text_printf(t, " plus up to umax=%" PRIu64 " for the variable part", R->v.umax);
		vf_text_printf(t, ", but the verifier only knows %u byte%s are there (r=%u): no comparison of "
			       "R%d+%lld with data_end on this path proves it (if (data + %lld > data_end) "
			       "return ...; before the access).", R->aux, R->aux == 1 ? "" : "s", R->aux, reg,
			       need - R->off, need);
	} else if (strstr(msg, "outside of the packet") && R) {
		vf_text_printf(t, "R%d is %s: the bytes the helper would touch are not proven to be in the "
			       "packet; compare with data_end first.", reg, d);
	} else if (sscanf(msg, "invalid access to map value, value_size=%u off=%lld size=%lld", &u, &a, &b2) == 3 ||
		   sscanf(msg, "invalid access to memory, mem_size=%u off=%lld size=%lld", &u, &a, &b2) == 3) {
		const struct vf_reg *p = NULL;
		int preg = -1;
		bool mv = !strncmp(msg, "invalid access to map value", 27);

		if (mem_access(in, &mreg, &moff, &msize) && x->pre) {
			preg = mreg;
			p = &x->pre[mreg];
		} else if (x->pre) {
			/* a helper argument: the first pointer of that kind */
			for (int r = 1; r <= 5 && !p; r++)
				if (x->pre[r].type == (mv ? VF_PTR_MAP_VALUE : VF_PTR_MEM)) {
					preg = r;
					p = &x->pre[r];
				}
		}
		if (p) {
			describe(env, p, d, sizeof(d));
			vf_text_printf(t, "R%d is %s.", preg, d);
		}
		vf_text_printf(t, " The access of %lld byte%s at offset %lld reaches byte %lld, past the end of "
			       "the %u-byte %s.", b2, b2 == 1 ? "" : "s", a, a + b2 - 1, u,
			       mv ? "map value" : "memory");
		if (p && !vf_sval_is_const(&p->v)) {
			const struct vf_reg *v, *sv;
			long i = last_write(x, x->nsteps - 1, preg, x->frame, &v);

			vf_text_printf(t, " Its variable part can be up to umax=%" PRIu64 ", so R%d can point "
				       "past value_size=%u", p->v.umax, preg, u);
			if (i >= 0) {
				const struct isa_insn *w = &env->insns[x->steps[i].node->pc];

				insn_text(env, x->steps[i].node->pc, text, sizeof(text));
				vf_text_printf(t, "; it was moved at insn %u (%s)", x->steps[i].node->pc, text);
				if ((ISA_CLASS(w->code) == ISA_CLASS_ALU64) && (w->code & ISA_SRC_X) &&
				    last_write(x, (size_t)i, w->src, x->frame, &sv) >= 0 && sv->type == VF_SCALAR) {
					char k[512];

					vf_log_reg(env, sv, k, sizeof(k));
					vf_text_printf(t, ", where R%d=%s", w->src, k);
				}
			}
			vf_text_printf(t, ". Bound the index before adding it (if (i >= N) return ...; with "
				       "N*size <= %u).", u);
		}
	} else if (strstr(msg, "min value is negative") && R) {
		vf_text_printf(t, "R%d is %s. Its lowest possible value is negative (smin=%" PRId64 "): the "
			       "verifier needs a lower bound; use an unsigned type or check the value is >= 0 "
			       "first.", reg, d, R->v.smin);
	} else if (strstr(msg, "unbounded memory access") && R) {
		vf_text_printf(t, "R%d is %s. Its upper bound is umax=%" PRIu64 ", too large to prove the "
			       "access in bounds: compare it with a constant (if (n > 64) return ...;) or mask "
			       "it (n &= 63) first.", reg, d, R->v.umax);
	} else if ((sscanf(msg, "invalid read from stack R%*d off=%lld size=%lld", &a, &b2) == 2 ||
		    sscanf(msg, "invalid write to stack R%*d off=%lld size=%lld", &a, &b2) == 2) && R) {
		vf_text_printf(t, "R%d is %s. The %lld-byte access would cover [fp%+lld, fp%+lld), outside "
			       "the 512-byte stack, which is [fp-512, fp0).", reg, d, b2, a, a + b2);
	} else if (strstr(msg, "variable-offset") && strstr(msg, "stack") && R) {
		vf_text_printf(t, "R%d is %s. With its variable part (smin=%" PRId64 ", smax=%" PRId64
			       ") the access can leave the 512-byte stack [fp-512, fp0); bound the offset first.",
			       reg, d, R->v.smin, R->v.smax);
	} else if (sscanf(msg, "Unreleased reference id=%lld alloc_insn=%lld", &a, &b2) == 2) {
		const struct isa_insn *w = b2 >= 0 && (size_t)b2 < env->n ? &env->insns[b2] : NULL;

		vf_text_printf(t, "The program exits here while it still holds the reference id=%lld that %s "
			       "acquired at insn %lld. Every path must release it: a ring buffer record goes "
			       "to bpf_ringbuf_submit() or bpf_ringbuf_discard(), also on error paths.",
			       a, helper_of(w, h, sizeof(h)), b2);
	} else if (strstr(msg, " expected=") && reg >= 0) {
		const char *e = strstr(msg, " expected=") + 10;

		vf_text_printf(t, "Argument %d of %s (R%d) must be %s, but R%d is %s.", reg,
			       helper_of(in, h, sizeof(h)), reg, type_words(e), reg, R ? d : "of another type");
	} else if (sscanf(msg, "infinite loop detected at insn %lld", &a) == 1) {
		vf_text_printf(t, "The path came back to insn %lld in exactly the state it had there before, "
			       "so the loop can never end: its exit condition does not depend on anything "
			       "that changes between iterations.", a);
	} else if (strstr(msg, "BPF program is too large")) {
		vf_text_printf(t, "The verifier walks every path on its own and gives up after 1,000,000 "
			       "instructions in all; this path went round loops %" PRIu64 " times (folded "
			       "above). A loop whose bound the verifier cannot see, or a very long one, does "
			       "this: give it a constant bound it can check, or use bpf_loop().",
			       folded_total(x));
	} else if (strstr(msg, "jumps is too complex")) {
		vf_text_printf(t, "Too many branches were waiting to be explored at once (8192): the "
			       "program branches on values the verifier cannot decide, again and again.");
	} else if (sscanf(msg, "unreachable insn %lld", &a) == 1) {
		vf_text_printf(t, "No path from the entry reaches insn %lld. The kernel refuses dead code "
			       "(clang drops it, so it comes from hand-written code or a wrong jump offset).", a);
	} else if (!strcmp(msg, "div by zero")) {
		vf_text_printf(t, "Dividing by the constant 0 is refused. Dividing by a register that may "
			       "be 0 is allowed: BPF defines x / 0 = 0 and x %% 0 = x, so it does not fault.");
	} else if (strstr(msg, "At program exit the register R0") || strstr(msg, "At callback return the register R0")) {
		describe(env, x->pre ? &x->pre[0] : &(struct vf_reg){ .type = VF_NOT_INIT }, d, sizeof(d));
		vf_text_printf(t, "%s must return a value in [0, 1], but R0 is %s.",
			       strstr(msg, "callback") ? "A callback" : "This program type", d);
	} else if (strstr(msg, "pointer arithmetic") || strstr(msg, "math between") ||
		   strstr(msg, "bitwise operator") || strstr(msg, "pointer -= pointer") ||
		   strstr(msg, "subtract pointer") || strstr(msg, "subtraction from stack")) {
		vf_text_printf(t, "Pointer arithmetic is limited: only adding or subtracting a bounded number "
			       "to a pointer the verifier can track (not a map pointer, data_end or a pointer "
			       "that may be NULL).");
		if (R)
			vf_text_printf(t, " R%d is %s.", reg, d);
		if (in && (in->code & ISA_SRC_X) && x->pre && in->src != reg) {
			describe(env, &x->pre[in->src], d, sizeof(d));
			vf_text_printf(t, " R%d is %s.", in->src, d);
		}
	} else if (sscanf(msg, "invalid bpf_context access off=%lld size=%lld", &a, &b2) == 2) {
		vf_text_printf(t, "The context has no field at offset %lld that this program type may %s with "
			       "%lld bytes: ctx fields are read (or written) whole, at their own offsets.", a,
			       in && ISA_CLASS(in->code) != ISA_CLASS_LDX ? "write" : "read", b2);
	} else if (strstr(msg, "dereference of modified ctx ptr")) {
		vf_text_printf(t, "The context pointer may only be used unmoved: read fields with *(ctx + "
			       "constant offset), not through a copy that was advanced.");
	} else if (!strcmp(msg, "frame pointer is read only")) {
		vf_text_printf(t, "R10 is the frame pointer: programs may read it and copy it, but not write it.");
	} else if (strstr(msg, "leaks addr into ctx")) {
		vf_text_printf(t, "Storing a pointer into the context would hand a kernel address to the "
			       "outside world, so it is refused.");
	} else if (strstr(msg, "cannot use helper") || strstr(msg, "invalid func") ||
		   strstr(msg, "GPL-restricted")) {
		vf_text_printf(t, "This program (its type, or its license) may not call %s.",
			       helper_of(in, h, sizeof(h)));
	} else if (strstr(msg, "too deep")) {
		vf_text_printf(t, "Calls nest deeper than the kernel's 8 frames on this path.");
	} else if (sscanf(msg, "combined stack size of %lld calls is %lld", &a, &c) == 2) {
		vf_text_printf(t, "The stack frames of a chain of %lld calls add up to %lld bytes; all "
			       "frames of a call chain share the kernel's 512 bytes.", a, c);
	} else if (strstr(msg, "misaligned")) {
		vf_text_printf(t, "The address is not a multiple of the access size.");
		if (R)
			vf_text_printf(t, " R%d is %s.", reg, d);
	} else if (strstr(msg, "not modelled yet")) {
		vf_text_printf(t, "barebpf's verifier does not model this yet, so it refuses rather than "
			       "guess; the kernel may well accept it.");
	} else if (strstr(msg, "jump out of range") || strstr(msg, "last insn is not") ||
		   strstr(msg, "jump into the middle") || strstr(msg, "reserved fields") ||
		   strstr(msg, "invalid insn") || strstr(msg, "empty program")) {
		vf_text_printf(t, "The program's shape is refused before any state is computed: every jump "
			       "must land on an instruction of its own function, and each function must end "
			       "in exit or a jump.");
	} else if (strstr(msg, "Caller passes invalid args")) {
		vf_text_printf(t, "A global function is verified once, for any arguments its BTF prototype "
			       "allows; the arguments at this call do not fit that prototype (the log line "
			       "before the message names the argument).");
	} else if (strstr(msg, "invalid size of register fill") || strstr(msg, "invalid size of register spill")) {
		vf_text_printf(t, "A pointer kept on the stack must be stored and loaded as a whole 8 bytes, "
			       "at an 8-byte aligned slot.");
	} else if (strstr(msg, "invalid shift")) {
		vf_text_printf(t, "A shift by a constant must be in [0, 63] ([0, 31] for 32-bit operations).");
	} else if (strstr(msg, "cannot return stack pointer")) {
		vf_text_printf(t, "A function's stack frame is gone once it returns, so a pointer to the "
			       "stack cannot be returned.");
	} else if (strstr(msg, "not a scalar value")) {
		describe(env, x->pre ? &x->pre[0] : &(struct vf_reg){ .type = VF_NOT_INIT }, d, sizeof(d));
		vf_text_printf(t, "This function must return a number, but R0 is %s.", d);
	} else if (strstr(msg, "pointer be out of bounds")) {
		vf_text_printf(t, "The number added to the pointer may be so large or so negative that the "
			       "pointer could leave any object; bound it first (if (i > N) return ...;).");
		if (in && (in->code & ISA_SRC_X) && x->pre) {
			describe(env, &x->pre[in->src], d, sizeof(d));
			vf_text_printf(t, " R%d is %s.", in->src, d);
		}
	} else if (strstr(msg, "pointer") && strstr(msg, "prohibited")) {
		vf_text_printf(t, "Two pointers can only be subtracted (giving a number); other arithmetic "
			       "between pointers is refused.");
	} else if (strstr(msg, "write into map forbidden")) {
		vf_text_printf(t, "The map is read-only for programs (BPF_F_RDONLY_PROG, as .rodata is).");
	} else if (strstr(msg, "write to change key")) {
		vf_text_printf(t, "A map key handed to the program is read-only.");
	} else if (strstr(msg, "is not a known constant")) {
		vf_text_printf(t, "%s needs this size as a constant the verifier knows.", helper_of(in, h, sizeof(h)));
	} else if (strstr(msg, "helper access to the packet")) {
		vf_text_printf(t, "This argument cannot point into the packet; copy the bytes to the stack first.");
	} else if (strstr(msg, "zero offset when passed to release")) {
		vf_text_printf(t, "Release the record with the pointer the reserve returned, not a moved copy.");
	} else if (strstr(msg, "cannot pass map_type") || strstr(msg, "expected prog array map") ||
		   strstr(msg, "invalid zero-sized read")) {
		vf_text_printf(t, "%s cannot be used with this kind of map.", helper_of(in, h, sizeof(h)));
	} else if (strstr(msg, "variable ctx access") || strstr(msg, "BPF_ATOMIC stores into")) {
		vf_text_printf(t, "The context is read at constant offsets only, and never with atomic operations.");
	} else if (strstr(msg, "func_info") || strstr(msg, "without BTF") || strstr(msg, "callback function not static")) {
		vf_text_printf(t, "This needs the program's BTF (func_info for each function; callbacks must "
			       "be static functions): build with clang -g and load with it.");
	} else if (strstr(msg, "rcu") || strstr(msg, "kernel function") || strstr(msg, "arg#") ||
		   strstr(msg, "trusted") || strstr(msg, "referenced") || strstr(msg, "R0 is not a scalar")) {
		vf_text_printf(t, "Kernel functions (kfuncs) check their arguments against their BTF "
			       "prototype and flags: acquired objects must be released, trusted or RCU "
			       "pointers only where they are trusted, RCU sections closed on every path.");
		if (R)
			vf_text_printf(t, " R%d is %s.", reg, d);
	} else if (strstr(msg, "access beyond") || strstr(msg, "is ptr_") || strstr(msg, "cannot access ptr member") ||
		   strstr(msg, "only read is supported")) {
		vf_text_printf(t, "The pointer is to a kernel struct described by BTF: reads must stay inside "
			       "one member, at a constant offset, with the member's size for pointers, and "
			       "such memory is never written.");
		if (R)
			vf_text_printf(t, " R%d is %s.", reg, d);
	} else if (strstr(msg, "callback unexpected regs")) {
		vf_text_printf(t, "A tail call inside a callback is refused by this kernel.");
	} else {
		vf_text_printf(t, "The verifier refused this instruction (%s).", msg);
		if (R)
			vf_text_printf(t, " R%d is %s.", reg, d);
	}
}

/* ----- the result ----- */

void vf_xp_finish(struct vf_env *env, struct vf_result *r)
{
	struct vf_xp *xp = env->xp;
	struct bb_vec text;
	struct vf_text t = { .env = env, .vec = &text };
	const struct vf_pnode **nodes = NULL;
	struct vf_pnode tail;
	struct xstep *steps = NULL;
	size_t *step_off = NULL, (*block_off)[VF_BLOCK_STATES] = NULL;
	size_t fail_regs = NO_TEXT, fail_state = NO_TEXT, expl = NO_TEXT;
	long nsteps = 0;
	bool ok = false;

	env->xp = NULL;
	bb_vec_init(&text, 1);
	if (r->err && env->cur && env->cur->path && env->err_insn >= 0 &&
	    strncmp(r->msg, "combined stack size", 19)) {
		size_t len = env->cur->path->len, k;

		nodes = malloc((len + 1) * sizeof(*nodes));
		steps = malloc((len + 1) * sizeof(*steps));
		if (!nodes || !steps)
			goto out;
		k = len;
		for (const struct vf_pnode *p = env->cur->path; p && k; p = p->prev)
			nodes[--k] = p;
		if (nodes[len - 1]->pc != (uint32_t)env->err_insn) {
			/* refused before it ran (a loop found at a prune point,
			 * the insn limit): the path still ends there */
			tail = (struct vf_pnode){ .pc = (uint32_t)env->err_insn,
						  .frame = (uint8_t)env->cur->curframe };
			nodes[len++] = &tail;
		}
		if ((nsteps = fold(nodes, len, steps)) < 0)
			goto out;
		r->folded = len - (size_t)nsteps;
	}
	if (nsteps) {
		step_off = malloc((size_t)nsteps * sizeof(*step_off));
		if (!step_off)
			goto out;
		for (long i = 0; i < nsteps; i++) {
			const struct vf_prec *rec = steps[i].node->rec;

			/* the failing insn did not finish: nothing it changed */
			if (!rec || i == nsteps - 1) {
				step_off[i] = NO_TEXT;
				continue;
			}
			step_off[i] = text_mark(&text);
			fmt_rec(env, &t, rec);
			if (step_off[i] != NO_TEXT)
				text_trim(&text, step_off[i]);
		}
	}
	if (r->err && xp->pre_pc == env->err_insn && env->cur && env->err_insn >= 0) {
		const struct isa_insn *in = &env->insns[env->err_insn];
		uint32_t uses = in->op == UINT16_MAX ? 0 : insn_uses(in, xp->pre);
		int mr = msg_reg(r->msg);

		if (mr >= 0)
			uses |= 1u << mr;
		/* the operands, unset ones too (the log leaves those out,
		 * but "R2=not_init" is the point of "R2 !read_ok") */
		fail_regs = text_mark(&text);
		vf_fmt_state(&t, env->cur, xp->pre, uses, 0, true);
		text_trim(&text, fail_regs);
		fail_state = text_mark(&text);
		vf_fmt_state(&t, env->cur, xp->pre, ~0u, ~0ull, false);
		text_trim(&text, fail_state);
	}
	if (r->err) {
		struct xexp x = {
			.env = env, .r = r, .t = &t, .steps = steps, .nsteps = (size_t)nsteps,
			.in = env->err_insn >= 0 && (size_t)env->err_insn < env->n &&
			      env->insns[env->err_insn].op != UINT16_MAX ? &env->insns[env->err_insn] : NULL,
			.pre = xp->pre_pc == env->err_insn ? xp->pre : NULL,
			.frame = xp->pre_pc == env->err_insn ? xp->pre_frame : 0,
		};

		expl = text_mark(&text);
		explain(&x);
	}
	block_off = calloc(xp->nblocks + 1, sizeof(*block_off));
	if (!block_off)
		goto out;
	for (size_t b = 0; b < xp->nblocks; b++)
		for (uint32_t k = 0; k < xp->blocks[b].nstates; k++) {
			block_off[b][k] = text_mark(&text);
			vf_text_printf(&t, "%s", xp->blocks[b].states[k]);
		}
	if (t.err || !text.data)
		goto out;
	r->blocks = calloc(xp->nblocks + 1, sizeof(*r->blocks));
	r->edges = malloc((xp->edges.len + 1) * sizeof(*r->edges));
	r->steps = malloc(((size_t)nsteps + 1) * sizeof(*r->steps));
	if (!r->blocks || !r->edges || !r->steps)
		goto out;
	r->text = text.data;
	text.data = NULL;
#define AT(off) ((off) == NO_TEXT ? NULL : r->text + (off))
	for (long i = 0; i < nsteps; i++)
		r->steps[i] = (struct vf_step){ .insn = steps[i].node->pc, .folded = steps[i].folded,
						.frame = steps[i].node->frame, .changed = AT(step_off[i]) };
	r->nsteps = (size_t)nsteps;
	r->states_partial = xp->partial;
	r->fail_regs = AT(fail_regs);
	r->fail_state = AT(fail_state);
	r->explain = AT(expl);
	for (size_t b = 0; b < xp->nblocks; b++) {
		struct vf_block *o = &r->blocks[b];

		*o = (struct vf_block){ .start = xp->blocks[b].start, .end = xp->blocks[b].end,
					.arrivals = xp->blocks[b].arrivals,
					.pruned = xp->blocks[b].pruned, .nstates = xp->blocks[b].nstates };
		for (uint32_t k = 0; k < o->nstates; k++)
			o->states[k] = AT(block_off[b][k]);
	}
#undef AT
	r->nblocks = xp->nblocks;
	{
		/* the CFG check names an insn it found no path to */
		long long bad = r->insn;

		if (r->err && bad < 0)
			sscanf(r->msg, "unreachable insn %lld", &bad);
		if (r->err && bad >= 0 && (size_t)bad < env->n && xp->block_of[bad] >= 0)
			r->blocks[xp->block_of[bad]].failing = true;
	}
	if (xp->edges.len)      /* one block, no edge: data is NULL */
		memcpy(r->edges, xp->edges.data, xp->edges.len * sizeof(*r->edges));
	r->nedges = xp->edges.len;
	for (long i = 0; i < nsteps; i++) {
		int32_t b = xp->block_of[steps[i].node->pc], pb;

		if (b < 0)
			continue;
		r->blocks[b].on_path = true;
		if (!i || (pb = xp->block_of[steps[i - 1].node->pc]) < 0)
			continue;
		/* back from a function: the call's fall-through edge */
		if (insn_kind(&env->insns[steps[i - 1].node->pc]) == X_EXIT &&
		    steps[i - 1].node->frame > steps[i].node->frame && steps[i].node->pc > 0)
			pb = xp->block_of[steps[i].node->pc - 1];
		/* an edge is taken when the next insn starts a block (a jump
		 * to the same block's start is a self loop) */
		if (r->blocks[b].start != steps[i].node->pc)
			continue;
		for (size_t e = 0; e < r->nedges; e++)
			if (r->edges[e].from == (uint32_t)pb && r->edges[e].to == (uint32_t)b) {
				const struct isa_insn *last = &env->insns[steps[i - 1].node->pc];
				uint8_t want = r->edges[e].kind;

				/* of two edges between the same blocks (if r1 > 0
				 * goto +0), the one this step took */
				if (insn_kind(last) == X_COND && r->blocks[b].start != steps[i - 1].node->pc + 1 &&
				    want == VF_EDGE_NEXT)
					continue;
				r->edges[e].on_path = true;
				break;
			}
	}
	ok = true;
out:
	if (!ok)
		vf_xp_result_free(r);
	bb_vec_free(&text);
	free(block_off);
	free(step_off);
	free(steps);
	free(nodes);
	xp_free(xp);
}

/* ----- Graphviz ----- */

/* @s into a dot string: quotes and backslashes escaped, lines broken
 * at blanks near @width, every line left-aligned (\l). */
static void dot_str(struct vf_text *t, const char *s, size_t width)
{
	size_t col = 0;

	for (; *s; s++) {
		if (*s == '\n' && !s[1])
			break;
		if (*s == '\n' || (*s == ' ' && col >= width)) {
			vf_text_printf(t, "\\l");
			col = 0;
			continue;
		}
		if (*s == '"' || *s == '\\')
			vf_text_printf(t, "\\%c", *s);
		else
			vf_text_printf(t, "%c", *s);
		col++;
	}
	vf_text_printf(t, "\\l");
}

int vf_result_dot(const struct vf_result *r, const struct isa_raw *insns, size_t n, char **out)
{
	static const char *const style[] = {
		[VF_EDGE_NEXT] = "", [VF_EDGE_TAKEN] = "label=T",
		[VF_EDGE_JUMP] = "label=goto", [VF_EDGE_CALL] = "style=dashed label=call",
		[VF_EDGE_CALLBACK] = "style=dotted label=callback",
	};
	struct bb_vec v;
	struct vf_text t = { .vec = &v };
	char text[160], head[320];

	bb_vec_init(&v, 1);
	if (r->err)
		snprintf(head, sizeof(head), "REJECT at insn %d: %s", r->insn, r->msg);
	else
		snprintf(head, sizeof(head), "ACCEPT: %" PRIu64 " insns processed", r->processed);
	vf_text_printf(&t, "digraph cfg {\n  graph [fontname=monospace labelloc=t labeljust=l label=\"");
	dot_str(&t, head, 200);
	vf_text_printf(&t, "entry states as the verifier saw them (first %d per block); "
		       "red: the failing block and path\\l\"];\n"
		       "  node [shape=box fontname=monospace fontsize=10];\n  edge [fontname=monospace fontsize=10];\n", VF_BLOCK_STATES);
	if (!r->nblocks)
		vf_text_printf(&t, "  none [label=\"no CFG: the program was refused while decoding\"];\n");
	for (size_t b = 0; b < r->nblocks; b++) {
		const struct vf_block *bl = &r->blocks[b];
		struct bb_vec lv;
		struct vf_text lt = { .vec = &lv };

		bb_vec_init(&lv, 1);
		lt.err = 0;
		for (uint32_t pc = bl->start; pc < bl->end && pc < n; pc++) {
			int k = isa_disasm_insn(insns, n, pc, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));

			vf_text_printf(&lt, "%u: %s\n", pc, text);
			if (r->err && r->insn == (int)pc)
				vf_text_printf(&lt, "^ rejected: %s\n", r->msg);
			if (k == 2)
				pc++;
		}
		if (!bl->arrivals)
			vf_text_printf(&lt, "-- never reached\n");
		else
			vf_text_printf(&lt, "-- at entry (%u arrival%s, %u pruned):\n", bl->arrivals,
				       bl->arrivals == 1 ? "" : "s", bl->pruned);
		for (uint32_t k = 0; k < bl->nstates; k++)
			vf_text_printf(&lt, "%s%s\n", bl->nstates > 1 ? "* " : "", bl->states[k]);
		vf_text_printf(&t, "  b%zu [label=\"", b);
		if (lv.data)
			dot_str(&t, lv.data, 100);
		t.err = t.err ? t.err : lt.err;
		vf_text_printf(&t, "\"%s];\n", bl->failing ? " color=red penwidth=2 style=filled fillcolor=mistyrose" :
			       bl->on_path ? " color=red" : "");
		bb_vec_free(&lv);
	}
	for (size_t e = 0; e < r->nedges; e++) {
		const struct vf_edge *ed = &r->edges[e];
		const char *st = ed->kind < BB_ARRAY_SIZE(style) ? style[ed->kind] : "";

		vf_text_printf(&t, "  b%u -> b%u", ed->from, ed->to);
		if (*st || ed->on_path)
			vf_text_printf(&t, " [%s%s%s]", st, *st && ed->on_path ? " " : "",
				       ed->on_path ? "color=red penwidth=2" : "");
		vf_text_printf(&t, ";\n");
	}
	vf_text_printf(&t, "}\n");
	if (t.err || !v.data) {
		bb_vec_free(&v);
		return -ENOMEM;
	}
	*out = v.data;
	return 0;
}
