// The AVX2 + FMA row-wise product of CKernels.h. Compiled for any x86-64 CPU: only these functions
// carry the `avx2,fma` target, and callers check `factory_rowwise_fma_available` first. On other
// architectures the product is absent (available reports 0) and Swift's portable kernel runs.
#include "CKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define FACTORY_FMA __attribute__((target("avx2,fma")))

int factory_rowwise_fma_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/// The lanes of `v` summed as ((l0+l4) + (l1+l5)) + ((l2+l6) + (l3+l7)).
FACTORY_FMA static inline float lanes(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 pairs = _mm_add_ps(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_movehl_ps(pairs, pairs)));
}

/// `sum` plus the products `a[i]·b[i]` for i in `[start, count)`, each fused, in order.
FACTORY_FMA static inline float tail(float sum, const float *a, const float *b, long start, long count) {
    __m128 total = _mm_set_ss(sum);
    for (long i = start; i < count; i++) total = _mm_fmadd_ss(_mm_load_ss(a + i), _mm_load_ss(b + i), total);
    return _mm_cvtss_f32(total);
}

FACTORY_FMA static inline float dot(const float *a, const float *b, long count) {
    __m256 acc = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= count; i += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc);
    return tail(lanes(acc), a, b, i, count);
}

/// Rows `x`, `x + inputs` against weight rows `w … w + 3·inputs`: eight elements sharing their
/// loads, each in `dot`'s order.
FACTORY_FMA static inline void block2x4(
    const float *x, const float *w, long inputs, float *y0, float *y1) {
    const float *x1 = x + inputs, *w1 = w + inputs, *w2 = w + 2 * inputs, *w3 = w + 3 * inputs;
    __m256 a00 = _mm256_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    long i = 0;
    for (; i + 8 <= inputs; i += 8) {
        __m256 r0 = _mm256_loadu_ps(x + i), r1 = _mm256_loadu_ps(x1 + i);
        __m256 c0 = _mm256_loadu_ps(w + i), c1 = _mm256_loadu_ps(w1 + i);
        __m256 c2 = _mm256_loadu_ps(w2 + i), c3 = _mm256_loadu_ps(w3 + i);
        a00 = _mm256_fmadd_ps(r0, c0, a00);
        a01 = _mm256_fmadd_ps(r0, c1, a01);
        a02 = _mm256_fmadd_ps(r0, c2, a02);
        a03 = _mm256_fmadd_ps(r0, c3, a03);
        a10 = _mm256_fmadd_ps(r1, c0, a10);
        a11 = _mm256_fmadd_ps(r1, c1, a11);
        a12 = _mm256_fmadd_ps(r1, c2, a12);
        a13 = _mm256_fmadd_ps(r1, c3, a13);
    }
    y0[0] = tail(lanes(a00), x, w, i, inputs);
    y0[1] = tail(lanes(a01), x, w1, i, inputs);
    y0[2] = tail(lanes(a02), x, w2, i, inputs);
    y0[3] = tail(lanes(a03), x, w3, i, inputs);
    y1[0] = tail(lanes(a10), x1, w, i, inputs);
    y1[1] = tail(lanes(a11), x1, w1, i, inputs);
    y1[2] = tail(lanes(a12), x1, w2, i, inputs);
    y1[3] = tail(lanes(a13), x1, w3, i, inputs);
}

FACTORY_FMA void factory_rowwise_multiply_fma(
    long rows, long outputs, long inputs, const float *x, const float *w, float *y, long column_start, long column_end) {
    long column = column_start;
    // A block of 4 weight rows stays in L1 while every input row meets it.
    for (; column + 4 <= column_end; column += 4) {
        const float *weights = w + column * inputs;
        long row = 0;
        for (; row + 2 <= rows; row += 2)
            block2x4(x + row * inputs, weights, inputs, y + row * outputs + column, y + (row + 1) * outputs + column);
        // A last (or only) row takes the 4 weight rows one after another: one sequential stream
        // from memory, measured faster at batch 1 than reading the 4 rows side by side.
        if (row < rows)
            for (long c = 0; c < 4; c++) y[row * outputs + column + c] = dot(x + row * inputs, weights + c * inputs, inputs);
    }
    for (; column < column_end; column++)
        for (long row = 0; row < rows; row++) y[row * outputs + column] = dot(x + row * inputs, w + column * inputs, inputs);
}

#else

int factory_rowwise_fma_available(void) { return 0; }

void factory_rowwise_multiply_fma(
    long rows, long outputs, long inputs, const float *x, const float *w, float *y, long column_start, long column_end) {
    (void)rows, (void)outputs, (void)inputs, (void)x, (void)w, (void)y, (void)column_start, (void)column_end;
    __builtin_trap();
}

#endif
