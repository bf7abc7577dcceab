// SPDX-License-Identifier: MIT
/* An LSM program for tests/attach: where BPF trampolines are refused
 * (this kernel: EPERM at load) the test checks the reason is reported. */
#include "vmlinux.h"
#include "bb_helpers.h"

__u64 opens;

SEC("lsm/file_open")
int file_open_hook(unsigned long long *ctx)
{
	opens++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
