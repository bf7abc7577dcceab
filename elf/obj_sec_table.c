/* SPDX-License-Identifier: MIT */
/*
 * elf/obj_sec_table.c - SEC() name -> program type, expected attach type,
 * flags: one table, in libbpf's matching order (libbpf.c section_defs[]),
 * so an object that libbpf loads gets the same types here.
 *
 * A row "name+" (OBJ_SEC_PREFIX) matches "name" and "name/anything"; any
 * other row matches only exactly.  The first matching row wins, which is
 * why "sk_reuseport/migrate" comes before "sk_reuseport" and "xdp.frags"
 * before "xdp".
 */
#include "elf/obj_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define A OBJ_SEC_ATTACHABLE
#define AO (OBJ_SEC_ATTACHABLE | OBJ_SEC_EXP_ATTACH_OPT)
#define BTF OBJ_SEC_ATTACH_BTF
#define SL OBJ_SEC_SLEEPABLE
#define FR (OBJ_SEC_XDP_FRAGS | OBJ_SEC_ATTACHABLE)
#define US OBJ_SEC_USDT
#define P OBJ_SEC_PREFIX

/* X(prefix, BPF_PROG_TYPE_<type>, attach type, flags, OBJ_ATTACH_<kind>, retprobe) */
#define OBJ_SEC_TABLE(X)                                                                      \
	X("socket",               SOCKET_FILTER,   0,                          0,        NONE, 0) \
	X("sk_reuseport/migrate", SK_REUSEPORT,    BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, A, NONE, 0) \
	X("sk_reuseport",         SK_REUSEPORT,    BPF_SK_REUSEPORT_SELECT,    A,        NONE, 0) \
	X("kprobe",               KPROBE,          0,                          P,        KPROBE, 0) \
	X("uprobe",               KPROBE,          0,                          P,        UPROBE, 0) \
	X("uprobe.s",             KPROBE,          0,                          P | SL,   UPROBE, 0) \
	X("kretprobe",            KPROBE,          0,                          P,        KPROBE, 1) \
	X("uretprobe",            KPROBE,          0,                          P,        UPROBE, 1) \
	X("uretprobe.s",          KPROBE,          0,                          P | SL,   UPROBE, 1) \
	X("kprobe.multi",         KPROBE,          BPF_TRACE_KPROBE_MULTI,     P,        KPROBE_MULTI, 0) \
	X("kretprobe.multi",      KPROBE,          BPF_TRACE_KPROBE_MULTI,     P,        KPROBE_MULTI, 1) \
	X("kprobe.session",       KPROBE,          BPF_TRACE_KPROBE_SESSION,   P,        KPROBE_MULTI, 0) \
	X("uprobe.multi",         KPROBE,          BPF_TRACE_UPROBE_MULTI,     P,        UPROBE_MULTI, 0) \
	X("uretprobe.multi",      KPROBE,          BPF_TRACE_UPROBE_MULTI,     P,        UPROBE_MULTI, 1) \
	X("uprobe.multi.s",       KPROBE,          BPF_TRACE_UPROBE_MULTI,     P | SL,   UPROBE_MULTI, 0) \
	X("uretprobe.multi.s",    KPROBE,          BPF_TRACE_UPROBE_MULTI,     P | SL,   UPROBE_MULTI, 1) \
	X("uprobe.session",       KPROBE,          BPF_TRACE_UPROBE_SESSION,   P,        UPROBE_MULTI, 0) \
	X("uprobe.session.s",     KPROBE,          BPF_TRACE_UPROBE_SESSION,   P | SL,   UPROBE_MULTI, 0) \
	X("ksyscall",             KPROBE,          0,                          P,        KSYSCALL, 0) \
	X("kretsyscall",          KPROBE,          0,                          P,        KSYSCALL, 1) \
	X("usdt",                 KPROBE,          0,                          P | US,   USDT, 0) \
	X("usdt.s",               KPROBE,          0,                          P | US | SL, USDT, 0) \
	X("tc/ingress",           SCHED_CLS,       BPF_TCX_INGRESS,            0,        NONE, 0) \
	X("tc/egress",            SCHED_CLS,       BPF_TCX_EGRESS,             0,        NONE, 0) \
	X("tcx/ingress",          SCHED_CLS,       BPF_TCX_INGRESS,            0,        NONE, 0) \
	X("tcx/egress",           SCHED_CLS,       BPF_TCX_EGRESS,             0,        NONE, 0) \
	X("tc",                   SCHED_CLS,       0,                          0,        NONE, 0) \
	X("classifier",           SCHED_CLS,       0,                          0,        NONE, 0) \
	X("action",               SCHED_ACT,       0,                          0,        NONE, 0) \
	X("netkit/primary",       SCHED_CLS,       BPF_NETKIT_PRIMARY,         0,        NONE, 0) \
	X("netkit/peer",          SCHED_CLS,       BPF_NETKIT_PEER,            0,        NONE, 0) \
	X("tracepoint",           TRACEPOINT,      0,                          P,        TRACEPOINT, 0) \
	X("tp",                   TRACEPOINT,      0,                          P,        TRACEPOINT, 0) \
	X("raw_tracepoint",       RAW_TRACEPOINT,  0,                          P,        RAW_TP, 0) \
	X("raw_tp",               RAW_TRACEPOINT,  0,                          P,        RAW_TP, 0) \
	X("raw_tracepoint.w",     RAW_TRACEPOINT_WRITABLE, 0,                  P,        RAW_TP, 0) \
	X("raw_tp.w",             RAW_TRACEPOINT_WRITABLE, 0,                  P,        RAW_TP, 0) \
	X("tp_btf",               TRACING,         BPF_TRACE_RAW_TP,           P | BTF,  BTF, 0) \
	X("fentry",               TRACING,         BPF_TRACE_FENTRY,           P | BTF,  BTF, 0) \
	X("fmod_ret",             TRACING,         BPF_MODIFY_RETURN,          P | BTF,  BTF, 0) \
	X("fexit",                TRACING,         BPF_TRACE_FEXIT,            P | BTF,  BTF, 0) \
	X("fentry.s",             TRACING,         BPF_TRACE_FENTRY,           P | BTF | SL, BTF, 0) \
	X("fmod_ret.s",           TRACING,         BPF_MODIFY_RETURN,          P | BTF | SL, BTF, 0) \
	X("fexit.s",              TRACING,         BPF_TRACE_FEXIT,            P | BTF | SL, BTF, 0) \
	X("freplace",             EXT,             0,                          P | BTF,  BTF, 0) \
	X("lsm",                  LSM,             BPF_LSM_MAC,                P | BTF,  BTF, 0) \
	X("lsm.s",                LSM,             BPF_LSM_MAC,                P | BTF | SL, BTF, 0) \
	X("lsm_cgroup",           LSM,             BPF_LSM_CGROUP,             P | BTF,  BTF, 0) \
	X("iter",                 TRACING,         BPF_TRACE_ITER,             P | BTF,  BTF, 0) \
	X("iter.s",               TRACING,         BPF_TRACE_ITER,             P | BTF | SL, BTF, 0) \
	X("syscall",              SYSCALL,         0,                          SL,       NONE, 0) \
	X("xdp.frags/devmap",     XDP,             BPF_XDP_DEVMAP,             FR,       NONE, 0) \
	X("xdp/devmap",           XDP,             BPF_XDP_DEVMAP,             A,        NONE, 0) \
	X("xdp.frags/cpumap",     XDP,             BPF_XDP_CPUMAP,             FR,       NONE, 0) \
	X("xdp/cpumap",           XDP,             BPF_XDP_CPUMAP,             A,        NONE, 0) \
	X("xdp.frags",            XDP,             BPF_XDP,                    FR,       NONE, 0) \
	X("xdp",                  XDP,             BPF_XDP,                    AO,       NONE, 0) \
	X("perf_event",           PERF_EVENT,      0,                          0,        NONE, 0) \
	X("lwt_in",               LWT_IN,          0,                          0,        NONE, 0) \
	X("lwt_out",              LWT_OUT,         0,                          0,        NONE, 0) \
	X("lwt_xmit",             LWT_XMIT,        0,                          0,        NONE, 0) \
	X("lwt_seg6local",        LWT_SEG6LOCAL,   0,                          0,        NONE, 0) \
	X("sockops",              SOCK_OPS,        BPF_CGROUP_SOCK_OPS,        AO,       NONE, 0) \
	X("sk_skb/stream_parser", SK_SKB,          BPF_SK_SKB_STREAM_PARSER,   AO,       NONE, 0) \
	X("sk_skb/stream_verdict", SK_SKB,         BPF_SK_SKB_STREAM_VERDICT,  AO,       NONE, 0) \
	X("sk_skb",               SK_SKB,          0,                          0,        NONE, 0) \
	X("sk_msg",               SK_MSG,          BPF_SK_MSG_VERDICT,         AO,       NONE, 0) \
	X("lirc_mode2",           LIRC_MODE2,      BPF_LIRC_MODE2,             AO,       NONE, 0) \
	X("flow_dissector",       FLOW_DISSECTOR,  BPF_FLOW_DISSECTOR,         AO,       NONE, 0) \
	X("cgroup_skb/ingress",   CGROUP_SKB,      BPF_CGROUP_INET_INGRESS,    AO,       NONE, 0) \
	X("cgroup_skb/egress",    CGROUP_SKB,      BPF_CGROUP_INET_EGRESS,     AO,       NONE, 0) \
	X("cgroup/skb",           CGROUP_SKB,      0,                          0,        NONE, 0) \
	X("cgroup/sock_create",   CGROUP_SOCK,     BPF_CGROUP_INET_SOCK_CREATE, A,       NONE, 0) \
	X("cgroup/sock_release",  CGROUP_SOCK,     BPF_CGROUP_INET_SOCK_RELEASE, A,      NONE, 0) \
	X("cgroup/sock",          CGROUP_SOCK,     BPF_CGROUP_INET_SOCK_CREATE, AO,      NONE, 0) \
	X("cgroup/post_bind4",    CGROUP_SOCK,     BPF_CGROUP_INET4_POST_BIND, A,        NONE, 0) \
	X("cgroup/post_bind6",    CGROUP_SOCK,     BPF_CGROUP_INET6_POST_BIND, A,        NONE, 0) \
	X("cgroup/bind4",         CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND,     A,        NONE, 0) \
	X("cgroup/bind6",         CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND,     A,        NONE, 0) \
	X("cgroup/connect4",      CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT,  A,        NONE, 0) \
	X("cgroup/connect6",      CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT,  A,        NONE, 0) \
	X("cgroup/connect_unix",  CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT,   A,        NONE, 0) \
	X("cgroup/sendmsg4",      CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG,   A,        NONE, 0) \
	X("cgroup/sendmsg6",      CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG,   A,        NONE, 0) \
	X("cgroup/sendmsg_unix",  CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG,   A,        NONE, 0) \
	X("cgroup/recvmsg4",      CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG,   A,        NONE, 0) \
	X("cgroup/recvmsg6",      CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG,   A,        NONE, 0) \
	X("cgroup/recvmsg_unix",  CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG,   A,        NONE, 0) \
	X("cgroup/getpeername4",  CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, A,     NONE, 0) \
	X("cgroup/getpeername6",  CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, A,     NONE, 0) \
	X("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME, A,   NONE, 0) \
	X("cgroup/getsockname4",  CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, A,     NONE, 0) \
	X("cgroup/getsockname6",  CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, A,     NONE, 0) \
	X("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME, A,   NONE, 0) \
	X("cgroup/sysctl",        CGROUP_SYSCTL,   BPF_CGROUP_SYSCTL,          A,        NONE, 0) \
	X("cgroup/getsockopt",    CGROUP_SOCKOPT,  BPF_CGROUP_GETSOCKOPT,      A,        NONE, 0) \
	X("cgroup/setsockopt",    CGROUP_SOCKOPT,  BPF_CGROUP_SETSOCKOPT,      A,        NONE, 0) \
	X("cgroup/dev",           CGROUP_DEVICE,   BPF_CGROUP_DEVICE,          AO,       NONE, 0) \
	X("struct_ops",           STRUCT_OPS,      0,                          P,        OTHER, 0) \
	X("struct_ops.s",         STRUCT_OPS,      0,                          P | SL,   OTHER, 0) \
	X("sk_lookup",            SK_LOOKUP,       BPF_SK_LOOKUP,              A,        NONE, 0) \
	X("netfilter",            NETFILTER,       BPF_NETFILTER,              0,        NONE, 0)

static const struct obj_sec_def sec_defs[] = {
#define X(pfx, type, atype, fl, kind, ret)                                             \
	{ .prefix = pfx, .prog_type = BPF_PROG_TYPE_##type, .attach_type = (atype),    \
	  .flags = (fl), .attach_kind = OBJ_ATTACH_##kind, .retprobe = (ret) },
	OBJ_SEC_TABLE(X)
#undef X
};

#undef A
#undef AO
#undef BTF
#undef SL
#undef FR
#undef US
#undef P

const struct obj_sec_def *obj_sec_defs(size_t *n)
{
	*n = BB_ARRAY_SIZE(sec_defs);
	return sec_defs;
}

const struct obj_sec_def *obj_sec_lookup(const char *sec)
{
	for (size_t i = 0; sec && i < BB_ARRAY_SIZE(sec_defs); i++) {
		const struct obj_sec_def *d = &sec_defs[i];
		size_t n;

		/* Both matches below need the first byte: most rows end here
		 * (this scan was 3k instructions per program). */
		if (d->prefix[0] && d->prefix[0] != sec[0])
			continue;
		n = strlen(d->prefix);
		if (!strcmp(sec, d->prefix))
			return d;
		if ((d->flags & OBJ_SEC_PREFIX) && !strncmp(sec, d->prefix, n) && sec[n] == '/')
			return d;
	}
	return NULL;
}

static int bad(struct bb_err *e, const char *sec, const char *why)
{
	return bb_err_insn(e, -EINVAL, -1, "invalid SEC name '%s': %s", sec, why);
}

/* "+<number>" at the very end of @s is cut off into *off. */
static bool cut_offset(char *s, uint64_t *off)
{
	char *plus = strrchr(s, '+'), *end;
	unsigned long long v;

	if (!plus || !plus[1])
		return false;
	errno = 0;
	v = strtoull(plus + 1, &end, 0);
	if (errno || *end)
		return false;
	*plus = '\0';
	*off = v;
	return true;
}

static bool is_ident(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '_' && !strchr(extra, *s))
			return false;
	return true;
}

int obj_attach_parse(const struct obj_sec_def *def, const char *sec, struct obj_attach *out,
		     char *buf, size_t size, struct bb_err *e)
{
	size_t plen = strlen(def->prefix);
	char *colon, *colon2, *slash;
	const char *t;

	memset(out, 0, sizeof(*out));
	if (strlen(sec) + 1 > size)
		return bb_err_insn(e, -EINVAL, -1, "SEC name '%s': buffer too small", sec);
	if (strncmp(sec, def->prefix, plen) || sec[plen] != '/' || !(def->flags & OBJ_SEC_PREFIX))
		return 0;       /* exact-match rows carry no target */
	t = sec + plen + 1;
	strcpy(buf, t);
	out->target = t;
	switch (def->attach_kind) {
	case OBJ_ATTACH_KPROBE:
		out->has_offset = cut_offset(buf, &out->offset);
		if (!is_ident(buf, "."))
			return bad(e, sec, "expected kprobe/<function>[+<offset>]");
		if (def->retprobe && out->has_offset && out->offset)
			return bad(e, sec, "kretprobes do not take an offset");
		out->func = buf;
		break;
	case OBJ_ATTACH_KSYSCALL:
	case OBJ_ATTACH_RAW_TP:
		if (!is_ident(buf, "."))
			return bad(e, sec, "expected a function or tracepoint name after '/'");
		out->func = buf;
		break;
	case OBJ_ATTACH_KPROBE_MULTI:
		if (!is_ident(buf, ".*?"))
			return bad(e, sec, "expected a function name pattern after '/'");
		out->func = buf;
		break;
	case OBJ_ATTACH_UPROBE:
	case OBJ_ATTACH_UPROBE_MULTI: {
		char *end;
		unsigned long long addr;

		colon = strchr(buf, ':');
		if (!colon || colon == buf || !colon[1])
			return bad(e, sec, "expected <probe>/<binary path>:<function>[+<offset>]");
		*colon = '\0';
		out->path = buf;
		out->func = colon + 1;
		if (def->attach_kind == OBJ_ATTACH_UPROBE_MULTI)
			break;
		out->has_offset = cut_offset(colon + 1, &out->offset);
		/* A bare number is an address in the binary, not a name. */
		errno = 0;
		addr = strtoull(colon + 1, &end, 0);
		if (!errno && !*end && colon[1]) {
			out->offset = addr;
			out->has_offset = true;
			out->func = NULL;
		} else if (!is_ident(colon + 1, ".@")) {
			return bad(e, sec, "expected a function name or address after ':'");
		}
		break;
	}
	case OBJ_ATTACH_USDT:
		colon = strchr(buf, ':');
		colon2 = colon ? strchr(colon + 1, ':') : NULL;
		if (!colon || !colon2 || colon == buf || colon2 == colon + 1 || !colon2[1] ||
		    strchr(colon2 + 1, ':'))
			return bad(e, sec, "expected usdt/<binary path>:<provider>:<name>");
		*colon = *colon2 = '\0';
		out->path = buf;
		out->category = colon + 1;
		out->func = colon2 + 1;
		break;
	case OBJ_ATTACH_TRACEPOINT:
		slash = strchr(buf, '/');
		if (!slash || slash == buf || !slash[1])
			return bad(e, sec, "expected tp/<category>/<name>");
		*slash = '\0';
		out->category = buf;
		out->func = slash + 1;
		break;
	case OBJ_ATTACH_BTF:
	case OBJ_ATTACH_OTHER:
		if (!buf[0])
			return bad(e, sec, "empty attach target after '/'");
		out->func = buf;
		break;
	case OBJ_ATTACH_NONE:
		break;
	}
	return 0;
}
