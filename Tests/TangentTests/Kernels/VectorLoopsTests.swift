import Foundation
import Testing
@testable import Tangent
import TangentTesting

/// The run-time dispatched C loops of the vector math (`Sources/CKernels/VectorLoops.c`)
/// against the scalar kernels of ``VectorMath``, bit for bit: whichever clone the CPU selects
/// (AVX-512, AVX2 or the baseline), a loop must give exactly what the scalar kernel gives for
/// every element, including the lanes its second pass fixes up.
@Suite struct VectorLoopsTests {
  /// A dispatched loop and the scalar function it must match, for one precision.
  struct Loop<T: RealScalar> {
    let name: String
    let run: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Bool
    let scalar: (T) -> T
  }

  static func loops<T: RealScalar>(_: T.Type) -> [Loop<T>] {
    [
      Loop(name: "exp", run: { VectorMath.expLoop($0, $1, $2) }) {
        VectorMath.expNeedsFixup($0) ? VectorMath.exp($0) : VectorMath.expKernel($0)
      },
      Loop(name: "log", run: { VectorMath.logLoop($0, $1, $2) }) {
        VectorMath.logNeedsFixup($0) ? VectorMath.log($0) : VectorMath.logKernel($0)
      },
      Loop(name: "sin", run: { VectorMath.sinLoop($0, $1, $2) }) { VectorMath.sin($0) },
      Loop(name: "cos", run: { VectorMath.cosLoop($0, $1, $2) }) { VectorMath.cos($0) },
      Loop(name: "tanh", run: { VectorMath.tanhLoop($0, $1, $2) }) { VectorMath.tanh($0) },
      Loop(name: "sigmoid", run: { VectorMath.sigmoidLoop($0, $1, $2) }) { VectorMath.sigmoid($0) },
      Loop(name: "silu", run: { VectorMath.siluLoop($0, $1, $2) }) { $0 * VectorMath.sigmoid($0) },
      Loop(name: "log1p", run: { VectorMath.log1pLoop($0, $1, $2) }) { VectorMath.log1p($0) },
      Loop(name: "logSigmoid", run: { VectorMath.logSigmoidLoop($0, $1, $2) }) { VectorMath.logSigmoid($0) },
    ]
  }

  /// Every element class: ordinary values of several magnitudes, both zeros, subnormals, the
  /// normal limits, values at and beyond the fix-up and overflow thresholds, huge trigonometric
  /// arguments, ±∞ and NaN.
  static func inputs<T: RealScalar>(_: T.Type, count: Int) -> [T] {
    let special: [T] = [
      0, -0.0, 1, -1, 0.5, -0.5, T.leastNonzeroMagnitude, -T.leastNonzeroMagnitude, T.leastNormalMagnitude,
      T.leastNormalMagnitude / 3, T.greatestFiniteMagnitude, -T.greatestFiniteMagnitude, .infinity, -.infinity, .nan,
      T(86.9), T(87.5), T(88.8), T(89.5), T(-87.5), T(-103.5), T(-110), T(707.9), T(708.5), T(709.9), T(-708.5),
      T(-745.2), T(-750), T(20.5), T(-20.5), T(399.9), T(400.1), T(-400.1), T(1e6), T(1.00001e6), T(-3e6), T(1e30),
      T.pi, T.pi / 2, -T.pi / 4, T(1e-300 as Double), T(1e-30), T(-1e-7),
    ]
    var rng = TestRandom(seed: 7)
    var out = special
    while out.count < count {
      let magnitude = T(Double.random(in: -30...30, using: &rng))
      let v = T(Double.random(in: -1...1, using: &rng)) * T.exp2(magnitude / 3)
      out.append(v)
    }
    return Array(out.prefix(count))
  }

  func check<T: RealScalar>(_: T.Type) {
    let lengths = [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 200, 1027]
    let all = Self.inputs(T.self, count: 1027 + 4)
    for loop in Self.loops(T.self) {
      for n in lengths {
        // Start 0-3 elements into the buffers, so vector loads are unaligned, and with
        // lengths around the vector widths, so the loop has remainders; the padding around
        // the output must stay untouched.
        for offset in 0..<4 {
          var y = [T](repeating: 42, count: n + 8)
          all.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
              #expect(loop.run(xs.baseAddress! + offset, ys.baseAddress! + offset, n))
            }
          }
          for i in 0..<n {
            let want = loop.scalar(all[offset + i]), got = y[offset + i]
            #expect(
              got.isNaN ? want.isNaN : got.signedBitPattern == want.signedBitPattern,
              "\(loop.name)(\(all[offset + i])) \(T.self): loop \(got), scalar \(want), n \(n), offset \(offset)")
          }
          #expect(y[..<offset].allSatisfy { $0 == 42 }, "\(loop.name): wrote before the output")
          #expect(y[(offset + n)...].allSatisfy { $0 == 42 }, "\(loop.name): wrote past the output")
        }
      }
    }
  }

  @Test func loopsMatchScalarKernelsDouble() { check(Double.self) }
  @Test func loopsMatchScalarKernelsFloat() { check(Float.self) }

  /// Through the tensor ops: a contiguous input runs the dispatched C loop (split across
  /// threads when large), a strided view of the same values runs the driver's Swift loop; the
  /// two must agree bit for bit.
  @Test(arguments: [DType.float32, .float64])
  func contiguousAndStridedAgree(dtype: DType) {
    let n = 3 * 50_000  // above the parallel grain
    let values = Self.inputs(Double.self, count: n)
    let x = Tensor(shape: [n / 3, 3], scalars: values).converted(to: dtype)
    let strided = x.transposed(0, 1).contiguous().transposed(0, 1)  // same values, column-major
    #expect(!strided.isContiguous)
    let ops: [(String, (Tensor) -> Tensor)] = [
      ("exp", { $0.exp() }), ("log", { $0.log() }), ("sin", { $0.sin() }), ("cos", { $0.cos() }),
      ("tanh", { $0.tanh() }), ("sigmoid", { $0.sigmoid() }), ("silu", { $0.silu() }),
      ("log1p", { $0.log1p() }), ("logSigmoid", { $0.logSigmoid() }),
    ]
    for (name, op) in ops {
      let a = op(x).doubles, b = op(strided).doubles
      let mismatches = zip(a, b).filter { p, q in p.isNaN ? !q.isNaN : p.bitPattern != q.bitPattern }.count
      #expect(mismatches == 0, "\(name) \(dtype): \(mismatches) elements differ between the C loop and the Swift loop")
    }
  }
}
