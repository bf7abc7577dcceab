/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_helpers.c - helper prototypes as data: argument and return
 * kinds per helper id (isa/isa_helpers.h ids) and the program types that
 * may call each.  A helper not listed here is refused as "not modelled
 * yet", never guessed.
 */
#include "common/bb_uapi.h"
#include "verifier/vf_helpers.h"

/* Program-type groups (the kernel's *_func_proto switches). */
#define ALL  (VF_AV_BASE)
#define TRC  (VF_AV_TRACE)
#define SKB  (VF_AV_SOCK | VF_AV_TC)
#define NET  (VF_AV_SOCK | VF_AV_TC | VF_AV_XDP)

#define P(id_, ret_, a1, a2, a3, a4, a5, av, fl) \
	{ .id = (id_), .ret = (ret_), .args = { a1, a2, a3, a4, a5 }, .avail = (av), .flags = (fl) },

static const struct vf_proto protos[] = {
	P(1, VF_RET_MAP_VALUE_OR_NULL, VF_ARG_MAP, VF_ARG_KEY, 0, 0, 0, ALL, 0)
	P(2, VF_RET_INT, VF_ARG_MAP, VF_ARG_KEY, VF_ARG_VALUE, VF_ARG_ANY, 0, ALL, 0)
	P(3, VF_RET_INT, VF_ARG_MAP, VF_ARG_KEY, 0, 0, 0, ALL, 0)
	P(4, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, 0, TRC, VF_P_GPL)
	P(5, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(6, VF_RET_INT, VF_ARG_MEM, VF_ARG_SIZE, 0, 0, 0, ALL, VF_P_GPL)     /* args 3-5 unchecked */
	P(7, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(8, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(9, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_MEM, VF_ARG_SIZE, VF_ARG_ANY, VF_AV_TC, VF_P_PKT)
	P(10, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_ANY, VF_ARG_ANY, VF_ARG_ANY, VF_AV_TC, VF_P_PKT)
	P(11, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_ANY, VF_ARG_ANY, VF_ARG_ANY, VF_AV_TC, VF_P_PKT)
	P(12, VF_RET_VOID_TAIL, VF_ARG_CTX, VF_ARG_MAP, VF_ARG_ANY, 0, 0, ALL, 0)
	P(14, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(15, VF_RET_INT, 0, 0, 0, 0, 0, TRC, 0)
	P(16, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE, 0, 0, 0, TRC, 0)
	P(23, VF_RET_INT, VF_ARG_ANY, VF_ARG_ANY, 0, 0, 0, VF_AV_TC | VF_AV_XDP, 0)
	P(25, VF_RET_INT, VF_ARG_CTX, VF_ARG_MAP, VF_ARG_ANY, VF_ARG_MEM, VF_ARG_SIZE0, NET | TRC, 0)
	P(26, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_UNINIT_MEM, VF_ARG_SIZE, 0, SKB, 0)
	P(27, VF_RET_INT, VF_ARG_CTX, VF_ARG_MAP, VF_ARG_ANY, 0, 0, TRC, 0)
	P(28, VF_RET_INT, VF_ARG_MEM_OR_NULL, VF_ARG_SIZE0, VF_ARG_MEM_OR_NULL, VF_ARG_SIZE0, VF_ARG_ANY,
	  VF_AV_TC | VF_AV_XDP, 0)
	P(35, VF_RET_INT, 0, 0, 0, 0, 0, TRC, 0)
	P(42, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(44, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, 0, 0, 0, VF_AV_XDP, VF_P_PKT)
	P(45, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE, VF_ARG_ANY, 0, 0, TRC, VF_P_GPL)
	P(51, VF_RET_INT, VF_ARG_MAP, VF_ARG_ANY, VF_ARG_ANY, 0, 0, VF_AV_XDP | VF_AV_TC, 0)
	P(54, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, 0, 0, 0, VF_AV_XDP, VF_P_PKT)
	P(65, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, 0, 0, 0, VF_AV_XDP, VF_P_PKT)
	P(80, VF_RET_INT, 0, 0, 0, 0, 0, TRC, 0)
	P(87, VF_RET_INT, VF_ARG_MAP, VF_ARG_VALUE, VF_ARG_ANY, 0, 0, ALL, 0)
	P(88, VF_RET_INT, VF_ARG_MAP, VF_ARG_UNINIT_VALUE, 0, 0, 0, ALL, 0)
	P(89, VF_RET_INT, VF_ARG_MAP, VF_ARG_UNINIT_VALUE, 0, 0, 0, ALL, 0)
	P(112, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, 0, TRC, VF_P_GPL)
	P(113, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, 0, ALL, VF_P_GPL)
	P(114, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, 0, TRC, VF_P_GPL)
	P(115, VF_RET_INT, VF_ARG_UNINIT_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, 0, ALL, VF_P_GPL)
	P(118, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(125, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(130, VF_RET_INT, VF_ARG_MAP, VF_ARG_MEM, VF_ARG_SIZE0, VF_ARG_ANY, 0, ALL, 0)
	P(131, VF_RET_RINGBUF_OR_NULL, VF_ARG_MAP, VF_ARG_ALLOC_SIZE, VF_ARG_ANY, 0, 0, ALL, 0)
	P(132, VF_RET_VOID, VF_ARG_RINGBUF_MEM, VF_ARG_ANY, 0, 0, 0, ALL, VF_P_RELEASE)
	P(133, VF_RET_VOID, VF_ARG_RINGBUF_MEM, VF_ARG_ANY, 0, 0, 0, ALL, VF_P_RELEASE)
	P(134, VF_RET_INT, VF_ARG_MAP, VF_ARG_ANY, 0, 0, 0, ALL, 0)
	P(160, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
	P(164, VF_RET_INT, VF_ARG_MAP, VF_ARG_FUNC, VF_ARG_STACK_OR_NULL, VF_ARG_ANY, 0, ALL, VF_P_CALLBACK)
	P(181, VF_RET_INT, VF_ARG_ANY, VF_ARG_FUNC, VF_ARG_STACK_OR_NULL, VF_ARG_ANY, 0, ALL, VF_P_CALLBACK)
	P(189, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_UNINIT_MEM, VF_ARG_SIZE, 0, VF_AV_XDP, 0)
	P(190, VF_RET_INT, VF_ARG_CTX, VF_ARG_ANY, VF_ARG_MEM, VF_ARG_SIZE, 0, VF_AV_XDP, 0)
	P(208, VF_RET_INT, 0, 0, 0, 0, 0, ALL, 0)
};

const struct vf_proto *vf_proto(int32_t id)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].id == id)
			return &protos[i];
	return NULL;
}

unsigned vf_prog_avail(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER: return VF_AV_BASE | VF_AV_SOCK;
	case BPF_PROG_TYPE_SCHED_CLS: case BPF_PROG_TYPE_SCHED_ACT: return VF_AV_BASE | VF_AV_TC;
	case BPF_PROG_TYPE_XDP: return VF_AV_BASE | VF_AV_XDP;
	case BPF_PROG_TYPE_KPROBE: case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT: case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_TRACING: case BPF_PROG_TYPE_LSM:
		return VF_AV_BASE | VF_AV_TRACE;
	default: return VF_AV_BASE;
	}
}
