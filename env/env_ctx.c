/* SPDX-License-Identifier: MIT */
/*
 * env/env_ctx.c - program contexts: the layout tables (data, shared with
 * the verifier) and building the context of one run the way the kernel's
 * BPF_PROG_TEST_RUN builds it, so offline results match the kernel's.
 *
 * The access rules are the kernel's is_valid_access callbacks
 * (net/core/filter.c: sk_filter_, tc_cls_act_, xdp_; kernel/trace/
 * bpf_trace.c: tp_prog_, raw_tp_prog_, kprobe_prog_, pe_prog_) turned
 * into one row per field with a permission column per program type.
 */
#include "env/env_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb_uapi.h"

/* ----- __sk_buff: one row per field, a column per program type ----- */

#define R  ENV_CTX_READ
#define W  ENV_CTX_WRITE
#define N  ENV_CTX_NARROW
#define AS ENV_CTX_ANY_SIZE
#define SC ENV_REG_SCALAR
#define K  ENV_CONV_KERNEL
#define D  ENV_CONV_DIRECT
#define P  ENV_CONV_PKT_PTR

/*
 * X(name, off, size, count, socket filter access, tc access, reg, conv,
 *   kernel).  A field absent for a type has access 0.  Everything not
 * listed (padding after tstamp_type) is never accessible.
 */
#define ENV_SKB_FIELDS(X)                                                        \
	X(len,             0,   4, 1, R | N,      R | N,      SC, K, "skb->len")     \
	X(pkt_type,        4,   4, 1, R | N,      R | N,      SC, K, "skb->pkt_type") \
	X(mark,            8,   4, 1, R | N,      R | W | N,  SC, K, "skb->mark")    \
	X(queue_mapping,   12,  4, 1, R | N,      R | W | N,  SC, K, "skb->queue_mapping") \
	X(protocol,        16,  4, 1, R | N,      R | N,      SC, K, "skb->protocol") \
	X(vlan_present,    20,  4, 1, R | N,      R | N,      SC, K, "skb_vlan_tag_present(skb)") \
	X(vlan_tci,        24,  4, 1, R | N,      R | N,      SC, K, "skb->vlan_tci") \
	X(vlan_proto,      28,  4, 1, R | N,      R | N,      SC, K, "skb->vlan_proto") \
	X(priority,        32,  4, 1, R | N,      R | W | N,  SC, K, "skb->priority") \
	X(ingress_ifindex, 36,  4, 1, R | N,      R | N,      SC, K, "skb->skb_iif") \
	X(ifindex,         40,  4, 1, R | N,      R | N,      SC, K, "skb->dev->ifindex") \
	X(tc_index,        44,  4, 1, R | N,      R | W | N,  SC, K, "skb->tc_index") \
	X(cb,              48,  4, 5, R | W | AS, R | W | AS, SC, D, "qdisc_skb_cb(skb)->data") \
	X(hash,            68,  4, 1, R | N,      R | N,      SC, K, "skb->hash")    \
	X(tc_classid,      72,  4, 1, 0,          R | W | N,  SC, K, "qdisc_skb_cb(skb)->tc_classid") \
	X(data,            76,  4, 1, 0,          R,          ENV_REG_PKT, P, "skb->data") \
	X(data_end,        80,  4, 1, 0,          R,          ENV_REG_PKT_END, P, "bpf_skb_cb(skb)->data_end") \
	X(napi_id,         84,  4, 1, R | N,      R | N,      SC, K, "skb->napi_id") \
	X(data_meta,       140, 4, 1, 0,          R,          ENV_REG_PKT_META, P, "skb->data - skb_metadata_len(skb)") \
	X(tstamp,          152, 8, 1, 0,          R | W,      SC, K, "skb->tstamp")  \
	X(wire_len,        160, 4, 1, 0,          R | N,      SC, K, "qdisc_skb_cb(skb)->pkt_len") \
	X(gso_segs,        164, 4, 1, R | N,      R | N,      SC, K, "skb_shinfo(skb)->gso_segs") \
	X(sk,              168, 8, 1, R,          R,          ENV_REG_SOCK_OR_NULL, K, "skb->sk") \
	X(gso_size,        176, 4, 1, R | N,      R | N,      SC, K, "skb_shinfo(skb)->gso_size") \
	X(tstamp_type,     180, 1, 1, 0,          R,          SC, K, "skb->tstamp_type") \
	X(hwtstamp,        184, 8, 1, 0,          R,          SC, K, "skb_hwtstamps(skb)->hwtstamp")

static const struct env_ctx_field skb_sockf_fields[] = {
#define X(nm, o, sz, cnt, sf, tc, rg, cv, k) \
	{ #nm, o, sz, cnt, sf, rg, cv, k },
	ENV_SKB_FIELDS(X)
#undef X
};
static const struct env_ctx_field skb_tc_fields[] = {
#define X(nm, o, sz, cnt, sf, tc, rg, cv, k) \
	{ #nm, o, sz, cnt, tc, rg, cv, k },
	ENV_SKB_FIELDS(X)
#undef X
};

/* xdp_md: every field is a 4-byte read (__is_valid_xdp_access). */
static const struct env_ctx_field xdp_fields[] = {
	{ "data", 0, 4, 1, R, ENV_REG_PKT, P, "xdp->data" },
	{ "data_end", 4, 4, 1, R, ENV_REG_PKT_END, P, "xdp->data_end" },
	{ "data_meta", 8, 4, 1, R, ENV_REG_PKT_META, P, "xdp->data_meta" },
	{ "ingress_ifindex", 12, 4, 1, R, SC, K, "xdp->rxq->dev->ifindex" },
	{ "rx_queue_index", 16, 4, 1, R, SC, K, "xdp->rxq->queue_index" },
};
static const struct env_ctx_field xdp_devmap_fields[] = {
	{ "data", 0, 4, 1, R, ENV_REG_PKT, P, "xdp->data" },
	{ "data_end", 4, 4, 1, R, ENV_REG_PKT_END, P, "xdp->data_end" },
	{ "data_meta", 8, 4, 1, R, ENV_REG_PKT_META, P, "xdp->data_meta" },
	{ "ingress_ifindex", 12, 4, 1, R, SC, K, "xdp->rxq->dev->ifindex" },
	{ "rx_queue_index", 16, 4, 1, R, SC, K, "xdp->rxq->queue_index" },
	{ "egress_ifindex", 20, 4, 1, R, SC, K, "xdp->txq->dev->ifindex" },
};

/* bpf_perf_event_data: regs are long-sized reads, the two u64 narrow. */
static const struct env_ctx_field perf_fields[] = {
	{ "regs", 0, 8, 21, R, SC, D, "regs" },
	{ "sample_period", 168, 8, 1, R | N, SC, K, "data->period" },
	{ "addr", 176, 8, 1, R | N, SC, K, "data->addr" },
};

#undef R
#undef W
#undef N
#undef AS
#undef SC
#undef K
#undef D
#undef P

static const struct env_ctx_layout layouts[] = {
	{ BPF_PROG_TYPE_SOCKET_FILTER, "__sk_buff", ENV_SKB_SIZE, 0, ENV_CTX_FIELDS_ONLY,
	  skb_sockf_fields, BB_ARRAY_SIZE(skb_sockf_fields) },
	{ BPF_PROG_TYPE_SCHED_CLS, "__sk_buff", ENV_SKB_SIZE, 0, ENV_CTX_FIELDS_ONLY,
	  skb_tc_fields, BB_ARRAY_SIZE(skb_tc_fields) },
	{ BPF_PROG_TYPE_SCHED_ACT, "__sk_buff", ENV_SKB_SIZE, 0, ENV_CTX_FIELDS_ONLY,
	  skb_tc_fields, BB_ARRAY_SIZE(skb_tc_fields) },
	{ BPF_PROG_TYPE_XDP, "xdp_md", ENV_XDP_MD_SIZE, 0, ENV_CTX_FIELDS_ONLY,
	  xdp_fields, BB_ARRAY_SIZE(xdp_fields) },
	{ BPF_PROG_TYPE_TRACEPOINT, "trace event record", ENV_TP_MAX, 8,
	  ENV_CTX_ANY_ALIGNED_READ, NULL, 0 },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, "u64[12]", ENV_RAW_TP_ARGS * 8, 0,
	  ENV_CTX_ANY_ALIGNED_READ, NULL, 0 },
	{ BPF_PROG_TYPE_TRACING, "u64[12]", ENV_RAW_TP_ARGS * 8, 0,
	  ENV_CTX_ANY_ALIGNED_READ, NULL, 0 },
	{ BPF_PROG_TYPE_KPROBE, "pt_regs", ENV_PT_REGS_SIZE, 0,
	  ENV_CTX_ANY_ALIGNED_READ, NULL, 0 },
	{ BPF_PROG_TYPE_PERF_EVENT, "bpf_perf_event_data", ENV_PERF_DATA_SIZE, 0,
	  ENV_CTX_FIELDS_ONLY, perf_fields, BB_ARRAY_SIZE(perf_fields) },
	{ BPF_PROG_TYPE_SYSCALL, "user buffer", 65535, 0,
	  ENV_CTX_ANY_ALIGNED_RW, NULL, 0 },
};

static const struct env_ctx_layout xdp_devmap_layout = {
	BPF_PROG_TYPE_XDP, "xdp_md", ENV_XDP_MD_SIZE, 0, ENV_CTX_FIELDS_ONLY,
	xdp_devmap_fields, BB_ARRAY_SIZE(xdp_devmap_fields)
};

const struct env_ctx_layout *env_ctx_layouts(size_t *n)
{
	*n = BB_ARRAY_SIZE(layouts);
	return layouts;
}

const struct env_ctx_layout *env_ctx_layout(uint32_t prog_type,
					    uint32_t attach_type)
{
	if (prog_type == BPF_PROG_TYPE_XDP && attach_type == BPF_XDP_DEVMAP)
		return &xdp_devmap_layout;
	for (size_t i = 0; i < BB_ARRAY_SIZE(layouts); i++)
		if (layouts[i].prog_type == prog_type)
			return &layouts[i];
	return NULL;
}

static int bad_access(struct bb_err *e, uint32_t off, uint32_t size)
{
	return bb_err_insn(e, -EACCES, -1,
			   "invalid bpf_context access off=%u size=%u", off, size);
}

int env_ctx_access(const struct env_ctx_layout *l, uint32_t off,
		   uint32_t size, bool write, const struct env_ctx_field **field,
		   struct bb_err *e)
{
	if (field)
		*field = NULL;
	if (!l || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    off % size || off >= l->size || l->size - off < size)
		return bad_access(e, off, size);
	if (l->generic == ENV_CTX_ANY_ALIGNED_READ ||
	    l->generic == ENV_CTX_ANY_ALIGNED_RW) {
		if (off < l->min_off ||
		    (write && l->generic != ENV_CTX_ANY_ALIGNED_RW))
			return bad_access(e, off, size);
		return 0;
	}
	for (size_t i = 0; i < l->field_cnt; i++) {
		const struct env_ctx_field *f = &l->fields[i];
		uint32_t end = f->off + (uint32_t)f->size * f->count;
		uint32_t elem;

		if (off < f->off || off >= end)
			continue;
		if (end - off < size)
			return bad_access(e, off, size);
		if (!(f->access & (write ? ENV_CTX_WRITE : ENV_CTX_READ)))
			return bad_access(e, off, size);
		elem = f->off + (off - f->off) / f->size * f->size;
		if (!(f->access & ENV_CTX_ANY_SIZE) && size != f->size) {
			/* Narrow loads: any aligned piece of the field. */
			if (write || !(f->access & ENV_CTX_NARROW) || size > f->size ||
			    off + size > elem + f->size)
				return bad_access(e, off, size);
		}
		if (field)
			*field = f;
		return 0;
	}
	return bad_access(e, off, size);
}

/* ----- verdicts ----- */

const char *env_verdict_name(uint32_t prog_type, uint64_t r0)
{
	static const char *const xdp[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS",
					   "XDP_TX", "XDP_REDIRECT" };
	static const char *const tc[] = { "TC_ACT_OK", "TC_ACT_RECLASSIFY",
					  "TC_ACT_SHOT", "TC_ACT_PIPE", "TC_ACT_STOLEN",
					  "TC_ACT_QUEUED", "TC_ACT_REPEAT",
					  "TC_ACT_REDIRECT", "TC_ACT_TRAP" };
	int32_t v = (int32_t)r0;

	switch (prog_type) {
	case BPF_PROG_TYPE_XDP:
		return (uint32_t)r0 < BB_ARRAY_SIZE(xdp) ? xdp[r0] : "XDP_?";
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		if (v == -1)
			return "TC_ACT_UNSPEC";
		return v >= 0 && (size_t)v < BB_ARRAY_SIZE(tc) ? tc[v] : "TC_ACT_?";
	case BPF_PROG_TYPE_SOCKET_FILTER:
		/* Bytes of the packet to keep: 0 drops it. */
		return (uint32_t)r0 ? "KEEP" : "DROP";
	default:
		return NULL;
	}
}

/* ----- building a run's context ----- */

static void put32(uint8_t *ctx, uint32_t off, uint32_t v)
{
	memcpy(ctx + off, &v, 4);
}

static uint32_t get32(const uint8_t *ctx, uint32_t off)
{
	uint32_t v;

	memcpy(&v, ctx + off, 4);
	return v;
}

static bool is_packet_type(uint32_t t)
{
	return t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_SCHED_CLS ||
	       t == BPF_PROG_TYPE_SCHED_ACT || t == BPF_PROG_TYPE_XDP;
}

/* The __sk_buff fields BPF_PROG_TEST_RUN takes from ctx_in; any other
 * non-zero byte is -EINVAL there (bpf_ctx_init's range checks). */
static const struct { uint32_t off, len; } skb_ctx_in[] = {
	{ SKB_MARK, 4 }, { SKB_PRIORITY, 4 }, { SKB_INGRESS_IFINDEX, 4 },
	{ SKB_IFINDEX, 4 }, { SKB_CB, 20 }, { SKB_TSTAMP, 8 },
	{ SKB_WIRE_LEN, 4 }, { SKB_GSO_SEGS, 4 }, { SKB_GSO_SIZE, 4 },
	{ SKB_HWTSTAMP, 8 },
};

static int skb_ctx_check(const uint8_t *c, size_t len, struct bb_err *e)
{
	for (size_t off = 0; off < len; off++) {
		bool ok = false;

		for (size_t i = 0; i < BB_ARRAY_SIZE(skb_ctx_in); i++)
			if (off >= skb_ctx_in[i].off &&
			    off < skb_ctx_in[i].off + skb_ctx_in[i].len)
				ok = true;
		if (!ok && c[off])
			return bb_err_insn(e, -EINVAL, -1,
					   "__sk_buff input: byte %zu is not a field test_run takes (mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size, hwtstamp)",
					   off);
	}
	return 0;
}

/* eth_type_trans() on the loopback device (dev_addr and broadcast all
 * zero), which is where BPF_PROG_TEST_RUN puts its skb. */
static void eth_type_trans(const uint8_t *pkt, uint32_t *proto, uint32_t *pkt_type)
{
	static const uint8_t zero[6];
	uint16_t be;

	*pkt_type = 0;
	if (memcmp(pkt, zero, 6)) {
		if (pkt[0] & 1)
			*pkt_type = 2;  /* PACKET_MULTICAST (lo's broadcast is 0) */
		else
			*pkt_type = 3;  /* PACKET_OTHERHOST */
	}
	memcpy(&be, pkt + 12, 2);
	if (pkt[12] * 256 + pkt[13] >= 0x600) {
		*proto = be;
	} else if (pkt[14] == 0xff && pkt[15] == 0xff) {
		*proto = 0x0100;        /* htons(ETH_P_802_3) */
	} else {
		*proto = 0x0400;        /* htons(ETH_P_802_2) */
	}
}

static int prepare_skb(struct env *env, struct env_prog *p,
		       const struct env_run_in *in, struct bb_err *e)
{
	struct env_cur *c = &env->cur;
	bool l2 = p->type != BPF_PROG_TYPE_SOCKET_FILTER;
	uint32_t proto, pkt_type;
	size_t max = 4096 - ENV_SKB_HEADROOM - ENV_SKB_SHINFO;
	int ret;

	if (in->packet_len < ENV_ETH_HLEN || in->packet_len > max)
		return bb_err_insn(e, -EINVAL, -1,
				   "packet of %zu bytes: test_run takes %u to %zu bytes for this program type",
				   in->packet_len, ENV_ETH_HLEN, max);
	/* test_run also wants the network header of IPv4 and IPv6 frames
	 * in the linear data (checked against this kernel). */
	{
		const uint8_t *f = in->packet;
		size_t need = f[12] == 0x08 && f[13] == 0x00 ? 34
			      : f[12] == 0x86 && f[13] == 0xdd ? 54 : ENV_ETH_HLEN;

		if (in->packet_len < need)
			return bb_err_insn(e, -EINVAL, -1,
					   "packet of %zu bytes: test_run wants at least %zu for this EtherType",
					   in->packet_len, need);
	}
	if (in->ctx_len > ENV_SKB_SIZE)
		return bb_err_insn(e, -EINVAL, -1,
				   "context of %zu bytes is larger than __sk_buff (%u)",
				   in->ctx_len, ENV_SKB_SIZE);
	if (in->ctx) {
		ret = skb_ctx_check(in->ctx, in->ctx_len, e);
		if (ret < 0)
			return ret;
		memcpy(c->ctx, in->ctx, in->ctx_len);
	}
	c->buf = env->pkt_area;
	c->cap = 4096 - ENV_SKB_SHINFO;
	memset(c->buf, 0, ENV_PKT_MAP);
	memcpy(c->buf + ENV_SKB_HEADROOM, in->packet, in->packet_len);
	c->data = c->buf + ENV_SKB_HEADROOM;
	c->data_end = c->data + in->packet_len;
	/* A socket filter sees the skb after eth_type_trans() pulled the
	 * MAC header: data (and LD_ABS offset 0) is the network header. */
	if (!l2)
		c->data += ENV_ETH_HLEN;
	c->data_meta = c->data;
	c->tail_limit = c->cap;
	eth_type_trans(in->packet, &proto, &pkt_type);
	put32(c->ctx, SKB_LEN, (uint32_t)(c->data_end - c->data));
	put32(c->ctx, SKB_PKT_TYPE, pkt_type);
	put32(c->ctx, SKB_PROTOCOL, proto);
	if (!get32(c->ctx, SKB_IFINDEX))
		put32(c->ctx, SKB_IFINDEX, 1);  /* the loopback device */
	put32(c->ctx, SKB_DATA, (uint32_t)(uintptr_t)c->data);
	put32(c->ctx, SKB_DATA_END, (uint32_t)(uintptr_t)c->data_end);
	put32(c->ctx, SKB_DATA_META, (uint32_t)(uintptr_t)c->data_meta);
	return 0;
}

static int prepare_xdp(struct env *env, const struct env_run_in *in,
		       struct bb_err *e)
{
	struct env_cur *c = &env->cur;
	size_t max = ENV_XDP_FRAME - ENV_XDP_HEADROOM - ENV_SKB_SHINFO;
	uint32_t meta = 0, ifindex = 1, rxq = 0;

	if (in->packet_len < ENV_ETH_HLEN || in->packet_len > max)
		return bb_err_insn(e, -EINVAL, -1,
				   "packet of %zu bytes: XDP test_run takes %u to %zu bytes without fragments",
				   in->packet_len, ENV_ETH_HLEN, max);
	if (in->ctx) {
		uint8_t md[ENV_XDP_MD_SIZE] = { 0 };

		if (in->ctx_len > sizeof(md))
			return bb_err_insn(e, -EINVAL, -1,
					   "context of %zu bytes is larger than xdp_md (%u)",
					   in->ctx_len, ENV_XDP_MD_SIZE);
		memcpy(md, in->ctx, in->ctx_len);
		/* xdp_convert_md_to_buff(): data is the metadata length at
		 * the front of the input, data_end its size. */
		meta = get32(md, XDP_MD_DATA);
		if (get32(md, XDP_MD_DATA_META) || get32(md, XDP_MD_EGRESS_IFINDEX) ||
		    get32(md, XDP_MD_DATA_END) != in->packet_len ||
		    meta > in->packet_len || meta > 32 || (meta & 3))
			return bb_err_insn(e, -EINVAL, -1,
					   "xdp_md input: data_meta and egress_ifindex must be 0, data_end the packet size, data a metadata length <= 32 and a multiple of 4");
		if (get32(md, XDP_MD_INGRESS_IFINDEX))
			ifindex = get32(md, XDP_MD_INGRESS_IFINDEX);
		rxq = get32(md, XDP_MD_RX_QUEUE);
	}
	c->buf = env->pkt_area;
	c->cap = ENV_XDP_FRAME;
	memset(c->buf, 0, ENV_PKT_MAP);
	c->data_meta = c->buf + ENV_XDP_HEADROOM - meta;
	memcpy(c->data_meta, in->packet, in->packet_len);
	c->data = c->data_meta + meta;
	c->data_end = c->data_meta + in->packet_len;
	c->tail_limit = ENV_XDP_FRAME - ENV_SKB_SHINFO;
	put32(c->ctx, XDP_MD_DATA, (uint32_t)(uintptr_t)c->data);
	put32(c->ctx, XDP_MD_DATA_END, (uint32_t)(uintptr_t)c->data_end);
	put32(c->ctx, XDP_MD_DATA_META, (uint32_t)(uintptr_t)c->data_meta);
	put32(c->ctx, XDP_MD_INGRESS_IFINDEX, ifindex);
	put32(c->ctx, XDP_MD_RX_QUEUE, rxq);
	return 0;
}

/*
 * Fill env->cur for a run of @p: the context buffer (zeroed, at least the
 * layout's size so every load the kernel allows stays inside it) and, for
 * packet programs, the packet in the MAP_32BIT area.
 */
int env_ctx_prepare(struct env *env, struct env_prog *p,
		    const struct env_run_in *in, struct bb_err *e)
{
	const struct env_ctx_layout *l = env_ctx_layout(p->type, p->attach_type);
	struct env_cur *c = &env->cur;
	size_t size;

	if (!l)
		return bb_err_insn(e, -EOPNOTSUPP, -1,
				   "program type %u has no offline context", p->type);
	size = l->size;
	if (!is_packet_type(p->type) && in->ctx_len > size)
		return bb_err_insn(e, -EINVAL, -1,
				   "context of %zu bytes is larger than %s (%zu)",
				   in->ctx_len, l->type_name, size);
	if (is_packet_type(p->type) && !in->packet)
		return bb_err_insn(e, -EINVAL, -1,
				   "a %s program needs a packet", l->type_name);
	if (p->type == BPF_PROG_TYPE_SYSCALL)
		size = in->ctx_len;
	free(c->ctx);
	c->ctx = calloc(1, size ? size : 1);
	if (!c->ctx)
		return bb_err_insn(e, -ENOMEM, -1, "out of memory");
	c->ctx_len = size;
	c->buf = c->data = c->data_end = c->data_meta = NULL;
	switch (p->type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return prepare_skb(env, p, in, e);
	case BPF_PROG_TYPE_XDP:
		return prepare_xdp(env, in, e);
	default:
		if (in->ctx)
			memcpy(c->ctx, in->ctx, in->ctx_len);
		return 0;
	}
}

static int dup_bytes(const void *src, size_t len, uint8_t **out, size_t *out_len)
{
	*out = malloc(len ? len : 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, src, len);
	*out_len = len;
	return 0;
}

/* The output packet and context as test_run's data_out / ctx_out. */
int env_ctx_finish(struct env *env, struct env_prog *p, struct env_run_out *out,
		   struct bb_err *e)
{
	struct env_cur *c = &env->cur;
	int ret = 0;

	switch (p->type) {
	case BPF_PROG_TYPE_XDP: {
		uint8_t md[ENV_XDP_MD_SIZE];

		/* Output starts at the metadata, as bpf_test_finish() is
		 * handed xdp.data_meta. */
		ret = dup_bytes(c->data_meta, (size_t)(c->data_end - c->data_meta),
				&out->packet, &out->packet_len);
		memcpy(md, c->ctx, sizeof(md));
		put32(md, XDP_MD_DATA, (uint32_t)(c->data - c->data_meta));
		put32(md, XDP_MD_DATA_END, (uint32_t)(c->data_end - c->data_meta));
		put32(md, XDP_MD_DATA_META, 0);
		if (!ret)
			ret = dup_bytes(md, sizeof(md), &out->ctx, &out->ctx_len);
		break;
	}
	case BPF_PROG_TYPE_SOCKET_FILTER:
		/* The kernel pushes the MAC header back, zeroed. */
		out->packet = calloc(1, (size_t)(c->data_end - c->data) + ENV_ETH_HLEN);
		if (!out->packet) {
			ret = -ENOMEM;
			break;
		}
		memcpy(out->packet + ENV_ETH_HLEN, c->data, (size_t)(c->data_end - c->data));
		out->packet_len = (size_t)(c->data_end - c->data) + ENV_ETH_HLEN;
		ret = dup_bytes(c->ctx, c->ctx_len, &out->ctx, &out->ctx_len);
		break;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		ret = dup_bytes(c->data, (size_t)(c->data_end - c->data),
				&out->packet, &out->packet_len);
		if (!ret)
			ret = dup_bytes(c->ctx, c->ctx_len, &out->ctx, &out->ctx_len);
		break;
	default:
		ret = dup_bytes(c->ctx, c->ctx_len, &out->ctx, &out->ctx_len);
		break;
	}
	if (ret < 0)
		return bb_err_insn(e, ret, -1, "out of memory");
	return 0;
}
