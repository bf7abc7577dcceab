/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr.h - the raw bpf() system call layer.  Prefix: ldr_.
 *
 * One thin wrapper per bpf() command, in the style of libbpf's bpf.c:
 * zero the attribute union, fill it, call, return the new fd (or 0) on
 * success and a negative errno on failure.  Nothing here prints, exits or
 * touches errno as an output.  Options come in structs whose first member
 * is their size (`sz`), so fields can be added without breaking callers:
 * declare them with LDR_OPTS(), which zeroes the rest and sets `sz`.
 *
 * File descriptors: every fd a function here returns belongs to the
 * caller, who closes it with ldr_obj_close().  An fd passed in (a map, a
 * program to attach to) is borrowed for the duration of the call only.
 * Returned fds are close-on-exec and never 0, 1 or 2.
 */
#ifndef BAREBPF_LOADER_LDR_H
#define BAREBPF_LOADER_LDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "common/bb_uapi.h"
#include "isa/isa.h"

/* Declare an options struct with its size filled in and the rest zero:
 *   LDR_OPTS(ldr_prog_load_opts, o, .prog_type = BPF_PROG_TYPE_XDP);  */
#define LDR_OPTS(type, name, ...) \
	struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

/* Verifier log buffer sizes: the first try and the most we allocate. */
#define LDR_LOG_INITIAL (64u << 10)
#define LDR_LOG_MAX (16u << 20)

/*
 * bpf(cmd, attr, size).  Returns the syscall's non-negative result or
 * -errno.  For commands the kernel answers with a new fd the fd is the
 * caller's.
 */
int ldr_sys_bpf(int cmd, void *attr, unsigned size);

/* A verifier log the loader took on the caller's behalf. */
struct ldr_log {
	char *buf;              /* malloc'ed, NUL-terminated, or NULL */
	size_t len;             /* strlen(buf) */
	uint32_t true_size;     /* bytes the kernel needed (6.4+), else 0 */
	int truncated;          /* the kernel still answered ENOSPC at LDR_LOG_MAX */
};
void ldr_log_free(struct ldr_log *log);         /* NULL-safe; leaves it zeroed */

struct ldr_prog_load_opts {
	size_t sz;                      /* sizeof(struct ldr_prog_load_opts) */
	uint32_t prog_type;             /* enum bpf_prog_type */
	uint32_t expected_attach_type;  /* enum bpf_attach_type */
	const struct isa_raw *insns;
	size_t insn_cnt;
	const char *license;            /* NULL means "GPL" */
	uint32_t kern_version;
	uint32_t prog_flags;            /* BPF_F_* */
	/*
	 * Names the program in errors ("prog 'x': ...") and, cut to 15
	 * characters with anything outside [A-Za-z0-9_.] turned into '_'
	 * (the kernel rejects other characters), in the kernel.  May be NULL.
	 */
	const char *prog_name;
	uint32_t attach_btf_id;
	int attach_prog_fd;             /* borrowed; 0 = none */
	/*
	 * Verifier log.  log_level 0: load quietly and, only if that fails,
	 * load again with level 1 to learn why.  log_level > 0: log from the
	 * first try (e.g. 2 for per-instruction states, 4 for statistics).
	 * With a caller buffer (log_buf, log_size >= 128) the log goes there
	 * and is not grown; otherwise the loader grows its own buffer from
	 * LDR_LOG_INITIAL, doubling on ENOSPC (or jumping to the kernel's
	 * log_true_size) up to LDR_LOG_MAX, and hands it over through @log.
	 */
	uint32_t log_level;
	char *log_buf;
	uint32_t log_size;
	struct ldr_log *log;            /* out, optional: caller frees */
	const int *fd_array;            /* borrowed; BPF_PSEUDO_MAP_IDX targets */
	/*
	 * BTF for the program: @prog_btf_fd (borrowed, from ldr_btf_load())
	 * and, only with it, func_info / line_info records in the kernel's
	 * layout (struct bpf_func_info, 8 bytes; struct bpf_line_info, 16)
	 * with insn_off in instructions.  The record sizes are passed as
	 * given; 0 records means none.
	 */
	int prog_btf_fd;
	const void *func_info;
	size_t func_info_cnt;
	uint32_t func_info_rec_size;
	const void *line_info;
	size_t line_info_cnt;
	uint32_t line_info_rec_size;
	/* Attach target's BTF object (a module's BTF fd), borrowed; used
	 * only when attach_prog_fd is 0. */
	int attach_btf_obj_fd;
	uint32_t prog_ifindex;          /* device offload / XDP dev-bound */
};

/*
 * BPF_PROG_LOAD.  Returns the program fd (the caller's) or -errno.  On
 * failure @e says "prog 'name': load failed: <errno text>: <last lines of
 * the verifier log>", with e->insn set to the last instruction the log
 * mentions (-1 if none); the whole log is in opts->log when given.
 */
int ldr_prog_load(const struct ldr_prog_load_opts *opts, struct bb_err *e);

struct ldr_test_run_opts {
	size_t sz;                      /* sizeof(struct ldr_test_run_opts) */
	const void *data_in;
	uint32_t data_size_in;
	void *data_out;
	uint32_t data_size_out;         /* in: capacity; out: bytes written */
	const void *ctx_in;
	uint32_t ctx_size_in;
	void *ctx_out;
	uint32_t ctx_size_out;          /* in: capacity; out: bytes written */
	uint32_t repeat;                /* 0 and 1 both mean one run */
	uint32_t flags;                 /* BPF_F_TEST_* */
	uint32_t cpu;                   /* with BPF_F_TEST_RUN_ON_CPU */
	uint32_t batch_size;            /* XDP live frames */
	uint32_t retval;                /* out: the program's return value */
	uint32_t duration;              /* out: mean ns per run */
};

/* BPF_PROG_TEST_RUN on @prog_fd (borrowed).  Returns 0 or -errno; the
 * outputs are written even when the kernel answers ENOSPC for data_out. */
int ldr_prog_test_run(int prog_fd, struct ldr_test_run_opts *opts);

struct ldr_map_create_opts {
	size_t sz;                      /* sizeof(struct ldr_map_create_opts) */
	uint32_t map_type;              /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	const char *map_name;           /* same rules as prog_name; may be NULL */
	int inner_map_fd;               /* borrowed; map-in-map template */
	uint32_t numa_node;             /* with BPF_F_NUMA_NODE */
	uint32_t map_ifindex;
	int btf_fd;                     /* borrowed */
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t btf_vmlinux_value_type_id;
	uint64_t map_extra;
};

/* BPF_MAP_CREATE.  Returns the map fd (the caller's) or -errno, with
 * "map 'name': create failed: ..." in @e. */
int ldr_map_create(const struct ldr_map_create_opts *opts, struct bb_err *e);

/* Element commands on a borrowed map fd; 0 or -errno (-ENOENT: no such
 * key, or for get_next_key: @key was the last one). */
int ldr_map_update(int map_fd, const void *key, const void *value, uint64_t flags);
int ldr_map_lookup(int map_fd, const void *key, void *value);
int ldr_map_delete(int map_fd, const void *key);
/* @key NULL gives the first key. */
int ldr_map_get_next_key(int map_fd, const void *key, void *next_key);

/* Close a BPF object fd; a negative fd is ignored.  0 or -errno. */
int ldr_obj_close(int fd);

/* BPF_MAP_FREEZE: no more writes from user space (the program may still
 * write unless the map is BPF_F_RDONLY_PROG).  0 or -errno. */
int ldr_map_freeze(int map_fd);

struct ldr_btf_load_opts {
	size_t sz;                      /* sizeof(struct ldr_btf_load_opts) */
	/* The log, as for ldr_prog_load_opts: level 0 loads quietly and
	 * only on failure again with level 1 to learn why; a caller buffer
	 * (>= 128 bytes) is not grown; otherwise the loader's own buffer
	 * grows to LDR_LOG_MAX and is handed over in @log. */
	uint32_t log_level;
	char *log_buf;
	uint32_t log_size;
	struct ldr_log *log;            /* out, optional: caller frees */
	const char *name;               /* names the BTF in errors; may be NULL */
};

/*
 * BPF_BTF_LOAD of raw BTF (header, types, strings: bbtf_raw_data() or a
 * bbtf_sanitize() blob).  Returns the BTF fd (the caller's) or -errno
 * with "btf 'name': load failed: <errno text>: <last lines of the
 * kernel's BTF log>" in @e.
 */
int ldr_btf_load(const void *data, size_t size, const struct ldr_btf_load_opts *opts,
		 struct bb_err *e);

/*
 * What this kernel's BPF_BTF_LOAD accepts, as a mask of enum bbtf_feature
 * (btf/btf.h) for bbtf_sanitize().  One load of a BTF that has every
 * feature decides on current kernels; only when that is refused is each
 * feature probed alone.  The answer is cached for the process.  0 when
 * the kernel loads no BTF at all (or bpf() is refused).
 */
unsigned ldr_probe_btf_features(void);

/*
 * BPF_OBJ_GET_INFO_BY_FD on a program, map, BTF or link fd (borrowed).
 * @info is the kernel's struct (bpf_prog_info, bpf_map_info,
 * bpf_btf_info, bpf_link_info) of *@len bytes, zeroed or with the
 * caller's array pointers set; *@len becomes the bytes the kernel
 * filled.  0 or -errno.  The typed forms zero @info first.
 */
int ldr_obj_info(int fd, void *info, uint32_t *len);
int ldr_prog_info(int prog_fd, struct bpf_prog_info *info);
int ldr_map_info(int map_fd, struct bpf_map_info *info);
int ldr_btf_info(int btf_fd, struct bpf_btf_info *info);

/*
 * Walk the kernel's objects: the next id after @start_id (0 for the
 * first) in *@next_id; -ENOENT after the last.  Needs CAP_SYS_ADMIN.
 */
int ldr_prog_get_next_id(uint32_t start_id, uint32_t *next_id);
int ldr_map_get_next_id(uint32_t start_id, uint32_t *next_id);
int ldr_btf_get_next_id(uint32_t start_id, uint32_t *next_id);
int ldr_link_get_next_id(uint32_t start_id, uint32_t *next_id);

/* A new fd (the caller's) for the object with @id, or -errno (-ENOENT:
 * gone since it was listed). */
int ldr_prog_get_fd_by_id(uint32_t id);
int ldr_map_get_fd_by_id(uint32_t id);
int ldr_btf_get_fd_by_id(uint32_t id);
int ldr_link_get_fd_by_id(uint32_t id);

/*
 * BPF_OBJ_PIN: make @path (on a bpffs mount) refer to the object behind
 * @fd (borrowed).  BPF_OBJ_GET: a new fd (the caller's) for the object
 * pinned at @path; @file_flags 0, BPF_F_RDONLY or BPF_F_WRONLY.  0 / fd,
 * or -errno (-EEXIST: @path exists; -ENOENT: nothing pinned there;
 * -EPERM/-EINVAL: not a bpffs path).
 */
int ldr_obj_pin(int fd, const char *path);
int ldr_obj_get(const char *path, uint32_t file_flags);

/* ------------------------------------------------------------------ */
/* Loading a parsed ELF object (ldr_obj.c)                              */
/* ------------------------------------------------------------------ */

struct obj;                     /* elf/obj.h */
struct obj_extern_opts;         /* elf/obj.h */
struct bbtf;                    /* btf/btf.h */

struct ldr_obj_opts {
	size_t sz;                      /* sizeof(struct ldr_obj_opts) */
	/* Directory for maps pinned by name (LIBBPF_PIN_BY_NAME): the map
	 * is pinned at "<pin_root>/<map name>".  NULL: /sys/fs/bpf. */
	const char *pin_root;
	/* A program the kernel refuses does not stop the others: its
	 * result says why and ldr_obj_load() counts it.  Without this the
	 * first refusal undoes the whole load. */
	bool keep_going;
	bool no_btf;                    /* do not load the object's BTF */
	/* Verifier log level for every program (0: a log only for the ones
	 * that fail); the logs are kept in the program results. */
	uint32_t log_level;
	/* For obj_resolve_externs(); NULL: the running kernel's defaults. */
	const struct obj_extern_opts *externs;
	/* Kernel BTF for attach targets (tp_btf, fentry, lsm, iter) and as
	 * the CO-RE target: @vmlinux_btf (borrowed) if set, else the file
	 * @vmlinux_btf_path, else /sys/kernel/btf/vmlinux.  Read only when a
	 * program needs it. */
	const struct bbtf *vmlinux_btf;
	const char *vmlinux_btf_path;
	/* CO-RE target when it is not the attach BTF (testing against
	 * another kernel's BTF): a raw BTF file.  NULL: as above. */
	const char *core_btf_path;
	/* BTF kinds to assume the kernel takes (enum bbtf_feature mask), the
	 * rest sanitized away; 0: ask the kernel (ldr_probe_btf_features()).
	 * For loading as an older kernel would, and for tests. */
	unsigned btf_features;
};

/* One program of the object, in obj_prog() order. */
struct ldr_obj_prog {
	const char *name;               /* function name */
	const char *section;            /* SEC() name */
	uint32_t prog_type;             /* enum bpf_prog_type */
	uint32_t expected_attach_type;
	uint32_t attach_btf_id;         /* in vmlinux BTF, 0 if none */
	size_t insn_cnt;                /* instructions handed to the kernel */
	int fd;                         /* the program, or -1 (owned by ldr_obj) */
	int err;                        /* 0, or -errno why it is not loaded */
	/* Why it failed ("obj: section 's': prog 'p': load failed: ..."),
	 * with e.insn from the verifier log; zero when it loaded. */
	struct bb_err error;
	/* Verifier log: of a failed load always, of a good one with
	 * opts->log_level > 0.  buf may be NULL. */
	struct ldr_log log;
};

/* One map of the object, in obj_map() order. */
struct ldr_obj_map {
	const char *name;               /* obj_map name */
	const char *kname;              /* name in the kernel */
	uint32_t type;                  /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;           /* as created (perf arrays: CPUs) */
	uint32_t map_flags;
	int fd;                         /* owned by ldr_obj */
	bool btf_types;                 /* created with BTF key/value type ids */
	bool reused;                    /* an existing pinned map was taken */
	const char *pin_path;           /* NULL unless pinned by name */
};

struct ldr_obj;

/*
 * Load @o into the running kernel, as libbpf's bpf_object__load() does:
 *
 *   1. externs: obj_resolve_externs(); CO-RE: obj_core_relocate() against
 *      the kernel's BTF when a program has CO-RE records (relocations the
 *      target lacks poison their instruction and are listed as notes);
 *   2. BTF: bbtf_raw_data(obj_btf(o)), sanitized with bbtf_sanitize() for
 *      what ldr_probe_btf_features() says is missing, BPF_BTF_LOAD; if the
 *      kernel refuses it, maps and programs load without BTF (a note);
 *   3. maps from the obj_map() specs: map-in-map inner templates first,
 *      BTF key/value type ids (dropped for map types that take none, and
 *      retried without when refused), global data set from its initial
 *      bytes and frozen when read-only, maps pinned by name reused when
 *      compatible (refused, -EEXIST, when not) or pinned after creation;
 *   4. programs: obj_prog_insns() with the map fds, then BPF_PROG_LOAD
 *      with type, expected attach type, flags, license, kern_version, the
 *      BTF fd with func_info/line_info, and the vmlinux BTF id of the
 *      attach target (tp_btf/X: typedef btf_trace_X; fentry/fexit/
 *      fmod_ret/X: FUNC X; lsm/X: FUNC bpf_lsm_X; iter/X: bpf_iter_X);
 *   5. prog-array and map-in-map slots from the ELF initialisers.
 *
 * @o is changed (externs, CO-RE) and may be freed after the call: the
 * result copies what it keeps.  @opts may be NULL.
 *
 * Returns 0 when every program loaded; with opts->keep_going, the number
 * of programs that did not (their results say why; @e describes the
 * first); -errno when nothing is loaded (@e names the object, the section
 * and the map or program).  *@out is set whenever the return is >= 0 and
 * NULL otherwise.
 *
 * File descriptors: the ldr_obj owns every fd it holds (BTF, maps,
 * programs) and ldr_obj_free() closes them; callers borrow them.  Pinned
 * maps stay pinned.  Inner-map templates are closed during the load.
 */
int ldr_obj_load(struct obj *o, const struct ldr_obj_opts *opts, struct ldr_obj **out,
		 struct bb_err *e);
void ldr_obj_free(struct ldr_obj *lo);          /* NULL-safe; closes every fd */

const char *ldr_obj_name(const struct ldr_obj *lo);
int ldr_obj_btf_fd(const struct ldr_obj *lo);   /* -1 if loaded without BTF */
size_t ldr_obj_prog_count(const struct ldr_obj *lo);
const struct ldr_obj_prog *ldr_obj_prog(const struct ldr_obj *lo, size_t i); /* NULL if out of range */
size_t ldr_obj_map_count(const struct ldr_obj *lo);
const struct ldr_obj_map *ldr_obj_map(const struct ldr_obj *lo, size_t i);
/* By name: the index, or -ENOENT. */
int ldr_obj_prog_by_name(const struct ldr_obj *lo, const char *name);
int ldr_obj_map_by_name(const struct ldr_obj *lo, const char *name);
/* What the load did that a person may want to know (BTF dropped, BTF ids
 * dropped from a map, a pinned map reused, a CO-RE relocation poisoned,
 * a slot left empty because its program failed), one line each. */
size_t ldr_obj_note_count(const struct ldr_obj *lo);
const char *ldr_obj_note(const struct ldr_obj *lo, size_t i);

/*
 * Does bpf() work here?  Loads and closes a two-instruction socket filter.
 * 0 if it loads; otherwise -errno with the reason in @e: -EPERM (no
 * privilege: CAP_BPF or CAP_SYS_ADMIN missing, unprivileged BPF disabled),
 * -ENOSYS (no bpf() system call: kernel without CONFIG_BPF_SYSCALL, or a
 * seccomp filter), or whatever else the kernel said.
 */
int ldr_probe_bpf(struct bb_err *e);

/*
 * The kernel as oracle for "memory programs" (r1 = memory, r2 = length, the
 * convention of the interpreter and the bpf_conformance suite): the program
 * is wrapped in an XDP prolog and run twice with BPF_PROG_TEST_RUN to
 * recover the full 64-bit r0 (see ldr_oracle.c for the layout).
 */
struct ldr_oracle_opts {
	size_t sz;                      /* sizeof(struct ldr_oracle_opts) */
	const char *name;               /* program name in the kernel */
	const void *mem;                /* input memory (copied), may be NULL */
	size_t mem_len;
	void *mem_out;                  /* optional: memory after the run */
	uint32_t repeat;                /* test_run repeat, for timing */
	struct ldr_log *log;            /* optional: the verifier log on failure */
	uint64_t r0;                    /* out */
	uint32_t duration_ns;           /* out: mean ns per run (low-half run) */
};

/*
 * Load and run @prog (@n slots) in the kernel.  Returns 0 with o->r0 set;
 * -errno from the verifier (reason and log tail in @e); -ENOTSUP when the
 * program has no memory but reads r1 before writing it (offline r1 = 0 has
 * no kernel equivalent).  No fd outlives the call.
 */
int ldr_oracle_run(const struct isa_raw *prog, size_t n, struct ldr_oracle_opts *o,
		   struct bb_err *e);

/* 1 if some path can read r1 before writing it, 0 if not, -ENOMEM. */
int ldr_oracle_reads_r1(const struct isa_raw *prog, size_t n);

/* libbpf/bpftool names of enum bpf_prog_type / bpf_map_type values
 * ("xdp", "percpu_hash"); "unknown" past the last one we know. */
const char *ldr_prog_type_str(uint32_t type);
const char *ldr_map_type_str(uint32_t type);

#endif
