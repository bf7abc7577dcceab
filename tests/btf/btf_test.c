/* SPDX-License-Identifier: MIT */
#include "tests/btf/btf_test.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

uint8_t *bt_raw_copy(const struct bbtf *b, size_t *size)
{
	const void *raw = bbtf_raw_data(b, size);
	uint8_t *p = raw ? malloc(*size) : NULL;

	if (p)
		memcpy(p, raw, *size);
	return p;
}

int bt_reparse(const struct bbtf *b, struct bb_err *e)
{
	struct bbtf *out = NULL;
	size_t size;
	const void *raw = bbtf_raw_data(b, &size);
	int ret;

	if (!raw)
		return -ENOMEM;
	bb_err_clear(e);
	ret = bbtf_parse(raw, size, bbtf_base(b), &out, e);
	bbtf_free(out);
	return ret;
}

struct bbtf *bt_new_int(void)
{
	struct bbtf *b = NULL;

	if (bbtf_new(NULL, &b))
		return NULL;
	if (bbtf_add_int(b, "int", 4, BTF_INT_SIGNED) != 1) {
		bbtf_free(b);
		return NULL;
	}
	return b;
}

bool bt_have_clang(void)
{
	return system("clang-19 --version >/dev/null 2>&1") == 0;
}

const char *bt_tmpdir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/barebpf-btf-XXXXXX");
	return mkdtemp(buf);
}

void bt_rmdir(const char *dir)
{
	char cmd[512];

	if (!dir || strncmp(dir, "/tmp/barebpf-btf-", 17))
		return;         /* never anything but our own temp dirs */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		return;
}

int bt_write(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(text, f) == EOF)
		ret = -EIO;
	if (fclose(f))
		ret = -EIO;
	return ret;
}

int bt_run(const char *cmd, char *log, size_t log_size)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	int st;

	if (log_size)
		log[0] = '\0';
	if (!p)
		return -1;
	while (log_size && n + 1 < log_size) {
		size_t r = fread(log + n, 1, log_size - n - 1, p);

		if (!r)
			break;
		n += r;
	}
	if (log_size)
		log[n] = '\0';
	/* Drain what did not fit so the child is not killed by SIGPIPE. */
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int bt_compile(const char *dir, const char *name, const char *src, const char *extra,
	       char *log, size_t log_size)
{
	char file[256], cmd[1024];

	snprintf(file, sizeof(file), "%s.c", name);
	if (bt_write(dir, file, src))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && clang-19 -target bpf -O2 -g -c %s.c -o %s.o %s 2>&1", dir, name,
		 name, extra ? extra : "");
	return bt_run(cmd, log, log_size);
}

uint8_t *bt_elf_section(const char *path, const char *sec, size_t *size)
{
	int fd = open(path, O_RDONLY);
	uint8_t *out = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;

	*size = 0;
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			break;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, sec))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			break;
		out = malloc(data->d_size ? data->d_size : 1);
		if (out) {
			memcpy(out, data->d_buf, data->d_size);
			*size = data->d_size;
		}
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return out;
}
