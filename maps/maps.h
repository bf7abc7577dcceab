/* SPDX-License-Identifier: MIT */
/*
 * maps/maps.h - BPF maps in user space, with the kernel's semantics.
 * Prefix: map_.
 *
 * A struct map behaves like a kernel map seen from both sides:
 *
 *   - the system-call side (map_lookup, map_update, map_delete,
 *     map_get_next_key, map_lookup_and_delete, map_freeze): the same
 *     argument checks, the same flags and the same -errno answers as
 *     BPF_MAP_*_ELEM on the running kernel, which the differential tests
 *     in tests/maps/ hold us to;
 *   - the program side, for the helpers env/ implements: map_elem_ptr()
 *     gives a pointer into the value storage (bpf_map_lookup_elem: the
 *     program reads and writes through it), map_prog_update/delete, the
 *     queue/stack/bloom push/pop/peek, ring buffer reserve/submit, perf
 *     event output, tail-call slots and inner maps.
 *
 * Per-CPU maps keep @nr_cpus virtual CPUs.  The system-call side moves
 * all of them at once, each value padded to 8 bytes like the kernel's
 * round_up(value_size, 8) * num_possible_cpus(); the program side names
 * one CPU.
 *
 * Value pointers are stable: memory handed out by map_elem_ptr() stays
 * valid (and the same element's) until the element is deleted or
 * replaced, and stays *mapped* until map_free() - like the kernel's
 * preallocated elements, a deleted element's memory is recycled, never
 * returned to malloc, so a program holding a stale pointer cannot touch
 * freed memory.
 *
 * Maps are not locked: one thread uses a map (and the maps it holds) at
 * a time.  Library code never prints; errors are -errno plus a struct
 * bb_err whose message names the map ("map 'counts': key size 8,
 * expected 4").
 */
#ifndef BAREBPF_MAPS_MAPS_H
#define BAREBPF_MAPS_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "common/bb_uapi.h"

struct map;
struct obj_map;                 /* elf/obj.h */

/* Virtual CPUs of a per-CPU or perf event array map when the spec says 0. */
#define MAP_DEFAULT_NR_CPUS 4
/* The most virtual CPUs a map may have. */
#define MAP_MAX_CPUS 256

/* The kernel's own errno for "not supported" (ENOTSUPP, not in libc),
 * returned where the kernel returns it (e.g. lookup-and-delete on an
 * array). */
#define MAP_ENOTSUPP 524

/* Ring buffer record header, as the kernel lays it out (8 bytes before
 * every sample; the length word carries these two bits). */
#define MAP_RINGBUF_BUSY_BIT    (1u << 31)
#define MAP_RINGBUF_DISCARD_BIT (1u << 30)
#define MAP_RINGBUF_HDR_SZ      8u

struct map_spec {
	uint32_t type;          /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;     /* BPF_F_* */
	uint64_t map_extra;     /* bloom filter: number of hash functions */
	/* Per-CPU maps and perf event arrays: virtual CPUs, 0 means
	 * MAP_DEFAULT_NR_CPUS.  Use map_host_possible_cpus() to match the
	 * kernel here. */
	uint32_t nr_cpus;
	/* Map-in-map: the template every inner map must match (the kernel's
	 * inner_map_fd).  Copied by map_new(). */
	const struct map_spec *inner;
	/* A struct bpf_spin_lock inside the value (from BTF): BPF_F_LOCK is
	 * accepted only with one, and the system-call side neither copies
	 * the lock word in nor shows it out (reads give zeros there). */
	bool has_spin_lock;
	uint32_t spin_lock_off;
	const char *name;       /* copied; NULL or "" for none */
};

/*
 * Fill @spec from an ELF map definition.  @inner is caller storage for
 * the map-in-map template (needed only when @om->inner is set; may be
 * NULL otherwise).  Applies what libbpf does before BPF_MAP_CREATE:
 * a perf event array with max_entries 0 gets @nr_cpus entries, a ring
 * buffer's size is rounded up to a power-of-2 multiple of the page size.
 * @spec->name borrows @om->name.  0 or -EINVAL.
 */
int map_spec_from_obj(const struct obj_map *om, uint32_t nr_cpus, struct map_spec *spec,
		      struct map_spec *inner, struct bb_err *e);

/* Number of possible CPUs of this machine (/sys/devices/system/cpu/possible),
 * what the kernel sizes per-CPU values by; -errno if unreadable. */
int map_host_possible_cpus(void);

/*
 * Create a map, checking @spec as the kernel's map_alloc_check does
 * (key/value sizes for the type, max_entries, flags): -EINVAL with the
 * reason, -E2BIG / -ENOMEM for sizes we cannot hold.  *@out is the
 * caller's, with one reference (map_free drops it).
 */
int map_new(const struct map_spec *spec, struct map **out, struct bb_err *e);
/* Drop one reference; the last frees the map and drops the references it
 * holds on inner maps.  NULL-safe. */
void map_free(struct map *m);
/* Take another reference; returns @m. */
struct map *map_get(struct map *m);

/* What the map was created with (after defaults: nr_cpus, name). */
const struct map_spec *map_spec_of(const struct map *m);
const char *map_name(const struct map *m);      /* "" if none */
uint32_t map_type(const struct map *m);
/* A process-unique id, > 0, what a system-call lookup of a map-in-map
 * slot answers (the kernel answers the inner map's id). */
uint32_t map_id(const struct map *m);
/* Bytes map_lookup()/map_update() move for one value: value_size, or
 * round_up(value_size, 8) * nr_cpus for per-CPU maps, 4 for map-in-map
 * and prog arrays (ids). */
size_t map_value_size_user(const struct map *m);
/* Elements in the map now (hash, LRU, trie, queue/stack; max_entries for
 * arrays; bloom: values added; ringbuf: bytes not consumed). */
uint64_t map_count(const struct map *m);
bool map_frozen(const struct map *m);
/* "hash", "percpu_array", ...; NULL for a type we do not implement. */
const char *map_type_name(uint32_t type);
/* Whether map_new() can create @type here. */
bool map_type_supported(uint32_t type);
/* Check the map's internal invariants (element counts, bucket and LRU
 * links, ordering, ring positions): 0, or -EUCLEAN with what is wrong.
 * For tests and the fuzzer. */
int map_check(const struct map *m, struct bb_err *e);

/* ------------------------------------------------------------------ */
/* System-call side: BPF_MAP_*_ELEM semantics and errno                  */
/* ------------------------------------------------------------------ */

/* BPF_MAP_LOOKUP_ELEM (@flags: 0 or BPF_F_LOCK).  @value gets
 * map_value_size_user() bytes.  Queue/stack: peek (key ignored); bloom
 * filter: @value is the input, 0 if maybe present, -ENOENT if not. */
int map_lookup(struct map *m, const void *key, void *value, uint64_t flags);
/* BPF_MAP_UPDATE_ELEM: BPF_ANY / BPF_NOEXIST / BPF_EXIST (| BPF_F_LOCK).
 * Queue/stack/bloom: push (key ignored). */
int map_update(struct map *m, const void *key, const void *value, uint64_t flags);
/* BPF_MAP_DELETE_ELEM. */
int map_delete(struct map *m, const void *key);
/* BPF_MAP_GET_NEXT_KEY.  @key NULL (or a key not in the map) starts over.
 *   arrays: index order;
 *   hash/LRU: bucket order exactly as the kernel computes it for a
 *     BPF_F_ZERO_SEED map (jhash with seed 0, newest first within a
 *     bucket) - we always hash with seed 0, so offline runs are
 *     reproducible; a kernel map without BPF_F_ZERO_SEED uses a random
 *     seed and so another (equally valid) order;
 *   lpm_trie: the kernel's postorder walk (longer prefixes before the
 *     prefixes that contain them, a 0 bit before a 1 bit). */
int map_get_next_key(struct map *m, const void *key, void *next_key);
/* BPF_MAP_LOOKUP_AND_DELETE_ELEM: queue/stack pop (key ignored), hash
 * types; others -MAP_ENOTSUPP like the kernel. */
int map_lookup_and_delete(struct map *m, const void *key, void *value, uint64_t flags);
/* BPF_MAP_FREEZE: later system-call updates and deletes fail with -EPERM
 * (program writes still work unless BPF_F_RDONLY_PROG).  Freezing again
 * is -EPERM too: as in the kernel, a frozen map has lost write access,
 * which is checked first. */
int map_freeze(struct map *m);

/* ------------------------------------------------------------------ */
/* Both sides: queue, stack, bloom filter                                */
/* ------------------------------------------------------------------ */

/* Queue/stack: push (flags BPF_ANY, or BPF_EXIST to drop the oldest when
 * full; -E2BIG when full otherwise).  Bloom filter: add (flags BPF_ANY). */
int map_push(struct map *m, const void *value, uint64_t flags);
/* Queue: oldest; stack: newest.  -ENOENT when empty. */
int map_pop(struct map *m, void *value);
/* Queue/stack: copy without removing.  Bloom filter: @value is the input,
 * 0 if maybe present, -ENOENT if certainly not. */
int map_peek(struct map *m, void *value);

/* ------------------------------------------------------------------ */
/* Program side                                                          */
/* ------------------------------------------------------------------ */

/*
 * bpf_map_lookup_elem / bpf_map_lookup_percpu_elem: a pointer to the
 * value of @key on virtual CPU @cpu (ignored for maps that are not
 * per-CPU), or NULL when there is none (no such key, cpu >= nr_cpus).
 * Hash/array/trie/LRU types; an LRU lookup marks the element used.
 * Array-of-maps / hash-of-maps: the inner struct map * itself, as the
 * kernel returns the inner struct bpf_map *.  Other types: NULL.
 */
void *map_elem_ptr(struct map *m, const void *key, uint32_t cpu);
/* bpf_map_update_elem from a program: per-CPU maps write only @cpu's
 * value (a new per-CPU element starts with the other CPUs zeroed); no
 * freeze check.  Queue/stack/bloom: push. */
int map_prog_update(struct map *m, const void *key, const void *value, uint64_t flags,
		    uint32_t cpu);
/* bpf_map_delete_elem from a program. */
int map_prog_delete(struct map *m, const void *key);

/*
 * bpf_for_each_map_elem: call @cb for each element in get_next_key order
 * with a pointer to its value on @cpu; @cb returns 0 to go on, 1 to stop.
 * Returns the number of elements visited, or -errno.  The callback may
 * update values but not add or delete elements.
 */
typedef int (*map_elem_cb)(void *ctx, struct map *m, const void *key, void *value);
long map_for_each(struct map *m, map_elem_cb cb, void *ctx, uint32_t cpu);

/*
 * The value storage of an array (array, percpu_array with @cpu) as one
 * region, for global data (.data/.rodata/.bss are one-entry arrays) and
 * for registering with vm_add_region(): *@writable is false for
 * BPF_F_RDONLY_PROG maps.  Elements are round_up(value_size, 8) apart.
 * -EINVAL for other types.
 */
int map_value_region(struct map *m, uint32_t cpu, void **addr, size_t *len, bool *writable);

/* ----- prog array (tail calls) ----- */
/* Put an opaque program handle (env/'s) with its id in slot @index;
 * @prog NULL empties it.  -E2BIG for index >= max_entries. */
int map_prog_array_set(struct map *m, uint32_t index, void *prog, uint32_t prog_id);
/* The handle in slot @index, NULL if empty or out of range (bpf_tail_call
 * then falls through). */
void *map_prog_array_get(struct map *m, uint32_t index, uint32_t *prog_id);

/* ----- array_of_maps / hash_of_maps ----- */
/* Install @inner (which must match the template like the kernel's
 * bpf_map_meta_equal, else -EINVAL) at @key; the outer map takes a
 * reference.  @flags as for map_update. */
int map_inner_set(struct map *m, const void *key, struct map *inner, uint64_t flags);
/* The inner map at @key (borrowed), or NULL. */
struct map *map_inner_get(struct map *m, const void *key);

/* ----- ring buffer ----- */
/* bpf_ringbuf_reserve: a pointer to @size bytes (behind the 8-byte
 * header), NULL when it does not fit or @flags != 0. */
void *map_ringbuf_reserve(struct map *m, uint64_t size, uint64_t flags);
/* bpf_ringbuf_submit / _discard of a sample from map_ringbuf_reserve();
 * @flags: BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP.  -EINVAL for a
 * pointer that is not a reserved sample or bad flags. */
int map_ringbuf_submit(struct map *m, void *sample, uint64_t flags);
int map_ringbuf_discard(struct map *m, void *sample, uint64_t flags);
/* bpf_ringbuf_output: reserve, copy, submit; -EAGAIN when full. */
int map_ringbuf_output(struct map *m, const void *data, uint64_t size, uint64_t flags);
/* bpf_ringbuf_query: BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE, BPF_RB_CONS_POS,
 * BPF_RB_PROD_POS; 0 for anything else, as the kernel. */
uint64_t map_ringbuf_query(struct map *m, uint64_t flags);
/* Wakeups the producer side asked for so far (a submit that made the
 * consumer's view non-empty, or BPF_RB_FORCE_WAKEUP). */
uint64_t map_ringbuf_wakeups(const struct map *m);
/*
 * Consumer: call @cb for each committed record in order (discarded ones
 * are skipped, as ring_buffer__consume does) and advance the consumer
 * position; stops at the first record still being written (busy) or when
 * @cb returns non-zero (that value, if negative, is returned).  Returns
 * the number of records passed to @cb.
 */
typedef int (*map_record_cb)(void *ctx, const void *data, size_t size);
long map_ringbuf_consume(struct map *m, map_record_cb cb, void *ctx);

/* ----- perf event array ----- */
/*
 * bpf_perf_event_output: append a record to slot (flags & BPF_F_INDEX_MASK),
 * or to @cpu's slot with BPF_F_CURRENT_CPU.  -E2BIG for an index >=
 * max_entries, -EINVAL for other flag bits, -ENOENT for a slot closed
 * with map_perf_slot_open(m, i, false).  Every slot starts open, as if
 * a perf_buffer had opened an event per CPU; each holds up to 256 KiB of
 * records and counts the ones that did not fit as lost.
 */
int map_perf_output(struct map *m, uint32_t cpu, uint64_t flags, const void *data,
		    uint64_t size);
int map_perf_slot_open(struct map *m, uint32_t index, bool open);
/* Consumer: records of slot @index (or of every slot in order when
 * @index is -1) in order, then forgets them.  Returns the number passed
 * to @cb, or the negative value @cb returned. */
long map_perf_consume(struct map *m, int index, map_record_cb cb, void *ctx);
/* Records dropped because slot @index was full. */
uint64_t map_perf_lost(const struct map *m, uint32_t index);

/* ----- stack trace ----- */
/*
 * bpf_get_stackid with caller-provided frames: store @n instruction
 * pointers (after skipping flags & BPF_F_SKIP_FIELD_MASK of them) and
 * return the stack id (>= 0) the kernel would: jhash2 of the frames,
 * masked to the bucket count.  A different stack already in that bucket
 * gives -EEXIST unless BPF_F_REUSE_STACKID.  -EFAULT for no frames after
 * skipping, -EINVAL for unknown flags.  map_lookup(id) gives the frames,
 * zero-padded to value_size.
 */
long map_stack_store(struct map *m, const uint64_t *ips, uint32_t n, uint64_t flags);

#endif
