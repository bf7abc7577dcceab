/* SPDX-License-Identifier: MIT */
/*
 * barebpf trace OBJ [-d SECONDS] [--pid PID] - a one-off observation in
 * the spirit of bpftrace: load the object, attach every program from its
 * SEC() name, print each ring/perf buffer record decoded through the
 * object's BTF on one line, and at the end (duration or Ctrl-C) print the
 * histogram maps as log2 histograms and counter maps as @name[key]: value.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void help_trace(void)
{
	printf("usage: barebpf trace OBJ [-d SECONDS] [--pid PID] [-q]\n\n"
	       "Load OBJ, attach every program from its SEC() name (tracepoint, raw_tp,\n"
	       "tp_btf, uprobe, usdt, iter, perf_event, ...), then print each record its\n"
	       "ring buffer or perf buffer maps deliver, one line each, decoded through the\n"
	       "object's BTF: the struct whose size matches the record among structs named\n"
	       "'event' or '*_event' (char arrays as strings, ts/timestamp/*_ns fields as\n"
	       "seconds).  On exit (-d SECONDS elapsed, or Ctrl-C) histogram maps print as\n"
	       "log2 histograms the way bpftrace prints @hist (a map named *hist* with\n"
	       "integer slot keys, or values with a 'slots' array), and maps of integer\n"
	       "counters as @name[key]: value.\n\n"
	       "  -d SECONDS   stop after this long (default: until Ctrl-C)\n"
	       "  --pid PID    set the object's targ_tgid/targ_pid/target_pid .rodata knob\n"
	       "               when it has one, and drop events whose pid field differs\n"
	       "  -q           no events, only the maps at the end\n");
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

struct trace_ctx {
	const struct bbtf *btf;
	struct bb_vec cands;    /* uint32_t: struct ids that may be events */
	int named_event;        /* id of a struct called "event", or 0 */
	long pid;               /* 0: no filter */
	bool quiet;
	uint64_t events, filtered;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void find_event_types(struct trace_ctx *t)
{
	bb_vec_init(&t->cands, sizeof(uint32_t));
	if (!t->btf)
		return;
	for (uint32_t id = bbtf_start_id(t->btf); id < bbtf_type_cnt(t->btf); id++) {
		const struct btf_type *ty = bbtf_type_by_id(t->btf, id);
		const char *name = bbtf_type_name(t->btf, id);

		if (!ty || bbtf_kind(ty) != BTF_KIND_STRUCT || !name || !*name)
			continue;
		if (!strcmp(name, "event") || ends_with(name, "_event") || ends_with(name, "_evt")) {
			bb_vec_push(&t->cands, &id);
			if (!strcmp(name, "event"))
				t->named_event = (int)id;
		}
	}
}

/* The event struct for a record of @size bytes: exact size first, then
 * one the record covers with perf's up-to-8-byte padding, then "event". */
static uint32_t pick_type(const struct trace_ctx *t, size_t size)
{
	for (size_t i = 0; i < t->cands.len; i++) {
		uint32_t id = *bb_vec_at(&t->cands, uint32_t, i);

		if ((size_t)bbtf_resolve_size(t->btf, id) == size)
			return id;
	}
	for (size_t i = 0; i < t->cands.len; i++) {
		uint32_t id = *bb_vec_at(&t->cands, uint32_t, i);
		int64_t s = bbtf_resolve_size(t->btf, id);

		if (s > 0 && (size_t)s < size && size < (size_t)s + 8)
			return id;
	}
	if (t->named_event)
		return (uint32_t)t->named_event;
	return t->cands.len == 1 ? *bb_vec_at(&t->cands, uint32_t, 0) : 0;
}

/* The value of an integer member named pid or tgid, or -1. */
static long member_pid(const struct bbtf *btf, uint32_t id, const uint8_t *p, size_t size)
{
	const struct btf_type *ty = bbtf_type_by_id(btf, id);

	for (int i = 0; ty && i < bbtf_vlen(ty); i++) {
		const char *n = bbtf_name(btf, bbtf_members(ty)[i].name_off);
		uint32_t off = bbtf_member_bit_offset(ty, i) / 8;
		int64_t sz = bbtf_resolve_size(btf, bbtf_members(ty)[i].type);

		if (n && (!strcmp(n, "pid") || !strcmp(n, "tgid")) && (sz == 4 || sz == 8) &&
		    off + (size_t)sz <= size) {
			uint64_t v = 0;

			memcpy(&v, p + off, (size_t)sz);
			return (long)(sz == 4 ? (uint32_t)v : v);
		}
	}
	return -1;
}

static void print_event(struct trace_ctx *t, const void *data, size_t size)
{
	uint32_t id = pick_type(t, size);
	char ts[16];
	time_t now = time(NULL);
	struct tm tm;

	if (t->pid && id) {
		long p = member_pid(t->btf, id, data, size);

		if (p >= 0 && p != t->pid) {
			t->filtered++;
			return;
		}
	}
	t->events++;
	if (t->quiet)
		return;
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	printf("%s ", ts);
	if (id) {
		cli_btf_text(stdout, t->btf, id, data, size, CLI_BTF_FLAT | CLI_BTF_TS_SECONDS);
	} else {
		static bool hinted;

		if (!hinted) {
			/* clang puts a struct in BTF only when a global, a map or a
			 * signature uses it; locals do not count. */
			fprintf(stderr, "barebpf trace: no event struct of %zu bytes in the object's "
				"BTF; printing bytes (declare one in the program: "
				"'struct event *unused_event __attribute__((unused));')\n", size);
			hinted = true;
		}
		printf("%zu bytes: ", size);
		cli_hex(stdout, data, size < 64 ? size : 64);
		if (size > 64)
			printf(" ...");
	}
	printf("\n");
	fflush(stdout);
}

static int on_ring(void *ctx, const void *data, size_t size)
{
	print_event(ctx, data, size);
	return 0;
}

static void on_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	(void)cpu;
	print_event(ctx, data, size);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	(void)ctx;
	fprintf(stderr, "barebpf trace: lost %" PRIu64 " samples on CPU %d\n", lost, cpu);
}

/* ------------------------------------------------------------------ */
/* Maps at exit                                                        */
/* ------------------------------------------------------------------ */

static const struct btf_type *resolved(const struct bbtf *btf, uint32_t id, uint32_t *out)
{
	int r = id ? bbtf_skip_mods(btf, id) : -1;

	if (r <= 0)
		return NULL;
	if (out)
		*out = (uint32_t)r;
	return bbtf_type_by_id(btf, (uint32_t)r);
}

static bool is_int(const struct bbtf *btf, uint32_t id, int64_t *size)
{
	const struct btf_type *t = resolved(btf, id, NULL);

	if (!t || (bbtf_kind(t) != BTF_KIND_INT && bbtf_kind(t) != BTF_KIND_ENUM))
		return false;
	*size = bbtf_resolve_size(btf, id);
	return *size == 1 || *size == 2 || *size == 4 || *size == 8;
}

static uint64_t read_uint(const uint8_t *p, int64_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, (size_t)size);
	return v;
}

/* An array-of-integers slot layout inside the value: offset, count, width. */
struct slots {
	size_t off;
	uint32_t n;
	int64_t width;
};

static bool slots_of(const struct bbtf *btf, uint32_t vid, struct slots *s)
{
	const struct btf_type *t = resolved(btf, vid, &vid);

	if (!t)
		return false;
	if (bbtf_kind(t) == BTF_KIND_ARRAY) {
		s->off = 0;
		s->n = bbtf_array(t)->nelems;
		return s->n >= 2 && s->n <= 128 && is_int(btf, bbtf_array(t)->type, &s->width);
	}
	if (bbtf_kind(t) != BTF_KIND_STRUCT)
		return false;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		const char *n = bbtf_name(btf, bbtf_members(t)[i].name_off);
		const struct btf_type *mt = resolved(btf, bbtf_members(t)[i].type, NULL);

		if (n && !strcmp(n, "slots") && mt && bbtf_kind(mt) == BTF_KIND_ARRAY) {
			s->off = bbtf_member_bit_offset(t, i) / 8;
			s->n = bbtf_array(mt)->nelems;
			return s->n >= 1 && s->n <= 128 && is_int(btf, bbtf_array(mt)->type, &s->width);
		}
	}
	return false;
}

static bool map_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static int ncpus(void)
{
	char *s = NULL;
	int n = 0;

	if (bb_read_file("/sys/devices/system/cpu/possible", &s, NULL) > 0) {
		char *dash = strchr(s, '-');

		n = dash ? atoi(dash + 1) + 1 : 1;
	}
	free(s);
	return n > 0 ? n : 1;
}

struct counter {
	uint8_t *key;
	uint64_t val;
};

static int cmp_counter(const void *a, const void *b)
{
	const struct counter *x = a, *y = b;

	return x->val < y->val ? -1 : x->val > y->val;
}

/*
 * One map at exit.  Values of per-CPU maps are summed over the CPUs
 * (integers and slots alike).
 */
static void print_map(const struct bbtf *btf, const struct obj_map *om, const struct ldr_obj_map *m)
{
	bool percpu = map_is_percpu(m->type);
	size_t step = percpu ? ((m->value_size + 7) & ~7u) : m->value_size;
	int cpus = percpu ? ncpus() : 1;
	int64_t ksz = 0, vsz = 0;
	struct slots sl;
	bool slotted = slots_of(btf, om->btf_value_type_id, &sl);
	bool key_slot = !slotted && strstr(m->name, "hist") && is_int(btf, om->btf_key_type_id, &ksz) &&
			is_int(btf, om->btf_value_type_id, &vsz);
	bool counter = !slotted && !key_slot && is_int(btf, om->btf_value_type_id, &vsz);
	uint8_t *key = calloc(1, m->key_size + 8), *next = calloc(1, m->key_size + 8);
	uint8_t *val = calloc((size_t)cpus, step + 8);
	uint64_t hist[128] = { 0 };
	struct bb_vec counters;
	bool first = true, any = false;

	bb_vec_init(&counters, sizeof(struct counter));
	if (!key || !next || !val || (!slotted && !key_slot && !counter))
		goto out;
	if (slotted && (size_t)sl.off + (size_t)sl.width * sl.n > m->value_size)
		goto out;
	while (ldr_map_get_next_key(m->fd, first ? NULL : key, next) == 0) {
		uint64_t sum = 0;

		first = false;
		memcpy(key, next, m->key_size);
		if (ldr_map_lookup(m->fd, key, val))
			continue;
		if (slotted) {
			uint64_t h[128] = { 0 };
			bool nz = false;

			for (int c = 0; c < cpus; c++)
				for (uint32_t s = 0; s < sl.n; s++)
					h[s] += read_uint(val + step * (size_t)c + sl.off + (size_t)sl.width * s,
							  sl.width);
			for (uint32_t s = 0; s < sl.n; s++)
				nz |= h[s] != 0;
			if (!nz)
				continue;
			/* One histogram per key: "@name[key]". */
			char label[256];
			FILE *f = fmemopen(label, sizeof(label), "w");

			if (f) {
				fprintf(f, "%s", m->name);
				if (m->max_entries > 1 || m->type != BPF_MAP_TYPE_ARRAY) {
					fputc('[', f);
					if (om->btf_key_type_id)
						cli_btf_text(f, btf, om->btf_key_type_id, key, m->key_size, 0);
					else
						cli_hex(f, key, m->key_size);
					fputc(']', f);
				}
				fclose(f);
			}
			label[sizeof(label) - 1] = '\0';
			cli_log2_hist(stdout, label, h, sl.n);
			any = true;
			continue;
		}
		for (int c = 0; c < cpus; c++)
			sum += read_uint(val + step * (size_t)c, vsz);
		if (key_slot) {
			uint64_t k = read_uint(key, ksz);

			if (k < 128)
				hist[k] += sum;
		} else if (sum) {
			struct counter cn = { .key = malloc(m->key_size + 1), .val = sum };

			if (!cn.key || !bb_vec_push(&counters, &cn)) {
				free(cn.key);
				break;
			}
			memcpy(cn.key, key, m->key_size);
		}
	}
	if (key_slot) {
		cli_log2_hist(stdout, m->name, hist, 128);
	} else if (counter && counters.len) {
		/* bpftrace order: ascending, the biggest last. */
		qsort(counters.data, counters.len, sizeof(struct counter), cmp_counter);
		for (size_t i = counters.len > 40 ? counters.len - 40 : 0; i < counters.len; i++) {
			struct counter *cn = bb_vec_at(&counters, struct counter, i);

			printf("@%s[", m->name);
			if (om->btf_key_type_id)
				cli_btf_text(stdout, btf, om->btf_key_type_id, cn->key, m->key_size, 0);
			else
				cli_hex(stdout, cn->key, m->key_size);
			printf("]: %" PRIu64 "\n", cn->val);
		}
		printf("\n");
	} else if (slotted && !any) {
		cli_log2_hist(stdout, m->name, hist, 0);
	}
out:
	for (size_t i = 0; i < counters.len; i++)
		free(bb_vec_at(&counters, struct counter, i)->key);
	bb_vec_free(&counters);
	free(key);
	free(next);
	free(val);
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

/* --pid: the first of the usual .rodata knobs the object has. */
static bool set_pid_knob(struct obj *o, uint32_t pid)
{
	static const char *const knobs[] = { "targ_tgid", "targ_pid", "target_pid", "filter_pid" };
	const struct bbtf *btf = obj_btf(o);
	int mi = obj_map_by_name(o, ".rodata");
	const struct obj_map *m = mi >= 0 ? obj_map(o, (size_t)mi) : NULL;
	int id = btf ? bbtf_find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	const struct btf_type *ds = id > 0 ? bbtf_type_by_id(btf, (uint32_t)id) : NULL;

	if (!m || !m->init || !ds)
		return false;
	for (size_t k = 0; k < BB_ARRAY_SIZE(knobs); k++) {
		for (int i = 0; i < bbtf_vlen(ds); i++) {
			const struct btf_var_secinfo *vs = &bbtf_secinfos(ds)[i];
			const char *vn = bbtf_type_name(btf, vs->type);

			if (!vn || strcmp(vn, knobs[k]) || vs->size != 4 ||
			    vs->offset + 4 > m->value_size)
				continue;
			/* The object's own heap copy of the initial bytes, loaded
			 * into the map by ldr_obj_load (as tools/lib does). */
			memcpy((uint8_t *)(uintptr_t)m->init + vs->offset, &pid, 4);
			return true;
		}
	}
	return false;
}

static int cmd_trace(int argc, char **argv)
{
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true);
	LDR_OPTS(ldr_attach_opts, aopts, .pid = -1, .cpu = -1);
	struct trace_ctx t = { 0 };
	const char *path = NULL;
	double secs = 0;
	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct ldr_link **links = NULL;
	struct ldr_ringbuf *rb = NULL;
	struct ldr_perfbuf **pbs = NULL;
	size_t npb = 0, attached = 0;
	struct bb_err e;
	struct timespec t0, now;
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int ret = 1;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			help_trace();
			return 0;
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			char *end;

			secs = strtod(argv[++i], &end);
			if (*end || secs <= 0)
				return cli_usage("trace", "-d wants a positive number of seconds");
		} else if (!strcmp(argv[i], "--pid") && i + 1 < argc) {
			t.pid = strtol(argv[++i], NULL, 10);
			if (t.pid <= 0)
				return cli_usage("trace", "--pid wants a process id");
		} else if (!strcmp(argv[i], "-q")) {
			t.quiet = true;
		} else if (argv[i][0] == '-' || path) {
			return cli_usage("trace", "unexpected '%s'", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return cli_usage("trace", "expected OBJ");
	bb_err_clear(&e);
	if (obj_open_file(path, NULL, &o, &e))
		return cli_fail("trace", &e);
	if (t.pid && !set_pid_knob(o, (uint32_t)t.pid))
		fprintf(stderr, "barebpf trace: %s has no pid knob in .rodata; filtering events "
			"by their pid field\n", path);
	if (ldr_obj_load(o, &lopts, &lo, &e) < 0) {
		ret = cli_fail("trace", &e);
		goto out;
	}
	links = calloc(ldr_obj_prog_count(lo) + 1, sizeof(*links));
	pbs = calloc(ldr_obj_map_count(lo) + 1, sizeof(*pbs));
	if (!links || !pbs)
		goto out;
	for (size_t i = 0; i < ldr_obj_prog_count(lo); i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
		char line[1024];

		if (p->err) {
			fprintf(stderr, "barebpf trace: skipping %s: %s\n", p->name,
				bb_err_str(&p->error, line, sizeof(line)));
			continue;
		}
		if (!ldr_obj_prog_autoattachable(lo, i)) {
			fprintf(stderr, "barebpf trace: skipping %s: section '%s' needs a target "
				"(attach it with its own tool)\n", p->name, p->section);
			continue;
		}
		bb_err_clear(&e);
		if (ldr_obj_attach_prog(lo, i, &aopts, &links[i], &e)) {
			fprintf(stderr, "barebpf trace: cannot attach %s: %s\n", p->name,
				bb_err_str(&e, line, sizeof(line)));
			links[i] = NULL;
			continue;
		}
		attached++;
	}
	if (!attached) {
		fprintf(stderr, "barebpf trace: %s: no program could be attached\n", path);
		goto out;
	}
	t.btf = obj_btf(o);
	find_event_types(&t);
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++) {
		const struct ldr_obj_map *m = ldr_obj_map(lo, i);
		int r = 0;

		bb_err_clear(&e);
		if (m->type == BPF_MAP_TYPE_RINGBUF)
			r = rb ? ldr_ringbuf_add(rb, m->fd, on_ring, &t, &e)
			       : ldr_ringbuf_new(m->fd, on_ring, &t, &rb, &e);
		else if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			r = ldr_perfbuf_new(m->fd, 64, on_sample, on_lost, &t, &pbs[npb++], &e);
		if (r) {
			ret = cli_fail("trace", &e);
			goto out;
		}
	}
	fprintf(stderr, "Attached %zu program%s. %s\n", attached, attached == 1 ? "" : "s",
		secs > 0 ? "Tracing..." : "Tracing... Hit Ctrl-C to end.");
	stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		int slice = rb && npb ? 50 : 100;

		int r = 0;

		/* -EINTR (Ctrl-C) ends the wait; the loop condition decides. */
		if (rb)
			r = ldr_ringbuf_poll(rb, slice);
		for (size_t k = 0; k < npb && (r >= 0 || r == -EINTR); k++)
			r = ldr_perfbuf_poll(pbs[k], npb > 1 ? 10 : slice);
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "barebpf trace: polling: %s\n", strerror(-r));
			break;
		}
		if (!rb && !npb) {
			struct timespec ts = { 0, 100 * 1000000L };

			nanosleep(&ts, NULL);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (secs > 0 && (double)(now.tv_sec - t0.tv_sec) +
		    (double)(now.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	/* What arrived between the last poll and the end. */
	if (rb)
		ldr_ringbuf_consume(rb);
	for (size_t k = 0; k < npb; k++)
		ldr_perfbuf_consume(pbs[k]);
	printf("\n");
	for (size_t i = 0; i < ldr_obj_map_count(lo); i++) {
		const struct ldr_obj_map *m = ldr_obj_map(lo, i);
		int oi = obj_map_by_name(o, m->name);
		const struct obj_map *om = oi >= 0 ? obj_map(o, (size_t)oi) : NULL;

		if (!om || !t.btf || om->kind == OBJ_MAP_RODATA || m->type == BPF_MAP_TYPE_RINGBUF ||
		    m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY || om->section[0] != '.' ||
		    strcmp(om->section, ".maps"))
			continue;
		print_map(t.btf, om, m);
	}
	fprintf(stderr, "%" PRIu64 " event%s", t.events, t.events == 1 ? "" : "s");
	if (t.filtered)
		fprintf(stderr, " (%" PRIu64 " from other processes dropped)", t.filtered);
	fprintf(stderr, "\n");
	ret = 0;
out:
	for (size_t k = 0; k < npb; k++)
		ldr_perfbuf_free(pbs[k]);
	free(pbs);
	ldr_ringbuf_free(rb);
	if (links)
		ldr_links_destroy(links, ldr_obj_prog_count(lo));
	bb_vec_free(&t.cands);
	ldr_obj_free(lo);
	obj_free(o);
	return ret;
}

CLI_COMMAND(trace, 78, "load, auto-attach and print an object's events and histograms",
	    cmd_trace, help_trace)
