# Reads one byte past the end of the input: a crash in a plain
# interpreter, a clear error with --checked.
	r0 = *(u8 *)(r1 +4)
	exit
