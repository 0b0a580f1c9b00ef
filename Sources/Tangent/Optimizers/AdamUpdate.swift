import RealModule

/// The per-tensor state of ``Adam`` and ``AdamW``: the exponential moving averages of the
/// gradient and of its square (PyTorch's `exp_avg` and `exp_avg_sq`), and with AMSGrad their
/// running maximum (`max_exp_avg_sq`).
public struct AdamState {
  /// The first moment mₜ, of the parameter's shape and dtype.
  public internal(set) var firstMoment: Tensor
  /// The second moment vₜ.
  public internal(set) var secondMoment: Tensor
  /// The running maximum of vₜ (AMSGrad only; `nil` otherwise).
  public internal(set) var maxSecondMoment: Tensor?
}

/// The body shared by ``Adam`` and ``AdamW``: one step over all tensors, with the weight
/// decay applied as an L2 term (Adam) or decoupled (AdamW).
struct AdamStep {
  let op: String
  let learningRate, beta1, beta2, epsilon, weightDecay: Double
  let amsgrad, maximize, decoupled: Bool

  /// Checks the hyperparameters against `torch.optim.Adam`'s rules.
  func validate() {
    checkHyperparameter(learningRate >= 0, op, "learningRate", ">= 0", learningRate)
    checkHyperparameter(epsilon >= 0, op, "epsilon", ">= 0", epsilon)
    checkHyperparameter(beta1 >= 0 && beta1 < 1, op, "betas.0", "in [0, 1)", beta1)
    checkHyperparameter(beta2 >= 0 && beta2 < 1, op, "betas.1", "in [0, 1)", beta2)
    checkHyperparameter(weightDecay >= 0, op, "weightDecay", ">= 0", weightDecay)
  }

  /// Takes step number `count` (from 1), creating `state` at the first step.
  func run<P: TensorTree>(_ parameters: inout P, gradient: P, state: inout [AdamState], count: Int) {
    validate()
    let pairs = OptimizerUpdate.pairs(parameters, gradient, op: op)
    if state.isEmpty {
      state = pairs.map { pair in
        let p = pair.parameter
        return AdamState(firstMoment: Tensor.zeros(like: p), secondMoment: Tensor.zeros(like: p), maxSecondMoment: amsgrad ? Tensor.zeros(like: p) : nil)
      }
    } else {
      OptimizerUpdate.checkState(
        shapes: state.map(\.firstMoment.shape), dtypes: state.map(\.firstMoment.dtype), against: pairs, op: op)
    }
    let t = Double(count)
    let biasCorrection1 = 1 - Double.pow(beta1, t)
    let biasCorrection2 = 1 - Double.pow(beta2, t)
    let c = AdamCoefficients(
      negStepSize: -(learningRate / biasCorrection1), biasCorrection2Sqrt: biasCorrection2.squareRoot(),
      averagingWeight: 1 - beta1, beta2: beta2, oneMinusBeta2: 1 - beta2, epsilon: epsilon,
      l2: decoupled ? 0 : weightDecay, decay: decoupled ? 1 - learningRate * weightDecay : 1, maximize: maximize)
    var updated: [Tensor] = []
    updated.reserveCapacity(pairs.count)
    for (i, (p, g)) in pairs.enumerated() {
      state[i].firstMoment.makeUniqueForUpdate()
      state[i].secondMoment.makeUniqueForUpdate()
      if amsgrad {
        // A state made without AMSGrad starts its maximum at zero, like PyTorch's.
        if state[i].maxSecondMoment == nil { state[i].maxSecondMoment = Tensor.zeros(like: p) }
        state[i].maxSecondMoment!.makeUniqueForUpdate()
      }
      let out = p.uninitializedCopyShape
      let s = state[i]
      p.dtype.visitReal(
        AdamUpdateKernel(c: c, p: p, g: g, m: s.firstMoment, v: s.secondMoment, vMax: amsgrad ? s.maxSecondMoment : nil, out: out),
        op: "Adam")
      updated.append(out)
    }
    parameters = OptimizerUpdate.rebuilt(parameters, with: updated)
  }
}

/// One parameter's fused Adam update, run for its dtype.
private struct AdamUpdateKernel: RealVisitor {
  let c: AdamCoefficients
  let p, g, m, v: Tensor
  let vMax: Tensor?
  let out: Tensor
  func visit<T: RealScalar>(_: T.Type) { c.update(T.self, p, g, m, v, vMax, out) }
}

/// One Adam step's constants and its fused elementwise update.
struct AdamCoefficients {
  /// −γ / (1 − β₁ᵗ).
  let negStepSize: Double
  /// √(1 − β₂ᵗ).
  let biasCorrection2Sqrt: Double
  /// 1 − β₁, the weight of the first moment's `lerp`.
  let averagingWeight: Double
  let beta2, oneMinusBeta2, epsilon: Double
  /// The L2 weight decay added to the gradient (Adam), or 0.
  let l2: Double
  /// The factor 1 − γλ applied to the parameter first (AdamW), or 1.
  let decay: Double
  let maximize: Bool

  /// Writes the new parameter into `out` and updates the moments in place (their storage
  /// is uniquely owned).
  ///
  /// The operations follow PyTorch's single-tensor Adam in order: the first moment by `lerp`
  /// (m + w(g − m) for w < ½, g − (g − m)(1 − w) otherwise), the second by v·β₂ + (1 − β₂)·g·g,
  /// the denominator √v̂/√(1 − β₂ᵗ) + ε, and θ + (−γ/(1 − β₁ᵗ))·m / denominator.
  func update<T: RealScalar>(
    _: T.Type, _ p: Tensor, _ g: Tensor, _ m: Tensor, _ v: Tensor, _ vMax: Tensor?, _ out: Tensor
  ) {
    let pp = UnsafePointer(p.pointer(as: T.self)), gp = UnsafePointer(g.pointer(as: T.self))
    let mp = m.pointer(as: T.self), vp = v.pointer(as: T.self), op = out.pointer(as: T.self)
    let xp = vMax?.pointer(as: T.self)
    let w = T(averagingWeight), oneMinusW = T(1 - averagingWeight), lowWeight = Swift.abs(averagingWeight) < 0.5
    let b2 = T(beta2), c2 = T(oneMinusBeta2), eps = T(epsilon), bc2 = T(biasCorrection2Sqrt)
    let step = T(negStepSize), wd = T(l2), keep = T(decay)
    let decays = l2 != 0, decoupled = decay != 1, negate = maximize
    // The moments of element i, and its parameter after decoupled decay.
    @inline(__always) func moments(_ i: Int) -> (theta: T, m: T, v: T) {
      var gi = negate ? -gp[i] : gp[i]
      var theta = pp[i]
      if decays { gi = gi + wd * theta }
      if decoupled { theta = theta * keep }
      let mOld = mp[i]
      let mi = lowWeight ? mOld + w * (gi - mOld) : gi - (gi - mOld) * oneMinusW
      return (theta, mi, vp[i] * b2 + c2 * gi * gi)
    }
    // Blocks of 8 as explicit vectors (the compiler does not vectorise the scalar loop: it
    // writes three arrays that may alias the others), then the scalar tail. Both run the same
    // IEEE operations in the same order, so every element gets the same bits either way.
    let wv = SIMD8<T>(repeating: w), oneMinusWv = SIMD8<T>(repeating: oneMinusW), b2v = SIMD8<T>(repeating: b2)
    let c2v = SIMD8<T>(repeating: c2), epsv = SIMD8<T>(repeating: eps), bc2v = SIMD8<T>(repeating: bc2)
    let stepv = SIMD8<T>(repeating: step), wdv = SIMD8<T>(repeating: wd), keepv = SIMD8<T>(repeating: keep)
    OptimizerUpdate.forEachChunk(p.count) { r in
      var i = r.lowerBound
      while i + 8 <= r.upperBound {
        var gi = load8(gp + i)
        if negate { gi = -gi }
        var theta = load8(pp + i)
        if decays { gi = gi + wdv * theta }
        if decoupled { theta = theta * keepv }
        let mOld = load8(UnsafePointer(mp + i))
        let mi = lowWeight ? mOld + wv * (gi - mOld) : gi - (gi - mOld) * oneMinusWv
        let vi = load8(UnsafePointer(vp + i)) * b2v + c2v * gi * gi
        store8(mi, mp + i)
        store8(vi, vp + i)
        var second = vi
        if let xp {
          // Swift.max(x, v): v where v ≥ x, else x.
          let x = load8(UnsafePointer(xp + i))
          second = x.replacing(with: vi, where: vi .>= x)
          store8(second, xp + i)
        }
        store8(theta + stepv * mi / (VectorMath.squareRoot(second) / bc2v + epsv), op + i)
        i += 8
      }
      while i < r.upperBound {
        let (theta, mi, vi) = moments(i)
        mp[i] = mi
        vp[i] = vi
        var second = vi
        if let xp {
          second = Swift.max(xp[i], vi)
          xp[i] = second
        }
        op[i] = theta + step * mi / (VectorMath.squareRoot(second) / bc2 + eps)
        i += 1
      }
    }
  }
}

/// Stores 8 consecutive scalars.
@inline(__always) private func store8<T: RealScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
}
