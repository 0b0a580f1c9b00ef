"""Reference trajectories of torch.optim's first-order optimizers, for Tangent's optimizer tests.

Run with the bench venv (torch 2.13, CPU):

    /work/venv-bench/bin/python Tests/Goldens/optimizers/make_fixtures.py

It writes first_order.json beside this script. The problem is fixed and deterministic (float64):
parameters {"b": [2], "w": [3, 2]} and the loss

    L(w, b) = 0.5 * sum((w - 0.3)^2) + sum(tanh(X @ w + b)) + 0.5 * sum(b^2)

with X a fixed 2x3 matrix. Each case runs 5 steps of one optimizer from the same start and
records the parameters before the first step and after every step. The Swift tests
(Tests/TangentTests/Optimizers/FirstOrderFixtureTests.swift) rebuild the problem with Tangent's
gradient and compare the trajectories to 1e-12 relative.
"""

import json
import os

import torch

torch.set_default_dtype(torch.float64)

X = [[1.0, -0.5, 2.0], [0.3, 0.9, -1.1]]
W0 = [[0.5, -1.2], [0.3, 0.8], [-0.7, 1.5]]
B0 = [0.1, -0.4]
STEPS = 5

CASES = [
    ("sgd_plain", "SGD", {"lr": 0.1}),
    ("sgd_nesterov_weight_decay", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("sgd_dampening_maximize", "SGD",
     {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.02, "maximize": True}),
    ("adam_defaults", "Adam", {}),
    ("adam_weight_decay", "Adam", {"lr": 0.1, "weight_decay": 0.01}),
    ("adam_amsgrad", "Adam", {"lr": 0.1, "betas": [0.8, 0.99], "weight_decay": 0.01, "amsgrad": True}),
    ("adamw", "AdamW", {"lr": 0.1}),
    ("adamw_amsgrad_maximize_low_beta", "AdamW",
     {"lr": 0.05, "betas": [0.3, 0.95], "eps": 1e-6, "weight_decay": 0.1, "amsgrad": True, "maximize": True}),
]


def loss_fn(w, b):
    x = torch.tensor(X)
    return 0.5 * ((w - 0.3) ** 2).sum() + torch.tanh(x @ w + b).sum() + 0.5 * (b ** 2).sum()


def run(kind, options):
    w = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    opts = dict(options)
    if "betas" in opts:
        opts["betas"] = tuple(opts["betas"])
    opt = getattr(torch.optim, kind)([b, w], **opts)
    trajectory = [{"b": b.detach().tolist(), "w": w.detach().flatten().tolist()}]
    for _ in range(STEPS):
        opt.zero_grad()
        loss_fn(w, b).backward()
        opt.step()
        trajectory.append({"b": b.detach().tolist(), "w": w.detach().flatten().tolist()})
    return trajectory


def main():
    out = {
        "torch": torch.__version__,
        "problem": {"X": X, "w0": W0, "b0": B0, "steps": STEPS},
        "cases": [
            {"name": name, "optimizer": kind, "options": options, "trajectory": run(kind, options)}
            for name, kind, options in CASES
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "first_order.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({len(CASES)} cases)")


if __name__ == "__main__":
    main()
