#!/usr/bin/env python3
"""Golden cases from PyTorch's own OpInfo sample inputs.

For every op in torch's OpInfo database (``op_db``) marked ``supports_forward_ad``, in float64
and complex128 where the op supports gradients in them, this takes each sample input of
``op.sample_inputs(device="cpu", dtype=..., requires_grad=True)`` and writes it as a golden case
in the format of ../shared/goldens/README.md: outputs, tangents, jvp, cotangents, vjp,
jvp_of_vjp, tangents2, jvp_of_jvp (computed with torch.func, falling back to
torch.autograd.forward_ad / torch.autograd.grad), and ``<field>_error`` where PyTorch cannot
compute a field. Samples whose arguments the format cannot express are skipped, and the reason
is counted in the summary.

Usage: opinfo_goldens.py [OUT_DIR]      (default .cache/opinfo-goldens)
       opinfo_goldens.py OUT_DIR --only exp,linalg.eigh    (a few ops, for debugging)

Needs torch==2.13.0+cpu, numpy and expecttest (torch's test helpers import it); `make opinfo`
creates that environment. Deterministic: every (op, variant, dtype) is seeded from its name.
"""
import argparse
import collections
import datetime
import functools
import inspect
import json
import math
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")

import torch  # noqa: E402

TORCH_VERSION = "2.13.0+cpu"

# Ops whose first argument the format's transforms cover (OpInfo's gradcheck wrapper).
WRAPPER_TRANSFORMS = {"gradcheck_wrapper_hermitian_input": "hermitian"}
# Wrappers that only post-process for gradcheck's sake and do not change the op's value where
# it is defined (masked outputs): the case records the op itself.
IGNORED_WRAPPERS = {"gradcheck_wrapper_masked_operation", "gradcheck_wrapper_masked_pointwise_operation"}

# How outputs are compared and differentiated (``process``), for ops with sign/phase freedom
# or outputs that are not differentiable values; other outputs are "id".
PROCESS = {
    "linalg.eigh": ["id", "abs"],
    "linalg.eig": ["id", "abs"],
    "linalg.qr": ["abs", "abs"],
    "qr": ["abs", "abs"],
    "linalg.svd": ["abs", "id", "abs"],
    "svd": ["abs", "id", "abs"],
    "svd_lowrank": ["abs", "id", "abs"],
    "pca_lowrank": ["abs", "id", "abs"],
    "linalg.lstsq": ["id", "drop", "drop", "drop"],
    "triangular_solve": ["id", "drop"],
    "linalg.lu_factor": ["id", "drop"],
    "linalg.lu_factor_ex": ["id", "drop", "drop"],
    "linalg.lu": ["drop", "id", "id"],
    "lu_unpack": ["drop", "id", "id"],
    "lu": ["id", "drop", "drop"],
    "linalg.ldl_factor": ["id", "drop"],
    "linalg.ldl_factor_ex": ["id", "drop", "drop"],
}

LINALG_CORE = {
    "cholesky", "cholesky_inverse", "cholesky_solve", "logdet", "lu", "lu_solve", "lu_unpack",
    "triangular_solve", "svd", "pinverse", "det", "inverse", "qr", "geqrf", "ormqr", "matrix_exp",
    "slogdet", "svd_lowrank", "pca_lowrank",
}


class Unexpressible(Exception):
    """The sample cannot be written in the golden format; the message is the skip reason."""


def family(name):
    if name.startswith("linalg.") or name in LINALG_CORE:
        return "linalg"
    if name.startswith("nn.functional."):
        return "nn"
    if name.startswith("fft."):
        return "fft"
    if name.startswith("special."):
        return "special"
    return "core"


def seed_of(*parts):
    return zlib.crc32("/".join(parts).encode()) & 0x7FFFFFFF


# ---------------------------------------------------------------- encoding

def _num(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def encode_tensor(t):
    if not isinstance(t, torch.Tensor):
        raise Unexpressible(f"non-tensor output {type(t).__name__}")
    if t.layout != torch.strided:
        raise Unexpressible(f"tensor layout {t.layout}")
    t = t.detach().resolve_conj().resolve_neg().contiguous()
    shape = list(t.shape)
    if t.dtype == torch.float64:
        return {"shape": shape, "dtype": "float64", "data": [_num(v) for v in t.reshape(-1).tolist()]}
    if t.dtype == torch.complex128:
        flat = t.reshape(-1)
        return {"shape": shape, "dtype": "complex128",
                "real": [_num(v) for v in flat.real.tolist()], "imag": [_num(v) for v in flat.imag.tolist()]}
    if t.dtype == torch.bool:
        return {"shape": shape, "dtype": "bool", "data": t.reshape(-1).tolist()}
    if t.dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        return {"shape": shape, "dtype": "int64", "data": t.reshape(-1).tolist()}
    raise Unexpressible(f"tensor dtype {str(t.dtype).replace('torch.', '')}")


def encode_value(v, where):
    """A plain JSON value (number, bool, string, null, nested lists of them)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v  # json writes NaN/Infinity tokens, which the runner reads
    if isinstance(v, (list, tuple, torch.Size)):
        if any(isinstance(x, torch.Tensor) for x in v):
            raise Unexpressible(f"{where}: a list mixing tensors and values")
        return [encode_value(x, where) for x in v]
    if isinstance(v, torch.dtype):
        raise Unexpressible(f"{where}: a dtype argument")
    if isinstance(v, complex):
        raise Unexpressible(f"{where}: a complex number argument")
    if isinstance(v, torch.Tensor):
        raise Unexpressible(f"{where}: a tensor keyword argument")
    raise Unexpressible(f"{where}: a {type(v).__name__} argument")


def is_diff(t):
    return isinstance(t, torch.Tensor) and (t.dtype.is_floating_point or t.dtype.is_complex)


# ---------------------------------------------------------------- one sample

def resolve(name):
    for base in (torch, torch.Tensor):
        obj = base
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None


RANDOM_OPS = {"bernoulli", "normal", "multinomial", "svd_lowrank", "pca_lowrank", "nn.functional.rrelu",
              "nn.functional.fractional_max_pool2d", "nn.functional.fractional_max_pool3d"}


def uses_rng(op):
    """Ops whose value depends on the RNG (OpInfo seeds them with wrapper_set_seed)."""
    if op.name in RANDOM_OPS or "dropout" in op.name:
        return True
    try:
        return "wrapper_set_seed" in inspect.getsource(op.op)
    except (TypeError, OSError):
        return False


def normalise_call(op, sample):
    """The call as PyTorch's public function takes it: (callable, positional list, kwargs)."""
    fn = op.op
    args = [sample.input] + list(sample.args)
    kwargs = dict(sample.kwargs)
    name, variant = op.name, op.variant_test_name
    if isinstance(fn, functools.partial):
        kwargs = {**fn.keywords, **kwargs}
        args = list(fn.args) + args
        fn = fn.func
    # OpInfo lambdas that reorder the public function's arguments.
    if name in ("polygamma", "special.polygamma"):
        if len(args) < 2:
            raise Unexpressible("polygamma sample without n")
        args = [args[1], args[0]] + args[2:]
        fn = resolve(name)
    elif name == "einsum":
        tensors, equation = args[0], args[1]
        args = [equation] + list(tensors)
        fn = torch.einsum
    elif name == "nn.functional.embedding":
        weight, idx = args[0], args[1]
        args = [idx, weight] + args[2:]
        fn = torch.nn.functional.embedding
    elif name == "where":
        x, cond, other = args[0], args[1], args[2]
        args = [cond, x, other]
        fn = torch.where
    elif name in ("linalg.lstsq", "linalg.pinv") and variant in ("grad_oriented", "singular"):
        raise Unexpressible("OpInfo variant composes the op with other ops")
    elif uses_rng(op):
        raise Unexpressible("random op (draws from the RNG)")
    elif name == "nn.functional.multi_head_attention_forward":
        raise Unexpressible("OpInfo wraps the op in a lambda with fixed arguments")
    elif op.gradcheck_wrapper.__name__ == "gradcheck_wrapper_triangular_input_real_positive_diagonal":
        raise Unexpressible("input transform (triangular, positive diagonal) not in the format")
    # Tensor keyword arguments become positional where the signature allows it.
    tensor_kws = [k for k, v in kwargs.items() if isinstance(v, torch.Tensor)
                  or (isinstance(v, (list, tuple)) and v and all(isinstance(x, torch.Tensor) for x in v))]
    if tensor_kws:
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            raise Unexpressible("tensor keyword argument (no signature to make it positional)")
        names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        last = max(names.index(k) if k in names else 10**6 for k in tensor_kws)
        if last >= 10**6:
            raise Unexpressible("tensor keyword argument not in the signature")
        for i in range(len(args), last + 1):
            p = params[i]
            if p.name in kwargs:
                args.append(kwargs.pop(p.name))
            elif p.default is inspect.Parameter.empty:
                raise Unexpressible("tensor keyword argument after a required one")
            else:
                args.append(p.default)
    return fn, args, kwargs


def encode_args(args):
    """JSON args, and a template: for each arg, ('t', tensor) / ('ts', [tensors]) / ('v', value)."""
    out, template = [], []
    for i, a in enumerate(args):
        if isinstance(a, torch.Tensor):
            out.append({"tensor": encode_tensor(a)})
            template.append(("t", a))
        elif isinstance(a, (list, tuple)) and a and all(isinstance(x, torch.Tensor) for x in a):
            out.append({"tensors": [encode_tensor(x) for x in a]})
            template.append(("ts", list(a)))
        else:
            out.append({"value": encode_value(a, f"argument {i}")})
            template.append(("v", a))
    return out, template


def flatten(y):
    if isinstance(y, torch.Tensor):
        return [y]
    if isinstance(y, (tuple, list)):
        return [t for x in y for t in flatten(x)]
    raise Unexpressible(f"non-tensor output {type(y).__name__}")


def hermitian(x):
    return (x + x.mH) / 2


class Case:
    def __init__(self, fn, template, kwargs, transform, process):
        self.fn, self.template, self.kwargs = fn, template, kwargs
        self.transform, self.process = transform, process
        self.inputs = []
        for kind, v in template:
            if kind == "t" and is_diff(v):
                self.inputs.append(v.detach().clone())
            elif kind == "ts":
                self.inputs += [x.detach().clone() for x in v if is_diff(x)]

    def raw(self, xs):
        it = iter(xs)
        built = []
        for kind, v in self.template:
            if kind == "t":
                built.append(next(it) if is_diff(v) else v.detach().clone())
            elif kind == "ts":
                built.append([next(it) if is_diff(x) else x.detach().clone() for x in v])
            else:
                built.append(v)
        if self.transform == "hermitian":
            built[0] = hermitian(built[0])
        return flatten(self.fn(*built, **self.kwargs))

    def kept(self, *xs):
        outs = self.raw(xs)
        result = []
        for i, y in enumerate(outs):
            p = self.process[i] if i < len(self.process) else "id"
            if p == "drop" or not is_diff(y):
                continue
            result.append(y.abs() if p == "abs" else y)
        return tuple(result)


def first_line(e):
    text = f"{type(e).__name__}: {e}"
    return text[:300]


def derivatives(case, gen):
    """Fills the derivative fields of one case (a dict)."""
    from torch.func import jvp, vjp
    import torch.autograd.forward_ad as fwAD

    xs = tuple(case.inputs)
    randn = lambda t: torch.randn(t.shape, dtype=t.dtype, generator=gen)
    tangents = tuple(randn(x) for x in xs)
    with torch.no_grad():
        kept = case.kept(*[x.clone() for x in xs])
    if not kept:
        raise Unexpressible("no floating output")
    cotangents = tuple(randn(y) for y in kept)
    tangents2 = tuple(randn(x) for x in xs)
    fields = {}

    def attempt(name, *ways):
        err = None
        for way in ways:
            try:
                fields[name] = [encode_tensor(t) for t in way()]
                return
            except Unexpressible:
                raise
            except Exception as e:  # noqa: BLE001 - PyTorch's own failure is the datum
                err = err or e
        fields[name + "_error"] = first_line(err)

    def jvp_classic():
        with fwAD.dual_level():
            duals = [fwAD.make_dual(x.clone(), t) for x, t in zip(xs, tangents)]
            outs = case.kept(*duals)
            return [fwAD.unpack_dual(y).tangent if fwAD.unpack_dual(y).tangent is not None
                    else torch.zeros_like(y) for y in outs]

    def vjp_classic():
        leaves = [x.clone().requires_grad_(True) for x in xs]
        outs = case.kept(*leaves)
        gs = torch.autograd.grad(outs, leaves, cotangents, allow_unused=True)
        return [g if g is not None else torch.zeros_like(x) for g, x in zip(gs, xs)]

    def jvp_of_vjp_classic():
        with fwAD.dual_level():
            leaves = [fwAD.make_dual(x.clone(), t).requires_grad_(True) for x, t in zip(xs, tangents)]
            outs = case.kept(*leaves)
            gs = torch.autograd.grad(outs, leaves, cotangents, allow_unused=True, create_graph=True)
            return [fwAD.unpack_dual(g).tangent if g is not None and fwAD.unpack_dual(g).tangent is not None
                    else torch.zeros_like(x) for g, x in zip(gs, xs)]

    attempt("jvp", lambda: jvp(case.kept, xs, tangents)[1], jvp_classic)
    fields["cotangents"] = [encode_tensor(c) for c in cotangents]
    attempt("vjp", lambda: vjp(case.kept, *xs)[1](cotangents), vjp_classic)
    attempt("jvp_of_vjp", lambda: jvp(lambda *x: vjp(case.kept, *x)[1](cotangents), xs, tangents)[1],
            jvp_of_vjp_classic)
    fields["tangents2"] = [encode_tensor(t) for t in tangents2]
    attempt("jvp_of_jvp", lambda: jvp(lambda *x: jvp(case.kept, x, tangents)[1], xs, tangents2)[1])
    return [encode_tensor(t) for t in tangents], fields


def same(a, b):
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if (x.dtype.is_floating_point or x.dtype.is_complex):
            if not torch.allclose(x, y, equal_nan=True, rtol=1e-12, atol=0):
                return False
        elif not torch.equal(x, y):
            return False
    return True


def make_case(op, sample, dtype, gen, seed):
    fn, args, kwargs = normalise_call(op, sample)
    wrapper = op.gradcheck_wrapper.__name__
    transform = WRAPPER_TRANSFORMS.get(wrapper)
    json_args, template = encode_args(args)
    json_kwargs = {k: encode_value(v, f"keyword {k}") for k, v in kwargs.items()}
    case = Case(fn, template, kwargs, transform, PROCESS.get(op.name, []))
    if not case.inputs:
        raise Unexpressible("no floating input tensor")
    with torch.no_grad():
        torch.manual_seed(seed)
        outs = case.raw([x.clone() for x in case.inputs])
        torch.manual_seed(seed + 1)
        again = case.raw([x.clone() for x in case.inputs])
    if not same(outs, again):
        raise Unexpressible("random op (outputs differ between seeds)")
    process = [PROCESS.get(op.name, [])[i] if i < len(PROCESS.get(op.name, [])) else "id" for i in range(len(outs))]
    case.process = process
    result = {"op": op.name, "args": json_args, "kwargs": json_kwargs,
              "dtype": str(dtype).replace("torch.", "")}
    if transform:
        result["transform"] = transform
    result["outputs"] = [encode_tensor(t) for t in outs]
    result["process"] = process
    tangents, fields = derivatives(case, gen)
    result["tangents"] = tangents
    result.update(fields)
    order = ["op", "args", "kwargs", "dtype", "transform", "outputs", "process", "tangents", "jvp", "jvp_error",
             "cotangents", "vjp", "vjp_error", "jvp_of_vjp", "jvp_of_vjp_error", "tangents2", "jvp_of_jvp",
             "jvp_of_jvp_error"]
    return {k: result[k] for k in order if k in result}


# ---------------------------------------------------------------- driver

OPS = []


def generate_op(index, parts):
    """The cases and skip reasons of OPS[index], cached in PARTS/<index>.json (a rerun resumes)."""
    op = OPS[index]
    path = os.path.join(parts, f"{index:03d}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    label = op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")
    result = {"name": op.name, "label": label, "variant": op.variant_test_name, "cases": [],
              "skipped": collections.Counter(), "dtypes": []}
    for dtype in (torch.float64, torch.complex128):
        if dtype not in op.supported_backward_dtypes("cpu"):
            continue
        result["dtypes"].append(str(dtype))
        seed = seed_of(label, str(dtype))
        torch.manual_seed(seed)
        try:
            samples = list(op.sample_inputs("cpu", dtype, requires_grad=True))
        except Exception as e:  # noqa: BLE001
            result["skipped"][f"sample_inputs raised {type(e).__name__}"] += 1
            continue
        gen = torch.Generator().manual_seed(seed)
        for sample in samples:
            try:
                torch.manual_seed(seed)
                result["cases"].append(make_case(op, sample, dtype, gen, seed))
            except Unexpressible as e:
                result["skipped"][str(e)] += 1
            except Exception as e:  # noqa: BLE001 - PyTorch fails on its own sample
                result["skipped"][f"PyTorch raises on the sample ({type(e).__name__})"] += 1
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, path)
    return result


def _worker(args):
    return generate_op(*args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=".cache/opinfo-goldens")
    parser.add_argument("--only", help="comma-separated OpInfo names")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (ops are independent)")
    parser.add_argument("--reverse-from", type=int, default=None, metavar="N",
                        help="only generate ops N... (into OUT/.parts), last first, and write no files: a helper "
                             "process that meets a running forward one in the middle")
    parser.add_argument("--upto", type=int, default=None, metavar="M", help="with --reverse-from: ops N..<M")
    parser.add_argument("--assemble", action="store_true",
                        help="write the files from the ops already generated (in OUT/.parts), generate nothing")
    a = parser.parse_args()
    if torch.__version__ != TORCH_VERSION:
        sys.exit(f"opinfo_goldens: needs torch {TORCH_VERSION}, found {torch.__version__}")
    from torch.testing._internal.common_methods_invocations import op_db

    torch.use_deterministic_algorithms(True, warn_only=True)
    only = set(a.only.split(",")) if a.only else None
    OPS.extend(o for o in op_db if o.supports_forward_ad and (only is None or o.name in only))
    ops = OPS
    parts = os.path.join(a.out, ".parts" if only is None else ".parts-only")
    os.makedirs(parts, exist_ok=True)
    work = [(i, parts) for i in range(len(ops))]
    missing = []
    if a.reverse_from is not None:
        import multiprocessing
        todo = [w for w in reversed(work[a.reverse_from:a.upto])]
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            for n, r in enumerate(pool.imap_unordered(_worker, todo, chunksize=1)):
                print(f"\r{n + 1}/{len(todo)} {r['label']:40}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        return
    if a.assemble:
        missing = [ops[i].name for i, _ in work if not os.path.exists(os.path.join(parts, f"{i:03d}.json"))]
        work = [w for w in work if os.path.exists(os.path.join(parts, f"{w[0]:03d}.json"))]
        a.jobs = 1
    if a.jobs > 1:
        import multiprocessing
        pool = multiprocessing.get_context("fork").Pool(a.jobs)
        results = pool.imap(_worker, work, chunksize=1)
    else:
        results = map(_worker, work)
    files = collections.defaultdict(list)
    skipped = collections.Counter()
    skipped_ops = collections.defaultdict(collections.Counter)
    variants = {}
    counters = collections.Counter()
    no_dtype = []
    for n, r in enumerate(results):
        if not r["dtypes"]:
            no_dtype.append(r["label"])
        for reason, k in r["skipped"].items():
            skipped[reason] += k
            skipped_ops[r["label"]][reason] += k
        for c in r["cases"]:
            cid = f"{r['name']}#{counters[r['name']]}"
            counters[r["name"]] += 1
            if r["variant"]:
                variants[cid] = r["variant"]
            files[family(r["name"])].append({"id": cid, **c})
        print(f"\r{n + 1}/{len(ops)} {r['label']:40}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if a.jobs > 1:
        pool.close()

    os.makedirs(a.out, exist_ok=True)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    total = sum(len(v) for v in files.values())
    for fam in ("core", "linalg", "nn", "fft", "special"):
        cases = files.get(fam, [])
        meta = {"source": f"torch {torch.__version__}, CPU, OpInfo op_db sample inputs (supports_forward_ad), "
                          f"float64/complex128, seeds from crc32(op.variant/dtype)",
                "generator": "scripts/opinfo_goldens.py", "date": date, "cases": len(cases),
                "variants": {c["id"]: variants[c["id"]] for c in cases if c["id"] in variants}}
        with open(os.path.join(a.out, f"{fam}.json"), "w") as f:
            json.dump({"meta": meta, "cases": cases}, f)
    summary = {"torch": torch.__version__, "date": date, "ops": len(ops),
               "ops_with_cases": len(counters), "cases": total,
               "cases_by_family": {k: len(v) for k, v in sorted(files.items())},
               "skipped": dict(skipped.most_common()), "skipped_total": sum(skipped.values()),
               "skipped_by_op": {k: dict(v) for k, v in sorted(skipped_ops.items())},
               "ops_without_float64_or_complex128_grad": no_dtype,
               "ops_not_generated": missing}
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        json.dump(summary, f, indent=1)
    if missing:
        print(f"opinfo goldens: --assemble: {len(missing)} OpInfo entries not generated yet")
    print(f"opinfo goldens: {len(ops)} OpInfo entries (supports_forward_ad), {len(counters)} ops with cases, "
          f"{total} cases -> {a.out}")
    for fam, v in sorted(files.items()):
        print(f"  {fam:8} {len(v)} cases")
    print(f"skipped {sum(skipped.values())} samples:")
    for reason, k in skipped.most_common():
        print(f"  {k:5}  {reason}")
    errors = collections.Counter(k for v in files.values() for c in v for k in c if k.endswith("_error"))
    if errors:
        print("fields PyTorch cannot compute: " + ", ".join(f"{k} {n}" for k, n in errors.most_common()))


if __name__ == "__main__":
    main()
