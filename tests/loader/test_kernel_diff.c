/* SPDX-License-Identifier: MIT */
/*
 * Kernel differential test: every conformance program runs in the kernel
 * (ldr_oracle_run(): an XDP prolog + BPF_PROG_TEST_RUN, full 64-bit r0;
 * see loader/ldr_oracle.c) and in our interpreter, and the two r0 values
 * must agree.  Programs without memory that read r1 before writing it are
 * not comparable (offline r1 = 0, in the kernel a packet pointer) and are
 * counted separately.
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
		uint64_t our = 0;
		int err;

		LDR_OPTS(ldr_oracle_opts, o, .name = t->name, .mem = t->mem, .mem_len = t->mem_len);
		bb_err_clear(&e);
		err = ldr_oracle_run((const struct isa_raw *)t->prog, slots, &o, &e);
		if (err == -ENOTSUP) {
			not_comparable++;
			fprintf(stderr, "kernel_diff: %-28s not comparable: %s\n", t->name, e.msg);
			continue;
		}
		if (err) {
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
		accepted++;
		if (o.r0 == t->result)
			kernel_is_ref++;
		else
			fprintf(stderr, "kernel_diff: %-28s kernel 0x%" PRIx64 " != suite's expected 0x%" PRIx64 "\n",
				t->name, o.r0, t->result);
		compared++;
		err = kd_interp(vm, t, &our, &e);
		if (err) {
			cr_log_error("%s: kernel ran it (r0 = 0x%" PRIx64 ") but ours failed: %s",
				     t->name, o.r0, e.msg);
			failures++;
		} else if (our != o.r0) {
			cr_log_error("%s: ours r0 = 0x%" PRIx64 ", kernel r0 = 0x%" PRIx64,
				     t->name, our, o.r0);
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

/* The r1 liveness pass (ldr_oracle_reads_r1) that decides which memory-less programs compare. */
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

	cr_assert(ldr_oracle_reads_r1(reads, 2));
	cr_assert(!ldr_oracle_reads_r1(writes_first, 3));
	cr_assert(ldr_oracle_reads_r1(one_path, 5));
	cr_assert(ldr_oracle_reads_r1(add_to_r1, 3));
}
