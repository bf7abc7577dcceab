/* A deliberately broken XDP program for teaching: `make demo` shows the
 * kernel and barebpf verify rejecting it with the same reason.  Not part of
 * the corpus build (corpus/src/ holds programs the kernel accepts). */
#define SEC(s) __attribute__((section(s), used))
struct xdp_md { unsigned int data, data_end; };
/* Reads the first packet byte without checking it is there. */
SEC("xdp") int peek(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	return data[0] == 0x45 ? 1 : 2;
}
char _license[] SEC("license") = "GPL";
