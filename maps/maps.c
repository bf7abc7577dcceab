/* SPDX-License-Identifier: MIT */
/*
 * maps/maps.c - the part of every map that does not depend on its type:
 * the type table, the checks the kernel's map_create() and syscall.c do
 * before a map's own ops run, references, and jhash.
 *
 * The order of the checks follows kernel/bpf/syscall.c, because the order
 * decides which errno a caller sees when several things are wrong (a
 * frozen map updated with bad flags answers -EINVAL, not -EPERM, ...);
 * tests/maps/test_kernel_diff.c holds us to it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "elf/obj.h"
#include "maps/maps_internal.h"

/* One row per map type we implement: the uapi constant, our name, ops. */
#define MAP_TYPES(X)                                                    \
	X(BPF_MAP_TYPE_HASH, "hash", map_hash_ops)                      \
	X(BPF_MAP_TYPE_ARRAY, "array", map_array_ops)                   \
	X(BPF_MAP_TYPE_PROG_ARRAY, "prog_array", map_prog_array_ops)    \
	X(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array", map_perf_ops) \
	X(BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", map_hash_ops)        \
	X(BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", map_percpu_array_ops) \
	X(BPF_MAP_TYPE_STACK_TRACE, "stack_trace", map_stack_trace_ops) \
	X(BPF_MAP_TYPE_LRU_HASH, "lru_hash", map_hash_ops)              \
	X(BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash", map_hash_ops) \
	X(BPF_MAP_TYPE_LPM_TRIE, "lpm_trie", map_trie_ops)              \
	X(BPF_MAP_TYPE_ARRAY_OF_MAPS, "array_of_maps", map_array_of_maps_ops) \
	X(BPF_MAP_TYPE_HASH_OF_MAPS, "hash_of_maps", map_hash_of_maps_ops) \
	X(BPF_MAP_TYPE_QUEUE, "queue", map_queue_ops)                   \
	X(BPF_MAP_TYPE_STACK, "stack", map_stack_ops)                   \
	X(BPF_MAP_TYPE_RINGBUF, "ringbuf", map_ringbuf_ops)             \
	X(BPF_MAP_TYPE_BLOOM_FILTER, "bloom_filter", map_bloom_ops)

static const struct map_ops *ops_of(uint32_t type)
{
	switch (type) {
#define X(t, n, o) case t: return &o;
	MAP_TYPES(X)
#undef X
	default:
		return NULL;
	}
}

const char *map_type_name(uint32_t type)
{
	switch (type) {
#define X(t, n, o) case t: return n;
	MAP_TYPES(X)
#undef X
	default:
		return NULL;
	}
}

bool map_type_supported(uint32_t type)
{
	return ops_of(type) != NULL;
}

int map_err(const struct map *m, struct bb_err *e, int code, const char *fmt, ...)
{
	char msg[BB_ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m && m->name[0])
		return bb_err_insn(e, code, -1, "map '%s': %s", m->name, msg);
	return bb_err_insn(e, code, -1, "map: %s", msg);
}

/* ------------------------------------------------------------------ */
/* jhash: Bob Jenkins' lookup3 as the kernel's <linux/jhash.h> uses it   */
/* ------------------------------------------------------------------ */

#define JHASH_INITVAL 0xdeadbeefu

static inline uint32_t rol32(uint32_t w, unsigned s)
{
	return (w << s) | (w >> (32 - s));
}

#define JHASH_MIX(a, b, c) do {                                         \
	a -= c; a ^= rol32(c, 4); c += b;                               \
	b -= a; b ^= rol32(a, 6); a += c;                               \
	c -= b; c ^= rol32(b, 8); b += a;                               \
	a -= c; a ^= rol32(c, 16); c += b;                              \
	b -= a; b ^= rol32(a, 19); a += c;                              \
	c -= b; c ^= rol32(b, 4); b += a;                               \
} while (0)

#define JHASH_FINAL(a, b, c) do {                                       \
	c ^= b; c -= rol32(b, 14);                                      \
	a ^= c; a -= rol32(c, 11);                                      \
	b ^= a; b -= rol32(a, 25);                                      \
	c ^= b; c -= rol32(b, 16);                                      \
	a ^= c; a -= rol32(c, 4);                                       \
	b ^= a; b -= rol32(a, 14);                                      \
	c ^= b; c -= rol32(b, 24);                                      \
} while (0)

static inline uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);       /* the kernel reads host-order words */
	return v;
}

uint32_t map_jhash(const void *key, uint32_t len, uint32_t initval)
{
	const uint8_t *k = key;
	uint32_t a, b, c;

	a = b = c = JHASH_INITVAL + len + initval;
	while (len > 12) {
		a += get32(k);
		b += get32(k + 4);
		c += get32(k + 8);
		JHASH_MIX(a, b, c);
		len -= 12;
		k += 12;
	}
	/* The tail is added byte by byte, little-endian within each word. */
	switch (len) {
	case 12: c += (uint32_t)k[11] << 24; /* fall through */
	case 11: c += (uint32_t)k[10] << 16; /* fall through */
	case 10: c += (uint32_t)k[9] << 8;   /* fall through */
	case 9:  c += k[8];                  /* fall through */
	case 8:  b += (uint32_t)k[7] << 24;  /* fall through */
	case 7:  b += (uint32_t)k[6] << 16;  /* fall through */
	case 6:  b += (uint32_t)k[5] << 8;   /* fall through */
	case 5:  b += k[4];                  /* fall through */
	case 4:  a += (uint32_t)k[3] << 24;  /* fall through */
	case 3:  a += (uint32_t)k[2] << 16;  /* fall through */
	case 2:  a += (uint32_t)k[1] << 8;   /* fall through */
	case 1:  a += k[0];
		JHASH_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

uint32_t map_jhash2(const uint32_t *k, uint32_t words, uint32_t initval)
{
	uint32_t a, b, c;

	a = b = c = JHASH_INITVAL + (words << 2) + initval;
	while (words > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		JHASH_MIX(a, b, c);
		words -= 3;
		k += 3;
	}
	switch (words) {
	case 3: c += k[2]; /* fall through */
	case 2: b += k[1]; /* fall through */
	case 1: a += k[0];
		JHASH_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

/* ------------------------------------------------------------------ */
/* Values with a spin lock                                               */
/* ------------------------------------------------------------------ */

void map_copy_value(const struct map *m, void *dst, const void *src)
{
	uint32_t vs = m->spec.value_size, off = m->spec.spin_lock_off;

	if (!m->spec.has_spin_lock) {
		memcpy(dst, src, vs);
		return;
	}
	memcpy(dst, src, off);
	memcpy((uint8_t *)dst + off + 4, (const uint8_t *)src + off + 4, vs - off - 4);
}

void map_copy_value_out(const struct map *m, void *dst, const void *src)
{
	map_copy_value(m, dst, src);
	if (m->spec.has_spin_lock)
		memset((uint8_t *)dst + m->spec.spin_lock_off, 0, 4);
}

/* ------------------------------------------------------------------ */
/* Creation                                                              */
/* ------------------------------------------------------------------ */

int map_host_possible_cpus(void)
{
	char buf[256];
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	size_t n;
	int count = 0;
	char *p;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "0-3" or "0,2-5,7": count every CPU in every range. */
	for (p = buf; *p && *p != '\n';) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			return -EINVAL;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a)
				return -EINVAL;
		}
		count += (int)(b - a + 1);
		p = end;
		if (*p == ',')
			p++;
	}
	return count > 0 ? count : -EINVAL;
}

int map_spec_from_obj(const struct obj_map *om, uint32_t nr_cpus, struct map_spec *spec,
		      struct map_spec *inner, struct bb_err *e)
{
	if (!om || !spec)
		return bb_err_insn(e, -EINVAL, -1, "map: no definition");
	memset(spec, 0, sizeof(*spec));
	spec->type = om->type;
	spec->key_size = om->key_size;
	spec->value_size = om->value_size;
	spec->max_entries = om->max_entries;
	spec->map_flags = om->map_flags;
	spec->map_extra = om->map_extra;
	spec->nr_cpus = nr_cpus;
	spec->name = om->name;
	/* libbpf: a perf event array without a size gets one slot per CPU. */
	if (spec->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && spec->max_entries == 0)
		spec->max_entries = nr_cpus ? nr_cpus : MAP_DEFAULT_NR_CPUS;
	/* libbpf: ring buffer sizes become a power-of-2 number of pages. */
	if (spec->type == BPF_MAP_TYPE_RINGBUF && spec->max_entries) {
		uint64_t pages = (spec->max_entries + MAP_PAGE_SIZE - 1) / MAP_PAGE_SIZE;

		pages = map_roundup_pow2(pages);
		if (pages * MAP_PAGE_SIZE > UINT32_MAX)
			return bb_err_insn(e, -E2BIG, -1, "map '%s': ring buffer size %u too big",
					   om->name, om->max_entries);
		spec->max_entries = (uint32_t)(pages * MAP_PAGE_SIZE);
	}
	if (om->inner) {
		if (!inner)
			return bb_err_insn(e, -EINVAL, -1,
					   "map '%s': map-in-map needs storage for its template",
					   om->name);
		memset(inner, 0, sizeof(*inner));
		inner->type = om->inner->type;
		inner->key_size = om->inner->key_size;
		inner->value_size = om->inner->value_size;
		inner->max_entries = om->inner->max_entries;
		inner->map_flags = om->inner->map_flags;
		inner->map_extra = om->inner->map_extra;
		inner->nr_cpus = nr_cpus;
		inner->name = om->inner->name;
		spec->inner = inner;
	}
	return 0;
}

static uint32_t next_map_id(void)
{
	static uint32_t last;

	return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

/* What syscall.c's map_create() checks before the type's own checks. */
static int check_common(struct map *m, struct bb_err *e)
{
	const struct map_spec *s = &m->spec;
	uint32_t f = s->map_flags;

	if (s->map_extra && s->type != BPF_MAP_TYPE_BLOOM_FILTER)
		return map_err(m, e, -EINVAL, "map_extra %#llx is only for bloom filters",
			       (unsigned long long)s->map_extra);
	if ((f & BPF_F_RDONLY) && (f & BPF_F_WRONLY))
		return map_err(m, e, -EINVAL, "BPF_F_RDONLY and BPF_F_WRONLY together");
	if ((f & BPF_F_RDONLY_PROG) && (f & BPF_F_WRONLY_PROG))
		return map_err(m, e, -EINVAL, "BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG together");
	if (s->nr_cpus > MAP_MAX_CPUS)
		return map_err(m, e, -EINVAL, "%u virtual CPUs (at most %u)", s->nr_cpus,
			       MAP_MAX_CPUS);
	if (s->has_spin_lock && ((uint64_t)s->spin_lock_off + 4 > s->value_size ||
				 s->spin_lock_off % 4))
		return map_err(m, e, -EINVAL, "spin lock at %u does not fit value size %u",
			       s->spin_lock_off, s->value_size);
	return 0;
}

int map_new(const struct map_spec *spec, struct map **out, struct bb_err *e)
{
	struct map *m;
	int err;

	if (out)
		*out = NULL;
	if (!spec || !out)
		return bb_err_insn(e, -EINVAL, -1, "map: no spec");
	m = calloc(1, sizeof(*m));
	if (!m)
		return bb_err_insn(e, -ENOMEM, -1, "map: out of memory");
	m->spec = *spec;
	if (spec->name)
		snprintf(m->name, sizeof(m->name), "%s", spec->name);
	m->spec.name = m->name;
	if (!m->spec.nr_cpus)
		m->spec.nr_cpus = MAP_DEFAULT_NR_CPUS;
	if (spec->inner) {
		m->inner_spec = *spec->inner;
		m->inner_spec.name = NULL;
		m->inner_spec.inner = NULL;
		if (!m->inner_spec.nr_cpus)
			m->inner_spec.nr_cpus = m->spec.nr_cpus;
		m->spec.inner = &m->inner_spec;
	}
	m->refs = 1;
	m->id = next_map_id();
	m->vsize8 = (uint32_t)map_round_up(spec->value_size, 8);
	m->ops = ops_of(spec->type);
	if (!m->ops) {
		err = map_err(m, e, -EINVAL, "map type %u is not supported offline", spec->type);
		free(m);
		return err;
	}
	err = check_common(m, e);
	if (!err)
		err = m->ops->alloc(m, e);
	if (err) {
		/* alloc() cleans up after itself on failure. */
		free(m);
		return err;
	}
	*out = m;
	return 0;
}

struct map *map_get(struct map *m)
{
	if (m)
		m->refs++;
	return m;
}

void map_free(struct map *m)
{
	if (!m || --m->refs)
		return;
	m->ops->free(m);
	free(m);
}

const struct map_spec *map_spec_of(const struct map *m) { return &m->spec; }
const char *map_name(const struct map *m) { return m->name; }
uint32_t map_type(const struct map *m) { return m->spec.type; }
uint32_t map_id(const struct map *m) { return m->id; }
bool map_frozen(const struct map *m) { return m->frozen; }

size_t map_value_size_user(const struct map *m)
{
	switch (m->spec.type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return 4;
	default:
		break;
	}
	if (map_is_percpu(m))
		return (size_t)m->vsize8 * m->spec.nr_cpus;
	return m->spec.value_size;
}

uint64_t map_count(const struct map *m)
{
	return m->ops->count ? m->ops->count(m) : 0;
}

int map_check(const struct map *m, struct bb_err *e)
{
	if (!m)
		return bb_err_insn(e, -EINVAL, -1, "map: NULL");
	if (!m->refs)
		return map_err(m, e, -EUCLEAN, "no references");
	return m->ops->check ? m->ops->check(m, e) : 0;
}

/* ------------------------------------------------------------------ */
/* System-call side                                                      */
/* ------------------------------------------------------------------ */

/* map_get_sys_perms(): BPF_F_RDONLY / BPF_F_WRONLY are the fd's mode in
 * the kernel; freezing takes away write. */
static bool can_read(const struct map *m)
{
	return !(m->spec.map_flags & BPF_F_WRONLY);
}

static bool can_write(const struct map *m)
{
	return !(m->spec.map_flags & BPF_F_RDONLY) && !m->frozen;
}

int map_lookup(struct map *m, const void *key, void *value, uint64_t flags)
{
	if (flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	if (!can_read(m))
		return -EPERM;
	if ((flags & BPF_F_LOCK) && !m->spec.has_spin_lock)
		return -EINVAL;
	if (!m->ops->lookup)
		return -MAP_ENOTSUPP;
	return m->ops->lookup(m, key, value, flags);
}

int map_update(struct map *m, const void *key, const void *value, uint64_t flags)
{
	if (!can_write(m))
		return -EPERM;
	if ((flags & BPF_F_LOCK) && !m->spec.has_spin_lock)
		return -EINVAL;
	if (!m->ops->update)
		return -MAP_ENOTSUPP;
	return m->ops->update(m, key, value, flags);
}

int map_delete(struct map *m, const void *key)
{
	if (!can_write(m))
		return -EPERM;
	if (!m->ops->delete)
		return -MAP_ENOTSUPP;
	return m->ops->delete(m, key);
}

int map_get_next_key(struct map *m, const void *key, void *next_key)
{
	if (!can_read(m))
		return -EPERM;
	if (!m->ops->next_key)
		return -MAP_ENOTSUPP;
	return m->ops->next_key(m, key, next_key);
}

int map_lookup_and_delete(struct map *m, const void *key, void *value, uint64_t flags)
{
	uint32_t t = m->spec.type;
	bool queue = t == BPF_MAP_TYPE_QUEUE || t == BPF_MAP_TYPE_STACK;

	if (flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	if (flags && queue)
		return -EINVAL;
	if (!can_read(m) || !can_write(m))
		return -EPERM;
	if (flags && !m->spec.has_spin_lock)
		return -EINVAL;
	if (queue)
		return m->ops->pop(m, value);
	if (!m->ops->lookup_and_delete)
		return -MAP_ENOTSUPP;
	return m->ops->lookup_and_delete(m, key, value, flags);
}

int map_freeze(struct map *m)
{
	if (!can_write(m))
		return -EPERM;
	m->frozen = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Both sides                                                            */
/* ------------------------------------------------------------------ */

int map_push(struct map *m, const void *value, uint64_t flags)
{
	return m->ops->push ? m->ops->push(m, value, flags) : -EINVAL;
}

int map_pop(struct map *m, void *value)
{
	return m->ops->pop ? m->ops->pop(m, value) : -EINVAL;
}

int map_peek(struct map *m, void *value)
{
	return m->ops->peek ? m->ops->peek(m, value) : -EINVAL;
}

void *map_elem_ptr(struct map *m, const void *key, uint32_t cpu)
{
	if (map_is_percpu(m) && cpu >= m->spec.nr_cpus)
		return NULL;
	return m->ops->elem_ptr ? m->ops->elem_ptr(m, key, cpu) : NULL;
}

int map_prog_update(struct map *m, const void *key, const void *value, uint64_t flags,
		    uint32_t cpu)
{
	if ((flags & BPF_F_LOCK) && !m->spec.has_spin_lock)
		return -EINVAL;
	if (map_is_percpu(m) && cpu >= m->spec.nr_cpus)
		return -EINVAL;
	if (m->ops->prog_update)
		return m->ops->prog_update(m, key, value, flags, cpu);
	if (m->ops->push)
		return m->ops->push(m, value, flags);
	return -EINVAL;
}

int map_prog_delete(struct map *m, const void *key)
{
	if (m->ops->prog_delete)
		return m->ops->prog_delete(m, key);
	return m->ops->delete ? m->ops->delete(m, key) : -EINVAL;
}

long map_for_each(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu)
{
	if (!cb)
		return -EINVAL;
	if (map_is_percpu(m) && cpu >= m->spec.nr_cpus)
		return -EINVAL;
	return m->ops->for_each ? m->ops->for_each(m, cb, ctx, cpu) : -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Map-in-map templates                                                  */
/* ------------------------------------------------------------------ */

bool map_inner_compatible(const struct map_spec *tmpl, const struct map *inner)
{
	const struct map_spec *s = &inner->spec;
	/* bpf_map_meta_equal: flags that only concern the fd don't count. */
	uint32_t ign = BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_INNER_MAP;

	switch (s->type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return false;
	default:
		break;
	}
	if (s->type != tmpl->type || s->key_size != tmpl->key_size ||
	    s->value_size != tmpl->value_size ||
	    (s->map_flags & ~ign) != (tmpl->map_flags & ~ign))
		return false;
	/* BPF_F_INNER_MAP on the template lets inner maps differ in size. */
	if (!(tmpl->map_flags & BPF_F_INNER_MAP) && s->max_entries != tmpl->max_entries)
		return false;
	return true;
}

int map_inner_set(struct map *m, const void *key, struct map *inner, uint64_t flags)
{
	uint32_t i;

	if (!key)
		return -EINVAL;
	if (m->spec.type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
		memcpy(&i, key, 4);
		return map_array_inner_set(m, i, inner, flags);
	}
	if (m->spec.type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return map_hash_inner_set(m, key, inner, flags);
	return -EINVAL;
}

struct map *map_inner_get(struct map *m, const void *key)
{
	if (!key || (m->spec.type != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
		     m->spec.type != BPF_MAP_TYPE_HASH_OF_MAPS))
		return NULL;
	return m->ops->elem_ptr(m, key, 0);
}
