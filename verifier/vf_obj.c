/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_obj.c - verifier options for a program of an ELF object, the
 * way the loader would load it.  The CLI, the corpus test and the bench
 * verify objects; they all set the program up here, so they verify the
 * same thing (maps with their spin locks, func_info for global
 * functions, tp_btf targets and kfunc calls against vmlinux).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "verifier/vf.h"

bool vf_calls_kfuncs(const struct isa_raw *insns, size_t n)
{
	for (size_t pc = 0; pc < n; pc++)
		if (isa_lookup(&insns[pc]) == ISA_OP_CALL_KFUNC)
			return true;
	return false;
}

uint32_t vf_tp_btf_id(const void *vmlinux, const char *tp)
{
	char name[160];
	int id;

	if (!vmlinux || !tp || !*tp)
		return 0;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = bbtf_find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF);
	return id > 0 ? (uint32_t)id : 0;
}

int vf_obj_prog_setup(const struct obj *o, size_t idx,
		      const void *(*get_vmlinux)(void *arg), void *arg,
		      struct vf_obj_prog *out, struct bb_err *e)
{
	const struct obj_prog *p = obj_prog(o, idx);
	size_t nm = obj_map_count(o);
	const struct bbtf *vmlinux = NULL;
	long n;

	memset(out, 0, sizeof(*out));
	if (!p)
		return bb_err_insn(e, -EINVAL, -1, "no program %zu", idx);
	n = obj_prog_insns(o, idx, NULL, 0, &out->insns, e);
	if (n < 0)
		return (int)n;
	out->n = (size_t)n;
	out->maps = calloc(nm + 1, sizeof(*out->maps));
	out->inner = calloc(nm + 1, sizeof(*out->inner));
	out->func_infos = calloc(p->func_info_cnt + 1, sizeof(*out->func_infos));
	if (!out->maps || !out->inner || !out->func_infos) {
		vf_obj_prog_free(out);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	for (size_t m = 0; m < nm; m++) {
		const struct obj_map *om = obj_map(o, m);

		out->maps[m] = (struct vf_map){ .name = om->kname, .type = om->type,
						.key_size = om->key_size, .value_size = om->value_size,
						.max_entries = om->max_entries, .flags = om->map_flags };
		/* where the value's bpf_spin_lock is (the map is created with
		 * this BTF value type) */
		if (vf_map_btf_fields(&out->maps[m], obj_btf(o), om->btf_value_type_id)) {
			vf_obj_prog_free(out);
			return bb_err_insn(e, -EINVAL, -1, "map '%s': more than one bpf_spin_lock in its value",
					  om->name);
		}
		if (om->inner) {
			out->inner[m] = (struct vf_map){ .type = om->inner->type,
				.key_size = om->inner->key_size, .value_size = om->inner->value_size,
				.max_entries = om->inner->max_entries, .flags = om->inner->map_flags };
			out->maps[m].inner = &out->inner[m];
		}
	}
	for (size_t k = 0; k < p->func_info_cnt; k++)
		out->func_infos[k] = (struct vf_func_info){ p->func_info[k].insn_off,
							    p->func_info[k].type_id };
	if ((p->prog_type == BPF_PROG_TYPE_TRACING || vf_calls_kfuncs(out->insns, out->n)) && get_vmlinux)
		vmlinux = get_vmlinux(arg);
	out->opts = (struct vf_opts){
		.sz = sizeof(out->opts), .prog_type = p->prog_type,
		.expected_attach_type = p->expected_attach_type,
		.maps = out->maps, .map_cnt = nm,
		.attach_btf_id = p->prog_type == BPF_PROG_TYPE_TRACING &&
				 p->expected_attach_type == BPF_TRACE_RAW_TP
				 ? vf_tp_btf_id(vmlinux, p->attach.target) : 0,
		.func_info = p->func_info_cnt > 0,
	};
	out->opts.btf = vmlinux;
	if (p->func_info_cnt && obj_btf(o)) {
		out->opts.prog_btf = obj_btf(o);
		out->opts.func_infos = out->func_infos;
		out->opts.func_info_cnt = p->func_info_cnt;
	}
	return 0;
}

void vf_obj_prog_free(struct vf_obj_prog *p)
{
	if (!p)
		return;
	free(p->insns);
	free(p->maps);
	free(p->inner);
	free(p->func_infos);
	memset(p, 0, sizeof(*p));
}
