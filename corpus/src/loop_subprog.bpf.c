// SPDX-License-Identifier: MIT
/*
 * loop_subprog - function calls the verifier sees as separate units:
 *
 *   bpf_loop(n, callback, ctx, 0)  the kernel calls `sum_cb` n times; the
 *                                  callback is a static subprogram whose
 *                                  address is passed as a ld_imm64 func ptr
 *   static __noinline mix()        a static subprogram: verified in the
 *                                  caller's context (knows its arg values)
 *   global __noinline checksum()   a global function: verified once, on its
 *                                  own, from its BTF prototype (so it must
 *                                  check its own pointer arguments)
 *
 * Observes: packets at XDP (offline-runnable).
 * Output: .bss loop_sum (sum of the first up to 32 bytes via bpf_loop),
 * mixed, csum; verdict XDP_PASS if loop_sum is even, else XDP_DROP.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define MAX_BYTES 32

__u64 loop_sum, mixed, csum;

struct loop_ctx {
	__u8 bytes[MAX_BYTES];
	__u32 len;
	__u64 sum;
};

/* bpf_loop callback: return 0 to continue, 1 to stop early. */
static int sum_cb(__u32 i, struct loop_ctx *lc)
{
	if (i >= lc->len || i >= MAX_BYTES)
		return 1;
	lc->sum += lc->bytes[i];
	return 0;
}

static __noinline __u64 mix(__u64 a, __u64 b)
{
	a ^= b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2);
	return a;
}

/*
 * Global: the verifier checks it once with unknown arguments, so it tests
 * `lc` for NULL and bounds the index itself.  A pointer argument is memory
 * of the pointed-to type's size (here the whole struct; a `__u8 *` would
 * allow exactly one byte).
 */
__noinline __u32 checksum(const struct loop_ctx *lc)
{
	__u32 s = 0;

	if (!lc)
		return 0;
	for (__u32 i = 0; i < MAX_BYTES && i < lc->len; i++)
		s = (s << 1 | s >> 31) ^ lc->bytes[i];
	return s;
}

SEC("xdp")
int loop_subprog_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct loop_ctx lc = {};
	__u64 len = data_end - data;

	if (len > MAX_BYTES)
		len = MAX_BYTES;
	/* Keep clang from merging the two checks into one range test on
	 * len - 1, which the verifier cannot map back onto len. */
	barrier_var(len);
	if (len == 0)
		return XDP_ABORTED;
	lc.len = len;
	/* Copy to the stack (callbacks cannot take packet pointers); the helper
	 * wants a length the verifier can bound to 1..sizeof(lc.bytes). */
	if (bpf_xdp_load_bytes(ctx, 0, lc.bytes, len))
		return XDP_ABORTED;
	bpf_loop(MAX_BYTES, sum_cb, &lc, 0);
	loop_sum = lc.sum;
	mixed = mix(lc.sum, len);
	csum = checksum(&lc);
	return (lc.sum & 1) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
