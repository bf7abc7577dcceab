/* SPDX-License-Identifier: MIT */
/*
 * probe/probe.h - what the running kernel's BPF can do, asked of the
 * kernel itself.  Prefix: prb_.
 *
 * Every answer comes from a real bpf() call, as `bpftool feature probe`
 * does it: a program type is available when a minimal program of that
 * type loads; a map type when a minimal map of it can be created; a
 * helper for a program type when the verifier gets past the call's
 * function id (it then complains about the arguments, which is fine) -
 * "unknown func" / "invalid func" means the kernel lacks the helper and
 * "program of this type cannot use helper" means the type may not call
 * it; an attach type when a program loads with it as expected_attach_type
 * (for the BTF-based ones: when the verifier asks for a real attach
 * target instead of refusing the type); a BTF kind when BPF_BTF_LOAD takes
 * a small BTF that uses it.
 *
 * Answers are cached in a struct prb_cache, so asking again during a run
 * costs nothing; prb_cache_reset() forgets them (after a module load, or
 * in tests).  Nothing is printed; every fd a probe opens is closed before
 * it returns.
 *
 * Results: 1 available, 0 not available (the kernel's reason in @e when
 * given: "map type 'struct_ops': Invalid argument"), or a negative errno
 * when the question cannot be asked: -EINVAL for a type number outside the
 * tables, -EOPNOTSUPP for helpers of a program type whose minimal program
 * does not load (nothing can be learnt there), -ENOMEM.
 */
#ifndef BAREBPF_PROBE_PROBE_H
#define BAREBPF_PROBE_PROBE_H

#include <stdint.h>

#include "common/bb.h"

/* Highest type numbers the tables know (the kernel's uapi enums as of 6.18). */
#define PRB_PROG_TYPE_MAX 32    /* BPF_PROG_TYPE_NETFILTER */
#define PRB_MAP_TYPE_MAX 33     /* BPF_MAP_TYPE_ARENA */
#define PRB_ATTACH_TYPE_MAX 57  /* BPF_TRACE_UPROBE_SESSION */
#define PRB_HELPER_MAX 211      /* ISA_HELPER_MAX: cgrp_storage_delete */
#define PRB_BTF_KIND_MAX 19     /* BTF_KIND_ENUM64 */
#define PRB_LINK_TYPE_MAX 14    /* BPF_LINK_TYPE_SOCKMAP */

struct prb_cache;

/* A new, empty cache (*out; free with prb_cache_free()).  0 or -ENOMEM. */
int prb_cache_new(struct prb_cache **out);
void prb_cache_free(struct prb_cache *c);       /* NULL-safe */
/* Forget every answer, so the next question asks the kernel again. */
void prb_cache_reset(struct prb_cache *c);

int prb_prog_type(struct prb_cache *c, uint32_t prog_type, struct bb_err *e);
int prb_map_type(struct prb_cache *c, uint32_t map_type, struct bb_err *e);
int prb_helper(struct prb_cache *c, uint32_t prog_type, int32_t helper_id,
	       struct bb_err *e);
int prb_attach_type(struct prb_cache *c, uint32_t attach_type, struct bb_err *e);
int prb_btf_kind(struct prb_cache *c, int kind, struct bb_err *e);
/*
 * Link types: BPF_LINK_CREATE (BPF_RAW_TRACEPOINT_OPEN for raw_tracepoint)
 * with a loaded program of the right type and a target that cannot exist
 * (fd -1, ifindex 0, a missing tracepoint, symbol or file).  A kernel
 * that has the link type gets as far as looking the target up and says
 * so (EBADF, ENODEV, ENOENT, EAFNOSUPPORT); one that lacks it refuses the
 * attach type first (EINVAL, EOPNOTSUPP).  Link types whose missing
 * target draws the same EINVAL as a missing type (xdp, netkit) or that
 * need a real BTF target (tracing, iter, struct_ops) give -EOPNOTSUPP:
 * this probe cannot tell.
 */
int prb_link_type(struct prb_cache *c, uint32_t link_type, struct bb_err *e);
/* "cgroup", "tcx", ...; "unknown" past the last one. */
const char *prb_link_type_str(uint32_t type);

/* How many bpf() calls this cache has made (for tests: cached answers
 * make none). */
uint64_t prb_cache_calls(const struct prb_cache *c);

/* libbpf/bpftool names of enum bpf_attach_type values ("cgroup_inet_ingress",
 * "xdp", "trace_fentry"); "unknown" past the last one. */
const char *prb_attach_type_str(uint32_t type);
/* The program type an attach type belongs to (for probing and listing). */
uint32_t prb_attach_prog_type(uint32_t type);

#endif
