#!/usr/bin/env python3
"""Runs `tangent conformance` on the OpInfo goldens one op at a time and writes a triage report.

Each op's cases go to their own folder and run in their own process, so a case that stops the
process (a failed check, a crash) costs only that op; the op's cases are then run one by one to
find which crash and to count the rest. The report gives, per op, how many cases pass, fail,
are unsupported or crash, and for failures and crashes the first error line, grouped by kind.

Usage: opinfo_triage.py [GOLDENS_DIR] [--tangent PATH] [--report docs/opinfo-triage.md]
                        [--jobs N] [--timeout SECONDS] [--only op1,op2]
"""
import argparse
import collections
import concurrent.futures
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAMILIES = ("core", "linalg", "nn", "fft", "special")
KINDS = ["crash", "wrong value", "missing argument", "complex unsupported", "unsupported op",
         "other error"]
SKIP_MARKERS = ("no Tangent op", "unsupported argument:", "unsupported op:", "unsupported mode for")


def run_cases(tangent, cases, family, timeout, workdir):
    """Runs `tangent conformance --verbose` on cases; returns (returncode, stdout, stderr)."""
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(workdir, f"{family}.json"), "w") as f:
        json.dump({"meta": {}, "cases": cases}, f)
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    try:
        p = subprocess.run([tangent, "conformance", workdir, "--verbose"], capture_output=True, text=True,
                           timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return "timeout", out, f"timed out after {timeout} s"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def crash_line(stderr, rc):
    """The first line that says why the process stopped."""
    if rc == "timeout":
        return f"timeout: {stderr}"
    for line in stderr.splitlines():
        line = line.strip().lstrip("\r")
        if "Fatal error" in line or "error:" in line.lower() or "Precondition" in line:
            return re.sub(r"^.*?(Fatal error)", r"\1", line)[:240]
    tail = [l.strip() for l in stderr.replace("\r", "\n").splitlines() if l.strip()]
    return (tail[-1] if tail else f"exit status {rc}")[:240]


def parse_messages(stdout):
    """Maps case id -> list of (field or None, message) from a verbose run."""
    out = collections.defaultdict(list)
    for line in stdout.splitlines():
        m = re.match(r"^  (\S+#\d+)( (\w+))?: (.*)$", line)
        if m:
            out[m.group(1)].append((m.group(3), m.group(4)))
    return out


def is_mismatch(msg):
    return bool(re.search(r"entry \d+: .*, expected|shape \[.*\], expected|tensors, expected|dtype \w+, expected"
                          r"|finite differences disagree", msg))


def classify(case, messages):
    """(status, kind, first message) for one case from the runner's messages."""
    present = [f for f in ("outputs", "jvp", "vjp", "jvp_of_vjp", "jvp_of_jvp") if f in case]
    failures, skipped_fields, case_skip, deviations = [], set(), None, []
    for field, msg in messages:
        if "PyTorch deviates" in msg:
            deviations.append(f"{field}: {msg}" if field else msg)
            continue
        if any(s in msg for s in SKIP_MARKERS):
            if field is None:
                case_skip = case_skip or msg
            else:
                skipped_fields.add(field)
            continue
        failures.append((field, msg))
    if failures:
        field, msg = failures[0]
        text = f"{field}: {msg}" if field else msg
        if is_mismatch(msg):
            kind = "wrong value"
        elif case.get("dtype") == "complex128" and ("complex" in msg.lower() or "dtype" in msg.lower()):
            kind = "complex unsupported"
        elif "outputs, the case lists" in msg:
            kind = "missing argument"
        else:
            kind = "other error"
        return "fail", kind, text
    if case_skip or (present and skipped_fields >= set(present)):
        msg = case_skip or next(m for f, m in messages if f is not None)
        if "no Tangent op" in msg or "unsupported op:" in msg:
            kind = "unsupported op"
        elif case.get("dtype") == "complex128" and "complex" in msg.lower():
            kind = "complex unsupported"
        else:
            kind = "missing argument"
        return "unsupported", kind, msg
    # A pass through a listed PyTorch deviation (Tangent matched finite differences there).
    return ("pass", "deviation", deviations[0]) if deviations else ("pass", None, None)


def triage_op(tangent, op, family, cases, timeout, tmp):
    """Per-case results [(id, status, kind, message)] for one op."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", op)
    rc, out, err = run_cases(tangent, cases, family, timeout, os.path.join(tmp, safe))
    if rc in (0, 1) and re.search(r"^conformance: \d+ passed", out, re.M):
        msgs = parse_messages(out)
        return [(c["id"], *classify(c, msgs.get(c["id"], []))) for c in cases]
    # The process stopped: run the cases one by one.
    results = []
    for i, c in enumerate(cases):
        rc, out, err = run_cases(tangent, [c], family, timeout, os.path.join(tmp, f"{safe}-{i}"))
        if rc in (0, 1) and re.search(r"^conformance: \d+ passed", out, re.M):
            results.append((c["id"], *classify(c, parse_messages(out).get(c["id"], []))))
        else:
            results.append((c["id"], "crash", "crash", crash_line(err, rc)))
    return results


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("goldens", nargs="?", default=".cache/opinfo-goldens")
    ap.add_argument("--tangent", default=".build/debug/tangent")
    ap.add_argument("--report", default="docs/opinfo-triage.md")
    ap.add_argument("--json", default=None, help="also write per-case results here")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--only", help="comma-separated op names")
    ap.add_argument("--deadline", type=float, default=None,
                    help="minutes after which no new op is started; the report lists the ops left out")
    ap.add_argument("--cache", default=None,
                    help="per-op results kept here and reused while an op's cases are unchanged")
    a = ap.parse_args()

    by_op = collections.OrderedDict()
    meta = {}
    for fam in FAMILIES:
        path = os.path.join(a.goldens, f"{fam}.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            d = json.load(f)
        meta[fam] = d.get("meta", {})
        for c in d["cases"]:
            by_op.setdefault((c["op"], fam), []).append(c)
    if a.only:
        keep = set(a.only.split(","))
        by_op = collections.OrderedDict((k, v) for k, v in by_op.items() if k[0] in keep)
    summary = {}
    spath = os.path.join(a.goldens, "summary.txt")
    if os.path.exists(spath):
        with open(spath) as f:
            summary = json.load(f)

    tmp = tempfile.mkdtemp(prefix="opinfo-triage-")
    results = {}
    cache = {}
    if a.cache and os.path.exists(a.cache):
        with open(a.cache) as f:
            cache = json.load(f)
    digest = {k: hashlib.sha1(json.dumps(v, sort_keys=True).encode()).hexdigest() for k, v in by_op.items()}
    for k in by_op:
        hit = cache.get(f"{k[0]}|{k[1]}")
        if hit and hit["digest"] == digest[k]:
            results[k] = [tuple(r) for r in hit["results"]]
    import time
    stop = time.time() + 60 * a.deadline if a.deadline else None

    def job(op, fam, cases):
        if stop and time.time() > stop:
            return None
        return triage_op(a.tangent, op, fam, cases, a.timeout, tmp)

    pending = sorted(((k, v) for k, v in by_op.items() if k not in results), key=lambda kv: len(kv[1]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(job, op, fam, cases): (op, fam) for (op, fam), cases in pending}
        for n, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            key = futures[fut]
            if fut.result() is None:
                continue
            results[key] = fut.result()
            cache[f"{key[0]}|{key[1]}"] = {"digest": digest[key], "results": results[key]}
            if a.cache and n % 10 == 0:
                with open(a.cache, "w") as f:
                    json.dump(cache, f)
            print(f"\r{n}/{len(futures)} {key[0]:40}", end="", file=sys.stderr, flush=True)
    if a.cache:
        with open(a.cache, "w") as f:
            json.dump(cache, f)
    print(file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)

    if a.json:
        with open(a.json, "w") as f:
            json.dump({f"{op}": r for (op, fam), r in results.items()}, f, indent=0)
    write_report(a, results, by_op, meta, summary)


def write_report(a, results, by_op, meta, summary):
    left = sorted(k for k in by_op if k not in results)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    totals = collections.Counter()
    kinds = collections.Counter()
    rows = []
    grouped = collections.defaultdict(list)  # kind -> [(op, count, example id, message)]
    deviating = []  # (op, count, example id, message) of passes through a listed deviation
    for (op, fam) in sorted(results, key=lambda k: (k[1], k[0])):
        res = results[(op, fam)]
        counts = collections.Counter(r[1] for r in res)
        totals.update(counts)
        first = next((r for r in res if r[1] in ("crash", "fail")), None)
        rows.append((fam, op, len(res), counts, first))
        per_kind = collections.defaultdict(list)
        for cid, status, kind, msg in res:
            if status in ("crash", "fail", "unsupported"):
                per_kind[kind].append((cid, msg))
                kinds[kind] += 1
        for kind, items in per_kind.items():
            grouped[kind].append((op, len(items), items[0][0], items[0][1]))
        dev = [(cid, msg) for cid, status, kind, msg in res if status == "pass" and kind == "deviation"]
        if dev:
            deviating.append((op, len(dev), dev[0][0], dev[0][1]))
    n = sum(totals.values())
    torch_version = summary.get("torch") or next(iter(meta.values()), {}).get("source", "?")
    lines = [
        "# OpInfo triage: Tangent on PyTorch's own OpInfo sample inputs",
        "",
        f"Generated {date} by `make opinfo` (scripts/opinfo_goldens.py, then scripts/opinfo_triage.py)"
        f" with torch {torch_version}, Tangent's debug `tangent conformance`, one process per op.",
        "",
        "The cases are the sample inputs of every OpInfo entry in `op_db` marked `supports_forward_ad`,"
        " in float64 and complex128 where the entry supports gradients in them, written in the format"
        " of ../shared/goldens (outputs, JVP, VJP, forward-over-reverse, forward-over-forward). The data"
        " is not committed; `make opinfo` regenerates it in .cache/opinfo-goldens.",
        "",
        "A case *passes* when no field fails (fields Tangent does not support, such as a mode the op"
        " declares unsupported, are skipped; documented PyTorch deviations verified by finite"
        " differences count as passing). It is *unsupported* when Tangent lacks the op, the argument"
        " form or every field's mode. It *crashes* when it stops the conformance process (found by"
        " rerunning the op's cases one per process).",
        "",
        "Known limits of the cases themselves (check these before fixing Tangent):",
        "",
        "- Non-finite numbers in arguments (`ord=inf`) are written as JSON `Infinity`, which the runner"
        " parses (Python's token) and the adapters read as numbers (GoldenCall.number).",
        "- Every floating tensor argument is a differentiable input (the format's rule): quantile's `q`,"
        " nll_loss's `weight`, batch norm's running statistics. PyTorch differentiates `q` (so does"
        " Tangent); it refuses or drops the others (see *Fields PyTorch cannot compute*, and the listed"
        " deviations of nll_loss and cross_entropy).",
        "- Batch and instance norm in training mode update their running statistics in place in PyTorch;"
        " no output reads them, so the adapters run Tangent's explicit update (`NN.batchNorm`'s `inout`"
        " form) and compare the outputs.",
        "- Outputs with a sign/phase freedom are compared through `abs` (eig, eigh, qr, svd). The extra"
        " columns of a full SVD's U and V (past min(m, n)) are any orthonormal basis of the complement,"
        " which LAPACK drivers choose differently, so the runner compares the first min(m, n) singular"
        " vectors and checks that the full factor is unitary (ConformanceRunner+SVDBasis.swift).",
        "- PyTorch deviations listed in Tangent's op database (GoldenLookup.swift and the records'"
        " `deviating` lists) count as passing only where Tangent matches central finite differences.",
        "- Keyword-only tensor arguments (the `mask=` of every `masked.*` op, cov's weights) cannot be"
        " expressed (kwargs are plain JSON values), so those samples are skipped; so are ops that draw"
        " from the RNG.",
        "- `max_pool2d_with_indices_backward` and the `_`-prefixed entries are internal ATen ops that"
        " OpInfo tests; a missing Tangent op there is not a user-facing gap.",
        "",
        "## Totals",
        "",
        f"- OpInfo entries with `supports_forward_ad`: {summary.get('ops', '?')}; ops with cases:"
        f" {summary.get('ops_with_cases', len({k[0] for k in results}))}",
        f"- cases run: **{n}** of {sum(len(v) for v in by_op.values())} generated — passed **{totals['pass']}** ({100 * totals['pass'] / max(n, 1):.1f}%),"
        f" failed **{totals['fail']}**, unsupported **{totals['unsupported']}**, crashed **{totals['crash']}**",
        f"- pass rate among supported cases (pass / (pass + fail + crash)):"
        f" {100 * totals['pass'] / max(totals['pass'] + totals['fail'] + totals['crash'], 1):.1f}%",
        "- failing, unsupported and crashing cases by kind: "
        + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]),
    ]
    if summary:
        lines += ["", "Samples not written as cases (the golden format cannot express them), by reason:", ""]
        lines += [f"- {k}: {v}" for k, v in summary.get("skipped", {}).items()]
        lines += ["", f"({summary.get('skipped_total', 0)} samples in all;"
                      " the per-op counts are in .cache/opinfo-goldens/summary.txt.)"]
    lines += ["", "## By kind", "",
              "Each line: op — cases of that kind — first case id — its first error line.", ""]
    for kind in KINDS:
        items = grouped.get(kind)
        if not items:
            continue
        lines += [f"### {kind} ({sum(i[1] for i in items)} cases, {len(items)} ops)", ""]
        for op, count, cid, msg in sorted(items, key=lambda i: (-i[1], i[0])):
            lines.append(f"- `{op}` — {count} — `{cid}` — {md_escape(msg or '')[:300]}")
        lines.append("")
    if deviating:
        lines += [f"## Passing through a listed PyTorch deviation ({sum(d[1] for d in deviating)} cases, {len(deviating)} ops)", "",
                  "These cases pass only because a field where PyTorch's value is wrong is listed with its reason"
                  " (GoldenLookup.swift, the records' `deviating` lists) and Tangent matched central finite"
                  " differences there. Each line: op — cases — first case id — its first deviation.", ""]
        for op, count, cid, msg in sorted(deviating, key=lambda i: (-i[1], i[0])):
            lines.append(f"- `{op}` — {count} — `{cid}` — {md_escape(msg or '')[:300]}")
        lines.append("")
    if summary.get("skipped_by_op"):
        lines += ["## Samples skipped per OpInfo entry", "",
                  "Samples the golden format cannot express (scripts/opinfo_goldens.py), per entry"
                  " (`op.variant`).", ""]
        for label, reasons in summary["skipped_by_op"].items():
            lines.append(f"- `{label}`: " + "; ".join(f"{r} ({k})" for r, k in reasons.items()))
        lines.append("")
    if left:
        lines += ["## Not run", "",
                  f"{len(left)} ops ({sum(len(by_op[k]) for k in left)} cases) were not run before the"
                  " triage's deadline (`--deadline`); rerun `make opinfo-triage` for them: "
                  + ", ".join(f"`{k[0]}` ({len(by_op[k])})" for k in left), ""]
    if summary.get("ops_not_generated"):
        lines += ["## Not generated", "",
                  f"{len(summary['ops_not_generated'])} OpInfo entries had no cases generated when this"
                  " report was written (the generation was cut short; rerun `make opinfo-triage` after"
                  " scripts/opinfo_goldens.py completes): "
                  + ", ".join(f"`{o}`" for o in summary["ops_not_generated"]), ""]
    errs = collections.defaultdict(collections.Counter)
    for (op, fam), cases in by_op.items():
        for c in cases:
            for k, v in c.items():
                if k.endswith("_error"):
                    errs[op][(k[:-6], v.split("\n")[0][:160])] += 1
    if errs:
        lines += ["## Fields PyTorch cannot compute", "",
                  "These fields are absent from the cases (`<field>_error`), so only finite differences"
                  " can check Tangent there. PyTorch refuses derivatives with respect to some floating"
                  " arguments (loss weights, running statistics) that the format treats as inputs.", ""]
        for op in sorted(errs):
            for (field, msg), k in errs[op].most_common():
                lines.append(f"- `{op}` {field} ({k}): {md_escape(msg)}")
        lines.append("")
    lines += ["## Per op", "",
              "| family | op | cases | pass | fail | unsupported | crash | first failure or crash |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for fam, op, count, c, first in rows:
        note = f"`{first[0]}` {md_escape(first[3] or '')[:160]}" if first else ""
        lines.append(f"| {fam} | `{op}` | {count} | {c['pass']} | {c['fail']} | {c['unsupported']} | {c['crash']} | {note} |")
    lines.append("")
    os.makedirs(os.path.dirname(a.report) or ".", exist_ok=True)
    with open(a.report, "w") as f:
        f.write("\n".join(lines))
    print(f"opinfo triage: {n} cases: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['unsupported']} unsupported, {totals['crash']} crashed -> {a.report}")


if __name__ == "__main__":
    main()
