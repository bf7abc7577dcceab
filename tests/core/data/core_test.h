/* SPDX-License-Identifier: MIT */
/* tests/core/data: what the CO-RE test programs need, without libbpf. */
#ifndef CORE_TEST_H
#define CORE_TEST_H

#define SEC(name) __attribute__((section(name), used))
#define PAI __attribute__((preserve_access_index))

/* clang's builtin kinds (see corpus/include/bb_core.h) */
#define FIELD(x, kind) __builtin_preserve_field_info(x, kind)
#define F_OFF 0
#define F_SIZE 1
#define F_EXISTS 2
#define F_SIGNED 3
#define F_LSHIFT 4
#define F_RSHIFT 5
#define TYPE(t, kind) __builtin_preserve_type_info(*(t *)0, kind)
#define T_EXISTS 0
#define T_SIZE 1
#define T_MATCHES 2
#define TYPE_ID(t, kind) __builtin_btf_type_id(*(t *)0, kind)
#define ENUMVAL(e, v, kind) __builtin_preserve_enum_value(*(e *)v, kind)

typedef unsigned long long u64;

char LICENSE[] SEC("license") = "GPL";

#endif
