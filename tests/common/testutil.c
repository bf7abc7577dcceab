/* SPDX-License-Identifier: MIT */
#include "tests/common/testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb.h"

const char *tu_conformance_dir(void)
{
	const char *d = getenv("BAREBPF_CONFORMANCE_DIR");

	return d && *d ? d : "../shared/conformance";
}

const char *tu_repo_path(const char *rel, char *buf, size_t size)
{
	const char *root = getenv("BAREBPF_ROOT");

	snprintf(buf, size, "%s/%s", root && *root ? root : ".", rel);
	return buf;
}

int tu_conf_load(struct tu_conf **out)
{
	char path[4096], *text, *line, *save = NULL;
	struct bb_vec v;
	long len;

	snprintf(path, sizeof(path), "%s/reference.txt", tu_conformance_dir());
	len = bb_read_file(path, &text, NULL);
	if (len < 0)
		return (int)len;
	bb_vec_init(&v, sizeof(struct tu_conf));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { 0 }, *p = line;
		struct tu_conf *t;
		long n;

		for (int i = 0; i < 4; i++) {
			f[i] = p;
			p = strchr(p, '|');
			if (!p && i < 3)
				goto bad;
			if (p)
				*p++ = '\0';
		}
		t = bb_vec_push(&v, NULL);
		if (!t)
			goto bad;
		snprintf(t->name, sizeof(t->name), "%s", f[0]);
		n = bb_hex_parse(f[1], &t->prog, NULL);
		if (n < 0)
			goto bad;
		t->prog_len = (size_t)n;
		n = bb_hex_parse(f[2], &t->mem, NULL);
		if (n < 0)
			goto bad;
		t->mem_len = (size_t)n;
		if (!n) {
			free(t->mem);
			t->mem = NULL;
		}
		t->result = strtoull(f[3], NULL, 0);
	}
	free(text);
	*out = v.data;
	return (int)v.len;
bad:
	free(text);
	tu_conf_free(v.data, (int)v.len);
	return -EINVAL;
}

void tu_conf_free(struct tu_conf *tests, int n)
{
	if (!tests)
		return;
	for (int i = 0; i < n; i++) {
		free(tests[i].prog);
		free(tests[i].mem);
	}
	free(tests);
}
