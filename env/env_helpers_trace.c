/* SPDX-License-Identifier: MIT */
/*
 * env/env_helpers_trace.c - helpers that report the (virtual) machine:
 * task, time, CPU, random numbers, and reads of kernel / user memory.
 *
 * Offline there is no kernel to read, so bpf_probe_read_*() succeed only
 * on memory the run knows: kernel reads on the program's own memory
 * (stack, context, packet, map values in checked runs) or regions the
 * caller registered as kernel memory; user reads on user regions.  Any
 * other address fails like a fault in the kernel: -EFAULT with the
 * destination zeroed.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <string.h>

#define PTR(r) ((void *)(uintptr_t)(r))

uint64_t env_h_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3,
			    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	uint64_t now = env->mono_ns;

	env->mono_ns += env->step_ns;
	return now;
}

uint64_t env_h_ktime_get_boot_ns(uint64_t r1, uint64_t r2, uint64_t r3,
				 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return env_h_ktime_get_ns(0, 0, 0, 0, 0, call) + env_of(call)->boot_off_ns;
}

/* The coarse clock only moves once a tick (HZ=250: 4 ms). */
uint64_t env_h_ktime_get_coarse_ns(uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	uint64_t now = env_h_ktime_get_ns(0, 0, 0, 0, 0, call);

	return now - now % 4000000u;
}

/* xorshift64*: reproducible from env_set_seed(). */
uint64_t env_h_get_prandom_u32(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	uint64_t x = env->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	env->rng = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

uint64_t env_h_get_smp_processor_id(uint64_t r1, uint64_t r2, uint64_t r3,
				    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return env_of(call)->cpu;
}

uint64_t env_h_get_numa_node_id(uint64_t r1, uint64_t r2, uint64_t r3,
				uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return 0;
}

uint64_t env_h_get_current_pid_tgid(uint64_t r1, uint64_t r2, uint64_t r3,
				    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);

	return (uint64_t)env->task.tgid << 32 | env->task.pid;
}

uint64_t env_h_get_current_uid_gid(uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);

	return (uint64_t)env->task.gid << 32 | env->task.uid;
}

/* strscpy_pad(): the name, NUL-terminated and zero-padded to @size. */
uint64_t env_h_get_current_comm(uint64_t r1, uint64_t r2, uint64_t r3,
				uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	char *buf = PTR(r1);
	size_t n;

	if (!r2)
		return (uint64_t)(int64_t)-EINVAL;
	n = strnlen(env->task.comm, sizeof(env->task.comm));
	if (n > r2 - 1)
		n = (size_t)r2 - 1;
	memset(buf, 0, (size_t)r2);
	memcpy(buf, env->task.comm, n);
	return 0;
}

uint64_t env_h_get_current_task(uint64_t r1, uint64_t r2, uint64_t r3,
				uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return env_of(call)->task.task;
}

uint64_t env_h_get_current_task_btf(uint64_t r1, uint64_t r2, uint64_t r3,
				    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return env_of(call)->task.task;
}

/* ----- probe reads ----- */

enum { SRC_KERNEL = 1, SRC_USER = 2 };

static bool readable(struct vm_call *call, int kinds, uint64_t addr, size_t len)
{
	if ((kinds & SRC_USER) && env_mem_in(env_of(call), ENV_MEM_USER, addr, len))
		return true;
	return (kinds & SRC_KERNEL) && env_mem_ok(call, addr, len, false);
}

static uint64_t probe_read(struct vm_call *call, int kinds, uint64_t dst,
			   uint64_t size, uint64_t src)
{
	if (!size)
		return 0;
	if (!readable(call, kinds, src, (size_t)size)) {
		memset(PTR(dst), 0, (size_t)size);
		return (uint64_t)(int64_t)-EFAULT;
	}
	memmove(PTR(dst), PTR(src), (size_t)size);
	return 0;
}

/*
 * strncpy_from_{kernel,user}_nofault(): at most size-1 bytes and a NUL;
 * returns the length including the NUL.  A fault before the NUL zeroes
 * the whole destination and returns -EFAULT.
 */
static uint64_t probe_read_str(struct vm_call *call, int kinds, uint64_t dst,
			       uint64_t size, uint64_t src)
{
	char *d = PTR(dst);
	size_t i;

	if (!size)
		return 0;
	for (i = 0; i + 1 < size; i++) {
		if (!readable(call, kinds, src + i, 1)) {
			memset(d, 0, (size_t)size);
			return (uint64_t)(int64_t)-EFAULT;
		}
		d[i] = *(const char *)PTR(src + i);
		if (!d[i])
			return i + 1;
	}
	d[i] = '\0';
	return i + 1;
}

uint64_t env_h_probe_read_kernel(uint64_t r1, uint64_t r2, uint64_t r3,
				 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read(call, SRC_KERNEL, r1, r2, r3);
}

uint64_t env_h_probe_read_user(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read(call, SRC_USER, r1, r2, r3);
}

/* The legacy helpers read user or kernel memory, whichever holds it. */
uint64_t env_h_probe_read(uint64_t r1, uint64_t r2, uint64_t r3,
			  uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read(call, SRC_KERNEL | SRC_USER, r1, r2, r3);
}

uint64_t env_h_probe_read_kernel_str(uint64_t r1, uint64_t r2, uint64_t r3,
				     uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read_str(call, SRC_KERNEL, r1, r2, r3);
}

uint64_t env_h_probe_read_user_str(uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read_str(call, SRC_USER, r1, r2, r3);
}

uint64_t env_h_probe_read_str(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return probe_read_str(call, SRC_KERNEL | SRC_USER, r1, r2, r3);
}

/* bpf_strncmp(s1, s1_sz, s2): the kernel's strncmp, which answers -1, 0
 * or 1 (not the byte difference). */
uint64_t env_h_strncmp(uint64_t r1, uint64_t r2, uint64_t r3,
		       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	const unsigned char *a = PTR(r1), *b = PTR(r3);

	for (uint64_t i = 0; i < r2; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? (uint64_t)-1 : 1;
		if (!a[i])
			break;
	}
	return 0;
}
