import ComplexModule
import RealModule

/// Fast Fourier transforms along one strided dim of a tensor, batched over the other dims.
///
/// Every line is an O(n log n) complex transform: an iterative radix-2 FFT when n is a power
/// of two, and Bluestein's chirp-z algorithm (a convolution done with a power-of-two FFT of
/// size at least 2n − 1) for every other length. The kernel is one generic implementation over
/// ``RealScalar``; complex data is read and written as interleaved (real, imaginary) pairs.
///
/// Each line is gathered into scratch space, transformed and scattered, so the result does not
/// depend on the layout of the input; lines are split across cores.
enum FFTKernels {
  /// What one line transform reads and writes.
  enum LineKind: Sendable {
    /// n complex values to n complex values.
    case complexToComplex
    /// n real values to the n/2 + 1 non-negative-frequency bins of their transform.
    case realToComplex
    /// The n/2 + 1 bins of a Hermitian-symmetric spectrum to the n real values of its
    /// transform. The imaginary parts of bin 0 (and of bin n/2 when n is even) are ignored.
    case complexToReal
  }

  /// Transforms every line of `x` along `dim`: yₖ = scale · Σⱼ xⱼ·e^(∓2πi·jk/n), with the
  /// minus sign unless `inverse`.
  ///
  /// - Parameters:
  ///   - x: complex for `.complexToComplex` and `.complexToReal`, real for `.realToComplex`,
  ///     with `dim` of size n, n, or n/2 + 1 respectively.
  ///   - dim: a non-negative dim of `x`.
  ///   - length: the transform length n (at least 1).
  /// - Returns: a new contiguous tensor, complex (or real for `.complexToReal`) of the same
  ///   precision, with `dim` of size n (or n/2 + 1 for `.realToComplex`).
  static func transform(_ x: Tensor, dim: Int, kind: LineKind, inverse: Bool, scale: Double, length n: Int) -> Tensor {
    check(n >= 1, "fft: invalid number of data points (\(n))")
    switch kind {
    case .complexToComplex, .complexToReal:
      check(x.dtype.isComplex, "fft: expected a complex tensor, got \(x.dtype)")
    case .realToComplex:
      check(x.dtype.isFloatingPoint && !x.dtype.isComplex, "fft: expected a real floating tensor, got \(x.dtype)")
    }
    let expected = kind == .complexToReal ? n / 2 + 1 : n
    check(
      x.shape[dim] == expected, "fft: dim \(dim) of shape \(x.shape) has size \(x.shape[dim]), expected \(expected)")
    return x.dtype.real.visitReal(
      TransformVisitor(x: x, dim: dim, kind: kind, inverse: inverse, scale: scale, n: n), op: "fft")
  }

  struct TransformVisitor: RealVisitor {
    let x: Tensor
    let dim: Int
    let kind: LineKind
    let inverse: Bool
    let scale: Double
    let n: Int

    func visit<T: RealScalar>(_: T.Type) -> Tensor {
      let inComplex = kind != .realToComplex
      let outComplex = kind != .complexToReal
      var outShape = x.shape
      outShape[dim] = kind == .realToComplex ? n / 2 + 1 : n
      let out = Tensor(uninitializedShape: outShape, dtype: outComplex ? x.dtype.complex : x.dtype.real)
      if out.count == 0 { return out }

      // Interleaved complex data is addressed in units of T: strides and offsets double.
      let src = UnsafePointer(FFTKernels.realPointer(x, T.self, complex: inComplex))
      let dst = FFTKernels.realPointer(out, T.self, complex: outComplex)
      let inStrides = inComplex ? x.strides.map { 2 &* $0 } : x.strides
      let outStrides = outComplex ? out.strides.map { 2 &* $0 } : out.strides
      let inStep = inStrides[dim], outStep = outStrides[dim]

      // The first element of every line, for input and output.
      var outer = x.shape
      outer[dim] = 1
      let rows = StridedRows(shape: outer, inStrides, outStrides)
      let lines = rows.rowCount &* rows.length
      var inStart: [Int] = [], outStart: [Int] = []
      inStart.reserveCapacity(lines)
      outStart.reserveCapacity(lines)
      let (s0, s1, _) = rows.step
      let len = rows.length
      rows.forEachRow(in: 0..<rows.rowCount) { o0, o1, _ in
        for i in 0..<len {
          inStart.append(o0 &+ i &* s0)
          outStart.append(o1 &+ i &* s1)
        }
      }

      let plan = FFTPlan<T>(n)
      let n = n, kind = kind, inverse = inverse
      let factor = T(scale)
      let half = n / 2 + 1
      Parallel.forChunks(lines, cost: plan.cost) { range in
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: 2 &* n &+ plan.scratchCount)
        defer { buffer.deallocate() }
        let re = buffer, im = buffer + n, scratch = buffer + 2 &* n
        for line in range {
          let a = src + inStart[line], b = dst + outStart[line]
          switch kind {
          case .complexToComplex:
            for j in 0..<n {
              re[j] = a[j &* inStep]
              im[j] = a[j &* inStep &+ 1]
            }
          case .realToComplex:
            for j in 0..<n {
              re[j] = a[j &* inStep]
              im[j] = 0
            }
          case .complexToReal:
            // The Hermitian extension: bin n − k is the conjugate of bin k.
            for k in 0..<half {
              re[k] = a[k &* inStep]
              im[k] = a[k &* inStep &+ 1]
            }
            im[0] = 0
            if n % 2 == 0 { im[n / 2] = 0 }
            for k in half..<Swift.max(half, n) {
              re[k] = re[n - k]
              im[k] = -im[n - k]
            }
          }
          // The inverse transform is the forward one with the real and imaginary parts swapped.
          if inverse {
            plan.forward(im, re, scratch: scratch)
          } else {
            plan.forward(re, im, scratch: scratch)
          }
          switch kind {
          case .complexToComplex:
            for k in 0..<n {
              b[k &* outStep] = re[k] * factor
              b[k &* outStep &+ 1] = im[k] * factor
            }
          case .realToComplex:
            // Bin 0 (and bin n/2 for even n) of real data is real: drop the rounding error.
            im[0] = 0
            if n % 2 == 0 { im[n / 2] = 0 }
            for k in 0..<half {
              b[k &* outStep] = re[k] * factor
              b[k &* outStep &+ 1] = im[k] * factor
            }
          case .complexToReal:
            for k in 0..<n { b[k &* outStep] = re[k] * factor }
          }
        }
      }
      return out
    }
  }

  /// The address of a tensor's first element in units of `T`: for a complex tensor, its
  /// interleaved (real, imaginary) pairs.
  @inline(__always)
  static func realPointer<T: RealScalar>(_ x: Tensor, _: T.Type, complex: Bool) -> UnsafeMutablePointer<T> {
    if !complex { return x.pointer(as: T.self) }
    return UnsafeMutableRawPointer(x.pointer(as: Complex<T>.self)).assumingMemoryBound(to: T.self)
  }
}

/// The tables of a forward FFT of one length n, in split (real, imaginary) form.
///
/// For a power of two the plan is an iterative radix-2 transform. For any other n it is
/// Bluestein's algorithm: with the chirp cⱼ = e^(−πi·j²/n), the identity
/// jk = (j² + k² − (k − j)²)/2 turns the transform into Xₖ = cₖ · Σⱼ (xⱼ·cⱼ)·conj(c₍ₖ₋ⱼ₎), a
/// convolution, done with power-of-two FFTs of size m ≥ 2n − 1. The tables are computed in
/// `Double` and rounded once to `T`.
struct FFTPlan<T: RealScalar> {
  /// The transform length.
  let n: Int
  /// The power-of-two length of the radix-2 transforms (n itself, or Bluestein's m).
  let m: Int
  /// The twiddles e^(−πi·k/h) of every radix-2 stage h = 1, 2, 4, …, m/2, stage h at
  /// `h − 1 ..< 2h − 1`.
  let twiddleRe: [T], twiddleIm: [T]
  /// The bit-reversal permutation of `0..<m`.
  let reversal: [Int]
  /// Bluestein's chirp cⱼ (empty for powers of two).
  let chirpRe: [T], chirpIm: [T]
  /// Bluestein's filter: the FFT of conj(c) laid out circularly, divided by m.
  let filterRe: [T], filterIm: [T]

  /// Whether n is a power of two.
  var isPowerOfTwo: Bool { n == m }

  /// The scratch space ``forward(_:_:scratch:)`` needs, in elements of `T`.
  var scratchCount: Int { isPowerOfTwo ? 0 : 2 &* m }

  /// The work of one line, in elements, for splitting lines across cores.
  var cost: Int {
    let stages = Swift.max(1, Int.bitWidth - m.leadingZeroBitCount)
    return (isPowerOfTwo ? 1 : 3) &* m &* stages
  }

  init(_ n: Int) {
    check(n >= 1, "fft: invalid number of data points (\(n))")
    self.n = n
    let pow2 = n & (n - 1) == 0
    var m = 1
    if pow2 {
      m = n
    } else {
      while m < 2 &* n &- 1 { m &*= 2 }
    }
    self.m = m
    let (twRe, twIm) = Self.twiddles(m)
    twiddleRe = twRe.map { T($0) }
    twiddleIm = twIm.map { T($0) }
    let rev = Self.bitReversal(m)
    reversal = rev
    if pow2 {
      chirpRe = []; chirpIm = []; filterRe = []; filterIm = []
      return
    }
    // cⱼ = e^(−πi·j²/n), with j² reduced modulo 2n to keep the angle small and exact.
    var cRe = [Double](repeating: 0, count: n), cIm = [Double](repeating: 0, count: n)
    let twoN = 2 &* n
    for j in 0..<n {
      let q = (j &* j) % twoN
      let angle = Double.pi * Double(q) / Double(n)
      cRe[j] = Double.cos(angle)
      cIm[j] = -Double.sin(angle)
    }
    var bRe = [Double](repeating: 0, count: m), bIm = [Double](repeating: 0, count: m)
    bRe[0] = cRe[0]
    bIm[0] = -cIm[0]
    for d in 1..<n {
      bRe[d] = cRe[d]; bIm[d] = -cIm[d]
      bRe[m - d] = cRe[d]; bIm[m - d] = -cIm[d]
    }
    bRe.withUnsafeMutableBufferPointer { r in
      bIm.withUnsafeMutableBufferPointer { i in
        twRe.withUnsafeBufferPointer { wr in
          twIm.withUnsafeBufferPointer { wi in
            rev.withUnsafeBufferPointer { p in
              Self.radix2(r.baseAddress!, i.baseAddress!, count: m, wr.baseAddress!, wi.baseAddress!, p.baseAddress!)
            }
          }
        }
      }
    }
    let inv = 1 / Double(m)
    chirpRe = cRe.map { T($0) }
    chirpIm = cIm.map { T($0) }
    filterRe = bRe.map { T($0 * inv) }
    filterIm = bIm.map { T($0 * inv) }
  }

  /// The radix-2 twiddle table of a power-of-two length m, in `Double`: the last stage's
  /// twiddles from the cosine and sine, the earlier stages' by subsampling them.
  static func twiddles(_ m: Int) -> ([Double], [Double]) {
    // One spare entry keeps the table non-empty for m = 1.
    var re = [Double](repeating: 0, count: Swift.max(m - 1, 1)), im = re
    let top = m / 2
    if top == 0 { return (re, im) }
    for k in 0..<top {
      let angle = Double.pi * Double(k) / Double(top)
      re[top - 1 + k] = Double.cos(angle)
      im[top - 1 + k] = -Double.sin(angle)
    }
    var h = top / 2
    while h >= 1 {
      let step = top / h
      for k in 0..<h {
        re[h - 1 + k] = re[top - 1 + k * step]
        im[h - 1 + k] = im[top - 1 + k * step]
      }
      h /= 2
    }
    return (re, im)
  }

  /// The bit-reversal permutation of `0..<m` (m a power of two).
  static func bitReversal(_ m: Int) -> [Int] {
    var rev = [Int](repeating: 0, count: m)
    var bits = 0
    while 1 << bits < m { bits += 1 }
    if bits == 0 { return rev }
    for i in 1..<m { rev[i] = (rev[i >> 1] >> 1) | ((i & 1) << (bits - 1)) }
    return rev
  }

  /// An in-place forward radix-2 FFT of length m (a power of two) in split form, with the
  /// twiddle table of ``twiddles(_:)`` and the permutation of ``bitReversal(_:)``.
  @inline(__always)
  static func radix2<U: RealScalar>(
    _ re: UnsafeMutablePointer<U>, _ im: UnsafeMutablePointer<U>, count m: Int,
    _ twRe: UnsafePointer<U>, _ twIm: UnsafePointer<U>, _ reversal: UnsafePointer<Int>
  ) {
    for i in 0..<m {
      let j = reversal[i]
      if j > i {
        let tr = re[i], ti = im[i]
        re[i] = re[j]; im[i] = im[j]
        re[j] = tr; im[j] = ti
      }
    }
    var h = 1
    while h < m {
      let wr = twRe + (h - 1), wi = twIm + (h - 1)
      var start = 0
      while start < m {
        let ar = re + start, ai = im + start, br = re + (start + h), bi = im + (start + h)
        for k in 0..<h {
          let xr = br[k], xi = bi[k], cr = wr[k], ci = wi[k]
          let tr = xr * cr - xi * ci
          let ti = xr * ci + xi * cr
          let ur = ar[k], ui = ai[k]
          br[k] = ur - tr
          bi[k] = ui - ti
          ar[k] = ur + tr
          ai[k] = ui + ti
        }
        start &+= 2 &* h
      }
      h &*= 2
    }
  }

  /// The forward transform Xₖ = Σⱼ xⱼ·e^(−2πi·jk/n) of the n values in `re`, `im`, in place.
  ///
  /// Called with the parts swapped, it computes the unnormalised inverse transform.
  /// - Parameter scratch: ``scratchCount`` elements.
  func forward(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
    twiddleRe.withUnsafeBufferPointer { wrb in
      twiddleIm.withUnsafeBufferPointer { wib in
        reversal.withUnsafeBufferPointer { pb in
          let wr = wrb.baseAddress!, wi = wib.baseAddress!
          let p = pb.baseAddress!
          if isPowerOfTwo {
            Self.radix2(re, im, count: m, wr, wi, p)
            return
          }
          let ar = scratch, ai = scratch + m
          chirpRe.withUnsafeBufferPointer { crb in
            chirpIm.withUnsafeBufferPointer { cib in
              filterRe.withUnsafeBufferPointer { frb in
                filterIm.withUnsafeBufferPointer { fib in
                  let cr = crb.baseAddress!, ci = cib.baseAddress!
                  let fr = frb.baseAddress!, fi = fib.baseAddress!
                  for j in 0..<n {
                    let xr = re[j], xi = im[j]
                    ar[j] = xr * cr[j] - xi * ci[j]
                    ai[j] = xr * ci[j] + xi * cr[j]
                  }
                  for j in n..<m {
                    ar[j] = 0
                    ai[j] = 0
                  }
                  Self.radix2(ar, ai, count: m, wr, wi, p)
                  for k in 0..<m {
                    let xr = ar[k], xi = ai[k]
                    ar[k] = xr * fr[k] - xi * fi[k]
                    ai[k] = xr * fi[k] + xi * fr[k]
                  }
                  // The inverse transform, by swapping the parts (the 1/m is in the filter).
                  Self.radix2(ai, ar, count: m, wr, wi, p)
                  for k in 0..<n {
                    let xr = ar[k], xi = ai[k]
                    re[k] = xr * cr[k] - xi * ci[k]
                    im[k] = xr * ci[k] + xi * cr[k]
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
