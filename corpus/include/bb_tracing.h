/* SPDX-License-Identifier: MIT */
/*
 * bb_tracing.h - getting at function arguments from tracing programs.
 *
 * kprobes see the interrupted CPU's registers (struct pt_regs); on x86-64
 * the SysV calling convention puts arguments 1-6 in rdi, rsi, rdx, rcx, r8,
 * r9 and the return value in rax.  A syscall entry point (__x64_sys_*) gets
 * one argument, a pointer to the *user* registers, where the fourth argument
 * travels in r10 instead of rcx.
 *
 * tp_btf, fentry/fexit and raw_tp programs get the arguments as an array of
 * u64 (ctx[0], ctx[1], ...); BPF_PROG unpacks that array into typed
 * parameters so the body reads like the kernel function's signature.
 */
#ifndef BAREBPF_CORPUS_BB_TRACING_H
#define BAREBPF_CORPUS_BB_TRACING_H

#include "bb_core.h"

/* x86-64 only: -target bpf cannot tell which kernel architecture the
 * program will run on, and the corpus targets x86-64 machines. */
#define PT_REGS_PARM1(x) ((x)->di)
#define PT_REGS_PARM2(x) ((x)->si)
#define PT_REGS_PARM3(x) ((x)->dx)
#define PT_REGS_PARM4(x) ((x)->cx)
#define PT_REGS_PARM5(x) ((x)->r8)
#define PT_REGS_PARM6(x) ((x)->r9)
#define PT_REGS_FP(x) ((x)->bp)
#define PT_REGS_RC(x) ((x)->ax)
#define PT_REGS_SP(x) ((x)->sp)
#define PT_REGS_IP(x) ((x)->ip)

/* The user registers a syscall wrapper received, and its arguments read
 * from them with CO-RE probed reads. */
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))
#define PT_REGS_PARM1_CORE_SYSCALL(x) BPF_CORE_READ(x, di)
#define PT_REGS_PARM2_CORE_SYSCALL(x) BPF_CORE_READ(x, si)
#define PT_REGS_PARM3_CORE_SYSCALL(x) BPF_CORE_READ(x, dx)
#define PT_REGS_PARM4_CORE_SYSCALL(x) BPF_CORE_READ(x, r10)
#define PT_REGS_PARM5_CORE_SYSCALL(x) BPF_CORE_READ(x, r8)
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(x, r9)

/* ctx[i] cast to each declared parameter's type, for 0 to 6 parameters. */
#define BB__CTX0()
#define BB__CTX1(a) (void *)ctx[0]
#define BB__CTX2(a, b) BB__CTX1(a), (void *)ctx[1]
#define BB__CTX3(a, b, c) BB__CTX2(a, b), (void *)ctx[2]
#define BB__CTX4(a, b, c, d) BB__CTX3(a, b, c), (void *)ctx[3]
#define BB__CTX5(a, b, c, d, e) BB__CTX4(a, b, c, d), (void *)ctx[4]
#define BB__CTX6(a, b, c, d, e, f) BB__CTX5(a, b, c, d, e), (void *)ctx[5]
#define BB__CTX_CAST(...) BB__DISPATCH(BB__CTX, __VA_ARGS__)(__VA_ARGS__)

/*
 * int BPF_PROG(handle_switch, bool preempt, struct task_struct *prev, ...)
 * defines the program `handle_switch(u64 *ctx)` and an inlined body
 * `____handle_switch(ctx, preempt, prev, ...)`.
 * (Needs at least one parameter; ctx stays visible in the body.)
 */
#define BPF_PROG(name, args...) \
name(unsigned long long *ctx); \
static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args); \
typeof(name(0)) name(unsigned long long *ctx) \
{ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	return ____##name(ctx, BB__CTX_CAST(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args)

/* The same for kprobes: parameters come from pt_regs. */
#define BB__REGS1(a) (void *)PT_REGS_PARM1(ctx)
#define BB__REGS2(a, b) BB__REGS1(a), (void *)PT_REGS_PARM2(ctx)
#define BB__REGS3(a, b, c) BB__REGS2(a, b), (void *)PT_REGS_PARM3(ctx)
#define BB__REGS4(a, b, c, d) BB__REGS3(a, b, c), (void *)PT_REGS_PARM4(ctx)
#define BB__REGS5(a, b, c, d, e) BB__REGS4(a, b, c, d), (void *)PT_REGS_PARM5(ctx)
#define BB__REGS_CAST(...) BB__DISPATCH(BB__REGS, __VA_ARGS__)(__VA_ARGS__)

#define BPF_KPROBE(name, args...) \
name(struct pt_regs *ctx); \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args); \
typeof(name(0)) name(struct pt_regs *ctx) \
{ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	return ____##name(ctx, BB__REGS_CAST(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args)

#endif
