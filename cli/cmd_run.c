/* SPDX-License-Identifier: MIT */
/* barebpf run | conformance-plugin */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd_run_obj.h"
#include "interp/vm.h"
#include "jit-x86_64/jit.h"
#include "loader/ldr.h"

/*
 * The offline helpers available before maps/ exists: the ones that need
 * no kernel state.  Each behaves like its kernel namesake.
 */
static uint64_t h_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			       uint64_t r5, struct vm_call *call)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t h_get_prandom_u32(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct vm_call *call)
{
	/* xorshift32, per process; the kernel's is per-CPU and unseeded too. */
	static uint32_t s = 2463534242u;

	s ^= s << 13;
	s ^= s >> 17;
	s ^= s << 5;
	return s;
}

static uint64_t h_get_smp_processor_id(uint64_t r1, uint64_t r2, uint64_t r3,
				       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return 0;       /* offline runs have one virtual CPU */
}

struct vm_helpers *cli_default_helpers(void)
{
	struct vm_helpers *h = vm_helpers_new();

	if (!h)
		return NULL;
	if (vm_helpers_add(h, 5, NULL, h_ktime_get_ns) ||
	    vm_helpers_add(h, 7, NULL, h_get_prandom_u32) ||
	    vm_helpers_add(h, 8, NULL, h_get_smp_processor_id)) {
		vm_helpers_free(h);
		return NULL;
	}
	return h;
}

/* --trace: one line per executed instruction, then what it changed. */
struct tracer {
	const struct isa_raw *insns;
	size_t n;
};

static void trace_insn(void *arg, uint32_t pc, const struct isa_insn *in,
		       const uint64_t before[VM_NREGS], const uint64_t after[VM_NREGS])
{
	const struct tracer *t = arg;
	char text[160];
	int col;

	isa_disasm_insn(t->insns, t->n, pc, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
	col = fprintf(stderr, "%5u: (%02x) %s", pc, in->code, text);
	for (int r = 0; r < VM_NREGS; r++) {
		if (before[r] == after[r])
			continue;
		col += fprintf(stderr, "%*s r%d=%#" PRIx64, col < 48 ? 48 - col : 1,
			       col < 48 ? ";" : "", r, after[r]);
		col = 48;
	}
	fputc('\n', stderr);
}

/* --kernel: the same bytes through the kernel oracle; 1 on a difference
 * from @ours, which @engine ("interpreter", "JIT") produced. */
static int run_in_kernel(const char *path, const struct cli_prog *p, const uint8_t *mem,
			 size_t mem_len, uint64_t ours, const char *engine, bool quiet)
{
	LDR_OPTS(ldr_oracle_opts, o, .name = "barebpf_run", .mem = mem, .mem_len = mem_len);
	struct bb_err e;

	bb_err_clear(&e);
	bb_err_set_file(&e, path);
	if (ldr_oracle_run(p->insns, p->n, &o, &e)) {
		cli_fail("run --kernel", &e);
		return 1;
	}
	if (!quiet)
		printf("kernel: r0 = %#" PRIx64 " (%" PRId64 ")  [XDP + BPF_PROG_TEST_RUN] %s%s\n",
		       o.r0, (int64_t)o.r0, o.r0 == ours ? "same as the " : "DIFFERS from the ",
		       engine);
	if (o.r0 != ours) {
		fprintf(stderr, "barebpf run: %s: %s r0 %#" PRIx64 " != kernel r0 %#" PRIx64 "\n",
			path, engine, ours, o.r0);
		return 1;
	}
	return 0;
}

/* --compare: the JIT on a fresh copy of the input, next to the interpreter's r0. */
static int run_jit_too(const char *path, const struct cli_prog *p, const struct vm_helpers *h,
		       const uint8_t *mem, size_t mem_len, uint64_t ours)
{
	struct jit_prog *jp = NULL;
	uint8_t *copy = NULL;
	struct bb_err e;
	uint64_t r0 = 0;
	int status = 1;

	bb_err_clear(&e);
	bb_err_set_file(&e, path);
	if (mem_len && !(copy = malloc(mem_len))) {
		fprintf(stderr, "barebpf run: out of memory\n");
		return 1;
	}
	if (copy)
		memcpy(copy, mem, mem_len);
	if (jit_compile(p->insns, p->n, h, NULL, &jp, &e) ||
	    jit_run(jp, copy, mem_len, &r0, &e)) {
		cli_fail("run --compare", &e);
		goto out;
	}
	printf("jit:    r0 = %#" PRIx64 " (%" PRId64 ")  [x86-64 JIT, %zu bytes of code] %s\n", r0,
	       (int64_t)r0, jit_stats(jp)->image_size,
	       r0 == ours ? "same as the interpreter" : "DIFFERS from the interpreter");
	status = r0 == ours ? 0 : 1;
out:
	jit_free(jp);
	free(copy);
	return status;
}

static void help_run(void)
{
	printf("usage: barebpf run FILE [--mem HEX | --mem-file F] [--checked] [--trace]\n"
	       "                       [--budget N] [--jit] [-q]\n\n"
	       "Run the program in FILE (raw bytes, hex text, assembly or a\n"
	       "bpf_conformance .data file) in the interpreter with r1 = memory and\n"
	       "r2 = its length (both 0 without memory) and print r0.\n\n"
	       "  --mem HEX       input memory as hex bytes ('00 11 22')\n"
	       "  --mem-file F    input memory from a file's raw bytes\n"
	       "  --checked       bounds-check every load and store; report the first\n"
	       "                  out-of-bounds access instead of crashing\n"
	       "  --trace         print each executed instruction and the registers it\n"
	       "                  changed (stderr)\n"
	       "  --budget N      stop after N instructions\n"
	       "  --jit           run through the x86-64 JIT instead (with --checked: JIT\n"
	       "                  code with bounds checks)\n"
	       "  --compare       run in the interpreter, the JIT and the kernel, side by side\n"
	       "                  (exit 1 if they differ)\n"
	       "  --kernel        also run the same bytes in the running kernel (as XDP\n"
	       "                  via BPF_PROG_TEST_RUN, full 64-bit r0) and compare\n"
	       "  -q              print only r0, in hex\n"
	       "A .data file's '-- mem' is used unless --mem is given, and its\n"
	       "'-- result' is checked (exit 1 on a mismatch).\n");
	printf("\n");
	help_run_obj();
}

/* `run FILE.o ...` runs an object's program in the offline environment. */
static bool runs_object(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *prev = argv[i - 1];

		if (argv[i][0] == '-' || !strcmp(prev, "--mem") || !strcmp(prev, "--mem-file") ||
		    !strcmp(prev, "--budget"))
			continue;
		if (cli_is_elf_file(argv[i]))
			return true;
	}
	return false;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "mem-file", required_argument, NULL, 'f' },
		{ "checked", no_argument, NULL, 'c' },
		{ "trace", no_argument, NULL, 't' },
		{ "budget", required_argument, NULL, 'b' },
		{ "jit", no_argument, NULL, 'J' },
		{ "kernel", no_argument, NULL, 'k' },
		{ "compare", no_argument, NULL, 'C' },
		{ 0 },
	};
	bool kernel = false, use_jit = false, compare = false;
	struct jit_prog *jp = NULL;
	const char *mem_hex = NULL, *mem_file = NULL;
	struct vm_run_opts ro = { 0 };
	struct vm_helpers *helpers = NULL;
	struct vm *vm = NULL;
	struct cli_prog p = { 0 };
	struct tracer tr;
	struct bb_err e;
	uint8_t *mem = NULL, *mem_orig = NULL;
	size_t mem_len = 0;
	bool quiet = false;
	uint64_t r0 = 0;
	int c, status = 1;

	if (runs_object(argc, argv))
		return cmd_run_obj(argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			mem_hex = optarg;
			break;
		case 'f':
			mem_file = optarg;
			break;
		case 'c':
			ro.checked = true;
			break;
		case 't':
			ro.trace = trace_insn;
			break;
		case 'b': {
			char *end;

			errno = 0;
			ro.budget = strtoull(optarg, &end, 0);
			if (*end || errno || !ro.budget)
				return cli_usage("run", "--budget wants a positive count, not '%s'", optarg);
			break;
		}
		case 'J':
			use_jit = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'k':
			kernel = true;
			break;
		case 'C':
			compare = kernel = true;
			break;
		default:
			return cli_usage("run", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("run", "expected one program FILE");
	if (mem_hex && mem_file)
		return cli_usage("run", "--mem and --mem-file are exclusive");
	/* Memory first: a bad --mem is reported before the program is read. */
	if (mem_hex || mem_file) {
		long n;

		bb_err_clear(&e);
		if (mem_hex) {
			n = bb_hex_parse(mem_hex, &mem, &e);
		} else {
			char *buf;

			n = bb_read_file(mem_file, &buf, &e);
			mem = (uint8_t *)buf;
		}
		if (n < 0) {
			if (mem_hex)
				snprintf(e.file, sizeof(e.file), "--mem");
			status = cli_fail("run", &e);
			goto out;
		}
		mem_len = (size_t)n;
	}
	bb_err_clear(&e);
	if (cli_prog_read(argv[optind], &p, &e)) {
		status = cli_fail("run", &e);
		goto out;
	}
	if (!mem_hex && !mem_file && p.mem) {
		mem = p.mem;
		mem_len = p.mem_len;
		p.mem = NULL;
	}
	helpers = cli_default_helpers();
	vm = vm_new(helpers);
	if (!helpers || !vm) {
		fprintf(stderr, "barebpf run: out of memory\n");
		goto out;
	}
	bb_err_clear(&e);
	bb_err_set_file(&e, argv[optind]);
	if (vm_load(vm, p.insns, p.n, &e)) {
		status = cli_fail("run", &e);
		goto out;
	}
	tr.insns = p.insns;
	tr.n = p.n;
	ro.trace_arg = &tr;
	/* The program may write its memory; the kernel must see the original. */
	if (kernel && mem_len && !(mem_orig = malloc(mem_len))) {
		fprintf(stderr, "barebpf run: out of memory\n");
		goto out;
	}
	if (mem_orig)
		memcpy(mem_orig, mem, mem_len);
	if (use_jit) {
		/* The same bytes through the x86-64 JIT (--checked compiles the
		 * bounds checks in); trace and budget are interpreter features. */
		struct jit_opts jo = { .checked = ro.checked };

		if (ro.trace || ro.budget) {
			status = cli_usage("run", "--jit cannot --trace or --budget (interpreter only)");
			goto out;
		}
		if (jit_compile(p.insns, p.n, helpers, &jo, &jp, &e) ||
		    jit_run(jp, mem_len ? mem : NULL, mem_len, &r0, &e)) {
			status = cli_fail("run", &e);
			goto out;
		}
	} else if (vm_run(vm, mem_len ? mem : NULL, mem_len, &ro, &r0, &e)) {
		status = cli_fail("run", &e);
		goto out;
	}
	if (quiet)
		printf("%" PRIx64 "\n", r0);
	else if (use_jit)
		printf("r0 = %#" PRIx64 " (%" PRId64 ")  [x86-64 JIT, %zu bytes of code]\n", r0,
		       (int64_t)r0, jit_stats(jp)->image_size);
	else
		printf("%sr0 = %#" PRIx64 " (%" PRId64 ")  [%" PRIu64 " insns]\n",
		       compare ? "interp: " : "", r0, (int64_t)r0, vm_stats(vm)->insns);
	status = 0;
	if (compare && use_jit) {
		status = cli_usage("run", "--compare runs the JIT itself; leave out --jit");
		goto out;
	}
	if (compare && run_jit_too(argv[optind], &p, helpers, mem_orig, mem_len, r0))
		status = 1;
	if (kernel && run_in_kernel(argv[optind], &p, mem_orig, mem_len, r0,
				    use_jit ? "JIT" : "interpreter", quiet))
		status = 1;
	if (p.has_result && !mem_hex && !mem_file) {
		if (r0 != p.result) {
			fprintf(stderr, "barebpf run: %s: r0 %#" PRIx64 " differs from the expected %#" PRIx64 "\n",
				argv[optind], r0, p.result);
			status = 1;
		} else if (!quiet) {
			printf("matches the expected result %#" PRIx64 "\n", p.result);
		}
	}
out:
	jit_free(jp);
	vm_free(vm);
	vm_helpers_free(helpers);
	free(mem);
	free(mem_orig);
	cli_prog_free(&p);
	return status;
}

static void help_conformance_plugin(void)
{
	printf("usage: barebpf conformance-plugin [MEMHEX] [--jit] [--elf]\n\n"
	       "The bpf_conformance runner's plugin protocol: the program arrives on\n"
	       "stdin as one line of space-separated hex bytes, the memory as hex bytes\n"
	       "in the first argument (absent: r1 = r2 = 0; else r1 = pointer,\n"
	       "r2 = length).  Prints r0 in hex and exits 0, or an error on stderr\n"
	       "and exits 1.  Use with: bpf_conformance_runner --plugin_path barebpf\n"
	       "--plugin_options conformance-plugin --cpu_version v4\n"
	       "--include_groups callx packet --test_file_directory tests\n");
}

static int cmd_conformance_plugin(int argc, char **argv)
{
	const char *mem_hex = NULL;
	struct vm_helpers *helpers = NULL;
	struct vm *vm = NULL;
	struct jit_prog *jp = NULL;
	bool use_jit = false;
	struct bb_vec line;
	struct bb_err e;
	uint8_t *prog = NULL, *mem = NULL;
	long n, mem_len = 0;
	uint64_t r0;
	int ch, status = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--jit")) {
			use_jit = true;
		} else if (!strcmp(argv[i], "--elf")) {
			fprintf(stderr, "barebpf conformance-plugin: --elf: ELF input is not supported yet "
				"(elf/ is planned; see the README status table)\n");
			return 1;
		} else if (!mem_hex) {
			mem_hex = argv[i];
		} else {
			return cli_usage("conformance-plugin", "unexpected argument '%s'", argv[i]);
		}
	}
	/* One line of hex on stdin; read it whole, however long. */
	bb_vec_init(&line, 1);
	while ((ch = getchar()) != EOF && ch != '\n') {
		char cc = (char)ch;

		if (!bb_vec_push(&line, &cc))
			goto oom;
	}
	if (!bb_vec_push(&line, "\0"))
		goto oom;
	bb_err_clear(&e);
	bb_err_set_file(&e, "stdin");
	n = bb_hex_parse(line.data, &prog, &e);
	bb_vec_free(&line);
	if (n < 0) {
		status = cli_fail("conformance-plugin", &e);
		goto out;
	}
	if (n % 8) {
		bb_err_insn(&e, -EINVAL, -1, "%ld program bytes is not a whole number of instructions", n);
		status = cli_fail("conformance-plugin", &e);
		goto out;
	}
	if (mem_hex) {
		bb_err_set_file(&e, "memory argument");
		mem_len = bb_hex_parse(mem_hex, &mem, &e);
		if (mem_len < 0) {
			status = cli_fail("conformance-plugin", &e);
			goto out;
		}
	}
	helpers = cli_default_helpers();
	vm = vm_new(helpers);
	if (!helpers || !vm)
		goto oom;
	bb_err_set_file(&e, "stdin");
	if (use_jit ? jit_compile((const struct isa_raw *)prog, (size_t)n / 8, helpers, NULL, &jp, &e) ||
		      jit_run(jp, mem_len ? mem : NULL, (size_t)mem_len, &r0, &e)
		    : vm_load(vm, (const struct isa_raw *)prog, (size_t)n / 8, &e) ||
		      vm_run(vm, mem_len ? mem : NULL, (size_t)mem_len, NULL, &r0, &e)) {
		status = cli_fail("conformance-plugin", &e);
		goto out;
	}
	printf("%" PRIx64 "\n", r0);
	status = 0;
	goto out;
oom:
	bb_vec_free(&line);
	fprintf(stderr, "barebpf conformance-plugin: out of memory\n");
out:
	jit_free(jp);
	vm_free(vm);
	vm_helpers_free(helpers);
	free(prog);
	free(mem);
	return status;
}

static void help_conformance(void)
{
	printf("usage: barebpf conformance [DIR] [--checked] [--jit] [-v]\n\n"
	       "Assemble and run every bpf_conformance .data file in DIR (default\n"
	       "../shared/conformance) in the interpreter and compare r0 with the\n"
	       "file's '-- result'.  Prints failures and a summary; exits 1 if any\n"
	       "test fails.\n\n"
	       "  --checked   run in checked mode (bounds-checked memory access)\n"
	       "  --jit       run through the x86-64 JIT instead of the interpreter\n"
	       "  -v          print every test, not only failures\n");
}

static int filter_data(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".data");
}

static int cmd_conformance(int argc, char **argv)
{
	const char *dir = "../shared/conformance";
	struct vm_run_opts ro = { 0 };
	struct vm_helpers *helpers;
	struct dirent **names;
	bool verbose = false, use_jit = false;
	int n, pass = 0, fail = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--checked"))
			ro.checked = true;
		else if (!strcmp(argv[i], "--jit"))
			use_jit = true;
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (argv[i][0] == '-')
			return cli_usage("conformance", "unknown option '%s'", argv[i]);
		else
			dir = argv[i];
	}
	n = scandir(dir, &names, filter_data, alphasort);
	if (n < 0) {
		fprintf(stderr, "barebpf conformance: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	helpers = cli_default_helpers();
	for (int i = 0; i < n; i++) {
		char path[4096], line[1024];
		struct cli_prog p;
		struct bb_err e;
		struct vm *vm = NULL;
		uint64_t r0 = 0;
		int ret;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		bb_err_clear(&e);
		ret = cli_prog_read(path, &p, &e);
		if (!ret && use_jit) {
			struct jit_opts jo = { .checked = ro.checked };
			struct jit_prog *jp = NULL;

			ret = jit_compile(p.insns, p.n, helpers, &jo, &jp, &e);
			if (!ret)
				ret = jit_run(jp, p.mem, p.mem_len, &r0, &e);
			jit_free(jp);
		} else if (!ret) {
			vm = vm_new(helpers);
			ret = vm ? vm_load(vm, p.insns, p.n, &e) : -ENOMEM;
			if (!ret)
				ret = vm_run(vm, p.mem, p.mem_len, &ro, &r0, &e);
		}
		if (ret) {
			printf("FAIL %s: %s\n", names[i]->d_name, bb_err_str(&e, line, sizeof(line)));
			fail++;
		} else if (!p.has_result || r0 != p.result) {
			printf("FAIL %s: r0 %#" PRIx64 ", expected %#" PRIx64 "\n",
			       names[i]->d_name, r0, p.result);
			fail++;
		} else {
			if (verbose)
				printf("PASS %s: %#" PRIx64 "\n", names[i]->d_name, r0);
			pass++;
		}
		vm_free(vm);
		cli_prog_free(&p);
		free(names[i]);
	}
	free(names);
	vm_helpers_free(helpers);
	printf("conformance (%s%s mode): %d/%d passed\n", use_jit ? "JIT, " : "",
	       ro.checked ? "checked" : "normal", pass, pass + fail);
	return fail ? 1 : 0;
}

CLI_COMMAND(run, 30, "run a program in the interpreter (or the kernel) and print r0", cmd_run, help_run)
CLI_COMMAND(conformance, 40, "run a directory of bpf_conformance .data files", cmd_conformance, help_conformance)
CLI_COMMAND_NAMED(conformance_plugin, "conformance-plugin", 45, "bpf_conformance runner plugin (program on stdin)", cmd_conformance_plugin, help_conformance_plugin)
