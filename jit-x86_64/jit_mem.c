/* SPDX-License-Identifier: MIT */
/*
 * jit-x86_64/jit_mem.c - the image's memory, W^X: an anonymous private
 * mapping is written while it is read+write, then mprotect()ed to
 * read+exec before anything can run it, and unmapped with the program.
 * The slack after the code up to the page end is filled with int3.
 */
#include "jit-x86_64/jit_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int jit_mem_install(struct jit_prog *jp, const uint8_t *code, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size + (size_t)page - 1) & ~((size_t)page - 1);
	void *m;

	if (!len)
		return -EINVAL;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	memcpy(m, code, size);
	memset((uint8_t *)m + size, 0xcc, len - size);
	if (mprotect(m, len, PROT_READ | PROT_EXEC)) {
		int err = -errno;

		munmap(m, len);
		return err;
	}
	jp->image = m;
	jp->image_size = size;
	jp->map_size = len;
	return 0;
}

void jit_mem_release(struct jit_prog *jp)
{
	if (jp->image)
		munmap(jp->image, jp->map_size);
	jp->image = NULL;
	jp->image_size = jp->map_size = 0;
}
