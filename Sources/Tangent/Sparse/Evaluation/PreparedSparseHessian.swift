/// A sparse Hessian of a scalar function, prepared once and evaluated at many points: the
/// symmetric pattern (detected or given), its symmetric colouring and the seed tensors, kept
/// together with the function.
///
/// Preparation finds the pattern of `H = ∂²f/∂x²` with ``hessianSparsity(of:at:detection:)``
/// (unless you give one), colours it symmetrically and builds one seed tensor per pass. Each
/// evaluation computes the compressed products `B = H S` by forward-over-reverse
/// Hessian-vector products (``hvp(of:at:along:chunked:)``: a JVP of the gradient, never double
/// backward), `⌈colours ÷ chunkSize⌉` chunked passes (one with every colour when `chunkSize`
/// is `nil`), and recovers `H` from `B`:
/// - ``ColoringProblem/star`` (the default): directly, each nonzero `H[i, j]` is one entry of
///   `B` (at row `i` or, by symmetry, row `j`);
/// - ``ColoringProblem/acyclic``: by substitution, peeling two-coloured trees from their leaves;
///   it needs fewer colours (2 instead of 3 for a tridiagonal Hessian).
///
/// Star is the default because its recovery is exact to the rounding of the HVPs, entry by
/// entry, and it is a gather with no order between entries. Substitution subtracts recovered
/// entries from the products along the two-coloured trees, so rounding errors add up along
/// paths that can be as long as `n` (a chained Rosenbrock Hessian is one such path), and the
/// sweep is sequential. Choose ``ColoringProblem/acyclic`` when HVPs are expensive and the
/// entries are of similar size.
///
/// ```swift
/// // The chained Rosenbrock function: a tridiagonal Hessian, 3 star colours.
/// let f = { (x: Tensor) -> Tensor in
///   let n = x.shape[0]
///   let a = x[0..<(n - 1)], b = x[1..<n]
///   return (100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)).sum()
/// }
/// let x = Tensor.randn([100_000], dtype: .float64)
/// let prepared = PreparedSparseHessian(of: f, at: x)
/// print(prepared.colorCount)  // 3: one HVP pass with 3 directions
/// let h: SparseMatrix<Double> = prepared.hessian(at: x)
/// ```
///
/// The pattern must hold at every point you evaluate (see ``PreparedSparseJacobian``). Only real
/// dtypes are supported: the symmetric recoveries assume `H = Hᵀ`, which the complex Hessian of
/// this library's `hessian` (a `jacfwd` of the conjugate-Wirtinger gradient) does not satisfy.
/// The result holds values, not derivatives: it is not differentiable by outer transforms, and a
/// point (or a tensor `f` captures) that carries their derivatives stops with a message rather
/// than losing them silently.
public struct PreparedSparseHessian {
  /// The symmetric `n × n` pattern of the Hessian, `n = x.count`, in row-major order.
  public let pattern: SparsityPattern
  /// The symmetric colouring of ``pattern``: its seeds and its recovery plan.
  public let coloring: ColoringResult
  /// The shape of the points, as prepared.
  public let inputShape: [Int]
  /// The dtype of the points (float32 or float64).
  public let dtype: DType
  /// The scalar function.
  let function: (Tensor) -> Tensor
  /// The seeds of the HVP passes.
  let seeds: CompressedSeeds
  /// Where each nonzero is read.
  let recovery: CompressedRecovery
  /// The shape of each pass's products, `[K] + inputShape` (fixed when prepared).
  let productShapes: [[Int]]
  /// The name in messages (`PreparedSparseHessian`, or `sparseHessian`).
  let name: String
  /// The replay plan, recorded and checked at the first evaluation.
  let replayCache: SparseReplayCache

  /// Whether evaluations replay a recorded plan (with no autodiff state), and why not; see
  /// ``init(of:at:pattern:coloring:algorithm:chunkSize:replay:)``.
  public var replayStatus: SparseReplayStatus { replayCache.status }

  /// The number of colours: the Hessian-vector products per evaluation.
  public var colorCount: Int { coloring.colorCount }
  /// The number of chunked HVP passes per evaluation (each a gradient evaluated on dual tensors).
  public var passCount: Int { seeds.count }

  /// Prepares the sparse Hessian of the scalar function `f` around `x`: detects the pattern
  /// (unless `pattern` is given), colours it and builds the seeds.
  ///
  /// - Parameters:
  ///   - f: The scalar function (its output has one element). It is kept and called by every
  ///     ``hessian(at:as:)``.
  ///   - x: A point: it fixes the shape and the dtype (and is where detection runs).
  ///   - pattern: The Hessian's symmetric `x.count × x.count` pattern; by default
  ///     ``hessianSparsity(of:at:detection:)`` with global detection.
  ///   - coloring: ``ColoringProblem/star`` (direct recovery, the default) or
  ///     ``ColoringProblem/acyclic`` (fewer colours, recovery by substitution).
  ///   - algorithm: The greedy vertex orders to try; by default smallest-last alone (as few
  ///     colours as the best of several orders on the benchmark problems, at a third of the
  ///     cost); ``GreedyColoring/bestOf(_:)`` tries more.
  ///   - chunkSize: Directions per pass; by default every colour in one pass.
  ///   - replay: Whether evaluations replay a recorded plan: the first ``hessian(at:as:)`` records
  ///     the computations the engine performs on plain tensors, checks the plan against the
  ///     engine at its point and at a second point (bit for bit), and later evaluations re-run
  ///     just those computations, with no duals, tape or contexts. A function the recording
  ///     cannot follow (a read of a traced value, random numbers, a kernel called outside an
  ///     op) keeps the engine; ``replayStatus`` says which and why. `false` always uses the engine.
  /// - Precondition: `x` is float32 or float64; `f(x)` has one element; `pattern` (when given)
  ///   is square of side `x.count` and symmetric; `coloring` is `.star` or `.acyclic`;
  ///   `chunkSize` is positive.
  /// - Complexity: one detection, one evaluation of `f`, and the colouring.
  public init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern? = nil,
    coloring: ColoringProblem = .star,
    algorithm: GreedyColoring = GreedyColoring(),
    chunkSize: Int? = nil,
    replay: Bool = true
  ) {
    self.init(of: f, at: x, pattern: pattern, coloring: coloring, algorithm: algorithm, chunkSize: chunkSize,
              replay: replay, name: "PreparedSparseHessian")
  }

  /// The body of the public initialiser; `name` names the caller in messages.
  init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern?, coloring problem: ColoringProblem,
    algorithm: GreedyColoring, chunkSize: Int?, replay: Bool = true, name: String
  ) {
    check(
      x.dtype == .float32 || x.dtype == .float64,
      "\(name): the point holds \(x.dtype); a sparse Hessian needs float32 or float64 (its symmetric recovery assumes H = Hᵀ, which complex Hessians are not)")
    check(chunkSize == nil || chunkSize! > 0, "\(name): chunkSize must be positive, got \(chunkSize ?? 0)")
    check(
      problem == .star || problem == .acyclic,
      "\(name): .\(problem) colours a Jacobian; a symmetric Hessian takes .star or .acyclic (use PreparedSparseJacobian for Jacobians)")
    // Detection evaluates f on the way; a given pattern needs one evaluation for the shape.
    let given = pattern
    let (pattern, y) = pattern.map { ($0, f(x)) } ?? hessianSparsityAndOutput(of: f, at: x)
    check(
      y.count == 1,
      "\(name): f must return a single element, got shape \(y.shape); for a vector function use PreparedSparseJacobian")
    let n = x.count
    check(
      pattern.rows == n && pattern.columns == n,
      "\(name): the pattern is \(pattern.rows) × \(pattern.columns), but the point has \(n) elements (shape \(x.shape)), so the Hessian is \(n) × \(n)")
    // A detected pattern is symmetric by construction; a given one is checked once, here.
    check(given == nil || pattern.isSymmetric, "\(name): the pattern must be symmetric, as a Hessian is")
    let result = pattern.coloring(problem, algorithm: algorithm, knownSymmetric: true)
    self.pattern = pattern
    coloring = result
    inputShape = x.shape
    dtype = x.dtype
    function = f
    self.name = name
    replayCache = SparseReplayCache(enabled: replay)
    seeds = CompressedSeeds(
      colors: result.columnColors, colorCount: result.columnColorCount, chunkSize: chunkSize, shape: x.shape, dtype: x.dtype)
    productShapes = seeds.tensors.map { [$0.shape[0]] + x.shape }
    recovery = CompressedRecovery(result, forwardSeeds: seeds, reverseSeeds: CompressedSeeds(
      colors: result.rowColors, colorCount: 0, chunkSize: nil, shape: [], dtype: x.dtype), op: name)
  }

  /// The Hessian of the prepared function at `x`, on ``pattern``.
  ///
  /// Runs ``passCount`` chunked forward-over-reverse HVPs with the colouring's seeds, then
  /// recovers the nonzeros (a gather for star colourings, a substitution sweep for acyclic ones).
  ///
  /// - Parameters:
  ///   - x: The point, of the prepared shape and dtype.
  ///   - scalarType: `Double.self` or `Float.self`, for when the context does not fix it.
  /// - Returns: `H = ∂²f/∂x²` at `x` (elements of `x` in row-major order), with a value at
  ///   every position of ``pattern``; symmetric.
  /// - Precondition: `x` has ``inputShape`` and ``dtype``; `Scalar` is ``dtype``'s type.
  /// - Complexity: ``passCount`` gradient evaluations on dual tensors carrying up to
  ///   `chunkSize` directions, plus O(nonzeros).
  public func hessian<Scalar: FloatingScalar>(at x: Tensor, as scalarType: Scalar.Type = Scalar.self) -> SparseMatrix<Scalar> {
    let op = name == "PreparedSparseHessian" ? "PreparedSparseHessian.hessian(at:)" : name
    check(x.shape == inputShape, "\(op): the point has shape \(x.shape), but the Hessian was prepared for shape \(inputShape)")
    check(x.dtype == dtype, "\(op): the point holds \(x.dtype), but the Hessian was prepared for \(dtype)")
    check(
      Scalar.dtype == dtype,
      "\(op): SparseMatrix<\(Scalar.self)> holds \(Scalar.dtype), but the Hessian is \(dtype); ask for its Swift type")
    checkNoDerivatives(x, op)
    let nnz = pattern.nonzeroCount
    let products = replayCache.products(at: x, expected: productShapes) { x in self.products(at: x, op) }
    let values = [Scalar](unsafeUninitializedCapacity: nnz) { buffer, initialized in
      // The colouring is valid (checked when prepared), so recovery writes every nonzero.
      guard let out = buffer.baseAddress else { return }
      if let s = recovery.substitution {
        // The passes fill the whole residual: colours start ..< start + width, x.count rows each.
        let residual = UnsafeMutablePointer<Scalar>.allocate(capacity: s.residualCount)
        defer { residual.deallocate() }
        for pass in products.indices {
          CompressedRecovery.copy(products[pass], into: residual, at: seeds.starts[pass] * x.count)
        }
        CompressedRecovery.substitute(s, residual: residual, into: out)
      } else {
        for pass in products.indices {
          CompressedRecovery.apply(recovery.forward[pass], from: products[pass], into: out)
        }
      }
      initialized = nnz
    }
    return SparseMatrix(pattern: pattern, values: values)
  }

  /// The compressed products `H S` of each pass at `x` by the engine (forward-over-reverse
  /// HVPs), each `[K] + inputShape`, checked.
  private func products(at x: Tensor, _ op: String) -> [Tensor] {
    let f = function
    let gradient = { (x: Tensor) -> Tensor in scalarGradient(of: f, at: x, op: op).gradient }
    return zip(seeds.tensors, productShapes).map { seed, shape in
      let hv = forwardJVP(of: gradient, at: x, along: seed, chunked: true).tangent
      // Read as raw memory: check the shape and dtype, and that no outer derivatives ride along.
      check(
        hv.shape == shape && hv.dtype == dtype,
        "\(op): a pass returned shape \(hv.shape) (\(hv.dtype)), expected \(shape) (\(dtype))")
      checkNoDerivatives(hv, op)
      return hv
    }
  }
}
