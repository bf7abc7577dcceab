/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_internal.h - what the elf/ sources share and the tests may poke
 * at.  Not installed.
 *
 * Ownership: struct obj owns one copy of the file bytes (o->buf: a
 * malloc'ed copy of the file or, for a large one, of the parts we use,
 * or a private copy-on-write mapping of it); section data, symbol names
 * and section names point into that copy, so they live exactly as long
 * as the object.
 * Everything else (programs, maps, relocations, linked code) is malloc'ed
 * and freed by obj_free().
 */
#ifndef BAREBPF_ELF_OBJ_INTERNAL_H
#define BAREBPF_ELF_OBJ_INTERNAL_H

#include <gelf.h>
#include <libelf.h>

#include "common/bb_uapi.h"
#include "elf/obj.h"

/* ELF relocation types for BPF (llvm/BinaryFormat/ELFRelocs/BPF.def).
 * <elf.h> on Debian 12 only knows R_BPF_NONE and R_BPF_64_64. */
#define OBJ_R_BPF_NONE 0
#define OBJ_R_BPF_64_64 1           /* ld_imm64: S + A */
#define OBJ_R_BPF_64_ABS64 2        /* data: S + A (64-bit) */
#define OBJ_R_BPF_64_ABS32 3        /* data: S + A (32-bit) */
#define OBJ_R_BPF_64_NODYLD32 4     /* .BTF/.BTF.ext: S + A, not for loaders */
#define OBJ_R_BPF_64_32 10          /* call: (S + A) / 8 - 1 */

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* libbpf's limits we follow. */
#define OBJ_NAME_LEN 16             /* BPF_OBJ_NAME_LEN incl. NUL */
#define OBJ_LEGACY_MAP_DEF_SIZE 20  /* struct bpf_map_def */
#define OBJ_ELF_MAP_DEF_SIZE 36     /* iproute2 struct bpf_elf_map */

/* What a section is to us. */
enum obj_sec_role {
	OBJ_SEC_OTHER,          /* debug info, notes: ignored */
	OBJ_SEC_PROG,           /* SHF_EXECINSTR code */
	OBJ_SEC_DATA,           /* .data, .data.* */
	OBJ_SEC_RODATA,         /* .rodata, .rodata.* */
	OBJ_SEC_BSS,            /* .bss, .bss.* */
	OBJ_SEC_MAPS_LEGACY,    /* maps */
	OBJ_SEC_MAPS_BTF,       /* .maps */
	OBJ_SEC_LICENSE,
	OBJ_SEC_VERSION,
	OBJ_SEC_BTF,
	OBJ_SEC_BTF_EXT,
	OBJ_SEC_SYMTAB,
	OBJ_SEC_REL,
	OBJ_SEC_STRUCT_OPS,     /* .struct_ops, .struct_ops.link */
};

struct obj_sec {
	const char *name;
	uint32_t idx;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint32_t sh_link, sh_info;
	const uint8_t *data;    /* NULL for SHT_NOBITS and empty sections */
	size_t size;            /* sh_size (also for NOBITS) */
	enum obj_sec_role role;
	int map;                /* internal map index, -1 if none */
	/* Executable sections: one entry per instruction, index+1 of the
	 * relocation recorded at it (0: none), and of the function that
	 * starts there (0: none).  One block, freed through func_at. */
	uint32_t *rel_at;
	uint32_t *func_at;
};

struct obj_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	uint16_t shndx;
	uint8_t bind;           /* STB_* */
	uint8_t type;           /* STT_* */
};

/* A function in an executable section: a program or a subprogram. */
struct obj_func {
	const char *name;
	uint32_t sec_idx;
	uint32_t off;           /* first instruction in the section */
	uint32_t cnt;           /* instructions */
	bool global;
	bool called;            /* target of a call or callback reference */
	int prog;               /* program index, -1 for a subprogram */
};

/* A program's reference to an extern, patched by obj_resolve_externs(). */
struct obj_ext_ref {
	uint32_t insn;          /* linked instruction */
	uint32_t ext;           /* extern index */
};

/* Private per-program state beside the public struct obj_prog. */
struct obj_prog_priv {
	struct isa_raw *insns;
	struct bb_vec map_refs;         /* struct obj_map_ref */
	struct bb_vec ext_refs;         /* struct obj_ext_ref */
	struct bb_vec func_info;        /* struct obj_func_info */
	struct bb_vec line_info;        /* struct obj_line_info */
	struct bb_vec core_relos;       /* struct obj_core_relo */
	/* The linked code as it was before the first obj_core_relocate(),
	 * so every call relocates from the compiler's values (NULL until
	 * then; only CO-RE instructions are ever restored from it). */
	struct isa_raw *core_orig;
	char *attach_buf;               /* backing store for prog.attach */
	uint32_t func;                  /* its struct obj_func */
};

/* Private per-map state beside the public struct obj_map. */
struct obj_map_priv {
	char *name;
	char *kname;
	uint8_t *init;          /* copy of the initial bytes (global data) */
	struct bb_vec slots;    /* struct obj_map_slot */
	struct obj_map *inner;  /* malloc'ed template, or NULL */
	struct obj_map_priv *inner_priv;
	uint32_t sec_idx;
	uint64_t sec_off;       /* where the definition sits in its section */
	uint64_t def_size;      /* bytes of the definition */
	uint64_t values_off;    /* .maps: byte offset of `values` in the def, or -1 */
	uint32_t elf_id;        /* iproute2 bpf_elf_map id (for inner_id) */
	uint32_t inner_id, inner_idx;
};

struct obj_extern_priv {
	struct obj_extern pub;
	uint32_t sym;           /* symbol index */
	uint32_t align;         /* KCONFIG: alignment of the type */
	int kcfg_type;          /* KCONFIG: enum obj_kcfg_type */
	bool is_signed;
};

enum obj_kcfg_type {
	OBJ_KCFG_UNKNOWN,
	OBJ_KCFG_CHAR,          /* char: 'y', 'm' or 'n' */
	OBJ_KCFG_BOOL,          /* bool: y -> 1, n -> 0 */
	OBJ_KCFG_INT,           /* integer of pub.size bytes */
	OBJ_KCFG_TRISTATE,      /* enum libbpf_tristate: n 0, y 1, m 2 */
	OBJ_KCFG_CHAR_ARR,      /* char[N]: quoted string */
};

struct obj {
	char *name;
	char *path;             /* for errors: file path or "<memory>" */
	uint8_t *buf;
	size_t size;
	size_t buf_map_len;     /* non-zero: buf is a private file mapping */
	/* A large file read in part (load_sparse() in obj.c): buf holds the
	 * ELF header, then the section header table (shtab) and the bytes
	 * of the sections open_common() looks at, at sec_data[i] (NULL for
	 * a section not read, whose bytes nothing looks at).  Both NULL when
	 * buf is the whole file; size is the file's size either way. */
	const uint8_t *shtab;
	const uint8_t **sec_data;
	/* Ids of the DATASECs in btf, ascending, found by one pass after
	 * parsing: open looks a DATASEC up by name 3-10 times per object,
	 * and each bbtf_find_by_name_kind() before the name index exists
	 * scans every type.  Parsing sets them; nothing in open adds or
	 * renames a DATASEC. */
	uint32_t *datasecs;
	size_t n_datasecs;
	Elf *elf;
	struct obj_sec *secs;
	size_t nsecs;
	struct obj_sym *syms;
	size_t nsyms;
	uint32_t symtab_idx;
	uint32_t btf_sec, btf_ext_sec;  /* first sections named .BTF, .BTF.ext; 0: none */
	char license[128];
	uint32_t kern_version;
	struct bb_vec funcs;            /* struct obj_func */
	struct bb_vec progs;            /* struct obj_prog */
	struct bb_vec prog_priv;        /* struct obj_prog_priv, parallel */
	struct bb_vec maps;             /* struct obj_map */
	struct bb_vec map_priv;         /* struct obj_map_priv, parallel */
	struct bb_vec relocs;           /* struct obj_reloc */
	struct bb_vec externs;          /* struct obj_extern_priv */
	int kconfig_map;                /* -1 if none */
	struct bbtf *btf;
	struct bbtf_ext *btf_ext;
	const uint8_t *btf_data, *btf_ext_data;
	size_t btf_size, btf_ext_size;
};

/* Error helpers: set file + section, then the message. */
int obj_err(const struct obj *o, struct bb_err *e, int code, const char *sec,
	    int insn, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Section by index (NULL if out of range) and by name (NULL if none). */
struct obj_sec *obj_sec_at(const struct obj *o, size_t idx);
struct obj_sec *obj_sec_by_name(const struct obj *o, const char *name);
/* Symbol by name (first defined one), or -ENOENT. */
int obj_sym_by_name(const struct obj *o, const char *name);
/* Function starting at instruction @insn of section @sec, or NULL. */
struct obj_func *obj_func_at(const struct obj *o, uint32_t sec, uint32_t insn);
static inline struct obj_prog *obj_progs(const struct obj *o)
{
	return (struct obj_prog *)o->progs.data;
}
static inline struct obj_prog_priv *obj_prog_privs(const struct obj *o)
{
	return (struct obj_prog_priv *)o->prog_priv.data;
}
static inline struct obj_map *obj_maps(const struct obj *o)
{
	return (struct obj_map *)o->maps.data;
}
static inline struct obj_map_priv *obj_map_privs(const struct obj *o)
{
	return (struct obj_map_priv *)o->map_priv.data;
}
static inline struct obj_extern_priv *obj_externs(const struct obj *o)
{
	return (struct obj_extern_priv *)o->externs.data;
}

/*
 * Whether raw instruction @r can be what the scans for local calls act on
 * or step over by two: a call with src BPF_PSEUDO_CALL or any ld_imm64.
 * For every other instruction isa_decode() answers one slot or invalid,
 * and both step by one, so the scans skip it undecoded (decoding every
 * instruction twice was a fifth of opening a small object).
 */
static inline bool obj_may_call_or_lddw(const struct isa_raw *r)
{
	return r->code == (BPF_LD | BPF_IMM | BPF_DW) ||
	       (r->code == (BPF_JMP | BPF_CALL) && r->src == ISA_PSEUDO_CALL);
}

/* bbtf_find_by_name_kind(o->btf, @name, BTF_KIND_DATASEC) from
 * o->datasecs: the lowest id of a DATASEC named @name, or -ENOENT. */
int obj_datasec(const struct obj *o, const char *name);

/* Append a map (zeroed public + private halves); returns its index. */
int obj_map_add(struct obj *o, struct bb_err *e);
void obj_map_priv_free(struct obj_map_priv *p);

/* Steps of obj_open, in order (each returns 0 or -errno with @e set). */
int obj_collect_maps(struct obj *o, struct bb_err *e);        /* obj_maps.c */
int obj_collect_externs(struct obj *o, struct bb_err *e);     /* obj_extern.c */
int obj_record_relocs(struct obj *o, struct bb_err *e);       /* obj_reloc.c */
int obj_collect_map_slots(struct obj *o, struct bb_err *e);   /* obj_maps.c */
int obj_fixup_btf(struct obj *o, struct bb_err *e);           /* obj_extern.c */
int obj_link_progs(struct obj *o, struct bb_err *e);          /* obj_link.c */

/* libbpf's kernel-visible name for an internal map: object-name prefix
 * cut so that "<prefix><section>" fits 15 chars ("my_objec.rodata"). */
void obj_internal_map_name(const char *obj_name, const char *sec_name,
			   char out[OBJ_NAME_LEN]);

/*
 * Kernel config lookup in @text (a .config file's contents): the value of
 * @name ("CONFIG_BPF") as written after '=' (quotes kept), or "n" for a
 * "# CONFIG_X is not set" line.  Returns the value length and points
 * *val into @text, or -ENOENT.
 */
long obj_kconfig_find(const char *text, size_t len, const char *name,
		      const char **val);
/*
 * Store config value @val (@vlen bytes, as obj_kconfig_find() gives it)
 * into extern @ext's slot @dst ([ext->pub.size] bytes).  -EINVAL with the
 * reason ("value 'm' is not valid for bool") in @e.
 */
int obj_kconfig_set(const struct obj_extern_priv *ext, const char *val, size_t vlen,
		    uint8_t *dst, struct bb_err *e);
/* Read a kernel config file, gzip or plain, into a malloc'ed NUL-terminated
 * buffer.  Returns the length or -errno. */
long obj_kconfig_read(const char *path, char **out, struct bb_err *e);

#endif
