#!/usr/bin/env python3
"""`tangent bench kernels` and `tangent bench laplacian` for several builds side by side in one
run (issue 12, "fast in the build users get"): the builds take turns, round after round, and
the table gives each build's median over the rounds, with NumPy's from the kernels command.

    bench/dispatch/compare.py --rounds 3 plain-before=/path/tangent plain-after=... flagged-after=...
"""
import argparse, os, re, statistics, subprocess, sys

def run(cmd):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)  # as the Makefile's BLAS_CORE=auto
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout

def kernels(binary, python, numpy):
    cmd = [binary, "bench", "kernels", "--repetitions", "40"]
    cmd += ["--python", python] if numpy else ["--tangent-only"]
    out = run(cmd)
    level = re.search(r"vector math loops: (\S+)", out)
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^(.+?)\s{2,}(ms|µs/op|GFLOP/s)\s+([\d.]+)(?:\s+([\d.]+)\s+[\d.]+×)?", line)
        if m:
            rows[m.group(1).strip()] = (m.group(2), float(m.group(3)), float(m.group(4)) if m.group(4) else None)
    return (level.group(1) if level else "(not printed: before dispatch)"), rows

def laplacian(binary, extra):
    out = run([binary, "bench", "laplacian", "--budget", "1"] + extra)
    scale = {"s": 1e3, "ms": 1.0, "µs": 1e-3}
    return {m.group(1): float(m.group(2)) * scale[m.group(3)]
            for m in re.finditer(r"^\s+(\S+)\s+([\d.]+) (s|ms|µs)\b", out, re.M)}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("builds", nargs="+", help="name=path of a tangent binary")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--python", default="/work/venv-bench/bin/python")
    ap.add_argument("--laplacian", default="mlp32", help="--only filter of the laplacian cases ('' to skip)")
    args = ap.parse_args()
    builds = [b.split("=", 1) for b in args.builds]
    ks = {name: [] for name, _ in builds}
    ls = {name: [] for name, _ in builds}
    levels, numpy = {}, []
    for r in range(args.rounds):
        for name, path in builds:
            print(f"round {r + 1}: {name}", file=sys.stderr, flush=True)
            level, rows = kernels(path, args.python, numpy=(name == builds[-1][0]))
            levels[name] = level
            ks[name].append(rows)
            if name == builds[-1][0]:
                numpy.append({k: v[2] for k, v in rows.items() if v[2] is not None})
            if args.laplacian:
                ls[name].append(laplacian(path, ["--only", args.laplacian]))
    med = lambda xs: statistics.median(xs) if xs else None
    labels = []
    for name, _ in builds:
        for rows in ks[name]:
            labels += [k for k in rows if k not in labels]
    print("dispatch level: " + ", ".join(f"{n} {levels[n]}" for n, _ in builds))
    print("| kernel | unit | " + " | ".join(n for n, _ in builds) + " | NumPy |")
    print("| --- | --- | " + " | ".join("---:" for _ in builds) + " | ---: |")
    for label in labels:
        unit = next(rows[label][0] for n, _ in builds for rows in ks[n] if label in rows)
        cells = []
        for n, _ in builds:
            v = med([rows[label][1] for rows in ks[n] if label in rows])
            cells.append("—" if v is None else f"{v:.4g}")
        npv = med([r[label] for r in numpy if label in r])
        print(f"| {label} | {unit} | " + " | ".join(cells) + f" | {'—' if npv is None else f'{npv:.4g}'} |")
    if args.laplacian:
        cases = []
        for n, _ in builds:
            for d in ls[n]:
                cases += [c for c in d if c not in cases]
        print()
        print("| laplacian case (ms) | " + " | ".join(n for n, _ in builds) + " |")
        print("| --- | " + " | ".join("---:" for _ in builds) + " |")
        for c in cases:
            print(f"| {c} | " + " | ".join(f"{med([d[c] for d in ls[n] if c in d]):.4g}" for n, _ in builds) + " |")

main()
