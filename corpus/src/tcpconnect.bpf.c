// SPDX-License-Identifier: MIT
/*
 * tcpconnect - active TCP connections: who connects where.
 *
 * Observes: tracepoint sock/inet_sock_set_state; an active open is the
 * transition to TCP_SYN_SENT, which happens in the connect()ing process's
 * context, so pid and comm are the caller's.
 * Output: perf event array `events` (one perf ring per CPU) of struct
 * conn_event: pid, comm, family (2 = IPv4, 10 = IPv6), saddr, daddr
 * (IPv4 in the first 4 bytes), dport (host order).  A reader prints
 * "PID COMM IP SADDR DADDR DPORT" like BCC's tcpconnect.
 * Knob: filter_dport (.rodata) reports one destination port when non-zero.
 */
#include "vmlinux.h"
#include "bb_helpers.h"

#define TASK_COMM_LEN 16
#define AF_INET 2
#define AF_INET6 10

const volatile __u16 filter_dport = 0;

struct conn_event {
	__u32 pid;
	__u16 family;
	__u16 dport;
	__u8 saddr[16];
	__u8 daddr[16];
	char comm[TASK_COMM_LEN];
};

/* Keeps struct conn_event in the object's BTF (clang drops types only locals
 * use), so barebpf trace / run decode records by field name. */
struct conn_event *unused_conn_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct conn_event e = {};

	if (ctx->protocol != IPPROTO_TCP || ctx->newstate != TCP_SYN_SENT)
		return 0;
	if (filter_dport && ctx->dport != filter_dport)
		return 0;

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.family = ctx->family;
	e.dport = ctx->dport;	/* the tracepoint already stores host order */
	/*
	 * The address arrays sit at CO-RE-relocated offsets, and the verifier
	 * refuses loads through a ctx pointer moved by a register; copying
	 * them with a probed read avoids that (as libbpf-tools do).
	 */
	if (ctx->family == AF_INET) {
		bpf_probe_read_kernel(e.saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(e.daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(e.saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(e.daddr, 16, ctx->daddr_v6);
	}
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	/* Copied into this CPU's perf ring; a full ring drops the sample. */
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
