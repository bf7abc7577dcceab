/* SPDX-License-Identifier: MIT */
/* barebpf verify: the userspace verifier on an object or a case file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "elf/obj.h"
#include "loader/ldr.h"
#include "verifier/vf.h"

static void help_verify(void)
{
	printf("usage: barebpf verify FILE.o|FILE.s [--section S] [--prog-type T]\n"
	       "                      [--log-level 1|2] [-j] [--explain] [--dot]\n\n"
	       "Verify programs offline as the kernel's verifier would for a privileged\n"
	       "loader and print the verdict, the rejection message with its instruction\n"
	       "(and source line when the object has line info), the instructions\n"
	       "processed, the states and the time taken.  FILE.s may hold verifier\n"
	       "cases ('# case:', '# type:', '# map:' headers, see verifier/vf.h).\n\n"
	       "  --section S     only programs whose SEC() name is S\n"
	       "  --prog-type T   xdp, socket_filter, sched_cls, kprobe, tracepoint, ...\n"
	       "  --log-level N   print the verifier log (1: path to the error, 2: all)\n"
	       "  -j              one JSON object per program\n"
	       "  --explain       on a rejection: the path from the entry to the failing\n"
	       "                  instruction as the verifier explored it (loops folded), the\n"
	       "                  registers each instruction changed, the failing one's\n"
	       "                  operands and the reason in plain words (with -j: as JSON)\n"
	       "  --dot           the CFG for Graphviz (dot -Tsvg): basic blocks with the\n"
	       "                  states the verifier brought to them, failing block and path red\n"
	       "Exit status: 0 if every program is accepted, 1 otherwise.\n");
}

struct vopts {
	const char *section;
	int prog_type;
	unsigned log_level;
	bool json, explain, dot;
};

struct srcctx { const struct obj *o; size_t prog; char buf[512]; };

static const char *src_line(void *arg, uint32_t insn)
{
	struct srcctx *s = arg;
	struct obj_src_line l;

	if (!s->o || obj_prog_src_line(s->o, s->prog, insn, &l))
		return NULL;
	snprintf(s->buf, sizeof(s->buf), "%s:%u: %s", l.file ? l.file : "?", l.line,
		 l.text ? l.text : "");
	return s->buf;
}

static void print_dot(const struct isa_raw *insns, size_t n, const struct vf_result *r)
{
	char *text;

	if (vf_result_dot(r, insns, n, &text)) {
		fprintf(stderr, "barebpf verify: --dot: out of memory\n");
		return;
	}
	fputs(text, stdout);
	free(text);
}

/* @s after @lead, broken into lines of at most @width columns, later
 * lines indented as deep as @lead. */
static void print_wrapped(const char *lead, const char *s, int width)
{
	int indent = (int)strlen(lead), col = indent;

	fputs(lead, stdout);
	while (*s) {
		size_t w = strcspn(s, " ");

		if (col > indent && col + 1 + (int)w > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		fwrite(s, 1, w, stdout);
		col += (int)w;
		s += w;
		while (*s == ' ')
			s++;
	}
	putchar('\n');
}

/* "file:line: text" without the directories and the text's indentation. */
static const char *short_src(const char *l, char *buf, size_t size)
{
	const char *colon = strchr(l, ':'), *base = l;

	for (const char *p = l; colon && p < colon; p++)
		if (*p == '/')
			base = p + 1;
	snprintf(buf, size, "%s", base);
	if ((colon = strchr(buf, ':')) && (colon = strchr(colon + 1, ':'))) {
		char *t = (char *)colon + 1;
		size_t k = strspn(t, " \t");

		memmove(t + 1, t + k, strlen(t + k) + 1);
		*t = ' ';
	}
	return buf;
}

static void print_explain(const struct isa_raw *insns, size_t n, const struct vf_result *r,
			  struct srcctx *sc)
{
	char text[128], prev_src[512] = "", sbuf[512];

	if (r->nsteps) {
		printf("\npath from the entry to insn %d as the verifier explored it, loops folded\n"
		       "(%zu insns shown of %zu on the path; it is not necessarily the shortest path\n"
		       "through the CFG).  After each insn: the registers it changed, in the kernel's\n"
		       "log notation.\n", r->insn, r->nsteps, r->path_len);
		for (size_t i = 0; i < r->nsteps; i++) {
			const struct vf_step *st = &r->steps[i];
			const char *l = sc ? src_line(sc, st->insn) : NULL;
			bool last = i + 1 == r->nsteps;

			if (l && strcmp(l, prev_src)) {
				printf("%*s  ; %s\n", 2 * st->frame, "", short_src(l, sbuf, sizeof(sbuf)));
				snprintf(prev_src, sizeof(prev_src), "%s", l);
			}
			isa_disasm_insn(insns, n, st->insn, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
			printf("%*s%5u: ", 2 * st->frame, "", st->insn);
			if (last)
				printf("%-34s <- rejected\n", text);
			else if (st->changed && *st->changed)
				printf("%-34s ; %s\n", text, st->changed);
			else if (!st->changed && r->states_partial)
				printf("%-34s ; (not recorded: budget)\n", text);
			else
				printf("%s\n", text);
			if (st->folded)
				printf("%*s       (loop: the path came back here %u more time%s; states shown are "
				       "from the last)\n", 2 * st->frame, "", st->folded, st->folded == 1 ? "" : "s");
		}
	} else {
		printf("\nno path to show: the program was refused before its instructions were explored.\n");
	}
	printf("\n");
	if (r->insn >= 0 && (size_t)r->insn < n) {
		isa_disasm_insn(insns, n, (size_t)r->insn, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
		printf("at insn %d: %s\n", r->insn, text);
	}
	if (r->fail_regs)
		print_wrapped("  registers it uses: ", *r->fail_regs ? r->fail_regs : "(none)", 100);
	if (r->fail_state)
		print_wrapped("  whole state:       ", *r->fail_state ? r->fail_state : "(none)", 100);
	print_wrapped("  the verifier says: ", r->msg, 100);
	if (r->explain)
		print_wrapped("  in plain words:    ", r->explain, 100);
}

/* "key": the text, or null where the verifier has none (a step it did
 * not record, the operands of an insn refused before it ran) */
static void json_kstr_null(struct cli_json *j, const char *key, const char *s)
{
	cli_json_key(j, key);
	if (s)
		cli_json_str(j, s);
	else
		cli_json_null(j);
}

/* One line per program: the verdict, the counts and with --explain the
 * folded path and the failing insn's state. */
static void print_json(const char *label, const struct vf_result *r, uint64_t us,
		       const struct vopts *vo)
{
	struct cli_json j;

	cli_json_init(&j, stdout, false);
	j.utf8 = true;          /* paths, names and messages are text */
	cli_json_obj(&j);
	cli_json_kstr(&j, "program", label);
	cli_json_kstr(&j, "verdict", r->err ? "reject" : "accept");
	cli_json_key(&j, "insn");
	cli_json_i64(&j, r->insn);
	cli_json_kstr(&j, "message", r->msg);
	cli_json_ku64(&j, "processed", r->processed);
	cli_json_ku64(&j, "total_states", r->total_states);
	cli_json_ku64(&j, "peak_states", r->peak_states);
	cli_json_ku64(&j, "usec", us);
	if (vo->explain && r->err) {
		/* the path (loops folded) with what each insn changed */
		cli_json_key(&j, "path");
		cli_json_arr(&j);
		for (size_t i = 0; i < r->nsteps; i++) {
			cli_json_obj(&j);
			cli_json_ku64(&j, "insn", r->steps[i].insn);
			cli_json_ku64(&j, "frame", r->steps[i].frame);
			cli_json_ku64(&j, "folded", r->steps[i].folded);
			json_kstr_null(&j, "changed", r->steps[i].changed);
			cli_json_obj_end(&j);
		}
		cli_json_arr_end(&j);
		cli_json_ku64(&j, "path_len", r->path_len);
		cli_json_ku64(&j, "folded", r->folded);
		json_kstr_null(&j, "fail_regs", r->fail_regs);
		json_kstr_null(&j, "fail_state", r->fail_state);
		json_kstr_null(&j, "explain", r->explain);
	}
	cli_json_obj_end(&j);
	putchar('\n');
}

/* Microseconds from @t0 to @t1, to the nearest with halves to even as
 * printf("%.0f") rounds. */
static uint64_t usec_between(const struct timespec *t0, const struct timespec *t1)
{
	int64_t ns = (int64_t)(t1->tv_sec - t0->tv_sec) * 1000000000 + (t1->tv_nsec - t0->tv_nsec);
	uint64_t us = (uint64_t)ns / 1000, rem = (uint64_t)ns % 1000;

	return us + (rem > 500 || (rem == 500 && (us & 1)));
}

/* The running kernel's BTF, loaded once when a program needs it: tp_btf
 * arguments (without it they are scalars and loads through them are
 * refused) and kfunc calls. */
static struct bbtf *vmlinux;

/* vf_obj_prog_setup() asks for the kernel's BTF only for tp_btf programs
 * and kfunc calls: load it then, once. */
static const void *get_vmlinux(void *arg)
{
	(void)arg;
	if (!vmlinux && bbtf_load_vmlinux(NULL, &vmlinux, NULL))
		return NULL;
	return vmlinux;
}

static uint32_t tp_btf_id(uint32_t type, uint32_t eat, const char *tp)
{
	if (type != BPF_PROG_TYPE_TRACING || eat != BPF_TRACE_RAW_TP)
		return 0;
	return vf_tp_btf_id(get_vmlinux(NULL), tp);
}

/* kfunc calls are checked against the kernel's BTF: load it if there are any */
static const struct bbtf *kfunc_btf(const struct isa_raw *insns, size_t n)
{
	return vf_calls_kfuncs(insns, n) ? get_vmlinux(NULL) : NULL;
}

/* @base: the program's type, maps, BTF and func_info; the output options
 * (log, explain, dot, source lines) are added here. */
static int verify_one(const char *label, const struct isa_raw *insns, size_t n,
		      const struct vf_opts *base, struct srcctx *sc, const struct vopts *vo)
{
	struct vf_opts o = *base;
	struct vf_result r;
	struct timespec t0, t1;
	uint64_t us;
	const char *line = NULL;

	o.sz = sizeof(o);
	if (vo->prog_type >= 0)
		o.prog_type = (uint32_t)vo->prog_type;
	o.log_level = vo->log_level;
	o.want_path = vo->explain;
	o.want_states = vo->explain || vo->dot;
	o.src_line = sc ? src_line : NULL;
	o.src_arg = sc;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	vf_verify(insns, n, &o, &r, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = usec_between(&t0, &t1);
	if (r.err && sc && r.insn >= 0)
		line = src_line(sc, (uint32_t)r.insn);
	if (vo->log_level && r.log)
		fputs(r.log, stdout);
	if (vo->dot) {
		print_dot(insns, n, &r);
	} else if (vo->json) {
		print_json(label, &r, us, vo);
	} else if (r.err) {
		printf("%s: REJECT: insn %d: %s%s%s\n  processed %" PRIu64 " insns, %u states, %" PRIu64
		       " us\n", label, r.insn, r.msg, line ? "\n  at " : "", line ? line : "",
		       r.processed, r.total_states, us);
	} else {
		printf("%s: ACCEPT: processed %" PRIu64 " insns, %u states (peak %u), %" PRIu64 " us\n",
		       label, r.processed, r.total_states, r.peak_states, us);
	}
	if (vo->explain && r.err && !vo->json && !vo->dot)    /* -j has it in the object */
		print_explain(insns, n, &r, sc);
	{
		int bad = r.err != 0;

		vf_result_free(&r);
		return bad;
	}
}

static int verify_obj(const char *path, const struct vopts *vo)
{
	struct obj *o;
	struct bb_err e;
	int bad = 0, seen = 0;

	bb_err_clear(&e);
	if (obj_open_file(path, NULL, &o, &e))
		return cli_fail("verify", &e);
	obj_resolve_externs(o, NULL, NULL);
	for (size_t i = 0; i < obj_prog_count(o); i++) {
		const struct obj_prog *p = obj_prog(o, i);
		struct vf_obj_prog vp;
		char label[256];
		struct srcctx sc = { .o = o, .prog = i };

		if (vo->section && strcmp(vo->section, p->section))
			continue;
		seen++;
		snprintf(label, sizeof(label), "%s: section '%s': prog '%s'", path, p->section, p->name);
		if (vf_obj_prog_setup(o, i, get_vmlinux, NULL, &vp, &e)) {
			printf("%s: %s\n", label, e.msg);
			bad = 1;
			continue;
		}
		bad |= verify_one(label, vp.insns, vp.n, &vp.opts, &sc, vo);
		vf_obj_prog_free(&vp);
	}
	obj_free(o);
	if (!seen) {
		fprintf(stderr, "barebpf verify: %s: no program%s%s\n", path,
			vo->section ? " in section " : "", vo->section ? vo->section : "");
		return 1;
	}
	return bad;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "section", required_argument, NULL, 's' },
		{ "prog-type", required_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "explain", no_argument, NULL, 'x' },
		{ "dot", no_argument, NULL, 'd' },
		{ 0 },
	};
	struct vopts vo = { .prog_type = -1 };
	const char *path;
	char *text;
	struct bb_err e;
	int c, bad = 0;
	long len;

	optind = 1;
	while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		switch (c) {
		case 's': vo.section = optarg; break;
		case 't':
			vo.prog_type = vf_prog_type_by_name(optarg);
			if (vo.prog_type < 0)
				return cli_usage("verify", "unknown program type '%s'", optarg);
			break;
		case 'l':
			vo.log_level = (unsigned)atoi(optarg);
			if (vo.log_level > 2)
				return cli_usage("verify", "--log-level is 1 or 2");
			break;
		case 'j': vo.json = true; break;
		case 'x': vo.explain = true; break;
		case 'd': vo.dot = true; break;
		default: return cli_usage("verify", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("verify", "expected one FILE");
	path = argv[optind];
	bb_err_clear(&e);
	len = bb_read_file(path, &text, &e);
	if (len < 0)
		return cli_fail("verify", &e);
	if (len >= 4 && !memcmp(text, "\x7f" "ELF", 4)) {
		int b;

		free(text);
		b = verify_obj(path, &vo);
		bbtf_free(vmlinux);
		vmlinux = NULL;
		return b;
	}
	{
		struct vf_case *cs;
		size_t cnt;

		if (vf_cases_parse(text, path, &cs, &cnt, &e)) {
			free(text);
			return cli_fail("verify", &e);
		}
		free(text);
		for (size_t i = 0; i < cnt; i++) {
			char label[256];

			struct vf_opts fn = { .func_info = cs[i].func_info };
			struct vf_func_info fi[VF_MAX_SUBPROGS];
			struct bbtf *pb = NULL;
			int nf = 0;

			snprintf(label, sizeof(label), "%s: %s", path, cs[i].name);
			if (cs[i].kfuncs && ((!vmlinux && bbtf_load_vmlinux(NULL, &vmlinux, &e)) ||
					     vf_case_kfuncs(&cs[i], vmlinux, &e))) {
				bad |= cli_fail("verify", &e);
				continue;
			}
			if (cs[i].func_info && (nf = vf_case_btf(&cs[i], &pb, fi, VF_MAX_SUBPROGS, &e)) < 0) {
				bad |= cli_fail("verify", &e);
				continue;
			}
			fn.prog_type = cs[i].prog_type;
			fn.expected_attach_type = cs[i].expected_attach_type;
			fn.maps = cs[i].maps;
			fn.map_cnt = cs[i].map_cnt;
			fn.attach_btf_id = tp_btf_id(fn.prog_type, fn.expected_attach_type, cs[i].attach);
			fn.btf = fn.attach_btf_id ? vmlinux : kfunc_btf(cs[i].insns, cs[i].n);
			fn.prog_btf = pb;
			fn.func_infos = pb ? fi : NULL;
			fn.func_info_cnt = (size_t)nf;
			bad |= verify_one(cnt > 1 ? label : path, cs[i].insns, cs[i].n, &fn, NULL, &vo);
			bbtf_free(pb);
		}
		vf_cases_free(cs, cnt);
	}
	bbtf_free(vmlinux);
	vmlinux = NULL;
	return bad;
}

CLI_COMMAND(verify, 35, "verify programs offline as the kernel's verifier would (verdict, log, explain, dot)",
	    cmd_verify, help_verify)
