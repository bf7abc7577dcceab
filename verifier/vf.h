/* SPDX-License-Identifier: MIT */
/*
 * verifier/vf.h - the userspace verifier.  Prefix: vf_.
 *
 * vf_verify() decides, as the kernel's verifier would for a privileged
 * loader (CAP_BPF + CAP_PERFMON: uninitialised stack reads allowed, pointer
 * leaks allowed, no Spectre sanitation), whether a program is safe, and
 * writes a log in the kernel's wording.  A construct it does not model is
 * refused with "barebpf: <feature> not modelled yet" rather than accepted.
 * The numeric domain it is built on is in vf_domain.h.
 */
#ifndef BAREBPF_VERIFIER_VF_H
#define BAREBPF_VERIFIER_VF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"

/* A map the program refers to: ld_imm64 src 1/5 with imm = its index
 * (fd or fd_array index), src 2/6 for a pointer into its value. */
struct vf_map {
	const char *name;       /* may be NULL */
	uint32_t type;          /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;         /* BPF_F_RDONLY_PROG ... */
	/* array/hash of maps: the inner map template (NULL: lookups refused) */
	const struct vf_map *inner;
	/* The map was created with BTF for its value (btf_value_type_id),
	 * which bpf_spin_lock needs, and where in the value its struct
	 * bpf_spin_lock is (spin_lock: there is one; see vf_map_btf_fields).
	 * Zero-initialised: no BTF, no lock. */
	bool btf;
	bool spin_lock;
	uint32_t spin_lock_off;
};

/*
 * Fill @m's btf/spin_lock fields from the map's value type @value_type_id
 * in @btf (const struct bbtf *; 0: the map has no BTF): a member of type
 * struct bpf_spin_lock, in nested structs too, or a global variable of
 * that type when the value is a DATASEC.  Returns 0, or -EINVAL when the
 * value has more than one (the kernel refuses such a map).
 */
int vf_map_btf_fields(struct vf_map *m, const void *btf, uint32_t value_type_id);

/* Log sink: one call per chunk of text (lines end with '\n'). */
typedef void (*vf_log_fn)(void *arg, const char *text, size_t len);

struct vf_opts {
	size_t sz;                      /* sizeof(struct vf_opts) */
	uint32_t prog_type;             /* enum bpf_prog_type */
	uint32_t expected_attach_type;
	const struct vf_map *maps;      /* indexed by the ld_imm64 imm */
	size_t map_cnt;
	uint32_t log_level;             /* 0, 1 (path to the error), 2 (every insn) */
	bool gpl;                       /* license is GPL-compatible (default: set gpl_set) */
	bool gpl_set;
	/* Source lines for messages: linked insn -> "file:line: text", may be NULL. */
	const char *(*src_line)(void *arg, uint32_t insn);
	void *src_arg;
	bool want_path;                 /* fill vf_result.path (--explain) */
	/* tp_btf (BPF_PROG_TYPE_TRACING + BPF_TRACE_RAW_TP): the kernel BTF
	 * (const struct bbtf *, borrowed) and the btf_trace_<name> typedef's
	 * id in it.  Without them the arguments are scalars. */
	const void *btf;
	uint32_t attach_btf_id;
	/* The program is loaded with BTF func_info, which the kernel needs
	 * for function references (ld_imm64 src 4: "missing btf func_info"). */
	bool func_info;
	/* The program's own BTF (const struct bbtf *, borrowed) and its
	 * func_info records (one per subprogram, insn_off in instructions of
	 * the linked code, type_id a FUNC in prog_btf).  With them, global
	 * functions (BTF_FUNC_GLOBAL) are verified once from their prototype
	 * as the kernel does; without them every subprogram is verified in
	 * its caller's context. */
	const void *prog_btf;
	const struct vf_func_info *func_infos;
	size_t func_info_cnt;
	/* kfunc calls (call src 2) are checked against the kernel BTF: `btf`
	 * above, which then must be vmlinux BTF even without attach_btf_id. */
	/* --explain/--dot: record the abstract state along each path and at
	 * each basic block's entry, and fill vf_result's steps, fail_regs,
	 * fail_state, explain, blocks and edges (implies want_path).  Off,
	 * it costs nothing measurable. */
	bool want_states;
};

/* Subprograms a program may have, the entry included (the kernel's
 * BPF_MAX_SUBPROGS): the most func_info records it can use. */
#define VF_MAX_SUBPROGS 256

/* A BTF func_info record (the uapi struct bpf_func_info's layout). */
struct vf_func_info {
	uint32_t insn_off;
	uint32_t type_id;
};

/* sz of a struct vf_opts that has the global-function fields. */
#define VF_OPTS_HAS_FUNCS(o) ((o)->sz >= offsetof(struct vf_opts, func_info_cnt) + sizeof(size_t))

struct vf_result {
	int err;                        /* 0 accepted, -errno rejected */
	int insn;                       /* failing instruction, -1 */
	char msg[256];                  /* the rejection message (kernel words) */
	uint64_t processed;             /* instructions processed */
	uint32_t max_states_per_insn;
	uint32_t total_states;
	uint32_t peak_states;
	size_t peak_mem;                /* bytes of states at the peak */
	char *log;                      /* malloc'ed log text (vf_result_free) */
	size_t log_len;
	/* --explain: the instructions of the failing path, entry first. */
	uint32_t *path;
	size_t path_len;
	/*
	 * want_states.  Rejected: the path above with its loops folded (an
	 * insn seen again in the same call context cuts the insns since its
	 * last visit, so each insn appears once per context and the states
	 * shown are those of the last iteration; it is the path the verifier
	 * explored, not necessarily the shortest one in the CFG), ending at
	 * the failing insn; the failing insn's operands and every live
	 * register before it ran; and the reason in plain words.  Either
	 * verdict: the CFG's basic blocks with the states that reached them.
	 * Strings are in the kernel's log notation and live until
	 * vf_result_free().
	 */
	struct vf_step *steps;
	size_t nsteps;
	uint64_t folded;                /* insns of the explored path folded away */
	bool states_partial;            /* recording budget hit: later steps lack states */
	const char *fail_regs;          /* "R1=pkt(r=0)": operands before the failing insn */
	const char *fail_state;         /* every live register and stack slot there */
	const char *explain;            /* plain words; NULL when accepted */
	struct vf_block *blocks;        /* in insn order */
	size_t nblocks;
	struct vf_edge *edges;
	size_t nedges;
	char *text;                     /* holds the strings above */
};

/* One insn of the failing path (vf_result.steps). */
struct vf_step {
	uint32_t insn;
	uint32_t folded;                /* times the path came back here (loop iterations folded) */
	uint8_t frame;                  /* call depth it ran in */
	/* what it changed, as the state after it ("R0=map_value_or_null(id=1,
	 * ks=4,vs=8)"; " frame1:" first in a callee); "" nothing; NULL not
	 * recorded (the failing insn, or past the recording budget) */
	const char *changed;
};

/* A basic block [start, end) and the states the verifier brought to it. */
#define VF_BLOCK_STATES 3
struct vf_block {
	uint32_t start, end;
	uint32_t arrivals;              /* paths that reached its first insn */
	uint32_t pruned;                /* of them, stopped there by a state proven safe */
	uint32_t nstates;
	const char *states[VF_BLOCK_STATES];    /* of the first arrivals, full */
	bool on_path;                   /* on the failing path */
	bool failing;                   /* holds the failing insn */
};

enum vf_edge_kind {
	VF_EDGE_NEXT,                   /* fall-through, or return point of a call */
	VF_EDGE_TAKEN,                  /* conditional jump taken */
	VF_EDGE_JUMP,                   /* goto */
	VF_EDGE_CALL,                   /* bpf-to-bpf call */
	VF_EDGE_CALLBACK,               /* function reference (bpf_loop ...) */
};
struct vf_edge {
	uint32_t from, to;              /* block indices */
	uint8_t kind;                   /* enum vf_edge_kind */
	bool on_path;                   /* the failing path takes it */
};

/*
 * The CFG of @r (want_states) for Graphviz: one node per basic block with
 * its insns and entry states, the failing block and the failing path's
 * edges in red.  *out is malloc'ed.  Returns 0 or -ENOMEM.
 */
int vf_result_dot(const struct vf_result *r, const struct isa_raw *insns, size_t n, char **out);

void vf_result_free(struct vf_result *r);       /* NULL-safe */

/*
 * Verify @n instruction slots.  Returns 0 when accepted; -EACCES/-EINVAL/
 * -E2BIG (the kernel's codes) when rejected, with r->insn/r->msg and @e
 * ("insn N: message") set; the log (if log_level) is in r->log either way.
 */
int vf_verify(const struct isa_raw *insns, size_t n, const struct vf_opts *opts,
	      struct vf_result *r, struct bb_err *e);

/*
 * Program @idx of ELF object @o (const struct obj *, externs resolved),
 * set up as the loader loads it: linked instructions, maps from the
 * object's specs (bpf_spin_lock from the value's BTF, inner templates),
 * program and expected attach type from its SEC() name, func_info and the
 * object's BTF (global functions), and for tp_btf programs and kfunc
 * calls the kernel's BTF, which @get_vmlinux (may be NULL) is asked for
 * only then.  The caller adds log level etc. to out->opts, verifies
 * out->insns, and frees with vf_obj_prog_free().  0 or -errno (@e).
 */
struct vf_obj_prog {
	struct vf_opts opts;
	struct isa_raw *insns;
	size_t n;
	struct vf_map *maps, *inner;
	struct vf_func_info *func_infos;
};
struct obj;
int vf_obj_prog_setup(const struct obj *o, size_t idx,
		      const void *(*get_vmlinux)(void *arg), void *arg,
		      struct vf_obj_prog *out, struct bb_err *e);
void vf_obj_prog_free(struct vf_obj_prog *p);       /* NULL-safe */
/* tp_btf: the btf_trace_<@tp> typedef in @vmlinux (const struct bbtf *)
 * the kernel attaches to, or 0. */
uint32_t vf_tp_btf_id(const void *vmlinux, const char *tp);
/* The program calls kfuncs (and needs the kernel's BTF to be checked). */
bool vf_calls_kfuncs(const struct isa_raw *insns, size_t n);

/* Program type by libbpf/bpftool name ("xdp", "socket_filter", ...) or -1. */
int vf_prog_type_by_name(const char *name);

/*
 * Verifier case files (tests/verifier/cases/ *.s): annotated programs in
 * either assembler syntax.  Each case starts with "# case: NAME" and has
 * header comments, then its code:
 *   # type: xdp                      program type (vf_prog_type_by_name)
 *   # attach: sched_switch           tp_btf's tracepoint (type tp_btf)
 *   # func_info                      load with BTF func_info (one FUNC per
 *                                    subprogram; needed for subprog[] refs)
 *   # func: NAME global|static RET ARG...   the next subprogram's BTF
 *                                    prototype (implies func_info; below)
 *   # kfunc: NAME                    `call kfunc K` calls the K-th kernel
 *                                    function declared (vf_case_kfuncs)
 *   # map: NAME TYPE KEY VALUE MAX [rdonly] [btf] [spinlock@OFF]
 *                                    map index = order; TYPE is
 *                                    hash, array, prog_array, perf_event_array,
 *                                    percpu_hash, percpu_array, lru_hash,
 *                                    queue, stack, ringbuf, devmap; btf: the
 *                                    map is created with a BTF value type (a
 *                                    struct of VALUE bytes); spinlock@OFF: that
 *                                    struct has a struct bpf_spin_lock at OFF
 *                                    (implies btf; vf_case_map_btf)
 *   # expect: accept | reject FRAGMENT   (FRAGMENT: part of the message)
 *   # kernel-differs: REASON         a documented disagreement with the kernel
 * Files without "# case:" are one case whose headers are optional.
 */
#define VF_CASE_MAX_MAPS 8
#define VF_CASE_MAX_FUNCS 8
struct vf_case {
	char name[96];
	char type_name[32];
	uint32_t prog_type;
	uint32_t expected_attach_type;  /* tp_btf: BPF_TRACE_RAW_TP */
	char attach[64];                /* '# attach: NAME' (tp_btf: the tracepoint) */
	struct vf_map maps[VF_CASE_MAX_MAPS];
	struct vf_map inner[VF_CASE_MAX_MAPS];  /* '# inner:' of maps[i] */
	char map_names[VF_CASE_MAX_MAPS][32];
	size_t map_cnt;
	bool expect_accept;
	bool has_expect;
	bool func_info;                 /* '# func_info': load with BTF func_info */
	char fragment[160];
	char kernel_differs[200];
	int first_line;                 /* 1-based line of the code in the file */
	char *text;                     /* code only (malloc'ed) */
	struct isa_raw *insns;          /* assembled (malloc'ed) */
	size_t n;
	/* '# func: NAME global|static RET ARG...': the BTF prototype of the
	 * next subprogram (in order of their first instruction, the entry
	 * excluded; implies func_info).  Types: int, u8, u16, u32, u64, long,
	 * void (return only), ctx (pointer to the program type's context
	 * struct), ptr:N (pointer to an N-byte struct), int* u8* u64* void*,
	 * struct:NAME* (pointer to an empty struct NAME); an argument may end
	 * in @nonnull or @ctx (the __arg_nonnull / __arg_ctx decl tags). */
	struct vf_case_func {
		char name[32];
		bool global;
		char ret[24];
		char args[5][32];
		int nargs;
	} funcs[VF_CASE_MAX_FUNCS];
	size_t func_cnt;
	/* '# kfunc: NAME': `call kfunc K` in the code calls the K-th one
	 * (0-based); vf_case_kfuncs() turns K into its vmlinux BTF id */
	char kfunc_names[VF_CASE_MAX_FUNCS][48];
	size_t kfuncs;
};

/* Parse every case of @text (@file names errors); *out malloc'ed array. */
int vf_cases_parse(const char *text, const char *file, struct vf_case **out, size_t *cnt,
		   struct bb_err *e);
void vf_cases_free(struct vf_case *c, size_t cnt);
/* Map type by case-file name, or -1. */
int vf_map_type_by_name(const char *name);
/*
 * A '# func_info' case's BTF (the caller frees *btf with bbtf_free()):
 * one FUNC per subprogram (the entry "main", global, int(void); then
 * '# func:' prototypes, or static int f<i>(void) for subprograms without
 * one), and their func_info records in @fi (room for @max).  Returns the
 * record count or -errno (@e: a bad '# func:' line, too many subprograms).
 */
struct bbtf;
int vf_case_btf(const struct vf_case *c, struct bbtf **btf, struct vf_func_info *fi, size_t max,
		struct bb_err *e);
/*
 * The BTF a '# map: ... btf' map is created with: int (id 1, the key's
 * type), struct bpf_spin_lock (id 2), the value struct (id 3, value_size
 * bytes, the lock as member 'lock' at spin_lock_off when it has one).
 * *btf is the caller's (bbtf_free).  Returns the value type id or -errno.
 */
int vf_case_map_btf(const struct vf_map *m, struct bbtf **btf, uint32_t *key_type_id);
/* Point the case's kfunc calls (imm K) at the BTF ids of its '# kfunc:'
 * names in @vmlinux.  Call once per parsed case. */
int vf_case_kfuncs(struct vf_case *c, const struct bbtf *vmlinux, struct bb_err *e);

#endif
