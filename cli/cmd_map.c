/* SPDX-License-Identifier: MIT */
/*
 * barebpf map - maps in the running kernel, in bpftool's shape: list/show,
 * dump (keys and values through the map's BTF when it has one), lookup,
 * update, delete, getnext, pin, create, freeze.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "cli/cli.h"
#include "cli/cli_fmt.h"
#include "loader/ldr.h"

static bool json, pretty;

static void help_map(void)
{
	printf("usage: barebpf map { list | show } [MAP] [-j]\n"
	       "       barebpf map dump MAP [-j]\n"
	       "       barebpf map lookup MAP key [hex] BYTES [-j]\n"
	       "       barebpf map update MAP key [hex] BYTES value [hex] BYTES [any|exist|noexist]\n"
	       "       barebpf map delete MAP key [hex] BYTES\n"
	       "       barebpf map getnext MAP [key [hex] BYTES]\n"
	       "       barebpf map pin MAP PATH\n"
	       "       barebpf map freeze MAP\n"
	       "       barebpf map create PATH type TYPE key KEY_SIZE value VALUE_SIZE \\\n"
	       "                          entries MAX_ENTRIES name NAME [flags FLAGS] [inner_map MAP]\n"
	       "MAP := id ID | pinned PATH | name NAME\n"
	       "BYTES: one number per byte (\"1 0 0 0\", \"0x2a 0 0 0\"), or after 'hex' hex\n"
	       "digits (\"hex 2a 00 00 00\").  Values of per-CPU maps are given once and\n"
	       "written to every CPU, or in full (one rounded-up value per CPU).\n"
	       "Keys and values of maps with BTF print with their field names; -j gives\n"
	       "bpftool's JSON (raw bytes plus a \"formatted\" object).\n");
}

/* ------------------------------------------------------------------ */
/* Finding maps                                                        */
/* ------------------------------------------------------------------ */

static int map_fds(const struct cli_sel *s, struct bb_vec *fds, struct bb_err *e)
{
	uint32_t id = 0;
	int fd, r;

	bb_vec_init(fds, sizeof(int));
	if (s->kind == CLI_SEL_ID || s->kind == CLI_SEL_PINNED) {
		struct bpf_map_info info;

		fd = s->kind == CLI_SEL_ID ? ldr_map_get_fd_by_id(s->id) : ldr_obj_get(s->arg, 0);
		if (fd < 0)
			return bb_err_insn(e, fd, -1, "%s %s: %s", s->kind == CLI_SEL_ID ? "id" : "pinned",
					   s->arg, cli_strerror(-fd));
		if (ldr_map_info(fd, &info) || (s->kind == CLI_SEL_PINNED && !info.type)) {
			ldr_obj_close(fd);
			return bb_err_insn(e, -EINVAL, -1, "%s: not a map", s->arg);
		}
		if (!bb_vec_push(fds, &fd)) {
			ldr_obj_close(fd);
			return -ENOMEM;
		}
		return 0;
	}
	while ((r = ldr_map_get_next_id(id, &id)) == 0) {
		struct bpf_map_info info;

		fd = ldr_map_get_fd_by_id(id);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return bb_err_insn(e, fd, -1, "map id %u: %s", id, cli_strerror(-fd));
		if (s->kind == CLI_SEL_NAME && (ldr_map_info(fd, &info) || strcmp(info.name, s->arg))) {
			ldr_obj_close(fd);
			continue;
		}
		if (!bb_vec_push(fds, &fd)) {
			ldr_obj_close(fd);
			return -ENOMEM;
		}
	}
	if (r != -ENOENT)
		return bb_err_insn(e, r, -1, "walking map ids: %s", cli_strerror(-r));
	if (s->kind == CLI_SEL_NAME && fds->len == 0)
		return bb_err_insn(e, -ENOENT, -1, "no map named %s", s->arg);
	return 0;
}

static int one_map(int argc, char **argv, int *i, const char *cmd, int *fd)
{
	struct cli_sel s;
	struct bb_vec fds;
	struct bb_err e;

	bb_err_clear(&e);
	if (cli_sel_parse(argc, argv, i, false, &s, &e))
		return cli_usage(cmd, "%s", e.msg);
	if (map_fds(&s, &fds, &e)) {
		cli_close_fds(&fds);
		return cli_fail(cmd, &e);
	}
	if (fds.len != 1) {
		cli_close_fds(&fds);
		return cli_usage(cmd, "name %s names %zu maps; use id", s.arg, fds.len);
	}
	*fd = *bb_vec_at(&fds, int, 0);
	bb_vec_free(&fds);
	return 0;
}

/* memlock and frozen from /proc/self/fdinfo: bpf_map_info has neither. */
static void fdinfo(int fd, uint64_t *memlock, int *frozen)
{
	char path[64], line[256];
	FILE *f;

	*memlock = 0;
	*frozen = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "memlock: %llu", &v) == 1)
			*memlock = v;
		else if (sscanf(line, "frozen: %llu", &v) == 1)
			*frozen = (int)v;
	}
	fclose(f);
}

static void show_one(int fd, struct cli_json *j)
{
	struct bpf_map_info info;
	uint64_t memlock;
	int frozen;

	if (ldr_map_info(fd, &info))
		return;
	fdinfo(fd, &memlock, &frozen);
	if (j) {
		cli_json_obj(j);
		cli_json_ku64(j, "id", info.id);
		cli_json_kstr(j, "type", ldr_map_type_str(info.type));
		if (info.name[0])
			cli_json_kstr(j, "name", info.name);
		cli_json_ku64(j, "flags", info.map_flags);
		cli_json_ku64(j, "bytes_key", info.key_size);
		cli_json_ku64(j, "bytes_value", info.value_size);
		cli_json_ku64(j, "max_entries", info.max_entries);
		cli_json_ku64(j, "bytes_memlock", memlock);
		cli_json_ku64(j, "frozen", (uint64_t)frozen);
		if (info.btf_id)
			cli_json_ku64(j, "btf_id", info.btf_id);
		cli_json_obj_end(j);
		return;
	}
	printf("%u: %s  ", info.id, ldr_map_type_str(info.type));
	if (info.name[0])
		printf("name %s  ", info.name);
	printf("flags 0x%x\n", info.map_flags);
	printf("\tkey %uB  value %uB  max_entries %u  memlock %" PRIu64 "B\n", info.key_size,
	       info.value_size, info.max_entries, memlock);
	if (info.btf_id || frozen) {
		printf("\t");
		if (info.btf_id)
			printf("btf_id %u", info.btf_id);
		if (frozen)
			printf("%sfrozen", info.btf_id ? "  " : "");
		printf("\n");
	}
}

static int do_show(int argc, char **argv)
{
	struct cli_sel s = { .kind = CLI_SEL_NONE };
	struct bb_vec fds;
	struct bb_err e;
	int i = 0;

	bb_err_clear(&e);
	if (argc > 0 && cli_sel_parse(argc, argv, &i, false, &s, &e))
		return cli_usage("map show", "%s", e.msg);
	if (i < argc)
		return cli_usage("map show", "unexpected '%s'", argv[i]);
	if (map_fds(&s, &fds, &e)) {
		cli_close_fds(&fds);
		return cli_fail("map show", &e);
	}
	cli_show_fds(&s, &fds, json, pretty, show_one);
	cli_close_fds(&fds);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values: per-CPU sizes, BTF, printing                                */
/* ------------------------------------------------------------------ */

static int possible_cpus(void)
{
	static int n;
	char *s = NULL;

	if (n)
		return n;
	/* "0-3" or "0,2-5": count every listed CPU. */
	if (bb_read_file("/sys/devices/system/cpu/possible", &s, NULL) > 0) {
		for (char *p = s; *p;) {
			char *end;
			long a = strtol(p, &end, 10), b = a;

			if (end == p)
				break;
			if (*end == '-')
				b = strtol(end + 1, &end, 10);
			n += (int)(b - a + 1);
			p = *end == ',' ? end + 1 : end;
			if (*p == '\n')
				break;
		}
	}
	free(s);
	if (n <= 0)
		n = 1;
	return n;
}

static bool is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* Bytes a lookup writes: per-CPU maps give one 8-aligned value per CPU. */
static size_t value_bytes(const struct bpf_map_info *info)
{
	if (is_percpu(info->type))
		return (size_t)((info->value_size + 7) & ~7u) * (size_t)possible_cpus();
	return info->value_size;
}

struct mapfmt {
	struct bpf_map_info info;
	struct bbtf *btf;       /* NULL: hex only */
};

static void mapfmt_init(int fd, struct mapfmt *m)
{
	memset(m, 0, sizeof(*m));
	ldr_map_info(fd, &m->info);
	if (m->info.btf_id && (m->info.btf_key_type_id || m->info.btf_value_type_id) &&
	    cli_btf_by_id(m->info.btf_id, &m->btf, NULL))
		m->btf = NULL;
}

/* One element, text: "key: <btf or hex>  value: <btf or hex>". */
static void print_elem_text(const struct mapfmt *m, const uint8_t *key, const uint8_t *val)
{
	const struct bpf_map_info *in = &m->info;

	printf("key:");
	if (in->key_size) {
		printf(" ");
		if (m->btf && in->btf_key_type_id)
			cli_btf_text(stdout, m->btf, in->btf_key_type_id, key, in->key_size, 0);
		else
			cli_hex(stdout, key, in->key_size);
	}
	if (is_percpu(in->type)) {
		size_t step = (in->value_size + 7) & ~7u;

		printf("\n");
		for (int c = 0; c < possible_cpus(); c++) {
			printf("\tvalue (CPU %02d): ", c);
			if (m->btf && in->btf_value_type_id)
				cli_btf_text(stdout, m->btf, in->btf_value_type_id, val + step * (size_t)c,
					     in->value_size, 0);
			else
				cli_hex(stdout, val + step * (size_t)c, in->value_size);
			printf("\n");
		}
		return;
	}
	printf("  value: ");
	if (m->btf && in->btf_value_type_id)
		cli_btf_text(stdout, m->btf, in->btf_value_type_id, val, in->value_size, 0);
	else
		cli_hex(stdout, val, in->value_size);
	printf("\n");
}

/* One element, bpftool's JSON: raw bytes, then "formatted" through BTF. */
static void print_elem_json(struct cli_json *j, const struct mapfmt *m, const uint8_t *key,
			    const uint8_t *val)
{
	const struct bpf_map_info *in = &m->info;
	size_t step = (in->value_size + 7) & ~7u;

	cli_json_obj(j);
	cli_json_key(j, "key");
	cli_json_hex_arr(j, key, in->key_size);
	if (is_percpu(in->type)) {
		cli_json_key(j, "values");
		cli_json_arr(j);
		for (int c = 0; c < possible_cpus(); c++) {
			cli_json_obj(j);
			cli_json_ku64(j, "cpu", (uint64_t)c);
			cli_json_key(j, "value");
			cli_json_hex_arr(j, val + step * (size_t)c, in->value_size);
			cli_json_obj_end(j);
		}
		cli_json_arr_end(j);
	} else {
		cli_json_key(j, "value");
		cli_json_hex_arr(j, val, in->value_size);
	}
	if (m->btf) {
		cli_json_key(j, "formatted");
		cli_json_obj(j);
		if (in->btf_key_type_id) {
			cli_json_key(j, "key");
			cli_btf_json(j, m->btf, in->btf_key_type_id, key, in->key_size);
		}
		if (in->btf_value_type_id) {
			if (is_percpu(in->type)) {
				cli_json_key(j, "values");
				cli_json_arr(j);
				for (int c = 0; c < possible_cpus(); c++) {
					cli_json_obj(j);
					cli_json_ku64(j, "cpu", (uint64_t)c);
					cli_json_key(j, "value");
					cli_btf_json(j, m->btf, in->btf_value_type_id,
						     val + step * (size_t)c, in->value_size);
					cli_json_obj_end(j);
				}
				cli_json_arr_end(j);
			} else {
				cli_json_key(j, "value");
				cli_btf_json(j, m->btf, in->btf_value_type_id, val, in->value_size);
			}
		}
		cli_json_obj_end(j);
	}
	cli_json_obj_end(j);
}

static int do_dump(int argc, char **argv)
{
	struct mapfmt m;
	struct cli_json j;
	uint8_t *key = NULL, *next = NULL, *val = NULL;
	size_t count = 0;
	int i = 0, fd, r, ret = 1;
	bool first = true;

	if ((r = one_map(argc, argv, &i, "map dump", &fd)))
		return r;
	if (i < argc) {
		ldr_obj_close(fd);
		return cli_usage("map dump", "unexpected '%s'", argv[i]);
	}
	mapfmt_init(fd, &m);
	key = calloc(1, m.info.key_size + 1);
	next = calloc(1, m.info.key_size + 1);
	val = calloc(1, value_bytes(&m.info) + 8);
	if (!key || !next || !val)
		goto out;
	if (json) {
		cli_json_init(&j, stdout, pretty);
		cli_json_arr(&j);
	}
	for (;;) {
		r = ldr_map_get_next_key(fd, first ? NULL : key, next);
		if (r == -ENOENT)
			break;
		if (r) {
			if (json) {
				cli_json_arr_end(&j);
				printf("\n");
			}
			fprintf(stderr, "barebpf map dump: can't get next key: %s\n", cli_strerror(-r));
			goto out;
		}
		first = false;
		memcpy(key, next, m.info.key_size);
		r = ldr_map_lookup(fd, key, val);
		if (r == -ENOENT)
			continue;       /* deleted while we walked */
		if (r) {
			if (!json) {
				printf("key: ");
				cli_hex(stdout, key, m.info.key_size);
				printf("  value: <lookup failed: %s>\n", cli_strerror(-r));
			}
			continue;
		}
		count++;
		if (json)
			print_elem_json(&j, &m, key, val);
		else
			print_elem_text(&m, key, val);
	}
	if (json) {
		cli_json_arr_end(&j);
		if (!pretty)
			printf("\n");
	} else {
		printf("Found %zu element%s\n", count, count == 1 ? "" : "s");
	}
	ret = 0;
out:
	bbtf_free(m.btf);
	free(key);
	free(next);
	free(val);
	ldr_obj_close(fd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Element commands                                                    */
/* ------------------------------------------------------------------ */

static bool is_keyword(const char *s)
{
	static const char *const kw[] = { "key", "value", "any", "exist", "noexist", NULL };

	for (int i = 0; kw[i]; i++)
		if (!strcmp(s, kw[i]))
			return true;
	return false;
}

/* BYTES after "key"/"value": into @out (exactly @want bytes, or for a
 * per-CPU value either one value or all of them: @alt). */
static int parse_bytes(int argc, char **argv, int *i, const char *what, uint8_t *out,
		       size_t want, size_t alt, size_t *got)
{
	int base = 0;
	size_t n = 0;

	if (*i < argc && !strcmp(argv[*i], "hex")) {
		base = 16;
		(*i)++;
	}
	for (; *i < argc && !is_keyword(argv[*i]); (*i)++) {
		/* "hex 2a00" style runs of digits: two per byte. */
		const char *p = argv[*i];
		char *end;

		if (base == 16 && strlen(p) > 2 && strncmp(p, "0x", 2)) {
			for (; p[0] && p[1]; p += 2) {
				char b[3] = { p[0], p[1], 0 };
				unsigned long v = strtoul(b, &end, 16);

				if (*end || n >= (alt > want ? alt : want))
					return cli_usage("map", "%s: bad or too many bytes at '%s'",
							 what, argv[*i]);
				out[n++] = (uint8_t)v;
			}
			if (*p)
				return cli_usage("map", "%s: odd number of hex digits in '%s'", what,
						 argv[*i]);
			continue;
		}
		unsigned long v = strtoul(p, &end, base);

		if (!*p || *end || v > 255)
			return cli_usage("map", "%s: '%s' is not a byte", what, p);
		if (n >= (alt > want ? alt : want))
			return cli_usage("map", "%s: more than %zu bytes", what,
					 alt > want ? alt : want);
		out[n++] = (uint8_t)v;
	}
	if (n != want && n != alt)
		return cli_usage("map", "%s: expected %zu bytes, got %zu", what, want, n);
	*got = n;
	return 0;
}

static int do_elem(int argc, char **argv, const char *sub)
{
	char cmd[32];
	struct mapfmt m;
	uint8_t *key = NULL, *val = NULL, *one = NULL;
	bool have_key = false, have_val = false;
	uint64_t flags = BPF_ANY;
	size_t vbytes, got;
	int i = 0, fd, r, ret = 1;

	snprintf(cmd, sizeof(cmd), "map %s", sub);
	if ((r = one_map(argc, argv, &i, cmd, &fd)))
		return r;
	mapfmt_init(fd, &m);
	vbytes = value_bytes(&m.info);
	key = calloc(1, m.info.key_size + 1);
	val = calloc(1, vbytes + 8);
	one = calloc(1, m.info.value_size + 8);
	if (!key || !val || !one)
		goto out;
	while (i < argc) {
		const char *kw = argv[i++];

		if (!strcmp(kw, "key")) {
			if ((r = parse_bytes(argc, argv, &i, "key", key, m.info.key_size, 0, &got)))
				goto usage;
			have_key = true;
		} else if (!strcmp(kw, "value")) {
			if ((r = parse_bytes(argc, argv, &i, "value", val, m.info.value_size,
					     is_percpu(m.info.type) ? vbytes : 0, &got)))
				goto usage;
			/* One value for a per-CPU map: the same on every CPU. */
			if (is_percpu(m.info.type) && got == m.info.value_size) {
				size_t step = (m.info.value_size + 7) & ~7u;

				memcpy(one, val, m.info.value_size);
				memset(val, 0, vbytes);
				for (int c = 0; c < possible_cpus(); c++)
					memcpy(val + step * (size_t)c, one, m.info.value_size);
			}
			have_val = true;
		} else if (!strcmp(kw, "any")) {
			flags = BPF_ANY;
		} else if (!strcmp(kw, "exist")) {
			flags = BPF_EXIST;
		} else if (!strcmp(kw, "noexist")) {
			flags = BPF_NOEXIST;
		} else {
			r = cli_usage(cmd, "unexpected '%s'", kw);
			goto usage;
		}
	}
	if (!have_key && m.info.key_size && strcmp(sub, "getnext")) {
		r = cli_usage(cmd, "expected key BYTES");
		goto usage;
	}
	if (!strcmp(sub, "update")) {
		if (!have_val) {
			r = cli_usage(cmd, "expected value BYTES");
			goto usage;
		}
		r = ldr_map_update(fd, key, val, flags);
	} else if (!strcmp(sub, "delete")) {
		r = ldr_map_delete(fd, key);
	} else if (!strcmp(sub, "lookup")) {
		r = ldr_map_lookup(fd, key, val);
		if (r == 0) {
			if (json) {
				struct cli_json j;

				cli_json_init(&j, stdout, pretty);
				print_elem_json(&j, &m, key, val);
				if (!pretty)
					printf("\n");
			} else {
				print_elem_text(&m, key, val);
			}
		}
	} else {        /* getnext */
		uint8_t *next = calloc(1, m.info.key_size + 1);

		if (!next)
			goto out;
		r = ldr_map_get_next_key(fd, have_key ? key : NULL, next);
		if (r == 0) {
			printf("key:\n");
			cli_hex(stdout, key, have_key ? m.info.key_size : 0);
			printf("%snext key:\n", have_key ? "\n" : "");
			cli_hex(stdout, next, m.info.key_size);
			printf("\n");
		}
		free(next);
	}
	if (r) {
		fprintf(stderr, "barebpf %s: %s\n", cmd, r == -ENOENT ? "no such key" : cli_strerror(-r));
		goto out;
	}
	ret = 0;
	goto out;
usage:
	ret = r;
out:
	bbtf_free(m.btf);
	free(key);
	free(val);
	free(one);
	ldr_obj_close(fd);
	return ret;
}

static int do_pin(int argc, char **argv)
{
	int i = 0, fd, r;

	if ((r = one_map(argc, argv, &i, "map pin", &fd)))
		return r;
	if (i + 1 != argc)
		return ldr_obj_close(fd), cli_usage("map pin", "expected MAP PATH");
	r = ldr_obj_pin(fd, argv[i]);
	ldr_obj_close(fd);
	if (r) {
		fprintf(stderr, "barebpf map pin: %s: %s\n", argv[i], cli_strerror(-r));
		return 1;
	}
	return 0;
}

static int do_freeze(int argc, char **argv)
{
	int i = 0, fd, r;

	if ((r = one_map(argc, argv, &i, "map freeze", &fd)))
		return r;
	r = ldr_map_freeze(fd);
	ldr_obj_close(fd);
	if (r) {
		fprintf(stderr, "barebpf map freeze: %s\n", cli_strerror(-r));
		return 1;
	}
	return 0;
}

static int map_type_by_name(const char *s)
{
	for (uint32_t t = 1; strcmp(ldr_map_type_str(t), "unknown"); t++)
		if (!strcmp(ldr_map_type_str(t), s))
			return (int)t;
	return -1;
}

static int u32_arg(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int do_create(int argc, char **argv)
{
	LDR_OPTS(ldr_map_create_opts, o);
	struct bb_err e;
	bool have_type = false, have_key = false, have_val = false, have_n = false;
	int inner = -1, fd, r;

	if (argc < 1)
		return cli_usage("map create", "expected PATH");
	for (int i = 1; i < argc; i++) {
		const char *kw = argv[i];

		if (!strcmp(kw, "inner_map")) {
			int k = i + 1;

			if (inner >= 0)
				return ldr_obj_close(inner), cli_usage("map create", "inner_map twice");
			if ((r = one_map(argc, argv, &k, "map create", &inner)))
				return r;
			i = k - 1;
			continue;
		}
		if (i + 1 >= argc) {
			ldr_obj_close(inner);
			return cli_usage("map create", "'%s' needs an argument", kw);
		}
		const char *arg = argv[++i];
		int bad = 0;

		if (!strcmp(kw, "type")) {
			int t = map_type_by_name(arg);

			bad = t < 0;
			o.map_type = (uint32_t)t;
			have_type = true;
		} else if (!strcmp(kw, "key")) {
			bad = u32_arg(arg, &o.key_size);
			have_key = true;
		} else if (!strcmp(kw, "value")) {
			bad = u32_arg(arg, &o.value_size);
			have_val = true;
		} else if (!strcmp(kw, "entries")) {
			bad = u32_arg(arg, &o.max_entries);
			have_n = true;
		} else if (!strcmp(kw, "flags")) {
			bad = u32_arg(arg, &o.map_flags);
		} else if (!strcmp(kw, "name")) {
			o.map_name = arg;
		} else {
			ldr_obj_close(inner);
			return cli_usage("map create", "unexpected '%s'", kw);
		}
		if (bad) {
			ldr_obj_close(inner);
			return cli_usage("map create", "bad %s '%s'", kw, arg);
		}
	}
	if (!have_type || !have_key || !have_val || !have_n || !o.map_name) {
		ldr_obj_close(inner);
		return cli_usage("map create", "type, key, value, entries and name are required");
	}
	o.inner_map_fd = inner >= 0 ? inner : 0;
	bb_err_clear(&e);
	fd = ldr_map_create(&o, &e);
	ldr_obj_close(inner);
	if (fd < 0)
		return cli_fail("map create", &e);
	r = ldr_obj_pin(fd, argv[0]);
	ldr_obj_close(fd);
	if (r) {
		fprintf(stderr, "barebpf map create: pin %s: %s\n", argv[0], cli_strerror(-r));
		return 1;
	}
	return 0;
}

static int cmd_map(int argc, char **argv)
{
	const char *sub;

	json = pretty = false;
	argc = cli_take_json(argc, argv, &json, &pretty);
	if (argc < 2 || cli_is_help(argv[1])) {
		help_map();
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return do_show(argc - 2, argv + 2);
	if (!strcmp(sub, "dump"))
		return do_dump(argc - 2, argv + 2);
	if (!strcmp(sub, "lookup") || !strcmp(sub, "update") || !strcmp(sub, "delete") ||
	    !strcmp(sub, "getnext"))
		return do_elem(argc - 2, argv + 2, sub);
	if (!strcmp(sub, "pin"))
		return do_pin(argc - 2, argv + 2);
	if (!strcmp(sub, "freeze"))
		return do_freeze(argc - 2, argv + 2);
	if (!strcmp(sub, "create"))
		return do_create(argc - 2, argv + 2);
	return cli_usage("map", "unknown subcommand '%s'", sub);
}

CLI_COMMAND(map, 76, "kernel maps: list, show, dump, lookup, update, delete, pin, create",
	    cmd_map, help_map)
