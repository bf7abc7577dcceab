/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_link.c - APPLY the recorded relocations, one program at a time.
 *
 * The kernel wants one instruction array per program holding the program
 * and every function it can reach.  Like libbpf's bpf_object__reloc_code(),
 * we start with the program's own instructions and walk them: each call or
 * callback reference to a function not yet in the array appends that
 * function's code (which is walked in turn, so the closure is transitive)
 * and the reference's imm becomes "target - (pc + 1)" in the new layout.
 * func_info, line_info and CO-RE records of each appended function come
 * along with their instruction offsets moved by the same amount.
 *
 * Map references become ld_imm64 src BPF_PSEUDO_MAP_IDX(_VALUE) with the
 * map index; obj_prog_insns() swaps in fds when the caller has them.
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"

struct piece {
	uint32_t func;
	uint32_t off;           /* first instruction in the linked code */
};

struct linker {
	struct obj *o;
	struct obj_prog *p;
	struct obj_prog_priv *pp;
	struct bb_vec pieces;   /* struct piece */
	struct bb_vec code;     /* struct isa_raw */
};

/* Where function @fi starts in the linked code, appending it if new. */
static long piece_of(struct linker *l, uint32_t fi, struct bb_err *e)
{
	const struct obj_func *f = bb_vec_at(&l->o->funcs, struct obj_func, fi);
	const struct obj_sec *s = &l->o->secs[f->sec_idx];
	struct piece pc = { .func = fi, .off = (uint32_t)l->code.len };

	for (size_t i = 0; i < l->pieces.len; i++)
		if (bb_vec_at(&l->pieces, struct piece, i)->func == fi)
			return bb_vec_at(&l->pieces, struct piece, i)->off;
	if (l->code.len + f->cnt > ISA_MAX_INSNS)
		return obj_err(l->o, e, -E2BIG, l->p->section, -1,
			       "program '%s' with its subprograms exceeds %d instructions", l->p->name,
			       ISA_MAX_INSNS);
	if (bb_vec_reserve(&l->code, l->code.len + f->cnt) || !bb_vec_push(&l->pieces, &pc))
		return obj_err(l->o, e, -ENOMEM, l->p->section, -1, "out of memory");
	memcpy(bb_vec_at(&l->code, struct isa_raw, l->code.len), s->data + (size_t)f->off * 8,
	       (size_t)f->cnt * 8);
	l->code.len += f->cnt;
	return pc.off;
}

static int push_map_ref(struct linker *l, uint32_t insn, uint32_t map, uint32_t off, bool value,
			struct bb_err *e)
{
	struct isa_raw *c = bb_vec_at(&l->code, struct isa_raw, insn);
	struct obj_map_ref r = { .insn = insn, .map = map, .off = off, .is_value = value };

	c[0].src = value ? ISA_PSEUDO_MAP_IDX_VALUE : ISA_PSEUDO_MAP_IDX;
	c[0].imm = (int32_t)map;
	c[1].imm = (int32_t)off;
	if (!bb_vec_push(&l->pp->map_refs, &r))
		return obj_err(l->o, e, -ENOMEM, l->p->section, (int)insn, "out of memory");
	return 0;
}

/* Point the call/callback at linked instruction @lin to function @callee. */
static int fix_call(struct linker *l, uint32_t lin, uint32_t callee, bool callback,
		    struct bb_err *e)
{
	long t = piece_of(l, callee, e);
	struct isa_raw *c;

	if (t < 0)
		return (int)t;
	c = bb_vec_at(&l->code, struct isa_raw, lin);     /* after any realloc */
	c->imm = (int32_t)(t - ((long)lin + 1));
	if (callback) {
		c[0].src = ISA_PSEUDO_FUNC;
		c[1].imm = 0;
	}
	return 0;
}

static int apply_one(struct linker *l, const struct obj_reloc *r, uint32_t lin, struct bb_err *e)
{
	struct obj *o = l->o;
	const struct obj_func *f;
	const struct obj_extern_priv *x;
	struct obj_ext_ref xr = { .insn = lin };

	switch (r->kind) {
	case OBJ_RELOC_MAP:
		return push_map_ref(l, lin, (uint32_t)r->target, 0, false, e);
	case OBJ_RELOC_MAP_VALUE:
		return push_map_ref(l, lin, (uint32_t)r->target, (uint32_t)r->offset, true, e);
	case OBJ_RELOC_CALL:
	case OBJ_RELOC_FUNC:
		f = obj_func_at(o, r->target_sec, (uint32_t)r->target);
		if (!f)         /* checked when recorded; kept for safety */
			return obj_err(o, e, -EINVAL, l->p->section, (int)lin, "lost call target");
		return fix_call(l, lin, (uint32_t)(f - (const struct obj_func *)o->funcs.data),
				r->kind == OBJ_RELOC_FUNC, e);
	case OBJ_RELOC_EXTERN_VAR:
		x = &obj_externs(o)[r->target];
		if (x->pub.kind == OBJ_EXTERN_KCONFIG)
			return push_map_ref(l, lin, (uint32_t)o->kconfig_map, x->pub.offset, true, e);
		/* ksyms are patched by obj_resolve_externs() */
		__attribute__((fallthrough));
	case OBJ_RELOC_KFUNC:
		xr.ext = (uint32_t)r->target;
		l->p->uses_externs = true;
		if (!bb_vec_push(&l->pp->ext_refs, &xr))
			return obj_err(o, e, -ENOMEM, l->p->section, (int)lin, "out of memory");
		return 0;
	}
	return obj_err(o, e, -EINVAL, l->p->section, (int)lin, "unknown relocation kind %d", r->kind);
}

/* Copy the .BTF.ext records of function @f (placed at @base). */
static int carry_ext(struct linker *l, const struct obj_func *f, uint32_t base, struct bb_err *e)
{
	const struct obj *o = l->o;
	const struct bbtf_ext_sec *xs;
	uint64_t lo = (uint64_t)f->off * 8, hi = lo + (uint64_t)f->cnt * 8;

	if (!o->btf_ext)
		return 0;
	xs = bbtf_ext_sec_by_name(o->btf_ext, o->secs[f->sec_idx].name);
	if (!xs)
		return 0;
#define IN_FUNC(rec) ((rec).insn_off >= lo && (rec).insn_off < hi && !((rec).insn_off % 8))
#define NEW_OFF(rec) ((uint32_t)(((rec).insn_off - lo) / 8 + base))
	/* Room for every record of the section at once (an upper bound):
	 * pushing line by line from 8 reallocated several times per
	 * program.  The loops below store into that room directly. */
	if (bb_vec_reserve(&l->pp->func_info, l->pp->func_info.len + xs->n_funcs) ||
	    bb_vec_reserve(&l->pp->line_info, l->pp->line_info.len + xs->n_lines) ||
	    bb_vec_reserve(&l->pp->core_relos, l->pp->core_relos.len + xs->n_cores))
		goto nomem;
	for (size_t i = 0; i < xs->n_funcs; i++) {
		struct obj_func_info fi;

		if (!IN_FUNC(xs->funcs[i]))
			continue;
		fi.insn_off = NEW_OFF(xs->funcs[i]);
		fi.type_id = xs->funcs[i].type_id;
		*bb_vec_at(&l->pp->func_info, struct obj_func_info, l->pp->func_info.len++) = fi;
	}
	for (size_t i = 0; i < xs->n_lines; i++) {
		struct obj_line_info li;

		if (!IN_FUNC(xs->lines[i]))
			continue;
		li.insn_off = NEW_OFF(xs->lines[i]);
		li.file_name_off = xs->lines[i].file_name_off;
		li.line_off = xs->lines[i].line_off;
		li.line_col = xs->lines[i].line_col;
		*bb_vec_at(&l->pp->line_info, struct obj_line_info, l->pp->line_info.len++) = li;
	}
	for (size_t i = 0; i < xs->n_cores; i++) {
		struct obj_core_relo cr;

		if (!IN_FUNC(xs->cores[i]))
			continue;
		cr.insn_off = NEW_OFF(xs->cores[i]);
		cr.type_id = xs->cores[i].type_id;
		cr.access_str_off = xs->cores[i].access_str_off;
		cr.kind = xs->cores[i].kind;
		*bb_vec_at(&l->pp->core_relos, struct obj_core_relo, l->pp->core_relos.len++) = cr;
	}
#undef IN_FUNC
#undef NEW_OFF
	return 0;
nomem:
	return obj_err(o, e, -ENOMEM, l->p->section, -1, "out of memory");
}

static int link_prog(struct obj *o, size_t pi, struct bb_err *e)
{
	struct linker l = { .o = o, .p = &obj_progs(o)[pi], .pp = &obj_prog_privs(o)[pi] };
	int err = 0;

	bb_vec_init(&l.pieces, sizeof(struct piece));
	bb_vec_init(&l.code, sizeof(struct isa_raw));
	if (piece_of(&l, l.pp->func, e) < 0) {
		err = e ? e->code : -ENOMEM;
		goto out;
	}
	/* l.pieces grows while we walk it: that is the transitive closure. */
	for (size_t k = 0; k < l.pieces.len; k++) {
		struct piece pc = *bb_vec_at(&l.pieces, struct piece, k);
		const struct obj_func *f = bb_vec_at(&o->funcs, struct obj_func, pc.func);
		const struct obj_sec *s = &o->secs[f->sec_idx];
		const struct isa_raw *sc = (const struct isa_raw *)s->data;

		for (uint32_t j = 0; j < f->cnt; j++) {
			uint32_t si = f->off + j, lin = pc.off + j, rel = s->rel_at[si];
			struct isa_insn in;
			int slots;

			if (rel) {
				const struct obj_reloc *r = bb_vec_at(&o->relocs, struct obj_reloc, rel - 1);

				/* An ld_imm64 is patched in both slots: the second
				 * must be this function's too (a symbol size can
				 * cut it off; found by fuzz_elf). */
				if (r->kind != OBJ_RELOC_CALL && r->kind != OBJ_RELOC_KFUNC &&
				    j + 1 >= f->cnt) {
					err = obj_err(o, e, -EINVAL, s->name, (int)si,
						      "ld_imm64 runs past the end of function '%s'", f->name);
					goto out;
				}
				err = apply_one(&l, r, lin, e);
				if (err)
					goto out;
				if (r->kind != OBJ_RELOC_CALL && r->kind != OBJ_RELOC_KFUNC)
					j++;    /* ld_imm64: skip its second slot */
				continue;
			}
			/* Same-section call or callback without a relocation:
			 * decode the original (unpatched) instruction. */
			if (!obj_may_call_or_lddw(&sc[si]))
				continue;
			slots = isa_decode(sc, s->size / 8, si, &in, NULL);
			if (slots < 0)
				continue;
			if (isa_rows[in.op].fmt == ISA_FMT_CALL_LOCAL ||
			    (isa_rows[in.op].fmt == ISA_FMT_LDDW && in.src == ISA_PSEUDO_FUNC)) {
				const struct obj_func *callee = obj_func_at(o, s->idx,
									    (uint32_t)((int64_t)si + in.imm + 1));

				/* A callback's ld_imm64 is patched in both slots
				 * (fix_call()): see above. */
				if (isa_rows[in.op].fmt == ISA_FMT_LDDW && j + 1 >= f->cnt) {
					err = obj_err(o, e, -EINVAL, s->name, (int)si,
						      "ld_imm64 runs past the end of function '%s'", f->name);
					goto out;
				}

				if (!callee) {
					err = obj_err(o, e, -EINVAL, s->name, (int)si, "lost call target");
					goto out;
				}
				err = fix_call(&l, lin, (uint32_t)(callee - (const struct obj_func *)o->funcs.data),
					       isa_rows[in.op].fmt == ISA_FMT_LDDW, e);
				if (err)
					goto out;
			}
			if (slots == 2)
				j++;
		}
		err = carry_ext(&l, f, pc.off, e);
		if (err)
			goto out;
	}
	l.pp->insns = l.code.data;
	l.code.data = NULL;
	l.p->insns = l.pp->insns;
	l.p->insn_cnt = l.code.len;
	l.p->map_refs = l.pp->map_refs.data;
	l.p->map_ref_cnt = l.pp->map_refs.len;
	l.p->func_info = l.pp->func_info.data;
	l.p->func_info_cnt = l.pp->func_info.len;
	l.p->line_info = l.pp->line_info.data;
	l.p->line_info_cnt = l.pp->line_info.len;
	l.p->core_relos = l.pp->core_relos.data;
	l.p->core_relo_cnt = l.pp->core_relos.len;
out:
	bb_vec_free(&l.pieces);
	bb_vec_free(&l.code);
	return err;
}

int obj_link_progs(struct obj *o, struct bb_err *e)
{
	for (size_t i = 0; i < o->progs.len; i++) {
		int err = link_prog(o, i, e);

		if (err)
			return err;
	}
	return 0;
}

long obj_prog_insns(const struct obj *o, size_t i, const int *map_fds, size_t n_fds,
		    struct isa_raw **out, struct bb_err *e)
{
	const struct obj_prog *p = obj_prog(o, i);
	const struct obj_prog_priv *pp;
	struct isa_raw *c;

	*out = NULL;
	if (!p)
		return bb_err_insn(e, -EINVAL, -1, "no program %zu", i);
	pp = &obj_prog_privs(o)[i];
	for (size_t k = 0; k < pp->ext_refs.len; k++) {
		const struct obj_ext_ref *r = bb_vec_at(&pp->ext_refs, struct obj_ext_ref, k);
		const struct obj_extern *x = &obj_externs(o)[r->ext].pub;

		if (!x->resolved)
			return obj_err(o, e, -ENOENT, p->section, (int)r->insn,
				       "extern '%s' is not resolved yet (obj_resolve_externs)", x->name);
	}
	c = malloc(p->insn_cnt * sizeof(*c) + 1);
	if (!c)
		return obj_err(o, e, -ENOMEM, p->section, -1, "out of memory");
	memcpy(c, p->insns, p->insn_cnt * sizeof(*c));
	for (size_t k = 0; map_fds && k < p->map_ref_cnt; k++) {
		const struct obj_map_ref *r = &p->map_refs[k];

		if (r->map >= n_fds) {
			free(c);
			return obj_err(o, e, -EINVAL, p->section, (int)r->insn,
				       "map %u has no fd (%zu given)", r->map, n_fds);
		}
		c[r->insn].src = r->is_value ? ISA_PSEUDO_MAP_VALUE : ISA_PSEUDO_MAP_FD;
		c[r->insn].imm = map_fds[r->map];
		c[r->insn + 1].imm = (int32_t)r->off;
	}
	*out = c;
	return (long)p->insn_cnt;
}

int obj_prog_src_line(const struct obj *o, size_t i, uint32_t insn, struct obj_src_line *out)
{
	const struct obj_prog *p = obj_prog(o, i);
	const struct obj_line_info *best = NULL;
	struct bbtf_ext_line l;
	struct bbtf_src_line s;

	memset(out, 0, sizeof(*out));
	if (!p || !o->btf)
		return -ENOENT;
	/* Records are sorted within each appended function, and functions
	 * are laid out in order, so the last one at or before @insn wins. */
	for (size_t k = 0; k < p->line_info_cnt; k++)
		if (p->line_info[k].insn_off <= insn)
			best = &p->line_info[k];
	if (!best)
		return -ENOENT;
	l.insn_off = best->insn_off;
	l.file_name_off = best->file_name_off;
	l.line_off = best->line_off;
	l.line_col = best->line_col;
	if (bbtf_line_info(o->btf, &l, &s, NULL))
		return -ENOENT;
	out->file = s.file;
	out->text = s.text;
	out->line = s.line;
	out->col = s.col;
	return 0;
}
