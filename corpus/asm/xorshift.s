# xorshift64 for 1,000,000 rounds (the bench's first program), in the
# bpf_conformance assembler syntax.  r0 = the final state.
	lddw %r0, 0x9e3779b97f4a7c15
	mov %r1, 1000000
loop:
	mov %r2, %r0
	lsh %r2, 13
	xor %r0, %r2
	mov %r2, %r0
	rsh %r2, 7
	xor %r0, %r2
	mov %r2, %r0
	lsh %r2, 17
	xor %r0, %r2
	sub %r1, 1
	jne %r1, 0, loop
	exit
