/// How an op's outputs depend on its inputs, declared by the op for sparsity detection
/// (``DifferentiableOp/sparsity``).
///
/// Detection propagates one set of input indices per tensor element through the ops of a
/// function (index-set propagation, as in SparseConnectivityTracer): the set of an output
/// element is the union of the sets of the input elements it depends on. Only floating inputs
/// and outputs take part: integer and boolean values carry no derivative.
///
/// The rules are structural: they hold for every input value, so the pattern they give is
/// global. ``SparsityDetection/local`` detection refines ``elementwise(_:)`` ops with the
/// op's partial derivatives at the point.
public enum SparsityRule: Sendable {
  /// Every floating output element depends on every element of every floating input: the
  /// conservative fallback for ops without a declaration (never wrong, possibly loose).
  case dense
  /// Every floating output element depends on every element of every floating input, declared:
  /// exact for full reductions such as a median, and not reported as a fallback.
  case allToAll(SparsityCurvature)
  /// Elementwise with broadcasting: output element `e` depends on the element of each floating
  /// input that broadcasts to `e`.
  case elementwise(SparsityCurvature)
  /// Pure data movement: every element of a floating output is a copy of one element of a
  /// floating input, or a constant (padding, a fill). Views, reshapes, transposes, slices,
  /// concatenation, gathers, scatters that overwrite. Detection finds the map by running the
  /// op's primal on inputs whose values encode their own indices, so the op declares nothing
  /// else. Linear: no Hessian pairs.
  case indexMap
  /// Linear with an adjoint that is pure data movement: every input element feeds at most one
  /// output element, and outputs add what reaches them (`scatter_add`, `index_add`, summing to a
  /// shape, folding patches). Detection runs the op's VJP rule on cotangents that encode their
  /// own indices and reads where each input element went.
  case adjointIndexMap
  /// Batched matrix functions (linear algebra): every output element depends on every element
  /// of each input's matrix in the same batch member. The batch dims are the inputs' dims
  /// before the last two, broadcast; each output starts with them.
  case batchedMatrices(SparsityCurvature)
  /// A reduction over `dims` of the first input (negative dims count from the end): output
  /// element `e` depends on the input elements that reduce into it. The output's rank tells
  /// whether the reduced dims were kept.
  case reduction(dims: [Int], SparsityCurvature)
  /// Each output element depends on the whole slice along `dims` of the first input at its
  /// position in the other dims (softmax, sorting, normalisation, FFTs); the outputs match the
  /// input in the other dims and may differ in `dims` (a real FFT halves its last dim).
  case slices(dims: [Int], SparsityCurvature)
  /// A scan along `dim` of the first input: output element `e` depends on the input elements up
  /// to `e` along `dim` (from the end when `reverse`).
  case scan(dim: Int, reverse: Bool, SparsityCurvature)
  /// The batched matrix product of two operands of rank ≥ 2 with broadcast batch dims:
  /// `y[…, i, j]` depends on `a[…, i, :]` and `b[…, :, j]`. Bilinear.
  case matmul
}

/// How an op's inputs meet at second order, for Hessian patterns
/// (``hessianSparsity(of:at:detection:)``).
public enum SparsityCurvature: Sendable {
  /// Linear (or piecewise linear, such as ReLU, whose second derivative is zero almost
  /// everywhere): no second-order interactions.
  case linear
  /// Linear in each input separately (a product `a·b`): inputs meet only across operands.
  case bilinear
  /// Any other function: all inputs of an output element may meet.
  case nonlinear
}

extension DifferentiableOp {
  public var sparsity: SparsityRule { .dense }
}

extension ElementwiseOp {
  /// Elementwise ops with one scalar derivative: ``SparsityRule/elementwise(_:)``, nonlinear.
  public var sparsity: SparsityRule { .elementwise(.nonlinear) }
}

extension ElementwiseBinaryOp {
  /// Binary elementwise ops from two partial derivatives: ``SparsityRule/elementwise(_:)``.
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
}

extension ElementwiseNaryOp {
  /// Elementwise ops of several tensors: ``SparsityRule/elementwise(_:)``.
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
}
