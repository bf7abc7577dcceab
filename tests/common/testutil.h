/* SPDX-License-Identifier: MIT */
/* Shared test helpers: the conformance suite's reference programs. */
#ifndef BAREBPF_TESTS_TESTUTIL_H
#define BAREBPF_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* One line of ../shared/conformance/reference.txt. */
struct tu_conf {
	char name[128];
	uint8_t *prog;          /* program bytes as the suite's assembler made them */
	size_t prog_len;
	uint8_t *mem;           /* NULL when the test has no memory */
	size_t mem_len;
	uint64_t result;        /* expected r0 */
};

/* $BAREBPF_CONFORMANCE_DIR, or ../shared/conformance. */
const char *tu_conformance_dir(void);
/* Path of a file in the repository ($BAREBPF_ROOT or "."). */
const char *tu_repo_path(const char *rel, char *buf, size_t size);
/* Load every reference.txt entry; returns the count, or -errno. */
int tu_conf_load(struct tu_conf **out);
void tu_conf_free(struct tu_conf *tests, int n);

#endif
