/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_cmd.c - the bpf() commands around loading: BPF_BTF_LOAD (with
 * a log that grows like the verifier's), BPF_MAP_FREEZE, object info,
 * id walks, fds by id, pinning; and the probe of which BTF kinds the
 * running kernel accepts.  Thin wrappers as in ldr_sys.c: zero the attr,
 * fill it, call, return fd/0 or -errno.
 */
#include "loader/ldr_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btf/btf.h"

int ldr_map_freeze(int map_fd)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	err = ldr_sys_bpf(BPF_MAP_FREEZE, &attr, sizeof(attr));
	return err < 0 ? err : 0;
}

int ldr_btf_load(const void *data, size_t size, const struct ldr_btf_load_opts *user,
		 struct bb_err *e)
{
	struct ldr_btf_load_opts o = { 0 };
	struct ldr_log log = { 0 };
	union bpf_attr attr;
	/* The 6.1 uapi union has no btf_log_true_size (6.4), so the grown
	 * log doubles without the kernel's hint; BTF logs are short. */
	struct ldr_log_attr la = {
		.cmd = BPF_BTF_LOAD, .attr = &attr, .attr_size = sizeof(attr),
		.level = &attr.btf_log_level, .size = &attr.btf_log_size,
		.buf = (uint64_t *)&attr.btf_log_buf,
	};
	const char *name, *text;
	char head[BB_ERR_MSG_MAX];
	int fd, err;

	err = ldr_opts_copy(&o, sizeof(o), user, user ? user->sz : 0);
	if (err)
		return bb_err_insn(e, err, -1, "btf: options struct sets fields this barebpf does not know");
	name = o.name ? o.name : "";
	if (!data || !size || size > UINT32_MAX)
		return bb_err_insn(e, -EINVAL, -1, "btf '%s': no data", name);
	if (o.log_buf && o.log_size < 128)
		return bb_err_insn(e, -EINVAL, -1, "btf '%s': log buffer under 128 bytes", name);
	if (o.log)
		memset(o.log, 0, sizeof(*o.log));

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	fd = ldr_call_with_log(&la, o.log_level, o.log_buf, o.log_size, &log, &text);
	if (fd >= 0) {
		/* Ownership of the new fd passes to the caller here. */
		fd = ldr_good_fd(fd);
		if (fd < 0)
			bb_err_insn(e, fd, -1, "btf '%s': cannot move fd above 2: %s",
				    name, strerror(-fd));
	} else {
		snprintf(head, sizeof(head), "btf '%s': load failed", name);
		ldr_log_err(e, fd, head, text, log.truncated);
		/* BTF logs name types ("[3] STRUCT foo"), not instructions. */
		if (e)
			e->insn = -1;
	}
	if (o.log)
		*o.log = log;   /* the caller now owns log.buf */
	else
		ldr_log_free(&log);
	return fd;
}

/*
 * A small BTF with the types that need @feats (a mask of enum
 * bbtf_feature; 0: just an INT), loaded and closed.  1 if the kernel took
 * it, 0 if not, -errno if it could not be built.
 */
static int ldr_btf_probe(unsigned feats)
{
	struct bbtf *b = NULL;
	const void *raw;
	size_t size;
	int fd, i, ret = -ENOMEM, proto, var;

	if (bbtf_new(NULL, &b) < 0)
		return -ENOMEM;
	i = bbtf_add_int(b, "int", 4, BTF_INT_SIGNED);          /* [1] */
	if (i < 0)
		goto out;
	if (feats & (BBTF_FEAT_FUNC | BBTF_FEAT_FUNC_GLOBAL)) {
		proto = bbtf_add_func_proto(b, 1);
		if (proto < 0 || bbtf_add_param(b, "a", 1) < 0 ||
		    bbtf_add_func(b, "f", BTF_FUNC_STATIC, (uint32_t)proto) < 0)
			goto out;
		if ((feats & BBTF_FEAT_FUNC_GLOBAL) &&
		    bbtf_add_func(b, "g", BTF_FUNC_GLOBAL, (uint32_t)proto) < 0)
			goto out;
	}
	if (feats & (BBTF_FEAT_DATASEC | BBTF_FEAT_QMARK_DATASEC | BBTF_FEAT_DECL_TAG)) {
		var = bbtf_add_var(b, "x", BTF_VAR_GLOBAL_ALLOCATED, 1);
		if (var < 0)
			goto out;
		if ((feats & BBTF_FEAT_DATASEC) &&
		    (bbtf_add_datasec(b, ".data", 4) < 0 ||
		     bbtf_add_secinfo(b, (uint32_t)var, 0, 4) < 0))
			goto out;
		if ((feats & BBTF_FEAT_QMARK_DATASEC) &&
		    (bbtf_add_datasec(b, "?.data", 4) < 0 ||
		     bbtf_add_secinfo(b, (uint32_t)var, 0, 4) < 0))
			goto out;
		if ((feats & BBTF_FEAT_DECL_TAG) &&
		    bbtf_add_decl_tag(b, "tag", (uint32_t)var, -1) < 0)
			goto out;
	}
	if (feats & BBTF_FEAT_FLOAT) {
		if (bbtf_add_float(b, "float", 4) < 0)
			goto out;
	}
	if (feats & BBTF_FEAT_TYPE_TAG) {
		int tag = bbtf_add_type_tag(b, "tag", 1);

		if (tag < 0 || bbtf_add_ptr(b, (uint32_t)tag) < 0)
			goto out;
	}
	if (feats & BBTF_FEAT_ENUM64) {
		if (bbtf_add_enum64(b, "e64", 8, false) < 0 ||
		    bbtf_add_enum_value(b, "E64", (int64_t)1 << 40) < 0 ||
		    bbtf_add_enum(b, "es", 4, true) < 0 ||
		    bbtf_add_enum_value(b, "ES", -1) < 0)
			goto out;
	}
	raw = bbtf_raw_data(b, &size);
	if (!raw)
		goto out;
	fd = ldr_btf_load(raw, size, NULL, NULL);
	ret = fd >= 0;
	ldr_obj_close(fd);
out:
	bbtf_free(b);
	return ret;
}

/* Bit 31 marks the cached answer as valid. */
#define LDR_FEAT_CACHED (1u << 31)
static unsigned ldr_btf_feat_cache;

unsigned ldr_probe_btf_features(void)
{
	static const unsigned one[] = {
		BBTF_FEAT_FUNC, BBTF_FEAT_DATASEC, BBTF_FEAT_FUNC_GLOBAL, BBTF_FEAT_FLOAT,
		BBTF_FEAT_DECL_TAG, BBTF_FEAT_TYPE_TAG, BBTF_FEAT_ENUM64,
		BBTF_FEAT_QMARK_DATASEC,
	};
	unsigned feats = __atomic_load_n(&ldr_btf_feat_cache, __ATOMIC_ACQUIRE);

	if (feats & LDR_FEAT_CACHED)
		return feats & ~LDR_FEAT_CACHED;
	feats = 0;
	if (ldr_btf_probe(BBTF_FEAT_ALL) == 1) {
		feats = BBTF_FEAT_ALL;
	} else if (ldr_btf_probe(0) == 1) {
		for (size_t i = 0; i < BB_ARRAY_SIZE(one); i++) {
			/* The global-linkage and '?' probes build on FUNC and
			 * DATASEC, which must also be there. */
			unsigned with = one[i];

			if (with == BBTF_FEAT_FUNC_GLOBAL)
				with |= BBTF_FEAT_FUNC;
			if (with == BBTF_FEAT_QMARK_DATASEC || with == BBTF_FEAT_DECL_TAG)
				with |= BBTF_FEAT_DATASEC;
			if ((with & ~one[i] & ~feats) != 0)
				continue;
			if (ldr_btf_probe(with) == 1)
				feats |= one[i];
		}
	}
	/* Racing threads compute the same answer; either store wins. */
	__atomic_store_n(&ldr_btf_feat_cache, feats | LDR_FEAT_CACHED, __ATOMIC_RELEASE);
	return feats;
}

int ldr_obj_info(int fd, void *info, uint32_t *len)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = *len;
	attr.info.info = (uint64_t)(uintptr_t)info;
	err = ldr_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (err < 0)
		return err;
	*len = attr.info.info_len;
	return 0;
}

int ldr_prog_info(int prog_fd, struct bpf_prog_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return ldr_obj_info(prog_fd, info, &len);
}

int ldr_map_info(int map_fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return ldr_obj_info(map_fd, info, &len);
}

int ldr_btf_info(int btf_fd, struct bpf_btf_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return ldr_obj_info(btf_fd, info, &len);
}

static int ldr_next_id(int cmd, uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	err = ldr_sys_bpf(cmd, &attr, sizeof(attr));
	if (err < 0)
		return err;
	*next_id = attr.next_id;
	return 0;
}

int ldr_prog_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return ldr_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int ldr_map_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return ldr_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int ldr_btf_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return ldr_next_id(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

int ldr_link_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return ldr_next_id(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

static int ldr_fd_by_id(int cmd, uint32_t id)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	/* prog_id, map_id, btf_id and link_id share this slot. */
	attr.prog_id = id;
	fd = ldr_sys_bpf(cmd, &attr, sizeof(attr));
	/* Ownership of the new fd passes to the caller here. */
	return fd < 0 ? fd : ldr_good_fd(fd);
}

int ldr_prog_get_fd_by_id(uint32_t id)
{
	return ldr_fd_by_id(BPF_PROG_GET_FD_BY_ID, id);
}

int ldr_map_get_fd_by_id(uint32_t id)
{
	return ldr_fd_by_id(BPF_MAP_GET_FD_BY_ID, id);
}

int ldr_btf_get_fd_by_id(uint32_t id)
{
	return ldr_fd_by_id(BPF_BTF_GET_FD_BY_ID, id);
}

int ldr_link_get_fd_by_id(uint32_t id)
{
	return ldr_fd_by_id(BPF_LINK_GET_FD_BY_ID, id);
}

int ldr_obj_pin(int fd, const char *path)
{
	union bpf_attr attr;
	int err;

	if (!path)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uint64_t)(uintptr_t)path;
	attr.bpf_fd = (uint32_t)fd;
	err = ldr_sys_bpf(BPF_OBJ_PIN, &attr, sizeof(attr));
	return err < 0 ? err : 0;
}

int ldr_obj_get(const char *path, uint32_t file_flags)
{
	union bpf_attr attr;
	int fd;

	if (!path)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uint64_t)(uintptr_t)path;
	attr.file_flags = file_flags;
	fd = ldr_sys_bpf(BPF_OBJ_GET, &attr, sizeof(attr));
	/* Ownership of the new fd passes to the caller here. */
	return fd < 0 ? fd : ldr_good_fd(fd);
}
