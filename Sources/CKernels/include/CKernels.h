// Decode kernels in C, for instructions Swift's default x86-64 target does not emit (AVX2, FMA).
#ifndef FACTORY_CKERNELS_H
#define FACTORY_CKERNELS_H

/// 1 when this CPU runs `factory_rowwise_multiply_fma` (x86-64 with AVX2 and FMA), else 0. A
/// property of the machine only: the same answer on every call, whatever the thread or batch.
int factory_rowwise_fma_available(void);

/// Columns `[column_start, column_end)` of `y [rows, outputs] = x [rows, inputs] · wᵀ`
/// (`w [outputs, inputs]`, all row-major and contiguous), with AVX2 and FMA. Every element is one
/// dot product of an input row and a weight row in a fixed order: an 8-lane fused multiply-add
/// accumulator over whole groups of 8, its lanes summed as `((l0+l4) + (l1+l5)) + ((l2+l6) +
/// (l3+l7))`, then the remaining products fused into the sum in order. So an element depends only
/// on its two rows, never on `rows`, the column range or the register block it was computed in.
/// Call only where `factory_rowwise_fma_available()` is 1.
void factory_rowwise_multiply_fma(
    long rows, long outputs, long inputs, const float *x, const float *w, float *y, long column_start, long column_end);

#endif
