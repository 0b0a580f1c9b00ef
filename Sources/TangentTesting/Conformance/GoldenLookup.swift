import Tangent

extension ConformanceRunner {
  /// The record that runs a golden case: the op database's record for the case's PyTorch name,
  /// or for the OpInfo variant that the name and its arguments select. PyTorch's OpInfo
  /// database splits some functions into variants (`meshgrid.list_of_tensors`,
  /// `scatter_reduce.sum`, `nn.functional.feature_alpha_dropout.with_train`) while a golden
  /// case may name the function itself. `scatter_reduce` picks its variant by its `reduce`
  /// argument; any other name picks the record of its variants (their adapters read the
  /// arguments that tell the variants apart).
  public static func goldenRecord(for json: JSONValue) -> OpInfo? {
    guard let op = json["op"]?.string else { return nil }
    if let record = OpDatabase.record(torchName: op) { return record }
    if op == "scatter_reduce" {
      // scatter_reduce(input, dim, index, src, reduce, *, include_self=True)
      let args = json["args"]?.array ?? []
      let reduce = args.count > 4 ? args[4]["value"]?.string : json["kwargs"]?["reduce"]?.string
      return reduce.flatMap { OpDatabase.record(torchName: "scatter_reduce.\($0)") }
    }
    return recordsByVariantBase[op]
  }

  /// The record of each OpInfo name's base (the name before a final `.variant`), for the bases
  /// that have no record of their own and whose variants all share one record.
  static let recordsByVariantBase: [String: OpInfo] = {
    var byBase: [String: [OpInfo]] = [:]
    for record in OpDatabase.all {
      for name in record.torchNames {
        guard let dot = name.lastIndex(of: ".") else { continue }
        let base = String(name[..<dot])
        if OpDatabase.record(torchName: base) == nil { byBase[base, default: []].append(record) }
      }
    }
    return byBase.compactMapValues { records in
      Set(records.map(\.name)).count == 1 ? records[0] : nil
    }
  }()

  /// The documented PyTorch deviation for a record's golden field, if any: the record's own
  /// (``OpInfo/goldenDeviations``), else one from ``goldenDeviations``.
  static func deviation(of record: OpInfo, _ field: String) -> String? {
    record.goldenDeviations[field] ?? goldenDeviations[record.name]?[field]
  }

  /// Golden fields where PyTorch's own value is wrong, found on PyTorch's OpInfo sample inputs,
  /// by Tangent record name and field. As for the records' own lists, a field listed here is
  /// never passed on trust: when Tangent disagrees with PyTorch, the runner checks Tangent
  /// against central finite differences and reports a deviation only when they agree.
  ///
  /// The ops built on an LU factorisation were audited for the error `solve` has (PyTorch's
  /// forward rules of `linalg.solve`, `det` and `slogdet` read the saved LU factors as
  /// constants, so their second forward derivative misses the factors' own derivative):
  /// `tensorsolve` and `solve_ex` call the same rule and inherit it. `inv` and `inv_ex` (whose
  /// rule is written with the output, −A⁻¹·dA·A⁻¹), `tensorinv`, `matrix_power`, `cond`, `pinv`
  /// and `lu_solve` (whose LU is an input) do not: their PyTorch goldens in
  /// `../shared/goldens/linalg.json` pass forward-over-forward without a listed deviation.
  public static let goldenDeviations: [String: [String: String]] = [
    "Linalg.tensorsolve": ["jvp_of_jvp": lu + " (through linalg.solve)"],
    "Linalg.solveEx": ["jvp_of_jvp": lu],
    "cumprod": [
      "jvp_of_jvp": "torch 2.13's second forward derivative of cumprod is wrong at exact zeros of the input"
    ],
    "NN.nllLoss": [
      "jvp": nllWeight, "jvp_of_jvp": nllWeight,
    ],
    // OpInfo's `cross_entropy#16` and `#18` (class indices with a weight): torch's JVP is the
    // same with and without the weight's tangent, and finite differences agree with Tangent.
    "NN.crossEntropy": [
      "jvp": nllWeight + " (cross_entropy with class indices is nll_loss of log_softmax)",
      "jvp_of_jvp": nllWeight + " (cross_entropy with class indices is nll_loss of log_softmax)",
    ],
    "NN.maxUnpool2d": ["jvp": unpoolDuplicates],
    "asStridedScatter": [
      "vjp": stridedScatter, "jvp_of_vjp": stridedScatter,
    ],
    "Linalg.norm": ["jvp_of_jvp": emptyNorm],
    "logCumSumExp": [
      "jvp": cumulativeLogSumExp, "jvp_of_jvp": cumulativeLogSumExp, "jvp_of_vjp": cumulativeLogSumExp,
    ],
  ]
  static let lu = "torch 2.13's forward rule treats its LU factors as constants, dropping d(A⁻¹)"
  static let nllWeight = "torch 2.13's nll_loss drops the tangent of its class weights"
  /// OpInfo's `max_unpool2d#131`: index 18 appears twice in a plane (overlapping pooling
  /// windows with equal values). torch's output keeps the last writer's value; the golden JVP
  /// took the first writer's tangent (torch documents duplicate indices as nondeterministic;
  /// `torch.func.jvp` in the same venv gives Tangent's value).
  static let unpoolDuplicates =
    "torch 2.13 writes duplicate unpooling indices in an unspecified order, so its JVP can take another writer's tangent than its output's value"
  static let stridedScatter =
    "torch 2.13's as_strided_scatter gives a nonzero gradient to input elements that src fully overwrites"
  /// OpInfo's `linalg.norm` cases on an empty vector with ord ½ (#29, #36, #131, #138, #230,
  /// #236, #306, #312).
  static let emptyNorm =
    "torch 2.13's second forward derivative of the norm of an empty vector (ord < 1) is NaN; the norm of no elements is the constant 0"
  /// On OpInfo's `logcumsumexp#1` (entries of 10⁴), torch's forward-over-reverse is off by
  /// up to 1.1·10⁻⁶ where Tangent's agrees with a 50-digit evaluation of
  /// Σᵢ≥ⱼ uᵢ·e^(xⱼ − yᵢ)·(vⱼ − ẏᵢ) to rounding (scripts/logcumsumexp_reference.py).
  static let cumulativeLogSumExp =
    "torch 2.13's logcumsumexp loses precision at large inputs (the exact first term of its JVP is the tangent's)"
}
