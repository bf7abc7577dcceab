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

#include "cli/cli.h"
#include "elf/obj.h"
#include "loader/ldr.h"

static void help_load(void)
{
	printf("usage: barebpf load FILE.o... [--pin-maps DIR] [--no-btf] [--log LEVEL]\n"
	       "                            [--attach] [-q]\n\n"
	       "Load every program and map of each object into the running kernel:\n"
	       "externs resolved, CO-RE applied against /sys/kernel/btf/vmlinux, BTF\n"
	       "loaded, maps created (global data initialised, .rodata frozen, pinned\n"
	       "maps reused), programs verified, prog-array and map-in-map slots filled.\n"
	       "Prints each program's verdict and the kernel's reason for a refusal,\n"
	       "then unloads (nothing stays in the kernel but maps pinned by name).\n\n"
	       "  --pin-maps DIR  where LIBBPF_PIN_BY_NAME maps live (default /sys/fs/bpf)\n"
	       "  --no-btf        load without the object's BTF\n"
	       "  --log LEVEL     keep the verifier log of every program (1 or 2) and print it\n"
	       "  --attach        attach programs from their SEC() names (not built yet:\n"
	       "                  the attach layer of loader/ is planned; fails)\n"
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

static int load_one(const char *path, const struct ldr_obj_opts *lopts, bool quiet)
{
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
	for (size_t i = 0; i < n; i++) {
		const struct ldr_obj_prog *p = ldr_obj_prog(lo, i);
		char line[1024];

		if (!p->err)
			loaded++;
		if (quiet)
			continue;
		if (!p->err) {
			printf("  %-24s %-40s %-14s loaded (fd %d, %zu insns)\n", p->name,
			       p->section, ldr_prog_type_str(p->prog_type), p->fd, p->insn_cnt);
			if (lopts->log_level && p->log.buf)
				printf("%s\n", p->log.buf);
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
	ldr_obj_free(lo);
	return loaded == n ? 0 : 1;
}

static int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pin-maps", required_argument, NULL, 'p' },
		{ "no-btf", no_argument, NULL, 'n' },
		{ "log", required_argument, NULL, 'l' },
		{ "attach", no_argument, NULL, 'a' },
		{ 0 },
	};
	LDR_OPTS(ldr_obj_opts, lopts, .keep_going = true);
	bool quiet = false;
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
			fprintf(stderr, "barebpf load: --attach: attaching is not built yet "
				"(the attach layer of loader/ is planned; see the README status table)\n");
			return 1;
		case 'q':
			quiet = true;
			break;
		default:
			return cli_usage("load", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage("load", "expected one or more FILE.o");
	for (int i = optind; i < argc; i++)
		if (load_one(argv[i], &lopts, quiet))
			status = 1;
	return status;
}

CLI_COMMAND(load, 70, "load objects into the running kernel and report the verdicts", cmd_load, help_load)
