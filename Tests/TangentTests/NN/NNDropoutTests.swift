import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The random ops of NN: masks, scales and reproducibility; derivatives are checked by the op
// database with a fixed seed.

@Suite struct NNDropoutTests {
  @Test func dropoutKeepsAndScales() {
    let x = Tensor.ones([200, 50])
    var g = SeededGenerator(seed: 1)
    let y = NN.dropout(x, p: 0.3, using: &g).doubles
    #expect(y.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.7) < 1e-15 })
    let kept = Double(y.filter { $0 != 0 }.count) / Double(y.count)
    #expect(Swift.abs(kept - 0.7) < 0.02, "kept \(kept)")
    var h = SeededGenerator(seed: 1)
    #expect(NN.dropout(x, p: 0.3, using: &h).doubles == y, "a seed reproduces the mask")
    #expect(NN.dropout(x, p: 0.3, training: false).doubles == x.doubles)
    #expect(NN.dropout(x, p: 1).doubles.allSatisfy { $0 == 0 })
  }

  @Test func channelDropoutDropsWholeChannels() {
    var g = SeededGenerator(seed: 2)
    let y = NN.dropout2d(Tensor.ones([4, 8, 3, 2]), using: &g).reshaped([32, 6]).doubles
    for channel in 0..<32 {
      let values = Set(y[channel * 6..<channel * 6 + 6])
      #expect(values == [0] || values == [2], "channel \(channel): \(values)")
    }
    var h = SeededGenerator(seed: 2)
    let z = NN.dropout3d(Tensor.ones([2, 3, 2, 2, 2]), p: 0.5, using: &h).reshaped([6, 8]).doubles
    for channel in 0..<6 { #expect(Set(z[channel * 8..<channel * 8 + 8]).count == 1) }
  }

  @Test func alphaDropoutKeepsTheMomentsOfAStandardNormal() {
    var g = SeededGenerator(seed: 3)
    let x = Tensor.randn([100_000], using: &g)
    let y = NN.alphaDropout(x, p: 0.2, training: true, using: &g)
    let mean = y.mean().doubles[0], variance = (y - mean).square().mean().doubles[0]
    #expect(Swift.abs(mean) < 0.02 && Swift.abs(variance - 1) < 0.03, "mean \(mean), variance \(variance)")
    #expect(NN.alphaDropout(x, p: 0.2).doubles == x.doubles, "evaluation")
    var h = SeededGenerator(seed: 4)
    let channels = NN.featureAlphaDropout(Tensor.zeros([3, 4, 5]), p: 0.5, training: true, using: &h).reshaped([12, 5]).doubles
    for channel in 0..<12 { #expect(Set(channels[channel * 5..<channel * 5 + 5]).count == 1) }
  }

  @Test func rreluSlopes() {
    let x = Tensor([-2.0, -1, 0.5, 3])
    expectClose(NN.rrelu(x, lower: 0.1, upper: 0.3), [-0.4, -0.2, 0.5, 3], atol: 1e-15, "evaluation")
    var g = SeededGenerator(seed: 5)
    let y = NN.rrelu(x, lower: 0.1, upper: 0.3, training: true, using: &g).doubles
    #expect(y[2] == 0.5 && y[3] == 3)
    for i in 0..<2 { #expect((0.1...0.3).contains(y[i] / x.doubles[i]), "slope \(y[i] / x.doubles[i])") }
  }
}
