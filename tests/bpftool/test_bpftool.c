/* SPDX-License-Identifier: MIT */
/*
 * The bpftool-shaped commands (prog, map, feature, trace) run as a user
 * runs them, against the running kernel: load a corpus object, find it by
 * id, pinned path and name, dump it, run it, read and write its maps,
 * check JSON output parses, and trace a small tracepoint program while
 * this process makes the syscall it watches.  Everything pinned is
 * removed; the test process's fds are counted before and after.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/bb.h"
#include "loader/ldr.h"
#include "tests/common/testutil.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void need_bpf(void)
{
	struct bb_err e;

	bb_err_clear(&e);
	if (ldr_probe_bpf(&e) < 0)
		cr_skip_test("bpf() refused here: %s", e.msg);
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

struct out {
	int status;
	char *out;
	char *err;
};

static void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
	memset(o, 0, sizeof(*o));
}

/* "barebpf <args>" through the shell; stdout and stderr captured. */
static struct out cli(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct out cli(const char *fmt, ...)
{
	char dir[] = "/tmp/barebpf-bt-XXXXXX", args[4096], cmd[8192], path[256];
	const char *bin = getenv("BAREBPF_CLI");
	struct out o = { 0 };
	va_list ap;
	int st;

	cr_assert_not_null(bin, "BAREBPF_CLI is not set (run through make)");
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s %s > %s/out 2> %s/err", bin, args, dir, dir);
	st = system(cmd);
	o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	snprintf(path, sizeof(path), "%s/out", dir);
	cr_assert_geq(bb_read_file(path, &o.out, NULL), 0);
	snprintf(path, sizeof(path), "%s/err", dir);
	cr_assert_geq(bb_read_file(path, &o.err, NULL), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	return o;
}

#define CLI_OK(o) cr_assert_eq((o).status, 0, "exit %d\nstdout: %s\nstderr: %s", (o).status, \
			       (o).out, (o).err)
#define HAS(s, needle) cr_assert_not_null(strstr((s), (needle)), "no '%s' in:\n%s", (needle), (s))

/* ---- a tiny JSON validator (RFC 8259 grammar, no semantics) ---- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *js_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (isdigit((unsigned char)*p))
			p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return p > s ? p : NULL;
}

static const char *js_seq(const char *p, char close, bool object, int depth)
{
	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = js_string(js_ws(p));
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = js_value(p, depth + 1);
		if (!p)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{': return js_seq(p, '}', true, depth);
	case '[': return js_seq(p, ']', false, depth);
	case '"': return js_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return js_number(p);
	}
}

static bool json_valid(const char *s)
{
	const char *p = js_value(s, 0);

	return p && *js_ws(p) == '\0';
}

Test(bpftool, json_validator_itself)
{
	cr_assert(json_valid("{\"a\":[1,2.5,-3e2,\"x\\n\",true,false,null,{}]}\n"));
	cr_assert(json_valid("[]"));
	cr_assert_not(json_valid("{\"a\":1,}"));
	cr_assert_not(json_valid("[1 2]"));
	cr_assert_not(json_valid("{\"a\" 1}"));
	cr_assert_not(json_valid("[01]"));
	cr_assert_not(json_valid("[1]x"));
}

/* ---- corpus and pins ---- */

static const char *corpus_dir(void)
{
	static char dir[4096];
	char lock[4200], cmd[8400], root[4096];
	struct stat st;
	int fd;

	tu_repo_path("build/corpus", dir, sizeof(dir));
	if (!stat(dir, &st) && S_ISDIR(st.st_mode))
		return dir;
	tu_repo_path("", root, sizeof(root));
	snprintf(lock, sizeof(lock), "%s/build/.corpus.lock", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/build'", root);
	cr_assert_eq(system(cmd), 0);
	fd = open(lock, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "cannot open %s: %s", lock, strerror(errno));
	flock(fd, LOCK_EX);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(cmd, sizeof(cmd), "make -C '%s' corpus >'%s/build/corpus.log' 2>&1", root, root);
		cr_assert_eq(system(cmd), 0, "`make -C %s corpus` failed", root);
	}
	close(fd);
	return dir;
}

/* A bpffs path unique to this test process. */
static const char *pin(const char *name)
{
	static char buf[4][256];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 256, "/sys/fs/bpf/bbtest_%d_%s", (int)getpid(), name);
	return p;
}

static void unpin(const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

/* The number after "key" in "...key N..." (first occurrence), or 0. */
static unsigned long number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtoul(p + strlen(key), NULL, 10) : 0;
}

/* ------------------------------------------------------------------ */
/* prog                                                                */
/* ------------------------------------------------------------------ */

Test(bpftool, prog_load_show_dump_run_pin, .timeout = 120)
{
	const char *p = pin("xf"), *p2 = pin("xf2");
	char data[256], dout[256], line[64];
	unsigned long id;
	struct out o;
	FILE *f;
	int fds;

	need_bpf();
	fds = fd_count();
	o = cli("prog load %s/xdp_filter.bpf.o %s", corpus_dir(), p);
	CLI_OK(o);
	out_free(&o);

	/* show by pinned path: the bpftool layout. */
	o = cli("prog show pinned %s", p);
	CLI_OK(o);
	HAS(o.out, ": xdp  name xdp_filter_prog  tag ");
	HAS(o.out, "  gpl\n");
	HAS(o.out, "\tloaded_at ");
	HAS(o.out, "  uid 0\n");
	HAS(o.out, "\txlated ");
	HAS(o.out, "B  jited ");
	HAS(o.out, "  map_ids ");
	HAS(o.out, "btf_id ");
	id = strtoul(o.out, NULL, 10);
	cr_assert_gt(id, 0);
	out_free(&o);

	/* by id, in the full list, by name, as JSON */
	o = cli("prog show id %lu", id);
	CLI_OK(o);
	snprintf(line, sizeof(line), "%lu: xdp  name xdp_filter_prog", id);
	HAS(o.out, line);
	out_free(&o);
	o = cli("prog list");
	CLI_OK(o);
	HAS(o.out, line);
	out_free(&o);
	o = cli("prog show name xdp_filter_prog");
	CLI_OK(o);
	HAS(o.out, line);
	out_free(&o);
	o = cli("prog show pinned %s -j", p);
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad JSON: %s", o.out);
	snprintf(line, sizeof(line), "{\"id\":%lu,\"type\":\"xdp\"", id);
	HAS(o.out, line);
	HAS(o.out, "\"map_ids\":[");
	HAS(o.out, "\"tag\":\"");
	HAS(o.out, "\"bytes_jited\":");
	out_free(&o);
	o = cli("prog list --json");
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad JSON (list)");
	cr_assert_eq(o.out[0], '[');
	HAS(o.out, line);
	out_free(&o);
	o = cli("prog list -p");
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad pretty JSON: %.300s", o.out);
	out_free(&o);

	/* dump xlated: kernel wording, map ids, source lines */
	o = cli("prog dump xlated id %lu", id);
	CLI_OK(o);
	HAS(o.out, "xdp_filter_prog:\n");
	HAS(o.out, "   0: (");
	HAS(o.out, ") r1 = map[id:");
	HAS(o.out, ") exit\n");
	HAS(o.out, "(79) r");             /* a u64 load from the context */
	HAS(o.out, " = *(u64 *)(r1 +");
	HAS(o.out, "\n; ");               /* a C source line from line_info */
	HAS(o.out, "bpf_map_lookup_elem");
	out_free(&o);
	o = cli("prog dump xlated pinned %s linum", p);
	CLI_OK(o);
	HAS(o.out, "xdp_filter.bpf.c line_num:");
	out_free(&o);
	o = cli("prog dump xlated id %lu -j", id);
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad JSON (xlated)");
	HAS(o.out, "{\"pc\":0,\"disasm\":\"");
	out_free(&o);

	/* dump jited: machine code, through objdump when installed */
	o = cli("prog dump jited id %lu", id);
	CLI_OK(o);
	cr_assert_gt(strlen(o.out), 40, "jited dump too short: %s", o.out);
	if (system("command -v objdump >/dev/null 2>&1") == 0)
		HAS(o.out, "push   %rbp");
	else
		HAS(o.out, "     0:  ");
	out_free(&o);

	/* run: a zeroed 64-byte frame is not IPv4, so the filter passes it
	 * (XDP_PASS = 2) and the output frame is the input. */
	snprintf(data, sizeof(data), "/tmp/bbtest_%d_in", (int)getpid());
	snprintf(dout, sizeof(dout), "/tmp/bbtest_%d_out", (int)getpid());
	f = fopen(data, "wb");
	cr_assert_not_null(f);
	for (int i = 0; i < 64; i++)
		fputc(0, f);
	fclose(f);
	o = cli("prog run id %lu data_in %s data_out %s repeat 10", id, data, dout);
	CLI_OK(o);
	HAS(o.out, "Return value: 2, duration (average): ");
	out_free(&o);
	{
		char *b = NULL;

		cr_assert_eq(bb_read_file(dout, &b, NULL), 64);
		free(b);
	}
	o = cli("prog run pinned %s data_in %s -j", p, data);
	CLI_OK(o);
	cr_assert(json_valid(o.out));
	HAS(o.out, "\"retval\":2");
	out_free(&o);
	unlink(data);
	unlink(dout);

	/* pin again by id; both paths are the same program */
	o = cli("prog pin id %lu %s", id, p2);
	CLI_OK(o);
	out_free(&o);
	o = cli("prog show pinned %s", p2);
	CLI_OK(o);
	cr_assert_eq(strtoul(o.out, NULL, 10), id);
	out_free(&o);
	unpin(p2);
	unpin(p);

	/* gone once unpinned: nothing else held it */
	o = cli("prog show id %lu", id);
	cr_assert_neq(o.status, 0);
	HAS(o.err, "barebpf prog show: ");
	out_free(&o);
	cr_assert_eq(fd_count(), fds);
}

Test(bpftool, prog_bad_selectors_one_line_errors)
{
	struct out o;

	need_bpf();
	o = cli("prog show id 4000000000");
	cr_assert_neq(o.status, 0);
	HAS(o.err, "barebpf prog show: ");
	cr_assert_eq(strchr(o.err, '\n'), o.err + strlen(o.err) - 1, "one line: %s", o.err);
	out_free(&o);
	o = cli("prog show bogus 1");
	cr_assert_eq(o.status, 2);
	out_free(&o);
	o = cli("prog dump xlated name no_such_prog_here_x");
	cr_assert_neq(o.status, 0);
	HAS(o.err, "no program with name no_such_prog_here_x");
	out_free(&o);
	o = cli("prog show pinned /sys/fs/bpf/bbtest_no_such_pin");
	cr_assert_neq(o.status, 0);
	out_free(&o);
}

/* ------------------------------------------------------------------ */
/* map                                                                 */
/* ------------------------------------------------------------------ */

Test(bpftool, loadall_pinmaps_dump_through_btf, .timeout = 120)
{
	const char *dir = pin("progs"), *mdir = pin("maps");
	char path[512], data[256];
	unsigned long id;
	struct out o;
	FILE *f;
	int fds;

	need_bpf();
	fds = fd_count();
	o = cli("prog loadall %s/xdp_filter.bpf.o %s pinmaps %s", corpus_dir(), dir, mdir);
	CLI_OK(o);
	out_free(&o);

	/* One IPv4/UDP frame through the program counts into proto_stats. */
	snprintf(data, sizeof(data), "/tmp/bbtest_%d_pkt", (int)getpid());
	f = fopen(data, "wb");
	cr_assert_not_null(f);
	{
		uint8_t pkt[64] = { 0 };

		pkt[12] = 0x08;                 /* ETH_P_IP */
		pkt[14] = 0x45;                 /* v4, ihl 5 */
		pkt[16] = 0;
		pkt[17] = 50;                   /* tot_len */
		pkt[22] = 64;                   /* ttl */
		pkt[23] = 17;                   /* UDP */
		cr_assert_eq(fwrite(pkt, 1, sizeof(pkt), f), sizeof(pkt));
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/xdp_filter_prog", dir);
	o = cli("prog run pinned %s data_in %s", path, data);
	CLI_OK(o);
	out_free(&o);
	unlink(data);

	snprintf(path, sizeof(path), "%s/proto_stats", mdir);
	o = cli("map show pinned %s", path);
	CLI_OK(o);
	HAS(o.out, ": percpu_array  name proto_stats  flags 0x0\n");
	HAS(o.out, "\tkey 4B  value 16B  max_entries 256  memlock ");
	id = strtoul(o.out, NULL, 10);
	out_free(&o);

	/* Field names from the map's BTF (struct proto_count). */
	o = cli("map dump id %lu", id);
	CLI_OK(o);
	HAS(o.out, "key: 17\n");
	HAS(o.out, "{packets=1, bytes=64}");
	HAS(o.out, "Found 256 elements\n");
	out_free(&o);
	o = cli("map lookup pinned %s key 17 0 0 0", path);
	CLI_OK(o);
	HAS(o.out, "packets=1");
	out_free(&o);
	o = cli("map dump pinned %s -j", path);
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad JSON (dump)");
	HAS(o.out, "\"formatted\":{\"key\":17,\"values\":[");
	HAS(o.out, "\"packets\":1,\"bytes\":64");
	HAS(o.out, "\"key\":[\"0x11\",\"0x00\",\"0x00\",\"0x00\"]");
	out_free(&o);

	/* Global data maps print their variables by name. */
	o = cli("map list");
	CLI_OK(o);
	out_free(&o);
	unpin(dir);
	unpin(mdir);
	cr_assert_eq(fd_count(), fds);
}

Test(bpftool, map_create_update_lookup_delete_pin, .timeout = 120)
{
	const char *p = pin("h"), *p2 = pin("h2");
	char name[16];
	unsigned long id;
	struct out o;
	int fds;

	need_bpf();
	fds = fd_count();
	snprintf(name, sizeof(name), "bbt%d", (int)getpid() % 100000);
	o = cli("map create %s type hash key 4 value 8 entries 16 name %s", p, name);
	CLI_OK(o);
	out_free(&o);
	o = cli("map show pinned %s", p);
	CLI_OK(o);
	HAS(o.out, ": hash  name ");
	HAS(o.out, "\tkey 4B  value 8B  max_entries 16  memlock ");
	id = strtoul(o.out, NULL, 10);
	out_free(&o);
	o = cli("map show name %s -j", name);
	CLI_OK(o);
	cr_assert(json_valid(o.out));
	HAS(o.out, "\"type\":\"hash\"");
	HAS(o.out, "\"bytes_key\":4,\"bytes_value\":8,\"max_entries\":16");
	out_free(&o);

	o = cli("map update id %lu key 1 0 0 0 value 0x2a 0 0 0 0 0 0 0", id);
	CLI_OK(o);
	out_free(&o);
	o = cli("map update id %lu key hex 02000000 value hex 07 00 00 00 00 00 00 01 noexist", id);
	CLI_OK(o);
	out_free(&o);
	o = cli("map update id %lu key 1 0 0 0 value 1 0 0 0 0 0 0 0 noexist", id);
	cr_assert_neq(o.status, 0, "noexist on an existing key must fail");
	out_free(&o);
	o = cli("map lookup pinned %s key 1 0 0 0", p);
	CLI_OK(o);
	HAS(o.out, "key: 01 00 00 00  value: 2a 00 00 00 00 00 00 00\n");
	out_free(&o);
	o = cli("map lookup pinned %s key 1 0 0 0 -j", p);
	CLI_OK(o);
	cr_assert(json_valid(o.out));
	HAS(o.out, "\"value\":[\"0x2a\",");
	out_free(&o);
	o = cli("map dump pinned %s", p);
	CLI_OK(o);
	HAS(o.out, "value: 07 00 00 00 00 00 00 01");
	HAS(o.out, "Found 2 elements\n");
	out_free(&o);
	o = cli("map getnext pinned %s", p);
	CLI_OK(o);
	HAS(o.out, "next key:\n");
	out_free(&o);

	o = cli("map delete pinned %s key 1 0 0 0", p);
	CLI_OK(o);
	out_free(&o);
	o = cli("map lookup pinned %s key 1 0 0 0", p);
	cr_assert_eq(o.status, 1);
	HAS(o.err, "no such key");
	out_free(&o);
	o = cli("map lookup pinned %s key 1 0 0", p);
	cr_assert_eq(o.status, 2);
	HAS(o.err, "expected 4 bytes, got 3");
	out_free(&o);

	o = cli("map pin id %lu %s", id, p2);
	CLI_OK(o);
	out_free(&o);
	o = cli("map show pinned %s", p2);
	CLI_OK(o);
	cr_assert_eq(strtoul(o.out, NULL, 10), id);
	out_free(&o);
	o = cli("map freeze pinned %s", p2);
	CLI_OK(o);
	out_free(&o);
	o = cli("map update pinned %s key 3 0 0 0 value 0 0 0 0 0 0 0 0", p);
	cr_assert_neq(o.status, 0, "a frozen map takes no writes");
	out_free(&o);
	o = cli("map show id %lu", id);
	HAS(o.out, "frozen");
	out_free(&o);

	o = cli("map list -j");
	CLI_OK(o);
	cr_assert(json_valid(o.out));
	out_free(&o);
	o = cli("map create %s type no_such_type key 4 value 8 entries 1 name x", pin("bad"));
	cr_assert_eq(o.status, 2);
	out_free(&o);
	unpin(p);
	unpin(p2);
	cr_assert_eq(fd_count(), fds);
}

/* ------------------------------------------------------------------ */
/* feature                                                             */
/* ------------------------------------------------------------------ */

Test(bpftool, feature_probe_text_and_json, .timeout = 120)
{
	struct out o;

	need_bpf();
	o = cli("feature");
	CLI_OK(o);
	HAS(o.out, "Scanning eBPF program types...\n");
	HAS(o.out, "eBPF program_type xdp is available\n");
	HAS(o.out, "eBPF program_type socket_filter is available\n");
	HAS(o.out, "eBPF map_type ringbuf is available\n");
	HAS(o.out, "eBPF map_type perf_event_array is available\n");
	HAS(o.out, "eBPF map_type struct_ops is NOT available (");
	HAS(o.out, "eBPF helpers supported for program type xdp:\n\t- bpf_map_lookup_elem\n");
	HAS(o.out, "BTF kind ENUM64 is available\n");
	HAS(o.out, "eBPF link_type tcx is available\n");
	HAS(o.out, "eBPF link_type xdp is not probed (");
	HAS(o.out, "\nSummary: ");
	cr_assert_geq(number_after(o.out, "program types, "), 27, "%s", strstr(o.out, "Summary"));
	out_free(&o);
	o = cli("feature probe kernel -j --no-helpers");
	CLI_OK(o);
	cr_assert(json_valid(o.out), "bad JSON (feature)");
	HAS(o.out, "\"have_xdp_prog_type\":true");
	HAS(o.out, "\"have_struct_ops_map_type\":false");
	HAS(o.out, "\"have_ringbuf_map_type\":true");
	HAS(o.out, "\"have_cgroup_link_type\":true");
	cr_assert_null(strstr(o.out, "\"helpers\""));
	cr_assert_geq(number_after(o.out, "\"map_types_available\":"), 27);
	out_free(&o);
}

/* ------------------------------------------------------------------ */
/* trace                                                               */
/* ------------------------------------------------------------------ */

static const char trace_src[] =
	"#include \"vmlinux.h\"\n"
	"#include \"bb_helpers.h\"\n"
	"struct event { __u32 pid; __u32 tid; __u64 ts; char comm[16]; };\n"
	"struct event *unused_event __attribute__((unused));\n"
	"struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 65536); } events SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 32); __type(key, __u32);\n"
	"        __type(value, __u64); } lat_hist SEC(\".maps\");\n"
	"SEC(\"tracepoint/syscalls/sys_enter_getppid\")\n"
	"int on_getppid(void *ctx)\n"
	"{\n"
	"	__u64 id = bpf_get_current_pid_tgid();\n"
	"	__u32 slot = 3;\n"
	"	__u64 *c = bpf_map_lookup_elem(&lat_hist, &slot);\n"
	"	struct event *e;\n"
	"	if (c)\n"
	"		__sync_fetch_and_add(c, 1);\n"
	"	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);\n"
	"	if (!e)\n"
	"		return 0;\n"
	"	e->pid = id >> 32;\n"
	"	e->tid = (__u32)id;\n"
	"	e->ts = bpf_ktime_get_ns();\n"
	"	bpf_get_current_comm(e->comm, sizeof(e->comm));\n"
	"	bpf_ringbuf_submit(e, 0);\n"
	"	return 0;\n"
	"}\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

Test(bpftool, trace_prints_decoded_events_and_histogram, .timeout = 120)
{
	char dir[] = "/tmp/barebpf-trace-XXXXXX", path[512], cmd[10000], inc[2048], want[64];
	const char *bin = getenv("BAREBPF_CLI");
	struct timespec t0, now;
	char *out = NULL, *err = NULL;
	pid_t child;
	FILE *f;
	int st;

	need_bpf();
	if (system("clang-19 --version >/dev/null 2>&1"))
		cr_skip_test("clang-19 is not installed");
	cr_assert_not_null(bin);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tp.bpf.c", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(trace_src, f);
	fclose(f);
	tu_repo_path("corpus/include", inc, sizeof(inc));
	snprintf(cmd, sizeof(cmd), "clang-19 -target bpf -O2 -g -I'%s' -I'%s' -c %s/tp.bpf.c "
		 "-o %s/tp.bpf.o 2> %s/cc.log", corpus_dir(), inc, dir, dir, dir);
	cr_assert_eq(system(cmd), 0, "clang-19 failed (see %s/cc.log)", dir);

	snprintf(cmd, sizeof(cmd), "exec %s trace %s/tp.bpf.o -d 1.5 > %s/out 2> %s/err", bin,
		 dir, dir, dir);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* Make the syscall the program watches until the tracer is done. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct timespec ts = { 0, 5 * 1000000L };

		if (waitpid(child, &st, WNOHANG) == child)
			break;
		syscall(SYS_getppid);
		nanosleep(&ts, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		cr_assert_lt(now.tv_sec - t0.tv_sec, 60, "trace did not stop after -d 1.5");
	}
	snprintf(path, sizeof(path), "%s/out", dir);
	cr_assert_geq(bb_read_file(path, &out, NULL), 0);
	snprintf(path, sizeof(path), "%s/err", dir);
	cr_assert_geq(bb_read_file(path, &err, NULL), 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "trace failed: %s", err);
	HAS(err, "Attached 1 program.");
	/* One line per event, decoded through struct event. */
	snprintf(want, sizeof(want), "pid=%d tid=%d ts=", (int)getpid(), (int)getpid());
	HAS(out, want);
	HAS(out, " comm=\"");
	/* lat_hist: slot 3 counts every call, shown as a log2 histogram. */
	HAS(out, "@lat_hist:\n[8, 16)");
	HAS(out, "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(bpftool, trace_usage_errors)
{
	struct out o = cli("trace");

	cr_assert_eq(o.status, 2);
	out_free(&o);
	o = cli("trace /nonexistent.bpf.o -d 1");
	cr_assert_eq(o.status, 1);
	HAS(o.err, "barebpf trace: ");
	out_free(&o);
	o = cli("trace x.o -d -3");
	cr_assert_eq(o.status, 2);
	out_free(&o);
}
