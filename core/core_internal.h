/* SPDX-License-Identifier: MIT */
/*
 * core/core_internal.h - the spec machinery behind core_calc(), shared
 * with the tests.  Not installed.
 */
#ifndef BAREBPF_CORE_CORE_INTERNAL_H
#define BAREBPF_CORE_CORE_INTERNAL_H

#include "btf/btf.h"
#include "core/core.h"

/* One high-level step: a named member (name != NULL) or an array index
 * (name NULL; the first step is always the pointer index). */
struct core_accessor {
	uint32_t type_id;       /* struct/union holding the member, or element type */
	uint32_t idx;           /* member index or array index */
	const char *name;       /* member or enumerator name, NULL for indices */
};

/*
 * An access string resolved through one BTF.  raw[] is the access string
 * itself (every member index, anonymous ones too); acc[] keeps only the
 * steps that mean something across BTFs (named members, array indices).
 */
struct core_spec {
	const struct bbtf *btf;
	uint32_t root_type_id;  /* as recorded: typedefs and modifiers kept */
	uint32_t kind;          /* enum bpf_core_relo_kind */
	struct core_accessor acc[CORE_SPEC_MAX];
	int len;
	uint32_t raw[CORE_SPEC_MAX];
	int raw_len;
	uint32_t bit_offset;    /* of the field the spec reaches */
};

bool core_kind_is_field(uint32_t kind);
bool core_kind_is_type(uint32_t kind);
bool core_kind_is_enumval(uint32_t kind);

/* Parse relocation @r's access string through @btf (libbpf's
 * bpf_core_parse_spec()).  0 or -EINVAL/-E2BIG with the reason in @e. */
int core_parse_spec(const struct bbtf *btf, const struct core_relo *r,
		    struct core_spec *spec, struct bb_err *e);

/* Match @local against candidate @targ_id of @targ (libbpf's
 * bpf_core_spec_match()): 1 and @out filled, 0 no match, -errno. */
int core_spec_match(const struct core_spec *local, const struct bbtf *targ,
		    uint32_t targ_id, struct core_spec *out);

/* "struct task_struct.pid (0:12)"; returns @buf. */
const char *core_spec_str(const struct core_spec *spec, char *buf, size_t size);

/* Candidate target type ids for local type @local_id (same kind, same
 * essential name), cached in @c.  The list is owned by @c. */
struct core_cands {
	uint32_t *ids;
	uint32_t len;           /* after pruning to those that matched */
	uint32_t found;         /* as first found in the target */
};
int core_find_cands(struct core_ctx *c, uint32_t local_id, struct core_cands **out,
		    struct bb_err *e);

#endif
