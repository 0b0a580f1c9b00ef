#!/usr/bin/env python3
"""Copies the OpInfo cases that issue 10's last fixes were checked on into opinfo/*.json.

Usage: Tests/Goldens/make-opinfo-fixtures.py [OPINFO_GOLDENS]   (default .cache/opinfo-goldens,
written by `make opinfo`)

Each case failed, or was unsupported, in the OpInfo triage before its fix (docs/opinfo-triage.md);
they are copied unchanged, so `swift test` runs them without the OpInfo data. Some pass only
through a listed PyTorch deviation (checked by finite differences): ConformanceRunnerTests names
those fields.
"""
import json
import os
import sys

CASES = {
    "core": ["quantile#37", "nanquantile#37", "istft#0", "diff#22", "__getitem__#1", "__getitem__#3",
             "masked.var#14", "masked.std#14", "masked.logsumexp#20", "masked.normalize#30",
             "native_batch_norm#9", "_native_batch_norm_legit#9", "max_pool2d_with_indices_backward#0"],
    "linalg": ["linalg.svd#40", "svd#44"],
    "nn": ["nn.functional.pad#169", "nn.functional.cross_entropy#16", "nn.functional.max_unpool2d#131",
           "nn.functional.rms_norm#6", "nn.functional.batch_norm#0", "nn.functional.instance_norm#0"],
}


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else ".cache/opinfo-goldens"
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "opinfo")
    os.makedirs(out, exist_ok=True)
    for family, ids in CASES.items():
        with open(os.path.join(src, f"{family}.json")) as f:
            data = json.load(f)
        by_id = {c["id"]: c for c in data["cases"]}
        missing = [i for i in ids if i not in by_id]
        if missing:
            sys.exit(f"{family}: no case {missing} in {src}")
        meta = dict(data.get("meta", {}), note="OpInfo cases of issue 10's last fixes (make-opinfo-fixtures.py)")
        with open(os.path.join(out, f"{family}.json"), "w") as f:
            json.dump({"meta": meta, "cases": [by_id[i] for i in ids]}, f, separators=(",", ":"), allow_nan=True)
            f.write("\n")
        print(f"{family}: {len(ids)} cases")


if __name__ == "__main__":
    main()
