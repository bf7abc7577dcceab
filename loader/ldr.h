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

/* ------------------------------------------------------------------ */
/* Attaching (ldr_link.c, ldr_attach.c, ldr_netlink.c, ldr_uprobe.c,    */
/* ldr_usdt.c, ldr_auto.c)                                              */
/* ------------------------------------------------------------------ */

/*
 * A program attached somewhere.  Every attach function below tries the
 * modern bpf_link first (BPF_LINK_CREATE / BPF_RAW_TRACEPOINT_OPEN) and,
 * where the kernel has an older way, falls back to it (perf_event
 * PERF_EVENT_IOC_SET_BPF, BPF_PROG_ATTACH, netlink IFLA_XDP, cls_bpf).
 * ldr_link_kind() says which one was used.
 *
 * File descriptors: the ldr_link owns every fd it holds (the bpf link,
 * perf events, the iterator, a target fd it opened itself) and
 * ldr_link_destroy() detaches and closes them.  Program, map, cgroup and
 * socket fds passed in are borrowed: the kernel keeps its own reference
 * to the program for as long as the attachment lives.
 */
struct ldr_link;

enum ldr_link_kind {
	LDR_LINK_BPF,           /* a bpf_link fd */
	LDR_LINK_PERF_IOCTL,    /* perf_event fd(s) + PERF_EVENT_IOC_SET_BPF */
	LDR_LINK_PROG_ATTACH,   /* BPF_PROG_ATTACH; destroy does BPF_PROG_DETACH */
	LDR_LINK_NETLINK_XDP,   /* rtnetlink IFLA_XDP on an ifindex */
	LDR_LINK_NETLINK_TC,    /* clsact qdisc + cls_bpf filter (tc) */
	LDR_LINK_SOCKET,        /* SO_ATTACH_BPF on a socket */
	LDR_LINK_MULTI,         /* several links as one (per-CPU perf, USDT sites) */
};

/* How to choose between the link API and the legacy path. */
enum ldr_attach_mode {
	LDR_ATTACH_AUTO = 0,    /* link first, legacy when links are refused */
	LDR_ATTACH_LINK,        /* link only */
	LDR_ATTACH_LEGACY,      /* legacy only */
};

/* XDP modes (flags of ldr_attach_opts for ldr_attach_xdp()). */
#define LDR_XDP_SKB (1u << 1)   /* XDP_FLAGS_SKB_MODE: generic */
#define LDR_XDP_DRV (1u << 2)   /* XDP_FLAGS_DRV_MODE: native */
#define LDR_XDP_HW  (1u << 3)   /* XDP_FLAGS_HW_MODE: offload */

/* One options struct for every attach function; each reads what it needs. */
struct ldr_attach_opts {
	size_t sz;                      /* sizeof(struct ldr_attach_opts) */
	enum ldr_attach_mode mode;
	uint64_t cookie;                /* bpf_get_attach_cookie() value */
	/* XDP: LDR_XDP_*; cgroup: BPF_F_ALLOW_MULTI/OVERRIDE (BPF_F_ALLOW_MULTI
	 * when 0 and legacy); netfilter: link flags; tcx: BPF_F_BEFORE/AFTER. */
	uint32_t flags;
	int pid;                        /* uprobe/usdt/perf: process, -1 or 0 = all */
	/* perf sampling: every online CPU, or with single_cpu only CPU @cpu
	 * (a flag, so that zeroed options mean "every CPU") */
	int cpu;
	bool single_cpu;
	/* perf sampling: samples per second (freq) or events per sample
	 * (period); both 0 means 49 Hz. */
	uint64_t sample_freq;
	uint64_t sample_period;
	bool retprobe;                  /* kprobe/uprobe/uprobe_multi: on return */
	uint64_t ref_ctr_offset;        /* uprobe: semaphore file offset (0: none) */
	int relative_fd;                /* tcx: anchor for BPF_F_BEFORE/AFTER */
	uint32_t tc_priority;           /* tc: filter priority (0: 1) */
	uint32_t tc_handle;             /* tc: filter handle (0: 1) */
	int iter_map_fd;                /* iter/bpf_map_elem etc.: the map (borrowed) */
	int nf_pf, nf_hooknum, nf_priority; /* netfilter: NFPROTO_*, NF_INET_*, priority */
};

/* Describe, destroy, pin. */
enum ldr_link_kind ldr_link_kind(const struct ldr_link *l);
/* The bpf link fd (owned by the link), or -1 for legacy attachments. */
int ldr_link_fd(const struct ldr_link *l);
/* "tracepoint syscalls:sys_enter_openat (perf_event link)" */
const char *ldr_link_desc(const struct ldr_link *l);
/*
 * Detach (unless ldr_link_disconnect() was called or the link is pinned:
 * a pinned bpf link stays in the kernel, only our fd goes) and free.
 * NULL-safe.  Returns 0 or the first -errno a detach step gave.
 */
int ldr_link_destroy(struct ldr_link *l);
/* Leave the attachment in place when destroyed (a pinned link, a legacy
 * XDP/tc attachment meant to outlive the process). */
void ldr_link_disconnect(struct ldr_link *l);
/* BPF_OBJ_PIN of the bpf link at @path / unlink it.  -EOPNOTSUPP for
 * legacy attachments, which have no object to pin. */
int ldr_link_pin(struct ldr_link *l, const char *path);
int ldr_link_unpin(struct ldr_link *l);
/* Re-open a pinned bpf link as a new ldr_link (destroy detaches it). */
int ldr_link_open_pinned(const char *path, struct ldr_link **out, struct bb_err *e);
/* BPF_LINK_DETACH: the program is detached, the link fd stays valid. */
int ldr_link_detach(struct ldr_link *l);
/* BPF_LINK_UPDATE: swap the link's program (@prog_fd borrowed). */
int ldr_link_update(struct ldr_link *l, int prog_fd);

/*
 * The attach functions.  @prog_fd is borrowed.  0 with *@out set, or
 * -errno with @e saying what was tried and what the kernel answered
 * ("tracepoint syscalls:nope: no such tracepoint in tracefs
 * (/sys/kernel/tracing/events/syscalls/nope/id)").  @opts may be NULL.
 */
/* tracepoint/CATEGORY/NAME: perf_event_open(PERF_TYPE_TRACEPOINT, id) then
 * a perf_event link (legacy: PERF_EVENT_IOC_SET_BPF + ENABLE). */
int ldr_attach_tracepoint(int prog_fd, const char *category, const char *name,
			  const struct ldr_attach_opts *opts, struct ldr_link **out,
			  struct bb_err *e);
/* raw_tp/NAME: BPF_RAW_TRACEPOINT_OPEN (link: BPF_LINK_CREATE, 6.x). */
int ldr_attach_raw_tp(int prog_fd, const char *name, const struct ldr_attach_opts *opts,
		      struct ldr_link **out, struct bb_err *e);
/* BTF-attached tracing programs loaded with their attach_btf_id: tp_btf,
 * fentry, fexit, fmod_ret, lsm, freplace.  @attach_type is the program's
 * expected attach type (BPF_TRACE_RAW_TP, BPF_TRACE_FENTRY, BPF_LSM_MAC..);
 * link create, fallback BPF_RAW_TRACEPOINT_OPEN with no name. */
int ldr_attach_tracing(int prog_fd, uint32_t attach_type, const struct ldr_attach_opts *opts,
		       struct ldr_link **out, struct bb_err *e);
/* kprobe/kretprobe on a kernel function (+offset): the kprobe PMU
 * (/sys/bus/event_source/devices/kprobe), else tracefs kprobe_events.
 * -EOPNOTSUPP "kprobes not configured" where the kernel has neither. */
int ldr_attach_kprobe(int prog_fd, const char *func, uint64_t offset,
		      const struct ldr_attach_opts *opts, struct ldr_link **out,
		      struct bb_err *e);
/*
 * uprobe/uretprobe on @path (a program or shared library; a bare name is
 * looked up in $PATH and the usual library directories) at symbol @func
 * + @offset, or at file offset @offset when @func is NULL or "".  The
 * uprobe PMU with the retprobe bit from its format file; opts->pid,
 * opts->ref_ctr_offset and opts->cookie honoured.
 */
int ldr_attach_uprobe(int prog_fd, const char *path, const char *func, uint64_t offset,
		      const struct ldr_attach_opts *opts, struct ldr_link **out,
		      struct bb_err *e);
/* uprobe.multi: every function symbol of @path matching the glob
 * @pattern, one BPF_TRACE_UPROBE_MULTI link. */
int ldr_attach_uprobe_multi(int prog_fd, const char *path, const char *pattern,
			    const struct ldr_attach_opts *opts, struct ldr_link **out,
			    struct bb_err *e);
/*
 * USDT probe @provider:@name in @path: every site of the probe in the
 * binary's .note.stapsdt gets a uprobe (with the semaphore's
 * ref_ctr_offset), its argument spec goes into @spec_map_fd (ARRAY of
 * struct ldr_usdt_spec, the layout of tests/attach/data/bb_usdt.h) at a
 * free index, the index is the link's cookie and also stored in
 * @ip_map_fd (HASH u64 ip -> u32 spec id; -1 to skip).  Maps borrowed.
 */
int ldr_attach_usdt(int prog_fd, const char *path, const char *provider, const char *name,
		    int spec_map_fd, int ip_map_fd, const struct ldr_attach_opts *opts,
		    struct ldr_link **out, struct bb_err *e);
/* XDP on @ifindex: BPF_LINK_CREATE(BPF_XDP), fallback netlink IFLA_XDP
 * with opts->flags (LDR_XDP_SKB / LDR_XDP_DRV). */
int ldr_attach_xdp(int prog_fd, int ifindex, const struct ldr_attach_opts *opts,
		   struct ldr_link **out, struct bb_err *e);
/* TCX: @attach_type BPF_TCX_INGRESS or BPF_TCX_EGRESS on @ifindex; no
 * legacy path (use ldr_attach_tc). */
int ldr_attach_tcx(int prog_fd, int ifindex, uint32_t attach_type,
		   const struct ldr_attach_opts *opts, struct ldr_link **out, struct bb_err *e);
/* Legacy tc: clsact qdisc (created if missing, removed on destroy when we
 * created it) + cls_bpf direct-action filter on ingress or egress. */
int ldr_attach_tc(int prog_fd, int ifindex, bool ingress, const struct ldr_attach_opts *opts,
		  struct ldr_link **out, struct bb_err *e);
/* SO_ATTACH_BPF on @sock_fd (borrowed); destroy does SO_DETACH_BPF. */
int ldr_attach_socket(int prog_fd, int sock_fd, struct ldr_link **out, struct bb_err *e);
/* Any cgroup attach type on @cgroup_fd (borrowed): link, fallback
 * BPF_PROG_ATTACH with opts->flags. */
int ldr_attach_cgroup(int prog_fd, int cgroup_fd, uint32_t attach_type,
		      const struct ldr_attach_opts *opts, struct ldr_link **out,
		      struct bb_err *e);
/* perf_event sampling: PERF_TYPE_SOFTWARE/PERF_COUNT_SW_CPU_CLOCK on
 * opts->cpu (or each online CPU), opts->pid, at opts->sample_freq. */
int ldr_attach_perf_sampling(int prog_fd, const struct ldr_attach_opts *opts,
			     struct ldr_link **out, struct bb_err *e);
/* An existing perf event: the link TAKES OVER @perf_fd (closed on
 * destroy, and on failure). */
int ldr_attach_perf_event(int prog_fd, int perf_fd, const struct ldr_attach_opts *opts,
			  struct ldr_link **out, struct bb_err *e);
/* iter/...: BPF_TRACE_ITER link (opts->iter_map_fd for map iterators). */
int ldr_attach_iter(int prog_fd, const struct ldr_attach_opts *opts, struct ldr_link **out,
		    struct bb_err *e);
/* BPF_ITER_CREATE on an iterator link: a new fd (the caller's) to read(). */
int ldr_iter_create(const struct ldr_link *l);
/* Create and read an iterator to the end: *@buf malloc'ed, NUL-terminated. */
int ldr_iter_read_all(const struct ldr_link *l, char **buf, size_t *len, struct bb_err *e);
/* netfilter link: opts->nf_pf, nf_hooknum, nf_priority, flags. */
int ldr_attach_netfilter(int prog_fd, const struct ldr_attach_opts *opts,
			 struct ldr_link **out, struct bb_err *e);

/*
 * Auto-attach from the SEC() name, as libbpf's skeleton attach does:
 * tracepoint/tp, raw_tp/raw_tracepoint, tp_btf/fentry/fexit/fmod_ret/lsm,
 * kprobe/kretprobe, uprobe/uretprobe(.multi) with a path, usdt (maps
 * __bpf_usdt_specs / __bpf_usdt_ip_to_spec_id of the object), iter,
 * perf_event (sampling with opts), netfilter with opts.  XDP, tc, tcx,
 * socket and cgroup programs need a target: -EOPNOTSUPP "needs a target".
 * ldr_obj_attach_prog() attaches program @i of @lo.
 */
int ldr_obj_attach_prog(const struct ldr_obj *lo, size_t i, const struct ldr_attach_opts *opts,
			struct ldr_link **out, struct bb_err *e);
/* Whether program @i of @lo can be attached from its SEC() name alone. */
bool ldr_obj_prog_autoattachable(const struct ldr_obj *lo, size_t i);
/*
 * Every loaded, auto-attachable program of @lo.  *@links is a malloc'ed
 * array of ldr_obj_prog_count() entries (NULL where a program was not
 * attached); free with ldr_links_destroy().  On error every link made so
 * far is destroyed and -errno returned with @e naming the program.
 */
int ldr_obj_attach_all(const struct ldr_obj *lo, const struct ldr_attach_opts *opts,
		       struct ldr_link ***links, struct bb_err *e);
void ldr_links_destroy(struct ldr_link **links, size_t n);     /* NULL-safe */

/* ELF symbol -> file offset for uprobes (ldr_uprobe.c): the symbol's
 * address (.symtab, then .dynsym) mapped through the PT_LOAD segment
 * containing it.  -ENOENT when no such function. */
int ldr_elf_sym_offset(const char *path, const char *sym, uint64_t *off, struct bb_err *e);
/* A bare binary/library name resolved the way uprobes want it (absolute
 * path via $PATH, /lib*, /usr/lib*). */
int ldr_resolve_binary(const char *name, char *out, size_t size);

/* One USDT site from .note.stapsdt, parsed (ldr_usdt.c). */
#define LDR_USDT_MAX_ARGS 12
enum ldr_usdt_arg_type { LDR_USDT_ARG_CONST, LDR_USDT_ARG_REG, LDR_USDT_ARG_REG_DEREF };
struct ldr_usdt_arg {                   /* layout shared with the BPF side */
	uint64_t val_off;               /* constant, or offset for REG_DEREF */
	uint32_t arg_type;              /* enum ldr_usdt_arg_type */
	int16_t reg_off;                /* offsetof(struct pt_regs, reg) */
	bool arg_signed;
	int8_t arg_bitshift;            /* 64 - size * 8 */
};
struct ldr_usdt_spec {                  /* value of the spec map */
	struct ldr_usdt_arg args[LDR_USDT_MAX_ARGS];
	uint64_t usdt_cookie;
	int16_t arg_cnt;
};
struct ldr_usdt_site {
	char provider[64];
	char name[64];
	uint64_t pc;                    /* virtual address of the probe */
	uint64_t file_off;              /* uprobe offset */
	uint64_t sema_addr, sema_off;   /* semaphore (0: none) */
	char args[256];                 /* the raw argument string */
	struct ldr_usdt_spec spec;
};
/* Every USDT site of @path; *@sites malloc'ed (caller frees). */
int ldr_usdt_sites(const char *path, struct ldr_usdt_site **sites, size_t *n,
		   struct bb_err *e);
/* Parse one argument string ("-4@%eax 8@-8(%rbp) 4@$5") into @spec. */
int ldr_usdt_parse_args(const char *args, struct ldr_usdt_spec *spec, struct bb_err *e);

/* ------------------------------------------------------------------ */
/* Consumers: ring buffer (ldr_ringbuf.c) and perf buffer (ldr_perfbuf.c) */
/* ------------------------------------------------------------------ */

/*
 * BPF_MAP_TYPE_RINGBUF consumer.  The consumer page is mapped read-write,
 * the producer page and data pages read-only and the data twice in a row
 * so a record that wraps is still contiguous: callbacks get a pointer
 * into the ring itself, valid only during the call (no copy).
 * Callback returns 0 to go on; non-zero stops the poll/consume, which
 * returns it negated when positive (v > 0 comes back as -v, so a verdict
 * is never mistaken for a count); records after it stay in the ring.
 * The consumer keeps going while the producer keeps writing: a callback
 * that itself makes the traced event happen never returns control.
 */
typedef int (*ldr_ringbuf_fn)(void *ctx, const void *data, size_t size);
struct ldr_ringbuf;
/* @map_fd borrowed (the mapping keeps the map alive). */
int ldr_ringbuf_new(int map_fd, ldr_ringbuf_fn cb, void *ctx, struct ldr_ringbuf **out,
		    struct bb_err *e);
/* Another ring consumed by the same poll. */
int ldr_ringbuf_add(struct ldr_ringbuf *rb, int map_fd, ldr_ringbuf_fn cb, void *ctx,
		    struct bb_err *e);
/* epoll_wait up to @timeout_ms (-1 forever), then consume the rings that
 * are ready: records consumed, or -errno (-EINTR passes through). */
int ldr_ringbuf_poll(struct ldr_ringbuf *rb, int timeout_ms);
/* Consume every ring now without waiting: records consumed or -errno. */
int ldr_ringbuf_consume(struct ldr_ringbuf *rb);
int ldr_ringbuf_epoll_fd(const struct ldr_ringbuf *rb);
/* Bytes the producer wrote that we have not consumed yet (ring 0). */
uint64_t ldr_ringbuf_avail(const struct ldr_ringbuf *rb);
void ldr_ringbuf_free(struct ldr_ringbuf *rb);          /* NULL-safe */

/*
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY consumer: one PERF_COUNT_SW_BPF_OUTPUT
 * event per CPU, stored in the array at its CPU index, each with
 * @page_cnt (a power of two) data pages mapped.  Samples are passed in
 * place, or through a scratch copy when they wrap the ring's end.  In
 * place means perf's layout: the raw bytes follow a u32 size, so they are
 * only 4-byte aligned; memcpy a record with 8-byte fields before use.
 */
typedef void (*ldr_perfbuf_sample_fn)(void *ctx, int cpu, const void *data, uint32_t size);
typedef void (*ldr_perfbuf_lost_fn)(void *ctx, int cpu, uint64_t lost);
struct ldr_perfbuf;
int ldr_perfbuf_new(int map_fd, size_t page_cnt, ldr_perfbuf_sample_fn sample,
		    ldr_perfbuf_lost_fn lost, void *ctx, struct ldr_perfbuf **out,
		    struct bb_err *e);
/* Records (samples + lost records) handled, or -errno. */
int ldr_perfbuf_poll(struct ldr_perfbuf *pb, int timeout_ms);
int ldr_perfbuf_consume(struct ldr_perfbuf *pb);
int ldr_perfbuf_epoll_fd(const struct ldr_perfbuf *pb);
/* Samples lost so far, summed over the CPUs (PERF_RECORD_LOST). */
uint64_t ldr_perfbuf_lost(const struct ldr_perfbuf *pb);
void ldr_perfbuf_free(struct ldr_perfbuf *pb);          /* NULL-safe */

#endif
