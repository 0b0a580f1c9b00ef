#!/usr/bin/env python3
"""The benchmark workloads in PyTorch and JAX: the peers Tangent is measured against.

One process per peer. `bench/run.py` starts each peer as a server and sends it one JSON
command per line; the peer answers with one JSON object per timed case, then a `done` line:

    python bench/peers.py torch --serve         # stdin: {"workload": "mlp", "budget": 0.3, ...}
    python bench/peers.py jax mlp               # one workload, printed as JSON lines
    python bench/peers.py torch memory --variant fwdrev   # one memory run (own process)

Every case mirrors `tangent bench <workload>` (Sources/tangent/BenchWorkloads.swift): same
shapes, dtypes and case names. A case may come in several variants (PyTorch eager and
torch.func, JAX jit and op-by-op); those marked primary are compared with Tangent (the fastest
primary variant is the peer's figure), the others are reported alongside.

To add a workload (the linear-algebra issue adds `linalg64`): write `<peer>_<workload>`
functions below returning a list of `Case`, for both peers, with the case names of the
Swift side.
"""
import argparse
import ctypes
import gc
import json
import math
import os
import re
import sys
import time

# ---------------------------------------------------------------------------------------------
# Timing and memory helpers (shared by both peers)


class Case:
    """One timed case: `fn()` does the work (and waits for it); `ops` divides to per-op time.
    `calls=(warmup, timed)` caps a slow case at that many warm-up calls and at least that many
    timed ones; `info` adds fields to its record (the sparse workload's colour counts)."""

    def __init__(self, name, variant, fn, primary=True, ops=1, calls=None, info=None, times=None):
        self.name, self.variant, self.fn, self.primary, self.ops = name, variant, fn, primary, ops
        self.calls, self.info = calls, info or {}
        self.times = times  # measured already (a one-off, such as a first call): reported once


def sample(fn, warmup, budget, min_reps, max_reps, warmup_calls=2):
    """Wall times in seconds: at least `warmup_calls` warm-up calls and `warmup` seconds, then
    timed calls until `budget` seconds have passed (within min_reps..max_reps). Same rule as
    the Swift side."""
    now = time.perf_counter
    start, calls = now(), 0
    while calls < warmup_calls or now() - start < warmup:
        fn()
        calls += 1
    times, start = [], now()
    while len(times) < max_reps and (len(times) < min_reps or now() - start < budget):
        t0 = now()
        fn()
        times.append(now() - t0)
    return times


def median(xs):
    s = sorted(xs)
    n = len(s)
    return float("nan") if n == 0 else (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2)


def proc_status():
    """(VmRSS, VmHWM) of this process in bytes."""
    text = open("/proc/self/status").read()
    get = lambda k: int(re.search(k + r":\s+(\d+)", text).group(1)) * 1024
    return get("VmRSS"), get("VmHWM")


def reset_peak():
    """Resets VmHWM to the current RSS (Linux: write 5 to clear_refs); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def trim():
    """Returns freed heap memory to the system, so the RSS counts live memory."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def linalg_problem(n=64, rhs=8, seed=17):
    """The matrices of `linalg64` (NumPy, float64): a general matrix A (well conditioned), a
    symmetric positive definite S, right-hand sides B, and tangents dA and symmetric dS."""
    import numpy as np

    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) / math.sqrt(n) + 2 * np.eye(n)
    M = rng.standard_normal((n, n)) / math.sqrt(n)
    S = M @ M.T + np.eye(n)
    B = rng.standard_normal((n, rhs))
    dA = rng.standard_normal((n, n))
    dS = rng.standard_normal((n, n))
    return A, S, B, dA, (dS + dS.T) / 2


# ---------------------------------------------------------------------------------------------
# PyTorch


class TorchPeer:
    name = "pytorch"

    def __init__(self):
        import torch
        import torch.func
        import torch.autograd.forward_ad as fwAD

        self.torch, self.func, self.fwAD = torch, torch.func, fwAD

    def meta(self):
        t = self.torch
        return {"version": t.__version__, "threads": t.get_num_threads(), "config": t.__config__.parallel_info().split("\n")[0:3]}

    # The same MLP as Tangent: h ↦ tanh(h·W + b), three times.
    def mlp_problem(self, width, batch, dtype, seed=7):
        t = self.torch
        g = t.Generator().manual_seed(seed)
        Ws = [t.randn(width, width, generator=g, dtype=dtype) / math.sqrt(width) for _ in range(3)]
        bs = [t.randn(width, generator=g, dtype=dtype) * 0.1 for _ in range(3)]
        x = t.randn(batch, width, generator=g, dtype=dtype)
        v = t.randn(batch, width, generator=g, dtype=dtype)

        def mlp(h):
            for W, b in zip(Ws, bs):
                h = t.tanh(h @ W + b)
            return h

        return mlp, x, v

    def mlp_cases(self, width, batch, dtype, prefix="", dual=True, with_vjp=True):
        t, func, fwAD = self.torch, self.func, self.fwAD
        mlp, x, v = self.mlp_problem(width, batch, dtype)

        def dual_api():
            with fwAD.dual_level():
                return fwAD.unpack_dual(mlp(fwAD.make_dual(x, v)))

        def vjp_func():
            _, pullback = func.vjp(mlp, x)
            return pullback(v)

        def vjp_eager():
            xr = x.detach().requires_grad_()
            return t.autograd.grad(mlp(xr), xr, v)

        cases = [
            Case(prefix + "primal", "eager", lambda: mlp(x)),
            Case(prefix + "jvp", "torch.func.jvp", lambda: func.jvp(mlp, (x,), (v,))),
        ]
        if dual:
            cases.append(Case(prefix + "dual", "forward_ad", dual_api))
        if with_vjp:
            cases += [Case(prefix + "vjp", "torch.func.vjp", vjp_func), Case(prefix + "vjp", "eager autograd.grad", vjp_eager)]
        return cases

    def workload_mlp(self):
        return self.mlp_cases(256, 64, self.torch.float64)

    def workload_mlp_f32(self):
        return self.mlp_cases(256, 64, self.torch.float32)

    def workload_scaling(self):
        return [c for w in (64, 256, 1024) for c in self.mlp_cases(w, 64, self.torch.float64, f"w{w}.", False, False)]

    def workload_jacobian(self):
        t, func = self.torch, self.func
        g = t.Generator().manual_seed(11)
        rn = lambda *s: t.randn(*s, generator=g, dtype=t.float64)
        W1, W2 = rn(16, 2048) * 0.25, rn(2048, 2048) / math.sqrt(2048)
        z16 = rn(16)
        W3 = rn(2048, 16) / math.sqrt(2048)
        z2048 = rn(2048)
        Wh = rn(256, 256) / 16
        z256, u256 = rn(256), rn(256)
        wide = lambda z: t.tanh(t.tanh(z @ W1) @ W2)
        narrow = lambda z: t.tanh(t.tanh(z) @ W3)
        scalar = lambda z: t.logsumexp(t.tanh(Wh @ z) * z, 0)
        return [
            Case("jacfwd", "torch.func.jacfwd", lambda: func.jacfwd(wide)(z16)),
            Case("jacrev", "torch.func.jacrev", lambda: func.jacrev(narrow)(z2048)),
            Case("hessian", "torch.func.hessian", lambda: func.hessian(scalar)(z256)),
            Case("hvp", "torch.func jvp(grad)", lambda: func.jvp(func.grad(scalar), (z256,), (u256,))),
        ]

    def workload_overhead(self):
        t, func, fwAD = self.torch, self.func, self.fwAD
        x8 = t.arange(8, dtype=t.float64) * 0.1
        v8 = 1 - t.arange(8, dtype=t.float64) * 0.05

        def chain(y):
            for _ in range(1000):
                y = t.sin(y)
            return y

        def dual():
            with fwAD.dual_level():
                return fwAD.unpack_dual(chain(fwAD.make_dual(x8, v8)))

        return [
            Case("plain", "eager", lambda: chain(x8), ops=1000),
            Case("dual", "forward_ad", dual, ops=1000),
            Case("dual", "torch.func.jvp", lambda: func.jvp(chain, (x8,), (v8,)), ops=1000),
        ]

    def workload_linalg64(self):
        """Ready for the linear-algebra issue: runs once `tangent bench linalg64` exists.
        Cases `<op>.primal` and `<op>.jvp` on 64×64 float64 matrices (see linalg_problem)."""
        t, func, la = self.torch, self.func, self.torch.linalg
        A, S, B, dA, dS = (t.from_numpy(m) for m in linalg_problem())
        ops = {
            "inv": (la.inv, (A,), (dA,)),
            "solve": (la.solve, (A, B), (dA, t.zeros_like(B))),
            "cholesky": (la.cholesky, (S,), (dS,)),
            "eigh": (la.eigh, (S,), (dS,)),
            "svd": (lambda a: la.svd(a, full_matrices=False), (A,), (dA,)),
            "qr": (la.qr, (A,), (dA,)),
            "det": (la.det, (A,), (dA,)),
            "slogdet": (la.slogdet, (A,), (dA,)),
            "eig": (la.eig, (A,), (dA,)),
        }
        cases = []
        for name, (f, xs, vs) in ops.items():
            cases.append(Case(name + ".primal", "torch.linalg", lambda f=f, xs=xs: f(*xs)))
            cases.append(Case(name + ".jvp", "torch.func.jvp", lambda f=f, xs=xs, vs=vs: func.jvp(f, xs, vs)))
        return cases

    def workload_sparse(self):
        """PyTorch has no sparse Jacobians or Hessians (planned in 2021, never shipped): the
        sparse workload's peers are asdex and dense JAX."""
        return []

    def vmap_params(self, widths, seed):
        """The parameters of the vmap workload's tanh MLPs: (W₁, b₁, W₂, b₂, …), weights scaled
        by 1/√fan-in, biases 0.1·N(0, 1) (Tangent's `BenchVmap.mlpParameters`)."""
        t = self.torch
        g = t.Generator().manual_seed(seed)
        out = []
        for fan_in, fan_out in zip(widths, widths[1:]):
            out += [t.randn(fan_in, fan_out, generator=g, dtype=t.float64) / math.sqrt(fan_in),
                    t.randn(fan_out, generator=g, dtype=t.float64) * 0.1]
        return tuple(out)

    @staticmethod
    def vmap_mlp(t, p, x):
        h = x
        for i in range(0, len(p), 2):
            h = h @ p[i] + p[i + 1]
            if i + 2 < len(p):
                h = t.tanh(h)
        return h

    def workload_vmap(self):
        """torch.func, float64: vmap(grad) per-sample gradients of a cross-entropy loss, the
        empirical NTK by vmap(grad) rows and one product, and vmap(trace(hessian))."""
        t, func = self.torch, self.func
        mlp = lambda p, x: self.vmap_mlp(t, p, x)
        g = t.Generator().manual_seed(5)
        cases = []
        # per_sample_grads: MLP 784-256-256-10, batch 64, one-hot targets.
        p1 = self.vmap_params([784, 256, 256, 10], 21)
        xs = t.randn(64, 784, generator=g, dtype=t.float64)
        ys = t.nn.functional.one_hot(t.randint(0, 10, (64,), generator=g), 10).to(t.float64)
        loss = lambda p, x, y: -(y * t.log_softmax(mlp(p, x), 0)).sum()
        psg = func.vmap(func.grad(loss), in_dims=(None, 0, 0))
        cases.append(Case("per_sample_grads", "torch.func vmap(grad)", lambda: psg(p1, xs, ys)))
        # ntk: MLP 100-256-256-1, two batches of 32.
        p2 = self.vmap_params([100, 256, 256, 1], 31)
        x1 = t.randn(32, 100, generator=g, dtype=t.float64)
        x2 = t.randn(32, 100, generator=g, dtype=t.float64)
        per = func.vmap(func.grad(lambda p, x: mlp(p, x).sum()), in_dims=(None, 0))
        rows = lambda x: t.cat([j.reshape(x.shape[0], -1) for j in per(p2, x)], 1)
        cases.append(Case("ntk", "torch.func vmap(grad) rows", lambda: rows(x1) @ rows(x2).T))
        # laplacian_vmap: u: R^32 -> R, 32-256-256-1, 128 points.
        p3 = self.vmap_params([32, 256, 256, 1], 41)
        x3 = t.randn(128, 32, generator=g, dtype=t.float64)
        u = lambda x: mlp(p3, x).sum()
        lap = func.vmap(lambda x: t.trace(func.hessian(u)(x)))
        cases.append(Case("laplacian_vmap", "torch.func vmap(trace(hessian))", lambda: lap(x3)))
        return cases

    def workload_models(self):
        """Adam, L-BFGS and Newton-CG: in bench/peers_models.py."""
        import peers_models

        return peers_models.torch_models(self, Case)

    def workload_laplacian(self):
        """Issue 12: Laplacians, a PINN step, Δ² and Hutchinson (bench/peers_laplacian.py)."""
        import peers_laplacian

        return peers_laplacian.torch_cases(self, Case)

    def memory_problem(self, depth, width, batch, variants=None):
        t = self.torch
        g = t.Generator().manual_seed(13)
        Ws = [t.randn(width, width, generator=g, dtype=t.float64) / math.sqrt(width) for _ in range(depth)]
        x = t.randn(batch, width, generator=g, dtype=t.float64)
        v = t.randn(batch, width, generator=g, dtype=t.float64)

        def f(h):
            for W in Ws:
                h = t.tanh(h @ W)
            return (h * h).sum() * 0.5

        def fwdrev():
            return self.func.jvp(self.func.grad(f), (x,), (v,))[1]

        def revrev():
            xr = x.detach().requires_grad_()
            (gr,) = t.autograd.grad(f(xr), xr, create_graph=True)
            return t.autograd.grad((gr * v).sum(), xr)[0]

        return {"fwdrev": (fwdrev, "torch.func jvp(grad)"), "revrev": (revrev, "autograd.grad create_graph")}, lambda: f(x)


# ---------------------------------------------------------------------------------------------
# JAX


class JaxPeer:
    name = "jax"

    def __init__(self):
        import jax

        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
        import jax.numpy as jnp

        self.jax, self.jnp = jax, jnp

    def meta(self):
        import jaxlib

        return {"version": self.jax.__version__, "jaxlib": jaxlib.__version__, "devices": [str(d) for d in self.jax.devices()]}

    def keys(self, seed, count=64):
        return iter(self.jax.random.split(self.jax.random.PRNGKey(seed), count))

    def mlp_problem(self, width, batch, dtype, seed=7):
        jax, jnp = self.jax, self.jnp
        k = self.keys(seed)
        Ws = [jax.random.normal(next(k), (width, width), dtype) / math.sqrt(width) for _ in range(3)]
        bs = [jax.random.normal(next(k), (width,), dtype) * 0.1 for _ in range(3)]
        x = jax.random.normal(next(k), (batch, width), dtype)
        v = jax.random.normal(next(k), (batch, width), dtype)

        def mlp(P, h):
            for W, b in zip(*P):
                h = jnp.tanh(h @ W + b)
            return h

        return mlp, (Ws, bs), x, v

    def timed(self, fn, *args):
        """A closure that runs the jitted `fn` on `args` and waits for the result."""
        block = self.jax.block_until_ready
        return lambda: block(fn(*args))

    def mlp_cases(self, width, batch, dtype, prefix="", with_vjp=True):
        jax = self.jax
        mlp, P, x, v = self.mlp_problem(width, batch, dtype)
        primal = jax.jit(mlp)
        fwd = jax.jit(lambda P, x, v: jax.jvp(lambda x: mlp(P, x), (x,), (v,)))
        rev = jax.jit(lambda P, x, v: jax.vjp(lambda x: mlp(P, x), x)[1](v))
        cases = [
            Case(prefix + "primal", "jit", self.timed(primal, P, x)),
            Case(prefix + "jvp", "jit(jvp)", self.timed(fwd, P, x, v)),
        ]
        # JAX has no dual-tensor API: the `dual` case has no JAX figure (see `jvp`).
        if with_vjp:
            cases.append(Case(prefix + "vjp", "jit(vjp)", self.timed(rev, P, x, v)))
        return cases

    def workload_mlp(self):
        return self.mlp_cases(256, 64, self.jnp.float64)

    def workload_mlp_f32(self):
        return self.mlp_cases(256, 64, self.jnp.float32)

    def workload_scaling(self):
        return [c for w in (64, 256, 1024) for c in self.mlp_cases(w, 64, self.jnp.float64, f"w{w}.", False)]

    def workload_jacobian(self):
        jax, jnp = self.jax, self.jnp
        k = self.keys(11)
        rn = lambda *s: jax.random.normal(next(k), s, jnp.float64)
        W1, W2 = rn(16, 2048) * 0.25, rn(2048, 2048) / math.sqrt(2048)
        z16 = rn(16)
        W3 = rn(2048, 16) / math.sqrt(2048)
        z2048 = rn(2048)
        Wh = rn(256, 256) / 16
        z256, u256 = rn(256), rn(256)
        wide = lambda W1, W2, z: jnp.tanh(jnp.tanh(z @ W1) @ W2)
        narrow = lambda W3, z: jnp.tanh(jnp.tanh(z) @ W3)
        scalar = lambda Wh, z: jax.nn.logsumexp(jnp.tanh(Wh @ z) * z, 0)
        jf = jax.jit(lambda W1, W2, z: jax.jacfwd(lambda z: wide(W1, W2, z))(z))
        jr = jax.jit(lambda W3, z: jax.jacrev(lambda z: narrow(W3, z))(z))
        hs = jax.jit(lambda Wh, z: jax.hessian(lambda z: scalar(Wh, z))(z))
        hv = jax.jit(lambda Wh, z, u: jax.jvp(jax.grad(lambda z: scalar(Wh, z)), (z,), (u,)))
        return [
            Case("jacfwd", "jit(jacfwd)", self.timed(jf, W1, W2, z16)),
            Case("jacrev", "jit(jacrev)", self.timed(jr, W3, z2048)),
            Case("hessian", "jit(hessian)", self.timed(hs, Wh, z256)),
            Case("hvp", "jit(jvp(grad))", self.timed(hv, Wh, z256, u256)),
        ]

    def workload_overhead(self):
        # Per-op overhead is op-by-op dispatch: under jit, XLA fuses the 1000 sins into one
        # loop, which measures something else (reported alongside, not compared).
        jax, jnp = self.jax, self.jnp
        x8 = jnp.arange(8, dtype=jnp.float64) * 0.1
        v8 = 1 - jnp.arange(8, dtype=jnp.float64) * 0.05

        def chain(y):
            for _ in range(1000):
                y = jnp.sin(y)
            return y

        dual = lambda x, v: jax.jvp(chain, (x,), (v,))
        cases = [
            Case("plain", "op-by-op", self.timed(chain, x8), ops=1000),
            Case("plain", "jit (fused)", self.timed(jax.jit(chain), x8), primary=False, ops=1000),
            Case("dual", "op-by-op jvp", self.timed(dual, x8, v8), ops=1000),
            Case("dual", "jit(jvp) (fused)", self.timed(jax.jit(dual), x8, v8), primary=False, ops=1000),
        ]
        # Compiling the 1000-op chains takes seconds: a quick run leaves them out.
        return [c for c in cases if c.primary or not getattr(self, "quick", False)]

    def workload_linalg64(self):
        """Ready for the linear-algebra issue (see TorchPeer.workload_linalg64)."""
        jax, jnp, la = self.jax, self.jnp, self.jnp.linalg
        A, S, B, dA, dS = (jnp.asarray(m) for m in linalg_problem())
        ops = {
            "inv": (la.inv, (A,), (dA,)),
            "solve": (la.solve, (A, B), (dA, jnp.zeros_like(B))),
            "cholesky": (la.cholesky, (S,), (dS,)),
            "eigh": (la.eigh, (S,), (dS,)),
            "svd": (lambda a: la.svd(a, full_matrices=False), (A,), (dA,)),
            "qr": (la.qr, (A,), (dA,)),
            "det": (la.det, (A,), (dA,)),
            "slogdet": (la.slogdet, (A,), (dA,)),
            # CPU only in JAX; eigenvector derivatives are opt-in.
            "eig": (lambda a: jax.lax.linalg.eig(a, enable_eigvec_derivs=True), (A,), (dA,)),
        }
        cases = []
        for name, (f, xs, vs) in ops.items():
            tangent = jax.jit(lambda xs, vs, f=f: jax.jvp(f, xs, vs))
            cases.append(Case(name + ".primal", "jit", self.timed(jax.jit(f), *xs)))
            cases.append(Case(name + ".jvp", "jit(jvp)", self.timed(tangent, xs, vs)))
        return cases

    def sparse_problems(self):
        """The problems of `tangent bench sparse` (TangentTesting/SparseProblems), written with
        the same ops, layouts and starting points: (case, is_hessian, f, x, dense feasible)."""
        jnp = self.jnp
        np = __import__("numpy")

        # The SciML 2-D Brusselator, N = 32: state [u, v] flat (2N²), periodic 5-point Laplacian.
        n = 32
        dx = 1 / (n - 1)
        grid = np.arange(n) * dx
        X, Y = np.meshgrid(grid, grid, indexing="ij")  # x along dim 0 (i), y along dim 1 (j)
        forcing = jnp.asarray(np.where((X - 0.3) ** 2 + (Y - 0.6) ** 2 <= 0.1 ** 2, 5.0, 0.0))  # t = 1.1
        a, b, scale = 3.4, 1.0, 10.0 / dx ** 2

        def brusselator(state):
            s = state.reshape(2, n, n)
            u, v = s[0:1], s[1:2]
            lap = lambda w: (jnp.roll(w, 1, 1) + jnp.roll(w, -1, 1) + jnp.roll(w, 1, 2) + jnp.roll(w, -1, 2) - w * 4) * scale
            u2v = jnp.square(u) * v
            du = lap(u) + b + u2v - u * (a + 1) + forcing
            dv = lap(v) + u * a - u2v
            return jnp.concatenate([du, dv], 0).reshape(2 * n * n)

        bruss_x = jnp.asarray(np.concatenate([(22 * (Y * (1 - Y)) ** 1.5).ravel(), (27 * (X * (1 - X)) ** 1.5).ravel()]))

        # Bratu Δu + 6eᵘ on the 64² interior with a zero boundary.
        m = 64
        h = 1 / (m + 1)

        def bratu(u):
            w = u.reshape(m, m)
            g = jnp.pad(w, 1)
            nb = g[0:m, 1:m + 1] + g[2:m + 2, 1:m + 1] + g[1:m + 1, 0:m] + g[1:m + 1, 2:m + 2]
            return ((nb - w * 4) * (1 / (h * h)) + jnp.exp(w) * 6.0).reshape(m * m)

        s1 = np.sin(np.pi * np.arange(1, m + 1) * h)
        bratu_x = jnp.asarray(np.outer(s1, s1).ravel())

        def rosenbrock(x):
            head, tail = x[:-1], x[1:]
            return jnp.sum(jnp.square(tail - jnp.square(head)) * 100 + jnp.square(head - 1))

        rosen_x = lambda k: jnp.asarray(np.where(np.arange(k) % 2 == 0, -1.2, 1.0) + 0.1 * np.sin(np.arange(k)))

        def arrowhead(x):
            return jnp.sum(x[0:1] * jnp.sum(jnp.square(x[1:]))) + jnp.sum(jnp.sin(x))

        arrow_x = jnp.asarray(0.5 + 0.4 * np.cos(np.arange(1000)))
        return [
            ("brusselator32.jacobian", False, brusselator, bruss_x, True),
            ("bratu64.jacobian", False, bratu, bratu_x, True),
            ("rosenbrock2000.hessian", True, rosenbrock, rosen_x(2000), True),
            ("rosenbrock1e5.hessian", True, rosenbrock, rosen_x(100_000), False),
            ("arrowhead1000.hessian", True, arrowhead, arrow_x, True),
        ]

    def workload_sparse(self):
        """asdex 0.5.1 and dense JAX, float64 (x64): for each case `C`, `C` is one evaluation of
        asdex's jitted sparse Jacobian/Hessian (prepared once: `jacobian_coloring` /
        `hessian_coloring`, then `jax.jit(jacobian_from_coloring(f, coloring))`), `C.prepare`
        is asdex's detection and colouring, `C.primal` the jitted function, and `C.dense` the
        jitted dense `jacfwd` / `hessian`."""
        import asdex

        jax, jnp = self.jax, self.jnp
        # asdex's one-off costs (its imports, numba loading or compiling its colouring kernels)
        # are paid here, on a small function, and not charged to the first case.
        tiny = jnp.arange(4.0)
        asdex.jacobian_coloring(lambda x: jnp.sin(x[1:]) * x[:-1], tiny)
        asdex.hessian_coloring(lambda x: jnp.sum(jnp.sin(x[1:]) * x[:-1]), tiny)
        cases = []
        for name, is_hessian, f, x, dense in self.sparse_problems():
            if getattr(self, "only", None) and not any(self.only in name + s for s in ("", ".prepare", ".dense", ".primal")):
                continue
            color = asdex.hessian_coloring if is_hessian else asdex.jacobian_coloring
            evaluate = asdex.hessian_from_coloring if is_hessian else asdex.jacobian_from_coloring
            t0 = time.perf_counter()
            coloring = color(f, x)
            first = time.perf_counter() - t0  # detection (tracing f) and colouring, once, as a user pays it
            sparse_fn = jax.jit(evaluate(f, coloring))
            info = {"colors": int(coloring.num_colors), "nonzeros": int(coloring.sparsity.nnz), "n": int(x.size),
                    "coloring": str(coloring.mode)}
            cases.append(Case(name, "asdex jit", self.timed(sparse_fn, x), info=info))
            cases.append(Case(name + ".prepare", "asdex first call", None, times=[first]))
            # Repeated on the same function, JAX's tracing caches are warm: reported, not compared.
            cases.append(Case(name + ".prepare", "asdex repeated", lambda f=f, x=x, color=color: color(f, x), primary=False, calls=(1, 3)))
            if dense:
                full = jax.jit(jax.hessian(f) if is_hessian else jax.jacfwd(f))
                cases.append(Case(name + ".dense", "jit(hessian)" if is_hessian else "jit(jacfwd)", self.timed(full, x), calls=(1, 3)))
            cases.append(Case(name + ".primal", "jit", self.timed(jax.jit(f), x)))
        return cases

    def workload_vmap(self):
        """JAX (x64), each case one jitted function: jax.vmap(jax.grad) per-sample gradients,
        the NTK by vmap(grad) rows and one product, and vmap(trace(hessian))."""
        jax, jnp = self.jax, self.jnp

        def params(widths, seed):
            k = self.keys(seed)
            out = []
            for fan_in, fan_out in zip(widths, widths[1:]):
                out += [jax.random.normal(next(k), (fan_in, fan_out), jnp.float64) / math.sqrt(fan_in),
                        jax.random.normal(next(k), (fan_out,), jnp.float64) * 0.1]
            return tuple(out)

        def mlp(p, x):
            h = x
            for i in range(0, len(p), 2):
                h = h @ p[i] + p[i + 1]
                if i + 2 < len(p):
                    h = jnp.tanh(h)
            return h

        k = self.keys(5)
        cases = []
        p1 = params([784, 256, 256, 10], 21)
        xs = jax.random.normal(next(k), (64, 784), jnp.float64)
        ys = jax.nn.one_hot(jax.random.randint(next(k), (64,), 0, 10), 10, dtype=jnp.float64)
        loss = lambda p, x, y: -(y * jax.nn.log_softmax(mlp(p, x), 0)).sum()
        psg = jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))
        cases.append(Case("per_sample_grads", "jit(vmap(grad))", self.timed(psg, p1, xs, ys)))
        p2 = params([100, 256, 256, 1], 31)
        x1 = jax.random.normal(next(k), (32, 100), jnp.float64)
        x2 = jax.random.normal(next(k), (32, 100), jnp.float64)
        per = jax.vmap(jax.grad(lambda p, x: mlp(p, x).sum()), in_axes=(None, 0))
        rows = lambda p, x: jnp.concatenate([j.reshape(x.shape[0], -1) for j in per(p, x)], 1)
        ntk = jax.jit(lambda p, a, b: rows(p, a) @ rows(p, b).T)
        cases.append(Case("ntk", "jit(vmap(grad) rows)", self.timed(ntk, p2, x1, x2)))
        p3 = params([32, 256, 256, 1], 41)
        x3 = jax.random.normal(next(k), (128, 32), jnp.float64)
        lap = jax.jit(jax.vmap(lambda p, x: jnp.trace(jax.hessian(lambda x: mlp(p, x).sum())(x)), in_axes=(None, 0)))
        cases.append(Case("laplacian_vmap", "jit(vmap(trace(hessian)))", self.timed(lap, p3, x3)))
        return cases

    def workload_models(self):
        """Adam, L-BFGS and Newton-CG: in bench/peers_models.py."""
        import peers_models

        return peers_models.jax_models(self, Case)

    def workload_laplacian(self):
        """Issue 12: folx, jet and Hessian traces, jitted (bench/peers_laplacian.py)."""
        import peers_laplacian

        return peers_laplacian.jax_cases(self, Case)

    def memory_problem(self, depth, width, batch, variants=("fwdrev", "revrev")):
        jax, jnp = self.jax, self.jnp
        k = self.keys(13, depth + 2)
        Ws = [jax.random.normal(next(k), (width, width), jnp.float64) / math.sqrt(width) for _ in range(depth)]
        x = jax.random.normal(next(k), (batch, width), jnp.float64)
        v = jax.random.normal(next(k), (batch, width), jnp.float64)

        def f(Ws, h):
            for W in Ws:
                h = jnp.tanh(h @ W)
            return (h * h).sum() * 0.5

        g = lambda Ws, x: jax.grad(lambda x: f(Ws, x))(x)
        fr = jax.jit(lambda Ws, x, v: jax.jvp(lambda x: g(Ws, x), (x,), (v,))[1])
        rr = jax.jit(lambda Ws, x, v: jax.grad(lambda x: jnp.vdot(g(Ws, x), v))(x))
        primal = jax.jit(f)
        labels = {"fwdrev": (fr, "jit(jvp(grad))"), "revrev": (rr, "jit(grad(⟨grad, v⟩))")}
        # Compile ahead of time (only what is measured), so compilation is not in the peak.
        return (
            {n: (self.timed(labels[n][0].lower(Ws, x, v).compile(), Ws, x, v), labels[n][1]) for n in variants},
            self.timed(primal, Ws, x),
        )


PEERS = {"pytorch": TorchPeer, "torch": TorchPeer, "jax": JaxPeer}


# ---------------------------------------------------------------------------------------------
# Running


def run_workload(peer, cache, cmd, out):
    """Times every case of `cmd["workload"]` and prints one JSON line per case, then `done`."""
    name = cmd["workload"]
    try:
        if name not in cache:
            builder = getattr(peer, "workload_" + name, None)
            if builder is None:
                raise NotImplementedError(f"{peer.name} has no workload {name!r}")
            peer.quick = bool(cmd.get("quick"))
            peer.only = cmd.get("only")
            cache[name] = builder()
        for c in cache[name]:
            if cmd.get("only") and cmd["only"] not in c.name:
                continue
            try:
                if c.fn is None and not c.times:
                    continue  # a one-off measurement, reported in an earlier round
                if c.fn is None:
                    times, c.times = c.times, None
                elif c.calls:  # a slow case: a fixed number of calls
                    warmup_calls, timed = c.calls
                    times = sample(c.fn, 0.0, cmd.get("budget", 0.3), timed, max(timed, cmd.get("max_reps", 2000)), warmup_calls)
                else:
                    times = sample(c.fn, cmd.get("warmup", 0.1), cmd.get("budget", 0.3), cmd.get("min_reps", 3), cmd.get("max_reps", 2000))
            except Exception as e:  # one case failing leaves the others
                print(json.dumps({"impl": peer.name, "workload": name, "case": c.name, "error": f"{type(e).__name__}: {e}"}), file=out, flush=True)
                continue
            rec = {"impl": peer.name, "workload": name, "case": c.name, "variant": c.variant, "primary": c.primary}
            rec.update(times=times, median=median(times), ops=c.ops, **c.info)
            print(json.dumps(rec), file=out, flush=True)
    except Exception as e:  # reported to the driver, which shows the case as missing
        print(json.dumps({"impl": peer.name, "workload": name, "error": f"{type(e).__name__}: {e}"}), file=out, flush=True)
    print(json.dumps({"impl": peer.name, "workload": name, "done": True}), file=out, flush=True)


def run_memory(peer, names, args, out):
    """HVP variants of the memory workload: each one's peak memory over the resident set just
    before it, then its time. The peak (VmHWM) is reset before each variant where Linux allows
    it (/proc/self/clear_refs); where it does not, run one variant per process."""
    variants, primal = peer.memory_problem(args.depth, args.width, args.batch, names)
    primal()  # one-off allocations (thread pools, BLAS buffers) are not counted
    for variant in names:
        run_memory_variant(peer, variant, *variants[variant], args, out)


def run_memory_variant(peer, variant, fn, label, args, out):
    trim()
    before = proc_status()[0]
    reset = reset_peak()
    fn()
    peak = proc_status()[1]
    # The measured run was the first warm-up call.
    times = sample(fn, args.warmup, args.budget, args.min_reps, args.max_reps, warmup_calls=1)
    trim()
    rec = {"impl": peer.name, "workload": "memory", "case": variant, "variant": label, "primary": True}
    rec.update(times=times, median=median(times), ops=1, rss_before=before, peak_rss=peak, peak_delta=peak - before, peak_reset=reset)
    rec["parameters"] = {"depth": args.depth, "width": args.width, "batch": args.batch, "dtype": "float64"}
    print(json.dumps(rec), file=out, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("peer", choices=sorted(PEERS))
    p.add_argument("workload", nargs="?", help="one workload to run (default with --serve: read commands from stdin)")
    p.add_argument("--serve", action="store_true", help="read JSON commands from stdin, one per line")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--budget", type=float)
    p.add_argument("--warmup", type=float)
    p.add_argument("--min-reps", type=int, default=3)
    p.add_argument("--max-reps", type=int, default=2000)
    p.add_argument("--only", help="run only the cases whose name contains this text")
    p.add_argument("--variant", choices=["fwdrev", "revrev"], help="memory: which HVP")
    p.add_argument("--depth", type=int, default=64)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--batch", type=int, default=32)
    args = p.parse_args()
    if args.budget is None:
        args.budget = 0.08 if args.quick else 0.3
    if args.warmup is None:
        args.warmup = 0.03 if args.quick else 0.1
    out = sys.stdout
    peer = PEERS[args.peer]()
    meta = {"impl": peer.name, "meta": True, **peer.meta()}
    if args.serve:
        print(json.dumps(meta), file=out, flush=True)
        cache = {}
        for line in sys.stdin:
            if line.strip():
                run_workload(peer, cache, json.loads(line), out)
    elif args.workload == "memory":
        run_memory(peer, [args.variant] if args.variant else ["fwdrev", "revrev"], args, out)
    elif args.workload:
        print(json.dumps(meta), file=out, flush=True)
        cmd = {"workload": args.workload, "quick": args.quick, "only": args.only, "budget": args.budget, "warmup": args.warmup, "min_reps": args.min_reps, "max_reps": args.max_reps}
        run_workload(peer, {}, cmd, out)
    else:
        p.error("give a workload or --serve")


if __name__ == "__main__":
    main()
