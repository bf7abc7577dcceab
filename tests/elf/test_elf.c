/* SPDX-License-Identifier: MIT */
/*
 * elf/: BPF ELF objects.  Each test compiles a small BPF C program with
 * clang-19 into a temporary directory (tests/elf/data/bpf_test.h stands in
 * for libbpf's headers) and checks programs, maps, relocations and the
 * linked code; the malformed-object tests damage a good object byte by
 * byte and expect one clear error, never a crash or a leak.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "elf/obj_internal.h"
#include "tests/common/testutil.h"

static char tmpdir[] = "/tmp/bb_elf_XXXXXX";

/* Compile @src to an object; returns the malloc'ed bytes and size. */
static uint8_t *build(const char *name, const char *src, size_t *size, char *path, size_t psz)
{
	char cpath[512], cmd[2048], inc[512];
	FILE *f;
	long n;
	char *buf = NULL;

	if (!strncmp(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6))
		cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(cpath, sizeof(cpath), "%s/%s.c", tmpdir, name);
	snprintf(path, psz, "%s/%s.o", tmpdir, name);
	f = fopen(cpath, "w");
	cr_assert_not_null(f);
	fputs(src, f);
	fclose(f);
	tu_repo_path("tests/elf/data", inc, sizeof(inc));
	snprintf(cmd, sizeof(cmd), "clang-19 -target bpf -O2 -g -I%s -c %s -o %s 2>&1", inc, cpath, path);
	cr_assert_eq(system(cmd), 0, "clang failed: %s", cmd);
	n = bb_read_file(path, &buf, NULL);
	cr_assert_gt(n, 0);
	*size = (size_t)n;
	return (uint8_t *)buf;
}

static struct obj *open_src(const char *name, const char *src)
{
	char path[512], line[512];
	struct obj *o = NULL;
	struct bb_err e;
	size_t size;
	uint8_t *buf = build(name, src, &size, path, sizeof(path));

	free(buf);
	cr_assert_eq(obj_open_file(path, NULL, &o, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	return o;
}

static const char *globals_src =
	"#include \"bpf_test.h\"\n"
	"struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, __u32); __type(value, __u64);\n"
	"         __uint(max_entries, 128); } counts SEC(\".maps\");\n"
	"int gvar = 5;\n"
	"const volatile int ro[4] = { 1, 2, 3, 4 };\n"
	"int zero;\n"
	"static __noinline int helper(int x) { return x + gvar; }\n"
	"__noinline int global_helper(int x) { return x + ro[2]; }\n"
	"static int cb(__u32 i, void *ctx) { zero++; return 0; }\n"
	"SEC(\"xdp\") int prog1(struct xdp_md *ctx) {\n"
	"	__u32 k = 1; __u64 *v = bpf_map_lookup_elem(&counts, &k);\n"
	"	if (v) *v += 1;\n"
	"	bpf_loop(4, cb, 0, 0);\n"
	"	return helper(ctx->data) + global_helper(2);\n"
	"}\n"
	"SEC(\"tc\") int prog2(void *ctx) { return global_helper(3); }\n"
	"char LICENSE[] SEC(\"license\") = \"Dual BSD/GPL\";\n";

Test(elf_sec, every_row_matches_itself)
{
	size_t n;
	const struct obj_sec_def *d = obj_sec_defs(&n);

	cr_assert_gt(n, 90);
	for (size_t i = 0; i < n; i++) {
		char name[128];
		const struct obj_sec_def *m = obj_sec_lookup(d[i].prefix);

		cr_assert_not_null(m, "%s", d[i].prefix);
		cr_assert_str_eq(m->prefix, d[i].prefix);
		snprintf(name, sizeof(name), "%sX", d[i].prefix);
		cr_assert_null(obj_sec_lookup(name), "%s must not match", name);
		if (d[i].flags & OBJ_SEC_PREFIX) {
			snprintf(name, sizeof(name), "%s/x", d[i].prefix);
			cr_assert_eq(obj_sec_lookup(name), &d[i], "%s", name);
		}
	}
}

Test(elf_sec, types_and_flags)
{
	const struct obj_sec_def *d;

	d = obj_sec_lookup("xdp.frags");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_XDP && (d->flags & OBJ_SEC_XDP_FRAGS));
	d = obj_sec_lookup("tcx/ingress");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_SCHED_CLS && d->attach_type == BPF_TCX_INGRESS);
	d = obj_sec_lookup("cgroup/getsockname6");
	cr_assert(d && d->attach_type == BPF_CGROUP_INET6_GETSOCKNAME);
	d = obj_sec_lookup("raw_tp.w/foo");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE);
	d = obj_sec_lookup("iter.s/task");
	cr_assert(d && d->attach_type == BPF_TRACE_ITER && (d->flags & OBJ_SEC_SLEEPABLE));
	d = obj_sec_lookup("lsm/file_open");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_LSM && d->attach_type == BPF_LSM_MAC);
	d = obj_sec_lookup("struct_ops/dump");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_STRUCT_OPS);
	d = obj_sec_lookup("sk_skb/stream_verdict");
	cr_assert(d && d->attach_type == BPF_SK_SKB_STREAM_VERDICT);
	d = obj_sec_lookup("netfilter");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_NETFILTER);
	d = obj_sec_lookup("lwt_seg6local");
	cr_assert(d && d->prog_type == BPF_PROG_TYPE_LWT_SEG6LOCAL);
	cr_assert_null(obj_sec_lookup("xdp/foo"));
	cr_assert_null(obj_sec_lookup("socket1"));
	cr_assert_null(obj_sec_lookup(""));
}

static void parse(const char *sec, struct obj_attach *a, char *buf, int want)
{
	const struct obj_sec_def *d = obj_sec_lookup(sec);
	struct bb_err e;

	cr_assert_not_null(d, "%s", sec);
	bb_err_clear(&e);
	cr_assert_eq(obj_attach_parse(d, sec, a, buf, 256, &e), want, "%s: %s", sec, e.msg);
	if (want)
		cr_assert(strstr(e.msg, sec), "%s", e.msg);
}

Test(elf_sec, attach_targets)
{
	struct obj_attach a;
	char buf[256];

	parse("kprobe/do_sys_open+0x10", &a, buf, 0);
	cr_assert_str_eq(a.func, "do_sys_open");
	cr_assert(a.has_offset && a.offset == 16);
	parse("kretprobe/do_sys_open+4", &a, buf, -EINVAL);
	parse("uprobe/usr/lib/libc.so.6:malloc+8", &a, buf, 0);
	cr_assert_str_eq(a.path, "usr/lib/libc.so.6");
	cr_assert_str_eq(a.func, "malloc");
	cr_assert_eq(a.offset, 8);
	parse("uretprobe//bin/bash:0x1234", &a, buf, 0);
	cr_assert_str_eq(a.path, "/bin/bash");
	cr_assert_null(a.func);
	cr_assert_eq(a.offset, 0x1234);
	parse("uprobe//bin/bash", &a, buf, -EINVAL);
	parse("uprobe", &a, buf, 0);
	cr_assert_null(a.target);
	parse("usdt//usr/bin/python3:python:function__entry", &a, buf, 0);
	cr_assert_str_eq(a.category, "python");
	cr_assert_str_eq(a.func, "function__entry");
	parse("usdt/x:y", &a, buf, -EINVAL);
	parse("tp/sched/sched_switch", &a, buf, 0);
	cr_assert_str_eq(a.category, "sched");
	cr_assert_str_eq(a.func, "sched_switch");
	parse("tracepoint/nocategory", &a, buf, -EINVAL);
	parse("fentry/tcp_v4_connect", &a, buf, 0);
	cr_assert_str_eq(a.func, "tcp_v4_connect");
	parse("ksyscall/openat", &a, buf, 0);
	cr_assert_str_eq(a.func, "openat");
	parse("uprobe.multi//bin/bash:read*", &a, buf, 0);
	cr_assert_str_eq(a.func, "read*");
	parse("kprobe.multi/tcp_*", &a, buf, 0);
}

Test(elf_obj, programs_maps_globals)
{
	struct obj *o = open_src("globals", globals_src);
	const struct obj_prog *p;
	const struct obj_map *m;
	int i;

	cr_assert_str_eq(obj_license(o), "Dual BSD/GPL");
	cr_assert_eq(obj_prog_count(o), 2);
	i = obj_prog_by_name(o, "prog1");
	cr_assert_geq(i, 0);
	p = obj_prog(o, (size_t)i);
	cr_assert_str_eq(p->section, "xdp");
	cr_assert_eq(p->prog_type, BPF_PROG_TYPE_XDP);
	cr_assert_eq(p->expected_attach_type, BPF_XDP);
	cr_assert_eq(obj_prog_by_name(o, "helper"), -ENOENT, "subprograms are not programs");
	cr_assert_eq(obj_map_count(o), 4);
	m = obj_map(o, 0);
	cr_assert_str_eq(m->name, "counts");
	cr_assert(m->type == BPF_MAP_TYPE_HASH && m->key_size == 4 && m->value_size == 8 &&
		  m->max_entries == 128 && m->kind == OBJ_MAP_USER);
	cr_assert_neq(m->btf_key_type_id, 0);
	i = obj_map_by_name(o, ".rodata");
	m = obj_map(o, (size_t)i);
	cr_assert(m && m->kind == OBJ_MAP_RODATA && m->value_size == 16 &&
		  (m->map_flags & BPF_F_RDONLY_PROG) && m->freeze);
	cr_assert_str_eq(m->kname, "globals.rodata");
	cr_assert_eq(((const int32_t *)m->init)[2], 3);
	m = obj_map(o, (size_t)obj_map_by_name(o, ".data"));
	cr_assert(m && m->kind == OBJ_MAP_DATA && *(const int32_t *)m->init == 5 && !m->freeze);
	cr_assert_str_eq(m->kname, "globals.data");
	m = obj_map(o, (size_t)obj_map_by_name(o, ".bss"));
	cr_assert(m && m->kind == OBJ_MAP_BSS && !m->init && m->value_size == 4);
	obj_free(o);
}

/* Find linked insn of @p that is an ld_imm64 of map @map (index form). */
static long find_map_ld(const struct obj_prog *p, uint32_t map, uint8_t src)
{
	for (size_t i = 0; i + 1 < p->insn_cnt; i++)
		if (p->insns[i].code == 0x18 && p->insns[i].src == src && p->insns[i].imm == (int32_t)map)
			return (long)i;
	return -1;
}

Test(elf_obj, relocations_and_call_linking)
{
	struct obj *o = open_src("link", globals_src);
	const struct obj_prog *p = obj_prog(o, (size_t)obj_prog_by_name(o, "prog1"));
	int ro = obj_map_by_name(o, ".rodata"), data = obj_map_by_name(o, ".data");
	int calls = 0, cbs = 0;
	long at;
	struct isa_raw *fd = NULL;
	int fds[8] = { 100, 101, 102, 103, 104, 105, 106, 107 };

	/* The map load: src MAP_IDX, imm 0 (map 0), recorded as a map ref. */
	at = find_map_ld(p, 0, ISA_PSEUDO_MAP_IDX);
	cr_assert_geq(at, 0);
	/* ro[2] is at offset 8 of .rodata (global var: sym offset 0, +8 by code
	 * or by the relocation; the reference must carry the full offset). */
	at = find_map_ld(p, (uint32_t)ro, ISA_PSEUDO_MAP_IDX_VALUE);
	cr_assert_geq(at, 0);
	at = find_map_ld(p, (uint32_t)data, ISA_PSEUDO_MAP_IDX_VALUE);
	cr_assert_geq(at, 0);
	cr_assert_eq(p->insns[at + 1].imm, 0);
	cr_assert_eq(p->map_ref_cnt, 4);
	/* Every call and callback lands on a function in the linked code. */
	for (size_t i = 0; i < p->insn_cnt; i++) {
		long t = (long)i + p->insns[i].imm + 1;

		if (p->insns[i].code == 0x85 && p->insns[i].src == ISA_PSEUDO_CALL) {
			calls++;
			cr_assert(t > 0 && (size_t)t < p->insn_cnt);
			cr_assert(t >= p->sec_insn_cnt, "callee appended after the program");
		}
		if (p->insns[i].code == 0x18 && p->insns[i].src == ISA_PSEUDO_FUNC) {
			cbs++;
			cr_assert(t >= p->sec_insn_cnt && (size_t)t < p->insn_cnt);
			cr_assert_eq(p->insns[i + 1].imm, 0);
		}
	}
	cr_assert_eq(calls, 2);
	cr_assert_eq(cbs, 1);
	cr_assert_gt(p->insn_cnt, p->sec_insn_cnt);
	cr_assert_eq(isa_validate(p->insns, p->insn_cnt, NULL), 0);
	/* func_info: one per function, the program first at insn 0. */
	cr_assert_eq(p->func_info_cnt, 4);
	cr_assert_eq(p->func_info[0].insn_off, 0);
	for (size_t i = 1; i < p->func_info_cnt; i++)
		cr_assert_gt(p->func_info[i].insn_off, p->func_info[i - 1].insn_off);
	cr_assert_gt(p->line_info_cnt, 0);
	/* prog2 gets its own copy of global_helper, nothing else. */
	cr_assert_eq(obj_prog(o, 1)->func_info_cnt, 2);
	/* FD form for the kernel. */
	cr_assert_eq(obj_prog_insns(o, (size_t)obj_prog_by_name(o, "prog1"), fds, 8, &fd, NULL),
		     (long)p->insn_cnt);
	at = find_map_ld(p, 0, ISA_PSEUDO_MAP_IDX);
	cr_assert_eq(fd[at].src, ISA_PSEUDO_MAP_FD);
	cr_assert_eq(fd[at].imm, 100);
	free(fd);
	/* Recorded relocations name their kind. */
	cr_assert_geq(obj_reloc_count(o), 7);
	obj_free(o);
}

Test(elf_obj, legacy_and_iproute2_maps)
{
	struct obj *o = open_src("legacy",
		"#include \"bpf_test.h\"\n"
		"struct bpf_map_def SEC(\"maps\") a = { .type = BPF_MAP_TYPE_HASH, .key_size = 4,\n"
		"  .value_size = 8, .max_entries = 64, .map_flags = BPF_F_NO_PREALLOC };\n"
		"struct bpf_map_def SEC(\"maps\") b = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,\n"
		"  .value_size = 4, .max_entries = 2 };\n"
		"SEC(\"socket\") int s(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&a, &k) != 0\n"
		"  && bpf_map_lookup_elem(&b, &k) != 0; }\n"
		"char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	const struct obj_map *m = obj_map(o, 1);

	cr_assert_eq(obj_map_count(o), 2);
	cr_assert_str_eq(obj_map(o, 0)->name, "a");
	cr_assert(obj_map(o, 0)->max_entries == 64 && obj_map(o, 0)->map_flags == 1);
	cr_assert(m->type == BPF_MAP_TYPE_ARRAY && m->value_size == 4 && m->max_entries == 2);
	cr_assert_eq(obj_prog(o, 0)->map_ref_cnt, 2);
	obj_free(o);

	o = open_src("iproute2",
		"#include \"bpf_test.h\"\n"
		"struct bpf_elf_map SEC(\"maps\") inner = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4,\n"
		"  .size_value = 4, .max_elem = 1, .id = 7 };\n"
		"struct bpf_elf_map SEC(\"maps\") outer = { .type = BPF_MAP_TYPE_ARRAY_OF_MAPS,\n"
		"  .size_key = 4, .size_value = 4, .max_elem = 3, .pinning = 2, .inner_id = 7 };\n"
		"SEC(\"classifier\") int c(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&outer, &k) != 0; }\n"
		"char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	m = obj_map(o, (size_t)obj_map_by_name(o, "outer"));
	cr_assert(m->pinning == OBJ_PIN_BY_NAME && m->inner && m->inner->max_entries == 1);
	cr_assert_eq(obj_prog(o, 0)->prog_type, BPF_PROG_TYPE_SCHED_CLS);
	obj_free(o);
}

Test(elf_obj, btf_maps_map_in_map_and_prog_array)
{
	struct obj *o = open_src("mim",
		"#include \"bpf_test.h\"\n"
		"struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);\n"
		"  __type(key, __u32); __type(value, __u64); };\n"
		"struct inner in_a SEC(\".maps\"), in_b SEC(\".maps\");\n"
		"struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 4);\n"
		"  __type(key, __u32); __array(values, struct inner); } outer SEC(\".maps\") =\n"
		"  { .values = { [0] = &in_a, [3] = &in_b } };\n"
		"int tail(void *ctx);\n"
		"struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 2);\n"
		"  __uint(key_size, 4); __array(values, int (void *)); } jmp SEC(\".maps\") =\n"
		"  { .values = { [1] = (void *)&tail } };\n"
		"struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 8); __uint(key_size, 8);\n"
		"  __uint(value_size, 16); __uint(map_flags, 1); __uint(pinning, LIBBPF_PIN_BY_NAME);\n"
		"  __uint(numa_node, 0); } sized SEC(\".maps\");\n"
		"SEC(\"socket\") int tail(void *ctx) { return 1; }\n"
		"SEC(\"socket\") int entry(void *ctx) { __u32 k = 0; bpf_tail_call(ctx, &jmp, 1);\n"
		"  return bpf_map_lookup_elem(&outer, &k) != 0; }\n"
		"char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	const struct obj_map *m = obj_map(o, (size_t)obj_map_by_name(o, "outer"));

	cr_assert(m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS && m->value_size == 4 && m->inner);
	cr_assert(m->inner->type == BPF_MAP_TYPE_ARRAY && m->inner->value_size == 8);
	cr_assert_eq(m->slot_cnt, 2);
	cr_assert(m->slots[0].index == 0 && m->slots[0].map == obj_map_by_name(o, "in_a"));
	cr_assert(m->slots[1].index == 3 && m->slots[1].map == obj_map_by_name(o, "in_b"));
	m = obj_map(o, (size_t)obj_map_by_name(o, "jmp"));
	cr_assert(m->type == BPF_MAP_TYPE_PROG_ARRAY && m->key_size == 4 && m->value_size == 4);
	cr_assert_eq(m->slot_cnt, 1);
	cr_assert(m->slots[0].index == 1 && m->slots[0].prog == obj_prog_by_name(o, "tail"));
	m = obj_map(o, (size_t)obj_map_by_name(o, "sized"));
	cr_assert(m->key_size == 8 && m->value_size == 16 && m->map_flags == 1 &&
		  m->pinning == OBJ_PIN_BY_NAME && m->max_entries == 8);
	obj_free(o);
}

static const char *kconfig_src =
	"#include \"bpf_test.h\"\n"
	"enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };\n"
	"extern unsigned int LINUX_KERNEL_VERSION __kconfig;\n"
	"extern int CONFIG_HZ __kconfig;\n"
	"extern _Bool CONFIG_BPF_SYSCALL __kconfig;\n"
	"extern enum libbpf_tristate CONFIG_EXT4_FS __kconfig;\n"
	"extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;\n"
	"extern unsigned long long CONFIG_MISSING __kconfig __weak;\n"
	"SEC(\"tp/sched/x\") int k(void *ctx) { return LINUX_KERNEL_VERSION + CONFIG_HZ +\n"
	"  CONFIG_BPF_SYSCALL + CONFIG_EXT4_FS + CONFIG_DEFAULT_HOSTNAME[1] + CONFIG_MISSING; }\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

Test(elf_extern, kconfig_resolution)
{
	struct obj *o = open_src("kcfg", kconfig_src);
	const struct obj_map *m;
	struct bb_err e;
	char line[512];
	struct obj_extern_opts opts = { .sz = sizeof(opts), .kernel_version = 0x061200,
		.kconfig_text = "CONFIG_HZ=250\nCONFIG_BPF_SYSCALL=y\nCONFIG_EXT4_FS=m\n"
				"CONFIG_DEFAULT_HOSTNAME=\"(none)\"\n" };
	int kc = obj_map_by_name(o, ".kconfig");

	cr_assert_geq(kc, 0);
	m = obj_map(o, (size_t)kc);
	cr_assert(m->kind == OBJ_MAP_KCONFIG && (m->map_flags & BPF_F_RDONLY_PROG) && m->freeze);
	cr_assert_eq(obj_extern_count(o), 6);
	cr_assert_eq(obj_prog(o, 0)->map_ref_cnt, 6, "kconfig loads are map value refs");
	cr_assert_eq(obj_resolve_externs(o, &opts, &e), 0, "%s", bb_err_str(&e, line, sizeof(line)));
	for (size_t i = 0; i < obj_extern_count(o); i++) {
		const struct obj_extern *x = obj_extern(o, i);
		const uint8_t *v = m->init + x->offset;

		cr_assert(x->resolved, "%s", x->name);
		if (!strcmp(x->name, "LINUX_KERNEL_VERSION"))
			cr_assert_eq(*(const uint32_t *)v, 0x061200);
		else if (!strcmp(x->name, "CONFIG_HZ"))
			cr_assert_eq(*(const int32_t *)v, 250);
		else if (!strcmp(x->name, "CONFIG_BPF_SYSCALL"))
			cr_assert_eq(v[0], 1);
		else if (!strcmp(x->name, "CONFIG_EXT4_FS"))
			cr_assert_eq(*(const uint32_t *)v, 2);
		else if (!strcmp(x->name, "CONFIG_DEFAULT_HOSTNAME"))
			cr_assert_str_eq((const char *)v, "(none)");
		else if (!strcmp(x->name, "CONFIG_MISSING"))
			cr_assert_eq(*(const uint64_t *)v, 0);
		if (strcmp(x->name, "CONFIG_DEFAULT_HOSTNAME"))
			cr_assert_eq(x->offset % x->size, 0, "%s aligned", x->name);
	}
	/* A non-weak value missing from the config is an error naming it. */
	opts.kconfig_text = "CONFIG_HZ=250\n";
	cr_assert_eq(obj_resolve_externs(o, &opts, &e), -ESRCH);
	cr_assert(strstr(e.msg, "CONFIG_BPF_SYSCALL"), "%s", e.msg);
	obj_free(o);
}

Test(elf_extern, kconfig_text_and_values)
{
	const char *cfg = "# comment\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"str\"\nCONFIG_D=0x10";
	struct obj_extern_priv x = { .pub = { .name = "CONFIG_T", .size = 4 } };
	const char *v;
	uint8_t buf[8] = { 0 };
	struct bb_err e;

	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_A", &v), 1);
	cr_assert_eq(v[0], 'y');
	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_B", &v), 1);
	cr_assert_eq(v[0], 'n');
	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_C", &v), 5);
	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_D", &v), 4);
	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_", &v), -ENOENT);
	cr_assert_eq(obj_kconfig_find(cfg, strlen(cfg), "CONFIG_E", &v), -ENOENT);
	x.kcfg_type = OBJ_KCFG_INT;
	cr_assert_eq(obj_kconfig_set(&x, "0x10", 4, buf, &e), 0);
	cr_assert_eq(*(uint32_t *)buf, 16);
	cr_assert_eq(obj_kconfig_set(&x, "0x100000000", 11, buf, &e), -EINVAL);
	cr_assert_eq(obj_kconfig_set(&x, "y", 1, buf, &e), -EINVAL);
	cr_assert_eq(obj_kconfig_set(&x, "-1", 2, buf, &e), -EINVAL, "unsigned");
	x.is_signed = true;
	cr_assert_eq(obj_kconfig_set(&x, "-1", 2, buf, &e), 0);
	cr_assert_eq(*(int32_t *)buf, -1);
	x.kcfg_type = OBJ_KCFG_BOOL;
	x.pub.size = 1;
	cr_assert_eq(obj_kconfig_set(&x, "m", 1, buf, &e), -EINVAL);
	cr_assert(strstr(e.msg, "CONFIG_T"), "%s", e.msg);
	x.kcfg_type = OBJ_KCFG_CHAR_ARR;
	x.pub.size = 3;
	cr_assert_eq(obj_kconfig_set(&x, "\"abcdef\"", 8, buf, &e), 0);
	cr_assert_str_eq((char *)buf, "ab", "truncated, NUL-terminated");
	cr_assert_eq(obj_kconfig_set(&x, "\"abc", 4, buf, &e), -EINVAL);
}

Test(elf_extern, kfunc_and_ksym_need_resolution)
{
	struct obj *o = open_src("kf",
		"#include \"bpf_test.h\"\n"
		"extern int bpf_kfunc_does_not_exist(int a) __ksym;\n"
		"extern int bpf_weak_kfunc_missing(void) __ksym __weak;\n"
		"SEC(\"tp/sched/x\") int p(void *ctx) { if (bpf_weak_kfunc_missing) bpf_weak_kfunc_missing();\n"
		"  return bpf_kfunc_does_not_exist(1); }\n"
		"char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	struct isa_raw *c = NULL;
	struct bb_err e;

	cr_assert_eq(obj_extern_count(o), 2);
	cr_assert_eq(obj_extern(o, 0)->kind, OBJ_EXTERN_KFUNC);
	cr_assert(obj_prog(o, 0)->uses_externs);
	cr_assert_eq(obj_prog_insns(o, 0, NULL, 0, &c, &e), -ENOENT);
	cr_assert(strstr(e.msg, "not resolved"), "%s", e.msg);
	cr_assert_null(c);
	obj_free(o);
}

/* ----- malformed objects ----- */

static void expect_fail(const uint8_t *buf, size_t size, const char *what)
{
	struct obj *o = (struct obj *)1;
	struct obj_open_opts opts = { .sz = sizeof(opts), .name = "bad.o" };
	struct bb_err e;
	int err = obj_open_mem(buf, size, &opts, &o, &e);

	cr_assert_lt(err, 0, "%s: opened", what);
	cr_assert_null(o);
	cr_assert_eq(e.code, err);
	cr_assert_str_eq(e.file, "bad.o", "%s", what);
	cr_assert_neq(e.msg[0], '\0', "%s", what);
}

static uint8_t *good(size_t *size)
{
	char path[512];

	return build("good", globals_src, size, path, sizeof(path));
}

static Elf64_Shdr *shdr(uint8_t *b, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
	const char *strs = (const char *)b + sh[eh->e_shstrndx].sh_offset;

	for (int i = 0; i < eh->e_shnum; i++)
		if (!strcmp(strs + sh[i].sh_name, name))
			return &sh[i];
	cr_assert_fail("no section %s", name);
	return NULL;
}

Test(elf_bad, truncated_at_every_length)
{
	size_t size;
	uint8_t *b = good(&size);
	struct obj *o;
	struct bb_err e;

	cr_assert_eq(obj_open_mem(b, size, NULL, &o, &e), 0, "%s", e.msg);
	obj_free(o);
	for (size_t n = 0; n < size; n += (n < 256 ? 1 : 7))
		expect_fail(b, n, "truncated");
	free(b);
}

Test(elf_bad, damaged_headers)
{
	size_t size;
	uint8_t *b = good(&size), *c = malloc(size);
	Elf64_Shdr *s;
	struct bb_err e;
	struct obj *o;
	struct obj_open_opts opts = { .sz = sizeof(opts), .name = "bad.o" };

#define FRESH() memcpy(c, b, size)
	FRESH();
	shdr(c, "xdp")->sh_offset = size - 8;
	expect_fail(c, size, "section past the end");
	FRESH();
	shdr(c, "xdp")->sh_size = 0xffffffffffff;
	expect_fail(c, size, "huge section");
	FRESH();
	shdr(c, "xdp")->sh_name = 0xfffffff;
	expect_fail(c, size, "bad section name offset");
	FRESH();
	shdr(c, "xdp")->sh_size -= 4;
	cr_assert_lt(obj_open_mem(c, size, &opts, &o, &e), 0);
	cr_assert_str_eq(e.section, "xdp");
	cr_assert(strstr(e.msg, "multiple of 8"), "%s", e.msg);
	FRESH();
	((Elf64_Ehdr *)c)->e_machine = 62;
	expect_fail(c, size, "x86 object");
	FRESH();
	((Elf64_Ehdr *)c)->e_shoff = size - 16;
	expect_fail(c, size, "section table past the end");
	/* Relocation against a symbol index past the table. */
	FRESH();
	s = shdr(c, ".relxdp");
	((Elf64_Rel *)(c + s->sh_offset))[0].r_info = ELF64_R_INFO(9999, 1);
	cr_assert_lt(obj_open_mem(c, size, &opts, &o, &e), 0);
	cr_assert_str_eq(e.section, "xdp");
	cr_assert_geq(e.insn, 0);
	cr_assert(strstr(e.msg, "symbol index"), "%s", e.msg);
	/* Relocation offset outside the code. */
	FRESH();
	s = shdr(c, ".relxdp");
	((Elf64_Rel *)(c + s->sh_offset))[0].r_offset = 1 << 20;
	cr_assert_lt(obj_open_mem(c, size, &opts, &o, &e), 0);
	cr_assert_str_eq(e.section, "xdp");
	cr_assert(strstr(e.msg, "offset"), "%s", e.msg);
	/* Relocation on an instruction that is not ld_imm64 or call. */
	FRESH();
	s = shdr(c, ".relxdp");
	((Elf64_Rel *)(c + s->sh_offset))[0].r_offset = 0;
	cr_assert_lt(obj_open_mem(c, size, &opts, &o, &e), 0);
	cr_assert(strstr(e.msg, "neither ld_imm64 nor a call"), "%s", e.msg);
	/* Symbol name offset past the string table. */
	FRESH();
	s = shdr(c, ".symtab");
	((Elf64_Sym *)(c + s->sh_offset))[3].st_name = 0xfffffff;
	expect_fail(c, size, "bad symbol name");
	free(c);
	free(b);
#undef FRESH
}

Test(elf_bad, undefined_symbol_names_it)
{
	size_t size;
	char path[512];
	uint8_t *b = build("undef",
		"#include \"bpf_test.h\"\n"
		"extern int not_defined_anywhere;\n"
		"SEC(\"socket\") int s(void *ctx) { return not_defined_anywhere; }\n"
		"char LICENSE[] SEC(\"license\") = \"GPL\";\n", &size, path, sizeof(path));
	struct obj *o;
	struct bb_err e;

	cr_assert_lt(obj_open_mem(b, size, NULL, &o, &e), 0);
	cr_assert(strstr(e.msg, "not_defined_anywhere"), "%s", e.msg);
	free(b);
}

Test(elf_bad, random_byte_flips)
{
	size_t size;
	uint8_t *b = good(&size), *c = malloc(size);
	unsigned seed = 1;

	for (int round = 0; round < 3000; round++) {
		struct obj *o = NULL;
		struct bb_err e;

		memcpy(c, b, size);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245 + 12345;
			c[(seed >> 8) % size] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		if (obj_open_mem(c, size, NULL, &o, &e) == 0)
			obj_free(o);
		else
			cr_assert(e.msg[0]);
	}
	free(c);
	free(b);
}

Test(elf_obj, free_is_null_safe)
{
	obj_free(NULL);
	cr_assert_eq(obj_prog_count(NULL), 0);
}

/* Open @b (@size bytes) padded with zeros past 64 KiB, so that
 * obj_open_file() reads only the sections it uses, from a file and from
 * memory: the same programs, maps and relocations, or the same error. */
static void same_from_file(const uint8_t *b, size_t size, const char *path)
{
	struct obj_open_opts opts = { .sz = sizeof(opts), .name = "same" };
	struct obj *f = NULL, *m = NULL;
	struct bb_err ef, em;
	size_t total = size + (80u << 10);
	uint8_t *padded = calloc(1, total);
	FILE *out = fopen(path, "wb");
	int rf, rm;

	cr_assert_not_null(padded);
	cr_assert_not_null(out);
	memcpy(padded, b, size);
	cr_assert_eq(fwrite(padded, 1, total, out), total);
	cr_assert_eq(fclose(out), 0);
	rf = obj_open_file(path, &opts, &f, &ef);
	rm = obj_open_mem(padded, total, &opts, &m, &em);
	free(padded);
	cr_assert_eq(rf, rm, "file %d '%s', memory %d '%s'", rf, ef.msg, rm, em.msg);
	if (rf) {
		cr_assert_str_eq(ef.msg, em.msg);
		cr_assert_str_eq(ef.section, em.section);
		return;
	}
	cr_assert_eq(obj_prog_count(f), obj_prog_count(m));
	for (size_t i = 0; i < obj_prog_count(f); i++) {
		const struct obj_prog *pf = obj_prog(f, i), *pm = obj_prog(m, i);

		cr_assert_eq(pf->insn_cnt, pm->insn_cnt);
		cr_assert(!memcmp(pf->insns, pm->insns, pf->insn_cnt * sizeof(*pf->insns)));
		cr_assert_eq(pf->line_info_cnt, pm->line_info_cnt);
	}
	cr_assert_eq(obj_map_count(f), obj_map_count(m));
	cr_assert_eq(obj_reloc_count(f), obj_reloc_count(m));
	cr_assert_eq(!obj_btf(f), !obj_btf(m));
	if (obj_btf(f))
		cr_assert_eq(bbtf_type_cnt(obj_btf(f)), bbtf_type_cnt(obj_btf(m)));
	obj_free(f);
	obj_free(m);
}

Test(elf_obj, large_file_read_in_part)
{
	char path[600];
	size_t size;
	uint8_t *b = good(&size), *c = malloc(size);
	unsigned seed = 7;

	snprintf(path, sizeof(path), "%s/large.o", tmpdir);
	same_from_file(b, size, path);
	/* Damage in headers, names, symbols, code, BTF: the same verdict. */
	for (int round = 0; round < 400; round++) {
		memcpy(c, b, size);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245 + 12345;
			c[(seed >> 8) % size] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		same_from_file(c, size, path);
	}
	unlink(path);
	free(c);
	free(b);
}

/* A function symbol whose size cuts a relocated ld_imm64 in two: linking
 * would patch a slot past the function's copied code (found by
 * fuzz_elf); refused at open, naming the function. */
Test(elf_bad, ld_imm64_cut_by_function_size)
{
	size_t size;
	uint8_t *b = good(&size);
	Elf64_Shdr *rs = shdr(b, ".relxdp"), *sym = shdr(b, ".symtab"), *xdp = shdr(b, "xdp");
	Elf64_Sym *syms = (Elf64_Sym *)(b + sym->sh_offset);
	size_t xdp_idx = (size_t)(xdp - (Elf64_Shdr *)(b + ((Elf64_Ehdr *)b)->e_shoff));
	struct obj_open_opts opts = { .sz = sizeof(opts), .name = "bad.o" };
	struct obj *o = NULL;
	struct bb_err e;
	uint64_t at = UINT64_MAX;
	int cut = 0;

	/* The first relocated ld_imm64 in 'xdp' (a map or global). */
	for (size_t r = 0; r < rs->sh_size / sizeof(Elf64_Rel) && at == UINT64_MAX; r++) {
		const Elf64_Rel *rel = (const Elf64_Rel *)(b + rs->sh_offset) + r;

		if (b[xdp->sh_offset + rel->r_offset] == (BPF_LD | BPF_IMM | BPF_DW))
			at = rel->r_offset;
	}
	cr_assert_neq(at, UINT64_MAX);
	/* prog1 ends right after the ld_imm64's first slot. */
	for (size_t i = 0; i < sym->sh_size / sizeof(Elf64_Sym); i++)
		if (syms[i].st_shndx == xdp_idx && ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC &&
		    syms[i].st_value <= at) {
			syms[i].st_size = at + 8 - syms[i].st_value;
			cut++;
		}
	cr_assert_eq(cut, 1);
	cr_assert_lt(obj_open_mem(b, size, &opts, &o, &e), 0);
	cr_assert_null(o);
	cr_assert_str_eq(e.section, "xdp");
	cr_assert(strstr(e.msg, "ld_imm64 runs past the end of function 'prog1'"), "%s", e.msg);
	free(b);
}
