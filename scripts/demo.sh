#!/bin/sh
# make demo: barebpf on the sample corpus, step by step.
set -eu
B=${1:-build/barebpf}
C=${BAREBPF_CONFORMANCE_DIR:-../shared/conformance}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; sh -c "$2"; }

step "The instruction table every stage expands (atomic64 group)" \
	"$B isa --group atomic64"
step "Assemble pseudo-C assembly to bytes" \
	"cat corpus/asm/sum_bytes.s | grep -v '^#' && $B asm corpus/asm/sum_bytes.s -o $T/sum.bin && $B asm corpus/asm/sum_bytes.s | head -4"
step "Disassemble in the kernel verifier log's wording" \
	"$B disasm $T/sum.bin"
step "... and in the bpf_conformance syntax (re-assembles to the same bytes)" \
	"$B disasm $T/sum.bin --syntax conformance > $T/sum.s && cat $T/sum.s && $B asm $T/sum.s -o $T/sum2.bin && cmp $T/sum.bin $T/sum2.bin && echo 'round trip: identical bytes'"
step "Run in the interpreter: r1 = memory, r2 = its length" \
	"$B run $T/sum.bin --mem '01 02 03 04 0a'"
step "Trace: each executed instruction and the registers it changed" \
	"$B run $T/sum.bin --mem '07 08' --trace 2>&1 | head -24"
step "Checked mode turns an out-of-bounds read into an error" \
	"$B run corpus/asm/oob.s --mem '00' --checked || true"
step "A million-round xorshift loop" \
	"$B run corpus/asm/xorshift.s"
if [ -d "$C" ]; then
	step "The bpf_conformance suite: assemble each .data file, run it, compare r0" \
		"$B conformance $C && $B conformance $C --checked"
fi
step "The x86-64 JIT: each BPF instruction and the machine code generated for it" \
	"$B jit $T/sum.bin --dump | sed -n '/^ *[0-9]*: (/,\$p' | head -40"
step "Interpreter, JIT and kernel (XDP + BPF_PROG_TEST_RUN) side by side on the same bytes" \
	"$B run $T/sum.bin --mem '01 02 03 04 0a' --compare"

O=${CORPUS:-build/corpus}
if [ -f "$O/xdp_filter.bpf.o" ]; then
	step "A clang-built object (corpus/src/xdp_filter.bpf.c): programs, maps, relocations, BTF" \
		"$B obj show $O/xdp_filter.bpf.o | head -40"
	step "Its program after linking and relocation, C source lines from line_info, CO-RE applied" \
		"$B disasm $O/xdp_filter.bpf.o | head -32"
	step "CO-RE against this kernel's BTF (every relocation kind; one deliberately poisoned)" \
		"$B obj show $O/core.bpf.o | sed -n '/CO-RE/,\$p' | head -24"
	step "BTF dumped as C: the vmlinux.h the corpus is compiled against" \
		"$B btf show /sys/kernel/btf/vmlinux && $B btf dump /sys/kernel/btf/vmlinux format c | grep -n -A12 '^struct xdp_md {'"
	step "Loading the whole corpus into the kernel: maps, BTF, CO-RE, verifier verdicts" \
		"$B load -q $O/*.bpf.o || echo '(fentry/fexit are refused here with EPERM; typed ksyms need CONFIG_KALLSYMS_ALL)'"
	step "One object in detail" \
		"$B load $O/tailcall.bpf.o"
	step "The running kernel's features, the way bpftool feature probe shows them" \
		"$B feature --no-helpers | grep -E 'program_type (xdp|kprobe|tracing|lsm) |map_type (ringbuf|arena|struct_ops) |^Summary'"
	step "bpftool-style: load and pin, show, dump xlated with source lines, test-run, dump maps through BTF" \
		"rm -rf /sys/fs/bpf/demo_progs /sys/fs/bpf/demo_maps
		$B prog loadall $O/xdp_filter.bpf.o /sys/fs/bpf/demo_progs pinmaps /sys/fs/bpf/demo_maps &&
		$B prog show pinned /sys/fs/bpf/demo_progs/xdp_filter_prog &&
		$B prog dump xlated pinned /sys/fs/bpf/demo_progs/xdp_filter_prog | head -8 &&
		{ head -c 12 /dev/zero; printf '\\010\\000\\105\\000\\000\\062\\000\\000\\000\\000\\100\\021'; head -c 40 /dev/zero; } > $T/udp.bin &&
		$B prog run pinned /sys/fs/bpf/demo_progs/xdp_filter_prog data_in $T/udp.bin &&
		$B map dump pinned /sys/fs/bpf/demo_maps/proto_stats | grep -A2 '^key: 17\$';
		$B map dump pinned /sys/fs/bpf/demo_maps/xdp_filt_rodata;
		rm -rf /sys/fs/bpf/demo_progs /sys/fs/bpf/demo_maps"
	step "The userspace verifier on a corpus program: accepted, with its work counted" \
		"$B verify $O/xdp_filter.bpf.o && $B verify $O/xdp_filter.bpf.o --log-level 2 | sed -n '1,12p'"
	step "... and on a broken program (corpus/examples/xdp_no_bounds_check.c): rejected, explained, and the kernel agrees" \
		"clang-19 -target bpf -O2 -g -c corpus/examples/xdp_no_bounds_check.c -o $T/bad.o &&
		{ $B verify $T/bad.o --explain; $B load $T/bad.o; } || true"
	if [ -x "${TOOLS:-build/tools}/opensnoop" ]; then
		step "The seed tools on barebpf: opensnoop for 3 seconds while we open a few files" \
			"${TOOLS:-build/tools}/opensnoop -d 3 & sleep 1; cat /etc/hostname /etc/os-release >/dev/null; ls /nonexistent 2>/dev/null; wait"
		step "runqlat: run-queue latency histogram over 3 seconds, with percentiles" \
			"${TOOLS:-build/tools}/runqlat 3 1"
	fi
	step "Offline: the XDP filter over a small pcap, no kernel involved (verdicts, maps)" \
		"$B run $O/xdp_filter.bpf.o --pcap tests/env/data/demo.pcap"
	step "Offline: opensnoop on synthetic sys_enter/sys_exit_openat tracepoint contexts" \
		"$B run $O/opensnoop.bpf.o --run tracepoint/syscalls/sys_enter_openat:tests/env/data/openat_enter.ctx --run tracepoint/syscalls/sys_exit_openat:tests/env/data/openat_exit.ctx"
fi

