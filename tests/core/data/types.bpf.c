/* SPDX-License-Identifier: MIT */
/* Type and enum relocations: exists, size, matches, local and target id;
 * enumerator existence and value (32- and 64-bit). */
#include "core_test.h"

struct rq {
	int x;
	long y;
};
struct gone {
	int z;
};
typedef int my_int;
enum color { RED, GREEN = 5, BLUE };
enum big { BIG = 0x100000000ULL, SMALL = 1 };

SEC("raw_tp/types")
int types(u64 *o)
{
	o[1] = TYPE(struct rq, T_EXISTS);
	o[2] = TYPE(struct rq, T_SIZE);
	o[3] = TYPE(struct rq, T_MATCHES);
	o[4] = TYPE(struct gone, T_EXISTS);
	o[5] = TYPE_ID(struct rq, 0);
	o[6] = TYPE_ID(struct rq, 1);
	o[7] = ENUMVAL(enum color, GREEN, 0);
	o[8] = ENUMVAL(enum color, GREEN, 1);
	o[9] = ENUMVAL(enum color, BLUE, 0);
	o[10] = ENUMVAL(enum color, BLUE, 1);
	o[11] = ENUMVAL(enum big, BIG, 1);
	o[12] = TYPE(my_int, T_SIZE);
	return 0;
}
