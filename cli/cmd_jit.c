/* SPDX-License-Identifier: MIT */
/* barebpf jit FILE [--dump] [--checked] [--blind] [-o IMAGE] */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "interp/vm.h"
#include "jit-x86_64/jit.h"

static void help_jit(void)
{
	printf("usage: barebpf jit FILE [--dump] [--checked] [--blind] [-o IMAGE]\n\n"
	       "Compile the program in FILE (raw bytes, hex text, assembly or a\n"
	       "bpf_conformance .data file) with the x86-64 JIT and print the code\n"
	       "size, passes and compile time.\n\n"
	       "  --dump      each BPF instruction (pseudo-C) followed by the x86-64\n"
	       "              bytes generated for it, with their mnemonics when objdump\n"
	       "              is installed; then the entry code and the error paths\n"
	       "  --checked   compile with bounds checks on every memory access\n"
	       "  --blind     constant blinding (no immediate appears in the code)\n"
	       "  -o IMAGE    write the machine code to IMAGE, for\n"
	       "              objdump -D -b binary -mi386:x86-64 IMAGE\n");
}

/* objdump's view of the image: one line per x86 instruction. */
struct x86_line {
	size_t addr;
	char text[96];
};

static size_t disassemble(const uint8_t *code, size_t size, struct x86_line **out)
{
	char path[] = "/tmp/barebpf-jit-XXXXXX", cmd[256], line[512];
	struct x86_line *v = NULL;
	size_t n = 0, cap = 0;
	FILE *f, *p;
	int fd;

	*out = NULL;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	f = fdopen(fd, "wb");
	if (!f || fwrite(code, 1, size, f) != size) {
		if (f)
			fclose(f);
		unlink(path);
		return 0;
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "objdump -D -b binary -mi386:x86-64 --insn-width=16 %s 2>/dev/null", path);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		char *colon = strchr(line, ':'), *tab1, *tab2, *end;
		size_t addr;

		if (!colon || !(tab1 = strchr(colon, '\t')) || !(tab2 = strchr(tab1 + 1, '\t')))
			continue;
		addr = strtoul(line, &end, 16);
		if (end != colon)
			continue;
		if (n == cap) {
			struct x86_line *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		tab2[strcspn(tab2, "\n")] = '\0';
		v[n].addr = addr;
		/* collapse objdump's padding between mnemonic and operands */
		{
			size_t k = 0;

			for (const char *s = tab2 + 1; *s && k + 1 < sizeof(v[n].text); s++)
				if (*s != ' ' || (k && v[n].text[k - 1] != ' '))
					v[n].text[k++] = *s;
			v[n].text[k] = '\0';
		}
		n++;
	}
	if (p)
		pclose(p);
	unlink(path);
	*out = v;
	return n;
}

/* The code in [from, to): per x86 instruction when objdump told us where
 * they start, else 16 raw bytes a line. */
static void dump_range(const uint8_t *code, size_t from, size_t to,
		       const struct x86_line *x, size_t nx)
{
	size_t i = 0;

	while (i < nx && x[i].addr < from)
		i++;
	if (!nx) {
		for (size_t a = from; a < to; a += 16) {
			printf("      %04zx:", a);
			for (size_t k = a; k < to && k < a + 16; k++)
				printf(" %02x", code[k]);
			putchar('\n');
		}
		return;
	}
	for (; i < nx && x[i].addr < to; i++) {
		size_t end = i + 1 < nx && x[i + 1].addr < to ? x[i + 1].addr : to;
		int col = printf("      %04zx:", x[i].addr);

		for (size_t k = x[i].addr; k < end; k++)
			col += printf(" %02x", code[k]);
		printf("%*s%s\n", col < 48 ? 48 - col : 1, "", x[i].text);
	}
}

static void dump(const struct jit_prog *jp)
{
	size_t size, n, nx;
	const uint8_t *code = jit_code(jp, &size);
	const struct isa_raw *insns = jit_insns(jp, &n);
	struct x86_line *x;
	char text[160];

	nx = disassemble(code, size, &x);
	if (!nx)
		printf("; objdump not found: bytes only\n");
	printf("; entry: save registers, r12 = context, load r1/r2/r10, call the program\n");
	dump_range(code, 0, (size_t)jit_insn_offset(jp, 0), x, nx);
	for (size_t pc = 0; pc < n; pc++) {
		long from = jit_insn_offset(jp, pc), to;
		size_t next = pc + 1;

		if (from < 0)
			continue;
		while (jit_insn_offset(jp, next) < 0)
			next++;
		to = jit_insn_offset(jp, next);
		isa_disasm_insn(insns, n, pc, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
		printf("%5zu: (%02x) %s\n", pc, insns[pc].code, text);
		dump_range(code, (size_t)from, (size_t)to, x, nx);
	}
	if ((size_t)jit_insn_offset(jp, n) < size) {
		printf("; error paths\n");
		dump_range(code, (size_t)jit_insn_offset(jp, n), size, x, nx);
	}
	free(x);
}

static int cmd_jit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump", no_argument, NULL, 'd' },
		{ "checked", no_argument, NULL, 'c' },
		{ "blind", no_argument, NULL, 'b' },
		{ 0 },
	};
	struct jit_opts jo = { 0 };
	struct vm_helpers *helpers = NULL;
	struct jit_prog *jp = NULL;
	struct cli_prog p = { 0 };
	const char *image = NULL;
	bool do_dump = false;
	struct bb_err e;
	int c, status = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			do_dump = true;
			break;
		case 'c':
			jo.checked = true;
			break;
		case 'b':
			jo.blind = true;
			break;
		case 'o':
			image = optarg;
			break;
		default:
			return cli_usage("jit", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("jit", "expected one program FILE");
	bb_err_clear(&e);
	if (cli_prog_read(argv[optind], &p, &e)) {
		status = cli_fail("jit", &e);
		goto out;
	}
	helpers = cli_default_helpers();
	if (!helpers) {
		fprintf(stderr, "barebpf jit: out of memory\n");
		goto out;
	}
	bb_err_set_file(&e, argv[optind]);
	if (jit_compile(p.insns, p.n, helpers, &jo, &jp, &e)) {
		status = cli_fail("jit", &e);
		goto out;
	}
	if (do_dump)
		dump(jp);
	{
		const struct jit_stats *s = jit_stats(jp);

		printf("%s: %zu BPF insns -> %zu bytes of x86-64 in %u passes, %.1f us%s%s\n",
		       argv[optind], s->insns, s->image_size, s->passes, s->compile_ns / 1e3,
		       jo.checked ? ", checked" : "", jo.blind ? ", blinded" : "");
	}
	if (image) {
		size_t size;
		const uint8_t *code = jit_code(jp, &size);
		FILE *f = fopen(image, "wb");

		if (!f || fwrite(code, 1, size, f) != size || fclose(f)) {
			fprintf(stderr, "barebpf jit: %s: %s\n", image, strerror(errno));
			goto out;
		}
	}
	status = 0;
out:
	jit_free(jp);
	vm_helpers_free(helpers);
	cli_prog_free(&p);
	return status;
}

CLI_COMMAND(jit, 35, "compile a program with the x86-64 JIT (--dump shows the code)", cmd_jit, help_jit)
