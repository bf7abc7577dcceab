/* SPDX-License-Identifier: MIT */
/* Every field relocation kind, through anonymous members, nested structs,
 * arrays and bitfields; and relocated loads (LDX offsets and sizes). */
#include "core_test.h"

struct inner {
	int a;
	int b;
};

struct task {
	int pad;
	int pid;
	struct {
		int anon_x;
		int anon_y;
	};
	struct inner in;
	int arr[4];
	unsigned int flag : 3;
	int sflag : 5;
	unsigned int u32f;
	void *ptr;
} PAI;

SEC("raw_tp/fields")
int fields(u64 *o)
{
	struct task *t = (void *)o[0];

	o[1] = FIELD(t->pid, F_OFF);
	o[2] = FIELD(t->pid, F_SIZE);
	o[3] = FIELD(t->anon_y, F_OFF);
	o[4] = FIELD(t->in.b, F_OFF);
	o[5] = FIELD(t->arr[2], F_OFF);
	o[6] = FIELD(t->flag, F_OFF);
	o[7] = FIELD(t->flag, F_SIZE);
	o[8] = FIELD(t->flag, F_SIGNED);
	o[9] = FIELD(t->flag, F_LSHIFT);
	o[10] = FIELD(t->flag, F_RSHIFT);
	o[11] = FIELD(t->sflag, F_SIGNED);
	o[12] = FIELD(t->sflag, F_LSHIFT);
	o[13] = FIELD(t->sflag, F_RSHIFT);
	o[14] = FIELD(t->pid, F_EXISTS);
	return 0;
}

SEC("raw_tp/loads")
int loads(u64 *o)
{
	struct task *t = (void *)o[0];

	o[1] = t->u32f;
	o[2] = t->pid;
	o[3] = (unsigned long)t->ptr;
	return 0;
}
