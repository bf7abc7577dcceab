# Sum the bytes of the input memory (r1 = pointer, r2 = length) with a
# bounded loop and a bpf-to-bpf call, in kernel/LLVM pseudo-C syntax.
# Try: barebpf run corpus/asm/sum_bytes.s --mem "01 02 03 04" --trace
	r6 = r1
	r7 = r2
	r0 = 0
	r8 = 0
loop:
	if r8 >= r7 goto done
	r3 = r6
	r3 += r8
	r1 = *(u8 *)(r3 +0)
	r2 = r0
	call add
	r8 += 1
	goto loop
done:
	exit
# r0 = r1 + r2, in its own 512-byte frame
add:
	r0 = r1
	r0 += r2
	exit
