/* SPDX-License-Identifier: MIT */
/*
 * env/env.c - the environment's lifetime, its virtual machine state
 * (task, clock, CPU, random, memory regions, stacks), and loading an
 * object: maps from the object's specs, programs into interpreters with
 * map references resolved at load time, then prog-array and map-in-map
 * slots.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/bb_uapi.h"
#include "elf/obj.h"

struct env *env_new(void)
{
	struct env *env = calloc(1, sizeof(*env));

	if (!env)
		return NULL;
	bb_vec_init(&env->progs, sizeof(struct env_prog *));
	bb_vec_init(&env->maps, sizeof(struct env_map_ent));
	bb_vec_init(&env->mems, sizeof(struct env_mem));
	bb_vec_init(&env->cur.printk, 1);
	bb_vec_init(&env->cur.records, sizeof(struct env_record));
	bb_vec_init(&env->cur.reserved, sizeof(struct env_rb_res));
	env->ncpus = 1;
	env->rng = 0x2545f4914f6cdd1dull;
	env->next_prog_id = 1;
	snprintf(env->task.comm, sizeof(env->task.comm), "barebpf");
	env->helpers = vm_helpers_new();
	if (!env->helpers || env_helpers_register(env, env->helpers) < 0) {
		env_free(env);
		return NULL;
	}
	return env;
}

static void prog_free(struct env_prog *p)
{
	if (!p)
		return;
	vm_free(p->vm);
	env_jit_free(p);
	free(p->insns);
	free(p->name);
	free(p->section);
	free(p);
}

void env_free(struct env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->progs.len; i++)
		prog_free(*bb_vec_at(&env->progs, struct env_prog *, i));
	/* Prog arrays hold env_prog pointers but no references: the progs
	 * are gone now, and the maps go next. */
	for (size_t i = 0; i < env->maps.len; i++) {
		struct env_map_ent *m = bb_vec_at(&env->maps, struct env_map_ent, i);

		map_free(m->m);
		free(m->name);
	}
	for (size_t i = 0; i < env->mems.len; i++)
		free(bb_vec_at(&env->mems, struct env_mem, i)->owned);
	bb_vec_free(&env->progs);
	bb_vec_free(&env->maps);
	bb_vec_free(&env->mems);
	bb_vec_free(&env->cur.printk);
	for (size_t i = 0; i < env->cur.records.len; i++)
		free(bb_vec_at(&env->cur.records, struct env_record, i)->data);
	bb_vec_free(&env->cur.records);
	bb_vec_free(&env->cur.reserved);
	free(env->cur.ctx);
	if (env->pkt_area)
		munmap(env->pkt_area, ENV_PKT_MAP);
	vm_helpers_free(env->helpers);
	free(env);
}

/* ----- virtual machine state ----- */

void env_set_task(struct env *env, const struct env_task *t)
{
	env->task = *t;
	env->task.comm[sizeof(env->task.comm) - 1] = '\0';
}

void env_set_clock(struct env *env, uint64_t mono_ns, uint64_t step_ns,
		   uint64_t boot_off_ns)
{
	env->mono_ns = mono_ns;
	env->step_ns = step_ns;
	env->boot_off_ns = boot_off_ns;
}

void env_set_seed(struct env *env, uint64_t seed)
{
	/* xorshift64* must not start at 0. */
	env->rng = seed ? seed : 0x2545f4914f6cdd1dull;
}

int env_set_cpu(struct env *env, uint32_t cpu, uint32_t ncpus)
{
	if (!ncpus || ncpus > MAP_MAX_CPUS || cpu >= ncpus)
		return -EINVAL;
	env->cpu = cpu;
	env->ncpus = ncpus;
	return 0;
}

int env_mem_register(struct env *env, enum env_mem_kind kind,
		     const void *addr, size_t len)
{
	struct env_mem m = { (uintptr_t)addr, len, kind, NULL };

	if (!addr || !len)
		return -EINVAL;
	return bb_vec_push(&env->mems, &m) ? 0 : -ENOMEM;
}

void *env_mem_add(struct env *env, enum env_mem_kind kind, const void *data,
		  size_t len)
{
	struct env_mem m = { 0, len, kind, NULL };

	if (!len)
		return NULL;
	m.owned = malloc(len);
	if (!m.owned)
		return NULL;
	if (data)
		memcpy(m.owned, data, len);
	else
		memset(m.owned, 0, len);
	m.addr = (uintptr_t)m.owned;
	if (!bb_vec_push(&env->mems, &m)) {
		free(m.owned);
		return NULL;
	}
	return m.owned;
}

bool env_mem_in(const struct env *env, enum env_mem_kind kind, uint64_t addr,
		size_t len)
{
	for (size_t i = 0; i < env->mems.len; i++) {
		const struct env_mem *m = bb_vec_at(&env->mems, struct env_mem, i);

		if (m->kind == kind && addr >= m->addr && addr - m->addr < m->len &&
		    m->len - (addr - m->addr) >= len)
			return true;
	}
	return false;
}

int env_set_stack(struct env *env, bool user, const uint64_t *ips, size_t n)
{
	if (n > BB_ARRAY_SIZE(env->kstack) || (n && !ips))
		return -EINVAL;
	if (user) {
		if (n)
			memcpy(env->ustack, ips, n * sizeof(*ips));
		env->ustack_n = n;
	} else {
		if (n)
			memcpy(env->kstack, ips, n * sizeof(*ips));
		env->kstack_n = n;
	}
	return 0;
}

/* ----- maps ----- */

size_t env_map_count(const struct env *env)
{
	return env->maps.len;
}

struct map *env_map(const struct env *env, size_t i)
{
	return i < env->maps.len ? bb_vec_at(&env->maps, struct env_map_ent, i)->m : NULL;
}

const char *env_map_name(const struct env *env, size_t i)
{
	return i < env->maps.len ? bb_vec_at(&env->maps, struct env_map_ent, i)->name : NULL;
}

int env_map_by_name(const struct env *env, const char *name)
{
	for (size_t i = 0; i < env->maps.len; i++) {
		const struct env_map_ent *m = bb_vec_at(&env->maps, struct env_map_ent, i);

		if (!strcmp(m->name, name) || !strcmp(map_name(m->m), name))
			return (int)i;
	}
	return -ENOENT;
}

int env_map_index(const struct env *env, const struct map *m)
{
	for (size_t i = 0; i < env->maps.len; i++)
		if (bb_vec_at(&env->maps, struct env_map_ent, i)->m == m)
			return (int)i;
	return -1;
}

bool env_is_map(const struct env *env, uint64_t handle)
{
	for (size_t i = 0; i < env->maps.len; i++) {
		struct map *m = bb_vec_at(&env->maps, struct env_map_ent, i)->m;
		uint32_t t = map_type(m);

		if ((uint64_t)(uintptr_t)m == handle)
			return true;
		/* An inner map reached through a map-in-map lookup. */
		if (t == BPF_MAP_TYPE_ARRAY_OF_MAPS || t == BPF_MAP_TYPE_HASH_OF_MAPS) {
			uint8_t key[64] = { 0 }, next[64];
			const void *k = NULL;

			if (map_spec_of(m)->key_size > sizeof(key))
				continue;
			while (!map_get_next_key(m, k, next)) {
				struct map *in = map_inner_get(m, next);

				if (in && (uint64_t)(uintptr_t)in == handle)
					return true;
				memcpy(key, next, sizeof(key));
				k = key;
			}
		}
	}
	return false;
}

int env_map_add(struct env *env, struct map *m, const char *name)
{
	struct env_map_ent ent = { map_get(m), strdup(name ? name : map_name(m)) };

	if (!ent.name || !bb_vec_push(&env->maps, &ent)) {
		map_free(ent.m);
		free(ent.name);
		return -ENOMEM;
	}
	return (int)env->maps.len - 1;
}

/* ----- programs ----- */

size_t env_prog_count(const struct env *env)
{
	return env->progs.len;
}

struct env_prog *env_prog(const struct env *env, size_t i)
{
	return i < env->progs.len ? *bb_vec_at(&env->progs, struct env_prog *, i) : NULL;
}

struct env_prog *env_prog_find(const struct env *env, const char *name)
{
	for (size_t i = 0; i < env->progs.len; i++)
		if (!strcmp(env_prog(env, i)->name, name))
			return env_prog(env, i);
	for (size_t i = 0; i < env->progs.len; i++)
		if (!strcmp(env_prog(env, i)->section, name))
			return env_prog(env, i);
	return NULL;
}

const char *env_prog_name(const struct env_prog *p) { return p->name; }
const char *env_prog_section(const struct env_prog *p) { return p->section; }
uint32_t env_prog_type(const struct env_prog *p) { return p->type; }
uint32_t env_prog_attach_type(const struct env_prog *p) { return p->attach_type; }
struct vm *env_prog_vm(const struct env_prog *p) { return p->vm; }

/*
 * ld_imm64 map references: the map handle is the struct map pointer (what
 * the map helpers take in r1); a value reference is the address inside
 * the array's value storage, as the kernel's map_direct_value_addr gives
 * for a one-element array (global data).  Offline "fds" are map indices.
 */
int env_resolve_map(void *ctx, uint32_t pc, uint8_t src, uint32_t imm,
		    uint32_t off, uint64_t *value, struct bb_err *e)
{
	struct env *env = ctx;
	struct map *m = env_map(env, imm);
	void *addr;
	size_t len;
	bool writable;

	if (!m)
		return bb_err_insn(e, -EBADF, (int)pc, "lddw src %u: no map %u", src, imm);
	if (src == 1 || src == 5) {
		*value = (uint64_t)(uintptr_t)m;
		return 0;
	}
	if (map_type(m) != BPF_MAP_TYPE_ARRAY || map_spec_of(m)->max_entries != 1 ||
	    map_value_region(m, 0, &addr, &len, &writable) < 0)
		return bb_err_insn(e, -EINVAL, (int)pc,
				   "lddw src %u: map '%s' has no direct value access (one-element arrays only)",
				   src, map_name(m));
	if (off >= map_spec_of(m)->value_size)
		return bb_err_insn(e, -EINVAL, (int)pc,
				   "lddw src %u: offset %u past the %u-byte value of map '%s'",
				   src, off, map_spec_of(m)->value_size, map_name(m));
	*value = (uint64_t)(uintptr_t)addr + off;
	return 0;
}

static struct env_prog *prog_new(struct env *env, const char *name,
				 const char *section, uint32_t type,
				 uint32_t attach_type)
{
	struct env_prog *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->name = strdup(name ? name : "");
	p->section = strdup(section ? section : "");
	p->vm = vm_new(env->helpers);
	p->type = type;
	p->attach_type = attach_type;
	p->env = env;
	p->id = env->next_prog_id++;
	if (!p->name || !p->section || !p->vm ||
	    !bb_vec_push(&env->progs, &p)) {
		prog_free(p);
		return NULL;
	}
	vm_set_user(p->vm, env);
	vm_set_map_resolver(p->vm, env_resolve_map, env);
	return p;
}

/* The JIT compiles from the same instructions, when first asked. */
static int keep_insns(struct env_prog *p, const struct isa_raw *insns, size_t n,
		      struct bb_err *e)
{
	p->insns = malloc((n ? n : 1) * sizeof(*insns));
	if (!p->insns)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	memcpy(p->insns, insns, n * sizeof(*insns));
	p->n = n;
	return 0;
}

int env_load_insns(struct env *env, const char *name, uint32_t prog_type,
		   uint32_t attach_type, const struct isa_raw *insns, size_t n,
		   struct bb_err *e)
{
	struct env_prog *p = prog_new(env, name, name, prog_type, attach_type);
	int ret;

	if (!p)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	ret = vm_load(p->vm, insns, n, e);
	if (!ret)
		ret = keep_insns(p, insns, n, e);
	if (ret < 0) {
		env->progs.len--;
		prog_free(p);
		return ret;
	}
	return (int)env->progs.len - 1;
}

static int create_maps(struct env *env, const struct obj *o, uint32_t ncpus,
		       struct bb_err *e)
{
	for (size_t i = 0; i < obj_map_count(o); i++) {
		const struct obj_map *om = obj_map(o, i);
		struct map_spec spec, inner;
		struct map *m = NULL;
		uint32_t zero = 0;
		int ret;

		ret = map_spec_from_obj(om, ncpus, &spec, &inner, e);
		if (!ret)
			ret = map_new(&spec, &m, e);
		if (!ret && om->init)
			ret = map_update(m, &zero, om->init, BPF_ANY);
		if (!ret && om->freeze)
			ret = map_freeze(m);
		if (!ret) {
			ret = env_map_add(env, m, om->name);
			ret = ret < 0 ? ret : 0;
		}
		map_free(m);    /* the env holds its own reference */
		if (ret < 0) {
			if (e && !e->msg[0])
				bb_err_insn(e, ret, -1, "map '%s': %s", om->name,
					    strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int fill_slots(struct env *env, const struct obj *o, size_t prog_base,
		      struct bb_err *e)
{
	for (size_t i = 0; i < obj_map_count(o); i++) {
		const struct obj_map *om = obj_map(o, i);
		struct map *m = env_map(env, i);

		for (size_t s = 0; s < om->slot_cnt; s++) {
			const struct obj_map_slot *sl = &om->slots[s];
			int ret = -EINVAL;

			if (sl->prog >= 0) {
				struct env_prog *p = env_prog(env, prog_base + (size_t)sl->prog);

				if (p)
					ret = map_prog_array_set(m, sl->index, p, p->id);
			} else if (sl->map >= 0 && env_map(env, (size_t)sl->map)) {
				ret = map_inner_set(m, &sl->index,
						    env_map(env, (size_t)sl->map), BPF_ANY);
			}
			if (ret < 0)
				return bb_err_insn(e, ret, -1, "map '%s': slot %u: %s",
						   om->name, sl->index, strerror(-ret));
		}
	}
	return 0;
}

int env_load_obj(struct env *env, const struct obj *o,
		 const struct env_load_opts *opts, struct bb_err *e)
{
	uint32_t ncpus = opts && opts->ncpus ? opts->ncpus : env->ncpus;
	size_t prog_base = env->progs.len;
	int ret;

	if (env->loaded_obj || env->maps.len)
		return bb_err_insn(e, -EBUSY, -1, "the environment already has maps");
	bb_err_set_file(e, obj_name(o));
	ret = create_maps(env, o, ncpus, e);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < obj_prog_count(o); i++) {
		const struct obj_prog *op = obj_prog(o, i);
		struct env_prog *p = prog_new(env, op->name, op->section, op->prog_type,
					      op->expected_attach_type);
		struct isa_raw *insns = NULL;
		long n;

		if (!p)
			return bb_err_insn(e, -ENOMEM, -1, "out of memory");
		bb_err_set_section(e, op->section);
		bb_err_clear(&p->err);
		bb_err_set_file(&p->err, obj_name(o));
		bb_err_set_section(&p->err, op->section);
		n = obj_prog_insns(o, i, NULL, 0, &insns, &p->err);
		ret = n < 0 ? (int)n : vm_load(p->vm, insns, (size_t)n, &p->err);
		if (!ret)
			ret = keep_insns(p, insns, (size_t)n, &p->err);
		free(insns);
		if (ret < 0) {
			p->failed = true;
			if (!opts || !opts->keep_going) {
				if (e)
					*e = p->err;
				return ret;
			}
		}
	}
	bb_err_set_section(e, "");
	env->loaded_obj = true;
	return fill_slots(env, o, prog_base, e);
}
