/* SPDX-License-Identifier: MIT */
/*
 * Differential testing: generated programs through the interpreter and the
 * JIT (fast and checked; blinded on a share of them) must agree on the
 * result code, r0 and the input memory afterwards.  A divergence prints
 * the program (isa_disasm) and fails.
 *
 * The generator (seeded, so a failure reproduces) writes valid programs:
 * r9 = the input memory and r8 the loop counter are never written by
 * ordinary instructions; every ALU and JMP/JMP32 op with K and X operands
 * and edge immediates (0, +-1, INT32_MIN/MAX, byte and word edges);
 * byte swaps; movsx; lddw; loads/stores of every size (signed loads too)
 * on the stack frame and the input; every atomic on aligned slots;
 * forward conditional jumps; bounded loops; helper calls (after which
 * r1..r5 are rewritten: they are undefined in the JIT as in the kernel);
 * bpf-to-bpf calls and callx into subprograms; LD_ABS/LD_IND in and out
 * of the packet.  $BAREBPF_JIT_DIFF_PROGS overrides the program count.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "jit-x86_64/jit.h"

#define MEM_LEN 64
#define MAX_INSNS 512

#define INS(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

struct gen {
	uint64_t s;
	struct isa_raw p[MAX_INSNS];
	size_t n;
	/* pending local calls/callx targets: insn index -> subprogram */
	size_t call_at[16], call_sub[16], ncalls;
	size_t sub_start[4];
};

static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static int32_t edge_imm(struct gen *g)
{
	static const int32_t edges[] = {
		0, 1, -1, 2, -2, 7, 8, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100,
		0x7fff, 0x8000, 0xffff, INT32_MAX, INT32_MIN, INT32_MIN + 1, 3, 10,
	};

	if (pick(g, 2))
		return edges[pick(g, BB_ARRAY_SIZE(edges))];
	return (int32_t)rnd(g) >> pick(g, 32);
}

static uint64_t edge_u64(struct gen *g)
{
	static const uint64_t edges[] = {
		0, 1, UINT64_MAX, 0x8000000000000000ull, 0x7fffffffffffffffull,
		0xffffffff, 0x80000000, 0x100000000ull, 0xffffffff80000000ull, 2,
	};

	if (pick(g, 2))
		return edges[pick(g, BB_ARRAY_SIZE(edges))];
	return rnd(g) >> pick(g, 64);
}

static void put(struct gen *g, struct isa_raw in)
{
	cr_assert_lt(g->n, MAX_INSNS);
	g->p[g->n++] = in;
}

static void lddw(struct gen *g, unsigned dst, uint64_t v)
{
	put(g, INS(0x18, dst, 0, 0, (int32_t)(uint32_t)v));
	put(g, INS(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

/* General registers an instruction may write / read. */
static unsigned gdst(struct gen *g)
{
	return pick(g, 8);              /* r0..r7 */
}

static unsigned gsrc(struct gen *g)
{
	return pick(g, 9);              /* r0..r8 (r9 is an address) */
}

static void gen_alu(struct gen *g)
{
	static const uint8_t ops[] = { 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60,
				       0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0 };
	uint8_t op = ops[pick(g, BB_ARRAY_SIZE(ops))];
	uint8_t cls = pick(g, 2) ? 0x07 : 0x04;
	bool x = pick(g, 2);
	int16_t off = 0;

	if ((op == 0x30 || op == 0x90) && pick(g, 2))
		off = 1;                        /* sdiv / smod */
	if (op == 0x80)
		x = false;                      /* neg has no source */
	if (op == 0xb0 && x && pick(g, 3) == 0) {
		/* movsx: 8/16 (and 32 for the 64-bit form) */
		off = (int16_t)((int[]){ 8, 16, 32 })[pick(g, cls == 0x07 ? 3 : 2)];
	}
	put(g, INS(cls | op | (x ? 0x08 : 0), gdst(g), x ? gsrc(g) : 0, off,
		   x || op == 0x80 ? 0 : edge_imm(g)));
}

static void gen_end(struct gen *g)
{
	static const int32_t widths[] = { 16, 32, 64 };
	static const uint8_t codes[] = { 0xd4, 0xdc, 0xd7 };

	put(g, INS(codes[pick(g, 3)], gdst(g), 0, 0, widths[pick(g, 3)]));
}

/* A memory operand: base register and offset for @size bytes. */
static void mem_operand(struct gen *g, unsigned size, bool aligned, unsigned *base, int16_t *off)
{
	if (pick(g, 2)) {
		int o = -(int)size - (int)pick(g, 512 - size + 1);

		if (aligned)
			o &= ~(int)(size - 1);
		*base = 10;
		*off = (int16_t)o;
	} else {
		int o = (int)pick(g, MEM_LEN - size + 1);

		if (aligned)
			o &= ~(int)(size - 1);
		*base = 9;
		*off = (int16_t)o;
	}
}

static void gen_mem(struct gen *g)
{
	static const uint8_t sizes[] = { 0x18, 0x00, 0x08, 0x10 };  /* dw w h b */
	uint8_t sz = sizes[pick(g, 4)];
	unsigned size = isa_mem_size(sz), base;
	int16_t off;

	mem_operand(g, size, false, &base, &off);
	switch (pick(g, 4)) {
	case 0:
		put(g, INS(0x61 | sz, gdst(g), base, off, 0));                 /* ldx */
		break;
	case 1:
		if (sz == 0x18)
			sz = 0x00;
		put(g, INS(0x81 | sz, gdst(g), base, off, 0));                 /* ldxs */
		break;
	case 2:
		put(g, INS(0x62 | sz, base, 0, off, edge_imm(g)));             /* st */
		break;
	default:
		put(g, INS(0x63 | sz, base, gsrc(g), off, 0));                 /* stx */
		break;
	}
}

static void gen_atomic(struct gen *g)
{
	static const int32_t ops[] = { 0x00, 0x01, 0x40, 0x41, 0x50, 0x51,
				       0xa0, 0xa1, 0xe1, 0xf1 };
	bool w = pick(g, 2);
	unsigned base, src = gdst(g);
	int16_t off;

	mem_operand(g, w ? 8 : 4, true, &base, &off);
	put(g, INS(w ? 0xdb : 0xc3, base, src, off, ops[pick(g, BB_ARRAY_SIZE(ops))]));
}

static void gen_ldpkt(struct gen *g)
{
	static const uint8_t sizes[] = { 0x00, 0x08, 0x10 };
	uint8_t sz = sizes[pick(g, 3)];
	int32_t imm = pick(g, 8) ? (int32_t)pick(g, MEM_LEN + 4) : edge_imm(g);

	if (pick(g, 2))
		put(g, INS(0x20 | sz, 0, 0, 0, imm));                          /* ldabs */
	else
		put(g, INS(0x40 | sz, 0, gdst(g), 0, imm));                    /* ldind */
}

/* r1..r5 hold garbage after a helper in the JIT: give them values. */
static void refill_args(struct gen *g)
{
	for (unsigned r = 1; r <= 5; r++)
		put(g, INS(0xb7, r, 0, 0, edge_imm(g)));
}

static void gen_helper(struct gen *g)
{
	if (pick(g, 3) == 0) {
		put(g, INS(0xb7, 5, 0, 0, 1));                                  /* r5 = 1 */
		put(g, INS(0x8d, 5, 0, 0, 0));                                  /* callx r5 */
	} else {
		put(g, INS(0x85, 0, 0, 0, 1 + pick(g, 2)));                     /* call 1|2 */
	}
	refill_args(g);
}

/* A call to subprogram @sub (fixed up once the subprograms exist). */
static void gen_call(struct gen *g, unsigned sub)
{
	g->call_sub[g->ncalls] = sub;
	if (pick(g, 2)) {
		g->call_at[g->ncalls++] = g->n;
		put(g, INS(0x85, 0, 1, 0, 0));                                  /* call pc+? */
	} else {
		g->call_at[g->ncalls++] = g->n;
		lddw(g, 5, 0);                                                  /* r5 = func */
		g->p[g->n - 2].src = 4;
		put(g, INS(0x8d, 5, 0, 0, 0));                                  /* callx r5 */
		put(g, INS(0xb7, 5, 0, 0, edge_imm(g)));
	}
}

static void gen_loop(struct gen *g)
{
	unsigned body = 1 + pick(g, 4);
	size_t top;

	put(g, INS(0xb7, 8, 0, 0, 1 + (int32_t)pick(g, 6)));                    /* r8 = k */
	top = g->n;
	for (unsigned i = 0; i < body; i++)
		gen_alu(g);
	put(g, INS(0x17, 8, 0, 0, 1));                                          /* r8 -= 1 */
	put(g, INS(0x55, 8, 0, (int16_t)(top - g->n - 1), 0));                  /* if r8 != 0 */
}

/*
 * One function: items, some of them forward jumps whose targets are item
 * starts (never inside a loop or an lddw).  @sub: the subprogram number
 * (its calls may only go to later subprograms), -1 for main.
 */
static void gen_function(struct gen *g, int sub, unsigned nsubs, unsigned items)
{
	size_t start[64], jmp_at[64];
	unsigned jmp_item[64], njmp = 0, k;

	cr_assert_leq(items, 60);
	if (sub >= 0)
		put(g, INS(0xb7, 5, 0, 0, edge_imm(g)));        /* r5 held a function address */
	for (k = 0; k < items; k++) {
		unsigned what = pick(g, 100);

		start[k] = g->n;
		if (what < 40) {
			gen_alu(g);
		} else if (what < 45) {
			gen_end(g);
		} else if (what < 48) {
			lddw(g, gdst(g), edge_u64(g));
		} else if (what < 62) {
			gen_mem(g);
		} else if (what < 68) {
			gen_atomic(g);
		} else if (what < 80) {
			bool x = pick(g, 2);
			static const uint8_t jops[] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60,
							0x70, 0xa0, 0xb0, 0xc0, 0xd0 };

			jmp_at[njmp] = g->n;
			jmp_item[njmp++] = k;
			put(g, INS((pick(g, 2) ? 0x05 : 0x06) | jops[pick(g, BB_ARRAY_SIZE(jops))] |
				   (x ? 0x08 : 0), gsrc(g), x ? gsrc(g) : 0, 0, x ? 0 : edge_imm(g)));
		} else if (what < 84) {
			gen_loop(g);
		} else if (what < 88) {
			gen_helper(g);
		} else if (what < 92 && (int)nsubs > sub + 1) {
			gen_call(g, (unsigned)(sub + 1) + pick(g, nsubs - (unsigned)(sub + 1)));
		} else if (what < 95) {
			gen_ldpkt(g);
		} else {
			jmp_at[njmp] = g->n;
			jmp_item[njmp++] = k;
			put(g, INS(0x05, 0, 0, 0, 0));                          /* ja */
		}
	}
	start[k] = g->n;
	/* Fold every general register into r0 so all of them are compared. */
	for (unsigned r = 1; r <= 8; r++)
		put(g, INS(0xaf, 0, r, 0, 0));
	put(g, INS(0x95, 0, 0, 0, 0));
	for (unsigned j = 0; j < njmp; j++) {
		unsigned t = jmp_item[j] + 1 + pick(g, items - jmp_item[j]);

		g->p[jmp_at[j]].off = (int16_t)(start[t] - jmp_at[j] - 1);
	}
}

static size_t generate(struct gen *g, uint64_t seed)
{
	unsigned nsubs = pick(g, 4) ? 0 : 1 + pick(g, 3);

	g->s = seed * 0x9e3779b97f4a7c15ull + 1;
	g->n = 0;
	g->ncalls = 0;
	/* r9 = input, r1..r8 and r0 get values */
	put(g, INS(0xbf, 9, 1, 0, 0));
	put(g, INS(0xb7, 0, 0, 0, edge_imm(g)));
	for (unsigned r = 1; r <= 8; r++) {
		if (pick(g, 2))
			lddw(g, r, edge_u64(g));
		else
			put(g, INS(0xb7, r, 0, 0, edge_imm(g)));
	}
	gen_function(g, -1, nsubs, 4 + pick(g, 30));
	for (unsigned s = 0; s < nsubs; s++) {
		g->sub_start[s] = g->n;
		gen_function(g, (int)s, nsubs, 2 + pick(g, 10));
	}
	for (size_t c = 0; c < g->ncalls; c++) {
		size_t at = g->call_at[c];

		g->p[at].imm = (int32_t)(g->sub_start[g->call_sub[c]] - at - 1);
	}
	return g->n;
}

/* Helpers the generated programs call: pure functions of r1..r5. */
static uint64_t h_mix(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		      uint64_t r5, struct vm_call *call)
{
	return (r1 * 3 ^ r2) + (r3 - r4) * 0x9e3779b97f4a7c15ull + (r5 << 7) + call->pc;
}

static uint64_t h_id(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		     uint64_t r5, struct vm_call *call)
{
	return (uint64_t)call->helper_id << 32 | (r1 & 0xffffffff);
}

static void dump_prog(const struct isa_raw *p, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	isa_disasm(p, n, ISA_SYNTAX_CONFORMANCE, false, f, NULL);
	fclose(f);
	cr_log_error("program:\n%s", text);
	free(text);
}

struct outcome {
	int ret;
	uint64_t r0;
	uint8_t mem[MEM_LEN];
	char msg[BB_ERR_MSG_MAX];
};

static void run_vm(struct vm *vm, const uint8_t *in, bool checked, struct outcome *o)
{
	struct vm_run_opts ro = { .checked = checked };
	struct bb_err e;

	bb_err_clear(&e);
	memcpy(o->mem, in, MEM_LEN);
	o->r0 = 0;
	o->ret = vm_run(vm, o->mem, MEM_LEN, &ro, &o->r0, &e);
	snprintf(o->msg, sizeof(o->msg), "%s", o->ret ? e.msg : "");
}

static void run_jit(struct jit_prog *jp, const uint8_t *in, struct outcome *o)
{
	struct bb_err e;

	bb_err_clear(&e);
	memcpy(o->mem, in, MEM_LEN);
	o->r0 = 0;
	o->ret = jit_run(jp, o->mem, MEM_LEN, &o->r0, &e);
	snprintf(o->msg, sizeof(o->msg), "%s", o->ret ? e.msg : "");
}

static bool same(const struct outcome *a, const struct outcome *b)
{
	return a->ret == b->ret && a->r0 == b->r0 && !memcmp(a->mem, b->mem, MEM_LEN) &&
	       !strcmp(a->msg, b->msg);
}

static long env_count(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 0) : dflt;
}

Test(jit_diff, generated_programs_agree_with_interpreter, .timeout = 900)
{
	long nprogs = env_count("BAREBPF_JIT_DIFF_PROGS", 100000);
	struct vm_helpers *h = vm_helpers_new();
	struct vm *vm = vm_new(NULL);
	static struct gen g;
	long runs = 0, errors = 0, checked_runs = 0;
	uint64_t insns = 0;

	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 1, "mix", h_mix), 0);
	cr_assert_eq(vm_helpers_add(h, 2, "id", h_id), 0);
	vm_free(vm);
	vm = vm_new(h);
	for (long i = 0; i < nprogs; i++) {
		size_t n = generate(&g, (uint64_t)i);
		/* every 8th also in checked mode, every 16th blinded */
		bool checked = i % 8 == 0, blind = i % 16 == 1;
		struct jit_opts o = { .checked = checked, .blind = blind, .blind_seed = (uint64_t)i };
		struct jit_prog *jp = NULL;
		struct bb_err e;
		char buf[512];

		bb_err_clear(&e);
		insns += n;
		if (vm_load(vm, g.p, n, &e)) {
			dump_prog(g.p, n);
			cr_assert_fail("program %ld: interpreter refused it: %s", i,
				       bb_err_str(&e, buf, sizeof(buf)));
		}
		if (jit_compile(g.p, n, h, &o, &jp, &e)) {
			dump_prog(g.p, n);
			cr_assert_fail("program %ld: JIT refused it: %s", i,
				       bb_err_str(&e, buf, sizeof(buf)));
		}
		for (int k = 0; k < 2; k++) {
			uint8_t in[MEM_LEN];
			struct outcome a, b;

			for (size_t j = 0; j < MEM_LEN; j++)
				in[j] = (uint8_t)rnd(&g);
			if (k)
				memset(in, 0xff * (i & 1), MEM_LEN / 2);
			run_vm(vm, in, checked, &a);
			run_jit(jp, in, &b);
			runs++;
			checked_runs += checked;
			errors += a.ret != 0;
			if (!same(&a, &b)) {
				dump_prog(g.p, n);
				cr_assert_fail("program %ld (seed %ld, %s%s), input %d: interpreter ret %d r0 0x%" PRIx64
					       " '%s' / JIT ret %d r0 0x%" PRIx64 " '%s'%s",
					       i, i, checked ? "checked" : "fast", blind ? ", blinded" : "", k,
					       a.ret, a.r0, a.msg, b.ret, b.r0, b.msg,
					       memcmp(a.mem, b.mem, MEM_LEN) ? "; memory differs" : "");
			}
		}
		jit_free(jp);
	}
	cr_log_info("jit differential: %ld programs (%" PRIu64 " insns), %ld runs (%ld checked), %ld ended in an error, all agree",
		    nprogs, insns, runs, checked_runs, errors);
	vm_free(vm);
	vm_helpers_free(h);
}
