/* SPDX-License-Identifier: MIT */
/*
 * Ring buffer and perf buffer consumers with records we generate: a
 * raw_tp/sys_enter program writes one numbered record per system call of
 * this process (the number comes from a .bss counter, so "generated" is
 * exact).  Delivery: every record arrives, in order, none lost.  Overflow:
 * with nobody consuming, the ring keeps the first records and the rest are
 * lost (ring buffer: the gap in the numbers; perf buffer: the kernel's
 * PERF_RECORD_LOST counts), and received + lost == generated.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/attach/at_util.h"

struct rec {
	uint32_t pid;
	uint32_t seq;
	uint64_t pad[2];
};

/* Our pid, read once: a getpid() in a callback would itself produce a
 * record while the producer is attached, and consuming would never end. */
static uint32_t me;

struct got {
	uint32_t n;
	uint32_t next_seq;
	uint32_t stop_after;
	bool order_ok;
	uint64_t lost;
};

static int on_rec(void *ctx, const void *data, size_t size)
{
	struct got *g = ctx;
	const struct rec *r = data;

	cr_assert_eq(size, sizeof(*r));
	cr_assert_eq(r->pid, me);
	if (r->seq != g->next_seq)
		g->order_ok = false;
	g->next_seq = r->seq + 1;
	g->n++;
	return g->stop_after && g->n == g->stop_after ? 1 : 0;
}

static void on_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	struct got *g = ctx;
	struct rec r;

	/* raw samples are padded to 8 bytes after their u32 size, and sit
	 * at 4-byte alignment (after that size): copy before reading u64s */
	cr_assert_geq(size, sizeof(r));
	memcpy(&r, data, sizeof(r));
	cr_assert_eq(r.pid, me);
	g->n++;
	g->next_seq = r.seq + 1;
}

static void on_lost(void *ctx, int cpu, uint64_t n)
{
	((struct got *)ctx)->lost += n;
}

static uint32_t generated(const struct ldr_obj *lo)
{
	uint32_t zero = 0, seq = 0;

	cr_assert_eq(ldr_map_lookup(at_map_fd(lo, ".bss"), &zero, &seq), 0);
	return seq;
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	cr_assert_eq(sched_setaffinity(0, sizeof(set), &set), 0);
}

Test(ringbuf, delivers_every_record_in_order)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct ldr_ringbuf *rb;
	struct got g = { .order_ok = true };
	struct bb_err e;
	int r, before = at_fd_count();

	at_need_bpf();
	me = (uint32_t)getpid();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), me, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_ringbuf_new(at_map_fd(lo, "rb"), on_rec, &g, &rb, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_attach_raw_tp(at_prog_fd(lo, "rb_producer"), "sys_enter", NULL, &l, &e), 0,
		     "%s", e.msg);
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 100; i++)
			syscall(SYS_getpid);
		cr_assert_geq(ldr_ringbuf_poll(rb, 100), 0);
	}
	cr_assert_eq(ldr_link_destroy(l), 0);
	do
		r = ldr_ringbuf_consume(rb);
	while (r > 0);
	cr_assert_eq(r, 0);
	cr_assert_eq(ldr_ringbuf_avail(rb), 0);
	cr_assert(g.order_ok, "records out of order or missing");
	cr_assert_geq(g.n, 1000);
	cr_assert_eq(g.n, generated(lo), "received %u of %u", g.n, generated(lo));
	ldr_ringbuf_free(rb);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(ringbuf, full_ring_keeps_first_records_and_callback_can_stop)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct ldr_ringbuf *rb;
	struct got g = { .order_ok = true, .stop_after = 10 };
	struct bb_err e;
	uint32_t gen;
	int r, before = at_fd_count();

	at_need_bpf();
	me = (uint32_t)getpid();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), me, NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_ringbuf_new(at_map_fd(lo, "rb"), on_rec, &g, &rb, &e), 0, "%s", e.msg);
	cr_assert_eq(ldr_attach_raw_tp(at_prog_fd(lo, "rb_producer"), "sys_enter", NULL, &l, &e), 0);
	for (int i = 0; i < 5000; i++)
		syscall(SYS_getpid);
	cr_assert_eq(ldr_link_destroy(l), 0);
	gen = generated(lo);
	/* the callback's non-zero verdict stops the batch after 10 records */
	r = ldr_ringbuf_consume(rb);
	cr_assert_lt(r, 0, "stop verdict not passed back (%d)", r);
	cr_assert_eq(g.n, 10);
	g.stop_after = 0;
	do
		r = ldr_ringbuf_consume(rb);
	while (r > 0);
	cr_assert_eq(r, 0);
	/* 64 KiB of 32-byte records holds fewer than 2048 of them */
	cr_assert_lt(g.n, 2048);
	cr_assert_gt(g.n, 1000);
	cr_assert(g.order_ok, "kept records are not the first ones in order");
	cr_assert_eq(g.next_seq, g.n, "kept records are not 0..n-1");
	cr_assert_gt(gen - g.n, 0, "nothing lost with %u generated", gen);
	ldr_ringbuf_free(rb);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(perfbuf, delivers_every_sample)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct ldr_perfbuf *pb;
	struct got g = { 0 };
	struct bb_err e;
	int r, before;

	at_need_bpf();
	me = (uint32_t)getpid();
	pin_cpu0();
	before = at_fd_count();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_perfbuf_new(at_map_fd(lo, "pb"), 64, on_sample, on_lost, &g, &pb, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(ldr_attach_raw_tp(at_prog_fd(lo, "pb_producer"), "sys_enter", NULL, &l, &e), 0);
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 100; i++)
			syscall(SYS_getpid);
		cr_assert_geq(ldr_perfbuf_poll(pb, 100), 0);
	}
	cr_assert_eq(ldr_link_destroy(l), 0);
	do
		r = ldr_perfbuf_consume(pb);
	while (r > 0);
	cr_assert_eq(r, 0);
	cr_assert_eq(g.lost, 0);
	cr_assert_eq(ldr_perfbuf_lost(pb), 0);
	cr_assert_eq(g.n, generated(lo), "received %u of %u", g.n, generated(lo));
	ldr_perfbuf_free(pb);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}

Test(perfbuf, overflow_reports_lost_samples)
{
	char obj[4096];
	struct ldr_obj *lo;
	struct ldr_link *l;
	struct ldr_perfbuf *pb;
	struct got g = { 0 };
	struct bb_err e;
	int r, before;

	at_need_bpf();
	me = (uint32_t)getpid();
	pin_cpu0();
	before = at_fd_count();
	lo = at_load(at_data_obj("attach_test", obj, sizeof(obj)), (uint32_t)getpid(), NULL);
	bb_err_clear(&e);
	cr_assert_eq(ldr_perfbuf_new(at_map_fd(lo, "pb"), 3, on_sample, on_lost, &g, &pb, &e),
		     -EINVAL, "3 pages accepted");
	cr_assert_eq(ldr_perfbuf_new(at_map_fd(lo, "pb"), 1, on_sample, on_lost, &g, &pb, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(ldr_attach_raw_tp(at_prog_fd(lo, "pb_producer"), "sys_enter", NULL, &l, &e), 0);
	for (int i = 0; i < 2000; i++)
		syscall(SYS_getpid);
	cr_assert_gt(ldr_perfbuf_consume(pb), 0);
	/* the kernel writes the LOST record once there is room again */
	for (int i = 0; i < 10; i++)
		syscall(SYS_getpid);
	cr_assert_eq(ldr_link_destroy(l), 0);
	do
		r = ldr_perfbuf_consume(pb);
	while (r > 0);
	cr_assert_eq(r, 0);
	cr_assert_gt(g.lost, 0, "no lost samples reported for a one-page ring");
	cr_assert_eq(ldr_perfbuf_lost(pb), g.lost);
	cr_assert_eq(g.n + g.lost, generated(lo), "received %u + lost %llu != generated %u", g.n,
		     (unsigned long long)g.lost, generated(lo));
	ldr_perfbuf_free(pb);
	ldr_obj_free(lo);
	cr_assert_eq(at_fd_count(), before);
}
