/* SPDX-License-Identifier: MIT */
/*
 * maps/map_array.c - array, percpu_array, prog_array, array_of_maps
 * (the kernel's arraymap.c family).
 *
 * Values are stored round_up(value_size, 8) apart, like the kernel's
 * elem_size, so that a program's pointer arithmetic over the value of a
 * global-data map (one element) or across elements behaves the same.
 * Per-CPU arrays keep one such block per virtual CPU, CPU-major, so each
 * CPU's values form one region (map_value_region()).
 */
#include "maps/maps_internal.h"

struct arr {
	uint8_t *vals;          /* nr_cpus (percpu) or 1 blocks of max_entries * vsize8 */
	/* prog_array: handles and ids; array_of_maps: inner maps */
	void **ptrs;
	uint32_t *ids;
};

static struct arr *A(const struct map *m) { return m->priv; }

static bool is_fd_array(const struct map *m)
{
	return m->spec.type == BPF_MAP_TYPE_PROG_ARRAY ||
	       m->spec.type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
}

/* array_map_alloc_check() and fd_array_map_alloc_check(). */
static int array_check_spec(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint32_t mask = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_RDONLY | BPF_F_WRONLY |
			BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_PRESERVE_ELEMS |
			BPF_F_INNER_MAP;
	bool percpu = s->type == BPF_MAP_TYPE_PERCPU_ARRAY;

	if (is_fd_array(m)) {
		if (s->value_size != 4)
			return map_err(m, e, -EINVAL, "value size %u, expected 4 (an fd)",
				       s->value_size);
		if (s->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
			return map_err(m, e, -EINVAL,
				       "BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG on a map of fds");
	}
	if (s->max_entries == 0)
		return map_err(m, e, -EINVAL, "max_entries 0");
	if (s->key_size != 4)
		return map_err(m, e, -EINVAL, "key size %u, expected 4", s->key_size);
	if (s->value_size == 0)
		return map_err(m, e, -EINVAL, "value size 0");
	if (s->map_flags & ~mask)
		return map_err(m, e, -EINVAL, "unsupported map_flags %#x", s->map_flags & ~mask);
	if (percpu && (s->map_flags & BPF_F_NUMA_NODE))
		return map_err(m, e, -EINVAL, "BPF_F_NUMA_NODE on a per-CPU array");
	if (s->type != BPF_MAP_TYPE_ARRAY && (s->map_flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)))
		return map_err(m, e, -EINVAL, "BPF_F_MMAPABLE/BPF_F_INNER_MAP only for arrays");
	if (s->map_flags & BPF_F_PRESERVE_ELEMS)
		return map_err(m, e, -EINVAL, "BPF_F_PRESERVE_ELEMS only for perf event arrays");
	if (s->value_size > INT32_MAX)
		return map_err(m, e, -E2BIG, "value size %u too big", s->value_size);
	if (percpu && m->vsize8 > MAP_PCPU_MAX)
		return map_err(m, e, -E2BIG, "per-CPU value size %u over %u", s->value_size,
			       MAP_PCPU_MAX);
	return 0;
}

static void array_free(struct map *m)
{
	struct arr *a = A(m);

	if (!a)
		return;
	if (m->spec.type == BPF_MAP_TYPE_ARRAY_OF_MAPS && a->ptrs)
		for (uint32_t i = 0; i < m->spec.max_entries; i++)
			map_free(a->ptrs[i]);
	free(a->vals);
	free(a->ptrs);
	free(a->ids);
	free(a);
	m->priv = NULL;
}

static int array_alloc(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint64_t blocks = s->type == BPF_MAP_TYPE_PERCPU_ARRAY ? s->nr_cpus : 1;
	uint64_t bytes = (uint64_t)s->max_entries * m->vsize8 * blocks;
	struct arr *a;
	int err = array_check_spec(m, e);

	if (err)
		return err;
	if (s->type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
		struct map *probe;

		if (!s->inner)
			return map_err(m, e, -EINVAL, "map-in-map needs an inner map template");
		/* The template must itself be a map we could create. */
		err = map_new(s->inner, &probe, e);
		if (err)
			return err;
		map_free(probe);
		if (s->inner->type == BPF_MAP_TYPE_PROG_ARRAY ||
		    s->inner->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		    s->inner->type == BPF_MAP_TYPE_HASH_OF_MAPS)
			return map_err(m, e, -MAP_ENOTSUPP, "inner map of type %s",
				       map_type_name(s->inner->type));
	}
	/* The kernel would try vmalloc; we refuse sizes no test needs. */
	if (bytes > (1ull << 32))
		return map_err(m, e, -ENOMEM, "%llu bytes of values", (unsigned long long)bytes);
	a = calloc(1, sizeof(*a));
	if (!a)
		return map_err(m, e, -ENOMEM, "out of memory");
	m->priv = a;
	if (is_fd_array(m)) {
		a->ptrs = calloc(s->max_entries, sizeof(*a->ptrs));
		a->ids = calloc(s->max_entries, sizeof(*a->ids));
		if (!a->ptrs || !a->ids)
			goto nomem;
	} else {
		a->vals = calloc(1, bytes);
		if (!a->vals)
			goto nomem;
	}
	return 0;
nomem:
	array_free(m);
	return map_err(m, e, -ENOMEM, "out of memory");
}

static inline uint8_t *val_at(const struct map *m, uint32_t i, uint32_t cpu)
{
	return A(m)->vals + ((uint64_t)cpu * m->spec.max_entries + i) * m->vsize8;
}

static inline uint32_t key_index(const void *key)
{
	uint32_t i;

	memcpy(&i, key, 4);
	return i;
}

static int array_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	uint32_t i = key_index(key);

	if (i >= m->spec.max_entries)
		return -ENOENT;
	if (m->spec.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		/* bpf_percpu_array_copy(): every CPU, 8-byte strides. */
		for (uint32_t c = 0; c < m->spec.nr_cpus; c++)
			memcpy((uint8_t *)value + (size_t)c * m->vsize8, val_at(m, i, c), m->vsize8);
		return 0;
	}
	map_copy_value_out(m, value, val_at(m, i, 0));
	return 0;
}

static int array_update_common(struct map *m, const void *key, uint64_t flags, bool percpu_sys)
{
	uint32_t i = key_index(key);

	if (percpu_sys ? flags > BPF_EXIST : (flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;
	if (i >= m->spec.max_entries)
		return -E2BIG;
	if (flags & BPF_NOEXIST)
		return -EEXIST;         /* every element of an array exists */
	return 0;
}

static int array_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	bool percpu = m->spec.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	int err = array_update_common(m, key, flags, percpu);
	uint32_t i = key_index(key);

	if (err)
		return err;
	if (percpu) {
		for (uint32_t c = 0; c < m->spec.nr_cpus; c++)
			memcpy(val_at(m, i, c), (const uint8_t *)value + (size_t)c * m->vsize8,
			       m->vsize8);
		return 0;
	}
	map_copy_value(m, val_at(m, i, 0), value);
	return 0;
}

static int array_prog_update(struct map *m, const void *key, const void *value,
			     uint64_t flags, uint32_t cpu)
{
	bool percpu = m->spec.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	int err = array_update_common(m, key, flags, false);

	if (err)
		return err;
	map_copy_value(m, val_at(m, key_index(key), percpu ? cpu : 0), value);
	return 0;
}

static int array_delete(struct map *m, const void *key)
{
	return -EINVAL;         /* array elements cannot go away */
}

static int array_next_key(struct map *m, const void *key, void *next_key)
{
	uint32_t i = key ? key_index(key) : UINT32_MAX, next;

	if (i >= m->spec.max_entries)
		next = 0;
	else if (i == m->spec.max_entries - 1)
		return -ENOENT;
	else
		next = i + 1;
	memcpy(next_key, &next, 4);
	return 0;
}

static void *array_elem_ptr(struct map *m, const void *key, uint32_t cpu)
{
	uint32_t i = key_index(key);

	if (i >= m->spec.max_entries)
		return NULL;
	if (m->spec.type == BPF_MAP_TYPE_ARRAY_OF_MAPS)
		return A(m)->ptrs[i];
	return val_at(m, i, m->spec.type == BPF_MAP_TYPE_PERCPU_ARRAY ? cpu : 0);
}

static long array_for_each(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu)
{
	long n = 0;

	for (uint32_t i = 0; i < m->spec.max_entries; i++) {
		void *v = array_elem_ptr(m, &i, cpu);
		int r;

		n++;
		r = cb(ctx, m, &i, v);
		if (r)
			break;
	}
	return n;
}

static uint64_t array_count(const struct map *m)
{
	const struct arr *a = A(m);
	uint64_t n = 0;

	if (!is_fd_array(m))
		return m->spec.max_entries;
	for (uint32_t i = 0; i < m->spec.max_entries; i++)
		n += a->ptrs[i] != NULL;
	return n;
}

static int array_check(const struct map *m, struct bb_err *e)
{
	const struct arr *a = A(m);

	if (!a)
		return map_err(m, e, -EUCLEAN, "no storage");
	if (is_fd_array(m)) {
		for (uint32_t i = 0; i < m->spec.max_entries; i++)
			if (!a->ptrs[i] != !a->ids[i])
				return map_err(m, e, -EUCLEAN, "slot %u: handle and id disagree", i);
	}
	return 0;
}

int map_value_region(struct map *m, uint32_t cpu, void **addr, size_t *len, bool *writable)
{
	uint32_t t = m->spec.type;

	if (t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_PERCPU_ARRAY)
		return -EINVAL;
	if (t == BPF_MAP_TYPE_PERCPU_ARRAY ? cpu >= m->spec.nr_cpus : false)
		return -EINVAL;
	*addr = val_at(m, 0, t == BPF_MAP_TYPE_PERCPU_ARRAY ? cpu : 0);
	*len = (size_t)m->spec.max_entries * m->vsize8;
	if (writable)
		*writable = !(m->spec.map_flags & BPF_F_RDONLY_PROG);
	return 0;
}

/* ----- prog_array and array_of_maps: slots hold handles ----- */

static int fd_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	uint32_t i = key_index(key);

	/* The kernel answers the program's or the inner map's id. */
	if (i >= m->spec.max_entries || !A(m)->ptrs[i])
		return -ENOENT;
	memcpy(value, &A(m)->ids[i], 4);
	return 0;
}

static int fd_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	if (key_index(key) >= m->spec.max_entries)
		return -E2BIG;
	/* The value would be an fd; offline there are none to resolve, so
	 * this is what the kernel says for an fd that is not open.  Use
	 * map_prog_array_set() / map_inner_set(). */
	return -EBADF;
}

static void slot_clear(struct map *m, uint32_t i)
{
	struct arr *a = A(m);

	if (m->spec.type == BPF_MAP_TYPE_ARRAY_OF_MAPS)
		map_free(a->ptrs[i]);
	a->ptrs[i] = NULL;
	a->ids[i] = 0;
}

static int fd_delete(struct map *m, const void *key)
{
	uint32_t i = key_index(key);

	if (i >= m->spec.max_entries)
		return -E2BIG;
	if (!A(m)->ptrs[i])
		return -ENOENT;
	slot_clear(m, i);
	return 0;
}

static int fd_prog_delete(struct map *m, const void *key)
{
	return -EINVAL;         /* the verifier refuses it */
}

int map_prog_array_set(struct map *m, uint32_t index, void *prog, uint32_t prog_id)
{
	if (m->spec.type != BPF_MAP_TYPE_PROG_ARRAY)
		return -EINVAL;
	if (index >= m->spec.max_entries)
		return -E2BIG;
	if (prog && !prog_id)
		return -EINVAL;
	A(m)->ptrs[index] = prog;
	A(m)->ids[index] = prog ? prog_id : 0;
	return 0;
}

void *map_prog_array_get(struct map *m, uint32_t index, uint32_t *prog_id)
{
	if (m->spec.type != BPF_MAP_TYPE_PROG_ARRAY || index >= m->spec.max_entries)
		return NULL;
	if (prog_id)
		*prog_id = A(m)->ids[index];
	return A(m)->ptrs[index];
}

int map_array_inner_set(struct map *m, uint32_t index, struct map *inner, uint64_t flags)
{
	struct arr *a = A(m);

	if (flags != BPF_ANY)
		return -EINVAL;
	if (index >= m->spec.max_entries)
		return -E2BIG;
	if (!inner || !map_inner_compatible(m->spec.inner, inner))
		return -EINVAL;
	map_get(inner);
	slot_clear(m, index);
	a->ptrs[index] = inner;
	a->ids[index] = inner->id;
	return 0;
}

const struct map_ops map_array_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.next_key = array_next_key,
	.elem_ptr = array_elem_ptr,
	.prog_update = array_prog_update,
	.prog_delete = array_delete,
	.for_each = array_for_each,
	.count = array_count,
	.check = array_check,
};

const struct map_ops map_percpu_array_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.next_key = array_next_key,
	.elem_ptr = array_elem_ptr,
	.prog_update = array_prog_update,
	.prog_delete = array_delete,
	.for_each = array_for_each,
	.count = array_count,
	.check = array_check,
};

const struct map_ops map_prog_array_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = fd_lookup,
	.update = fd_update,
	.delete = fd_delete,
	.next_key = array_next_key,
	.prog_delete = fd_prog_delete,
	.count = array_count,
	.check = array_check,
};

const struct map_ops map_array_of_maps_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = fd_lookup,
	.update = fd_update,
	.delete = fd_delete,
	.next_key = array_next_key,
	.elem_ptr = array_elem_ptr,
	.prog_delete = fd_prog_delete,
	.for_each = array_for_each,
	.count = array_count,
	.check = array_check,
};
