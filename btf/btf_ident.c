/* SPDX-License-Identifier: MIT */
/*
 * btf/btf_ident.c - which string offsets start a C identifier.
 *
 * Every BTF name must be an identifier (or empty, per kind).  Checking
 * each of vmlinux's ~700k names one by one was a fifth of the parse, so
 * the validator asks this file for a bitmap of the whole string section,
 * built in one SIMD sweep, and a name check becomes one bit test; only
 * names the bitmap cannot answer go to bbtf__is_identifier().  Split out
 * of btf.c because the sweep has a variant per instruction set.
 */
#include "btf/btf_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_SWEEP 1
#endif

static const uint8_t ident_tab[256] = {
	['_'] = 3, ['a' ... 'z'] = 3, ['A' ... 'Z'] = 3, ['0' ... '9'] = 2,
};

bool bbtf__is_identifier(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!p || !(ident_tab[*p] & 1))
		return false;
	for (p++; ident_tab[*p] & 2; p++)
		;
	return *p == '\0';
}

typedef uint8_t v16u8 __attribute__((vector_size(16)));

/* Mask (0xff per byte) of the bytes of @v that cannot continue an
 * identifier.  GCC vector extensions: SSE2 on x86-64, NEON on arm64. */
static inline v16u8 non_ident16(v16u8 v)
{
	v16u8 lower = v | 0x20;                 /* 'A'-'Z' -> 'a'-'z' */
	v16u8 ok = (v16u8)((v16u8)(lower - 'a') <= 25) | (v16u8)((v16u8)(v - '0') <= 9) |
		   (v16u8)(v == '_');

	return ~ok;
}

/*
 * The identifier bitmap: bit i set when a non-empty C identifier starts
 * at string offset i (right after a NUL).  Per 64-byte block, three
 * masks from SIMD compares: NUL bytes, bytes that cannot be in an
 * identifier, bytes that cannot start one.  "Some bad byte between here
 * and the next NUL" is then a fill of the bad bits towards lower
 * offsets, stopped by NULs: six shift/and/or steps per block instead of
 * a loop step per string (the per-string loop was 60% of the sweep on
 * vmlinux's ~2.3 MB of names, ~6 strings per block).  Blocks are walked
 * from the end so the fill can carry into the block before.
 */
static inline void block_masks(const unsigned char *p, uint64_t *nul, uint64_t *bad,
			       uint64_t *nostart)
{
	uint64_t z = 0, ok = 0, dig = 0;

	/* Unrolled: constant shifts instead of a shift by a loop counter. */
#pragma GCC unroll 4
	for (int k = 0; k < 4; k++) {
		v16u8 v, isz, isok, isdig;
		unsigned int mz, mo, md;

		memcpy(&v, p + 16 * k, 16);
		isz = (v16u8)(v == 0);
		isdig = (v16u8)((v16u8)(v - '0') <= 9);
		isok = ~non_ident16(v);
#ifdef __SSE2__
		mz = (unsigned int)_mm_movemask_epi8((__m128i)isz);
		mo = (unsigned int)_mm_movemask_epi8((__m128i)isok);
		md = (unsigned int)_mm_movemask_epi8((__m128i)isdig);
#else
		mz = mo = md = 0;
		for (int j = 0; j < 16; j++) {
			mz |= (unsigned int)(isz[j] & 1) << j;
			mo |= (unsigned int)(isok[j] & 1) << j;
			md |= (unsigned int)(isdig[j] & 1) << j;
		}
#endif
		z |= (uint64_t)mz << (16 * k);
		ok |= (uint64_t)mo << (16 * k);
		dig |= (uint64_t)md << (16 * k);
	}
	/* The rest on whole 64-bit masks, once per block rather than per
	 * 16 bytes: bad = not an identifier byte and not the NUL; a digit
	 * may continue an identifier, not start one. */
	*nul = z;
	*bad = ~ok & ~z;
	*nostart = ~ok | dig;
}

#ifdef HAVE_AVX2_SWEEP
typedef uint8_t v32u8 __attribute__((vector_size(32)));

/* block_masks() on two 32-byte vectors: half the compares and movemasks
 * of the SSE2 form (the sweep went from ~6.4M to ~3.5M instructions on
 * vmlinux's strings).  Used only where the CPU says it has AVX2. */
static inline __attribute__((target("avx2"), always_inline)) void
block_masks_avx2(const unsigned char *p, uint64_t *nul, uint64_t *bad, uint64_t *nostart)
{
	uint64_t z = 0, ok = 0, dig = 0;

#pragma GCC unroll 2
	for (int k = 0; k < 2; k++) {
		v32u8 v, lower, isz, isok, isdig;

		memcpy(&v, p + 32 * k, 32);
		lower = v | 0x20;
		isz = (v32u8)(v == 0);
		isdig = (v32u8)((v32u8)(v - '0') <= 9);
		isok = (v32u8)((v32u8)(lower - 'a') <= 25) | isdig | (v32u8)(v == '_');
		z |= (uint64_t)(uint32_t)_mm256_movemask_epi8((__m256i)isz) << (32 * k);
		ok |= (uint64_t)(uint32_t)_mm256_movemask_epi8((__m256i)isok) << (32 * k);
		dig |= (uint64_t)(uint32_t)_mm256_movemask_epi8((__m256i)isdig) << (32 * k);
	}
	*nul = z;
	*bad = ~ok & ~z;
	*nostart = ~ok | dig;
}
#endif

#ifdef HAVE_AVX2_SWEEP
/* block_masks() as one 64-byte vector compared straight into mask
 * registers (AVX-512BW): no movemasks, no shifts to join quarters. */
static inline __attribute__((target("avx512bw"), always_inline)) void
block_masks_avx512(const unsigned char *p, uint64_t *nul, uint64_t *bad, uint64_t *nostart)
{
	__m512i v = _mm512_loadu_si512((const void *)p);
	__m512i lower = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
	uint64_t z = _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512());
	uint64_t dig = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
					      _mm512_set1_epi8(9));
	uint64_t ok = _mm512_cmple_epu8_mask(_mm512_sub_epi8(lower, _mm512_set1_epi8('a')),
					     _mm512_set1_epi8(25)) |
		      dig | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));

	*nul = z;
	*bad = ~ok & ~z;
	*nostart = ~ok | dig;
}
#endif

/* The sweep, written once for both mask functions. */
#define IDENT_BITMAP_BODY(MASKS)                                                        \
	const unsigned char *s = (const unsigned char *)strs;                           \
	uint64_t carry = 0; /* the string running into the next block has a bad byte */ \
                                                                                        \
	if (!len)                                                                       \
		return;                                                                 \
	for (uint32_t base = (len - 1) / 64 * 64;; base -= 64) {                        \
		unsigned char tail[64];                                                 \
		uint64_t nul, bad, nostart, go, starts;                                 \
                                                                                        \
		if (len - base >= 64) {                                                 \
			MASKS(s + base, &nul, &bad, &nostart);                          \
		} else {                                                                \
			/* The last block, padded with NULs. */                         \
			memset(tail, 0, sizeof(tail));                                  \
			memcpy(tail, s + base, len - base);                             \
			MASKS(tail, &nul, &bad, &nostart);                              \
		}                                                                       \
		/* Fill: bad[i] |= bad[i+1] while byte i is not a NUL.  Skipped   \
		 * when the block has no bad byte and none runs in: the common  \
		 * case for vmlinux's names (saves ~20 instructions a block). */ \
		bad |= carry << 63 & ~nul;                                              \
		if (bad) {                                                              \
			go = ~nul;                                                      \
			bad |= go & (bad >> 1);                                         \
			go &= go >> 1;                                                  \
			bad |= go & (bad >> 2);                                         \
			go &= go >> 2;                                                  \
			bad |= go & (bad >> 4);                                         \
			go &= go >> 4;                                                  \
			bad |= go & (bad >> 8);                                         \
			go &= go >> 8;                                                  \
			bad |= go & (bad >> 16);                                        \
			go &= go >> 16;                                                 \
			bad |= go & (bad >> 32);                                        \
		}                                                                       \
		carry = bad & 1;                                                        \
		/* Strings start at 0 and after each NUL. */                            \
		starts = nul << 1 | (base ? s[base - 1] == 0 : 1);                      \
		bits[base / 64] = starts & ~nostart & ~bad;                             \
		if (!base)                                                              \
			break;                                                          \
	}

static void ident_bitmap_sse(const char *strs, uint32_t len, uint64_t *bits)
{
	IDENT_BITMAP_BODY(block_masks)
}

#ifdef HAVE_AVX2_SWEEP
static __attribute__((target("avx512bw"))) void ident_bitmap_avx512(const char *strs,
								     uint32_t len, uint64_t *bits)
{
	IDENT_BITMAP_BODY(block_masks_avx512)
}

static __attribute__((target("avx2"))) void ident_bitmap_avx2(const char *strs, uint32_t len,
							      uint64_t *bits)
{
	IDENT_BITMAP_BODY(block_masks_avx2)
}
#endif

void bbtf__ident_bitmap(const char *strs, uint32_t len, uint64_t *bits)
{
#ifdef HAVE_AVX2_SWEEP
	if (__builtin_cpu_supports("avx512bw")) {
		ident_bitmap_avx512(strs, len, bits);
		return;
	}
	if (__builtin_cpu_supports("avx2")) {
		ident_bitmap_avx2(strs, len, bits);
		return;
	}
#endif
	ident_bitmap_sse(strs, len, bits);
}
