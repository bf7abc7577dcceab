/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_sock.c - socket pointers: which fields of struct bpf_sock
 * and struct bpf_tcp_sock a program may read through the pointers that
 * bpf_sk_lookup_tcp/udp, bpf_skc_lookup_tcp, bpf_sk_fullsock,
 * bpf_tcp_sock and skb->sk give (the kernel's bpf_sock_is_valid_access,
 * bpf_sock_common_is_valid_access, bpf_tcp_sock_is_valid_access and
 * check_sock_access).  Where the pointers come from and how their
 * references are released is in vf_calls.c.
 */
#include <stdio.h>

#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

#define SK_END(f) (offsetof(struct bpf_sock, f) + sizeof(((struct bpf_sock *)0)->f))

const char *vf_sock_type_str(const struct vf_reg *r)
{
	static const char *const names[] = {
		[VF_SK_SOCK] = "sock", [VF_SK_COMMON] = "sock_common", [VF_SK_TCP] = "tcp_sock",
	};
	static __thread char buf[32];

	snprintf(buf, sizeof(buf), "%s%s", r->aux < BB_ARRAY_SIZE(names) ? names[r->aux] : "sock",
		 r->flags & VF_MAYBE_NULL ? "_or_null" : "");
	return buf;
}

/* Narrow loads of a 4-byte field: 1, 2 or 4 bytes (bpf_ctx_narrow_access_ok;
 * the offset is already a multiple of the size). */
static bool narrow_ok(int size, int field)
{
	return size <= field && !(size & (size - 1));
}

static bool in_field(int off, size_t start, size_t end)
{
	return (size_t)off >= start && (size_t)off < end;
}

/* bpf_sock_is_valid_access: fields that are read as they are may also be
 * read in part from their first byte; the addresses, in part anywhere;
 * bound_dev_if, mark and priority only whole. */
static bool sock_ok(int off, int size)
{
	if (off < 0 || (size_t)off >= sizeof(struct bpf_sock) || off % size)
		return false;
	if (off == offsetof(struct bpf_sock, state) || off == offsetof(struct bpf_sock, family) ||
	    off == offsetof(struct bpf_sock, type) || off == offsetof(struct bpf_sock, protocol) ||
	    off == offsetof(struct bpf_sock, src_port) ||
	    off == offsetof(struct bpf_sock, rx_queue_mapping) ||
	    in_field(off, offsetof(struct bpf_sock, src_ip4), SK_END(src_ip4)) ||
	    in_field(off, offsetof(struct bpf_sock, src_ip6), SK_END(src_ip6)) ||
	    in_field(off, offsetof(struct bpf_sock, dst_ip4), SK_END(dst_ip4)) ||
	    in_field(off, offsetof(struct bpf_sock, dst_ip6), SK_END(dst_ip6)))
		return narrow_ok(size, 4);
	if (in_field(off, offsetof(struct bpf_sock, dst_port), SK_END(dst_port)))
		/* a 16-bit field, or the 4 bytes with its padding */
		return size == 4 || narrow_ok(size, 2);
	if (in_field(off, SK_END(dst_port), offsetof(struct bpf_sock, dst_ip4)))
		return false;
	return size == 4;
}

/* bpf_sock_common_is_valid_access: a request or time-wait socket has no
 * type, protocol, mark or priority. */
static bool sock_common_ok(int off, int size)
{
	if (off >= (int)offsetof(struct bpf_sock, type) && (size_t)off < SK_END(priority))
		return false;
	return sock_ok(off, size);
}

/* bpf_tcp_sock_is_valid_access: 4-byte counters, two 8-byte ones. */
static bool tcp_sock_ok(int off, int size)
{
	if (off < 0 || (size_t)off >= offsetof(struct bpf_tcp_sock, icsk_retransmits) + 4 || off % size)
		return false;
	if (off == offsetof(struct bpf_tcp_sock, bytes_received) ||
	    off == offsetof(struct bpf_tcp_sock, bytes_acked))
		return size == 8;
	return size == 4;
}

int check_sock_access(struct vf_env *env, int regno, const struct vf_reg *r, int off, int size,
		      bool write, struct vf_reg *dst)
{
	bool ok;

	if (r->flags & VF_MAYBE_NULL)
		return vf_reject(env, -EACCES, "R%d invalid mem access '%s'", regno, vf_sock_type_str(r));
	if (write)
		return vf_reject(env, -EACCES, "R%d cannot write into %s", regno, vf_sock_type_str(r));
	/* for access checks the pointer's fixed offset is part of off
	 * (always 0: no arithmetic on socket pointers) */
	off += r->off;
	switch (r->aux) {
	case VF_SK_COMMON: ok = sock_common_ok(off, size); break;
	case VF_SK_TCP: ok = tcp_sock_ok(off, size); break;
	default: ok = sock_ok(off, size); break;
	}
	if (!ok)
		return vf_reject(env, -EACCES, "R%d invalid %s access off=%d size=%d", regno,
				 vf_sock_type_str(r), off, size);
	if (dst) {
		mark_reg_unknown(dst);
		vf_sval_cast(&dst->v, (unsigned)size);
	}
	return 0;
}
