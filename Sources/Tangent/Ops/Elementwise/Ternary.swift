import ComplexModule
import RealModule

/// An elementwise op of several broadcast inputs whose rules follow from its partial
/// derivatives (holomorphic, or real): the JVP is Σ dxᵢ·∂ᵢ and the VJP gives ḡ·conj(∂ᵢ),
/// summed over broadcast dimensions.
protocol ElementwiseNaryOp: DifferentiableOp {
  /// Computes the output from plain inputs.
  func primal(values inputs: [Tensor]) -> Tensor
  /// The partial derivatives of the output, as tensors that broadcast to it; `nil` when not
  /// wanted.
  func partials(_ inputs: [Tensor], y: Tensor, wanted: [Bool]) -> [Tensor?]
}

extension ElementwiseNaryOp {
  func primal(_ inputs: [Tensor]) -> [Tensor] { [primal(values: inputs)] }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let y = outputs[0]
    let p = partials(inputs, y: y, wanted: tangents.map { $0 != nil })
    var terms: [Tensor?] = []
    for (i, t) in tangents.enumerated() {
      guard let t, let d = p[i] else { continue }
      terms.append(lift(t, primalRank: inputs[i].rank, outputRank: y.rank) * d)
    }
    return [terms.reduce(nil) { sumOfTerms($0, $1) }]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0] else { return inputs.map { _ in nil } }
    let p = partials(inputs, y: outputs[0], wanted: needed)
    return inputs.indices.map { i in
      guard needed[i], let d = p[i] else { return nil }
      return (gy * d.conj()).summed(toShape: inputs[i].shape)
    }
  }
}

/// Linear interpolation start + w·(end − start), computed as end − (end − start)(1 − w) when
/// |w| ≥ ½ so that w = 1 gives `end` exactly (PyTorch's formula).
///
/// Derivative: 1 − w for `start`, w for `end`, end − start for `weight`.
struct LerpOp: ElementwiseNaryOp {
  var name: String { "lerp" }
  func primal(values inputs: [Tensor]) -> Tensor {
    let (a, b, w) = (inputs[0], inputs[1], inputs[2])
    let d = b - a
    let low = w.abs().mask(.less, 0.5)
    let near = a + w * d
    let far = b - d * (1 - w)
    return near.keeping(low) + far.keeping(low.maskNot)
  }
  func partials(_ inputs: [Tensor], y: Tensor, wanted: [Bool]) -> [Tensor?] {
    let (a, b, w) = (inputs[0], inputs[1], inputs[2])
    return [wanted[0] ? 1 - w : nil, wanted[1] ? w : nil, wanted[2] ? b - a : nil]
  }
}

/// self + value·t₁·t₂. Derivative: 1, value·t₂, value·t₁.
struct AddcmulOp: ElementwiseNaryOp {
  let value: Double
  var name: String { "addcmul" }
  func primal(values inputs: [Tensor]) -> Tensor { inputs[0] + value * (inputs[1] * inputs[2]) }
  func partials(_ inputs: [Tensor], y: Tensor, wanted: [Bool]) -> [Tensor?] {
    [wanted[0] ? y.realScalar(1) : nil, wanted[1] ? value * inputs[2] : nil, wanted[2] ? value * inputs[1] : nil]
  }
}

/// self + value·t₁/t₂. Derivative: 1, value/t₂, −value·t₁/t₂².
struct AddcdivOp: ElementwiseNaryOp {
  let value: Double
  var name: String { "addcdiv" }
  func primal(values inputs: [Tensor]) -> Tensor { inputs[0] + value * (inputs[1] / inputs[2]) }
  func partials(_ inputs: [Tensor], y: Tensor, wanted: [Bool]) -> [Tensor?] {
    let (t1, t2) = (inputs[1], inputs[2])
    return [
      wanted[0] ? y.realScalar(1) : nil, wanted[1] ? value / t2 : nil,
      wanted[2] ? -value * t1 / (t2 * t2) : nil,
    ]
  }
}

extension Tensor {
  /// Linear interpolation `self + weight·(end − self)`, elementwise with broadcasting, like
  /// `torch.lerp(self, end, weight)`.
  ///
  /// Derivative: 1 − weight for `self`, weight for `end`, end − self for `weight`.
  /// - Precondition: the three shapes broadcast.
  public func lerp(_ end: Tensor, weight: Tensor) -> Tensor {
    _ = Shape.broadcast(Shape.broadcast(self.shape, end.shape, op: "lerp"), weight.shape, op: "lerp")
    return Tensor.apply(LerpOp(), [self, end, weight])[0]
  }

  /// Linear interpolation with a scalar weight, like `torch.lerp(self, end, 0.25)`.
  ///
  /// Derivative: 1 − weight for `self`, weight for `end`.
  public func lerp(_ end: Tensor, weight: Double) -> Tensor {
    let t = DType.promoted(dtype, end.dtype)
    return lerp(end, weight: Tensor.full([], weight, dtype: t.isFloatingPoint ? t : .defaultFloating))
  }

  /// `self + value·t1·t2`, elementwise with broadcasting, like `torch.addcmul`.
  ///
  /// Derivative: 1 for `self`, value·t2 for `t1`, value·t1 for `t2`.
  /// - Precondition: the three shapes broadcast.
  public func addcmul(_ t1: Tensor, _ t2: Tensor, value: Double = 1) -> Tensor {
    _ = Shape.broadcast(Shape.broadcast(self.shape, t1.shape, op: "addcmul"), t2.shape, op: "addcmul")
    return Tensor.apply(AddcmulOp(value: value), [self, t1, t2])[0]
  }

  /// `self + value·t1/t2`, elementwise with broadcasting, like `torch.addcdiv`.
  ///
  /// Derivative: 1 for `self`, value/t2 for `t1`, −value·t1/t2² for `t2`.
  /// - Precondition: the three shapes broadcast; `t1` and `t2` are not both integer.
  public func addcdiv(_ t1: Tensor, _ t2: Tensor, value: Double = 1) -> Tensor {
    check(
      t1.dtype.isFloatingPoint || t2.dtype.isFloatingPoint,
      "addcdiv: integer division of t1 (\(t1.dtype)) by t2 (\(t2.dtype)) is not supported; convert one to a floating dtype")
    _ = Shape.broadcast(Shape.broadcast(self.shape, t1.shape, op: "addcdiv"), t2.shape, op: "addcdiv")
    return Tensor.apply(AddcdivOp(value: value), [self, t1, t2])[0]
  }
}
