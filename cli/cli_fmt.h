/* SPDX-License-Identifier: MIT */
/*
 * cli/cli_fmt.h - output shared by the bpftool-shaped commands (prog, map,
 * feature, trace): a small JSON writer, values printed through BTF with
 * their field names, log2 histograms in bpftrace's layout, and reading a
 * kernel BTF object by id.
 */
#ifndef BAREBPF_CLI_CLI_FMT_H
#define BAREBPF_CLI_CLI_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/bb.h"

struct bbtf;

/*
 * JSON writer.  Commas, nesting and string escaping are its business, so
 * callers only say what comes next.  Compact unless @pretty.  Bytes from
 * 0x7f up are written as \u00XX, which keeps binary data (BTF char arrays)
 * valid JSON; a caller whose strings are UTF-8 text sets @utf8 after
 * cli_json_init() so bytes from 0x80 up pass through as the characters
 * they encode.
 */
#define CLI_JSON_DEPTH 32
struct cli_json {
	FILE *f;
	int depth;
	bool pretty;
	bool utf8;
	bool need_comma[CLI_JSON_DEPTH];
	bool after_key;
};
void cli_json_init(struct cli_json *j, FILE *f, bool pretty);
void cli_json_obj(struct cli_json *j);          /* { */
void cli_json_obj_end(struct cli_json *j);      /* } */
void cli_json_arr(struct cli_json *j);          /* [ */
void cli_json_arr_end(struct cli_json *j);      /* ] */
void cli_json_key(struct cli_json *j, const char *key);
void cli_json_str(struct cli_json *j, const char *s);
void cli_json_strn(struct cli_json *j, const char *s, size_t n); /* stops at NUL */
void cli_json_u64(struct cli_json *j, uint64_t v);
void cli_json_i64(struct cli_json *j, int64_t v);
void cli_json_bool(struct cli_json *j, bool v);
void cli_json_null(struct cli_json *j);
/* Bytes as bpftool prints them in JSON: ["0x01","0x02"]. */
void cli_json_hex_arr(struct cli_json *j, const void *data, size_t n);
/* Shorthands for "key": value. */
void cli_json_kstr(struct cli_json *j, const char *key, const char *s);
void cli_json_ku64(struct cli_json *j, const char *key, uint64_t v);
void cli_json_kbool(struct cli_json *j, const char *key, bool v);

/* "01 02 0a" */
void cli_hex(FILE *f, const void *data, size_t n);

/*
 * A value of BTF type @id at @data (@size bytes available) through the
 * type's names:
 *   text:  {pid=12, comm="bash", args=[1, 2]}   (CLI_BTF_FLAT: the outer
 *          struct without braces, "pid=12 comm=bash" style for one-line
 *          events; CLI_BTF_TS_SECONDS: u64 members named ts, timestamp or
 *          *_ns as seconds with 6 decimals)
 *   JSON:  {"pid":12,"comm":"bash","args":[1,2]} through @j
 * char arrays print as strings, enums by name, pointers in hex, bitfields
 * extracted.  Bytes past @size print as nothing (a short value is cut,
 * never read past).
 */
enum {
	CLI_BTF_FLAT = 1,
	CLI_BTF_TS_SECONDS = 2,
};
void cli_btf_text(FILE *f, const struct bbtf *btf, uint32_t id, const void *data,
		  size_t size, unsigned flags);
void cli_btf_json(struct cli_json *j, const struct bbtf *btf, uint32_t id,
		  const void *data, size_t size);

/*
 * log2 histogram, bpftrace's @hist layout: one line per slot from the
 * first to the last non-empty one, "[lo, hi)" with K/M/G suffixes, the
 * count and a bar scaled to the largest slot.  Slot 0 covers [0, 2) and
 * slot s >= 1 covers [2^s, 2^(s+1)) (the corpus's and libbpf-tools'
 * log2l() convention).  Prints "(empty)" when every slot is 0.
 */
void cli_log2_hist(FILE *f, const char *name, const uint64_t *slots, size_t n);
/* The same as JSON: {"name":..,"slots":[{"lo":..,"hi":..,"count":..}]} */
void cli_log2_hist_json(struct cli_json *j, const char *name, const uint64_t *slots,
			size_t n);

/*
 * The kernel BTF object @btf_id, read with BPF_BTF_GET_FD_BY_ID and
 * BPF_OBJ_GET_INFO_BY_FD, parsed (split on vmlinux for module BTF).
 * *out is freed with bbtf_free().  0 or -errno with @e.
 */
int cli_btf_by_id(uint32_t btf_id, struct bbtf **out, struct bb_err *e);

/* Wall-clock time of a bpf_prog_info.load_time (ns since boot) as
 * "2026-11-22T14:50:03+0000". */
void cli_fmt_boottime(uint64_t boot_ns, char *buf, size_t size);
/* The same in seconds since the epoch. */
int64_t cli_boottime_to_epoch(uint64_t boot_ns);

/*
 * bpftool's object selectors: "id N", "pinned PATH", "name NAME" and, for
 * programs, "tag HEX".  cli_sel_parse() reads one at argv[*i] and moves
 * *i past it; 0, or -EINVAL with a message in @e.
 */
enum cli_sel_kind { CLI_SEL_NONE, CLI_SEL_ID, CLI_SEL_PINNED, CLI_SEL_NAME, CLI_SEL_TAG };
struct cli_sel {
	enum cli_sel_kind kind;
	uint32_t id;
	const char *arg;        /* path, name or tag text */
	uint8_t tag[8];
};
int cli_sel_parse(int argc, char **argv, int *i, bool tag_ok, struct cli_sel *s,
		  struct bb_err *e);
/* strerror() that also names the kernel-internal errnos bpf() leaks
 * (524 ENOTSUPP, 512-530), which libc has no text for. */
const char *cli_strerror(int err);
/* Take -j/--json and -p/--pretty out of argv (anywhere); the new argc. */
int cli_take_json(int argc, char **argv, bool *json, bool *pretty);

/* Close every fd in @fds (ints) and free the vector. */
void cli_close_fds(struct bb_vec *fds);

/*
 * `prog show` / `map show`: @show each fd, as text (j == NULL) or JSON -
 * one object for a single-object selector (id, pinned), an array for a
 * listing - and end the JSON line unless pretty-printing.
 */
void cli_show_fds(const struct cli_sel *s, const struct bb_vec *fds, bool json, bool pretty,
		  void (*show)(int fd, struct cli_json *j));

#endif
