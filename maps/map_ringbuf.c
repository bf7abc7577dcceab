/* SPDX-License-Identifier: MIT */
/*
 * maps/map_ringbuf.c - BPF_MAP_TYPE_RINGBUF (the kernel's ringbuf.c) with
 * a consumer that works like libbpf's ring_buffer__consume().
 *
 * Records are laid out as the kernel lays them out: an 8-byte header
 * { u32 len (BUSY bit while reserved, DISCARD bit if discarded); u32
 * pg_off } then the sample, the whole rounded up to 8 bytes, at
 * producer_pos & (size - 1).  Positions only grow; the consumer position
 * is ours to advance.
 *
 * The kernel maps the data pages twice in a row so a record that wraps
 * around the end is still contiguous for the program.  We allocate
 * 2 * size bytes instead: a wrapping sample is written past the end, and
 * when it is submitted or discarded the part past the end is copied to
 * the start, where it belongs.  The consumer reads a record from its
 * header onwards, so it sees the same bytes either way.
 *
 * pg_off records the page of the header counted from the start of the
 * kernel's struct bpf_ringbuf (whose data starts at page 3: one page of
 * bookkeeping, then the consumer and producer position pages).
 */
#include "maps/maps_internal.h"

#define RB_DATA_PGOFF 3u

struct rb {
	uint8_t *data;          /* 2 * size */
	uint64_t mask;
	uint64_t cons_pos, prod_pos, pend_pos;
	uint64_t wakeups;
};

static struct rb *R(const struct map *m) { return m->priv; }

static void rb_free(struct map *m)
{
	struct rb *r = R(m);

	if (r)
		free(r->data);
	free(r);
	m->priv = NULL;
}

static int rb_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	struct rb *r;

	if (s->map_flags & ~(uint32_t)BPF_F_NUMA_NODE)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x",
			       s->map_flags & ~(uint32_t)BPF_F_NUMA_NODE);
	if (s->key_size || s->value_size)
		return map_err(m, e, -EINVAL, "key size %u, value size %u: a ring buffer has none",
			       s->key_size, s->value_size);
	if (!s->max_entries || (s->max_entries & (s->max_entries - 1)) ||
	    s->max_entries % MAP_PAGE_SIZE)
		return map_err(m, e, -EINVAL,
			       "size %u: a ring buffer needs a power-of-2 multiple of %u bytes",
			       s->max_entries, MAP_PAGE_SIZE);
	if (s->max_entries > (1u << 30))
		return map_err(m, e, -ENOMEM, "size %u too big to hold here", s->max_entries);
	r = calloc(1, sizeof(*r));
	if (!r)
		return map_err(m, e, -ENOMEM, "out of memory");
	r->data = calloc(2, s->max_entries);
	if (!r->data) {
		free(r);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	r->mask = s->max_entries - 1;
	m->priv = r;
	return 0;
}

static inline uint32_t hdr_len(const uint8_t *hdr)
{
	uint32_t len;

	memcpy(&len, hdr, 4);
	return len;
}

static inline uint64_t rec_size(uint32_t len)
{
	return map_round_up((uint64_t)(len & ~(MAP_RINGBUF_BUSY_BIT | MAP_RINGBUF_DISCARD_BIT)) +
			    MAP_RINGBUF_HDR_SZ, 8);
}

/* Move pend_pos past records no longer busy (the kernel does this on
 * every reserve). */
static void advance_pending(struct rb *r)
{
	while (r->pend_pos < r->prod_pos) {
		uint32_t len = hdr_len(r->data + (r->pend_pos & r->mask));

		if (len & MAP_RINGBUF_BUSY_BIT)
			break;
		r->pend_pos += rec_size(len);
	}
}

void *map_ringbuf_reserve(struct map *m, uint64_t size, uint64_t flags)
{
	struct rb *r;
	uint64_t len, pos;
	uint8_t *hdr;
	uint32_t word[2];

	if (m->spec.type != BPF_MAP_TYPE_RINGBUF || flags)
		return NULL;
	r = R(m);
	if (size > UINT32_MAX / 4)      /* RINGBUF_MAX_RECORD_SZ */
		return NULL;
	len = map_round_up(size + MAP_RINGBUF_HDR_SZ, 8);
	if (len > r->mask + 1)
		return NULL;
	advance_pending(r);
	pos = r->prod_pos;
	if (pos + len - r->cons_pos > r->mask || pos + len - r->pend_pos > r->mask)
		return NULL;
	hdr = r->data + (pos & r->mask);
	word[0] = (uint32_t)size | MAP_RINGBUF_BUSY_BIT;
	word[1] = RB_DATA_PGOFF + (uint32_t)((pos & r->mask) / MAP_PAGE_SIZE);
	memcpy(hdr, word, 8);
	r->prod_pos = pos + len;
	return hdr + MAP_RINGBUF_HDR_SZ;
}

static int commit(struct map *m, void *sample, uint64_t flags, bool discard)
{
	struct rb *r;
	uint8_t *hdr;
	uint64_t off, end;
	uint32_t len;

	if (m->spec.type != BPF_MAP_TYPE_RINGBUF || !sample)
		return -EINVAL;
	if (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	r = R(m);
	hdr = (uint8_t *)sample - MAP_RINGBUF_HDR_SZ;
	if (hdr < r->data || hdr >= r->data + r->mask + 1 || ((hdr - r->data) & 7))
		return -EINVAL;
	off = (uint64_t)(hdr - r->data);
	len = hdr_len(hdr);
	if (!(len & MAP_RINGBUF_BUSY_BIT))
		return -EINVAL;         /* not reserved, or committed already */
	end = off + rec_size(len);
	if (end > r->mask + 1)          /* wrapped: bring the tail home */
		memcpy(r->data, r->data + r->mask + 1, end - (r->mask + 1));
	len &= ~MAP_RINGBUF_BUSY_BIT;
	if (discard)
		len |= MAP_RINGBUF_DISCARD_BIT;
	memcpy(hdr, &len, 4);
	if ((flags & BPF_RB_FORCE_WAKEUP) ||
	    (!(flags & BPF_RB_NO_WAKEUP) && (r->cons_pos & r->mask) == off))
		r->wakeups++;
	return 0;
}

int map_ringbuf_submit(struct map *m, void *sample, uint64_t flags)
{
	return commit(m, sample, flags, false);
}

int map_ringbuf_discard(struct map *m, void *sample, uint64_t flags)
{
	return commit(m, sample, flags, true);
}

int map_ringbuf_output(struct map *m, const void *data, uint64_t size, uint64_t flags)
{
	void *p;

	if (m->spec.type != BPF_MAP_TYPE_RINGBUF)
		return -EINVAL;
	if (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	p = map_ringbuf_reserve(m, size, 0);
	if (!p)
		return -EAGAIN;
	memcpy(p, data, size);
	return commit(m, p, flags, false);
}

uint64_t map_ringbuf_query(struct map *m, uint64_t flags)
{
	struct rb *r;

	if (m->spec.type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	r = R(m);
	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		return r->prod_pos - r->cons_pos;
	case BPF_RB_RING_SIZE:
		return r->mask + 1;
	case BPF_RB_CONS_POS:
		return r->cons_pos;
	case BPF_RB_PROD_POS:
		return r->prod_pos;
	default:
		return 0;
	}
}

uint64_t map_ringbuf_wakeups(const struct map *m)
{
	return m->spec.type == BPF_MAP_TYPE_RINGBUF ? R(m)->wakeups : 0;
}

long map_ringbuf_consume(struct map *m, map_record_cb cb, void *ctx)
{
	struct rb *r;
	long cnt = 0;

	if (m->spec.type != BPF_MAP_TYPE_RINGBUF || !cb)
		return -EINVAL;
	r = R(m);
	while (r->cons_pos < r->prod_pos) {
		uint8_t *hdr = r->data + (r->cons_pos & r->mask);
		uint32_t len = hdr_len(hdr);
		int err;

		if (len & MAP_RINGBUF_BUSY_BIT)
			break;          /* not committed yet */
		r->cons_pos += rec_size(len);
		if (len & MAP_RINGBUF_DISCARD_BIT)
			continue;
		/* Contiguous even when wrapped: see the top of the file. */
		err = cb(ctx, hdr + MAP_RINGBUF_HDR_SZ, len);
		if (err)
			return err < 0 ? err : cnt + 1;
		cnt++;
	}
	return cnt;
}

static uint64_t rb_count(const struct map *m)
{
	return R(m)->prod_pos - R(m)->cons_pos;
}

static int rb_check(const struct map *m, struct bb_err *e)
{
	const struct rb *r = R(m);
	uint64_t pos = r->cons_pos;

	if (r->cons_pos > r->prod_pos || r->prod_pos - r->cons_pos > r->mask + 1)
		return map_err(m, e, -EUCLEAN, "consumer %llu, producer %llu",
			       (unsigned long long)r->cons_pos, (unsigned long long)r->prod_pos);
	while (pos < r->prod_pos) {
		pos += rec_size(hdr_len(r->data + (pos & r->mask)));
		if (pos > r->prod_pos)
			return map_err(m, e, -EUCLEAN, "record runs past the producer position");
	}
	return 0;
}

const struct map_ops map_ringbuf_ops = {
	.alloc = rb_alloc,
	.free = rb_free,
	.count = rb_count,
	.check = rb_check,
};
