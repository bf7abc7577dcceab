// SPDX-License-Identifier: MIT
/*
 * kconfig_ksym - externs the loader resolves from the running kernel.
 *
 *   __kconfig  values from the kernel's configuration (/proc/config.gz or
 *              /boot/config-$(uname -r)) plus LINUX_KERNEL_VERSION; the
 *              loader writes them into a read-only ".kconfig" map.  __weak
 *              ones read 0 when the option is absent or not set.
 *   __ksym     *typeless* kernel symbols (`const void`): plain addresses the
 *              loader looks up in /proc/kallsyms and patches into ld_imm64.
 *              (Typed ksyms are in ksym_typed.bpf.c.)
 *
 * Observes: tracepoint syscalls/sys_enter_getpid (run anything that calls
 * getpid() to trigger).
 * Output: .bss `seen` (struct kinfo below): the config values and the size
 * of the kernel's own BTF blob (__stop_BTF - __start_BTF).
 */
#include "vmlinux.h"
#include "bb_helpers.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig;
extern bool CONFIG_BPF_LSM __kconfig __weak;
extern bool CONFIG_KPROBES __kconfig __weak;		/* not set here: false */
extern int CONFIG_BB_NO_SUCH_OPTION __kconfig __weak;	/* absent: 0 */

/* Linker-section bounds around vmlinux's .BTF: listed in kallsyms. */
extern const void __start_BTF __ksym;
extern const void __stop_BTF __ksym;

struct kinfo {
	__u32 kernel_version;	/* KERNEL_VERSION(a, b, c) = a << 16 | b << 8 | c */
	__s32 hz;
	__u32 bpf_lsm;
	__u32 kprobes;
	__s32 no_such_option;
	__u32 pad;
	__u64 btf_size;
	__u64 calls;
};

struct kinfo seen;

SEC("tracepoint/syscalls/sys_enter_getpid")
int kconfig_ksym_prog(void *ctx)
{
	seen.kernel_version = LINUX_KERNEL_VERSION;
	seen.hz = CONFIG_HZ;
	seen.bpf_lsm = CONFIG_BPF_LSM;
	seen.kprobes = CONFIG_KPROBES;
	seen.no_such_option = CONFIG_BB_NO_SUCH_OPTION;
	seen.btf_size = (__u64)&__stop_BTF - (__u64)&__start_BTF;
	seen.calls++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
