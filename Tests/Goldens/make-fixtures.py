#!/usr/bin/env python3
"""Writes the conformance runner's test fixtures from PyTorch's golden files.

Usage: Tests/Goldens/make-fixtures.py [GOLDENS]   (default ../shared/goldens)

- pytorch/*.json: a few real cases per family, copied unchanged (the golden adapters run on
  them in `swift test` even when GOLDENS is absent).
- robustness/cases.json: real cases broken on purpose, one fault each; the id names the fault.
- robustness/files/*.json: faults of a whole file.
- crash/*.json: a case that trips an op's misuse check between two good cases, and a second
  file that reuses an id (a duplicate across files).
"""
import copy, json, os, sys

root = os.path.dirname(os.path.abspath(__file__))
goldens = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "..", "..", "shared", "goldens")
load = lambda f: json.load(open(os.path.join(goldens, f + ".json")))
core = load("core")
meta = core["meta"]
case = lambda i: copy.deepcopy(next(c for c in core["cases"] if c["id"] == i))
size = lambda c: len(json.dumps(c))

# Real cases: for each family, a few chosen ops (one complex case, one with keywords), then the
# smallest cases of other ops, nine at most.
want = {"core": ["mul", "sum", "cat", "where", "matmul"],
        "linalg": ["linalg.solve", "linalg.eigh", "linalg.det", "linalg.lu_solve", "linalg.svd"],
        "nn": ["nn.functional.conv1d", "nn.functional.layer_norm", "nn.functional.softmax",
               "nn.functional.cross_entropy", "nn.functional.max_pool2d"],
        "fft": [], "special": []}
os.makedirs(os.path.join(root, "pytorch"), exist_ok=True)
for family, ops in want.items():
    cases = load(family)["cases"]
    chosen = [min((c for c in cases if c["op"] == op), key=size) for op in ops]
    for pick in (lambda c: c["dtype"] == "complex128", lambda c: bool(c.get("kwargs"))):
        rest = sorted((c for c in cases if pick(c) and c not in chosen), key=size)
        chosen += rest[:1]
    seen = {c["op"] for c in chosen}
    for c in sorted(cases, key=size):
        if len(chosen) >= 9: break
        if c["op"] not in seen: chosen.append(c); seen.add(c["op"])
    chosen.sort(key=cases.index)
    json.dump({"meta": meta, "cases": chosen}, open(os.path.join(root, "pytorch", family + ".json"), "w"))

def tensor(shape, data):
    return {"dtype": "float64", "shape": shape, "data": data}

cases = []
def add(id, c):
    c["id"] = id
    cases.append(c)

cases.append(42)                                      # not an object
c = case("log#24"); del c["cotangents"]; add("missing-cotangents#0", c)
c = case("log#24"); del c["tangents"]; add("missing-tangents#0", c)
c = case("log#24"); c["jvp"] = 5; add("field-not-a-list#0", c)
c = case("log#24"); c["args"][0]["tensor"]["dtype"] = "float128"; add("unknown-dtype#0", c)
c = case("log#24"); c["args"][0]["tensor"]["data"].pop(); add("wrong-data-length#0", c)
c = case("log#24"); c["args"].append({"weight": 2}); add("bad-argument#0", c)
c = case("log#24"); c["outputs"][0]["data"].pop(); add("bad-expected-value#0", c)
add("duplicate#0", case("log#24"))
add("duplicate#0", case("log#24"))
c = case("mul#120")                                   # [3, 4] * [4] → [3, 4] * [5]
c["args"][1]["tensor"] = tensor([5], [0.5] * 5)
c["tangents"][1] = tensor([5], [0.1] * 5); c["tangents2"][1] = tensor([5], [0.1] * 5)
add("no-broadcast#0", c)
c = case("mul#120"); c["tangents"][1] = tensor([3], [0.1] * 3); add("tangent-shape#0", c)
c = case("mul#120"); c["cotangents"][0] = tensor([4, 3], [0.1] * 12); add("cotangent-shape#0", c)
c = case("mul#120"); c["tangents2"].pop(); add("tangents2-short#0", c)
c = case("log#24"); c["args"][0]["tensor"] = tensor([4294967296, 4294967296], []); add("shape-overflow#0", c)
c = case("reshape#193"); c["args"][1]["value"] = 1e300; add("huge-integer#0", c)
c = case("reshape#193"); c["process"] = ["sqrt"]; add("bad-process#0", c)
c = case("cumprod#171"); c["args"][1] = {"tensor": {"dtype": "int64", "shape": [], "data": [1e300]}}; add("int-out-of-range#0", c)
c = case("log#24"); c["args"].append({"value": True}); add("ignored-positional#0", c)
conv = copy.deepcopy(min((c for c in load("nn")["cases"] if c["op"] == "nn.functional.conv1d"), key=size))
conv["args"] = conv["args"][:3]; conv["kwargs"] = {"padding": "circular"}
add("conv1d-padding-unknown#0", conv)
# Expected non-finite values: log(-1) = NaN, log(0) = -inf.
def log_case(id, x, y):
    add(id, {"op": "log", "args": [{"tensor": tensor([len(x)], x)}], "kwargs": {}, "dtype": "float64",
             "outputs": [tensor([len(y)], y)], "process": ["id"]})
log_case("nan-matches-nan#0", [-1.0, 1.0], ["NaN", 0.0])
log_case("nan-expected-finite-given#0", [2.0, 1.0], ["NaN", 0.0])
log_case("infinity-matches-infinity#0", [0.0, 1.0], ["-Infinity", 0.0])
log_case("wrong-infinity#0", [0.0, 1.0], ["Infinity", 0.0])
log_case("infinity-expected-finite-given#0", [3.0, 1.0], ["-Infinity", 0.0])
# Deviations: cumprod's jvp_of_jvp is a listed PyTorch deviation (checked by finite
# differences); its jvp is not.
c = case("cumprod#171"); c["jvp_of_jvp"][0]["data"][0] += 1; add("listed-deviation#0", c)
c = case("cumprod#171"); c["jvp"][0]["data"][0] += 1; add("unlisted-deviation#0", c)
os.makedirs(os.path.join(root, "robustness", "files"), exist_ok=True)
json.dump({"meta": meta, "cases": cases}, open(os.path.join(root, "robustness", "cases.json"), "w"), indent=0)

files = os.path.join(root, "robustness", "files")
text = json.dumps({"meta": {"note": "NaN and -Infinity in a string, and \"NaN\" quoted"}, "cases": [case("log#24")]})
open(os.path.join(files, "meta-nan.json"), "w").write(text)
open(os.path.join(files, "truncated.json"), "w").write(text[: len(text) // 2])
json.dump({"meta": meta}, open(os.path.join(files, "no-cases.json"), "w"))

crash = case("reshape#193"); crash["id"] = "reshape-to-wrong-count#0"; crash["args"][1]["value"] = [5]
json.dump({"meta": meta, "cases": [case("log#24"), crash, case("mul#120")]},
          open(os.path.join(root, "crash", "a.json"), "w"))
json.dump({"meta": meta, "cases": [case("log#24"), case("add#113")]}, open(os.path.join(root, "crash", "b.json"), "w"))
