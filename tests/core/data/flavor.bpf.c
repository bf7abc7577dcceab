/* SPDX-License-Identifier: MIT */
/* A flavored local type ("task___v2" is a flavor of "task") and a field
 * that only an older layout has, guarded by an existence check. */
#include "core_test.h"

struct task___v2 {
	int pid;
} PAI;

struct task___old {
	int state;
} PAI;

SEC("raw_tp/flavor")
int flavor(u64 *o)
{
	struct task___v2 *t = (void *)o[0];

	o[1] = FIELD(t->pid, F_OFF);
	if (FIELD(((struct task___old *)t)->state, F_EXISTS))
		o[2] = FIELD(((struct task___old *)t)->state, F_OFF);
	return 0;
}
