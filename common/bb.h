/* SPDX-License-Identifier: MIT */
/*
 * common/bb.h - what every barebpf module shares: the error record and a
 * growable array.
 *
 * Library code never prints and never exits.  A function that can fail
 * returns 0 (or a count) on success and a negative errno on failure, and,
 * when the caller passes one, fills a struct bb_err that says where: the
 * file, the section, the instruction index or the source line.  Only cli/
 * turns the record into text for a person (bb_err_str()).
 */
#ifndef BAREBPF_COMMON_BB_H
#define BAREBPF_COMMON_BB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BB_ERR_MSG_MAX 256
#define BB_ERR_NAME_MAX 128

/* Where and why something failed.  Owned by the caller; plain data. */
struct bb_err {
	int code;                       /* negative errno, 0 = no error */
	int insn;                       /* instruction index, -1 if none */
	int line;                       /* 1-based source line, 0 if none */
	char file[BB_ERR_NAME_MAX];     /* "" if none */
	char section[BB_ERR_NAME_MAX];  /* "" if none */
	char msg[BB_ERR_MSG_MAX];
};

/* Reset to "no error, no location". NULL-safe. */
void bb_err_clear(struct bb_err *e);

/*
 * Record an error at instruction @insn (-1 for none) and return @code, so
 * callers can write `return bb_err_insn(e, -EINVAL, i, "...")`.
 * NULL-safe: with e == NULL only @code is returned.  The location fields
 * already set (file, section, line) are kept.
 */
int bb_err_insn(struct bb_err *e, int code, int insn, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int bb_err_line(struct bb_err *e, int code, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int bb_err_vset(struct bb_err *e, int code, int insn, int line,
		const char *fmt, va_list ap);
void bb_err_set_file(struct bb_err *e, const char *file);
void bb_err_set_section(struct bb_err *e, const char *section);

/*
 * One line a person can act on:
 *   "prog.o: section 'xdp': insn 17: invalid mem access 'scalar'"
 *   "prog.s:12: unknown mnemonic 'mvo'"
 * Writes into @buf (always NUL-terminated) and returns it.
 */
const char *bb_err_str(const struct bb_err *e, char *buf, size_t size);

/*
 * calloc() for the hot paths: @n * @size zeroed bytes, NULL on overflow
 * or no memory.  glibc's calloc() skips its per-thread cache, so opening
 * an object spent ~600 instructions per calloc() against ~100 for a
 * malloc() from the cache and a memset().
 */
void *bb_zalloc(size_t n, size_t size);

/*
 * Growable array of fixed-size elements: the one dynamic-array helper.
 * Zero-initialise, push, and bb_vec_free() when done.
 */
struct bb_vec {
	void *data;
	size_t len;     /* elements in use */
	size_t cap;     /* elements allocated */
	size_t elem;    /* element size, set by bb_vec_init() */
};

void bb_vec_init(struct bb_vec *v, size_t elem);
/* Append one element (copied from @item, or zeroed if NULL); returns a
 * pointer to the new element or NULL on allocation failure. */
void *bb_vec_push(struct bb_vec *v, const void *item);
int bb_vec_reserve(struct bb_vec *v, size_t n);
void bb_vec_free(struct bb_vec *v);
#define bb_vec_at(v, type, i) (&((type *)(v)->data)[i])

/*
 * Parse whitespace-separated hex bytes ("b7 00 00 00", "0xb7,0x00" or
 * "b7000000").  On success *out is a malloc'ed buffer the caller frees
 * and the byte count is returned; -EINVAL names the offending token
 * position in @e.
 */
long bb_hex_parse(const char *text, uint8_t **out, struct bb_err *e);

/* Read a whole file into a malloc'ed, NUL-terminated buffer. */
long bb_read_file(const char *path, char **out, struct bb_err *e);

#define BB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
