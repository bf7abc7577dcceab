/* SPDX-License-Identifier: MIT */
/*
 * bb_usdt.h - the BPF side of barebpf's USDT support (loader/ldr_usdt.c):
 * the two maps ldr_attach_usdt() fills and bb_usdt_arg() to read probe
 * arguments.  The spec layout is struct ldr_usdt_spec in loader/ldr.h.
 * The spec id of the probe site is the link's bpf cookie.
 */
#ifndef BB_USDT_H
#define BB_USDT_H

#define BB_USDT_MAX_ARGS 12

enum bb_usdt_arg_type { BB_USDT_ARG_CONST, BB_USDT_ARG_REG, BB_USDT_ARG_REG_DEREF };

struct bb_usdt_arg_spec {
	__u64 val_off;
	__u32 arg_type;
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};

struct bb_usdt_spec {
	struct bb_usdt_arg_spec args[BB_USDT_MAX_ARGS];
	__u64 usdt_cookie;
	short arg_cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, int);
	__type(value, struct bb_usdt_spec);
} __bpf_usdt_specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps");

static __u64 (* const bb_get_attach_cookie)(void *ctx) = (void *)174;

/* Argument @n (0-based) of the probe that fired; 0 or -ENOENT/-EINVAL/-EFAULT. */
static __always_inline int bb_usdt_arg(struct pt_regs *ctx, __u64 n, long *res)
{
	struct bb_usdt_spec *spec;
	struct bb_usdt_arg_spec *a;
	int id = (int)bb_get_attach_cookie(ctx);
	unsigned long val;
	int err;

	*res = 0;
	spec = bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
	if (!spec)
		return -2;
	if (n >= BB_USDT_MAX_ARGS || n >= (__u64)spec->arg_cnt)
		return -2;
	a = &spec->args[n];
	switch (a->arg_type) {
	case BB_USDT_ARG_CONST:
		val = a->val_off;
		break;
	case BB_USDT_ARG_REG:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + a->reg_off);
		if (err)
			return err;
		break;
	case BB_USDT_ARG_REG_DEREF:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + a->reg_off);
		if (err)
			return err;
		err = bpf_probe_read_user(&val, sizeof(val), (void *)val + a->val_off);
		if (err)
			return err;
		break;
	default:
		return -22;
	}
	val <<= a->arg_bitshift;
	if (a->arg_signed)
		val = ((long)val) >> a->arg_bitshift;
	else
		val = val >> a->arg_bitshift;
	*res = (long)val;
	return 0;
}

#endif
