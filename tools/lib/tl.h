/* SPDX-License-Identifier: MIT */
/*
 * tools/lib/tl.h - what the seed tools (opensnoop, runqlat, ...) share, as
 * libbpf-tools share trace_helpers.c: option parsing (-p PID, -d SECONDS
 * or a positional interval, -h), finding and loading their object from
 * build/corpus, setting `const volatile` knobs before the load, running
 * until Ctrl-C or the duration ends, log2 histograms in BCC's layout with
 * percentiles, and symbolising addresses (kernel: /proc/kallsyms; user:
 * /proc/PID/maps + ELF symbols).  Prefix: tl_.
 *
 * Tools are programs: unlike the library, this code prints and exits.
 */
#ifndef BAREBPF_TOOLS_LIB_TL_H
#define BAREBPF_TOOLS_LIB_TL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/obj.h"
#include "loader/ldr.h"

/* Options every tool takes. */
struct tl_args {
	int pid;                /* -p PID, 0 = every process */
	double duration;        /* -d SECONDS or the first positional, 0 = until Ctrl-C */
	int count;              /* second positional (interval tools): outputs, 0 = forever */
	bool interval_mode;     /* the positional number was an interval */
};

/*
 * getopt loop over "p:d:h" plus @extra_opts; for each extra option
 * @on_opt(c, optarg, ctx) is called (return non-zero: usage error).  A
 * positional number is the duration (interval for histogram tools, with
 * a second one as the count, as BCC's tools take them).  -h prints @usage
 * and exits 0; a bad option prints it and exits 2.
 */
void tl_parse(int argc, char **argv, const char *usage, const char *extra_opts,
	      int (*on_opt)(int c, const char *arg, void *ctx), void *ctx, struct tl_args *a);

/* Path of the corpus object @name ("opensnoop" -> .../opensnoop.bpf.o):
 * $BAREBPF_CORPUS_DIR, else ../corpus next to the executable. */
const char *tl_corpus_path(const char *argv0, const char *name, char *buf, size_t size);

/* An opened, loaded, attached object. */
struct tl_obj {
	struct obj *o;
	struct ldr_obj *lo;
	struct ldr_link **links;
	size_t nlinks;
};

/* Open @name's object (exits with a clear message when it is missing). */
void tl_open(const char *argv0, const char *name, struct tl_obj *t);
/* Set `const volatile` global @var (in .rodata) before the load: false
 * if the object has no such variable or the size differs. */
bool tl_set_rodata(struct tl_obj *t, const char *var, const void *val, size_t size);
/* Load; with @attach also attach every program from its SEC() name.
 * Exits with the loader's message on failure. */
void tl_load(struct tl_obj *t, bool attach);
void tl_close(struct tl_obj *t);
/* fd of map @name (exits if missing). */
int tl_map_fd(const struct tl_obj *t, const char *name);
/* fd of program @name (exits if missing). */
int tl_prog_fd(const struct tl_obj *t, const char *name);

/* Ctrl-C/SIGTERM handling and the deadline. */
void tl_signals(void);
extern volatile int tl_exiting;
/* Monotonic seconds. */
double tl_now(void);

/* BCC's print_log2_hist: @vals[0..n) slot counts, @unit "usecs". */
void tl_print_log2_hist(const uint64_t *vals, int n, const char *unit);
/* p50/p99/p99.9 upper bounds from the log2 histogram, one line. */
void tl_print_percentiles(const uint64_t *vals, int n, const char *unit);
/* Value (upper bound of its slot) at quantile @q (0..1); 0 if empty. */
uint64_t tl_hist_quantile(const uint64_t *vals, int n, double q);

/* "HH:MM:SS" of now. */
const char *tl_time_str(char buf[16]);

/* x86-64 syscall name of @nr, NULL if unknown (tl_syscalls.c). */
const char *tl_syscall_name(unsigned nr);

/* /proc/PID/comm into @buf ("?" if gone). */
const char *tl_comm(int pid, char *buf, size_t size);

/* Symbolisation (tl_sym.c). */
struct tl_syms;
struct tl_syms *tl_syms_kernel(void);           /* /proc/kallsyms; NULL if unreadable */
struct tl_syms *tl_syms_process(int pid);       /* /proc/PID/maps; NULL if gone */
/* "func+0x12" or "func+0x12 (/usr/lib/libc.so.6)"; NULL when unknown. */
const char *tl_syms_resolve(struct tl_syms *s, uint64_t addr, char *buf, size_t size);
void tl_syms_free(struct tl_syms *s);

#endif
