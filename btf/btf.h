/* SPDX-License-Identifier: MIT */
/*
 * btf/btf.h - BPF Type Format: parse and validate, look up, dump as C,
 * sanitize for older kernels, build, write out; and .BTF.ext (func_info,
 * line_info, CO-RE relocations).
 *
 * Prefix: bbtf_ (libbpf exports btf_ and btf__, and a bench binary links
 * both).  Record layouts are the kernel's uapi ones from <linux/btf.h>
 * (struct btf_type, btf_member, ...) so code that knows the kernel docs
 * reads ours unchanged.
 *
 * Type ids: 0 is void.  A base BTF (vmlinux) holds ids 1..N-1; a split
 * BTF (a kernel module's, or one built on top of vmlinux) continues at N,
 * and its string offsets continue after the base's string section.  Every
 * lookup on a split BTF sees the base's types and strings too.
 *
 * Errors: every function that can fail returns a negative errno and, when
 * given one, fills the struct bb_err.  Validation messages name the type:
 *   type [123] STRUCT 'task_struct': member 5 type id 999999 out of range
 * Set e->file / e->section (bb_err_set_file/_section) before calling to
 * have them appear in the error line; they are kept.
 *
 * Threads: a struct bbtf keeps lazy caches (raw bytes, struct alignment)
 * that const functions fill, so one object must not be used from two
 * threads at once without a lock.
 */
#ifndef BAREBPF_BTF_BTF_H
#define BAREBPF_BTF_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bpf.h>
#include <linux/btf.h>

#include "common/bb.h"

/*
 * BTF constants newer than some uapi headers we might build against
 * (Debian's 6.1 header has all of them; the guards keep older ones
 * building).  Values are the kernel's ABI.
 */
#ifndef BTF_KIND_ENUM64
#define BTF_KIND_ENUM64 19
#endif
#ifndef BTF_KIND_TYPE_TAG
#define BTF_KIND_TYPE_TAG 18
#endif
#ifndef BTF_KIND_DECL_TAG
#define BTF_KIND_DECL_TAG 17
#endif
#ifndef BTF_KIND_FLOAT
#define BTF_KIND_FLOAT 16
#endif
#define BBTF_KIND_MAX 19        /* highest kind this module understands */

/* The magic of a .BTF.ext section is the same as .BTF's. */
#define BBTF_EXT_MAGIC 0xeB9F

struct bbtf;

/* ------------------------------------------------------------------ */
/* Parse, load, free                                                   */
/* ------------------------------------------------------------------ */

/*
 * Parse and validate raw BTF (header + type section + string section, as
 * in a .BTF ELF section or /sys/kernel/btf/<name>).  The bytes are copied;
 * @data may be freed afterwards.  @base is NULL for standalone BTF, or the
 * base for split BTF (it must outlive the result and not change).
 * On success *out is the new object (free with bbtf_free()).
 * Validation covers the header, the string section, every kind's fields,
 * every type id and name offset, reference cycles that do not pass through
 * a pointer, and sizes that overflow; failures are -EINVAL naming the type.
 * Host byte order only (BTF for another-endian target gives -EINVAL
 * "wrong byte order").
 */
int bbtf_parse(const void *data, size_t size, const struct bbtf *base,
	       struct bbtf **out, struct bb_err *e);

/* bbtf_parse() without the copy: the result's types and strings stay in
 * @data, which must stay valid while it lives, and changes to the types
 * (bbtf_type_mut()) are written there; the first addition moves them
 * into buffers of its own.  For a caller that holds the bytes anyway (an
 * ELF object's .BTF section).  Copies after all when the type records
 * would not be 4-byte aligned in @data. */
int bbtf_parse_borrow(void *data, size_t size, const struct bbtf *base,
		      struct bbtf **out, struct bb_err *e);

/* Read a raw BTF file (e.g. /sys/kernel/btf/vmlinux) and bbtf_parse() it.
 * e->file is set to @path.  An ELF file gives -ENOTSUP (use elf/). */
int bbtf_parse_file(const char *path, const struct bbtf *base,
		    struct bbtf **out, struct bb_err *e);

/* The running kernel's BTF: @path, or /sys/kernel/btf/vmlinux if NULL.
 * Files under /sys/kernel/btf/ are mapped, not read, where the kernel
 * allows it (6.16+), and the object keeps the mapping.  The name index is
 * built by the first lookup, after which bbtf_find_by_name_kind() is
 * O(1). */
int bbtf_load_vmlinux(const char *path, struct bbtf **out, struct bb_err *e);

/* Re-run full validation (e.g. after building types with bbtf_add_*()). */
int bbtf_validate(const struct bbtf *btf, struct bb_err *e);

/* NULL-safe.  Does not free the base. */
void bbtf_free(struct bbtf *btf);

/* ------------------------------------------------------------------ */
/* Types and names                                                     */
/* ------------------------------------------------------------------ */

/* One past the highest type id (base types included); ids are 0..n-1. */
uint32_t bbtf_type_cnt(const struct bbtf *btf);
/* First type id this object holds (1 for base BTF, base's count for split). */
uint32_t bbtf_start_id(const struct bbtf *btf);
const struct bbtf *bbtf_base(const struct bbtf *btf);

/* The type with @id (looked up in the base for base ids).  Id 0 gives a
 * zeroed "void" record of kind BTF_KIND_UNKN; an id out of range gives
 * NULL. */
const struct btf_type *bbtf_type_by_id(const struct bbtf *btf, uint32_t id);

/* Mutable access for fix-ups the ELF module makes (DATASEC sizes, VAR
 * offsets).  Only this object's own ids (not base ids); NULL for others
 * or when out of memory.  Invalidates the bytes bbtf_raw_data() returned.
 * Changing a name_off needs bbtf_reindex() before the next lookup by
 * name.  BTF that bbtf_parse_file() mapped from /sys/kernel/btf/ is
 * read-only memory: the first call copies its records, so type pointers
 * taken from it before then go stale (as after any bbtf_add_*()). */
struct btf_type *bbtf_type_mut(struct bbtf *btf, uint32_t id);
int bbtf_reindex(struct bbtf *btf);

/* String at offset @off of the (combined base + own) string section;
 * NULL if out of range.  Offset 0 is "". */
const char *bbtf_name(const struct bbtf *btf, uint32_t off);
/* The type's name ("" for anonymous types, NULL for a bad id). */
const char *bbtf_type_name(const struct bbtf *btf, uint32_t id);

/* Lowest id of a type named @name of kind @kind (BTF_KIND_*), or -ENOENT.
 * @kind < 0 matches any kind.  Base BTF is searched first. */
int bbtf_find_by_name_kind(const struct bbtf *btf, const char *name, int kind);
/* The next such id after @after (for names that occur several times), or
 * -ENOENT.  bbtf_find_by_name_kind(b, n, k) == bbtf_find_next(b, n, k, 0). */
int bbtf_find_next(const struct bbtf *btf, const char *name, int kind,
		   uint32_t after);

/* The own types of kind @kind, in id order: the first @max ids go to
 * @ids; returns how many there are.  One pass over the records, for a
 * caller about to look several of one kind up by name before the name
 * index would pay off (the ELF module's DATASECs). */
size_t bbtf_ids_of_kind(const struct bbtf *btf, int kind, uint32_t *ids, size_t max);

/* Length of @name without a trailing "___flavor" (CO-RE's essential
 * name: "task_struct___old" -> 11): the text up to the last "X___Y"
 * separator, X and Y not '_'. */
size_t bbtf_essential_len(const char *name);
/* Append to @ids (a bb_vec of uint32_t) the id of every type, base types
 * first, whose essential name is the first @len bytes of @name, in id
 * order, any kind (CO-RE's candidate search).  Returns how many were
 * appended, or -ENOMEM.  Uses the name index, so it costs one hash and a
 * short chain, not a scan of the target. */
int bbtf_find_essential(const struct bbtf *btf, const char *name, size_t len,
			struct bb_vec *ids);

/* "STRUCT", "TYPEDEF", ...; "UNKNOWN" for bad kinds. */
const char *bbtf_kind_str(int kind);

/* Size in bytes of the type (following typedefs, modifiers, arrays); or
 * -EINVAL for types without a size (void, FUNC, FUNC_PROTO, FWD) and
 * -E2BIG if it does not fit in 32 bits. */
int64_t bbtf_resolve_size(const struct bbtf *btf, uint32_t id);
/* Follow TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG to the first
 * other type; returns its id (0 for void) or -EINVAL on a bad id/loop. */
int bbtf_skip_mods(const struct bbtf *btf, uint32_t id);
/* Natural alignment as the C compiler would see it (1..8), or -EINVAL. */
int bbtf_align(const struct bbtf *btf, uint32_t id);

/* Raw record accessors.  @t must come from bbtf_type_by_id()/_mut(). */
static inline int bbtf_kind(const struct btf_type *t) { return BTF_INFO_KIND(t->info); }
static inline uint16_t bbtf_vlen(const struct btf_type *t) { return BTF_INFO_VLEN(t->info); }
static inline bool bbtf_kflag(const struct btf_type *t) { return BTF_INFO_KFLAG(t->info); }
static inline uint32_t bbtf_info(int kind, int vlen, bool kflag)
{
	return ((uint32_t)kflag << 31) | ((uint32_t)(kind & 0x1f) << 24) | (uint32_t)(vlen & 0xffff);
}
static inline uint32_t bbtf_int_data(const struct btf_type *t) { return *(const uint32_t *)(t + 1); }
static inline struct btf_member *bbtf_members(const struct btf_type *t) { return (struct btf_member *)(t + 1); }
static inline struct btf_param *bbtf_params(const struct btf_type *t) { return (struct btf_param *)(t + 1); }
static inline struct btf_enum *bbtf_enums(const struct btf_type *t) { return (struct btf_enum *)(t + 1); }
static inline struct btf_enum64 *bbtf_enums64(const struct btf_type *t) { return (struct btf_enum64 *)(t + 1); }
static inline struct btf_array *bbtf_array(const struct btf_type *t) { return (struct btf_array *)(t + 1); }
static inline struct btf_var *bbtf_var(const struct btf_type *t) { return (struct btf_var *)(t + 1); }
static inline struct btf_var_secinfo *bbtf_secinfos(const struct btf_type *t) { return (struct btf_var_secinfo *)(t + 1); }
static inline struct btf_decl_tag *bbtf_decl_tag(const struct btf_type *t) { return (struct btf_decl_tag *)(t + 1); }
/* Member bit offset and bitfield size (0 = not a bitfield), honouring the
 * struct's kind_flag. */
static inline uint32_t bbtf_member_bit_offset(const struct btf_type *t, int i)
{
	uint32_t off = bbtf_members(t)[i].offset;

	return bbtf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(off) : off;
}
static inline uint32_t bbtf_member_bitfield_size(const struct btf_type *t, int i)
{
	return bbtf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(bbtf_members(t)[i].offset) : 0;
}
static inline int64_t bbtf_enum64_val(const struct btf_enum64 *v)
{
	return (int64_t)(((uint64_t)v->val_hi32 << 32) | v->val_lo32);
}

/* ------------------------------------------------------------------ */
/* Write out and build                                                 */
/* ------------------------------------------------------------------ */

/* Raw bytes of this object (header + own types + own strings), ready for
 * BPF_BTF_LOAD.  Owned by @btf, valid until the next change to it. */
const void *bbtf_raw_data(const struct bbtf *btf, size_t *size);

/*
 * Builder.  bbtf_new() starts an empty object (@base as in bbtf_parse()).
 * The bbtf_add_*() functions append one type and return its id, or a
 * negative errno (-ENOMEM; -EINVAL for a NULL/oversized argument).  They
 * do NOT validate references, so tests can build malformed BTF; run
 * bbtf_validate() (or bbtf_parse() of bbtf_raw_data()) to check.
 * Members, enum values, params and secinfos are appended to the most
 * recently added STRUCT/UNION, ENUM/ENUM64, FUNC_PROTO or DATASEC.
 * A NULL or "" name means anonymous.
 */
int bbtf_new(const struct bbtf *base, struct bbtf **out);
/* Offset of @s in the string section, adding it if new. */
int bbtf_add_str(struct bbtf *btf, const char *s);
int bbtf_add_int(struct bbtf *btf, const char *name, uint32_t size, int encoding);
int bbtf_add_float(struct bbtf *btf, const char *name, uint32_t size);
int bbtf_add_ptr(struct bbtf *btf, uint32_t type);
int bbtf_add_array(struct bbtf *btf, uint32_t elem, uint32_t index, uint32_t nelems);
int bbtf_add_struct(struct bbtf *btf, const char *name, uint32_t size);
int bbtf_add_union(struct bbtf *btf, const char *name, uint32_t size);
/* A non-zero @bitfield_size sets the struct's kind_flag (and re-encodes
 * earlier members' offsets for it). */
int bbtf_add_member(struct bbtf *btf, const char *name, uint32_t type,
		    uint32_t bit_offset, uint32_t bitfield_size);
int bbtf_add_enum(struct bbtf *btf, const char *name, uint32_t size, bool is_signed);
int bbtf_add_enum64(struct bbtf *btf, const char *name, uint32_t size, bool is_signed);
int bbtf_add_enum_value(struct bbtf *btf, const char *name, int64_t value);
int bbtf_add_fwd(struct bbtf *btf, const char *name, bool is_union);
int bbtf_add_typedef(struct bbtf *btf, const char *name, uint32_t type);
int bbtf_add_volatile(struct bbtf *btf, uint32_t type);
int bbtf_add_const(struct bbtf *btf, uint32_t type);
int bbtf_add_restrict(struct bbtf *btf, uint32_t type);
int bbtf_add_type_tag(struct bbtf *btf, const char *value, uint32_t type);
int bbtf_add_func(struct bbtf *btf, const char *name, int linkage, uint32_t proto);
int bbtf_add_func_proto(struct bbtf *btf, uint32_t ret);
/* @type 0 with an anonymous name as the last param means "...". */
int bbtf_add_param(struct bbtf *btf, const char *name, uint32_t type);
int bbtf_add_var(struct bbtf *btf, const char *name, int linkage, uint32_t type);
int bbtf_add_datasec(struct bbtf *btf, const char *name, uint32_t size);
int bbtf_add_secinfo(struct bbtf *btf, uint32_t var, uint32_t offset, uint32_t size);
/* @component_idx -1 tags the type itself, else member/param number. */
int bbtf_add_decl_tag(struct bbtf *btf, const char *value, uint32_t type, int component_idx);
/* Append a raw record: @t followed by @extra_len bytes of @extra (a
 * multiple of 4), copied verbatim (for malformed-input tests and for
 * copying types). */
int bbtf_add_raw(struct bbtf *btf, const struct btf_type *t, const void *extra,
		 size_t extra_len);

/* ------------------------------------------------------------------ */
/* Dump                                                                */
/* ------------------------------------------------------------------ */

struct bbtf_dump_opts {
	const char *guard;              /* include guard; NULL: __VMLINUX_H__ */
	bool no_guard;                  /* no #ifndef guard */
	bool no_preserve_access_index;  /* no #pragma clang attribute */
	bool no_type_tags;              /* drop btf_type_tag attributes */
	bool no_decl_tags;              /* drop btf_decl_tag attributes */
};

/*
 * Write every named type (and what they need) as a C header that compiles
 * with clang -target bpf: dependency order, forward declarations for
 * types only used through pointers, anonymous structs/unions inline,
 * bitfields, packed/padded layouts reproducing BTF offsets exactly, enums
 * and enum64, function pointers, typedef chains, duplicate names renamed
 * with "___2" suffixes, the preserve_access_index pragma and the
 * include guard.  @opts may be NULL.  Write errors give -EIO.
 */
int bbtf_dump_c(const struct bbtf *btf, FILE *out, const struct bbtf_dump_opts *opts,
		struct bb_err *e);
/* bpftool-style "[id] KIND 'name' size=.. ..." listing of own types. */
int bbtf_dump_raw(const struct bbtf *btf, FILE *out, struct bb_err *e);

/* Per-kind counts (index BTF_KIND_*, 0..BBTF_KIND_MAX) and string size. */
struct bbtf_stats {
	uint32_t kinds[BBTF_KIND_MAX + 1];
	uint32_t types;                 /* own types */
	uint32_t str_len;               /* own string section bytes */
};
void bbtf_stats(const struct bbtf *btf, struct bbtf_stats *st);

/* ------------------------------------------------------------------ */
/* Sanitize for older kernels                                          */
/* ------------------------------------------------------------------ */

/* What the target kernel's BTF understands (BPF_BTF_LOAD probes). */
enum bbtf_feature {
	BBTF_FEAT_FUNC         = 1u << 0,   /* FUNC, FUNC_PROTO (5.0) */
	BBTF_FEAT_DATASEC      = 1u << 1,   /* VAR, DATASEC (5.2) */
	BBTF_FEAT_FUNC_GLOBAL  = 1u << 2,   /* FUNC linkage global/extern (5.6) */
	BBTF_FEAT_FLOAT        = 1u << 3,   /* FLOAT (5.13) */
	BBTF_FEAT_DECL_TAG     = 1u << 4,   /* DECL_TAG (5.16) */
	BBTF_FEAT_TYPE_TAG     = 1u << 5,   /* TYPE_TAG (5.17) */
	BBTF_FEAT_ENUM64       = 1u << 6,   /* ENUM64, signed ENUM kind_flag (6.0) */
	BBTF_FEAT_QMARK_DATASEC = 1u << 7,  /* DATASEC names starting '?' (5.19) */
	BBTF_FEAT_ALL          = (1u << 8) - 1,
};

/*
 * Rewrite what a kernel without @features cannot load, the way libbpf
 * does, keeping every type id and record size so .BTF.ext and CO-RE ids
 * stay valid:
 *   no DATASEC:  VAR -> 1-byte INT; DATASEC -> STRUCT of its vars (names
 *                with '.'/'?' made '_')
 *   no QMARK_DATASEC: DATASEC "?x" -> "_x"
 *   no FUNC:     FUNC_PROTO -> ENUM (params become values); FUNC -> TYPEDEF
 *   no FUNC_GLOBAL: FUNC linkage -> static
 *   no FLOAT:    FLOAT -> anonymous empty STRUCT of the same size
 *   no DECL_TAG: DECL_TAG -> 1-byte INT named like the tag
 *   no TYPE_TAG: TYPE_TAG -> CONST
 *   no ENUM64:   ENUM kind_flag cleared; ENUM64 -> UNION of 1-byte INT
 *                "enum64_placeholder" members (one INT appended)
 * On success *out is a malloc'ed raw BTF blob (caller frees) of *size bytes.
 * @btf is not changed.
 */
int bbtf_sanitize(const struct bbtf *btf, unsigned int features, void **out,
		  size_t *size, struct bb_err *e);

/* ------------------------------------------------------------------ */
/* .BTF.ext                                                            */
/* ------------------------------------------------------------------ */

/* Records in the kernel's layout (struct bpf_func_info, bpf_line_info,
 * bpf_core_relo), with insn_off in BYTES from the start of the ELF
 * section, as in the file.  The loader divides by 8 (and adds the
 * program's offset) before BPF_PROG_LOAD. */
struct bbtf_ext_func {
	uint32_t insn_off;
	uint32_t type_id;       /* a FUNC */
};
struct bbtf_ext_line {
	uint32_t insn_off;
	uint32_t file_name_off; /* string offsets in .BTF */
	uint32_t line_off;
	uint32_t line_col;      /* line << 10 | column */
};
#define BBTF_LINE_NUM(line_col) ((line_col) >> 10)
#define BBTF_LINE_COL(line_col) ((line_col) & 0x3ff)
struct bbtf_ext_core {
	uint32_t insn_off;
	uint32_t type_id;
	uint32_t access_str_off;
	uint32_t kind;          /* enum bpf_core_relo_kind */
};

/* Everything .BTF.ext says about one ELF section. */
struct bbtf_ext_sec {
	const char *name;       /* points into the .BTF strings */
	uint32_t name_off;
	struct bbtf_ext_func *funcs;
	size_t n_funcs;
	struct bbtf_ext_line *lines;
	size_t n_lines;
	struct bbtf_ext_core *cores;
	size_t n_cores;
};

struct bbtf_ext {
	struct bbtf_ext_sec *secs;
	size_t n_secs;
	/* Record sizes from the file (>= our struct sizes; extra bytes are
	 * ignored so newer compilers' records still parse). */
	uint32_t func_rec_size, line_rec_size, core_rec_size;
};

/*
 * Parse .BTF.ext bytes against the object's @btf (section names, type ids
 * and string offsets are checked against it).  Sections are grouped by
 * name in file order.  *out is freed with bbtf_ext_free().
 */
int bbtf_ext_parse(const void *data, size_t size, const struct bbtf *btf,
		   struct bbtf_ext **out, struct bb_err *e);
void bbtf_ext_free(struct bbtf_ext *ext);
const struct bbtf_ext_sec *bbtf_ext_sec_by_name(const struct bbtf_ext *ext,
						const char *name);

/* A line_info entry made readable.  @file and @text point into the .BTF
 * strings (text is the source line as clang recorded it, "" if none). */
struct bbtf_src_line {
	const char *file;
	const char *text;
	uint32_t line;
	uint32_t col;
};
int bbtf_line_info(const struct bbtf *btf, const struct bbtf_ext_line *l,
		   struct bbtf_src_line *out, struct bb_err *e);

/* CO-RE access string "0:1:2" -> spec indices.  Returns the count (>= 1)
 * or -EINVAL (empty, non-digit, overflow) / -E2BIG (more than @max). */
#define BBTF_CORE_SPEC_MAX 64
int bbtf_core_access_parse(const char *s, uint32_t *idx, int max, struct bb_err *e);
/* libbpf's names: "byte_off", "target_type_id", ...; "unknown" if bad. */
const char *bbtf_core_kind_str(uint32_t kind);

#endif
