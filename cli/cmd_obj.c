/* SPDX-License-Identifier: MIT */
/* barebpf obj show | disasm: what a BPF ELF object holds, and its linked code. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "core/core.h"
#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static const char *const map_kind_names[] = { "user", "data", "rodata", "bss", "kconfig" };
static const char *const extern_kind_names[] = { "kconfig", "ksym", "kfunc" };

#define PROG_TYPE(v) ldr_prog_type_str(v)
#define MAP_TYPE(v) ldr_map_type_str(v)

static void help_obj(void)
{
	printf("usage: barebpf obj show FILE.o [-j] [--btf FILE | --no-core]\n"
	       "       barebpf obj disasm FILE.o [--section S] [--no-source] [--btf FILE | --no-core]\n\n"
	       "Read a BPF ELF object as clang writes it (clang -target bpf -O2 -g -c).\n\n"
	       "  show     programs (SEC name, program and attach type, instruction counts),\n"
	       "           maps (legacy `maps`, BTF `.maps`, global data, .kconfig), externs,\n"
	       "           relocations as recorded, and a BTF summary; -j prints JSON\n"
	       "  disasm   each program's code after linking (subprograms appended, calls and\n"
	       "           map references relocated) in pseudo-C, with the C source lines\n"
	       "           from line_info interleaved; --section limits it to one SEC name,\n"
	       "           --no-source leaves the source out\n\n"
	       "CO-RE relocations are applied against the running kernel's BTF\n"
	       "(/sys/kernel/btf/vmlinux; skipped with a note if it is missing), or against\n"
	       "--btf FILE (raw BTF of another kernel); `show` lists each one (relocation\n"
	       "index, kind, access, local -> target value) and names every instruction that\n"
	       "had to be poisoned.  --no-core shows the code as compiled.\n");
}

static void json_str(FILE *f, const char *s);

/* What obj_core_relocate() did, for show and disasm. */
struct core_view {
	bool applied;
	const char *target;     /* BTF path used, for the heading */
	const char *skipped;    /* why CO-RE was not applied, or NULL */
	struct bb_vec res;      /* struct obj_core_res */
};

static const struct obj_core_res *core_at(const struct core_view *cv, size_t prog, uint32_t insn)
{
	for (size_t k = 0; cv && k < cv->res.len; k++) {
		const struct obj_core_res *r = bb_vec_at(&cv->res, struct obj_core_res, k);

		if (r->prog == prog && r->insn == insn)
			return r;
	}
	return NULL;
}

static void show_core_text(const struct obj *o, const struct core_view *cv)
{
	size_t poisoned = 0;

	if (cv->skipped) {
		printf("\nCO-RE: not applied (%s)\n", cv->skipped);
		return;
	}
	if (!cv->applied || !cv->res.len)
		return;
	for (size_t k = 0; k < cv->res.len; k++)
		poisoned += bb_vec_at(&cv->res, struct obj_core_res, k)->poisoned;
	printf("\nCO-RE relocations (%zu, %zu poisoned) against %s:\n", cv->res.len, poisoned,
	       cv->target);
	for (size_t k = 0; k < cv->res.len; k++) {
		const struct obj_core_res *r = bb_vec_at(&cv->res, struct obj_core_res, k);

		printf("  %s [%u] insn %u %-14s %s: %" PRIu64, obj_prog(o, r->prog)->name, r->relo,
		       r->insn, bbtf_core_kind_str(r->kind), r->spec, r->local_val);
		if (r->poisoned)
			printf(" -> poisoned\n");
		else if (r->target_type_id)
			printf(" -> %" PRIu64 "  (target [%u])\n", r->target_val, r->target_type_id);
		else
			printf(" -> %" PRIu64 "\n", r->target_val);
	}
	for (size_t k = 0; k < cv->res.len; k++) {
		const struct obj_core_res *r = bb_vec_at(&cv->res, struct obj_core_res, k);

		if (r->poisoned)
			printf("  warning: %s\n", r->msg);
	}
}

static void show_core_json(const struct core_view *cv)
{
	printf(",\"core\":");
	if (!cv->applied) {
		printf("null");
		return;
	}
	printf("{\"target\":");
	json_str(stdout, cv->target);
	printf(",\"relocations\":[");
	for (size_t k = 0; k < cv->res.len; k++) {
		const struct obj_core_res *r = bb_vec_at(&cv->res, struct obj_core_res, k);

		printf("%s{\"prog\":%u,\"relo\":%u,\"insn\":%u,\"kind\":\"%s\",\"spec\":", k ? "," : "",
		       r->prog, r->relo, r->insn, bbtf_core_kind_str(r->kind));
		json_str(stdout, r->spec);
		printf(",\"local_type_id\":%u,\"target_type_id\":%u,\"local\":%" PRIu64
		       ",\"target\":%" PRIu64 ",\"poisoned\":%s,\"message\":",
		       r->local_type_id, r->target_type_id, r->local_val, r->target_val,
		       r->poisoned ? "true" : "false");
		json_str(stdout, r->msg);
		printf("}");
	}
	printf("]}");
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void show_text(const struct obj *o, const struct core_view *cv)
{
	size_t n;

	printf("object '%s': license \"%s\", kern_version 0x%x\n", obj_name(o), obj_license(o),
	       obj_kern_version(o));
	n = obj_prog_count(o);
	printf("\nprograms (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct obj_prog *p = obj_prog(o, i);

		printf("  %-20s SEC(\"%s\")  type %s", p->name, p->section,
		       p->def ? PROG_TYPE(p->prog_type) : "? (unknown SEC name)");
		if (p->expected_attach_type)
			printf("  attach_type %u", p->expected_attach_type);
		if (p->prog_flags & BPF_F_SLEEPABLE)
			printf("  sleepable");
		if (p->prog_flags & BPF_F_XDP_HAS_FRAGS)
			printf("  xdp.frags");
		printf("\n      insns %zu (own %u at +%u)  map refs %zu  func_info %zu  line_info %zu  core_relos %zu%s\n",
		       p->insn_cnt, p->sec_insn_cnt, p->sec_insn_off, p->map_ref_cnt, p->func_info_cnt,
		       p->line_info_cnt, p->core_relo_cnt, p->uses_externs ? "  uses externs" : "");
		if (p->attach.target) {
			printf("      attach target '%s'", p->attach.target);
			if (p->attach.path)
				printf("  path '%s'", p->attach.path);
			if (p->attach.category)
				printf("  %s '%s'", p->def->attach_kind == OBJ_ATTACH_USDT ? "provider" : "category",
				       p->attach.category);
			if (p->attach.func)
				printf("  name '%s'", p->attach.func);
			if (p->attach.has_offset)
				printf("  offset 0x%" PRIx64, p->attach.offset);
			printf("\n");
		}
	}
	n = obj_map_count(o);
	printf("\nmaps (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct obj_map *m = obj_map(o, i);

		printf("  [%zu] %-20s %-8s %s  key %u value %u max_entries %u flags 0x%x", i, m->name,
		       map_kind_names[m->kind], MAP_TYPE(m->type), m->key_size, m->value_size,
		       m->max_entries, m->map_flags);
		if (strcmp(m->name, m->kname))
			printf("  kernel name '%s'", m->kname);
		if (m->pinning)
			printf("  pinned by name");
		if (m->numa_node)
			printf("  numa %u", m->numa_node);
		if (m->map_extra)
			printf("  map_extra 0x%" PRIx64, m->map_extra);
		if (m->btf_key_type_id || m->btf_value_type_id)
			printf("  btf key %u value %u", m->btf_key_type_id, m->btf_value_type_id);
		if (m->freeze)
			printf("  frozen");
		printf("\n");
		if (m->inner)
			printf("      inner: %s key %u value %u max_entries %u\n", MAP_TYPE(m->inner->type),
			       m->inner->key_size, m->inner->value_size, m->inner->max_entries);
		for (size_t s = 0; s < m->slot_cnt; s++) {
			const struct obj_map_slot *sl = &m->slots[s];

			printf("      [%u] = %s '%s'\n", sl->index, sl->prog >= 0 ? "prog" : "map",
			       sl->prog >= 0 ? obj_prog(o, (size_t)sl->prog)->name
					     : obj_map(o, (size_t)sl->map)->name);
		}
	}
	n = obj_extern_count(o);
	if (n) {
		printf("\nexterns (%zu):\n", n);
		for (size_t i = 0; i < n; i++) {
			const struct obj_extern *x = obj_extern(o, i);

			printf("  %-28s %s%s%s", x->name, extern_kind_names[x->kind], x->weak ? " weak" : "",
			       x->kind == OBJ_EXTERN_KSYM ? (x->typed ? " typed" : " typeless") : "");
			if (x->kind == OBJ_EXTERN_KCONFIG)
				printf("  %u bytes at .kconfig+%u", x->size, x->offset);
			printf("\n");
		}
	}
	n = obj_reloc_count(o);
	printf("\nrelocations (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct obj_reloc *r = obj_reloc(o, i);

		printf("  %s insn %u: %-10s '%s'", obj_section_name(o, r->sec_idx), r->insn,
		       obj_reloc_kind_str(r->kind), r->sym);
		switch (r->kind) {
		case OBJ_RELOC_MAP:
			printf(" -> map %d\n", r->target);
			break;
		case OBJ_RELOC_MAP_VALUE:
			printf(" -> map %d + %" PRIu64 "\n", r->target, r->offset);
			break;
		case OBJ_RELOC_CALL:
		case OBJ_RELOC_FUNC:
			printf(" -> %s insn %d\n", obj_section_name(o, r->target_sec), r->target);
			break;
		default:
			printf(" -> extern %d\n", r->target);
		}
	}
	show_core_text(o, cv);
	if (obj_btf(o)) {
		struct bbtf_stats st;
		size_t xs;

		bbtf_stats(obj_btf(o), &st);
		obj_btf_ext_data(o, &xs);
		printf("\nBTF: %u types, %u bytes of strings; .BTF.ext %zu bytes\n", st.types,
		       st.str_len, xs);
	} else {
		printf("\nBTF: none\n");
	}
}

static void show_json(const struct obj *o, const struct core_view *cv)
{
	size_t n;

	printf("{\"name\":");
	json_str(stdout, obj_name(o));
	printf(",\"license\":");
	json_str(stdout, obj_license(o));
	printf(",\"kern_version\":%u,\"programs\":[", obj_kern_version(o));
	n = obj_prog_count(o);
	for (size_t i = 0; i < n; i++) {
		const struct obj_prog *p = obj_prog(o, i);

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, p->name);
		printf(",\"section\":");
		json_str(stdout, p->section);
		printf(",\"prog_type\":%u,\"prog_type_name\":", p->prog_type);
		json_str(stdout, p->def ? PROG_TYPE(p->prog_type) : "");
		printf(",\"expected_attach_type\":%u,\"prog_flags\":%u,\"insns\":%zu,\"own_insns\":%u,"
		       "\"map_refs\":%zu,\"func_info\":%zu,\"line_info\":%zu,\"core_relos\":%zu,"
		       "\"uses_externs\":%s,\"attach_target\":",
		       p->expected_attach_type, p->prog_flags, p->insn_cnt, p->sec_insn_cnt,
		       p->map_ref_cnt, p->func_info_cnt, p->line_info_cnt, p->core_relo_cnt,
		       p->uses_externs ? "true" : "false");
		if (p->attach.target)
			json_str(stdout, p->attach.target);
		else
			printf("null");
		printf("}");
	}
	printf("],\"maps\":[");
	n = obj_map_count(o);
	for (size_t i = 0; i < n; i++) {
		const struct obj_map *m = obj_map(o, i);

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, m->name);
		printf(",\"kernel_name\":");
		json_str(stdout, m->kname);
		printf(",\"section\":");
		json_str(stdout, m->section);
		printf(",\"kind\":\"%s\",\"type\":%u,\"type_name\":\"%s\",\"key_size\":%u,"
		       "\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,\"numa_node\":%u,"
		       "\"map_extra\":%" PRIu64 ",\"pinning\":%u,\"btf_key_type_id\":%u,"
		       "\"btf_value_type_id\":%u,\"freeze\":%s,\"inner\":%s,\"slots\":[",
		       map_kind_names[m->kind], m->type, MAP_TYPE(m->type), m->key_size, m->value_size,
		       m->max_entries, m->map_flags, m->numa_node, m->map_extra, m->pinning,
		       m->btf_key_type_id, m->btf_value_type_id, m->freeze ? "true" : "false",
		       m->inner ? "true" : "false");
		for (size_t s = 0; s < m->slot_cnt; s++)
			printf("%s{\"index\":%u,\"prog\":%d,\"map\":%d}", s ? "," : "", m->slots[s].index,
			       m->slots[s].prog, m->slots[s].map);
		printf("]}");
	}
	printf("],\"externs\":[");
	n = obj_extern_count(o);
	for (size_t i = 0; i < n; i++) {
		const struct obj_extern *x = obj_extern(o, i);

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, x->name);
		printf(",\"kind\":\"%s\",\"weak\":%s,\"typed\":%s}", extern_kind_names[x->kind],
		       x->weak ? "true" : "false", x->typed ? "true" : "false");
	}
	printf("],\"relocations\":[");
	n = obj_reloc_count(o);
	for (size_t i = 0; i < n; i++) {
		const struct obj_reloc *r = obj_reloc(o, i);

		printf("%s{\"section\":", i ? "," : "");
		json_str(stdout, obj_section_name(o, r->sec_idx));
		printf(",\"insn\":%u,\"kind\":\"%s\",\"symbol\":", r->insn, obj_reloc_kind_str(r->kind));
		json_str(stdout, r->sym);
		printf(",\"target\":%d,\"offset\":%" PRIu64 "}", r->target, r->offset);
	}
	printf("],\"btf\":");
	if (obj_btf(o)) {
		struct bbtf_stats st;

		bbtf_stats(obj_btf(o), &st);
		printf("{\"types\":%u,\"str_len\":%u}", st.types, st.str_len);
	} else {
		printf("null");
	}
	show_core_json(cv);
	printf("}\n");
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "";
}

static int disasm(const struct obj *o, const char *section, bool source,
		  const struct core_view *cv)
{
	size_t shown = 0;

	for (size_t i = 0; i < obj_prog_count(o); i++) {
		const struct obj_prog *p = obj_prog(o, i);
		size_t li = 0;
		uint32_t last_line = 0;
		const char *last_text = NULL;

		if (section && strcmp(section, p->section))
			continue;
		printf("%s%s (SEC \"%s\", %zu insns):\n", shown++ ? "\n" : "", p->name, p->section,
		       p->insn_cnt);
		for (size_t pc = 0; pc < p->insn_cnt;) {
			const struct obj_core_res *cr;
			char buf[256];
			int slots;

			/* line_info is sorted per function and functions are laid
			 * out in order: print every record that starts here. */
			while (source && li < p->line_info_cnt && p->line_info[li].insn_off < pc)
				li++;
			if (source && li < p->line_info_cnt && p->line_info[li].insn_off == pc) {
				struct obj_src_line sl;

				/* Like bpftool: a line once, however many records. */
				if (!obj_prog_src_line(o, i, (uint32_t)pc, &sl) && sl.text && sl.text[0] &&
				    (sl.line != last_line || sl.text != last_text))
					printf("; %s @ %s:%u\n", sl.text, base_name(sl.file), sl.line);
				last_line = sl.line;
				last_text = sl.text;
				li++;
			}
			slots = isa_disasm_insn(p->insns, p->insn_cnt, pc, ISA_SYNTAX_PSEUDO_C, buf,
						sizeof(buf));
			printf("%5zu: (%02x) %s", pc, p->insns[pc].code, buf);
			for (size_t k = 0; k < p->map_ref_cnt; k++)
				if (p->map_refs[k].insn == pc)
					printf("  ; map '%s'%s", obj_map(o, p->map_refs[k].map)->name,
					       p->map_refs[k].is_value ? " value" : "");
			if ((cr = core_at(cv, i, (uint32_t)pc)))
				printf("  ; CO-RE %s %s%s", bbtf_core_kind_str(cr->kind), cr->spec,
				       cr->poisoned ? " POISONED" : "");
			printf("\n");
			pc += slots > 0 ? (size_t)slots : 1;
		}
	}
	if (section && !shown) {
		fprintf(stderr, "barebpf obj: no program in section '%s'\n", section);
		return 1;
	}
	return 0;
}

int cmd_obj(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "section", required_argument, NULL, 's' },
		{ "no-source", no_argument, NULL, 'n' },
		{ "btf", required_argument, NULL, 'b' },
		{ "no-core", no_argument, NULL, 'N' },
		{ 0 },
	};
	const char *section = NULL, *sub, *btf_path = NULL;
	bool json = false, source = true, no_core = false;
	struct core_view cv = { 0 };
	struct obj *o;
	struct bb_err e;
	int c, rc;

	if (argc < 2)
		return cli_usage("obj", "expected 'show' or 'disasm'");
	sub = argv[1];
	if (strcmp(sub, "show") && strcmp(sub, "disasm"))
		return cli_usage("obj", "unknown subcommand '%s'", sub);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "js:", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 's')
			section = optarg;
		else if (c == 'n')
			source = false;
		else if (c == 'b')
			btf_path = optarg;
		else if (c == 'N')
			no_core = true;
		else
			return cli_usage("obj", "bad option");
	}
	if (optind != argc - 2)
		return cli_usage("obj", "expected one FILE.o");
	if (!strcmp(sub, "show") && (section || !source))
		return cli_usage("obj", "--section and --no-source are for 'disasm'");
	if (!strcmp(sub, "disasm") && json)
		return cli_usage("obj", "-j is for 'show'");
	if (btf_path && no_core)
		return cli_usage("obj", "--btf and --no-core exclude each other");
	bb_err_clear(&e);
	if (obj_open_file(argv[optind + 1], NULL, &o, &e))
		return cli_fail("obj", &e);
	bb_vec_init(&cv.res, sizeof(struct obj_core_res));
	cv.target = btf_path ? btf_path : "/sys/kernel/btf/vmlinux";
	/* Without --btf a machine lacking kernel BTF still gets a listing. */
	if (!no_core && !btf_path && access(cv.target, R_OK))
		cv.skipped = "no /sys/kernel/btf/vmlinux; use --btf FILE";
	if (!no_core && !cv.skipped) {
		struct obj_core_opts co = { .sz = sizeof(co), .target_btf_path = btf_path,
					    .results = &cv.res };

		if (obj_core_relocate(o, &co, &e)) {
			bb_vec_free(&cv.res);
			obj_free(o);
			return cli_fail("obj", &e);
		}
		cv.applied = true;
	}
	if (!strcmp(sub, "show")) {
		if (json)
			show_json(o, &cv);
		else
			show_text(o, &cv);
		rc = 0;
	} else {
		rc = disasm(o, section, source, &cv);
	}
	bb_vec_free(&cv.res);
	obj_free(o);
	return rc;
}

CLI_COMMAND(obj, 50, "show and disassemble BPF ELF objects (programs, maps, relocations, CO-RE)", cmd_obj, help_obj)
