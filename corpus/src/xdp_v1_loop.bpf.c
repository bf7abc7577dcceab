// SPDX-License-Identifier: MIT
/*
 * xdp_v1_loop - a bounded loop over packet bytes, built with -mcpu=v1
 * (only 64-bit compares, no JMP32 or ALU32 sub-registers).
 *
 * Observes: packets at XDP; for offline differentials.  Walks at most 64
 * bytes and computes a Fletcher-16 style checksum and the count of bytes
 * above 0x7f.
 * Output: .bss `fletcher` ((sum2 << 8) | sum1) and `high_bytes`; verdict
 * XDP_PASS when high_bytes is even, XDP_DROP when odd, XDP_ABORTED for an
 * empty packet.  The loop is not unrolled: the verifier walks it with the
 * bound i < 64 and the packet check on every iteration.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define MAX_BYTES 64

__u64 fletcher;
__u64 high_bytes;

SEC("xdp")
int xdp_v1_loop_prog(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 sum1 = 0, sum2 = 0, high = 0;
	__u64 i;

	if ((void *)(p + 1) > data_end)
		return XDP_ABORTED;
#pragma clang loop unroll(disable)
	for (i = 0; i < MAX_BYTES; i++) {
		if ((void *)(p + i + 1) > data_end)
			break;
		sum1 = (sum1 + p[i]) % 255;
		sum2 = (sum2 + sum1) % 255;
		high += p[i] >> 7;
	}
	fletcher = (sum2 << 8) | sum1;
	high_bytes = high;
	return (high & 1) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
