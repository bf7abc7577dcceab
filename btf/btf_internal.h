/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_internal.h - the BTF object's layout, shared by the btf/ sources only.
 *
 * Own types live in one growable byte buffer in file layout (so the raw
 * bytes for BPF_BTF_LOAD are a header plus two memcpy()s), with an array
 * of per-id offsets into it.  Own strings live in a second buffer.  A
 * split BTF's ids start at base->start_id + base->nr and its string
 * offsets at the base's total string length.
 */
#ifndef BAREBPF_BTF_BTF_INTERNAL_H
#define BAREBPF_BTF_BTF_INTERNAL_H

#include "btf/btf.h"

struct bbtf {
	const struct bbtf *base;
	uint32_t start_id;      /* id of own type 0 */
	uint32_t nr;            /* own types */
	uint32_t str_start;     /* combined offset of strs[0] */

	uint8_t *types;         /* own type records, file layout */
	size_t types_len, types_cap;
	uint32_t *offs;         /* offs[i]: offset of own type i in types */
	size_t offs_cap;
	char *strs;             /* own string section */
	size_t strs_len, strs_cap;

	/* Name index over own named types: an open-addressing table keyed
	 * by the essential name (see btf_index.c).  An entry is the own
	 * index + 1 in its low HTAB_IDX_BITS bits and a tag of hash bits
	 * above; 0 is empty.  Built on the first lookup (htab NULL until
	 * then), then kept up to date by the builder. */
	uint32_t *htab;
	uint32_t hmask;         /* slots - 1; 0 with no index */
	uint32_t hcount;        /* own types indexed so far */
	uint32_t hused;         /* slots in use */
	uint32_t scans;         /* lookups answered by a scan (see index_ready()) */

	uint32_t last_id;       /* builder: most recently added type */

	/* bbtf_align() memo over own types (0 = not computed yet): struct
	 * alignment is not in BTF and recomputing it member by member is
	 * exponential on shared sub-structs. */
	uint8_t *align_memo;

	/* bbtf_raw_data() cache, rebuilt after a change. */
	void *raw;
	size_t raw_len;

	/* Parsed from a file: types and strs point into the whole file's
	 * bytes (read into one buffer, or mapped read-only when file_map_len
	 * is set) instead of into copies, saving a copy of every byte (5 MiB
	 * for vmlinux) and its page faults.  bbtf_parse() of memory puts its
	 * copy of the two sections in one such buffer.  Records may be
	 * written in place unless mapped; bbtf__own() gives types and strs
	 * their own growable buffers before the first addition.  NULL when
	 * types and strs are malloc'ed. */
	void *file_buf;
	size_t file_map_len;
	/* bbtf_parse_borrow(): types and strs point into the caller's
	 * writable bytes, which are not ours to free. */
	bool borrowed;
};

/* Combined string total of @b (base strings included). */
static inline uint32_t bbtf__str_end(const struct bbtf *b)
{
	return b->str_start + (uint32_t)b->strs_len;
}

/* Bytes that follow struct btf_type for @t (vlen records etc.). */
size_t bbtf__extra_size(const struct btf_type *t);

/* "type [id] KIND 'name': " prefix + message, -EINVAL. */
int bbtf__type_err(const struct bbtf *b, struct bb_err *e, uint32_t id,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Bitfield width of struct @t's member @i (0 if none) and its bit offset
 * (both encodings; see btf.c). */
uint32_t bbtf__member_bitfield(const struct bbtf *btf, const struct btf_type *t, int i,
			       uint32_t *bit_off);
/* For a STRUCT/UNION: alignment from the members, ignoring packing, and
 * whether BTF's offsets need __attribute__((packed)). */
int bbtf__struct_align(const struct bbtf *btf, uint32_t id, bool *packed);

/* Index maintenance (btf_index.c). */
int bbtf__index_build(struct bbtf *b);
int bbtf__index_add(struct bbtf *b, uint32_t own_idx);
void bbtf__index_free(struct bbtf *b);

/* btf_ident.c: is @s a non-empty C identifier; and the bitmap of the
 * string section's offsets where one starts (bit i of bits[i / 64] set
 * when an identifier starts at offset i; bits has (len + 63) / 64 words). */
bool bbtf__is_identifier(const char *s);
void bbtf__ident_bitmap(const char *strs, uint32_t len, uint64_t *bits);

/* Give @b its own malloc'ed copies of types and strs if they still point
 * into the file's bytes; every change goes through this first. */
int bbtf__own(struct bbtf *b);

/* Drop the cached raw bytes after a change. */
void bbtf__dirty(struct bbtf *b);

/* The full validation pass (btf.c), also run by bbtf_parse(). */
int bbtf__validate(const struct bbtf *b, struct bb_err *e);

/* Build raw bytes for header + @types + @strs into a malloc'ed buffer. */
int bbtf__serialize(const struct bbtf *b, const uint8_t *types, size_t types_len,
		    void **out, size_t *size);

/* Calls @fn for every type id @t refers to; @strong is false for the
 * pointee of a PTR (the one edge C lets a type cycle through).  Stops and
 * returns the first non-zero value @fn returns. */
typedef int (*bbtf__ref_fn)(uint32_t ref, bool strong, void *ctx);
int bbtf__for_each_ref(const struct btf_type *t, bbtf__ref_fn fn, void *ctx);

/* bbtf_resolve_size()'s walk over own types below index @located (and
 * base types); *@first: the first type not a modifier or typedef. */
int64_t bbtf__size_walk(const struct bbtf *btf, uint32_t located, uint32_t id,
			const struct btf_type **first);

/* Depth limit for walks over types that may not have been validated yet
 * (builder output): deeper than any real C type, small enough for the
 * stack. */
#define BBTF__WALK_MAX 256

#endif
