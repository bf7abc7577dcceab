/* SPDX-License-Identifier: MIT */
/* verifier/vf_helpers.h - helper prototype table (data in vf_helpers.c). */
#ifndef BAREBPF_VERIFIER_VF_HELPERS_H
#define BAREBPF_VERIFIER_VF_HELPERS_H

#include <stdint.h>

enum vf_arg {
	VF_ARG_NONE, VF_ARG_ANY, VF_ARG_MAP, VF_ARG_KEY, VF_ARG_VALUE, VF_ARG_UNINIT_VALUE,
	VF_ARG_MEM, VF_ARG_MEM_OR_NULL, VF_ARG_UNINIT_MEM, VF_ARG_SIZE, VF_ARG_SIZE0,
	VF_ARG_ALLOC_SIZE, VF_ARG_CTX, VF_ARG_RINGBUF_MEM,
	VF_ARG_FUNC,            /* a static subprogram (ld_imm64 src 4): the callback */
	VF_ARG_STACK_OR_NULL,   /* the callback's context: a stack pointer or NULL */
	VF_ARG_SOCK_COMMON,     /* ARG_PTR_TO_SOCK_COMMON: sock_common, sock, tcp_sock */
	VF_ARG_BTF_SOCK_COMMON, /* ARG_PTR_TO_BTF_ID_SOCK_COMMON: those or a BTF socket */
	VF_ARG_SPIN_LOCK,       /* ARG_PTR_TO_SPIN_LOCK: a map value's struct bpf_spin_lock */
};
enum vf_ret {
	VF_RET_INT, VF_RET_VOID, VF_RET_VOID_TAIL, VF_RET_MAP_VALUE_OR_NULL,
	VF_RET_RINGBUF_OR_NULL,
	VF_RET_SOCK_OR_NULL, VF_RET_SOCK_COMMON_OR_NULL, VF_RET_TCP_SOCK_OR_NULL,
};
enum { VF_AV_BASE = 1, VF_AV_SOCK = 2, VF_AV_TC = 4, VF_AV_XDP = 8, VF_AV_TRACE = 16,
       VF_AV_CGSKB = 32 };
enum { VF_P_GPL = 1, VF_P_PKT = 2, VF_P_RELEASE = 4,
       VF_P_CALLBACK = 8,       /* calls its VF_ARG_FUNC argument (sync) */
       VF_P_ACQUIRE = 16,       /* returns a new reference (is_acquire_function) */
       VF_P_CAST = 32 };        /* returns its argument's reference (is_ptr_cast_function) */

struct vf_proto {
	int32_t id;             /* isa/isa_helpers.h */
	uint8_t ret;            /* enum vf_ret */
	uint8_t args[5];        /* enum vf_arg */
	uint8_t avail;          /* VF_AV_* groups that may call it */
	uint8_t flags;          /* VF_P_* */
};

const struct vf_proto *vf_proto(int32_t id);    /* NULL: not modelled */
unsigned vf_prog_avail(uint32_t prog_type);     /* VF_AV_* of a program type */

#endif
