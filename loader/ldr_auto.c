/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_auto.c - attach a loaded object's programs from their SEC()
 * names, the way libbpf's bpf_program__attach() reads them: the section
 * table row (obj_sec_lookup) says the kind, obj_attach_parse() takes the
 * target apart, and the matching ldr_attach_* does the work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/obj.h"
#include "loader/ldr_internal.h"

bool ldr_obj_prog_autoattachable(const struct ldr_obj *lo, size_t i)
{
	const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
	const struct obj_sec_def *def = p ? obj_sec_lookup(p->section) : NULL;
	struct obj_attach at;
	char buf[512];

	if (!def || obj_attach_parse(def, p->section, &at, buf, sizeof(buf), NULL))
		return false;
	switch (def->attach_kind) {
	case OBJ_ATTACH_KPROBE:
	case OBJ_ATTACH_KSYSCALL:
	case OBJ_ATTACH_RAW_TP:
	case OBJ_ATTACH_TRACEPOINT:
	case OBJ_ATTACH_UPROBE:
	case OBJ_ATTACH_UPROBE_MULTI:
	case OBJ_ATTACH_USDT:
		return at.func || at.has_offset;
	case OBJ_ATTACH_BTF:
		return p->prog_type != BPF_PROG_TYPE_EXT;
	default:
		return p->prog_type == BPF_PROG_TYPE_PERF_EVENT;
	}
}

int ldr_obj_attach_prog(const struct ldr_obj *lo, size_t i, const struct ldr_attach_opts *user,
			struct ldr_link **out, struct bb_err *e)
{
	const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
	const struct obj_sec_def *def;
	struct ldr_attach_opts o;
	struct obj_attach at;
	char buf[512], name[300];
	int err;

	*out = NULL;
	if (!p)
		return bb_err_insn(e, -ENOENT, -1, "no program %zu", i);
	bb_err_set_section(e, p->section);
	if (p->fd < 0)
		return bb_err_insn(e, -EBADF, -1, "prog '%s': not loaded", p->name);
	def = obj_sec_lookup(p->section);
	if (!def)
		return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': unknown SEC() name", p->name);
	if ((err = obj_attach_parse(def, p->section, &at, buf, sizeof(buf), e)))
		return err;
	if ((err = ldr_attach_opts_get(&o, user)))
		return err;
	switch (def->attach_kind) {
	case OBJ_ATTACH_TRACEPOINT:
		return ldr_attach_tracepoint(p->fd, at.category, at.func, &o, out, e);
	case OBJ_ATTACH_RAW_TP:
		if (at.func)
			return ldr_attach_raw_tp(p->fd, at.func, &o, out, e);
		break;
	case OBJ_ATTACH_KPROBE:
		if (!at.func)
			break;
		o.retprobe = def->retprobe;
		return ldr_attach_kprobe(p->fd, at.func, at.offset, &o, out, e);
	case OBJ_ATTACH_KSYSCALL:
		if (!at.func)
			break;
		/* the x86-64 syscall wrappers carry the arguments in pt_regs */
		snprintf(name, sizeof(name), "__x64_sys_%s", at.func);
		o.retprobe = def->retprobe;
		return ldr_attach_kprobe(p->fd, name, 0, &o, out, e);
	case OBJ_ATTACH_KPROBE_MULTI:
		return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': kprobe.multi: kprobes are not "
				   "attachable through barebpf yet (and not configured here)", p->name);
	case OBJ_ATTACH_UPROBE:
		if (!at.path)
			break;
		o.retprobe = def->retprobe;
		return ldr_attach_uprobe(p->fd, at.path, at.func, at.offset, &o, out, e);
	case OBJ_ATTACH_UPROBE_MULTI:
		if (!at.path)
			break;
		o.retprobe = def->retprobe;
		return ldr_attach_uprobe_multi(p->fd, at.path, at.func, &o, out, e);
	case OBJ_ATTACH_USDT: {
		int spec = ldr_obj_map_by_name(lo, "__bpf_usdt_specs");
		int ip = ldr_obj_map_by_name(lo, "__bpf_usdt_ip_to_spec_id");

		if (!at.path)
			break;
		if (spec < 0)
			return bb_err_insn(e, -ENOENT, -1, "prog '%s': usdt needs the map "
					   "__bpf_usdt_specs (include bb_usdt.h)", p->name);
		return ldr_attach_usdt(p->fd, at.path, at.category, at.func,
				       ldr_obj_map(lo, (size_t)spec)->fd,
				       ip >= 0 ? ldr_obj_map(lo, (size_t)ip)->fd : -1, &o, out, e);
	}
	case OBJ_ATTACH_BTF:
		if (p->expected_attach_type == BPF_TRACE_ITER)
			return ldr_attach_iter(p->fd, &o, out, e);
		if (p->prog_type == BPF_PROG_TYPE_EXT)
			return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': freplace needs a target "
					   "program", p->name);
		return ldr_attach_tracing(p->fd, p->expected_attach_type, &o, out, e);
	default:
		if (p->prog_type == BPF_PROG_TYPE_PERF_EVENT)
			return ldr_attach_perf_sampling(p->fd, &o, out, e);
		if (p->prog_type == BPF_PROG_TYPE_NETFILTER && o.nf_pf)
			return ldr_attach_netfilter(p->fd, &o, out, e);
		break;
	}
	return bb_err_insn(e, -EOPNOTSUPP, -1, "prog '%s': a %s program needs a target (an "
			   "interface, cgroup, socket, ...) and is not attached from its SEC() name",
			   p->name, ldr_prog_type_str(p->prog_type));
}

int ldr_obj_attach_all(const struct ldr_obj *lo, const struct ldr_attach_opts *opts,
		       struct ldr_link ***links, struct bb_err *e)
{
	size_t n = ldr_obj_prog_count(lo);
	struct ldr_link **l = calloc(n ? n : 1, sizeof(*l));

	*links = NULL;
	if (!l)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
		int err;

		if (p->fd < 0 || !ldr_obj_prog_autoattachable(lo, i))
			continue;
		err = ldr_obj_attach_prog(lo, i, opts, &l[i], e);
		if (err) {
			ldr_links_destroy(l, n);
			return err;
		}
	}
	*links = l;
	return 0;
}
