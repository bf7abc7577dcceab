// SPDX-License-Identifier: MIT
/*
 * Programs for tests/attach that the corpus does not have: uprobes
 * (plain, return, multi, USDT), cgroup hooks, iterators, and ring/perf
 * buffer producers driven by getpid().  Every counter is filtered by
 * `targ_tgid` so concurrent processes do not disturb the test.
 */
#include "vmlinux.h"
#include "bb_helpers.h"
#include "bb_tracing.h"
#include "bb_usdt.h"

static long (* const bb_seq_printf)(struct seq_file *m, const char *fmt, __u32 fmt_size,
				    const void *data, __u32 data_len) = (void *)126;
static __u64 (* const bb_attach_cookie)(void *ctx) = (void *)174;

const volatile __u32 targ_tgid = 0;
/* bench/bench_load.c: only this thread's system calls feed `rb_big`
 * (its consumer thread shares the tgid and must not feed itself) */
const volatile __u32 targ_tid = 0;

/* counters: 0 uprobe, 1 uretprobe (last ret), 2 uprobe.multi, 3 usdt,
 * 4 usdt arg0, 5 usdt arg1, 6 cgroup egress packets, 7 connect4 calls,
 * 8 uprobe cookie, 9 uretprobe calls, 10 netfilter local-in packets */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

struct rec {
	__u32 pid;
	__u32 seq;
	__u64 pad[2];
};

/* A big ring for throughput measurements (bench/bench_load.c). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} rb_big SEC(".maps");

static __u32 seq;
static __u32 big_seq;

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == targ_tgid;
}

static __always_inline void add(__u32 k, __u64 v)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &k);

	if (c)
		__sync_fetch_and_add(c, v);
}

static __always_inline void set(__u32 k, __u64 v)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &k);

	if (c)
		*c = v;
}

SEC("uprobe")
int up_enter(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	add(0, 1);
	set(8, bb_attach_cookie(ctx));
	return 0;
}

SEC("uretprobe")
int up_return(struct pt_regs *ctx)
{
	if (!mine())
		return 0;
	set(1, PT_REGS_RC(ctx));
	add(9, 1);
	return 0;
}

SEC("uprobe.multi")
int up_multi(struct pt_regs *ctx)
{
	if (mine())
		add(2, 1);
	return 0;
}

SEC("usdt")
int usdt_probe(struct pt_regs *ctx)
{
	long a0, a1;

	if (!mine())
		return 0;
	add(3, 1);
	if (!bb_usdt_arg(ctx, 0, &a0))
		set(4, (__u64)a0);
	if (!bb_usdt_arg(ctx, 1, &a1))
		set(5, (__u64)a1);
	return 0;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	add(6, 1);
	return 1;
}

SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *ctx)
{
	add(7, 1);
	return 1;
}

SEC("iter/task")
int iter_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *m = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	static const char fmt[] = "task %d %s\n";
	__u64 args[2];

	if (!t)
		return 0;
	if (t->tgid != t->pid)
		return 0;
	args[0] = t->pid;
	args[1] = (__u64)t->comm;
	bb_seq_printf(m, fmt, sizeof(fmt), args, sizeof(args));
	return 0;
}

SEC("raw_tp/sys_enter")
int rb_producer(void *ctx)
{
	struct rec *r;
	__u32 n;

	if (!mine())
		return 0;
	/* numbered before the reserve: a full ring leaves a gap, which is
	 * how the test counts what was lost */
	n = __sync_fetch_and_add(&seq, 1);
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r)
		return 0;
	r->pid = targ_tgid;
	r->seq = n;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("raw_tp/sys_enter")
int pb_producer(void *ctx)
{
	struct rec r = {};

	if (!mine())
		return 0;
	r.pid = targ_tgid;
	r.seq = __sync_fetch_and_add(&seq, 1);
	bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &r, sizeof(r));
	return 0;
}

SEC("raw_tp/sys_enter")
int rb_bench(void *ctx)
{
	struct rec *r;
	__u32 n;

	if ((__u32)bpf_get_current_pid_tgid() != targ_tid)
		return 0;
	n = __sync_fetch_and_add(&big_seq, 1);
	r = bpf_ringbuf_reserve(&rb_big, sizeof(*r), 0);
	if (!r)
		return 0;
	r->pid = targ_tid;
	r->seq = n;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("netfilter")
int nf_local_in(struct bpf_nf_ctx *ctx)
{
	add(10, 1);
	return 1;       /* NF_ACCEPT */
}

char LICENSE[] SEC("license") = "GPL";
