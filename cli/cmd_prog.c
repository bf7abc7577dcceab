/* SPDX-License-Identifier: MIT */
/*
 * barebpf prog - programs in the running kernel, in bpftool's shape:
 * list/show, dump xlated/jited, pin, load/loadall, run (BPF_PROG_TEST_RUN).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static bool json, pretty;

static void help_prog(void)
{
	printf("usage: barebpf prog { list | show } [PROG] [-j]\n"
	       "       barebpf prog dump xlated PROG [linum] [-j]\n"
	       "       barebpf prog dump jited PROG [file FILE]\n"
	       "       barebpf prog pin PROG PATH\n"
	       "       barebpf prog load OBJ PATH [pinmaps DIR]\n"
	       "       barebpf prog loadall OBJ DIR [pinmaps DIR]\n"
	       "       barebpf prog run PROG [data_in FILE] [data_out FILE] [ctx_in FILE]\n"
	       "                             [ctx_out FILE] [repeat N] [-j]\n"
	       "PROG := id ID | pinned PATH | name NAME | tag TAG\n\n"
	       "Programs loaded in the running kernel, as bpftool shows them.  dump xlated\n"
	       "disassembles what the verifier left (maps as map[id:N], helpers by their\n"
	       "kernel symbol, source lines from the program's BTF line info); dump jited\n"
	       "prints the machine code through objdump when it is installed.  load pins\n"
	       "the object's first program at PATH, loadall each at DIR/NAME; the maps live\n"
	       "as long as a pinned program uses them (pinmaps DIR pins them too).\n"
	       "-j/--json (and -p/--pretty) give JSON for list, show, dump xlated and run.\n");
}

/* ------------------------------------------------------------------ */
/* Finding programs                                                    */
/* ------------------------------------------------------------------ */

/* Every program the selector names (all of them for CLI_SEL_NONE): fds
 * the caller closes. */
static int prog_fds(const struct cli_sel *s, struct bb_vec *fds, struct bb_err *e)
{
	uint32_t id = 0;
	int fd, r;

	bb_vec_init(fds, sizeof(int));
	if (s->kind == CLI_SEL_ID || s->kind == CLI_SEL_PINNED) {
		fd = s->kind == CLI_SEL_ID ? ldr_prog_get_fd_by_id(s->id) : ldr_obj_get(s->arg, 0);
		if (fd < 0)
			return bb_err_insn(e, fd, -1, "%s %s: %s", s->kind == CLI_SEL_ID ? "id" : "pinned",
					   s->arg, cli_strerror(-fd));
		if (s->kind == CLI_SEL_PINNED) {
			struct bpf_prog_info info;

			if (ldr_prog_info(fd, &info)) {
				ldr_obj_close(fd);
				return bb_err_insn(e, -EINVAL, -1, "pinned %s: not a program", s->arg);
			}
		}
		if (!bb_vec_push(fds, &fd)) {
			ldr_obj_close(fd);
			return -ENOMEM;
		}
		return 0;
	}
	while ((r = ldr_prog_get_next_id(id, &id)) == 0) {
		struct bpf_prog_info info;

		fd = ldr_prog_get_fd_by_id(id);
		if (fd == -ENOENT)
			continue;       /* gone since it was listed */
		if (fd < 0)
			return bb_err_insn(e, fd, -1, "prog id %u: %s", id, cli_strerror(-fd));
		if (s->kind != CLI_SEL_NONE) {
			bool match = false;

			if (ldr_prog_info(fd, &info) == 0)
				match = s->kind == CLI_SEL_NAME ? !strcmp(info.name, s->arg)
					: !memcmp(info.tag, s->tag, 8);
			if (!match) {
				ldr_obj_close(fd);
				continue;
			}
		}
		if (!bb_vec_push(fds, &fd)) {
			ldr_obj_close(fd);
			return -ENOMEM;
		}
	}
	if (r != -ENOENT)
		return bb_err_insn(e, r, -1, "walking program ids: %s", cli_strerror(-r));
	if (s->kind != CLI_SEL_NONE && fds->len == 0)
		return bb_err_insn(e, -ENOENT, -1, "no program with %s %s",
				   s->kind == CLI_SEL_NAME ? "name" : "tag", s->arg);
	return 0;
}

/* Exactly one program for the commands that act on one. */
static int one_prog(int argc, char **argv, int *i, const char *cmd, int *fd)
{
	struct cli_sel s;
	struct bb_vec fds;
	struct bb_err e;
	int r;

	bb_err_clear(&e);
	if (cli_sel_parse(argc, argv, i, true, &s, &e))
		return cli_usage(cmd, "%s", e.msg);
	r = prog_fds(&s, &fds, &e);
	if (r) {
		cli_close_fds(&fds);
		return cli_fail(cmd, &e);
	}
	if (fds.len != 1) {
		cli_close_fds(&fds);
		return cli_usage(cmd, "%s %s names %zu programs; use id", s.kind == CLI_SEL_NAME ?
				 "name" : "tag", s.arg, fds.len);
	}
	*fd = *bb_vec_at(&fds, int, 0);
	bb_vec_free(&fds);
	return 0;
}

/* bpf_prog_info with the map ids filled in (*maps malloc'ed). */
static int prog_info_maps(int fd, struct bpf_prog_info *info, uint32_t **maps)
{
	uint32_t n, len = sizeof(*info);
	int r = ldr_prog_info(fd, info);

	*maps = NULL;
	if (r || !info->nr_map_ids)
		return r;
	n = info->nr_map_ids;
	*maps = calloc(n, sizeof(uint32_t));
	if (!*maps)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	info->nr_map_ids = n;
	info->map_ids = (uint64_t)(uintptr_t)*maps;
	r = ldr_obj_info(fd, info, &len);
	if (info->nr_map_ids > n)
		info->nr_map_ids = n;   /* maps added since: show the ones we have room for */
	return r;
}

static void tag_str(const uint8_t *tag, char *buf)
{
	for (int i = 0; i < 8; i++)
		sprintf(buf + 2 * i, "%02x", tag[i]);
}

static void show_one(int fd, struct cli_json *j)
{
	struct bpf_prog_info info;
	uint32_t *maps;
	char tag[17], when[64];

	if (prog_info_maps(fd, &info, &maps)) {
		free(maps);
		return;
	}
	tag_str(info.tag, tag);
	if (j) {
		cli_json_obj(j);
		cli_json_ku64(j, "id", info.id);
		cli_json_kstr(j, "type", ldr_prog_type_str(info.type));
		if (info.name[0])
			cli_json_kstr(j, "name", info.name);
		cli_json_kstr(j, "tag", tag);
		cli_json_kbool(j, "gpl_compatible", info.gpl_compatible);
		if (info.run_cnt) {
			cli_json_ku64(j, "run_time_ns", info.run_time_ns);
			cli_json_ku64(j, "run_cnt", info.run_cnt);
		}
		cli_json_key(j, "loaded_at");
		cli_json_i64(j, cli_boottime_to_epoch(info.load_time));
		cli_json_ku64(j, "uid", info.created_by_uid);
		cli_json_ku64(j, "bytes_xlated", info.xlated_prog_len);
		cli_json_kbool(j, "jited", info.jited_prog_len > 0);
		cli_json_ku64(j, "bytes_jited", info.jited_prog_len);
		if (info.nr_map_ids) {
			cli_json_key(j, "map_ids");
			cli_json_arr(j);
			for (uint32_t i = 0; i < info.nr_map_ids; i++)
				cli_json_u64(j, maps[i]);
			cli_json_arr_end(j);
		}
		if (info.btf_id)
			cli_json_ku64(j, "btf_id", info.btf_id);
		if (info.verified_insns)
			cli_json_ku64(j, "verified_insns", info.verified_insns);
		cli_json_obj_end(j);
		free(maps);
		return;
	}
	printf("%u: %s  ", info.id, ldr_prog_type_str(info.type));
	if (info.name[0])
		printf("name %s  ", info.name);
	printf("tag %s%s\n", tag, info.gpl_compatible ? "  gpl" : "");
	if (info.run_cnt)
		printf("\trun_time_ns %" PRIu64 " run_cnt %" PRIu64 "\n", (uint64_t)info.run_time_ns,
		       (uint64_t)info.run_cnt);
	cli_fmt_boottime(info.load_time, when, sizeof(when));
	printf("\tloaded_at %s  uid %u\n", when, info.created_by_uid);
	printf("\txlated %uB  ", info.xlated_prog_len);
	if (info.jited_prog_len)
		printf("jited %uB", info.jited_prog_len);
	else
		printf("not jited");
	if (info.nr_map_ids) {
		printf("  map_ids ");
		for (uint32_t i = 0; i < info.nr_map_ids; i++)
			printf("%s%u", i ? "," : "", maps[i]);
	}
	printf("\n");
	if (info.btf_id || info.verified_insns) {
		printf("\t");
		if (info.btf_id)
			printf("btf_id %u  ", info.btf_id);
		if (info.verified_insns)
			printf("verified_insns %u", info.verified_insns);
		printf("\n");
	}
	free(maps);
}

static int do_show(int argc, char **argv)
{
	struct cli_sel s = { .kind = CLI_SEL_NONE };
	struct bb_vec fds;
	struct bb_err e;
	int i = 0, r;

	bb_err_clear(&e);
	if (argc > 0 && cli_sel_parse(argc, argv, &i, true, &s, &e))
		return cli_usage("prog show", "%s", e.msg);
	if (i < argc)
		return cli_usage("prog show", "unexpected '%s'", argv[i]);
	r = prog_fds(&s, &fds, &e);
	if (r) {
		cli_close_fds(&fds);
		return cli_fail("prog show", &e);
	}
	cli_show_fds(&s, &fds, json, pretty, show_one);
	cli_close_fds(&fds);
	return 0;
}

/* ------------------------------------------------------------------ */
/* dump xlated / jited                                                 */
/* ------------------------------------------------------------------ */

/* Kernel symbols of the helper calls in a translated program.  The
 * verifier turned each helper id into (function - __bpf_call_base); the
 * symbol at that address names what runs (maps' inlined lookups show up
 * as e.g. __htab_map_lookup_elem). */
struct ksyms {
	uint64_t base;
	struct bb_vec want;     /* uint64_t addresses */
	char **names;           /* parallel to want; NULL if not found */
};

static void ksyms_resolve(struct ksyms *k)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];

	k->names = calloc(k->want.len ? k->want.len : 1, sizeof(char *));
	if (!f || !k->names) {
		if (f)
			fclose(f);
		return;
	}
	/* Two passes: __bpf_call_base first, so the loop below knows what
	 * absolute addresses to look for. */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char t, name[256];

		if (sscanf(line, "%llx %c %255s", &a, &t, name) == 3 && !strcmp(name, "__bpf_call_base")) {
			k->base = a;
			break;
		}
	}
	if (k->base) {
		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			unsigned long long a;
			char t, name[256];

			if (sscanf(line, "%llx %c %255s", &a, &t, name) != 3)
				continue;
			for (size_t i = 0; i < k->want.len; i++) {
				uint64_t w = k->base + *bb_vec_at(&k->want, uint64_t, i);

				if (a == w && !k->names[i])
					k->names[i] = strdup(name);
			}
		}
	}
	fclose(f);
}

static const char *ksyms_name(const struct ksyms *k, int32_t imm)
{
	for (size_t i = 0; i < k->want.len; i++)
		if (*bb_vec_at(&k->want, uint64_t, i) == (uint64_t)(int64_t)imm)
			return k->names ? k->names[i] : NULL;
	return NULL;
}

static void ksyms_free(struct ksyms *k)
{
	for (size_t i = 0; k->names && i < k->want.len; i++)
		free(k->names[i]);
	free(k->names);
	bb_vec_free(&k->want);
}

/* "map[fd:" -> "map[id:": in a translated program the kernel put map ids
 * where the loader had fds. */
static void fix_map_text(char *t)
{
	char *p;

	while ((p = strstr(t, "map[fd:")))
		memcpy(p, "map[id:", 7);
}

static int do_dump_xlated(int argc, char **argv)
{
	struct bpf_prog_info info;
	struct isa_raw *insns = NULL;
	struct bpf_line_info *lines = NULL;
	struct bpf_func_info *funcs = NULL;
	struct bbtf *btf = NULL;
	struct ksyms ks = { 0 };
	struct cli_json j;
	uint32_t len = sizeof(info), n, nlines, nfuncs;
	bool linum = false;
	int i = 0, fd, r, ret = 1;

	if ((r = one_prog(argc, argv, &i, "prog dump xlated", &fd)))
		return r;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "linum"))
			linum = true;
		else if (strcmp(argv[i], "opcodes"))
			return ldr_obj_close(fd), cli_usage("prog dump xlated", "unexpected '%s'", argv[i]);
	}
	r = ldr_prog_info(fd, &info);
	if (r || !info.xlated_prog_len) {
		fprintf(stderr, "barebpf prog dump xlated: %s\n", r ? cli_strerror(-r) :
			"the kernel shows no translated instructions (needs CAP_SYS_ADMIN / "
			"bpf_dump_raw_ok)");
		goto out;
	}
	n = info.xlated_prog_len / 8;
	nlines = info.line_info_rec_size == sizeof(struct bpf_line_info) ? info.nr_line_info : 0;
	nfuncs = info.func_info_rec_size == sizeof(struct bpf_func_info) ? info.nr_func_info : 0;
	insns = calloc(n, 8);
	lines = calloc(nlines + 1, sizeof(*lines));
	funcs = calloc(nfuncs + 1, sizeof(*funcs));
	if (!insns || !lines || !funcs)
		goto out;
	{
		uint32_t btf_id = info.btf_id;

		memset(&info, 0, sizeof(info));
		info.xlated_prog_len = n * 8;
		info.xlated_prog_insns = (uint64_t)(uintptr_t)insns;
		if (btf_id && nlines) {
			info.nr_line_info = nlines;
			info.line_info_rec_size = sizeof(*lines);
			info.line_info = (uint64_t)(uintptr_t)lines;
		}
		if (btf_id && nfuncs) {
			info.nr_func_info = nfuncs;
			info.func_info_rec_size = sizeof(*funcs);
			info.func_info = (uint64_t)(uintptr_t)funcs;
		}
		r = ldr_obj_info(fd, &info, &len);
		if (r) {
			fprintf(stderr, "barebpf prog dump xlated: %s\n", cli_strerror(-r));
			goto out;
		}
		/* Source lines need the program's BTF; without it we still
		 * print the instructions. */
		if (btf_id && cli_btf_by_id(btf_id, &btf, NULL))
			btf = NULL;
		if (!btf)
			nlines = nfuncs = 0;
	}
	bb_vec_init(&ks.want, sizeof(uint64_t));
	for (uint32_t pc = 0; pc < n; pc++) {
		if (insns[pc].code == 0x85 && insns[pc].src == 0) {
			uint64_t rel = (uint64_t)(int64_t)insns[pc].imm;

			bb_vec_push(&ks.want, &rel);
		}
	}
	ksyms_resolve(&ks);
	if (json) {
		cli_json_init(&j, stdout, pretty);
		cli_json_arr(&j);
	}
	for (uint32_t pc = 0, li = 0, fi = 0; pc < n;) {
		char text[256];
		int slots;

		for (; fi < nfuncs && funcs[fi].insn_off <= pc; fi++) {
			const char *fn = bbtf_type_name(btf, funcs[fi].type_id);

			if (funcs[fi].insn_off == pc && fn && !json)
				printf("%s%s:\n", pc ? "\n" : "", fn);
		}
		for (; li < nlines && lines[li].insn_off <= pc; li++) {
			struct bbtf_ext_line el = { lines[li].insn_off, lines[li].file_name_off,
						    lines[li].line_off, lines[li].line_col };
			struct bbtf_src_line sl;

			if (lines[li].insn_off != pc || bbtf_line_info(btf, &el, &sl, NULL))
				continue;
			if (json)
				continue;
			if (linum)
				printf("; %s [file:%s line_num:%u line_col:%u]\n", sl.text, sl.file,
				       sl.line, sl.col);
			else
				printf("; %s\n", sl.text);
		}
		slots = isa_disasm_insn(insns, n, pc, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
		if (slots < 1) {
			slots = 1;
			/* Instructions only the kernel emits (its inlined helpers):
			 * BPF_MOV64_PERCPU_REG is mov with off = BPF_ADDR_PERCPU (-1). */
			if (insns[pc].code == 0xbf && insns[pc].off == -1)
				snprintf(text, sizeof(text), "r%u = &(void __percpu *)(r%u)",
					 insns[pc].dst, insns[pc].src);
		}
		fix_map_text(text);
		if (insns[pc].code == 0x85 && insns[pc].src == 0) {
			const char *sym = ksyms_name(&ks, insns[pc].imm);

			snprintf(text, sizeof(text), "call %s#%d", sym ? sym : "unknown", insns[pc].imm);
		}
		if (json) {
			cli_json_obj(&j);
			cli_json_ku64(&j, "pc", pc);
			cli_json_kstr(&j, "disasm", text);
			for (uint32_t k = 0; k < nlines; k++) {
				struct bbtf_ext_line el = { lines[k].insn_off, lines[k].file_name_off,
							    lines[k].line_off, lines[k].line_col };
				struct bbtf_src_line sl;

				if (lines[k].insn_off == pc && !bbtf_line_info(btf, &el, &sl, NULL)) {
					cli_json_kstr(&j, "src", sl.text);
					cli_json_kstr(&j, "file", sl.file);
					cli_json_ku64(&j, "line_num", sl.line);
				}
			}
			cli_json_obj_end(&j);
		} else {
			printf("%4u: (%02x) %s\n", pc, insns[pc].code, text);
		}
		pc += (uint32_t)slots;
	}
	if (json) {
		cli_json_arr_end(&j);
		if (!pretty)
			printf("\n");
	}
	ret = 0;
out:
	ksyms_free(&ks);
	bbtf_free(btf);
	free(insns);
	free(lines);
	free(funcs);
	ldr_obj_close(fd);
	return ret;
}

static bool have_objdump(void)
{
	return system("command -v objdump >/dev/null 2>&1") == 0;
}

static int do_dump_jited(int argc, char **argv)
{
	struct bpf_prog_info info;
	uint8_t *code = NULL;
	const char *file = NULL;
	uint32_t len = sizeof(info), n;
	int i = 0, fd, r, ret = 1;

	if ((r = one_prog(argc, argv, &i, "prog dump jited", &fd)))
		return r;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "file") && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "opcodes"))
			return ldr_obj_close(fd), cli_usage("prog dump jited", "unexpected '%s'", argv[i]);
	}
	r = ldr_prog_info(fd, &info);
	if (r || !info.jited_prog_len) {
		fprintf(stderr, "barebpf prog dump jited: %s\n", r ? cli_strerror(-r) :
			"no JIT image (the program runs in the kernel's interpreter)");
		goto out;
	}
	n = info.jited_prog_len;
	code = malloc(n);
	if (!code)
		goto out;
	memset(&info, 0, sizeof(info));
	info.jited_prog_len = n;
	info.jited_prog_insns = (uint64_t)(uintptr_t)code;
	if ((r = ldr_obj_info(fd, &info, &len))) {
		fprintf(stderr, "barebpf prog dump jited: %s\n", cli_strerror(-r));
		goto out;
	}
	if (file || have_objdump()) {
		char tmp[] = "/tmp/barebpf-jit-XXXXXX";
		int tfd = file ? -1 : mkstemp(tmp);
		const char *path = file ? file : tmp;
		FILE *f = file ? fopen(file, "wb") : fdopen(tfd, "wb");

		if (!f || fwrite(code, 1, n, f) != n) {
			fprintf(stderr, "barebpf prog dump jited: cannot write %s\n", path);
			if (f)
				fclose(f);
			else if (tfd >= 0)
				close(tfd);
			if (!file)
				unlink(tmp);
			goto out;
		}
		fclose(f);
		if (file) {
			printf("wrote %u bytes of machine code to %s\n", n, file);
			ret = 0;
			goto out;
		}
		char cmd[256];

		fflush(stdout);
		snprintf(cmd, sizeof(cmd), "objdump -D -b binary -mi386:x86-64 %s | tail -n +8", tmp);
		r = system(cmd);
		unlink(tmp);
		if (r == 0) {
			ret = 0;
			goto out;
		}
	}
	/* No objdump: the bytes, 16 per line, with offsets. */
	for (uint32_t k = 0; k < n; k += 16) {
		printf("%6x:  ", k);
		cli_hex(stdout, code + k, n - k < 16 ? n - k : 16);
		printf("\n");
	}
	ret = 0;
out:
	free(code);
	ldr_obj_close(fd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* pin, load, loadall, run                                             */
/* ------------------------------------------------------------------ */

static int do_pin(int argc, char **argv)
{
	int i = 0, fd, r;

	if ((r = one_prog(argc, argv, &i, "prog pin", &fd)))
		return r;
	if (i + 1 != argc)
		return ldr_obj_close(fd), cli_usage("prog pin", "expected PROG PATH");
	r = ldr_obj_pin(fd, argv[i]);
	ldr_obj_close(fd);
	if (r) {
		fprintf(stderr, "barebpf prog pin: %s: %s\n", argv[i], cli_strerror(-r));
		return 1;
	}
	return 0;
}

static int pin_maps(const struct ldr_obj *lo, const char *dir)
{
	mkdir(dir, 0700);
	for (size_t k = 0; k < ldr_obj_map_count(lo); k++) {
		const struct ldr_obj_map *m = ldr_obj_map(lo, k);
		char path[4096];
		int r;

		if (m->pin_path)
			continue;       /* already pinned by name */
		snprintf(path, sizeof(path), "%s/%s", dir, m->kname);
		/* bpffs refuses '.' in names (".rodata"); bpftool pins as '_'. */
		for (char *p = path + strlen(dir) + 1; *p; p++)
			if (*p == '.')
				*p = '_';
		if ((r = ldr_obj_pin(m->fd, path))) {
			fprintf(stderr, "barebpf prog load: pin map %s at %s: %s\n", m->kname, path,
				cli_strerror(-r));
			return 1;
		}
	}
	return 0;
}

static int do_load(int argc, char **argv, bool all)
{
	const char *cmd = all ? "prog loadall" : "prog load";
	const char *pinmaps = NULL;
	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct bb_err e;
	int ret = 1, r;

	if (argc < 2)
		return cli_usage(cmd, "expected OBJ %s", all ? "DIR" : "PATH");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "pinmaps") && i + 1 < argc)
			pinmaps = argv[++i];
		else
			return cli_usage(cmd, "unexpected '%s'", argv[i]);
	}
	bb_err_clear(&e);
	if (obj_open_file(argv[0], NULL, &o, &e))
		return cli_fail(cmd, &e);
	r = ldr_obj_load(o, NULL, &lo, &e);
	obj_free(o);
	if (r < 0)
		return cli_fail(cmd, &e);
	if (ldr_obj_prog_count(lo) == 0) {
		fprintf(stderr, "barebpf %s: %s has no programs\n", cmd, argv[0]);
		goto out;
	}
	if (!all) {
		r = ldr_obj_pin(ldr_obj_prog(lo, 0)->fd, argv[1]);
		if (r) {
			fprintf(stderr, "barebpf %s: pin %s: %s\n", cmd, argv[1], cli_strerror(-r));
			goto out;
		}
	} else {
		mkdir(argv[1], 0700);
		for (size_t k = 0; k < ldr_obj_prog_count(lo); k++) {
			const struct ldr_obj_prog *p = ldr_obj_prog(lo, k);
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[1], p->name);
			if ((r = ldr_obj_pin(p->fd, path))) {
				fprintf(stderr, "barebpf %s: pin %s: %s\n", cmd, path, cli_strerror(-r));
				goto out;
			}
		}
	}
	if (pinmaps && pin_maps(lo, pinmaps))
		goto out;
	ret = 0;
out:
	ldr_obj_free(lo);
	return ret;
}

static int read_opt_file(const char *path, uint8_t **buf, size_t *len)
{
	char *data;
	long n = bb_read_file(path, &data, NULL);

	if (n < 0) {
		fprintf(stderr, "barebpf prog run: cannot read %s: %s\n", path, strerror((int)-n));
		return 1;
	}
	*buf = (uint8_t *)data;
	*len = (size_t)n;
	return 0;
}

static int write_opt_file(const char *path, const void *data, size_t n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f || fwrite(data, 1, n, f) != n) {
		fprintf(stderr, "barebpf prog run: cannot write %s\n", path);
		if (f && f != stdout)
			fclose(f);
		return 1;
	}
	if (f != stdout)
		fclose(f);
	return 0;
}

static int do_run(int argc, char **argv)
{
	LDR_OPTS(ldr_test_run_opts, o);
	const char *din = NULL, *dout = NULL, *cin = NULL, *cout = NULL;
	uint8_t *data = NULL, *ctx = NULL, *out = NULL, *cbuf = NULL;
	size_t dlen = 0, clen = 0, cap;
	int i = 0, fd, r, ret = 1;

	if ((r = one_prog(argc, argv, &i, "prog run", &fd)))
		return r;
	for (; i < argc; i++) {
		const char *kw = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!arg) {
			ldr_obj_close(fd);
			return cli_usage("prog run", "'%s' needs an argument", kw);
		}
		if (!strcmp(kw, "data_in"))
			din = arg;
		else if (!strcmp(kw, "data_out"))
			dout = arg;
		else if (!strcmp(kw, "ctx_in"))
			cin = arg;
		else if (!strcmp(kw, "ctx_out"))
			cout = arg;
		else if (!strcmp(kw, "repeat"))
			o.repeat = (uint32_t)strtoul(arg, NULL, 0);
		else {
			ldr_obj_close(fd);
			return cli_usage("prog run", "unexpected '%s'", kw);
		}
		i++;
	}
	if ((din && read_opt_file(din, &data, &dlen)) || (cin && read_opt_file(cin, &ctx, &clen)))
		goto out;
	/* Room for programs that grow the packet (XDP adjust_head/tail). */
	cap = dlen + 4096;
	out = malloc(cap);
	cbuf = malloc(clen + 256);
	if (!out || !cbuf)
		goto out;
	o.data_in = data;
	o.data_size_in = (uint32_t)dlen;
	if (dout) {
		o.data_out = out;
		o.data_size_out = (uint32_t)cap;
	}
	o.ctx_in = ctx;
	o.ctx_size_in = (uint32_t)clen;
	if (cout && clen) {
		o.ctx_out = cbuf;
		o.ctx_size_out = (uint32_t)clen + 256;
	}
	r = ldr_prog_test_run(fd, &o);
	if (r) {
		fprintf(stderr, "barebpf prog run: BPF_PROG_TEST_RUN: %s\n", cli_strerror(-r));
		goto out;
	}
	if (dout && write_opt_file(dout, out, o.data_size_out))
		goto out;
	if (cout && clen && write_opt_file(cout, cbuf, o.ctx_size_out))
		goto out;
	if (json) {
		struct cli_json j;

		cli_json_init(&j, stdout, pretty);
		cli_json_obj(&j);
		cli_json_ku64(&j, "retval", o.retval);
		cli_json_ku64(&j, "duration", o.duration);
		if (dout)
			cli_json_ku64(&j, "data_size_out", o.data_size_out);
		cli_json_obj_end(&j);
		if (!pretty)
			printf("\n");
	} else {
		printf("Return value: %u, duration%s: %uns\n", o.retval,
		       o.repeat > 1 ? " (average)" : "", o.duration);
	}
	ret = 0;
out:
	free(data);
	free(ctx);
	free(out);
	free(cbuf);
	ldr_obj_close(fd);
	return ret;
}

static int cmd_prog(int argc, char **argv)
{
	const char *sub;

	json = pretty = false;
	argc = cli_take_json(argc, argv, &json, &pretty);
	if (argc < 2 || cli_is_help(argv[1])) {
		help_prog();
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return do_show(argc - 2, argv + 2);
	if (!strcmp(sub, "dump")) {
		if (argc >= 3 && !strcmp(argv[2], "xlated"))
			return do_dump_xlated(argc - 3, argv + 3);
		if (argc >= 3 && !strcmp(argv[2], "jited"))
			return do_dump_jited(argc - 3, argv + 3);
		return cli_usage("prog dump", "expected xlated or jited");
	}
	if (!strcmp(sub, "pin"))
		return do_pin(argc - 2, argv + 2);
	if (!strcmp(sub, "load"))
		return do_load(argc - 2, argv + 2, false);
	if (!strcmp(sub, "loadall"))
		return do_load(argc - 2, argv + 2, true);
	if (!strcmp(sub, "run"))
		return do_run(argc - 2, argv + 2);
	return cli_usage("prog", "unknown subcommand '%s'", sub);
}

CLI_COMMAND(prog, 74, "kernel programs: list, show, dump xlated/jited, pin, load, run",
	    cmd_prog, help_prog)
