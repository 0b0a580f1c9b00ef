"""Fits the polynomial coefficients used by Sources/CKernels/include/VectorMath.inc (the vector math kernels, formerly in Sources/Tangent/Kernels/VectorMath*.swift).

Near-minimax weighted fits by Lawson's algorithm: residuals are computed with mpmath at
high precision, corrections are solved in float64 (iterative refinement), so the
coefficients are accurate well beyond double precision before rounding.

    python3 bench/fit_vectormath.py            # prints every table
"""
import sys
import numpy as np
import mpmath as mp

mp.mp.dps = 50


def lawson(f, basis, lo, hi, weight=lambda x: 1, n=1500, iters=60):
    """Coefficients c minimising max |weight(x) (f(x) - sum c_j basis_j(x))| on [lo, hi]."""
    xs = [mp.mpf(lo) + (mp.mpf(hi) - lo) * (1 - mp.cos(mp.pi * (i + 0.5) / n)) / 2 for i in range(n)]
    fx = [f(x) for x in xs]
    wx = [weight(x) for x in xs]
    A = np.array([[float(b(x) * w) for b in basis] for x, w in zip(xs, wx)])
    Amp = [[b(x) for b in basis] for x in xs]
    c = [mp.mpf(0)] * len(basis)
    lam = np.ones(n) / n
    err = None
    for it in range(iters):
        for _ in range(3):
            res = [w * (fv - mp.fsum(ci * a for ci, a in zip(c, row))) for fv, row, w in zip(fx, Amp, wx)]
            r = np.array([float(v) for v in res])
            sw = np.sqrt(lam)
            M = A * sw[:, None]
            scale = np.abs(M).max(axis=0)
            d, *_ = np.linalg.lstsq(M / scale, r * sw, rcond=1e-30)
            c = [ci + mp.mpf(float(di)) for ci, di in zip(c, d / scale)]
        res = [w * (fv - mp.fsum(ci * a for ci, a in zip(c, row))) for fv, row, w in zip(fx, Amp, wx)]
        e = np.abs(np.array([float(v) for v in res]))
        err = e.max()
        lam = lam * e
        lam /= lam.sum()
    return c, err


def show(name, c, err, kind):
    print(f"# {name}: max weighted error {err:.3e}")
    for v in c:
        if kind == "d":
            print(f"  {float(v).hex()},  // {mp.nstr(v, 20)}")
        else:
            print(f"  {float(np.float32(float(v))).hex()},  // {mp.nstr(v, 12)}")


def powers(ks, g=lambda x: x):
    return [(lambda k: (lambda x: g(x) ** k))(k) for k in ks]


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else None
    if only == "erfc":
        return fit_erfc()
    ln2h = mp.log(2) / 2
    # expm1(r) = r + r^2 (c2 + c3 r + ...), relative error.
    for kind, deg in (("d", 11), ("f", 6)):
        c, e = lawson(lambda r: (mp.expm1(r) - r) / r**2 if r != 0 else mp.mpf(0.5), powers(range(0, deg - 1)),
                      -ln2h * 1.01, ln2h * 1.01, weight=lambda r: r**2 / mp.expm1(r) if r != 0 else 1)
        show(f"expm1 {kind} deg {deg}: coefficients of r^2..", c, e, kind)
    # log: R(z) = (2 atanh(s) - 2 s) / s, z = s^2, s in [-0.1716, 0.1716]. Error weighted by s / log(1+f).
    smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * 1.01
    for kind, deg in (("d", 7), ("f", 4)):
        c, e = lawson(lambda z: (2 * mp.atanh(mp.sqrt(z)) - 2 * mp.sqrt(z)) / mp.sqrt(z) if z != 0 else mp.mpf(0),
                      powers(range(1, deg + 1)), mp.mpf(0), smax**2, weight=lambda z: mp.mpf(1) / 2)
        show(f"log {kind}: coefficients of z^1..", c, e, kind)
    # sin(r) = r + r^3 S(r^2), relative; cos(r) = 1 - r^2/2 + r^4 C(r^2), absolute.
    q = mp.pi / 4 * 1.01
    for kind, deg in (("d", 6), ("f", 4)):
        c, e = lawson(lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3 if z != 0 else mp.mpf(-1) / 6,
                      powers(range(0, deg)), mp.mpf(0), q**2, weight=lambda z: z / mp.sinc(mp.sqrt(z)) if z != 0 else 0)
        show(f"sin {kind}: coefficients of z^0.. in S", c, e, kind)
    for kind, deg in (("d", 6), ("f", 4)):
        c, e = lawson(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2 if z != 0 else mp.mpf(1) / 24,
                      powers(range(0, deg)), mp.mpf(0), q**2, weight=lambda z: z**2)
        show(f"cos {kind}: coefficients of z^0.. in C", c, e, kind)
    # erf(x) = x P(x^2) on [0, 1], relative.
    for kind, deg in (("d", 12), ("f", 7)):
        f = lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) if z != 0 else 2 / mp.sqrt(mp.pi)
        c, e = lawson(f, powers(range(deg)), mp.mpf(0), mp.mpf(1), weight=lambda z: 1 / f(z), n=800)
        show(f"erf small {kind}: coefficients of z^0..", c, e, kind)
    fit_erfc()


def fit_erfc():
    # erfc(x) = exp(-x^2) H(t) / x, t = (x - 2) / (x + 2), x >= 1, relative.
    for kind, deg in (("d", 22), ("f", 10)):
        f = lambda t: (lambda x: mp.erfc(x) * mp.exp(x * x) * x)(2 * (1 + t) / (1 - t)) if t < 1 else 1 / mp.sqrt(mp.pi)
        c, e = lawson(f, powers(range(deg)), mp.mpf(-1) / 3, mp.mpf(1), weight=lambda t: 1 / f(t), n=800)
        show(f"erfc large {kind}: coefficients of t^0..", c, e, kind)


if __name__ == "__main__":
    main()
