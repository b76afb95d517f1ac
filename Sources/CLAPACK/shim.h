// LAPACK shim: the LAPACK routines shipped inside OpenBLAS on Linux (Debian's libopenblas has
// them, without a header) and Accelerate's on macOS, behind one set of C functions taking values,
// so that Swift callers need no platform conditions. Each returns LAPACK's INFO.
#ifndef FACTORY_CLAPACK_SHIM_H
#define FACTORY_CLAPACK_SHIM_H

#include <stddef.h>

#if defined(__APPLE__)
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>
typedef __LAPACK_int factory_lapack_int;
#define FACTORY_LAPACK_STRLEN(...)
#else
typedef int factory_lapack_int;
// Fortran character arguments carry hidden lengths (gfortran); OpenBLAS's C routines ignore them.
#define FACTORY_LAPACK_STRLEN(...) , __VA_ARGS__
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b,
            const int *ldb, int *info, size_t uplo_len);
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
             const int *lwork, int *info);
void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k,
             const double *a, const int *lda, const double *tau, double *c, const int *ldc,
             double *work, const int *lwork, int *info, size_t side_len, size_t trans_len);
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb, int *info,
             size_t uplo_len, size_t trans_len, size_t diag_len);
void dtrtri_(const char *uplo, const char *diag, const int *n, double *a, const int *lda, int *info,
             size_t uplo_len, size_t diag_len);
#endif

/// Solves A X = B for symmetric positive-definite A (column-major n×n, lower triangle used),
/// overwriting B (n×nrhs) with X: Cholesky factorization (DPOSV).
static inline int factory_dposv(int n, int nrhs, double *a, double *b) {
    factory_lapack_int n_ = n, nrhs_ = nrhs, lda = n > 0 ? n : 1, info = 0;
    dposv_("L", &n_, &nrhs_, a, &lda, b, &lda, &info FACTORY_LAPACK_STRLEN(1));
    return (int)info;
}

/// Householder QR of the column-major m×n matrix `a` (DGEQRF): R in the upper triangle, the
/// reflectors below it and in `tau` (min(m, n) values).
static inline int factory_dgeqrf(int m, int n, double *a, double *tau, double *work, int lwork) {
    factory_lapack_int m_ = m, n_ = n, lda = m > 0 ? m : 1, lwork_ = lwork, info = 0;
    dgeqrf_(&m_, &n_, a, &lda, tau, work, &lwork_, &info);
    return (int)info;
}

/// C := Qᵀ C for the Q of `factory_dgeqrf` (k reflectors of length m), C m×nrhs (DORMQR).
static inline int factory_dormqr_left_transposed(int m, int nrhs, int k, const double *a, const double *tau,
                                                 double *c, double *work, int lwork) {
    factory_lapack_int m_ = m, nrhs_ = nrhs, k_ = k, lda = m > 0 ? m : 1, ldc = lda, lwork_ = lwork, info = 0;
    dormqr_("L", "T", &m_, &nrhs_, &k_, a, &lda, tau, c, &ldc, work, &lwork_, &info FACTORY_LAPACK_STRLEN(1, 1));
    return (int)info;
}

/// Solves R X = B for the upper-triangular n×n R stored in the column-major matrix `a` with
/// leading dimension `lda`, overwriting B (n×nrhs, leading dimension `ldb`) (DTRTRS).
static inline int factory_dtrtrs_upper(int n, int nrhs, const double *a, int lda, double *b, int ldb) {
    factory_lapack_int n_ = n, nrhs_ = nrhs, lda_ = lda, ldb_ = ldb, info = 0;
    dtrtrs_("U", "N", "N", &n_, &nrhs_, a, &lda_, b, &ldb_, &info FACTORY_LAPACK_STRLEN(1, 1, 1));
    return (int)info;
}

/// Inverts the upper-triangular n×n matrix in column-major `a` (leading dimension `lda`) in place (DTRTRI).
static inline int factory_dtrtri_upper(int n, double *a, int lda) {
    factory_lapack_int n_ = n, lda_ = lda, info = 0;
    dtrtri_("U", "N", &n_, a, &lda_, &info FACTORY_LAPACK_STRLEN(1, 1));
    return (int)info;
}

#endif
