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

/* vmlinux BTF (loaded once by the test) for vf_obj_prog_setup() */
static const void *give_vmlinux(void *arg) { return arg; }

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
			struct vf_obj_prog vp;
			struct vf_result r;
			bool ours, theirs;
			const char *why;

			cr_assert_not_null(kp);
			/* set up as the CLI does: maps, func_info, tp_btf and kfuncs */
			cr_assert_eq(vf_obj_prog_setup(o, i, give_vmlinux, vmlinux, &vp, &e), 0,
				     "%s: %s: %s", path, p->name, e.msg);
			vf_verify(vp.insns, vp.n, &vp.opts, &r, NULL);
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
			vf_obj_prog_free(&vp);
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
