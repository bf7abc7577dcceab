/* SPDX-License-Identifier: MIT */
/* verifier/vf_case.c - the verifier case-file format (see vf.h). */
#include <stdio.h>
#include <stdlib.h>

#include "common/bb_uapi.h"
#include "verifier/vf_internal.h"

static const struct { const char *name; uint32_t type; } map_types[] = {
	{ "hash", BPF_MAP_TYPE_HASH }, { "array", BPF_MAP_TYPE_ARRAY },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY }, { "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH }, { "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH }, { "queue", BPF_MAP_TYPE_QUEUE },
	{ "stack", BPF_MAP_TYPE_STACK }, { "ringbuf", BPF_MAP_TYPE_RINGBUF },
	{ "devmap", BPF_MAP_TYPE_DEVMAP }, { "array_of_maps", BPF_MAP_TYPE_ARRAY_OF_MAPS },
	{ "hash_of_maps", BPF_MAP_TYPE_HASH_OF_MAPS },
};

int vf_map_type_by_name(const char *name)
{
	for (size_t i = 0; i < BB_ARRAY_SIZE(map_types); i++)
		if (!strcmp(map_types[i].name, name))
			return (int)map_types[i].type;
	return -1;
}

void vf_cases_free(struct vf_case *c, size_t cnt)
{
	for (size_t i = 0; c && i < cnt; i++) {
		free(c[i].text);
		free(c[i].insns);
	}
	free(c);
}

static int header(struct vf_case *c, const char *h, const char *file, int line, struct bb_err *e)
{
	char a[32], b[64];
	unsigned k, v, m;
	int t;

	if (!strncmp(h, "type:", 5)) {
		if (sscanf(h + 5, "%31s", c->type_name) != 1 ||
		    (t = vf_prog_type_by_name(c->type_name)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "unknown program type '%s'", h + 5);
		}
		c->prog_type = (uint32_t)t;
		c->expected_attach_type = !strcmp(c->type_name, "tp_btf") ? BPF_TRACE_RAW_TP : 0;
	} else if (!strncmp(h, "func_info", 9)) {
		c->func_info = true;
	} else if (!strncmp(h, "attach:", 7)) {
		if (sscanf(h + 7, "%63s", c->attach) != 1) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "attach: needs a name");
		}
	} else if (!strncmp(h, "map:", 4)) {
		struct vf_map *mp = &c->maps[c->map_cnt];

		if (c->map_cnt == VF_CASE_MAX_MAPS ||
		    sscanf(h + 4, "%31s %63s %u %u %u", a, b, &k, &v, &m) != 5 ||
		    (t = vf_map_type_by_name(b)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad map line (want NAME TYPE KEY VALUE MAX)");
		}
		snprintf(c->map_names[c->map_cnt], sizeof(c->map_names[0]), "%s", a);
		mp->type = (uint32_t)t;
		mp->key_size = k;
		mp->value_size = v;
		mp->max_entries = m;
		mp->flags = strstr(h, "rdonly") ? BPF_F_RDONLY_PROG : 0;
		c->map_cnt++;
	} else if (!strncmp(h, "inner:", 6)) {
		/* "# inner: TYPE KEY VALUE MAX": the template of the last map */
		struct vf_map *mp = &c->inner[c->map_cnt ? c->map_cnt - 1 : 0];

		if (!c->map_cnt || sscanf(h + 6, "%63s %u %u %u", b, &k, &v, &m) != 4 ||
		    (t = vf_map_type_by_name(b)) < 0) {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "bad inner line (want TYPE KEY VALUE MAX after a map)");
		}
		*mp = (struct vf_map){ .type = (uint32_t)t, .key_size = k, .value_size = v, .max_entries = m };
	} else if (!strncmp(h, "expect:", 7)) {
		const char *p = h + 7;

		while (*p == ' ')
			p++;
		c->has_expect = true;
		if (!strncmp(p, "accept", 6)) {
			c->expect_accept = true;
		} else if (!strncmp(p, "reject", 6)) {
			p += 6;
			while (*p == ' ')
				p++;
			snprintf(c->fragment, sizeof(c->fragment), "%s", p);
		} else {
			bb_err_set_file(e, file);
			return bb_err_line(e, -EINVAL, line, "expect: accept or reject");
		}
	} else if (!strncmp(h, "kernel-differs:", 15)) {
		snprintf(c->kernel_differs, sizeof(c->kernel_differs), "%s", h + 15);
	}
	return 0;
}

int vf_cases_parse(const char *text, const char *file, struct vf_case **out, size_t *cnt,
		   struct bb_err *e)
{
	struct vf_case *cs = NULL, *c = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;
	int line = 0, err = 0;

	*out = NULL;
	*cnt = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512];
		const char *h;

		line++;
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < 511 ? len : 511), p);
		p += len + (eol ? 1 : 0);
		h = buf;
		while (*h == ' ' || *h == '\t')
			h++;
		if (!c || !strncmp(h, "# case:", 7)) {
			if (n == cap) {
				struct vf_case *q = realloc(cs, (cap = cap ? cap * 2 : 16) * sizeof(*q));

				if (!q) {
					err = -ENOMEM;
					goto fail;
				}
				cs = q;
			}
			c = &cs[n++];
			memset(c, 0, sizeof(*c));
			c->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
			snprintf(c->type_name, sizeof(c->type_name), "socket_filter");
			c->text = calloc(1, 1);
			if (!c->text) {
				err = -ENOMEM;
				goto fail;
			}
			if (!strncmp(h, "# case:", 7)) {
				const char *nm = h + 7;

				while (*nm == ' ')
					nm++;
				snprintf(c->name, sizeof(c->name), "%s", nm);
				continue;
			}
			snprintf(c->name, sizeof(c->name), "%s", file);
		}
		if (h[0] == '#' && h[1] == ' ' && !c->first_line) {
			if ((err = header(c, h + 2, file, line, e)))
				goto fail;
			continue;
		}
		if (!c->first_line && *h && *h != '#')
			c->first_line = line;
		if (c->first_line) {
			size_t tl = strlen(c->text);
			char *q = realloc(c->text, tl + strlen(buf) + 2);

			if (!q) {
				err = -ENOMEM;
				goto fail;
			}
			c->text = q;
			sprintf(q + tl, "%s\n", buf);
		}
	}
	for (size_t i = 0; i < n; i++) {
		long k = isa_asm(cs[i].text, file, &cs[i].insns, e);

		for (size_t m = 0; m < cs[i].map_cnt; m++)
			cs[i].maps[m].name = cs[i].map_names[m];
		for (size_t m = 0; m < cs[i].map_cnt; m++)     /* cs no longer moves */
			if (cs[i].inner[m].type)
				cs[i].maps[m].inner = &cs[i].inner[m];
		if (k < 0) {
			err = (int)k;
			if (e)
				e->line += cs[i].first_line - 1;
			goto fail;
		}
		cs[i].n = (size_t)k;
	}
	*out = cs;
	*cnt = n;
	return 0;
fail:
	vf_cases_free(cs, n);
	return err;
}
