import Tangent

/// What ``gradcheck(_:at:options:)`` checks, and how strictly.
public struct GradcheckOptions: Sendable {
  /// The finite-difference step.
  public var eps: Double = 1e-6
  /// Absolute tolerance of each comparison.
  public var atol: Double = 1e-5
  /// Relative tolerance of each comparison.
  public var rtol: Double = 1e-4
  /// Check forward mode (JVP) against central finite differences.
  public var checkForward = true
  /// Check reverse mode (VJP) by the inner-product identity ⟨u, J v⟩ = ⟨Jᴴ u, v⟩.
  public var checkReverse = true
  /// Check that K chunked tangents give the K single-tangent results, and K chunked
  /// cotangents the K single VJPs.
  public var checkChunked = true
  /// Check forward-over-reverse against finite differences of the VJP.
  public var checkForwardOverReverse = true
  /// Check forward-over-forward against finite differences of the JVP.
  public var checkForwardOverForward = true
  /// Check a third derivative, reverse-over-forward-over-reverse (the gradient of a
  /// forward-over-reverse product), by the inner-product identity against finite differences
  /// of forward-over-reverse. No second-order check can see a rule whose tangent-carrying
  /// saved values lose their own tape links; this one does. It builds on
  /// forward-over-reverse, so it runs only with ``checkForwardOverReverse``.
  public var checkThirdOrder = true
  /// The finite-difference step of the third-order check. Larger than ``eps``: the
  /// difference quotient is of forward-over-reverse, whose rounding error is larger (near a
  /// zero, prod's rule divides by entries of the step's size), while its truncation error
  /// stays far below the tolerances.
  public var thirdOrderEps: Double = 1e-4
  /// The number of chunked directions.
  public var chunkSize = 3
  /// The seed of the random directions.
  public var seed: UInt64 = 0x7A_6E_67
  /// Default options: everything checked, in float64 tolerances.
  public init() {}
}

/// The outcome of ``gradcheck(_:at:options:)``: empty `failures` means every check passed.
public struct GradcheckResult: CustomStringConvertible, Sendable {
  /// One line per failed check, naming the check, the output and the worst entry.
  public var failures: [String] = []
  /// The checks that ran.
  public var checked: [String] = []
  /// Whether every check passed.
  public var passed: Bool { failures.isEmpty }
  /// A summary for test logs.
  public var description: String {
    passed ? "gradcheck passed (\(checked.joined(separator: ", ")))" : "gradcheck failed:\n" + failures.joined(separator: "\n")
  }
}

/// Checks the derivatives of `f` at `inputs`, like `torch.autograd.gradcheck`.
///
/// Every floating input gets a random direction and every floating output a random
/// cotangent. Then, as the options ask:
/// 1. the JVP equals the central finite difference (f(x + εv) − f(x − εv)) / 2ε;
/// 2. the VJP satisfies Re⟨u, J v⟩ = Re⟨vjp(u), v⟩ (PyTorch's complex convention);
/// 3. K chunked tangents equal K single JVPs, and K chunked cotangents K single VJPs;
/// 4. forward-over-reverse equals the finite difference of the VJP;
/// 5. forward-over-forward equals the finite difference of the JVP;
/// 6. reverse-over-forward-over-reverse satisfies Re⟨w, (T(x + εv′) − T(x − εv′)) / 2ε⟩ =
///    Re⟨∇ Re⟨w, T⟩, v′⟩, where T(x) is the forward-over-reverse product along v of the VJP
///    of u.
///
/// Run it in float64 or complex128.
/// - Parameters:
///   - f: the function, from a list of inputs to a list of outputs.
///   - inputs: the point; integer and boolean inputs are passed through untouched.
/// - Returns: the result, with a line per failure.
public func gradcheck(
  _ f: @escaping ([Tensor]) -> [Tensor], at inputs: [Tensor], options: GradcheckOptions = GradcheckOptions()
) -> GradcheckResult {
  var checker = GradientChecker(f: f, inputs: inputs, options: options)
  return checker.run()
}

/// Checks a function of one tensor with one output. See ``gradcheck(_:at:options:)``.
public func gradcheck(
  _ f: @escaping (Tensor) -> Tensor, at input: Tensor, options: GradcheckOptions = GradcheckOptions()
) -> GradcheckResult {
  gradcheck({ [f($0[0])] }, at: [input], options: options)
}

/// Re⟨a, b⟩ = Re Σ conj(aᵢ) bᵢ over two tensors of one shape.
func realInner(_ a: Tensor, _ b: Tensor) -> Double {
  zip(a.complexDoubles, b.complexDoubles).reduce(0) { $0 + $1.0.real * $1.1.real + $1.0.imaginary * $1.1.imaginary }
}

struct GradientChecker {
  let f: ([Tensor]) -> [Tensor]
  let inputs: [Tensor]
  let options: GradcheckOptions
  var result = GradcheckResult()
  var rng: TestRandom

  init(f: @escaping ([Tensor]) -> [Tensor], inputs: [Tensor], options: GradcheckOptions) {
    self.f = f
    self.inputs = inputs.map(\.detached)
    self.options = options
    rng = TestRandom(seed: options.seed)
  }

  var differentiable: [Int] { inputs.indices.filter { inputs[$0].dtype.isFloatingPoint } }

  mutating func direction() -> [Tensor?] {
    inputs.map { $0.dtype.isFloatingPoint ? rng.tensor($0.shape, dtype: $0.dtype) : nil }
  }

  func shifted(_ v: [Tensor?], by h: Double) -> [Tensor] {
    zip(inputs, v).map { x, d in d.map { x + $0 * h } ?? x }
  }

  /// Central differences of any function of the inputs.
  func centralDifference(_ g: ([Tensor]) -> [Tensor], along v: [Tensor?]) -> [Tensor] {
    let h = options.eps
    let plus = g(shifted(v, by: h)), minus = g(shifted(v, by: -h))
    return zip(plus, minus).map { ($0.detached - $1.detached) / (2 * h) }
  }

  /// The JVP of `g` along `v`, by forward mode.
  func forwardJVP(_ g: ([Tensor]) -> [Tensor], at x: [Tensor], along v: [Tensor?]) -> [Tensor] {
    withDualLevel { l in
      let duals = zip(x, v).map { x, d in d.map { x.dual(tangent: $0, at: l) } ?? x }
      return g(duals).map { y in
        guard y.dtype.isFloatingPoint else { return Tensor.zeros(like: y.detached) }
        let t = y.tangent(at: l)
        return t ?? Tensor.zeros(like: y.primal(at: l).detached)
      }
    }
  }

  /// The VJP of `g` with cotangents `u`, by reverse mode, for the floating inputs.
  func reverseVJP(_ g: ([Tensor]) -> [Tensor], at x: [Tensor], cotangents u: [Tensor?]) -> [Tensor] {
    let leaves = x.map { $0.dtype.isFloatingPoint ? $0.requiringGrad() : $0 }
    let ys = g(leaves)
    var outs: [Tensor] = [], seeds: [Tensor] = []
    for (y, c) in zip(ys, u) where y.requiresGrad { if let c { outs.append(y); seeds.append(c) } }
    let idx = differentiable
    if outs.isEmpty { return idx.map { Tensor.zeros(like: x[$0].detached) } }
    return gradients(of: outs, wrt: idx.map { leaves[$0] }, seeds: seeds, createGraph: true)
  }

  mutating func compare(_ name: String, _ got: [Tensor], _ want: [Tensor]) {
    for (k, (a, b)) in zip(got, want).enumerated() {
      if a.shape != b.shape {
        result.failures.append("\(name) [\(k)]: shape \(a.shape), expected \(b.shape)")
        continue
      }
      var worst = 0.0, at = -1
      for (i, (p, q)) in zip(a.complexDoubles, b.complexDoubles).enumerated() {
        let err = (p - q).length
        let tol = options.atol + options.rtol * q.length
        if !(err <= tol) && (err - tol > worst || at < 0) { worst = err - tol; at = i }
      }
      if at >= 0 {
        result.failures.append(
          "\(name) [\(k)]: entry \(at) is \(a.complexDoubles[at]), expected \(b.complexDoubles[at]) (shape \(a.shape))")
      }
    }
    result.checked.append(name)
  }

  mutating func run() -> GradcheckResult {
    let v = direction()
    let ys = f(inputs)
    let u: [Tensor?] = ys.map { $0.dtype.isFloatingPoint ? rng.tensor($0.shape, dtype: $0.dtype) : nil }
    let floatOutputs = ys.indices.filter { ys[$0].dtype.isFloatingPoint }
    let fd = centralDifference(f, along: v)

    if options.checkForward {
      let jvp = forwardJVP(f, at: inputs, along: v)
      compare("jvp", floatOutputs.map { jvp[$0] }, floatOutputs.map { fd[$0] })
    }
    if options.checkReverse {
      let g = reverseVJP(f, at: inputs, cotangents: u)
      let lhs = floatOutputs.reduce(0.0) { $0 + realInner(u[$1]!, fd[$1]) }
      let rhs = zip(differentiable, g).reduce(0.0) { $0 + realInner($1.1, v[$1.0]!) }
      if !(abs(lhs - rhs) <= options.atol + options.rtol * abs(lhs)) {
        result.failures.append("vjp: ⟨u, J v⟩ = \(lhs) by finite differences but ⟨vjp(u), v⟩ = \(rhs)")
      }
      result.checked.append("vjp")
    }
    if options.checkChunked && options.checkForward {
      let k = options.chunkSize
      let dirs = (0..<k).map { _ in direction() }
      let stacked: [Tensor?] = inputs.indices.map { i in
        guard inputs[i].dtype.isFloatingPoint else { return nil }
        let parts = dirs.flatMap { $0[i]!.complexDoubles }
        let t = Tensor(shape: [k] + inputs[i].shape, scalars: parts)
        return inputs[i].dtype.isComplex ? t.converted(to: inputs[i].dtype) : t.real.converted(to: inputs[i].dtype)
      }
      let chunked = forwardJVP(f, at: inputs, along: stacked)
      for j in 0..<k {
        let single = forwardJVP(f, at: inputs, along: dirs[j])
        let slices = floatOutputs.map { o -> Tensor in
          let c = chunked[o]
          let n = ys[o].count
          guard c.shape == [k] + ys[o].shape else { return c }
          let vals = Array(c.complexDoubles[(j * n)..<((j + 1) * n)])
          let t = Tensor(shape: ys[o].shape, scalars: vals)
          return ys[o].dtype.isComplex ? t : t.real
        }
        compare("chunked[\(j)]", slices, floatOutputs.map { single[$0] })
      }
    }
    if options.checkChunked && options.checkReverse && !differentiable.isEmpty {
      let k = options.chunkSize
      let cots: [[Tensor?]] = (0..<k).map { _ in ys.map { $0.dtype.isFloatingPoint ? rng.tensor($0.shape, dtype: $0.dtype) : nil } }
      let leaves = inputs.map { $0.dtype.isFloatingPoint ? $0.requiringGrad() : $0 }
      let outs = f(leaves)
      let live = outs.indices.filter { outs[$0].requiresGrad && cots[0][$0] != nil }
      if !live.isEmpty {
        let stacked = live.map { o in Tensor.stack(cots.map { $0[o]! }, dim: 0) }
        let chunked = gradients(
          of: live.map { outs[$0] }, wrt: differentiable.map { leaves[$0] }, seeds: stacked, retainGraph: true, chunked: true)
        for j in 0..<k {
          let single = gradients(
            of: live.map { outs[$0] }, wrt: differentiable.map { leaves[$0] }, seeds: live.map { cots[j][$0]! }, retainGraph: true)
          compare("chunked vjp[\(j)]", chunked.map { $0.shape.first == k ? $0.select(dim: 0, index: j) : $0 }, single)
        }
      }
    }
    if options.checkForwardOverReverse {
      let g = { (x: [Tensor]) -> [Tensor] in self.reverseVJP(self.f, at: x, cotangents: u) }
      let want = centralDifference(g, along: v)
      let got: [Tensor] = withDualLevel { l in
        let duals = zip(inputs, v).map { x, d in d.map { x.dual(tangent: $0, at: l) } ?? x }
        return reverseVJP(f, at: duals, cotangents: u).map { gr in
          gr.tangent(at: l) ?? Tensor.zeros(like: gr.primal(at: l).detached)
        }
      }
      compare("forward-over-reverse", got, want)
    }
    if options.checkForwardOverForward {
      let v2 = direction()
      let jv = { (x: [Tensor]) -> [Tensor] in self.forwardJVP(self.f, at: x, along: v) }
      let want = centralDifference(jv, along: v2)
      let got: [Tensor] = withDualLevel { outer in
        let duals = zip(inputs, v2).map { x, d in d.map { x.dual(tangent: $0, at: outer) } ?? x }
        return forwardJVP(f, at: duals, along: v).map { t in
          t.tangent(at: outer) ?? Tensor.zeros(like: t.primal(at: outer).detached)
        }
      }
      compare("forward-over-forward", floatOutputs.map { got[$0] }, floatOutputs.map { want[$0] })
    }
    if options.checkThirdOrder && options.checkForwardOverReverse && !differentiable.isEmpty && !floatOutputs.isEmpty {
      checkThirdOrder(v: v, u: u, outputs: floatOutputs)
    }
    return result
  }

  /// The VJP of `f` with cotangents `u` (of the outputs `outs`) at the differentiable inputs
  /// `d` (the other inputs as given), by the functional transform, so it nests inside outer
  /// transforms.
  func pulledBack(_ d: [Tensor], outputs outs: [Int], cotangents u: [Tensor?]) -> [Tensor] {
    let idx = differentiable
    let (_, pullback) = vjp(of: { (d: [Tensor]) -> [Tensor] in
      var all = self.inputs
      for (k, i) in idx.enumerated() { all[i] = d[k] }
      let ys = self.f(all)
      return outs.map { ys[$0] }
    }, at: d)
    return pullback(outs.map { u[$0]! })
  }

  /// Check 6: reverse-over-forward-over-reverse against finite differences of
  /// forward-over-reverse, by the inner-product identity.
  mutating func checkThirdOrder(v: [Tensor?], u: [Tensor?], outputs outs: [Int]) {
    let idx = differentiable
    let vd = idx.map { v[$0]! }
    let checker = self
    // T(d): the forward-over-reverse product, a function of the differentiable inputs.
    let t = { (d: [Tensor]) -> [Tensor] in
      jvp(of: { (e: [Tensor]) -> [Tensor] in checker.pulledBack(e, outputs: outs, cotangents: u) }, at: d, along: vd).tangent
    }
    let v3 = idx.map { rng.tensor(inputs[$0].shape, dtype: inputs[$0].dtype) }
    let h = options.thirdOrderEps
    let x = idx.map { inputs[$0] }
    let plus = t(zip(x, v3).map { $0 + $1 * h }), minus = t(zip(x, v3).map { $0 - $1 * h })
    let fd = zip(plus, minus).map { ($0.detached - $1.detached) / (2 * h) }
    let w = fd.map { rng.tensor($0.shape, dtype: $0.dtype) }
    let lhs = zip(w, fd).reduce(0.0) { $0 + realInner($1.0, $1.1) }
    let (_, pullback) = vjp(of: t, at: x)
    let g = pullback(w)
    let rhs = zip(g, v3).reduce(0.0) { $0 + realInner($1.0, $1.1) }
    // The sum may cancel; its terms' size bounds the rounding and truncation error.
    let scale = zip(w, fd).reduce(0.0) { $0 + zip($1.0.complexDoubles, $1.1.complexDoubles).reduce(0.0) { $0 + $1.0.length * $1.1.length } }
    if !(abs(lhs - rhs) <= options.atol + options.rtol * Swift.max(abs(lhs), scale)) {
      result.failures.append(
        "reverse-over-forward-over-reverse: ⟨w, ∂T v′⟩ = \(lhs) by finite differences of forward-over-reverse but ⟨∇⟨w, T⟩, v′⟩ = \(rhs)")
    }
    result.checked.append("reverse-over-forward-over-reverse")
  }
}
