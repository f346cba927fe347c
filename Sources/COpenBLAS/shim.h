#ifndef VMATTE_COPENBLAS_SHIM_H
#define VMATTE_COPENBLAS_SHIM_H
// Debian's openblas.pc puts the pthread variant's include folder on the path; its cblas.h
// declares cblas_sgemm, openblas_get_corename and openblas_set_num_threads.
#include <cblas.h>
#endif
