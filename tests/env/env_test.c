/* SPDX-License-Identifier: MIT */
#include "tests/env/env_test.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/bb.h"
#include "env/env.h"

static struct et_packet pk[16];
static size_t npk;

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 (+ L4 header bytes), checksum right unless @bad. */
static void v4(const char *name, uint8_t proto, uint16_t sport, uint16_t dport,
	       uint8_t ttl, uint16_t frag, bool bad, uint32_t saddr, bool vlan)
{
	struct et_packet *p = &pk[npk++];
	uint8_t *d = p->data;
	size_t o = 12, ip;
	uint16_t c;

	p->name = name;
	memcpy(d, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (vlan) {
		memcpy(d + o, "\x81\x00\x00\x05", 4);
		o += 4;
	}
	memcpy(d + o, "\x08\x00", 2);
	o += 2;
	ip = o;
	d[o] = 0x45;
	d[o + 2] = 0;
	d[o + 3] = 20 + 8 + 4;
	d[o + 6] = (uint8_t)(frag >> 8);
	d[o + 7] = (uint8_t)frag;
	d[o + 8] = ttl;
	d[o + 9] = proto;
	d[o + 12] = (uint8_t)(saddr >> 24);
	d[o + 13] = (uint8_t)(saddr >> 16);
	d[o + 14] = (uint8_t)(saddr >> 8);
	d[o + 15] = (uint8_t)saddr;
	memcpy(d + o + 16, "\x0a\x00\x00\x02", 4);
	c = csum(d + ip, 20);
	if (bad)
		c ^= 0x1234;
	d[ip + 10] = (uint8_t)(c >> 8);
	d[ip + 11] = (uint8_t)c;
	o += 20;
	if (proto == 1) {
		d[o] = 8;       /* echo request */
	} else {
		d[o] = (uint8_t)(sport >> 8);
		d[o + 1] = (uint8_t)sport;
		d[o + 2] = (uint8_t)(dport >> 8);
		d[o + 3] = (uint8_t)dport;
		if (proto == 17)
			d[o + 5] = 12;
		else
			d[o + 12] = 0x50;
	}
	o += 12;
	p->len = o < 60 ? 60 : o;
}

const struct et_packet *et_packets(size_t *n)
{
	if (!npk) {
		v4("udp-9", 17, 1234, 9, 64, 0, false, 0x0a000001, false);
		v4("udp-53", 17, 1234, 53, 64, 0, false, 0x0a000001, false);
		v4("tcp-22", 6, 40000, 22, 64, 0, false, 0x0a000001, false);
		v4("tcp-80", 6, 40000, 80, 64, 0, false, 0x0a000001, false);
		v4("icmp-echo", 1, 0, 0, 64, 0, false, 0x0a000001, false);
		v4("bad-csum", 17, 1, 2, 64, 0, true, 0x0a000001, false);
		v4("fragment", 17, 1, 2, 64, 0x2000, false, 0x0a000001, false);
		v4("ttl-1", 6, 1, 443, 1, 0, false, 0x0a000001, false);
		v4("vlan-udp", 17, 5, 9, 64, 0, false, 0x0a000001, true);
		v4("src-0/8", 6, 1, 80, 64, 0, false, 0x00000005, false);
		{
			struct et_packet *p = &pk[npk++];

			p->name = "ipv6";
			memcpy(p->data, "\x33\x33\x00\x00\x00\x01\x02\x00\x00\x00\x00\x01\x86\xdd\x60", 15);
			p->data[20] = 17;
			p->data[21] = 64;
			p->len = 62 + 8;
			p = &pk[npk++];
			p->name = "arp";
			memcpy(p->data, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06", 14);
			p->len = 42;
			p = &pk[npk++];
			p->name = "eth-only";
			memcpy(p->data, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
			p->len = 14;
		}
	}
	*n = npk;
	return pk;
}

uint32_t et_engine(void)
{
	const char *v = getenv("BAREBPF_ENV_ENGINE");

	if (!v || !*v || !strcmp(v, "interp"))
		return ENV_ENGINE_INTERP;
	if (!strcmp(v, "jit"))
		return ENV_ENGINE_JIT;
	return UINT32_MAX;
}
