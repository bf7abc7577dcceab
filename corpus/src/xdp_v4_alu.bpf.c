// SPDX-License-Identifier: MIT
/*
 * xdp_v4_alu - signed arithmetic on packet bytes, built with -mcpu=v4 so
 * clang emits the ISA v4 instructions: sign-extending loads (ldsx: a byte
 * or half read as signed), sign-extending moves (movsx: (s8)/(s16)/(s32)
 * casts of registers), signed division and modulo (sdiv/smod) and the
 * unconditional byte swap (bswap16/32/64).
 *
 * Observes: packets at XDP; for offline differentials (interpreter, JIT,
 * kernel).  Reads the first 16 bytes of the packet as signed values.
 * Output: .bss `result` (a 64-bit mix of all the operations) and
 * `quot`/`rem` (the last signed division); verdict XDP_PASS when result is
 * even, XDP_DROP when odd, XDP_ABORTED for packets shorter than 16 bytes.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

__s64 result;
__s64 quot, rem;

SEC("xdp")
int xdp_v4_alu_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	volatile __s8 *b = data;	/* volatile: keep the narrow signed loads */
	volatile __s16 *h = data;
	__s64 x, y, acc;
	__u64 raw;
	__s32 w;

	if (data + 16 > data_end)
		return XDP_ABORTED;

	x = b[0];			/* ldsx u8 */
	y = h[1];			/* ldsx u16 */
	raw = *(volatile __u64 *)(data + 8);
	w = (__s32)raw;			/* movsx 32 -> 64 below */

	/* sdiv/smod: C's truncating division, divisor made non-zero. */
	if (y == 0)
		y = -7;
	quot = x * 1000 / y;
	rem = x * 1000 % y;

	acc = quot ^ rem;
	acc += (__s64)(__s8)raw;	/* movsx from the low byte */
	acc += (__s64)(__s16)(raw >> 8);
	acc += (__s64)w;
	acc ^= __builtin_bswap64(raw);	/* bswap64 */
	acc += __builtin_bswap32((__u32)raw) + __builtin_bswap16((__u16)raw);
	result = acc;
	return (acc & 1) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
