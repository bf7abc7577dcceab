/* SPDX-License-Identifier: MIT */
/* Sanitizing for older kernels: one test per rewrite. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/btf/btf_test.h"

/* Sanitize @b without @missing and parse the result (our validator must
 * accept it: the rewrites produce well-formed older BTF). */
static struct bbtf *sanitized(const struct bbtf *b, unsigned int missing)
{
	struct bbtf *out = NULL;
	struct bb_err e;
	void *raw = NULL;
	size_t size = 0;

	bb_err_clear(&e);
	cr_assert_eq(bbtf_sanitize(b, BBTF_FEAT_ALL & ~missing, &raw, &size, &e), 0, "%s", e.msg);
	cr_assert_eq(bbtf_parse(raw, size, NULL, &out, &e), 0, "sanitized BTF rejected: %s", e.msg);
	/* Same number of types (plus the ENUM64 placeholder at most). */
	cr_assert_geq(bbtf_type_cnt(out), bbtf_type_cnt(b));
	free(raw);
	return out;
}

static const struct btf_type *ty(const struct bbtf *b, uint32_t id)
{
	return bbtf_type_by_id(b, id);
}

Test(btf_sanitize, all_features_is_identity)
{
	struct bbtf *b = bt_new_int();
	const void *orig;
	void *raw = NULL;
	size_t size, osize;

	bbtf_add_float(b, "double", 8);
	bbtf_add_type_tag(b, "user", 1);
	orig = bbtf_raw_data(b, &osize);
	cr_assert_eq(bbtf_sanitize(b, BBTF_FEAT_ALL, &raw, &size, NULL), 0);
	cr_assert_eq(size, osize);
	cr_assert(!memcmp(raw, orig, size));
	free(raw);
	bbtf_free(b);
}

Test(btf_sanitize, var_and_datasec)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;

	bbtf_add_var(b, "counter", BTF_VAR_GLOBAL_ALLOCATED, 1);       /* 2 */
	bbtf_add_var(b, "limit", BTF_VAR_STATIC, 1);                   /* 3 */
	bbtf_add_datasec(b, ".data.rel", 8);                            /* 4 */
	bbtf_add_secinfo(b, 2, 0, 4);
	bbtf_add_secinfo(b, 3, 4, 4);
	bbtf_add_datasec(b, "?.bss", 0);                                /* 5 */
	s = sanitized(b, BBTF_FEAT_DATASEC);
	t = ty(s, 2);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_INT);
	cr_assert_eq(t->size, 1);
	cr_assert_eq(bbtf_int_data(t), 8);
	cr_assert_str_eq(bbtf_name(s, t->name_off), "counter");
	t = ty(s, 4);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_STRUCT);
	cr_assert_str_eq(bbtf_name(s, t->name_off), "_data_rel");
	cr_assert_eq(t->size, 8);
	cr_assert_eq(bbtf_vlen(t), 2);
	cr_assert_str_eq(bbtf_name(s, bbtf_members(t)[1].name_off), "limit");
	cr_assert_eq(bbtf_members(t)[1].type, 3);
	cr_assert_eq(bbtf_members(t)[1].offset, 32);
	cr_assert_str_eq(bbtf_type_name(s, 5), "__bss");
	/* The original is untouched. */
	cr_assert_eq(bbtf_kind(ty(b, 4)), BTF_KIND_DATASEC);
	cr_assert_str_eq(bbtf_type_name(b, 4), ".data.rel");
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, qmark_datasec_only)
{
	struct bbtf *b = bt_new_int(), *s;

	bbtf_add_datasec(b, "?.rodata", 0);
	s = sanitized(b, BBTF_FEAT_QMARK_DATASEC);
	cr_assert_eq(bbtf_kind(ty(s, 2)), BTF_KIND_DATASEC);
	cr_assert_str_eq(bbtf_type_name(s, 2), "_.rodata");
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, func_and_proto)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;

	bbtf_add_func_proto(b, 1);                                      /* 2 */
	bbtf_add_param(b, "a", 1);
	bbtf_add_param(b, "b", 1);
	bbtf_add_func(b, "f", BTF_FUNC_GLOBAL, 2);                      /* 3 */
	s = sanitized(b, BBTF_FEAT_FUNC);
	t = ty(s, 2);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_ENUM);
	cr_assert_eq(t->size, 4);
	cr_assert_eq(bbtf_vlen(t), 2);
	cr_assert_str_eq(bbtf_name(s, bbtf_enums(t)[1].name_off), "b");
	t = ty(s, 3);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_TYPEDEF);
	cr_assert_eq(t->type, 2);
	cr_assert_str_eq(bbtf_name(s, t->name_off), "f");
	bbtf_free(s);

	s = sanitized(b, BBTF_FEAT_FUNC_GLOBAL);
	t = ty(s, 3);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_FUNC);
	cr_assert_eq(bbtf_vlen(t), BTF_FUNC_STATIC);
	cr_assert_eq(bbtf_kind(ty(s, 2)), BTF_KIND_FUNC_PROTO);
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, float)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;

	bbtf_add_float(b, "double", 8);
	s = sanitized(b, BBTF_FEAT_FLOAT);
	t = ty(s, 2);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_STRUCT);
	cr_assert_eq(t->name_off, 0);
	cr_assert_eq(t->size, 8);
	cr_assert_eq(bbtf_vlen(t), 0);
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, decl_tag)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;

	bbtf_add_struct(b, "st", 4);
	bbtf_add_member(b, "x", 1, 0, 0);
	bbtf_add_decl_tag(b, "percpu", 2, 0);
	s = sanitized(b, BBTF_FEAT_DECL_TAG);
	t = ty(s, 3);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_INT);
	cr_assert_eq(t->size, 1);
	cr_assert_eq(bbtf_int_data(t), 8);
	cr_assert_str_eq(bbtf_name(s, t->name_off), "percpu");
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, type_tag)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;

	bbtf_add_type_tag(b, "user", 1);
	bbtf_add_ptr(b, 2);
	s = sanitized(b, BBTF_FEAT_TYPE_TAG);
	t = ty(s, 2);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_CONST);
	cr_assert_eq(t->name_off, 0);
	cr_assert_eq(t->type, 1);
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, enum64_and_signed_enum)
{
	struct bbtf *b = bt_new_int(), *s;
	const struct btf_type *t;
	uint32_t ph;

	bbtf_add_enum(b, "sgn", 4, true);                               /* 2 */
	bbtf_add_enum_value(b, "NEG", -1);
	bbtf_add_enum64(b, "wide", 8, false);                           /* 3 */
	bbtf_add_enum_value(b, "W1", 1ll << 40);
	bbtf_add_enum_value(b, "W2", 7);
	bbtf_add_enum64(b, "wide2", 8, true);                           /* 4 */
	bbtf_add_enum_value(b, "W3", -2);
	s = sanitized(b, BBTF_FEAT_ENUM64);
	cr_assert_eq(bbtf_type_cnt(s), bbtf_type_cnt(b) + 1);
	ph = bbtf_type_cnt(b);
	t = ty(s, ph);
	cr_assert_eq(bbtf_kind(t), BTF_KIND_INT);
	cr_assert_eq(t->size, 1);
	cr_assert_str_eq(bbtf_name(s, t->name_off), "enum64_placeholder");
	cr_assert_not(bbtf_kflag(ty(s, 2)));
	cr_assert_eq(bbtf_kind(ty(s, 2)), BTF_KIND_ENUM);
	for (uint32_t id = 3; id <= 4; id++) {
		t = ty(s, id);
		cr_assert_eq(bbtf_kind(t), BTF_KIND_UNION);
		cr_assert_eq(t->size, 8);
		for (int i = 0; i < bbtf_vlen(t); i++) {
			cr_assert_eq(bbtf_members(t)[i].type, ph);
			cr_assert_eq(bbtf_members(t)[i].offset, 0);
		}
	}
	cr_assert_str_eq(bbtf_name(s, bbtf_members(ty(s, 3))[1].name_off), "W2");
	bbtf_free(s);
	bbtf_free(b);
}

Test(btf_sanitize, oldest_kernel_keeps_ids)
{
	struct bbtf *b = bt_new_int(), *s;
	void *raw = NULL;
	size_t size;

	bbtf_add_float(b, "float", 4);
	bbtf_add_func_proto(b, 1);
	bbtf_add_param(b, "x", 1);
	bbtf_add_func(b, "main", BTF_FUNC_GLOBAL, 3);
	bbtf_add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	bbtf_add_datasec(b, ".data", 4);
	bbtf_add_secinfo(b, 5, 0, 4);
	bbtf_add_decl_tag(b, "t", 4, -1);
	bbtf_add_type_tag(b, "rcu", 1);
	bbtf_add_enum64(b, "e", 8, false);
	bbtf_add_enum_value(b, "E", 1);
	s = sanitized(b, BBTF_FEAT_ALL);
	for (uint32_t id = 1; id < bbtf_type_cnt(b); id++) {
		int k = bbtf_kind(ty(s, id));

		cr_assert(k == BTF_KIND_INT || k == BTF_KIND_PTR || k == BTF_KIND_ARRAY ||
			  k == BTF_KIND_STRUCT || k == BTF_KIND_UNION || k == BTF_KIND_ENUM ||
			  k == BTF_KIND_FWD || k == BTF_KIND_TYPEDEF || k == BTF_KIND_CONST ||
			  k == BTF_KIND_VOLATILE || k == BTF_KIND_RESTRICT,
			  "type [%u] is still %s", id, bbtf_kind_str(k));
		/* Every record keeps its size, so ids and offsets hold. */
		cr_assert_eq(bbtf_vlen(ty(s, id)) == bbtf_vlen(ty(b, id)) ||
			     bbtf_kind(ty(b, id)) == BTF_KIND_FUNC, 1);
	}
	bbtf_free(s);
	/* And out of memory paths do not leak: NULL error record is fine. */
	cr_assert_eq(bbtf_sanitize(b, 0, &raw, &size, NULL), 0);
	free(raw);
	bbtf_free(b);
}
