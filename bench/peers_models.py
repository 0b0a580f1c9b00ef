"""The `models` workload in PyTorch and JAX (imported by bench/peers.py).

Mirrors `tangent bench models` (Sources/tangent/BenchModels.swift): the same case names
(`<case>.<dtype>`), shapes, hyperparameters and logistic-regression data:
- `train_step`: one Adam step (lr 1e-3) of an MLP 784-256-256-10 (ReLU) at batch 128, mean
  cross-entropy. PyTorch: `nn.Linear` layers, `loss.backward()`, `torch.optim.Adam` (its default
  foreach implementation). JAX: one jitted step (value_and_grad, `optax.adam`, apply_updates),
  parameters and optimizer state donated.
- `lbfgs`: 20 L-BFGS iterations from 0 on a ridge-regularised logistic regression (10⁴ × 100),
  tolerances 0 so that all 20 run. PyTorch: `torch.optim.LBFGS` (history 100,
  line_search_fn="strong_wolfe", the same strong-Wolfe search with cubic interpolation as
  Tangent's). JAX: `optax.lbfgs` (memory 100; its default zoom line search for the strong Wolfe
  conditions, c₁ = 1e-4, c₂ = 0.9), the 20 iterations in one jitted `fori_loop`.
- `newton_cg`: 10 Newton-CG steps: CG on H d = −g to ‖r‖ ≤ min(½, √‖g‖)·‖g‖ (at most 20
  products), each product H v by forward-over-reverse (`jvp` of `grad`), then a step accepted
  at t = 1 when it decreases the loss enough (Armijo, c₁ = 1e-4), halved otherwise. PyTorch:
  `torch.func.jvp(torch.func.grad(f))`, eager. JAX: `jax.jvp(jax.grad(f))`, the whole
  10 steps in one jitted function (`lax.while_loop` for CG and the backtracking).

Each record carries the final loss and the work done (iterations, evaluations, HVPs), as the
Swift side does.
"""
import math

import numpy as np

SAMPLES, FEATURES, RIDGE = 10_000, 100, 1e-3
DTYPES = ["float64", "float32"]


def logistic_data():
    """The closed-formula data of `LogisticProblem` in BenchModels.swift, float64."""
    i = np.arange(SAMPLES, dtype=np.float64)[:, None]
    j = np.arange(FEATURES, dtype=np.float64)[None, :]
    x = np.sin(0.37 * (i * FEATURES + j) + 0.5) * (1 + j / 10)
    z = x @ (np.cos(0.71 * np.arange(FEATURES)) / 10) + 0.3 * np.sin(1.7 * np.arange(SAMPLES))
    return x, (z > 0).astype(np.float64)


def cg_tolerance(g_norm):
    return min(0.5, math.sqrt(g_norm)) * g_norm


# ---------------------------------------------------------------------------------------------
# PyTorch


def torch_models(peer, Case):
    t, func = peer.torch, peer.func
    cases = []
    xd, yd = logistic_data()
    for name in DTYPES:
        dtype = getattr(t, name)
        # train_step
        g = t.Generator().manual_seed(51)
        model = t.nn.Sequential(t.nn.Linear(784, 256), t.nn.ReLU(), t.nn.Linear(256, 256), t.nn.ReLU(), t.nn.Linear(256, 10)).to(dtype)
        x = t.randn(128, 784, generator=g, dtype=dtype)
        labels = t.randint(0, 10, (128,), generator=g)
        opt = t.optim.Adam(model.parameters(), lr=1e-3)
        ce = t.nn.CrossEntropyLoss()

        def train_step(model=model, opt=opt, ce=ce, x=x, labels=labels):
            opt.zero_grad(set_to_none=True)
            loss = ce(model(x), labels)
            loss.backward()
            opt.step()
            return loss.detach()

        first = float(train_step())
        cases.append(Case(f"train_step.{name}", "torch.optim.Adam", train_step, info={"first_loss": first}))

        X, Y = t.tensor(xd, dtype=dtype), t.tensor(yd, dtype=dtype)

        def loss_fn(w, b, X=X, Y=Y):
            return t.nn.functional.binary_cross_entropy_with_logits(X @ w + b, Y) + 0.5 * RIDGE * (w * w).sum()

        # lbfgs
        def lbfgs(loss_fn=loss_fn, dtype=dtype):
            w = t.zeros(FEATURES, dtype=dtype, requires_grad=True)
            b = t.zeros(1, dtype=dtype, requires_grad=True)
            opt = t.optim.LBFGS([w, b], lr=1, max_iter=20, max_eval=1000, tolerance_grad=0, tolerance_change=0, history_size=100,
                                line_search_fn="strong_wolfe")
            evaluations = [0]

            def closure():
                opt.zero_grad()
                loss = loss_fn(w, b)
                loss.backward()
                evaluations[0] += 1
                return loss

            opt.step(closure)
            with t.no_grad():
                final = float(loss_fn(w, b))
            return final, opt.state[opt._params[0]]["n_iter"], evaluations[0]

        final, iters, evals = lbfgs()
        cases.append(Case(f"lbfgs.{name}", "torch.optim.LBFGS strong_wolfe", lbfgs,
                          info={"final_loss": final, "iterations": iters, "evaluations": evals}))

        # newton_cg: parameters as one tuple (w, b) for torch.func.
        def f(p, loss_fn=loss_fn):
            return loss_fn(p[0], p[1])

        grad_f = func.grad(f)
        value_and_grad = func.grad_and_value(f)

        def dot(a, b):
            return sum((u * v).sum() for u, v in zip(a, b))

        def newton_cg(dtype=dtype, grad_f=grad_f, value_and_grad=value_and_grad, f=f):
            p = (t.zeros(FEATURES, dtype=dtype), t.zeros(1, dtype=dtype))
            g, value = value_and_grad(p)
            evaluations, hvps = 1, 0
            for _ in range(10):
                g_norm = float(dot(g, g).sqrt())
                tol = cg_tolerance(g_norm)
                d = tuple(t.zeros_like(u) for u in p)
                r = tuple(-u for u in g)
                s = r
                rr = float(dot(r, r))
                k = 0
                while k < 20 and math.sqrt(rr) > tol:
                    hs = func.jvp(grad_f, (p,), (s,))[1]
                    hvps += 1
                    k += 1
                    curvature = float(dot(s, hs))
                    if not curvature > 0:
                        break
                    alpha = rr / curvature
                    d = tuple(u + alpha * v for u, v in zip(d, s))
                    r = tuple(u - alpha * v for u, v in zip(r, hs))
                    rr_next = float(dot(r, r))
                    s = tuple(u + (rr_next / rr) * v for u, v in zip(r, s))
                    rr = rr_next
                slope = float(dot(g, d))
                if not slope < 0:
                    d, slope = tuple(-u for u in g), -g_norm * g_norm
                step = 1.0
                while True:
                    trial = tuple(u + step * v for u, v in zip(p, d))
                    g_new, v_new = value_and_grad(trial)
                    evaluations += 1
                    if float(v_new) <= float(value) + 1e-4 * step * slope or step < 1e-10:
                        break
                    step *= 0.5
                p, g, value = trial, g_new, v_new
            return float(value), evaluations, hvps

        final, evals, hvps = newton_cg()
        cases.append(Case(f"newton_cg.{name}", "torch.func jvp(grad)", newton_cg,
                          info={"final_loss": final, "iterations": 10, "evaluations": evals, "hvps": hvps}))
    return cases


# ---------------------------------------------------------------------------------------------
# JAX


def jax_models(peer, Case):
    import optax

    jax, jnp = peer.jax, peer.jnp
    lax = jax.lax
    cases = []
    xd, yd = logistic_data()
    for name in DTYPES:
        dtype = getattr(jnp, name)
        # train_step: nn.Linear's layout and initialisation (uniform ±1/√fan-in).
        k = peer.keys(51)
        params = {}
        for i, (fan_in, fan_out) in enumerate([(784, 256), (256, 256), (256, 10)]):
            bound = 1 / math.sqrt(fan_in)
            params[f"w{i}"] = jax.random.uniform(next(k), (fan_out, fan_in), dtype, -bound, bound)
            params[f"b{i}"] = jax.random.uniform(next(k), (fan_out,), dtype, -bound, bound)
        x = jax.random.normal(next(k), (128, 784), dtype)
        labels = jax.random.randint(next(k), (128,), 0, 10)

        def mlp_loss(p, x, labels):
            h = jax.nn.relu(x @ p["w0"].T + p["b0"])
            h = jax.nn.relu(h @ p["w1"].T + p["b1"])
            logits = h @ p["w2"].T + p["b2"]
            return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()

        adam = optax.adam(1e-3)

        def step_fn(p, s, x, labels):
            loss, g = jax.value_and_grad(mlp_loss)(p, x, labels)
            updates, s = adam.update(g, s, p)
            return optax.apply_updates(p, updates), s, loss

        step_fn = jax.jit(step_fn, donate_argnums=(0, 1))
        state = [params, adam.init(params)]

        def train_step(state=state, step_fn=step_fn, x=x, labels=labels):
            state[0], state[1], loss = step_fn(state[0], state[1], x, labels)
            jax.block_until_ready((state[0], state[1]))
            return loss

        first = float(train_step())
        cases.append(Case(f"train_step.{name}", "jit(optax.adam step)", train_step, info={"first_loss": first}))

        X, Y = jnp.asarray(xd, dtype), jnp.asarray(yd, dtype)

        def loss_fn(p, X=X, Y=Y):
            z = X @ p["w"] + p["b"]
            return optax.sigmoid_binary_cross_entropy(z, Y).mean() + 0.5 * RIDGE * (p["w"] * p["w"]).sum()

        start = {"w": jnp.zeros(FEATURES, dtype), "b": jnp.zeros(1, dtype)}

        # lbfgs: 20 iterations of optax.lbfgs in one jitted loop.
        solver = optax.lbfgs(memory_size=100)

        def lbfgs_run(p0, loss_fn=loss_fn, solver=solver):
            value_and_grad = optax.value_and_grad_from_state(loss_fn)

            def body(_, carry):
                p, s = carry
                v, g = value_and_grad(p, state=s)
                u, s = solver.update(g, s, p, value=v, grad=g, value_fn=loss_fn)
                return optax.apply_updates(p, u), s

            p, s = lax.fori_loop(0, 20, body, (p0, solver.init(p0)))
            return p, loss_fn(p)

        lbfgs_jit = jax.jit(lbfgs_run)
        final = float(lbfgs_jit(start)[1])
        cases.append(Case(f"lbfgs.{name}", "jit(optax.lbfgs zoom)", peer.timed(lbfgs_jit, start),
                          info={"final_loss": final, "iterations": 20}))

        # newton_cg: the same algorithm as the PyTorch peer, jitted whole.
        grad_f = jax.grad(loss_fn)
        value_and_grad = jax.value_and_grad(loss_fn)
        tree = jax.tree_util
        dot = lambda a, b: sum(jnp.vdot(u, v) for u, v in zip(tree.tree_leaves(a), tree.tree_leaves(b)))
        axpy = lambda a, x, y: tree.tree_map(lambda u, v: a * u + v, x, y)

        def newton_run(p0, grad_f=grad_f, value_and_grad=value_and_grad, dot=dot, axpy=axpy, dtype=dtype):
            value0, g0 = value_and_grad(p0)

            def outer(_, carry):
                p, value, g, evaluations, hvps = carry
                g_norm = jnp.sqrt(dot(g, g))
                tol = jnp.minimum(0.5, jnp.sqrt(g_norm)) * g_norm
                r0 = tree.tree_map(jnp.negative, g)

                def cg_cond(c):
                    d, r, s, rr, k, done = c
                    return (k < 20) & (jnp.sqrt(rr) > tol) & ~done

                def cg_body(c):
                    d, r, s, rr, k, done = c
                    hs = jax.jvp(grad_f, (p,), (s,))[1]
                    curvature = dot(s, hs)
                    ok = curvature > 0
                    alpha = jnp.where(ok, rr / jnp.where(ok, curvature, 1), 0)
                    d = axpy(alpha, s, d)
                    r = axpy(-alpha, hs, r)
                    rr_next = dot(r, r)
                    s = axpy(rr_next / rr, s, r)
                    return d, r, s, jnp.where(ok, rr_next, rr), k + 1, ~ok

                zeros = tree.tree_map(jnp.zeros_like, p)
                d, _, _, _, k, _ = lax.while_loop(cg_cond, cg_body, (zeros, r0, r0, dot(r0, r0), jnp.int32(0), jnp.bool_(False)))
                slope = dot(g, d)
                descent = slope < 0
                d = tree.tree_map(lambda u, v: jnp.where(descent, u, v), d, r0)
                slope = jnp.where(descent, slope, -g_norm * g_norm)

                def ls_cond(c):
                    step, v_new, _, _, n = c
                    return (v_new > value + 1e-4 * step * slope) & (step >= 1e-10)

                def ls_body(c):
                    step, _, _, _, n = c
                    step = step * 0.5
                    trial = axpy(step, d, p)
                    v_new, g_new = value_and_grad(trial)
                    return step, v_new, g_new, trial, n + 1

                trial = axpy(1.0, d, p)
                v1, g1 = value_and_grad(trial)
                step, v_new, g_new, trial, n = lax.while_loop(ls_cond, ls_body, (jnp.asarray(1.0, dtype), v1, g1, trial, jnp.int32(1)))
                return trial, v_new, g_new, evaluations + n, hvps + k

            p, value, g, evaluations, hvps = lax.fori_loop(0, 10, outer, (p0, value0, g0, jnp.int32(1), jnp.int32(0)))
            return p, value, evaluations, hvps

        newton_jit = jax.jit(newton_run)
        _, final, evals, hvps = newton_jit(start)
        cases.append(Case(f"newton_cg.{name}", "jit(jvp(grad)) Newton-CG", peer.timed(newton_jit, start),
                          info={"final_loss": float(final), "iterations": 10, "evaluations": int(evals), "hvps": int(hvps)}))
    return cases
