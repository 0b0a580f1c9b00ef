#!/usr/bin/env python3
"""Tangent side by side with PyTorch and JAX: the driver behind `make bench`.

    .venv-bench/bin/python bench/run.py [--quick] [--only mlp,jacobian] [--threads N]

Each workload runs in rounds; in every round Tangent (`tangent bench <workload> --json`, a
fresh process), PyTorch and JAX (`bench/peers.py <peer> --serve`, one long-lived process per
peer) take turns, in a rotating order, each timing every case of the workload (warm-up, then
repetitions for a time budget). The figure reported is the median over all repetitions of all
rounds. The memory workload runs each HVP variant in its own process and reads its peak
resident set (VmHWM) from /proc. Writes bench/results.json and bench/scaling.svg.

Ratios are Tangent / peer: below 1 means Tangent is faster (or smaller).
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = ["pytorch", "jax"]
IMPLS = ["tangent"] + PEERS
LABEL = {"tangent": "Tangent", "pytorch": "PyTorch", "jax": "JAX"}
# The order workloads run in. `linalg64` is a hook for the linear-algebra issue: it runs as
# soon as `tangent bench list` names it (and bench/peers.py has `workload_linalg64`).
WORKLOADS = ["mlp", "mlp_f32", "linalg64", "jacobian", "overhead", "scaling", "memory", "sparse", "vmap", "models", "laplacian"]
# The sparse workload's cases: each has `C` (evaluation), `C.prepare`, `C.primal` and `C.dense`.
SPARSE_CASES = ["brusselator32.jacobian", "bratu64.jacobian", "rosenbrock2000.hessian", "rosenbrock1e5.hessian", "arrowhead1000.hessian"]
MEMORY_VARIANTS = ["fwdrev", "revrev"]
MEMORY_LABEL = {"fwdrev": "forward-over-reverse", "revrev": "double backward"}


def log(msg="", end="\n"):
    print(msg, end=end, flush=True)


def median(xs):
    s = sorted(x for x in xs if x is not None and not math.isnan(x))
    n = len(s)
    return None if n == 0 else (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2)


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.3g} µs" if s < 1e-4 else f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def fmt_ratio(r):
    return "—" if r is None else (f"{r:.2f}×" if r < 10 else f"{r:.1f}×" if r < 100 else f"{r:.0f}×")


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


# ---------------------------------------------------------------------------------------------
# The three implementations


class PeerServer:
    """A `bench/peers.py <peer> --serve` process; None-like (`.error`) when it cannot start."""

    def __init__(self, name, python, env):
        self.name, self.meta, self.error = name, {}, None
        self.stderr = tempfile.TemporaryFile(mode="w+")
        try:
            self.proc = subprocess.Popen(
                [python, os.path.join(HERE, "peers.py"), name, "--serve"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env, bufsize=1,
            )
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(self.last_error())
            self.meta = json.loads(line)
        except Exception as e:
            self.error, self.proc = str(e) or type(e).__name__, None

    def last_error(self):
        self.stderr.seek(0)
        lines = [l for l in self.stderr.read().splitlines() if l.strip()]
        return lines[-1] if lines else "exited"

    def run(self, workload, timing):
        """Times every case of `workload`; returns (records, error)."""
        if self.proc is None:
            return [], self.error
        self.proc.stdin.write(json.dumps({"workload": workload, **timing}) + "\n")
        self.proc.stdin.flush()
        records, error = [], None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                self.error, self.proc = f"{self.name} exited: {self.last_error()}", None
                return records, self.error
            r = json.loads(line)
            if r.get("done"):
                return records, error
            if "error" in r:
                error = (f"{r['case']}: " if "case" in r else "") + r["error"]
            elif "times" in r:
                records.append(r)

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def run_tangent(binary, workload, timing, env, extra=()):
    """`tangent bench <workload> --json`; returns (records, meta, error)."""
    if timing.get("quick"):
        extra = [*extra, "--quick"]
    cmd = [binary, "bench", workload, "--json", "--budget", str(timing["budget"]), "--warmup", str(timing["warmup"]),
           "--min-reps", str(timing["min_reps"]), "--max-reps", str(timing["max_reps"]), *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    records, meta = [], {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        if r.get("meta"):
            meta = r
        elif "times" in r:
            records.append(r)
    err = None if p.returncode == 0 else (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return records, meta, err


def run_peer_memory(python, peer, variant, timing, env):
    """`bench/peers.py <peer> memory`: one variant, or both (variant None) in one process."""
    cmd = [python, os.path.join(HERE, "peers.py"), peer, "memory", *(["--variant", variant] if variant else []), "--budget", str(timing["budget"]),
           "--warmup", str(timing["warmup"]), "--min-reps", str(timing["min_reps"]), "--max-reps", str(timing["max_reps"])]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    err = None if p.returncode == 0 else (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return [r for r in recs if "times" in r], err


# ---------------------------------------------------------------------------------------------
# Aggregation


class Collected:
    """Repetition times pooled over rounds, per (impl, case, variant)."""

    def __init__(self):
        self.times, self.info, self.cases, self.errors, self.rounds = {}, {}, [], {}, {}

    def add(self, records):
        for r in records:
            key = (r["impl"], r["case"], r["variant"])
            self.times.setdefault(key, []).extend(r["times"])
            self.rounds.setdefault(key, []).append(median(r["times"]) / r.get("ops", 1))
            self.info[key] = r
            if r["case"] not in self.cases:
                self.cases.append(r["case"])

    def figure(self, impl, case):
        """(seconds per op, variant, all variants) for one impl: the fastest primary variant."""
        variants = {}
        best = (None, None)
        for (i, c, v), ts in self.times.items():
            if i != impl or c != case:
                continue
            info = self.info[(i, c, v)]
            m = median(ts) / info.get("ops", 1)
            variants[v] = {"median": m, "reps": len(ts), "primary": info.get("primary", True), "round_medians": self.rounds[(i, c, v)]}
            if info.get("primary", True) and (best[0] is None or m < best[0]):
                best = (m, v)
        return best[0], best[1], variants


def summarize(col, impls_present):
    """Per case: each impl's figure, variant, and the ratios Tangent/peer."""
    out = {}
    for case in col.cases:
        row = {"variants": {}}
        for impl in IMPLS:
            m, v, variants = col.figure(impl, case)
            row[impl] = m
            if v:
                row[impl + "_variant"] = v
            if variants:
                row["variants"][impl] = variants
        for peer in PEERS:
            row[f"tangent_vs_{peer}"] = ratio(row["tangent"], row[peer])
        out[case] = row
    return out


def sparse_extra(col, cases):
    """The sparse workload per case: colour counts (Tangent and asdex), prepare, evaluation,
    primal and dense figures, and the ratios the targets read."""
    out = {}
    for c in SPARSE_CASES:
        if c not in cases:
            continue
        colors = {}
        for (impl, case, _), info in col.info.items():
            if case == c and "colors" in info:
                colors["tangent" if impl == "tangent" else "asdex"] = info["colors"]
        get = lambda suffix, impl: cases.get(c + suffix, {}).get(impl)
        row = {
            "colors": colors,
            "prepare": {"tangent": get(".prepare", "tangent"), "asdex": get(".prepare", "jax"),
                        "tangent_detection": get(".detect", "tangent")},
            # Tangent's evaluation replays its recorded plan; `.engine` is the same evaluation
            # through the engine, `.first` preparation plus the first (recording) evaluation.
            "evaluation": {"tangent": get("", "tangent"), "asdex": get("", "jax"),
                           "tangent_engine": get(".engine", "tangent"), "tangent_first": get(".first", "tangent")},
            "primal": {"tangent": get(".primal", "tangent"), "jax": get(".primal", "jax")},
            "dense": {"tangent": get(".dense", "tangent"), "jax": get(".dense", "jax")},
        }
        # asdex repeated on the same function (JAX's tracing caches warm), reported beside.
        repeated = cases.get(c + ".prepare", {}).get("variants", {}).get("jax", {}).get("asdex repeated", {})
        row["prepare"]["asdex_repeated"] = repeated.get("median")
        row["prepare_vs_asdex"] = ratio(row["prepare"]["tangent"], row["prepare"]["asdex"])
        row["prepare_vs_asdex_repeated"] = ratio(row["prepare"]["tangent"], row["prepare"]["asdex_repeated"])
        row["evaluation_vs_asdex"] = ratio(row["evaluation"]["tangent"], row["evaluation"]["asdex"])
        row["replay_speedup"] = ratio(row["evaluation"]["tangent_engine"], row["evaluation"]["tangent"])
        row["replay"] = next((info["replay"] for (impl, case, _), info in col.info.items()
                              if case == c and impl == "tangent" and "replay" in info), None)
        row["evaluation_over_primal"] = ratio(row["evaluation"]["tangent"], row["primal"]["tangent"])
        row["speedup_over_dense"] = ratio(row["dense"]["tangent"], row["evaluation"]["tangent"])
        out[c] = row
    return out


# ---------------------------------------------------------------------------------------------
# Output


def print_table(title, header, rows, notes=()):
    """A plain-text table; rows are lists of strings (first column left-aligned)."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    log()
    log(title)
    log(line(header))
    log("─" * len(line(header)))
    for r in rows:
        log(line(r))
    for n in notes:
        log("  " + n)


def table_rows(cases, per_op=False):
    rows, notes = [], []
    for case, r in cases.items():
        rows.append([case, fmt_time(r["tangent"]), fmt_time(r["pytorch"]), fmt_time(r["jax"]),
                     fmt_ratio(r["tangent_vs_pytorch"]), fmt_ratio(r["tangent_vs_jax"])])
        # Round medians more than 1.5× apart: the machine was busy during some of the rounds.
        noisy = []
        for impl in IMPLS:
            d = r["variants"].get(impl, {}).get(r.get(impl + "_variant"), {})
            rm = d.get("round_medians", [])
            if len(rm) > 1 and min(rm) > 0 and max(rm) / min(rm) > 1.5:
                noisy.append(f"{LABEL[impl]} {fmt_time(min(rm))}–{fmt_time(max(rm))}")
        if noisy:
            rows[-1][0] += " ~"
            notes.append(f"{case} ~ round medians vary: " + ", ".join(noisy))
        peer_variants = []
        for peer in PEERS:
            for v, d in r["variants"].get(peer, {}).items():
                mark = "*" if v == r.get(peer + "_variant") else ("" if d["primary"] else " (not compared)")
                peer_variants.append(f"{LABEL[peer]} {v}{mark} {fmt_time(d['median'])}")
        if peer_variants:
            notes.append(f"{case}: " + " · ".join(peer_variants))
    return rows, notes


HEADER = ["case", "Tangent", "PyTorch", "JAX", "T/PyTorch", "T/JAX"]


def scaling_extra(cases):
    """jvp/primal ratios per width and impl, from the `w<width>.primal` / `.jvp` cases."""
    widths = sorted({int(c.split(".")[0][1:]) for c in cases if c.startswith("w")})
    out = {}
    for w in widths:
        p, j = cases.get(f"w{w}.primal"), cases.get(f"w{w}.jvp")
        if p and j:
            out[str(w)] = {impl: ratio(j[impl], p[impl]) for impl in IMPLS}
    return out


def svg_chart(results, path):
    """A hand-written SVG: jvp/primal ratio and jvp time against width, per implementation."""
    s = results.get("scaling", {})
    cases, ratios = s.get("cases", {}), s.get("jvp_over_primal", {})
    widths = sorted(int(w) for w in ratios)
    if not widths:
        return False
    colors = {"tangent": "#e4572e", "pytorch": "#3b6fb6", "jax": "#3a9e5c"}
    W, H, pad_l, pad_r, pad_t, pad_b, gap = 820, 364, 58, 16, 46, 72, 80
    pw = (W - pad_l - pad_r - gap) // 2
    ph = H - pad_t - pad_b
    el = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
          f'<rect width="{W}" height="{H}" fill="white"/>',
          f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="14">3-layer tanh MLP, batch 64, float64 ({results.get("date", "")[:10]}, {results.get("cores")} cores)</text>']
    lx = lambda w, x0: x0 + 24 + (math.log2(w) - math.log2(widths[0])) / max(1e-9, math.log2(widths[-1]) - math.log2(widths[0])) * (pw - 48)

    def panel(x0, title, series, ylog, yfmt, reference=None):
        vals = [v for pts in series.values() for _, v in pts if v]
        if not vals:
            return
        if ylog:
            lo, hi = math.log10(min(vals) / 1.3), math.log10(max(vals) * 1.3)
            if hi - lo < 1:
                lo, hi = (lo + hi) / 2 - 0.5, (lo + hi) / 2 + 0.5
            ticks = [m * 10 ** e for e in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
            ticks = [t for t in ticks if lo <= math.log10(t) <= hi]
            ty = lambda v: pad_t + ph - (math.log10(v) - lo) / (hi - lo) * ph
        else:
            hi = max(vals) * 1.15
            step = next(st for st in [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100] if hi / st <= 8)
            hi = math.ceil(hi / step) * step
            ticks = [i * step for i in range(int(round(hi / step)) + 1)]
            ty = lambda v: pad_t + ph - v / hi * ph
        el.append(f'<text x="{x0 + pw / 2}" y="{pad_t - 10}" text-anchor="middle" font-weight="bold">{title}</text>')
        el.append(f'<rect x="{x0}" y="{pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
        for t in ticks:
            y = ty(t)
            el.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
            el.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{yfmt(t)}</text>')
        if reference and ticks and min(ticks) <= reference[0] <= max(ticks):
            y = ty(reference[0])
            el.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#777" stroke-dasharray="5,4"/>')
            el.append(f'<text x="{x0 + pw - 4}" y="{y - 4:.1f}" text-anchor="end" fill="#555">{reference[1]}</text>')
        for w in widths:
            x = lx(w, x0)
            el.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t + ph}" y2="{pad_t + ph + 5}" stroke="#999"/>')
            el.append(f'<text x="{x:.1f}" y="{pad_t + ph + 18}" text-anchor="middle">{w}</text>')
        el.append(f'<text x="{x0 + pw / 2}" y="{pad_t + ph + 36}" text-anchor="middle">width</text>')
        for impl, pts in series.items():
            pts = [(lx(w, x0), ty(v)) for w, v in pts if v]
            if not pts:
                continue
            el.append(f'<polyline fill="none" stroke="{colors[impl]}" stroke-width="2" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
            el.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colors[impl]}"/>' for x, y in pts)

    ratio_series = {impl: [(w, ratios[str(w)].get(impl)) for w in widths] for impl in IMPLS}
    time_series = {impl: [(w, (cases.get(f"w{w}.jvp") or {}).get(impl)) for w in widths] for impl in IMPLS}
    panel(pad_l, "jvp time / primal time (log scale)", ratio_series, True, lambda t: f"{t:g}×", (2.0, "target 2×"))
    panel(pad_l + pw + gap, "jvp time (log scale)", {k: [(w, v * 1e3 if v else None) for w, v in pts] for k, pts in time_series.items()},
          True, lambda t: f"{t:g} ms")
    for i, impl in enumerate(IMPLS):
        x = W / 2 - 165 + i * 120
        el.append(f'<rect x="{x}" y="{H - 22}" width="12" height="12" fill="{colors[impl]}"/>')
        el.append(f'<text x="{x + 16}" y="{H - 12}">{LABEL[impl]}{" (jit)" if impl == "jax" else ""}</text>')
    el.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(el) + "\n")
    return True


# ---------------------------------------------------------------------------------------------
# Targets (issue 6)


def targets(results):
    """The issue's targets, checked against this run: (label, measured, limit, met)."""
    out = []

    def check(label, value, limit, at_least=False):
        if value is not None:
            out.append({"target": label, "measured": value, "limit": limit, "met": value >= limit if at_least else value <= limit})

    def case(w, c):
        return results.get(w, {}).get("cases", {}).get(c, {})

    mlp = case("mlp", "jvp")
    check("mlp.jvp ≤ 0.5× PyTorch", mlp.get("tangent_vs_pytorch"), 0.5)
    check("mlp.jvp ≤ 1.0× JAX-jit", mlp.get("tangent_vs_jax"), 1.0)
    check("mlp jvp/primal ≤ 2.0 (Tangent)", ratio(mlp.get("tangent"), case("mlp", "primal").get("tangent")), 2.0)
    for c, r in results.get("linalg64", {}).get("cases", {}).items():
        if "jvp" in c:
            peers = [r.get(p) for p in PEERS if r.get(p)]
            check(f"linalg64 {c} ≤ 1.0× the faster peer", ratio(r.get("tangent"), min(peers) if peers else None), 1.0)
    for c in ["jacfwd", "hessian", "hvp"]:
        check(f"jacobian.{c} ≤ 1.0× JAX-jit", case("jacobian", c).get("tangent_vs_jax"), 1.0)
    for c in ["jacfwd", "jacrev", "hessian", "hvp"]:
        check(f"jacobian.{c} ≤ 0.5× PyTorch", case("jacobian", c).get("tangent_vs_pytorch"), 0.5)
    for c in ["plain", "dual"]:
        check(f"overhead.{c} ≤ 0.5× PyTorch", case("overhead", c).get("tangent_vs_pytorch"), 0.5)
    peaks = results.get("memory", {}).get("peak_delta_bytes", {})
    fr, rr = peaks.get("fwdrev", {}).get("tangent"), peaks.get("revrev", {}).get("tangent")
    check("memory: forward-over-reverse peak ≤ 0.6× double backward (Tangent)", ratio(fr, rr), 0.6)
    check("memory: Tangent forward-over-reverse peak ≤ 0.6× PyTorch's double backward",
          ratio(fr, peaks.get("revrev", {}).get("pytorch")), 0.6)
    # Issue 5: each JVP's cost relative to its own primal.
    lin = results.get("linalg64", {}).get("cases", {})
    for op, limit in [("inv", 1.5), ("solve", 1.5), ("cholesky", 1.5), ("det", 1.5), ("slogdet", 1.5),
                      ("eigh", 2.5), ("svd", 2.5), ("qr", 2.5), ("eig", 2.5)]:
        check(f"linalg64 {op} jvp/primal ≤ {limit} (Tangent)",
              ratio(lin.get(f"{op}.jvp", {}).get("tangent"), lin.get(f"{op}.primal", {}).get("tangent")), limit)
    # Issue 11: sparse Jacobians and Hessians against asdex.
    for c, r in results.get("sparse", {}).get("summary", {}).items():
        colors = r["colors"]
        check(f"sparse.{c} colours ≤ asdex's ({colors.get('tangent')} vs {colors.get('asdex')})",
              ratio(colors.get("tangent"), colors.get("asdex")), 1.0)
        check(f"sparse.{c} prepare ≤ 0.02× asdex's", r["prepare_vs_asdex"], 0.02)
        check(f"sparse.{c} evaluation ≤ 1.0× asdex's", r["evaluation_vs_asdex"], 1.0)
    bruss = results.get("sparse", {}).get("summary", {}).get("brusselator32.jacobian", {})
    check("sparse.brusselator32.jacobian ≥ 100× faster than Tangent's dense jacfwd (speed-up)", bruss.get("speedup_over_dense"), 100,
          at_least=True)
    # Issue 13: vmap of transforms against torch.func and jitted JAX.
    for c, r in results.get("vmap", {}).get("cases", {}).items():
        check(f"vmap.{c}.vs_torch (≤ 0.5× PyTorch)", r.get("tangent_vs_pytorch"), 0.5)
        check(f"vmap.{c}.vs_jax (≤ 1.0× JAX-jit)", r.get("tangent_vs_jax"), 1.0)
    # Issue 14: training and second-order fitting against torch.optim/torch.func and jitted JAX/optax.
    for c, r in results.get("models", {}).get("cases", {}).items():
        check(f"models.{c}.vs_torch (≤ 0.5× PyTorch)", r.get("tangent_vs_pytorch"), 0.5)
        check(f"models.{c}.vs_jax (≤ 1.0× JAX-jit)", r.get("tangent_vs_jax"), 1.0)
    # Issue 12: Taylor-mode operators against folx, jet and Hessian traces (bench/peers_laplacian.py).
    for label, limit in laplacian_targets(results):
        check(label[0], label[1], limit)
    return out


def laplacian_targets(results):
    """Issue 12's targets: ((label, Tangent/peer-variant ratio), limit) from the laplacian
    workload's JAX variants (by their names in bench/peers_laplacian.py)."""
    cases = results.get("laplacian", {}).get("cases", {})

    def vs(c, needle):
        r = cases.get(c, {})
        variants = r.get("variants", {}).get("jax", {})
        times = [d["median"] for v, d in variants.items() if needle in v]
        return ratio(r.get("tangent"), min(times) if times else None)

    return [
        (("laplacian.mlp32.laplacian ≤ 1.0× folx", vs("mlp32.laplacian", "folx")), 1.0),
        (("laplacian.mlp32.laplacian ≤ 0.5× JAX's Hessian trace", vs("mlp32.laplacian", "trace(hessian)")), 0.5),
        (("laplacian.mlp32.pinn_step ≤ 1.0× the fastest JAX way", cases.get("mlp32.pinn_step", {}).get("tangent_vs_jax")), 1.0),
        (("laplacian.mlp5.biharmonic ≤ 0.5× nested Hessians in JAX", vs("mlp5.biharmonic", "hessian(trace(hessian))")), 0.5),
    ]


# ---------------------------------------------------------------------------------------------
# Main


def machine(threads):
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
            "threads": threads or "library defaults", "load_average": list(os.getloadavg())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a reduced run (under two minutes)")
    ap.add_argument("--rounds", type=int, help="rounds per workload (default 3, 2 with --quick)")
    ap.add_argument("--budget", type=float, help="seconds of timed repetitions per case per round")
    ap.add_argument("--only", help="comma-separated workloads to run")
    ap.add_argument("--threads", type=int, help="threads for every implementation (default: each library's default)")
    ap.add_argument("--tangent", default=os.path.join(ROOT, ".build/release/tangent"))
    ap.add_argument("--python", default=sys.executable, help="interpreter with torch and jax (the peers)")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--markdown", metavar="RESULTS_JSON", help="print the tables of a results file as Markdown, and stop")
    args = ap.parse_args()
    if args.markdown:
        with open(args.markdown) as f:
            print(markdown(json.load(f)))
        return

    quick = args.quick
    rounds = args.rounds or (2 if quick else 3)
    timing = {"budget": args.budget or (0.06 if quick else 0.25), "warmup": 0.03 if quick else 0.1, "min_reps": 3, "max_reps": 2000,
              "quick": quick}
    # Memory: a full run starts one process per (implementation, variant), twice; a quick run
    # one process per implementation for both variants (the peak is reset between them).
    mem_rounds = 1 if quick else 2
    mem_timing = {"budget": 0.0, "warmup": 0.0, "min_reps": 2 if quick else 5, "max_reps": 5}
    env = dict(os.environ)
    if args.threads:
        for k in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"]:
            env[k] = str(args.threads)
        if args.threads == 1:
            env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    mem_env = dict(env, MALLOC_MMAP_THRESHOLD_="65536")  # large blocks mmapped: freed memory leaves the RSS at once

    started = time.time()
    results = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "cores": os.cpu_count(),
               "machine": machine(args.threads), "quick": quick, "rounds": rounds, "timing": timing}
    if not os.access(args.tangent, os.X_OK):
        sys.exit(f"bench: no {args.tangent}; build it first: swift build -c release --product tangent")
    listing = subprocess.run([args.tangent, "bench", "list"], capture_output=True, text=True)
    available = set(listing.stdout.split()) if listing.returncode == 0 else set()
    wanted = args.only.split(",") if args.only else WORKLOADS
    plan = [w for w in WORKLOADS if w in wanted]
    for w in plan:
        if w not in available:
            results[w] = {"skipped": "not in this Tangent build yet" + (" (added with the linear-algebra issue)" if w == "linalg64" else "")}
    plan = [w for w in plan if w in available]

    log(f"bench: {results['machine']['cpu']}, {os.cpu_count()} cores, load {results['machine']['load_average'][0]:.1f}; "
        f"{'QUICK, ' if quick else ''}{rounds} rounds; workloads: {', '.join(plan)}")
    log("bench: starting the peers (PyTorch, JAX)…")
    servers = {p: PeerServer(p, args.python, env) for p in PEERS}
    versions = {}
    for p, s in servers.items():
        if s.error:
            log(f"bench: {LABEL[p]} unavailable: {s.error}")
        else:
            versions[p] = {k: v for k, v in s.meta.items() if k not in ("impl", "meta")}
    results["versions"] = versions

    for wi, w in enumerate(plan):
        t0 = time.time()
        if w == "memory":
            results[w] = run_memory_workload(args, servers, mem_rounds, mem_timing, mem_env, wi, len(plan))
            print_memory(results[w])
            continue
        col = Collected()
        errors = {}
        tmeta = {}
        for r in range(rounds):
            order = IMPLS[r % 3:] + IMPLS[:r % 3]  # rotate who goes first
            log(f"[{wi + 1}/{len(plan)}] {w} · round {r + 1}/{rounds}:", end="")
            for impl in order:
                t1 = time.time()
                if impl == "tangent":
                    recs, tmeta, err = run_tangent(args.tangent, w, timing, env)
                else:
                    recs, err = servers[impl].run(w, timing)
                col.add(recs)
                if err:
                    errors[impl] = err
                log(f" {LABEL[impl]} {time.time() - t1:.1f} s{' (error)' if err else ''} ·", end="")
                time.sleep(0.05)  # let the previous implementation's worker threads go idle
            log(f" {time.time() - t0:.0f} s")
        cases = summarize(col, IMPLS)
        entry = {"parameters": tmeta.get("parameters", {}), "unit": "seconds" + (" per op" if w == "overhead" else ""),
                 "cases": cases}
        if errors:
            entry["errors"] = errors
        if w == "scaling":
            entry["jvp_over_primal"] = scaling_extra(cases)
        if w == "sparse":
            entry["summary"] = sparse_extra(col, cases)
        if w == "laplacian":
            entry["checks"] = {c: {"max_rel_diff_vs_hessian": col.info[("tangent", c, "tangent")]["max_rel_diff_vs_hessian"]}
                               for c in cases if "max_rel_diff_vs_hessian" in col.info.get(("tangent", c, "tangent"), {})}
        if w == "vmap":
            entry["max_diff_vs_loop"] = {c: col.info.get(("tangent", c, "tangent"), {}).get("max_diff_vs_loop") for c in cases}
        if w == "models":
            entry["work"] = models_work(col, cases)
        results[w] = entry
        print_workload(w, entry)

    for s in servers.values():
        s.close()
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["targets"] = targets(results)
    results["elapsed_seconds"] = round(time.time() - started, 1)
    chart = os.path.join(os.path.dirname(args.out), "scaling.svg")
    wrote_chart = svg_chart(results, chart)
    if wrote_chart:
        results["scaling"]["chart"] = os.path.basename(chart)
    print_targets(results["targets"])
    for w in WORKLOADS:
        if "skipped" in results.get(w, {}):
            log(f"{w}: skipped ({results[w]['skipped']})")
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, args.out)
    log(f"\nbench: wrote {os.path.relpath(args.out)}" + (f" and {os.path.relpath(chart)}" if wrote_chart else "")
        + f" in {time.time() - started:.0f} s. Ratios are Tangent/peer: below 1 means Tangent is faster.")


SPARSE_HEADER = ["case", "colours T/asdex", "prepare T", "asdex", "T/asdex", "evaluation T", "asdex", "T/asdex",
                 "primal T", "eval/primal", "dense T", "dense/sparse", "dense JAX"]


def sparse_table(entry):
    """(title, rows, notes) of the sparse workload: one row per case."""
    rows = []
    for c, r in entry.get("summary", {}).items():
        cl = r["colors"]
        rows.append([c, f"{cl.get('tangent', '—')} / {cl.get('asdex', '—')}",
                     fmt_time(r["prepare"]["tangent"]), fmt_time(r["prepare"]["asdex"]), fmt_ratio(r["prepare_vs_asdex"]),
                     fmt_time(r["evaluation"]["tangent"]), fmt_time(r["evaluation"]["asdex"]), fmt_ratio(r["evaluation_vs_asdex"]),
                     fmt_time(r["primal"]["tangent"]), fmt_ratio(r["evaluation_over_primal"]),
                     fmt_time(r["dense"]["tangent"]), fmt_ratio(r["speedup_over_dense"]), fmt_time(r["dense"]["jax"])])
    notes = ["prepare = sparsity detection + colouring; asdex: its first call on the function (after asdex's own one-off "
             "costs are paid on a small function), as a user pays it once",
             "Tangent's prepare, detection alone: " + ", ".join(
                 f"{c} {fmt_time(r['prepare'].get('tangent_detection'))}" for c, r in entry.get("summary", {}).items()),
             "asdex repeated on the same function (JAX's tracing caches warm): " + ", ".join(
                 f"{c} {fmt_time(r['prepare']['asdex_repeated'])} (T/that {fmt_ratio(r['prepare_vs_asdex_repeated'])})"
                 for c, r in entry.get("summary", {}).items()),
             "evaluation: Tangent's prepared sparse Jacobian/Hessian (a SparseMatrix) against asdex's jitted one (a BCOO); "
             "dense/sparse = Tangent's dense jacfwd/hessian time over its sparse evaluation",
             "PyTorch has no sparse Jacobians or Hessians: not in this table"]
    if entry.get("errors"):
        notes.append("errors: " + json.dumps(entry["errors"], ensure_ascii=False))
    params = ", ".join(f"{k} {v}" for k, v in sorted(entry.get("parameters", {}).items()))
    return f"sparse: sparse Jacobians and Hessians against asdex 0.5.1 and dense JAX ({params})", rows, notes


def workload_table(w, entry):
    """(title, rows, notes) of one workload's table."""
    if w == "memory":
        return memory_table(entry)
    if w == "sparse":
        return sparse_table(entry)
    rows, notes = table_rows(entry["cases"])
    params = ", ".join(f"{k} {v}" for k, v in sorted(entry.get("parameters", {}).items()))
    if w == "scaling":
        for width, rs in entry.get("jvp_over_primal", {}).items():
            rows.append([f"w{width} jvp/primal", *(fmt_ratio(rs[i]) for i in IMPLS), "", ""])
    title = f"{w} ({params})" + (" — time per op" if w == "overhead" else "")
    if w in ("mlp", "mlp_f32"):
        notes.insert(0, "JAX has no dual-tensor API: `dual` is compared with PyTorch only.")
    if w == "models":
        for c, per in entry.get("work", {}).items():
            notes.append(f"{c} work: " + " · ".join(
                f"{LABEL[i]} " + ", ".join(f"{k.replace('_', ' ')} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in d.items())
                for i, d in per.items()))
    if w == "vmap":
        diffs = entry.get("max_diff_vs_loop", {})
        notes.insert(0, "Tangent's vmap results checked once against a loop over the batch, max |vmap − loop|: "
                     + ", ".join(f"{c} {'—' if d is None else f'{d:.1e}'}" for c, d in diffs.items()))
    if w == "laplacian":
        diffs = {c: r.get("max_rel_diff_vs_hessian") for c, r in entry.get("checks", {}).items()}
        notes.insert(0, "Tangent's exact operators checked once against Hessian traces, max relative difference: "
                     + ", ".join(f"{c} {'—' if d is None else f'{d:.1e}'}" for c, d in diffs.items()))
    if any(r[0].endswith(" ~") for r in rows):
        notes.append("~ marks cases whose round medians vary by more than 1.5× (a busy machine)")
    if entry.get("errors"):
        notes.append("errors: " + json.dumps(entry["errors"], ensure_ascii=False))
    return title, rows, notes


def models_work(col, cases):
    """Per models case and impl: the final loss and the work done (iterations, evaluations,
    Hessian-vector products), as each implementation reported them."""
    keys = ["first_loss", "final_loss", "iterations", "evaluations", "hvps", "stop"]
    out = {}
    for (impl, case, _), info in col.info.items():
        if case in cases:
            out.setdefault(case, {})[impl] = {k: info[k] for k in keys if k in info}
    return out


def print_workload(w, entry):
    title, rows, notes = workload_table(w, entry)
    print_table(title, SPARSE_HEADER if w == "sparse" else HEADER, rows, notes)


def run_memory_workload(args, servers, rounds, timing, env, wi, nw):
    """Each (impl, variant) in its own process, alternating, `rounds` times."""
    col = Collected()
    peaks, before, errors, params = {}, {}, {}, {}
    t0 = time.time()
    for r in range(rounds):
        log(f"[{wi + 1}/{nw}] memory · round {r + 1}/{rounds}:", end="")
        order = IMPLS[r % 3:] + IMPLS[:r % 3]
        for impl in order:
            if impl != "tangent" and servers[impl].error:
                continue
            for v in [None] if args.quick else MEMORY_VARIANTS:
                t1 = time.time()
                if impl == "tangent":
                    recs, _, err = run_tangent(args.tangent, "memory", timing, env, ["--variant", v] if v else [])
                else:
                    recs, err = run_peer_memory(args.python, impl, v, timing, env)
                if err:
                    errors[f"{impl}.{v or 'both'}"] = err
                for rec in recs:
                    if not rec.get("peak_reset", True):
                        errors[f"{impl}.{rec['case']}"] = "peak not reset (no /proc/self/clear_refs): figure is a process peak"
                    peaks.setdefault((impl, rec["case"]), []).append(rec["peak_delta"])
                    before.setdefault((impl, rec["case"]), []).append(rec["rss_before"])
                    params = rec.get("parameters", params)
                col.add(recs)
                log(f" {LABEL[impl]}{' ' + v if v else ''} {time.time() - t1:.1f} s ·", end="")
        log(f" {time.time() - t0:.0f} s")
    cases = summarize(col, IMPLS)
    peak = {v: {impl: median(peaks.get((impl, v), [])) for impl in IMPLS} for v in MEMORY_VARIANTS}
    base = {v: {impl: median(before.get((impl, v), [])) for impl in IMPLS} for v in MEMORY_VARIANTS}
    entry = {"parameters": params, "unit": "seconds; bytes", "cases": cases, "peak_delta_bytes": peak, "rss_before_bytes": base,
             "fwdrev_over_revrev_peak": {impl: ratio(peak["fwdrev"][impl], peak["revrev"][impl]) for impl in IMPLS},
             "method": ("one process per implementation (both variants, peak reset between)" if args.quick else
                        "one process per implementation and variant") + "; peak = VmHWM during one HVP (reset via /proc/self/clear_refs) minus VmRSS "
                       "just before it, after one primal evaluation and malloc_trim; MALLOC_MMAP_THRESHOLD_=65536"}
    if errors:
        entry["errors"] = errors
    return entry


def memory_table(entry):
    rows, notes = table_rows(entry["cases"])
    for r in rows:
        noisy = r[0].endswith(" ~")
        case = r[0][:-2] if noisy else r[0]
        r[0] = f"{MEMORY_LABEL.get(case, case)} time" + (" ~" if noisy else "")
    mb = lambda b: "—" if b is None else f"{b / 1e6:.1f} MB"
    for v in MEMORY_VARIANTS:
        p = entry["peak_delta_bytes"][v]
        rows.append([f"{MEMORY_LABEL[v]} peak", mb(p["tangent"]), mb(p["pytorch"]), mb(p["jax"]),
                     fmt_ratio(ratio(p["tangent"], p["pytorch"])), fmt_ratio(ratio(p["tangent"], p["jax"]))])
    fr = entry["fwdrev_over_revrev_peak"]
    rows.append(["peak fwd-over-rev / double bwd", *(fmt_ratio(fr[i]) for i in IMPLS), "", ""])
    params = ", ".join(f"{k} {v}" for k, v in sorted(entry["parameters"].items()))
    notes.append("peak = the rise of the resident set during one HVP (weights and inputs excluded)")
    if any(r[0].endswith(" ~") for r in rows):
        notes.append("~ marks cases whose round medians vary by more than 1.5× (a busy machine)")
    if entry.get("errors"):
        notes.append("errors: " + json.dumps(entry["errors"], ensure_ascii=False))
    return f"memory: HVP of a deep tanh MLP ({params})", rows, notes


def print_memory(entry):
    title, rows, notes = memory_table(entry)
    print_table(title, HEADER, rows, notes)


def markdown(results):
    """The tables of a results.json as Markdown (for bench/RESULTS.md and the README)."""
    m = results.get("machine", {})
    out = [f"Measured {results.get('date', '?')[:16].replace('T', ' ')} on {m.get('cpu')} ({results.get('cores')} cores, "
           f"load average {m.get('load_average', [0])[0]:.1f} at the start, {m.get('load_average_end', [0])[0]:.1f} at the end); "
           f"threads: {m.get('threads')}; {results.get('rounds')} rounds{', QUICK' if results.get('quick') else ''}. "
           f"Versions: " + ", ".join(f"{LABEL[p]} {v.get('version')}" for p, v in results.get("versions", {}).items()) + ".",
           "", "Ratios are Tangent / peer: below 1× Tangent is faster (or smaller).", ""]
    md_header = ["case", "Tangent", "PyTorch", "JAX", "Tangent/PyTorch", "Tangent/JAX"]
    for w in WORKLOADS:
        entry = results.get(w)
        if not entry:
            continue
        if "skipped" in entry:
            out += [f"**{w}**: skipped ({entry['skipped']}).", ""]
            continue
        title, rows, notes = workload_table(w, entry)
        header = SPARSE_HEADER if w == "sparse" else md_header
        out += [f"**{title}**", "", "| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
        out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
        out += [""] + [f"- {n}".replace("*", "\\*") for n in notes] + ["- \\* the variant compared (the fastest of the peer's primary variants)", ""]
    ts = results.get("targets", [])
    if ts:
        out += ["**Targets (issues 6, 11 and 13)**", ""] + [f"- {'met' if t['met'] else 'missed'}: {t['target']} — measured {fmt_measured(t['measured'])}" for t in ts] + [""]
    return "\n".join(out)


def print_targets(ts):
    if not ts:
        return
    log("\nTargets (issues 6, 11 and 13), this run:")
    for t in ts:
        log(f"  {'✓' if t['met'] else '✗'} {t['target']}: {fmt_measured(t['measured'])}")


def fmt_measured(x):
    """A target's measured value: two decimals, or three significant digits below 0.1."""
    return f"{x:.3g}" if abs(x) < 0.1 else f"{x:.2f}"


if __name__ == "__main__":
    main()
