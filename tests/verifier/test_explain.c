/* SPDX-License-Identifier: MIT */
/*
 * --explain and --dot (vf_opts.want_states): the failing path runs from
 * the entry to the failing insn with loops folded, the state at the
 * failing insn names the register type and range behind each common
 * rejection, the plain words say why, the CFG for Graphviz is well formed,
 * and an accepted program gets nothing extra.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "verifier/vf.h"

struct run {
	struct vf_case *cs;
	size_t cnt;
	struct vf_result r;
};

/* Verify the one case in @text with states recorded. */
static void run(struct run *x, const char *text, bool states)
{
	struct bb_err e;
	struct vf_opts o;
	struct vf_case *c;

	bb_err_clear(&e);
	cr_assert_eq(vf_cases_parse(text, "test", &x->cs, &x->cnt, &e), 0, "%s", e.msg);
	cr_assert_eq(x->cnt, 1);
	c = &x->cs[0];
	o = (struct vf_opts){ .sz = sizeof(o), .prog_type = c->prog_type, .maps = c->maps,
			      .map_cnt = c->map_cnt, .want_path = states, .want_states = states };
	vf_verify(c->insns, c->n, &o, &x->r, NULL);
}

static void done(struct run *x)
{
	vf_result_free(&x->r);
	vf_cases_free(x->cs, x->cnt);
}

#define HAS(s, frag) cr_assert(s && strstr(s, frag), "'%s' not in '%s'", frag, s ? s : "(null)")

/* A rejection: the path starts at the entry, ends at the failing insn,
 * and the failing insn is the only step without a recorded change. */
static void check_path(const struct vf_result *r)
{
	cr_assert_neq(r->err, 0);
	cr_assert_gt(r->nsteps, 0);
	cr_assert_eq(r->steps[0].insn, 0);
	cr_assert_eq(r->steps[r->nsteps - 1].insn, (uint32_t)r->insn);
	cr_assert_null(r->steps[r->nsteps - 1].changed);
	for (size_t i = 0; i + 1 < r->nsteps; i++)
		cr_assert_not_null(r->steps[i].changed, "step %zu", i);
	cr_assert_not_null(r->fail_regs);
	cr_assert_not_null(r->fail_state);
	cr_assert_not_null(r->explain);
}

#define LOOKUP "r1 = 0\n*(u32 *)(r10 -4) = r1\nr2 = r10\nr2 += -4\nr1 = map[idx:0]\ncall bpf_map_lookup_elem\n"

Test(explain, packet_bounds)
{
	struct run x;

	run(&x, "# type: xdp\nr2 = *(u32 *)(r1 +0)\nr3 = *(u32 *)(r1 +4)\nr2 += 14\n"
		"r0 = *(u8 *)(r2 +0)\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.insn, 3);
	HAS(x.r.fail_regs, "R2=pkt(off=14,r=0)");
	HAS(x.r.steps[0].changed, "R2=pkt(r=0)");
	HAS(x.r.steps[1].changed, "R3=pkt_end()");
	HAS(x.r.explain, "packet pointer at offset 14");
	HAS(x.r.explain, "r=0");
	HAS(x.r.explain, "data_end");
	HAS(x.r.explain, "[14, 15)");
	done(&x);
}

/* The refinement of a comparison with data_end shows on the edge taken. */
Test(explain, packet_check_too_short)
{
	struct run x;

	run(&x, "# type: xdp\nr2 = *(u32 *)(r1 +0)\nr3 = *(u32 *)(r1 +4)\nr4 = r2\nr4 += 4\n"
		"if r4 > r3 goto +2\nr0 = *(u32 *)(r2 +2)\nexit\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.insn, 5);
	cr_assert_eq(x.r.steps[4].insn, 4);
	HAS(x.r.steps[4].changed, "r=4");
	HAS(x.r.fail_regs, "R2=pkt(r=4)");
	HAS(x.r.explain, "[2, 6)");
	HAS(x.r.explain, "4 bytes are there (r=4)");
	done(&x);
}

Test(explain, map_value_or_null)
{
	struct run x;

	run(&x, "# type: socket_filter\n# map: m hash 4 8 16\n" LOOKUP
		"r6 = r0\nr0 = *(u64 *)(r6 +0)\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R6=map_value_or_null(id=1,map=m,ks=4,vs=8)");
	HAS(x.r.explain, "bpf_map_lookup_elem at insn 6 may return NULL");
	HAS(x.r.explain, "compare it with 0");
	done(&x);
}

Test(explain, map_value_bounds)
{
	struct run x;

	run(&x, "# type: socket_filter\n# map: m hash 4 8 16\nr6 = r1\n" LOOKUP
		"if r0 == 0 goto +6\nr2 = *(u32 *)(r6 +0)\nr2 &= 0xff\nr0 += r2\n"
		"r1 = *(u8 *)(r0 +0)\nr0 = 0\nexit\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.insn, 12);
	HAS(x.r.fail_regs, "R0=map_value(map=m,ks=4,vs=8,");
	HAS(x.r.fail_regs, "umax=");
	HAS(x.r.fail_regs, "255");
	HAS(x.r.explain, "umax=255");
	HAS(x.r.explain, "value_size=8");
	HAS(x.r.explain, "r0 += r2");
	/* the null check's refinement on the path (insn 6 is lddw's second slot) */
	cr_assert_eq(x.r.steps[7].insn, 8);
	HAS(x.r.steps[7].changed, "R0=map_value(map=m,ks=4,vs=8)");
	done(&x);
}

Test(explain, uninitialised_after_call)
{
	struct run x;

	run(&x, "# type: socket_filter\n# map: m hash 4 8 16\n" LOOKUP "r0 = r2\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R2=not_init");
	HAS(x.r.explain, "call at insn 6");
	HAS(x.r.explain, "clobbers R1-R5");
	done(&x);
}

Test(explain, uninitialised_at_entry)
{
	struct run x;

	run(&x, "# type: socket_filter\nr1 = 1\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R0=not_init");
	HAS(x.r.explain, "At the entry only R1");
	done(&x);
}

Test(explain, scalar_dereference)
{
	struct run x;

	run(&x, "# type: socket_filter\nr2 = *(u32 *)(r1 +0)\nr0 = *(u32 *)(r2 +0)\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R2=scalar(smin=0,smax=umax=0xffffffff");
	HAS(x.r.explain, "not a pointer");
	HAS(x.r.explain, "last set at insn 0");
	done(&x);
}

Test(explain, stack_bounds)
{
	struct run x;

	run(&x, "# type: socket_filter\nr0 = 0\n*(u64 *)(r10 -520) = r0\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R10=fp0");
	HAS(x.r.explain, "[fp-520, fp-512)");
	HAS(x.r.explain, "512-byte stack");
	done(&x);
}

Test(explain, unreleased_reference)
{
	struct run x;

	run(&x, "# type: socket_filter\n# map: rb ringbuf 0 0 4096\nr1 = map[idx:0]\nr2 = 8\nr3 = 0\n"
		"call bpf_ringbuf_reserve\nif r0 == 0 goto +1\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "refs=");
	HAS(x.r.explain, "bpf_ringbuf_reserve acquired at insn 4");
	HAS(x.r.explain, "bpf_ringbuf_submit");
	done(&x);
}

Test(explain, helper_argument)
{
	struct run x;

	run(&x, "# type: socket_filter\n# map: m hash 4 8 16\nr1 = map[idx:0]\nr2 = 0\n"
		"call bpf_map_lookup_elem\nr0 = 0\nexit\n", true);
	check_path(&x.r);
	HAS(x.r.fail_regs, "R1=map_ptr(map=m,ks=4,vs=8) R2=0");
	HAS(x.r.explain, "Argument 2 of bpf_map_lookup_elem (R2)");
	HAS(x.r.explain, "the number 0");
	done(&x);
}

/* A loop that exits, then a failure: the iterations are folded into one
 * visit per insn, with the state of the last one. */
Test(explain, loop_folded)
{
	struct run x;

	run(&x, "# type: socket_filter\nr0 = 0\nr1 = 0\nr1 += 1\nif r1 < 5 goto -2\n"
		"r0 = *(u32 *)(r1 +0)\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.nsteps, 5);
	cr_assert_gt(x.r.path_len, x.r.nsteps);
	cr_assert_eq(x.r.folded, x.r.path_len - x.r.nsteps);
	for (size_t i = 0; i < x.r.nsteps; i++)
		cr_assert_eq(x.r.steps[i].insn, i);
	cr_assert_eq(x.r.steps[2].folded, 4);
	cr_assert_str_eq(x.r.steps[2].changed, "R1=5");
	HAS(x.r.fail_regs, "R1=5");
	done(&x);
}

/* Refused at a prune point before it runs: the path still ends there. */
Test(explain, infinite_loop)
{
	struct run x;

	run(&x, "# type: socket_filter\nr0 = 0\nr1 = 0\nif r1 == 0 goto -1\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.insn, 2);
	cr_assert_eq(x.r.nsteps, 3);
	cr_assert_gt(x.r.steps[2].folded, 0);
	HAS(x.r.fail_regs, "R1=0");
	HAS(x.r.explain, "exactly the state");
	done(&x);
}

Test(explain, too_many_insns, .timeout = 60)
{
	struct run x;

	/* an unbounded counter: every iteration is a new state */
	run(&x, "# type: socket_filter\nr0 = 0\nr1 = 0\nr1 += 1\nr2 = *(u32 *)(r10 -8)\n"
		"if r2 != 0 goto -3\nexit\n", true);
	cr_assert_neq(x.r.err, 0);
	HAS(x.r.msg, "too large");
	cr_assert_lt(x.r.nsteps, 10);
	cr_assert_eq(x.r.steps[x.r.nsteps - 1].insn, (uint32_t)x.r.insn);
	HAS(x.r.explain, "1,000,000");
	done(&x);
}

/* The same function called from two sites: folding keeps both calls
 * (each call site is its own context), the callee runs in frame 1. */
Test(explain, calls_are_contexts)
{
	struct run x;
	int in_callee = 0;

	run(&x, "# type: socket_filter\nr1 = 1\ncall pc+4\nr1 = 0\ncall pc+2\nr0 = 0\nexit\n"
		"if r1 == 0 goto +2\nr0 = 0\nexit\nr0 = *(u32 *)(r1 +0)\nexit\n", true);
	check_path(&x.r);
	cr_assert_eq(x.r.insn, 9);
	for (size_t i = 0; i < x.r.nsteps; i++)
		if (x.r.steps[i].insn == 6) {
			cr_assert_eq(x.r.steps[i].frame, 1);
			in_callee++;
		}
	cr_assert_eq(in_callee, 2, "callee entered from both call sites");
	HAS(x.r.fail_regs, "frame1: R1=0");
	done(&x);
}

Test(explain, unreachable_insn)
{
	struct run x;

	run(&x, "# type: socket_filter\nr0 = 0\nexit\nr0 = 1\nexit\n", true);
	cr_assert_neq(x.r.err, 0);
	cr_assert_eq(x.r.nsteps, 0);
	HAS(x.r.explain, "No path from the entry reaches insn 2");
	cr_assert_eq(x.r.nblocks, 2);
	cr_assert(x.r.blocks[1].failing);
	cr_assert_eq(x.r.blocks[1].arrivals, 0);
	done(&x);
}

/* Accepted (a division by a register that may be 0 is not an error): no
 * path, no plain words, but the CFG with its entry states. */
Test(explain, accepted_has_no_explanation)
{
	struct run x;

	run(&x, "# type: socket_filter\nr0 = *(u32 *)(r1 +0)\nr2 = *(u32 *)(r1 +4)\nr0 /= r2\n"
		"if r0 > 5 goto +1\nr0 = 0\nexit\n", true);
	cr_assert_eq(x.r.err, 0);
	cr_assert_eq(x.r.nsteps, 0);
	cr_assert_null(x.r.explain);
	cr_assert_null(x.r.fail_regs);
	cr_assert_eq(x.r.nblocks, 3);
	cr_assert_eq(x.r.blocks[0].nstates, 1);
	HAS(x.r.blocks[0].states[0], "R1=ctx() R10=fp0");
	done(&x);
}

/* Not asked: nothing recorded (the verifier bench runs this way). */
Test(explain, off_records_nothing)
{
	struct run x;

	run(&x, "# type: socket_filter\nr1 = 1\nexit\n", false);
	cr_assert_neq(x.r.err, 0);
	cr_assert_null(x.r.path);
	cr_assert_null(x.r.steps);
	cr_assert_null(x.r.blocks);
	cr_assert_null(x.r.explain);
	done(&x);
}

/* ----- dot ----- */

struct dotcheck {
	char names[64][16];
	int nnames;
};

/* Well formed: braces balance outside strings, strings close, every
 * edge joins defined nodes; returns the failing node's line. */
static char *check_dot(const char *dot, struct dotcheck *dc)
{
	int depth = 0;
	bool str = false;
	char *failing = NULL, *copy = strdup(dot), *save, *line;

	cr_assert(!strncmp(dot, "digraph cfg {", 13));
	for (const char *p = dot; *p; p++) {
		if (str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				str = false;
			continue;
		}
		if (*p == '"')
			str = true;
		else if (*p == '{')
			depth++;
		else if (*p == '}')
			cr_assert_geq(--depth, 0);
	}
	cr_assert(!str, "unterminated string");
	cr_assert_eq(depth, 0, "unbalanced braces");
	dc->nnames = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char a[16], b[16];

		if (sscanf(line, " %15s -> %15[^; []", a, b) == 2) {
			bool fa = false, fb = false;

			for (int i = 0; i < dc->nnames; i++) {
				fa |= !strcmp(dc->names[i], a);
				fb |= !strcmp(dc->names[i], b);
			}
			cr_assert(fa && fb, "edge %s -> %s to an undefined node", a, b);
		} else if (strstr(line, " [label=\"") && sscanf(line, " b%14[0-9]", a + 1) == 1 &&
			   dc->nnames < 64) {
			a[0] = 'b';
			snprintf(dc->names[dc->nnames++], 16, "%s", a);
			if (strstr(line, "fillcolor=mistyrose")) {
				cr_assert_null(failing, "two failing nodes");
				failing = strdup(line);
			}
		}
	}
	free(copy);
	return failing;
}

Test(explain, dot_well_formed)
{
	struct run x;
	struct dotcheck dc;
	char *dot, *failing;
	int red = 0;

	run(&x, "# type: socket_filter\n# map: m array 4 8 16\nr6 = r1\n" LOOKUP
		"if r0 == 0 goto +6\nr2 = *(u32 *)(r6 +0)\nr2 &= 0xff\nr0 += r2\n"
		"r1 = *(u8 *)(r0 +0)\nr0 = 0\nexit\nr0 = 0\nexit\n", true);
	cr_assert_eq(vf_result_dot(&x.r, x.cs[0].insns, x.cs[0].n, &dot), 0);
	failing = check_dot(dot, &dc);
	cr_assert_eq(dc.nnames, 3);
	cr_assert_not_null(failing, "no highlighted node:\n%s", dot);
	HAS(failing, "12: r1 = *(u8 *)(r0 +0)");
	HAS(failing, "^ rejected: invalid access to map value");
	HAS(failing, "R0=map_value(map=m,ks=4,vs=8) R6=ctx()");   /* entry state */
	for (const char *p = dot; (p = strstr(p, "penwidth=2")); p++)
		red++;
	/* the failing node and the path's one edge b0 -> b1 */
	cr_assert_eq(red, 2, "%s", dot);
	HAS(dot, "b0 -> b1 [color=red penwidth=2]");
	HAS(dot, "b0 -> b2 [label=T]");
	free(failing);
	free(dot);
	done(&x);
}

Test(explain, dot_quotes_escaped)
{
	struct run x;
	struct dotcheck dc;
	char *dot, *failing;

	/* the message quotes the register type: 'scalar' stays inside the label */
	run(&x, "# type: socket_filter\nr2 = *(u32 *)(r1 +0)\nif r2 > 3 goto +1\n"
		"r0 = *(u32 *)(r2 +0)\nr0 = 0\nexit\n", true);
	cr_assert_eq(vf_result_dot(&x.r, x.cs[0].insns, x.cs[0].n, &dot), 0);
	failing = check_dot(dot, &dc);
	cr_assert_not_null(failing);
	HAS(failing, "invalid mem access 'scalar'");
	free(failing);
	free(dot);
	done(&x);
}

/* ----- the CLI ----- */

static char *cli(const char *args, int *status)
{
	const char *bin = getenv("BAREBPF_CLI");
	char cmd[1024], *out = NULL;
	size_t cap = 0, len = 0;
	FILE *f;
	int st;

	if (!bin)
		cr_skip_test("BAREBPF_CLI not set (run through make check)");
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bin, args);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	for (;;) {
		if (len + 4096 > cap)
			cr_assert_not_null(out = realloc(out, cap = cap * 2 + 8192));
		size_t k = fread(out + len, 1, cap - len - 1, f);

		if (!k)
			break;
		len += k;
	}
	out[len] = 0;
	st = pclose(f);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

static void write_case(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(explain, cli_accepted_prints_nothing_extra)
{
	char path[] = "/tmp/barebpf-explain-XXXXXX.s", *a, *b, args[256];
	int fd = mkstemps(path, 2), st;

	cr_assert_geq(fd, 0);
	close(fd);
	write_case(path, "# type: socket_filter\nr0 = 0\nexit\n");
	snprintf(args, sizeof(args), "verify %s", path);
	a = cli(args, &st);
	cr_assert_eq(st, 0);
	snprintf(args, sizeof(args), "verify %s --explain", path);
	b = cli(args, &st);
	cr_assert_eq(st, 0);
	cr_assert(strstr(a, "ACCEPT") && strstr(b, "ACCEPT"));
	/* the same one line (only the time may differ) */
	cr_assert_eq(strchr(a, '\n') - a > 0, 1);
	cr_assert_eq(strlen(strchr(a, '\n')), 1, "%s", a);
	cr_assert_eq(strlen(strchr(b, '\n')), 1, "--explain added text: %s", b);
	free(a);
	free(b);
	unlink(path);
}

Test(explain, cli_explain_and_json)
{
	char path[] = "/tmp/barebpf-explain-XXXXXX.s", *o, args[256];
	int fd = mkstemps(path, 2), st;

	cr_assert_geq(fd, 0);
	close(fd);
	write_case(path, "# type: xdp\nr2 = *(u32 *)(r1 +0)\nr2 += 14\nr0 = *(u8 *)(r2 +0)\nexit\n");
	snprintf(args, sizeof(args), "verify %s --explain", path);
	o = cli(args, &st);
	cr_assert_eq(st, 1);
	HAS(o, "loops folded");
	HAS(o, "    0: r2 = *(u32 *)(r1 +0)");
	HAS(o, "; R2=pkt(r=0)");
	HAS(o, "; R2=pkt(off=14,r=0)");
	HAS(o, "<- rejected");
	HAS(o, "registers it uses: R2=pkt(off=14,r=0)");
	HAS(o, "in plain words:");
	free(o);
	snprintf(args, sizeof(args), "verify %s --explain -j", path);
	o = cli(args, &st);
	HAS(o, "\"path\":[{\"insn\":0,\"frame\":0,\"folded\":0,\"changed\":\"R2=pkt(r=0)\"}");
	HAS(o, "{\"insn\":2,\"frame\":0,\"folded\":0,\"changed\":null}]");
	HAS(o, "\"fail_regs\":\"R2=pkt(off=14,r=0)\"");
	HAS(o, "\"explain\":\"R2 is a packet pointer at offset 14");
	cr_assert_eq(strchr(o, '\n')[1], 0, "one line of JSON");
	free(o);
	snprintf(args, sizeof(args), "verify %s --dot", path);
	o = cli(args, &st);
	HAS(o, "digraph cfg {");
	HAS(o, "fillcolor=mistyrose");
	free(o);
	unlink(path);
}
