/// A point or direction in parameter space for the second-order optimizers: the leaves of a
/// ``TensorTree`` as plain tensors, with the vector-space operations those algorithms need.
///
/// Internal and deliberately small: a public tree map will replace it.
struct LeafVector {
  var tensors: [Tensor]

  init(_ tensors: [Tensor]) { self.tensors = tensors }

  /// The leaves of `tree`, without autodiff state, contiguous (copied only when they are
  /// not), so that the operations below run as flat loops.
  init<T: TensorTree>(leavesOf tree: T) { tensors = tree.leaves.map(\.plainContiguous) }

  /// The tree of `template`'s structure holding these tensors.
  func tree<T: TensorTree>(like template: T) -> T { template.rebuilt(from: tensors) }

  /// Zeros of this vector's shapes and dtypes.
  var zeros: LeafVector { LeafVector(tensors.map { Tensor.zeros(like: $0) }) }

  // The operations run on the leaves' storage directly for float32 and float64 (the dtypes the
  // optimizers take): one flat loop per leaf instead of tensor ops, which matters because the
  // second-order optimizers run many of them on small vectors per iteration (L-BFGS's two-loop
  // recursion: four per stored pair). Other dtypes (complex residuals of a least-squares
  // problem, say) fall back to tensor ops with the same formulas.

  static func + (a: LeafVector, b: LeafVector) -> LeafVector { a.combined(b, 1, 1) }
  static func - (a: LeafVector, b: LeafVector) -> LeafVector { a.combined(b, 1, -1) }
  static func * (s: Double, a: LeafVector) -> LeafVector { a.combined(nil, s, 0) }
  static prefix func - (a: LeafVector) -> LeafVector { a.combined(nil, -1, 0) }

  /// a + s·b.
  func adding(_ b: LeafVector, scaledBy s: Double) -> LeafVector { combined(b, 1, s) }

  /// Leafwise α·a + β·b (β·b omitted when `b` is nil), each term computed only when its
  /// factor is not 1: a + b, a − b, a + s·b, s·a and −a, rounded as the tensor ops would.
  private func combined(_ b: LeafVector?, _ alpha: Double, _ beta: Double) -> LeafVector {
    var out: [Tensor] = []
    out.reserveCapacity(tensors.count)
    for (i, x) in tensors.enumerated() {
      let y = b?.tensors[i]
      if let y { check(y.shape == x.shape && y.dtype == x.dtype, "LeafVector: leaves differ: \(x.dtype) \(x.shape) and \(y.dtype) \(y.shape)") }
      out.append(
        Self.visitReal(x.dtype, Combine(x: x, y: y, alpha: alpha, beta: beta)) ?? {
          let ax = alpha == 1 ? x : alpha == -1 ? -x : x * alpha
          return y.map { beta == 1 ? ax + $0 : beta == -1 ? ax - $0 : ax + $0 * beta } ?? ax
        }())
    }
    return LeafVector(out)
  }

  /// Runs `visitor` for a float32 or float64 leaf; `nil` for other dtypes (which take the
  /// tensor-op path).
  private static func visitReal<V: RealVisitor>(_ dtype: DType, _ visitor: V) -> V.Result? {
    dtype.isFloatingPoint && !dtype.isComplex ? dtype.visitReal(visitor, op: "LeafVector") : nil
  }

  /// α·x + β·y (β·y omitted when `y` is nil) as one flat loop.
  private struct Combine: RealVisitor {
    let x: Tensor, y: Tensor?
    let alpha, beta: Double
    func visit<T: RealScalar>(_: T.Type) -> Tensor {
      let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
      let n = x.count
      let px = UnsafePointer(x.pointer(as: T.self)), po = out.pointer(as: T.self)
      let a = T(alpha), b = T(beta)
      guard let y else {
        if alpha == -1 { for i in 0..<n { po[i] = -px[i] } } else { for i in 0..<n { po[i] = px[i] * a } }
        return out
      }
      let py = UnsafePointer(y.pointer(as: T.self))
      switch (alpha, beta) {
      case (1, 1): for i in 0..<n { po[i] = px[i] + py[i] }
      case (1, -1): for i in 0..<n { po[i] = px[i] - py[i] }
      case (1, _): for i in 0..<n { po[i] = px[i] + py[i] * b }
      default: for i in 0..<n { po[i] = px[i] * a + py[i] * b }
      }
      return out
    }
  }

  /// The inner product Σᵢ ⟨aᵢ, bᵢ⟩ over all elements (each leaf's sum in its dtype, eight
  /// partial sums combined at the end, like BLAS's dot).
  func dot(_ b: LeafVector) -> Double {
    var s = 0.0
    for (x, y) in zip(tensors, b.tensors) where x.count > 0 {
      let flat = x.dtype == y.dtype ? Self.visitReal(x.dtype, Dot(x: x, y: y)) : nil
      s += flat ?? x.reshaped([-1]).vdot(y.reshaped([-1])).scalar
    }
    return s
  }

  /// Σ xᵢyᵢ in the leaves' dtype, in eight lanes.
  private struct Dot: RealVisitor {
    let x, y: Tensor
    func visit<T: RealScalar>(_: T.Type) -> Double {
      check(x.count == y.count, "LeafVector: leaves differ: \(x.shape) and \(y.shape)")
      let n = x.count
      let px = UnsafePointer(x.pointer(as: T.self)), py = UnsafePointer(y.pointer(as: T.self))
      var lanes = SIMD8<T>()
      var i = 0
      while i + 8 <= n {
        lanes += load8(px + i) * load8(py + i)
        i += 8
      }
      var s = lanes.sum()
      while i < n {
        s += px[i] * py[i]
        i += 1
      }
      return Double(s)
    }
  }

  /// The Euclidean norm.
  var norm: Double { dot(self).squareRoot() }

  /// The largest absolute element (0 for no elements); NaN when an element is NaN.
  var maxAbs: Double {
    var m = 0.0
    for x in tensors where x.count > 0 {
      let v = Self.visitReal(x.dtype, ReduceAbs(x: x, max: true)) ?? x.abs().max().scalar
      if v.isNaN { return .nan }
      m = Swift.max(m, v)
    }
    return m
  }

  /// The sum of absolute elements.
  var l1Norm: Double {
    tensors.reduce(0) { s, x in
      s + (Self.visitReal(x.dtype, ReduceAbs(x: x, max: false)) ?? (x.count > 0 ? x.abs().sum().scalar : 0))
    }
  }

  /// The largest absolute element (NaN when one is NaN), or the sum of absolute elements.
  private struct ReduceAbs: RealVisitor {
    let x: Tensor
    let max: Bool
    func visit<T: RealScalar>(_: T.Type) -> Double {
      let p = UnsafePointer(x.pointer(as: T.self))
      var r: T = 0
      for i in 0..<x.count {
        let v = Swift.abs(p[i])
        if max {
          if v.isNaN { return .nan }
          r = Swift.max(r, v)
        } else {
          r += v
        }
      }
      return Double(r)
    }
  }

  /// The value of `f` and its gradient (by reverse mode) at `x`, a point of `template`'s
  /// structure.
  static func valueAndGradient<T: TensorTree>(
    of f: (T) throws -> Tensor, at x: LeafVector, like template: T
  ) rethrows -> (Double, LeafVector) {
    let (v, g) = try valueWithGradient(of: f, at: x.tree(like: template))
    return (v.scalar, LeafVector(leavesOf: g))
  }

  /// Whether every leaf is float32 (an objective of float32 parameters, whose values the line
  /// search compares at float32's resolution).
  var isSinglePrecision: Bool { !tensors.isEmpty && tensors.allSatisfy { $0.dtype == .float32 } }

  /// The number of scalars.
  var count: Int { tensors.reduce(0) { $0 + $1.count } }
}
