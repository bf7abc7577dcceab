/* SPDX-License-Identifier: MIT */
/*
 * elf/obj.h - BPF ELF objects as clang writes them: programs, maps, global
 * data, relocations, externs, and the .BTF/.BTF.ext hand-off.  Prefix: obj_.
 *
 * obj_open_file()/obj_open_mem() do all the offline work in one pass:
 *
 *   1. read the ELF with libelf, bounds-checking every offset and size
 *      taken from the file;
 *   2. split each executable section into functions (STT_FUNC symbols):
 *      a global function in a SEC() section is a program, `.text` and
 *      static functions are subprograms;
 *   3. map SEC() names to program type / expected attach type / attach
 *      target with libbpf's table (obj_sec_lookup());
 *   4. collect maps: legacy `maps` (struct bpf_map_def, iproute2's
 *      bpf_elf_map), BTF-defined `.maps`, and one internal array map per
 *      global-data section (.data, .rodata, .bss, .data.*, .rodata.*) plus
 *      `.kconfig` for kconfig externs;
 *   5. RECORD every relocation (struct obj_reloc), then APPLY them: each
 *      program gets the code of every subprogram it reaches appended, with
 *      call / callback immediates fixed up and func_info / line_info /
 *      CO-RE records carried along with adjusted instruction offsets.
 *
 * Map references in the linked code are left in the "index" form the
 * kernel also accepts with an fd_array (ld_imm64 src BPF_PSEUDO_MAP_IDX or
 * BPF_PSEUDO_MAP_IDX_VALUE, imm = index into obj_map(), next imm = value
 * offset); obj_prog_insns() turns them into BPF_PSEUDO_MAP_FD /
 * BPF_PSEUDO_MAP_VALUE with real fds for a loader that has them.
 *
 * Externs (.kconfig, .ksyms, kfuncs) need the running kernel (its config,
 * kallsyms, vmlinux BTF), so they are resolved by a separate call,
 * obj_resolve_externs(); until then obj_prog_insns() refuses programs that
 * use an unresolved extern.
 *
 * Errors name the file, the section and, where there is one, the
 * instruction: "prog.o: section 'xdp': insn 12: relocation against
 * undefined symbol 'foo'".  Nothing here prints or exits.
 */
#ifndef BAREBPF_ELF_OBJ_H
#define BAREBPF_ELF_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bb.h"
#include "isa/isa.h"

struct obj;
struct bbtf;
struct bbtf_ext;

/* ------------------------------------------------------------------ */
/* SEC() names                                                          */
/* ------------------------------------------------------------------ */

/* How a SEC() name is matched and what it implies (libbpf's SEC_* flags). */
enum obj_sec_flag {
	OBJ_SEC_ATTACHABLE   = 1u << 0, /* expected_attach_type is passed at load */
	OBJ_SEC_EXP_ATTACH_OPT = 1u << 1, /* ...but old kernels load it without */
	OBJ_SEC_ATTACH_BTF   = 1u << 2, /* needs a BTF id for the attach target */
	OBJ_SEC_SLEEPABLE    = 1u << 3, /* BPF_F_SLEEPABLE */
	OBJ_SEC_XDP_FRAGS    = 1u << 4, /* BPF_F_XDP_HAS_FRAGS */
	OBJ_SEC_USDT         = 1u << 5, /* usdt: needs the USDT spec maps */
	OBJ_SEC_PREFIX       = 1u << 6, /* "name+": "name" or "name/extra" */
};

/* How the text after "prefix/" is to be read (enough for auto-attach). */
enum obj_attach_kind {
	OBJ_ATTACH_NONE,        /* nothing after the prefix, or not attachable */
	OBJ_ATTACH_KPROBE,      /* kprobe/func[+off], kretprobe/func */
	OBJ_ATTACH_KPROBE_MULTI, /* kprobe.multi/pattern */
	OBJ_ATTACH_KSYSCALL,    /* ksyscall/name, kretsyscall/name */
	OBJ_ATTACH_UPROBE,      /* uprobe/path:func[+off] or path:0xaddr */
	OBJ_ATTACH_UPROBE_MULTI, /* uprobe.multi/path:pattern */
	OBJ_ATTACH_USDT,        /* usdt/path:provider:name */
	OBJ_ATTACH_TRACEPOINT,  /* tp/category/name */
	OBJ_ATTACH_RAW_TP,      /* raw_tp/name */
	OBJ_ATTACH_BTF,         /* fentry/fexit/fmod_ret/tp_btf/lsm/iter/freplace: target */
	OBJ_ATTACH_OTHER,       /* struct_ops member etc.: target kept as text */
};

struct obj_sec_def {
	const char *prefix;     /* "kprobe", "xdp.frags", "cgroup/bind4" */
	uint32_t prog_type;     /* enum bpf_prog_type */
	uint32_t attach_type;   /* enum bpf_attach_type (0 when none) */
	uint32_t flags;         /* enum obj_sec_flag */
	uint8_t attach_kind;    /* enum obj_attach_kind */
	bool retprobe;          /* kretprobe, uretprobe, kretsyscall... */
};

/* The table row for SEC() name @sec, or NULL if no row matches. */
const struct obj_sec_def *obj_sec_lookup(const char *sec);
/* Every row, in matching order (for `barebpf obj` help and tests). */
const struct obj_sec_def *obj_sec_defs(size_t *n);

/* A SEC() name taken apart (strings point into @buf). */
struct obj_attach {
	const char *target;     /* text after "prefix/", NULL if none */
	const char *path;       /* uprobe/usdt binary path */
	const char *func;       /* kprobe/uprobe function, raw_tp name, tp name */
	const char *category;   /* tracepoint category; usdt provider */
	uint64_t offset;        /* kprobe/uprobe +offset, uprobe raw address */
	bool has_offset;
};
/*
 * Parse @sec (whose row is @def) the way libbpf's auto-attach does into
 * @out, using @buf (at least strlen(sec)+1 bytes) for the pieces.
 * Returns 0, or -EINVAL with "invalid SEC name 'x': why" in @e.
 */
int obj_attach_parse(const struct obj_sec_def *def, const char *sec,
		     struct obj_attach *out, char *buf, size_t size,
		     struct bb_err *e);

/* ------------------------------------------------------------------ */
/* Opening                                                              */
/* ------------------------------------------------------------------ */

struct obj_open_opts {
	size_t sz;              /* sizeof(struct obj_open_opts) */
	/* Object name: prefixes internal map names (".data" ->
	 * "<name>.data", cut to 15 chars) and names the object in errors.
	 * NULL: the file name without directories and ".o"/".bpf.o". */
	const char *name;
};

/*
 * Open a BPF ELF object.  On success *out is the new object (free with
 * obj_free()); on failure -errno and @e says what and where (e->file is
 * the path, or @opts->name / "<memory>" for obj_open_mem()).
 * obj_open_mem() copies @buf.
 */
int obj_open_file(const char *path, const struct obj_open_opts *opts,
		  struct obj **out, struct bb_err *e);
int obj_open_mem(const void *buf, size_t size, const struct obj_open_opts *opts,
		 struct obj **out, struct bb_err *e);
void obj_free(struct obj *o);   /* NULL-safe */

const char *obj_name(const struct obj *o);
const char *obj_license(const struct obj *o);   /* "" if no license section */
uint32_t obj_kern_version(const struct obj *o); /* `version` section, 0 if none */

/* ------------------------------------------------------------------ */
/* Maps                                                                 */
/* ------------------------------------------------------------------ */

enum obj_map_kind {
	OBJ_MAP_USER,           /* `maps` or `.maps` definition */
	OBJ_MAP_DATA,           /* .data, .data.* */
	OBJ_MAP_RODATA,         /* .rodata, .rodata.* (frozen after load) */
	OBJ_MAP_BSS,            /* .bss (all zero) */
	OBJ_MAP_KCONFIG,        /* .kconfig externs (frozen after load) */
};

/* libbpf's pinning values (LIBBPF_PIN_*) */
enum obj_pin { OBJ_PIN_NONE = 0, OBJ_PIN_BY_NAME = 1 };

/* One slot of a prog array or map-in-map filled at load time, from a
 * `.values = { [3] = &prog }` initialiser (relocations in .rel.maps). */
struct obj_map_slot {
	uint32_t index;         /* key in the outer map */
	int prog;               /* obj_prog() index, or -1 */
	int map;                /* obj_map() index, or -1 */
};

struct obj_map {
	const char *name;       /* symbol name; section name for global data */
	const char *kname;      /* name for the kernel, at most 15 chars */
	const char *section;    /* "maps", ".maps", ".data", ".rodata.str1.1" */
	enum obj_map_kind kind;
	uint32_t type;          /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;     /* BPF_F_*; BPF_F_RDONLY_PROG for rodata/kconfig */
	uint32_t numa_node;
	uint64_t map_extra;
	uint32_t pinning;       /* enum obj_pin */
	/* BTF ids in the object's .BTF (0 if none): the key/value types of a
	 * .maps definition, or the DATASEC for global data (value). */
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	/* Map-in-map template (from `__array(values, ...)` or the iproute2
	 * inner_id); owned by the object, not listed by obj_map(). */
	const struct obj_map *inner;
	/* Initial value of a global-data map (value_size bytes), NULL for
	 * user maps and .bss (zeros).  Set at load with update(key 0). */
	const uint8_t *init;
	bool freeze;            /* BPF_MAP_FREEZE after the initial update */
	const struct obj_map_slot *slots;
	size_t slot_cnt;
};

size_t obj_map_count(const struct obj *o);
const struct obj_map *obj_map(const struct obj *o, size_t i);  /* NULL if out of range */
/* By name or kname; returns the index or -ENOENT. */
int obj_map_by_name(const struct obj *o, const char *name);

/* ------------------------------------------------------------------ */
/* Relocations as recorded (before they were applied)                   */
/* ------------------------------------------------------------------ */

enum obj_reloc_kind {
	OBJ_RELOC_MAP,          /* ld_imm64 of a map: map fd */
	OBJ_RELOC_MAP_VALUE,    /* ld_imm64 into global data: map + offset */
	OBJ_RELOC_CALL,         /* bpf-to-bpf call (call src 1) */
	OBJ_RELOC_FUNC,         /* ld_imm64 src BPF_PSEUDO_FUNC: callback address */
	OBJ_RELOC_EXTERN_VAR,   /* ld_imm64 of a .kconfig / .ksyms extern */
	OBJ_RELOC_KFUNC,        /* call of an extern function (kfunc) */
};

struct obj_reloc {
	enum obj_reloc_kind kind;
	uint32_t elf_type;      /* R_BPF_64_64, R_BPF_64_32, ... */
	uint32_t sec_idx;       /* section the instruction is in */
	uint32_t insn;          /* instruction index in that section */
	const char *sym;        /* symbol name ("" for a section symbol) */
	/* MAP/MAP_VALUE: map index; CALL/FUNC: target instruction in @sec_idx
	 * of the target (target_sec); EXTERN_VAR/KFUNC: extern index. */
	int target;
	uint32_t target_sec;
	uint64_t offset;        /* MAP_VALUE: byte offset in the map value */
};

size_t obj_reloc_count(const struct obj *o);
const struct obj_reloc *obj_reloc(const struct obj *o, size_t i);
const char *obj_reloc_kind_str(enum obj_reloc_kind k);
/* Name of section @idx ("" if out of range). */
const char *obj_section_name(const struct obj *o, uint32_t idx);

/* ------------------------------------------------------------------ */
/* Externs                                                              */
/* ------------------------------------------------------------------ */

enum obj_extern_kind {
	OBJ_EXTERN_KCONFIG,     /* extern ... __kconfig: value in .kconfig map */
	OBJ_EXTERN_KSYM,        /* extern ... __ksym variable */
	OBJ_EXTERN_KFUNC,       /* extern function __ksym: kfunc call */
};

struct obj_extern {
	const char *name;
	enum obj_extern_kind kind;
	bool weak;              /* unresolved is fine: value 0 */
	bool typed;             /* KSYM with a BTF type (BTF id), else kallsyms address */
	bool resolved;
	uint32_t btf_type_id;   /* the VAR / FUNC in the object's BTF */
	uint32_t size;          /* KCONFIG: bytes of the variable */
	uint32_t offset;        /* KCONFIG: offset in the .kconfig map value */
	/* After obj_resolve_externs(): */
	uint64_t addr;          /* typeless KSYM: kallsyms address */
	uint32_t kernel_btf_id; /* typed KSYM / KFUNC: id in vmlinux BTF */
};

size_t obj_extern_count(const struct obj *o);
const struct obj_extern *obj_extern(const struct obj *o, size_t i);

struct obj_extern_opts {
	size_t sz;                      /* sizeof(struct obj_extern_opts) */
	/* Kernel config: literal text, else this file (gzip or plain), else
	 * /proc/config.gz, then /boot/config-$(uname -r). */
	const char *kconfig_text;
	const char *kconfig_path;
	const char *kallsyms_path;      /* NULL: /proc/kallsyms */
	const char *vmlinux_btf_path;   /* NULL: /sys/kernel/btf/vmlinux */
	uint32_t kernel_version;        /* LINUX_KERNEL_VERSION; 0: uname() */
};

/*
 * Give every extern its value: kconfig values into the .kconfig map's
 * initial bytes, typed ksyms and kfuncs the vmlinux BTF id (ld_imm64 src
 * BPF_PSEUDO_BTF_ID / call src BPF_PSEUDO_KFUNC_CALL), typeless ksyms the
 * kallsyms address.  Only reads what the object's externs need.  A
 * missing non-weak extern is -ESRCH naming it.  Idempotent.
 */
int obj_resolve_externs(struct obj *o, const struct obj_extern_opts *opts,
			struct bb_err *e);

/* ------------------------------------------------------------------ */
/* Programs                                                             */
/* ------------------------------------------------------------------ */

/* An instruction that names a map: patch in an fd, or keep the index. */
struct obj_map_ref {
	uint32_t insn;          /* first slot of the ld_imm64 in the linked code */
	uint32_t map;           /* obj_map() index */
	uint32_t off;           /* value offset (is_value), else 0 */
	bool is_value;          /* BPF_PSEUDO_MAP_VALUE rather than _MAP_FD */
};

/* func_info / line_info / CO-RE records of the linked program, with
 * insn_off counted in INSTRUCTIONS from the start of the linked code
 * (what BPF_PROG_LOAD takes).  Strings and types refer to obj_btf(). */
struct obj_func_info { uint32_t insn_off; uint32_t type_id; };
struct obj_line_info { uint32_t insn_off, file_name_off, line_off, line_col; };
struct obj_core_relo { uint32_t insn_off, type_id, access_str_off, kind; };

struct obj_prog {
	const char *name;       /* function name */
	const char *section;    /* SEC() name */
	uint32_t sec_idx;
	const struct obj_sec_def *def;  /* NULL: SEC name not recognised */
	uint32_t prog_type;     /* from def (0 = unknown: loader must refuse) */
	uint32_t expected_attach_type;
	uint32_t prog_flags;    /* BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS */
	struct obj_attach attach;       /* parsed SEC name (strings owned by obj) */
	uint32_t sec_insn_off;  /* where the function starts in its section */
	uint32_t sec_insn_cnt;  /* its own instructions */
	/* Linked code: own instructions, then each reachable subprogram. */
	const struct isa_raw *insns;
	size_t insn_cnt;
	const struct obj_map_ref *map_refs;
	size_t map_ref_cnt;
	const struct obj_func_info *func_info;
	size_t func_info_cnt;
	const struct obj_line_info *line_info;
	size_t line_info_cnt;
	const struct obj_core_relo *core_relos;
	size_t core_relo_cnt;
	bool uses_externs;      /* needs obj_resolve_externs() first */
};

size_t obj_prog_count(const struct obj *o);
const struct obj_prog *obj_prog(const struct obj *o, size_t i); /* NULL if out of range */
/* By function name; returns the index or -ENOENT. */
int obj_prog_by_name(const struct obj *o, const char *name);

/*
 * A malloc'ed copy of program @i's linked code ready to load; returns the
 * instruction count.  With @map_fds (one per obj_map(), @n_fds of them)
 * map references become BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE with the
 * fd; with @map_fds NULL they stay BPF_PSEUDO_MAP_IDX / _IDX_VALUE with the
 * map index (interpreter, or the kernel with an fd_array).  -ENOENT if a
 * program uses an extern obj_resolve_externs() has not resolved.
 */
long obj_prog_insns(const struct obj *o, size_t i, const int *map_fds,
		    size_t n_fds, struct isa_raw **out, struct bb_err *e);

/* Source position of linked instruction @insn of program @i (the nearest
 * line_info at or before it).  0 or -ENOENT (no BTF/line info). */
struct obj_src_line {
	const char *file;
	const char *text;
	uint32_t line, col;
};
int obj_prog_src_line(const struct obj *o, size_t i, uint32_t insn,
		      struct obj_src_line *out);

/* ------------------------------------------------------------------ */
/* BTF hand-off                                                         */
/* ------------------------------------------------------------------ */

/* The parsed .BTF (NULL if the object has none) and .BTF.ext (NULL if
 * none).  Owned by the object. */
const struct bbtf *obj_btf(const struct obj *o);
const struct bbtf_ext *obj_btf_ext(const struct obj *o);
/* The section bytes exactly as in the file; for BPF_BTF_LOAD use
 * bbtf_raw_data(obj_btf(o)), which has the DATASEC sizes and VAR offsets
 * fixed up from the ELF symbols as libbpf does.  NULL, 0 if absent. */
const void *obj_btf_data(const struct obj *o, size_t *size);
const void *obj_btf_ext_data(const struct obj *o, size_t *size);

/* ------------------------------------------------------------------ */
/* CO-RE                                                                */
/* ------------------------------------------------------------------ */

/*
 * One CO-RE relocation as computed and applied (plain data, no pointers,
 * so a caller can keep it after obj_free()).
 */
struct obj_core_res {
	uint32_t prog;          /* obj_prog() index */
	uint32_t relo;          /* index into that program's core_relos */
	uint32_t insn;          /* linked instruction it patched */
	uint32_t kind;          /* enum bpf_core_relo_kind */
	uint32_t local_type_id; /* in obj_btf() */
	uint32_t target_type_id; /* in the target BTF; 0 when none matched */
	uint64_t local_val;     /* what the compiler put in the instruction */
	uint64_t target_val;    /* what it holds now (poisoned: meaningless) */
	bool poisoned;          /* replaced by `call 0xbad2310` (see below) */
	char spec[192];         /* "struct task_struct.pid (0:12)" */
	/* Poisoned only: one line naming program, instruction and access:
	 * "prog 'x': insn 12: CO-RE relocation [3] struct t___x.no_such_field
	 * (0:5): field not found in target BTF; instruction poisoned". */
	char msg[384];
};

struct obj_core_opts {
	size_t sz;              /* sizeof(struct obj_core_opts) */
	/* Target BTF: @target if set (borrowed, not freed), else the raw BTF
	 * file @target_btf_path, else /sys/kernel/btf/vmlinux. */
	const char *target_btf_path;
	const struct bbtf *target;
	/* Out, optional: bb_vec_init(v, sizeof(struct obj_core_res)) them
	 * first; entries are appended.  @results gets every relocation of
	 * every program, @diags only the poisoned ones. */
	struct bb_vec *results;
	struct bb_vec *diags;
};

/*
 * Apply every program's CO-RE relocations (.BTF.ext core_relo records,
 * already moved to linked-code offsets) against the target BTF, the way
 * libbpf's relo_core.c does: find candidates by essential name (the part
 * before "___"), match the access string through them, check the
 * instruction still holds the local value, and patch the ALU/LDX/ST/STX/
 * ld_imm64 immediate or offset.  A relocation that has no match (and is
 * not an EXISTS kind) poisons its instruction as libbpf does (the kernel
 * says "invalid func unknown#195896080" if that path is reached) and is
 * reported in @opts->diags: that is not an error.  Errors (-errno, @e set
 * with section and instruction): no target BTF, malformed records,
 * ambiguous candidates, an instruction that does not hold the local
 * value, a load whose size cannot follow the field's.
 *
 * Each call starts again from the code as linked, so calling twice with
 * the same target is a no-op and calling with another target replaces
 * the earlier result; on error every program's CO-RE instructions are
 * left as linked.  obj_prog_insns() returns the relocated code.
 * An object without CO-RE records returns 0 without reading any BTF.
 */
int obj_core_relocate(struct obj *o, const struct obj_core_opts *opts, struct bb_err *e);

#endif
