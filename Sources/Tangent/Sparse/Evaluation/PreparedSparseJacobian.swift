/// A sparse Jacobian prepared once and evaluated at many points: the pattern (detected or
/// given), its colouring and the seed tensors of the compressed passes, kept together with the
/// function, like DifferentiationInterface's `prepare_jacobian` in Julia.
///
/// Preparation finds the pattern of `J = ∂f/∂x` with ``jacobianSparsity(of:at:detection:)``
/// (unless you give one), colours it, and builds one seed tensor per pass. Each evaluation then
/// pushes the seeds through `f`:
/// - **column colours** (forward): `B = J S_c` by chunked JVPs, `⌈colours ÷ chunkSize⌉` passes
///   (one pass with every colour when `chunkSize` is `nil`);
/// - **row colours** (reverse): `B = S_rᵀ J` by one recorded evaluation of `f` and chunked VJP
///   pullbacks, `⌈colours ÷ chunkSize⌉` backward passes;
/// - **bidirectional**: both, each nonzero read from whichever side the colouring chose;
///
/// and gathers the nonzeros of `J` from the products into a ``SparseMatrix``. A function with
/// `m` outputs, `n` inputs and a handful of nonzeros per row and column costs a handful of
/// JVPs, not `n` (``jacfwd(of:at:chunkSize:)->Tensor``) or `m` (``jacrev(of:at:chunkSize:)->Tensor``).
///
/// ```swift
/// // A tridiagonal map: 3 colours, so one JVP with 3 directions, whatever n is.
/// let f = { (u: Tensor) -> Tensor in
///   let n = u.shape[0]
///   let left = u[0..<(n - 2)], middle = u[1..<(n - 1)], right = u[2..<n]
///   return left - 2 * middle + right + middle * middle
/// }
/// let x = Tensor.randn([1000], dtype: .float64)
/// let prepared = PreparedSparseJacobian(of: f, at: x)
/// print(prepared.colorCount)  // 3
/// for _ in 0..<10 {
///   let j: SparseMatrix<Double> = prepared.jacobian(at: x)  // 998 × 1000, 2994 nonzeros
///   // ... factor with try SuperLUFactorization(j), solve, update x ...
/// }
/// ```
///
/// **The pattern must be valid wherever you evaluate.** A global detected pattern holds at
/// every point. A pattern you give, or one from local detection
/// (`pattern: jacobianSparsity(of: f, at: x, detection: .local)`), must contain every nonzero
/// of `J` at each point you evaluate: an entry outside it is not computed, and the entries of
/// its row (or column) that share its colour come out wrong.
///
/// **Complex dtypes.** The result follows ``jacfwd(of:at:chunkSize:)->Tensor``: column `j` of `J` is the
/// JVP along the real unit vector `e_j`, which for a holomorphic `f` is `∂f/∂z_j`. The forward
/// (column) path gives exactly this for every function. The reverse path reads `J` from VJPs,
/// whose complex convention is PyTorch's (the conjugate Wirtinger derivative), conjugating them;
/// that equals `jacfwd` only for holomorphic `f`. So for complex inputs
/// ``ColoringProblem/jacobian`` always picks column colours; ask for ``ColoringProblem/row`` or
/// ``ColoringProblem/bidirectional`` only for holomorphic functions.
///
/// The result holds values, not derivatives: it is not differentiable by outer transforms, and a
/// point (or a tensor `f` captures) that carries their derivatives stops with a message rather
/// than losing them silently.
public struct PreparedSparseJacobian {
  /// The pattern of the Jacobian: `f(x).count` rows, `x.count` columns, both in row-major order.
  public let pattern: SparsityPattern
  /// The colouring of ``pattern``: its seeds and its recovery plan.
  public let coloring: ColoringResult
  /// The shape of the points, as prepared.
  public let inputShape: [Int]
  /// The shape of `f`'s output.
  public let outputShape: [Int]
  /// The dtype of the points and of `f`'s output.
  public let dtype: DType
  /// The function.
  let function: (Tensor) -> Tensor
  /// The seeds of the forward (column-colour) and reverse (row-colour) passes.
  let forwardSeeds: CompressedSeeds
  let reverseSeeds: CompressedSeeds
  /// Where each nonzero is read.
  let recovery: CompressedRecovery
  /// The shape of each pass's products, fixed when prepared: `[K] + outputShape` for the
  /// forward passes, then `[K] + inputShape` for the reverse ones.
  let productShapes: [[Int]]
  /// The name in messages (`PreparedSparseJacobian`, or `sparseJacobian`).
  let name: String
  /// The replay plan, recorded and checked at the first evaluation.
  let replayCache: SparseReplayCache

  /// Whether evaluations replay a recorded plan (with no autodiff state), and why not; see
  /// ``init(of:at:pattern:coloring:algorithm:chunkSize:replay:)``.
  public var replayStatus: SparseReplayStatus { replayCache.status }

  /// The number of colours, forward plus reverse: the number of directions pushed or pulled
  /// per evaluation.
  public var colorCount: Int { coloring.colorCount }
  /// The number of chunked JVP passes per evaluation (each evaluates `f` on dual tensors).
  public var forwardPassCount: Int { forwardSeeds.count }
  /// The number of chunked VJP passes per evaluation (after one recorded evaluation of `f`,
  /// when positive).
  public var reversePassCount: Int { reverseSeeds.count }

  /// Prepares the sparse Jacobian of `f` around `x`: detects the pattern (unless `pattern` is
  /// given), colours it and builds the seeds.
  ///
  /// - Parameters:
  ///   - f: The function, from a floating tensor to a tensor of the same dtype. It is kept
  ///     and called by every ``jacobian(at:as:)``.
  ///   - x: A point: it fixes the shapes and the dtype (and is where detection runs).
  ///   - pattern: The Jacobian's pattern, `f(x).count × x.count`; by default
  ///     ``jacobianSparsity(of:at:detection:)`` with global detection.
  ///   - coloring: ``ColoringProblem/jacobian`` (column or row colours, whichever needs fewer;
  ///     always column for complex dtypes), ``ColoringProblem/column``, ``ColoringProblem/row``
  ///     or ``ColoringProblem/bidirectional`` (for a Jacobian with dense rows *and* dense
  ///     columns, such as an arrowhead).
  ///   - algorithm: The greedy vertex orders to try; by default smallest-last alone, which
  ///     found as few colours as the best of several orders on every benchmark problem, at a
  ///     fraction of the cost. ``GreedyColoring/bestOf(_:)`` tries several and keeps the
  ///     fewest colours (the colours set the cost of every evaluation).
  ///   - chunkSize: Directions per pass; by default every colour in one pass.
  ///   - replay: Whether evaluations replay a recorded plan: the first ``jacobian(at:as:)`` records
  ///     the computations the engine performs on plain tensors, checks the plan against the
  ///     engine at its point and at a second point (bit for bit), and later evaluations re-run
  ///     just those computations, with no duals, tape or contexts. A function the recording
  ///     cannot follow (a read of a traced value, random numbers, a kernel called outside an
  ///     op) keeps the engine; ``replayStatus`` says which and why. `false` always uses the engine.
  /// - Precondition: `x` is floating; `f(x)` has `x`'s dtype; `pattern` (when given) is
  ///   `f(x).count × x.count`; `coloring` is a Jacobian problem; `chunkSize` is positive.
  /// - Complexity: one detection, one evaluation of `f`, and the colouring.
  public init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern? = nil,
    coloring: ColoringProblem = .jacobian,
    algorithm: GreedyColoring = GreedyColoring(),
    chunkSize: Int? = nil,
    replay: Bool = true
  ) {
    self.init(of: f, at: x, pattern: pattern, coloring: coloring, algorithm: algorithm, chunkSize: chunkSize,
              replay: replay, name: "PreparedSparseJacobian")
  }

  /// The body of the public initialiser; `name` names the caller in messages.
  init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern?, coloring problem: ColoringProblem,
    algorithm: GreedyColoring, chunkSize: Int?, replay: Bool = true, name: String
  ) {
    check(x.dtype.isFloatingPoint, "\(name): the point holds \(x.dtype); a Jacobian needs a floating dtype (float32, float64, complex64 or complex128)")
    check(chunkSize == nil || chunkSize! > 0, "\(name): chunkSize must be positive, got \(chunkSize ?? 0)")
    check(
      problem != .star && problem != .acyclic,
      "\(name): .\(problem) colours a symmetric Hessian; a Jacobian takes .jacobian, .column, .row or .bidirectional (use PreparedSparseHessian for Hessians)")
    // Detection evaluates f on the way; a given pattern needs one evaluation for the shapes.
    let (pattern, y) = pattern.map { ($0, f(x)) } ?? jacobianSparsityAndOutput(of: f, at: x)
    check(
      y.dtype == x.dtype,
      "\(name): f maps \(x.dtype) to \(y.dtype); a sparse Jacobian needs the output in the input's dtype")
    check(
      pattern.rows == y.count && pattern.columns == x.count,
      "\(name): the pattern is \(pattern.rows) × \(pattern.columns), but f maps \(x.count) elements (shape \(x.shape)) to \(y.count) (shape \(y.shape)), so the Jacobian is \(y.count) × \(x.count)")
    // The reverse path is exact for complex dtypes only when f is holomorphic; the default stays forward.
    let resolved = problem == .jacobian && x.dtype.isComplex ? .column : problem
    let result = pattern.coloring(resolved, algorithm: algorithm)
    self.pattern = pattern
    self.coloring = result
    inputShape = x.shape
    outputShape = y.shape
    dtype = x.dtype
    function = f
    self.name = name
    replayCache = SparseReplayCache(enabled: replay)
    forwardSeeds = CompressedSeeds(
      colors: result.columnColors, colorCount: result.columnColorCount, chunkSize: chunkSize, shape: x.shape, dtype: x.dtype)
    reverseSeeds = CompressedSeeds(
      colors: result.rowColors, colorCount: result.rowColorCount, chunkSize: chunkSize, shape: y.shape, dtype: x.dtype)
    productShapes = forwardSeeds.tensors.map { [$0.shape[0]] + y.shape } + reverseSeeds.tensors.map { [$0.shape[0]] + x.shape }
    recovery = CompressedRecovery(result, forwardSeeds: forwardSeeds, reverseSeeds: reverseSeeds, op: name)
  }

  /// The Jacobian of the prepared function at `x`, on ``pattern``.
  ///
  /// Runs ``forwardPassCount`` chunked JVPs and, when the colouring has row colours, one
  /// recorded evaluation with ``reversePassCount`` chunked pullbacks; then gathers the nonzeros.
  ///
  /// - Parameters:
  ///   - x: The point, of the prepared shape and dtype.
  ///   - scalarType: The Swift type of the dtype (`Double.self` for float64,
  ///     `Complex<Double>.self` for complex128), for when the context does not fix it.
  /// - Returns: `J = ∂f/∂x` at `x`: row `i` is output element `i`, column `j` input element `j`
  ///   (row-major), with a value at every position of ``pattern``.
  /// - Precondition: `x` has ``inputShape`` and ``dtype``; `Scalar` is ``dtype``'s type; `f`
  ///   returns ``outputShape`` at `x`.
  /// - Complexity: ``forwardPassCount`` evaluations of `f` on dual tensors carrying up to
  ///   `chunkSize` directions, plus ``reversePassCount`` backward passes, plus O(nonzeros).
  public func jacobian<Scalar: FloatingScalar>(at x: Tensor, as scalarType: Scalar.Type = Scalar.self) -> SparseMatrix<Scalar> {
    let op = name == "PreparedSparseJacobian" ? "PreparedSparseJacobian.jacobian(at:)" : name
    check(x.shape == inputShape, "\(op): the point has shape \(x.shape), but the Jacobian was prepared for shape \(inputShape)")
    check(x.dtype == dtype, "\(op): the point holds \(x.dtype), but the Jacobian was prepared for \(dtype)")
    check(
      Scalar.dtype == dtype,
      "\(op): SparseMatrix<\(Scalar.self)> holds \(Scalar.dtype), but the Jacobian is \(dtype); ask for its Swift type")
    checkNoDerivatives(x, op)
    let nnz = pattern.nonzeroCount
    let forwardCount = forwardSeeds.count
    let products = replayCache.products(at: x, expected: productShapes) { x in self.products(at: x, op) }
    let values = [Scalar](unsafeUninitializedCapacity: nnz) { buffer, initialized in
      // The colouring is valid (checked when prepared), so the passes write every nonzero.
      guard let out = buffer.baseAddress else { return }
      for pass in 0..<forwardCount {
        CompressedRecovery.apply(recovery.forward[pass], from: products[pass], into: out)
      }
      for pass in 0..<reverseSeeds.count {
        // VJPs of complex functions are conjugate (PyTorch's convention): J's rows are their conjugates.
        CompressedRecovery.apply(recovery.reverse[pass], from: products[forwardCount + pass], into: out, conjugate: dtype.isComplex)
      }
      initialized = nnz
    }
    return SparseMatrix(pattern: pattern, values: values)
  }

  /// The compressed products at `x` by the engine: each forward pass's JVPs (`[K] + outputShape`),
  /// then each reverse pass's VJPs (`[K] + inputShape`), checked.
  private func products(at x: Tensor, _ op: String) -> [Tensor] {
    var products: [Tensor] = []
    for seed in forwardSeeds.tensors {
      let (y, t) = jvp(of: function, at: x, along: seed, chunked: true)
      checkOutput(y, op)
      checkProducts(t, productShapes[products.count], op)
      products.append(t)
    }
    if reverseSeeds.count > 0 {
      let (y, pullback) = vjp(of: function, at: x, chunked: true)
      checkOutput(y, op)
      for seed in reverseSeeds.tensors {
        let g = pullback(seed)
        checkProducts(g, productShapes[products.count], op)
        products.append(g)
      }
    }
    return products
  }

  /// Checks a pass's products: the expected shape and dtype (they are read as raw memory), and
  /// no derivatives of outer transforms (the result holds values and would drop them).
  private func checkProducts(_ t: Tensor, _ shape: [Int], _ op: String) {
    check(t.shape == shape && t.dtype == dtype, "\(op): a pass returned shape \(t.shape) (\(t.dtype)), expected \(shape) (\(dtype))")
    checkNoDerivatives(t, op)
  }

  private func checkOutput(_ y: Tensor, _ op: String) {
    check(
      y.shape == outputShape && y.dtype == dtype,
      "\(op): f returned shape \(y.shape) (\(y.dtype)) at this point, but \(outputShape) (\(dtype)) when prepared")
  }
}

/// Stops when `t` carries derivatives of an outer transform (a tangent, or a link to a tape):
/// sparse Jacobians and Hessians are assembled from values, so those derivatives would be lost.
func checkNoDerivatives(_ t: Tensor, _ op: String) {
  check(
    t.autodiff == nil,
    "\(op): the point (or a tensor f captures) carries derivatives of an outer transform, which a sparse Jacobian or Hessian, assembled from values, would drop; pass plain tensors (x.detached), or differentiate with jacfwd/jacrev/hessian")
}
