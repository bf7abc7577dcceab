/* SPDX-License-Identifier: MIT */
/*
 * bb_core.h - CO-RE (compile once, run everywhere) access macros.
 *
 * clang records, for every expression wrapped in one of its CO-RE builtins,
 * a relocation in .BTF.ext: "this instruction uses the byte offset / size /
 * existence of field X of local type T".  The loader matches T against the
 * running kernel's BTF by name (ignoring a `___suffix`, so `task_struct___old`
 * is a *flavor* of `task_struct`) and patches the instruction's immediate.
 *
 *   __builtin_preserve_access_index(expr)       field offsets along expr
 *   __builtin_preserve_field_info(field, kind)  one fact about a field
 *   __builtin_preserve_type_info(*(T *)0, kind) existence/size of a type
 *   __builtin_preserve_enum_value(*(E *)V, kind) existence/value of enumerator
 *   __builtin_btf_type_id(*(T *)0, kind)        local or kernel BTF type id
 *
 * The kind numbers below are clang's (they are the second argument of the
 * builtins and end up in the relocation record).  The macro names follow
 * libbpf's so that programs read the same with either header.
 */
#ifndef BAREBPF_CORPUS_BB_CORE_H
#define BAREBPF_CORPUS_BB_CORE_H

#include "bb_helpers.h"

enum bb_field_info_kind {
	BB_FIELD_BYTE_OFFSET = 0,
	BB_FIELD_BYTE_SIZE = 1,
	BB_FIELD_EXISTS = 2,
	BB_FIELD_SIGNED = 3,
	BB_FIELD_LSHIFT_U64 = 4,
	BB_FIELD_RSHIFT_U64 = 5,
};

enum bb_type_id_kind {
	BB_TYPE_ID_LOCAL = 0,
	BB_TYPE_ID_TARGET = 1,
};

enum bb_type_info_kind {
	BB_TYPE_EXISTS = 0,
	BB_TYPE_SIZE = 1,
	BB_TYPE_MATCHES = 2,
};

enum bb_enum_value_kind {
	BB_ENUMVAL_EXISTS = 0,
	BB_ENUMVAL_VALUE = 1,
};

/* Argument counting and dispatch: BB__NARGS(a, b, c) is 3. */
#define BB__NARGS(...) BB__NARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define BB__NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, N, ...) N
#define BB__DISPATCH(name, ...) bb__cat(name, BB__NARGS(__VA_ARGS__))

/*
 * A field is named either as an expression (`task->pid`) or as a type and a
 * member path (`struct task_struct, pid`); both become an lvalue expression.
 */
#define BB__FIELD_REF1(field) (field)
#define BB__FIELD_REF2(type, field) (((typeof(type) *)0)->field)
#define BB__FIELD_REF(...) BB__DISPATCH(BB__FIELD_REF, __VA_ARGS__)(__VA_ARGS__)

/* 1 when the field exists in the running kernel, else 0. */
#define bpf_core_field_exists(...) \
	__builtin_preserve_field_info(BB__FIELD_REF(__VA_ARGS__), BB_FIELD_EXISTS)
/* Size in bytes of the field in the running kernel. */
#define bpf_core_field_size(...) \
	__builtin_preserve_field_info(BB__FIELD_REF(__VA_ARGS__), BB_FIELD_BYTE_SIZE)
/* Byte offset of the field in the running kernel. */
#define bpf_core_field_offset(...) \
	__builtin_preserve_field_info(BB__FIELD_REF(__VA_ARGS__), BB_FIELD_BYTE_OFFSET)

/* Type facts; `type` is a type name such as `struct rq`. */
#define bpf_core_type_exists(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BB_TYPE_EXISTS)
#define bpf_core_type_size(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BB_TYPE_SIZE)
#define bpf_core_type_matches(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BB_TYPE_MATCHES)
#define bpf_core_type_id_local(type) \
	__builtin_btf_type_id(*(typeof(type) *)0, BB_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) \
	__builtin_btf_type_id(*(typeof(type) *)0, BB_TYPE_ID_TARGET)

/* Enumerator facts: bpf_core_enum_value(enum pid_type, PIDTYPE_TGID). */
#define bpf_core_enum_value_exists(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BB_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BB_ENUMVAL_VALUE)

/* ---- reads ---------------------------------------------------------------- */

/* Copy *src (a relocated address) into *dst with bpf_probe_read_kernel. */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src) \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src) \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * BPF_CORE_READ(p, a, b, c) is p->a->b->c where every step is a relocated,
 * probed read: each level reads one value into a temporary whose type is the
 * member's type, then the next level starts from it.  Up to six levels.
 */
#define BB__READ1(s, a) ({ \
	typeof(s) bb__s = (s);	/* evaluated outside the builtin: no nesting */ \
	typeof(bb__s->a) bb__v; \
	bpf_core_read(&bb__v, sizeof(bb__v), &bb__s->a); \
	bb__v; })
#define BB__READ2(s, a, b) BB__READ1(BB__READ1(s, a), b)
#define BB__READ3(s, a, b, c) BB__READ1(BB__READ2(s, a, b), c)
#define BB__READ4(s, a, b, c, d) BB__READ1(BB__READ3(s, a, b, c), d)
#define BB__READ5(s, a, b, c, d, e) BB__READ1(BB__READ4(s, a, b, c, d), e)
#define BB__READ6(s, a, b, c, d, e, f) BB__READ1(BB__READ5(s, a, b, c, d, e), f)
#define BPF_CORE_READ(src, ...) BB__DISPATCH(BB__READ, __VA_ARGS__)(src, __VA_ARGS__)

/* BPF_CORE_READ_INTO(&dst, p, a, b): dst = p->a->b; returns the last
 * read's result (0 or -EFAULT).  The last member may be an array. */
#define BB__INTO1(dst, s, a) ({ \
	typeof(s) bb__s = (s); \
	bpf_core_read(dst, sizeof(*(dst)), &bb__s->a); })
#define BB__INTO2(dst, s, a, b) BB__INTO1(dst, BB__READ1(s, a), b)
#define BB__INTO3(dst, s, a, b, c) BB__INTO1(dst, BB__READ2(s, a, b), c)
#define BB__INTO4(dst, s, a, b, c, d) BB__INTO1(dst, BB__READ3(s, a, b, c), d)
#define BPF_CORE_READ_INTO(dst, src, ...) \
	BB__DISPATCH(BB__INTO, __VA_ARGS__)(dst, src, __VA_ARGS__)

/*
 * Bitfields.  The loader tells us where the bitfield's storage unit starts
 * (BYTE_OFFSET), how big it is (BYTE_SIZE) and the two shifts that move the
 * field to the low bits of a u64 (LSHIFT_U64, then RSHIFT_U64 arithmetic or
 * logical depending on SIGNED).
 */
#define BB__RELO(s, field, kind) __builtin_preserve_field_info((s)->field, BB_FIELD_##kind)

#define BB__BITFIELD_EXTRACT(val, s, field) ({ \
	val <<= BB__RELO(s, field, LSHIFT_U64); \
	if (BB__RELO(s, field, SIGNED)) \
		val = (unsigned long long)((long long)val >> BB__RELO(s, field, RSHIFT_U64)); \
	else \
		val >>= BB__RELO(s, field, RSHIFT_U64); \
	val; })

/* Direct load: for pointers the verifier lets us dereference (tp_btf,
 * fentry, iterators: BTF-typed "trusted" pointers). */
#define BPF_CORE_READ_BITFIELD(s, field) ({ \
	const void *bb__p = (const void *)(s) + BB__RELO(s, field, BYTE_OFFSET); \
	unsigned long long bb__val; \
	/* One offset relocation feeds all four loads below. */ \
	asm volatile("" : "+r"(bb__p)); \
	switch (BB__RELO(s, field, BYTE_SIZE)) { \
	case 1: bb__val = *(const unsigned char *)bb__p; break; \
	case 2: bb__val = *(const unsigned short *)bb__p; break; \
	case 4: bb__val = *(const unsigned int *)bb__p; break; \
	case 8: bb__val = *(const unsigned long long *)bb__p; break; \
	default: bb__val = 0; break; \
	} \
	BB__BITFIELD_EXTRACT(bb__val, s, field); })

/* Probed load: for any kernel pointer (little-endian: the storage unit's
 * bytes land in the low bytes of the u64). */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field) ({ \
	unsigned long long bb__val = 0; \
	bpf_probe_read_kernel(&bb__val, BB__RELO(s, field, BYTE_SIZE), \
			      (const void *)(s) + BB__RELO(s, field, BYTE_OFFSET)); \
	BB__BITFIELD_EXTRACT(bb__val, s, field); })

#endif
