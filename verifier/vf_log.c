/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf_log.c - the verifier log, in the kernel's wording: register
 * states as "R1=ctx() R2=scalar(smin=0,smax=umax=255,var_off=(0x0; 0xff))
 * R10=fp0 fp-8=mmmmmmmm", instructions as "3: (61) r0 = *(u32 *)(r1 +0)"
 * with the registers they touched after a ';' in column 39.  The same
 * formatters write --explain's and --dot's state text (struct vf_text),
 * so those read exactly like the log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf/btf.h"
#include "verifier/vf_internal.h"

static void log_append(struct vf_env *env, const char *s, size_t len)
{
	if (env->log_len + len + 1 > env->log_cap) {
		size_t cap = env->log_cap ? env->log_cap * 2 : 4096;
		char *p;

		while (cap < env->log_len + len + 1)
			cap *= 2;
		p = realloc(env->log, cap);
		if (!p)
			return;
		env->log = p;
		env->log_cap = cap;
	}
	memcpy(env->log + env->log_len, s, len);
	env->log_len += len;
	env->log[env->log_len] = 0;
}

void vf_log(struct vf_env *env, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	if (!env->o->log_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		log_append(env, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void vf_log_truncate(struct vf_env *env, size_t pos)
{
	if (env->log && pos < env->log_len) {
		env->log_len = pos;
		env->log[pos] = 0;
	}
}

int vf_reject(struct vf_env *env, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(env->err_msg, sizeof(env->err_msg), fmt, ap);
	va_end(ap);
	if (env->log_len && env->log[env->log_len - 1] != '\n')
		vf_log(env, "\n");
	vf_log(env, "%s\n", env->err_msg);
	return code;
}

static const char *const type_names[VF_RTYPE_COUNT] = {
	[VF_NOT_INIT] = "?", [VF_SCALAR] = "scalar", [VF_PTR_CTX] = "ctx",
	[VF_CONST_MAP] = "map_ptr", [VF_PTR_MAP_VALUE] = "map_value",
	[VF_PTR_MAP_KEY] = "map_key", [VF_PTR_STACK] = "fp", [VF_PTR_PKT] = "pkt",
	[VF_PTR_PKT_META] = "pkt_meta", [VF_PTR_PKT_END] = "pkt_end", [VF_PTR_MEM] = "mem",
	[VF_PTR_FUNC] = "func", [VF_PTR_SOCK] = "sock", [VF_PTR_BTF_ID] = "ptr_",
};

const char *vf_reg_type_str(const struct vf_reg *r)
{
	static __thread char buf[64];

	/* sock, sock_common, tcp_sock (+ _or_null): one type, its kind aside */
	if (r->type == VF_PTR_SOCK)
		return vf_sock_type_str(r);
	if (r->type == VF_PTR_BTF_ID) {
		const struct btf_type *t = vf_log_btf ? bbtf_type_by_id(vf_log_btf, r->aux) : NULL;

		/* the kernel's reg_type_str, then the struct as its state log */
		snprintf(buf, sizeof(buf), "%s%s%sptr_%s%s", r->flags & VF_RCU ? "rcu_" : "",
			 r->flags & VF_UNTRUSTED ? "untrusted_" : "",
			 r->flags & VF_TRUSTED ? "trusted_" : "",
			 r->flags & VF_MAYBE_NULL ? "or_null_" : "",
			 t ? bbtf_name(vf_log_btf, t->name_off) : "?");
	} else if (r->type == VF_PTR_MEM && (r->flags & VF_RINGBUF))
		snprintf(buf, sizeof(buf), "ringbuf_mem%s", r->flags & VF_MAYBE_NULL ? "_or_null" : "");
	else if (r->flags & VF_MAYBE_NULL)
		snprintf(buf, sizeof(buf), "%s_or_null", type_names[r->type]);
	else if (r->flags & VF_RDONLY)
		snprintf(buf, sizeof(buf), "rdonly_%s", type_names[r->type]);
	else
		snprintf(buf, sizeof(buf), "%s", type_names[r->type]);
	return buf;
}

/* The kernel prints small numbers in decimal and the rest in hex. */
static int put_snum(char *b, size_t n, int64_t v)
{
	if (v >= -512 && v <= 512)
		return snprintf(b, n, "%" PRId64, v);
	return snprintf(b, n, "%#" PRIx64, (uint64_t)v);
}

static int put_unum(char *b, size_t n, uint64_t v)
{
	if (v <= 512)
		return snprintf(b, n, "%" PRIu64, v);
	return snprintf(b, n, "%#" PRIx64, v);
}

#define ADV(expr) do { int k_ = (expr); if (k_ > 0) p += (size_t)k_ < (size_t)(end - p) ? k_ : end - p; } while (0)

/* "smin=..,smax=umax=..,var_off=(..)": equal bounds of the same sign
 * share one number, as the kernel prints them. */
static char *put_ranges(char *p, char *end, const struct vf_sval *v, const char **sep)
{
	struct { const char *name; uint64_t val; bool omit; bool s; } m[8] = {
		{ "smin", (uint64_t)v->smin, v->smin == INT64_MIN, true },
		{ "smax", (uint64_t)v->smax, v->smax == INT64_MAX, true },
		{ "umin", v->umin, v->umin == 0, false },
		{ "umax", v->umax, v->umax == ~0ull, false },
		{ "smin32", (uint64_t)(int64_t)v->s32min, v->s32min == INT32_MIN, true },
		{ "smax32", (uint64_t)(int64_t)v->s32max, v->s32max == INT32_MAX, true },
		{ "umin32", v->u32min, v->u32min == 0, false },
		{ "umax32", v->u32max, v->u32max == UINT32_MAX, false },
	};

	for (int i = 0; i < 8; i++) {
		bool neg;

		if (m[i].omit)
			continue;
		neg = m[i].s && (int64_t)m[i].val < 0;
		ADV(snprintf(p, (size_t)(end - p), "%s%s=", *sep, m[i].name));
		*sep = ",";
		for (int j = i + 2; j < 8; j += 2) {
			if (m[j].omit || (m[j].s && (int64_t)m[j].val < 0) != neg || m[j].val != m[i].val)
				continue;
			ADV(snprintf(p, (size_t)(end - p), "%s=", m[j].name));
			m[j].omit = true;
		}
		if (m[i].s)
			ADV(put_snum(p, (size_t)(end - p), (int64_t)m[i].val));
		else
			ADV(put_unum(p, (size_t)(end - p), m[i].val));
	}
	if (!vf_tnum_is_unknown(v->t))
		ADV(snprintf(p, (size_t)(end - p), "%svar_off=(0x%" PRIx64 "; 0x%" PRIx64 ")", *sep,
			     v->t.value, v->t.mask));
	return p;
}

void vf_log_reg(struct vf_env *env, const struct vf_reg *r, char *buf, size_t size)
{
	char *p = buf, *end = buf + size;
	const char *sep = "";

	buf[0] = 0;
	if (r->type == VF_SCALAR && vf_sval_is_const(&r->v) && !r->id) {
		put_snum(buf, size, (int64_t)r->v.t.value);
		return;
	}
	if (r->type == VF_PTR_STACK && vf_sval_is_const(&r->v)) {
		snprintf(buf, size, "fp%" PRId64, (int64_t)(r->off + (int64_t)r->v.t.value));
		return;
	}
	ADV(snprintf(p, (size_t)(end - p), "%s(", vf_reg_type_str(r)));
	if (r->id) {
		ADV(snprintf(p, (size_t)(end - p), "%sid=%u", sep, r->id));
		/* a linked scalar's delta, as the kernel prints it: id=2+4 */
		if (r->type == VF_SCALAR && r->link != VF_LINK_NONE)
			ADV(snprintf(p, (size_t)(end - p), "%+d", r->off));
		sep = ",";
	}
	if (r->ref_obj_id) {
		ADV(snprintf(p, (size_t)(end - p), "%sref_obj_id=%u", sep, r->ref_obj_id));
		sep = ",";
	}
	if ((r->type == VF_CONST_MAP || r->type == VF_PTR_MAP_VALUE || r->type == VF_PTR_MAP_KEY) &&
	    r->aux < env->map_cnt) {
		const struct vf_map *m = &env->maps[r->aux];

		if (m->name && m->name[0])
		{
			ADV(snprintf(p, (size_t)(end - p), "%smap=%s", sep, m->name));
			sep = ",";
		}
		ADV(snprintf(p, (size_t)(end - p), "%sks=%u,vs=%u", sep, m->key_size, m->value_size));
		sep = ",";
	}
	if (r->type != VF_SCALAR && r->off) {
		ADV(snprintf(p, (size_t)(end - p), "%soff=%d", sep, r->off));
		sep = ",";
	}
	if (is_pkt_pointer(r)) {
		ADV(snprintf(p, (size_t)(end - p), "%sr=%u", sep, r->aux));
		sep = ",";
	}
	if (r->type == VF_PTR_MEM) {
		ADV(snprintf(p, (size_t)(end - p), "%ssz=%u", sep, r->aux));
		sep = ",";
	}
	if (r->type == VF_SCALAR || !vf_sval_is_const(&r->v) || r->v.t.value)
		p = put_ranges(p, end, &r->v, &sep);
	ADV(snprintf(p, (size_t)(end - p), ")"));
}

void vf_text_printf(struct vf_text *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	if (!t->vec) {
		log_append(t->env, buf, len);
		return;
	}
	/* --explain/--dot text, kept NUL-terminated */
	if (bb_vec_reserve(t->vec, t->vec->len + len + 1)) {
		t->err = -ENOMEM;
		return;
	}
	memcpy((char *)t->vec->data + t->vec->len, buf, len);
	t->vec->len += len;
	((char *)t->vec->data)[t->vec->len] = 0;
}

void vf_fmt_slot(struct vf_text *t, int slot, const uint8_t *stype, const struct vf_reg *spill)
{
	char buf[512], types[9];
	int off = -VF_STACK + slot * 8;
	bool any = false;

	for (int i = 0; i < 8; i++) {
		types[7 - i] = "?m0r"[stype[i]];   /* the kernel prints the highest byte first */
		any |= stype[i] != VF_ST_INVALID;
	}
	types[8] = 0;
	if (!any)
		return;
	if (stype[0] == VF_ST_SPILL) {
		int j = 0;

		/* a spill of fewer than 8 bytes: the bytes above it first */
		while (j < 8 && types[j] != 'r')
			j++;
		types[j] = 0;
		vf_log_reg(t->env, spill, buf, sizeof(buf));
		vf_text_printf(t, " fp%d=%s%s", off, types, buf);
	} else {
		vf_text_printf(t, " fp%d=%s", off, types);
	}
}

void vf_fmt_state(struct vf_text *t, const struct vf_state *s, const struct vf_reg *regs,
		  uint32_t regmask, uint64_t slotmask, bool not_init)
{
	const struct vf_frame *f = s->frames[s->curframe];
	char buf[512];

	if (!regs)
		regs = f->regs;
	if (s->curframe)
		vf_text_printf(t, " frame%d:", s->curframe);
	for (int r = 0; r < VF_NREGS; r++) {
		if (!(regmask & (1u << r)) || (regs[r].type == VF_NOT_INIT && !not_init))
			continue;
		if (regs[r].type == VF_NOT_INIT)
			snprintf(buf, sizeof(buf), "not_init");
		else
			vf_log_reg(t->env, &regs[r], buf, sizeof(buf));
		vf_text_printf(t, " R%d=%s", r, buf);
	}
	for (int sl = VF_SLOTS - 1; sl >= 0; sl--)
		if (slotmask & (1ull << sl))
			vf_fmt_slot(t, sl, &f->stk->stype[sl * 8], &f->stk->spill[sl]);
	if (s->nrefs) {
		vf_text_printf(t, " refs=");
		for (int i = 0; i < s->nrefs; i++)
			vf_text_printf(t, "%s%u", i ? "," : "", s->refs[i].id);
	}
}

void vf_log_state(struct vf_env *env, const struct vf_state *s, bool only_scratched)
{
	struct vf_text t = { .env = env };

	if (!env->o->log_level)
		return;
	vf_fmt_state(&t, s, NULL, only_scratched ? (uint32_t)env->scratched : ~0u,
		     only_scratched ? env->scratched_stack : ~0ull, false);
	vf_log(env, "\n");
}

void vf_log_insn(struct vf_env *env, int pc)
{
	char text[160];

	if (!env->o->log_level)
		return;
	isa_disasm_insn(env->raw, env->n, (size_t)pc, ISA_SYNTAX_PSEUDO_C, text, sizeof(text));
	vf_log(env, "%d: (%02x) %s", pc, env->raw[pc].code, text);
}
