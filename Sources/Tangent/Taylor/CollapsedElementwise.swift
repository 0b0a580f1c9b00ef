internal import CKernels

// The collapsed second-order pass through a unary elementwise op, fused.
//
// For y = f(x) elementwise with the collapsed payload P = [x₁⁽¹⁾, …, x₁⁽ᵈ⁾, s_x] (d first-order
// rows and the summed second-order row), the output payload is
//
//     y₁⁽ʲ⁾ = f′·x₁⁽ʲ⁾,    s_y = f′·s_x + ½f″·Σⱼ (x₁⁽ʲ⁾)².
//
// Written with tensor ops that is five passes over d-wide data (x₁·f′, x₁², the sum over the
// directions, the concatenation) and three d-wide temporaries; ``CollapsedUnaryOp`` does it in
// one pass that reads the payload once and writes the output once, and its reverse rule (for a
// PINN's gradient with respect to the parameters) is one pass too.

/// `out = [f′·P₀, …, f′·P_{d−1}, f′·P_d + h·Σⱼ Pⱼ²]` for a collapsed payload `P` of shape
/// `[d + 1] + s`, a slope `f′` and a half-curvature `h = ½f″` of shape `s`, in one pass.
///
/// Derivation of the rules (rows j < d, last row d, q = Σ_{j<d} Pⱼ²):
/// - JVP: `dOutⱼ = dPⱼ·f′ + Pⱼ·df′`, `dOut_d = dP_d·f′ + P_d·df′ + dh·q + 2h·Σⱼ Pⱼ·dPⱼ`;
/// - VJP with cotangent G: `ḡPⱼ = Gⱼ·f′ + 2h·G_d·Pⱼ`, `ḡP_d = G_d·f′`, `ḡf′ = Σ_{j≤d} Gⱼ·Pⱼ`,
///   `ḡh = G_d·q`.
///
/// Real floating dtypes only; the caller keeps complex payloads on the unfused path.
struct CollapsedUnaryOp: DifferentiableOp {
  let directions: Int
  var name: String { "collapsedUnary" }
  var sparsity: SparsityRule { .dense }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (p, slope, half) = (inputs[0].plainContiguous, inputs[1].plainContiguous, inputs[2].plainContiguous)
    let out = Tensor(uninitializedShape: p.shape, dtype: p.dtype, op: name)
    switch p.dtype {
    case .float32: CollapsedKernels.forward(Float.self, p, slope, half, out, directions: directions)
    default: CollapsedKernels.forward(Double.self, p, slope, half, out, directions: directions)
    }
    return [out]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let (p, slope, half) = (inputs[0], inputs[1], inputs[2])
    // A chunked tangent (one more leading dim) runs member by member.
    let chunk = tangents.enumerated().lazy.compactMap { i, t in t.flatMap { $0.rank > inputs[i].rank ? $0.shape[0] : nil } }.first
    guard let k = chunk else { return [jvpOne(p, slope, half, tangents)] }
    let members = (0..<k).map { m in
      jvpOne(p, slope, half, tangents.enumerated().map { i, t in t.map { $0.rank > inputs[i].rank ? $0.select(dim: 0, index: m) : $0 } })
    }
    return [Tensor.stack(members.map { $0 ?? Tensor.zeros(like: outputs[0].detached) }, dim: 0)]
  }

  private func jvpOne(_ p: Tensor, _ slope: Tensor, _ half: Tensor, _ t: [Tensor?]) -> Tensor? {
    let d = directions
    let first = p.narrowed(dim: 0, start: 0, length: d)
    var rows: Tensor? = nil  // the d + 1 rows: dP·f′ + P·df′
    if let dp = t[0] { rows = Tensor.apply(self, [dp, slope, Tensor.zeros(like: half.detached)])[0] }
    if let ds = t[1] { rows = sumOfTerms(rows, p * ds) }
    var last: Tensor? = nil  // the extra terms of the last row
    if let dh = t[2] { last = dh * (first * first).sum(dim: 0) }
    if let dp = t[0] { last = sumOfTerms(last, half * (first * dp.narrowed(dim: 0, start: 0, length: d)).sum(dim: 0) * 2) }
    guard let last else { return rows }
    let padded = Tensor.cat([Tensor.zeros(like: first.detached), last.unsqueezed(dim: 0)], dim: 0)
    return sumOfTerms(rows, padded)
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let g = cotangents[0] else { return [nil, nil, nil] }
    let (p, slope, half) = (inputs[0], inputs[1], inputs[2])
    if [g, p, slope, half].allSatisfy({ $0.autodiff == nil }) && (p.dtype == .float64 || p.dtype == .float32) {
      let (gc, pc) = (g.plainContiguous, p.plainContiguous)
      let gp = Tensor(uninitializedShape: p.shape, dtype: p.dtype, op: name)
      let gs = Tensor(uninitializedShape: slope.shape, dtype: p.dtype, op: name)
      let gh = Tensor(uninitializedShape: half.shape, dtype: p.dtype, op: name)
      switch p.dtype {
      case .float32: CollapsedKernels.backward(Float.self, gc, pc, slope.plainContiguous, half.plainContiguous, gp, gs, gh, directions: directions)
      default: CollapsedKernels.backward(Double.self, gc, pc, slope.plainContiguous, half.plainContiguous, gp, gs, gh, directions: directions)
      }
      return [needed[0] ? gp : nil, needed[1] ? gs : nil, needed[2] ? gh : nil]
    }
    // With tangents or a tape on the values (a Hessian of a PINN loss): the same formulas in ops.
    let d = directions
    let first = p.narrowed(dim: 0, start: 0, length: d)
    let gLast = g.select(dim: 0, index: d)
    let gp = needed[0] ? Tensor.apply(self, [g, slope, Tensor.zeros(like: half.detached)])[0]
      + Tensor.cat([first * (gLast * half * 2), Tensor.zeros(like: gLast.detached).unsqueezed(dim: 0)], dim: 0) : nil
    let gs = needed[1] ? (g * p).sum(dim: 0) : nil
    let gh = needed[2] ? gLast * (first * first).sum(dim: 0) : nil
    return [gp, gs, gh]
  }

  var vjpReads: SavedValues { .inputs }
}

/// The loops of ``CollapsedUnaryOp``: blocks of `block` elements of the primal shape, so that
/// the running sums over the directions stay in a small buffer while the d rows stream past.
///
/// Each block runs a C loop of `Sources/CKernels/CollapsedLoops.c`, compiled for AVX-512, AVX2
/// and the baseline and chosen at load time (like the vector math loops, see
/// ``VectorMath/dispatchLevel``), so a build without `-target-cpu` flags gets the wide vectors.
enum CollapsedKernels {
  static let block = 256

  /// Runs `body(range, scratch)` over the n elements in blocks, on several threads for a large
  /// payload; `scratch` has room for `scratchRows · block` elements (the C loops zero it).
  @inline(__always)
  static func forBlocks<T: RealScalar>(
    _: T.Type, _ n: Int, payloadCount: Int, scratchRows: Int, _ body: (Range<Int>, UnsafeMutablePointer<T>) -> Void
  ) {
    func run(_ r: Range<Int>) {
      withUnsafeTemporaryAllocation(of: T.self, capacity: scratchRows * block) { buffer in
        let scratch = buffer.baseAddress!
        var start = r.lowerBound
        while start < r.upperBound {
          let end = Swift.min(start + block, r.upperBound)
          body(start..<end, scratch)
          start = end
        }
      }
    }
    if payloadCount < Parallel.grain || n < 2 * block { run(0..<n) } else { Parallel.forChunks(n, cost: payloadCount / Swift.max(n, 1), run) }
  }

  /// `p` reinterpreted as a pointer to `U` (the same type as `T` once specialised).
  @inline(__always) static func cast<T, U>(_ p: UnsafePointer<T>, _: U.Type) -> UnsafePointer<U> {
    UnsafeRawPointer(p).assumingMemoryBound(to: U.self)
  }

  /// `p` reinterpreted as a mutable pointer to `U`.
  @inline(__always) static func cast<T, U>(_ p: UnsafeMutablePointer<T>, _: U.Type) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
  }

  /// `out` from payload `p` (`[d + 1] + s`), `slope` and `half` (`s`): see ``CollapsedUnaryOp``.
  static func forward<T: RealScalar>(_: T.Type, _ p: Tensor, _ slope: Tensor, _ half: Tensor, _ out: Tensor, directions d: Int) {
    let n = slope.count
    let pp = UnsafePointer(p.pointer(as: T.self)), sp = UnsafePointer(slope.pointer(as: T.self))
    let hp = UnsafePointer(half.pointer(as: T.self)), op = out.pointer(as: T.self)
    forBlocks(T.self, n, payloadCount: p.count, scratchRows: 1) { r, q in
      let i = r.lowerBound
      if T.self == Double.self {
        tg_collapsed_forward_d(
          cast(pp + i, Double.self), cast(sp + i, Double.self), cast(hp + i, Double.self), cast(op + i, Double.self),
          cast(q, Double.self), n, r.count, d)
      } else {
        tg_collapsed_forward_f(
          cast(pp + i, Float.self), cast(sp + i, Float.self), cast(hp + i, Float.self), cast(op + i, Float.self),
          cast(q, Float.self), n, r.count, d)
      }
    }
  }

  /// The cotangents of ``CollapsedUnaryOp`` from the output's `g`: `gp` (payload), `gs`
  /// (slope) and `gh` (half), written in one pass.
  static func backward<T: RealScalar>(
    _: T.Type, _ g: Tensor, _ p: Tensor, _ slope: Tensor, _ half: Tensor, _ gp: Tensor, _ gs: Tensor, _ gh: Tensor, directions d: Int
  ) {
    let n = slope.count
    let gg = UnsafePointer(g.pointer(as: T.self)), pp = UnsafePointer(p.pointer(as: T.self))
    let sp = UnsafePointer(slope.pointer(as: T.self)), hp = UnsafePointer(half.pointer(as: T.self))
    let gpp = gp.pointer(as: T.self), gsp = gs.pointer(as: T.self), ghp = gh.pointer(as: T.self)
    forBlocks(T.self, n, payloadCount: p.count, scratchRows: 2) { r, scratch in
      let i = r.lowerBound
      if T.self == Double.self {
        tg_collapsed_backward_d(
          cast(gg + i, Double.self), cast(pp + i, Double.self), cast(sp + i, Double.self), cast(hp + i, Double.self),
          cast(gpp + i, Double.self), cast(gsp + i, Double.self), cast(ghp + i, Double.self), cast(scratch, Double.self),
          n, r.count, d)
      } else {
        tg_collapsed_backward_f(
          cast(gg + i, Float.self), cast(pp + i, Float.self), cast(sp + i, Float.self), cast(hp + i, Float.self),
          cast(gpp + i, Float.self), cast(gsp + i, Float.self), cast(ghp + i, Float.self), cast(scratch, Float.self),
          n, r.count, d)
      }
    }
  }
}
