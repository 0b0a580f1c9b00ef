import Tangent

extension ConformanceRunner {
  /// The record that runs a golden case: the op database's record for the case's PyTorch name,
  /// or for the OpInfo variant that the name and its arguments select. PyTorch's OpInfo
  /// database splits some functions into variants (`meshgrid.list_of_tensors`,
  /// `scatter_reduce.sum`) while a golden case may name the function itself (`meshgrid`,
  /// `scatter_reduce`, with the reduction as an argument).
  public static func goldenRecord(for json: JSONValue) -> OpInfo? {
    guard let op = json["op"]?.string else { return nil }
    if let record = OpDatabase.record(torchName: op) { return record }
    switch op {
    case "meshgrid":
      // The adapter reads the tensors positionally, listed or variadic.
      return OpDatabase.record(torchName: "meshgrid.variadic_tensors")
    case "scatter_reduce":
      // scatter_reduce(input, dim, index, src, reduce, *, include_self=True)
      let args = json["args"]?.array ?? []
      let reduce = args.count > 4 ? args[4]["value"]?.string : json["kwargs"]?["reduce"]?.string
      guard let reduce else { return nil }
      return OpDatabase.record(torchName: "scatter_reduce.\(reduce)")
    default:
      return nil
    }
  }

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
  /// `tensorsolve` and `solve_ex` call the same rule and inherit it; `inv` (whose rule is
  /// written with its output, −A⁻¹·dA·A⁻¹), `tensorinv`, `matrix_power` with a negative
  /// exponent, `cond` and `lu_solve` (whose LU is an input) do not.
  public static let goldenDeviations: [String: [String: String]] = [
    "Linalg.tensorsolve": ["jvp_of_jvp": lu + " (through linalg.solve)"],
    "Linalg.solveEx": ["jvp_of_jvp": lu],
    "cumprod": [
      "jvp_of_jvp": "torch 2.13's second forward derivative of cumprod is wrong at exact zeros of the input"
    ],
    "NN.nllLoss": [
      "jvp": nllWeight, "jvp_of_jvp": nllWeight,
    ],
    "asStridedScatter": [
      "vjp": stridedScatter, "jvp_of_vjp": stridedScatter,
    ],
    "logCumSumExp": [
      "jvp": cumulativeLogSumExp, "jvp_of_jvp": cumulativeLogSumExp,
    ],
  ]
  static let lu = "torch 2.13's forward rule treats its LU factors as constants, dropping d(A⁻¹)"
  static let nllWeight = "torch 2.13's nll_loss drops the tangent of its class weights"
  static let stridedScatter =
    "torch 2.13's as_strided_scatter gives a nonzero gradient to input elements that src fully overwrites"
  static let cumulativeLogSumExp =
    "torch 2.13's logcumsumexp loses precision at large inputs (the exact first term of its JVP is the tangent's)"
}
