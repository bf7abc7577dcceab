/* SPDX-License-Identifier: MIT */
/*
 * maps/map_perf.c - BPF_MAP_TYPE_PERF_EVENT_ARRAY with records captured
 * per slot and a consumer, standing in for perf events + perf_buffer.
 *
 * In the kernel each slot holds a perf event fd that user space opened
 * for one CPU (perf_buffer__new puts CPU i's event in slot i), and
 * bpf_perf_event_output refuses (-EOPNOTSUPP) to write to an event that is
 * not on the current CPU.  Here every slot starts open with the event of
 * virtual CPU i, so the same rule holds: a program on virtual CPU c can
 * write to slot c (BPF_F_CURRENT_CPU) and to no other.  Each slot keeps
 * up to MAP_PERF_SLOT_BYTES of records; the rest are counted as lost, as
 * a full perf ring would.
 *
 * A raw perf sample is padded so that its u32 size plus data is a
 * multiple of 8; the consumer sees that padded size (zero bytes at the
 * end), as perf_buffer callbacks do.
 */
#include "maps/maps_internal.h"

#define MAP_PERF_SLOT_BYTES (256u << 10)

struct pslot {
	struct bb_vec bytes;    /* uint8_t: { u32 size; data[size] } ... */
	size_t head;            /* consumed bytes */
	uint64_t lost;
	bool open;
};

struct perf {
	struct pslot *slots;
};

static struct perf *P(const struct map *m) { return m->priv; }

static void perf_free(struct map *m)
{
	struct perf *p = P(m);

	if (!p)
		return;
	if (p->slots)
		for (uint32_t i = 0; i < m->spec.max_entries; i++)
			bb_vec_free(&p->slots[i].bytes);
	free(p->slots);
	free(p);
	m->priv = NULL;
}

static int perf_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint32_t mask = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_PRESERVE_ELEMS;
	struct perf *p;

	if (s->value_size != 4)
		return map_err(m, e, -EINVAL, "value size %u, expected 4 (an fd)", s->value_size);
	if (s->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return map_err(m, e, -EINVAL, "BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG on a map of fds");
	if (s->max_entries == 0)
		return map_err(m, e, -EINVAL, "max_entries 0");
	if (s->key_size != 4)
		return map_err(m, e, -EINVAL, "key size %u, expected 4", s->key_size);
	if (s->map_flags & ~mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x", s->map_flags & ~mask);
	if (s->max_entries > (1u << 20))
		return map_err(m, e, -ENOMEM, "%u slots too many to hold here", s->max_entries);
	p = calloc(1, sizeof(*p));
	if (!p)
		return map_err(m, e, -ENOMEM, "out of memory");
	p->slots = calloc(s->max_entries, sizeof(*p->slots));
	if (!p->slots) {
		free(p);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < s->max_entries; i++) {
		bb_vec_init(&p->slots[i].bytes, 1);
		p->slots[i].open = true;
	}
	m->priv = p;
	return 0;
}

int map_perf_output(struct map *m, uint32_t cpu, uint64_t flags, const void *data,
		    uint64_t size)
{
	uint64_t index = flags & BPF_F_INDEX_MASK;
	struct pslot *s;
	uint32_t padded;
	size_t at;

	if (m->spec.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return -EINVAL;
	if (flags & ~(uint64_t)BPF_F_INDEX_MASK)
		return -EINVAL;
	if (index == BPF_F_CURRENT_CPU)
		index = cpu;
	if (index >= m->spec.max_entries)
		return -E2BIG;
	s = &P(m)->slots[index];
	if (!s->open)
		return -ENOENT;
	if (index != cpu)
		return -EOPNOTSUPP;     /* that slot's event is on another CPU */
	if (size > UINT32_MAX / 2)
		return -E2BIG;
	padded = (uint32_t)(map_round_up(size + 4, 8) - 4);
	if (s->bytes.len - s->head + 4 + padded > MAP_PERF_SLOT_BYTES) {
		s->lost++;
		return -ENOSPC;
	}
	/* Drop what was consumed before growing. */
	if (s->head) {
		memmove(s->bytes.data, (uint8_t *)s->bytes.data + s->head, s->bytes.len - s->head);
		s->bytes.len -= s->head;
		s->head = 0;
	}
	at = s->bytes.len;
	if (bb_vec_reserve(&s->bytes, at + 4 + padded) < 0)
		return -ENOMEM;
	memcpy((uint8_t *)s->bytes.data + at, &padded, 4);
	memcpy((uint8_t *)s->bytes.data + at + 4, data, size);
	memset((uint8_t *)s->bytes.data + at + 4 + size, 0, padded - size);
	s->bytes.len = at + 4 + padded;
	return 0;
}

int map_perf_slot_open(struct map *m, uint32_t index, bool open)
{
	if (m->spec.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return -EINVAL;
	if (index >= m->spec.max_entries)
		return -E2BIG;
	P(m)->slots[index].open = open;
	return 0;
}

static long consume_slot(struct pslot *s, map_record_cb cb, void *ctx)
{
	long cnt = 0;

	while (s->head < s->bytes.len) {
		const uint8_t *rec = (const uint8_t *)s->bytes.data + s->head;
		uint32_t size;
		int err;

		memcpy(&size, rec, 4);
		s->head += 4 + (size_t)size;
		err = cb(ctx, rec + 4, size);
		if (err)
			return err < 0 ? err : cnt + 1;
		cnt++;
	}
	s->bytes.len = 0;
	s->head = 0;
	return cnt;
}

long map_perf_consume(struct map *m, int index, map_record_cb cb, void *ctx)
{
	struct perf *p;
	long total = 0;

	if (m->spec.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY || !cb)
		return -EINVAL;
	if (index >= 0 && (uint32_t)index >= m->spec.max_entries)
		return -E2BIG;
	p = P(m);
	for (uint32_t i = index < 0 ? 0 : (uint32_t)index;
	     i < (index < 0 ? m->spec.max_entries : (uint32_t)index + 1); i++) {
		long n = consume_slot(&p->slots[i], cb, ctx);

		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

uint64_t map_perf_lost(const struct map *m, uint32_t index)
{
	if (m->spec.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY || index >= m->spec.max_entries)
		return 0;
	return P(m)->slots[index].lost;
}

static int perf_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t i;

	if (flags != BPF_ANY)
		return -EINVAL;
	memcpy(&i, key, 4);
	if (i >= m->spec.max_entries)
		return -E2BIG;
	return -EBADF;  /* the value is a perf event fd; offline there are none */
}

/* Closing the slot is what deleting its fd does. */
static int perf_delete(struct map *m, const void *key)
{
	uint32_t i;

	memcpy(&i, key, 4);
	if (i >= m->spec.max_entries)
		return -E2BIG;
	if (!P(m)->slots[i].open)
		return -ENOENT;
	P(m)->slots[i].open = false;
	return 0;
}

static int perf_prog_delete(struct map *m, const void *key)
{
	return -EINVAL;
}

static int perf_next_key(struct map *m, const void *key, void *next_key)
{
	uint32_t i = UINT32_MAX, next;

	if (key)
		memcpy(&i, key, 4);
	if (i >= m->spec.max_entries)
		next = 0;
	else if (i == m->spec.max_entries - 1)
		return -ENOENT;
	else
		next = i + 1;
	memcpy(next_key, &next, 4);
	return 0;
}

static uint64_t perf_count(const struct map *m)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < m->spec.max_entries; i++)
		n += P(m)->slots[i].open;
	return n;
}

static int perf_check(const struct map *m, struct bb_err *e)
{
	for (uint32_t i = 0; i < m->spec.max_entries; i++) {
		const struct pslot *s = &P(m)->slots[i];

		if (s->head > s->bytes.len || s->bytes.len > MAP_PERF_SLOT_BYTES)
			return map_err(m, e, -EUCLEAN, "slot %u: %zu of %zu bytes consumed", i,
				       s->head, s->bytes.len);
	}
	return 0;
}

const struct map_ops map_perf_ops = {
	.alloc = perf_alloc,
	.free = perf_free,
	.update = perf_update,
	.delete = perf_delete,
	.next_key = perf_next_key,
	.prog_delete = perf_prog_delete,
	.count = perf_count,
	.check = perf_check,
};
