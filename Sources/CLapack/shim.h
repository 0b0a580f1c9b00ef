#ifndef TANGENT_CLAPACK_SHIM_H
#define TANGENT_CLAPACK_SHIM_H
// CBLAS and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
#endif
