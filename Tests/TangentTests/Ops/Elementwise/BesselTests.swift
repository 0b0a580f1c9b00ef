import Foundation
import Tangent
import TangentTesting
import Testing

/// I₀, I₁ and their scaled forms against mpmath, on both sides of the switch from the power
/// series to the asymptotic series at |x| = 30.
@Suite struct BesselTests {
  static let x = Tensor([-45.0, -31, -2.5, 0, 0.3, 1, 29.5, 30.5, 100])

  @Test func values() {
    expectClose(Self.x.i0(), [
      2.0834140751773148e+18, 2089962966491.9038, 3.289839144050123, 1, 1.022626879351597, 1.2660658777520084,
      478144163888.0398, 1278062138712.5664, 1.0737517071310738e+42,
    ], rtol: 1e-13)
    expectClose(Self.x.i1(), [
      -2.0601334620815772e+18, -2055972795294.5647, -2.5167162452886984, 0, 0.15169384000359276, 0.565159103992485,
      469968885416.2773, 1256932623308.4714, 1.0683693903381625e+42,
    ], rtol: 1e-13)
    expectClose(Self.x.i0e(), [
      0.05963811501173195, 0.07194649669698383, 0.27004644161220276, 1, 0.7575806251825479, 0.46575960759364043,
      0.07376861727872859, 0.07253878407077907, 0.03994437929909668,
    ], rtol: 1e-13)
    expectClose(Self.x.i1e(), [
      -0.05897170313620064, -0.07077639283438568, -0.20658464953126657, 0, 0.1123775606398388, 0.20791041534970844,
      0.07250732615718372, 0.071339539285262, 0.03974415302513025,
    ], rtol: 1e-13)
    // Far beyond the overflow of e^x, the scaled form stays finite.
    expectClose(Tensor([800.0]).i0e(), [0.014106945005869185], rtol: 1e-13)
    expectClose(Tensor([800.0]).i0(), [.infinity])
  }

  @Test func derivatives() {
    let x = uniform([3, 4], -4...4, seed: 51, avoidingZero: 0.1)
    expectGradcheck("i0", { $0.i0() }, at: x)
    expectGradcheck("i0e", { $0.i0e() }, at: x)
    expectGradcheck("i1", { $0.i1() }, at: x)
    expectGradcheck("i1e", { $0.i1e() }, at: x)
    // I₁′(0) = ½, the limit PyTorch uses.
    let (_, g) = valueWithGradient(of: { $0.i1().sum() }, at: Tensor([0.0]))
    expectClose(g, [0.5])
    let (_, ge) = valueWithGradient(of: { $0.i1e().sum() }, at: Tensor([0.0]))
    expectClose(ge, [0.5])
  }
}
