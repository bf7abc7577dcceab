/* SPDX-License-Identifier: MIT */
/* tests/attach helpers: skips, fd counts, objects, network and cgroup sandboxes. */
#ifndef BAREBPF_TESTS_ATTACH_AT_UTIL_H
#define BAREBPF_TESTS_ATTACH_AT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/obj.h"
#include "loader/ldr.h"

/* Skip (with the reason) only when bpf() itself is refused here. */
void at_need_bpf(void);
/* Entries in /proc/self/fd. */
int at_fd_count(void);
/* build/corpus/NAME.bpf.o (from $BAREBPF_ROOT); skips when it is missing. */
const char *at_corpus(const char *name, char *buf, size_t size);
/* tests/attach/data/NAME.bpf.c compiled with clang-19 (cached next to
 * the test binary); fails the test when it does not compile. */
const char *at_data_obj(const char *name, char *buf, size_t size);
/* Open + load @path (keep_going); set rodata targ_tgid first when @tgid.
 * Asserts success. */
struct ldr_obj *at_load(const char *path, uint32_t tgid, struct obj **o_out);
/* Index of program @name (asserts). */
size_t at_prog(const struct ldr_obj *lo, const char *name);
int at_prog_fd(const struct ldr_obj *lo, const char *name);
int at_map_fd(const struct ldr_obj *lo, const char *name);
/* Set a .rodata variable in an opened object. */
bool at_set_rodata(struct obj *o, const char *var, const void *val, size_t size);
/* counters[k] of attach_test.bpf.o. */
uint64_t at_counter(const struct ldr_obj *lo, uint32_t k);

/* Run a shell command; returns its exit status. */
int at_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Output of a command (malloc'ed). */
char *at_sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Network sandbox: this test process moves into a new network namespace
 * (gone when the process exits) holding bbv0 10.77.0.1/24; its veth peer
 * bbv1 10.77.0.2/24 lives in a named namespace "bbpeer<pid>" that
 * at_net_down() deletes.  at_net_send_udp() sends @n datagrams from the
 * peer to 10.77.0.1:@port.
 */
int at_net_up(void);            /* ifindex of bbv0, or skips */
void at_net_down(void);
void at_net_send_udp(int port, int n);

/* A cgroup v2 directory created for the test; at_cgroup_run() runs @fn in
 * a child moved into it.  at_cgroup_down() removes the directory. */
int at_cgroup_up(char *path, size_t size);  /* fd of the directory, or skips */
void at_cgroup_run(const char *path, void (*fn)(void));
void at_cgroup_down(const char *path, int fd);
/* .fini of cgroup tests: removes the directory a failed test left. */
void at_cgroup_fini(void);

#endif
