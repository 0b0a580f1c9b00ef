#ifndef TANGENT_CSUPERLU_SHIM_H
#define TANGENT_CSUPERLU_SHIM_H
// SuperLU (BSD-3) from Debian's libsuperlu-dev: sparse LU with partial pivoting.
// The only place where SuperLU's s/d/c/z names appear. Tangent calls the tangent_slu_* helpers
// below; each takes a type code: 0 float32, 1 float64, 2 complex64, 3 complex128.
#include <stdlib.h>
#include <superlu/slu_sdefs.h>
#include <superlu/slu_ddefs.h>
#include <superlu/slu_cdefs.h>
#include <superlu/slu_zdefs.h>

/// A factorisation P_r A P_c = L U of one n × n sparse matrix, with the column ordering P_c
/// kept for refactorisations of matrices with the same pattern.
typedef struct {
  int type;
  int n;
  int hasFactors;
  int *perm_c;
  int *perm_r;
  int *etree;
  SuperMatrix L;
  SuperMatrix U;
  GlobalLU_t glu;
} tangent_slu;

/// A new handle for n × n matrices; no factorisation yet.
static inline tangent_slu *tangent_slu_create(int type, int n) {
  tangent_slu *h = (tangent_slu *)calloc(1, sizeof(tangent_slu));
  h->type = type;
  h->n = n;
  h->perm_c = (int *)malloc(sizeof(int) * (n > 0 ? n : 1));
  h->perm_r = (int *)malloc(sizeof(int) * (n > 0 ? n : 1));
  h->etree = (int *)malloc(sizeof(int) * (n > 0 ? n : 1));
  return h;
}

static inline void tangent_slu_free_factors(tangent_slu *h) {
  if (h->hasFactors) {
    Destroy_SuperNode_Matrix(&h->L);
    Destroy_CompCol_Matrix(&h->U);
    h->hasFactors = 0;
  }
}

/// Frees the handle and its factors.
static inline void tangent_slu_destroy(tangent_slu *h) {
  if (!h) return;
  tangent_slu_free_factors(h);
  free(h->perm_c);
  free(h->perm_r);
  free(h->etree);
  free(h);
}

static inline void tangent_slu_wrap_csc(int type, SuperMatrix *A, int n, int nnz, void *values, int *rowind, int *colptr) {
  switch (type) {
  case 0: sCreate_CompCol_Matrix(A, n, n, nnz, (float *)values, rowind, colptr, SLU_NC, SLU_S, SLU_GE); break;
  case 1: dCreate_CompCol_Matrix(A, n, n, nnz, (double *)values, rowind, colptr, SLU_NC, SLU_D, SLU_GE); break;
  case 2: cCreate_CompCol_Matrix(A, n, n, nnz, (complex *)values, rowind, colptr, SLU_NC, SLU_C, SLU_GE); break;
  default: zCreate_CompCol_Matrix(A, n, n, nnz, (doublecomplex *)values, rowind, colptr, SLU_NC, SLU_Z, SLU_GE); break;
  }
}

/// Factorises the matrix in compressed sparse column form (SuperLU reads the arrays during the
/// call only). With orderingKnown = 0 it chooses the fill-reducing column ordering (COLAMD);
/// otherwise it reuses the ordering of the previous call (SuperLU's SamePattern).
/// Returns SuperLU's info: 0 on success, i in 1...n when U(i, i) is exactly zero.
static inline int tangent_slu_factor(tangent_slu *h, int orderingKnown, int nnz, void *values, int *rowind, int *colptr) {
  superlu_options_t options;
  set_default_options(&options);
  options.Fact = orderingKnown ? SamePattern : DOFACT;
  options.ColPerm = COLAMD;
  tangent_slu_free_factors(h);
  SuperMatrix A, AC;
  tangent_slu_wrap_csc(h->type, &A, h->n, nnz, values, rowind, colptr);
  if (!orderingKnown) get_perm_c(options.ColPerm, &A, h->perm_c);
  SuperLUStat_t stat;
  StatInit(&stat);
  sp_preorder(&options, &A, h->perm_c, h->etree, &AC);
  int relax = sp_ienv(2), panel = sp_ienv(1), info = 0;
  switch (h->type) {
  case 0: sgstrf(&options, &AC, relax, panel, h->etree, NULL, 0, h->perm_c, h->perm_r, &h->L, &h->U, &h->glu, &stat, &info); break;
  case 1: dgstrf(&options, &AC, relax, panel, h->etree, NULL, 0, h->perm_c, h->perm_r, &h->L, &h->U, &h->glu, &stat, &info); break;
  case 2: cgstrf(&options, &AC, relax, panel, h->etree, NULL, 0, h->perm_c, h->perm_r, &h->L, &h->U, &h->glu, &stat, &info); break;
  default: zgstrf(&options, &AC, relax, panel, h->etree, NULL, 0, h->perm_c, h->perm_r, &h->L, &h->U, &h->glu, &stat, &info); break;
  }
  StatFree(&stat);
  Destroy_CompCol_Permuted(&AC);
  Destroy_SuperMatrix_Store(&A);
  // On a zero pivot SuperLU still returns L and U; keep them so they are freed once.
  h->hasFactors = (info == 0 || (info > 0 && info <= h->n)) ? 1 : 0;
  return info;
}

/// Overwrites the column-major n × nrhs right-hand sides b with the solutions of A x = b
/// (trans 0), Aᵀ x = b (1) or Aᴴ x = b (2). Returns SuperLU's info (0 on success).
static inline int tangent_slu_solve(tangent_slu *h, int trans, int nrhs, void *b) {
  SuperMatrix B;
  int n = h->n, info = 0;
  trans_t t = trans == 0 ? NOTRANS : (trans == 1 ? TRANS : CONJ);
  SuperLUStat_t stat;
  StatInit(&stat);
  switch (h->type) {
  case 0: sCreate_Dense_Matrix(&B, n, nrhs, (float *)b, n, SLU_DN, SLU_S, SLU_GE);
    sgstrs(t, &h->L, &h->U, h->perm_c, h->perm_r, &B, &stat, &info); break;
  case 1: dCreate_Dense_Matrix(&B, n, nrhs, (double *)b, n, SLU_DN, SLU_D, SLU_GE);
    dgstrs(t, &h->L, &h->U, h->perm_c, h->perm_r, &B, &stat, &info); break;
  case 2: cCreate_Dense_Matrix(&B, n, nrhs, (complex *)b, n, SLU_DN, SLU_C, SLU_GE);
    cgstrs(t, &h->L, &h->U, h->perm_c, h->perm_r, &B, &stat, &info); break;
  default: zCreate_Dense_Matrix(&B, n, nrhs, (doublecomplex *)b, n, SLU_DN, SLU_Z, SLU_GE);
    zgstrs(t, &h->L, &h->U, h->perm_c, h->perm_r, &B, &stat, &info); break;
  }
  StatFree(&stat);
  Destroy_SuperMatrix_Store(&B);
  return info;
}
#endif
