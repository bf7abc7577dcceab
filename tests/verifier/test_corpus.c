/* SPDX-License-Identifier: MIT */
/*
 * Every corpus object (build/corpus, `make corpus`): our verdict for each
 * program must equal the kernel's (ldr_obj_load with keep_going), with
 * our processed-instruction count printed beside the kernel's.  The
 * programs listed in `exceptions` use constructs we refuse as "not
 * modelled yet" (or model less precisely); each entry says why, and the
 * test fails if an exception stops being one.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf/btf.h"
#include "elf/obj.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"
#include "verifier/vf.h"

static const struct { const char *prog; const char *why; } exceptions[] = {
	{ "unlink_entry", "the kernel refuses the fentry load here with EPERM before verifying it; we verify its code (args as scalars)" },
	{ "unlink_exit", "the kernel refuses the fexit load here with EPERM before verifying it; we verify its code (args as scalars)" },
};

static const char *exception(const char *prog)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(exceptions); i++)
		if (!strcmp(exceptions[i].prog, prog))
			return exceptions[i].why;
	return NULL;
}

static unsigned long processed_in(const char *log)
{
	const char *p = log ? strstr(log, "processed ") : NULL;

	return p ? strtoul(p + 10, NULL, 10) : 0;
}

Test(verifier_corpus, verdicts_match_kernel, .timeout = 600)
{
	char dir[512], path[1024];
	DIR *d;
	struct dirent *de;
	struct bb_err e;
	int progs = 0, agree = 0, documented = 0, failures = 0;
	struct bbtf *vmlinux = NULL;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e)) {
		printf("verifier corpus: bpf() refused (%s): skipped\n", e.msg);
		cr_skip_test("bpf() refused");
	}
	if (bbtf_load_vmlinux(NULL, &vmlinux, NULL))
		vmlinux = NULL;         /* tp_btf arguments stay scalars */
	tu_repo_path("build/corpus", dir, sizeof(dir));
	d = opendir(dir);
	if (!d) {
		printf("verifier corpus: %s missing (run `make corpus`): skipped\n", dir);
		cr_skip_test("no corpus");
	}
	while ((de = readdir(d))) {
		struct obj *o, *ko;
		struct ldr_obj *lo = NULL;
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		cr_assert_eq(obj_open_file(path, NULL, &o, &e), 0, "%s", e.msg);
		cr_assert_eq(obj_open_file(path, NULL, &ko, &e), 0, "%s", e.msg);
		{
			LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true, .log_level = 1);
			int r = ldr_obj_load(ko, &lopts, &lo, &e);

			cr_assert_geq(r, 0, "%s: %s", path, e.msg);
		}
		obj_resolve_externs(o, NULL, NULL);
		for (size_t i = 0; i < obj_prog_count(o); i++) {
			const struct obj_prog *p = obj_prog(o, i);
			const struct ldr_obj_prog *kp = ldr_obj_prog(lo, (size_t)ldr_obj_prog_by_name(lo, p->name));
			struct vf_map maps[64], inner[64];
			size_t nm = obj_map_count(o);
			struct isa_raw *insns;
			struct vf_result r;
			long n;
			bool ours, theirs;
			const char *why;

			cr_assert_not_null(kp);
			cr_assert_leq(nm, 64);
			for (size_t m = 0; m < nm; m++) {
				const struct obj_map *om = obj_map(o, m);

				maps[m] = (struct vf_map){ .name = om->kname, .type = om->type,
							   .key_size = om->key_size,
							   .value_size = om->value_size,
							   .max_entries = om->max_entries,
							   .flags = om->map_flags };
				cr_assert_eq(vf_map_btf_fields(&maps[m], obj_btf(o), om->btf_value_type_id), 0);
				if (om->inner) {
					inner[m] = (struct vf_map){ .type = om->inner->type,
						.key_size = om->inner->key_size, .value_size = om->inner->value_size,
						.max_entries = om->inner->max_entries, .flags = om->inner->map_flags };
					maps[m].inner = &inner[m];
				}
			}
			n = obj_prog_insns(o, i, NULL, 0, &insns, &e);
			cr_assert_geq(n, 0, "%s: %s: %s", path, p->name, e.msg);
			{
				struct vf_opts vo = { .sz = sizeof(vo), .prog_type = p->prog_type,
						      .expected_attach_type = p->expected_attach_type,
						      .maps = maps, .map_cnt = nm, .btf = vmlinux,
						      .attach_btf_id = kp->attach_btf_id,
						      .func_info = p->func_info_cnt > 0 };
				struct vf_func_info *fi = calloc(p->func_info_cnt + 1, sizeof(*fi));

				cr_assert_not_null(fi);
				/* global functions are verified from their BTF prototypes */
				for (size_t k = 0; k < p->func_info_cnt; k++)
					fi[k] = (struct vf_func_info){ p->func_info[k].insn_off,
								       p->func_info[k].type_id };
				if (p->func_info_cnt && obj_btf(o)) {
					vo.prog_btf = obj_btf(o);
					vo.func_infos = fi;
					vo.func_info_cnt = p->func_info_cnt;
				}
				vf_verify(insns, (size_t)n, &vo, &r, NULL);
				free(fi);
			}
			ours = r.err == 0;
			theirs = kp->err == 0;
			why = exception(p->name);
			progs++;
			printf("  %-28s %-26s ours %-6s (%6llu insns)  kernel %-6s (%6lu insns)%s%s\n",
			       de->d_name, p->name, ours ? "accept" : "reject",
			       (unsigned long long)r.processed, theirs ? "accept" : "reject",
			       processed_in(kp->log.buf), why ? "  [exception: " : "", why ? why : "");
			if (why) {
				documented++;
				if (ours == theirs) {
					cr_log_error("%s: %s: documented exception but verdicts agree", path, p->name);
					failures++;
				}
			} else if (ours != theirs) {
				cr_log_error("%s: %s: we %s (insn %d: %s), the kernel %s (%s)", path, p->name,
					     ours ? "accept" : "reject", r.insn, r.msg,
					     theirs ? "accepts" : "rejects", kp->error.msg);
				failures++;
			} else {
				agree++;
			}
			vf_result_free(&r);
			free(insns);
		}
		ldr_obj_free(lo);
		obj_free(o);
		obj_free(ko);
	}
	closedir(d);
	bbtf_free(vmlinux);
	printf("verifier corpus: %d programs, %d agree with the kernel, %d documented exceptions\n",
	       progs, agree, documented);
	cr_assert_eq(failures, 0, "%d corpus disagreements", failures);
}
