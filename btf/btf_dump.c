/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_dump.c - BTF as a C header (vmlinux.h), and as a raw listing.
 *
 * Ordering.  C wants a struct, union or enum complete before it is used
 * by value, but only declared ("struct foo;") before it is used through a
 * pointer; a typedef must exist before its name is used, and it needs its
 * target only declared.  walk(id, through_ptr) makes sure everything a
 * reference to @id needs has been written, writing it now if not:
 *
 *   named struct/union  by value: walk its members, then write it;
 *                       through a pointer: a forward declaration will do
 *   named enum          written whole (an enum has no dependencies)
 *   typedef             walk the target at the same level, then write it
 *   anything anonymous  (pointers, arrays, modifiers, prototypes, inline
 *                       structs and enums) walk what it refers to; the
 *                       C text for it is spelled out where it is used
 *
 * A struct met again by value while its members are being walked would
 * need itself (rejected by validation).  A typedef met again while its
 * target is being walked ("typedef struct a a_t; struct a { a_t *next; }")
 * is written at that point, as soon as its target is declared.  Anonymous
 * nodes remember the level they were walked at, so shared prototypes and
 * deep DAGs of anonymous types are walked once.
 *
 * Layout.  The header must reproduce BTF's offsets and sizes exactly.  A
 * struct whose offsets no natural layout gives is packed; a gap the
 * natural layout would not leave (an __aligned member, say) is filled with
 * unnamed bitfields ("long: 64;"), which take space but add no alignment;
 * so is a tail before the struct's BTF size.  Enums of a size other than
 * their values' natural one get __attribute__((mode(...))).
 *
 * Names.  struct/union/enum tags share one C namespace and typedefs share
 * another with enumerators; the second and later users of a name are
 * renamed name___2, name___3, ... in the order they are written, as
 * bpftool does.
 */
#include "btf/btf_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any real header needs; keeps the recursion off the end of
 * the stack for hostile input. */
#define DUMP_DEPTH_MAX 2048

enum {
	ST_DECLARED = 1,        /* "struct x;" written (or the whole thing) */
	ST_VISITING = 2,        /* dependencies being walked */
	ST_DONE = 4,            /* written */
	ST_REENTERED = 8,       /* typedef met again while VISITING */
	ST_WALKED_PTR = 16,     /* anonymous: walked for use through a pointer */
	ST_WALKED_VAL = 32,     /* anonymous: walked for use by value */
	ST_REFERENCED = 64,     /* some type refers to it (anonymous enums) */
};

/* ---------------------------------------------------------------- */
/* A string builder with a sticky error                              */
/* ---------------------------------------------------------------- */

struct sb {
	char *p;
	size_t len, cap;
	int err;
};

static void sb_vadd(struct sb *s, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (s->err)
		return;
	va_copy(aq, ap);
	n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? s->cap - s->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		s->err = -EINVAL;
		return;
	}
	if (!s->p || s->len + (size_t)n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 128;
		char *np;

		while (cap < s->len + (size_t)n + 1)
			cap *= 2;
		np = realloc(s->p, cap);
		if (!np) {
			s->err = -ENOMEM;
			return;
		}
		s->p = np;
		s->cap = cap;
		vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

static void __attribute__((format(printf, 2, 3))) sb_add(struct sb *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(s, fmt, ap);
	va_end(ap);
}

static void sb_indent(struct sb *s, int lvl)
{
	for (int i = 0; i < lvl; i++)
		sb_add(s, "\t");
}

/* ---------------------------------------------------------------- */
/* Name deduplication                                                */
/* ---------------------------------------------------------------- */

/* Open addressing: name -> how many users so far.  Keys point into the
 * BTF strings, which outlive the dump. */
struct nmap {
	const char **key;
	uint32_t *count;
	uint32_t cap, used;
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int nmap_grow(struct nmap *m)
{
	struct nmap n = { .cap = m->cap ? m->cap * 2 : 1024 };

	n.key = calloc(n.cap, sizeof(*n.key));
	n.count = calloc(n.cap, sizeof(*n.count));
	if (!n.key || !n.count) {
		free(n.key);
		free(n.count);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < m->cap; i++) {
		uint32_t h;

		if (!m->key[i])
			continue;
		for (h = str_hash(m->key[i]) & (n.cap - 1); n.key[h]; h = (h + 1) & (n.cap - 1))
			;
		n.key[h] = m->key[i];
		n.count[h] = m->count[i];
	}
	n.used = m->used;
	free(m->key);
	free(m->count);
	*m = n;
	return 0;
}

/* Claim @name once more; returns the new user count (1 = first), or
 * -ENOMEM. */
static int nmap_claim(struct nmap *m, const char *name)
{
	uint32_t h;

	if ((m->used + 1) * 2 > m->cap && nmap_grow(m))
		return -ENOMEM;
	for (h = str_hash(name) & (m->cap - 1); m->key[h]; h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->key[h], name))
			return (int)++m->count[h];
	m->key[h] = name;
	m->count[h] = 1;
	m->used++;
	return 1;
}

static bool nmap_has(const struct nmap *m, const char *name)
{
	if (!m->cap)
		return false;
	for (uint32_t h = str_hash(name) & (m->cap - 1); m->key[h]; h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->key[h], name))
			return true;
	return false;
}

static void nmap_free(struct nmap *m)
{
	free(m->key);
	free(m->count);
}

/* ---------------------------------------------------------------- */
/* Dump state                                                        */
/* ---------------------------------------------------------------- */

struct dump {
	const struct bbtf *b;
	FILE *out;
	struct bbtf_dump_opts o;
	struct bb_err *e;
	uint32_t n;             /* type count */
	uint8_t *st;            /* ST_* per id */
	uint32_t *dup;          /* per id: 0 unnamed yet, else user number */
	uint32_t *tag_head;     /* per id: first DECL_TAG on it, +1 */
	uint32_t *tag_next;     /* per DECL_TAG id: next one on the same target, +1 */
	struct nmap tags;       /* struct/union/enum tags */
	struct nmap idents;     /* typedefs and enumerators */
	int depth;
	int err;
	unsigned int npad;      /* padding members named so far */
};

static int dump_fail(struct dump *d, int code, uint32_t id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int dump_fail(struct dump *d, int code, uint32_t id, const char *fmt, ...)
{
	char msg[BB_ERR_MSG_MAX];
	va_list ap;

	if (d->err)
		return d->err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (code == -EINVAL)
		bbtf__type_err(d->b, d->e, id, "%s", msg);
	else
		bb_err_insn(d->e, code, -1, "%s", msg);
	d->err = code;
	return code;
}

static const struct btf_type *T(const struct dump *d, uint32_t id)
{
	return bbtf_type_by_id(d->b, id);
}

static const char *raw_name(const struct dump *d, uint32_t id)
{
	const char *s = bbtf_type_name(d->b, id);

	return s ? s : "";
}

static bool is_tag_kind(int k)
{
	return k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ENUM ||
	       k == BTF_KIND_ENUM64 || k == BTF_KIND_FWD;
}

/* A FWD for which a same-named struct/union exists is that struct: C
 * code says "struct foo" for both.  Returns the id to use. */
static uint32_t fwd_resolve(const struct dump *d, uint32_t id)
{
	const struct btf_type *t = T(d, id);
	int r;

	if (bbtf_kind(t) != BTF_KIND_FWD)
		return id;
	r = bbtf_find_by_name_kind(d->b, raw_name(d, id),
				   bbtf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
	return r > 0 ? (uint32_t)r : id;
}

/* Compiler built-in names, which a header cannot redefine. */
static bool is_builtin_name(const char *name)
{
	return !strncmp(name, "__builtin_", 10);
}

/* The C name of a named type, deduplicated on first use. */
static const char *type_name(struct dump *d, uint32_t id, char *buf, size_t size)
{
	const char *name;
	int kind;

	id = fwd_resolve(d, id);
	name = raw_name(d, id);
	kind = bbtf_kind(T(d, id));
	if (!*name)
		return name;
	if (!d->dup[id]) {
		int c = nmap_claim(is_tag_kind(kind) ? &d->tags : &d->idents, name);

		if (c < 0) {
			dump_fail(d, -ENOMEM, id, "out of memory");
			c = 1;
		}
		d->dup[id] = (uint32_t)c;
	}
	/* The kernel's __builtin_va_list (x86-64: a 24-byte array of
	 * struct __va_list_tag) is not the BPF target's (8 bytes), and the
	 * compiler's name cannot be redefined: write the kernel's layout
	 * under our own name so sizes and offsets match the kernel. */
	if (is_builtin_name(name)) {
		if (d->dup[id] == 1)
			snprintf(buf, size, "__bb%s", name + 1);
		else
			snprintf(buf, size, "__bb%s___%u", name + 1, d->dup[id]);
		return buf;
	}
	if (d->dup[id] == 1)
		return name;
	snprintf(buf, size, "%s___%u", name, d->dup[id]);
	return buf;
}

static const char *tag_kw(const struct btf_type *t)
{
	switch (bbtf_kind(t)) {
	case BTF_KIND_UNION:
		return "union";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return "enum";
	case BTF_KIND_FWD:
		return bbtf_kflag(t) ? "union" : "struct";
	default:
		return "struct";
	}
}

/* An INT's BTF name if it is C's spelling of an integer type, else a
 * spelling made from size and encoding (BTF from other languages). */
static const char *int_name(const struct dump *d, uint32_t id)
{
	static const char *const words[] = {
		"char", "short", "int", "long", "signed", "unsigned", "_Bool", "__int128",
	};
	const struct btf_type *t = T(d, id);
	const char *name = raw_name(d, id), *p = name;
	uint32_t enc = BTF_INT_ENCODING(bbtf_int_data(t));
	bool ok = *p != '\0';

	while (ok && *p) {
		size_t len = strcspn(p, " ");
		bool known = false;

		for (size_t i = 0; i < BB_ARRAY_SIZE(words); i++)
			if (strlen(words[i]) == len && !strncmp(words[i], p, len))
				known = true;
		ok = known;
		p += len;
		p += strspn(p, " ");
	}
	if (ok)
		return name;
	if (enc & BTF_INT_BOOL)
		return "_Bool";
	if (enc & BTF_INT_CHAR)
		return "char";
	switch (t->size) {
	case 1:
		return enc & BTF_INT_SIGNED ? "signed char" : "unsigned char";
	case 2:
		return enc & BTF_INT_SIGNED ? "short" : "unsigned short";
	case 4:
		return enc & BTF_INT_SIGNED ? "int" : "unsigned int";
	case 8:
		return enc & BTF_INT_SIGNED ? "long long" : "unsigned long long";
	default:
		return enc & BTF_INT_SIGNED ? "__int128" : "unsigned __int128";
	}
}

static const char *float_name(const struct dump *d, uint32_t id)
{
	const char *name = raw_name(d, id);

	if (!strcmp(name, "float") || !strcmp(name, "double") || !strcmp(name, "long double"))
		return name;
	switch (T(d, id)->size) {
	case 4:
		return "float";
	case 8:
		return "double";
	default:
		return "long double";
	}
}

/* ---------------------------------------------------------------- */
/* C text for types                                                  */
/* ---------------------------------------------------------------- */

static void emit_decl(struct dump *d, struct sb *s, uint32_t id, const char *inner, int lvl);
static void emit_struct_body(struct dump *d, struct sb *s, uint32_t id, int lvl);
static void emit_enum_body(struct dump *d, struct sb *s, uint32_t id, int lvl);

static void emit_decl_tags(struct dump *d, struct sb *s, uint32_t id, int comp)
{
	if (d->o.no_decl_tags)
		return;
	for (uint32_t e = d->tag_head[id]; e; e = d->tag_next[e - 1]) {
		const struct btf_type *t = T(d, e - 1);

		if (bbtf_decl_tag(t)->component_idx != comp)
			continue;
		if (bbtf_kflag(t))
			sb_add(s, " __attribute__((%s))", raw_name(d, e - 1));
		else
			sb_add(s, " __attribute__((btf_decl_tag(\"%s\")))", raw_name(d, e - 1));
	}
}

/* Follow modifiers and type tags. */
static uint32_t skip_quals(const struct dump *d, uint32_t id)
{
	for (int i = 0; i < DUMP_DEPTH_MAX; i++) {
		const struct btf_type *t = T(d, id);
		int k = bbtf_kind(t);

		if (k != BTF_KIND_CONST && k != BTF_KIND_VOLATILE && k != BTF_KIND_RESTRICT &&
		    k != BTF_KIND_TYPE_TAG)
			return id;
		id = t->type;
	}
	return id;
}

/* Does @inner start with qualifier words that include @q?  Qualifiers
 * meet when a const array holds const elements ("const char a[4]" is
 * both); saying "const const" draws a warning. */
static bool leading_qual_has(const char *inner, const char *q)
{
	static const char *const quals[] = { "const", "volatile", "restrict" };

	for (;;) {
		size_t len = strcspn(inner, " ");
		bool is_qual = false;

		for (size_t i = 0; i < BB_ARRAY_SIZE(quals); i++)
			if (strlen(quals[i]) == len && !strncmp(inner, quals[i], len))
				is_qual = true;
		if (!is_qual)
			return false;
		if (strlen(q) == len && !strncmp(inner, q, len))
			return true;
		inner += len;
		inner += strspn(inner, " ");
	}
}

/* "prefix inner", with no space before an empty inner. */
static void emit_base(struct sb *s, const char *base, const char *inner)
{
	sb_add(s, "%s%s%s", base, *inner ? " " : "", inner);
}

static char *str_printf(struct dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *str_printf(struct dump *d, const char *fmt, ...)
{
	struct sb s = { 0 };
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(&s, fmt, ap);
	va_end(ap);
	if (s.err) {
		free(s.p);
		dump_fail(d, s.err, 0, "out of memory");
		return NULL;
	}
	return s.p;
}

/* C keywords (and GNU ones) no name may take. */
static bool is_keyword(const char *s)
{
	static const char *const kw[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do",
		"double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
		"int", "long", "register", "restrict", "return", "short", "signed",
		"sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
		"void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "_Alignas",
		"_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert",
		"_Thread_local", "asm", "typeof", "__int128", "__attribute__",
	};

	for (size_t i = 0; i < BB_ARRAY_SIZE(kw); i++)
		if (!strcmp(s, kw[i]))
			return true;
	return false;
}

static void emit_params(struct dump *d, struct sb *s, const struct btf_type *t, int lvl)
{
	uint16_t n = bbtf_vlen(t);

	if (!n) {
		sb_add(s, "void");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct btf_param *p = &bbtf_params(t)[i];
		const char *pname = bbtf_name(d->b, p->name_off);

		if (i)
			sb_add(s, ", ");
		if (!p->type && i == n - 1) {
			sb_add(s, "...");
			continue;
		}
		/* A parameter named like a typedef or enumerator would shadow it
		 * for the parameters after it, and a keyword is no name at all:
		 * leave such names out (a prototype needs none). */
		if (!pname || nmap_has(&d->idents, pname) || nmap_has(&d->tags, pname) ||
		    is_keyword(pname))
			pname = "";
		emit_decl(d, s, p->type, pname, lvl);
	}
}

/* C declaration of @id declaring @inner (a declarator, "" for none). */
static void emit_decl(struct dump *d, struct sb *s, uint32_t id, const char *inner, int lvl)
{
	const struct btf_type *t = T(d, id);
	char nbuf[160], *in2 = NULL;
	int k;

	if (d->err)
		return;
	if (++d->depth > DUMP_DEPTH_MAX) {
		dump_fail(d, -E2BIG, id, "type [%u] nests too deep to write as C", id);
		goto out;
	}
	k = bbtf_kind(t);
	switch (k) {
	case BTF_KIND_UNKN:
		emit_base(s, "void", inner);
		break;
	case BTF_KIND_INT:
		emit_base(s, int_name(d, id), inner);
		break;
	case BTF_KIND_FLOAT:
		emit_base(s, float_name(d, id), inner);
		break;
	case BTF_KIND_PTR: {
		int tk = bbtf_kind(T(d, skip_quals(d, t->type)));

		/* Pointer to array or function: "(*p)[4]", "(*fn)(int)". */
		if (tk == BTF_KIND_ARRAY || tk == BTF_KIND_FUNC_PROTO)
			in2 = str_printf(d, "(*%s)", inner);
		else
			in2 = str_printf(d, "*%s", inner);
		if (in2)
			emit_decl(d, s, t->type, in2, lvl);
		break;
	}
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG: {
		const char *q = k == BTF_KIND_CONST ? "const" :
				k == BTF_KIND_VOLATILE ? "volatile" : "restrict";

		/* A qualified function type means nothing in C: drop it. */
		if (bbtf_kind(T(d, skip_quals(d, t->type))) == BTF_KIND_FUNC_PROTO ||
		    (k == BTF_KIND_TYPE_TAG && d->o.no_type_tags) ||
		    (k != BTF_KIND_TYPE_TAG && leading_qual_has(inner, q))) {
			emit_decl(d, s, t->type, inner, lvl);
			break;
		}
		if (k == BTF_KIND_TYPE_TAG && bbtf_kflag(t))
			in2 = str_printf(d, "__attribute__((%s))%s%s", raw_name(d, id),
					 *inner ? " " : "", inner);
		else if (k == BTF_KIND_TYPE_TAG)
			in2 = str_printf(d, "__attribute__((btf_type_tag(\"%s\")))%s%s",
					 raw_name(d, id), *inner ? " " : "", inner);
		else
			in2 = str_printf(d, "%s%s%s", q, *inner ? " " : "", inner);
		if (in2)
			emit_decl(d, s, t->type, in2, lvl);
		break;
	}
	case BTF_KIND_ARRAY:
		in2 = str_printf(d, "%s[%u]", inner, bbtf_array(t)->nelems);
		if (in2)
			emit_decl(d, s, bbtf_array(t)->type, in2, lvl);
		break;
	case BTF_KIND_FUNC_PROTO: {
		struct sb ps = { 0 };

		emit_params(d, &ps, t, lvl);
		if (ps.err)
			dump_fail(d, ps.err, id, "out of memory");
		else
			in2 = str_printf(d, "%s(%s)", inner, ps.p ? ps.p : "");
		free(ps.p);
		if (in2)
			emit_decl(d, s, t->type, in2, lvl);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!*raw_name(d, id)) {
			/* Anonymous: spelled out in place. */
			if (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64)
				emit_enum_body(d, s, id, lvl);
			else
				emit_struct_body(d, s, id, lvl);
			sb_add(s, "%s%s", *inner ? " " : "", inner);
			break;
		}
		/* fallthrough */
	case BTF_KIND_FWD: {
		char full[200];

		snprintf(full, sizeof(full), "%s %s", tag_kw(T(d, fwd_resolve(d, id))),
			 type_name(d, id, nbuf, sizeof(nbuf)));
		emit_base(s, full, inner);
		break;
	}
	case BTF_KIND_TYPEDEF:
		emit_base(s, type_name(d, id, nbuf, sizeof(nbuf)), inner);
		break;
	default:
		dump_fail(d, -EINVAL, id, "%s cannot appear in a C declaration",
			  bbtf_kind_str(k));
		break;
	}
out:
	free(in2);
	d->depth--;
}

/* Fill bits [@from, @to) with unnamed bitfields, each ending at or before
 * the next 64-bit boundary so it lands exactly where it starts.  A gap of
 * more than eight longs (a page-aligned member, or a hostile struct size)
 * takes a char array for its whole bytes instead: one line, not millions. */
static void emit_pad(struct dump *d, struct sb *s, uint64_t from, uint64_t to, int lvl)
{
	while (from < to) {
		uint64_t chunk = 64 - from % 64;

		if (from % 8 == 0 && to - from > 8 * 64) {
			sb_indent(s, lvl);
			/* Numbered per header: members of anonymous structs and
			 * unions land in their parent's namespace. */
			sb_add(s, "char __bb_pad%u[%llu];\n", d->npad++,
			       (unsigned long long)((to - from) / 8));
			from += (to - from) / 8 * 8;
			continue;
		}
		if (chunk > to - from)
			chunk = to - from;
		sb_indent(s, lvl);
		sb_add(s, "long: %u;\n", (unsigned)chunk);
		from += chunk;
	}
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static void emit_struct_body(struct dump *d, struct sb *s, uint32_t id, int lvl)
{
	const struct btf_type *t = T(d, id);
	bool is_union = bbtf_kind(t) == BTF_KIND_UNION, packed = false;
	int salign = bbtf__struct_align(d->b, id, &packed);
	uint64_t off = 0, max_end = 0;
	char nbuf[160];

	if (salign < 0) {
		dump_fail(d, -EINVAL, id, "cannot compute alignment");
		return;
	}
	if (packed)
		salign = 1;
	/* Attributes go between the keyword and the tag. */
	sb_add(s, "%s", is_union ? "union" : "struct");
	emit_decl_tags(d, s, id, -1);
	if (*raw_name(d, id))
		sb_add(s, " %s", type_name(d, id, nbuf, sizeof(nbuf)));
	sb_add(s, " {\n");
	for (int i = 0; i < bbtf_vlen(t) && !d->err; i++) {
		const struct btf_member *m = &bbtf_members(t)[i];
		uint32_t m_off, bf = bbtf__member_bitfield(d->b, t, i, &m_off);
		int64_t msize = bbtf_resolve_size(d->b, m->type);
		int malign = bbtf_align(d->b, m->type);
		const char *mname = bbtf_name(d->b, m->name_off);
		uint64_t natural;

		if (msize < 0 || malign < 0) {
			dump_fail(d, -EINVAL, id, "member %d has no size", i);
			return;
		}
		if (packed)
			malign = 1;
		if (is_union) {
			off = 0;
		} else if (bf) {
			uint64_t unit = (uint64_t)msize * 8;

			natural = (packed || (off % unit) + bf <= unit) ? off : round_up(off, unit);
			if (natural != m_off && m_off > off)
				emit_pad(d, s, off, m_off, lvl + 1);
		} else {
			natural = round_up(off, (uint64_t)malign * 8);
			if (natural != m_off && m_off > off)
				emit_pad(d, s, off, m_off, lvl + 1);
		}
		sb_indent(s, lvl + 1);
		emit_decl(d, s, m->type, mname ? mname : "", lvl + 1);
		if (bf)
			sb_add(s, ": %u", bf);
		emit_decl_tags(d, s, id, i);
		sb_add(s, ";\n");
		off = m_off + (bf ? bf : (uint64_t)msize * 8);
		if (off > max_end)
			max_end = off;
	}
	/* Tail: the struct's BTF size may exceed what its members and
	 * alignment give (an __aligned attribute, a union's padding). */
	if (is_union) {
		if (round_up(max_end, (uint64_t)salign * 8) < (uint64_t)t->size * 8) {
			sb_indent(s, lvl + 1);
			sb_add(s, "char __bb_pad%u[%u];\n", d->npad++, t->size);
		}
	} else if (round_up(max_end, (uint64_t)salign * 8) < (uint64_t)t->size * 8) {
		emit_pad(d, s, max_end, (uint64_t)t->size * 8, lvl + 1);
	}
	sb_indent(s, lvl);
	sb_add(s, "}");
	if (packed)
		sb_add(s, " __attribute__((packed))");
}

/* Smallest natural size of an enum with these values, as clang picks it
 * (int if every value fits int or unsigned int, else 8 bytes). */
static uint32_t enum_natural_size(const struct btf_type *t)
{
	if (bbtf_kind(t) == BTF_KIND_ENUM)
		return 4;
	for (int i = 0; i < bbtf_vlen(t); i++) {
		int64_t v = bbtf_enum64_val(&bbtf_enums64(t)[i]);

		if (bbtf_kflag(t) ? (v < INT32_MIN || v > (int64_t)UINT32_MAX)
				  : ((uint64_t)v > UINT32_MAX))
			return 8;
	}
	return 4;
}

static void emit_enum_value(struct sb *s, const struct btf_type *t, int i)
{
	if (bbtf_kind(t) == BTF_KIND_ENUM) {
		int32_t v = bbtf_enums(t)[i].val;

		if (!bbtf_kflag(t) && (uint32_t)v > INT32_MAX)
			sb_add(s, "%uU", (uint32_t)v);
		else if (!bbtf_kflag(t))
			sb_add(s, "%u", (uint32_t)v);
		else if (v == INT32_MIN)
			sb_add(s, "(-2147483647 - 1)");   /* 2147483648 alone is a long */
		else
			sb_add(s, "%d", v);
	} else {
		int64_t v = bbtf_enum64_val(&bbtf_enums64(t)[i]);

		if (!bbtf_kflag(t))
			sb_add(s, "%" PRIu64 "ULL", (uint64_t)v);
		else if (v == INT64_MIN)
			sb_add(s, "(-9223372036854775807LL - 1)");
		else
			sb_add(s, "%" PRId64 "LL", v);
	}
}

static void emit_enum_body(struct dump *d, struct sb *s, uint32_t id, int lvl)
{
	const struct btf_type *t = T(d, id);
	bool is64 = bbtf_kind(t) == BTF_KIND_ENUM64;
	char nbuf[160];

	sb_add(s, "enum");
	if (*raw_name(d, id))
		sb_add(s, " %s", type_name(d, id, nbuf, sizeof(nbuf)));
	sb_add(s, " {\n");
	for (int i = 0; i < bbtf_vlen(t); i++) {
		uint32_t noff = is64 ? bbtf_enums64(t)[i].name_off : bbtf_enums(t)[i].name_off;
		const char *vname = bbtf_name(d->b, noff);
		int c = nmap_claim(&d->idents, vname);

		if (c < 0) {
			dump_fail(d, c, id, "out of memory");
			return;
		}
		sb_indent(s, lvl + 1);
		if (c > 1)
			sb_add(s, "%s___%d = ", vname, c);
		else
			sb_add(s, "%s = ", vname);
		emit_enum_value(s, t, i);
		sb_add(s, ",\n");
	}
	sb_indent(s, lvl);
	sb_add(s, "}");
	/* An enum of another size than its values give (packed, or forced
	 * wide) keeps its size through a machine mode. */
	if (t->size != enum_natural_size(t)) {
		static const char *const modes[] = { "", "QI", "HI", "", "SI", "", "", "", "DI" };

		if (t->size <= 8 && *modes[t->size])
			sb_add(s, " __attribute__((mode(%s)))", modes[t->size]);
	}
}

/* ---------------------------------------------------------------- */
/* Ordering                                                          */
/* ---------------------------------------------------------------- */

static int flush(struct dump *d, struct sb *s)
{
	if (s->err)
		return dump_fail(d, s->err, 0, "out of memory");
	if (s->len && fwrite(s->p, 1, s->len, d->out) != s->len)
		return dump_fail(d, -EIO, 0, "write error");
	s->len = 0;
	return 0;
}

static int write_fwd(struct dump *d, uint32_t id)
{
	struct sb s = { 0 };
	char nbuf[160];
	int ret;

	sb_add(&s, "%s %s;\n\n", tag_kw(T(d, id)), type_name(d, id, nbuf, sizeof(nbuf)));
	ret = flush(d, &s);
	free(s.p);
	d->st[id] |= ST_DECLARED;
	return ret;
}

static int write_def(struct dump *d, uint32_t id)
{
	const struct btf_type *t = T(d, id);
	struct sb s = { 0 };
	char nbuf[160];
	int k = bbtf_kind(t), ret;

	if (k == BTF_KIND_TYPEDEF) {
		sb_add(&s, "typedef ");
		emit_decl(d, &s, t->type, type_name(d, id, nbuf, sizeof(nbuf)), 0);
		emit_decl_tags(d, &s, id, -1);
	} else if (k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64) {
		emit_enum_body(d, &s, id, 0);
	} else {
		emit_struct_body(d, &s, id, 0);
	}
	sb_add(&s, ";\n\n");
	ret = d->err ? d->err : flush(d, &s);
	free(s.p);
	d->st[id] |= ST_DONE | ST_DECLARED;
	return ret;
}

static int walk(struct dump *d, uint32_t id, bool through_ptr);

static int walk_members(struct dump *d, const struct btf_type *t)
{
	int ret = 0;

	for (int i = 0; i < bbtf_vlen(t) && !ret; i++)
		ret = walk(d, bbtf_members(t)[i].type, false);
	return ret;
}

static int walk_anon(struct dump *d, uint32_t id, bool through_ptr)
{
	const struct btf_type *t = T(d, id);
	uint8_t flag = through_ptr ? ST_WALKED_PTR : ST_WALKED_VAL;
	int ret = 0;

	if (d->st[id] & (flag | ST_WALKED_VAL))
		return 0;
	switch (bbtf_kind(t)) {
	case BTF_KIND_PTR:
		ret = walk(d, t->type, true);
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		ret = walk(d, t->type, through_ptr);
		break;
	case BTF_KIND_ARRAY:
		ret = walk(d, bbtf_array(t)->type, through_ptr);
		break;
	case BTF_KIND_FUNC_PROTO:
		ret = walk(d, t->type, through_ptr);
		for (int i = 0; i < bbtf_vlen(t) && !ret; i++)
			ret = walk(d, bbtf_params(t)[i].type, through_ptr);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		/* Spelled out inline, so its members are needed by value
		 * wherever it appears. */
		ret = walk_members(d, t);
		break;
	default:
		break;
	}
	if (!ret)
		d->st[id] |= flag;
	return ret;
}

static int walk(struct dump *d, uint32_t id, bool through_ptr)
{
	const struct btf_type *t = T(d, id);
	int k = bbtf_kind(t), ret = 0;
	bool named = *raw_name(d, id) != '\0';

	if (d->err)
		return d->err;
	if (++d->depth > DUMP_DEPTH_MAX) {
		ret = dump_fail(d, -E2BIG, id, "type [%u] nests too deep to write as C", id);
		goto out;
	}
	switch (k) {
	case BTF_KIND_UNKN:
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (!named) {
			ret = walk_anon(d, id, through_ptr);
			break;
		}
		if (d->st[id] & ST_DONE)
			break;
		if (through_ptr) {
			if (!(d->st[id] & ST_DECLARED))
				ret = write_fwd(d, id);
			break;
		}
		if (d->st[id] & ST_VISITING) {
			ret = dump_fail(d, -EINVAL, id, "needs itself by value; not expressible in C");
			break;
		}
		d->st[id] |= ST_VISITING;
		ret = walk_members(d, t);
		if (!ret)
			ret = write_def(d, id);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (named && !(d->st[id] & ST_DONE))
			ret = write_def(d, id);
		break;
	case BTF_KIND_FWD: {
		uint32_t r = fwd_resolve(d, id);

		if (r != id)
			ret = walk(d, r, true);
		else if (!(d->st[id] & ST_DECLARED))
			ret = write_fwd(d, id);
		break;
	}
	case BTF_KIND_TYPEDEF:
		if (d->st[id] & ST_DONE) {
			ret = walk(d, t->type, through_ptr);
			break;
		}
		if (d->st[id] & ST_VISITING) {
			/* Met again while its target is being walked: it can be
			 * written once the target is merely declared. */
			if (d->st[id] & ST_REENTERED) {
				ret = dump_fail(d, -EINVAL, id, "refers to itself; not expressible in C");
				break;
			}
			d->st[id] |= ST_REENTERED;
			ret = walk(d, t->type, true);
		} else {
			d->st[id] |= ST_VISITING;
			ret = walk(d, t->type, through_ptr);
		}
		if (!ret && !(d->st[id] & ST_DONE))
			ret = write_def(d, id);
		break;
	default:
		ret = walk_anon(d, id, through_ptr);
		break;
	}
out:
	d->depth--;
	return ret;
}

static int dump_setup(struct dump *d)
{
	d->n = bbtf_type_cnt(d->b);
	d->st = calloc(d->n, 1);
	d->dup = calloc(d->n, sizeof(*d->dup));
	d->tag_head = calloc(d->n, sizeof(*d->tag_head));
	d->tag_next = calloc(d->n, sizeof(*d->tag_next));
	if (!d->st || !d->dup || !d->tag_head || !d->tag_next)
		return dump_fail(d, -ENOMEM, 0, "out of memory");
	for (uint32_t id = 1; id < d->n; id++) {
		const struct btf_type *t = T(d, id);
		uint32_t refs[2] = { 0, 0 };

		if (bbtf_kind(t) == BTF_KIND_DECL_TAG && t->type < d->n) {
			d->tag_next[id] = d->tag_head[t->type];
			d->tag_head[t->type] = id + 1;
		}
		/* Anonymous enums used by some type are written inline there;
		 * the rest are written on their own for their constants. */
		switch (bbtf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (int i = 0; i < bbtf_vlen(t); i++)
				if (bbtf_members(t)[i].type < d->n)
					d->st[bbtf_members(t)[i].type] |= ST_REFERENCED;
			break;
		case BTF_KIND_FUNC_PROTO:
			for (int i = 0; i < bbtf_vlen(t); i++)
				if (bbtf_params(t)[i].type < d->n)
					d->st[bbtf_params(t)[i].type] |= ST_REFERENCED;
			refs[0] = t->type;
			break;
		case BTF_KIND_ARRAY:
			refs[0] = bbtf_array(t)->type;
			break;
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			refs[0] = t->type;
			break;
		default:
			break;
		}
		if (refs[0] < d->n)
			d->st[refs[0]] |= ST_REFERENCED;
	}
	return 0;
}

int bbtf_dump_c(const struct bbtf *btf, FILE *out, const struct bbtf_dump_opts *opts,
		struct bb_err *e)
{
	struct dump d = { .b = btf, .out = out, .e = e };
	const char *guard;
	int ret = 0;

	if (opts)
		d.o = *opts;
	guard = d.o.guard ? d.o.guard : "__VMLINUX_H__";
	if (dump_setup(&d))
		goto out;
	if (!d.o.no_guard)
		fprintf(out, "#ifndef %s\n#define %s\n\n", guard, guard);
	if (!d.o.no_preserve_access_index)
		fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			     "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
			     "#endif\n\n");
	for (uint32_t id = 1; id < d.n && !d.err; id++) {
		const struct btf_type *t = T(&d, id);
		bool named = *raw_name(&d, id) != '\0';

		switch (bbtf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_TYPEDEF:
			if (named)
				walk(&d, id, false);
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (named)
				walk(&d, id, false);
			else if (!(d.st[id] & (ST_REFERENCED | ST_DONE)))
				write_def(&d, id);
			break;
		case BTF_KIND_FWD:
			walk(&d, id, true);
			break;
		default:
			break;
		}
	}
	if (d.err)
		goto out;
	if (!d.o.no_preserve_access_index)
		fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n");
	if (!d.o.no_guard)
		fprintf(out, "#endif /* %s */\n", guard);
	if (ferror(out) || fflush(out))
		dump_fail(&d, -EIO, 0, "write error");
out:
	ret = d.err;
	free(d.st);
	free(d.dup);
	free(d.tag_head);
	free(d.tag_next);
	nmap_free(&d.tags);
	nmap_free(&d.idents);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Raw listing                                                       */
/* ---------------------------------------------------------------- */

static const char *linkage_str(uint32_t l)
{
	return l == 0 ? "static" : l == 1 ? "global" : l == 2 ? "extern" : "?";
}

static void raw_type(const struct bbtf *b, struct sb *s, uint32_t id)
{
	const struct btf_type *t = bbtf_type_by_id(b, id);
	const char *name = bbtf_name(b, t->name_off);
	int k = bbtf_kind(t);

	sb_add(s, "[%u] %s '%s'", id, bbtf_kind_str(k), name && *name ? name : "(anon)");
	switch (k) {
	case BTF_KIND_INT: {
		uint32_t v = bbtf_int_data(t), enc = BTF_INT_ENCODING(v);

		sb_add(s, " size=%u bits_offset=%u nr_bits=%u encoding=%s\n", t->size,
		       BTF_INT_OFFSET(v), BTF_INT_BITS(v),
		       enc & BTF_INT_SIGNED ? "SIGNED" : enc & BTF_INT_CHAR ? "CHAR" :
		       enc & BTF_INT_BOOL ? "BOOL" : "(none)");
		break;
	}
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		sb_add(s, " type_id=%u\n", t->type);
		break;
	case BTF_KIND_ARRAY:
		sb_add(s, " type_id=%u index_type_id=%u nr_elems=%u\n", bbtf_array(t)->type,
		       bbtf_array(t)->index_type, bbtf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		sb_add(s, " size=%u vlen=%u\n", t->size, bbtf_vlen(t));
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const struct btf_member *m = &bbtf_members(t)[i];
			const char *mn = bbtf_name(b, m->name_off);

			sb_add(s, "\t'%s' type_id=%u bits_offset=%u", mn && *mn ? mn : "(anon)",
			       m->type, bbtf_member_bit_offset(t, i));
			if (bbtf_member_bitfield_size(t, i))
				sb_add(s, " bitfield_size=%u", bbtf_member_bitfield_size(t, i));
			sb_add(s, "\n");
		}
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		sb_add(s, " encoding=%s size=%u vlen=%u\n", bbtf_kflag(t) ? "SIGNED" : "UNSIGNED",
		       t->size, bbtf_vlen(t));
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const char *vn;

			if (k == BTF_KIND_ENUM) {
				vn = bbtf_name(b, bbtf_enums(t)[i].name_off);
				if (bbtf_kflag(t))
					sb_add(s, "\t'%s' val=%d\n", vn ? vn : "", bbtf_enums(t)[i].val);
				else
					sb_add(s, "\t'%s' val=%u\n", vn ? vn : "", (uint32_t)bbtf_enums(t)[i].val);
			} else {
				int64_t v = bbtf_enum64_val(&bbtf_enums64(t)[i]);

				vn = bbtf_name(b, bbtf_enums64(t)[i].name_off);
				if (bbtf_kflag(t))
					sb_add(s, "\t'%s' val=%" PRId64 "LL\n", vn ? vn : "", v);
				else
					sb_add(s, "\t'%s' val=%" PRIu64 "ULL\n", vn ? vn : "", (uint64_t)v);
			}
		}
		break;
	case BTF_KIND_FWD:
		sb_add(s, " fwd_kind=%s\n", bbtf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		sb_add(s, " type_id=%u linkage=%s\n", t->type, linkage_str(bbtf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		sb_add(s, " ret_type_id=%u vlen=%u\n", t->type, bbtf_vlen(t));
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const char *pn = bbtf_name(b, bbtf_params(t)[i].name_off);

			sb_add(s, "\t'%s' type_id=%u\n", pn && *pn ? pn : "(anon)",
			       bbtf_params(t)[i].type);
		}
		break;
	case BTF_KIND_VAR:
		sb_add(s, " type_id=%u, linkage=%s\n", t->type, linkage_str(bbtf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		sb_add(s, " size=%u vlen=%u\n", t->size, bbtf_vlen(t));
		for (int i = 0; i < bbtf_vlen(t); i++) {
			const struct btf_var_secinfo *v = &bbtf_secinfos(t)[i];

			const struct btf_type *vt = bbtf_type_by_id(b, v->type);
			const char *vn = vt ? bbtf_name(b, vt->name_off) : NULL;

			sb_add(s, "\ttype_id=%u offset=%u size=%u (%s '%s')\n", v->type, v->offset,
			       v->size, vt ? bbtf_kind_str(bbtf_kind(vt)) : "?", vn ? vn : "");
		}
		break;
	case BTF_KIND_FLOAT:
		sb_add(s, " size=%u\n", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		sb_add(s, " type_id=%u component_idx=%d\n", t->type,
		       bbtf_decl_tag(t)->component_idx);
		break;
	default:
		sb_add(s, "\n");
		break;
	}
}

int bbtf_dump_raw(const struct bbtf *btf, FILE *out, struct bb_err *e)
{
	struct sb s = { 0 };
	int ret = 0;

	for (uint32_t id = bbtf_start_id(btf); id < bbtf_type_cnt(btf); id++) {
		raw_type(btf, &s, id);
		if (s.err) {
			ret = bb_err_insn(e, s.err, -1, "out of memory");
			break;
		}
		/* Flush in chunks: vmlinux's listing is tens of megabytes. */
		if (s.len > 65536 || id + 1 == bbtf_type_cnt(btf)) {
			if (fwrite(s.p, 1, s.len, out) != s.len) {
				ret = bb_err_insn(e, -EIO, -1, "write error");
				break;
			}
			s.len = 0;
		}
	}
	free(s.p);
	if (!ret && fflush(out))
		ret = bb_err_insn(e, -EIO, -1, "write error");
	return ret;
}
