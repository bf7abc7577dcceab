/* SPDX-License-Identifier: MIT */
/*
 * env/env_helpers_map.c - helpers on maps: element access, queues,
 * tail calls, callbacks (bpf_loop, for_each_map_elem) and the ring /
 * perf buffers.  Map handles in r1 are struct map pointers (env.c's map
 * resolver); one that is not a map of this env stops the run, where the
 * kernel's verifier would have refused the program.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <string.h>

#include "common/bb_uapi.h"

#define MAP(r) ((struct map *)(uintptr_t)(r))
#define PTR(r) ((void *)(uintptr_t)(r))

static struct map *need_map(struct vm_call *call, uint64_t r)
{
	if (!env_is_map(env_of(call), r)) {
		env_stop(call, -EINVAL, "0x%llx is not a map", (unsigned long long)r);
		return NULL;
	}
	return MAP(r);
}

/* In checked runs a key/value the program passes must be its memory. */
static bool arg_mem(struct vm_call *call, uint64_t p, size_t len, bool write,
		    const char *what)
{
	struct env *env = env_of(call);

	if (!env->cur.checked || env_mem_ok(call, p, len, write))
		return true;
	env_stop(call, -EFAULT, "%s 0x%llx (%zu bytes) is not memory of the program",
		 what, (unsigned long long)p, len);
	return false;
}

static uint64_t lookup(struct vm_call *call, uint64_t r1, uint64_t r2, uint32_t cpu)
{
	struct map *m = need_map(call, r1);
	const struct map_spec *s;
	void *v;

	if (!m || !arg_mem(call, r2, map_spec_of(m)->key_size, false, "key"))
		return 0;
	s = map_spec_of(m);
	v = map_elem_ptr(m, PTR(r2), cpu);
	if (v && s->type != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
	    s->type != BPF_MAP_TYPE_HASH_OF_MAPS)
		env_note_region(env_of(call), v, s->value_size,
				!(s->map_flags & BPF_F_RDONLY_PROG), map_name(m));
	return (uint64_t)(uintptr_t)v;
}

uint64_t env_h_map_lookup_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return lookup(call, r1, r2, env_of(call)->cpu);
}

uint64_t env_h_map_lookup_percpu_elem(uint64_t r1, uint64_t r2, uint64_t r3,
				      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return lookup(call, r1, r2, (uint32_t)r3);
}

uint64_t env_h_map_update_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, map_spec_of(m)->key_size, false, "key") ||
	    !arg_mem(call, r3, map_spec_of(m)->value_size, false, "value"))
		return 0;
	return (uint64_t)(int64_t)map_prog_update(m, PTR(r2), PTR(r3), r4,
						  env_of(call)->cpu);
}

uint64_t env_h_map_delete_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, map_spec_of(m)->key_size, false, "key"))
		return 0;
	return (uint64_t)(int64_t)map_prog_delete(m, PTR(r2));
}

uint64_t env_h_map_push_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			     uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, map_spec_of(m)->value_size, false, "value"))
		return 0;
	return (uint64_t)(int64_t)map_push(m, PTR(r2), r3);
}

uint64_t env_h_map_pop_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, map_spec_of(m)->value_size, true, "value"))
		return 0;
	return (uint64_t)(int64_t)map_pop(m, PTR(r2));
}

uint64_t env_h_map_peek_elem(uint64_t r1, uint64_t r2, uint64_t r3,
			     uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, map_spec_of(m)->value_size, true, "value"))
		return 0;
	return (uint64_t)(int64_t)map_peek(m, PTR(r2));
}

/*
 * bpf_tail_call(ctx, prog_array, index): on success the interpreter
 * continues in the target (vm_call.tail_call); on failure (index out of
 * range, empty slot, 33 tail calls taken) the program goes on with the
 * next instruction, as in the kernel.
 */
uint64_t env_h_tail_call(uint64_t r1, uint64_t r2, uint64_t r3,
			 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r2);
	struct env_prog *p;

	if (!m)
		return 0;
	if (map_type(m) != BPF_MAP_TYPE_PROG_ARRAY) {
		env_stop(call, -EINVAL, "map '%s' is not a prog array", map_name(m));
		return 0;
	}
	if (call->tail_calls >= VM_MAX_TAIL_CALLS)
		return (uint64_t)(int64_t)-ENOENT;
	p = map_prog_array_get(m, (uint32_t)r3, NULL);
	if (!p || !p->vm || p->failed)
		return (uint64_t)(int64_t)-ENOENT;
	call->tail_call = p->vm;
	return 0;
}

/* bpf_loop(nr, callback, ctx, flags): stops early when the callback
 * returns non-zero and says how many iterations ran. */
uint64_t env_h_loop(uint64_t r1, uint64_t r2, uint64_t r3,
		    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	uint64_t i;

	if (r4)
		return (uint64_t)(int64_t)-EINVAL;
	if ((uint32_t)r1 > (1u << 23))
		return (uint64_t)(int64_t)-E2BIG;
	for (i = 0; i < (uint32_t)r1; i++) {
		uint64_t args[5] = { i, r3, 0, 0, 0 }, ret;

		if (vm_call_function(call, r2, args, &ret) < 0)
			return 0;
		if (ret)
			return i + 1;
	}
	return i;
}

struct each_ctx {
	struct vm_call *call;
	uint64_t fn, cb_ctx;
	int err;
};

static int each_elem(void *ctx, struct map *m, const void *key, void *value)
{
	struct each_ctx *c = ctx;
	const struct map_spec *s = map_spec_of(m);
	uint64_t args[5] = { (uintptr_t)m, (uintptr_t)key, (uintptr_t)value, c->cb_ctx, 0 };
	uint64_t ret;

	env_note_region(env_of(c->call), (void *)(uintptr_t)key, s->key_size, false, "key");
	env_note_region(env_of(c->call), value, s->value_size,
			!(s->map_flags & BPF_F_RDONLY_PROG), map_name(m));
	c->err = vm_call_function(c->call, c->fn, args, &ret);
	if (c->err < 0)
		return 1;
	return ret ? 1 : 0;
}

uint64_t env_h_for_each_map_elem(uint64_t r1, uint64_t r2, uint64_t r3,
				 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);
	struct each_ctx c = { call, r2, r3, 0 };
	long n;

	if (!m)
		return 0;
	if (r4)
		return (uint64_t)(int64_t)-EINVAL;
	n = map_for_each(m, each_elem, &c, env_of(call)->cpu);
	if (c.err < 0)
		return 0;       /* the run stops: vm_call_function set it */
	return (uint64_t)(int64_t)n;
}

/* ----- ring buffer ----- */

uint64_t env_h_ringbuf_output(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	if (!m || !arg_mem(call, r2, (size_t)r3, false, "data"))
		return 0;
	return (uint64_t)(int64_t)map_ringbuf_output(m, PTR(r2), r3, r4);
}

uint64_t env_h_ringbuf_reserve(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct map *m = need_map(call, r1);
	struct env_rb_res res;

	if (!m)
		return 0;
	res.m = m;
	res.sample = map_ringbuf_reserve(m, r2, r3);
	if (!res.sample)
		return 0;
	if (!bb_vec_push(&env->cur.reserved, &res)) {
		map_ringbuf_discard(m, res.sample, 0);
		return 0;
	}
	env_note_region(env, res.sample, (size_t)r2, true, "ringbuf sample");
	return (uint64_t)(uintptr_t)res.sample;
}

static uint64_t commit(struct vm_call *call, uint64_t sample, uint64_t flags,
		       bool submit)
{
	struct bb_vec *v = &env_of(call)->cur.reserved;

	for (size_t i = 0; i < v->len; i++) {
		struct env_rb_res *r = bb_vec_at(v, struct env_rb_res, i);
		int ret;

		if ((uintptr_t)r->sample != sample)
			continue;
		ret = submit ? map_ringbuf_submit(r->m, r->sample, flags)
			     : map_ringbuf_discard(r->m, r->sample, flags);
		if (ret < 0)
			return env_stop(call, ret, "sample 0x%llx: %s",
					(unsigned long long)sample, strerror(-ret));
		*r = *bb_vec_at(v, struct env_rb_res, v->len - 1);
		v->len--;
		return 0;
	}
	return env_stop(call, -EINVAL, "0x%llx is not a reserved ring buffer sample",
			(unsigned long long)sample);
}

uint64_t env_h_ringbuf_submit(uint64_t r1, uint64_t r2, uint64_t r3,
			      uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return commit(call, r1, r2, true);
}

uint64_t env_h_ringbuf_discard(uint64_t r1, uint64_t r2, uint64_t r3,
			       uint64_t r4, uint64_t r5, struct vm_call *call)
{
	return commit(call, r1, r2, false);
}

uint64_t env_h_ringbuf_query(uint64_t r1, uint64_t r2, uint64_t r3,
			     uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r1);

	return m ? map_ringbuf_query(m, r2) : 0;
}

uint64_t env_h_perf_event_output(uint64_t r1, uint64_t r2, uint64_t r3,
				 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct map *m = need_map(call, r2);

	if (!m || !arg_mem(call, r4, (size_t)r5, false, "data"))
		return 0;
	return (uint64_t)(int64_t)map_perf_output(m, env_of(call)->cpu, r3, PTR(r4), r5);
}

/* ----- stacks ----- */

uint64_t env_h_get_stackid(uint64_t r1, uint64_t r2, uint64_t r3,
			   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	struct map *m = need_map(call, r2);
	bool user = r3 & BPF_F_USER_STACK;

	if (!m)
		return 0;
	return (uint64_t)map_stack_store(m, user ? env->ustack : env->kstack,
					 (uint32_t)(user ? env->ustack_n : env->kstack_n), r3);
}

/* bpf_get_stack(ctx, buf, size, flags): the frames after skipping,
 * zero-padded; the copied length, or -errno with @buf zeroed. */
uint64_t env_h_get_stack(uint64_t r1, uint64_t r2, uint64_t r3,
			 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env *env = env_of(call);
	bool user = r4 & BPF_F_USER_STACK;
	const uint64_t *ips = user ? env->ustack : env->kstack;
	size_t n = user ? env->ustack_n : env->kstack_n;
	uint64_t skip = r4 & BPF_F_SKIP_FIELD_MASK, copy;
	uint8_t *buf = PTR(r2);

	if (!arg_mem(call, r2, (size_t)r3, true, "buffer"))
		return 0;
	if ((r4 & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_USER_BUILD_ID)) ||
	    (r3 % 8) || (r4 & BPF_F_USER_BUILD_ID)) {
		memset(buf, 0, (size_t)r3);
		return (uint64_t)(int64_t)-EINVAL;
	}
	if (skip >= n) {
		memset(buf, 0, (size_t)r3);
		return (uint64_t)(int64_t)-EFAULT;
	}
	copy = (n - skip) * 8 < r3 ? (n - skip) * 8 : r3;
	memcpy(buf, ips + skip, (size_t)copy);
	memset(buf + copy, 0, (size_t)(r3 - copy));
	return copy;
}

/* bpf_spin_lock/unlock: one thread runs at a time offline, so a lock is
 * a flag; taking a held lock would deadlock in the kernel and is an error
 * here.  The env remembers the lock held (the verifier allows one at a
 * time) so env_run can let go of it when a run stops half-way: a map
 * value must not stay locked for the next run. */
uint64_t env_h_spin_lock(uint64_t r1, uint64_t r2, uint64_t r3,
			 uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	uint32_t *lock = PTR(r1);

	if (!arg_mem(call, r1, 4, true, "lock"))
		return 0;
	if (*lock)
		return env_stop(call, -EDEADLK, "lock at 0x%llx already held",
				(unsigned long long)r1);
	if (c->lock)
		return env_stop(call, -EDEADLK,
				"lock at 0x%llx taken while another is held (the kernel refuses: Locking two bpf_spin_locks are not allowed)",
				(unsigned long long)r1);
	*lock = 1;
	c->lock = lock;
	return 0;
}

uint64_t env_h_spin_unlock(uint64_t r1, uint64_t r2, uint64_t r3,
			   uint64_t r4, uint64_t r5, struct vm_call *call)
{
	struct env_cur *c = &env_of(call)->cur;
	uint32_t *lock = PTR(r1);

	if (!arg_mem(call, r1, 4, true, "lock"))
		return 0;
	if (!*lock || c->lock != lock)
		return env_stop(call, -EINVAL, "lock at 0x%llx is not held",
				(unsigned long long)r1);
	*lock = 0;
	c->lock = NULL;
	return 0;
}
