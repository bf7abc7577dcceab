/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_insn.c - the eBPF layer for single instructions: ALU on
 * scalars (through the domain) and pointers (offset rules per pointer
 * type), loads and stores against each memory kind (stack bytes with
 * spill/fill, map values, packet, context, helper memory), atomics,
 * ld_imm64 and the legacy packet loads.  Each check_* validates the
 * instruction against the current state and applies its effect.
 */
#include <inttypes.h>
#include <stdio.h>

#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

static const char *const alu_str[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=",
	"s>>=", "endian", "?", "?",
};

uint32_t vf_new_id(struct vf_env *env) { return ++env->next_id; }

static void scratch(struct vf_env *env, int regno) { env->scratched |= 1 << regno; }

int check_reg_read(struct vf_env *env, int regno)
{
	scratch(env, regno);
	if (cur_regs(env)[regno].type == VF_NOT_INIT)
		return vf_reject(env, -EACCES, "R%d !read_ok", regno);
	return 0;
}

static int check_reg_write(struct vf_env *env, int regno)
{
	scratch(env, regno);
	if (regno == 10)
		return vf_reject(env, -EACCES, "frame pointer is read only");
	return 0;
}

/* The domain's op for an ALU instruction. */
static int alu_aop(const struct isa_insn *in, enum vf_aop *op)
{
	uint8_t code = in->code, o = code & 0xf0;

	switch (o) {
	case 0x00: *op = VF_A_ADD; return 0;
	case 0x10: *op = VF_A_SUB; return 0;
	case 0x20: *op = VF_A_MUL; return 0;
	case 0x30: *op = in->off ? VF_A_SDIV : VF_A_DIV; return 0;
	case 0x40: *op = VF_A_OR; return 0;
	case 0x50: *op = VF_A_AND; return 0;
	case 0x60: *op = VF_A_LSH; return 0;
	case 0x70: *op = VF_A_RSH; return 0;
	case 0x80: *op = VF_A_NEG; return 0;
	case 0x90: *op = in->off ? VF_A_SMOD : VF_A_MOD; return 0;
	case 0xa0: *op = VF_A_XOR; return 0;
	case 0xb0:
		*op = in->off == 8 ? VF_A_MOVSX8 : in->off == 16 ? VF_A_MOVSX16 :
		      in->off == 32 ? VF_A_MOVSX32 : VF_A_MOV;
		return 0;
	case 0xc0: *op = VF_A_ARSH; return 0;
	case 0xd0: {
		bool le = code == 0xd4;
		bool bs = code == 0xd7;

		if (in->imm == 16)
			*op = le ? VF_A_LE16 : VF_A_BSWAP16;
		else if (in->imm == 32)
			*op = le ? VF_A_LE32 : VF_A_BSWAP32;
		else
			*op = le ? VF_A_LE64 : VF_A_BSWAP64;
		(void)bs;
		return 0;
	}
	}
	return -EINVAL;
}

#define VF_MAX_VAR_OFF (1ll << 29)

static const char *ptr_str(const struct vf_reg *p)
{
	return p->type == VF_PTR_STACK ? "fp" : vf_reg_type_str(p);
}

/* Offsets that could make a pointer wrap are refused before arithmetic. */
static int check_reg_sane_offset(struct vf_env *env, const struct vf_reg *off,
				 const struct vf_reg *ptr)
{
	int64_t smin = off->v.smin;

	if (vf_sval_is_const(&off->v)) {
		int64_t val = (int64_t)off->v.t.value;

		if (val >= VF_MAX_VAR_OFF || val <= -VF_MAX_VAR_OFF)
			return vf_reject(env, -EACCES, "math between %s pointer and %" PRId64 " is not allowed",
					 ptr_str(ptr), val);
	}
	/* The kernel keeps a linked scalar's delta in reg->off and checks it
	 * like a pointer's fixed offset (check_reg_sane_offset). */
	if (off->off >= VF_MAX_VAR_OFF || off->off <= -VF_MAX_VAR_OFF)
		return vf_reject(env, -EACCES, "%s pointer offset %d is not allowed", ptr_str(ptr),
				 off->off);
	if (vf_sval_is_const(&off->v))
		return 0;
	if (smin == INT64_MIN)
		return vf_reject(env, -EACCES,
				 "math between %s pointer and register with unbounded min value is not allowed",
				 ptr_str(ptr));
	if (smin >= VF_MAX_VAR_OFF || smin <= -VF_MAX_VAR_OFF)
		return vf_reject(env, -EACCES, "value %" PRId64 " makes %s pointer be out of bounds", smin,
				 ptr_str(ptr));
	return 0;
}

static int check_ptr_sane_off(struct vf_env *env, const struct vf_reg *p)
{
	if (p->off >= VF_MAX_VAR_OFF || p->off <= -VF_MAX_VAR_OFF)
		return vf_reject(env, -EACCES, "value %d makes %s pointer be out of bounds", p->off,
				 ptr_str(p));
	return 0;
}

/* ptr OP scalar (or scalar + ptr): the kernel's adjust_ptr_min_max_vals. */
static int adjust_ptr(struct vf_env *env, const struct isa_insn *in, struct vf_reg *dst,
		      const struct vf_reg *ptr, const struct vf_reg *off, bool is64)
{
	int op = in->code & 0xf0, d = in->dst, err;
	struct vf_reg r = *ptr;

	if (!is64) {
		if (op == 0x10) {
			mark_reg_unknown(dst);
			return 0;
		}
		return vf_reject(env, -EACCES, "R%d 32-bit pointer arithmetic prohibited", d);
	}
	if (ptr->flags & VF_MAYBE_NULL)
		return vf_reject(env, -EACCES,
				 "R%d pointer arithmetic on %s prohibited, null-check it first",
				 d, vf_reg_type_str(ptr));
	if (ptr->type == VF_CONST_MAP || ptr->type == VF_PTR_PKT_END || ptr->type == VF_PTR_SOCK ||
	    ptr->type == VF_PTR_FUNC)
		return vf_reject(env, -EACCES, "R%d pointer arithmetic on %s prohibited", d,
				 vf_reg_type_str(ptr));
	switch (op) {
	case 0x00:
		break;
	case 0x10:
		if (dst->type == VF_SCALAR)
			return vf_reject(env, -EACCES, "R%d tried to subtract pointer from scalar", d);
		if (ptr->type == VF_PTR_STACK)
			return vf_reject(env, -EACCES, "R%d subtraction from stack pointer prohibited", d);
		break;
	case 0x40: case 0x50: case 0xa0:
		return vf_reject(env, -EACCES, "R%d bitwise operator %s on pointer prohibited", d,
				 alu_str[op >> 4]);
	default:
		return vf_reject(env, -EACCES, "R%d pointer arithmetic with %s operator prohibited",
				 d, alu_str[op >> 4]);
	}
	if ((err = check_reg_sane_offset(env, off, ptr)))
		return err;
	if (vf_sval_is_const(&off->v)) {
		int64_t c = (int64_t)off->v.t.value;

		if (op == 0x10)
			c = -c;
		r.off = (int32_t)((int64_t)ptr->off + c);
	} else {
		r.v = vf_sval_alu(op == 0x10 ? VF_A_SUB : VF_A_ADD, 64, &ptr->v, &off->v);
		if (is_pkt_pointer(&r)) {
			r.id = vf_new_id(env);
			r.aux = 0;
		}
	}
	{
		struct vf_reg chk;

		mark_reg_unknown(&chk);
		chk.v = r.v;
		if ((err = check_reg_sane_offset(env, &chk, &r)) ||
		    (err = check_ptr_sane_off(env, &r)))
			return err;
	}
	*dst = r;
	return 0;
}

/*
 * Before a scalar is copied (mov, spill): a copy of V + delta is not
 * tracked (one delta per id), so the source drops its delta and, unless
 * constant, gets an id the copy will share (the kernel's
 * assign_scalar_id_before_mov).
 */
static void id_before_mov(struct vf_env *env, struct vf_reg *src)
{
	if (src->type != VF_SCALAR)
		return;
	if (src->link != VF_LINK_NONE)
		vf_scalar_unlink(src);
	if (!src->id && !vf_sval_is_const(&src->v))
		src->id = vf_new_id(env);
}

/*
 * After dst = dst +/- constant: a copy of V becomes V + delta, remembered so
 * a branch on either narrows the other (the kernel's adjust_reg_min_max_vals
 * tail, BPF_ADD_CONST64/32); any other operation, a second constant or a
 * delta outside s32 ends the link.  32-bit only when dst fitted 32 bits.
 */
static void link_add_const(struct vf_reg *dst, enum vf_aop aop, bool is64, const struct vf_reg *src,
			   uint64_t dst_umax)
{
	uint64_t val;
	int32_t off;

	if (!dst->id || (aop != VF_A_ADD && aop != VF_A_SUB) ||
	    !(is64 ? vf_sval_is_const(&src->v) : vf_sval_is_const32(&src->v)))
		goto unlink;
	val = is64 ? src->v.t.value : (uint32_t)src->v.t.value;
	if (is64 && ((int64_t)val < INT32_MIN || (int64_t)val > INT32_MAX))
		goto unlink;
	if (!is64 && dst_umax > UINT32_MAX)
		goto unlink;
	off = (int32_t)val;
	if (aop == VF_A_SUB) {
		if (off == INT32_MIN)
			goto unlink;
		off = -off;
	}
	if (dst->link != VF_LINK_NONE)
		goto unlink;
	dst->link = is64 ? VF_LINK64 : VF_LINK32;
	dst->off = off;
	return;
unlink:
	vf_scalar_unlink(dst);
}

/*
 * AND/OR of a constant with a value known to be -1 or 0 (clang's select
 * idiom: x s>>= 63; x &= K): as the kernel's maybe_fork_scalars, this path
 * goes on with -1 and a second one, pushed to run the instruction again,
 * with 0; on 32 bits when only the low half is known to be -1 or 0.  The
 * split is exact, so nothing is lost for soundness.
 */
static int fork_minus1_or_0(struct vf_env *env, int pc, int regno)
{
	struct vf_reg *r = &cur_regs(env)[regno];
	struct vf_state *other;
	bool is32;

	if (r->v.smin == -1 && r->v.smax == 0)
		is32 = false;
	else if (r->v.s32min == -1 && r->v.s32max == 0)
		is32 = true;
	else
		return 0;
	other = vf_state_copy(env, env->cur);
	if (!other)
		return -ENOMEM;
	other->insn = pc;
	other->prev_insn = pc;
	other->log_pos = env->log_len;
	for (int k = 0; k < 2; k++) {
		struct vf_reg *x = k ? &other->frames[other->curframe]->regs[regno] : r;
		uint64_t v = k ? 0 : ~0ull;

		if (!is32) {
			mark_reg_const(x, v);
			continue;
		}
		x->v.t = vf_tnum_with_subreg(x->v.t, vf_tnum_const((uint32_t)v));
		x->v.s32min = x->v.s32max = (int32_t)(uint32_t)v;
		x->v.u32min = x->v.u32max = (uint32_t)v;
		vf_sval_sync(&x->v);
	}
	return vf_push_state(env, other);
}

int check_alu_op(struct vf_env *env, const struct isa_insn *in, int pc)
{
	struct vf_reg *regs = cur_regs(env), *dst = &regs[in->dst], src;
	uint64_t dst_umax;
	bool is64 = ISA_CLASS(in->code) == ISA_CLASS_ALU64;
	int op = in->code & 0xf0, err;
	bool use_src = (in->code & ISA_SRC_X) && op != 0x80 && op != 0xd0;
	enum vf_aop aop;

	if (alu_aop(in, &aop))
		return vf_reject(env, -EINVAL, "invalid BPF_ALU opcode %x", in->code);
	if (use_src) {
		if ((err = check_reg_read(env, in->src)))
			return err;
		src = regs[in->src];
	} else {
		mark_reg_const(&src, (uint64_t)(int64_t)in->imm);
	}
	if (op != 0xb0 && (err = check_reg_read(env, in->dst)))
		return err;
	if ((err = check_reg_write(env, in->dst)))
		return err;
	if (!use_src && (op == 0x30 || op == 0x90) && in->imm == 0)
		return vf_reject(env, -EINVAL, "div by zero");
	if (!use_src && (op == 0x60 || op == 0x70 || op == 0xc0) &&
	    (in->imm < 0 || in->imm >= (is64 ? 64 : 32)))
		return vf_reject(env, -EINVAL, "invalid shift %d", in->imm);

	if (op == 0xb0) {
		if (aop == VF_A_MOV && is64) {
			*dst = src;
			if (src.type == VF_SCALAR && use_src) {
				/* Copies share an id (and the source's link) so a
				 * later branch narrows both. */
				id_before_mov(env, &regs[in->src]);
				*dst = regs[in->src];
				if (vf_sval_is_const(&src.v))
					vf_scalar_unlink(dst);
			}
			return 0;
		}
		if (src.type != VF_SCALAR) {
			mark_reg_unknown(dst);
			if (!is64 || aop != VF_A_MOV)
				return 0;
		}
		{
			struct vf_sval v = vf_sval_alu(aop, is64 ? 64 : 32, &src.v, &src.v);

			mark_reg_unknown(dst);
			dst->v = v;
			if (aop == VF_A_MOV && !is64 && use_src && src.type == VF_SCALAR &&
			    src.v.umax <= 0xffffffffull && !vf_sval_is_const(&src.v)) {
				/* w = w of a value that fits 32 bits: still a copy. */
				id_before_mov(env, &regs[in->src]);
				dst->id = regs[in->src].id;
			}
		}
		return 0;
	}
	if (op == 0x80 || op == 0xd0) {
		if (dst->type != VF_SCALAR) {
			mark_reg_unknown(dst);
			return 0;
		}
		dst->v = vf_sval_alu(aop, op == 0xd0 ? 64 : (is64 ? 64 : 32), &dst->v, NULL);
		vf_scalar_unlink(dst);
		return 0;
	}
	if (is_pointer(dst) || is_pointer(&src)) {
		if (is_pointer(dst) && is_pointer(&src)) {
			if (op == 0x10) {
				mark_reg_unknown(dst);
				return 0;
			}
			return vf_reject(env, -EACCES, "R%d pointer %s pointer prohibited", in->dst,
					 alu_str[op >> 4]);
		}
		if (is_pointer(dst))
			return adjust_ptr(env, in, dst, dst, &src, is64);
		{
			struct vf_reg scal = *dst;

			return adjust_ptr(env, in, dst, &src, &scal, is64);
		}
	}
	if ((aop == VF_A_AND || aop == VF_A_OR) && vf_sval_is_const(&src.v)) {
		if ((err = fork_minus1_or_0(env, pc, in->dst)))
			return err;
		dst = &cur_regs(env)[in->dst];
	}
	dst_umax = dst->v.umax;
	if (op == 0x30 || op == 0x90 ||
	    ((op == 0x60 || op == 0x70 || op == 0xc0) &&
	     (!vf_sval_is_const(&src.v) || src.v.umax >= (is64 ? 64u : 32u)))) {
		/* Like the kernel (6.18, is_safe_to_compute_dst_reg_range):
		 * division, modulo and shifts by an unknown amount give a
		 * wholly unknown register, even for 32-bit operations. */
		dst->v = vf_sval_unknown();
	} else {
		dst->v = vf_sval_alu(aop, is64 ? 64 : 32, &dst->v, &src.v);
	}
	link_add_const(dst, aop, is64, &src, dst_umax);
	return 0;
}

/* ----- memory ----- */

static void fmt_tnum(char *buf, size_t n, struct vf_tnum t)
{
	snprintf(buf, n, "(0x%" PRIx64 "; 0x%" PRIx64 ")", t.value, t.mask);
}

static int check_stack_bounds(struct vf_env *env, int regno, const struct vf_reg *r, int off,
			      int size, bool write, int64_t *lo, int64_t *hi)
{
	int64_t base = (int64_t)r->off + off;

	if (vf_sval_is_const(&r->v)) {
		*lo = base + (int64_t)r->v.t.value;
		*hi = *lo + size;
		if (*lo < -VF_STACK || *hi > 0)
			return vf_reject(env, -EACCES, "invalid %s stack R%d off=%" PRId64 " size=%d",
					 write ? "write to" : "read from", regno, *lo, size);
		return 0;
	}
	if (r->v.smax >= VF_MAX_VAR_OFF || r->v.smin <= -VF_MAX_VAR_OFF)
		return vf_reject(env, -EACCES, "invalid unbounded variable-offset %s stack R%d",
				 write ? "write to" : "read from", regno);
	*lo = base + r->v.smin;
	*hi = base + r->v.smax + size;
	if (r->v.smin < -VF_STACK * 2 || r->v.smax > VF_STACK || *lo < -VF_STACK || *hi > 0) {
		char t[64];

		fmt_tnum(t, sizeof(t), r->v.t);
		return vf_reject(env, -EACCES,
				 "invalid variable-offset %s stack R%d var_off=%s off=%d size=%d",
				 write ? "write to" : "read from", regno, t, off, size);
	}
	return 0;
}

static void stack_note_depth(struct vf_env *env, struct vf_frame *f, int64_t lo)
{
	if (-lo > f->depth)
		f->depth = (int)-lo;
	if (-lo > env->sub[f->subprog].stack_depth)
		env->sub[f->subprog].stack_depth = (int)-lo;
}

/* A write of [lo, hi) that is not itself a spill: a spill in any slot it
 * touches is scrubbed to misc bytes, as the kernel does for a slot whose
 * first byte is a spill (scrub_spilled_slot), then the bytes get @type. */
static void stack_clobber(struct vf_env *env, struct vf_frame *f, int64_t lo, int64_t hi,
			  uint8_t type)
{
	struct vf_stack *st = vf_stack_mut(env, f);

	for (int s = (int)(lo + VF_STACK) / 8; s <= (int)(hi - 1 + VF_STACK) / 8; s++) {
		if (st->stype[s * 8] == VF_ST_SPILL) {
			for (int k = 0; k < 8; k++)
				if (st->stype[s * 8 + k] == VF_ST_SPILL)
					st->stype[s * 8 + k] = VF_ST_MISC;
			mark_reg_not_init(&st->spill[s]);
		}
		env->scratched_stack |= 1ull << s;
	}
	for (int64_t a = lo; a < hi; a++)
		st->stype[a + VF_STACK] = type;
}

/* Bits needed for the register's unsigned value (the kernel's get_reg_width). */
static int reg_width(const struct vf_reg *r)
{
	return r->v.umax ? 64 - __builtin_clzll(r->v.umax) : 0;
}

/*
 * A fixed-offset stack write, as the kernel's check_stack_write_fixed_off
 * for a privileged loader: a scalar (register or BPF_ST immediate) written
 * at the start of a slot is a spill of @size bytes even when @size < 8, so
 * that a fill of the same or a narrower size gets its value back (clang
 * spills 32-bit values with 4-byte stores).  A pointer must be spilled
 * whole.  Any other write scrubs a spill in the slot it touches, zero
 * stores leave zero bytes, everything else misc bytes.
 */
static int check_stack_write(struct vf_env *env, int regno, const struct vf_reg *ptr, int off,
			     int size, struct vf_reg *val)
{
	struct vf_frame *f = env->cur->frames[ptr->frameno];
	int64_t lo, hi;
	int err;

	if ((err = check_stack_bounds(env, regno, ptr, off, size, true, &lo, &hi)))
		return err;
	stack_note_depth(env, f, lo);
	if (!vf_sval_is_const(&ptr->v)) {
		stack_clobber(env, f, lo, hi, VF_ST_MISC);
		return 0;
	}
	/* (stack accesses are aligned: an 8-byte one starts a slot) */
	if (val && val->type != VF_SCALAR && size != 8)
		return vf_reject(env, -EACCES, "invalid size of register spill");
	if (val && !((lo + VF_STACK) % 8)) {
		int s = (int)(lo + VF_STACK) / 8;
		struct vf_stack *st = vf_stack_mut(env, f);

		/* the rest of the slot keeps zero and invalid bytes, an older
		 * spill's bytes become misc (the kernel's mark_stack_slot_misc) */
		for (int k = size; k < 8; k++)
			if (st->stype[s * 8 + k] == VF_ST_SPILL)
				st->stype[s * 8 + k] = VF_ST_MISC;
		env->scratched_stack |= 1ull << s;
		for (int k = 0; k < size; k++)
			st->stype[s * 8 + k] = VF_ST_SPILL;
		/* a spill is a copy: the register and the slot share an id, so a
		 * branch on one narrows the other; a narrowing spill breaks it */
		if (val->type == VF_SCALAR && reg_width(val) <= size * 8)
			id_before_mov(env, val);
		st->spill[s] = *val;
		if (val->type == VF_SCALAR && reg_width(val) > size * 8)
			vf_scalar_unlink(&st->spill[s]);
		return 0;
	}
	if (val && val->type == VF_SCALAR && vf_sval_is_const(&val->v) && !val->v.t.value) {
		stack_clobber(env, f, lo, hi, VF_ST_ZERO);
		return 0;
	}
	stack_clobber(env, f, lo, hi, VF_ST_MISC);
	return 0;
}

static int check_stack_read(struct vf_env *env, int regno, const struct vf_reg *ptr, int off,
			    int size, struct vf_reg *dst)
{
	struct vf_frame *f = env->cur->frames[ptr->frameno];
	const struct vf_stack *st = f->stk;
	int64_t lo, hi;
	int err, i, s;
	bool zero = true;

	if ((err = check_stack_bounds(env, regno, ptr, off, size, false, &lo, &hi)))
		return err;
	stack_note_depth(env, f, lo);
	if (!vf_sval_is_const(&ptr->v)) {
		for (int64_t a = lo; a < hi; a++)
			if (st->stype[a + VF_STACK] == VF_ST_SPILL &&
			    st->spill[(a + VF_STACK) / 8].type != VF_SCALAR) {
				/* privileged: reading a spilled pointer's bytes gives a scalar */
			}
		if (dst) {
			mark_reg_unknown(dst);
			vf_sval_cast(&dst->v, (unsigned)size);
		}
		return 0;
	}
	i = (int)(lo + VF_STACK);
	s = i / 8;
	env->scratched_stack |= 1ull << s;
	/* The kernel's check_stack_read_fixed_off: a slot whose first byte is
	 * spilled holds a register; stack accesses are naturally aligned, so
	 * the read lies within the slot. */
	if (st->stype[s * 8] == VF_ST_SPILL) {
		const struct vf_reg *sp = &st->spill[s];
		int spill_size = 1, spill_cnt = 0;

		while (spill_size < 8 && st->stype[s * 8 + spill_size] == VF_ST_SPILL)
			spill_size++;
		if (size == 8 && spill_size == 8) {
			if (dst)
				*dst = *sp;
			return 0;
		}
		if (sp->type != VF_SCALAR)
			return vf_reject(env, -EACCES, "invalid size of register fill");
		if (!dst)
			return 0;
		if (size <= spill_size && i == s * 8) {
			/* a fill of the spilled bytes: the value, cut to @size */
			*dst = *sp;
			if (reg_width(sp) > size * 8)
				vf_scalar_unlink(dst);
			vf_sval_cast(&dst->v, (unsigned)size);
			return 0;
		}
		for (int k = 0; k < size; k++) {
			spill_cnt += st->stype[i + k] == VF_ST_SPILL;
			zero &= st->stype[i + k] == VF_ST_ZERO;
		}
		if (spill_cnt == size && vf_sval_is_const(&sp->v) && !sp->v.t.value)
			mark_reg_const(dst, 0);
		else if (zero)
			mark_reg_const(dst, 0);
		else {
			mark_reg_unknown(dst);
			vf_sval_cast(&dst->v, (unsigned)size);
		}
		return 0;
	}
	for (int k = 0; k < size; k++)
		zero &= st->stype[i + k] == VF_ST_ZERO;
	if (dst) {
		if (zero) {
			mark_reg_const(dst, 0);
		} else {
			mark_reg_unknown(dst);
			vf_sval_cast(&dst->v, (unsigned)size);
		}
	}
	return 0;
}

/* Bounds of a region of @limit bytes accessed through @r + @off, @size bytes:
 * the kernel's check_mem_region_access order (sign, minimum, unbounded, maximum). */
static int region_err(struct vf_env *env, int64_t o, int size, uint64_t limit, const char *what)
{
	if (!strcmp(what, "map value"))
		return vf_reject(env, -EACCES, "invalid access to map value, value_size=%" PRIu64
				 " off=%" PRId64 " size=%d", limit, o, size);
	return vf_reject(env, -EACCES, "invalid access to memory, mem_size=%" PRIu64 " off=%" PRId64
			 " size=%d", limit, o, size);
}

static int check_region(struct vf_env *env, int regno, const struct vf_reg *r, int off, int size,
			uint64_t umax_extra, uint64_t limit, const char *what)
{
	int64_t base = (int64_t)r->off + off, lo;
	int sz = size + (int)umax_extra;

	if (vf_sval_is_const(&r->v)) {
		lo = base + (int64_t)r->v.t.value;
		if (lo < 0 || lo + sz > (int64_t)limit)
			return region_err(env, lo, sz, limit, what);
		return 0;
	}
	if (r->v.smin < 0 &&
	    (r->v.smin == INT64_MIN || base + r->v.smin != (int64_t)(int32_t)(base + r->v.smin) ||
	     base + r->v.smin < 0))
		return vf_reject(env, -EACCES,
				 "R%d min value is negative, either use unsigned index or do a if (index >=0) check.",
				 regno);
	lo = base + r->v.smin;
	if (lo < 0 || lo + sz > (int64_t)limit)
		return region_err(env, lo, sz, limit, what);
	if (r->v.umax >= (1ull << 29))
		return vf_reject(env, -EACCES,
				 "R%d unbounded memory access, make sure to bounds check any such access",
				 regno);
	if (base + (int64_t)r->v.umax + sz > (int64_t)limit)
		return region_err(env, base + (int64_t)r->v.umax, sz, limit, what);
	return 0;
}

static int check_packet_access(struct vf_env *env, int regno, const struct vf_reg *r, int off,
			       int size, uint64_t extra)
{
	int64_t o = (int64_t)r->off + off;

	if (r->v.smin < 0)
		return vf_reject(env, -EACCES,
				 "R%d min value is negative, either use unsigned index or do a if (index >=0) check.",
				 regno);
	if (o < 0 || o + size + (int64_t)extra > (int64_t)r->aux) {
		vf_log(env, "invalid access to packet, off=%d size=%d, R%d(id=%u,off=%d,r=%u)\n", off,
		       size + (int)extra, regno, r->id, r->off, r->aux);
		return vf_reject(env, -EACCES, "R%d offset is outside of the packet", regno);
	}
	return 0;
}

static bool may_access_pkt(uint32_t t, bool write)
{
	switch (t) {
	case BPF_PROG_TYPE_SCHED_CLS: case BPF_PROG_TYPE_SCHED_ACT: case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_XMIT: case BPF_PROG_TYPE_SK_SKB: case BPF_PROG_TYPE_SK_MSG:
		return true;
	case BPF_PROG_TYPE_LWT_IN: case BPF_PROG_TYPE_LWT_OUT: case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_REUSEPORT: case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_CGROUP_SKB:
		return !write;
	default:
		return false;
	}
}

/*
 * One memory access through register @regno (value @r) at insn offset
 * @off: validate and, for a load into @dst (may be NULL), set what is
 * read; for a store, @val is what is written (NULL: unknown bytes).
 * @helper: a helper reads/writes the memory (no fill into a register).
 */
int check_mem_region(struct vf_env *env, int regno, const struct vf_reg *r, int off,
		     int size, bool write, bool helper, uint64_t umax_size)
{
	(void)helper;
	switch (r->type) {
	case VF_PTR_STACK: {
		struct vf_reg tmp = *r;
		int64_t lo, hi;
		int err;

		if (umax_size) {
			/* A helper's variable size: check the far end too. */
			if ((err = check_stack_bounds(env, regno, &tmp, off, (int)umax_size, write, &lo, &hi)))
				return err;
		} else if ((err = check_stack_bounds(env, regno, &tmp, off, size, write, &lo, &hi))) {
			return err;
		}
		stack_note_depth(env, env->cur->frames[r->frameno], lo);
		if (write)
			stack_clobber(env, env->cur->frames[r->frameno], lo, hi, VF_ST_MISC);
		return 0;
	}
	case VF_PTR_MAP_VALUE:
	case VF_PTR_MAP_KEY: {
		const struct vf_map *m = &env->maps[r->aux];
		uint64_t lim = r->type == VF_PTR_MAP_KEY ? m->key_size : m->value_size;
		int err;

		if (write && r->type == VF_PTR_MAP_KEY)
			return vf_reject(env, -EACCES, "write to change key R%d not allowed", regno);
		if (write && (m->flags & BPF_F_RDONLY_PROG))
			return vf_reject(env, -EACCES, "write into map forbidden, value_size=%u off=%d size=%d",
					 m->value_size, r->off + off, size);
		if ((err = check_region(env, regno, r, off, size,
					umax_size ? umax_size - (uint64_t)size : 0, lim,
					r->type == VF_PTR_MAP_KEY ? "map key" : "map value")))
			return err;
		/* check_map_access: no load, store or helper may touch any
		 * byte of the value's lock (bounds are checked, so no overflow) */
		if (r->type == VF_PTR_MAP_VALUE && m->spin_lock &&
		    (int64_t)r->off + off + r->v.smin < (int64_t)m->spin_lock_off + 4 &&
		    (int64_t)m->spin_lock_off <
		    (int64_t)r->off + off + (int64_t)r->v.umax + (int64_t)(umax_size ? umax_size : (uint64_t)size))
			return vf_reject(env, -EACCES, "bpf_spin_lock cannot be accessed directly by load/store");
		return 0;
	}
	case VF_PTR_MEM:
		return check_region(env, regno, r, off, size, umax_size ? umax_size - (uint64_t)size : 0,
				    r->aux, "memory");
	case VF_PTR_PKT: case VF_PTR_PKT_META:
		if (!may_access_pkt(env->o->prog_type, write))
			return vf_reject(env, -EACCES, "cannot write into packet");
		return check_packet_access(env, regno, r, off, size,
					   umax_size ? umax_size - (uint64_t)size : 0);
	default:
		return vf_reject(env, -EACCES, "R%d invalid mem access '%s'", regno, vf_reg_type_str(r));
	}
}

static int check_mem_access(struct vf_env *env, int pc, int regno, int off, int size, bool write,
			    struct vf_reg *val, struct vf_reg *dst, bool sx)
{
	struct vf_reg r = cur_regs(env)[regno];
	int err;

	if ((r.flags & VF_MAYBE_NULL) && r.type != VF_PTR_SOCK)
		return vf_reject(env, -EACCES, "R%d invalid mem access '%s'", regno, vf_reg_type_str(&r));
	switch (r.type) {
	case VF_PTR_STACK: {
		struct vf_tnum a = vf_tnum_add(r.v.t, vf_tnum_const((uint64_t)(int64_t)(r.off + off)));

		if (!vf_tnum_is_aligned(a, (uint64_t)size)) {
			char t[64];

			fmt_tnum(t, sizeof(t), r.v.t);
			return vf_reject(env, -EACCES, "misaligned stack access off %s+%d+%d size %d",
					 t, r.off, off, size);
		}
		if (write)
			return check_stack_write(env, regno, &r, off, size, val);
		if ((err = check_stack_read(env, regno, &r, off, size, dst)))
			return err;
		break;
	}
	case VF_PTR_CTX:
		if ((err = check_ctx_access(env, regno, &r, off, size, write, dst)))
			return err;
		break;
	case VF_PTR_MAP_VALUE: case VF_PTR_MAP_KEY: case VF_PTR_MEM:
	case VF_PTR_PKT: case VF_PTR_PKT_META:
		if ((err = check_mem_region(env, regno, &r, off, size, write, false, 0)))
			return err;
		if (dst) {
			mark_reg_unknown(dst);
			vf_sval_cast(&dst->v, (unsigned)size);
		}
		break;
	case VF_PTR_BTF_ID:
		if ((err = check_ptr_to_btf_access(env, regno, &r, off, size, write, dst)))
			return err;
		break;
	case VF_PTR_SOCK:
		if ((err = check_sock_access(env, regno, &r, off, size, write, dst)))
			return err;
		break;
	case VF_NOT_INIT:
		return vf_reject(env, -EACCES, "R%d !read_ok", regno);
	default:
		return vf_reject(env, -EACCES, "R%d invalid mem access '%s'", regno, vf_reg_type_str(&r));
	}
	if (dst && sx && dst->type == VF_SCALAR) {
		struct vf_sval v = dst->v;
		enum vf_aop a = size == 1 ? VF_A_MOVSX8 : size == 2 ? VF_A_MOVSX16 : VF_A_MOVSX32;

		dst->v = vf_sval_alu(a, 64, &v, &v);
	}
	(void)pc;
	return 0;
}

int check_mem_insn(struct vf_env *env, const struct isa_insn *in, int pc)
{
	int size = (int)isa_mem_size(in->code), err;
	struct vf_reg *regs = cur_regs(env), val;
	uint8_t cls = ISA_CLASS(in->code), mode = in->code & 0xe0;

	if (cls == ISA_CLASS_LDX) {
		struct vf_reg dst;

		if ((err = check_reg_read(env, in->src)))
			return err;
		if ((err = check_reg_write(env, in->dst)))
			return err;
		mark_reg_unknown(&dst);
		if ((err = check_mem_access(env, pc, in->src, in->off, size, false, NULL, &dst,
					    mode == 0x80)))
			return err;
		regs[in->dst] = dst;
		return 0;
	}
	if (cls == ISA_CLASS_ST) {
		if ((err = check_reg_read(env, in->dst)))
			return err;
		mark_reg_const(&val, (uint64_t)(int64_t)in->imm);
		return check_mem_access(env, pc, in->dst, in->off, size, true, &val, NULL, false);
	}
	if (mode == 0xc0) {
		int32_t aop = in->imm;
		struct vf_reg *dreg = &regs[in->dst];

		if ((err = check_reg_read(env, in->src)) || (err = check_reg_read(env, in->dst)))
			return err;
		if (aop == 0xf1 && (err = check_reg_read(env, 0)))
			return err;
		if (dreg->type == VF_PTR_CTX || is_pkt_pointer(dreg) || dreg->type == VF_PTR_SOCK)
			return vf_reject(env, -EACCES, "BPF_ATOMIC stores into R%d %s is not allowed",
					 in->dst, vf_reg_type_str(dreg));
		if (dreg->type == VF_PTR_STACK || dreg->type == VF_PTR_MAP_VALUE ||
		    dreg->type == VF_PTR_MEM) {
			struct vf_tnum a = vf_tnum_add(dreg->v.t, vf_tnum_const((uint64_t)(int64_t)(dreg->off + in->off)));

			if (!vf_tnum_is_aligned(a, (uint64_t)size) && dreg->type != VF_PTR_STACK)
				return vf_reject(env, -EACCES, "misaligned access off %d size %d",
						 dreg->off + in->off, size);
		}
		if (regs[in->src].type != VF_SCALAR && aop != 0xe1 && aop != 0xf1 && is_pointer(&regs[in->src])) {
			/* privileged: pointer stored as bytes */
		}
		{
			struct vf_reg old;

			mark_reg_unknown(&old);
			if ((err = check_mem_access(env, pc, in->dst, in->off, size, false, NULL, &old, false)))
				return err;
			if ((err = check_mem_access(env, pc, in->dst, in->off, size, true, NULL, NULL, false)))
				return err;
			mark_reg_unknown(&old);
			vf_sval_cast(&old.v, (unsigned)size);
			if (aop == 0xf1) {
				scratch(env, 0);
				regs[0] = old;
			} else if (aop & 1) {
				if (in->src == 10)
					return vf_reject(env, -EACCES, "frame pointer is read only");
				regs[in->src] = old;
			}
		}
		return 0;
	}
	/* STX */
	if ((err = check_reg_read(env, in->src)) || (err = check_reg_read(env, in->dst)))
		return err;
	if (regs[in->dst].type == VF_PTR_CTX && is_pointer(&regs[in->src]))
		return vf_reject(env, -EACCES, "R%d leaks addr into ctx", in->src);
	/* privileged: a pointer stored outside the stack becomes plain data;
	 * the register itself goes in, so that a spill can link it (ids) */
	return check_mem_access(env, pc, in->dst, in->off, size, true, &regs[in->src], NULL, false);
}

int check_ld_imm64(struct vf_env *env, const struct isa_insn *in, int pc)
{
	struct vf_reg *dst = &cur_regs(env)[in->dst];
	int err;

	if ((err = check_reg_write(env, in->dst)))
		return err;
	switch (in->src) {
	case 0:
		mark_reg_const(dst, in->imm64);
		return 0;
	case ISA_PSEUDO_MAP_FD: case ISA_PSEUDO_MAP_IDX:
	case ISA_PSEUDO_MAP_VALUE: case ISA_PSEUDO_MAP_IDX_VALUE: {
		uint32_t idx = (uint32_t)in->imm, voff = (uint32_t)(in->imm64 >> 32);

		if (idx >= env->o->map_cnt)
			return vf_reject(env, -EBADF, "fd %d is not pointing to valid bpf_map", in->imm);
		mark_reg_unknown(dst);
		dst->v = vf_sval_const(0);
		dst->aux = idx;
		if (in->src == ISA_PSEUDO_MAP_FD || in->src == ISA_PSEUDO_MAP_IDX) {
			dst->type = VF_CONST_MAP;
			return 0;
		}
		if (voff >= env->o->maps[idx].value_size)
			return vf_reject(env, -EINVAL, "invalid access to map value pointer, value_size=%u off=%u",
					 env->o->maps[idx].value_size, voff);
		dst->type = VF_PTR_MAP_VALUE;
		dst->off = (int32_t)voff;
		return 0;
	}
	case ISA_PSEUDO_FUNC: {
		long t = pc + in->imm + 1;

		if (env->o->sz < offsetof(struct vf_opts, func_info) + sizeof(bool) || !env->o->func_info)
			return vf_reject(env, -EINVAL, "missing btf func_info");
		mark_reg_unknown(dst);
		dst->type = VF_PTR_FUNC;
		dst->v = vf_sval_const(0);
		for (int s = 0; s < env->nsub; s++)
			if (env->sub[s].start == t)
				dst->aux = (uint32_t)s;
		/* a callback runs in the caller's context: never a global function */
		if (vf_subprog_global(env, (int)dst->aux))
			return vf_reject(env, -EINVAL, "callback function not static");
		return 0;
	}
	default:
		return vf_reject(env, -EOPNOTSUPP, "barebpf: ld_imm64 with BTF ids (ksyms) not modelled yet");
	}
}

int check_ld_abs(struct vf_env *env, const struct isa_insn *in, int pc)
{
	struct vf_reg *regs = cur_regs(env);
	uint32_t t = env->o->prog_type;
	int err;

	(void)pc;
	if (t != BPF_PROG_TYPE_SOCKET_FILTER && t != BPF_PROG_TYPE_SCHED_CLS &&
	    t != BPF_PROG_TYPE_SCHED_ACT)
		return vf_reject(env, -EINVAL, "BPF_LD_[ABS|IND] instructions not allowed for this program type");
	if (env->cur->curframe)
		return vf_reject(env, -EINVAL, "BPF_LD_[ABS|IND] instructions cannot be mixed with bpf-to-bpf calls");
	if ((err = check_reg_read(env, 6)))
		return err;
	/* it may end the program: no reference or lock may be held */
	if ((err = vf_check_resource_leak(env, true, "BPF_LD_[ABS|IND]")))
		return err;
	if (regs[6].type != VF_PTR_CTX)
		return vf_reject(env, -EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	if ((in->code & 0xe0) == 0x40 && (err = check_reg_read(env, in->src)))
		return err;
	for (int r = 1; r <= 5; r++) {
		mark_reg_not_init(&regs[r]);
		scratch(env, r);
	}
	mark_reg_unknown(&regs[0]);
	vf_sval_cast(&regs[0].v, isa_mem_size(in->code));
	scratch(env, 0);
	return 0;
}
