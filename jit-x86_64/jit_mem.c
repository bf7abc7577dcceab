/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit_mem.c - the image's memory, W^X: an anonymous private
 * mapping is written while it is read+write, then mprotect()ed to
 * read+exec before anything can run it, and unmapped with the program.
 * The slack after the code up to the page end is filled with int3.
 *
 * The code does not start the mapping: JIT_IMAGE_HEAD bytes of int3 come
 * first.  C calls the image's entry through a function pointer, and
 * clang's -fsanitize=function (part of -fsanitize=undefined since clang
 * 17) reads the 8 bytes before any indirectly called function, looking
 * for its signature word; at the first byte of a mapping that read faults
 * whenever the page below is unmapped.  int3 bytes are readable and never
 * the signature, so the check is skipped, as for any uninstrumented code.
 */
#include "jit-x86_64/jit_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int jit_mem_install(struct jit_prog *jp, const uint8_t *code, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (JIT_IMAGE_HEAD + size + (size_t)page - 1) & ~((size_t)page - 1);
	uint8_t *m;

	if (!size)
		return -EINVAL;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	memset(m, 0xcc, len);
	memcpy(m + JIT_IMAGE_HEAD, code, size);
	if (mprotect(m, len, PROT_READ | PROT_EXEC)) {
		int err = -errno;

		munmap(m, len);
		return err;
	}
	jp->image = m + JIT_IMAGE_HEAD;
	jp->image_size = size;
	jp->map_size = len;
	return 0;
}

void jit_mem_release(struct jit_prog *jp)
{
	/* The mapping starts JIT_IMAGE_HEAD bytes before the code; test
	 * image first, as NULL - JIT_IMAGE_HEAD is no pointer. */
	if (jp->image)
		munmap(jp->image - JIT_IMAGE_HEAD, jp->map_size);
	jp->image = NULL;
	jp->image_size = jp->map_size = 0;
}
