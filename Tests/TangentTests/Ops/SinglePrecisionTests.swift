import Foundation
import Tangent
import TangentTesting
import Testing

/// float32 and complex64 inputs keep their precision through values and gradients.
@Suite struct SinglePrecisionTests {
  @Test func gradientsStayFloat32() {
    let x = uniform([2, 3], 0.2...1.5, seed: 141, dtype: .float32).requiringGrad()
    let fs: [(String, (Tensor) -> Tensor)] = [
      ("exp2", { $0.exp2() }), ("sqrt", { $0.sqrt() }), ("pow", { $0.pow(2.5) }), ("gelu", { $0.gelu() }),
      ("softplus", { $0.softplus() }), ("erfinv", { ($0 * 0.5).erfinv() }), ("digamma", { $0.digamma() }),
      ("clamp", { $0.clamp(min: 0.5, max: 1) }), ("prod", { $0.prod(dim: 1) }), ("cumprod", { $0.cumprod(dim: 0) }),
      ("logCumSumExp", { $0.logCumSumExp(dim: 1) }), ("var", { $0.var(dim: 0) }), ("norm", { $0.vectorNorm(ord: 3) }),
      ("softmax", { $0.softmax(dim: 1) }), ("amax", { $0.amax(dim: 0) }), ("logSumExp", { $0.logSumExp() }),
    ]
    for (name, f) in fs {
      let y = f(x)
      #expect(y.dtype == .float32, "\(name): \(y.dtype)")
      let g = gradients(of: y.sum(), wrt: [x])[0]
      #expect(g.dtype == .float32, "\(name): gradient \(g.dtype)")
      #expect(g.doubles.allSatisfy { $0.isFinite }, "\(name): \(g.doubles)")
    }
  }

  @Test func complex64() {
    let z = uniform([2, 3], 0.2...1, seed: 142, dtype: .complex64).requiringGrad()
    let fs: [(String, (Tensor) -> Tensor)] = [
      ("sqrt", { $0.sqrt().abs() }), ("pow", { $0.pow(z.detached).abs() }), ("prod", { $0.prod(dim: 1).abs() }),
      ("cumprod", { $0.cumprod(dim: 1).angle() }), ("var", { $0.var(dim: 0) }), ("norm", { $0.vectorNorm() }),
      ("sgn", { $0.sgn().real }), ("silu", { $0.silu().imag }),
    ]
    for (name, f) in fs {
      let y = f(z)
      #expect(y.dtype == .float32, "\(name): \(y.dtype)")
      let g = gradients(of: y.sum(), wrt: [z])[0]
      #expect(g.dtype == .complex64, "\(name): gradient \(g.dtype)")
    }
  }
}
