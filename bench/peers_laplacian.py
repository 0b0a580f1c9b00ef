"""The `laplacian` workload's peers (issue 12), imported by bench/peers.py: Laplacians, a PINN
training step, the biharmonic operator and Hutchinson's trace estimator of tanh MLPs, float64,
in PyTorch (torch.func) and JAX (jit): folx's Forward Laplacian, `jax.experimental.jet` vmapped
over the directions, and Hessian traces. The case names match `tangent bench laplacian`
(Sources/tangent/BenchLaplacian.swift):

- `mlp32.primal`: u, an MLP 32-256-256-1 (tanh), at 128 points (the reference cost);
- `mlp32.laplacian`: Δu at the 128 points;
- `mlp32.pinn_step`: the gradient of mean(Δu(xᵢ)²) with respect to all parameters;
- `mlp5.biharmonic`: Δ²u of an MLP 5-128-128-1 at 256 points;
- `mlp1000.hutchinson`: Hutchinson's estimate of Δu of an MLP 1000-256-256-1 at 16 points, 16
  Rademacher directions per point (the same directions for every implementation).

Every variant of a case computes the same numbers; the driver reports the fastest per peer and
the targets read the variants by name.
"""

import math

# Case names and shapes, shared by both peers.
D32, W32, B32 = 32, [256, 256, 1], 128
D5, W5, B5 = 5, [128, 128, 1], 256
D1000, W1000, B1000, S1000 = 1000, [256, 256, 1], 16, 16


def biharmonic_directions(d):
    """The d² directions and weights with Δ²u = Σ weight · D⁴u[v] (see Biharmonic.swift):
    eᵢ with weight 1 − (d − 1)/3, eᵢ ± eⱼ (i < j) with weight 1/6."""
    rows, weights = [], []
    for i in range(d):
        r = [0.0] * d
        r[i] = 1.0
        rows.append(r)
        weights.append(1 - (d - 1) / 3)
    for i in range(d):
        for j in range(i + 1, d):
            for s in (1.0, -1.0):
                r = [0.0] * d
                r[i], r[j] = 1.0, s
                rows.append(r)
                weights.append(1 / 6)
    return rows, weights


def rademacher(seed):
    """The Hutchinson directions, [B, S, d] of ±1, from NumPy (the same for both peers)."""
    import numpy as np

    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(B1000, S1000, D1000))


def torch_cases(peer, Case):
    """torch.func, float64: vmap(trace(hessian)) for the Laplacian (and its gradient for the
    PINN step), nested Hessians for the biharmonic, vmap of jvp(grad) for Hutchinson."""
    t, func = peer.torch, peer.func
    g = t.Generator().manual_seed(12)

    def params(d, widths):
        out = []
        for fan_in, fan_out in zip([d] + widths, widths):
            out += [t.randn(fan_in, fan_out, generator=g, dtype=t.float64) / math.sqrt(fan_in),
                    t.randn(fan_out, generator=g, dtype=t.float64) * 0.1]
        return out

    def u(p, x):  # one point [d] -> scalar
        h = x
        for i in range(0, len(p), 2):
            h = h @ p[i] + p[i + 1]
            if i + 2 < len(p):
                h = t.tanh(h)
        return h.sum()

    cases = []
    p32 = params(D32, W32)
    x32 = t.randn(B32, D32, generator=g, dtype=t.float64)
    def batched(p, x):  # points [B, d] -> values [B]
        h = x
        for i in range(0, len(p), 2):
            h = h @ p[i] + p[i + 1]
            if i + 2 < len(p):
                h = t.tanh(h)
        return h.squeeze(-1)

    cases.append(Case("mlp32.primal", "eager", lambda: batched(p32, x32)))
    lap = lambda p, xs: func.vmap(lambda x: t.trace(func.hessian(lambda x: u(p, x))(x)))(xs)
    cases.append(Case("mlp32.laplacian", "vmap(trace(hessian))", lambda: lap(p32, x32), calls=(1, 3)))
    step = func.grad(lambda p: (lap(p, x32) ** 2).mean())
    cases.append(Case("mlp32.pinn_step", "grad of vmap(trace(hessian))", lambda: step(p32), calls=(1, 3)))

    p5 = params(D5, W5)
    x5 = t.randn(B5, D5, generator=g, dtype=t.float64)
    lap5 = lambda x: t.trace(func.hessian(lambda x: u(p5, x))(x))
    bih = func.vmap(lambda x: t.trace(func.hessian(lap5)(x)))
    cases.append(Case("mlp5.biharmonic", "vmap(trace(hessian(trace(hessian))))", lambda: bih(x5), calls=(1, 2)))

    p1000 = params(D1000, W1000)
    x1000 = t.randn(B1000, D1000, generator=g, dtype=t.float64)
    v1000 = t.tensor(rademacher(1000), dtype=t.float64)
    grad_u = func.grad(lambda x: u(p1000, x))
    quad = lambda x, v: (func.jvp(grad_u, (x,), (v,))[1] * v).sum()
    hutch = func.vmap(lambda x, vs: func.vmap(lambda v: quad(x, v))(vs).mean())
    cases.append(Case("mlp1000.hutchinson", "vmap(vmap(v·jvp(grad)))", lambda: hutch(x1000, v1000)))
    return cases


def jax_cases(peer, Case):
    """JAX (x64), each variant one jitted function: folx.forward_laplacian, jet vmapped over the
    coordinate directions, and trace(hessian), each vmapped over the points."""
    jax, jnp = peer.jax, peer.jnp
    from jax.experimental import jet

    def params(d, widths, seed):
        k = peer.keys(seed)
        out = []
        for fan_in, fan_out in zip([d] + widths, widths):
            out += [jax.random.normal(next(k), (fan_in, fan_out), jnp.float64) / math.sqrt(fan_in),
                    jax.random.normal(next(k), (fan_out,), jnp.float64) * 0.1]
        return tuple(out)

    def u(p, x):  # one point [d] -> scalar
        h = x
        for i in range(0, len(p), 2):
            h = h @ p[i] + p[i + 1]
            if i + 2 < len(p):
                h = jnp.tanh(h)
        return h.sum()

    # The Laplacian of u(p, ·) at one point, three ways.
    def lap_folx(p, x):
        import folx

        return folx.forward_laplacian(lambda x: u(p, x))(x).laplacian

    def lap_jet(p, x):
        d = x.shape[0]
        second = lambda v: jet.jet(lambda x: u(p, x), (x,), ((v, jnp.zeros_like(v)),))[1][1]
        return jax.vmap(second)(jnp.eye(d, dtype=x.dtype)).sum()

    def lap_hessian(p, x):
        return jnp.trace(jax.hessian(lambda x: u(p, x))(x))

    ways = [("folx", lap_folx), ("jet", lap_jet), ("hessian", lap_hessian)]
    labels = {"folx": "folx.forward_laplacian", "jet": "jet over directions", "hessian": "trace(hessian)"}

    cases = []
    k = peer.keys(12)
    p32 = params(D32, W32, 13)
    x32 = jax.random.normal(next(k), (B32, D32), jnp.float64)
    primal = jax.jit(jax.vmap(u, in_axes=(None, 0)))
    cases.append(Case("mlp32.primal", "jit", peer.timed(primal, p32, x32)))
    for name, lap in ways:
        f = jax.jit(jax.vmap(lap, in_axes=(None, 0)))
        cases.append(Case("mlp32.laplacian", "jit(vmap(" + labels[name] + "))", peer.timed(f, p32, x32)))
    for name, lap in ways:
        loss = lambda p, xs, lap=lap: (jax.vmap(lap, in_axes=(None, 0))(p, xs) ** 2).mean()
        f = jax.jit(jax.grad(loss))
        cases.append(Case("mlp32.pinn_step", "jit(grad(" + labels[name] + "))", peer.timed(f, p32, x32)))

    p5 = params(D5, W5, 14)
    x5 = jax.random.normal(next(k), (B5, D5), jnp.float64)
    nested = lambda p, x: jnp.trace(jax.hessian(lambda x: lap_hessian(p, x))(x))
    cases.append(Case("mlp5.biharmonic", "jit(vmap(trace(hessian(trace(hessian)))))",
                      peer.timed(jax.jit(jax.vmap(nested, in_axes=(None, 0))), p5, x5)))
    rows, weights = biharmonic_directions(D5)
    V, w = jnp.array(rows, jnp.float64), jnp.array(weights, jnp.float64)

    def bih_jet(p, x):
        z = jnp.zeros_like(x)
        fourth = lambda v: jet.jet(lambda x: u(p, x), (x,), ((v, z, z, z),))[1][3]
        return (jax.vmap(fourth)(V) * w).sum()

    cases.append(Case("mlp5.biharmonic", "jit(vmap(jet over d² directions))",
                      peer.timed(jax.jit(jax.vmap(bih_jet, in_axes=(None, 0))), p5, x5)))

    p1000 = params(D1000, W1000, 15)
    x1000 = jax.random.normal(next(k), (B1000, D1000), jnp.float64)
    v1000 = jnp.array(rademacher(1000))

    def hutch_hvp(p, x, vs):
        g = jax.grad(lambda x: u(p, x))
        return jax.vmap(lambda v: (jax.jvp(g, (x,), (v,))[1] * v).sum())(vs).mean()

    def hutch_jet(p, x, vs):
        z = jnp.zeros_like(x)
        return jax.vmap(lambda v: jet.jet(lambda x: u(p, x), (x,), ((v, z),))[1][1])(vs).mean()

    for label, f in [("jit(vmap(vmap(v·jvp(grad))))", hutch_hvp), ("jit(vmap(vmap(jet)))", hutch_jet)]:
        cases.append(Case("mlp1000.hutchinson", label, peer.timed(jax.jit(jax.vmap(f, in_axes=(None, 0, 0))), p1000, x1000, v1000)))
    return cases
