/* SPDX-License-Identifier: MIT */
/*
 * interp/vm_exec.h - the instruction bodies, written once and expanded
 * twice by vm.c (as Lua builds lvm.c's loop from one set of macros):
 *
 *   VM_SLOW 0  exec_fast: trusts the program.  Dispatch is a counter
 *              increment and one indirect jump; memory accesses go straight
 *              to the address the program computed.
 *   VM_SLOW 1  exec_slow: every instruction passes through `step` (budget,
 *              trace) and every load/store/atomic is bounds-checked when
 *              opts->checked is set.
 *
 * VM_EXEC_FN names the function.  Called with st == NULL it only hands
 * out its jump table, so vm_load() can pre-decode each slot into the label
 * address that executes it (labels are local to a function, and each loop
 * has its own).
 *
 * The jump table is ISA_TABLE expanded into &&op_<ROW>: a row of the table
 * without a body here is a compile error ("label used but not defined"),
 * which is how the table, not a hand-kept list, defines coverage.
 *
 * Semantics follow RFC 9669; integer arithmetic is done on unsigned types
 * so wrap-around is defined, and every signed corner case (INT_MIN / -1,
 * division by zero) is handled in the helpers in vm.c before C sees it.
 */

/* Superinstructions: `rD = rS; rD op= imm` is how clang writes a
 * three-operand ALU op, and fusing the pair saves a dispatch and a
 * round trip of rD through memory.  Only the fast loop fuses (the slow one
 * reports every instruction); vm_load() points the mov's slot at the fused
 * body, and the second slot keeps its own handler, so a jump to it still
 * works. */
#define VM_FUSABLE(X)                                                   \
	X(ADD64_K, +, uint64_t) X(SUB64_K, -, uint64_t)                 \
	X(MUL64_K, *, uint64_t) X(OR64_K, |, uint64_t)                  \
	X(AND64_K, &, uint64_t) X(XOR64_K, ^, uint64_t)                 \
	X(LSH64_K, <<, uint64_t) X(RSH64_K, >>, uint64_t)               \
	X(ARSH64_K, >>, int64_t)

static int VM_EXEC_FN(struct vm_run_state *st, const void *const **table,
		      const void *const **fused)
{
	static const void *const labels[ISA_OP_COUNT] = {
#define X(name, ...) [ISA_OP_##name] = &&op_##name,
		ISA_TABLE(X)
#undef X
	};
#if !VM_SLOW
	/* Indexed by the op of the instruction after the mov. */
	static const void *const mov_then[ISA_OP_COUNT] = {
#define X(name, op, T) [ISA_OP_##name] = &&mov_then_##name,
		VM_FUSABLE(X)
#undef X
	};
#endif
	struct vm *vm;
	const struct vm_op *ops, *ip, *tgt;
	struct bb_err *e;
	struct vm_frame *f;
	uint64_t reg[VM_NREGS];
	uint64_t cnt;
	unsigned depth;
	int32_t helper_id;
	int err;
#if VM_SLOW
	uint64_t before[VM_NREGS];
	uint32_t prev = UINT32_MAX;     /* pc of the last executed insn */
	const struct isa_insn *prev_in = NULL; /* and its decoding (a tail
					 * call may switch programs between) */
	vm_trace_fn trace;
	uint64_t budget;
	bool checked;
#endif

	if (!st) {
		*table = labels;
#if VM_SLOW
		*fused = NULL;
#else
		*fused = mov_then;
#endif
		return 0;
	}
	vm = st->code;
	e = st->e;
	cnt = st->insns;
	depth = st->entry_depth;
	memcpy(reg, st->regs, sizeof(reg));
#if VM_SLOW
	ops = vm->slow;
	trace = st->opts->trace;
	budget = st->opts->budget;
	checked = st->opts->checked;
#else
	ops = vm->fast;
#endif
	ip = ops + st->entry_pc;

#define PC ((int)(ip - ops))
#define DST reg[ip->dst]
#define SRC reg[ip->src]
#define IMM64 ((uint64_t)(int64_t)ip->imm)      /* imm sign-extends */
#define IMM32 ((uint32_t)ip->imm)
/*
 * COLD marks the handlers an inner loop rarely runs (signed division,
 * negation, sign extension, byte swaps, atomics, legacy packet loads,
 * helper calls, kfuncs) and the end of the run.  The label attribute makes
 * gcc lay their blocks out after the others, so the handlers loops do run
 * (ALU, moves, loads/stores, unsigned division, jumps and the fused pairs)
 * and the jumps' NEXT() tails sit in one ~4.7 KiB stretch instead of being
 * interleaved over all 8 KiB of the loop.  What that buys: every handler
 * ends in its own `jmp *(ip)`, and the CPU's indirect-branch prediction
 * confuses two of those jumps whose addresses agree in the bits below
 * 4 KiB.  After a44992a gcc happened to put XOR64_X's dispatch 4 KiB - 2
 * bytes from JNE_K's taken-jump dispatch, and xorshift ran at 2-3x its
 * old ns/insn with exactly the same instructions executed; the shorter the
 * stretch the hot handlers span, the fewer pairs can collide that way.
 * (clang does not take label attributes: there COLD is empty.)
 */
#ifdef __clang__
#define COLD
#else
#define COLD __attribute__((cold));
#endif
#define FAIL(...)                                                       \
	do {                                                            \
		err = bb_err_insn(e, __VA_ARGS__);                      \
		goto fail;                                              \
	} while (0)

#if VM_SLOW
#define DISPATCH() goto step
/* Address of a memory operand; a miss in checked mode ends the run. */
#define ADDR(base, size, write, r)                                      \
	({                                                              \
		uint64_t a_ = (base) + (uint64_t)(int64_t)ip->off;      \
		if (checked && !access_ok(st, depth, a_, (size), (write))) { \
			err = oob(st, depth, PC, a_, (size), (write), (r)); \
			goto fail;                                      \
		}                                                       \
		a_;                                                     \
	})
/* Atomics also need natural alignment: the host instruction does. */
#define ATOMIC_PTR(T)                                                   \
	({                                                              \
		uint64_t p_ = ADDR(DST, sizeof(T), true, ip->dst);      \
		if (checked && (p_ & (sizeof(T) - 1)))                  \
			FAIL(-EFAULT, PC,                               \
			     "misaligned %zu-byte atomic at 0x%" PRIx64 " (r%u)", \
			     sizeof(T), p_, ip->dst);                   \
		(T *)(uintptr_t)p_;                                     \
	})
#else
#define DISPATCH()                                                      \
	do {                                                            \
		cnt++;                                                  \
		goto *ip->h;                                            \
	} while (0)
#define ADDR(base, size, write, r) ((base) + (uint64_t)(int64_t)ip->off)
#define ATOMIC_PTR(T) ((T *)(uintptr_t)ADDR(DST, sizeof(T), true, ip->dst))
#endif
#define NEXT()                                                          \
	do {                                                            \
		ip++;                                                   \
		DISPATCH();                                             \
	} while (0)
#define JUMP(delta)                                                     \
	do {                                                            \
		ip += (delta) + 1;                                      \
		DISPATCH();                                             \
	} while (0)

	DISPATCH();

#if VM_SLOW
step:
	/* Between two instructions: report the last one, then check the
	 * budget before running the next. */
	if (trace && prev != UINT32_MAX)
		trace(st->opts->trace_arg, prev, prev_in, before, reg);
	if (budget && cnt >= budget)
		FAIL(-ETIME, PC, "instruction budget of %" PRIu64 " exhausted",
		     budget);
	if (trace)
		memcpy(before, reg, sizeof(reg));
	prev = (uint32_t)PC;
	prev_in = &vm->insns[prev];
	cnt++;
	goto *ip->h;
#endif

	/* ALU: 64-bit forms wrap in u64; 32-bit forms compute in u32 and the
	 * assignment to the u64 register zero-extends, as RFC 9669 asks. */
#define ALU(NAME, OP)                                                   \
	op_##NAME##64_X: DST = DST OP SRC; NEXT();                      \
	op_##NAME##64_K: DST = DST OP IMM64; NEXT();                    \
	op_##NAME##32_X: DST = (uint32_t)DST OP (uint32_t)SRC; NEXT();  \
	op_##NAME##32_K: DST = (uint32_t)DST OP IMM32; NEXT();
	ALU(ADD, +)
	ALU(SUB, -)
	ALU(MUL, *)
	ALU(OR, |)
	ALU(AND, &)
	ALU(XOR, ^)
#undef ALU

	/* Shifts: the count is masked to the operand width because the ISA
	 * defines it that way (and x86 masks the same way), while in C a count
	 * >= the width is undefined behaviour.  vm_load() already masked the
	 * count of the _K forms, so only the register forms mask here. */
#define SHIFT(NAME, OP, T64, T32)                                       \
	op_##NAME##64_X: DST = (uint64_t)((T64)DST OP (SRC & 63)); NEXT(); \
	op_##NAME##64_K: DST = (uint64_t)((T64)DST OP ip->imm); NEXT(); \
	op_##NAME##32_X: DST = (uint32_t)((T32)DST OP (SRC & 31)); NEXT(); \
	op_##NAME##32_K: DST = (uint32_t)((T32)DST OP ip->imm); NEXT();
	SHIFT(LSH, <<, uint64_t, uint32_t)
	SHIFT(RSH, >>, uint64_t, uint32_t)
	/* GCC defines >> of a negative value as arithmetic (sign-filling). */
	SHIFT(ARSH, >>, int64_t, int32_t)
#undef SHIFT

	/* Division and modulo: the helpers give x/0 = 0, x%0 = x and
	 * INT_MIN s/ -1 = INT_MIN, INT_MIN s% -1 = 0 without C's UB. */
#define DIVMOD(NAME, F64, F32, ATTR)                                    \
	op_##NAME##64_X: ATTR DST = F64(DST, SRC); NEXT();              \
	op_##NAME##64_K: ATTR DST = F64(DST, IMM64); NEXT();            \
	op_##NAME##32_X: ATTR DST = F32((uint32_t)DST, (uint32_t)SRC); NEXT(); \
	op_##NAME##32_K: ATTR DST = F32((uint32_t)DST, IMM32); NEXT();
	DIVMOD(DIV, udiv64, udiv32, )
	DIVMOD(MOD, umod64, umod32, )
	DIVMOD(SDIV, sdiv64, sdiv32, COLD)
	DIVMOD(SMOD, smod64, smod32, COLD)
#undef DIVMOD

#if !VM_SLOW
	/* Shift counts were masked by vm_load(), as for the plain _K forms. */
#define X(name, op, T)                                                  \
	mov_then_##name:                                                \
		reg[ip[1].dst] = (uint64_t)((T)SRC op (T)(int64_t)ip[1].imm); \
		ip += 2;                                                \
		cnt++;                                                  \
		DISPATCH();
	VM_FUSABLE(X)
#undef X
#endif

op_NEG64:
	COLD
	DST = -DST;
	NEXT();
op_NEG32:
	COLD
	DST = (uint32_t)-(uint32_t)DST;
	NEXT();
op_MOV64_X:
	DST = SRC;
	NEXT();
op_MOV64_K:
	DST = IMM64;
	NEXT();
op_MOV32_X:
	DST = (uint32_t)SRC;
	NEXT();
op_MOV32_K:
	DST = IMM32;
	NEXT();
	/* Narrowing to a signed type keeps the low bits (GCC defines it). */
op_MOVSX32_8:
	COLD
	DST = (uint32_t)(int32_t)(int8_t)SRC;
	NEXT();
op_MOVSX32_16:
	COLD
	DST = (uint32_t)(int32_t)(int16_t)SRC;
	NEXT();
op_MOVSX64_8:
	COLD
	DST = (uint64_t)(int64_t)(int8_t)SRC;
	NEXT();
op_MOVSX64_16:
	COLD
	DST = (uint64_t)(int64_t)(int16_t)SRC;
	NEXT();
op_MOVSX64_32:
	COLD
	DST = (uint64_t)(int64_t)(int32_t)SRC;
	NEXT();

	/* Byte order: every form truncates to its width first. */
op_LE16:
	COLD
	DST = htole16((uint16_t)DST);
	NEXT();
op_LE32:
	COLD
	DST = htole32((uint32_t)DST);
	NEXT();
op_LE64:
	COLD
	DST = htole64(DST);
	NEXT();
op_BE16:
	COLD
	DST = htobe16((uint16_t)DST);
	NEXT();
op_BE32:
	COLD
	DST = htobe32((uint32_t)DST);
	NEXT();
op_BE64:
	COLD
	DST = htobe64(DST);
	NEXT();
op_BSWAP16:
	COLD
	DST = __builtin_bswap16((uint16_t)DST);
	NEXT();
op_BSWAP32:
	COLD
	DST = __builtin_bswap32((uint32_t)DST);
	NEXT();
op_BSWAP64:
	COLD
	DST = __builtin_bswap64(DST);
	NEXT();

	/* ld_imm64: vm_load() put the value (for src 4, the function's
	 * address) in the second slot. */
	/* Map references got their value from the map resolver at load. */
op_LDDW:
op_LDDW_FUNC:
op_LDDW_MAP_FD:
op_LDDW_MAP_VALUE:
op_LDDW_MAP_IDX:
op_LDDW_MAP_IDX_VALUE:
	DST = ip[1].imm64;
	ip += 2;
	DISPATCH();
	/* vm_load() refuses this, so a run never gets here. */
op_LDDW_BTF_ID:
	COLD
	FAIL(-EOPNOTSUPP, PC, "lddw src %u has no value offline", ip->src);

	/* Legacy packet loads: network byte order into r0; a read outside
	 * the packet ends the whole program with r0 = 0, as the kernel does. */
#define LD_PKT(NAME, T, NTOH, OFFSET)                                   \
	op_##NAME: COLD {                                               \
		uint32_t o_ = (OFFSET);                                 \
		T v_;                                                   \
		if ((int32_t)o_ < 0 ||                                  \
		    (uint64_t)o_ + sizeof(T) > st->pkt_len) {           \
			reg[0] = 0;                                     \
			goto done;                                      \
		}                                                       \
		memcpy(&v_, st->pkt + o_, sizeof(T));                   \
		reg[0] = NTOH(v_);                                      \
		NEXT();                                                 \
	}
#define NTOH8(x) (x)
	LD_PKT(LDABS_W, uint32_t, be32toh, IMM32)
	LD_PKT(LDABS_H, uint16_t, be16toh, IMM32)
	LD_PKT(LDABS_B, uint8_t, NTOH8, IMM32)
	LD_PKT(LDIND_W, uint32_t, be32toh, IMM32 + (uint32_t)SRC)
	LD_PKT(LDIND_H, uint16_t, be16toh, IMM32 + (uint32_t)SRC)
	LD_PKT(LDIND_B, uint8_t, NTOH8, IMM32 + (uint32_t)SRC)
#undef NTOH8
#undef LD_PKT

	/* Loads go through memcpy: BPF allows unaligned addresses and a
	 * fixed-size memcpy compiles to one mov.  The (int64_t) cast
	 * sign-extends the signed types and zero-extends the unsigned ones. */
#define LDX(NAME, T)                                                    \
	op_##NAME: {                                                    \
		T v_;                                                   \
		memcpy(&v_, (const void *)(uintptr_t)ADDR(SRC, sizeof(T), \
				false, ip->src), sizeof(T));            \
		DST = (uint64_t)(int64_t)v_;                            \
		NEXT();                                                 \
	}
	LDX(LDXDW, uint64_t)
	LDX(LDXW, uint32_t)
	LDX(LDXH, uint16_t)
	LDX(LDXB, uint8_t)
	LDX(LDXSW, int32_t)
	LDX(LDXSH, int16_t)
	LDX(LDXSB, int8_t)
#undef LDX

#define STORE(NAME, T, VAL)                                             \
	op_##NAME: {                                                    \
		T v_ = (T)(VAL);                                        \
		memcpy((void *)(uintptr_t)ADDR(DST, sizeof(T), true, ip->dst), \
		       &v_, sizeof(T));                                 \
		NEXT();                                                 \
	}
	STORE(STDW, uint64_t, IMM64)
	STORE(STW, uint32_t, ip->imm)
	STORE(STH, uint16_t, ip->imm)
	STORE(STB, uint8_t, ip->imm)
	STORE(STXDW, uint64_t, SRC)
	STORE(STXW, uint32_t, SRC)
	STORE(STXH, uint16_t, SRC)
	STORE(STXB, uint8_t, SRC)
#undef STORE

	/* Atomics are sequentially consistent read-modify-writes, as in the
	 * kernel (memory may be shared with other threads through maps).  The
	 * fetch forms put the old value in src; the 32-bit ones zero-extend it
	 * through the (T) -> u64 conversion. */
#define ATOMIC_RMW(W, T, NAME, FN)                                      \
	op_ATOMIC##W##_##NAME: COLD                                     \
		FN(ATOMIC_PTR(T), (T)SRC, __ATOMIC_SEQ_CST);            \
		NEXT();                                                 \
	op_ATOMIC##W##_FETCH_##NAME: COLD                               \
		SRC = FN(ATOMIC_PTR(T), (T)SRC, __ATOMIC_SEQ_CST);      \
		NEXT();
#define ATOMICS(W, T)                                                   \
	ATOMIC_RMW(W, T, ADD, __atomic_fetch_add)                       \
	ATOMIC_RMW(W, T, OR, __atomic_fetch_or)                         \
	ATOMIC_RMW(W, T, AND, __atomic_fetch_and)                       \
	ATOMIC_RMW(W, T, XOR, __atomic_fetch_xor)                       \
	op_ATOMIC##W##_XCHG: COLD                                       \
		SRC = __atomic_exchange_n(ATOMIC_PTR(T), (T)SRC,        \
					  __ATOMIC_SEQ_CST);            \
		NEXT();                                                 \
	op_ATOMIC##W##_CMPXCHG: COLD {                                  \
		/* r0 receives the old value whether or not it matched. */ \
		T old_ = (T)reg[0];                                     \
		__atomic_compare_exchange_n(ATOMIC_PTR(T), &old_, (T)SRC, \
					    false, __ATOMIC_SEQ_CST,    \
					    __ATOMIC_SEQ_CST);          \
		reg[0] = old_;                                          \
		NEXT();                                                 \
	}
	ATOMICS(64, uint64_t)
	ATOMICS(32, uint32_t)
#undef ATOMICS
#undef ATOMIC_RMW

op_JA:
	JUMP(ip->off);
op_JA32:
	COLD
	JUMP(ip->imm);
	/* Conditional jumps: the _K forms compare with imm sign-extended to
	 * 64 bits, the 32-bit forms look at the low halves only. */
#define JCC(NAME, OP, T64, T32)                                         \
	op_##NAME##_X:                                                  \
		if ((T64)DST OP (T64)SRC)                               \
			JUMP(ip->off);                                  \
		NEXT();                                                 \
	op_##NAME##_K:                                                  \
		if ((T64)DST OP (T64)IMM64)                             \
			JUMP(ip->off);                                  \
		NEXT();                                                 \
	op_##NAME##32_X:                                                \
		if ((T32)DST OP (T32)SRC)                               \
			JUMP(ip->off);                                  \
		NEXT();                                                 \
	op_##NAME##32_K:                                                \
		if ((T32)DST OP (T32)ip->imm)                           \
			JUMP(ip->off);                                  \
		NEXT();
	JCC(JEQ, ==, uint64_t, uint32_t)
	JCC(JNE, !=, uint64_t, uint32_t)
	JCC(JGT, >, uint64_t, uint32_t)
	JCC(JGE, >=, uint64_t, uint32_t)
	JCC(JLT, <, uint64_t, uint32_t)
	JCC(JLE, <=, uint64_t, uint32_t)
	JCC(JSET, &, uint64_t, uint32_t)
	JCC(JSGT, >, int64_t, int32_t)
	JCC(JSGE, >=, int64_t, int32_t)
	JCC(JSLT, <, int64_t, int32_t)
	JCC(JSLE, <=, int64_t, int32_t)
#undef JCC

op_CALL_HELPER:
	COLD
	helper_id = ip->imm;
	goto call_helper;
op_CALL_LOCAL:
	tgt = ip + ip->imm + 1;
	goto call_local;
op_CALL_KFUNC:
	COLD
	FAIL(-EOPNOTSUPP, PC, "kfunc call (btf id %d) not available offline",
	     ip->imm);
op_CALLX: COLD {
	/* A function address from lddw src=4 is the address of the
	 * function's first raw slot; anything else must be a helper id. */
	uint64_t rel = DST - (uint64_t)(uintptr_t)vm->prog;

	if (rel < vm->n * sizeof(struct isa_raw) && !(rel & 7) &&
	    vm->insns[rel / 8].slots) {
		tgt = ops + rel / 8;
		goto call_local;
	}
	if (DST > INT32_MAX)
		FAIL(-EINVAL, PC,
		     "callx target 0x%" PRIx64 " (r%u) is neither a function address nor a helper id",
		     DST, ip->dst);
	helper_id = (int32_t)DST;
	goto call_helper;
}
call_helper: COLD {
	const struct vm_helpers *hs = vm->helpers;
	vm_helper_fn fn = NULL;
	struct vm_call call;

	if (hs && helper_id >= 0 && (size_t)helper_id < hs->n)
		fn = hs->ent[helper_id].fn;
	if (!fn) {
		const char *hn = vm_helpers_name(hs, helper_id);

		FAIL(-ENOENT, PC, "helper %d (%s) not available offline",
		     helper_id, hn ? hn : "unknown");
	}
	call.vm = vm;
	call.user = vm->user;
	call.pc = (uint32_t)PC;
	call.helper_id = helper_id;
	call.stop = 0;
	call.stop_msg[0] = '\0';
	call.tail_call = NULL;
	call.tail_calls = st->tail_calls;
	call.run = st;
	call.depth = depth;
	call.err_set = false;
	/* A callback the helper runs (vm_call_function) counts on. */
	st->insns = cnt;
	reg[0] = fn(reg[1], reg[2], reg[3], reg[4], reg[5], &call);
	cnt = st->insns;
	if (call.stop) {
		err = call.err_set ? (call.stop < 0 ? call.stop : -call.stop)
				   : helper_stopped(vm, e, &call);
		goto fail;
	}
	if (call.tail_call && call.tail_call->n &&
	    st->tail_calls < VM_MAX_TAIL_CALLS) {
		/* Same registers and frame; the new program starts over. */
		st->tail_calls++;
		vm = call.tail_call;
#if VM_SLOW
		ops = vm->slow;
#else
		ops = vm->fast;
#endif
		ip = ops;
		DISPATCH();
	}
	NEXT();
}
call_local:
	/* Callee-saved r6..r9 and the frame pointer come back at exit. */
	if (depth + 1 >= VM_MAX_CALL_DEPTH)
		FAIL(-E2BIG, PC, "call depth exceeds %d", VM_MAX_CALL_DEPTH);
	f = &st->frames[depth++];
	f->ret = ip + 1;
	f->vm = vm;
	f->ops = ops;
	memcpy(f->saved, &reg[6], sizeof(f->saved));
	reg[10] = (uint64_t)(uintptr_t)(st->stack_end - depth * VM_STACK_SIZE);
	ip = tgt;
	DISPATCH();
op_EXIT:
	if (depth == st->entry_depth)
		goto done;
	f = &st->frames[--depth];
	memcpy(&reg[6], f->saved, sizeof(f->saved));
	ip = f->ret;
	vm = f->vm;
	ops = f->ops;
	DISPATCH();

done:
	COLD
#if VM_SLOW
	if (trace && prev_in)
		trace(st->opts->trace_arg, prev, prev_in, before, reg);
#endif
	err = 0;
fail:
	COLD
	memcpy(st->regs, reg, sizeof(reg));
	st->insns = cnt;
	return err;

#undef PC
#undef DST
#undef SRC
#undef IMM64
#undef IMM32
#undef FAIL
#undef COLD
#undef DISPATCH
#undef ADDR
#undef ATOMIC_PTR
#undef NEXT
#undef JUMP
}
