import Tangent

/// The sparsity-detection check of one op-database sample: the detected Jacobian (and Hessian)
/// pattern against the nonzeros of the true one at the sample's point.
public struct SparsityCheckResult: Sendable, CustomStringConvertible {
  /// The sample's label.
  public var label: String
  /// Nonzeros of the true Jacobian that the detected pattern misses (a bug when not empty).
  public var missedJacobian: [(row: Int, column: Int)] = []
  /// Nonzeros of the true Hessian (of a random linear functional of the outputs) that the
  /// detected Hessian pattern (global or local) misses; empty when the Hessian was not checked.
  public var missedHessian: [(row: Int, column: Int)] = []
  /// Nonzeros of the true Jacobian that the local pattern at the sample's point misses.
  public var missedLocal: [(row: Int, column: Int)] = []
  /// Nonzeros of the local pattern.
  public var detectedLocal = 0
  /// Detected and true Jacobian nonzeros.
  public var detected = 0, actual = 0
  /// Detected and true Hessian nonzeros (0 when not checked).
  public var detectedHessian = 0, actualHessian = 0
  /// Whether the Hessian was checked.
  public var checkedHessian = false
  /// The ops that used the dense fallback.
  public var fallbacks: [String] = []

  /// Whether no true nonzero was missed.
  public var isSound: Bool { missedJacobian.isEmpty && missedHessian.isEmpty && missedLocal.isEmpty }

  /// Detected ÷ true Jacobian nonzeros (1 when both are zero; infinite when only the true
  /// Jacobian is zero).
  public var tightness: Double {
    actual == 0 ? (detected == 0 ? 1 : .infinity) : Double(detected) / Double(actual)
  }

  public var description: String {
    var s = "\(label): detected \(detected) of \(actual) true Jacobian nonzeros"
    if !missedJacobian.isEmpty { s += ", MISSED \(missedJacobian.prefix(5).map { "(\($0.row), \($0.column))" })" }
    s += "; local \(detectedLocal)"
    if !missedLocal.isEmpty { s += ", MISSED \(missedLocal.prefix(5).map { "(\($0.row), \($0.column))" })" }
    if checkedHessian { s += "; Hessian \(detectedHessian) of \(actualHessian)" }
    if !missedHessian.isEmpty { s += ", MISSED \(missedHessian.prefix(5).map { "(\($0.row), \($0.column))" })" }
    if !fallbacks.isEmpty { s += "; dense fallback: \(fallbacks.joined(separator: ", "))" }
    return s
  }
}

extension OpInfo {
  /// Runs sparsity detection on every float64 sample of this record and compares the patterns
  /// (global, and local at the sample's point) with the true Jacobian (`jacfwd`) and, where the record supports forward-over-reverse, the
  /// true Hessian of a random linear functional of its outputs (`hessian`), at the sample's
  /// point. The floating inputs are flattened into one vector, and the floating outputs too.
  ///
  /// - Parameter rng: The generator of the samples and the functional's weights.
  /// - Returns: One result per sample (none when the record has no float64 forward mode).
  public func sparsityCheck(dtype: DType = .float64, rng: inout TestRandom) -> [SparsityCheckResult] {
    guard dtypes.contains(dtype), modes.contains(.forward) else { return [] }
    return samples(dtype, &rng).map { sample in
      let floating = sample.inputs.indices.filter { sample.inputs[$0].dtype.isFloatingPoint }
      let shapes = floating.map { sample.inputs[$0].shape }
      let counts = shapes.map { $0.reduce(1, *) }
      let x = floating.isEmpty
        ? Tensor.zeros([0], dtype: dtype) : Tensor.cat(floating.map { sample.inputs[$0].reshaped([-1]) }, dim: 0)
      let inputs = sample.inputs
      let call = sample.call
      let f = { @Sendable (v: Tensor) -> Tensor in
        var args = inputs
        var start = 0
        for (k, i) in floating.enumerated() {
          args[i] = v[start..<(start + counts[k])].reshaped(shapes[k])
          start += counts[k]
        }
        let outs = call(args).filter { $0.dtype.isFloatingPoint }.map { $0.reshaped([-1]) }
        return outs.isEmpty ? Tensor.zeros([0]) : Tensor.cat(outs, dim: 0)
      }
      var result = SparsityCheckResult(label: sample.label)
      let pattern = jacobianSparsity(of: f, at: x)
      result.fallbacks = sparsityFallbacks(of: f, at: x)
      let j = dtype.isComplex ? Self.realJacobianDependencies(f, at: x) : jacfwd(of: f, at: x)
      result.detected = pattern.nonzeroCount
      (result.actual, result.missedJacobian) = Self.compare(j, pattern)
      let local = jacobianSparsity(of: f, at: x, detection: .local)
      result.detectedLocal = local.nonzeroCount
      result.missedLocal = Self.compare(j, local).1
      let m = f(x).count
      if !dtype.isComplex, modes.contains(.forwardOverReverse), m > 0, x.count > 0 {
        let w = rng.tensor([m], dtype: .float64, in: 0.5...1.5)
        let g = { @Sendable (v: Tensor) -> Tensor in (f(v) * w).sum() }
        let h = hessian(of: g, at: x)
        let hp = hessianSparsity(of: g, at: x)
        result.checkedHessian = true
        result.detectedHessian = hp.nonzeroCount
        (result.actualHessian, result.missedHessian) = Self.compare(h, hp)
        result.missedHessian += Self.compare(h, hessianSparsity(of: g, at: x, detection: .local)).1
      }
      return result
    }
  }

  /// For a function of a complex vector: the `m × n` matrix whose entry `(i, j)` is nonzero
  /// when output `i` (either part) depends on input `j` (either part), from the real Jacobian
  /// of the function on the inputs' real and imaginary parts (so non-holomorphic functions,
  /// such as `abs` or `conj`, count every dependency).
  static func realJacobianDependencies(_ f: @escaping @Sendable (Tensor) -> Tensor, at x: Tensor) -> Tensor {
    let n = x.count
    let realified = { (v: Tensor) -> Tensor in
      let y = f(Tensor.complex(real: v[0..<n], imaginary: v[n..<(2 * n)]))
      return y.dtype.isComplex ? Tensor.cat([y.real, y.imag], dim: 0) : Tensor.cat([y, Tensor.zeros(like: y)], dim: 0)
    }
    let j = jacfwd(of: realified, at: Tensor.cat([x.real, x.imag], dim: 0)).abs()
    let m = j.shape[0] / 2
    let rows = j[0..<m] + j[m..<(2 * m)]
    return rows[0..., 0..<n] + rows[0..., n..<(2 * n)]
  }

  /// The nonzeros of a dense matrix, and those outside `pattern`.
  static func compare(_ matrix: Tensor, _ pattern: SparsityPattern) -> (Int, [(row: Int, column: Int)]) {
    guard matrix.rank == 2 else { return (0, []) }
    let v = matrix.complexDoubles, columns = matrix.shape[1]
    var count = 0
    var missed: [(row: Int, column: Int)] = []
    for i in 0..<matrix.shape[0] {
      for j in 0..<columns where v[i * columns + j] != .zero {
        count += 1
        if !pattern.contains(row: i, column: j) { missed.append((i, j)) }
      }
    }
    return (count, missed)
  }
}
