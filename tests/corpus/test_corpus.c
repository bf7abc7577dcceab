/* SPDX-License-Identifier: MIT */
/*
 * The BPF C corpus (corpus/): it builds with clang-19 against the vmlinux.h
 * that barebpf dumps, and every object is a BPF ELF file with the sections
 * its source promises.  Checked with libelf directly for now; the elf/
 * module's own tests parse and relocate the same objects.
 *
 * Environment: BAREBPF_ROOT (repository), BAREBPF_CLI (the barebpf binary;
 * its build directory gets the objects in <build>/corpus).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <limits.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bb.h"
#include "isa/isa_helpers.h"
#include "tests/common/testutil.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define MAX_SECS 8

/* One row per corpus/src/<name>.bpf.c: its ISA version and the sections
 * (programs first, then data) the object must have besides .BTF/.BTF.ext. */
struct expect {
	const char *name;
	const char *cpu;
	const char *secs[MAX_SECS];
};

static const struct expect corpus[] = {
	{ "biolatency", "v2", { "tracepoint/block/block_rq_issue",
				"tracepoint/block/block_rq_complete", ".rodata", ".maps", "license" } },
	{ "core", "v3", { "tp_btf/sched_switch", ".bss", "license" } },
	{ "execsnoop", "v3", { "tp/sched/sched_process_exec", ".maps", "license" } },
	{ "fentry", "v3", { "fentry/do_unlinkat", "fexit/do_unlinkat", ".maps", "license" } },
	{ "globals", "v3", { "xdp", ".rodata", ".data", ".bss", ".data.custom",
			     ".rodata.custom", "license" } },
	{ "kconfig_ksym", "v3", { "tracepoint/syscalls/sys_enter_getpid", ".bss", "license" } },
	{ "kfunc", "v3", { "tp_btf/sched_process_fork", ".bss", "license" } },
	{ "kprobe", "v3", { "kprobe/do_unlinkat", "kretprobe/do_unlinkat", ".maps", "license" } },
	{ "ksym_typed", "v3", { "tracepoint/syscalls/sys_enter_getpid", ".bss", "license" } },
	{ "legacy_maps", "v1", { "tracepoint/syscalls/sys_enter_write", "maps", "license" } },
	{ "loop_subprog", "v3", { "xdp", ".text", ".bss", "license" } },
	{ "map_in_map", "v3", { "xdp", ".maps", "license" } },
	{ "map_kinds", "v3", { "xdp", ".maps", "license" } },
	{ "opensnoop", "v3", { "tracepoint/syscalls/sys_enter_openat",
			       "tracepoint/syscalls/sys_exit_openat", ".rodata", ".maps", "license" } },
	{ "profile", "v3", { "perf_event", ".maps", "license" } },
	{ "readsize", "v3", { "tracepoint/syscalls/sys_enter_read",
			      "tracepoint/syscalls/sys_exit_read", ".maps", "license" } },
	{ "runqlat", "v3", { "tp_btf/sched_wakeup", "tp_btf/sched_wakeup_new",
			     "tp_btf/sched_switch", ".rodata", ".maps", "license" } },
	{ "sockfilter", "v1", { "socket", ".maps", "license" } },
	{ "syscount", "v1", { "raw_tp/sys_enter", ".rodata", ".maps", "license" } },
	{ "tailcall", "v3", { "xdp", ".bss", ".maps", "license" } },
	{ "tc_classify", "v4", { "tc", ".maps", "license" } },
	{ "tcx_ingress", "v3", { "tcx/ingress", ".maps", "license" } },
	{ "tcpconnect", "v3", { "tracepoint/sock/inet_sock_set_state", ".rodata", ".maps",
				"license" } },
	{ "xdp_csum", "v3", { "xdp", ".bss", "license" } },
	{ "xdp_filter", "v3", { "xdp", ".rodata", ".maps", "license" } },
	{ "xdp_parse", "v3", { "xdp", "license" } },
	{ "xdp_v1_loop", "v1", { "xdp", ".bss", "license" } },
	{ "xdp_v4_alu", "v4", { "xdp", ".bss", "license" } },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

/* <dir of $BAREBPF_CLI>/corpus, e.g. build/corpus or build-san/corpus. */
static const char *corpus_out(char *buf, size_t size)
{
	const char *cli = getenv("BAREBPF_CLI");
	char tmp[PATH_MAX], rel[64];

	if (cli && *cli) {
		snprintf(tmp, sizeof(tmp), "%s", cli);
		snprintf(buf, size, "%s/corpus", dirname(tmp));
		return buf;
	}
	snprintf(rel, sizeof(rel), "build/corpus");
	return tu_repo_path(rel, buf, size);
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/*
 * Build the corpus with the Makefile, exactly as `make corpus` does.  Fails
 * (never skips) when barebpf cannot generate vmlinux.h yet: the corpus is
 * only "built" when barebpf's own dumper made the header.
 */
static void build_corpus(const char *out)
{
	const char *cli = getenv("BAREBPF_CLI");
	char root[PATH_MAX], cmd[5 * PATH_MAX];
	int rc;

	cr_assert(cli && *cli, "BAREBPF_CLI is not set (run the tests through `make check`)");
	tu_repo_path("", root, sizeof(root));
	snprintf(cmd, sizeof(cmd), "'%s' btf dump /sys/kernel/btf/vmlinux format c > /dev/null 2>&1",
		 cli);
	rc = run(cmd);
	cr_assert_eq(rc, 0,
		     "'%s btf dump /sys/kernel/btf/vmlinux format c' is not available (exit %d): "
		     "the corpus needs barebpf's BTF dumper to generate vmlinux.h", cli, rc);
	cr_assert_eq(run("command -v clang-19 > /dev/null"), 0, "clang-19 is not installed");
	snprintf(cmd, sizeof(cmd), "make -s -C '%s/corpus' BAREBPF='%s' OUT='%s' > '%s.log' 2>&1",
		 root, cli, out, out);
	/* The log's directory must exist before the shell opens it. */
	mkdir(out, 0755);
	rc = run(cmd);
	cr_assert_eq(rc, 0, "corpus build failed (exit %d), see %s.log", rc, out);
}

struct elf_file {
	int fd;
	Elf *elf;
};

static int elf_file_open(struct elf_file *f, const char *path)
{
	f->elf = NULL;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	return f->elf ? 0 : -EINVAL;
}

static void elf_file_close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

static Elf_Scn *find_section(Elf *elf, const char *want, GElf_Shdr *out)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, want)) {
			if (out)
				*out = sh;
			return scn;
		}
	}
	return NULL;
}

/* Instruction facts that show which -mcpu the code was built for. */
struct isa_use {
	int jmp32;	/* class BPF_JMP32 (v3+) */
	int v4;		/* ldsx, movsx, sdiv/smod, bswap, gotol */
	int insns;
};

static void scan_code(Elf *elf, struct isa_use *u)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		for (size_t i = 0; i + 8 <= d->d_size; i += 8) {
			const uint8_t *b = (const uint8_t *)d->d_buf + i;
			uint8_t code = b[0], cls = code & 7, op = code & 0xf0;
			int16_t off = (int16_t)(b[2] | b[3] << 8);

			u->insns++;
			if (cls == 0x06)
				u->jmp32++;
			if (cls == 0x01 && (code & 0xe0) == 0x80)		/* LDX MEMSX */
				u->v4++;
			if ((cls == 0x04 || cls == 0x07) && op == 0xb0 && !(code & 8) && off)
				u->v4++;					/* MOVSX */
			if ((cls == 0x04 || cls == 0x07) && (op == 0x30 || op == 0x90) && off == 1)
				u->v4++;					/* SDIV/SMOD */
			if (code == 0xd7)					/* BSWAP */
				u->v4++;
			if (code == 0x06)					/* GOTOL */
				u->v4++;
		}
	}
}

/* Everything wrong with one object, appended to msg; returns the count. */
static int check_object(const char *out, const struct expect *e, char *msg, size_t size)
{
	char path[PATH_MAX + 64];
	struct elf_file f;
	GElf_Ehdr eh;
	struct isa_use use = { 0 };
	size_t len = strlen(msg);
	int bad = 0;

#define BAD(...) do { \
		len += snprintf(msg + len, len < size ? size - len : 0, __VA_ARGS__); \
		bad++; \
	} while (0)

	snprintf(path, sizeof(path), "%s/%s.bpf.o", out, e->name);
	if (elf_file_open(&f, path) < 0) {
		BAD("%s: cannot open as ELF\n", path);
		elf_file_close(&f);
		return bad;
	}
	if (!gelf_getehdr(f.elf, &eh)) {
		BAD("%s: no ELF header\n", path);
	} else {
		if (eh.e_machine != EM_BPF)
			BAD("%s: e_machine %u, want EM_BPF (247)\n", path, eh.e_machine);
		if (eh.e_type != ET_REL)
			BAD("%s: e_type %u, want ET_REL\n", path, eh.e_type);
		if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
			BAD("%s: want 64-bit little-endian\n", path);
	}
	for (int i = 0; i < MAX_SECS && e->secs[i]; i++)
		if (!find_section(f.elf, e->secs[i], NULL))
			BAD("%s: no section '%s'\n", path, e->secs[i]);
	if (!find_section(f.elf, ".BTF", NULL))
		BAD("%s: no .BTF section (built without -g?)\n", path);
	if (!find_section(f.elf, ".BTF.ext", NULL))
		BAD("%s: no .BTF.ext section\n", path);

	scan_code(f.elf, &use);
	if (!use.insns)
		BAD("%s: no instructions\n", path);
	if (!strcmp(e->cpu, "v1") && use.jmp32)
		BAD("%s: built for v1 but has %d JMP32 instructions\n", path, use.jmp32);
	if (strcmp(e->cpu, "v4") && use.v4)
		BAD("%s: built for %s but has %d ISA v4 instructions\n", path, e->cpu, use.v4);
	if (!strcmp(e->cpu, "v4") && !use.v4)
		BAD("%s: built for v4 but uses no v4 instruction\n", path);
	elf_file_close(&f);
	return bad;
#undef BAD
}

Test(corpus, builds_and_every_object_is_bpf_elf, .timeout = 600)
{
	char out[PATH_MAX], msg[8192] = "";
	int bad = 0;

	cr_assert_neq(elf_version(EV_CURRENT), EV_NONE, "libelf too old");
	corpus_out(out, sizeof(out));
	build_corpus(out);
	for (size_t i = 0; i < N_CORPUS; i++)
		bad += check_object(out, &corpus[i], msg, sizeof(msg));
	cr_assert_eq(bad, 0, "%d problem(s):\n%s", bad, msg);
}

/* Every corpus/src/NAME.bpf.c has a row in the table above and in the README,
 * and every row has a source: adding a program means saying what it is. */
Test(corpus, sources_table_and_readme_agree)
{
	char dir[PATH_MAX], readme_path[PATH_MAX], *readme = NULL, want[NAME_MAX + 3];
	struct dirent *de;
	DIR *d;
	long rlen;
	int n_src = 0;

	tu_repo_path("corpus/src", dir, sizeof(dir));
	tu_repo_path("corpus/README.md", readme_path, sizeof(readme_path));
	rlen = bb_read_file(readme_path, &readme, NULL);
	cr_assert_geq(rlen, 0, "cannot read %s", readme_path);
	d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name), k;

		if (l < 7 || strcmp(de->d_name + l - 6, ".bpf.c"))
			continue;
		n_src++;
		for (k = 0; k < N_CORPUS; k++)
			if (strlen(corpus[k].name) == l - 6 &&
			    !strncmp(corpus[k].name, de->d_name, l - 6))
				break;
		cr_expect_lt(k, N_CORPUS, "%s has no row in tests/corpus/test_corpus.c", de->d_name);
		snprintf(want, sizeof(want), "`%s`", de->d_name);
		cr_expect_not_null(strstr(readme, want), "%s is not in corpus/README.md", de->d_name);
	}
	closedir(d);
	free(readme);
	cr_expect_eq((size_t)n_src, N_CORPUS, "%d sources, %zu table rows", n_src, N_CORPUS);
}

/* The helper ids in corpus/include/bb_helpers.h are the ones in the
 * project's table (isa/isa_helpers.h): a wrong id would call the wrong
 * kernel function and the verifier would complain about arguments. */
Test(corpus, helper_ids_match_isa_table)
{
	static const struct { int id; const char *name; } isa[] = {
#define X(id, name) { id, #name },
		ISA_HELPERS(X)
#undef X
	};
	char path[PATH_MAX], *text = NULL, *p;
	int found = 0;

	tu_repo_path("corpus/include/bb_helpers.h", path, sizeof(path));
	cr_assert_geq(bb_read_file(path, &text, NULL), 0, "cannot read %s", path);
	for (p = text; (p = strstr(p, "(* const bpf_")); ) {
		char name[64];
		const char *eq;
		int n = 0, id, k;
		size_t nisa = sizeof(isa) / sizeof(isa[0]);

		p += strlen("(* const bpf_");
		while (p[n] && p[n] != ')' && n < (int)sizeof(name) - 1) {
			name[n] = p[n];
			n++;
		}
		name[n] = '\0';
		eq = strstr(p, "= (void *) ");
		cr_assert_not_null(eq, "bpf_%s: no '= (void *) ID'", name);
		id = atoi(eq + strlen("= (void *) "));
		for (k = 0; k < (int)nisa; k++)
			if (!strcmp(isa[k].name, name))
				break;
		cr_expect_lt(k, (int)nisa, "bpf_%s is not in isa/isa_helpers.h", name);
		if (k < (int)nisa)
			cr_expect_eq(id, isa[k].id, "bpf_%s has id %d, isa/isa_helpers.h says %d",
				     name, id, isa[k].id);
		found++;
	}
	free(text);
	cr_assert_geq(found, 30, "only %d helper prototypes found in %s", found, path);
}
