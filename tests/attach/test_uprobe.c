/* SPDX-License-Identifier: MIT */
/*
 * uprobes on functions of this test binary: symbol -> file offset,
 * uprobe/uretprobe (PMU with link, and the legacy ioctl), bpf cookies,
 * uprobe.multi over a glob, and USDT probes (<sys/sdt.h>) with a
 * semaphore the kernel bumps through ref_ctr_offset and arguments read
 * through the spec map.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/attach/at_util.h"

#if __has_include(<sys/sdt.h>)
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#define HAVE_SDT 1
/* The probe's semaphore, in .probes as <sys/sdt.h> expects. */
__extension__ unsigned short bbtest_hello_semaphore __attribute__((section(".probes"), used));
#else
#define HAVE_SDT 0
#endif

/* Targets: global, not inlined, and doing something so they stay. */
__attribute__((noinline, used)) int bb_target_fn(int x)
{
	__asm__ __volatile__("" : "+r"(x));
	return x * 2 + 1;
}

__attribute__((noinline, used)) int bb_multi_one(int x)
{
	__asm__ __volatile__("" : "+r"(x));
	return x + 1;
}

__attribute__((noinline, used)) int bb_multi_two(int x)
{
	__asm__ __volatile__("" : "+r"(x));
	return x + 2;
}

__attribute__((noinline, used)) void bb_usdt_site(int a, long b)
{
#if HAVE_SDT
	if (bbtest_hello_semaphore)
		DTRACE_PROBE2(bbtest, hello, a, b);
#else
	(void)a;
	(void)b;
#endif
}

static const char *self(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	cr_assert_gt(n, 0);
	buf[n] = 0;
	return buf;
}

Test(uprobe, symbol_offset_is_inside_text)
{
	char exe[4096];
	uint64_t off = 0;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(ldr_elf_sym_offset(self(exe, sizeof(exe)), "bb_target_fn", &off, &e), 0, "%s",
		     e.msg);
	cr_assert_gt(off, 0);
	cr_assert_eq(ldr_elf_sym_offset(exe, "no_such_function_here", &off, &e), -ENOENT);
	cr_assert(strstr(e.msg, "no_such_function_here"), "%s", e.msg);
	/* libc through the library search path, versioned .dynsym names */
	cr_assert_eq(ldr_resolve_binary("libc.so.6", exe, sizeof(exe)), 0);
	cr_assert_eq(ldr_elf_sym_offset(exe, "malloc", &off, &e), 0, "%s", e.msg);
}

static void uprobe_cycle(enum ldr_attach_mode mode, enum ldr_link_kind want)
{
	char obj[4096], exe[4096];
	struct ldr_obj *lo;
	struct ldr_link *enter, *ret;
	struct bb_err e;
	LDR_OPTS(ldr_attach_opts, o, .mode = mode, .pid = getpid(),
		 .cookie = mode == LDR_ATTACH_LEGACY ? 0 : 0xb0b);
	int sum = 0, before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_uprobe(at_prog_fd(lo, "up_enter"), self(exe, sizeof(exe)),
				       "bb_target_fn", 0, &o, &enter, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_link_kind(enter), want, "%s", ldr_link_desc(enter));
	o.retprobe = true;
	cr_assert_eq(ldr_attach_uprobe(at_prog_fd(lo, "up_return"), exe, "bb_target_fn", 0, &o,
				       &ret, &e), 0, "%s", e.msg);
	for (int i = 0; i < 5; i++)
		sum += bb_target_fn(i);
	cr_assert_eq(sum, 25);
	cr_assert_eq(at_counter(lo, 0), 5, "uprobe hits");
	cr_assert_eq(at_counter(lo, 9), 5, "uretprobe hits");
	cr_assert_eq(at_counter(lo, 1), 9, "return value of bb_target_fn(4)");
	cr_assert_eq(at_counter(lo, 8), o.cookie, "bpf cookie");
	cr_assert_eq(ldr_link_destroy(enter), 0);
	cr_assert_eq(ldr_link_destroy(ret), 0);
	bb_target_fn(1);
	cr_assert_eq(at_counter(lo, 0), 5, "still firing after destroy");
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(uprobe, uprobe_uretprobe_link_with_cookie)
{
	uprobe_cycle(LDR_ATTACH_AUTO, LDR_LINK_BPF);
}

Test(uprobe, uprobe_uretprobe_legacy_ioctl)
{
	uprobe_cycle(LDR_ATTACH_LEGACY, LDR_LINK_PERF_IOCTL);
}

Test(uprobe, uprobe_multi_glob)
{
	char obj[4096], exe[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	LDR_OPTS(ldr_attach_opts, o, .pid = getpid());
	int before = at_fd_count();

	at_need_bpf();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_uprobe_multi(at_prog_fd(lo, "up_multi"), self(exe, sizeof(exe)),
					     "bb_multi_*", &o, &l, &e), 0, "%s", e.msg);
	cr_assert(strstr(ldr_link_desc(l), "(2 functions)"), "%s", ldr_link_desc(l));
	bb_multi_one(1);
	bb_multi_two(2);
	bb_multi_two(3);
	cr_assert_eq(at_counter(lo, 2), 3);
	cr_assert_eq(ldr_link_destroy(l), 0);
	cr_assert_eq(ldr_attach_uprobe_multi(at_prog_fd(lo, "up_multi"), exe, "zz_nothing_*", &o, &l,
					     &e), -ENOENT);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(usdt, argument_specs_parse)
{
	struct ldr_usdt_spec s;
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(ldr_usdt_parse_args("-4@%eax 8@-8(%rbp) 4@$5 2@(%rsi) 8@%r12", &s, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(s.arg_cnt, 5);
	cr_assert_eq(s.args[0].arg_type, LDR_USDT_ARG_REG);
	cr_assert_eq(s.args[0].reg_off, 80);            /* rax */
	cr_assert(s.args[0].arg_signed);
	cr_assert_eq(s.args[0].arg_bitshift, 32);
	cr_assert_eq(s.args[1].arg_type, LDR_USDT_ARG_REG_DEREF);
	cr_assert_eq(s.args[1].reg_off, 32);            /* rbp */
	cr_assert_eq((int64_t)s.args[1].val_off, -8);
	cr_assert_eq(s.args[2].arg_type, LDR_USDT_ARG_CONST);
	cr_assert_eq(s.args[2].val_off, 5);
	cr_assert_eq(s.args[3].arg_type, LDR_USDT_ARG_REG_DEREF);
	cr_assert_eq(s.args[3].reg_off, 104);           /* rsi */
	cr_assert_eq(s.args[3].arg_bitshift, 48);
	cr_assert_eq(s.args[4].reg_off, 24);            /* r12 */
	cr_assert_eq(ldr_usdt_parse_args("4@%xyz", &s, &e), -EINVAL);
	cr_assert(strstr(e.msg, "%xyz"), "%s", e.msg);
	cr_assert_eq(ldr_usdt_parse_args("4@8(%rax,%rbx,2)", &s, &e), -EINVAL);
}

Test(usdt, probe_with_semaphore_and_arguments)
{
	char obj[4096], exe[4096];
	struct ldr_usdt_site *sites;
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	size_t n;
	LDR_OPTS(ldr_attach_opts, o, .pid = getpid());
	int before;

	if (!HAVE_SDT)
		cr_skip_test("<sys/sdt.h> not installed (apt-get install systemtap-sdt-dev)");
#if HAVE_SDT
	at_need_bpf();
	bb_err_clear(&e);
	cr_assert_eq(ldr_usdt_sites(self(exe, sizeof(exe)), &sites, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 1, "%zu USDT sites in the test binary", n);
	cr_assert_str_eq(sites[0].provider, "bbtest");
	cr_assert_str_eq(sites[0].name, "hello");
	cr_assert_eq(sites[0].spec.arg_cnt, 2, "args '%s'", sites[0].args);
	cr_assert_neq(sites[0].sema_off, 0);
	free(sites);
	before = at_fd_count();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	cr_assert_eq(bbtest_hello_semaphore, 0);
	cr_assert_eq(ldr_attach_usdt(at_prog_fd(lo, "usdt_probe"), exe, "bbtest", "hello",
				     at_map_fd(lo, "__bpf_usdt_specs"),
				     at_map_fd(lo, "__bpf_usdt_ip_to_spec_id"), &o, &l, &e), 0, "%s",
		     e.msg);
	cr_assert_gt(bbtest_hello_semaphore, 0, "the kernel did not raise the semaphore");
	bb_usdt_site(42, -7);
	bb_usdt_site(43, 1L << 40);
	cr_assert_eq(at_counter(lo, 3), 2, "usdt hits");
	cr_assert_eq(at_counter(lo, 4), 43);
	cr_assert_eq(at_counter(lo, 5), 1ull << 40);
	cr_assert_eq(ldr_link_destroy(l), 0);
	cr_assert_eq(bbtest_hello_semaphore, 0, "semaphore left raised");
	bb_usdt_site(1, 1);
	cr_assert_eq(at_counter(lo, 3), 2);
	cr_assert_eq(ldr_attach_usdt(at_prog_fd(lo, "usdt_probe"), exe, "bbtest", "nope",
				     at_map_fd(lo, "__bpf_usdt_specs"), -1, &o, &l, &e), -ENOENT);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
#endif
}

Test(usdt, negative_argument_sign_extends)
{
	char obj[4096], exe[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct bb_err e;
	LDR_OPTS(ldr_attach_opts, o, .pid = getpid());

	if (!HAVE_SDT)
		cr_skip_test("<sys/sdt.h> not installed (apt-get install systemtap-sdt-dev)");
	at_need_bpf();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_attach_usdt(at_prog_fd(lo, "usdt_probe"), self(exe, sizeof(exe)), "bbtest",
				     "hello", at_map_fd(lo, "__bpf_usdt_specs"), -1, &o, &l, &e), 0,
		     "%s", e.msg);
	bb_usdt_site(-5, -7);
	cr_assert_eq((int64_t)at_counter(lo, 4), -5);
	cr_assert_eq((int64_t)at_counter(lo, 5), -7);
	ldr_link_destroy(l);
	ldr_obj_free(lo);
}
