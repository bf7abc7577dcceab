/* SPDX-License-Identifier: MIT */
/*
 * probe/: feature probing against the running kernel.  The expectations
 * are facts of this kernel checked independently where they can be (a
 * direct BPF_PROG_LOAD / BPF_MAP_CREATE next to the probe's answer), the
 * cache must answer repeated questions without bpf() calls, and no probe
 * may leak an fd.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "loader/ldr.h"
#include "probe/probe.h"

static void need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here: %s", e.msg);
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static struct prb_cache *cache(void)
{
	struct prb_cache *c = NULL;

	cr_assert_eq(prb_cache_new(&c), 0);
	return c;
}

/* The same minimal program the kernel sees from any loader. */
static int direct_load(uint32_t type)
{
	static const struct isa_raw ret0[] = { { .code = 0xb7 }, { .code = 0x95 } };
	LDR_OPTS(ldr_prog_load_opts, o, .prog_type = type, .insns = ret0, .insn_cnt = 2);
	int fd = ldr_prog_load(&o, NULL);

	ldr_obj_close(fd);
	return fd >= 0;
}

Test(probe, program_types_match_direct_loads)
{
	struct prb_cache *c;
	struct bb_err e;
	int fds;

	need_bpf();
	fds = fd_count();
	c = cache();
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_XDP, NULL), 1);
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_SOCKET_FILTER, NULL), 1);
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_TRACEPOINT, NULL), 1);
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_CGROUP_SKB, NULL), 1);
	/* Types with nothing special at load: the probe says what a plain load says. */
	for (uint32_t t = BPF_PROG_TYPE_SOCKET_FILTER; t <= BPF_PROG_TYPE_RAW_TRACEPOINT; t++)
		cr_assert_eq(prb_prog_type(c, t, NULL), direct_load(t), "type %s",
			     ldr_prog_type_str(t));
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_KPROBE, NULL),
		     direct_load(BPF_PROG_TYPE_KPROBE));
	/* tp_btf works on this kernel, so the tracing type exists. */
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_TRACING, NULL), 1);
	/* Needs an expected attach type: a naive load fails, the probe knows better. */
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, NULL), 1);
	cr_assert_eq(direct_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR), 0);
	bb_err_clear(&e);
	cr_assert_eq(prb_prog_type(c, 0, &e), -EINVAL);
	cr_assert_eq(prb_prog_type(c, PRB_PROG_TYPE_MAX + 1, &e), -EINVAL);
	cr_assert_not_null(strstr(e.msg, "not in the table"));
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}

Test(probe, map_types_this_kernel)
{
	static const uint32_t expected[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PROG_ARRAY,
		BPF_MAP_TYPE_PERF_EVENT_ARRAY, BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
		BPF_MAP_TYPE_STACK_TRACE, BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH,
		BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_HASH_OF_MAPS,
		BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK, BPF_MAP_TYPE_RINGBUF,
		BPF_MAP_TYPE_BLOOM_FILTER, BPF_MAP_TYPE_TASK_STORAGE, BPF_MAP_TYPE_SK_STORAGE,
		BPF_MAP_TYPE_CGRP_STORAGE, BPF_MAP_TYPE_USER_RINGBUF, BPF_MAP_TYPE_ARENA,
		BPF_MAP_TYPE_DEVMAP, BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_SOCKMAP,
	};
	struct prb_cache *c;
	struct bb_err e;
	int fds, avail = 0;

	need_bpf();
	fds = fd_count();
	c = cache();
	for (size_t i = 0; i < BB_ARRAY_SIZE(expected); i++) {
		bb_err_clear(&e);
		cr_assert_eq(prb_map_type(c, expected[i], &e), 1, "%s: %s",
			     ldr_map_type_str(expected[i]), e.msg);
	}
	/* struct_ops maps need a real vmlinux struct_ops type: refused here
	 * (EINVAL, or the kernel-internal ENOTSUPP 524), with the reason. */
	bb_err_clear(&e);
	cr_assert_eq(prb_map_type(c, BPF_MAP_TYPE_STRUCT_OPS, &e), 0);
	cr_assert(e.code == -EINVAL || e.code == -524, "code %d", e.code);
	cr_assert_not_null(strstr(e.msg, "map type 'struct_ops'"));
	for (uint32_t t = 1; t <= PRB_MAP_TYPE_MAX; t++)
		avail += prb_map_type(c, t, NULL) == 1;
	cr_assert_geq(avail, 27, "only %d map types available", avail);
	cr_log_info("map types available: %d of %d", avail, PRB_MAP_TYPE_MAX);
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}

Test(probe, helpers_known_unknown_and_not_allowed)
{
	struct prb_cache *c;
	struct bb_err e;
	int fds;

	need_bpf();
	fds = fd_count();
	c = cache();
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, 1, NULL), 1);          /* map_lookup_elem */
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, 44, NULL), 1);         /* xdp_adjust_head */
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_TRACEPOINT, 14, NULL), 1);  /* get_current_pid_tgid */
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_TRACEPOINT, 130, NULL), 1); /* ringbuf_output */
	/* xdp_adjust_head is for XDP programs only. */
	bb_err_clear(&e);
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_SOCKET_FILTER, 44, &e), 0);
	cr_assert_not_null(strstr(e.msg, "bpf_xdp_adjust_head"), "%s", e.msg);
	/* skb_store_bytes is a tc helper, not a tracepoint one. */
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_TRACEPOINT, 9, NULL), 0);
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, 0, NULL), -EINVAL);
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, PRB_HELPER_MAX + 1, NULL), -EINVAL);
	/* Tracing programs need a real attach target: nothing to learn. */
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_TRACING, 1, &e), -EOPNOTSUPP);
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}

Test(probe, cache_answers_without_syscalls_until_reset)
{
	struct prb_cache *c;
	uint64_t calls;

	need_bpf();
	c = cache();
	cr_assert_eq(prb_cache_calls(c), 0);
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_XDP, NULL), 1);
	cr_assert_eq(prb_map_type(c, BPF_MAP_TYPE_RINGBUF, NULL), 1);
	cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, 1, NULL), 1);
	cr_assert_eq(prb_btf_kind(c, BTF_KIND_FLOAT, NULL), 1);
	calls = prb_cache_calls(c);
	cr_assert_geq(calls, 4);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_XDP, NULL), 1);
		cr_assert_eq(prb_map_type(c, BPF_MAP_TYPE_RINGBUF, NULL), 1);
		cr_assert_eq(prb_helper(c, BPF_PROG_TYPE_XDP, 1, NULL), 1);
		cr_assert_eq(prb_btf_kind(c, BTF_KIND_FLOAT, NULL), 1);
	}
	cr_assert_eq(prb_cache_calls(c), calls, "cached answers made bpf() calls");
	prb_cache_reset(c);
	cr_assert_eq(prb_prog_type(c, BPF_PROG_TYPE_XDP, NULL), 1);
	cr_assert_gt(prb_cache_calls(c), calls, "after reset the kernel is asked again");
	prb_cache_free(c);
	prb_cache_free(NULL);
}

Test(probe, attach_types_and_btf_kinds)
{
	struct prb_cache *c;
	int fds;

	need_bpf();
	fds = fd_count();
	c = cache();
	cr_assert_eq(prb_attach_type(c, BPF_XDP, NULL), 1);
	cr_assert_eq(prb_attach_type(c, BPF_CGROUP_INET_INGRESS, NULL), 1);
	cr_assert_eq(prb_attach_type(c, BPF_CGROUP_INET4_CONNECT, NULL), 1);
	cr_assert_eq(prb_attach_type(c, BPF_TRACE_RAW_TP, NULL), 1);        /* tp_btf */
	cr_assert_eq(prb_attach_type(c, BPF_TCX_INGRESS, NULL), 1);
	/* An attach type of a missing program type is missing too. */
	cr_assert_eq(prb_attach_type(c, BPF_LIRC_MODE2, NULL),
		     prb_prog_type(c, BPF_PROG_TYPE_LIRC_MODE2, NULL));
	cr_assert_eq(prb_attach_type(c, PRB_ATTACH_TYPE_MAX + 1, NULL), -EINVAL);
	cr_assert_str_eq(prb_attach_type_str(BPF_XDP), "xdp");
	cr_assert_str_eq(prb_attach_type_str(BPF_TRACE_FENTRY), "trace_fentry");
	cr_assert_str_eq(prb_attach_type_str(BPF_TRACE_UPROBE_SESSION), "trace_uprobe_session");
	cr_assert_str_eq(prb_attach_type_str(999), "unknown");
	cr_assert_eq(prb_attach_prog_type(BPF_CGROUP_INET4_POST_BIND), BPF_PROG_TYPE_CGROUP_SOCK);
	/* 6.18 has every BTF kind up to ENUM64; the answers agree with the
	 * loader's own probe of what BTF it may keep. */
	for (int k = 1; k <= PRB_BTF_KIND_MAX; k++)
		cr_assert_eq(prb_btf_kind(c, k, NULL), 1, "BTF kind %s", bbtf_kind_str(k));
	cr_assert_eq(ldr_probe_btf_features() & BBTF_FEAT_ENUM64, BBTF_FEAT_ENUM64);
	cr_assert_eq(prb_btf_kind(c, 0, NULL), -EINVAL);
	cr_assert_eq(prb_btf_kind(c, PRB_BTF_KIND_MAX + 1, NULL), -EINVAL);
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}

Test(probe, link_types_reach_the_target_lookup)
{
	struct prb_cache *c;
	struct bb_err e;
	int fds, r;

	need_bpf();
	fds = fd_count();
	c = cache();
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_CGROUP, NULL), 1);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_PERF_EVENT, NULL), 1);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_RAW_TRACEPOINT, NULL), 1);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_TCX, NULL), 1);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_NETNS, NULL), 1);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_SOCKMAP, NULL), 1);
	/* kprobe_multi needs fprobe: whatever this kernel says, with its reason. */
	bb_err_clear(&e);
	r = prb_link_type(c, BPF_LINK_TYPE_KPROBE_MULTI, &e);
	cr_assert(r == 1 || (r == 0 && (e.code == -EOPNOTSUPP || e.code == -EINVAL)),
		  "kprobe_multi: %d %s", r, e.msg);
	/* Not tellable this way: said so, not guessed. */
	bb_err_clear(&e);
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_XDP, &e), -EOPNOTSUPP);
	cr_assert_not_null(strstr(e.msg, "cannot be probed"));
	cr_assert_eq(prb_link_type(c, BPF_LINK_TYPE_TRACING, NULL), -EOPNOTSUPP);
	cr_assert_eq(prb_link_type(c, 0, NULL), -EINVAL);
	cr_assert_eq(prb_link_type(c, PRB_LINK_TYPE_MAX + 1, NULL), -EINVAL);
	cr_assert_str_eq(prb_link_type_str(BPF_LINK_TYPE_TCX), "tcx");
	cr_assert_str_eq(prb_link_type_str(0), "unknown");
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}

Test(probe, full_scan_leaks_nothing, .timeout = 120)
{
	struct prb_cache *c;
	int fds, helpers = 0;

	need_bpf();
	fds = fd_count();
	c = cache();
	for (uint32_t t = 1; t <= PRB_PROG_TYPE_MAX; t++) {
		cr_assert_geq(prb_prog_type(c, t, NULL), 0);
		for (int32_t h = 1; h <= PRB_HELPER_MAX; h++) {
			int r = prb_helper(c, t, h, NULL);

			cr_assert(r == 0 || r == 1 || r == -EOPNOTSUPP || r == -EINVAL,
				  "type %u helper %d: %d", t, h, r);
			helpers += r == 1;
		}
	}
	for (uint32_t t = 1; t <= PRB_MAP_TYPE_MAX; t++)
		cr_assert_geq(prb_map_type(c, t, NULL), 0);
	for (uint32_t t = 0; t <= PRB_ATTACH_TYPE_MAX; t++)
		cr_assert_geq(prb_attach_type(c, t, NULL), 0);
	for (uint32_t t = 1; t <= PRB_LINK_TYPE_MAX; t++) {
		int r = prb_link_type(c, t, NULL);

		cr_assert(r == 0 || r == 1 || r == -EOPNOTSUPP, "link type %u: %d", t, r);
	}
	cr_assert_gt(helpers, 1000, "only %d (type, helper) pairs available", helpers);
	prb_cache_free(c);
	cr_assert_eq(fd_count(), fds);
}
