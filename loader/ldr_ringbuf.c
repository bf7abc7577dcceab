/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_ringbuf.c - BPF_MAP_TYPE_RINGBUF consumer.
 *
 * The map's fd is mmap'ed in two pieces: the consumer page (read-write:
 * we publish how far we have read) and, read-only, the producer page
 * followed by the data area mapped twice back to back, so a record that
 * runs past the end of the ring is still contiguous in our address space
 * and is handed to the callback in place.  Each record starts with an
 * 8-byte header: length with BUSY (still being written) and DISCARD bits,
 * then the page offset the kernel uses.  Positions only ever grow; the
 * ring offset is position & (size - 1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader/ldr_internal.h"

#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)
#define RB_HDR 8u

struct rb_ring {
	ldr_ringbuf_fn cb;
	void *ctx;
	unsigned long *consumer;        /* consumer page */
	unsigned long *producer;        /* producer page, data right after it */
	uint8_t *data;
	uint64_t mask;
	size_t page;
};

struct ldr_ringbuf {
	int epfd;
	struct rb_ring *rings;
	size_t n;
	struct epoll_event *evs;
};

int ldr_ringbuf_new(int map_fd, ldr_ringbuf_fn cb, void *ctx, struct ldr_ringbuf **out,
		    struct bb_err *e)
{
	struct ldr_ringbuf *rb = calloc(1, sizeof(*rb));
	int err;

	*out = NULL;
	if (!rb)
		return bb_err_insn(e, -ENOMEM, -1, "ring buffer: out of memory");
	rb->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epfd < 0) {
		err = -errno;
		free(rb);
		return bb_err_insn(e, err, -1, "ring buffer: epoll_create1: %s", strerror(-err));
	}
	err = ldr_ringbuf_add(rb, map_fd, cb, ctx, e);
	if (err) {
		ldr_ringbuf_free(rb);
		return err;
	}
	*out = rb;
	return 0;
}

int ldr_ringbuf_add(struct ldr_ringbuf *rb, int map_fd, ldr_ringbuf_fn cb, void *ctx,
		    struct bb_err *e)
{
	struct bpf_map_info info;
	struct rb_ring *r, *nr;
	struct epoll_event ev;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;
	int err = ldr_map_info(map_fd, &info);

	if (err)
		return bb_err_insn(e, err, -1, "ring buffer: map fd %d: %s", map_fd, strerror(-err));
	if (info.type != BPF_MAP_TYPE_RINGBUF)
		return bb_err_insn(e, -EINVAL, -1, "ring buffer: map '%s' is a %s, not a ringbuf",
				   info.name, ldr_map_type_str(info.type));
	nr = realloc(rb->rings, (rb->n + 1) * sizeof(*nr));
	if (!nr)
		return bb_err_insn(e, -ENOMEM, -1, "ring buffer: out of memory");
	rb->rings = nr;
	r = &rb->rings[rb->n];
	memset(r, 0, sizeof(*r));
	r->cb = cb;
	r->ctx = ctx;
	r->page = page;
	r->mask = info.max_entries - 1;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		return bb_err_insn(e, err, -1, "ring buffer '%s': mmap consumer page: %s", info.name,
				   strerror(-err));
	}
	r->consumer = p;
	/* producer page + the data twice: the kernel maps the data pages twice */
	p = mmap(NULL, page + 2 * (size_t)info.max_entries, PROT_READ, MAP_SHARED, map_fd,
		 (off_t)page);
	if (p == MAP_FAILED) {
		err = -errno;
		munmap(r->consumer, page);
		return bb_err_insn(e, err, -1, "ring buffer '%s': mmap data: %s", info.name,
				   strerror(-err));
	}
	r->producer = p;
	r->data = (uint8_t *)p + page;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = rb->n;
	if (epoll_ctl(rb->epfd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		err = -errno;
		munmap(r->producer, page + 2 * (size_t)info.max_entries);
		munmap(r->consumer, page);
		return bb_err_insn(e, err, -1, "ring buffer '%s': epoll_ctl: %s", info.name,
				   strerror(-err));
	}
	/* The mappings keep the map alive; map_fd itself stays the caller's. */
	rb->n++;
	free(rb->evs);
	rb->evs = calloc(rb->n, sizeof(*rb->evs));
	if (!rb->evs)
		return bb_err_insn(e, -ENOMEM, -1, "ring buffer: out of memory");
	return 0;
}

/* Consume one ring: records handed to the callback, or its non-zero verdict. */
static int64_t ring_consume(struct rb_ring *r)
{
	uint64_t cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	int64_t cnt = 0;

	for (;;) {
		uint64_t prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		bool got = false;

		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(r->data + (cons & r->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			int ret;

			if (len & RB_BUSY)
				goto done;
			got = true;
			cons += ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7ull;
			if (len & RB_DISCARD) {
				__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
				continue;
			}
			ret = r->cb ? r->cb(r->ctx, hdr + 2, len & ~(RB_BUSY | RB_DISCARD)) : 0;
			/* release the record only after the callback is done with it */
			__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
			if (ret)
				return ret > 0 ? -ret : ret;
			cnt++;
		}
		if (!got)
			break;
	}
done:
	return cnt;
}

int ldr_ringbuf_consume(struct ldr_ringbuf *rb)
{
	int64_t total = 0;

	for (size_t i = 0; i < rb->n; i++) {
		int64_t r = ring_consume(&rb->rings[i]);

		if (r < 0)
			return (int)r;
		total += r;
	}
	return total > 0x7fffffff ? 0x7fffffff : (int)total;
}

int ldr_ringbuf_poll(struct ldr_ringbuf *rb, int timeout_ms)
{
	int64_t total = 0;
	int n = epoll_wait(rb->epfd, rb->evs, (int)rb->n, timeout_ms);

	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		int64_t r = ring_consume(&rb->rings[rb->evs[i].data.u64]);

		if (r < 0)
			return (int)r;
		total += r;
	}
	return total > 0x7fffffff ? 0x7fffffff : (int)total;
}

int ldr_ringbuf_epoll_fd(const struct ldr_ringbuf *rb)
{
	return rb->epfd;
}

uint64_t ldr_ringbuf_avail(const struct ldr_ringbuf *rb)
{
	const struct rb_ring *r = rb->n ? &rb->rings[0] : NULL;

	if (!r)
		return 0;
	return __atomic_load_n(r->producer, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
}

void ldr_ringbuf_free(struct ldr_ringbuf *rb)
{
	if (!rb)
		return;
	for (size_t i = 0; i < rb->n; i++) {
		munmap(rb->rings[i].consumer, rb->rings[i].page);
		munmap(rb->rings[i].producer, rb->rings[i].page + 2 * (rb->rings[i].mask + 1));
	}
	if (rb->epfd >= 0)
		close(rb->epfd);
	free(rb->rings);
	free(rb->evs);
	free(rb);
}
