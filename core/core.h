/* SPDX-License-Identifier: MIT */
/*
 * core/core.h - BPF CO-RE ("compile once, run everywhere") relocations:
 * compute them against a target BTF and patch the instruction.  Prefix:
 * core_.
 *
 * clang records, for every instruction whose value depends on a kernel
 * type's layout, a relocation (.BTF.ext core_relo): the local type (in the
 * object's own BTF), an access string ("0:1:2": pointer index, member
 * index, member or array index, ...) and a kind (enum bpf_core_relo_kind:
 * byte offset, size, existence, signedness, bitfield shifts of a field;
 * existence, size, id or "match" of a type; existence or value of an
 * enumerator).  Relocating one record is libbpf's algorithm
 * (tools/lib/bpf/relo_core.c), which this module follows rule for rule:
 *
 *   1. parse the access string through the LOCAL type into a spec: the
 *      named members and array indices it passes ("high-level" accessors)
 *      and the bit offset it reaches;
 *   2. find CANDIDATES in the target BTF: types of the same kind whose
 *      essential name (the name without a trailing "___flavor") equals the
 *      local type's essential name.  Cached per local type, and pruned to
 *      the candidates that matched, as libbpf does;
 *   3. match the spec against each candidate: members by name (looking
 *      through anonymous structs and unions), array indices within bounds,
 *      field types compatible; enumerators by essential name; whole types
 *      by bpf_core_types_are_compat() or, for TYPE_MATCHES,
 *      bpf_core_types_match();
 *   4. compute the local value (what the compiler put in the instruction)
 *      and the target value; every matching candidate must agree, else the
 *      relocation is ambiguous and fails;
 *   5. patch: ALU/ALU64 immediate, LDX/ST/STX offset (and access size when
 *      the field's size changed and that is safe), ld_imm64 (both halves).
 *      The instruction must hold the local value first.
 *
 * When nothing matches and the kind is not an "exists" kind, the
 * instruction is POISONED rather than the load failed: it becomes
 * `call 0xbad2310` (both slots of an ld_imm64), which the verifier reports
 * as "invalid func unknown#195896080" only if that path is reachable, so
 * code guarded by bpf_core_field_exists() still loads.
 *
 * Library code: nothing prints; errors are -errno with @e filled.
 */
#ifndef BAREBPF_CORE_CORE_H
#define BAREBPF_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"

struct bbtf;

/* libbpf's poison: `call 0xbad2310` ("bad relo"). */
#define CORE_POISON_IMM 0xbad2310
/* The most accessors an access string may have (libbpf's limit). */
#define CORE_SPEC_MAX 64

/* One relocation: the .BTF.ext record with its instruction index. */
struct core_relo {
	uint32_t insn;          /* instruction index in the code being patched */
	uint32_t type_id;       /* local root type, in the local BTF */
	uint32_t access_str_off; /* "0:1:2" in the local BTF's strings */
	uint32_t kind;          /* enum bpf_core_relo_kind */
};

/* Why a relocation poisons its instruction (CORE_OK: it does not). */
enum core_why {
	CORE_OK = 0,
	CORE_NO_TYPE,           /* target has no type of that essential name and kind */
	CORE_NO_FIELD,          /* candidates exist, none has the field path */
	CORE_NO_ENUMVAL,        /* candidates exist, none has the enumerator */
	CORE_BAD_MEMSZ,         /* field size changed; the access cannot follow */
};

/* The computed relocation (libbpf's struct bpf_core_relo_res plus what a
 * person needs to read it). */
struct core_result {
	uint64_t orig_val;      /* expected in the instruction (if validate) */
	uint64_t new_val;       /* to patch in */
	bool poison;            /* replace the instruction instead */
	bool validate;          /* check orig_val before patching */
	/* FIELD_BYTE_OFFSET on a loaded/stored field: the field sizes (0 if
	 * not applicable) and whether a size change can be followed. */
	bool fail_memsz_adjust;
	uint32_t orig_sz, new_sz;
	uint32_t orig_type_id, new_type_id;
	enum core_why why;
	uint32_t cand_cnt;      /* candidates of that name and kind in target */
	uint32_t targ_type_id;  /* root type of the chosen candidate, 0 if none */
	/* Local and target specs in C-like form: "struct task_struct.pid
	 * (0:12)", "enum pid_type::PIDTYPE_TGID", "struct rq"; "" for no
	 * target. */
	char local_spec[160];
	char targ_spec[160];
};

/*
 * A relocation context: the local BTF (the object's), the target BTF (the
 * kernel's), and the candidate cache.  Both BTFs are borrowed and must
 * outlive the context.
 */
struct core_ctx;
int core_ctx_new(const struct bbtf *local, const struct bbtf *target,
		 struct core_ctx **out, struct bb_err *e);
void core_ctx_free(struct core_ctx *c);        /* NULL-safe */

/*
 * Compute relocation @r (libbpf's bpf_core_calc_relo_insn()).  0 with
 * @res filled (res->poison set when the instruction must be poisoned), or
 * -EINVAL (malformed record or access string, relocation on an anonymous
 * type, an ambiguous match: candidates disagree) / -E2BIG (bitfield that
 * no 8-byte load covers) / -ENOMEM, with the reason in @e (no location).
 */
int core_calc(struct core_ctx *c, const struct core_relo *r, struct core_result *res,
	      struct bb_err *e);

/*
 * Patch instruction r->insn of @insns (@cnt slots) with @res (libbpf's
 * bpf_core_patch_insn()).  Poisons when res->poison is set, and also when
 * a load/store would have to change size unsafely (then res->poison and
 * res->why = CORE_BAD_MEMSZ are set, as libbpf does).  -EINVAL (with @e
 * naming the instruction) when the instruction is not a relocatable form
 * or does not hold res->orig_val; -ERANGE when the new offset does not fit
 * in the 16-bit offset field.
 */
int core_patch(struct isa_raw *insns, size_t cnt, const struct core_relo *r,
	       struct core_result *res, struct bb_err *e);

/* "field not found in target BTF", ...; "" for CORE_OK. */
const char *core_why_str(enum core_why why);

/* Length of @name without its "___flavor" suffix ("task_struct___old" ->
 * 11): the text up to the last "X___Y" separator, X and Y not '_'. */
size_t core_essential_name_len(const char *name);

/*
 * libbpf's type relations, exposed for tests and for callers that match
 * kfunc or attach prototypes.  1 yes, 0 no, -EINVAL on bad ids or too deep
 * nesting.
 *   core_types_are_compat(): same kinds all the way down (modifiers and
 *     typedefs skipped; INTs of any size; FUNC_PROTO argument counts).
 *   core_types_match(): the stricter bpf_core_types_match(): member names
 *     present, INT size and signedness, enum names, array lengths.
 */
int core_types_are_compat(const struct bbtf *local, uint32_t local_id,
			  const struct bbtf *target, uint32_t targ_id);
int core_types_match(const struct bbtf *local, uint32_t local_id,
		     const struct bbtf *target, uint32_t targ_id);

#endif
