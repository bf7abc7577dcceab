/* SPDX-License-Identifier: MIT */
/*
 * loader/ldr_netlink.c - the legacy network attach paths over rtnetlink:
 * IFLA_XDP on RTM_SETLINK, and tc's clsact qdisc with a cls_bpf filter
 * in direct-action mode (what `tc qdisc add dev X clsact; tc filter add
 * dev X ingress bpf da fd N` sends).  One request, one ACK, per call.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "loader/ldr_internal.h"

struct nl_req {
	struct nlmsghdr h;
	union {
		struct ifinfomsg ifi;
		struct tcmsg tc;
	};
	char attrs[256];
};

static struct rtattr *nl_add(struct nl_req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nl_nest_end(struct nl_req *r, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)r + r->h.nlmsg_len - (char *)nest);
}

/* Send @r and wait for its ACK: 0 or the kernel's -errno. */
static int nl_talk(struct nl_req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	int one = 1, err = -EIO;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	/* extended ACKs carry the reason; we only need the errno */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	r->h.nlmsg_seq = 1;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != 1)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				err = 0;
				goto out;
			}
		}
	}
out:
	close(fd);
	return err;
}

int ldr_nl_xdp_set(int ifindex, int prog_fd, uint32_t flags, struct bb_err *e)
{
	struct nl_req r;
	struct rtattr *nest;
	int32_t fd = prog_fd;
	int err;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_SETLINK;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = ifindex;
	nest = nl_add(&r, IFLA_XDP | NLA_F_NESTED, NULL, 0);
	nl_add(&r, IFLA_XDP_FD, &fd, sizeof(fd));
	if (flags)
		nl_add(&r, IFLA_XDP_FLAGS, &flags, sizeof(flags));
	nl_nest_end(&r, nest);
	err = nl_talk(&r);
	if (err)
		return bb_err_insn(e, err, -1, "xdp ifindex %d: netlink IFLA_XDP %s: %s", ifindex,
				   prog_fd < 0 ? "detach" : "attach", strerror(-err));
	return 0;
}

int ldr_nl_tc_clsact(int ifindex, bool add, bool *created, struct bb_err *e)
{
	struct nl_req r;
	int err;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg));
	r.h.nlmsg_type = add ? RTM_NEWQDISC : RTM_DELQDISC;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	r.tc.tcm_family = AF_UNSPEC;
	r.tc.tcm_ifindex = ifindex;
	r.tc.tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0);
	r.tc.tcm_parent = TC_H_CLSACT;
	nl_add(&r, TCA_KIND, "clsact", sizeof("clsact"));
	err = nl_talk(&r);
	if (created)
		*created = add && !err;
	if (add && err == -EEXIST)
		return 0;       /* someone's clsact: share it, do not remove it later */
	if (err)
		return bb_err_insn(e, err, -1, "tc ifindex %d: %s clsact qdisc: %s", ifindex,
				   add ? "add" : "delete", strerror(-err));
	return 0;
}

int ldr_nl_tc_filter(int ifindex, uint32_t parent, uint32_t prio, uint32_t handle,
		     int prog_fd, const char *name, bool add, struct bb_err *e)
{
	struct nl_req r;
	struct rtattr *nest;
	int err;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg));
	r.h.nlmsg_type = add ? RTM_NEWTFILTER : RTM_DELTFILTER;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	r.tc.tcm_family = AF_UNSPEC;
	r.tc.tcm_ifindex = ifindex;
	r.tc.tcm_parent = parent;
	r.tc.tcm_handle = handle;
	r.tc.tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_ALL));
	nl_add(&r, TCA_KIND, "bpf", sizeof("bpf"));
	if (add) {
		uint32_t fd = (uint32_t)prog_fd, flags = TCA_BPF_FLAG_ACT_DIRECT;

		nest = nl_add(&r, TCA_OPTIONS | NLA_F_NESTED, NULL, 0);
		nl_add(&r, TCA_BPF_FD, &fd, sizeof(fd));
		nl_add(&r, TCA_BPF_NAME, name, strlen(name) + 1);
		nl_add(&r, TCA_BPF_FLAGS, &flags, sizeof(flags));
		nl_nest_end(&r, nest);
	}
	err = nl_talk(&r);
	if (err)
		return bb_err_insn(e, err, -1, "tc ifindex %d: %s cls_bpf filter (prio %u handle %u): %s",
				   ifindex, add ? "add" : "delete", prio, handle, strerror(-err));
	return 0;
}
