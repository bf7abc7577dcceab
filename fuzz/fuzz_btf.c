/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as raw BTF.  Whatever bbtf_parse()
 * accepts must be safe to use: every type is walked through the public
 * accessors (sizes, alignment, lookups by name), dumped as C and as a raw
 * listing, sanitized for the oldest kernel, and written back out, where
 * the bytes must parse again.  A rejection must say why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_all(const struct bbtf *b)
{
	for (uint32_t id = 0; id < bbtf_type_cnt(b); id++) {
		const struct btf_type *t = bbtf_type_by_id(b, id);
		const char *name = bbtf_type_name(b, id);

		if (!t || !name)
			abort();        /* validated ids and names resolve */
		bbtf_resolve_size(b, id);
		bbtf_align(b, id);
		bbtf_skip_mods(b, id);
		if (*name && bbtf_find_by_name_kind(b, name, bbtf_kind(t)) <= 0)
			abort();        /* every named type is in the index */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bbtf *b = NULL, *again = NULL;
	struct bb_err e;
	char *text = NULL;
	size_t len = 0, raw_len = 0;
	const void *raw;
	void *san = NULL;
	FILE *f;

	bb_err_clear(&e);
	if (bbtf_parse(data, size, NULL, &b, &e)) {
		if (b || !e.msg[0])
			abort();
		return 0;
	}
	walk_all(b);
	f = open_memstream(&text, &len);
	if (f) {
		bbtf_dump_c(b, f, NULL, &e);
		bbtf_dump_raw(b, f, &e);
		fclose(f);
		free(text);
	}
	if (!bbtf_sanitize(b, 0, &san, &raw_len, &e))
		free(san);
	raw = bbtf_raw_data(b, &raw_len);
	if (!raw || bbtf_parse(raw, raw_len, NULL, &again, &e))
		abort();        /* what we accept, we write back acceptably */
	bbtf_free(again);
	bbtf_free(b);
	return 0;
}
