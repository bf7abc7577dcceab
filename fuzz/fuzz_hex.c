/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the hex parser used for --mem, plugin input and .data. */
#include <stdlib.h>
#include <string.h>

#include "common/bb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	uint8_t *out = NULL;
	struct bb_err e;
	long n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bb_err_clear(&e);
	n = bb_hex_parse(text, &out, &e);
	if (n < 0 && (out || !e.msg[0]))
		abort();        /* failure leaves nothing to free and says why */
	if (n > (long)size / 2 + 1)
		abort();        /* two digits per byte at least */
	free(out);
	free(text);
	return 0;
}
