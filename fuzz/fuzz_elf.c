/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a BPF ELF object (obj_open_mem),
 * which also parses .BTF/.BTF.ext when present and links every program.
 * A failure must say why; a success must give consistent programs.
 */
#include <stdlib.h>
#include <string.h>

#include "elf/obj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obj *o = NULL;
	struct bb_err e;
	int err;

	err = obj_open_mem(data, size, NULL, &o, &e);
	if (err) {
		if (o || !e.msg[0] || e.code != err)
			abort();        /* failure leaves nothing and says why */
		return 0;
	}
	for (size_t i = 0; i < obj_prog_count(o); i++) {
		const struct obj_prog *p = obj_prog(o, i);
		struct isa_raw *insns = NULL;
		long n;

		for (size_t k = 0; k < p->map_ref_cnt; k++)
			if (p->map_refs[k].insn + 1 >= p->insn_cnt ||
			    p->map_refs[k].map >= obj_map_count(o))
				abort();
		n = obj_prog_insns(o, i, NULL, 0, &insns, &e);
		if (n >= 0 && (size_t)n != p->insn_cnt)
			abort();
		free(insns);
	}
	obj_free(o);
	return 0;
}
