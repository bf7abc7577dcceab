/* SPDX-License-Identifier: MIT */
/* verifier/vf_case.c - the verifier case-file format (see vf.h). */
#include <stdio.h>
#include <stdlib.h>

#include "btf/btf.h"
#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

static const struct { const char *name; uint32_t type; } map_types[] = {
	{ "hash", BPF_MAP_TYPE_HASH }, { "array", BPF_MAP_TYPE_ARRAY },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY }, { "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH }, { "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH }, { "queue", BPF_MAP_TYPE_QUEUE },
	{ "stack", BPF_MAP_TYPE_STACK }, { "ringbuf", BPF_MAP_TYPE_RINGBUF },
	{ "devmap", BPF_MAP_TYPE_DEVMAP }, { "array_of_maps", BPF_MAP_TYPE_ARRAY_OF_MAPS },
	{ "hash_of_maps", BPF_MAP_TYPE_HASH_OF_MAPS },
};

int vf_map_type_by_name(const char *name)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(map_types); i++)
		if (!strcmp(map_types[i].name, name))
			return (int)map_types[i].type;
	return -1;
}

void vf_cases_free(struct vf_case *c, size_t cnt)
{
	for (size_t i = 0; c && i < cnt; i++) {
		free(c[i].text);
		free(c[i].insns);
	}
	free(c);
}

static int header(struct vf_case *c, const char *h, const char *file, int line, struct bb_err *e)
{
	char a[32], b[64];
	const char *lk;
	unsigned k, v, m;
	int t;

	if (!strncmp(h, "type:", 5)) {
		if (sscanf(h + 5, "%31s", c->type_name) != 1 ||
		    (t = vf_prog_type_by_name(c->type_name)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "unknown program type '%s'", h + 5);
		}
		c->prog_type = (uint32_t)t;
		c->expected_attach_type = !strcmp(c->type_name, "tp_btf") ? BPF_TRACE_RAW_TP : 0;
	} else if (!strncmp(h, "func_info", 9)) {
		c->func_info = true;
	} else if (!strncmp(h, "func:", 5)) {
		struct vf_case_func *f = &c->funcs[c->func_cnt];
		char link[16], *save = NULL, *tok, buf[256];
		int n = 0;

		snprintf(buf, sizeof(buf), "%s", h + 5);
		if (c->func_cnt == VF_CASE_MAX_FUNCS ||
		    sscanf(buf, "%31s %15s %23s%n", f->name, link, f->ret, &n) != 3 ||
		    (strcmp(link, "global") && strcmp(link, "static"))) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad func line (want NAME global|static RET ARG...)");
		}
		f->global = !strcmp(link, "global");
		f->nargs = 0;
		for (tok = strtok_r(buf + n, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			if (f->nargs == 5) {
				bb_err_set_file(e, file);
				return bb_err_line(e, -EINVAL, line, "more than 5 arguments");
			}
			snprintf(f->args[f->nargs++], sizeof(f->args[0]), "%s", tok);
		}
		c->func_cnt++;
		c->func_info = true;
	} else if (!strncmp(h, "kfunc:", 6)) {
		if (c->kfuncs == VF_CASE_MAX_FUNCS ||
		    sscanf(h + 6, "%47s", c->kfunc_names[c->kfuncs]) != 1) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad kfunc line (want NAME)");
		}
		c->kfuncs++;
	} else if (!strncmp(h, "attach:", 7)) {
		if (sscanf(h + 7, "%63s", c->attach) != 1) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "attach: needs a name");
		}
	} else if (!strncmp(h, "map:", 4)) {
		struct vf_map *mp = &c->maps[c->map_cnt];

		if (c->map_cnt == VF_CASE_MAX_MAPS ||
		    sscanf(h + 4, "%31s %63s %u %u %u", a, b, &k, &v, &m) != 5 ||
		    (t = vf_map_type_by_name(b)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad map line (want NAME TYPE KEY VALUE MAX)");
		}
		snprintf(c->map_names[c->map_cnt], sizeof(c->map_names[0]), "%s", a);
		mp->type = (uint32_t)t;
		mp->key_size = k;
		mp->value_size = v;
		mp->max_entries = m;
		mp->flags = strstr(h, "rdonly") ? BPF_F_RDONLY_PROG : 0;
		mp->btf = strstr(h, " btf") != NULL;
		if ((lk = strstr(h, "spinlock@"))) {
			if (sscanf(lk + 9, "%u", &k) != 1 || k % 4 || k + 4 > v) {
				bb_err_set_file(e, file);
				return bb_err_line(e, -EINVAL, line,
						   "spinlock@OFF: OFF a multiple of 4 inside the value");
			}
			mp->btf = mp->spin_lock = true;
			mp->spin_lock_off = k;
		}
		c->map_cnt++;
	} else if (!strncmp(h, "inner:", 6)) {
		/* "# inner: TYPE KEY VALUE MAX": the template of the last map */
		struct vf_map *mp = &c->inner[c->map_cnt ? c->map_cnt - 1 : 0];

		if (!c->map_cnt || sscanf(h + 6, "%63s %u %u %u", b, &k, &v, &m) != 4 ||
		    (t = vf_map_type_by_name(b)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad inner line (want TYPE KEY VALUE MAX after a map)");
		}
		*mp = (struct vf_map){ .type = (uint32_t)t, .key_size = k, .value_size = v, .max_entries = m };
	} else if (!strncmp(h, "expect:", 7)) {
		const char *p = h + 7;

		while (*p == ' ')
			p++;
		c->has_expect = true;
		if (!strncmp(p, "accept", 6)) {
			c->expect_accept = true;
		} else if (!strncmp(p, "reject", 6)) {
			p += 6;
			while (*p == ' ')
				p++;
			snprintf(c->fragment, sizeof(c->fragment), "%s", p);
		} else {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "expect: accept or reject");
		}
	} else if (!strncmp(h, "kernel-differs:", 15)) {
		snprintf(c->kernel_differs, sizeof(c->kernel_differs), "%s", h + 15);
	}
	return 0;
}

int vf_cases_parse(const char *text, const char *file, struct vf_case **out, size_t *cnt,
		   struct bb_err *e)
{
	struct vf_case *cs = NULL, *c = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;
	int line = 0, err = 0;

	*out = NULL;
	*cnt = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512];
		const char *h;

		line++;
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 511 ? len : 511), p);
		p += len + (eol ? 1 : 0);
		h = buf;
		while (*h == ' ' || *h == '\t')
			h++;
		if (!c || !strncmp(h, "# case:", 7)) {
			if (n == cap) {
				struct vf_case *q = realloc(cs, (cap = cap ? cap * 2 : 16) * sizeof(*q));

				if (!q) {
					err = -ENOMEM;
					goto fail;
				}
				cs = q;
			}
			c = &cs[n++];
			memset(c, 0, sizeof(*c));
			c->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
			snprintf(c->type_name, sizeof(c->type_name), "socket_filter");
			c->text = calloc(1, 1);
			if (!c->text) {
				err = -ENOMEM;
				goto fail;
			}
			if (!strncmp(h, "# case:", 7)) {
				const char *nm = h + 7;

				while (*nm == ' ')
					nm++;
				snprintf(c->name, sizeof(c->name), "%s", nm);
				continue;
			}
			snprintf(c->name, sizeof(c->name), "%s", file);
		}
		if (h[0] == '#' && h[1] == ' ' && !c->first_line) {
			if ((err = header(c, h + 2, file, line, e)))
				goto fail;
			continue;
		}
		if (!c->first_line && *h && *h != '#')
			c->first_line = line;
		if (c->first_line) {
			size_t tl = strlen(c->text);
			char *q = realloc(c->text, tl + strlen(buf) + 2);

			if (!q) {
				err = -ENOMEM;
				goto fail;
			}
			c->text = q;
			sprintf(q + tl, "%s\n", buf);
		}
	}
	for (size_t i = 0; i < n; i++) {
		long k = isa_asm(cs[i].text, file, &cs[i].insns, e);

		for (size_t m = 0; m < cs[i].map_cnt; m++)
			cs[i].maps[m].name = cs[i].map_names[m];
		for (size_t m = 0; m < cs[i].map_cnt; m++)     /* cs no longer moves */
			if (cs[i].inner[m].type)
				cs[i].maps[m].inner = &cs[i].inner[m];
		if (k < 0) {
			err = (int)k;
			if (e)
				e->line += cs[i].first_line - 1;
			goto fail;
		}
		cs[i].n = (size_t)k;
	}
	*out = cs;
	*cnt = n;
	return 0;
fail:
	vf_cases_free(cs, n);
	return err;
}

int vf_case_kfuncs(struct vf_case *c, const struct bbtf *vmlinux, struct bb_err *e)
{
	int ids[VF_CASE_MAX_FUNCS];

	for (size_t k = 0; k < c->kfuncs; k++) {
		ids[k] = bbtf_find_by_name_kind(vmlinux, c->kfunc_names[k], BTF_KIND_FUNC);
		if (ids[k] < 0)
			return bb_err_insn(e, -ENOENT, -1, "case '%s': no kernel function %s", c->name,
					   c->kfunc_names[k]);
	}
	for (size_t pc = 0; pc < c->n; pc++) {
		struct isa_raw *r = &c->insns[pc];

		if (isa_lookup(r) != ISA_OP_CALL_KFUNC)
			continue;
		if (r->imm < 0 || (size_t)r->imm >= c->kfuncs)
			return bb_err_insn(e, -EINVAL, (int)pc, "case '%s': kfunc %d not declared", c->name,
					   r->imm);
		r->imm = ids[r->imm];
	}
	return 0;
}

/* ----- '# func_info' BTF ----- */

/* A '# func:' type token as a BTF type id in @b (0: void), or -EINVAL. */
static int case_type(struct bbtf *b, const char *tok, uint32_t prog_type)
{
	static const struct { const char *name, *cname; uint32_t size; int enc; } ints[] = {
		{ "int", "int", 4, BTF_INT_SIGNED }, { "u8", "unsigned char", 1, 0 },
		{ "u16", "unsigned short", 2, 0 }, { "u32", "unsigned int", 4, 0 },
		{ "u64", "unsigned long long", 8, 0 }, { "long", "long", 8, BTF_INT_SIGNED },
	};
	char base[32];
	size_t len = strlen(tok);
	bool ptr = len && tok[len - 1] == '*';
	int id;

	if (ptr)
		len--;
	snprintf(base, sizeof(base), "%.*s", (int)len, tok);
	if (!strcmp(tok, "ctx")) {
		const char *name = vf_ctx_struct_name(prog_type);

		if (!name)
			return -EINVAL;
		id = bbtf_find_by_name_kind(b, name, BTF_KIND_STRUCT);
		if (id < 0)
			id = bbtf_add_struct(b, name, 0);
		return id < 0 ? id : bbtf_add_ptr(b, (uint32_t)id);
	}
	if (!strncmp(tok, "ptr:", 4)) {
		char sname[32];
		unsigned size = (unsigned)strtoul(tok + 4, NULL, 10);

		snprintf(sname, sizeof(sname), "s%u", size);
		id = bbtf_find_by_name_kind(b, sname, BTF_KIND_STRUCT);
		if (id < 0)
			id = bbtf_add_struct(b, sname, size);
		return id < 0 ? id : bbtf_add_ptr(b, (uint32_t)id);
	}
	if (!strncmp(base, "struct:", 7)) {
		id = bbtf_find_by_name_kind(b, base + 7, BTF_KIND_STRUCT);
		if (id < 0)
			id = bbtf_add_struct(b, base + 7, ptr ? 0 : 8);
	} else if (!strcmp(base, "void")) {
		id = 0;
	} else {
		size_t i;

		for (i = 0; i < BB_ARRAY_SIZE(ints); i++)
			if (!strcmp(ints[i].name, base))
				break;
		if (i == BB_ARRAY_SIZE(ints))
			return -EINVAL;
		id = bbtf_find_by_name_kind(b, ints[i].cname, BTF_KIND_INT);
		if (id < 0)
			id = bbtf_add_int(b, ints[i].cname, ints[i].size, ints[i].enc);
	}
	if (id < 0 || !ptr)
		return id;
	return bbtf_add_ptr(b, (uint32_t)id);
}

/* The prototype of '# func:' line @f; returns the FUNC id. */
static int case_func(struct bbtf *b, const struct vf_case_func *f, uint32_t prog_type)
{
	int ret = case_type(b, f->ret, prog_type), proto, fn, ids[5];

	if (ret < 0)
		return ret;
	for (int i = 0; i < f->nargs; i++) {
		char tok[32], *at;

		snprintf(tok, sizeof(tok), "%s", f->args[i]);
		if ((at = strchr(tok, '@')))
			*at = 0;
		if ((ids[i] = case_type(b, tok, prog_type)) < 0)
			return ids[i];
	}
	if ((proto = bbtf_add_func_proto(b, (uint32_t)ret)) < 0)
		return proto;
	for (int i = 0; i < f->nargs; i++) {
		char pname[16];

		snprintf(pname, sizeof(pname), "a%d", i);
		if (bbtf_add_param(b, pname, (uint32_t)ids[i]) < 0)
			return -ENOMEM;
	}
	fn = bbtf_add_func(b, f->name, f->global ? BTF_FUNC_GLOBAL : BTF_FUNC_STATIC, (uint32_t)proto);
	for (int i = 0; fn > 0 && i < f->nargs; i++) {
		const char *at = strchr(f->args[i], '@');
		char tag[40];

		if (!at)
			continue;
		snprintf(tag, sizeof(tag), "arg:%s", at + 1);
		if (bbtf_add_decl_tag(b, tag, (uint32_t)fn, i) < 0)
			return -ENOMEM;
	}
	return fn;
}

int vf_case_btf(const struct vf_case *c, struct bbtf **btf, struct vf_func_info *fi, size_t max,
		struct bb_err *e)
{
	uint32_t starts[VF_MAX_SUBPROGS];
	size_t ns = 1;
	struct bbtf *b = NULL;
	int it, proto, err;

	*btf = NULL;
	starts[0] = 0;
	/* subprograms: targets of bpf-to-bpf calls and function references */
	for (size_t pc = 0; pc < c->n; pc++) {
		const struct isa_raw *r = &c->insns[pc];
		int op = isa_lookup(r);
		long t = -1;

		if (op == ISA_OP_CALL_LOCAL || op == ISA_OP_LDDW_FUNC)
			t = (long)pc + r->imm + 1;
		if (op >= 0 && isa_rows[op].fmt == ISA_FMT_LDDW)
			pc++;
		if (t <= 0 || (size_t)t >= c->n)
			continue;
		for (size_t i = 0; i <= ns; i++) {
			if (i == ns) {
				if (ns == BB_ARRAY_SIZE(starts) || ns == max)
					return bb_err_insn(e, -E2BIG, -1, "case '%s': too many subprograms", c->name);
				starts[ns++] = (uint32_t)t;
				break;
			}
			if (starts[i] == (uint32_t)t)
				break;
		}
	}
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j > 0 && starts[j] < starts[j - 1]; j--) {
			uint32_t x = starts[j];

			starts[j] = starts[j - 1];
			starts[j - 1] = x;
		}
	if (c->func_cnt > ns - 1)
		return bb_err_insn(e, -EINVAL, -1, "case '%s': %zu '# func:' lines for %zu subprograms",
				  c->name, c->func_cnt, ns - 1);
	if ((err = bbtf_new(NULL, &b)))
		return bb_err_insn(e, err, -1, "case '%s': out of memory", c->name);
	it = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED);
	proto = it < 0 ? it : bbtf_add_func_proto(b, (uint32_t)it);
	err = proto < 0 ? proto : 0;
	for (size_t i = 0; !err && i < ns; i++) {
		char name[32];
		int id;

		if (i && i - 1 < c->func_cnt) {
			id = case_func(b, &c->funcs[i - 1], c->prog_type);
		} else {
			snprintf(name, sizeof(name), i ? "f%zu" : "main", i);
			id = bbtf_add_func(b, name, i ? BTF_FUNC_STATIC : BTF_FUNC_GLOBAL, (uint32_t)proto);
		}
		if (id < 0) {
			bbtf_free(b);
			return bb_err_insn(e, id, -1, "case '%s': bad '# func:' type in subprogram %zu", c->name, i);
		}
		fi[i] = (struct vf_func_info){ .insn_off = starts[i], .type_id = (uint32_t)id };
	}
	if (err) {
		bbtf_free(b);
		return bb_err_insn(e, err, -1, "case '%s': out of memory", c->name);
	}
	*btf = b;
	return (int)ns;
}

int vf_case_map_btf(const struct vf_map *m, struct bbtf **btf, uint32_t *key_type_id)
{
	struct bbtf *b = NULL;
	int it, lock, val, err;

	*btf = NULL;
	if ((err = bbtf_new(NULL, &b)))
		return err;
	/* the kernel checks the key type's size against key_size */
	it = bbtf_add_int(b, m->key_size == 8 ? "long" : "int", m->key_size == 8 ? 8 : 4, BTF_INT_SIGNED);
	lock = it < 0 ? it : bbtf_add_struct(b, "bpf_spin_lock", 4);
	if (lock >= 0)
		lock = bbtf_add_member(b, "val", (uint32_t)it, 0, 0) < 0 ? -ENOMEM : lock;
	val = lock < 0 ? lock : bbtf_add_struct(b, "val", m->value_size);
	if (val >= 0 && m->spin_lock &&
	    bbtf_add_member(b, "lock", (uint32_t)lock, m->spin_lock_off * 8, 0) < 0)
		val = -ENOMEM;
	if (val < 0) {
		bbtf_free(b);
		return val;
	}
	*key_type_id = (uint32_t)it;
	*btf = b;
	return val;
}
