"""Evaluates the forward-over-reverse derivative of logcumsumexp on OpInfo's logcumsumexp#1
case to 50 digits (mpmath) and compares PyTorch's golden value with it.

    y_i = log sum_{k<=i} e^{x_k},   vjp_j = sum_{i>=j} u_i e^{x_j - y_i},
    d/dt vjp_j(x + t v) = sum_{i>=j} u_i e^{x_j - y_i} (v_j - ydot_i),  ydot_i = sum_{k<=i} e^{x_k - y_i} v_k.

Usage: /work/venv-bench/bin/python scripts/logcumsumexp_reference.py [.cache/opinfo-goldens/core.json] [tangent-value-of-entry-25]
"""
import json
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50
path = sys.argv[1] if len(sys.argv) > 1 else ".cache/opinfo-goldens/core.json"
case = next(c for c in json.load(open(path))["cases"] if c["id"] == "logcumsumexp#1")
arr = lambda t: np.array(t["data"]).reshape(t["shape"])
x, v, u = arr(case["args"][0]["tensor"]), arr(case["tangents"][0]), arr(case["cotangents"][0])
dim = case["args"][1]["value"]
xm, vm, um = (np.moveaxis(a, dim, -1) for a in (x, v, u))
out = np.zeros(xm.shape)
for idx in np.ndindex(xm.shape[:-1]):
    X, V, U = ([mp.mpf(float(a)) for a in row[idx]] for row in (xm, vm, um))
    n = len(X)
    Y = [mp.log(sum(mp.e ** X[k] for k in range(i + 1))) for i in range(n)]
    Yd = [sum(mp.e ** (X[k] - Y[i]) * V[k] for k in range(i + 1)) for i in range(n)]
    for j in range(n):
        out[idx + (j,)] = float(sum(U[i] * mp.e ** (X[j] - Y[i]) * (V[j] - Yd[i]) for i in range(j, n)))
ref = np.moveaxis(out, -1, dim).flatten()
torch_value = np.array(case["jvp_of_vjp"][0]["data"])
err = np.abs(ref - torch_value)
print(f"entry 25: exact {ref[25]!r}, torch {torch_value[25]!r}")
print(f"torch's largest error {err.max():.3g} at entry {err.argmax()} (largest value {np.abs(ref).max():.3g})")
if len(sys.argv) > 2:
    print(f"Tangent's entry 25 {sys.argv[2]}: error {abs(float(sys.argv[2]) - ref[25]):.3g}")
