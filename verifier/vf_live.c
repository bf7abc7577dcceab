/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_live.c - which registers are live before each instruction.
 *
 * Pruning compares the current state with one already proven safe at the
 * same instruction.  A register that every path from there overwrites
 * before reading it cannot change what happens next, so its value need
 * not be compared: two states that differ only in dead registers are the
 * same state.  This is the static register liveness the kernel computes
 * (compute_live_registers) and uses when it cleans states for pruning.
 *
 * Classic backward data flow over each function's instructions: a call
 * (helper, kfunc, subprogram, callx) is one instruction that reads its
 * argument registers and writes r0-r5, and exit reads r0, so functions
 * are analysed independently.  Where the exact effect of an instruction
 * is unclear (atomics, unknown helpers) it is taken to read more and
 * write less, which keeps more registers live: less pruning, never an
 * unsound one.  r10 is always live.
 */
#include <stdlib.h>

#include "verifier/vf_helpers.h"
#include "verifier/vf_internal.h"

#define R(n)     (1u << (n))
#define ARGS     (R(1) | R(2) | R(3) | R(4) | R(5))
#define CALLER   (R(0) | ARGS)          /* written by any call */

/* Argument registers a helper reads: its prototype, or all five. */
static uint16_t helper_uses(int32_t id)
{
	const struct vf_proto *p = vf_proto(id);
	uint16_t m = 0;

	if (!p)
		return ARGS;
	for (int i = 0; i < 5; i++)
		if (p->args[i])
			m |= (uint16_t)R(i + 1);
	return m;
}

static void use_def(const struct isa_insn *in, uint16_t *use, uint16_t *def)
{
	uint16_t d = (uint16_t)R(in->dst), s = (uint16_t)R(in->src);
	bool mov = vf_is_mov(in);

	*use = 0;
	*def = 0;
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_ALU_K:
		*use = mov ? 0 : d;
		*def = d;
		break;
	case ISA_FMT_ALU_X:
		*use = (uint16_t)(s | (mov ? 0 : d));
		*def = d;
		break;
	case ISA_FMT_NEG: case ISA_FMT_END:
		*use = *def = d;
		break;
	case ISA_FMT_MOVSX: case ISA_FMT_LDX:
		*use = s;
		*def = d;
		break;
	case ISA_FMT_ST:
		*use = d;
		break;
	case ISA_FMT_STX:
		*use = (uint16_t)(d | s);
		break;
	case ISA_FMT_ATOMIC:
		/* cmpxchg reads and writes r0; a fetch writes src */
		*use = (uint16_t)(d | s | R(0));
		switch (in->op) {
		case ISA_OP_ATOMIC32_CMPXCHG: case ISA_OP_ATOMIC64_CMPXCHG:
			*def = R(0);
			break;
		case ISA_OP_ATOMIC32_FETCH_ADD: case ISA_OP_ATOMIC64_FETCH_ADD:
		case ISA_OP_ATOMIC32_FETCH_OR: case ISA_OP_ATOMIC64_FETCH_OR:
		case ISA_OP_ATOMIC32_FETCH_AND: case ISA_OP_ATOMIC64_FETCH_AND:
		case ISA_OP_ATOMIC32_FETCH_XOR: case ISA_OP_ATOMIC64_FETCH_XOR:
		case ISA_OP_ATOMIC32_XCHG: case ISA_OP_ATOMIC64_XCHG:
			*def = s;
			break;
		default:
			break;
		}
		break;
	case ISA_FMT_LDDW:
		*def = d;
		break;
	case ISA_FMT_LDABS:             /* the skb is r6; r1-r5 clobbered */
		*use = R(6);
		*def = CALLER;
		break;
	case ISA_FMT_LDIND:
		*use = (uint16_t)(R(6) | s);
		*def = CALLER;
		break;
	case ISA_FMT_JCC_K:
		*use = d;
		break;
	case ISA_FMT_JCC_X:
		*use = (uint16_t)(d | s);
		break;
	case ISA_FMT_CALL:
		*use = helper_uses(in->imm);
		*def = CALLER;
		break;
	case ISA_FMT_CALL_LOCAL: case ISA_FMT_CALL_KFUNC:
		*use = ARGS;
		*def = CALLER;
		break;
	case ISA_FMT_CALLX:
		*use = (uint16_t)(d | ARGS);
		*def = CALLER;
		break;
	case ISA_FMT_EXIT:
		*use = R(0);
		break;
	default:                        /* ja, ja32 */
		break;
	}
}

int vf_compute_liveness(struct vf_env *env)
{
	size_t n = env->n;
	uint16_t *use = malloc((n ? n : 1) * sizeof(*use)), *def = malloc((n ? n : 1) * sizeof(*def));
	uint16_t *live = calloc(n ? n : 1, sizeof(*live));
	bool changed = true;

	if (!use || !def || !live) {
		free(use);
		free(def);
		free(live);
		return -ENOMEM;
	}
	for (size_t pc = 0; pc < n; pc++)
		if (env->insns[pc].op != UINT16_MAX)
			use_def(&env->insns[pc], &use[pc], &def[pc]);
	/* Reverse sweeps until nothing changes: each sweep settles all
	 * forward edges, loops need one more sweep per nesting level. */
	while (changed) {
		changed = false;
		for (size_t i = n; i-- > 0;) {
			const struct isa_insn *in = &env->insns[i];
			uint16_t out = 0, nl;
			uint8_t fmt;
			long t;

			if (in->op == UINT16_MAX)
				continue;
			if (isa_falls_through(in) && i + in->slots < n)
				out |= live[i + in->slots];
			/* jumps only: a call is one instruction here and a
			 * function reference is no edge (functions are
			 * analysed on their own), so isa_validate()'s wider
			 * set of control transfers does not fit */
			fmt = isa_rows[in->op].fmt;
			if (fmt == ISA_FMT_JA || fmt == ISA_FMT_JA32 || fmt == ISA_FMT_JCC_K ||
			    fmt == ISA_FMT_JCC_X) {
				t = isa_branch_target(in, i);
				if (t >= 0 && t < (long)n)
					out |= live[t];
			}
			nl = (uint16_t)(use[i] | (out & ~def[i]) | R(10));
			if (nl != live[i]) {
				live[i] = nl;
				changed = true;
			}
		}
	}
	free(use);
	free(def);
	env->live = live;
	return 0;
}

/*
 * Registers to compare in each frame of @st at @pc: the innermost frame
 * is at @pc; a caller resumes after its call (r0-r5 are then the call's),
 * or, below a callback, at the helper call itself, which runs again.
 */
void vf_live_masks(const struct vf_env *env, const struct vf_state *st, int pc, uint16_t *masks)
{
	masks[st->curframe] = env->live[pc];
	for (int f = st->curframe - 1; f >= 0; f--) {
		const struct vf_frame *callee = st->frames[f + 1];
		int cs = callee->callsite;

		if (cs < 0 || cs + 1 >= (int)env->n)
			masks[f] = 0xffff;
		else if (callee->in_callback)
			masks[f] = env->live[cs];
		else
			masks[f] = (uint16_t)(env->live[cs + 1] & ~CALLER);
	}
}
