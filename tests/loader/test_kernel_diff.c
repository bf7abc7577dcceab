/* SPDX-License-Identifier: MIT */
/*
 * Kernel differential test: every conformance program runs in the kernel
 * (as an XDP program through BPF_PROG_TEST_RUN) and in our interpreter,
 * and the two r0 values must agree.
 *
 * How a conformance program becomes an XDP program.  The suite calls a
 * program with r1 = memory, r2 = its length; XDP gives r1 = struct xdp_md.
 * A prolog turns one into the other:
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
 *  10: the conformance program, unchanged
 *
 * 8-9 are the epilogue of the high-half run.
 *
 * LEN is the conformance memory's length.  test_run wants at least ETH_HLEN
 * (14) bytes of packet, so shorter memory is padded with zeros; r2 is the
 * immediate LEN, not data_end - data, so the program sees exactly the
 * suite's memory.  Local calls and jumps are pc-relative, so prepending
 * the prolog keeps them valid.
 *
 * Programs without memory: the suite runs them with r1 = r2 = 0, which the
 * kernel cannot do (r1 is always the packet here).  They get a zero-filled
 * minimum packet with LEN = 0, so r2 = 0 matches; r1 does not, so a
 * program that reads r1 before writing it on some path is counted as "not
 * comparable" and left out (a small must-write dataflow pass decides).
 *
 * Full 64-bit r0: test_run's retval is 32 bits.  Each program runs twice:
 * as is (low half), and with every exit of the main function turned into
 * a jump to the epilogue at 8 (high half).  The main function ends where
 * the first subprogram starts (the lowest `call local` or ld_imm64 func
 * target); exits after that return from subprograms and stay.
 *
 * Helper 5 is ktime_get_ns in the kernel and the suite's "unwind" helper
 * in our interpreter; the two programs that call it ignore its result.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/vm.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

enum { KD_PROLOG = 10, KD_EPILOGUE = 8, KD_XDP_MIN = 14 /* ETH_HLEN */ };

static void kd_prolog(struct isa_raw *p, int32_t len)
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

/* First instruction of the first subprogram, or @n: the main function is
 * [0, that). */
static size_t kd_main_end(const struct isa_raw *p, size_t n)
{
	size_t end = n;
	struct isa_insn in;

	for (size_t pc = 0; pc < n;) {
		int slots = isa_decode(p, n, pc, &in, NULL);

		if (slots < 0)
			return n;
		if (in.op == ISA_OP_CALL_LOCAL || in.op == ISA_OP_LDDW_FUNC) {
			long t = (long)pc + in.imm + 1;

			if (t > 0 && (size_t)t < end)
				end = (size_t)t;
		}
		pc += (size_t)slots;
	}
	return end;
}

static int kd_is_mov(const struct isa_insn *in)
{
	uint8_t cls = ISA_CLASS(in->code);

	return (cls == ISA_CLASS_ALU || cls == ISA_CLASS_ALU64) && (in->code & 0xf0) == 0xb0;
}

/* Does @in read r1?  Conservative for calls into code we do not follow. */
static int kd_reads_r1(const struct isa_insn *in)
{
	switch (isa_rows[in->op].fmt) {
	case ISA_FMT_ALU_K:
		return in->dst == 1 && !kd_is_mov(in);
	case ISA_FMT_ALU_X:
		return in->src == 1 || (in->dst == 1 && !kd_is_mov(in));
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
		return 1;       /* arguments: assume the callee reads r1 */
	default:
		return 0;       /* LDDW, LDABS, JA, JA32, helper CALL, EXIT */
	}
}

/* Does @in (which does not read r1) leave r1 defined? */
static int kd_writes_r1(const struct isa_insn *in)
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
		return 1;       /* clobbers r1..r5 */
	default:
		return 0;
	}
}

/*
 * Can the main function read r1 before writing it?  Walks the paths on
 * which r1 still holds its entry value; any read there means yes.
 */
static int kd_r1_live_in(const struct isa_raw *p, size_t n)
{
	size_t *stack = calloc(n + 1, sizeof(*stack));
	char *seen = calloc(n + 1, 1);
	size_t sp = 0;
	int live = 0;

	cr_assert(stack && seen);
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp && !live) {
		size_t pc = stack[--sp], next[2];
		struct isa_insn in;
		int slots = isa_decode(p, n, pc, &in, NULL), nn = 0;
		long t;

		if (slots < 0) {
			live = 1;       /* cannot tell; do not compare */
			break;
		}
		if (kd_reads_r1(&in)) {
			live = 1;
			break;
		}
		if (kd_writes_r1(&in))
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

/*
 * The XDP program for @t: prolog + program; with @high every main-function
 * exit jumps to the epilogue instead.  Returns a calloc'ed array.
 */
static struct isa_raw *kd_build(const struct tu_conf *t, int high, size_t *count)
{
	size_t n = t->prog_len / sizeof(struct isa_raw);
	size_t main_end = kd_main_end((const struct isa_raw *)t->prog, n);
	struct isa_raw *p = calloc(KD_PROLOG + n, sizeof(*p));

	cr_assert_not_null(p);
	kd_prolog(p, (int32_t)t->mem_len);
	memcpy(p + KD_PROLOG, t->prog, n * sizeof(*p));
	for (size_t pc = 0; high && pc < main_end;) {
		struct isa_insn in;
		int slots = isa_decode(p + KD_PROLOG, n, pc, &in, NULL);

		if (slots < 0)
			break;
		if (in.op == ISA_OP_EXIT) {
			long off = KD_EPILOGUE - (long)(KD_PROLOG + pc + 1);

			p[KD_PROLOG + pc] = I(0x05, 0, 0, (int16_t)off, 0);
		}
		pc += (size_t)slots;
	}
	*count = KD_PROLOG + n;
	return p;
}

/* One test_run of @fd on a fresh copy of @t's memory, padded. */
static int kd_run(int fd, const struct tu_conf *t, uint32_t *retval)
{
	size_t len = t->mem_len > KD_XDP_MIN ? t->mem_len : KD_XDP_MIN;
	uint8_t *pkt = calloc(len, 1);
	int err;

	cr_assert_not_null(pkt);
	if (t->mem_len)
		memcpy(pkt, t->mem, t->mem_len);
	LDR_OPTS(ldr_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len,
		 .repeat = 1);
	err = ldr_prog_test_run(fd, &o);
	*retval = o.retval;
	free(pkt);
	return err;
}

/* Load the low or high variant; the fd or -errno with the reason in @e. */
static int kd_load(const struct tu_conf *t, int high, struct bb_err *e)
{
	size_t n;
	struct isa_raw *p = kd_build(t, high, &n);
	int fd;

	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = p, .insn_cnt = n, .license = "GPL", .prog_name = t->name);
	bb_err_clear(e);
	fd = ldr_prog_load(&o, e);
	free(p);
	return fd;
}

/* Open fds of this process, to show the loop leaks none. */
static int kd_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* The suite's helper 5: return without stopping the program. */
static uint64_t kd_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			  uint64_t r5, struct vm_call *call)
{
	return r1;
}

static int kd_interp(struct vm *vm, const struct tu_conf *t, uint64_t *r0,
		     struct bb_err *e)
{
	uint8_t *mem = NULL;
	int err;

	bb_err_clear(e);
	err = vm_load(vm, (const struct isa_raw *)t->prog,
		      t->prog_len / sizeof(struct isa_raw), e);
	if (err)
		return err;
	if (t->mem_len) {
		mem = malloc(t->mem_len);
		cr_assert_not_null(mem);
		memcpy(mem, t->mem, t->mem_len);
	}
	err = vm_run(vm, mem, t->mem_len, NULL, r0, e);
	free(mem);
	return err;
}

Test(kernel_diff, conformance_programs_agree_with_the_kernel, .timeout = 300)
{
	struct tu_conf *tests;
	struct vm_helpers *h;
	struct vm *vm;
	struct bb_err e;
	int n, accepted = 0, rejected = 0, compared = 0, matched = 0;
	int not_comparable = 0, kernel_is_ref = 0, failures = 0, shown = 0, fds;
	char rej[2048] = "";
	size_t rej_len = 0;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("kernel comparison skipped: %s", e.msg);
	n = tu_conf_load(&tests);
	cr_assert_gt(n, 0, "cannot read %s/reference.txt: %s", tu_conformance_dir(),
		     strerror(-n));
	h = vm_helpers_new();
	cr_assert_not_null(h);
	cr_assert_eq(vm_helpers_add(h, 5, "unwind", kd_unwind), 0);
	vm = vm_new(h);
	cr_assert_not_null(vm);
	fds = kd_open_fds();

	for (int i = 0; i < n; i++) {
		const struct tu_conf *t = &tests[i];
		size_t slots = t->prog_len / sizeof(struct isa_raw);
		uint32_t lo = 0, hi = 0;
		uint64_t kr0, our = 0;
		int lfd, hfd, err;

		if (!t->mem_len && kd_r1_live_in((const struct isa_raw *)t->prog, slots)) {
			not_comparable++;
			fprintf(stderr, "kernel_diff: %-28s not comparable: reads r1 and has no memory\n",
				t->name);
			continue;
		}
		lfd = kd_load(t, 0, &e);
		if (lfd < 0) {
			rejected++;
			/* The reason is the last line of the verifier log. */
			const char *why = strrchr(e.msg, '|');

			if (shown++ < 6)
				fprintf(stderr, "kernel_diff: %-28s rejected: %s\n", t->name,
					why ? why + 2 : e.msg);
			rej_len += (size_t)snprintf(rej + rej_len, sizeof(rej) - rej_len, "%s%s",
						    rejected > 1 ? ", " : "", t->name);
			if (rej_len >= sizeof(rej))
				rej_len = sizeof(rej) - 1;
			continue;
		}
		hfd = kd_load(t, 1, &e);
		if (hfd < 0) {
			/* The rewrite only retargets exits; a verdict change
			 * would be our bug, not the kernel's. */
			cr_log_error("%s: low half loads but high half is rejected: %s",
				     t->name, e.msg);
			failures++;
			ldr_obj_close(lfd);
			continue;
		}
		accepted++;
		err = kd_run(lfd, t, &lo);
		if (!err)
			err = kd_run(hfd, t, &hi);
		ldr_obj_close(lfd);
		ldr_obj_close(hfd);
		if (err) {
			cr_log_error("%s: BPF_PROG_TEST_RUN failed: %s", t->name, strerror(-err));
			failures++;
			continue;
		}
		kr0 = (uint64_t)hi << 32 | lo;
		if (kr0 == t->result)
			kernel_is_ref++;
		else
			fprintf(stderr, "kernel_diff: %-28s kernel 0x%" PRIx64 " != suite's expected 0x%" PRIx64 "\n",
				t->name, kr0, t->result);
		compared++;
		err = kd_interp(vm, t, &our, &e);
		if (err) {
			cr_log_error("%s: kernel ran it (r0 = 0x%" PRIx64 ") but ours failed: %s",
				     t->name, kr0, e.msg);
			failures++;
		} else if (our != kr0) {
			cr_log_error("%s: ours r0 = 0x%" PRIx64 ", kernel r0 = 0x%" PRIx64,
				     t->name, our, kr0);
			failures++;
		} else {
			matched++;
		}
	}
	fprintf(stderr,
		"kernel_diff: %d programs: %d accepted by the kernel and compared, "
		"%d rejected by its verifier, %d not comparable (read r1 without memory); "
		"%d/%d match our interpreter; kernel == suite's expected r0 for %d/%d\n",
		n, compared, rejected, not_comparable, matched, compared, kernel_is_ref, compared);
	if (rejected)
		fprintf(stderr, "kernel_diff: rejected: %s\n", rej);
	cr_assert_eq(kd_open_fds(), fds, "program fds leaked");
	vm_free(vm);
	vm_helpers_free(h);
	tu_conf_free(tests, n);
	cr_assert_eq(failures, 0, "%d program(s) disagree with the kernel (see above)", failures);
	cr_assert_eq(accepted, compared);
}

/* The r1 liveness pass that decides which memory-less programs compare. */
Test(kernel_diff, r1_live_in)
{
	static const struct isa_raw reads[] = {         /* r0 = r1; exit */
		I(0xbf, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0),
	};
	static const struct isa_raw writes_first[] = {  /* r1 = 1; r0 = r1; exit */
		I(0xb7, 1, 0, 0, 1), I(0xbf, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0),
	};
	static const struct isa_raw one_path[] = {
		I(0xb7, 0, 0, 0, 0),    /* r0 = 0 */
		I(0x15, 0, 0, 1, 0),    /* if r0 == 0 goto +1 */
		I(0xb7, 1, 0, 0, 1),    /* r1 = 1 (skipped on one path) */
		I(0x0f, 0, 1, 0, 0),    /* r0 += r1 */
		I(0x95, 0, 0, 0, 0),
	};
	static const struct isa_raw add_to_r1[] = {     /* r1 += 1 reads r1 */
		I(0x07, 1, 0, 0, 1), I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0),
	};

	cr_assert(kd_r1_live_in(reads, 2));
	cr_assert(!kd_r1_live_in(writes_first, 3));
	cr_assert(kd_r1_live_in(one_path, 5));
	cr_assert(kd_r1_live_in(add_to_r1, 3));
}
