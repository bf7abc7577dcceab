/* SPDX-License-Identifier: MIT */
/*
 * env/env_printk.c - bpf_trace_printk, bpf_trace_vprintk and
 * bpf_snprintf with the kernel's format rules (bpf_bprintf_prepare):
 * printable ASCII only; %d %i %u %x %X with optional l/ll; %c; %s (a
 * kernel string, read like probe_read_kernel_str); %p, %px, %pK, %pB,
 * %pS (a pointer; printed in hex, where the kernel may hash it),
 * %pks/%pus (a kernel/user string), %pI4 %pi4 %pI6 %pi6 (an address
 * read from memory); flags "0 +-" and a width; no precision, no %%n, no
 * more specifiers than arguments.  Anything else is -EINVAL, as in the
 * kernel.  trace_printk output is captured per run (env_run_out.printk).
 */
#include "env/env_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PTR(r) ((void *)(uintptr_t)(r))

struct sink {
	char *out;
	size_t size, len;       /* len: what snprintf would have written */
};

static void put(struct sink *s, const char *p, size_t n)
{
	if (s->len < s->size) {
		size_t room = s->size - 1 - s->len;

		memcpy(s->out + s->len, p, n < room ? n : room);
	}
	s->len += n;
	if (s->size)
		s->out[s->len < s->size ? s->len : s->size - 1] = '\0';
}

static void putf(struct sink *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct sink *s, const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(s, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A string argument: up to 511 bytes of memory the run may read; a
 * fault gives an empty string, as the kernel's copy failure does. */
static void read_str(struct vm_call *call, bool user, uint64_t addr, char *buf,
		     size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++) {
		bool ok = user ? env_mem_in(env_of(call), ENV_MEM_USER, addr + i, 1)
			       : env_mem_ok(call, addr + i, 1, false);

		if (!ok) {
			i = 0;
			break;
		}
		buf[i] = *(const char *)PTR(addr + i);
		if (!buf[i])
			break;
	}
	buf[i] = '\0';
}

int env_bprintf(struct vm_call *call, const char *fmt, uint32_t fmt_size,
		const uint64_t *args, uint32_t nargs, char *out, size_t size)
{
	struct sink s = { out, size, 0 };
	uint32_t spec = 0;

	if (size)
		out[0] = '\0';
	if (!fmt_size || !memchr(fmt, 0, fmt_size))
		return -EINVAL;
	for (size_t i = 0; fmt[i]; i++) {
		char conv[32], str[512];
		size_t start = i, flen;
		uint64_t a;

		if ((!isprint((unsigned char)fmt[i]) && !isspace((unsigned char)fmt[i])) ||
		    !isascii((unsigned char)fmt[i]))
			return -EINVAL;
		if (fmt[i] != '%') {
			put(&s, &fmt[i], 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			put(&s, "%", 1);
			i++;
			continue;
		}
		if (spec >= nargs)
			return -EINVAL;
		a = args[spec++];
		i++;
		while (fmt[i] == '0' || fmt[i] == '+' || fmt[i] == '-' || fmt[i] == ' ')
			i++;
		if (fmt[i] >= '1' && fmt[i] <= '9')
			while (fmt[i] >= '0' && fmt[i] <= '9')
				i++;
		/* conv: "%" + flags and width as written, then ours. */
		flen = i - start;
		if (flen > 16)
			return -EINVAL;
		memcpy(conv, fmt + start, flen);
		if (fmt[i] == 'p') {
			char n1 = fmt[i + 1], n2 = n1 ? fmt[i + 2] : 0;

			if ((n1 == 'k' || n1 == 'u') && n2 == 's') {
				i += 2;
				if (fmt[i + 1] && !isspace((unsigned char)fmt[i + 1]) &&
				    !ispunct((unsigned char)fmt[i + 1]))
					return -EINVAL;
				read_str(call, n1 == 'u', a, str, sizeof(str));
				memcpy(conv + flen, "s", 2);
				putf(&s, conv, str);
				continue;
			}
			if (!n1 || isspace((unsigned char)n1) || ispunct((unsigned char)n1) ||
			    n1 == 'K' || n1 == 'x' || n1 == 's' || n1 == 'S' || n1 == 'B') {
				if (n1 == 'K' || n1 == 'x' || n1 == 's' || n1 == 'S' || n1 == 'B')
					i++;
				putf(&s, "0x%016llx", (unsigned long long)a);
				continue;
			}
			if ((n1 != 'i' && n1 != 'I') || (n2 != '4' && n2 != '6'))
				return -EINVAL;
			i += 2;
			{
				size_t alen = n2 == '4' ? 4 : 16;
				uint8_t ip[16] = { 0 };

				if (env_mem_ok(call, a, alen, false))
					memcpy(ip, PTR(a), alen);
				if (alen == 4)
					putf(&s, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
				else
					for (int k = 0; k < 16; k += 2)
						putf(&s, n1 == 'I' ? "%s%02x%02x" : "%s%02x%02x",
						     k ? (n1 == 'I' ? ":" : "") : "", ip[k], ip[k + 1]);
			}
			continue;
		}
		if (fmt[i] == 's') {
			if (fmt[i + 1] && !isspace((unsigned char)fmt[i + 1]) &&
			    !ispunct((unsigned char)fmt[i + 1]))
				return -EINVAL;
			read_str(call, false, a, str, sizeof(str));
			memcpy(conv + flen, "s", 2);
			putf(&s, conv, str);
			continue;
		}
		if (fmt[i] == 'c') {
			memcpy(conv + flen, "c", 2);
			putf(&s, conv, (int)(unsigned char)a);
			continue;
		}
		{
			int lsize = 0;

			if (fmt[i] == 'l') {
				lsize++;
				i++;
			}
			if (fmt[i] == 'l') {
				lsize++;
				i++;
			}
			if (fmt[i] != 'i' && fmt[i] != 'd' && fmt[i] != 'u' &&
			    fmt[i] != 'x' && fmt[i] != 'X')
				return -EINVAL;
			/* An int argument is the low 32 bits. */
			if (!lsize)
				a = (fmt[i] == 'd' || fmt[i] == 'i')
					    ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
			memcpy(conv + flen, "ll", 2);
			conv[flen + 2] = fmt[i];
			conv[flen + 3] = '\0';
			putf(&s, conv, (long long)a);
		}
	}
	return (int)(s.len > INT32_MAX ? INT32_MAX : s.len);
}

static uint64_t log_line(struct vm_call *call, const char *fmt, uint32_t fmt_size,
			 const uint64_t *args, uint32_t nargs)
{
	struct env *env = env_of(call);
	char buf[ENV_PRINTK_MAX];
	int n = env_bprintf(call, fmt, fmt_size, args, nargs, buf, sizeof(buf));

	if (n < 0)
		return (uint64_t)(int64_t)n;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (int i = 0; i < n; i++)
		if (!bb_vec_push(&env->cur.printk, &buf[i]))
			return (uint64_t)(int64_t)-ENOMEM;
	/* The trace pipe shows one line per call. */
	if (n && buf[n - 1] != '\n' && !bb_vec_push(&env->cur.printk, "\n"))
		return (uint64_t)(int64_t)-ENOMEM;
	return (uint64_t)n;
}

static bool fmt_ok(struct vm_call *call, uint64_t fmt, uint64_t size)
{
	return size && size <= 65536 && env_mem_ok(call, fmt, (size_t)size, false);
}

uint64_t env_h_trace_printk(uint64_t r1, uint64_t r2, uint64_t r3,
			    uint64_t r4, uint64_t r5, struct vm_call *call)
{
	uint64_t args[3] = { r3, r4, r5 };

	if (!fmt_ok(call, r1, r2))
		return (uint64_t)(int64_t)-EINVAL;
	return log_line(call, PTR(r1), (uint32_t)r2, args, 3);
}

uint64_t env_h_trace_vprintk(uint64_t r1, uint64_t r2, uint64_t r3,
			     uint64_t r4, uint64_t r5, struct vm_call *call)
{
	if (!fmt_ok(call, r1, r2) || (r4 % 8) || r4 > 12 * 8 || (r4 && !r3))
		return (uint64_t)(int64_t)-EINVAL;
	return log_line(call, PTR(r1), (uint32_t)r2, PTR(r3), (uint32_t)(r4 / 8));
}

/* bpf_snprintf(str, size, fmt, data, data_len): the length with the NUL
 * (what the output needed), or -EINVAL. */
uint64_t env_h_snprintf(uint64_t r1, uint64_t r2, uint64_t r3,
			uint64_t r4, uint64_t r5, struct vm_call *call)
{
	const char *fmt = PTR(r3);
	size_t flen;
	int n;

	if ((r5 % 8) || r5 > 12 * 8 || (r5 && !r4))
		return (uint64_t)(int64_t)-EINVAL;
	for (flen = 0; env_mem_ok(call, r3 + flen, 1, false); flen++)
		if (!fmt[flen])
			break;
	if (!env_mem_ok(call, r3 + flen, 1, false))
		return (uint64_t)(int64_t)-EINVAL;
	n = env_bprintf(call, fmt, (uint32_t)flen + 1, PTR(r4), (uint32_t)(r5 / 8),
			PTR(r1), (size_t)r2);
	return n < 0 ? (uint64_t)(int64_t)n : (uint64_t)n + 1;
}
