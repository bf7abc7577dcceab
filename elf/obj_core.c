/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_core.c - apply CO-RE relocations to the linked programs.
 *
 * obj_link.c already carried every .BTF.ext core_relo record into each
 * program that reaches its function, with the instruction offset moved to
 * the linked code; a subprogram shared by two programs is therefore
 * relocated once in each.  The computation and the patching are core/'s;
 * this file picks the target BTF, walks the programs, keeps the
 * compiler's instructions so a second call starts from them again, and
 * turns core/'s results into obj_core_res records and located errors.
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "core/core.h"

/* Put the CO-RE instructions of program @i back as linked (both slots of
 * an ld_imm64).  Nothing else is touched: externs may have been patched
 * since the copy was taken. */
static void restore_prog(struct obj *o, size_t i)
{
	struct obj_prog *p = &obj_progs(o)[i];
	struct obj_prog_priv *pp = &obj_prog_privs(o)[i];

	if (!pp->core_orig)
		return;
	for (size_t k = 0; k < p->core_relo_cnt; k++) {
		uint32_t at = p->core_relos[k].insn_off;

		if (at >= p->insn_cnt)
			continue;
		pp->insns[at] = pp->core_orig[at];
		if (pp->core_orig[at].code == (BPF_LD | BPF_IMM | BPF_DW) && at + 1 < p->insn_cnt)
			pp->insns[at + 1] = pp->core_orig[at + 1];
	}
}

/* "struct task_struct (0:5)" from the raw record, for errors raised
 * before a spec exists. */
static void raw_spec_str(const struct obj *o, const struct obj_core_relo *cr, char *buf,
			 size_t size)
{
	const struct btf_type *t = bbtf_type_by_id(o->btf, cr->type_id);
	const char *name = t ? bbtf_name(o->btf, t->name_off) : NULL;
	const char *acc = bbtf_name(o->btf, cr->access_str_off);

	snprintf(buf, size, "[%u] %s %s (%s)", cr->type_id, t ? bbtf_kind_str(bbtf_kind(t)) : "?",
		 name && *name ? name : "<anon>", acc ? acc : "?");
}

static int relocate_prog(struct obj *o, size_t i, struct core_ctx *ctx,
			 const struct obj_core_opts *opts, struct bb_err *e)
{
	struct obj_prog *p = &obj_progs(o)[i];
	struct obj_prog_priv *pp = &obj_prog_privs(o)[i];

	if (!p->core_relo_cnt)
		return 0;
	if (!pp->core_orig) {
		pp->core_orig = malloc(p->insn_cnt * sizeof(*pp->core_orig) + 1);
		if (!pp->core_orig)
			return obj_err(o, e, -ENOMEM, p->section, -1, "out of memory");
		memcpy(pp->core_orig, pp->insns, p->insn_cnt * sizeof(*pp->core_orig));
	}
	restore_prog(o, i);
	for (size_t k = 0; k < p->core_relo_cnt; k++) {
		const struct obj_core_relo *cr = &p->core_relos[k];
		struct core_relo r = { .insn = cr->insn_off, .type_id = cr->type_id,
				       .access_str_off = cr->access_str_off, .kind = cr->kind };
		struct obj_core_res out = { .prog = (uint32_t)i, .relo = (uint32_t)k,
					    .insn = cr->insn_off, .kind = cr->kind,
					    .local_type_id = cr->type_id };
		struct core_result res;
		struct bb_err ce;
		char spec[192];
		int err;

		bb_err_clear(&ce);
		err = core_calc(ctx, &r, &res, &ce);
		if (!err)
			err = core_patch(pp->insns, p->insn_cnt, &r, &res, &ce);
		if (err) {
			if (res.local_spec[0])
				snprintf(spec, sizeof(spec), "%s", res.local_spec);
			else
				raw_spec_str(o, cr, spec, sizeof(spec));
			return obj_err(o, e, err, p->section, (int)cr->insn_off,
				       "prog '%s': CO-RE relocation [%zu] <%s> %s: %s", p->name, k,
				       bbtf_core_kind_str(cr->kind), spec, ce.msg);
		}
		out.target_type_id = res.targ_type_id;
		out.local_val = res.orig_val;
		out.target_val = res.new_val;
		out.poisoned = res.poison;
		snprintf(out.spec, sizeof(out.spec), "%s", res.local_spec);
		if (res.poison)
			snprintf(out.msg, sizeof(out.msg),
				 "prog '%s': insn %u: CO-RE relocation [%zu] <%s> %s: %s; "
				 "instruction poisoned", p->name, cr->insn_off, k,
				 bbtf_core_kind_str(cr->kind), res.local_spec, core_why_str(res.why));
		if ((opts->results && !bb_vec_push(opts->results, &out)) ||
		    (res.poison && opts->diags && !bb_vec_push(opts->diags, &out)))
			return obj_err(o, e, -ENOMEM, p->section, -1, "out of memory");
	}
	return 0;
}

int obj_core_relocate(struct obj *o, const struct obj_core_opts *opts_in, struct bb_err *e)
{
	struct obj_core_opts opts = { .sz = sizeof(opts) };
	struct bbtf *owned = NULL;
	const struct bbtf *target;
	struct core_ctx *ctx = NULL;
	size_t total = 0;
	int err = 0;

	/* obj_open may have left a location in @e; errors here set their own */
	bb_err_clear(e);
	if (!o)
		return bb_err_insn(e, -EINVAL, -1, "no object");
	/* A caller built against an older, smaller struct gets zeros for
	 * the fields it does not know. */
	if (opts_in) {
		if (opts_in->sz < sizeof(size_t))
			return obj_err(o, e, -EINVAL, NULL, -1, "obj_core_opts.sz %zu too small",
				       opts_in->sz);
		memcpy(&opts, opts_in, opts_in->sz < sizeof(opts) ? opts_in->sz : sizeof(opts));
	}
	if (opts.results && opts.results->elem != sizeof(struct obj_core_res))
		return obj_err(o, e, -EINVAL, NULL, -1, "results vector is not of struct obj_core_res");
	if (opts.diags && opts.diags->elem != sizeof(struct obj_core_res))
		return obj_err(o, e, -EINVAL, NULL, -1, "diags vector is not of struct obj_core_res");
	for (size_t i = 0; i < o->progs.len; i++)
		total += obj_progs(o)[i].core_relo_cnt;
	if (!total)
		return 0;
	if (!o->btf)
		return obj_err(o, e, -EINVAL, NULL, -1, "CO-RE relocations without .BTF");
	target = opts.target;
	if (!target) {
		err = bbtf_load_vmlinux(opts.target_btf_path, &owned, e);
		if (err)
			return err;
		target = owned;
	}
	err = core_ctx_new(o->btf, target, &ctx, e);
	for (size_t i = 0; !err && i < o->progs.len; i++)
		err = relocate_prog(o, i, ctx, &opts, e);
	if (err) {
		/* all or nothing: no program is left half relocated */
		for (size_t i = 0; i < o->progs.len; i++)
			restore_prog(o, i);
	}
	core_ctx_free(ctx);
	bbtf_free(owned);
	return err;
}
