/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_reloc.c - RECORD the relocations of every code section.  Nothing
 * is patched here: each .rel<section> entry becomes a struct obj_reloc
 * that says what the instruction refers to (a map, a spot in global data,
 * a function, an extern); obj_link.c applies them per program.
 *
 * What clang emits (llvm/docs/CodeGenerator, BPF relocations):
 *   R_BPF_64_64 on ld_imm64   S + A, A = the instruction's imm in bytes:
 *                             a map symbol, a global variable (S = its
 *                             offset) or a section symbol (A = offset), a
 *                             function (callback address for bpf_loop)
 *   R_BPF_64_32 on call       (S + A) / 8 - 1, A = (imm + 1) * 8: a global
 *                             function has imm -1, a static one is called
 *                             through its section symbol with imm = its
 *                             instruction index - 1
 *   R_BPF_64_ABS64/ABS32      data (.maps `values` slots: obj_maps.c)
 *   R_BPF_64_NODYLD32         .BTF/.BTF.ext: for linkers, ignored
 * Calls inside one section may come without a relocation (imm already
 * relative); those are found by scanning the code.
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <string.h>

static int find_extern(const struct obj *o, size_t sym)
{
	for (size_t i = 0; i < o->externs.len; i++)
		if (obj_externs(o)[i].sym == sym)
			return (int)i;
	return -ENOENT;
}

static int map_by_offset(const struct obj *o, uint32_t sec, uint64_t off)
{
	for (size_t i = 0; i < o->maps.len; i++) {
		const struct obj_map_priv *p = &obj_map_privs(o)[i];

		if (obj_maps(o)[i].kind == OBJ_MAP_USER && p->sec_idx == sec && p->sec_off == off)
			return (int)i;
	}
	return -ENOENT;
}

/* Target instruction @t of code section @ts must start a function. */
static int mark_called(struct obj *o, const struct obj_sec *from, uint32_t insn,
		       const struct obj_sec *ts, int64_t t, struct bb_err *e)
{
	struct obj_func *f;

	if (t < 0 || (uint64_t)t >= ts->size / 8)
		return obj_err(o, e, -EINVAL, from->name, (int)insn,
			       "call or callback target %lld is outside section '%s' (%zu insns)",
			       (long long)t, ts->name, ts->size / 8);
	f = obj_func_at(o, ts->idx, (uint32_t)t);
	if (!f)
		return obj_err(o, e, -EINVAL, from->name, (int)insn,
			       "call or callback target insn %lld of '%s' is not the start of a function",
			       (long long)t, ts->name);
	f->called = true;
	return 0;
}

static int record_one(struct obj *o, const struct obj_sec *rs, struct obj_sec *ts, size_t r,
		      struct bb_err *e)
{
	const struct isa_raw *code = (const struct isa_raw *)ts->data;
	size_t n = ts->size / 8, symi;
	struct obj_reloc rec = { .sec_idx = ts->idx, .target = -1 };
	const struct obj_sym *y;
	const struct obj_sec *ys;
	struct isa_insn in;
	struct bb_err de;
	Elf64_Rel rel;
	uint32_t insn;
	int fmt, err;

	memcpy(&rel, rs->data + r * sizeof(rel), sizeof(rel));
	rec.elf_type = (uint32_t)ELF64_R_TYPE(rel.r_info);
	if (rec.elf_type == OBJ_R_BPF_NONE)
		return 0;
	if (rel.r_offset % 8 || rel.r_offset >= ts->size)
		return obj_err(o, e, -EINVAL, ts->name, -1,
			       "relocation %zu: offset %llu is not an instruction of the section (%zu bytes)",
			       r, (unsigned long long)rel.r_offset, ts->size);
	insn = (uint32_t)(rel.r_offset / 8);
	rec.insn = insn;
	symi = ELF64_R_SYM(rel.r_info);
	if (!symi || symi >= o->nsyms)
		return obj_err(o, e, -EINVAL, ts->name, (int)insn,
			       "relocation against symbol index %zu, out of range (%zu symbols)", symi,
			       o->nsyms);
	y = &o->syms[symi];
	rec.sym = y->name;
	/* The error record only for the message: clearing its 0.5 KiB
	 * per relocation was a tenth of recording them. */
	err = isa_decode(code, n, insn, &in, NULL);
	if (err < 0) {
		bb_err_clear(&de);
		isa_decode(code, n, insn, &in, &de);
		return obj_err(o, e, -EINVAL, ts->name, (int)insn,
			       "relocation against '%s' at an undecodable instruction: %s", y->name,
			       de.msg);
	}
	fmt = isa_rows[in.op].fmt;
	if (ts->rel_at[insn])
		return obj_err(o, e, -EINVAL, ts->name, (int)insn,
			       "two relocations on one instruction ('%s')", y->name);

	if (fmt == ISA_FMT_LDDW) {
		if (rec.elf_type != OBJ_R_BPF_64_64)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "relocation type %u against '%s' on ld_imm64, expected R_BPF_64_64",
				       rec.elf_type, y->name);
		if (in.src)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "relocated ld_imm64 against '%s' already has src %u", y->name, in.src);
		if (y->shndx == SHN_UNDEF) {
			rec.kind = OBJ_RELOC_EXTERN_VAR;
			rec.target = find_extern(o, symi);
			if (rec.target < 0)
				return obj_err(o, e, -ENOENT, ts->name, (int)insn,
					       "relocation against undefined symbol '%s'", y->name);
			goto push;
		}
		ys = obj_sec_at(o, y->shndx);
		if (!ys || y->shndx >= SHN_LORESERVE)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "relocation against '%s' in special section %u", y->name, y->shndx);
		rec.target_sec = ys->idx;
		if (ys->role == OBJ_SEC_PROG) {
			int64_t byte = (int64_t)y->value + in.imm;

			rec.kind = OBJ_RELOC_FUNC;
			if (byte % 8)
				return obj_err(o, e, -EINVAL, ts->name, (int)insn,
					       "callback '%s' at byte offset %lld is not instruction-aligned",
					       y->name, (long long)byte);
			rec.target = (int)(byte / 8);
			err = mark_called(o, ts, insn, ys, byte / 8, e);
			if (err)
				return err;
		} else if (ys->role == OBJ_SEC_MAPS_LEGACY || ys->role == OBJ_SEC_MAPS_BTF) {
			uint64_t off = y->value + (y->type == STT_SECTION ? (uint64_t)(int64_t)in.imm : 0);

			rec.kind = OBJ_RELOC_MAP;
			rec.target = map_by_offset(o, ys->idx, off);
			if (rec.target < 0)
				return obj_err(o, e, -EINVAL, ts->name, (int)insn,
					       "relocation against '%s': no map defined at offset %llu of '%s'",
					       y->name, (unsigned long long)off, ys->name);
		} else if (ys->role == OBJ_SEC_DATA || ys->role == OBJ_SEC_RODATA ||
			   ys->role == OBJ_SEC_BSS) {
			int64_t off = (int64_t)y->value + in.imm;

			rec.kind = OBJ_RELOC_MAP_VALUE;
			if (ys->map < 0 || off < 0 || (uint64_t)off >= ys->size)
				return obj_err(o, e, -EINVAL, ts->name, (int)insn,
					       "relocation against '%s': offset %lld outside '%s' (%zu bytes)",
					       y->name, (long long)off, ys->name, ys->size);
			rec.target = ys->map;
			rec.offset = (uint64_t)off;
		} else {
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "relocation against '%s' in section '%s', which is not code, a map or global data",
				       y->name, ys->name);
		}
	} else if (fmt == ISA_FMT_CALL_LOCAL) {
		if (rec.elf_type != OBJ_R_BPF_64_32)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "relocation type %u against '%s' on a call, expected R_BPF_64_32",
				       rec.elf_type, y->name);
		if (y->shndx == SHN_UNDEF) {
			rec.kind = OBJ_RELOC_KFUNC;
			rec.target = find_extern(o, symi);
			if (rec.target < 0 || obj_externs(o)[rec.target].pub.kind != OBJ_EXTERN_KFUNC)
				return obj_err(o, e, -ENOENT, ts->name, (int)insn,
					       "call to undefined function '%s' (not a __ksym kfunc)",
					       y->name);
			goto push;
		}
		ys = obj_sec_at(o, y->shndx);
		if (!ys || y->shndx >= SHN_LORESERVE || ys->role != OBJ_SEC_PROG)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "call to '%s', which is not in a code section", y->name);
		if (y->value % 8)
			return obj_err(o, e, -EINVAL, ts->name, (int)insn,
				       "call to '%s' at unaligned offset %llu", y->name,
				       (unsigned long long)y->value);
		rec.kind = OBJ_RELOC_CALL;
		rec.target_sec = ys->idx;
		{
			int64_t t = (int64_t)(y->value / 8) + in.imm + 1;

			err = mark_called(o, ts, insn, ys, t, e);
			if (err)
				return err;
			rec.target = (int)t;
		}
	} else {
		return obj_err(o, e, -EINVAL, ts->name, (int)insn,
			       "relocation against '%s' on '%s', which is neither ld_imm64 nor a call",
			       y->name, isa_rows[in.op].name);
	}
push:
	if (!bb_vec_push(&o->relocs, &rec))
		return obj_err(o, e, -ENOMEM, ts->name, (int)insn, "out of memory");
	ts->rel_at[insn] = (uint32_t)o->relocs.len;
	return 0;
}

/* Calls and callbacks within one section that need no relocation. */
static int scan_local_calls(struct obj *o, struct obj_sec *ts, struct bb_err *e)
{
	const struct isa_raw *code = (const struct isa_raw *)ts->data;
	size_t n = ts->size / 8;

	for (size_t pc = 0; pc < n;) {
		struct isa_insn in;
		int fmt, slots;

		if (!obj_may_call_or_lddw(&code[pc])) {
			pc++;
			continue;
		}
		slots = isa_decode(code, n, pc, &in, NULL);

		if (slots < 0) {
			/* The verifier will name it; linking only needs calls. */
			pc++;
			continue;
		}
		fmt = isa_rows[in.op].fmt;
		if (!ts->rel_at[pc] && ((fmt == ISA_FMT_CALL_LOCAL) ||
					(fmt == ISA_FMT_LDDW && in.src == ISA_PSEUDO_FUNC))) {
			int err = mark_called(o, ts, (uint32_t)pc, ts, (int64_t)pc + in.imm + 1, e);

			if (err)
				return err;
		}
		pc += (size_t)slots;
	}
	return 0;
}

int obj_record_relocs(struct obj *o, struct bb_err *e)
{
	int err;

	for (size_t i = 1; i < o->nsecs; i++) {
		const struct obj_sec *rs = &o->secs[i];
		struct obj_sec *ts;

		if (rs->sh_type != SHT_REL && rs->sh_type != SHT_RELA)
			continue;
		ts = obj_sec_at(o, rs->sh_info);
		if (!ts || !rs->sh_info)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "relocates section %u, which does not exist", rs->sh_info);
		if (ts->role != OBJ_SEC_PROG || !ts->size)
			continue;       /* .rel.BTF, .rel.debug_*: for linkers */
		if (rs->sh_type == SHT_RELA)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "RELA relocations are not used by BPF objects");
		if (rs->sh_link != o->symtab_idx)
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "links to section %u, not the symbol table", rs->sh_link);
		if (rs->size % sizeof(Elf64_Rel) || (rs->size && !rs->data))
			return obj_err(o, e, -EINVAL, rs->name, -1,
				       "size %zu is not a whole number of relocations", rs->size);
		/* Room for the section's records at once, not by doubling. */
		if (bb_vec_reserve(&o->relocs, o->relocs.len + rs->size / sizeof(Elf64_Rel)))
			return obj_err(o, e, -ENOMEM, rs->name, -1, "out of memory");
		for (size_t r = 0; r < rs->size / sizeof(Elf64_Rel); r++)
			if ((err = record_one(o, rs, ts, r, e)))
				return err;
	}
	for (size_t i = 1; i < o->nsecs; i++)
		if (o->secs[i].role == OBJ_SEC_PROG && o->secs[i].size &&
		    (err = scan_local_calls(o, &o->secs[i], e)))
			return err;
	return 0;
}
