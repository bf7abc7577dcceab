// SPDX-License-Identifier: MIT
/*
 * globals - every kind of global variable a loader must turn into a map.
 *
 *   .bss            zero-initialised globals          (counters below)
 *   .data           initialised, writable             (salt, seen)
 *   .rodata         const, and `const volatile` knobs (the loader may
 *                   rewrite them before load; the verifier then treats them
 *                   as constants and prunes dead branches)
 *   .data.custom    a named writable section          (custom_data)
 *   .rodata.custom  a named read-only section         (custom_table)
 *
 * Each section becomes a one-element array map; the program addresses the
 * variable through `lddw rX, map_value(map, offset)`.
 * Observes: packets at XDP (so it runs offline with BPF_PROG_TEST_RUN).
 * Output: .bss packets/bytes; .data seen[] records the first byte of the
 * last 4 packets; verdict = verdict_knob (.rodata, default XDP_PASS), or
 * XDP_DROP for packets shorter than min_len.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

/* .rodata: knobs (volatile: the compiler must load them, not fold them) */
const volatile __u32 verdict_knob = XDP_PASS;
const volatile __u32 min_len = 14;
/* .rodata: a plain constant table the compiler may still read from memory */
const __u8 weights[8] = { 1, 2, 3, 5, 8, 13, 21, 34 };

/* .data */
__u64 salt = 0x9e3779b97f4a7c15ULL;
__u8 seen[4] = { 0xff, 0xff, 0xff, 0xff };

/* .bss */
__u64 packets;
__u64 bytes;
__u64 weighted;

/* custom sections: separate maps, so they can be sized or shared apart */
__u64 custom_data SEC(".data.custom") = 42;
const volatile __u32 custom_table[4] SEC(".rodata.custom") = { 10, 20, 30, 40 };

SEC("xdp")
int globals_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = data_end - data;
	__u64 n;
	__u8 first;

	n = __sync_fetch_and_add(&packets, 1);
	__sync_fetch_and_add(&bytes, len);
	if (data + 1 > data_end)
		return XDP_DROP;
	first = *(__u8 *)data;
	seen[n & 3] = first;
	weighted += weights[first & 7] * custom_table[first & 3];
	custom_data = (custom_data ^ first) * salt;
	if (len < min_len)
		return XDP_DROP;
	return verdict_knob;
}

char LICENSE[] SEC("license") = "GPL";
