/* SPDX-License-Identifier: MIT */
/* verifier/vf_internal.h - the eBPF layer's state, shared by vf_*.c. */
#ifndef BAREBPF_VERIFIER_VF_INTERNAL_H
#define BAREBPF_VERIFIER_VF_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "verifier/vf.h"
#include "verifier/vf_domain.h"

#define VF_NREGS 11
#define VF_STACK 512
#define VF_SLOTS (VF_STACK / 8)
#define VF_MAX_FRAMES 8
#define VF_MAX_REFS 32
#define VF_INSN_LIMIT 1000000
#define VF_JMP_SEQ_LIMIT 8192

/* Register types (the kernel's enum bpf_reg_type, the part we model). */
enum vf_rtype {
	VF_NOT_INIT, VF_SCALAR, VF_PTR_CTX, VF_CONST_MAP, VF_PTR_MAP_VALUE,
	VF_PTR_MAP_KEY, VF_PTR_STACK, VF_PTR_PKT, VF_PTR_PKT_META, VF_PTR_PKT_END,
	VF_PTR_MEM, VF_PTR_FUNC,
	VF_PTR_SOCK,            /* socket from a helper or skb->sk: aux = enum vf_sock_kind */
	VF_PTR_BTF_ID,          /* kernel object: aux = its BTF type id */
	VF_RTYPE_COUNT
};

enum { VF_MAYBE_NULL = 1, VF_RDONLY = 2, VF_RINGBUF = 4,
       VF_INNER_MAP = 8,    /* map_value_or_null of a map-in-map: aux is the inner map */
       VF_TRUSTED = 16,     /* PTR_BTF_ID: trusted_ptr_ */
       VF_RCU = 32,         /* PTR_BTF_ID: rcu_ptr_ (MEM_RCU) */
       VF_UNTRUSTED = 64 }; /* PTR_BTF_ID: untrusted_ptr_ */

struct vf_reg {
	uint8_t type;           /* enum vf_rtype */
	uint8_t flags;          /* VF_MAYBE_NULL ... */
	uint8_t frameno;        /* PTR_STACK: which frame */
	uint8_t link;           /* scalars: VF_LINK_* (how it relates to its id) */
	int32_t off;            /* fixed pointer offset; a linked scalar's delta */
	uint32_t id;            /* null-check / packet-range / scalar-copy id */
	uint32_t ref_obj_id;    /* acquired reference this pointer holds */
	uint32_t aux;           /* map index, packet range, mem size, subprog */
	struct vf_sval v;       /* scalar value, or a pointer's variable offset */
};

/*
 * Linked scalars (the kernel's BPF_ADD_CONST64/32): scalars with the same
 * id are copies of one value V, taken when it was moved; a copy that then
 * got a constant added or subtracted is V + off (LINK64) or (u32)(V + off)
 * (LINK32, only when V fits 32 bits).  A branch that narrows one narrows
 * the others (sync_linked in vf_verify.c).
 */
enum { VF_LINK_NONE, VF_LINK64, VF_LINK32 };

static inline void vf_scalar_unlink(struct vf_reg *r)
{
	r->id = 0;
	r->link = VF_LINK_NONE;
	r->off = 0;
}

/* register_is_null: the scalar 0. */
static inline bool vf_reg_is_null(const struct vf_reg *r)
{
	return r->type == VF_SCALAR && vf_sval_is_const(&r->v) && !r->v.t.value;
}

/* is_trusted_reg: a referenced pointer, or a trusted one that is neither
 * maybe-NULL, RCU nor untrusted. */
static inline bool vf_reg_trusted(const struct vf_reg *r)
{
	return r->ref_obj_id ||
	       ((r->flags & VF_TRUSTED) && !(r->flags & (VF_MAYBE_NULL | VF_RCU | VF_UNTRUSTED)));
}

/* dst = src or dst = imm, 32 or 64 bits (not movsx): writes dst without
 * reading it, the one ALU_K/ALU_X row family that does. */
static inline bool vf_is_mov(const struct isa_insn *in)
{
	return in->op == ISA_OP_MOV32_K || in->op == ISA_OP_MOV32_X ||
	       in->op == ISA_OP_MOV64_K || in->op == ISA_OP_MOV64_X;
}

/* VF_PTR_SOCK's aux: the kernel's PTR_TO_SOCKET, PTR_TO_SOCK_COMMON and
 * PTR_TO_TCP_SOCK, one register type here since they share every rule
 * but which fields may be read (vf_sock.c). */
enum vf_sock_kind { VF_SK_SOCK, VF_SK_COMMON, VF_SK_TCP };

/* Per-byte stack state. */
enum { VF_ST_INVALID, VF_ST_MISC, VF_ST_ZERO, VF_ST_SPILL };

/* A frame's stack: 512 per-byte types and 64 spilled registers (6 KiB,
 * six times the rest of a frame). */
struct vf_stack {
	uint8_t stype[VF_STACK];        /* [i] is fp-512+i */
	struct vf_reg spill[VF_SLOTS];  /* [s] is fp-512+8s .. +8 */
};

/*
 * Frames share their stack copy-on-write: a state copy (a checkpoint, a
 * pushed branch) shares the stack with the original until one of them
 * writes it, so a loop that leaves the stack alone keeps one stack for
 * all its checkpoints.  Read through @stk freely; write only through
 * vf_stack_mut(), which makes the frame's stack its own first.
 */
struct vf_frame {
	struct vf_reg regs[VF_NREGS];
	const struct vf_stack *stk;
	bool stk_owned;                 /* no other frame refers to *stk */
	int callsite;                   /* insn of the call, -1 for main */
	int subprog;
	int depth;                      /* deepest byte used (positive) */
	/* callbacks (bpf_loop, for_each_map_elem): this frame is one, and
	 * the callbacks already verified from this frame's pending call
	 * (the kernel's in_callback_fn / callback_depth) */
	bool in_callback;
	int callback_depth;
};

/* An acquired reference, or a held bpf_spin_lock (the kernel keeps both
 * in its refs array: REF_TYPE_PTR, REF_TYPE_LOCK).  A lock's id is the
 * id of the map value pointer it was taken through; @map tells two maps'
 * locks apart. */
enum { VF_REF_PTR, VF_REF_LOCK };
struct vf_ref { uint32_t id; int insn; uint8_t kind; uint32_t map; };

struct vf_state {
	struct vf_state *parent;        /* explored state this path came from */
	struct vf_state *next;          /* in an explored-states list */
	int insn;                       /* where this path resumes */
	int prev_insn;                  /* for "from X to Y" */
	uint32_t branches;              /* live paths below (explored states) */
	uint32_t loop_hits;
	uint32_t hit_cnt, miss_cnt;      /* explored: prune hits / misses */
	int curframe;
	int nrefs;
	struct vf_ref refs[VF_MAX_REFS];
	size_t log_pos;                 /* log length when pushed (level 1) */
	struct vf_pnode *path;          /* for --explain: insns so far, newest first */
	struct vf_frame *frames[VF_MAX_FRAMES];
	bool active_rcu;                /* inside bpf_rcu_read_lock() (vf_kfunc.c) */
};

/* One insn of a path; rec/frame only while --explain records states. */
struct vf_pnode {
	struct vf_pnode *prev;
	uint32_t pc;
	uint32_t len;
	struct vf_prec *rec;            /* what the insn changed (vf_explain.c) */
	uint8_t frame;                  /* call depth it ran in */
};
/* A global function's arguments as its BTF prototype gives them
 * (the kernel's bpf_subprog_arg_info): vf_global.c. */
enum vf_garg { VF_GARG_SCALAR = 1, VF_GARG_CTX, VF_GARG_MEM, VF_GARG_MEM_OR_NULL };

struct vf_subprog {
	int start, end; int stack_depth;
	/* func_info: BTF_FUNC_GLOBAL linkage, name, prototype (vf_global.c) */
	bool global, called, verified, args_ready;
	const char *name;
	uint8_t nargs;
	uint8_t arg[5];                 /* enum vf_garg */
	uint32_t mem_size[5];
};

/* One verification run.  States live in the arena until the run ends. */
struct vf_env {
	const struct isa_raw *raw;
	size_t n;
	struct isa_insn *insns;         /* decoded; slot 2 of lddw: op = UINT16_MAX */
	uint8_t *reserved_bad;          /* [pc]: reserved fields set, refused when reached */
	uint16_t *live;                 /* [pc]: registers live before pc (vf_live.c) */
	const struct vf_opts *o;
	/* o->maps, then each map-in-map's inner template (inner_idx[i]: its
	 * index here, UINT32_MAX if none) */
	const struct vf_map *maps;
	struct vf_map *maps_own;
	uint32_t *inner_idx;
	size_t map_cnt;
	const void *ctx_layout;         /* const struct env_ctx_layout * */
	struct vf_result *res;
	struct vf_state *cur;
	/* pending branches (a stack) */
	struct vf_state **stack;
	size_t stack_len, stack_cap;
	/* explored states per insn and prune points */
	struct vf_state **explored;
	uint32_t *nstates;
	uint8_t *prune_point;
	struct vf_subprog sub[VF_MAX_SUBPROGS];
	int nsub;
	uint32_t next_id;
	uint64_t processed;
	uint64_t jmps, prev_jmps, prev_processed; /* add_new_state heuristic */
	uint32_t cur_states, peak_states, total_states;
	/* arena */
	struct vf_chunk *chunks;
	size_t arena_bytes;
	const struct vf_stack *empty_stack;     /* all invalid, shared by new frames */
	bool oom;                               /* vf_stack_mut() failed */
	/* log */
	char *log;
	size_t log_len, log_cap;
	int scratched;                  /* bitmask of registers touched by the insn */
	uint64_t scratched_stack;       /* slots touched */
	bool pkt_changed;
	char err_msg[256];
	int err_insn;
	struct vf_xp *xp;               /* --explain/--dot recording, NULL when off */
};

/* arena / states (vf_state.c) */
void *vf_arena_alloc(struct vf_env *env, size_t size);
struct vf_state *vf_state_new(struct vf_env *env);
struct vf_state *vf_state_copy(struct vf_env *env, const struct vf_state *s);
struct vf_frame *vf_frame_new(struct vf_env *env, int callsite, int subprog, int frameno);
/* Every register and spill of every frame for which @cond holds gets
 * @action (a spill's stack is made writable only then: copy-on-write). */
#define FOR_EACH_REG_IF(env, st, r, cond, action)                             \
	for (int f_ = 0; f_ <= (st)->curframe; f_++) {                        \
		struct vf_frame *fr_ = (st)->frames[f_];                      \
		for (int i_ = 0; i_ < VF_NREGS + VF_SLOTS; i_++) {            \
			int s_ = i_ - VF_NREGS;                               \
			struct vf_reg *r = i_ < VF_NREGS ? &fr_->regs[i_] :   \
				(struct vf_reg *)&fr_->stk->spill[s_];        \
			if (i_ >= VF_NREGS && fr_->stk->stype[s_ * 8] != VF_ST_SPILL) \
				continue;                                     \
			if (!(cond))                                          \
				continue;                                     \
			if (i_ >= VF_NREGS)                                   \
				r = &vf_stack_mut((env), fr_)->spill[s_];     \
			action;                                               \
		}                                                             \
	}

/* @f's stack, made writable (copied if shared).  Out of memory: a scratch
 * stack is returned and env->oom set; the driver stops with -ENOMEM. */
struct vf_stack *vf_stack_mut(struct vf_env *env, struct vf_frame *f);
void vf_arena_free(struct vf_env *env);
bool vf_states_equal(const struct vf_state *old, const struct vf_state *cur, bool exact);
/* The same, comparing in frame f only the registers in live[f] (NULL: all). */
bool vf_states_equal_live(const struct vf_state *old, const struct vf_state *cur, bool exact,
			  const uint16_t *live);

/* register liveness (vf_live.c): env->live[pc], registers live before pc */
int vf_compute_liveness(struct vf_env *env);
void vf_live_masks(const struct vf_env *env, const struct vf_state *st, int pc, uint16_t *masks);
void mark_reg_unknown(struct vf_reg *r);
void mark_reg_not_init(struct vf_reg *r);
void mark_reg_const(struct vf_reg *r, uint64_t v);
bool is_pointer(const struct vf_reg *r);
bool is_pkt_pointer(const struct vf_reg *r);
struct vf_frame *cur_frame(struct vf_env *env);
struct vf_reg *cur_regs(struct vf_env *env);

/* log (vf_log.c) */
void vf_log(struct vf_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vf_reject(struct vf_env *env, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *vf_reg_type_str(const struct vf_reg *r);
void vf_log_reg(struct vf_env *env, const struct vf_reg *r, char *buf, size_t size);
void vf_log_state(struct vf_env *env, const struct vf_state *s, bool only_scratched);
void vf_log_insn(struct vf_env *env, int pc);
void vf_log_truncate(struct vf_env *env, size_t pos);
/* Where state text goes: the run's log (vec NULL; the caller checks
 * log_level) or a growable char buffer (--explain, --dot). */
struct vf_text { struct vf_env *env; struct bb_vec *vec; int err; /* -ENOMEM: text short */ };
void vf_text_printf(struct vf_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vf_fmt_slot(struct vf_text *t, int slot, const uint8_t *stype, const struct vf_reg *spill);
/* " frameN: R0=.. fp-8=.. refs=.." of @s, the registers in @regmask (from
 * @regs instead when not NULL) and the slots in @slotmask; unset registers
 * are left out, as the kernel's log does, unless @not_init ("R2=not_init") */
void vf_fmt_state(struct vf_text *t, const struct vf_state *s, const struct vf_reg *regs,
		  uint32_t regmask, uint64_t slotmask, bool not_init);

/* instructions (vf_insn.c) */
int check_alu_op(struct vf_env *env, const struct isa_insn *in, int pc);
int check_mem_insn(struct vf_env *env, const struct isa_insn *in, int pc);
int check_ld_imm64(struct vf_env *env, const struct isa_insn *in, int pc);
int check_reg_read(struct vf_env *env, int regno);
int check_mem_region(struct vf_env *env, int regno, const struct vf_reg *r, int off,
		     int size, bool write, bool helper, uint64_t umax_size);
int check_ld_abs(struct vf_env *env, const struct isa_insn *in, int pc);
uint32_t vf_new_id(struct vf_env *env);

/* prune_point[] bits */
enum { VF_PRUNE = 1, VF_CALLS_CALLBACK = 2 };

/* --explain/--dot recording (vf_explain.c): the driver calls these only
 * when env->xp is set, so a run without them pays one test per insn. */
int vf_xp_new(struct vf_env *env);                      /* after decoding */
int vf_xp_before(struct vf_env *env, int pc);           /* before each insn */
void vf_xp_pruned(struct vf_env *env, int pc);          /* path stopped at a prune point */
int vf_xp_after(struct vf_env *env, int pc);            /* insn done, env->cur updated */
int vf_xp_edge(struct vf_env *env, struct vf_state *other, int pc);   /* branch pushed */
void vf_xp_result_free(struct vf_result *r);            /* the explain/dot fields */
void vf_xp_finish(struct vf_env *env, struct vf_result *r);      /* fills r, frees */

/* exploration (vf_verify.c) */
int vf_push_state(struct vf_env *env, struct vf_state *s);

/* calls (vf_calls.c) */
void vf_release_ref(struct vf_env *env, uint32_t id);
void vf_clear_pkt_pointers(struct vf_env *env);
/* Drop reference @id from st->refs keeping the others' order (the kernel's
 * release_reference_state; leak messages name the oldest first). */
void vf_refs_remove(struct vf_state *st, uint32_t id);
/* Record reference @id (kind VF_REF_*) acquired at @pc; 0 or -errno. */
int vf_ref_acquire(struct vf_env *env, uint32_t id, int pc, uint8_t kind, uint32_t map);
/* The kernel's check_resource_leak (@prefix: "BPF_EXIT instruction in main
 * prog", "tail_call", ...); @check_lock also refuses a held lock or RCU
 * read section. */
int vf_check_resource_leak(struct vf_env *env, bool check_lock, const char *prefix);
/* Every map the program refers to may be used by its program type (the
 * kernel's check_map_prog_compatibility, before verification). */
int vf_check_map_uses(struct vf_env *env);
/* The held bpf_spin_lock's entry in st->refs, or NULL. */
const struct vf_ref *vf_active_lock(const struct vf_state *st);
/* The value of @m has a bpf_spin_lock: map value pointers keep their id
 * after the null check (the lock is identified by it). */
bool vf_map_has_lock(const struct vf_map *m);
int check_helper_call(struct vf_env *env, const struct isa_insn *in, int pc);
int check_func_call(struct vf_env *env, const struct isa_insn *in, int pc, int *next);
int check_exit(struct vf_env *env, int pc, int *next, bool *path_done);

/* context (vf_ctx.c) */
int check_ctx_access(struct vf_env *env, int regno, const struct vf_reg *r, int off,
		     int size, bool write, struct vf_reg *dst);
bool vf_ctx_known(uint32_t prog_type);

/* sockets (vf_sock.c) */
const char *vf_sock_type_str(const struct vf_reg *r);   /* "sock_common_or_null" ... */
int check_sock_access(struct vf_env *env, int regno, const struct vf_reg *r, int off, int size,
		      bool write, struct vf_reg *dst);

/* BTF-typed pointers (vf_btf.c) */
bool vf_btf_ctx(const struct vf_env *env);
int check_btf_ctx_access(struct vf_env *env, int off, int size, bool write, struct vf_reg *dst);
int check_ptr_to_btf_access(struct vf_env *env, int regno, const struct vf_reg *r, int off,
			    int size, bool write, struct vf_reg *dst);
extern __thread const void *vf_log_btf;    /* names PTR_BTF_ID types in the log */

/* BTF types (vf_btf.c): modifiers and typedefs skipped; int or enum */
struct bbtf;
struct btf_type;
const struct btf_type *vf_btf_skip(const struct bbtf *btf, uint32_t id, uint32_t *out);
bool vf_btf_is_scalar(const struct btf_type *t);

/* global functions (vf_global.c) */
int vf_func_info_check(struct vf_env *env);
bool vf_subprog_global(const struct vf_env *env, int sub);
int check_global_call(struct vf_env *env, int sub, int pc);
int vf_global_entry(struct vf_env *env, int sub, struct vf_state **out);
int check_mem_reg(struct vf_env *env, int regno, uint32_t size);
/* The struct a program type's `T *ctx` argument points to (NULL: none). */
const char *vf_ctx_struct_name(uint32_t prog_type);

/* kfuncs (vf_kfunc.c) */
int check_kfunc_call(struct vf_env *env, const struct isa_insn *in, int pc);
int vf_kfunc_exit(struct vf_env *env, const char *prefix);

#endif
