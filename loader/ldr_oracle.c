/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_oracle.c - run a "memory program" in the kernel.
 *
 * barebpf's offline tools (interpreter, later the JIT) call a program with
 * r1 = memory and r2 = its length, as the bpf_conformance suite does.  The
 * kernel has no such program type, but XDP comes close: r1 is an xdp_md
 * whose data/data_end bound a packet we choose.  A prolog turns one into
 * the other:
 *
 *   0: r2 = *(u32 *)(r1 + 4)      data_end
 *   1: r1 = *(u32 *)(r1 + 0)      data
 *   2: r1 += LEN
 *   3: if r1 > r2 goto 7          never taken: the packet has >= LEN bytes,
 *   4: r1 -= LEN                  but now the verifier knows [r1, r1+LEN)
 *   5: r2 = LEN                   is readable and writable
 *   6: goto 10                    -> the program
 *   7: r0 = 0                     the bounds check's (dead) failure path,
 *   8: r0 >>= 32                  which also makes the epilogue reachable:
 *   9: exit                       the verifier refuses unreachable code
 *  10: the program, unchanged
 *
 * LEN is the memory's length.  test_run wants at least ETH_HLEN (14) bytes
 * of packet, so shorter memory is padded with zeros; r2 is the immediate
 * LEN, not data_end - data, so the program sees exactly its memory.  Local
 * calls and jumps are pc-relative, so prepending the prolog keeps them
 * valid.
 *
 * Full 64-bit r0: test_run's retval is 32 bits.  The program runs twice:
 * as is (low half), and with every exit of the main function turned into a
 * jump to the epilogue at 8 (high half).  The main function ends where the
 * first subprogram starts (the lowest `call local` or ld_imm64 func
 * target); exits after that return from subprograms and stay.
 *
 * Without memory the offline convention is r1 = r2 = 0, which the kernel
 * cannot give (r1 is always the packet).  Such a program runs on a
 * zero-filled minimum packet with r2 = 0, and is refused up front if it
 * can read r1 before writing it (ldr_oracle_reads_r1()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/ldr.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

enum { PROLOG = 10, EPILOGUE = 8, XDP_MIN = 14 /* ETH_HLEN */ };

static void put_prolog(struct isa_raw *p, int32_t len)
{
	p[0] = I(0x61, 2, 1, 4, 0);             /* r2 = *(u32 *)(r1 + 4) */
	p[1] = I(0x61, 1, 1, 0, 0);             /* r1 = *(u32 *)(r1 + 0) */
	p[2] = I(0x07, 1, 0, 0, len);           /* r1 += len */
	p[3] = I(0x2d, 1, 2, 3, 0);             /* if r1 > r2 goto +3 (7) */
	p[4] = I(0x17, 1, 0, 0, len);           /* r1 -= len */
	p[5] = I(0xb7, 2, 0, 0, len);           /* r2 = len */
	p[6] = I(0x05, 0, 0, 3, 0);             /* goto +3 (10) */
	p[7] = I(0xb7, 0, 0, 0, 0);             /* r0 = 0 */
	p[8] = I(0x77, 0, 0, 0, 32);            /* r0 >>= 32 */
	p[9] = I(0x95, 0, 0, 0, 0);             /* exit */
}

/* First instruction of the first subprogram, or @n. */
static size_t main_end(const struct isa_raw *p, size_t n)
{
	struct isa_insn in;
	size_t end = n;

	for (size_t pc = 0; pc < n;) {
		int slots = isa_decode(p, n, pc, &in, NULL);
		long t;

		if (slots < 0)
			return n;
		t = isa_branch_target(&in, pc);
		if ((in.op == ISA_OP_CALL_LOCAL || in.op == ISA_OP_LDDW_FUNC) &&
		    t > 0 && (size_t)t < end)
			end = (size_t)t;
		pc += (size_t)slots;
	}
	return end;
}

static bool is_mov(const struct isa_insn *in)
{
	uint8_t cls = ISA_CLASS(in->code);

	return (cls == ISA_CLASS_ALU || cls == ISA_CLASS_ALU64) && (in->code & 0xf0) == 0xb0;
}

/* Does @in read r1?  Conservative for calls into code we do not follow. */
static bool reads_r1(const struct isa_insn *in)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_ALU_K:
		return in->dst == 1 && !is_mov(in);
	case ISA_FMT_ALU_X:
		return in->src == 1 || (in->dst == 1 && !is_mov(in));
	case ISA_FMT_NEG:
	case ISA_FMT_END:
	case ISA_FMT_ST:
	case ISA_FMT_JCC_K:
		return in->dst == 1;
	case ISA_FMT_MOVSX:
	case ISA_FMT_LDX:
	case ISA_FMT_LDIND:
		return in->src == 1;
	case ISA_FMT_STX:
	case ISA_FMT_ATOMIC:
	case ISA_FMT_JCC_X:
		return in->dst == 1 || in->src == 1;
	case ISA_FMT_CALL_LOCAL:
	case ISA_FMT_CALL_KFUNC:
	case ISA_FMT_CALLX:
		return true;    /* arguments: assume the callee reads r1 */
	default:
		return false;   /* LDDW, LDABS, JA, JA32, helper CALL, EXIT */
	}
}

/* Does @in (which does not read r1) leave r1 defined? */
static bool writes_r1(const struct isa_insn *in)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_ALU_K:
	case ISA_FMT_ALU_X:
	case ISA_FMT_MOVSX:
	case ISA_FMT_LDX:
	case ISA_FMT_LDDW:
		return in->dst == 1;
	case ISA_FMT_CALL:
	case ISA_FMT_LDABS:
		return true;    /* clobbers r1..r5 */
	default:
		return false;
	}
}

int ldr_oracle_reads_r1(const struct isa_raw *p, size_t n)
{
	size_t *stack, sp = 0;
	char *seen;
	int live = 0;

	if (!n)
		return 0;
	stack = calloc(n + 1, sizeof(*stack));
	seen = calloc(n + 1, 1);
	if (!stack || !seen) {
		free(stack);
		free(seen);
		return -ENOMEM;
	}
	stack[sp++] = 0;
	seen[0] = 1;
	/* Walk the paths on which r1 still holds its entry value. */
	while (sp && !live) {
		size_t pc = stack[--sp], next[2];
		struct isa_insn in;
		int slots = isa_decode(p, n, pc, &in, NULL), nn = 0;
		long t;

		if (slots < 0 || reads_r1(&in)) {
			live = 1;       /* undecodable: cannot tell, so "yes" */
			break;
		}
		if (writes_r1(&in))
			continue;
		t = isa_branch_target(&in, pc);
		switch (isa_rows[in.op].fmt) {
		case ISA_FMT_EXIT:
			break;
		case ISA_FMT_JA:
		case ISA_FMT_JA32:
			next[nn++] = (size_t)t;
			break;
		case ISA_FMT_JCC_K:
		case ISA_FMT_JCC_X:
			next[nn++] = (size_t)t;
			next[nn++] = pc + (size_t)slots;
			break;
		default:
			next[nn++] = pc + (size_t)slots;
		}
		for (int i = 0; i < nn; i++) {
			if (next[i] < n && !seen[next[i]]) {
				seen[next[i]] = 1;
				stack[sp++] = next[i];
			}
		}
	}
	free(stack);
	free(seen);
	return live;
}

/* Prolog + program; with @high every main-function exit jumps to the
 * epilogue.  Returns a malloc'ed array of PROLOG + n slots. */
static struct isa_raw *build(const struct isa_raw *prog, size_t n, size_t len, bool high)
{
	struct isa_raw *p = calloc(PROLOG + n, sizeof(*p));
	size_t end = main_end(prog, n);

	if (!p)
		return NULL;
	put_prolog(p, (int32_t)len);
	memcpy(p + PROLOG, prog, n * sizeof(*p));
	for (size_t pc = 0; high && pc < end;) {
		struct isa_insn in;
		int slots = isa_decode(prog, n, pc, &in, NULL);

		if (slots < 0)
			break;
		if (in.op == ISA_OP_EXIT)
			p[PROLOG + pc] = I(0x05, 0, 0, (int16_t)(EPILOGUE - (long)(PROLOG + pc + 1)), 0);
		pc += (size_t)slots;
	}
	return p;
}

static int load(const struct isa_raw *prog, size_t n, size_t len, bool high,
		const struct ldr_oracle_opts *o, struct bb_err *e)
{
	struct isa_raw *p = build(prog, n, len, high);
	int fd;

	if (!p)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	LDR_OPTS(ldr_prog_load_opts, lo, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = p, .insn_cnt = PROLOG + n, .license = "GPL",
		 .prog_name = o->name, .log = high ? NULL : o->log);
	fd = ldr_prog_load(&lo, e);
	free(p);
	return fd;      /* the caller owns it */
}

int ldr_oracle_run(const struct isa_raw *prog, size_t n, struct ldr_oracle_opts *o,
		   struct bb_err *e)
{
	size_t len = o->mem_len, pkt_len = len > XDP_MIN ? len : XDP_MIN;
	int fd[2] = { -1, -1 }, err = 0;
	uint32_t half[2] = { 0, 0 };
	uint8_t *pkt = NULL;

	if (o->sz < sizeof(*o))
		return bb_err_insn(e, -EINVAL, -1, "ldr_oracle_opts too small");
	if (len > INT32_MAX || n > ISA_MAX_INSNS - PROLOG)
		return bb_err_insn(e, -E2BIG, -1, "program or memory too large for the kernel oracle");
	if (!len) {
		int r = ldr_oracle_reads_r1(prog, n);

		if (r < 0)
			return bb_err_insn(e, r, -1, "out of memory");
		if (r)
			return bb_err_insn(e, -ENOTSUP, -1,
					   "the program can read r1 before writing it and has no memory: "
					   "offline r1 is 0, in the kernel it is a packet pointer, so the results "
					   "would not be comparable");
	}
	pkt = calloc(pkt_len, 1);
	if (!pkt)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	for (int h = 0; h < 2 && !err; h++) {
		/* Each half runs on a fresh copy: the program may write memory. */
		memset(pkt, 0, pkt_len);
		if (len)
			memcpy(pkt, o->mem, len);
		fd[h] = load(prog, n, len, h == 1, o, e);
		if (fd[h] < 0) {
			err = fd[h];
			break;
		}
		LDR_OPTS(ldr_test_run_opts, t, .data_in = pkt, .data_size_in = (uint32_t)pkt_len,
			 .data_out = pkt, .data_size_out = (uint32_t)pkt_len,
			 .repeat = o->repeat);
		err = ldr_prog_test_run(fd[h], &t);
		if (err) {
			bb_err_insn(e, err, -1, "BPF_PROG_TEST_RUN: %s", strerror(-err));
			break;
		}
		half[h] = t.retval;
		if (!h) {
			o->duration_ns = t.duration;
			if (o->mem_out && len)
				memcpy(o->mem_out, pkt, len);
		}
	}
	for (int h = 0; h < 2; h++)
		if (fd[h] >= 0)
			ldr_obj_close(fd[h]);
	free(pkt);
	if (!err)
		o->r0 = (uint64_t)half[1] << 32 | half[0];
	return err;
}
