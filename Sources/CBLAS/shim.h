// CBLAS shim: OpenBLAS on Linux, Accelerate on macOS, behind one set of names.
#ifndef FACTORY_CBLAS_SHIM_H
#define FACTORY_CBLAS_SHIM_H

#if defined(__APPLE__)
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>

/// A one-line description of the linked BLAS library.
static inline const char *factory_blas_description(void) { return "Apple Accelerate (vecLib)"; }
/// The number of threads the BLAS library uses, or 0 when it does not say.
static inline int factory_blas_thread_count(void) { return 0; }
/// Sets the BLAS library's thread count where it supports that.
static inline void factory_blas_set_thread_count(int count) { (void)count; }
#else
#include <cblas.h>

static inline const char *factory_blas_description(void) { return openblas_get_config(); }
static inline int factory_blas_thread_count(void) { return openblas_get_num_threads(); }
static inline void factory_blas_set_thread_count(int count) { openblas_set_num_threads(count); }
#endif

#endif
