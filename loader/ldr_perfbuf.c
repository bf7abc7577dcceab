/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_perfbuf.c - BPF_MAP_TYPE_PERF_EVENT_ARRAY consumer.
 *
 * bpf_perf_event_output() writes into the perf ring of the event stored
 * at the current CPU's index of the array.  So per online CPU we open a
 * PERF_COUNT_SW_BPF_OUTPUT event, map its ring (one metadata page +
 * page_cnt data pages), store its fd in the array and watch it with
 * epoll.  The ring holds perf records: PERF_RECORD_SAMPLE (u32 size +
 * the raw bytes) and PERF_RECORD_LOST (id, count) when the ring was full.
 * A record that wraps past the ring's end is copied to a scratch buffer;
 * the others are passed in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "loader/ldr_internal.h"

struct pb_cpu {
	int cpu;
	int fd;                         /* the perf event, owned */
	struct perf_event_mmap_page *meta;
	uint8_t *data;
	size_t data_size;
};

struct ldr_perfbuf {
	int epfd;
	int map_fd;                     /* borrowed, to clear our slots */
	ldr_perfbuf_sample_fn sample;
	ldr_perfbuf_lost_fn lost;
	void *ctx;
	size_t page, mmap_size;
	struct pb_cpu *cpus;
	size_t n;
	struct epoll_event *evs;
	uint8_t *scratch;
	size_t scratch_size;
	uint64_t lost_total;
};

void ldr_perfbuf_free(struct ldr_perfbuf *pb)
{
	if (!pb)
		return;
	for (size_t i = 0; i < pb->n; i++) {
		struct pb_cpu *c = &pb->cpus[i];
		int key = c->cpu;

		if (pb->map_fd >= 0)
			ldr_map_delete(pb->map_fd, &key);
		if (c->meta)
			munmap(c->meta, pb->mmap_size);
		if (c->fd >= 0) {
			ioctl(c->fd, PERF_EVENT_IOC_DISABLE, 0);
			close(c->fd);
		}
	}
	if (pb->epfd >= 0)
		close(pb->epfd);
	free(pb->cpus);
	free(pb->evs);
	free(pb->scratch);
	free(pb);
}

static int open_cpu(struct ldr_perfbuf *pb, int cpu, struct bb_err *e)
{
	struct pb_cpu *c = &pb->cpus[pb->n];
	struct perf_event_attr pa;
	struct epoll_event ev;
	void *p;
	int err;

	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_SOFTWARE;
	pa.size = sizeof(pa);
	pa.config = PERF_COUNT_SW_BPF_OUTPUT;
	pa.sample_type = PERF_SAMPLE_RAW;
	pa.sample_period = 1;
	pa.wakeup_events = 1;
	c->fd = ldr_perf_event_open(&pa, -1, cpu, -1, 0);
	if (c->fd < 0)
		return bb_err_insn(e, c->fd, -1, "perf buffer: perf_event_open(bpf-output, cpu %d): %s",
				   cpu, strerror(-c->fd));
	pb->n++;        /* from here free() cleans up this CPU */
	p = mmap(NULL, pb->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		return bb_err_insn(e, err, -1, "perf buffer: mmap cpu %d (%zu bytes): %s", cpu,
				   pb->mmap_size, strerror(-err));
	}
	c->meta = p;
	c->data = (uint8_t *)p + pb->page;
	c->data_size = pb->mmap_size - pb->page;
	if (ioctl(c->fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
		return bb_err_insn(e, err, -1, "perf buffer: enable cpu %d: %s", cpu, strerror(-err));
	}
	err = ldr_map_update(pb->map_fd, &cpu, &c->fd, 0);
	if (err)
		return bb_err_insn(e, err, -1, "perf buffer: storing cpu %d's event in the map: %s",
				   cpu, strerror(-err));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = pb->n - 1;
	if (epoll_ctl(pb->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		err = -errno;
		return bb_err_insn(e, err, -1, "perf buffer: epoll_ctl: %s", strerror(-err));
	}
	return 0;
}

int ldr_perfbuf_new(int map_fd, size_t page_cnt, ldr_perfbuf_sample_fn sample,
		    ldr_perfbuf_lost_fn lost, void *ctx, struct ldr_perfbuf **out,
		    struct bb_err *e)
{
	struct bpf_map_info info;
	struct ldr_perfbuf *pb;
	bool *online = NULL;
	int err, ncpu;

	*out = NULL;
	if (page_cnt == 0 || (page_cnt & (page_cnt - 1)))
		return bb_err_insn(e, -EINVAL, -1, "perf buffer: %zu pages is not a power of two",
				   page_cnt);
	err = ldr_map_info(map_fd, &info);
	if (err)
		return bb_err_insn(e, err, -1, "perf buffer: map fd %d: %s", map_fd, strerror(-err));
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return bb_err_insn(e, -EINVAL, -1, "perf buffer: map '%s' is a %s, not a "
				   "perf_event_array", info.name, ldr_map_type_str(info.type));
	pb = calloc(1, sizeof(*pb));
	if (!pb || ldr_cpus_online(&online, &ncpu)) {
		free(pb);
		return bb_err_insn(e, -ENOMEM, -1, "perf buffer: out of memory");
	}
	pb->map_fd = map_fd;
	pb->sample = sample;
	pb->lost = lost;
	pb->ctx = ctx;
	pb->page = (size_t)sysconf(_SC_PAGESIZE);
	pb->mmap_size = pb->page * (page_cnt + 1);
	pb->cpus = calloc((size_t)ncpu, sizeof(*pb->cpus));
	pb->evs = calloc((size_t)ncpu, sizeof(*pb->evs));
	pb->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!pb->cpus || !pb->evs || pb->epfd < 0) {
		free(online);
		ldr_perfbuf_free(pb);
		return bb_err_insn(e, -ENOMEM, -1, "perf buffer: out of memory or epoll");
	}
	for (int cpu = 0; cpu < ncpu; cpu++) {
		if (!online[cpu] || (uint32_t)cpu >= info.max_entries)
			continue;
		err = open_cpu(pb, cpu, e);
		if (err) {
			free(online);
			ldr_perfbuf_free(pb);
			return err;
		}
	}
	free(online);
	*out = pb;
	return 0;
}

/* One record; returns 1 if it was a sample or a lost record. */
static int handle(struct ldr_perfbuf *pb, struct pb_cpu *c, struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_SAMPLE) {
		uint32_t size = *(uint32_t *)(h + 1);

		if (pb->sample)
			pb->sample(pb->ctx, c->cpu, (uint8_t *)(h + 1) + 4, size);
		return 1;
	}
	if (h->type == PERF_RECORD_LOST) {
		uint64_t n = ((uint64_t *)(h + 1))[1];

		pb->lost_total += n;
		if (pb->lost)
			pb->lost(pb->ctx, c->cpu, n);
		return 1;
	}
	return 0;
}

static int cpu_consume(struct ldr_perfbuf *pb, struct pb_cpu *c)
{
	uint64_t head = __atomic_load_n(&c->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = c->meta->data_tail;
	int cnt = 0;

	while (tail < head) {
		size_t off = tail % c->data_size;
		struct perf_event_header *h = (void *)(c->data + off);
		size_t sz = h->size;

		if (sz == 0)
			break;
		if (off + sz > c->data_size) {
			/* wraps: copy both parts into the scratch buffer */
			size_t first = c->data_size - off;

			if (pb->scratch_size < sz) {
				uint8_t *s = realloc(pb->scratch, sz);

				if (!s)
					return -ENOMEM;
				pb->scratch = s;
				pb->scratch_size = sz;
			}
			memcpy(pb->scratch, c->data + off, first);
			memcpy(pb->scratch + first, c->data, sz - first);
			h = (void *)pb->scratch;
		}
		cnt += handle(pb, c, h);
		tail += sz;
	}
	__atomic_store_n(&c->meta->data_tail, tail, __ATOMIC_RELEASE);
	return cnt;
}

int ldr_perfbuf_poll(struct ldr_perfbuf *pb, int timeout_ms)
{
	int total = 0, n = epoll_wait(pb->epfd, pb->evs, (int)pb->n, timeout_ms);

	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		int r = cpu_consume(pb, &pb->cpus[pb->evs[i].data.u64]);

		if (r < 0)
			return r;
		total += r;
	}
	return total;
}

int ldr_perfbuf_consume(struct ldr_perfbuf *pb)
{
	int total = 0;

	for (size_t i = 0; i < pb->n; i++) {
		int r = cpu_consume(pb, &pb->cpus[i]);

		if (r < 0)
			return r;
		total += r;
	}
	return total;
}

int ldr_perfbuf_epoll_fd(const struct ldr_perfbuf *pb)
{
	return pb->epfd;
}

uint64_t ldr_perfbuf_lost(const struct ldr_perfbuf *pb)
{
	return pb->lost_total;
}
