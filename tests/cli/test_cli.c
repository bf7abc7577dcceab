/* SPDX-License-Identifier: MIT */
/*
 * The barebpf CLI as a user meets it: the conformance-plugin protocol,
 * bad input and bad arguments (one clear line, non-zero exit, no crash).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/bb.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"

struct cli_out {
	int status;     /* exit code; 128+sig if killed */
	char *out;
	char *err;
};

static void cli_out_free(struct cli_out *o)
{
	free(o->out);
	free(o->err);
}

/* Run "barebpf <args>" through the shell with @in on stdin. */
static struct cli_out run_cli(const char *args, const char *in)
{
	char dir[] = "/tmp/barebpf-cli-XXXXXX", cmd[8192], path[256];
	const char *cli = getenv("BAREBPF_CLI");
	struct cli_out o = { 0 };
	FILE *f;
	int st;

	cr_assert_not_null(cli, "BAREBPF_CLI is not set (run through make)");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/in", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(in ? in : "", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s %s < %s/in > %s/out 2> %s/err", cli, args, dir, dir, dir);
	st = system(cmd);
	o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	snprintf(path, sizeof(path), "%s/out", dir);
	cr_assert_geq(bb_read_file(path, &o.out, NULL), 0);
	snprintf(path, sizeof(path), "%s/err", dir);
	cr_assert_geq(bb_read_file(path, &o.err, NULL), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	return o;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The whole suite through the plugin protocol, exactly as the runner does it. */
Test(cli, conformance_plugin_protocol_all_313, .timeout = 300)
{
	struct tu_conf *t;
	int n = tu_conf_load(&t), pass = 0;

	cr_assert_eq(n, 313);
	for (int i = 0; i < n; i++) {
		char prog[65536], args[8192];
		size_t off = 0, aoff = 0;
		struct cli_out o;

		for (size_t k = 0; k < t[i].prog_len && off + 4 < sizeof(prog); k++)
			off += (size_t)snprintf(prog + off, sizeof(prog) - off, "%s%02x", k ? " " : "", t[i].prog[k]);
		snprintf(prog + off, sizeof(prog) - off, "\n");
		aoff += (size_t)snprintf(args, sizeof(args), "conformance-plugin");
		if (t[i].mem) {
			aoff += (size_t)snprintf(args + aoff, sizeof(args) - aoff, " '");
			for (size_t k = 0; k < t[i].mem_len && aoff + 4 < sizeof(args); k++)
				aoff += (size_t)snprintf(args + aoff, sizeof(args) - aoff, "%s%02x",
							 k ? " " : "", t[i].mem[k]);
			snprintf(args + aoff, sizeof(args) - aoff, "'");
		}
		o = run_cli(args, prog);
		cr_expect_eq(o.status, 0, "%s: exit %d: %s", t[i].name, o.status, o.err);
		if (!o.status && strtoull(o.out, NULL, 16) == t[i].result)
			pass++;
		else
			cr_log_error("%s: got '%s' want %#llx", t[i].name, o.out,
				     (unsigned long long)t[i].result);
		cli_out_free(&o);
	}
	cr_log_info("conformance-plugin: %d/%d", pass, n);
	cr_assert_eq(pass, n);
	tu_conf_free(t, n);
}

struct bad_arg {
	const char *args;
	const char *in;
	int status;
	const char *want;       /* substring of the single stderr line */
};

static const struct bad_arg bad_args[] = {
	{ "", NULL, 2, "usage: barebpf" },
	{ "frobnicate", NULL, 2, "unknown command 'frobnicate'" },
	{ "run", NULL, 2, "expected one program FILE" },
	{ "run /nonexistent.bin", NULL, 1, "/nonexistent.bin: No such file" },
	{ "run --budget 0 x", NULL, 2, "--budget wants a positive count" },
	{ "run --mem 'zz' /dev/null", NULL, 1, "not hex" },
	{ "disasm --syntax intel x", NULL, 2, "unknown syntax 'intel'" },
	{ "asm", NULL, 2, "expected one input FILE" },
	{ "conformance-plugin", "b7 00 00", 1, "not a whole number of instructions" },
	{ "conformance-plugin", "zz", 1, "not hex" },
	{ "conformance-plugin", "ff 00 00 00 00 00 00 00", 1, "insn 0: unknown opcode 0xff" },
	{ "conformance-plugin", "", 1, "empty program" },
	{ "conformance-plugin --jit", "", 1, "empty program" },
	{ "conformance-plugin 00 11 22", "", 2, "unexpected argument" },
	{ "run --jit /nonexistent.bin", NULL, 1, "/nonexistent.bin: No such file" },
};

Test(cli, bad_arguments_give_one_clear_line)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(bad_args); i++) {
		const struct bad_arg *b = &bad_args[i];
		struct cli_out o = run_cli(b->args, b->in);

		cr_expect_eq(o.status, b->status, "'%s': exit %d, stderr: %s", b->args, o.status, o.err);
		cr_expect(strstr(o.err, b->want), "'%s': stderr '%s' lacks '%s'", b->args, o.err, b->want);
		if (b->status == 1)
			cr_expect_eq(count_lines(o.err), 1, "'%s': stderr is not one line: %s", b->args, o.err);
		cli_out_free(&o);
	}
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

Test(cli, bad_files)
{
	static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const uint8_t odd[] = { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0 };
	static const uint8_t jump_out[] = { 0x05, 0, 9, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	struct cli_out o;

	write_file("/tmp/barebpf-t.o", elf, sizeof(elf));
	o = run_cli("run /tmp/barebpf-t.o", NULL);
	cr_expect_eq(o.status, 1);
	cr_expect(strstr(o.err, "/tmp/barebpf-t.o: not an ELF file"), "%s", o.err);
	cr_expect_eq(count_lines(o.err), 1, "%s", o.err);
	cli_out_free(&o);

	write_file("/tmp/barebpf-t.bin", odd, sizeof(odd));
	o = run_cli("disasm /tmp/barebpf-t.bin", NULL);
	cr_expect_eq(o.status, 1);
	cr_expect(strstr(o.err, "size 10 is not a whole number of 8-byte instructions"), "%s", o.err);
	cli_out_free(&o);

	write_file("/tmp/barebpf-t.bin", jump_out, sizeof(jump_out));
	o = run_cli("run /tmp/barebpf-t.bin", NULL);
	cr_expect_eq(o.status, 1);
	cr_expect(strstr(o.err, "/tmp/barebpf-t.bin: insn 0: jump out of range to 10"), "%s", o.err);
	cli_out_free(&o);

	write_file("/tmp/barebpf-t.s", "mov %r0, 1\nmvo %r0, 2\nexit\n", 27);
	o = run_cli("asm /tmp/barebpf-t.s", NULL);
	cr_expect_eq(o.status, 1);
	cr_expect(strstr(o.err, "/tmp/barebpf-t.s:2: "), "%s", o.err);
	cr_expect_eq(count_lines(o.err), 1, "%s", o.err);
	cli_out_free(&o);
	unlink("/tmp/barebpf-t.o");
	unlink("/tmp/barebpf-t.bin");
	unlink("/tmp/barebpf-t.s");
}

Test(cli, asm_disasm_run_and_checked)
{
	char path[4096], args[8192];
	struct cli_out o;

	tu_repo_path("corpus/asm/sum_bytes.s", path, sizeof(path));
	snprintf(args, sizeof(args), "asm %s -o /tmp/barebpf-sum.bin", path);
	o = run_cli(args, NULL);
	cr_assert_eq(o.status, 0, "%s", o.err);
	cli_out_free(&o);

	o = run_cli("run /tmp/barebpf-sum.bin --mem '01 02 03 04 0a' -q", NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect_str_eq(o.out, "14\n");
	cli_out_free(&o);

	o = run_cli("disasm /tmp/barebpf-sum.bin", NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.out, "(71) r1 = *(u8 *)(r3 +0)"), "%s", o.out);
	cli_out_free(&o);

	o = run_cli("run /tmp/barebpf-sum.bin --mem '05' --trace -q", NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.err, "r1=0x5"), "trace lacks the loaded byte: %s", o.err);
	cli_out_free(&o);
	unlink("/tmp/barebpf-sum.bin");

	tu_repo_path("corpus/asm/oob.s", path, sizeof(path));
	snprintf(args, sizeof(args), "run %s --mem '00' --checked", path);
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 1);
	cr_expect(strstr(o.err, "insn 0: out-of-bounds 1-byte read at 0x"), "%s", o.err);
	cr_expect(strstr(o.err, "(r1)"), "%s", o.err);
	cli_out_free(&o);
}

Test(cli, runs_data_files_and_checks_their_result)
{
	char args[8192];
	struct cli_out o;

	snprintf(args, sizeof(args), "run %s/callx.data", tu_conformance_dir());
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.out, "matches the expected result 0x2"), "%s", o.out);
	cli_out_free(&o);
}

Test(cli, every_subcommand_has_help)
{
	static const char *const cmds[] = { "asm", "disasm", "run", "conformance-plugin", "isa" };

	for (size_t i = 0; i < BB_ARRAY_SIZE(cmds); i++) {
		char args[64];
		struct cli_out o;

		snprintf(args, sizeof(args), "%s --help", cmds[i]);
		o = run_cli(args, NULL);
		cr_expect_eq(o.status, 0);
		cr_expect(strstr(o.out, "usage: barebpf"), "%s: %s", cmds[i], o.out);
		cli_out_free(&o);
	}
}

/* --kernel: the same bytes through BPF_PROG_TEST_RUN agree with the interpreter. */
Test(cli, run_kernel_agrees)
{
	char path[4096], args[8192];
	struct bb_err e;
	struct cli_out o;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here, kernel comparison skipped: %s", e.msg);
	tu_repo_path("corpus/asm/sum_bytes.s", path, sizeof(path));
	snprintf(args, sizeof(args), "run %s --mem '01 02 03 04 0a' --kernel", path);
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.out, "r0 = 0x14 (20)"), "%s", o.out);
	cr_expect(strstr(o.out, "kernel: r0 = 0x14 (20)"), "%s", o.out);
	cr_expect(strstr(o.out, "same as the interpreter"), "%s", o.out);
	cli_out_free(&o);
}

/* `barebpf conformance`: every .data file assembled by us and run, both modes. */
Test(cli, conformance_command_all_data_files, .timeout = 120)
{
	char args[8192];
	struct cli_out o;

	snprintf(args, sizeof(args), "conformance %s", tu_conformance_dir());
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 0, "%s", o.out);
	cr_expect(strstr(o.out, "conformance (normal mode): 313/313 passed"), "%s", o.out);
	cli_out_free(&o);
	snprintf(args, sizeof(args), "conformance %s --checked", tu_conformance_dir());
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 0, "%s", o.out);
	cr_expect(strstr(o.out, "conformance (checked mode): 313/313 passed"), "%s", o.out);
	cli_out_free(&o);
}

/* `disasm FILE.o` shows a clang-built object with its source lines. */
Test(cli, disasm_elf_object_with_source_lines)
{
	static const char src[] =
		"__attribute__((section(\"xdp\"), used)) int pass_all(void *ctx)\n"
		"{\n"
		"\treturn 2;\n"
		"}\n"
		"char _license[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";
	struct cli_out o;

	write_file("/tmp/barebpf-t-prog.c", src, sizeof(src) - 1);
	if (system("clang-19 -target bpf -O2 -g -c /tmp/barebpf-t-prog.c -o /tmp/barebpf-t-prog.o"))
		cr_assert_fail("clang-19 -target bpf failed (scripts/deps.sh installs clang-19)");
	o = run_cli("disasm /tmp/barebpf-t-prog.o", NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.out, "pass_all (SEC \"xdp\""), "%s", o.out);
	cr_expect(strstr(o.out, "return 2; @ barebpf-t-prog.c:3"), "%s", o.out);
	cr_expect(strstr(o.out, "(b4) w0 = 2") || strstr(o.out, "(b7) r0 = 2"), "%s", o.out);
	cli_out_free(&o);
	unlink("/tmp/barebpf-t-prog.c");
	unlink("/tmp/barebpf-t-prog.o");
}

/* `load`: the kernel's verdict per program, with its reason for a refusal. */
Test(cli, load_reports_kernel_verdicts)
{
	static const char src[] =
		"#define SEC(s) __attribute__((section(s), used))\n"
		"volatile int counter;\n"
		"SEC(\"xdp\") int good(void *ctx) { counter++; return 2; }\n"
		"SEC(\"xdp\") int bad(void *ctx) { return *(volatile int *)0x1234; }\n"
		"char _license[] SEC(\"license\") = \"GPL\";\n";
	struct bb_err e;
	struct cli_out o;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here, kernel load skipped: %s", e.msg);
	write_file("/tmp/barebpf-t-load.c", src, sizeof(src) - 1);
	if (system("clang-19 -target bpf -O2 -g -c /tmp/barebpf-t-load.c -o /tmp/barebpf-t-load.o"))
		cr_assert_fail("clang-19 -target bpf failed (scripts/deps.sh installs clang-19)");
	o = run_cli("load /tmp/barebpf-t-load.o", NULL);
	cr_expect_eq(o.status, 1, "a refused program makes the exit status 1");
	cr_expect(strstr(o.out, "good") && strstr(o.out, "loaded (fd"), "%s", o.out);
	cr_expect(strstr(o.out, "REFUSED") && strstr(o.out, "prog 'bad'"), "%s", o.out);
	cr_expect(strstr(o.out, "invalid mem access 'scalar'"), "kernel reason missing: %s", o.out);
	cr_expect(strstr(o.out, "1/2 programs loaded"), "%s", o.out);
	cli_out_free(&o);
	unlink("/tmp/barebpf-t-load.c");
	unlink("/tmp/barebpf-t-load.o");
}

/* --compare: interpreter, JIT and kernel side by side on the same bytes. */
Test(cli, run_compare_three_engines)
{
	char path[4096], args[8192];
	struct bb_err e;
	struct cli_out o;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here, kernel comparison skipped: %s", e.msg);
	tu_repo_path("corpus/asm/sum_bytes.s", path, sizeof(path));
	snprintf(args, sizeof(args), "run %s --mem '01 02 03 04 0a' --compare", path);
	o = run_cli(args, NULL);
	cr_expect_eq(o.status, 0, "%s", o.err);
	cr_expect(strstr(o.out, "interp: r0 = 0x14 (20)"), "%s", o.out);
	cr_expect(strstr(o.out, "jit:    r0 = 0x14 (20)"), "%s", o.out);
	cr_expect(strstr(o.out, "kernel: r0 = 0x14 (20)"), "%s", o.out);
	cli_out_free(&o);
}
