/* SPDX-License-Identifier: MIT */
/*
 * tests/env/test_run_cli.c - `barebpf run FILE.o` output: ring buffer
 * records as hex with a text column (the corpus objects carry no BTF for
 * their record structs), histogram maps as log2 histograms, the same in
 * JSON.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/testutil.h"

static char *run_cli(const char *args)
{
	char cmd[2048], bin[512], root[512];
	const char *cli = getenv("BAREBPF_CLI");
	size_t cap = 1 << 16, len = 0, n;
	char *out = malloc(cap);
	FILE *p;

	if (!cli)
		cli = tu_repo_path("build/barebpf", bin, sizeof(bin));
	snprintf(cmd, sizeof(cmd), "cd %s && %s run %s 2>&1", tu_repo_path(".", root, sizeof(root)),
		 cli, args);
	p = popen(cmd, "r");
	cr_assert(p && out);
	while ((n = fread(out + len, 1, cap - 1 - len, p)) > 0)
		len += n;
	out[len] = '\0';
	cr_assert_eq(pclose(p), 0, "%s\n%s", cmd, out);
	return out;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* opensnoop keeps struct open_event in its BTF: records print by field. */
Test(env_run_cli, record_decoded_through_btf)
{
	char *o = run_cli("build/corpus/opensnoop.bpf.o"
			  " --run tracepoint/syscalls/sys_enter_openat:tests/env/data/openat_enter.ctx"
			  " --run tracepoint/syscalls/sys_exit_openat:tests/env/data/openat_exit.ctx");

	cr_assert(strstr(o, "events record (cpu 0, 288 bytes, struct open_event):"), "%s", o);
	cr_assert(strstr(o, "pid=1234 uid=1000 ret=3 flags=0 comm=\"cat\" fname=\"/etc/passwd\""),
		  "%s", o);
	free(o);
}

/* A record whose struct is not in the object's BTF prints as hex with a
 * text column and the zero tail collapsed. */
Test(env_run_cli, record_hex_with_text_column_and_zero_tail)
{
	static const char src[] =
		"#define SEC(s) __attribute__((section(s), used))\n"
		"struct { int (*type)[27]; int (*max_entries)[4096]; } rb SEC(\".maps\");\n"
		"static long (*output)(void *, void *, unsigned long long, unsigned long long) = (void *)130;\n"
		"SEC(\"socket\") int emit(void *ctx)\n"
		"{\n"
		"\tchar rec[288] = \"cat\";\n"
		"\toutput(&rb, rec, sizeof(rec), 0);\n"
		"\treturn 0;\n"
		"}\n"
		"char _license[] SEC(\"license\") = \"GPL\";\n";
	char c[64], obj[64], args[256], *o;

	snprintf(c, sizeof(c), "/tmp/barebpf_env_%d_rec.c", (int)getpid());
	snprintf(obj, sizeof(obj), "/tmp/barebpf_env_%d_rec.o", (int)getpid());
	write_file(c, src);
	snprintf(args, sizeof(args), "clang-19 -target bpf -O2 -g -c %s -o %s", c, obj);
	cr_assert_eq(system(args), 0, "clang-19 -target bpf failed (scripts/deps.sh installs it)");
	snprintf(args, sizeof(args), "%s --packet 0000000000000000000000000000", obj);
	o = run_cli(args);
	cr_assert(strstr(o, "rb record (cpu 0, 288 bytes):"), "%s", o);
	cr_assert(strstr(o, "63 61 74 00 00 00 00 00 00 00 00 00 00 00 00 00  |cat.............|"),
		  "%s", o);
	cr_assert(strstr(o, "(240 more zero bytes)"), "%s", o);
	free(o);
	unlink(c);
	unlink(obj);
}

Test(env_run_cli, histogram_maps_print_as_log2_histograms)
{
	char *o, *j, en[64], ex[64], bio[64], args[512];

	/* per-process names: the release and san builds may run at once */
	snprintf(en, sizeof(en), "/tmp/barebpf_env_%d_enter.ctx", (int)getpid());
	snprintf(ex, sizeof(ex), "/tmp/barebpf_env_%d_exit.ctx", (int)getpid());
	snprintf(bio, sizeof(bio), "/tmp/barebpf_env_%d_bio.ctx", (int)getpid());
	write_file(en, "# barebpf ctx\ntask pid=100 tgid=100 comm=cat\nsize 40\nu64 32 4096\n");
	write_file(ex, "# barebpf ctx\ntask pid=100 tgid=100 comm=cat\nsize 24\nu64 16 100\n");
	snprintf(args, sizeof(args), "build/corpus/readsize.bpf.o"
		 " --run tracepoint/syscalls/sys_enter_read:%s"
		 " --run tracepoint/syscalls/sys_exit_read:%s", en, ex);
	o = run_cli(args);
	cr_assert(strstr(o, "@hist tgid=100 kind=0:\n[4K, 8K)                    1 |@@@@"), "%s", o);
	cr_assert(strstr(o, "@hist tgid=100 kind=1:\n[64, 128)                   1 |@@@@"), "%s", o);
	strcat(args, " -j");
	j = run_cli(args);
	cr_assert(strstr(j, "\"histograms\":[{\"name\":\"hist tgid=100 kind=0\",\"slots\":"
			    "[{\"lo\":4096,\"hi\":8192,\"count\":1}]}"), "%s", j);
	cr_assert(strstr(j, "\"elements\":[{\"key\":"), "JSON keeps the elements: %s", j);
	free(o);
	free(j);
	/* an array of slots (biolatency's hist; the clock stands still, so
	 * the latency is 0: slot 0) */
	write_file(bio, "# barebpf ctx\nsize 64\nu32 8 2048\nu64 16 77\n");
	snprintf(args, sizeof(args), "build/corpus/biolatency.bpf.o"
		 " --run tracepoint/block/block_rq_issue:%s"
		 " --run tracepoint/block/block_rq_complete:%s", bio, bio);
	o = run_cli(args);
	cr_assert(strstr(o, "@hist:\n[0, 2)                      1 |@@@@"), "%s", o);
	cr_assert(strstr(o, "@slow:") == NULL, "a one-element array is no histogram: %s", o);
	free(o);
	remove(en);
	remove(ex);
	remove(bio);
}

/* `--jit`: the same output as the interpreter's, but "jit" where the
 * interpreter counts instructions. */
static void strip_insns(char *s)
{
	char *w = s;

	for (const char *r = s; *r;) {
		const char *p = r;

		if (*r == ',' && r[1] == ' ') {
			for (p = r + 2; *p >= '0' && *p <= '9'; p++)
				;
			if (p > r + 2 && !strncmp(p, " insns", 6)) {
				memcpy(w, ", jit", 5);
				w += 5;
				r = p + 6;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

Test(env_run_cli, jit_prints_what_the_interpreter_prints)
{
	static const char *const runs[] = {
		"build/corpus/xdp_filter.bpf.o --packet 02000000000202000000000108004500002000000000401166cb0a0000010a00000204d20009000c0000",
		"build/corpus/loop_subprog.bpf.o --checked --packet 02000000000202000000000108004500002000000000401166cb0a0000010a00000204d20035000c0000",
		"build/corpus/tailcall.bpf.o --prog tailcall_entry --packet 02000000000202000000000108004500002000000000401166cb0a0000010a00000204d20016000c0000",
	};
	char args[1024];

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char *in = run_cli(runs[i]), *jit;

		snprintf(args, sizeof(args), "%s --jit", runs[i]);
		jit = run_cli(args);
		strip_insns(in);
		cr_assert(strstr(jit, ", jit"), "%s", jit);
		cr_assert_str_eq(jit, in, "%s", runs[i]);
		free(in);
		free(jit);
	}
}
