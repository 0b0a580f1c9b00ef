import Foundation
import Testing
import Tangent

/// A known defect (session 4, open): `hessian` nested in `hessian` loses the outer derivative
/// through outputs that a reverse rule reads (tanh's VJP reads `y`): the saved outputs are
/// stored without tape links, also inside their tangents. Four nested gradients are right.
/// When the engine is fixed, `withKnownIssue` reports that no issue was recorded: then drop it.
@Suite struct NestedHessianKnownIssueTests {
  /// d⁴/dx⁴ tanh(x), by four nested gradients.
  static func fourthDerivativeByGradients(at p: Tensor) -> Double {
    gradient(of: { x in
      gradient(of: { x in
        gradient(of: { x in gradient(of: { $0.tanh().sum() }, at: x).sum() }, at: x).sum()
      }, at: x).sum()
    }, at: p).doubles[0]
  }

  @Test func fourGradientsMatchTheClosedForm() {
    // With t = tanh x and s = sech² x = 1 − t²: tanh′ = s, ″ = −2ts, ‴ = 4t²s − 2s², ⁗ = 16ts² − 8t³s.
    let x = 0.3, t = tanh(x), s = 1 - t * t
    let exact = 16 * t * s * s - 8 * t * t * t * s
    #expect(abs(Self.fourthDerivativeByGradients(at: Tensor([x])) - exact) < 1e-10)
  }

  @Test func hessianOfHessianThroughTanh() {
    let p = Tensor([0.3])
    let nested = hessian(of: { x in hessian(of: { $0.tanh().sum() }, at: x).sum() }, at: p).doubles[0]
    let reference = Self.fourthDerivativeByGradients(at: p)
    withKnownIssue("hessian of hessian drops the path through saved outputs' tangents (tanh reads y)") {
      #expect(abs(nested - reference) < 1e-10, "hessian∘hessian \(nested), four gradients \(reference)")
    }
  }
}
