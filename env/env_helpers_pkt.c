/* SPDX-License-Identifier: MIT */
/*
 * env/env_helpers_pkt.c - packet helpers over the run's packet
 * (env->cur: [data_meta, data, data_end) inside the MAP_32BIT buffer),
 * with the kernel's bounds, errno and side effects (net/core/filter.c).
 * A helper that moves the packet writes the new addresses back into the
 * context's 32-bit data fields, as the kernel's pointers move.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <string.h>

#include "common/bb_uapi.h"

#define PTR(r) ((void *)(uintptr_t)(r))
#define XDP_FRAME_SIZE 40u      /* sizeof(struct xdp_frame), kept at the
				 * start of the headroom */

static void sync_ctx(struct env *env)
{
	struct env_cur *c = &env->cur;
	uint32_t d = (uint32_t)(uintptr_t)c->data, de = (uint32_t)(uintptr_t)c->data_end,
		 dm = (uint32_t)(uintptr_t)c->data_meta;

	if (env->cur.prog->type == BPF_PROG_TYPE_XDP) {
		memcpy(c->ctx + XDP_MD_DATA, &d, 4);
		memcpy(c->ctx + XDP_MD_DATA_END, &de, 4);
		memcpy(c->ctx + XDP_MD_DATA_META, &dm, 4);
	} else {
		uint32_t len = de - d;

		memcpy(c->ctx + SKB_DATA, &d, 4);
		memcpy(c->ctx + SKB_DATA_END, &de, 4);
		memcpy(c->ctx + SKB_DATA_META, &dm, 4);
		memcpy(c->ctx + SKB_LEN, &len, 4);
	}
}

static bool have_packet(struct vm_call *call)
{
	struct env *env = env_of(call);

	if (env->cur.data)
		return true;
	env_stop(call, -EINVAL, "the program has no packet");
	return false;
}

uint64_t env_h_skb_load_bytes(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	if (!have_packet(call))
		return 0;
	if (off > INT32_MAX || (uint64_t)off + len > (uint64_t)(c->data_end - c->data)) {
		memset(PTR(r3), 0, len);
		return (uint64_t)(int64_t)-EFAULT;
	}
	memcpy(PTR(r3), c->data + off, len);
	return 0;
}

uint64_t env_h_skb_store_bytes(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	if (!have_packet(call))
		return 0;
	if (r5 & ~(uint64_t)(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH))
		return (uint64_t)(int64_t)-EINVAL;
	if (off > INT32_MAX || (uint64_t)off + len > (uint64_t)(c->data_end - c->data))
		return (uint64_t)(int64_t)-EFAULT;
	memmove(c->data + off, PTR(r3), len);
	return 0;
}

/* bpf_xdp_pointer(): offsets and lengths above 0xffff are -EFAULT, past
 * the end -EINVAL; the buffer is left alone on error. */
static int xdp_span(struct env_cur *c, uint64_t off, uint64_t len)
{
	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	if (off + len > (uint64_t)(c->data_end - c->data))
		return -EINVAL;
	return 0;
}

uint64_t env_h_xdp_load_bytes(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	int ret;

	if (!have_packet(call))
		return 0;
	ret = xdp_span(c, (uint32_t)r2, (uint32_t)r4);
	if (ret < 0)
		return (uint64_t)(int64_t)ret;
	memcpy(PTR(r3), c->data + (uint32_t)r2, (uint32_t)r4);
	return 0;
}

uint64_t env_h_xdp_store_bytes(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	int ret;

	if (!have_packet(call))
		return 0;
	ret = xdp_span(c, (uint32_t)r2, (uint32_t)r4);
	if (ret < 0)
		return (uint64_t)(int64_t)ret;
	memmove(c->data + (uint32_t)r2, PTR(r3), (uint32_t)r4);
	return 0;
}

uint64_t env_h_xdp_adjust_head(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct env_cur *c = &env->cur;
	int32_t off = (int32_t)r2;
	size_t metalen;
	uint8_t *data;

	if (!have_packet(call))
		return 0;
	metalen = (size_t)(c->data - c->data_meta);
	data = c->data + off;
	if (data < c->buf + XDP_FRAME_SIZE + metalen || data > c->data_end - ENV_ETH_HLEN)
		return (uint64_t)(int64_t)-EINVAL;
	if (metalen)
		memmove(c->data_meta + off, c->data_meta, metalen);
	c->data_meta += off;
	c->data = data;
	sync_ctx(env);
	return 0;
}

uint64_t env_h_xdp_adjust_meta(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct env_cur *c = &env->cur;
	uint8_t *meta;
	size_t metalen;

	if (!have_packet(call))
		return 0;
	meta = c->data_meta + (int32_t)r2;
	if (meta < c->buf + XDP_FRAME_SIZE || meta > c->data)
		return (uint64_t)(int64_t)-EINVAL;
	metalen = (size_t)(c->data - meta);
	if ((metalen & 3) || metalen > 32)
		return (uint64_t)(int64_t)-EACCES;
	c->data_meta = meta;
	sync_ctx(env);
	return 0;
}

uint64_t env_h_xdp_adjust_tail(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct env_cur *c = &env->cur;
	int32_t off = (int32_t)r2;
	uint8_t *end;

	if (!have_packet(call))
		return 0;
	end = c->data_end + off;
	if (end > c->buf + c->tail_limit || end < c->data + ENV_ETH_HLEN)
		return (uint64_t)(int64_t)-EINVAL;
	/* Grown bytes are cleared: they could hold old data. */
	if (off > 0)
		memset(c->data_end, 0, (size_t)off);
	c->data_end = end;
	sync_ctx(env);
	return 0;
}

/* bpf_redirect: XDP answers XDP_REDIRECT (XDP_ABORTED for any flag),
 * tc TC_ACT_REDIRECT (TC_ACT_SHOT for unknown flags). */
uint64_t env_h_redirect(uint64_t r1, uint64_t r2, uint64_t r3,
			uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	bool xdp = env->cur.prog && env->cur.prog->type == BPF_PROG_TYPE_XDP;

	if (xdp ? r2 != 0 : (r2 & ~(uint64_t)BPF_F_INGRESS) != 0)
		return xdp ? 0 /* XDP_ABORTED */ : 2 /* TC_ACT_SHOT */;
	env->cur.redirect_ifindex = (uint32_t)r1;
	env->cur.redirect_flags = r2;
	return xdp ? 4 /* XDP_REDIRECT */ : 7 /* TC_ACT_REDIRECT */;
}

/* bpf_redirect_map(map, key, flags): XDP_REDIRECT when the key has an
 * entry, else the action in the low flag bits. */
uint64_t env_h_redirect_map(uint64_t r1, uint64_t r2, uint64_t r3,
			    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct map *m = (struct map *)(uintptr_t)r1;
	uint32_t key = (uint32_t)r2;

	if (!env_is_map(env, r1))
		return env_stop(call, -EINVAL, "0x%llx is not a map", (unsigned long long)r1);
	if (r3 & ~(uint64_t)(3 | BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS))
		return 0;       /* XDP_ABORTED */
	if (!map_elem_ptr(m, &key, env->cpu))
		return r3 & 3;
	env->cur.redirect_ifindex = key;
	env->cur.redirect_flags = r3;
	return 4;
}

/* csum_partial() as x86-64 computes it: the ones'-complement sum of the
 * buffer as little-endian 32-bit words (a trailing 1..3 bytes
 * zero-padded), folded to 32 bits, added to @seed. */
static uint32_t csum_partial(const uint8_t *p, size_t len, uint32_t seed)
{
	uint64_t sum = seed;

	while (len >= 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		sum += w;
		p += 4;
		len -= 4;
	}
	if (len) {
		uint32_t w = 0;

		memcpy(&w, p, len);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

/* bpf_csum_diff(from, from_size, to, to_size, seed): sizes multiples of
 * 4 and together at most 512 bytes; the sum of ~from and to. */
uint64_t env_h_csum_diff(uint64_t r1, uint64_t r2, uint64_t r3,
			 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	uint32_t diff[128];
	size_t j = 0;

	if (((r2 | r4) & 3) || r2 + r4 > sizeof(diff))
		return (uint64_t)(int64_t)-EINVAL;
	for (size_t i = 0; i < r2 / 4; i++) {
		uint32_t w;

		memcpy(&w, (const uint8_t *)PTR(r1) + i * 4, 4);
		diff[j++] = ~w;
	}
	for (size_t i = 0; i < r4 / 4; i++)
		memcpy(&diff[j++], (const uint8_t *)PTR(r3) + i * 4, 4);
	return csum_partial((const uint8_t *)diff, j * 4, (uint32_t)r5);
}
