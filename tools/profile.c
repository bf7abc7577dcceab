/* SPDX-License-Identifier: MIT */
/*
 * profile - sample stacks on every CPU at a frequency (software
 * cpu-clock perf events: works without a hardware PMU) and print each
 * distinct kernel + user stack with its count, most frequent last, as
 * BCC's profile does.  corpus/src/profile.bpf.c keys `counts` by {pid,
 * kernel stack id, user stack id, comm}; stacks live in `stacks`.
 * Kernel frames come from /proc/kallsyms, user frames from the process's
 * mappings and ELF symbols (read while it still runs, at the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/lib/tl.h"

#define MAX_STACK_DEPTH 127

struct sample_key {             /* corpus/src/profile.bpf.c */
	uint32_t pid;
	int kern_stack_id;
	int user_stack_id;
	char comm[16];
};

struct entry {
	struct sample_key k;
	uint64_t cnt;
};

static const char usage[] =
	"usage: profile [-p PID] [-F FREQ] [-d SECONDS] [-f] [-h] [DURATION]\n"
	"Profile CPU usage by sampling stack traces at a timed interval.\n"
	"  -p PID      only this process\n"
	"  -F FREQ     sample frequency in Hz (default 49)\n"
	"  -d SECONDS  duration (or positional DURATION; default: until Ctrl-C)\n"
	"  -f          folded output (flame graph input): comm;frames count\n";

static uint64_t freq = 49;
static bool folded;

static int on_opt(int c, const char *arg, void *ctx)
{
	(void)ctx;
	if (c == 'F' && atoi(arg) > 0) {
		freq = (uint64_t)atoi(arg);
		return 0;
	}
	if (c == 'f') {
		folded = true;
		return 0;
	}
	return 1;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return a->cnt < b->cnt ? -1 : a->cnt > b->cnt;
}

static int read_stack(int fd, int id, uint64_t *ips)
{
	int n = 0;

	if (id < 0 || ldr_map_lookup(fd, &id, ips))
		return 0;
	while (n < MAX_STACK_DEPTH && ips[n])
		n++;
	return n;
}

static void print_entry(const struct entry *en, int stacks, struct tl_syms *ks)
{
	uint64_t kips[MAX_STACK_DEPTH], uips[MAX_STACK_DEPTH];
	int nk = read_stack(stacks, en->k.kern_stack_id, kips);
	int nu = read_stack(stacks, en->k.user_stack_id, uips);
	struct tl_syms *us = nu ? tl_syms_process((int)en->k.pid) : NULL;
	char buf[512];

	if (folded) {
		printf("%s", en->k.comm);
		for (int i = nu - 1; i >= 0; i--) {
			const char *s = tl_syms_resolve(us, uips[i], buf, sizeof(buf));

			printf(";%s", s ? s : "[unknown]");
		}
		for (int i = nk - 1; i >= 0; i--) {
			const char *s = tl_syms_resolve(ks, kips[i], buf, sizeof(buf));

			printf(";%s", s ? s : "[unknown]");
		}
		printf(" %llu\n", (unsigned long long)en->cnt);
		tl_syms_free(us);
		return;
	}
	for (int i = 0; i < nk; i++) {
		const char *s = tl_syms_resolve(ks, kips[i], buf, sizeof(buf));

		printf("    %s\n", s ? s : "[unknown]");
	}
	if (en->k.kern_stack_id < 0 && en->k.kern_stack_id != -14 /* -EFAULT: none */)
		printf("    [missed kernel stack]\n");
	printf("    --\n");
	for (int i = 0; i < nu; i++) {
		const char *s = tl_syms_resolve(us, uips[i], buf, sizeof(buf));

		if (s)
			printf("    %s\n", s);
		else
			printf("    [unknown] 0x%llx\n", (unsigned long long)uips[i]);
	}
	printf("    -                %s (%u)\n        %llu\n\n", en->k.comm, en->k.pid,
	       (unsigned long long)en->cnt);
	tl_syms_free(us);
}

int main(int argc, char **argv)
{
	struct tl_args a;
	struct tl_obj t;
	struct ldr_link *link;
	struct tl_syms *ks;
	struct entry *ents = NULL;
	struct sample_key key, next, *prev = NULL;
	struct bb_err e;
	size_t n = 0, cap = 0;
	char line[512];
	int counts, stacks;
	double end;

	tl_parse(argc, argv, usage, "F:f", on_opt, NULL, &a);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tl_open(argv[0], "profile", &t);
	tl_load(&t, false);
	{
		LDR_OPTS(ldr_attach_opts, o, .cpu = -1, .pid = a.pid > 0 ? a.pid : -1,
			 .sample_freq = freq);

		bb_err_clear(&e);
		if (ldr_attach_perf_sampling(tl_prog_fd(&t, "do_sample"), &o, &link, &e)) {
			fprintf(stderr, "profile: %s\n", bb_err_str(&e, line, sizeof(line)));
			tl_close(&t);
			return 1;
		}
	}
	counts = tl_map_fd(&t, "counts");
	stacks = tl_map_fd(&t, "stacks");
	tl_signals();
	if (!folded)
		printf("Sampling at %llu Hertz of %s by user + kernel stack%s... Hit Ctrl-C to end.\n",
		       (unsigned long long)freq, a.pid ? "one process" : "all threads",
		       a.duration > 0 ? " for a while" : "");
	end = a.duration > 0 ? tl_now() + a.duration : 0;
	while (!tl_exiting && (!end || tl_now() < end))
		usleep(50000);
	ldr_link_destroy(link);
	while (!ldr_map_get_next_key(counts, prev, &next)) {
		uint64_t v;

		key = next;
		prev = &key;
		if (ldr_map_lookup(counts, &key, &v))
			continue;
		if (n == cap) {
			struct entry *ne = realloc(ents, (cap = cap ? cap * 2 : 256) * sizeof(*ne));

			if (!ne)
				break;
			ents = ne;
		}
		ents[n].k = key;
		ents[n].cnt = v;
		n++;
	}
	qsort(ents, n, sizeof(*ents), cmp_entry);
	ks = tl_syms_kernel();
	if (!ks && !folded)
		printf("(kernel symbols unavailable: /proc/kallsyms shows no addresses)\n");
	for (size_t i = 0; i < n; i++)
		print_entry(&ents[i], stacks, ks);
	tl_syms_free(ks);
	free(ents);
	tl_close(&t);
	return 0;
}
