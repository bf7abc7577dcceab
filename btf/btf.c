/* SPDX-License-Identifier: MIT */
/*
 * btf/btf.c - parse and validate raw BTF (reading it: btf_access.c).
 *
 * Parsing locates every record and validates it in one pass over the
 * type section, against the kernel's rules (docs.kernel.org/bpf/btf.html):
 * per-kind fields, names, every referenced id in range and of a kind
 * that may be referenced there, reference cycles, and sizes.  What needs
 * a type further on in the file (a forward reference, a member's size)
 * is queued and checked right after the pass.  The same code validates
 * builder output (bbtf_validate()), walking its offsets instead.  See
 * "Validation" below.
 *
 * Cycles.  C lets a type refer to itself only through a pointer (and the
 * pointer's target is then named by its tag).  Two graphs are checked:
 *  - every reference except a pointer's target ("typedef A -> const A",
 *    a struct containing itself by value): a size or a declaration would
 *    never finish;
 *  - every reference, but not out of a named struct/union/enum/fwd/typedef
 *    (which C code names instead of spelling out): a cycle left over runs
 *    only through anonymous types, which no C declaration can write, and
 *    the C dumper would recurse forever on it.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static const char *const kind_names[] = {
	[BTF_KIND_UNKN] = "UNKNOWN",
	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",
	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",
	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

const char *bbtf_kind_str(int kind)
{
	if (kind < 0 || kind > BBTF_KIND_MAX)
		return "UNKNOWN";
	return kind_names[kind];
}

size_t bbtf__extra_size(const struct btf_type *t)
{
	size_t vlen = bbtf_vlen(t);

	switch (bbtf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	default:
		return 0;
	}
}

/* The "type [id] KIND 'name': message" error for type @t with id @id. */
static int type_verr(const struct bbtf *b, struct bb_err *e, uint32_t id,
		     const struct btf_type *t, const char *fmt, va_list ap)
{
	char head[160], msg[BB_ERR_MSG_MAX];
	const char *name = t ? bbtf_name(b, t->name_off) : "";

	if (!e)
		return -EINVAL;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!t)
		snprintf(head, sizeof(head), "type [%u]", id);
	else if (!name)
		snprintf(head, sizeof(head), "type [%u] %s <name offset %u out of range>", id,
			 bbtf_kind_str(bbtf_kind(t)), t->name_off);
	else if (!*name)
		snprintf(head, sizeof(head), "type [%u] %s", id, bbtf_kind_str(bbtf_kind(t)));
	else
		snprintf(head, sizeof(head), "type [%u] %s '%.64s'", id,
			 bbtf_kind_str(bbtf_kind(t)), name);
	return bb_err_insn(e, -EINVAL, -1, "%s: %s", head, msg);
}

int bbtf__type_err(const struct bbtf *b, struct bb_err *e, uint32_t id,
		   const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = type_verr(b, e, id, bbtf_type_by_id(b, id), fmt, ap);
	va_end(ap);
	return ret;
}

/* ---------------------------------------------------------------- */
/* References                                                        */
/* ---------------------------------------------------------------- */

static uint32_t ref_count(const struct btf_type *t)
{
	switch (bbtf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 1;
	case BTF_KIND_ARRAY:
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		return bbtf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		return 1u + bbtf_vlen(t);
	default:
		return 0;
	}
}

static uint32_t ref_at(const struct btf_type *t, uint32_t k, bool *strong)
{
	*strong = true;
	switch (bbtf_kind(t)) {
	case BTF_KIND_PTR:
		*strong = false;
		return t->type;
	case BTF_KIND_ARRAY:
		return k ? bbtf_array(t)->index_type : bbtf_array(t)->type;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return bbtf_members(t)[k].type;
	case BTF_KIND_DATASEC:
		return bbtf_secinfos(t)[k].type;
	case BTF_KIND_FUNC_PROTO:
		return k ? bbtf_params(t)[k - 1].type : t->type;
	default:
		return t->type;
	}
}

int bbtf__for_each_ref(const struct btf_type *t, bbtf__ref_fn fn, void *ctx)
{
	uint32_t n = ref_count(t);

	for (uint32_t k = 0; k < n; k++) {
		bool strong;
		uint32_t ref = ref_at(t, k, &strong);
		int ret = fn(ref, strong, ctx);

		if (ret)
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Validation                                                        */
/* ---------------------------------------------------------------- */

/*
 * One validator.  validate_pass() walks the type section once, in file
 * order (the hardware prefetcher streams it), and for each record:
 * checks that it fits, records its offset and kind, checks everything
 * the record can say about itself (a per-kind table for the header
 * rules, a short switch for the rest), checks each reference to a type
 * already seen against that type's kind byte, and lays out a struct
 * whose members' types are all seen (member_fits()).  What needs types
 * not seen yet is queued and done by validate_finish(): forward
 * references (4% of vmlinux's), the loop search (which only needs to
 * start at their targets, and only visits the types the pass marked as
 * possibly on a loop), then the checks that walk other types' records
 * (the other structs' layout, array and variable sizes, decl tag
 * targets).
 *
 * Every check words its own error at the point of failure through a
 * cold, out-of-line function (verr(), name_slow(), ref_fail()), so the
 * success path is compares and branches on values already in registers
 * and never formats; the failure path may be slow.  The first error
 * reported is the first in this order: header and string section, then
 * records in file order (each record's own fields, then its references
 * to earlier types), forward references, loops, then layout and sizes.
 *
 * Speed, on vmlinux (126k types, ~700k names, ~300k references):
 *  - a name check is one bit test: bbtf__ident_bitmap() (btf_ident.c)
 *    marks, in one SIMD
 *    sweep over the string section, every offset where an identifier
 *    starts (the per-name scan of each distinct string was a fifth of
 *    the parse); anything else (base strings, offsets inside a string,
 *    non-identifier names, errors) goes to name_slow();
 *  - "what kind is type r" reads a 126 KiB byte array, not the record;
 *  - member sizes come from the kind byte for direct types and from a
 *    memo (struct val.mbits) for typedef/modifier/array chains, so each
 *    chain is walked once, not once per member using it;
 *  - scratch memory is what the pass must have (kind bytes, identifier
 *    bitmap) plus small queues: each fresh page costs a fault, and a
 *    program parses vmlinux once, with no warm heap to reuse.
 */

#define VALUE_KINDS (((1u << (BBTF_KIND_MAX + 1)) - 1) &                         \
		     ~((1u << BTF_KIND_UNKN) | (1u << BTF_KIND_FUNC) |             \
		       (1u << BTF_KIND_VAR) | (1u << BTF_KIND_DATASEC) |            \
		       (1u << BTF_KIND_DECL_TAG)))

/* The bits a member of type @type takes, by the size walk over the
 * records located so far (@located), and whether it is integer-like
 * (the first type past modifiers and typedefs is an INT or ENUM). */
static int member_bits(const struct bbtf *b, uint32_t located, uint32_t type, uint64_t *bits,
		       bool *intlike)
{
	const struct btf_type *first;
	int64_t size = bbtf__size_walk(b, located, type, &first);
	int k;

	if (size < 0)
		return (int)size;
	k = bbtf_kind(first);
	*intlike = k == BTF_KIND_INT || k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
	*bits = (uint64_t)size * 8;
	/* Old-style bitfield: kind_flag 0, an INT narrower than its size. */
	if (k == BTF_KIND_INT) {
		uint32_t d = bbtf_int_data(first);

		*bits = BTF_INT_OFFSET(d) + BTF_INT_BITS(d);
	}
	return 0;
}


/* The references a record holds are type ids at a fixed stride: a
 * modifier's, typedef's, func's, var's or decl tag's one `type`; an
 * array's element and index types (adjacent); every member's or
 * secinfo's type (12-byte records); a prototype's return type at byte 8
 * and its params' types at 16, 24, ... (8-byte records after the
 * 12-byte head).  ref_span() gives (first, stride, count) for them in
 * the order ref_at() numbers them. */
_Static_assert(sizeof(struct btf_type) == 12 && offsetof(struct btf_type, type) == 8,
	       "btf_type layout");
_Static_assert(sizeof(struct btf_member) == 12 && offsetof(struct btf_member, type) == 4,
	       "btf_member layout");
_Static_assert(sizeof(struct btf_var_secinfo) == 12 && offsetof(struct btf_var_secinfo, type) == 0,
	       "btf_var_secinfo layout");
_Static_assert(sizeof(struct btf_param) == 8 && offsetof(struct btf_param, type) == 4,
	       "btf_param layout");
_Static_assert(offsetof(struct btf_array, index_type) == 4, "btf_array layout");

static inline uint32_t ref_span(const struct btf_type *t, int kind, const uint8_t **first,
			 uint32_t *stride)
{
	const uint8_t *rec = (const uint8_t *)t;

	*stride = 4;
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		*first = rec + 8;
		return 1;
	case BTF_KIND_ARRAY:
		*first = rec + 12;
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*first = rec + 12 + 4;
		*stride = 12;
		return bbtf_vlen(t);
	case BTF_KIND_DATASEC:
		*first = rec + 12;
		*stride = 12;
		return bbtf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		*first = rec + 8;
		*stride = 8;
		return 1u + bbtf_vlen(t);
	default:
		return 0;
	}
}

/* Kinds with no edge in either graph, and (graph 1) PTR, whose one edge
 * is the weak one: such types are finished as soon as they are reached. */
#define LEAF_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64) | \
		    (1u << BTF_KIND_FWD) | (1u << BTF_KIND_FLOAT))

/*
 * The validator's byte per own type: the kind in the low bits, and above
 * it the loop search's state.  KB_PEND1/KB_PEND2: the type may lie on a
 * loop of graph 1/2.  The pass sets it when one of the type's edges in
 * that graph goes forward (to itself or a later id) or to a type that
 * has it set; a type without it only reaches lower ids, by edges whose
 * targets reach lower ids still, so it is on no loop and the search
 * treats it as finished (clearing the bit is how the search finishes a
 * type).  KB_STACK: on the DFS stack; the graphs are searched one after
 * the other and the stack is empty between them, so one bit serves both.
 * Keeping all of it in the kind byte the pass writes anyway saves a
 * second per-type array and its page faults.
 */
#define KB_KIND 0x1fu
#define KB_PEND1 0x20u
#define KB_PEND2 0x40u
#define KB_STACK 0x80u
_Static_assert(BBTF_KIND_MAX <= KB_KIND, "kind fits below the state bits");

/* A reference to a type not located yet, checked after the pass. */
struct fwd_ref {
	uint32_t from;          /* own index of the referring type */
	uint32_t ref;           /* type id referred to */
	uint32_t mask_label;    /* allowed kinds (bits 0-19) | label << 24 */
	int32_t idx;            /* member/param/var number, -1 for none */
};

struct cframe {
	const uint8_t *next;    /* next reference to visit */
	uint32_t left;          /* references left */
	uint32_t stride;        /* bytes between references */
	uint32_t idx;           /* own index */
};

/* Edges of own type @idx in the graph @anon selects; 0 if none. */
static uint32_t cycle_edges(const struct bbtf *b, int kind, uint32_t idx, bool anon,
			    struct cframe *f)
{
	const struct btf_type *t;

	if ((LEAF_KINDS >> kind) & 1)
		return 0;
	if (!anon && kind == BTF_KIND_PTR)
		return 0;
	t = (const void *)(b->types + b->offs[idx]);
	if (anon && t->name_off &&
	    (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_TYPEDEF))
		return 0;
	f->idx = idx;
	f->left = ref_span(t, kind, &f->next, &f->stride);
	return f->left;
}

/*
 * Iterative DFS (a fuzzer's 100000-deep typedef chain must not blow the
 * stack) in the graph @anon selects (see the top of the file), visiting
 * references in ref_at() order.  It starts at the targets of the @nfwd
 * queued references @fwd (in range, checked before) that are edges of
 * that graph.  @kb is the kind byte array above: only types with the
 * graph's pending bit are visited, and finishing one clears it.  A type
 * without it reaches none with it, so skipping them changes neither the
 * order pending types are met in nor the loop reported.  *@stack
 * (*@stack_cap frames, at least 1) grows as needed, onto the heap if it
 * is still @local (the caller's array).
 */
static int check_cycles(const struct bbtf *b, struct bb_err *e, uint8_t *kb,
			struct cframe **stack, uint32_t *stack_cap, struct cframe *local,
			bool anon, const struct fwd_ref *fwd, size_t nfwd)
{
	uint8_t pend = anon ? KB_PEND2 : KB_PEND1;

	for (size_t k = 0; k < nfwd; k++) {
		uint32_t root = fwd[k].ref - b->start_id, sp = 0;

		/* The source's pending bit is still set unless the edge is not
		 * in this graph (the pass cleared it) or the source is
		 * finished, and then so is the target.  One test of both bytes
		 * (pend is one bit): this branch goes either way at random
		 * and two of them were a fifth of the search. */
		if (!(kb[fwd[k].from] & kb[root] & pend))
			continue;
		if (!cycle_edges(b, kb[root] & KB_KIND, root, anon, &(*stack)[0])) {
			kb[root] &= (uint8_t)~pend;
			continue;
		}
		kb[root] |= KB_STACK;
		sp = 1;
		while (sp) {
			struct cframe *f = &(*stack)[sp - 1];
			uint32_t ref, r;

			if (!f->left) {
				kb[f->idx] &= (uint8_t)~(KB_STACK | pend);
				sp--;
				continue;
			}
			memcpy(&ref, f->next, sizeof(ref));
			f->next += f->stride;
			f->left--;
			if (ref < b->start_id)
				continue;       /* base types cannot point back here */
			r = ref - b->start_id;
			if (kb[r] & KB_STACK)
				return bbtf__type_err(b, e, b->start_id + f->idx,
						      anon ? "reference to [%u] closes a loop of anonymous types"
							   : "reference to [%u] closes a loop not broken by a pointer",
						      ref);
			if (!(kb[r] & pend))
				continue;
			if (sp == *stack_cap) {
				/* At most one frame per own type: cannot overflow. */
				uint32_t cap = *stack_cap * 2 > b->nr ? b->nr : *stack_cap * 2;
				struct cframe *grown = *stack == local
							       ? malloc(cap * sizeof(**stack))
							       : realloc(*stack, cap * sizeof(**stack));

				if (!grown)
					return bb_err_insn(e, -ENOMEM, -1, "out of memory");
				if (*stack == local)
					memcpy(grown, local, sp * sizeof(*local));
				*stack = grown;
				*stack_cap = cap;
			}
			if (cycle_edges(b, kb[r] & KB_KIND, r, anon, &(*stack)[sp])) {
				kb[r] |= KB_STACK;
				sp++;
			} else {
				kb[r] &= (uint8_t)~pend;
			}
		}
	}
	return 0;
}


/* Name rules. */
enum { NAME_EMPTY, NAME_OPT_IDENT, NAME_IDENT, NAME_NONEMPTY };

/* What a message is about ("member 3", "typedef"): one string per label. */
enum {
	LBL_INT, LBL_MODIFIER, LBL_TYPEDEF, LBL_TYPE_TAG, LBL_ARRAY, LBL_STRUCT, LBL_ENUM,
	LBL_FWD, LBL_FUNC, LBL_FUNC_PROTO, LBL_VAR, LBL_DATASEC, LBL_FLOAT, LBL_DECL_TAG,
	LBL_MEMBER, LBL_VALUE, LBL_PARAM, LBL_RETURN, LBL_TARGET, LBL_ELEMENT, LBL_INDEX,
	LBL_PROTO, LBL_SECVAR,
};
static const char *const label_str[] = {
	[LBL_INT] = "int", [LBL_MODIFIER] = "modifier", [LBL_TYPEDEF] = "typedef",
	[LBL_TYPE_TAG] = "type_tag", [LBL_ARRAY] = "array", [LBL_STRUCT] = "struct",
	[LBL_ENUM] = "enum", [LBL_FWD] = "fwd", [LBL_FUNC] = "func",
	[LBL_FUNC_PROTO] = "func_proto", [LBL_VAR] = "var", [LBL_DATASEC] = "datasec",
	[LBL_FLOAT] = "float", [LBL_DECL_TAG] = "decl_tag", [LBL_MEMBER] = "member",
	[LBL_VALUE] = "value", [LBL_PARAM] = "param", [LBL_RETURN] = "return",
	[LBL_TARGET] = "target", [LBL_ELEMENT] = "element", [LBL_INDEX] = "index",
	[LBL_PROTO] = "proto", [LBL_SECVAR] = "var",
};

#define INFO_VLEN 0xffffu
#define INFO_KFLAG (1u << 31)

/*
 * Per kind: record bytes after struct btf_type (fixed + vlen * unit),
 * the info bits that must be 0, and the rule and label for the type's
 * own name.  The header checks of every kind are this one table, read
 * once per record, instead of a function per kind.
 */
struct kind_rule {
	uint8_t fixed, unit, name_rule, label;
	uint32_t zero_bits;
};
static const struct kind_rule kind_rules[32] = {
	[BTF_KIND_INT] = { 4, 0, NAME_NONEMPTY, LBL_INT, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_PTR] = { 0, 0, NAME_EMPTY, LBL_MODIFIER, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_ARRAY] = { sizeof(struct btf_array), 0, NAME_EMPTY, LBL_ARRAY, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_STRUCT] = { 0, sizeof(struct btf_member), NAME_OPT_IDENT, LBL_STRUCT, 0 },
	[BTF_KIND_UNION] = { 0, sizeof(struct btf_member), NAME_OPT_IDENT, LBL_STRUCT, 0 },
	[BTF_KIND_ENUM] = { 0, sizeof(struct btf_enum), NAME_OPT_IDENT, LBL_ENUM, 0 },
	[BTF_KIND_FWD] = { 0, 0, NAME_IDENT, LBL_FWD, INFO_VLEN },
	[BTF_KIND_TYPEDEF] = { 0, 0, NAME_IDENT, LBL_TYPEDEF, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_VOLATILE] = { 0, 0, NAME_EMPTY, LBL_MODIFIER, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_CONST] = { 0, 0, NAME_EMPTY, LBL_MODIFIER, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_RESTRICT] = { 0, 0, NAME_EMPTY, LBL_MODIFIER, INFO_VLEN | INFO_KFLAG },
	/* vlen is the linkage, checked with its own message. */
	[BTF_KIND_FUNC] = { 0, 0, NAME_IDENT, LBL_FUNC, INFO_KFLAG },
	[BTF_KIND_FUNC_PROTO] = { 0, sizeof(struct btf_param), NAME_EMPTY, LBL_FUNC_PROTO, INFO_KFLAG },
	[BTF_KIND_VAR] = { 4, 0, NAME_NONEMPTY, LBL_VAR, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_DATASEC] = { 0, sizeof(struct btf_var_secinfo), NAME_NONEMPTY, LBL_DATASEC, INFO_KFLAG },
	[BTF_KIND_FLOAT] = { 0, 0, NAME_NONEMPTY, LBL_FLOAT, INFO_VLEN | INFO_KFLAG },
	[BTF_KIND_DECL_TAG] = { 4, 0, NAME_NONEMPTY, LBL_DECL_TAG, INFO_VLEN },
	/* kind_flag 1 (6.14+) means the tag is an __attribute__. */
	[BTF_KIND_TYPE_TAG] = { 0, 0, NAME_NONEMPTY, LBL_TYPE_TAG, INFO_VLEN },
	[BTF_KIND_ENUM64] = { 0, sizeof(struct btf_enum64), NAME_OPT_IDENT, LBL_ENUM, 0 },
};

/* What a reference may point at: bit k for kind k, bit 0 (BTF_KIND_UNKN,
 * the kind of id 0) for void.  The masks also select the wording of the
 * error (ref_fail()). */
#define ALL_KINDS ((1u << (BBTF_KIND_MAX + 1)) - 1)
#define REF_VOID 1u
#define REF_ANY (VALUE_KINDS | REF_VOID)                        /* modifiers, typedef */
#define REF_OBJ (VALUE_KINDS & ~(1u << BTF_KIND_FUNC_PROTO))    /* members, elements */
#define REF_PROTO (1u << BTF_KIND_FUNC_PROTO)                   /* a FUNC's type */
#define REF_SECVAR ((1u << BTF_KIND_VAR) | (1u << BTF_KIND_FUNC))
#define REF_TAGGED (ALL_KINDS & ~REF_VOID)                      /* kind checked later */

struct val {
	const struct bbtf *b;
	struct bb_err *e;
	const uint8_t *types;
	size_t types_len;
	const uint32_t *offs;   /* record offsets: filled by the pass when locating */
	uint32_t start;         /* b->start_id */
	uint32_t n;             /* types located so far; all of them after the pass */
	size_t pos;             /* offset of the record being checked (for final_cnt()) */
	uint32_t str_start, strs_len;
	bool zero_empty;        /* offset 0 names "" */
	bool oom;
	uint64_t *ident;        /* bit per own string offset: a non-empty identifier starts there */
	uint8_t *kinds;         /* per own type: its kind byte (KB_*) */
	struct bb_vec fwd;      /* struct fwd_ref */
	struct bb_vec post;     /* uint32_t own index: checked by post_check() */
	/* member_bits() of own types with a chain to follow (typedefs,
	 * modifiers, arrays), direct-mapped by id (see memo_member_bits()). */
	struct mbits_slot *mbits;
	uint32_t mbits_mask;    /* slots - 1 */
	/* One block for the memo, the bitmap, the kind bytes and the
	 * queues' first storage (a queue that outgrows it moves to its own
	 * allocation): one malloc() per parse instead of five. */
	void *scratch;
	size_t scratch_len;
};

/* Is @p inside the scratch block? */
static bool in_scratch(const struct val *v, const void *p)
{
	return v->scratch && (uintptr_t)p - (uintptr_t)v->scratch < v->scratch_len;
}

/* Room for @vec's next item: double it, moving it out of the scratch
 * block if it starts there.  False when memory runs out. */
static __attribute__((cold, noinline)) bool val_grow(struct val *v, struct bb_vec *vec)
{
	bool in_block = in_scratch(v, vec->data);
	size_t cap = vec->cap ? vec->cap * 2 : 8;
	void *p;

	if (cap > SIZE_MAX / 2 / vec->elem)
		return false;
	p = in_block ? malloc(cap * vec->elem) : realloc(vec->data, cap * vec->elem);
	if (!p)
		return false;
	if (in_block)
		memcpy(p, vec->data, vec->len * vec->elem);
	vec->data = p;
	vec->cap = cap;
	return true;
}

/* bb_vec_push() minus the call and the memcpy() of the item: the pass
 * pushes ~30k small items on vmlinux and the generic push was 3% of it.
 * Sets v->oom and is false when memory runs out. */
#define VAL_PUSH(v, vec, type, item)                                            \
	(((vec)->len < (vec)->cap || val_grow((v), (vec)))                      \
		 ? (((type *)(vec)->data)[(vec)->len++] = (item), true)         \
		 : ((v)->oom = true, false))

/* "type [id] KIND 'name': " + message for own type @idx; -EINVAL. */
static __attribute__((cold, noinline, format(printf, 3, 4))) int
verr(const struct val *v, uint32_t idx, const char *fmt, ...)
{
	const struct btf_type *t = (const void *)(v->types + v->offs[idx]);
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = type_verr(v->b, v->e, v->start + idx, t, fmt, ap);
	va_end(ap);
	return ret;
}

static __attribute__((cold, noinline)) int val_oom(const struct val *v)
{
	return bb_err_insn(v->e, -ENOMEM, -1, "out of memory");
}

/* Kind of type @ref (0 for void), @ref < start + n. */
static int kind_of(const struct val *v, uint32_t ref)
{
	if (ref >= v->start)
		return v->kinds[ref - v->start] & KB_KIND;
	return ref ? bbtf_kind(bbtf_type_by_id(v->b->base, ref)) : BTF_KIND_UNKN;
}

/* The type count once every record is located; during the pass (an
 * error met there), by walking the rest of the records. */
static uint32_t final_cnt(const struct val *v)
{
	size_t off = v->pos;
	uint32_t n = v->n;

	if (v->offs == v->b->offs && v->b->nr)
		return v->start + v->b->nr;
	while (v->types_len - off >= sizeof(struct btf_type)) {
		const struct btf_type *t = (const void *)(v->types + off);
		size_t extra = bbtf__extra_size(t);

		if (v->types_len - off - sizeof(*t) < extra)
			break;
		off += sizeof(*t) + extra;
		n++;
	}
	return v->start + (n > v->n ? n : v->n + 1);
}

struct what {
	char s[40];
};

static const char *what_str(struct what *w, int label, int idx)
{
	if (idx < 0)
		snprintf(w->s, sizeof(w->s), "%s", label_str[label]);
	else
		snprintf(w->s, sizeof(w->s), "%s %d", label_str[label], idx);
	return w->s;
}

/*
 * Reference @ref of own type @from (its @label/@idx) broke @mask: say
 * why.  The allowed kinds pick the wording (the kernel's messages differ
 * for a datasec's vars, a func's proto and a decl tag's target).
 */
static __attribute__((cold, noinline)) int ref_fail(const struct val *v, uint32_t from,
						    uint32_t ref, uint32_t mask, int label, int idx)
{
	uint32_t cnt;
	struct what w;
	int k;

	if (v->oom)
		return val_oom(v);
	cnt = final_cnt(v);
	k = ref < cnt ? kind_of(v, ref) : -1;
	if (mask == REF_SECVAR) {
		if (!ref || ref >= cnt)
			return verr(v, from, "var %d type id %u out of range (last id %u)", idx, ref,
				    cnt - 1);
		return verr(v, from, "var %d refers to [%u] %s, not a VAR", idx, ref,
			    bbtf_kind_str(k));
	}
	if (mask == REF_PROTO) {
		if (ref >= cnt)
			return verr(v, from, "proto type id %u out of range (last id %u)", ref, cnt - 1);
		return verr(v, from, "type [%u] %s is not a FUNC_PROTO", ref, bbtf_kind_str(k));
	}
	if (ref >= cnt || (mask == REF_TAGGED && !ref))
		return verr(v, from, "%s type id %u out of range (last id %u)",
			    what_str(&w, label, idx), ref, cnt - 1);
	if (!ref)
		return verr(v, from, "%s cannot be void", what_str(&w, label, idx));
	if (!((VALUE_KINDS >> k) & 1))
		return verr(v, from, "%s refers to [%u] %s, which is not a data type",
			    what_str(&w, label, idx), ref, bbtf_kind_str(k));
	return verr(v, from, "%s refers to [%u] FUNC_PROTO, which is not an object type",
		    what_str(&w, label, idx), ref);
}


/*
 * The pass's hot fields, copied out of struct val into a local whose
 * address never leaves the inlined pass, so they stay in registers.
 * Read through struct val they were reloaded after every store to a
 * kind byte (a uint8_t store may alias anything).  struct val's n and
 * pos are still stored once per record, for the cold error paths.
 */
struct pass {
	uint8_t *kinds;
	const uint64_t *ident;
	const char *strs;
	const uint8_t *types;
	const uint32_t *offs;
	const struct bbtf *b;
	struct mbits_slot *memo;
	uint32_t memo_mask;
	uint32_t start, n, str_start, strs_len;
	bool zero_empty;
};

/*
 * Reference @ref from the type being located (own index p->n) to a kind
 * in @mask.  Void and base ids are checked now, lower own ids against
 * their kind byte; the others (forward references, the type itself) are
 * queued: validate_finish() checks their kinds, and they are where the
 * loop search starts.  *@pend collects the loop search's pending bits
 * (KB_PEND*) of the edge: the target's, or both for a forward edge.
 */
static inline __attribute__((always_inline)) int ref_check(struct val *v, const struct pass *p,
							   uint32_t ref, uint32_t mask, int label,
							   int idx, uint32_t *pend)
{
	uint32_t r = ref - p->start;

	if (__builtin_expect(ref >= p->start, 1)) {
		if (__builtin_expect(r < p->n, 1)) {
			uint32_t kb = p->kinds[r];

			*pend |= kb;
			if (__builtin_expect((mask >> (kb & KB_KIND)) & 1, 1))
				return 0;
		} else {
			*pend |= KB_PEND1 | KB_PEND2;
			if (VAL_PUSH(v, &v->fwd, struct fwd_ref,
				     ((struct fwd_ref){ p->n, ref, mask | (uint32_t)label << 24, idx })))
				return 0;
		}
	} else if ((mask >> kind_of(v, ref)) & 1) {
		return 0;
	}
	return ref_fail(v, p->n, ref, mask, label, idx);
}

static inline bool ident_bit(const struct pass *p, uint32_t off)
{
	uint32_t rel = off - p->str_start;

	return rel < p->strs_len && ((p->ident[rel / 64] >> (rel % 64)) & 1);
}

/* Name @off of own type @idx under @rule when the bitmap did not answer
 * (base strings, offsets inside a string, names that are not
 * identifiers, errors): the rules in full, with their messages. */
static __attribute__((noinline)) int name_slow(struct val *v, uint32_t idx, uint32_t off,
					       int rule, int label, int i)
{
	const char *s = bbtf_name(v->b, off);
	struct what w;

	if (!s)
		return verr(v, idx, "%s name offset %u out of range (strings end at %u)",
			    what_str(&w, label, i), off, bbtf__str_end(v->b));
	switch (rule) {
	case NAME_EMPTY:
		if (*s)
			return verr(v, idx, "%s must be anonymous", what_str(&w, label, i));
		return 0;
	case NAME_NONEMPTY:
		if (!*s)
			return verr(v, idx, "%s needs a name", what_str(&w, label, i));
		return 0;
	default:
		if (rule == NAME_OPT_IDENT && !*s)
			return 0;
		if (!bbtf__is_identifier(s))
			return verr(v, idx, "%s name '%.64s' is not a C identifier",
				    what_str(&w, label, i), s);
		/* Remember it: offsets into the middle of a string repeat too. */
		if (off >= v->str_start)
			v->ident[(off - v->str_start) / 64] |= 1ull << ((off - v->str_start) % 64);
		return 0;
	}
}

/* The common cases of the name rules: "" at offset 0, an identifier the
 * bitmap knows, a non-empty name in the own section. */
static inline bool name_fast(const struct pass *p, uint32_t off, int rule)
{
	switch (rule) {
	case NAME_EMPTY:
		return !off && p->zero_empty;
	case NAME_OPT_IDENT:
		return (!off && p->zero_empty) || ident_bit(p, off);
	case NAME_IDENT:
		return ident_bit(p, off);
	default:
		return ident_bit(p, off) ||
		       (off - p->str_start < p->strs_len && p->strs[off - p->str_start]);
	}
}

#define NAME_CHECK(off, rule, label, i)                                                 \
	do {                                                                            \
		if (!name_fast(p, (off), (rule)) &&                                     \
		    (ret = name_slow(v, idx, (off), (rule), (label), (i))))             \
			return ret;                                                     \
	} while (0)
#define REF_CHECK(ref, mask, label, i)                                                  \
	do {                                                                            \
		if ((ret = ref_check(v, p, (ref), (mask), (label), (i), pend)))         \
			return ret;                                                     \
	} while (0)
#define FAIL_IF(cond, ...)                                                              \
	do {                                                                            \
		if (__builtin_expect(!!(cond), 0))                                      \
			return verr(v, idx, __VA_ARGS__);                               \
	} while (0)

static inline bool pow2_upto(uint32_t s, uint32_t max)
{
	return s && s <= max && !(s & (s - 1));
}

/* Queue own type @idx for post_check(). */
static inline int post_add(struct val *v, uint32_t idx)
{
	return VAL_PUSH(v, &v->post, uint32_t, idx) ? 0 : val_oom(v);
}

/* Member types member_bits() would find at once (no chain to follow):
 * read here from the kind byte and the record, saving its call and
 * switch for the ~80% of vmlinux's members that are such types. */
#define DIRECT_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_PTR) | (1u << BTF_KIND_STRUCT) | \
		      (1u << BTF_KIND_UNION) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64) | \
		      (1u << BTF_KIND_FLOAT))
#define INTLIKE_KINDS ((1u << BTF_KIND_INT) | (1u << BTF_KIND_ENUM) | (1u << BTF_KIND_ENUM64))

/*
 * The memo of member_bits() for chain types, direct-mapped by own index:
 * a slot holds the own index + 1 (0: empty) and bits << 2 | intlike << 1
 * | 1.  vmlinux's members use ~3500 distinct chain types, so 4096 slots
 * (32 KiB) answer nearly all lookups, where a slot per type was 1 MiB of
 * fresh pages to fault in per parse; a small BTF gets fewer.  A
 * collision only repeats a walk of at most BBTF__WALK_MAX steps.  Sizes of
 * 2^30 bits and up are not kept.
 */
#define MBITS_SLOTS_MAX 4096u
struct mbits_slot {
	uint32_t key, val;
};

/*
 * member_bits() of @type with the kind byte and the memo in front of it,
 * over the own types below index @located (during the pass: those
 * located so far; after it, all).  A result of 0 does not depend on
 * @located: the walk met only types below it.  @p supplies the arrays;
 * its n is not used.
 */
static inline __attribute__((always_inline)) int
memo_member_bits(const struct pass *p, uint32_t located, uint32_t type, uint64_t *bits,
		 bool *intlike)
{
	uint32_t r = type - p->start, kind;
	const struct btf_type *t;

	if (type < p->start || r >= located)
		return member_bits(p->b, located, type, bits, intlike);
	if (!((DIRECT_KINDS >> (kind = p->kinds[r] & KB_KIND)) & 1)) {
		struct mbits_slot *slot = &p->memo[r & p->memo_mask];
		int ret;

		if (slot->key == r + 1) {
			*bits = slot->val >> 2;
			*intlike = slot->val & 2;
			return 0;
		}
		ret = member_bits(p->b, located, type, bits, intlike);
		if (!ret && *bits < (1u << 30)) {
			slot->key = r + 1;
			slot->val = (uint32_t)*bits << 2 | (uint32_t)*intlike << 1 | 1;
		}
		return ret;
	}
	t = (const void *)(p->types + p->offs[r]);
	*intlike = (INTLIKE_KINDS >> kind) & 1;
	if (kind == BTF_KIND_INT) {
		uint32_t d = bbtf_int_data(t);

		*bits = BTF_INT_OFFSET(d) + BTF_INT_BITS(d);
	} else {
		*bits = kind == BTF_KIND_PTR ? 64 : (uint64_t)t->size * 8;
	}
	return 0;
}

/*
 * Member @m of a struct of @limit bits (kind_flag @kflag): does it fit,
 * by post_check()'s rules, judged from the types located so far?  False
 * also when that cannot tell yet (the member's type, or one its chain
 * leads to, comes later) and post_check() decides.  Checking here, while
 * the struct's record is in cache, spares most structs that second
 * visit; as it only passes what post_check() would pass, the errors and
 * their order do not change.
 */
static inline __attribute__((always_inline)) bool
member_fits(const struct pass *p, const struct btf_member *m, bool kflag, uint64_t limit)
{
	uint32_t off = kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
	uint32_t bf = kflag ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
	uint64_t bits;
	bool intlike;

	/* A type not located yet: post_check() decides (no walk needed to
	 * find that out; clang puts most member types after their struct). */
	if (m->type >= p->start && m->type - p->start >= p->n)
		return false;
	if (memo_member_bits(p, p->n, m->type, &bits, &intlike))
		return false;
	if (bf) {
		if (!intlike || bf > bits)
			return false;
		bits = bf;
	} else if (off % 8 && !(intlike && bits % 8)) {
		return false;
	}
	return off + bits <= limit;
}

/*
 * Everything record @t (own index p->n, kind @kind) says about itself,
 * and its references (their KB_PEND* bits ORed into *@pend).  The header
 * rules come from kind_rules[].
 */
static inline __attribute__((always_inline)) int check_record(struct val *v,
							      const struct pass *p,
							      const struct btf_type *t,
							      unsigned int kind, uint32_t *pend)
{
	const struct kind_rule *kr = &kind_rules[kind];
	const uint8_t *x = (const uint8_t *)(t + 1);
	uint32_t idx = p->n, info = t->info, vlen = BTF_INFO_VLEN(info);
	int ret;

	if (__builtin_expect(info & kr->zero_bits, 0)) {
		if (info & kr->zero_bits & INFO_VLEN)
			return verr(v, idx, "vlen %u must be 0", vlen);
		return verr(v, idx, "kind_flag must be 0");
	}
	NAME_CHECK(t->name_off, kr->name_rule, kr->label, -1);

	switch (kind) {
	case BTF_KIND_INT: {
		uint32_t data, enc, bits, off;

		memcpy(&data, x, 4);
		enc = BTF_INT_ENCODING(data);
		bits = BTF_INT_BITS(data);
		off = BTF_INT_OFFSET(data);
		FAIL_IF(!pow2_upto(t->size, 16), "size %u is not 1, 2, 4, 8 or 16", t->size);
		FAIL_IF(data & ~0x0fff00ffu, "int data %#x sets reserved bits", data);
		FAIL_IF(enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL,
			"int encoding %#x is not one of signed, char, bool", enc);
		FAIL_IF(!bits || bits > 128, "int nr_bits %u is not 1..128", bits);
		FAIL_IF(off + bits > t->size * 8, "int offset %u + nr_bits %u exceed size %u bytes",
			off, bits, t->size);
		return 0;
	}
	case BTF_KIND_PTR:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		REF_CHECK(t->type, REF_ANY, LBL_TARGET, -1);
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const void *)x;

		FAIL_IF(t->size, "size/type field %u must be 0", t->size);
		REF_CHECK(a->type, REF_OBJ, LBL_ELEMENT, -1);
		REF_CHECK(a->index_type, REF_OBJ, LBL_INDEX, -1);
		return post_add(v, idx);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = (const void *)x;
		uint64_t limit = (uint64_t)t->size * 8;
		bool kflag = info & INFO_KFLAG, fits = true;

		for (uint32_t i = 0; i < vlen; i++) {
			NAME_CHECK(m[i].name_off, NAME_OPT_IDENT, LBL_MEMBER, (int)i);
			REF_CHECK(m[i].type, REF_OBJ, LBL_MEMBER, (int)i);
			fits = fits && member_fits(p, &m[i], kflag, limit);
		}
		return fits ? 0 : post_add(v, idx);
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		size_t step = kind == BTF_KIND_ENUM ? sizeof(struct btf_enum) : sizeof(struct btf_enum64);

		FAIL_IF(!pow2_upto(t->size, 8), "size %u is not 1, 2, 4 or 8", t->size);
		/* name_off is the first field of both value records. */
		for (uint32_t i = 0; i < vlen; i++, x += step) {
			uint32_t off;

			memcpy(&off, x, 4);
			NAME_CHECK(off, NAME_IDENT, LBL_VALUE, (int)i);
		}
		return 0;
	}
	case BTF_KIND_FWD:
		return 0;
	case BTF_KIND_FUNC:
		FAIL_IF(vlen > BTF_FUNC_EXTERN, "linkage %u is not static, global or extern", vlen);
		REF_CHECK(t->type, REF_PROTO, LBL_PROTO, -1);
		return 0;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *prm = (const void *)x;

		REF_CHECK(t->type, REF_OBJ | REF_VOID, LBL_RETURN, -1);
		for (uint32_t i = 0; i < vlen; i++) {
			NAME_CHECK(prm[i].name_off, NAME_OPT_IDENT, LBL_PARAM, (int)i);
			if (!prm[i].type && i == vlen - 1) {
				/* "..." is a last, unnamed, void parameter. */
				FAIL_IF(prm[i].name_off, "variadic param %d must be anonymous", (int)i);
				continue;
			}
			REF_CHECK(prm[i].type, REF_OBJ, LBL_PARAM, (int)i);
		}
		return 0;
	}
	case BTF_KIND_VAR: {
		uint32_t linkage;

		memcpy(&linkage, x, 4);
		FAIL_IF(linkage > BTF_VAR_GLOBAL_EXTERN, "linkage %u is not static, global or extern",
			linkage);
		/* "extern const void sym __ksym;" (a typeless ksym) is a VAR
		 * of (const) void; the loader resolves it by name. */
		REF_CHECK(t->type, REF_OBJ | (linkage == BTF_VAR_GLOBAL_EXTERN ? REF_VOID : 0),
			  LBL_VAR, -1);
		return post_add(v, idx);
	}
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *s = (const void *)x;
		uint64_t prev_end = 0;

		for (uint32_t i = 0; i < vlen; i++) {
			uint64_t end = (uint64_t)s[i].offset + s[i].size;

			REF_CHECK(s[i].type, REF_SECVAR, LBL_SECVAR, (int)i);
			/* An object file's sections have size 0 until the loader
			 * fills it in from the ELF section; only check when set. */
			FAIL_IF(t->size && end > t->size,
				"var %d at offset %u size %u ends past section size %u", (int)i,
				s[i].offset, s[i].size, t->size);
			FAIL_IF(t->size && s[i].offset < prev_end,
				"var %d at offset %u overlaps the previous one", (int)i, s[i].offset);
			FAIL_IF(end > UINT32_MAX, "var %d offset %u + size %u overflow", (int)i,
				s[i].offset, s[i].size);
			prev_end = end;
		}
		return 0;
	}
	case BTF_KIND_FLOAT:
		FAIL_IF(t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16,
			"size %u is not 2, 4, 8, 12 or 16", t->size);
		return 0;
	case BTF_KIND_DECL_TAG:
		/* The target's kind and component count: post_check(). */
		REF_CHECK(t->type, REF_TAGGED, LBL_TARGET, -1);
		return post_add(v, idx);
	default:
		return verr(v, idx, "unknown kind %u", kind);
	}
}

/*
 * The pass.  With @offs_out (parsing) records are located in file order
 * and their offsets stored there; without, b->offs (builder output) says
 * where they are.  Sets v->n.  Inlined into both callers so that each
 * gets a loop without the other's branches.
 */
static inline __attribute__((always_inline)) int validate_pass(struct val *v,
							       uint32_t *offs_out)
{
	struct pass p = {
		.kinds = v->kinds, .ident = v->ident, .strs = v->b->strs, .types = v->types,
		.offs = offs_out ? offs_out : v->b->offs, .b = v->b, .memo = v->mbits,
		.memo_mask = v->mbits_mask, .start = v->start, .str_start = v->str_start,
		.strs_len = v->strs_len, .zero_empty = v->zero_empty,
	};
	const uint8_t *types = v->types;
	size_t len = v->types_len, off = 0;
	uint32_t nr = offs_out ? UINT32_MAX : v->b->nr;
	int ret;

	v->offs = p.offs;
	for (p.n = 0; offs_out ? off < len : p.n < nr; p.n++) {
		const struct btf_type *t;
		uint32_t info, kind, vlen, pend;
		size_t extra;

		if (!offs_out)
			off = p.offs[p.n];
		v->n = p.n;
		v->pos = off;
		if (__builtin_expect((!offs_out && off > len) || len - off < sizeof(*t), 0))
			return bb_err_insn(v->e, -EINVAL, -1,
					   "type [%u] at offset %zu: record truncated (%zu bytes left)",
					   v->start + p.n, off, off > len ? 0 : len - off);
		t = (const void *)(types + off);
		info = t->info;
		kind = BTF_INFO_KIND(info);
		vlen = BTF_INFO_VLEN(info);
		if (__builtin_expect(kind - 1u >= BBTF_KIND_MAX, 0))
			return bb_err_insn(v->e, -EINVAL, -1, "type [%u] at offset %zu: unknown kind %u",
					   v->start + p.n, off, kind);
		if (__builtin_expect(info & 0x60ff0000u, 0))
			return bb_err_insn(v->e, -EINVAL, -1,
					   "type [%u] %s at offset %zu: info %#x sets reserved bits",
					   v->start + p.n, bbtf_kind_str((int)kind), off, info);
		extra = kind_rules[kind].fixed + (size_t)vlen * kind_rules[kind].unit;
		if (__builtin_expect(len - off - sizeof(*t) < extra, 0))
			return bb_err_insn(v->e, -EINVAL, -1,
					   "type [%u] %s at offset %zu: %u entries run past the type section",
					   v->start + p.n, bbtf_kind_str((int)kind), off, vlen);
		if (offs_out)
			offs_out[p.n] = (uint32_t)off;
		pend = 0;
		if ((ret = check_record(v, &p, t, kind, &pend)))
			return ret;
		/* A graph's pending bit stays only on the types with edges in
		 * it: a pointer's edge is not in graph 1, a named struct,
		 * union or typedef has none in graph 2. */
		if (pend & (KB_PEND1 | KB_PEND2)) {
			pend &= KB_PEND1 | KB_PEND2;
			if (kind == BTF_KIND_PTR)
				pend &= ~KB_PEND1;
			else if (t->name_off && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ||
						 kind == BTF_KIND_TYPEDEF))
				pend &= ~KB_PEND2;
		} else {
			pend = 0;
		}
		p.kinds[p.n] = (uint8_t)(kind | pend);
		off += sizeof(*t) + extra;
	}
	v->n = p.n;
	return 0;
}


/* The rules that walk other types' records, once all are located and
 * known to form no loop: struct layout, array index and sizes, variable
 * sizes, decl tag targets. */
static int post_check(struct val *v, const struct pass *ps, uint32_t idx)
{
	const struct bbtf *b = v->b;
	const struct btf_type *t = (const void *)(v->types + v->offs[idx]), *r, *p;
	uint64_t size_bits;
	bool size_intlike;
	int32_t cidx;
	int k, err;

	switch (bbtf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = bbtf_members(t);
		bool kflag = bbtf_kflag(t);
		uint64_t limit = (uint64_t)t->size * 8;
		/* Read once: the memo's stores may alias the record, so the
		 * loop test would load it again for every member. */
		int vlen = bbtf_vlen(t);

		for (int i = 0; i < vlen; i++) {
			uint32_t off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
			uint32_t bf = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;
			uint64_t bits = 0;
			bool intlike = false;
			int ret = memo_member_bits(ps, v->n, m[i].type, &bits, &intlike);

			FAIL_IF(ret == -E2BIG, "member %d type [%u] size overflows", i, m[i].type);
			FAIL_IF(ret, "member %d type [%u] has no size", i, m[i].type);
			if (bf) {
				FAIL_IF(!intlike, "member %d bitfield of a non-integer type [%u]", i,
					m[i].type);
				FAIL_IF(bf > bits, "member %d bitfield_size %u exceeds its type's %u bits",
					i, bf, (unsigned)bits);
				bits = bf;
			} else {
				FAIL_IF(off % 8 && !(intlike && bits % 8),
					"member %d bit offset %u is not byte aligned", i, off);
			}
			FAIL_IF(off + bits > limit,
				"member %d at bit %u size %u bits ends past struct size %u", i, off,
				(unsigned)bits, t->size);
		}
		return 0;
	}
	case BTF_KIND_ARRAY:
		k = (int)bbtf_array(t)->index_type;
		/* Nearly always an own INT (clang's __ARRAY_SIZE_TYPE__):
		 * its kind byte answers without a walk. */
		if ((uint32_t)k >= v->start && (uint32_t)k - v->start < v->n &&
		    (v->kinds[(uint32_t)k - v->start] & KB_KIND) == BTF_KIND_INT)
			break;
		k = bbtf_skip_mods(b, bbtf_array(t)->index_type);
		FAIL_IF(k > 0 && bbtf_kind(bbtf_type_by_id(b, (uint32_t)k)) != BTF_KIND_INT,
			"index type [%u] is not an integer", bbtf_array(t)->index_type);
		break;
	case BTF_KIND_VAR:
		/* clang writes a typeless ksym (`extern const void sym __ksym;`)
		 * as an extern VAR of (const) void: a valid object file, which
		 * the ELF module retypes to int before the kernel sees it, as
		 * libbpf does.  Any other VAR needs a size. */
		if (bbtf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN && bbtf_skip_mods(b, t->type) == 0)
			return 0;
		break;
	case BTF_KIND_DECL_TAG:
		cidx = bbtf_decl_tag(t)->component_idx;
		r = bbtf_type_by_id(b, t->type);
		switch (bbtf_kind(r)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			FAIL_IF(cidx >= bbtf_vlen(r), "component_idx %d out of range (%u members)", cidx,
				bbtf_vlen(r));
			break;
		case BTF_KIND_FUNC:
			p = bbtf_type_by_id(b, r->type);
			FAIL_IF(cidx >= 0 && (!p || bbtf_kind(p) != BTF_KIND_FUNC_PROTO ||
					      cidx >= bbtf_vlen(p)),
				"component_idx %d is not a parameter of [%u]", cidx, t->type);
			break;
		case BTF_KIND_VAR:
		case BTF_KIND_TYPEDEF:
			FAIL_IF(cidx != -1, "component_idx %d must be -1 for a %s", cidx,
				bbtf_kind_str(bbtf_kind(r)));
			break;
		default:
			return verr(v, idx, "target [%u] %s cannot carry a decl tag", t->type,
				    bbtf_kind_str(bbtf_kind(r)));
		}
		FAIL_IF(cidx < -1, "component_idx %d is below -1", cidx);
		return 0;
	default:
		return 0;
	}
	/* The size by member_bits()'s walk (the same rules as
	 * bbtf_resolve_size(), with the memo). */
	err = memo_member_bits(ps, v->n, v->start + idx, &size_bits, &size_intlike);
	FAIL_IF(err == -E2BIG, "size overflows 32 bits");
	FAIL_IF(err, "element type has no size");
	return 0;
}

/* After the pass (b->nr set): forward references, loops, then the rules
 * that walk other records. */
static int validate_finish(struct val *v)
{
	const struct pass p = {
		.kinds = v->kinds, .types = v->types, .offs = v->offs, .b = v->b,
		.memo = v->mbits, .memo_mask = v->mbits_mask, .start = v->start, .n = v->n,
	};
	/* The search's stack starts here: clang's objects never go deeper. */
	struct cframe local[64], *stack = local;
	uint32_t stack_cap = 64;
	size_t roots = 0;
	int ret;

	if (v->start + v->n > BTF_MAX_TYPE + 1)
		return bb_err_insn(v->e, -EINVAL, -1, "%u types exceed the BTF limit of %u",
				   v->start + v->n - 1, BTF_MAX_TYPE);
	/* Kinds, and the loop search's roots: a reference whose source or
	 * target is pending in neither graph starts no search in either
	 * (bits are only ever cleared), so the queue keeps, in order, only
	 * those that may.  On clang's objects that is about half. */
	for (size_t k = 0; k < v->fwd.len; k++) {
		const struct fwd_ref *f = bb_vec_at(&v->fwd, struct fwd_ref, k);
		uint32_t r = f->ref - v->start, mask = f->mask_label & ALL_KINDS;

		if (r >= v->n || !((mask >> (v->kinds[r] & KB_KIND)) & 1))
			return ref_fail(v, f->from, f->ref, mask, (int)(f->mask_label >> 24), f->idx);
		if (v->kinds[f->from] & v->kinds[r] & (KB_PEND1 | KB_PEND2))
			*bb_vec_at(&v->fwd, struct fwd_ref, roots++) = *f;
	}
	v->fwd.len = roots;
	/*
	 * Loops.  Following a loop's edges from any of its types returns to
	 * it, and the ids cannot fall all the way round, so every loop has
	 * an edge to an equal or higher id: a queued reference.  So the
	 * search starts only at the targets of queued references that are
	 * edges of the graph searched (few hundred types in vmlinux), not at
	 * every type, and visits only the types the pass left pending (see
	 * KB_PEND1).  Graph 1 has no pointer edges; in graph 2 a named
	 * struct, union or typedef has no edges (see the top of the file).
	 */
	for (int anon = 0; anon < 2 && v->fwd.len; anon++) {
		ret = check_cycles(v->b, v->e, v->kinds, &stack, &stack_cap, local, anon,
				   v->fwd.data, v->fwd.len);
		if (ret) {
			if (stack != local)
				free(stack);
			return ret;
		}
	}
	if (stack != local)
		free(stack);
	for (size_t k = 0; k < v->post.len; k++)
		if ((ret = post_check(v, &p, *bb_vec_at(&v->post, uint32_t, k))))
			return ret;
	return 0;
}

/* String section rules, then the scratch arrays. */
static int val_init(struct val *v, const struct bbtf *b, struct bb_err *e, size_t cap)
{
	const char *zero = bbtf_name(b, 0);
	size_t qfwd, ident_len, mbits_len;
	uint8_t *at;

	memset(v, 0, sizeof(*v));
	v->b = b;
	v->e = e;
	v->types = b->types;
	v->types_len = b->types_len;
	v->start = b->start_id;
	v->str_start = b->str_start;
	v->strs_len = (uint32_t)b->strs_len;
	bb_vec_init(&v->fwd, sizeof(struct fwd_ref));
	bb_vec_init(&v->post, sizeof(uint32_t));
	if (!b->base && (!b->strs_len || b->strs[0]))
		return bb_err_insn(e, -EINVAL, -1, "string section must start with a NUL byte");
	if (b->strs_len && b->strs[b->strs_len - 1])
		return bb_err_insn(e, -EINVAL, -1, "string section must end with a NUL byte");
	if (bbtf__str_end(b) > BTF_MAX_NAME_OFFSET + 1u)
		return bb_err_insn(e, -EINVAL, -1, "string section of %u bytes exceeds the BTF limit",
				   bbtf__str_end(b));
	v->zero_empty = zero && !*zero;
	/* Memo slots: a power of two, about one per 8 possible types (cap
	 * counts 12-byte records, real ones average 25+ bytes; chain types
	 * are a fifth of them), up to the most. */
	v->mbits_mask = 15;
	while (v->mbits_mask < MBITS_SLOTS_MAX - 1 && v->mbits_mask < cap / 8)
		v->mbits_mask = v->mbits_mask * 2 + 1;
	/* Queues sized once for a small BTF (clang's objects refer forward
	 * more often than not): growing from 8 by doubling was a dozen
	 * realloc()s per object.  Larger ones grow from there.  Block
	 * layout, each part 8-byte aligned: memo, bitmap, forward
	 * references, post queue, kind bytes. */
	qfwd = cap < 1024 ? cap : 1024;
	ident_len = (b->strs_len / 64 + 1) * sizeof(uint64_t);
	mbits_len = (v->mbits_mask + 1) * sizeof(*v->mbits);
	v->scratch_len = mbits_len + ident_len + qfwd * sizeof(struct fwd_ref) +
			 ((qfwd * sizeof(uint32_t) + 7) & ~(size_t)7) + (cap ? cap : 1);
	v->scratch = malloc(v->scratch_len);
	if (!v->scratch)
		return val_oom(v);
	at = v->scratch;
	v->mbits = (void *)at;
	memset(v->mbits, 0, mbits_len);
	at += mbits_len;
	v->ident = (void *)at;
	at += ident_len;
	v->fwd.data = at;
	v->fwd.cap = qfwd;
	at += qfwd * sizeof(struct fwd_ref);
	v->post.data = at;
	v->post.cap = qfwd;
	at += (qfwd * sizeof(uint32_t) + 7) & ~(size_t)7;
	v->kinds = (void *)at;
	bbtf__ident_bitmap(b->strs, v->strs_len, v->ident);
	return 0;
}

static void val_free(struct val *v)
{
	/* A queue outside the block grew into its own allocation. */
	if (!in_scratch(v, v->fwd.data))
		free(v->fwd.data);
	if (!in_scratch(v, v->post.data))
		free(v->post.data);
	free(v->scratch);
}

int bbtf__validate(const struct bbtf *b, struct bb_err *e)
{
	struct val v;
	int ret;

	if (bbtf_type_cnt(b) > BTF_MAX_TYPE + 1)
		return bb_err_insn(e, -EINVAL, -1, "%u types exceed the BTF limit of %u",
				   bbtf_type_cnt(b) - 1, BTF_MAX_TYPE);
	ret = val_init(&v, b, e, b->nr);
	if (!ret)
		ret = validate_pass(&v, NULL);
	if (!ret)
		ret = validate_finish(&v);
	val_free(&v);
	return ret;
}

int bbtf_validate(const struct bbtf *btf, struct bb_err *e)
{
	return bbtf__validate(btf, e);
}

/* Locate and validate the records of parsed @b: fills offs and nr. */
static int locate_validate(struct bbtf *b, struct bb_err *e)
{
	/* Every record is at least 12 bytes: a cheap upper bound. */
	size_t cap = b->types_len / sizeof(struct btf_type) + 1;
	struct val v;
	int ret;

	b->offs_cap = cap;
	b->offs = malloc(cap * sizeof(*b->offs));
	if (!b->offs)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	ret = val_init(&v, b, e, cap);
	if (!ret)
		ret = validate_pass(&v, b->offs);
	if (!ret) {
		b->nr = v.n;
		ret = validate_finish(&v);
	}
	val_free(&v);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Parse                                                             */
/* ---------------------------------------------------------------- */

/* Header checks; the type and string sections' file offsets in *tstart
 * and *sstart. */
static int check_header(const void *data, size_t size, const struct bbtf *base,
			struct btf_header *hp, uint64_t *tstart, uint64_t *sstart,
			struct bb_err *e)
{
	struct btf_header h;

	if (!data || size < sizeof(h))
		return bb_err_insn(e, -EINVAL, -1, "BTF of %zu bytes is shorter than its %zu-byte header",
				   data ? size : 0, sizeof(h));
	memcpy(&h, data, sizeof(h));
	if (h.magic == __builtin_bswap16(BTF_MAGIC))
		return bb_err_insn(e, -EINVAL, -1, "BTF is in the other byte order");
	if (h.magic != BTF_MAGIC)
		return bb_err_insn(e, -EINVAL, -1, "bad BTF magic %#06x (want 0xeb9f)", h.magic);
	if (h.version != BTF_VERSION)
		return bb_err_insn(e, -EINVAL, -1, "unsupported BTF version %u", h.version);
	if (h.flags)
		return bb_err_insn(e, -EINVAL, -1, "unsupported BTF header flags %#x", h.flags);
	if (h.hdr_len < sizeof(h) || h.hdr_len > size)
		return bb_err_insn(e, -EINVAL, -1, "BTF hdr_len %u outside %zu..%zu", h.hdr_len,
				   sizeof(h), size);
	/* A longer header from a newer kernel is fine if we lose nothing. */
	for (size_t i = sizeof(h); i < h.hdr_len; i++)
		if (((const uint8_t *)data)[i])
			return bb_err_insn(e, -EINVAL, -1,
					   "BTF header byte %zu is set; header fields past %zu unknown",
					   i, sizeof(h));
	*tstart = (uint64_t)h.hdr_len + h.type_off;
	*sstart = (uint64_t)h.hdr_len + h.str_off;
	if (*tstart + h.type_len > size)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u runs past the %zu-byte BTF",
				   h.type_off, h.type_len, size - h.hdr_len);
	if (*sstart + h.str_len > size)
		return bb_err_insn(e, -EINVAL, -1, "string section %u+%u runs past the %zu-byte BTF",
				   h.str_off, h.str_len, size - h.hdr_len);
	if (*tstart % 4 || h.type_len % 4)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u is not 4-byte aligned",
				   h.type_off, h.type_len);
	if (h.type_len && h.str_len && *tstart < *sstart + h.str_len && *sstart < *tstart + h.type_len)
		return bb_err_insn(e, -EINVAL, -1, "type section %u+%u overlaps string section %u+%u",
				   h.type_off, h.type_len, h.str_off, h.str_len);
	if (!base && !h.str_len)
		return bb_err_insn(e, -EINVAL, -1, "string section is empty");
	*hp = h;
	return 0;
}

/* Release a whole-file buffer: unmap it or free it. */
static void file_buf_release(void *buf, size_t map_len)
{
	if (buf && map_len)
		munmap(buf, map_len);
	else
		free(buf);
}

/*
 * bbtf_parse() and bbtf_parse_file().  With @file_buf set, @data is that
 * buffer (malloc'ed, or mapped over @map_len bytes), the new object takes
 * it over whatever happens, and types/strs point into it; otherwise they
 * are copied, unless @borrow says they may stay in @data (see
 * bbtf_parse_borrow()).
 */
static int parse(const void *data, size_t size, const struct bbtf *base, void *file_buf,
		 size_t map_len, bool borrow, struct bbtf **out, struct bb_err *e)
{
	struct btf_header h = { 0 };
	struct bbtf *b = NULL;
	uint64_t tstart = 0, sstart = 0;
	int ret;

	*out = NULL;
	ret = check_header(data, size, base, &h, &tstart, &sstart, e);
	if (ret)
		goto fail_buf;
	/* bbtf_new()'s fields without its starter buffers, which parsing
	 * would only free again. */
	b = bb_zalloc(1, sizeof(*b));
	if (!b) {
		ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
		goto fail_buf;
	}
	b->base = base;
	b->start_id = base ? bbtf_type_cnt(base) : 1;
	b->str_start = base ? bbtf__str_end(base) : 0;
	/* Type records are read as 4-byte words: borrowed bytes must be
	 * aligned like a copy would be. */
	borrow = borrow && !file_buf && !(((uintptr_t)data + tstart) & 3);
	if (!file_buf && !borrow) {
		/* A copy of the two sections in one block, owned like a read
		 * file's buffer (written in place, freed whole): one
		 * allocation less per object than a block each. */
		file_buf = malloc((size_t)h.type_len + h.str_len + 1);
		if (!file_buf) {
			ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
			goto fail;
		}
		memcpy(file_buf, (const uint8_t *)data + tstart, h.type_len);
		memcpy((uint8_t *)file_buf + h.type_len, (const uint8_t *)data + sstart, h.str_len);
		map_len = 0;
		tstart = 0;
		sstart = h.type_len;
	}
	b->file_buf = file_buf;
	b->file_map_len = map_len;
	b->borrowed = borrow;
	file_buf = NULL;        /* b's now */
	b->types = (uint8_t *)(borrow ? (void *)data : b->file_buf) + tstart;
	b->strs = (char *)(borrow ? (void *)data : b->file_buf) + sstart;
	b->types_len = b->types_cap = h.type_len;
	b->strs_len = b->strs_cap = h.str_len;
	if ((ret = locate_validate(b, e)))
		goto fail;
	b->last_id = 0;         /* the builder does not extend parsed records */
	/* The name index is built by the first lookup: parsing vmlinux to
	 * load a program that never looks a name up should not pay for
	 * hashing 100k names. */
	*out = b;
	return 0;
fail:
	bbtf_free(b);
fail_buf:
	file_buf_release(file_buf, map_len);
	return ret;
}

int bbtf_parse(const void *data, size_t size, const struct bbtf *base,
	       struct bbtf **out, struct bb_err *e)
{
	return parse(data, size, base, NULL, 0, false, out, e);
}

int bbtf_parse_borrow(void *data, size_t size, const struct bbtf *base,
		      struct bbtf **out, struct bb_err *e)
{
	return parse(data, size, base, NULL, 0, true, out, e);
}

int bbtf__own(struct bbtf *b)
{
	uint8_t *types;
	char *strs;
	size_t tcap, scap;

	if (!b->file_buf && !b->borrowed)
		return 0;
	/* Owning is for adding: leave room for a few types and names, or
	 * the first addition copies the whole section a second time. */
	tcap = b->types_len + b->types_len / 16 + 256;
	scap = b->strs_len + b->strs_len / 16 + 256;
	types = malloc(tcap);
	strs = malloc(scap);
	if (!types || !strs) {
		free(types);
		free(strs);
		return -ENOMEM;
	}
	memcpy(types, b->types, b->types_len);
	memcpy(strs, b->strs, b->strs_len);
	file_buf_release(b->file_buf, b->file_map_len);
	b->file_buf = NULL;
	b->file_map_len = 0;
	b->borrowed = false;
	b->types = types;
	b->types_cap = tcap;
	b->strs = strs;
	b->strs_cap = scap;
	return 0;
}

/*
 * Read @path whole, for the parser to keep.  /sys/kernel/btf/ files are
 * mapped read-only where the kernel allows it (6.16+): sysfs hands out
 * bin files one page per read(), so reading vmlinux's 5 MiB is ~1300
 * system calls and 2-5 ms, while the mapping costs ~0.1 ms and no copy.
 * The kernel's BTF never changes under a mapping; a regular file could
 * be truncated (SIGBUS), so those are read, in one fstat()-sized read()
 * rather than a growing buffer; bb_read_file() for pipes and the like.
 * *map_len is set for a mapping.
 */
static long read_whole(const char *path, char **out, size_t *map_len, struct bb_err *e)
{
	struct stat st;
	struct statfs sf;
	size_t got = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	*map_len = 0;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		if (fd >= 0)
			close(fd);
		return bb_read_file(path, out, e);
	}
	if (!fstatfs(fd, &sf) && sf.f_type == SYSFS_MAGIC) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			*out = m;
			*map_len = (size_t)st.st_size;
			return (long)st.st_size;
		}
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			free(buf);
			close(fd);
			return bb_err_insn(e, err, -1, "read error: %s", strerror(-err));
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return (long)got;
}

int bbtf_parse_file(const char *path, const struct bbtf *base, struct bbtf **out,
		    struct bb_err *e)
{
	char *buf = NULL;
	size_t map_len = 0;
	long n;

	*out = NULL;
	bb_err_set_file(e, path);
	n = read_whole(path, &buf, &map_len, e);
	if (n < 0)
		return (int)n;
	if (n >= 4 && !memcmp(buf, "\177ELF", 4)) {
		file_buf_release(buf, map_len);
		return bb_err_insn(e, -ENOTSUP, -1,
				   "ELF object: read its .BTF section with the elf module");
	}
	return parse(buf, (size_t)n, base, buf, map_len, false, out, e);
}

int bbtf_load_vmlinux(const char *path, struct bbtf **out, struct bb_err *e)
{
	return bbtf_parse_file(path ? path : "/sys/kernel/btf/vmlinux", NULL, out, e);
}

void bbtf__dirty(struct bbtf *b)
{
	free(b->raw);
	b->raw = NULL;
	b->raw_len = 0;
	free(b->align_memo);
	b->align_memo = NULL;
}

void bbtf_free(struct bbtf *btf)
{
	if (!btf)
		return;
	bbtf__index_free(btf);
	if (btf->file_buf) {
		file_buf_release(btf->file_buf, btf->file_map_len);
	} else if (!btf->borrowed) {
		free(btf->types);
		free(btf->strs);
	}
	free(btf->offs);
	free(btf->raw);
	free(btf->align_memo);
	free(btf);
}
