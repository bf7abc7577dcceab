/* SPDX-License-Identifier: MIT */
/*
 * Verifier cases (tests/verifier/cases/ *.s), each run through our
 * verifier and loaded into the running kernel: both verdicts must equal
 * the expected one, and for a rejection the expected fragment must be in
 * our message and in the kernel's log.  A case marked "kernel-differs"
 * documents a disagreement: there the kernel's verdict must differ from
 * ours (so the note goes stale loudly when either side changes).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "btf/btf.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"
#include "verifier/vf.h"

/* tp_btf cases: the btf_trace_<attach> typedef in vmlinux BTF (0: none). */
static struct bbtf *vmlinux;

static uint32_t attach_btf_id(const struct vf_case *c)
{
	uint32_t id;

	if (!c->attach[0])
		return 0;
	if (!vmlinux)
		cr_assert_eq(bbtf_load_vmlinux(NULL, &vmlinux, NULL), 0, "no vmlinux BTF");
	id = vf_tp_btf_id(vmlinux, c->attach);
	cr_assert_gt(id, 0, "%s: no typedef btf_trace_%s", c->name, c->attach);
	return id;
}

/*
 * '# func_info' cases: the case's BTF (vf_case_btf: one FUNC per
 * subprogram, '# func:' prototypes) loaded into the kernel; @fi gets the
 * func_info records (up to VF_MAX_SUBPROGS) and *b the BTF our verifier is given.
 */
static int case_btf(const struct vf_case *c, struct bbtf **b, struct bpf_func_info *fi, size_t *nfi)
{
	struct vf_func_info vfi[VF_MAX_SUBPROGS];
	struct bb_err e;
	size_t size;
	const void *raw;
	int n, fd;

	bb_err_clear(&e);
	n = vf_case_btf(c, b, vfi, VF_MAX_SUBPROGS, &e);
	cr_assert_gt(n, 0, "%s: %s", c->name, e.msg);
	for (int i = 0; i < n; i++)
		fi[i] = (struct bpf_func_info){ .insn_off = vfi[i].insn_off, .type_id = vfi[i].type_id };
	*nfi = (size_t)n;
	raw = bbtf_raw_data(*b, &size);
	cr_assert_not_null(raw);
	{
		LDR_OPTS(ldr_btf_load_opts, bo);
		fd = ldr_btf_load(raw, size, &bo, &e);
	}
	cr_assert_geq(fd, 0, "%s: btf: %s", c->name, e.msg);
	return fd;
}

static int kernel_verdict(const struct vf_case *c, char **log)
{
	int fds[VF_CASE_MAX_MAPS], mbtf[VF_CASE_MAX_MAPS], fd, btf_fd = -1;
	struct ldr_log lg = { 0 };
	struct bb_err e;
	struct bpf_func_info fi[VF_MAX_SUBPROGS];
	size_t nfi = 0;

	*log = NULL;
	for (size_t m = 0; m < c->map_cnt; m++) {
		int ifd = -1;

		mbtf[m] = -1;

		if (c->maps[m].inner) {
			const struct vf_map *im = c->maps[m].inner;
			LDR_OPTS(ldr_map_create_opts, io, .map_type = im->type, .key_size = im->key_size,
				 .value_size = im->value_size, .max_entries = im->max_entries);
			ifd = ldr_map_create(&io, &e);
		}
		LDR_OPTS(ldr_map_create_opts, mo, .map_type = c->maps[m].type, .inner_map_fd = ifd,
			 .key_size = c->maps[m].key_size, .value_size = c->maps[m].value_size,
			 .max_entries = c->maps[m].max_entries, .map_flags = c->maps[m].flags,
			 .map_name = c->maps[m].name);
		if (c->maps[m].btf) {
			/* a value type with the struct bpf_spin_lock where the
			 * case says, so that the kernel knows the same */
			struct bbtf *mb;
			const void *raw;
			size_t size;
			int vid = vf_case_map_btf(&c->maps[m], &mb, &mo.btf_key_type_id);

			cr_assert_gt(vid, 0, "%s: map %zu: btf %d", c->name, m, vid);
			raw = bbtf_raw_data(mb, &size);
			{
				LDR_OPTS(ldr_btf_load_opts, bo);
				mbtf[m] = ldr_btf_load(raw, size, &bo, &e);
			}
			bbtf_free(mb);
			cr_assert_geq(mbtf[m], 0, "%s: map %zu: btf: %s", c->name, m, e.msg);
			mo.btf_fd = mbtf[m];
			mo.btf_value_type_id = (uint32_t)vid;
		}
		fds[m] = ldr_map_create(&mo, &e);
		if (ifd >= 0)
			ldr_obj_close(ifd);
		if (mbtf[m] >= 0)
			ldr_obj_close(mbtf[m]);
		cr_assert_geq(fds[m], 0, "%s: map %zu: %s", c->name, m, e.msg);
	}
	if (c->func_info) {
		struct bbtf *b;

		btf_fd = case_btf(c, &b, fi, &nfi);
		bbtf_free(b);
	}
	{
		LDR_OPTS(ldr_prog_load_opts, o, .prog_type = c->prog_type, .insns = c->insns,
			 .prog_btf_fd = btf_fd >= 0 ? btf_fd : 0, .func_info = nfi ? fi : NULL,
			 .func_info_cnt = nfi, .func_info_rec_size = sizeof(fi[0]),
			 .insn_cnt = c->n, .log_level = 1, .log = &lg, .fd_array = fds,
			 .prog_name = "vfcase", .expected_attach_type = c->expected_attach_type,
			 .attach_btf_id = attach_btf_id(c), .license = "GPL");
		fd = ldr_prog_load(&o, &e);
	}
	for (size_t m = 0; m < c->map_cnt; m++)
		ldr_obj_close(fds[m]);
	if (btf_fd >= 0)
		ldr_obj_close(btf_fd);
	if (fd >= 0)
		ldr_obj_close(fd);
	*log = lg.buf;
	return fd >= 0 ? 0 : fd;
}

Test(verifier_cases, every_case_matches_expectation_and_kernel, .timeout = 600)
{
	char dir[512], path[1024];
	struct dirent **names;
	int nf, total = 0, agree = 0, differs = 0, accepts = 0, failures = 0;
	bool kernel = true;
	struct bb_err pe;

	bb_err_clear(&pe);
	if (ldr_probe_bpf(&pe)) {
		kernel = false;
		cr_log_warn("bpf() refused (%s): kernel comparison skipped", pe.msg);
	}
	tu_repo_path("tests/verifier/cases", dir, sizeof(dir));
	nf = scandir(dir, &names, NULL, alphasort);
	cr_assert_gt(nf, 0, "no case directory %s", dir);
	for (int i = 0; i < nf; i++) {
		struct vf_case *cs;
		size_t cnt;
		char *text;
		struct bb_err e;
		size_t l = strlen(names[i]->d_name);

		/* VF_CASES=FILE.s runs one file (while writing cases) */
		if (l < 3 || strcmp(names[i]->d_name + l - 2, ".s") ||
		    (getenv("VF_CASES") && strcmp(getenv("VF_CASES"), names[i]->d_name))) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		bb_err_clear(&e);
		cr_assert_geq(bb_read_file(path, &text, &e), 0, "%s", e.msg);
		cr_assert_eq(vf_cases_parse(text, path, &cs, &cnt, &e), 0, "%s:%d: %s", path, e.line, e.msg);
		free(text);
		for (size_t k = 0; k < cnt; k++) {
			const struct vf_case *c = &cs[k];

			if (c->kfuncs) {
				if (!vmlinux)
					cr_assert_eq(bbtf_load_vmlinux(NULL, &vmlinux, NULL), 0, "no vmlinux BTF");
				cr_assert_eq(vf_case_kfuncs(&cs[k], vmlinux, &e), 0, "%s", e.msg);
			}
			struct vf_opts o = { .sz = sizeof(o), .prog_type = c->prog_type, .maps = c->maps,
				 .map_cnt = c->map_cnt, .log_level = 1,
				 .expected_attach_type = c->expected_attach_type,
				 .attach_btf_id = attach_btf_id(c), .func_info = c->func_info };
			struct vf_func_info vfi[VF_MAX_SUBPROGS];
			struct bbtf *prog_btf = NULL;
			struct vf_result r;
			bool ours_ok;
			char *klog = NULL;

			o.btf = o.attach_btf_id || c->kfuncs ? vmlinux : NULL;
			if (c->func_info) {
				int nfi = vf_case_btf(c, &prog_btf, vfi, VF_MAX_SUBPROGS, &e);

				cr_assert_gt(nfi, 0, "%s: %s", c->name, e.msg);
				o.prog_btf = prog_btf;
				o.func_infos = vfi;
				o.func_info_cnt = (size_t)nfi;
			}

			total++;
			cr_assert(c->has_expect, "%s: case '%s' has no '# expect:'", path, c->name);
			vf_verify(c->insns, c->n, &o, &r, NULL);
			ours_ok = r.err == 0;
			accepts += ours_ok;
			/* the fragment may be a line the kernel logs before its
			 * last one ("R1 is not a scalar" before "Caller passes
			 * invalid args ..."): our log has those lines too */
			if (ours_ok != c->expect_accept ||
			    (!ours_ok && c->fragment[0] && !strstr(r.msg, c->fragment) &&
			     (!r.log || !strstr(r.log, c->fragment)))) {
				cr_log_error("%s: case '%s': expected %s '%s', we said %s: insn %d: %s", path,
					     c->name, c->expect_accept ? "accept" : "reject", c->fragment,
					     ours_ok ? "accept" : "reject", r.insn, r.msg);
				failures++;
			}
			if (kernel) {
				int kv = kernel_verdict(c, &klog);
				bool k_ok = kv == 0;

				if (c->kernel_differs[0]) {
					if (k_ok == ours_ok) {
						cr_log_error("%s: case '%s': marked kernel-differs but the kernel agrees (%s)",
							     path, c->name, k_ok ? "accept" : "reject");
						failures++;
					}
					differs++;
				} else if (k_ok != ours_ok) {
					cr_log_error("%s: case '%s': we %s (%s), the kernel %s:\n%s", path, c->name,
						     ours_ok ? "accept" : "reject", r.msg,
						     k_ok ? "accepts" : "rejects", klog ? klog : "");
					failures++;
				} else if (!k_ok && c->fragment[0] && (!klog || !strstr(klog, c->fragment))) {
					cr_log_error("%s: case '%s': kernel log lacks '%s':\n%s", path, c->name,
						     c->fragment, klog ? klog : "");
					failures++;
				} else {
					agree++;
				}
				free(klog);
			}
			vf_result_free(&r);
			bbtf_free(prog_btf);
		}
		vf_cases_free(cs, cnt);
	}
	free(names);
	bbtf_free(vmlinux);
	vmlinux = NULL;
	cr_log_info("verifier cases: %d total, %d accepted, %d agree with the kernel, %d documented differences",
		    total, accepts, agree, differs);
	printf("verifier cases: %d total (%d accept, %d reject); kernel: %d agree, %d documented exceptions%s\n",
	       total, accepts, total - accepts, agree, differs, kernel ? "" : " (kernel comparison skipped)");
	cr_assert_eq(failures, 0, "%d case failures (see above)", failures);
}
