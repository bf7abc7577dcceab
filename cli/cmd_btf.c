/* SPDX-License-Identifier: MIT */
/* barebpf btf dump | show */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "elf/obj.h"

static void help_btf(void)
{
	printf("usage: barebpf btf dump FILE [format c|raw] [--base BASE]\n"
	       "       barebpf btf show FILE [--base BASE]\n\n"
	       "FILE is raw BTF (/sys/kernel/btf/vmlinux, a module's\n"
	       "/sys/kernel/btf/<mod>) or a BPF ELF object (its .BTF section).\n\n"
	       "  dump ... format c     a C header (vmlinux.h) for clang -target bpf:\n"
	       "                        every type in dependency order, exact layout,\n"
	       "                        CO-RE preserve_access_index (the default)\n"
	       "  dump ... format raw   one '[id] KIND 'name' ...' entry per type, as\n"
	       "                        bpftool prints them\n"
	       "  show                  type counts per kind, string section size and,\n"
	       "                        for an object, its .BTF.ext sections\n"
	       "  --base BASE           FILE is split BTF on top of BASE (module BTF\n"
	       "                        under /sys/kernel/btf/ gets vmlinux by default)\n");
}

/* Either raw BTF we own, or an object that owns its BTF. */
struct btf_input {
	struct bbtf *base;
	struct bbtf *raw;
	struct obj *obj;
	const struct bbtf *btf;
};

static void input_free(struct btf_input *in)
{
	bbtf_free(in->raw);
	obj_free(in->obj);
	bbtf_free(in->base);
}

static bool is_elf(const char *path)
{
	unsigned char magic[4];
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return false;
	elf = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
	fclose(f);
	return elf;
}

static int input_open(const char *path, const char *base, struct btf_input *in,
		      struct bb_err *e)
{
	int ret;

	memset(in, 0, sizeof(*in));
	if (is_elf(path)) {
		ret = obj_open_file(path, NULL, &in->obj, e);
		if (ret)
			return ret;
		in->btf = obj_btf(in->obj);
		if (!in->btf) {
			bb_err_set_file(e, path);
			return bb_err_insn(e, -ENOENT, -1, "object has no .BTF section");
		}
		return 0;
	}
	/* Module BTF in sysfs is split BTF on top of vmlinux. */
	if (!base && !strncmp(path, "/sys/kernel/btf/", 16) && strcmp(path + 16, "vmlinux"))
		base = "/sys/kernel/btf/vmlinux";
	if (base) {
		ret = bbtf_parse_file(base, NULL, &in->base, e);
		if (ret)
			return ret;
	}
	ret = bbtf_parse_file(path, in->base, &in->raw, e);
	in->btf = in->raw;
	return ret;
}

static int show(const char *path, const struct btf_input *in)
{
	const struct bbtf_ext *x = in->obj ? obj_btf_ext(in->obj) : NULL;
	struct bbtf_stats st;

	bbtf_stats(in->btf, &st);
	printf("%s: %u types (ids %u..%u), %u bytes of strings\n", path, st.types,
	       bbtf_start_id(in->btf), bbtf_type_cnt(in->btf) - 1, st.str_len);
	if (bbtf_base(in->btf))
		printf("split BTF on a base of %u types\n", bbtf_start_id(in->btf) - 1);
	for (int k = 1; k <= BBTF_KIND_MAX; k++)
		if (st.kinds[k])
			printf("  %-10s %u\n", bbtf_kind_str(k), st.kinds[k]);
	if (x) {
		printf(".BTF.ext: %zu sections\n", x->n_secs);
		for (size_t i = 0; i < x->n_secs; i++)
			printf("  %-24s func_info %zu, line_info %zu, core_relo %zu\n",
			       x->secs[i].name, x->secs[i].n_funcs, x->secs[i].n_lines,
			       x->secs[i].n_cores);
	}
	return 0;
}

static int cmd_btf(int argc, char **argv)
{
	const char *verb, *path, *base = NULL, *format = "c";
	struct btf_input in;
	struct bb_err e;
	int ret, i;

	if (argc < 2 || cli_is_help(argv[1])) {
		help_btf();
		return argc < 2 ? 2 : 0;
	}
	verb = argv[1];
	if (strcmp(verb, "dump") && strcmp(verb, "show"))
		return cli_usage("btf", "unknown subcommand '%s' (dump or show)", verb);
	if (argc < 3)
		return cli_usage("btf", "%s: expected a FILE", verb);
	path = argv[2];
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "format") && i + 1 < argc && !strcmp(verb, "dump"))
			format = argv[++i];
		else if (!strcmp(argv[i], "--base") && i + 1 < argc)
			base = argv[++i];
		else
			return cli_usage("btf", "unexpected argument '%s'", argv[i]);
	}
	if (strcmp(format, "c") && strcmp(format, "raw"))
		return cli_usage("btf", "unknown format '%s' (c or raw)", format);
	bb_err_clear(&e);
	ret = input_open(path, base, &in, &e);
	if (ret) {
		input_free(&in);
		return cli_fail("btf", &e);
	}
	if (!strcmp(verb, "show"))
		ret = show(path, &in);
	else if (!strcmp(format, "raw"))
		ret = bbtf_dump_raw(in.btf, stdout, &e);
	else
		ret = bbtf_dump_c(in.btf, stdout, NULL, &e);
	input_free(&in);
	if (ret) {
		bb_err_set_file(&e, path);
		return cli_fail("btf", &e);
	}
	return 0;
}

CLI_COMMAND(btf, 60, "show BTF, dump it as C (vmlinux.h) or raw", cmd_btf, help_btf)
