/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_run_obj.c - `barebpf run FILE.o --section S ...`: one program
 * of an object run offline (env/): its maps created from the object,
 * packets from hex or a pcap file, or a context from a file, and the
 * verdicts, output packets, trace_printk text, ring buffer / perf
 * records and final map contents printed (or JSON with -j).
 *
 * A context file is raw bytes, or text starting with "# barebpf ctx"
 * that builds one (for tracepoint records with pointers to strings):
 *   size 48                 bytes of the context (zero-filled)
 *   u8|u16|u32|u64 OFF VAL  a number at OFF (VAL: C syntax, may be < 0)
 *   ustr OFF TEXT           TEXT (rest of the line) in user memory, its
 *   kstr OFF TEXT           address as a u64 at OFF (kstr: kernel memory)
 *   hex OFF BYTES           bytes at OFF
 *   task pid=N tgid=N uid=N gid=N comm=NAME
 *   cpu N
 */
#include "cli/cmd_run_obj.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "common/bb_uapi.h"
#include "elf/obj.h"
#include "env/env.h"
#include "maps/maps.h"

void help_run_obj(void)
{
	printf("usage: barebpf run FILE.o [--section S] [--prog NAME]\n"
	       "                  [--packet HEX | --pcap FILE | --ctx FILE]\n"
	       "                  [--map NAME=KEYHEX:VALUEHEX ...] [--repeat N] [--cpu N]\n"
	       "                  [--checked] [--trace | --jit] [-j]\n"
	       "\n"
	       "Run one program of a BPF object offline: maps from the object (global\n"
	       "data initialised, .rodata frozen, prog-array and map-in-map slots\n"
	       "filled), the context of its program type built as BPF_PROG_TEST_RUN\n"
	       "does.  Prints r0 (the verdict for XDP, tc and socket filters), the\n"
	       "output packet, trace_printk output, ring buffer / perf records and the\n"
	       "maps' final contents.  With --pcap every packet runs in turn and the\n"
	       "verdicts are summarised.\n"
	       "\n"
	       "A record whose struct the object's BTF has (\"event\" or \"*_event\" of the\n"
	       "record's size) prints by field, else as hex with a text column; arrays\n"
	       "of u64 slots named *hist* and hashes keyed by a struct with a \"slot\"\n"
	       "member print as log2 histograms (-j: \"value\" and \"histograms\").\n"
	       "\n"
	       "  --section S   the program in SEC(\"S\") (first match)\n"
	       "  --prog NAME   the program by function name\n"
	       "  --packet HEX  one packet from the Ethernet header on\n"
	       "  --pcap FILE   packets of an Ethernet pcap file\n"
	       "  --ctx FILE    the context: raw bytes, or text beginning\n"
	       "                \"# barebpf ctx\" (size, u8/u16/u32/u64 OFF VAL, ustr/kstr\n"
	       "                OFF TEXT, hex OFF BYTES, task pid=.. tgid=.. uid=.. comm=..,\n"
	       "                cpu N)\n"
	       "  --map NAME=K:V  set an element before the run (hex key and value)\n"
	       "  --run S:CTX   run section S on context file CTX; repeat to run several\n"
	       "                programs in turn on the same maps (e.g. a tracepoint's\n"
	       "                enter then exit)\n"
	       "  --repeat N    run N times on the same context (test_run's repeat)\n"
	       "  --checked     bounds-check every access (the interpreter's checked mode)\n"
	       "  --trace       print every instruction with the registers it changed\n"
	       "  --jit         run the x86-64 JIT's code instead of the interpreter\n"
	       "                (the same maps, helpers and contexts; no insn count)\n"
	       "  -j            JSON output\n");
}

struct opts {
	const char *file, *section, *prog, *packet, *pcap, *ctx;
	const char *maps[64];
	int nmaps;
	const char *steps[32];          /* --run SECTION:CTXFILE, in order */
	int nsteps;
	uint32_t repeat, cpu;
	bool checked, trace, json, jit;
};

struct input {
	uint8_t *data;
	size_t len;
};

/* ----- inputs ----- */

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* A bounds-checked reader of classic pcap files (either byte order,
 * micro- or nanosecond stamps), Ethernet link type only. */
static int read_pcap(const char *path, struct bb_vec *out, struct bb_err *e)
{
	char *buf = NULL;
	long n = bb_read_file(path, &buf, e);
	const uint8_t *p = (const uint8_t *)buf;
	size_t off = 24;
	uint32_t magic;
	bool swap;
	int ret = 0;

	if (n < 0)
		return (int)n;
	bb_err_set_file(e, path);
	if (n < 24) {
		ret = bb_err_insn(e, -EINVAL, -1, "not a pcap file (%ld bytes)", n);
		goto out;
	}
	memcpy(&magic, p, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		swap = false;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		swap = true;
	else {
		ret = bb_err_insn(e, -EINVAL, -1, "not a pcap file (magic 0x%08x)", magic);
		goto out;
	}
	if (rd32(p + 20, swap) != 1) {
		ret = bb_err_insn(e, -EINVAL, -1, "link type %u: only Ethernet (1) is supported",
				  rd32(p + 20, swap));
		goto out;
	}
	while (off < (size_t)n) {
		struct input in;
		uint32_t incl;

		if ((size_t)n - off < 16) {
			ret = bb_err_insn(e, -EINVAL, -1, "truncated record header at byte %zu", off);
			goto out;
		}
		incl = rd32(p + off + 8, swap);
		off += 16;
		if (incl > (size_t)n - off) {
			ret = bb_err_insn(e, -EINVAL, -1,
					  "record of %u bytes at byte %zu runs past the end", incl, off);
			goto out;
		}
		in.len = incl;
		in.data = malloc(incl ? incl : 1);
		if (!in.data || !bb_vec_push(out, &in)) {
			free(in.data);
			ret = bb_err_insn(e, -ENOMEM, -1, "out of memory");
			goto out;
		}
		memcpy(in.data, p + off, incl);
		off += incl;
	}
out:
	free(buf);
	return ret;
}

static int parse_task(struct env *env, char *args, struct bb_err *e, int line)
{
	struct env_task t = { 0 };
	char *save = NULL;

	for (char *kv = strtok_r(args, " \t", &save); kv; kv = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			return bb_err_line(e, -EINVAL, line, "task: '%s' is not key=value", kv);
		*eq++ = '\0';
		if (!strcmp(kv, "pid"))
			t.pid = (uint32_t)strtoul(eq, NULL, 0);
		else if (!strcmp(kv, "tgid"))
			t.tgid = (uint32_t)strtoul(eq, NULL, 0);
		else if (!strcmp(kv, "uid"))
			t.uid = (uint32_t)strtoul(eq, NULL, 0);
		else if (!strcmp(kv, "gid"))
			t.gid = (uint32_t)strtoul(eq, NULL, 0);
		else if (!strcmp(kv, "comm"))
			snprintf(t.comm, sizeof(t.comm), "%s", eq);
		else if (!strcmp(kv, "task"))
			t.task = strtoull(eq, NULL, 0);
		else
			return bb_err_line(e, -EINVAL, line, "task: unknown key '%s'", kv);
	}
	if (!t.tgid)
		t.tgid = t.pid;
	env_set_task(env, &t);
	return 0;
}

/* The "# barebpf ctx" text form (see the top of this file). */
static int ctx_text(struct env *env, char *text, struct input *out, struct bb_err *e)
{
	char *save = NULL;
	int line = 0;

	out->data = NULL;
	out->len = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char kw[16], *rest;
		unsigned long off;
		int used = 0;

		line++;
		while (*l == ' ' || *l == '\t')
			l++;
		if (!*l || *l == '#')
			continue;
		if (sscanf(l, "%15s %n", kw, &used) != 1)
			continue;
		rest = l + used;
		if (!strcmp(kw, "size")) {
			size_t n = strtoul(rest, NULL, 0);
			uint8_t *d = realloc(out->data, n ? n : 1);

			if (!d)
				return bb_err_line(e, -ENOMEM, line, "out of memory");
			if (n > out->len)
				memset(d + out->len, 0, n - out->len);
			out->data = d;
			out->len = n;
			continue;
		}
		if (!strcmp(kw, "task")) {
			int ret = parse_task(env, rest, e, line);

			if (ret < 0)
				return ret;
			continue;
		}
		if (!strcmp(kw, "cpu")) {
			if (env_set_cpu(env, (uint32_t)strtoul(rest, NULL, 0), MAP_DEFAULT_NR_CPUS) < 0)
				return bb_err_line(e, -EINVAL, line, "cpu %s out of range", rest);
			continue;
		}
		off = strtoul(rest, &rest, 0);
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (!strcmp(kw, "u8") || !strcmp(kw, "u16") || !strcmp(kw, "u32") ||
		    !strcmp(kw, "u64") || !strcmp(kw, "ustr") || !strcmp(kw, "kstr") ||
		    !strcmp(kw, "hex")) {
			uint64_t v = 0;
			size_t w = kw[0] == 'u' && kw[1] != 's' ? (size_t)strtoul(kw + 1, NULL, 10) / 8 : 8;
			uint8_t *bytes = NULL;
			long nb = 0;

			if (!strcmp(kw, "hex")) {
				nb = bb_hex_parse(rest, &bytes, e);
				if (nb < 0)
					return bb_err_line(e, (int)nb, line, "bad hex bytes");
				w = (size_t)nb;
			} else if (kw[1] == 's' || kw[0] == 'k') {
				void *m = env_mem_add(env, kw[0] == 'u' ? ENV_MEM_USER : ENV_MEM_KERNEL,
						      rest, strlen(rest) + 1);

				if (!m)
					return bb_err_line(e, -ENOMEM, line, "out of memory");
				v = (uint64_t)(uintptr_t)m;
			} else {
				v = (uint64_t)strtoll(rest, NULL, 0);
				if (*rest != '-')
					v = strtoull(rest, NULL, 0);
			}
			if (off > out->len || w > out->len - off) {
				free(bytes);
				return bb_err_line(e, -EINVAL, line,
						   "%s at %lu does not fit the %zu-byte context (say size first)",
						   kw, off, out->len);
			}
			if (bytes)
				memcpy(out->data + off, bytes, w);
			else
				memcpy(out->data + off, &v, w);   /* little-endian host */
			free(bytes);
			continue;
		}
		return bb_err_line(e, -EINVAL, line, "unknown keyword '%s'", kw);
	}
	return 0;
}

static int read_ctx(struct env *env, const char *path, struct input *out, struct bb_err *e)
{
	char *buf = NULL;
	long n = bb_read_file(path, &buf, e);
	int ret = 0;

	if (n < 0)
		return (int)n;
	bb_err_set_file(e, path);
	if (!strncmp(buf, "# barebpf ctx", 13)) {
		ret = ctx_text(env, buf, out, e);
		free(buf);
		return ret;
	}
	out->data = (uint8_t *)buf;
	out->len = (size_t)n;
	return 0;
}

/* ----- output ----- */

static void print_hex_block(FILE *f, const char *indent, const uint8_t *d, size_t n)
{
	size_t end = n;

	/* A record is mostly a fixed-size buffer's zero tail: say how long
	 * it is instead of printing it (past the first zero line). */
	while (end > 32 && !d[end - 1])
		end--;
	end = (end + 15) / 16 * 16 + 16;
	if (end + 32 > n)
		end = n;
	for (size_t i = 0; i < end; i += 16) {
		size_t w = end - i < 16 ? end - i : 16;

		fputs(indent, f);
		cli_hex(f, d + i, w);
		/* Pad short lines so the text column lines up, as hexdump -C. */
		fprintf(f, "%*s  |", (int)(16 - w) * 3, "");
		for (size_t k = 0; k < w; k++)
			fputc(d[i + k] >= 0x20 && d[i + k] < 0x7f ? d[i + k] : '.', f);
		fputs("|\n", f);
	}
	if (end < n)
		fprintf(f, "%s(%zu more zero bytes)\n", indent, n - end);
}

static const struct obj_map *om_of(const struct obj *o, const struct env *env, size_t i);

/*
 * The BTF type of a ring buffer or perf record.  A ring buffer map has no
 * value type, so look for the struct the tools name their records by: one
 * called "event" or "*_event" whose size is the record's (a perf record
 * may be up to 7 bytes longer: perf pads size + 4 to 8 bytes).  0 if the
 * object has none (clang keeps no BTF for a struct only locals use).
 */
static uint32_t record_type(const struct obj *o, size_t len, bool perf)
{
	const struct bbtf *btf = obj_btf(o);
	uint32_t n = btf ? bbtf_type_cnt(btf) : 0, start = btf ? bbtf_start_id(btf) : 0;

	for (uint32_t id = start; id < start + n; id++) {
		const struct btf_type *t = bbtf_type_by_id(btf, id);
		const char *name = bbtf_type_name(btf, id);
		size_t nl = name ? strlen(name) : 0;
		int64_t sz;

		if (!t || bbtf_kind(t) != BTF_KIND_STRUCT || !nl ||
		    (strcmp(name, "event") && (nl < 6 || strcmp(name + nl - 6, "_event"))))
			continue;
		sz = bbtf_resolve_size(btf, id);
		if (sz > 0 && ((size_t)sz == len || (perf && (size_t)sz < len && len - (size_t)sz < 8)))
			return id;
	}
	return 0;
}

static bool is_perf(const struct env *env, int map)
{
	return map_type(env_map(env, (size_t)map)) == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

/* ----- log2 histograms ----- */

#define HIST_SLOTS 64

/* An array of u64 counters indexed by slot, named like one (runqlat's and
 * biolatency's "hist"). */
static bool array_hist(const struct env *env, size_t i)
{
	const struct map_spec *s = map_spec_of(env_map(env, i));
	const char *name = env_map_name(env, i);

	return s->type == BPF_MAP_TYPE_ARRAY && s->key_size == 4 && s->value_size == 8 &&
	       s->max_entries >= 2 && s->max_entries <= HIST_SLOTS &&
	       (strstr(name, "hist") || strstr(name, "slot"));
}

/* A hash whose key struct has an integer member "slot" and whose value is
 * a u64 count (readsize's {tgid, slot, kind}): one histogram per value of
 * the other members.  The member's offset and size, or false. */
static bool keyed_hist(const struct obj *o, const struct obj_map *om, const struct map_spec *s,
		       uint32_t *off, uint32_t *size)
{
	const struct bbtf *btf = obj_btf(o);
	const struct btf_type *t;
	int id;

	if (!btf || !om || !om->btf_key_type_id || s->value_size != 8 || s->key_size > 64 ||
	    (s->type != BPF_MAP_TYPE_HASH && s->type != BPF_MAP_TYPE_LRU_HASH))
		return false;
	id = bbtf_skip_mods(btf, om->btf_key_type_id);
	t = id > 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;
	if (!t || bbtf_kind(t) != BTF_KIND_STRUCT)
		return false;
	for (int m = 0; m < bbtf_vlen(t); m++) {
		int64_t sz = bbtf_resolve_size(btf, bbtf_members(t)[m].type);

		if (strcmp(bbtf_name(btf, bbtf_members(t)[m].name_off), "slot") ||
		    (sz != 1 && sz != 2 && sz != 4 && sz != 8) || bbtf_member_bit_offset(t, m) % 8)
			continue;
		*off = bbtf_member_bit_offset(t, m) / 8;
		*size = (uint32_t)sz;
		return *off + *size <= s->key_size;
	}
	return false;
}

/* "hist tgid=100 kind=0": the map name and the key's other integer
 * members. */
static void hist_label(const struct obj *o, const struct obj_map *om, const char *map,
		       const uint8_t *key, uint32_t key_size, char *buf, size_t size)
{
	const struct bbtf *btf = obj_btf(o);
	const struct btf_type *t = bbtf_type_by_id(btf, (uint32_t)bbtf_skip_mods(btf, om->btf_key_type_id));
	size_t n = (size_t)snprintf(buf, size, "%s", map);

	for (int m = 0; m < bbtf_vlen(t) && n < size; m++) {
		const char *name = bbtf_name(btf, bbtf_members(t)[m].name_off);
		int64_t sz = bbtf_resolve_size(btf, bbtf_members(t)[m].type);
		uint64_t v = 0;

		if (!strcmp(name, "slot") || (sz != 1 && sz != 2 && sz != 4 && sz != 8) ||
		    bbtf_member_bit_offset(t, m) % 8 ||
		    bbtf_member_bit_offset(t, m) / 8 + (uint64_t)sz > key_size)
			continue;
		memcpy(&v, key + bbtf_member_bit_offset(t, m) / 8, (size_t)sz);
		n += (size_t)snprintf(buf + n, size - n, " %s=%" PRIu64, name, v);
	}
}

struct hist_group {
	uint8_t key[64];        /* the key with its slot zeroed */
	uint64_t slots[HIST_SLOTS];
};

/* Every histogram of map @i, printed (or as JSON "histograms"). */
static void print_hists(FILE *f, struct cli_json *j, const struct obj *o,
			const struct env *env, size_t i)
{
	struct map *m = env_map(env, i);
	const struct map_spec *s = map_spec_of(m);
	const struct obj_map *om = om_of(o, env, i);
	uint32_t soff = 0, ssize = 0;
	struct bb_vec groups;
	uint8_t key[64], next[64];
	bool first = true;

	if (array_hist(env, i)) {
		uint64_t slots[HIST_SLOTS] = { 0 };

		for (uint32_t k = 0; k < s->max_entries; k++)
			map_lookup(m, &k, &slots[k], 0);
		if (j) {
			cli_json_key(j, "histograms");
			cli_json_arr(j);
			cli_log2_hist_json(j, env_map_name(env, i), slots, s->max_entries);
			cli_json_arr_end(j);
		} else {
			cli_log2_hist(f, env_map_name(env, i), slots, s->max_entries);
		}
		return;
	}
	if (!keyed_hist(o, om, s, &soff, &ssize))
		return;
	bb_vec_init(&groups, sizeof(struct hist_group));
	while (!map_get_next_key(m, first ? NULL : key, next)) {
		struct hist_group g = { { 0 }, { 0 } }, *at = NULL;
		uint64_t slot = 0, v = 0;

		first = false;
		memcpy(key, next, s->key_size);
		if (map_lookup(m, key, &v, 0) < 0)
			continue;
		memcpy(&slot, key + soff, ssize);
		memcpy(g.key, key, s->key_size);
		memset(g.key + soff, 0, ssize);
		for (size_t k = 0; k < groups.len && !at; k++)
			if (!memcmp(bb_vec_at(&groups, struct hist_group, k)->key, g.key, s->key_size))
				at = bb_vec_at(&groups, struct hist_group, k);
		if (!at) {
			if (!bb_vec_push(&groups, &g))
				break;
			at = bb_vec_at(&groups, struct hist_group, groups.len - 1);
		}
		at->slots[slot < HIST_SLOTS ? slot : HIST_SLOTS - 1] += v;
	}
	if (j) {
		cli_json_key(j, "histograms");
		cli_json_arr(j);
	}
	for (size_t k = 0; k < groups.len; k++) {
		struct hist_group *g = bb_vec_at(&groups, struct hist_group, k);
		char label[256];

		hist_label(o, om, env_map_name(env, i), g->key, s->key_size, label, sizeof(label));
		if (j)
			cli_log2_hist_json(j, label, g->slots, HIST_SLOTS);
		else
			cli_log2_hist(f, label, g->slots, HIST_SLOTS);
	}
	if (j)
		cli_json_arr_end(j);
	bb_vec_free(&groups);
}

static const struct obj_map *om_of(const struct obj *o, const struct env *env, size_t i)
{
	const char *name = env_map_name(env, i);
	int k = obj_map_by_name(o, name);

	return k >= 0 ? obj_map(o, (size_t)k) : NULL;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool dumpable(uint32_t t)
{
	return t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	       t != BPF_MAP_TYPE_PROG_ARRAY && t != BPF_MAP_TYPE_QUEUE &&
	       t != BPF_MAP_TYPE_STACK && t != BPF_MAP_TYPE_BLOOM_FILTER;
}

/* Every map's elements; arrays without their all-zero elements. */
static void print_maps(FILE *f, struct cli_json *j, const struct obj *o,
		       const struct env *env)
{
	const struct bbtf *btf = obj_btf(o);

	if (j) {
		cli_json_key(j, "maps");
		cli_json_arr(j);
	} else {
		fprintf(f, "maps:\n");
	}
	for (size_t i = 0; i < env_map_count(env); i++) {
		struct map *m = env_map(env, i);
		const struct map_spec *s = map_spec_of(m);
		const struct obj_map *om = om_of(o, env, i);
		size_t vsz = map_value_size_user(m);
		uint8_t *key = calloc(1, s->key_size + 1), *next = calloc(1, s->key_size + 1);
		uint8_t *val = calloc(1, vsz + 1);
		bool first = true, percpu, hist;
		size_t zeros = 0, shown = 0;
		uint32_t soff, ssize;

		percpu = s->type == BPF_MAP_TYPE_PERCPU_ARRAY || s->type == BPF_MAP_TYPE_PERCPU_HASH ||
			 s->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
		/* Text shows a histogram map as its histograms only; JSON
		 * keeps the elements and adds "histograms". */
		hist = array_hist(env, i) || keyed_hist(o, om, s, &soff, &ssize);
		if (j) {
			cli_json_obj(j);
			cli_json_kstr(j, "name", env_map_name(env, i));
			cli_json_kstr(j, "type", map_type_name(s->type) ? map_type_name(s->type) : "?");
			cli_json_key(j, "elements");
			cli_json_arr(j);
		} else {
			fprintf(f, "  %s (%s, %" PRIu64 " elements)%s\n", env_map_name(env, i),
				map_type_name(s->type) ? map_type_name(s->type) : "?",
				map_count(m), dumpable(s->type) ? ":" : "");
		}
		while (key && next && val && dumpable(s->type) && (j || !hist) &&
		       !map_get_next_key(m, first ? NULL : key, next)) {
			first = false;
			memcpy(key, next, s->key_size);
			if (map_lookup(m, key, val, 0) < 0)
				continue;
			if ((s->type == BPF_MAP_TYPE_ARRAY || s->type == BPF_MAP_TYPE_PERCPU_ARRAY) &&
			    all_zero(val, vsz) && s->max_entries > 1) {
				zeros++;
				continue;
			}
			shown++;
			if (j) {
				cli_json_obj(j);
				cli_json_key(j, "key");
				cli_json_hex_arr(j, key, s->key_size);
				cli_json_key(j, "value");
				if (om && btf && om->btf_value_type_id && !percpu)
					cli_btf_json(j, btf, om->btf_value_type_id, val, s->value_size);
				else
					cli_json_hex_arr(j, val, vsz);
				cli_json_obj_end(j);
				continue;
			}
			fprintf(f, "    key ");
			if (om && btf && om->btf_key_type_id)
				cli_btf_text(f, btf, om->btf_key_type_id, key, s->key_size, 0);
			else
				cli_hex(f, key, s->key_size);
			fprintf(f, ": ");
			if (percpu) {
				size_t step = (s->value_size + 7) / 8 * 8;

				for (size_t c = 0; c < vsz / step; c++) {
					fprintf(f, "%scpu%zu ", c ? ", " : "", c);
					if (om && btf && om->btf_value_type_id)
						cli_btf_text(f, btf, om->btf_value_type_id, val + c * step,
							     s->value_size, 0);
					else
						cli_hex(f, val + c * step, s->value_size);
				}
			} else if (om && btf && om->btf_value_type_id) {
				cli_btf_text(f, btf, om->btf_value_type_id, val, s->value_size, 0);
			} else {
				cli_hex(f, val, vsz);
			}
			fputc('\n', f);
		}
		if (j) {
			cli_json_arr_end(j);
			if (hist)
				print_hists(f, j, o, env, i);
			cli_json_obj_end(j);
		} else if (hist) {
			print_hists(f, NULL, o, env, i);
		} else if (zeros) {
			fprintf(f, "    (%zu all-zero elements not shown)\n", zeros);
		}
		free(key);
		free(next);
		free(val);
	}
	if (j)
		cli_json_arr_end(j);
}

static void print_result(FILE *f, struct cli_json *j, const struct obj *o,
			 const struct env *env, const struct env_prog *p, size_t idx,
			 const struct input *in, const struct env_run_out *out, bool show_pkt,
			 bool jit)
{
	const char *verdict = env_verdict_name(env_prog_type(p), out->r0);

	if (j) {
		cli_json_obj(j);
		cli_json_ku64(j, "input", idx);
		cli_json_ku64(j, "r0", out->r0);
		if (verdict)
			cli_json_kstr(j, "verdict", verdict);
		if (jit)
			cli_json_kstr(j, "engine", "jit");
		else
			cli_json_ku64(j, "insns", out->insns);
		if (show_pkt) {
			cli_json_key(j, "packet_out");
			cli_json_hex_arr(j, out->packet, out->packet_len);
		}
		cli_json_kstr(j, "printk", out->printk);
		cli_json_key(j, "records");
		cli_json_arr(j);
		for (size_t r = 0; r < out->record_cnt; r++) {
			const struct env_record *rec = &out->records[r];
			uint32_t tid = record_type(o, rec->len, is_perf(env, rec->map));

			cli_json_obj(j);
			cli_json_kstr(j, "map", env_map_name(env, (size_t)rec->map));
			cli_json_ku64(j, "cpu", rec->cpu);
			cli_json_key(j, "data");
			cli_json_hex_arr(j, rec->data, rec->len);
			if (tid) {
				cli_json_kstr(j, "type", bbtf_type_name(obj_btf(o), tid));
				cli_json_key(j, "value");
				cli_btf_json(j, obj_btf(o), tid, rec->data, rec->len);
			}
			cli_json_obj_end(j);
		}
		cli_json_arr_end(j);
		cli_json_obj_end(j);
		return;
	}
	if (in && show_pkt)
		fprintf(f, "packet %zu (%zu bytes): ", idx + 1, in->len);
	else
		fprintf(f, "run %zu: ", idx + 1);
	if (verdict)
		fprintf(f, "%s (r0 = %" PRIu64 ")", verdict, out->r0);
	else
		fprintf(f, "r0 = %" PRIu64 " (0x%" PRIx64 ")", out->r0, out->r0);
	if (jit)
		fprintf(f, ", jit%s\n", out->tail_calls ? ", tail calls" : "");
	else
		fprintf(f, ", %" PRIu64 " insns%s\n", out->insns,
			out->tail_calls ? ", tail calls" : "");
	if (show_pkt && (!in || in->len != out->packet_len ||
			 memcmp(in->data, out->packet, in->len)))
		print_hex_block(f, "  out: ", out->packet, out->packet_len);
	if (out->printk_len) {
		fprintf(f, "  printk:\n");
		for (const char *l = out->printk; *l;) {
			const char *nl = strchr(l, '\n');
			int n = nl ? (int)(nl - l) : (int)strlen(l);

			fprintf(f, "    %.*s\n", n, l);
			l += n + (nl ? 1 : 0);
		}
	}
	for (size_t r = 0; r < out->record_cnt; r++) {
		const struct env_record *rec = &out->records[r];
		uint32_t tid = record_type(o, rec->len, is_perf(env, rec->map));

		fprintf(f, "  %s record (cpu %u, %zu bytes%s%s):\n",
			env_map_name(env, (size_t)rec->map), rec->cpu, rec->len,
			tid ? ", struct " : "", tid ? bbtf_type_name(obj_btf(o), tid) : "");
		if (tid) {
			fputs("    ", f);
			cli_btf_text(f, obj_btf(o), tid, rec->data, rec->len, CLI_BTF_FLAT);
			fputc('\n', f);
		} else {
			print_hex_block(f, "    ", rec->data, rec->len);
		}
	}
}

/* ----- the command ----- */

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;

		if (cli_is_help(a)) {
			help_run_obj();
			exit(0);
		} else if (!strcmp(a, "--section") && has) {
			o->section = argv[++i];
		} else if (!strcmp(a, "--prog") && has) {
			o->prog = argv[++i];
		} else if (!strcmp(a, "--packet") && has) {
			o->packet = argv[++i];
		} else if (!strcmp(a, "--pcap") && has) {
			o->pcap = argv[++i];
		} else if (!strcmp(a, "--ctx") && has) {
			o->ctx = argv[++i];
		} else if (!strcmp(a, "--map") && has) {
			if (o->nmaps == (int)BB_ARRAY_SIZE(o->maps))
				return cli_usage("run", "too many --map options");
			o->maps[o->nmaps++] = argv[++i];
		} else if (!strcmp(a, "--run") && has) {
			if (o->nsteps == (int)BB_ARRAY_SIZE(o->steps) || !strchr(argv[i + 1], ':'))
				return cli_usage("run", "--run wants SECTION:CTXFILE (at most 32)");
			o->steps[o->nsteps++] = argv[++i];
		} else if (!strcmp(a, "--repeat") && has) {
			o->repeat = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--cpu") && has) {
			o->cpu = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--checked")) {
			o->checked = true;
		} else if (!strcmp(a, "--trace")) {
			o->trace = true;
		} else if (!strcmp(a, "--jit")) {
			o->jit = true;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			o->json = true;
		} else if (a[0] == '-' || o->file) {
			return cli_usage("run", "unexpected argument '%s'", a);
		} else {
			o->file = a;
		}
	}
	if (!o->file)
		return cli_usage("run", "no object file");
	if (o->nsteps && (o->packet || o->pcap || o->ctx || o->section || o->prog))
		return cli_usage("run", "--run excludes --section, --prog, --packet, --pcap and --ctx");
	if (!!o->packet + !!o->pcap + !!o->ctx > 1)
		return cli_usage("run", "--packet, --pcap and --ctx exclude each other");
	if (o->jit && o->trace)
		return cli_usage("run", "--trace needs the interpreter: JIT code runs untraced");
	return 0;
}

static int set_map(struct env *env, const char *spec, struct bb_err *e)
{
	char name[128];
	const char *eq = strchr(spec, '='), *colon = eq ? strchr(eq, ':') : NULL;
	uint8_t *key = NULL, *val = NULL;
	long nk, nv;
	int idx, ret;
	struct map *m;

	if (!eq || !colon || (size_t)(eq - spec) >= sizeof(name))
		return bb_err_insn(e, -EINVAL, -1, "--map %s: want NAME=KEYHEX:VALUEHEX", spec);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - spec), spec);
	idx = env_map_by_name(env, name);
	if (idx < 0)
		return bb_err_insn(e, -ENOENT, -1, "--map: no map '%s'", name);
	m = env_map(env, (size_t)idx);
	{
		char *kt = strndup(eq + 1, (size_t)(colon - eq - 1));

		nk = kt ? bb_hex_parse(kt, &key, e) : -ENOMEM;
		free(kt);
	}
	nv = nk < 0 ? nk : bb_hex_parse(colon + 1, &val, e);
	if (nk >= 0 && nv >= 0 && ((size_t)nk != map_spec_of(m)->key_size ||
				   (size_t)nv != map_value_size_user(m)))
		ret = bb_err_insn(e, -EINVAL, -1, "--map %s: key is %u bytes and value %zu bytes",
				  name, map_spec_of(m)->key_size, map_value_size_user(m));
	else if (nk < 0 || nv < 0)
		ret = (int)(nk < 0 ? nk : nv);
	else if ((ret = map_update(m, key, val, BPF_ANY)) < 0)
		bb_err_insn(e, ret, -1, "--map %s: update failed: %s", name, strerror(-ret));
	free(key);
	free(val);
	return ret;
}

static void trace_insn(void *arg, uint32_t pc, const struct isa_insn *in,
		       const uint64_t before[VM_NREGS], const uint64_t after[VM_NREGS])
{
	FILE *f = arg;

	fprintf(f, "  %5u: op %-3u", pc, in->code);
	for (int r = 0; r < VM_NREGS; r++)
		if (before[r] != after[r])
			fprintf(f, " r%d=0x%" PRIx64, r, after[r]);
	fputc('\n', f);
}

static struct env_prog *pick_prog(struct env *env, const struct opts *o, struct bb_err *e)
{
	struct env_prog *p = NULL;

	if (o->prog)
		p = env_prog_find(env, o->prog);
	else if (o->section)
		p = env_prog_find(env, o->section);
	else if (env_prog_count(env) == 1)
		p = env_prog(env, 0);
	if (!p)
		bb_err_insn(e, -ENOENT, -1, "%s", o->prog || o->section
			    ? "no such program (name or section)"
			    : "the object has several programs: say --section or --prog");
	return p;
}

/* --run steps: each program on its context, maps shared. */
static int run_steps(struct env *env, const struct obj *o_obj, const struct opts *o,
		     struct cli_json *j, struct bb_err *e)
{
	if (j) {
		cli_json_key(j, "runs");
		cli_json_arr(j);
	}
	for (int i = 0; i < o->nsteps; i++) {
		const char *colon = strchr(o->steps[i], ':');
		char *sec = strndup(o->steps[i], (size_t)(colon - o->steps[i]));
		struct env_prog *p = sec ? env_prog_find(env, sec) : NULL;
		struct env_run_in ri = { .sz = sizeof(ri), .repeat = o->repeat, .checked = o->checked,
					 .engine = o->jit ? ENV_ENGINE_JIT : ENV_ENGINE_INTERP };
		struct env_run_out out;
		struct input ctx = { 0 };
		int ret;

		if (!p) {
			ret = bb_err_insn(e, -ENOENT, -1, "--run: no program '%s'", sec ? sec : "");
			free(sec);
			return ret;
		}
		free(sec);
		if ((ret = read_ctx(env, colon + 1, &ctx, e)) < 0)
			return ret;
		ri.ctx = ctx.data;
		ri.ctx_len = ctx.len;
		bb_err_clear(e);
		bb_err_set_file(e, o->file);
		ret = env_run(env, p, &ri, &out, e);
		free(ctx.data);
		if (ret < 0)
			return ret;
		if (!j)
			printf("%s (SEC \"%s\") on %s:\n  ", env_prog_name(p), env_prog_section(p),
			       colon + 1);
		print_result(stdout, j, o_obj, env, p, (size_t)i, NULL, &out, false, o->jit);
		env_run_out_free(&out);
	}
	if (j)
		cli_json_arr_end(j);
	return 0;
}

int cmd_run_obj(int argc, char **argv)
{
	struct opts o = { .repeat = 1 };
	struct bb_err e;
	struct obj *ob = NULL;
	struct env *env = NULL;
	struct env_prog *p;
	struct bb_vec inputs;
	struct input ctx = { 0 };
	struct cli_json js, *j = NULL;
	uint64_t counts[16] = { 0 };
	bool packets;
	int ret, status = 1;

	bb_err_clear(&e);
	bb_vec_init(&inputs, sizeof(struct input));
	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	env = env_new();
	if (!env) {
		bb_err_insn(&e, -ENOMEM, -1, "out of memory");
		goto fail;
	}
	if ((ret = obj_open_file(o.file, NULL, &ob, &e)) < 0)
		goto fail;
	/* Externs and CO-RE as the loader would resolve them against this
	 * kernel; a program that still cannot load is refused when run. */
	obj_resolve_externs(ob, NULL, NULL);
	obj_core_relocate(ob, NULL, NULL);
	if (env_set_cpu(env, o.cpu, MAP_DEFAULT_NR_CPUS) < 0) {
		bb_err_insn(&e, -EINVAL, -1, "--cpu %u: at most %u CPUs", o.cpu, MAP_DEFAULT_NR_CPUS - 1);
		goto fail;
	}
	{
		struct env_load_opts lo = { .sz = sizeof(lo), .keep_going = true };

		if ((ret = env_load_obj(env, ob, &lo, &e)) < 0)
			goto fail;
	}
	bb_err_clear(&e);
	bb_err_set_file(&e, o.file);
	for (int i = 0; i < o.nmaps; i++)
		if (set_map(env, o.maps[i], &e) < 0)
			goto fail;
	if (o.nsteps) {
		if (o.json) {
			cli_json_init(&js, stdout, false);
			j = &js;
			cli_json_obj(j);
		} else {
			printf("%s:\n", o.file);
		}
		if (run_steps(env, ob, &o, j, &e) < 0)
			goto fail;
		print_maps(stdout, j, ob, env);
		if (j) {
			cli_json_obj_end(j);
			printf("\n");
		}
		status = 0;
		goto out;
	}
	if (!(p = pick_prog(env, &o, &e)))
		goto fail;
	packets = env_prog_type(p) == BPF_PROG_TYPE_XDP ||
		  env_prog_type(p) == BPF_PROG_TYPE_SCHED_CLS ||
		  env_prog_type(p) == BPF_PROG_TYPE_SCHED_ACT ||
		  env_prog_type(p) == BPF_PROG_TYPE_SOCKET_FILTER;
	if (o.pcap && read_pcap(o.pcap, &inputs, &e) < 0)
		goto fail;
	if (o.packet) {
		struct input in;
		long n = bb_hex_parse(o.packet, &in.data, &e);

		if (n < 0)
			goto fail;
		in.len = (size_t)n;
		if (!bb_vec_push(&inputs, &in)) {
			free(in.data);
			goto fail;
		}
	}
	if (o.ctx && read_ctx(env, o.ctx, &ctx, &e) < 0)
		goto fail;
	if (packets && !inputs.len) {
		bb_err_insn(&e, -EINVAL, -1, "a %s program needs --packet or --pcap",
			    env_prog_section(p));
		goto fail;
	}
	if (o.json) {
		cli_json_init(&js, stdout, false);
		j = &js;
		cli_json_obj(j);
		cli_json_kstr(j, "prog", env_prog_name(p));
		cli_json_kstr(j, "section", env_prog_section(p));
		cli_json_key(j, "runs");
		cli_json_arr(j);
	} else {
		printf("%s: prog %s (SEC \"%s\")\n", o.file, env_prog_name(p), env_prog_section(p));
	}
	for (size_t i = 0; i < (inputs.len ? inputs.len : 1); i++) {
		struct input *in = inputs.len ? bb_vec_at(&inputs, struct input, i) : NULL;
		struct env_run_in ri = { .sz = sizeof(ri), .repeat = o.repeat, .checked = o.checked,
					 .engine = o.jit ? ENV_ENGINE_JIT : ENV_ENGINE_INTERP };
		struct env_run_out out;

		if (in) {
			ri.packet = in->data;
			ri.packet_len = in->len;
		}
		if (ctx.data) {
			ri.ctx = ctx.data;
			ri.ctx_len = ctx.len;
		}
		if (o.trace) {
			ri.trace = trace_insn;
			ri.trace_arg = stdout;
		}
		bb_err_clear(&e);
		bb_err_set_file(&e, o.file);
		if ((ret = env_run(env, p, &ri, &out, &e)) < 0) {
			if (j)
				cli_json_arr_end(j);
			goto fail;
		}
		print_result(stdout, j, ob, env, p, i, in, &out, packets, o.jit);
		if (packets && out.r0 < BB_ARRAY_SIZE(counts))
			counts[out.r0]++;
		env_run_out_free(&out);
	}
	if (j)
		cli_json_arr_end(j);
	if (packets && inputs.len > 1) {
		if (j) {
			cli_json_key(j, "verdicts");
			cli_json_obj(j);
		} else {
			printf("verdicts:");
		}
		for (size_t v = 0; v < BB_ARRAY_SIZE(counts); v++) {
			if (!counts[v])
				continue;
			if (j)
				cli_json_ku64(j, env_verdict_name(env_prog_type(p), v), counts[v]);
			else
				printf(" %s %" PRIu64, env_verdict_name(env_prog_type(p), v), counts[v]);
		}
		if (j)
			cli_json_obj_end(j);
		else
			printf("\n");
	}
	print_maps(stdout, j, ob, env);
	if (j) {
		cli_json_obj_end(j);
		printf("\n");
	}
	status = 0;
	goto out;
fail:
	status = cli_fail("run", &e);
out:
	for (size_t i = 0; i < inputs.len; i++)
		free(bb_vec_at(&inputs, struct input, i)->data);
	bb_vec_free(&inputs);
	free(ctx.data);
	env_free(env);
	obj_free(ob);
	return status;
}
