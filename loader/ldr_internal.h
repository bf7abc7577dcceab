/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_internal.h - what the loader's files share and its users do
 * not see: fd hygiene, option copying, kernel object names and the
 * verifier/BTF log machinery.
 */
#ifndef BAREBPF_LOADER_LDR_INTERNAL_H
#define BAREBPF_LOADER_LDR_INTERNAL_H

#include "loader/ldr.h"

/*
 * New fds must not land on 0..2.  Takes over @fd: on success the returned
 * fd replaces it, on failure @fd is closed and -errno returned.
 */
int ldr_good_fd(int fd);

/*
 * Copy caller options of size @user_sz into @dst (@dst_sz bytes, already
 * zeroed).  -E2BIG when a larger (newer) struct sets fields we do not know.
 */
int ldr_opts_copy(void *dst, size_t dst_sz, const void *src, size_t user_sz);

/* The kernel's object names: <= 15 chars of [A-Za-z0-9_.], others '_'. */
void ldr_kname(char out[BPF_OBJ_NAME_LEN], const char *name);

/*
 * Where a command's log fields sit in its attr (BPF_PROG_LOAD and
 * BPF_BTF_LOAD name them differently).  @true_size may be NULL for
 * commands (or uapi layouts) without log_true_size.
 */
struct ldr_log_attr {
	int cmd;                        /* BPF_PROG_LOAD, BPF_BTF_LOAD */
	void *attr;
	unsigned attr_size;
	uint32_t *level;
	uint32_t *size;
	uint64_t *buf;
	uint32_t *true_size;
};

/* One call of @la->cmd, retried while the kernel answers EAGAIN. */
int ldr_call_retry(const struct ldr_log_attr *la);

/*
 * Call with a log the loader grows: from LDR_LOG_INITIAL, doubling on
 * ENOSPC (or straight to the kernel's log_true_size) up to LDR_LOG_MAX.
 * @out gets the last log (malloc'ed, caller frees); the call's result is
 * returned.  The attr's log fields are zero again afterwards.
 */
int ldr_call_logged(const struct ldr_log_attr *la, uint32_t level, struct ldr_log *out);

/*
 * The log modes of ldr_prog_load_opts for any logged command: into the
 * caller's buffer @ubuf (@usize bytes, not grown) when given, else into a
 * grown buffer handed over in @log; with @level 0 quietly first and with
 * level 1 only after a failure.  *@text is the log to quote (or NULL).
 */
int ldr_call_with_log(const struct ldr_log_attr *la, uint32_t level, char *ubuf,
		      uint32_t usize, struct ldr_log *log, const char **text);

/*
 * Fill @e with "<head>: <errno text>[ (log truncated)][: <log tail>]" and
 * e->insn from the log's last instruction line; returns @code.
 */
int ldr_log_err(struct bb_err *e, int code, const char *head, const char *log,
		bool truncated);

#endif
