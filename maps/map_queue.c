/* SPDX-License-Identifier: MIT */
/*
 * maps/map_queue.c - queue, stack (the kernel's queue_stack_maps.c) and
 * bloom_filter (bloom_filter.c).  None of them has keys.
 *
 * Queue and stack share a ring of max_entries + 1 slots (one kept empty
 * so head == tail means empty, as in the kernel).  Push with BPF_EXIST on
 * a full map drops the oldest element - for a stack too, the bottom one.
 *
 * Bloom filter: the kernel's construction with our own jhash: k hash
 * functions (map_extra & 0xf, 0 meaning 5), bit i of function j is
 * jhash2(value, value_size / 4, seed + j) when the value is a multiple of
 * 4 bytes, else jhash(value, value_size, seed + j), masked to a
 * power-of-2 bit count of max_entries * k * 7 / 5 (about n * k / ln 2,
 * at least 64).  The kernel draws a random seed unless BPF_F_ZERO_SEED;
 * we use 0, so a zero-seed kernel filter and ours set the same bits.
 * False positives are possible, false negatives are not.
 */
#include "maps/maps_internal.h"

struct qs {
	uint8_t *slots;
	uint32_t size;          /* max_entries + 1 */
	uint32_t head, tail;
};

struct bloom {
	uint64_t *bits;
	uint32_t mask;          /* bit count - 1 */
	uint32_t nr_hash;
	uint64_t added;
	uint32_t *scratch;      /* aligned copy of an unaligned value */
};

static struct qs *Q(const struct map *m) { return m->priv; }
static struct bloom *B(const struct map *m) { return m->priv; }

static int keyless_check(struct map *m, uint32_t extra_mask, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;

	if (s->max_entries == 0)
		return map_err(m, e, -EINVAL, "max_entries 0");
	if (s->key_size != 0)
		return map_err(m, e, -EINVAL, "key size %u, expected 0", s->key_size);
	if (s->value_size == 0)
		return map_err(m, e, -EINVAL, "value size 0");
	if (s->map_flags & ~extra_mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x",
			       s->map_flags & ~extra_mask);
	if (s->value_size > MAP_KMALLOC_MAX)
		return map_err(m, e, -E2BIG, "value size %u", s->value_size);
	return 0;
}

#define ACCESS_FLAGS (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)

/* ----- queue and stack ----- */

static void qs_free(struct map *m)
{
	struct qs *q = Q(m);

	if (q)
		free(q->slots);
	free(q);
	m->priv = NULL;
}

static int qs_alloc(struct map *m, struct bb_err *e)
{
	uint64_t bytes;
	struct qs *q;
	int err = keyless_check(m, BPF_F_NUMA_NODE | ACCESS_FLAGS, e);

	if (err)
		return err;
	bytes = ((uint64_t)m->spec.max_entries + 1) * m->spec.value_size;
	if (bytes > (1ull << 32))
		return map_err(m, e, -ENOMEM, "%llu bytes of elements", (unsigned long long)bytes);
	q = calloc(1, sizeof(*q));
	if (!q)
		return map_err(m, e, -ENOMEM, "out of memory");
	q->size = m->spec.max_entries + 1;
	q->slots = calloc(1, bytes);
	if (!q->slots) {
		free(q);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	m->priv = q;
	return 0;
}

static uint32_t qs_len(const struct qs *q)
{
	return q->head >= q->tail ? q->head - q->tail : q->size - q->tail + q->head;
}

static inline uint8_t *slot(const struct map *m, uint32_t i)
{
	return Q(m)->slots + (size_t)i * m->spec.value_size;
}

static int qs_push(struct map *m, const void *value, uint64_t flags)
{
	struct qs *q = Q(m);

	if ((flags & BPF_NOEXIST) || flags > BPF_EXIST)
		return -EINVAL;
	if (qs_len(q) == m->spec.max_entries) {
		if (!(flags & BPF_EXIST))
			return -E2BIG;
		q->tail = (q->tail + 1) % q->size;      /* drop the oldest */
	}
	memcpy(slot(m, q->head), value, m->spec.value_size);
	q->head = (q->head + 1) % q->size;
	return 0;
}

static int queue_peek_or_pop(struct map *m, void *value, bool pop)
{
	struct qs *q = Q(m);

	if (q->head == q->tail)
		return -ENOENT;
	memcpy(value, slot(m, q->tail), m->spec.value_size);
	if (pop)
		q->tail = (q->tail + 1) % q->size;
	return 0;
}

static int stack_peek_or_pop(struct map *m, void *value, bool pop)
{
	struct qs *q = Q(m);
	uint32_t top;

	if (q->head == q->tail)
		return -ENOENT;
	top = q->head ? q->head - 1 : q->size - 1;
	memcpy(value, slot(m, top), m->spec.value_size);
	if (pop)
		q->head = top;
	return 0;
}

static int queue_pop(struct map *m, void *v) { return queue_peek_or_pop(m, v, true); }
static int queue_peek(struct map *m, void *v) { return queue_peek_or_pop(m, v, false); }
static int stack_pop(struct map *m, void *v) { return stack_peek_or_pop(m, v, true); }
static int stack_peek(struct map *m, void *v) { return stack_peek_or_pop(m, v, false); }

/* The system call's lookup is a peek, its update a push. */
static int queue_lookup(struct map *m, const void *k, void *v, uint64_t f) { return queue_peek(m, v); }
static int stack_lookup(struct map *m, const void *k, void *v, uint64_t f) { return stack_peek(m, v); }

static int qs_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	return qs_push(m, value, flags);
}

static int qs_einval(struct map *m, const void *key)
{
	return -EINVAL;
}

static int qs_next_key(struct map *m, const void *key, void *next)
{
	return -EINVAL;
}

static uint64_t qs_count(const struct map *m)
{
	return qs_len(Q(m));
}

static int qs_check(const struct map *m, struct bb_err *e)
{
	const struct qs *q = Q(m);

	if (q->head >= q->size || q->tail >= q->size)
		return map_err(m, e, -EUCLEAN, "head %u / tail %u outside %u slots", q->head,
			       q->tail, q->size);
	if (qs_len(q) > m->spec.max_entries)
		return map_err(m, e, -EUCLEAN, "%u elements over max_entries", qs_len(q));
	return 0;
}

const struct map_ops map_queue_ops = {
	.alloc = qs_alloc,
	.free = qs_free,
	.lookup = queue_lookup,
	.update = qs_update,
	.delete = qs_einval,
	.next_key = qs_next_key,
	.prog_delete = qs_einval,
	.push = qs_push,
	.pop = queue_pop,
	.peek = queue_peek,
	.count = qs_count,
	.check = qs_check,
};

const struct map_ops map_stack_ops = {
	.alloc = qs_alloc,
	.free = qs_free,
	.lookup = stack_lookup,
	.update = qs_update,
	.delete = qs_einval,
	.next_key = qs_next_key,
	.prog_delete = qs_einval,
	.push = qs_push,
	.pop = stack_pop,
	.peek = stack_peek,
	.count = qs_count,
	.check = qs_check,
};

/* ----- bloom filter ----- */

static void bloom_free(struct map *m)
{
	struct bloom *b = B(m);

	if (b) {
		free(b->bits);
		free(b->scratch);
	}
	free(b);
	m->priv = NULL;
}

static int bloom_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint64_t nr_bits;
	struct bloom *b;
	int err = keyless_check(m, BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | ACCESS_FLAGS, e);

	if (err)
		return err;
	if (s->map_extra & ~0xfull)
		return map_err(m, e, -EINVAL, "map_extra %#llx: only the low 4 bits (hash count)",
			       (unsigned long long)s->map_extra);
	b = calloc(1, sizeof(*b));
	if (!b)
		return map_err(m, e, -ENOMEM, "out of memory");
	b->nr_hash = (uint32_t)(s->map_extra & 0xf);
	if (!b->nr_hash)
		b->nr_hash = 5;
	/* n * k / ln 2, with 7 / 5 for 1 / ln 2, as the kernel sizes it. */
	nr_bits = (uint64_t)s->max_entries * b->nr_hash;
	nr_bits = nr_bits / 5 * 7;
	if (nr_bits > (1ull << 31))
		nr_bits = 1ull << 32;
	else if (nr_bits <= 64)
		nr_bits = 64;
	else
		nr_bits = map_roundup_pow2(nr_bits);
	b->mask = (uint32_t)(nr_bits - 1);
	b->bits = calloc(nr_bits / 64, 8);
	b->scratch = malloc(map_round_up(s->value_size, 4));
	if (!b->bits || !b->scratch) {
		free(b->bits);
		free(b->scratch);
		free(b);
		return map_err(m, e, -ENOMEM, "out of memory");
	}
	m->priv = b;
	return 0;
}

static uint32_t bloom_bit(const struct map *m, const void *value, uint32_t j)
{
	uint32_t vs = m->spec.value_size, h;

	if (vs % 4 == 0) {
		const uint32_t *w = value;

		/* jhash2 reads aligned words; copy when the caller's are not. */
		if ((uintptr_t)value & 3) {
			memcpy(B(m)->scratch, value, vs);
			w = B(m)->scratch;
		}
		h = map_jhash2(w, vs / 4, j);
	} else {
		h = map_jhash(value, vs, j);
	}
	return h & B(m)->mask;
}

static int bloom_push(struct map *m, const void *value, uint64_t flags)
{
	struct bloom *b = B(m);

	if (flags != BPF_ANY)
		return -EINVAL;
	for (uint32_t j = 0; j < b->nr_hash; j++) {
		uint32_t i = bloom_bit(m, value, j);

		b->bits[i / 64] |= 1ull << (i % 64);
	}
	b->added++;
	return 0;
}

static int bloom_peek(struct map *m, void *value)
{
	struct bloom *b = B(m);

	for (uint32_t j = 0; j < b->nr_hash; j++) {
		uint32_t i = bloom_bit(m, value, j);

		if (!(b->bits[i / 64] & (1ull << (i % 64))))
			return -ENOENT;
	}
	return 0;
}

static int bloom_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	return bloom_peek(m, value);    /* the value is the input */
}

static int bloom_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	return bloom_push(m, value, flags);
}

static int bloom_pop(struct map *m, void *value)
{
	return -EOPNOTSUPP;
}

static int bloom_delete(struct map *m, const void *key)
{
	return -EOPNOTSUPP;
}

static int bloom_next_key(struct map *m, const void *key, void *next)
{
	return -EOPNOTSUPP;
}

static uint64_t bloom_count(const struct map *m)
{
	return B(m)->added;
}

static int bloom_check(const struct map *m, struct bb_err *e)
{
	const struct bloom *b = B(m);

	if (b->nr_hash < 1 || b->nr_hash > 15)
		return map_err(m, e, -EUCLEAN, "%u hash functions", b->nr_hash);
	if (((uint64_t)b->mask + 1) & b->mask)
		return map_err(m, e, -EUCLEAN, "bit count %llu not a power of 2",
			       (unsigned long long)b->mask + 1);
	return 0;
}

const struct map_ops map_bloom_ops = {
	.alloc = bloom_alloc,
	.free = bloom_free,
	.lookup = bloom_lookup,
	.update = bloom_update,
	.delete = bloom_delete,
	.next_key = bloom_next_key,
	.prog_delete = bloom_delete,
	.push = bloom_push,
	.pop = bloom_pop,
	.peek = bloom_peek,
	.count = bloom_count,
	.check = bloom_check,
};
