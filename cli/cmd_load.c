/* SPDX-License-Identifier: MIT */
/*
 * barebpf load - open an object, load it into the running kernel as
 * libbpf's bpf_object__load() would, and report what the kernel said.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static void help_load(void)
{
	printf("usage: barebpf load FILE.o... [--pin-maps DIR] [--no-btf] [--log LEVEL]\n"
	       "                            [--attach] [--pin DIR] [-q]\n\n"
	       "Load every program and map of each object into the running kernel:\n"
	       "externs resolved, CO-RE applied against /sys/kernel/btf/vmlinux, BTF\n"
	       "loaded, maps created (global data initialised, .rodata frozen, pinned\n"
	       "maps reused), programs verified, prog-array and map-in-map slots filled.\n"
	       "Prints each program's verdict and the kernel's reason for a refusal,\n"
	       "then unloads (nothing stays in the kernel but maps pinned by name).\n\n"
	       "  --pin-maps DIR  where LIBBPF_PIN_BY_NAME maps live (default /sys/fs/bpf)\n"
	       "  --no-btf        load without the object's BTF\n"
	       "  --log LEVEL     keep the verifier log of every program (1 or 2) and print it\n"
	       "  --attach        attach every program its SEC() name says where to\n"
	       "                  (tracepoints, raw_tp, tp_btf, uprobes with a path, usdt,\n"
	       "                  iterators, perf_event at 49 Hz, ...); programs that need\n"
	       "                  a target (xdp, tc, cgroup, socket) are listed as such.\n"
	       "                  Without --pin the attachments end when barebpf exits.\n"
	       "  --pin DIR       pin each loaded program at DIR/<name> and, with --attach,\n"
	       "                  each link at DIR/<name>_link, so they stay in the kernel\n"
	       "                  (remove with rm; DIR is created on a bpffs mount)\n"
	       "  -q              one summary line per object\n"
	       "Exit status: 0 if every program loaded, 1 otherwise.\n");
}

static const char *log_tail(const char *log)
{
	size_t n = strlen(log);
	int lines = 0;

	while (n > 0) {
		if (log[n - 1] == '\n' && ++lines > 4)
			break;
		n--;
	}
	return log + n;
}

struct load_flags {
	bool quiet;
	bool attach;
	const char *pin_dir;
};

/* Pin @fd at DIR/NAME[suffix]; prints what happened. 0 or 1. */
static int pin_at(const char *dir, const char *name, const char *suffix, int fd, bool quiet)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
	err = ldr_obj_pin(fd, path);
	if (err) {
		fprintf(stderr, "barebpf load: pin %s: %s\n", path, strerror(-err));
		return 1;
	}
	if (!quiet)
		printf("    pinned %s\n", path);
	return 0;
}

/* Attach (and pin) program @i; returns 1 when something failed. */
static int attach_one(struct ldr_obj *lo, size_t i, const struct load_flags *f,
		      struct ldr_link **link)
{
	const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
	struct bb_err e;
	char line[1024];
	int status = 0;

	*link = NULL;
	if (f->pin_dir)
		status |= pin_at(f->pin_dir, p->name, "", p->fd, f->quiet);
	if (!f->attach)
		return status;
	if (!ldr_obj_prog_autoattachable(lo, i)) {
		if (!f->quiet)
			printf("    not attached: a %s program needs a target (interface, cgroup, "
			       "socket, ...)\n", ldr_prog_type_str(p->prog_type));
		return status;
	}
	bb_err_clear(&e);
	if (ldr_obj_attach_prog(lo, i, NULL, link, &e)) {
		printf("    ATTACH FAILED: %s\n", bb_err_str(&e, line, sizeof(line)));
		return 1;
	}
	if (!f->quiet)
		printf("    attached: %s\n", ldr_link_desc(*link));
	if (f->pin_dir) {
		if (ldr_link_fd(*link) < 0) {
			fprintf(stderr, "barebpf load: %s: a legacy attachment has no link to pin\n",
				p->name);
			return 1;
		}
		if (pin_at(f->pin_dir, p->name, "_link", ldr_link_fd(*link), f->quiet))
			return 1;
	}
	return status;
}

static int load_one(const char *path, const struct ldr_obj_opts *lopts, const struct load_flags *f)
{
	bool quiet = f->quiet;
	struct ldr_link **links = NULL;
	int attach_status = 0;

	struct obj *o = NULL;
	struct ldr_obj *lo = NULL;
	struct bb_err e;
	size_t loaded = 0, n;
	int ret;

	bb_err_clear(&e);
	if (obj_open_file(path, NULL, &o, &e))
		return cli_fail("load", &e);
	ret = ldr_obj_load(o, lopts, &lo, &e);
	obj_free(o);
	if (ret < 0)
		return cli_fail("load", &e);
	n = ldr_obj_prog_count(lo);
	if (f->attach || f->pin_dir) {
		links = calloc(n ? n : 1, sizeof(*links));
		if (!links) {
			ldr_obj_free(lo);
			fprintf(stderr, "barebpf load: out of memory\n");
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
		char line[1024];

		if (!p->err)
			loaded++;
		if (quiet) {
			if (!p->err && links)
				attach_status |= attach_one(lo, i, f, &links[i]);
			continue;
		}
		if (!p->err) {
			printf("  %-24s %-40s %-14s loaded (fd %d, %zu insns)\n", p->name,
			       p->section, ldr_prog_type_str(p->prog_type), p->fd, p->insn_cnt);
			if (lopts->log_level && p->log.buf)
				printf("%s\n", p->log.buf);
			if (links)
				attach_status |= attach_one(lo, i, f, &links[i]);
		} else {
			printf("  %-24s %-40s REFUSED: %s\n", p->name, p->section,
			       bb_err_str(&p->error, line, sizeof(line)));
			if (lopts->log_level && p->log.buf)
				printf("%s\n", log_tail(p->log.buf));
		}
	}
	if (!quiet) {
		for (size_t i = 0; i < ldr_obj_map_count(lo); i++) {
			const struct ldr_obj_map *m = ldr_obj_map(lo, i);

			printf("  map %-20s %-16s key %-3u value %-5u max_entries %-6u fd %d%s%s%s\n",
			       m->kname, ldr_map_type_str(m->type), m->key_size, m->value_size, m->max_entries, m->fd,
			       m->btf_types ? " btf" : "", m->reused ? " reused" : "",
			       m->pin_path ? " pinned" : "");
		}
		for (size_t i = 0; i < ldr_obj_note_count(lo); i++)
			printf("  note: %s\n", ldr_obj_note(lo, i));
	}
	printf("%s: %zu/%zu programs loaded, %zu maps, BTF %s\n", path, loaded, n,
	       ldr_obj_map_count(lo), ldr_obj_btf_fd(lo) >= 0 ? "loaded" : "not loaded");
	if (f->attach && !f->pin_dir && !quiet)
		printf("(attachments end now that barebpf exits; --pin DIR keeps them)\n");
	/* pinned links stay in the kernel: destroy only closes our fds */
	ldr_links_destroy(links, n);
	ldr_obj_free(lo);
	return loaded == n && !attach_status ? 0 : 1;
}

static int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pin-maps", required_argument, NULL, 'p' },
		{ "no-btf", no_argument, NULL, 'n' },
		{ "log", required_argument, NULL, 'l' },
		{ "attach", no_argument, NULL, 'a' },
		{ "pin", required_argument, NULL, 'P' },
		{ 0 },
	};
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true);
	struct load_flags f = { 0 };
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			lopts.pin_root = optarg;
			break;
		case 'n':
			lopts.no_btf = true;
			break;
		case 'l':
			if (strcmp(optarg, "1") && strcmp(optarg, "2"))
				return cli_usage("load", "--log wants 1 or 2, not '%s'", optarg);
			lopts.log_level = (uint32_t)atoi(optarg);
			break;
		case 'a':
			f.attach = true;
			break;
		case 'P':
			f.pin_dir = optarg;
			break;
		case 'q':
			f.quiet = true;
			break;
		default:
			return cli_usage("load", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage("load", "expected one or more FILE.o");
	if (f.pin_dir && mkdir(f.pin_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "barebpf load: --pin %s: %s\n", f.pin_dir, strerror(errno));
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (load_one(argv[i], &lopts, &f))
			status = 1;
	return status;
}

CLI_COMMAND(load, 70, "load objects into the running kernel and report the verdicts", cmd_load, help_load)
