/* SPDX-License-Identifier: MIT */
/* barebpf asm | disasm | isa */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void help_asm(void)
{
	printf("usage: barebpf asm FILE [-o OUT] [--hex]\n\n"
	       "Assemble FILE to BPF instruction bytes.  Each line may use the\n"
	       "bpf_conformance syntax (mov %%r0, 1 / ldxw %%r0, [%%r1+4] / call local f)\n"
	       "or the kernel/LLVM pseudo-C syntax (r0 = *(u32 *)(r1 + 4) /\n"
	       "if w1 > 5 goto +2 / call bpf_map_lookup_elem); verifier-log lines\n"
	       "such as '3: (07) r1 += 4' paste straight in.  A .data file from the\n"
	       "conformance suite is read too.\n\n"
	       "  -o OUT   write raw bytes to OUT (default: hex text on stdout)\n"
	       "  --hex    write hex text even with -o\n");
}

static int cmd_asm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "hex", no_argument, NULL, 'x' },
		{ 0 },
	};
	const char *out = NULL;
	bool hex = false;
	struct cli_prog p;
	struct bb_err e;
	FILE *f;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'x')
			hex = true;
		else
			return cli_usage("asm", "bad option");
	}
	if (optind != argc - 1)
		return cli_usage("asm", "expected one input FILE");
	bb_err_clear(&e);
	if (cli_prog_read(argv[optind], &p, &e))
		return cli_fail("asm", &e);
	if (!out || hex) {
		f = out ? fopen(out, "w") : stdout;
		if (!f) {
			cli_prog_free(&p);
			fprintf(stderr, "barebpf asm: %s: %s\n", out, strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < p.n; i++) {
			const uint8_t *b = (const uint8_t *)&p.insns[i];

			for (int k = 0; k < 8; k++)
				fprintf(f, "%02x%c", b[k], k == 7 ? '\n' : ' ');
		}
	} else {
		f = fopen(out, "wb");
		if (!f || fwrite(p.insns, sizeof(*p.insns), p.n, f) != p.n) {
			if (f)
				fclose(f);
			cli_prog_free(&p);
			fprintf(stderr, "barebpf asm: %s: %s\n", out, strerror(errno));
			return 1;
		}
	}
	if (f != stdout && fclose(f)) {
		cli_prog_free(&p);
		fprintf(stderr, "barebpf asm: %s: %s\n", out, strerror(errno));
		return 1;
	}
	cli_prog_free(&p);
	return 0;
}

static void help_disasm(void)
{
	printf("usage: barebpf disasm FILE [--syntax pseudo-c|conformance] [--no-index]\n"
	       "       barebpf disasm FILE.o [--section S] [--no-source]\n\n"
	       "Print the program in FILE (raw bytes, hex text, assembly or a .data\n"
	       "file).  pseudo-C output uses the kernel verifier log's wording, one\n"
	       "'N: (op) insn' line per instruction; conformance output re-assembles\n"
	       "with any bpf_conformance-compatible assembler.\n\n"
	       "A BPF ELF object is shown as 'barebpf obj disasm' does: each program\n"
	       "linked and relocated, C source lines from line_info interleaved.\n");
}

/* An ELF object goes to `obj disasm`, which knows sections and line_info. */
static int disasm_object(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int ret;

	if (!args) {
		fprintf(stderr, "barebpf disasm: out of memory\n");
		return 1;
	}
	args[0] = "obj";
	args[1] = "disasm";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	ret = cmd_obj(argc + 1, args);
	free(args);
	return ret;
}

static int cmd_disasm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "syntax", required_argument, NULL, 's' },
		{ "no-index", no_argument, NULL, 'n' },
		{ 0 },
	};
	enum isa_syntax syntax = ISA_SYNTAX_PSEUDO_C;
	bool index = true;
	struct cli_prog p;
	struct bb_err e;
	int c, ret;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' && (i == 1 || strcmp(argv[i - 1], "--section")) &&
		    cli_is_elf_file(argv[i]))
			return disasm_object(argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's') {
			if (!strcmp(optarg, "pseudo-c"))
				syntax = ISA_SYNTAX_PSEUDO_C;
			else if (!strcmp(optarg, "conformance"))
				syntax = ISA_SYNTAX_CONFORMANCE;
			else
				return cli_usage("disasm", "unknown syntax '%s'", optarg);
		} else if (c == 'n') {
			index = false;
		} else {
			return cli_usage("disasm", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("disasm", "expected one input FILE");
	bb_err_clear(&e);
	if (cli_prog_read(argv[optind], &p, &e))
		return cli_fail("disasm", &e);
	/* Label-carrying conformance output has no index column. */
	ret = isa_disasm(p.insns, p.n, syntax, index && syntax == ISA_SYNTAX_PSEUDO_C,
			 stdout, &e);
	cli_prog_free(&p);
	return ret ? cli_fail("disasm", &e) : 0;
}

static void help_isa(void)
{
	printf("usage: barebpf isa [--group GROUP]\n\n"
	       "Print the instruction table that the decoder, assembler,\n"
	       "disassembler and interpreter are generated from: opcode, the\n"
	       "field and value that select the variant, mnemonic, pseudo-C\n"
	       "operator, conformance group, ISA version and semantics.\n"
	       "GROUP is one of base32 base64 atomic32 atomic64 divmul32 divmul64\n"
	       "callx packet.\n");
}

static int cmd_isa(int argc, char **argv)
{
	static const char *const disc[] = { "", "off", "imm", "src" };
	const char *group = NULL;
	int shown = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--group") && i + 1 < argc)
			group = argv[++i];
		else
			return cli_usage("isa", "unexpected argument '%s'", argv[i]);
	}
	printf("%-4s %-10s %-20s %-10s %-10s %-3s %s\n", "code", "variant", "mnemonic",
	       "pseudo-C", "group", "ver", "semantics");
	for (int op = 0; op < ISA_OP_COUNT; op++) {
		const struct isa_row *r = &isa_rows[op];
		char var[24] = "";

		if (group && strcmp(group, isa_group_names[r->group]))
			continue;
		if (r->disc)
			snprintf(var, sizeof(var), "%s=%#x", disc[r->disc], (unsigned)r->dval);
		printf("0x%02x %-10s %-20s %-10s %-10s v%-2d %s\n", r->code, var, r->mnemonic,
		       r->pseudo, isa_group_names[r->group], r->version, r->semantics);
		shown++;
	}
	if (!shown)
		return cli_usage("isa", "no instructions in group '%s'", group ? group : "");
	return 0;
}

CLI_COMMAND(asm, 10, "assemble text (conformance or pseudo-C syntax) to bytes", cmd_asm, help_asm)
CLI_COMMAND(disasm, 20, "print a program (or an object's programs) in pseudo-C or conformance syntax", cmd_disasm, help_disasm)
CLI_COMMAND(isa, 90, "print the instruction table every stage is built from", cmd_isa, help_isa)
