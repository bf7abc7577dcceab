/* SPDX-License-Identifier: MIT */
/* tests/env: shared test inputs. */
#ifndef BAREBPF_TESTS_ENV_ENV_TEST_H
#define BAREBPF_TESTS_ENV_ENV_TEST_H

#include <stddef.h>
#include <stdint.h>

struct et_packet {
	const char *name;
	uint8_t data[128];
	size_t len;
};

/* A fixed set of frames covering the corpus programs' paths: UDP to the
 * drop port, DNS, SSH, HTTP, ICMP echo, bad checksum, fragment, TTL 1,
 * VLAN, IPv6, ARP, a bare Ethernet header, a 0.0.0.0/8 source. */
const struct et_packet *et_packets(size_t *n);

/* The engine env_run() uses in the helper and tool tests: the
 * interpreter, or the JIT with BAREBPF_ENV_ENGINE=jit in the environment
 * (`BAREBPF_ENV_ENGINE=jit build/tests/env` reruns them all as JIT code).
 * Any other value is an engine env_run() refuses, so a typo fails loudly. */
uint32_t et_engine(void);

#endif
