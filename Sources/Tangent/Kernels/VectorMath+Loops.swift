internal import CKernels

/// The run-time dispatched elementwise loops of ``VectorMath`` (`Sources/CKernels/VectorLoops.c`).
///
/// A plain `swift build -c release` compiles Swift for the baseline of the target (x86-64:
/// SSE2, no FMA), so the vectorised Swift loops would use 128-bit vectors on every CPU. The C
/// loops are compiled by clang three times (`target_clones`: x86-64-v4 with 512-bit vectors,
/// x86-64-v3 with AVX2, and the baseline) and the dynamic loader binds each to the best
/// version for the CPU once, at load time. They call the same C kernels as the scalar
/// functions of ``VectorMath``, so every version gives the same bits.
extension VectorMath {
  /// The instruction set the dispatched loops use on this CPU: `x86-64-v4` (AVX-512),
  /// `x86-64-v3` (AVX2 and FMA) or `baseline` (the build's target; always on platforms
  /// without ifuncs, such as macOS).
  public static var dispatchLevel: String { String(cString: tg_dispatch_level()) }

  /// Runs `double` or `float`, whichever matches `T`, over `count` elements from `x` to `y`
  /// (which must not overlap), and returns `true`.
  @inline(__always) static func runLoop<T: RealScalar>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int,
    _ double: (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void,
    _ float: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
  ) -> Bool {
    if T.self == Double.self {
      double(
        UnsafeRawPointer(x).assumingMemoryBound(to: Double.self),
        UnsafeMutableRawPointer(y).assumingMemoryBound(to: Double.self), count)
    } else {
      float(
        UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
        UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), count)
    }
    return true
  }

  /// y = e^x over `count` elements (dispatched).
  @inline(__always) static func expLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_exp_loop_d, tg_exp_loop_f)
  }
  /// y = log x over `count` elements (dispatched).
  @inline(__always) static func logLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_log_loop_d, tg_log_loop_f)
  }
  /// y = log(1 + x) over `count` elements (dispatched).
  @inline(__always) static func log1pLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_log1p_loop_d, tg_log1p_loop_f)
  }
  /// y = log σ(x) over `count` elements (dispatched).
  @inline(__always) static func logSigmoidLoop<T: RealScalar>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int
  ) -> Bool {
    runLoop(x, y, count, tg_log_sigmoid_loop_d, tg_log_sigmoid_loop_f)
  }
  /// y = sin x over `count` elements (dispatched).
  @inline(__always) static func sinLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_sin_loop_d, tg_sin_loop_f)
  }
  /// y = cos x over `count` elements (dispatched).
  @inline(__always) static func cosLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_cos_loop_d, tg_cos_loop_f)
  }
  /// y = tanh x over `count` elements (dispatched).
  @inline(__always) static func tanhLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_tanh_loop_d, tg_tanh_loop_f)
  }
  /// y = 1/(1 + e^−x) over `count` elements (dispatched).
  @inline(__always) static func sigmoidLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_sigmoid_loop_d, tg_sigmoid_loop_f)
  }
  /// y = x/(1 + e^−x) over `count` elements (dispatched).
  @inline(__always) static func siluLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) -> Bool {
    runLoop(x, y, count, tg_silu_loop_d, tg_silu_loop_f)
  }
}
