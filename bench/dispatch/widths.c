// The vector kernels in loops compiled for one instruction set, timed (bench/dispatch/run.sh).
#include "CKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifndef ATTR
#define ATTR
#endif
#ifndef PRAGMA_D
#define PRAGMA_D
#define PRAGMA_F
#endif
#define L(name, T, kern, needs, P) ATTR __attribute__((noinline)) void name(const T *x, T *y, long n) { unsigned fl = 0; P for (long i = 0; i < n; i++) { T v = x[i]; y[i] = kern(v); fl |= needs(v);} if (fl) y[0] = 0; }
#define L2(name, T, kern, P) ATTR __attribute__((noinline)) void name(const T *x, T *y, long n) { P for (long i = 0; i < n; i++) { y[i] = kern(x[i]);} }
L(expd, double, tg_exp_kernel_d, tg_exp_needs_fixup_d, PRAGMA_D)
L(expf_, float, tg_exp_kernel_f, tg_exp_needs_fixup_f, PRAGMA_F)
L(sind, double, tg_sin_kernel_d, tg_trig_needs_fixup_d, PRAGMA_D)
L(sinf_, float, tg_sin_kernel_f, tg_trig_needs_fixup_f, PRAGMA_F)
L(logd, double, tg_log_kernel_d, tg_log_needs_fixup_d, PRAGMA_D)
L2(tanhd, double, tg_tanh_d, PRAGMA_D)
L2(tanhf_, float, tg_tanh_f, PRAGMA_F)
L2(sigd, double, tg_sigmoid_d, PRAGMA_D)
static double now(){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec*1e-9;}
#define T(fn, X, Y, nm) { double best=1e9; for(int r=0;r<40;r++){double t=now(); fn(X,Y,n); t=now()-t; if(t<best)best=t;} printf("%s %.3f  ", nm, best*1e3); }
int main(){ long n=1000000; double*x=malloc(n*8),*y=malloc(n*8),*ax=malloc(n*8); float*xf=malloc(n*4),*yf=malloc(n*4); srand(1); for(long i=0;i<n;i++){x[i]=-5+10.0*rand()/RAND_MAX; xf[i]=x[i]; ax[i]=x[i]<0?-x[i]:x[i];}
 T(expd,x,y,"exp_d") T(tanhd,x,y,"tanh_d") T(logd,ax,y,"log_d") T(sind,x,y,"sin_d") T(sigd,x,y,"sig_d") T(expf_,xf,yf,"exp_f") T(tanhf_,xf,yf,"tanh_f") T(sinf_,xf,yf,"sin_f") printf("\n"); }
