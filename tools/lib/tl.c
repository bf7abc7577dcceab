/* SPDX-License-Identifier: MIT */
/*
 * tools/lib/tl.c - options, object finding/loading, signals, histograms.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "btf/btf.h"
#include "tools/lib/tl.h"

volatile int tl_exiting;

static void on_signal(int sig)
{
	(void)sig;
	tl_exiting = 1;
}

void tl_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

double tl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *tl_time_str(char buf[16])
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, 16, "%H:%M:%S", &tm);
	return buf;
}

static double parse_num(const char *s, const char *what, const char *usage)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0) {
		fprintf(stderr, "invalid %s: '%s'\n%s", what, s, usage);
		exit(2);
	}
	return v;
}

void tl_parse(int argc, char **argv, const char *usage, const char *extra_opts,
	      int (*on_opt)(int c, const char *arg, void *ctx), void *ctx, struct tl_args *a)
{
	char optstr[64];
	int c;

	memset(a, 0, sizeof(*a));
	snprintf(optstr, sizeof(optstr), "p:d:h%s", extra_opts ? extra_opts : "");
	while ((c = getopt(argc, argv, optstr)) != -1) {
		switch (c) {
		case 'p':
			a->pid = (int)parse_num(optarg, "PID", usage);
			break;
		case 'd':
			a->duration = parse_num(optarg, "duration", usage);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			if (c != '?' && on_opt && !on_opt(c, optarg, ctx))
				break;
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		/* BCC style: "runqlat 1 10" is an interval and a count */
		a->duration = parse_num(argv[optind++], "interval", usage);
		a->interval_mode = true;
		if (optind < argc)
			a->count = (int)parse_num(argv[optind++], "count", usage);
		if (optind < argc) {
			fprintf(stderr, "unexpected argument '%s'\n%s", argv[optind], usage);
			exit(2);
		}
	}
}

const char *tl_corpus_path(const char *argv0, const char *name, char *buf, size_t size)
{
	const char *dir = getenv("BAREBPF_CORPUS_DIR");
	char exe[4096], *d;
	ssize_t n;

	if (dir && *dir) {
		snprintf(buf, size, "%s/%s.bpf.o", dir, name);
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(exe, sizeof(exe), "%s", argv0);
		n = (ssize_t)strlen(exe);
	}
	exe[n] = 0;
	d = dirname(exe);
	snprintf(buf, size, "%s/../corpus/%s.bpf.o", d, name);
	return buf;
}

void tl_open(const char *argv0, const char *name, struct tl_obj *t)
{
	char path[4096], line[1024];
	struct bb_err e;

	memset(t, 0, sizeof(*t));
	tl_corpus_path(argv0, name, path, sizeof(path));
	if (access(path, R_OK)) {
		fprintf(stderr, "%s: BPF object %s not found (%s): build it with `make corpus`, "
			"or point BAREBPF_CORPUS_DIR at the directory holding %s.bpf.o\n",
			name, path, strerror(errno), name);
		exit(1);
	}
	bb_err_clear(&e);
	if (obj_open_file(path, NULL, &t->o, &e)) {
		fprintf(stderr, "%s: %s\n", name, bb_err_str(&e, line, sizeof(line)));
		exit(1);
	}
}

bool tl_set_rodata(struct tl_obj *t, const char *var, const void *val, size_t size)
{
	const struct bbtf *btf = obj_btf(t->o);
	int mi = obj_map_by_name(t->o, ".rodata");
	const struct obj_map *m = mi >= 0 ? obj_map(t->o, (size_t)mi) : NULL;
	const struct btf_type *ds;
	int id;

	if (!btf || !m || !m->init)
		return false;
	id = bbtf_find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0 || !(ds = bbtf_type_by_id(btf, (uint32_t)id)))
		return false;
	for (int i = 0; i < bbtf_vlen(ds); i++) {
		const struct btf_var_secinfo *vs = &bbtf_secinfos(ds)[i];
		const char *vn = bbtf_type_name(btf, vs->type);

		if (!vn || strcmp(vn, var))
			continue;
		if (vs->size != size || vs->offset + size > m->value_size)
			return false;
		/*
		 * The initial bytes are the object's own heap copy, set into the
		 * map at load; elf/ exposes them read-only, so this is the one
		 * place a tool writes them (an obj_ setter belongs in elf/).
		 */
		memcpy((uint8_t *)(uintptr_t)m->init + vs->offset, val, size);
		return true;
	}
	return false;
}

void tl_load(struct tl_obj *t, bool attach)
{
	char line[1024];
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_obj_load(t->o, NULL, &t->lo, &e) < 0) {
		fprintf(stderr, "%s\n", bb_err_str(&e, line, sizeof(line)));
		if (e.code == -EPERM)
			fprintf(stderr, "(run as root, or with CAP_BPF and CAP_PERFMON)\n");
		tl_close(t);
		exit(1);
	}
	if (!attach)
		return;
	t->nlinks = ldr_obj_prog_count(t->lo);
	if (ldr_obj_attach_all(t->lo, NULL, &t->links, &e)) {
		fprintf(stderr, "attach: %s\n", bb_err_str(&e, line, sizeof(line)));
		t->nlinks = 0;
		tl_close(t);
		exit(1);
	}
}

void tl_close(struct tl_obj *t)
{
	ldr_links_destroy(t->links, t->nlinks);
	ldr_obj_free(t->lo);
	obj_free(t->o);
	memset(t, 0, sizeof(*t));
}

int tl_map_fd(const struct tl_obj *t, const char *name)
{
	int i = ldr_obj_map_by_name(t->lo, name);

	if (i < 0) {
		fprintf(stderr, "object %s has no map '%s'\n", ldr_obj_name(t->lo), name);
		exit(1);
	}
	return ldr_obj_map(t->lo, (size_t)i)->fd;
}

int tl_prog_fd(const struct tl_obj *t, const char *name)
{
	int i = ldr_obj_prog_by_name(t->lo, name);

	if (i < 0 || ldr_obj_prog(t->lo, (size_t)i)->fd < 0) {
		fprintf(stderr, "object %s has no loaded program '%s'\n", ldr_obj_name(t->lo), name);
		exit(1);
	}
	return ldr_obj_prog(t->lo, (size_t)i)->fd;
}

static void stars(char *buf, uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((double)val * width / (double)max) : 0;

	if (n > width)
		n = width;
	memset(buf, '*', (size_t)n);
	memset(buf + n, ' ', (size_t)(width - n));
	buf[width] = 0;
}

void tl_print_log2_hist(const uint64_t *vals, int n, const char *unit)
{
	int idx_max = -1, width = 40;
	uint64_t max = 0;
	char bar[64];

	for (int i = 0; i < n; i++) {
		if (vals[i] > 0)
			idx_max = i;
		if (vals[i] > max)
			max = vals[i];
	}
	if (idx_max < 0)
		return;
	printf("%*s%-*s : count    distribution\n", idx_max <= 32 ? 5 : 15, "",
	       idx_max <= 32 ? 19 : 29, unit);
	for (int i = 0; i <= idx_max; i++) {
		uint64_t low = (1ull << (i + 1)) >> 1, high = (1ull << (i + 1)) - 1;

		if (low == high)
			low -= 1;
		stars(bar, vals[i], max, width);
		printf("%*llu -> %-*llu : %-8llu |%s|\n", idx_max <= 32 ? 10 : 20,
		       (unsigned long long)low, idx_max <= 32 ? 10 : 20, (unsigned long long)high,
		       (unsigned long long)vals[i], bar);
	}
}

uint64_t tl_hist_quantile(const uint64_t *vals, int n, double q)
{
	uint64_t total = 0, acc = 0;

	for (int i = 0; i < n; i++)
		total += vals[i];
	if (!total)
		return 0;
	for (int i = 0; i < n; i++) {
		acc += vals[i];
		if ((double)acc >= q * (double)total)
			return (1ull << (i + 1)) - 1;
	}
	return (1ull << n) - 1;
}

void tl_print_percentiles(const uint64_t *vals, int n, const char *unit)
{
	uint64_t total = 0;

	for (int i = 0; i < n; i++)
		total += vals[i];
	if (!total)
		return;
	printf("%llu samples; p50 <= %llu %s, p99 <= %llu %s, p99.9 <= %llu %s "
	       "(upper bounds of the log2 slots)\n", (unsigned long long)total,
	       (unsigned long long)tl_hist_quantile(vals, n, 0.50), unit,
	       (unsigned long long)tl_hist_quantile(vals, n, 0.99), unit,
	       (unsigned long long)tl_hist_quantile(vals, n, 0.999), unit);
}

const char *tl_comm(int pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (!f || !fgets(buf, (int)size, f)) {
		snprintf(buf, size, "?");
	} else {
		buf[strcspn(buf, "\n")] = 0;
	}
	if (f)
		fclose(f);
	return buf;
}
