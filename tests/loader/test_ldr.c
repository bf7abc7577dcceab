/* SPDX-License-Identifier: MIT */
/* The bpf() wrappers against the running kernel. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "loader/ldr.h"

#define I(c, d, s, o, i) ((struct isa_raw){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })
#define MOV64_K(d, i) I(0xb7, d, 0, 0, i)
#define EXIT_INSN I(0x95, 0, 0, 0, 0)

/* Skip (with the reason) only when bpf() itself is refused here. */
static void need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("%s", e.msg);
}

Test(ldr, probe_reports_bpf_usable_or_why_not)
{
	struct bb_err e;
	int r;

	bb_err_clear(&e);
	r = ldr_probe_bpf(&e);
	if (r < 0) {
		cr_assert_neq(e.msg[0], '\0');
		cr_skip_test("%s", e.msg);
	}
	cr_assert_eq(r, 0);
	cr_assert_eq(e.code, 0);
}

Test(ldr, array_map_elements)
{
	struct bb_err e;
	uint32_t key = 1, next = 99, bad = 4;
	uint64_t val = 0x1122334455667788ull, got = 0;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_map_create_opts, o, .map_type = BPF_MAP_TYPE_ARRAY,
		 .key_size = 4, .value_size = 8, .max_entries = 4, .map_name = "bb-array");
	bb_err_clear(&e);
	fd = ldr_map_create(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	cr_assert_eq(ldr_map_update(fd, &key, &val, BPF_ANY), 0);
	cr_assert_eq(ldr_map_lookup(fd, &key, &got), 0);
	cr_assert_eq(got, val);
	/* Arrays are preallocated and zeroed; their elements cannot go. */
	key = 2;
	cr_assert_eq(ldr_map_lookup(fd, &key, &got), 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(ldr_map_delete(fd, &key), -EINVAL);
	cr_assert_eq(ldr_map_lookup(fd, &bad, &got), -ENOENT);
	cr_assert_eq(ldr_map_update(fd, &key, &val, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(ldr_map_get_next_key(fd, NULL, &next), 0);
	cr_assert_eq(next, 0);
	key = 3;
	cr_assert_eq(ldr_map_get_next_key(fd, &key, &next), -ENOENT);
	cr_assert_eq(ldr_obj_close(fd), 0);
	cr_assert_eq(ldr_obj_close(-1), 0);
}

Test(ldr, hash_map_elements)
{
	struct bb_err e;
	uint32_t key, next, seen = 0;
	uint64_t val, got;
	int fd, r, n = 0;

	need_bpf();
	LDR_OPTS(ldr_map_create_opts, o, .map_type = BPF_MAP_TYPE_HASH,
		 .key_size = 4, .value_size = 8, .max_entries = 8, .map_name = "bb_hash");
	bb_err_clear(&e);
	fd = ldr_map_create(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	key = 7;
	cr_assert_eq(ldr_map_lookup(fd, &key, &got), -ENOENT);
	cr_assert_eq(ldr_map_get_next_key(fd, NULL, &next), -ENOENT);
	for (key = 0; key < 3; key++) {
		val = 100 + key;
		cr_assert_eq(ldr_map_update(fd, &key, &val, BPF_NOEXIST), 0);
	}
	key = 1;
	cr_assert_eq(ldr_map_update(fd, &key, &val, BPF_NOEXIST), -EEXIST);
	cr_assert_eq(ldr_map_lookup(fd, &key, &got), 0);
	cr_assert_eq(got, 101);
	/* Walk every key exactly once. */
	for (r = ldr_map_get_next_key(fd, NULL, &next); r == 0;
	     r = ldr_map_get_next_key(fd, &key, &next)) {
		cr_assert_lt(next, 3);
		cr_assert_eq(seen & (1u << next), 0, "key %u twice", next);
		seen |= 1u << next;
		key = next;
		n++;
	}
	cr_assert_eq(r, -ENOENT);
	cr_assert_eq(n, 3);
	cr_assert_eq(seen, 7);
	key = 1;
	cr_assert_eq(ldr_map_delete(fd, &key), 0);
	cr_assert_eq(ldr_map_delete(fd, &key), -ENOENT);
	cr_assert_eq(ldr_map_lookup(fd, &key, &got), -ENOENT);
	ldr_obj_close(fd);
}

Test(ldr, map_create_failure_names_the_map)
{
	struct bb_err e;

	need_bpf();
	LDR_OPTS(ldr_map_create_opts, o, .map_type = BPF_MAP_TYPE_ARRAY,
		 .key_size = 8 /* arrays need 4-byte keys */, .value_size = 8,
		 .max_entries = 1, .map_name = "badkey");
	bb_err_clear(&e);
	cr_assert_eq(ldr_map_create(&o, &e), -EINVAL);
	cr_assert_eq(e.code, -EINVAL);
	cr_assert(strstr(e.msg, "map 'badkey'"), "%s", e.msg);
}

Test(ldr, options_from_the_future_are_refused)
{
	struct {
		struct ldr_map_create_opts o;
		uint64_t newer_field;
	} big = { .o = { .sz = sizeof(big), .map_type = BPF_MAP_TYPE_ARRAY,
			 .key_size = 4, .value_size = 4, .max_entries = 1 },
		  .newer_field = 1 };
	struct bb_err e;

	bb_err_clear(&e);
	cr_assert_eq(ldr_map_create(&big.o, &e), -E2BIG);
	cr_assert_neq(e.msg[0], '\0');
}

Test(ldr, trivial_xdp_program_loads_and_runs)
{
	static const struct isa_raw prog[] = { MOV64_K(0, 2 /* XDP_PASS */), EXIT_INSN };
	uint8_t pkt[64], out[64];
	struct bb_err e;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = 2, .prog_name = "trivial-xdp");
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	cr_assert_eq(e.code, 0);

	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)i;
	memset(out, 0, sizeof(out));
	LDR_OPTS(ldr_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt),
		 .data_out = out, .data_size_out = sizeof(out), .repeat = 100,
		 .duration = UINT32_MAX);
	cr_assert_eq(ldr_prog_test_run(fd, &t), 0);
	cr_assert_eq(t.retval, 2);
	cr_assert_eq(t.data_size_out, sizeof(pkt));
	cr_assert_arr_eq(out, pkt, sizeof(pkt));
	/* The mean of 100 runs of two instructions: written, and small. */
	cr_assert_lt(t.duration, 1000000u);
	ldr_obj_close(fd);
}

/* Why the kernel differential test pads short memory: XDP test runs
 * refuse packets shorter than an Ethernet header (ETH_HLEN, 14). */
Test(ldr, xdp_test_run_needs_an_ethernet_header)
{
	static const struct isa_raw prog[] = { MOV64_K(0, 2), EXIT_INSN };
	uint8_t pkt[14] = { 0 };
	struct bb_err e;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = 2);
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	LDR_OPTS(ldr_test_run_opts, shortp, .data_in = pkt, .data_size_in = 13);
	cr_assert_eq(ldr_prog_test_run(fd, &shortp), -EINVAL);
	LDR_OPTS(ldr_test_run_opts, eth, .data_in = pkt, .data_size_in = 14);
	cr_assert_eq(ldr_prog_test_run(fd, &eth), 0);
	cr_assert_eq(eth.retval, 2);
	ldr_obj_close(fd);
}

Test(ldr, test_run_on_a_closed_fd_fails)
{
	uint8_t pkt[64] = { 0 };

	LDR_OPTS(ldr_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt));
	cr_assert_lt(ldr_prog_test_run(1000000, &t), 0);
}

Test(ldr, rejected_program_carries_the_verifier_message)
{
	/* exit with r0 never written: the verifier's classic "R0 !read_ok". */
	static const struct isa_raw prog[] = { MOV64_K(1, 0), EXIT_INSN };
	struct ldr_log log;
	struct bb_err e;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = 2, .prog_name = "no_r0", .log = &log);
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_eq(fd, -EACCES, "%d: %s", fd, e.msg);
	cr_assert_eq(e.code, -EACCES);
	cr_assert(strstr(e.msg, "prog 'no_r0': load failed"), "%s", e.msg);
	cr_assert(strstr(e.msg, "R0 !read_ok"), "%s", e.msg);
	cr_assert_eq(e.insn, 1, "%s", e.msg);
	cr_assert_not_null(log.buf);
	cr_assert_eq(log.len, strlen(log.buf));
	cr_assert(strstr(log.buf, "R0 !read_ok"), "%s", log.buf);
	/* 6.4+ reports the size it needed, terminating NUL included. */
	cr_assert(log.true_size == 0 || log.true_size == log.len + 1,
		  "true_size %u, len %zu", log.true_size, log.len);
	ldr_log_free(&log);
	cr_assert_null(log.buf);
}

/* bb_uapi.h's post-6.1 values mean what the kernel means: a netfilter
 * program (6.4: prog type 32, attach type 45) loads. */
Test(ldr, post_6_1_uapi_values_match_the_kernel)
{
	static const struct isa_raw prog[] = { MOV64_K(0, 1 /* NF_ACCEPT */), EXIT_INSN };
	struct utsname u;
	struct bb_err e;
	int fd, major, minor;

	need_bpf();
	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	    (major < 6 || (major == 6 && minor < 4)))
		cr_skip_test("kernel %s predates netfilter programs (6.4)", u.release);
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_NETFILTER,
		 .expected_attach_type = BPF_NETFILTER, .insns = prog, .insn_cnt = 2,
		 .prog_name = "nf");
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	ldr_obj_close(fd);
}

/* @n instructions of "r1 = 0" and an exit, optionally after "r0 = 0". */
static struct isa_raw *long_prog(size_t n, int set_r0)
{
	struct isa_raw *p = calloc(n + 2, sizeof(*p));

	cr_assert_not_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = MOV64_K(1, 0);
	if (set_r0)
		p[0] = MOV64_K(0, 0);
	p[n] = EXIT_INSN;
	return p;
}

Test(ldr, log_grows_past_the_first_buffer)
{
	/* Level 1 prints every instruction on the failing path, ~20 bytes
	 * each: 8000 of them overflow the 64 KiB first buffer. */
	const size_t n = 8000;
	struct isa_raw *prog = long_prog(n, 0);
	struct ldr_log log;
	struct bb_err e;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = n + 1, .prog_name = "long", .log = &log);
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_eq(fd, -EACCES, "%d: %s", fd, e.msg);
	cr_assert(strstr(e.msg, "R0 !read_ok"), "%s", e.msg);
	cr_assert_eq(e.insn, (int)n, "%s", e.msg);
	cr_assert_gt(log.len, LDR_LOG_INITIAL, "log only %zu bytes", log.len);
	cr_assert_eq(log.truncated, 0);
	/* Grown, not rotated: the log still starts at instruction 0. */
	cr_assert(!strncmp(log.buf, "0: ", 3), "%.40s", log.buf);
	cr_assert(strstr(log.buf, "R0 !read_ok"));
	cr_assert_geq(log.true_size, log.len);
	ldr_log_free(&log);
	free(prog);
}

Test(ldr, requested_log_on_success)
{
	/* Level 1 drops the log of a path that verifies; level 2 keeps the
	 * state at every instruction, so this one outgrows 64 KiB too. */
	const size_t n = 8000;
	struct isa_raw *prog = long_prog(n, 1);
	struct ldr_log log;
	struct bb_err e;
	int fd;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = n + 1, .prog_name = "long_ok",
		 .log_level = 2, .log = &log);
	bb_err_clear(&e);
	fd = ldr_prog_load(&o, &e);
	cr_assert_geq(fd, 3, "%s", e.msg);
	cr_assert_gt(log.len, LDR_LOG_INITIAL);
	cr_assert(strstr(log.buf, "processed "), "%s", log.buf + log.len - 100);
	ldr_obj_close(fd);
	ldr_log_free(&log);
	free(prog);
}

Test(ldr, caller_log_buffer_is_used_as_is)
{
	static const struct isa_raw prog[] = { MOV64_K(1, 0), EXIT_INSN };
	char buf[4096];
	struct bb_err e;

	need_bpf();
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = 2, .prog_name = "mine",
		 .log_buf = buf, .log_size = sizeof(buf));
	bb_err_clear(&e);
	cr_assert_eq(ldr_prog_load(&o, &e), -EACCES, "%s", e.msg);
	cr_assert(strstr(buf, "R0 !read_ok"), "%s", buf);
	cr_assert(strstr(e.msg, "R0 !read_ok"), "%s", e.msg);
}

Test(ldr, bad_arguments_fail_before_the_kernel)
{
	char small[16];
	struct bb_err e;
	static const struct isa_raw prog[] = { MOV64_K(0, 0), EXIT_INSN };

	LDR_OPTS(ldr_prog_load_opts, none, .prog_type = BPF_PROG_TYPE_XDP, .prog_name = "empty");
	bb_err_clear(&e);
	cr_assert_eq(ldr_prog_load(&none, &e), -EINVAL);
	cr_assert(strstr(e.msg, "prog 'empty'"), "%s", e.msg);
	LDR_OPTS(ldr_prog_load_opts, tiny, .prog_type = BPF_PROG_TYPE_XDP,
		 .insns = prog, .insn_cnt = 2, .log_buf = small, .log_size = sizeof(small));
	cr_assert_eq(ldr_prog_load(&tiny, NULL), -EINVAL);
}
