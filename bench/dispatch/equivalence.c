// Every dispatched loop (the clone this CPU selects) against the scalar kernels compiled for
// the baseline, bit for bit (bench/dispatch/run.sh).
#include "CKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
__attribute__((noinline)) double sd(int k, double v){ switch(k){case 0: return tg_exp_needs_fixup_d(v)?tg_exp_d(v):tg_exp_kernel_d(v); case 1: return tg_log_needs_fixup_d(v)?tg_log_d(v):tg_log_kernel_d(v); case 2: return tg_trig_needs_fixup_d(v)?sin(v):tg_sin_kernel_d(v); case 3: return tg_trig_needs_fixup_d(v)?cos(v):tg_cos_kernel_d(v); case 4: return tg_tanh_d(v); case 5: return tg_sigmoid_d(v); default: return v*tg_sigmoid_d(v);} }
__attribute__((noinline)) float sf(int k, float v){ switch(k){case 0: return tg_exp_needs_fixup_f(v)?tg_exp_f(v):tg_exp_kernel_f(v); case 1: return tg_log_needs_fixup_f(v)?tg_log_f(v):tg_log_kernel_f(v); case 2: return tg_trig_needs_fixup_f(v)?sinf(v):tg_sin_kernel_f(v); case 3: return tg_trig_needs_fixup_f(v)?cosf(v):tg_cos_kernel_f(v); case 4: return tg_tanh_f(v); case 5: return tg_sigmoid_f(v); default: return v*tg_sigmoid_f(v);} }
int main(){ long n=1<<22; double*x=malloc(n*8),*y=malloc(n*8); float*xf=malloc(n*4),*yf=malloc(n*4); srand(3);
 for(long i=0;i<n;i++){ uint64_t b=((uint64_t)rand()<<40)^((uint64_t)rand()<<20)^rand(); if(i%3==0){ x[i]=(rand()/(double)RAND_MAX-0.5)*ldexp(1.0,rand()%40-20);} else memcpy(&x[i],&b,8); uint32_t c=(uint32_t)b; if(i%3==0) xf[i]=(float)x[i]; else memcpy(&xf[i],&c,4);} 
 void (*fd[])(const double*,double*,long)={tg_exp_loop_d,tg_log_loop_d,tg_sin_loop_d,tg_cos_loop_d,tg_tanh_loop_d,tg_sigmoid_loop_d,tg_silu_loop_d};
 void (*ff[])(const float*,float*,long)={tg_exp_loop_f,tg_log_loop_f,tg_sin_loop_f,tg_cos_loop_f,tg_tanh_loop_f,tg_sigmoid_loop_f,tg_silu_loop_f};
 for(int k=0;k<7;k++){ fd[k](x,y,n); ff[k](xf,yf,n); long bad=0,badf=0; for(long i=0;i<n;i++){ double w=sd(k,x[i]); if(!(isnan(w)&&isnan(y[i])) && memcmp(&w,&y[i],8)) bad++; float wf=sf(k,xf[i]); if(!(isnan(wf)&&isnan(yf[i])) && memcmp(&wf,&yf[i],4)) badf++;} printf("%d: %ld %ld\n",k,bad,badf);} printf("%s\n", tg_dispatch_level()); }
