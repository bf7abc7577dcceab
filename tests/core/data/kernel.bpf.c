/* SPDX-License-Identifier: MIT */
/* Against the running kernel's BTF: a few task_struct facts, and a field
 * no kernel has (poisoned, behind an existence check). */
#include "core_test.h"

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
} PAI;

struct task_struct___x {
	int no_such_field;
} PAI;

enum pid_type { PIDTYPE_PID, PIDTYPE_TGID };

SEC("raw_tp/kernel")
int handle_exec(u64 *o)
{
	struct task_struct *t = (void *)o[0];

	o[1] = t->pid;
	o[2] = FIELD(t->tgid, F_OFF);
	o[3] = FIELD(t->comm, F_SIZE);
	o[4] = TYPE(struct task_struct, T_SIZE);
	o[5] = TYPE_ID(struct task_struct, 1);
	o[6] = ENUMVAL(enum pid_type, PIDTYPE_TGID, 1);
	if (FIELD(((struct task_struct___x *)t)->no_such_field, F_EXISTS))
		o[7] = FIELD(((struct task_struct___x *)t)->no_such_field, F_OFF);
	return 0;
}
