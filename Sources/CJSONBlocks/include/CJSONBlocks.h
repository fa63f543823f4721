#ifndef KUBELUA_CJSONBLOCKS_H
#define KUBELUA_CJSONBLOCKS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// What 64 bytes of JSON text hold, one bit per byte (bit k for byte k): what
/// `JSONContainerScanner` needs to step over them at once when no byte needs a closer look.
typedef struct {
    uint64_t quotes;      /* '"' */
    uint64_t backslashes; /* '\\' */
    uint64_t opens;       /* '{' or '[' */
    uint64_t closes;      /* '}' or ']' */
    uint64_t specials;    /* a byte below 0x20, or one of 0x80 and above */
} kl_json_block;

/// Classifies the 64 bytes at `p` one at a time: the portable way, and what the SSE2 version
/// is held against in the tests.
static inline kl_json_block kl_json_classify_bytes(const uint8_t *p) {
    kl_json_block block = {0, 0, 0, 0, 0};
    for (int k = 0; k < 64; k++) {
        const uint8_t c = p[k];
        const uint64_t bit = (uint64_t)1 << k;
        if (c == '"') block.quotes |= bit;
        if (c == '\\') block.backslashes |= bit;
        if ((c | 0x20) == '{') block.opens |= bit;
        if ((c | 0x20) == '}') block.closes |= bit;
        if (c < 0x20 || c >= 0x80) block.specials |= bit;
    }
    return block;
}

/// Classifies the 64 bytes at `p`: sixteen at a time with SSE2, else one at a time.
static inline kl_json_block kl_json_classify(const uint8_t *p) {
#if defined(__SSE2__)
    kl_json_block block = {0, 0, 0, 0, 0};
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    /* '[' and '{' (and ']' and '}') differ in bit 0x20 alone. */
    const __m128i fold = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
    const __m128i highestControl = _mm_set1_epi8(0x1F);
    for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        const __m128i folded = _mm_or_si128(v, fold);
        const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, highestControl), v);
        const int shift = 16 * k;
        block.quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << shift;
        block.backslashes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) << shift;
        block.opens |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)) << shift;
        block.closes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)) << shift;
        /* The sign bit of each byte is set exactly for 0x80 and above. */
        block.specials |= (uint64_t)(uint16_t)(_mm_movemask_epi8(control) | _mm_movemask_epi8(v)) << shift;
    }
    return block;
#else
    return kl_json_classify_bytes(p);
#endif
}

#endif
