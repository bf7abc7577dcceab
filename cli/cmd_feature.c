/* SPDX-License-Identifier: MIT */
/*
 * barebpf feature [probe [kernel]] [full] [-j] - what this kernel's BPF
 * can do, in the shape of `bpftool feature probe`: program types, map
 * types, helpers per program type, attach types, BTF kinds, and counts.
 * Every line is the answer of a real bpf() call (probe/).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "isa/isa.h"
#include "loader/ldr.h"
#include "probe/probe.h"

static void help_feature(void)
{
	printf("usage: barebpf feature [probe [kernel]] [full] [-j|--json] [--no-helpers]\n\n"
	       "Probe the running kernel the way `bpftool feature probe` does: load a\n"
	       "minimal program of each program type, create a minimal map of each map\n"
	       "type, load a program calling each helper for every available program\n"
	       "type (\"unknown func\" / \"cannot use helper\" in the verifier log mean\n"
	       "no), load with each expected attach type, create each link type up to\n"
	       "the kernel's lookup of a target that cannot exist, load a small BTF per kind.\n\n"
	       "  full          also list the helpers that are NOT available\n"
	       "  --no-helpers  skip the helper scan\n"
	       "  -j, --json    JSON output\n");
}

struct feat_counts {
	int prog, prog_n, map, map_n, attach, attach_n, link, link_n, btf, btf_n;
};

/* "is available" / "is NOT available", with the kernel's reason. */
static void line(const char *what, const char *name, int ok, const struct bb_err *e)
{
	char buf[512];

	if (ok == 1)
		printf("eBPF %s %s is available\n", what, name);
	else
		printf("eBPF %s %s is NOT available (%s)\n", what, name,
		       bb_err_str(e, buf, sizeof(buf)));
}

static int feature_text(struct prb_cache *c, bool helpers, bool full, struct feat_counts *n)
{
	struct bb_err e;

	printf("Scanning eBPF program types...\n");
	for (uint32_t t = 1; t <= PRB_PROG_TYPE_MAX; t++) {
		int ok;

		bb_err_clear(&e);
		ok = prb_prog_type(c, t, &e);
		if (ok < 0)
			return cli_fail("feature", &e);
		n->prog += ok;
		n->prog_n++;
		line("program_type", ldr_prog_type_str(t), ok, &e);
	}
	printf("\nScanning eBPF map types...\n");
	for (uint32_t t = 1; t <= PRB_MAP_TYPE_MAX; t++) {
		int ok;

		bb_err_clear(&e);
		ok = prb_map_type(c, t, &e);
		if (ok < 0)
			return cli_fail("feature", &e);
		n->map += ok;
		n->map_n++;
		line("map_type", ldr_map_type_str(t), ok, &e);
	}
	printf("\nScanning eBPF attach types (program loads with this expected_attach_type)...\n");
	for (uint32_t t = 0; t <= PRB_ATTACH_TYPE_MAX; t++) {
		int ok;

		bb_err_clear(&e);
		ok = prb_attach_type(c, t, &e);
		if (ok < 0)
			return cli_fail("feature", &e);
		n->attach += ok;
		n->attach_n++;
		line("attach_type", prb_attach_type_str(t), ok, &e);
	}
	printf("\nScanning eBPF link types (BPF_LINK_CREATE up to the target lookup)...\n");
	for (uint32_t t = 1; t <= PRB_LINK_TYPE_MAX; t++) {
		int ok;

		bb_err_clear(&e);
		ok = prb_link_type(c, t, &e);
		if (ok == -EOPNOTSUPP) {
			printf("eBPF link_type %s is not probed (%s)\n", prb_link_type_str(t), e.msg);
			continue;
		}
		if (ok < 0)
			return cli_fail("feature", &e);
		n->link += ok;
		n->link_n++;
		line("link_type", prb_link_type_str(t), ok, &e);
	}
	printf("\nScanning BTF kinds...\n");
	for (int k = 1; k <= PRB_BTF_KIND_MAX; k++) {
		int ok;

		bb_err_clear(&e);
		ok = prb_btf_kind(c, k, &e);
		if (ok < 0)
			return cli_fail("feature", &e);
		n->btf += ok;
		n->btf_n++;
		printf("BTF kind %s is %savailable\n", bbtf_kind_str(k), ok ? "" : "NOT ");
	}
	if (helpers) {
		printf("\nScanning eBPF helper functions...\n");
		for (uint32_t t = 1; t <= PRB_PROG_TYPE_MAX; t++) {

			printf("eBPF helpers supported for program type %s:", ldr_prog_type_str(t));
			for (int32_t h = 1; h <= PRB_HELPER_MAX; h++) {
				int ok;

				if (!isa_helper_name(h))
					continue;
				bb_err_clear(&e);
				ok = prb_helper(c, t, h, &e);
				if (ok == -EOPNOTSUPP) {
					printf(" (%s)", e.msg);
					break;
				}
				if (ok < 0) {
					printf("\n");
					return cli_fail("feature", &e);
				}
				if (ok || full)
					printf("\n\t- bpf_%s%s", isa_helper_name(h),
					       ok ? "" : " (NOT available)");
			}
			printf("\n");
		}
	}
	printf("\nSummary: %d/%d program types, %d/%d map types, %d/%d attach types, "
	       "%d/%d link types (of those probed), %d/%d BTF kinds available\n", n->prog,
	       n->prog_n, n->map, n->map_n, n->attach, n->attach_n, n->link, n->link_n, n->btf,
	       n->btf_n);
	return 0;
}

static int feature_json(struct prb_cache *c, bool helpers)
{
	struct feat_counts n = { 0 };
	struct cli_json j;
	char key[96];

	cli_json_init(&j, stdout, false);
	cli_json_obj(&j);
	cli_json_key(&j, "program_types");
	cli_json_obj(&j);
	for (uint32_t t = 1; t <= PRB_PROG_TYPE_MAX; t++) {
		int ok = prb_prog_type(c, t, NULL) == 1;

		snprintf(key, sizeof(key), "have_%s_prog_type", ldr_prog_type_str(t));
		cli_json_kbool(&j, key, ok);
		n.prog += ok;
		n.prog_n++;
	}
	cli_json_obj_end(&j);
	cli_json_key(&j, "map_types");
	cli_json_obj(&j);
	for (uint32_t t = 1; t <= PRB_MAP_TYPE_MAX; t++) {
		int ok = prb_map_type(c, t, NULL) == 1;

		snprintf(key, sizeof(key), "have_%s_map_type", ldr_map_type_str(t));
		cli_json_kbool(&j, key, ok);
		n.map += ok;
		n.map_n++;
	}
	cli_json_obj_end(&j);
	cli_json_key(&j, "attach_types");
	cli_json_obj(&j);
	for (uint32_t t = 0; t <= PRB_ATTACH_TYPE_MAX; t++) {
		int ok = prb_attach_type(c, t, NULL) == 1;

		snprintf(key, sizeof(key), "have_%s_attach_type", prb_attach_type_str(t));
		cli_json_kbool(&j, key, ok);
		n.attach += ok;
		n.attach_n++;
	}
	cli_json_obj_end(&j);
	cli_json_key(&j, "link_types");
	cli_json_obj(&j);
	for (uint32_t t = 1; t <= PRB_LINK_TYPE_MAX; t++) {
		int ok = prb_link_type(c, t, NULL);

		if (ok == -EOPNOTSUPP)
			continue;       /* not probeable: absent, not false */
		snprintf(key, sizeof(key), "have_%s_link_type", prb_link_type_str(t));
		cli_json_kbool(&j, key, ok == 1);
		n.link += ok == 1;
		n.link_n++;
	}
	cli_json_obj_end(&j);
	cli_json_key(&j, "btf_kinds");
	cli_json_obj(&j);
	for (int k = 1; k <= PRB_BTF_KIND_MAX; k++) {
		int ok = prb_btf_kind(c, k, NULL) == 1;

		snprintf(key, sizeof(key), "have_btf_kind_%s", bbtf_kind_str(k));
		cli_json_kbool(&j, key, ok);
		n.btf += ok;
		n.btf_n++;
	}
	cli_json_obj_end(&j);
	if (helpers) {
		cli_json_key(&j, "helpers");
		cli_json_obj(&j);
		for (uint32_t t = 1; t <= PRB_PROG_TYPE_MAX; t++) {
			if (prb_prog_type(c, t, NULL) != 1 || prb_helper(c, t, 1, NULL) == -EOPNOTSUPP)
				continue;
			snprintf(key, sizeof(key), "%s_available_helpers", ldr_prog_type_str(t));
			cli_json_key(&j, key);
			cli_json_arr(&j);
			for (int32_t h = 1; h <= PRB_HELPER_MAX; h++) {
				char name[96];

				if (!isa_helper_name(h) || prb_helper(c, t, h, NULL) != 1)
					continue;
				snprintf(name, sizeof(name), "bpf_%s", isa_helper_name(h));
				cli_json_str(&j, name);
			}
			cli_json_arr_end(&j);
		}
		cli_json_obj_end(&j);
	}
	cli_json_key(&j, "counts");
	cli_json_obj(&j);
	cli_json_ku64(&j, "program_types_available", (uint64_t)n.prog);
	cli_json_ku64(&j, "program_types_probed", (uint64_t)n.prog_n);
	cli_json_ku64(&j, "map_types_available", (uint64_t)n.map);
	cli_json_ku64(&j, "map_types_probed", (uint64_t)n.map_n);
	cli_json_ku64(&j, "attach_types_available", (uint64_t)n.attach);
	cli_json_ku64(&j, "attach_types_probed", (uint64_t)n.attach_n);
	cli_json_ku64(&j, "link_types_available", (uint64_t)n.link);
	cli_json_ku64(&j, "link_types_probed", (uint64_t)n.link_n);
	cli_json_ku64(&j, "btf_kinds_available", (uint64_t)n.btf);
	cli_json_ku64(&j, "btf_kinds_probed", (uint64_t)n.btf_n);
	cli_json_obj_end(&j);
	cli_json_obj_end(&j);
	printf("\n");
	return 0;
}

static int cmd_feature(int argc, char **argv)
{
	bool json = false, full = false, helpers = true;
	struct prb_cache *c;
	struct feat_counts n = { 0 };
	struct bb_err e;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			help_feature();
			return 0;
		} else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "full")) {
			full = true;
		} else if (!strcmp(argv[i], "--no-helpers")) {
			helpers = false;
		} else if (!strcmp(argv[i], "probe") || !strcmp(argv[i], "kernel")) {
			continue;
		} else {
			return cli_usage("feature", "unknown argument '%s'", argv[i]);
		}
	}
	bb_err_clear(&e);
	if (ldr_probe_bpf(&e))
		return cli_fail("feature", &e);
	if (prb_cache_new(&c))
		return cli_fail("feature", &(struct bb_err){ .code = -ENOMEM, .insn = -1,
							  .msg = "out of memory" });
	ret = json ? feature_json(c, helpers) : feature_text(c, helpers, full, &n);
	prb_cache_free(c);
	return ret;
}

CLI_COMMAND(feature, 72, "probe what the running kernel's BPF supports (bpftool feature)",
	    cmd_feature, help_feature)
