/// The plumbing shared by the first-order optimizers: checking a step's tensors, preparing
/// them for a fused update, and running a fused loop over their elements.
enum OptimizerUpdate {
  /// The parameter and gradient tensors of one step, checked against each other (count,
  /// shapes, dtypes) and made plain and contiguous.
  static func pairs<P: TensorTree>(_ parameters: P, _ gradient: P, op: String) -> [(parameter: Tensor, gradient: Tensor)] {
    let ps = parameters.leaves, gs = gradient.leaves
    check(ps.count == gs.count, "\(op): the gradient has \(gs.count) tensors but the parameters have \(ps.count)")
    return zip(ps, gs).enumerated().map { i, pair in
      let (p, g) = pair
      check(
        p.dtype == .float32 || p.dtype == .float64,
        "\(op): parameter \(i) has dtype \(p.dtype); optimizers update float32 or float64 tensors")
      check(g.dtype == p.dtype, "\(op): gradient \(i) has dtype \(g.dtype) but its parameter has \(p.dtype)")
      check(g.shape == p.shape, "\(op): gradient \(i) has shape \(g.shape) but its parameter has shape \(p.shape)")
      return (p.plainContiguous, g.plainContiguous)
    }
  }

  /// Checks that the state made at the first step (`shapes`, `dtypes`) fits this step's
  /// parameters.
  static func checkState(shapes: [[Int]], dtypes: [DType], against pairs: [(parameter: Tensor, gradient: Tensor)], op: String) {
    check(
      shapes.count == pairs.count,
      "\(op): the parameters have \(pairs.count) tensors but the optimizer's state was made for \(shapes.count); call resetState() to start over with new parameters")
    for (i, (s, d)) in zip(shapes, dtypes).enumerated() {
      let p = pairs[i].parameter
      check(
        s == p.shape && d == p.dtype,
        "\(op): parameter \(i) is \(p.dtype) \(p.shape) but the optimizer's state was made for \(d) \(s); call resetState() to start over with new parameters")
    }
  }

  /// `parameters` with its tensors replaced by `updated`. A tensor that was a leaf requiring
  /// a gradient (the imperative style, with ``Tensor/backward(seed:retainGraph:createGraph:)``)
  /// is replaced by a new such leaf, with no accumulated gradient.
  static func rebuilt<P: TensorTree>(_ parameters: P, with updated: [Tensor]) -> P {
    let old = parameters.leaves
    return parameters.rebuilt(from: zip(old, updated).map { p, u in p.requiresGrad && p.isLeaf ? u.requiringGrad() : u })
  }

  /// Runs `body` over the index range `0..<count` in chunks, on several threads for large
  /// tensors.
  @inline(__always)
  static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    if count == 0 { return }
    if count < Parallel.grain { body(0..<count) } else { Parallel.forChunks(count, body) }
  }
}

extension Tensor {
  /// This tensor's values, contiguous, without autodiff state (no copy when already so).
  var plainContiguous: Tensor {
    let d = detached
    return d.isContiguous ? d : d.contiguousValues()
  }

  /// Makes this tensor a plain, contiguous tensor whose storage nothing else references, so
  /// an update can write it in place; copies only when it is shared (copy-on-write) or laid
  /// out otherwise.
  mutating func makeUniqueForUpdate() {
    if autodiff != nil || offset != 0 || !hasRowMajorStrides || !isKnownUniquelyReferenced(&storage) {
      self = contiguousValues()
    }
  }

  /// A new, uninitialised tensor of this tensor's shape and dtype, for an update's output.
  var uninitializedCopyShape: Tensor { Tensor(uninitializedLike: self, dtype: dtype) }
}

/// Checks one hyperparameter of an optimizer: stops with a message naming the optimizer,
/// the hyperparameter, the rule and the value when `valid` is false.
func checkHyperparameter(_ valid: Bool, _ op: String, _ name: String, _ rule: String, _ value: some CustomStringConvertible) {
  check(valid, "\(op): \(name) must be \(rule), got \(value)")
}
